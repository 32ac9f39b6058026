//! The config file as a user writes it: `config.toml` in the platform config folder of a
//! home of the test's own, read by the real binary.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn config_at(home: &Path, name: &str, text: &str) -> PathBuf {
    let path = home.join(".config/claimdesk").join(name);
    std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
    std::fs::write(&path, text).expect("write config");
    path
}

fn sample(dir: &Path) -> String {
    let path = dir.join("w.json");
    let (a, b) = (fixture(SEED_000), fixture(SEED_001));
    let out = claimdesk(&[
        "import",
        "-w",
        path.to_str().expect("utf8"),
        a.to_str().expect("utf8"),
        b.to_str().expect("utf8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    path.to_str().expect("utf8").to_owned()
}

#[test]
fn keys_lists_every_action_by_name_as_the_config_leaves_it() {
    let home = tempdir();
    let defaults = stdout(&claimdesk_in(home.path(), &["keys"]));
    assert!(defaults.starts_with("No config file"), "{defaults}");
    assert!(
        defaults.contains("\nIn any pane (no overlay open) (global)\n"),
        "{defaults}"
    );
    assert!(
        defaults
            .lines()
            .any(|l| l.split_whitespace().take(3).eq(["quit", "q", "C-c"])),
        "{defaults}"
    );
    let path = config_at(
        home.path(),
        "config.toml",
        "[keys]\nquit = \"Q\"\ncalendar.next-day = [\"n\", \"Right\"]\n",
    );
    let keys = stdout(&claimdesk_in(home.path(), &["keys"]));
    assert!(
        keys.starts_with(&format!("Keys as {} leaves them.", path.display())),
        "{keys}"
    );
    let line = |name: &str, scope: &str| {
        let section = keys
            .split(&format!("({scope})\n"))
            .nth(1)
            .expect("section")
            .split("\n\n")
            .next()
            .expect("section")
            .to_owned();
        section
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert!(line("quit", "global").starts_with("quit Q quit"), "{keys}");
    assert!(
        line("next-day", "calendar").starts_with("next-day n Right"),
        "{keys}"
    );
    assert!(
        line("down", "timeline").starts_with("down j Down"),
        "{keys}"
    );
}

#[test]
fn a_rebound_key_works_on_the_screen_and_the_help_names_it() {
    let home = tempdir();
    let dir = tempdir();
    let ws = sample(dir.path());
    config_at(
        home.path(),
        "config.toml",
        "reviewer = \"ana\"\n[keys]\nhelp = \"F1\"\n",
    );
    let shot = |keys: &str| {
        let out = claimdesk_in(
            home.path(),
            &["snapshot", "-w", &ws, "--size", "120x40", "--keys", keys],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let help = shot("F1 g");
    assert!(
        help.contains("Keys · Esc, ? or q closes"),
        "F1 opens it:\n{help}"
    );
    assert!(
        help.contains("  F1                show or hide this help"),
        "{help}"
    );
    assert!(!shot("?").contains("Keys ·"), "? no longer opens the help");
    assert!(
        !shot("F1 F1").contains("Keys ·"),
        "F1 closes the help it opened"
    );
    let plain = shot("");
    assert!(
        plain.contains("F1 help"),
        "the hints name the new key:\n{plain}"
    );
    assert!(plain.contains("as ana"), "{plain}");
}

#[test]
fn a_bad_config_is_named_by_file_line_and_key_and_the_rest_applies() {
    let home = tempdir();
    let dir = tempdir();
    let ws = sample(dir.path());
    let path = config_at(
        home.path(),
        "config.toml",
        "reviewer = \"ana\"\ntheme = \"sepia\"\n[keys]\nquit = \"Ctrl-q\"\nhelp = \"F1\"\n",
    );
    // The screen starts, with what did apply, and stderr names what did not.
    let out = claimdesk_in(
        home.path(),
        &["snapshot", "-w", &ws, "--size", "120x40", "--keys", "F1"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let screen = stdout(&out);
    assert!(
        screen.contains("Keys · Esc, ? or q closes"),
        "F1 opens it:\n{screen}"
    );
    let err = stderr(&out);
    let p = path.display();
    assert!(
        err.contains(&format!(
            "claimdesk: {p}:2:9: theme: no theme named \"sepia\""
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "claimdesk: {p}:4:1: keys.quit: unknown key \"Ctrl-q\""
        )),
        "{err}"
    );
    // Recording a verdict is refused: the reviewer's name must be the one meant.
    let out = claimdesk_in(home.path(), &["verdict", "-w", &ws, "3a2f", "stalled"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("fix the config file (or pass --reviewer)"),
        "{}",
        stderr(&out)
    );
    let out = claimdesk_in(
        home.path(),
        &["verdict", "-w", &ws, "3a2f", "stalled", "--reviewer", "ana"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // A file that is not TOML at all: named, and nothing of it applies.
    config_at(home.path(), "config.toml", "reviewer = ana\n");
    let keys = stdout(&claimdesk_in(home.path(), &["keys"]));
    assert!(
        keys.contains(&format!("Left out: {p}:1:12: not TOML"))
            && keys.contains("the whole file is left out"),
        "{keys}"
    );
    assert!(
        keys.contains("\n  quit                 q C-c"),
        "the defaults: {keys}"
    );
}

#[test]
fn config_json_is_still_read_when_there_is_no_config_toml() {
    let home = tempdir();
    let dir = tempdir();
    let ws = sample(dir.path());
    config_at(home.path(), "config.json", "{\"reviewer\": \"ben\"}");
    let out = claimdesk_in(home.path(), &["snapshot", "-w", &ws, "--size", "120x40"]);
    assert!(stdout(&out).contains("as ben"), "{}", stdout(&out));
    config_at(home.path(), "config.toml", "reviewer = \"cy\"\n");
    let out = claimdesk_in(home.path(), &["snapshot", "-w", &ws, "--size", "120x40"]);
    assert!(stdout(&out).contains("as cy"), "config.toml comes first");
}

#[test]
fn a_reviewer_name_that_is_nothing_once_cleaned_is_refused_not_replaced() {
    let home = tempdir();
    let dir = tempdir();
    let ws = sample(dir.path());
    for name in ["", "   ", "\u{1b}[31m\u{7}"] {
        let out = claimdesk_in(
            home.path(),
            &["verdict", "-w", &ws, "3a2f", "stalled", "--reviewer", name],
        );
        assert!(!out.status.success(), "{name:?} was taken");
        assert!(
            stderr(&out).contains("the name is empty"),
            "{}",
            stderr(&out)
        );
    }
    // In the config file: named as a problem, so the verdict is refused too.
    config_at(home.path(), "config.toml", "reviewer = \"\\u001b[2J\"\n");
    let out = claimdesk_in(home.path(), &["verdict", "-w", &ws, "3a2f", "stalled"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains(":1:12: reviewer: the name is empty"), "{err}");
    let show = stdout(&claimdesk_in(home.path(), &["show", "-w", &ws, "3a2f"]));
    assert!(!show.contains("stalled"), "nothing was recorded: {show}");
}

#[test]
fn config_problems_reach_stderr_without_their_escape_sequences() {
    let home = tempdir();
    let dir = tempdir();
    let ws = sample(dir.path());
    config_at(
        home.path(),
        "config.toml",
        "theme = \"\\u001b]0;owned\\u0007\"\n[keys]\n\"\\u001b[2J\" = \"x\"\n",
    );
    let out = claimdesk_in(home.path(), &["snapshot", "-w", &ws, "--size", "80x24"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("keys.\\u{1b}[2J: no action named"), "{err}");
}

#[test]
fn an_unreadable_or_odd_config_is_named_and_the_keys_are_the_defaults() {
    let home = tempdir();
    let path = config_at(home.path(), "config.toml", "[keys]\nquit = \"Q\"\n");
    // A FIFO in its place: named, never waited on.
    std::fs::remove_file(&path).expect("rm");
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let out = claimdesk_in(home.path(), &["keys"]);
    let keys = stdout(&out);
    assert!(
        keys.starts_with(&format!("Keys as {} leaves them.", path.display())),
        "not \"No config file\": {keys}"
    );
    assert!(keys.contains("not a regular file"), "{keys}");
    assert!(keys.contains("\n  quit                 q C-c"), "{keys}");
}

#[test]
fn a_rebinding_that_would_leave_no_way_out_is_refused_and_quit_still_works() {
    let home = tempdir();
    let dir = tempdir();
    let ws = sample(dir.path());
    let path = config_at(
        home.path(),
        "config.toml",
        "[keys]\nsave = [\"q\", \"C-c\"]\nquit = \"C-D\"\nverdict = \"j\"\n",
    );
    let out = claimdesk_in(
        home.path(),
        &["snapshot", "-w", &ws, "--size", "120x40", "--keys", "j"],
    );
    let err = stderr(&out);
    let p = path.display();
    assert!(
        err.contains(&format!(
            "{p}:2:1: keys.save: this takes q, C-c, the last key of quit"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{p}:3:1: keys.quit: no terminal sends C-D")),
        "{err}"
    );
    // The global verdict key took j from the panes: it opens the picker in the list.
    assert!(stdout(&out).contains(" Verdict "), "{}", stdout(&out));
    let keys = stdout(&claimdesk_in(home.path(), &["keys"]));
    assert!(keys.contains("\n  quit                 q C-c"), "{keys}");
}

#[test]
fn every_command_names_a_bad_config_on_stderr() {
    let home = tempdir();
    let dir = tempdir();
    let ws = sample(dir.path());
    let path = config_at(home.path(), "config.toml", "theme = \"sepia\"\n");
    let said = format!(
        "claimdesk: {}:1:9: theme: no theme named \"sepia\"",
        path.display()
    );
    for args in [
        vec!["list", "-w", &ws],
        vec!["show", "-w", &ws, "3a2f"],
        vec!["due", "-w", &ws],
        vec!["export", "-w", &ws, "--format", "csv"],
        vec!["verdict", "-w", &ws, "3a2f", "stalled", "--reviewer", "ana"],
    ] {
        let out = claimdesk_in(home.path(), &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.matches(&said).count(), 1, "{args:?}: {err}");
    }
}
