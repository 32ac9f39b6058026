//! The help overlay: draws the help text (`app::help`), wrapped to the overlay's width,
//! from its scroll position.

use super::{overlay_block, put, theme};
use crate::app::Action;
use crate::app::help::rows;
use crate::app::keymap::Scope;
use crate::app::layout::Areas;
use crate::app::state::State;
use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, areas: &Areas, state: &State, scroll: usize) {
    let keymap = &state.settings.keymap;
    let key = |action: Action| keymap.shown(Scope::Help, &action);
    let frame = areas.help(keymap);
    let title = format!(
        " Keys · {} closes ",
        keymap.all_shown(Scope::Help, &Action::Close)
    );
    overlay_block(buf, frame, Line::from(title));
    let inner = areas.help_inner(keymap);
    let rows = rows(keymap, usize::from(inner.width));
    let page = usize::from(inner.height);
    let scroll = scroll.min(rows.len().saturating_sub(page));
    for (y, (text, heading)) in (inner.y..).zip(rows.iter().skip(scroll).take(page)) {
        let style = if *heading {
            theme::heading()
        } else {
            Style::new()
        };
        put(buf, inner.x, y, text, inner.width, style);
    }
    let shown = rows.len().min(scroll + page);
    let hint = format!(
        " {shown}/{} · {}/{} {}/{} {}/{} ",
        rows.len(),
        key(Action::Down),
        key(Action::Up),
        key(Action::PageDown),
        key(Action::PageUp),
        key(Action::First),
        key(Action::Last),
    );
    super::edge_hint(buf, frame, &hint);
}
