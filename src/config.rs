//! The optional config file, `config.toml` in the platform config folder (the older
//! `config.json` is still read when there is no `config.toml`). Read once per command,
//! never written. A bad entry is named by file, line and key and left out; everything
//! else in the file still applies.

use crate::app::keymap::Keymap;
use std::fmt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// The screen's colours: each is checked for contrast against its background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// For a dark background (the default).
    #[default]
    Dark,
    /// For a light background.
    Light,
    /// Brighter colours, every one at least 7:1 against black.
    HighContrast,
}

impl Theme {
    pub const ALL: [Self; 3] = [Self::Dark, Self::Light, Self::HighContrast];

    pub fn name(self) -> &'static str {
        match self {
            Self::Dark => "dark",
            Self::Light => "light",
            Self::HighContrast => "high-contrast",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// One `[keys]` entry: an action's name (maybe `scope.action`) and the keys for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    pub action: String,
    pub keys: Vec<String>,
    line: usize,
    column: usize,
}

/// What the config file may set; every setting is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The name on the verdicts this user records.
    pub reviewer: Option<String>,
    /// Save after every edit (default true).
    pub autosave: Option<bool>,
    /// Where published ClaimReviews live (`export --format claimreview`).
    pub base_url: Option<String>,
    pub theme: Option<Theme>,
    /// Rebindings, in the file's order.
    pub keys: Vec<KeyEntry>,
    /// The file these came from, if there was one.
    pub path: Option<PathBuf>,
}

/// A bad entry: where it is, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The setting (`theme`, `keys.quit`), or none for a file that does not parse.
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.path.display(), self.line, self.column)?;
        match &self.key {
            Some(key) => write!(f, "{key}: {}; left out", self.message),
            None => write!(f, "{}; the whole file is left out", self.message),
        }
    }
}

/// The settings the file holds, and what in it was left out.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    pub problems: Vec<Problem>,
}

const SETTINGS: &str = "the settings are reviewer, autosave, base_url, theme and [keys]";

