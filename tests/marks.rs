//! Marks: claims marked in the list and follow-ups marked in the agenda, then one verdict,
//! tag edit or follow-up action on all of them — one question, one edit, one undo, one
//! journal line.

mod common;

use claimdesk::app::keymap::{action_for, parse_keys};
use claimdesk::app::state::Question;
use claimdesk::app::{Effect, Overlay, State, update};
use claimdesk::model::{Edit, FollowUpState, Verdict};
use claimdesk::ui::render_to_text;
use common::*;
use std::path::PathBuf;

fn state() -> State {
    State::new(
        seed_workspace(),
        PathBuf::from("w.json"),
        "2026-02-16".parse().expect("date"),
        (120, 40),
    )
}

/// Presses keys; returns the edits they asked to make durable.
fn press(s: &mut State, keys: &str) -> Vec<Edit> {
    let mut recorded = Vec::new();
    for key in parse_keys(keys).expect("key names") {
        if let Some(action) = action_for(s, key) {
            for effect in update(s, action) {
                if let Effect::Record(edit) = effect {
                    recorded.push(edit);
                }
            }
        }
    }
    recorded
}

fn asking(s: &State) -> bool {
    matches!(
        s.overlay(),
        Some(Overlay::Confirm(Question::ApplyToMarked(_)))
    )
}

#[test]
fn a_verdict_on_every_marked_claim_is_one_question_one_edit_one_undo() {
    let mut s = state();
    assert!(press(&mut s, "Space Space").is_empty());
    assert_eq!(s.marks().claims.len(), 2);
    let screen = render_to_text(&s);
    assert!(screen.contains("· ■ 2 marked"), "{screen}");
    assert_eq!(
        screen.lines().filter(|l| l.contains("┃■?!")).count(),
        2,
        "{screen}"
    );
    press(&mut s, "v");
    let picker = render_to_text(&s);
    assert!(
        picker.contains("For every one of the 2 marked claims"),
        "{picker}"
    );
    assert!(
        press(&mut s, "4 'Both 'stalled C-s").is_empty(),
        "asks first"
    );
    assert!(asking(&s));
    let question = render_to_text(&s);
    assert!(
        question.contains("Record the verdict stalled on 2 marked claims?"),
        "{question}"
    );
    assert!(
        question.contains("y: do it · n or Esc: cancel"),
        "{question}"
    );
    let recorded = press(&mut s, "y");
    assert_eq!(recorded.len(), 1, "one journal entry");
    assert!(matches!(&recorded[0], Edit::Batch { edits } if edits.len() == 2));
    for claim in &s.workspace().claims {
        let review = claim.reviews.last().expect("a review");
        assert_eq!(
            (review.verdict, review.note.as_str()),
            (Verdict::Stalled, "Bothstalled")
        );
        assert_eq!(
            review.seen_through,
            claim.latest_update().map(|u| u.at),
            "each its own"
        );
    }
    assert!(s.marks().claims.is_empty(), "used marks are cleared");
    assert!(
        s.message()
            .is_some_and(|m| m.contains("verdict stalled on 2 claims"))
    );
    press(&mut s, "u");
    assert!(
        s.workspace().claims.iter().all(|c| c.reviews.is_empty()),
        "one undo takes back both"
    );
    press(&mut s, "C-r");
    assert!(s.workspace().claims.iter().all(|c| c.reviews.len() == 1));
}

#[test]
fn no_to_the_question_changes_nothing_and_keeps_the_marks() {
    let mut s = state();
    press(&mut s, "Space");
    assert_eq!(s.marks().claims.len(), 1);
    assert_eq!(
        s.claims().list.selected,
        1,
        "Space goes on to the next claim"
    );
    press(&mut s, "k Space");
    assert_eq!(
        s.marks().claims.len(),
        0,
        "Space on a marked claim unmarks it"
    );
    press(&mut s, "k");
    press(&mut s, "Space Space v 1 'x C-s");
    assert!(asking(&s));
    // A no goes back to the rationale, as it was typed; Esc there asks again before
    // throwing it away.
    for no in ["n", "Esc"] {
        assert!(press(&mut s, no).is_empty());
        match s.overlay() {
            Some(Overlay::Rationale { editor, .. }) => assert_eq!(editor.lines(), ["x"]),
            other => panic!("{no}: back to the rationale, not {other:?}"),
        }
        press(&mut s, "C-s");
        assert!(asking(&s));
    }
    press(&mut s, "n Esc");
    assert!(matches!(
        s.overlay(),
        Some(Overlay::Confirm(Question::DiscardTyped(_)))
    ));
    press(&mut s, "y");
    assert!(s.overlay().is_none());
    assert!(s.workspace().claims.iter().all(|c| c.reviews.is_empty()));
    assert_eq!(s.marks().claims.len(), 2);
    press(&mut s, "M");
    assert!(s.marks().claims.is_empty());
}

