//! kill -9 at every write, fsync, rename, link, unlink, open and truncate of each write
//! path a user takes — `claimdesk verdict`, `import` (into a workspace and into a new
//! one), `recover`, and the app's background save after a verdict in a real terminal.
//! The calls are counted across every thread of the process (`common::tracer`, ptrace:
//! the save writes on one thread while another reads the file back and a third hashes,
//! and strace would count each thread apart), and the process is killed at the entry of
//! each in turn. Counted: no verdict reported as recorded is lost, none is doubled, and
//! the workspace always loads (after a killed `recover`, once `recover` is run again).
//! The counts are printed for the README.
#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

mod common;

use claimdesk::store::{self, Access, Disk};
use common::tmux::{Tmux, hermetic_env};
use common::tracer;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Every call a write path makes to change a file: the `*at` forms are what the C
/// library and std use for some of them, and strace counts each name on its own.
const SYSCALLS: [&str; 12] = [
    "write",
    "fsync",
    "fdatasync",
    "rename",
    "renameat",
    "renameat2",
    "link",
    "linkat",
    "unlink",
    "unlinkat",
    "openat",
    "ftruncate",
];
/// The most kill points tried per system call (the first ones: a run that got past the
/// last one stops the sweep for that call).
const MAX_POINTS: u32 = 60;
/// The claim every case records its verdicts on (the first seed page).
const A: &str = "39edfb4563007f91";

fn strace() -> bool {
    let found = Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "strace is required in CI (.ci/run installs it)"
        );
        eprintln!("skipped: strace is not installed");
    }
    found
}

/// What one killed run left, by the case's own rule.
enum Left {
    Fine,
    Lost(String),
    Doubled(String),
    Unloadable(String),
}

#[derive(Default)]
struct Counts {
    tried: u32,
    /// Points where the run had reported its edit as recorded before it was killed.
    after_report: u32,
    lost: u32,
    doubled: u32,
    unloadable: u32,
}

/// How a traced run ended: killed at the chosen call, or ran to its end.
struct Ran {
    killed: bool,
    reported: bool,
}

/// Runs `run` once per kill point (a system call, and which of them across all threads),
/// each in a fresh folder made by `prepare`, and has `check` judge what it left.
fn sweep(
    case: &str,
    home: &Path,
    prepare: impl Fn(&Path) -> PathBuf,
    run: impl Fn(&Path, &Path, &str, u32) -> Ran,
    check: impl Fn(&Path, bool) -> Left,
) -> Counts {
    let mut counts = Counts::default();
    for syscall in SYSCALLS {
        for when in 1..=MAX_POINTS {
            let dir = home.join(format!("{case}-{syscall}-{when}"));
            std::fs::create_dir(&dir).expect("dir");
            let ws = prepare(&dir);
            let ran = run(&dir, &ws, syscall, when);
            counts.tried += 1;
            counts.after_report += u32::from(ran.killed && ran.reported);
            match check(&ws, ran.reported) {
                Left::Fine => {}
                Left::Lost(why) => {
                    counts.lost += 1;
                    eprintln!("{case} {syscall}#{when}: lost: {why}");
                }
                Left::Doubled(why) => {
                    counts.doubled += 1;
                    eprintln!("{case} {syscall}#{when}: doubled: {why}");
                }
                Left::Unloadable(why) => {
                    counts.unloadable += 1;
                    eprintln!("{case} {syscall}#{when}: does not load: {why}");
                }
            }
            std::fs::remove_dir_all(&dir).expect("clean");
            if !ran.killed {
                break; // The call was not made a `when`-th time: the run got to its end.
            }
        }
    }
    println!(
        "{case}: kill points tried: {} ({} after the edit was reported); verdicts lost: {}; doubled: {}; unloadable: {}",
        counts.tried, counts.after_report, counts.lost, counts.doubled, counts.unloadable
    );
    counts
}

/// The binary under strace, hermetic, with one fault injected.
fn strace_command(home: &Path, inject: &str, args: &[&std::ffi::OsStr]) -> Command {
    let mut c = Command::new("strace");
    c.args(["-f", "-qq", "-o", "/dev/null", "-e", inject])
        .arg(env!("CARGO_BIN_EXE_claimdesk"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".state"))
        .env_remove("CLAIMDESK_WORKSPACE");
    c
}

