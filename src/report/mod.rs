//! Headless reports: the claims a filter selects, and `list`, `show` and `due` as plain
//! text or JSON. Workspace in, `String` out — printing is the caller's business.

pub mod export;

use crate::model::{Claim, Due, NeedsReview, Verdict, Workspace, display_safe};
use crate::search::{self, Corpus};
use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use std::fmt::Write;
use std::sync::atomic::AtomicBool;

/// A verdict filter: a verdict, or none yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictFilter {
    Is(Verdict),
    Unreviewed,
}

impl std::str::FromStr for VerdictFilter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "unreviewed" {
            return Ok(Self::Unreviewed);
        }
        Verdict::parse(s).map(Self::Is).ok_or_else(|| {
            let names: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
            format!(
                "unknown verdict {s:?}; one of {}, unreviewed",
                names.join(", ")
            )
        })
    }
}

/// Which claims a command works on. Every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub needs_review: bool,
    pub verdict: Option<VerdictFilter>,
    pub status: Option<String>,
    pub tag: Option<String>,
    /// A scheduled follow-up on or before today + DAYS (overdue ones included).
    pub due_within: Option<i64>,
    pub search: Option<String>,
    /// Assigned to this reviewer (`Some(None)`: to no one).
    pub assigned: Option<Option<String>>,
}

/// Refuses a filter that cannot mean anything in this workspace: a tracker status that
/// the tracker never writes and no update here has. The message names the ones there are.
pub fn check_filters(ws: &Workspace, filters: &Filters) -> Result<(), String> {
    let Some(wanted) = filters.status.as_deref() else {
        return Ok(());
    };
    let mut present: std::collections::BTreeSet<&str> = ws
        .claims
        .iter()
        .flat_map(|c| c.updates.iter().map(|u| u.status.as_str()))
        .collect();
    let known = crate::model::TrackerStatus::of(wanted) != crate::model::TrackerStatus::Other;
    if known
        || present
            .iter()
            .any(|s| s.eq_ignore_ascii_case(wanted.trim()))
    {
        return Ok(());
    }
    present.extend(
        crate::model::TrackerStatus::KNOWN
            .iter()
            .map(|s| s.as_str()),
    );
    // Left as they are: the error's way out shows control characters for what they are.
    let names: Vec<&str> = present.into_iter().collect();
    Err(format!(
        "no update has the tracker status \"{wanted}\"; the statuses are: {}",
        names.join(", ")
    ))
}

/// A selected claim, with the search's word on it when there was a search.
#[derive(Debug, Clone)]
pub struct Selected<'a> {
    pub claim: &'a Claim,
    pub matching_updates: Option<usize>,
}

/// The claims the filters select, in workspace order (search hits: best first).
pub fn select<'a>(ws: &'a Workspace, filters: &Filters, today: NaiveDate) -> Vec<Selected<'a>> {
    let keep = |c: &Claim| {
        (!filters.needs_review || NeedsReview::of(c, today).wants_verdict())
            && filters.verdict.is_none_or(|v| match v {
                VerdictFilter::Is(v) => c.verdict() == Some(v),
                VerdictFilter::Unreviewed => c.verdict().is_none(),
            })
            && filters.status.as_deref().is_none_or(|s| {
                c.latest_status()
                    .is_some_and(|latest| latest.eq_ignore_ascii_case(s.trim()))
            })
            && filters
                .tag
                .as_deref()
                .is_none_or(|t| c.tags.iter().any(|x| x == t))
            && filters
                .assigned
                .as_ref()
                .is_none_or(|a| c.assigned_to.as_deref() == a.as_deref())
            && filters.due_within.is_none_or(|days| {
                let until = today + Duration::days(days);
                c.next_follow_up().is_some_and(|f| f.date <= until)
            })
    };
    match filters.search.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(query) => {
            let results =
                search::run(&Corpus::of(ws), query, &AtomicBool::new(false)).unwrap_or_default();
            results
                .hits
                .iter()
                .map(|h| (&ws.claims[h.claim], h.updates.len()))
                .filter(|(c, _)| keep(c))
                .map(|(claim, n)| Selected {
                    claim,
                    matching_updates: Some(n),
                })
                .collect()
        }
        None => ws
            .claims
            .iter()
            .filter(|c| keep(c))
            .map(|claim| Selected {
                claim,
                matching_updates: None,
            })
            .collect(),
    }
}

