//! Loading and saving the workspace file: the only code that reads or writes it.
//!
//! A load reads the file once, checks `format` and `version` before anything else, then
//! maps every JSON or shape error to its path, line, column and field. A save writes a
//! temporary file in the same folder, syncs it, renames it over the workspace and syncs
//! the folder, so the file on disk is always either the old or the new content.

mod disk;
mod error;
pub(crate) mod files;
pub mod journal;
pub mod load;
pub mod lock;
pub mod outbox;
pub mod pg;
pub mod source;
mod split;

pub(crate) use disk::new_workspace_id;
pub use disk::{
    Access, Disk, OpenError, Opened, Recovered, SaveDone, SaveError, SaveJob, recover,
    recover_in_place,
};
pub use error::StoreError;

use crate::model::{MAX_DEPTH, Workspace, nesting};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The sample workspace built into the binary: the two real seed claims.
pub const SAMPLE: &str = include_str!("../../assets/sample-workspace.json");

/// Reads and checks a workspace file (through the one loader); the file is never written.
pub fn load(path: &Path) -> Result<Workspace, StoreError> {
    load::read_path(path, |_| {}).map(|l| l.workspace)
}

/// Parses and checks workspace bytes (through the one loader); `path` only names the file
/// in errors.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Workspace, StoreError> {
    load::parse(path, bytes)
}

/// The workspace as claimdesk writes it: pretty JSON, updates oldest first, final newline.
pub fn to_bytes(workspace: &Workspace) -> Result<Vec<u8>, StoreError> {
    encoded(workspace).map(|e| e.to_vec())
}

/// `to_bytes` as the parts a save writes (see `encode`).
pub fn encoded(workspace: &Workspace) -> Result<Encoded<'_>, StoreError> {
    encode(
        workspace,
        workspace.journal_seq,
        workspace.workspace_id.as_deref(),
    )
}

/// A workspace encoded for writing: the parts of the file in order, each either written
/// anew or borrowed from the file a claim was read from.
pub struct Encoded<'a> {
    parts: Vec<std::borrow::Cow<'a, [u8]>>,
}

impl Encoded<'_> {
    /// The parts as byte slices, in order.
    pub fn parts(&self) -> Vec<&[u8]> {
        self.parts.iter().map(|p| &**p).collect()
    }

    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.parts.concat()
    }

    /// How many bytes were copied from files as they were read (for the benchmarks).
    pub fn copied(&self) -> usize {
        self.parts
            .iter()
            .filter(|p| matches!(p, std::borrow::Cow::Borrowed(_)))
            .map(|p| p.len())
            .sum()
    }
}