/// The binary, hermetic, killed at the `when`th `syscall` its threads make together;
/// `reported` is what its standard output says once the edit is recorded.
fn under_tracer(
    home: &Path,
    dir: &Path,
    syscall: &str,
    when: u32,
    args: &[&std::ffi::OsStr],
    reported: &str,
) -> Ran {
    let out = dir.join("stdout.txt");
    let mut c = command_in(home);
    c.args(args)
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::process::Stdio::null());
    let calls = tracer::numbers(&[syscall]);
    let traced = tracer::run_killing(c, &calls, &tracer::Only::All, when);
    let said = std::fs::read_to_string(&out).unwrap_or_default();
    let _ = std::fs::remove_file(&out);
    Ran {
        killed: traced.killed,
        reported: traced.code == Some(0) && said.contains(reported),
    }
}

/// The notes of claim A's reviews once the journal is replayed.
fn notes(ws: &Path) -> Result<Vec<String>, String> {
    let opened = Disk::open(ws, Access::ReadOnly, None).map_err(|e| e.to_string())?;
    let claim = opened.workspace.claim(A).ok_or("claim A is gone")?;
    Ok(claim.reviews.iter().map(|r| r.note.clone()).collect())
}

/// The rule every case shares: the file loads; each of `kept` is there exactly once;
/// `during` is there once if it was reported as recorded, and never twice.
fn judge(ws: &Path, kept: &[&str], during: Option<&str>, reported: bool) -> Left {
    if let Err(e) = store::load(ws) {
        return Left::Unloadable(e.to_string());
    }
    let n = match notes(ws) {
        Ok(n) => n,
        Err(e) => return Left::Unloadable(e),
    };
    let count = |note: &str| n.iter().filter(|x| *x == note).count();
    if kept.iter().any(|k| count(k) == 0) || (reported && during.is_some_and(|d| count(d) == 0)) {
        return Left::Lost(format!("{n:?}"));
    }
    if kept.iter().chain(during.iter()).any(|k| count(k) > 1) {
        return Left::Doubled(format!("{n:?}"));
    }
    Left::Fine
}

