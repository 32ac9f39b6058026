//! The help overlay: every key, by where it works, read from the keymap.

use super::{overlay_block, put, theme};
use crate::app::Pane;
use crate::app::keymap::{BINDINGS, Scope, describe};
use crate::ui::theme::{CHANGE_SYMBOL, DUE_DATE_SYMBOL};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

/// The scopes in the order the help lists them.
pub const SCOPES: [Scope; 6] = [
    Scope::Global,
    Scope::Pane(Pane::Claims),
    Scope::Pane(Pane::Timeline),
    Scope::Pane(Pane::Calendar),
    Scope::Reader,
    Scope::Help,
];

/// The help's lines: a heading per scope, then "keys  what they do".
pub fn lines() -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for scope in SCOPES {
        out.push((scope.title().to_owned(), true));
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
            out.push((format!("  {:<18}{}", b.keys.join(" "), describe(b)), false));
        }
        out.push((String::new(), false));
    }
    out.push(("Marks".to_owned(), true));
    for line in [
        format!("  {CHANGE_SYMBOL}  the tracker's status changed at this update"),
        "  ◐ in_progress   ● complete   ✗ failed   ? other status".to_owned(),
        "  + scheduled   * due today   ! overdue   ✓ done   × cancelled".to_owned(),
        format!("  {DUE_DATE_SYMBOL}  completion due date      reversed day: today"),
        "  mouse: click focuses a pane and selects a row; the wheel scrolls".to_owned(),
    ] {
        out.push((line, false));
    }
    out
}

pub fn draw(buf: &mut Buffer, main: Rect, scroll: usize) {
    let width = 72.min(main.width);
    let area = Rect::new(
        main.x + (main.width - width) / 2,
        main.y,
        width,
        main.height,
    );
    let inner = overlay_block(buf, area, Line::from(" Keys · Esc or ? closes "));
    let lines = lines();
    let scroll = scroll.min(lines.len().saturating_sub(usize::from(inner.height)));
    for (i, (text, heading)) in lines
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let style = if *heading {
            theme::heading()
        } else {
            Style::new()
        };
        put(
            buf,
            inner.x + 1,
            inner.y + i as u16,
            text,
            inner.width.saturating_sub(2),
            style,
        );
    }
}
