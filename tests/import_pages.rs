//! Importing the tracker's claim pages: the two real seed pages, read exactly, checked
//! against counts established with grep on the pages themselves (commands in comments).

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use claimdesk::import;
use claimdesk::model::{Claim, FollowUpState, Review, Verdict, Workspace};
use claimdesk::store;
use common::*;
use std::collections::BTreeMap;

fn ts(s: &str) -> DateTime<Utc> {
    s.parse().expect("timestamp")
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn statuses(c: &Claim) -> BTreeMap<&str, usize> {
    let mut m = BTreeMap::new();
    for u in &c.updates {
        *m.entry(u.status.as_str()).or_insert(0) += 1;
    }
    m
}

fn follow_up_states(c: &Claim) -> (usize, usize) {
    let scheduled = c
        .follow_ups
        .iter()
        .filter(|f| f.state == FollowUpState::Scheduled)
        .count();
    let done = c
        .follow_ups
        .iter()
        .filter(|f| f.state == FollowUpState::Done)
        .count();
    (scheduled, done)
}

fn update_at<'a>(c: &'a Claim, at: &str) -> &'a claimdesk::model::Update {
    c.updates
        .iter()
        .find(|u| u.at == ts(at))
        .expect("update at that time")
}

#[test]
fn seed_000_every_update_follow_up_and_date() {
    let ws = seed_workspace();
    let c = ws
        .claim("39edfb4563007f91")
        .expect("claim from the file name");
    // grep -o 'Update ·' 000_*.txt | wc -l  → 356; all end in "in_progress"
    assert_eq!(c.updates.len(), 356);
    assert_eq!(statuses(c), BTreeMap::from([("in_progress", 356)]));
    // grep -c '^Scheduled follow-up' → 28: 25 above the first update, 3 further down
    assert_eq!(c.follow_ups.len(), 28);
    assert_eq!(follow_up_states(c), (25, 3));
    let done: Vec<String> = c
        .follow_ups
        .iter()
        .filter(|f| f.state == FollowUpState::Done)
        .map(|f| f.date.to_string())
        .collect();
    assert_eq!(done, ["2026-01-23", "2026-01-31", "2026-02-01"]);
    assert_eq!(c.completion_due, Some(day("2026-01-23")));
    assert_eq!(c.article.published, Some(day("2026-01-12")));
    // First and last `Update ·` lines of the page.
    assert_eq!(
        c.updates.first().map(|u| u.at),
        Some(ts("2026-01-12T05:29:00Z"))
    );
    assert_eq!(
        c.updates.last().map(|u| u.at),
        Some(ts("2026-02-13T23:47:00Z"))
    );
    // The one "Original claim:" in the page (line 626), its two lines joined.
    assert_eq!(
        c.title,
        "Officials discussed the need for stronger U.S.-Mexico cooperation to dismantle Mexico’s violent narcoterrorist networks and stop trafficking of fentanyl and weapons."
    );
    // grep -n 'follow-up[^.]*: *20[0-9-]*\|follow-up date for assessment is' → 8 updates,
    // and 5 whose `Follow-up` sentence names the date further on (`… ideally by …`).
    let suggested = c
        .updates
        .iter()
        .filter(|u| u.suggested_follow_up.is_some())
        .count();
    assert_eq!(suggested, 13);
    // grep -c 'https\?://' → 6 lines, all in one update's "Sources" list (lines 880-885)
    let with_sources: Vec<_> = c.updates.iter().filter(|u| !u.sources.is_empty()).collect();
    assert_eq!(with_sources.len(), 1);
    assert_eq!(with_sources[0].sources.len(), 6);
    assert_eq!(with_sources[0].at, ts("2026-02-03T11:32:00Z"));
}

