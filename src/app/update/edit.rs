//! Edits: the one apply-and-record path every change to the workspace takes, and the
//! actions that make one (verdicts, follow-ups, claim fields, undo and redo).

use super::*;

/// Where an edit comes from: the reviewer's fresh change, undo, redo, or the journal
/// re-applied on top of a reloaded file (already durable, so not recorded again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    Fresh,
    Undo,
    Redo,
    Replay,
    /// Already recorded elsewhere: a colleague's verdict a shared workspace announced.
    /// Not undoable here, not unsaved, not recorded again.
    Remote,
}

/// The one path every edit takes: apply it, keep how to undo it, refresh what the screen
/// derives from the workspace, and ask for it to be made durable (and saved, with
/// autosave). Fresh edits, undo, redo, reload-and-reapply and the command line's
/// `verdict` all come here.
/// `label` names the step in undo and redo messages.
pub(super) fn apply_edit(
    state: &mut State,
    edit: Edit,
    origin: Origin,
    label: String,
) -> Result<Vec<Effect>, EditError> {
    apply_step(state, edit, origin, label, None)
}

/// `apply_edit`; `left`, for an undo or redo step on a database, is what the server's
/// copy must hold for it (see `Step::left`).
fn apply_step(
    state: &mut State,
    edit: Edit,
    origin: Origin,
    label: String,
    left: Option<Vec<crate::model::Claim>>,
) -> Result<Vec<Effect>, EditError> {
    // On a database, an edit other than a verdict goes onto the server's copy only where
    // the part it changes is as the screen had it: what the screen had is kept for that.
    let shared = state.settings.database
        && !edit
            .leaves()
            .iter()
            .all(|e| matches!(e, Edit::AddReview { .. } | Edit::RemoveLastReview { .. }));
    let mut ids: Vec<&str> = edit.leaves().iter().map(|e| e.claim_id()).collect();
    ids.dedup();
    let touched = |w: &crate::model::Workspace| -> Vec<crate::model::Claim> {
        if !shared {
            return Vec::new();
        }
        w.claims
            .iter()
            .filter(|c| ids.contains(&c.id.as_str()))
            .cloned()
            .collect()
    };
    // As the reviewer saw them when they began (see `State::seen`), or for an undo, as
    // their edit left them.
    let before = match left {
        Some(left) if shared => left,
        _ => touched(state.seen.as_deref().unwrap_or(&state.workspace)),
    };
    let inverse = crate::model::edit::apply(&mut state.workspace, &edit)?;
    super::marks::follow(&mut state.marks.follow_ups, &edit, &inverse);
    // The agenda's cursor goes with its follow-up too (moved: to its new day and place).
    if let Some(at) = state.agenda.at.take() {
        let mut one = std::collections::BTreeSet::from([at.clone()]);
        super::marks::follow(&mut one, &edit, &inverse);
        state.agenda.at = Some(one.pop_first().unwrap_or(at));
    }
    let back = Step {
        edit: inverse,
        label,
        left: touched(&state.workspace),
    };
    match origin {
        Origin::Fresh => {
            state.history.undo.push(back);
            state.history.redo.clear();
        }
        Origin::Undo => state.history.redo.push(back),
        Origin::Redo => state.history.undo.push(back),
        Origin::Replay | Origin::Remote => {}
    }
    if origin != Origin::Remote {
        state.save.unsaved += 1;
    }
    after_change(state, &edit);
    if matches!(origin, Origin::Replay | Origin::Remote) {
        return Ok(vec![]);
    }
    let mut effects = vec![if shared {
        Effect::Share { edit, before }
    } else {
        Effect::Record(edit)
    }];
    effects.extend(autosave(state));
    Ok(effects)
}

/// A fresh edit from the reviewer, with a message saying what was recorded.
pub(super) fn commit(state: &mut State, edit: Edit) -> Vec<Effect> {
    let label = edit.describe();
    commit_as(state, edit, label)
}

