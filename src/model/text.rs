//! Text hygiene: strip terminal escape sequences and control characters so that no data
//! can drive or corrupt the reviewer's terminal.

/// `n` and the noun, singular or plural: "1 edit", "2 edits", "0 claims". The noun's
/// last word takes the plural `s` ("unsaved edit" → "unsaved edits").
pub fn count(n: usize, noun: &str) -> String {
    // "entry" → "entries", but "day" → "days", "key" → "keys".
    let vowel_y = noun
        .as_bytes()
        .iter()
        .rev()
        .nth(1)
        .is_some_and(|b| b"aeiou".contains(b));
    if n == 1 {
        format!("1 {noun}")
    } else if noun.ends_with('y') && !vowel_y {
        format!("{n} {}ies", &noun[..noun.len() - 1])
    } else {
        format!("{n} {noun}s")
    }
}

/// Removes terminal escape sequences (CSI, OSC, DCS and two-byte escapes) and control
/// characters other than newline; tabs become spaces, and a carriage return (alone or
/// before a newline) is a line break. Used on everything imported.
pub fn sanitize(s: &str) -> String {
    clean(s, Keep::Lines)
}

/// A reviewer's name as people read it: "(no name)" for one with nothing printable in it,
/// so that "complete by  on Feb 10" never shows.
pub fn shown_name(name: &str) -> String {
    let name = display_safe(name).trim().to_owned();
    if name.is_empty() {
        "(no name)".to_owned()
    } else {
        name
    }
}

/// A tag as the screen shows it, or `None` for one with nothing printable in it (which
/// is not shown, rather than shown as a bare `#`).
pub fn shown_tag(tag: &str) -> Option<String> {
    let tag = display_safe(tag).trim().to_owned();
    (!tag.is_empty()).then_some(tag)
}

/// Like [`sanitize`], but also folds line breaks into spaces: for text drawn on one row.
pub fn display_safe(s: &str) -> String {
    clean(s, Keep::Nothing)
}

/// What a reviewer typed or pasted into a multi-line field (a rationale): line breaks
/// (however the terminal sent them) and tabs are kept; escape sequences and other control
/// characters go.
pub fn typed(s: &str) -> String {
    clean(s, Keep::LinesAndTabs)
}

/// What a command prints: line endings as written (CSV and iCalendar end lines with
/// CR LF), tabs kept; escape sequences, other control characters and bidi overrides go.
/// The one cleaning at the command line's output boundary.
pub fn output(s: &str) -> String {
    clean(s, Keep::AsWritten)
}

/// Characters that take no room and show nothing: Unicode's default-ignorable code
/// points (zero-width spaces and joiners, the soft hyphen, variation selectors, tags, the
/// byte order mark, the Hangul fillers), the other format characters (the Arabic number
/// signs, the interlinear annotation marks, the hieroglyph format controls) and the
/// bidirectional controls. Two ids that differ only in them print alike.
pub fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{ad}'
                | '\u{600}'..='\u{605}'
                | '\u{6dd}'
                | '\u{70f}'
                | '\u{890}'..='\u{891}'
                | '\u{8e2}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{110bd}'
                | '\u{110cd}'
                | '\u{13430}'..='\u{1343f}'
                | '\u{34f}'
                | '\u{115f}'..='\u{1160}'
                | '\u{17b4}'..='\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{fff0}'..='\u{fff8}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e0fff}'
        )
}

/// The bidirectional formatting characters: embeddings, overrides, isolates and marks.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// JSON as the command line prints it: characters a terminal could act on (C1 controls,
/// DEL, bidi controls) written as `\uXXXX` escapes. They can only stand inside strings,
/// so the JSON means exactly what it meant.
pub fn json_output(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\u{7f}'..='\u{9f}') || is_bidi_control(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// An error message for standard error: control and bidi characters shown as `\u{…}`, so
/// a value that was nothing but escape sequences still shows what it was.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Which layout characters survive cleaning.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    Nothing,
    Lines,
    LinesAndTabs,
    /// Line breaks (CR LF stays CR LF) and tabs.
    AsWritten,
}

