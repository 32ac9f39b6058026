//! The journal and `recover`, through the command line a user runs: a torn or damaged
//! journal loses no verdict recorded before or after it, `recover` rebuilds every verdict
//! ever reported as recorded (the last save's included), and running it again — after a
//! crash in the middle, or once it is done — never doubles a review.

mod common;

use claimdesk::model::Workspace;
use claimdesk::store::{self, journal};
use common::*;
use std::path::{Path, PathBuf};

const A: &str = "39edfb4563007f91";

fn workspace(dir: &Path) -> PathBuf {
    let ws = dir.join("w.json");
    store::save(&ws, &seed_workspace()).expect("writes");
    ws
}

fn verdict(ws: &Path, verdict: &str, note: &str) {
    let out = claimdesk(&[
        "verdict",
        "39ed",
        verdict,
        "--note",
        note,
        "-w",
        ws.to_str().expect("utf8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The notes of claim A's reviews, as the next open reads the workspace (journal included).
fn notes(ws: &Path) -> Vec<String> {
    let opened = store::Disk::open(ws, store::Access::ReadOnly, None).expect("opens");
    reviews(&opened.workspace)
}

fn reviews(ws: &Workspace) -> Vec<String> {
    ws.claim(A)
        .expect("claim")
        .reviews
        .iter()
        .map(|r| r.note.clone())
        .collect()
}

fn recover(ws: &Path) -> std::process::Output {
    claimdesk(&["recover", "-w", ws.to_str().expect("utf8")])
}

/// The files in `dir` whose names start with `prefix` (the damaged copies kept aside).
fn kept_aside(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect()
}

/// The workspace cut in half, as a crash of something else (an editor, a full disk) might
/// leave it.
fn truncate(ws: &Path) {
    let bytes = std::fs::read(ws).expect("read");
    std::fs::write(ws, &bytes[..bytes.len() / 2]).expect("truncate");
}

#[test]
fn recover_rebuilds_every_verdict_the_last_save_included() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    verdict(&ws, "in_progress", "first");
    verdict(&ws, "stalled", "second");
    truncate(&ws);
    let out = recover(&ws);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(notes(&ws), ["first", "second"], "{}", stdout(&out));
}

#[test]
fn recover_killed_midway_or_run_twice_never_doubles_a_review() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    verdict(&ws, "in_progress", "first");
    verdict(&ws, "stalled", "second");
    truncate(&ws);
    // Killed after setting the damaged file aside, before writing the rebuilt one.
    std::fs::rename(&ws, dir.path().join("w.json.damaged-by-hand")).expect("aside");
    let out = recover(&ws);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(notes(&ws), ["first", "second"]);
    // Once done, a second run has nothing to do, and the next open replays nothing twice.
    let again = recover(&ws);
    assert!(
        !again.status.success() && stderr(&again).contains("nothing to recover"),
        "{}",
        stderr(&again)
    );
    assert_eq!(notes(&ws), ["first", "second"]);
    // And the next verdict on the rebuilt file is the third, not a fourth.
    verdict(&ws, "failed", "third");
    assert_eq!(notes(&ws), ["first", "second", "third"]);
    let saved = store::load(&ws).expect("loads");
    assert_eq!(reviews(&saved), ["first", "second", "third"]);
}

#[test]
fn recover_rebuilds_a_first_save_that_a_later_session_journaled_on_top_of() {
    let dir = tempdir();
    // A file without an id yet: its first save gives it one, and its .bak has none.
    let ws = workspace(dir.path());
    verdict(&ws, "in_progress", "first");
    // A later session (the app with --no-autosave) journals a verdict and is closed
    // before saving.
    let opened = store::Disk::open(&ws, store::Access::Write, None).expect("opens");
    let mut disk = opened.disk;
    let review = claimdesk::model::Review {
        at: chrono::Utc::now(),
        reviewer: "ana".into(),
        verdict: claimdesk::model::Verdict::Stalled,
        note: "second".into(),
        seen_through: None,
        extra: Default::default(),
    };
    disk_record(
        &mut disk,
        &claimdesk::model::Edit::AddReview {
            claim: A.into(),
            review,
        },
    );
    drop(disk);
    truncate(&ws);
    let out = recover(&ws);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(notes(&ws), ["first", "second"], "{}", stdout(&out));
}

#[test]
fn a_torn_journal_line_swallows_no_later_verdict() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    verdict(&ws, "in_progress", "first");
    // A crash mid-append left half a line.
    let jpath = journal::path_for(&ws);
    let mut bytes = std::fs::read(&jpath).expect("journal");
    bytes.extend_from_slice(br#"{"seq": 2, "at": "2026-12-01T"#);
    std::fs::write(&jpath, &bytes).expect("tear");
    verdict(&ws, "stalled", "second");
    verdict(&ws, "failed", "third");
    let read = journal::read(&jpath).expect("reads");
    assert!(read.bad_lines.is_empty() && !read.torn_tail, "{read:?}");
    assert_eq!(notes(&ws), ["first", "second", "third"]);
    // The file lost, only the journal and .bak left: still all three.
    truncate(&ws);
    assert!(recover(&ws).status.success());
    assert_eq!(notes(&ws), ["first", "second", "third"]);
}

#[test]
fn an_unreadable_journal_line_is_kept_aside_and_the_rest_applied() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    // Three edits journaled and never saved: the journal as a crash leaves it.
    let opened = store::Disk::open(&ws, store::Access::Write, None).expect("opens");
    let mut disk = opened.disk;
    for (seq, title) in [(1, "one"), (2, "two"), (3, "three")] {
        let edit = claimdesk::model::Edit::SetTitle {
            claim: A.into(),
            title: title.into(),
        };
        assert_eq!(disk_record(&mut disk, &edit), seq);
    }
    drop(disk);
    let jpath = journal::path_for(&ws);
    let text = std::fs::read_to_string(&jpath).expect("journal");
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1] = "{not json at all";
    let damaged = lines.join("\n") + "\n";
    std::fs::write(&jpath, &damaged).expect("damage");
    // The next writer applies what it can read and keeps the journal as it was.
    let opened = store::Disk::open(&ws, store::Access::Write, None).expect("opens");
    assert_eq!(opened.recovered, 2, "{:?}", opened.notes);
    assert_eq!(
        opened.workspace.claim(A).expect("claim").title,
        "three",
        "the entry after the bad line is applied"
    );
    assert!(
        opened.notes.iter().any(|n| n.contains("unreadable")),
        "{:?}",
        opened.notes
    );
    let kept = kept_aside(dir.path(), "w.json.journal.damaged-");
    assert_eq!(kept.len(), 1, "kept aside");
    assert_eq!(
        std::fs::read_to_string(&kept[0]).expect("read"),
        damaged,
        "byte for byte"
    );
}