impl Config {
    /// The folder both files are looked for in.
    pub fn folder() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "claimdesk").map(|d| d.config_dir().to_owned())
    }

    /// The config file (`config.toml`, else `config.json`), or the defaults when there
    /// is none.
    pub fn load() -> Loaded {
        let Some(folder) = Self::folder() else {
            return Loaded::default();
        };
        let toml = folder.join("config.toml");
        if let Some(loaded) = read(&toml, Self::from_toml) {
            return loaded;
        }
        let json = folder.join("config.json");
        read(&json, Self::from_json).unwrap_or_default()
    }

    /// Reads a `config.toml`'s text.
    pub fn from_toml(path: &Path, text: &str) -> Loaded {
        let mut problems = Vec::new();
        let mut config = Self {
            path: Some(path.to_owned()),
            ..Self::default()
        };
        let table = match DeTable::parse(text) {
            Ok(table) => table.into_inner(),
            Err(e) => {
                let (line, column) = position(text, e.span().map_or(0, |s| s.start));
                problems.push(Problem {
                    path: path.to_owned(),
                    line,
                    column,
                    key: None,
                    message: format!("not TOML: {}", e.message().trim_end()),
                });
                return Loaded { config, problems };
            }
        };
        for (key, value) in &table {
            let name = key.get_ref().as_ref();
            let at = |span: std::ops::Range<usize>, key: &str, message: String| {
                let (line, column) = position(text, span.start);
                Problem {
                    path: path.to_owned(),
                    line,
                    column,
                    key: Some(key.to_owned()),
                    message,
                }
            };
            let span = value.span();
            let result = match (name, value.get_ref()) {
                ("reviewer", DeValue::String(s)) => match reviewer_name(s) {
                    Some(name) => {
                        config.reviewer = Some(name);
                        Ok(())
                    }
                    None => Err(EMPTY_NAME.to_owned()),
                },
                ("base_url", DeValue::String(s)) => {
                    config.base_url = Some(s.to_string());
                    Ok(())
                }
                ("autosave", DeValue::Boolean(b)) => {
                    config.autosave = Some(*b);
                    Ok(())
                }
                ("theme", DeValue::String(s)) => match Theme::from_name(s) {
                    Some(theme) => {
                        config.theme = Some(theme);
                        Ok(())
                    }
                    None => Err(format!(
                        "no theme named {s:?}; the themes are {}",
                        names(Theme::ALL.map(Theme::name))
                    )),
                },
                ("keys", DeValue::Table(keys)) => {
                    // `calendar.next-day = "n"` is a dotted key: a table of one place.
                    let mut entries = Vec::new();
                    for (action, value) in keys {
                        match value.get_ref() {
                            DeValue::Table(place) => {
                                for (inner, value) in place {
                                    let name = format!("{}.{}", action.get_ref(), inner.get_ref());
                                    entries.push((name, inner.span(), value));
                                }
                            }
                            _ => entries.push((action.get_ref().to_string(), action.span(), value)),
                        }
                    }
                    // The file's order: a later entry may take a key an earlier one gave.
                    entries.sort_by_key(|(_, span, _)| span.start);
                    for (action, name_span, value) in entries {
                        match key_list(value.get_ref()) {
                            Ok(list) => {
                                let (line, column) = position(text, name_span.start);
                                config.keys.push(KeyEntry {
                                    action,
                                    keys: list,
                                    line,
                                    column,
                                });
                            }
                            Err(message) => {
                                problems.push(at(value.span(), &format!("keys.{action}"), message));
                            }
                        }
                    }
                    Ok(())
                }
                ("reviewer" | "base_url" | "theme", _) => Err("expected a string".to_owned()),
                ("autosave", _) => Err("expected true or false".to_owned()),
                ("keys", _) => Err("expected a table: [keys] then action = \"key\"".to_owned()),
                _ => Err(format!("unknown setting; {SETTINGS}")),
            };
            if let Err(message) = result {
                // An unknown setting is pointed at by its name; a bad value by the value.
                let span = if is_known(name) { span } else { key.span() };
                problems.push(at(span, name, message));
            }
        }
        Loaded { config, problems }
    }

    /// Reads the older `config.json` (`reviewer`, `autosave`, `base_url`). An unknown
    /// field is named and left out; the others apply.
    fn from_json(path: &Path, text: &str) -> Loaded {
        #[derive(serde::Deserialize)]
        struct Json {
            reviewer: Option<String>,
            autosave: Option<bool>,
            base_url: Option<String>,
            #[serde(flatten)]
            unknown: serde_json::Map<String, serde_json::Value>,
        }
        let problem = |key: Option<&str>, message: String| {
            // serde_json keeps no positions for a value read: a key is found by its name.
            let at = key
                .and_then(|k| text.find(&format!("\"{k}\"")))
                .unwrap_or(0);
            let (line, column) = position(text, at);
            Problem {
                path: path.to_owned(),
                line,
                column,
                key: key.map(str::to_owned),
                message,
            }
        };
        match serde_json::from_str::<Json>(text) {
            Ok(json) => {
                let mut problems: Vec<Problem> = json
                    .unknown
                    .keys()
                    .map(|k| {
                        let message =
                            "unknown setting; config.json holds reviewer, autosave and base_url";
                        problem(Some(k), message.to_owned())
                    })
                    .collect();
                let reviewer = json.reviewer.and_then(|r| {
                    let name = reviewer_name(&r);
                    if name.is_none() {
                        problems.push(problem(Some("reviewer"), EMPTY_NAME.to_owned()));
                    }
                    name
                });
                Loaded {
                    config: Self {
                        reviewer,
                        autosave: json.autosave,
                        base_url: json.base_url,
                        path: Some(path.to_owned()),
                        ..Self::default()
                    },
                    problems,
                }
            }
            Err(e) => {
                let mut p = problem(
                    None,
                    format!(
                        "bad config file: {e}; expected {{\"reviewer\": \"name\", \"autosave\": true, \"base_url\": \"https://…\"}}"
                    ),
                );
                (p.line, p.column) = (e.line(), e.column());
                Loaded {
                    config: Self {
                        path: Some(path.to_owned()),
                        ..Self::default()
                    },
                    problems: vec![p],
                }
            }
        }
    }

    /// The keymap with this file's `[keys]` applied; entries that cannot apply are named.
    pub fn keymap(&self) -> (Keymap, Vec<Problem>) {
        let mut keymap = Keymap::default();
        let mut problems = Vec::new();
        let path = self.path.clone().unwrap_or_default();
        for entry in &self.keys {
            if let Err(message) = keymap.rebind(&entry.action, &entry.keys) {
                problems.push(Problem {
                    path: path.clone(),
                    line: entry.line,
                    column: entry.column,
                    key: Some(format!("keys.{}", entry.action)),
                    message,
                });
            }
        }
        (keymap, problems)
    }
}

