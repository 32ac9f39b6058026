//! The command line: arguments (`args`) and the headless commands (`commands`).
//! Handlers return the text to print; `main` prints it and turns errors into exit codes.

mod args;
mod commands;

pub use args::*;
pub use commands::*;
