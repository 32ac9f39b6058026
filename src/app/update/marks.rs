//! Marks: claims marked in the list and follow-ups marked in the agenda, and the one
//! edit that then acts on all of them — a verdict, a tag edit, a follow-up action — made
//! as a single batch (one undo, one journal line) after one question naming how many.

use super::*;
use crate::app::state::{MarkKind, MarkedEdit};
use crate::model::Claim;
use std::collections::BTreeSet;

/// `Space` in the claim list: marks the selected claim, or unmarks it, and goes down.
pub(super) fn toggle_claim(state: &mut State) {
    let Some(id) = state.selected_claim().map(|c| c.id.clone()) else {
        return;
    };
    if !state.marks.claims.remove(&id) {
        state.marks.claims.insert(id);
    }
    move_in_pane(state, &Action::Down);
    say_count(state, state.marks.claims.len(), MarkKind::Claims);
}

/// `Space` in the agenda: marks the follow-up at `at`, or unmarks it.
pub(super) fn toggle_follow_up(state: &mut State, at: FollowUpAt) {
    if !state.marks.follow_ups.remove(&at) {
        state.marks.follow_ups.insert(at);
    }
    say_count(state, state.marks.follow_ups.len(), MarkKind::FollowUps);
}

/// Marks every follow-up of `rows` (or, when all of them are marked, unmarks them).
pub(super) fn set_follow_ups(state: &mut State, rows: Vec<FollowUpAt>) {
    let all = rows.iter().all(|r| state.marks.follow_ups.contains(r));
    for r in rows {
        if all {
            state.marks.follow_ups.remove(&r);
        } else {
            state.marks.follow_ups.insert(r);
        }
    }
    say_count(state, state.marks.follow_ups.len(), MarkKind::FollowUps);
}

/// Keeps the marks on the follow-ups they were put on, whatever an applied edit (fresh,
/// undone or redone) does to them: a moved follow-up takes its mark to its new day and
/// place, a deleted one loses it, and the others of a day keep theirs as their places
/// there shift. `inverse` is the edit that undoes `edit` (it says where things landed).
pub(super) fn follow(marks: &mut BTreeSet<FollowUpAt>, edit: &Edit, inverse: &Edit) {
    if marks.is_empty() {
        return;
    }
    // The places after `nth` on a day move by `by` (one taken out, or one put in).
    let shift =
        |marks: &mut BTreeSet<FollowUpAt>, claim: &str, date: NaiveDate, from: usize, up: bool| {
            let moved: Vec<FollowUpAt> = marks
                .iter()
                .filter(|(c, d, n)| c == claim && *d == date && *n >= from)
                .cloned()
                .collect();
            for m in &moved {
                marks.remove(m);
            }
            for (c, d, n) in moved {
                marks.insert((c, d, if up { n + 1 } else { n.saturating_sub(1) }));
            }
        };
    match (edit, inverse) {
        (Edit::Batch { edits }, Edit::Batch { edits: inverses }) => {
            for (edit, inverse) in edits.iter().zip(inverses.iter().rev()) {
                follow(marks, edit, inverse);
            }
        }
        (
            Edit::ReplaceFollowUp {
                claim,
                date,
                nth,
                follow_up,
                ..
            },
            Edit::ReplaceFollowUp { nth: landed, .. },
        ) if follow_up.date != *date => {
            let marked = marks.remove(&(claim.clone(), *date, *nth));
            shift(marks, claim, *date, nth + 1, false);
            shift(marks, claim, follow_up.date, *landed, true);
            if marked {
                marks.insert((claim.clone(), follow_up.date, *landed));
            }
        }
        (
            Edit::RemoveFollowUp { claim, date, nth } | Edit::WithdrawFollowUp { claim, date, nth },
            _,
        ) => {
            marks.remove(&(claim.clone(), *date, *nth));
            shift(marks, claim, *date, nth + 1, false);
        }
        (
            Edit::AddFollowUp { claim, follow_up }
            | Edit::RestoreFollowUp {
                claim, follow_up, ..
            },
            Edit::WithdrawFollowUp { nth, .. } | Edit::RemoveFollowUp { nth, .. },
        ) => {
            shift(marks, claim, follow_up.date, *nth, true);
        }
        _ => {}
    }
}