/// The largest config file read: a config is a few lines, and a larger "file" is a
/// mistake (a device, a log) that must not stall the start.
const MAX_BYTES: u64 = 1 << 20;

/// Reads a file that may not exist: `None` when it does not. Only a regular file (or a
/// link to one) of at most [`MAX_BYTES`] is read.
fn read(path: &Path, parse: impl Fn(&Path, &str) -> Loaded) -> Option<Loaded> {
    use std::io::Read;
    let problem = |(line, column): (usize, usize), message: String| Loaded {
        config: Config {
            path: Some(path.to_owned()),
            ..Config::default()
        },
        problems: vec![Problem {
            path: path.to_owned(),
            line,
            column,
            key: None,
            message,
        }],
    };
    let cannot = |e: std::io::Error| problem((1, 1), format!("cannot read the file: {e}"));
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        // A link whose target is gone is a config file that cannot be read, not none.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return std::fs::symlink_metadata(path)
                .is_ok()
                .then(|| problem((1, 1), "a link to a file that does not exist".to_owned()));
        }
        Err(e) => return Some(cannot(e)),
    };
    if !meta.is_file() {
        return Some(problem(
            (1, 1),
            "not a regular file (a config file is a text file)".to_owned(),
        ));
    }
    if meta.len() > MAX_BYTES {
        return Some(problem(
            (1, 1),
            format!("{} bytes; a config file is at most 1 MiB", meta.len()),
        ));
    }
    // Opened without blocking: a FIFO put there between the two looks would otherwise
    // wait for a writer. What is read is capped all the same.
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path);
    let mut bytes = Vec::new();
    if let Err(e) = opened.and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes)) {
        return Some(cannot(e));
    }
    if bytes.len() as u64 > MAX_BYTES {
        return Some(problem(
            (1, 1),
            "larger than 1 MiB; a config file is at most that".to_owned(),
        ));
    }
    Some(match String::from_utf8(bytes) {
        Ok(text) => parse(path, &text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&e.as_bytes()[..at]);
            problem(
                position(&before, before.len()),
                format!("not UTF-8 text (byte {at})"),
            )
        }
    })
}

/// The message for a reviewer name with nothing left once cleaned.
pub const EMPTY_NAME: &str = "the name is empty once control characters, escape sequences and invisible characters are taken out";

/// A reviewer's name as it goes into every review: one row of plain text, trimmed, or
/// `None` when nothing visible is left (zero-width spaces, a soft hyphen or a lone
/// combining accent name nobody). The one rule for names from a flag, a file or the
/// login.
pub fn reviewer_name(raw: &str) -> Option<String> {
    let name = crate::model::display_safe(raw).trim().to_owned();
    let visible = |c: char| {
        !c.is_whitespace() && c != '\u{ad}' && crate::wrap::width(c.encode_utf8(&mut [0; 4])) > 0
    };
    name.chars().any(visible).then_some(name)
}

fn is_known(name: &str) -> bool {
    matches!(
        name,
        "reviewer" | "autosave" | "base_url" | "theme" | "keys"
    )
}

/// A key, or a list of keys.
fn key_list(value: &DeValue<'_>) -> Result<Vec<String>, String> {
    let expected = || "expected a key name or a list of them: \"j\" or [\"j\", \"Down\"]";
    match value {
        DeValue::String(s) => Ok(vec![s.to_string()]),
        DeValue::Array(list) => list
            .iter()
            .map(|v| match v.get_ref() {
                DeValue::String(s) => Ok(s.to_string()),
                _ => Err(expected().to_owned()),
            })
            .collect(),
        _ => Err(expected().to_owned()),
    }
}

