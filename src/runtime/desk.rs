//! A session on a database workspace: each verdict is queued on this machine (synced),
//! then sent; it leaves the queue once the server has committed it, so a verdict made
//! while the server is away waits, and goes in when the server is back. Everything sent
//! to the server goes through a worker thread of its own, so that a server that stops
//! answering never freezes the screen. A thread of its
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
use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long opening waits for the first read of the workspace.
const FIRST_READ: Duration = Duration::from_secs(15);
/// How long connecting at start may take.
const CONNECT: Duration = Duration::from_secs(10);
/// How long the server has to answer a request before the screen says it does not.
const ANSWER: Duration = Duration::from_secs(5);
/// How often verdicts left in the queue (a lock held too long, a server away) are sent
/// again.
const RETRY: Duration = Duration::from_secs(5);

/// The queue, shared by the screen (which adds to it) and the worker (which takes out
/// what the server has).
type Queue = Arc<Mutex<Outbox>>;

fn lock(queue: &Queue) -> MutexGuard<'_, Outbox> {
    // A panic elsewhere while it was held leaves the queue as it was on disk.
    queue
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What the worker is asked to do, in order.
enum Job {
    /// Send what the queue holds.
    Flush,
    /// An edit to titles, tags or follow-ups (see `Pg::share`).
    Share {
        edit: Edit,
        before: Vec<crate::model::Claim>,
    },
    /// A verdict sent without the queue (which could not be opened).
    Unqueued(Edit),
    /// Which claim this app shows now (`None`: it is closing), for the others' screens.
    Here(Option<String>),
}

/// What the worker answers.
enum Done {
    /// The queue sent: the news, and the workspace read again when a verdict was
    /// refused (to take it off the screen).
    Sent { news: News, now: Option<Workspace> },
    /// An edit made or not; where not, the claims it touched as the server has them.
    Shared {
        result: Result<Shared, PgError>,
        claims: Vec<crate::model::Claim>,
    },
    /// A verdict without the queue: recorded, or why not and whether the server could be
    /// reached.
    Unqueued(Result<(), (String, bool)>),
    /// Done, with nothing to say (presence is best effort).
    Quiet,
}

/// How often an app says again which claim it shows, so that it counts as present.
const HERE_AGAIN: Duration = Duration::from_secs(30);

/// The database side of a session.
pub struct Desk {
    /// Requests to the worker, which owns the connection.
    jobs: Sender<Job>,
    done: Receiver<Done>,
    /// When each request still unanswered was sent, oldest first.
    waiting: VecDeque<Instant>,
    /// The screen was told the server does not answer.
    said_stuck: bool,
    /// Edits to titles, tags and follow-ups sent and not yet answered.
    shares: usize,
    /// When the queue was last sent.
    last_flush: Instant,
    /// This app's presence: its session id, the claim it last said it shows, and when.
    session: String,
    here: Option<Option<String>>,
    here_at: Instant,
    shown: String,
    /// The verdicts on their way; none when the queue could not be opened (then a
    /// verdict the server cannot take is held in memory only, and said so).
    outbox: Option<Queue>,
    live: Option<Receiver<Live>>,
    /// Asks the listening thread to read a claim's updates next (see `live::listen`).
    want: Sender<String>,
    /// The claim whose updates were asked for last.
    wanted: Option<String>,
    /// Whether the screen holds what the local copy does not.
    copy_stale: bool,
    /// The local copy being written, on a thread of its own.
    copying: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Desk({})", self.shown)
    }
}

/// A desk opened: the workspace to show and what to say first.
pub struct Opened {
    pub desk: Desk,
    pub workspace: Workspace,
    /// Verdicts an earlier session queued, as opening found them (the worker may have
    /// sent them already when the screen comes up).
    pub queued: usize,
    /// A queue that cannot be kept.
    pub note: Option<String>,
}

