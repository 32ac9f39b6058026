//! The update timeline pane: the selected claim's updates newest first, runs of the same
//! tracker status folded into one row, status changes marked, updates new since the last
//! review marked, and the selected update's preview below: what it says first, then its
//! body.

use super::{fill_row, pane_block, pane_title, put, put_highlighted, theme};
use crate::app::keymap::Scope;
use crate::app::layout::Areas;
use crate::app::state::TimelineRow;
use crate::app::{Action, Pane, State};
use crate::model::{Update, display_safe};
use crate::search::Needle;
use crate::wrap;
use ratatui::buffer::Buffer;
use ratatui::style::Style;

pub fn draw(buf: &mut Buffer, areas: &Areas, state: &State) {
    let focused = state.overlay.is_none() && state.focus == Pane::Timeline;
    let count = state.update_count();
    let rows = state.timeline_rows();
    let detail = match (count, state.selected_update_index()) {
        (0, _) | (_, None) => String::new(),
        (n, Some(i)) => {
            let folding = if state.timeline.folded() {
                let key = state
                    .settings()
                    .keymap
                    .shown(Scope::Pane(Pane::Timeline), &Action::ToggleFolding);
                format!(" · runs folded ({key})")
            } else {
                String::new()
            };
            format!(
                "{}/{}{folding}",
                i + 1,
                crate::model::text::count(n, "update")
            )
        }
    };
    let inner = pane_block(
        buf,
        areas.timeline,
        pane_title(Pane::Timeline, state, detail),
        focused,
    );
    super::digest::draw(buf, areas.timeline_digest, state);
    let list = areas.timeline_list;
    if count == 0 {
        let text = match (state.selected_claim(), state.awaiting()) {
            (Some(_), Some(_)) if state.unreadable().is_some() => {
                state.updates_not_in().unwrap_or_default()
            }
            (Some(_), Some(n)) => format!(
                "Reading its {} from the database…",
                crate::model::text::count(n, "update")
            ),
            (Some(_), None) => "This claim has no updates yet.".to_owned(),
            (None, _) => "Select a claim.".to_owned(),
        };
        let width = usize::from(list.width.saturating_sub(1));
        for (row, line) in crate::wrap::hanging(&text, width, "", 0)
            .iter()
            .take(usize::from(list.height))
            .enumerate()
        {
            put(
                buf,
                list.x + 1,
                list.y + row as u16,
                line,
                list.width.saturating_sub(1),
                theme::dim(),
            );
        }
        return;
    }
    let needle = super::search_needle(state);
    let offset = state.timeline.list.offset;
    for (slot, row) in rows
        .iter()
        .skip(offset)
        .take(usize::from(list.height))
        .enumerate()
    {
        let y = list.y + slot as u16;
        let selected = offset + slot == state.timeline.list.selected;
        match *row {
            TimelineRow::Update(i) => {
                draw_update_row(buf, list.x, y, list.width, state, i, needle.as_ref())
            }
            TimelineRow::Run { run, first, last } => {
                draw_run_row(buf, list.x, y, list.width, state, run, first, last)
            }
        }
        if selected {
            fill_row(buf, list.x, y, list.width, theme::selected(focused));
        }
    }
    draw_separator(buf, areas, state, inner, focused);
    draw_preview(buf, areas, state, needle.as_ref());
}

/// One update: change mark, search mark, time, status, new mark, and a snippet.
fn draw_update_row(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    state: &State,
    i: usize,
    needle: Option<&Needle>,
) {
    let mut updates = state.updates_newest_first().skip(i);
    let Some(update) = updates.next() else { return };
    let older = updates.next();
    let changed = older.is_some_and(|o| o.status != update.status);
    let matching = needle.filter(|_| state.update_matches(i));
    let end = x + width;
    if changed {
        put(buf, x, y, theme::CHANGE_SYMBOL, 1, theme::change_style());
    }
    if matching.is_some() {
        put(buf, x + 1, y, theme::MATCH_SYMBOL, 1, theme::needs_review());
    }
    let mut cx = x + 2;
    let when = update.at.format("%b %d %Y %H:%M").to_string();
    cx = put(buf, cx, y, &when, end.saturating_sub(cx), theme::dim());
    cx += 2;
    let status_text = format!(
        "{} {:<11}",
        theme::status_symbol(&update.status),
        display_safe(&update.status)
    );
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
    if state.is_new(i) && cx + 4 < end {
        cx = put(buf, cx, y, theme::NEW_SYMBOL, 1, theme::new_style());
        cx += 1;
    }
    if cx < end {
        let novelty = state.novelty_of(i);
        let (snippet, style) = snippet(update, novelty, matching);
        put_highlighted(buf, cx, y, &snippet, end - cx, style, matching);
    }
}

/// What a row says of its update: the words around the search's first match; else the
/// first sentence it adds to the claim's history past the restated claim it opens with
/// (`Novelty::first_news`); `= nothing new` when it adds none; its first line before the
/// analysis is in.
fn snippet(
    update: &Update,
    novelty: Option<&crate::analysis::Novelty>,
    matching: Option<&Needle>,
) -> (String, Style) {
    let body: &str = &update.body;
    if let Some(at) = matching.and_then(|n| n.find_in(body)) {
        if at > 30 {
            let from = body[..at]
                .char_indices()
                .rev()
                .nth(20)
                .map_or(0, |(i, _)| i);
            return (format!("…{}", &body[from..]), Style::new());
        }
        return (body.lines().next().unwrap_or("").to_owned(), Style::new());
    }
    match novelty {
        Some(n) => match n.first_news(body) {
            Some(first) => (first.to_owned(), Style::new()),
            None => ("= nothing new".to_owned(), theme::dim()),
        },
        None => (body.lines().next().unwrap_or("").to_owned(), Style::new()),
    }
}

