//! The workspace on disk for a session: the writer lock, the journal, the `.bak` of the
//! previous version, and what the file looked like when last read or written — so a save
//! never overwrites a file someone else changed.

use super::journal::{self, Journal};
use super::load::{Loaded, content_hash, content_hash_of, legacy_hash, read_path};
use super::lock::{Holder, Lock, LockError};
use super::{StoreError, files, load, write_atomic};
use crate::model::{Edit, Workspace, edit};
use chrono::Utc;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// What a file looked like: its metadata (`Stat`), cheap to compare, and its content's
/// hash, which decides whenever the metadata differs (so a `touch` is not taken for a
/// change) and before every save replaces the file (so a change whose times were put
/// back is not overwritten).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    stat: Stat,
    hash: u64,
}

impl Fingerprint {
    /// What a journal started on this file records of it.
    fn base(&self) -> String {
        format!("{}:{:016x}", self.stat.len, self.hash)
    }

    fn of(loaded: &Loaded) -> Self {
        Self {
            stat: Stat {
                len: loaded.len,
                modified: loaded.modified,
                changed: loaded.changed,
                id: loaded.file_id,
            },
            hash: loaded.hash,
        }
    }
}

/// The fingerprint of the file at `path` just written with `parts`, whose hash is `hash`.
fn fingerprint(path: &Path, parts: &[&[u8]], hash: u64) -> Fingerprint {
    let len = parts.iter().map(|p| p.len() as u64).sum();
    Fingerprint {
        stat: Stat::of(path).map_or(
            Stat {
                len,
                modified: None,
                changed: None,
                id: None,
            },
            |s| Stat { len, ..s },
        ),
        hash,
    }
}

/// How a session may use the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Take the lock, journal every edit, save.
    Write,
    /// No lock, no journal, no saves.
    ReadOnly,
}

/// Why a workspace could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "{}: the workspace is open in {}. Close it there, or open it read-only with --read-only",
        path.display(),
        holder.as_ref().map_or("another claimdesk".to_owned(), |h| h.to_string())
    )]
    Locked {
        path: PathBuf,
        holder: Option<Holder>,
    },
    #[error(
        "{}: cannot take the writer lock ({source}); open the workspace read-only with --read-only",
        path.display()
    )]
    NoLock {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{}: the file has {links} names (hard links); a save would replace only this one and leave the others behind. Open a copy (cp), or open it with --read-only",
        path.display()
    )]
    HardLinked { path: PathBuf, links: u64 },
    #[error(
        "{}: this journal belongs to another workspace ({entries} edit(s)); it was not replayed. Move it aside (for example mv {0} {0}.other), then open the workspace again",
        journal.display(),
        entries = entries
    )]
    ForeignJournal { journal: PathBuf, entries: usize },
    #[error(
        "{}: the file holds edits up to #{holds}, but its journal goes on from #{continues}: it is an older version than claimdesk last saved (put back by git, a backup or a copy?), and the edits in between are not in it. Run `claimdesk recover` to rebuild every edit from {}.bak and the journal (this file is kept as a .damaged copy), or put the newer version back",
        path.display(),
        path.display()
    )]
    OlderThanJournal {
        path: PathBuf,
        holds: u64,
        continues: u64,
    },
    #[error("{}: the workspace loads fine; nothing to recover", .0.display())]
    NothingToRecover(PathBuf),
    #[error("{}: not recovered, nothing was written: {why}", path.display())]
    Unrecoverable { path: PathBuf, why: String },
    #[error("{}: cannot {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: io::Error,
    },
}

/// Why a save did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{} changed on disk since claimdesk read it; not overwritten", .0.display())]
    ChangedOnDisk(PathBuf),
    #[error("opened read-only; nothing is saved")]
    ReadOnly,
    #[error("{}", lock_lost(.0))]
    LockLost(PathBuf),
}

/// Why nothing is written once the lock file is gone.
fn lock_lost(lock: &Path) -> String {
    format!(
        "{}: the writer lock file was removed or replaced, so another claimdesk may be writing; nothing more is written to the workspace or its journal. Quit and open it again to take the lock back (edits shown as in memory only are lost then)",
        lock.display()
    )
}

/// A workspace opened for a session.
#[derive(Debug)]
pub struct Opened {
    pub workspace: Workspace,
    pub disk: Disk,
    /// Journal entries replayed on top of the file (edits a crash kept from the file).
    pub recovered: usize,
    /// What the journal could not replay, and anything else worth saying.
    pub notes: Vec<String>,
    pub created_from_sample: bool,
}

/// The session's handle on its workspace file.
#[derive(Debug)]
pub struct Disk {
    path: PathBuf,
    _lock: Option<Lock>,
    journal: Option<Journal>,
    known: Option<Fingerprint>,
    /// The last journal entry the file holds, as claimdesk last read or wrote it.
    saved_seq: u64,
    /// The id every save writes into the file, and its journal's header carries.
    workspace_id: String,
    /// The mode side files get (no more open than the workspace).
    side_mode: u32,
}

impl Disk {
    /// Opens `path`: takes the lock (for writing), reads and checks the file, and replays
    /// the journal's edits that the file does not hold yet. A missing file is created from
    /// `sample` when one is given.
    pub fn open(path: &Path, access: Access, sample: Option<&str>) -> Result<Opened, OpenError> {
        Self::open_with_progress(path, access, sample, |_| {})
    }

