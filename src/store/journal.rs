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

use super::files;
use crate::model::Edit;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One journal line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub edit: Edit,
}

/// The journal's first line: whose journal it is. `workspace_id` is the id of the
/// workspace it belongs to; `base` (`<length>:<hash>`) is the file it was started on
/// when that file had no id yet, which it gets at its next save; `saved`, the file the
/// last save wrote (`<length>:<hash>`), which the entries after its `journal_seq`
/// continue from: a file found otherwise was replaced since (another copy, a sync, a
/// restore), and the entries it should hold are checked against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub journal: String,
    pub workspace_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved: Option<String>,
    /// The file kept as `.bak` by that save (`<length>:<hash>`): the version before it,
    /// which `recover` rebuilds from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bak: Option<String>,
    /// The last entry the file the last save wrote holds (its `journal_seq`): the journal
    /// keeps every entry after `.bak`'s up to it, so `recover` knows which are missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_seq: Option<u64>,
}

impl Header {
    pub const KIND: &'static str = "claimdesk-journal";

    pub fn new(workspace_id: &str, base: Option<String>) -> Self {
        Self {
            journal: Self::KIND.to_owned(),
            workspace_id: workspace_id.to_owned(),
            base,
            saved: None,
            bak: None,
            saved_seq: None,
        }
    }
}

/// What reading a journal found.
#[derive(Debug, Default)]
pub struct Read {
    /// Its first line, when it has one (journals of earlier versions do not).
    pub header: Option<Header>,
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

/// `name`, or when it is longer than `max` bytes its start and a hash of the whole
/// (`<start>~<16 hex digits>`), the same every time: what a name made from it is built
/// on, so that it fits the file system's 255 bytes.
pub fn short_name(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    let mut end = max.saturating_sub(18).min(name.len());
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let hash = crate::store::load::content_hash(name.as_bytes());
    format!("{}~{hash:016x}", &name[..end])
}

/// Reads every entry (never through a link); a missing journal is an empty one.
pub fn read(path: &Path) -> io::Result<Read> {
    let Some(bytes) = files::read_side(path)? else {
        return Ok(Read::default());
    };
    Ok(parse(&bytes))
}

fn parse(bytes: &[u8]) -> Read {
    let mut out = Read::default();
    let ends_cleanly = bytes.last().is_none_or(|b| *b == b'\n');
    let lines: Vec<&[u8]> = bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    for (i, line) in lines.iter().enumerate() {
        if i == 0
            && let Ok(h) = serde_json::from_slice::<Header>(line)
            && h.journal == Header::KIND
        {
            out.header = Some(h);
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => out.entries.push(entry),
            Err(_) if i + 1 == lines.len() && !ends_cleanly => out.torn_tail = true,
            Err(e) => out.bad_lines.push((i + 1, e.to_string())),
        }
    }
    out
}

/// Keeps a damaged journal as it is, beside it (`<journal>.damaged-<time>`), made anew
/// (never through a link). Returns where the copy went.
pub fn set_aside_damaged(path: &Path, mode: u32) -> io::Result<PathBuf> {
    let bytes = files::read_side(path)?.unwrap_or_default();
    damaged_copy(path, |aside| files::write_new(aside, mode, &bytes))
}

/// Makes `<path>.damaged-<time>` with `make` (which fails with `AlreadyExists` when the
/// name is taken), else `…-2`, `…-3`: a damaged copy never replaces another.
pub fn damaged_copy(
    path: &Path,
    mut make: impl FnMut(&Path) -> io::Result<()>,
) -> io::Result<PathBuf> {
    let stamp = Utc::now().format("%Y%m%d%H%M%S");
    // The name it is kept under fits the file system's 255 bytes, shortened if it must.
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = path.with_file_name(short_name(&base, 200));
    for n in 1..=1000 {
        let name = match n {
            1 => format!("damaged-{stamp}"),
            n => format!("damaged-{stamp}-{n}"),
        };
        let aside = sibling(&base, &name);
        match make(&aside) {
            Ok(()) => return Ok(aside),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "{}: a thousand damaged copies this second already",
        path.display()
    )))
}

/// The journal's bytes: its header, then `entries`.
fn to_bytes(header: &Header, entries: &[Entry]) -> io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec(header).map_err(io::Error::other)?;
    bytes.push(b'\n');
    for e in entries {
        bytes.extend(serde_json::to_vec(e).map_err(io::Error::other)?);
        bytes.push(b'\n');
    }
    Ok(bytes)
}

/// The journal open for appending. It keeps in memory what it holds on disk, so that a
/// journal removed under it (its folder deleted and made again) is written anew in full.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    header: Header,
    entries: Vec<Entry>,
    next_seq: u64,
    /// The mode side files of this workspace get.
    mode: u32,
    /// How long the file is, as this journal wrote it.
    len: u64,
}

