//! The loaded file's bytes under the loader: read into claimdesk's own memory, so what
//! another program does to the file afterwards (cuts it short, writes into it, replaces
//! it) changes nothing claimdesk shows or saves, and no such program ever waits on it.

mod common;
#[path = "common/generate.rs"]
mod generate;

use claimdesk::model::Workspace;
use claimdesk::store;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

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

/// Loads `path`, lets `meddle` do its worst to the file from another process (it must
/// finish at once: nothing holds it back), and checks that every body still reads as it
/// was written and that a save of it is the workspace as read.
fn survives(meddle: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ws.json");
    let ws = generated(20, 30);
    write(&path, &ws);
    let loaded = store::load::read_path(&path, |_| {}).expect("loads");
    let started = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg(meddle)
        .arg("sh")
        .arg(&path)
        .status()
        .expect("sh runs");
    assert!(status.success(), "{meddle} failed");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{meddle} waited {:?} on claimdesk",
        started.elapsed()
    );
    assert_eq!(bodies(&loaded.workspace), bodies(&ws), "after {meddle}");
    let again =
        store::parse(&path, &store::to_bytes(&loaded.workspace).expect("encodes")).expect("parses");
    assert_eq!(again, ws);
}

#[test]
fn a_file_cut_short_under_the_loader_is_survived() {
    survives(r#"truncate -s 0 "$1" && test ! -s "$1""#);
}

#[test]
fn a_file_written_into_under_the_loader_is_survived() {
    survives(
        r#"printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' | dd of="$1" bs=1 seek=300 conv=notrunc status=none"#,
    );
}

#[test]
fn a_file_overwritten_with_a_longer_one_under_the_loader_is_survived() {
    survives(r#"head -c 3000000 /dev/urandom | base64 > "$1""#);
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
fn a_file_open_for_writing_elsewhere_is_read_all_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ws.json");
    let ws = generated(5, 10);
    write(&path, &ws);
    let _writer = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("opens for writing");
    let loaded = store::load::read_path(&path, |_| {}).expect("loads");
    assert_eq!(loaded.workspace, ws);
}
