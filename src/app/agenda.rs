//! The agenda: every claim's follow-ups that are overdue, due today or coming within a
//! window of days, soonest first, one row each. Built from the model alone.

use crate::model::{Due, FollowUpState, Workspace};
use chrono::NaiveDate;

/// Days ahead the agenda looks when it opens; `<` and `>` change it a week at a time.
pub const DEFAULT_WINDOW: u32 = 7;
/// The longest window.
pub const MAX_WINDOW: u32 = 365;

/// One follow-up on the agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Index of the claim in the workspace.
    pub claim: usize,
    pub date: NaiveDate,
    pub due: Due,
}

/// The scheduled follow-ups due by `today + window` days (every overdue one included),
/// soonest first, then in the workspace's claim order.
pub fn rows(workspace: &Workspace, today: NaiveDate, window: u32) -> Vec<Row> {
    let until = today
        .checked_add_days(chrono::Days::new(u64::from(window)))
        .unwrap_or(NaiveDate::MAX);
    let mut rows: Vec<Row> = workspace
        .claims
        .iter()
        .enumerate()
        .flat_map(|(claim, c)| {
            c.follow_ups
                .iter()
                .filter(move |f| f.state == FollowUpState::Scheduled && f.date <= until)
                .map(move |f| Row {
                    claim,
                    date: f.date,
                    due: f.due(today),
                })
        })
        .collect();
    rows.sort_by_key(|r| (r.date, r.claim));
    rows
}

/// How many of the marked follow-ups (by claim id and day) the agenda does not show
/// with this window: beyond it, or no longer scheduled. A batch still acts on them.
pub fn unlisted<'a>(
    workspace: &Workspace,
    marked: impl IntoIterator<Item = &'a (String, NaiveDate)>,
    today: NaiveDate,
    window: u32,
) -> usize {
    let listed: std::collections::BTreeSet<(&str, NaiveDate)> = rows(workspace, today, window)
        .iter()
        .filter_map(|r| Some((workspace.claims.get(r.claim)?.id.as_str(), r.date)))
        .collect();
    marked
        .into_iter()
        .filter(|(id, date)| {
            !listed.contains(&(id.as_str(), *date))
                && workspace
                    .claim(id)
                    .is_some_and(|c| c.follow_ups.iter().any(|f| f.date == *date))
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, FollowUp};

    #[test]
    fn overdue_today_and_coming_soonest_first_nothing_done_or_beyond_the_window() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 2, d).expect("date");
        let mut a = Claim::new("a", "A");
        a.follow_ups = vec![FollowUp::scheduled(day(20)), FollowUp::scheduled(day(1))];
        let mut b = Claim::new("b", "B");
        let mut done = FollowUp::scheduled(day(2));
        done.state = FollowUpState::Done;
        b.follow_ups = vec![
            done,
            FollowUp::scheduled(day(10)),
            FollowUp::scheduled(day(24)),
        ];
        let ws = Workspace {
            claims: vec![a, b],
            ..Workspace::default()
        };
        let got: Vec<(usize, u32, Due)> = rows(&ws, day(10), 10)
            .iter()
            .map(|r| (r.claim, chrono::Datelike::day(&r.date), r.due))
            .collect();
        assert_eq!(
            got,
            [
                (0, 1, Due::Overdue),
                (1, 10, Due::Today),
                (0, 20, Due::Upcoming)
            ]
        );
        assert_eq!(
            rows(&ws, day(10), 14).len(),
            4,
            "a wider window reaches Feb 24"
        );
    }
}
