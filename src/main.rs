//! The `claimdesk` binary: parses the command line, runs the command, prints what it
//! returns and turns errors into a message and a non-zero exit code.
use claimdesk::app::State;
use claimdesk::cli::{self, Cli, Command};
use claimdesk::model::Workspace;
use claimdesk::runtime::Session;
use claimdesk::store::Access;
use claimdesk::tui::{self, Exit};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let parsed = Cli::try_parse();
    // Read: from now on `ps` shows no password given on the command line.
    arguments::hide_secrets();
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => fail(&cli::error_text(&e)),
    }
}

/// The app on a database workspace: loaded before the screen comes up, kept live with
/// colleagues' work; each verdict is queued on this machine, then sent. With the server
/// away at start, the last local copy opens read-only, and it is said why.
fn open_app_on_database(cli: &Cli, url: &claimdesk::store::pg::Url) -> anyhow::Result<ExitCode> {
    use claimdesk::runtime::Desk;
    let (mut settings, problems) = cli.global.settings();
    cli::role_as_reviewer(&cli.global, url, &mut settings);
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let config = cli::config_note(&problems);
    let with_config = |text: String| match &config {
        Some(note) => format!("{note} · {text}"),
        None => text,
    };
    // Verdicts queued on this machine while it runs from the last local copy.
    let mut queued_offline = 0;
    let mut session = match Desk::open(url) {
        Ok(opened) => {
            let state = State::new(
                opened.workspace.clone(),
                url.to_string().into(),
                cli.global.today(),
                size,
            )
            .with_settings(settings);
            let mut session = Session::desk(state, opened);
            if session.state.message().is_none() {
                session.dispatch(claimdesk::app::Action::Notify(with_config(format!(
                    "{url}: each verdict and edit goes to the database as it is made"
                ))));
            }
            session
        }
        Err(e) if e.may_go_in_later() => {
            let Some(copy) = claimdesk::runtime::last_copy(url) else {
                anyhow::bail!(
                    "{e}\nclaimdesk could not connect, and this machine has no copy of the workspace yet (one is kept each time claimdesk opens it). Try again once it can."
                );
            };
            let copy = copy.map_err(|why| {
                anyhow::anyhow!("{e}\nThe last local copy cannot be read either: {why}")
            })?;
            let when = chrono::DateTime::<chrono::Local>::from(copy.when).format("%Y-%m-%d %H:%M");
            settings.read_only = true;
            settings.database = true;
            let mut state = State::new(
                copy.workspace,
                url.to_string().into(),
                cli.global.today(),
                size,
            )
            .with_settings(settings);
            state.offline = Some(format!(
                "last local copy, from {when}; could not connect ({}); open again to record",
                e.reason()
            ));
            let mut session = Session::in_memory(state);
            queued_offline = copy.queued;
            if copy.queued > 0 {
                session.dispatch(claimdesk::app::Action::Desk(
                    claimdesk::app::action::Desk::Sent {
                        sent: 0,
                        queued: copy.queued,
                        away: Some(e.reason()),
                        refused: Vec::new(),
                    },
                ));
            }
            let why = session.state.read_only_reason().unwrap_or_default();
            session.dispatch(claimdesk::app::Action::Notify(with_config(why)));
            session
        }
        Err(e) => return Err(e.into()),
    };
    session = session.with_background_work();
    let exit = tui::run(&mut session)?;
    let unconfirmed = session.unconfirmed();
    if unconfirmed > 0 {
        cli::warn(&format!(
            "{} to a title, tags or a follow-up had no answer from the server when claimdesk quit: it may not have gone in; open {url} again to see",
            claimdesk::model::text::count(unconfirmed, "edit")
        ));
    }
    let queued = session.queued().max(queued_offline);
    if queued > 0 {
        let at = session
            .queue_path()
            .map_or_else(String::new, |p| format!(" (kept in {})", p.display()));
        cli::warn(&format!(
            "{} queued, not yet on the server{at}: sent the next time claimdesk opens {url}",
            claimdesk::model::text::count(queued, "verdict")
        ));
    }
    Ok(match exit {
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Signal(n) => ExitCode::from(128u8.saturating_add(n as u8)),
    })
}

/// Every failure ends the same way: `claimdesk: what happened`, exit code 1.
fn fail(text: &str) -> ExitCode {
    cli::warn(text);
    ExitCode::from(1)
}

