//! Carries out what actions ask of the world: a `Session` feeds actions to `update` and
//! performs the effects it returns — journaling edits, saving, reloading — feeding the
//! results back as actions. The terminal loop, `snapshot`, the headless commands and the
//! tests all drive the app through it.

use crate::app::{self, Action, Effect, State};
use crate::search::{self, Corpus, Results};
use crate::store::{Disk, SaveError};
use crossterm::event::KeyEvent;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

/// A running app: its state, and the file it writes (none for `snapshot`).
#[derive(Debug)]
pub struct Session {
    pub state: State,
    disk: Option<Disk>,
    searcher: Searcher,
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

impl Session {
    /// A session writing through `disk` (journal, lock, saves).
    pub fn new(state: State, disk: Disk) -> Self {
        Self {
            state,
            disk: Some(disk),
            searcher: Searcher::new(),
        }
    }

    /// A session whose effects are not carried out: edits stay in memory.
    pub fn in_memory(state: State) -> Self {
        Self {
            state,
            disk: None,
            searcher: Searcher::new(),
        }
    }

    /// Runs searches on a thread of their own, so typing never waits (the terminal app).
    pub fn with_background_search(mut self) -> Self {
        self.searcher.background = true;
        self
    }

    /// Whether a search is still running.
    pub fn busy(&self) -> bool {
        self.state.search.as_ref().is_some_and(|s| s.pending())
    }

    /// Hands finished background work to the app; true if anything arrived.
    pub fn poll_background(&mut self) -> bool {
        let mut any = false;
        while let Ok((generation, results)) = self.searcher.rx.try_recv() {
            self.dispatch(Action::SearchDone {
                generation,
                results: Arc::new(results),
            });
            any = true;
        }
        any
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
            if let Some(results) = search::run(&corpus, &query, &cancel) {
                let _ = tx.send((generation, results));
            }
        });
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
            self.perform(Effect::Save);
        }
    }

    fn perform(&mut self, effect: Effect) {
        if let Effect::Search { generation, query } = effect {
            self.search(generation, query);
            return;
        }
        // Anything else may change the workspace: the search corpus is rebuilt when next
        // needed.
        self.searcher.corpus = None;
        let Some(disk) = &mut self.disk else { return };
        match effect {
            Effect::Search { .. } => {}
            Effect::Record(edit) => {
                if let Err(e) = disk.record(&edit) {
                    self.dispatch(Action::JournalFailed(e.to_string()));
                }
            }
            Effect::Save | Effect::SaveAndQuit => {
                let then_quit = effect == Effect::SaveAndQuit;
                let result = disk.save(&mut self.state.workspace);
                let changed_on_disk = matches!(result, Err(SaveError::ChangedOnDisk(_)));
                let error = result.err().map(|e| e.to_string());
                self.dispatch(Action::Saved {
                    error,
                    then_quit,
                    changed_on_disk,
                    path: None,
                });
            }
            Effect::DiscardUnsaved => {
                let _ = disk.discard_unsaved();
            }
            Effect::Reload => {
                let (result, conflicts) = match disk.reload() {
                    Ok((ws, conflicts)) => (Ok(Box::new(ws)), conflicts),
                    Err(e) => (Err(e.to_string()), Vec::new()),
                };
                self.dispatch(Action::Reloaded { result, conflicts });
            }
            Effect::SaveAs(path) => {
                let result = disk.save_as(&path, &mut self.state.workspace);
                let error = result.err().map(|e| e.to_string());
                let path = error.is_none().then_some(path);
                self.dispatch(Action::Saved {
                    error,
                    then_quit: false,
                    changed_on_disk: false,
                    path,
                });
            }
        }
    }
}
