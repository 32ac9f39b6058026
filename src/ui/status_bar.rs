//! The status bar: the workspace path, counts, the latest message, and the keys that
//! matter where the focus is (read from the keymap, so they always match).

use super::{put, theme};
use crate::app::keymap::{Scope, active_scopes, offered};
use crate::app::{Action, Pane, State};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

pub fn draw(buf: &mut Buffer, area: Rect, state: &State) {
    let totals = state.claims.totals;
    let need = totals.to_review;
    let save = match (&state.save.error, state.save.unsaved) {
        _ if state.save.in_memory_only > 0 => {
            format!(" · {} IN MEMORY ONLY", state.save.in_memory_only)
        }
        (Some(_), _) => " · SAVE FAILED".to_owned(),
        // A database's queue: verdicts kept on this machine until the server takes them.
        _ if state.save.queued > 0 => format!(" · {} QUEUED", state.save.queued),
        _ if state.save.away.is_some() => " · SERVER AWAY".to_owned(),
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
    // A database's claim list comes first, the updates' bodies after it.
    let reading = match state.claims_awaiting() {
        0 => String::new(),
        n => format!(
            " · reading updates {}%",
            100 - n * 100 / totals.claims.max(1)
        ),
    };
    let counts = format!(
        " {} · {} unreviewed · {need} to review · {} due{reading}{save} ",
        crate::model::text::count(totals.claims, "claim"),
        totals.unreviewed,
        crate::model::text::count(totals.follow_ups_due, "follow-up"),
    );
    let counts = format!("{mode}{counts}");
    let bar = Style::new().add_modifier(Modifier::REVERSED);
    buf.set_style(Rect::new(area.x, area.y, area.width, 1), bar);
    let path = format!(" {}", state.path.display());
    let counts_w = crate::wrap::width(&counts) as u16;
    let path_w = area.width.saturating_sub(counts_w);
    put(buf, area.x, area.y, &path, path_w, bar);
    let counts_style = if state.save.error.is_some()
        || state.settings.read_only
        || state.save.queued > 0
        || state.save.away.is_some()
    {
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
        draw_search_line(
            buf,
            area.x,
            y,
            area.width,
            search,
            editor,
            &state.settings().keymap,
        );
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
        // The way around (Tab, ?) stays at the end of the row when the message leaves
        // room for it; a message that needs the whole row has it.
        let way = hints(state, 20);
        let (msg_w, way_w) = (crate::wrap::width(message), crate::wrap::width(&way));
        if !way.is_empty() && 1 + msg_w + 3 + way_w < usize::from(area.width) {
            let x = area.right() - 1 - way_w as u16;
            put(buf, x, y, &way, way_w as u16, theme::dim());
        }
        return;
    }
    // Who records the verdicts (as the reviews will name them), at the end of the keys.
    let who = format!(
        "as {} ",
        crate::wrap::truncate(&state.settings.reviewer, 24)
    );
    let who_w = crate::wrap::width(&who) as u16;
    let room = area.width.saturating_sub(1 + who_w + 2);
    let hints = hints(state, usize::from(room));
    put(buf, area.x + 1, y, &hints, room, theme::dim());
    put(
        buf,
        area.right().saturating_sub(who_w),
        y,
        &who,
        who_w,
        theme::heading(),
    );
}

/// A key worth a hint: the actions it names, its label, and its priority (0 shows first
/// on a narrow screen: the keys that lead everywhere else).
type Hint = (&'static [Action], &'static str, u8);

/// The few keys worth a hint in each context. Keys are looked up in the keymap, so a
/// hint can only show a key that really does it.
fn hint_table(scope: Scope) -> &'static [Hint] {
    use Action::*;
    match scope {
        Scope::Pane(Pane::Claims) => &[
            (&[Down, Up], "move", 2),
            (&[NextNeedsReview], "next to review", 2),
            (&[EditTitle], "title", 2),
            (&[CycleSort], "sort", 2),
            (&[OpenFilter], "filter", 2),
            (&[ToggleMark], "mark", 3),
        ],
        Scope::Pane(Pane::Timeline) => &[
            (&[Down, Up], "move", 2),
            (&[Open], "read", 2),
            (&[AcceptSuggestion], "accept suggestion", 2),
            (&[NextMatch, PrevMatch], "match", 2),
        ],
        Scope::Pane(Pane::Calendar) => &[
            (&[PrevDay, NextDay], "day", 2),
            (&[NextWeek, PrevWeek], "week", 2),
            (&[AddFollowUp], "add", 2),
            (&[ToggleDone], "done", 2),
            (&[EditNote], "note", 2),
            (&[MoveFollowUp(1), MoveFollowUp(-1)], "move", 2),
            (&[GoToDayPrompt], "go to", 3),
        ],
        Scope::Global => &[
            (&[FocusNext], "panes", 0),
            (&[OpenVerdict], "verdict", 1),
            (&[OpenSearch], "search", 2),
            (&[ShowDetails], "details", 3),
            (&[ToggleZoom], "zoom", 3),
            (&[Undo], "undo", 2),
            (&[ToggleHelp], "help", 0),
            (&[Quit], "quit", 1),
        ],
        Scope::Picker => &[
            (&[Down, Up], "move", 2),
            (&[Choose], "choose", 2),
            (&[Close], "cancel", 2),
        ],
        Scope::Rationale => &[(&[Submit], "record", 2), (&[Cancel], "cancel", 2)],
        Scope::Input => &[(&[Submit], "accept", 2), (&[Cancel], "cancel", 2)],
        Scope::Filter => &[
            (&[Down, Up], "move", 2),
            (&[Choose], "apply", 2),
            (&[Close], "cancel", 2),
        ],
        Scope::Confirm => &[
            (&[Yes], "yes", 2),
            (&[SaveAndQuit], "save, then quit", 2),
            (&[No], "no", 2),
        ],
        Scope::Search => &[(&[Submit], "keep", 2), (&[Cancel], "clear", 2)],
        Scope::Conflict => &[
            (&[Reload], "reload", 2),
            (&[SaveAsPrompt], "save as", 2),
            (&[Close], "later", 2),
        ],
        Scope::Reader | Scope::Reviews | Scope::Details => {
            &[(&[Down, Up], "scroll", 2), (&[Close], "close", 2)]
        }
        Scope::Help => &[(&[Down, Up], "scroll", 2), (&[Close], "close", 2)],
        Scope::Agenda => &[
            (&[Down, Up], "move", 2),
            (&[ToggleDone], "done", 1),
            (&[CancelFollowUp], "cancel", 2),
            (&[MoveFollowUp(-1), MoveFollowUp(1)], "move a day", 2),
            (&[Open], "go to", 1),
            (&[NarrowAgenda, WidenAgenda], "window", 2),
            (&[ToggleMark], "mark", 2),
            (&[Close], "close", 0),
        ],
    }
}

