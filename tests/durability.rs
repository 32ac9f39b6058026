//! Never lose a verdict: crash-safe saves under SIGKILL, edits durable the moment they are
//! made, one writer, outside edits never overwritten, damaged files never replaced, failed
//! saves that keep every edit. Child processes are this test binary run again in a mode
//! chosen by an environment variable (the `child_*` tests, ignored when run normally).

mod common;
#[path = "common/generate.rs"]
mod generate;

use claimdesk::app::State;
use claimdesk::app::state::Settings;
use claimdesk::model::{Edit, Review, Verdict, Workspace};
use claimdesk::runtime::Session;
use claimdesk::store::{self, Access, Disk, OpenError};
use common::*;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHILD: &str = "CLAIMDESK_TEST_CHILD";
const CHILD_PATH: &str = "CLAIMDESK_TEST_PATH";

/// Runs one of the `child_*` tests below in a new process.
fn spawn_child(mode: &str, path: &Path) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args([
            mode,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(CHILD, mode)
        .env(CHILD_PATH, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns the child")
}

/// Waits until the child prints `word` on a line of its own.
fn wait_for(child: &mut Child, word: &str) {
    let out = child.stdout.as_mut().expect("piped stdout");
    let mut reader = BufReader::new(out);
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).expect("reads the child");
        assert!(n > 0, "the child ended before saying {word}");
        // libtest may print "test name ... " on the same line first.
        if line.trim_end().ends_with(word) {
            return;
        }
    }
}

fn child_path() -> Option<PathBuf> {
    std::env::var_os(CHILD_PATH).map(PathBuf::from)
}

fn is_child(mode: &str) -> bool {
    std::env::var(CHILD).is_ok_and(|m| m == mode)
}

fn titled(mut ws: Workspace, title: &str) -> Workspace {
    ws.claims[0].title = title.to_owned();
    ws
}

fn review(note: &str) -> Review {
    Review {
        at: "2026-11-21T09:30:00Z".parse().expect("ts"),
        reviewer: "ana".into(),
        verdict: Verdict::Failed,
        note: note.into(),
        seen_through: None,
        extra: Default::default(),
    }
}

// ---- children ----

/// Saves two versions of the workspace in turn, for ever.
#[test]
#[ignore = "run as a child process by atomic_saves_survive_sigkill"]
fn child_save_loop() {
    if !is_child("child_save_loop") {
        return;
    }
    let path = child_path().expect("path");
    let mut opened = Disk::open(&path, Access::Write, None).expect("opens");
    let base = opened.workspace.clone();
    println!("READY");
    for i in 0u64.. {
        let ws = titled(
            base.clone(),
            if i % 2 == 0 { "version B" } else { "version A" },
        );
        opened.disk.save(&ws).expect("saves");
    }
}

/// Records a verdict in the journal, says so, then folds it into a (large) file.
#[test]
#[ignore = "run as a child process by a_recorded_verdict_survives_sigkill"]
fn child_record_then_save() {
    if !is_child("child_record_then_save") {
        return;
    }
    let path = child_path().expect("path");
    let mut opened = Disk::open(&path, Access::Write, None).expect("opens");
    let id = opened.workspace.claims[0].id.clone();
    let edit = Edit::AddReview {
        claim: id,
        review: review("kept through a crash"),
    };
    claimdesk::model::edit::apply(&mut opened.workspace, &edit).expect("applies");
    let started = Instant::now();
    opened.disk.record(&edit).expect("journals");
    println!("DURABLE_US {}", started.elapsed().as_micros());
    println!("RECORDED");
    opened.disk.save(&opened.workspace).expect("saves");
    println!("SAVED");
    std::thread::sleep(Duration::from_secs(60));
}

/// Holds the workspace, for ever.
#[test]
#[ignore = "run as a child process by one_writer_and_a_killed_holder_frees_the_lock"]
fn child_hold_lock() {
    if !is_child("child_hold_lock") {
        return;
    }
    let path = child_path().expect("path");
    let _opened = Disk::open(&path, Access::Write, None).expect("opens");
    println!("LOCKED");
    std::thread::sleep(Duration::from_secs(60));
}

// ---- guarantees ----

