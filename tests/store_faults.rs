//! The store under faults a user meets: an outside edit during a save, an older version
//! checked out, a journal that cannot be written or whose folder went away, links and
//! hard links, permissions and the umask, foreign journals, leftovers of a kill.

mod common;

use claimdesk::app::{Action, State};
use claimdesk::model::{Edit, Review, Verdict};
use claimdesk::runtime::Session;
use claimdesk::store::{self, Access, Disk, OpenError, SaveError, journal};
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn write_seed(path: &Path) {
    store::save(path, &seed_workspace()).expect("seed written");
}

fn review(note: &str) -> Review {
    Review {
        at: chrono::Utc::now(),
        reviewer: "ana".into(),
        verdict: Verdict::Stalled,
        note: note.into(),
        seen_through: None,
        extra: Default::default(),
    }
}

fn add_review(ws: &claimdesk::model::Workspace, note: &str) -> Edit {
    Edit::AddReview {
        claim: ws.claims[0].id.clone(),
        review: review(note),
    }
}

/// A session on the workspace at `path`, as the app opens it, and its first claim's id.
fn session_on(path: &Path, autosave: bool) -> (Session, String) {
    let opened = Disk::open(path, Access::Write, None).expect("opens");
    let id = opened.workspace.claims[0].id.clone();
    let state = State::new(
        opened.workspace,
        path.to_owned(),
        "2026-02-16".parse().expect("d"),
        (120, 40),
    )
    .with_settings(claimdesk::app::Settings {
        reviewer: "ana".into(),
        autosave,
        read_only: false,
        ..Default::default()
    });
    (Session::new(state, opened.disk), id)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("meta").permissions().mode() & 0o777
}

/// An editor replaces the file after the save was prepared (the app prepares on the input
/// thread and writes on another): the save is refused, the outside version kept.
#[test]
fn an_outside_edit_while_a_save_runs_is_not_overwritten() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    write_seed(&path);
    let mut opened = Disk::open(&path, Access::Write, None).expect("opens");
    let edit = add_review(&opened.workspace, "mine");
    opened.disk.record(&edit).expect("journaled");
    claimdesk::model::edit::apply(&mut opened.workspace, &edit).expect("applies");
    let job = opened.disk.prepare_save().expect("nothing changed yet");
    // The outside change lands between the check and the write.
    let mut theirs = store::load(&path).expect("load");
    theirs.claims[0].title = "Theirs".into();
    let tmp = dir.path().join("editor.tmp");
    store::save(&tmp, &theirs).expect("theirs");
    std::fs::rename(&tmp, &path).expect("editor-style replace");
    let err = job.run(&opened.workspace).expect_err("refused");
    assert!(matches!(err, SaveError::ChangedOnDisk(_)), "{err}");
    assert_eq!(store::load(&path).expect("load").claims[0].title, "Theirs");
    // The verdict is still in the journal.
    let read = journal::read(&journal::path_for(&path)).expect("journal");
    assert_eq!(read.entries.len(), 1);
}

/// An outside edit of the same length whose modification time was put back (`rsync -t`,
/// a restore, `touch -r`): the content tells, and the save does not overwrite it, whether
/// the edit came before the save was prepared or while it ran.
#[test]
fn an_outside_edit_of_the_same_length_with_its_time_put_back_is_not_overwritten() {
    for during in [false, true] {
        let dir = tempdir();
        let path = dir.path().join("w.json");
        write_seed(&path);
        let mut opened = Disk::open(&path, Access::Write, None).expect("opens");
        let edit = add_review(&opened.workspace, "mine");
        opened.disk.record(&edit).expect("journaled");
        claimdesk::model::edit::apply(&mut opened.workspace, &edit).expect("applies");
        let theirs = || {
            let before = std::fs::metadata(&path).expect("meta");
            let text = std::fs::read_to_string(&path).expect("read");
            let title = &opened.workspace.claims[0].title;
            // The same number of bytes: the first letter of the title, changed.
            let changed = text.replacen(title.as_str(), &format!("X{}", &title[1..]), 1);
            assert_eq!(changed.len(), text.len());
            std::fs::write(&path, changed).expect("written in place");
            let times = std::fs::FileTimes::new()
                .set_modified(before.modified().expect("mtime"))
                .set_accessed(before.accessed().expect("atime"));
            std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_times(times))
                .expect("times put back");
            assert_eq!(
                std::fs::metadata(&path).expect("meta").modified().ok(),
                before.modified().ok()
            );
        };
        let result = if during {
            let job = opened.disk.prepare_save().expect("nothing changed yet");
            theirs();
            job.run(&opened.workspace).map(|_| ())
        } else {
            theirs();
            opened.disk.save(&opened.workspace).map(|_| ())
        };
        let err = result.expect_err("refused");
        assert!(
            matches!(err, SaveError::ChangedOnDisk(_)),
            "{during}: {err}"
        );
        let now = store::load(&path).expect("load");
        assert!(now.claims[0].title.starts_with('X'), "theirs is kept");
        assert!(now.claims[0].reviews.is_empty());
        let read = journal::read(&journal::path_for(&path)).expect("journal");
        assert_eq!(read.entries.len(), 1, "mine is still in the journal");
    }
}

