//! Triage at the keyboard: verdicts, follow-ups, claim fields, undo/redo, saving and the
//! review queue — each through the real key handling, checked as state and on disk.

mod common;

use chrono::NaiveDate;
use claimdesk::app::state::{Question, Settings};
use claimdesk::app::view::{Filter, Sort};
use claimdesk::app::{Overlay, State};
use claimdesk::model::{FollowUpState, Verdict, Workspace};
use claimdesk::runtime::Session;
use claimdesk::store::{self, Access, Disk};
use common::*;
use std::path::Path;

const A: &str = "39edfb4563007f91";
const B: &str = "3a2f3f9b8cc6911f";

fn today() -> NaiveDate {
    "2026-02-16".parse().expect("date")
}

fn settings(autosave: bool) -> Settings {
    Settings {
        reviewer: "ana".into(),
        autosave,
        read_only: false,
        ..Default::default()
    }
}

/// A session on a fresh copy of the seed workspace in a temp folder.
fn session(dir: &Path, autosave: bool) -> Session {
    let path = dir.join("w.json");
    store::save(&path, &seed_workspace()).expect("writes the seed workspace");
    let opened = Disk::open(&path, Access::Write, None).expect("opens");
    let state =
        State::new(opened.workspace, path, today(), (120, 40)).with_settings(settings(autosave));
    Session::new(state, opened.disk)
}

fn on_disk(s: &Session) -> Workspace {
    store::load(s.state.path()).expect("the saved file loads")
}

fn claim<'a>(ws: &'a Workspace, id: &str) -> &'a claimdesk::model::Claim {
    ws.claim(id).expect("claim")
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

#[test]
fn recording_a_verdict_with_a_rationale() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    keys(&mut s, "v");
    assert!(matches!(
        s.state.overlay(),
        Some(Overlay::VerdictPicker {
            selected: 0,
            then_next: false
        })
    ));
    keys(&mut s, "3");
    assert!(matches!(
        s.state.overlay(),
        Some(Overlay::Rationale {
            verdict: Verdict::InProgress,
            ..
        })
    ));
    keys(
        &mut s,
        "'Meetings Space 'held, Space 'no Space 'outcome. Enter 'Next Space 'line. C-s",
    );
    assert!(s.state.overlay().is_none());

    let ws = on_disk(&s);
    let c = claim(&ws, A);
    assert_eq!(c.reviews.len(), 1);
    let r = &c.reviews[0];
    assert_eq!(r.verdict, Verdict::InProgress);
    assert_eq!(r.reviewer, "ana");
    assert_eq!(r.note, "Meetings held, no outcome.\nNext line.");
    // --today is for screens and due dates; a review carries the real clock.
    assert_recorded_now(r.at);
    assert_eq!(
        r.seen_through.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-02-13T23:47:00+00:00")
    );
    assert_eq!(s.state.save().unsaved, 0, "autosaved");
    assert!(
        s.state
            .message()
            .is_some_and(|m| m.contains("verdict in_progress"))
    );
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(
        screen.contains("in_progress  ◐ in_progress  356 upd"),
        "the list shows the verdict at once"
    );
}

#[test]
fn the_picker_takes_arrows_and_enter_and_a_verdict_needs_no_rationale() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    keys(&mut s, "v Down Down Down j k Enter A-Enter");
    let ws = on_disk(&s);
    let r = &claim(&ws, A).reviews[0];
    assert_eq!(r.verdict, Verdict::Stalled);
    assert_eq!(r.note, "");
}

#[test]
fn esc_cancels_and_asks_first_when_text_was_typed() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    keys(&mut s, "v Esc");
    assert!(s.state.overlay().is_none(), "Esc closes the picker");
    keys(&mut s, "v 5 Esc");
    assert!(
        s.state.overlay().is_none(),
        "an empty rationale closes without asking"
    );
    keys(&mut s, "v 5 'abandoned Esc");
    assert!(matches!(s.state.overlay(), Some(Overlay::Confirm(_))));
    keys(&mut s, "n");
    match &s.state.overlay() {
        Some(Overlay::Rationale { editor, .. }) => assert_eq!(editor.lines(), ["abandoned"]),
        other => panic!("back in the editor, got {other:?}"),
    }
    keys(&mut s, "Esc y");
    assert!(s.state.overlay().is_none());
    assert!(
        claim(s.state.workspace(), A).reviews.is_empty(),
        "nothing recorded"
    );
}

