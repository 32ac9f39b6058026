//! The headless commands and the exports, through the real binary: text and JSON, id
//! prefixes, a verdict from a script seen by `list` and in the file, and each export read
//! back by a parser made for its format.

mod common;

use claimdesk::store;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn workspace(dir: &Path) -> PathBuf {
    let path = dir.join("w.json");
    std::fs::write(&path, store::SAMPLE).expect("write");
    path
}

fn run(ws: &Path, args: &[&str]) -> (bool, String, String) {
    let mut full = vec!["-w", ws.to_str().expect("utf8"), "--today", "2026-02-16"];
    full.extend_from_slice(args);
    let out = claimdesk(&full);
    (out.status.success(), stdout(&out), stderr(&out))
}

fn ok(ws: &Path, args: &[&str]) -> String {
    let (success, out, err) = run(ws, args);
    assert!(success, "{args:?}: {err}");
    out
}

const A: &str = "39edfb4563007f91";
const B: &str = "3a2f3f9b8cc6911f";

#[test]
fn list_filters_and_json() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    let text = ok(&ws, &["list"]);
    assert_eq!(text.lines().count(), 2);
    assert!(
        text.starts_with("39ed  unreviewed   in_progress  356u  next 2026-02-15  ?!   Officials"),
        "{text}"
    );
    // "Portero" is in 16 of claim A's updates and none of B's (split the page on its
    // `Update ·` markers and count: tests/fixtures/000_*.txt).
    let found = ok(&ws, &["list", "--search", "Portero"]);
    assert_eq!(found.lines().count(), 1, "{found}");
    assert!(
        found.starts_with("39ed") && found.trim_end().ends_with("[16 matching]"),
        "{found}"
    );
    let json: Value =
        serde_json::from_str(&ok(&ws, &["list", "--search", "nogales", "--json"])).expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    assert_eq!(json[0]["id"], A);
    assert_eq!(json[0]["matching_updates"], 10);
    assert_eq!(json[0]["updates"], 356);
    assert_eq!(json[0]["needs_review"][0], "no verdict yet");
    assert_eq!(
        ok(&ws, &["list", "--verdict", "failed"]),
        "no claims match\n"
    );
    assert_eq!(
        ok(&ws, &["list", "--verdict", "unreviewed"])
            .lines()
            .count(),
        2
    );
    assert_eq!(
        ok(&ws, &["list", "--status", "complete"]),
        "no claims match\n"
    );
    assert_eq!(
        ok(&ws, &["list", "--due-within", "0", "--needs-review"])
            .lines()
            .count(),
        2
    );
    let (success, _, err) = run(&ws, &["list", "--verdict", "maybe"]);
    assert!(
        !success && err.contains("unknown verdict \"maybe\""),
        "{err}"
    );
}

#[test]
fn show_takes_a_unique_prefix() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    let text = ok(&ws, &["show", "3a2", "--updates", "2"]);
    assert!(
        text.starts_with("The Security Implementation Group (SIG)"),
        "{text}"
    );
    assert!(text.contains(&format!("id           {B}")));
    assert!(text.contains("Follow-ups (20)") && text.contains("2026-02-15  overdue"));
    assert!(
        text.contains("Latest updates (2 of 304)")
            && text.contains("2026-02-13 09:42  in_progress")
    );
    let json: Value =
        serde_json::from_str(&ok(&ws, &["show", A, "--json", "--updates", "3"])).expect("json");
    assert_eq!(json["latest_updates"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["latest_updates"][0]["at"], "2026-02-13T23:47:00Z");
    assert_eq!(json["follow_ups"].as_array().map(Vec::len), Some(28));
    let (success, _, err) = run(&ws, &["show", "3"]);
    assert!(
        !success && err.contains("\"3\" is ambiguous: 2 claims"),
        "{err}"
    );
    let (success, _, err) = run(&ws, &["show", "ff"]);
    assert!(
        !success && err.contains("no claim id starts with \"ff\""),
        "{err}"
    );
}

