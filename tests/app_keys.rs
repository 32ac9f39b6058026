//! Key handling as pure state changes: keys go through the keymap to actions, and
//! `update` changes the state — no terminal involved.

mod common;

use chrono::{Datelike, NaiveDate};
use claimdesk::app::keymap::{Scope, action_for, parse_keys};
use claimdesk::app::{Action, Overlay, Pane, State, update};
use common::*;
use std::path::PathBuf;

fn today() -> NaiveDate {
    "2026-02-16".parse().expect("date")
}

fn state(size: (u16, u16)) -> State {
    State::new(seed_workspace(), PathBuf::from("w.json"), today(), size)
}

/// Presses keys by their help-overlay names.
fn press(state: &mut State, keys: &str) {
    for key in parse_keys(keys).expect("key names") {
        if let Some(action) = action_for(state, key) {
            update(state, action);
        }
    }
}

fn reader_scroll(s: &State) -> Option<usize> {
    match s.overlay() {
        Some(Overlay::Reader { scroll }) => Some(*scroll),
        _ => None,
    }
}

fn help_scroll(s: &State) -> Option<usize> {
    match s.overlay() {
        Some(Overlay::Help { scroll }) => Some(*scroll),
        _ => None,
    }
}

#[test]
fn tab_cycles_panes_both_ways() {
    let mut s = state((120, 40));
    assert_eq!(s.focus(), Pane::Claims);
    press(&mut s, "Tab");
    assert_eq!(s.focus(), Pane::Timeline);
    press(&mut s, "Tab");
    assert_eq!(s.focus(), Pane::Calendar);
    press(&mut s, "Tab");
    assert_eq!(s.focus(), Pane::Claims);
    press(&mut s, "S-Tab");
    assert_eq!(s.focus(), Pane::Calendar);
}

#[test]
fn moving_in_the_claim_list_drives_the_other_panes() {
    let mut s = state((120, 40));
    assert_eq!(
        s.selected_claim().map(|c| c.id.as_str()),
        Some("39edfb4563007f91")
    );
    press(&mut s, "Tab z j j");
    assert_eq!(s.timeline().list.selected, 2);
    press(&mut s, "S-Tab j");
    assert_eq!(
        s.selected_claim().map(|c| c.id.as_str()),
        Some("3a2f3f9b8cc6911f")
    );
    assert_eq!(
        s.timeline().list.selected,
        0,
        "a new claim starts at its newest update"
    );
    press(&mut s, "j j Down");
    assert_eq!(s.claims().list.selected, 1, "the list stops at its end");
    press(&mut s, "k");
    assert_eq!(s.claims().list.selected, 0);
    press(&mut s, "G");
    assert_eq!(s.claims().list.selected, 1);
    press(&mut s, "g");
    assert_eq!(s.claims().list.selected, 0);
    press(&mut s, "Enter");
    assert_eq!(
        s.focus(),
        Pane::Timeline,
        "Enter on a claim goes to its timeline"
    );
}

#[test]
fn timeline_moves_pages_and_scrolls_with_the_selection() {
    let mut s = state((120, 40));
    press(&mut s, "Tab z");
    let rows = s.areas().expect("fits").timeline_list.height as usize;
    press(&mut s, "PgDn");
    assert_eq!(s.timeline().list.selected, rows);
    assert_eq!(s.timeline().list.offset, 1, "scrolled just enough");
    press(&mut s, "C-d");
    assert_eq!(s.timeline().list.selected, rows + rows / 2);
    press(&mut s, "C-u PgUp");
    assert_eq!(s.timeline().list.selected, 0);
    press(&mut s, "G");
    assert_eq!(s.timeline().list.selected, 355);
    assert_eq!(
        s.selected_update().map(|u| u.at.to_rfc3339()).as_deref(),
        Some("2026-01-12T05:29:00+00:00")
    );
    press(&mut s, "End Down j");
    assert_eq!(s.timeline().list.selected, 355);
    press(&mut s, "Home");
    assert_eq!(s.timeline().list.selected, 0);
    assert_eq!(s.timeline().list.offset, 0);
}