#[test]
fn a_tag_edit_on_marked_claims_changes_their_shared_tags_and_keeps_the_rest() {
    let mut ws = seed_workspace();
    ws.claims[0].tags = vec!["energy".into(), "treaty".into()];
    ws.claims[1].tags = vec!["treaty".into(), "security".into()];
    let mut s = State::new(
        ws,
        PathBuf::from("w.json"),
        "2026-02-16".parse().expect("date"),
        (120, 40),
    );
    press(&mut s, "Space Space T");
    let input = render_to_text(&s);
    assert!(input.contains("Tags of all 2 marked claims"), "{input}");
    assert!(input.contains("treaty"), "the shared tag starts the input");
    // Replace the shared tag with another.
    press(&mut s, "C-u 'talks Enter");
    assert!(asking(&s));
    assert_eq!(press(&mut s, "y").len(), 1);
    let tags: Vec<Vec<String>> = s
        .workspace()
        .claims
        .iter()
        .map(|c| c.tags.clone())
        .collect();
    assert_eq!(tags, [vec!["energy", "talks"], vec!["security", "talks"]]);
}

#[test]
fn marked_follow_ups_in_the_agenda_are_done_in_one_step_and_the_agenda_stays() {
    let mut s = state();
    press(&mut s, "A Space Space");
    assert_eq!(s.marks().follow_ups.len(), 2);
    let agenda = render_to_text(&s);
    assert!(agenda.contains("· ■ 2 marked"), "{agenda}");
    let marked: Vec<(String, chrono::NaiveDate, usize)> =
        s.marks().follow_ups.iter().cloned().collect();
    press(&mut s, "x");
    let question = render_to_text(&s);
    assert!(
        question.contains("Mark done on 2 marked follow-ups?"),
        "{question}"
    );
    assert_eq!(press(&mut s, "y").len(), 1);
    assert!(
        matches!(s.overlay(), Some(Overlay::Agenda { .. })),
        "back in the agenda"
    );
    let state_of = |s: &State, (claim, date, nth): &(String, chrono::NaiveDate, usize)| {
        s.workspace()
            .claim(claim)
            .and_then(|c| c.follow_ups.get(c.follow_up_index(*date, *nth)?))
            .map(|f| f.state)
    };
    for m in &marked {
        assert_eq!(state_of(&s, m), Some(FollowUpState::Done));
    }
    press(&mut s, "Esc u");
    for m in &marked {
        assert_eq!(state_of(&s, m), Some(FollowUpState::Scheduled), "one undo");
    }
    // Moved together: a day on each (the agenda opens where it was left: g to the top).
    press(&mut s, "A g Space Space L y");
    let moved: Vec<bool> = marked
        .iter()
        .map(|(c, d, _)| {
            let next = d.succ_opt().expect("day");
            s.workspace()
                .claim(c)
                .is_some_and(|c| c.follow_ups.iter().any(|f| f.date == next))
        })
        .collect();
    assert_eq!(moved, [true, true]);
}

