//! The workspace file contract: round trips keep unknown fields, bad files are refused
//! with their position and left untouched, saves are atomic.

mod common;

use claimdesk::model::{Verdict, Workspace};
use claimdesk::store::{self, StoreError};
use common::*;
use serde_json::{Value, json};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn with_unknown_fields() -> Value {
    json!({
        "format": "claimdesk-workspace",
        "version": 1,
        "x-top": {"nested": [1, 2, 3]},
        "claims": [{
            "id": "c1",
            "title": "A claim",
            "kind": "promise",
            "completion_condition": null,
            "article": {"published": "2026-01-12", "url": null, "outlet": null, "x-article": true},
            "completion_due": "2026-01-23",
            "priority": "high",
            "tags": ["security"],
            "x-claim": "kept",
            "updates": [
                {"at": "2026-02-01T10:00:00Z", "status": "weird_status", "body": "B.", "sources": [],
                 "suggested_follow_up": null, "x-update": 7},
                {"at": "2026-01-12T10:29:00Z", "status": "in_progress", "body": "A.\n\nA2.",
                 "sources": ["https://e.org"], "suggested_follow_up": "2026-02-20"}
            ],
            "follow_ups": [{"date": "2026-02-20", "state": "scheduled", "note": "", "x-fu": null}],
            "reviews": [{"at": "2026-11-21T09:30:00Z", "reviewer": "ana", "verdict": "in_progress",
                         "note": "n", "seen_through": "2026-02-01T10:00:00Z", "x-review": {"a": 1}}]
        }]
    })
}

#[test]
fn unknown_fields_survive_a_round_trip_at_every_level() {
    let dir = tempdir();
    let original = with_unknown_fields();
    let path = write(dir.path(), "w.json", &original.to_string());
    let ws = store::load(&path).expect("loads");
    assert_eq!(ws.claims[0].verdict(), Some(Verdict::InProgress));
    store::save(&path, &ws).expect("saves");
    let saved: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");

    // Same meaning; only the update order changed (claimdesk writes them oldest first).
    let mut expected = original.clone();
    let updates = expected["claims"][0]["updates"]
        .as_array_mut()
        .expect("array");
    updates.reverse();
    assert_eq!(saved, expected);
    assert_eq!(saved["x-top"]["nested"][2], 3);
    assert_eq!(saved["claims"][0]["updates"][1]["x-update"], 7);
    assert_eq!(saved["claims"][0]["reviews"][0]["x-review"]["a"], 1);
    assert_eq!(saved["claims"][0]["follow_ups"][0]["x-fu"], Value::Null);
    assert!(
        saved["claims"][0]["follow_ups"][0]
            .as_object()
            .expect("obj")
            .contains_key("x-fu")
    );
}

#[test]
fn load_save_load_is_stable_and_leaves_no_temp_files() {
    let dir = tempdir();
    let path = write(dir.path(), "w.json", &with_unknown_fields().to_string());
    let ws = store::load(&path).expect("loads");
    store::save(&path, &ws).expect("saves");
    let first = std::fs::read(&path).expect("read");
    let again = store::load(&path).expect("reloads");
    assert_eq!(again, ws);
    store::save(&path, &again).expect("saves");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        first,
        "a second save changes nothing"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec!["w.json"]);
}

fn refused(text: &str) -> (StoreError, String) {
    let dir = tempdir();
    let path = write(dir.path(), "bad.json", text);
    let err = store::load(&path).expect_err("refused");
    let after = std::fs::read_to_string(&path).expect("read");
    assert_eq!(after, text, "a refused file is never changed");
    let msg = err_text(&path, &err);
    (err, msg)
}

fn err_text(path: &Path, err: &StoreError) -> String {
    let s = err.to_string();
    assert!(
        s.contains(&path.display().to_string()),
        "names the file: {s}"
    );
    s
}