    /// `open`, telling `progress` how many bytes of the file were read so far.
    pub fn open_with_progress(
        path: &Path,
        access: Access,
        sample: Option<&str>,
        progress: impl FnMut(u64),
    ) -> Result<Opened, OpenError> {
        let make_from_sample = sample.filter(|_| !path.exists());
        // A first run: the folder the sample goes in may not exist yet, and the lock
        // beside the workspace cannot be taken before it does.
        if make_from_sample.is_some()
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            fs::create_dir_all(dir).map_err(|source| OpenError::Io {
                path: dir.to_owned(),
                action: "create the folder",
                source,
            })?;
        }
        if make_from_sample.is_none() {
            match fs::metadata(path) {
                // Named explicitly and not there: say so, and leave no lock file behind.
                Err(source) => {
                    return Err(OpenError::Store(StoreError::Io {
                        path: path.to_owned(),
                        action: "read",
                        source,
                    }));
                }
                // A FIFO or a device would be read forever.
                Ok(meta) if !meta.is_file() && !meta.is_dir() => {
                    return Err(OpenError::Store(StoreError::NotAFile {
                        path: path.to_owned(),
                    }));
                }
                Ok(meta) if access == Access::Write => check_writable(path, &meta)?,
                Ok(_) => {}
            }
        }
        let lock = match access {
            Access::Write => Some(take_lock(path)?),
            Access::ReadOnly => None,
        };
        match Self::open_locked(path, access, lock, make_from_sample, progress) {
            Ok(opened) => Ok(opened),
            Err((e, lock)) => {
                if let Some(lock) = lock {
                    lock.discard();
                }
                Err(e)
            }
        }
    }

    /// The rest of `open_with_progress`, under the lock (when writing). On failure the
    /// lock is handed back, to be let go of.
    fn open_locked(
        path: &Path,
        access: Access,
        lock: Option<Lock>,
        make_from_sample: Option<&str>,
        progress: impl FnMut(u64),
    ) -> Result<Opened, (OpenError, Option<Lock>)> {
        match Self::read_and_replay(path, access, make_from_sample, progress) {
            Ok(mut opened) => {
                opened.disk._lock = lock;
                Ok(opened)
            }
            Err(e) => Err((e, lock)),
        }
    }

    /// Reads the file (made from the sample first when asked), replays the journal, and
    /// opens the journal for appending when writing; the lock is the caller's.
    fn read_and_replay(
        path: &Path,
        access: Access,
        make_from_sample: Option<&str>,
        progress: impl FnMut(u64),
    ) -> Result<Opened, OpenError> {
        let mut created_from_sample = false;
        // Checked again under the lock: another first run may have made it meanwhile.
        if let Some(sample) = make_from_sample
            && !path.exists()
        {
            write_atomic(path, sample.as_bytes())?;
            created_from_sample = true;
        }
        let loaded = read_path(path, progress)?;
        let fingerprint = Fingerprint::of(&loaded);
        let legacy = legacy_base(&loaded);
        let mut workspace = loaded.workspace;
        let meta = fs::metadata(path).ok();
        let side_mode = files::side_file_mode(meta.as_ref());
        let mut notes = Vec::new();
        if access == Access::Write {
            let removed = remove_stale_temp_files(path);
            if removed > 0 {
                notes.push(format!(
                    "removed {} left by an interrupted save",
                    crate::model::text::count(removed, "temporary file")
                ));
            }
        }

        let journal_path = journal::path_for(path);
        let read = journal::read(&journal_path).map_err(|source| OpenError::Io {
            path: journal_path.clone(),
            action: "read the journal",
            source,
        })?;
        let base = fingerprint.base();
        let mut belongs = journal_belongs(read.header.as_ref(), &workspace, &base, legacy);
        // A file claimdesk never saved (no id yet) knows its journal by the content it was
        // started on; edited since (a verdict journaled, the app killed before its first
        // save, then the file changed outside), it is still the journal's: its edits go on
        // top of the file as it is now, and that is said. A journal that names an id, or
        // no content, beside a file without one is another workspace's.
        if !belongs
            && workspace.workspace_id.is_none()
            && read.header.as_ref().is_some_and(|h| h.base.is_some())
            && !read.entries.is_empty()
        {
            belongs = true;
            notes.push(format!(
                "{} changed since its journal was started (before its first save): the journal's {} go on top of it as it is now",
                path.display(),
                crate::model::text::count(read.entries.len(), "edit")
            ));
        }
        let entries = if belongs {
            read.entries
        } else {
            if !read.entries.is_empty() {
                if access == Access::Write {
                    return Err(OpenError::ForeignJournal {
                        journal: journal_path,
                        entries: read.entries.len(),
                    });
                }
                notes.push(format!(
                    "{} belongs to another workspace; not replayed",
                    journal_path.display()
                ));
            }
            Vec::new()
        };
        // (An unreadable line may be the missing one: that case is said below.)
        let gap = journal_gap(&workspace, &entries).filter(|_| read.bad_lines.is_empty());
        if let Some(continues) = gap {
            let holds = workspace.journal_seq;
            if access == Access::Write {
                return Err(OpenError::OlderThanJournal {
                    path: path.to_owned(),
                    holds,
                    continues,
                });
            }
            notes.push(format!(
                "the file holds edits up to #{holds} but its journal goes on from #{continues}: an older version; `claimdesk recover` rebuilds the edits in between"
            ));
        }
        // Entries the file should hold but, replaced since claimdesk saved it, may not.
        let (again, stale_notes) = uncovered(
            path,
            &mut workspace,
            read.header.as_ref().filter(|_| belongs),
            &fingerprint,
            &entries,
        );
        let stale = !stale_notes.is_empty();
        notes.extend(stale_notes);
        let (recovered, replay_notes, failed) = replay(&mut workspace, &entries);
        notes.extend(replay_notes);
        notes.extend(failed);
        if read.torn_tail {
            notes.push("the journal's last entry was cut short by a crash and was skipped".into());
        }
        for (line, e) in &read.bad_lines {
            notes.push(format!(
                "{}:{line}: unreadable journal entry ({e}); the entries around it were applied",
                journal_path.display()
            ));
        }
        if !read.bad_lines.is_empty() && access == Access::Write {
            // Never deleted: the journal as it was is kept beside it, and goes on with the
            // entries that could be read.
            let aside = journal::set_aside_damaged(&journal_path, side_mode).map_err(|source| {
                OpenError::Io {
                    path: journal_path.clone(),
                    action: "keep aside the damaged journal",
                    source,
                }
            })?;
            notes.push(format!(
                "the journal as it was is kept as {}",
                aside.display()
            ));
        }
        // The highest number used, wherever its line stands.
        let last_seq = entries
            .iter()
            .map(|e| e.seq)
            .fold(workspace.journal_seq, u64::max);
        // The workspace's id: its own, else the one its journal gave it before the file
        // was first saved with it, else a new one.
        let workspace_id = workspace
            .workspace_id
            .clone()
            .or_else(|| {
                read.header
                    .as_ref()
                    .filter(|_| belongs)
                    .map(|h| h.workspace_id.clone())
            })
            .unwrap_or_else(new_workspace_id);
        // The file the journal was started on stays named while it may be `.bak`, the
        // file `recover` replays the journal onto, which may have no id yet.
        let header_base = match &workspace.workspace_id {
            None => Some(base),
            Some(_) => read
                .header
                .as_ref()
                .filter(|_| belongs)
                .and_then(|h| h.base.clone()),
        };
        let mut header = journal::Header::new(&workspace_id, header_base);
        if let Some(h) = read.header.as_ref().filter(|_| belongs) {
            header.bak.clone_from(&h.bak);
            header.saved_seq = h.saved_seq;
        }
        // The journal goes on from this file now (any entry it did not hold was said and
        // applied again above).
        header.saved = Some(fingerprint.base());
        workspace.workspace_id = Some(workspace_id.clone());
        let journal_error = |source| OpenError::Io {
            path: journal_path.clone(),
            action: "open the journal",
            source,
        };
        let journal = match access {
            Access::Write => {
                if stale {
                    // The journal as it was, kept whole, before anything is dropped.
                    let aside = journal::set_aside_damaged(&journal_path, side_mode)
                        .map_err(journal_error)?;
                    notes.push(format!(
                        "the journal as it was is kept as {}",
                        aside.display()
                    ));
                }
                let mut journal =
                    Journal::open(&journal_path, header, entries, last_seq, side_mode)
                        .map_err(journal_error)?;
                // Applied again above: journaled anew, after what the file holds.
                for (at, edit) in &again {
                    journal.append(edit, *at).map_err(journal_error)?;
                }
                Some(journal)
            }
            Access::ReadOnly => None,
        };
        let recovered = recovered + again.len();
        let saved_seq = workspace.journal_seq;
        Ok(Opened {
            workspace,
            disk: Disk {
                path: path.to_owned(),
                _lock: None,
                journal,
                known: Some(fingerprint),
                saved_seq,
                workspace_id,
                side_mode,
            },
            recovered,
            notes,
            created_from_sample,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn read_only(&self) -> bool {
        self.journal.is_none()
    }

    /// Makes an edit durable: appended to the journal and synced before this returns.
    pub fn record(&mut self, edit: &Edit) -> io::Result<()> {
        if let Err(lock) = self.keep_lock() {
            return Err(io::Error::other(lock_lost(&lock)));
        }
        match &mut self.journal {
            Some(j) => j.append(edit, Utc::now()).map(|_| ()),
            None => Ok(()),
        }
    }

    /// The writer lock, still this session's: when its file went away (the folder
    /// deleted and made again, or the file removed by hand) and the workspace is as this
    /// session knows it, it is taken again; when another claimdesk may have written
    /// meanwhile (the file changed, or a new lock is held), it is lost: the lock file's
    /// path is returned.
    fn keep_lock(&mut self) -> Result<(), PathBuf> {
        let Some(lock) = &self._lock else {
            return Ok(());
        };
        if lock.still_held() {
            return Ok(());
        }
        let lock_path = lock.path().to_owned();
        if self.changed_on_disk() {
            return Err(lock_path);
        }
        match Lock::acquire(&self.path) {
            Ok(again) => {
                self._lock = Some(again);
                Ok(())
            }
            Err(_) => Err(lock_path),
        }
    }

    /// Folds everything into the workspace file: keeps the previous version as `.bak`,
    /// writes atomically, then empties the journal. Refuses if the file changed on disk.
    /// Returns what the reviewer should know of a save that went through: the `.bak`
    /// that could not be kept (see `finish_save`).
    pub fn save(&mut self, workspace: &Workspace) -> Result<Option<String>, SaveError> {
        let job = self.prepare_save()?;
        let done = job.run(workspace)?;
        Ok(self.finish_save(done))
    }

    /// The checks before a save (read-only, outside change), and what the save needs to
    /// run on another thread: see `SaveJob::run` and `finish_save`.
    pub fn prepare_save(&mut self) -> Result<SaveJob, SaveError> {
        if self.journal.is_none() {
            return Err(SaveError::ReadOnly);
        }
        self.keep_lock().map_err(SaveError::LockLost)?;
        let Some(journal) = &self.journal else {
            return Err(SaveError::ReadOnly);
        };
        if self.changed_on_disk() {
            return Err(SaveError::ChangedOnDisk(self.path.clone()));
        }
        Ok(SaveJob {
            path: self.path.clone(),
            seq: journal.last_seq(),
            known: self.known.clone(),
            workspace_id: self.workspace_id.clone(),
            side_mode: self.side_mode,
        })
    }

    /// Takes in a finished save: what the file is now, and the journal entries it holds.
    /// Returns a warning when the previous version could not be kept as `.bak`.
    pub fn finish_save(&mut self, done: SaveDone) -> Option<String> {
        if done.path != self.path {
            return None;
        }
        let saved = done.fingerprint.base();
        let before = self.known.replace(done.fingerprint).map(|k| k.base());
        let warning = done.backup.as_ref().err().map(|why| {
            format!(
                "saved, but the version before could not be kept as .bak ({why}); the journal keeps every edit until it can be"
            )
        });
        if let Some(j) = &mut self.journal {
            // Everything up to done.seq is in the file now, and `.bak` provably holds
            // everything up to the save before (it was checked to be that file): only the
            // entries that save folded in can go, and none when `.bak` could not be kept.
            // This save's stay until the next one, so `.bak` and the journal together
            // always hold every edit (what `recover` rebuilds from). Failing to drop them
            // loses nothing: they are numbered at or below the file's journal_seq.
            let bak = match (&done.backup, before) {
                (Ok(()), Some(before)) => Some((before, self.saved_seq)),
                _ => None,
            };
            let _ = j.saved((saved, done.seq), bak);
        }
        self.saved_seq = done.seq;
        warning
    }

    /// Saves to another path (after an outside change, to keep both versions). The
    /// session goes on with the new file.
    pub fn save_as(&mut self, path: &Path, workspace: &Workspace) -> Result<(), OpenError> {
        if fs::symlink_metadata(path).is_ok() {
            return Err(OpenError::Io {
                path: path.to_owned(),
                action: "save as",
                source: io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "a file of that name exists already; choose another name",
                ),
            });
        }
        let lock = take_lock(path)?;
        let journal_path = journal::path_for(path);
        let seq = self
            .journal
            .as_ref()
            .map_or(workspace.journal_seq, Journal::last_seq);
        let header = journal::Header::new(&self.workspace_id, None);
        let journal = Journal::open(&journal_path, header, Vec::new(), seq, self.side_mode)
            .map_err(|source| OpenError::Io {
                path: journal_path,
                action: "open the journal",
                source,
            })?;
        let encoded = super::encode(workspace, seq, Some(&self.workspace_id))?;
        super::replace(path, &encoded.parts(), None, None, || Ok(()))?;
        if let Some(old) = &mut self.journal {
            // The old file keeps what its `.bak` needs; the rest went to the new file.
            let _ = old.retain_through(self.saved_seq);
        }
        *self = Disk {
            path: path.to_owned(),
            _lock: Some(lock),
            journal: Some(journal),
            known: Some(fingerprint(
                path,
                &encoded.parts(),
                content_hash_of(&encoded.parts()),
            )),
            saved_seq: seq,
            workspace_id: self.workspace_id.clone(),
            side_mode: self.side_mode,
        };
        Ok(())
    }

    /// Reads the file again (after an outside change). Returns the workspace as the file
    /// holds it and the edits not yet in it — the journal's — for the app to re-apply on
    /// top, through the same path as every edit.
    pub fn reload(&mut self) -> Result<(Workspace, Vec<Edit>), StoreError> {
        let loaded = read_path(&self.path, |_| {})?;
        self.known = Some(Fingerprint::of(&loaded));
        let mut workspace = loaded.workspace;
        if workspace.workspace_id.is_none() {
            workspace.workspace_id = Some(self.workspace_id.clone());
        }
        let edits = match &self.journal {
            Some(j) => j.entries().to_vec(),
            None => Vec::new(),
        };
        // The edits claimdesk had not saved yet; those it had are in the file it wrote.
        let saved = self.saved_seq;
        Ok((
            workspace,
            edits
                .into_iter()
                .filter(|e| e.seq > saved)
                .map(|e| e.edit)
                .collect(),
        ))
    }

    /// Drops the edits not yet saved (the user chose to quit without saving).
    pub fn discard_unsaved(&mut self) -> io::Result<()> {
        match &mut self.journal {
            Some(j) => j.retain_through(self.saved_seq),
            None => Ok(()),
        }
    }

    /// Has the file changed since it was read or written?
    fn changed_on_disk(&self) -> bool {
        changed_since(&self.path, self.known.as_ref())
    }
}

/// Has the file at `path` changed from `known`? Its metadata first (length, times, which
/// file); the content decides when that differs (so a `touch` is not taken for a change).
fn changed_since(path: &Path, known: Option<&Fingerprint>) -> bool {
    let Some(known) = known else {
        return false;
    };
    let Some(now) = Stat::of(path) else {
        // Gone (a folder removed): writing it anew overwrites nobody's work.
        return false;
    };
    now != known.stat && content_differs(path, known)
}

/// A file's metadata as a save compares it: length, modification and inode change times,
/// which file it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stat {
    len: u64,
    modified: Option<SystemTime>,
    changed: Option<(i64, i64)>,
    id: Option<(u64, u64)>,
}

