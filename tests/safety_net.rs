//! The safety net under conditions that come from outside the process, each on the path
//! a user takes (the command line): a copy synced over the file, a `.bak` another user
//! owns, side files that are not plain files (a FIFO, a device, a hard link, a link to
//! another workspace's), a `.bak` of another workspace, and a rebuild after an import.

mod common;

use claimdesk::store::{self, journal};
use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const A: &str = "39edfb4563007f91";

fn workspace(dir: &Path) -> PathBuf {
    let ws = dir.join("w.json");
    store::save(&ws, &seed_workspace()).expect("writes");
    ws
}

fn run(ws: &Path, args: &[&str]) -> std::process::Output {
    let mut all = args.to_vec();
    all.extend(["-w", ws.to_str().expect("utf8")]);
    claimdesk(&all)
}

fn verdict(ws: &Path, verdict: &str, note: &str) -> std::process::Output {
    run(ws, &["verdict", "39ed", verdict, "--note", note])
}

fn notes(ws: &Path) -> Vec<String> {
    let loaded = store::load(ws).expect("loads");
    loaded
        .claim(A)
        .expect("claim")
        .reviews
        .iter()
        .map(|r| r.note.clone())
        .collect()
}

/// A verdict journaled (the app killed before it saved), then another copy of the same
/// workspace, further along, synced over the file: the next open applies the verdict
/// again and says so; the next save keeps it. Nothing is skipped without a word.
#[test]
fn a_copy_synced_over_the_file_does_not_drop_a_journaled_verdict() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    // Two saves, so the journal knows the file it continues from.
    assert!(verdict(&ws, "in_progress", "saved one").status.success());
    assert!(verdict(&ws, "in_progress", "saved two").status.success());
    // The other machine's copy: the same workspace, further along (more edits folded).
    let mut theirs = store::load(&ws).expect("loads");
    theirs.journal_seq += 50;
    theirs.claims[1].title = "Their title".into();
    // Ours: a verdict made durable in the journal, then the app killed before it saved.
    let mut opened = store::Disk::open(&ws, store::Access::Write, None).expect("opens");
    let review = claimdesk::model::Review {
        at: chrono::Utc::now(),
        reviewer: "ana".into(),
        verdict: claimdesk::model::Verdict::Failed,
        note: "journaled only".into(),
        seen_through: None,
        extra: Default::default(),
    };
    let edit = claimdesk::model::Edit::AddReview {
        claim: A.into(),
        review,
    };
    opened.disk.record(&edit).expect("journaled");
    drop(opened);
    // The sync tool writes their copy over ours.
    let tmp = dir.path().join(".sync-tmp");
    store::save(&tmp, &theirs).expect("their copy");
    std::fs::rename(&tmp, &ws).expect("synced over");
    let out = run(&ws, &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("the verdict failed on claim 39edfb by ana was not in this file")
            && err.contains("recorded again"),
        "{err}"
    );
    // A command that writes keeps it for good, on top of their copy.
    assert!(verdict(&ws, "failed", "after").status.success());
    let now = notes(&ws);
    assert!(now.contains(&"journaled only".to_owned()), "{now:?}");
    assert_eq!(
        store::load(&ws).expect("loads").claims[1].title,
        "Their title",
        "their change stays"
    );
    assert!(
        std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .any(|e| e
                .file_name()
                .to_string_lossy()
                .starts_with("w.json.journal.damaged-")),
        "the journal as it was is kept aside"
    );
}

