//! What a claim's timeline says at a glance: runs of the same tracker status, flips,
//! what each update adds that no earlier one said, the dates updates mention, and the
//! digest that sums it up. Pure functions over a claim; no terminal, no I/O.

use crate::model::{Claim, Update};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Consecutive updates with the same status, as indices into the claim's updates (oldest
/// first), both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub status: crate::model::StatusWord,
    pub first: usize,
    pub last: usize,
}

impl Run {
    pub fn len(&self) -> usize {
        self.last + 1 - self.first
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

/// The runs of a claim's updates, oldest first.
pub fn runs(updates: &[Update]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (i, u) in updates.iter().enumerate() {
        match out.last_mut() {
            Some(r) if r.status == u.status => r.last = i,
            _ => out.push(Run {
                status: u.status.clone(),
                first: i,
                last: i,
            }),
        }
    }
    out
}

/// Has the status gone back to one it had left (`in_progress → complete → in_progress`)?
pub fn flip_flops(runs: &[Run]) -> bool {
    let mut seen = HashSet::new();
    for r in runs {
        if !seen.insert(r.status.as_str()) {
            return true;
        }
    }
    false
}

/// Did the status change at an update after `since` (exclusive)?
pub fn changed_after(updates: &[Update], since: DateTime<Utc>) -> bool {
    updates
        .windows(2)
        .any(|w| w[1].at > since && w[1].status != w[0].status)
}

/// What one update says that no earlier update of the claim said.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Novelty {
    pub sentences: Vec<String>,
    pub dates: Vec<NaiveDate>,
    pub sources: Vec<String>,
}

impl Novelty {
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty() && self.dates.is_empty() && self.sources.is_empty()
    }
}

/// For each update (oldest first), what it adds over every update before it: sentences
/// compared with their whitespace and punctuation normalised, dates, sources.
pub fn novelty(updates: &[Update]) -> Vec<Novelty> {
    novelty_and_mentions(updates).0
}

/// `novelty` and `days_mentioned` in one pass over the bodies. Reading each body (its
/// sentences, their hashes, its dates) is split between two threads; what is new is then
/// told in order.
pub fn novelty_and_mentions(updates: &[Update]) -> (Vec<Novelty>, BTreeMap<NaiveDate, Vec<usize>>) {
    /// One body read: its sentences with the hash of each, and the days it names.
    type Read<'a> = (Vec<(u64, &'a str)>, Vec<NaiveDate>);
    fn read(u: &Update) -> Read<'_> {
        let sentences = sentences(&u.body)
            .into_iter()
            .filter_map(|s| normalized_hash(s).map(|key| (key, s)))
            .collect();
        let days = mentions_in(&u.body, u.at.date_naive())
            .into_iter()
            .filter_map(|m| match m {
                Mention::Day(d) => Some(d),
                Mention::Month(..) => None,
            })
            .collect();
        (sentences, days)
    }
    let half = updates.len() / 2;
    let (first, second) = updates.split_at(half);
    let reads: Vec<Read<'_>> = if updates.len() < 16 {
        updates.iter().map(read).collect()
    } else {
        std::thread::scope(|scope| {
            let later = scope.spawn(|| second.iter().map(read).collect::<Vec<_>>());
            let mut reads: Vec<Read<'_>> = first.iter().map(read).collect();
            match later.join() {
                Ok(more) => reads.extend(more),
                Err(_) => reads.extend(second.iter().map(read)),
            }
            reads
        })
    };
    let mut days: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    let mut seen_sentences: HashSet<u64> = HashSet::new();
    let mut seen_dates: HashSet<NaiveDate> = HashSet::new();
    let mut seen_sources: HashSet<&str> = HashSet::new();
    let mut out = Vec::with_capacity(updates.len());
    for (u, (sentences, mentioned)) in updates.iter().zip(reads) {
        let mut n = Novelty::default();
        // Compared by a hash of the normalised sentence: no copy of every sentence kept.
        for (key, s) in sentences {
            if seen_sentences.insert(key) {
                n.sentences.push(s.trim().to_owned());
            }
        }
        for d in mentioned {
            days.entry(d).or_default().push(out.len());
            if seen_dates.insert(d) {
                n.dates.push(d);
            }
        }
        for s in &u.sources {
            if seen_sources.insert(s.as_str()) {
                n.sources.push(s.clone());
            }
        }
        out.push(n);
    }
    (out, days)
}