#[test]
fn atomic_saves_survive_sigkill() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    let a = titled(seed_workspace(), "version A");
    let b = titled(seed_workspace(), "version B");
    store::save(&path, &a).expect("first version");
    let mut rng = generate::Rng::new(7);
    let mut saw = [0usize; 2];
    for round in 0..200 {
        let mut child = spawn_child("child_save_loop", &path);
        wait_for(&mut child, "READY");
        // A save of this file takes a few milliseconds (most of it in fsync): kill at
        // random moments across many of them.
        std::thread::sleep(Duration::from_micros(rng.below(150_000)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let now = store::load(&path)
            .unwrap_or_else(|e| panic!("round {round}: the workspace does not load: {e}"));
        let which = if now.claims == a.claims {
            0
        } else if now.claims == b.claims {
            1
        } else {
            panic!("round {round}: the workspace is neither version");
        };
        saw[which] += 1;
        let bak = store::journal::sibling(&path, "bak");
        if bak.exists() {
            let kept = store::load(&bak)
                .unwrap_or_else(|e| panic!("round {round}: .bak does not load: {e}"));
            assert!(
                kept.claims == a.claims || kept.claims == b.claims,
                "round {round}: .bak is neither version"
            );
        }
    }
    eprintln!(
        "200 kills: {} ended on version A, {} on version B",
        saw[0], saw[1]
    );
    assert!(
        saw[1] > 0,
        "the children never got to save; the test proved nothing"
    );
}

#[test]
fn a_recorded_verdict_survives_sigkill() {
    let dir = tempdir();
    let path = dir.path().join("big.json");
    let pool = generate::seed_updates(&fixture("tests/fixtures"));
    // ~13 MB: a save takes long enough for the kill to land in the middle of it.
    let ws = generate::generate(&pool, 20, 350, 3);
    let mut timings = Vec::new();
    for round in 0..12 {
        store::save(&path, &ws).expect("writes the workspace");
        let _ = std::fs::remove_file(store::journal::path_for(&path));
        let mut child = spawn_child("child_record_then_save", &path);
        let out = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(out).lines();
        let mut durable = None;
        for line in lines.by_ref() {
            let line = line.expect("line");
            if let Some((_, us)) = line.split_once("DURABLE_US ") {
                durable = us.trim().parse::<u64>().ok();
            }
            if line.trim_end().ends_with("RECORDED") {
                break;
            }
        }
        // Kill at once, or a little later (during the fold into the file).
        std::thread::sleep(Duration::from_millis(round * 15));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        timings.extend(durable);
        let opened = Disk::open(&path, Access::Write, None).expect("reopens");
        let reviews = &opened.workspace.claims[0].reviews;
        let ours: Vec<_> = reviews
            .iter()
            .filter(|r| r.note == "kept through a crash")
            .collect();
        assert_eq!(
            ours.len(),
            1,
            "round {round}: the verdict is there exactly once"
        );
    }
    timings.sort_unstable();
    eprintln!(
        "verdict durable (journal append + fsync) in {} µs median over {} runs",
        timings[timings.len() / 2],
        timings.len()
    );
}

#[test]
fn one_writer_and_a_killed_holder_frees_the_lock() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    store::save(&path, &seed_workspace()).expect("writes");
    let mut child = spawn_child("child_hold_lock", &path);
    wait_for(&mut child, "LOCKED");
    match Disk::open(&path, Access::Write, None) {
        Err(e @ OpenError::Locked { .. }) => {
            let text = e.to_string();
            assert!(text.contains(&format!("(pid {})", child.id())), "{text}");
            assert!(text.contains("--read-only"), "{text}");
        }
        other => panic!("expected the lock to be held, got {other:?}"),
    }
    // Read-only needs no lock.
    assert!(Disk::open(&path, Access::ReadOnly, None).is_ok());
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    assert!(
        Disk::open(&path, Access::Write, None).is_ok(),
        "a killed holder leaves nothing stuck"
    );
}

fn settings() -> Settings {
    Settings {
        reviewer: "ana".into(),
        autosave: true,
        read_only: false,
        ..Settings::default()
    }
}

fn session_on(path: &Path) -> Session {
    let opened = Disk::open(path, Access::Write, None).expect("opens");
    let state = State::new(
        opened.workspace,
        path.to_owned(),
        "2026-02-16".parse().expect("date"),
        (120, 40),
    )
    .with_settings(settings());
    Session::new(state, opened.disk)
}

