//! A database workspace kept live: a thread with a connection of its own listens on the
//! `claimdesk` channel (migration 2 announces every change there when it commits) and
//! hands the open app what colleagues did: the verdicts they recorded, or the whole
//! workspace read again after any other change (an import, a follow-up). It reads the
//! workspace after it starts listening, so that nothing committed in between is missed,
//! and again each time it connects anew after losing the server.

use super::{Pg, PgError, Url, fail};
use crate::model::{Recorded, Review, Workspace};
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

/// Starts listening on a thread of its own; it stops when the receiver is dropped.
/// Changes other than verdicts announced by the server process `own` (the session's own
/// connection, see `Pg::own_process`) are not handed on: the screen made them.
pub fn listen(url: &Url, own: Arc<AtomicI32>) -> Receiver<Live> {
    let (tx, rx) = channel();
    let url = url.clone();
    std::thread::spawn(move || run(&url, &tx, &own));
    rx
}

fn run(url: &Url, tx: &Sender<Live>, own: &AtomicI32) {
    let mut said_lost = false;
    loop {
        let lost = match Pg::connect_within(url, CONNECT) {
            Ok(mut pg) => {
                said_lost = false;
                match follow(&mut pg, tx, own) {
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

/// Listens, reads the workspace, then hands on each change until the connection fails.
fn follow(pg: &mut Pg, tx: &Sender<Live>, own: &AtomicI32) -> Result<Gone, PgError> {
    let url = pg.url.clone();
    pg.client
        .batch_execute("LISTEN claimdesk")
        .map_err(|e| fail(&url, &e))?;
    let workspace = pg.load()?;
    if tx
        .send(Live::Workspace {
            workspace: Box::new(workspace),
            by: None,
        })
        .is_err()
    {
        return Ok(Gone);
    }
    let mut present: Option<Vec<(String, String, String)>> = None;
    loop {
        let mut seqs: Vec<i64> = Vec::new();
        let mut changed_by: Option<String> = None;
        let mut presence = false;
        // Waits for one announcement, then takes every other already there: a burst of
        // verdicts is one read.
        let mut first = true;
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
        if let Some(by) = changed_by {
            let workspace = pg.load()?;
            let by = Some(by).filter(|b| !b.is_empty());
            if tx
                .send(Live::Workspace {
                    workspace: Box::new(workspace),
                    by,
                })
                .is_err()
            {
                return Ok(Gone);
            }
        } else if !seqs.is_empty() {
            let reviews = reviews(pg, &seqs)?;
            if !reviews.is_empty() && tx.send(Live::Reviews(reviews)).is_err() {
                return Ok(Gone);
            }
        } else if !presence {
            // Quiet: does the server still answer? (A lost connection says nothing.)
            pg.client.is_valid(ANSWER).map_err(|e| fail(&url, &e))?;
        }
        // Who is where: on news of it, and when quiet (so that the gone drop off).
        let now = pg.present()?;
        if present.as_ref() != Some(&now) {
            if tx.send(Live::Presence(now.clone())).is_err() {
                return Ok(Gone);
            }
            present = Some(now);
        }
    }
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
