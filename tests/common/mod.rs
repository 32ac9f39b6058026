//! Helpers shared by the integration tests: fixture paths, the seed import, the binary.
#![allow(dead_code)]

pub mod tmux;
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
pub mod tracer;

use claimdesk::import::{self, Incoming};
use claimdesk::model::Workspace;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const SEED_000: &str = "tests/fixtures/000_39edfb4563007f91.txt";
pub const SEED_001: &str = "tests/fixtures/001_3a2f3f9b8cc6911f.txt";

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub fn read_fixture(path: &str) -> String {
    std::fs::read_to_string(fixture(path)).expect("fixture is readable")
}

/// Reads one file's text as `claimdesk import` would.
pub fn read_input(name: &str, bytes: &[u8]) -> Result<import::Input, import::ImportError> {
    let text = import::decode(name, bytes)?;
    import::read(name, &text, &import::Options::default())
}

/// Imports the given page texts (name, text) into a fresh workspace.
pub fn import_pages(pages: &[(&str, &str)]) -> Workspace {
    let mut ws = Workspace::default();
    let inputs = pages
        .iter()
        .map(|(name, text)| read_input(name, text.as_bytes()).expect("page reads"))
        .collect();
    let incoming: Vec<Incoming> = import::assemble(inputs).expect("assembles");
    import::merge(&mut ws, incoming).expect("merges");
    ws
}

/// Both seed pages imported, as the sample is made.
pub fn seed_workspace() -> Workspace {
    import_pages(&[
        (SEED_000, &read_fixture(SEED_000)),
        (SEED_001, &read_fixture(SEED_001)),
    ])
}

/// A home folder of the test process's own, never the developer's: no config file, no
/// default workspace, no data folder until claimdesk makes one.
pub fn test_home() -> &'static Path {
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    HOME.get_or_init(|| tempfile::tempdir().expect("temp home"))
        .path()
}

/// The binary, hermetic: HOME and the XDG folders point into `home`, and no workspace,
/// date or reviewer is inherited from the environment.
pub fn command_in(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimdesk"));
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env_remove("CLAIMDESK_WORKSPACE")
        .env_remove("CLAIMDESK_TODAY")
        .env_remove("CLAIMDESK_REVIEWER");
    cmd
}

/// Runs the real binary with the given arguments in the test process's own home.
pub fn claimdesk(args: &[&str]) -> Output {
    claimdesk_in(test_home(), args)
}

/// Runs the real binary with the given arguments, with `home` as its home.
pub fn claimdesk_in(home: &Path, args: &[&str]) -> Output {
    command_in(home)
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// The seed workspace in an in-memory session at 120×40, today 2026-02-16.
pub fn seed_session() -> claimdesk::runtime::Session {
    let state = claimdesk::app::State::new(
        seed_workspace(),
        PathBuf::from("w.json"),
        "2026-02-16".parse().expect("date"),
        (120, 40),
    );
    claimdesk::runtime::Session::in_memory(state)
}

/// Presses keys named as in the help overlay (`'word` types a word).
pub fn keys(s: &mut claimdesk::runtime::Session, names: &str) {
    for k in claimdesk::app::keymap::parse_keys(names).expect("key names") {
        s.press(k);
    }
}

/// A time recorded by the run that just happened: the real clock, not `--today`'s.
pub fn assert_recorded_now(at: chrono::DateTime<chrono::Utc>) {
    let age = chrono::Utc::now() - at;
    assert!(
        age >= chrono::Duration::seconds(-2) && age <= chrono::Duration::minutes(5),
        "recorded at {at}, not now ({})",
        chrono::Utc::now()
    );
}

/// A small tmpfs mounted on `dir` (made if missing), unmounted when dropped; None where
/// the machine does not allow it (not root) — but as root in CI it must mount.
pub fn tmpfs(dir: &Path, size: &str) -> Option<Tmpfs> {
    let _ = std::fs::create_dir_all(dir);
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| stdout(&o).trim() == "0");
        assert!(
            !(root && std::env::var_os("CI").is_some()),
            "as root in CI, a tmpfs must mount"
        );
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return None;
    }
    Some(Tmpfs(dir.to_owned()))
}

/// A mount made by a test.
pub struct Tmpfs(PathBuf);

impl Tmpfs {
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazily: a process of a failed test may still hold a file there.
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// The binary's `import` of `files` (with `extra` flags) into the workspace `ws`,
/// hermetic in `home`.
pub fn import_into(home: &Path, ws: &Path, files: &[&Path], extra: &[&str]) -> Output {
    command_in(home)
        .arg("import")
        .args(files)
        .args(extra)
        .arg("-w")
        .arg(ws)
        .output()
        .expect("runs")
}

/// `import_into`, which must succeed: its summary.
pub fn import_ok(home: &Path, ws: &Path, files: &[&Path], extra: &[&str]) -> String {
    let out = import_into(home, ws, files, extra);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

/// Position, newest first, of the first seed claim's update with six sources (the
/// reader's longest source list).
pub fn six_source_update(ws: &Workspace) -> usize {
    ws.claims[0]
        .updates
        .iter()
        .rev()
        .position(|u| u.sources.len() == 6)
        .expect("sourced update")
}