#[test]
fn not_json_names_line_and_column() {
    let (err, msg) = refused(
        "{\n  \"format\": \"claimdesk-workspace\",\n  \"version\": 1,\n  \"claims\": [,]\n}\n",
    );
    assert!(
        matches!(
            err,
            StoreError::Syntax {
                line: 4,
                column: 14,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(msg.contains(":4:14: not valid JSON"), "{msg}");
}

#[test]
fn type_errors_name_the_field_path() {
    let mut v = with_unknown_fields();
    v["claims"][0]["updates"][1]["at"] = json!("yesterday");
    let (err, msg) = refused(&serde_json::to_string_pretty(&v).expect("json"));
    match &err {
        StoreError::Shape { field, line, .. } => {
            assert_eq!(field, "claims[0].updates[1].at");
            assert!(*line > 1);
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
    assert!(msg.contains("field claims[0].updates[1].at"), "{msg}");
    assert!(
        msg.contains("input contains invalid characters")
            || msg.contains("premature end")
            || msg.contains("invalid"),
        "{msg}"
    );

    let mut v = with_unknown_fields();
    v["claims"][0]["reviews"][0]["verdict"] = json!("maybe");
    let (_, msg) = refused(&v.to_string());
    assert!(msg.contains("claims[0].reviews[0].verdict"), "{msg}");
    assert!(msg.contains("unknown variant `maybe`"), "{msg}");
}

#[test]
fn newer_versions_are_refused_and_never_rewritten() {
    let mut v = with_unknown_fields();
    v["version"] = json!(2);
    v["claims"] = json!("a shape from the future");
    let (err, msg) = refused(&v.to_string());
    assert!(
        matches!(err, StoreError::TooNew { version: 2, .. }),
        "{err:?}"
    );
    assert!(msg.contains("version 2 is newer"), "{msg}");
}

#[test]
fn other_json_and_empty_files_are_not_workspaces() {
    let (err, msg) = refused("[1, 2]");
    assert!(matches!(err, StoreError::NotWorkspace { .. }));
    assert!(msg.contains("holds an array"), "{msg}");
    let (_, msg) = refused("{\"format\": \"something-else\", \"version\": 1}");
    assert!(msg.contains("\"format\": \"something-else\""), "{msg}");
    let (err, _) = refused("  \n");
    assert!(matches!(err, StoreError::Empty { .. }));
    let (err, msg) = refused(
        "{\"format\": \"claimdesk-workspace\", \"version\": 1, \"claims\": [{\"id\": \"a\", \"title\": \"x\"}, {\"id\": \"a\", \"title\": \"y\"}]}",
    );
    assert!(matches!(err, StoreError::Shape { .. }));
    assert!(msg.contains("used twice"), "{msg}");
}

#[test]
fn invalid_utf8_names_the_byte() {
    let dir = tempdir();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, b"{\"format\": \"\xff\"}").expect("write");
    let err = store::load(&path).expect_err("refused");
    assert!(
        matches!(err, StoreError::Utf8 { offset: 12, .. }),
        "{err:?}"
    );
}

#[test]
fn the_binary_reports_bad_files_and_exits_non_zero() {
    let dir = tempdir();
    let path = write(
        dir.path(),
        "bad.json",
        "{\"format\": \"claimdesk-workspace\",\n \"version\": 1, \"claims\": [}\n",
    );
    let out = claimdesk(&["snapshot", "-w", path.to_str().expect("utf8")]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.starts_with("claimdesk: "), "{err}");
    assert!(err.contains("bad.json:2:27: not valid JSON"), "{err}");
    assert_eq!(stdout(&out), "");
}

#[test]
fn saving_into_a_missing_folder_fails_cleanly() {
    let dir = tempdir();
    let path = dir.path().join("gone").join("w.json");
    let err = store::save(&path, &Workspace::default()).expect_err("no folder");
    assert!(err.to_string().contains("w.json"), "{err}");
}

#[test]
fn the_sample_is_a_valid_workspace() {
    let ws = store::parse(Path::new("sample"), store::SAMPLE.as_bytes()).expect("sample parses");
    assert_eq!(ws.claims.len(), 2);
}
