//! An update's body: the tracker's text, kept as the JSON string it was read as (a span of
//! the workspace file's bytes, shared by every update of the file) and decoded only when
//! someone reads it. Tracker updates never change, so most bodies are never decoded at
//! all: the list, a save and a byte search work on the span as it is.

use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Bytes that bodies may point into: the workspace file as loaded.
pub trait Bytes: Send + Sync {
    fn bytes(&self) -> &[u8];
}

impl Bytes for Vec<u8> {
    fn bytes(&self) -> &[u8] {
        self
    }
}

/// The text of one update.
#[derive(Clone)]
pub struct Body(Repr);

#[derive(Clone)]
enum Repr {
    Text(Arc<str>),
    /// A JSON string literal (quotes included) at `span` of `source`; `decoded` is filled
    /// the first time the text is borrowed as a `&str`.
    Json {
        source: Arc<dyn Bytes>,
        span: Range<usize>,
        /// Whether the literal spells a character as `\uXXXX` or `\/`: its bytes then
        /// do not show its text as it is, and a byte search must decode it.
        spelled: bool,
        decoded: OnceLock<Arc<str>>,
    },
}

impl Body {
    /// The JSON string literal the body was read as, quotes included, when it is still a
    /// span of the file: what a save copies and a byte search scans.
    pub fn raw_json(&self) -> Option<&[u8]> {
        match &self.0 {
            Repr::Text(_) => None,
            Repr::Json { source, span, .. } => source.bytes().get(span.clone()),
        }
    }

    /// The JSON string literal, when a character of the text is found in it exactly where
    /// it is in the text, bar the escapes of `"`, `\\` and control characters: what a
    /// search for words without those characters may scan instead of the text.
    pub fn searchable_json(&self) -> Option<&[u8]> {
        match &self.0 {
            Repr::Json { spelled: false, .. } => self.raw_json(),
            _ => None,
        }
    }

    /// Where the body lies, while it is a span of the file: which bytes (by address) and
    /// where in them. Two bodies in the same place have the same text.
    pub fn place(&self) -> Option<(usize, Range<usize>)> {
        match &self.0 {
            Repr::Text(_) => None,
            Repr::Json { source, span, .. } => {
                Some((Arc::as_ptr(source) as *const () as usize, span.clone()))
            }
        }
    }

    /// The text, decoded now if need be and not kept: for passes over every body (a
    /// search, an export), which must not leave a decoded copy of the whole file behind.
    pub fn decoded(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Text(t) => Cow::Borrowed(t),
            Repr::Json {
                decoded: cached, ..
            } if cached.get().is_some() => Cow::Borrowed(cached.get().map_or("", |t| t)),
            Repr::Json { .. } => decode(self.raw_json().unwrap_or(b"\"\"")),
        }
    }

    fn text(&self) -> &str {
        match &self.0 {
            Repr::Text(t) => t,
            Repr::Json { decoded, .. } => decoded.get_or_init(|| match self.decoded() {
                Cow::Borrowed(s) => Arc::from(s),
                Cow::Owned(s) => Arc::from(s),
            }),
        }
    }
}

/// The text of a JSON string literal the loader checked. Nothing it checked fails to
/// decode; if bytes ever did, the body reads as empty rather than as garbage.
fn decode(literal: &[u8]) -> Cow<'_, str> {
    let inner = literal
        .strip_prefix(b"\"")
        .and_then(|l| l.strip_suffix(b"\""))
        .unwrap_or_default();
    if memchr::memchr(b'\\', inner).is_none() {
        return Cow::Borrowed(std::str::from_utf8(inner).unwrap_or_default());
    }
    Cow::Owned(serde_json::from_slice::<String>(literal).unwrap_or_default())
}

impl std::ops::Deref for Body {
    type Target = str;
    /// The text, decoded once and kept (for the claim on screen).
    fn deref(&self) -> &str {
        self.text()
    }
}

impl Default for Body {
    fn default() -> Self {
        Self(Repr::Text(Arc::from("")))
    }
}

impl From<&str> for Body {
    fn from(s: &str) -> Self {
        Self(Repr::Text(Arc::from(s)))
    }
}

impl From<String> for Body {
    fn from(s: String) -> Self {
        Self(Repr::Text(Arc::from(s)))
    }
}

impl From<Arc<str>> for Body {
    fn from(s: Arc<str>) -> Self {
        Self(Repr::Text(s))
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        match (self.raw_json(), other.raw_json()) {
            (Some(a), Some(b)) if a == b => true,
            _ => self.decoded() == other.decoded(),
        }
    }
}

