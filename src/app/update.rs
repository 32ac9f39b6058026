//! How each action changes the state: the one place where state changes. Pure — no
//! terminal, no file I/O — so every key's effect is testable as a state change.

use super::action::Action;
use super::layout::CLAIM_ROW_HEIGHT;
use super::state::{CalendarState, Overlay, Pane, State, first_of_month, reader_document};
use crate::wrap;
use chrono::Months;
use ratatui::layout::{Position, Rect};

/// Lines the mouse wheel moves.
const WHEEL_STEP: usize = 3;

/// Applies one action.
pub fn update(state: &mut State, action: Action) {
    // A message stays until the user does something else.
    if !matches!(action, Action::Resize { .. }) {
        state.message = None;
    }
    match action {
        Action::Resize { width, height } => {
            state.size = (width, height);
            reveal_all(state);
        }
        Action::Quit => state.quit = true,
        Action::ToggleHelp => {
            state.overlay = match state.overlay {
                Some(Overlay::Help { .. }) => None,
                _ => Some(Overlay::Help { scroll: 0 }),
            }
        }
        Action::Close => state.overlay = None,
        Action::Click { column, row } => click(state, column, row),
        Action::ScrollUp { column, row } => wheel(state, column, row, false),
        Action::ScrollDown { column, row } => wheel(state, column, row, true),
        Action::FocusNext if state.overlay.is_none() => state.focus = state.focus.next(),
        Action::FocusPrev if state.overlay.is_none() => state.focus = state.focus.prev(),
        Action::Open => {
            if state.selected_update().is_some() {
                state.overlay = Some(Overlay::Reader { scroll: 0 });
            }
        }
        Action::PrevMonth => shift_month(state, -1),
        Action::NextMonth => shift_month(state, 1),
        Action::Today => state.calendar = CalendarState::showing(state.today),
        motion => move_in_context(state, motion),
    }
}

/// Up/Down/First/Last/paging, applied to whatever has the keyboard.
fn move_in_context(state: &mut State, motion: Action) {
    match state.overlay {
        Some(Overlay::Help { scroll }) => {
            let page = state
                .areas()
                .map_or(1, |a| usize::from(a.main.height.saturating_sub(2)));
            let max = super::help::lines().len().saturating_sub(page);
            let next = step(scroll, motion, max + 1, page);
            state.overlay = Some(Overlay::Help { scroll: next });
        }
        Some(Overlay::Reader { scroll }) => {
            let (lines, page) = reader_extent(state);
            let max = lines.saturating_sub(page);
            let next = step(scroll, motion, max + 1, page).min(max);
            state.overlay = Some(Overlay::Reader { scroll: next });
        }
        None => match state.focus {
            Pane::Claims => {
                let len = state.workspace.claims.len();
                let page = claim_page(state);
                let next = step(state.claims.selected, motion, len, page);
                select_claim(state, next);
            }
            Pane::Timeline => {
                let len = state.update_count();
                let page = timeline_page(state);
                let next = step(state.timeline.list.selected, motion, len, page);
                select_update(state, next);
            }
            Pane::Calendar => {
                let len = state.month_follow_ups().len();
                state.calendar.selected = step(state.calendar.selected, motion, len, 5);
            }
        },
    }
}

