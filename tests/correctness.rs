//! The app keeps what it promises on the paths a reviewer takes: read-only from the first
//! key, nothing acting unseen on a too-small screen, pastes that keep their lines, one
//! path for every edit (undo refreshes what fresh edits refresh), background results that
//! never replace an open editor, one folding rule, and reviewers' calendar work that a
//! re-import keeps.

mod common;

use chrono::NaiveDate;
use claimdesk::app::action::Saved;
use claimdesk::app::state::{Overlay, Settings, TimelineRow};
use claimdesk::app::{Action, State};
use claimdesk::model::{Claim, Update, Verdict, Workspace};
use claimdesk::runtime::Session;
use claimdesk::store::{self, Access, Disk};
use common::*;
use std::path::{Path, PathBuf};

const A: &str = "39edfb4563007f91";

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn settings(read_only: bool) -> Settings {
    Settings {
        reviewer: "ana".into(),
        autosave: true,
        read_only,
        ..Settings::default()
    }
}

/// A session writing to a copy of the seed workspace in `dir`.
fn session_in(dir: &Path) -> Session {
    let path = dir.join("w.json");
    store::save(&path, &seed_workspace()).expect("writes the seed workspace");
    let opened = Disk::open(&path, Access::Write, None).expect("opens");
    let state = State::new(opened.workspace, path, day("2026-02-16"), (120, 40))
        .with_settings(settings(false));
    Session::new(state, opened.disk)
}

#[test]
fn read_only_refuses_every_edit_at_the_first_key() {
    let state = State::new(
        seed_workspace(),
        PathBuf::from("w.json"),
        day("2026-02-16"),
        (120, 40),
    )
    .with_settings(settings(true));
    let mut s = Session::in_memory(state);
    let before = s.state.workspace().clone();
    // From the list, the timeline and the calendar: no key opens an editor.
    for (pane_keys, edit_keys) in [
        ("", "v V e T u C-r C-s"),
        ("Tab", "a v T"),
        ("Tab Tab", "a x c e d H L J K v"),
    ] {
        keys(&mut s, pane_keys);
        for key in edit_keys.split(' ') {
            keys(&mut s, key);
            assert!(
                s.state.overlay().is_none(),
                "{key} opened {:?} in a read-only session",
                s.state.overlay()
            );
            let said = s.state.message().unwrap_or_default();
            assert!(said.starts_with("Read-only"), "{key}: {said:?}");
        }
        // Back to the list.
        for _ in pane_keys.split_whitespace() {
            keys(&mut s, "S-Tab");
        }
    }
    assert!(*s.state.workspace() == before, "nothing changed");
    // The status bar says so all the time, not only after a refused key.
    keys(&mut s, "j");
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(screen.contains("READ-ONLY"), "{screen}");
    // And offers no key it would refuse.
    assert!(!screen.contains("v verdict"), "{screen}");
}

#[test]
fn a_workspace_open_elsewhere_opens_read_only_and_says_who_has_it() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    store::save(&path, &seed_workspace()).expect("writes");
    let _held = store::lock::Lock::acquire(&path).expect("another writer");
    let state = State::new(Workspace::default(), path, day("2026-02-16"), (120, 40));
    let mut s = Session::loading(
        state,
        Access::Write,
        None,
        claimdesk::cli::describe_opened,
        |e, _| e.to_string(),
    );
    let start = std::time::Instant::now();
    while s.state.loading().is_some() {
        assert!(
            s.load_error.is_none(),
            "refused instead of read-only: {:?}",
            s.load_error
        );
        assert!(start.elapsed().as_secs() < 30, "never loaded");
        s.poll_background();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(s.state.settings().read_only);
    let said = s.state.message().unwrap_or_default().to_owned();
    assert!(
        said.contains("open in claimdesk on"),
        "said at once: {said}"
    );
    keys(&mut s, "v");
    assert!(s.state.overlay().is_none());
    let said = s.state.message().unwrap_or_default();
    assert!(said.contains("open in claimdesk on"), "{said}");
}