#[test]
fn outside_edits_are_never_overwritten() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    store::save(&path, &seed_workspace()).expect("writes");
    let mut s = session_on(&path);

    // A touch changes the time, not the content: no alarm.
    let bytes = std::fs::read(&path).expect("read");
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&path, &bytes).expect("rewrite the same bytes");
    keys(&mut s, "T 'one Enter");
    assert_eq!(
        s.state.save().unsaved,
        0,
        "saved: the content had not changed"
    );

    // Someone else edits the title.
    let mut theirs = store::load(&path).expect("load");
    theirs.claims[1].title = "Edited in a text editor".into();
    store::write_atomic(&path, &store::to_bytes(&theirs).expect("encodes")).expect("outside write");
    let outside = std::fs::read(&path).expect("read");
    keys(&mut s, "v 5 'mine C-s");
    assert!(
        matches!(s.state.overlay(), Some(claimdesk::app::Overlay::Confirm(_))),
        "asks what to do"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        outside,
        "their file is untouched"
    );
    assert_eq!(s.state.save().unsaved, 1);
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(screen.contains("changed by someone else"), "{screen}");

    // Reload: their change and our verdict, both.
    keys(&mut s, "r");
    assert_eq!(
        s.state.workspace().claims[1].title,
        "Edited in a text editor"
    );
    assert_eq!(
        s.state.workspace().claims[0].verdict(),
        Some(Verdict::Failed)
    );
    keys(&mut s, "C-s");
    let saved = store::load(&path).expect("load");
    assert_eq!(saved.claims[1].title, "Edited in a text editor");
    assert_eq!(saved.claims[0].reviews[0].note, "mine");
    assert_eq!(saved.claims[0].tags, ["one"]);
}

#[test]
fn save_as_keeps_both_versions() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    store::save(&path, &seed_workspace()).expect("writes");
    let mut s = session_on(&path);
    let mut theirs = store::load(&path).expect("load");
    theirs.claims[0].title = "Theirs".into();
    store::write_atomic(&path, &store::to_bytes(&theirs).expect("encodes")).expect("outside write");
    keys(&mut s, "e C-a C-k 'Mine Enter");
    keys(&mut s, "w C-a C-k");
    let other = dir.path().join("mine.json");
    keys(&mut s, &format!("'{} Enter", other.display()));
    assert_eq!(
        store::load(&path).expect("theirs").claims[0].title,
        "Theirs"
    );
    assert_eq!(store::load(&other).expect("mine").claims[0].title, "Mine");
    assert_eq!(s.state.path(), other);
    keys(&mut s, "T 'later Enter");
    assert_eq!(
        store::load(&other).expect("mine").claims[0].tags,
        ["later"],
        "the session goes on there"
    );
}

#[test]
fn damaged_workspaces_are_reported_and_never_replaced() {
    let dir = tempdir();
    let cases: [(&str, &[u8], &str); 5] = [
        ("empty.json", b"", "the file is empty"),
        ("truncated.json", b"{\"format\": \"claimdesk-workspace\", \"version\": 1, \"claims\": [{\"id\": \"a\", \"ti", ":1:"),
        ("garbage.json", b"\x00\x01binary\xff\xfe", ":1:9: not valid UTF-8 (byte 8)"),
        ("html.json", b"<html><body>502 Bad Gateway</body></html>\n", ":1:1: not valid JSON"),
        ("nested.json", &[b'['; 5000], "not valid JSON"),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        for args in [
            vec!["snapshot", "-w"],
            vec!["import", "tests/fixtures/000_39edfb4563007f91.txt", "-w"],
        ] {
            let mut full: Vec<&str> = args.clone();
            let p = path.to_str().expect("utf8");
            full.push(p);
            let out = command_in(dir.path())
                .args(&full)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .output()
                .expect("runs");
            assert!(!out.status.success(), "{name}: {args:?} must fail");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains(name) && err.contains(expected),
                "{name}: {err}"
            );
            assert_eq!(
                std::fs::read(&path).expect("read"),
                bytes,
                "{name}: the file is unchanged"
            );
        }
    }
}

