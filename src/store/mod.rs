//! Loading and saving the workspace file: the only code that reads or writes it.
//!
//! A load reads the file once, checks `format` and `version` before anything else, then
//! maps every JSON or shape error to its path, line, column and field. A save writes a
//! temporary file in the same folder, syncs it, renames it over the workspace and syncs
//! the folder, so the file on disk is always either the old or the new content.

pub mod config;
mod disk;
mod error;
pub mod journal;
pub mod lock;
pub mod stream;

pub use disk::{
    Access, Disk, OpenError, Opened, Recovered, SaveDone, SaveError, SaveJob, recover,
    recover_in_place,
};
pub use error::StoreError;

use crate::model::{FORMAT, VERSION, Workspace};
use serde::Deserialize;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The sample workspace built into the binary: the two real seed claims.
pub const SAMPLE: &str = include_str!("../../assets/sample-workspace.json");

/// Reads and checks a workspace file; the file is never written.
pub fn load(path: &Path) -> Result<Workspace, StoreError> {
    let bytes = fs::read(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        action: "read",
        source,
    })?;
    parse(path, &bytes)
}

/// Parses workspace bytes; `path` only names the file in errors.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Workspace, StoreError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    // The common case first, in one pass: a good workspace. Every check that only a bad
    // file needs (UTF-8, shape, field paths) runs after a failure, so a large workspace
    // is read once.
    let mut workspace: Workspace = match serde_json::from_slice(bytes) {
        Ok(ws) => ws,
        Err(e) => return Err(explain_failure(path, bytes, &e)),
    };
    finish_parse(path, &mut workspace)?;
    Ok(workspace)
}

/// The checks every parsed workspace passes: format and version, unique ids; then its
/// lists in the order claimdesk keeps them.
pub(crate) fn finish_parse(path: &Path, workspace: &mut Workspace) -> Result<(), StoreError> {
    check_header(
        path,
        Some(&serde_json::Value::from(workspace.format.as_str())),
        Some(&serde_json::Value::from(workspace.version)),
    )?;
    check_unique_ids(path, workspace)?;
    workspace.normalize();
    Ok(())
}

/// Why a file that did not parse as a workspace is not one, as precisely as possible:
/// invalid UTF-8 with its byte, empty, not JSON (line and column), another kind of JSON,
/// a newer version, or a field of the wrong shape with its path.
fn explain_failure(path: &Path, bytes: &[u8], first: &serde_json::Error) -> StoreError {
    if let Err(e) = std::str::from_utf8(bytes) {
        return StoreError::Utf8 {
            path: path.to_owned(),
            offset: e.valid_up_to(),
        };
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return StoreError::Empty {
            path: path.to_owned(),
        };
    }
    if first.classify() != serde_json::error::Category::Data {
        return StoreError::syntax(path, first);
    }
    let is_object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !is_object {
        return match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Err(e) if e.classify() != serde_json::error::Category::Data => {
                StoreError::syntax(path, &e)
            }
            _ => StoreError::NotWorkspace {
                path: path.to_owned(),
                found: top_level_kind(bytes),
            },
        };
    }
    /// Only the two fields that decide whether to read on; the rest is skipped unparsed.
    #[derive(Deserialize)]
    struct Header {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<Header>(bytes) {
        Ok(h) => {
            if let Err(e) = check_header(path, h.format.as_ref(), h.version.as_ref()) {
                return e;
            }
        }
        Err(_) => {
            return StoreError::NotWorkspace {
                path: path.to_owned(),
                found: top_level_kind(bytes),
            };
        }
    }
    // A workspace with a field of the wrong shape: read again, tracking the field path.
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, Workspace>(&mut de) {
        Err(e) => StoreError::shape(path, e),
        Ok(_) => StoreError::syntax(path, first),
    }
}

/// `format` must be ours and `version` one this build reads.
fn check_header(
    path: &Path,
    format: Option<&serde_json::Value>,
    version: Option<&serde_json::Value>,
) -> Result<(), StoreError> {
    if format.and_then(|f| f.as_str()) != Some(FORMAT) {
        let found = match format {
            Some(value) => format!("\"format\": {value}"),
            None => "no \"format\" field".to_owned(),
        };
        return Err(StoreError::NotWorkspace {
            path: path.to_owned(),
            found,
        });
    }
    match version.and_then(|v| v.as_u64()) {
        Some(v) if v > VERSION => Err(StoreError::TooNew {
            path: path.to_owned(),
            version: v,
        }),
        Some(_) => Ok(()),
        None => Err(StoreError::Shape {
            path: path.to_owned(),
            field: "version".to_owned(),
            line: 0,
            column: 0,
            message: "expected a whole number".to_owned(),
        }),
    }
}

/// What a JSON document holds at its top level, for "not a workspace" messages.
fn top_level_kind(bytes: &[u8]) -> String {
    let kind = match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(b'{') => "an object of another shape",
        _ => "a number",
    };
    format!("the file holds {kind}")
}

fn check_unique_ids(path: &Path, workspace: &Workspace) -> Result<(), StoreError> {
    let mut seen = std::collections::HashMap::new();
    for (i, claim) in workspace.claims.iter().enumerate() {
        if let Some(first) = seen.insert(claim.id.as_str(), i) {
            return Err(StoreError::Shape {
                path: path.to_owned(),
                field: format!("claims[{i}].id"),
                line: 0,
                column: 0,
                message: format!(
                    "claim id \"{}\" is used twice (also claims[{first}])",
                    claim.id
                ),
            });
        }
    }
    Ok(())
}