/// The batch is one journal line: a crash after it keeps both verdicts; a crash that tore
/// the line keeps neither, never one of the two.
#[test]
fn a_batch_is_one_journal_line_replayed_whole_or_not_at_all() {
    use claimdesk::app::Settings;
    use claimdesk::runtime::Session;
    use claimdesk::store::{self, Access, Disk};
    let dir = tempdir();
    let path = dir.path().join("w.json");
    store::save(&path, &seed_workspace()).expect("writes");
    let open = |path: &std::path::Path| {
        let opened = Disk::open(path, Access::Write, None).expect("opens");
        let state = State::new(
            opened.workspace,
            path.to_owned(),
            "2026-02-16".parse().expect("date"),
            (120, 40),
        )
        .with_settings(Settings {
            autosave: false,
            ..Settings::default()
        });
        Session::new(state, opened.disk)
    };
    let mut s = open(&path);
    keys(&mut s, "Space Space v 4 'why C-s y");
    assert!(
        s.state
            .workspace()
            .claims
            .iter()
            .all(|c| c.reviews.len() == 1)
    );
    drop(s); // no save: the journal is all there is
    let journal = store::journal::path_for(&path);
    let text = std::fs::read_to_string(&journal).expect("journal");
    let batches: Vec<&str> = text.lines().filter(|l| l.contains("\"batch\"")).collect();
    assert_eq!(batches.len(), 1, "{text}");
    let reopened = Disk::open(&path, Access::ReadOnly, None).expect("opens");
    assert!(
        reopened
            .workspace
            .claims
            .iter()
            .all(|c| c.reviews.len() == 1),
        "both replayed"
    );
    drop(reopened);
    // Tear the line in the middle of its second review.
    let cut = text.rfind("\"add_review\"").expect("second review") + 5;
    std::fs::write(&journal, &text[..cut]).expect("tear");
    let torn = Disk::open(&path, Access::ReadOnly, None).expect("opens");
    assert!(
        torn.workspace.claims.iter().all(|c| c.reviews.is_empty()),
        "neither half of a torn batch"
    );
}

/// A state with one claim holding follow-ups on Feb 10, 11 and 12 (Feb 11 already done)
/// and today Feb 16, so the agenda lists the two scheduled ones.
fn neighbouring_follow_ups() -> State {
    let mut ws = seed_workspace();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 2, d).expect("date");
    let claim = &mut ws.claims[0];
    claim.follow_ups = vec![
        claimdesk::model::FollowUp::scheduled(day(10)),
        claimdesk::model::FollowUp::scheduled(day(11)),
        claimdesk::model::FollowUp::scheduled(day(12)),
    ];
    ws.claims[1].follow_ups.clear();
    State::new(
        ws,
        PathBuf::from("w.json"),
        "2026-02-16".parse().expect("date"),
        (120, 40),
    )
}

fn states(s: &State) -> Vec<(u32, FollowUpState)> {
    use chrono::Datelike;
    s.workspace().claims[0]
        .follow_ups
        .iter()
        .map(|f| (f.date.day(), f.state))
        .collect()
}

#[test]
fn a_batch_done_or_cancel_sets_the_state_and_never_flips_one_already_there() {
    use FollowUpState::{Cancelled, Done, Scheduled};
    let mut s = neighbouring_follow_ups();
    // All three marked; then Feb 11 done on its own, from the calendar (Enter on its
    // agenda row goes there). The agenda no longer lists it, and says so.
    press(&mut s, "A Space Space Space");
    assert_eq!(s.marks().follow_ups.len(), 3);
    press(&mut s, "k Enter x");
    assert_eq!(states(&s)[1], (11, Done), "{}", render_to_text(&s));
    press(&mut s, "A");
    let agenda = render_to_text(&s);
    assert!(agenda.contains("■ 3 marked (1 not shown)"), "{agenda}");
    press(&mut s, "x");
    let question = render_to_text(&s);
    assert!(
        question.contains("Mark done on 2 marked follow-ups?"),
        "{question}"
    );
    assert!(
        !question.contains("not shown"),
        "the hidden one is not changed: {question}"
    );
    press(&mut s, "y");
    assert_eq!(
        states(&s),
        [(10, Done), (11, Done), (12, Done)],
        "none flipped back"
    );
    press(&mut s, "Esc u");
    assert_eq!(
        states(&s),
        [(10, Scheduled), (11, Done), (12, Scheduled)],
        "one undo"
    );
    // Every marked one done already: then x schedules them all again.
    let mut s = neighbouring_follow_ups();
    press(&mut s, "A Space k Enter x A");
    assert_eq!(states(&s)[0], (10, Done));
    press(&mut s, "x");
    let question = render_to_text(&s);
    assert!(
        question.contains("Schedule again on 1 marked follow-up?"),
        "{question}"
    );
    press(&mut s, "y");
    assert_eq!(states(&s)[0], (10, Scheduled));
    // c likewise: Feb 10 cancelled on its own first stays cancelled.
    let mut s = neighbouring_follow_ups();
    press(&mut s, "A Space Space Space k k Enter c");
    assert_eq!(states(&s)[0], (10, Cancelled), "{}", render_to_text(&s));
    press(&mut s, "A c");
    let question = render_to_text(&s);
    assert!(
        question.contains("Cancel on 2 marked follow-ups?"),
        "{question}"
    );
    press(&mut s, "y");
    assert_eq!(
        states(&s),
        [(10, Cancelled), (11, Cancelled), (12, Cancelled)]
    );
}

