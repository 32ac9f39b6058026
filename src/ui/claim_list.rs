//! The claim list pane: per claim its title, the reviewer's verdict, the tracker's
//! latest status, its update count and its next follow-up, overdue ones marked.

use super::{fill_row, fitted_title, pane_block, put, theme};
use crate::app::keymap::Scope;
use crate::app::layout::CLAIM_ROW_HEIGHT;
use crate::app::{Action, Pane, State};
use crate::model::Claim;
use crate::wrap;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

pub fn draw(buf: &mut Buffer, area: Rect, state: &State) {
    let focused = state.overlay.is_none() && state.focus == Pane::Claims;
    let total = state.workspace.claims.len();
    let shown = state.claims.view.len();
    let position = if shown == 0 {
        0
    } else {
        state.claims.list.selected + 1
    };
    let count = if shown == total {
        format!("{position}/{total}")
    } else {
        format!("{position}/{shown} of {total}")
    };
    let search = state.search.as_ref().filter(|s| !s.query.trim().is_empty());
    // Without a sort of its own, the list shows a search's hits best first.
    let by_match = state.claims.sort == crate::app::view::Sort::File
        && search.is_some_and(|s| s.active_results().is_some());
    // On a narrow pane the defaults (by file, all) go first, then the search's words;
    // the marks and the count stay.
    let default = |is: bool| if is { 4 } else { 2 };
    // A search over bodies still being read is partial until they are all in.
    let count = if search.is_some() && state.claims_awaiting() > 0 {
        format!("{count} so far")
    } else {
        count
    };
    let mut parts = vec![(count, 0)];
    parts.push(if by_match {
        ("by match".to_owned(), 1)
    } else {
        let sort = state.claims.sort;
        (
            sort.label().to_owned(),
            default(sort == crate::app::view::Sort::File),
        )
    });
    let filter = &state.claims.filter;
    parts.push((
        filter.label(),
        default(*filter == crate::app::view::Filter::All),
    ));
    if let Some(s) = search {
        parts.push((format!("/{}", s.query.trim()), 1));
    }
    let marked = state.marked_claims().count();
    if marked > 0 {
        parts.push((format!("{} {marked} marked", theme::MARK_SYMBOL), 0));
    }
    let title = fitted_title(Pane::Claims, state, &parts, area.width);
    let inner = pane_block(buf, area, title, focused);
    if total == 0 {
        put(
            buf,
            inner.x + 1,
            inner.y,
            "No claims yet.",
            inner.width.saturating_sub(1),
            theme::dim(),
        );
        put(
            buf,
            inner.x + 1,
            inner.y + 1,
            "Add some: claimdesk import FILE…",
            inner.width.saturating_sub(1),
            theme::dim(),
        );
        return;
    }
    if shown == 0 {
        let searching = state
            .search
            .as_ref()
            .is_some_and(|s| !s.query.trim().is_empty());
        let text = if searching && state.claims_awaiting() > 0 {
            // Bodies still being read: the search runs again once they are all in.
            "No claim matches the search so far; update bodies are still being read from the database.".to_owned()
        } else if searching {
            format!(
                "No claim matches the search; {} clears it.",
                state
                    .settings()
                    .keymap
                    .shown(Scope::Pane(Pane::Claims), &Action::ClearSearch)
            )
        } else {
            format!(
                "No claim matches {}; f changes the filter.",
                state.claims.filter.label()
            )
        };
        put(
            buf,
            inner.x + 1,
            inner.y,
            &text,
            inner.width.saturating_sub(1),
            theme::dim(),
        );
        return;
    }
    let rows = usize::from(inner.height / CLAIM_ROW_HEIGHT);
    let offset = state.claims.list.offset;
    for (slot, claim) in state.visible_claims().skip(offset).take(rows).enumerate() {
        let y = inner.y + slot as u16 * CLAIM_ROW_HEIGHT;
        let selected = offset + slot == state.claims.list.selected;
        draw_claim(buf, inner, y, claim, state, selected, focused);
    }
}