/// A FIFO or a device where a side file goes: every command refuses at once, naming it,
/// and leaves it as it is; nothing waits, nothing is read without end.
#[test]
fn side_files_that_are_not_plain_files_are_refused_at_once() {
    if !have("mkfifo") {
        return;
    }
    let root = unsafe_is_root();
    for (side, kind) in [
        ("journal", "fifo"),
        ("journal", "zero"),
        ("lock", "fifo"),
        ("bak", "fifo"),
    ] {
        if kind == "zero" && !root {
            continue; // mknod needs root (CI runs as root).
        }
        let dir = tempdir();
        let ws = workspace(dir.path());
        assert!(verdict(&ws, "stalled", "first").status.success());
        let path = journal::sibling(&ws, side);
        let _ = std::fs::remove_file(&path);
        let made = match kind {
            "fifo" => std::process::Command::new("mkfifo").arg(&path).status(),
            _ => std::process::Command::new("mknod")
                .arg(&path)
                .args(["c", "1", "5"])
                .status(),
        }
        .expect("made");
        assert!(made.success());
        let commands: Vec<Vec<&str>> = match side {
            "bak" => {
                // recover is the one that reads .bak: make the workspace need it.
                std::fs::write(&ws, b"{ not json").expect("damaged");
                vec![vec!["recover"]]
            }
            // Only a writer takes the lock.
            "lock" => vec![vec!["verdict", "39ed", "failed", "--note", "x"]],
            _ => vec![
                vec!["list"],
                vec!["show", "39ed"],
                vec!["verdict", "39ed", "failed", "--note", "x"],
            ],
        };
        for args in commands {
            let start = Instant::now();
            let out = run(&ws, &args);
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{side} {kind}: {args:?} took {:?}",
                start.elapsed()
            );
            let err = stderr(&out);
            // Reading commands do without a journal they cannot read only by refusing:
            // the edits in it would be missing from what they show.
            assert!(!out.status.success(), "{side} {kind} {args:?}: {err}");
            assert!(
                err.contains(&format!("w.json.{side}")) && err.contains("not a regular file"),
                "{side} {kind} {args:?}: {err}"
            );
        }
        let meta = std::fs::symlink_metadata(&path).expect("still there");
        assert!(!meta.is_file(), "{side} {kind}: left as it was");
    }
}

/// A `.lock` that is a hard link to another workspace: a verdict refuses, and the other
/// file is untouched; so is recover.
#[test]
fn a_hard_linked_lock_never_truncates_the_file_it_is_linked_to() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    assert!(verdict(&ws, "stalled", "first").status.success());
    let other = dir.path().join("other.json");
    store::save(&other, &seed_workspace()).expect("other");
    let before = std::fs::read(&other).expect("read");
    let lock = journal::sibling(&ws, "lock");
    let _ = std::fs::remove_file(&lock);
    std::fs::hard_link(&other, &lock).expect("linked");
    let out = verdict(&ws, "failed", "second");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("w.json.lock") && err.contains("2 names"),
        "{err}"
    );
    assert_eq!(std::fs::read(&other).expect("read"), before, "untouched");
    std::fs::write(&ws, b"{ damaged").expect("damaged");
    let out = run(&ws, &["recover"]);
    assert!(!out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&other).expect("read"),
        before,
        "untouched by recover"
    );
}