/// `git checkout` of an older version, then reload: the verdicts saved earlier in the
/// session are put back, said so, and saved.
#[test]
fn reloading_an_older_version_puts_back_the_verdicts_saved_earlier() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    write_seed(&path);
    let old = std::fs::read(&path).expect("the version before");
    let (mut s, id) = session_on(&path, true);
    for note in ["first", "second"] {
        s.dispatch(Action::RecordVerdict {
            claim: id.clone(),
            verdict: Verdict::Stalled,
            note: note.into(),
        });
        s.save_pending();
    }
    assert_eq!(
        store::load(&path).expect("saved").claims[0].reviews.len(),
        2
    );
    std::fs::write(&path, &old).expect("git checkout of the old version");
    // The next save finds the file changed, and asks; the reviewer reloads.
    s.dispatch(Action::RecordVerdict {
        claim: id.clone(),
        verdict: Verdict::Failed,
        note: "third".into(),
    });
    s.save_pending();
    assert!(
        matches!(s.state.overlay(), Some(claimdesk::app::Overlay::Confirm(_))),
        "{:?}",
        s.state.overlay()
    );
    s.dispatch(Action::Reload);
    s.save_pending();
    let message = s.state.message().unwrap_or_default().to_owned();
    assert!(message.contains("lacked 2 verdicts"), "{message}");
    let saved = store::load(&path).expect("saved");
    let notes: Vec<&str> = saved.claims[0]
        .reviews
        .iter()
        .map(|r| r.note.as_str())
        .collect();
    // In the order they were recorded: the current verdict is still the last one.
    assert_eq!(notes, ["first", "second", "third"]);
    assert_eq!(saved.claims[0].verdict(), Some(Verdict::Failed));
}

/// The journal cannot be written: the edit is not reported as recorded, and the status
/// bar says it is in memory only.
#[test]
fn a_journal_that_cannot_be_written_is_never_reported_as_recorded() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    write_seed(&path);
    let (mut s, id) = session_on(&path, false);
    // A directory where the journal was: neither appended to nor replaced.
    let jpath = journal::path_for(&path);
    std::fs::remove_file(&jpath).expect("rm");
    std::fs::create_dir(&jpath).expect("dir in its place");
    std::fs::write(jpath.join("x"), "keeps the folder from being replaced").expect("w");
    s.dispatch(Action::RecordVerdict {
        claim: id,
        verdict: Verdict::Failed,
        note: "n".into(),
    });
    let message = s.state.message().unwrap_or_default().to_owned();
    assert!(message.contains("NOT RECORDED ON DISK"), "{message}");
    assert_eq!(s.state.save().in_memory_only, 1);
    let screen = claimdesk::ui::render_to_text(&s.state);
    assert!(screen.contains("1 IN MEMORY ONLY"), "{screen}");
}

/// The workspace's folder is deleted and made again: the journal is written anew in full,
/// not appended to the unlinked file.
#[test]
fn a_journal_whose_folder_was_restored_is_written_anew_in_full() {
    let dir = tempdir();
    let folder = dir.path().join("desk");
    std::fs::create_dir(&folder).expect("folder");
    let path = folder.join("w.json");
    write_seed(&path);
    let mut opened = Disk::open(&path, Access::Write, None).expect("opens");
    let first = add_review(&opened.workspace, "one");
    opened.disk.record(&first).expect("journaled");
    std::fs::remove_dir_all(&folder).expect("rm -r");
    std::fs::create_dir(&folder).expect("mkdir again");
    let second = add_review(&opened.workspace, "two");
    opened.disk.record(&second).expect("journaled anew");
    let read = journal::read(&journal::path_for(&path)).expect("journal");
    assert_eq!(
        read.entries
            .iter()
            .map(|e| e.edit.clone())
            .collect::<Vec<_>>(),
        [first, second]
    );
}