fn verdict(home: &Path, ws: &Path, verdict: &str, note: &str) {
    let out = command_in(home)
        .args(["verdict", A, verdict, "--note", note, "-w"])
        .arg(ws)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A workspace of both seed claims with one verdict recorded (in the file and in the
/// journal, as a verdict leaves them).
fn seeded(home: &Path, dir: &Path, template: &Path) -> PathBuf {
    let ws = dir.join("w.json");
    std::fs::copy(template, &ws).expect("copy");
    verdict(home, &ws, "stalled", "before");
    ws
}

fn template(home: &Path, name: &str, ws: &claimdesk::model::Workspace) -> PathBuf {
    let path = home.join(name);
    store::save(&path, ws).expect("template");
    path
}

fn report(all: &[Counts]) {
    let total = |f: fn(&Counts) -> u32| all.iter().map(f).sum::<u32>();
    let (tried, lost, doubled, unloadable) = (
        total(|c| c.tried),
        total(|c| c.lost),
        total(|c| c.doubled),
        total(|c| c.unloadable),
    );
    println!(
        "all: kill points tried: {tried}; verdicts lost: {lost}; doubled: {doubled}; unloadable: {unloadable}"
    );
    assert_eq!(
        (lost, doubled, unloadable),
        (0, 0, 0),
        "of {tried} kill points"
    );
}

#[test]
fn the_command_line_loses_no_verdict_when_killed_at_any_syscall() {
    if !strace() {
        return;
    }
    let home = tempdir();
    let home = home.path();
    let both = template(home, "both.json", &seed_workspace());
    let one = template(
        home,
        "one.json",
        &import_pages(&[(SEED_000, &read_fixture(SEED_000))]),
    );
    let page = fixture(SEED_001);

    let verdicts = sweep(
        "verdict",
        home,
        |dir| seeded(home, dir, &both),
        |dir, ws, syscall, when| {
            let args = ["verdict", A, "failed", "--note", "during", "-w"];
            let mut all: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
            all.push(ws.as_os_str());
            under_tracer(home, dir, syscall, when, &all, "Recorded")
        },
        |ws, reported| judge(ws, &["before"], Some("during"), reported),
    );

    // Import into a workspace that holds a verdict: the verdict stays, once; the
    // imported claim is there if the import said so.
    let imports = sweep(
        "import",
        home,
        |dir| seeded(home, dir, &one),
        |dir, ws, syscall, when| {
            let all = [
                "import".as_ref(),
                page.as_os_str(),
                "-w".as_ref(),
                ws.as_os_str(),
            ];
            under_tracer(home, dir, syscall, when, &all, "imported into")
        },
        |ws, reported| match judge(ws, &["before"], None, false) {
            Left::Fine => {
                let claims = store::load(ws).map(|w| w.claims.len()).unwrap_or(0);
                if reported && claims != 2 {
                    Left::Lost(format!("the import reported done; {claims} claims"))
                } else {
                    Left::Fine
                }
            }
            other => other,
        },
    );

    // Import making a new workspace: none, or a whole one.
    let created = sweep(
        "import-new",
        home,
        |dir| dir.join("new.json"),
        |dir, ws, syscall, when| {
            let all = [
                "import".as_ref(),
                page.as_os_str(),
                "-w".as_ref(),
                ws.as_os_str(),
            ];
            under_tracer(home, dir, syscall, when, &all, "imported into")
        },
        |ws, reported| match store::load(ws) {
            Ok(w) if w.claims.len() == 1 => Left::Fine,
            Ok(w) => Left::Lost(format!("{} claims", w.claims.len())),
            Err(_) if !ws.exists() && !reported => Left::Fine,
            Err(e) => Left::Unloadable(e.to_string()),
        },
    );

    // Recover after the file was cut short: killed anywhere, the next `recover` (or the
    // file itself, if this one finished) has both verdicts, each once.
    let recovers = sweep(
        "recover",
        home,
        |dir| {
            let ws = seeded(home, dir, &both);
            verdict(home, &ws, "failed", "second");
            let bytes = std::fs::read(&ws).expect("read");
            std::fs::write(&ws, &bytes[..bytes.len() / 2]).expect("cut");
            ws
        },
        |dir, ws, syscall, when| {
            let all = ["recover".as_ref(), "-w".as_ref(), ws.as_os_str()];
            under_tracer(home, dir, syscall, when, &all, "Recovered")
        },
        |ws, reported| {
            if !ws.exists() {
                // Another command would start a new workspace over .bak and the journal.
                return Left::Unloadable("the workspace is missing".into());
            }
            if store::load(ws).is_err() {
                if reported {
                    return Left::Unloadable("recover said it was done".into());
                }
                let again = command_in(home)
                    .args(["recover", "-w"])
                    .arg(ws)
                    .output()
                    .expect("runs");
                if !again.status.success() {
                    return Left::Unloadable(format!("recover again: {}", stderr(&again)));
                }
            }
            judge(ws, &["before", "second"], None, false)
        },
    );
    report(&[verdicts, imports, created, recovers]);
}

/// The TracerPid of every thread of `pid` is set: strace has attached to all of them.
fn traced(pid: u32) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    tasks.flatten().all(|task| {
        std::fs::read_to_string(task.path().join("status")).is_ok_and(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("TracerPid:"))
                .is_some_and(|t| t.trim() != "0")
        })
    })
}

