//! kill -9 at every write, fsync, rename, link, unlink and open of `claimdesk verdict`
//! (through strace's fault injection): no verdict reported as recorded is lost, none is
//! doubled, and the workspace always loads. The counts are printed for the README.

mod common;

use claimdesk::store::{self, Access, Disk};
use std::path::Path;
use std::process::Command;

const SYSCALLS: [&str; 8] = [
    "write",
    "fsync",
    "fdatasync",
    "rename",
    "link",
    "unlink",
    "openat",
    "ftruncate",
];
/// The most kill points tried per system call (the first ones: the write path's own
/// calls come after the loader's few).
const MAX_POINTS: u32 = 40;

fn strace() -> bool {
    Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The notes of every review the workspace holds once its journal is replayed.
fn notes(ws: &Path) -> Vec<String> {
    let opened = Disk::open(ws, Access::ReadOnly, None).expect("the workspace opens");
    opened.workspace.claims[0]
        .reviews
        .iter()
        .map(|r| r.note.clone())
        .collect()
}

#[test]
fn no_reported_verdict_is_lost_when_killed_at_any_syscall() {
    if !strace() {
        assert!(
            std::env::var_os("CI").is_none(),
            "strace is required in CI (.ci/run installs it)"
        );
        eprintln!("skipped: strace is not installed");
        return;
    }
    let home = common::tempdir();
    let template = home.path().join("template.json");
    store::save(&template, &common::seed_workspace()).expect("seed");
    let id = store::load(&template).expect("loads").claims[0].id.clone();
    let (mut tried, mut lost, mut doubled, mut unloadable) = (0, 0, 0, 0);
    for syscall in SYSCALLS {
        for when in 1..=MAX_POINTS {
            let dir = home.path().join(format!("{syscall}-{when}"));
            std::fs::create_dir(&dir).expect("dir");
            let ws = dir.join("w.json");
            std::fs::copy(&template, &ws).expect("copy");
            // One verdict reported as recorded before the faulty run.
            let first = common::command_in(home.path())
                .args(["verdict", &id, "stalled", "--note", "before", "-w"])
                .arg(&ws)
                .output()
                .expect("runs");
            assert!(first.status.success(), "{}", common::stderr(&first));
            let out = Command::new("strace")
                .args(["-f", "-qq", "-o", "/dev/null", "-e"])
                .arg(format!("inject={syscall}:signal=KILL:when={when}"))
                .arg(env!("CARGO_BIN_EXE_claimdesk"))
                .args(["verdict", &id, "failed", "--note", "during", "-w"])
                .arg(&ws)
                .env("HOME", home.path())
                .env("XDG_CONFIG_HOME", home.path().join(".config"))
                .env("XDG_STATE_HOME", home.path().join(".state"))
                .env_remove("CLAIMDESK_WORKSPACE")
                .output()
                .expect("strace runs");
            tried += 1;
            let reported = out.status.success() && common::stdout(&out).contains("Recorded");
            if store::load(&ws).is_err() {
                unloadable += 1;
                eprintln!("{syscall}#{when}: the workspace does not load");
                continue;
            }
            let n = notes(&ws);
            let count = |note: &str| n.iter().filter(|x| *x == note).count();
            if count("before") != 1 || (reported && count("during") == 0) {
                lost += 1;
                eprintln!("{syscall}#{when}: lost a verdict: {n:?}");
            }
            if count("during") > 1 || count("before") > 1 {
                doubled += 1;
                eprintln!("{syscall}#{when}: doubled: {n:?}");
            }
            std::fs::remove_dir_all(&dir).expect("clean");
            if reported {
                break; // This call was not reached again: the run finished.
            }
        }
    }
    println!(
        "kill points tried: {tried}; verdicts lost: {lost}; doubled: {doubled}; unloadable: {unloadable}"
    );
    assert_eq!(
        (lost, doubled, unloadable),
        (0, 0, 0),
        "of {tried} kill points"
    );
}
