//! Moving around: selection and scrolling in each pane, the calendar's cursor, the mouse,
//! and the wrapped extents that bound scrolling.

use super::*;

/// Selects the next (or previous) claim in the list that wants a verdict, in the order
/// on screen, wrapping around; says how many are in the queue (the status bar's count).
/// A claim just decided keeps its row (`ClaimListState::held`) until this moves off it,
/// so the claim after it is the next one visited and none is skipped.
pub(super) fn jump_needs_review(state: &mut State, forward: bool) {
    let len = state.claims.view.len();
    let current = state.claims.list.selected;
    let found = (1..len)
        .map(|d| {
            if forward {
                (current + d) % len
            } else {
                (current + len - d) % len
            }
        })
        .find(|&pos| {
            let i = state.claims.view[pos];
            state
                .needs_review(&state.workspace.claims[i])
                .wants_verdict()
        });
    if let Some(pos) = found {
        select_claim(state, pos);
    }
    let left = state.claims.totals.to_review;
    let here = state
        .selected_claim()
        .is_some_and(|c| state.needs_review(c).wants_verdict());
    state.set_message(match (found, left) {
        (Some(_), n) => format!("{n} to review"),
        (None, 0) => "The queue is empty: 0 to review".to_owned(),
        (None, 1) if here => "Only this claim is left to review".to_owned(),
        (None, n) => {
            let filter = state
                .settings
                .keymap
                .shown(super::super::keymap::Scope::Pane(Pane::Claims), &Action::OpenFilter);
            format!(
                "No other claim in this list wants a verdict; {n} to review in all ({filter}: filter)"
            )
        }
    });
}

/// Up/Down/First/Last/paging in the focused pane.
pub(super) fn move_in_pane(state: &mut State, motion: &Action) {
    match state.focus {
        Pane::Claims => {
            let len = state.claims.view.len();
            let page = state.claim_rows();
            let next = step(state.claims.list.selected, motion, len, page);
            select_claim(state, next);
        }
        Pane::Timeline => {
            let len = state.timeline_rows().len();
            let page = timeline_page(state);
            let next = step(state.timeline.list.selected, motion, len, page);
            select_update(state, next);
        }
        Pane::Calendar => {}
    }
}

/// Where a motion takes an index in a list of `len` items with `page` rows showing.
pub(super) fn step(current: usize, motion: &Action, len: usize, page: usize) -> usize {
    let last = len.saturating_sub(1);
    let page = page.max(1);
    let next = match motion {
        Action::Down => current.saturating_add(1),
        Action::Up => current.saturating_sub(1),
        Action::First => 0,
        Action::Last => last,
        Action::PageDown => current.saturating_add(page),
        Action::PageUp => current.saturating_sub(page),
        Action::HalfPageDown => current.saturating_add((page / 2).max(1)),
        Action::HalfPageUp => current.saturating_sub((page / 2).max(1)),
        _ => current,
    };
    next.min(last)
}

pub(super) fn main_page(state: &State) -> usize {
    state
        .areas()
        .map_or(1, |a| usize::from(a.main.height.saturating_sub(2)))
}

pub(super) fn timeline_page(state: &State) -> usize {
    state
        .areas()
        .map_or(1, |a| usize::from(a.timeline_list.height))
}

pub(super) fn select_claim(state: &mut State, index: usize) {
    let before = state.claims.list.selected;
    let len = state.claims.view.len();
    let rows = state.claim_rows();
    state.claims.list.select(index, len, rows);
    if state.claims.list.selected != before {
        // Leaving a held claim puts the list in its order around the new selection.
        state.release_held();
        state.claim_changed();
    }
}

/// Unfolds (or folds again) the run whose oldest update is `first`, keeping the selected
/// update in view.
pub(super) fn toggle_run(state: &mut State, first: usize) {
    let keep = state.selected_update_index();
    let folding = state.timeline.toggle_run(first);
    match keep {
        // Folding: the selection moves to the run's row.
        Some(i) if folding => select_covering_row(state, i),
        Some(i) => reveal_update(state, i),
        None => {}
    }
}