impl Eq for Body {}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.decoded(), f)
    }
}

impl fmt::Display for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.decoded())
    }
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.decoded())
    }
}

thread_local! {
    /// The bytes the deserializer on this thread reads from, when the loader lends them.
    static SOURCE: RefCell<Option<Arc<dyn Bytes>>> = const { RefCell::new(None) };
}

/// One reader's own handle on bytes shared by several: bodies count their references on
/// it, not on the shared one, whose count every parser thread would otherwise be
/// changing at once for every body (one cache line, passed between cores).
struct Lent(Arc<dyn Bytes>);

impl Bytes for Lent {
    fn bytes(&self) -> &[u8] {
        self.0.bytes()
    }
}

/// A handle on `source` of its own, for `reading_from` on one thread.
pub fn lend(source: &Arc<dyn Bytes>) -> Arc<dyn Bytes> {
    Arc::new(Lent(Arc::clone(source)))
}

/// Runs `read` with bodies read from `source` kept as spans of it.
pub fn reading_from<R>(source: &Arc<dyn Bytes>, read: impl FnOnce() -> R) -> R {
    let before = SOURCE.with(|s| s.replace(Some(Arc::clone(source))));
    let out = read();
    SOURCE.with(|s| *s.borrow_mut() = before);
    out
}

/// What the escapes of a JSON string literal (checked by serde_json) say: whether one is
/// `\uXXXX` or `\/` (see `Repr::Json::spelled`): a search for those two pairs, then,
/// only where one is found, a pass over the backslashes (`\\u` is no such escape).
pub(crate) fn spells_characters(literal: &[u8]) -> bool {
    // Most bodies have neither `\u` nor `\/` anywhere: two vector searches say so without
    // stopping at each `\n` and `\"` on the way.
    static SPELLINGS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 2]> =
        std::sync::LazyLock::new(|| {
            [
                memchr::memmem::Finder::new(b"\\u"),
                memchr::memmem::Finder::new(b"\\/"),
            ]
        });
    if SPELLINGS.iter().all(|f| f.find(literal).is_none()) {
        return false;
    }
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'\\', &literal[from..]) {
        let escape = from + at + 1;
        if matches!(literal.get(escape), Some(b'u' | b'/')) {
            return true;
        }
        from = escape + 1;
    }
    false
}

/// A body from the JSON string literal `literal` (already checked by serde_json): a span
/// when it lies in the source being read, else its decoded text.
pub(crate) fn from_literal(literal: &str, spelled: bool) -> Body {
    let span = SOURCE.with(|s| {
        let source = s.borrow();
        let source = source.as_ref()?;
        let base = source.bytes().as_ptr() as usize;
        let start = (literal.as_ptr() as usize).checked_sub(base)?;
        let end = start + literal.len();
        (end <= source.bytes().len()).then(|| (Arc::clone(source), start..end))
    });
    match span {
        Some((source, span)) => Body(Repr::Json {
            source,
            span,
            spelled,
            decoded: OnceLock::new(),
        }),
        None => Body::from(decode(literal.as_bytes()).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_decodes_to_its_text_and_equals_it() {
        let source: Arc<dyn Bytes> = Arc::new(br#"["plain", "a\nb \u00e9"]"#.to_vec());
        let text = std::str::from_utf8(source.bytes()).expect("utf-8");
        let (plain, escaped) = reading_from(&source, || {
            let (a, b) = (&text[1..8], &text[10..23]);
            (
                from_literal(a, spells_characters(a.as_bytes())),
                from_literal(b, spells_characters(b.as_bytes())),
            )
        });
        assert_eq!(plain.raw_json(), Some(&b"\"plain\""[..]));
        assert_eq!(plain.searchable_json(), plain.raw_json());
        assert_eq!(escaped.searchable_json(), None);
        assert_eq!(&*plain, "plain");
        assert_eq!(escaped.decoded(), "a\nb é");
        assert_eq!(&*escaped, "a\nb é");
        assert_eq!(escaped, Body::from("a\nb é"));
        assert_eq!(
            serde_json::to_string(&escaped).expect("serializes"),
            r#""a\nb é""#
        );
        // Outside a lent source, a literal is decoded at once.
        let owned = from_literal(r#""x\ty""#, false);
        assert_eq!(owned.raw_json(), None);
        assert_eq!(&*owned, "x\ty");
    }
}
