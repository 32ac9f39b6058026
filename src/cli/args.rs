//! The command line's arguments: clap definitions, the workspace a command works on, and
//! the settings flags, environment and config file make together.

use crate::app::state::Settings;
use crate::config::{Config, Loaded, Problem};
use crate::import;
use crate::report;
use crate::store;
use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};

const ABOUT: &str = "A terminal workbench for reviewing claims followed by an automated tracker.";

const AFTER_HELP: &str = "\
Examples:
  claimdesk                          open the default workspace (created from the sample on first run)
  claimdesk team.json                open team.json
  claimdesk import seeds/ -w team.json
  claimdesk snapshot --size 120x40 --keys \"j Tab Enter\"

The workspace is PATH, else --workspace, else $CLAIMDESK_WORKSPACE, else the default
workspace in the platform data folder.";

#[derive(Debug, Parser)]
#[command(name = "claimdesk", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// The workspace to open (same as --workspace).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The workspace file to use.
    #[arg(
        short,
        long,
        global = true,
        env = "CLAIMDESK_WORKSPACE",
        value_name = "PATH"
    )]
    pub workspace: Option<PathBuf>,
    /// Take this date as today (YYYY-MM-DD) for what is due and what the screen shows;
    /// verdicts and saves still carry the real clock.
    #[arg(long, global = true, value_name = "DATE", env = "CLAIMDESK_TODAY", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// Your name on the verdicts you record (default: the config file's, else your login).
    #[arg(long, global = true, env = "CLAIMDESK_REVIEWER", value_name = "NAME", value_parser = parse_reviewer)]
    pub reviewer: Option<String>,
    /// Save only on C-s; the status bar counts unsaved edits and q asks before losing them.
    #[arg(long, global = true)]
    pub no_autosave: bool,
    /// Open without the writer lock; nothing can be changed (for a workspace open elsewhere).
    #[arg(long, global = true)]
    pub read_only: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the screen as plain text, without a terminal, after replaying keys.
    #[command(after_help = "Example:\n  claimdesk snapshot --size 80x24 --keys \"j Tab Enter\"")]
    Snapshot(SnapshotArgs),
    /// Import tracker claim pages or database exports into the workspace.
    #[command(after_help = "\
Inputs are recognised by content:
  claim pages        NNN_<claim id>.txt, one claim per file (the tracker's page text)
  database exports   mongoexport JSON of silver_claims, silver_updates, silver_followups
                     (relaxed or canonical Extended JSON; one document a line or an array)
A folder is read file by file (*.txt, *.json, *.jsonl).

Re-importing merges: new updates and follow-ups are added, reviewers' work is kept.
If any input cannot be read, nothing is written.

Examples:
  claimdesk import tests/fixtures/000_39edfb4563007f91.txt --dry-run
  claimdesk import export/ --workspace team.json --json")]
    Import(ImportArgs),
    /// List claims, one line each (filters combine).
    #[command(
        after_help = "Examples:\n  claimdesk list --needs-review\n  claimdesk list --tag security --verdict unreviewed --json\n  claimdesk list --search \"Security Ministerial\""
    )]
    List(ListArgs),
    /// Show a claim: its fields, reviews, follow-ups and latest updates.
    #[command(
        after_help = "The id may be any unique prefix, like git.\n\nExample:\n  claimdesk show 39edf --updates 10"
    )]
    Show(ShowArgs),
    /// Follow-ups due or overdue, soonest first (for cron or a shell prompt).
    #[command(
        after_help = "Exits 0 whether or not something is due; --json for scripts.\n\nExamples:\n  claimdesk due\n  claimdesk due --within 7 --json"
    )]
    Due(DueArgs),
    /// Record a verdict from a script, exactly as the app would (journal, lock, atomic save).
    #[command(
        after_help = "Example:\n  claimdesk verdict 39edf in_progress --note \"Meetings held, no measurable outcome yet\""
    )]
    Verdict(VerdictArgs),
    /// Export claims: ClaimReview JSON-LD, CSV, a Markdown report, or iCalendar follow-ups.
    #[command(
        after_help = "Examples:\n  claimdesk export --format csv --output claims.csv\n  claimdesk export --format claimreview --base-url https://desk.example.org/claims\n  claimdesk export --format ics --tag security > follow-ups.ics"
    )]
    Export(ExportArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  claimdesk completions bash > ~/.local/share/bash-completion/completions/claimdesk"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print every action's name and its keys, by where they work, as the config file's
    /// `[keys]` table leaves them.
    #[command(after_help = "\
A config.toml in the config folder rebinds an action by its name, everywhere it has a
key or in one place:
  [keys]
  quit = \"Q\"
  down = [\"j\", \"Down\", \"C-n\"]
  calendar.next-day = \"n\"

Example:
  claimdesk keys | grep calendar")]
    Keys,
    /// Print the manual page (roff).
    #[command(after_help = "Example:\n  claimdesk man > claimdesk.1 && man ./claimdesk.1")]
    Man,
    /// Copy a workspace between a file and a PostgreSQL database, either way.
    #[command(after_help = "\
A database is named by URL: postgresql://user@host:port/database (the password from
$PGPASSWORD or ~/.pgpass, or in the URL). The database must exist; claimdesk makes its
tables on first use. A copy into a database needs one that holds no workspace yet; a copy
into a file needs --force to replace one. Nothing is lost either way, unknown fields
included.

Examples:
  claimdesk copy team.json postgresql://ana@db.example.org/desk
  claimdesk copy postgresql://ana@db.example.org/desk backup.json --force")]
    Copy(CopyArgs),
    /// Rebuild a workspace that no longer loads from its backup (.bak) and journal; on a
    /// database, say what state it and this machine's queue and copy are in.
    #[command(
        after_help = "The damaged file is kept beside the workspace as <workspace>.damaged-<time>.\n\nExample:\n  claimdesk recover -w team.json"
    )]
    Recover,
}

