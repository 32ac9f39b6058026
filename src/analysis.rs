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
    /// The new sentences, as byte ranges of the update's body (see `sentence_texts`).
    pub sentences: Vec<std::ops::Range<usize>>,
    pub dates: Vec<NaiveDate>,
    pub sources: Vec<String>,
}

impl Novelty {
    /// The new sentences' text, from the body of the update this is about.
    pub fn sentence_texts<'a>(&'a self, body: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.sentences.iter().filter_map(|r| body.get(r.clone()))
    }

    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty() && self.dates.is_empty() && self.sources.is_empty()
    }

    /// The first new sentence that is news: past the body's opening paragraph, where the
    /// tracker restates the claim in new words each time, and not a restatement near the
    /// start of a body of one paragraph (`What the claim stated: The article …`). What a
    /// timeline row shows.
    pub fn first_news<'a>(&'a self, body: &'a str) -> Option<&'a str> {
        let lead = body.len() - body.trim_start().len();
        let opening = body.trim_start().find("\n\n").map_or(0, |at| lead + at);
        self.sentences
            .iter()
            .filter(|r| r.start >= opening)
            .filter_map(|r| Some((r.start, body.get(r.clone())?)))
            .find(|&(start, s)| !(start < opening + RESTATEMENT_REACH && restates(s)))
            .map(|(_, s)| s)
    }
}

/// How far into its first paragraph a restatement of the claim can start.
const RESTATEMENT_REACH: usize = 400;

/// Whether a sentence restates the claim: it names the claim or the article in its first
/// words (`Restated claim:`, `The claim states that`, `Summary of the claim:`).
fn restates(sentence: &str) -> bool {
    let head: String = sentence.chars().take(40).collect::<String>().to_lowercase();
    head.contains("claim") || head.contains("article")
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
    /// Bodies read: each sentence as (update, hash of its normal form, its byte range),
    /// each day named as (update, day); in the order of the updates. Two vectors for all
    /// the bodies a thread reads, not two per body.
    #[derive(Default)]
    struct Reading {
        sentences: Vec<(usize, u64, std::ops::Range<usize>)>,
        days: Vec<(usize, NaiveDate)>,
    }
    fn read(updates: &[Update], first: usize) -> Reading {
        let mut r = Reading::default();
        for (i, u) in updates.iter().enumerate() {
            let body: &str = &u.body;
            each_sentence(body, |s| {
                if let Some(key) = normalized_hash(s) {
                    let start = s.as_ptr() as usize - body.as_ptr() as usize;
                    r.sentences.push((first + i, key, start..start + s.len()));
                }
            });
            for m in mentions_in(body, u.at.date_naive()) {
                if let Mention::Day(d) = m {
                    r.days.push((first + i, d));
                }
            }
        }
        r
    }
    let half = updates.len() / 2;
    let (first, second) = updates.split_at(half);
    let readings: [Reading; 2] = if updates.len() < 16 {
        [read(updates, 0), Reading::default()]
    } else {
        std::thread::scope(|scope| {
            let later = scope.spawn(|| read(second, half));
            let earlier = read(first, 0);
            let later = later.join().unwrap_or_else(|_| read(second, half));
            [earlier, later]
        })
    };
    let mut sentences = readings.iter().flat_map(|r| &r.sentences).peekable();
    let mut mentioned = readings.iter().flat_map(|r| &r.days).peekable();
    let mut days: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    let mut seen_sentences: HashSet<u64> = HashSet::new();
    let mut seen_dates: HashSet<NaiveDate> = HashSet::new();
    let mut seen_sources: HashSet<&str> = HashSet::new();
    let mut out = Vec::with_capacity(updates.len());
    for (i, u) in updates.iter().enumerate() {
        let mut n = Novelty::default();
        // Compared by a hash of the normalised sentence: no copy of any sentence kept.
        while let Some((_, key, range)) = sentences.next_if(|(at, ..)| *at == i) {
            if seen_sentences.insert(*key) {
                n.sentences.push(range.clone());
            }
        }
        while let Some((_, d)) = mentioned.next_if(|(at, _)| *at == i) {
            days.entry(*d).or_default().push(i);
            if seen_dates.insert(*d) {
                n.dates.push(*d);
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
    each_sentence(text, |s| out.push(s));
    out
}

/// `sentences`, one at a time to `f` (each trimmed, a slice of `text`).
fn each_sentence<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
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
            f(s.trim());
            rest = rest[s.len()..].trim_start();
        }
    }
}

