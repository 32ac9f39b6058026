//! The claim digest above the timeline: the tracker's status now and since when, the share
//! of each status, changes and flips, the completion due date, sources, an open suggested
//! follow-up — and the status history as a strip, one cell per update (or per group of
//! updates), readable without colour.

use super::{put, theme};
use crate::app::State;
use crate::model::{TrackerStatus, display_safe};
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
    let d = &state.timeline.analysis().digest;
    let total = claim.updates.len();
    let mut line = String::new();
    if let (Some(status), Some(since)) = (&d.status, d.since) {
        line.push_str(&format!(
            "{} {} since {}",
            theme::status_symbol(status),
            display_safe(status),
            since.format("%b %-d %H:%M")
        ));
    }
    let shares: Vec<String> = d
        .shares
        .iter()
        .map(|(s, n)| {
            format!(
                "{}{}%",
                theme::status_symbol(s),
                (n * 100 + total / 2) / total
            )
        })
        .collect();
    line.push_str(&format!(" · {}", shares.join(" ")));
    match (d.changes, d.flip_flops) {
        (0, _) => line.push_str(" · never changed"),
        (n, true) => line.push_str(&format!(" · {n} changes {}", theme::FLIP_SYMBOL)),
        (n, false) => line.push_str(&format!(" · {n} change{}", if n == 1 { "" } else { "s" })),
    }
    match d.days_past_due {
        Some(n) if n > 0 => line.push_str(&format!(" · due {n}d ago")),
        Some(0) => line.push_str(" · due today"),
        Some(n) => line.push_str(&format!(" · due in {}d", -n)),
        None => {}
    }
    if d.distinct_sources > 0 {
        let top: Vec<String> = d
            .top_sources
            .iter()
            .map(|(h, n)| format!("{h} ×{n}"))
            .collect();
        line.push_str(&format!(
            " · {}: {}",
            crate::model::text::count(d.distinct_sources, "source"),
            top.join(", ")
        ));
    }
    if let Some(s) = d.open_suggestion {
        line.push_str(&format!(
            " · suggests {} (not on the calendar)",
            s.format("%b %-d")
        ));
    }
    put(buf, area.x, area.y, &line, area.width, theme::dim());
    if area.height > 1 {
        draw_strip(buf, Rect::new(area.x, area.y + 1, area.width, 1), state);
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