#[test]
fn seed_001_statuses_glued_marker_and_raw_json_body() {
    let ws = seed_workspace();
    let c = ws.claim("3a2f3f9b8cc6911f").expect("claim");
    // grep -o 'Update · [^·]*$' | sed 's/.*[AP]M//' | sort | uniq -c → 295 in_progress, 9 complete
    assert_eq!(c.updates.len(), 304);
    assert_eq!(
        statuses(c),
        BTreeMap::from([("complete", 9), ("in_progress", 295)])
    );
    assert_eq!(c.follow_ups.len(), 20);
    assert_eq!(follow_up_states(c), (18, 2));
    assert_eq!(c.completion_due, Some(day("2026-01-23")));
    assert_eq!(c.article.published, Some(day("2026-01-16")));
    assert_eq!(
        c.updates.first().map(|u| u.at),
        Some(ts("2026-01-16T08:03:00Z"))
    );
    assert_eq!(
        c.updates.last().map(|u| u.at),
        Some(ts("2026-02-13T09:42:00Z"))
    );
    // No "Original claim:": the oldest update's restatement, without "Claim restates that".
    assert_eq!(
        c.title,
        "The Security Implementation Group (SIG) must continue delivering tangible actions to counter cartels and stop illicit fentanyl and weapons flows, and to follow up on information-sharing and cross-border security initiatives."
    );

    // Line 711: a URL with `Update · Feb 04, 2026, 01:06 PMin_progress` glued to it.
    let glued = update_at(c, "2026-02-04T08:06:00Z");
    assert_eq!(glued.status, "in_progress");
    assert!(
        glued
            .body
            .starts_with("Restated claim: The bilateral Security Implementation Group")
    );
    // The text before the glued marker ends the update above it (line 699, newer).
    let before = update_at(c, "2026-02-04T09:46:00Z");
    assert_eq!(
        before.sources,
        [
            "https://www.state.gov/releases/office-of-the-spokesperson/2025/09/joint-statement-on-security-cooperation-between-the-united-states-and-mexico/",
            "https://www.state.gov/releases/office-of-the-spokesperson/2026/01/third-meeting-of-the-u-s-mexico-security-implementation-group/",
        ]
    );
    assert!(!before.body.contains("Update ·") && !before.body.contains("https://"));
    assert!(
        before
            .body
            .ends_with("would strengthen verification of impact and timing.")
    );

    // Lines 1960-1967: the tracker's raw JSON printed as the body; its text is used and
    // its impossible follow_up_date (2026-02-29) is not.
    let raw = update_at(c, "2026-01-18T23:12:00Z");
    assert_eq!(raw.status, "complete");
    assert!(
        raw.body.starts_with(
            "Restatement of claim: The claim is that the Security Implementation Group"
        )
    );
    assert!(!raw.body.contains("\"text\""));
    assert!(
        raw.body
            .contains("\n\nEvidence of progress: A bilateral joint statement")
    );
    assert_eq!(raw.suggested_follow_up, None);

    // Lines 263, 432, 484, 492, 596, 1469, 1959 recommend a follow-up date, and two more
    // name it later in their `Follow-up:` sentence (`… by 2026-02-01`, `… around …`).
    let suggested: Vec<String> = c
        .updates
        .iter()
        .filter_map(|u| u.suggested_follow_up.map(|d| d.to_string()))
        .collect();
    assert_eq!(suggested.len(), 9);
    assert!(suggested.contains(&"2026-02-15".to_owned()));
}

