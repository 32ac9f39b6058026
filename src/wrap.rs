//! Text layout by display width: wrapping paragraphs and truncating single lines so that
//! wide characters (CJK, emoji) and control characters never break a row.

use crate::model::display_safe;
use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

/// Display width of a string: the sum of its grapheme clusters' widths as ratatui puts
/// them in cells (the one width function on the screen), control characters none.
pub fn width(s: &str) -> usize {
    if s.is_ascii() {
        return s.bytes().filter(|b| !b.is_ascii_control()).count();
    }
    let mut chars = s.chars();
    if let (Some(_), None) = (chars.next(), chars.next()) {
        // One character is one cluster (a border, a mark): no segmenting needed.
        return cluster_width(s);
    }
    s.graphemes(true).map(cluster_width).sum()
}

fn cluster_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else {
        usize::from(g.cell_width())
    }
}

/// Whether a character joins or changes the look of the emoji before it: the zero width
/// joiner (families), skin-tone modifiers and the emoji/text presentation selectors.
/// Terminals disagree about how many columns such a sequence takes (one renders
/// `👍🏽` in two, another in four), and a disagreement shifts every cell after it.
pub fn joins_emoji(c: char) -> bool {
    matches!(
        c,
        '\u{200d}' | '\u{fe0e}' | '\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}'
    )
}

/// Text for one row of cells: [`display_safe`], and without the characters that join
/// emoji into sequences, so that each emoji takes the columns every terminal gives it
/// (`👨‍👩‍👧` shows as its three people; the stored text keeps them joined).
pub fn for_cells(s: &str) -> String {
    without_flags(without_joiners(display_safe(s)))
}

/// Regional indicator symbols as the capital letters they stand for: a flag `🇺🇸` shows as
/// `US`. Terminals disagree about them too (tmux gives each letter a column of its own
/// and draws it as an emoji, others draw the pair as one two-column flag), and a cell
/// one terminal thinks is free another leaves a letter in, which ate the neighbouring
/// text. The letters take the same two columns everywhere.
fn without_flags(s: String) -> String {
    const A: u32 = 0x1f1e6;
    let letter = |c: char| {
        let n = u32::from(c).checked_sub(A).filter(|n| *n < 26)?;
        char::from_u32(u32::from('A') + n)
    };
    if !s.chars().any(|c| letter(c).is_some()) {
        return s;
    }
    s.chars().map(|c| letter(c).unwrap_or(c)).collect()
}

/// `s` without the characters that join emoji ([`joins_emoji`]). Text fields hold their
/// text this way too: the text area measures a joined sequence in its own way and the
/// terminal in another, which left stale cells and moved the cursor off its character.
pub fn without_joiners(s: impl Into<String>) -> String {
    let mut out = s.into();
    if out.chars().any(joins_emoji) {
        out.retain(|c| !joins_emoji(c));
    }
    out
}

