//! End to end in a real terminal: the release-like binary runs in tmux, keys are typed
//! with `send-keys`, the screen is read with `capture-pane`, and the workspace file is
//! checked afterwards. Also: each ending signal restores the terminal and keeps edits.
//! Needs tmux (`.ci/run` installs it).

mod common;
#[path = "common/generate.rs"]
mod generate;

use claimdesk::model::{FollowUpState, Verdict};
use claimdesk::store;
use common::tmux::{Tmux, hermetic_env};
use common::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn workspace_in(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("w.json");
    std::fs::write(&path, store::SAMPLE).expect("write the sample");
    path
}

#[test]
fn a_reviewer_works_through_the_sample_in_a_real_terminal() {
    let dir = tempdir();
    let path = workspace_in(dir.path());
    let t = Tmux::start(
        "cd-e2e",
        dir.path(),
        &[
            path.to_str().expect("utf8"),
            "--today",
            "2026-02-16",
            "--reviewer",
            "ana",
        ],
    );
    // All three panes, and the reader.
    t.keys(&["j", "Tab", "j", "Enter"]);
    t.wait_for("Update 2/304");
    t.keys(&["Escape", "Tab"]);
    t.wait_for("[Follow-ups]");
    // The claim's details from the calendar pane; Esc closes them.
    t.keys(&["i"]);
    t.wait_for("Completion due: Fri Jan 23, 2026");
    t.keys(&["Escape"]);
    t.wait_until("the details to close", |s| !s.contains("Claim details"));
    t.keys(&["BTab", "BTab"]);
    t.wait_for("[Claims]");
    // A verdict with a rationale on the first claim.
    t.keys(&["k", "v", "3"]);
    t.wait_for("Why in_progress?");
    t.type_text("Meetings held");
    t.keys(&["Enter"]);
    t.type_text("no measurable drop yet");
    t.keys(&["C-s"]);
    t.wait_for("Recorded verdict in_progress");
    // A follow-up two days after the cursor day (Feb 15), then undo and redo it.
    t.keys(&["Tab", "Tab", "l", "l", "a"]);
    t.wait_for("Note for the follow-up on Tue Feb 17, 2026");
    t.type_text("call the desk");
    t.keys(&["Enter"]);
    t.wait_for("Recorded follow-up on Feb 17");
    t.keys(&["u"]);
    t.wait_for("Undid follow-up on Feb 17");
    t.keys(&["C-r"]);
    t.wait_for("Redid follow-up on Feb 17");
    t.keys(&["q"]);
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        screen.contains("icanon echo"),
        "the terminal is restored:\n{screen}"
    );

    let ws = store::load(&path).expect("saved workspace loads");
    let c = &ws.claims[0];
    assert_eq!(c.verdict(), Some(Verdict::InProgress));
    assert_eq!(c.reviews[0].note, "Meetings held\nno measurable drop yet");
    assert_eq!(c.reviews[0].reviewer, "ana");
    let f = c
        .follow_ups
        .iter()
        .find(|f| f.note == "call the desk")
        .expect("the follow-up");
    assert_eq!(
        (f.date.to_string(), f.state),
        ("2026-02-17".to_owned(), FollowUpState::Scheduled)
    );
}

#[test]
fn every_ending_signal_restores_the_terminal_and_keeps_edits() {
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2), ("QUIT", 3)] {
        let dir = tempdir();
        let path = workspace_in(dir.path());
        let name = format!("cd-sig-{signal}");
        let t = Tmux::start(
            &name,
            dir.path(),
            &[
                path.to_str().expect("utf8"),
                "--no-autosave",
                "--reviewer",
                "ana",
            ],
        );
        t.keys(&["v", "5"]);
        t.type_text(&format!("before SIG{signal}"));
        t.keys(&["C-s"]);
        t.wait_for("1 unsaved");
        let pid = t.pid();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let screen = t.wait_for("END-OF-RUN");
        assert!(
            screen.contains(&format!("EXIT={}", 128 + number)),
            "SIG{signal}:\n{screen}"
        );
        assert!(
            screen.contains("icanon echo"),
            "SIG{signal}: the terminal is restored:\n{screen}"
        );
        drop(t);
        // Not saved (no autosave), but safe in the journal: the next open has it.
        let opened = store::Disk::open(&path, store::Access::Write, None).expect("reopens");
        assert_eq!(opened.recovered, 1, "SIG{signal}");
        assert_eq!(
            opened.workspace.claims[0].reviews[0].note,
            format!("before SIG{signal}")
        );
    }
}