#[test]
fn broken_lines_join_back_into_sentences() {
    let ws = seed_workspace();
    let a = ws.claim("39edfb4563007f91").expect("claim");
    let newest = a.updates.last().expect("update");
    // Lines 27-28: "...cooperation to dismantle" / "Mexico’s violent narcoterrorist..."
    assert!(
        newest
            .body
            .contains("cooperation to dismantle Mexico’s violent narcoterrorist networks")
    );
    // Lines 30-31: "In 2025-2026," / "the United States and Mexico..."
    assert!(
        newest
            .body
            .contains("In 2025-2026, the United States and Mexico publicly reaffirmed")
    );
    // Paragraphs are the lines that end a sentence: lines 28, 30, 31, 33, 35 and 36.
    assert_eq!(newest.body.split("\n\n").count(), 6);
    // Lines 75-77: "in" / "Washington," / "D.C. in February 2026"
    let u = update_at(a, "2026-02-13T20:08:00Z");
    assert!(
        u.body
            .contains("Security Ministerial in Washington, D.C. in February 2026")
    );

    let b = ws.claim("3a2f3f9b8cc6911f").expect("claim");
    // Lines 46-48: "SIG meeting in" / "Washington," / "DC built on..."
    let u = update_at(b, "2026-02-13T01:16:00Z");
    assert!(
        u.body.contains(
            "A January 23, 2026 SIG meeting in Washington, DC built on the September 2025"
        )
    );
    for c in &ws.claims {
        for u in &c.updates {
            assert!(
                !u.body.contains("\n\nWashington,\n"),
                "a lone Washington, survived"
            );
            assert!(
                !u.body.lines().any(|l| l == "Washington," || l == "Mexico"),
                "{}",
                u.at
            );
        }
    }
}

#[test]
fn the_bundled_sample_is_exactly_a_fresh_import_of_the_seeds() {
    let fresh = store::to_bytes(&seed_workspace()).expect("encodes");
    let sample = store::SAMPLE.as_bytes();
    assert!(
        fresh == sample,
        "assets/sample-workspace.json differs from a fresh import; regenerate it with\n  \
         rm assets/sample-workspace.json && cargo run -- import tests/fixtures/*.txt -w assets/sample-workspace.json"
    );
}

fn review(verdict: Verdict) -> Review {
    Review {
        at: ts("2026-11-21T09:30:00Z"),
        reviewer: "ana".into(),
        verdict,
        note: "Meetings held, no measurable outcome yet.".into(),
        seen_through: Some(ts("2026-02-13T23:47:00Z")),
        extra: Default::default(),
    }
}

fn merge_pages(ws: &mut Workspace, pages: &[(&str, &str)]) -> Vec<import::ClaimSummary> {
    let inputs = pages
        .iter()
        .map(|(n, t)| read_input(n, t.as_bytes()).expect("reads"))
        .collect();
    import::merge(ws, import::assemble(inputs).expect("assembles")).expect("merges")
}

#[test]
fn reimport_is_a_merge_that_keeps_reviewers_work() {
    let page = read_fixture(SEED_000);
    // An older export of the same page: without its newest update (lines 26-35) and its
    // first upcoming follow-up (line 1).
    let start = page
        .find("Update · Feb 14, 2026, 04:47 AM")
        .expect("newest update");
    let end = page
        .find("Update · Feb 14, 2026, 03:06 AM")
        .expect("next update");
    let older = format!("{}{}", &page[..start], &page[end..]).replacen(
        "Scheduled follow-up · Dec 31, 2026\n",
        "",
        1,
    );

    let mut ws = Workspace::default();
    let first = merge_pages(&mut ws, &[(SEED_000, &older)]);
    assert_eq!((first[0].updates_new, first[0].follow_ups_new), (355, 27));

    // Reviewers' work in between.
    let c = &mut ws.claims[0];
    c.title = "Edited title".into();
    c.tags = vec!["security".into()];
    c.reviews.push(review(Verdict::InProgress));
    c.follow_ups[3].note = "call the desk".into();
    c.follow_ups[4].state = FollowUpState::Cancelled;
    let kept = c.clone();

    let second = merge_pages(&mut ws, &[(SEED_000, &page)]);
    assert_eq!((second[0].updates_new, second[0].updates_total), (1, 356));
    assert_eq!(
        (second[0].follow_ups_new, second[0].follow_ups_total),
        (1, 28)
    );
    assert!(!second[0].new_claim);
    let c = &ws.claims[0];
    assert_eq!(c.title, "Edited title");
    assert_eq!(c.tags, kept.tags);
    assert_eq!(c.reviews, kept.reviews);
    assert!(c.follow_ups.iter().any(|f| f.note == "call the desk"));
    assert!(
        c.follow_ups
            .iter()
            .any(|f| f.state == FollowUpState::Cancelled)
    );
    assert_eq!(
        c.updates.last().map(|u| u.at),
        Some(ts("2026-02-13T23:47:00Z"))
    );

    // The same input again changes nothing, to the byte.
    let before = store::to_bytes(&ws).expect("encodes");
    let third = merge_pages(&mut ws, &[(SEED_000, &page)]);
    assert_eq!((third[0].updates_new, third[0].follow_ups_new), (0, 0));
    assert_eq!(store::to_bytes(&ws).expect("encodes"), before);
}

