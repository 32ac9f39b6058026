//! A session on a database workspace: each verdict is queued on this machine (synced),
//! then sent; it leaves the queue once the server has committed it, so a verdict made
//! while the server is away waits, and goes in when the server is back. A thread of its
//! own keeps the screen live with what colleagues record (`store::pg::live`), and the
//! workspace is kept as a local copy, which the app opens read-only when the server
//! cannot be reached at start.

use super::Session;
use crate::app::action::{Desk as News, Saved};
use crate::app::{Action, Effect};
use crate::model::{Edit, Workspace};
use crate::store::outbox::{self, Outbox};
use crate::store::pg::live::{self, Live};
use crate::store::pg::{Pg, PgError, Shared, Url};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// How long opening waits for the first read of the workspace.
const FIRST_READ: Duration = Duration::from_secs(60);

/// The database side of a session.
#[derive(Debug)]
pub struct Desk {
    pg: Pg,
    shown: String,
    /// The verdicts on their way; none when the queue could not be opened (then a
    /// verdict the server cannot take is held in memory only, and said so).
    outbox: Option<Outbox>,
    live: Option<Receiver<Live>>,
    /// Whether the screen holds what the local copy does not.
    copy_stale: bool,
    /// The local copy being written, on a thread of its own.
    copying: Option<std::thread::JoinHandle<()>>,
}

/// A desk opened: the workspace to show and what to say first.
pub struct Opened {
    pub desk: Desk,
    pub workspace: Workspace,
    /// What opening did with verdicts queued earlier, and a queue that cannot be kept.
    pub news: News,
    pub note: Option<String>,
}

impl Desk {
    /// Connects, sends what an earlier session queued, starts listening and reads the
    /// workspace (after listening begins, so nothing committed in between is missed).
    pub fn open(url: &Url) -> Result<Opened, PgError> {
        let mut pg = Pg::connect(url)?;
        let shown = url.to_string();
        let (mut outbox, note) = match Outbox::open(&shown) {
            Ok(o) => (Some(o), None),
            Err(e) => (
                None,
                Some(format!(
                    "verdicts cannot be queued on this machine ({e}): one the server does not take is on the screen only"
                )),
            ),
        };
        let sent = flush(&mut pg, outbox.as_mut());
        let live = live::listen(url, pg.own_process());
        let mut workspace = match live.recv_timeout(FIRST_READ) {
            Ok(Live::Workspace { workspace, .. }) => *workspace,
            Ok(Live::Lost(why)) => {
                return Err(PgError::Unreachable {
                    url: shown,
                    message: why,
                });
            }
            Ok(Live::Reviews(_)) | Err(RecvTimeoutError::Disconnected) => {
                return Err(PgError::Unreachable {
                    url: shown,
                    message: "the workspace could not be read".to_owned(),
                });
            }
            Err(RecvTimeoutError::Timeout) => {
                return Err(PgError::Unreachable {
                    url: shown,
                    message: format!(
                        "no answer in {} s while reading the workspace",
                        FIRST_READ.as_secs()
                    ),
                });
            }
        };
        if let Some(o) = &outbox {
            with_queue(&mut workspace, o.entries());
        }
        let desk = Self {
            pg,
            shown,
            outbox,
            live: Some(live),
            copy_stale: false,
            copying: None,
        };
        Ok(Opened {
            desk,
            workspace,
            news: sent,
            note,
        })
    }

    /// The verdicts waiting in the queue.
    pub fn queued(&self) -> usize {
        self.outbox.as_ref().map_or(0, Outbox::len)
    }

    /// Where the queue is kept.
    pub fn queue_path(&self) -> Option<&std::path::Path> {
        self.outbox.as_ref().map(Outbox::path)
    }
}

/// The last local copy of a database, with the verdicts still queued for it on top.
pub struct LastCopy {
    pub workspace: Workspace,
    /// When it was written.
    pub when: std::time::SystemTime,
    /// The verdicts queued on this machine, not yet on the server.
    pub queued: usize,
}

/// Opens the last local copy of a database that cannot be reached: for reading, until
/// the server is back. `None` when this machine has no copy.
pub fn last_copy(url: &Url) -> Option<Result<LastCopy, String>> {
    let shown = url.to_string();
    let path = outbox::copy_path(&shown)?;
    let when = std::fs::metadata(&path).ok()?.modified().ok()?;
    Some(
        crate::store::load(&path)
            .map(|mut workspace| {
                let queue = Outbox::peek(&shown);
                with_queue(&mut workspace, &queue);
                LastCopy {
                    workspace,
                    when,
                    queued: queue.len(),
                }
            })
            .map_err(|e| e.to_string()),
    )
}

