//! The agenda overlay: every claim's follow-ups overdue, due today or coming within the
//! window, soonest first, with their state, note and claim; the selected row acts.

use super::{fill_row, overlay_block, put, theme};
use crate::app::agenda::{rows, unlisted};
use crate::app::keymap::Scope;
use crate::app::layout::Areas;
use crate::app::state::ListState;
use crate::app::{Action, State};
use crate::model::Due;
use ratatui::buffer::Buffer;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, areas: &Areas, state: &State, list: ListState, window: u32) {
    let today = state.today();
    let rows = rows(&state.workspace, today, window);
    let count = |due: Due| rows.iter().filter(|r| r.due == due).count();
    let mut title = format!(
        " Agenda · {} overdue · {} today · {} in the next {} ",
        count(Due::Overdue),
        count(Due::Today),
        count(Due::Upcoming),
        crate::model::text::count(usize::try_from(window).unwrap_or(usize::MAX), "day"),
    );
    let marked = state.marks().follow_ups.len();
    if marked > 0 {
        title.push_str(&format!("· {} {marked} marked ", theme::MARK_SYMBOL));
        let unlisted = unlisted(&state.workspace, &state.marks().follow_ups, today, window);
        if unlisted > 0 {
            title.push_str(&format!("({unlisted} not shown) "));
        }
    }
    let frame = areas.reader();
    overlay_block(buf, frame, Line::from(title));
    let inner = areas.reader_inner();
    let page = usize::from(inner.height.saturating_sub(1));
    if rows.is_empty() {
        put(
            buf,
            inner.x,
            inner.y,
            "No follow-up is due or coming in the window: > looks a week further.",
            inner.width,
            theme::dim(),
        );
    }
    for (slot, (i, r)) in rows
        .iter()
        .enumerate()
        .skip(list.offset)
        .take(page)
        .enumerate()
    {
        let y = inner.y + slot as u16;
        let Some(claim) = state.workspace.claims.get(r.claim) else {
            continue;
        };
        let note = claim
            .follow_ups
            .iter()
            .find(|f| f.date == r.date)
            .map_or("", |f| f.note.as_str());
        let mut text = format!(
            "{}  {} {:<9} ",
            r.date.format("%a %b %e %Y"),
            theme::due_symbol(r.due),
            theme::due_word(r.due)
        );
        if !note.is_empty() {
            text.push_str(note);
            text.push_str(" · ");
        }
        text.push_str(&claim.title);
        // Two columns of gutter: the mark of a marked row.
        if state
            .marks()
            .follow_ups
            .contains(&(claim.id.clone(), r.date))
        {
            put(buf, inner.x, y, theme::MARK_SYMBOL, 1, theme::marked());
        }
        put(
            buf,
            inner.x + 2,
            y,
            &text,
            inner.width.saturating_sub(2),
            theme::due_style(r.due),
        );
        if i == list.selected {
            fill_row(buf, inner.x, y, inner.width, theme::selected(true));
        }
    }
    let keymap = &state.settings().keymap;
    let key = |action: Action| keymap.shown(Scope::Agenda, &action);
    let hint = format!(
        " {} done · {} cancel · {}/{} a day · {} go to · {}/{} window · {} ",
        key(Action::ToggleDone),
        key(Action::CancelFollowUp),
        key(Action::MoveFollowUp(-1)),
        key(Action::MoveFollowUp(1)),
        key(Action::Open),
        key(Action::NarrowAgenda),
        key(Action::WidenAgenda),
        key(Action::Close),
    );
    super::edge_hint(buf, frame, &hint);
}
