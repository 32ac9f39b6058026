//! The follow-up calendar pane: a month grid (weeks start Monday) marking today,
//! follow-ups by state and the completion due date, with the month's follow-ups beside it.

use super::{fill_row, pane_block, pane_title, put, theme};
use crate::app::keymap::Scope;
use crate::app::layout::{Areas, GRID_WIDTH};
use crate::app::{Action, Pane, State};
use crate::model::{Due, FollowUp};
use crate::wrap;
use chrono::{Datelike, Duration};
use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};

pub fn draw(buf: &mut Buffer, areas: &Areas, state: &State) {
    let focused = state.overlay.is_none() && state.focus == Pane::Calendar;
    let follow_ups = state.month_follow_ups();
    let title_detail = state.selected_claim().map_or(String::new(), |c| {
        let total = c.follow_ups.len();
        let due = c.follow_ups_due(state.today);
        if due > 0 {
            format!(
                "{total} in all · {} due",
                crate::model::text::count(due, "follow-up")
            )
        } else {
            format!("{total} in all")
        }
    });
    pane_block(
        buf,
        areas.calendar,
        pane_title(Pane::Calendar, state, title_detail),
        focused,
    );
    // The cursor's month, and the months after it where the pane is wide.
    for i in 0..areas.calendar_months() {
        let Some(month) = state
            .calendar
            .month()
            .checked_add_months(chrono::Months::new(u32::from(i)))
        else {
            break;
        };
        let of_month: Vec<&FollowUp> = state.selected_claim().map_or_else(Vec::new, |c| {
            c.follow_ups_in_month(month.year(), month.month()).collect()
        });
        draw_grid(buf, areas.month_grid(i), month, state, &of_month);
    }
    draw_list(buf, areas, state, &follow_ups, focused);
}

fn draw_grid(
    buf: &mut Buffer,
    grid: ratatui::layout::Rect,
    month: chrono::NaiveDate,
    state: &State,
    follow_ups: &[&FollowUp],
) {
    let focused = state.overlay.is_none() && state.focus == Pane::Calendar;
    let heading = month.format("%B %Y").to_string();
    let hx = grid.x + (GRID_WIDTH.saturating_sub(heading.len() as u16)) / 2;
    put(buf, hx, grid.y, &heading, grid.width, theme::heading());
    put(
        buf,
        grid.x,
        grid.y + 1,
        " Mo  Tu  We  Th  Fr  Sa  Su",
        grid.width,
        theme::dim(),
    );

    let due_date = state.selected_claim().and_then(|c| c.completion_due);
    let first_col = month.weekday().num_days_from_monday();
    let mut day = month;
    let mut row = 0u16;
    while day.month() == month.month() {
        let col = (first_col + day.day0()) % 7;
        if day.day0() > 0 && col == 0 {
            row += 1;
        }
        let y = grid.y + 2 + row;
        if y >= grid.bottom() {
            break;
        }
        let x = grid.x + col as u16 * 4;
        // " 15+" — the mark follows the day; the due date's mark precedes it.
        let analysis = &state.timeline.analysis();
        let lead = if due_date == Some(day) {
            theme::DUE_DATE_SYMBOL
        } else if analysis.mentions.contains_key(&day) {
            theme::MENTION_SYMBOL
        } else {
            ' '
        };
        let day_follow_ups: Vec<Due> = follow_ups
            .iter()
            .filter(|f| f.date == day)
            .map(|f| f.due(state.today))
            .collect();
        let mark = day_follow_ups.iter().copied().min_by_key(|d| urgency(*d));
        let suggested = analysis.suggestions.contains_key(&day);
        let mark_char = match mark {
            Some(m) => theme::due_symbol(m),
            None if suggested => theme::SUGGESTION_SYMBOL,
            None => ' ',
        };
        let mut style = mark.map_or(Style::new(), theme::due_style);
        if lead != ' ' {
            style = style.patch(theme::due_date_style());
        }
        if day == state.today {
            style = style.add_modifier(Modifier::REVERSED);
        }
        if day == state.calendar.cursor {
            style = style.patch(theme::cursor(focused));
        }
        let cell = format!("{lead}{:>2}{mark_char}", day.day());
        put(buf, x, y, &cell, 4, style);
        day += Duration::days(1);
    }
}

/// Which mark shows when a day has several follow-ups: the most pressing.
fn urgency(due: Due) -> u8 {
    match due {
        Due::Overdue => 0,
        Due::Today => 1,
        Due::Upcoming => 2,
        Due::Done => 3,
        Due::Cancelled => 4,
    }
}

