//! The terminal: setup and restore on every way out (normal exit, error, panic, SIGTERM,
//! SIGHUP, SIGINT), and the event loop: event → action → update → draw.

use crate::app::{self, Action, State};
use crate::runtime::Session;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, IsTerminal, Stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How often the loop wakes to look for a signal while no event comes.
const TICK: Duration = Duration::from_millis(200);

/// The terminal in raw mode on the alternate screen; restored when dropped.
struct Guard {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl Guard {
    fn new() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        if let Err(e) = execute!(
            stdout,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        ) {
            restore();
            return Err(e);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        Ok(Self { terminal })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
        let _ = self.terminal.show_cursor();
    }
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen
    );
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), crossterm::cursor::Show);
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// How the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// A signal asked the program to end; the exit code should be 128 + the number.
    Signal(i32),
}

/// Runs the app until the user quits or a signal arrives.
pub fn run(mut session: Session) -> anyhow::Result<Exit> {
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        // The flag holds the last signal's number; the loop sees it within a tick.
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    let mut guard = Guard::new()?;
    let size = guard.terminal.size()?;
    // Edits recovered from the journal are folded into the file at once.
    session.save_pending();
    session.dispatch(Action::Resize {
        width: size.width,
        height: size.height,
    });
    loop {
        if let Some(e) = session.load_error.take() {
            return Err(anyhow::anyhow!(e));
        }
        let state = &session.state;
        guard.terminal.draw(|f| crate::ui::draw(f, state))?;
        let got = signal.load(Ordering::Relaxed);
        if got != 0 {
            // Edits are in the journal already; a save under way is let finish.
            session.shutdown();
            return Ok(Exit::Signal(got as i32));
        }
        if state.quit {
            session.shutdown();
            return Ok(Exit::Quit);
        }
        // While a search runs, wake often to show its results as soon as they come.
        let tick = if session.busy() {
            Duration::from_millis(15)
        } else {
            TICK
        };
        if session.poll_background() {
            continue;
        }
        if !event::poll(tick)? {
            if session.poll_background() {
                continue;
            }
            // A terminal that went away (window closed without a signal reaching us)
            // reads as end of file forever: end as a hang-up would.
            if !io::stdin().is_terminal() {
                return Ok(Exit::Signal(signal_hook::consts::SIGHUP));
            }
            continue;
        }
        // Drain what is queued before drawing again, so held keys never lag.
        loop {
            if let Some(action) = action_for_event(&session.state, event::read()?) {
                session.dispatch(action);
            }
            if session.state.quit || !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
}

/// Turns a terminal event into an action, through the keymap for keys.
fn action_for_event(state: &State, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => app::keymap::action_for(state, key),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(event::MouseButton::Left) => Some(Action::Click {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown {
                column: m.column,
                row: m.row,
            }),
            _ => None,
        },
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        Event::Paste(text) => Some(Action::Paste(text)),
        _ => None,
    }
}
