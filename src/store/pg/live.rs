//! A database workspace kept live: a thread with a connection of its own listens on the
//! `claimdesk` channel (migration 2 announces every change there when it commits) and
//! hands the open app what colleagues did: the verdicts they recorded, or the workspace
//! read again after any other change (an import, a follow-up). It reads the workspace
//! after it starts listening, so that nothing committed in between is missed, and again
//! each time it connects anew after losing the server.
//!
//! Each read is the claim list first (see `Pg::heads`); the thread then reads the
//! updates of the claims that await theirs, a few claims at a time between
//! announcements, the claim the app shows first, and keeps what it read: a later read
//! hands on each claim's updates as they were unless their digest changed.

use super::{Bodies, Pg, PgError, Url, fail};
use crate::model::{Recorded, Review, Updates, Workspace};
use postgres::fallible_iterator::FallibleIterator;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

/// What the listening thread tells the app.
#[derive(Debug)]
pub enum Live {
    /// The workspace as the database holds it now: the first read, and every read after
    /// a change that is not only verdicts. `by` is the role that made the change (none
    /// for a read after connecting).
    Workspace {
        workspace: Box<Workspace>,
        by: Option<String>,
    },
    /// Claims' updates, read after the claim list: by claim, the digest its stand-ins
    /// await and the list.
    Updates(Vec<(String, u64, Updates)>),
    /// A claim's update rows do not read (the claim, and what is wrong with which row):
    /// its updates stay unread; the others' are read.
    Unreadable { claim: String, why: String },
    /// Verdicts committed since the last message, in the order they were recorded.
    Reviews(Vec<Recorded>),
    /// Who has which claim open: (session, role, claim), whenever that changes.
    Presence(Vec<(String, String, String)>),
    /// The server could not be reached (or stopped answering); the thread tries again
    /// every few seconds.
    Lost(String),
}

/// How long a quiet connection waits before it checks the server still answers.
const QUIET: Duration = Duration::from_secs(10);
/// How long the server has to answer that check.
const ANSWER: Duration = Duration::from_secs(5);
/// How long connecting may take before the server counts as away.
const CONNECT: Duration = Duration::from_secs(10);
/// How long after losing the server the thread tries again.
const RETRY: Duration = Duration::from_secs(2);
/// How many claims' updates one read takes (about 30 ms for claims of 350 updates): the
/// thread looks for announcements between reads.
const CHUNK: usize = 16;

/// Starts listening on a thread of its own; it stops when the receiver is dropped.
/// Changes other than verdicts announced by the server process `own` (the session's own
/// connection, see `Pg::own_process`) are not handed on: the screen made them. The
/// sender takes the id of a claim whose updates the app wants read first.
pub fn listen(url: &Url, own: Arc<AtomicI32>) -> (Receiver<Live>, Sender<String>) {
    let (tx, rx) = channel();
    let (want, wanted) = channel();
    let url = url.clone();
    std::thread::spawn(move || run(&url, &tx, &own, &wanted));
    (rx, want)
}

fn run(url: &Url, tx: &Sender<Live>, own: &AtomicI32, wanted: &Receiver<String>) {
    let mut said_lost = false;
    let mut read = Bodies::new();
    loop {
        let lost = match Pg::connect_within(url, CONNECT) {
            Ok(mut pg) => {
                said_lost = false;
                match follow(&mut pg, tx, own, wanted, &mut read) {
                    // The app has gone: so does the thread.
                    Ok(Gone) => return,
                    Err(e) => e,
                }
            }
            Err(e) => e,
        };
        // Said once each time the server goes away.
        if !said_lost && tx.send(Live::Lost(lost.reason())).is_err() {
            return;
        }
        said_lost = true;
        std::thread::sleep(RETRY);
    }
}

/// The app dropped its receiver.
struct Gone;

