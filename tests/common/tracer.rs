//! A tracer of the tests' own for the kill points: ptrace on every thread (and child) of
//! the process, counting one set of system calls across all of them, and SIGKILL at the
//! entry of the `nth` — the call never runs. strace counts each thread's calls apart
//! (`when=N` fires at whichever thread first makes its `N`th), so a call of one thread
//! is reached only when no other thread got to its own `N`th first; counted across
//! threads, every call of every thread is a kill point of its own.
//!
//! Linux on x86-64 only (the system call numbers and the syscall-info layout are that
//! platform's); elsewhere `supported` says no and the tests that need it say they skip.

#![allow(unsafe_code)]

use std::collections::HashSet;
use std::os::unix::fs::FileExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Which of the calls count: all of them, or only those on files under a folder (by the
/// path a call names, or the file its descriptor is open on), so that a kill point is a
/// call on the workspace's own files, whichever thread makes it.
#[derive(Debug, Clone)]
pub enum Only {
    All,
    Under(PathBuf),
}

/// Whether this platform has the tracer.
pub fn supported() -> bool {
    cfg!(all(target_os = "linux", target_arch = "x86_64"))
}

/// The system calls a write path makes to change a file, by name, as the kill tests
/// list them: their numbers on this platform (a name it does not have is skipped).
pub fn numbers(names: &[&str]) -> HashSet<i64> {
    names.iter().filter_map(|n| number(n)).collect()
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn number(name: &str) -> Option<i64> {
    Some(match name {
        "write" => libc::SYS_write,
        "pwrite64" => libc::SYS_pwrite64,
        "writev" => libc::SYS_writev,
        "fsync" => libc::SYS_fsync,
        "fdatasync" => libc::SYS_fdatasync,
        "rename" => libc::SYS_rename,
        "renameat" => libc::SYS_renameat,
        "renameat2" => libc::SYS_renameat2,
        "link" => libc::SYS_link,
        "linkat" => libc::SYS_linkat,
        "unlink" => libc::SYS_unlink,
        "unlinkat" => libc::SYS_unlinkat,
        "open" => libc::SYS_open,
        "openat" => libc::SYS_openat,
        "ftruncate" => libc::SYS_ftruncate,
        "copy_file_range" => libc::SYS_copy_file_range,
        _ => return None,
    })
}

#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
fn number(_: &str) -> Option<i64> {
    None
}

/// How a traced run ended.
#[derive(Debug, Clone, Copy)]
pub struct Traced {
    /// Killed at the chosen call.
    pub killed: bool,
    /// The main process's exit code, when it exited.
    pub code: Option<i32>,
    /// How many of the counted calls were made, all threads together (up to the kill).
    pub calls: u32,
}

/// Runs `command` traced from its first instruction, killing it at the entry of the
/// `nth` call (from 1) of `calls`, counted across every thread and child. Its output
/// goes where `command` sends it (a file, or nowhere: it is not captured here). It runs
/// in a process group of its own, which the tracer waits on: never on another test's
/// children.
pub fn run_killing(mut command: Command, calls: &HashSet<i64>, only: &Only, nth: u32) -> Traced {
    command.process_group(0);
    // SAFETY: between fork and exec only async-signal-safe calls: ptrace(TRACEME). The
    // child then stops with SIGTRAP at its exec, before running anything.
    unsafe {
        command.pre_exec(|| {
            if libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    // Reaped by the trace loop's waitpid, not by `Child::wait`.
    #[allow(clippy::zombie_processes)]
    let pid = command.spawn().expect("the traced command starts").id() as libc::pid_t;
    // Its exec stop, then on from there, every thread and child traced.
    let mut status = 0;
    // SAFETY: waitpid on our own child, into a local.
    unsafe { libc::waitpid(pid, &mut status, libc::__WALL) };
    let options = libc::PTRACE_O_TRACESYSGOOD
        | libc::PTRACE_O_TRACECLONE
        | libc::PTRACE_O_TRACEFORK
        | libc::PTRACE_O_TRACEVFORK
        | libc::PTRACE_O_EXITKILL;
    // SAFETY: ptrace requests on a stopped tracee of ours.
    unsafe {
        libc::ptrace(libc::PTRACE_SETOPTIONS, pid, 0, options);
        libc::ptrace(libc::PTRACE_SYSCALL, pid, 0, 0);
    }
    follow(pid, calls, only, nth)
}

/// Attaches to every thread of the running process `pid` (the app, already on screen)
/// and kills it at the entry of the `nth` call of `calls` counted from now, across all
/// of its threads. Returns once the process is gone (killed, or quit). Call it on a
/// thread of its own: the thread that attaches is the one that traces.
pub fn attach_killing(pid: u32, calls: &HashSet<i64>, only: &Only, nth: u32) -> Traced {
    let pid = pid as libc::pid_t;
    let options = libc::PTRACE_O_TRACESYSGOOD
        | libc::PTRACE_O_TRACECLONE
        | libc::PTRACE_O_TRACEFORK
        | libc::PTRACE_O_TRACEVFORK
        | libc::PTRACE_O_EXITKILL;
    // Every thread there is; a thread made meanwhile is traced through its parent's
    // clone event, so the listing is read again until it holds no new one.
    let mut seized = HashSet::new();
    loop {
        let tasks: Vec<libc::pid_t> = std::fs::read_dir(format!("/proc/{pid}/task"))
            .map(|d| {
                d.flatten()
                    .filter_map(|t| t.file_name().to_str()?.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        let fresh: Vec<libc::pid_t> = tasks.into_iter().filter(|t| !seized.contains(t)).collect();
        if fresh.is_empty() {
            break;
        }
        for tid in fresh {
            // SAFETY: ptrace requests on a thread of a process the test started.
            unsafe {
                libc::ptrace(libc::PTRACE_SEIZE, tid, 0, options);
                libc::ptrace(libc::PTRACE_INTERRUPT, tid, 0, 0);
            }
            seized.insert(tid);
        }
    }
    follow(pid, calls, only, nth)
}

/// The kernel's `struct ptrace_syscall_info`, as far as a call's entry goes.
#[repr(C)]
#[derive(Default)]
struct SyscallInfo {
    op: u8,
    _pad: u8,
    _flags: u16,
    _arch: u32,
    _ip: u64,
    _sp: u64,
    nr: u64,
    args: [u64; 6],
}

const ENTRY: u8 = 1;

/// The trace loop: every stop of every tracee in `pid`'s process group, until none is
/// left.
fn follow(pid: libc::pid_t, calls: &HashSet<i64>, only: &Only, nth: u32) -> Traced {
    let mut counted = 0u32;
    let mut killed = false;
    let mut code = None;
    // SAFETY: getpgid of a process the test started.
    let group = unsafe { libc::getpgid(pid) };
    loop {
        let mut status = 0;
        // SAFETY: waitpid for a tracee of that group, into a local.
        let tid = unsafe { libc::waitpid(-group, &mut status, libc::__WALL) };
        if tid < 0 {
            break; // No tracee left.
        }
        if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
            if tid == pid {
                code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
            }
            continue;
        }
        if !libc::WIFSTOPPED(status) {
            continue;
        }
        let signal = libc::WSTOPSIG(status);
        let event = status >> 16;
        let deliver = if signal == (libc::SIGTRAP | 0x80) {
            let mut info = SyscallInfo::default();
            // SAFETY: the kernel writes at most `size_of::<SyscallInfo>()` bytes into it.
            let got = unsafe {
                libc::ptrace(
                    libc::PTRACE_GET_SYSCALL_INFO,
                    tid,
                    std::mem::size_of::<SyscallInfo>(),
                    &mut info as *mut SyscallInfo,
                )
            };
            if got > 0
                && info.op == ENTRY
                && !killed
                && calls.contains(&(info.nr as i64))
                && counts(tid, &info, only)
            {
                counted += 1;
                if counted == nth {
                    // SAFETY: a signal to the process the test traces.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    killed = true;
                }
            }
            0
        } else if event != 0 || signal == libc::SIGTRAP {
            // A clone, fork or exec event, or a stop the attach asked for.
            0
        } else if signal == libc::SIGSTOP {
            // A new thread's first stop (or the attach's).
            0
        } else {
            signal
        };
        // SAFETY: resumes a stopped tracee of ours, to its next system call.
        unsafe { libc::ptrace(libc::PTRACE_SYSCALL, tid, 0, deliver) };
    }
    Traced {
        killed,
        code,
        calls: counted,
    }
}

/// Whether a call counts under `only`: one on a file under the folder, by a path it
/// names or the file a descriptor it writes is open on.
fn counts(tid: libc::pid_t, info: &SyscallInfo, only: &Only) -> bool {
    let Only::Under(folder) = only else {
        return true;
    };
    let nr = info.nr as i64;
    let a = info.args;
    let fd = |n: u64| std::fs::read_link(format!("/proc/{tid}/fd/{}", n as i32)).ok();
    let at = |dirfd: u64, path: u64| -> Option<PathBuf> {
        let name = read_string(tid, path)?;
        let name = Path::new(&name);
        if name.is_absolute() {
            return Some(name.to_owned());
        }
        let base = if dirfd as i32 == libc::AT_FDCWD {
            std::fs::read_link(format!("/proc/{tid}/cwd")).ok()?
        } else {
            fd(dirfd)?
        };
        Some(base.join(name))
    };
    let cwd = libc::AT_FDCWD as u64;
    let named: Vec<Option<PathBuf>> = match nr {
        libc::SYS_write
        | libc::SYS_pwrite64
        | libc::SYS_writev
        | libc::SYS_fsync
        | libc::SYS_fdatasync
        | libc::SYS_ftruncate => vec![fd(a[0])],
        libc::SYS_copy_file_range => vec![fd(a[2])],
        libc::SYS_open | libc::SYS_unlink => vec![at(cwd, a[0])],
        libc::SYS_openat | libc::SYS_unlinkat => vec![at(a[0], a[1])],
        libc::SYS_rename | libc::SYS_link => vec![at(cwd, a[0]), at(cwd, a[1])],
        libc::SYS_renameat | libc::SYS_renameat2 | libc::SYS_linkat => {
            vec![at(a[0], a[1]), at(a[2], a[3])]
        }
        _ => vec![],
    };
    named.into_iter().flatten().any(|p| p.starts_with(folder))
}

/// A NUL-terminated string at `address` in the tracee's memory.
fn read_string(tid: libc::pid_t, address: u64) -> Option<String> {
    let mem = std::fs::File::open(format!("/proc/{tid}/mem")).ok()?;
    let mut buf = vec![0u8; 4096];
    let n = mem.read_at(&mut buf, address).ok()?;
    buf.truncate(n);
    let end = buf.iter().position(|&b| b == 0)?;
    buf.truncate(end);
    String::from_utf8(buf).ok()
}