#[test]
fn due_lists_what_is_due_soonest_first() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    let today = ok(&ws, &["due"]);
    assert_eq!(
        today.lines().collect::<Vec<_>>(),
        [
            "2026-02-15  1 day overdue    39ed  Officials discussed the need for stronger U.S.-Mexico cooperation to …",
            "2026-02-15  1 day overdue    3a2f  The Security Implementation Group (SIG) must continue delivering tang…",
        ]
    );
    let week: Value =
        serde_json::from_str(&ok(&ws, &["due", "--within", "7", "--json"])).expect("json");
    let dates: Vec<&str> = week
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["date"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        dates,
        [
            "2026-02-15",
            "2026-02-15",
            "2026-02-20",
            "2026-02-20",
            "2026-02-23",
            "2026-02-23"
        ]
    );
    assert_eq!(week[2]["days"], 4);
}

#[test]
fn a_verdict_from_the_command_line_is_what_the_app_would_record() {
    let dir = tempdir();
    let ws = workspace(dir.path());
    let out = ok(
        &ws,
        &[
            "verdict",
            "39e",
            "stalled",
            "--note",
            "No meeting since January",
            "--reviewer",
            "bo",
        ],
    );
    assert!(
        out.starts_with("Recorded verdict stalled on 39ed (Officials"),
        "{out}"
    );
    let listed = ok(&ws, &["list", "--verdict", "stalled"]);
    assert!(listed.starts_with("39ed  stalled"), "{listed}");
    let saved = store::load(&ws).expect("loads");
    let r = &saved.claim(A).expect("claim").reviews[0];
    assert_eq!(
        (r.reviewer.as_str(), r.note.as_str()),
        ("bo", "No meeting since January")
    );
    assert_eq!(
        r.seen_through.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-02-13T23:47:00+00:00")
    );
    // --today is for screens and due dates; a review carries the real clock.
    assert_recorded_now(r.at);
    assert!(
        store::journal::sibling(&ws, "bak").exists(),
        "the same atomic save, .bak and all"
    );
    let journal = store::journal::read(&store::journal::path_for(&ws)).expect("journal");
    assert!(
        journal.entries.iter().all(|e| e.seq <= saved.journal_seq),
        "folded into the file"
    );
    let (success, _, err) = run(&ws, &["verdict", "39e", "done"]);
    assert!(
        !success
            && err.starts_with("claimdesk: invalid value 'done'")
            && err.contains("complete, partial, in_progress, stalled, failed, unverifiable"),
        "{err}"
    );
    // The app holding the workspace blocks a scripted verdict, with who holds it.
    let _held = store::lock::Lock::acquire(&ws).expect("lock");
    let (success, _, err) = run(&ws, &["verdict", A, "failed"]);
    assert!(
        !success
            && err.contains("the workspace is open in claimdesk on")
            && err.contains("close it there, then run this again")
            && !err.contains("--read-only"),
        "{err}"
    );
}

fn reviewed_workspace(dir: &Path) -> PathBuf {
    let ws = workspace(dir);
    ok(
        &ws,
        &[
            "verdict",
            A,
            "in_progress",
            "--note",
            "=HYPERLINK(\"http://evil\"), \"quoted\"\nsecond line",
            "--reviewer",
            "ana",
        ],
    );
    ws
}

