//! Search in the app: live as you type, the list narrowed to matching claims with their
//! number of matching updates, n/N through the matches, Esc to clear — and off the input
//! thread, where a later keystroke supersedes an earlier search.

mod common;
#[path = "common/generate.rs"]
mod generate;

use claimdesk::app::State;
use claimdesk::runtime::Session;
use claimdesk::ui::render_to_text;
use common::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const A: &str = "39edfb4563007f91";
const B: &str = "3a2f3f9b8cc6911f";

fn shown_ids(s: &Session) -> Vec<String> {
    s.state.visible_claims().map(|c| c.id.clone()).collect()
}

#[test]
fn typing_narrows_the_list_and_counts_matching_updates() {
    let mut s = seed_session();
    keys(&mut s, "/ 'Portero");
    // "Portero" appears in 16 of claim A's updates and in none of B's (counted on the
    // seed page by splitting it at its `Update ·` markers).
    assert_eq!(shown_ids(&s), [A]);
    let screen = render_to_text(&s.state);
    assert!(screen.contains("/ Portero"), "{screen}");
    assert!(screen.contains("1 claim · 16 updates"), "{screen}");
    // The hit's label says where it hit, and the list's title that it is in hit order.
    assert!(screen.contains("  16 updates "), "{screen}");
    assert!(
        screen.contains("of 2 · by match · all · /Portero"),
        "{screen}"
    );
    keys(
        &mut s,
        "Backspace Backspace Backspace Backspace Backspace Backspace Backspace",
    );
    assert_eq!(shown_ids(&s), [A, B], "an empty search shows everything");
    keys(&mut s, "'ministerial");
    // In both claims' updates: 156 of A's and 212 of B's.
    let results = s
        .state
        .search()
        .as_ref()
        .and_then(|x| x.active_results())
        .expect("results");
    let counts: Vec<(usize, usize)> = results
        .hits
        .iter()
        .map(|h| (h.claim, h.updates.len()))
        .collect();
    assert_eq!(counts, [(1, 212), (0, 156)], "more matching updates first");
    keys(&mut s, "Esc");
    assert!(s.state.search().is_none());
    assert_eq!(shown_ids(&s), [A, B]);
}

#[test]
fn titles_match_fuzzily_and_bodies_literally() {
    let mut s = seed_session();
    keys(&mut s, "/ 'implmnttn Space 'grp");
    assert_eq!(shown_ids(&s), [B], "fuzzy on the title");
    let hit = s.state.search_hit().expect("hit");
    assert!(hit.title_score.is_some());
    keys(&mut s, "Esc / 'implmnttn Space 'grup");
    assert_eq!(
        s.state
            .search()
            .as_ref()
            .and_then(|x| x.active_results())
            .map(|r| r.hits.len()),
        Some(1)
    );
    keys(&mut s, "Esc / 'Mission Space 'Firewal");
    // Literal (case-insensitive) in bodies: 23 of A's updates, 19 of B's.
    let results = s
        .state
        .search()
        .as_ref()
        .and_then(|x| x.active_results())
        .expect("results");
    let counts: Vec<usize> = results.hits.iter().map(|h| h.updates.len()).collect();
    assert_eq!(counts, [23, 19]);
    keys(&mut s, "Esc / 'missionfirewall");
    assert!(shown_ids(&s).is_empty(), "no fuzzy matching inside bodies");
    assert!(
        render_to_text(&s.state).contains("No claim matches the search; Esc clears it."),
        "the search hides them, not the filter"
    );
}

#[test]
fn n_and_shift_n_walk_the_matches_in_the_timeline() {
    let mut s = seed_session();
    keys(&mut s, "/ 'nogales Enter");
    assert!(
        s.state
            .search()
            .as_ref()
            .is_some_and(|x| x.editor.is_none()),
        "Enter leaves the line, keeps the results"
    );
    keys(&mut s, "Tab");
    let mut seen = Vec::new();
    for _ in 0..10 {
        keys(&mut s, "n");
        let u = s.state.selected_update().expect("an update");
        assert!(
            u.body.to_lowercase().contains("nogales"),
            "n stops only on matches"
        );
        seen.push(s.state.timeline().list.selected);
    }
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "newest to oldest: {seen:?}"
    );
    assert_eq!(s.state.message(), Some("Match 10 of 10"));
    keys(&mut s, "n");
    assert_eq!(s.state.timeline().list.selected, seen[0], "wraps around");
    keys(&mut s, "N");
    assert_eq!(s.state.timeline().list.selected, seen[9]);
    let screen = render_to_text(&s.state);
    assert!(screen.contains("•"), "matching rows are marked");
    keys(&mut s, "/ Esc");
    assert!(
        s.state.search().is_none(),
        "/ goes back to the line; Esc clears"
    );
}

