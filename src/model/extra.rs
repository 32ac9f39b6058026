//! Fields claimdesk does not know, kept as the exact JSON text they were read as, so that
//! they come back out byte for byte (numbers of any size and precision included).

use serde::de::{Error as _, MapAccess};
use serde::ser::{Error as _, SerializeMap};
use serde::{Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// The deepest nesting of arrays and objects a workspace may hold: one less than
/// serde_json's recursion limit of 128, which refuses the 128th level. The loader refuses
/// deeper files and a save refuses to write one, so whatever claimdesk writes loads.
pub const MAX_DEPTH: usize = 127;

/// Unknown fields of one object, in the order they were read: each key (as text) and
/// its value (as the JSON text it was read as), packed into one string. Most objects have
/// none and cost no allocation; an update with one costs one, where a list of owned keys
/// and boxed values cost three for every update of a large workspace.
#[derive(Clone, Default, PartialEq)]
pub struct Extra(Option<Box<str>>);

/// `packed` holds, for each field, `<length>:<key><length>:<json>` (lengths in bytes).
fn fields(packed: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = packed;
    std::iter::from_fn(move || {
        let key = take(&mut rest)?;
        let json = take(&mut rest)?;
        Some((key, json))
    })
}

fn take<'a>(rest: &mut &'a str) -> Option<&'a str> {
    let (len, tail) = rest.split_once(':')?;
    let len: usize = len.parse().ok()?;
    let item = tail.get(..len)?;
    *rest = tail.get(len..)?;
    Some(item)
}

fn pack(packed: &mut String, key: &str, json: &str) {
    use std::fmt::Write as _;
    let _ = write!(packed, "{}:{key}{}:{json}", key.len(), json.len());
}

impl std::fmt::Debug for Extra {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Extra {
    pub fn new() -> Self {
        Self(None)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// The field's JSON text.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The field, parsed.
    pub fn value(&self, key: &str) -> Option<Value> {
        self.get(key).and_then(|raw| serde_json::from_str(raw).ok())
    }

    /// Sets a field from a value (replacing one of the same name, in its place).
    pub fn insert(&mut self, key: impl Into<String>, value: impl Serialize) {
        if let Ok(raw) = serde_json::value::to_raw_value(&value) {
            self.insert_json(&key.into(), raw.get());
        }
    }

    /// Sets a field from JSON text that is known to be valid, such as another `Extra`'s
    /// (replacing one of the same name, in its place).
    pub fn insert_json(&mut self, key: &str, json: &str) {
        let mut packed = String::new();
        let mut replaced = false;
        for (k, v) in self.iter() {
            if k == key {
                pack(&mut packed, key, json);
                replaced = true;
            } else {
                pack(&mut packed, k, v);
            }
        }
        if !replaced {
            pack(&mut packed, key, json);
        }
        self.0 = Some(packed.into_boxed_str());
    }

    /// Removes a field; returns whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        let mut packed = String::new();
        let mut found = false;
        for (k, v) in self.iter() {
            if k == key {
                found = true;
            } else {
                pack(&mut packed, k, v);
            }
        }
        self.0 = (!packed.is_empty()).then(|| packed.into_boxed_str());
        found
    }

    /// Each field's key and JSON text, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        fields(self.0.as_deref().unwrap_or(""))
    }

    /// Reads the value of the unknown field `key` of an object that sits `depth` levels
    /// deep in the workspace (the top-level object is 1): a second field of the same name,
    /// or one nested deeper than `MAX_DEPTH` in the whole file, is refused.
    pub(crate) fn read_value<'de, A: MapAccess<'de>>(
        &mut self,
        key: std::borrow::Cow<'de, str>,
        map: &mut A,
        depth: usize,
    ) -> Result<(), A::Error> {
        if self.get(&key).is_some() {
            return Err(A::Error::custom(format_args!("duplicate field `{key}`")));
        }
        let raw: &RawValue = map.next_value()?;
        if depth + nesting(raw.get()) > MAX_DEPTH {
            return Err(A::Error::custom(format_args!(
                "field `{key}` is nested more than {MAX_DEPTH} levels deep in the file"
            )));
        }
        if let Some(why) = refused_by_serde_json(raw.get()) {
            return Err(A::Error::custom(format_args!("field `{key}`: {why}")));
        }
        let mut packed = self.0.take().map(String::from).unwrap_or_default();
        pack(&mut packed, &key, raw.get());
        self.0 = Some(packed.into_boxed_str());
        Ok(())
    }
}