fn draw_list(
    buf: &mut Buffer,
    areas: &Areas,
    state: &State,
    follow_ups: &[&FollowUp],
    focused: bool,
) {
    let list = areas.calendar_list;
    if list.width < 8 {
        return;
    }
    // The cursor's day (which of its follow-ups, when it has several), then the month's
    // count when its words fit.
    let (on_day, picked) = state.cursor_day_follow_ups();
    let mut cursor_day = state.calendar.cursor.format("%a %b %-d").to_string();
    if on_day > 1 {
        let next = state
            .settings()
            .keymap
            .shown(Scope::Pane(Pane::Calendar), &Action::NextOnDay);
        cursor_day.push_str(&format!(" · {} of {on_day} ({next} next)", picked + 1));
    }
    let count = match follow_ups.len() {
        0 => "none".to_owned(),
        n => n.to_string(),
    };
    let heading = [format!("{cursor_day} · {count} this month")]
        .into_iter()
        .find(|h| wrap::width(h) <= usize::from(list.width))
        .unwrap_or(cursor_day);
    put(
        buf,
        list.x,
        list.y - 1,
        &heading,
        list.width,
        theme::heading(),
    );
    let due_date = state
        .selected_claim()
        .and_then(|c| c.completion_due)
        .filter(|d| {
            let m = state.calendar.month();
            d.year() == m.year() && d.month() == m.month()
        });
    let rows = usize::from(list.height);
    let width = usize::from(list.width);
    // One row a follow-up; the cursor day's wraps its note whole under itself.
    let cursor = state.calendar.cursor;
    let lines: Vec<(String, Due, bool)> = follow_ups
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            // Of a day's several, the cursor is on the picked one.
            let nth = follow_ups[..i].iter().filter(|g| g.date == f.date).count();
            let due = f.due(state.today);
            let head = format!(
                "{} {} {}",
                f.date.format("%a %b %-d"),
                theme::due_symbol(due),
                theme::due_word(due)
            );
            let text = if f.note.is_empty() {
                head.clone()
            } else {
                format!("{head} · {}", f.note)
            };
            let at_cursor = f.date == cursor && nth == picked;
            let rows = if !at_cursor || wrap::width(&text) <= width {
                vec![text]
            } else {
                // The day and state, then the note from a row of its own, indented.
                let mut rows = wrap::hanging(&head, width, "", 2);
                if !f.note.is_empty() {
                    rows.extend(wrap::hanging(&f.note, width, "  ", 2));
                }
                rows
            };
            rows.into_iter().map(move |r| (r, due, at_cursor))
        })
        .collect();
    let cursor_rows = lines.iter().filter(|l| l.2).count();
    // The cursor day's mentions and suggestions take the last rows, wrapped whole: after
    // the cursor's follow-up, before the rest of the month's. What still does not fit
    // gives its last row to a pointer to the zoom, which lists every mention it has room
    // for.
    let mut about = cursor_day_note(state).map_or_else(Vec::new, |t| wrap::wrap(&t, width));
    let mut cut = cursor_rows > rows;
    let about_room = rows.saturating_sub(cursor_rows);
    if about.len() > about_room {
        about.truncate(about_room);
        cut = true;
    }
    let rows = rows - about.len();
    let list_rows = if due_date.is_some() && lines.len() < rows {
        rows - 1
    } else {
        rows
    };
    let top = list.bottom().saturating_sub(about.len() as u16);
    for (row, y) in about.iter().zip(top..) {
        put(buf, list.x, y, row, list.width, theme::novelty());
    }
    // The cursor's rows in view, first row first.
    let first = lines.iter().position(|l| l.2);
    let last = lines.iter().rposition(|l| l.2);
    let offset = match (first, last) {
        (Some(first), Some(last)) => (last + 1).saturating_sub(list_rows).min(first),
        _ => 0,
    };
    for ((text, due, at_cursor), y) in lines.iter().skip(offset).take(list_rows).zip(list.y..) {
        put(buf, list.x, y, text, list.width, theme::due_style(*due));
        if *at_cursor {
            fill_row(buf, list.x, y, list.width, theme::selected(focused));
        }
    }
    if let Some(d) = due_date {
        let shown = lines.len().saturating_sub(offset).min(list_rows);
        let y = list.y + shown as u16;
        if y < top {
            let text = format!(
                "{} {} completion due",
                d.format("%a %b %-d"),
                theme::DUE_DATE_SYMBOL
            );
            put(buf, list.x, y, &text, list.width, theme::due_date_style());
        }
    }
    if cut && list.height > 0 {
        let zoom = if state.zoomed {
            "…".to_owned()
        } else {
            let key = state
                .settings()
                .keymap
                .shown(Scope::Global, &Action::ToggleZoom);
            format!("… {key} shows more")
        };
        // Padded to the list's width: it replaces whatever the row held.
        let text = format!("{zoom:<w$}", w = width);
        put(
            buf,
            list.x,
            list.bottom() - 1,
            &text,
            list.width,
            theme::dim(),
        );
    }
}

/// What the updates say of the cursor day: how many mention it (the newest first) and how
/// many suggest it as a follow-up.
fn cursor_day_note(state: &State) -> Option<String> {
    let claim = state.selected_claim()?;
    let day = state.calendar.cursor;
    let analysis = &state.timeline.analysis();
    let mentions = analysis
        .mentions
        .get(&day)
        .map_or(&[][..], |v| v.as_slice());
    let suggestions = analysis.suggestions.get(&day).map_or(0, |v| v.len());
    if mentions.is_empty() && suggestions == 0 {
        return None;
    }
    let mut parts = Vec::new();
    if !mentions.is_empty() {
        // The three newest; zoomed, every one the pane has room for.
        let shown = if state.zoomed { mentions.len() } else { 3 };
        let newest: Vec<String> = mentions
            .iter()
            .rev()
            .take(shown)
            .filter_map(|&i| claim.updates.get(i))
            // No-break spaces: a wrapped note never splits a time from its day.
            .map(|u| u.at.format("%b\u{a0}%-d\u{a0}%H:%M").to_string())
            .collect();
        parts.push(format!(
            "{} {} mentioned by {} update{}: {}",
            day.format("%b %-d"),
            theme::MENTION_SYMBOL,
            mentions.len(),
            if mentions.len() == 1 { "" } else { "s" },
            newest.join(", ")
        ));
    }
    if suggestions > 0 {
        let accept = if claim.follow_ups.iter().any(|f| f.date == day) {
            String::new()
        } else {
            let add = state
                .settings()
                .keymap
                .shown(Scope::Pane(Pane::Calendar), &Action::AddFollowUp);
            format!(" ({add} adds it)")
        };
        parts.push(format!(
            "{} suggested by {suggestions}{accept}",
            theme::SUGGESTION_SYMBOL
        ));
    }
    Some(parts.join(" · "))
}