#[test]
fn on_the_too_small_screen_only_q_acts() {
    let mut s = seed_session();
    s.dispatch(Action::Resize {
        width: 30,
        height: 8,
    });
    let before = (s.state.focus(), s.state.claims().list.selected);
    keys(&mut s, "Tab j v e / ? C-s");
    assert!(s.state.overlay().is_none(), "{:?}", s.state.overlay());
    assert!(s.state.search().is_none());
    assert_eq!((s.state.focus(), s.state.claims().list.selected), before);
    assert!(
        s.state
            .workspace()
            .claims
            .iter()
            .all(|c| c.reviews.is_empty())
    );
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(screen.contains("small"), "{screen}");
    keys(&mut s, "q");
    assert!(s.state.quit(), "q still quits");
    let mut s = seed_session();
    s.dispatch(Action::Resize {
        width: 30,
        height: 8,
    });
    keys(&mut s, "C-c");
    assert!(s.state.quit(), "C-c still quits");
}

#[test]
fn a_pasted_rationale_keeps_its_lines_and_tabs() {
    let dir = tempdir();
    let mut s = session_in(dir.path());
    keys(&mut s, "v 3");
    // tmux and most terminals send CR between pasted lines.
    s.dispatch(Action::Paste(
        "First line\rsecond line\r\n\tindented\u{1b}[31m red".into(),
    ));
    keys(&mut s, "C-s");
    let saved = store::load(s.state.path()).expect("loads");
    let note = &saved.claim(A).expect("claim").reviews[0].note;
    assert_eq!(note, "First line\nsecond line\n\tindented red");
    // Into a one-line input, a paste is one line.
    keys(&mut s, "e C-u");
    let title_len = s
        .state
        .selected_claim()
        .map_or(0, |c| c.title.chars().count());
    for _ in 0..title_len {
        keys(&mut s, "Backspace");
    }
    s.dispatch(Action::Paste("New\rtitle\r\nhere".into()));
    keys(&mut s, "Enter");
    assert_eq!(
        s.state.selected_claim().map(|c| c.title.as_str()),
        Some("New title here")
    );
}

#[test]
fn undo_refreshes_the_digest_as_the_edit_did() {
    let mut s = seed_session();
    let dec31 = day("2026-12-31");
    let digest = |s: &Session| s.state.timeline().analysis().digest.open_suggestion;
    assert_eq!(digest(&s), None, "Dec 31 is on the calendar");
    keys(&mut s, "Tab Tab");
    s.dispatch(claimdesk::app::Action::GoToDay(dec31));
    keys(&mut s, "d");
    assert_eq!(digest(&s), Some(dec31), "deleted: the suggestion is open");
    keys(&mut s, "u");
    assert_eq!(digest(&s), None, "undone: on the calendar again");
    keys(&mut s, "C-r");
    assert_eq!(digest(&s), Some(dec31), "redone");
}

#[test]
fn an_outside_change_found_by_a_save_waits_until_the_editor_closes() {
    let mut s = seed_session();
    keys(&mut s, "v 3 'half Space 'written");
    s.dispatch(Action::Saved(Saved::ChangedOnDisk(
        "w.json changed on disk".into(),
    )));
    match &s.state.overlay() {
        Some(Overlay::Rationale { editor, .. }) => {
            assert_eq!(editor.lines().join("\n"), "half written")
        }
        other => panic!("the editor was replaced by {other:?}"),
    }
    keys(&mut s, "C-s");
    assert_eq!(
        s.state.selected_claim().map(|c| c.reviews.len()),
        Some(1),
        "the verdict typed is recorded"
    );
    assert!(
        matches!(s.state.overlay(), Some(Overlay::Confirm(_))),
        "then the question shows: {:?}",
        s.state.overlay()
    );
}

fn update(at: &str, status: &str) -> Update {
    Update {
        at: at.parse().expect("ts"),
        status: status.into(),
        body: format!("Body at {at}.").into(),
        sources: vec![],
        suggested_follow_up: None,
        extra: Default::default(),
    }
}