/// A hash of `normalize(sentence)` (the content hash the store uses for files); None
/// when that is empty.
fn normalized_hash(sentence: &str) -> Option<u64> {
    thread_local! {
        static NORMAL: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    NORMAL.with(|normal| {
        let mut normal = normal.borrow_mut();
        normal.clear();
        normalize_into(sentence, &mut normal);
        if normal.is_empty() {
            return None;
        }
        Some(crate::store::load::content_hash(&normal))
    })
}

/// A sentence for comparison: lower case, letters and digits only, single spaces.
pub fn normalize(sentence: &str) -> String {
    let mut out = Vec::with_capacity(sentence.len());
    normalize_into(sentence, &mut out);
    // Only whole characters are written, so this is always UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Each ASCII byte as `normalize` keeps it: letters in lower case, digits, 0 for the rest.
const ASCII_KEPT: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// `normalize`, as UTF-8 bytes into `out` (which is empty). Through ASCII a byte is a
/// table lookup and two stores whose lengths say whether they count, so word boundaries
/// cost no branch; past ASCII a character at a time.
fn normalize_into(sentence: &str, out: &mut Vec<u8>) {
    let bytes = sentence.as_bytes();
    // An ASCII byte adds at most one byte (a space only where a dropped byte was), and
    // the stores need room past the end: two bytes, sixteen for the eight-byte steps.
    out.resize(bytes.len() + 16, 0);
    let mut len = 0;
    let mut space = false;
    let mut i = 0;
    while i < bytes.len() {
        // A run of ASCII, through a slice (its length and address stay in registers).
        let buf = out.as_mut_slice();
        let mut started = len != 0;
        // Eight ASCII bytes at a time into a window of sixteen (eight bytes write at most
        // eight): no test per byte of where it is or whether it is ASCII.
        while let (Some(eight), Some(window)) = (
            bytes.get(i..i + 8).filter(|e| e.is_ascii()),
            buf.get_mut(len..len + 16),
        ) {
            let mut at = 0;
            for &b in eight {
                let kept = ASCII_KEPT[usize::from(b)];
                let keep = kept != 0;
                let gap = usize::from(space & keep & started);
                window[at & 15] = b' ';
                window[(at + gap) & 15] = kept;
                at += gap + usize::from(keep);
                space = !keep;
                started |= keep;
            }
            len += at;
            i += 8;
        }
        while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii()) {
            i += 1;
            let kept = ASCII_KEPT[usize::from(b)];
            let keep = kept != 0;
            let gap = usize::from(space & keep & started);
            if let Some(slot) = buf.get_mut(len) {
                *slot = b' ';
            }
            if let Some(slot) = buf.get_mut(len + gap) {
                *slot = kept;
            }
            len += gap + usize::from(keep);
            space = !keep;
            started |= keep;
        }
        if i >= bytes.len() {
            break;
        }
        let ch = sentence
            .get(i..)
            .and_then(|r| r.chars().next())
            .unwrap_or(' ');
        i += ch.len_utf8();
        if !ch.is_alphanumeric() {
            space = true;
            continue;
        }
        // Room for a space and the lower case (at most three characters), and still for
        // the rest as above: grown only when lower case came out longer than the text it
        // replaced, never filled again (a text of many such characters stays linear).
        let need = len + 1 + 12 + (bytes.len() - i) + 16;
        if out.len() < need {
            out.resize(need, 0);
        }
        if space && len != 0 {
            out[len] = b' ';
            len += 1;
        }
        space = false;
        let mut utf8 = [0u8; 4];
        for lower in ch.to_lowercase() {
            let lower = lower.encode_utf8(&mut utf8).as_bytes();
            out[len..len + lower.len()].copy_from_slice(lower);
            len += lower.len();
        }
    }
    out.truncate(len);
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
    named_mentions(text, written, &mut out);
    out.sort();
    out.dedup();
    out
}

/// Dates written with a month's name, with a day and/or a year, into `out`.
fn named_mentions(text: &str, written: NaiveDate, out: &mut Vec<Mention>) {
    let b = text.as_bytes();
    // Every such date has a number right after the
    // month ("May" and "March" are also ordinary words: only with a number next to them),
    // so the words read are those around a word that starts with a digit.
    let mut word_read_to = 0;
    for start in digit_positions(b) {
        // The rest of a word's digits are not word starts.
        let at_word_start =
            start >= word_read_to && splits_before(text, start).is_none_or(|(split, _)| split);
        if !at_word_start {
            continue;
        }
        let end = word_end(text, start);
        word_read_to = end;
        let Some(next) = number(&text[start..end]) else {
            continue;
        };
        let Some((month_start, word)) = word_before(text, start) else {
            continue;
        };
        let Some(month) = month_word(word) else {
            continue;
        };
        let previous = word_before(text, month_start);
        // "As of February 10, 2026" dates the update itself, not an event.
        let as_of = previous.is_some_and(|(of_start, of)| {
            of.eq_ignore_ascii_case("of")
                && word_before(text, of_start).is_some_and(|(_, w)| w.eq_ignore_ascii_case("as"))
        });
        if as_of {
            continue;
        }
        let after = word_after(text, end).and_then(number);
        let before = previous.and_then(|(_, w)| number(w));
        out.extend(dated(month, next, after, before, written));
    }
}

/// A month's name, as its number: `January`, `Jan`, `Jan.`, `Sept`, with `,` `:` `;`
/// after it.
fn month_word(word: &str) -> Option<u32> {
    // Most words are not months: their first letter and length say so at once.
    let could_be = word.len() >= 3
        && word.len() <= 11
        && matches!(
            word.as_bytes()[0].to_ascii_lowercase(),
            b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd'
        );
    could_be
        .then(|| month_number(word.trim_end_matches([',', ':', ';'])))
        .flatten()
}

/// The date a month's name makes with the numbers around it: `next` right after it,
/// `after` the word past that, `before` the word before it (`Jan 23, 2026`, `Feb 2026`,
/// `23 January 2026`, `Jan 23` in the year nearest `written`).
fn dated(
    month: u32,
    next: u32,
    after: Option<u32>,
    before: Option<u32>,
    written: NaiveDate,
) -> Option<Mention> {
    let day_of = |year: u32, day: u32| NaiveDate::from_ymd_opt(year as i32, month, day);
    match (next, after) {
        (day, Some(year)) if (1..=31).contains(&day) && (1900..=2200).contains(&year) => {
            day_of(year, day).map(Mention::Day)
        }
        (year, _) if (1900..=2200).contains(&year) => match before {
            Some(day) if (1..=31).contains(&day) => day_of(year, day).map(Mention::Day),
            _ => Some(Mention::Month(year as i32, month)),
        },
        (day, _) if (1..=31).contains(&day) => nearest_year(month, day, written).map(Mention::Day),
        _ => None,
    }
}

/// Where the ASCII digits of `b` are, 32 bytes at a time: each block's digits as a bit
/// mask, which the compiler builds with vector compares.
fn digit_positions(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    const BLOCK: usize = 32;
    let blocks = b.chunks_exact(BLOCK);
    let tail = blocks.remainder();
    let masks = blocks
        .map(|block| {
            block.iter().enumerate().fold(0u32, |m, (j, c)| {
                m | u32::from(c.wrapping_sub(b'0') < 10) << j
            })
        })
        .chain(std::iter::once(
            tail.iter().enumerate().fold(0u32, |m, (j, c)| {
                m | u32::from(c.wrapping_sub(b'0') < 10) << j
            }),
        ));
    masks.enumerate().flat_map(|(k, mut mask)| {
        std::iter::from_fn(move || {
            let j = mask.trailing_zeros() as usize;
            mask &= mask.wrapping_sub(1);
            (j < BLOCK).then_some(k * BLOCK + j)
        })
    })
}

/// Does `c` split words? White space, brackets, `;`, `/` and dashes.
fn splits(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | ';' | '/' | '—' | '–')
}