/// `M`: unmarks every claim (in the list) or every follow-up (in the agenda).
pub(super) fn clear(state: &mut State, kind: MarkKind) {
    let n = match kind {
        MarkKind::FollowUps => std::mem::take(&mut state.marks.follow_ups).len(),
        MarkKind::Claims => std::mem::take(&mut state.marks.claims).len(),
    };
    state.set_message(match n {
        0 => "Nothing was marked".to_owned(),
        n => format!("Unmarked {}", text::count(n, kind.noun())),
    });
}

fn say_count(state: &mut State, n: usize, kind: MarkKind) {
    let clear = state
        .settings
        .keymap
        .shown(kind.scope(), &Action::ClearMarks);
    state.set_message(match n {
        0 => "Nothing marked".to_owned(),
        n => format!(
            "{} marked ({clear} unmarks all)",
            text::count(n, kind.noun())
        ),
    });
}

/// A verdict for every marked claim, each with its own `seen_through`; a no to the
/// question goes back to `editing`, the rationale editor it was asked from.
pub(super) fn verdict(
    state: &mut State,
    verdict: Verdict,
    note: &str,
    editing: Overlay,
) -> Vec<Effect> {
    let then_next = matches!(
        editing,
        Overlay::Rationale {
            then_next: true,
            ..
        }
    );
    let edits: Vec<Edit> = state
        .marked_claims()
        .map(|claim| Edit::AddReview {
            claim: claim.id.clone(),
            review: new_review(state, claim, verdict, note),
        })
        .collect();
    let what = format!("Record the verdict {verdict}");
    let effects = ask(state, edits, what, MarkKind::Claims, None, Some(editing));
    if let Some(Overlay::Confirm(Question::ApplyToMarked(marked))) = &mut state.overlay {
        marked.then_next = then_next;
    }
    effects
}

/// The tags all marked claims have, in the first one's order.
pub(super) fn common_tags(state: &State) -> Vec<String> {
    let claims: Vec<&Claim> = state.marked_claims().collect();
    let Some((first, rest)) = claims.split_first() else {
        return Vec::new();
    };
    first
        .tags
        .iter()
        .filter(|t| rest.iter().all(|c| c.tags.contains(t)))
        .cloned()
        .collect()
}

/// The tag input for marked claims: what was taken out of `common` goes from each claim,
/// what was added goes on each; every claim keeps its other tags. A no to the question
/// goes back to `editing`, the input as typed.
pub(super) fn tags(
    state: &mut State,
    common: &[String],
    typed: Vec<String>,
    editing: Overlay,
) -> Vec<Effect> {
    let edits: Vec<Edit> = state
        .marked_claims()
        .filter_map(|claim| {
            let mut tags: Vec<String> = claim
                .tags
                .iter()
                .filter(|t| !common.contains(t) || typed.contains(t))
                .cloned()
                .collect();
            for t in &typed {
                if !tags.contains(t) {
                    tags.push(t.clone());
                }
            }
            (tags != claim.tags).then(|| Edit::SetTags {
                claim: claim.id.clone(),
                tags,
            })
        })
        .collect();
    let what = if typed.is_empty() {
        "Take their shared tags off".to_owned()
    } else {
        format!("Give them the tags {}", typed.join(", "))
    };
    ask(state, edits, what, MarkKind::Claims, None, Some(editing))
}

