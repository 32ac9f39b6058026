//! Text layout by display width: wrapping paragraphs and truncating single lines so that
//! wide characters (CJK, emoji) and control characters never break a row.

use crate::model::display_safe;
use unicode_width::UnicodeWidthChar;

/// Display width of a string, counting control characters as nothing.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// One line cut to `max` columns, ending in `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    let s = display_safe(s);
    if width(&s) <= max {
        return s;
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads or cuts `s` to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// Wraps text to `max` columns. Each `\n` starts a new line and blank lines are kept, so
/// paragraphs separated by a blank line stay apart. Words longer than a line are split.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let raw = display_safe(raw);
        let mut line = String::new();
        let mut used = 0;
        for word in raw.split(' ').filter(|w| !w.is_empty()) {
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
            // Longer than a line (a URL): start it here and split it where lines end.
            if used > 0 {
                if used + 1 < max {
                    line.push(' ');
                    used += 1;
                } else {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
            }
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > max && used > 0 {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_by_display_width_and_keeps_paragraphs() {
        assert_eq!(wrap("aa bb cc\n\ndd", 5), vec!["aa bb", "cc", "", "dd"]);
        assert_eq!(wrap("中文中文中", 4), vec!["中文", "中文", "中"]);
        assert!(wrap("x 中文中文中文 y", 5).iter().all(|l| width(l) <= 5));
        assert_eq!(
            wrap("• https://e.org/abc", 8),
            vec!["• https:", "//e.org/", "abc"]
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
}
