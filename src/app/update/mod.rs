//! How each action changes the state: the one place where state changes. Pure — no
//! terminal, no file I/O — so every key's effect is testable as a state change. What must
//! touch the disk comes back as an `Effect` for the runtime to carry out.

use super::action::{Action, Desk, Saved};
use super::layout::CLAIM_ROW_HEIGHT;
use super::state::{
    FollowUpAt, InputPurpose, ListState, MarkKind, Overlay, Pane, Question, SearchState, State,
    Step, TimelineRow, editor, rationale_editor, reviews_document,
};
use super::view::{self, Filter};
use crate::model::{Edit, EditError, FollowUp, FollowUpState, Review, Verdict, display_safe, text};
use crate::wrap;
use chrono::{Days, Months, NaiveDate};
use ratatui::layout::{Position, Rect};

mod background;
mod edit;
mod marks;
mod motion;
mod overlay;

use background::*;
use edit::*;
use motion::*;
use overlay::*;

/// Lines the mouse wheel moves.
const WHEEL_STEP: usize = 3;

/// Work for the runtime: the only things an action asks of the world outside.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Make an edit durable at once (the journal).
    Record(Edit),
    /// On a shared (database) workspace, an edit to titles, tags or follow-ups: made on
    /// the server's copy only where the part it changes is as in `before` (the claims it
    /// touches, as the screen had them before it).
    Share {
        edit: Edit,
        before: Vec<crate::model::Claim>,
    },
    /// Write the workspace to its file.
    Save,
    /// Autosave: fold the journal into the file once editing pauses (every edit is
    /// durable in the journal already).
    SaveSoon,
    /// Write it, and quit once it is written.
    SaveAndQuit,
    /// Throw away the edits not yet saved (quitting without saving).
    DiscardUnsaved,
    /// Read the file again and re-apply the unsaved edits.
    Reload,
    /// Write the workspace to another file and go on there.
    SaveAs(std::path::PathBuf),
    /// Search for `query`; the answer comes back as `Action::SearchDone`.
    Search { generation: u64, query: String },
    /// Give the terminal back to the shell until resumed.
    Suspend,
    /// Put this text on the clipboard (the terminal's, by OSC 52).
    Copy(String),
    /// Open this URL with the reviewer's browser.
    Open(String),
}

/// Applies one action; returns what must be done outside.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let effects = apply_action(state, action);
    // A notice that came while something else was open shows once that is closed.
    if state.overlay.is_none() {
        state.overlay = state.queued.pop_front();
    }
    // What the reviewer saw when they began an edit, and the claim they began it on,
    // matter until it is closed.
    match &state.overlay {
        None => {
            state.seen = None;
            state.editing = None;
        }
        Some(Overlay::Input { .. } | Overlay::Rationale { .. } | Overlay::VerdictPicker { .. })
            if state.editing.is_none() =>
        {
            state.editing = state.selected_claim().map(|c| c.id.clone());
        }
        Some(_) => {}
    }
    state.derive_text();
    effects
}