impl Desk {
    /// Connects, sends what an earlier session queued, starts listening and reads the
    /// workspace (after listening begins, so nothing committed in between is missed).
    pub fn open(url: &Url) -> Result<Opened, PgError> {
        let pg = Pg::connect_within(url, CONNECT)?;
        let shown = url.to_string();
        let (outbox, note) = match Outbox::open(&shown) {
            Ok(mut o) => {
                let note = o.note.take();
                (Some(Arc::new(Mutex::new(o))), note)
            }
            Err(e) => (
                None,
                Some(format!(
                    "verdicts cannot be queued on this machine ({e}): one the server does not take is on the screen only"
                )),
            ),
        };
        let own = pg.own_process();
        let (jobs, asked) = channel();
        let (answer, done) = channel();
        let queue = outbox.clone();
        let session = crate::store::new_workspace_id();
        let id = session.clone();
        std::thread::spawn(move || work(pg, &id, queue.as_ref(), &asked, &answer));
        let (live, want) = live::listen(url, own);
        let mut workspace = match live.recv_timeout(FIRST_READ) {
            Ok(Live::Workspace { workspace, .. }) => *workspace,
            Ok(Live::Lost(why)) => {
                return Err(PgError::Unreachable {
                    url: shown,
                    message: why,
                });
            }
            Ok(
                Live::Updates(_) | Live::Unreadable { .. } | Live::Reviews(_) | Live::Presence(_),
            )
            | Err(RecvTimeoutError::Disconnected) => {
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
        if let Some(q) = &outbox {
            with_queue(&mut workspace, lock(q).entries());
        }
        let mut desk = Self {
            jobs,
            done,
            waiting: VecDeque::new(),
            said_stuck: false,
            shares: 0,
            last_flush: Instant::now(),
            session,
            here: None,
            here_at: Instant::now(),
            shown,
            outbox,
            live: Some(live),
            want,
            wanted: None,
            copy_stale: false,
            copying: None,
        };
        // What an earlier session queued goes first.
        let queued = desk.queued();
        desk.ask(Job::Flush);
        Ok(Opened {
            desk,
            workspace,
            queued,
            note,
        })
    }

    /// Hands the worker a request.
    fn ask(&mut self, job: Job) {
        if matches!(job, Job::Flush) {
            self.last_flush = Instant::now();
        }
        if matches!(job, Job::Share { .. }) {
            self.shares += 1;
        }
        if self.jobs.send(job).is_ok() {
            self.waiting.push_back(Instant::now());
        }
    }

    /// The verdicts waiting in the queue.
    pub fn queued(&self) -> usize {
        self.outbox.as_ref().map_or(0, |q| lock(q).len())
    }

    /// Where the queue is kept.
    pub fn queue_path(&self) -> Option<std::path::PathBuf> {
        self.outbox.as_ref().map(|q| lock(q).path().to_owned())
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
    let meta = std::fs::metadata(&path).ok()?;
    let when = meta.modified().ok()?;
    // Made readable by others meanwhile: it is the desk's data, yours alone again.
    {
        use std::os::unix::fs::PermissionsExt;
        let plain = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        if plain && meta.permissions().mode() & 0o077 != 0 {
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        }
    }
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

/// The worker: owns the connection and answers requests in order, until the session
/// ends. A request the server never answers holds it up, not the screen.
fn work(
    mut pg: Pg,
    session: &str,
    queue: Option<&Queue>,
    jobs: &Receiver<Job>,
    done: &Sender<Done>,
) {
    while let Ok(job) = jobs.recv() {
        let answer = match job {
            Job::Flush => {
                let news = flush(&mut pg, queue);
                // A refused verdict comes off the screen: the server's copy is shown.
                let refused = matches!(&news, News::Sent { refused, .. } if !refused.is_empty());
                let now = refused.then(|| pg.load().ok()).flatten().map(|mut w| {
                    if let Some(q) = queue {
                        with_queue(&mut w, lock(q).entries());
                    }
                    w
                });
                Done::Sent { news, now }
            }
            Job::Share { edit, before } => {
                let result = pg.share(&edit, &before);
                let claims = if matches!(result, Ok(Shared::Done)) {
                    Vec::new()
                } else {
                    // The claims as the server has them now (theirs, where they changed
                    // them), else as they were before the edit.
                    let ids: Vec<&str> = before.iter().map(|c| c.id.as_str()).collect();
                    match pg.load() {
                        Ok(mut held) => {
                            if let Some(q) = queue {
                                with_queue(&mut held, lock(q).entries());
                            }
                            held.claims
                                .into_iter()
                                .filter(|c| ids.contains(&c.id.as_str()))
                                .collect()
                        }
                        Err(_) => before,
                    }
                };
                Done::Shared { result, claims }
            }
            Job::Here(claim) => {
                let _ = pg.here(session, claim.as_deref());
                Done::Quiet
            }
            Job::Unqueued(edit) => Done::Unqueued(match pg.record(&edit) {
                Ok(()) => Ok(()),
                // A reply lost after the server committed looks like a failure: the
                // database, read again, says whether the verdict is there.
                Err(e) => match pg.load() {
                    Ok(held) if holds_reviews(&held, &edit) => Ok(()),
                    read => Err((e.reason(), read.is_ok())),
                },
            }),
        };
        if done.send(answer).is_err() {
            return;
        }
    }
}

/// Sends the queue, oldest first, taking each verdict out once the server has it. Stops
/// at the first that cannot go in yet (the rest wait with it); one the server refuses
/// comes out into the refused file, and is named.
fn flush(pg: &mut Pg, queue: Option<&Queue>) -> News {
    let Some(queue) = queue else {
        return News::Sent {
            sent: 0,
            queued: 0,
            away: None,
            refused: Vec::new(),
        };
    };
    // Not held while sending: the screen adds to the queue meanwhile.
    let entries = lock(queue).entries().to_vec();
    let (mut sent, mut away, mut refused) = (0, None, Vec::new());
    for entry in entries {
        match pg.record(&entry.edit) {
            Ok(()) => {
                sent += 1;
                // Left in the queue if this fails: sent again later, the server takes
                // the same verdict once.
                let _ = lock(queue).remove(entry.seq);
            }
            Err(e) if e.may_go_in_later() => {
                away = Some(e.reason());
                break;
            }
            Err(e) => match lock(queue).set_aside(entry.seq) {
                Ok(kept) => refused.push(format!("{}; kept in {}", e.reason(), kept.display())),
                // Not kept elsewhere: it stays queued, and is tried again.
                Err(_) => {
                    away = Some(e.reason());
                    break;
                }
            },
        }
    }
    let queued = lock(queue).len();
    News::Sent {
        sent,
        queued,
        away,
        refused,
    }
}

impl Session {
    /// A session on a database workspace, opened by `Desk::open`.
    pub fn desk(state: crate::app::State, opened: Opened) -> Self {
        let Opened {
            mut desk,
            workspace: _,
            queued,
            note,
        } = opened;
        let mut state = state;
        state.settings.database = true;
        // The local copy, for a start with the server away, is kept from the first read
        // when it holds every claim whole, else when the session ends.
        if state.claims_awaiting() == 0 {
            let (shown, copy) = (desk.shown.clone(), state.workspace.clone());
            desk.copying = Some(std::thread::spawn(move || {
                let _ = outbox::keep_copy(&shown, &copy);
            }));
        } else {
            desk.copy_stale = true;
        }
        let mut s = Self::in_memory(state);
        s.database = Some(desk);
        // What an earlier session queued counts as queued until the worker says where
        // it went.
        if queued > 0 {
            s.dispatch(Action::Desk(News::Sent {
                sent: 0,
                queued,
                away: None,
                refused: Vec::new(),
            }));
        }
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
        self.database.as_ref().and_then(Desk::queue_path)
    }

    /// Edits to titles, tags and follow-ups the server had not answered when the session
    /// ended (said on quitting: they may or may not have gone in).
    pub fn unconfirmed(&self) -> usize {
        self.database.as_ref().map_or(0, |d| d.shares)
    }

    /// What the worker answered and the listening thread reported: this session's
    /// requests, colleagues' work onto the screen, the queue sent again when the server
    /// is back (or every few seconds while it holds verdicts), and a server that stops
    /// answering said so. True if anything came.
    pub(super) fn poll_desk(&mut self) -> bool {
        let mut any = false;
        while let Some(done) = self.database.as_ref().and_then(|d| d.done.try_recv().ok()) {
            any = true;
            self.answered(done);
        }
        if let Some(desk) = self.database.as_mut() {
            let stuck = desk
                .waiting
                .front()
                .is_some_and(|sent| sent.elapsed() >= ANSWER);
            if stuck && !desk.said_stuck {
                desk.said_stuck = true;
                any = true;
                let queued = desk.queued();
                let why = format!("the server does not answer (waited {} s)", ANSWER.as_secs());
                self.dispatch(Action::Desk(if queued > 0 {
                    News::Sent {
                        sent: 0,
                        queued,
                        away: Some(why),
                        refused: Vec::new(),
                    }
                } else {
                    News::Lost(why)
                }));
            }
        }
        // Which claim this app shows, for the others: when it changes, and now and then.
        let shown = self.state.selected_claim().map(|c| c.id.clone());
        if let Some(desk) = self.database.as_mut()
            && (desk.here.as_ref() != Some(&shown) || desk.here_at.elapsed() >= HERE_AGAIN)
            && desk.waiting.len() < 2
        {
            desk.here = Some(shown.clone());
            desk.here_at = Instant::now();
            desk.ask(Job::Here(shown.clone()));
        }
        // The claim on screen has its updates read before the others'.
        if let Some(desk) = self.database.as_mut()
            && self.state.awaiting().is_some()
            && desk.wanted != shown
        {
            desk.wanted = shown.clone();
            if let Some(id) = shown.clone() {
                let _ = desk.want.send(id);
            }
        }
        if let Some(desk) = self.database.as_mut()
            && desk.waiting.is_empty()
            && desk.last_flush.elapsed() >= RETRY
            && desk.queued() > 0
        {
            desk.ask(Job::Flush);
        }
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
                    if let Some(desk) = self.database.as_mut() {
                        if let Some(q) = &desk.outbox {
                            with_queue(&mut workspace, lock(q).entries());
                        }
                        desk.copy_stale = true;
                        // Read after connecting: the server is back for the queue too.
                        if desk.queued() > 0 {
                            desk.ask(Job::Flush);
                        }
                    }
                    self.dispatch(Action::Desk(News::Workspace {
                        workspace: Box::new(workspace),
                        by,
                    }));
                }
                Live::Updates(read) => {
                    self.dispatch(Action::Desk(News::Updates(read)));
                    // Every claim whole now: the local copy is kept from it.
                    if self.state.claims_awaiting() == 0
                        && let Some(desk) = self.database.as_mut()
                        && desk.copy_stale
                        && desk.copying.as_ref().is_none_or(|c| c.is_finished())
                    {
                        desk.copy_stale = false;
                        let (shown, copy) = (desk.shown.clone(), self.state.workspace.clone());
                        desk.copying = Some(std::thread::spawn(move || {
                            let _ = outbox::keep_copy(&shown, &copy);
                        }));
                    }
                }
                Live::Reviews(recorded) => {
                    if let Some(desk) = self.database.as_mut() {
                        desk.copy_stale = true;
                    }
                    self.dispatch(Action::Desk(News::Reviews(recorded)));
                }
                Live::Presence(list) => {
                    let own = self.database.as_ref().map(|d| d.session.clone());
                    let mut here: std::collections::BTreeMap<String, Vec<String>> =
                        std::collections::BTreeMap::new();
                    for (session, role, claim) in list {
                        if Some(&session) != own.as_ref() {
                            let roles = here.entry(claim).or_default();
                            if !roles.contains(&role) {
                                roles.push(role);
                            }
                        }
                    }
                    self.dispatch(Action::Desk(News::Presence(here)));
                }
                Live::Lost(why) => self.dispatch(Action::Desk(News::Lost(why))),
                Live::Unreadable { claim, why } => {
                    self.dispatch(Action::Desk(News::Unreadable { claim, why }));
                }
            }
        }
    }

    /// One answer of the worker, onto the screen.
    fn answered(&mut self, done: Done) {
        let mut was_stuck = false;
        if let Some(desk) = self.database.as_mut() {
            desk.waiting.pop_front();
            was_stuck = std::mem::take(&mut desk.said_stuck);
            if matches!(done, Done::Shared { .. }) {
                desk.shares = desk.shares.saturating_sub(1);
            }
        }
        // Said not to answer, and now answering (unless this answer says otherwise).
        let answering = !matches!(
            &done,
            Done::Sent {
                news: News::Sent { away: Some(_), .. },
                ..
            } | Done::Shared { result: Err(_), .. }
                | Done::Unqueued(Err((_, false)))
        );
        if was_stuck && answering {
            self.dispatch(Action::Desk(News::Answering));
        }
        let recorded = Action::Saved(Saved::Done {
            covered: 1,
            then_quit: false,
            path: None,
            warning: None,
        });
        match done {
            Done::Sent { news, now } => {
                if let Some(workspace) = now {
                    self.dispatch(Action::Desk(News::Workspace {
                        workspace: Box::new(workspace),
                        by: None,
                    }));
                }
                self.dispatch(Action::Desk(news));
            }
            Done::Shared {
                result: Ok(Shared::Done),
                ..
            } => self.dispatch(recorded),
            Done::Shared { result, claims } => {
                let why = match result {
                    Ok(Shared::Done) => return,
                    Ok(Shared::Conflict(why)) => why,
                    Err(e) if e.may_go_in_later() => format!(
                        "the server cannot be reached ({}); only verdicts wait for it here",
                        e.reason()
                    ),
                    Err(e) => format!("the server refused it ({})", e.reason()),
                };
                self.dispatch(Action::Desk(News::NotShared { why, claims }));
            }
            Done::Quiet => {}
            Done::Unqueued(Ok(())) => self.dispatch(recorded),
            Done::Unqueued(Err((why, reachable))) => {
                self.dispatch(Action::NotRecorded { why, reachable });
            }
        }
    }

    /// Before the session ends: waits a little for answers still due (an edit or a
    /// verdict on its way), and keeps the screen's workspace as the local copy when it
    /// holds anything the copy does not.
    pub(super) fn keep_copy(&mut self) {
        // Gone from the others' screens (not worth waiting for while the server is
        // away: the row lapses by itself).
        if let Some(desk) = self.database.as_mut()
            && self.state.save.away.is_none()
        {
            desk.ask(Job::Here(None));
        }
        // An edit on its way waits for the server's lock as long as any statement does.
        let wait = match self.database.as_ref() {
            Some(desk) if desk.shares > 0 => Duration::from_secs(15),
            _ => ANSWER,
        };
        let deadline = Instant::now() + wait;
        while let Some(desk) = self.database.as_ref()
            && !desk.waiting.is_empty()
        {
            let left = deadline.saturating_duration_since(Instant::now());
            match desk.done.recv_timeout(left) {
                Ok(done) => self.answered(done),
                Err(_) => break,
            }
        }
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
                match desk.outbox.as_ref().map(|q| lock(q).add(edit)) {
                    // Queued and synced: now sent, with anything queued before it.
                    Some(Ok(_)) => desk.ask(Job::Flush),
                    _ => desk.ask(Job::Unqueued(edit.clone())),
                }
            }
            Effect::Share { edit, before } => {
                self.searcher.corpus = None;
                desk.copy_stale = true;
                desk.ask(Job::Share {
                    edit: edit.clone(),
                    before: before.clone(),
                });
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
                warning: None,
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
