//! Every change a reviewer can make to a workspace, as data. `apply` carries one out and
//! returns the edit that undoes it, so undo, redo and (later) a journal all speak the
//! same language.

use super::{Claim, FollowUp, Review, Workspace};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One change to one claim. Written as an object tagged by `edit`; read through
/// `EditFields` (below), not serde's internally tagged form, which buffers every value
/// and so cannot keep unknown fields as their exact text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum Edit {
    /// Appends a review (a verdict with its rationale).
    AddReview {
        claim: String,
        review: Review,
    },
    /// Removes the claim's latest review, which must be this one. Only ever made as the
    /// undo of an `AddReview`: earlier reviews are never touched.
    RemoveLastReview {
        claim: String,
        review: Review,
    },
    SetTitle {
        claim: String,
        title: String,
    },
    SetTags {
        claim: String,
        tags: Vec<String>,
    },
    /// Assigns the claim to a reviewer, or to no one.
    Assign {
        claim: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        assignee: Option<String>,
    },
    /// Adds a follow-up on a day that has none.
    AddFollowUp {
        claim: String,
        follow_up: FollowUp,
    },
    /// Deletes the follow-up on `date` (the `nth` of that day's, from 0: a day may have
    /// several); its first date is kept in `deleted_follow_ups`.
    RemoveFollowUp {
        claim: String,
        date: NaiveDate,
        #[serde(default, skip_serializing_if = "is_zero")]
        nth: usize,
    },
    /// Takes back a follow-up just added: the undo of an `AddFollowUp`, which leaves no
    /// trace in `deleted_follow_ups`.
    WithdrawFollowUp {
        claim: String,
        date: NaiveDate,
        #[serde(default, skip_serializing_if = "is_zero")]
        nth: usize,
    },
    /// Puts a deleted follow-up back, the `nth` of its day's, and forgets its deletion:
    /// the undo of a `RemoveFollowUp`.
    RestoreFollowUp {
        claim: String,
        follow_up: FollowUp,
        #[serde(default, skip_serializing_if = "is_zero")]
        nth: usize,
    },
    /// Replaces the follow-up on `date` (the `nth` of that day's) with `follow_up`: its
    /// state, note or date. Moved to another day, it becomes that day's `at`-th (after
    /// the others there when `at` is their number).
    ReplaceFollowUp {
        claim: String,
        date: NaiveDate,
        #[serde(default, skip_serializing_if = "is_zero")]
        nth: usize,
        follow_up: FollowUp,
        #[serde(default, skip_serializing_if = "is_zero")]
        at: usize,
    },
    /// Several edits made as one (a verdict on every marked claim): applied in order,
    /// all or none, undone as one, and written to the journal as one line, so a torn
    /// write keeps all of them or none.
    Batch {
        edits: Vec<Edit>,
    },
    /// Not a change that can be made again: the journal's note that `claimdesk import`
    /// merged `count` claims from `files` into the file at this point. The import is in
    /// the file it saved, not in the journal; `recover`, rebuilding from a `.bak` older
    /// than it, meets this note and names the import to run again instead of dropping it
    /// without a word.
    Import {
        files: Vec<String>,
        count: usize,
    },
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Every field any edit has, read in one pass whatever their order.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditFields {
    edit: String,
    claim: Option<String>,
    edits: Option<Vec<Edit>>,
    review: Option<Review>,
    title: Option<String>,
    tags: Option<Vec<String>>,
    assignee: Option<String>,
    follow_up: Option<FollowUp>,
    date: Option<NaiveDate>,
    nth: Option<usize>,
    at: Option<usize>,
    files: Option<Vec<String>>,
    count: Option<usize>,
}