/// A folded run: status ×count · first – last time, with how many are new or match.
#[allow(clippy::too_many_arguments)]
fn draw_run_row(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    state: &State,
    run: usize,
    first: usize,
    last: usize,
) {
    let Some(claim) = state.selected_claim() else {
        return;
    };
    let runs = &state.timeline.analysis().runs;
    let Some(r) = runs.get(run) else { return };
    let changed = run > 0;
    let n = claim.updates.len();
    let end = x + width;
    if changed {
        put(buf, x, y, theme::CHANGE_SYMBOL, 1, theme::change_style());
    }
    put(buf, x + 1, y, theme::RUN_SYMBOL, 1, theme::dim());
    let (Some(from), Some(to)) = (claim.updates.get(first), claim.updates.get(last)) else {
        return;
    };
    let mut text = format!(
        "{} {} ×{} · {} – {}",
        theme::status_symbol(&r.status),
        display_safe(&r.status),
        last + 1 - first,
        from.at.format("%b %d %H:%M"),
        to.at.format("%b %d %H:%M"),
    );
    let new = (first..=last).filter(|&k| state.is_new(n - 1 - k)).count();
    let matches = state.search_hit().map_or(0, |h| {
        h.updates
            .iter()
            .filter(|&&k| first <= k && k <= last)
            .count()
    });
    if new > 0 {
        text.push_str(&format!(" · {} {new} new", theme::NEW_SYMBOL));
    }
    if matches > 0 {
        text.push_str(&format!(" · {} {matches} match", theme::MATCH_SYMBOL));
    }
    text.push_str(&format!(" · {} unfolds", open_key(state)));
    let style = theme::status_style(&r.status).add_modifier(ratatui::style::Modifier::ITALIC);
    put(buf, x + 2, y, &text, end.saturating_sub(x + 2), style);
}

/// The row between the list and the preview names the selected update.
fn draw_separator(
    buf: &mut Buffer,
    areas: &Areas,
    state: &State,
    inner: ratatui::layout::Rect,
    focused: bool,
) {
    let sep_y = areas.timeline_list.bottom();
    if sep_y >= inner.bottom() {
        return;
    }
    for x in areas.timeline.x..areas.timeline.right() {
        buf[(x, sep_y)]
            .set_symbol("─")
            .set_style(theme::border(focused));
    }
    buf[(areas.timeline.x, sep_y)].set_symbol(if focused { "┣" } else { "├" });
    buf[(areas.timeline.right() - 1, sep_y)].set_symbol(if focused { "┫" } else { "┤" });
    let Some(u) = state.selected_update() else {
        return;
    };
    let mut title = format!(
        " {} UTC · {}",
        u.at.format("%a %b %-d, %Y %H:%M"),
        display_safe(&u.status_label())
    );
    if let Some(prev) = state.previous_update().filter(|p| p.status != u.status) {
        title.push_str(&format!(" (was {})", display_safe(&prev.status)));
    }
    if matches!(state.selected_row(), Some(TimelineRow::Run { .. })) {
        title.push_str(&format!(
            " · newest of the run · {} unfolds ",
            open_key(state)
        ));
    } else {
        title.push_str(&format!(" · {}: read all ", open_key(state)));
    }
    put(
        buf,
        inner.x + 1,
        sep_y,
        &title,
        inner.width.saturating_sub(2),
        theme::heading(),
    );
}

fn draw_preview(buf: &mut Buffer, areas: &Areas, state: &State, needle: Option<&Needle>) {
    let detail = areas.timeline_detail;
    let lines = state.preview.lines();
    let total = lines.len();
    let scroll = state.timeline.body_scroll.min(total.saturating_sub(1));
    // The "new here" paragraph stands out until the blank line that ends it.
    let head_lines = state.preview.head_lines();
    for (i, line) in lines
        .iter()
        .enumerate()
        .skip(scroll)
        .take(usize::from(detail.height))
    {
        let style = if i < head_lines {
            theme::novelty()
        } else {
            Style::new()
        };
        put_highlighted(
            buf,
            detail.x,
            detail.y + (i - scroll) as u16,
            line,
            detail.width,
            style,
            needle,
        );
    }
    let shown_to = scroll + usize::from(detail.height);
    if total > shown_to {
        let sources = state.selected_update().map_or(0, |u| u.sources.len());
        let lines = crate::model::text::count(total - shown_to, "more line");
        let more = match sources {
            0 => format!(" {lines} "),
            n => format!(" {lines} · {} ", crate::model::text::count(n, "source")),
        };
        let w = wrap::width(&more) as u16;
        let x = areas.timeline.right().saturating_sub(w + 2);
        put(buf, x, areas.timeline.bottom() - 1, &more, w, theme::dim());
    }
}

/// The key that opens (or unfolds) the selected row.
fn open_key(state: &State) -> &'static str {
    state
        .settings()
        .keymap
        .shown(Scope::Pane(Pane::Timeline), &Action::Open)
}