/// Selects the row showing an update (newest-first index): its own, or its run's.
pub(super) fn select_covering_row(state: &mut State, newest_first: usize) {
    if let Some(row) = state.timeline.rows().row_covering(newest_first) {
        select_update(state, row);
    }
}

/// Selects the row of an update (newest-first index), unfolding its run if needed.
pub(super) fn reveal_update(state: &mut State, newest_first: usize) {
    let own_row = state
        .timeline_rows()
        .contains(&TimelineRow::Update(newest_first));
    if !own_row && let Some(first) = state.timeline.rows().foldable_run_of(newest_first) {
        state.timeline.expand(first);
    }
    select_covering_row(state, newest_first);
}

pub(super) fn select_update(state: &mut State, index: usize) {
    let before = state.timeline.list.selected;
    let len = state.timeline_rows().len();
    let page = timeline_page(state);
    state.timeline.list.select(index, len, page);
    if state.timeline.list.selected != before {
        state.timeline.body_scroll = 0;
    }
}

pub(super) fn add_days(date: NaiveDate, days: i32) -> Option<NaiveDate> {
    if days >= 0 {
        date.checked_add_days(Days::new(u64::from(days.unsigned_abs())))
    } else {
        date.checked_sub_days(Days::new(u64::from(days.unsigned_abs())))
    }
}

pub(super) fn move_cursor(state: &mut State, days: i32) {
    if let Some(d) = add_days(state.calendar.cursor, days) {
        state.calendar.cursor = d;
    }
}

pub(super) fn shift_month(state: &mut State, forward: bool) {
    let c = state.calendar.cursor;
    let shifted = if forward {
        c.checked_add_months(Months::new(1))
    } else {
        c.checked_sub_months(Months::new(1))
    };
    if let Some(d) = shifted {
        state.calendar.cursor = d;
    }
}

/// Keeps every selection visible after the screen changed size.
pub(super) fn reveal_all(state: &mut State) {
    let rows = state.claim_rows();
    state.claims.list.reveal(rows);
    let rows = timeline_page(state);
    state.timeline.list.reveal(rows);
    if let Some(Overlay::Reader { scroll }) = state.overlay {
        state.derive_text();
        let (lines, page) = reader_extent(state);
        state.overlay = Some(Overlay::Reader {
            scroll: scroll.min(lines.saturating_sub(page)),
        });
    }
}

/// The reader's line count at the current width, and how many lines show at once. The
/// text was wrapped when the reader opened (or the screen last changed size).
pub(super) fn reader_extent(state: &State) -> (usize, usize) {
    let Some(areas) = state.areas() else {
        return (0, 1);
    };
    let inner = areas.reader_inner();
    (
        state.document.lines().len(),
        usize::from(inner.height).max(1),
    )
}

/// The same for the review history.
pub(super) fn reviews_extent(state: &State) -> (usize, usize) {
    let key = state.verdict_key();
    document_extent(state, |c, _| reviews_document(c, key))
}

/// Lines of the selected claim's details as the overlay wraps them, and its height.
pub(super) fn details_extent(state: &State) -> (usize, usize) {
    let key = state.verdict_key();
    document_extent(state, |c, today| {
        crate::app::details::details_document(c, today, key)
    })
}

/// Lines of a document about the selected claim, wrapped to the reader's frame (which the
/// review history and the details share), and the frame's height.
fn document_extent(
    state: &State,
    doc: impl Fn(&crate::model::Claim, NaiveDate) -> String,
) -> (usize, usize) {
    let Some(areas) = state.areas() else {
        return (0, 1);
    };
    let inner = areas.reader_inner();
    let lines = state.selected_claim().map_or(0, |c| {
        wrap::wrap(&doc(c, state.today()), usize::from(inner.width)).len()
    });
    (lines, usize::from(inner.height).max(1))
}

/// Rows of the agenda the overlay shows at once.
pub(super) fn agenda_page(state: &State) -> usize {
    state.areas().map_or(1, |a| {
        usize::from(a.reader_inner().height.saturating_sub(1)).max(1)
    })
}

