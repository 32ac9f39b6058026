//! The workspace file's bytes as the loader and every body read them: the file mapped
//! into memory where that can be made safe (no copy, no page to clear: a 600 MB file is
//! there in milliseconds), else read into memory.
//!
//! A mapping shows whatever happens to the file, and a file cut short under a mapping
//! kills the process that reads past its new end. So a file is mapped only under a read
//! lease (`F_SETLEASE`): before anyone may open the file for writing or truncate it, the
//! kernel tells claimdesk (SIGIO) and holds the other program back until the lease is let
//! go. claimdesk then copies the mapping into memory of its own, puts the copy at the same
//! address (`mremap`), and lets the lease go: bodies never see a byte change, and nothing
//! ever reads a page that is gone. Where no lease can be had (a file of another user, a
//! file open for writing elsewhere, a file system without leases), the file is read.

use crate::model::body::Bytes;
use std::fs::File;
use std::io::Read;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// The loaded file's bytes.
pub enum Source {
    Read(Vec<u8>),
    Mapped(Mapping),
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = if self.is_mapped() {
            "mapped"
        } else {
            "in memory"
        };
        write!(f, "Source({} bytes, {how})", self.bytes().len())
    }
}

impl Bytes for Source {
    fn bytes(&self) -> &[u8] {
        match self {
            Self::Read(v) => v,
            Self::Mapped(m) => m.bytes(),
        }
    }
}

impl Source {
    /// The bytes of `file`, which is `len` bytes long: mapped under a lease where one can
    /// be had, else read. `read` reads the file in (it reports progress as it goes).
    pub fn of(
        file: &File,
        len: u64,
        read: impl FnOnce() -> std::io::Result<Vec<u8>>,
    ) -> std::io::Result<Arc<Source>> {
        if std::env::var_os("CLAIMDESK_NO_MMAP").is_none()
            && let Some(mapped) = Mapping::new(file, len)
        {
            let source = Arc::new(Source::Mapped(mapped));
            Mapping::watch(&source);
            return Ok(source);
        }
        read().map(|bytes| Arc::new(Source::Read(bytes)))
    }

    /// Whether the bytes are (still) the file's own pages, under a lease.
    pub fn is_mapped(&self) -> bool {
        matches!(self, Self::Mapped(m) if m.leased())
    }
}

/// A file mapped read-only, under a read lease until the lease is broken.
pub struct Mapping {
    ptr: *mut libc::c_void,
    len: usize,
    /// The file, held open for its lease; `None` once the bytes are a copy of our own.
    file: Mutex<Option<File>>,
}

// SAFETY: the mapping is read-only and never unmapped before drop; the one change made to
// it (`detach`) replaces its pages by identical ones atomically, under `file`'s mutex.
unsafe impl Send for Mapping {}
unsafe impl Sync for Mapping {}

