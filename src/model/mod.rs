//! The workspace's domain types and the rules that read them: claims, tracker updates,
//! follow-ups and reviews. Pure data and logic — no terminal, no file I/O.

pub mod body;
mod de;
pub mod edit;
mod extra;
mod origin;
mod queue;
mod status;
pub mod text;
mod verdict;

pub use body::Body;
pub use de::{Top, TopSeed};
pub use edit::{Edit, EditError};
pub use extra::{Extra, MAX_DEPTH, nesting};
pub use origin::Origin;
pub use queue::{NeedsReview, Split};
pub use status::{StatusWord, TrackerStatus};
pub use text::{display_safe, sanitize};
pub use verdict::Verdict;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What is wrong with a claim id, if anything: it must be one word of characters that
/// show (the tracker's are hex digits), so that every list, command and export can name
/// the claim, and an id a person reads names exactly one claim: none that takes no room
/// or reorders the text around it (bidi controls, zero-width characters), which would
/// print as another id.
pub fn id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("empty; every claim needs an id")
    } else if id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        Some("holds a space or a control character; a claim id is one word")
    } else if id.chars().any(text::is_invisible) {
        Some(
            "holds a character that does not show (a bidi control or a zero-width character), so it would print as another id",
        )
    } else {
        None
    }
}

/// The value of the workspace file's `format` field.
pub const FORMAT: &str = "claimdesk-workspace";
/// The newest workspace version this build reads and writes.
pub const VERSION: u64 = 1;

/// A whole workspace: every tracked claim and the reviewers' work on them.
///
/// Read by hand (`de.rs`): every object's known fields once each, unknown ones kept as
/// their exact JSON text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workspace {
    pub format: String,
    pub version: u64,
    /// The last journal entry this file holds (see `store::journal`); 0 and not written
    /// when no edit was ever journaled.
    #[serde(skip_serializing_if = "is_zero")]
    pub journal_seq: u64,
    /// A random id given to the workspace the first time claimdesk journals an edit to
    /// it; its journal carries the same id, so a journal left beside another workspace
    /// is never replayed into it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    pub claims: Vec<Claim>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for Workspace {
    fn default() -> Self {
        Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            journal_seq: 0,
            workspace_id: None,
            claims: Vec::new(),
            extra: Extra::new(),
        }
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Workspace {
    /// Puts every claim's lists in the order claimdesk writes them.
    pub fn normalize(&mut self) {
        for claim in &mut self.claims {
            claim.normalize();
        }
    }

    /// The claim with this exact id.
    pub fn claim(&self, id: &str) -> Option<&Claim> {
        self.claims.iter().find(|c| c.id == id)
    }
}

/// One tracked claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    pub id: String,
    pub title: String,
    pub kind: Option<String>,
    pub completion_condition: Option<String>,
    pub article: Article,
    pub completion_due: Option<NaiveDate>,
    pub priority: Option<String>,
    pub tags: Vec<String>,
    pub updates: Updates,
    pub follow_ups: Vec<FollowUp>,
    pub reviews: Vec<Review>,
    /// Dates of follow-ups a reviewer deleted (for a moved one, the date it first had), so
    /// that importing the tracker's pages again does not bring them back.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deleted_follow_ups: Vec<NaiveDate>,
    /// The reviewer the claim is assigned to, if anyone: who on a desk takes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
    /// The JSON text the claim was read from, which a save copies while the claim is
    /// unchanged.
    #[serde(skip)]
    pub origin: Origin,
}

/// A claim's updates, oldest first: shared between copies of the claim (the tracker's
/// updates never change once written, and a save runs on a copy of the workspace), copied
/// only when one copy changes them.
///
/// A database workspace shows its claim list before it reads the updates' bodies: until
/// then a claim's updates are stand-ins, each with its time and status only, `awaiting`
/// the list whose digest the database gave. Stand-ins are never written anywhere: they
/// refuse to be serialised.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Updates {
    list: std::sync::Arc<Vec<Update>>,
    awaiting: Option<u64>,
}

impl Updates {
    /// Stand-ins for a list not read yet (see the type): each update's time and status.
    pub fn awaiting(stand_ins: Vec<Update>, digest: u64) -> Self {
        Self {
            list: std::sync::Arc::new(stand_ins),
            awaiting: Some(digest),
        }
    }

    /// The digest of the list these stand in for, while they are stand-ins.
    pub fn awaited(&self) -> Option<u64> {
        self.awaiting
    }