fn clean(s: &str, keep: Keep) -> String {
    if s.bytes().all(|b| matches!(b, b' '..=b'~')) {
        // Printable ASCII only: nothing to take out (most titles, every border).
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let c = if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
                if keep == Keep::AsWritten {
                    out.push('\r');
                }
            }
            '\n'
        } else {
            c
        };
        match c {
            '\n' if keep != Keep::Nothing => out.push('\n'),
            '\t' if matches!(keep, Keep::LinesAndTabs | Keep::AsWritten) => out.push('\t'),
            '\n' | '\t' => out.push(' '),
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI and OSC introducers take a sequence like their ESC forms.
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' => skip_until_terminator(&mut chars),
            c if c.is_control() => {}
            // Bidirectional controls can reorder what the reviewer reads.
            c if is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_until_final(chars);
        }
        Some(']' | 'P' | '^' | '_' | 'X') => {
            chars.next();
            skip_until_terminator(chars);
        }
        // Two-byte escapes (ESC 7, ESC c, ESC ( B …): drop the next character too.
        Some(c) if !c.is_whitespace() => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameters and intermediates up to a final byte in `@`..=`~`.
fn skip_until_final(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) || c == '\n' {
            return;
        }
    }
}

/// OSC/DCS: up to BEL or ST (`ESC \`).
fn skip_until_terminator(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' | '\n' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// A reviewer's name as a mark or a row shows it: safe to print, at most 8 characters.
pub fn short_name(name: &str) -> String {
    let safe = super::display_safe(name);
    match safe.char_indices().nth(8) {
        Some((cut, _)) => format!("{}…", &safe[..cut]),
        None => safe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_whole() {
        assert_eq!(sanitize("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize("x\u{1b}]0;title\u{7}y"), "xy");
        assert_eq!(
            sanitize("x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\y"),
            "xlinky"
        );
        assert_eq!(sanitize("bell\u{7}\u{8}"), "bell");
        assert_eq!(sanitize("c1\u{9b}2Jz"), "c1z");
    }

    #[test]
    fn line_breaks_however_a_terminal_sends_them() {
        assert_eq!(
            typed("one\rtwo\r\nthree\n\tfour"),
            "one\ntwo\nthree\n\tfour"
        );
        assert_eq!(display_safe("one\rtwo\r\nthree"), "one two three");
        assert_eq!(output("a,b\r\nc\u{1b}[2J\u{202e}d\r\n"), "a,b\r\ncd\r\n");
    }

    #[test]
    fn json_and_errors_show_what_they_hold() {
        let json = serde_json::to_string("a\u{9b}b\u{202e}c\u{7f}").expect("json");
        let safe = json_output(&json);
        assert_eq!(safe, "\"a\\u009bb\\u202ec\\u007f\"");
        assert_eq!(
            serde_json::from_str::<String>(&safe).expect("still JSON"),
            "a\u{9b}b\u{202e}c\u{7f}"
        );
        assert_eq!(visible("bad '\u{1b}[2J'"), "bad '\\u{1b}[2J'");
        assert_eq!(display_safe("in_\u{200f}\u{61c}progress"), "in_progress");
    }

    #[test]
    fn names_and_tags_with_nothing_printable_show_as_such() {
        assert_eq!(shown_name(""), "(no name)");
        assert_eq!(shown_name("\u{1b}[2J "), "(no name)");
        assert_eq!(shown_name(" ana "), "ana");
        assert_eq!(shown_tag("\u{1b}[0m"), None);
        assert_eq!(shown_tag("#x").as_deref(), Some("#x"));
    }

    #[test]
    fn counts_say_one_or_many() {
        assert_eq!(count(1, "edit"), "1 edit");
        assert_eq!(count(2, "unsaved edit"), "2 unsaved edits");
        assert_eq!(count(0, "claim"), "0 claims");
        assert_eq!(count(313, "day"), "313 days");
        assert_eq!(count(2, "journal entry"), "2 journal entries");
    }

    #[test]
    fn keeps_text_and_newlines() {
        assert_eq!(
            sanitize("Mexico’s 中文 ✓\nnext\tcol"),
            "Mexico’s 中文 ✓\nnext col"
        );
        assert_eq!(display_safe("one\ntwo"), "one two");
        assert_eq!(sanitize("\u{202e}evil"), "evil");
    }
}
