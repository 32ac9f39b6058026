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
    // Stored 10:29Z: the tracker's clock is 5 hours fast.
    assert_eq!(first.at.to_rfc3339(), "2026-01-12T05:29:00+00:00");
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
    assert_eq!(second.at.to_rfc3339(), "2026-01-18T23:12:00.500+00:00");
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

/// The binary's `import` of `files` into `ws` (hermetic in its folder); its summary.
fn import_cli(ws: &std::path::Path, files: &[&std::path::Path], extra: &[&str]) -> String {
    import_ok(ws.parent().expect("folder"), ws, files, extra)
}

/// Documents as the tracker writes them (`update_promises.py`, `claim_process.py`): a
/// follow-up it processed carries `model_output`, `claim_text`, `created_at`, `lm_log`,
/// `processed_at` and `processed_update_id`; dates are midnight UTC−05:00.
const CLAIM: &str = r#"{"_id": {"$oid": "65a1f0c2e4b0a1b2c3d4e5f6"}, "claim": "Officials will meet weekly.", "type": "promise", "completion_condition_date": {"$date": "2026-03-01T05:00:00Z"}, "article_date": {"$date": "2026-01-12T05:00:00Z"}}"#;
const UPDATE: &str = r#"{"_id": {"$oid": "65a2000000000000000000a1"}, "claim_id": {"$oid": "65a1f0c2e4b0a1b2c3d4e5f6"}, "verdict": "in_progress", "created_at": {"$date": "2026-02-13T14:42:07.123Z"}, "model_output": {"text": "Weekly meetings continue.", "sources": [], "follow_up_date": {"$date": "2026-02-20T05:00:00Z"}}}"#;
const FOLLOW_UP: &str = r#"{"_id": {"$oid": "65a3000000000000000000f1"}, "claim_id": {"$oid": "65a1f0c2e4b0a1b2c3d4e5f6"}, "claim_text": "Officials will meet weekly.", "follow_up_date": {"$date": "2026-02-20T05:00:00Z"}, "created_at": {"$date": "2026-02-13T19:42:07Z"}, "model_output": {"text": "The meeting of Feb 19 took place.", "sources": ["https://www.state.gov/x"], "follow_up_date": null}, "lm_log": [{"role": "user", "content": "check"}], "processed_at": {"$date": "2026-02-20T09:10:00Z"}, "processed_update_id": {"$oid": "65a2000000000000000000a2"}}"#;

#[test]
fn real_follow_up_documents_are_follow_ups_by_their_fields_or_their_file_name() {
    let dir = tempdir();
    let claims = dir.path().join("silver_claims.json");
    std::fs::write(&claims, format!("{CLAIM}\n")).expect("write");
    // Mixed in one file: told apart by their own fields.
    let mixed = dir.path().join("export.json");
    std::fs::write(&mixed, format!("{UPDATE}\n{FOLLOW_UP}\n")).expect("write");
    let ws = dir.path().join("w.json");
    import_cli(&ws, &[&claims, &mixed], &[]);
    let saved = claimdesk::store::load(&ws).expect("loads");
    let c = saved.claim("65a1f0c2e4b0a1b2c3d4e5f6").expect("claim");
    assert_eq!((c.updates.len(), c.follow_ups.len()), (1, 1));
    let f = &c.follow_ups[0];
    assert_eq!(
        (f.date.to_string(), f.state),
        ("2026-02-20".into(), FollowUpState::Done)
    );
    let tracker = f.extra.value("tracker").expect("kept");
    assert_eq!(
        tracker["model_output"]["text"],
        "The meeting of Feb 19 took place."
    );
    assert_eq!(tracker["lm_log"][0]["role"], "user");

    // A follow-up document without its date field is one still by its file name.
    let dateless = FOLLOW_UP.replace(
        r#""follow_up_date": {"$date": "2026-02-20T05:00:00Z"}, "#,
        "",
    );
    let followups = dir.path().join("silver_followups.json");
    std::fs::write(&followups, format!("{dateless}\n")).expect("write");
    let err = command_in(dir.path())
        .args(["import"])
        .arg(&followups)
        .arg("-w")
        .arg(&ws)
        .output()
        .expect("runs");
    assert!(
        stderr(&err).contains("follow-up has no `follow_up_date`"),
        "taken for a follow-up, not an update: {}",
        stderr(&err)
    );
}

