//! Save by copy: a claim unchanged since it was read is written as the text it was read
//! from, and what a save writes means exactly what a full serialisation would. Random
//! workspaces, loaded through the one loader, take random edits (through the edit path
//! and by hand on any field) and are saved both ways.

mod common;
#[path = "common/generate.rs"]
mod generate;

use claimdesk::model::{Edit, Extra, FollowUp, Review, Verdict, Workspace, edit};
use claimdesk::store::{self, Access, Disk};
use proptest::prelude::*;

/// The workspace written in full: every claim serialised, none copied.
fn full_bytes(ws: &Workspace) -> Vec<u8> {
    let mut fresh = ws.clone();
    for claim in &mut fresh.claims {
        claim.origin = Default::default();
    }
    store::to_bytes(&fresh).expect("encodes")
}

/// One change to a loaded workspace.
#[derive(Debug, Clone)]
enum Change {
    Verdict(usize),
    Title(usize, String),
    Tags(usize),
    FollowUp(usize, u32),
    /// By hand, on fields no edit touches.
    Status(usize, usize),
    Body(usize, usize, String),
    UpdateExtra(usize, usize),
    ClaimExtra(usize),
    DropUpdate(usize, usize),
    DropClaim(usize),
    SwapClaims(usize, usize),
    ReorderUpdates(usize),
    NewClaim,
}

fn change() -> impl Strategy<Value = Change> {
    let i = 0..40usize;
    prop_oneof![
        i.clone().prop_map(Change::Verdict),
        (i.clone(), "[a-zé\"\\\\ \n]{0,12}").prop_map(|(c, t)| Change::Title(c, t)),
        i.clone().prop_map(Change::Tags),
        (i.clone(), 1..300u32).prop_map(|(c, d)| Change::FollowUp(c, d)),
        (i.clone(), 0..20usize).prop_map(|(c, u)| Change::Status(c, u)),
        (i.clone(), 0..20usize, "[a-z\"\\\\\n\t\u{1}é]{0,20}")
            .prop_map(|(c, u, b)| Change::Body(c, u, b)),
        (i.clone(), 0..20usize).prop_map(|(c, u)| Change::UpdateExtra(c, u)),
        i.clone().prop_map(Change::ClaimExtra),
        (i.clone(), 0..20usize).prop_map(|(c, u)| Change::DropUpdate(c, u)),
        i.clone().prop_map(Change::DropClaim),
        (i.clone(), i.clone()).prop_map(|(a, b)| Change::SwapClaims(a, b)),
        i.clone().prop_map(Change::ReorderUpdates),
        Just(Change::NewClaim),
    ]
}

