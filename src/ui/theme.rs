//! Colours, styles and the symbols that make every mark readable without colour too.
//! Colours come from the theme in the settings (`dark`, `light`, `high-contrast`); each
//! is checked for contrast against the background it is meant for. Body text keeps the
//! terminal's own foreground.

use crate::config::Theme;
use crate::model::{Due, TrackerStatus, Verdict};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use std::cell::Cell;
use std::sync::OnceLock;

/// The colours a theme gives each role. Indexes of the 256-colour palette above 15: the
/// first sixteen are the ones terminal colour schemes redefine (Solarized's grey `8` is
/// its background), the rest are the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The background the theme is made for (an xterm colour, for the contrast check).
    pub background: u8,
    /// The focused pane's border, tags, scheduled follow-ups.
    pub accent: u8,
    /// Hints, dates, unfocused borders: quieter text that must still be read.
    pub quiet: u8,
    /// Messages, changes, stalled, due today, needing review.
    pub warn: u8,
    pub good: u8,
    /// A partial verdict: good, less so.
    pub fair: u8,
    /// In progress.
    pub info: u8,
    /// Failed, overdue, errors.
    pub bad: u8,
    /// Other statuses, unverifiable, the completion date.
    pub odd: u8,
    /// The mark on updates new since the last review.
    pub new: u8,
    /// A search match: this background under black text.
    pub found: u8,
}

impl Palette {
    pub const fn of(theme: Theme) -> Self {
        match theme {
            Theme::Dark => Self {
                background: 16,
                accent: 44,
                quiet: 246,
                warn: 178,
                good: 35,
                fair: 114,
                info: 75,
                bad: 203,
                odd: 176,
                new: 213,
                found: 220,
            },
            Theme::Light => Self {
                background: 231,
                accent: 24,
                quiet: 242,
                warn: 130,
                good: 28,
                fair: 58,
                info: 25,
                bad: 160,
                odd: 127,
                new: 125,
                found: 220,
            },
            Theme::HighContrast => Self {
                background: 16,
                accent: 51,
                quiet: 252,
                warn: 226,
                good: 46,
                fair: 156,
                info: 117,
                bad: 210,
                odd: 219,
                new: 219,
                found: 226,
            },
        }
    }

    /// The text colours, named, for the contrast check.
    pub fn text_colours(&self) -> [(&'static str, u8); 9] {
        [
            ("accent", self.accent),
            ("quiet", self.quiet),
            ("warn", self.warn),
            ("good", self.good),
            ("fair", self.fair),
            ("info", self.info),
            ("bad", self.bad),
            ("odd", self.odd),
            ("new", self.new),
        ]
    }
}

thread_local! {
    static THEME: Cell<Theme> = const { Cell::new(Theme::Dark) };
}

/// Sets the theme the styles below paint with, for this thread (the one that draws).
/// Drawing sets it from the state's settings at every frame.
pub fn use_theme(theme: Theme) {
    THEME.with(|t| t.set(theme));
}

fn colour(role: fn(&Palette) -> u8) -> Color {
    Color::Indexed(role(&Palette::of(THEME.with(Cell::get))))
}

fn fg(role: fn(&Palette) -> u8) -> Style {
    Style::new().fg(colour(role))
}

/// Bold in the high-contrast theme, where every mark should stand out.
fn strong(style: Style) -> Style {
    if THEME.with(Cell::get) == Theme::HighContrast {
        style.add_modifier(Modifier::BOLD)
    } else {
        style
    }
}

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
        fg(|p| p.accent).add_modifier(Modifier::BOLD)
    } else {
        strong(fg(|p| p.quiet))
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
    strong(fg(|p| p.quiet))
}

pub fn heading() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn message() -> Style {
    strong(fg(|p| p.warn))
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
        TrackerStatus::InProgress => fg(|p| p.info),
        TrackerStatus::Complete => fg(|p| p.good),
        TrackerStatus::Failed => fg(|p| p.bad),
        TrackerStatus::Other => fg(|p| p.odd),
    }
}

pub fn verdict_style(verdict: Option<Verdict>) -> Style {
    match verdict {
        None => fg(|p| p.quiet).add_modifier(Modifier::ITALIC),
        Some(Verdict::Complete) => fg(|p| p.good),
        Some(Verdict::Partial) => fg(|p| p.fair),
        Some(Verdict::InProgress) => fg(|p| p.info),
        Some(Verdict::Stalled) => fg(|p| p.warn),
        Some(Verdict::Failed) => fg(|p| p.bad),
        Some(Verdict::Unverifiable) => fg(|p| p.odd),
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
        Due::Overdue => fg(|p| p.bad).add_modifier(Modifier::BOLD),
        Due::Today => fg(|p| p.warn).add_modifier(Modifier::BOLD),
        Due::Upcoming => fg(|p| p.accent),
        Due::Done => fg(|p| p.good),
        Due::Cancelled => fg(|p| p.quiet).add_modifier(Modifier::CROSSED_OUT),
    }
}

