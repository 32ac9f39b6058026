//! Finds the claims in a workspace's text by its strings and brackets alone, skimming each
//! string with `memchr` once: the loader's fast way to cut claims out for its parser
//! threads, instead of a serde_json pass over every byte before the claim parsers read
//! them again.
//!
//! A claim that starts on a line of its own is taken to end at the first `}` at its own
//! indentation, found with `memchr` (a raw newline cannot be inside a JSON string, so only
//! the layout decides where such lines are): that is how claimdesk and serde_json's pretty
//! printer write one. Other claims are cut by counting brackets between strings.
//!
//! It trusts nothing it finds. Each claim it cuts out is read by serde_json as a whole
//! value; the rest of the file (the frame, with the claims array left empty) is read by
//! serde_json too; between claims only whitespace and one comma are allowed. Text that is
//! valid JSON is cut exactly where serde_json would cut it (outside strings, a quote starts
//! a string; inside, a backslash escapes the next byte and a quote ends it). Anything it
//! does not expect makes it give up, and the loader reads the file with serde_json's pass,
//! which reports the error.

use memchr::{memchr, memchr2};
use std::ops::Range;

/// JSON's whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    i
}

/// The end (one past the closing quote) of the string whose opening quote is at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut at = i + 1;
    loop {
        let found = at + memchr2(b'"', b'\\', b.get(at..)?)?;
        if b[found] == b'"' {
            return Some(found + 1);
        }
        at = found + 2;
    }
}

/// The end (one past the closing bracket) of the object or array that opens at `i`,
/// counting brackets between strings.
fn container_end(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = i;
    loop {
        let rest = b.get(at..)?;
        let gap = memchr(b'"', rest).unwrap_or(rest.len());
        for (k, &c) in rest[..gap].iter().enumerate() {
            match c {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(at + k + 1);
                    }
                }
                _ => {}
            }
        }
        if gap == rest.len() {
            return None;
        }
        at = string_end(b, at + gap)?;
    }
}

/// The end of the value that starts at `i`: a string, a container, or a scalar (up to the
/// byte that ends it; serde_json judges whether it is one).
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => container_end(b, i),
        _ => {
            let len = b[i..]
                .iter()
                .position(|&c| matches!(c, b',' | b'}' | b']') || is_space(c))
                .unwrap_or(b.len() - i);
            (len > 0).then_some(i + len)
        }
    }
}

/// Where the claims are: the text up to and including the claims array's `[`, each claim's
/// span, and the text from its `]` on.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    /// One past the `[` that opens the claims array.
    pub open: usize,
    /// The `]` that closes it.
    pub close: usize,
}

/// Cuts the claims array of the top-level object in `b` into claims, handing each claim's
/// span to `claim` as it is found; `None` if the text is not as a workspace's usually is
/// (then nothing said about it holds, and serde_json's pass must read it).
pub fn claims(b: &[u8], mut claim: impl FnMut(Range<usize>)) -> Option<Found> {
    let open = claims_array(b)?;
    let mut at = skip_space(b, open);
    if b.get(at) == Some(&b']') {
        return Some(Found { open, close: at });
    }
    let mut layout = Layout::default();
    loop {
        if b.get(at) != Some(&b'{') {
            return None;
        }
        let end = layout.end(b, at).or_else(|| container_end(b, at))?;
        claim(at..end);
        at = skip_space(b, end);
        match b.get(at) {
            Some(b',') => at = skip_space(b, at + 1),
            Some(b']') => return Some(Found { open, close: at }),
            _ => return None,
        }
    }
}

/// Where claims that start on a line of their own end: at the first `}` that starts a
/// line at the indentation of the `{`. Only the `}` bytes are visited (with `memchr`);
/// update bodies, the bulk of a file, seldom hold one.
#[derive(Default)]
struct Layout {
    /// A search ran to the end of the text without finding one: the text is not laid out
    /// so, and searching again for each claim would visit the rest of it each time.
    given_up: bool,
}