/// Puts the queued verdicts on `workspace`, each once: the screen shows them, marked as
/// queued by the status bar's count.
fn with_queue(workspace: &mut Workspace, entries: &[crate::store::journal::Entry]) {
    for entry in entries {
        for edit in entry.edit.leaves() {
            if let Edit::AddReview { claim, review } = edit {
                let held = workspace
                    .claim(claim)
                    .is_none_or(|c| c.reviews.contains(review));
                if !held {
                    let _ = crate::model::edit::apply(workspace, edit);
                }
            }
        }
    }
}

/// Sends the queue, oldest first, taking each verdict out once the server has it. Stops
/// at the first that cannot go in yet (the rest wait with it); one the server refuses
/// comes out, and is named.
fn flush(pg: &mut Pg, outbox: Option<&mut Outbox>) -> News {
    let Some(outbox) = outbox else {
        return News::Sent {
            sent: 0,
            queued: 0,
            away: None,
            refused: Vec::new(),
        };
    };
    let (mut sent, mut away, mut refused) = (0, None, Vec::new());
    for entry in outbox.entries().to_vec() {
        match pg.record(&entry.edit) {
            Ok(()) => {
                sent += 1;
                // Left in the queue if this fails: sent again later, the server takes
                // the same verdict once.
                let _ = outbox.remove(entry.seq);
            }
            Err(e) if e.may_go_in_later() => {
                away = Some(e.reason());
                break;
            }
            Err(e) => {
                refused.push(e.reason());
                let _ = outbox.remove(entry.seq);
            }
        }
    }
    News::Sent {
        sent,
        queued: outbox.len(),
        away,
        refused,
    }
}

impl Session {
    /// A session on a database workspace, opened by `Desk::open`.
    pub fn desk(state: crate::app::State, opened: Opened) -> Self {
        let Opened {
            desk,
            workspace: _,
            news,
            note,
        } = opened;
        let mut state = state;
        state.settings.database = true;
        // The local copy, for a start with the server away, is kept from the first read.
        let mut desk = desk;
        let (shown, copy) = (desk.shown.clone(), state.workspace.clone());
        desk.copying = Some(std::thread::spawn(move || {
            let _ = outbox::keep_copy(&shown, &copy);
        }));
        let mut s = Self::in_memory(state);
        s.database = Some(desk);
        // What an earlier session queued counts as queued until this news says where
        // it went.
        if let News::Sent { sent, queued, .. } = &news {
            s.state.save.queued = sent + queued;
        }
        s.dispatch(Action::Desk(news));
        if let Some(note) = note {
            s.dispatch(Action::Notify(note));
        }
        s
    }

    /// Verdicts still in the queue (for the word said on quitting).
    pub fn queued(&self) -> usize {
        self.database.as_ref().map_or(0, Desk::queued)
    }

    /// Where the queue is kept, when there is one.
    pub fn queue_path(&self) -> Option<std::path::PathBuf> {
        self.database
            .as_ref()
            .and_then(Desk::queue_path)
            .map(std::path::Path::to_owned)
    }

    /// What the listening thread reported: colleagues' work onto the screen, and the
    /// queue sent when the server is back. True if anything came.
    pub(super) fn poll_desk(&mut self) -> bool {
        let mut any = false;
        loop {
            let Some(message) = self
                .database
                .as_ref()
                .and_then(|d| d.live.as_ref())
                .and_then(|rx| rx.try_recv().ok())
            else {
                return any;
            };
            any = true;
            self.searcher.corpus = None;
            match message {
                Live::Workspace { workspace, by } => {
                    let mut workspace = *workspace;
                    let queued = match self.database.as_mut() {
                        Some(desk) => {
                            if let Some(o) = &desk.outbox {
                                with_queue(&mut workspace, o.entries());
                            }
                            desk.copy_stale = true;
                            desk.queued()
                        }
                        None => 0,
                    };
                    self.dispatch(Action::Desk(News::Workspace {
                        workspace: Box::new(workspace),
                        by,
                    }));
                    // Read after connecting: the server is back for the queue too.
                    if queued > 0 {
                        self.flush_queue();
                    }
                }
                Live::Reviews(recorded) => {
                    if let Some(desk) = self.database.as_mut() {
                        desk.copy_stale = true;
                    }
                    self.dispatch(Action::Desk(News::Reviews(recorded)));
                }
                Live::Lost(why) => self.dispatch(Action::Desk(News::Lost(why))),
            }
        }
    }

    /// Sends the queue; a verdict the server refused comes off the screen, which then
    /// shows the database again with what is still queued on top.
    fn flush_queue(&mut self) {
        let Some(desk) = self.database.as_mut() else {
            return;
        };
        let news = flush(&mut desk.pg, desk.outbox.as_mut());
        if let News::Sent { refused, .. } = &news
            && !refused.is_empty()
            && let Ok(mut workspace) = desk.pg.load()
        {
            if let Some(o) = &desk.outbox {
                with_queue(&mut workspace, o.entries());
            }
            self.dispatch(Action::Desk(News::Workspace {
                workspace: Box::new(workspace),
                by: None,
            }));
        }
        self.dispatch(Action::Desk(news));
    }

