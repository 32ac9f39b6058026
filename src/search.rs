//! Finding claims by words: titles matched fuzzily (nucleo-matcher), tags, rationales and
//! update bodies matched literally and case-insensitively. A `Corpus` is a cheap snapshot
//! of the searchable text (bodies are shared, not copied), so a search can run on another
//! thread and be cancelled when the next keystroke supersedes it.

mod pair;

use crate::model::Workspace;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use std::sync::atomic::{AtomicBool, Ordering};

/// What one claim offers to a search.
#[derive(Debug, Clone)]
pub struct Doc {
    pub id: String,
    pub title: String,
    pub tags: Vec<String>,
    pub notes: Vec<String>,
    /// Update bodies, oldest first (as the claim keeps them).
    pub bodies: Vec<crate::model::Body>,
}

/// The searchable text of a workspace, in claim order.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub docs: Vec<Doc>,
}

impl Corpus {
    pub fn of(workspace: &Workspace) -> Self {
        let docs = workspace
            .claims
            .iter()
            .map(|c| Doc {
                id: c.id.clone(),
                title: c.title.clone(),
                tags: c.tags.clone(),
                notes: c.reviews.iter().map(|r| r.note.clone()).collect(),
                bodies: c.updates.iter().map(|u| u.body.clone()).collect(),
            })
            .collect();
        Self { docs }
    }
}

/// Why a claim matched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hit {
    /// Index of the claim in the workspace.
    pub claim: usize,
    /// Fuzzy score of the title, when the title matched.
    pub title_score: Option<u32>,
    pub in_tags: bool,
    pub in_notes: bool,
    /// Indices (oldest first) of the updates whose bodies contain the words.
    pub updates: Vec<usize>,
}

impl Hit {
    /// Where the search found the claim: `title · tag · rationale · 3 updates`.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if self.title_score.is_some() {
            parts.push("title".to_owned());
        }
        if self.in_tags {
            parts.push("tag".to_owned());
        }
        if self.in_notes {
            parts.push("rationale".to_owned());
        }
        if !self.updates.is_empty() {
            parts.push(crate::model::text::count(self.updates.len(), "update"));
        }
        parts.join(" · ")
    }
}

/// The result of one query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Results {
    pub query: String,
    /// Matching claims, best first: title matches by score, then by matching updates.
    pub hits: Vec<Hit>,
    /// False for the first results of a search still running over the rest.
    pub complete: bool,
}

impl Results {
    pub fn hit(&self, claim: usize) -> Option<&Hit> {
        self.hits.iter().find(|h| h.claim == claim)
    }
}

/// Searches the corpus. Returns None when `cancel` was set before the end.
pub fn run(corpus: &Corpus, query: &str, cancel: &AtomicBool) -> Option<Results> {
    run_with_partials(corpus, query, cancel, &mut |_| {})
}

/// `run`, handing `partial` the hits found so far (after 10 ms, then every 100 ms or
/// so), so that the first results show while a large workspace is still being searched.
///
/// Claims are searched in chunks by this thread and one more. Bodies are searched as the
/// bytes of the file they were read from where that gives the same answer (see
/// `Needle::found_in_body`): at memory speed, with nothing decoded.
pub fn run_with_partials(
    corpus: &Corpus,
    query: &str,
    cancel: &AtomicBool,
    partial: &mut dyn FnMut(Results),
) -> Option<Results> {
    run_with_partials_after(
        corpus,
        query,
        cancel,
        std::time::Duration::from_millis(10),
        partial,
    )
}