#[test]
fn a_batch_move_onto_a_neighbours_day_goes_furthest_first() {
    use FollowUpState::Scheduled;
    for (keys, want) in [("L", [11, 12, 13]), ("H", [9, 10, 11])] {
        let mut s = neighbouring_follow_ups();
        press(&mut s, "A Space Space Space");
        assert_eq!(s.marks().follow_ups.len(), 3);
        press(&mut s, keys);
        assert!(asking(&s), "{keys}: {}", render_to_text(&s));
        press(&mut s, "y");
        let days: Vec<(u32, FollowUpState)> = states(&s);
        assert_eq!(
            days,
            want.map(|d| (d, Scheduled)),
            "{keys}: {}",
            render_to_text(&s)
        );
    }
}

#[test]
fn a_mark_stays_on_its_follow_up_when_it_moves_and_never_lands_on_a_new_one() {
    let mut s = neighbouring_follow_ups();
    let id = s.workspace().claims[0].id.clone();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 2, d).expect("date");
    // Feb 10 marked, then moved a day back from the calendar: the mark goes with it.
    press(&mut s, "A Space k Enter H");
    assert_eq!(states(&s)[0].0, 9, "{}", render_to_text(&s));
    let marked: Vec<_> = s.marks().follow_ups.iter().cloned().collect();
    assert_eq!(marked, [(id.clone(), day(9), 0)]);
    // Undone: back to Feb 10, and the mark with it.
    press(&mut s, "u");
    let marked: Vec<_> = s.marks().follow_ups.iter().cloned().collect();
    assert_eq!(marked, [(id.clone(), day(10), 0)]);
    press(&mut s, "C-r");
    // A new follow-up on the day the marked one left is not marked.
    press(&mut s, "l a 'fresh Enter");
    assert!(
        s.workspace().claims[0]
            .follow_ups
            .iter()
            .any(|f| f.date == day(10)),
        "{}",
        render_to_text(&s)
    );
    let marked: Vec<_> = s.marks().follow_ups.iter().cloned().collect();
    assert_eq!(marked, [(id.clone(), day(9), 0)]);
    let agenda = {
        press(&mut s, "A");
        render_to_text(&s)
    };
    assert!(
        agenda.contains("■ 1 marked ") && !agenda.contains("not shown"),
        "{agenda}"
    );
    // Deleted: the mark goes.
    press(&mut s, "Esc h d");
    if matches!(s.overlay(), Some(Overlay::Confirm(_))) {
        press(&mut s, "y");
    }
    assert!(s.marks().follow_ups.is_empty(), "{}", render_to_text(&s));
}

#[test]
fn the_question_counts_hidden_follow_ups_the_edit_changes_not_every_hidden_mark() {
    let mut s = neighbouring_follow_ups();
    // Feb 10 and Feb 12 marked; Feb 10 then done from the calendar, so the agenda hides it.
    press(&mut s, "A Space j Space k k Enter x A");
    let agenda = render_to_text(&s);
    assert!(agenda.contains("■ 2 marked (1 not shown)"), "{agenda}");
    press(&mut s, "x");
    let question = render_to_text(&s);
    assert!(
        question.contains("Mark done on 1 marked follow-up?"),
        "{question}"
    );
    assert!(!question.contains("not shown"), "{question}");
}

