//! Carries out what actions ask of the world: a `Session` feeds actions to `update` and
//! performs the effects it returns — journaling edits, saving, reloading, searching —
//! feeding the results back as actions. Loading, searching and saving can run on threads
//! of their own so that typing never waits. The terminal loop, `snapshot`, the headless
//! commands and the tests all drive the app through it.

use crate::app::action::Saved;
use crate::app::{self, Action, Effect, State};
use crate::search::{self, Corpus, Results};
use crate::store::{Access, Disk, OpenError, Opened, SaveDone, SaveError, StoreError};
use crossterm::event::KeyEvent;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

mod desk;
pub use desk::{Desk, LastCopy, Opened as DeskOpened, last_copy};

/// A running app: its state, and the file it writes (none for `snapshot`).
#[derive(Debug)]
pub struct Session {
    pub state: State,
    disk: Option<Disk>,
    /// A database workspace's side: its queue, its connection, its live news.
    database: Option<desk::Desk>,
    searcher: Searcher,
    saver: Saver,
    loader: Option<Receiver<LoadMessage>>,
    /// Why the workspace could not be loaded in the background.
    pub load_error: Option<String>,
    /// The app asked to be suspended (C-z); the terminal loop does it.
    suspend: bool,
    /// Text `y` copied, for the terminal loop to hand the terminal (OSC 52).
    clipboard: Option<String>,
}

/// Runs searches: inline, or on a thread of their own that the next query cancels.
#[derive(Debug)]
struct Searcher {
    background: bool,
    /// The searchable text, kept until the workspace changes.
    corpus: Option<Arc<Corpus>>,
    cancel: Arc<AtomicBool>,
    tx: Sender<(u64, Results)>,
    rx: Receiver<(u64, Results)>,
}

impl Searcher {
    fn new() -> Self {
        let (tx, rx) = channel();
        Self {
            background: false,
            corpus: None,
            cancel: Arc::new(AtomicBool::new(false)),
            tx,
            rx,
        }
    }
}

/// Saves on a thread of their own, one at a time, so a long save never blocks typing; the
/// journal already holds every edit durably while a save runs.
#[derive(Debug, Default)]
struct Saver {
    background: bool,
    running: Option<Receiver<SaveOutcome>>,
    /// Another save was asked for while one ran.
    again: bool,
    /// When autosave folds the journal into the file, editing having paused.
    due: Option<Instant>,
    /// Saves started this session.
    started: usize,
}

/// Autosave's policy: the journal makes each edit durable at once; the file is rewritten
/// once editing pauses this long, or at once when this many edits wait, and on quitting.
pub const FOLD_PAUSE: Duration = Duration::from_secs(3);
pub const FOLD_AFTER_EDITS: usize = 64;

#[derive(Debug)]
struct SaveOutcome {
    result: Result<SaveDone, SaveError>,
    covered: usize,
}

/// A save's error, as the app is told it.
fn failed_save(e: SaveError) -> Saved {
    match e {
        SaveError::ChangedOnDisk(_) => Saved::ChangedOnDisk(e.to_string()),
        e => Saved::Failed(e.to_string()),
    }
}

/// What the background loader reports.
#[derive(Debug)]
enum LoadMessage {
    Progress(u64),
    Done(Box<Result<LoadedWorkspace, String>>),
}

/// A workspace the background loader opened.
#[derive(Debug)]
struct LoadedWorkspace {
    opened: Opened,
    /// What the status bar says first.
    message: Option<String>,
    /// Who holds the writer lock, when it was opened read-only for that reason.
    held_by: Option<String>,
}

impl Session {
    /// A session writing through `disk` (journal, lock, saves).
    pub fn new(state: State, disk: Disk) -> Self {
        let mut s = Self::in_memory(state);
        s.disk = Some(disk);
        s
    }

    /// A session whose effects are not carried out: edits stay in memory.
    pub fn in_memory(state: State) -> Self {
        Self {
            state,
            disk: None,
            database: None,
            searcher: Searcher::new(),
            saver: Saver::default(),
            loader: None,
            load_error: None,
            suspend: false,
            clipboard: None,
        }
    }

