//! Rebuilding update bodies as a reader sees them: joining lines that the page broke at
//! inline links, keeping real paragraphs, and pulling out source URLs, recommended
//! follow-up dates and the claim's restatement.

use chrono::NaiveDate;

/// A body rebuilt from page lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    /// Paragraphs separated by a blank line.
    pub text: String,
    pub sources: Vec<String>,
    pub suggested_follow_up: Option<NaiveDate>,
    /// Dates written as a recommended follow-up that do not exist (`2026-02-29`).
    pub invalid_follow_ups: Vec<String>,
    /// The `verdict` inside the tracker's raw JSON output, when the body was that.
    pub status_in_text: Option<String>,
}

/// Joins the raw lines of one update into paragraphs and extracts what it cites.
pub fn rebuild(lines: &[&str]) -> Body {
    let mut lines: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    // The page prints the update's text, then its source URLs: a trailing block of bare
    // URLs (with or without a "Sources:" heading) is the source list, not prose.
    let mut trailing_sources = Vec::new();
    while let Some(last) = lines.last() {
        if last.is_empty() {
            lines.pop();
        } else if is_bare_url(last) {
            trailing_sources.push(*last);
            lines.pop();
        } else if is_sources_heading(last) {
            lines.pop();
            break;
        } else {
            break;
        }
    }
    let paragraphs = join_lines(&lines);
    let text = paragraphs.join("\n\n");

    let mut sources = Vec::new();
    for url in urls_in(&text).chain(trailing_sources.iter().rev().flat_map(|l| urls_in(l))) {
        if !sources.contains(&url) {
            sources.push(url);
        }
    }
    let (suggested_follow_up, invalid_follow_ups) = suggested_follow_up(&text);
    Body {
        text,
        sources,
        suggested_follow_up,
        invalid_follow_ups,
        status_in_text: None,
    }
}

/// The tracker's Markdown (`model_output.text`) as its page shows it, in lines for
/// `rebuild`: a paragraph or heading on a line of its own with a blank line after it, a
/// list item on a line starting `- ` (or its number), emphasis and code marks dropped, a
/// link as its text. Also returns the links' URLs that are evidence: all but the
/// encyclopedia links the tracker inserts itself (`[Mexico](https://en.wikipedia.org/…)`).
pub fn from_markdown(markdown: &str) -> (Vec<String>, Vec<String>) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut links = Vec::new();
    // For each open list, the number of its next item (None: bullets).
    let mut lists: Vec<Option<u64>> = Vec::new();
    let flush = |lines: &mut Vec<String>, current: &mut String, blank: bool| {
        let line = current.trim().to_owned();
        current.clear();
        if !line.is_empty() {
            lines.push(line);
        }
        if blank && lines.last().is_some_and(|l| !l.is_empty()) {
            lines.push(String::new());
        }
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. }) if lists.is_empty() => {
                flush(&mut lines, &mut current, false);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => {
                flush(&mut lines, &mut current, lists.is_empty());
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut lines, &mut current, false);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut lines, &mut current, false);
                lists.pop();
                if lists.is_empty() && lines.last().is_some_and(|l| !l.is_empty()) {
                    lines.push(String::new());
                }
            }
            Event::Start(Tag::Item) => {
                flush(&mut lines, &mut current, false);
                match lists.last_mut() {
                    Some(Some(n)) => {
                        current.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => current.push_str("- "),
                }
            }
            Event::End(TagEnd::Item) => flush(&mut lines, &mut current, false),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let url = dest_url.to_string();
                if (url.starts_with("http://") || url.starts_with("https://"))
                    && !is_encyclopedia(&url)
                    && !links.contains(&url)
                {
                    links.push(url);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                current.push_str(&t);
            }
            Event::SoftBreak => current.push(' '),
            Event::HardBreak => flush(&mut lines, &mut current, false),
            Event::Rule => flush(&mut lines, &mut current, true),
            _ => {}
        }
    }
    flush(&mut lines, &mut current, false);
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    (lines, links)
}

/// A link the tracker inserts into its own texts to explain a name: an encyclopedia
/// article, not a source of evidence.
fn is_encyclopedia(url: &str) -> bool {
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or("")
        .to_ascii_lowercase();
    host == "wikipedia.org" || host.ends_with(".wikipedia.org")
}

