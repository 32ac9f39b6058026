//! Loading and saving the workspace file: the only code that reads or writes it.
//!
//! A load reads the file once, checks `format` and `version` before anything else, then
//! maps every JSON or shape error to its path, line, column and field. A save writes a
//! temporary file in the same folder, syncs it, renames it over the workspace and syncs
//! the folder, so the file on disk is always either the old or the new content.

mod disk;
mod error;
pub mod journal;
pub mod lock;

pub use disk::{Access, Disk, OpenError, Opened, SaveError, recover};
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
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(StoreError::Utf8 {
            path: path.to_owned(),
            offset: e.valid_up_to(),
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(StoreError::Empty {
            path: path.to_owned(),
        });
    }

    /// Only the two fields that decide whether to read on; the rest is skipped unparsed.
    #[derive(Deserialize)]
    struct Header {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Err(e) if e.classify() != serde_json::error::Category::Data => {
                    StoreError::syntax(path, &e)
                }
                _ => StoreError::NotWorkspace {
                    path: path.to_owned(),
                    found: top_level_kind(bytes),
                },
            },
        );
    }
    let header: Header = match serde_json::from_slice(bytes) {
        Ok(header) => header,
        Err(e) if e.classify() == serde_json::error::Category::Data => {
            return Err(StoreError::NotWorkspace {
                path: path.to_owned(),
                found: top_level_kind(bytes),
            });
        }
        Err(e) => return Err(StoreError::syntax(path, &e)),
    };
    match header.format.as_ref().and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        _ => {
            let found = match &header.format {
                Some(value) => format!("\"format\": {value}"),
                None => "no \"format\" field".to_owned(),
            };
            return Err(StoreError::NotWorkspace {
                path: path.to_owned(),
                found,
            });
        }
    }
    match header.version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if v > VERSION => {
            return Err(StoreError::TooNew {
                path: path.to_owned(),
                version: v,
            });
        }
        Some(_) => {}
        None => {
            return Err(StoreError::Shape {
                path: path.to_owned(),
                field: "version".to_owned(),
                line: 0,
                column: 0,
                message: "expected a whole number".to_owned(),
            });
        }
    }

    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut workspace: Workspace =
        serde_path_to_error::deserialize(&mut de).map_err(|e| StoreError::shape(path, e))?;
    check_unique_ids(path, &workspace)?;
    workspace.normalize();
    Ok(workspace)
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
pub fn to_bytes(workspace: &Workspace) -> Vec<u8> {
    let mut sorted;
    let ws = if is_normalized(workspace) {
        workspace
    } else {
        sorted = workspace.clone();
        sorted.normalize();
        &sorted
    };
    // Serializing plain data with string keys cannot fail.
    let mut bytes = serde_json::to_vec_pretty(ws).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn is_normalized(workspace: &Workspace) -> bool {
    workspace.claims.iter().all(|c| {
        c.updates.windows(2).all(|w| w[0].at <= w[1].at)
            && c.follow_ups.windows(2).all(|w| w[0].date <= w[1].date)
    })
}

/// Writes the workspace atomically and durably.
pub fn save(path: &Path, workspace: &Workspace) -> Result<(), StoreError> {
    write_atomic(path, &to_bytes(workspace))
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

/// Where the workspace lives when no path is given.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "claimdesk").map(|d| d.data_dir().join("workspace.json"))
}