#[test]
fn a_verdict_survives_kill_9_right_after_it_is_recorded() {
    let dir = tempdir();
    let path = workspace_in(dir.path());
    let t = Tmux::start(
        "cd-kill9",
        dir.path(),
        &[
            path.to_str().expect("utf8"),
            "--no-autosave",
            "--reviewer",
            "ana",
        ],
    );
    t.keys(&["v", "1"]);
    t.type_text("done, says the record");
    t.keys(&["C-s"]);
    t.wait_for("Recorded verdict complete");
    let pid = t.pid();
    let status = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains("EXIT=137"), "{screen}");
    drop(t);
    let opened = store::Disk::open(&path, store::Access::Write, None).expect("reopens");
    assert_eq!(
        opened.workspace.claims[0].verdict(),
        Some(Verdict::Complete)
    );
}

/// CPU time (user + system, in clock ticks) the process has used so far.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("proc stat");
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')').expect("comm") + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let field = |i: usize| fields[i].parse::<u64>().expect("a number");
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    field(11) + field(12)
}

/// The process state letter: R, S, T (stopped), …
fn process_state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("proc stat");
    stat[stat.rfind(')').expect("comm") + 2..]
        .chars()
        .next()
        .expect("state")
}

/// Whether an SGR sequence (`ESC [ … m`) in `screen` sets a colour: 30–37, 38;…, 40–47,
/// 48;…, 90–97 or 100–107 among its parameters.
fn sets_a_colour(screen: &str) -> bool {
    screen.split("\x1b[").skip(1).any(|seq| {
        let Some(params) = seq.split_once('m').map(|(p, _)| p) else {
            return false;
        };
        params.split(';').any(|p| {
            matches!(
                p.parse::<u16>(),
                Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
            )
        })
    })
}

#[test]
fn no_color_takes_the_colours_and_keeps_reverse_video_and_bold() {
    let dir = tempdir();
    let path = workspace_in(dir.path());
    let args = [path.to_str().expect("utf8")];
    let colour = Tmux::start("cd-colour", dir.path(), &args);
    let styled = colour.screen_with_styles();
    assert!(
        sets_a_colour(&styled),
        "colours without NO_COLOR:\n{styled}"
    );
    drop(colour);

    let env = format!("{} NO_COLOR=1", hermetic_env(dir.path()));
    let plain = Tmux::spawn("cd-no-colour", &Tmux::script(&env, "", &args));
    plain.wait_for("Officials discussed");
    let styled = plain.screen_with_styles();
    assert!(
        !sets_a_colour(&styled),
        "a colour under NO_COLOR:\n{styled}"
    );
    // The selected claim (the first row) is still reversed, and headings still bold.
    let first_row = styled.lines().nth(1).expect("a second line");
    assert!(
        first_row.contains("\x1b[7m") || first_row.contains(";7m"),
        "the selection is not reversed under NO_COLOR: {first_row:?}"
    );
    assert!(styled.contains("\x1b[1m"), "nothing bold under NO_COLOR");
}

