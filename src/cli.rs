//! The command line: clap definitions, workspace resolution, and the headless commands.
//! Handlers return the text to print; `main` prints it and turns errors into exit codes.

use crate::app::state::Settings;
use crate::app::{self, State};
use crate::import::{self, ClaimSummary};
use crate::model::Workspace;
use crate::report;
use crate::runtime::Session;
use crate::store::{self, Access, Disk, OpenError, Opened, StoreError};
use anyhow::{Context, Result, anyhow, bail};
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
    #[arg(long, global = true, env = "CLAIMDESK_REVIEWER", value_name = "NAME")]
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
    /// Print the manual page (roff).
    #[command(after_help = "Example:\n  claimdesk man > claimdesk.1 && man ./claimdesk.1")]
    Man,
    /// Rebuild a workspace that no longer loads from its backup (.bak) and journal.
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
            Self::Snapshot(_) | Self::Completions { .. } | Self::Man | Self::Recover => false,
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
}

impl FilterArgs {
    fn filters(&self) -> report::Filters {
        report::Filters {
            needs_review: self.needs_review,
            verdict: self.verdict,
            status: self.status.clone(),
            tag: self.tag.clone(),
            due_within: self.due_within,
            search: self.search.clone(),
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
pub struct VerdictArgs {
    /// The claim's id, or any unique prefix of it.
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
    /// The time zone the pages' times are written in (default UTC).
    #[arg(long, value_name = "+HH:MM", value_parser = parse_offset, allow_hyphen_values = true)]
    pub utc_offset: Option<chrono::FixedOffset>,
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

impl Global {
    /// PATH, else --workspace / $CLAIMDESK_WORKSPACE, else the default workspace.
    pub fn target(&self, path: Option<&Path>) -> Result<Target> {
        if let Some(p) = path.or(self.workspace.as_deref()) {
            return Ok(Target {
                path: p.to_owned(),
                is_default: false,
            });
        }
        let path = store::default_path().ok_or_else(|| {
            anyhow!("no home folder to keep the default workspace in; pass --workspace")
        })?;
        Ok(Target {
            path,
            is_default: true,
        })
    }

    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The session's settings: flags first, then the config file, then defaults.
    pub fn settings(&self) -> Result<Settings> {
        let config = Config::load()?;
        // The name goes into every review: one row of plain text, whatever was given.
        let clean = |name: String| {
            let name = crate::model::display_safe(&name).trim().to_owned();
            (!name.is_empty()).then_some(name)
        };
        let reviewer = self
            .reviewer
            .clone()
            .and_then(clean)
            .or(config.reviewer.and_then(clean))
            .or_else(|| login_name().and_then(clean))
            .unwrap_or_else(|| "reviewer".to_owned());
        Ok(Settings {
            reviewer,
            autosave: !self.no_autosave && config.autosave.unwrap_or(true),
            read_only: self.read_only,
        })
    }
}

/// The optional config file (`config.json` in the platform config folder).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    reviewer: Option<String>,
    autosave: Option<bool>,
    /// Where published ClaimReviews live (`export --format claimreview`).
    base_url: Option<String>,
}

impl Config {
    fn path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "claimdesk")
            .map(|d| d.config_dir().join("config.json"))
    }

    fn load() -> Result<Self> {
        let Some(path) = Self::path() else {
            return Ok(Self::default());
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(anyhow!(
                    "{}: cannot read the config file: {e}",
                    path.display()
                ));
            }
        };
        serde_json::from_slice(&bytes).map_err(|e| {
            anyhow!(
                "{}:{}:{}: bad config file: {e}; expected {{\"reviewer\": \"name\", \"autosave\": true, \"base_url\": \"https://…\"}}",
                path.display(),
                e.line(),
                e.column()
            )
        })
    }
}