#[test]
fn the_trackers_fast_clock_is_corrected_and_said_unless_kept_as_stored() {
    let dir = tempdir();
    let export = dir.path().join("export.json");
    std::fs::write(&export, format!("{CLAIM}\n{UPDATE}\n{FOLLOW_UP}\n")).expect("write");
    let ws = dir.path().join("w.json");
    let said = import_cli(&ws, &[&export], &[]);
    assert!(said.contains("moved back 5 hours"), "{said}");
    let saved = claimdesk::store::load(&ws).expect("loads");
    let c = saved.claim("65a1f0c2e4b0a1b2c3d4e5f6").expect("claim");
    // Stored 14:42:07.123Z = real 09:42:07.123Z; dates stored at 05:00Z are those dates.
    assert_eq!(
        c.updates[0].at.to_rfc3339(),
        "2026-02-13T09:42:07.123+00:00"
    );
    assert_eq!(
        c.updates[0]
            .suggested_follow_up
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-02-20")
    );
    assert_eq!(
        c.completion_due.map(|d| d.to_string()).as_deref(),
        Some("2026-03-01")
    );
    assert_eq!(
        c.article.published.map(|d| d.to_string()).as_deref(),
        Some("2026-01-12")
    );
    assert_eq!(c.follow_ups[0].date.to_string(), "2026-02-20");

    // Kept as stored, on request.
    let raw = dir.path().join("raw.json");
    let said = import_cli(&raw, &[&export], &["--as-stored-clock"]);
    assert!(said.contains("taken as stored"), "{said}");
    let saved = claimdesk::store::load(&raw).expect("loads");
    let c = saved.claim("65a1f0c2e4b0a1b2c3d4e5f6").expect("claim");
    assert_eq!(
        c.updates[0].at.to_rfc3339(),
        "2026-02-13T14:42:07.123+00:00"
    );
    assert_eq!(
        c.completion_due.map(|d| d.to_string()).as_deref(),
        Some("2026-03-01")
    );

    // A workspace imported with the stored clock, imported again corrected: the same
    // updates, moved to the corrected time, not added twice.
    let said = import_cli(&raw, &[&export], &[]);
    assert!(said.contains("1 update imported before"), "{said}");
    let saved = claimdesk::store::load(&raw).expect("loads");
    let c = saved.claim("65a1f0c2e4b0a1b2c3d4e5f6").expect("claim");
    assert_eq!(c.updates.len(), 1);
    assert_eq!(
        c.updates[0].at.to_rfc3339(),
        "2026-02-13T09:42:07.123+00:00"
    );
}