/// `--help` and `--version` print as clap writes them; a mistake on the command line is
/// a failure like any other.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let rendered = e.render().to_string();
    let text = rendered.strip_prefix("error: ").unwrap_or(&rendered);
    fail(text)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // What the config file could not set is said on stderr by every command that does
    // not say it another way: the app in its status bar, `keys` in its output, `snapshot`
    // as it starts, `verdict` by refusing (unless --reviewer names the reviewer).
    let says_it_itself = match &cli.command {
        None | Some(Command::Keys | Command::Snapshot(_)) => true,
        Some(Command::Completions { .. } | Command::Man) => true,
        Some(Command::Verdict(_)) => cli.global.reviewer.is_none(),
        Some(_) => false,
    };
    if !says_it_itself {
        let _ = cli.global.settings_or_say();
    }
    let text = match &cli.command {
        Some(Command::Snapshot(args)) => cli::snapshot(&cli.global, cli.path.as_deref(), args)?,
        Some(Command::Recover) => cli::recover(&cli.global, cli.path.as_deref())?,
        Some(Command::List(args)) => cli::list(&cli.global, cli.path.as_deref(), args)?,
        Some(Command::Show(args)) => cli::show(&cli.global, cli.path.as_deref(), args)?,
        Some(Command::Due(args)) => cli::due(&cli.global, cli.path.as_deref(), args)?,
        Some(Command::Verdict(args)) => cli::verdict(&cli.global, cli.path.as_deref(), args)?,
        Some(Command::Export(args)) => cli::export(&cli.global, cli.path.as_deref(), args)?,
        Some(Command::Completions { shell }) => cli::completions(*shell),
        Some(Command::Man) => cli::man()?,
        Some(Command::Keys) => cli::keys(&cli.global),
        Some(Command::Copy(args)) => cli::copy(args)?,
        Some(Command::Import(args)) => {
            if cli.path.is_some() {
                anyhow::bail!("give the workspace with --workspace when importing");
            }
            cli::import(&cli.global, args)?
        }
        None => return open_app(&cli),
    };
    // The output boundary: text for people is cleaned of escape sequences, control
    // characters and bidi overrides, as the screen is. JSON is left as serde_json wrote it
    // (every control character already escaped), and so are the shell scripts and roff.
    let text = match &cli.command {
        Some(Command::Completions { .. } | Command::Man) => text,
        Some(command) if command.prints_json() => claimdesk::model::text::json_output(&text),
        _ => claimdesk::model::text::output(&text),
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`claimdesk snapshot | head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(ExitCode::SUCCESS)
}

fn open_app(cli: &Cli) -> anyhow::Result<ExitCode> {
    if let cli::Location::Database(url) = cli.global.location(cli.path.as_deref())? {
        return open_app_on_database(cli, &url);
    }
    let target = cli.global.target(cli.path.as_deref())?;
    let (settings, problems) = cli.global.settings();
    // What the config file could not set is said in the status bar once the workspace is
    // open; the app starts with the defaults for it.
    let config_note = cli::config_note(&problems);
    let access = if settings.read_only {
        Access::ReadOnly
    } else {
        Access::Write
    };
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let state = State::new(
        Workspace::default(),
        target.path.clone(),
        cli.global.today(),
        size,
    )
    .with_settings(settings);
    // The screen comes up at once; the workspace loads behind a progress bar.
    let sample = target.is_default.then_some(claimdesk::store::SAMPLE);
    let describe = move |opened: &_, path: &std::path::Path| {
        let opened = cli::describe_opened(opened, path);
        match (opened, config_note) {
            (Some(a), Some(b)) => Some(format!("{b} · {a}")),
            (a, b) => a.or(b),
        }
    };
    let mut session = Session::loading(state, access, sample, describe, |e, path| {
        cli::error_text(&cli::explain_open_error(e, path))
    })
    .with_background_work();
    let exit = tui::run(&mut session)?;
    Ok(match exit {
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Signal(n) => ExitCode::from(128u8.saturating_add(n as u8)),
    })
}

/// The process's own arguments, as `ps` and `/proc/PID/cmdline` show them to every user
/// of the machine: a database URL's password in them is blanked once they are read.
mod arguments {
    use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

    static COUNT: AtomicUsize = AtomicUsize::new(0);
    static VALUES: AtomicPtr<*mut libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

    /// Run by the C runtime before `main`, with the arguments where the kernel put them
    /// (glibc passes them to every `.init_array` function, as the standard library's
    /// own takes them).
    #[used]
    #[unsafe(link_section = ".init_array")]
    static KEEP: extern "C" fn(libc::c_int, *mut *mut libc::c_char, *mut *mut libc::c_char) = keep;

    extern "C" fn keep(
        count: libc::c_int,
        values: *mut *mut libc::c_char,
        _env: *mut *mut libc::c_char,
    ) {
        COUNT.store(usize::try_from(count).unwrap_or(0), Ordering::Relaxed);
        VALUES.store(values, Ordering::Relaxed);
    }

    /// Blanks, in place, what a `postgres://` URL in any argument keeps that is never
    /// shown (see `store::pg::secrets_in`). Only after the arguments were read: the
    /// standard library reads them from the same memory.
    pub fn hide_secrets() {
        let values = VALUES.load(Ordering::Relaxed);
        if values.is_null() {
            return;
        }
        for i in 0..COUNT.load(Ordering::Relaxed) {
            // SAFETY: the C runtime's argument vector holds COUNT pointers, each to a
            // NUL-terminated string that lives (and may be written) as long as the
            // process; nothing else reads it after the command line was parsed.
            let value = unsafe { *values.add(i) };
            if value.is_null() {
                continue;
            }
            // SAFETY: as above; the slice stops before the NUL.
            let bytes =
                unsafe { std::slice::from_raw_parts_mut(value.cast::<u8>(), libc::strlen(value)) };
            let Ok(text) = std::str::from_utf8(bytes) else {
                continue;
            };
            for part in claimdesk::store::pg::secrets_in(text) {
                bytes[part].fill(b'*');
            }
        }
    }
}