/// Rows of the help as its overlay wraps them, and its height.
pub(super) fn help_extent(state: &State) -> (usize, usize) {
    let Some(areas) = state.areas() else {
        return (0, 1);
    };
    let keymap = &state.settings.keymap;
    let inner = areas.help_inner(keymap);
    let rows = crate::app::help::rows(keymap, usize::from(inner.width)).len();
    (rows, usize::from(inner.height).max(1))
}

/// Where the help opens: at the keys of the focused pane, as far as the end allows.
pub(super) fn help_start(state: &State) -> usize {
    let Some(areas) = state.areas() else {
        return 0;
    };
    let keymap = &state.settings.keymap;
    let width = usize::from(areas.help_inner(keymap).width);
    let (rows, page) = help_extent(state);
    let scope = crate::app::keymap::Scope::Pane(state.focus);
    crate::app::help::section_row(keymap, scope, width).min(rows.saturating_sub(page))
}

/// Lines of the selected update's body in the timeline's preview, and its height.
pub(super) fn preview_extent(state: &mut State) -> (usize, usize) {
    state.derive_text();
    let Some(areas) = state.areas() else {
        return (0, 1);
    };
    let d = areas.timeline_detail;
    (state.preview.lines().len(), usize::from(d.height).max(1))
}

pub(super) fn contains(r: Rect, column: u16, row: u16) -> bool {
    r.contains(Position::new(column, row))
}

pub(super) fn click(state: &mut State, column: u16, row: u16) {
    if state.overlay.is_some() {
        return;
    }
    let Some(a) = state.areas() else { return };
    if contains(a.claims, column, row) {
        state.focus = Pane::Claims;
        let inner_row = row.saturating_sub(a.claims.y + 1);
        if row > a.claims.y && inner_row < a.claim_rows() {
            let index = state.claims.list.offset + usize::from(inner_row / CLAIM_ROW_HEIGHT);
            if index < state.claims.view.len() {
                select_claim(state, index);
            }
        }
    } else if contains(a.timeline, column, row) {
        state.focus = Pane::Timeline;
        if contains(a.timeline_list, column, row) {
            let index = state.timeline.list.offset + usize::from(row - a.timeline_list.y);
            if index < state.timeline_rows().len() {
                select_update(state, index);
            }
        }
    } else if contains(a.calendar, column, row) {
        state.focus = Pane::Calendar;
        if let Some(day) = crate::app::layout::day_at(&a, state.calendar.month(), column, row) {
            state.calendar.cursor = day;
        }
    }
}

pub(super) fn wheel(state: &mut State, column: u16, row: u16, down: bool) {
    let motion = if down { Action::Down } else { Action::Up };
    if let Some(overlay) = &state.overlay {
        if matches!(
            overlay,
            Overlay::Help { .. }
                | Overlay::Reader { .. }
                | Overlay::Reviews { .. }
                | Overlay::Details { .. }
                | Overlay::Agenda { .. }
        ) {
            for _ in 0..WHEEL_STEP {
                overlay_action(state, motion.clone());
            }
        }
        return;
    }
    let Some(a) = state.areas() else { return };
    if contains(a.timeline_detail, column, row) {
        let (lines, page) = preview_extent(state);
        let max = lines.saturating_sub(page);
        let s = &mut state.timeline.body_scroll;
        *s = if down {
            (*s + WHEEL_STEP).min(max)
        } else {
            s.saturating_sub(WHEEL_STEP)
        };
        return;
    }
    if contains(a.calendar, column, row) {
        shift_month(state, down);
        return;
    }
    let pane = if contains(a.claims, column, row) {
        Pane::Claims
    } else if contains(a.timeline, column, row) {
        Pane::Timeline
    } else {
        return;
    };
    let focus = std::mem::replace(&mut state.focus, pane);
    for _ in 0..WHEEL_STEP {
        move_in_pane(state, &motion);
    }
    state.focus = focus;
}