impl<'de> Deserialize<'de> for Edit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let f = EditFields::deserialize(deserializer)?;
        let need = |name: &'static str| D::Error::missing_field(name);
        if f.edit == "batch" {
            return Ok(Self::Batch {
                edits: f.edits.ok_or_else(|| need("edits"))?,
            });
        }
        if f.edit == "import" {
            return Ok(Self::Import {
                files: f.files.ok_or_else(|| need("files"))?,
                count: f.count.ok_or_else(|| need("count"))?,
            });
        }
        let claim = f.claim.ok_or_else(|| need("claim"))?;
        let (nth, at) = (f.nth.unwrap_or(0), f.at.unwrap_or(0));
        Ok(match f.edit.as_str() {
            "add_review" => Self::AddReview {
                claim,
                review: f.review.ok_or_else(|| need("review"))?,
            },
            "remove_last_review" => Self::RemoveLastReview {
                claim,
                review: f.review.ok_or_else(|| need("review"))?,
            },
            "set_title" => Self::SetTitle {
                claim,
                title: f.title.ok_or_else(|| need("title"))?,
            },
            "set_tags" => Self::SetTags {
                claim,
                tags: f.tags.ok_or_else(|| need("tags"))?,
            },
            "assign" => Self::Assign {
                claim,
                assignee: f.assignee,
            },
            "add_follow_up" => Self::AddFollowUp {
                claim,
                follow_up: f.follow_up.ok_or_else(|| need("follow_up"))?,
            },
            "remove_follow_up" => Self::RemoveFollowUp {
                claim,
                date: f.date.ok_or_else(|| need("date"))?,
                nth,
            },
            "withdraw_follow_up" => Self::WithdrawFollowUp {
                claim,
                date: f.date.ok_or_else(|| need("date"))?,
                nth,
            },
            "restore_follow_up" => Self::RestoreFollowUp {
                claim,
                follow_up: f.follow_up.ok_or_else(|| need("follow_up"))?,
                nth,
            },
            "replace_follow_up" => Self::ReplaceFollowUp {
                claim,
                date: f.date.ok_or_else(|| need("date"))?,
                nth,
                follow_up: f.follow_up.ok_or_else(|| need("follow_up"))?,
                at,
            },
            other => {
                return Err(D::Error::unknown_variant(
                    other,
                    &[
                        "add_review",
                        "remove_last_review",
                        "set_title",
                        "set_tags",
                        "assign",
                        "add_follow_up",
                        "remove_follow_up",
                        "withdraw_follow_up",
                        "restore_follow_up",
                        "replace_follow_up",
                        "batch",
                        "import",
                    ],
                ));
            }
        })
    }
}

/// Why an edit could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    NoSuchClaim(String),
    NoFollowUpOn(NaiveDate),
    FollowUpExists(NaiveDate),
    NotTheLatestReview,
    /// An import's note: what it merged is not in the journal to be made again.
    NotReplayable,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSuchClaim(id) => write!(f, "no claim {id}"),
            Self::NoFollowUpOn(d) => write!(f, "no follow-up on {}", d.format("%b %-d, %Y")),
            Self::FollowUpExists(d) => {
                write!(f, "a follow-up is already on {}", d.format("%b %-d, %Y"))
            }
            Self::NotTheLatestReview => f.write_str("that review is no longer the latest"),
            Self::NotReplayable => {
                f.write_str("an import is not in the journal; run the import again")
            }
        }
    }
}

impl std::error::Error for EditError {}

impl Edit {
    /// The claim the edit changes (a batch: its first edit's claim).
    pub fn claim_id(&self) -> &str {
        match self {
            Self::Batch { edits } => edits.first().map_or("", Self::claim_id),
            Self::Import { .. } => "",
            Self::AddReview { claim, .. }
            | Self::RemoveLastReview { claim, .. }
            | Self::SetTitle { claim, .. }
            | Self::SetTags { claim, .. }
            | Self::Assign { claim, .. }
            | Self::AddFollowUp { claim, .. }
            | Self::RemoveFollowUp { claim, .. }
            | Self::RestoreFollowUp { claim, .. }
            | Self::WithdrawFollowUp { claim, .. }
            | Self::ReplaceFollowUp { claim, .. } => claim,
        }
    }

    /// The edits a batch is made of, batches inside it opened too; any other edit alone.
    pub fn leaves(&self) -> Vec<&Edit> {
        match self {
            Self::Batch { edits } => edits.iter().flat_map(Self::leaves).collect(),
            one => vec![one],
        }
    }

