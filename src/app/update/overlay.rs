//! Actions while an overlay or the search line has the keyboard: menus, editors,
//! questions, the reader and the search.

use super::*;

/// Actions while an overlay is open: it takes them all.
pub(super) fn overlay_action(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(overlay) = state.overlay.take() else {
        return vec![];
    };
    match overlay {
        Overlay::Details { .. } | Overlay::Reader { .. }
            if matches!(action, Action::Copy | Action::OpenSource) =>
        {
            state.overlay = Some(overlay);
            return copy_or_open(state, &action);
        }
        Overlay::Help { scroll } => {
            let (lines, page) = help_extent(state);
            let max = lines.saturating_sub(page);
            state.overlay = match action {
                Action::Close | Action::ToggleHelp => None,
                motion => Some(Overlay::Help {
                    scroll: step(scroll, &motion, max + 1, page),
                }),
            };
        }
        Overlay::Reader { scroll } => {
            let extent = reader_extent(state);
            state.overlay =
                scrolled(scroll, &action, extent).map(|scroll| Overlay::Reader { scroll });
        }
        Overlay::Reviews { scroll } => {
            let extent = reviews_extent(state);
            state.overlay =
                scrolled(scroll, &action, extent).map(|scroll| Overlay::Reviews { scroll });
        }
        Overlay::Details { scroll } => {
            let extent = details_extent(state);
            state.overlay =
                scrolled(scroll, &action, extent).map(|scroll| Overlay::Details { scroll });
        }
        Overlay::Agenda { list, window } => return agenda_action(state, list, window, action),
        Overlay::VerdictPicker {
            selected,
            then_next,
        } => {
            let chosen = match action {
                Action::PickVerdict(n) => Some(n),
                Action::Choose => Some(selected),
                _ => None,
            };
            state.overlay = match (chosen, action) {
                (Some(n), _) => Verdict::ALL.get(n).map(|&verdict| Overlay::Rationale {
                    verdict,
                    editor: rationale_editor(""),
                    then_next,
                }),
                (None, Action::Close) => None,
                (None, motion) => Some(Overlay::VerdictPicker {
                    selected: step(selected, &motion, Verdict::ALL.len(), 1),
                    then_next,
                }),
            };
        }
        Overlay::Rationale {
            verdict,
            mut editor,
            then_next,
        } => match action {
            Action::Submit => {
                let note = editor.lines().join("\n");
                if state.marked_claims().next().is_some() {
                    // A no to the question comes back here, the text as it was.
                    let editing = Overlay::Rationale {
                        verdict,
                        editor,
                        then_next,
                    };
                    return marks::verdict(state, verdict, &note, editing);
                }
                let Some(id) = state.edited_claim().map(|c| c.id.clone()) else {
                    state.set_message("Not saved: the claim is gone");
                    return vec![];
                };
                return record_verdict(state, &id, verdict, &note, then_next);
            }
            Action::Cancel => {
                cancel_typing(
                    state,
                    Overlay::Rationale {
                        verdict,
                        editor,
                        then_next,
                    },
                );
            }
            Action::EditorKey(key) => {
                type_key(&mut editor, key);
                state.overlay = Some(Overlay::Rationale {
                    verdict,
                    editor,
                    then_next,
                });
            }
            Action::Paste(text) => {
                // Terminals send CR between pasted lines; the breaks and tabs stay.
                editor.insert_str(wrap::without_joiners(text::typed(&text)));
                state.overlay = Some(Overlay::Rationale {
                    verdict,
                    editor,
                    then_next,
                });
            }
            _ => {
                state.overlay = Some(Overlay::Rationale {
                    verdict,
                    editor,
                    then_next,
                })
            }
        },
        Overlay::Input {
            purpose,
            mut editor,
            start,
        } => match action {
            Action::Submit => {
                let text = editor.lines().join(" ").trim().to_owned();
                let back = Overlay::Input {
                    purpose: purpose.clone(),
                    editor,
                    start,
                };
                return submit_input(state, purpose, back, text);
            }
            Action::Cancel => cancel_typing(
                state,
                Overlay::Input {
                    purpose,
                    editor,
                    start,
                },
            ),
            Action::EditorKey(key) => {
                type_key(&mut editor, key);
                if editor.lines().len() > 1 {
                    let joined = editor.lines().join(" ");
                    editor = crate::app::state::editor(&joined);
                }
                state.overlay = Some(Overlay::Input {
                    purpose,
                    editor,
                    start,
                });
            }
            Action::Paste(text) => {
                editor.insert_str(wrap::without_joiners(display_safe(&text)));
                state.overlay = Some(Overlay::Input {
                    purpose,
                    editor,
                    start,
                });
            }
            _ => {
                state.overlay = Some(Overlay::Input {
                    purpose,
                    editor,
                    start,
                })
            }
        },
        Overlay::FilterMenu { selected } => {
            let choices = view::filter_choices(&state.workspace);
            match action {
                Action::Choose => {
                    let filter = choices.get(selected).cloned().unwrap_or(Filter::All);
                    state.claims.filter = filter;
                    state.claims.held = None;
                    state.refresh_view(None);
                    let shown = state.claims.view.len();
                    state.set_message(format!(
                        "Showing {}: {shown} of {}",
                        state.claims.filter.label(),
                        text::count(state.workspace.claims.len(), "claim")
                    ));
                }
                Action::Close => {}
                motion => {
                    let page = main_page(state);
                    let next = step(selected, &motion, choices.len(), page);
                    state.overlay = Some(Overlay::FilterMenu { selected: next });
                }
            }
        }
        Overlay::Confirm(question) => match (question, action) {
            (Question::QuitUnsaved, Action::Yes) => {
                state.quit = true;
                return vec![Effect::DiscardUnsaved];
            }
            (Question::ChangedOnDisk, Action::Reload) => return vec![Effect::Reload],
            (Question::ChangedOnDisk, Action::SaveAsPrompt) => {
                let suggestion = format!("{}.mine", state.path.display());
                state.overlay = Some(Overlay::input(InputPurpose::SaveAs, &suggestion));
            }
            (Question::ChangedOnDisk, Action::Close) => {}
            (Question::QuitUnsaved, Action::SaveAndQuit) => return vec![Effect::SaveAndQuit],
            (Question::DiscardTyped(_), Action::Yes) => {}
            (Question::AcceptPastSuggestion(_), Action::Yes) => {
                return accept_suggestion(state, true);
            }
            (Question::AcceptPastSuggestion(_), Action::No) => {}
            (Question::DiscardTyped(back), Action::No) => state.overlay = Some(*back),
            (Question::QuitUnsaved, Action::No) => {}
            (Question::ApplyToMarked(mut marked), Action::Yes) => {
                let back = marked.back.take();
                let effects = marks::confirmed(state, *marked);
                restore(state, back);
                return effects;
            }
            (Question::ApplyToMarked(marked), Action::No) => {
                restore(state, marked.declined.or(marked.back));
            }
            (question, _) => state.overlay = Some(Overlay::Confirm(question)),
        },
    }
    vec![]
}

