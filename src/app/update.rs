//! How each action changes the state: the one place where state changes. Pure — no
//! terminal, no file I/O — so every key's effect is testable as a state change. What must
//! touch the disk comes back as an `Effect` for the runtime to carry out.

use super::action::{Action, Saved};
use super::layout::CLAIM_ROW_HEIGHT;
use super::state::{
    InputPurpose, Overlay, Pane, Question, SearchState, State, Step, TimelineRow, editor,
    reviews_document,
};
use super::view::{self, Filter};
use crate::model::{Edit, EditError, FollowUp, FollowUpState, Review, Verdict, display_safe, text};
use crate::wrap;
use chrono::{Days, Months, NaiveDate};
use ratatui::layout::{Position, Rect};

/// Lines the mouse wheel moves.
const WHEEL_STEP: usize = 3;

/// Work for the runtime: the only things an action asks of the world outside.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Make an edit durable at once (the journal).
    Record(Edit),
    /// Write the workspace to its file.
    Save,
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
}

/// Applies one action; returns what must be done outside.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let effects = apply_action(state, action);
    // A notice that came while something else was open shows once that is closed.
    if state.overlay.is_none() {
        state.overlay = state.queued.pop_front();
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
            state.refresh_view(None);
            state.claim_changed();
            state.message = message;
            return vec![];
        }
        Action::JournalFailed(e) => {
            state.save.error = Some(e.clone());
            state.set_message(format!(
                "Could not write the journal: {e}. The edit is kept in memory; save with C-s"
            ));
            return vec![];
        }
        Action::Reloaded { result } => {
            reloaded(state, result);
            return vec![];
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
        if let Some(why) = state.read_only_reason() {
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
        && let Some(why) = state.read_only_reason()
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
        Action::ToggleHelp => state.overlay = Some(Overlay::Help { scroll: 0 }),
        Action::ShowReviews => {
            if state.selected_claim().is_some() {
                state.overlay = Some(Overlay::Reviews { scroll: 0 });
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
            state.set_message(if state.timeline.folded() {
                "Runs of the same status folded (z unfolds)"
            } else {
                "Every update shown (z folds runs)"
            });
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
        Action::OpenVerdict | Action::OpenVerdictThenNext => {
            if let Some(claim) = state.selected_claim() {
                let selected = claim
                    .verdict()
                    .and_then(|v| Verdict::ALL.iter().position(|x| *x == v))
                    .unwrap_or(0);
                let then_next = action == Action::OpenVerdictThenNext;
                state.overlay = Some(Overlay::VerdictPicker {
                    selected,
                    then_next,
                });
            }
        }
        Action::NextNeedsReview => jump_needs_review(state, true),
        Action::PrevNeedsReview => jump_needs_review(state, false),
        Action::CycleSort => {
            state.claims.sort = state.claims.sort.next();
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
                let e = editor(&c.title);
                state.overlay = Some(Overlay::Input {
                    purpose: InputPurpose::Title,
                    editor: e,
                });
            }
        }
        Action::EditTags => {
            if let Some(c) = state.selected_claim() {
                let e = editor(&c.tags.join(", "));
                state.overlay = Some(Overlay::Input {
                    purpose: InputPurpose::Tags,
                    editor: e,
                });
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
                state.set_message(format!(
                    "A follow-up is already on {}; e edits its note",
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
                state.overlay = Some(Overlay::Input {
                    purpose: InputPurpose::NewFollowUp(day),
                    editor: editor(&note),
                });
            }
        }
        Action::EditNote => {
            if let Some(f) = state.cursor_follow_up() {
                let e = editor(&f.note);
                let purpose = InputPurpose::FollowUpNote(f.date);
                state.overlay = Some(Overlay::Input { purpose, editor: e });
            } else {
                no_follow_up_message(state);
            }
        }
        Action::ToggleDone => {
            return change_follow_up(state, |f| {
                f.state = match f.state {
                    FollowUpState::Done => FollowUpState::Scheduled,
                    _ => FollowUpState::Done,
                };
                match f.state {
                    FollowUpState::Done => "done",
                    _ => "scheduled again",
                }
            });
        }
        Action::CancelFollowUp => {
            return change_follow_up(state, |f| {
                f.state = match f.state {
                    FollowUpState::Cancelled => FollowUpState::Scheduled,
                    _ => FollowUpState::Cancelled,
                };
                match f.state {
                    FollowUpState::Cancelled => "cancelled",
                    _ => "rescheduled",
                }
            });
        }
        Action::MoveFollowUp(days) => return move_follow_up(state, days),
        Action::DeleteFollowUp => {
            let Some((id, f)) = cursor_follow_up(state) else {
                no_follow_up_message(state);
                return vec![];
            };
            return commit(
                state,
                Edit::RemoveFollowUp {
                    claim: id,
                    date: f.date,
                },
            );
        }
        Action::AcceptSuggestion => return accept_suggestion(state),
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

/// Actions while an overlay is open: it takes them all.
fn overlay_action(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(overlay) = state.overlay.take() else {
        return vec![];
    };
    match overlay {
        Overlay::Help { scroll } => {
            let page = main_page(state);
            let max = super::help::lines().len().saturating_sub(page);
            state.overlay = match action {
                Action::Close | Action::ToggleHelp => None,
                motion => Some(Overlay::Help {
                    scroll: step(scroll, &motion, max + 1, page),
                }),
            };
        }
        Overlay::Reader { scroll } => {
            let (lines, page) = reader_extent(state);
            let max = lines.saturating_sub(page);
            state.overlay = match action {
                Action::Close => None,
                motion => Some(Overlay::Reader {
                    scroll: step(scroll, &motion, max + 1, page).min(max),
                }),
            };
        }
        Overlay::Reviews { scroll } => {
            let (lines, page) = reviews_extent(state);
            let max = lines.saturating_sub(page);
            state.overlay = match action {
                Action::Close => None,
                motion => Some(Overlay::Reviews {
                    scroll: step(scroll, &motion, max + 1, page).min(max),
                }),
            };
        }
        Overlay::VerdictPicker {
            selected,
            then_next,
        } => {
            let chosen = match action {
                Action::PickVerdict(n) => Some(n),
                Action::Choose => Some(selected),
                _ => None,
            };
            state.overlay = match (chosen, action) {
                (Some(n), _) => Verdict::ALL.get(n).map(|&verdict| Overlay::Rationale {
                    verdict,
                    editor: editor(""),
                    then_next,
                }),
                (None, Action::Close) => None,
                (None, motion) => Some(Overlay::VerdictPicker {
                    selected: step(selected, &motion, Verdict::ALL.len(), 1),
                    then_next,
                }),
            };
        }
        Overlay::Rationale {
            verdict,
            mut editor,
            then_next,
        } => match action {
            Action::Submit => {
                let note = editor.lines().join("\n");
                let Some(id) = state.selected_claim().map(|c| c.id.clone()) else {
                    return vec![];
                };
                return record_verdict(state, &id, verdict, &note, then_next);
            }
            Action::Cancel => {
                let typed = editor.lines().iter().any(|l| !l.trim().is_empty());
                let back = Overlay::Rationale {
                    verdict,
                    editor,
                    then_next,
                };
                state.overlay = if typed {
                    Some(Overlay::Confirm(Question::DiscardRationale(Box::new(back))))
                } else {
                    None
                };
            }
            Action::EditorKey(key) => {
                editor.input(key);
                state.overlay = Some(Overlay::Rationale {
                    verdict,
                    editor,
                    then_next,
                });
            }
            Action::Paste(text) => {
                // Terminals send CR between pasted lines; the breaks and tabs stay.
                editor.insert_str(text::typed(&text));
                state.overlay = Some(Overlay::Rationale {
                    verdict,
                    editor,
                    then_next,
                });
            }
            _ => {
                state.overlay = Some(Overlay::Rationale {
                    verdict,
                    editor,
                    then_next,
                })
            }
        },
        Overlay::Input {
            purpose,
            mut editor,
        } => match action {
            Action::Submit => {
                let text = editor.lines().join(" ").trim().to_owned();
                return submit_input(state, purpose, editor, text);
            }
            Action::Cancel => {}
            Action::EditorKey(key) => {
                editor.input(key);
                if editor.lines().len() > 1 {
                    let joined = editor.lines().join(" ");
                    editor = super::state::editor(&joined);
                }
                state.overlay = Some(Overlay::Input { purpose, editor });
            }
            Action::Paste(text) => {
                editor.insert_str(display_safe(&text));
                state.overlay = Some(Overlay::Input { purpose, editor });
            }
            _ => state.overlay = Some(Overlay::Input { purpose, editor }),
        },
        Overlay::FilterMenu { selected } => {
            let choices = view::filter_choices(&state.workspace);
            match action {
                Action::Choose => {
                    let filter = choices.get(selected).cloned().unwrap_or(Filter::All);
                    let before = state.selected_claim().map(|c| c.id.clone());
                    state.claims.filter = filter;
                    state.refresh_view(None);
                    if state.selected_claim().map(|c| c.id.clone()) != before {
                        state.claim_changed();
                    }
                    let shown = state.claims.view.len();
                    state.set_message(format!(
                        "Showing {}: {shown} of {} claims",
                        state.claims.filter.label(),
                        state.workspace.claims.len()
                    ));
                }
                Action::Close => {}
                motion => {
                    let page = main_page(state);
                    let next = step(selected, &motion, choices.len(), page);
                    state.overlay = Some(Overlay::FilterMenu { selected: next });
                }
            }
        }
        Overlay::Confirm(question) => match (question, action) {
            (Question::QuitUnsaved, Action::Yes) => {
                state.quit = true;
                return vec![Effect::DiscardUnsaved];
            }
            (Question::ChangedOnDisk, Action::Reload) => return vec![Effect::Reload],
            (Question::ChangedOnDisk, Action::SaveAsPrompt) => {
                let suggestion = format!("{}.mine", state.path.display());
                state.overlay = Some(Overlay::Input {
                    purpose: InputPurpose::SaveAs,
                    editor: editor(&suggestion),
                });
            }
            (Question::ChangedOnDisk, Action::Close) => {}
            (Question::QuitUnsaved, Action::SaveAndQuit) => return vec![Effect::SaveAndQuit],
            (Question::DiscardRationale(_), Action::Yes) => {}
            (Question::DiscardRationale(back), Action::No) => state.overlay = Some(*back),
            (Question::QuitUnsaved, Action::No) => {}
            (question, _) => state.overlay = Some(Overlay::Confirm(question)),
        },
    }
    vec![]
}

/// Keys while the search line has the keyboard: typing searches as you go.
fn search_line(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(search) = &mut state.search else {
        return vec![];
    };
    let Some(editor) = &mut search.editor else {
        return vec![];
    };
    match action {
        Action::EditorKey(key) => {
            editor.input(key);
        }
        Action::Paste(text) => {
            editor.insert_str(display_safe(&text));
        }
        Action::Submit => {
            search.editor = None;
            if search.query.trim().is_empty() {
                state.search = None;
            }
            return vec![];
        }
        Action::Cancel => {
            state.search = None;
            let before = state.selected_claim().map(|c| c.id.clone());
            state.refresh_view(before.as_deref());
            state.set_message("Search cleared");
            return vec![];
        }
        _ => return vec![],
    }
    let text = editor.lines().join(" ");
    if text == search.query {
        return vec![];
    }
    search.query = text;
    search.generation += 1;
    let generation = search.generation;
    let query = search.query.trim().to_owned();
    if query.is_empty() {
        search.results = None;
        let before = state.selected_claim().map(|c| c.id.clone());
        state.refresh_view(before.as_deref());
        return vec![];
    }
    vec![Effect::Search { generation, query }]
}

fn search_done(
    state: &mut State,
    generation: u64,
    results: std::sync::Arc<crate::search::Results>,
) {
    let Some(search) = &mut state.search else {
        return;
    };
    if search.generation != generation {
        return;
    }
    search.results = Some(results);
    let before = state.selected_claim().map(|c| c.id.clone());
    state.refresh_view(before.as_deref());
    if state.selected_claim().map(|c| c.id.clone()) != before {
        state.claim_changed();
    }
}

/// Selects the next (or previous) update, newest first, that matches the search.
fn jump_match(state: &mut State, forward: bool) {
    let Some(hit) = state.search_hit() else {
        state.set_message("No search, or no match in this claim: / searches");
        return;
    };
    let n = state.update_count();
    // Matching positions in newest-first order.
    let mut positions: Vec<usize> = hit.updates.iter().map(|&i| n - 1 - i).collect();
    positions.sort_unstable();
    let current = state.selected_update_index().unwrap_or(0);
    let next = if forward {
        positions
            .iter()
            .copied()
            .find(|&p| p > current)
            .or(positions.first().copied())
    } else {
        positions
            .iter()
            .rev()
            .copied()
            .find(|&p| p < current)
            .or(positions.last().copied())
    };
    if let Some(p) = next {
        let index = positions.iter().position(|&x| x == p).map_or(0, |i| i + 1);
        reveal_update(state, p);
        state.set_message(format!("Match {index} of {}", positions.len()));
    }
}

/// Where an edit comes from: the reviewer's fresh change, undo, redo, or the journal
/// re-applied on top of a reloaded file (already durable, so not recorded again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Fresh,
    Undo,
    Redo,
    Replay,
}

/// The one path every edit takes: apply it, keep how to undo it, refresh what the screen
/// derives from the workspace, and ask for it to be made durable (and saved, with
/// autosave). Fresh edits, undo, redo, reload-and-reapply and the command line's
/// `verdict` all come here.
/// `label` names the step in undo and redo messages.
fn apply_edit(
    state: &mut State,
    edit: Edit,
    origin: Origin,
    label: String,
) -> Result<Vec<Effect>, EditError> {
    let inverse = crate::model::edit::apply(&mut state.workspace, &edit)?;
    let back = Step {
        edit: inverse,
        label,
    };
    match origin {
        Origin::Fresh => {
            state.history.undo.push(back);
            state.history.redo.clear();
        }
        Origin::Undo => state.history.redo.push(back),
        Origin::Redo => state.history.undo.push(back),
        Origin::Replay => {}
    }
    state.save.unsaved += 1;
    after_change(state, edit.claim_id());
    if origin == Origin::Replay {
        return Ok(vec![]);
    }
    let mut effects = vec![Effect::Record(edit)];
    effects.extend(autosave(state));
    Ok(effects)
}

/// A fresh edit from the reviewer, with a message saying what was recorded.
fn commit(state: &mut State, edit: Edit) -> Vec<Effect> {
    let label = edit.describe();
    commit_as(state, edit, label)
}

/// `commit`, naming the change in the reviewer's words (in the message and in undo).
fn commit_as(state: &mut State, edit: Edit, label: String) -> Vec<Effect> {
    match apply_edit(state, edit, Origin::Fresh, label.clone()) {
        Ok(effects) => {
            state.set_message(format!("Recorded {label}"));
            effects
        }
        Err(e) => {
            state.set_message(format!("Not done: {e}"));
            vec![]
        }
    }
}

/// Everything derived from the workspace, after a change to `claim_id`.
fn after_change(state: &mut State, claim_id: &str) {
    let before = state.selected_claim().map(|c| c.id.clone());
    // Keep the changed claim selected (it may have moved in the sorted list).
    let keep = before.clone().unwrap_or_else(|| claim_id.to_owned());
    state.refresh_view(Some(&keep));
    if state.selected_claim().map(|c| c.id.clone()) != before {
        state.claim_changed();
    } else {
        // The digest follows the calendar (open suggestions) and the reviews.
        state.reanalyze();
    }
}

fn autosave(state: &State) -> Vec<Effect> {
    if state.settings.autosave {
        vec![Effect::Save]
    } else {
        vec![]
    }
}

/// Undo (or redo) one step, across panes, and say what it was.
fn undo(state: &mut State, backwards: bool) -> Vec<Effect> {
    let (from, verb, origin) = if backwards {
        (&mut state.history.undo, "Undid", Origin::Undo)
    } else {
        (&mut state.history.redo, "Redid", Origin::Redo)
    };
    let Some(step) = from.pop() else {
        state.set_message(if backwards {
            "Nothing to undo"
        } else {
            "Nothing to redo"
        });
        return vec![];
    };
    let id = step.edit.claim_id().to_owned();
    let day = match &step.edit {
        Edit::AddFollowUp { follow_up, .. } | Edit::ReplaceFollowUp { follow_up, .. } => {
            Some(follow_up.date)
        }
        _ => None,
    };
    let label = step.label;
    match apply_edit(state, step.edit, origin, label.clone()) {
        Ok(effects) => {
            // Show where the change happened.
            if state.selected_claim().map(|c| c.id.as_str()) != Some(id.as_str()) {
                let before = state.selected_claim().map(|c| c.id.clone());
                state.refresh_view(Some(&id));
                if state.selected_claim().map(|c| c.id.clone()) != before {
                    state.claim_changed();
                }
            }
            if let Some(day) = day {
                state.calendar.cursor = day;
            }
            let title = state
                .workspace
                .claim(&id)
                .map(|c| wrap::truncate(&c.title, 40))
                .unwrap_or_default();
            state.set_message(format!("{verb} {label} on “{title}”"));
            effects
        }
        Err(e) => {
            state.set_message(format!(
                "Cannot {}: {e}",
                if backwards { "undo" } else { "redo" }
            ));
            vec![]
        }
    }
}

/// Records a verdict on the claim `id` (the app's selected claim, or the command line's):
/// the one place a review is made — the real clock, the session's reviewer, the rationale
/// cleaned of control characters, and the newest update the reviewer had.
fn record_verdict(
    state: &mut State,
    id: &str,
    verdict: Verdict,
    note: &str,
    then_next: bool,
) -> Vec<Effect> {
    let Some(claim) = state.workspace.claim(id) else {
        state.set_message(format!("Not done: no claim {id}"));
        return vec![];
    };
    let review = Review {
        at: state.now(),
        reviewer: state.settings.reviewer.clone(),
        verdict,
        note: text::typed(note).trim().to_owned(),
        seen_through: claim.latest_update().map(|u| u.at),
        extra: Default::default(),
    };
    let claim = claim.id.clone();
    let effects = commit(state, Edit::AddReview { claim, review });
    if then_next {
        let message = state.message.clone();
        jump_needs_review(state, true);
        if let (Some(recorded), Some(jumped)) = (message, state.message.clone()) {
            state.set_message(format!("{recorded} · {jumped}"));
        }
    }
    effects
}

fn submit_input(
    state: &mut State,
    purpose: InputPurpose,
    editor: Box<ratatui_textarea::TextArea<'static>>,
    text: String,
) -> Vec<Effect> {
    if purpose == InputPurpose::SaveAs {
        if text.is_empty() {
            state.overlay = Some(Overlay::Input { purpose, editor });
            return vec![];
        }
        return vec![Effect::SaveAs(std::path::PathBuf::from(text))];
    }
    let Some(claim) = state.selected_claim() else {
        return vec![];
    };
    let id = claim.id.clone();
    match purpose {
        InputPurpose::SaveAs => vec![],
        InputPurpose::Title => {
            if text.is_empty() {
                state.set_message("A title cannot be empty");
                state.overlay = Some(Overlay::Input { purpose, editor });
                return vec![];
            }
            if text == claim.title {
                return vec![];
            }
            commit(
                state,
                Edit::SetTitle {
                    claim: id,
                    title: text,
                },
            )
        }
        InputPurpose::Tags => {
            let mut tags: Vec<String> = Vec::new();
            for t in text.split(',').map(|t| t.trim().trim_start_matches('#')) {
                if !t.is_empty() && !tags.iter().any(|x| x == t) {
                    tags.push(t.to_owned());
                }
            }
            if tags == claim.tags {
                return vec![];
            }
            commit(state, Edit::SetTags { claim: id, tags })
        }
        InputPurpose::NewFollowUp(date) => {
            let follow_up = FollowUp {
                note: text,
                ..FollowUp::scheduled(date)
            };
            commit(
                state,
                Edit::AddFollowUp {
                    claim: id,
                    follow_up,
                },
            )
        }
        InputPurpose::FollowUpNote(date) => {
            let Some(old) = claim.follow_ups.iter().find(|f| f.date == date) else {
                return vec![];
            };
            if old.note == text {
                return vec![];
            }
            let label = format!("the {} follow-up's note", date.format("%b %-d"));
            let follow_up = FollowUp {
                note: text,
                ..old.clone()
            };
            commit_as(
                state,
                Edit::ReplaceFollowUp {
                    claim: id,
                    date,
                    follow_up,
                },
                label,
            )
        }
    }
}

fn cursor_follow_up(state: &State) -> Option<(String, FollowUp)> {
    let id = state.selected_claim()?.id.clone();
    state.cursor_follow_up().map(|f| (id, f.clone()))
}

fn no_follow_up_message(state: &mut State) {
    let day = state.calendar.cursor.format("%b %-d");
    state.set_message(format!("No follow-up on {day}; a schedules one"));
}

/// Changes the cursor day's follow-up; `change` says what it became ("done").
fn change_follow_up(
    state: &mut State,
    change: impl FnOnce(&mut FollowUp) -> &'static str,
) -> Vec<Effect> {
    let Some((id, old)) = cursor_follow_up(state) else {
        no_follow_up_message(state);
        return vec![];
    };
    let mut follow_up = old.clone();
    let became = change(&mut follow_up);
    let label = format!("the {} follow-up: {became}", old.date.format("%b %-d"));
    commit_as(
        state,
        Edit::ReplaceFollowUp {
            claim: id,
            date: old.date,
            follow_up,
        },
        label,
    )
}

fn move_follow_up(state: &mut State, days: i32) -> Vec<Effect> {
    let Some((id, old)) = cursor_follow_up(state) else {
        no_follow_up_message(state);
        return vec![];
    };
    let Some(date) = add_days(old.date, days) else {
        return vec![];
    };
    let follow_up = FollowUp {
        date,
        ..old.clone()
    };
    let effects = commit(
        state,
        Edit::ReplaceFollowUp {
            claim: id,
            date: old.date,
            follow_up,
        },
    );
    if state.cursor_follow_up().is_none() {
        // The move happened: the cursor follows the follow-up.
        state.calendar.cursor = date;
    }
    effects
}

fn accept_suggestion(state: &mut State) -> Vec<Effect> {
    let Some(update) = state.selected_update() else {
        return vec![];
    };
    let Some(date) = update.suggested_follow_up else {
        state.set_message("This update suggests no follow-up");
        return vec![];
    };
    let note = format!(
        "suggested by the update of {}",
        update.at.format("%b %-d %H:%M")
    );
    let Some(claim) = state.selected_claim() else {
        return vec![];
    };
    if claim.follow_ups.iter().any(|f| f.date == date) {
        state.set_message(format!(
            "{} is already on the calendar",
            date.format("%b %-d, %Y")
        ));
        state.calendar.cursor = date;
        return vec![];
    }
    let follow_up = FollowUp {
        note,
        ..FollowUp::scheduled(date)
    };
    let id = claim.id.clone();
    let effects = commit(
        state,
        Edit::AddFollowUp {
            claim: id,
            follow_up,
        },
    );
    state.calendar.cursor = date;
    effects
}

fn saved(state: &mut State, outcome: Saved) {
    match outcome {
        Saved::Done {
            covered,
            then_quit,
            path,
        } => {
            state.save.unsaved = state.save.unsaved.saturating_sub(covered);
            state.save.error = None;
            if let Some(p) = path {
                state.set_message(format!(
                    "Saved as {}; claimdesk goes on with that file",
                    p.display()
                ));
                state.path = p;
            }
            if then_quit {
                state.quit = true;
            }
        }
        Saved::ChangedOnDisk(e) => {
            state.save.error = Some(e);
            // Never over an open editor: the question waits until it is closed.
            state.present(Overlay::Confirm(Question::ChangedOnDisk));
        }
        Saved::Failed(e) => {
            state.set_message(format!(
                "Save failed: {e}. Your edits are kept (in memory and in the journal) and will be saved on the next try (C-s)"
            ));
            state.save.error = Some(e);
        }
    }
}

/// The file read again: the unsaved edits (the journal's) go back on top of it through
/// the same path as any edit; those that no longer apply are named.
fn reloaded(state: &mut State, result: Result<(Box<crate::model::Workspace>, Vec<Edit>), String>) {
    let (workspace, edits) = match result {
        Ok(r) => r,
        Err(e) => {
            state.set_message(format!("Could not reload: {e}"));
            return;
        }
    };
    state.workspace = *workspace;
    state.history = Default::default();
    state.save.unsaved = 0;
    state.save.error = None;
    state.refresh_view(None);
    state.claim_changed();
    let mut conflicts = Vec::new();
    for edit in edits {
        let label = edit.describe();
        let claim = edit.claim_id().to_owned();
        if let Err(e) = apply_edit(state, edit, Origin::Replay, label.clone()) {
            conflicts.push(format!("{label} on {claim}: {e}"));
        }
    }
    let applied = text::count(state.save.unsaved, "unsaved edit");
    if conflicts.is_empty() {
        state.set_message(format!("Reloaded; your {applied} re-applied on top"));
    } else {
        state.set_message(format!(
            "Reloaded; {applied} re-applied, {} no longer {}: {}",
            text::count(conflicts.len(), "edit"),
            if conflicts.len() == 1 {
                "applies"
            } else {
                "apply"
            },
            conflicts.join("; ")
        ));
    }
}

/// Selects the next (or previous) claim in the list that needs review, wrapping around.
fn jump_needs_review(state: &mut State, forward: bool) {
    let len = state.claims.view.len();
    if len == 0 {
        return;
    }
    let current = state.claims.list.selected;
    let found = (1..=len)
        .map(|d| {
            if forward {
                (current + d) % len
            } else {
                (current + len - d % len) % len
            }
        })
        .find(|&pos| {
            let i = state.claims.view[pos];
            pos != current && state.needs_review(&state.workspace.claims[i]).any()
        });
    match found {
        Some(pos) => {
            select_claim(state, pos);
            let left = state
                .visible_claims()
                .filter(|c| state.needs_review(c).any())
                .count();
            state.set_message(format!(
                "{} review",
                match left {
                    1 => "1 claim needs".to_owned(),
                    n => format!("{} need", text::count(n, "claim")),
                }
            ));
        }
        None => state.set_message("No other claim needs review"),
    }
}

/// Up/Down/First/Last/paging in the focused pane.
fn move_in_pane(state: &mut State, motion: &Action) {
    match state.focus {
        Pane::Claims => {
            let len = state.claims.view.len();
            let page = state.claim_rows();
            let next = step(state.claims.list.selected, motion, len, page);
            select_claim(state, next);
        }
        Pane::Timeline => {
            let len = state.timeline_rows().len();
            let page = timeline_page(state);
            let next = step(state.timeline.list.selected, motion, len, page);
            select_update(state, next);
        }
        Pane::Calendar => {}
    }
}

/// Where a motion takes an index in a list of `len` items with `page` rows showing.
fn step(current: usize, motion: &Action, len: usize, page: usize) -> usize {
    let last = len.saturating_sub(1);
    let page = page.max(1);
    let next = match motion {
        Action::Down => current.saturating_add(1),
        Action::Up => current.saturating_sub(1),
        Action::First => 0,
        Action::Last => last,
        Action::PageDown => current.saturating_add(page),
        Action::PageUp => current.saturating_sub(page),
        Action::HalfPageDown => current.saturating_add((page / 2).max(1)),
        Action::HalfPageUp => current.saturating_sub((page / 2).max(1)),
        _ => current,
    };
    next.min(last)
}

fn main_page(state: &State) -> usize {
    state
        .areas()
        .map_or(1, |a| usize::from(a.main.height.saturating_sub(2)))
}

fn timeline_page(state: &State) -> usize {
    state
        .areas()
        .map_or(1, |a| usize::from(a.timeline_list.height))
}

fn select_claim(state: &mut State, index: usize) {
    let before = state.claims.list.selected;
    let len = state.claims.view.len();
    let rows = state.claim_rows();
    state.claims.list.select(index, len, rows);
    if state.claims.list.selected != before {
        state.claim_changed();
    }
}

/// Unfolds (or folds again) the run whose oldest update is `first`, keeping the selected
/// update in view.
fn toggle_run(state: &mut State, first: usize) {
    let keep = state.selected_update_index();
    let folding = state.timeline.toggle_run(first);
    match keep {
        // Folding: the selection moves to the run's row.
        Some(i) if folding => select_covering_row(state, i),
        Some(i) => reveal_update(state, i),
        None => {}
    }
}

/// Selects the row showing an update (newest-first index): its own, or its run's.
fn select_covering_row(state: &mut State, newest_first: usize) {
    if let Some(row) = state.timeline.rows().row_covering(newest_first) {
        select_update(state, row);
    }
}

/// Selects the row of an update (newest-first index), unfolding its run if needed.
fn reveal_update(state: &mut State, newest_first: usize) {
    let own_row = state
        .timeline_rows()
        .contains(&TimelineRow::Update(newest_first));
    if !own_row && let Some(first) = state.timeline.rows().foldable_run_of(newest_first) {
        state.timeline.expand(first);
    }
    select_covering_row(state, newest_first);
}

fn select_update(state: &mut State, index: usize) {
    let before = state.timeline.list.selected;
    let len = state.timeline_rows().len();
    let page = timeline_page(state);
    state.timeline.list.select(index, len, page);
    if state.timeline.list.selected != before {
        state.timeline.body_scroll = 0;
    }
}

fn add_days(date: NaiveDate, days: i32) -> Option<NaiveDate> {
    if days >= 0 {
        date.checked_add_days(Days::new(u64::from(days.unsigned_abs())))
    } else {
        date.checked_sub_days(Days::new(u64::from(days.unsigned_abs())))
    }
}

fn move_cursor(state: &mut State, days: i32) {
    if let Some(d) = add_days(state.calendar.cursor, days) {
        state.calendar.cursor = d;
    }
}

fn shift_month(state: &mut State, forward: bool) {
    let c = state.calendar.cursor;
    let shifted = if forward {
        c.checked_add_months(Months::new(1))
    } else {
        c.checked_sub_months(Months::new(1))
    };
    if let Some(d) = shifted {
        state.calendar.cursor = d;
    }
}

/// Keeps every selection visible after the screen changed size.
fn reveal_all(state: &mut State) {
    let rows = state.claim_rows();
    state.claims.list.reveal(rows);
    let rows = timeline_page(state);
    state.timeline.list.reveal(rows);
    if let Some(Overlay::Reader { scroll }) = state.overlay {
        state.derive_text();
        let (lines, page) = reader_extent(state);
        state.overlay = Some(Overlay::Reader {
            scroll: scroll.min(lines.saturating_sub(page)),
        });
    }
}

/// The reader's line count at the current width, and how many lines show at once. The
/// text was wrapped when the reader opened (or the screen last changed size).
fn reader_extent(state: &State) -> (usize, usize) {
    let Some(areas) = state.areas() else {
        return (0, 1);
    };
    let inner = areas.reader_inner();
    (
        state.document.lines().len(),
        usize::from(inner.height).max(1),
    )
}

/// The same for the review history.
fn reviews_extent(state: &State) -> (usize, usize) {
    let Some(areas) = state.areas() else {
        return (0, 1);
    };
    let inner = areas.reader_inner();
    let lines = state.selected_claim().map_or(0, |c| {
        wrap::wrap(&reviews_document(c), usize::from(inner.width)).len()
    });
    (lines, usize::from(inner.height).max(1))
}

/// Lines of the selected update's body in the timeline's preview, and its height.
fn preview_extent(state: &mut State) -> (usize, usize) {
    state.derive_text();
    let Some(areas) = state.areas() else {
        return (0, 1);
    };
    let d = areas.timeline_detail;
    (state.preview.lines().len(), usize::from(d.height).max(1))
}

fn contains(r: Rect, column: u16, row: u16) -> bool {
    r.contains(Position::new(column, row))
}

fn click(state: &mut State, column: u16, row: u16) {
    if state.overlay.is_some() {
        return;
    }
    let Some(a) = state.areas() else { return };
    if contains(a.claims, column, row) {
        state.focus = Pane::Claims;
        let inner_row = row.saturating_sub(a.claims.y + 1);
        if row > a.claims.y && inner_row < a.claim_rows() {
            let index = state.claims.list.offset + usize::from(inner_row / CLAIM_ROW_HEIGHT);
            if index < state.claims.view.len() {
                select_claim(state, index);
            }
        }
    } else if contains(a.timeline, column, row) {
        state.focus = Pane::Timeline;
        if contains(a.timeline_list, column, row) {
            let index = state.timeline.list.offset + usize::from(row - a.timeline_list.y);
            if index < state.timeline_rows().len() {
                select_update(state, index);
            }
        }
    } else if contains(a.calendar, column, row) {
        state.focus = Pane::Calendar;
        if let Some(day) = super::layout::day_at(&a, state.calendar.month(), column, row) {
            state.calendar.cursor = day;
        }
    }
}

fn wheel(state: &mut State, column: u16, row: u16, down: bool) {
    let motion = if down { Action::Down } else { Action::Up };
    if let Some(overlay) = &state.overlay {
        if matches!(
            overlay,
            Overlay::Help { .. } | Overlay::Reader { .. } | Overlay::Reviews { .. }
        ) {
            for _ in 0..WHEEL_STEP {
                overlay_action(state, motion.clone());
            }
        }
        return;
    }
    let Some(a) = state.areas() else { return };
    if contains(a.timeline_detail, column, row) {
        let (lines, page) = preview_extent(state);
        let max = lines.saturating_sub(page);
        let s = &mut state.timeline.body_scroll;
        *s = if down {
            (*s + WHEEL_STEP).min(max)
        } else {
            s.saturating_sub(WHEEL_STEP)
        };
        return;
    }
    if contains(a.calendar, column, row) {
        shift_month(state, down);
        return;
    }
    let pane = if contains(a.claims, column, row) {
        Pane::Claims
    } else if contains(a.timeline, column, row) {
        Pane::Timeline
    } else {
        return;
    };
    let focus = std::mem::replace(&mut state.focus, pane);
    for _ in 0..WHEEL_STEP {
        move_in_pane(state, &motion);
    }
    state.focus = focus;
}
