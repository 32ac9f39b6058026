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
}