/// A day that updates mention (meetings, deadlines), in the calendar.
pub const MENTION_SYMBOL: char = '·';

/// A day an update suggests as a follow-up that is not on the calendar.
pub const SUGGESTION_SYMBOL: char = '?';

/// The completion due date's mark in the calendar.
pub const DUE_DATE_SYMBOL: char = '◆';

pub fn due_date_style() -> Style {
    fg(|p| p.odd).add_modifier(Modifier::BOLD)
}

/// A change of tracker status between consecutive updates.
pub const CHANGE_SYMBOL: &str = "▲";

pub fn change_style() -> Style {
    fg(|p| p.warn).add_modifier(Modifier::BOLD)
}

/// The review queue's marks in the claim list.
pub fn needs_review() -> Style {
    fg(|p| p.warn).add_modifier(Modifier::BOLD)
}

pub fn tag() -> Style {
    strong(fg(|p| p.accent))
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
    fg(|p| p.new).add_modifier(Modifier::BOLD)
}

/// A row marked for one edit on all marked rows (`Space`).
pub const MARK_SYMBOL: &str = "■";

pub fn marked() -> Style {
    fg(|p| p.warn).add_modifier(Modifier::BOLD)
}

/// The mark on a folded run of updates.
pub const RUN_SYMBOL: &str = "⊞";

/// The mark on claims whose tracker status went back and forth.
pub const FLIP_SYMBOL: &str = "⇅";

/// The "new here" paragraph of a preview: body text, so the terminal's own colour, in bold.
pub fn novelty() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
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

/// A word the search found: underlined as well as coloured, so it still shows without
/// colour (`NO_COLOR`) or inside a bold row.
pub fn search_match() -> Style {
    Style::new()
        .fg(Color::Indexed(16))
        .bg(colour(|p| p.found))
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

/// The mark on updates that match the search.
pub const MATCH_SYMBOL: &str = "•";

pub fn error() -> Style {
    fg(|p| p.bad).add_modifier(Modifier::BOLD)
}

/// The xterm palette's colour for an index of the 256: the sixteen of xterm's defaults, the
/// 6×6×6 cube, the greys.
pub fn xterm_rgb(index: u8) -> (u8, u8, u8) {
    const BASE: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match index {
        0..=15 => BASE[usize::from(index)],
        16..=231 => {
            let i = usize::from(index - 16);
            (LEVELS[i / 36], LEVELS[i / 6 % 6], LEVELS[i % 6])
        }
        _ => {
            let g = 8 + 10 * (index - 232);
            (g, g, g)
        }
    }
}

/// WCAG 2's contrast ratio of two xterm colours (1 to 21).
pub fn contrast(a: u8, b: u8) -> f64 {
    fn luminance(index: u8) -> f64 {
        let (r, g, b) = xterm_rgb(index);
        let linear = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The contrast every text colour of a theme must reach against its background: WCAG's
/// AA for body text, AAA for the high-contrast theme.
pub fn contrast_floor(theme: Theme) -> f64 {
    match theme {
        Theme::HighContrast => 7.0,
        _ => 4.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contrast_formula_gives_the_known_figures() {
        assert!((contrast(16, 231) - 21.0).abs() < 0.01, "black on white");
        // Bright cyan on white, the old "new here" colour: 1.25:1.
        assert!(
            (contrast(14, 15) - 1.25).abs() < 0.01,
            "{}",
            contrast(14, 15)
        );
        assert_eq!(xterm_rgb(196), (255, 0, 0));
        assert_eq!(xterm_rgb(244), (128, 128, 128));
    }

    #[test]
    fn every_text_colour_of_every_theme_reads_on_its_background() {
        for theme in Theme::ALL {
            let p = Palette::of(theme);
            for (role, colour) in p.text_colours() {
                let ratio = contrast(colour, p.background);
                assert!(
                    ratio >= contrast_floor(theme),
                    "{} {role} ({colour}): {ratio:.2}:1",
                    theme.name()
                );
            }
            assert!(contrast(16, p.found) >= contrast_floor(theme));
            // None of them is one of the sixteen colours schemes redefine.
            assert!(p.text_colours().iter().all(|(_, c)| *c > 15));
        }
    }
}