#[test]
fn claimreview_is_schema_org_field_by_field() {
    let dir = tempdir();
    let ws = reviewed_workspace(dir.path());
    let (success, _, err) = run(&ws, &["export", "--format", "claimreview"]);
    assert!(!success && err.contains("--base-url"), "{err}");
    let out = ok(
        &ws,
        &[
            "export",
            "--format",
            "claimreview",
            "--base-url",
            "https://desk.example.org/claims/",
        ],
    );
    let v: Value = serde_json::from_str(&out).expect("JSON-LD");
    let items = v.as_array().expect("an array of ClaimReview");
    assert_eq!(items.len(), 1, "only reviewed claims");
    let r = &items[0];
    assert_eq!(r["@context"], "https://schema.org");
    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(r["url"], format!("https://desk.example.org/claims/{A}"));
    assert!(
        r["claimReviewed"]
            .as_str()
            .is_some_and(|s| s.starts_with("Officials discussed"))
    );
    // The day the verdict was recorded, by the real clock (not --today).
    assert_eq!(
        r["datePublished"],
        chrono::Utc::now().date_naive().to_string()
    );
    assert_eq!(r["author"]["@type"], "Person");
    assert_eq!(r["author"]["name"], "ana");
    assert_eq!(r["itemReviewed"]["@type"], "Claim");
    assert_eq!(r["itemReviewed"]["datePublished"], "2026-01-12");
    assert_eq!(
        r["itemReviewed"]["appearance"]["datePublished"],
        "2026-01-12"
    );
    let rating = &r["reviewRating"];
    assert_eq!(rating["@type"], "Rating");
    assert_eq!(
        (
            rating["ratingValue"].as_u64(),
            rating["worstRating"].as_u64(),
            rating["bestRating"].as_u64()
        ),
        (Some(4), Some(1), Some(6))
    );
    assert_eq!(rating["alternateName"], "In progress");
    assert!(
        rating["ratingExplanation"]
            .as_str()
            .is_some_and(|s| s.contains("second line"))
    );
}

#[test]
fn csv_reads_back_with_formulas_neutralised() {
    let dir = tempdir();
    let ws = reviewed_workspace(dir.path());
    let out_path = dir.path().join("claims.csv");
    ok(
        &ws,
        &[
            "export",
            "--format",
            "csv",
            "--output",
            out_path.to_str().expect("utf8"),
        ],
    );
    let text = std::fs::read_to_string(&out_path).expect("written");
    assert!(text.contains("\r\n"), "RFC 4180 line endings");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, claimdesk::report::export::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], A);
    assert_eq!(&rows[0][2], "in_progress");
    assert_eq!(
        &rows[0][5], "'=HYPERLINK(\"http://evil\"), \"quoted\"\nsecond line",
        "quotes, commas and newlines survive; the formula does not run"
    );
    assert_eq!(&rows[1][2], "unreviewed");
    assert_eq!(&rows[1][7], "304");
}

#[test]
fn markdown_groups_by_verdict() {
    let dir = tempdir();
    let ws = reviewed_workspace(dir.path());
    let md = ok(&ws, &["export", "--format", "markdown"]);
    assert!(md.starts_with("# Claim review report\n\n2 claims, as of 2026-02-16."));
    assert!(md.contains("| In progress | 1 |") && md.contains("| Unreviewed | 1 |"));
    let in_progress = md.find("## In progress (1)").expect("group");
    let unreviewed = md.find("## Unreviewed (1)").expect("group");
    assert!(in_progress < unreviewed);
    assert!(md.contains("- Next follow-up: 2026-02-15 (overdue)"));
    assert!(
        md.contains("> \\=HYPERLINK(\"http://evil\"), \"quoted\"\\\n> second line"),
        "{md}"
    );
    assert!(md.contains("The Security Implementation Group (SIG)"));
}

/// Two reviewers who disagree on claim A, on the same evidence: ana says failed, then
/// ben says complete.
fn disputed_workspace(dir: &Path) -> PathBuf {
    let ws = workspace(dir);
    for (who, verdict) in [("ana", "failed"), ("ben", "complete")] {
        ok(
            &ws,
            &["verdict", A, verdict, "--note", "why", "--reviewer", who],
        );
    }
    ws
}

