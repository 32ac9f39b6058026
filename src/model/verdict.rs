//! The reviewer's verdict scale, in the order of the workspace contract.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A reviewer's judgement of a claim's completion condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Complete,
    Partial,
    InProgress,
    Stalled,
    Failed,
    Unverifiable,
}

impl Verdict {
    /// Whether two reviewers giving these verdicts on the same evidence disagree: any
    /// two different verdicts do, except `in_progress` and `partial`, which say the same
    /// thing of a claim under way.
    pub fn contradicts(self, other: Verdict) -> bool {
        use Verdict::{InProgress, Partial};
        self != other && !matches!((self, other), (InProgress, Partial) | (Partial, InProgress))
    }

    /// Every verdict, in the contract's order.
    pub const ALL: [Verdict; 6] = [
        Verdict::Complete,
        Verdict::Partial,
        Verdict::InProgress,
        Verdict::Stalled,
        Verdict::Failed,
        Verdict::Unverifiable,
    ];

    /// The name used in the workspace file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::Partial => "partial",
            Self::InProgress => "in_progress",
            Self::Stalled => "stalled",
            Self::Failed => "failed",
            Self::Unverifiable => "unverifiable",
        }
    }

    /// What the verdict means, as the contract says it.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Complete => "the completion condition is met",
            Self::Partial => "met in part, or met in a weaker form",
            Self::InProgress => "real work under way, not yet met",
            Self::Stalled => "no meaningful progress for a long time",
            Self::Failed => "will not be met: abandoned, reversed or past due with no path",
            Self::Unverifiable => "the public evidence cannot settle it",
        }
    }

    /// The verdict in words, for reports and exports.
    pub fn label(self) -> &'static str {
        match self {
            Self::Complete => "Complete",
            Self::Partial => "Partly complete",
            Self::InProgress => "In progress",
            Self::Stalled => "Stalled",
            Self::Failed => "Failed",
            Self::Unverifiable => "Unverifiable",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde() {
        for v in Verdict::ALL {
            let json = serde_json::to_string(&v).expect("serialize");
            assert_eq!(json, format!("\"{}\"", v.as_str()));
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
        assert_eq!(Verdict::parse("done"), None);
    }
}
