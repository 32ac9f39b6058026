//! The screen's state machine: what is shown (`state`), every user intent (`action`),
//! how intents change the state (`update`), and which keys name them (`keymap`).
//! Nothing here draws or touches the terminal.

pub mod action;
pub mod agenda;
pub mod details;
pub mod digest;
pub mod help;
pub mod keymap;
pub mod layout;
pub mod state;
pub mod timeline;
pub mod update;
pub mod view;

pub use action::Action;
pub use state::{Overlay, Pane, Settings, State};
pub use update::{Effect, update};