#[test]
fn enter_opens_the_reader_and_esc_closes_it() {
    let mut s = state((80, 24));
    press(&mut s, "Tab z j Enter");
    assert_eq!(reader_scroll(&s), Some(0));
    press(&mut s, "j j Space");
    assert!(reader_scroll(&s).is_some_and(|x| x > 2), "Space pages down");
    press(&mut s, "G");
    let bottom = reader_scroll(&s).expect("reader open");
    press(&mut s, "j j j");
    assert_eq!(reader_scroll(&s), Some(bottom), "stops at the end");
    press(&mut s, "Tab");
    assert_eq!(
        s.focus(),
        Pane::Timeline,
        "Tab does nothing under the reader"
    );
    press(&mut s, "Esc");
    assert!(s.overlay().is_none());
    assert_eq!(s.timeline().list.selected, 1);
}

#[test]
fn the_calendar_day_cursor_moves_by_day_week_and_month() {
    let mut s = state((120, 40));
    // Opens on the claim's next follow-up: Feb 15 2026 (scheduled, overdue).
    assert_eq!(s.calendar().cursor.to_string(), "2026-02-15");
    press(&mut s, "Tab Tab l l");
    assert_eq!(s.calendar().cursor.to_string(), "2026-02-17");
    press(&mut s, "h Left");
    assert_eq!(s.calendar().cursor.to_string(), "2026-02-15");
    press(&mut s, "j Down");
    assert_eq!(s.calendar().cursor.to_string(), "2026-03-01");
    press(&mut s, "k");
    assert_eq!(s.calendar().cursor.to_string(), "2026-02-22");
    press(&mut s, "PgDn >");
    assert_eq!(s.calendar().cursor.to_string(), "2026-04-22");
    assert_eq!(s.calendar().month().to_string(), "2026-04-01");
    press(&mut s, "PgUp < < <");
    assert_eq!(s.calendar().cursor.to_string(), "2025-12-22");
    press(&mut s, "t");
    assert_eq!(s.calendar().cursor, today());
    assert_eq!(s.calendar().month(), today().with_day(1).expect("first"));
    assert_eq!(s.month_follow_ups().len(), 5);
}

#[test]
fn help_opens_closes_and_blocks_other_keys() {
    let mut s = state((120, 40));
    press(&mut s, "?");
    // Open at the focused pane's keys (the claim list's, after the global ones).
    let keymap = s.settings().keymap.clone();
    let inner = s.areas().expect("areas").help_inner(&keymap);
    let claims =
        claimdesk::app::help::section_row(&keymap, Scope::Pane(Pane::Claims), inner.width.into());
    assert!(claims > 0);
    assert_eq!(help_scroll(&s), Some(claims));
    press(&mut s, "g");
    assert_eq!(help_scroll(&s), Some(0));
    press(&mut s, "j");
    assert_eq!(help_scroll(&s), Some(1));
    press(&mut s, "PgDn");
    let page = usize::from(inner.height);
    assert_eq!(
        help_scroll(&s),
        Some(1 + page),
        "a page is the overlay's height"
    );
    assert_eq!(
        s.claims().list.selected,
        0,
        "keys go to the help, not the list"
    );
    for _ in 0..200 {
        press(&mut s, "j");
    }
    let bottom = help_scroll(&s).expect("help open");
    let rows = claimdesk::app::help::rows(&keymap, inner.width.into()).len();
    assert_eq!(
        bottom,
        rows - page,
        "scrolling stops where the last row shows"
    );
    press(&mut s, "k");
    assert_eq!(help_scroll(&s), Some(bottom - 1), "and k moves at once");
    press(&mut s, "q");
    assert!(s.overlay().is_none());
    assert!(!s.quit(), "q closes the help first");
    press(&mut s, "? Esc");
    assert!(s.overlay().is_none());
    press(&mut s, "q");
    assert!(s.quit());
    let mut s = state((120, 40));
    press(&mut s, "C-c");
    assert!(s.quit());
}

