//! The headless commands: each opens the workspace through the store, works through the
//! same paths as the app, and returns the text to print; `main` prints it.

use super::args::*;
use crate::app::{self, State};
use crate::config::Config;
use crate::import::{self, ClaimSummary};
use crate::model::{Workspace, text};
use crate::report;
use crate::runtime::Session;
use crate::store::{self, Access, Disk, OpenError, Opened, StoreError};
use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
/// Opens the target workspace: the default one is created from the sample if missing;
/// a journal left by a crash is replayed. Returns what the status bar should say.
pub fn open(target: &Target, access: Access) -> Result<(Opened, Option<String>)> {
    let sample = target.is_default.then_some(store::SAMPLE);
    let opened = Disk::open(&target.path, access, sample).map_err(|e| match e {
        // A command that writes cannot do its work read-only: say what to do instead.
        OpenError::Locked { path, holder } => anyhow!(
            "{}: the workspace is open in {}; close it there, then run this again",
            path.display(),
            holder.map_or_else(|| "another claimdesk".to_owned(), |h| h.to_string())
        ),
        e => explain_open_error(e, &target.path),
    })?;
    let message = describe_opened(&opened, &target.path);
    // A command says what the journal did (edits replayed, skipped, applied again): a
    // script never learns of it otherwise.
    if opened.recovered > 0 || !opened.notes.is_empty() {
        warn(&format!(
            "{}: {}",
            target.path.display(),
            message.as_deref().unwrap_or_default()
        ));
    }
    Ok((opened, message))
}

/// Every word on standard error: `claimdesk: what`, with control and bidi characters
/// made visible, so that nothing read from a file or a flag can act on the terminal, and
/// no database URL's password in it, however it got there.
pub fn warn(text: &str) {
    use std::io::Write;
    let text = crate::model::text::visible(&store::pg::redact(text));
    let _ = writeln!(std::io::stderr(), "claimdesk: {}", text.trim_end());
}

/// The error and its causes, each said once: a cause whose words the message already
/// holds (an OS error quoted in it) is not repeated. How every failure is worded, in the
/// app and on the command line.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let said = cause.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
    }
    text
}

/// An open error, with the way back for a workspace that no longer loads.
pub fn explain_open_error(e: OpenError, path: &Path) -> anyhow::Error {
    match e {
        OpenError::Store(e) => with_recovery_hint(path, e),
        e => e.into(),
    }
}

/// What the status bar says first about a workspace just opened.
/// `claimdesk keys`: every action's name and keys, by scope, with the config applied;
/// then what the config file could not apply.
pub fn keys(global: &Global) -> String {
    use crate::app::keymap::Scope;
    let (settings, problems) = global.settings();
    let keymap = &settings.keymap;
    let mut out = match Config::load().config.path {
        Some(path) => format!("Keys as {} leaves them.\n", path.display()),
        None => match Config::folder() {
            Some(folder) => format!(
                "No config file; the keys are the defaults. A [keys] table in {} rebinds them.\n",
                folder.join("config.toml").display()
            ),
            None => "No config folder; the keys are the defaults.\n".to_owned(),
        },
    };
    for scope in Scope::ALL {
        out.push_str(&format!("\n{} ({})\n", scope.title(), scope.slug()));
        for b in keymap.of(scope) {
            let Some(name) = b.action.name() else {
                continue;
            };
            let keys = if b.keys.is_empty() {
                "(unbound)".to_owned()
            } else {
                b.keys.join(" ")
            };
            out.push_str(&format!("  {name:<20} {keys:<18} {}\n", keymap.describe(b)));
        }
    }
    for problem in &problems {
        out.push_str(&format!("\nLeft out: {problem}"));
    }
    if !problems.is_empty() {
        out.push('\n');
    }
    out
}

