//! The question overlay: discard a typed rationale, or quit with edits not saved.

use super::{centered, overlay_block, put, theme};
use crate::app::agenda::unlisted;
use crate::app::keymap::Scope;
use crate::app::state::{MarkKind, Overlay, Question};
use crate::app::{Action, State};
use crate::model::Edit;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, main: Rect, state: &State, question: &Question) {
    let keymap = &state.settings().keymap;
    let confirm = |choices: &[(Action, &str)]| keymap.choices(Scope::Confirm, choices);
    let (title, lines): (&str, Vec<String>) = match question {
        Question::DiscardTyped(editing) => (
            match editing.as_ref() {
                Overlay::Rationale { .. } => " Discard the rationale? ",
                _ => " Discard what you typed? ",
            },
            vec![
                "The text you typed will be lost.".into(),
                confirm(&[(Action::Yes, "discard"), (Action::No, "keep writing")]),
            ],
        ),
        Question::QuitUnsaved => {
            let n = state.save.unsaved;
            let mut l = vec![format!(
                "{} {} not saved.",
                crate::model::text::count(n, "edit"),
                if n == 1 { "is" } else { "are" }
            )];
            if let Some(e) = &state.save.error {
                l.push(format!("The last save failed: {e}"));
            }
            // What `y` loses: edits the journal has are taken out of it too.
            let them = if n == 1 { "it" } else { "them" };
            l.push(if state.save.in_memory_only >= n {
                format!("Not in the journal either: quitting without saving loses {them}.")
            } else {
                format!("Quitting without saving takes {them} out of the journal too.")
            });
            l.push(confirm(&[
                (Action::SaveAndQuit, "save, then quit"),
                (Action::Yes, "quit without saving"),
                (Action::No, "stay"),
            ]));
            (" Quit? ", l)
        }
        Question::ChangedOnDisk => (
            " The file changed on disk ",
            vec![
                format!(
                    "{} was changed by someone else since claimdesk read it.",
                    state.path.display()
                ),
                format!(
                    "It was not overwritten. Your {} safe in the journal.",
                    match state.save.unsaved {
                        1 => "unsaved edit is".to_owned(),
                        n => format!("{} are", crate::model::text::count(n, "unsaved edit")),
                    }
                ),
                keymap.choices(
                    Scope::Conflict,
                    &[
                        (Action::Reload, "reload it and re-apply your edits"),
                        (Action::SaveAsPrompt, "save as another file"),
                        (Action::Close, "later"),
                    ],
                ),
            ],
        ),
        Question::ApplyToMarked(marked) => {
            let rows = format!("marked {}", marked.rows.noun());
            let mut lines = vec![format!(
                "{} on {}?",
                marked.what,
                crate::model::text::count(marked.count, &rows)
            )];
            let (hidden, place) = match (marked.rows, marked.back.as_deref()) {
                (MarkKind::Claims, _) => (hidden_marked(state), "the list"),
                (MarkKind::FollowUps, Some(Overlay::Agenda { window, .. })) => {
                    // Counted among the follow-ups the edit changes, not among the marks:
                    // a hidden one already in that state is left alone.
                    let changed: Vec<crate::app::state::FollowUpAt> = match &marked.edit {
                        Edit::Batch { edits } => edits
                            .iter()
                            .filter_map(|e| match e {
                                Edit::ReplaceFollowUp {
                                    claim, date, nth, ..
                                } => Some((claim.clone(), *date, *nth)),
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    let today = state.today();
                    (
                        unlisted(&state.workspace, &changed, today, *window),
                        "the agenda",
                    )
                }
                (MarkKind::FollowUps, _) => (0, ""),
            };
            let (of, them) = match hidden {
                1 => ("1 of them is".to_owned(), "it"),
                n => (format!("{n} of them are"), "them"),
            };
            if hidden > 0 {
                let why = match marked.rows {
                    MarkKind::Claims => format!("a filter or search hides {them}"),
                    MarkKind::FollowUps => "beyond its window, or no longer scheduled".to_owned(),
                };
                lines.push(format!(
                    "{of} not shown in {place} ({why}); the edit acts on {them} too."
                ));
            }
            lines.push(if state.settings().database {
                "All of it or none, in one transaction; reviews in a database are append-only."
                    .to_owned()
            } else {
                format!(
                    "One edit: {} undoes all of it.",
                    keymap.shown(marked.rows.scope(), &Action::Undo)
                )
            });
            lines.push(confirm(&[(Action::Yes, "do it"), (Action::No, "cancel")]));
            (" Every marked row ", lines)
        }
        Question::AcceptPastSuggestion(date) => (
            " A day already past ",
            vec![
                format!(
                    "The update suggests {}, {} ago.",
                    date.format("%a %b %-d, %Y"),
                    crate::model::text::count(
                        usize::try_from((state.today() - *date).num_days()).unwrap_or(0),
                        "day"
                    )
                ),
                "On the calendar it shows as overdue at once.".into(),
                confirm(&[
                    (Action::Yes, "put it on the calendar"),
                    (Action::No, "leave it"),
                ]),
            ],
        ),
    };
    // Each line wrapped to the box, never cut: the last names the choices.
    let width = main.width.saturating_sub(4).min(76);
    let text_w = usize::from(width.saturating_sub(4));
    let rows: Vec<(String, bool)> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, l)| {
            let choices = i + 1 == lines.len();
            crate::wrap::wrap(l, text_w)
                .into_iter()
                .map(move |row| (row, choices))
        })
        .collect();
    let height = u16::try_from(rows.len())
        .unwrap_or(u16::MAX)
        .saturating_add(3);
    let area = centered(main, width, height);
    let inner = overlay_block(buf, area, Line::from(title));
    for ((row, choices), y) in rows.iter().zip(inner.y + 1..inner.bottom()) {
        let style = if *choices {
            theme::heading()
        } else {
            theme::message()
        };
        put(
            buf,
            inner.x + 1,
            y,
            row,
            inner.width.saturating_sub(2),
            style,
        );
    }
}

/// Marked claims the list does not show now.
fn hidden_marked(state: &State) -> usize {
    let shown: std::collections::BTreeSet<&str> =
        state.visible_claims().map(|c| c.id.as_str()).collect();
    state
        .marks()
        .claims
        .iter()
        .filter(|id| !shown.contains(id.as_str()) && state.workspace.claim(id).is_some())
        .count()
}