/// The sentences of a text (abbreviations such as `U.S.` do not end one).
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let paragraphs = memchr::memmem::find_iter(text.as_bytes(), b"\n\n")
        .chain(std::iter::once(text.len()))
        .scan(0, |start, end| {
            let para = text.get(*start..end).unwrap_or("");
            *start = end + 2;
            Some(para)
        });
    for para in paragraphs {
        let mut rest = para.trim();
        while !rest.is_empty() {
            let s = crate::import::text::first_sentence(rest);
            if s.is_empty() {
                break;
            }
            out.push(s.trim());
            rest = rest[s.len()..].trim_start();
        }
    }
    out
}

/// A hash of `normalize(sentence)`; None when that is empty.
fn normalized_hash(sentence: &str) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    thread_local! {
        static NORMAL: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    NORMAL.with(|normal| {
        let mut normal = normal.borrow_mut();
        normal.clear();
        normalize_into(sentence, &mut normal);
        if normal.is_empty() {
            return None;
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        normal.hash(&mut h);
        Some(h.finish())
    })
}

/// A sentence for comparison: lower case, letters and digits only, single spaces.
pub fn normalize(sentence: &str) -> String {
    let mut out = String::with_capacity(sentence.len());
    normalize_into(sentence, &mut out);
    out
}

/// `normalize`, into `out` (which is empty).
fn normalize_into(sentence: &str, out: &mut String) {
    let mut space = false;
    let mut rest = sentence;
    while let Some(&b) = rest.as_bytes().first() {
        // ASCII a byte at a time; a character at a time only past it.
        let (ch, len) = if b < 0x80 {
            (char::from(b), 1)
        } else {
            let ch = rest.chars().next().unwrap_or(' ');
            (ch, ch.len_utf8())
        };
        rest = &rest[len..];
        let keep = if b < 0x80 {
            b.is_ascii_alphanumeric()
        } else {
            ch.is_alphanumeric()
        };
        if !keep {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if b < 0x80 {
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            out.extend(ch.to_lowercase());
        }
    }
}

/// A date written in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Mention {
    Day(NaiveDate),
    /// A month without a day (`Feb 2026`, `February 2026`).
    Month(i32, u32),
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    // Most words are not months: a cheap test before any comparison.
    if w.len() < 3 || w.len() > 9 || !w.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            m.eq_ignore_ascii_case(w)
                || ((w.len() == 3 || w.eq_ignore_ascii_case("sept"))
                    && m.len() >= w.len()
                    && m[..w.len()].eq_ignore_ascii_case(w))
        })
        .map(|i| i as u32 + 1)
}

