//! Errors from reading and writing the workspace, each naming the file and where in it.

use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{}: cannot {action} the file: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{}: not a regular file (a folder, a FIFO, a device or a socket); a workspace is a JSON file",
        path.display()
    )]
    NotAFile { path: PathBuf },
    #[error(
        "{}: the file is write-protected for you (read-only, or another user's); make it writable to save to it (chmod u+w on your own file), or open it with --read-only",
        path.display()
    )]
    WriteProtected { path: PathBuf },
    #[error("{} changed on disk while claimdesk was saving it; not overwritten", path.display())]
    ChangedWhileSaving { path: PathBuf },
    #[error("cannot write the workspace as JSON: {message}")]
    Encode { message: String },
    #[error("{}: the file is empty; expected a claimdesk workspace (JSON)", path.display())]
    Empty { path: PathBuf },
    #[error(
        "{}:{line}:{column}: not valid UTF-8 (byte {offset}); a workspace is UTF-8 JSON text",
        path.display()
    )]
    Utf8 {
        path: PathBuf,
        line: usize,
        column: usize,
        offset: usize,
    },
    #[error(
        "{}: the file ({len} bytes) is larger than this machine can hold in memory",
        path.display()
    )]
    TooBig { path: PathBuf, len: u64 },
    #[error("{}:{line}:{column}: not valid JSON: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{}: not a claimdesk workspace ({found}); expected an object with \"format\": \"claimdesk-workspace\"",
        path.display()
    )]
    NotWorkspace { path: PathBuf, found: String },
    #[error(
        "{}: workspace version {version} is newer than this claimdesk reads (version {}); upgrade claimdesk. The file was not changed",
        path.display(),
        crate::model::VERSION
    )]
    TooNew { path: PathBuf, version: u64 },
    #[error("{}{}: field {field}: {message}", path.display(), position_suffix(*line, *column))]
    Shape {
        path: PathBuf,
        field: String,
        line: usize,
        column: usize,
        message: String,
    },
}

fn position_suffix(line: usize, column: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}:{column}")
    }
}

impl StoreError {
    pub(crate) fn syntax(path: &Path, e: &serde_json::Error) -> Self {
        Self::Syntax {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        }
    }
}

/// serde_json appends " at line L column C"; the error already says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
