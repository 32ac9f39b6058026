//! Drawing: reads the state and paints one frame. One file per pane; nothing here
//! changes the state.
//!
//! The layout (see `app::layout` for the sizes):
//!
//! ```text
//! ┌ Claims ─────────┐┌ Timeline ───────────────────┐
//! │ title           ││ ▲ date time ◐ status  text  │
//! │ verdict status  │├ selected update ────────────┤
//! │                 ││ body preview                │
//! │                 │└─────────────────────────────┘
//! │                 │┌ Follow-ups ─────────────────┐
//! │                 ││ month grid  │ month's list  │
//! └─────────────────┘└─────────────────────────────┘
//!  path · counts · message
//!  keys for the focused pane
//! ```

mod agenda;
mod calendar;
mod claim_list;
mod confirm;
mod details;
mod digest;
mod editor;
mod filter_menu;
mod help;
mod reader;
mod reviews;
mod status_bar;
pub mod theme;
mod timeline;
mod verdict_picker;

use crate::app::{Action, Overlay, Pane, State, layout::MIN_HEIGHT, layout::MIN_WIDTH};
use ratatui::Frame;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::buffer::CellDiffOption;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Widget};

/// Paints the whole screen for the current state.
pub fn draw(frame: &mut Frame<'_>, state: &State) {
    theme::use_theme(state.settings().theme);
    let area = frame.area();
    let buf = frame.buffer_mut();
    paint(buf, area, state);
    if theme::colourless() {
        theme::strip_colours(buf);
    }
}

fn paint(buf: &mut Buffer, area: Rect, state: &State) {
    let Some(areas) = state.areas() else {
        let quit = state
            .settings()
            .keymap
            .shown(crate::app::keymap::Scope::Global, &crate::app::Action::Quit);
        too_small(buf, area, quit);
        return;
    };
    if let Some(loading) = state.loading {
        draw_loading(buf, &areas, state, loading);
        return;
    }
    if areas.shows(Pane::Claims) {
        claim_list::draw(buf, areas.claims, state);
    }
    if areas.shows(Pane::Timeline) {
        timeline::draw(buf, &areas, state);
    }
    if areas.shows(Pane::Calendar) {
        calendar::draw(buf, &areas, state);
    }
    status_bar::draw(buf, areas.status, state);
    match &state.overlay {
        Some(Overlay::Help { scroll }) => help::draw(buf, &areas, state, *scroll),
        Some(Overlay::Reader { scroll }) => reader::draw(buf, &areas, state, *scroll),
        Some(Overlay::Reviews { scroll }) => reviews::draw(buf, &areas, state, *scroll),
        Some(Overlay::Details { scroll }) => details::draw(buf, &areas, state, *scroll),
        Some(Overlay::Agenda { list, window }) => agenda::draw(buf, &areas, state, *list, *window),
        Some(Overlay::VerdictPicker {
            selected,
            then_next,
        }) => verdict_picker::draw(buf, areas.main, state, *selected, *then_next),
        Some(Overlay::Rationale {
            verdict, editor, ..
        }) => editor::draw_rationale(buf, areas.main, &state.settings().keymap, *verdict, editor),
        Some(Overlay::Input {
            purpose, editor, ..
        }) => editor::draw_input(buf, areas.main, &state.settings().keymap, purpose, editor),
        Some(Overlay::FilterMenu { selected }) => {
            filter_menu::draw(buf, areas.main, state, *selected)
        }
        Some(Overlay::Confirm(question)) => confirm::draw(buf, areas.main, state, question),
        None => {}
    }
}

/// The screen as plain text (no escape codes), one line per row, trailing spaces cut.
pub fn render_to_text(state: &State) -> String {
    buffer_text(&render_to_buffer(state))
}

/// The screen for `state`, cells with their colours and attributes.
pub fn render_to_buffer(state: &State) -> Buffer {
    let (w, h) = state.size;
    let mut terminal = match ratatui::Terminal::new(TestBackend::new(w, h)) {
        Ok(t) => t,
        Err(never) => match never {},
    };
    if let Err(never) = terminal.draw(|f| draw(f, state)) {
        match never {}
    }
    terminal.backend().buffer().clone()
}

/// `j/k scroll · Esc closes`, with the keys the overlay's scope has for them.
fn scroll_hint(state: &State, scope: crate::app::keymap::Scope) -> String {
    let keymap = &state.settings().keymap;
    format!(
        "{}/{} scroll · {} closes",
        keymap.shown(scope, &Action::Down),
        keymap.shown(scope, &Action::Up),
        keymap.shown(scope, &Action::Close)
    )
}