/// Finds a claim by id or by a unique prefix of it, like git.
pub fn resolve<'a>(ws: &'a Workspace, id: &str) -> Result<&'a Claim, String> {
    if id.trim().is_empty() {
        return Err(
            "empty id; give a claim's id or the start of it (claimdesk list shows them)".to_owned(),
        );
    }
    if let Some(c) = ws.claim(id) {
        return Ok(c);
    }
    let matches: Vec<&Claim> = ws.claims.iter().filter(|c| c.id.starts_with(id)).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(format!("no claim id starts with {id:?}")),
        many => Err(format!(
            "{id:?} is ambiguous: {} claims start with it ({}{}); give more of the id",
            many.len(),
            many.iter()
                .take(5)
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if many.len() > 5 { ", …" } else { "" }
        )),
    }
}

/// The short form of each claim id, as git abbreviates: the shortest prefix that no other
/// id in the workspace starts with, and at least `ShortIds::MIN` characters. `show`,
/// `verdict` and the rest take it.
#[derive(Debug, Clone, Default)]
pub struct ShortIds<'a> {
    chars: std::collections::HashMap<&'a str, usize>,
}

impl<'a> ShortIds<'a> {
    pub const MIN: usize = 4;

    pub fn of(ws: &'a Workspace) -> Self {
        let mut ids: Vec<&str> = ws.claims.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        let common =
            |a: &str, b: &str| a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
        let mut chars = std::collections::HashMap::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let before = i.checked_sub(1).map_or(0, |j| common(ids[j], id));
            let after = ids.get(i + 1).map_or(0, |next| common(next, id));
            chars.insert(*id, (before.max(after) + 1).max(Self::MIN));
        }
        Self { chars }
    }

    /// The short form of `id` (the whole id when it is short, or not in the workspace).
    pub fn get<'b>(&self, id: &'b str) -> &'b str {
        let n = self.chars.get(id).copied().unwrap_or(usize::MAX);
        id.char_indices().nth(n).map_or(id, |(at, _)| &id[..at])
    }
}

fn verdict_text(c: &Claim) -> &'static str {
    c.verdict().map_or("unreviewed", |v| v.as_str())
}

fn next_follow_up(c: &Claim) -> Option<NaiveDate> {
    c.next_follow_up().map(|f| f.date)
}