/// Listens, reads the workspace, then hands on each change until the connection fails;
/// meanwhile reads the updates of the claims that await theirs, keeping them in `read`.
fn follow(
    pg: &mut Pg,
    tx: &Sender<Live>,
    own: &AtomicI32,
    wanted: &Receiver<String>,
    read: &mut Bodies,
) -> Result<Gone, PgError> {
    let url = pg.url.clone();
    pg.client
        .batch_execute("LISTEN claimdesk")
        .map_err(|e| fail(&url, &e))?;
    // Claims whose updates are still to read, in the list's order: (id, digest awaited).
    let mut unread: std::collections::VecDeque<(String, u64)> = Default::default();
    if hand_on(pg, tx, read, &mut unread, None)?.is_some() {
        return Ok(Gone);
    }
    let mut present: Option<Vec<(String, String, String)>> = None;
    loop {
        let mut seqs: Vec<i64> = Vec::new();
        let mut changed_by: Option<String> = None;
        let mut presence = false;
        // Waits for one announcement (not while updates are still to read), then takes
        // every other already there: a burst of verdicts is one read.
        let mut first = unread.is_empty();
        loop {
            let next = {
                let mut notes = pg.client.notifications();
                let wait = if first { QUIET } else { Duration::ZERO };
                notes.timeout_iter(wait).next()
            };
            first = false;
            match next {
                Ok(Some(note)) => match note.payload().split_once(' ') {
                    Some(("reviews", list)) => {
                        seqs.extend(list.split(',').filter_map(|s| s.parse::<i64>().ok()))
                    }
                    // This session's own change: read again (another change may have
                    // come meanwhile and left the screen without it), said by no one.
                    Some(("workspace", _)) if note.process_id() == own.load(Ordering::Relaxed) => {
                        changed_by.get_or_insert_with(String::new);
                    }
                    Some(("workspace", by)) => changed_by = Some(by.to_owned()),
                    Some(("presence", _)) => presence = true,
                    _ => changed_by = Some(String::new()),
                },
                Err(e) => return Err(fail(&url, &e)),
                Ok(None) => break,
            }
        }
        let quiet = seqs.is_empty() && changed_by.is_none() && !presence;
        if let Some(by) = changed_by {
            let by = Some(by).filter(|b| !b.is_empty());
            if hand_on(pg, tx, read, &mut unread, by)?.is_some() {
                return Ok(Gone);
            }
        } else if !seqs.is_empty() {
            let reviews = reviews(pg, &seqs)?;
            if !reviews.is_empty() && tx.send(Live::Reviews(reviews)).is_err() {
                return Ok(Gone);
            }
        } else if quiet && unread.is_empty() {
            // Quiet: does the server still answer? (A lost connection says nothing.)
            pg.client.is_valid(ANSWER).map_err(|e| fail(&url, &e))?;
        }
        // Who is where: on news of it, and when quiet (so that the gone drop off).
        if presence || unread.is_empty() {
            let now = pg.present()?;
            if present.as_ref() != Some(&now) {
                if tx.send(Live::Presence(now.clone())).is_err() {
                    return Ok(Gone);
                }
                present = Some(now);
            }
        }
        if !unread.is_empty() && read_some(pg, tx, read, &mut unread, wanted)?.is_some() {
            return Ok(Gone);
        }
    }
}

/// Reads the workspace (the claim list, and updates only where `read` lacks them) and
/// hands it on; the claims that await their updates become `unread`.
fn hand_on(
    pg: &mut Pg,
    tx: &Sender<Live>,
    read: &mut Bodies,
    unread: &mut std::collections::VecDeque<(String, u64)>,
    by: Option<String>,
) -> Result<Option<Gone>, PgError> {
    let (workspace, _) = pg.heads(read)?;
    unread.clear();
    // What the workspace no longer holds as it was is let go.
    let mut kept = Bodies::new();
    for claim in &workspace.claims {
        match claim.updates.awaited() {
            Some(digest) => unread.push_back((claim.id.clone(), digest)),
            None => {
                if let Some(held) = read.remove(&claim.id) {
                    kept.insert(claim.id.clone(), held);
                }
            }
        }
    }
    *read = kept;
    let sent = tx.send(Live::Workspace {
        workspace: Box::new(workspace),
        by,
    });
    Ok(sent.is_err().then_some(Gone))
}

/// Reads the updates of a few unread claims (those the app asked for first) and hands
/// them on.
fn read_some(
    pg: &mut Pg,
    tx: &Sender<Live>,
    read: &mut Bodies,
    unread: &mut std::collections::VecDeque<(String, u64)>,
    wanted: &Receiver<String>,
) -> Result<Option<Gone>, PgError> {
    while let Ok(id) = wanted.try_recv() {
        if let Some(at) = unread.iter().position(|(u, _)| *u == id)
            && let Some(claim) = unread.remove(at)
        {
            unread.push_front(claim);
        }
    }
    let take = CHUNK.min(unread.len());
    let chunk: Vec<(String, u64)> = unread.drain(..take).collect();
    let ids: Vec<String> = chunk.iter().map(|(id, _)| id.clone()).collect();
    let lists = match pg.bodies(&ids) {
        Err(PgError::Data { .. }) => {
            // A claim whose rows do not read is said, the others read one by one.
            let mut lists = Vec::new();
            for id in &ids {
                match pg.bodies(std::slice::from_ref(id)) {
                    Ok(mut one) => lists.append(&mut one),
                    Err(PgError::Data { message, .. }) => {
                        let said = Live::Unreadable {
                            claim: id.clone(),
                            why: message,
                        };
                        if tx.send(said).is_err() {
                            return Ok(Some(Gone));
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            lists
        }
        read => read?,
    };
    for (id, digest, updates) in &lists {
        read.insert(id.clone(), (*digest, updates.clone()));
    }
    let sent = tx.send(Live::Updates(lists));
    Ok(sent.is_err().then_some(Gone))
}

/// The verdicts numbered `seqs`, in the order they were recorded.
fn reviews(pg: &mut Pg, seqs: &[i64]) -> Result<Vec<Recorded>, PgError> {
    let url = pg.url.clone();
    let rows = pg
        .client
        .query(
            "SELECT claim_id::text, doc::text, recorded_by::text FROM claimdesk_reviews
             WHERE seq = ANY($1) ORDER BY seq",
            &[&seqs],
        )
        .map_err(|e| fail(&url, &e))?;
    rows.iter()
        .map(|row| {
            let (claim, doc, recorded_by): (String, String, String) =
                (row.get(0), row.get(1), row.get(2));
            let review: Review = serde_json::from_str(&doc).map_err(|e| PgError::Data {
                url: url.clone(),
                message: format!("claimdesk_reviews: a review of claim {claim} {e}"),
            })?;
            Ok(Recorded {
                claim,
                review,
                recorded_by,
            })
        })
        .collect()
}