#[test]
fn emoji_sequences_never_eat_the_text_beside_them() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    let mut ws: serde_json::Value = serde_json::from_str(store::SAMPLE).expect("sample");
    ws["claims"][0]["title"] = "Thumbs 👍🏽 and 👨‍👩‍👧 ❤️ love 中文 end".into();
    std::fs::write(&path, ws.to_string()).expect("write");
    let args = [path.to_str().expect("utf8")];
    let t = Tmux::spawn(
        "cd-emoji",
        &Tmux::script(&hermetic_env(dir.path()), "", &args),
    );
    let screen = t.wait_for("Thumbs");
    let row = screen
        .lines()
        .find(|l| l.contains("Thumbs"))
        .expect("the title's row");
    // Each emoji alone, every word after it whole,
    // and the pane's two edges on the row.
    assert!(
        row.contains("Thumbs 👍 and 👨👩👧 ❤ love 中文 end"),
        "{row:?}"
    );
    assert_eq!(row.matches('┃').count(), 2, "{row:?}");
}

#[test]
fn the_first_run_with_a_home_that_never_saw_claimdesk_opens_the_sample() {
    // Only HOME set (no XDG folders), then XDG folders that do not exist yet.
    let home = tempdir();
    let only_home = format!("-i HOME='{}' PATH=/usr/bin:/bin", home.path().display());
    let t = Tmux::spawn("cd-first", &Tmux::script(&only_home, "", &[]));
    let screen = t.wait_for("Created a sample workspace");
    assert!(screen.contains("Officials discussed"), "{screen}");
    t.keys(&["q"]);
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains("EXIT=0"), "{screen}");
    let made = home.path().join(".local/share/claimdesk/workspace.json");
    assert!(
        store::load(&made).is_ok(),
        "{} holds the sample",
        made.display()
    );
    drop(t);

    let home = tempdir();
    let xdg = format!(
        "-i HOME='{h}' XDG_DATA_HOME='{h}/not/yet/data' XDG_CONFIG_HOME='{h}/not/yet/config' PATH=/usr/bin:/bin",
        h = home.path().display()
    );
    let t = Tmux::spawn("cd-first-xdg", &Tmux::script(&xdg, "", &[]));
    t.wait_for("Officials discussed");
    t.keys(&["q"]);
    t.wait_for("END-OF-RUN");
    let made = home.path().join("not/yet/data/claimdesk/workspace.json");
    assert!(
        store::load(&made).is_ok(),
        "{} holds the sample",
        made.display()
    );
}

#[test]
fn keys_come_from_the_terminal_when_stdin_is_a_pipe() {
    let dir = tempdir();
    let path = workspace_in(dir.path());
    let script = Tmux::script(
        &hermetic_env(dir.path()),
        "echo x |",
        &[path.to_str().expect("utf8")],
    );
    let t = Tmux::spawn("cd-pipe", &script);
    t.wait_for("Officials discussed");
    t.keys(&["?"]);
    t.wait_for("Keys · Esc, ? or q closes");
    t.keys(&["Escape", "q"]);
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains("EXIT=0"), "{screen}");
}

#[test]
fn without_a_terminal_to_draw_in_it_says_so() {
    let dir = tempdir();
    let path = workspace_in(dir.path());
    let out = command_in(dir.path())
        .arg(&path)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("claimdesk: claimdesk needs a terminal") && err.contains("snapshot"),
        "{err}"
    );
}