#[test]
fn a_run_of_two_unfolded_with_enter_folds_again_with_space() {
    let mut claim = Claim::new("c1", "A claim");
    *claim.updates = vec![
        update("2026-01-01T00:00:00Z", "in_progress"),
        update("2026-01-02T00:00:00Z", "in_progress"),
        update("2026-01-03T00:00:00Z", "complete"),
    ];
    let ws = Workspace {
        claims: vec![claim],
        ..Workspace::default()
    };
    let mut s = Session::in_memory(State::new(
        ws,
        PathBuf::from("w.json"),
        day("2026-02-16"),
        (120, 40),
    ));
    keys(&mut s, "Tab j");
    assert!(matches!(
        s.state.selected_row(),
        Some(TimelineRow::Run { .. })
    ));
    keys(&mut s, "Enter");
    assert_eq!(s.state.timeline_rows().len(), 3, "unfolded");
    keys(&mut s, "j Space");
    assert_eq!(s.state.timeline_rows().len(), 2, "folded again");
    assert!(matches!(
        s.state.selected_row(),
        Some(TimelineRow::Run { .. })
    ));
}

#[test]
fn deleted_and_moved_tracker_follow_ups_stay_so_after_a_reimport() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let seed = fixture(SEED_000);
    let seed = seed.to_str().expect("utf-8 path");
    let home = tempdir();
    let import = |home: &Path| {
        let out = claimdesk_in(home, &["import", seed, "-w", ws.to_str().expect("path")]);
        assert!(out.status.success(), "{}", stderr(&out));
    };
    import(home.path());
    let opened = Disk::open(&ws, Access::Write, None).expect("opens");
    let dates: Vec<NaiveDate> = opened.workspace.claims[0]
        .follow_ups
        .iter()
        .map(|f| f.date)
        .collect();
    let (deleted, moved) = (dates[0], dates[1]);
    let state = State::new(opened.workspace, ws.clone(), day("2026-02-16"), (120, 40))
        .with_settings(settings(false));
    let mut s = Session::new(state, opened.disk);
    keys(&mut s, "Tab Tab");
    s.dispatch(claimdesk::app::Action::GoToDay(deleted));
    keys(&mut s, "d");
    s.dispatch(claimdesk::app::Action::GoToDay(moved));
    keys(&mut s, "J");
    let moved_to = moved + chrono::Days::new(7);
    assert!(
        s.state
            .cursor_follow_up()
            .is_some_and(|f| f.date == moved_to),
        "moved a week later: {:?}",
        s.state.message()
    );
    drop(s);
    import(home.path());
    let after = store::load(&ws).expect("loads");
    let c = &after.claims[0];
    let has = |d: NaiveDate| c.follow_ups.iter().any(|f| f.date == d);
    assert!(!has(deleted), "the deleted follow-up came back");
    assert!(!has(moved), "the moved follow-up came back at its old date");
    assert!(has(moved_to), "the move is kept");
    assert_eq!(c.follow_ups.len(), dates.len() - 1);
}

