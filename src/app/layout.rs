//! Where each pane sits for a given screen size. One pure function, used by drawing and
//! by the update (page sizes, mouse hit tests), so the two always agree.
//!
//! ```text
//! ┌ Claims ─────────┐┌ Timeline ───────────────────┐
//! │ claim rows      ││ update rows                 │
//! │                 │├ selected update ────────────┤
//! │                 ││ body preview                │
//! │                 │└─────────────────────────────┘
//! │                 │┌ Follow-ups ─────────────────┐
//! │                 ││ month grid  │ month's list  │
//! └─────────────────┘└─────────────────────────────┘
//!  status bar (2 rows)
//! ```

use super::keymap::Keymap;
use super::state::Pane;
use ratatui::layout::Rect;

/// The smallest screen the layout supports.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// Rows the calendar pane needs: borders, month header, weekday row, six weeks.
const CALENDAR_HEIGHT: u16 = 10;
/// Columns of the month grid: seven days of four columns.
pub const GRID_WIDTH: u16 = 28;
/// Columns between two month grids side by side.
pub const MONTH_GAP: u16 = 3;
/// The most months the calendar shows side by side.
const MAX_MONTHS: u16 = 3;
/// Columns the calendar keeps for its list of follow-ups before it adds a month.
const LIST_MIN_WIDTH: u16 = 44;
/// Rows of the claim digest above the timeline's rows, when its words fit on one (the
/// status strip takes the other).
pub const DIGEST_HEIGHT: u16 = 2;
/// Rows of the status bar.
const STATUS_HEIGHT: u16 = 2;

/// The screen's regions (outer rectangles, borders included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub claims: Rect,
    pub timeline: Rect,
    /// Inside the timeline, at the top: the claim's digest.
    pub timeline_digest: Rect,
    /// Inside the timeline: the update rows.
    pub timeline_list: Rect,
    /// Inside the timeline: the selected update's body.
    pub timeline_detail: Rect,
    pub calendar: Rect,
    /// Inside the calendar: the month grid.
    pub calendar_grid: Rect,
    /// Inside the calendar: the month's follow-ups, one a row.
    pub calendar_list: Rect,
    /// The full screen above the status bar, for overlays.
    pub main: Rect,
    pub status: Rect,
}

impl Areas {
    /// None when the screen is smaller than the minimum.
    pub fn new(width: u16, height: u16) -> Option<Self> {
        Self::with(width, height, DIGEST_HEIGHT, None)
    }

