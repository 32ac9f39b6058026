//! The help overlay's text: every key by where it works, read from the keymap, and what
//! the screen's marks mean. Kept here so that `update` can bound the help's scrolling.

use super::keymap::{BINDINGS, Scope, describe};
use super::state::Pane;
use crate::ui::theme::{CHANGE_SYMBOL, DUE_DATE_SYMBOL};

/// The scopes in the order the help lists them.
pub const SCOPES: [Scope; 15] = [
    Scope::Global,
    Scope::Pane(Pane::Claims),
    Scope::Pane(Pane::Timeline),
    Scope::Pane(Pane::Calendar),
    Scope::Picker,
    Scope::Rationale,
    Scope::Input,
    Scope::Filter,
    Scope::Confirm,
    Scope::Conflict,
    Scope::Search,
    Scope::Reader,
    Scope::Reviews,
    Scope::Details,
    Scope::Help,
];

/// The help's lines: a heading per scope, then "keys  what they do".
pub fn lines() -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for scope in SCOPES {
        out.push((scope.title().to_owned(), true));
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
            out.push((format!("  {:<18}{}", b.keys.join(" "), describe(b)), false));
        }
        out.push((String::new(), false));
    }
    out.push(("Marks".to_owned(), true));
    for line in [
        format!("  {CHANGE_SYMBOL}  the tracker's status changed at this update"),
        "  ◐ in_progress   ● complete   ✗ failed   ◇ other status".to_owned(),
        "  claims needing review: ? no verdict  +N new updates  ≠ tracker disagrees  ~ tracker".to_owned(),
        "    unstable since the review  ! follow-up due;  ⇅ the status went back and forth".to_owned(),
        "  timeline: ⊞ a folded run of one status  ✱ new since the last review  • matches the search".to_owned(),
        "  status strip: one cell per update (or group): ▁ in_progress  █ complete  ✗ failed  ? other".to_owned(),
        "  preview: ✚ what the update says first in the claim's history; = nothing new".to_owned(),
        "  follow-ups: + scheduled  * due today  ! overdue  ✓ done  × cancelled".to_owned(),
        format!("  {DUE_DATE_SYMBOL}  completion due date      reversed day: today   underlined day: the cursor"),
        "  · before a day: updates mention it   ? after a day: an update suggests it as a follow-up".to_owned(),
        "  mouse: click focuses a pane and selects a row or day; the wheel scrolls".to_owned(),
        String::new(),
        "In text fields".to_owned(),
        "  arrows, Home/End; C-Left/C-Right or A-b/A-f jump by word; C-w deletes a word".to_owned(),
        "  C-u / C-r undo and redo inside the field; pasting works as typing".to_owned(),
    ] {
        let heading = !line.is_empty() && !line.starts_with(' ');
        out.push((line, heading));
    }
    out
}
