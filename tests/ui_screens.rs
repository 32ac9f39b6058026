//! What each pane shows for the seed claims, screen by screen, through ratatui's
//! TestBackend (rendered to plain text and kept as insta snapshots).

mod common;

use claimdesk::app::keymap::{action_for, parse_key};
use claimdesk::app::{State, update};
use claimdesk::model::{Claim, FollowUp, Update, Workspace};
use claimdesk::ui::render_to_text;
use common::*;
use std::path::PathBuf;

fn screen(ws: Workspace, size: (u16, u16), keys: &str) -> String {
    let today = "2026-02-16".parse().expect("date");
    let mut s = State::new(ws, PathBuf::from("team/workspace.json"), today, size);
    for name in keys.split_whitespace() {
        let key = parse_key(name).expect("key name");
        if let Some(a) = action_for(&s, key) {
            update(&mut s, a);
        }
    }
    render_to_text(&s)
}

/// The rows inside an overlay's double edges.
fn overlay_rows(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let (start, end) = (l.find('║')?, l.rfind('║')?);
            (start < end).then(|| l[start + '║'.len_utf8()..end].to_owned())
        })
        .collect()
}

/// Words joined by single spaces, however a row spaced or wrapped them.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn sample_at_80x24() {
    let text = screen(seed_workspace(), (80, 24), "");
    insta::assert_snapshot!("sample_80x24", text);
    // The list shows both claims, unreviewed, with status, count and next follow-up.
    assert!(text.contains("Officials discussed the n"));
    assert!(text.contains("The Security Implementa"));
    assert_eq!(text.matches("unreviewed ◐ ").count(), 2);
    assert!(text.contains("?! Officials"), "no verdict, follow-up due");
    assert!(
        text.contains("?!⇅ The Security"),
        "and the second claim's tracker went back and forth"
    );
    assert!(text.contains("356u !Feb 15") && text.contains("304u !Feb 15"));
    assert!(text.contains("2 claims · 2 unreviewed · 2 to review · 2 follow-ups due"));
}

#[test]
fn status_changes_stand_out_in_the_timeline() {
    let text = screen(seed_workspace(), (120, 40), "j Tab j j j");
    insta::assert_snapshot!("flips_120x40", text);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("Feb 13 2026")).collect();
    // 08:27 went back to in_progress after 06:49 complete; both are marked.
    assert!(
        rows.iter()
            .any(|r| r.contains("▲ Feb 13 2026 08:27  ◐ in_progress")),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("▲ Feb 13 2026 06:49  ● complete")),
        "{rows:#?}"
    );
    // The 61 in_progress updates before that fold into one run row, selected here (the
    // third row down), whose preview is its newest update.
    assert!(
        text.contains("▲⊞◐ in_progress ×61 · Feb 07 11:29 – Feb 13 04:30"),
        "{text}"
    );
    assert!(text.contains("Fri Feb 13, 2026 04:30 UTC · in_progress"));
}

#[test]
fn the_reader_shows_the_whole_body_with_sources() {
    let ws = seed_workspace();
    // The update with the six-source list (Feb 3 11:32), 114th from the newest.
    let index = six_source_update(&ws);
    let keys = format!("Tab z {} Enter G", "j ".repeat(index));
    let text = screen(ws, (100, 30), &keys);
    insta::assert_snapshot!("reader_end_100x30", text);
    assert!(text.contains("Sources:"));
    assert!(
        text.contains("• https://www.nytimes.com/2026/01/15/world/americas/us-mexico-cartels.html")
    );
    assert!(text.contains("Tue Feb 3, 2026 11:32 UTC"));
}