/// The workspace encoded with the file holding the journal's entries through
/// `journal_seq`, and the id its journal knows it by.
///
/// Written by copy: a claim still exactly as it was read (see `model::Origin`) is the
/// text it was read from, byte for byte (runs of such claims one slice of the file); only
/// the claims that changed are serialised. What it writes means exactly what a full
/// serialisation would (the save-by-copy property test holds it to that).
pub(crate) fn encode<'a>(
    workspace: &'a Workspace,
    journal_seq: u64,
    workspace_id: Option<&str>,
) -> Result<Encoded<'a>, StoreError> {
    /// The workspace's fields by reference, with the journal mark of this save.
    #[derive(serde::Serialize)]
    struct Saving<'a> {
        format: &'a str,
        version: u64,
        #[serde(skip_serializing_if = "is_zero")]
        journal_seq: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        workspace_id: Option<&'a str>,
        claims: &'a [crate::model::Claim],
        #[serde(flatten)]
        extra: &'a crate::model::Extra,
    }
    fn is_zero(n: &u64) -> bool {
        *n == 0
    }
    let encode_error = |message: String| StoreError::Encode { message };
    // Never write what the loader would refuse: claim ids first.
    if let Err(e) = load::check_ids(Path::new("the workspace"), workspace) {
        return Err(encode_error(match e {
            StoreError::Shape { field, message, .. } => format!("{field}: {message}"),
            other => other.to_string(),
        }));
    }
    if !is_normalized(workspace) {
        let mut sorted = workspace.clone();
        sorted.normalize();
        return encode(&sorted, journal_seq, workspace_id).map(|e| Encoded {
            parts: e.parts.into_iter().map(|p| p.into_owned().into()).collect(),
        });
    }
    let frame = serde_json::to_vec_pretty(&Saving {
        format: &workspace.format,
        version: workspace.version,
        journal_seq,
        workspace_id,
        claims: &[],
        extra: &workspace.extra,
    })
    .map_err(|e| encode_error(e.to_string()))?;
    check_depth(&frame, 0)?;
    // The frame's one top-level `claims`: a raw line break is never inside a string, and
    // a nested one is indented deeper.
    const EMPTY: &[u8] = b"\n  \"claims\": []";
    let at = memchr::memmem::find(&frame, EMPTY)
        .ok_or_else(|| encode_error("the claims array is missing".to_owned()))?;
    let open = at + EMPTY.len() - 1;
    let mut parts: Vec<std::borrow::Cow<'_, [u8]>> = Vec::new();
    let mut pending: Vec<u8> = frame[..open].to_vec();
    // A run of claims copied as they were read: one slice of one file.
    let mut run: Option<(&[u8], std::ops::Range<usize>)> = None;
    for (i, claim) in workspace.claims.iter().enumerate() {
        let separator: &[u8] = if i == 0 { b"\n    " } else { b",\n    " };
        match crate::model::Origin::unchanged_text(claim) {
            Some((source, span)) => {
                let bytes = source.bytes();
                if let Some((run_bytes, run_span)) = &mut run
                    && std::ptr::eq(run_bytes.as_ptr(), bytes.as_ptr())
                    && run_span.end <= span.start
                    && is_separator(&bytes[run_span.end..span.start])
                {
                    run_span.end = span.end;
                    continue;
                }
                flush(&mut parts, &mut pending, run.take());
                pending.extend_from_slice(separator);
                run = Some((bytes, span));
            }
            None => {
                flush(&mut parts, &mut pending, run.take());
                pending.extend_from_slice(separator);
                pending.extend_from_slice(&written_anew(claim)?);
            }
        }
    }
    flush(&mut parts, &mut pending, run.take());
    if !workspace.claims.is_empty() {
        pending.extend_from_slice(b"\n  ");
    }
    pending.extend_from_slice(&frame[open..]);
    pending.push(b'\n');
    parts.push(pending.into());
    Ok(Encoded { parts })
}

/// One claim's text as the encoder writes it in the claims array, indented for its place
/// there: the text it was read from while it is unchanged, else written anew.
pub(crate) fn claim_text(
    claim: &crate::model::Claim,
) -> Result<std::borrow::Cow<'_, [u8]>, StoreError> {
    match crate::model::Origin::unchanged_text(claim) {
        Some((source, span)) => source
            .bytes()
            .get(span)
            .map(std::borrow::Cow::Borrowed)
            .ok_or_else(|| StoreError::Encode {
                message: format!("claim {}: its text is not where it was read", claim.id),
            }),
        None => written_anew(claim).map(std::borrow::Cow::Owned),
    }
}

/// A claim serialised, indented for its place in the claims array.
fn written_anew(claim: &crate::model::Claim) -> Result<Vec<u8>, StoreError> {
    let text = serde_json::to_vec_pretty(claim).map_err(|e| StoreError::Encode {
        message: e.to_string(),
    })?;
    check_depth(&text, 2)?;
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    for (j, line) in text.split(|&b| b == b'\n').enumerate() {
        if j > 0 {
            out.extend_from_slice(b"\n    ");
        }
        out.extend_from_slice(line);
    }
    Ok(out)
}