/// Records an edit as the app does (the journal, synced) and returns its number.
fn disk_record(disk: &mut store::Disk, edit: &claimdesk::model::Edit) -> u64 {
    disk.record(edit).expect("journaled");
    journal::read(&journal::path_for(disk.path()))
        .expect("reads")
        .entries
        .last()
        .map_or(0, |e| e.seq)
}

#[test]
fn two_recovers_in_one_second_keep_both_damaged_files() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    verdict(&ws, "in_progress", "first");
    for damage in ["CORRUPT-ONE", "CORRUPT-TWO"] {
        std::fs::write(&ws, damage).expect("damage");
        let out = recover(&ws);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let mut kept: Vec<String> = kept_aside(dir.path(), "w.json.damaged-")
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .collect();
    kept.sort();
    assert_eq!(kept, ["CORRUPT-ONE", "CORRUPT-TWO"]);
    assert_eq!(notes(&ws), ["first"]);
}

#[test]
fn a_journal_line_given_twice_or_out_of_turn_is_applied_once_in_turn() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    let opened = store::Disk::open(&ws, store::Access::Write, None).expect("opens");
    let mut disk = opened.disk;
    for (seq, title) in [(1, "one"), (2, "two")] {
        let edit = claimdesk::model::Edit::SetTitle {
            claim: A.into(),
            title: title.into(),
        };
        assert_eq!(disk_record(&mut disk, &edit), seq);
    }
    drop(disk);
    // The lines swapped and the first one copied again at the end.
    let jpath = journal::path_for(&ws);
    let text = std::fs::read_to_string(&jpath).expect("journal");
    let lines: Vec<&str> = text.lines().collect();
    let tampered = [lines[0], lines[2], lines[1], lines[1]].join("\n") + "\n";
    std::fs::write(&jpath, tampered).expect("tamper");
    let opened = store::Disk::open(&ws, store::Access::ReadOnly, None).expect("opens");
    assert_eq!(opened.recovered, 2, "{:?}", opened.notes);
    assert_eq!(opened.workspace.claim(A).expect("claim").title, "two");
    assert!(
        opened.notes.iter().any(|n| n.contains("there twice")),
        "{:?}",
        opened.notes
    );
    // The next edit is numbered after the highest, so it is never taken for a copy.
    verdict(&ws, "stalled", "after");
    assert_eq!(notes(&ws), ["after"]);
    let saved = store::load(&ws).expect("loads");
    assert_eq!(saved.claim(A).expect("claim").title, "two");
}

#[test]
fn an_older_version_put_back_is_refused_for_writing_and_recover_rebuilds_every_edit() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    verdict(&ws, "stalled", "A");
    let old = std::fs::read(&ws).expect("read");
    verdict(&ws, "stalled", "B");
    verdict(&ws, "stalled", "C");
    // `git checkout` of the version with A only.
    std::fs::write(&ws, &old).expect("put back");
    let before: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| !p.to_string_lossy().ends_with(".lock"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).expect("read")))
        .collect();
    let out = claimdesk(&[
        "verdict",
        "39ed",
        "failed",
        "--note",
        "D",
        "-w",
        ws.to_str().expect("utf8"),
    ]);
    assert!(!out.status.success(), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("older version") && err.contains("claimdesk recover"),
        "{err}"
    );
    let after: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| !p.to_string_lossy().ends_with(".lock"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).expect("read")))
        .collect();
    assert!(before == after, "no file changed");
    // recover rebuilds A, B and C; the older file is kept aside.
    let out = recover(&ws);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(notes(&ws), ["A", "B", "C"]);
    verdict(&ws, "failed", "D");
    assert_eq!(notes(&ws), ["A", "B", "C", "D"]);
    assert_eq!(kept_aside(dir.path(), "w.json.damaged-").len(), 1);
}