#[test]
fn line_endings_bom_and_escapes_are_accepted_and_cleaned() {
    let page = read_fixture(SEED_001);
    let plain = import_pages(&[(SEED_001, &page)]);
    let crlf = format!("\u{feff}{}", page.replace('\n', "\r\n"));
    assert_eq!(import_pages(&[(SEED_001, &crlf)]), plain);
    let lone_cr = page.replace('\n', "\r");
    assert_eq!(import_pages(&[(SEED_001, &lone_cr)]), plain);

    let hostile = page.replacen(
        "Restated claim: The bilateral Security",
        "Restated claim: The \u{1b}[2J\u{1b}]0;pwned\u{7}bilateral\u{9b}31m Security",
        1,
    );
    let cleaned = import_pages(&[(SEED_001, &hostile)]);
    assert_eq!(cleaned, plain);
}

fn import_error(name: &str, bytes: &[u8]) -> String {
    read_input(name, bytes)
        .map(|_| ())
        .expect_err("refused")
        .to_string()
}

#[test]
fn bad_inputs_each_get_their_own_message() {
    assert_eq!(import_error("e.txt", b""), "e.txt: the file is empty");
    assert_eq!(import_error("e.txt", b"\n \n"), "e.txt: the file is empty");
    let mut bad = read_fixture(SEED_000).into_bytes();
    bad[1000] = 0xff;
    assert_eq!(
        import_error("000_39edfb4563007f91.txt", &bad),
        "000_39edfb4563007f91.txt: not valid UTF-8 at byte 1000"
    );
    assert_eq!(
        import_error(
            "000_39edfb4563007f91.txt",
            b"Scheduled follow-up \xc2\xb7 Feb 20, 2026\nCompletion due \xc2\xb7 Jan 23, 2026\n"
        ),
        "000_39edfb4563007f91.txt:1: the page has markers but no `Update · …` entry"
    );
    assert_eq!(
        import_error("notes.txt", b"Grocery list\nmilk\n"),
        "notes.txt:1: neither a tracker claim page nor a MongoDB export (starts with \"Grocery list\")"
    );
    assert_eq!(
        import_error("page.txt", read_fixture(SEED_000).as_bytes()),
        "page.txt: cannot tell the claim id from the file name (expected NNN_<16 hex digits>.txt); pass --id"
    );
    assert!(
        import_error("x.json", b"{\"foo\": 1}\n")
            .starts_with("x.json:1 (document 1): not a tracker claim")
    );
}

#[test]
fn timestamps_follow_the_utc_offset() {
    let text = read_fixture(SEED_000);
    let opts = import::Options {
        clock: import::Clock::AsWritten(import::parse_utc_offset("-05:00").expect("offset")),
        id: Some("custom".into()),
    };
    let input = import::read(
        "page.txt",
        &import::decode("page.txt", text.as_bytes()).expect("decodes"),
        &opts,
    )
    .expect("reads");
    let incoming = import::assemble(vec![input]).expect("assembles");
    let c = &incoming[0].claim;
    assert_eq!(c.id, "custom");
    assert_eq!(
        c.updates.last().map(|u| u.at),
        Some(ts("2026-02-14T09:47:00Z"))
    );
}