/// Side files are never followed through a link: the victim is untouched.
#[test]
fn linked_side_files_are_refused_and_their_targets_untouched() {
    for ext in ["lock", "journal"] {
        let dir = tempdir();
        let path = dir.path().join("w.json");
        write_seed(&path);
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").expect("victim");
        std::os::unix::fs::symlink(&victim, journal::sibling(&path, ext)).expect("link");
        let err = Disk::open(&path, Access::Write, None).expect_err("refused");
        assert!(err.to_string().contains("symbolic link"), "{ext}: {err}");
        assert_eq!(
            std::fs::read_to_string(&victim).expect("r"),
            "precious",
            "{ext}"
        );
    }
}

/// A workspace with another name (a hard link) is refused for writing.
#[test]
fn a_hard_linked_workspace_is_refused_for_writing() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    write_seed(&path);
    std::fs::hard_link(&path, dir.path().join("other.json")).expect("link");
    match Disk::open(&path, Access::Write, None) {
        Err(OpenError::HardLinked { links: 2, .. }) => {}
        other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
    }
    Disk::open(&path, Access::ReadOnly, None).expect("read-only is fine");
}

/// Modes: side files no more open than the workspace, a rewrite keeps the mode, a
/// write-protected file is refused, and the umask is honoured for new files.
#[test]
fn permissions_are_kept_and_never_widened() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    write_seed(&path);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let mut opened = Disk::open(&path, Access::Write, None).expect("opens");
    let edit = add_review(&opened.workspace, "m");
    opened.disk.record(&edit).expect("journaled");
    claimdesk::model::edit::apply(&mut opened.workspace, &edit).expect("applies");
    opened.disk.save(&opened.workspace).expect("saves");
    opened.disk.save(&opened.workspace).expect("saves again");
    for file in [
        path.clone(),
        journal::path_for(&path),
        journal::sibling(&path, "lock"),
        journal::sibling(&path, "bak"),
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    drop(opened);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let err = Disk::open(&path, Access::Write, None).expect_err("refused");
    assert!(err.to_string().contains("write-protected"), "{err}");
    // umask 077: the sample made on a first run, and an export, are the user's alone.
    let home = tempdir();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 077 && \"$0\" list >/dev/null && \"$0\" export --format csv -o \"$1\"")
        .arg(env!("CARGO_BIN_EXE_claimdesk"))
        .arg(home.path().join("out.csv"))
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env_remove("CLAIMDESK_WORKSPACE")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sample = home.path().join("data/claimdesk/workspace.json");
    assert_eq!(mode(&sample), 0o600);
    assert_eq!(mode(&home.path().join("out.csv")), 0o600);
}

/// A journal left beside another workspace is refused, not replayed into it.
#[test]
fn a_foreign_journal_is_refused() {
    let dir = tempdir();
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    write_seed(&a);
    write_seed(&b);
    let mut opened = Disk::open(&a, Access::Write, None).expect("opens a");
    let edit = add_review(&opened.workspace, "for a");
    opened.disk.record(&edit).expect("journaled");
    claimdesk::model::edit::apply(&mut opened.workspace, &edit).expect("applies");
    opened
        .disk
        .save(&opened.workspace)
        .expect("a saved with its id");
    drop(opened);
    // b gets its own id at its first save.
    let mut ob = Disk::open(&b, Access::Write, None).expect("opens b");
    let e = add_review(&ob.workspace, "for b");
    ob.disk.record(&e).expect("journaled");
    claimdesk::model::edit::apply(&mut ob.workspace, &e).expect("applies");
    ob.disk.save(&ob.workspace).expect("b saved");
    drop(ob);
    let before = std::fs::read(&b).expect("b");
    std::fs::copy(journal::path_for(&a), journal::path_for(&b)).expect("a's journal beside b");
    match Disk::open(&b, Access::Write, None) {
        Err(e @ OpenError::ForeignJournal { .. }) => {
            assert!(e.to_string().contains("another workspace"), "{e}")
        }
        other => panic!("expected a refusal, got {:?}", other.map(|o| o.recovered)),
    }
    assert_eq!(std::fs::read(&b).expect("b"), before, "b unchanged");
    // A journal that reached the last entry number says so; nothing panics.
    let mut worn: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&a).expect("a")).expect("json");
    worn["journal_seq"] = u64::MAX.into();
    std::fs::write(&a, worn.to_string()).expect("w");
    std::fs::remove_file(journal::path_for(&a)).expect("rm");
    let err = Disk::open(&a, Access::Write, None).expect_err("refused");
    assert!(err.to_string().contains("used up"), "{err}");
}

