//! The status bar: the workspace path, counts, the latest message, and the keys that
//! matter where the focus is (read from the keymap, so they always match).

use super::{put, theme};
use crate::app::keymap::{BINDINGS, Scope};
use crate::app::{Action, Overlay, Pane, State};
use crate::model::Totals;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

pub fn draw(buf: &mut Buffer, area: Rect, state: &State) {
    let totals = Totals::of(&state.workspace, state.today);
    let counts = format!(
        " {} · {} unreviewed · {} due ",
        plural(totals.claims, "claim"),
        totals.unreviewed,
        plural(totals.follow_ups_due, "follow-up")
    );
    let bar = Style::new().add_modifier(Modifier::REVERSED);
    buf.set_style(Rect::new(area.x, area.y, area.width, 1), bar);
    let path = format!(" {}", state.path.display());
    let counts_w = crate::wrap::width(&counts) as u16;
    let path_w = area.width.saturating_sub(counts_w);
    put(buf, area.x, area.y, &path, path_w, bar);
    put(
        buf,
        area.x + path_w,
        area.y,
        &counts,
        counts_w.min(area.width),
        bar,
    );

    let y = area.y + 1;
    if let Some(message) = &state.message {
        put(
            buf,
            area.x + 1,
            y,
            message,
            area.width.saturating_sub(1),
            theme::message(),
        );
        return;
    }
    let hints = hints(state);
    put(
        buf,
        area.x + 1,
        y,
        &hints,
        area.width.saturating_sub(1),
        theme::dim(),
    );
}

/// The few keys worth a hint in each context, as (actions, label). Keys are looked up in
/// the keymap, so a hint can only show a key that really does it.
fn hint_table(scope: Scope) -> &'static [(&'static [Action], &'static str)] {
    use Action::*;
    match scope {
        Scope::Pane(Pane::Claims) => &[
            (&[Down, Up], "move"),
            (&[First, Last], "first/last"),
            (&[FocusNext], "updates"),
        ],
        Scope::Pane(Pane::Timeline) => &[
            (&[Down, Up], "move"),
            (&[Open], "read"),
            (&[PageDown, PageUp], "page"),
        ],
        Scope::Pane(Pane::Calendar) => &[
            (&[PrevMonth, NextMonth], "month"),
            (&[Today], "today"),
            (&[Down, Up], "follow-up"),
        ],
        Scope::Reader => &[
            (&[Down, Up], "scroll"),
            (&[PageDown, PageUp], "page"),
            (&[Close], "close"),
        ],
        Scope::Help => &[(&[Down, Up], "scroll"), (&[Close], "close")],
        Scope::Global => &[
            (&[FocusNext], "pane"),
            (&[ToggleHelp], "help"),
            (&[Quit], "quit"),
        ],
    }
}

/// The first key bound to `action` in `scope`.
fn key_for(scope: Scope, action: Action) -> Option<&'static str> {
    BINDINGS
        .iter()
        .find(|b| b.scope == scope && b.action == action)
        .and_then(|b| b.keys.first().copied())
}

/// "keys label" hints for the context.
pub fn hints(state: &State) -> String {
    let scopes: &[Scope] = match state.overlay {
        Some(Overlay::Help { .. }) => &[Scope::Help],
        Some(Overlay::Reader { .. }) => &[Scope::Reader],
        None => &[Scope::Pane(state.focus), Scope::Global],
    };
    let mut parts = Vec::new();
    for &scope in scopes {
        for (actions, label) in hint_table(scope) {
            let keys: Vec<&str> = actions.iter().filter_map(|a| key_for(scope, *a)).collect();
            if !keys.is_empty() {
                parts.push(format!("{} {label}", keys.join("/")));
            }
        }
    }
    parts.join("  ")
}

/// "1 claim", "2 claims".
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