/// The user's login name, from the environment.
fn login_name() -> Option<String> {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// Opens the target workspace: the default one is created from the sample if missing;
/// a journal left by a crash is replayed. Returns what the status bar should say.
pub fn open(target: &Target, access: Access) -> Result<(Opened, Option<String>)> {
    let sample = target.is_default.then_some(store::SAMPLE);
    let opened = Disk::open(&target.path, access, sample)
        .map_err(|e| explain_open_error(e, &target.path))?;
    let message = describe_opened(&opened, &target.path);
    Ok((opened, message))
}

/// An open error, with the way back for a workspace that no longer loads.
pub fn explain_open_error(e: OpenError, path: &Path) -> anyhow::Error {
    match e {
        OpenError::Store(e) => with_recovery_hint(path, e),
        e => e.into(),
    }
}

/// What the status bar says first about a workspace just opened.
pub fn describe_opened(opened: &Opened, path: &Path) -> Option<String> {
    let mut said = Vec::new();
    if opened.created_from_sample {
        said.push(format!(
            "Created a sample workspace at {} (the two real seed claims)",
            path.display()
        ));
    }
    if opened.recovered > 0 {
        said.push(format!(
            "Recovered {} from the journal that the last session had not saved",
            crate::model::text::count(opened.recovered, "edit")
        ));
    }
    said.extend(opened.notes.iter().cloned());
    (!said.is_empty()).then(|| said.join(" · "))
}

/// A workspace that does not load: say so, and where a way back is.
fn with_recovery_hint(path: &Path, e: StoreError) -> anyhow::Error {
    let bak = store::journal::sibling(path, "bak");
    let loadable = matches!(e, StoreError::Io { .. }) || !bak.exists();
    if loadable {
        return e.into();
    }
    anyhow!(
        "{e}\nThe file was not changed. The previous version is kept at {}; `claimdesk recover -w {}` rebuilds the workspace from it and the journal (the damaged file is kept beside it)",
        bak.display(),
        path.display()
    )
}

/// `claimdesk recover`: rebuilds a workspace that no longer loads from its `.bak` and its
/// journal; the damaged file is kept as `<workspace>.damaged-<time>`.
pub fn recover(global: &Global, path: Option<&Path>) -> Result<String> {
    let target = global.target(path)?;
    let ws_path = &target.path;
    if store::load(ws_path).is_ok() {
        bail!(
            "{}: the workspace loads fine; nothing to recover",
            ws_path.display()
        );
    }
    let _lock = store::lock::Lock::acquire(ws_path).map_err(|_| {
        anyhow!(
            "{}: the workspace is open in another claimdesk; close it first",
            ws_path.display()
        )
    })?;
    let (mut workspace, notes) = store::recover(ws_path)?;
    let damaged = store::journal::sibling(
        ws_path,
        &format!("damaged-{}", chrono::Utc::now().format("%Y%m%d%H%M%S")),
    );
    if ws_path.exists() {
        std::fs::rename(ws_path, &damaged)
            .with_context(|| format!("{}: cannot set the damaged file aside", ws_path.display()))?;
    }
    workspace.journal_seq = 0;
    store::write_atomic(ws_path, &store::to_bytes(&workspace)?)?;
    let _ = std::fs::remove_file(store::journal::path_for(ws_path));
    let mut out = format!("Recovered {} from its backup.\n", ws_path.display());
    for n in notes {
        out.push_str(&format!("  {n}\n"));
    }
    if damaged.exists() {
        out.push_str(&format!(
            "  the damaged file is kept as {}\n",
            damaged.display()
        ));
    }
    Ok(out)
}

/// `claimdesk snapshot`: the screen as plain text.
pub fn snapshot(global: &Global, path: Option<&Path>, args: &SnapshotArgs) -> Result<String> {
    let target = global.target(path)?;
    if args.wait == Wait::FirstFrame {
        // What the app draws before it reads anything.
        let total = std::fs::metadata(&target.path).map_or(0, |m| m.len());
        let state = State::new(
            Workspace::default(),
            target.path.clone(),
            global.today(),
            args.size,
        )
        .with_loading(total);
        return Ok(crate::ui::render_to_text(&state));
    }
    let (opened, message) = open(&target, Access::ReadOnly)?;
    let state = State::new(
        opened.workspace,
        target.path.clone(),
        global.today(),
        args.size,
    )
    .with_settings(global.settings()?)
    .with_message(message);
    let keys = app::keymap::parse_keys(&args.keys).map_err(|e| {
        anyhow!("--keys: {e}; names are as in the help overlay (?), and 'word types word")
    })?;
    // Edits made by replayed keys show on the screen but are never saved.
    let mut session = Session::in_memory(state);
    for key in keys {
        session.press(key);
    }
    if args.wait == Wait::Loaded {
        // Everything a search needs, ready.
        let corpus = crate::search::Corpus::of(&session.state.workspace);
        std::hint::black_box(&corpus);
    }
    let screen = crate::ui::render_to_text(&session.state);
    // The process ends right after printing: freeing hundreds of thousands of updates
    // one by one would only make it wait; the system takes the memory back at once.
    std::mem::forget(session);
    Ok(screen)
}

/// `claimdesk import`: reads every input, merges, and writes once — or not at all.
pub fn import(global: &Global, args: &ImportArgs) -> Result<String> {
    let target = global.target(None)?;
    let mut files = Vec::new();
    for input in &args.inputs {
        collect_files(input, &mut files)?;
    }
    if files.is_empty() {
        bail!("no files to import in {}", display_list(&args.inputs));
    }
    if args.id.is_some() && files.len() != 1 {
        bail!(
            "--id names one claim; give exactly one page ({} files given)",
            files.len()
        );
    }
    let defaults = import::Options::default();
    let options = import::Options {
        utc_offset: args.utc_offset.unwrap_or(defaults.utc_offset),
        id: args.id.clone(),
    };
    let mut inputs = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        let bytes = std::fs::read(file).with_context(|| format!("{name}: cannot read the file"))?;
        let text = import::decode(&name, &bytes)?;
        inputs.push(import::read(&name, &text, &options)?);
    }
    let incoming = import::assemble(inputs)?;

    // The same lock, journal and atomic save as the app.
    let exists = target.path.exists();
    let (mut workspace, mut disk, _lock) = if exists {
        let opened = Disk::open(&target.path, Access::Write, None).map_err(|e| match e {
            OpenError::Store(e) => with_recovery_hint(&target.path, e),
            e => e.into(),
        })?;
        (opened.workspace, Some(opened.disk), None)
    } else {
        if let Some(dir) = target.path.parent().filter(|d| !d.as_os_str().is_empty())
            && !args.dry_run
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
        }
        let lock = if args.dry_run {
            None
        } else {
            Some(store::lock::Lock::acquire(&target.path).map_err(|_| {
                anyhow!(
                    "{}: the workspace is being created by another claimdesk",
                    target.path.display()
                )
            })?)
        };
        (Workspace::default(), None, lock)
    };
    let before = exists.then(|| store::to_bytes(&workspace)).transpose()?;
    let summaries = import::merge(&mut workspace, incoming)?;
    let after = store::to_bytes(&workspace)?;
    let changed = before.as_deref() != Some(after.as_slice());
    let written = !args.dry_run && changed;
    if written {
        match &mut disk {
            Some(disk) => disk.save(&workspace)?,
            None => store::write_atomic(&target.path, &after)?,
        }
    }
    if args.json {
        let report = serde_json::json!({
            "workspace": target.path,
            "dry_run": args.dry_run,
            "written": written,
            "claims": summaries,
        });
        return Ok(serde_json::to_string_pretty(&report)? + "\n");
    }
    let verb = match (args.dry_run, written) {
        (true, _) => "would import into",
        (false, true) => "imported into",
        (false, false) => "nothing new for",
    };
    Ok(summary_text(&summaries, verb, &target.path))
}

