//! Carries out what actions ask of the world: a `Session` feeds actions to `update` and
//! performs the effects it returns (saving the workspace), feeding the results back as
//! actions. The terminal loop, `snapshot` and the tests all drive the app through it.

use crate::app::{self, Action, Effect, State};
use crate::store;
use crossterm::event::KeyEvent;

/// A running app: its state, and whether effects may touch the disk.
#[derive(Debug)]
pub struct Session {
    pub state: State,
    /// False for `snapshot`, which never writes the workspace.
    writes: bool,
}

impl Session {
    pub fn new(state: State) -> Self {
        Self {
            state,
            writes: true,
        }
    }

    /// A session whose saves are not carried out (the edits stay in memory).
    pub fn read_only(state: State) -> Self {
        Self {
            state,
            writes: false,
        }
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

    fn perform(&mut self, effect: Effect) {
        if !self.writes {
            return;
        }
        let then_quit = effect == Effect::SaveAndQuit;
        let error = store::save(&self.state.path, &self.state.workspace)
            .err()
            .map(|e| e.to_string());
        self.dispatch(Action::Saved { error, then_quit });
    }
}
