//! The append-only journal beside the workspace (`<workspace>.journal`): every edit is
//! written there and synced the moment it is made, so a verdict survives a crash long
//! before the (slow, whole-file) save folds it into the workspace.
//!
//! One JSON object a line: `{"seq": 7, "at": "…", "edit": {…}}`. Sequence numbers only
//! grow; the workspace records the last one it holds (`journal_seq`), so replaying a
//! journal that a crash kept after a save applies nothing twice. A save keeps the entries
//! it folded in until the next save, so `.bak` (the version before the last save) plus
//! the journal always hold every edit. A torn last line (the process died mid-write) is
//! cut off before the next append; an unreadable line is skipped, and the journal as it
//! was is kept aside as `<journal>.damaged-<time>`.

use crate::model::Edit;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One journal line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub edit: Edit,
}

/// What reading a journal found.
#[derive(Debug, Default)]
pub struct Read {
    pub entries: Vec<Entry>,
    /// Set when the last line was cut short (a crash while appending); it is ignored.
    pub torn_tail: bool,
    /// Lines that could not be read, with their line numbers; the entries around them
    /// are read all the same.
    pub bad_lines: Vec<(usize, String)>,
}

/// The journal's path for a workspace.
pub fn path_for(workspace: &Path) -> PathBuf {
    sibling(workspace, "journal")
}

/// `<workspace>.<ext>`: a file beside the workspace.
pub fn sibling(workspace: &Path, ext: &str) -> PathBuf {
    let mut name = workspace
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".");
    name.push(ext);
    workspace.with_file_name(name)
}

/// Reads every entry; a missing journal is an empty one.
pub fn read(path: &Path) -> io::Result<Read> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Read::default()),
        Err(e) => return Err(e),
    };
    let mut out = Read::default();
    let ends_cleanly = bytes.last().is_none_or(|b| *b == b'\n');
    let lines: Vec<&[u8]> = bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    for (i, line) in lines.iter().enumerate() {
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => out.entries.push(entry),
            Err(_) if i + 1 == lines.len() && !ends_cleanly => out.torn_tail = true,
            Err(e) => out.bad_lines.push((i + 1, e.to_string())),
        }
    }
    Ok(out)
}

/// Keeps a damaged journal as it is, beside it (`<journal>.damaged-<time>`), and writes the
/// journal anew with only `entries` (the readable ones). Returns where the copy went.
pub fn set_aside_damaged(path: &Path, entries: &[Entry]) -> io::Result<PathBuf> {
    let aside = sibling(
        path,
        &format!("damaged-{}", Utc::now().format("%Y%m%d%H%M%S%.3f")),
    );
    std::fs::copy(path, &aside)?;
    rewrite(path, entries)?;
    Ok(aside)
}

/// Replaces the journal with `entries`, atomically.
fn rewrite(path: &Path, entries: &[Entry]) -> io::Result<()> {
    let mut bytes = Vec::new();
    for e in entries {
        bytes.extend(serde_json::to_vec(e).map_err(io::Error::other)?);
        bytes.push(b'\n');
    }
    crate::store::write_atomic(path, &bytes).map_err(|e| io::Error::other(e.to_string()))
}

/// The journal open for appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    next_seq: u64,
}

