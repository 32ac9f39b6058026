//! The status bar: the workspace path, counts, the latest message, and the keys that
//! matter where the focus is (read from the keymap, so they always match).

use super::{put, theme};
use crate::app::keymap::{BINDINGS, Scope, active_scopes};
use crate::app::{Action, Pane, State};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

pub fn draw(buf: &mut Buffer, area: Rect, state: &State) {
    let totals = state.claims.totals;
    let need = state.claims.need_review;
    let save = match (&state.save.error, state.save.unsaved) {
        _ if state.save.in_memory_only > 0 => {
            format!(" · {} IN MEMORY ONLY", state.save.in_memory_only)
        }
        (Some(_), _) => " · SAVE FAILED".to_owned(),
        (None, 0) => String::new(),
        // With autosave, edits wait in the journal (durable) for a pause in editing.
        (None, n) if state.settings.autosave => format!(" · {n} journaled"),
        (None, n) => format!(" · {n} unsaved"),
    };
    // Read-only shows all the time, not only when an edit is refused.
    let mode = if state.settings.read_only {
        " READ-ONLY ·"
    } else {
        ""
    };
    let counts = format!(
        "{mode} {} · {} unreviewed · {need} to review · {} due{save} ",
        crate::model::text::count(totals.claims, "claim"),
        totals.unreviewed,
        crate::model::text::count(totals.follow_ups_due, "follow-up"),
    );
    let bar = Style::new().add_modifier(Modifier::REVERSED);
    buf.set_style(Rect::new(area.x, area.y, area.width, 1), bar);
    let path = format!(" {}", state.path.display());
    let counts_w = crate::wrap::width(&counts) as u16;
    let path_w = area.width.saturating_sub(counts_w);
    put(buf, area.x, area.y, &path, path_w, bar);
    let counts_style = if state.save.error.is_some() || state.settings.read_only {
        bar.patch(theme::error())
    } else {
        bar
    };
    put(
        buf,
        area.x + path_w,
        area.y,
        &counts,
        counts_w.min(area.width),
        counts_style,
    );

    let y = area.y + 1;
    if let Some(search) = &state.search
        && let Some(editor) = &search.editor
    {
        draw_search_line(buf, area.x, y, area.width, search, editor);
        return;
    }
    if let Some(message) = &state.message {
        put(
            buf,
            area.x + 1,
            y,
            message,
            area.width.saturating_sub(1),
            theme::message(),
        );
        return;
    }
    let hints = hints(state);
    put(
        buf,
        area.x + 1,
        y,
        &hints,
        area.width.saturating_sub(1),
        theme::dim(),
    );
}

/// The few keys worth a hint in each context, as (actions, label). Keys are looked up in
/// the keymap, so a hint can only show a key that really does it.
fn hint_table(scope: Scope) -> &'static [(&'static [Action], &'static str)] {
    use Action::*;
    match scope {
        Scope::Pane(Pane::Claims) => &[
            (&[Down, Up], "move"),
            (&[NextNeedsReview], "next to review"),
            (&[EditTitle], "title"),
            (&[CycleSort], "sort"),
            (&[OpenFilter], "filter"),
        ],
        Scope::Pane(Pane::Timeline) => &[
            (&[Down, Up], "move"),
            (&[Open], "read"),
            (&[AcceptSuggestion], "accept suggestion"),
            (&[NextMatch, PrevMatch], "match"),
        ],
        Scope::Pane(Pane::Calendar) => &[
            (&[PrevDay, NextDay], "day"),
            (&[NextWeek, PrevWeek], "week"),
            (&[AddFollowUp], "add"),
            (&[ToggleDone], "done"),
            (&[EditNote], "note"),
            (&[MoveFollowUp(1), MoveFollowUp(-1)], "move"),
        ],
        Scope::Global => &[
            (&[OpenVerdict], "verdict"),
            (&[OpenSearch], "search"),
            (&[Undo], "undo"),
            (&[ToggleHelp], "help"),
            (&[Quit], "quit"),
        ],
        Scope::Picker => &[
            (&[Down, Up], "move"),
            (&[Choose], "choose"),
            (&[Close], "cancel"),
        ],
        Scope::Rationale => &[(&[Submit], "record"), (&[Cancel], "cancel")],
        Scope::Input => &[(&[Submit], "accept"), (&[Cancel], "cancel")],
        Scope::Filter => &[
            (&[Down, Up], "move"),
            (&[Choose], "apply"),
            (&[Close], "cancel"),
        ],
        Scope::Confirm => &[(&[Yes], "yes"), (&[No], "no")],
        Scope::Search => &[(&[Submit], "keep"), (&[Cancel], "clear")],
        Scope::Conflict => &[
            (&[Reload], "reload"),
            (&[SaveAsPrompt], "save as"),
            (&[Close], "later"),
        ],
        Scope::Reader | Scope::Reviews | Scope::Details => {
            &[(&[Down, Up], "scroll"), (&[Close], "close")]
        }
        Scope::Help => &[(&[Down, Up], "scroll"), (&[Close], "close")],
    }
}

/// The first key bound to `action` in `scope`.
fn key_for(scope: Scope, action: &Action) -> Option<&'static str> {
    BINDINGS
        .iter()
        .find(|b| b.scope == scope && b.action == *action)
        .and_then(|b| b.keys.first().copied())
}

/// "keys label" hints for the context.
pub fn hints(state: &State) -> String {
    let mut parts = Vec::new();
    for &scope in active_scopes(state) {
        for (actions, label) in hint_table(scope) {
            // A read-only session offers no key that it would refuse.
            let keys: Vec<&str> = actions
                .iter()
                .filter(|a| !(state.settings.read_only && a.changes_workspace()))
                .filter_map(|a| key_for(scope, a))
                .collect();
            if !keys.is_empty() {
                parts.push(format!("{} {label}", keys.join("/")));
            }
        }
    }
    parts.join("  ")
}

/// The search line: what is typed, and what it found so far.
fn draw_search_line(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    search: &crate::app::state::SearchState,
    editor: &ratatui_textarea::TextArea<'static>,
) {
    use ratatui::widgets::Widget;
    let found = if search.query.trim().is_empty() {
        "titles (fuzzy), tags, rationales, updates · Enter keeps · Esc clears".to_owned()
    } else if search.pending() {
        "searching…".to_owned()
    } else {
        let hits = search.active_results().map_or(0, |r| r.hits.len());
        let updates: usize = search
            .active_results()
            .map_or(0, |r| r.hits.iter().map(|h| h.updates.len()).sum());
        format!(
            "{} · {}",
            crate::model::text::count(hits, "claim"),
            crate::model::text::count(updates, "update")
        )
    };
    let found_w = (crate::wrap::width(&found) as u16 + 2).min(width / 2);
    put(buf, x + 1, y, "/", 1, theme::heading());
    let field = Rect::new(x + 3, y, width.saturating_sub(found_w + 4), 1);
    editor.render(field, buf);
    put(buf, x + width - found_w, y, &found, found_w, theme::dim());
}