/// The status bar's word on a config file with entries left out: the first, and how many
/// more (`claimdesk keys` and stderr of any command name them all).
pub fn config_note(problems: &[crate::config::Problem]) -> Option<String> {
    let first = problems.first()?;
    Some(match problems.len() {
        1 => format!("Config: {first}"),
        n => format!("Config: {first} (and {} more)", n - 1),
    })
}

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
    if let Location::Database(url) = global.location(path)? {
        return diagnose_database(&url);
    }
    let target = global.target(path)?;
    let ws_path = &target.path;
    let recovered = store::recover_in_place(ws_path).map_err(|e| match e {
        OpenError::Locked { .. } => anyhow!(
            "{}: the workspace is open in another claimdesk; close it first",
            ws_path.display()
        ),
        e => e.into(),
    })?;
    let mut out = format!("Recovered {} from its backup.\n", ws_path.display());
    for n in &recovered.notes {
        out.push_str(&format!("  {n}\n"));
    }
    if let Some(damaged) = &recovered.damaged {
        out.push_str(&format!(
            "  the damaged file is kept as {}\n",
            damaged.display()
        ));
    }
    if recovered.lost.is_empty() {
        return Ok(out);
    }
    // Written, but not whole: said, each edit named, and no success.
    out.push_str(&format!(
        "  NOT RESTORED ({}), look for them in the damaged file or make them again:\n",
        text::count(recovered.lost.len(), "edit")
    ));
    for l in &recovered.lost {
        out.push_str(&format!("    {l}\n"));
    }
    Err(anyhow!("{}", out.trim_end()))
}

/// `claimdesk recover` on a database: the server keeps it (there is no backup to rebuild
/// from here), so this says what state it and this machine's side of it are in, and
/// what to do about anything wrong: the tables' version and rows, any row that does not
/// read, the verdicts queued here or refused, the last local copy.
fn diagnose_database(url: &store::pg::Url) -> Result<String> {
    use std::fmt::Write;
    let mut pg = store::pg::Pg::connect(url)?;
    let health = pg.health()?;
    let shown = url.to_string();
    let mut out = format!(
        "{shown}: the tables are at migration {} of {}; {}, {}, {}, {}\n",
        health.migration,
        health.known,
        text::count(health.counts.claims, "claim"),
        text::count(health.counts.updates, "update"),
        text::count(health.counts.follow_ups, "follow-up"),
        text::count(health.counts.reviews, "review"),
    );
    let off = pg.summaries_off()?;
    for line in &off {
        let _ = writeln!(out, "  {line}");
    }
    match pg.load() {
        Ok(_) if off.is_empty() => {
            out.push_str("  every row reads as claimdesk writes it: nothing to recover\n")
        }
        Ok(_) => out.push_str("  every row reads as claimdesk writes it\n"),
        Err(e) => {
            let _ = writeln!(
                out,
                "  the workspace does not read: {}\n  fix or delete that row with psql (the app and every command refuse the workspace until then); a copy made before (`claimdesk copy {shown} FILE`) has the row as it was",
                e.reason()
            );
        }
    }
    let queued = store::outbox::Outbox::peek(&shown);
    match (queued.len(), store::outbox::queue_path(&shown)) {
        (0, _) => out.push_str("  no verdict of this machine waits for the server\n"),
        (n, Some(path)) => {
            let _ = writeln!(
                out,
                "  {} queued on this machine, not yet on the server ({}): the app sends them when it next opens {shown}",
                text::count(n, "verdict"),
                path.display()
            );
        }
        (n, None) => {
            let _ = writeln!(
                out,
                "  {} queued on this machine",
                text::count(n, "verdict")
            );
        }
    }
    if let Some(path) = store::outbox::queue_path(&shown)
        .map(|q| store::journal::sibling(&q, "refused"))
        .filter(|p| p.exists())
    {
        let lines = std::fs::read_to_string(&path).map_or(0, |t| t.lines().count());
        let _ = writeln!(
            out,
            "  {} the server refused, kept in {}: record them again once the reason is mended",
            text::count(lines, "verdict"),
            path.display()
        );
    }
    match store::outbox::copy_path(&shown).and_then(|p| {
        let when = std::fs::metadata(&p).ok()?.modified().ok()?;
        Some((p, when))
    }) {
        Some((p, when)) => {
            let when = chrono::DateTime::<chrono::Local>::from(when).format("%Y-%m-%d %H:%M");
            let _ = writeln!(
                out,
                "  the last local copy, from {when}: {} (the app opens it read-only when the server cannot be reached)",
                p.display()
            );
        }
        None => out.push_str("  no local copy on this machine yet (the app keeps one each time it opens the database)\n"),
    }
    Ok(out)
}