#[test]
fn a_disputed_verdict_is_never_exported_as_settled() {
    let dir = tempdir();
    let ws = disputed_workspace(dir.path());
    // list --json says who says what.
    let list: Value = serde_json::from_str(&ok(&ws, &["list", "--json"])).expect("json");
    let a = &list.as_array().expect("array")[0];
    assert_eq!(a["id"], A);
    assert_eq!(
        a["disputed"],
        serde_json::json!([
            {"reviewer": "ana", "verdict": "failed"},
            {"reviewer": "ben", "verdict": "complete"}
        ])
    );
    assert_eq!(list[1]["disputed"], Value::Null);
    // CSV: a column of its own.
    let text = ok(&ws, &["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    let disputed = claimdesk::report::export::CSV_HEADER
        .iter()
        .position(|h| *h == "disputed")
        .expect("a disputed column");
    assert_eq!(&rows[0][disputed], "ana says failed, ben says complete");
    assert_eq!(&rows[1][disputed], "");
    // Markdown: its own section, not its latest verdict's.
    let md = ok(&ws, &["export", "--format", "markdown"]);
    assert!(
        md.contains("| Complete | 0 |") && md.contains("| Disputed | 1 |"),
        "{md}"
    );
    assert!(
        md.contains("## Disputed (1)") && !md.contains("## Complete"),
        "{md}"
    );
    assert!(
        md.contains("- Disputed: ana says failed, ben says complete"),
        "{md}"
    );
    // ClaimReview: left out, unless asked for, then said to be disputed.
    let base = [
        "export",
        "--format",
        "claimreview",
        "--base-url",
        "https://d.example/c",
    ];
    let items: Value = serde_json::from_str(&ok(&ws, &base)).expect("json-ld");
    assert_eq!(items.as_array().map(Vec::len), Some(0), "{items}");
    let mut with = base.to_vec();
    with.push("--include-disputed");
    let items: Value = serde_json::from_str(&ok(&ws, &with)).expect("json-ld");
    let explanation = items[0]["reviewRating"]["ratingExplanation"]
        .as_str()
        .unwrap_or_default();
    assert!(
        explanation
            .starts_with("Disputed: the reviewers disagree (ana says failed, ben says complete)")
            && explanation.ends_with(" why"),
        "{explanation}"
    );
    // ana comes round: settled, and published again.
    ok(&ws, &["verdict", A, "complete", "--reviewer", "ana"]);
    let items: Value = serde_json::from_str(&ok(&ws, &base)).expect("json-ld");
    assert_eq!(items.as_array().map(Vec::len), Some(1));
}

#[test]
fn ics_parses_folds_and_keeps_uids_stable() {
    let dir = tempdir();
    let ws = reviewed_workspace(dir.path());
    let ics = ok(&ws, &["export", "--format", "ics"]);
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "CRLF only");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "a line longer than 75 octets: {line}");
    }
    let unfolded = icalendar::parser::unfold(&ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    // Every follow-up: 28 on claim A, 20 on claim B (the done ones say so).
    assert_eq!(events.len(), 48);
    let first = *events
        .iter()
        .find(|e| {
            e.find_prop("DTSTART")
                .is_some_and(|p| p.val.as_str() == "20260215")
        })
        .expect("the follow-up of Feb 15");
    let prop = |name: &str| first.find_prop(name).map(|p| p.val.as_str().to_owned());
    assert_eq!(
        prop("UID").as_deref(),
        Some("39edfb4563007f91-20260215@claimdesk")
    );
    assert_eq!(prop("DTSTART").as_deref(), Some("20260215"));
    assert_eq!(prop("DTEND").as_deref(), Some("20260216"));
    assert!(prop("SUMMARY").is_some_and(|s| s.starts_with("Follow up: Officials discussed")));
    // Commas and newlines are escaped in the file and come back whole through the parser.
    assert!(unfolded.contains("HYPERLINK(\"http://evil\")\\, \"quoted\"\\nsecond line"));
    assert_eq!(
        prop("DESCRIPTION").as_deref(),
        Some(
            "Latest verdict: in_progress — =HYPERLINK(\"http://evil\"), \"quoted\"\nsecond line\nClaim 39edfb4563007f91"
        )
    );
    // The same export twice is the same file but for DTSTAMP, which is when the export
    // ran (the seconds may tick between the two runs): UIDs stay, so a calendar that
    // imports it again updates its events instead of doubling them.
    let again = ok(&ws, &["export", "--format", "ics"]);
    let without_stamps = |text: &str| -> String {
        text.split("\r\n")
            .filter(|l| !l.starts_with("DTSTAMP:"))
            .collect::<Vec<_>>()
            .join("\r\n")
    };
    assert_eq!(without_stamps(&again), without_stamps(&ics));
    let now = chrono::Utc::now();
    for stamp in ics.split("\r\n").filter_map(|l| l.strip_prefix("DTSTAMP:")) {
        let at = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
            .expect("a UTC time")
            .and_utc();
        assert!(
            (now - at).num_seconds().abs() < 300,
            "{stamp} is not the export's time"
        );
    }
}

