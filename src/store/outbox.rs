//! Verdicts on their way to a database workspace, kept on this machine until the server
//! has them: each is written to a queue (a journal of its own in the user's state folder,
//! one per database) and synced before it is sent, and comes out only once the server
//! has committed it. A verdict made while the server is away is kept, shown as queued,
//! and sent when the server is back, even when the app was closed in between. Beside the
//! queue is the last local copy of the database, which the app opens read-only when the
//! server cannot be reached at start.

use super::journal::{self, Entry, Header, Journal};
use crate::model::Edit;
use std::io;
use std::path::{Path, PathBuf};

/// The folder a database's queue and local copy live in: the state folder
/// (`$XDG_STATE_HOME/claimdesk/desk`), else the data folder.
pub fn folder() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "claimdesk")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .join("desk"),
    )
}

/// A file name for a database, from its URL as shown (never the password): readable, and
/// with a hash of the whole so that two URLs never share one.
fn stem(shown: &str) -> String {
    let readable: String = shown
        .trim_start_matches("postgresql://")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    // FNV-1a: stable across builds, unlike std's hasher.
    let hash = shown.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{readable}-{hash:016x}")
}

/// The queue's path for a database.
pub fn queue_path(shown: &str) -> Option<PathBuf> {
    Some(folder()?.join(format!("{}.queue", stem(shown))))
}

/// The last local copy's path for a database.
pub fn copy_path(shown: &str) -> Option<PathBuf> {
    Some(folder()?.join(format!("{}.json", stem(shown))))
}

/// Keeps `workspace` as the database's last local copy, readable by its owner only.
pub fn keep_copy(
    shown: &str,
    workspace: &crate::model::Workspace,
) -> Result<(), super::StoreError> {
    let path = copy_path(shown).ok_or_else(|| super::StoreError::Io {
        path: PathBuf::from("~"),
        action: "find",
        source: io::Error::other("no home folder to keep a copy in"),
    })?;
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let encoded = super::encoded(workspace)?;
    super::replace(&path, &encoded.parts(), None, Some(0o600), || Ok(()))
}

/// The queue of verdicts for one database.
#[derive(Debug)]
pub struct Outbox {
    journal: Journal,
    /// One app at a time keeps a database's queue on this machine: two would each
    /// rewrite it from what they hold and drop the other's verdicts.
    _lock: super::lock::Lock,
    /// What opening found wrong with the queue, and where it kept it as it was.
    pub note: Option<String>,
}

impl Outbox {
    /// Opens (creating) the queue for the database shown as `shown`. A torn last line (a
    /// crash while queueing) is dropped: that verdict was never reported recorded. Lines
    /// that cannot be read are kept aside, in a copy of the queue as it was.
    pub fn open(shown: &str) -> io::Result<Self> {
        let path = queue_path(shown)
            .ok_or_else(|| io::Error::other("no home folder to keep the queue in"))?;
        Self::open_at(&path, shown)
    }