#[test]
fn timestamps_the_trackers_tools_write_are_read() {
    let dir = tempdir();
    let forms = [
        // An EST-aware value: its figures are the real UTC time.
        (
            r#"{"$date": "2026-02-13T09:42:07.123-0500"}"#,
            "2026-02-13T09:42:07.123+00:00",
        ),
        // No zone (the older `utcnow().isoformat()` / `str(utcnow())`): real UTC.
        (r#""2026-02-13 09:42:07""#, "2026-02-13T09:42:07+00:00"),
        (
            r#""2026-02-13T09:42:07.5""#,
            "2026-02-13T09:42:07.500+00:00",
        ),
        // Legacy Extended JSON: milliseconds since the epoch, stored 5 hours fast.
        (r#"{"$date": 1771011727000}"#, "2026-02-13T14:42:07+00:00"),
    ];
    for (i, (form, expected)) in forms.iter().enumerate() {
        let doc = UPDATE.replace(r#"{"$date": "2026-02-13T14:42:07.123Z"}"#, form);
        let export = dir.path().join(format!("e{i}.json"));
        std::fs::write(&export, format!("{CLAIM}\n{doc}\n")).expect("write");
        let ws = dir.path().join(format!("w{i}.json"));
        import_cli(&ws, &[&export], &[]);
        let saved = claimdesk::store::load(&ws).expect("loads");
        let at = saved.claims[0].updates[0].at.to_rfc3339();
        assert_eq!(&at, expected, "{form}");
    }
}

/// An update document with this `model_output` (JSON) and `verdict` (JSON, or none).
fn update_doc(n: usize, model_output: &str, verdict: Option<&str>) -> String {
    let verdict = verdict.map_or(String::new(), |v| format!(r#""verdict": {v}, "#));
    format!(
        r#"{{"_id": {{"$oid": "65a20000000000000000{n:04}"}}, "claim_id": {{"$oid": "65a1f0c2e4b0a1b2c3d4e5f6"}}, {verdict}"created_at": {{"$date": "2026-02-1{n}T14:00:00Z"}}, "model_output": {model_output}}}"#
    )
}

/// Imports `docs` (one a line, after the claim) and returns the claim and the summary.
fn import_docs(docs: &[String]) -> (claimdesk::model::Claim, String) {
    let dir = tempdir();
    let export = dir.path().join("export.json");
    std::fs::write(&export, format!("{CLAIM}\n{}\n", docs.join("\n"))).expect("write");
    let ws = dir.path().join("w.json");
    let said = import_cli(&ws, &[&export], &[]);
    let saved = claimdesk::store::load(&ws).expect("loads");
    (saved.claims[0].clone(), said)
}

#[test]
fn a_string_model_output_is_read_as_the_page_reads_it() {
    // The tracker's fallback: its model's raw JSON, then a `Sources:` list.
    let raw = concat!(
        r#"{"verdict": "in_progress", "text": "Talks continue.\n\nFollow-up: 2026-02-29", "follow_up_date": "2026-02-29"}"#,
        "\n\nSources:\n- State Department https://www.state.gov/a\n- Reuters https://www.reuters.com/b"
    );
    let docs = [
        update_doc(
            1,
            &serde_json::to_string(raw).expect("json"),
            Some(r#""in_progress""#),
        ),
        update_doc(
            2,
            r#""error calling run_with_search""#,
            Some(r#""in_progress""#),
        ),
    ];
    let (c, said) = import_docs(&docs);
    let u = &c.updates[0];
    assert_eq!(&*u.body, "Talks continue.\n\nFollow-up: 2026-02-29");
    assert_eq!(
        u.sources,
        ["https://www.state.gov/a", "https://www.reuters.com/b"]
    );
    assert_eq!(u.suggested_follow_up, None);
    assert!(
        said.contains("document 2: body was the tracker's raw JSON output"),
        "{said}"
    );
    assert!(
        said.contains("follow-up date 2026-02-29 does not exist"),
        "{said}"
    );
    assert_eq!(&*c.updates[1].body, "error calling run_with_search");

    // The same text on a claim page gives the same update.
    let page = format!("Update · Feb 11, 2026, 02:00 PMin_progress\n{raw}\n");
    let input = import::read(
        "000_65a1f0c2e4b0a1b2.txt",
        &page,
        &import::Options {
            id: Some("x".into()),
            ..Default::default()
        },
    )
    .expect("reads");
    let incoming = import::assemble(vec![input]).expect("assembles");
    let p = &incoming[0].claim.updates[0];
    assert_eq!(
        (&p.body, &p.sources, p.suggested_follow_up),
        (&u.body, &u.sources, None)
    );
}

#[test]
fn statuses_are_the_trackers_words_and_a_contradicting_text_is_recorded() {
    let text = |t: &str| serde_json::to_string(&serde_json::json!({ "text": t })).expect("json");
    // The keyword classifier said complete ("met"); the model's own JSON says otherwise.
    let contradicted = serde_json::to_string(
        r#"{"verdict": "in_progress", "text": "The target was not met yet."}"#,
    )
    .expect("json");
    let docs = [
        update_doc(1, &contradicted, Some(r#""complete""#)),
        update_doc(2, &text("No status here."), None),
        update_doc(3, &text("Copied from the page."), Some(r#""IN_PROGRESS""#)),
        update_doc(4, &text("A fact-check."), Some(r#""Misleading""#)),
        update_doc(5, &text("Another."), Some(r#""Tech Error""#)),
    ];
    let (c, said) = import_docs(&docs);
    let status: Vec<&str> = c.updates.iter().map(|u| u.status.as_str()).collect();
    assert_eq!(
        status,
        [
            "complete",
            "unknown",
            "in_progress",
            "Misleading",
            "Tech Error"
        ]
    );
    assert_eq!(
        c.updates[0].extra.value("status_in_text"),
        Some(serde_json::json!("in_progress"))
    );
    assert!(c.updates[2].extra.value("status_in_text").is_none());
    assert!(
        said.contains("document 2: status complete kept; the update's own text says in_progress"),
        "{said}"
    );
    assert!(
        said.contains("document 3: update has no status word; imported as `unknown`"),
        "{said}"
    );
    assert!(
        said.contains("status \"Misleading\" is not one of the tracker's"),
        "{said}"
    );
}

#[test]
fn markdown_bodies_read_as_their_page_shows_them_and_merge_with_it() {
    let markdown = "Officials discussed cooperation with [Mexico](https://en.wikipedia.org/wiki/Mexico) to stop trafficking.\n\n**Milestones:**\n\n- January 15, 2026 — a joint statement by the [State Department](https://www.state.gov/a).\n- January 23, 2026 — a *second* meeting.";
    let output = serde_json::json!({ "text": markdown, "sources": ["https://www.reuters.com/b"] });
    let doc = update_doc(1, &output.to_string(), Some(r#""in_progress""#));
    let dir = tempdir();
    let export = dir.path().join("export.json");
    std::fs::write(&export, format!("{CLAIM}\n{doc}\n")).expect("write");
    let ws = dir.path().join("w.json");
    import_cli(&ws, &[&export], &[]);
    let saved = claimdesk::store::load(&ws).expect("loads");
    let u = &saved.claims[0].updates[0];
    assert_eq!(
        &*u.body,
        "Officials discussed cooperation with Mexico to stop trafficking.\n\nMilestones:\n\n- January 15, 2026 — a joint statement by the State Department.\n\n- January 23, 2026 — a second meeting."
    );
    // The encyclopedia link is not a source; the link to the evidence is.
    assert_eq!(
        u.sources,
        ["https://www.reuters.com/b", "https://www.state.gov/a"]
    );
    // The page shows the same update rendered, its lines broken at the links.
    let page = dir.path().join("page.txt");
    std::fs::write(
        &page,
        "Update · Feb 11, 2026, 02:00 PMin_progress\nOfficials discussed cooperation with\nMexico\nto stop trafficking.\nMilestones:\n- January 15, 2026 — a joint statement by the\nState Department\n.\n- January 23, 2026 — a second meeting.\nhttps://www.reuters.com/b\n",
    )
    .expect("write");
    let said = import_cli(&ws, &[&page], &["--id", "65a1f0c2e4b0a1b2c3d4e5f6"]);
    let saved = claimdesk::store::load(&ws).expect("loads");
    assert_eq!(
        saved.claims[0].updates.len(),
        1,
        "one update, recognised: {said}"
    );
}

/// A relaxed Extended JSON value in canonical form (`$date` as `$numberLong`
/// milliseconds, numbers wrapped) or in the legacy shell form (`$date` as a number).
fn reform(v: &serde_json::Value, canonical: bool) -> serde_json::Value {
    use serde_json::{Value, json};
    match v {
        Value::Object(m) if m.len() == 1 && m.contains_key("$date") => {
            let text = m["$date"].as_str().expect("relaxed $date");
            let t = chrono::DateTime::parse_from_rfc3339(text)
                .or_else(|_| chrono::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
                .expect("a date");
            let ms = t.timestamp_millis();
            if canonical {
                json!({ "$date": { "$numberLong": ms.to_string() } })
            } else {
                json!({ "$date": ms })
            }
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), reform(v, canonical)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| reform(v, canonical)).collect()),
        Value::Number(n) if canonical => match n.as_i64() {
            Some(i) => json!({ "$numberInt": i.to_string() }),
            None => json!({ "$numberDouble": n.to_string() }),
        },
        other => other.clone(),
    }
}

#[test]
fn relaxed_canonical_and_legacy_forms_in_lines_and_arrays_import_the_same() {
    let text = |t: &str| serde_json::json!({ "text": t }).to_string();
    let markdown = text(
        "Talks with [Mexico](https://en.wikipedia.org/wiki/Mexico) **continue**.\n\n- A [statement](https://www.state.gov/a).",
    );
    let raw = serde_json::to_string(
        "{\"verdict\": \"in_progress\", \"text\": \"Not met yet.\"}\n\nSources:\n- State https://www.state.gov/b",
    )
    .expect("json");
    let docs: Vec<String> = [
        CLAIM.to_owned(),
        UPDATE.to_owned(),
        FOLLOW_UP.to_owned(),
        update_doc(2, &markdown, Some(r#""IN_PROGRESS""#)),
        update_doc(3, &raw, Some(r#""complete""#)),
        update_doc(4, &text("No word."), None),
        update_doc(5, &text("Checked."), Some(r#""Misleading""#)),
    ]
    .into();
    let values: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| serde_json::from_str(d).expect("a document"))
        .collect();
    let lines = |vs: &[serde_json::Value]| {
        vs.iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let array = |vs: &[serde_json::Value]| {
        serde_json::to_string_pretty(&serde_json::Value::Array(vs.to_vec())).expect("json")
    };
    let canonical: Vec<_> = values.iter().map(|v| reform(v, true)).collect();
    let legacy: Vec<_> = values.iter().map(|v| reform(v, false)).collect();
    let forms = [
        ("relaxed lines", lines(&values)),
        ("relaxed array", array(&values)),
        ("canonical lines", lines(&canonical)),
        ("canonical array", array(&canonical)),
        ("legacy lines", lines(&legacy)),
        ("legacy array", array(&legacy)),
    ];
    let dir = tempdir();
    let mut first: Option<claimdesk::model::Workspace> = None;
    for (i, (form, content)) in forms.iter().enumerate() {
        let export = dir.path().join(format!("export{i}.json"));
        std::fs::write(&export, content).expect("write");
        let ws = dir.path().join(format!("w{i}.json"));
        import_cli(&ws, &[&export], &[]);
        let mut saved = claimdesk::store::load(&ws).expect("loads");
        saved.workspace_id = None;
        match &first {
            None => {
                let c = &saved.claims[0];
                assert_eq!(c.updates.len(), 5, "{form}");
                assert_eq!(c.follow_ups.len(), 1, "{form}");
                first = Some(saved);
            }
            Some(f) => assert!(
                f.claims == saved.claims,
                "{form} differs from the relaxed lines"
            ),
        }
    }
}

#[test]
fn a_statements_event_date_and_the_article_id_are_kept() {
    let claim = r#"{"_id": {"$oid": "65a1f0c2e4b0a1b2c3d4e5f6"}, "claim": "The agency issued the rule.", "type": "statement", "event_date": {"$date": "2026-01-09T05:00:00Z"}, "article_id": "65a0000000000000000000aa", "neutral_headline": "Agency issues rule", "completion_condition_date": null, "article_date": {"$date": "2026-01-12T05:00:00Z"}}"#;
    let dir = tempdir();
    let export = dir.path().join("silver_claims.json");
    std::fs::write(&export, format!("{claim}\n")).expect("write");
    let ws = dir.path().join("w.json");
    import_cli(&ws, &[&export], &[]);
    let saved = claimdesk::store::load(&ws).expect("loads");
    let tracker = saved.claims[0].extra.value("tracker").expect("kept");
    assert_eq!(tracker["event_date"], "2026-01-09T05:00:00Z");
    assert_eq!(tracker["article_id"], "65a0000000000000000000aa");
    assert_eq!(tracker["neutral_headline"], "Agency issues rule");
    assert_eq!(saved.claims[0].kind.as_deref(), Some("statement"));
    // No update states the claim: the neutral headline is the title.
    assert_eq!(saved.claims[0].title, "Agency issues rule");
}

/// `import` of the files named in `dir` into `ws`: the output, whatever it is.
fn import_any(dir: &std::path::Path, ws: &std::path::Path, files: &[&str]) -> std::process::Output {
    let paths: Vec<std::path::PathBuf> = files.iter().map(|f| dir.join(f)).collect();
    let paths: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    import_into(dir, ws, &paths, &[])
}

#[test]
fn a_claim_id_the_loader_would_refuse_is_refused_before_anything_is_written() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    std::fs::write(&ws, claimdesk::store::SAMPLE).expect("sample");
    let before = std::fs::read(&ws).expect("read");
    for (name, doc) in [
        ("empty.json", r#"{"_id": "", "claim": "C"}"#),
        ("empty-oid.json", r#"{"_id": {"$oid": ""}, "claim": "C"}"#),
        ("newline.json", r#"{"_id": "ab\ncd", "claim": "C"}"#),
        ("tab.json", r#"{"_id": "ab\tcd", "claim": "C"}"#),
    ] {
        std::fs::write(dir.path().join(name), doc).expect("write");
        let out = import_any(dir.path(), &ws, &[name]);
        assert!(!out.status.success(), "{name}: {}", stdout(&out));
        assert!(
            stderr(&out).contains(name) && stderr(&out).contains("`_id`: "),
            "{}",
            stderr(&out)
        );
        assert_eq!(std::fs::read(&ws).expect("read"), before, "{name}");
    }
    assert!(claimdesk::store::load(&ws).is_ok());
}

#[test]
fn overlapping_dumps_in_one_import_are_read_once() {
    let dir = tempdir();
    let twice = format!("{UPDATE}\n{FOLLOW_UP}\n{UPDATE}\n{FOLLOW_UP}\n");
    std::fs::write(dir.path().join("day1.json"), format!("{CLAIM}\n{twice}")).expect("write");
    std::fs::write(dir.path().join("day2.json"), &twice).expect("write");
    let ws = dir.path().join("w.json");
    let out = import_any(dir.path(), &ws, &["day1.json", "day2.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("given twice in this import; kept once"),
        "{}",
        stdout(&out)
    );
    let saved = claimdesk::store::load(&ws).expect("loads");
    let c = &saved.claims[0];
    assert_eq!((c.updates.len(), c.follow_ups.len()), (1, 1));
}

#[test]
fn in_a_workspace_imported_with_the_corrected_clock_an_update_5_hours_away_is_another() {
    let dir = tempdir();
    // Two tracker runs with the same body 5 hours apart: one from an export, one on a page.
    let export = r#"{"_id": {"$oid": "65a2000000000000000000f9"}, "claim_id": "abcdef0123456789", "verdict": "in_progress", "created_at": {"$date": "2026-02-13T19:42:00Z"}, "model_output": "error calling run_with_search"}"#;
    std::fs::write(
        dir.path().join("e.json"),
        format!("{{\"_id\": \"abcdef0123456789\", \"claim\": \"A claim.\"}}\n{export}\n"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("000_abcdef0123456789.txt"),
        "Update · Feb 13, 2026, 02:42 PMin_progress\nerror calling run_with_search\n",
    )
    .expect("write");
    let ws = dir.path().join("w.json");
    assert!(import_any(dir.path(), &ws, &["e.json"]).status.success());
    let out = import_any(dir.path(), &ws, &["000_abcdef0123456789.txt"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("imported before"),
        "{}",
        stdout(&out)
    );
    let saved = claimdesk::store::load(&ws).expect("loads");
    let mut at: Vec<String> = saved.claims[0]
        .updates
        .iter()
        .map(|u| u.at.to_rfc3339())
        .collect();
    at.sort();
    assert_eq!(
        at,
        ["2026-02-13T09:42:00+00:00", "2026-02-13T14:42:00+00:00"]
    );
    assert_eq!(
        saved.extra.value("tracker_clock"),
        Some(serde_json::json!("corrected"))
    );
}

#[test]
fn a_page_never_replaces_an_exports_body_so_alternating_imports_change_nothing() {
    let dir = tempdir();
    let md = r#"{"_id": {"$oid": "65a2000000000000000000c1"}, "claim_id": "abcdef0123456789", "verdict": "in_progress", "created_at": {"$date": "2026-02-13T19:42:00Z"}, "model_output": {"text": "Talks continued. [Mexico](https://en.wikipedia.org/wiki/Mexico) agreed.\n\n- [Reuters](https://reuters.com/x), Jan 15\n- [AP](https://apnews.com/y), Jan 16"}}"#;
    std::fs::write(
        dir.path().join("e.json"),
        format!("{{\"_id\": \"abcdef0123456789\", \"claim\": \"A claim.\"}}\n{md}\n"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("000_abcdef0123456789.txt"),
        "Update · Feb 13, 2026, 07:42 PMin_progress\nTalks continued.\nMexico agreed.\n-\nReuters, Jan 15\n-\nAP, Jan 16\n",
    )
    .expect("write");
    let ws = dir.path().join("w.json");
    assert!(import_any(dir.path(), &ws, &["e.json"]).status.success());
    let first = std::fs::read(&ws).expect("read");
    for file in [
        "000_abcdef0123456789.txt",
        "e.json",
        "000_abcdef0123456789.txt",
    ] {
        assert!(import_any(dir.path(), &ws, &[file]).status.success());
        let saved = claimdesk::store::load(&ws).expect("loads");
        assert_eq!(saved.claims[0].updates.len(), 1, "{file}");
        assert_eq!(
            &*saved.claims[0].updates[0].body,
            "Talks continued. Mexico agreed.\n\n- Reuters, Jan 15\n\n- AP, Jan 16",
            "{file}"
        );
    }
    assert_eq!(std::fs::read(&ws).expect("read"), first, "no churn");
}

#[test]
fn an_impossible_recommended_date_is_reported_and_a_verdict_makes_an_update() {
    let dir = tempdir();
    let bad_date = r#"{"_id": {"$oid": "65a2000000000000000000c2"}, "claim_id": "abcdef0123456789", "verdict": "in_progress", "created_at": {"$date": "2026-02-14T19:42:00Z"}, "model_output": {"text": "x", "follow_up_date": "2026-02-29"}}"#;
    let with_date = r#"{"_id": {"$oid": "65a2000000000000000000c3"}, "claim_id": "abcdef0123456789", "verdict": "complete", "follow_up_date": {"$date": "2026-03-10T05:00:00Z"}, "created_at": {"$date": "2026-02-15T19:42:00Z"}, "model_output": {"text": "Done."}}"#;
    std::fs::write(
        dir.path().join("cl.json"),
        r#"{"_id": "abcdef0123456789", "claim": "A claim."}"#,
    )
    .expect("write");
    std::fs::write(
        dir.path().join("silver_updates.json"),
        format!("{bad_date}\n{with_date}\n"),
    )
    .expect("write");
    let ws = dir.path().join("w.json");
    let out = import_any(dir.path(), &ws, &["cl.json", "silver_updates.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2026-02-29\" does not exist; ignored"),
        "{}",
        stdout(&out)
    );
    let saved = claimdesk::store::load(&ws).expect("loads");
    let c = &saved.claims[0];
    assert_eq!((c.updates.len(), c.follow_ups.len()), (2, 0));
    assert_eq!(c.updates[1].status, "complete");
}

#[test]
fn a_dry_run_leaves_nothing_beside_the_workspace() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    std::fs::write(&ws, claimdesk::store::SAMPLE).expect("sample");
    std::fs::write(dir.path().join("e.json"), format!("{CLAIM}\n{UPDATE}\n")).expect("write");
    let out = command_in(dir.path())
        .args(["import", "--dry-run"])
        .arg(dir.path().join("e.json"))
        .arg("-w")
        .arg(&ws)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("w.json"))
        .collect();
    names.sort();
    assert_eq!(names, ["w.json"]);
}

#[test]
fn an_exports_claim_replaces_a_title_a_page_guessed_but_never_a_reviewers() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("000_abcdef0123456789.txt"),
        "Update · Feb 13, 2026, 07:42 PMin_progress\nRestated claim: the talks go on.\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("cl.json"),
        r#"{"_id": "abcdef0123456789", "claim": "Officials will meet weekly."}"#,
    )
    .expect("write");
    let ws = dir.path().join("w.json");
    assert!(
        import_any(dir.path(), &ws, &["000_abcdef0123456789.txt"])
            .status
            .success()
    );
    let guessed = claimdesk::store::load(&ws).expect("loads").claims[0]
        .title
        .clone();
    assert_ne!(guessed, "Officials will meet weekly.");
    assert!(import_any(dir.path(), &ws, &["cl.json"]).status.success());
    assert_eq!(
        claimdesk::store::load(&ws).expect("loads").claims[0].title,
        "Officials will meet weekly."
    );
    // A title a reviewer gave stays.
    let mut w = claimdesk::store::load(&ws).expect("loads");
    w.claims[0].title = "Weekly meetings (desk wording)".into();
    claimdesk::store::save(&ws, &w).expect("saves");
    assert!(
        import_any(dir.path(), &ws, &["cl.json", "000_abcdef0123456789.txt"])
            .status
            .success()
    );
    assert_eq!(
        claimdesk::store::load(&ws).expect("loads").claims[0].title,
        "Weekly meetings (desk wording)"
    );
}

#[test]
fn only_web_addresses_are_sources() {
    let output = serde_json::json!({
        "text": "x",
        "sources": ["https://www.state.gov/a", "javascript:alert(1)", "ftp://x.org/f", "", 5, "https://"]
    });
    let (c, said) = import_docs(&[update_doc(1, &output.to_string(), Some(r#""in_progress""#))]);
    assert_eq!(c.updates[0].sources, ["https://www.state.gov/a"]);
    assert!(
        said.contains("5 entries in model_output.sources not a web address"),
        "{said}"
    );
    let kept = c.updates[0].extra.value("tracker").expect("kept");
    assert_eq!(kept["model_output"]["sources"][1], "javascript:alert(1)");
}

#[test]
fn the_markdown_inside_a_raw_json_body_is_read_as_markdown() {
    let raw = serde_json::to_string(
        r#"{"verdict": "in_progress", "text": "**Bold** and [Mexico](https://en.wikipedia.org/wiki/Mexico), per [State](https://www.state.gov/c)."}"#,
    )
    .expect("json");
    let (c, _) = import_docs(&[update_doc(1, &raw, Some(r#""in_progress""#))]);
    assert_eq!(&*c.updates[0].body, "Bold and Mexico, per State.");
    assert_eq!(c.updates[0].sources, ["https://www.state.gov/c"]);
}

#[test]
fn an_update_without_text_is_said() {
    let docs = [
        update_doc(1, "null", Some(r#""in_progress""#)),
        update_doc(2, r#"{"text": null}"#, Some(r#""in_progress""#)),
    ];
    let (c, said) = import_docs(&docs);
    assert_eq!(c.updates.len(), 2);
    assert!(
        said.contains("document 2: the update has no text"),
        "{said}"
    );
    assert!(
        said.contains("document 3: the update has no text"),
        "{said}"
    );
}

#[test]
fn a_claim_read_from_its_page_and_an_export_is_counted_once() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("000_abcdef0123456789.txt"),
        "Update · Feb 13, 2026, 07:42 PMin_progress\nBody.\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("cl.json"),
        r#"{"_id": "abcdef0123456789", "claim": "A claim."}"#,
    )
    .expect("write");
    let ws = dir.path().join("w.json");
    let out = import_any(dir.path(), &ws, &["000_abcdef0123456789.txt", "cl.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("1 claim imported"),
        "{}",
        stdout(&out)
    );
}
