//! The filter menu overlay: every filter the list can show, the active one marked.

use super::{centered, fill_row, overlay_block, put, theme};
use crate::app::State;
use crate::app::view::filter_choices;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, main: Rect, state: &State, selected: usize) {
    let choices = filter_choices(&state.workspace);
    let height = (choices.len() as u16 + 2).min(main.height);
    let area = centered(main, 44, height);
    let inner = overlay_block(buf, area, Line::from(" Show "));
    let rows = usize::from(inner.height);
    let offset = selected.saturating_sub(rows.saturating_sub(1));
    for (slot, (i, f)) in choices
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .enumerate()
    {
        let y = inner.y + slot as u16;
        let today = state.today;
        let count = state
            .workspace
            .claims
            .iter()
            .filter(|c| f.matches(c, today))
            .count();
        let active = if *f == state.claims.filter {
            "•"
        } else {
            " "
        };
        // Padded by the columns the label takes on screen, not by its characters.
        let text = format!("{active} {}{count:>5}", crate::wrap::fit(&f.label(), 28));
        put(
            buf,
            inner.x + 1,
            y,
            &text,
            inner.width.saturating_sub(2),
            Style::new(),
        );
        if i == selected {
            fill_row(buf, inner.x, y, inner.width, theme::selected(true));
        }
    }
}