    /// What the edit does, for "undid …" messages.
    pub fn describe(&self) -> String {
        let day = |d: &NaiveDate| d.format("%b %-d").to_string();
        match self {
            Self::Import { files, count } => format!(
                "import of {} from {}",
                super::text::count(*count, "claim"),
                files
                    .iter()
                    .map(|f| super::display_safe(f))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::Batch { edits } => {
                let claims: std::collections::BTreeSet<&str> =
                    edits.iter().map(Self::claim_id).collect();
                let what = match edits.first() {
                    Some(first)
                        if edits.iter().all(|e| {
                            std::mem::discriminant(e) == std::mem::discriminant(first)
                        }) =>
                    {
                        match first {
                            Self::AddReview { review, .. } => format!("verdict {}", review.verdict),
                            Self::RemoveLastReview { review, .. } => {
                                format!("removal of verdict {}", review.verdict)
                            }
                            Self::SetTags { .. } => "tags edit".to_owned(),
                            Self::ReplaceFollowUp { .. } => "follow-up change".to_owned(),
                            other => other.describe(),
                        }
                    }
                    _ => "change".to_owned(),
                };
                format!("{what} on {}", super::text::count(claims.len(), "claim"))
            }
            Self::AddReview { review, .. } => format!("verdict {}", review.verdict),
            Self::RemoveLastReview { review, .. } => {
                format!("removal of verdict {}", review.verdict)
            }
            Self::SetTitle { .. } => "title edit".to_owned(),
            Self::SetTags { .. } => "tags edit".to_owned(),
            Self::Assign {
                assignee: Some(a), ..
            } => format!("assignment to {}", super::display_safe(a)),
            Self::Assign { assignee: None, .. } => "unassignment".to_owned(),
            Self::AddFollowUp { follow_up, .. } => format!("follow-up on {}", day(&follow_up.date)),
            Self::RemoveFollowUp { date, .. } => format!("deletion of the {} follow-up", day(date)),
            Self::WithdrawFollowUp { date, .. } => {
                format!("removal of the {} follow-up", day(date))
            }
            Self::RestoreFollowUp { follow_up, .. } => {
                format!("return of the {} follow-up", day(&follow_up.date))
            }
            Self::ReplaceFollowUp {
                date, follow_up, ..
            } if *date != follow_up.date => {
                format!(
                    "move of the follow-up {} → {}",
                    day(date),
                    day(&follow_up.date)
                )
            }
            Self::ReplaceFollowUp { follow_up, .. } => {
                format!("change to the {} follow-up", day(&follow_up.date))
            }
        }
    }
}

/// The part of a claim an edit changes, as `claim` has it. On a shared workspace an edit
/// goes onto the copy the server holds only where that part is as its maker saw it:
/// otherwise someone else changed it meanwhile, and the edit would overwrite their
/// change without a word.
#[derive(Debug, Clone, PartialEq)]
pub enum Part<'a> {
    Title(&'a str),
    Tags(&'a [String]),
    Assigned(Option<&'a str>),
    /// The follow-ups on the days the edit touches, each day's all (none where a day
    /// has none).
    FollowUps(Vec<(NaiveDate, Vec<&'a FollowUp>)>),
    /// Reviews are appended, never changed: no one else's change is in the way.
    Reviews,
}

impl Part<'_> {
    /// Whether two parts say the same: fields kept as the file wrote them (unknown
    /// ones) count by their meaning, not by their spacing, which differs between a file
    /// and the server's compact copy of the same row.
    pub fn same_as(&self, other: &Part<'_>) -> bool {
        match (self, other) {
            (Part::FollowUps(a), Part::FollowUps(b)) => {
                let meaning = |days: &[(NaiveDate, Vec<&FollowUp>)]| {
                    days.iter()
                        .map(|(d, fs)| {
                            let fs: Vec<_> =
                                fs.iter().map(|f| serde_json::to_value(f).ok()).collect();
                            (*d, fs)
                        })
                        .collect::<Vec<_>>()
                };
                meaning(a) == meaning(b)
            }
            (a, b) => a == b,
        }
    }

    /// The part, in words, for "… changed it meanwhile: …".
    pub fn describe(&self) -> String {
        let day = |d: &NaiveDate| d.format("%b %-d").to_string();
        match self {
            Part::Title(t) => format!("the title is now \"{}\"", super::display_safe(t)),
            Part::Tags([]) => "the tags are now none".to_owned(),
            Part::Tags(tags) => format!(
                "the tags are now {}",
                tags.iter()
                    .map(|t| format!("#{}", super::display_safe(t)))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Part::Assigned(None) => "it is now assigned to no one".to_owned(),
            Part::Assigned(Some(a)) => {
                format!("it is now assigned to {}", super::display_safe(a))
            }
            Part::FollowUps(days) => days
                .iter()
                .flat_map(|(d, fs)| {
                    if fs.is_empty() {
                        return vec![format!("{} has no follow-up now", day(d))];
                    }
                    fs.iter()
                        .map(|f| match f.note.as_str() {
                            "" => format!("the {} follow-up is now {}", day(d), f.state.as_str()),
                            note => format!(
                                "the {} follow-up is now {}: \"{}\"",
                                day(d),
                                f.state.as_str(),
                                super::display_safe(note)
                            ),
                        })
                        .collect()
                })
                .collect::<Vec<_>>()
                .join("; "),
            Part::Reviews => "its reviews".to_owned(),
        }
    }
}

/// The part of `claim` that `edit` (one edit, not a batch) changes.
pub fn part<'a>(claim: &'a Claim, edit: &Edit) -> Part<'a> {
    let on = |d: &NaiveDate| (*d, claim.follow_ups_on(*d).collect());
    match edit {
        Edit::SetTitle { .. } => Part::Title(&claim.title),
        Edit::SetTags { .. } => Part::Tags(&claim.tags),
        Edit::Assign { .. } => Part::Assigned(claim.assigned_to.as_deref()),
        Edit::AddFollowUp { follow_up, .. } | Edit::RestoreFollowUp { follow_up, .. } => {
            Part::FollowUps(vec![on(&follow_up.date)])
        }
        Edit::RemoveFollowUp { date, .. } | Edit::WithdrawFollowUp { date, .. } => {
            Part::FollowUps(vec![on(date)])
        }
        Edit::ReplaceFollowUp {
            date, follow_up, ..
        } if *date != follow_up.date => Part::FollowUps(vec![on(date), on(&follow_up.date)]),
        Edit::ReplaceFollowUp { date, .. } => Part::FollowUps(vec![on(date)]),
        Edit::AddReview { .. }
        | Edit::RemoveLastReview { .. }
        | Edit::Batch { .. }
        | Edit::Import { .. } => Part::Reviews,
    }
}

/// Carries out `edit` and returns the edit that undoes it. On error nothing changed.
pub fn apply(workspace: &mut Workspace, edit: &Edit) -> Result<Edit, EditError> {
    if let Edit::Batch { edits } = edit {
        let mut undo = Vec::with_capacity(edits.len());
        for e in edits {
            match apply(workspace, e) {
                Ok(back) => undo.push(back),
                Err(error) => {
                    // All or none: what was done is taken back, newest first.
                    for back in undo.iter().rev() {
                        let _ = apply(workspace, back);
                    }
                    return Err(error);
                }
            }
        }
        undo.reverse();
        return Ok(Edit::Batch { edits: undo });
    }
    if let Edit::Import { .. } = edit {
        return Err(EditError::NotReplayable);
    }
    let id = edit.claim_id().to_owned();
    let claim = workspace
        .claims
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| EditError::NoSuchClaim(id.clone()))?;
    apply_to_claim(claim, edit)
}

fn apply_to_claim(claim: &mut Claim, edit: &Edit) -> Result<Edit, EditError> {
    let id = claim.id.clone();
    Ok(match edit {
        Edit::Batch { .. } | Edit::Import { .. } => {
            unreachable!("a batch is applied edit by edit, and an import not at all, by `apply`")
        }
        Edit::AddReview { review, .. } => {
            claim.reviews.push(review.clone());
            Edit::RemoveLastReview {
                claim: id,
                review: review.clone(),
            }
        }
        Edit::RemoveLastReview { review, .. } => {
            if claim.reviews.last() != Some(review) {
                return Err(EditError::NotTheLatestReview);
            }
            claim.reviews.pop();
            Edit::AddReview {
                claim: id,
                review: review.clone(),
            }
        }
        Edit::SetTitle { title, .. } => {
            let old = std::mem::replace(&mut claim.title, title.clone());
            Edit::SetTitle {
                claim: id,
                title: old,
            }
        }
        Edit::SetTags { tags, .. } => {
            let old = std::mem::replace(&mut claim.tags, tags.clone());
            Edit::SetTags {
                claim: id,
                tags: old,
            }
        }
        Edit::Assign { assignee, .. } => {
            let old = std::mem::replace(&mut claim.assigned_to, assignee.clone());
            Edit::Assign {
                claim: id,
                assignee: old,
            }
        }
        Edit::AddFollowUp { follow_up, .. } => {
            // A reviewer schedules one a day; days the tracker gave several keep them.
            if claim.follow_ups.iter().any(|f| f.date == follow_up.date) {
                return Err(EditError::FollowUpExists(follow_up.date));
            }
            let nth = claim.place_follow_up(follow_up.clone(), 0);
            Edit::WithdrawFollowUp {
                claim: id,
                date: follow_up.date,
                nth,
            }
        }
        Edit::RemoveFollowUp { date, nth, .. } => {
            let pos = claim
                .follow_up_index(*date, *nth)
                .ok_or(EditError::NoFollowUpOn(*date))?;
            let removed = claim.follow_ups.remove(pos);
            let first = removed.first_date();
            if !claim.deleted_follow_ups.contains(&first) {
                claim.deleted_follow_ups.push(first);
                claim.deleted_follow_ups.sort();
            }
            Edit::RestoreFollowUp {
                claim: id,
                follow_up: removed,
                nth: *nth,
            }
        }
        Edit::WithdrawFollowUp { date, nth, .. } => {
            let pos = claim
                .follow_up_index(*date, *nth)
                .ok_or(EditError::NoFollowUpOn(*date))?;
            Edit::AddFollowUp {
                claim: id,
                follow_up: claim.follow_ups.remove(pos),
            }
        }
        Edit::RestoreFollowUp { follow_up, nth, .. } => {
            let first = follow_up.first_date();
            claim.deleted_follow_ups.retain(|d| *d != first);
            let nth = claim.place_follow_up(follow_up.clone(), *nth);
            Edit::RemoveFollowUp {
                claim: id,
                date: follow_up.date,
                nth,
            }
        }
        Edit::ReplaceFollowUp {
            date,
            nth,
            follow_up,
            at,
            ..
        } => {
            let pos = claim
                .follow_up_index(*date, *nth)
                .ok_or(EditError::NoFollowUpOn(*date))?;
            let mut new = follow_up.clone();
            let old_date = claim.follow_ups[pos].first_date();
            if new.date != old_date && new.original_date.is_none() {
                // Moved: remember where it was first, for a re-import to recognise it,
                // and which of that day's several it was, if it had twins.
                new.original_date = Some(old_date);
                let twins = claim
                    .follow_ups
                    .iter()
                    .filter(|f| f.first_date() == old_date)
                    .count();
                if twins > 1 && new.original_place.is_none() {
                    new.original_place = Some(claim.twin_rank(pos));
                }
            }
            let (old, landed) = if new.date == *date {
                (std::mem::replace(&mut claim.follow_ups[pos], new), *nth)
            } else {
                let old = claim.follow_ups.remove(pos);
                (old, claim.place_follow_up(new, *at))
            };
            Edit::ReplaceFollowUp {
                claim: id,
                date: follow_up.date,
                nth: landed,
                follow_up: old,
                at: *nth,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FollowUpState, Verdict};

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn workspace() -> Workspace {
        let mut claim = Claim::new("c", "Title");
        claim
            .follow_ups
            .push(FollowUp::scheduled(day("2026-03-01")));
        Workspace {
            claims: vec![claim],
            ..Workspace::default()
        }
    }

    fn review(v: Verdict) -> Review {
        Review {
            at: "2026-11-21T09:30:00Z".parse().expect("ts"),
            reviewer: "ana".into(),
            verdict: v,
            note: "why".into(),
            seen_through: None,
            extra: Default::default(),
        }
    }

    /// Applies, checks the result, undoes, and checks the workspace is back as it was;
    /// then redoes, and checks it is as the edit left it.
    fn round_trip(edit: Edit, check: impl Fn(&Workspace)) {
        let mut ws = workspace();
        let before = ws.clone();
        let undo = apply(&mut ws, &edit).expect("applies");
        check(&ws);
        let after = ws.clone();
        let redo = apply(&mut ws, &undo).expect("undoes");
        assert_eq!(ws, before);
        apply(&mut ws, &redo).expect("redoes");
        assert_eq!(ws, after, "undoing the undo is the edit itself");
    }

    #[test]
    fn every_edit_undoes_exactly() {
        round_trip(
            Edit::AddReview {
                claim: "c".into(),
                review: review(Verdict::Failed),
            },
            |ws| assert_eq!(ws.claims[0].verdict(), Some(Verdict::Failed)),
        );
        round_trip(
            Edit::SetTitle {
                claim: "c".into(),
                title: "New".into(),
            },
            |ws| assert_eq!(ws.claims[0].title, "New"),
        );
        round_trip(
            Edit::SetTags {
                claim: "c".into(),
                tags: vec!["a".into(), "b".into()],
            },
            |ws| assert_eq!(ws.claims[0].tags, ["a", "b"]),
        );
        round_trip(
            Edit::AddFollowUp {
                claim: "c".into(),
                follow_up: FollowUp::scheduled(day("2026-02-01")),
            },
            |ws| assert_eq!(ws.claims[0].follow_ups[0].date, day("2026-02-01")),
        );
        round_trip(
            Edit::RemoveFollowUp {
                claim: "c".into(),
                date: day("2026-03-01"),
                nth: 0,
            },
            |ws| {
                assert!(ws.claims[0].follow_ups.is_empty());
                assert_eq!(ws.claims[0].deleted_follow_ups, [day("2026-03-01")]);
            },
        );
        let moved = FollowUp {
            state: FollowUpState::Done,
            note: "met".into(),
            ..FollowUp::scheduled(day("2026-03-08"))
        };
        round_trip(
            Edit::ReplaceFollowUp {
                claim: "c".into(),
                date: day("2026-03-01"),
                nth: 0,
                follow_up: moved.clone(),
                at: 0,
            },
            |ws| {
                let f = &ws.claims[0].follow_ups[0];
                assert_eq!(
                    (f.date, f.state, &f.note),
                    (day("2026-03-08"), moved.state, &moved.note)
                );
                assert_eq!(
                    f.original_date,
                    Some(day("2026-03-01")),
                    "where it was first"
                );
            },
        );
    }

    /// A day with several follow-ups (the tracker writes them so): each is reached by its
    /// place, and every edit of one of them undoes exactly, the others' order kept.
    #[test]
    fn a_day_s_several_follow_ups_are_each_edited_and_undone_exactly() {
        let twins = |ws: &mut Workspace| {
            let c = &mut ws.claims[0];
            let note = |n: &str, d: &str| FollowUp {
                note: n.into(),
                ..FollowUp::scheduled(day(d))
            };
            c.follow_ups = vec![
                note("a", "2026-03-01"),
                note("b", "2026-03-01"),
                note("c", "2026-03-01"),
                note("x", "2026-03-02"),
            ];
        };
        let notes = |ws: &Workspace| -> Vec<(String, String)> {
            ws.claims[0]
                .follow_ups
                .iter()
                .map(|f| (f.date.to_string(), f.note.clone()))
                .collect()
        };
        let check = |edit: Edit, want: &[(&str, &str)]| {
            let mut ws = workspace();
            twins(&mut ws);
            let before = ws.clone();
            let undo = apply(&mut ws, &edit).expect("applies");
            let got = notes(&ws);
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(d, n)| (format!("2026-03-0{d}"), (*n).to_owned()))
                .collect();
            assert_eq!(got, want, "{edit:?}");
            let after = ws.clone();
            let redo = apply(&mut ws, &undo).expect("undoes");
            assert_eq!(notes(&ws), notes(&before), "undo of {edit:?}");
            assert_eq!(
                ws.claims[0].follow_ups.len(),
                before.claims[0].follow_ups.len()
            );
            apply(&mut ws, &redo).expect("redoes");
            assert_eq!(notes(&ws), notes(&after), "redo of {edit:?}");
        };
        let b_done = FollowUp {
            state: FollowUpState::Done,
            note: "b".into(),
            ..FollowUp::scheduled(day("2026-03-01"))
        };
        // The second of three: in place.
        check(
            Edit::ReplaceFollowUp {
                claim: "c".into(),
                date: day("2026-03-01"),
                nth: 1,
                follow_up: b_done.clone(),
                at: 0,
            },
            &[("1", "a"), ("1", "b"), ("1", "c"), ("2", "x")],
        );
        // Moved onto a day that has one: after it (`at` 1), and back to its place.
        check(
            Edit::ReplaceFollowUp {
                claim: "c".into(),
                date: day("2026-03-01"),
                nth: 1,
                follow_up: FollowUp {
                    date: day("2026-03-02"),
                    ..b_done
                },
                at: 1,
            },
            &[("1", "a"), ("1", "c"), ("2", "x"), ("2", "b")],
        );
        // The first of three deleted, and restored first.
        check(
            Edit::RemoveFollowUp {
                claim: "c".into(),
                date: day("2026-03-01"),
                nth: 0,
            },
            &[("1", "b"), ("1", "c"), ("2", "x")],
        );
        // The third.
        check(
            Edit::RemoveFollowUp {
                claim: "c".into(),
                date: day("2026-03-01"),
                nth: 2,
            },
            &[("1", "a"), ("1", "b"), ("2", "x")],
        );
        // A fourth place that is not there is refused.
        let mut ws = workspace();
        twins(&mut ws);
        let none = Edit::RemoveFollowUp {
            claim: "c".into(),
            date: day("2026-03-01"),
            nth: 3,
        };
        assert_eq!(
            apply(&mut ws, &none),
            Err(EditError::NoFollowUpOn(day("2026-03-01")))
        );
        // A place written to the journal reads back; the first (0) is not written.
        let line = serde_json::to_string(&Edit::RemoveFollowUp {
            claim: "c".into(),
            date: day("2026-03-01"),
            nth: 2,
        })
        .expect("json");
        assert!(line.contains("\"nth\":2"), "{line}");
        let back: Edit = serde_json::from_str(&line).expect("reads");
        assert!(matches!(back, Edit::RemoveFollowUp { nth: 2, .. }));
        let first = serde_json::to_string(&Edit::RemoveFollowUp {
            claim: "c".into(),
            date: day("2026-03-01"),
            nth: 0,
        })
        .expect("json");
        assert!(!first.contains("nth"), "{first}");
    }

    #[test]
    fn refused_edits_change_nothing() {
        let mut ws = workspace();
        let before = ws.clone();
        let dup = Edit::AddFollowUp {
            claim: "c".into(),
            follow_up: FollowUp::scheduled(day("2026-03-01")),
        };
        assert_eq!(
            apply(&mut ws, &dup),
            Err(EditError::FollowUpExists(day("2026-03-01")))
        );
        let gone = Edit::RemoveFollowUp {
            claim: "c".into(),
            date: day("2026-01-01"),
            nth: 0,
        };
        assert_eq!(
            apply(&mut ws, &gone),
            Err(EditError::NoFollowUpOn(day("2026-01-01")))
        );
        let stale = Edit::RemoveLastReview {
            claim: "c".into(),
            review: review(Verdict::Complete),
        };
        assert_eq!(apply(&mut ws, &stale), Err(EditError::NotTheLatestReview));
        let other = Edit::SetTitle {
            claim: "zz".into(),
            title: "x".into(),
        };
        assert_eq!(
            apply(&mut ws, &other),
            Err(EditError::NoSuchClaim("zz".into()))
        );
        assert_eq!(ws, before);
    }

    #[test]
    fn a_batch_applies_all_or_none_undoes_as_one_and_reads_back() {
        let mut ws = workspace();
        ws.claims.push(Claim::new("d", "Other"));
        let batch = Edit::Batch {
            edits: vec![
                Edit::AddReview {
                    claim: "c".into(),
                    review: review(Verdict::Stalled),
                },
                Edit::AddReview {
                    claim: "d".into(),
                    review: review(Verdict::Stalled),
                },
            ],
        };
        assert_eq!(batch.describe(), "verdict stalled on 2 claims");
        assert_eq!(batch.leaves().len(), 2);
        let before = ws.clone();
        let undo = apply(&mut ws, &batch).expect("applies");
        assert!(ws.claims.iter().all(|c| c.reviews.len() == 1));
        apply(&mut ws, &undo).expect("undoes");
        assert_eq!(ws, before, "one undo takes back every edit of it");
        // One edit that cannot apply: none of them stays.
        let torn = Edit::Batch {
            edits: vec![
                Edit::SetTitle {
                    claim: "c".into(),
                    title: "New".into(),
                },
                Edit::SetTitle {
                    claim: "nobody".into(),
                    title: "x".into(),
                },
            ],
        };
        assert_eq!(
            apply(&mut ws, &torn),
            Err(EditError::NoSuchClaim("nobody".into()))
        );
        assert_eq!(ws, before);
        // The journal's form: one object, read back as it was written.
        let line = serde_json::to_string(&batch).expect("json");
        assert!(line.starts_with("{\"edit\":\"batch\",\"edits\":[{\"edit\":\"add_review\""));
        let back: Edit = serde_json::from_str(&line).expect("reads");
        assert_eq!(back, batch);
        assert!(serde_json::from_str::<Edit>("{\"edit\":\"batch\"}").is_err());
        assert!(serde_json::from_str::<Edit>("{\"edit\":\"set_title\",\"title\":\"x\"}").is_err());
    }
}