#[test]
fn in_the_background_a_later_keystroke_supersedes_an_earlier_search() {
    let state = State::new(
        seed_workspace(),
        PathBuf::from("w.json"),
        "2026-02-16".parse().expect("d"),
        (120, 40),
    );
    let mut s = Session::in_memory(state).with_background_work();
    keys(&mut s, "/ 'm");
    keys(&mut s, "'inisterial");
    assert!(
        s.busy()
            || s.state
                .search()
                .as_ref()
                .is_some_and(|x| x.active_results().is_some())
    );
    let started = Instant::now();
    while s.busy() {
        s.poll_background();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the search finishes"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let results = s
        .state
        .search()
        .as_ref()
        .and_then(|x| x.active_results())
        .expect("results");
    assert_eq!(
        results.query, "ministerial",
        "the results are the last query's, never an earlier one's"
    );
    assert_eq!(
        results.hits.iter().map(|h| h.updates.len()).sum::<usize>(),
        368
    );
}

#[test]
fn titles_match_by_word_starts_not_scattered_letters() {
    use claimdesk::search::{Corpus, run};
    use std::sync::atomic::AtomicBool;
    // Hundreds of generated titles (the tracker's own restated claims), and the seeds.
    let pool = generate::seed_updates(&fixture("tests/fixtures"));
    let mut ws = generate::generate(&pool, 300, 1, 11);
    ws.claims.extend(seed_workspace().claims);
    let corpus = Corpus::of(&ws);
    let never = AtomicBool::new(false);
    let title_hits = |q: &str| -> Vec<usize> {
        let r = run(&corpus, q, &never).expect("done");
        r.hits
            .iter()
            .filter(|h| h.title_score.is_some())
            .map(|h| h.claim)
            .collect()
    };
    // Letters scattered across a long title are not a match.
    for q in ["banana split", "portero", "quantum zebra", "xylophone"] {
        assert_eq!(title_hits(q), Vec::<usize>::new(), "{q:?}");
    }
    // Abbreviations and typos of a title's words are, for every title.
    let sig = ws.claims.len() - 1;
    assert!(title_hits("sig cartels").contains(&sig));
    assert!(title_hits("implmnttn grp").contains(&sig));
    let mut tried = 0;
    for (i, c) in ws.claims.iter().enumerate() {
        let words: Vec<&str> = c
            .title
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| w.chars().count() >= 5)
            .take(2)
            .collect();
        if words.len() < 2 {
            continue;
        }
        // Each word without its vowels after the first letter: "Implementation" → "implmnttn".
        let abbreviated: Vec<String> = words
            .iter()
            .map(|w| {
                let mut cs = w.chars();
                let first = cs.next().into_iter();
                first
                    .chain(cs.filter(|c| !"aeiouAEIOU".contains(*c)))
                    .collect()
            })
            .collect();
        let q = abbreviated.join(" ");
        assert!(title_hits(&q).contains(&i), "{q:?} misses {:?}", c.title);
        tried += 1;
    }
    assert!(tried > 250, "only {tried} titles tried");
}

#[test]
fn a_kept_search_is_cleared_by_esc_in_a_pane_and_labels_say_where_it_hit() {
    let mut s = seed_session();
    keys(&mut s, "/ 'implmnttn Space 'grp Enter");
    assert_eq!(shown_ids(&s), [B]);
    let screen = render_to_text(&s.state);
    assert!(screen.contains("  title "), "{screen}");
    // In a pane now (the line is closed), the search still narrows the list.
    keys(&mut s, "Tab");
    assert_eq!(shown_ids(&s), [B]);
    keys(&mut s, "Esc");
    assert!(
        s.state.search().is_none(),
        "Esc in a pane clears the search"
    );
    assert_eq!(shown_ids(&s), [A, B]);
    assert!(render_to_text(&s.state).contains("Search cleared"));
}

/// Without colour (`NO_COLOR`), a word the search found in the timeline still stands out:
/// its mark is not the background colour alone.
#[test]
fn search_matches_keep_a_mark_without_colour() {
    let mut s = seed_session();
    keys(&mut s, "Tab / 'progress Enter");
    let s = &s.state;
    let mut buf = claimdesk::ui::render_to_buffer(s);
    claimdesk::ui::theme::strip_colours(&mut buf);
    let timeline = s.areas().expect("layout").timeline;
    // Runs of underlined cells in the timeline, each read as text.
    let mut runs = Vec::new();
    for y in timeline.top()..timeline.bottom() {
        let mut run = String::new();
        for x in timeline.left()..timeline.right() {
            let cell = &buf[(x, y)];
            if cell.modifier.contains(ratatui::style::Modifier::UNDERLINED) {
                run.push_str(cell.symbol());
            } else if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
    }
    assert!(
        runs.iter().any(|r| r.eq_ignore_ascii_case("progress")),
        "no match marked without colour; underlined runs: {runs:?}\n{}",
        render_to_text(s)
    );
}

/// At 80 columns the list's title still says the list is in hit order.
#[test]
fn a_narrow_list_title_says_by_match() {
    let state = claimdesk::app::State::new(
        seed_workspace(),
        std::path::PathBuf::from("w.json"),
        "2026-02-16".parse().expect("date"),
        (80, 24),
    );
    let mut s = claimdesk::runtime::Session::in_memory(state);
    keys(&mut s, "/ 'security Enter");
    let screen = render_to_text(&s.state);
    let title = screen.lines().next().expect("a first row");
    assert!(title.contains("by match"), "{title}");
}

/// Claims marked, then a search that shows none of them: a verdict is still for the
/// marked claims, and the question says the list does not show them.
#[test]
fn a_verdict_on_marked_claims_a_search_hides_still_asks() {
    let mut s = seed_session();
    keys(&mut s, "Space Space / 'zzzz Enter");
    assert!(s.state.selected_claim().is_none(), "the search shows none");
    keys(&mut s, "v 4 'why C-s");
    let screen = render_to_text(&s.state);
    assert!(
        screen.contains("Record the verdict stalled on 2 marked claims?"),
        "{screen}"
    );
    assert!(
        screen.contains("2 of them are not shown in the list"),
        "{screen}"
    );
}