impl Journal {
    /// Opens (creating) the journal; new entries are numbered after `last_seq`. A torn last
    /// line (a crash mid-append: never reported as recorded) is cut off first, so the next
    /// entry starts a line of its own.
    pub fn open(path: &Path, last_seq: u64) -> io::Result<Self> {
        let file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)?;
        let bytes = std::fs::read(path)?;
        if bytes.last().is_some_and(|b| *b != b'\n') {
            let keep = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            file.set_len(keep as u64)?;
            file.sync_data()?;
        }
        Ok(Self {
            path: path.to_owned(),
            file,
            next_seq: last_seq + 1,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The number the last appended entry got (or the one before the first).
    pub fn last_seq(&self) -> u64 {
        self.next_seq - 1
    }

    /// Appends an edit and syncs it to disk before returning.
    pub fn append(&mut self, edit: &Edit, at: DateTime<Utc>) -> io::Result<u64> {
        let next = self
            .next_seq
            .checked_add(1)
            .ok_or_else(|| io::Error::other("the journal's entry numbers are used up"))?;
        let entry = Entry {
            seq: self.next_seq,
            at,
            edit: edit.clone(),
        };
        let mut line = serde_json::to_vec(&entry).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()?;
        self.next_seq = next;
        Ok(entry.seq)
    }

    /// Empties the journal once the workspace holds everything in it.
    pub fn clear(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        self.file.sync_data()
    }

    /// Drops the entries numbered up to `seq` (the ones the save before the last one
    /// folded into the file, which `.bak` now holds), keeping the rest.
    pub fn clear_through(&mut self, seq: u64) -> io::Result<()> {
        if seq >= self.last_seq() {
            return self.clear();
        }
        self.keep(|e| e.seq > seq)
    }

    /// Drops the entries numbered after `seq` (edits the user chose not to save), keeping
    /// the ones the file and its `.bak` stand on.
    pub fn retain_through(&mut self, seq: u64) -> io::Result<()> {
        self.keep(|e| e.seq <= seq)
    }

    fn keep(&mut self, wanted: impl Fn(&Entry) -> bool) -> io::Result<()> {
        let keep: Vec<Entry> = read(&self.path)?
            .entries
            .into_iter()
            .filter(wanted)
            .collect();
        rewrite(&self.path, &keep)?;
        self.file = OpenOptions::new().append(true).open(&self.path)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(title: &str) -> Edit {
        Edit::SetTitle {
            claim: "c".into(),
            title: title.into(),
        }
    }

    #[test]
    fn appends_reads_and_tolerates_a_torn_tail() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("w.json.journal");
        let mut j = Journal::open(&path, 4).expect("open");
        let now = Utc::now();
        assert_eq!(j.append(&edit("a"), now).expect("append"), 5);
        assert_eq!(j.append(&edit("b"), now).expect("append"), 6);
        let mut bytes = std::fs::read(&path).expect("read");
        bytes.extend_from_slice(b"{\"seq\": 7, \"at\": \"2026");
        std::fs::write(&path, &bytes).expect("write");
        let r = read(&path).expect("reads");
        assert_eq!(r.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 6]);
        assert!(r.torn_tail);
        assert!(r.bad_lines.is_empty());
        assert_eq!(r.entries[1].edit, edit("b"));
    }

    #[test]
    fn clearing_through_a_number_keeps_what_came_after() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("j");
        let mut j = Journal::open(&path, 0).expect("open");
        for t in ["a", "b", "c"] {
            j.append(&edit(t), Utc::now()).expect("append");
        }
        j.clear_through(2).expect("clear");
        j.append(&edit("d"), Utc::now()).expect("append after");
        let seqs: Vec<u64> = read(&path)
            .expect("read")
            .entries
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs, [3, 4]);
        j.clear_through(4).expect("clear all");
        assert!(read(&path).expect("read").entries.is_empty());
    }

    #[test]
    fn an_entry_after_a_torn_tail_starts_a_line_of_its_own() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("j");
        let mut j = Journal::open(&path, 0).expect("open");
        j.append(&edit("a"), Utc::now()).expect("append");
        drop(j);
        // A crash mid-append (or a full disk) left half a line.
        let mut bytes = std::fs::read(&path).expect("read");
        bytes.extend_from_slice(b"{\"seq\": 2, \"at\": \"20");
        std::fs::write(&path, &bytes).expect("write");
        let mut j = Journal::open(&path, 1).expect("reopen");
        j.append(&edit("b"), Utc::now()).expect("append");
        let r = read(&path).expect("read");
        assert_eq!(r.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2]);
        assert!(!r.torn_tail && r.bad_lines.is_empty());
    }

    #[test]
    fn a_bad_line_in_the_middle_loses_nothing_around_it() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("j");
        let good = serde_json::to_string(&Entry {
            seq: 1,
            at: Utc::now(),
            edit: edit("a"),
        })
        .expect("json");
        std::fs::write(&path, format!("{good}\nnot json\n{good}\n")).expect("write");
        let r = read(&path).expect("reads");
        assert_eq!(r.entries.len(), 2, "the entry after the bad line is read");
        assert_eq!(r.bad_lines.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [2]);
        let before = std::fs::read(&path).expect("read");
        let aside = set_aside_damaged(&path, &r.entries).expect("aside");
        assert_eq!(
            std::fs::read(&aside).expect("kept"),
            before,
            "kept byte for byte"
        );
        let again = read(&path).expect("reads");
        assert_eq!((again.entries.len(), again.bad_lines.len()), (2, 0));
    }

    #[test]
    fn siblings_keep_the_whole_name() {
        assert_eq!(
            path_for(Path::new("/a/w.json")),
            Path::new("/a/w.json.journal")
        );
        assert_eq!(sibling(Path::new("w"), "bak"), Path::new("w.bak"));
    }
}
