//! The agenda overlay: every claim's follow-ups overdue, due today or coming within the
//! window, soonest first, under a heading for each section, with their state, note and
//! claim; the title says where the cursor is; the selected row acts.

use super::{fill_row, overlay_block, put, theme};
use crate::app::agenda::{Line, Section, line_of, lines, rows, unlisted};
use crate::app::keymap::Scope;
use crate::app::layout::Areas;
use crate::app::state::ListState;
use crate::app::{Action, State};
use crate::model::text::count;
use ratatui::buffer::Buffer;

pub fn draw(buf: &mut Buffer, areas: &Areas, state: &State, list: ListState, window: u32) {
    let today = state.today();
    let rows = rows(&state.workspace, today, window);
    let lines = lines(&rows);
    let in_section = |s: Section| rows.iter().filter(|r| Section::of(r.due) == s).count();
    let mut title = format!(
        " Agenda · {} overdue · {} today · {} in the next {} ",
        in_section(Section::Overdue),
        in_section(Section::Today),
        in_section(Section::Coming),
        count(usize::try_from(window).unwrap_or(usize::MAX), "day"),
    );
    if !rows.is_empty() {
        title.push_str(&format!("· {}/{} ", list.selected + 1, rows.len()));
    }
    let marked = state.marks().follow_ups.len();
    if marked > 0 {
        title.push_str(&format!("· {} {marked} marked ", theme::MARK_SYMBOL));
        let unlisted = unlisted(&state.workspace, &state.marks().follow_ups, today, window);
        if unlisted > 0 {
            title.push_str(&format!("({unlisted} not shown) "));
        }
    }
    let frame = areas.reader();
    overlay_block(buf, frame, ratatui::text::Line::from(title));
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
    let keymap = &state.settings().keymap;
    let key = |action: Action| keymap.shown(Scope::Agenda, &action);
    let selected_line = line_of(&lines, list.selected);
    for (slot, line) in lines.iter().skip(list.offset).take(page).enumerate() {
        let y = inner.y + slot as u16;
        let i = match *line {
            Line::Heading(section, n) => {
                let jump = match section {
                    Section::Today => format!(" ({} goes here)", key(Action::Today)),
                    _ => String::new(),
                };
                let text = format!("── {} · {}{jump}", section.title(), count(n, "follow-up"));
                put(buf, inner.x, y, &text, inner.width, theme::heading());
                continue;
            }
            Line::Row(i) => i,
        };
        let Some(r) = rows.get(i) else { continue };
        let Some(claim) = state.workspace.claims.get(r.claim) else {
            continue;
        };
        let note = claim
            .follow_up_index(r.date, r.nth)
            .and_then(|at| claim.follow_ups.get(at))
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
            .contains(&(claim.id.clone(), r.date, r.nth))
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
        if list.offset + slot == selected_line {
            fill_row(buf, inner.x, y, inner.width, theme::selected(true));
        }
    }
    // As many of the keys as the frame's edge has room for, most used first.
    let parts = [
        format!("{} done", key(Action::ToggleDone)),
        format!(
            "{}/{} section",
            key(Action::PrevSection),
            key(Action::NextSection)
        ),
        format!("{} mark", key(Action::ToggleMark)),
        format!("{} all here", key(Action::MarkSection)),
        format!("{} go to", key(Action::Open)),
        format!("{} range", key(Action::MarkRange)),
        format!("{} cancel", key(Action::CancelFollowUp)),
        format!(
            "{}/{} a day",
            key(Action::MoveFollowUp(-1)),
            key(Action::MoveFollowUp(1))
        ),
        format!(
            "{}/{} window",
            key(Action::NarrowAgenda),
            key(Action::WidenAgenda)
        ),
    ];
    let room = usize::from(frame.width.saturating_sub(6));
    let mut kept: Vec<String> = Vec::new();
    let close = key(Action::Close);
    let hint = |kept: &[String]| {
        let mut all = kept.to_vec();
        all.push(close.to_owned());
        format!(" {} ", all.join(" · "))
    };
    for part in parts {
        kept.push(part);
        if crate::wrap::width(&hint(&kept)) > room {
            kept.pop();
            break;
        }
    }
    let hint = hint(&kept);
    super::edge_hint(buf, frame, &hint);
}
