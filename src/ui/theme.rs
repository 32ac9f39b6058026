//! Colours, styles and the symbols that make every mark readable without colour too.

use crate::model::{Due, TrackerStatus, Verdict};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use std::sync::OnceLock;

/// Whether colour is off: `NO_COLOR` set and not empty (no-color.org). Only colour goes;
/// reverse video, bold and underline stay, so the selection still shows.
pub fn colourless() -> bool {
    static OFF: OnceLock<bool> = OnceLock::new();
    *OFF.get_or_init(|| std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
}

/// Takes every colour out of a painted screen and keeps its attributes. (The terminal
/// library's own `NO_COLOR` handling writes a bare `ESC [ m` for each colour, which
/// resets the attributes too; `tui` turns it off and the screen is stripped here.)
pub fn strip_colours(buf: &mut Buffer) {
    for cell in &mut buf.content {
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
    }
}

pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

/// The selected row: reversed, so it shows on a monochrome terminal.
pub fn selected(focused: bool) -> Style {
    if focused {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn heading() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn message() -> Style {
    Style::new().fg(Color::Yellow)
}

/// A mark for the tracker's machine status.
pub fn status_symbol(status: &str) -> &'static str {
    match TrackerStatus::of(status) {
        TrackerStatus::InProgress => "◐",
        TrackerStatus::Complete => "●",
        TrackerStatus::Failed => "✗",
        TrackerStatus::Other => "◇",
    }
}

pub fn status_style(status: &str) -> Style {
    match TrackerStatus::of(status) {
        TrackerStatus::InProgress => Style::new().fg(Color::Blue),
        TrackerStatus::Complete => Style::new().fg(Color::Green),
        TrackerStatus::Failed => Style::new().fg(Color::Red),
        TrackerStatus::Other => Style::new().fg(Color::Magenta),
    }
}

pub fn verdict_style(verdict: Option<Verdict>) -> Style {
    match verdict {
        None => Style::new()
            .fg(Color::DarkGray)
            .add_modifier(Modifier::ITALIC),
        Some(Verdict::Complete) => Style::new().fg(Color::Green),
        Some(Verdict::Partial) => Style::new().fg(Color::LightGreen),
        Some(Verdict::InProgress) => Style::new().fg(Color::Blue),
        Some(Verdict::Stalled) => Style::new().fg(Color::Yellow),
        Some(Verdict::Failed) => Style::new().fg(Color::Red),
        Some(Verdict::Unverifiable) => Style::new().fg(Color::Magenta),
    }
}

/// A follow-up's mark: `!` overdue, `*` due today, `+` scheduled, `✓` done, `×` cancelled.
pub fn due_symbol(due: Due) -> char {
    match due {
        Due::Overdue => '!',
        Due::Today => '*',
        Due::Upcoming => '+',
        Due::Done => '✓',
        Due::Cancelled => '×',
    }
}

pub fn due_word(due: Due) -> &'static str {
    match due {
        Due::Overdue => "overdue",
        Due::Today => "due today",
        Due::Upcoming => "scheduled",
        Due::Done => "done",
        Due::Cancelled => "cancelled",
    }
}

pub fn due_style(due: Due) -> Style {
    match due {
        Due::Overdue => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Due::Today => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        Due::Upcoming => Style::new().fg(Color::Cyan),
        Due::Done => Style::new().fg(Color::Green),
        Due::Cancelled => Style::new()
            .fg(Color::DarkGray)
            .add_modifier(Modifier::CROSSED_OUT),
    }
}

/// A day that updates mention (meetings, deadlines), in the calendar.
pub const MENTION_SYMBOL: char = '·';

/// A day an update suggests as a follow-up that is not on the calendar.
pub const SUGGESTION_SYMBOL: char = '?';

/// The completion due date's mark in the calendar.
pub const DUE_DATE_SYMBOL: char = '◆';

pub fn due_date_style() -> Style {
    Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
}

/// A change of tracker status between consecutive updates.
pub const CHANGE_SYMBOL: &str = "▲";

pub fn change_style() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

/// The review queue's marks in the claim list.
pub fn needs_review() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn tag() -> Style {
    Style::new().fg(Color::Cyan)
}

/// The calendar's day cursor.
pub fn cursor(focused: bool) -> Style {
    if focused {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    } else {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }
}

/// The mark on updates new since the last review.
pub const NEW_SYMBOL: &str = "✱";

pub fn new_style() -> Style {
    Style::new()
        .fg(Color::LightMagenta)
        .add_modifier(Modifier::BOLD)
}

/// The mark on a folded run of updates.
pub const RUN_SYMBOL: &str = "⊞";

/// The mark on claims whose tracker status went back and forth.
pub const FLIP_SYMBOL: &str = "⇅";

/// The "new here" paragraph of a preview.
pub fn novelty() -> Style {
    Style::new().fg(Color::LightCyan)
}

/// One update in the status strip: a shape per status, so it reads without colour.
pub fn strip_symbol(status: &str) -> &'static str {
    match TrackerStatus::of(status) {
        TrackerStatus::InProgress => "▁",
        TrackerStatus::Complete => "█",
        TrackerStatus::Failed => "✗",
        TrackerStatus::Other => "?",
    }
}

/// A word the search found.
pub fn search_match() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

/// The mark on updates that match the search.
pub const MATCH_SYMBOL: &str = "•";

pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
