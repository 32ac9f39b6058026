//! The claim digest above the timeline: the tracker's status now and since when, the share
//! of each status, changes and flips, the completion due date, sources, an open suggested
//! follow-up — and the status history as a strip, one cell per update (or per group of
//! updates), readable without colour.

use super::{put, theme};
use crate::app::State;
use crate::model::TrackerStatus;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

pub fn draw(buf: &mut Buffer, area: Rect, state: &State) {
    let Some(claim) = state.selected_claim() else {
        return;
    };
    if claim.updates.is_empty() || area.height == 0 {
        return;
    }
    let parts = &state.timeline.analysis().digest_parts;
    let lines = crate::app::digest::lines(parts, usize::from(area.width));
    for (y, line) in (area.y..area.bottom().saturating_sub(1)).zip(&lines) {
        put(buf, area.x, y, line, area.width, theme::dim());
    }
    if area.height > 1 {
        let strip_y = area.bottom() - 1;
        draw_strip(buf, Rect::new(area.x, strip_y, area.width, 1), state);
    }
}

/// Which status a cell standing for several updates shows: the rarer, more telling one.
fn weight(status: &str) -> u8 {
    match TrackerStatus::of(status) {
        TrackerStatus::Failed => 3,
        TrackerStatus::Complete => 2,
        TrackerStatus::InProgress => 0,
        TrackerStatus::Other => 1,
    }
}

fn draw_strip(buf: &mut Buffer, area: Rect, state: &State) {
    let Some(claim) = state.selected_claim() else {
        return;
    };
    let updates = &claim.updates;
    let first = updates
        .first()
        .map(|u| u.at.format("%b %-d").to_string())
        .unwrap_or_default();
    let last = updates
        .last()
        .map(|u| u.at.format("%b %-d").to_string())
        .unwrap_or_default();
    let label = format!(" {first} → {last}");
    let cells = usize::from(area.width)
        .saturating_sub(crate::wrap::width(&label) + 1)
        .max(1);
    let n = updates.len();
    let per_cell = n.div_ceil(cells).max(1);
    let used = n.div_ceil(per_cell);
    for c in 0..used {
        let group = &updates[c * per_cell..((c + 1) * per_cell).min(n)];
        let Some(u) = group.iter().max_by_key(|u| weight(&u.status)) else {
            continue;
        };
        let x = area.x + c as u16;
        buf[(x, area.y)]
            .set_symbol(theme::strip_symbol(&u.status))
            .set_style(theme::status_style(&u.status));
    }
    put(
        buf,
        area.x + used as u16,
        area.y,
        &label,
        area.width.saturating_sub(used as u16),
        Style::new().patch(theme::dim()),
    );
}