fn display_list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A file as itself; a folder as its importable files, sorted by name.
fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if !meta.is_dir() {
        out.push(path.to_owned());
        return Ok(());
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(path)
        .with_context(|| format!("{}: cannot list the folder", path.display()))?
    {
        let p = entry
            .with_context(|| format!("{}: cannot list the folder", path.display()))?
            .path();
        let importable = p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "txt" | "json" | "jsonl"));
        if p.is_file() && importable {
            found.push(p);
        }
    }
    found.sort();
    out.extend(found);
    Ok(())
}

/// The human-readable import summary.
pub fn summary_text(summaries: &[ClaimSummary], verb: &str, workspace: &Path) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {verb} {}",
        crate::model::text::count(summaries.len(), "claim"),
        workspace.display()
    );
    for s in summaries {
        let title: String = s.title.chars().take(72).collect();
        let ellipsis = if s.title.chars().count() > 72 {
            "…"
        } else {
            ""
        };
        let _ = writeln!(out, "\n{}  {}{}", s.id, title, ellipsis);
        let _ = writeln!(
            out,
            "  from       {}{}",
            s.file,
            if s.new_claim { " (new claim)" } else { "" }
        );
        let statuses: Vec<String> = s.statuses.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(
            out,
            "  updates    {} new / {} total ({})",
            s.updates_new,
            s.updates_total,
            statuses.join(", ")
        );
        if let (Some(o), Some(n)) = (s.oldest_update, s.newest_update) {
            let _ = writeln!(
                out,
                "             oldest {}, newest {}",
                o.format("%Y-%m-%d %H:%M"),
                n.format("%Y-%m-%d %H:%M")
            );
        }
        let _ = writeln!(
            out,
            "  follow-ups {} new / {} total",
            s.follow_ups_new, s.follow_ups_total
        );
        let date = |d: Option<NaiveDate>| d.map_or("—".to_owned(), |d| d.to_string());
        let _ = writeln!(out, "  due        {}", date(s.completion_due));
        let _ = writeln!(out, "  article    {}", date(s.article_published));
        for note in &s.notes {
            let _ = writeln!(out, "  note       {note}");
        }
    }
    out
}

/// Opens the workspace for reading (no lock; the journal's edits included).
fn read_workspace(global: &Global, path: Option<&Path>) -> Result<Workspace> {
    let target = global.target(path)?;
    Ok(open(&target, Access::ReadOnly)?.0.workspace)
}

