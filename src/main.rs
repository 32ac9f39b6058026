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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => fail(&cli::error_text(&e)),
    }
}

/// The app on a database workspace: loaded before the screen comes up, each verdict a
/// row of its own as it is recorded; other edits are refused on a database so far.
fn open_app_on_database(cli: &Cli, url: &claimdesk::store::pg::Url) -> anyhow::Result<ExitCode> {
    let (mut settings, problems) = cli.global.settings();
    cli::role_as_reviewer(&cli.global, url, &mut settings);
    let mut database = claimdesk::store::pg::Pg::connect(url)?;
    let workspace = database.load()?;
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let state = State::new(workspace, url.to_string().into(), cli.global.today(), size)
        .with_settings(settings);
    let opened = format!(
        "{url}: each verdict goes to the database as it is recorded; other edits need a file"
    );
    let mut session = Session::database(state, database).with_background_work();
    session.dispatch(claimdesk::app::Action::Notify(
        match cli::config_note(&problems) {
            Some(note) => format!("{note} · {opened}"),
            None => opened,
        },
    ));
    let exit = tui::run(session)?;
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
    let session = Session::loading(state, access, sample, describe, |e, path| {
        cli::error_text(&cli::explain_open_error(e, path))
    })
    .with_background_work();
    let exit = tui::run(session)?;
    Ok(match exit {
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Signal(n) => ExitCode::from(128u8.saturating_add(n as u8)),
    })
}
