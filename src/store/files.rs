//! How claimdesk opens and makes its files: side files (`.lock`, `.journal`, `.bak`,
//! damaged copies) are plain files or nothing — opened never through a symbolic link and
//! never waiting (a FIFO), then checked to be a regular file with one name, owned by this
//! user (or by the workspace's owner), and read no further than their length; anything
//! else is named in an error and left as it is. New side files are made exclusively;
//! every new file no more open than the workspace and the umask allow; a rewritten
//! workspace keeps its mode and owner.

use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};

/// The process's umask, read without changing it where the system allows.
#[cfg(unix)]
pub fn umask() -> u32 {
    let from_proc = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        });
    from_proc.unwrap_or_else(|| {
        // SAFETY: umask only swaps the process's mask; it is put back at once.
        let old = unsafe { libc::umask(0o022) };
        unsafe { libc::umask(old) };
        old as u32
    })
}

/// The mode of a new file the user makes (a workspace, an export): what the umask allows.
#[cfg(unix)]
pub fn new_file_mode() -> u32 {
    0o666 & !umask()
}

/// The mode of a side file of a workspace with metadata `workspace`: no more open than the
/// workspace, nor than the umask allows.
#[cfg(unix)]
pub fn side_file_mode(workspace: Option<&Metadata>) -> u32 {
    let base = workspace.map_or(0o666, |m| m.mode() & 0o666);
    base & !umask()
}

/// Why a side file could not be opened, in words that say what to do.
fn explain(path: &Path, e: io::Error) -> io::Error {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is a symbolic link; claimdesk never follows links for its own files. Remove the link and try again",
                path.display()
            ),
        );
    }
    let _ = path;
    e
}

/// The most of a journal or a queue claimdesk reads: far past any it writes.
pub const SIDE_LIMIT: u64 = 1 << 30;

/// Who a side file may belong to, and what other name it may have.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expect<'a> {
    /// The workspace's metadata: a side file may be its owner's (a shared folder).
    pub workspace: Option<&'a Metadata>,
    /// A file that may be its second name: the workspace, for a `.bak` a save was making
    /// (killed between the link and the rename).
    pub twin: Option<&'a Metadata>,
}

/// Why a side file that is there cannot be used, if it cannot: not a regular file (a
/// FIFO, a device, a folder), more than one name (a hard link: writing it would change
/// the other file too), or another user's (not the workspace's owner either).
pub fn refuse_side(path: &Path, meta: &Metadata, expect: Expect<'_>) -> io::Result<()> {
    let refuse = |why: String| {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} {why}; claimdesk left it as it is. Move it aside (mv) and try again",
                path.display()
            ),
        ))
    };
    if !meta.is_file() {
        return refuse("is not a regular file (a FIFO, a device or a folder)".to_owned());
    }
    #[cfg(unix)]
    {
        let own_other_name = expect.twin.is_some_and(|a| same_file(a, meta));
        let names = meta.nlink();
        if names > 1 + u64::from(own_other_name) {
            return refuse(format!(
                "has {names} names (hard links): writing it would change another file too"
            ));
        }
        // SAFETY: geteuid cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me && expect.workspace.is_none_or(|a| a.uid() != meta.uid()) {
            return refuse(format!(
                "belongs to another user (uid {}), not to you (uid {me})",
                meta.uid()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = expect;
    Ok(())
}

/// Opens a side file that is there, for reading, as a plain file or not at all (see
/// `refuse_side`); a missing one is None. Never through a link, never waiting on a FIFO.
pub fn open_plain(path: &Path, expect: Expect<'_>) -> io::Result<Option<(File, Metadata)>> {
    let mut o = OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    let file = match o.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(explain(path, e)),
    };
    let meta = file.metadata()?;
    refuse_side(path, &meta, expect)?;
    Ok(Some((file, meta)))
}

/// Opens (creating if needed) a side file for reading and writing, never through a link
/// and never waiting: a new one is made exclusively with `mode`; an existing one must be
/// a plain file (see `refuse_side`), and one more open than `mode` is narrowed to it.
/// `append` opens it for appending.
/// `owner` is the workspace's metadata (a side file may be its owner's).
pub fn open_side(
    path: &Path,
    mode: u32,
    append: bool,
    owner: Option<&Metadata>,
) -> io::Result<(File, bool)> {
    let options = |create_new: bool| {
        let mut o = OpenOptions::new();
        o.read(true);
        if append {
            o.append(true);
        } else {
            o.write(true);
        }
        if create_new {
            o.create_new(true);
        }
        #[cfg(unix)]
        o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .mode(mode);
        o
    };
    match options(true).open(path) {
        Ok(f) => return Ok((f, true)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(explain(path, e)),
    }
    let file = options(false).open(path).map_err(|e| match e.raw_os_error() {
        // A FIFO no one reads: not a file to write to.
        #[cfg(unix)]
        Some(libc::ENXIO) => io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is not a regular file (a FIFO); claimdesk left it as it is. Move it aside (mv) and try again",
                path.display()
            ),
        ),
        _ => explain(path, e),
    })?;
    let meta = file.metadata()?;
    refuse_side(
        path,
        &meta,
        Expect {
            workspace: owner,
            twin: None,
        },
    )?;
    #[cfg(unix)]
    {
        let current = meta.mode() & 0o7777;
        if current & !mode != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(current & mode))?;
        }
    }
    Ok((file, false))
}

