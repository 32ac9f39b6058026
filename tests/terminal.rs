//! End to end in a real terminal: the release-like binary runs in tmux, keys are typed
//! with `send-keys`, the screen is read with `capture-pane`, and the workspace file is
//! checked afterwards. Also: each ending signal restores the terminal and keeps edits.
//! Needs tmux (`.ci/run` installs it).

mod common;

use claimdesk::model::{FollowUpState, Verdict};
use claimdesk::store;
use common::*;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    name: String,
}

impl Tmux {
    /// Starts `args` in a detached 120×40 tmux session; after it exits the shell prints
    /// `EXIT=<code>` and the terminal's mode, then waits.
    fn start(name: &str, home: &Path, args: &[&str]) -> Self {
        let bin = env!("CARGO_BIN_EXE_claimdesk");
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        let script = format!(
            "env HOME='{h}' XDG_DATA_HOME='{h}/data' XDG_CONFIG_HOME='{h}/config' TERM=xterm-256color '{bin}' {}; echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; echo END-OF-RUN; sleep 30",
            quoted.join(" "),
            h = home.display()
        );
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                "120",
                "-y",
                "40",
                &script,
            ])
            .status()
            .expect("tmux runs (install it: apt-get install tmux)");
        assert!(status.success(), "tmux new-session failed");
        let t = Tmux {
            name: name.to_owned(),
        };
        t.wait_for("Officials discussed");
        t
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            let status = Command::new("tmux")
                .args(["send-keys", "-t", &self.name, k])
                .status()
                .expect("send-keys");
            assert!(status.success());
            // Esc must not merge with the next key into an Alt combination.
            std::thread::sleep(Duration::from_millis(if *k == "Escape" { 120 } else { 40 }));
        }
    }

    fn type_text(&self, text: &str) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .expect("send-keys");
        assert!(status.success());
        std::thread::sleep(Duration::from_millis(60));
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .expect("capture");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "waited for {text:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn pid(&self) -> u32 {
        let out = Command::new("tmux")
            .args(["display", "-p", "-t", &self.name, "#{pane_pid}"])
            .output()
            .expect("display");
        let shell: u32 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("pane pid");
        let out = Command::new("pgrep")
            .args(["-P", &shell.to_string(), "claimdesk"])
            .output()
            .expect("pgrep");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("claimdesk's pid")
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

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
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2)] {
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
