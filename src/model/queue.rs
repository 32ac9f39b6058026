//! The review queue's rules: why a claim needs a reviewer's eyes.

use super::{Claim, Due, Verdict};
use chrono::NaiveDate;

/// The reasons a claim needs review, each shown as a short mark in the claim list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NeedsReview {
    /// No verdict yet.
    pub unreviewed: bool,
    /// Updates that arrived after the last review's `seen_through`.
    pub new_updates: usize,
    /// The tracker's latest status disagrees with the verdict (`complete` or `failed` on
    /// one side and not the other).
    pub disagrees: bool,
    /// A follow-up is due today or overdue.
    pub follow_up_due: bool,
    /// The tracker's status changed after the last review's `seen_through`.
    pub unstable: bool,
}

impl NeedsReview {
    pub fn of(claim: &Claim, today: NaiveDate) -> Self {
        let last = claim.reviews.last();
        let new_updates = match last {
            None => 0,
            Some(r) => match r.seen_through {
                Some(seen) => claim
                    .updates
                    .iter()
                    .rev()
                    .take_while(|u| u.at > seen)
                    .count(),
                None => claim.updates.len(),
            },
        };
        let disagrees = match (claim.latest_status(), last.map(|r| r.verdict)) {
            (Some(status), Some(verdict)) => {
                let status = super::TrackerStatus::of(status);
                (status == super::TrackerStatus::Complete) != (verdict == Verdict::Complete)
                    || (status == super::TrackerStatus::Failed) != (verdict == Verdict::Failed)
            }
            _ => false,
        };
        let follow_up_due = claim
            .follow_ups
            .iter()
            .any(|f| matches!(f.due(today), Due::Overdue | Due::Today));
        let unstable = last.is_some_and(|r| {
            claim.updates.windows(2).any(|w| {
                r.seen_through.is_none_or(|seen| w[1].at > seen) && w[1].status != w[0].status
            })
        });
        Self {
            unreviewed: last.is_none(),
            new_updates,
            disagrees,
            follow_up_due,
            unstable,
        }
    }

    pub fn any(&self) -> bool {
        self.unreviewed
            || self.new_updates > 0
            || self.disagrees
            || self.follow_up_due
            || self.unstable
    }

    /// The marks, most important first: `?` unreviewed, `+N` new updates, `≠` tracker
    /// disagrees, `!` follow-up due.
    pub fn marks(&self) -> String {
        let mut out = String::new();
        if self.unreviewed {
            out.push('?');
        }
        if self.new_updates > 0 {
            out.push_str(&format!("+{}", self.new_updates));
        }
        if self.disagrees {
            out.push('≠');
        }
        if self.unstable {
            out.push('~');
        }
        if self.follow_up_due {
            out.push('!');
        }
        out
    }