#[test]
fn pasted_text_lands_in_the_rationale_cleaned() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    keys(&mut s, "v 1");
    s.dispatch(claimdesk::app::Action::Paste(
        "From \u{1b}[31mthe\u{1b}[0m record.\nSecond".into(),
    ));
    keys(&mut s, "C-s");
    assert_eq!(
        claim(&on_disk(&s), A).reviews[0].note,
        "From the record.\nSecond"
    );
}

#[test]
fn capital_v_records_and_jumps_to_the_next_claim_needing_review() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    keys(&mut s, "V 5 'gone C-s");
    assert_eq!(s.state.selected_claim().map(|c| c.id.as_str()), Some(B));
    let msg = s.state.message().unwrap_or_default();
    assert!(
        msg.contains("Recorded verdict failed") && msg.ends_with(" · 1 to review"),
        "{msg}"
    );
    assert_eq!(claim(&on_disk(&s), A).verdict(), Some(Verdict::Failed));
}

#[test]
fn review_history_shows_every_verdict_newest_first() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    keys(&mut s, "v 3 'first C-s v 5 'correction C-s r");
    assert!(matches!(s.state.overlay(), Some(Overlay::Reviews { .. })));
    let screen = claimdesk::ui::render_to_text(&s.state);
    let failed = screen
        .find("ana · failed (current)")
        .expect("newest review shown");
    let first = screen
        .find("ana · in_progress")
        .expect("older review shown");
    assert!(failed < first, "newest first:\n{screen}");
    assert!(screen.contains("correction") && screen.contains("first"));
    assert!(screen.contains("seen through the update of Feb 13, 2026 23:47"));
    keys(&mut s, "Esc");
    assert!(s.state.overlay().is_none());
}

#[test]
fn follow_ups_are_planned_moved_and_closed_from_the_calendar() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    // Calendar cursor starts on Feb 15 (the next follow-up); go to Feb 17, which has none.
    keys(&mut s, "Tab Tab l l a 'call Space 'the Space 'desk Enter");
    let f = |s: &Session| {
        claim(&on_disk(s), A)
            .follow_ups
            .iter()
            .find(|f| f.note == "call the desk")
            .cloned()
    };
    assert_eq!(
        f(&s).map(|f| (f.date, f.state)),
        Some((day("2026-02-17"), FollowUpState::Scheduled))
    );
    keys(&mut s, "L");
    assert_eq!(f(&s).map(|f| f.date), Some(day("2026-02-18")));
    assert_eq!(
        s.state.calendar().cursor,
        day("2026-02-18"),
        "the cursor follows"
    );
    keys(&mut s, "J");
    assert_eq!(f(&s).map(|f| f.date), Some(day("2026-02-25")));
    keys(&mut s, "K H");
    assert_eq!(f(&s).map(|f| f.date), Some(day("2026-02-17")));
    keys(&mut s, "x");
    assert_eq!(f(&s).map(|f| f.state), Some(FollowUpState::Done));
    keys(&mut s, "x");
    assert_eq!(f(&s).map(|f| f.state), Some(FollowUpState::Scheduled));
    keys(&mut s, "c");
    assert_eq!(f(&s).map(|f| f.state), Some(FollowUpState::Cancelled));
    keys(&mut s, "e C-a C-k 'ring Space 'them Enter");
    let noted = claim(&on_disk(&s), A)
        .follow_ups
        .iter()
        .find(|f| f.date == day("2026-02-17"))
        .cloned();
    assert_eq!(noted.map(|f| f.note), Some("ring them".into()));
    keys(&mut s, "d");
    assert!(
        !claim(&on_disk(&s), A)
            .follow_ups
            .iter()
            .any(|f| f.date == day("2026-02-17"))
    );
    // A move onto a day that has a follow-up puts it beside that one (a day may have
    // several); the cursor follows it, n goes to the other, and undo puts it back.
    let on = |s: &Session, d: &str| -> Vec<FollowUpState> {
        claim(s.state.workspace(), A)
            .follow_ups
            .iter()
            .filter(|f| f.date == day(d))
            .map(|f| f.state)
            .collect()
    };
    keys(&mut s, "l l l l l l l l l l l");
    assert_eq!(s.state.calendar().cursor, day("2026-02-28"));
    assert_eq!(on(&s, "2026-02-28").len(), 1);
    let next_day = on(&s, "2026-03-01").len();
    assert_eq!(next_day, 1, "Mar 1 has one already");
    keys(&mut s, "x L");
    assert_eq!(on(&s, "2026-03-01").len(), 2, "{:?}", s.state.message());
    assert_eq!(s.state.calendar().cursor, day("2026-03-01"));
    assert_eq!(s.state.cursor_day_follow_ups(), (2, 1), "on the moved one");
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(screen.contains("Sun Mar 1 · 2 of 2 (n next)"), "{screen}");
    keys(&mut s, "x");
    assert_eq!(
        on(&s, "2026-03-01"),
        [FollowUpState::Scheduled, FollowUpState::Scheduled],
        "x on the moved one, done before: scheduled again"
    );
    keys(&mut s, "n x");
    assert_eq!(s.state.cursor_day_follow_ups(), (2, 0));
    assert_eq!(
        on(&s, "2026-03-01"),
        [FollowUpState::Done, FollowUpState::Scheduled],
        "n: the day's other one"
    );
    keys(&mut s, "u u u");
    assert_eq!(on(&s, "2026-03-01").len(), 1);
    assert_eq!(on(&s, "2026-02-28"), [FollowUpState::Done]);
    // `a` on a day that has one says so.
    keys(&mut s, "a");
    assert!(s.state.overlay().is_none());
    assert!(
        s.state
            .message()
            .is_some_and(|m| m.contains("already on Feb 28")),
        "{:?}",
        s.state.message()
    );
}