fn apply(ws: &mut Workspace, change: &Change, n: usize) {
    let len = ws.claims.len();
    if len == 0 {
        return;
    }
    let pick = |i: &usize| i % len;
    let id = |ws: &Workspace, i: &usize| ws.claims[i % len].id.clone();
    let day = |d: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date") + chrono::Days::new(d.into())
    };
    match change {
        Change::Verdict(c) => {
            let review = Review {
                at: chrono::Utc::now(),
                reviewer: "ana".into(),
                verdict: Verdict::Stalled,
                note: format!("note {n}"),
                seen_through: None,
                extra: Extra::new(),
            };
            let claim = id(ws, c);
            let _ = edit::apply(ws, &Edit::AddReview { claim, review });
        }
        Change::Title(c, title) => {
            let claim = id(ws, c);
            let title = title.clone();
            let _ = edit::apply(ws, &Edit::SetTitle { claim, title });
        }
        Change::Tags(c) => {
            let claim = id(ws, c);
            let tags = vec![format!("tag{n}")];
            let _ = edit::apply(ws, &Edit::SetTags { claim, tags });
        }
        Change::FollowUp(c, d) => {
            let claim = id(ws, c);
            let follow_up = FollowUp::scheduled(day(*d));
            let _ = edit::apply(ws, &Edit::AddFollowUp { claim, follow_up });
        }
        Change::Status(c, u) => {
            let claim = &mut ws.claims[pick(c)];
            let count = claim.updates.len();
            if count > 0 {
                claim.updates[u % count].status = format!("status{n}").into();
            }
        }
        Change::Body(c, u, body) => {
            let claim = &mut ws.claims[pick(c)];
            let count = claim.updates.len();
            if count > 0 {
                claim.updates[u % count].body = body.clone().into();
            }
        }
        Change::UpdateExtra(c, u) => {
            let claim = &mut ws.claims[pick(c)];
            let count = claim.updates.len();
            if count > 0 {
                claim.updates[u % count].extra.insert("x-n", n);
            }
        }
        Change::ClaimExtra(c) => ws.claims[pick(c)].extra.insert("x-claim", n),
        Change::DropUpdate(c, u) => {
            let claim = &mut ws.claims[pick(c)];
            let count = claim.updates.len();
            if count > 0 {
                claim.updates.remove(u % count);
            }
        }
        Change::DropClaim(c) => {
            ws.claims.remove(pick(c));
        }
        Change::SwapClaims(a, b) => ws.claims.swap(pick(a), pick(b)),
        Change::ReorderUpdates(c) => ws.claims[pick(c)].updates.reverse(),
        Change::NewClaim => ws.claims.push(claimdesk::model::Claim::new(
            format!("new{n}"),
            "A new claim",
        )),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Written by claimdesk, loaded, changed, saved by copy: the bytes are exactly those of
    /// a full serialisation, and they load back as the changed workspace.
    #[test]
    fn save_by_copy_writes_what_a_full_serialisation_writes(
        seed in 0..10_000u64,
        claims in 1..12usize,
        updates in 0..6usize,
        changes in proptest::collection::vec(change(), 0..8),
    ) {
        let pool = generate::seed_updates(&common::fixture("tests/fixtures"));
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ws.json");
        store::save(&path, &generate::generate(&pool, claims, updates, seed)).expect("saves");
        let mut ws = store::load(&path).expect("loads");
        for (n, c) in changes.iter().enumerate() {
            apply(&mut ws, c, n);
        }
        let copied = store::to_bytes(&ws).expect("encodes");
        let full = full_bytes(&ws);
        prop_assert_eq!(String::from_utf8_lossy(&copied), String::from_utf8_lossy(&full));
        let mut expected = ws.clone();
        expected.normalize();
        prop_assert_eq!(store::parse(&path, &copied).expect("loads back"), expected);
    }

    /// Read from a file another tool wrote (one line, odd spacing), changed, saved by
    /// copy: it loads back as the changed workspace.
    #[test]
    fn save_by_copy_of_a_foreign_file_means_the_same(
        seed in 0..10_000u64,
        claims in 1..8usize,
        changes in proptest::collection::vec(change(), 0..6),
    ) {
        let pool = generate::seed_updates(&common::fixture("tests/fixtures"));
        let ws = generate::generate(&pool, claims, 3, seed);
        let one_line = serde_json::to_string(&serde_json::from_slice::<serde_json::Value>(
            &store::to_bytes(&ws).expect("encodes"),
        ).expect("json")).expect("json");
        let spaced = one_line.replace("},{", "} ,\n\t{");
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ws.json");
        std::fs::write(&path, &spaced).expect("writes");
        let mut ws = store::load(&path).expect("loads");
        for (n, c) in changes.iter().enumerate() {
            apply(&mut ws, c, n);
        }
        let copied = store::to_bytes(&ws).expect("encodes");
        let mut expected = ws.clone();
        expected.normalize();
        prop_assert_eq!(store::parse(&path, &copied).expect("loads back"), expected);
        prop_assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&copied).expect("json"),
            serde_json::from_slice::<serde_json::Value>(&full_bytes(&ws)).expect("json")
        );
    }
}

/// A save of an unchanged workspace copies every claim; one verdict re-serialises one
/// claim only.
#[test]
fn a_verdict_rewrites_one_claim_and_copies_the_rest() {
    let pool = generate::seed_updates(&common::fixture("tests/fixtures"));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ws.json");
    store::save(&path, &generate::generate(&pool, 30, 20, 3)).expect("saves");
    let before = std::fs::read(&path).expect("reads");
    let opened = Disk::open(&path, Access::Write, None).expect("opens");
    let (mut disk, mut ws) = (opened.disk, opened.workspace);
    let claim = ws.claims[7].id.clone();
    let review = Review {
        at: chrono::Utc::now(),
        reviewer: "ana".into(),
        verdict: Verdict::Complete,
        note: "done".into(),
        seen_through: None,
        extra: Extra::new(),
    };
    let made = Edit::AddReview { claim, review };
    edit::apply(&mut ws, &made).expect("applies");
    disk.record(&made).expect("journals");
    let encoded = store::encoded(&ws).expect("encodes");
    let claim_len = full_bytes(&ws).len() - before.len();
    assert!(
        encoded.copied() > before.len() * 9 / 10,
        "copied {} of {} bytes",
        encoded.copied(),
        before.len()
    );
    assert!(claim_len > 0);
    disk.save(&ws).expect("saves");
    let after = store::load(&path).expect("loads");
    assert_eq!(after.claims[7].verdict(), Some(Verdict::Complete));
    let mut expected = ws.clone();
    expected.normalize();
    assert!(after.claims == expected.claims, "the saved claims differ");
}
