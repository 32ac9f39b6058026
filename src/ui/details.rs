//! The claim details overlay: the claim's full title, condition, article, dates, tags,
//! tracker fields and review state, wrapped to the overlay and scrolled by line.

use super::{overlay_block, put, theme};
use crate::app::State;
use crate::app::details::details_document;
use crate::app::keymap::Scope;
use crate::app::layout::Areas;
use crate::wrap;
use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, areas: &Areas, state: &State, scroll: usize) {
    let Some(claim) = state.selected_claim() else {
        return;
    };
    overlay_block(buf, areas.reader(), Line::from(" Claim details "));
    let inner = areas.reader_inner();
    let width = usize::from(inner.width);
    // Each field's name in bold on its first row; its value wraps below it.
    let rows = details_document(claim, state.today(), state.verdict_key())
        .split('\n')
        .flat_map(|field| {
            let name = field.find(": ").map_or(0, |at| at + 1);
            wrap::wrap(field, width)
                .into_iter()
                .enumerate()
                .map(move |(i, row)| (row, if i == 0 { name } else { 0 }))
        })
        .collect::<Vec<_>>();
    for (y, (row, name)) in
        (inner.y..).zip(rows.iter().skip(scroll).take(usize::from(inner.height)))
    {
        put(buf, inner.x, y, row, inner.width, Style::new());
        if let Some(label) = row.get(..*name).filter(|l| !l.is_empty()) {
            put(buf, inner.x, y, label, inner.width, theme::heading());
        }
        super::link_urls(buf, inner.x, y, row, inner.width);
    }
    let frame = areas.reader();
    let shown = rows.len().min(scroll + usize::from(inner.height));
    let hint = format!(
        " {shown}/{} · {} ",
        rows.len(),
        super::scroll_hint(state, Scope::Details)
    );
    super::edge_hint(buf, frame, &hint);
}