/// Esc in an editor: closes it, asking first when that would throw typed text away.
fn cancel_typing(state: &mut State, editing: Overlay) {
    state.overlay = editing
        .holds_typing()
        .then(|| Overlay::Confirm(Question::DiscardTyped(Box::new(editing))));
}

/// Shows again what a question was asked over: the agenda, its cursor on the follow-up
/// it was on or the row that took its place (see `settle_agenda`); the rationale.
fn restore(state: &mut State, back: Option<Box<Overlay>>) {
    match back.map(|b| *b) {
        Some(Overlay::Agenda { list, window }) => settle_agenda(state, list, window),
        other => state.overlay = other,
    }
}

/// A document overlay's scroll after `action`, bounded by its `(lines, page)`; None when
/// the action closes it.
fn scrolled(scroll: usize, action: &Action, (lines, page): (usize, usize)) -> Option<usize> {
    let max = lines.saturating_sub(page);
    (*action != Action::Close).then(|| step(scroll, action, max + 1, page).min(max))
}

/// `y` and `o`: what is selected where the keys were pressed. In the update reader and
/// the timeline, the update (its body; its first source); in the details, the claim's
/// article URL; in the list and the calendar, the claim (its title; its article).
pub(super) fn copy_or_open(state: &mut State, action: &Action) -> Vec<Effect> {
    let in_update = matches!(state.overlay, Some(Overlay::Reader { .. }))
        || (state.overlay.is_none() && state.focus == Pane::Timeline);
    if in_update && let Some(why) = state.updates_not_in() {
        state.set_message(why);
        return vec![];
    }
    let details = matches!(state.overlay, Some(Overlay::Details { .. }));
    let update = in_update.then(|| state.selected_update()).flatten();
    let Some(claim) = state.selected_claim() else {
        return vec![];
    };
    let url = match update {
        Some(u) => u.sources.first().cloned(),
        None => claim.article.url.clone(),
    }
    .filter(|u| !u.trim().is_empty());
    match action {
        Action::OpenSource => match url {
            Some(url) if wrap::is_safe_url(&url) => {
                state.set_message(format!("Opening {url}"));
                vec![Effect::Open(url)]
            }
            Some(url) => {
                let copy = state
                    .settings
                    .keymap
                    .shown(crate::app::keymap::Scope::Global, &Action::Copy);
                state.set_message(format!(
                    "Not opened: {} is not a plain http(s) address (it holds control, bidi or non-ASCII characters, or another scheme); {copy} copies it",
                    text::visible(&url)
                ));
                vec![]
            }
            None if update.is_some() => {
                state.set_message("This update names no source");
                vec![]
            }
            None => {
                state.set_message("The claim has no article URL");
                vec![]
            }
        },
        _ => {
            // Cleaned as every printed output is (`text::output`): a paste into a shell
            // runs no escape sequence, control or bidi character the tracker wrote, and a
            // title or a URL, one line of text, is one line (a line break in it could
            // run what follows it in a shell that takes a paste as typed).
            let (what, text) = match (update, details, url) {
                (Some(u), _, _) => ("the update's body", text::output(&u.body.to_string())),
                (None, true, Some(url)) => ("the article's URL", display_safe(&url)),
                _ => ("the claim's title", display_safe(&claim.title)),
            };
            state.set_message(format!(
                "Copied {what} ({})",
                text::count(text.chars().count(), "character")
            ));
            vec![Effect::Copy(text)]
        }
    }
}