#[test]
fn page_times_are_corrected_for_the_trackers_clock_and_an_earlier_import_is_moved_not_doubled() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let page = fixture(SEED_000);
    let import = |extra: &[&str]| import_ok(dir.path(), &ws, &[&page], extra);
    // As an import before the correction read it: the page's figures as UTC.
    let said = import(&["--as-stored-clock"]);
    assert!(said.contains("taken as stored"), "{said}");
    let first = |ws: &std::path::Path| {
        let saved = claimdesk::store::load(ws).expect("loads");
        let c = saved.claims[0].clone();
        (c.updates.len(), c.updates.first().map(|u| u.at))
    };
    assert_eq!(first(&ws), (356, Some(ts("2026-01-12T10:29:00Z"))));
    // The page says 10:29; the tracker's clock is 5 hours fast.
    let said = import(&[]);
    assert!(said.contains("moved back 5 hours"), "{said}");
    assert!(
        said.contains(
            "356 updates imported before with the tracker's stored time now stand 5 hours earlier"
        ),
        "{said}"
    );
    assert_eq!(first(&ws), (356, Some(ts("2026-01-12T05:29:00Z"))));
    // And once moved, a third import has nothing new.
    let said = import(&[]);
    assert!(said.starts_with("Nothing new"), "{said}");
}

#[test]
fn a_sentence_followed_by_its_citation_ends_its_paragraph() {
    let ws = seed_workspace();
    let b = ws.claim("3a2f3f9b8cc6911f").expect("claim B");
    let u = b
        .updates
        .iter()
        .find(|u| {
            u.body
                .contains("ahead of major events. (State Dept, Jan 24, 2026)")
        })
        .expect("the update of Jan 31");
    assert!(
        u.body.contains(
            "ahead of major events. (State Dept, Jan 24, 2026)\n\nCurrent status of completion:"
        ),
        "{}",
        u.body
    );
    assert_eq!(u.body.split("\n\n").count(), 6, "{}", u.body);
}

#[test]
fn a_line_broken_at_a_link_joins_without_a_space_after_a_bracket_or_a_glued_dash() {
    let ws = seed_workspace();
    let bodies: Vec<&str> = ws
        .claims
        .iter()
        .flat_map(|c| c.updates.iter().map(|u| &*u.body))
        .collect();
    for wrong in [
        "( Nogales",
        "( Washington",
        "( McAllen",
        "Mexican- U.S.",
        "White House– Mexico",
    ] {
        assert!(
            !bodies.iter().any(|b| b.contains(wrong)),
            "{wrong:?} in a body"
        );
    }
    for right in ["(Washington, DC)", "Mexican-U.S.", "White House–Mexico"] {
        assert!(
            bodies.iter().any(|b| b.contains(right)),
            "{right:?} in no body"
        );
    }
}

#[test]
fn markers_that_cannot_be_read_are_reported_with_their_line_and_never_glued_on() {
    let page = "Scheduled follow-up · Feb 29, 2026\n\
                Update · Feb 14, 2026, 04:47 AMin_progress\n\
                The readable update.\n\
                Update · Feb 30, 2026, 04:47 AMin_progress\n\
                Ghost one.\n\
                Update · Feb 13, 2026, 13:00 PMcomplete\n\
                Ghost two.\n\
                Update · Feb 12, 2026, 4:47 AMcomplete\n\
                Ghost three.\n\
                Original article · Jan 12, 2026\n";
    let input = import::read(
        "000_39edfb4563007f91.txt",
        page,
        &import::Options::default(),
    )
    .expect("reads");
    let incoming = import::assemble(vec![input]).expect("assembles");
    let inc = &incoming[0];
    assert_eq!(inc.claim.updates.len(), 1);
    assert_eq!(&*inc.claim.updates[0].body, "The readable update.");
    for (line, written) in [
        (1, "Scheduled follow-up · Feb 29, 2026"),
        (4, "Update · Feb 30, 2026, 04:47 AMin_progress"),
        (6, "Update · Feb 13, 2026, 13:00 PMcomplete"),
        (8, "Update · Feb 12, 2026, 4:47 AMcomplete"),
    ] {
        let said = format!("line {line}: `{written}` has a date or time that cannot be read");
        assert!(
            inc.notes.iter().any(|n| n.contains(&said)),
            "{said}\n{:#?}",
            inc.notes
        );
    }
}