/// `claimdesk snapshot`: the screen as plain text.
pub fn snapshot(global: &Global, path: Option<&Path>, args: &SnapshotArgs) -> Result<String> {
    if let Location::Database(url) = global.location(path)? {
        // As the app reads it: the claim list first, then the updates of the claim on
        // screen (every claim's, for `--wait loaded`).
        let mut pg = store::pg::Pg::connect(&url)?;
        let workspace = match args.wait {
            Wait::Loaded => pg.load()?,
            _ => pg.heads(&store::pg::Bodies::new())?.0,
        };
        let mut settings = global.settings_or_say();
        settings.database = true;
        let state = State::new(workspace, url.to_string().into(), global.today(), args.size)
            .with_settings(settings);
        return screen_after_keys(state, args, |session| {
            let Some(id) = session
                .state
                .awaiting()
                .and(session.state.selected_claim())
                .map(|c| c.id.clone())
            else {
                return Ok(());
            };
            let read = pg.bodies(&[id])?;
            session.dispatch(app::Action::Desk(app::action::Desk::Updates(read)));
            Ok(())
        });
    }
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
    .with_settings(global.settings_or_say())
    .with_message(message);
    screen_after_keys(state, args, |_| Ok(()))
}

/// The screen `state` shows once `--keys` are pressed (edits they make are never kept);
/// `fill` reads what the claim on screen still lacks, before the keys and after them.
fn screen_after_keys(
    state: State,
    args: &SnapshotArgs,
    mut fill: impl FnMut(&mut Session) -> Result<()>,
) -> Result<String> {
    let keys = app::keymap::parse_keys(&args.keys).map_err(|e| {
        anyhow!("--keys: {e}; names are as in the help overlay (?), and 'word types word")
    })?;
    // Edits made by replayed keys show on the screen but are never saved.
    let mut session = Session::in_memory(state);
    fill(&mut session)?;
    for key in keys {
        session.press(key);
    }
    fill(&mut session)?;
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
    let location = global.location(None)?;
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
    let clock = match (args.utc_offset, args.as_stored_clock) {
        (Some(zone), _) => import::Clock::AsWritten(zone),
        (None, true) => import::Clock::AsWritten(chrono::Offset::fix(&chrono::Utc)),
        (None, false) => import::Clock::FollowUp,
    };
    let options = import::Options {
        clock,
        id: args.id.clone(),
    };
    let mut inputs = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        let bytes = import::read_file(file)?;
        let text = import::decode(&name, &bytes)?;
        inputs.push(import::read(&name, &text, &options)?);
    }
    let incoming = import::assemble(inputs)?;
    let (place, imported) = match &location {
        Location::File(target) => (
            target.path.display().to_string(),
            import_into_file(target, args, incoming)?,
        ),
        Location::Database(url) => (url.to_string(), import_into_database(url, args, incoming)?),
    };
    let Imported {
        summaries,
        changed,
        written,
    } = imported;
    if args.json {
        let report = serde_json::json!({
            "workspace": place,
            "dry_run": args.dry_run,
            "written": written,
            "clock": clock.describe(),
            "claims": summaries,
        });
        return Ok(serde_json::to_string_pretty(&report)? + "\n");
    }
    // A claim read from two inputs (its page and an export) is one claim.
    let distinct: std::collections::HashSet<&str> =
        summaries.iter().map(|s| s.id.as_str()).collect();
    let claims = crate::model::text::count(distinct.len(), "claim");
    let heading = match (changed, args.dry_run) {
        (false, _) => format!("Nothing new for {place} ({claims} read, all there already)"),
        (true, true) => format!("{claims} would be imported into {place}"),
        (true, false) => format!("{claims} imported into {place}"),
    };
    let heading = format!("{heading}\n{}", clock.describe());
    Ok(summary_text(&summaries, &heading))
}

/// What an import did: each claim's summary, whether the workspace changed, whether it
/// was written (not on a dry run).
struct Imported {
    summaries: Vec<ClaimSummary>,
    changed: bool,
    written: bool,
}