#[test]
fn single_line_inputs_confirm_with_enter_and_cancel_with_esc() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    keys(
        &mut s,
        "e C-a C-k 'U.S.-Mexico Space 'security Space 'cooperation Enter",
    );
    assert_eq!(
        claim(&on_disk(&s), A).title,
        "U.S.-Mexico security cooperation"
    );
    // Esc with the text changed asks first; n goes back to it as typed, y throws it away.
    keys(&mut s, "e 'XYZ Esc");
    assert!(matches!(
        s.state.overlay(),
        Some(Overlay::Confirm(Question::DiscardTyped(_)))
    ));
    keys(&mut s, "n");
    match s.state.overlay() {
        Some(Overlay::Input { editor, .. }) => {
            assert_eq!(editor.lines(), ["U.S.-Mexico security cooperationXYZ"])
        }
        other => panic!("back to the input, not {other:?}"),
    }
    keys(&mut s, "Esc y");
    assert!(s.state.overlay().is_none());
    assert_eq!(
        claim(s.state.workspace(), A).title,
        "U.S.-Mexico security cooperation"
    );
    // Unchanged, or a place to go rather than data: Esc closes at once.
    keys(&mut s, "e Esc");
    assert!(s.state.overlay().is_none());
    keys(&mut s, "Tab Tab g '2026-03-01 Esc");
    assert!(s.state.overlay().is_none());
    keys(&mut s, "Tab");
    keys(
        &mut s,
        "T 'security, Space '#fentanyl, Space 'security Enter",
    );
    assert_eq!(claim(&on_disk(&s), A).tags, ["security", "fentanyl"]);
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(
        screen.contains("#security #fentanyl U.S.-Mexico"),
        "tags show in the list:\n{screen}"
    );
    keys(&mut s, "e C-a C-k Enter");
    assert!(
        matches!(s.state.overlay(), Some(Overlay::Input { .. })),
        "an empty title is refused"
    );
    assert_eq!(s.state.message(), Some("A title cannot be empty"));
}

#[test]
fn a_suggested_follow_up_is_accepted_from_the_timeline() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    // Claim A's update of Feb 11 19:56 recommends 2026-02-20... find one that suggests a
    // date not yet on the calendar: 2026-06-01 is there; pick the update suggesting it.
    let index = s
        .state
        .updates_newest_first()
        .position(|u| u.suggested_follow_up.is_some())
        .expect("an update with a suggestion");
    let date = s
        .state
        .updates_newest_first()
        .nth(index)
        .and_then(|u| u.suggested_follow_up)
        .expect("date");
    // Make room: delete that day's follow-up first, then accept it back from the update.
    keys(&mut s, "Tab Tab");
    s.dispatch(claimdesk::app::Action::GoToDay(date));
    keys(&mut s, "d S-Tab z");
    assert!(
        !claim(s.state.workspace(), A)
            .follow_ups
            .iter()
            .any(|f| f.date == date)
    );
    for _ in 0..index {
        keys(&mut s, "j");
    }
    keys(&mut s, "a");
    let f = claim(&on_disk(&s), A)
        .follow_ups
        .iter()
        .find(|f| f.date == date)
        .cloned()
        .expect("accepted");
    assert_eq!(f.state, FollowUpState::Scheduled);
    assert!(
        f.note.starts_with("suggested by the update of"),
        "{}",
        f.note
    );
    assert_eq!(s.state.calendar().cursor, date);
    keys(&mut s, "a");
    assert!(
        s.state
            .message()
            .is_some_and(|m| m.contains("already on the calendar"))
    );
}