impl Stat {
    fn of(path: &Path) -> Option<Self> {
        fs::metadata(path).ok().map(|m| Self {
            len: m.len(),
            modified: m.modified().ok(),
            changed: super::load::changed_time(&m),
            id: super::load::file_id(&m),
        })
    }
}

/// Does the file at `path` hold other bytes than `known` says, whatever its metadata?
/// Read and hashed whole (a gone or unreadable file differs from nothing).
fn content_differs(path: &Path, known: &Fingerprint) -> bool {
    match fs::metadata(path) {
        Err(_) => false,
        Ok(meta) if meta.len() != known.stat.len => true,
        Ok(_) => match super::load::content_hash_of_file(path) {
            Ok((len, hash)) => len != known.stat.len || hash != known.hash,
            Err(_) => false,
        },
    }
}

/// A workspace opened for writing must be writable and have one name.
fn check_writable(path: &Path, meta: &fs::Metadata) -> Result<(), OpenError> {
    // Writable by this user, not merely by someone: a file of another user's in a folder
    // anyone may write to is theirs to change, and replacing it would make it this
    // user's. (Opened for writing and closed at once: nothing about it changes.)
    let for_me = fs::OpenOptions::new().write(true).open(path);
    if meta.permissions().readonly()
        || for_me.is_err_and(|e| e.kind() == io::ErrorKind::PermissionDenied)
    {
        return Err(OpenError::Store(StoreError::WriteProtected {
            path: path.to_owned(),
        }));
    }
    let links = files::links(meta);
    // Other names that are our own `.bak` (or the link it is made from): a save killed
    // between making the backup link and the rename of the new file.
    let own = ["bak", "bak.tmp"]
        .iter()
        .filter(|ext| {
            fs::symlink_metadata(journal::sibling(path, ext))
                .is_ok_and(|b| files::same_file(&b, meta))
        })
        .count() as u64;
    if links > 1 + own {
        return Err(OpenError::HardLinked {
            path: path.to_owned(),
            links,
        });
    }
    Ok(())
}