/// `run_with_partials`, the first partial due `first` after the start.
fn run_with_partials_after(
    corpus: &Corpus,
    query: &str,
    cancel: &AtomicBool,
    first: std::time::Duration,
    partial: &mut dyn FnMut(Results),
) -> Option<Results> {
    let query = query.trim();
    if query.is_empty() {
        return Some(Results {
            complete: true,
            ..Results::default()
        });
    }
    let started = std::time::Instant::now();
    let mut next_partial = first;
    let needle = Needle::new(query);
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let words = QueryWords::new(query);
    const CHUNK: usize = 16;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let found = std::sync::Mutex::new(Vec::new());
    let search_chunks = |report: &mut dyn FnMut()| {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        loop {
            if cancel.load(Ordering::Relaxed) {
                return;
            }
            let from = next.fetch_add(CHUNK, Ordering::Relaxed);
            if from >= corpus.docs.len() {
                return;
            }
            let mut hits = Vec::new();
            for (i, doc) in corpus.docs.iter().enumerate().skip(from).take(CHUNK) {
                // nucleo ranks; the words decide whether the title matches at all.
                let title_score = words
                    .in_title(&doc.title)
                    .then(|| pattern.score(Utf32Str::new(&doc.title, &mut buf), &mut matcher))
                    .flatten();
                let in_tags = doc.tags.iter().any(|t| needle.found_in(t));
                let in_notes = doc.notes.iter().any(|n| needle.found_in(n));
                let updates: Vec<usize> = doc
                    .bodies
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| needle.found_in_body(b))
                    .map(|(j, _)| j)
                    .collect();
                if title_score.is_some() || in_tags || in_notes || !updates.is_empty() {
                    hits.push(Hit {
                        claim: i,
                        title_score,
                        in_tags,
                        in_notes,
                        updates,
                    });
                }
            }
            if let Ok(mut found) = found.lock() {
                found.extend(hits);
            }
            report();
        }
    };
    std::thread::scope(|scope| {
        scope.spawn(|| search_chunks(&mut || {}));
        search_chunks(&mut || {
            // Once every chunk is taken the complete results are a chunk away: a partial
            // then could already hold them all and still say it is not complete.
            let all_taken = next.load(Ordering::Relaxed) >= corpus.docs.len();
            if !all_taken && started.elapsed() >= next_partial {
                next_partial = started.elapsed() + std::time::Duration::from_millis(100);
                let mut so_far = found.lock().map(|f| f.clone()).unwrap_or_default();
                sort_hits(&mut so_far);
                partial(Results {
                    query: query.to_owned(),
                    hits: so_far,
                    complete: false,
                });
            }
        });
    });
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    let mut hits = found.into_inner().unwrap_or_default();
    sort_hits(&mut hits);
    Some(Results {
        query: query.to_owned(),
        hits,
        complete: true,
    })
}

/// A query's words, for matching titles: each must start a word of the title and have
/// its other letters in that word, in order (`implmnttn` in "Implementation", `sig` in
/// "(SIG)"), or stand in the title as typed (`u.s.-mexico`). Typos and abbreviations
/// match; letters scattered across a long title do not (`banana split`).
struct QueryWords {
    /// Each word lowercased: as typed, and its letters and digits alone.
    words: Vec<(String, Vec<char>)>,
}

impl QueryWords {
    fn new(query: &str) -> Self {
        let words = query
            .split_whitespace()
            .map(|w| {
                let lower = w.to_lowercase();
                let letters = lower.chars().filter(|c| c.is_alphanumeric()).collect();
                (lower, letters)
            })
            .collect();
        Self { words }
    }

    fn in_title(&self, title: &str) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let lower = title.to_lowercase();
        let title_words: Vec<Vec<char>> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().collect())
            .collect();
        self.words.iter().all(|(typed, letters)| {
            lower.contains(typed.as_str())
                || (!letters.is_empty()
                    && title_words.iter().any(|w| starts_and_follows(letters, w)))
        })
    }
}

/// Whether `word` starts with `query`'s first letter and holds the rest in order.
fn starts_and_follows(query: &[char], word: &[char]) -> bool {
    let (Some(first), Some(start)) = (query.first(), word.first()) else {
        return false;
    };
    if first != start {
        return false;
    }
    let mut rest = word[1..].iter();
    query[1..].iter().all(|q| rest.any(|c| c == q))
}

