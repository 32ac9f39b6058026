//! The verdict picker overlay: the six verdicts with their meanings, numbered 1–6.

use super::{centered, fill_row, overlay_block, put, theme};
use crate::app::State;
use crate::model::Verdict;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, main: Rect, state: &State, selected: usize, then_next: bool) {
    let title = state
        .selected_claim()
        .map_or(String::new(), |c| c.title.clone());
    let area = centered(main, 76, Verdict::ALL.len() as u16 + 6);
    let heading = if then_next {
        " Verdict, then the next claim to review "
    } else {
        " Verdict "
    };
    let inner = overlay_block(buf, area, Line::from(heading));
    put(
        buf,
        inner.x + 1,
        inner.y,
        &title,
        inner.width.saturating_sub(2),
        theme::dim(),
    );
    for (i, v) in Verdict::ALL.iter().enumerate() {
        let y = inner.y + 2 + i as u16;
        let current = state.selected_claim().and_then(|c| c.verdict()) == Some(*v);
        let text = format!(
            "{}  {:<13}{}{}",
            i + 1,
            v.as_str(),
            v.meaning(),
            if current { "  (current)" } else { "" }
        );
        put(
            buf,
            inner.x + 1,
            y,
            &text,
            inner.width.saturating_sub(2),
            theme::verdict_style(Some(*v)),
        );
        if i == selected {
            fill_row(buf, inner.x, y, inner.width, theme::selected(true));
        }
    }
    super::hint_line(
        buf,
        inner,
        "1–6 or ↑↓ Enter: choose, then write why · Esc: cancel",
    );
}
