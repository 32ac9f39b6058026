//! A full disk, made for real: a small tmpfs filled to its last byte. A verdict that
//! cannot be journaled is never reported as recorded and changes no file; in the app it
//! shows as in memory only, and once there is room again a save keeps it. Needs root to
//! mount (CI runs as root; elsewhere the tests say they were skipped).

mod common;

use claimdesk::store;
use common::tmux::Tmux;
use common::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

const A: &str = "39edfb4563007f91";

/// A tmpfs that can be filled to its last byte.
struct Small {
    mount: Tmpfs,
}

impl Small {
    fn mount(dir: &Path) -> Option<Self> {
        tmpfs(&dir.join("small"), "4m").map(|mount| Self { mount })
    }

    fn path(&self) -> &Path {
        self.mount.path()
    }

    /// Fills the file system to its last byte with a file of its own.
    fn fill(&self) {
        let mut f = std::fs::File::create(self.filler()).expect("filler");
        let chunk = vec![0u8; 4096];
        while f.write_all(&chunk).is_ok() {}
        // The last partial page too.
        while f.write_all(&[0]).is_ok() {}
    }

    fn make_room(&self) {
        std::fs::remove_file(self.filler()).expect("remove the filler");
    }

    fn filler(&self) -> PathBuf {
        self.path().join("filler")
    }

    /// Every file but the filler and the lock (which names its holder), byte for byte.
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(self.path())
            .expect("list")
            .map(|e| e.expect("entry"))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "filler" && !n.ends_with(".lock"))
            .map(|n| {
                let bytes = std::fs::read(self.path().join(&n)).expect("read");
                (n, bytes)
            })
            .collect()
    }
}

/// The names of the files that differ between two listings.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter(|n| before.get(*n) != after.get(*n))
        .cloned()
        .collect()
}

fn notes(ws: &Path) -> Vec<String> {
    let opened = store::Disk::open(ws, store::Access::ReadOnly, None).expect("opens");
    opened
        .workspace
        .claim(A)
        .expect("claim")
        .reviews
        .iter()
        .map(|r| r.note.clone())
        .collect()
}

/// A rationale longer than a block, so that its journal line cannot fit in what is left
/// of the journal's last one (a file system keeps that room for the file).
fn long(note: &str) -> String {
    format!("{note}: {}", "evidence. ".repeat(900))
}

fn verdict(home: &Path, ws: &Path, note: &str) -> std::process::Output {
    command_in(home)
        .args(["verdict", A, "stalled", "--note", note, "-w"])
        .arg(ws)
        .output()
        .expect("runs")
}

/// The sample on a small disk, one verdict ("before") recorded, then the disk filled.
fn full_with_one_verdict(home: &Path) -> Option<(Small, PathBuf)> {
    let small = Small::mount(home)?;
    let ws = small.path().join("w.json");
    std::fs::write(&ws, store::SAMPLE).expect("sample");
    assert!(verdict(home, &ws, "before").status.success());
    small.fill();
    Some((small, ws))
}

#[test]
fn a_verdict_on_a_full_disk_is_refused_and_changes_no_file() {
    let home = tempdir();
    let Some((small, ws)) = full_with_one_verdict(home.path()) else {
        return;
    };
    let before = small.files();
    let out = verdict(home.path(), &ws, &long("on a full disk"));
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(!stdout(&out).contains("Recorded"), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("No space left on device") && err.contains("w.json.journal"),
        "{err}"
    );
    assert!(
        !err.contains("claimdesk-tmp"),
        "no temporary file's name: {err}"
    );
    assert_eq!(
        changed(&before, &small.files()),
        Vec::<String>::new(),
        "every file as it was"
    );
    // Room again: the next verdict is recorded and saved, and the refused one never was.
    small.make_room();
    assert!(verdict(home.path(), &ws, "after").status.success());
    assert_eq!(notes(&ws), ["before", "after"]);
    assert_eq!(store::load(&ws).expect("loads").claims.len(), 2);
}

#[test]
fn a_verdict_the_journal_took_is_a_success_though_the_save_failed() {
    let home = tempdir();
    let Some((small, ws)) = full_with_one_verdict(home.path()) else {
        return;
    };
    let file = std::fs::read(&ws).expect("read");
    // A short rationale fits in the journal's last block; a new workspace file does not.
    let out = verdict(home.path(), &ws, "short");
    assert!(
        out.status.success(),
        "recorded, so a success: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("not saved")
            && err.contains("No space left on device")
            && err.contains("recorded in"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&ws).expect("read"),
        file,
        "the file as it was"
    );
    small.make_room();
    // Not doubled by a retry that is not needed, and kept by the next one.
    assert_eq!(notes(&ws), ["before", "short"]);
    assert!(verdict(home.path(), &ws, "after").status.success());
    assert_eq!(notes(&ws), ["before", "short", "after"]);
    let saved = store::load(&ws).expect("loads");
    assert_eq!(saved.claim(A).expect("claim").reviews.len(), 3);
}

#[test]
fn the_app_on_a_full_disk_shows_an_edit_in_memory_only_and_saves_it_once_there_is_room() {
    let home = tempdir();
    let Some(small) = Small::mount(home.path()) else {
        return;
    };
    let ws = small.path().join("w.json");
    std::fs::write(&ws, store::SAMPLE).expect("sample");
    let t = Tmux::start(
        "cd-full",
        home.path(),
        &[ws.to_str().expect("utf8"), "--reviewer", "ana"],
    );
    small.fill();
    let before = small.files();
    t.keys(&["v", "1"]);
    // Longer than a page, but not so long that typing it into the editor (a key at a
    // time) outlasts the waits on a loaded machine.
    let note = format!(
        "recorded while the disk is full: {}",
        "evidence. ".repeat(450)
    );
    t.type_text(&note);
    t.keys(&["C-s"]);
    let screen = t.wait_for("IN MEMORY ONLY");
    // Said when the journal failed, and again by the save that failed after it.
    assert!(
        screen.contains("NOT RECORDED ON DISK")
            || screen.contains("1 edit in memory only, not in the journal: make room, then C-s"),
        "{screen}"
    );
    assert!(!screen.contains("Recorded verdict"), "{screen}");
    assert_eq!(
        changed(&before, &small.files()),
        Vec::<String>::new(),
        "every file as it was"
    );
    // Quitting now would lose it: q asks first.
    t.keys(&["q"]);
    t.wait_for("Not in the journal either: quitting without saving loses it.");
    t.keys(&["n"]);
    small.make_room();
    t.keys(&["C-s"]);
    t.wait_until("the save", |s| {
        !s.contains("IN MEMORY ONLY") && !s.contains("unsaved")
    });
    t.keys(&["q"]);
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains("EXIT=0"), "{screen}");
    drop(t);
    let saved = store::load(&ws).expect("loads");
    let notes: Vec<&str> = saved
        .claim(A)
        .expect("claim")
        .reviews
        .iter()
        .map(|r| r.note.as_str())
        .collect();
    // (A rationale is kept without its trailing space.)
    assert!(
        notes == [note.trim_end()],
        "the verdict typed on a full disk is saved: {} reviews",
        notes.len()
    );
}