/// `x`, `c` or `H`/`L` in the agenda with follow-ups marked: the same change to each.
/// `x` and `c` set a state rather than toggle it: every marked follow-up becomes done
/// (or cancelled), and only when all of them are already is each scheduled again. A
/// move goes furthest-first, so that follow-ups on neighbouring days of one claim do
/// not land on each other, and of a day's several the last first, so that the places of
/// the others are still theirs when their turn comes.
pub(super) fn follow_ups(state: &mut State, action: &Action, back: Overlay) -> Vec<Effect> {
    use std::cmp::Reverse;
    let mut targets: Vec<((NaiveDate, Reverse<usize>), Target)> = state
        .marks
        .follow_ups
        .iter()
        .map(|at| ((at.1, Reverse(at.2)), Target::At(at.clone())))
        .collect();
    let set = |goal: FollowUpState| {
        let all_there = targets
            .iter()
            .all(|(_, t)| follow_up_of(state, t).is_none_or(|(_, f)| f.state == goal));
        if all_there {
            FollowUpState::Scheduled
        } else {
            goal
        }
    };
    let (change, what) = match action {
        Action::ToggleDone => match set(FollowUpState::Done) {
            FollowUpState::Done => (Change::State(FollowUpState::Done), "Mark done".to_owned()),
            to => (Change::State(to), "Schedule again".to_owned()),
        },
        Action::CancelFollowUp => match set(FollowUpState::Cancelled) {
            FollowUpState::Cancelled => {
                (Change::State(FollowUpState::Cancelled), "Cancel".to_owned())
            }
            to => (Change::State(to), "Reschedule".to_owned()),
        },
        Action::MoveFollowUp(days) => {
            if *days > 0 {
                targets.sort_by_key(|((date, nth), _)| (Reverse(*date), *nth));
            } else {
                targets.sort_by_key(|(key, _)| *key);
            }
            let way = if *days < 0 { "back" } else { "on" };
            let what = match days.unsigned_abs() {
                1 => format!("Move {way} a day"),
                n => format!("Move {way} {n} days"),
            };
            (Change::Move(*days), what)
        }
        _ => return vec![],
    };
    let edits: Vec<Edit> = targets
        .iter()
        .filter_map(|(_, t)| follow_up_change(state, t, change).map(|(edit, _)| edit))
        .collect();
    ask(state, edits, what, MarkKind::FollowUps, Some(back), None)
}

/// Asks once before the batch: `Record the verdict stalled on 5 marked claims?`.
/// `back` shows again once it is answered; `declined`, after a no, instead.
fn ask(
    state: &mut State,
    edits: Vec<Edit>,
    what: String,
    rows: MarkKind,
    back: Option<Overlay>,
    declined: Option<Overlay>,
) -> Vec<Effect> {
    if edits.is_empty() {
        state.set_message(format!("Nothing to change on the marked {}s", rows.noun()));
        state.overlay = declined.or(back);
        return vec![];
    }
    let count = edits.len();
    state.overlay = Some(Overlay::Confirm(Question::ApplyToMarked(Box::new(
        MarkedEdit {
            edit: Edit::Batch { edits },
            what,
            count,
            rows,
            back: back.map(Box::new),
            declined: declined.map(Box::new),
            then_next: false,
        },
    ))));
    vec![]
}

/// The yes: the batch goes through the one apply-and-record path as one edit, and the
/// marks it used are cleared.
pub(super) fn confirmed(state: &mut State, marked: MarkedEdit) -> Vec<Effect> {
    let label = marked.edit.describe();
    match apply_edit(state, marked.edit, Origin::Fresh, label.clone()) {
        Ok(effects) => {
            match marked.rows {
                MarkKind::FollowUps => state.marks.follow_ups.clear(),
                MarkKind::Claims => state.marks.claims.clear(),
            }
            let undo = state
                .settings
                .keymap
                .shown(marked.rows.scope(), &Action::Undo);
            state.set_message(if state.settings.database {
                format!("Recorded {label}")
            } else {
                format!("Recorded {label} ({undo} undoes all of it)")
            });
            if marked.then_next {
                let recorded = state.message.clone();
                jump_needs_review(state, true);
                if let (Some(recorded), Some(jumped)) = (recorded, state.message.clone()) {
                    state.set_message(format!("{recorded} · {jumped}"));
                }
            }
            effects
        }
        Err(e) => {
            state.set_message(format!("Not done, on none of them: {e}"));
            vec![]
        }
    }
}