fn is_bare_url(line: &str) -> bool {
    let line = line.trim_start_matches(['-', '*', '•', ' ']);
    (line.starts_with("http://") || line.starts_with("https://")) && !line.contains(' ')
}

fn is_sources_heading(line: &str) -> bool {
    let l = line.trim_end_matches(':').trim().to_ascii_lowercase();
    l == "sources" || l == "source" || l == "sources cited" || l == "references"
}

fn is_list_item(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with("- ") || l.starts_with("* ") || l.starts_with("• ") || numbered(l)
}

fn numbered(l: &str) -> bool {
    let digits = l.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && digits <= 3 && matches!(&l.as_bytes()[digits..], [b'.' | b')', b' ', ..])
}

/// Does this line end a sentence (and so, on the page, a paragraph)?
fn ends_sentence(line: &str) -> bool {
    // A sentence followed by its citation: `… at this time. (State Dept, Jan 24, 2026)`.
    if let Some(open) = line.trim_end().strip_suffix(')').and_then(|l| l.rfind('(')) {
        let before = line[..open].trim_end();
        if before.ends_with(['.', '!', '?', '…']) {
            return true;
        }
    }
    let trimmed = line.trim_end_matches(['"', '\'', '”', '’', ')', ']', '*']);
    matches!(trimmed.chars().last(), Some('.' | '!' | '?' | '…'))
}

/// The page breaks lines where it had inline links; a reader sees one sentence. A line
/// that ends a sentence ends its paragraph; list items, bare URLs and the lines around
/// them stand alone.
pub fn join_lines(lines: &[&str]) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in lines.iter().map(|l| l.trim()) {
        if line.is_empty() {
            flush(&mut paragraphs, &mut current);
            continue;
        }
        let stands_alone = is_list_item(line) || is_bare_url(line);
        if stands_alone {
            flush(&mut paragraphs, &mut current);
        }
        if !current.is_empty() && needs_space(&current, line) {
            current.push(' ');
        }
        current.push_str(line);
        let label_before_list = line.ends_with(':') && is_sources_heading(line);
        if ends_sentence(line) || label_before_list || is_bare_url(line) {
            flush(&mut paragraphs, &mut current);
        }
    }
    flush(&mut paragraphs, &mut current);
    paragraphs
}

/// Whether a line broken at an inline link joins the text before it with a space: not
/// after an opening bracket or quote, nor after a hyphen or dash glued to a word
/// (`Mexican-` + `U.S.`, `White House–` + `Mexico`), nor before closing punctuation.
fn needs_space(before: &str, line: &str) -> bool {
    let mut tail = before.chars().rev();
    let last = tail.next();
    let glued_dash = matches!(last, Some('-' | '–' | '—'))
        && tail.next().is_some_and(|c| c.is_alphanumeric() || c == '.');
    // A straight quote opens when it follows a space (or starts the text).
    let straight_opens =
        matches!(last, Some('"')) && tail.clone().next().is_none_or(char::is_whitespace);
    let opens = matches!(last, Some('(' | '[' | '“' | '‘' | '/')) || straight_opens;
    // A straight quote closes when a space or punctuation follows it.
    let straight_closes = line.strip_prefix('"').is_some_and(|rest| {
        rest.chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || ".,;:!?)".contains(c))
    });
    let closes = line.starts_with(['.', ',', ';', ':', '!', '?', ')', ']', '”', '’', '%'])
        || straight_closes;
    !(glued_dash || opens || closes)
}

fn flush(paragraphs: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        paragraphs.push(std::mem::take(current));
    }
}

/// Every http(s) URL in the text, without the punctuation that ends its sentence.
pub fn urls_in(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let start = match (rest.find("https://"), rest.find("http://")) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => return None,
            };
            let tail = &rest[start..];
            let end = tail
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '“' | '”'))
                .unwrap_or(tail.len());
            let mut url = &tail[..end];
            rest = &tail[end..];
            loop {
                let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '’']);
                let unbalanced = (trimmed.ends_with(')') && !trimmed.contains('('))
                    || (trimmed.ends_with(']') && !trimmed.contains('['));
                let trimmed = if unbalanced {
                    &trimmed[..trimmed.len() - 1]
                } else {
                    trimmed
                };
                if trimmed.len() == url.len() {
                    break;
                }
                url = trimmed;
            }
            if url.len() > "https://".len() {
                return Some(url.to_owned());
            }
        }
    })
}

