//! The help overlay: draws the help text (`app::help`), wrapped to the overlay's width,
//! from its scroll position.

use super::{overlay_block, put, theme};
use crate::app::help::rows;
use crate::app::layout::Areas;
use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, areas: &Areas, scroll: usize) {
    let frame = areas.help();
    overlay_block(buf, frame, Line::from(" Keys · Esc or ? closes "));
    let inner = areas.help_inner();
    let rows = rows(usize::from(inner.width));
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
    let hint = format!(" {shown}/{} · j/k PgDn/PgUp g/G ", rows.len());
    super::edge_hint(buf, frame, &hint);
}
