//! The agenda: every claim's follow-ups that are overdue, due today or coming within a
//! window of days, soonest first, one row each, in three sections (overdue, today,
//! coming). Built from the model alone.

use crate::app::state::FollowUpAt;
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
    /// Its place among the claim's follow-ups on that day (from 0: a day may have
    /// several, each a row of its own).
    pub nth: usize,
    pub due: Due,
}

impl Row {
    /// Where the row's follow-up is, by claim id: what marks and edits name it by.
    pub fn at(&self, workspace: &Workspace) -> Option<FollowUpAt> {
        let claim = workspace.claims.get(self.claim)?;
        Some((claim.id.clone(), self.date, self.nth))
    }
}

/// The agenda's sections, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Overdue,
    Today,
    Coming,
}

impl Section {
    pub const ALL: [Self; 3] = [Self::Overdue, Self::Today, Self::Coming];

    pub fn of(due: Due) -> Self {
        match due {
            Due::Overdue => Self::Overdue,
            Due::Today => Self::Today,
            _ => Self::Coming,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Overdue => "Overdue",
            Self::Today => "Today",
            Self::Coming => "Coming",
        }
    }
}

/// The scheduled follow-ups due by `today + window` days (every overdue one included),
/// soonest first, then in the workspace's claim order, then in their day's order.
pub fn rows(workspace: &Workspace, today: NaiveDate, window: u32) -> Vec<Row> {
    let until = today
        .checked_add_days(chrono::Days::new(u64::from(window)))
        .unwrap_or(NaiveDate::MAX);
    let mut rows: Vec<Row> = Vec::new();
    for (claim, c) in workspace.claims.iter().enumerate() {
        for (i, f) in c.follow_ups.iter().enumerate() {
            if f.state == FollowUpState::Scheduled && f.date <= until {
                rows.push(Row {
                    claim,
                    date: f.date,
                    // Counted as `Claim::follow_up_index` counts them.
                    nth: c.follow_ups[..i]
                        .iter()
                        .filter(|g| g.date == f.date)
                        .count(),
                    due: f.due(today),
                });
            }
        }
    }
    rows.sort_by_key(|r| (r.date, r.claim, r.nth));
    rows
}

/// What the agenda draws, top to bottom: each section's heading (with its number of
/// rows) before its first row. Sections with no rows have no heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    Heading(Section, usize),
    /// A row, by its index in `rows`.
    Row(usize),
}

pub fn lines(rows: &[Row]) -> Vec<Line> {
    let mut out = Vec::with_capacity(rows.len() + 3);
    let mut current = None;
    for (i, r) in rows.iter().enumerate() {
        let section = Section::of(r.due);
        if current != Some(section) {
            current = Some(section);
            let n = rows
                .iter()
                .filter(|r| Section::of(r.due) == section)
                .count();
            out.push(Line::Heading(section, n));
        }
        out.push(Line::Row(i));
    }
    out
}

/// The line a row is drawn on.
pub fn line_of(lines: &[Line], row: usize) -> usize {
    lines.iter().position(|l| *l == Line::Row(row)).unwrap_or(0)
}

/// The first row of `section`, if it has any.
pub fn first_of(rows: &[Row], section: Section) -> Option<usize> {
    rows.iter().position(|r| Section::of(r.due) == section)
}

/// The rows of the section the row `at` is in.
pub fn section_rows(rows: &[Row], at: usize) -> std::ops::Range<usize> {
    let Some(section) = rows.get(at).map(|r| Section::of(r.due)) else {
        return 0..0;
    };
    let first = first_of(rows, section).unwrap_or(at);
    let end = rows[first..]
        .iter()
        .position(|r| Section::of(r.due) != section)
        .map_or(rows.len(), |n| first + n);
    first..end
}

/// Where the agenda's cursor goes for the follow-up `at`: its row, or when it is no
/// longer listed (done, cancelled, moved beyond the window) the row that took its place,
/// the next after where it was; past the last row, the last.
pub fn place(rows: &[Row], workspace: &Workspace, at: &FollowUpAt) -> usize {
    let claim = workspace.claims.iter().position(|c| c.id == at.0);
    let key = (at.1, claim.unwrap_or(usize::MAX), at.2);
    rows.iter()
        .position(|r| (r.date, r.claim, r.nth) >= key)
        .unwrap_or(rows.len().saturating_sub(1))
}

/// Scrolls the agenda the least so that the selected row shows in `page` lines, and its
/// section's heading with it when it is the section's first row.
pub fn reveal(list: &mut crate::app::state::ListState, rows: &[Row], page: usize) {
    list.selected = list.selected.min(rows.len().saturating_sub(1));
    let lines = lines(rows);
    let line = line_of(&lines, list.selected);
    let top = match line.checked_sub(1).map(|l| lines[l]) {
        Some(Line::Heading(..)) => line - 1,
        _ => line,
    };
    let page = page.max(1);
    if top < list.offset {
        list.offset = top;
    } else if line >= list.offset + page {
        list.offset = line + 1 - page;
    }
    list.offset = list.offset.min(lines.len().saturating_sub(page));
}

/// How many of the marked follow-ups the agenda does not show with this window: beyond
/// it, or no longer scheduled. A batch still acts on them.
pub fn unlisted<'a>(
    workspace: &Workspace,
    marked: impl IntoIterator<Item = &'a FollowUpAt>,
    today: NaiveDate,
    window: u32,
) -> usize {
    let listed: std::collections::BTreeSet<FollowUpAt> = rows(workspace, today, window)
        .iter()
        .filter_map(|r| r.at(workspace))
        .collect();
    marked
        .into_iter()
        .filter(|at| {
            !listed.contains(*at)
                && workspace
                    .claim(&at.0)
                    .and_then(|c| c.follow_up_index(at.1, at.2))
                    .is_some()
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

    #[test]
    fn a_day_with_two_follow_ups_has_two_rows_and_sections_have_headings() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 2, d).expect("date");
        let mut a = Claim::new("a", "A");
        let note = |n: &str| FollowUp {
            note: n.into(),
            ..FollowUp::scheduled(day(3))
        };
        let mut done = note("done");
        done.state = FollowUpState::Done;
        a.follow_ups = vec![
            note("first"),
            done,
            note("third"),
            FollowUp::scheduled(day(12)),
        ];
        let ws = Workspace {
            claims: vec![a],
            ..Workspace::default()
        };
        let rows = rows(&ws, day(10), 7);
        let got: Vec<(u32, usize)> = rows
            .iter()
            .map(|r| (chrono::Datelike::day(&r.date), r.nth))
            .collect();
        assert_eq!(
            got,
            [(3, 0), (3, 2), (12, 0)],
            "the done one keeps its place"
        );
        let c = &ws.claims[0];
        assert_eq!(
            c.follow_ups[c.follow_up_index(day(3), 2).expect("third")].note,
            "third"
        );
        assert_eq!(
            lines(&rows),
            [
                Line::Heading(Section::Overdue, 2),
                Line::Row(0),
                Line::Row(1),
                Line::Heading(Section::Coming, 1),
                Line::Row(2)
            ]
        );
        assert_eq!(section_rows(&rows, 1), 0..2);
        assert_eq!(section_rows(&rows, 2), 2..3);
        assert_eq!(first_of(&rows, Section::Today), None);
    }
}
