//! The review queue's rules: which claims want a verdict from a reviewer, and why. The
//! one owner of that rule: the list's marks, its *review first* sort, its *needs review*
//! filter, `]`, `[` and `V`, every count on screen and `list --needs-review` all ask here.

use super::{Claim, Due, Verdict};
use chrono::NaiveDate;

/// Why a claim wants a verdict, each shown as a short mark in the claim list, and two
/// things shown beside them that are not reasons: a verdict that differs from the
/// tracker (a reviewer's decision, settled by being made) and a follow-up that is due
/// (the agenda's business).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NeedsReview {
    /// No verdict yet.
    pub unreviewed: bool,
    /// Updates that arrived after the last review's `seen_through`.
    pub new_updates: usize,
    /// The tracker's status changed after the last review's `seen_through`.
    pub unstable: bool,
    /// Two reviewers' latest verdicts on the same evidence contradict each other: a
    /// second opinion is wanted until one records a verdict the other's does not
    /// contradict.
    pub split: Option<Split>,
    /// Not a reason: the tracker's latest status differs from the verdict (`complete` or
    /// `failed` on one side and not the other). The verdict was the reviewer's decision on
    /// that evidence; the claim comes back when the evidence changes (new updates, a new
    /// status), which the reasons above already say.
    pub disagrees: bool,
    /// Not a reason: a follow-up is due today or overdue.
    pub follow_up_due: bool,
}

/// Two reviewers who disagree: the earlier one's name and verdict, then the later's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub first: (String, Verdict),
    pub second: (String, Verdict),
}

impl Split {
    /// Each reviewer's latest verdict counts; of those, the ones made on the newest
    /// evidence anyone reviewed (the latest review's `seen_through`) are compared. The
    /// latest review and the most recent one it contradicts make the split.
    pub fn of(claim: &Claim) -> Option<Self> {
        let last = claim.reviews.last()?;
        let mut latest: Vec<&super::Review> = Vec::new();
        for r in claim.reviews.iter().rev() {
            if !latest.iter().any(|l| l.reviewer == r.reviewer) {
                latest.push(r);
            }
        }
        let other = latest
            .iter()
            .skip(1)
            .find(|r| r.seen_through == last.seen_through && r.verdict.contradicts(last.verdict))?;
        Some(Self {
            first: (other.reviewer.clone(), other.verdict),
            second: (last.reviewer.clone(), last.verdict),
        })
    }