fn apply_action(state: &mut State, action: Action) -> Vec<Effect> {
    // A message stays until the user does something else.
    if !matches!(
        action,
        Action::Resize { .. }
            | Action::Saved(_)
            | Action::JournalFailed(_)
            | Action::LoadProgress { .. }
            | Action::Desk(_)
    ) {
        state.message = None;
    }
    match action {
        Action::Resize { width, height } => {
            state.size = (width, height);
            reveal_all(state);
            return vec![];
        }
        Action::Saved(outcome) => {
            saved(state, outcome);
            return vec![];
        }
        Action::LoadProgress { read, total } => {
            state.loading = Some(super::state::Loading { read, total });
            return vec![];
        }
        Action::Loaded {
            workspace,
            message,
            recovered,
            held_by,
        } => {
            if held_by.is_some() {
                state.settings.read_only = true;
                state.held_by = held_by;
            }
            state.workspace = *workspace;
            state.loading = None;
            state.save.unsaved = recovered;
            if !state.refresh_view(None) {
                state.claim_changed();
            }
            // Opened read-only because someone else has it: say so first.
            state.message = match (
                state.read_only_reason().filter(|_| state.held_by.is_some()),
                message,
            ) {
                (Some(why), Some(m)) => Some(format!("{why} · {m}")),
                (why, m) => why.or(m),
            };
            return vec![];
        }
        Action::NotRecorded { why, reachable } => {
            match reachable {
                // The server said no: the verdict comes off the screen, exactly it (its
                // undo step, applied without recording), whatever else is held there.
                true => {
                    if let Some(step) = state.history.undo.pop() {
                        let _ = crate::model::edit::apply(&mut state.workspace, &step.edit);
                        state.save.unsaved = state.save.unsaved.saturating_sub(1);
                        after_change(state, &step.edit);
                    }
                    state.set_message(format!(
                        "NOT RECORDED, taken off the screen: the database refused it ({why})"
                    ));
                }
                false => {
                    state.save.error = Some(why.clone());
                    state.save.in_memory_only += 1;
                    state.set_message(format!(
                        "NOT RECORDED: the database cannot be reached ({why}); the verdict is on this screen only: record it again once the server is back"
                    ));
                }
            }
            return vec![];
        }
        Action::JournalFailed(e) => {
            state.save.error = Some(e.clone());
            state.save.in_memory_only += 1;
            state.save.journal_error = Some(e.clone());
            let save = state.save_key();
            state.set_message(format!(
                "NOT RECORDED ON DISK: could not write the journal ({e}). The edit is in memory only; make room, then save with {save} before quitting"
            ));
            return vec![];
        }
        Action::Desk(news) => return desk(state, news),
        Action::Reloaded { result } => {
            let mut effects = reloaded(state, result);
            // The re-applied edits are saved like any other.
            if state.save.unsaved > 0 {
                effects.extend(autosave(state));
            }
            return effects;
        }
        Action::SearchDone {
            generation,
            results,
        } => {
            search_done(state, generation, results);
            return vec![];
        }
        Action::Click { column, row } => {
            click(state, column, row);
            return vec![];
        }
        Action::ScrollUp { column, row } => {
            wheel(state, column, row, false);
            return vec![];
        }
        Action::ScrollDown { column, row } => {
            wheel(state, column, row, true);
            return vec![];
        }
        _ => {}
    }
    if action == Action::Suspend {
        return vec![Effect::Suspend];
    }
    if state.loading.is_some() {
        // Nothing to act on yet but quitting.
        if action == Action::Quit {
            state.quit = true;
        }
        return vec![];
    }
    if let Action::RecordVerdict {
        claim,
        verdict,
        note,
    } = &action
    {
        if let Some(why) = state.refusal(&action) {
            state.set_message(why);
            return vec![];
        }
        return record_verdict(state, claim, *verdict, note, false);
    }
    if state.areas().is_none() {
        // The "terminal too small" screen: nothing may happen unseen, but q still quits.
        if action == Action::Quit && state.overlay.is_none() {
            quit(state);
        }
        return vec![];
    }
    if state.overlay.is_none()
        && action.changes_workspace()
        && let Some(why) = state.refusal(&action)
    {
        state.set_message(why);
        return vec![];
    }
    if state.overlay.is_none()
        && state.search.as_ref().is_none_or(|s| s.editor.is_none())
        && action.needs_claim()
        // With claims marked, a verdict or a tag edit is for them, shown or not.
        && !(action.acts_on_marks() && state.marked_claims().next().is_some())
        && let Some(why) = state.why_no_claim()
    {
        state.set_message(why);
        return vec![];
    }
    if state.overlay.is_some() {
        return overlay_action(state, action);
    }
    if state.search.as_ref().is_some_and(|s| s.editor.is_some()) {
        return search_line(state, action);
    }
    match action {
        Action::Quit => quit(state),
        Action::ToggleHelp => {
            state.overlay = Some(Overlay::Help {
                scroll: help_start(state),
            });
        }
        Action::ShowReviews => {
            if state.selected_claim().is_some() {
                state.overlay = Some(Overlay::Reviews { scroll: 0 });
            }
        }
        Action::ClearSearch => clear_search(state),
        Action::Copy | Action::OpenSource => return copy_or_open(state, &action),
        Action::Notify(text) => state.set_message(text),
        Action::ShowAgenda => open_agenda(state),
        Action::GoToDayPrompt => {
            state.overlay = Some(Overlay::input(InputPurpose::GoToDay, ""));
        }
        Action::ToggleZoom => {
            state.zoomed = !state.zoomed;
            // Page sizes and the rows kept in view follow the new room.
            state.refresh_view(None);
        }
        Action::ShowDetails => {
            if state.selected_claim().is_some() {
                state.overlay = Some(Overlay::Details { scroll: 0 });
            }
        }
        Action::FocusNext => state.focus = state.focus.next(),
        Action::FocusPrev => state.focus = state.focus.prev(),
        Action::Open => match state.selected_row() {
            Some(TimelineRow::Run { first, .. }) => toggle_run(state, first),
            Some(TimelineRow::Update(_)) => state.overlay = Some(Overlay::Reader { scroll: 0 }),
            None => {}
        },
        Action::ToggleRun => match state.selected_row() {
            Some(TimelineRow::Run { first, .. }) => toggle_run(state, first),
            Some(TimelineRow::Update(i)) => {
                // Inside an unfolded run: fold it again.
                if let Some(first) = state.timeline.rows().foldable_run_of(i)
                    && state.timeline.folded()
                {
                    toggle_run(state, first);
                }
            }
            None => {}
        },
        Action::ToggleFolding => {
            let keep = state.selected_update_index();
            let folded = !state.timeline.folded();
            state.timeline.set_folded(folded);
            if let Some(i) = keep {
                reveal_update(state, i);
            }
            let z = state.settings.keymap.shown(
                super::keymap::Scope::Pane(Pane::Timeline),
                &Action::ToggleFolding,
            );
            state.set_message(if state.timeline.folded() {
                format!("Runs of the same status folded ({z} unfolds)")
            } else {
                format!("Every update shown ({z} folds runs)")
            });
        }
        Action::FirstNew if state.updates_not_in().is_some() => {
            let why = state.updates_not_in().unwrap_or_default();
            state.set_message(why);
        }
        Action::FirstNew => {
            let n = state.update_count();
            let first_new = (0..n).rev().find(|&i| state.is_new(i));
            match (state.seen_through(), first_new) {
                (None, _) => state.set_message("No verdict yet: every update is new"),
                (Some(_), None) => state.set_message("Nothing new since the last review"),
                (Some(_), Some(i)) => {
                    state.focus = Pane::Timeline;
                    reveal_update(state, i);
                    let count = (0..n).filter(|&j| state.is_new(j)).count();
                    state.set_message(format!(
                        "The first of {} since the last review",
                        text::count(count, "new update")
                    ));
                }
            }
        }
        Action::OpenVerdictThenNext
            if state.claims.totals.to_review == 0 && state.marked_claims().next().is_none() =>
        {
            // Nothing to go on to: V works the queue, v records on this claim.
            let v = state
                .settings
                .keymap
                .shown(super::keymap::Scope::Global, &Action::OpenVerdict);
            state.set_message(format!(
                "The queue is empty: 0 to review; {v} records a verdict on this claim"
            ));
        }
        Action::OpenVerdict | Action::OpenVerdictThenNext => {
            let marked = state.marked_claims().next().is_some();
            if marked || state.selected_claim().is_some() {
                let selected = state
                    .selected_claim()
                    .filter(|_| !marked)
                    .and_then(|c| c.verdict())
                    .and_then(|v| Verdict::ALL.iter().position(|x| *x == v))
                    .unwrap_or(0);
                let then_next = action == Action::OpenVerdictThenNext;
                state.overlay = Some(Overlay::VerdictPicker {
                    selected,
                    then_next,
                });
            }
        }
        Action::ToggleMark => marks::toggle_claim(state),
        Action::ClearMarks => marks::clear(state, MarkKind::Claims),
        Action::NextNeedsReview => jump_needs_review(state, true),
        Action::PrevNeedsReview => jump_needs_review(state, false),
        Action::CycleSort => {
            state.claims.sort = state.claims.sort.next();
            state.claims.held = None;
            state.refresh_view(None);
            state.set_message(format!("Sort: {}", state.claims.sort.label()));
        }
        Action::OpenFilter => {
            let choices = view::filter_choices(&state.workspace);
            let selected = choices
                .iter()
                .position(|f| *f == state.claims.filter)
                .unwrap_or(0);
            state.overlay = Some(Overlay::FilterMenu { selected });
        }
        Action::EditTitle => {
            if let Some(c) = state.selected_claim() {
                state.overlay = Some(Overlay::input(InputPurpose::Title, &c.title));
            }
        }
        Action::EditTags if state.marked_claims().next().is_some() => {
            let common = marks::common_tags(state);
            let count = state.marked_claims().count();
            let text = tags_text(&common);
            state.overlay = Some(Overlay::input(
                InputPurpose::MarkedTags { common, count },
                &text,
            ));
        }
        Action::Assign => {
            if let Some(c) = state.selected_claim() {
                // Yours to take by default; a claim already yours, to give up or pass on.
                let who = c
                    .assigned_to
                    .clone()
                    .unwrap_or_else(|| state.settings.reviewer.clone());
                state.overlay = Some(Overlay::input(InputPurpose::Assignee, &who));
            }
        }
        Action::EditTags => {
            if let Some(c) = state.selected_claim() {
                let text = tags_text(&c.tags);
                state.overlay = Some(Overlay::input(InputPurpose::Tags, &text));
            }
        }
        Action::PrevDay => move_cursor(state, -1),
        Action::NextDay => move_cursor(state, 1),
        Action::PrevWeek => move_cursor(state, -7),
        Action::NextWeek => move_cursor(state, 7),
        Action::PrevMonth => shift_month(state, false),
        Action::NextMonth => shift_month(state, true),
        Action::Today => state.calendar.cursor = state.today,
        Action::GoToDay(day) => state.calendar.cursor = day,
        Action::AddFollowUp => {
            let day = state.calendar.cursor;
            if state.selected_claim().is_none() {
            } else if state.cursor_follow_up().is_some() {
                let edit = state.settings.keymap.shown(
                    super::keymap::Scope::Pane(Pane::Calendar),
                    &Action::EditNote,
                );
                state.set_message(format!(
                    "A follow-up is already on {}; {edit} edits its note",
                    day.format("%b %-d")
                ));
            } else {
                // A day the updates suggest starts with a note that says so.
                let suggested = state
                    .timeline
                    .analysis()
                    .suggestions
                    .get(&day)
                    .map_or(0, |v| v.len());
                let note = match suggested {
                    0 => String::new(),
                    1 => "suggested by an update".to_owned(),
                    n => format!("suggested by {n} updates"),
                };
                state.overlay = Some(Overlay::input(InputPurpose::NewFollowUp(day), &note));
            }
        }
        Action::EditNote => {
            if let Some(((_, date, nth), f)) = cursor_follow_up(state) {
                let purpose = InputPurpose::FollowUpNote(date, nth);
                state.overlay = Some(Overlay::input(purpose, &f.note));
            } else {
                no_follow_up_message(state);
            }
        }
        Action::ToggleDone | Action::CancelFollowUp | Action::MoveFollowUp(_) => {
            return follow_up_action(state, &Target::Cursor, &action);
        }
        Action::NextOnDay => {
            let day = state.calendar.cursor;
            match state.cursor_day_follow_ups() {
                (0, _) => no_follow_up_message(state),
                (1, _) => state.set_message(format!("{} has one follow-up", day.format("%b %-d"))),
                (n, nth) => {
                    let next = (nth + 1) % n;
                    state.calendar.pick = Some((day, next));
                    state.set_message(format!(
                        "Follow-up {} of {n} on {}",
                        next + 1,
                        day.format("%b %-d")
                    ));
                }
            }
        }
        Action::DeleteFollowUp => {
            let Some(((claim, date, nth), _)) = cursor_follow_up(state) else {
                no_follow_up_message(state);
                return vec![];
            };
            return commit(state, Edit::RemoveFollowUp { claim, date, nth });
        }
        Action::AcceptSuggestion => return accept_suggestion(state, false),
        Action::OpenSearch => {
            let query = state
                .search
                .as_ref()
                .map(|s| s.query.clone())
                .unwrap_or_default();
            match &mut state.search {
                Some(s) => s.editor = Some(editor(&query)),
                None => {
                    state.search = Some(SearchState {
                        query,
                        editor: Some(editor("")),
                        generation: 0,
                        results: None,
                    })
                }
            }
        }
        Action::NextMatch => jump_match(state, true),
        Action::PrevMatch => jump_match(state, false),
        Action::Undo => return undo(state, true),
        Action::Redo => return undo(state, false),
        Action::Save => return vec![Effect::Save],
        motion => move_in_pane(state, &motion),
    }
    vec![]
}

/// q: with autosave, a save still running is finished on the way out; only edits that
/// will not be saved (no autosave, or the last save failed) make q ask.
fn quit(state: &mut State) {
    let at_risk =
        state.save.unsaved > 0 && (!state.settings.autosave || state.save.error.is_some());
    if at_risk {
        state.overlay = Some(Overlay::Confirm(Question::QuitUnsaved));
    } else {
        state.quit = true;
    }
}