/// recover refuses another workspace's `.bak` (swapped in, or a link to it), and one of
/// this workspace that is not the version it kept, writing nothing and exiting non-zero.
#[test]
fn recover_refuses_a_backup_that_is_not_this_workspace_s() {
    for how in ["swapped", "symlink", "older"] {
        let dir = tempdir();
        let ws = workspace(dir.path());
        assert!(verdict(&ws, "in_progress", "one").status.success());
        assert!(verdict(&ws, "stalled", "two").status.success());
        let bak = journal::sibling(&ws, "bak");
        let other_dir = dir.path().join("other");
        std::fs::create_dir(&other_dir).expect("dir");
        let other = workspace(&other_dir);
        assert!(verdict(&other, "failed", "theirs").status.success());
        assert!(verdict(&other, "failed", "theirs again").status.success());
        let other_bak = journal::sibling(&other, "bak");
        match how {
            "swapped" => {
                std::fs::copy(&other_bak, &bak).expect("swapped in");
            }
            "symlink" => {
                std::fs::remove_file(&bak).expect("rm");
                std::os::unix::fs::symlink(&other_bak, &bak).expect("linked");
            }
            _ => {
                // The same workspace, an older version than the one kept.
                let mut old = store::load(&bak).expect("loads");
                old.claims[0].reviews.clear();
                std::fs::remove_file(&bak).expect("rm");
                store::save(&bak, &old).expect("older");
            }
        }
        std::fs::write(&ws, b"{ damaged").expect("damaged");
        let out = run(&ws, &["recover"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{how}: {err}");
        assert!(
            err.contains("nothing was written") || err.contains("symbolic link"),
            "{how}: {err}"
        );
        assert_eq!(
            std::fs::read(&ws).expect("read"),
            b"{ damaged",
            "{how}: left as it was"
        );
    }
}

/// Right after an import, `.bak` is the version before it: a rebuild from it cannot hold
/// the import, and names it (the journal notes every import) instead of saying nothing;
/// the verdict before it is back, and the run is no success.
#[test]
fn recover_right_after_an_import_names_the_import() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    assert!(verdict(&ws, "in_progress", "before").status.success());
    // A claim page the workspace does not have yet (the id is in its name).
    let page = dir.path().join("002_0123456789abcdef.txt");
    std::fs::copy(fixture(SEED_001), &page).expect("page");
    let out = run(&ws, &["import", page.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = journal::read(&journal::path_for(&ws)).expect("journal");
    assert!(
        read.entries
            .iter()
            .any(|e| matches!(e.edit, claimdesk::model::Edit::Import { .. })),
        "the journal notes the import"
    );
    std::fs::write(&ws, b"{ damaged").expect("damaged");
    let out = run(&ws, &["recover"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("NOT RESTORED (1 edit)")
            && err.contains("import of")
            && err.contains("002_0123456789abcdef.txt"),
        "{err}"
    );
    assert_eq!(notes(&ws), ["before"], "rebuilt, the verdict back");
}

fn have(tool: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn unsafe_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A shared folder (sticky, as /tmp is) where another user's `.bak` sits: a save by this
/// user cannot replace it, says so, and the journal drops nothing; `recover` will not
/// rebuild from the other user's stale `.bak`, says why, writes nothing and exits
/// non-zero. Run as a real second user (`nobody`, through setpriv), so only as root.
#[test]
fn another_user_s_backup_in_a_shared_folder_is_neither_trusted_nor_trimmed_against() {
    use std::os::unix::fs::{PermissionsExt, chown};
    if !unsafe_is_root() || !have("setpriv") {
        eprintln!("skipped: needs root and setpriv to act as a second user");
        return;
    }
    let dir = tempdir();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).expect("dir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("mode");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).expect("sticky");
    let ws = shared.join("w.json");
    store::save(&ws, &seed_workspace()).expect("writes");
    let nobody = 65534;
    chown(&ws, Some(nobody), Some(nobody)).expect("chown");
    // Their .bak: an older version, another user's (daemon's).
    let bak = journal::sibling(&ws, "bak");
    store::save(&bak, &seed_workspace()).expect("theirs");
    chown(&bak, Some(1), Some(1)).expect("chown");
    let as_nobody = |args: &[&str]| {
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_claimdesk"))
            .args(args)
            .args(["-w", ws.to_str().expect("utf8")])
            .env_clear()
            .env("HOME", &shared)
            .env("PATH", "/usr/bin:/bin")
            .env("CLAIMDESK_REVIEWER", "nobody");
        cmd.output().expect("runs")
    };
    for note in ["one", "two", "three"] {
        let out = as_nobody(&["verdict", "39ed", "stalled", "--note", note]);
        assert!(out.status.success(), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("could not be kept as .bak")
                && err.contains("the journal keeps every edit"),
            "{err}"
        );
    }
    let read = journal::read(&journal::path_for(&ws)).expect("journal");
    assert_eq!(
        read.entries.len(),
        3,
        "nothing dropped: .bak covers none of it"
    );
    std::fs::write(&ws, b"{ damaged").expect("damaged");
    let out = as_nobody(&["recover"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("w.json.bak") && err.contains("belongs to another user"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&ws).expect("read"),
        b"{ damaged",
        "nothing written"
    );
}

/// An id that prints as another (a bidi override, a zero-width space in it) is refused
/// at load, naming the claim, and by import (`--id`), so that every id a person reads
/// names exactly one claim.
#[test]
fn ids_that_print_as_another_are_refused() {
    let dir = tempdir();
    for odd in [
        "a\u{202e}bc",
        "ab\u{200b}c",
        "\u{feff}abc",
        "ab\u{fff9}c",
        "ab\u{13430}c",
    ] {
        let ws = dir.path().join("odd.json");
        let mut w = seed_workspace();
        w.claims[1].id = "PLACEHOLDER".to_owned();
        w.claims[0].id = "abc".to_owned();
        let text = String::from_utf8(store::to_bytes(&w).expect("encodes")).expect("utf8");
        let id = serde_json::to_string(odd).expect("json");
        let text = text.replace("\"PLACEHOLDER\"", &id);
        std::fs::write(&ws, text).expect("write");
        let out = run(&ws, &["list"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{odd:?} loaded");
        assert!(
            err.contains("claims[1].id") && err.contains("would print as another id"),
            "{odd:?}: {err}"
        );
        let sub = dir.path().join(format!("t{}", odd.len()));
        std::fs::create_dir_all(&sub).expect("dir");
        let target = workspace(&sub);
        let out = run(
            &target,
            &[
                "import",
                "--id",
                odd,
                fixture(SEED_001).to_str().expect("utf8"),
            ],
        );
        assert!(!out.status.success(), "{odd:?} imported");
        assert!(
            stderr(&out).contains("would print as another id"),
            "{}",
            stderr(&out)
        );
    }
}

/// A workspace claimdesk never saved (no id yet), a verdict journaled and the app killed
/// before its first save, then the file edited outside: the journal is still its own,
/// and the verdict goes on top of the edited file, said so; nothing is refused or lost.
#[test]
fn a_journal_of_a_file_never_saved_survives_an_outside_edit() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    std::fs::write(&ws, store::SAMPLE).expect("the sample, never saved by claimdesk");
    let mut opened = store::Disk::open(&ws, store::Access::Write, None).expect("opens");
    let edit = claimdesk::model::Edit::AddReview {
        claim: A.into(),
        review: claimdesk::model::Review {
            at: chrono::Utc::now(),
            reviewer: "ana".into(),
            verdict: claimdesk::model::Verdict::Failed,
            note: "journaled before the first save".into(),
            seen_through: None,
            extra: Default::default(),
        },
    };
    opened.disk.record(&edit).expect("journaled");
    drop(opened);
    let text = std::fs::read_to_string(&ws).expect("read");
    std::fs::write(
        &ws,
        text.replacen("\"title\": \"", "\"title\": \"(edited) ", 1),
    )
    .expect("edited");
    let out = run(&ws, &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("changed since its journal was started"),
        "{}",
        stderr(&out)
    );
    assert!(verdict(&ws, "stalled", "after").status.success());
    assert_eq!(notes(&ws), ["journaled before the first save", "after"]);
    assert!(
        store::load(&ws).expect("loads").claims[0]
            .title
            .starts_with("(edited) "),
        "the outside edit stays"
    );
}

/// `recover` never rebuilds without an edit the journal should hold and does not: one
/// taken out of the middle, the last save's cut off, every entry gone (the header left),
/// the journal gone (the damaged file's head still says how far it went). Each is
/// refused, naming the missing numbers; nothing is written. (An entry after the last
/// save, cut off the journal's end, leaves no trace anywhere: that one cannot be told.)
#[test]
fn recover_refuses_when_journal_entries_are_missing() {
    for case in ["middle", "the last save's", "header only", "no journal"] {
        let dir = tempdir();
        let ws = workspace(dir.path());
        for n in 1..=4 {
            assert!(verdict(&ws, "stalled", &format!("v{n}")).status.success());
        }
        // `.bak` holds #3, the file #4; then #5 and #6 journaled and not saved.
        for n in 5..=6 {
            let mut opened = store::Disk::open(&ws, store::Access::Write, None).expect("opens");
            let edit = claimdesk::model::Edit::AddReview {
                claim: A.into(),
                review: claimdesk::model::Review {
                    at: chrono::Utc::now(),
                    reviewer: "ana".into(),
                    verdict: claimdesk::model::Verdict::Failed,
                    note: format!("v{n}"),
                    seen_through: None,
                    extra: Default::default(),
                },
            };
            opened.disk.record(&edit).expect("journaled");
        }
        let jpath = journal::path_for(&ws);
        let text = std::fs::read_to_string(&jpath).expect("journal");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "the header, #4, #5, #6:\n{text}");
        let kept: Vec<&str> = match case {
            "middle" => vec![lines[0], lines[1], lines[3]],
            "the last save's" => vec![lines[0], lines[2], lines[3]],
            "header only" => vec![lines[0]],
            _ => vec![],
        };
        if case == "no journal" {
            std::fs::remove_file(&jpath).expect("rm");
        } else {
            std::fs::write(&jpath, kept.join("\n") + "\n").expect("cut");
        }
        let bytes = std::fs::read(&ws).expect("read");
        std::fs::write(&ws, &bytes[..bytes.len() / 2]).expect("damaged");
        let damaged = std::fs::read(&ws).expect("read");
        let out = run(&ws, &["recover"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{case}: {err}");
        let missing = match case {
            "middle" => "the journal lacks #5:",
            _ => "the journal lacks #4",
        };
        assert!(
            err.contains("nothing was written") && err.contains(missing),
            "{case}: {err}"
        );
        assert_eq!(
            std::fs::read(&ws).expect("read"),
            damaged,
            "{case}: left as it was"
        );
    }
}

/// What is at `.bak` when a save would replace it, and is not a plain file of this
/// user's (a FIFO, a device, a link), is left as it is and said; the journal then drops
/// nothing.
#[test]
fn a_backup_that_is_not_a_plain_file_is_left_and_said() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    assert!(verdict(&ws, "stalled", "one").status.success());
    let bak = journal::sibling(&ws, "bak");
    std::fs::remove_file(&bak).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", &bak).expect("link");
    for note in ["two", "three"] {
        let out = verdict(&ws, "failed", note);
        assert!(out.status.success(), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("could not be kept as .bak") && err.contains("w.json.bak"),
            "{err}"
        );
    }
    assert!(
        std::fs::symlink_metadata(&bak)
            .expect("there")
            .file_type()
            .is_symlink()
    );
    let read = journal::read(&journal::path_for(&ws)).expect("journal");
    assert_eq!(read.entries.len(), 3, "nothing dropped");
}

/// Another user's file in a folder anyone may write to (not sticky): this user may not
/// change it, so a verdict is refused before anything is written, and the file stays
/// theirs. Run as a real second user (`nobody`), so only as root.
#[test]
fn another_user_s_workspace_in_an_open_folder_is_not_taken_over() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if !unsafe_is_root() || !have("setpriv") {
        eprintln!("skipped: needs root and setpriv to act as a second user");
        return;
    }
    let dir = tempdir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("mode");
    let open = dir.path().join("open");
    std::fs::create_dir(&open).expect("dir");
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).expect("mode");
    let ws = workspace(&open);
    std::fs::set_permissions(&ws, std::fs::Permissions::from_mode(0o644)).expect("mode");
    let before = std::fs::read(&ws).expect("read");
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["verdict", "39ed", "failed", "--note", "x", "-w"])
        .arg(&ws)
        .env_clear()
        .env("HOME", &open)
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("runs");
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(stderr(&out).contains("write-protected"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&ws).expect("read"), before);
    assert_eq!(
        std::fs::metadata(&ws).expect("meta").uid(),
        0,
        "still root's"
    );
    assert!(
        !journal::path_for(&ws).exists(),
        "no journal of nobody's beside it"
    );
}

/// A workspace whose name is as long as a file system lets a journal beside it be: its
/// temporaries and the copies kept aside take shortened names, so it is written like
/// any other, and a set-aside journal fits too.
#[test]
fn a_workspace_with_a_long_name_is_written_like_any_other() {
    let dir = tempdir();
    let name = format!("{}.json", "w".repeat(235));
    let ws = dir.path().join(&name);
    store::save(&ws, &seed_workspace()).expect("writes");
    for n in 0..3 {
        let out = verdict(&ws, "stalled", &format!("v{n}"));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    // A damaged journal line: the journal is kept aside under a name that fits.
    let jpath = journal::path_for(&ws);
    let mut text = std::fs::read_to_string(&jpath).expect("journal");
    text.push_str("not json\n{\"seq\": 99}\n");
    std::fs::write(&jpath, text).expect("damaged");
    let out = verdict(&ws, "failed", "after");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(notes(&ws).ends_with(&["after".to_owned()]));
}
