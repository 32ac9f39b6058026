//! Paths that are not plain files: a workspace behind a symbolic link is saved in the real
//! file (the link stays a link), exports never replace the workspace, its side files, a
//! link, a FIFO or a device, and a FIFO given as the workspace is refused at once.

mod common;

use claimdesk::store;
use common::*;
use std::os::unix::fs::symlink;
use std::path::Path;

fn run(args: &[&str]) -> std::process::Output {
    claimdesk(args)
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8")
}

#[test]
fn a_verdict_through_a_link_lands_in_the_real_file_and_the_link_stays() {
    let dir = tempdir();
    let real = dir.path().join("real.json");
    store::save(&real, &seed_workspace()).expect("writes");
    let link = dir.path().join("link.json");
    symlink(&real, &link).expect("link");
    // The real file's lock holds through the link too.
    let held = store::lock::Lock::acquire(&real).expect("lock");
    let out = run(&["verdict", "39ed", "stalled", "-w", s(&link)]);
    assert!(
        !out.status.success(),
        "a second writer got in through the link"
    );
    drop(held);
    let out = run(&["verdict", "39ed", "stalled", "-w", s(&link)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let meta = std::fs::symlink_metadata(&link).expect("link");
    assert!(meta.file_type().is_symlink(), "the link is still a link");
    let saved = store::load(&real).expect("loads");
    assert_eq!(saved.claims[0].reviews.len(), 1, "in the real file");
    assert!(!dir.path().join("link.json.bak").exists());
}

#[test]
fn an_export_never_replaces_the_workspace_its_side_files_or_special_files() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    store::save(&ws, &seed_workspace()).expect("writes");
    let before = std::fs::read(&ws).expect("read");
    // Damaged copies kept aside are not outputs either.
    for kept in [
        "w.json.damaged-20261202033539",
        "w.json.journal.damaged-20261202033539.120",
    ] {
        std::fs::write(dir.path().join(kept), "kept").expect("write");
    }
    for out in [
        "w.json",
        "w.json.journal",
        "w.json.bak",
        "w.json.lock",
        "w.json.damaged-20261202033539",
        "w.json.journal.damaged-20261202033539.120",
    ] {
        let o = run(&[
            "export",
            "--format",
            "csv",
            "-o",
            s(&dir.path().join(out)),
            "-w",
            s(&ws),
        ]);
        assert!(
            !o.status.success() && stderr(&o).contains("give --output another file"),
            "{out}: {}",
            stderr(&o)
        );
    }
    assert_eq!(std::fs::read(&ws).expect("read"), before);
    for kept in [
        "w.json.damaged-20261202033539",
        "w.json.journal.damaged-20261202033539.120",
    ] {
        assert_eq!(std::fs::read(dir.path().join(kept)).expect("read"), b"kept");
    }
    // Into a link: the file it points to is written, the link stays.
    let target = dir.path().join("target.csv");
    std::fs::write(&target, "old").expect("write");
    let link = dir.path().join("out.csv");
    symlink(&target, &link).expect("link");
    let o = run(&["export", "--format", "csv", "-o", s(&link), "-w", s(&ws)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .expect("read")
            .starts_with("id,title")
    );
    // Into a FIFO: the reader gets the export, and the FIFO stays a FIFO.
    let fifo = dir.path().join("out.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).expect("reads the fifo"))
    };
    let o = run(&["export", "--format", "csv", "-o", s(&fifo), "-w", s(&ws)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = reader.join().expect("reader");
    assert!(got.starts_with(b"id,title"), "{} bytes", got.len());
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata(&fifo)
            .expect("fifo")
            .file_type()
            .is_fifo()
    );
}

#[test]
fn a_fifo_as_the_workspace_is_refused_at_once() {
    let dir = tempdir();
    let fifo = dir.path().join("w.json");
    mkfifo(&fifo);
    let o = run(&["list", "-w", s(&fifo)]);
    assert!(
        !o.status.success() && stderr(&o).contains("not a regular file"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("w.json.lock").exists());
}