/// What serde_json would refuse in a JSON text it only skimmed (kept as raw text): a number
/// too large for a double, or a `\u` escape that is half a surrogate pair. Kept text or
/// not, the loader refuses what serde_json (and every tool built on it) refuses.
fn refused_by_serde_json(json: &str) -> Option<String> {
    let bytes = json.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = string_end(bytes, i + 1);
                let string = &json[i..end];
                if string.contains("\\u")
                    && let Err(e) = serde_json::from_str::<String>(string)
                {
                    let said = without_position(&e);
                    return Some(format!("{said} in {string}"));
                }
                i = end;
            }
            b'-' | b'0'..=b'9' => {
                let end = bytes[i..]
                    .iter()
                    .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                    .map_or(bytes.len(), |n| i + n);
                let number = &json[i..end];
                if number.parse::<f64>().is_ok_and(f64::is_infinite) {
                    return Some(format!("number {number} is out of range"));
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    None
}

/// serde_json's error without its `at line … column …`, for text quoted out of its place.
pub(super) fn without_position(e: &serde_json::Error) -> String {
    let said = e.to_string();
    said.split(" at line ").next().unwrap_or(&said).to_owned()
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            // Written as the text it was read as, save the line breaks and indentation
            // between its parts: a writer indents the lines of what it writes, and would
            // indent those again at every save.
            let v = if v.contains('\n') {
                std::borrow::Cow::Owned(one_line(v))
            } else {
                std::borrow::Cow::Borrowed(v)
            };
            // Read back as serde_json's raw value, so that it is written as the same text.
            let raw: &RawValue = serde_json::from_str(&v).map_err(S::Error::custom)?;
            map.serialize_entry(k, raw)?;
        }
        map.end()
    }
}

/// How deep arrays and objects nest in one JSON text (0 for a scalar). The text is valid
/// JSON: only strings need skipping.
pub fn nesting(json: &str) -> usize {
    let bytes = json.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(rel) = memchr::memchr3(b'"', b'[', b'{', &bytes[i..]).map(|r| r + i) {
        // Closings between here and the next opening only lower the depth.
        depth -= count_closings(&bytes[i..rel]).min(depth);
        i = rel + 1;
        if bytes[rel] == b'"' {
            i = string_end(bytes, i);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

fn count_closings(bytes: &[u8]) -> usize {
    memchr::memchr2_iter(b']', b'}', bytes).count()
}

/// The index just past the closing quote of a string whose contents start at `i`.
/// Valid JSON text without the spaces, tabs and line breaks between its parts (strings
/// kept as they are).
fn one_line(json: &str) -> String {
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = string_end(bytes, i + 1).min(bytes.len());
                out.push_str(&json[i..end]);
                i = end;
            }
            b' ' | b'\n' | b'\r' | b'\t' => i += 1,
            _ => {
                // Up to the next quote or space: plain ASCII or a whole character.
                let end = bytes[i..]
                    .iter()
                    .position(|b| matches!(b, b'"' | b' ' | b'\n' | b'\r' | b'\t'))
                    .map_or(bytes.len(), |n| i + n);
                out.push_str(&json[i..end]);
                i = end;
            }
        }
    }
    out
}

fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(rel) = memchr::memchr2(b'"', b'\\', &bytes[i..]) {
        i += rel;
        if bytes[i] == b'\\' {
            i += 2;
        } else {
            return i + 1;
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_on_several_lines_is_written_on_one_and_means_the_same() {
        let text =
            "{\n      \"name\": \"a  b\\\" \\n c\",\n      \"t\": [0.20, {\"é\" : 1}]\n    }";
        let once = one_line(text);
        assert_eq!(once, "{\"name\":\"a  b\\\" \\n c\",\"t\":[0.20,{\"é\":1}]}");
        assert_eq!(one_line(&once), once);
        let parsed = |t: &str| serde_json::from_str::<serde_json::Value>(t).expect("json");
        assert_eq!(parsed(&once), parsed(text));
    }

    #[test]
    fn nesting_counts_containers_not_brackets_in_strings() {
        assert_eq!(nesting("1"), 0);
        assert_eq!(nesting("\"[{\""), 0);
        assert_eq!(nesting("[]"), 1);
        assert_eq!(nesting(r#"{"a":[1,{"b":"]}\"["}],"c":[[[]]]}"#), 4);
        assert_eq!(nesting("[[],[],[[]]]"), 3);
    }

    #[test]
    fn what_serde_json_refuses_in_kept_text_is_found() {
        let said = refused_by_serde_json(r#"[1, "1e999", {"a": -2e400}]"#);
        assert_eq!(said.as_deref(), Some("number -2e400 is out of range"));
        assert_eq!(
            refused_by_serde_json("123456789012345678901234567890"),
            None
        );
        assert_eq!(refused_by_serde_json("1e-999"), None);
        assert_eq!(refused_by_serde_json(r#""\ud83d\ude00 ok""#), None);
        assert!(refused_by_serde_json(r#"["\ud800"]"#).is_some());
        assert!(refused_by_serde_json(r#""\udc00""#).is_some());
        assert!(serde_json::from_str::<Value>("1e400").is_err());
        assert!(serde_json::from_str::<Value>("1e-400").is_ok());
    }

    #[test]
    fn max_depth_is_what_serde_json_reads() {
        let at = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(serde_json::from_str::<Value>(&at(MAX_DEPTH)).is_ok());
        assert!(serde_json::from_str::<Value>(&at(MAX_DEPTH + 1)).is_err());
    }
}
