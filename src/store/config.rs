//! The optional config file (`config.json` in the platform config folder): read once per
//! command, never written.

use super::StoreError;
use std::path::PathBuf;

/// What the config file may set; every field is optional.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The name on the verdicts this user records.
    pub reviewer: Option<String>,
    /// Save after every edit (default true).
    pub autosave: Option<bool>,
    /// Where published ClaimReviews live (`export --format claimreview`).
    pub base_url: Option<String>,
}

impl Config {
    /// Where the file is looked for.
    pub fn path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "claimdesk")
            .map(|d| d.config_dir().join("config.json"))
    }

    /// The config file, or the defaults when there is none.
    pub fn load() -> Result<Self, StoreError> {
        let Some(path) = Self::path() else {
            return Ok(Self::default());
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(StoreError::Io {
                    path,
                    action: "read",
                    source,
                });
            }
        };
        serde_json::from_slice(&bytes).map_err(|e| StoreError::Config {
            path,
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
    }
}