/// A field's text after editing, with the emoji joiners its original held put back
/// wherever the edit left the original's characters as they were. A field holds its
/// text without joiners ([`without_joiners`]); without this, editing one letter of a
/// title or note would take every skin tone, ZWJ family and VS16 out of the rest of it.
/// The characters before the first change and after the last are the original's, with
/// their joiners; what was typed between them is kept as typed.
pub fn keep_joiners(original: &str, edited: &str) -> String {
    if !original.chars().any(joins_emoji) {
        return edited.to_owned();
    }
    let bare: Vec<char> = original.chars().filter(|&c| !joins_emoji(c)).collect();
    let new: Vec<char> = edited.chars().collect();
    let prefix = bare.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = bare[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    // Byte offsets in the original: the end of its `prefix`-th plain character with the
    // modifiers that follow it (not a ZWJ, which would join what comes next), and the
    // start of the plain character that begins the unchanged end.
    let mut head_end = 0;
    let mut tail_start = original.len();
    let mut plain = 0;
    let tail_from = bare.len() - suffix;
    for (at, c) in original.char_indices() {
        if joins_emoji(c) {
            if plain == prefix && plain > 0 && c != '\u{200d}' && head_end == at {
                head_end = at + c.len_utf8();
            }
            continue;
        }
        if plain == tail_from && tail_start == original.len() {
            tail_start = at;
        }
        plain += 1;
        if plain <= prefix {
            head_end = at + c.len_utf8();
        }
    }
    let middle: String = new[prefix..new.len() - suffix].iter().collect();
    format!(
        "{}{middle}{}",
        &original[..head_end],
        &original[tail_start..]
    )
}

/// One line cut to `max` columns, ending in `…` when something was cut. It walks the
/// text only as far as the cut: a paragraph's preview costs its first row, not its length.
pub fn truncate(s: &str, max: usize) -> String {
    let s = for_cells(s);
    // No cluster takes more columns than it has bytes.
    if s.len() <= max {
        return s;
    }
    if max == 0 {
        return String::new();
    }
    if s.is_ascii() {
        // Control characters are gone (display_safe): a byte is a column.
        let mut out = String::with_capacity(max + '…'.len_utf8());
        out.push_str(&s[..max - 1]);
        out.push('…');
        return out;
    }
    let mut used = 0;
    let mut keep = 0;
    for (at, g) in s.grapheme_indices(true) {
        let w = cluster_width(g);
        if used + w > max {
            let mut out = String::with_capacity(keep + '…'.len_utf8());
            out.push_str(&s[..keep]);
            out.push('…');
            return out;
        }
        used += w;
        if used < max {
            keep = at + g.len();
        }
    }
    s
}

/// Pads or cuts `s` to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// Whether a word is a web address: `http://…` or `https://…`.
pub fn is_url(word: &str) -> bool {
    word.starts_with("https://") || word.starts_with("http://")
}

/// Wraps text with a hanging indent: the first row starts with `lead`, the others with
/// as many spaces as `indent`, and the text wraps to what is left of `max` after that.
/// Nothing here is linked, so a web address longer than a row is split like any long
/// word: every character of it shows.
pub fn hanging(text: &str, max: usize, lead: &str, indent: usize) -> Vec<String> {
    let mut lead = Some(lead);
    wrap_with(text, max.saturating_sub(indent), false)
        .into_iter()
        .map(|row| match lead.take() {
            Some(lead) => format!("{lead}{row}"),
            None => format!("{:indent$}{row}", ""),
        })
        .collect()
}

/// Whether a web address is safe to link and to hand to a browser: `http://` or
/// `https://`, then printable ASCII only, so nothing in it can end an escape sequence
/// early, act on the terminal, or show one address while another opens.
pub fn is_safe_url(url: &str) -> bool {
    is_url(url) && url.bytes().all(|b| (0x21..0x7f).contains(&b))
}

/// Wraps text to `max` columns. Each `\n` starts a new line and blank lines are kept, so
/// paragraphs separated by a blank line stay apart. Words longer than a line are split,
/// except web addresses: one of those takes a line of its own, whole, for the screen to
/// cut at its edge (and link in full), so it is never broken into pieces.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    wrap_with(text, max, true)
}

