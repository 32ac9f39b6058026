//! The tracker's machine status of an update, read once: the file keeps the word
//! verbatim, and every rule that depends on it matches on this type instead of strings.

/// What the tracker said of the claim in one update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrackerStatus {
    InProgress,
    Complete,
    Failed,
    /// Any other word the tracker wrote (kept verbatim in the file).
    Other,
}

impl TrackerStatus {
    /// The statuses the tracker is known to write, by their workspace names.
    pub const KNOWN: [TrackerStatus; 3] = [Self::InProgress, Self::Complete, Self::Failed];

    /// Reads a status word; case does not matter (`IN_PROGRESS` is `in_progress`).
    pub fn of(word: &str) -> Self {
        let word = word.trim();
        Self::KNOWN
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(word))
            .unwrap_or(Self::Other)
    }

    /// The name the workspace file uses (`Other` has none of its own).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "in_progress",
            Self::Complete => "complete",
            Self::Failed => "failed",
            Self::Other => "other",
        }
    }
}

/// The status word of an update as the file spells it. The tracker's own words are shared
/// static text, so that a workspace of hundreds of thousands of updates does not hold (and
/// allocate) a copy of `in_progress` for each.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StatusWord(std::borrow::Cow<'static, str>);

impl StatusWord {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The tracker's own word, spelled exactly so, as shared text.
    fn known(word: &str) -> Option<Self> {
        TrackerStatus::KNOWN
            .into_iter()
            .find(|s| s.as_str() == word)
            .map(|s| Self(s.as_str().into()))
    }
}

impl std::ops::Deref for StatusWord {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for StatusWord {
    fn from(word: &str) -> Self {
        Self::known(word).unwrap_or_else(|| Self(word.to_owned().into()))
    }
}

impl From<String> for StatusWord {
    fn from(word: String) -> Self {
        Self::known(&word).unwrap_or_else(|| Self(word.into()))
    }
}

impl PartialEq<str> for StatusWord {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for StatusWord {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl std::fmt::Display for StatusWord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for StatusWord {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for StatusWord {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let word = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Self::from(&*word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_as_statuses() {
        assert_eq!(TrackerStatus::of("in_progress"), TrackerStatus::InProgress);
        assert_eq!(TrackerStatus::of("IN_PROGRESS"), TrackerStatus::InProgress);
        assert_eq!(TrackerStatus::of("complete"), TrackerStatus::Complete);
        assert_eq!(TrackerStatus::of("failed"), TrackerStatus::Failed);
        assert_eq!(TrackerStatus::of("stalled"), TrackerStatus::Other);
        for s in TrackerStatus::KNOWN {
            assert_eq!(TrackerStatus::of(s.as_str()), s);
        }
    }

    #[test]
    fn a_status_word_is_kept_as_spelled() {
        for word in ["in_progress", "IN_PROGRESS", "complete ", "stalled", ""] {
            let read: StatusWord =
                serde_json::from_str(&serde_json::to_string(word).expect("json")).expect("reads");
            assert_eq!(read, word);
            assert_eq!(
                serde_json::to_string(&read).expect("json"),
                serde_json::to_string(word).expect("json")
            );
        }
        let escaped: StatusWord = serde_json::from_str(r#""in_\u0070rogress""#).expect("reads");
        assert_eq!(escaped, "in_progress");
    }
}