/// Reads a side file whole, as a plain file (see `open_plain`) of at most `SIDE_LIMIT`
/// bytes, and no further than the length it had when opened; a missing one reads as None.
pub fn read_side(path: &Path) -> io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let owner = workspace_of(path);
    let expect = Expect {
        workspace: owner.as_ref(),
        twin: None,
    };
    let Some((file, meta)) = open_plain(path, expect)? else {
        return Ok(None);
    };
    if meta.len() > SIDE_LIMIT {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} is {} bytes, more than claimdesk ever writes there ({SIDE_LIMIT}); claimdesk left it as it is. Move it aside (mv) and try again",
                path.display(),
                meta.len()
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(meta.len()).read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// Gives a file just written the mode and owner of `like` (the file it replaces), or the
/// mode a new file gets; a side file gets `side_mode`. Keeping the owner works only for
/// root; elsewhere the file is already the user's.
pub fn match_file(file: &File, like: Option<&Metadata>, side_mode: Option<u32>) -> io::Result<()> {
    #[cfg(unix)]
    {
        let mode = match (side_mode, like) {
            (Some(mode), _) => mode,
            (None, Some(m)) => m.mode() & 0o7777,
            (None, None) => new_file_mode(),
        };
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        if let Some(m) = like.filter(|_| side_mode.is_none()) {
            let meta = file.metadata()?;
            if (meta.uid(), meta.gid()) != (m.uid(), m.gid()) {
                // Best effort: only root may give a file away.
                let _ = std::os::unix::fs::fchown(file, Some(m.uid()), Some(m.gid()));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (file, like, side_mode);
    Ok(())
}

/// Whether `a` and `b` are the same file (the same inode on the same device).
#[cfg(unix)]
pub fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Whether `path` (not followed through a link) still names the open `file`: not
/// removed, nor replaced by another file.
pub fn names(path: &Path, file: &File) -> bool {
    match (std::fs::symlink_metadata(path), file.metadata()) {
        (Ok(named), Ok(open)) => same_file(&named, &open),
        _ => false,
    }
}

/// The metadata of the workspace a side file (`w.json.journal`) sits beside, when its
/// name says which.
pub fn workspace_of(side: &Path) -> Option<Metadata> {
    let name = side.file_name()?.to_str()?;
    let (workspace, _) = name.rsplit_once('.')?;
    std::fs::metadata(side.with_file_name(workspace)).ok()
}

/// Makes `path` anew (never through a link, never over an existing file: that fails
/// with `AlreadyExists`) with `mode`, holding `bytes`, synced.
pub fn write_new(path: &Path, mode: u32, bytes: &[u8]) -> io::Result<()> {
    let (mut file, created) = open_side(path, mode, false, None)?;
    if !created {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    io::Write::write_all(&mut file, bytes)?;
    file.sync_all()
}

/// How many names the file has.
#[cfg(unix)]
pub fn links(meta: &Metadata) -> u64 {
    meta.nlink()
}

/// Swaps what the names `a` and `b` (both there) name, in one step (`renameat2` with
/// `RENAME_EXCHANGE`): neither file is ever missing or replaced. `Ok(false)` where the
/// kernel or the file system cannot (then nothing happened).
#[cfg(target_os = "linux")]
pub fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL in a path"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two NUL-terminated paths that live across the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
pub fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}