/// Whether a journal with this header was written for this workspace: the same id, or
/// (a workspace not saved since it got its id) started on this very file. A journal of
/// an earlier version, without a header, is taken as the workspace's own.
fn journal_belongs(
    header: Option<&journal::Header>,
    workspace: &Workspace,
    base: &str,
    legacy_base: impl FnOnce() -> String,
) -> bool {
    match (header, &workspace.workspace_id) {
        (None, _) => true,
        (Some(h), Some(id)) => h.workspace_id == *id,
        (Some(h), None) => {
            h.base.as_deref() == Some(base) || h.base.as_deref() == Some(&legacy_base())
        }
    }
}

/// What a journal started by claimdesk 0.1 recorded of the file: its hash had one lane.
fn legacy_base(file: &Loaded) -> impl FnOnce() -> String + use<> {
    use crate::model::body::Bytes;
    let (len, source) = (file.len, Arc::clone(&file.source));
    move || format!("{len}:{:016x}", legacy_hash(source.bytes()))
}

/// A new random workspace id: 16 hex digits.
pub(crate) fn new_workspace_id() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 8];
    let random = fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if random.is_err() {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mixed = content_hash(format!("{nanos}:{}", std::process::id()).as_bytes());
        bytes = mixed.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Removes the temporary files an interrupted save of `path` left (only this workspace's:
/// the caller holds its lock). Returns how many.
pub(crate) fn remove_stale_temp_files(path: &Path) -> usize {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let (prefix, suffix) = super::temp_affixes(path);
    let (journal_prefix, _) = super::temp_affixes(&journal::path_for(path));
    let bak_tmp = journal::sibling(path, "bak.tmp");
    let Ok(listing) = fs::read_dir(&dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in listing.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = ((name.starts_with(&prefix) || name.starts_with(&journal_prefix))
            && name.ends_with(suffix))
            || entry.path() == bak_tmp;
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if ours && is_file && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The writer lock of `path`, or who holds it.
fn take_lock(path: &Path) -> Result<Lock, OpenError> {
    Lock::acquire(path).map_err(|e| match e {
        LockError::Held(holder) => OpenError::Locked {
            path: path.to_owned(),
            holder,
        },
        LockError::Io(source) => OpenError::NoLock {
            path: journal::sibling(path, "lock"),
            source,
        },
    })
}

/// A save that may run on another thread: the file and the journal entries it covers.
#[derive(Debug, Clone)]
pub struct SaveJob {
    path: PathBuf,
    seq: u64,
    /// The file as the session last read or wrote it: checked again right before the
    /// rename, so an outside change made while the save ran is not overwritten.
    known: Option<Fingerprint>,
    workspace_id: String,
    side_mode: u32,
}

/// A finished save.
#[derive(Debug, Clone)]
pub struct SaveDone {
    path: PathBuf,
    seq: u64,
    fingerprint: Fingerprint,
    /// Whether the file before it was kept as `.bak` (and if not, why).
    backup: Result<(), String>,
}

impl SaveJob {
    /// Writes `workspace` (keeping the previous version as `.bak`), atomically.
    pub fn run(self, workspace: &Workspace) -> Result<SaveDone, SaveError> {
        let encoded = super::encode(workspace, self.seq, Some(&self.workspace_id))?;
        let parts = encoded.parts();
        let path = &self.path;
        let known = self.known.as_ref();
        if changed_since(path, known) {
            return Err(SaveError::ChangedOnDisk(path.clone()));
        }
        let like = fs::metadata(path).ok();
        let then = Stat::of(path);
        let backup = std::cell::RefCell::new(Err("the save did not get as far".to_owned()));
        let changed = || StoreError::ChangedWhileSaving { path: path.clone() };
        // The new file is written and synced while its hash is taken on another core;
        // then it is swapped with the file in one step, and the file it displaced — now
        // out of everyone's way — must hold the bytes claimdesk read or last wrote, by
        // content: else it is swapped back (see `store::replace_exchanging`). So an
        // outside change made at any moment before the swap, in place with its times put
        // back or by another file put there, is never overwritten. The displaced file,
        // checked, becomes `.bak`; a save that fails (a full disk) leaves every file as
        // it was.
        let (written, hash) = std::thread::scope(|scope| {
            let hasher = scope.spawn(|| content_hash_of(&parts));
            let before = || match known.is_some() && Stat::of(path) != then {
                true => Err(changed()),
                false => Ok(()),
            };
            let judge = |displaced: &Path| {
                // The same file as at the start (a rename moves its change time, so not
                // that), holding the same bytes.
                let but_ctime = |s: Option<Stat>| s.map(|s| Stat { changed: None, ..s });
                let kept = but_ctime(Stat::of(displaced)) == but_ctime(then)
                    && known.is_none_or(|k| !content_differs(displaced, k));
                if kept {
                    super::Displaced::Keep
                } else {
                    super::Displaced::Restore
                }
            };
            let keep = |displaced: &Path| *backup.borrow_mut() = keep_displaced(path, displaced);
            // No swap here: the checks run right before a plain rename, by content.
            let fallback = || {
                if known.is_some_and(|k| content_differs(path, k))
                    || (known.is_some() && Stat::of(path) != then)
                {
                    return Err(changed());
                }
                *backup.borrow_mut() = keep_backup(path, self.side_mode, known);
                let but_ctime = |s: Option<Stat>| s.map(|s| Stat { changed: None, ..s });
                if known.is_some() && but_ctime(Stat::of(path)) != but_ctime(then) {
                    return Err(changed());
                }
                Ok(())
            };
            let written = super::replace_exchanging(
                path,
                &parts,
                like.as_ref(),
                before,
                judge,
                keep,
                fallback,
            );
            (
                written,
                hasher.join().unwrap_or_else(|_| content_hash_of(&parts)),
            )
        });
        match written {
            Err(StoreError::ChangedWhileSaving { path }) => {
                return Err(SaveError::ChangedOnDisk(path));
            }
            other => other?,
        }
        let fingerprint = fingerprint(&self.path, &parts, hash);
        Ok(SaveDone {
            path: self.path,
            seq: self.seq,
            fingerprint,
            backup: backup.into_inner(),
        })
    }
}

/// Where the journal goes on from, when that is past the edit after the file's last: the
/// file is older than the one the journal's entries were kept for (each save keeps its
/// own entries until the next, so the journal always starts right after what the file
/// it was kept beside holds, or before).
fn journal_gap(workspace: &Workspace, entries: &[journal::Entry]) -> Option<u64> {
    let first = entries.iter().map(|e| e.seq).min()?;
    (first > workspace.journal_seq.saturating_add(1)).then_some(first)
}

/// The entries numbered after `from` up to the highest of `to` and the journal's own that
/// the journal does not hold, in words (`#3, #5 to #7`); empty when none is missing.
fn missing_entries(from: u64, to: u64, entries: &[journal::Entry]) -> String {
    let have: std::collections::BTreeSet<u64> = entries.iter().map(|e| e.seq).collect();
    let last = have.last().copied().unwrap_or(0).max(to);
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for n in from.saturating_add(1)..=last {
        if have.contains(&n) {
            continue;
        }
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => runs.push((n, n)),
        }
    }
    runs.iter()
        .map(|&(a, b)| match a == b {
            true => format!("#{a}"),
            false => format!("#{a} to #{b}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `journal_seq` a damaged workspace file says it holds, when the head of it (the
/// frame before its claims) still reads.
fn damaged_journal_seq(path: &Path) -> Option<u64> {
    use std::io::Read;
    let mut head = Vec::new();
    fs::File::open(path)
        .ok()?
        .take(64 << 10)
        .read_to_end(&mut head)
        .ok()?;
    let frame = match memchr::memmem::find(&head, b"\"claims\"") {
        Some(at) => &head[..at],
        None => &head[..],
    };
    let at = memchr::memmem::find(frame, b"\"journal_seq\"")? + b"\"journal_seq\"".len();
    let rest = std::str::from_utf8(&frame[at..]).ok()?;
    let digits: String = rest
        .trim_start_matches([' ', '\t', '\n', '\r', ':'])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The journal entries the file should hold (numbered up to its `journal_seq`) but may
/// not, because it is not the file claimdesk last saved (`Header::saved`; nor that save's
/// file with its journal not yet told, which `.bak` then is the one before of): another
/// copy synced over it, a restore, a checkout. A verdict it does not hold (and that no
/// later entry took back) is applied again and returned, with its time, to be journaled
/// anew; every other entry is named, as it cannot be checked. Nothing is ever skipped
/// without a word.
fn uncovered(
    path: &Path,
    workspace: &mut Workspace,
    header: Option<&journal::Header>,
    file: &Fingerprint,
    entries: &[journal::Entry],
) -> (Vec<(chrono::DateTime<Utc>, Edit)>, Vec<String>) {
    let (mut again, mut notes) = (Vec::new(), Vec::new());
    let Some(saved) = header.and_then(|h| h.saved.as_deref()) else {
        return (again, notes);
    };
    let held = workspace.journal_seq;
    let mut stale: Vec<&journal::Entry> = entries.iter().filter(|e| e.seq <= held).collect();
    if saved == file.base() || stale.is_empty() {
        return (again, notes);
    }
    let bak = journal::sibling(path, "bak");
    let bak_was_saved = super::load::content_hash_of_file(&bak)
        .is_ok_and(|(len, hash)| format!("{len}:{hash:016x}") == saved);
    if bak_was_saved {
        return (again, notes);
    }
    stale.sort_by_key(|e| e.seq);
    // The verdicts the file should hold: added, and not taken back later.
    let mut verdicts: Vec<(&journal::Entry, &str, &crate::model::Review)> = Vec::new();
    for e in &stale {
        for leaf in e.edit.leaves() {
            match leaf {
                Edit::AddReview { claim, review } => verdicts.push((e, claim, review)),
                Edit::RemoveLastReview { claim, review } => {
                    if let Some(i) = verdicts
                        .iter()
                        .rposition(|(_, c, r)| *c == claim.as_str() && *r == review)
                    {
                        verdicts.remove(i);
                    }
                }
                _ => notes.push(format!(
                    "journal entry {} ({}) may not be in this file, which was replaced since claimdesk saved it (another copy, a sync or a restore); it was not applied again",
                    e.seq,
                    leaf.describe()
                )),
            }
        }
    }
    for (e, claim, review) in verdicts {
        let short: String = claim.chars().take(6).collect();
        let Some(c) = workspace.claims.iter_mut().find(|c| c.id == claim) else {
            notes.push(format!(
                "journal entry {}: the verdict {} on claim {short} is not in this file, which was replaced since claimdesk saved it, and the claim is not in it either",
                e.seq, review.verdict
            ));
            continue;
        };
        if c.reviews.contains(review) {
            continue;
        }
        c.reviews.push(review.clone());
        notes.push(format!(
            "journal entry {}: the verdict {} on claim {short} by {} was not in this file, which was replaced since claimdesk saved it (another copy, a sync or a restore); recorded again",
            e.seq,
            review.verdict,
            crate::model::text::shown_name(&review.reviewer)
        ));
        again.push((
            e.at,
            Edit::AddReview {
                claim: claim.to_owned(),
                review: review.clone(),
            },
        ));
    }
    (again, notes)
}

/// Applies journal entries the workspace does not hold yet; returns how many applied, a
/// note for each line there twice, and one naming each edit that could not be made
/// again (an import's note, a verdict on a claim that is not there).
fn replay(
    workspace: &mut Workspace,
    entries: &[journal::Entry],
) -> (usize, Vec<String>, Vec<String>) {
    let mut applied = 0;
    let (mut notes, mut failed) = (Vec::new(), Vec::new());
    let folded = workspace.journal_seq;
    // In the order they were numbered, each once: a line copied or moved by hand is
    // never applied twice or out of turn.
    let mut pending: Vec<&journal::Entry> = entries.iter().filter(|e| e.seq > folded).collect();
    pending.sort_by_key(|e| e.seq);
    let mut last = folded;
    for e in pending {
        if e.seq == last {
            notes.push(format!(
                "journal entry {} is there twice; applied once",
                e.seq
            ));
            continue;
        }
        last = e.seq;
        match edit::apply(workspace, &e.edit) {
            Ok(_) => applied += 1,
            Err(err) => failed.push(format!(
                "journal entry {} ({}, {}): {} not re-applied: {err}",
                e.seq,
                e.at.format("%Y-%m-%d %H:%M UTC"),
                claim_of(workspace, &e.edit),
                e.edit.describe()
            )),
        }
    }
    (applied, notes, failed)
}

/// The claim an edit is on, as an entry names it: its id's start and title.
fn claim_of(workspace: &Workspace, edit: &Edit) -> String {
    let id = edit.claim_id();
    if id.is_empty() {
        return "no claim".to_owned();
    }
    let short: String = id.chars().take(6).collect();
    match workspace.claim(id) {
        Some(c) => format!(
            "claim {short} “{}”",
            crate::wrap::truncate(&crate::model::display_safe(&c.title), 40)
        ),
        None => format!("claim {short}, not in the file"),
    }
}

/// Makes the file a save displaced (at `displaced`, checked to be the one claimdesk read
/// or last wrote) the workspace's `.bak`, when what is at `.bak` may be replaced: nothing,
/// or a plain file of this user's (see `files::refuse_side`). Says why when it cannot.
fn keep_displaced(path: &Path, displaced: &Path) -> Result<(), String> {
    let bak = journal::sibling(path, "bak");
    if let Ok(there) = fs::symlink_metadata(&bak) {
        let workspace = fs::metadata(path).ok();
        let expect = files::Expect {
            workspace: workspace.as_ref(),
            twin: None,
        };
        files::refuse_side(&bak, &there, expect).map_err(|e| e.to_string())?;
    }
    let moved = fs::symlink_metadata(displaced).map_err(|e| e.to_string())?;
    fs::rename(displaced, &bak).map_err(|e| format!("cannot replace {}: {e}", bak.display()))?;
    match fs::symlink_metadata(&bak) {
        Ok(b) if files::same_file(&b, &moved) => Ok(()),
        Ok(_) => Err(format!("{} is not the file just kept", bak.display())),
        Err(e) => Err(format!("cannot read {}: {e}", bak.display())),
    }
}

/// Keeps the current file as `<workspace>.bak` (a hard link where the file system allows,
/// else a copy of the bytes `known` says it holds), replacing the previous one
/// atomically, and checks that it is: the same file, or a plain file of those bytes. A
/// backup that cannot be made never stops a save, but says why (and then the journal
/// drops nothing: see `Disk::finish_save`). With no file yet there is nothing to keep.
fn keep_backup(path: &Path, side_mode: u32, known: Option<&Fingerprint>) -> Result<(), String> {
    let Ok(old) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    let bak = journal::sibling(path, "bak");
    let tmp = journal::sibling(path, "bak.tmp");
    let made = (|| -> Result<bool, String> {
        if let Ok(there) = fs::symlink_metadata(&tmp)
            && !there.is_file()
        {
            return Err(format!(
                "{} is not a regular file; claimdesk left it as it is",
                tmp.display()
            ));
        }
        match fs::remove_file(&tmp) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(format!("cannot remove {}: {e}", tmp.display()));
            }
            _ => {}
        }
        if fs::hard_link(path, &tmp).is_ok() {
            return Ok(true);
        }
        // No second name here (a file system without hard links): a copy of the bytes
        // claimdesk read or last wrote, and nothing else.
        let bytes = fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if known.is_some_and(|k| content_hash(&bytes) != k.hash) {
            return Err(format!(
                "{} changed while it was being kept",
                path.display()
            ));
        }
        super::replace(&tmp, &[&bytes], None, Some(side_mode), || Ok(()))
            .map_err(|e| e.to_string())?;
        Ok(false)
    })();
    let linked = match made {
        Ok(linked) => linked,
        Err(why) => {
            let _ = fs::remove_file(&tmp);
            return Err(why);
        }
    };
    if let Err(e) = fs::rename(&tmp, &bak) {
        let _ = fs::remove_file(&tmp);
        return Err(format!("cannot replace {}: {e}", bak.display()));
    }
    // What is at `.bak` now: the very file (a link), or a plain file of its length.
    match fs::symlink_metadata(&bak) {
        Ok(b) if linked && files::same_file(&b, &old) => Ok(()),
        Ok(b) if !linked && b.is_file() && b.len() == old.len() => Ok(()),
        Ok(_) => Err(format!("{} is not the copy just made", bak.display())),
        Err(e) => Err(format!("cannot read {}: {e}", bak.display())),
    }
}

/// Rebuilds a workspace from its `.bak` and the journal, for a workspace file that no
/// longer loads; writes nothing. The safety net proves itself first: `.bak` must be a
/// plain file, of this workspace (its id, or for one without, the file the journal was
/// started on), the very version claimdesk kept (the journal names it), and the journal
/// must go on right after what it holds. Otherwise nothing is rebuilt and the error says
/// why. Returns the workspace, notes, and the edits that could not be made again (each
/// named: a rebuild that lost any is no success).
pub fn recover(path: &Path) -> Result<(Workspace, Vec<String>, Vec<String>), OpenError> {
    let bak = journal::sibling(path, "bak");
    let workspace_meta = fs::metadata(path).ok();
    let expect = files::Expect {
        workspace: workspace_meta.as_ref(),
        twin: workspace_meta.as_ref(),
    };
    let loaded = super::load::read_side_path(&bak, expect)?;
    let base = Fingerprint::of(&loaded).base();
    let legacy = legacy_base(&loaded);
    let mut workspace = loaded.workspace;
    let journal_path = journal::path_for(path);
    let read = journal::read(&journal_path).map_err(|source| OpenError::Io {
        path: journal_path.clone(),
        action: "read the journal",
        source,
    })?;
    let refuse = |why: String| OpenError::Unrecoverable {
        path: path.to_owned(),
        why,
    };
    if !journal_belongs(read.header.as_ref(), &workspace, &base, legacy) {
        return Err(refuse(format!(
            "{} is not this workspace's backup: it is workspace {}, the journal {}'s",
            bak.display(),
            workspace.workspace_id.as_deref().unwrap_or("without an id"),
            read.header
                .as_ref()
                .map_or("without an id", |h| h.workspace_id.as_str()),
        )));
    }
    if let Some(h) = &read.header {
        let kept = [h.bak.as_deref(), h.saved.as_deref()];
        if kept.iter().any(Option::is_some) && !kept.contains(&Some(base.as_str())) {
            return Err(refuse(format!(
                "{} is not the version claimdesk kept there (it was replaced since: another copy, a restore, or a file put there by hand), and the journal does not go on from it",
                bak.display()
            )));
        }
        // The rebuilt file carries the id its journal knows it by.
        if workspace.workspace_id.is_none() {
            workspace.workspace_id = Some(h.workspace_id.clone());
        }
    }
    // Every entry from the one after `.bak`'s last to the last the journal or the damaged
    // file says was made must be there: the journal's header names the last save's, the
    // damaged file its own (when its head still reads).
    let said_last = read
        .header
        .as_ref()
        .and_then(|h| h.saved_seq)
        .into_iter()
        .chain(damaged_journal_seq(path))
        .max()
        .unwrap_or(0);
    let missing = missing_entries(workspace.journal_seq, said_last, &read.entries);
    if !missing.is_empty() {
        return Err(refuse(format!(
            "{} holds edits up to #{}, and the journal lacks {}: {} in neither, and cannot be made again. {} is kept as it was; {} loads as the version before",
            bak.display(),
            workspace.journal_seq,
            missing,
            if missing.contains(',') || missing.contains(" to ") {
                "they are"
            } else {
                "it is"
            },
            path.display(),
            bak.display()
        )));
    }
    let (applied, twice, lost) = replay(&mut workspace, &read.entries);
    // The rebuilt file holds every entry replayed: none is ever applied to it again.
    workspace.journal_seq = read
        .entries
        .iter()
        .map(|e| e.seq)
        .fold(workspace.journal_seq, u64::max);
    let mut notes = vec![format!(
        "{} re-applied on top of {}",
        crate::model::text::count(applied, "journal edit"),
        bak.display()
    )];
    notes.extend(twice);
    if read.torn_tail {
        notes.push("the journal's last entry was cut short by a crash and was skipped".into());
    }
    let mut lost = lost;
    for (line, e) in &read.bad_lines {
        lost.push(format!(
            "{}:{line}: an unreadable journal entry ({e})",
            journal_path.display()
        ));
    }
    Ok((workspace, notes, lost))
}

/// What `recover_in_place` did.
#[derive(Debug)]
pub struct Recovered {
    /// What was re-applied.
    pub notes: Vec<String>,
    /// The edits that could not be made again, each named (an import, a verdict on a
    /// claim the backup does not have): the rebuild lost them.
    pub lost: Vec<String>,
    /// Where the damaged file was set aside, if there was one.
    pub damaged: Option<PathBuf>,
}

/// `claimdesk recover`: rebuilds a workspace that no longer loads from its `.bak` and its
/// journal, under the writer lock; the damaged file is kept as `<workspace>.damaged-<time>`.
pub fn recover_in_place(path: &Path) -> Result<Recovered, OpenError> {
    if let Ok(workspace) = load(path) {
        // A file that loads may still be an older version than its journal goes on from.
        let read = journal::read(&journal::path_for(path)).unwrap_or_default();
        if journal_gap(&workspace, &read.entries).is_none() || !read.bad_lines.is_empty() {
            return Err(OpenError::NothingToRecover(path.to_owned()));
        }
    }
    // Nothing to rebuild from: say so before any lock file is made.
    let bak = journal::sibling(path, "bak");
    if let Err(source) = fs::metadata(&bak) {
        return Err(OpenError::Store(StoreError::Io {
            path: bak,
            action: "read",
            source,
        }));
    }
    let lock = take_lock(path)?;
    match recover_locked(path) {
        Ok(done) => Ok(done),
        Err(e) => {
            lock.discard();
            Err(e)
        }
    }
}

/// `recover_in_place`, under the lock.
fn recover_locked(path: &Path) -> Result<Recovered, OpenError> {
    let (workspace, notes, lost) = recover(path)?;
    let like = fs::metadata(path).or_else(|_| fs::metadata(journal::sibling(path, "bak")));
    // The damaged file is kept under a name of its own (a second name for it, else a
    // copy) and stays at its path until the rebuilt file replaces it: killed at any
    // point, the workspace is never missing, and a second `recover` starts over.
    let damaged = if path.exists() {
        let kept = journal::damaged_copy(path, |aside| {
            fs::hard_link(path, aside).or_else(|e| match e.kind() {
                io::ErrorKind::AlreadyExists => Err(e),
                _ => files::write_new(aside, 0o600, &fs::read(path)?),
            })
        })
        .map_err(|source| OpenError::Io {
            path: path.to_owned(),
            action: "keep the damaged file aside",
            source,
        })?;
        Some(kept)
    } else {
        None
    };
    // Written with the journal's mark, and the journal kept: killed at any point, a second
    // `recover` (or the next open) applies no entry twice, and drops none.
    // The rebuilt file takes the damaged one's mode and owner.
    super::replace(
        path,
        &[&super::to_bytes(&workspace)?],
        like.ok().as_ref(),
        None,
        || Ok(()),
    )?;
    Ok(Recovered {
        notes,
        lost,
        damaged,
    })
}