#[test]
fn ctrl_z_suspends_and_fg_resumes_with_a_fresh_screen() {
    let dir = tempdir();
    let path = workspace_in(dir.path());
    let t = Tmux::start("cd-suspend", dir.path(), &[path.to_str().expect("utf8")]);
    let pid = t.pid();
    for stop in ["C-z", "kill -TSTP"] {
        if stop == "C-z" {
            t.keys(&["C-z"]);
        } else {
            let status = Command::new("kill")
                .args(["-TSTP", &pid.to_string()])
                .status()
                .expect("kill");
            assert!(status.success());
        }
        let start = Instant::now();
        while process_state(pid) != 'T' {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{stop}: not stopped"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // The terminal is the shell's again: the app's screen is gone.
        let screen = t.screen();
        assert!(!screen.contains("Officials discussed"), "{stop}:\n{screen}");
        let status = Command::new("kill")
            .args(["-CONT", &pid.to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        t.wait_for("Officials discussed");
        // Raw mode again: one key acts without Enter.
        t.keys(&["?"]);
        t.wait_for("Keys · Esc, ? or q closes");
        t.keys(&["Escape"]);
    }
    t.keys(&["q"]);
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("icanon echo"), "restored:\n{screen}");
}

#[test]
fn an_idle_screen_costs_no_cpu_even_with_a_10_mb_body_shown() {
    let dir = tempdir();
    let path = dir.path().join("big.json");
    let mut ws = seed_workspace();
    let body: String = "The ministers met again and said more of the same. "
        .repeat(10 << 20 >> 6)
        .chars()
        .take(10 << 20)
        .collect();
    let newest = ws.claims[0].updates.len() - 1;
    ws.claims[0].updates[newest].body = body.into();
    store::save(&path, &ws).expect("writes");
    let t = Tmux::start("cd-idle", dir.path(), &[path.to_str().expect("utf8")]);
    // The timeline focused, the 10 MB body in its preview.
    t.keys(&["Tab"]);
    t.wait_for("[Timeline]");
    std::thread::sleep(Duration::from_secs(1));
    let pid = t.pid();
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(5));
    let used = cpu_ticks(pid) - before;
    // 5 s at 100 ticks a second: 1 % of a core is 5 ticks.
    assert!(used <= 5, "{used} ticks of CPU in 5 idle seconds");
    t.keys(&["q"]);
    t.wait_for("END-OF-RUN");
}

#[test]
fn y_copies_through_the_terminal_and_o_opens_the_source_in_browser() {
    let dir = tempdir();
    let path = dir.path().join("w.json");
    let mut sample: serde_json::Value = serde_json::from_str(store::SAMPLE).expect("sample");
    // A title with line breaks in it, which a paste into a shell must not take as lines.
    sample["claims"][0]["title"] =
        serde_json::json!("Officials discussed\rtouch /tmp/claimdesk-pwned\rthe need");
    // The newest update of the first claim names a source.
    let updates = sample["claims"][0]["updates"]
        .as_array_mut()
        .expect("updates");
    let newest = updates
        .iter_mut()
        .max_by_key(|u| u["at"].as_str().unwrap_or("").to_owned())
        .expect("an update");
    newest["sources"] = serde_json::json!(["https://example.org/report?id=7&x=1"]);
    // A body a paste into a shell must not act on: an escape sequence, a bidi override.
    newest["body"] = serde_json::json!(
        "Before \u{1b}[31mred\u{1b}[0m \u{1b}]52;c;cm0gLXJmIH4=\u{7} \u{202e}txt.exe\n\nAfter"
    );
    std::fs::write(&path, sample.to_string()).expect("write");
    // A "browser" that writes down what it was asked to open.
    let opened = dir.path().join("opened.txt");
    let browser = dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .expect("script");
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let env = format!("{} BROWSER={}", hermetic_env(dir.path()), browser.display());
    let args = [path.to_str().expect("utf8")];
    let t = Tmux::spawn("cd-copy", &Tmux::script(&env, "", &args));
    // tmux keeps what an application copies with OSC 52 as its newest buffer.
    let status = t
        .tmux()
        .args(["set-option", "-g", "set-clipboard", "on"])
        .status()
        .expect("tmux");
    assert!(status.success());
    t.wait_for("Officials discussed");
    t.keys(&["y"]);
    t.wait_for("Copied the claim's title");
    let buffer = |t: &Tmux| {
        let out = t
            .tmux()
            .args(["show-buffer"])
            .output()
            .expect("show-buffer");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let ws = store::load(&path).expect("loads");
    assert_eq!(
        buffer(&t),
        "Officials discussed touch /tmp/claimdesk-pwned the need",
        "one line"
    );
    // In the timeline, o opens the newest update's first source.
    t.keys(&["Tab", "o"]);
    t.wait_for("Opening https://");
    let newest = ws.claims[0].updates.last().expect("an update");
    let source = newest.sources.first().expect("a source").clone();
    let start = Instant::now();
    while std::fs::read_to_string(&opened).unwrap_or_default() != source {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the browser was not asked"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // And y copies that update's body, clean: no sequence or bidi control in it.
    t.keys(&["y"]);
    t.wait_for("Copied the update's body");
    let copied = buffer(&t);
    assert_eq!(copied.trim_end(), "Before red  txt.exe\n\nAfter");
    assert!(
        !copied.contains(['\u{1b}', '\u{7}', '\u{202e}']),
        "{copied:?}"
    );
    t.keys(&["q"]);
    t.wait_for("END-OF-RUN");
}

#[test]
fn the_config_file_sets_theme_and_keys_and_a_bad_entry_shows_in_the_status_bar() {
    let dir = tempdir();
    let path = workspace_in(dir.path());
    let config = dir.path().join("config/claimdesk/config.toml");
    std::fs::create_dir_all(config.parent().expect("folder")).expect("mkdir");
    std::fs::write(
        &config,
        "theme = \"light\"\ncolour = \"blue\"\n[keys]\nquit = \"Q\"\n",
    )
    .expect("write config");
    let t = Tmux::start("cd-config", dir.path(), &[path.to_str().expect("utf8")]);
    let screen = t.wait_for("colour: unknown setting");
    assert!(
        screen.contains(&format!("Config: {}:2:1", config.display())),
        "{screen}"
    );
    // The light theme's colours (256-colour indexes), not the dark theme's.
    let styled = t.screen_with_styles();
    assert!(
        styled.contains("38;5;24"),
        "light accent missing:\n{styled}"
    );
    assert!(
        !styled.contains("38;5;44"),
        "a dark accent on a light theme"
    );
    // q no longer quits; Q does.
    t.keys(&["q"]);
    t.keys(&["Tab"]);
    t.wait_for("[Timeline]");
    t.keys(&["Q"]);
    let end = t.wait_for("END-OF-RUN");
    assert!(end.contains("EXIT=0"), "{end}");
}

#[test]
fn marked_claims_take_one_verdict_after_one_question_in_a_real_terminal() {
    let dir = tempdir();
    let path = workspace_in(dir.path());
    let t = Tmux::start("cd-marks", dir.path(), &[path.to_str().expect("utf8")]);
    t.keys(&["Space", "Space"]);
    t.wait_for("■ 2 marked");
    t.keys(&["v"]);
    t.wait_for("For every one of the 2 marked claims");
    t.keys(&["4"]);
    t.type_text("both stalled");
    t.keys(&["C-s"]);
    t.wait_for("Record the verdict stalled on 2 marked claims?");
    t.keys(&["y"]);
    let screen = t.wait_for("Recorded verdict stalled on 2 claims");
    assert!(!screen.contains("■ 2 marked"), "marks cleared:\n{screen}");
    t.keys(&["q"]);
    t.wait_for("END-OF-RUN");
    let saved = std::fs::read_to_string(&path).expect("saved");
    assert_eq!(saved.matches("both stalled").count(), 2, "both saved");
}

#[test]
fn sources_are_links_that_leave_the_reader_s_rows_lined_up_in_a_real_terminal() {
    let dir = tempdir();
    let path = workspace_in(dir.path());
    let t = Tmux::start("cd-links", dir.path(), &[path.to_str().expect("utf8")]);
    // The first claim's timeline, unfolded, down to an update with six sources; read it
    // to its end.
    let index = six_source_update(&seed_workspace());
    t.keys(&["Tab", "z"]);
    t.type_text(&"j".repeat(index));
    t.keys(&["Enter", "G"]);
    let screen = t.wait_for("Sources:");
    // The reader's right edge: the column of the second ║ on each of its rows.
    let edge = |row: &str| {
        row.chars()
            .enumerate()
            .filter(|(_, c)| *c == '║')
            .nth(1)
            .map(|(i, _)| i)
    };
    let inside: Vec<&str> = screen.lines().filter(|l| edge(l).is_some()).collect();
    let links = inside.iter().filter(|l| l.contains("https://")).count();
    assert!(links >= 6, "{screen}");
    let first = edge(inside[0]);
    for row in &inside {
        // Each address row ends at the reader's right edge, like every other row.
        assert_eq!(edge(row), first, "{row:?}\n{screen}");
        assert!(!row.contains("]8;"), "a sequence shows as text: {row:?}");
    }
}

/// A workspace of `n` claims for the queue's walks: a third unreviewed, the rest reviewed
/// on everything they had (settled: a few against the tracker's status, marked `≠`) but
/// every fifth of those with updates since (`+N`); every claim with follow-ups overdue.
fn queue_workspace(dir: &Path, n: usize) -> (std::path::PathBuf, claimdesk::model::Workspace) {
    use chrono::Duration;
    use claimdesk::model::{FollowUp, Review};
    let pool = generate::seed_updates(&fixture("tests/fixtures"));
    let mut ws = generate::generate(&pool, n, 12, 7);
    for (i, c) in ws.claims.iter_mut().enumerate() {
        c.reviews.clear();
        c.follow_ups.push(FollowUp::scheduled(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
        ));
        if i % 3 == 0 {
            continue;
        }
        let last = c.updates.last().map(|u| u.at).expect("updates");
        let seen = if i % 5 == 0 {
            c.updates.get(6).map(|u| u.at)
        } else {
            Some(last)
        };
        c.reviews.push(Review {
            at: last + Duration::hours(1),
            reviewer: "ben".into(),
            // Against an in_progress tracker now and then: settled all the same.
            verdict: if i % 4 == 0 {
                Verdict::Failed
            } else {
                Verdict::InProgress
            },
            note: String::new(),
            seen_through: seen,
            extra: Default::default(),
        });
    }
    std::fs::create_dir_all(dir).expect("folder");
    let path = dir.join("queue.json");
    std::fs::write(&path, store::to_bytes(&ws).expect("encodes")).expect("write");
    (path, ws)
}

/// Records `V 1` with the rationale `visit N` on each claim the walk reaches, until the
/// status bar's `label` count (`unreviewed`, `to review`) is 0; returns how many it took.
fn walk(t: &Tmux, label: &str, from: usize, count: usize) -> usize {
    let said = |n: usize| format!("· {n} {label} ·");
    t.wait_for(&said(count));
    for (step, n) in (1..=count).rev().enumerate() {
        t.keys(&["V", "1"]);
        t.wait_for("Why complete?");
        t.type_text(&format!("visit {}", from + step));
        t.keys(&["C-s"]);
        t.wait_for(&said(n - 1));
    }
    count
}

/// Which claims got a verdict in the walks, and at which visit (`visit N`), by id.
fn visits(path: &Path) -> Vec<(String, usize)> {
    let ws = store::load(path).expect("the saved workspace loads");
    let mut out = Vec::new();
    for c in &ws.claims {
        for r in c.reviews.iter().filter(|r| r.reviewer == "ana") {
            let n = r.note.strip_prefix("visit ").and_then(|n| n.parse().ok());
            out.push((c.id.clone(), n.expect("a visit number")));
        }
    }
    out.sort_by_key(|(_, n)| *n);
    out
}

/// The review queue converges: filtered to the unreviewed, `V` visits each of them once,
/// in the list's order, and leaves the count at 0 with follow-ups still overdue; then
/// the rest of the queue (new updates since a verdict) the same way. In the *review
/// first* sort, `V` walks the whole queue from the top in the order it stood.
#[test]
fn v_walks_the_review_queue_to_zero_visiting_each_claim_once() {
    use claimdesk::app::view::{self, Filter, Sort};
    use claimdesk::model::NeedsReview;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 8).expect("date");
    let dir = tempdir();
    let (path, ws) = queue_workspace(dir.path(), 42);
    let wants = |i: &usize| NeedsReview::of(&ws.claims[*i], today).wants_verdict();
    let ids = |order: Vec<usize>| -> Vec<String> {
        order.iter().map(|&i| ws.claims[i].id.clone()).collect()
    };
    let unreviewed: Vec<usize> = (0..ws.claims.len())
        .filter(|&i| ws.claims[i].reviews.is_empty())
        .collect();
    let newer: Vec<usize> = (0..ws.claims.len())
        .filter(|i| wants(i) && !ws.claims[*i].reviews.is_empty())
        .collect();
    let queue = view::build(&ws, &Sort::NeedsReview, &Filter::All, today, None)
        .into_iter()
        .filter(wants)
        .collect::<Vec<_>>();
    assert!(unreviewed.len() >= 10 && !newer.is_empty() && queue.len() < ws.claims.len());
    let open = |name: &str, path: &Path| {
        let args = [
            path.to_str().expect("utf8"),
            "--today",
            "2026-12-08",
            "--reviewer",
            "ana",
        ];
        let t = Tmux::spawn(name, &Tmux::script(&hermetic_env(dir.path()), "", &args));
        t.wait_for(&format!("{} claims ·", ws.claims.len()));
        t
    };

    // Filtered to the unreviewed (the filter menu's fourth entry), in file order.
    let t = open("cd-queue-f", &path);
    t.keys(&["f", "j", "j", "j", "Enter"]);
    t.wait_for("· unreviewed");
    let done = walk(&t, "unreviewed", 1, unreviewed.len());
    // The rest of the queue: the needs-review filter (its second entry).
    t.keys(&["f", "k", "k", "k", "k", "j", "Enter"]);
    t.wait_for("· needs review");
    walk(&t, "to review", done + 1, newer.len());
    let screen = t.screen();
    assert!(
        screen.contains("· 0 unreviewed · 0 to review · ") && screen.contains("follow-ups due"),
        "the queue is empty, follow-ups still due:\n{screen}"
    );
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    let got: Vec<String> = visits(&path).into_iter().map(|(id, _)| id).collect();
    let mut want = ids(unreviewed.clone());
    want.extend(ids(newer.clone()));
    assert_eq!(
        got, want,
        "each claim of the queue once, in the list's order"
    );

    // Sorted review first, from the top: the queue as it stood, each once.
    let (path, _) = queue_workspace(&dir.path().join("sorted"), 42);
    let t = open("cd-queue-s", &path);
    t.keys(&["s", "g"]);
    t.wait_for("1/42 · review first");
    walk(&t, "to review", 1, queue.len());
    t.keys(&["q"]);
    t.wait_for("EXIT=0");
    let got: Vec<String> = visits(&path).into_iter().map(|(id, _)| id).collect();
    assert_eq!(
        got,
        ids(queue),
        "the review-first order as it stood, each once"
    );
}

/// Suspended with `C-z`, the app holds nothing back: a program that writes the workspace
/// in place (`cp`, an editor, `>`) finishes at once; resumed, the app still shows the
/// bytes it read (no SIGBUS, no garbled body), refuses to overwrite the outside version,
/// and "save as" writes a file that loads and holds the verdict made before.
#[test]
fn a_workspace_written_in_place_while_the_app_is_suspended_loses_nothing() {
    let dir = tempdir();
    let path = dir.path().join("ws.json");
    let pool = generate::seed_updates(&fixture("tests/fixtures"));
    let ws = generate::generate(&pool, 20, 30, 3);
    std::fs::write(&path, store::to_bytes(&ws).expect("encodes")).expect("write");
    // Longer than the workspace, so that a mapping of it would have read foreign bytes.
    let other = dir.path().join("other.json");
    let theirs = generate::generate(&pool, 60, 30, 4);
    std::fs::write(&other, store::to_bytes(&theirs).expect("encodes")).expect("write");
    let args = [path.to_str().expect("utf8"), "--reviewer", "ana"];
    let t = Tmux::spawn(
        "cd-stopped",
        &Tmux::script(&hermetic_env(dir.path()), "", &args),
    );
    t.wait_for("20 claims ·");
    t.keys(&["v", "1"]);
    t.wait_for("Why complete?");
    t.type_text("mine");
    t.keys(&["C-s"]);
    t.wait_for("Recorded verdict complete");
    let pid = t.pid();
    t.keys(&["C-z"]);
    let start = Instant::now();
    while process_state(pid) != 'T' {
        assert!(start.elapsed() < Duration::from_secs(10), "not stopped");
        std::thread::sleep(Duration::from_millis(50));
    }
    for write in [
        format!("cp '{}' '{}'", other.display(), path.display()),
        format!("echo > '{}'", path.display()),
        format!("cat '{}' > '{}'", other.display(), path.display()),
    ] {
        let start = Instant::now();
        let status = Command::new("sh")
            .args(["-c", &write])
            .status()
            .expect("sh");
        assert!(status.success(), "{write}");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{write} waited {:?} on the stopped app",
            start.elapsed()
        );
    }
    let status = Command::new("kill")
        .args(["-CONT", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    t.wait_for("20 claims ·");
    // The first update of the first claim, read whole, as it was written.
    let first = &ws.claims[0];
    let body = first.updates.last().expect("an update").body.decoded();
    let words: String = body
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ");
    t.keys(&["Tab", "Enter"]);
    t.wait_for(&words);
    t.keys(&["Escape"]);
    // A save finds the outside version, and does not overwrite it; save as goes elsewhere.
    t.keys(&["C-s"]);
    t.wait_for("changed by someone else");
    t.keys(&["w"]);
    t.wait_for("Save the workspace as");
    t.keys(&["Enter"]);
    t.wait_for("claimdesk goes on with that file");
    t.keys(&["q"]);
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("icanon echo"), "restored:\n{screen}");
    let outside = store::load(&path).expect("the outside version loads");
    assert_eq!(
        outside.claims.len(),
        60,
        "the outside version was not overwritten"
    );
    let mine = store::load(&dir.path().join("ws.json.mine")).expect("the saved copy loads");
    assert_eq!(mine.claims.len(), 20);
    assert_eq!(
        mine.claims[0].reviews.last().map(|r| r.note.as_str()),
        Some("mine")
    );
    for (a, b) in mine.claims.iter().zip(&ws.claims) {
        assert_eq!(a.updates, b.updates, "every body as it was read");
    }
}

/// A workspace in a folder claimdesk cannot write to (another user's, read-only): the app
/// opens it read-only and says why, instead of exiting. Run as a second user (`nobody`,
/// through setpriv), so only as root.
#[test]
fn a_workspace_in_a_folder_it_cannot_write_opens_read_only() {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !root || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: needs root and setpriv to act as a second user");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("mode");
    let folder = dir.path().join("theirs");
    std::fs::create_dir(&folder).expect("dir");
    let path = workspace_in(&folder);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("mode");
    let home = dir.path().join("home");
    std::fs::create_dir(&home).expect("home");
    std::os::unix::fs::chown(&home, Some(65534), Some(65534)).expect("chown");
    let env = format!(
        "-u CLAIMDESK_WORKSPACE -u CLAIMDESK_TODAY -u CLAIMDESK_REVIEWER HOME='{h}' XDG_DATA_HOME='{h}/data' XDG_CONFIG_HOME='{h}/config' XDG_STATE_HOME='{h}/state'",
        h = home.display()
    );
    let args = [path.to_str().expect("utf8")];
    let t = Tmux::spawn(
        "cd-ro-folder",
        &Tmux::script(
            &env,
            "setpriv --reuid=65534 --regid=65534 --clear-groups",
            &args,
        ),
    );
    let screen = t.wait_for("Officials discussed");
    assert!(screen.contains("READ-ONLY"), "{screen}");
    assert!(
        screen.contains("Read-only: claimdesk cannot write there"),
        "{screen}"
    );
    t.keys(&["v"]);
    t.wait_for("nothing can be changed here");
    t.keys(&["q"]);
    let screen = t.wait_for("END-OF-RUN");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        std::fs::read_dir(&folder).expect("list").count() == 1,
        "nothing made beside it"
    );
}