/// Does the ASCII byte `b` split words (as `splits` says of it)?
fn ascii_splits(b: u8) -> bool {
    matches!(
        b,
        b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | b'(' | b')' | b';' | b'/'
    )
}

/// Where the word that starts at `start` ends.
fn word_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut i = start;
    while let Some(&c) = b.get(i) {
        if c.is_ascii() {
            if ascii_splits(c) {
                return i;
            }
            i += 1;
        } else {
            let ch = text.get(i..).and_then(|r| r.chars().next()).unwrap_or(' ');
            if splits(ch) {
                return i;
            }
            i += ch.len_utf8();
        }
    }
    text.len()
}

/// The character that ends at `at`, and whether it splits words.
fn splits_before(text: &str, at: usize) -> Option<(bool, usize)> {
    match text.as_bytes().get(at.checked_sub(1)?) {
        Some(&c) if c.is_ascii() => Some((ascii_splits(c), 1)),
        _ => text[..at]
            .chars()
            .next_back()
            .map(|ch| (splits(ch), ch.len_utf8())),
    }
}

/// The word before `at` (a character boundary, at a word's start or in split characters),
/// with where it starts.
fn word_before(text: &str, at: usize) -> Option<(usize, &str)> {
    let mut end = at;
    while let Some((true, len)) = splits_before(text, end) {
        end -= len;
    }
    let mut start = end;
    while let Some((false, len)) = splits_before(text, start) {
        start -= len;
    }
    (start < end).then(|| (start, &text[start..end]))
}

