//! Carries out what actions ask of the world: a `Session` feeds actions to `update` and
//! performs the effects it returns — journaling edits, saving, reloading — feeding the
//! results back as actions. The terminal loop, `snapshot`, the headless commands and the
//! tests all drive the app through it.

use crate::app::{self, Action, Effect, State};
use crate::store::{Disk, SaveError};
use crossterm::event::KeyEvent;

/// A running app: its state, and the file it writes (none for `snapshot`).
#[derive(Debug)]
pub struct Session {
    pub state: State,
    disk: Option<Disk>,
}

impl Session {
    /// A session writing through `disk` (journal, lock, saves).
    pub fn new(state: State, disk: Disk) -> Self {
        Self {
            state,
            disk: Some(disk),
        }
    }

    /// A session whose effects are not carried out: edits stay in memory.
    pub fn in_memory(state: State) -> Self {
        Self { state, disk: None }
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
        let Some(disk) = &mut self.disk else { return };
        match effect {
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