/// `A`: the agenda, where it was left (the same follow-up, or the row that took its
/// place), with the same window.
pub(super) fn open_agenda(state: &mut State) {
    use crate::app::agenda;
    let window = state.agenda.window;
    let rows = agenda::rows(&state.workspace, state.today(), window);
    let mut list = ListState::default();
    if let Some(at) = &state.agenda.at {
        list.selected = agenda::place(&rows, &state.workspace, at);
    }
    agenda::reveal(&mut list, &rows, agenda_page(state));
    state.overlay = Some(Overlay::Agenda { list, window });
}

/// Keys in the agenda: move by row or section, mark rows (one, a range, a section), act
/// on the row's follow-up or the marked ones, go to its claim and day. After an edit the
/// cursor stays on its follow-up, or goes to the row that took its place.
fn agenda_action(
    state: &mut State,
    mut list: ListState,
    mut window: u32,
    action: Action,
) -> Vec<Effect> {
    use crate::app::agenda::{self, Section};
    let rows = agenda::rows(&state.workspace, state.today(), window);
    let page = agenda_page(state);
    let row = rows.get(list.selected).cloned();
    let mut at = row.as_ref().and_then(|r| r.at(&state.workspace));
    let mut effects = vec![];
    match action {
        Action::Close => {
            state.agenda.at = at;
            state.agenda.window = window;
            return vec![];
        }
        Action::Open => {
            state.agenda.at = at;
            state.agenda.window = window;
            if let Some(r) = row {
                go_to_follow_up(state, r.claim, r.date, r.nth);
            }
            return vec![];
        }
        Action::ToggleMark => {
            if let Some(here) = at.clone() {
                marks::toggle_follow_up(state, here.clone());
                state.agenda.anchor = Some(here);
                list.selected = step(list.selected, &Action::Down, rows.len(), page);
                at = rows.get(list.selected).and_then(|r| r.at(&state.workspace));
            }
        }
        Action::MarkRange => match state.agenda.anchor.clone() {
            Some(anchor) if at.is_some() => {
                let from = agenda::place(&rows, &state.workspace, &anchor);
                let (a, b) = (from.min(list.selected), from.max(list.selected));
                let range = rows[a..=b.min(rows.len().saturating_sub(1))]
                    .iter()
                    .filter_map(|r| r.at(&state.workspace))
                    .collect();
                marks::set_follow_ups(state, range);
            }
            _ => {
                let keymap = &state.settings.keymap;
                let mark = keymap.shown(super::super::keymap::Scope::Agenda, &Action::ToggleMark);
                state.set_message(format!(
                    "{mark} marks a row first; then this marks every row from it to the cursor"
                ));
            }
        },
        Action::MarkSection if rows.is_empty() => state.set_message("No follow-up here to mark"),
        Action::MarkSection => {
            let section = agenda::section_rows(&rows, list.selected);
            let all = rows[section]
                .iter()
                .filter_map(|r| r.at(&state.workspace))
                .collect();
            marks::set_follow_ups(state, all);
        }
        Action::NextSection | Action::PrevSection | Action::Today => {
            let here = row.as_ref().map(|r| Section::of(r.due));
            let goal = match action {
                Action::Today => Some(Section::Today),
                Action::NextSection => Section::ALL
                    .into_iter()
                    .find(|s| Some(*s) > here && agenda::first_of(&rows, *s).is_some()),
                // Inside a section: its first row; on it, the section before.
                _ => here
                    .filter(|s| agenda::first_of(&rows, *s).is_some_and(|i| i < list.selected))
                    .or_else(|| {
                        Section::ALL
                            .into_iter()
                            .rev()
                            .find(|s| Some(*s) < here && agenda::first_of(&rows, *s).is_some())
                    }),
            };
            match goal.and_then(|s| agenda::first_of(&rows, s).map(|i| (s, i))) {
                Some((_, i)) => {
                    list.selected = i;
                    at = rows[i].at(&state.workspace);
                }
                None if action == Action::Today => state.set_message("Nothing is due today"),
                None => state.set_message("No other section"),
            }
        }
        Action::ClearMarks => marks::clear(state, MarkKind::FollowUps),
        Action::ToggleDone | Action::CancelFollowUp | Action::MoveFollowUp(_)
            if !state.marks.follow_ups.is_empty() =>
        {
            if let Some(why) = state.refusal(&action) {
                state.set_message(why);
            } else {
                state.agenda.at = at;
                state.agenda.window = window;
                return marks::follow_ups(state, &action, Overlay::Agenda { list, window });
            }
        }
        Action::ToggleDone | Action::CancelFollowUp | Action::MoveFollowUp(_) => {
            if let Some(why) = state.refusal(&action) {
                state.set_message(why);
            } else if let Some(here) = at.clone() {
                // The cursor stays on its follow-up (a moved one: where it went, see
                // `marks::follow`); a done one gives it to the row that takes its place.
                state.agenda.at = Some(here.clone());
                effects = follow_up_action(state, &Target::At(here), &action);
                at = state.agenda.at.clone();
            }
        }
        // The question before a batch says undo takes it back: here too, without
        // leaving the agenda.
        Action::Undo | Action::Redo if state.refusal(&action).is_some() => {
            if let Some(why) = state.refusal(&action) {
                state.set_message(why);
            }
        }
        Action::Undo => effects = undo(state, true),
        Action::Redo => effects = undo(state, false),
        Action::WidenAgenda => window = (window + 7).min(agenda::MAX_WINDOW),
        Action::NarrowAgenda => window = window.saturating_sub(7),
        motion => {
            list.selected = step(list.selected, &motion, rows.len(), page);
            at = rows.get(list.selected).and_then(|r| r.at(&state.workspace));
        }
    }
    state.agenda.at = at;
    state.agenda.window = window;
    settle_agenda(state, list, window);
    effects
}

