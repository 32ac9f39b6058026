//! Where a claim was read from: its JSON text in the loaded file, with a digest of every
//! field as read, so that a save copies the text of each claim that has not changed since
//! (almost all of them) instead of writing it anew.
//!
//! Whether a claim changed is told by its content, not by who changed it: the digest
//! covers every field (the destructuring below fails to compile when a field is added and
//! not covered), so no path that changes a claim can forget to say so.

use super::body::Bytes;
use super::extra::Extra;
use super::{Article, Body, Claim, FollowUp, Review, Update};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

/// The text a claim was read from, when it was read from a file.
#[derive(Clone, Default)]
pub struct Origin(Option<Arc<Read>>);

struct Read {
    source: Arc<dyn Bytes>,
    span: Range<usize>,
    digest: u64,
}

impl Origin {
    /// The origin of `claim`, read from `span` of `source` just now.
    pub(crate) fn read(claim: &Claim, source: Arc<dyn Bytes>, span: Range<usize>) -> Self {
        Self(Some(Arc::new(Read {
            source,
            span,
            digest: digest(claim),
        })))
    }

    /// The claim's JSON text as read, while the claim is still exactly what was read.
    pub fn unchanged_text(claim: &Claim) -> Option<(&Arc<dyn Bytes>, Range<usize>)> {
        let read = claim.origin.0.as_deref()?;
        (digest(claim) == read.digest).then(|| (&read.source, read.span.clone()))
    }
}

/// Origins never make two claims differ.
impl PartialEq for Origin {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(read) => write!(f, "Origin({:?})", read.span),
            None => f.write_str("Origin(none)"),
        }
    }
}

/// A fast hasher for the digest (multiply-rotate over 64-bit words); not for adversaries.
struct Digest(u64);

impl Hasher for Digest {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.write_u64(u64::from_le_bytes(b));
        }
        let mut last = [0u8; 8];
        last[..words.remainder().len()].copy_from_slice(words.remainder());
        self.write_u64(u64::from_le_bytes(last) ^ bytes.len() as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A digest of every field of the claim. A body still read from the file counts by where
/// it is (it cannot change there), any other by its text.
fn digest(claim: &Claim) -> u64 {
    let Claim {
        id,
        title,
        kind,
        completion_condition,
        article,
        completion_due,
        priority,
        tags,
        updates,
        follow_ups,
        reviews,
        deleted_follow_ups,
        assigned_to,
        extra,
        origin: _,
    } = claim;
    let h = &mut Digest(0);
    (id, title, kind, completion_condition).hash(h);
    let Article {
        published,
        url,
        outlet,
        extra: article_extra,
    } = article;
    (published, url, outlet).hash(h);
    hash_extra(article_extra, h);
    (
        completion_due,
        priority,
        tags,
        deleted_follow_ups,
        assigned_to,
    )
        .hash(h);
    h.write_usize(updates.len());
    for update in updates {
        let Update {
            at,
            status,
            body,
            sources,
            suggested_follow_up,
            extra,
        } = update;
        (at, status, sources, suggested_follow_up).hash(h);
        hash_body(body, h);
        hash_extra(extra, h);
    }
    h.write_usize(follow_ups.len());
    for follow_up in follow_ups {
        let FollowUp {
            date,
            state,
            note,
            original_date,
            original_place,
            extra,
        } = follow_up;
        (date, state, note, original_date, original_place).hash(h);
        hash_extra(extra, h);
    }
    h.write_usize(reviews.len());
    for review in reviews {
        let Review {
            at,
            reviewer,
            verdict,
            note,
            seen_through,
            extra,
        } = review;
        (at, reviewer, verdict, note, seen_through).hash(h);
        hash_extra(extra, h);
    }
    hash_extra(extra, h);
    h.finish()
}

fn hash_extra(extra: &Extra, h: &mut Digest) {
    h.write_usize(extra.len());
    for (key, value) in extra.iter() {
        (key, value).hash(h);
    }
}

fn hash_body(body: &Body, h: &mut Digest) {
    match body.place() {
        Some((source, span)) => {
            h.write_u8(1);
            (source, span.start, span.end).hash(h);
        }
        None => {
            h.write_u8(0);
            body.decoded().hash(h);
        }
    }
}