/// Every source in the reader is a hyperlink (OSC 8) to the whole address, at 80×24 and
/// 200×60, cut at the border where it does not fit, never broken over lines.
#[test]
fn the_reader_links_every_source_whole() {
    let ws = seed_workspace();
    let index = six_source_update(&ws);
    let sources = ws.claims[0].updates[ws.claims[0].updates.len() - 1 - index]
        .sources
        .clone();
    for size in [(80, 24), (200, 60)] {
        let today = "2026-02-16".parse().expect("date");
        let mut s = State::new(seed_workspace(), PathBuf::from("w.json"), today, size);
        let keys = format!("Tab z {} Enter G", "j ".repeat(index));
        for name in keys.split_whitespace() {
            if let Some(a) = action_for(&s, parse_key(name).expect("key")) {
                update(&mut s, a);
            }
        }
        let buf = claimdesk::ui::render_to_buffer(&s);
        let links: Vec<String> = buf
            .content
            .iter()
            .filter_map(|c| {
                let rest = c.symbol().strip_prefix("\x1b]8;;")?;
                Some(rest[..rest.find('\x1b')?].to_owned())
            })
            .collect();
        for url in &sources {
            assert!(
                links.contains(url),
                "{size:?}: {url} not linked in {links:?}"
            );
        }
        let text = render_to_text(&s);
        assert!(!text.contains('\x1b'), "the text has no escape left");
        // No row holds a piece of an address that began on the row before.
        for row in overlay_rows(&text) {
            let first = row.split_whitespace().next().unwrap_or("");
            assert!(
                !first.starts_with("//") && !first.contains(".html") || first.starts_with("http"),
                "{size:?}: a broken address: {row}"
            );
        }
    }
}

#[test]
fn a_status_the_updates_own_text_contradicts_is_shown_with_it() {
    let ws = seed_workspace();
    // Claim B's complete updates whose raw JSON says in_progress (the tracker's
    // keyword classifier): 2 of its 9.
    let b = &ws.claims[1];
    let contradicted: Vec<usize> = b
        .updates
        .iter()
        .rev()
        .enumerate()
        .filter(|(_, u)| u.status_in_text().is_some())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(contradicted.len(), 2);
    let keys = format!("j Tab z {} Enter", "j ".repeat(contradicted[0]));
    let text = screen(ws, (120, 40), &keys);
    assert!(
        text.contains("· complete (its text says in_progress)"),
        "{text}"
    );
}

#[test]
fn calendar_marks_days_and_lists_the_month() {
    let text = screen(seed_workspace(), (120, 40), "Tab Tab PgUp");
    insta::assert_snapshot!("calendar_january_120x40", text);
    // January 2026: done follow-ups on the 23rd and 31st, the due date on the 23rd.
    assert!(
        text.contains("◆23✓"),
        "due date and done follow-up on one day"
    );
    assert!(text.contains("31✓"));
    assert!(
        text.contains("Thu Jan 15 · 2 this month"),
        "the cursor day heads the list"
    );
    assert!(text.contains("Fri Jan 23 ✓ done"));
    assert!(text.contains("Fri Jan 23 ◆ completion due"));
    assert!(text.contains(" Mo  Tu  We  Th  Fr  Sa  Su"));
}

#[test]
fn help_lists_every_key() {
    let text = screen(seed_workspace(), (120, 60), "?");
    insta::assert_snapshot!("help_120x60", text);
    // Opened from the claim list, at the claim list's keys.
    assert!(text.contains("║ Claims "), "{text}");
    assert!(text.contains("  j Down            move down"), "{text}");
    // Every binding in the help, read to its end: its keys and its words, in order.
    let mut rows = Vec::new();
    let mut keys = String::from("? g");
    for _ in 0..6 {
        let page = overlay_rows(&screen(seed_workspace(), (120, 60), &keys));
        assert!(
            page.iter().all(|r| !r.contains('…')),
            "a help row is cut at 120 columns:\n{page:#?}"
        );
        rows.extend(page.iter().map(|r| words(r)));
        keys.push_str(" PgDn");
    }
    let keymap = claimdesk::app::keymap::Keymap::default();
    for b in keymap.bindings() {
        let line = words(&format!("{} {}", b.keys.join(" "), keymap.describe(b)));
        assert!(rows.iter().any(|r| r == &line), "help misses {line}");
    }
    for mark in [
        "~ tracker status changed",
        "• matches the search",
        "× cancelled",
        "the cursor",
        "› the selected claim",
    ] {
        assert!(
            rows.iter().any(|r| r.contains(mark)),
            "the legend misses {mark}"
        );
    }
}