#[test]
fn a_workspace_imported_by_an_earlier_reading_is_brought_up_to_date_not_doubled() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let pages = [fixture(SEED_000), fixture(SEED_001)];
    let import = |extra: &[&str]| import_ok(dir.path(), &ws, &[&pages[0], &pages[1]], extra);
    // As an earlier importer left it: the stored clock, a space after a bracket, two
    // paragraphs run together.
    import(&["--as-stored-clock"]);
    let mut old = store::load(&ws).expect("loads");
    let mut touched = 0;
    for u in old.claims.iter_mut().flat_map(|c| c.updates.iter_mut()) {
        let earlier = u
            .body
            .replace("(Washington, DC)", "( Washington, DC)")
            .replace(".\n\nCurrent status", ". Current status");
        if earlier != *u.body {
            touched += 1;
            u.body = earlier.into();
        }
    }
    assert!(touched > 0);
    store::save(&ws, &old).expect("saves");
    let said = import(&[]);
    assert!(
        said.contains("356 updates imported before")
            && said.contains("304 updates imported before"),
        "{said}"
    );
    let now = store::load(&ws).expect("loads");
    let fresh = seed_workspace();
    for (c, f) in now.claims.iter().zip(&fresh.claims) {
        assert_eq!(c.updates.len(), f.updates.len(), "no update doubled");
        let bodies: Vec<&str> = c.updates.iter().map(|u| &*u.body).collect();
        let expected: Vec<&str> = f.updates.iter().map(|u| &*u.body).collect();
        assert!(bodies == expected, "the bodies as this importer reads them");
        assert_eq!(c.updates[0].at, f.updates[0].at, "the corrected clock");
    }
}

#[test]
fn a_recommended_follow_up_is_found_where_its_sentence_names_the_date() {
    let ws = seed_workspace();
    let found: Vec<(String, String)> = ws
        .claims
        .iter()
        .flat_map(|c| {
            c.updates.iter().filter_map(|u| {
                u.suggested_follow_up
                    .map(|d| (c.id[..4].to_owned(), d.to_string()))
            })
        })
        .collect();
    // 15 right after the label, 7 later in the sentence that starts with it.
    assert_eq!(found.len(), 22, "{found:?}");
    for (claim, date) in [
        ("39ed", "2026-12-31"), // … a reasonable checkpoint date is 2026-12-31
        ("39ed", "2026-02-28"), // … a follow-up assessment after 2026-02-28
        ("39ed", "2026-07-27"), // Follow-up note: … ideally by 2026-07-27.
        ("39ed", "2026-02-23"), // … should be made on 2026-02-23
        ("3a2f", "2026-02-01"), // Follow-up: A check … should be performed by 2026-02-01.
        ("3a2f", "2026-04-15"), // … around 2026-04-15
    ] {
        assert!(
            found.contains(&(claim.to_owned(), date.to_owned())),
            "{claim} {date}"
        );
    }
    // A source's date cited in brackets is not a recommendation.
    let (date, _) = import::text::suggested_follow_up(
        "Follow-up considerations: expect updates after the ministerial (State Dept, 2026-01-15; 2026-01-24).",
    );
    assert_eq!(date, None);
}