/// Three follow-ups on one day (the tracker writes them so) are three events, each with a
/// UID of its own (the second's ending `-2`), which each keeps when one of them moves.
#[test]
fn a_day_s_several_follow_ups_are_events_of_their_own_through_a_move() {
    use claimdesk::model::{FollowUp, edit};
    let dir = tempdir();
    let ws = workspace(dir.path());
    let mut w = claimdesk::store::load(&ws).expect("loads");
    let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 9).expect("date");
    for _ in 0..3 {
        w.claims[0].follow_ups.push(FollowUp::scheduled(d));
    }
    w.claims[0].normalize();
    claimdesk::store::save(&ws, &w).expect("saves");
    let uid = |suffix: &str| format!("{A}-20260309{suffix}@claimdesk");
    let events = ics_events(&ws);
    assert_eq!(events.len(), 51);
    for suffix in ["", "-2", "-3"] {
        assert_eq!(events[&uid(suffix)].0, "20260309", "{suffix}");
    }
    // The second moved a day back, then the first a day on: each event follows its own.
    let c = &w.claims[0];
    let second = c.follow_ups[c.follow_up_index(d, 1).expect("second")].clone();
    let back = d.pred_opt().expect("day");
    let on = d.succ_opt().expect("day");
    for (nth, to) in [(1, back), (0, on)] {
        let c = &w.claims[0];
        let f = c.follow_ups[c.follow_up_index(d, nth).expect("there")].clone();
        let e = edit::Edit::ReplaceFollowUp {
            claim: A.into(),
            date: d,
            nth,
            follow_up: FollowUp { date: to, ..f },
            at: 0,
        };
        edit::apply(&mut w, &e).expect("moves");
    }
    assert_eq!(second.date, d);
    claimdesk::store::save(&ws, &w).expect("saves");
    let events = ics_events(&ws);
    assert_eq!(events.len(), 51, "none added or lost");
    assert_eq!(events[&uid("")].0, "20260310", "the first moved on");
    assert_eq!(events[&uid("-2")].0, "20260308", "the second moved back");
    assert_eq!(events[&uid("-3")].0, "20260309", "the third stayed");
}

