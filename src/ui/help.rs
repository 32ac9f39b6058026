//! The help overlay: draws the help text (`app::help`) in a scrollable box.

use super::{overlay_block, put, theme};
use crate::app::help::lines;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

pub fn draw(buf: &mut Buffer, main: Rect, scroll: usize) {
    let width = 72.min(main.width);
    let area = Rect::new(
        main.x + (main.width - width) / 2,
        main.y,
        width,
        main.height,
    );
    let inner = overlay_block(buf, area, Line::from(" Keys · Esc or ? closes "));
    let lines = lines();
    let scroll = scroll.min(lines.len().saturating_sub(usize::from(inner.height)));
    for (i, (text, heading)) in lines
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let style = if *heading {
            theme::heading()
        } else {
            Style::new()
        };
        put(
            buf,
            inner.x + 1,
            inner.y + i as u16,
            text,
            inner.width.saturating_sub(2),
            style,
        );
    }
}