/// Temporary files a killed save left are removed on the next open.
#[test]
fn temporary_files_left_by_a_kill_are_removed_on_open() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    write_seed(&path);
    let left = [
        dir.path().join(".w.json.AbC123.claimdesk-tmp"),
        journal::sibling(&path, "bak.tmp"),
    ];
    for f in &left {
        std::fs::write(f, "half").expect("w");
    }
    let other = dir.path().join(".x.json.AbC123.claimdesk-tmp");
    std::fs::write(&other, "another workspace's").expect("w");
    let opened = Disk::open(&path, Access::Write, None).expect("opens");
    assert!(
        opened.notes.iter().any(|n| n.contains("2 temporary files")),
        "{:?}",
        opened.notes
    );
    for f in &left {
        assert!(!f.exists(), "{} removed", f.display());
    }
    assert!(other.exists(), "another workspace's file is left alone");
}

/// The lock file removed by hand under an open session: a second writer could take a new
/// one, so this session writes nothing more, and says so; the second writer's verdict
/// and the first session's earlier one are both kept.
#[test]
fn a_session_whose_lock_file_was_removed_writes_nothing_more() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    write_seed(&path);
    let (mut s, id) = session_on(&path, true);
    s.dispatch(Action::RecordVerdict {
        claim: id.clone(),
        verdict: Verdict::Stalled,
        note: "T1".into(),
    });
    s.save_pending();
    std::fs::remove_file(journal::sibling(&path, "lock")).expect("rm the lock");
    // Another writer gets in and records its own.
    let out = claimdesk(&[
        "verdict",
        &id,
        "failed",
        "--note",
        "CLI1",
        "-w",
        path.to_str().expect("utf8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = std::fs::read(&path).expect("read");
    let journal_before = std::fs::read(journal::path_for(&path)).expect("journal");
    s.dispatch(Action::RecordVerdict {
        claim: id.clone(),
        verdict: Verdict::Complete,
        note: "T2".into(),
    });
    s.save_pending();
    let message = s.state.message().unwrap_or_default().to_owned();
    assert!(message.contains("lock file was removed"), "{message}");
    assert_eq!(s.state.save().in_memory_only, 1);
    assert_eq!(std::fs::read(&path).expect("read"), before, "not written");
    assert_eq!(
        std::fs::read(journal::path_for(&path)).expect("journal"),
        journal_before,
        "nothing appended to the other writer's journal"
    );
    drop(s);
    let notes: Vec<String> = Disk::open(&path, Access::ReadOnly, None)
        .expect("opens")
        .workspace
        .claims[0]
        .reviews
        .iter()
        .map(|r| r.note.clone())
        .collect();
    assert_eq!(notes, ["T1", "CLI1"]);
}

/// The journal cut short in place by another program while the session holds edits in it,
/// then a crash: the next edit writes the journal anew, in full, so nothing it held is
/// lost.
#[test]
fn a_journal_cut_short_in_place_loses_no_edit_the_session_held() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    write_seed(&path);
    let mut opened = Disk::open(&path, Access::Write, None).expect("opens");
    let first = add_review(&opened.workspace, "first");
    opened.disk.record(&first).expect("journaled");
    let journal_path = journal::path_for(&path);
    std::fs::File::options()
        .write(true)
        .open(&journal_path)
        .and_then(|f| f.set_len(0))
        .expect("cut short in place");
    let second = add_review(&opened.workspace, "second");
    opened.disk.record(&second).expect("journaled");
    drop(opened); // killed before any save
    let again = Disk::open(&path, Access::ReadOnly, None).expect("opens");
    let notes: Vec<&str> = again.workspace.claims[0]
        .reviews
        .iter()
        .map(|r| r.note.as_str())
        .collect();
    assert_eq!(notes, ["first", "second"]);
}
