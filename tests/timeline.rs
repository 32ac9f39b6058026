//! Reading 300 updates in a minute: status runs and flips on the real seed claims (the
//! expected figures come from the seed pages themselves, read by splitting them at their
//! `Update ·` markers), folding, what is new since a review, what each update adds, the
//! digest, dates mentioned, and the same summaries from `claimdesk show`.

mod common;

use chrono::{DateTime, Utc};
use claimdesk::analysis;
use claimdesk::app::state::TimelineRow;
use claimdesk::model::{Review, Verdict};
use claimdesk::runtime::Session;
use claimdesk::ui::render_to_text;
use common::*;

const A: &str = "39edfb4563007f91";
const B: &str = "3a2f3f9b8cc6911f";

fn ts(s: &str) -> DateTime<Utc> {
    s.parse().expect("timestamp")
}

#[test]
fn runs_and_flips_on_the_seed_claims() {
    let ws = seed_workspace();
    let a = analysis::runs(&ws.claim(A).expect("A").updates);
    assert_eq!(a.len(), 1, "claim A never changes status");
    assert_eq!(a[0].len(), 356);
    let b_claim = ws.claim(B).expect("B");
    let b = analysis::runs(&b_claim.updates);
    let lengths: Vec<(&str, usize)> = b.iter().map(|r| (r.status.as_str(), r.len())).collect();
    assert_eq!(
        lengths,
        [
            ("in_progress", 30),
            ("complete", 1),
            ("in_progress", 69),
            ("complete", 1),
            ("in_progress", 29),
            ("complete", 1),
            ("in_progress", 33),
            ("complete", 1),
            ("in_progress", 23),
            ("complete", 1),
            ("in_progress", 23),
            ("complete", 1),
            ("in_progress", 20),
            ("complete", 1),
            ("in_progress", 5),
            ("complete", 1),
            ("in_progress", 61),
            ("complete", 1),
            ("in_progress", 2),
        ]
    );
    assert!(analysis::flip_flops(&b));
    assert!(!analysis::flip_flops(&a));
    // The run boundaries around each `complete` update: the update before and after it.
    let around = [
        (
            "2026-01-18T21:14:00Z",
            "2026-01-18T23:12:00Z",
            "2026-01-19T03:16:00Z",
        ),
        (
            "2026-01-25T07:31:00Z",
            "2026-01-25T09:26:00Z",
            "2026-01-25T11:30:00Z",
        ),
        (
            "2026-01-27T23:40:00Z",
            "2026-01-28T03:44:00Z",
            "2026-01-28T06:02:00Z",
        ),
        (
            "2026-01-31T04:23:00Z",
            "2026-01-31T06:00:00Z",
            "2026-01-31T07:41:00Z",
        ),
        (
            "2026-02-02T08:14:00Z",
            "2026-02-02T09:53:00Z",
            "2026-02-02T11:46:00Z",
        ),
        (
            "2026-02-04T20:47:00Z",
            "2026-02-04T22:31:00Z",
            "2026-02-05T00:02:00Z",
        ),
        (
            "2026-02-06T18:22:00Z",
            "2026-02-06T20:23:00Z",
            "2026-02-06T22:18:00Z",
        ),
        (
            "2026-02-07T07:59:00Z",
            "2026-02-07T09:39:00Z",
            "2026-02-07T11:29:00Z",
        ),
        (
            "2026-02-13T04:30:00Z",
            "2026-02-13T06:49:00Z",
            "2026-02-13T08:27:00Z",
        ),
    ];
    let completes: Vec<_> = b.iter().filter(|r| r.status == "complete").collect();
    assert_eq!(completes.len(), 9);
    for (run, (before, at, after)) in completes.iter().zip(around) {
        let u = &b_claim.updates;
        assert_eq!(u[run.first].at, ts(at));
        assert_eq!(u[run.first - 1].at, ts(before));
        assert_eq!(u[run.last + 1].at, ts(after));
    }
    let d = analysis::digest(b_claim, "2026-02-16".parse().expect("d"));
    assert_eq!(
        d.shares,
        [("in_progress".to_owned(), 295), ("complete".to_owned(), 9)]
    );
    assert_eq!((d.runs, d.changes), (19, 18));
    assert_eq!(d.since, Some(ts("2026-02-13T08:27:00Z")));
    assert_eq!(d.days_past_due, Some(24));
}

