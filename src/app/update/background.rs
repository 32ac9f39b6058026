//! What background work reports back: a save's outcome and a reload of the file.

use super::*;

pub(super) fn saved(state: &mut State, outcome: Saved) {
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
pub(super) fn reloaded(
    state: &mut State,
    result: Result<(Box<crate::model::Workspace>, Vec<Edit>), String>,
) {
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
    if !state.refresh_view(None) {
        state.claim_changed();
    }
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
