//! The one loader the app and every command use (`Disk::open` → `store::load`), held to
//! serde_json: whatever serde_json refuses it refuses, with the file, line and column and
//! the file left byte for byte; whatever it accepts loads the same as the workspace read
//! in one pass; unknown fields come back out exactly; any size loads; junk is refused
//! without being read whole.

mod common;

use claimdesk::model::{FORMAT, VERSION, Workspace};
use claimdesk::store::{self, Access, Disk, StoreError};
use proptest::prelude::*;
use std::path::Path;

/// A workspace with unknown fields at every level, numbers no double holds among them.
fn rich_workspace() -> String {
    let mut ws = small_sample();
    ws["x-top"] = serde_json::json!({"list": [1, [2, [3]]], "s": "é\u{1F600}"});
    let text = serde_json::to_string_pretty(&ws).expect("text");
    // Numbers spliced in as text: serde_json's Value would round them.
    text.replacen(
        "\"x-top\": {",
        "\"x-top\": {\"big\": 123456789012345678901234567890, \"neg\": -9223372036854775809, \
         \"tenth\": 0.10000000000000000555, \"dec\": {\"$numberDecimal\": \"1.000000000000000000001\"},",
        1,
    )
    .replacen(
        "\"reviews\": [",
        "\"x-claim\": [1e-400, 1.5E+300, -0.0], \"reviews\": [",
        1,
    )
}

/// The sample, each claim cut to its first three updates: every kind of field, small
/// enough for thousands of cases.
fn small_sample() -> serde_json::Value {
    let mut ws: serde_json::Value = serde_json::from_str(store::SAMPLE).expect("sample");
    for claim in ws["claims"].as_array_mut().expect("claims") {
        if let Some(updates) = claim["updates"].as_array_mut() {
            updates.truncate(3);
        }
        claim["follow_ups"] = serde_json::json!([{"date": "2026-02-20", "state": "scheduled", "note": "n", "x-f": true}]);
        claim["reviews"] = serde_json::json!([{"at": "2026-11-21T09:30:00Z", "reviewer": "ana", "verdict": "stalled", "note": "", "x-r": null}]);
    }
    ws
}

/// What serde_json makes of the bytes, as the loader must: refused, or the workspace read
/// in one pass (claims in line), checked as the loader checks it.
fn reference(bytes: &[u8]) -> Option<Workspace> {
    serde_json::from_slice::<serde_json::Value>(bytes).ok()?;
    let mut ws: Workspace = serde_json::from_slice(bytes).ok()?;
    let ids_ok = ws
        .claims
        .iter()
        .all(|c| claimdesk::model::id_problem(&c.id).is_none())
        && ws
            .claims
            .iter()
            .map(|c| c.id.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len()
            == ws.claims.len();
    if ws.format != FORMAT || ws.version > VERSION || !ids_ok {
        return None;
    }
    ws.normalize();
    Some(ws)
}

fn is_syntax(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Syntax { .. } | StoreError::Utf8 { .. } | StoreError::Empty { .. }
    )
}

/// The loader and serde_json agree on `bytes`.
fn agree(bytes: &[u8]) -> Result<(), TestCaseError> {
    let ours = store::parse(Path::new("w.json"), bytes);
    // The one documented exception: a byte order mark at the very start is read past.
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let theirs = reference(body);
    let json_ok = serde_json::from_slice::<serde_json::Value>(body).is_ok();
    match (&ours, &theirs) {
        (Ok(a), Some(b)) => prop_assert_eq!(a, b),
        (Err(e), None) => {
            // A syntax error is claimed only for what serde_json calls one.
            prop_assert!(!json_ok || !is_syntax(e), "{e} for valid JSON");
            prop_assert!(e.to_string().contains("w.json"), "{e}");
        }
        (Ok(_), None) => prop_assert!(false, "loaded what serde_json refuses (json ok: {json_ok})"),
        (Err(e), Some(_)) => prop_assert!(false, "refused what serde_json reads: {e}"),
    }
    Ok(())
}

