//! The `claimdesk` binary: parses the command line, runs the command, prints what it
//! returns and turns errors into a message and a non-zero exit code.

#![deny(clippy::unwrap_used)]

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
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "claimdesk: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
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
        Some(Command::Import(args)) => {
            if cli.path.is_some() {
                anyhow::bail!("give the workspace with --workspace when importing");
            }
            cli::import(&cli.global, args)?
        }
        None => return open_app(&cli),
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`claimdesk snapshot | head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(ExitCode::SUCCESS)
}

fn open_app(cli: &Cli) -> anyhow::Result<ExitCode> {
    let target = cli.global.target(cli.path.as_deref())?;
    let settings = cli.global.settings()?;
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
    let session = Session::loading(state, access, sample, cli::describe_opened, |e, path| {
        format!("{:#}", cli::explain_open_error(e, path))
    })
    .with_background_work();
    let exit = tui::run(session)?;
    Ok(match exit {
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Signal(n) => ExitCode::from(128u8.saturating_add(n as u8)),
    })
}
