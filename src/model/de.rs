//! How the workspace's objects are read: each known field at most once (a second one is
//! an error, as for any field claimdesk reads), unknown fields kept as their exact JSON
//! text, and no level nested deeper than serde_json reads.

use super::extra::Extra;
use super::{Article, Claim, FollowUp, Review, Update, Workspace};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::de::{self, DeserializeSeed, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

/// How deep each kind of object sits in the workspace file (the top-level object is 1).
mod depth {
    pub const WORKSPACE: usize = 1;
    pub const CLAIM: usize = 3;
    pub const ARTICLE: usize = 4;
    pub const IN_CLAIM_LIST: usize = 5;
}

/// Reads one known field into its slot; a second one is refused.
fn once<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// The keys of an object, borrowed from the input where it allows.
fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Cow<'de, str>>, A::Error> {
    map.next_key::<Cow<'de, str>>()
}

/// Declares a visitor struct that hands `visit_map` to a function.
macro_rules! object_visitor {
    ($visitor:ident, $ty:ty, $expecting:literal, $read:ident) => {
        struct $visitor;
        impl<'de> Visitor<'de> for $visitor {
            type Value = $ty;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($expecting)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$ty, A::Error> {
                $read(map)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map($visitor)
            }
        }
    };
}

object_visitor!(ClaimVisitor, Claim, "a claim object", read_claim);
object_visitor!(ArticleVisitor, Article, "an article object", read_article);
object_visitor!(UpdateVisitor, Update, "an update object", read_update);
object_visitor!(
    FollowUpVisitor,
    FollowUp,
    "a follow-up object",
    read_follow_up
);
object_visitor!(ReviewVisitor, Review, "a review object", read_review);

fn read_claim<'de, A: MapAccess<'de>>(mut map: A) -> Result<Claim, A::Error> {
    let (mut id, mut title, mut kind, mut condition, mut article, mut due) =
        (None, None, None, None, None, None);
    let (mut priority, mut tags, mut updates, mut follow_ups, mut reviews, mut deleted) =
        (None, None, None::<Vec<Update>>, None, None, None);
    let mut assigned = None::<Option<String>>;
    let mut extra = Extra::new();
    while let Some(key) = next_key(&mut map)? {
        match key.as_ref() {
            "id" => once(&mut map, &mut id, "id")?,
            "assigned_to" => once(&mut map, &mut assigned, "assigned_to")?,
            "title" => once(&mut map, &mut title, "title")?,
            "kind" => once(&mut map, &mut kind, "kind")?,
            "completion_condition" => once(&mut map, &mut condition, "completion_condition")?,
            "article" => once(&mut map, &mut article, "article")?,
            "completion_due" => once(&mut map, &mut due, "completion_due")?,
            "priority" => once(&mut map, &mut priority, "priority")?,
            "tags" => once(&mut map, &mut tags, "tags")?,
            "updates" => once(&mut map, &mut updates, "updates")?,
            "follow_ups" => once(&mut map, &mut follow_ups, "follow_ups")?,
            "reviews" => once(&mut map, &mut reviews, "reviews")?,
            "deleted_follow_ups" => once(&mut map, &mut deleted, "deleted_follow_ups")?,
            _ => extra.read_value(key, &mut map, depth::CLAIM)?,
        }
    }
    Ok(Claim {
        id: required(id, "id")?,
        title: required(title, "title")?,
        kind: kind.flatten(),
        completion_condition: condition.flatten(),
        article: article.unwrap_or_default(),
        completion_due: due.flatten(),
        priority: priority.flatten(),
        tags: tags.unwrap_or_default(),
        // Read into a vector grown by doubling: the slack is let go (a third of the
        // updates' memory on a large workspace).
        updates: updates
            .map(|mut u| {
                u.shrink_to_fit();
                super::Updates::from(u)
            })
            .unwrap_or_default(),
        follow_ups: follow_ups.unwrap_or_default(),
        reviews: reviews.unwrap_or_default(),
        deleted_follow_ups: deleted.unwrap_or_default(),
        assigned_to: assigned.flatten(),
        extra,
        origin: super::Origin::default(),
    })
}