impl Command {
    /// Whether the command prints JSON (which carries text exactly, escaped by JSON's own
    /// rules) rather than text for people.
    pub fn prints_json(&self) -> bool {
        match self {
            Self::List(a) => a.json,
            Self::Show(a) => a.json,
            Self::Due(a) => a.json,
            Self::Verdict(a) => a.json,
            Self::Import(a) => a.json,
            Self::Export(a) => a.format == ExportFormat::Claimreview,
            Self::Snapshot(_)
            | Self::Copy(_)
            | Self::Completions { .. }
            | Self::Man
            | Self::Recover
            | Self::Keys => false,
        }
    }
}

/// Which claims: every filter given must hold.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Only claims that need review.
    #[arg(long)]
    pub needs_review: bool,
    /// Only claims with this current verdict (or `unreviewed`).
    #[arg(long, value_name = "VERDICT")]
    pub verdict: Option<report::VerdictFilter>,
    /// Only claims whose latest tracker status is this.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only claims with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Only claims with a follow-up due within DAYS (overdue ones included).
    #[arg(long, value_name = "DAYS")]
    pub due_within: Option<i64>,
    /// Only claims matching TEXT: fuzzy in titles, literal in tags, rationales and updates.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only claims assigned to this reviewer.
    #[arg(long, value_name = "NAME", conflicts_with = "unassigned")]
    pub assigned_to: Option<String>,
    /// Only claims assigned to no one.
    #[arg(long)]
    pub unassigned: bool,
}

impl FilterArgs {
    pub(crate) fn filters(&self) -> report::Filters {
        report::Filters {
            needs_review: self.needs_review,
            verdict: self.verdict,
            status: self.status.clone(),
            tag: self.tag.clone(),
            due_within: self.due_within,
            search: self.search.clone(),
            assigned: match (&self.assigned_to, self.unassigned) {
                (Some(name), _) => Some(Some(name.clone())),
                (None, true) => Some(None),
                (None, false) => None,
            },
        }
    }
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The claim's id, or any unique prefix of it.
    #[arg(allow_hyphen_values = true)]
    pub id: String,
    /// How many of the latest updates to show.
    #[arg(long, default_value_t = 5)]
    pub updates: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// Also follow-ups due within this many days (default: today and overdue).
    #[arg(long, default_value_t = 0, value_name = "DAYS")]
    pub within: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// Where the workspace is: a file, or a postgresql:// URL.
    pub from: String,
    /// Where it goes: a file, or a postgresql:// URL of a database that holds none.
    pub to: String,
    /// Replace the file TO if there is one.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct VerdictArgs {
    /// The claim's id, or any unique prefix of it.
    #[arg(allow_hyphen_values = true)]
    pub id: String,
    /// The verdict.
    #[arg(value_enum)]
    pub verdict: crate::model::Verdict,
    /// The rationale.
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    pub note: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// schema.org ClaimReview JSON-LD, one per reviewed claim.
    Claimreview,
    /// A CSV table for spreadsheets.
    Csv,
    /// A Markdown report grouped by verdict.
    Markdown,
    /// iCalendar: one all-day event per scheduled follow-up.
    Ics,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Where the published reviews live (ClaimReview `url` is BASE/<claim id>); default
    /// from the config file's `base_url`.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// ClaimReview: include claims whose reviewers disagree (left out by default), their
    /// rating's explanation saying the verdict is disputed.
    #[arg(long)]
    pub include_disputed: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Screen size as COLUMNSxROWS.
    #[arg(long, default_value = "120x40", value_parser = parse_size)]
    pub size: (u16, u16),
    /// When to print: the very first frame (before the workspace is read), once the claim
    /// list is complete, or once everything is loaded (the search index too).
    #[arg(long, value_enum, default_value = "list")]
    pub wait: Wait,
    /// Keys to replay first, separated by spaces, named as in the help overlay; 'word types
    /// word. Edits they make are shown, never saved.
    #[arg(long, default_value = "")]
    pub keys: String,
}