/// Makes the web addresses in a row drawn at `(x, y)` from `text` (cut to `max` columns)
/// hyperlinks (OSC 8): clickable in terminals that know them, plain text elsewhere. A
/// cut address still links to the whole of it. Only addresses of printable ASCII are
/// linked, so nothing in one can end the sequence early.
fn link_urls(buf: &mut Buffer, x: u16, y: u16, text: &str, max: u16) {
    let cut = crate::wrap::width(text) > usize::from(max);
    // Columns that show text: a cut row ends in `…`.
    let shown = if cut { max.saturating_sub(1) } else { max };
    let mut search = 0;
    while let Some(found) = ["https://", "http://"]
        .iter()
        .filter_map(|p| text[search..].find(p))
        .min()
    {
        let start = search + found;
        let rest = &text[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', ']', '\'', '"']);
        search = start + end.max(1);
        if !crate::wrap::is_safe_url(url) {
            continue;
        }
        let col = u16::try_from(crate::wrap::width(&text[..start])).unwrap_or(u16::MAX);
        let len = u16::try_from(url.len())
            .unwrap_or(u16::MAX)
            .min(shown.saturating_sub(col));
        if len > 0 {
            hyperlink(buf, x + col, y, len, url);
        }
    }
}

/// Turns `len` cells at `(x, y)`, already drawn with ASCII text, into one link to `url`:
/// the text goes into the first cell between the OSC 8 sequences, the cell is told how
/// wide it is, and the cells it covers are left out of the terminal diff.
fn hyperlink(buf: &mut Buffer, x: u16, y: u16, len: u16, url: &str) {
    let Some(width) = std::num::NonZeroU16::new(len) else {
        return;
    };
    let area = buf.area;
    if y >= area.bottom() || x >= area.right() || x + len > area.right() {
        return;
    }
    let text: String = (x..x + len)
        .map(|cx| buf[(cx, y)].symbol().to_owned())
        .collect();
    let first = &mut buf[(x, y)];
    first.set_symbol(&format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\"));
    first.set_diff_option(CellDiffOption::ForcedWidth(width));
    for cx in x + 1..x + len {
        buf[(cx, y)].set_diff_option(CellDiffOption::Skip);
    }
}

/// A link cell's text, without its OSC 8 sequences.
fn without_osc8(symbol: &str) -> String {
    let mut out = String::new();
    let mut rest = symbol;
    while let Some(i) = rest.find("\x1b]8;") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("\x1b\\").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out
}

/// A buffer's text, skipping the cells that wide characters cover.
pub fn buffer_text(buf: &Buffer) -> String {
    let mut out = String::new();
    let width = usize::from(buf.area.width.max(1));
    for row in buf.content.chunks(width) {
        let mut line = String::new();
        let mut skip = 0usize;
        for cell in row {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = cell.symbol();
            if let CellDiffOption::ForcedWidth(w) = cell.diff_option {
                // A hyperlink: its text, without the escape sequences around it.
                line.push_str(&without_osc8(sym));
                skip = usize::from(w.get()).saturating_sub(1);
                continue;
            }
            line.push_str(if sym.is_empty() { " " } else { sym });
            skip = crate::wrap::width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The first frame of a large workspace: what is being read, and how far it has come.
fn draw_loading(
    buf: &mut Buffer,
    areas: &crate::app::layout::Areas,
    state: &State,
    loading: crate::app::state::Loading,
) {
    let box_area = centered(areas.main, 64, 6);
    let inner = overlay_block(buf, box_area, Line::from(" claimdesk "));
    let mb = |b: u64| b as f64 / 1e6;
    let name = state.path.file_name().map_or_else(
        || state.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    put(
        buf,
        inner.x + 1,
        inner.y,
        &format!("Loading {name}…"),
        inner.width.saturating_sub(2),
        theme::heading(),
    );
    let text = if loading.total > 0 {
        format!("{:.0} of {:.0} MB", mb(loading.read), mb(loading.total))
    } else {
        format!("{:.0} MB", mb(loading.read))
    };
    put(
        buf,
        inner.x + 1,
        inner.y + 1,
        &text,
        inner.width.saturating_sub(2),
        theme::dim(),
    );
    let bar_w = inner.width.saturating_sub(2);
    let done = (u64::from(bar_w) * loading.read.min(loading.total))
        .checked_div(loading.total)
        .map_or(0, |d| d as u16);
    let bar: String = (0..bar_w)
        .map(|i| if i < done { '█' } else { '░' })
        .collect();
    put(
        buf,
        inner.x + 1,
        inner.y + 3,
        &bar,
        bar_w,
        theme::border(true),
    );
    status_bar::draw(buf, areas.status, state);
}

fn too_small(buf: &mut Buffer, area: Rect, quit: &str) {
    let lines = [
        "Terminal too small".to_owned(),
        format!(
            "{}×{}: claimdesk needs {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        ),
        format!("Enlarge the window, or {quit} to quit"),
    ];
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (i, text) in lines.iter().enumerate() {
        let y = top + i as u16;
        if y >= area.bottom() {
            break;
        }
        let w = crate::wrap::width(text) as u16;
        let x = area.x + area.width.saturating_sub(w) / 2;
        buf.set_stringn(x, y, text, usize::from(area.width), theme::heading());
    }
}

/// A pane's frame with its title, highlighted when focused. Returns the inside.
fn pane_block(buf: &mut Buffer, area: Rect, title: Line<'_>, focused: bool) -> Rect {
    let block = Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(theme::border(focused))
        .title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// A pane's title: its name, marked when focused.
fn pane_title(pane: Pane, state: &State, detail: String) -> Line<'static> {
    let focused = state.overlay.is_none() && state.focus == pane;
    let name = match (focused, state.zoomed) {
        (true, true) => format!(
            " [{}] zoomed, {} gives back · ",
            pane.title(),
            state
                .settings()
                .keymap
                .shown(crate::app::keymap::Scope::Global, &Action::ToggleZoom)
        ),
        (true, false) => format!(" [{}] ", pane.title()),
        _ => format!(" {} ", pane.title()),
    };
    let mut spans = vec![ratatui::text::Span::styled(name, theme::heading())];
    if !detail.is_empty() {
        spans.push(ratatui::text::Span::raw(format!("{detail} ")));
    }
    Line::from(spans)
}

/// A pane's title made of parts of its detail, each with a priority (0 is never
/// dropped): the parts that fit the pane's top border of `width` columns, the lowest
/// priority (then the last) dropped first, the rest in their order.
fn fitted_title(pane: Pane, state: &State, parts: &[(String, u8)], width: u16) -> Line<'static> {
    let mut keep = vec![true; parts.len()];
    loop {
        let detail: Vec<&str> = parts
            .iter()
            .zip(&keep)
            .filter(|(_, kept)| **kept)
            .map(|((part, _), _)| part.as_str())
            .collect();
        let line = pane_title(pane, state, detail.join(" · "));
        // Inside the two corners; the title's closing space may give way to the border.
        if line.width() < usize::from(width) {
            return line;
        }
        let Some(drop) = (0..parts.len())
            .filter(|&i| keep[i] && parts[i].1 > 0)
            .max_by_key(|&i| (parts[i].1, i))
        else {
            return line;
        };
        keep[drop] = false;
    }
}

/// Writes text on one row, cut to `max` columns with `…`.
fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, max: u16, style: Style) -> u16 {
    if max == 0 {
        return x;
    }
    let text = crate::wrap::truncate(text, usize::from(max));
    buf.set_stringn(x, y, &text, usize::from(max), style).0
}

/// Like `put`, with every match of `needle` in the shown text highlighted.
fn put_highlighted(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    text: &str,
    max: u16,
    style: Style,
    needle: Option<&crate::search::Needle>,
) -> u16 {
    let shown = crate::wrap::truncate(text, usize::from(max));
    let end = put(buf, x, y, &shown, max, style);
    let Some(needle) = needle else { return end };
    for range in needle.ranges_in(&shown) {
        let start = x + crate::wrap::width(&shown[..range.start]) as u16;
        let width = crate::wrap::width(&shown[range.clone()]) as u16;
        buf.set_style(
            Rect::new(start, y, width.min(max), 1),
            theme::search_match(),
        );
    }
    end
}

/// The search's literal needle, when a search is active.
fn search_needle(state: &State) -> Option<crate::search::Needle> {
    let s = state.search.as_ref()?;
    s.active_results()?;
    let n = crate::search::Needle::new(s.query.trim());
    (!n.is_empty()).then_some(n)
}

/// Clears a rectangle and frames it, for overlays.
fn overlay_block(buf: &mut Buffer, area: Rect, title: Line<'_>) -> Rect {
    uncover_left_edge(buf, area);
    Clear.render(area, buf);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme::border(true))
        .title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// A wide character (CJK, emoji: two cells) whose right half lies under `area`'s left
/// edge becomes a space: the terminal would paint the character across the edge and
/// erase it (the cell under the half is not even sent, since the wide character covers it).
fn uncover_left_edge(buf: &mut Buffer, area: Rect) {
    let Some(x) = area.x.checked_sub(1) else {
        return;
    };
    for y in area.top()..area.bottom() {
        let Some(cell) = buf.cell_mut((x, y)) else {
            continue;
        };
        if cell.symbol().len() > 1 && crate::wrap::width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// A rectangle of at most `width`×`height`, centred in `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A short hint (keys, a position) on an overlay's bottom edge, at its right end.
fn edge_hint(buf: &mut Buffer, frame: Rect, hint: &str) {
    let w = u16::try_from(crate::wrap::width(hint)).unwrap_or(u16::MAX);
    put(
        buf,
        frame.right().saturating_sub(w + 2),
        frame.bottom().saturating_sub(1),
        hint,
        w,
        theme::dim(),
    );
}

/// The keys that work in an overlay, on its last inside row.
fn hint_line(buf: &mut Buffer, inner: Rect, hint: &str) {
    put(
        buf,
        inner.x + 1,
        inner.bottom().saturating_sub(1),
        hint,
        inner.width.saturating_sub(2),
        theme::dim(),
    );
}

/// Fills a row with a style (for selection bars).
fn fill_row(buf: &mut Buffer, x: u16, y: u16, width: u16, style: Style) {
    buf.set_style(Rect::new(x, y, width, 1), style);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_become_whole_links_and_the_rest_of_the_row_still_draws() {
        let area = Rect::new(0, 0, 30, 1);
        let row = "see https://e.org/a/b, then x";
        let mut next = Buffer::empty(area);
        put(&mut next, 0, 0, row, 30, Style::new());
        link_urls(&mut next, 0, 0, row, 30);
        let cell = &next[(4u16, 0u16)];
        assert_eq!(
            cell.symbol(),
            "\x1b]8;;https://e.org/a/b\x1b\\https://e.org/a/b\x1b]8;;\x1b\\",
            "the punctuation after it is not part of it"
        );
        assert_eq!(
            buffer_text(&next),
            format!("{row}\n"),
            "the text reads as before"
        );
        // The terminal is sent the link once, then every cell after it.
        let updates = Buffer::empty(area).diff(&next);
        let xs: Vec<u16> = updates.iter().map(|(x, _, _)| *x).collect();
        assert!(xs.contains(&4) && !xs.contains(&5), "{xs:?}");
        assert!(xs.contains(&21) && xs.contains(&28), "{xs:?}");
    }

    #[test]
    fn a_cut_address_links_to_the_whole_of_it_and_no_sequence_can_be_smuggled() {
        let area = Rect::new(0, 0, 12, 1);
        let row = "https://example.org/long/path";
        let mut buf = Buffer::empty(area);
        put(&mut buf, 0, 0, row, 12, Style::new());
        link_urls(&mut buf, 0, 0, row, 12);
        assert!(
            buf[(0u16, 0u16)]
                .symbol()
                .starts_with("\x1b]8;;https://example.org/long/path\x1b\\https://exa")
        );
        assert_eq!(buffer_text(&buf), "https://exa…\n");
        for bad in ["https://e.org/\u{7}x", "https://é.org/x"] {
            let mut buf = Buffer::empty(Rect::new(0, 0, 30, 1));
            link_urls(&mut buf, 0, 0, bad, 30);
            assert!(
                buf.content.iter().all(|c| !c.symbol().contains('\x1b')),
                "{bad:?} linked"
            );
        }
    }

    #[test]
    fn a_wide_character_under_a_popup_edge_leaves_the_edge_whole() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 2));
        buf.set_string(0, 0, "中文字", Style::new());
        buf.set_string(0, 1, "中文字", Style::new());
        // A popup's left edge on the right half of 文 (the cell at x = 3).
        overlay_block(&mut buf, Rect::new(3, 0, 4, 1), Line::from(""));
        assert_eq!(buffer_text(&buf), "中 ╔══╗\n中文字\n");
        assert_eq!(buf[(2, 0)].symbol(), " ");
        assert_eq!(buf[(2, 1)].symbol(), "文");
    }
}
