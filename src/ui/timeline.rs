//! The update timeline pane: the selected claim's updates newest first, a change of
//! tracker status marked, and the selected update's body below.

use super::{fill_row, pane_block, pane_title, put, theme};
use crate::app::layout::Areas;
use crate::app::{Pane, State};
use crate::model::{Update, display_safe};
use crate::wrap;
use ratatui::buffer::Buffer;
use ratatui::style::Style;

pub fn draw(buf: &mut Buffer, areas: &Areas, state: &State) {
    let focused = state.overlay.is_none() && state.focus == Pane::Timeline;
    let count = state.update_count();
    let detail = match count {
        0 => String::new(),
        n => format!("{}/{} updates", state.timeline.list.selected + 1, n),
    };
    let inner = pane_block(
        buf,
        areas.timeline,
        pane_title(Pane::Timeline, state, detail),
        focused,
    );
    let list = areas.timeline_list;
    if count == 0 {
        let text = if state.selected_claim().is_some() {
            "This claim has no updates yet."
        } else {
            "Select a claim."
        };
        put(
            buf,
            list.x + 1,
            list.y,
            text,
            list.width.saturating_sub(1),
            theme::dim(),
        );
        return;
    }
    let needle = super::search_needle(state);
    // Rows: visible window only. Each row needs its older neighbour to tell a change.
    let offset = state.timeline.list.offset;
    let rows = usize::from(list.height);
    let mut newest_first = state.updates_newest_first().skip(offset).peekable();
    for slot in 0..rows {
        let Some(update) = newest_first.next() else {
            break;
        };
        let older = newest_first.peek().copied();
        let y = list.y + slot as u16;
        let selected = offset + slot == state.timeline.list.selected;
        let matching = needle.is_some() && state.update_matches(offset + slot);
        let row = Row {
            update,
            older,
            selected,
            focused,
            matching: matching.then_some(()).and(needle.as_ref()),
        };
        draw_row(buf, list.x, y, list.width, &row);
    }

    // The separator row between the list and the body names the selected update.
    let sep_y = list.bottom();
    if sep_y < inner.bottom() {
        for x in areas.timeline.x..areas.timeline.right() {
            buf[(x, sep_y)]
                .set_symbol("─")
                .set_style(theme::border(focused));
        }
        buf[(areas.timeline.x, sep_y)].set_symbol(if focused { "┣" } else { "├" });
        buf[(areas.timeline.right() - 1, sep_y)].set_symbol(if focused { "┫" } else { "┤" });
        if let Some(u) = state.selected_update() {
            let mut title = format!(
                " {} UTC · {}",
                u.at.format("%a %b %-d, %Y %H:%M"),
                display_safe(&u.status)
            );
            if let Some(prev) = state.previous_update().filter(|p| p.status != u.status) {
                title.push_str(&format!(" (was {})", display_safe(&prev.status)));
            }
            title.push_str(" · Enter: read all ");
            put(
                buf,
                inner.x + 1,
                sep_y,
                &title,
                inner.width.saturating_sub(2),
                theme::heading(),
            );
        }
    }

    let detail = areas.timeline_detail;
    if let Some(u) = state.selected_update() {
        let lines = wrap::wrap(&u.body, usize::from(detail.width));
        let total = lines.len();
        let scroll = state.timeline.body_scroll.min(total.saturating_sub(1));
        for (i, line) in lines
            .iter()
            .skip(scroll)
            .take(usize::from(detail.height))
            .enumerate()
        {
            super::put_highlighted(
                buf,
                detail.x,
                detail.y + i as u16,
                line,
                detail.width,
                Style::new(),
                needle.as_ref(),
            );
        }
        let shown_to = scroll + usize::from(detail.height);
        if total > shown_to {
            let more = match u.sources.len() {
                0 => format!(" {} more lines ", total - shown_to),
                n => format!(" {} more lines · {n} sources ", total - shown_to),
            };
            let w = wrap::width(&more) as u16;
            let x = areas.timeline.right().saturating_sub(w + 2);
            put(buf, x, areas.timeline.bottom() - 1, &more, w, theme::dim());
        }
    }
}

/// What one timeline row shows.
struct Row<'a> {
    update: &'a Update,
    /// The update just older, to tell a change of status.
    older: Option<&'a Update>,
    selected: bool,
    focused: bool,
    /// The search's needle, when this update matches it.
    matching: Option<&'a crate::search::Needle>,
}

fn draw_row(buf: &mut Buffer, x: u16, y: u16, width: u16, row: &Row<'_>) {
    let (update, older, selected, focused) = (row.update, row.older, row.selected, row.focused);
    let changed = older.is_some_and(|o| o.status != update.status);
    let end = x + width;
    let mut cx = x;
    if changed {
        cx = put(buf, cx, y, theme::CHANGE_SYMBOL, 1, theme::change_style());
    } else {
        cx += 1;
    }
    if row.matching.is_some() {
        put(buf, cx, y, theme::MATCH_SYMBOL, 1, theme::needs_review());
    }
    cx += 1;
    let when = update.at.format("%b %d %Y %H:%M").to_string();
    cx = put(buf, cx, y, &when, end.saturating_sub(cx), theme::dim());
    cx += 2;
    let status = display_safe(&update.status);
    let status_text = format!("{} {:<11}", theme::status_symbol(&update.status), status);
    let style = if changed {
        theme::status_style(&update.status).patch(theme::change_style())
    } else {
        theme::status_style(&update.status)
    };
    cx = put(
        buf,
        cx.min(end),
        y,
        &status_text,
        end.saturating_sub(cx),
        style,
    );
    cx += 1;
    if cx < end {
        let first_line = update.body.lines().next().unwrap_or("");
        // A matching update shows the words around its first match.
        let snippet = match row
            .matching
            .and_then(|n| n.find_in(&update.body).map(|at| (n, at)))
        {
            Some((_, at)) if at > 30 => {
                let from = update.body[..at]
                    .char_indices()
                    .rev()
                    .nth(20)
                    .map_or(0, |(i, _)| i);
                format!("…{}", &update.body[from..])
            }
            _ => first_line.to_owned(),
        };
        super::put_highlighted(buf, cx, y, &snippet, end - cx, Style::new(), row.matching);
    }
    if selected {
        fill_row(buf, x, y, width, theme::selected(focused));
    }
}
