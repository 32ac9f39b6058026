//! The review history overlay: every verdict recorded on the claim, newest first, with
//! who, when, the rationale and what the reviewer had seen.

use super::{overlay_block, put, theme};
use crate::app::keymap::Scope;
use crate::app::layout::Areas;
use crate::app::state::reviews_document;
use crate::app::{Action, State};
use crate::wrap;
use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, areas: &Areas, state: &State, scroll: usize) {
    let Some(claim) = state.selected_claim() else {
        return;
    };
    let title = format!(
        " Reviews ({}) · {} ",
        claim.reviews.len(),
        wrap::truncate(&claim.title, 50)
    );
    overlay_block(buf, areas.reader(), Line::from(title));
    let inner = areas.reader_inner();
    let queue = state.needs_review(claim);
    let (reasons, remarks) = (queue.reasons(), queue.remarks());
    if !reasons.is_empty() || !remarks.is_empty() {
        let text = match reasons.is_empty() {
            false => format!("Needs review: {}", reasons.join("; ")),
            true => format!("Not in the queue; {}", remarks.join("; ")),
        };
        put(
            buf,
            inner.x,
            areas.reader().y + 1,
            &text,
            inner.width,
            theme::needs_review(),
        );
    }
    let doc = reviews_document(claim, state.verdict_key());
    let lines = wrap::wrap(&doc, usize::from(inner.width));
    for (y, line) in (inner.y..).zip(lines.iter().skip(scroll).take(usize::from(inner.height))) {
        put(buf, inner.x, y, line, inner.width, Style::new());
    }
    let frame = areas.reader();
    let hint = format!(
        " {} · a correction is a new verdict ({}) ",
        super::scroll_hint(state, Scope::Reviews),
        state
            .settings()
            .keymap
            .shown(Scope::Global, &Action::OpenVerdict)
    );
    super::edge_hint(buf, frame, &hint);
}