/// Moves what was written anew and then a run of copied claims into `parts`.
fn flush<'a>(
    parts: &mut Vec<std::borrow::Cow<'a, [u8]>>,
    pending: &mut Vec<u8>,
    run: Option<(&'a [u8], std::ops::Range<usize>)>,
) {
    if let Some((bytes, span)) = run {
        parts.push(std::mem::take(pending).into());
        parts.push(std::borrow::Cow::Borrowed(&bytes[span]));
    }
}

/// What may stand between two claims of the array as read: white space and one comma.
fn is_separator(gap: &[u8]) -> bool {
    let mut commas = 0;
    gap.iter().all(|&b| match b {
        b',' => {
            commas += 1;
            commas == 1
        }
        b' ' | b'\t' | b'\n' | b'\r' => true,
        _ => false,
    }) && commas == 1
}

/// Never write what the loader would refuse: `text` sits `below` levels deep.
fn check_depth(text: &[u8], below: usize) -> Result<(), StoreError> {
    let text = std::str::from_utf8(text).map_err(|e| StoreError::Encode {
        message: e.to_string(),
    })?;
    let depth = below + nesting(text);
    if depth > MAX_DEPTH {
        return Err(StoreError::Encode {
            message: format!(
                "a field is nested {depth} levels deep; a workspace holds at most {MAX_DEPTH}"
            ),
        });
    }
    Ok(())
}

pub(crate) fn is_normalized(workspace: &Workspace) -> bool {
    workspace.claims.iter().all(|c| {
        c.updates.windows(2).all(|w| w[0].at <= w[1].at)
            && c.follow_ups.windows(2).all(|w| w[0].date <= w[1].date)
    })
}

/// Writes the workspace atomically and durably.
pub fn save(path: &Path, workspace: &Workspace) -> Result<(), StoreError> {
    let encoded = encoded(workspace)?;
    let like = fs::metadata(path).ok();
    replace(path, &encoded.parts(), like.as_ref(), None, || Ok(()))
}

/// Replaces `path` with `bytes`: temporary file in the same folder, fsync, rename, fsync
/// of the folder. On any error the old file is untouched and the temporary file removed.
/// The new file keeps the old one's mode and owner (a new file gets what the umask
/// allows); a write-protected file is refused, not replaced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let like = fs::metadata(path).ok();
    replace(path, &[bytes], like.as_ref(), None, || Ok(()))
}

/// The temporary files a write of `path` makes: `.<name>.<random>.claimdesk-tmp`.
/// A name too long for a temporary beside it (file systems take 255 bytes) is shortened
/// to its start and a hash of it, the same every time.
pub(crate) fn temp_affixes(path: &Path) -> (String, &'static str) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (
        format!(".{}.", journal::short_name(&name, 200)),
        ".claimdesk-tmp",
    )
}

