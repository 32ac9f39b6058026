//! Which claims the list shows and in what order: the sorts and filters.

use crate::model::{Claim, NeedsReview, Verdict, Workspace};
use chrono::NaiveDate;
use std::cmp::Reverse;

/// The list's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// As in the workspace file.
    #[default]
    File,
    /// Claims in the review queue first, most reasons first; the rest in file order.
    NeedsReview,
    /// Soonest next follow-up first (overdue ones first of all).
    NextFollowUp,
    /// Newest update first.
    LatestUpdate,
    Title,
}

impl Sort {
    pub fn next(self) -> Self {
        match self {
            Self::File => Self::NeedsReview,
            Self::NeedsReview => Self::NextFollowUp,
            Self::NextFollowUp => Self::LatestUpdate,
            Self::LatestUpdate => Self::Title,
            Self::Title => Self::File,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::File => "by file",
            Self::NeedsReview => "review first",
            Self::NextFollowUp => "by follow-up",
            Self::LatestUpdate => "by update",
            Self::Title => "by title",
        }
    }
}

/// Which claims the list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    NeedsReview,
    /// A follow-up due today or overdue.
    Due,
    /// The current verdict; None is unreviewed.
    Verdict(Option<Verdict>),
    /// The tracker's latest status.
    Status(String),
    Tag(String),
    /// Assigned to this reviewer (None: to no one).
    Assigned(Option<String>),
}

impl Filter {
    pub fn label(&self) -> String {
        match self {
            Self::All => "all".to_owned(),
            Self::NeedsReview => "needs review".to_owned(),
            Self::Due => "follow-up due".to_owned(),
            Self::Verdict(None) => "unreviewed".to_owned(),
            Self::Verdict(Some(v)) => format!("verdict {v}"),
            Self::Status(s) => format!("tracker {s}"),
            Self::Tag(t) => format!("#{t}"),
            Self::Assigned(None) => "unassigned".to_owned(),
            Self::Assigned(Some(a)) => format!("assigned to {}", crate::model::display_safe(a)),
        }
    }

    pub fn matches(&self, claim: &Claim, today: NaiveDate) -> bool {
        match self {
            Self::All => true,
            Self::NeedsReview => NeedsReview::of(claim, today).wants_verdict(),
            Self::Due => claim.follow_ups_due(today) > 0,
            Self::Verdict(v) => claim.verdict() == *v,
            Self::Status(s) => claim.latest_status() == Some(s.as_str()),
            Self::Tag(t) => claim.tags.iter().any(|x| x == t),
            Self::Assigned(a) => claim.assigned_to == *a,
        }
    }
}

/// Every filter worth offering for this workspace, in menu order.
pub fn filter_choices(workspace: &Workspace) -> Vec<Filter> {
    let mut out = vec![
        Filter::All,
        Filter::NeedsReview,
        Filter::Due,
        Filter::Verdict(None),
    ];
    out.extend(Verdict::ALL.iter().map(|v| Filter::Verdict(Some(*v))));
    let mut statuses: Vec<&str> = workspace
        .claims
        .iter()
        .filter_map(|c| c.latest_status())
        .collect();
    statuses.sort_unstable();
    statuses.dedup();
    out.extend(statuses.into_iter().map(|s| Filter::Status(s.to_owned())));
    let mut tags: Vec<&str> = workspace
        .claims
        .iter()
        .flat_map(|c| c.tags.iter().map(String::as_str))
        .filter(|t| crate::model::text::shown_tag(t).is_some())
        .collect();
    tags.sort_unstable();
    tags.dedup();
    out.extend(tags.into_iter().map(|t| Filter::Tag(t.to_owned())));
    // Who has what: the unassigned, then each reviewer with a claim assigned.
    let mut assignees: Vec<&str> = workspace
        .claims
        .iter()
        .filter_map(|c| c.assigned_to.as_deref())
        .collect();
    assignees.sort_unstable();
    assignees.dedup();
    if !assignees.is_empty() {
        out.push(Filter::Assigned(None));
        out.extend(
            assignees
                .into_iter()
                .map(|a| Filter::Assigned(Some(a.to_owned()))),
        );
    }
    out
}