/// [`wrap`], keeping web addresses whole on lines of their own or not.
fn wrap_with(text: &str, max: usize, whole_urls: bool) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let raw = for_cells(raw);
        let mut line = String::new();
        let mut used = 0;
        // A web address ends its line: nothing is left to push after it.
        let mut after_url = false;
        for word in raw.split(' ').filter(|w| !w.is_empty()) {
            after_url = false;
            let w = width(word);
            let gap = usize::from(used > 0);
            if used + gap + w <= max {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                used += gap + w;
                continue;
            }
            if w <= max {
                lines.push(std::mem::take(&mut line));
                line.push_str(word);
                used = w;
                continue;
            }
            if whole_urls && is_url(word) {
                // After a bullet or a short label it stays on that line; else it starts one.
                if used > 4 {
                    lines.push(std::mem::take(&mut line));
                } else if used > 0 {
                    line.push(' ');
                }
                line.push_str(word);
                lines.push(std::mem::take(&mut line));
                used = 0;
                after_url = true;
                continue;
            }
            // Longer than a line: start it here and split it where lines end.
            if used > 0 {
                if used + 1 < max {
                    line.push(' ');
                    used += 1;
                } else {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
            }
            for g in word.graphemes(true) {
                let cw = cluster_width(g);
                if used + cw > max && used > 0 {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push_str(g);
                used += cw;
            }
        }
        if !after_url {
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_show_as_their_letters_in_the_same_two_columns() {
        assert_eq!(for_cells("Flag 🇺🇸 and 🇯🇵 here"), "Flag US and JP here");
        assert_eq!(width("🇺🇸"), width("US"));
        assert_eq!(truncate("🇩🇪🇩🇪", 4), "DEDE");
        assert_eq!(truncate("🇩🇪🇩🇪🇩🇪", 4), "DED…");
        assert_eq!(for_cells("no flags"), "no flags");
    }

    #[test]
    fn an_edit_keeps_the_joiners_of_the_text_it_did_not_touch() {
        let note = "call 👍🏽 the 👨\u{200d}👩\u{200d}👧 desk 🏳\u{fe0f}\u{200d}🌈 क्\u{200d}ष";
        let field = without_joiners(note);
        assert_eq!(keep_joiners(note, &field), note, "no edit, no change");
        let appended = format!("{field}!");
        assert_eq!(keep_joiners(note, &appended), format!("{note}!"));
        let prepended = format!("Re: {field}");
        assert_eq!(keep_joiners(note, &prepended), format!("Re: {note}"));
        // A word changed in the middle: both ends keep theirs.
        let changed = field.replacen("the", "a", 1);
        assert_eq!(keep_joiners(note, &changed), note.replacen("the", "a", 1));
        // An edit next to a family: no ZWJ joins the family to what was typed.
        let after_family = field.replacen(" desk", "X desk", 1);
        let kept = keep_joiners(note, &after_family);
        assert!(kept.contains("👨\u{200d}👩\u{200d}👧X desk"), "{kept:?}");
        assert_eq!(keep_joiners("plain", "plainer"), "plainer");
        assert_eq!(keep_joiners(note, ""), "");
    }

    #[test]
    fn a_hanging_wrap_splits_a_long_web_address_and_loses_none_of_it() {
        let url = format!("https://example.org/{}", "segment/".repeat(12));
        let text = format!("see {url} then call");
        let rows = hanging(&text, 20, "", 2);
        assert!(rows.iter().all(|r| width(r) <= 20), "{rows:?}");
        let joined: String = rows.iter().map(|r| r.trim()).collect();
        assert!(joined.contains(&url), "{rows:?}");
        let words: Vec<&str> = rows.iter().flat_map(|r| r.split_whitespace()).collect();
        assert!(words.ends_with(&["then", "call"]), "{rows:?}");
    }

    #[test]
    fn wraps_by_display_width_and_keeps_paragraphs() {
        assert_eq!(wrap("aa bb cc\n\ndd", 5), vec!["aa bb", "cc", "", "dd"]);
        assert_eq!(wrap("中文中文中", 4), vec!["中文", "中文", "中"]);
        assert!(wrap("x 中文中文中文 y", 5).iter().all(|l| width(l) <= 5));
        assert_eq!(wrap("• averylongword", 8), vec!["• averyl", "ongword"]);
        // A web address is never broken: it takes a line of its own, whole.
        assert_eq!(
            wrap("• https://e.org/abc then", 8),
            vec!["• https://e.org/abc", "then"]
        );
        assert_eq!(
            wrap("see also https://e.org/abc", 12),
            vec!["see also", "https://e.org/abc"]
        );
    }

    #[test]
    fn truncates_wide_text_within_the_limit() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("中文中文", 5), "中文…");
        assert_eq!(width(&truncate("😀😀😀", 4)), 3);
        assert_eq!(truncate("a\u{1b}[2Jb", 10), "ab");
        assert_eq!(fit("中", 4), "中  ");
    }

    #[test]
    fn emoji_sequences_take_the_columns_every_terminal_gives_them() {
        // Skin tone, a ZWJ family, VS16: each emoji alone, the text around it whole.
        assert_eq!(truncate("Thumbs 👍🏽 and flags", 40), "Thumbs 👍 and flags");
        assert_eq!(width(&for_cells("👨‍👩‍👧")), 6);
        assert_eq!(for_cells("❤️ love"), "❤ love");
        assert_eq!(width("❤ love"), 6);
        // A cluster is never split: an accent stays on its letter, at any cut.
        for max in 1..8 {
            let cut = truncate("e\u{301}e\u{301}e\u{301}e\u{301}xyz", max);
            assert!(width(&cut) <= max, "{cut:?} at {max}");
            assert!(!cut.starts_with('\u{301}') && !cut.contains("\u{301}\u{301}"));
        }
        assert_eq!(width("e\u{301}"), 1);
        for line in wrap("家族👨‍👩‍👧👍🏽 中文字 and more", 5) {
            assert!(width(&line) <= 5, "{line:?}");
        }
    }
}