#[test]
fn mouse_clicks_focus_and_select_and_the_wheel_scrolls() {
    let mut s = state((120, 40));
    let a = s.areas().expect("fits");
    // Second claim: its rows start at inner y + 2.
    update(
        &mut s,
        Action::Click {
            column: a.claims.x + 3,
            row: a.claims.y + 3,
        },
    );
    assert_eq!(s.claims().list.selected, 1);
    assert_eq!(s.focus(), Pane::Claims);
    update(
        &mut s,
        Action::Click {
            column: a.timeline_list.x + 5,
            row: a.timeline_list.y + 4,
        },
    );
    assert_eq!(s.focus(), Pane::Timeline);
    assert_eq!(s.timeline().list.selected, 4);
    update(
        &mut s,
        Action::ScrollDown {
            column: a.timeline_list.x + 5,
            row: a.timeline_list.y,
        },
    );
    assert_eq!(s.timeline().list.selected, 7);
    update(
        &mut s,
        Action::ScrollDown {
            column: a.timeline_detail.x + 1,
            row: a.timeline_detail.y + 1,
        },
    );
    assert_eq!(s.timeline().body_scroll, 3);
    // February 2026 starts on a Sunday: the first grid row's last cell is the 1st, and
    // the second row's first cell the 2nd.
    let g = a.calendar_grid;
    update(
        &mut s,
        Action::Click {
            column: g.x + 6 * 4 + 1,
            row: g.y + 2,
        },
    );
    assert_eq!(s.focus(), Pane::Calendar);
    assert_eq!(s.calendar().cursor.to_string(), "2026-02-01");
    update(
        &mut s,
        Action::Click {
            column: g.x + 1,
            row: g.y + 3,
        },
    );
    assert_eq!(s.calendar().cursor.to_string(), "2026-02-02");
    update(
        &mut s,
        Action::ScrollDown {
            column: g.x + 1,
            row: g.y + 3,
        },
    );
    assert_eq!(s.calendar().month().to_string(), "2026-03-01");
    // A click past the last claim selects nothing new.
    update(
        &mut s,
        Action::Click {
            column: a.claims.x + 3,
            row: a.claims.bottom() - 2,
        },
    );
    assert_eq!(s.claims().list.selected, 1);
}

#[test]
fn resizing_keeps_the_selection_visible() {
    let mut s = state((200, 60));
    press(&mut s, "Tab");
    for _ in 0..30 {
        press(&mut s, "j");
    }
    update(
        &mut s,
        Action::Resize {
            width: 80,
            height: 24,
        },
    );
    let rows = s.areas().expect("fits").timeline_list.height as usize;
    let l = s.timeline().list;
    assert!(
        l.selected >= l.offset && l.selected < l.offset + rows,
        "{l:?} rows {rows}"
    );
    update(
        &mut s,
        Action::Resize {
            width: 40,
            height: 10,
        },
    );
    assert!(s.areas().is_none());
    press(&mut s, "j");
    update(
        &mut s,
        Action::Resize {
            width: 100,
            height: 30,
        },
    );
    assert!(s.areas().is_some());
}

#[test]
fn a_message_stays_until_the_next_key() {
    let mut s = state((120, 40)).with_message(Some("Created a sample workspace".into()));
    update(
        &mut s,
        Action::Resize {
            width: 100,
            height: 30,
        },
    );
    assert!(s.message().is_some());
    press(&mut s, "j");
    assert_eq!(s.message(), None);
}

#[test]
fn accepting_a_suggestion_for_a_day_already_past_asks_first() {
    // The newest update suggests a day a week past that is not on the calendar.
    let mut ws = seed_workspace();
    let day: NaiveDate = "2026-02-09".parse().expect("date");
    let claim = &mut ws.claims[0];
    claim.follow_ups.retain(|f| f.date != day);
    claim
        .updates
        .last_mut()
        .expect("an update")
        .suggested_follow_up = Some(day);
    let mut s = State::new(ws, PathBuf::from("w.json"), today(), (120, 40));
    press(&mut s, "Tab");
    assert_eq!(
        s.selected_update().and_then(|u| u.suggested_follow_up),
        Some(day)
    );
    let count = |s: &State| s.selected_claim().map_or(0, |c| c.follow_ups.len());
    let before = count(&s);
    press(&mut s, "a");
    assert!(
        matches!(
            s.overlay(),
            Some(Overlay::Confirm(claimdesk::app::state::Question::AcceptPastSuggestion(d))) if *d == day
        ),
        "{:?}",
        s.overlay()
    );
    press(&mut s, "n");
    assert!(s.overlay().is_none());
    assert_eq!(count(&s), before, "n leaves the calendar as it was");
    press(&mut s, "a y");
    assert_eq!(count(&s), before + 1, "y puts it on the calendar");
    assert!(
        s.selected_claim()
            .expect("claim")
            .follow_ups
            .iter()
            .any(|f| f.date == day)
    );
}

#[test]
fn ctrl_u_in_a_field_deletes_to_the_line_start_and_c_underscore_undoes() {
    let mut s = state((120, 40));
    press(&mut s, "v 3");
    for c in "first line".chars() {
        press(&mut s, &c.to_string().replace(' ', "Space"));
    }
    let text = |s: &State| match s.overlay() {
        Some(Overlay::Rationale { editor, .. }) => editor.lines().join("\n"),
        other => panic!("not the rationale: {other:?}"),
    };
    assert_eq!(text(&s), "first line");
    press(&mut s, "C-u");
    assert_eq!(text(&s), "", "C-u deletes to the start of the line");
    press(&mut s, "C-_");
    assert_eq!(text(&s), "first line", "C-_ undoes it");
}

