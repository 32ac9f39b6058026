//! What background work reports back: a save's outcome, a reload of the file, and a
//! database workspace's news.

use super::*;

pub(super) fn saved(state: &mut State, outcome: Saved) {
    match outcome {
        Saved::Done {
            covered,
            then_quit,
            path,
            warning,
        } => {
            if let Some(w) = &warning {
                state.set_message(format!("WARNING: {w}"));
            }
            state.save.warning = warning;
            state.save.unsaved = state.save.unsaved.saturating_sub(covered);
            state.save.error = None;
            state.save.in_memory_only = state.save.in_memory_only.min(state.save.unsaved);
            if state.save.in_memory_only == 0 {
                state.save.journal_error = None;
            }
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
            let save = state.save_key();
            state.set_message(match state.save.in_memory_only {
                0 => format!(
                    "Save failed: {e}. Your edits are kept (in memory and in the journal) and will be saved on the next try ({save})"
                ),
                // What to do first: the line may be cut at the screen's edge.
                n => format!(
                    "{} in memory only, not in the journal: make room, then {save} before quitting. Save failed: {e}",
                    text::count(n, "edit")
                ),
            });
            state.save.error = Some(e);
        }
    }
}

/// The file read again: the unsaved edits (the journal's) go back on top of it through
/// the same path as any edit; those that no longer apply are named.
pub(super) fn reloaded(
    state: &mut State,
    result: Result<(Box<crate::model::Workspace>, Vec<Edit>), String>,
) -> Vec<Effect> {
    let (workspace, edits) = match result {
        Ok(r) => r,
        Err(e) => {
            state.set_message(format!("Could not reload: {e}"));
            return vec![];
        }
    };
    // Edits the journal does not hold would be lost by a reload.
    if state.save.in_memory_only > 0 {
        state.set_message(format!(
            "Not reloaded: {} in memory only (not in the journal); save them as another file first",
            text::count(state.save.in_memory_only, "edit")
        ));
        return vec![];
    }
    let before = std::mem::replace(&mut state.workspace, *workspace);
    state.history = Default::default();
    state.save.unsaved = 0;
    state.save.error = None;
    if !state.refresh_view(None) {
        state.claim_changed();
    }
    // Reviews are never removed: any the session had that the file now lacks (an older
    // version put back, by git or a backup) were recorded and saved here. They go back
    // on first, in the order they were recorded, as new edits (journaled, saved and
    // undoable); the journal's unsaved edits, recorded after them, go on top.
    let from_journal: Vec<&crate::model::Review> = edits
        .iter()
        .flat_map(Edit::leaves)
        .filter_map(|e| match e {
            Edit::AddReview { review, .. } => Some(review),
            _ => None,
        })
        .collect();
    let mut effects = Vec::new();
    let mut restored = 0;
    for old in &before.claims {
        let Some(now) = state.workspace.claim(&old.id) else {
            continue;
        };
        let missing: Vec<_> = old
            .reviews
            .iter()
            .filter(|r| !now.reviews.contains(r) && !from_journal.contains(r))
            .cloned()
            .collect();
        for review in missing {
            let edit = Edit::AddReview {
                claim: old.id.clone(),
                review,
            };
            let label = edit.describe();
            if let Ok(done) = apply_edit(state, edit, Origin::Fresh, label) {
                restored += 1;
                effects.extend(done.into_iter().filter(|e| matches!(e, Effect::Record(_))));
            }
        }
    }
    let mut conflicts = Vec::new();
    let mut reapplied = 0;
    for edit in edits {
        let label = edit.describe();
        let claim = edit.claim_id().to_owned();
        match apply_edit(state, edit, Origin::Replay, label.clone()) {
            Ok(_) => reapplied += 1,
            Err(e) => conflicts.push(format!("{label} on {claim}: {e}")),
        }
    }
    let applied = text::count(reapplied, "unsaved edit");
    if restored > 0 {
        state.set_message(format!(
            "Reloaded; the file lacked {} recorded in this session (an older version?): put back, with your {applied}",
            text::count(restored, "verdict")
        ));
        return effects;
    }
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
    effects
}