/// Best first: title matches by score, then claims with more matching updates.
fn sort_hits(hits: &mut [Hit]) {
    hits.sort_by_key(|h| {
        (
            std::cmp::Reverse(h.title_score.unwrap_or(0)),
            std::cmp::Reverse(h.updates.len()),
            h.claim,
        )
    });
}

/// A literal, case-insensitive needle.
#[derive(Debug, Clone)]
pub struct Needle {
    lower: String,
    ascii: bool,
    /// ASCII without `"`, `\\` or control characters: found in a JSON string literal's
    /// bytes exactly where it is in the text (see `Body::searchable_json`).
    json_safe: bool,
    /// The needle's byte least common in English text, which the scan looks for first.
    rare: usize,
    /// Its two rarest bytes, looked for together 32 bytes at a time where the CPU can.
    pair: Option<pair::Pair>,
}

impl Needle {
    pub fn new(text: &str) -> Self {
        let lower = text.to_lowercase();
        let ascii = lower.is_ascii();
        let json_safe = ascii && !lower.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20);
        let pair = pair::Pair::of(lower.as_bytes(), commonness);
        let rare = pair.map_or(0, |p| p.rarest());
        Self {
            lower,
            ascii,
            json_safe,
            rare,
            pair,
        }
    }

    /// Whether the body's text holds the needle: over the body's JSON bytes where they
    /// give the same answer, else over its decoded text (not kept).
    pub fn found_in_body(&self, body: &crate::model::Body) -> bool {
        if self.lower.is_empty() {
            return false;
        }
        match body.searchable_json().filter(|_| self.json_safe) {
            Some(raw) => self.found_in_literal(raw),
            None => self.found_in(&body.decoded()),
        }
    }

    /// In a literal's bytes, a match is one in the text unless it starts right after an
    /// escaping backslash (`n` in `\\n`): the needle holds no byte an escape is made of.
    fn found_in_literal(&self, raw: &[u8]) -> bool {
        let mut from = 0;
        while let Some(at) = self.find_ascii(&raw[from..]).map(|at| from + at) {
            let backslashes = raw[..at].iter().rev().take_while(|&&b| b == b'\\').count();
            if backslashes % 2 == 0 {
                return true;
            }
            from = at + 1;
        }
        false
    }

    /// ASCII case-insensitive search for the (ASCII) needle: candidates where its two
    /// rarest bytes both are (32 bytes a step), then a comparison of the whole; the end
    /// of the haystack that a step does not fit by its rarest byte alone.
    fn find_ascii(&self, haystack: &[u8]) -> Option<usize> {
        let mut from = 0;
        if let Some(pair) = &self.pair {
            let (hit, done) = pair.find(haystack, self.lower.as_bytes());
            if hit.is_some() {
                return hit;
            }
            from = done;
        }
        self.find_ascii_by_rare(&haystack[from..])
            .map(|at| from + at)
    }

    /// Candidates by the rarest byte (memchr2 on both cases), then a comparison of the
    /// whole.
    fn find_ascii_by_rare(&self, haystack: &[u8]) -> Option<usize> {
        let needle = self.lower.as_bytes();
        let k = self.rare;
        let (lo, up) = (needle[k], needle[k].to_ascii_uppercase());
        let mut from = k;
        while from < haystack.len() {
            let at = from + memchr::memchr2(lo, up, &haystack[from..])?;
            let start = at - k;
            if let Some(window) = haystack.get(start..start + needle.len())
                && window.eq_ignore_ascii_case(needle)
            {
                return Some(start);
            }
            from = at + 1;
        }
        None
    }

    pub fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }

    pub fn found_in(&self, haystack: &str) -> bool {
        self.find_in(haystack).is_some()
    }

    /// Byte offset of the first match in `haystack`.
    pub fn find_in(&self, haystack: &str) -> Option<usize> {
        if self.lower.is_empty() {
            return None;
        }
        if self.ascii {
            self.find_ascii(haystack.as_bytes())
        } else {
            // Lower-casing can change lengths; search the lowered text and map back.
            let lowered = haystack.to_lowercase();
            let at = lowered.find(&self.lower)?;
            let chars_before = lowered[..at].chars().count();
            haystack.char_indices().nth(chars_before).map(|(b, _)| b)
        }
    }

    /// Every match's byte range in `haystack` (for highlighting).
    pub fn ranges_in(&self, haystack: &str) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        if !self.ascii || self.lower.is_empty() {
            if let Some(at) = self.find_in(haystack) {
                let len: usize = haystack[at..]
                    .chars()
                    .take(self.lower.chars().count())
                    .map(char::len_utf8)
                    .sum();
                out.push(at..at + len);
            }
            return out;
        }
        let mut from = 0;
        while let Some(at) = self.find_ascii(&haystack.as_bytes()[from..]) {
            let start = from + at;
            out.push(start..start + self.lower.len());
            from = start + self.lower.len();
        }
        out
    }
}

