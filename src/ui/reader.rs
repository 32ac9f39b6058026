//! The update reader overlay: the selected update's whole body, wrapped and scrollable,
//! with its sources and recommended follow-up.

use super::overlay_block;
use crate::app::State;
use crate::app::keymap::Scope;
use crate::app::layout::Areas;
use crate::model::display_safe;
use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, areas: &Areas, state: &State, scroll: usize) {
    let Some(update) = state.selected_update() else {
        return;
    };
    let title = format!(
        " Update {}/{} · {} UTC · {} ",
        state.selected_update_index().map_or(0, |i| i + 1),
        state.update_count(),
        update.at.format("%a %b %-d, %Y %H:%M"),
        display_safe(&update.status_label())
    );
    overlay_block(buf, areas.reader(), Line::from(title));
    let inner = areas.reader_inner();
    let lines = state.document.lines();
    let total = lines.len();
    let needle = super::search_needle(state);
    for (i, line) in lines
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        super::put_highlighted(
            buf,
            inner.x,
            inner.y + i as u16,
            line,
            inner.width,
            Style::new(),
            needle.as_ref(),
        );
        super::link_urls(buf, inner.x, inner.y + i as u16, line, inner.width);
    }
    let frame = areas.reader();
    let shown_to = (scroll + usize::from(inner.height)).min(total);
    let position = format!(
        " lines {}–{} of {} · {} ",
        scroll + 1,
        shown_to,
        total,
        super::scroll_hint(state, Scope::Reader)
    );
    super::edge_hint(buf, frame, &position);
}