#[test]
fn hundreds_of_updates_fold_into_a_screenful_with_every_change_visible() {
    let mut s = seed_session();
    keys(&mut s, "Tab");
    // Claim A: the newest update, then one run of the other 355.
    let rows = s.state.timeline_rows();
    assert_eq!(
        rows,
        [
            TimelineRow::Update(0),
            TimelineRow::Run {
                run: 0,
                first: 0,
                last: 354
            }
        ]
    );
    keys(&mut s, "j Enter");
    assert_eq!(s.state.timeline_rows().len(), 356, "Enter unfolds the run");
    assert_eq!(
        s.state.selected_update_index(),
        Some(1),
        "and stays on the run's newest update"
    );
    keys(&mut s, "Space");
    assert_eq!(s.state.timeline_rows().len(), 2, "Space folds it again");

    keys(&mut s, "S-Tab j Tab");
    let rows = s.state.timeline_rows();
    assert_eq!(
        rows.len(),
        20,
        "claim B: 19 runs, the newest update on its own"
    );
    // Every `complete` update (each a status change) is its own row.
    let n = s.state.update_count();
    let claim = s.state.selected_claim().expect("B");
    let complete_rows = rows
        .iter()
        .filter(|r| matches!(r, TimelineRow::Update(i) if claim.updates[n - 1 - i].status == "complete"))
        .count();
    assert_eq!(complete_rows, 9);
    keys(&mut s, "z");
    assert_eq!(s.state.timeline_rows().len(), 304, "z shows every update");
    keys(&mut s, "z");
    assert_eq!(s.state.timeline_rows().len(), 20);
    let screen = render_to_text(&s.state);
    insta::assert_snapshot!("folded_timeline_and_digest_120x40", screen);
    assert!(screen.contains("▲⊞◐ in_progress ×61 · Feb 07 11:29 – Feb 13 04:30"));
    assert!(screen.contains("◐ in_progress since Feb 13 08:27 · ◐97% ●3% · 18 changes ⇅"));
    assert!(
        screen.contains("?!⇅ The Security"),
        "the list marks the claim that went back and forth"
    );
}

/// The seed session on claim B, with a review that had seen everything up to its
/// complete update of Feb 5 03:31.
fn reviewed_mid_history() -> Session {
    let mut ws = seed_workspace();
    ws.claims[1].reviews.push(Review {
        at: ts("2026-02-05T09:00:00Z"),
        reviewer: "ana".into(),
        verdict: Verdict::Complete,
        note: "Looked done".into(),
        seen_through: Some(ts("2026-02-04T22:31:00Z")),
        extra: Default::default(),
    });
    let state = claimdesk::app::State::new(
        ws,
        std::path::PathBuf::from("w.json"),
        "2026-02-16".parse().expect("date"),
        (120, 40),
    );
    let mut s = Session::in_memory(state);
    keys(&mut s, "j");
    s
}

#[test]
fn what_is_new_since_the_review_and_one_key_to_it() {
    let mut s = reviewed_mid_history();
    // 91 updates came after Feb 5 03:31 on the page.
    let n = s.state.update_count();
    let new = (0..n).filter(|&i| s.state.is_new(i)).count();
    assert_eq!(new, 91);
    let c = s.state.selected_claim().expect("B");
    let needs = s.state.needs_review(c);
    assert_eq!(needs.new_updates, 91);
    assert!(needs.unstable, "the status flipped after the review");
    assert!(needs.disagrees, "verdict complete, tracker in_progress");
    assert!(
        needs
            .reasons()
            .iter()
            .any(|r| r.starts_with("tracker unstable"))
    );
    keys(&mut s, "w");
    let u = s.state.selected_update().expect("the first new update");
    assert_eq!(u.at, ts("2026-02-05T00:02:00Z"));
    assert_eq!(
        s.state.message(),
        Some("The first of 91 new updates since the last review")
    );
    let screen = render_to_text(&s.state);
    assert!(screen.contains("✱"), "new updates are marked:\n{screen}");
    assert!(screen.contains("+91≠~!⇅ The Security"), "{screen}");
}