#[test]
fn a_hidden_follow_up_the_edit_changes_is_named_in_the_question() {
    let mut ws = neighbouring_follow_ups().workspace().clone();
    let late = chrono::NaiveDate::from_ymd_opt(2026, 2, 28).expect("date");
    ws.claims[0]
        .follow_ups
        .push(claimdesk::model::FollowUp::scheduled(late));
    let mut s = State::new(
        ws,
        PathBuf::from("w.json"),
        "2026-02-16".parse().expect("date"),
        (120, 40),
    );
    // Feb 28 is beyond the agenda's first week: widen, mark it and Feb 10, narrow again.
    press(&mut s, "A > Space G Space <");
    assert_eq!(s.marks().follow_ups.len(), 2, "{}", render_to_text(&s));
    assert!(s.marks().follow_ups.iter().any(|(_, d, _)| *d == late));
    press(&mut s, "x");
    let question = render_to_text(&s);
    assert!(
        question.contains("Mark done on 2 marked follow-ups?"),
        "{question}"
    );
    assert!(
        question.contains("1 of them is not shown in the agenda"),
        "{question}"
    );
}

#[test]
fn undo_in_the_agenda_takes_a_batch_back_as_the_question_says() {
    use FollowUpState::{Done, Scheduled};
    let mut s = neighbouring_follow_ups();
    press(&mut s, "A Space Space x");
    assert!(render_to_text(&s).contains("One edit: u undoes all of it."));
    press(&mut s, "y");
    assert_eq!(states(&s), [(10, Done), (11, Done), (12, Scheduled)]);
    press(&mut s, "u");
    let said = s.message().unwrap_or_default().to_owned();
    assert!(
        said.starts_with("Undid") && !said.contains('“'),
        "names no one claim: {said}"
    );
    assert!(
        matches!(s.overlay(), Some(Overlay::Agenda { .. })),
        "still in the agenda"
    );
    assert_eq!(
        states(&s),
        [(10, Scheduled), (11, Scheduled), (12, Scheduled)]
    );
    press(&mut s, "C-r");
    assert_eq!(states(&s), [(10, Done), (11, Done), (12, Scheduled)]);
}

