//! claimdesk: a terminal workbench where reviewers read what an automated tracker wrote
//! about claims made in the news, and record their verdicts.
//!
//! `model` holds the data and its rules, `store` reads and writes the workspace file,
//! `import` reads the tracker's exports, `app` is the screen's state machine, `ui` draws
//! it, `tui` runs it in a terminal, and `cli` is the command line.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod config;
pub mod import;
pub mod model;
pub mod report;
pub mod runtime;
pub mod search;
pub mod store;
pub mod tui;
pub mod ui;
pub mod wrap;