/// How common a byte is in English text, roughly (lower is rarer): letters by their
/// frequency, then digits and punctuation, with the space most common of all.
fn commonness(b: u8) -> u8 {
    const BY_FREQUENCY: &[u8] = b"zqxjkvbpygfwmucldrhsnioate";
    match BY_FREQUENCY
        .iter()
        .position(|&c| c == b.to_ascii_lowercase())
    {
        Some(rank) => 10 + rank as u8,
        None if b == b' ' => 255,
        None if b.is_ascii_digit() => 5,
        None => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_case_insensitive() {
        let n = Needle::new("Security Ministerial");
        assert_eq!(n.find_in("a security ministerial in February"), Some(2));
        assert!(!n.found_in("security  ministerial"));
        assert_eq!(
            n.ranges_in("SECURITY MINISTERIAL; Security Ministerial"),
            vec![0..20, 22..42]
        );
        let u = Needle::new("méxico");
        assert_eq!(u.find_in("in MÉXICO city"), Some(3));
        assert!(!Needle::new("").found_in("x"));
        assert_eq!(Needle::new("abc").find_ascii(b"ab"), None);
        assert_eq!(Needle::new("abc").find_ascii(b"xxAbC"), Some(2));
    }

    #[test]
    fn partial_results_come_before_the_end_of_a_long_search() {
        // The first partial due at once: after the first chunk, however fast the machine.
        const CLAIMS: usize = 2000;
        let body = crate::model::Body::from("The ministerial met. ".repeat(20));
        let doc = |i: usize| Doc {
            id: i.to_string(),
            title: "t".into(),
            tags: vec![],
            notes: vec![],
            bodies: vec![body.clone(); 50],
        };
        let corpus = Corpus {
            docs: (0..CLAIMS).map(doc).collect(),
        };
        let mut partials = Vec::new();
        let done = run_with_partials_after(
            &corpus,
            "ministerial",
            &AtomicBool::new(false),
            std::time::Duration::ZERO,
            &mut |r| partials.push(r),
        )
        .expect("finishes");
        assert!(done.complete && done.hits.len() == CLAIMS);
        assert!(!partials.is_empty(), "no partial results");
        for p in &partials {
            assert!(
                !p.complete && p.hits.len() < CLAIMS,
                "{} hits",
                p.hits.len()
            );
        }
    }

    /// The first start where `needle` matches ignoring ASCII case, one start at a time.
    fn first_by_every_start(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        (0..haystack.len()).find(|&s| {
            haystack
                .get(s..s + needle.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The 32-byte pair scan and the rarest-byte scan after it find the first match
        /// that trying every start finds: needles from the text (so they hit), of every
        /// length, across block ends, with letters whose `| 0x20` collides (`@`/`` ` ``,
        /// `[`/`{`) and case flipped anywhere.
        #[test]
        fn the_ascii_scan_finds_the_first_match(
            text in "[aAbByY@`\\[{ .]{0,200}",
            from in 0usize..200,
            len in 1usize..40,
            flips in proptest::collection::vec(proptest::bool::ANY, 40),
        ) {
            let bytes = text.as_bytes();
            let start = from.min(bytes.len());
            let mut needle: Vec<u8> = bytes[start..(start + len).min(bytes.len())].to_vec();
            if needle.is_empty() {
                needle = b"yb".to_vec();
            }
            for (b, flip) in needle.iter_mut().zip(&flips) {
                if *flip {
                    *b = if b.is_ascii_lowercase() { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() };
                }
            }
            let needle = String::from_utf8(needle).expect("ascii");
            let n = Needle::new(&needle);
            let lower = needle.to_lowercase();
            proptest::prop_assert_eq!(n.find_in(&text), first_by_every_start(bytes, lower.as_bytes()));
        }
    }

    proptest::proptest! {
        /// A body searched as its file bytes answers as its decoded text does, whatever
        /// its escapes (`\\n`, `\\"`, `\\\\`, `\\u00e9`, `\\/`) and whatever the needle.
        #[test]
        fn searching_the_bytes_answers_as_searching_the_text(
            body in "[abn/ \n\"\\\\é\t]{0,24}",
            needle in "[abnN/ \"\\\\é]{1,4}",
            spell in proptest::bool::ANY,
        ) {
            let mut literal = serde_json::to_string(&body).expect("json");
            if spell {
                literal = literal.replace('/', "\\/").replace('é', "\\u00e9").replace('a', "\\u0061");
            }
            let file = format!(
                r#"{{"format": "claimdesk-workspace", "version": 1, "claims": [{{"id": "c", "title": "t",
                "updates": [{{"at": "2026-01-01T00:00:00Z", "status": "s", "body": {literal}}}]}}]}}"#
            );
            let ws = crate::store::parse(std::path::Path::new("t.json"), file.as_bytes()).expect("parses");
            let read = &ws.claims[0].updates[0].body;
            proptest::prop_assert!(read.raw_json().is_some());
            let n = Needle::new(&needle);
            proptest::prop_assert_eq!(n.found_in_body(read), n.found_in(&body));
        }
    }

    #[test]
    fn titles_fuzzy_bodies_literal_and_cancellation() {
        let mut ws = Workspace::default();
        let mut a = crate::model::Claim::new("a", "Dismantle cartel networks");
        a.updates.push(crate::model::Update {
            at: "2026-01-01T00:00:00Z".parse().expect("ts"),
            status: "in_progress".into(),
            body: "The ministerial meeting was held.".into(),
            sources: vec![],
            suggested_follow_up: None,
            extra: Default::default(),
        });
        let b = crate::model::Claim::new("b", "Deliver tangible actions");
        ws.claims = vec![a, b];
        let corpus = Corpus::of(&ws);
        let never = AtomicBool::new(false);
        let r = run(&corpus, "dsmntl crtl", &never).expect("done");
        assert!(run(&corpus, "dlvr", &never).expect("done").hits.len() <= 1);
        assert_eq!(r.hits.len(), 1);
        assert!(r.hits[0].title_score.is_some());
        let r = run(&corpus, "MINISTERIAL", &never).expect("done");
        assert_eq!(
            r.hits,
            vec![Hit {
                claim: 0,
                updates: vec![0],
                ..Hit::default()
            }]
        );
        assert!(
            run(&corpus, "nothing like it", &never)
                .expect("done")
                .hits
                .is_empty()
        );
        let cancelled = AtomicBool::new(true);
        assert_eq!(run(&corpus, "x", &cancelled), None);
        assert!(run(&corpus, "ministerial", &never).is_some_and(|r| r.complete));
    }
}