/// A follow-up date the body recommends: `Follow-up: 2026-02-20`, `Recommended follow-up
/// date: …`, `Planned follow-up date: …`, `A suggested follow-up date for assessment is …`.
/// The last one written wins; dates that do not exist are returned apart.
pub fn suggested_follow_up(text: &str) -> (Option<NaiveDate>, Vec<String>) {
    let lower = text.to_ascii_lowercase();
    let mut found = None;
    let mut invalid = Vec::new();
    let mut from = 0;
    while let Some((at, after)) = find_follow_up(&lower, from) {
        from = after;
        let value = date_after_phrase(&lower[after..])
            .or_else(|| starts_sentence(&lower, at).then(|| date_in_sentence(&lower[after..]))?);
        if let Some((date_text, date)) = value {
            match date {
                Some(d) => found = Some(d),
                None => invalid.push(date_text),
            }
        }
    }
    (found, invalid)
}

/// Whether the text at `at` begins a line or a sentence (`Follow-up: A check … by
/// 2026-02-01.` is a recommendation; "the follow-up meeting of …" inside a sentence is not).
fn starts_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\t']);
    before.is_empty() || before.ends_with(['\n', '.', '!', '?', ';'])
}

/// The first `YYYY-MM-DD` later in the same sentence: `… should be performed by
/// 2026-02-01`, `… a reasonable checkpoint date is 2026-12-31`, `… around 2026-04-15 …`.
fn date_in_sentence(s: &str) -> Option<(String, Option<NaiveDate>)> {
    let end = s
        .match_indices(['.', '\n'])
        .find(|(i, _)| {
            // A full stop ends the sentence; one inside "U.S." or a number does not.
            let next = s[i + 1..].chars().next();
            next.is_none_or(|c| c == ' ' || c == '\n')
        })
        .map_or(s.len(), |(i, _)| i);
    let sentence = &s[..end];
    let b = sentence.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let shape = is_iso_shape(&b[i..i + 10])
            && !b.get(i + 10).is_some_and(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit());
        if !shape {
            return None; // (and `i` may be inside a character)
        }
        // Named as the time to look again (`by`, `on`, `after`, `around`, `is` …), not
        // cited in brackets as the date of a source.
        let before = &sentence[..i];
        let named = before
            .trim_end()
            .rsplit(' ')
            .next()
            .is_some_and(|w| DATE_WORDS.contains(&w));
        let cited = before.matches('(').count() > before.matches(')').count();
        (named && !cited).then(|| {
            let text = &sentence[i..i + 10];
            (
                text.to_owned(),
                NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
            )
        })
    })
}

/// The words that name the date a recommendation gives.
const DATE_WORDS: [&str; 12] = [
    "by",
    "on",
    "after",
    "around",
    "is",
    "before",
    "until",
    "date",
    "than",
    "revisit",
    "check",
    "recommended:",
];

fn find_follow_up(lower: &str, from: usize) -> Option<(usize, usize)> {
    let hay = lower.get(from..)?;
    let candidates = ["follow-up", "follow up", "followup"];
    candidates
        .iter()
        .filter_map(|w| hay.find(w).map(|i| (from + i, from + i + w.len())))
        .min()
}

/// A `YYYY-MM-DD` that follows the words "follow-up" as their value: `: 2026-02-20`,
/// ` date: …`, ` date for assessment is …`. Returns the text and its date (None when the
/// calendar has no such day).
fn date_after_phrase(s: &str) -> Option<(String, Option<NaiveDate>)> {
    let mut rest = s.trim_start();
    if let Some(r) = rest.strip_prefix("date") {
        rest = r.trim_start();
    }
    if let Some(r) = rest.strip_prefix("for ") {
        // one word: "for assessment", "for review"
        let r = r.trim_start();
        rest = r
            .trim_start_matches(|c: char| c.is_alphabetic())
            .trim_start();
    }
    for joiner in [":", "is ", "on ", "by ", "of ", "-", "="] {
        if let Some(r) = rest.strip_prefix(joiner) {
            rest = r.trim_start();
            break;
        }
    }
    let b = rest.as_bytes();
    if b.len() >= 10 && is_iso_shape(&b[..10]) && !b.get(10).is_some_and(u8::is_ascii_digit) {
        let text = &rest[..10];
        return Some((
            text.to_owned(),
            NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
        ));
    }
    None
}

fn is_iso_shape(b: &[u8]) -> bool {
    b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    })
}