/// The word after `at` (a character boundary, at a word's end or in split characters).
fn word_after(text: &str, at: usize) -> Option<&str> {
    let rest = &text[at..];
    let start = at + (rest.len() - rest.trim_start_matches(splits).len());
    let end = word_end(text, start);
    (start < end).then(|| &text[start..end])
}

/// A day or year as written next to a month name (`23`, `23,`, `1st`, `2026.`).
fn number(word: &str) -> Option<u32> {
    let mut t = word.trim_end_matches([',', '.', ':', ';']);
    for suffix in ["st", "nd", "rd", "th"] {
        while let Some(rest) = t.strip_suffix(suffix) {
            t = rest;
        }
    }
    (t.len() <= 4 && !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
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

impl Digest {
    /// Each status's share of the updates: the status, how many, and the percentage
    /// rounded half up (the one rounding the screen and the reports use).
    pub fn share_percents(&self) -> impl Iterator<Item = (&str, usize, usize)> {
        let total: usize = self.shares.iter().map(|(_, n)| n).sum();
        self.shares
            .iter()
            .map(move |(s, n)| (s.as_str(), *n, (n * 100 + total / 2) / total.max(1)))
    }
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
    let mut sources: std::collections::HashMap<&str, usize> = Default::default();
    let mut distinct: HashSet<&str> = HashSet::new();
    let mut hosts: Vec<&str> = Vec::new();
    for u in updates {
        // Each host once per update.
        hosts.clear();
        hosts.extend(u.sources.iter().map(|s| host(s)));
        hosts.sort_unstable();
        hosts.dedup();
        distinct.extend(u.sources.iter().map(|s| s.as_str()));
        for h in &hosts {
            *sources.entry(h).or_default() += 1;
        }
    }
    let mut top: Vec<(&str, usize)> = sources.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top = top
        .into_iter()
        .take(3)
        .map(|(h, n)| (h.to_owned(), n))
        .collect();
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
pub fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let mut host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    while let Some(shorter) = host.strip_prefix("www.") {
        host = shorter;
    }
    host
}

#[cfg(test)]
pub(crate) mod tests {
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

    /// Texts built of the pieces the fast paths treat specially: ASCII classes, letters
    /// past ASCII that change length in lower case, dashes, abbreviations, dates.
    pub(crate) fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "a",
            "Z",
            "7",
            " ",
            "  ",
            "\t",
            "\n",
            "\n\n",
            "\u{b}",
            "\u{c}",
            "\r",
            ".",
            "!",
            "?",
            ",",
            ";",
            ":",
            "/",
            "(",
            ")",
            "-",
            "—",
            "–",
            "\"",
            "”",
            "’",
            "é",
            "É",
            "İ",
            "ß",
            "Σ",
            "\u{a0}",
            "\u{2003}",
            "\u{85}",
            "U.S.",
            "D.C.",
            "e.g.",
            "Jan.",
            "Mr.",
            "May",
            "may",
            "March",
            "sept",
            "Sept.",
            "December",
            "23",
            "23,",
            "1st",
            "2nd",
            "3rd",
            "4th",
            "0",
            "9",
            "19",
            "31",
            "1999",
            "08",
            "2026",
            "2026.",
            "2026-02-20",
            "as of",
            "As of ",
            "the",
            "The",
            "word",
        ]);
        prop::collection::vec(piece, 0..60).prop_map(|p| p.concat())
    }

    /// Texts dense in dates: month names, numbers and what separates them.
    fn date_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "Jan",
            "Jan.",
            "May",
            "march",
            "Sept",
            "December",
            "as",
            "of",
            "0",
            "9",
            "19",
            "23,",
            "31st",
            "2026",
            "1999.",
            "2026-02-20",
            "x9",
            " ",
            " ",
            "  ",
            "\n",
            "(",
            ")",
            "/",
            "—",
            ";",
            "\u{a0}",
            "é",
        ]);
        prop::collection::vec(piece, 0..80).prop_map(|p| p.concat())
    }

    /// The byte-at-a-time `normalize` the table-driven one replaced: the reference.
    fn normalize_by_chars(sentence: &str) -> String {
        let mut out = String::new();
        let mut space = false;
        for ch in sentence.chars() {
            if !ch.is_alphanumeric() {
                space = true;
                continue;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(ch.to_lowercase());
        }
        out
    }

    /// The words of a text by `str::split`.
    fn words_by_split(text: &str) -> Vec<&str> {
        text.split(splits).filter(|w| !w.is_empty()).collect()
    }

    /// `named_mentions` as it read every word of the text: the reference for the one that
    /// reads only the words around numbers (what a month and its numbers make is shared).
    fn mentions_by_words(text: &str, written: NaiveDate) -> Vec<Mention> {
        let mut out = Vec::new();
        let words = words_by_split(text);
        for (k, w) in words.iter().enumerate() {
            let Some(month) = month_word(w) else {
                continue;
            };
            let as_of = k >= 2
                && words[k - 2].eq_ignore_ascii_case("as")
                && words[k - 1].eq_ignore_ascii_case("of");
            if as_of {
                continue;
            }
            let Some(next) = words.get(k + 1).and_then(|w| number(w)) else {
                continue;
            };
            let after = words.get(k + 2).and_then(|w| number(w));
            let before = k.checked_sub(1).and_then(|j| number(words[j]));
            out.extend(dated(month, next, after, before, written));
        }
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn ascii_splits_as_splits_says() {
        for b in 0..128u8 {
            assert_eq!(ascii_splits(b), splits(char::from(b)), "{b}");
        }
    }

    /// Does `named_mentions` find what `mentions_by_words` finds?
    fn named_as_by_words(
        text: &str,
        written: NaiveDate,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let mut named = Vec::new();
        named_mentions(text, written, &mut named);
        named.sort();
        named.dedup();
        proptest::prop_assert_eq!(named, mentions_by_words(text, written));
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn normalize_and_dates_match_their_references(
            text in tricky_text(),
            written in 0i64..2000,
        ) {
            proptest::prop_assert_eq!(normalize(&text), normalize_by_chars(&text));
            let written = day("2025-01-01") + chrono::Duration::days(written);
            named_as_by_words(&text, written)?;
        }

        #[test]
        fn normalize_and_dates_match_their_references_on_any_text(text in "\\PC{0,80}") {
            proptest::prop_assert_eq!(normalize(&text), normalize_by_chars(&text));
            let written = day("2026-02-14");
            named_as_by_words(&text, written)?;
        }

        #[test]
        fn dates_match_their_reference_where_dates_are_dense(
            text in date_text(),
            written in 0i64..2000,
        ) {
            let written = day("2025-01-01") + chrono::Duration::days(written);
            named_as_by_words(&text, written)?;
        }
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
        let ups = [a, b];
        let n = novelty(&ups);
        assert_eq!(n[0].sentences.len(), 2);
        assert_eq!(n[0].dates, [day("2026-01-09")]);
        assert_eq!(
            n[1].sentence_texts(&ups[1].body).collect::<Vec<_>>(),
            ["A ministerial is set for 2026-02-20."]
        );
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