    /// The reasons in words.
    pub fn reasons(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.unreviewed {
            out.push("no verdict yet".to_owned());
        }
        if self.new_updates > 0 {
            out.push(format!(
                "{} since the last review",
                super::text::count(self.new_updates, "new update")
            ));
        }
        if self.disagrees {
            out.push("the tracker's status disagrees with the verdict".to_owned());
        }
        if self.unstable {
            out.push("tracker unstable: its status changed since the last review".to_owned());
        }
        if self.follow_up_due {
            out.push("a follow-up is due".to_owned());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Extra, FollowUp, Review, Update};

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn update(at: &str, status: &str) -> Update {
        Update {
            at: at.parse().expect("ts"),
            status: status.into(),
            body: "".into(),
            sources: vec![],
            suggested_follow_up: None,
            extra: Extra::new(),
        }
    }

    fn review(verdict: Verdict, seen: &str) -> Review {
        Review {
            at: "2026-03-01T00:00:00Z".parse().expect("ts"),
            reviewer: "ana".into(),
            verdict,
            note: String::new(),
            seen_through: Some(seen.parse().expect("ts")),
            extra: Extra::new(),
        }
    }

    fn claim() -> Claim {
        let mut c = Claim::new("c", "t");
        *c.updates = vec![
            update("2026-01-01T00:00:00Z", "in_progress"),
            update("2026-01-02T00:00:00Z", "in_progress"),
            update("2026-01-03T00:00:00Z", "complete"),
        ];
        c
    }

    #[test]
    fn unreviewed_claims_need_review() {
        let n = NeedsReview::of(&claim(), day("2026-02-01"));
        assert!(n.unreviewed && n.any());
        assert_eq!(n.new_updates, 0);
        assert_eq!(n.marks(), "?");
    }

    #[test]
    fn new_updates_count_after_seen_through() {
        let mut c = claim();
        c.reviews
            .push(review(Verdict::Complete, "2026-01-01T00:00:00Z"));
        let n = NeedsReview::of(&c, day("2026-02-01"));
        assert_eq!(n.new_updates, 2);
        assert!(!n.disagrees);
        assert_eq!(
            n.marks(),
            "+2~",
            "two new updates, and the status changed among them"
        );
        c.reviews
            .push(review(Verdict::Complete, "2026-01-03T00:00:00Z"));
        assert!(!NeedsReview::of(&c, day("2026-02-01")).any());
    }

    #[test]
    fn disagreement_with_the_tracker() {
        let mut c = claim();
        c.reviews
            .push(review(Verdict::InProgress, "2026-01-03T00:00:00Z"));
        assert!(
            NeedsReview::of(&c, day("2026-02-01")).disagrees,
            "tracker complete, verdict not"
        );
        c.updates
            .push(update("2026-01-04T00:00:00Z", "in_progress"));
        c.reviews
            .push(review(Verdict::Partial, "2026-01-04T00:00:00Z"));
        assert!(
            !NeedsReview::of(&c, day("2026-02-01")).any(),
            "in_progress vs partial is fine"
        );
        c.updates.push(update("2026-01-05T00:00:00Z", "failed"));
        c.reviews
            .push(review(Verdict::Stalled, "2026-01-05T00:00:00Z"));
        assert!(
            NeedsReview::of(&c, day("2026-02-01")).disagrees,
            "tracker failed, verdict not"
        );
        c.reviews
            .push(review(Verdict::Failed, "2026-01-05T00:00:00Z"));
        assert!(!NeedsReview::of(&c, day("2026-02-01")).disagrees);
    }

    #[test]
    fn a_flip_after_the_review_makes_the_tracker_unstable() {
        let mut c = claim();
        // Reviewed at the second update: the change to complete came after.
        c.reviews
            .push(review(Verdict::Complete, "2026-01-02T00:00:00Z"));
        let n = NeedsReview::of(&c, day("2026-02-01"));
        assert!(n.unstable);
        assert!(n.marks().contains('~'));
        assert!(
            n.reasons()
                .iter()
                .any(|r| r.starts_with("tracker unstable"))
        );
        // Reviewed after the change: stable.
        c.reviews
            .push(review(Verdict::Complete, "2026-01-03T00:00:00Z"));
        assert!(!NeedsReview::of(&c, day("2026-02-01")).unstable);
        assert!(!c.status_flip_flops());
        c.updates
            .push(update("2026-01-04T00:00:00Z", "in_progress"));
        assert!(
            c.status_flip_flops(),
            "in_progress → complete → in_progress"
        );
    }

    #[test]
    fn due_follow_ups() {
        let mut c = claim();
        c.reviews
            .push(review(Verdict::Complete, "2026-01-03T00:00:00Z"));
        c.follow_ups.push(FollowUp::scheduled(day("2026-02-01")));
        assert!(!NeedsReview::of(&c, day("2026-01-31")).any());
        assert_eq!(NeedsReview::of(&c, day("2026-02-01")).marks(), "!");
        assert!(NeedsReview::of(&c, day("2026-02-02")).follow_up_due);
    }
}