/// Dates in a text: `January 23, 2026`, `Jan 23, 2026`, `Jan. 23`, `23 January 2026`,
/// `2026-02-20`, and months (`Feb 2026`). A day without a year takes the year of
/// `written` (the update's date) — the nearest such day.
pub fn mentions_in(text: &str, written: NaiveDate) -> Vec<Mention> {
    let mut out = Vec::new();
    // ISO dates: found by their first dash (memchr), taken left to right without overlap.
    let b = text.as_bytes();
    let mut next_free = 0;
    for dash in memchr::memchr_iter(b'-', b) {
        let Some(i) = dash.checked_sub(4).filter(|&i| i >= next_free) else {
            continue;
        };
        let Some(w) = b.get(i..i + 10) else {
            break;
        };
        let shaped = w.iter().enumerate().all(|(k, c)| {
            if k == 4 || k == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
        let bounded = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        if shaped && bounded && !after_as_of(&text[..i]) {
            if let Some(d) = std::str::from_utf8(w)
                .ok()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            {
                out.push(Mention::Day(d));
            }
            next_free = i + 10;
        }
    }
    // Month names with a day and/or a year.
    let words = words(text);
    let number = |w: &str| -> Option<u32> {
        let t = w.trim_end_matches([',', '.', ':', ';']);
        let t = t
            .trim_end_matches("st")
            .trim_end_matches("nd")
            .trim_end_matches("rd")
            .trim_end_matches("th");
        (t.len() <= 4 && !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    for (k, w) in words.iter().enumerate() {
        // Most words are not months: their first letter and length say so at once.
        let could_be = w.len() >= 3
            && w.len() <= 11
            && matches!(
                w.as_bytes()[0].to_ascii_lowercase(),
                b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd'
            );
        if !could_be {
            continue;
        }
        let clean = w.trim_end_matches([',', ':', ';']);
        let Some(month) = month_number(clean) else {
            continue;
        };
        // "As of February 10, 2026" dates the update itself, not an event.
        let as_of = k >= 2
            && words[k - 2].eq_ignore_ascii_case("as")
            && words[k - 1].eq_ignore_ascii_case("of");
        if as_of {
            continue;
        }
        // "May" and "March" are also ordinary words: only with a number next to them.
        let next = words.get(k + 1).and_then(|w| number(w));
        let after = words.get(k + 2).and_then(|w| number(w));
        let before = k.checked_sub(1).and_then(|j| number(words[j]));
        match (next, after) {
            (Some(day), Some(year)) if (1..=31).contains(&day) && (1900..=2200).contains(&year) => {
                if let Some(d) = NaiveDate::from_ymd_opt(year as i32, month, day) {
                    out.push(Mention::Day(d));
                }
            }
            (Some(year), _) if (1900..=2200).contains(&year) => match before {
                Some(day) if (1..=31).contains(&day) => {
                    if let Some(d) = NaiveDate::from_ymd_opt(year as i32, month, day) {
                        out.push(Mention::Day(d));
                    }
                }
                _ => out.push(Mention::Month(year as i32, month)),
            },
            (Some(day), _) if (1..=31).contains(&day) => {
                if let Some(d) = nearest_year(month, day, written) {
                    out.push(Mention::Day(d));
                }
            }
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The words of a text, split at white space, brackets, `;`, `/` and dashes: byte by byte
/// through ASCII, a character at a time only past it.
fn words(text: &str) -> Vec<&str> {
    let splits = |c: char| c.is_whitespace() || matches!(c, '(' | ')' | ';' | '/' | '—' | '–');
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        let (split, len) = if b[i] < 0x80 {
            (splits(char::from(b[i])), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (splits(c), c.len_utf8())
        };
        if split {
            if start < i {
                out.push(&text[start..i]);
            }
            start = i + len;
        }
        i += len;
    }
    if start < b.len() {
        out.push(&text[start..]);
    }
    out
}

/// Does the text end with "as of " (so the date that follows dates the writing)?
fn after_as_of(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    tail.eq_ignore_ascii_case("as of ")
}

/// The `month`/`day` closest to `written`, in its year or the one before or after.
fn nearest_year(month: u32, day: u32, written: NaiveDate) -> Option<NaiveDate> {
    (written.year() - 1..=written.year() + 1)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - written).num_days().abs())
}

/// Days mentioned by the claim's updates: day → indices of the updates (oldest first).
pub fn days_mentioned(updates: &[Update]) -> BTreeMap<NaiveDate, Vec<usize>> {
    let mut out: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, u) in updates.iter().enumerate() {
        for m in mentions_in(&u.body, u.at.date_naive()) {
            if let Mention::Day(d) = m {
                out.entry(d).or_default().push(i);
            }
        }
    }
    out
}

/// The claim summed up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Digest {
    /// The tracker's status now, and since when (the first update of the current run).
    pub status: Option<crate::model::StatusWord>,
    pub since: Option<DateTime<Utc>>,
    /// Updates per status, most first.
    pub shares: Vec<(String, usize)>,
    pub runs: usize,
    /// Changes of status between consecutive updates.
    pub changes: usize,
    pub flip_flops: bool,
    /// Days from the completion due date to today (negative: still ahead).
    pub days_past_due: Option<i64>,
    pub distinct_sources: usize,
    /// Most cited sources' hosts, with how many updates cite them.
    pub top_sources: Vec<(String, usize)>,
    /// The newest update's suggested follow-up, when it is not on the calendar yet.
    pub open_suggestion: Option<NaiveDate>,
}

pub fn digest(claim: &Claim, today: NaiveDate) -> Digest {
    let updates = &claim.updates;
    let runs = runs(updates);
    let mut shares: BTreeMap<&str, usize> = BTreeMap::new();
    for u in updates {
        *shares.entry(u.status.as_str()).or_default() += 1;
    }
    let mut shares: Vec<(String, usize)> =
        shares.into_iter().map(|(s, n)| (s.to_owned(), n)).collect();
    shares.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut sources: BTreeMap<String, usize> = BTreeMap::new();
    let mut distinct: HashSet<&str> = HashSet::new();
    for u in updates {
        let mut hosts = HashSet::new();
        for s in &u.sources {
            distinct.insert(s.as_str());
            hosts.insert(host(s));
        }
        for h in hosts {
            *sources.entry(h).or_default() += 1;
        }
    }
    let mut top: Vec<(String, usize)> = sources.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(3);
    let open_suggestion = updates
        .iter()
        .rev()
        .find_map(|u| u.suggested_follow_up)
        .filter(|d| !claim.follow_ups.iter().any(|f| f.date == *d));
    Digest {
        status: runs.last().map(|r| r.status.clone()),
        since: runs.last().and_then(|r| updates.get(r.first)).map(|u| u.at),
        shares,
        runs: runs.len(),
        changes: runs.len().saturating_sub(1),
        flip_flops: flip_flops(&runs),
        days_past_due: claim.completion_due.map(|d| (today - d).num_days()),
        distinct_sources: distinct.len(),
        top_sources: top,
        open_suggestion,
    }
}

/// A URL's host without `www.`.
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.trim_start_matches("www.").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(at: &str, status: &str, body: &str) -> Update {
        Update {
            at: at.parse().expect("ts"),
            status: status.into(),
            body: body.into(),
            sources: vec![],
            suggested_follow_up: None,
            extra: Default::default(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn runs_and_flips() {
        let u = |s| update("2026-01-01T00:00:00Z", s, "");
        let ups = vec![
            u("in_progress"),
            u("in_progress"),
            u("complete"),
            u("in_progress"),
        ];
        let r = runs(&ups);
        assert_eq!(
            r.iter()
                .map(|r| (r.status.as_str(), r.first, r.last))
                .collect::<Vec<_>>(),
            [
                ("in_progress", 0, 1),
                ("complete", 2, 2),
                ("in_progress", 3, 3)
            ]
        );
        assert!(flip_flops(&r));
        assert!(!flip_flops(&runs(&ups[..3])));
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn what_is_new_at_the_sentence_level() {
        let a = update(
            "2026-01-10T00:00:00Z",
            "in_progress",
            "Officials met in Washington, D.C. on January 9. The U.S. pledged support.",
        );
        let b = update(
            "2026-01-11T00:00:00Z",
            "in_progress",
            "officials   met in Washington, D.C. on January 9!  The U.S. pledged support. A ministerial is set for 2026-02-20.",
        );
        let n = novelty(&[a, b]);
        assert_eq!(n[0].sentences.len(), 2);
        assert_eq!(n[0].dates, [day("2026-01-09")]);
        assert_eq!(n[1].sentences, ["A ministerial is set for 2026-02-20."]);
        assert_eq!(n[1].dates, [day("2026-02-20")]);
    }

    #[test]
    fn dates_in_their_usual_forms() {
        let written = day("2026-02-14");
        let m = mentions_in(
            "On January 23, 2026 and Jan. 15, 2026; next 2026-02-20, then Feb 2026 and March 2026. \
             The January 23 SIG meeting; 23 January 2026 again. It may rain in May. Jun 31, 2026 is no day.",
            written,
        );
        assert_eq!(
            m,
            [
                Mention::Day(day("2026-01-15")),
                Mention::Day(day("2026-01-23")),
                Mention::Day(day("2026-02-20")),
                Mention::Month(2026, 2),
                Mention::Month(2026, 3),
            ]
        );
        // "As of" dates the update, not an event.
        assert!(
            mentions_in(
                "As of February 10, 2026 and as of 2026-02-11, nothing.",
                written
            )
            .is_empty()
        );
        // A day without a year is the nearest one to the update's date.
        assert_eq!(
            mentions_in("by December 31", day("2026-01-05")),
            [Mention::Day(day("2025-12-31"))]
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(host("https://www.state.gov/releases/x"), "state.gov");
        assert_eq!(host("http://example.org?q=1"), "example.org");
    }
}