#[test]
fn g_in_the_calendar_goes_to_a_typed_day() {
    let mut s = state((120, 40));
    let cursor = |s: &State| s.calendar().cursor;
    let type_text = |s: &mut State, text: &str| {
        for c in text.chars() {
            let key = if c == ' ' {
                "Space".to_owned()
            } else {
                c.to_string()
            };
            press(s, &key);
        }
    };
    press(&mut s, "Tab Tab g");
    type_text(&mut s, "2026-03-02");
    press(&mut s, "Enter");
    assert_eq!(cursor(&s), "2026-03-02".parse::<NaiveDate>().expect("date"));
    press(&mut s, "g");
    type_text(&mut s, "+7");
    press(&mut s, "Enter");
    assert_eq!(cursor(&s), "2026-03-09".parse::<NaiveDate>().expect("date"));
    press(&mut s, ":");
    type_text(&mut s, "Jan 5");
    press(&mut s, "Enter");
    assert_eq!(cursor(&s), "2026-01-05".parse::<NaiveDate>().expect("date"));
    // Something that is not a day keeps the line open and says what would be.
    press(&mut s, "g");
    type_text(&mut s, "soon");
    press(&mut s, "Enter");
    assert!(
        matches!(s.overlay(), Some(Overlay::Input { .. })),
        "{:?}",
        s.overlay()
    );
    let screen = claimdesk::ui::render_to_text(&s);
    assert!(screen.contains("Not a day: \"soon\""), "{screen}");
    press(&mut s, "Esc g");
    type_text(&mut s, "today");
    press(&mut s, "Enter");
    assert_eq!(cursor(&s), today());
}

#[test]
fn the_agenda_lists_every_claims_follow_ups_and_acts_on_the_row() {
    use claimdesk::app::agenda;
    use claimdesk::model::FollowUpState;
    let mut s = state((120, 40));
    press(&mut s, "A");
    let rows = |s: &State| agenda::rows(s.workspace(), today(), agenda::DEFAULT_WINDOW);
    let before = rows(&s);
    assert!(before.len() >= 2, "{before:?}");
    assert!(
        before.windows(2).all(|w| w[0].date <= w[1].date),
        "soonest first"
    );
    let claims: std::collections::BTreeSet<usize> = before.iter().map(|r| r.claim).collect();
    assert_eq!(claims.len(), 2, "both claims' follow-ups");
    // x marks the first row's follow-up done; it leaves the agenda, the next takes its place.
    let first = before[0].clone();
    press(&mut s, "x");
    let state_of = |s: &State, claim: usize, date| {
        s.workspace().claims[claim]
            .follow_ups
            .iter()
            .find(|f| f.date == date)
            .map(|f| f.state)
    };
    assert_eq!(
        state_of(&s, first.claim, first.date),
        Some(FollowUpState::Done)
    );
    assert_eq!(rows(&s).len(), before.len() - 1);
    assert_eq!(rows(&s)[0], before[1]);
    // u undoes it (one edit, as in the calendar); the agenda opens again where it was
    // left, on the row that took the follow-up's place: g to the top.
    press(&mut s, "Esc u A");
    match s.overlay() {
        Some(Overlay::Agenda { list, .. }) => assert_eq!(rows(&s)[list.selected], before[1]),
        other => panic!("{other:?}"),
    }
    press(&mut s, "g");
    assert_eq!(
        state_of(&s, first.claim, first.date),
        Some(FollowUpState::Scheduled)
    );
    // L moves the selected follow-up a day later, and the selection follows it.
    press(&mut s, "L");
    let moved = first.date.succ_opt().expect("date");
    assert_eq!(
        state_of(&s, first.claim, moved),
        Some(FollowUpState::Scheduled)
    );
    match s.overlay() {
        Some(Overlay::Agenda { list, .. }) => {
            assert_eq!(rows(&s)[list.selected].date, moved)
        }
        other => panic!("{other:?}"),
    }
    // > widens the window a week: more rows or as many.
    press(&mut s, ">");
    match s.overlay() {
        Some(Overlay::Agenda { window, .. }) => assert_eq!(*window, agenda::DEFAULT_WINDOW + 7),
        other => panic!("{other:?}"),
    }
    // Enter goes to the claim and the day, in the calendar.
    press(&mut s, "G Enter");
    assert!(s.overlay().is_none());
    let wide = agenda::rows(s.workspace(), today(), agenda::DEFAULT_WINDOW + 7);
    let last = wide.last().expect("a row");
    assert_eq!(s.selected_index(), Some(last.claim));
    assert_eq!(s.calendar().cursor, last.date);
    assert_eq!(s.focus(), Pane::Calendar);
}