/// Where a motion takes an index in a list of `len` items with `page` rows showing.
fn step(current: usize, motion: Action, len: usize, page: usize) -> usize {
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

fn claim_page(state: &State) -> usize {
    state
        .areas()
        .map_or(1, |a| usize::from(a.claim_rows() / CLAIM_ROW_HEIGHT))
}

fn timeline_page(state: &State) -> usize {
    state
        .areas()
        .map_or(1, |a| usize::from(a.timeline_list.height))
}

fn select_claim(state: &mut State, index: usize) {
    let before = state.claims.selected;
    let len = state.workspace.claims.len();
    let page = claim_page(state);
    state.claims.select(index, len, page);
    if state.claims.selected != before {
        state.claim_changed();
    }
}

fn select_update(state: &mut State, index: usize) {
    let before = state.timeline.list.selected;
    let len = state.update_count();
    let page = timeline_page(state);
    state.timeline.list.select(index, len, page);
    if state.timeline.list.selected != before {
        state.timeline.body_scroll = 0;
    }
}

fn shift_month(state: &mut State, by: i32) {
    let month = state.calendar.month;
    let shifted = if by >= 0 {
        month.checked_add_months(Months::new(by.unsigned_abs()))
    } else {
        month.checked_sub_months(Months::new(by.unsigned_abs()))
    };
    if let Some(m) = shifted {
        state.calendar = CalendarState::showing(first_of_month(m));
    }
}

/// Keeps every selection visible after the screen changed size.
fn reveal_all(state: &mut State) {
    let claim_rows = claim_page(state);
    state.claims.reveal(claim_rows);
    let rows = timeline_page(state);
    state.timeline.list.reveal(rows);
    if let Some(Overlay::Reader { scroll }) = state.overlay {
        let (lines, page) = reader_extent(state);
        state.overlay = Some(Overlay::Reader {
            scroll: scroll.min(lines.saturating_sub(page)),
        });
    }
}

/// The reader's line count at the current width, and how many lines show at once.
fn reader_extent(state: &State) -> (usize, usize) {
    let Some(areas) = state.areas() else {
        return (0, 1);
    };
    let inner = areas.reader_inner();
    let lines = state.selected_update().map_or(0, |u| {
        wrap::wrap(&reader_document(u), usize::from(inner.width)).len()
    });
    (lines, usize::from(inner.height).max(1))
}

/// Lines of the selected update's body in the timeline's preview, and its height.
fn preview_extent(state: &State) -> (usize, usize) {
    let Some(areas) = state.areas() else {
        return (0, 1);
    };
    let d = areas.timeline_detail;
    let lines = state
        .selected_update()
        .map_or(0, |u| wrap::wrap(&u.body, usize::from(d.width)).len());
    (lines, usize::from(d.height).max(1))
}

fn contains(r: Rect, column: u16, row: u16) -> bool {
    r.contains(Position::new(column, row))
}

fn click(state: &mut State, column: u16, row: u16) {
    if state.overlay.is_some() {
        return;
    }
    let Some(a) = state.areas() else { return };
    if contains(a.claims, column, row) {
        state.focus = Pane::Claims;
        let inner_row = row.saturating_sub(a.claims.y + 1);
        if row > a.claims.y && inner_row < a.claim_rows() {
            let index = state.claims.offset + usize::from(inner_row / CLAIM_ROW_HEIGHT);
            if index < state.workspace.claims.len() {
                select_claim(state, index);
            }
        }
    } else if contains(a.timeline, column, row) {
        state.focus = Pane::Timeline;
        if contains(a.timeline_list, column, row) {
            let index = state.timeline.list.offset + usize::from(row - a.timeline_list.y);
            if index < state.update_count() {
                select_update(state, index);
            }
        }
    } else if contains(a.calendar, column, row) {
        state.focus = Pane::Calendar;
        if contains(a.calendar_list, column, row) {
            let visible = usize::from(a.calendar_list.height).max(1);
            let offset = state.calendar.selected.saturating_sub(visible - 1);
            let index = offset + usize::from(row - a.calendar_list.y);
            if index < state.month_follow_ups().len() {
                state.calendar.selected = index;
            }
        }
    }
}

fn wheel(state: &mut State, column: u16, row: u16, down: bool) {
    let motion = if down { Action::Down } else { Action::Up };
    if state.overlay.is_some() {
        for _ in 0..WHEEL_STEP {
            move_in_context(state, motion);
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
    let pane = if contains(a.claims, column, row) {
        Pane::Claims
    } else if contains(a.timeline, column, row) {
        Pane::Timeline
    } else if contains(a.calendar, column, row) {
        Pane::Calendar
    } else {
        return;
    };
    let focus = std::mem::replace(&mut state.focus, pane);
    let steps = if pane == Pane::Calendar {
        1
    } else {
        WHEEL_STEP
    };
    for _ in 0..steps {
        move_in_context(state, motion);
    }
    state.focus = focus;
}
