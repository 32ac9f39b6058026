//! Property tests: the page reader never panics, and never loses a marker, whatever the
//! text between markers holds and however markers are glued to it.

use chrono::FixedOffset;
use claimdesk::import::page;
use proptest::prelude::*;

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).expect("zero offset")
}

/// Body text without anything that could itself read as a marker.
fn body_line() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,.;:()’“”\\-/中文😀\\t\\u{1b}]{0,80}"
        .prop_filter("no marker separator", |s| !s.contains(" · "))
}

#[derive(Debug, Clone)]
enum Entry {
    FollowUp {
        day: u32,
        overdue: bool,
    },
    Update {
        day: u32,
        hour: u32,
        minute: u32,
        status: &'static str,
        lines: Vec<String>,
        glue: bool,
    },
}

fn entry() -> impl Strategy<Value = Entry> {
    prop_oneof![
        (1u32..=28, any::<bool>()).prop_map(|(day, overdue)| Entry::FollowUp { day, overdue }),
        (
            1u32..=28,
            1u32..=12,
            0u32..60,
            prop::sample::select(vec!["in_progress", "complete", "failed", "odd_word"]),
            prop::collection::vec(body_line(), 0..5),
            any::<bool>()
        )
            .prop_map(|(day, hour, minute, status, lines, glue)| Entry::Update {
                day,
                hour,
                minute,
                status,
                lines,
                glue
            }),
    ]
}

fn render(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        match e {
            Entry::FollowUp { day, overdue } => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&format!(
                    "Scheduled follow-up · Mar {day:02}, 2026{}\n",
                    if *overdue { "overdue" } else { "" }
                ));
            }
            Entry::Update {
                day,
                hour,
                minute,
                status,
                lines,
                glue,
            } => {
                // A glued marker follows the previous line's text directly.
                if *glue && out.ends_with('\n') && out.len() > 1 {
                    out.pop();
                }
                out.push_str(&format!(
                    "Update · Mar {day:02}, 2026, {hour:02}:{minute:02} PM{status}\n"
                ));
                for l in lines {
                    out.push_str(l);
                    out.push('\n');
                }
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
        let _ = page::parse(&text, utc());
        let _ = page::markers(&text);
    }

    #[test]
    fn never_panics_on_marker_like_text(text in "(Update · |Scheduled follow-up · |[A-Za-z]{1,3} [0-9]{1,2}, [0-9]{4}|, [0-9:]{4,5} [AP]M|\\n|x){0,40}") {
        let _ = page::parse(&text, utc());
    }

    #[test]
    fn finds_every_marker(entries in prop::collection::vec(entry(), 1..25)) {
        let text = render(&entries);
        let found = page::markers(&text);
        prop_assert_eq!(found.len(), entries.len(), "page:\n{}", text);
        let updates = entries.iter().filter(|e| matches!(e, Entry::Update { .. })).count();
        match page::parse(&text, utc()) {
            Ok(p) => {
                prop_assert_eq!(p.updates.len(), updates);
                prop_assert_eq!(p.follow_ups.len(), entries.len() - updates);
                for (u, e) in p.updates.iter().zip(entries.iter().filter(|e| matches!(e, Entry::Update { .. }))) {
                    if let Entry::Update { status, .. } = e {
                        prop_assert_eq!(&u.status, status);
                    }
                }
            }
            Err(e) => prop_assert_eq!(updates, 0, "refused: {:?}", e),
        }
    }
}