    /// The layout with a digest of `digest_height` rows (its words wrapped to a second),
    /// and `zoomed` taking the whole screen above the status bar (the others get no room).
    pub fn with(width: u16, height: u16, digest_height: u16, zoomed: Option<Pane>) -> Option<Self> {
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            return None;
        }
        let main = Rect::new(0, 0, width, height - STATUS_HEIGHT);
        let status = Rect::new(0, height - STATUS_HEIGHT, width, STATUS_HEIGHT);
        // The claim list's width and the calendar's height; a zoomed pane takes it all.
        let (left, calendar_h) = match zoomed {
            None => (
                (width * 2 / 5).clamp(30, 64),
                CALENDAR_HEIGHT.min(main.height / 2),
            ),
            Some(Pane::Claims) => (width, 0),
            Some(Pane::Timeline) => (0, 0),
            Some(Pane::Calendar) => (0, main.height),
        };
        let claims = Rect::new(0, 0, left, main.height);
        let right_w = width - left;
        let timeline = Rect::new(left, 0, right_w, main.height - calendar_h);
        let calendar = Rect::new(left, timeline.height, right_w, calendar_h);
        // Inside the timeline's border: the digest, rows, a separator row, then the body.
        let timeline_digest = Rect::new(left + 1, 1, right_w.saturating_sub(2), digest_height);
        let inner_h = timeline.height.saturating_sub(2 + digest_height);
        let list_h = (inner_h.saturating_sub(1) * 2 / 5).max(3).min(inner_h);
        let timeline_list = Rect::new(
            left + 1,
            1 + digest_height,
            right_w.saturating_sub(2),
            list_h,
        );
        let detail_y = 1 + digest_height + list_h + 1;
        let timeline_detail = Rect::new(
            left + 1,
            detail_y,
            right_w.saturating_sub(2),
            (timeline.height.saturating_sub(1)).saturating_sub(detail_y),
        );
        let cal_inner = Rect::new(
            calendar.x + 1,
            calendar.y + 1,
            calendar.width.saturating_sub(2),
            calendar.height.saturating_sub(2),
        );
        // As many months side by side as leave the list its room.
        let months = (1..=MAX_MONTHS)
            .rev()
            .find(|&n| n * GRID_WIDTH + (n - 1) * MONTH_GAP + 2 + LIST_MIN_WIDTH <= cal_inner.width)
            .unwrap_or(1);
        let grid_w = (months * GRID_WIDTH + (months - 1) * MONTH_GAP).min(cal_inner.width);
        let calendar_grid = Rect::new(cal_inner.x, cal_inner.y, grid_w, cal_inner.height);
        // The list starts a row down, under its heading, two columns right of the grid.
        let list_x = cal_inner.x + grid_w + 2;
        let calendar_list = Rect::new(
            list_x,
            cal_inner.y + 1,
            cal_inner.right().saturating_sub(list_x),
            cal_inner.height.saturating_sub(1),
        );
        let mut areas = Self {
            claims,
            timeline,
            timeline_digest,
            timeline_list,
            timeline_detail,
            calendar,
            calendar_grid,
            calendar_list,
            main,
            status,
        };
        // The panes a zoom hides have no room at all: nothing draws there, no click hits.
        match zoomed {
            Some(Pane::Claims) => areas.hide_timeline().hide_calendar(),
            Some(Pane::Timeline) => areas.hide_claims().hide_calendar(),
            Some(Pane::Calendar) => areas.hide_claims().hide_timeline(),
            None => &mut areas,
        };
        Some(areas)
    }

    fn hide_claims(&mut self) -> &mut Self {
        self.claims = Rect::default();
        self
    }

    fn hide_timeline(&mut self) -> &mut Self {
        self.timeline = Rect::default();
        self.timeline_digest = Rect::default();
        self.timeline_list = Rect::default();
        self.timeline_detail = Rect::default();
        self
    }

    fn hide_calendar(&mut self) -> &mut Self {
        self.calendar = Rect::default();
        self.calendar_grid = Rect::default();
        self.calendar_list = Rect::default();
        self
    }

    /// How many month grids the calendar shows side by side, the cursor's month first.
    pub fn calendar_months(&self) -> u16 {
        ((self.calendar_grid.width + MONTH_GAP) / (GRID_WIDTH + MONTH_GAP)).max(1)
    }

    /// The rectangle of the `i`th month grid (0: the cursor's month).
    pub fn month_grid(&self, i: u16) -> Rect {
        let g = self.calendar_grid;
        let x = g.x + i * (GRID_WIDTH + MONTH_GAP);
        Rect::new(
            x,
            g.y,
            GRID_WIDTH.min(g.right().saturating_sub(x)),
            g.height,
        )
    }

    /// Whether a pane has room to be drawn.
    pub fn shows(&self, pane: Pane) -> bool {
        let area = match pane {
            Pane::Claims => self.claims,
            Pane::Timeline => self.timeline,
            Pane::Calendar => self.calendar,
        };
        !area.is_empty()
    }

    /// Rows of the claim list's inside.
    pub fn claim_rows(&self) -> u16 {
        self.claims.height.saturating_sub(2)
    }

    /// The reader overlay's inside: the main area less a margin and borders.
    pub fn reader_inner(&self) -> Rect {
        let outer = self.reader();
        Rect::new(
            outer.x + 2,
            outer.y + 2,
            outer.width.saturating_sub(4),
            outer.height.saturating_sub(3),
        )
    }

    /// The help overlay's frame: as wide as its longest line, up to the whole screen.
    pub fn help(&self, keymap: &Keymap) -> Rect {
        let m = self.main;
        let natural = u16::try_from(super::help::natural_width(keymap)).unwrap_or(u16::MAX);
        let w = natural.saturating_add(4).min(m.width);
        Rect::new(m.x + (m.width - w) / 2, m.y, w, m.height)
    }

    /// Inside the help's frame, a column of margin on each side.
    pub fn help_inner(&self, keymap: &Keymap) -> Rect {
        let outer = self.help(keymap);
        Rect::new(
            outer.x + 2,
            outer.y + 1,
            outer.width.saturating_sub(4),
            outer.height.saturating_sub(2),
        )
    }

    /// The reader overlay's frame.
    pub fn reader(&self) -> Rect {
        let m = self.main;
        let margin_x = if m.width >= 110 {
            (m.width - 100) / 2
        } else {
            0
        };
        Rect::new(m.x + margin_x, m.y, m.width - 2 * margin_x, m.height)
    }
}

