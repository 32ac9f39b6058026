//! The text editing overlays: the multi-line rationale for a verdict, and the one-line
//! input for notes, titles and tags. The text area itself is ratatui-textarea's.

use super::{centered, overlay_block, put, theme};
use crate::app::Action;
use crate::app::keymap::{Keymap, Scope};
use crate::app::state::InputPurpose;
use crate::model::Verdict;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;
use ratatui_textarea::TextArea;

pub fn draw_rationale(
    buf: &mut Buffer,
    main: Rect,
    keymap: &Keymap,
    verdict: Verdict,
    editor: &TextArea<'static>,
) {
    let height = main.height.saturating_sub(4).clamp(8, 16);
    let area = centered(main, 80, height);
    let title = format!(" Why {}? ({}) ", verdict, verdict.meaning());
    let inner = overlay_block(buf, area, Line::from(title));
    let text_area = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height.saturating_sub(1),
    );
    editor.render(text_area, buf);
    if editor.is_empty() {
        put(
            buf,
            text_area.x + 1,
            text_area.y,
            "The evidence that settles it, and what would change your mind…",
            text_area.width.saturating_sub(1),
            theme::dim(),
        );
    }
    let choices = keymap.choices(
        Scope::Rationale,
        &[(Action::Submit, "record"), (Action::Cancel, "cancel")],
    );
    super::hint_line(buf, inner, &format!("{choices} · Enter: new line"));
}

pub fn draw_input(
    buf: &mut Buffer,
    main: Rect,
    keymap: &Keymap,
    purpose: &InputPurpose,
    editor: &TextArea<'static>,
) {
    let area = centered(main, 76, 5);
    let title = format!(" {} ", purpose.prompt());
    let inner = overlay_block(buf, area, Line::from(title));
    let text_area = Rect::new(inner.x + 1, inner.y, inner.width.saturating_sub(2), 1);
    editor.render(text_area, buf);
    let choices = keymap.choices(
        Scope::Input,
        &[(Action::Submit, "accept"), (Action::Cancel, "cancel")],
    );
    super::hint_line(buf, inner, &choices);
}