/// The list's claims: indices into `workspace.claims`, filtered and sorted.
pub fn build(
    workspace: &Workspace,
    sort: &Sort,
    filter: &Filter,
    today: NaiveDate,
    search: Option<&crate::search::Results>,
) -> Vec<usize> {
    let claims = &workspace.claims;
    // A search narrows the list to its hits, best first.
    let candidates: Vec<usize> = match search {
        Some(results) => results
            .hits
            .iter()
            .map(|h| h.claim)
            .filter(|&i| i < claims.len())
            .collect(),
        None => (0..claims.len()).collect(),
    };
    let mut view: Vec<usize> = candidates
        .into_iter()
        .filter(|&i| filter.matches(&claims[i], today))
        .collect();
    match sort {
        Sort::File => {}
        Sort::NeedsReview => {
            view.sort_by_cached_key(|&i| Reverse(NeedsReview::of(&claims[i], today).weight()))
        }
        Sort::NextFollowUp => view.sort_by_key(|&i| {
            claims[i]
                .next_follow_up()
                .map_or((1, NaiveDate::MAX), |f| (0, f.date))
        }),
        Sort::LatestUpdate => {
            view.sort_by_key(|&i| Reverse(claims[i].latest_update().map(|u| u.at)))
        }
        Sort::Title => view.sort_by_cached_key(|&i| claims[i].title.to_lowercase()),
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FollowUp;

    fn ws() -> Workspace {
        let mut a = Claim::new("a", "Zebra");
        a.tags = vec!["security".into()];
        a.follow_ups
            .push(FollowUp::scheduled("2026-05-01".parse().expect("date")));
        let mut b = Claim::new("b", "apple");
        b.follow_ups
            .push(FollowUp::scheduled("2026-03-01".parse().expect("date")));
        let c = Claim::new("c", "Mango");
        Workspace {
            claims: vec![a, b, c],
            ..Workspace::default()
        }
    }

    #[test]
    fn sorts_and_filters() {
        let today = "2026-04-01".parse().expect("date");
        let w = ws();
        let b = |s: Sort, f: Filter| build(&w, &s, &f, today, None);
        assert_eq!(b(Sort::File, Filter::All), [0, 1, 2]);
        assert_eq!(b(Sort::Title, Filter::All), [1, 2, 0]);
        assert_eq!(b(Sort::NextFollowUp, Filter::All), [1, 0, 2]);
        assert_eq!(b(Sort::File, Filter::Tag("security".into())), [0]);
        assert_eq!(b(Sort::File, Filter::Due), [1]);
        // All three want a verdict (none has one), in file order: b's overdue follow-up
        // does not put it first, for it is no reason to review.
        assert_eq!(b(Sort::NeedsReview, Filter::All), [0, 1, 2]);
        let mut w = ws();
        w.claims[0].reviews.push(crate::model::Review {
            at: "2026-03-01T00:00:00Z".parse().expect("ts"),
            reviewer: "ana".into(),
            verdict: Verdict::Stalled,
            note: String::new(),
            seen_through: None,
            extra: Default::default(),
        });
        let b = |s: Sort, f: Filter| build(&w, &s, &f, today, None);
        assert_eq!(
            b(Sort::NeedsReview, Filter::All),
            [1, 2, 0],
            "reviewed: last"
        );
        assert_eq!(b(Sort::File, Filter::NeedsReview), [1, 2]);
        let w = ws();
        let hit = |claim| crate::search::Hit {
            claim,
            ..Default::default()
        };
        let hits = crate::search::Results {
            query: "x".into(),
            hits: vec![hit(2), hit(0)],
            complete: true,
        };
        assert_eq!(
            build(&w, &Sort::File, &Filter::All, today, Some(&hits)),
            [2, 0],
            "hits, best first"
        );
        let mut s = Sort::File;
        for _ in 0..5 {
            s = s.next();
        }
        assert_eq!(s, Sort::File, "the sort cycles");
        let choices = filter_choices(&w);
        assert!(choices.contains(&Filter::Tag("security".into())));
        assert_eq!(
            choices[..4],
            [
                Filter::All,
                Filter::NeedsReview,
                Filter::Due,
                Filter::Verdict(None)
            ]
        );
    }
}