    pub fn open_at(path: &Path, shown: &str) -> io::Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let lock = super::lock::Lock::acquire(path).map_err(|e| match e {
            super::lock::LockError::Held(holder) => io::Error::other(format!(
                "{} keeps this database's queue",
                holder.map_or_else(|| "another claimdesk".to_owned(), |h| h.to_string())
            )),
            super::lock::LockError::Io(e) => e,
        })?;
        // What a write cut short by a crash left beside it (the lock is ours).
        super::disk::remove_stale_temp_files(path);
        let read = journal::read(path)?;
        let mut note = None;
        if !read.bad_lines.is_empty() {
            let aside = journal::set_aside_damaged(path, 0o600)?;
            note = Some(format!(
                "the queue had {} that could not be read; it is kept as it was in {}",
                crate::model::text::count(read.bad_lines.len(), "line"),
                aside.display()
            ));
        }
        // A queue that names another database (a copied home folder) is not sent here.
        let mine = read.header.as_ref().is_none_or(|h| h.workspace_id == shown);
        if !mine {
            let aside = journal::set_aside_damaged(path, 0o600)?;
            note = Some(format!(
                "the queue here was another database's; it is kept, not sent, in {}",
                aside.display()
            ));
        }
        let entries = if mine { read.entries } else { Vec::new() };
        let last = entries.iter().map(|e| e.seq).max().unwrap_or(0);
        let journal = Journal::open(path, Header::new(shown, None), entries, last, 0o600)?;
        Ok(Self {
            journal,
            _lock: lock,
            note,
        })
    }

    pub fn path(&self) -> &Path {
        self.journal.path()
    }

    /// The verdicts queued for the database shown as `shown`, read only (for a screen
    /// that cannot send them).
    pub fn peek(shown: &str) -> Vec<Entry> {
        let Some(path) = queue_path(shown) else {
            return Vec::new();
        };
        match journal::read(&path) {
            Ok(read) if read.header.as_ref().is_none_or(|h| h.workspace_id == shown) => {
                read.entries
            }
            _ => Vec::new(),
        }
    }

    /// Puts a verdict (or a batch of them) in the queue, synced before it returns.
    pub fn add(&mut self, edit: &Edit) -> io::Result<u64> {
        self.journal.append(edit, chrono::Utc::now())
    }

    /// The verdicts waiting, oldest first.
    pub fn entries(&self) -> &[Entry] {
        self.journal.entries()
    }

    pub fn len(&self) -> usize {
        self.journal.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.journal.entries().is_empty()
    }

    /// Takes out the entry numbered `seq`: the server has it.
    pub fn remove(&mut self, seq: u64) -> io::Result<()> {
        self.journal.drop_entry(seq)
    }

    /// Where verdicts the server refused are kept (`<queue>.refused`, one JSON line
    /// each): out of the queue, never out of reach.
    pub fn refused_path(&self) -> PathBuf {
        journal::sibling(self.path(), "refused")
    }

    /// Takes out the entry numbered `seq`, which the server refused for good, keeping it
    /// in the refused file first (synced); if that cannot be written it stays queued.
    pub fn set_aside(&mut self, seq: u64) -> io::Result<PathBuf> {
        use std::io::Write;
        let path = self.refused_path();
        let Some(entry) = self.entries().iter().find(|e| e.seq == seq) else {
            return Ok(path);
        };
        let mut line = serde_json::to_vec(entry).map_err(io::Error::other)?;
        line.push(b'\n');
        let (mut file, _) = super::files::open_side(&path, 0o600, true, None)?;
        file.write_all(&line)?;
        file.sync_data()?;
        self.journal.drop_entry(seq)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Review, Verdict};

    fn verdict(note: &str) -> Edit {
        Edit::AddReview {
            claim: "c1".into(),
            review: Review {
                at: chrono::Utc::now(),
                reviewer: "ann".into(),
                verdict: Verdict::Stalled,
                note: note.into(),
                seen_through: None,
                extra: Default::default(),
            },
        }
    }

    #[test]
    fn a_queued_verdict_is_kept_until_it_is_taken_out() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("q.queue");
        let mut q = Outbox::open_at(&path, "postgresql://a@h:1/d").expect("open");
        let first = q.add(&verdict("one")).expect("add");
        q.add(&verdict("two")).expect("add");
        drop(q);
        let mut q = Outbox::open_at(&path, "postgresql://a@h:1/d").expect("open");
        assert_eq!(q.len(), 2);
        q.remove(first).expect("remove");
        drop(q);
        let q = Outbox::open_at(&path, "postgresql://a@h:1/d").expect("open");
        assert_eq!(q.entries().len(), 1);
        assert_eq!(
            q.entries()[0].edit,
            verdict_note(&q.entries()[0].edit, "two")
        );
    }

    /// The entry's edit if its note is `note`, else a different one (so the comparison
    /// above fails).
    fn verdict_note(edit: &Edit, note: &str) -> Edit {
        match edit {
            Edit::AddReview { review, .. } if review.note == note => edit.clone(),
            _ => verdict("not the one"),
        }
    }

    /// A queue at `path` holding one verdict, then `tail` written after it.
    fn one_verdict_then(path: &Path, tail: &[u8]) {
        let mut q = Outbox::open_at(path, "u").expect("open");
        q.add(&verdict("kept")).expect("add");
        drop(q);
        let mut bytes = std::fs::read(path).expect("read");
        bytes.extend_from_slice(tail);
        std::fs::write(path, bytes).expect("write");
    }

    #[test]
    fn a_torn_last_line_is_dropped_and_the_rest_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("q.queue");
        one_verdict_then(&path, b"{\"seq\":2,\"at\":\"2026-");
        let mut q = Outbox::open_at(&path, "u").expect("open");
        assert_eq!(q.len(), 1);
        q.add(&verdict("after")).expect("add");
        drop(q);
        assert_eq!(Outbox::open_at(&path, "u").expect("open").len(), 2);
    }

    #[test]
    fn unreadable_lines_and_a_crashs_temporary_file_are_dealt_with_and_said() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("q.queue");
        one_verdict_then(&path, b"garbage\n");
        let (prefix, suffix) = crate::store::temp_affixes(&path);
        let temp = dir.path().join(format!("{prefix}x1{suffix}"));
        std::fs::write(&temp, b"half a write").expect("write");
        let q = Outbox::open_at(&path, "u").expect("open");
        assert_eq!(q.len(), 1);
        assert!(
            q.note
                .as_deref()
                .is_some_and(|n| n.contains("1 line that could not be read")),
            "{:?}",
            q.note
        );
        assert!(!temp.exists(), "the crash's temporary file is left");
    }

    #[test]
    fn another_databases_queue_is_set_aside_not_sent() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("q.queue");
        let mut q = Outbox::open_at(&path, "postgresql://a@h:1/one").expect("open");
        q.add(&verdict("for one")).expect("add");
        drop(q);
        let q = Outbox::open_at(&path, "postgresql://a@h:1/two").expect("open");
        assert!(q.is_empty());
        let aside = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("damaged"))
            .count();
        assert_eq!(aside, 1, "the other database's queue is kept aside");
    }

    #[test]
    fn one_app_at_a_time_keeps_a_queue() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("q.queue");
        let first = Outbox::open_at(&path, "u").expect("open");
        let second = Outbox::open_at(&path, "u").expect_err("a second app");
        assert!(
            second.to_string().contains("keeps this database's queue"),
            "{second}"
        );
        drop(first);
        Outbox::open_at(&path, "u").expect("free again");
    }

    #[test]
    fn names_are_stable_and_never_shared() {
        assert_eq!(stem("postgresql://a@h:1/d"), stem("postgresql://a@h:1/d"));
        assert_ne!(stem("postgresql://a@h:1/d"), stem("postgresql://a@h:1/e"));
        assert_ne!(
            stem("postgresql://a_b@h:1/d"),
            stem("postgresql://a/b@h:1/d")
        );
        assert!(!stem("postgresql://a@h:1/d").contains('/'));
    }
}
