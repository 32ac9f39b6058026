//! The loaded file's bytes under the loader: mapped under a lease, and kept whole when
//! another program cuts the file short, writes into it or replaces it meanwhile.

mod common;
#[path = "common/generate.rs"]
mod generate;

use claimdesk::model::Workspace;
use claimdesk::store;
use std::path::Path;
use std::process::Command;

fn generated(claims: usize, updates: usize) -> Workspace {
    let pool = generate::seed_updates(&common::fixture("tests/fixtures"));
    generate::generate(&pool, claims, updates, 7)
}

fn bodies(ws: &Workspace) -> Vec<String> {
    ws.claims
        .iter()
        .flat_map(|c| c.updates.iter().map(|u| u.body.decoded().into_owned()))
        .collect()
}

fn write(path: &Path, ws: &Workspace) {
    std::fs::write(path, store::to_bytes(ws).expect("encodes")).expect("writes");
}

/// Loads `path`, lets `meddle` do its worst to the file from another process, and checks
/// that every body still reads as it was written.
fn survives(meddle: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ws.json");
    let ws = generated(20, 30);
    write(&path, &ws);
    // A lease is refused while any process holds the file open for writing: a child
    // that another test thread forked in the moment this one wrote the file inherits its
    // descriptor until it execs. Such a moment passes; a few tries outlast it.
    let loaded = (0..5)
        .map(|_| store::load::read_path(&path, |_| {}).expect("loads"))
        .find(|loaded| loaded.source.is_mapped());
    let Some(loaded) = loaded else {
        panic!("the file should be mapped under a lease here");
    };
    let status = Command::new("sh")
        .arg("-c")
        .arg(meddle)
        .arg("sh")
        .arg(&path)
        .status()
        .expect("sh runs");
    assert!(status.success(), "{meddle} failed");
    assert!(
        !loaded.source.is_mapped(),
        "{meddle}: the lease should have been given up for a copy"
    );
    assert_eq!(bodies(&loaded.workspace), bodies(&ws), "after {meddle}");
    // What a save writes from it is still the workspace as read.
    let again =
        store::parse(&path, &store::to_bytes(&loaded.workspace).expect("encodes")).expect("parses");
    assert_eq!(again, ws);
}

#[test]
fn a_file_cut_short_under_the_loader_is_survived() {
    // truncate(1) opens without blocking, so it is refused while the lease is being given
    // up; it then succeeds.
    survives(r#"until truncate -s 0 "$1" 2>/dev/null; do sleep 0.05; done; test ! -s "$1""#);
}

#[test]
fn a_file_written_into_under_the_loader_is_survived() {
    survives(
        r#"printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' | dd of="$1" bs=1 seek=300 conv=notrunc status=none"#,
    );
}

/// The app loads on a thread of its own, which ends once the workspace is read: a break
/// of the lease must still be heard.
#[test]
fn a_file_cut_short_after_the_loading_thread_ended_is_survived() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ws.json");
    let ws = generated(20, 30);
    write(&path, &ws);
    let loaded = {
        let path = path.clone();
        std::thread::spawn(move || store::load::read_path(&path, |_| {}).expect("loads"))
            .join()
            .expect("the loading thread")
    };
    assert!(loaded.source.is_mapped());
    let started = std::time::Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg(r#"until truncate -s 0 "$1" 2>/dev/null; do sleep 0.05; done"#)
        .arg("sh")
        .arg(&path)
        .status()
        .expect("sh runs");
    assert!(status.success());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "the truncate waited {:?}: the lease break went unheard",
        started.elapsed()
    );
    assert!(!loaded.source.is_mapped());
    assert_eq!(bodies(&loaded.workspace), bodies(&ws));
}

#[test]
fn a_file_replaced_under_the_loader_keeps_the_old_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ws.json");
    let ws = generated(5, 10);
    write(&path, &ws);
    let loaded = store::load::read_path(&path, |_| {}).expect("loads");
    let other = dir.path().join("other.json");
    write(&other, &generated(3, 2));
    std::fs::rename(&other, &path).expect("renames");
    assert_eq!(bodies(&loaded.workspace), bodies(&ws));
}

#[test]
fn without_a_lease_the_file_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ws.json");
    let ws = generated(5, 10);
    write(&path, &ws);
    // A file open for writing elsewhere cannot be leased.
    let _writer = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("opens for writing");
    let loaded = store::load::read_path(&path, |_| {}).expect("loads");
    assert!(!loaded.source.is_mapped());
    assert_eq!(loaded.workspace, ws);
}
