//! One writer per workspace: `<workspace>.lock`, held with an OS file lock for as long as
//! the process lives (so a killed process never leaves it stuck), and naming its holder
//! (host, pid, since) for the next process that finds it taken.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{File, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Who holds a workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub host: String,
    pub pid: u32,
    pub since: DateTime<Utc>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "claimdesk on {} (pid {}) since {}",
            self.host,
            self.pid,
            self.since.format("%Y-%m-%d %H:%M UTC")
        )
    }
}

/// The held lock; released when dropped or when the process ends, however it ends.
#[derive(Debug)]
pub struct Lock {
    _file: File,
    path: PathBuf,
    /// This process made the lock file (it was not there before).
    created: bool,
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another process holds it (its holder, when the lock file says).
    Held(Option<Holder>),
    Io(io::Error),
}

impl Lock {
    /// Takes the lock beside `workspace`, or says who has it.
    /// The lock file is never followed through a link, and made no more open than the
    /// workspace.
    pub fn acquire(workspace: &Path) -> Result<Self, LockError> {
        let path = super::journal::sibling(workspace, "lock");
        let ws_meta = std::fs::metadata(workspace).ok();
        let mode = super::files::side_file_mode(ws_meta.as_ref());
        // A lock on a file no longer at the path (removed by its holder's failed open, or
        // by hand, meanwhile) locks nothing: taken again on the file that is there.
        let mut tries = 0;
        let (mut file, created) = loop {
            let (mut file, created) = super::files::open_side(&path, mode, false, ws_meta.as_ref())
                .map_err(LockError::Io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    return Err(LockError::Held(serde_json::from_str(&text).ok()));
                }
                Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
            tries += 1;
            if super::files::names(&path, &file) || tries == 5 {
                break (file, created);
            }
        };
        let holder = Holder {
            host: host_name(),
            pid: std::process::id(),
            since: Utc::now(),
        };
        let text =
            serde_json::to_string(&holder).map_err(|e| LockError::Io(io::Error::other(e)))?;
        file.set_len(0).map_err(LockError::Io)?;
        file.rewind().map_err(LockError::Io)?;
        file.write_all(text.as_bytes()).map_err(LockError::Io)?;
        file.sync_data().map_err(LockError::Io)?;
        Ok(Self {
            _file: file,
            path,
            created,
        })
    }

    /// Lets go of a lock taken for an open that failed: a lock file this process made is
    /// removed (while still held), so a failed open leaves nothing beside the file.
    pub fn discard(self) {
        if self.created {
            let _ = std::fs::remove_file(&self.path);
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the lock file this process holds is still the one at its path: removed or
    /// replaced (by hand), it keeps no second writer out, and nothing may be written.
    pub fn still_held(&self) -> bool {
        super::files::names(&self.path, &self._file)
    }
}

/// This machine's name, as well as the platform tells it.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this machine".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_learns_who_holds_it() {
        let dir = tempfile::tempdir().expect("dir");
        let ws = dir.path().join("w.json");
        let first = Lock::acquire(&ws).expect("first");
        match Lock::acquire(&ws) {
            Err(LockError::Held(Some(h))) => assert_eq!(h.pid, std::process::id()),
            other => panic!("expected held, got {other:?}"),
        }
        drop(first);
        assert!(Lock::acquire(&ws).is_ok(), "released on drop");
    }
}