#[test]
fn recover_rebuilds_from_the_backup_and_the_journal() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    store::save(&path, &seed_workspace()).expect("writes");
    {
        let mut s = session_on(&path);
        keys(&mut s, "v 3 'saved C-s");
        keys(&mut s, "T 'second Enter");
    }
    // One more verdict only in the journal, then the file is damaged.
    {
        let mut opened = Disk::open(&path, Access::Write, None).expect("opens");
        let id = opened.workspace.claims[0].id.clone();
        opened
            .disk
            .record(&Edit::AddReview {
                claim: id,
                review: review("journal only"),
            })
            .expect("journals");
    }
    let mut bytes = std::fs::read(&path).expect("read");
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&path, &bytes).expect("damage");

    let out = claimdesk(&["snapshot", "-w", path.to_str().expect("utf8")]);
    let err = stderr(&out);
    assert!(
        err.contains("claimdesk recover -w"),
        "the error points the way back: {err}"
    );

    let out = claimdesk(&["recover", "-w", path.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ws = store::load(&path).expect("recovered file loads");
    let notes: Vec<&str> = ws.claims[0]
        .reviews
        .iter()
        .map(|r| r.note.as_str())
        .collect();
    // The .bak holds the state before the last save (the verdict); the journal adds the rest.
    assert!(
        notes.contains(&"saved") && notes.contains(&"journal only"),
        "{notes:?}"
    );
    let damaged: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(damaged.len(), 1, "the damaged file is kept");
    assert_eq!(std::fs::read(damaged[0].path()).expect("read"), bytes);
}

/// A bind mount made by the test, undone when dropped.
struct Unmount(PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_or_read_only_disk_keeps_every_edit() {
    let dir = tempdir();
    let mnt = dir.path().join("small");
    // (Where it cannot mount, the folder-gone case is in tests/triage.rs.)
    let Some(_mount) = tmpfs(&mnt, "3m") else {
        return;
    };
    let path = mnt.join("w.json");
    store::save(&path, &seed_workspace()).expect("fits once");
    let mut s = session_on(&path);
    // Fill the disk, leaving room for the journal but not for a second copy of the file.
    let filler = mnt.join("filler");
    let free = 3 * 1024 * 1024 - std::fs::metadata(&path).expect("meta").len() as usize;
    let _ = std::fs::write(&filler, vec![0u8; free.saturating_sub(64 * 1024)]);
    keys(&mut s, "v 4 'disk Space 'full C-s");
    let msg = s.state.message().unwrap_or_default();
    assert!(msg.starts_with("Save failed:"), "{msg}");
    assert_eq!(s.state.save().unsaved, 1);
    assert!(
        store::load(&path).expect("old file intact").claims[0]
            .reviews
            .is_empty()
    );
    let journal = store::journal::read(&store::journal::path_for(&path)).expect("journal");
    assert_eq!(journal.entries.len(), 1, "the verdict is in the journal");
    std::fs::remove_file(&filler).expect("free space");
    keys(&mut s, "C-s");
    assert_eq!(s.state.save().unsaved, 0);
    assert_eq!(
        store::load(&path).expect("saved").claims[0].reviews[0].note,
        "disk full"
    );

    drop(s);

    // A read-only folder (a read-only view of the same files): opening for writing is
    // refused with a way forward, and nothing is touched.
    let view = dir.path().join("view");
    std::fs::create_dir(&view).expect("mkdir");
    let bound = Command::new("mount")
        .arg("--bind")
        .arg(&mnt)
        .arg(&view)
        .status();
    assert!(bound.is_ok_and(|s| s.success()), "bind mount");
    let _view = Unmount(view.clone());
    let ro = Command::new("mount")
        .args(["-o", "remount,bind,ro"])
        .arg(&view)
        .status();
    assert!(ro.is_ok_and(|s| s.success()), "read-only view");
    let before = std::fs::read(&path).expect("read");
    let err = Disk::open(&view.join("w.json"), Access::Write, None).expect_err("refused");
    let text = err.to_string();
    assert!(
        text.contains("w.json.lock") && text.contains("Read-only file system"),
        "{text}"
    );
    assert!(
        Disk::open(&view.join("w.json"), Access::ReadOnly, None).is_ok(),
        "--read-only works"
    );
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[test]
fn read_only_sessions_change_nothing() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    store::save(&path, &seed_workspace()).expect("writes");
    let before = std::fs::read(&path).expect("read");
    let opened = Disk::open(&path, Access::ReadOnly, None).expect("opens");
    let st = State::new(
        opened.workspace,
        path.clone(),
        "2026-02-16".parse().expect("d"),
        (120, 40),
    )
    .with_settings(Settings {
        read_only: true,
        ..settings()
    });
    let mut s = Session::new(st, opened.disk);
    keys(&mut s, "v 1 C-s");
    assert!(s.state.workspace().claims[0].reviews.is_empty());
    assert!(s.state.message().is_some_and(|m| m.contains("read-only")));
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(!store::journal::path_for(&path).exists());
}

fn wait_idle(s: &mut Session) {
    let started = Instant::now();
    while s.busy() {
        s.poll_background();
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "background work finishes"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn background_saves_never_lose_an_edit_made_while_they_run() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    store::save(&path, &seed_workspace()).expect("writes");
    let mut s = session_on(&path).with_background_work();
    // Three edits in quick succession: the first save runs while the others are made.
    keys(&mut s, "v 3 'one C-s T 'a Enter e C-a C-k 'Retitled Enter");
    wait_idle(&mut s);
    assert_eq!(s.state.save().unsaved, 0);
    let saved = store::load(&path).expect("loads");
    assert_eq!(saved.claims[0].reviews[0].note, "one");
    assert_eq!(saved.claims[0].tags, ["a"]);
    assert_eq!(saved.claims[0].title, "Retitled");
    let journal = store::journal::read(&store::journal::path_for(&path)).expect("journal");
    assert_eq!(saved.journal_seq, 3);
    assert!(
        journal.entries.iter().all(|e| e.seq <= saved.journal_seq),
        "everything folded; what is left is what .bak lacks"
    );
}

#[test]
fn a_burst_of_verdicts_rewrites_the_file_once_after_it() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    store::save(&path, &seed_workspace()).expect("writes");
    let mut s = session_on(&path).with_background_work();
    let started = Instant::now();
    for n in 0..10 {
        keys(&mut s, &format!("v {} 'burst{n} C-s", 1 + n % 3));
        s.poll_background();
    }
    let typed = started.elapsed();
    // Each edit is in the journal at once; the file waits for the pause.
    let journal = store::journal::read(&store::journal::path_for(&path)).expect("journal");
    assert_eq!(journal.entries.len(), 10);
    assert_eq!(s.saves_started(), 0, "no rewrite while the burst goes on");
    assert!(
        typed < claimdesk::runtime::FOLD_PAUSE,
        "the burst took {typed:?}"
    );
    wait_idle(&mut s);
    assert_eq!(s.saves_started(), 1, "one rewrite once editing paused");
    let saved = store::load(&path).expect("loads");
    assert_eq!(saved.claims[0].reviews.len(), 10);
    assert_eq!(saved.journal_seq, 10);
}

fn describe(_: &store::Opened, _: &Path) -> Option<String> {
    Some("opened".into())
}

fn explain(e: OpenError, _: &Path) -> String {
    e.to_string()
}

#[test]
fn the_app_loads_behind_a_progress_screen() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    store::save(&path, &seed_workspace()).expect("writes");
    let state = State::new(
        Workspace::default(),
        path.clone(),
        "2026-02-16".parse().expect("d"),
        (120, 40),
    );
    let mut s = Session::loading(state, Access::Write, None, describe, explain);
    let first = claimdesk::ui::render_to_text(&s.state);
    assert!(first.contains("Loading w.json…"), "{first}");
    keys(&mut s, "j v");
    wait_idle(&mut s);
    assert!(s.state.loading().is_none());
    assert_eq!(s.state.workspace().claims.len(), 2);
    assert_eq!(s.state.message(), Some("opened"));
    assert!(claimdesk::ui::render_to_text(&s.state).contains("Officials discussed"));

    let missing = dir.path().join("missing.json");
    let state = State::new(
        Workspace::default(),
        missing,
        "2026-02-16".parse().expect("d"),
        (120, 40),
    );
    let mut s = Session::loading(state, Access::Write, None, describe, explain);
    let started = Instant::now();
    while s.load_error.is_none() {
        s.poll_background();
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        s.load_error
            .as_deref()
            .is_some_and(|e| e.contains("missing.json"))
    );
}
