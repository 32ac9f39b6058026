//! Importing the tracker's database exports: both Extended JSON modes, one document a
//! line and `--jsonArray`, mapped field by field; unknown fields kept on the records.

mod common;

use claimdesk::import;
use claimdesk::model::{FollowUpState, Workspace};
use common::*;
use serde_json::json;

fn import_folder(mode: &str) -> Workspace {
    let mut inputs = Vec::new();
    for name in ["silver_followups", "silver_updates", "silver_claims"] {
        let path = format!("tests/fixtures/mongo/{mode}/{name}.json");
        let bytes = std::fs::read(fixture(&path)).expect("fixture");
        inputs.push(read_input(&path, &bytes).expect("reads"));
    }
    let mut ws = Workspace::default();
    import::merge(&mut ws, import::assemble(inputs).expect("assembles")).expect("merges");
    ws
}

#[test]
fn relaxed_lines_and_canonical_arrays_import_the_same() {
    let relaxed = import_folder("relaxed");
    let canonical = import_folder("canonical");
    assert_eq!(relaxed, canonical);
}

#[test]
fn claims_are_mapped_field_by_field() {
    let ws = import_folder("canonical");
    assert_eq!(ws.claims.len(), 2);
    let c = ws
        .claim("65a1f0c2e4b0a1b2c3d4e5f6")
        .expect("ObjectId becomes the id");
    assert_eq!(
        c.title,
        "Officials discussed the need for stronger U.S.-Mexico cooperation to dismantle violent narcoterrorist networks."
    );
    assert_eq!(c.kind.as_deref(), Some("promise"));
    assert_eq!(
        c.completion_condition.as_deref(),
        Some("Networks dismantled and a measurable drop in fentanyl and weapons trafficking.")
    );
    assert_eq!(
        c.completion_due.map(|d| d.to_string()).as_deref(),
        Some("2026-01-23")
    );
    assert_eq!(
        c.article.published.map(|d| d.to_string()).as_deref(),
        Some("2026-01-12")
    );
    assert!(
        c.article
            .url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://www.state.gov/"))
    );
    assert_eq!(c.priority.as_deref(), Some("high"));
    // Fields the workspace has no place for stay on the claim, under `tracker`.
    let tracker = &c.extra.value("tracker").expect("kept under tracker");
    assert_eq!(tracker["mechanism"], "directive");
    assert_eq!(
        tracker["verbatim_claim"],
        "the need for stronger cooperation to dismantle Mexico's violent narcoterrorist networks"
    );
    assert_eq!(tracker["slug"], "us-mexico-security-cooperation");
    assert_eq!(tracker["date_past"], true);
    assert_eq!(tracker["event_date"], serde_json::Value::Null);

    let other = ws.claim("65a1f0c2e4b0a1b2c3d4e5f7").expect("second claim");
    assert_eq!(other.kind.as_deref(), Some("goal"));
    assert_eq!(other.completion_due, None);
}

#[test]
fn updates_and_follow_ups_are_mapped_exactly() {
    let ws = import_folder("relaxed");
    let c = ws.claim("65a1f0c2e4b0a1b2c3d4e5f6").expect("claim");
    assert_eq!(c.updates.len(), 3);
    let first = &c.updates[0];
    assert_eq!(first.at.to_rfc3339(), "2026-01-12T10:29:00+00:00");
    assert_eq!(first.status, "in_progress");
    assert_eq!(
        &*first.body,
        "The claim stated that officials discussed the need for stronger cooperation.\n\nEvidence of progress: a joint statement on January 15, 2026."
    );
    assert_eq!(
        first.sources,
        ["https://www.state.gov/a", "https://www.reuters.com/b"]
    );
    assert_eq!(
        first.suggested_follow_up.map(|d| d.to_string()).as_deref(),
        Some("2026-02-20")
    );
    assert_eq!(
        first.extra.value("tracker").expect("kept under tracker")["_id"],
        "65a2000000000000000000a1"
    );
    // Milliseconds survive; unknown model_output fields are kept.
    let second = &c.updates[1];
    assert_eq!(second.at.to_rfc3339(), "2026-01-19T04:12:00.500+00:00");
    assert_eq!(second.status, "complete");
    assert_eq!(
        second.extra.value("tracker").expect("kept under tracker")["model_output"]["confidence"],
        0.4
    );
    // A plain-string model_output is the body.
    assert_eq!(
        &*c.updates[2].body,
        "A plain-text model output: work continues."
    );
    assert!(c.updates[2].sources.is_empty());

    assert_eq!(c.follow_ups.len(), 2);
    assert_eq!(
        c.follow_ups[0].state,
        FollowUpState::Done,
        "processed_at is set"
    );
    assert_eq!(
        c.follow_ups[0]
            .extra
            .value("tracker")
            .expect("kept under tracker")["processed_update_id"],
        "65a2000000000000000000a2"
    );
    assert_eq!(
        c.follow_ups[1].state,
        FollowUpState::Scheduled,
        "processed_at is null"
    );
    let other = ws.claim("65a1f0c2e4b0a1b2c3d4e5f7").expect("claim");
    assert_eq!(other.updates[0].status, "failed");
    assert_eq!(
        other.follow_ups[0].state,
        FollowUpState::Scheduled,
        "no processed_at"
    );
}

#[test]
fn updates_alone_attach_to_the_workspace_claim_or_are_refused() {
    let mut ws = import_folder("relaxed");
    let extra = json!({"_id": {"$oid": "65a2000000000000000000a9"}, "claim_id": {"$oid": "65a1f0c2e4b0a1b2c3d4e5f6"},
        "verdict": "failed", "created_at": {"$date": "2026-03-01T00:00:00Z"}, "model_output": "Abandoned."});
    let input = read_input("more.json", extra.to_string().as_bytes()).expect("reads");
    let summary =
        import::merge(&mut ws, import::assemble(vec![input]).expect("assembles")).expect("merges");
    assert_eq!((summary[0].updates_new, summary[0].updates_total), (1, 4));

    let orphan = json!({"claim_id": {"$oid": "ffffffffffffffffffffffff"}, "verdict": "complete",
        "created_at": {"$date": "2026-03-01T00:00:00Z"}, "model_output": "x"});
    let before = ws.clone();
    let input = read_input("orphan.json", orphan.to_string().as_bytes()).expect("reads");
    let err = import::merge(&mut ws, import::assemble(vec![input]).expect("assembles"))
        .expect_err("refused");
    assert!(
        err.to_string()
            .contains("neither in the export's claims nor in the workspace"),
        "{err}"
    );
    assert_eq!(ws, before, "a refused merge changes nothing");
}

#[test]
fn bad_documents_name_their_line_and_number() {
    let text = "{\"claim\": \"ok\", \"_id\": {\"$oid\": \"65a1f0c2e4b0a1b2c3d4e5f6\"}}\n{\"claim_id\": \"x\", \"verdict\": \"complete\", \"created_at\": \"not a time\"}\n";
    let input = read_input("u.json", text.as_bytes()).expect("reads");
    let err = import::assemble(vec![input]).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "u.json:2 (document 2): update has no valid `created_at` timestamp"
    );

    let err = read_input("t.json", b"[{\"claim\": \"a\"},\n {\"claim\": ]")
        .map(|_| ())
        .expect_err("syntax");
    assert!(
        err.to_string().starts_with("t.json:2: not valid JSON"),
        "{err}"
    );
}