impl Layout {
    /// One past the `}` at the indentation of the `{` at `at`, when that `{` starts a line.
    fn end(&mut self, b: &[u8], at: usize) -> Option<usize> {
        if self.given_up {
            return None;
        }
        // Back over the indentation only: searching back for the newline itself would
        // cross the whole text before each claim of a file on one line.
        let indent = b[..at]
            .iter()
            .rev()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        let line = (at - indent).checked_sub(1)?;
        if b[line] != b'\n' {
            return None;
        }
        let opening = &b[line..at];
        let end = memchr::memchr_iter(b'}', &b[at..])
            .map(|k| at + k)
            .find(|&k| k >= at + opening.len() && &b[k - opening.len()..k] == opening)
            .map(|k| k + 1);
        self.given_up = end.is_none();
        end
    }
}

/// One past the `[` of the value of the top-level key spelled exactly `"claims"`.
fn claims_array(b: &[u8]) -> Option<usize> {
    let mut i = skip_space(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        i = skip_space(b, i);
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let end = string_end(b, i)?;
        let key = &b[i + 1..end - 1];
        i = skip_space(b, end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_space(b, i + 1);
        if key == b"claims" {
            return (b.get(i) == Some(&b'[')).then_some(i + 1);
        }
        i = skip_space(b, value_end(b, i)?);
        if b.get(i) != Some(&b',') {
            return None;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Option<(Vec<&str>, &str, &str)> {
        let mut spans = Vec::new();
        let found = claims(text.as_bytes(), |r| spans.push(r))?;
        Some((
            spans.into_iter().map(|r| &text[r]).collect(),
            &text[..found.open],
            &text[found.close..],
        ))
    }

    #[test]
    fn claims_are_cut_at_their_own_brackets_not_at_brackets_in_strings() {
        let text = r#" {"format": "x", "n": [1, {"a": "}"}], "claims" : [ {"t": "a \" ] }"}, {"u": [{}], "v": "\\"} ] , "z": null}"#;
        let (spans, before, after) = cut(text).expect("cut");
        assert_eq!(spans, [r#"{"t": "a \" ] }"}"#, r#"{"u": [{}], "v": "\\"}"#]);
        assert!(before.ends_with("\"claims\" : ["));
        assert_eq!(after, r#"] , "z": null}"#);
    }

    #[test]
    fn an_empty_array_and_a_last_field_are_cut() {
        assert_eq!(
            cut(r#"{"claims": []}"#),
            Some((vec![], r#"{"claims": ["#, "]}"))
        );
        assert_eq!(
            cut(r#"{"claims":[{}]}"#),
            Some((vec!["{}"], r#"{"claims":["#, "]}"))
        );
    }

    #[test]
    fn claims_on_lines_of_their_own_are_cut_by_layout_or_by_brackets() {
        let pretty = "{\n  \"claims\": [\n    {\n      \"a\": {\n      }\n    },\n    {}\n  ]\n}";
        let (spans, _, after) = cut(pretty).expect("cut");
        assert_eq!(spans, ["{\n      \"a\": {\n      }\n    }", "{}"]);
        assert_eq!(after, "]\n}");
        // One claim per line, no `}` starting a line: the layout is given up on, and the
        // brackets cut every claim.
        let lines = "{\"claims\": [\n{\"a\": \"}\"},\n{\"b\": [{}]}\n]}";
        let (spans, _, _) = cut(lines).expect("cut");
        assert_eq!(spans, [r#"{"a": "}"}"#, r#"{"b": [{}]}"#]);
    }

    #[test]
    fn what_a_workspace_does_not_look_like_is_left_to_serde_json() {
        for text in [
            "",
            "[]",
            r#"{"format": 1}"#,
            r#"{"cl\u0061ims": [{}]}"#,
            r#"{"claims": {}}"#,
            r#"{"claims": [1]}"#,
            r#"{"claims": [{}, ]"#,
            r#"{"claims": [{} {}]}"#,
            r#"{"claims": [{"a": "}"#,
            r#"{"claims": [{"a": "\"#,
            r#"{"x": "claims": [{}]}"#,
            r#"{"x" 1, "claims": []}"#,
        ] {
            assert_eq!(cut(text), None, "{text}");
        }
    }
}