/// `write_atomic` with what the new file takes after (`like`: the file it replaces; a
/// side file takes `side_mode` instead), and a last check run right before the rename: when it
/// fails, nothing is replaced.
pub(crate) fn replace(
    path: &Path,
    parts: &[&[u8]],
    like: Option<&fs::Metadata>,
    side_mode: Option<u32>,
    before_rename: impl FnOnce() -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let io = |action: &'static str| {
        move |source| StoreError::Io {
            path: path.to_owned(),
            action,
            source,
        }
    };
    if side_mode.is_none()
        && let Some(meta) = like
        && meta.permissions().readonly()
    {
        return Err(StoreError::WriteProtected {
            path: path.to_owned(),
        });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let (prefix, suffix) = temp_affixes(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(suffix)
        .tempfile_in(&dir)
        // Said in the OS's words, without the name of a file that was never made.
        .map_err(|e| match fs::metadata(&dir) {
            Err(missing) => missing,
            Ok(_) => without_temp_name(e),
        })
        .map_err(io("create a temporary file beside"))?;
    // Through the file itself: the temporary file's own writer names its path in errors.
    for part in parts {
        tmp.as_file_mut().write_all(part).map_err(io("write"))?;
    }
    files::match_file(tmp.as_file(), like, side_mode).map_err(io("set the mode of"))?;
    tmp.as_file().sync_all().map_err(io("sync"))?;
    before_rename()?;
    tmp.persist(path).map_err(|e| StoreError::Io {
        path: path.to_owned(),
        action: "replace",
        source: e.error,
    })?;
    sync_dir(&dir).map_err(io("sync the folder of"))?;
    Ok(())
}

/// What a save does once its new file is written and synced, with the file it replaces:
/// see `replace_exchanging`.
pub(crate) enum Displaced {
    /// Keep it: the old file is now at this path (the new one at the workspace's).
    Keep,
    /// Put it back: the file at the workspace's path changed while the save ran.
    Restore,
}

/// Writes `parts` to a temporary file beside `path`, syncs it, runs `before` (cheap
/// checks), then swaps it with the file at `path` in one step (`files::exchange`) and
/// asks `judge` about the file it displaced (now at the temporary path): kept, it is
/// handed to `keep` (to become `.bak`); changed meanwhile, it is swapped back, the new
/// file removed, and `ChangedWhileSaving` returned. Nothing is ever replaced unseen: a
/// program that wrote the file, or put another in its place, at any moment up to the
/// swap, finds its version where it was. Where the file system cannot swap, the checks
/// run right before a plain rename instead (`fallback`). A missing file is made new.
pub(crate) fn replace_exchanging(
    path: &Path,
    parts: &[&[u8]],
    like: Option<&fs::Metadata>,
    before: impl FnOnce() -> Result<(), StoreError>,
    judge: impl FnOnce(&Path) -> Displaced,
    keep: impl FnOnce(&Path),
    fallback: impl FnOnce() -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let io = |action: &'static str| {
        move |source| StoreError::Io {
            path: path.to_owned(),
            action,
            source,
        }
    };
    if let Some(meta) = like
        && meta.permissions().readonly()
    {
        return Err(StoreError::WriteProtected {
            path: path.to_owned(),
        });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let (prefix, suffix) = temp_affixes(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(suffix)
        .tempfile_in(&dir)
        .map_err(|e| match fs::metadata(&dir) {
            Err(missing) => missing,
            Ok(_) => without_temp_name(e),
        })
        .map_err(io("create a temporary file beside"))?;
    for part in parts {
        tmp.as_file_mut().write_all(part).map_err(io("write"))?;
    }
    files::match_file(tmp.as_file(), like, None).map_err(io("set the mode of"))?;
    tmp.as_file().sync_all().map_err(io("sync"))?;
    before()?;
    let swapped = path.exists() && files::exchange(tmp.path(), path).map_err(io("replace"))?;
    if !swapped {
        fallback()?;
        tmp.persist(path).map_err(|e| StoreError::Io {
            path: path.to_owned(),
            action: "replace",
            source: e.error,
        })?;
        sync_dir(&dir).map_err(io("sync the folder of"))?;
        return Ok(());
    }
    // The new file is at `path`; the one it replaced at the temporary name.
    let (_, displaced) = tmp.keep().map_err(|e| StoreError::Io {
        path: path.to_owned(),
        action: "replace",
        source: e.error,
    })?;
    match judge(&displaced) {
        Displaced::Keep => {
            keep(&displaced);
            // Whatever `keep` did not move stays no longer than this.
            let _ = fs::remove_file(&displaced);
            sync_dir(&dir).map_err(io("sync the folder of"))?;
            Ok(())
        }
        Displaced::Restore => {
            let back = files::exchange(&displaced, path).map_err(io("put back"))?;
            if back {
                let _ = fs::remove_file(&displaced);
            } else {
                // Never left under a temporary name, which the next open removes: kept
                // beside the workspace as a damaged copy is.
                let _ = journal::damaged_copy(path, |aside| fs::hard_link(&displaced, aside))
                    .map(|_| fs::remove_file(&displaced));
            }
            sync_dir(&dir).map_err(io("sync the folder of"))?;
            Err(StoreError::ChangedWhileSaving {
                path: path.to_owned(),
            })
        }
    }
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