#[test]
fn help_wraps_to_the_screen_and_opens_at_the_focused_pane() {
    // At 80×24 from the calendar: its keys, wrapped, nothing cut.
    let text = screen(seed_workspace(), (80, 24), "Tab Tab ?");
    insta::assert_snapshot!("help_calendar_80x24", text);
    assert!(text.contains("║ Follow-ups"), "{text}");
    assert!(
        overlay_rows(&text).iter().all(|r| !r.contains('…')),
        "{text}"
    );
    // At 200×60 from the timeline, in a box as wide as its longest line.
    let text = screen(seed_workspace(), (200, 60), "Tab ?");
    insta::assert_snapshot!("help_timeline_200x60", text);
    assert!(text.contains("║ Timeline"), "{text}");
    assert!(
        overlay_rows(&text).iter().all(|r| !r.contains('…')),
        "{text}"
    );
}

#[test]
fn a_small_terminal_gets_a_message_not_a_broken_layout() {
    let text = screen(seed_workspace(), (60, 20), "");
    insta::assert_snapshot!("too_small_60x20", text);
    assert!(text.contains("60×20: claimdesk needs 80×24"));
}

#[test]
fn wide_and_control_characters_never_break_rows() {
    let mut claim = Claim::new(
        "wide",
        "中文标题😀 with \u{1b}[31mred\u{1b}[0m and\ttabs\u{7} ok",
    );
    claim.updates.push(Update {
        at: "2026-02-01T10:00:00Z".parse().expect("ts"),
        status: "in_progress".into(),
        body: "日本語のテキスト😀😀 \u{1b}]0;title\u{7}mixed with English words that wrap around the pane. 한국어 텍스트".into(),
        sources: vec![],
        suggested_follow_up: None,
        extra: Default::default(),
    });
    claim
        .follow_ups
        .push(FollowUp::scheduled("2026-02-20".parse().expect("date")));
    let ws = Workspace {
        claims: vec![claim],
        ..Workspace::default()
    };
    for size in [(80, 24), (123, 37)] {
        let text = screen(ws.clone(), size, "");
        assert!(!text.contains('\u{1b}'), "no escape reaches the screen");
        for (i, line) in text.lines().enumerate() {
            let w = claimdesk::wrap::width(line);
            assert!(w <= size.0 as usize, "row {i} is {w} wide: {line}");
        }
        // Every bordered row still ends in its border.
        let rows_with_right_border = text
            .lines()
            .filter(|l| {
                l.ends_with('│')
                    || l.ends_with('┃')
                    || l.ends_with('┤')
                    || l.ends_with('┫')
                    || l.ends_with('┐')
                    || l.ends_with('┘')
                    || l.ends_with('┓')
                    || l.ends_with('┛')
            })
            .count();
        assert_eq!(rows_with_right_border, size.1 as usize - 2, "{text}");
        if size == (80, 24) {
            insta::assert_snapshot!("wide_chars_80x24", text);
        }
    }
}

#[test]
fn an_empty_workspace_says_how_to_fill_it() {
    let text = screen(Workspace::default(), (80, 24), "Tab");
    assert!(text.contains("No claims yet."));
    assert!(text.contains("claimdesk import"));
    assert!(text.contains("Select a claim."));
}