/// A database workspace's news: colleagues' work goes on the screen, and the status bar
/// says how this session's verdicts are doing on their way to the server.
pub(super) fn desk(state: &mut State, news: Desk) -> Vec<Effect> {
    match news {
        Desk::Updates(read) => return updates_read(state, read),
        Desk::Unreadable { claim, why } => {
            let id: String = claim.chars().take(4).collect();
            state.set_message(format!("NOT READ: the updates of claim {id}…: {why}"));
            state.unreadable.insert(claim, why);
        }
        Desk::Workspace { workspace, by } => {
            // Verdicts held only here would be lost by taking the database's word.
            if state.save.in_memory_only > 0 {
                state.set_message(format!(
                    "The database changed; not shown while {} on this screen only",
                    text::count(state.save.in_memory_only, "verdict")
                ));
                return vec![];
            }
            let before = state.workspace.claims.len();
            let keep = state.selected_claim().map(|c| c.id.clone());
            // The update on screen, by its time and status: new updates move its place.
            let on_screen = state.selected_update().map(|u| (u.at, u.status.clone()));
            // Read again: whatever did not read is read again, and said again if still so.
            state.unreadable.clear();
            // Undo stays: each step is an edit of this screen's, checked against the
            // server's copy when it is made.
            // The same claim stays where the reviewer was, in the same place (held, as
            // after an edit of this screen's): its timeline and calendar cursor too.
            state.hold_selected();
            let saw = std::mem::replace(&mut state.workspace, *workspace);
            if state.overlay.is_some() && state.seen.is_none() {
                state.seen = Some(Box::new(saw));
            }
            if keep
                .as_deref()
                .is_none_or(|id| state.workspace.claim(id).is_none())
            {
                state.claims.held = None;
            }
            if !state.refresh_view(keep.as_deref()) {
                state.reanalyze();
                let place = on_screen.and_then(|(at, status)| {
                    state
                        .updates_newest_first()
                        .position(|u| u.at == at && u.status == status)
                });
                if let Some(i) = place {
                    super::motion::reveal_update(state, i);
                }
            }
            let back = state.save.away.take().is_some();
            let now = state.workspace.claims.len();
            match by {
                // A refusal or a loss said just now stays said: it matters more.
                _ if state
                    .message
                    .as_deref()
                    .is_some_and(|m| m.starts_with("NOT ")) => {}
                Some(by) => state.set_message(format!(
                    "{} changed the workspace: {}{}",
                    display_safe(&by),
                    text::count(now, "claim"),
                    match now.checked_sub(before) {
                        Some(0) | None => String::new(),
                        Some(new) => format!(", {new} new"),
                    }
                )),
                None if back => state.set_message("The server is back: this screen shows it"),
                None => {}
            }
        }
        Desk::Reviews(recorded) => {
            let mut told: Vec<crate::model::Recorded> = Vec::new();
            for r in recorded {
                // This session's own verdicts come back too, and are on screen already.
                let held = state
                    .workspace
                    .claim(&r.claim)
                    .is_none_or(|c| c.reviews.contains(&r.review));
                if held {
                    continue;
                }
                let edit = Edit::AddReview {
                    claim: r.claim.clone(),
                    review: r.review.clone(),
                };
                let label = edit.describe();
                if apply_edit(state, edit, Origin::Remote, label).is_ok() {
                    told.push(r);
                }
            }
            let alarm = state
                .message
                .as_deref()
                .is_some_and(|m| m.starts_with("NOT "));
            if let Some(first) = told.first().filter(|_| !alarm) {
                let id: String = first.claim.chars().take(4).collect();
                let more = match told.len() - 1 {
                    0 => String::new(),
                    n => format!(", and {} more", text::count(n, "verdict")),
                };
                state.set_message(format!(
                    "{} recorded {} on {id}…{more}",
                    display_safe(&first.review.reviewer),
                    first.review.verdict.as_str()
                ));
            }
        }
        Desk::Sent {
            sent,
            queued,
            away,
            refused,
        } => {
            let was_queued = state.save.queued;
            state.save.queued = queued;
            state.save.unsaved = queued + state.save.in_memory_only;
            if let Some(why) = &away {
                state.save.away = Some(why.clone());
            }
            if !refused.is_empty() {
                state.set_message(format!(
                    "NOT RECORDED, taken off the screen: the database refused {} ({})",
                    text::count(refused.len(), "verdict"),
                    refused.join("; ")
                ));
            } else if let Some(why) = away {
                state.set_message(format!(
                    "QUEUED, not yet on the server ({why}): {} kept on this machine, sent as soon as the server takes it",
                    text::count(queued, "verdict")
                ));
            } else if sent > 0 && was_queued > 0 {
                state.save.away = None;
                state.set_message(format!(
                    "Sent to the server: {} from the queue on this machine",
                    text::count(sent, "verdict")
                ));
            }
        }
        Desk::NotShared { why, claims } => {
            for claim in claims {
                if let Some(c) = state.workspace.claims.iter_mut().find(|c| c.id == claim.id) {
                    *c = claim;
                }
            }
            // Steps that built on the edit no longer describe the screen.
            state.history = Default::default();
            state.save.unsaved = state.save.queued + state.save.in_memory_only;
            let keep = state.selected_claim().map(|c| c.id.clone());
            if !state.refresh_view(keep.as_deref()) {
                state.reanalyze();
            }
            state.set_message(format!(
                "NOT SAVED: {why}. The screen shows the server's copy"
            ));
        }
        Desk::Presence(here) => state.presence = here,
        Desk::Answering => {
            if state.save.away.take().is_some() && state.message.is_none() {
                state.set_message("The server answers again");
            }
        }
        Desk::Lost(why) => {
            state.set_message(format!(
                "The server cannot be reached ({why}): verdicts are kept on this machine and sent when it is back"
            ));
            state.save.away = Some(why);
        }
    }
    vec![]
}

/// Claims' updates read from the database after the claim list: each replaces the
/// stand-ins awaiting exactly that list (a claim read again meanwhile awaits another).
/// The timeline of the selected claim fills in; a search made while some were still
/// being read runs again once all are in.
fn updates_read(state: &mut State, read: Vec<(String, u64, crate::model::Updates)>) -> Vec<Effect> {
    let awaiting_before = state.claims_awaiting();
    let selected = state.selected_claim().map(|c| c.id.clone());
    let mut shown = false;
    for (id, digest, updates) in read {
        let Some(claim) = state
            .workspace
            .claims
            .iter_mut()
            .find(|c| c.id == id && c.updates.awaited() == Some(digest))
        else {
            continue;
        };
        claim.updates = updates;
        if !claim.updates.is_sorted_by_key(|u| u.at) {
            claim.normalize();
        }
        state.unreadable.remove(&id);
        shown |= selected.as_deref() == Some(id.as_str());
    }
    if shown && !state.refresh_view(selected.as_deref()) {
        state.reanalyze();
    }
    let all_in_now = awaiting_before > 0 && state.claims_awaiting() == 0;
    match &mut state.search {
        Some(search) if all_in_now && !search.query.trim().is_empty() => {
            search.generation += 1;
            vec![Effect::Search {
                generation: search.generation,
                query: search.query.trim().to_owned(),
            }]
        }
        _ => vec![],
    }
}
