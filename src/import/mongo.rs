//! Reader for the tracker's database exports (`mongoexport` of `silver_claims`,
//! `silver_updates`, `silver_followups`): Extended JSON in relaxed or canonical form,
//! one document a line or a `--jsonArray` array. Text in, documents out; no I/O.

use super::Clock;
use crate::model::sanitize;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Map, Value};

/// Which collection a document belongs to, told by its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Claims,
    Updates,
    FollowUps,
}

/// One exported document, already turned from Extended JSON into plain JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub collection: Collection,
    /// 1-based position of the document in its file.
    pub number: usize,
    /// 1-based line where it starts.
    pub line: usize,
    pub fields: Map<String, Value>,
}

/// Why an export could not be read: where, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    pub line: usize,
    pub document: Option<usize>,
    pub message: String,
}

/// The collection an export's file name says it holds (`silver_followups.json`, …).
pub fn collection_named(file: &str) -> Option<Collection> {
    let name = file.rsplit(['/', '\\']).next()?.to_ascii_lowercase();
    if name.contains("followup") || name.contains("follow_up") {
        Some(Collection::FollowUps)
    } else if name.contains("update") {
        Some(Collection::Updates)
    } else if name.contains("claim") {
        Some(Collection::Claims)
    } else {
        None
    }
}

/// Reads every document of one export file; `named` is the collection its file name
/// gives, which decides for a document whose fields do not.
pub fn parse(text: &str, named: Option<Collection>) -> Result<Vec<Doc>, DocError> {
    let trimmed = text.trim_start();
    let mut raw: Vec<(usize, Value)> = Vec::new();
    if trimmed.starts_with('[') {
        let value: Value = serde_json::from_str(text).map_err(|e| DocError {
            line: e.line(),
            document: None,
            message: format!("not valid JSON: {}", strip_position(&e.to_string())),
        })?;
        let Value::Array(items) = value else {
            return Err(DocError {
                line: 1,
                document: None,
                message: "expected an array of documents".into(),
            });
        };
        // serde_json does not tell where each element starts; find them by a second pass.
        let starts = element_lines(text);
        for (i, item) in items.into_iter().enumerate() {
            raw.push((starts.get(i).copied().unwrap_or(1), item));
        }
    } else {
        let mut de = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        loop {
            let offset = de.byte_offset();
            match de.next() {
                None => break,
                Some(Ok(v)) => {
                    let start = offset + text[offset..].len() - text[offset..].trim_start().len();
                    raw.push((line_of(text, start), v));
                }
                Some(Err(e)) => {
                    return Err(DocError {
                        line: e.line(),
                        document: Some(raw.len() + 1),
                        message: format!("not valid JSON: {}", strip_position(&e.to_string())),
                    });
                }
            }
        }
    }
    if raw.is_empty() {
        return Err(DocError {
            line: 1,
            document: None,
            message: "the export holds no documents".into(),
        });
    }
    raw.into_iter()
        .enumerate()
        .map(|(i, (line, value))| {
            let number = i + 1;
            let err = |message: String| DocError {
                line,
                document: Some(number),
                message,
            };
            let Value::Object(map) = from_extended(value) else {
                return Err(err("expected a JSON object".into()));
            };
            let collection = classify(&map, named).ok_or_else(|| {
                err("not a tracker claim, update or follow-up (expected `claim`, or `claim_id` with `model_output`/`verdict` or `follow_up_date`)".into())
            })?;
            Ok(Doc {
                collection,
                number,
                line,
                fields: map,
            })
        })
        .collect()
}

/// A document's collection by the fields that only it has: a follow-up's own
/// `follow_up_date` (an update's is inside `model_output`), an update's `verdict`. A
/// follow-up the tracker processed carries a `model_output` too, so that alone is an
/// update only when the file name does not say otherwise.
fn classify(map: &Map<String, Value>, named: Option<Collection>) -> Option<Collection> {
    let has = |k: &str| map.contains_key(k);
    if has("claim_id") {
        // An update has a `verdict`, a follow-up never does (the tracker's models): it
        // decides before a top-level `follow_up_date`, which some updates carry too.
        if has("verdict") && named != Some(Collection::FollowUps) {
            return Some(Collection::Updates);
        }
        if has("follow_up_date") {
            return Some(Collection::FollowUps);
        }
        if has("model_output") {
            return Some(match named {
                Some(Collection::FollowUps) => Collection::FollowUps,
                _ => Collection::Updates,
            });
        }
        return None;
    }
    has("claim").then_some(Collection::Claims)
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line on which each top-level element of a JSON array starts.
fn element_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut line) = (0usize, false, false, 1usize);
    let mut expecting = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if expecting && !c.is_whitespace() && c != ']' {
            lines.push(line);
            expecting = false;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expecting = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    lines
}

