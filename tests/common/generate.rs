//! A deterministic generator of realistic workspaces for benchmarks and durability tests:
//! update bodies taken from the two real seed pages, statuses that flip now and then,
//! 5–30 follow-ups per claim, reviews on some claims and unknown fields here and there.
//! Shared by `examples/gen_workspace.rs` and the tests.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use claimdesk::import;
use claimdesk::model::{Claim, Extra, FollowUp, FollowUpState, Review, Update, Verdict, Workspace};
use serde_json::json;

/// A small, seedable generator (64-bit LCG): the same seed gives the same workspace.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(
            seed.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407),
        )
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The seed pages' updates, as the importer reads them: the pool bodies come from.
pub fn seed_updates(seed_dir: &std::path::Path) -> Vec<Update> {
    let mut out = Vec::new();
    for name in ["000_39edfb4563007f91.txt", "001_3a2f3f9b8cc6911f.txt"] {
        let path = seed_dir.join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = import::decode(name, &bytes).expect("seed decodes");
        let input = import::read(name, &text, &import::Options::default()).expect("seed reads");
        for inc in import::assemble(vec![input]).expect("seed assembles") {
            out.extend(inc.claim.updates);
        }
    }
    out
}

/// `claims` claims of `updates` updates each.
pub fn generate(pool: &[Update], claims: usize, updates: usize, seed: u64) -> Workspace {
    let mut rng = Rng::new(seed);
    let start = Utc
        .with_ymd_and_hms(2026, 1, 5, 8, 0, 0)
        .single()
        .expect("valid start");
    let mut ws = Workspace::default();
    for c in 0..claims {
        let id = format!("{:016x}", rng.next() << 20 ^ c as u64);
        let first = &pool[rng.below(pool.len() as u64) as usize];
        let title =
            import::text::restated_claim(&first.body).unwrap_or_else(|| format!("Claim {c}"));
        let mut claim = Claim::new(id, title);
        claim.kind = Some(["promise", "goal", "statement"][rng.below(3) as usize].to_owned());
        claim.priority = Some(["high", "medium", "low"][rng.below(3) as usize].to_owned());
        let published = start.date_naive() - Duration::days(rng.below(30) as i64);
        claim.article.published = Some(published);
        claim.completion_due = Some(published + Duration::days(10 + rng.below(90) as i64));
        if c % 7 == 0 {
            claim.tags = vec!["security".into()];
        }
        if c % 11 == 0 {
            claim
                .extra
                .insert("x-desk", json!({"owner": "night shift", "rank": c}));
        }
        let mut at = start + Duration::minutes(rng.below(600) as i64);
        let mut status = "in_progress";
        for u in 0..updates {
            at += Duration::minutes(60 + rng.below(90) as i64);
            // Mostly in_progress; a flip to complete now and then, and back.
            status = match (status, rng.below(100)) {
                ("in_progress", 0..=2) => "complete",
                ("complete", 0..=59) => "in_progress",
                (_, 99) if u > updates * 9 / 10 => "failed",
                (s, _) => s,
            };
            let src = &pool[rng.below(pool.len() as u64) as usize];
            let mut extra = Extra::new();
            if u % 97 == 0 {
                extra.insert("x-model", json!("gpt-tracker-2"));
            }
            claim.updates.push(Update {
                at,
                status: status.into(),
                body: src.body.clone(),
                sources: src.sources.clone(),
                suggested_follow_up: src.suggested_follow_up,
                extra,
            });
        }
        let follow_ups = 5 + rng.below(26) as usize;
        let mut day: NaiveDate = start.date_naive();
        for _ in 0..follow_ups {
            day += Duration::days(1 + rng.below(20) as i64);
            let state = if day < at.date_naive() {
                FollowUpState::Done
            } else {
                FollowUpState::Scheduled
            };
            claim.follow_ups.push(FollowUp {
                state,
                ..FollowUp::scheduled(day)
            });
        }
        if c % 3 == 0 {
            let seen = claim.updates.get(updates / 2).map(|u| u.at);
            claim.reviews.push(Review {
                at: at + Duration::hours(3),
                reviewer: "ana".into(),
                verdict: Verdict::ALL[rng.below(6) as usize],
                note: "Checked against the State Department releases.".into(),
                seen_through: seen,
                extra: Extra::new(),
            });
        }
        ws.claims.push(claim);
    }
    ws
}