/// Shows the agenda again after a change, its cursor on the follow-up it was on (see
/// `AgendaPlace::at`), or on the row that took its place.
fn settle_agenda(state: &mut State, mut list: ListState, window: u32) {
    use crate::app::agenda;
    let rows = agenda::rows(&state.workspace, state.today(), window);
    if let Some(at) = &state.agenda.at {
        list.selected = agenda::place(&rows, &state.workspace, at);
    }
    agenda::reveal(&mut list, &rows, agenda_page(state));
    state.overlay = Some(Overlay::Agenda { list, window });
}

/// Selects the claim (showing every claim if a filter or search hid it), focuses the
/// calendar and puts its cursor on `date`, on its `nth` follow-up.
fn go_to_follow_up(state: &mut State, claim: usize, date: NaiveDate, nth: usize) {
    let Some(id) = state.workspace.claims.get(claim).map(|c| c.id.clone()) else {
        return;
    };
    if !state.claims.view.contains(&claim) {
        let hid = match (&state.search, &state.claims.filter) {
            (Some(_), _) => "the search".to_owned(),
            (None, filter) => format!("the filter ({})", filter.label()),
        };
        state.search = None;
        state.claims.filter = Filter::All;
        state.claims.held = None;
        state.set_message(format!("Showing every claim: {hid} hid this one"));
    }
    state.refresh_view(Some(&id));
    if let Some(at) = state.claims.view.iter().position(|&i| i == claim) {
        let rows = state.claim_rows();
        let len = state.claims.view.len();
        state.claims.list.select(at, len, rows);
        state.claim_changed();
    }
    state.focus = Pane::Calendar;
    state.calendar.cursor = date;
    state.calendar.pick = Some((date, nth));
}