#[test]
fn text_fields_hold_no_emoji_joiners_so_they_measure_as_the_screen_does() {
    let mut ws = seed_workspace();
    ws.claims[0].title = "Thumbs 👍🏽 family 👨‍👩‍👧 hearts ❤️ end".into();
    let mut s = State::new(ws, PathBuf::from("w.json"), today(), (120, 40));
    let field = |s: &State| match s.overlay() {
        Some(Overlay::Input { editor, .. } | Overlay::Rationale { editor, .. }) => {
            editor.lines().join("\n")
        }
        other => panic!("no field: {other:?}"),
    };
    press(&mut s, "e");
    assert_eq!(field(&s), "Thumbs 👍 family 👨👩👧 hearts ❤ end");
    // A joiner typed on its own (terminals send a sequence a code point at a time) or
    // pasted goes too; the emoji stay.
    update(
        &mut s,
        Action::EditorKey(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char('\u{200d}'),
        )),
    );
    update(&mut s, Action::Paste(" 👩‍💻🏿".into()));
    assert_eq!(field(&s), "Thumbs 👍 family 👨👩👧 hearts ❤ end 👩💻");
    // Esc asks before throwing the changed title away; y does.
    press(&mut s, "Esc y v 3");
    update(&mut s, Action::Paste("ok 👍🏽".into()));
    assert_eq!(field(&s), "ok 👍");
}

/// A field holds its text without emoji joiners (so the text area and the terminal agree
/// on every column), but an edit never takes them out of the text it did not touch.
#[test]
fn editing_a_note_or_title_keeps_the_emoji_it_did_not_touch() {
    let note = "ok 👍🏽 fam 👨\u{200d}👩\u{200d}👧\u{200d}👦 flag 🏳\u{fe0f}\u{200d}🌈";
    let day: NaiveDate = "2026-02-15".parse().expect("date");
    let mut ws = seed_workspace();
    for f in ws.claims[1].follow_ups.iter_mut().filter(|f| f.date == day) {
        f.note = note.to_owned();
    }
    let title = format!("{} 🧑🏿\u{200d}🔬", ws.claims[1].title);
    ws.claims[1].title = title.clone();
    let mut s = State::new(ws, PathBuf::from("w.json"), today(), (120, 40));
    press(&mut s, "j Tab Tab e End '! Enter");
    let stored = s.workspace().claims[1]
        .follow_ups
        .iter()
        .find(|f| f.date == day)
        .map(|f| f.note.clone());
    assert_eq!(stored, Some(format!("{note}!")));
    press(&mut s, "Tab e Home 'Re: Space Enter");
    assert_eq!(s.workspace().claims[1].title, format!("Re: {title}"));
}

/// `o` hands a browser only a plain http(s) address: one holding escape sequences, bidi
/// controls or another scheme is not opened, and the message shows what it holds.
#[test]
fn o_opens_only_plain_web_addresses() {
    use claimdesk::app::Effect;
    for (url, opens) in [
        ("https://www.state.gov/releases/x", true),
        ("https://example.org/\u{1b}[31m", false),
        ("https://example.org/\u{202e}reverse", false),
        ("https://evil.example/\u{1b}]8;;x\u{7}", false),
        ("file:///etc/passwd", false),
        ("javascript:alert(1)", false),
    ] {
        let mut ws = seed_workspace();
        for c in &mut ws.claims {
            c.article.url = Some(url.to_owned());
        }
        let mut s = State::new(ws, PathBuf::from("w.json"), today(), (120, 40));
        let key = parse_keys("o").expect("key")[0];
        let action = action_for(&s, key).expect("o is bound");
        let effects = update(&mut s, action);
        let opened = effects.iter().any(|e| matches!(e, Effect::Open(_)));
        assert_eq!(opened, opens, "{url:?}");
        let said = s.message().unwrap_or_default().to_owned();
        assert!(
            !said.contains('\u{1b}') && !said.contains('\u{202e}'),
            "{said:?}"
        );
        if !opens {
            assert!(said.starts_with("Not opened"), "{said}");
        }
    }
}