#[test]
fn claim_details_show_the_whole_claim_from_any_pane() {
    let mut ws = seed_workspace();
    let c = &mut ws.claims[1];
    c.completion_condition = Some("The SIG reports a joint seizure or an indictment".into());
    c.kind = Some("promise".into());
    c.article.outlet = Some("U.S. Department of State".into());
    c.article.url =
        Some("https://www.state.gov/releases/2026/01/security-implementation-group".into());
    c.tags = vec!["cartels".into(), "fentanyl".into()];
    c.extra.insert(
        "tracker",
        serde_json::json!({"slug": "sig-tangible-actions", "mechanism": "bilateral group"}),
    );
    let title = c.title.clone();
    for (size, name) in [((80, 24), "details_80x24"), ((200, 60), "details_200x60")] {
        // From the calendar pane (two Tabs away from the list), on the second claim.
        let text = screen(ws.clone(), size, "j Tab Tab i");
        insta::assert_snapshot!(name, text);
        assert!(text.contains("Claim details"), "{text}");
        // The whole title, however it wraps: every word of it, in order; the tracker's
        // fields at the end (G) where they do not fit.
        let end = screen(ws.clone(), size, "j Tab Tab i G");
        let shown: String = format!("{text}\n{end}")
            .lines()
            .filter_map(|l| {
                // The overlay's rows: what lies between its two edges.
                let (start, end) = (l.find('║')?, l.rfind('║')?);
                (start < end).then(|| l[start + '║'.len_utf8()..end].trim())
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert!(shown.contains(&format!("Title: {title}")), "{shown}");
        for field in [
            "Completion condition: The SIG reports a joint seizure or an indictment",
            "Kind: promise",
            "Outlet: U.S. Department of State",
            "Tags: cartels, fentanyl",
            "Completion due: Fri Jan 23, 2026 (24 days ago)",
            "Current verdict: none yet",
            "tracker.slug: sig-tangible-actions",
            "tracker.mechanism: bilateral group",
        ] {
            assert!(shown.contains(field), "no {field:?} in {shown}");
        }
        // Esc closes it and leaves the screen as it was.
        assert_eq!(
            screen(ws.clone(), size, "j Tab Tab i Esc"),
            screen(ws.clone(), size, "j Tab Tab")
        );
    }
}

#[test]
fn hints_keep_the_way_around_on_a_small_screen() {
    for (size, keys) in [((80, 24), ""), ((80, 24), "Tab"), ((80, 24), "Tab Tab")] {
        let text = screen(seed_workspace(), size, keys);
        let hints = text.lines().last().expect("a hint line");
        assert!(
            hints.contains("Tab panes") && hints.contains("? help"),
            "{keys:?} at 80x24: {hints:?}"
        );
        assert!(
            hints.contains("v verdict") && hints.contains("q quit"),
            "{hints:?}"
        );
    }
    // Wide, every hint of the pane and the global ones, the review queue's key included.
    let text = screen(seed_workspace(), (200, 60), "");
    let hints = text.lines().last().expect("a hint line");
    for hint in [
        "j/k move",
        "] next to review",
        "s sort",
        "f filter",
        "/ search",
        "i details",
        "u undo",
    ] {
        assert!(hints.contains(hint), "no {hint:?} in {hints:?}");
    }
}

#[test]
fn the_digest_wraps_instead_of_hiding_its_end() {
    for size in [(80, 24), (120, 40), (200, 60)] {
        for keys in ["Tab", "j Tab"] {
            let text = screen(seed_workspace(), size, keys);
            // The digest's rows: the timeline pane's first two inside rows.
            let rows: Vec<&str> = text.lines().skip(1).take(2).collect();
            let digest = rows.join("\n");
            // The completion due date in its short form (◆ deadline) where the row is
            // narrow, and never a bare "due" a follow-up count could be taken for.
            for part in ["since", "◆", "24d ago", "sources"] {
                assert!(
                    digest.contains(part),
                    "{size:?} {keys}: no {part:?} in\n{digest}"
                );
            }
            assert!(
                digest.contains("◆ completion due 24d ago")
                    || digest.contains("◆ deadline 24d ago"),
                "{size:?} {keys}: {digest}"
            );
            for row in &rows {
                let inside = row.trim_end_matches(['┃', '│', ' ']);
                assert!(!inside.ends_with('…'), "{size:?} {keys}: cut\n{row}");
            }
        }
    }
}

#[test]
fn dialogs_and_the_verdict_picker_wrap_instead_of_cutting() {
    use claimdesk::app::Action;
    use claimdesk::app::action::Saved;
    let today = "2026-02-16".parse().expect("date");
    for size in [(80, 24), (120, 40), (200, 60)] {
        // A save that found the file changed, with a long path to name.
        let path = PathBuf::from(format!(
            "/srv/desk/{}/workspace.json",
            "shared-reviews".repeat(4)
        ));
        let mut s = State::new(seed_workspace(), path, today, size);
        update(
            &mut s,
            Action::Saved(Saved::ChangedOnDisk("changed".into())),
        );
        let text = render_to_text(&s);
        if size == (120, 40) {
            insta::assert_snapshot!("changed_on_disk_120x40", text);
        }
        let rows = overlay_rows(&text);
        assert!(rows.iter().all(|r| !r.contains('…')), "{size:?}\n{text}");
        let all = words(&rows.join(" "));
        assert!(
            all.contains("w: save as another file · Esc: later"),
            "{size:?}\n{text}"
        );
        assert!(all.contains("shared-reviews".repeat(2).as_str()) || size.0 < 100);

        // The picker on the second claim: its title whole, every meaning whole.
        let text = screen(seed_workspace(), size, "j v");
        if size == (80, 24) {
            insta::assert_snapshot!("verdict_picker_80x24", text);
        }
        let rows = overlay_rows(&text);
        let all = words(&rows.join(" "));
        let title = seed_workspace().claims[1].title.clone();
        assert!(all.contains(&words(&title)), "{size:?}\n{text}");
        for v in claimdesk::model::Verdict::ALL {
            assert!(all.contains(v.meaning()), "{size:?}: {v:?}\n{text}");
        }
        assert!(all.contains("Esc or q: cancel"), "{size:?}\n{text}");
    }
}

#[test]
fn the_rationale_editor_wraps_a_long_line_and_shows_it_from_its_start() {
    let line = "Beginning of the rationale then many words that run on past the width of the box so that it must wrap twice over before the end";
    let typed: Vec<String> = line
        .chars()
        .map(|c| {
            if c == ' ' {
                "Space".to_owned()
            } else {
                c.to_string()
            }
        })
        .collect();
    let text = screen(
        seed_workspace(),
        (80, 24),
        &format!("v 3 {}", typed.join(" ")),
    );
    insta::assert_snapshot!("rationale_wrapped_80x24", text);
    let all = words(&overlay_rows(&text).join(" "));
    assert!(all.contains(line), "{text}");
}

#[test]
fn the_status_bar_names_the_reviewer() {
    let text = screen(seed_workspace(), (80, 24), "");
    let keys = text.lines().last().expect("the status bar's keys");
    assert!(keys.ends_with("as reviewer"), "{keys:?}");
    assert!(
        keys.contains("Tab panes") && keys.contains("? help"),
        "{keys:?}"
    );
}

#[test]
fn timeline_rows_show_what_each_update_adds_not_its_restated_claim() {
    for keys in ["Tab z", "j Tab z"] {
        // Every update shown, four pages of the timeline at 200x60.
        let mut rows = Vec::new();
        for page in 0..4 {
            let text = screen(
                seed_workspace(),
                (200, 60),
                &format!("{keys}{}", " PgDn".repeat(page)),
            );
            rows.extend(
                text.lines()
                    .filter(|l| l.contains(" 2026 ") && (l.contains("◐ ") || l.contains("● ")))
                    .map(str::to_owned),
            );
        }
        assert!(rows.len() > 40, "{}", rows.len());
        let boilerplate = [
            "Restated claim",
            "Claim restatement",
            "Restatement of",
            "The claim states",
            "What the claim",
            "Claim restated",
        ];
        let restating: Vec<&String> = rows
            .iter()
            .filter(|r| boilerplate.iter().any(|b| r.contains(b)))
            .collect();
        // The oldest update says everything first, its restatement included.
        assert!(restating.len() <= 1, "{keys}: {restating:#?}");
    }
}

#[test]
fn plus_zooms_the_focused_pane_and_gives_the_room_back() {
    for size in [(80, 24), (200, 60)] {
        let normal = screen(seed_workspace(), size, "Tab");
        let rows = |text: &str| text.lines().filter(|l| l.contains(" 2026 ")).count();
        // The timeline alone (every update of a claim shown): more update rows, no
        // claim list, no calendar.
        let every = screen(seed_workspace(), size, "j Tab z");
        let zoomed_every = screen(seed_workspace(), size, "j Tab z +");
        assert!(
            rows(&zoomed_every) > rows(&every),
            "{size:?}: {} rows, {} before",
            rows(&zoomed_every),
            rows(&every)
        );
        let zoomed = screen(seed_workspace(), size, "Tab +");
        if size == (80, 24) {
            insta::assert_snapshot!("zoomed_timeline_80x24", zoomed);
        }
        assert!(
            zoomed.contains("[Timeline] zoomed, + gives back"),
            "{zoomed}"
        );
        assert!(
            !zoomed.contains("Claims") && !zoomed.contains("Follow-ups"),
            "{zoomed}"
        );
        // Tab moves the zoom with the focus; + again gives the screen back as it was.
        let calendar = screen(seed_workspace(), size, "Tab + Tab");
        assert!(calendar.contains("[Follow-ups] zoomed"), "{calendar}");
        assert!(
            calendar.contains(" Mo  Tu  We  Th  Fr  Sa  Su"),
            "{calendar}"
        );
        assert!(!calendar.contains("Timeline"), "{calendar}");
        let list = screen(seed_workspace(), size, "+");
        assert!(
            list.contains("[Claims] zoomed") && !list.contains("Timeline"),
            "{list}"
        );
        assert_eq!(screen(seed_workspace(), size, "Tab + +"), normal);
    }
}

#[test]
fn a_wide_calendar_shows_the_next_month_beside_the_cursors() {
    let wide = screen(seed_workspace(), (200, 60), "Tab Tab");
    insta::assert_snapshot!("calendar_two_months_200x60", wide);
    assert!(
        wide.lines()
            .any(|l| l.contains("February 2026") && l.contains("March 2026")),
        "{wide}"
    );
    let narrow = screen(seed_workspace(), (120, 40), "Tab Tab");
    assert!(!narrow.contains("March 2026"), "{narrow}");
    // Zoomed, three months.
    let zoomed = screen(seed_workspace(), (200, 60), "Tab Tab +");
    assert!(
        zoomed.lines().any(|l| l.contains("February 2026")
            && l.contains("March 2026")
            && l.contains("April 2026")),
        "{zoomed}"
    );
}

#[test]
fn the_agenda_at_80x24_and_200x60() {
    for (size, name) in [((80, 24), "agenda_80x24"), ((200, 60), "agenda_200x60")] {
        let text = screen(seed_workspace(), size, "A");
        insta::assert_snapshot!(name, text);
        assert!(
            text.contains("Agenda · 2 overdue · 0 today · 4 in the next 7 days"),
            "{text}"
        );
        let rows = overlay_rows(&text);
        assert!(rows.iter().any(|r| r.contains("! overdue")), "{text}");
    }
}

/// Every coloured character of the screens, in every theme, reads on the theme's
/// background (or its own) at the theme's contrast floor; no colour comes from outside
/// the theme's palette.
#[test]
fn every_theme_s_text_reads_on_its_background() {
    use claimdesk::config::Theme;
    use claimdesk::ui::theme::{Palette, contrast, contrast_floor};
    use ratatui::style::Color;
    let today = "2026-02-16".parse().expect("date");
    for theme in Theme::ALL {
        let palette = Palette::of(theme);
        let floor = contrast_floor(theme);
        let mut checked = 0;
        for keys in [
            "",
            "j Tab j j",
            "Tab Tab",
            "?",
            "i",
            "A",
            "v",
            "Tab Enter",
            "/ s e c u r i t y Enter",
            "r",
        ] {
            let settings = claimdesk::app::Settings {
                theme,
                ..claimdesk::app::Settings::default()
            };
            // Tags on the screen too.
            let mut ws = seed_workspace();
            ws.claims[0].tags = vec!["energy".into(), "security".into()];
            let mut s =
                State::new(ws, PathBuf::from("w.json"), today, (120, 40)).with_settings(settings);
            for name in keys.split_whitespace() {
                if let Some(a) = action_for(&s, parse_key(name).expect("key")) {
                    update(&mut s, a);
                }
            }
            let buf = claimdesk::ui::render_to_buffer(&s);
            for cell in buf.content.iter().filter(|c| !c.symbol().trim().is_empty()) {
                let background = match cell.bg {
                    Color::Reset => palette.background,
                    Color::Indexed(i) => i,
                    other => panic!("{}: background {other:?} outside the palette", theme.name()),
                };
                match cell.fg {
                    Color::Reset => {}
                    Color::Indexed(i) => {
                        let ratio = contrast(i, background);
                        assert!(
                            ratio >= floor,
                            "{} after {keys:?}: {:?} in colour {i} on {background}: {ratio:.2}:1",
                            theme.name(),
                            cell.symbol()
                        );
                        checked += 1;
                    }
                    other => panic!("{}: colour {other:?} outside the palette", theme.name()),
                }
            }
        }
        assert!(
            checked > 500,
            "{}: only {checked} coloured cells",
            theme.name()
        );
    }
}

/// One pane of a rendered screen, as text: its rectangle's rows, right ends trimmed.
fn pane_text(s: &State, area: ratatui::layout::Rect) -> String {
    let buf = claimdesk::ui::render_to_buffer(s);
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut row = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            skip = claimdesk::wrap::width(symbol).saturating_sub(1);
            row.push_str(symbol);
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}

/// Each pane on its own, at the smallest common terminal and a large one: the second
/// claim selected, its timeline on an update with a suggested follow-up, and the
/// calendar's cursor on a day that updates mention.
#[test]
fn each_pane_at_80x24_and_200x60() {
    let today = "2026-02-16".parse().expect("date");
    for (w, h) in [(80, 24), (200, 60)] {
        let mut s = State::new(seed_workspace(), PathBuf::from("w.json"), today, (w, h));
        for name in "j Tab j j Tab".split_whitespace() {
            if let Some(a) = action_for(&s, parse_key(name).expect("key")) {
                update(&mut s, a);
            }
        }
        let areas = s.areas().expect("layout");
        for (pane, area) in [
            ("claims", areas.claims),
            ("timeline", areas.timeline),
            ("calendar", areas.calendar),
        ] {
            insta::assert_snapshot!(format!("pane_{pane}_{w}x{h}"), pane_text(&s, area));
        }
    }
}

/// On a small screen the cursor day's follow-up note and what the updates say of the day
/// wrap whole in the calendar's list, before the rest of the month's; what still does not
/// fit ends in a pointer to the zoom, where all of it is whole.
#[test]
fn the_cursor_days_follow_up_and_mentions_are_whole_or_point_to_the_zoom() {
    let today = "2026-02-16".parse().expect("date");
    let day: chrono::NaiveDate = "2026-02-15".parse().expect("date");
    let mentions = "Feb 15 · mentioned by 1 update: Jan 19 03:16 · ? suggested by 1";
    for (note, size, keys, whole) in [
        ("", (80, 24), "j Tab Tab", true),
        (
            "call the ministry press office about the agenda",
            (80, 24),
            "j Tab Tab",
            false,
        ),
        (
            "call the ministry press office about the agenda",
            (80, 24),
            "j Tab Tab +",
            true,
        ),
        (
            "call the ministry press office about the agenda",
            (120, 40),
            "j Tab Tab",
            true,
        ),
    ] {
        let mut ws = seed_workspace();
        for f in ws.claims[1].follow_ups.iter_mut().filter(|f| f.date == day) {
            f.note = note.to_owned();
        }
        let mut s = State::new(ws, PathBuf::from("w.json"), today, size);
        for name in keys.split_whitespace() {
            if let Some(a) = action_for(&s, parse_key(name).expect("key")) {
                update(&mut s, a);
            }
        }
        assert_eq!(
            s.calendar().cursor,
            day,
            "the cursor is on the overdue follow-up"
        );
        let pane = pane_text(&s, s.areas().expect("layout").calendar_list);
        let shown = words(&pane.replace('\u{a0}', " "));
        let why = format!("{size:?} {keys:?}:\n{pane}");
        // The note follows its day on one row, or from a row of its own.
        let one_row = format!("Sun Feb 15 ! overdue · {note}");
        let own_row = format!("Sun Feb 15 ! overdue {note}");
        assert!(
            shown.contains(one_row.trim_end_matches(" · ")) || shown.contains(&own_row),
            "{why}"
        );
        if whole {
            assert!(shown.contains(mentions), "{why}");
            assert!(!pane.contains('…'), "{why}");
        } else {
            assert!(shown.ends_with("… + shows more"), "{why}");
        }
    }
}

/// The quit question's hints name its third choice, save-then-quit; the other questions,
/// which do not take that key, do not.
#[test]
fn the_quit_questions_hints_name_save_then_quit() {
    let today = "2026-02-16".parse().expect("date");
    let settings = claimdesk::app::Settings {
        autosave: false,
        ..claimdesk::app::Settings::default()
    };
    let run = |keys: &str| {
        let mut s = State::new(seed_workspace(), PathBuf::from("w.json"), today, (120, 40))
            .with_settings(settings.clone());
        for k in claimdesk::app::keymap::parse_keys(keys).expect("keys") {
            if let Some(a) = action_for(&s, k) {
                update(&mut s, a);
            }
        }
        render_to_text(&s)
    };
    let quit = run("T 'late Enter q");
    let bar = quit.lines().last().expect("status bar");
    assert!(bar.contains("y yes  s save, then quit  n no"), "{quit}");
    let discard = run("v 1 'why Esc");
    let bar = discard.lines().last().expect("status bar");
    assert!(
        bar.contains("y yes") && !bar.contains("save, then quit"),
        "{discard}"
    );
}

/// Tags never push the title out of a claim's row: they take at most half of it and
/// the rest are counted; a tag with nothing printable in it is not shown as a bare `#`.
#[test]
fn many_tags_leave_the_title_its_room() {
    let mut ws = seed_workspace();
    ws.claims[0].tags = (1..=50).map(|i| format!("tag{i}")).collect();
    ws.claims[1].tags = vec![String::new(), "\u{1b}[0m".into(), "kept".into()];
    for size in [(80, 24), (200, 60)] {
        let text = screen(ws.clone(), size, "");
        let rows: Vec<&str> = text.lines().collect();
        let first = rows
            .iter()
            .find(|r| r.contains("#tag1 "))
            .unwrap_or_else(|| panic!("no tags shown:\n{text}"));
        assert!(
            first.contains("Officials"),
            "the title is pushed out:\n{text}"
        );
        assert!(
            first
                .split_whitespace()
                .any(|w| w.starts_with('+') && w[1..].parse::<u32>().is_ok()),
            "the tags that do not fit are not counted:\n{text}"
        );
        let second = rows
            .iter()
            .find(|r| r.contains("#kept"))
            .unwrap_or_else(|| panic!("the kept tag is not shown:\n{text}"));
        assert!(!second.contains("# "), "a bare # for an empty tag:\n{text}");
        assert!(second.contains("The Security"), "{text}");
    }
}

/// A narrow claim list keeps the marks and the count in its title, dropping the default
/// sort and filter first.
#[test]
fn a_narrow_list_title_keeps_the_marks() {
    let text = screen(seed_workspace(), (80, 24), "Space Space");
    let title = text.lines().next().expect("a first row");
    assert!(title.contains("2/2 · ■ 2 marked"), "{title}");
    let wide = screen(seed_workspace(), (200, 60), "Space Space");
    let title = wide.lines().next().expect("a first row");
    assert!(
        title.contains("2/2 · by file · all · ■ 2 marked"),
        "{title}"
    );
}

/// Zoomed, the calendar lists every update that mentions the cursor's day that it has
/// room for, not the three newest only.
#[test]
fn zoomed_the_calendar_lists_more_of_a_days_mentions() {
    let today = "2026-02-16".parse().expect("date");
    let mut s = State::new(seed_workspace(), PathBuf::from("w.json"), today, (200, 60));
    for k in claimdesk::app::keymap::parse_keys("j Tab Tab g '2026-01-23 Enter +").expect("keys") {
        if let Some(a) = action_for(&s, k) {
            update(&mut s, a);
        }
    }
    let pane = pane_text(&s, s.areas().expect("layout").calendar_list);
    let times = pane.matches(':').count();
    assert!(times > 100, "only {times} times listed:\n{pane}");
}

/// The filter menu lines its counts up whatever a tag holds (escape sequences, wide
/// characters), and offers no tag with nothing printable in it.
#[test]
fn the_filter_menu_lines_up_its_counts() {
    let mut ws = seed_workspace();
    ws.claims[0].tags = vec!["\u{1b}[1mbold".into(), String::new(), "中文".into()];
    let text = screen(ws, (120, 40), "f G");
    let rows: Vec<&str> = text.lines().filter(|l| l.contains('║')).collect();
    let ends: Vec<usize> = rows
        .iter()
        .filter_map(|l| {
            let inner = &l[l.find('║')? + '║'.len_utf8()..l.rfind('║')?];
            let digits = inner.trim_end();
            digits
                .ends_with(|c: char| c.is_ascii_digit())
                .then(|| claimdesk::wrap::width(digits))
        })
        .collect();
    assert!(ends.len() > 10, "{text}");
    assert!(
        ends.iter().all(|e| *e == ends[0]),
        "counts out of line {ends:?}:\n{text}"
    );
    assert!(text.contains("bold"), "{text}");
    assert!(
        !text.contains("#  ") && !text.contains("tag  "),
        "an empty tag offered:\n{text}"
    );
}

/// A short message in the status bar leaves the way around (Tab, ?) at the end of the row.
#[test]
fn a_message_leaves_the_way_around_in_the_status_bar() {
    let text = screen(seed_workspace(), (80, 24), "Space");
    let bar = text.lines().last().expect("a status bar");
    assert!(bar.contains("1 claim marked"), "{bar}");
    assert!(bar.contains("Tab panes") && bar.contains("? help"), "{bar}");
}