fn draw_claim(
    buf: &mut Buffer,
    inner: Rect,
    y: u16,
    claim: &Claim,
    state: &State,
    selected: bool,
    focused: bool,
) {
    let x = inner.x;
    let w = inner.width;
    if state.marks().claims.contains(&claim.id) {
        put(buf, x, y, theme::MARK_SYMBOL, 1, theme::marked());
    } else {
        put(
            buf,
            x,
            y,
            if selected { "›" } else { " " },
            1,
            theme::heading(),
        );
    }
    // The review queue's marks lead the line (? +N ≠ !), then the tags, then the title.
    let end = x + w;
    let mut tx = x + 1;
    let mut marks = state.needs_review(claim).marks();
    if claim.status_flip_flops() {
        marks.push_str(theme::FLIP_SYMBOL);
    }
    if !marks.is_empty() {
        tx = put(
            buf,
            tx,
            y,
            &marks,
            end.saturating_sub(tx),
            theme::needs_review(),
        );
        tx += 1;
    }
    // Tags take at most half of what is left, so the title always shows; the rest are
    // counted. A tag with nothing printable in it is not shown.
    let tags: Vec<String> = claim
        .tags
        .iter()
        .filter_map(|t| crate::model::text::shown_tag(t))
        .map(|t| format!("#{t}"))
        .collect();
    let budget = tx.saturating_add(end.saturating_sub(tx) / 2);
    for (i, tag) in tags.iter().enumerate() {
        let rest = tags.len() - i;
        let more = format!("+{rest}");
        let w = crate::wrap::width(tag) as u16;
        // Room for this tag, and for the count of the others if any follow.
        let after = if rest > 1 { more.len() as u16 + 1 } else { 0 };
        if tx + w + 1 + after > budget {
            tx = put(buf, tx, y, &more, end.saturating_sub(tx), theme::tag());
            tx += 1;
            break;
        }
        tx = put(buf, tx, y, tag, end.saturating_sub(tx), theme::tag());
        tx += 1;
    }
    put(
        buf,
        tx.min(end),
        y,
        &claim.title,
        end.saturating_sub(tx),
        theme::heading(),
    );

    // Second line: verdict, status, updates, next follow-up; as much as fits.
    let verdict = claim.verdict();
    let verdict_text = verdict.map_or("unreviewed", |v| v.as_str());
    let status = claim.latest_status().unwrap_or("no updates");
    let symbol = theme::status_symbol(status);
    let count = claim.updates.len();
    let next = claim.next_follow_up().map(|f| (f.date, f.due(state.today)));
    let next_style = next.map_or(Style::new(), |(_, due)| theme::due_style(due));
    // Who has the claim on a desk: last, and kept in every variant.
    // And who else has it open now (on a database): ◎ben.
    let here = state
        .presence
        .get(&claim.id)
        .map_or(String::new(), |roles| {
            roles
                .iter()
                .map(|r| format!("◎{}", crate::model::text::short_name(r)))
                .collect::<Vec<_>>()
                .join(" ")
        });
    let assignee = (
        [
            claim.assigned_to.as_deref().map_or(String::new(), |a| {
                format!("@{}", crate::model::text::short_name(a))
            }),
            here,
        ]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" "),
        theme::tag(),
    );
    let variants: [Vec<(String, Style)>; 3] = [
        vec![
            (format!("{symbol} {status}"), theme::status_style(status)),
            (crate::model::text::count(count, "update"), Style::new()),
            (
                next.map_or(String::new(), |(d, due)| {
                    format!("next {} ({})", d.format("%b %-d"), theme::due_word(due))
                }),
                next_style,
            ),
            assignee.clone(),
        ],
        vec![
            (format!("{symbol} {status}"), theme::status_style(status)),
            (format!("{count} upd"), Style::new()),
            (
                next.map_or(String::new(), |(d, due)| {
                    format!("{}{}", theme::due_symbol(due), d.format("%b %-d"))
                }),
                next_style,
            ),
            assignee.clone(),
        ],
        vec![
            (symbol.to_owned(), theme::status_style(status)),
            (format!("{count}u"), Style::new()),
            (
                next.map_or(String::new(), |(d, due)| {
                    format!("{}{}", theme::due_symbol(due), d.format("%b %-d"))
                }),
                next_style,
            ),
            assignee,
        ],
    ];
    let width_of = |parts: &[(String, Style)], sep: &str| {
        wrap::width(verdict_text)
            + parts
                .iter()
                .filter(|(t, _)| !t.is_empty())
                .map(|(t, _)| wrap::width(sep) + wrap::width(t))
                .sum::<usize>()
    };
    let room = usize::from(w).saturating_sub(2);
    let (parts, sep) = variants
        .iter()
        .enumerate()
        .map(|(i, v)| (v, [" · ", "  ", " "][i]))
        .find(|(v, sep)| width_of(v, sep) <= room)
        .unwrap_or((&variants[2], " "));
    let y2 = y + 1;
    // With a search on, the number of matching updates leads the line.
    let mut cx = x + 2;
    let hit = state
        .search
        .as_ref()
        .and_then(|s| s.active_results())
        .and_then(|r| {
            r.hits.iter().find(|h| {
                state
                    .workspace
                    .claims
                    .get(h.claim)
                    .is_some_and(|c| c.id == claim.id)
            })
        });
    if let Some(hit) = hit {
        let found = format!("{} ", hit.label());
        cx = put(
            buf,
            cx,
            y2,
            &found,
            end.saturating_sub(cx),
            theme::search_match(),
        );
        cx += 1;
    }
    cx = put(
        buf,
        cx,
        y2,
        verdict_text,
        end.saturating_sub(cx),
        theme::verdict_style(verdict),
    );
    for (text, style) in parts.iter().filter(|(t, _)| !t.is_empty()) {
        cx = put(buf, cx, y2, sep, end.saturating_sub(cx), theme::dim());
        cx = put(buf, cx, y2, text, end.saturating_sub(cx), *style);
    }
    if selected {
        let style = theme::selected(focused);
        fill_row(buf, x, y, w, style);
        fill_row(buf, x, y2, w, style);
    }
}