#[test]
fn a_completion_due_that_is_the_earliest_follow_up_is_marked_as_maybe_derived() {
    let ws = seed_workspace();
    for c in &ws.claims {
        let earliest = c.follow_ups.iter().map(|f| f.date).min();
        let marked = c.extra.value("completion_due_derived") == Some(serde_json::json!(true));
        assert_eq!(
            marked,
            c.completion_due.is_some() && c.completion_due == earliest,
            "{}",
            c.id
        );
    }
    assert!(
        ws.claims
            .iter()
            .any(|c| c.extra.get("completion_due_derived").is_some())
    );
    // A page whose due date is not its earliest follow-up is not marked.
    let page = "Scheduled follow-up · Feb 20, 2026\nUpdate · Feb 14, 2026, 04:47 AMin_progress\nText.\nCompletion due · Mar 01, 2026\nOriginal article · Jan 12, 2026\n";
    let input = import::read(
        "000_39edfb4563007f91.txt",
        page,
        &import::Options::default(),
    )
    .expect("reads");
    let c = &import::assemble(vec![input]).expect("assembles")[0].claim;
    assert!(c.extra.get("completion_due_derived").is_none());
}

#[test]
fn updates_the_page_no_longer_shows_move_with_their_claim_to_the_corrected_clock() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let page = fixture(SEED_000);
    let import = |extra: &[&str]| {
        import_ok(dir.path(), &ws, &[&page], extra);
    };
    import(&["--as-stored-clock"]);
    // An update an older page had, which this one no longer shows.
    let mut old = store::load(&ws).expect("loads");
    let mut gone = old.claims[0].updates[0].clone();
    gone.at = ts("2026-01-11T10:00:00Z");
    gone.body = "An update the page no longer shows.".into();
    old.claims[0].updates.insert(0, gone);
    store::save(&ws, &old).expect("saves");
    import(&[]);
    let now = store::load(&ws).expect("loads");
    let c = &now.claims[0];
    assert_eq!(c.updates.len(), 357);
    let gone = c
        .updates
        .iter()
        .find(|u| &*u.body == "An update the page no longer shows.")
        .expect("kept");
    assert_eq!(gone.at, ts("2026-01-11T05:00:00Z"), "moved with its claim");
    assert_eq!(c.updates[1].at, ts("2026-01-12T05:29:00Z"));
}

#[test]
fn more_ways_a_follow_up_sentence_names_its_date() {
    for text in [
        "Follow-up: revisit 2026-05-03.",
        "Follow-up: next check 2026-05-03.",
        "Follow-up recommended: 2026-05-03.",
        "Follow-up: a review no later than 2026-05-03.",
    ] {
        let (date, _) = import::text::suggested_follow_up(text);
        assert_eq!(
            date.map(|d| d.to_string()).as_deref(),
            Some("2026-05-03"),
            "{text}"
        );
    }
}

#[test]
fn a_page_whose_update_markers_cannot_be_read_names_the_line() {
    let page =
        "Scheduled follow-up · Feb 20, 2026\nUpdate · Feb 30, 2026, 04:47 AMin_progress\nText.\n";
    let err = import::read(
        "000_39edfb4563007f91.txt",
        page,
        &import::Options::default(),
    )
    .expect_err("refused");
    assert_eq!(err.line, Some(2));
    assert!(
        err.message.contains("Update · Feb 30, 2026"),
        "{}",
        err.message
    );
}

#[test]
fn a_straight_quote_before_a_link_joins_without_a_space() {
    let joined = import::text::join_lines(&["He called it \"", "Mexico", "\" twice."]);
    assert_eq!(joined, ["He called it \"Mexico\" twice."]);
}

#[test]
fn stored_times_into_a_workspace_that_holds_them_corrected_are_refused() {
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let page = fixture(SEED_000);
    import_ok(dir.path(), &ws, &[&page], &[]);
    let before = std::fs::read(&ws).expect("read");
    let out = import_into(dir.path(), &ws, &[&page], &["--as-stored-clock"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(stderr(&out).contains("5 hours later"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&ws).expect("read"), before);
}