/// "keys label" hints for the context that fit in `width` columns: chosen by priority
/// (then by their order), shown in their order.
pub fn hints(state: &State, width: usize) -> String {
    let mut parts = Vec::new();
    for &scope in active_scopes(state) {
        for (actions, label, priority) in hint_table(scope) {
            // A read-only session offers no key that it would refuse; n/N wait for a search.
            let searching = state
                .search
                .as_ref()
                .is_some_and(|s| s.active_results().is_some());
            let keys: Vec<&str> = actions
                .iter()
                .filter(|a| !(a.changes_workspace() && state.refusal(a).is_some()))
                .filter(|a| offered(state, a))
                .filter(|a| searching || !matches!(a, Action::NextMatch | Action::PrevMatch))
                .filter_map(|a| state.settings.keymap.key(scope, a))
                .collect();
            if !keys.is_empty() {
                parts.push((*priority, format!("{} {label}", keys.join("/"))));
            }
        }
    }
    let mut by_priority: Vec<usize> = (0..parts.len()).collect();
    by_priority.sort_by_key(|&i| parts[i].0);
    let mut chosen = vec![false; parts.len()];
    let mut used = 0;
    for i in by_priority {
        let w = crate::wrap::width(&parts[i].1) + if used == 0 { 0 } else { 2 };
        if used + w <= width {
            chosen[i] = true;
            used += w;
        }
    }
    parts
        .into_iter()
        .zip(chosen)
        .filter_map(|((_, hint), shown)| shown.then_some(hint))
        .collect::<Vec<_>>()
        .join("  ")
}

/// The search line: what is typed, and what it found so far.
fn draw_search_line(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    width: u16,
    search: &crate::app::state::SearchState,
    editor: &ratatui_textarea::TextArea<'static>,
    keymap: &crate::app::keymap::Keymap,
) {
    use ratatui::widgets::Widget;
    let found = if search.query.trim().is_empty() {
        format!(
            "titles (fuzzy), tags, rationales, updates · {} keeps · {} clears",
            keymap.shown(Scope::Search, &Action::Submit),
            keymap.shown(Scope::Search, &Action::Cancel)
        )
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