/// The day of `month` drawn at a screen cell of the calendar grid, if any.
pub fn day_at(
    areas: &Areas,
    month: chrono::NaiveDate,
    column: u16,
    row: u16,
) -> Option<chrono::NaiveDate> {
    use chrono::Datelike;
    let all = areas.calendar_grid;
    if column < all.x || column >= all.right() {
        return None;
    }
    // Which month's grid, when several show side by side.
    let i = (column - all.x) / (GRID_WIDTH + MONTH_GAP);
    let month = month.checked_add_months(chrono::Months::new(u32::from(i)))?;
    let grid = areas.month_grid(i);
    if column < grid.x || column >= grid.x + GRID_WIDTH || row < grid.y + 2 || row >= grid.bottom()
    {
        return None;
    }
    let col = u32::from((column - grid.x) / 4);
    let week = u32::from(row - grid.y - 2);
    let first_col = month.weekday().num_days_from_monday();
    let index = (week * 7 + col).checked_sub(first_col)?;
    let day = month.checked_add_days(chrono::Days::new(u64::from(index)))?;
    (day.month() == month.month()).then_some(day)
}

/// Lines each claim takes in the list.
pub const CLAIM_ROW_HEIGHT: u16 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen_without_overlap() {
        for (w, h) in [(80, 24), (120, 40), (200, 60), (333, 101)] {
            let a = Areas::new(w, h).expect("big enough");
            assert_eq!(a.claims.width + a.timeline.width, w);
            assert_eq!(a.timeline.height + a.calendar.height + a.status.height, h);
            assert!(a.timeline_list.height >= 3);
            assert!(
                a.timeline_detail.height >= 2,
                "{w}x{h}: {:?}",
                a.timeline_detail
            );
            assert!(a.timeline_detail.bottom() < a.timeline.bottom());
            assert!(a.calendar.height >= 8);
        }
        assert_eq!(Areas::new(79, 24), None);
        assert_eq!(Areas::new(80, 23), None);
    }

    #[test]
    fn a_wide_calendar_shows_months_side_by_side_and_clicks_find_their_days() {
        use chrono::NaiveDate;
        let feb = NaiveDate::from_ymd_opt(2026, 2, 1).expect("date");
        assert_eq!(Areas::new(120, 40).expect("fits").calendar_months(), 1);
        let a = Areas::new(200, 60).expect("fits");
        assert_eq!(a.calendar_months(), 2);
        let zoomed = Areas::with(250, 60, DIGEST_HEIGHT, Some(Pane::Calendar)).expect("fits");
        assert_eq!(zoomed.calendar_months(), 3);
        // The list keeps its room to the right of the grids.
        assert!(a.calendar_list.x >= a.calendar_grid.right() + 2);
        assert!(a.calendar_list.width >= LIST_MIN_WIDTH);
        // March 2026 starts on a Sunday: its 1st is the last cell of the second grid's
        // first week, the 2nd the first cell of its second week.
        let march = a.month_grid(1);
        let week = march.y + 2;
        assert_eq!(
            day_at(&a, feb, march.x + 6 * 4 + 1, week),
            NaiveDate::from_ymd_opt(2026, 3, 1)
        );
        assert_eq!(
            day_at(&a, feb, march.x + 1, week + 1),
            NaiveDate::from_ymd_opt(2026, 3, 2)
        );
        // The gap between the grids is no day; February's own grid still is.
        assert_eq!(day_at(&a, feb, march.x - 1, week), None);
        let first = a.month_grid(0);
        assert_eq!(
            day_at(&a, feb, first.x + 6 * 4, week),
            NaiveDate::from_ymd_opt(2026, 2, 1)
        );
    }
}