    /// Whether both are the same list in memory (not a copy of it).
    pub fn shares(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.list, &other.list) && self.awaiting == other.awaiting
    }
}

impl Serialize for Updates {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.awaiting.is_some() {
            return Err(serde::ser::Error::custom(
                "a claim's updates are not read from the database yet",
            ));
        }
        self.list.serialize(serializer)
    }
}

impl std::ops::Deref for Updates {
    type Target = Vec<Update>;
    fn deref(&self) -> &Vec<Update> {
        &self.list
    }
}

impl std::ops::DerefMut for Updates {
    fn deref_mut(&mut self) -> &mut Vec<Update> {
        std::sync::Arc::make_mut(&mut self.list)
    }
}

impl From<Vec<Update>> for Updates {
    fn from(updates: Vec<Update>) -> Self {
        Self {
            list: std::sync::Arc::new(updates),
            awaiting: None,
        }
    }
}

impl<'a> IntoIterator for &'a mut Updates {
    type Item = &'a mut Update;
    type IntoIter = std::slice::IterMut<'a, Update>;
    fn into_iter(self) -> Self::IntoIter {
        std::sync::Arc::make_mut(&mut self.list).iter_mut()
    }
}

impl IntoIterator for Updates {
    type Item = Update;
    type IntoIter = std::vec::IntoIter<Update>;
    fn into_iter(self) -> Self::IntoIter {
        std::sync::Arc::unwrap_or_clone(self.list).into_iter()
    }
}

impl<'a> IntoIterator for &'a Updates {
    type Item = &'a Update;
    type IntoIter = std::slice::Iter<'a, Update>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

/// Where the claim was published.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Article {
    pub published: Option<NaiveDate>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One progress update written by the tracker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Update {
    pub at: DateTime<Utc>,
    /// The tracker's machine status, kept verbatim (`in_progress`, `complete`, `failed`, …).
    pub status: StatusWord,
    /// Kept as the file's bytes until read; shared, so that a search running on another
    /// thread reads it without a copy.
    pub body: Body,
    pub sources: Vec<String>,
    pub suggested_follow_up: Option<NaiveDate>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Update {
    /// The field an imported update carries when its own text (the tracker's raw JSON
    /// output) gives another status than the tracker recorded for it.
    pub const STATUS_IN_TEXT: &'static str = "status_in_text";

    /// The status the update's own text gives, where it disagrees with `status`.
    pub fn status_in_text(&self) -> Option<String> {
        self.extra
            .value(Self::STATUS_IN_TEXT)
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    /// The status as shown: with what its own text says, where that disagrees.
    pub fn status_label(&self) -> String {
        match self.status_in_text() {
            Some(said) => format!("{} (its text says {said})", self.status),
            None => self.status.to_string(),
        }
    }
}

/// What became of a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpState {
    Scheduled,
    Done,
    Cancelled,
}

impl FollowUpState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }
}

/// A date on which the claim should be looked at again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    pub date: NaiveDate,
    pub state: FollowUpState,
    pub note: String,
    /// The date the follow-up had before a reviewer first moved it (the tracker's date,
    /// for one that came from the tracker); a re-import recognises it by this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_date: Option<NaiveDate>,
    /// For one moved off a day that had several follow-ups first set on it: which of them
    /// it was (see `Claim::twin_rank`), so that each keeps what tells it apart (its
    /// calendar export's UID) however they move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_place: Option<usize>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl FollowUp {
    pub fn scheduled(date: NaiveDate) -> Self {
        Self {
            date,
            state: FollowUpState::Scheduled,
            note: String::new(),
            original_date: None,
            original_place: None,
            extra: Extra::new(),
        }
    }

    /// The date the tracker (or whoever made it) first gave the follow-up.
    pub fn first_date(&self) -> NaiveDate {
        self.original_date.unwrap_or(self.date)
    }

    /// When the follow-up stands relative to `today`.
    pub fn due(&self, today: NaiveDate) -> Due {
        match self.state {
            FollowUpState::Done => Due::Done,
            FollowUpState::Cancelled => Due::Cancelled,
            FollowUpState::Scheduled if self.date < today => Due::Overdue,
            FollowUpState::Scheduled if self.date == today => Due::Today,
            FollowUpState::Scheduled => Due::Upcoming,
        }
    }
}

/// A follow-up's standing on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Overdue,
    Today,
    Upcoming,
    Done,
    Cancelled,
}