/// `claimdesk list`: one line per claim.
pub fn list_text(selected: &[Selected<'_>], ids: &ShortIds<'_>, today: NaiveDate) -> String {
    let width = selected
        .iter()
        .map(|s| ids.get(&s.claim.id).chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for s in selected {
        let c = s.claim;
        let marks = NeedsReview::of(c, today).marks();
        let next = next_follow_up(c).map_or("—".to_owned(), |d| d.to_string());
        let matching = s
            .matching_updates
            .map_or(String::new(), |n| format!("  [{n} matching]"));
        let _ = writeln!(
            out,
            "{:<width$}  {:<12} {:<11} {:>4}u  next {:<10}  {:<4} {}{}",
            ids.get(&c.id),
            verdict_text(c),
            display_safe(c.latest_status().unwrap_or("—")),
            c.updates.len(),
            next,
            marks,
            display_safe(&c.title),
            matching
        );
    }
    if selected.is_empty() {
        out.push_str("no claims match\n");
    }
    out
}

/// One claim's summary as JSON (for `list --json`).
pub fn claim_summary_json(s: &Selected<'_>, today: NaiveDate) -> Value {
    let c = s.claim;
    let mut v = json!({
        "id": c.id,
        "title": c.title,
        "verdict": c.verdict().map(|v| v.as_str()),
        "tracker_status": c.latest_status(),
        "updates": c.updates.len(),
        "next_follow_up": next_follow_up(c),
        "follow_ups_due": c.follow_ups_due(today),
        "needs_review": NeedsReview::of(c, today).reasons(),
        "disputed": disputed_json(c),
        "tags": c.tags,
        "assigned_to": c.assigned_to,
        "completion_due": c.completion_due,
    });
    if let (Some(n), Some(obj)) = (s.matching_updates, v.as_object_mut()) {
        obj.insert("matching_updates".into(), json!(n));
    }
    v
}

/// Two reviewers who disagree, as `list --json` and `show --json` say it: null when they
/// do not, else each one's reviewer and verdict (the earlier first).
fn disputed_json(c: &Claim) -> Value {
    crate::model::Split::of(c).map_or(Value::Null, |s| {
        json!([
            { "reviewer": s.first.0, "verdict": s.first.1.as_str() },
            { "reviewer": s.second.0, "verdict": s.second.1.as_str() },
        ])
    })
}

pub fn list_json(selected: &[Selected<'_>], today: NaiveDate) -> String {
    let items: Vec<Value> = selected
        .iter()
        .map(|s| claim_summary_json(s, today))
        .collect();
    pretty(&Value::Array(items))
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

/// `claimdesk show`: the claim, its reviews, follow-ups and latest updates.
pub fn show_text(c: &Claim, today: NaiveDate, latest: usize) -> String {
    let mut out = String::new();
    let date = |d: Option<NaiveDate>| d.map_or("—".to_owned(), |d| d.to_string());
    let _ = writeln!(out, "{}", display_safe(&c.title));
    let _ = writeln!(out, "id           {}", c.id);
    let _ = writeln!(out, "kind         {}", c.kind.as_deref().unwrap_or("—"));
    let _ = writeln!(out, "priority     {}", c.priority.as_deref().unwrap_or("—"));
    if !c.tags.is_empty() {
        let _ = writeln!(
            out,
            "tags         {}",
            c.tags
                .iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    if let Some(cond) = &c.completion_condition {
        let _ = writeln!(out, "condition    {}", display_safe(cond));
    }
    let _ = writeln!(
        out,
        "article      {}{}",
        date(c.article.published),
        c.article
            .url
            .as_deref()
            .map_or(String::new(), |u| format!("  {u}"))
    );
    let _ = writeln!(out, "due          {}", date(c.completion_due));
    let _ = writeln!(out, "verdict      {}", verdict_text(c));
    let _ = writeln!(
        out,
        "tracker      {} ({})",
        c.latest_status().unwrap_or("—"),
        crate::model::text::count(c.updates.len(), "update")
    );
    let queue = NeedsReview::of(c, today);
    let reasons = queue.reasons();
    if !reasons.is_empty() {
        let _ = writeln!(out, "needs review {}", reasons.join("; "));
    }
    if queue.disagrees {
        let _ = writeln!(
            out,
            "against      the tracker: its status differs from the verdict, the reviewer's decision (not a reason to review)"
        );
    }
    out.push_str(&digest_text(c, today));
    let _ = writeln!(out, "\nReviews ({})", c.reviews.len());
    for r in c.reviews.iter().rev() {
        let _ = writeln!(
            out,
            "  {}  {}  {}",
            r.at.format("%Y-%m-%d %H:%M"),
            crate::model::text::shown_name(&r.reviewer),
            r.verdict
        );
        for line in r.note.lines() {
            let _ = writeln!(out, "      {}", display_safe(line));
        }
    }
    let _ = writeln!(out, "\nFollow-ups ({})", c.follow_ups.len());
    for f in &c.follow_ups {
        let due = f.due(today);
        let note = if f.note.is_empty() {
            String::new()
        } else {
            format!("  {}", display_safe(&f.note))
        };
        let _ = writeln!(out, "  {}  {:<9}{}", f.date, due_word(due), note);
    }
    let shown = latest.min(c.updates.len());
    let _ = writeln!(out, "\nLatest updates ({shown} of {})", c.updates.len());
    for u in c.updates.iter().rev().take(latest) {
        let _ = writeln!(
            out,
            "  {}  {}",
            u.at.format("%Y-%m-%d %H:%M"),
            display_safe(&u.status)
        );
        let first = crate::import::text::first_sentence(&u.body);
        let _ = writeln!(out, "      {}", crate::wrap::truncate(first, 200));
    }
    out
}

/// The digest and the runs, as `show` prints them.
fn digest_text(c: &Claim, today: NaiveDate) -> String {
    let d = crate::analysis::digest(c, today);
    let mut out = String::new();
    let Some(status) = &d.status else { return out };
    let _ = writeln!(out, "\nDigest");
    let since = d
        .since
        .map_or(String::new(), |t| t.format("%Y-%m-%d %H:%M").to_string());
    let _ = writeln!(out, "  status       {} since {since}", display_safe(status));
    let shares: Vec<String> = d
        .share_percents()
        .map(|(s, n, percent)| format!("{} {n} ({percent}%)", display_safe(s)))
        .collect();
    let _ = writeln!(out, "  updates      {}", shares.join(", "));
    let flips = if d.flip_flops { ", back and forth" } else { "" };
    let _ = writeln!(
        out,
        "  changes      {} in {}{flips}",
        d.changes,
        crate::model::text::count(d.runs, "run")
    );
    if let Some(n) = d.days_past_due {
        let _ = writeln!(
            out,
            "  due          {}",
            match n {
                0 => "today".to_owned(),
                n if n > 0 => format!("{} ago", crate::model::text::count(n as usize, "day")),
                n => format!(
                    "in {}",
                    crate::model::text::count(n.unsigned_abs() as usize, "day")
                ),
            }
        );
    }
    if d.distinct_sources > 0 {
        let top: Vec<String> = d
            .top_sources
            .iter()
            .map(|(h, n)| format!("{h} ({n})"))
            .collect();
        let _ = writeln!(
            out,
            "  sources      {} distinct; most cited: {}",
            d.distinct_sources,
            top.join(", ")
        );
    }
    if let Some(s) = d.open_suggestion {
        let _ = writeln!(
            out,
            "  suggests     a follow-up on {s}, not on the calendar"
        );
    }
    let runs = crate::analysis::runs(&c.updates);
    let _ = writeln!(out, "\nRuns ({}, newest first)", runs.len());
    for r in runs.iter().rev() {
        let (Some(a), Some(b)) = (c.updates.get(r.first), c.updates.get(r.last)) else {
            continue;
        };
        let _ = writeln!(
            out,
            "  {:<12} ×{:<4} {} – {}",
            display_safe(&r.status),
            r.len(),
            a.at.format("%Y-%m-%d %H:%M"),
            b.at.format("%Y-%m-%d %H:%M")
        );
    }
    out
}

pub fn show_json(c: &Claim, today: NaiveDate, latest: usize) -> String {
    let updates: Vec<&crate::model::Update> = c.updates.iter().rev().take(latest).collect();
    let runs: Vec<Value> = crate::analysis::runs(&c.updates)
        .iter()
        .rev()
        .map(|r| {
            json!({
                "status": r.status,
                "count": r.len(),
                "from": c.updates.get(r.first).map(|u| u.at),
                "to": c.updates.get(r.last).map(|u| u.at),
            })
        })
        .collect();
    pretty(&json!({
        "digest": crate::analysis::digest(c, today),
        "runs": runs,
        "id": c.id,
        "title": c.title,
        "kind": c.kind,
        "priority": c.priority,
        "tags": c.tags,
        "completion_condition": c.completion_condition,
        "article": c.article,
        "completion_due": c.completion_due,
        "verdict": c.verdict().map(|v| v.as_str()),
        "tracker_status": c.latest_status(),
        "updates_total": c.updates.len(),
        "needs_review": NeedsReview::of(c, today).reasons(),
        "disputed": disputed_json(c),
        "reviews": c.reviews,
        "follow_ups": c.follow_ups,
        "latest_updates": updates,
    }))
}

fn due_word(due: Due) -> &'static str {
    match due {
        Due::Overdue => "overdue",
        Due::Today => "today",
        Due::Upcoming => "scheduled",
        Due::Done => "done",
        Due::Cancelled => "cancelled",
    }
}

/// One follow-up that is due.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DueItem<'a> {
    pub date: NaiveDate,
    /// Days from today: negative when overdue.
    pub days: i64,
    pub claim: &'a str,
    pub title: &'a str,
    pub note: &'a str,
}

/// Follow-ups scheduled on or before today + `within` days, soonest first.
pub fn due<'a>(selected: &[Selected<'a>], today: NaiveDate, within: i64) -> Vec<DueItem<'a>> {
    let until = today + Duration::days(within);
    let mut items: Vec<DueItem<'a>> = selected
        .iter()
        .flat_map(|s| {
            s.claim
                .follow_ups
                .iter()
                .filter(move |f| {
                    f.state == crate::model::FollowUpState::Scheduled && f.date <= until
                })
                .map(move |f| DueItem {
                    date: f.date,
                    days: (f.date - today).num_days(),
                    claim: &s.claim.id,
                    title: &s.claim.title,
                    note: &f.note,
                })
        })
        .collect();
    items.sort_by(|a, b| a.date.cmp(&b.date).then(a.claim.cmp(b.claim)));
    items
}

pub fn due_text(items: &[DueItem<'_>], ids: &ShortIds<'_>) -> String {
    let mut out = String::new();
    for i in items {
        let when = match i.days {
            d if d < 0 => format!("{} day{} overdue", -d, if d == -1 { "" } else { "s" }),
            0 => "today".to_owned(),
            1 => "tomorrow".to_owned(),
            d => format!("in {}", crate::model::text::count(d as usize, "day")),
        };
        let note = if i.note.is_empty() {
            String::new()
        } else {
            format!("  — {}", display_safe(i.note))
        };
        let _ = writeln!(
            out,
            "{}  {:<16} {}  {}{}",
            i.date,
            when,
            ids.get(i.claim),
            crate::wrap::truncate(i.title, 70),
            note
        );
    }
    if items.is_empty() {
        out.push_str("nothing due\n");
    }
    out
}

pub fn due_json(items: &[DueItem<'_>]) -> String {
    serde_json::to_string_pretty(items).unwrap_or_default() + "\n"
}