/// The app on a workspace holding one verdict, the tracer attached to all its threads
/// once its claims show; a verdict recorded with the keys a reviewer types, then a wait
/// for its background save (or the kill), then `q`. With `save_files`, only the calls on
/// the workspace's own files (by path or descriptor: the file, its `.bak`, journal and
/// temporaries) count, whichever thread makes them, so that the kill points are the
/// save's and not the screen's many writes to the terminal.
fn app_sweep(home: &Path, case: &str, save_files: bool) -> Counts {
    sweep(
        case,
        home,
        |dir| {
            let ws = dir.join("w.json");
            std::fs::write(&ws, store::SAMPLE).expect("sample");
            verdict(home, &ws, "stalled", "before");
            ws
        },
        |dir, ws, syscall, when| {
            let bin = env!("CARGO_BIN_EXE_claimdesk");
            let script = format!(
                "env {} TERM=xterm-256color '{bin}' '{}' --reviewer ana; code=$?; stty sane; printf '\\nEXIT=%s END-OF-RUN\\n' $code; sleep 30",
                hermetic_env(dir),
                ws.display()
            );
            let name = format!(
                "cd-kill-{}",
                dir.file_name().and_then(|n| n.to_str()).unwrap_or("x")
            );
            let t = Tmux::spawn(&name, &script);
            t.wait_for("Officials discussed");
            let pid = t.pid();
            let only = if save_files {
                tracer::Only::Under(dir.to_owned())
            } else {
                tracer::Only::All
            };
            let calls = tracer::numbers(&[syscall]);
            let tracing =
                std::thread::spawn(move || tracer::attach_killing(pid, &calls, &only, when));
            let start = std::time::Instant::now();
            while !traced(pid) {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "the tracer did not attach"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
            t.keys(&["v", "1"]);
            t.type_text("during");
            t.keys(&["C-s"]);
            // Until the save is done (the verdict shown, nothing unsaved) or the kill.
            let screen = t.wait_until("the save or the kill", |s| {
                s.contains("EXIT=")
                    || (s.contains("Recorded verdict complete") && !s.contains("unsaved"))
            });
            let reported = screen.contains("Recorded verdict complete");
            let screen = if screen.contains("EXIT=") {
                screen
            } else {
                t.keys(&["q"]);
                t.wait_for("END-OF-RUN")
            };
            let traced = tracing.join().expect("the tracer");
            Ran {
                killed: traced.killed || !screen.contains("EXIT=0 "),
                reported,
            }
        },
        |ws, reported| judge(ws, &["before"], Some("during"), reported),
    )
}

#[test]
fn the_apps_background_save_loses_no_verdict_when_killed_at_any_syscall() {
    if !strace() {
        return;
    }
    let home = tempdir();
    let all = app_sweep(home.path(), "app", false);
    let files = app_sweep(home.path(), "app-save-files", true);
    report(&[all, files]);
}

/// An outside change made while a save is about to put its file in place — another file
/// renamed over the workspace, or an edit in place of the same length with its times
/// put back — is never overwritten: the save swaps its file in, finds the one it
/// displaced is not the one it read, swaps it back and says so. The swap is held up
/// 1.5 s with strace while the change is made.
#[test]
fn an_outside_change_while_a_save_swaps_its_file_in_is_not_overwritten() {
    if !strace() {
        return;
    }
    for how in ["replace", "in place"] {
        let home = tempdir();
        let home = home.path();
        let template = template(home, "both.json", &seed_workspace());
        let ws = seeded(home, home, &template);
        // Another program's version of the file: the claim renamed (in place: the same
        // number of bytes).
        let mut theirs = store::load(&ws).expect("loads");
        let title = theirs.claims[0].title.clone();
        theirs.claims[0].title = format!("X{}", &title[1..]);
        let edited = home.join("edited.json");
        store::save(&edited, &theirs).expect("saves");
        let args = ["verdict", A, "failed", "--note", "during", "-w"];
        let mut all: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        all.push(ws.as_os_str());
        let child = strace_command(home, "inject=renameat2:delay_enter=1500000:when=1", &all)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("strace runs");
        std::thread::sleep(Duration::from_millis(700));
        if how == "replace" {
            std::fs::rename(&edited, &ws).expect("replace");
        } else {
            let before = std::fs::metadata(&ws).expect("meta");
            let text = std::fs::read_to_string(&ws).expect("read");
            let changed = text.replacen(&title, &format!("X{}", &title[1..]), 1);
            assert_eq!(changed.len(), text.len());
            std::fs::write(&ws, changed).expect("in place");
            let times = std::fs::FileTimes::new().set_modified(before.modified().expect("m"));
            std::fs::File::options()
                .write(true)
                .open(&ws)
                .and_then(|f| f.set_times(times))
                .expect("times put back");
        }
        let out = child.wait_with_output().expect("waits");
        assert!(out.status.success(), "{how}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("changed on disk"),
            "{how}: {}",
            stderr(&out)
        );
        let file = store::load(&ws).expect("loads");
        assert!(file.claims[0].title.starts_with('X'), "{how}: theirs kept");
        // The verdict is in the journal, and the next open puts it on their version.
        let opened = Disk::open(&ws, Access::ReadOnly, None).expect("opens");
        let c = opened.workspace.claim(A).expect("claim");
        assert!(c.title.starts_with('X'));
        let during = c.reviews.iter().filter(|r| r.note == "during").count();
        assert_eq!(during, 1, "{how}");
    }
}