#[test]
fn a_verdict_from_the_command_line_takes_the_apps_path() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    store::save(&ws, &seed_workspace()).expect("writes");
    let home = tempdir();
    let out = claimdesk_in(
        home.path(),
        &[
            "verdict",
            "39e",
            "stalled",
            "--note",
            "- starts with a dash\r\nsecond\u{1b}[2J line",
            "--reviewer",
            "\u{1b}[31mbo\u{202e}",
            "--today",
            "2026-02-16",
            "-w",
            ws.to_str().expect("path"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let saved = store::load(&ws).expect("loads");
    let r = &saved.claim(A).expect("claim").reviews[0];
    assert_eq!(r.verdict, Verdict::Stalled);
    assert_eq!(r.note, "- starts with a dash\nsecond line");
    assert_eq!(r.reviewer, "bo", "the name is cleaned before it is stored");
    assert_recorded_now(r.at);
    // The journal entry carries the real clock too, and is folded into the file (kept
    // until the next save, for recover).
    let journal = store::journal::read(&store::journal::path_for(&ws)).expect("journal");
    assert_eq!(journal.entries.len(), 1);
    assert_recorded_now(journal.entries[0].at);
    assert!(journal.entries[0].seq <= saved.journal_seq);
}

#[test]
fn a_reload_after_an_outside_change_saves_the_edits_it_reapplies() {
    let dir = tempdir();
    let mut s = session_in(dir.path());
    // Someone else changes the file: a title.
    let mut theirs = store::load(s.state.path()).expect("loads");
    theirs.claims[1].title = "Retitled outside".into();
    std::thread::sleep(std::time::Duration::from_millis(20));
    store::save(s.state.path(), &theirs).expect("outside write");
    keys(&mut s, "v 3 'mine C-s");
    assert!(
        matches!(s.state.overlay(), Some(Overlay::Confirm(_))),
        "the save found the change: {:?}",
        s.state.overlay()
    );
    keys(&mut s, "r");
    assert_eq!(s.state.save().unsaved, 0, "{:?}", s.state.message());
    let saved = store::load(s.state.path()).expect("loads");
    assert_eq!(saved.claims[1].title, "Retitled outside", "theirs kept");
    assert_eq!(
        saved.claim(A).expect("claim").reviews[0].note,
        "mine",
        "mine re-applied and saved"
    );
}

#[test]
fn ctrl_c_cancels_in_every_text_field_as_esc_does() {
    let mut s = seed_session();
    keys(&mut s, "v 3 'typed C-c");
    assert!(
        matches!(s.state.overlay(), Some(Overlay::Confirm(_))),
        "asks before throwing typed text away"
    );
    keys(&mut s, "y e C-c");
    assert!(s.state.overlay().is_none());
    keys(&mut s, "/ 'x C-c");
    assert!(s.state.search().is_none());
}

#[test]
fn a_failed_open_leaves_no_lock_file_behind() {
    let dir = tempdir();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{").expect("write");
    let missing = dir.path().join("missing.json");
    for p in [&bad, &missing] {
        let out = claimdesk(&["verdict", "x", "stalled", "-w", p.to_str().expect("utf8")]);
        assert!(!out.status.success());
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["bad.json"], "nothing left beside");
}

#[test]
fn with_no_claim_in_the_list_every_claim_key_says_why() {
    let mut s = seed_session();
    keys(&mut s, "/ 'zzzqqq Enter");
    assert!(s.state.selected_claim().is_none());
    for key in ["v", "V", "e", "T", "r", "w", "]", "["] {
        keys(&mut s, key);
        assert!(s.state.overlay().is_none(), "{key}");
        assert_eq!(
            s.state.message(),
            Some("No claim selected: the search matches none (Esc clears it)"),
            "{key}"
        );
    }
    // Cleared, the list and the timeline come back at once.
    keys(&mut s, "/ Esc");
    assert!(s.state.selected_claim().is_some());
    assert!(!s.state.timeline_rows().is_empty(), "the timeline follows");
}

#[test]
fn recover_with_nothing_to_recover_from_leaves_nothing_behind() {
    let dir = tempdir();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{").expect("write");
    for p in [bad.clone(), dir.path().join("new.json")] {
        let out = claimdesk(&["recover", "-w", p.to_str().expect("utf8")]);
        assert!(
            !out.status.success() && stderr(&out).contains(".bak: cannot read the file"),
            "{}",
            stderr(&out)
        );
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["bad.json"]);
}

/// A database session's state, on the seed workspace, with the second claim selected.
fn desk_state() -> State {
    let mut state = desk_with(seed_workspace());
    claimdesk::app::update(&mut state, Action::Down);
    state
}

/// A database session's state on `workspace`.
fn desk_with(workspace: Workspace) -> State {
    let mut settings = settings(false);
    settings.database = true;
    State::new(
        workspace,
        PathBuf::from("postgresql://ana@db/desk"),
        day("2026-02-16"),
        (120, 40),
    )
    .with_settings(settings)
}

fn review(reviewer: &str, note: &str) -> claimdesk::model::Review {
    claimdesk::model::Review {
        at: "2026-12-07T10:00:00Z".parse().expect("time"),
        reviewer: reviewer.into(),
        verdict: Verdict::Failed,
        note: note.into(),
        seen_through: None,
        extra: Default::default(),
    }
}

/// A colleague's verdict goes on the screen once, with who gave it, and the counts
/// follow; the screen's own verdict announced back is not doubled, and says nothing.
#[test]
fn a_colleagues_verdict_shows_once_and_the_counts_follow() {
    use claimdesk::app::action::Desk;
    use claimdesk::model::Recorded;
    let mut state = desk_state();
    let unreviewed = state.claims().totals.unreviewed;
    let ben = Recorded {
        claim: A.into(),
        review: review("ben", "gone quiet"),
        recorded_by: "ben".into(),
    };
    claimdesk::app::update(&mut state, Action::Desk(Desk::Reviews(vec![ben.clone()])));
    assert_eq!(state.message(), Some("ben recorded failed on 39ed…"));
    assert_eq!(state.claims().totals.unreviewed, unreviewed - 1);
    assert_eq!(
        state.save().unsaved,
        0,
        "a colleague's verdict is not this screen's to save"
    );
    // Announced again (this screen's own, or a repeat): nothing doubles, nothing said.
    claimdesk::app::update(&mut state, Action::Down);
    claimdesk::app::update(&mut state, Action::Desk(Desk::Reviews(vec![ben])));
    let claim = state.workspace().claim(A).expect("claim");
    assert_eq!(
        claim
            .reviews
            .iter()
            .filter(|r| r.note == "gone quiet")
            .count(),
        1
    );
    assert_eq!(state.message(), None);
}

/// The workspace read again after a colleague's change keeps the selected claim and
/// says who changed it; it is not taken while a verdict is held on this screen only.
#[test]
fn a_workspace_read_again_keeps_the_selection_and_nothing_held_only_here() {
    use claimdesk::app::action::Desk;
    let mut state = desk_state();
    let selected = state.selected_claim().map(|c| c.id.clone());
    let mut changed = seed_workspace();
    changed
        .claims
        .push(Claim::new("feedbeef00000001", "A new claim"));
    claimdesk::app::update(
        &mut state,
        Action::Desk(Desk::Workspace {
            workspace: Box::new(changed.clone()),
            by: Some("ana".into()),
        }),
    );
    assert_eq!(state.workspace().claims.len(), 3);
    assert_eq!(state.selected_claim().map(|c| c.id.clone()), selected);
    assert_eq!(
        state.message(),
        Some("ana changed the workspace: 3 claims, 1 new")
    );
    // A verdict the server could not take and no queue could keep: the screen keeps it.
    claimdesk::app::update(
        &mut state,
        Action::NotRecorded {
            why: "no route".into(),
            reachable: false,
        },
    );
    claimdesk::app::update(
        &mut state,
        Action::Desk(Desk::Workspace {
            workspace: Box::new(seed_workspace()),
            by: None,
        }),
    );
    assert_eq!(
        state.workspace().claims.len(),
        3,
        "the screen's verdict was dropped"
    );
}

/// The queue's news: how many wait, that the server is away, and what was refused.
#[test]
fn the_queue_is_counted_and_a_refusal_said() {
    use claimdesk::app::action::Desk;
    let mut state = desk_state();
    let sent = |state: &mut State, sent, queued, away: Option<&str>, refused: Vec<String>| {
        claimdesk::app::update(
            state,
            Action::Desk(Desk::Sent {
                sent,
                queued,
                away: away.map(str::to_owned),
                refused,
            }),
        );
    };
    sent(&mut state, 0, 2, Some("no route"), vec![]);
    assert_eq!((state.save().queued, state.save().unsaved), (2, 2));
    assert!(state.message().is_some_and(|m| m.starts_with("QUEUED")));
    sent(&mut state, 2, 0, None, vec![]);
    assert_eq!((state.save().queued, state.save().unsaved), (0, 0));
    assert_eq!(state.save().away, None);
    assert_eq!(
        state.message(),
        Some("Sent to the server: 2 verdicts from the queue on this machine")
    );
    sent(&mut state, 0, 0, None, vec!["permission denied".into()]);
    assert!(
        state
            .message()
            .is_some_and(|m| m.contains("NOT RECORDED") && m.contains("permission denied"))
    );
}

/// `@` assigns the selected claim to the reviewer (the input starts with their name),
/// empty assigns it to no one; it is an edit like any other (undo, the journal, the
/// file), the list's row shows it, the filter menu offers it and `list` filters by it.
#[test]
fn a_claim_is_assigned_to_the_reviewer_and_back_to_no_one() {
    let dir = tempdir();
    let mut s = session_in(dir.path());
    keys(&mut s, "@ Enter");
    let claim = |s: &Session| s.state.selected_claim().and_then(|c| c.assigned_to.clone());
    assert_eq!(claim(&s), Some("ana".to_owned()));
    assert_eq!(s.state.message(), Some("Recorded assignment to ana"));
    let filters = claimdesk::app::view::filter_choices(s.state.workspace());
    assert!(filters.contains(&claimdesk::app::view::Filter::Assigned(Some("ana".into()))));
    assert!(filters.contains(&claimdesk::app::view::Filter::Assigned(None)));
    s.shutdown();
    let path = dir.path().join("w.json");
    let home = tempdir();
    let mine = claimdesk_in(
        home.path(),
        &[
            "list",
            "-w",
            path.to_str().expect("utf-8"),
            "--assigned-to",
            "ana",
        ],
    );
    assert_eq!(stdout(&mine).lines().count(), 1, "{}", stdout(&mine));
    let none = claimdesk_in(
        home.path(),
        &["list", "-w", path.to_str().expect("utf-8"), "--unassigned"],
    );
    assert_eq!(stdout(&none).lines().count(), 1, "{}", stdout(&none));
    // Emptied: no one; undo gives it back.
    keys(&mut s, "@ C-u Enter");
    assert_eq!(claim(&s), None);
    keys(&mut s, "u");
    assert_eq!(claim(&s), Some("ana".to_owned()));
}

/// The same verdict and rationale twice in one second is one review (a database keeps
/// such a resend once; the screen and the file do too).
#[test]
fn the_same_verdict_twice_in_one_second_is_recorded_once() {
    let dir = tempdir();
    let mut s = session_in(dir.path());
    for _ in 0..3 {
        let before = s.state.selected_claim().map_or(0, |c| c.reviews.len());
        keys(&mut s, "v 4 s a m e C-s v 4 s a m e C-s");
        let reviews = &s.state.selected_claim().expect("claim").reviews;
        let added = &reviews[before..];
        if added.len() == 2 {
            // The clock crossed a second between them: two reviews, rightly. Again.
            assert_ne!(added[0].at, added[1].at);
            continue;
        }
        assert_eq!(added.len(), 1);
        assert_eq!(
            s.state.message(),
            Some("Already recorded: the same verdict and rationale, this second")
        );
        return;
    }
    panic!("three tries each crossed a second");
}

/// An editor saves to the claim it was opened on, even when a colleague's verdict takes
/// that claim out of the filtered list while it is open: the claim keeps its row (held)
/// until the reviewer moves, so the selection does not move under the editor either.
#[test]
fn an_edit_goes_to_the_claim_it_was_opened_on_whatever_the_list_does_meanwhile() {
    use claimdesk::app::action::Desk;
    use claimdesk::model::Recorded;
    let mut s = Session::in_memory(desk_state());
    // Only the unreviewed: the filter menu's fourth entry.
    keys(&mut s, "f j j j Enter");
    let first = s
        .state
        .selected_claim()
        .map(|c| c.id.clone())
        .expect("a claim");
    keys(&mut s, "e C-u");
    for c in "Mine".chars() {
        keys(&mut s, &c.to_string());
    }
    // A colleague's verdict: the claim leaves the unreviewed list under the editor.
    s.dispatch(Action::Desk(Desk::Reviews(vec![Recorded {
        claim: first.clone(),
        review: review("ben", "done"),
        recorded_by: "ben".into(),
    }])));
    assert_eq!(
        s.state.selected_claim().map(|c| c.id.clone()),
        Some(first.clone()),
        "the claim keeps its row under the editor though it left the filter"
    );
    assert!(
        !s.state
            .workspace()
            .claim(&first)
            .is_some_and(|c| c.reviews.is_empty()),
        "it has a verdict now"
    );
    keys(&mut s, "Enter");
    let titles: Vec<(String, String)> = s
        .state
        .workspace()
        .claims
        .iter()
        .map(|c| (c.id.clone(), c.title.clone()))
        .collect();
    assert!(
        titles.iter().any(|(id, t)| *id == first && t == "Mine"),
        "{titles:?}"
    );
    assert_eq!(titles.iter().filter(|(_, t)| t == "Mine").count(), 1);
}

/// A database's claim list comes before the updates' bodies: the selected claim's
/// timeline says it is reading them and shows them once they come; a list read for an
/// older version of the claim is not taken; a search made meanwhile runs again once every
/// claim is in; and stand-ins are never written anywhere.
#[test]
fn the_claim_list_comes_first_and_the_updates_fill_in() {
    use claimdesk::app::Effect;
    use claimdesk::app::action::Desk;
    use claimdesk::model::Updates;
    let whole = seed_workspace();
    let mut heads = whole.clone();
    for (n, claim) in heads.claims.iter_mut().enumerate() {
        let stand_ins = claim
            .updates
            .iter()
            .map(|u| Update {
                body: Default::default(),
                sources: Vec::new(),
                suggested_follow_up: None,
                extra: Default::default(),
                ..u.clone()
            })
            .collect();
        claim.updates = Updates::awaiting(stand_ins, 100 + n as u64);
    }
    assert!(
        store::to_bytes(&heads).is_err(),
        "stand-ins were written as updates"
    );
    let mut settings = settings(false);
    settings.database = true;
    let mut state = State::new(
        heads,
        PathBuf::from("postgresql://ana@db/desk"),
        day("2026-02-16"),
        (120, 40),
    )
    .with_settings(settings);
    // The list is whole: counts, statuses and what needs review come from the stand-ins.
    let file_state = State::new(
        whole.clone(),
        PathBuf::from("w.json"),
        day("2026-02-16"),
        (120, 40),
    );
    assert_eq!(state.claims().totals, file_state.claims().totals);
    let selected = state.selected_claim().expect("a claim").id.clone();
    let n = whole.claim(&selected).expect("claim").updates.len();
    assert_eq!(state.update_count(), 0);
    let screen = claimdesk::ui::render_to_text(&state);
    assert!(
        screen.contains(&format!("Reading its {n} updates from the database")),
        "{screen}"
    );
    // The timeline's actions say the updates are not in yet, rather than act on none.
    for action in [Action::FirstNew, Action::Copy] {
        claimdesk::app::update(&mut state, Action::FocusNext);
        claimdesk::app::update(&mut state, action.clone());
        assert_eq!(
            state.message(),
            Some(format!("Its {n} updates are still being read from the database").as_str()),
            "{action:?}"
        );
        claimdesk::app::update(&mut state, Action::FocusPrev);
    }
    // A search typed while bodies are still being read.
    claimdesk::app::update(&mut state, Action::OpenSearch);
    for c in "Ministerial".chars() {
        claimdesk::app::update(
            &mut state,
            Action::EditorKey(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char(c),
            )),
        );
    }
    // A claim's updates as read, under the digest given (its stand-ins await 100 + its
    // place).
    let read = |state: &mut State, id: &str, digest: Option<u64>| {
        let at = whole.claims.iter().position(|c| c.id == id).expect("claim");
        let list = whole.claim(id).expect("claim").updates.clone();
        let digest = digest.unwrap_or(100 + at as u64);
        claimdesk::app::update(
            state,
            Action::Desk(Desk::Updates(vec![(id.to_owned(), digest, list)])),
        )
    };
    // The list read for an older version of the claim is not taken.
    read(&mut state, &selected, Some(999));
    assert_eq!(state.update_count(), 0);
    let effects = read(&mut state, &selected, None);
    assert_eq!(state.update_count(), n);
    assert!(
        effects.is_empty(),
        "searched again before every claim was in"
    );
    assert!(!claimdesk::ui::render_to_text(&state).contains("Reading its"));
    let other = whole
        .claims
        .iter()
        .find(|c| c.id != selected)
        .expect("another claim")
        .id
        .clone();
    let effects = read(&mut state, &other, None);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Search { query, .. } if query == "Ministerial")),
        "{effects:?}"
    );
    assert_eq!(state.workspace(), &whole);
    assert!(store::to_bytes(state.workspace()).is_ok());
}

