//! The optional config file, `config.toml` in the platform config folder (the older
//! `config.json` is still read when there is no `config.toml`). Read once per command,
//! never written. A bad entry is named by file, line and key and left out; everything
//! else in the file still applies.

use crate::app::keymap::Keymap;
use std::fmt;
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
                ("reviewer", DeValue::String(s)) => {
                    config.reviewer = Some(s.to_string());
                    Ok(())
                }
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

    /// Reads the older `config.json` (`reviewer`, `autosave`, `base_url`).
    fn from_json(path: &Path, text: &str) -> Loaded {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Json {
            reviewer: Option<String>,
            autosave: Option<bool>,
            base_url: Option<String>,
        }
        match serde_json::from_str::<Json>(text) {
            Ok(json) => Loaded {
                config: Self {
                    reviewer: json.reviewer,
                    autosave: json.autosave,
                    base_url: json.base_url,
                    path: Some(path.to_owned()),
                    ..Self::default()
                },
                problems: Vec::new(),
            },
            Err(e) => Loaded {
                config: Self::default(),
                problems: vec![Problem {
                    path: path.to_owned(),
                    line: e.line(),
                    column: e.column(),
                    key: None,
                    message: format!(
                        "bad config file: {e}; expected {{\"reviewer\": \"name\", \"autosave\": true, \"base_url\": \"https://…\"}}"
                    ),
                }],
            },
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

/// Reads a file that may not exist: `None` when it does not.
fn read(path: &Path, parse: impl Fn(&Path, &str) -> Loaded) -> Option<Loaded> {
    let problem = |message: String| Loaded {
        config: Config::default(),
        problems: vec![Problem {
            path: path.to_owned(),
            line: 1,
            column: 1,
            key: None,
            message,
        }],
    };
    match std::fs::read(path) {
        Ok(bytes) => Some(match String::from_utf8(bytes) {
            Ok(text) => parse(path, &text),
            Err(e) => problem(format!(
                "not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            )),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some(problem(format!("cannot read the file: {e}"))),
    }
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
        assert_eq!(
            keys,
            [
                ("calendar.next-day", vec!["n"]),
                ("down", vec!["j", "n"]),
                ("quit", vec!["Q"]),
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
    fn positions_count_characters() {
        assert_eq!(position("é = 1\nab", 7), (2, 1));
        assert_eq!(position("é = 1\nab", 9), (2, 3));
        assert_eq!(position("abc", 99), (1, 4));
    }
}