#[test]
fn undo_and_redo_every_edit_across_panes() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    let original = s.state.workspace().clone();
    keys(&mut s, "v 2 'part C-s");
    keys(&mut s, "e 'X Enter T 'a Enter");
    keys(&mut s, "Tab Tab l l a 'n Enter L x");
    let edited = s.state.workspace().clone();
    // Seven edits: verdict, title, tags, add, move, done.
    for _ in 0..6 {
        keys(&mut s, "u");
    }
    assert!(s.state.workspace().claims == original.claims, "all undone");
    assert!(on_disk(&s).claims == original.claims, "and saved so");
    keys(&mut s, "u");
    assert_eq!(s.state.message(), Some("Nothing to undo"));
    for _ in 0..6 {
        keys(&mut s, "C-r");
    }
    assert!(s.state.workspace().claims == edited.claims, "all redone");
    keys(&mut s, "u");
    let msg = s.state.message().unwrap_or_default();
    assert!(
        msg.starts_with("Undid the Feb 18 follow-up: done on “"),
        "{msg}"
    );
    // Undo from another pane undoes the verdict made from the list, and selects its claim.
    keys(&mut s, "S-Tab S-Tab j");
    assert_eq!(s.state.selected_claim().map(|c| c.id.as_str()), Some(B));
    for _ in 0..5 {
        keys(&mut s, "u");
    }
    assert_eq!(s.state.selected_claim().map(|c| c.id.as_str()), Some(A));
    assert!(
        s.state
            .message()
            .is_some_and(|m| m.starts_with("Undid verdict partial"))
    );
    assert!(claim(s.state.workspace(), A).reviews.is_empty());
}

#[test]
fn without_autosave_ctrl_s_saves_and_q_asks() {
    let dir = tempdir();
    let mut s = session(dir.path(), false);
    let before = std::fs::read(s.state.path()).expect("file");
    keys(&mut s, "v 1 C-s");
    assert_eq!(s.state.save().unsaved, 1);
    assert_eq!(
        std::fs::read(s.state.path()).expect("file"),
        before,
        "not written yet"
    );
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(screen.contains("1 unsaved"), "the status bar says so");
    keys(&mut s, "q");
    assert!(matches!(s.state.overlay(), Some(Overlay::Confirm(_))));
    assert!(!s.state.quit());
    keys(&mut s, "n");
    assert!(s.state.overlay().is_none() && !s.state.quit());
    keys(&mut s, "C-s");
    assert_eq!(s.state.save().unsaved, 0);
    assert_eq!(claim(&on_disk(&s), A).verdict(), Some(Verdict::Complete));
    keys(&mut s, "q");
    assert!(s.state.quit(), "nothing unsaved: q quits at once");
    drop(s);

    let mut s = session(dir.path(), false);
    keys(&mut s, "T 'x Enter q s");
    assert!(s.state.quit(), "s saves, then quits");
    assert_eq!(claim(&on_disk(&s), A).tags, ["x"]);
    drop(s);

    let mut s = session(dir.path(), false);
    keys(&mut s, "T 'y Enter q y");
    assert!(s.state.quit());
    assert_eq!(
        claim(&on_disk(&s), A).tags,
        Vec::<String>::new(),
        "y quits without saving"
    );
}