/// One mutation of a text: what a torn write, an editor slip or a merge leaves.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Insert(usize, &'static str),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let token = prop::sample::select(vec![
        ",",
        ":",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "\\",
        " ",
        "\n",
        "\u{c}",
        "0",
        "-",
        "1e999",
        "e",
        ".",
        "null",
        "tru",
        "\"claims\": [],",
        "\"version\": 2,",
        "\"format\": 1,",
        "\"title\": \"t\",",
        "\"x\": 1,",
        "\u{0}",
        "\u{7f}",
        "\\u0000",
        "\\ud800",
        "NaN",
        "//",
        "'",
        "\u{feff}",
    ]);
    prop_oneof![
        any::<prop::sample::Index>().prop_map(|i| Mutation::Delete(i.index(usize::MAX))),
        (any::<prop::sample::Index>(), token)
            .prop_map(|(i, t)| Mutation::Insert(i.index(usize::MAX), t)),
        (any::<prop::sample::Index>(), 1..200usize)
            .prop_map(|(i, n)| Mutation::Duplicate(i.index(usize::MAX), n)),
        any::<prop::sample::Index>().prop_map(|i| Mutation::Truncate(i.index(usize::MAX))),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
        match *m {
            Mutation::Delete(i) if !bytes.is_empty() => {
                bytes.remove(at(i, bytes.len()));
            }
            Mutation::Insert(i, t) => {
                let p = at(i, bytes.len() + 1);
                bytes.splice(p..p, t.bytes());
            }
            Mutation::Duplicate(i, n) if !bytes.is_empty() => {
                let p = at(i, bytes.len());
                let end = (p + n).min(bytes.len());
                let copy = bytes[p..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Mutation::Truncate(i) => bytes.truncate(at(i, bytes.len() + 1)),
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Mutated real workspaces: the sample with unknown fields at every level.
    #[test]
    fn the_loader_agrees_with_serde_json_on_mutated_workspaces(
        mutations in prop::collection::vec(mutation(), 1..4),
        which in 0..3usize,
    ) {
        let seeds = [rich_workspace(), small_sample().to_string(), minimal()];
        agree(&mutate(seeds[which].clone().into_bytes(), &mutations))?;
    }

    /// Arbitrary bytes and arbitrary JSON-ish text.
    #[test]
    fn the_loader_agrees_with_serde_json_on_arbitrary_input(
        bytes in prop::collection::vec(any::<u8>(), 0..64),
        text in "[ \\t\\n{}\\[\\]\",:0-9a-z\\\\.eE+-]{0,80}",
    ) {
        agree(&bytes)?;
        agree(format!("{{\"format\":\"{FORMAT}\",\"version\":1,{text}").as_bytes())?;
    }
}

fn minimal() -> String {
    format!(
        r#"{{"format": "{FORMAT}", "version": 1, "claims": [{{"id": "a", "title": "A", "updates": [{{"at": "2026-01-01T00:00:00Z", "status": "in_progress", "body": "b"}}]}}, {{"id": "b", "title": "B"}}]}}"#
    )
}

/// The forms the loader once accepted, and their kin: each is refused by `Disk::open` (the
/// app's and every command's way in), names the file, and leaves it byte for byte, with no
/// lock or journal left beside it.
#[test]
fn invalid_workspaces_are_refused_through_disk_open_and_left_as_they_were() {
    let claim = r#"{"id": "a", "title": "A"}"#;
    let other = r#"{"id": "b", "title": "B"}"#;
    let head = format!(r#""format": "{FORMAT}", "version": 1"#);
    let cases: Vec<(String, &str)> = vec![
        (format!("{{{head}, \"claims\": [{claim} {other}]}}"), ":1:"),
        (format!("{{{head}, \"claims\": [{claim},]}}"), ":1:"),
        (format!("{{,,{head}, \"claims\": []}}"), ":1:"),
        (
            format!(r#"{{"format": "{FORMAT}" "version": 1, "claims": []}}"#),
            ":1:",
        ),
        (
            format!("{{{head}, \"claims\": [{claim}], \"claims\": [{other}]}}"),
            "duplicate field `claims`",
        ),
        (
            format!(r#"{{"format": "{FORMAT}", "version": 2, "version": 1, "claims": []}}"#),
            "duplicate field `version`",
        ),
        (format!("{{{head}, \"claims\": [],}}"), ":1:"),
        (
            format!("{{{head}, \"claims\": []}} x"),
            "trailing characters",
        ),
        (
            format!("{{{head}, \"claims\": []}}\u{c}"),
            "trailing characters",
        ),
        (
            format!(
                "{{{head}, \"claims\": [{{\"id\": \"a\", \"title\": \"A\", \"title\": \"B\"}}]}}"
            ),
            "duplicate field `title`",
        ),
        (
            format!(
                "{{{head}, \"claims\": [{{\"id\": \"a\", \"title\": \"A\", \"x\": 1, \"x\": 2}}]}}"
            ),
            "duplicate field `x`",
        ),
        (
            format!(
                "{{{head}, \"claims\": [{{\"id\": \"a\", \"title\": \"A\", \"updates\": [{{\"at\": \"2026-01-01T00:00:00Z\", \"status\": \"s\", \"status\": \"t\"}}]}}]}}"
            ),
            "claims[0].updates[0]",
        ),
        (
            format!("{{{head}, \"x\": 1, \"x\": 2, \"claims\": []}}"),
            "duplicate field `x`",
        ),
        (
            format!("{{{head}, \"x\": 1e400, \"claims\": []}}"),
            "out of range",
        ),
        (
            format!(
                "{{{head}, \"x\": {}1{}, \"claims\": []}}",
                "[".repeat(127),
                "]".repeat(127)
            ),
            "nested",
        ),
        (
            format!("{{{head}, \"claims\": [{{\"id\": \"\", \"title\": \"A\"}}]}}"),
            "claims[0].id",
        ),
        (
            format!("{{{head}, \"claims\": [{claim}, {claim}]}}"),
            "used twice",
        ),
        (
            format!("{{{head}, \"claims\": [{{\"id\": \"a\", \"title\": 'A'}}]}}"),
            ":1:",
        ),
        (format!("{{{head}, \"claims\": [01]}}"), ":1:"),
        (format!("{{{head}, \"claims\": [\"\\x\"]}}"), ":1:"),
        (format!("{{{head}, \"claims\": [\"\u{1}\"]}}"), ":1:"),
        (format!("{{{head}, /* c */ \"claims\": []}}"), ":1:"),
        (format!("{{{head}, \"claims\": [NaN]}}"), ":1:"),
    ];
    let dir = tempfile::tempdir().expect("dir");
    for (i, (text, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("case{i}.json"));
        std::fs::write(&path, text).expect("write");
        assert!(
            serde_json::from_str::<serde_json::Value>(text).is_err()
                || expected.contains(' ')
                || expected.starts_with("claims"),
            "case {i} is valid JSON but not expected as a shape error: {text}"
        );
        let err = Disk::open(&path, Access::Write, None).expect_err(text);
        let said = err.to_string();
        assert!(
            said.contains(&format!("case{i}.json")) && said.contains(expected),
            "case {i}: {said}\n{text}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            *text,
            "case {i} unchanged"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&format!("case{i}.json.")))
            .collect();
        assert!(left.is_empty(), "case {i} left {left:?}");
    }
}

/// A syntax error inside a claim is reported where it is in the file, not in the claim.
#[test]
fn errors_inside_a_claim_give_the_line_and_column_in_the_file() {
    let text = format!(
        "{{\n  \"format\": \"{FORMAT}\",\n  \"version\": 1,\n  \"claims\": [\n    {{\"id\": \"a\", \"title\": \"A\"}},\n    {{\"id\": \"b\", \"title\": 5}}\n  ]\n}}\n"
    );
    let err = store::parse(Path::new("w.json"), text.as_bytes()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "w.json:6:26: field claims[1].title: invalid type: integer `5`, expected a string"
    );
    // Where a one-pass read of the whole file says it is.
    let whole = serde_json::from_str::<Workspace>(&text).expect_err("refused");
    assert_eq!((whole.line(), whole.column()), (6, 26));
}

/// Unknown fields come back out exactly: numbers of any size and precision, nesting,
/// non-ASCII text, through a load and a save by the app's own path.
#[test]
fn unknown_fields_survive_a_load_and_a_save_exactly() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("w.json");
    std::fs::write(&path, rich_workspace()).expect("write");
    let mut opened = Disk::open(&path, Access::Write, None).expect("opens");
    opened.disk.save(&opened.workspace).expect("saves");
    let saved = std::fs::read_to_string(&path).expect("read");
    for exact in [
        "123456789012345678901234567890",
        "-9223372036854775809",
        "0.10000000000000000555",
        "\"1.000000000000000000001\"",
        "1e-400",
        "1.5E+300",
        "-0.0",
    ] {
        assert!(saved.contains(exact), "{exact} is kept as written");
    }
    let before: serde_json::Value = serde_json::from_str(&rich_workspace()).expect("json");
    let after: serde_json::Value = serde_json::from_str(&saved).expect("json");
    assert_eq!(before["x-top"], after["x-top"]);
    assert_eq!(
        before["claims"][0]["x-claim"],
        after["claims"][0]["x-claim"]
    );
}

/// The deepest file serde_json reads loads, and a save of it loads again; one level more
/// is refused on both sides (the loader, and a save that would write it).
#[test]
fn nesting_has_the_same_limit_on_both_sides() {
    let deep = |levels: usize| {
        format!(
            "{{\"format\": \"{FORMAT}\", \"version\": 1, \"claims\": [{{\"id\": \"a\", \"title\": \"A\", \"x\": {}{}}}]}}",
            "[".repeat(levels),
            "]".repeat(levels)
        )
    };
    // The claim sits 3 deep: its field may hold 124 more levels.
    let ok = deep(124);
    assert!(serde_json::from_str::<serde_json::Value>(&ok).is_ok());
    let ws = store::parse(Path::new("w.json"), ok.as_bytes()).expect("loads");
    let bytes = store::to_bytes(&ws).expect("saves");
    store::parse(Path::new("w.json"), &bytes).expect("what a save writes loads");
    let too = deep(125);
    assert!(serde_json::from_str::<serde_json::Value>(&too).is_err());
    let err = store::parse(Path::new("w.json"), too.as_bytes()).expect_err("refused");
    assert!(err.to_string().contains("nested more than 127"), "{err}");
    // A save that would write it is refused, not written.
    let mut ws = ws;
    let deeper: serde_json::Value =
        serde_json::from_str(&format!("{}{}", "[".repeat(125), "]".repeat(125))).expect("json");
    ws.claims[0].extra.insert("x", &deeper);
    let err = store::to_bytes(&ws).expect_err("refused");
    assert!(err.to_string().contains("at most 127"), "{err}");
}

/// A claim of any size loads: one update body of 17 MB and one unknown field of 100 MB,
/// through `Disk::open`, the same as read whole.
#[test]
fn claims_of_any_size_load() {
    let dir = tempfile::tempdir().expect("dir");
    for (name, size) in [("17mb.json", 17 << 20), ("100mb.json", 100 << 20)] {
        let path = dir.path().join(name);
        let big = "word ".repeat(size / 5);
        let text = format!(
            "{{\"format\": \"{FORMAT}\", \"version\": 1, \"claims\": [{{\"id\": \"a\", \"title\": \"A\", \"x\": \"{big}\", \"updates\": [{{\"at\": \"2026-01-01T00:00:00Z\", \"status\": \"in_progress\", \"body\": \"{big}\"}}]}}, {{\"id\": \"b\", \"title\": \"B\"}}]}}"
        );
        std::fs::write(&path, &text).expect("write");
        let mut reads = Vec::new();
        let opened = Disk::open_with_progress(&path, Access::ReadOnly, None, |n| reads.push(n))
            .expect("a big claim loads");
        assert_eq!(opened.workspace.claims.len(), 2);
        assert_eq!(opened.workspace.claims[0].updates[0].body.len(), big.len());
        assert_eq!(
            reads.last().copied(),
            Some(text.len() as u64),
            "progress reaches the end"
        );
    }
}

/// Junk is refused from its first chunk: the file is not read whole.
#[test]
fn junk_is_refused_without_being_read_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("junk.json");
    // 1 GB that takes no disk: a sparse file of zeros.
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(1 << 30).expect("sparse");
    drop(file);
    let mut most = 0;
    let err = Disk::open_with_progress(&path, Access::Write, None, |n| most = most.max(n))
        .expect_err("refused");
    assert!(err.to_string().contains("junk.json:1:1"), "{err}");
    assert!(most <= 8 << 20, "read {most} bytes of junk");
    // Text that is not JSON either.
    std::fs::write(&path, "x".repeat(20 << 20)).expect("write");
    let mut most = 0;
    Disk::open_with_progress(&path, Access::Write, None, |n| most = most.max(n))
        .expect_err("refused");
    assert!(most <= 8 << 20, "read {most} bytes of junk");
}

/// `import /dev/zero` (and any file that is not text) stops at once with a clear error.
#[test]
fn import_of_a_device_or_a_binary_file_stops() {
    let home = tempfile::tempdir().expect("home");
    let ws = home.path().join("w.json");
    let out = common::command_in(home.path())
        .args(["import", "/dev/zero", "-w"])
        .arg(&ws)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/dev/zero") && err.contains("not text"),
        "{err}"
    );
    assert!(!ws.exists(), "nothing written");
}