/// Lead-ins the tracker uses before restating the claim, longest first where they share
/// a start. Matched case-insensitively at the start of the body.
const LEAD_INS: &[&str] = &[
    "restatement of the claim:",
    "restatement of claim:",
    "restating the claim:",
    "restated claim:",
    "claim restatement:",
    "claim restated:",
    "claim restates that",
    "claim:",
    "what the claim states:",
    "original claim:",
    "the claim restates that",
    "the claim states that",
    "the claim stated that",
    "the claim is that",
    "the claim describes",
    "the claim concerns",
    "the claim says that",
    "the article states that",
    "the article said that",
    "the article said",
    "the article notes that",
    "the article notes",
    "the article stated that",
];

/// The claim as the body restates it: its first sentence without a lead-in.
pub fn restated_claim(body: &str) -> Option<String> {
    let first_para = body.split("\n\n").next()?.trim();
    let mut rest = first_para;
    // Two lead-ins can stack ("Restatement of the claim: The article notes …").
    for _ in 0..2 {
        let lower = rest.to_lowercase();
        if let Some(lead) = LEAD_INS.iter().find(|l| lower.starts_with(*l)) {
            rest = rest[lead.len()..].trim_start();
        }
    }
    let sentence = first_sentence(rest).trim();
    if sentence.is_empty() {
        return None;
    }
    Some(capitalize(sentence))
}

/// The text after `Original claim:` anywhere in the body, up to the end of its sentence.
pub fn original_claim(body: &str) -> Option<String> {
    let idx = body.find("Original claim:")?;
    let sentence = first_sentence(body[idx + "Original claim:".len()..].trim_start()).trim();
    (!sentence.is_empty()).then(|| capitalize(sentence))
}

/// The first sentence of `text`, with its final punctuation. Abbreviations such as
/// `U.S.`, `D.C.` or `e.g.` do not end a sentence.
pub fn first_sentence(text: &str) -> &str {
    // Read only as far as the sentence goes: the paragraph's end is found on the way, so
    // splitting a long text into sentences stays linear in its length. Every byte that
    // matters is ASCII: the candidates for an end are found with memchr.
    let bytes = text.as_bytes();
    let paragraph_end = |from: usize, to: usize| {
        memchr::memchr_iter(b'\n', &bytes[from..to])
            .map(|j| from + j)
            .find(|&j| bytes.get(j + 1) == Some(&b'\n'))
    };
    let mut from = 0;
    while let Some(at) = memchr::memchr3(b'.', b'!', b'?', &bytes[from..]) {
        let i = from + at;
        if let Some(end) = paragraph_end(from, i) {
            return &text[..end];
        }
        from = i + 1;
        let ends = match text[i + 1..].chars().next() {
            None => true,
            Some(n) if n.is_whitespace() => {
                let after = text[i + 1..].trim_start().chars().next();
                after.is_none_or(|a| a.is_uppercase() || a.is_ascii_digit() || !a.is_alphabetic())
            }
            Some(_) => false,
        };
        if ends && !(bytes[i] == b'.' && is_abbreviation(&bytes[..i])) {
            return &text[..=i];
        }
    }
    match paragraph_end(from, bytes.len()) {
        Some(end) => &text[..end],
        None => text,
    }
}

