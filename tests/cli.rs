//! The real binary, headless: import (all or nothing, dry run, JSON), snapshot, the
//! default workspace created from the sample, and workspace selection.

mod common;

use common::*;

fn path_str(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn import_writes_once_and_reimport_changes_nothing() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let seed = fixture(SEED_000);
    let out = claimdesk(&["import", path_str(&seed), "-w", path_str(&ws)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("1 claim imported into"), "{text}");
    assert!(
        text.contains("updates    356 new / 356 total (in_progress 356)"),
        "{text}"
    );
    assert!(text.contains("follow-ups 28 new / 28 total"), "{text}");
    let first = std::fs::read(&ws).expect("written");

    let out = claimdesk(&["import", path_str(&seed), "-w", path_str(&ws)]);
    assert!(out.status.success());
    assert!(
        stdout(&out).starts_with("Nothing new for"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        std::fs::read(&ws).expect("still there"),
        first,
        "byte for byte the same"
    );
}

#[test]
fn one_bad_input_means_nothing_is_written() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let bad = dir.path().join("002_0123456789abcdef.txt");
    std::fs::write(&bad, "Scheduled follow-up · Feb 20, 2026\n").expect("write");
    let out = claimdesk(&[
        "import",
        path_str(&fixture(SEED_000)),
        path_str(&bad),
        "-w",
        path_str(&ws),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("002_0123456789abcdef.txt:1: the page has markers but no `Update · …` entry"),
        "{err}"
    );
    assert!(!ws.exists(), "no workspace was created");

    // An existing workspace is left byte for byte as it was.
    let out = claimdesk(&["import", path_str(&fixture(SEED_001)), "-w", path_str(&ws)]);
    assert!(out.status.success());
    let before = std::fs::read(&ws).expect("written");
    let out = claimdesk(&[
        "import",
        path_str(&fixture(SEED_000)),
        path_str(&bad),
        "-w",
        path_str(&ws),
    ]);
    assert!(!out.status.success());
    assert_eq!(std::fs::read(&ws).expect("still there"), before);
}

#[test]
fn dry_run_writes_nothing_and_json_is_machine_readable() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let out = claimdesk(&[
        "import",
        path_str(&fixture("tests/fixtures")),
        "-w",
        path_str(&ws),
        "--dry-run",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!ws.exists());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["written"], false);
    let claims = report["claims"].as_array().expect("claims");
    // The fixtures folder holds the two seed pages (the mongo exports are in subfolders).
    assert_eq!(claims.len(), 2);
    assert_eq!(claims[1]["statuses"]["complete"], 9);
    assert_eq!(claims[1]["updates_total"], 304);
    let notes = claims[1]["notes"].as_array().expect("notes");
    assert!(notes.iter().any(|n| {
        n.as_str()
            .is_some_and(|s| s.contains("2026-02-29 does not exist"))
    }));
}

#[test]
fn import_reads_an_export_folder() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let out = claimdesk(&[
        "import",
        path_str(&fixture("tests/fixtures/mongo/canonical")),
        "-w",
        path_str(&ws),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("2 claims imported into"), "{text}");
    assert!(
        text.contains("updates    3 new / 3 total (complete 1, in_progress 2)"),
        "{text}"
    );
}

#[test]
fn snapshot_replays_keys_and_rejects_unknown_ones() {
    let out = claimdesk(&[
        "snapshot",
        "-w",
        path_str(&fixture("assets/sample-workspace.json")),
        "--today",
        "2026-02-16",
        "--size",
        "80x24",
        "--keys",
        "Tab z j Enter",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 24);
    assert!(
        text.contains("Update 2/356 · Fri Feb 13, 2026 22:06 UTC · in_progress"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "plain text only");

    let out = claimdesk(&[
        "snapshot",
        "-w",
        path_str(&fixture("assets/sample-workspace.json")),
        "--keys",
        "j Flip",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unknown key \"Flip\" (key 2)"),
        "{}",
        stderr(&out)
    );

    let out = claimdesk(&[
        "snapshot",
        "-w",
        path_str(&fixture("assets/sample-workspace.json")),
        "--size",
        "80by24",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("expected COLUMNSxROWS"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_default_workspace_is_created_from_the_sample_and_said_so() {
    let dir = tempdir();
    let run = || {
        command_in(dir.path())
            .args(["snapshot", "--today", "2026-02-16", "--size", "200x30"])
            .env("XDG_DATA_HOME", dir.path())
            .output()
            .expect("runs")
    };
    let out = run();
    assert!(out.status.success(), "{}", stderr(&out));
    let created = dir.path().join("claimdesk").join("workspace.json");
    assert_eq!(
        std::fs::read_to_string(&created).expect("created"),
        claimdesk::store::SAMPLE
    );
    let text = stdout(&out);
    assert!(text.contains("Created a sample workspace at"), "{text}");
    assert!(text.contains("Officials discussed the need"));
    // The second run opens it as it is, without a word.
    let out = run();
    assert!(!stdout(&out).contains("Created a sample workspace"));
}

#[test]
fn the_workspace_comes_from_the_environment_too() {
    let dir = tempdir();
    let ws = dir.path().join("env.json");
    std::fs::write(&ws, claimdesk::store::SAMPLE).expect("write");
    let out = command_in(dir.path())
        .args(["snapshot", "--size", "120x30"])
        .env("CLAIMDESK_WORKSPACE", &ws)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("env.json"));

    let missing = dir.path().join("missing.json");
    let out = claimdesk(&["snapshot", "-w", path_str(&missing)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("missing.json: cannot read the file"),
        "{}",
        stderr(&out)
    );
    assert!(!missing.exists(), "a named workspace is never invented");
}

#[test]
fn snapshot_waits_for_each_stage() {
    let ws = fixture("assets/sample-workspace.json");
    let first = claimdesk(&[
        "snapshot",
        "-w",
        path_str(&ws),
        "--wait",
        "first-frame",
        "--size",
        "80x24",
    ]);
    assert!(first.status.success(), "{}", stderr(&first));
    let text = stdout(&first);
    assert!(
        text.contains("Loading sample-workspace.json…") && text.contains("of 1 MB"),
        "{text}"
    );
    let loaded = claimdesk(&[
        "snapshot",
        "-w",
        path_str(&ws),
        "--wait",
        "loaded",
        "--size",
        "80x24",
    ]);
    assert!(stdout(&loaded).contains("Officials discussed"));
    let out = claimdesk(&["snapshot", "-w", path_str(&ws), "--wait", "soon"]);
    assert!(!out.status.success());
}

/// The README's screen is what `snapshot` draws today with the arguments it names, so
/// the picture of the screen cannot fall behind the screen.
#[test]
fn the_readmes_screen_is_what_snapshot_draws() {
    let readme = read_fixture("README.md");
    let command = "`claimdesk snapshot --today 2026-02-16 --size 100x30 --keys \"j Tab j j j\"`";
    let after = &readme[readme.find(command).expect("the README names its snapshot")..];
    let start = after.find("```text\n").expect("a text block") + "```text\n".len();
    let block = &after[start..start + after[start..].find("```").expect("its end")];
    // No login name either: the status bar then says `as reviewer`, as the README does.
    let out = command_in(test_home())
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("USERNAME")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "snapshot",
            "-w",
            "assets/sample-workspace.json",
            "--today",
            "2026-02-16",
            "--size",
            "100x30",
            "--keys",
            "j Tab j j j",
        ])
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let drawn = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    let shown: Vec<&str> = block.lines().map(str::trim_end).collect();
    assert!(
        shown.join("\n") == drawn,
        "the README's screen is out of date; replace its text block with:\n{drawn}"
    );
}