/// A claim whose update rows do not read says so on its timeline and to the timeline's
/// actions, and counts no more as being read; read again, it is read like any other.
#[test]
fn a_claim_whose_updates_do_not_read_says_why_until_they_do() {
    use claimdesk::app::action::Desk;
    use claimdesk::model::Updates;
    let whole = seed_workspace();
    let mut heads = whole.clone();
    for claim in &mut heads.claims {
        let stand_ins = claim.updates.iter().cloned().collect();
        claim.updates = Updates::awaiting(stand_ins, 7);
    }
    let mut state = desk_with(heads);
    let id = state.selected_claim().expect("a claim").id.clone();
    let why =
        "claimdesk_updates row position 3 of claim x is not one update; fix or delete that row";
    claimdesk::app::update(
        &mut state,
        Action::Desk(Desk::Unreadable {
            claim: id.clone(),
            why: why.into(),
        }),
    );
    assert_eq!(state.claims_awaiting(), whole.claims.len() - 1);
    let screen = claimdesk::ui::render_to_text(&state);
    assert!(screen.contains("Its updates do not read"), "{screen}");
    assert!(!screen.contains("Reading its"), "{screen}");
    claimdesk::app::update(&mut state, Action::FirstNew);
    assert_eq!(
        state.message(),
        Some(format!("Its updates do not read: {why}").as_str())
    );
    let list = whole.claim(&id).expect("claim").updates.clone();
    claimdesk::app::update(&mut state, Action::Desk(Desk::Updates(vec![(id, 7, list)])));
    assert!(state.unreadable().is_none());
    assert!(state.update_count() > 0);
}

/// A colleague's import adds newer updates: the update the reviewer has selected (or
/// reads) stays selected, though its place in the newest-first timeline moved.
#[test]
fn a_workspace_read_again_keeps_the_selected_update() {
    use claimdesk::app::action::Desk;
    let mut state = desk_with(seed_workspace());
    claimdesk::app::update(&mut state, Action::FocusNext);
    for _ in 0..3 {
        claimdesk::app::update(&mut state, Action::Down);
    }
    let before = state.selected_update().expect("an update").clone();
    let id = state.selected_claim().expect("a claim").id.clone();
    let mut newer = seed_workspace();
    let claim = newer.claims.iter_mut().find(|c| c.id == id).expect("claim");
    for hours in [1, 2] {
        let mut u = claim.updates.last().expect("an update").clone();
        u.at += chrono::Duration::hours(hours);
        u.body = "Newer.".into();
        claim.updates.push(u);
    }
    claimdesk::app::update(
        &mut state,
        Action::Desk(Desk::Workspace {
            workspace: Box::new(newer),
            by: Some("ben".into()),
        }),
    );
    assert_eq!(state.selected_update(), Some(&before));
}