    /// A session that opens its workspace on another thread, showing progress meanwhile
    /// (the terminal app: something is on screen at once, whatever the file's size).
    /// `describe` turns the opened workspace into the status bar's first message.
    pub fn loading(
        state: State,
        access: Access,
        sample: Option<&'static str>,
        describe: impl FnOnce(&Opened, &Path) -> Option<String> + Send + 'static,
        explain: fn(crate::store::OpenError, &Path) -> String,
    ) -> Self {
        let path: PathBuf = state.path.clone();
        let total = std::fs::metadata(&path).map_or(0, |m| m.len());
        let state = state.with_loading(total);
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let progress = tx.clone();
            let mut last = 0u64;
            let mut report = |read: u64| {
                // A message every 16 MB is plenty for a progress bar.
                if read >= last + (16 << 20) {
                    last = read;
                    let _ = progress.send(LoadMessage::Progress(read));
                }
            };
            let mut held_by = None;
            let opened = match Disk::open_with_progress(&path, access, sample, &mut report) {
                // Open elsewhere: read it, change nothing, and say who has it.
                Err(OpenError::Locked { holder, .. }) => {
                    held_by = Some(format!(
                        "the workspace is open in {}",
                        holder.map_or_else(|| "another claimdesk".to_owned(), |h| h.to_string())
                    ));
                    Disk::open_with_progress(&path, Access::ReadOnly, None, &mut report)
                }
                // Nothing can be written there (a read-only folder or file system, a file
                // that is not writable): read it, change nothing, and say why.
                Err(
                    e @ (OpenError::NoLock { .. }
                    | OpenError::Store(StoreError::WriteProtected { .. })),
                ) => {
                    held_by = Some(format!(
                        "claimdesk cannot write there ({})",
                        short_reason(&e)
                    ));
                    Disk::open_with_progress(&path, Access::ReadOnly, None, &mut report)
                }
                other => other,
            };
            let result = opened
                .map(|opened| {
                    let message = describe(&opened, &path);
                    LoadedWorkspace {
                        opened,
                        message,
                        held_by,
                    }
                })
                .map_err(|e| explain(e, &path));
            let _ = tx.send(LoadMessage::Done(Box::new(result)));
        });
        let mut s = Self::in_memory(state);
        s.loader = Some(rx);
        s
    }

    /// Runs searches and saves on threads of their own, so typing never waits (the
    /// terminal app).
    pub fn with_background_work(mut self) -> Self {
        self.searcher.background = true;
        self.saver.background = true;
        self
    }

    /// How many times this session has begun to write the workspace file.
    pub fn saves_started(&self) -> usize {
        self.saver.started
    }

    /// Whether background work (a load, a search, a save) is still running.
    pub fn busy(&self) -> bool {
        self.state.search.as_ref().is_some_and(|s| s.pending())
            || self.loader.is_some()
            || self.saver.running.is_some()
            || self.saver.due.is_some()
    }

    /// Hands finished background work to the app, and starts a save autosave has come
    /// due for; true if anything happened.
    pub fn poll_background(&mut self) -> bool {
        let mut any = self.poll_desk();
        if self.saver.due.is_some_and(|due| Instant::now() >= due) {
            self.saver.due = None;
            self.start_save();
            any = true;
        }
        while let Some(message) = self.loader.as_ref().and_then(|rx| rx.try_recv().ok()) {
            any = true;
            match message {
                LoadMessage::Progress(read) => {
                    let total = self.state.loading.map_or(read, |l| l.total.max(read));
                    self.dispatch(Action::LoadProgress { read, total });
                }
                LoadMessage::Done(result) => {
                    self.loader = None;
                    match *result {
                        Ok(LoadedWorkspace {
                            opened,
                            message,
                            held_by,
                        }) => {
                            let recovered = opened.recovered;
                            self.disk = Some(opened.disk);
                            self.dispatch(Action::Loaded {
                                workspace: Box::new(opened.workspace),
                                message,
                                recovered,
                                held_by,
                            });
                            self.save_pending();
                        }
                        Err(e) => self.load_error = Some(e),
                    }
                }
            }
        }
        if let Some(outcome) = self
            .saver
            .running
            .as_ref()
            .and_then(|rx| rx.try_recv().ok())
        {
            self.saver.running = None;
            self.save_finished(outcome);
            any = true;
        }
        while let Ok((generation, results)) = self.searcher.rx.try_recv() {
            self.dispatch(Action::SearchDone {
                generation,
                results: Arc::new(results),
            });
            any = true;
        }
        any
    }

    /// Before the program ends: waits for a save still running, and with autosave saves
    /// what is left (edits stay safe in the journal if that fails).
    pub fn shutdown(&mut self) {
        self.finish_background();
        self.keep_copy();
        if self.state.save.unsaved > 0
            && self.state.settings.autosave
            && !self.state.settings.read_only
            && let Some(disk) = &mut self.disk
        {
            let _ = disk.save(&self.state.workspace);
        }
    }

    /// Waits for a save still running.
    pub fn finish_background(&mut self) {
        if let Some(rx) = self.saver.running.take()
            && let Ok(outcome) = rx.recv()
        {
            self.save_finished(outcome);
        }
    }

    /// Whether the app asked to be suspended since the last call.
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }

    /// Text copied since the last call, to write to the terminal's clipboard.
    pub fn take_clipboard(&mut self) -> Option<String> {
        self.clipboard.take()
    }

    /// A key, through the keymap.
    pub fn press(&mut self, key: KeyEvent) {
        if let Some(action) = app::keymap::action_for(&self.state, key) {
            self.dispatch(action);
        }
    }

    /// One action, and everything it sets off.
    pub fn dispatch(&mut self, action: Action) {
        let effects = app::update(&mut self.state, action);
        for effect in effects {
            self.perform(effect);
        }
    }

    /// Saves now if anything is unsaved (at start after a recovery, or before exiting).
    pub fn save_pending(&mut self) {
        if self.state.save.unsaved > 0
            && self.state.settings.autosave
            && !self.state.settings.read_only
        {
            self.start_save();
        }
    }

    fn search(&mut self, generation: u64, query: String) {
        let corpus = match &self.searcher.corpus {
            Some(c) => Arc::clone(c),
            None => {
                let c = Arc::new(Corpus::of(&self.state.workspace));
                self.searcher.corpus = Some(Arc::clone(&c));
                c
            }
        };
        if !self.searcher.background {
            if let Some(results) = search::run(&corpus, &query, &AtomicBool::new(false)) {
                self.dispatch(Action::SearchDone {
                    generation,
                    results: Arc::new(results),
                });
            }
            return;
        }
        // The previous search, if still running, stops at its next claim.
        self.searcher.cancel.store(true, Ordering::Relaxed);
        let cancel = Arc::new(AtomicBool::new(false));
        self.searcher.cancel = Arc::clone(&cancel);
        let tx = self.searcher.tx.clone();
        std::thread::spawn(move || {
            let partial_tx = tx.clone();
            let mut partial = |r: Results| {
                let _ = partial_tx.send((generation, r));
            };
            if let Some(results) = search::run_with_partials(&corpus, &query, &cancel, &mut partial)
            {
                let _ = tx.send((generation, results));
            }
        });
    }

    fn start_save(&mut self) {
        let Some(disk) = &mut self.disk else { return };
        if self.saver.running.is_some() {
            self.saver.again = true;
            return;
        }
        let covered = self.state.save.unsaved;
        self.saver.started += 1;
        let job = match disk.prepare_save() {
            Ok(job) => job,
            Err(e) => {
                self.save_finished(SaveOutcome {
                    result: Err(e),
                    covered,
                });
                return;
            }
        };
        if !self.saver.background {
            let result = job.run(&self.state.workspace);
            self.save_finished(SaveOutcome { result, covered });
            return;
        }
        // Updates are shared between copies, so the copy the thread writes is cheap to
        // make (about a millisecond for 1,000 claims).
        let snapshot = self.state.workspace.clone();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let result = job.run(&snapshot);
            let _ = tx.send(SaveOutcome { result, covered });
        });
        self.saver.running = Some(rx);
    }

    fn save_finished(&mut self, outcome: SaveOutcome) {
        let saved = match outcome.result {
            Ok(done) => {
                let warning = self.disk.as_mut().and_then(|disk| disk.finish_save(done));
                Saved::Done {
                    covered: outcome.covered,
                    then_quit: false,
                    path: None,
                    warning,
                }
            }
            Err(e) => failed_save(e),
        };
        self.dispatch(Action::Saved(saved));
        if std::mem::take(&mut self.saver.again) && self.state.save.unsaved > 0 {
            self.start_save();
        }
    }

    fn perform(&mut self, effect: Effect) {
        if self.database.is_some() && self.perform_on_database(&effect) {
            return;
        }
        if effect == Effect::Suspend {
            self.suspend = true;
            return;
        }
        if let Effect::Search { generation, query } = effect {
            self.search(generation, query);
            return;
        }
        if let Effect::Copy(text) = effect {
            self.clipboard = Some(text);
            return;
        }
        if let Effect::Open(url) = effect {
            if let Err(why) = open_in_browser(&url) {
                self.dispatch(Action::Notify(why));
            }
            return;
        }
        // Anything else may change the workspace: the search corpus is rebuilt when next
        // needed.
        self.searcher.corpus = None;
        if effect == Effect::Save {
            self.saver.due = None;
            self.start_save();
            return;
        }
        if effect == Effect::SaveSoon {
            // Typing in a burst rewrites the file once, after it: never on the input
            // thread's time, never once per key.
            if !self.saver.background || self.state.save.unsaved >= FOLD_AFTER_EDITS {
                self.saver.due = None;
                self.start_save();
            } else {
                self.saver.due = Some(Instant::now() + FOLD_PAUSE);
            }
            return;
        }
        if effect == Effect::SaveAndQuit {
            // Quitting waits for the save anyway: run it here, after any running one.
            self.finish_background();
        }
        let Some(disk) = &mut self.disk else { return };
        match effect {
            Effect::Search { .. }
            | Effect::Save
            | Effect::SaveSoon
            | Effect::Suspend
            | Effect::Copy(_)
            | Effect::Open(_)
            // Made only on a database session (see `desk`).
            | Effect::Share { .. } => {}
            Effect::Record(edit) => {
                if let Err(e) = disk.record(&edit) {
                    let journal = crate::store::journal::path_for(disk.path());
                    self.dispatch(Action::JournalFailed(format!("{}: {e}", journal.display())));
                }
            }
            Effect::SaveAndQuit => {
                let covered = self.state.save.unsaved;
                let saved = match disk.save(&self.state.workspace) {
                    Ok(warning) => Saved::Done {
                        covered,
                        then_quit: true,
                        path: None,
                        warning,
                    },
                    Err(e) => failed_save(e),
                };
                self.dispatch(Action::Saved(saved));
            }
            Effect::DiscardUnsaved => {
                let _ = disk.discard_unsaved();
            }
            Effect::Reload => {
                let result = disk
                    .reload()
                    .map(|(ws, edits)| (Box::new(ws), edits))
                    .map_err(|e| e.to_string());
                self.dispatch(Action::Reloaded { result });
            }
            Effect::SaveAs(path) => {
                let covered = self.state.save.unsaved;
                let saved = match disk.save_as(&path, &self.state.workspace) {
                    Ok(()) => Saved::Done {
                        covered,
                        then_quit: false,
                        path: Some(path),
                        warning: None,
                    },
                    Err(e) => Saved::Failed(e.to_string()),
                };
                self.dispatch(Action::Saved(saved));
            }
        }
    }
}

/// Starts the reviewer's browser on `url`: the first of `$BROWSER` (a `:`-separated list,
/// as other tools read it), else `xdg-open`. Its output goes nowhere (the screen is ours),
/// and a thread waits for it so that it leaves no zombie.
fn open_in_browser(url: &str) -> Result<(), String> {
    let browser = std::env::var("BROWSER")
        .ok()
        .and_then(|b| {
            b.split(':')
                .map(str::trim)
                .find(|b| !b.is_empty())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "xdg-open".to_owned());
    let mut child = std::process::Command::new(&browser)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("Could not start {browser}: {e}. Set $BROWSER to a browser"))?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Why a workspace cannot be written, in a few words: the OS's reason for the lock file,
/// or that the file is write-protected.
fn short_reason(e: &OpenError) -> String {
    match e {
        OpenError::NoLock { source, .. } => source.to_string(),
        _ => "the file is write-protected".to_owned(),
    }
}