/// A key typed into a text field: the text area's own editing keys, except `C-u`, which
/// deletes to the start of the line as in readline (`C-_` undoes instead).
fn type_key(editor: &mut ratatui_textarea::TextArea<'static>, key: crossterm::event::KeyEvent) {
    use crossterm::event::{KeyCode, KeyModifiers};
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => {
            editor.delete_line_by_head();
        }
        // Terminals send C-_ and C-/ as the same byte, which crossterm reads as C-7.
        KeyCode::Char('_' | '/' | '7') if ctrl => {
            editor.undo();
        }
        // Fields keep no emoji joiners (see `wrap::without_joiners`).
        KeyCode::Char(c) if crate::wrap::joins_emoji(c) => {}
        _ => {
            editor.input(key);
        }
    }
}

/// Keys while the search line has the keyboard: typing searches as you go.
pub(super) fn search_line(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(search) = &mut state.search else {
        return vec![];
    };
    let Some(editor) = &mut search.editor else {
        return vec![];
    };
    match action {
        Action::EditorKey(key) => type_key(editor, key),
        Action::Paste(text) => {
            editor.insert_str(wrap::without_joiners(display_safe(&text)));
        }
        Action::Submit => {
            search.editor = None;
            if search.query.trim().is_empty() {
                state.search = None;
            }
            return vec![];
        }
        Action::Cancel => {
            clear_search(state);
            return vec![];
        }
        _ => return vec![],
    }
    let text = editor.lines().join(" ");
    if text == search.query {
        return vec![];
    }
    search.query = text;
    search.generation += 1;
    let generation = search.generation;
    let query = search.query.trim().to_owned();
    if query.is_empty() {
        search.results = None;
        state.claims.held = None;
        state.refresh_view(None);
        return vec![];
    }
    vec![Effect::Search { generation, query }]
}

/// Ends the search: the list shows every claim again, in its own order.
pub(super) fn clear_search(state: &mut State) {
    if state.search.take().is_some() {
        state.claims.held = None;
        state.refresh_view(None);
        state.set_message("Search cleared");
    }
}

pub(super) fn search_done(
    state: &mut State,
    generation: u64,
    results: std::sync::Arc<crate::search::Results>,
) {
    let Some(search) = &mut state.search else {
        return;
    };
    if search.generation != generation {
        return;
    }
    search.results = Some(results);
    state.claims.held = None;
    state.refresh_view(None);
}

/// Selects the next (or previous) update, newest first, that matches the search.
pub(super) fn jump_match(state: &mut State, forward: bool) {
    let Some(hit) = state.search_hit() else {
        state.set_message("No search, or no match in this claim: / searches");
        return;
    };
    let n = state.update_count();
    // Matching positions in newest-first order.
    let mut positions: Vec<usize> = hit.updates.iter().map(|&i| n - 1 - i).collect();
    positions.sort_unstable();
    let current = state.selected_update_index().unwrap_or(0);
    let next = if forward {
        positions
            .iter()
            .copied()
            .find(|&p| p > current)
            .or(positions.first().copied())
    } else {
        positions
            .iter()
            .rev()
            .copied()
            .find(|&p| p < current)
            .or(positions.last().copied())
    };
    if let Some(p) = next {
        let index = positions.iter().position(|&x| x == p).map_or(0, |i| i + 1);
        reveal_update(state, p);
        state.set_message(format!("Match {index} of {}", positions.len()));
    }
}