impl Mapping {
    fn new(file: &File, len: u64) -> Option<Self> {
        use std::os::fd::AsRawFd;
        let len = usize::try_from(len).ok().filter(|&l| l > 0)?;
        watcher()?;
        let own = file.try_clone().ok()?;
        let fd = own.as_raw_fd();
        // SAFETY: plain fcntl on a descriptor we own.
        if unsafe { libc::fcntl(fd, libc::F_SETLEASE, libc::F_RDLCK) } != 0 {
            return None;
        }
        // The lease names the thread that took it (a loading thread, soon gone) as the
        // one the kernel signals; name the process instead, or no break is ever heard.
        if !signal_the_process(fd) {
            // SAFETY: as above.
            unsafe { libc::fcntl(fd, libc::F_SETLEASE, libc::F_UNLCK) };
            return None;
        }
        // SAFETY: a fresh read-only private mapping of a file we hold open; checked below.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_POPULATE,
                fd,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            // SAFETY: as above; `own` closes when it drops.
            unsafe { libc::fcntl(fd, libc::F_SETLEASE, libc::F_UNLCK) };
            return None;
        }
        let mapping = Self {
            ptr,
            len,
            file: Mutex::new(Some(own)),
        };
        // The length may have changed between the stat and the lease; a mapping longer
        // than the file would fault past its end.
        match mapping.current_len() {
            Some(now) if now == len as u64 => Some(mapping),
            _ => None,
        }
    }

    fn current_len(&self) -> Option<u64> {
        let file = self.file.lock().ok()?;
        file.as_ref()?.metadata().ok().map(|m| m.len())
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` maps `len` readable bytes for as long as `self` lives; their
        // content never changes (see `detach`).
        unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
    }

    fn leased(&self) -> bool {
        self.file.lock().map(|f| f.is_some()).unwrap_or(false)
    }

    /// Whether the lease is being broken: the kernel then reports the type it is giving
    /// way to (`F_UNLCK`). A lease it cannot tell about is taken as breaking.
    fn breaking(&self) -> bool {
        use std::os::fd::AsRawFd;
        let Ok(file) = self.file.lock() else {
            return true;
        };
        match file.as_ref() {
            Some(f) => {
                // SAFETY: plain fcntl on the descriptor we hold.
                let held = unsafe { libc::fcntl(f.as_raw_fd(), libc::F_GETLEASE) };
                held != libc::F_RDLCK
            }
            None => false,
        }
    }

    fn watch(source: &Arc<Source>) {
        if let Ok(mut live) = registry().lock() {
            live.retain(|w| w.strong_count() > 0);
            live.push(Arc::downgrade(source));
        }
    }

    /// Replaces the file's pages by a copy of them at the same address, then lets the
    /// lease go. Run when the lease is being broken; the breaker waits meanwhile.
    fn detach(&self) {
        let Ok(mut file) = self.file.lock() else {
            return;
        };
        let Some(held) = file.take() else {
            return;
        };
        // SAFETY: a fresh anonymous mapping, filled from ours (the file cannot shrink
        // while the lease holds), made read-only and moved over ours in one step.
        unsafe {
            let copy = libc::mmap(
                std::ptr::null_mut(),
                self.len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if copy != libc::MAP_FAILED {
                std::ptr::copy_nonoverlapping(self.ptr as *const u8, copy as *mut u8, self.len);
                libc::mprotect(copy, self.len, libc::PROT_READ);
                let moved = libc::mremap(
                    copy,
                    self.len,
                    self.len,
                    libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
                    self.ptr,
                );
                if moved == libc::MAP_FAILED {
                    libc::munmap(copy, self.len);
                    // Keep the lease: better to hold the other program back (the kernel
                    // lets it go after `lease-break-time`) than to lose the bytes.
                    *file = Some(held);
                    return;
                }
            } else {
                *file = Some(held);
                return;
            }
        }
        use std::os::fd::AsRawFd;
        // SAFETY: plain fcntl on the descriptor we hold; dropped (closed) right after.
        unsafe { libc::fcntl(held.as_raw_fd(), libc::F_SETLEASE, libc::F_UNLCK) };
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: unmaps the mapping made in `new` (or the copy moved over it).
        unsafe { libc::munmap(self.ptr, self.len) };
    }
}

/// Makes the process, not the calling thread, the one signalled about `fd`
/// (`F_SETOWN_EX` with `F_OWNER_PID`).
fn signal_the_process(fd: libc::c_int) -> bool {
    #[repr(C)]
    struct FOwnerEx {
        kind: libc::c_int,
        pid: libc::pid_t,
    }
    const F_SETOWN_EX: libc::c_int = 15;
    const F_OWNER_PID: libc::c_int = 1;
    let owner = FOwnerEx {
        kind: F_OWNER_PID,
        // SAFETY: getpid cannot fail.
        pid: unsafe { libc::getpid() },
    };
    // SAFETY: fcntl with a pointer to a live, properly laid out `struct f_owner_ex`.
    unsafe { libc::fcntl(fd, F_SETOWN_EX, &owner as *const FOwnerEx) == 0 }
}

fn registry() -> &'static Mutex<Vec<Weak<Source>>> {
    static LIVE: OnceLock<Mutex<Vec<Weak<Source>>>> = OnceLock::new();
    LIVE.get_or_init(|| Mutex::new(Vec::new()))
}

/// The thread that answers lease breaks (SIGIO, through a self-pipe), started once; None
/// where it could not be, and then no file is mapped.
fn watcher() -> Option<()> {
    static STARTED: OnceLock<bool> = OnceLock::new();
    let started = STARTED.get_or_init(|| {
        let Ok((mut read, write)) = std::os::unix::net::UnixStream::pair() else {
            return false;
        };
        if signal_hook::low_level::pipe::register(signal_hook::consts::SIGIO, write).is_err() {
            return false;
        }
        std::thread::Builder::new()
            .name("lease-watch".into())
            .spawn(move || {
                let mut buf = [0u8; 64];
                while read.read(&mut buf).is_ok_and(|n| n > 0) {
                    let live: Vec<Arc<Source>> = match registry().lock() {
                        Ok(live) => live.iter().filter_map(Weak::upgrade).collect(),
                        Err(_) => Vec::new(),
                    };
                    for source in live {
                        if let Source::Mapped(m) = &*source
                            && m.breaking()
                        {
                            m.detach();
                        }
                    }
                }
            })
            .is_ok()
    });
    started.then_some(())
}