/// "a, b and c".
fn names<const N: usize>(list: [&str; N]) -> String {
    match list.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_owned(),
        None => String::new(),
    }
}

/// The line and column (from 1, in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Loaded {
        Config::from_toml(Path::new("/c/config.toml"), text)
    }

    #[test]
    fn every_setting_reads() {
        let loaded = load(
            "reviewer = \"ana\"\nautosave = false\nbase_url = \"https://x.org\"\ntheme = \"light\"\n[keys]\nquit = \"Q\"\ndown = [\"j\", \"n\"]\ncalendar.next-day = \"n\"\n\"timeline.open\" = \"o\"\n",
        );
        assert_eq!(loaded.problems, []);
        let c = loaded.config;
        assert_eq!(c.reviewer.as_deref(), Some("ana"));
        assert_eq!(c.autosave, Some(false));
        assert_eq!(c.base_url.as_deref(), Some("https://x.org"));
        assert_eq!(c.theme, Some(Theme::Light));
        let keys: Vec<(&str, Vec<&str>)> = c
            .keys
            .iter()
            .map(|k| {
                (
                    k.action.as_str(),
                    k.keys.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        // In the file's order, not the table's (alphabetical) one.
        assert_eq!(
            keys,
            [
                ("quit", vec!["Q"]),
                ("down", vec!["j", "n"]),
                ("calendar.next-day", vec!["n"]),
                ("timeline.open", vec!["o"]),
            ]
        );
    }

    #[test]
    fn a_bad_entry_is_named_by_line_and_key_and_the_rest_applies() {
        let loaded = load("reviewer = \"ana\"\ntheme = \"solarized\"\ncolour = 3\nautosave = 1\n");
        assert_eq!(loaded.config.reviewer.as_deref(), Some("ana"));
        assert_eq!(loaded.config.theme, None);
        let shown: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "/c/config.toml:4:12: autosave: expected true or false; left out",
                "/c/config.toml:3:1: colour: unknown setting; the settings are reviewer, autosave, base_url, theme and [keys]; left out",
                "/c/config.toml:2:9: theme: no theme named \"solarized\"; the themes are dark, light and high-contrast; left out",
            ]
        );
    }

    #[test]
    fn a_file_that_is_not_toml_says_where() {
        let loaded = load("reviewer = \"ana\"\n\ntheme = dark\n");
        assert_eq!(loaded.config.reviewer, None, "nothing applies");
        let p = &loaded.problems[0];
        assert_eq!((p.line, p.key.as_deref()), (3, None), "{p}");
        assert!(p.to_string().starts_with("/c/config.toml:3:"), "{p}");
    }

    #[test]
    fn a_key_entry_that_cannot_apply_is_named() {
        let loaded = load("[keys]\nquit = \"Q\"\nfly = \"f\"\nhelp = \"Ctrl-h\"\n");
        assert_eq!(loaded.problems, []);
        let (keymap, problems) = loaded.config.keymap();
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[0].starts_with("/c/config.toml:3:1: keys.fly: no action named \"fly\""));
        assert!(shown[1].starts_with("/c/config.toml:4:1: keys.help: unknown key \"Ctrl-h\""));
        assert_ne!(keymap, Keymap::default(), "quit = Q still applies");
    }

    #[test]
    fn entries_apply_in_the_files_order() {
        // The second entry takes back the key the first gave: file order decides.
        let loaded = load("[keys]\nundo = \"U\"\nredo = \"u\"\n");
        let (keymap, problems) = loaded.config.keymap();
        assert_eq!(problems, []);
        assert_eq!(
            keymap.shown(crate::app::keymap::Scope::Global, &crate::app::Action::Redo),
            "u"
        );
        let loaded = load("[keys]\nredo = \"u\"\nundo = \"U\"\n");
        let (keymap, _) = loaded.config.keymap();
        assert_eq!(
            keymap.shown(crate::app::keymap::Scope::Global, &crate::app::Action::Undo),
            "U"
        );
        assert_eq!(
            keymap.shown(crate::app::keymap::Scope::Global, &crate::app::Action::Redo),
            "u"
        );
    }

    #[test]
    fn a_name_with_nothing_left_once_cleaned_is_a_problem_not_a_silent_fallback() {
        for bad in [
            "reviewer = \"\"",
            "reviewer = \"  \"",
            "reviewer = \"\\u001b[31m\\u0007\"",
            "reviewer = \"\\u200b\"",
            "reviewer = \"\\ufeff\\u00ad\"",
            "reviewer = \"\\u0301\"",
        ] {
            let loaded = load(bad);
            assert_eq!(loaded.config.reviewer, None, "{bad}");
            let shown: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
            assert_eq!(shown.len(), 1, "{bad}: {shown:?}");
            assert!(
                shown[0].contains("reviewer: the name is empty"),
                "{shown:?}"
            );
        }
        let loaded = load("reviewer = \"\\u001b[31mana\\u001b[0m \"");
        assert_eq!(loaded.config.reviewer.as_deref(), Some("ana"));
        let json = Config::from_json(Path::new("/c/config.json"), r#"{"reviewer": "\u0007"}"#);
        assert_eq!(json.config.reviewer, None);
        assert_eq!(json.problems.len(), 1);
    }

    #[test]
    fn a_json_config_with_an_unknown_field_keeps_the_others() {
        let text = "{\n  \"reviewer\": \"ana\",\n  \"colour\": 3\n}\n";
        let loaded = Config::from_json(Path::new("/c/config.json"), text);
        assert_eq!(loaded.config.reviewer.as_deref(), Some("ana"));
        let shown: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "/c/config.json:3:3: colour: unknown setting; config.json holds reviewer, autosave and base_url; left out"
            ]
        );
    }

    #[test]
    fn files_that_are_not_config_files_are_refused_without_reading_them() {
        let dir = tempfile::tempdir().expect("dir");
        let parse = |_: &Path, _: &str| -> Loaded { panic!("nothing should be parsed") };
        // A FIFO: opening it for reading would wait for a writer.
        let fifo = dir.path().join("config.toml");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let loaded = read(&fifo, parse).expect("it exists");
        assert!(
            loaded.problems[0].message.contains("not a regular file"),
            "{:?}",
            loaded.problems
        );
        assert_eq!(loaded.config.path.as_deref(), Some(fifo.as_path()));
        // A link to a device that never ends.
        let zero = dir.path().join("zero.toml");
        std::os::unix::fs::symlink("/dev/zero", &zero).expect("link");
        let loaded = read(&zero, parse).expect("it exists");
        assert!(loaded.problems[0].message.contains("not a regular file"));
        // Too large.
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; (MAX_BYTES + 1) as usize]).expect("write");
        let loaded = read(&big, parse).expect("it exists");
        assert!(
            loaded.problems[0].message.contains("at most 1 MiB"),
            "{:?}",
            loaded.problems
        );
        // Not UTF-8: the line and column of the bad byte.
        let latin = dir.path().join("latin.toml");
        std::fs::write(&latin, b"reviewer = \"ana\"\ntheme = \"l\xe9ger\"\n").expect("write");
        let loaded = read(&latin, Config::from_toml).expect("it exists");
        let p = &loaded.problems[0];
        assert_eq!((p.line, p.column), (2, 11), "{p}");
        assert!(read(&dir.path().join("absent.toml"), parse).is_none());
        let dangling = dir.path().join("dangling.toml");
        std::os::unix::fs::symlink(dir.path().join("gone.toml"), &dangling).expect("link");
        let loaded = read(&dangling, parse).expect("the link is there");
        assert!(loaded.problems[0].message.contains("does not exist"));
    }

    #[test]
    fn positions_count_characters() {
        assert_eq!(position("é = 1\nab", 7), (2, 1));
        assert_eq!(position("é = 1\nab", 9), (2, 3));
        assert_eq!(position("abc", 99), (1, 4));
    }
}