/// One human verdict, an entry in the append-only audit trail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub at: DateTime<Utc>,
    pub reviewer: String,
    pub verdict: Verdict,
    pub note: String,
    pub seen_through: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A verdict recorded in a shared (database) workspace, as a colleague's app is told of
/// it: which claim, the review, and the role the server says recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub claim: String,
    pub review: Review,
    pub recorded_by: String,
}

impl Claim {
    /// The field a page-imported claim carries when its `Completion due` equals its
    /// earliest follow-up: the tracker's page shows the earliest follow-up when the claim
    /// has no deadline, so the date may not be one.
    pub const COMPLETION_DUE_DERIVED: &'static str = "completion_due_derived";

    /// A claim with only an id and a title.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            kind: None,
            completion_condition: None,
            article: Article::default(),
            completion_due: None,
            priority: None,
            tags: Vec::new(),
            updates: Updates::default(),
            follow_ups: Vec::new(),
            reviews: Vec::new(),
            deleted_follow_ups: Vec::new(),
            assigned_to: None,
            extra: Extra::new(),
            origin: Origin::default(),
        }
    }

    /// Whether a follow-up the tracker schedules on `date` is one the claim has already:
    /// on that day, moved away from it, or deleted by a reviewer.
    pub fn knows_follow_up(&self, date: NaiveDate) -> bool {
        self.follow_ups
            .iter()
            .any(|f| f.date == date || f.original_date == Some(date))
            || self.deleted_follow_ups.contains(&date)
    }

    /// Updates oldest first, follow-ups by date; reviews keep their recorded order.
    pub fn normalize(&mut self) {
        self.updates.sort_by_key(|u| u.at);
        self.follow_ups.sort_by_key(|f| f.date);
    }

    /// The reviewer's current verdict: the last review's.
    pub fn verdict(&self) -> Option<Verdict> {
        self.reviews.last().map(|r| r.verdict)
    }

    /// The newest update (updates are kept oldest first).
    pub fn latest_update(&self) -> Option<&Update> {
        self.updates.iter().max_by_key(|u| u.at)
    }

    /// Has the tracker's status gone back to one it had left (`in_progress → complete →
    /// in_progress`)? Unstable verdicts are what a human must look at.
    pub fn status_flip_flops(&self) -> bool {
        let mut left: Vec<&str> = Vec::new();
        let mut current: Option<&str> = None;
        for u in &self.updates {
            let s = u.status.as_str();
            if current == Some(s) {
                continue;
            }
            if left.contains(&s) {
                return true;
            }
            if let Some(c) = current {
                left.push(c);
            }
            current = Some(s);
        }
        false
    }

    /// The tracker's latest machine status.
    pub fn latest_status(&self) -> Option<&str> {
        self.latest_update().map(|u| u.status.as_str())
    }

    /// The earliest follow-up still scheduled, overdue ones included.
    pub fn next_follow_up(&self) -> Option<&FollowUp> {
        self.follow_ups
            .iter()
            .filter(|f| f.state == FollowUpState::Scheduled)
            .min_by_key(|f| f.date)
    }

    /// How many scheduled follow-ups are due today or overdue.
    pub fn follow_ups_due(&self, today: NaiveDate) -> usize {
        self.follow_ups
            .iter()
            .filter(|f| matches!(f.due(today), Due::Overdue | Due::Today))
            .count()
    }

    /// What tells the follow-up at `index` apart from the others first set on the same day
    /// (its twins; 0 when it has none): the place it keeps once moved
    /// (`original_place`), else the first place no twin keeps, the unmoved ones in list
    /// order. A move or an edit of one twin never changes another's.
    pub fn twin_rank(&self, index: usize) -> usize {
        let Some(first) = self.follow_ups.get(index).map(FollowUp::first_date) else {
            return 0;
        };
        let twins: Vec<(usize, &FollowUp)> = self
            .follow_ups
            .iter()
            .enumerate()
            .filter(|(_, f)| f.first_date() == first)
            .collect();
        if let Some(kept) = self.follow_ups[index].original_place {
            return kept;
        }
        let kept: std::collections::BTreeSet<usize> =
            twins.iter().filter_map(|(_, f)| f.original_place).collect();
        let mut free = (0..).filter(|n| !kept.contains(n));
        for (i, f) in twins {
            if f.original_place.is_some() {
                continue;
            }
            let rank = free.next().unwrap_or(0);
            if i == index {
                return rank;
            }
        }
        0
    }

    /// The follow-ups on one day (a day may have several: the tracker writes them so).
    pub fn follow_ups_on(&self, date: NaiveDate) -> impl Iterator<Item = &FollowUp> {
        self.follow_ups.iter().filter(move |f| f.date == date)
    }

    /// The `nth` follow-up on `date` (from 0), as a position in `follow_ups`.
    pub fn follow_up_index(&self, date: NaiveDate, nth: usize) -> Option<usize> {
        self.follow_ups
            .iter()
            .enumerate()
            .filter(|(_, f)| f.date == date)
            .nth(nth)
            .map(|(i, _)| i)
    }

    /// Puts `follow_up` among the follow-ups, by date: the `nth` of its day's (after
    /// them all when there are fewer). Returns the place it took among its day's.
    pub fn place_follow_up(&mut self, follow_up: FollowUp, nth: usize) -> usize {
        let date = follow_up.date;
        let same_day = self.follow_ups_on(date).count();
        let nth = nth.min(same_day);
        let pos = match self.follow_up_index(date, nth) {
            Some(pos) => pos,
            // After the day's others, before the first later day.
            None => self
                .follow_ups
                .iter()
                .rposition(|f| f.date <= date)
                .map_or(0, |i| i + 1),
        };
        self.follow_ups.insert(pos, follow_up);
        nth
    }

    /// The follow-ups that fall in one month, by date.
    pub fn follow_ups_in_month(&self, year: i32, month: u32) -> impl Iterator<Item = &FollowUp> {
        use chrono::Datelike;
        self.follow_ups
            .iter()
            .filter(move |f| f.date.year() == year && f.date.month() == month)
    }
}