/// When `snapshot` prints the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Wait {
    /// The first frame, drawn before the workspace is read.
    FirstFrame,
    /// The claim list, complete.
    List,
    /// Everything, the search over update bodies included.
    Loaded,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Claim pages, export files, or folders holding them.
    #[arg(required = true, value_name = "FILE_OR_FOLDER")]
    pub inputs: Vec<PathBuf>,
    /// Show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// For pages and exports of another source: the time zone their times are written in.
    /// Without it, The FollowUp's clock is corrected (its times are 5 hours fast).
    #[arg(long, value_name = "+HH:MM", value_parser = parse_offset, allow_hyphen_values = true)]
    pub utc_offset: Option<chrono::FixedOffset>,
    /// Keep The FollowUp's update times as it stored them (5 hours fast), uncorrected.
    #[arg(long, conflicts_with = "utc_offset")]
    pub as_stored_clock: bool,
    /// The claim id, instead of the one in the page's file name (one page only).
    #[arg(long)]
    pub id: Option<String>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_size(s: &str) -> Result<(u16, u16), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected COLUMNSxROWS, like 120x40, not {s:?}"))?;
    let w: u16 = w
        .trim()
        .parse()
        .map_err(|_| format!("bad column count {w:?}"))?;
    let h: u16 = h
        .trim()
        .parse()
        .map_err(|_| format!("bad row count {h:?}"))?;
    if w == 0 || h == 0 || w > 1000 || h > 1000 {
        return Err(format!("size {w}x{h} is out of range (1 to 1000 each way)"));
    }
    Ok((w, h))
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("expected a date as YYYY-MM-DD, like 2026-02-16, not {s:?}"))
}

fn parse_offset(s: &str) -> Result<chrono::FixedOffset, String> {
    import::parse_utc_offset(s).ok_or_else(|| format!("expected +HH:MM or -HH:MM, not {s:?}"))
}

/// Which workspace a command works on, and whether it is the default one.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub is_default: bool,
}

/// Where a command's workspace is: a file, or a PostgreSQL database.
pub enum Location {
    File(Target),
    Database(Box<store::pg::Url>),
}

impl Location {
    /// A workspace argument as given: a `postgres://` or `postgresql://` URL names a
    /// database, anything else a file.
    pub fn of(given: &Path) -> Result<Self> {
        match given.to_str().filter(|s| store::pg::is_url(s)) {
            Some(url) => Ok(Self::Database(Box::new(store::pg::Url::parse(url)?))),
            None => Ok(Self::File(Target {
                path: store::real_path(given),
                is_default: false,
            })),
        }
    }
}

impl Global {
    /// Where the workspace is, for the commands that work on a database as on a file.
    pub fn location(&self, path: Option<&Path>) -> Result<Location> {
        match path.or(self.workspace.as_deref()) {
            Some(given) => Location::of(given),
            None => self.target(None).map(Location::File),
        }
    }

    /// PATH, else --workspace / $CLAIMDESK_WORKSPACE, else the default workspace.
    pub fn target(&self, path: Option<&Path>) -> Result<Target> {
        if let Some(p) = path.or(self.workspace.as_deref()) {
            if let Location::Database(url) = Location::of(p)? {
                anyhow::bail!(
                    "{url}: this command needs a workspace file (a database works with the app, list, show, due, export, verdict, import, copy, snapshot and recover); \
                     copy it to a file first: claimdesk copy {url} FILE"
                );
            }
            return Ok(Target {
                path: store::real_path(p),
                is_default: false,
            });
        }
        let path = store::default_path().ok_or_else(|| {
            anyhow!("no home folder to keep the default workspace in; pass --workspace")
        })?;
        Ok(Target {
            path: store::real_path(&path),
            is_default: true,
        })
    }

    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// [`Global::settings`], with what was left out of the config file said on stderr
    /// (the command goes on with the rest).
    pub fn settings_or_say(&self) -> Settings {
        let (settings, problems) = self.settings();
        for problem in problems {
            super::warn(&problem.to_string());
        }
        settings
    }

    /// The session's settings: flags first, then the config file, then defaults; and
    /// what in the config file was left out.
    pub fn settings(&self) -> (Settings, Vec<Problem>) {
        let Loaded {
            config,
            mut problems,
        } = Config::load();
        let (keymap, keymap_problems) = config.keymap();
        problems.extend(keymap_problems);
        // `--reviewer` and the config's name are cleaned as they are read.
        let reviewer = self
            .reviewer
            .clone()
            .or(config.reviewer)
            .or_else(|| login_name().and_then(|n| crate::config::reviewer_name(&n)))
            .unwrap_or_else(|| "reviewer".to_owned());
        let settings = Settings {
            reviewer,
            autosave: !self.no_autosave && config.autosave.unwrap_or(true),
            read_only: self.read_only,
            database: false,
            theme: config.theme.unwrap_or_default(),
            keymap,
        };
        (settings, problems)
    }
}

/// `--reviewer`: a name with something left once cleaned.
fn parse_reviewer(raw: &str) -> Result<String, String> {
    crate::config::reviewer_name(raw).ok_or_else(|| crate::config::EMPTY_NAME.to_owned())
}

/// The user's login name, from the environment.
fn login_name() -> Option<String> {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// Verdicts on the command line, by the names the workspace file uses: the list is
/// `Verdict::ALL`, written once.
impl clap::ValueEnum for crate::model::Verdict {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()).help(self.meaning()))
    }
}