    /// `ana says failed, ben says complete`.
    pub fn describe(&self) -> String {
        format!(
            "{} says {}, {} says {}",
            super::display_safe(&self.first.0),
            self.first.1.as_str(),
            super::display_safe(&self.second.0),
            self.second.1.as_str()
        )
    }
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
            split: Split::of(claim),
        }
    }

    /// Whether the claim is in the review queue: it wants a verdict from a reviewer (no
    /// verdict yet, evidence new since the last one, or reviewers split). A verdict that
    /// differs from the tracker and a follow-up that is due do not keep it there.
    pub fn wants_verdict(&self) -> bool {
        self.weight() > 0
    }

    /// How many reasons the claim has: the *review first* sort puts more before fewer.
    pub fn weight(&self) -> u8 {
        u8::from(self.unreviewed)
            + u8::from(self.new_updates > 0)
            + u8::from(self.unstable)
            + u8::from(self.split.is_some())
    }

    /// The marks, most important first: `?` unreviewed, `+N` new updates, `≠` the
    /// verdict differs from the tracker, `≠ana/ben` two reviewers disagree, `~` tracker
    /// unstable, `!` follow-up due. `≠` and `!` are not reasons (see the fields).
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
        if let Some(split) = &self.split {
            out.push_str(&format!(
                "≠{}/{}",
                super::text::short_name(&split.first.0),
                super::text::short_name(&split.second.0)
            ));
        }
        if self.unstable {
            out.push('~');
        }
        if self.follow_up_due {
            out.push('!');
        }
        out
    }

    /// Why the claim wants a verdict, in words: empty when it does not.
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
        if let Some(split) = &self.split {
            out.push(format!(
                "reviewers disagree: {}; a verdict one of them does not contradict settles it",
                split.describe()
            ));
        }
        if self.unstable {
            out.push("tracker unstable: its status changed since the last review".to_owned());
        }
        out
    }

    /// What the marks say that is not a reason, in words.
    pub fn remarks(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.disagrees {
            out.push(
                "the verdict differs from the tracker's status (the reviewer's decision; the claim comes back when the evidence changes)"
                    .to_owned(),
            );
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
        assert!(n.unreviewed && n.wants_verdict());
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
        assert!(!NeedsReview::of(&c, day("2026-02-01")).wants_verdict());
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
            !NeedsReview::of(&c, day("2026-02-01")).wants_verdict(),
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

    fn by(reviewer: &str, verdict: Verdict, seen: &str) -> Review {
        Review {
            reviewer: reviewer.into(),
            ..review(verdict, seen)
        }
    }

    #[test]
    fn two_reviewers_who_disagree_want_a_second_opinion_until_one_settles_it() {
        let mut c = claim();
        let seen = "2026-01-03T00:00:00Z";
        c.reviews.push(by("ana", Verdict::Failed, seen));
        c.reviews.push(by("ben", Verdict::Complete, seen));
        let n = NeedsReview::of(&c, day("2026-02-01"));
        assert!(n.wants_verdict());
        // The tracker says complete, as ben does: the only ≠ is the reviewers'.
        assert_eq!(n.marks(), "≠ana/ben");
        assert!(
            n.reasons()
                .iter()
                .any(|r| r.contains("ana says failed, ben says complete"))
        );
        // A third reviewer agreeing with ben settles nothing: ana still says otherwise.
        c.reviews.push(by("cy", Verdict::Complete, seen));
        assert_eq!(
            NeedsReview::of(&c, day("2026-02-01"))
                .split
                .map(|s| s.first.0),
            Some("ana".to_owned())
        );
        // ana comes round: settled.
        c.reviews.push(by("ana", Verdict::Complete, seen));
        assert_eq!(NeedsReview::of(&c, day("2026-02-01")).split, None);
    }

    #[test]
    fn verdicts_that_say_the_same_or_saw_other_evidence_do_not_split() {
        let mut c = claim();
        c.reviews
            .push(by("ana", Verdict::InProgress, "2026-01-03T00:00:00Z"));
        c.reviews
            .push(by("ben", Verdict::Partial, "2026-01-03T00:00:00Z"));
        assert_eq!(NeedsReview::of(&c, day("2026-02-01")).split, None);
        // ana's verdict was on older evidence: ben's later one is not contradicted.
        let mut c = claim();
        c.reviews
            .push(by("ana", Verdict::Stalled, "2026-01-02T00:00:00Z"));
        c.reviews
            .push(by("ben", Verdict::Complete, "2026-01-03T00:00:00Z"));
        assert_eq!(NeedsReview::of(&c, day("2026-02-01")).split, None);
        // One reviewer changing their mind is no split.
        let mut c = claim();
        c.reviews
            .push(by("ana", Verdict::Stalled, "2026-01-03T00:00:00Z"));
        c.reviews
            .push(by("ana", Verdict::Complete, "2026-01-03T00:00:00Z"));
        assert_eq!(NeedsReview::of(&c, day("2026-02-01")).split, None);
    }

    #[test]
    fn names_in_marks_are_short_and_safe() {
        use crate::model::text::short_name;
        assert_eq!(short_name("ana"), "ana");
        assert_eq!(short_name("bartholomew"), "bartholo…");
        assert!(!short_name("\u{1b}[31mben").contains('\u{1b}'));
    }

    #[test]
    fn a_due_follow_up_is_marked_but_keeps_no_reviewed_claim_in_the_queue() {
        let mut c = claim();
        c.reviews
            .push(review(Verdict::Complete, "2026-01-03T00:00:00Z"));
        c.follow_ups.push(FollowUp::scheduled(day("2026-02-01")));
        assert_eq!(NeedsReview::of(&c, day("2026-01-31")).marks(), "");
        let due = NeedsReview::of(&c, day("2026-02-02"));
        assert_eq!(due.marks(), "!");
        assert!(due.follow_up_due);
        assert!(
            !due.wants_verdict(),
            "overdue, and reviewed: not in the queue"
        );
        assert!(due.reasons().is_empty());
        assert_eq!(due.remarks(), ["a follow-up is due"]);
        // Unreviewed, it is in the queue for that reason alone.
        c.reviews.clear();
        let n = NeedsReview::of(&c, day("2026-02-02"));
        assert_eq!(
            (n.weight(), n.reasons()),
            (1, vec!["no verdict yet".to_owned()])
        );
    }

    #[test]
    fn a_verdict_against_the_tracker_settles_until_the_evidence_changes() {
        let mut c = claim();
        // The tracker says complete; the reviewer decides it is not.
        c.reviews
            .push(review(Verdict::InProgress, "2026-01-03T00:00:00Z"));
        let n = NeedsReview::of(&c, day("2026-02-01"));
        assert!(n.disagrees, "the mark stays");
        assert_eq!(n.marks(), "≠");
        assert!(
            !n.wants_verdict(),
            "the reviewer's decision: out of the queue"
        );
        // The tracker writes again, still complete: new evidence, back in the queue.
        c.updates.push(update("2026-01-04T00:00:00Z", "complete"));
        let n = NeedsReview::of(&c, day("2026-02-01"));
        assert_eq!(
            (n.wants_verdict(), n.new_updates, n.unstable),
            (true, 1, false)
        );
        // Reviewed again on it, still against the tracker: settled again.
        c.reviews
            .push(review(Verdict::InProgress, "2026-01-04T00:00:00Z"));
        assert!(!NeedsReview::of(&c, day("2026-02-01")).wants_verdict());
        // The tracker's status changes: back, and unstable.
        c.updates.push(update("2026-01-05T00:00:00Z", "failed"));
        let n = NeedsReview::of(&c, day("2026-02-01"));
        assert!(n.wants_verdict() && n.unstable);
    }
}