/// The workspace as claimdesk writes it: pretty JSON, updates oldest first, final newline.
pub fn to_bytes(workspace: &Workspace) -> Result<Vec<u8>, StoreError> {
    to_bytes_through(workspace, workspace.journal_seq)
}

/// `to_bytes`, with the file holding the journal's entries through `journal_seq`.
pub(crate) fn to_bytes_through(
    workspace: &Workspace,
    journal_seq: u64,
) -> Result<Vec<u8>, StoreError> {
    /// The workspace's fields by reference, with the journal mark of this save.
    #[derive(serde::Serialize)]
    struct Saving<'a> {
        format: &'a str,
        version: u64,
        #[serde(skip_serializing_if = "is_zero")]
        journal_seq: u64,
        claims: &'a [crate::model::Claim],
        #[serde(flatten)]
        extra: &'a crate::model::Extra,
    }
    fn is_zero(n: &u64) -> bool {
        *n == 0
    }
    let mut sorted;
    let ws = if is_normalized(workspace) {
        workspace
    } else {
        sorted = workspace.clone();
        sorted.normalize();
        &sorted
    };
    let saving = Saving {
        format: &ws.format,
        version: ws.version,
        journal_seq,
        claims: &ws.claims,
        extra: &ws.extra,
    };
    let mut bytes = serde_json::to_vec_pretty(&saving).map_err(|e| StoreError::Encode {
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn is_normalized(workspace: &Workspace) -> bool {
    workspace.claims.iter().all(|c| {
        c.updates.windows(2).all(|w| w[0].at <= w[1].at)
            && c.follow_ups.windows(2).all(|w| w[0].date <= w[1].date)
    })
}

/// Writes the workspace atomically and durably.
pub fn save(path: &Path, workspace: &Workspace) -> Result<(), StoreError> {
    write_atomic(path, &to_bytes(workspace)?)
}

/// Replaces `path` with `bytes`: temporary file in the same folder, fsync, rename, fsync
/// of the folder. On any error the old file is untouched and the temporary file removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let io = |action: &'static str| {
        move |source| StoreError::Io {
            path: path.to_owned(),
            action,
            source,
        }
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".claimdesk-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        // The OS's words, without the name of a temporary file that never existed.
        // Said in the OS's words, without the name of a file that was never made.
        .map_err(|e| match fs::metadata(&dir) {
            Err(missing) => missing,
            Ok(_) => without_temp_name(e),
        })
        .map_err(io("create a temporary file beside"))?;
    tmp.write_all(bytes).map_err(io("write"))?;
    // Keep the workspace's permissions (a new file gets the usual rw-r--r--); failing to
    // is not worth losing the save.
    match fs::metadata(path) {
        Ok(meta) => {
            let _ = fs::set_permissions(tmp.path(), meta.permissions());
        }
        Err(_) => set_new_file_mode(tmp.path()),
    }
    tmp.as_file().sync_all().map_err(io("sync"))?;
    tmp.persist(path).map_err(|e| StoreError::Io {
        path: path.to_owned(),
        action: "replace",
        source: e.error,
    })?;
    sync_dir(&dir).map_err(io("sync the folder of"))?;
    Ok(())
}

/// The error without the name of the temporary file that could not be made.
fn without_temp_name(e: std::io::Error) -> std::io::Error {
    let text = e.to_string();
    match text.split_once(" at path \"") {
        Some((said, _)) => std::io::Error::new(e.kind(), said.to_owned()),
        None => e,
    }
}

#[cfg(unix)]
fn set_new_file_mode(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o644));
}

#[cfg(not(unix))]
fn set_new_file_mode(_path: &Path) {}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// The file a path names, through any symbolic links: the lock, the journal and the save
/// act on the real file, never on a link that a save would turn into a copy.
pub fn real_path(path: &Path) -> PathBuf {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return path.to_owned();
    }
    match fs::canonicalize(path) {
        Ok(real) => real,
        // A link to a file not made yet: where the link points.
        Err(_) => match fs::read_link(path) {
            Ok(target) => path
                .parent()
                .map_or(target.clone(), |dir| dir.join(&target)),
            Err(_) => path.to_owned(),
        },
    }
}

/// Writes an export to `path`: a regular file (or a link to one) is replaced atomically;
/// a FIFO, a device or a terminal (`/dev/stdout`) is written into as it is, never
/// replaced by a file.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let real = real_path(path);
    match fs::metadata(&real) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            let io = |action: &'static str| {
                let path = path.to_owned();
                move |source| StoreError::Io {
                    path,
                    action,
                    source,
                }
            };
            let mut out = fs::OpenOptions::new()
                .write(true)
                .open(&real)
                .map_err(io("open"))?;
            out.write_all(bytes).map_err(io("write"))?;
            out.flush().map_err(io("write"))
        }
        _ => write_atomic(&real, bytes),
    }
}

/// Where the workspace lives when no path is given.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "claimdesk").map(|d| d.data_dir().join("workspace.json"))
}