/// Turns Extended JSON wrappers (`$oid`, `$date`, `$numberLong`, …) into plain values
/// and strips control characters from every string.
pub fn from_extended(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(sanitize(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(from_extended).collect()),
        Value::Object(map) => {
            if map.len() == 1
                && let Some((key, inner)) = map.iter().next()
                && let Some(plain) = unwrap_wrapper(key, inner)
            {
                return plain;
            }
            Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k, from_extended(v)))
                    .collect(),
            )
        }
        other => other,
    }
}

fn unwrap_wrapper(key: &str, inner: &Value) -> Option<Value> {
    match key {
        "$oid" => inner.as_str().map(|s| Value::String(s.to_owned())),
        "$date" => {
            let ms = match inner {
                Value::String(s) => return Some(Value::String(s.clone())),
                Value::Number(n) => n.as_i64(),
                Value::Object(m) => m
                    .get("$numberLong")
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse().ok()),
                _ => None,
            }?;
            let t = DateTime::<Utc>::from_timestamp_millis(ms)?;
            Some(Value::String(
                t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            ))
        }
        "$numberInt" | "$numberLong" => inner
            .as_str()
            .and_then(|s| s.parse::<i64>().ok())
            .map(Value::from),
        // Only where a JSON number says exactly the same (not `Infinity`, not a decimal
        // with more digits than a double holds): else the wrapper is kept as it is.
        "$numberDouble" | "$numberDecimal" => inner
            .as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .and_then(serde_json::Number::from_f64)
            .filter(|n| inner.as_str() == Some(n.to_string().as_str()))
            .map(Value::Number),
        _ => None,
    }
}

/// A time as an export writes it: an instant (with a zone: what `$date` holds), or
/// figures without a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    Instant(DateTime<Utc>),
    Naive(NaiveDateTime),
}

/// A time field: RFC 3339, an offset without a colon (`…07.123-0500`, as the tracker's
/// tools write `$date`), or no zone at all with `T` or a space between date and time.
pub fn stamp(value: &Value) -> Option<Stamp> {
    let s = value.as_str()?.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(Stamp::Instant(t.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::parse_from_str(s, format) {
            return Some(Stamp::Instant(t.with_timezone(&Utc)));
        }
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(Stamp::Naive)
}

/// A timestamp field, read with `clock`.
pub fn timestamp(value: &Value, clock: Clock) -> Option<DateTime<Utc>> {
    match stamp(value)? {
        Stamp::Instant(t) => Some(clock.instant(t)),
        Stamp::Naive(t) => clock.naive(t),
    }
}

/// A date field: `YYYY-MM-DD`, or the day a timestamp stands for, read with `clock`.
pub fn date(value: &Value, clock: Clock) -> Option<NaiveDate> {
    let s = value.as_str()?;
    if let Ok(d) = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        return Some(d);
    }
    match stamp(value)? {
        Stamp::Instant(t) => Some(clock.date(t)),
        Stamp::Naive(t) => Some(t.date()),
    }
}

/// A string field; null and absent are None.
pub fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn extended_json_both_modes() {
        let relaxed = from_extended(json!({
            "_id": {"$oid": "65a1b2c3d4e5f60718293a4b"},
            "created_at": {"$date": "2026-01-12T10:29:00Z"},
            "n": {"$numberInt": "5"}
        }));
        let canonical = from_extended(json!({
            "_id": {"$oid": "65a1b2c3d4e5f60718293a4b"},
            "created_at": {"$date": {"$numberLong": "1768213740000"}},
            "n": {"$numberInt": "5"}
        }));
        assert_eq!(relaxed, canonical);
        assert_eq!(relaxed["created_at"], "2026-01-12T10:29:00Z");
        assert_eq!(relaxed["n"], 5);
    }

    #[test]
    fn jsonl_and_array_report_document_lines() {
        let jsonl = "{\"claim\": \"a\"}\n\n{\"claim_id\": \"x\", \"verdict\": \"complete\"}\n";
        let docs = parse(jsonl, None).expect("parses");
        assert_eq!(docs[1].line, 3);
        assert_eq!(docs[1].collection, Collection::Updates);
        let array = "[\n  {\"claim\": \"a\"},\n  {\"claim_id\": \"x\", \"follow_up_date\": \"2026-01-01\"}\n]";
        let docs = parse(array, None).expect("parses");
        assert_eq!((docs[0].line, docs[1].line), (2, 3));
        assert_eq!(docs[1].collection, Collection::FollowUps);
        let err = parse("{\"claim\": \"a\"}\n{\"claim\": \n", None).expect_err("truncated");
        assert_eq!(err.document, Some(2));
        let err = parse("{\"foo\": 1}\n", None).expect_err("unknown");
        assert!(err.message.contains("not a tracker"));
    }
}
