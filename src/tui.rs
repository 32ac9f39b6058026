//! The terminal: setup and restore on every way out (normal exit, error, panic, SIGTERM,
//! SIGHUP, SIGINT, SIGQUIT) and around a suspend (C-z, SIGTSTP), and the event loop:
//! event → action → update → draw, drawing only when something changed.

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
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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
        // `NO_COLOR` is honoured by `ui::theme::strip_colours`, which keeps reverse video
        // and bold; crossterm's own handling would reset them with every colour.
        crossterm::style::Colored::set_ansi_color_disabled(false);
        enter()?;
        let terminal = match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        Ok(Self { terminal })
    }

    /// Gives the terminal back to the shell and stops (C-z, SIGTSTP); on `fg`, takes it
    /// again and draws the whole screen anew.
    fn suspend(&mut self) -> io::Result<()> {
        restore();
        signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP)?;
        enter()?;
        self.terminal.clear()
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
        let _ = self.terminal.show_cursor();
    }
}

/// Raw mode, the alternate screen, the mouse and bracketed paste.
fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    if let Err(e) = execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        restore();
        return Err(e);
    }
    Ok(())
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

/// The terminal claimdesk draws in: standard output must be one, and keys come from the
/// controlling terminal (so `… | claimdesk` works). Held open to notice when the
/// terminal goes away.
fn controlling_terminal() -> anyhow::Result<std::fs::File> {
    if !io::stdout().is_terminal() {
        anyhow::bail!(
            "claimdesk needs a terminal to draw in, and standard output is not one; `claimdesk snapshot` prints the screen as text, and `claimdesk list` or `show` print the claims"
        );
    }
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| {
            anyhow::anyhow!(
                "claimdesk needs a terminal to read keys from, and this process has none (/dev/tty: {e}); run it in a terminal, or use `claimdesk snapshot` for the screen as text"
            )
        })
}

/// Runs the app until the user quits or a signal arrives.
pub fn run(session: &mut Session) -> anyhow::Result<Exit> {
    let tty = controlling_terminal()?;
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        // The flag holds the last signal's number; the loop sees it within a tick.
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    // A stop from outside (kill -TSTP) restores the terminal first, like C-z.
    let stop = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGTSTP, Arc::clone(&stop))?;
    let mut guard = Guard::new()?;
    let size = guard.terminal.size()?;
    // Edits recovered from the journal are folded into the file at once.
    session.save_pending();
    session.dispatch(Action::Resize {
        width: size.width,
        height: size.height,
    });
    // Draw only when something changed: an idle screen costs nothing.
    let mut dirty = true;
    loop {
        if let Some(e) = session.load_error.take() {
            return Err(anyhow::anyhow!(e));
        }
        if session.take_suspend() || stop.swap(false, Ordering::Relaxed) {
            guard.suspend()?;
            dirty = true;
        }
        if let Some(text) = session.take_clipboard() {
            use std::io::Write;
            let out = guard.terminal.backend_mut();
            out.write_all(osc52(&text).as_bytes())?;
            out.flush()?;
        }
        if dirty {
            let state = &session.state;
            guard.terminal.draw(|f| crate::ui::draw(f, state))?;
            dirty = false;
        }
        let got = signal.load(Ordering::Relaxed);
        if got != 0 {
            // Edits are in the journal already; a save under way is let finish.
            session.shutdown();
            return Ok(Exit::Signal(got as i32));
        }
        if session.state.quit {
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
            dirty = true;
            continue;
        }
        if !event::poll(tick)? {
            if session.poll_background() {
                dirty = true;
                continue;
            }
            // A terminal that went away (window closed without a signal reaching us)
            // reads as end of file forever: end as a hang-up would.
            if !tty.is_terminal() {
                session.shutdown();
                return Ok(Exit::Signal(signal_hook::consts::SIGHUP));
            }
            continue;
        }
        // Drain what is queued before drawing again, so held keys never lag.
        loop {
            if let Some(action) = action_for_event(&session.state, event::read()?) {
                session.dispatch(action);
                dirty = true;
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

/// The escape sequence that puts `text` on the terminal's clipboard (OSC 52: the text in
/// base64, ended by BEL). Terminals that do not know it ignore it.
fn osc52(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4 + 8);
    out.push_str("\x1b]52;c;");
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out.push('\x07');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn osc52_carries_the_text_in_base64() {
        assert_eq!(super::osc52(""), "\x1b]52;c;\x07");
        assert_eq!(super::osc52("f"), "\x1b]52;c;Zg==\x07");
        assert_eq!(super::osc52("fo"), "\x1b]52;c;Zm8=\x07");
        assert_eq!(super::osc52("foo"), "\x1b]52;c;Zm9v\x07");
        assert_eq!(super::osc52("Grüße 👍"), "\x1b]52;c;R3LDvMOfZSDwn5GN\x07");
    }
}