/// The agenda as a worklist: sections with headings, a key to each, the row's place in
/// the title, the cursor where it was left when it opens again, a range and a whole
/// section marked at once, the cursor kept on its follow-up (or the next) after a batch,
/// and a day's several follow-ups each a row of its own.
#[test]
fn the_agenda_is_a_worklist() {
    use claimdesk::app::agenda;
    use claimdesk::model::FollowUp;
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 2, d).expect("date");
    let mut ws = seed_workspace();
    let note = |d: u32, n: &str| FollowUp {
        note: n.into(),
        ..FollowUp::scheduled(day(d))
    };
    // Claim A: five overdue (two of them on Feb 3), one today, two coming; B: one today.
    ws.claims[0].follow_ups = vec![
        note(1, "one"),
        note(3, "three-a"),
        note(3, "three-b"),
        note(5, "five"),
        note(9, "nine"),
        note(16, "today"),
        note(18, "soon"),
        note(20, "later"),
    ];
    ws.claims[1].follow_ups = vec![note(16, "b today")];
    let mut s = State::new(ws, PathBuf::from("w.json"), day(16), (120, 40));
    let selected = |s: &State| match s.overlay() {
        Some(Overlay::Agenda { list, window }) => {
            let rows = agenda::rows(s.workspace(), day(16), *window);
            let r = rows[list.selected].clone();
            let c = &s.workspace().claims[r.claim];
            c.follow_ups[c.follow_up_index(r.date, r.nth).expect("there")]
                .note
                .clone()
        }
        other => panic!("not the agenda: {other:?}"),
    };
    press(&mut s, "A");
    let screen = render_to_text(&s);
    for heading in [
        "── Overdue · 5 follow-ups",
        "── Today · 2 follow-ups (t goes here)",
        "── Coming · 2 follow-ups",
        "· 1/9 ",
    ] {
        assert!(screen.contains(heading), "{heading}:\n{screen}");
    }
    // Both of Feb 3's follow-ups are rows, each reached and acted on by itself.
    press(&mut s, "j");
    assert_eq!(selected(&s), "three-a");
    press(&mut s, "j");
    assert_eq!(selected(&s), "three-b");
    // Sections: ] and [, t for today; the title says where.
    press(&mut s, "]");
    assert_eq!(selected(&s), "today");
    assert!(render_to_text(&s).contains("· 6/9 "));
    press(&mut s, "]");
    assert_eq!(selected(&s), "soon");
    press(&mut s, "[ [");
    assert_eq!(selected(&s), "one");
    press(&mut s, "t");
    assert_eq!(selected(&s), "today");
    // Closed and opened again (through Enter, too): the same row.
    press(&mut s, "Esc A");
    assert_eq!(selected(&s), "today");
    press(&mut s, "Enter");
    assert_eq!(s.calendar().cursor, day(16));
    press(&mut s, "A");
    assert_eq!(selected(&s), "today");
    // Every overdue one marked in one key; again, unmarked.
    press(&mut s, "g *");
    assert_eq!(s.marks().follow_ups.len(), 5);
    press(&mut s, "*");
    assert!(s.marks().follow_ups.is_empty());
    // A range: Space on the second (it goes on to the third), V on the fourth marks the
    // second to the fourth.
    press(&mut s, "j Space j V");
    let marked: Vec<String> = s
        .marks()
        .follow_ups
        .iter()
        .map(|(_, d, n)| format!("{}/{n}", chrono::Datelike::day(d)))
        .collect();
    assert_eq!(marked, ["3/0", "3/1", "5/0"]);
    // x on the three: done, and the cursor (on Feb 5, among them) goes to the next row
    // still listed, where the three were.
    press(&mut s, "x y");
    assert_eq!(selected(&s), "nine");
    let screen = render_to_text(&s);
    assert!(screen.contains("── Overdue · 2 follow-ups"), "{screen}");
    assert!(screen.contains("· 2/6 "), "{screen}");
    let states: Vec<(String, FollowUpState)> = s.workspace().claims[0]
        .follow_ups
        .iter()
        .map(|f| (f.note.clone(), f.state))
        .collect();
    assert_eq!(
        states
            .iter()
            .filter(|(_, st)| *st == FollowUpState::Done)
            .count(),
        3,
        "{states:?}"
    );
    assert!(states.contains(&("three-b".into(), FollowUpState::Done)));
    // V with nothing marked first says how it works.
    press(&mut s, "Esc");
    let mut fresh = neighbouring_follow_ups();
    press(&mut fresh, "A V");
    assert!(
        fresh
            .message()
            .is_some_and(|m| m.contains("Space marks a row first")),
        "{:?}",
        fresh.message()
    );
}

/// Five unreviewed claims, `c0`…`c4`, each with one update.
fn five_claims() -> State {
    use claimdesk::model::{Claim, Update, Workspace};
    let claims = (0..5)
        .map(|i| {
            let mut c = Claim::new(format!("c{i}"), format!("Claim {i}"));
            c.updates.push(Update {
                at: "2026-02-01T00:00:00Z".parse().expect("ts"),
                status: "in_progress".into(),
                body: "b".into(),
                sources: vec![],
                suggested_follow_up: None,
                extra: Default::default(),
            });
            c
        })
        .collect();
    let ws = Workspace {
        claims,
        ..Workspace::default()
    };
    State::new(
        ws,
        PathBuf::from("w.json"),
        "2026-02-16".parse().expect("date"),
        (120, 40),
    )
}

fn selected_id(s: &State) -> String {
    s.selected_claim().map(|c| c.id.clone()).unwrap_or_default()
}

