//! The timeline's rows: which updates show on their own and which runs of the same status
//! fold into one row. The one owner of the folding rule — the pane draws these rows, and
//! moving, folding and unfolding ask this type which row covers an update.

use crate::analysis::Run;
use std::collections::BTreeSet;

/// One row of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineRow {
    /// An update, by its position newest first.
    Update(usize),
    /// Folded updates of one run: `first..=last` (oldest-first indices).
    Run {
        run: usize,
        first: usize,
        last: usize,
    },
}

/// The rows of one claim's timeline, newest first, for one folding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    rows: Vec<TimelineRow>,
    /// For each foldable run (by its oldest update), the span that folds.
    foldable: Vec<(usize, usize)>,
    /// How many updates the claim has.
    count: usize,
}

impl Timeline {
    /// The rows for `count` updates in `runs` (oldest first). The newest update always has
    /// a row of its own; the rest of each run folds when it holds two or more updates,
    /// unless folding is off or the run (by its oldest update) is in `expanded`.
    pub fn build(runs: &[Run], count: usize, folded: bool, expanded: &BTreeSet<usize>) -> Self {
        let mut rows = Vec::new();
        let mut foldable = Vec::new();
        for (ri, run) in runs.iter().enumerate().rev() {
            let mut last = run.last;
            if last + 1 == count {
                rows.push(TimelineRow::Update(0));
                if last == run.first {
                    continue;
                }
                last -= 1;
            }
            // The rule: what is left of a run folds when it is two updates or more.
            let can_fold = last > run.first;
            if can_fold {
                foldable.push((run.first, last));
            }
            let open = !folded || expanded.contains(&run.first);
            if can_fold && !open {
                rows.push(TimelineRow::Run {
                    run: ri,
                    first: run.first,
                    last,
                });
            } else {
                rows.extend(
                    (run.first..=last)
                        .rev()
                        .map(|i| TimelineRow::Update(count - 1 - i)),
                );
            }
        }
        foldable.reverse();
        Self {
            rows,
            foldable,
            count,
        }
    }

    pub fn rows(&self) -> &[TimelineRow] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, row: usize) -> Option<TimelineRow> {
        self.rows.get(row).copied()
    }

    /// The update a row stands for, newest first (a folded run: its newest update).
    pub fn update_of(&self, row: TimelineRow) -> usize {
        match row {
            TimelineRow::Update(i) => i,
            TimelineRow::Run { last, .. } => self.count - 1 - last,
        }
    }

    /// The row showing an update (newest-first index): its own, or its folded run's.
    pub fn row_covering(&self, newest_first: usize) -> Option<usize> {
        let oldest_first = self.count.checked_sub(newest_first + 1)?;
        self.rows.iter().position(|r| match *r {
            TimelineRow::Update(i) => i == newest_first,
            TimelineRow::Run { first, last, .. } => first <= oldest_first && oldest_first <= last,
        })
    }

    /// The foldable run an update (newest-first index) belongs to, by its oldest update:
    /// what Space folds again, and what must unfold to show the update on its own row.
    pub fn foldable_run_of(&self, newest_first: usize) -> Option<usize> {
        let oldest_first = self.count.checked_sub(newest_first + 1)?;
        self.foldable
            .iter()
            .find(|(first, last)| *first <= oldest_first && oldest_first <= *last)
            .map(|(first, _)| *first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(first: usize, last: usize) -> Run {
        Run {
            status: "s".into(),
            first,
            last,
        }
    }

    #[test]
    fn a_run_of_two_folds_and_can_fold_again() {
        // Oldest first: a run of two, then a run of one (the newest).
        let runs = [run(0, 1), run(2, 2)];
        let folded = Timeline::build(&runs, 3, true, &BTreeSet::new());
        assert_eq!(
            folded.rows(),
            [
                TimelineRow::Update(0),
                TimelineRow::Run {
                    run: 0,
                    first: 0,
                    last: 1
                }
            ]
        );
        let open = Timeline::build(&runs, 3, true, &BTreeSet::from([0]));
        assert_eq!(open.len(), 3);
        // Each update of the unfolded run of two belongs to a run Space folds again.
        assert_eq!(open.foldable_run_of(1), Some(0));
        assert_eq!(open.foldable_run_of(2), Some(0));
        assert_eq!(open.foldable_run_of(0), None, "the newest stands alone");
    }

    #[test]
    fn the_newest_update_stands_alone_and_rows_cover_every_update() {
        let runs = [run(0, 4), run(5, 9)];
        let t = Timeline::build(&runs, 10, true, &BTreeSet::new());
        assert_eq!(t.get(0), Some(TimelineRow::Update(0)));
        for i in 0..10 {
            let row = t.row_covering(i).expect("covered");
            let shown = t.get(row).expect("row");
            if let TimelineRow::Update(u) = shown {
                assert_eq!(u, i);
            }
        }
        assert_eq!(t.row_covering(10), None);
        let all = Timeline::build(&runs, 10, false, &BTreeSet::new());
        assert_eq!(all.len(), 10);
    }
}