#[test]
fn each_update_shows_what_it_says_first() {
    let ws = seed_workspace();
    let b = ws.claim(B).expect("B");
    let novelty = analysis::novelty(&b.updates);
    assert_eq!(novelty.len(), 304);
    assert_eq!(
        novelty[0].sentences.len(),
        analysis::sentences(&b.updates[0].body).len(),
        "the first update is all new"
    );
    // Every sentence of an update is either new or said before — never both, never lost.
    let mut seen = std::collections::HashSet::new();
    for (u, n) in b.updates.iter().zip(&novelty) {
        let new: std::collections::HashSet<String> =
            n.sentence_texts(&u.body).map(analysis::normalize).collect();
        for s in analysis::sentences(&u.body) {
            let key = analysis::normalize(s);
            assert_eq!(new.contains(&key), !seen.contains(&key), "{s}");
        }
        seen.extend(new);
    }
    let mut s = seed_session();
    keys(&mut s, "j Tab j");
    let preview = s.state.selected_preview().expect("preview");
    assert!(
        preview.starts_with("✚ New here (") || preview.starts_with("= Nothing new"),
        "{preview}"
    );
}

#[test]
fn the_calendar_marks_days_the_updates_mention() {
    let mut s = seed_session();
    keys(&mut s, "Tab Tab PgUp");
    let a = s.state.selected_claim().expect("A");
    let mentions = analysis::days_mentioned(&a.updates);
    let jan15 = "2026-01-15".parse().expect("d");
    let by_hand = a
        .updates
        .iter()
        .filter(|u| {
            let b = u.body.to_lowercase();
            b.contains("january 15, 2026")
                || b.contains("jan 15, 2026")
                || b.contains("2026-01-15")
                || b.contains("january 15 ")
                || b.contains("jan. 15, 2026")
        })
        .count();
    let found = mentions.get(&jan15).map_or(0, |v| v.len());
    assert!(
        found >= by_hand && by_hand > 100,
        "{found} updates mention Jan 15; {by_hand} by a plain text search"
    );
    s.dispatch(claimdesk::app::Action::GoToDay(jan15));
    let screen = render_to_text(&s.state);
    insta::assert_snapshot!("calendar_mentions_120x40", screen);
    assert!(
        screen.contains("·15"),
        "a mentioned day is marked:\n{screen}"
    );
    assert!(
        screen.contains(&format!("Jan 15 · mentioned by {found} updates")),
        "{screen}"
    );
}

#[test]
fn show_prints_the_digest_and_the_runs() {
    let out = claimdesk(&[
        "show",
        "3a2",
        "-w",
        fixture("assets/sample-workspace.json")
            .to_str()
            .expect("utf8"),
        "--today",
        "2026-02-16",
        "--updates",
        "0",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("  updates      in_progress 295 (97%), complete 9 (3%)"),
        "{text}"
    );
    assert!(text.contains("  changes      18 in 19 runs, back and forth"));
    assert!(text.contains(
        "Runs (19, newest first)\n  in_progress  ×2    2026-02-13 08:27 – 2026-02-13 09:42"
    ));
    let out = claimdesk(&[
        "show",
        "3a2",
        "-w",
        fixture("assets/sample-workspace.json")
            .to_str()
            .expect("utf8"),
        "--json",
        "--today",
        "2026-02-16",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["digest"]["changes"], 18);
    assert_eq!(json["digest"]["flip_flops"], true);
    assert_eq!(json["runs"].as_array().map(Vec::len), Some(19));
    assert_eq!(json["runs"][2]["count"], 61);
}
