//! The verdict picker overlay: the six verdicts with their meanings, each with its key.

use super::{centered, fill_row, overlay_block, put, theme};
use crate::app::keymap::Scope;
use crate::app::{Action, State};
use crate::model::Verdict;
use crate::wrap;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// Columns before a verdict's meaning: its key and its name (more for longer keys).
const MEANING_AT: usize = 16;

pub fn draw(buf: &mut Buffer, main: Rect, state: &State, selected: usize, then_next: bool) {
    let marked = state.marked_claims().count();
    let claim = state.selected_claim().filter(|_| marked == 0);
    let current = claim.and_then(|c| c.verdict());
    let width = main.width.saturating_sub(4).min(80);
    let text_w = usize::from(width.saturating_sub(4));
    let keymap = &state.settings().keymap;
    // Each verdict's key, as the keymap in force has it: `1` … `6` by default.
    let picks: Vec<&str> = (0..Verdict::ALL.len())
        .map(|i| keymap.shown(Scope::Picker, &Action::PickVerdict(i)))
        .collect();
    let key_w = picks.iter().map(|k| wrap::width(k)).max().unwrap_or(1) + 2;
    let meaning_at = MEANING_AT.max(key_w + 13);
    // Each verdict's meaning wraps under itself.
    let verdicts: Vec<Vec<String>> = Verdict::ALL
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let note = if current == Some(*v) {
                "  (current)"
            } else {
                ""
            };
            let meaning = format!("{}{note}", v.meaning());
            wrap::wrap(&meaning, text_w.saturating_sub(meaning_at))
                .into_iter()
                .enumerate()
                .map(|(row, text)| {
                    if row == 0 {
                        let key = picks.get(i).copied().unwrap_or("");
                        let pad = key_w.saturating_sub(wrap::width(key));
                        format!(
                            "{key}{:pad$}{:<w$}{text}",
                            "",
                            v.as_str(),
                            w = meaning_at - key_w
                        )
                    } else {
                        format!("{:meaning_at$}{text}", "")
                    }
                })
                .collect()
        })
        .collect();
    let verdict_rows: usize = verdicts.iter().map(Vec::len).sum();
    // The claim's title whole, in as many rows as the screen leaves (cut only past them).
    let room = usize::from(main.height)
        .saturating_sub(verdict_rows + 5)
        .max(1);
    let about = match claim {
        Some(c) => c.title.clone(),
        None => format!(
            "For {} (each gets a review of its own)",
            match marked {
                1 => "the one marked claim".to_owned(),
                n => format!("every one of the {n} marked claims"),
            }
        ),
    };
    let mut title = wrap::wrap(&about, text_w);
    if title.len() > room {
        title.truncate(room);
        if let Some(last) = title.last_mut() {
            *last = wrap::truncate(&format!("{last} …"), text_w);
        }
    }
    // Borders, the title, a gap, the verdicts, a gap and the keys.
    let height = u16::try_from(title.len() + verdict_rows + 5).unwrap_or(u16::MAX);
    let area = centered(main, width, height);
    let heading = if then_next {
        " Verdict, then the next claim to review "
    } else {
        " Verdict "
    };
    let inner = overlay_block(buf, area, Line::from(heading));
    let mut y = inner.y;
    for row in &title {
        put(
            buf,
            inner.x + 1,
            y,
            row,
            inner.width.saturating_sub(2),
            theme::dim(),
        );
        y += 1;
    }
    y += 1;
    for (i, (v, rows)) in Verdict::ALL.iter().zip(&verdicts).enumerate() {
        for row in rows {
            if y >= inner.bottom().saturating_sub(1) {
                break;
            }
            put(
                buf,
                inner.x + 1,
                y,
                row,
                inner.width.saturating_sub(2),
                theme::verdict_style(Some(*v)),
            );
            if i == selected {
                fill_row(buf, inner.x, y, inner.width, theme::selected(true));
            }
            y += 1;
        }
    }
    let key = |action: Action| keymap.shown(Scope::Picker, &action);
    let hint = format!(
        "{}–{} or {}/{} {}: choose, then write why · {}: cancel",
        key(Action::PickVerdict(0)),
        key(Action::PickVerdict(5)),
        key(Action::Down),
        key(Action::Up),
        key(Action::Choose),
        keymap.all_shown(Scope::Picker, &Action::Close),
    );
    super::hint_line(buf, inner, &hint);
}