/// Merges what was read into a workspace, the one way for a file and a database: the
/// tracker's stored clock refused where the workspace holds corrected times, the ids
/// checked as the loader checks them. Returns the summaries and whether anything changed.
fn merge_into(
    workspace: &mut Workspace,
    incoming: Vec<import::Incoming>,
    args: &ImportArgs,
    place: &Path,
) -> Result<(Vec<ClaimSummary>, bool)> {
    // Stored times into a workspace that holds them corrected would be every update again,
    // 5 hours later.
    if args.as_stored_clock && workspace.extra.get(import::TRACKER_CLOCK).is_some() {
        bail!(
            "{}: this workspace holds The FollowUp's times corrected; importing them as stored would add every update again 5 hours later. Import without --as-stored-clock, or into another workspace",
            place.display()
        );
    }
    let before = store::to_bytes(workspace)?;
    let summaries = import::merge(workspace, incoming)?;
    // What an import writes, the loader reads: a claim id it would refuse stops it here.
    store::load::check_ids(place, workspace)?;
    let changed = before != store::to_bytes(workspace)?;
    Ok((summaries, changed))
}

/// `import` into a workspace file: the same lock, journal and atomic save as the app.
fn import_into_file(
    target: &Target,
    args: &ImportArgs,
    incoming: Vec<import::Incoming>,
) -> Result<Imported> {
    let exists = target.path.exists();
    let (mut workspace, mut disk, _lock) = if exists {
        // A dry run changes nothing beside the file either: no lock, no journal.
        let access = if args.dry_run {
            Access::ReadOnly
        } else {
            Access::Write
        };
        let (opened, _) = open(target, access)?;
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
    let (summaries, changed) = merge_into(&mut workspace, incoming, args, &target.path)?;
    // A new file is written even when nothing came in: the import made it.
    let changed = changed || !exists;
    let written = !args.dry_run && changed;
    if written {
        match &mut disk {
            Some(disk) => {
                // The journal notes the import, which is in the file the save writes and
                // not in the journal: a rebuild from an older `.bak` names it.
                let files = args
                    .inputs
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                let count = summaries.len();
                disk.record(&crate::model::Edit::Import { files, count })
                    .with_context(|| {
                        format!("{}: cannot write the journal", target.path.display())
                    })?;
                if let Some(warning) = disk.save(&workspace)? {
                    warn(&format!("{}: {warning}", target.path.display()));
                }
            }
            None => store::write_atomic(&target.path, &store::to_bytes(&workspace)?)?,
        }
    }
    Ok(Imported {
        summaries,
        changed,
        written,
    })
}

/// `import` into a database: the same merge, in one transaction that keeps every other
/// writer out meanwhile.
fn import_into_database(
    url: &store::pg::Url,
    args: &ImportArgs,
    incoming: Vec<import::Incoming>,
) -> Result<Imported> {
    let mut pg = store::pg::Pg::connect(url)?;
    let place = url.to_string();
    if args.dry_run {
        // A dry run only reads: no lock that would hold reviewers' verdicts back.
        let mut workspace = match pg.load() {
            Err(store::pg::PgError::NoWorkspace { .. }) => Workspace::default(),
            loaded => loaded?,
        };
        let (summaries, changed) = merge_into(&mut workspace, incoming, args, Path::new(&place))?;
        return Ok(Imported {
            summaries,
            changed,
            written: false,
        });
    }
    let mut merged = None;
    pg.rewrite(|workspace| -> Result<bool> {
        let (summaries, changed) = merge_into(workspace, incoming, args, Path::new(&place))?;
        merged = Some((summaries, changed));
        Ok(changed)
    })?;
    let (summaries, changed) = merged.ok_or_else(|| anyhow!("{place}: nothing was merged"))?;
    Ok(Imported {
        summaries,
        changed,
        written: changed,
    })
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
pub fn summary_text(summaries: &[ClaimSummary], heading: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "{heading}");
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
    read_location(&global.location(path)?)
}

/// The workspace a file or a database holds, read the way the app reads it.
fn read_location(location: &Location) -> Result<Workspace> {
    match location {
        Location::File(target) => Ok(open(target, Access::ReadOnly)?.0.workspace),
        Location::Database(url) => Ok(store::pg::Pg::connect(url)?.load()?),
    }
}

/// `claimdesk copy FROM TO`: a whole workspace from a file or a database to a file or a
/// database. Into a database, in one transaction and only where none is yet; into a file,
/// atomically, replacing one only with --force.
pub fn copy(args: &CopyArgs) -> Result<String> {
    let from = Location::of(Path::new(&args.from))?;
    let to = Location::of(Path::new(&args.to))?;
    let mut workspace = read_location(&from)?;
    // The copy is a workspace of its own: the source file's journal is not its journal.
    workspace.journal_seq = 0;
    workspace.workspace_id = None;
    let counts = store::pg::Counts::of(&workspace);
    match &to {
        Location::Database(url) => {
            store::pg::Pg::connect(url)?.copy_in(&workspace)?;
        }
        Location::File(target) => {
            let path = &target.path;
            let journal = store::journal::path_for(path);
            if (path.exists() || journal.exists()) && !args.force {
                bail!(
                    "{}: there is a workspace there already; --force replaces it",
                    path.display()
                );
            }
            // Not under an app that has the file open; and the replaced file's journal,
            // whose edits were for it, is set aside so that it is never replayed into
            // the copy.
            let _lock = store::lock::Lock::acquire(path).map_err(|_| {
                anyhow!(
                    "{}: the workspace is open in another claimdesk; close it, then copy again",
                    path.display()
                )
            })?;
            if journal.exists() {
                let when = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
                let aside = store::journal::sibling(path, &format!("journal.replaced-{when}"));
                std::fs::rename(&journal, &aside).with_context(|| {
                    format!("{}: cannot set the journal aside", journal.display())
                })?;
            }
            store::save(path, &workspace)?;
        }
    }
    let place = |l: &Location| match l {
        Location::File(t) => t.path.display().to_string(),
        Location::Database(url) => url.to_string(),
    };
    Ok(format!(
        "Copied {} ({}, {}, {}) from {} to {}\n",
        text::count(counts.claims, "claim"),
        text::count(counts.updates, "update"),
        text::count(counts.follow_ups, "follow-up"),
        text::count(counts.reviews, "review"),
        place(&from),
        place(&to)
    ))
}

/// The claims the filters of `list` and `export` select, once the filters are known to
/// mean something in this workspace.
fn filtered<'a>(
    ws: &'a Workspace,
    args: &FilterArgs,
    today: NaiveDate,
) -> Result<Vec<report::Selected<'a>>> {
    let filters = args.filters();
    report::check_filters(ws, &filters).map_err(|e| anyhow!("--status: {e}"))?;
    Ok(report::select(ws, &filters, today))
}