#[test]
fn a_failed_save_keeps_every_edit_and_a_later_save_succeeds() {
    let dir = tempdir();
    let folder = dir.path().join("team");
    std::fs::create_dir(&folder).expect("mkdir");
    let mut s = session(&folder, true);
    std::fs::remove_dir_all(&folder).expect("the folder goes away");
    keys(&mut s, "v 6 'cannot Space 'tell C-s");
    let msg = s.state.message().unwrap_or_default();
    // The folder gone, the journal went with it: the edit is in memory only, and said
    // so first.
    assert!(
        msg.starts_with("1 edit in memory only")
            && msg.contains("Save failed:")
            && msg.contains("w.json"),
        "{msg}"
    );
    assert_eq!(s.state.save().unsaved, 1);
    assert!(s.state.save().error.is_some());
    assert_eq!(
        claim(s.state.workspace(), A).verdict(),
        Some(Verdict::Unverifiable),
        "kept in memory"
    );
    // The journal went with the folder: the edit is in memory only, and said so.
    assert!(msg.contains("1 edit in memory only"), "{msg}");
    assert!(claimdesk::ui::render_to_text(&s.state).contains("1 IN MEMORY ONLY"));
    keys(&mut s, "q");
    assert!(
        matches!(s.state.overlay(), Some(Overlay::Confirm(_))),
        "q asks: the edit is not on disk"
    );
    keys(&mut s, "n");
    std::fs::create_dir(&folder).expect("the folder is back");
    keys(&mut s, "C-s");
    assert_eq!(s.state.save().unsaved, 0);
    assert_eq!(s.state.save().error, None);
    assert_eq!(claim(&on_disk(&s), A).reviews[0].note, "cannot tell");
}

#[test]
fn the_review_queue_jumps_marks_and_counts() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(screen.contains("2 to review"));
    assert!(
        screen.contains("›?! Officials"),
        "unreviewed and a follow-up due:\n{screen}"
    );
    keys(&mut s, "]");
    assert_eq!(s.state.selected_claim().map(|c| c.id.as_str()), Some(B));
    keys(&mut s, "[");
    assert_eq!(s.state.selected_claim().map(|c| c.id.as_str()), Some(A));
    // A verdict on A leaves the queue, though A's follow-up is still overdue: that is
    // the agenda's business, with its own count and mark.
    keys(&mut s, "v 3 C-s");
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(
        screen.contains("· 1 to review · 2 follow-ups due"),
        "{screen}"
    );
    assert!(
        screen.contains("›! Officials"),
        "A's row keeps !:
{screen}"
    );
    keys(&mut s, "j ]");
    assert_eq!(s.state.message(), Some("Only this claim is left to review"));
    keys(&mut s, "v 3 C-s ]");
    assert_eq!(s.state.message(), Some("The queue is empty: 0 to review"));
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(
        screen.contains("0 unreviewed · 0 to review · 2 follow-ups due"),
        "{screen}"
    );
}

#[test]
fn sort_and_filter_the_list() {
    let dir = tempdir();
    let mut s = session(dir.path(), true);
    keys(&mut s, "s");
    assert_eq!(s.state.claims().sort, Sort::NeedsReview);
    keys(&mut s, "s s s");
    assert_eq!(s.state.claims().sort, Sort::Title);
    assert_eq!(
        s.state.selected_claim().map(|c| c.id.as_str()),
        Some(A),
        "the selection stays on its claim"
    );
    assert_eq!(
        s.state.claims().view,
        vec![0, 1],
        "Officials… before The Security…"
    );
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(
        screen.contains("by title · all"),
        "the sort and filter show: {screen}"
    );
    keys(&mut s, "j T 'sig Enter k");
    keys(&mut s, "f");
    assert!(matches!(
        s.state.overlay(),
        Some(Overlay::FilterMenu { .. })
    ));
    // The menu: all, needs review, due, unreviewed, 6 verdicts, statuses, tags.
    let tag_row = claimdesk::app::view::filter_choices(s.state.workspace())
        .iter()
        .position(|f| *f == Filter::Tag("sig".into()))
        .expect("the tag is offered");
    for _ in 0..tag_row {
        keys(&mut s, "j");
    }
    keys(&mut s, "Enter");
    assert_eq!(s.state.claims().filter, Filter::Tag("sig".into()));
    assert_eq!(s.state.claims().view.len(), 1);
    assert_eq!(s.state.selected_claim().map(|c| c.id.as_str()), Some(B));
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(screen.contains("1/1 of 2 · by title · #sig"), "{screen}");
}

#[test]
fn quitting_without_saving_says_the_journal_loses_the_edits_too() {
    let dir = tempdir();
    let mut s = session(dir.path(), false);
    keys(&mut s, "v 3 'held C-s q");
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(screen.contains("1 edit is not saved."), "{screen}");
    assert!(
        screen.contains("Quitting without saving takes it out of the journal too."),
        "{screen}"
    );
    // And so it does: the next open has nothing to replay.
    keys(&mut s, "y");
    drop(s);
    let opened = Disk::open(&dir.path().join("w.json"), Access::ReadOnly, None).expect("opens");
    assert_eq!(opened.recovered, 0);
}