/// Enter in a one-line input: `back` is the input as it was, shown again when the
/// text is refused.
pub(super) fn submit_input(
    state: &mut State,
    purpose: InputPurpose,
    back: Overlay,
    text: String,
) -> Vec<Effect> {
    if purpose == InputPurpose::GoToDay {
        match crate::app::state::parse_day(&text, state.calendar.cursor, state.today()) {
            Ok(day) => {
                state.calendar.cursor = day;
                state.set_message(format!("{}", day.format("%a %b %-d, %Y")));
            }
            Err(why) => {
                state.set_message(why);
                state.overlay = Some(back);
            }
        }
        return vec![];
    }
    if purpose == InputPurpose::SaveAs {
        if text.is_empty() {
            state.overlay = Some(back);
            return vec![];
        }
        return vec![Effect::SaveAs(std::path::PathBuf::from(text))];
    }
    if let InputPurpose::MarkedTags { common, .. } = &purpose {
        let text = wrap::keep_joiners(&tags_text(common), &text);
        return marks::tags(state, common, parse_tags(&text), back);
    }
    let Some(claim) = state.edited_claim() else {
        state.set_message("Not saved: the claim is gone");
        return vec![];
    };
    let id = claim.id.clone();
    match purpose {
        InputPurpose::SaveAs | InputPurpose::GoToDay | InputPurpose::MarkedTags { .. } => vec![],
        InputPurpose::Title => {
            if text.is_empty() {
                state.set_message("A title cannot be empty");
                state.overlay = Some(back);
                return vec![];
            }
            let text = wrap::keep_joiners(&claim.title, &text);
            if text == claim.title {
                return vec![];
            }
            commit(
                state,
                Edit::SetTitle {
                    claim: id,
                    title: text,
                },
            )
        }
        InputPurpose::Assignee => {
            let assignee = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
            if assignee == claim.assigned_to {
                return vec![];
            }
            commit(
                state,
                Edit::Assign {
                    claim: id,
                    assignee,
                },
            )
        }
        InputPurpose::Tags => {
            let tags = parse_tags(&wrap::keep_joiners(&tags_text(&claim.tags), &text));
            if tags == claim.tags {
                return vec![];
            }
            commit(state, Edit::SetTags { claim: id, tags })
        }
        InputPurpose::NewFollowUp(date) => {
            let follow_up = FollowUp {
                note: text,
                ..FollowUp::scheduled(date)
            };
            commit(
                state,
                Edit::AddFollowUp {
                    claim: id,
                    follow_up,
                },
            )
        }
        InputPurpose::FollowUpNote(date, nth) => {
            let found = claim.follow_up_index(date, nth);
            let Some(old) = found.and_then(|i| claim.follow_ups.get(i)) else {
                state.set_message(format!(
                    "NOT SAVED: the {} follow-up is gone (deleted or moved meanwhile); your note: {}",
                    date.format("%b %-d"),
                    crate::model::display_safe(&text)
                ));
                return vec![];
            };
            let text = wrap::keep_joiners(&old.note, &text);
            if old.note == text {
                return vec![];
            }
            let label = format!("the {} follow-up's note", date.format("%b %-d"));
            let follow_up = FollowUp {
                note: text,
                ..old.clone()
            };
            commit_as(
                state,
                Edit::ReplaceFollowUp {
                    claim: id,
                    date,
                    nth,
                    follow_up,
                    at: 0,
                },
                label,
            )
        }
    }
}

/// Tags as the tag input shows them: separated by commas.
pub(super) fn tags_text(tags: &[String]) -> String {
    tags.join(", ")
}

/// Tags as typed: separated by commas, a leading `#` dropped, each once.
fn parse_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in text.split(',').map(|t| t.trim().trim_start_matches('#')) {
        if !t.is_empty() && !tags.iter().any(|x| x == t) {
            tags.push(t.to_owned());
        }
    }
    tags
}
