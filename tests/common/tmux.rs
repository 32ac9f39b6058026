//! A terminal for the end-to-end tests: the real binary in a detached tmux session on a
//! server of its own, keys typed with `send-keys`, the screen read with `capture-pane`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    name: String,
    socket: String,
}

/// HOME and the XDG folders inside `home`, as `env` arguments.
pub fn hermetic_env(home: &Path) -> String {
    format!(
        "-u CLAIMDESK_WORKSPACE -u CLAIMDESK_TODAY -u CLAIMDESK_REVIEWER HOME='{h}' XDG_DATA_HOME='{h}/data' XDG_CONFIG_HOME='{h}/config' XDG_STATE_HOME='{h}/state'",
        h = home.display()
    )
}

impl Tmux {
    /// Starts `args` in a detached 120×40 tmux session with a hermetic home; after it
    /// exits the shell prints `EXIT=<code>` and the terminal's mode, then waits. Returns
    /// once the sample's first claim shows.
    pub fn start(name: &str, home: &Path, args: &[&str]) -> Self {
        let t = Self::spawn(name, &Self::script(&hermetic_env(home), "", args));
        t.wait_for("Officials discussed");
        t
    }

    /// The shell line that runs the binary: `env` settings, then an optional stdin
    /// redirection (`echo x |`), then the binary and its quoted arguments.
    pub fn script(env: &str, before: &str, args: &[&str]) -> String {
        let bin = env!("CARGO_BIN_EXE_claimdesk");
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        format!(
            "{before} env {env} TERM=xterm-256color '{bin}' {}; echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; echo END-OF-RUN; sleep 30",
            quoted.join(" ")
        )
    }

    /// Runs `script` in a tmux server of its own (a socket named for this process and
    /// test), never the developer's default server.
    pub fn spawn(name: &str, script: &str) -> Self {
        let t = Tmux {
            name: name.to_owned(),
            socket: format!("claimdesk-test-{}-{name}", std::process::id()),
        };
        let status = t
            .tmux()
            .args([
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                "120",
                "-y",
                "40",
                script,
            ])
            .status()
            .expect("tmux runs (install it: apt-get install tmux)");
        assert!(status.success(), "tmux new-session failed");
        t
    }

    pub fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            let status = self
                .tmux()
                .args(["send-keys", "-t", &self.name, k])
                .status()
                .expect("send-keys");
            assert!(status.success());
            // Esc must not merge with the next key into an Alt combination.
            std::thread::sleep(Duration::from_millis(if *k == "Escape" { 120 } else { 40 }));
        }
    }

    pub fn type_text(&self, text: &str) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .expect("send-keys");
        assert!(status.success());
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn screen(&self) -> String {
        self.capture(&[])
    }

    /// The screen with its colours and attributes as escape sequences (`capture-pane -e`).
    pub fn screen_with_styles(&self) -> String {
        self.capture(&["-e"])
    }

    fn capture(&self, flags: &[&str]) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", &self.name])
            .args(flags)
            .output()
            .expect("capture");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    /// The screen once `done` holds for it (`what` names it in the failure message).
    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "waited for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn pid(&self) -> u32 {
        let out = self
            .tmux()
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
        let _ = self.tmux().arg("kill-server").status();
    }
}