/// `commit`, naming the change in the reviewer's words (in the message and in undo).
pub(super) fn commit_as(state: &mut State, edit: Edit, label: String) -> Vec<Effect> {
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

/// Everything derived from the workspace, after `edit` was applied (or taken back).
pub(super) fn after_change(state: &mut State, edit: &Edit) {
    // The selected claim stays selected. When the edit changed it, it also keeps its row
    // (held), though the sort would move it or the filter drop it: a verdict never
    // carries the cursor away, and the claim after it is still the one after it.
    let keep = match state.selected_claim() {
        Some(c) => c.id.clone(),
        None => edit.claim_id().to_owned(),
    };
    if edit.leaves().iter().any(|e| e.claim_id() == keep) {
        state.hold_selected();
    }
    if !state.refresh_view(Some(&keep)) {
        // The digest follows the calendar (open suggestions) and the reviews.
        state.reanalyze();
    }
}

pub(super) fn autosave(state: &State) -> Vec<Effect> {
    if state.settings.autosave {
        vec![Effect::SaveSoon]
    } else {
        vec![]
    }
}

/// Undo (or redo) one step, across panes, and say what it was.
pub(super) fn undo(state: &mut State, backwards: bool) -> Vec<Effect> {
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
    // Where the follow-up it puts back or moves will be: its day, and its place there.
    let day = match &step.edit {
        Edit::AddFollowUp { follow_up, .. } => Some((follow_up.date, 0)),
        Edit::RestoreFollowUp { follow_up, nth, .. } => Some((follow_up.date, *nth)),
        Edit::ReplaceFollowUp {
            date,
            nth,
            follow_up,
            at,
            ..
        } => Some((
            follow_up.date,
            if *date == follow_up.date { *nth } else { *at },
        )),
        _ => None,
    };
    let label = step.label;
    // A batch spans claims: its label names how many, not the first one's title.
    let batch = matches!(step.edit, Edit::Batch { .. });
    match apply_step(state, step.edit, origin, label.clone(), Some(step.left)) {
        Ok(effects) => {
            // Show where the change happened.
            if state.selected_claim().map(|c| c.id.as_str()) != Some(id.as_str()) {
                state.refresh_view(Some(&id));
            }
            if let Some((day, nth)) = day {
                state.calendar.cursor = day;
                state.calendar.pick = Some((day, nth));
            }
            let title = state
                .workspace
                .claim(&id)
                .map(|c| wrap::truncate(&c.title, 40))
                .unwrap_or_default();
            state.set_message(if batch {
                format!("{verb} {label}")
            } else {
                format!("{verb} {label} on “{title}”")
            });
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
pub(super) fn record_verdict(
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
    let review = new_review(state, claim, verdict, note);
    // The same review twice in one second is one review: a database keeps it once (a
    // resend), and so does the screen.
    if claim.reviews.contains(&review) {
        state.set_message("Already recorded: the same verdict and rationale, this second");
        return vec![];
    }
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

/// A review of `claim` made now: the real clock, the session's reviewer, the rationale
/// cleaned of control characters, and the newest update the reviewer had.
pub(super) fn new_review(
    state: &State,
    claim: &crate::model::Claim,
    verdict: Verdict,
    note: &str,
) -> Review {
    Review {
        at: state.now(),
        reviewer: state.settings.reviewer.clone(),
        verdict,
        note: text::typed(note).trim().to_owned(),
        seen_through: claim.latest_update().map(|u| u.at),
        extra: Default::default(),
    }
}

/// The follow-up the calendar's cursor is on: where it is, and what it is.
pub(super) fn cursor_follow_up(state: &State) -> Option<(FollowUpAt, FollowUp)> {
    let id = state.selected_claim()?.id.clone();
    let (_, nth) = state.cursor_day_follow_ups();
    state
        .cursor_follow_up()
        .map(|f| ((id, f.date, nth), f.clone()))
}

/// Which follow-up a follow-up action is for: the calendar cursor's on the selected
/// claim, or one the agenda names.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Target {
    Cursor,
    At(FollowUpAt),
}

pub(super) fn follow_up_of(state: &State, target: &Target) -> Option<(FollowUpAt, FollowUp)> {
    match target {
        Target::Cursor => cursor_follow_up(state),
        Target::At((claim, date, nth)) => {
            let c = state.workspace.claim(claim)?;
            let f = c.follow_ups.get(c.follow_up_index(*date, *nth)?)?;
            Some(((claim.clone(), *date, *nth), f.clone()))
        }
    }
}

pub(super) fn no_follow_up_message(state: &mut State) {
    let day = state.calendar.cursor.format("%b %-d");
    let add = state.settings.keymap.shown(
        crate::app::keymap::Scope::Pane(Pane::Calendar),
        &Action::AddFollowUp,
    );
    state.set_message(format!("No follow-up on {day}; {add} schedules one"));
}

/// What a follow-up action makes of one follow-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Change {
    /// Put it in this state.
    State(FollowUpState),
    /// Move it this many days.
    Move(i32),
}

impl Change {
    /// `x` and `c` on one follow-up: that state, or back to scheduled when it is there
    /// already; the move keys move it. `None` for other actions.
    pub(super) fn toggling(action: &Action, now: FollowUpState) -> Option<Self> {
        let toggle = |to| {
            Self::State(if now == to {
                FollowUpState::Scheduled
            } else {
                to
            })
        };
        match action {
            Action::ToggleDone => Some(toggle(FollowUpState::Done)),
            Action::CancelFollowUp => Some(toggle(FollowUpState::Cancelled)),
            Action::MoveFollowUp(days) => Some(Self::Move(*days)),
            _ => None,
        }
    }
}

/// The edit `x`, `c` or `H`/`L`/`K`/`J` makes of a follow-up, and how to name it (see
/// [`Change::toggling`]). `None` when there is no follow-up there, or no day to move it
/// to.
pub(super) fn follow_up_edit(
    state: &State,
    target: &Target,
    action: &Action,
) -> Option<(Edit, String)> {
    let (_, old) = follow_up_of(state, target)?;
    follow_up_change(state, target, Change::toggling(action, old.state)?)
}

/// The edit that makes `change` of a follow-up, and how to name it; `None` when there is
/// no follow-up there, it is in that state already, or there is no day to move it to.
pub(super) fn follow_up_change(
    state: &State,
    target: &Target,
    change: Change,
) -> Option<(Edit, String)> {
    let ((id, _, nth), old) = follow_up_of(state, target)?;
    let mut follow_up = old.clone();
    let day = old.date.format("%b %-d");
    let label = match change {
        Change::State(to) if to == old.state => return None,
        Change::State(to) => {
            follow_up.state = to;
            let became = match (old.state, to) {
                (_, FollowUpState::Done) => "done",
                (_, FollowUpState::Cancelled) => "cancelled",
                (FollowUpState::Done, _) => "scheduled again",
                _ => "rescheduled",
            };
            format!("the {day} follow-up: {became}")
        }
        Change::Move(days) => {
            follow_up.date = add_days(old.date, days)?;
            format!(
                "move of the follow-up {day} → {}",
                follow_up.date.format("%b %-d")
            )
        }
    };
    // Moved onto a day that has follow-ups already: after them.
    let at = match state.workspace.claim(&id) {
        Some(c) if follow_up.date != old.date => c.follow_ups_on(follow_up.date).count(),
        _ => 0,
    };
    let edit = Edit::ReplaceFollowUp {
        claim: id,
        date: old.date,
        nth,
        follow_up,
        at,
    };
    Some((edit, label))
}

/// `x`, `c`, `H`/`L`/`K`/`J` on a follow-up: the calendar's and the agenda's.
pub(super) fn follow_up_action(state: &mut State, target: &Target, action: &Action) -> Vec<Effect> {
    let Some((edit, label)) = follow_up_edit(state, target, action) else {
        if follow_up_of(state, target).is_none() {
            no_follow_up_message(state);
        }
        return vec![];
    };
    let moved_to = match &edit {
        Edit::ReplaceFollowUp {
            date,
            follow_up,
            at,
            ..
        } if *date != follow_up.date => Some((follow_up.date, *at)),
        _ => None,
    };
    let undo_before = state.history.undo.len();
    let effects = commit_as(state, edit, label);
    if let Some((date, at)) = moved_to
        && *target == Target::Cursor
        && state.history.undo.len() > undo_before
    {
        // The move happened: the cursor follows the follow-up to its day and place.
        state.calendar.cursor = date;
        state.calendar.pick = Some((date, at));
    }
    effects
}

/// `a`: puts the selected update's suggested follow-up on the calendar. A day already
/// past asks first (`confirmed` once it has).
pub(super) fn accept_suggestion(state: &mut State, confirmed: bool) -> Vec<Effect> {
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
    if date < state.today() && !confirmed {
        state.overlay = Some(Overlay::Confirm(Question::AcceptPastSuggestion(date)));
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