    /// Keeps the screen's workspace as the local copy when it holds anything the copy
    /// does not (on quitting).
    pub(super) fn keep_copy(&mut self) {
        if let Some(copying) = self.database.as_mut().and_then(|d| d.copying.take()) {
            let _ = copying.join();
        }
        if let Some(desk) = self.database.as_mut()
            && desk.copy_stale
            && outbox::keep_copy(&desk.shown, &self.state.workspace).is_ok()
        {
            desk.copy_stale = false;
        }
    }

    /// The effects a database workspace carries out its own way; `false` for the others
    /// (searching, copying, opening a browser), which are the same as on a file.
    pub(super) fn perform_on_database(&mut self, effect: &Effect) -> bool {
        let Some(desk) = &mut self.database else {
            return false;
        };
        match effect {
            Effect::Record(edit) => {
                self.searcher.corpus = None;
                desk.copy_stale = true;
                match desk.outbox.as_mut().map(|o| o.add(edit)) {
                    // Queued and synced: now sent, with anything queued before it.
                    Some(Ok(_)) => self.flush_queue(),
                    _ => self.record_unqueued(edit),
                }
            }
            Effect::Share { edit, before } => {
                self.searcher.corpus = None;
                desk.copy_stale = true;
                let why = match desk.pg.share(edit, before) {
                    Ok(Shared::Done) => {
                        self.dispatch(Action::Saved(Saved::Done {
                            covered: 1,
                            then_quit: false,
                            path: None,
                        }));
                        return true;
                    }
                    Ok(Shared::Conflict(why)) => why,
                    Err(e) if e.may_go_in_later() => format!(
                        "the server cannot be reached ({}); only verdicts wait for it here",
                        e.reason()
                    ),
                    Err(e) => format!("the server refused it ({})", e.reason()),
                };
                // The claims as the server has them now (theirs, where they changed them),
                // else as they were before the edit.
                let ids: Vec<&str> = before.iter().map(|c| c.id.as_str()).collect();
                let claims = match desk.pg.load() {
                    Ok(mut held) => {
                        if let Some(o) = &desk.outbox {
                            with_queue(&mut held, o.entries());
                        }
                        held.claims
                            .into_iter()
                            .filter(|c| ids.contains(&c.id.as_str()))
                            .collect()
                    }
                    Err(_) => before.clone(),
                };
                self.dispatch(Action::Desk(News::NotShared { why, claims }));
            }
            // Every verdict is in the database or the queue as it is recorded: nothing
            // waits to be saved.
            Effect::Save | Effect::SaveSoon | Effect::DiscardUnsaved => {}
            // A verdict the server could not take and the queue could not keep is on the
            // screen only: saying it was saved would lose it without a word.
            Effect::SaveAndQuit if self.state.save.in_memory_only > 0 => {
                let n = self.state.save.in_memory_only;
                self.dispatch(Action::Notify(format!(
                    "NOT RECORDED: {} on this screen only; record again once the server is back, or quit without",
                    crate::model::text::count(n, "verdict")
                )));
            }
            Effect::SaveAndQuit => self.dispatch(Action::Saved(Saved::Done {
                covered: 0,
                then_quit: true,
                path: None,
            })),
            Effect::Reload | Effect::SaveAs(_) => {
                self.dispatch(Action::Notify(
                    "Not on a database workspace: copy it to a file for that".to_owned(),
                ));
            }
            _ => return false,
        }
        true
    }

    /// A verdict sent without the queue (which could not be opened): recorded, refused
    /// (off the screen), or held on the screen only while the server is away.
    fn record_unqueued(&mut self, edit: &Edit) {
        let Some(desk) = &mut self.database else {
            return;
        };
        match desk.pg.record(edit) {
            Ok(()) => self.dispatch(Action::Saved(Saved::Done {
                covered: 1,
                then_quit: false,
                path: None,
            })),
            Err(e) => {
                // A reply lost after the server committed looks like a failure: the
                // database, read again, says whether the verdict is there.
                match desk.pg.load() {
                    Ok(held) if holds_reviews(&held, edit) => {
                        self.dispatch(Action::Saved(Saved::Done {
                            covered: 1,
                            then_quit: false,
                            path: None,
                        }));
                    }
                    read => self.dispatch(Action::NotRecorded {
                        why: e.reason(),
                        reachable: read.is_ok(),
                    }),
                }
            }
        }
    }
}

/// Whether `workspace` holds every review `edit` adds (one, or a batch's).
fn holds_reviews(workspace: &Workspace, edit: &Edit) -> bool {
    edit.leaves().iter().all(|e| match e {
        Edit::AddReview { claim, review } => workspace
            .claim(claim)
            .is_some_and(|c| c.reviews.contains(review)),
        _ => false,
    })
}