fn read_article<'de, A: MapAccess<'de>>(mut map: A) -> Result<Article, A::Error> {
    let (mut published, mut url, mut outlet) = (None, None, None);
    let mut extra = Extra::new();
    while let Some(key) = next_key(&mut map)? {
        match key.as_ref() {
            "published" => once(&mut map, &mut published, "published")?,
            "url" => once(&mut map, &mut url, "url")?,
            "outlet" => once(&mut map, &mut outlet, "outlet")?,
            _ => extra.read_value(key, &mut map, depth::ARTICLE)?,
        }
    }
    Ok(Article {
        published: published.flatten(),
        url: url.flatten(),
        outlet: outlet.flatten(),
        extra,
    })
}

/// A body as the JSON string literal it is in the input (a span of the file when the
/// loader lends it, see `body::reading_from`).
struct Literal(super::Body);

impl<'de> Deserialize<'de> for Literal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        if !text.starts_with('"') {
            let found = match text.as_bytes().first() {
                Some(b'n') => de::Unexpected::Unit,
                Some(b't' | b'f') => de::Unexpected::Other("a boolean"),
                Some(b'[') => de::Unexpected::Seq,
                Some(b'{') => de::Unexpected::Map,
                _ => de::Unexpected::Other("a number"),
            };
            return Err(D::Error::invalid_type(found, &"a string"));
        }
        // serde_json skims a kept string without pairing its surrogates: decode the ones
        // that spell characters, as it would refuse a half pair.
        let spelled = super::body::spells_characters(text.as_bytes());
        if spelled && let Err(e) = serde_json::from_str::<String>(text) {
            return Err(D::Error::custom(super::extra::without_position(&e)));
        }
        Ok(Literal(super::body::from_literal(text, spelled)))
    }
}