impl Journal {
    /// Opens (creating) the journal with `header`, keeping `entries` (what a read of it
    /// found worth keeping); new entries are numbered after `last_seq`. It is written
    /// anew when it was torn, damaged, headless or not this header's, so that the next
    /// entry starts a line of its own after a clean one.
    pub fn open(
        path: &Path,
        header: Header,
        entries: Vec<Entry>,
        last_seq: u64,
        mode: u32,
    ) -> io::Result<Self> {
        let next_seq = last_seq
            .checked_add(1)
            .ok_or_else(|| io::Error::other("the journal's entry numbers are used up"))?;
        let (file, _) = files::open_side(path, mode, true, files::workspace_of(path).as_ref())?;
        let mut journal = Self {
            path: path.to_owned(),
            file,
            header,
            entries,
            next_seq,
            mode,
            len: 0,
        };
        let on_disk = files::read_side(path)?.unwrap_or_default();
        journal.len = on_disk.len() as u64;
        if on_disk != to_bytes(&journal.header, &journal.entries)? {
            journal.rewrite()?;
        }
        Ok(journal)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The number the last appended entry got (or the one before the first).
    pub fn last_seq(&self) -> u64 {
        self.next_seq - 1
    }

    /// The entries the journal holds.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Appends an edit and syncs it to disk before returning. A journal whose file was
    /// removed or replaced under it, or cut short or written into in place (it is not the
    /// bytes claimdesk wrote), is written anew, in full, first.
    pub fn append(&mut self, edit: &Edit, at: DateTime<Utc>) -> io::Result<u64> {
        let next = self
            .next_seq
            .checked_add(1)
            .ok_or_else(|| io::Error::other("the journal's entry numbers are used up"))?;
        if !self.still_linked() || !self.as_written()? {
            self.rewrite()?;
        }
        let entry = Entry {
            seq: self.next_seq,
            at,
            edit: edit.clone(),
        };
        let mut line = serde_json::to_vec(&entry).map_err(io::Error::other)?;
        line.push(b'\n');
        let before = self.file.metadata()?.len();
        if let Err(e) = self
            .file
            .write_all(&line)
            .and_then(|()| self.file.sync_data())
        {
            // Part of the line may be on disk (a full disk takes what fits in the last
            // block): cut back to where it began, which needs no room; failing that,
            // written anew without it.
            let cut = self
                .file
                .set_len(before)
                .and_then(|()| self.file.sync_data());
            if cut.is_err() {
                let _ = self.rewrite();
            }
            return Err(e);
        }
        self.entries.push(entry);
        self.next_seq = next;
        self.len = before + line.len() as u64;
        Ok(self.next_seq - 1)
    }

    /// Whether the path still names the file this journal writes to.
    fn still_linked(&self) -> bool {
        files::names(&self.path, &self.file)
    }

    /// Whether the file is as long as what this journal wrote (cut short or grown in
    /// place by another program, it is not).
    fn as_written(&self) -> io::Result<bool> {
        Ok(self.file.metadata()?.len() == self.len)
    }

    /// Drops the entries numbered up to `seq` (the ones the save before the last one
    /// folded into the file, which `.bak` now holds), keeping the rest.
    pub fn clear_through(&mut self, seq: u64) -> io::Result<()> {
        self.keep(|e| e.seq > seq)
    }

    /// After a save that wrote the file `saved` (`<length>:<hash>`): the header names it,
    /// and when the save kept the file before as `.bak` (`bak`: that file, and the last
    /// entry it holds), names that too and drops the entries it provably holds. One
    /// rewrite.
    pub fn saved(&mut self, saved: (String, u64), bak: Option<(String, u64)>) -> io::Result<()> {
        self.header.saved = Some(saved.0);
        self.header.saved_seq = Some(saved.1);
        match bak {
            Some((bak, seq)) => {
                self.header.bak = Some(bak);
                self.keep(|e| e.seq > seq)
            }
            None => self.rewrite(),
        }
    }

    /// Drops the entries numbered after `seq` (edits the user chose not to save), keeping
    /// the ones the file and its `.bak` stand on.
    pub fn retain_through(&mut self, seq: u64) -> io::Result<()> {
        self.keep(|e| e.seq <= seq)
    }

    /// Drops the entry numbered `seq`, keeping the rest.
    pub fn drop_entry(&mut self, seq: u64) -> io::Result<()> {
        self.keep(|e| e.seq != seq)
    }

    fn keep(&mut self, wanted: impl Fn(&Entry) -> bool) -> io::Result<()> {
        self.entries.retain(wanted);
        self.rewrite()
    }

    /// Writes the journal anew from what it holds, atomically, and appends to the new file.
    fn rewrite(&mut self) -> io::Result<()> {
        let bytes = to_bytes(&self.header, &self.entries)?;
        crate::store::replace(&self.path, &[&bytes], None, Some(self.mode), || Ok(())).map_err(
            |e| match e {
                // Said once, by the caller that names the journal.
                crate::store::StoreError::Io { source, .. } => source,
                other => io::Error::other(other.to_string()),
            },
        )?;
        let owner = files::workspace_of(&self.path);
        self.file = files::open_side(&self.path, self.mode, true, owner.as_ref())?.0;
        self.len = bytes.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Opens the journal as a session does: with what a read of it keeps.
    fn open_at(path: &Path, last_seq: u64) -> io::Result<Journal> {
        let kept = read(path)?.entries;
        Journal::open(path, Header::new("test", None), kept, last_seq, 0o600)
    }

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
        let mut j = open_at(&path, 4).expect("open");
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
        let mut j = open_at(&path, 0).expect("open");
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
        let mut j = open_at(&path, 0).expect("open");
        j.append(&edit("a"), Utc::now()).expect("append");
        drop(j);
        // A crash mid-append (or a full disk) left half a line.
        let mut bytes = std::fs::read(&path).expect("read");
        bytes.extend_from_slice(b"{\"seq\": 2, \"at\": \"20");
        std::fs::write(&path, &bytes).expect("write");
        let mut j = open_at(&path, 1).expect("reopen");
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
        let aside = set_aside_damaged(&path, 0o600).expect("aside");
        assert_eq!(
            std::fs::read(&aside).expect("kept"),
            before,
            "kept byte for byte"
        );
        drop(open_at(&path, 1).expect("goes on with what could be read"));
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