/// The events of an ICS export, by UID: (DTSTART, STATUS, SUMMARY).
fn ics_events(ws: &Path) -> std::collections::BTreeMap<String, (String, String, String)> {
    let ics = ok(ws, &["export", "--format", "ics"]);
    let unfolded = icalendar::parser::unfold(&ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    let mut events = std::collections::BTreeMap::new();
    for e in cal.components.iter().filter(|c| c.name == "VEVENT") {
        let prop = |name: &str| {
            e.find_prop(name)
                .map(|p| p.val.as_str().to_owned())
                .unwrap_or_default()
        };
        let old = events.insert(
            prop("UID"),
            (prop("DTSTART"), prop("STATUS"), prop("SUMMARY")),
        );
        assert!(old.is_none(), "one event per UID");
    }
    events
}

#[test]
fn ics_events_follow_their_follow_up_through_a_move_and_a_cancel() {
    use claimdesk::model::{Edit, FollowUpState, edit};
    let dir = tempdir();
    let ws = workspace(dir.path());
    let before = ics_events(&ws);
    let uid = format!("{A}-20260215@claimdesk");
    assert_eq!(before[&uid].0, "20260215");
    // Moved to the 18th, then the one of Feb 20 cancelled, as the app would.
    let mut w = claimdesk::store::load(&ws).expect("loads");
    let day = |s: &str| s.parse::<chrono::NaiveDate>().expect("date");
    let claim = w.claim(A).expect("claim").clone();
    let mut moved = claim
        .follow_ups
        .iter()
        .find(|f| f.date == day("2026-02-15"))
        .expect("f")
        .clone();
    moved.date = day("2026-02-18");
    let mut cancelled = claim
        .follow_ups
        .iter()
        .find(|f| f.date == day("2026-02-20"))
        .expect("f")
        .clone();
    cancelled.state = FollowUpState::Cancelled;
    for (date, follow_up) in [("2026-02-15", moved), ("2026-02-20", cancelled)] {
        let e = Edit::ReplaceFollowUp {
            claim: A.into(),
            date: day(date),
            nth: 0,
            follow_up,
            at: 0,
        };
        edit::apply(&mut w, &e).expect("applies");
    }
    claimdesk::store::save(&ws, &w).expect("saves");
    let after = ics_events(&ws);
    assert_eq!(after.len(), before.len(), "no event added or lost");
    assert_eq!(after[&uid].0, "20260218", "the same event, moved");
    let cancelled = &after[&format!("{A}-20260220@claimdesk")];
    assert_eq!(cancelled.1, "CANCELLED");
    assert!(cancelled.2.starts_with("Cancelled: "), "{cancelled:?}");
    let done = after.values().filter(|e| e.2.starts_with("Done: ")).count();
    assert_eq!(done, 5);
}

#[test]
fn an_ics_uid_cannot_inject_lines() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let mut w = seed_workspace();
    // An id cannot hold a line break (the loader refuses one); what it can hold that
    // iCalendar reads specially (`;`, `,`, `\`) is escaped.
    w.claims[0].id = r"x;ATTENDEE:mailto:evil@example.org,y\z".into();
    claimdesk::store::save(&ws, &w).expect("saves");
    let ics = ok(&ws, &["export", "--format", "ics"]);
    assert!(
        ics.contains(r"UID:x\;ATTENDEE:mailto:evil@example.org\,y\\z-"),
        "{ics}"
    );
    let unfolded = icalendar::parser::unfold(&ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar file");
    assert!(
        cal.components
            .iter()
            .all(|c| c.find_prop("ATTENDEE").is_none())
    );
    // Nor is one ever written.
    let mut bad = seed_workspace();
    bad.claims[0].id = "x\r\nATTENDEE:mailto:evil@example.org".into();
    let refused = claimdesk::store::save(&ws, &bad).expect_err("refused");
    assert!(
        refused.to_string().contains("control character"),
        "{refused}"
    );
}

/// A workspace whose first claim's title, id, article URL and rationale are hostile to
/// the programs that read the exports.
fn hostile_workspace(dir: &Path) -> PathBuf {
    let ws = dir.join("w.json");
    let mut w = seed_workspace();
    let c = &mut w.claims[0];
    c.title = "Cut </script><!-- <img src=x onerror=alert(1)> & ~~gone~~ *loud*".into();
    c.id = "<b>id</b>`x`".into();
    c.article.url = Some("javascript:alert(1)".into());
    c.article.outlet = Some("State Department".into());
    c.reviews.push(claimdesk::model::Review {
        at: chrono::Utc::now(),
        reviewer: "ana".into(),
        verdict: claimdesk::model::Verdict::Stalled,
        note: "- starts with a dash\n1. looks numbered\n~~struck~~ <i>html</i>\nlast line".into(),
        seen_through: None,
        extra: Default::default(),
    });
    store::save(&ws, &w).expect("saves");
    ws
}

#[test]
fn claimreview_is_safe_inside_a_script_element_and_never_links_javascript() {
    let dir = tempdir();
    let ws = hostile_workspace(dir.path());
    let out = ok(
        &ws,
        &[
            "export",
            "--format",
            "claimreview",
            "--base-url",
            "https://desk.example.org/c",
        ],
    );
    for bad in ['<', '>', '&'] {
        assert!(!out.contains(bad), "a raw {bad:?} in:\n{out}");
    }
    assert!(!out.contains("javascript:"), "{out}");
    let items: Value = serde_json::from_str(&out).expect("JSON");
    let item = &items[0];
    // The escapes read back as the very text.
    assert!(
        item["claimReviewed"]
            .as_str()
            .is_some_and(|t| t.contains("</script><!--"))
    );
    assert!(item["itemReviewed"]["appearance"].get("url").is_none());
    assert_eq!(item["itemReviewed"]["author"]["name"], "State Department");
    let (success, _, err) = run(
        &ws,
        &[
            "export",
            "--format",
            "claimreview",
            "--base-url",
            "javascript:alert(1)//",
        ],
    );
    assert!(!success && err.contains("http:// or https://"), "{err}");
    let (success, _, err) = run(
        &ws,
        &[
            "export",
            "--format",
            "claimreview",
            "--base-url",
            "https://",
        ],
    );
    assert!(
        !success && err.contains("http:// or https://"),
        "no host: {err}"
    );
    // The id is one path segment, percent-encoded.
    assert_eq!(
        item["url"],
        "https://desk.example.org/c/%3Cb%3Eid%3C%2Fb%3E%60x%60"
    );
}

#[test]
fn the_markdown_report_turns_no_text_into_markup() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let dir = tempdir();
    let ws = hostile_workspace(dir.path());
    let md = ok(&ws, &["export", "--format", "markdown"]);
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TABLES);
    let (mut html, mut struck, mut lists_in_quote, mut breaks, mut emphasis) = (0, 0, 0, 0, 0);
    let mut depth = 0;
    let mut text = String::new();
    for event in Parser::new_ext(&md, opts) {
        match event {
            Event::Html(_) | Event::InlineHtml(_) => html += 1,
            Event::Start(Tag::Strikethrough) => struck += 1,
            Event::Start(Tag::Emphasis | Tag::Strong) => emphasis += 1,
            Event::Start(Tag::BlockQuote(_)) => depth += 1,
            Event::End(pulldown_cmark::TagEnd::BlockQuote(_)) => depth -= 1,
            Event::Start(Tag::List(_)) if depth > 0 => lists_in_quote += 1,
            Event::HardBreak if depth > 0 => breaks += 1,
            Event::Text(t) => text.push_str(&t),
            _ => {}
        }
    }
    assert_eq!(
        (html, struck, lists_in_quote, emphasis),
        (0, 0, 0, 0),
        "{md}"
    );
    assert_eq!(breaks, 3, "each line of the rationale stays a line:\n{md}");
    for shown in [
        "</script><!--",
        "~~gone~~",
        "*loud*",
        "<b>id</b>`x`",
        "- starts with a dash",
        "1. looks numbered",
        "<i>html</i>",
    ] {
        assert!(
            text.contains(shown),
            "{shown:?} is not shown as text:\n{text}"
        );
    }
}

#[test]
fn completions_man_page_and_help_with_examples() {
    for shell in ["bash", "zsh", "fish"] {
        let out = claimdesk(&["completions", shell]);
        assert!(out.status.success());
        let text = stdout(&out);
        assert!(
            text.contains("snapshot") && text.contains("export"),
            "{shell}"
        );
    }
    let man = stdout(&claimdesk(&["man"]));
    assert!(man.contains(".TH claimdesk") && man.contains("verdict"));
    for cmd in [
        "snapshot",
        "import",
        "list",
        "show",
        "due",
        "verdict",
        "export",
        "completions",
        "man",
        "recover",
    ] {
        let help = stdout(&claimdesk(&[cmd, "--help"]));
        assert!(
            help.contains("Example"),
            "{cmd} --help has no example:\n{help}"
        );
    }
    assert!(stdout(&claimdesk(&["--help"])).contains("Examples:"));
}