/// `claimdesk list`.
pub fn list(global: &Global, path: Option<&Path>, args: &ListArgs) -> Result<String> {
    let ws = read_workspace(global, path)?;
    let today = global.today();
    let selected = filtered(&ws, &args.filters, today)?;
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

/// On a database each reviewer connects as their own role: unless `--reviewer` or the
/// config names the reviewer, the role's name is the name on their verdicts.
pub fn role_as_reviewer(
    global: &Global,
    url: &store::pg::Url,
    settings: &mut crate::app::state::Settings,
) {
    let named = global.reviewer.is_some() || Config::load().config.reviewer.is_some();
    if !named && let Some(role) = url.user().and_then(crate::config::reviewer_name) {
        settings.reviewer = role;
    }
}

/// `claimdesk verdict` on a database: the review is made by the app's own action, as on
/// a file, and recorded as a row of its own, the way the app on a database records it.
fn verdict_in_database(
    global: &Global,
    url: &store::pg::Url,
    mut settings: crate::app::state::Settings,
    args: &VerdictArgs,
) -> Result<String> {
    role_as_reviewer(global, url, &mut settings);
    let mut pg = store::pg::Pg::connect(url)?;
    let workspace = pg.load()?;
    let claim = report::resolve(&workspace, &args.id).map_err(|e| anyhow!(e))?;
    let (id, title) = (claim.id.clone(), claim.title.clone());
    let short = report::ShortIds::of(&workspace).get(&id).to_owned();
    let mut state = State::new(workspace, url.to_string().into(), global.today(), (80, 24))
        .with_settings(settings);
    let effects = app::update(
        &mut state,
        app::Action::RecordVerdict {
            claim: id.clone(),
            verdict: args.verdict,
            note: args.note.clone(),
        },
    );
    let edit = effects
        .into_iter()
        .find_map(|e| match e {
            app::Effect::Record(edit) => Some(edit),
            _ => None,
        })
        .ok_or_else(|| anyhow!("{}", state.message.clone().unwrap_or_default()))?;
    let crate::model::Edit::AddReview { review, .. } = &edit else {
        bail!("{url}: the verdict was not made");
    };
    pg.record(&edit)?;
    recorded(args, &id, &short, &title, review)
}

/// What `verdict` says once the review is recorded.
fn recorded(
    args: &VerdictArgs,
    id: &str,
    short: &str,
    title: &str,
    review: &crate::model::Review,
) -> Result<String> {
    Ok(if args.json {
        serde_json::to_string_pretty(&serde_json::json!({ "claim": id, "review": review }))? + "\n"
    } else {
        format!(
            "Recorded verdict {} on {} ({}) as {}\n",
            review.verdict,
            short,
            crate::wrap::truncate(title, 60),
            review.reviewer
        )
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
    let (mut settings, problems) = global.settings();
    if let Some(problem) = problems.first().filter(|_| global.reviewer.is_none()) {
        // A verdict names its reviewer: one recorded under a name the file did not mean to
        // give is worse than none.
        bail!("{problem}; fix the config file (or pass --reviewer) to record a verdict");
    }
    if settings.read_only {
        bail!("--read-only: a verdict cannot be recorded");
    }
    // A verdict from the command line is saved before the command returns.
    settings.autosave = true;
    let target = match global.location(path)? {
        Location::File(target) => target,
        Location::Database(url) => return verdict_in_database(global, &url, settings, args),
    };
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
        if let Some(journal) = state
            .save
            .journal_error
            .as_ref()
            .filter(|_| state.save.in_memory_only > 0)
        {
            bail!("the verdict was not recorded: {journal}; and the save failed: {e}");
        }
        // In the journal, synced: recorded, and the next open or save folds it in. Said
        // so, and a success, so that a script does not record it twice.
        warn(&format!(
            "{}: the workspace file was not saved ({e}); the verdict is recorded in {} and the next open puts it in",
            target.path.display(),
            store::journal::path_for(&target.path).display()
        ));
    }
    if let Some(w) = &state.save.warning {
        warn(&format!("{}: {w}", target.path.display()));
    }
    recorded(args, &id, &short, &title, review)
}

/// `claimdesk export`.
pub fn export(global: &Global, path: Option<&Path>, args: &ExportArgs) -> Result<String> {
    let ws = read_workspace(global, path)?;
    let today = global.today();
    let selected = filtered(&ws, &args.filters, today)?;
    let text = match args.format {
        ExportFormat::Claimreview => {
            let base = match &args.base_url {
                Some(b) => b.clone(),
                None => Config::load().config.base_url.ok_or_else(|| {
                    anyhow!("ClaimReview needs the URL the reviews are published under: --base-url URL (or \"base_url\" in the config file)")
                })?,
            };
            if !report::export::is_web_url(&base) {
                bail!("the base URL must be an http:// or https:// address, not {base:?}");
            }
            report::export::claimreview(&selected, &base, args.include_disputed)
        }
        ExportFormat::Csv => report::export::csv(&selected)?,
        ExportFormat::Markdown => report::export::markdown(&selected, today),
        ExportFormat::Ics => report::export::ics(&selected, chrono::Utc::now()),
    };
    match &args.output {
        Some(out) => {
            refuse_workspace_files(out, &global.target(path)?.path)?;
            store::write_output(out, text.as_bytes())?;
            Ok(String::new())
        }
        None => Ok(text),
    }
}

/// An export never overwrites the workspace or the files beside it that keep it safe.
fn refuse_workspace_files(out: &Path, workspace: &Path) -> Result<()> {
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| store::real_path(p));
    let out_real = real(out);
    for (what, p) in [
        ("the workspace", workspace.to_owned()),
        ("its journal", store::journal::path_for(workspace)),
        ("its backup", store::journal::sibling(workspace, "bak")),
        ("its lock", store::journal::sibling(workspace, "lock")),
    ] {
        if real(&p) == out_real {
            bail!(
                "{}: that is {what} ({}); give --output another file",
                out.display(),
                workspace.display()
            );
        }
    }
    // Nor a damaged copy `recover` or the journal kept aside.
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let kept = [
        store::journal::sibling(workspace, "damaged-"),
        store::journal::sibling(&store::journal::path_for(workspace), "damaged-"),
    ];
    if out_real.parent() == real(workspace).parent()
        && let Some(out_name) = name(&out_real)
        && kept
            .iter()
            .filter_map(|k| name(k))
            .any(|k| out_name.starts_with(&k))
    {
        bail!(
            "{}: that is a damaged copy kept beside {}; give --output another file",
            out.display(),
            workspace.display()
        );
    }
    Ok(())
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
