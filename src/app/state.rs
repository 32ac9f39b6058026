//! What the screen is showing: the workspace, which pane has focus, and each pane's own
//! selection and scroll state. Changed only by `update`; read by drawing.

use super::layout::Areas;
use crate::model::{Claim, FollowUp, Update, Workspace};
use chrono::{Datelike, NaiveDate};
use std::path::PathBuf;

/// The three panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Claims,
    Timeline,
    Calendar,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Claims, Pane::Timeline, Pane::Calendar];

    pub fn next(self) -> Self {
        match self {
            Self::Claims => Self::Timeline,
            Self::Timeline => Self::Calendar,
            Self::Calendar => Self::Claims,
        }
    }

    pub fn prev(self) -> Self {
        self.next().next()
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Claims => "Claims",
            Self::Timeline => "Timeline",
            Self::Calendar => "Follow-ups",
        }
    }
}

/// What covers the panes, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The key list; `scroll` is its first shown row.
    Help { scroll: usize },
    /// The selected update's full body; `scroll` is its first shown line.
    Reader { scroll: usize },
}

/// A scrolling list's selection and the first row shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
}

impl ListState {
    /// Selects `index` (clamped to `len`) and scrolls so it shows in `visible` rows.
    pub fn select(&mut self, index: usize, len: usize, visible: usize) {
        self.selected = index.min(len.saturating_sub(1));
        self.reveal(visible);
    }

    /// Moves the offset the least so that the selection is within `visible` rows.
    pub fn reveal(&mut self, visible: usize) {
        let visible = visible.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + visible {
            self.offset = self.selected + 1 - visible;
        }
    }
}

/// The timeline pane: which update is selected (0 = newest) and the body's scroll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimelineState {
    pub list: ListState,
    /// First shown line of the body preview.
    pub body_scroll: usize,
}

/// The calendar pane: the month shown and the selected follow-up in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarState {
    /// The first day of the month shown.
    pub month: NaiveDate,
    /// Index into the shown month's follow-ups.
    pub selected: usize,
}

impl CalendarState {
    pub fn showing(date: NaiveDate) -> Self {
        Self {
            month: first_of_month(date),
            selected: 0,
        }
    }
}

/// The first day of `date`'s month.
pub fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// Everything the screen shows.
#[derive(Debug, Clone)]
pub struct State {
    pub workspace: Workspace,
    pub path: PathBuf,
    pub today: NaiveDate,
    /// The terminal's size in columns and rows.
    pub size: (u16, u16),
    pub focus: Pane,
    pub overlay: Option<Overlay>,
    pub claims: ListState,
    pub timeline: TimelineState,
    pub calendar: CalendarState,
    /// A one-line message for the status bar (what just happened, or what went wrong).
    pub message: Option<String>,
    pub quit: bool,
}

impl State {
    pub fn new(workspace: Workspace, path: PathBuf, today: NaiveDate, size: (u16, u16)) -> Self {
        let mut state = Self {
            workspace,
            path,
            today,
            size,
            focus: Pane::Claims,
            overlay: None,
            claims: ListState::default(),
            timeline: TimelineState::default(),
            calendar: CalendarState::showing(today),
            message: None,
            quit: false,
        };
        state.claim_changed();
        state
    }

    pub fn set_message(&mut self, message: impl Into<String>) {
        self.message = Some(message.into());
    }

    /// The screen's regions, or None when the terminal is too small.
    pub fn areas(&self) -> Option<Areas> {
        Areas::new(self.size.0, self.size.1)
    }

    pub fn selected_claim(&self) -> Option<&Claim> {
        self.workspace.claims.get(self.claims.selected)
    }

    /// The selected claim's updates, newest first.
    pub fn updates_newest_first(
        &self,
    ) -> impl DoubleEndedIterator<Item = &Update> + ExactSizeIterator {
        self.selected_claim()
            .map_or(&[][..], |c| c.updates.as_slice())
            .iter()
            .rev()
    }

    pub fn update_count(&self) -> usize {
        self.selected_claim().map_or(0, |c| c.updates.len())
    }

    /// The update selected in the timeline.
    pub fn selected_update(&self) -> Option<&Update> {
        self.updates_newest_first().nth(self.timeline.list.selected)
    }

    /// The update just older than the selected one, to tell a change of status.
    pub fn previous_update(&self) -> Option<&Update> {
        self.updates_newest_first()
            .nth(self.timeline.list.selected + 1)
    }

    /// The follow-ups in the calendar's month, by date.
    pub fn month_follow_ups(&self) -> Vec<&FollowUp> {
        let m = self.calendar.month;
        self.selected_claim()
            .map(|c| c.follow_ups_in_month(m.year(), m.month()).collect())
            .unwrap_or_default()
    }

    /// Resets the other panes to the newly selected claim: newest update, and the month
    /// of its next follow-up (or today's).
    pub fn claim_changed(&mut self) {
        self.timeline = TimelineState::default();
        let month = self
            .selected_claim()
            .and_then(|c| c.next_follow_up().map(|f| f.date))
            .unwrap_or(self.today);
        self.calendar = CalendarState::showing(month);
    }
}

/// What the reader shows for an update: its body, then its sources and the follow-up
/// it recommends.
pub fn reader_document(update: &Update) -> String {
    let mut doc = update.body.clone();
    if !update.sources.is_empty() {
        doc.push_str("\n\nSources:");
        for s in &update.sources {
            doc.push_str("\n• ");
            doc.push_str(s);
        }
    }
    if let Some(d) = update.suggested_follow_up {
        doc.push_str(&format!(
            "\n\nSuggested follow-up: {}",
            d.format("%a %b %-d, %Y")
        ));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_reveal_scrolls_the_least() {
        let mut l = ListState::default();
        l.select(10, 100, 5);
        assert_eq!((l.selected, l.offset), (10, 6));
        l.select(8, 100, 5);
        assert_eq!(l.offset, 6);
        l.select(3, 100, 5);
        assert_eq!(l.offset, 3);
        l.select(500, 100, 5);
        assert_eq!((l.selected, l.offset), (99, 95));
        l.select(0, 0, 5);
        assert_eq!((l.selected, l.offset), (0, 0));
    }
}