/// `claimdesk list`.
pub fn list(global: &Global, path: Option<&Path>, args: &ListArgs) -> Result<String> {
    let ws = read_workspace(global, path)?;
    let today = global.today();
    let filters = args.filters.filters();
    report::check_filters(&ws, &filters).map_err(|e| anyhow!("--status: {e}"))?;
    let selected = report::select(&ws, &filters, today);
    Ok(if args.json {
        report::list_json(&selected, today)
    } else {
        report::list_text(&selected, &report::ShortIds::of(&ws), today)
    })
}

/// `claimdesk show`.
pub fn show(global: &Global, path: Option<&Path>, args: &ShowArgs) -> Result<String> {
    let ws = read_workspace(global, path)?;
    let claim = report::resolve(&ws, &args.id).map_err(|e| anyhow!(e))?;
    let today = global.today();
    Ok(if args.json {
        report::show_json(claim, today, args.updates)
    } else {
        report::show_text(claim, today, args.updates)
    })
}

/// `claimdesk due`.
pub fn due(global: &Global, path: Option<&Path>, args: &DueArgs) -> Result<String> {
    let ws = read_workspace(global, path)?;
    let today = global.today();
    let all = report::select(&ws, &report::Filters::default(), today);
    let items = report::due(&all, today, args.within.max(0));
    Ok(if args.json {
        report::due_json(&items)
    } else {
        report::due_text(&items, &report::ShortIds::of(&ws))
    })
}

/// `claimdesk verdict`: the app's own path — the same action, journal, lock and atomic
/// save as a verdict recorded on the screen.
pub fn verdict(global: &Global, path: Option<&Path>, args: &VerdictArgs) -> Result<String> {
    let target = global.target(path)?;
    let mut settings = global.settings()?;
    if settings.read_only {
        bail!("--read-only: a verdict cannot be recorded");
    }
    // A verdict from the command line is saved before the command returns.
    settings.autosave = true;
    let (opened, _) = open(&target, Access::Write)?;
    let claim = report::resolve(&opened.workspace, &args.id).map_err(|e| anyhow!(e))?;
    let (id, title) = (claim.id.clone(), claim.title.clone());
    let short = report::ShortIds::of(&opened.workspace).get(&id).to_owned();
    let reviews_before = claim.reviews.len();
    let state = State::new(
        opened.workspace,
        target.path.clone(),
        global.today(),
        (80, 24),
    )
    .with_settings(settings);
    let mut session = Session::new(state, opened.disk);
    session.dispatch(app::Action::RecordVerdict {
        claim: id.clone(),
        verdict: args.verdict,
        note: args.note.clone(),
    });
    let state = &session.state;
    let review = state
        .workspace
        .claim(&id)
        .filter(|c| c.reviews.len() > reviews_before)
        .and_then(|c| c.reviews.last())
        .ok_or_else(|| anyhow!("{}", state.message.clone().unwrap_or_default()))?;
    if let Some(e) = &state.save.error {
        bail!("{}: the verdict was not saved: {e}", target.path.display());
    }
    Ok(if args.json {
        serde_json::to_string_pretty(&serde_json::json!({ "claim": id, "review": review }))? + "\n"
    } else {
        format!(
            "Recorded verdict {} on {} ({}) as {}\n",
            review.verdict,
            short,
            crate::wrap::truncate(&title, 60),
            review.reviewer
        )
    })
}

/// `claimdesk export`.
pub fn export(global: &Global, path: Option<&Path>, args: &ExportArgs) -> Result<String> {
    let ws = read_workspace(global, path)?;
    let today = global.today();
    let filters = args.filters.filters();
    report::check_filters(&ws, &filters).map_err(|e| anyhow!("--status: {e}"))?;
    let selected = report::select(&ws, &filters, today);
    let text = match args.format {
        ExportFormat::Claimreview => {
            let base = match &args.base_url {
                Some(b) => b.clone(),
                None => Config::load()?.base_url.ok_or_else(|| {
                    anyhow!("ClaimReview needs the URL the reviews are published under: --base-url URL (or \"base_url\" in the config file)")
                })?,
            };
            report::export::claimreview(&selected, &base)
        }
        ExportFormat::Csv => report::export::csv(&selected)?,
        ExportFormat::Markdown => report::export::markdown(&selected, today),
        ExportFormat::Ics => report::export::ics(&selected, chrono::Utc::now()),
    };
    match &args.output {
        Some(out) => {
            store::write_atomic(out, text.as_bytes())?;
            Ok(String::new())
        }
        None => Ok(text),
    }
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

/// `claimdesk completions`.
pub fn completions(shell: clap_complete::Shell) -> String {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "claimdesk", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// `claimdesk man`.
pub fn man() -> Result<String> {
    use clap::CommandFactory;
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}
