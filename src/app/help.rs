//! The help overlay's text: every key by where it works, read from the keymap, and what
//! the screen's marks mean, laid out for a width. Kept here so that `update` can bound
//! the help's scrolling and open it at the focused pane's keys.

use super::keymap::{Keymap, Scope};
use crate::ui::theme::{
    CHANGE_SYMBOL, DUE_DATE_SYMBOL, FLIP_SYMBOL, MARK_SYMBOL, MATCH_SYMBOL, MENTION_SYMBOL,
    NEW_SYMBOL, RUN_SYMBOL, SUGGESTION_SYMBOL,
};
use crate::wrap;

/// Columns of a key line before its description: two of indent, then the keys.
const KEYS_WIDTH: usize = 20;

/// One line of the help before it is fitted to a width.
enum Entry {
    Heading(String),
    /// Keys and what they do; the description wraps under itself.
    Keys(String, String),
    /// An indented line of the legend; it wraps two columns further in.
    Text(String),
    Blank,
}

fn entries(keymap: &Keymap) -> Vec<Entry> {
    let mut out = Vec::new();
    for scope in Scope::ALL {
        out.push(Entry::Heading(scope.title().to_owned()));
        for b in keymap.of(scope) {
            out.push(Entry::Keys(b.keys.join(" "), keymap.describe(b)));
        }
        out.push(Entry::Blank);
    }
    out.push(Entry::Heading("Marks".to_owned()));
    for line in [
        format!("claim list: › the selected claim (its row in reverse video); #tag the claim's tags; {MARK_SYMBOL} marked (the agenda too)"),
        "claims needing review: ? no verdict  +N new updates  ≠ tracker disagrees with the verdict".to_owned(),
        format!("  ~ tracker status changed since the review  ! follow-up due  {FLIP_SYMBOL} status went back and forth"),
        "statuses: ◐ in_progress   ● complete   ✗ failed   ◇ other status".to_owned(),
        format!("timeline: {CHANGE_SYMBOL} the tracker's status changed at this update  {RUN_SYMBOL} a folded run of one status"),
        format!("  {NEW_SYMBOL} new since the last review  {MATCH_SYMBOL} matches the search"),
        "status strip: one cell per update (or group): ▁ in_progress  █ complete  ✗ failed  ? other".to_owned(),
        "preview: ✚ what the update says first in the claim's history; = nothing new".to_owned(),
        "follow-ups: + scheduled  * due today  ! overdue  ✓ done  × cancelled".to_owned(),
        format!("calendar: {DUE_DATE_SYMBOL} completion due  reversed day: today  underlined day: the cursor"),
        format!("  {MENTION_SYMBOL} before a day: updates mention it  {SUGGESTION_SYMBOL} after a day: an update suggests it"),
        "mouse: a click focuses a pane and selects a row or day; the wheel scrolls".to_owned(),
    ] {
        out.push(Entry::Text(line));
    }
    out.push(Entry::Blank);
    out.push(Entry::Heading("In text fields".to_owned()));
    for line in [
        "arrows, Home/End; C-Left/C-Right or A-b/A-f jump by word; C-w deletes a word",
        "C-u deletes to the start of the line; C-_ / C-r undo and redo inside the field",
        "pasting works as typing; the rationale wraps its lines to the box",
    ] {
        out.push(Entry::Text(line.to_owned()));
    }
    out
}

/// The widest the help's lines get unwrapped: the overlay is no wider than this.
pub fn natural_width(keymap: &Keymap) -> usize {
    entries(keymap)
        .iter()
        .map(|e| match e {
            Entry::Heading(h) => wrap::width(h),
            Entry::Keys(keys, what) => {
                KEYS_WIDTH.max(2 + wrap::width(keys) + 1) + wrap::width(what)
            }
            Entry::Text(t) => 2 + wrap::width(t),
            Entry::Blank => 0,
        })
        .max()
        .unwrap_or(0)
}

/// The help's rows for `width` columns: (text, is a heading). Long lines wrap under
/// themselves (a key's description under the description), so nothing is cut.
pub fn rows(keymap: &Keymap, width: usize) -> Vec<(String, bool)> {
    let width = width.max(KEYS_WIDTH + 10);
    let mut out = Vec::new();
    for e in entries(keymap) {
        match e {
            Entry::Heading(h) => out.push((h, true)),
            Entry::Keys(keys, what) => {
                let lead = if wrap::width(&keys) + 3 <= KEYS_WIDTH {
                    format!("  {keys:<w$}", w = KEYS_WIDTH - 2)
                } else {
                    // Keys too wide for their column: the description starts below.
                    out.push((format!("  {keys}"), false));
                    " ".repeat(KEYS_WIDTH)
                };
                hanging(&mut out, width, lead, KEYS_WIDTH, &what);
            }
            Entry::Text(t) => {
                // A line that starts with spaces continues the one before it.
                let extra = t.len() - t.trim_start().len();
                hanging(
                    &mut out,
                    width,
                    " ".repeat(2 + extra),
                    4 + extra,
                    t.trim_start(),
                );
            }
            Entry::Blank => out.push((String::new(), false)),
        }
    }
    out
}

/// `text` wrapped to `width`: its first row after `lead` (no wider than `indent`), the
/// others `indent` columns in.
fn hanging(out: &mut Vec<(String, bool)>, width: usize, lead: String, indent: usize, text: &str) {
    out.extend(
        wrap::hanging(text, width, &lead, indent)
            .into_iter()
            .map(|row| (row, false)),
    );
}

/// The row where `scope`'s keys start, for `width` columns.
pub fn section_row(keymap: &Keymap, scope: Scope, width: usize) -> usize {
    let title = scope.title();
    rows(keymap, width)
        .iter()
        .position(|(text, heading)| *heading && text == title)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_fits_and_every_word_stays() {
        for width in [44, 76, 118, 200] {
            let keymap = Keymap::default();
            let rows = rows(&keymap, width);
            for (row, _) in &rows {
                assert!(
                    wrap::width(row) <= width.max(KEYS_WIDTH + 10),
                    "{row:?} at {width}"
                );
                assert!(!row.contains('…'), "{row:?} cut at {width}");
            }
            let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
            let shown: Vec<String> = rows.iter().flat_map(|(r, _)| words(r)).collect();
            let all: Vec<String> = entries(&keymap)
                .iter()
                .flat_map(|e| match e {
                    Entry::Heading(h) | Entry::Text(h) => words(h),
                    Entry::Keys(k, w) => [words(k), words(w)].concat(),
                    Entry::Blank => vec![],
                })
                .collect();
            assert_eq!(shown, all, "at {width}");
        }
        // Wide enough, a key's description starts in its column on the key's row.
        assert!(
            rows(&Keymap::default(), 120)
                .iter()
                .any(|(r, _)| r == "  v                 record a verdict")
        );
    }
}