/// Counts over a workspace that the status bar and reports show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub claims: usize,
    pub unreviewed: usize,
    /// Claims in the review queue (`NeedsReview::wants_verdict`): the one count of it
    /// that the status bar and every message give.
    pub to_review: usize,
    pub follow_ups_due: usize,
}

impl Totals {
    pub fn of(workspace: &Workspace, today: NaiveDate) -> Self {
        let mut totals = Self {
            claims: workspace.claims.len(),
            ..Self::default()
        };
        for claim in &workspace.claims {
            if claim.reviews.is_empty() {
                totals.unreviewed += 1;
            }
            if NeedsReview::of(claim, today).wants_verdict() {
                totals.to_review += 1;
            }
            totals.follow_ups_due += claim.follow_ups_due(today);
        }
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    #[test]
    fn follow_up_due_relative_to_today() {
        let today = day("2026-03-10");
        let mut f = FollowUp::scheduled(day("2026-03-09"));
        assert_eq!(f.due(today), Due::Overdue);
        f.date = today;
        assert_eq!(f.due(today), Due::Today);
        f.date = day("2026-03-11");
        assert_eq!(f.due(today), Due::Upcoming);
        f.state = FollowUpState::Done;
        assert_eq!(f.due(day("2027-01-01")), Due::Done);
    }

    #[test]
    fn next_follow_up_skips_done_and_cancelled() {
        let mut claim = Claim::new("a", "t");
        claim.follow_ups = vec![
            FollowUp {
                state: FollowUpState::Done,
                ..FollowUp::scheduled(day("2026-01-01"))
            },
            FollowUp {
                state: FollowUpState::Cancelled,
                ..FollowUp::scheduled(day("2026-01-02"))
            },
            FollowUp::scheduled(day("2026-05-01")),
            FollowUp::scheduled(day("2026-04-01")),
        ];
        assert_eq!(
            claim.next_follow_up().map(|f| f.date),
            Some(day("2026-04-01"))
        );
        assert_eq!(claim.follow_ups_due(day("2026-04-01")), 1);
        assert_eq!(claim.follow_ups_due(day("2026-06-01")), 2);
    }

    #[test]
    fn verdict_is_the_last_review() {
        let mut claim = Claim::new("a", "t");
        assert_eq!(claim.verdict(), None);
        for verdict in [Verdict::InProgress, Verdict::Failed] {
            claim.reviews.push(Review {
                at: Utc::now(),
                reviewer: "ana".into(),
                verdict,
                note: String::new(),
                seen_through: None,
                extra: Extra::new(),
            });
        }
        assert_eq!(claim.verdict(), Some(Verdict::Failed));
    }
}
