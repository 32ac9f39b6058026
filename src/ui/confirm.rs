//! The question overlay: discard a typed rationale, or quit with edits not saved.

use super::{centered, overlay_block, put, theme};
use crate::app::State;
use crate::app::state::Question;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, main: Rect, state: &State, question: &Question) {
    let (title, lines): (&str, Vec<String>) = match question {
        Question::DiscardRationale(_) => (
            " Discard the rationale? ",
            vec![
                "The text you typed will be lost.".into(),
                "y: discard · n or Esc: keep writing".into(),
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
            l.push("s: save, then quit · y: quit without saving · n or Esc: stay".into());
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
                "r: reload it and re-apply your edits · w: save as another file · Esc: later"
                    .into(),
            ],
        ),
    };
    let area = centered(main, 70, lines.len() as u16 + 3);
    let inner = overlay_block(buf, area, Line::from(title));
    for (i, l) in lines.iter().enumerate() {
        let style = if i + 1 == lines.len() {
            theme::heading()
        } else {
            theme::message()
        };
        put(
            buf,
            inner.x + 1,
            inner.y + 1 + i as u16,
            l,
            inner.width.saturating_sub(2),
            style,
        );
    }
}
