//! The claim list pane: per claim its title, the reviewer's verdict, the tracker's
//! latest status, its update count and its next follow-up, overdue ones marked.

use super::{fill_row, pane_block, pane_title, put, theme};
use crate::app::layout::CLAIM_ROW_HEIGHT;
use crate::app::{Pane, State};
use crate::model::Claim;
use crate::wrap;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

pub fn draw(buf: &mut Buffer, area: Rect, state: &State) {
    let focused = state.overlay.is_none() && state.focus == Pane::Claims;
    let claims = &state.workspace.claims;
    let detail = if claims.is_empty() {
        String::new()
    } else {
        format!("{}/{}", state.claims.selected + 1, claims.len())
    };
    let inner = pane_block(buf, area, pane_title(Pane::Claims, state, detail), focused);
    if claims.is_empty() {
        put(
            buf,
            inner.x + 1,
            inner.y,
            "No claims yet.",
            inner.width.saturating_sub(1),
            theme::dim(),
        );
        put(
            buf,
            inner.x + 1,
            inner.y + 1,
            "Add some: claimdesk import FILE…",
            inner.width.saturating_sub(1),
            theme::dim(),
        );
        return;
    }
    let rows = usize::from(inner.height / CLAIM_ROW_HEIGHT);
    for (slot, (index, claim)) in claims
        .iter()
        .enumerate()
        .skip(state.claims.offset)
        .take(rows)
        .enumerate()
    {
        let y = inner.y + slot as u16 * CLAIM_ROW_HEIGHT;
        let selected = index == state.claims.selected;
        draw_claim(buf, inner, y, claim, state, selected, focused);
    }
}

fn draw_claim(
    buf: &mut Buffer,
    inner: Rect,
    y: u16,
    claim: &Claim,
    state: &State,
    selected: bool,
    focused: bool,
) {
    let x = inner.x;
    let w = inner.width;
    let gutter = if selected { "›" } else { " " };
    put(buf, x, y, gutter, 1, theme::heading());
    put(
        buf,
        x + 1,
        y,
        &claim.title,
        w.saturating_sub(1),
        theme::heading(),
    );

    // Second line: verdict, status, updates, next follow-up; as much as fits.
    let verdict = claim.verdict();
    let verdict_text = verdict.map_or("unreviewed", |v| v.as_str());
    let status = claim.latest_status().unwrap_or("no updates");
    let symbol = theme::status_symbol(status);
    let count = claim.updates.len();
    let next = claim.next_follow_up().map(|f| (f.date, f.due(state.today)));
    let next_style = next.map_or(Style::new(), |(_, due)| theme::due_style(due));
    let variants: [Vec<(String, Style)>; 3] = [
        vec![
            (format!("{symbol} {status}"), theme::status_style(status)),
            (format!("{count} updates"), Style::new()),
            (
                next.map_or(String::new(), |(d, due)| {
                    format!("next {} ({})", d.format("%b %-d"), theme::due_word(due))
                }),
                next_style,
            ),
        ],
        vec![
            (format!("{symbol} {status}"), theme::status_style(status)),
            (format!("{count} upd"), Style::new()),
            (
                next.map_or(String::new(), |(d, due)| {
                    format!("{}{}", theme::due_symbol(due), d.format("%b %-d"))
                }),
                next_style,
            ),
        ],
        vec![
            (symbol.to_owned(), theme::status_style(status)),
            (format!("{count}u"), Style::new()),
            (
                next.map_or(String::new(), |(d, due)| {
                    format!("{}{}", theme::due_symbol(due), d.format("%b %-d"))
                }),
                next_style,
            ),
        ],
    ];
    let width_of = |parts: &[(String, Style)], sep: &str| {
        wrap::width(verdict_text)
            + parts
                .iter()
                .filter(|(t, _)| !t.is_empty())
                .map(|(t, _)| wrap::width(sep) + wrap::width(t))
                .sum::<usize>()
    };
    let room = usize::from(w).saturating_sub(2);
    let (parts, sep) = variants
        .iter()
        .enumerate()
        .map(|(i, v)| (v, [" · ", "  ", " "][i]))
        .find(|(v, sep)| width_of(v, sep) <= room)
        .unwrap_or((&variants[2], " "));
    let y2 = y + 1;
    let end = x + w;
    let mut cx = put(
        buf,
        x + 2,
        y2,
        verdict_text,
        w.saturating_sub(2),
        theme::verdict_style(verdict),
    );
    for (text, style) in parts.iter().filter(|(t, _)| !t.is_empty()) {
        cx = put(buf, cx, y2, sep, end.saturating_sub(cx), theme::dim());
        cx = put(buf, cx, y2, text, end.saturating_sub(cx), *style);
    }
    if selected {
        let style = theme::selected(focused);
        fill_row(buf, x, y, w, style);
        fill_row(buf, x, y2, w, style);
    }
}