/// A claim a batch decides keeps its place among its neighbours, not its row number:
/// the claims after it stay after it, and `]` goes to the next of them.
#[test]
fn a_decided_claim_keeps_its_place_among_its_neighbours_after_a_batch() {
    let mut s = five_claims();
    // Unreviewed only (the filter menu's fourth entry); c0 and c1 marked, the cursor on c1.
    press(&mut s, "f j j j Enter Space Space k");
    assert_eq!(selected_id(&s), "c1");
    press(&mut s, "v 1 C-s y");
    // c0 has left the list above; c1 stays, before c2.
    let shown: Vec<String> = s.visible_claims().map(|c| c.id.clone()).collect();
    assert_eq!(shown, ["c1", "c2", "c3", "c4"]);
    assert_eq!(selected_id(&s), "c1");
    press(&mut s, "]");
    assert_eq!(selected_id(&s), "c2", "the next one, none skipped");
    let shown: Vec<String> = s.visible_claims().map(|c| c.id.clone()).collect();
    assert_eq!(shown, ["c2", "c3", "c4"]);
}

/// `V` with claims marked records on them all, then goes on to the next in the queue; with
/// the queue empty, `V` says so and opens nothing.
#[test]
fn capital_v_on_marked_claims_goes_on_and_an_empty_queue_opens_nothing() {
    let mut s = five_claims();
    press(&mut s, "Space Space k");
    assert_eq!(selected_id(&s), "c1");
    press(&mut s, "V 1 C-s y");
    assert_eq!(selected_id(&s), "c2");
    assert!(
        s.message().is_some_and(|m| m.ends_with("· 3 to review")),
        "{:?}",
        s.message()
    );
    for _ in 0..3 {
        press(&mut s, "V 1 C-s");
    }
    assert_eq!(s.claims().totals.to_review, 0);
    let reviews =
        |s: &State| -> usize { s.workspace().claims.iter().map(|c| c.reviews.len()).sum() };
    assert_eq!(reviews(&s), 5);
    press(&mut s, "V");
    assert!(s.overlay().is_none(), "no picker: nothing to go on to");
    assert_eq!(
        s.message(),
        Some("The queue is empty: 0 to review; v records a verdict on this claim")
    );
    press(&mut s, "1 C-s");
    assert_eq!(reviews(&s), 5, "nothing recorded by the keys after it");
}

/// A no to the tags question goes back to the tag input as typed.
#[test]
fn no_to_the_tags_question_goes_back_to_the_tags_as_typed() {
    let mut s = five_claims();
    press(&mut s, "Space Space T 'urgent Enter");
    assert!(asking(&s));
    press(&mut s, "n");
    match s.overlay() {
        Some(Overlay::Input { editor, .. }) => assert_eq!(editor.lines(), ["urgent"]),
        other => panic!("back to the tags, not {other:?}"),
    }
    press(&mut s, "Enter y");
    assert!(
        s.workspace()
            .claims
            .iter()
            .take(2)
            .all(|c| c.tags == ["urgent"])
    );
}

/// In the agenda, a batch move keeps the cursor on its follow-up where it went; `Enter`
/// on a row the list's filter hides says that it shows every claim now.
#[test]
fn a_batch_move_in_the_agenda_keeps_the_cursor_on_its_follow_up() {
    use claimdesk::app::agenda;
    let mut s = neighbouring_follow_ups();
    // Feb 10, 11, 12 (overdue): mark the first two, the cursor on the second, one day on.
    press(&mut s, "A Space Space k L y");
    match s.overlay() {
        Some(Overlay::Agenda { list, window }) => {
            let rows = agenda::rows(s.workspace(), "2026-02-16".parse().expect("d"), *window);
            let r = &rows[list.selected];
            assert_eq!((chrono::Datelike::day(&r.date), r.nth), (12, 1));
            let c = &s.workspace().claims[r.claim];
            let f = &c.follow_ups[c.follow_up_index(r.date, r.nth).expect("there")];
            assert_eq!(
                f.original_date.map(|d| chrono::Datelike::day(&d)),
                Some(11),
                "the one moved from the 11th, beside the 12th's own"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        states(&s).iter().map(|(d, _)| *d).collect::<Vec<_>>(),
        [11, 12, 12]
    );
    // A filter that hides the claim: Enter shows every claim, and says so.
    press(&mut s, "Esc");
    let mut s = neighbouring_follow_ups();
    press(&mut s, "f j j j j j Enter");
    press(&mut s, "A Enter");
    assert!(
        s.message()
            .is_some_and(|m| m.starts_with("Showing every claim: the filter (")),
        "{:?}",
        s.message()
    );
}