/// Is the word before this period an abbreviation (`U.S`, `e.g`, `Mr`, `Jan`)?
fn is_abbreviation(before: &[u8]) -> bool {
    let word_start = before
        .iter()
        .rposition(|b| b.is_ascii_whitespace() || *b == b'(')
        .map_or(0, |i| i + 1);
    let word = &before[word_start..];
    // Initialisms: single letters separated by periods (U.S, D.C, e.g, i.e).
    let mut parts = word.split(|b| *b == b'.');
    let initialism = parts
        .by_ref()
        .all(|p| p.len() == 1 && p[0].is_ascii_alphabetic())
        && word.contains(&b'.');
    if initialism {
        return true;
    }
    const TITLES: &[&str] = &[
        "mr", "mrs", "ms", "dr", "st", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul",
        "aug", "sep", "sept", "oct", "nov", "dec", "gov", "sen", "rep", "gen", "inc",
    ];
    word.len() <= 4
        && TITLES
            .iter()
            .any(|t| t.as_bytes().eq_ignore_ascii_case(word))
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-at-a-time `first_sentence` the memchr one replaced: the reference.
    fn first_sentence_by_bytes(text: &str) -> &str {
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if !matches!(b, b'\n' | b'.' | b'!' | b'?') {
                continue;
            }
            if b == b'\n' {
                if bytes.get(i + 1) == Some(&b'\n') {
                    return &text[..i];
                }
                continue;
            }
            let ends = match text[i + 1..].chars().next() {
                None => true,
                Some(n) if n.is_whitespace() => {
                    let after = text[i + 1..].trim_start().chars().next();
                    after.is_none_or(|a| {
                        a.is_uppercase() || a.is_ascii_digit() || !a.is_alphabetic()
                    })
                }
                Some(_) => false,
            };
            if ends && !(b == b'.' && is_abbreviation(&bytes[..i])) {
                return &text[..=i];
            }
        }
        text
    }

    proptest::proptest! {
        #[test]
        fn first_sentence_matches_its_reference(text in crate::analysis::tests::tricky_text()) {
            proptest::prop_assert_eq!(first_sentence(&text), first_sentence_by_bytes(&text));
        }
    }

    #[test]
    fn joins_lines_broken_at_links() {
        let lines = [
            "officials discussed the need for stronger bilateral cooperation with",
            "Mexico to dismantle networks.",
            "Next paragraph in",
            "Washington,",
            "D.C. in February.",
        ];
        assert_eq!(
            join_lines(&lines),
            vec![
                "officials discussed the need for stronger bilateral cooperation with Mexico to dismantle networks.",
                "Next paragraph in Washington, D.C. in February.",
            ]
        );
    }

    #[test]
    fn list_items_and_sources_block() {
        let body = rebuild(&[
            "Evidence of progress.",
            "Sources:",
            "- State Department, 2026-01-15, https://www.state.gov/a/",
            "- Reuters, https://www.reuters.com/b",
            "https://example.org/c;",
            "https://example.org/d",
        ]);
        assert_eq!(
            body.text,
            "Evidence of progress.\n\nSources:\n\n- State Department, 2026-01-15, https://www.state.gov/a/\n\n- Reuters, https://www.reuters.com/b"
        );
        assert_eq!(
            body.sources,
            vec![
                "https://www.state.gov/a/",
                "https://www.reuters.com/b",
                "https://example.org/c",
                "https://example.org/d"
            ]
        );
    }

    #[test]
    fn urls_lose_sentence_punctuation() {
        let urls: Vec<_> =
            urls_in("see (https://a.org/x). and https://b.org/y(z), http://c.org;").collect();
        assert_eq!(
            urls,
            vec!["https://a.org/x", "https://b.org/y(z)", "http://c.org"]
        );
    }

    #[test]
    fn recommended_follow_ups() {
        let d = |s: &str| suggested_follow_up(s).0.map(|d| d.to_string());
        assert_eq!(d("Follow-up: 2026-02-20"), Some("2026-02-20".into()));
        assert_eq!(
            d("x. Recommended follow-up date: 2026-12-31"),
            Some("2026-12-31".into())
        );
        assert_eq!(
            d("Planned follow-up date: 2026-03-01."),
            Some("2026-03-01".into())
        );
        assert_eq!(
            d("A suggested follow-up date for assessment is 2026-06-01 to capture"),
            Some("2026-06-01".into())
        );
        assert_eq!(
            d("Follow-up: A final assessment later. Recommended follow-up date: 2026-12-31"),
            Some("2026-12-31".into())
        );
        assert_eq!(
            d("No public follow-up date has been published as of 2026-02-10"),
            None
        );
        assert_eq!(d("the follow-up. 2026-02-10"), None);
        let (none, invalid) = suggested_follow_up("Follow-up: 2026-02-29");
        assert_eq!(none, None);
        assert_eq!(invalid, vec!["2026-02-29"]);
    }

    #[test]
    fn restatement_without_lead_in() {
        assert_eq!(
            restated_claim("Claim restates that the U.S. Secretary will act. More text.")
                .as_deref(),
            Some("The U.S. Secretary will act.")
        );
        assert_eq!(
            restated_claim("Restatement of the claim: The article notes officials met in Washington, D.C. on Monday. Then.").as_deref(),
            Some("Officials met in Washington, D.C. on Monday.")
        );
        assert_eq!(
            original_claim(
                "Original claim: Officials discussed U.S.-Mexico cooperation. Since 2025."
            )
            .as_deref(),
            Some("Officials discussed U.S.-Mexico cooperation.")
        );
    }
}