/// An instant as chrono reads one (RFC 3339, any offset, kept in UTC), the way claimdesk
/// writes it (`2025-01-31T09:00:00Z`) read without chrono's general parser: a file holds
/// one per update, and the general parser was a tenth of the time to load one.
struct Instant(DateTime<Utc>);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InstantVisitor;
        impl Visitor<'_> for InstantVisitor {
            type Value = Instant;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 formatted date and time string")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Instant, E> {
                match utc_seconds(text.as_bytes()) {
                    Some(at) => Ok(Instant(at)),
                    None => text
                        .parse::<DateTime<FixedOffset>>()
                        .map(|at| Instant(at.with_timezone(&Utc)))
                        .map_err(E::custom),
                }
            }
        }
        deserializer.deserialize_str(InstantVisitor)
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` read as chrono reads it; `None` for any other text (a leap
/// second, an invalid date, another form), which chrono's parser then reads or refuses.
fn utc_seconds(text: &[u8]) -> Option<DateTime<Utc>> {
    let [
        y0,
        y1,
        y2,
        y3,
        b'-',
        m0,
        m1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        i0,
        i1,
        b':',
        s0,
        s1,
        b'Z',
    ] = *text
    else {
        return None;
    };
    let two = |a: u8, b: u8| {
        (a.is_ascii_digit() && b.is_ascii_digit())
            .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
    };
    let year = two(y0, y1)? * 100 + two(y2, y3)?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, two(m0, m1)?, two(d0, d1)?)?;
    let time = NaiveTime::from_hms_opt(two(h0, h1)?, two(i0, i1)?, two(s0, s1)?)?;
    Some(date.and_time(time).and_utc())
}

fn read_update<'de, A: MapAccess<'de>>(mut map: A) -> Result<Update, A::Error> {
    let (mut at, mut status, mut body, mut sources, mut suggested) =
        (None::<Instant>, None, None::<Literal>, None, None);
    let mut extra = Extra::new();
    while let Some(key) = next_key(&mut map)? {
        match key.as_ref() {
            "at" => once(&mut map, &mut at, "at")?,
            "status" => once(&mut map, &mut status, "status")?,
            "body" => once(&mut map, &mut body, "body")?,
            "sources" => once(&mut map, &mut sources, "sources")?,
            "suggested_follow_up" => once(&mut map, &mut suggested, "suggested_follow_up")?,
            _ => extra.read_value(key, &mut map, depth::IN_CLAIM_LIST)?,
        }
    }
    Ok(Update {
        at: required(at, "at")?.0,
        status: required(status, "status")?,
        body: body.map(|b| b.0).unwrap_or_default(),
        sources: sources.unwrap_or_default(),
        suggested_follow_up: suggested.flatten(),
        extra,
    })
}

fn read_follow_up<'de, A: MapAccess<'de>>(mut map: A) -> Result<FollowUp, A::Error> {
    let (mut date, mut state, mut note, mut original) = (None, None, None, None);
    let mut place = None;
    let mut extra = Extra::new();
    while let Some(key) = next_key(&mut map)? {
        match key.as_ref() {
            "date" => once(&mut map, &mut date, "date")?,
            "state" => once(&mut map, &mut state, "state")?,
            "note" => once(&mut map, &mut note, "note")?,
            "original_date" => once(&mut map, &mut original, "original_date")?,
            "original_place" => once(&mut map, &mut place, "original_place")?,
            _ => extra.read_value(key, &mut map, depth::IN_CLAIM_LIST)?,
        }
    }
    Ok(FollowUp {
        date: required(date, "date")?,
        state: required(state, "state")?,
        note: note.unwrap_or_default(),
        original_date: original.flatten(),
        original_place: place.flatten(),
        extra,
    })
}

fn read_review<'de, A: MapAccess<'de>>(mut map: A) -> Result<Review, A::Error> {
    let (mut at, mut reviewer, mut verdict, mut note, mut seen) =
        (None::<Instant>, None, None, None, None);
    let mut extra = Extra::new();
    while let Some(key) = next_key(&mut map)? {
        match key.as_ref() {
            "at" => once(&mut map, &mut at, "at")?,
            "reviewer" => once(&mut map, &mut reviewer, "reviewer")?,
            "verdict" => once(&mut map, &mut verdict, "verdict")?,
            "note" => once(&mut map, &mut note, "note")?,
            "seen_through" => once(&mut map, &mut seen, "seen_through")?,
            _ => extra.read_value(key, &mut map, depth::IN_CLAIM_LIST)?,
        }
    }
    Ok(Review {
        at: required(at, "at")?.0,
        reviewer: required(reviewer, "reviewer")?,
        verdict: required(verdict, "verdict")?,
        note: note.unwrap_or_default(),
        seen_through: seen.flatten(),
        extra,
    })
}

/// The top-level object as read, before its header is checked: `format` and `version`
/// stay raw so that a file of another kind is told apart from a workspace with a bad
/// field, and the claims are whatever `S` makes of the `claims` array.
#[derive(Debug)]
pub struct Top<C> {
    pub format: Option<Box<RawValue>>,
    pub version: Option<Box<RawValue>>,
    pub journal_seq: Option<Box<RawValue>>,
    pub workspace_id: Option<Box<RawValue>>,
    pub claims: Option<C>,
    pub extra: Extra,
}

impl<C> Top<C> {
    /// `journal_seq` and `workspace_id`, read once the header says the file is one this
    /// build reads.
    pub fn marks<E: de::Error>(&self) -> Result<(u64, Option<String>), E> {
        let seq = match &self.journal_seq {
            Some(raw) => serde_json::from_str(raw.get())
                .map_err(|e| E::custom(format_args!("field `journal_seq`: {e}")))?,
            None => 0,
        };
        let id = match &self.workspace_id {
            Some(raw) => serde_json::from_str(raw.get())
                .map_err(|e| E::custom(format_args!("field `workspace_id`: {e}")))?,
            None => None,
        };
        Ok((seq, id))
    }
}

/// Reads the top-level object with `claims` as the seed reads them; `field` is set to
/// the known field being read, for errors to name it.
pub struct TopSeed<'a, S> {
    pub claims: S,
    pub field: &'a Cell<&'static str>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for TopSeed<'_, S> {
    type Value = Top<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for TopSeed<'_, S> {
    type Value = Top<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a claimdesk workspace object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut format, mut version, mut seq, mut id) = (None, None, None, None);
        let mut claims = None;
        let mut seed = Some(self.claims);
        let mut extra = Extra::new();
        while let Some(key) = next_key(&mut map)? {
            let name: &'static str = match key.as_ref() {
                "format" => "format",
                "version" => "version",
                "journal_seq" => "journal_seq",
                "workspace_id" => "workspace_id",
                "claims" => "claims",
                _ => {
                    self.field.set("");
                    extra.read_value(key, &mut map, depth::WORKSPACE)?;
                    continue;
                }
            };
            self.field.set(name);
            match name {
                "format" => once(&mut map, &mut format, name)?,
                "version" => once(&mut map, &mut version, name)?,
                "journal_seq" => once(&mut map, &mut seq, name)?,
                "workspace_id" => once(&mut map, &mut id, name)?,
                _ => match seed.take() {
                    Some(s) => claims = Some(map.next_value_seed(s)?),
                    None => return Err(A::Error::duplicate_field("claims")),
                },
            }
        }
        self.field.set("");
        Ok(Top {
            format,
            version,
            journal_seq: seq,
            workspace_id: id,
            claims,
            extra,
        })
    }
}

impl<'de> Deserialize<'de> for Workspace {
    /// The whole workspace through one deserializer, claims in line; the store's loader
    /// reads claims in parallel instead, with the same visitors.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let field = Cell::new("");
        let top = TopSeed {
            claims: PhantomData::<Vec<Claim>>,
            field: &field,
        }
        .deserialize(deserializer)?;
        let (journal_seq, workspace_id) = top.marks()?;
        let format = required(top.format, "format")?;
        let version = required(top.version, "version")?;
        Ok(Workspace {
            format: serde_json::from_str(format.get()).map_err(D::Error::custom)?,
            version: serde_json::from_str(version.get()).map_err(D::Error::custom)?,
            journal_seq,
            workspace_id,
            claims: top.claims.unwrap_or_default(),
            extra: top.extra,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chrono_reads(text: &str) -> Option<DateTime<Utc>> {
        serde_json::from_value::<DateTime<Utc>>(serde_json::Value::from(text)).ok()
    }

    #[test]
    fn the_usual_form_is_read_without_chrono_and_the_rest_by_it() {
        for text in [
            "2025-01-31T09:00:00Z",
            "0000-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2025-02-29T00:00:00Z",
            "2025-12-31T23:59:60Z",
            "2025-01-31T24:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-01-31t09:00:00z",
            "2025-01-31 09:00:00Z",
            "2025-01-31T09:00:00+05:00",
            "2025-01-31T09:00:00.5Z",
            "+2025-01-31T09:00:00Z",
            "2025-01-3\u{0661}T09:00:00Z",
        ] {
            let read = serde_json::from_value::<Instant>(serde_json::Value::from(text))
                .ok()
                .map(|i| i.0);
            assert_eq!(read, chrono_reads(text), "{text}");
        }
        assert!(utc_seconds(b"2025-01-31T09:00:00Z").is_some());
        assert_eq!(utc_seconds(b"2025-12-31T23:59:60Z"), None);
    }

    proptest! {
        #[test]
        fn an_instant_is_read_as_chrono_reads_it(
            digits in prop::collection::vec(0u8..10, 14),
            cut in 0usize..21,
            byte in any::<u8>(),
        ) {
            let d = |i: usize| char::from(b'0' + digits[i]);
            let mut text: Vec<u8> = format!(
                "{}{}{}{}-{}{}-{}{}T{}{}:{}{}:{}{}Z",
                d(0), d(1), d(2), d(3), d(4), d(5), d(6), d(7), d(8), d(9), d(10), d(11), d(12), d(13)
            ).into_bytes();
            if cut < text.len() && byte.is_ascii() {
                text[cut] = byte;
            }
            let text = String::from_utf8(text).expect("ascii");
            let read = serde_json::from_value::<Instant>(serde_json::Value::from(text.as_str()))
                .ok()
                .map(|i| i.0);
            prop_assert_eq!(read, chrono_reads(&text), "{}", text);
        }
    }
}
