//! What the command line prints: clean of escape sequences in every field, ids as short
//! as the workspace allows, errors in one form that say each thing once, and words that
//! count right.

mod common;

use claimdesk::model::{Claim, FollowUp, Review, Update, Verdict, Workspace};
use claimdesk::store;
use common::*;
use std::path::Path;

const HOSTILE: &str =
    "\u{1b}[2J\u{1b}]0;owned\u{7}\u{202e}\u{200f}\u{61c}\u{2066}evil\u{7f}\u{9b}31m";

/// A workspace whose every text field carries escape sequences and a bidi override.
fn hostile_workspace(dir: &Path) -> std::path::PathBuf {
    let mut c = Claim::new("abc1aaaaaaaa", format!("Title {HOSTILE} end"));
    c.kind = Some(format!("promise{HOSTILE}"));
    c.priority = Some(format!("high{HOSTILE}"));
    c.tags = vec![format!("tag{HOSTILE}")];
    c.article.url = Some(format!("https://example.org/{HOSTILE}"));
    c.article.outlet = Some(format!("Outlet{HOSTILE}"));
    c.completion_condition = Some(format!("Condition{HOSTILE}"));
    c.updates.push(Update {
        at: "2026-02-01T10:00:00Z".parse().expect("ts"),
        status: format!("in_progress{HOSTILE}").into(),
        body: format!("Body {HOSTILE} text.").into(),
        sources: vec![format!("https://example.org/src{HOSTILE}")],
        suggested_follow_up: None,
        extra: Default::default(),
    });
    c.follow_ups.push(FollowUp {
        note: format!("note{HOSTILE}"),
        ..FollowUp::scheduled("2026-02-10".parse().expect("date"))
    });
    c.reviews.push(Review {
        at: "2026-02-02T10:00:00Z".parse().expect("ts"),
        reviewer: format!("ana{HOSTILE}"),
        verdict: Verdict::Stalled,
        note: format!("why{HOSTILE}"),
        seen_through: None,
        extra: Default::default(),
    });
    let ws = Workspace {
        claims: vec![
            c,
            Claim::new("abc2bbbbbbbb", "Second"),
            Claim::new("xyz9cccccccc", "Third"),
        ],
        ..Workspace::default()
    };
    let path = dir.join("w.json");
    store::save(&path, &ws).expect("writes");
    path
}

fn assert_clean(what: &str, text: &str) {
    for c in text.chars() {
        let layout = matches!(c, '\n' | '\r' | '\t');
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(
            (layout || !c.is_control()) && !bidi,
            "{what} printed {c:?}:\n{text:?}"
        );
    }
}

#[test]
fn every_field_printed_for_people_is_clean() {
    let dir = tempdir();
    let ws = hostile_workspace(dir.path());
    let w = ws.to_str().expect("utf8");
    for args in [
        vec!["list", "-w", w],
        vec!["show", "abc1", "-w", w],
        vec!["due", "--within", "400", "-w", w],
        vec!["export", "--format", "csv", "-w", w],
        vec!["export", "--format", "markdown", "-w", w],
        vec!["export", "--format", "ics", "-w", w],
    ] {
        let out = claimdesk(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("evil"), "{args:?}: the words stay:\n{text}");
        assert_clean(&format!("{args:?}"), &text);
    }
    let shown = stdout(&claimdesk(&["show", "abc1", "-w", w]));
    assert!(
        shown.contains("(1 update)") && shown.contains("in 1 run\n"),
        "{shown}"
    );
    // JSON keeps every character, with the ones a terminal would act on escaped.
    for args in [
        vec!["list", "--json", "-w", w],
        vec!["show", "abc1", "--json", "-w", w],
        vec!["due", "--within", "400", "--json", "-w", w],
    ] {
        let out = claimdesk(&args);
        let text = stdout(&out);
        assert_clean(&format!("{args:?}"), &text);
        let v: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
        assert!(
            v.to_string().contains(
                &serde_json::to_string(&format!("Title {HOSTILE} end")).expect("json")[1..]
                    .replace('"', "")
            ),
            "{args:?}: the title comes back exactly"
        );
    }
    // A CSV keeps its CR LF line ends.
    let csv = stdout(&claimdesk(&["export", "--format", "csv", "-w", w]));
    assert!(csv.contains("\r\n"), "{csv:?}");
    // An error quoting what was given shows it, escaped, instead of running it.
    let out = claimdesk(&["list", "--status", HOSTILE, "-w", w]);
    let err = stderr(&out);
    assert_clean("an error", &err);
    assert!(err.contains("\\u{1b}[2J"), "{err}");
}

#[test]
fn list_prints_the_shortest_unique_prefix_and_show_takes_it() {
    let dir = tempdir();
    let ws = hostile_workspace(dir.path());
    let w = ws.to_str().expect("utf8");
    let listed = stdout(&claimdesk(&["list", "-w", w]));
    let ids: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    // abc1… and abc2… share three characters; xyz9… needs no more than the minimum.
    assert_eq!(ids, ["abc1", "abc2", "xyz9"], "{listed}");
    for id in ids {
        let out = claimdesk(&["show", id, "-w", w]);
        assert!(out.status.success(), "{id}: {}", stderr(&out));
    }
    let out = claimdesk(&["show", "abc", "-w", w]);
    assert!(stderr(&out).contains("ambiguous"), "{}", stderr(&out));
    let out = claimdesk(&["show", "", "-w", w]);
    assert!(
        stderr(&out).starts_with("claimdesk: empty id"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn errors_take_one_form_and_say_each_thing_once() {
    let dir = tempdir();
    let missing = dir.path().join("missing.json");
    let out = claimdesk(&["list", "-w", missing.to_str().expect("utf8")]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
    // A mistake on the command line ends like every other failure.
    let out = claimdesk(&["list", "--bogus"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("claimdesk: unexpected argument '--bogus'"),
        "{}",
        stderr(&out)
    );
    let out = claimdesk(&["--today", "2026-13-45", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("expected a date as YYYY-MM-DD, like 2026-02-16"),
        "{}",
        stderr(&out)
    );
    let ws = hostile_workspace(dir.path());
    let out = claimdesk(&[
        "list",
        "--status",
        "bogus",
        "-w",
        ws.to_str().expect("utf8"),
    ]);
    let err = stderr(&out);
    assert!(
        err.contains("\"bogus\"") && err.contains("complete, failed, in_progress"),
        "{err}"
    );
    // A status the tracker writes is a filter even when nothing has it now.
    let out = claimdesk(&[
        "list",
        "--status",
        "FAILED",
        "-w",
        ws.to_str().expect("utf8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A folder that is not there is named in the OS's words, with no temporary file's.
    let out = claimdesk(&[
        "export",
        "--format",
        "csv",
        "--output",
        dir.path()
            .join("no/such/dir/out.csv")
            .to_str()
            .expect("utf8"),
        "-w",
        ws.to_str().expect("utf8"),
    ]);
    let err = stderr(&out);
    assert!(
        err.contains("No such file or directory (os error 2)") && !err.contains(".claimdesk-"),
        "{err}"
    );
    // --help and --version still print and succeed.
    assert!(claimdesk(&["--help"]).status.success());
    assert!(claimdesk(&["--version"]).status.success());
}

#[test]
fn words_count_right() {
    let mut s = seed_session();
    keys(&mut s, "s");
    assert_eq!(s.state.message(), Some("Sort: review first"));
    keys(&mut s, "]");
    assert_eq!(s.state.message(), Some("2 to review"));
    keys(&mut s, "Tab Tab");
    for (key, said) in [
        ("x", "Recorded the Feb 15 follow-up: done"),
        ("x", "Recorded the Feb 15 follow-up: scheduled again"),
        ("c", "Recorded the Feb 15 follow-up: cancelled"),
    ] {
        keys(&mut s, key);
        assert_eq!(s.state.message(), Some(said), "{key}");
    }
    keys(&mut s, "e 'checked Enter");
    assert_eq!(
        s.state.message(),
        Some("Recorded the Feb 15 follow-up's note")
    );
    let dir = tempdir();
    let ws = dir.path().join("w.json");
    let w = ws.to_str().expect("utf8");
    for said in ["1 claim imported into", "Nothing new for"] {
        let text = stdout(&claimdesk(&["import", SEED_000, "-w", w]));
        assert!(text.starts_with(said), "{text}");
    }
    let text = stdout(&claimdesk(&["import", SEED_000, "--dry-run", "-w", w]));
    assert!(text.starts_with("Nothing new for"), "{text}");
    let md = stdout(&claimdesk(&["export", "--format", "markdown", "-w", w]));
    assert!(md.contains("1 claim, as of"), "{md}");
    let shown = stdout(&claimdesk(&[
        "show",
        "39ed",
        "--today",
        "2026-01-22",
        "-w",
        w,
    ]));
    assert!(shown.contains("due          in 1 day\n"), "{shown}");
    let shown = stdout(&claimdesk(&[
        "show",
        "39ed",
        "--today",
        "2026-01-24",
        "-w",
        w,
    ]));
    assert!(shown.contains("due          1 day ago\n"), "{shown}");
    for text in [md, shown] {
        for wrong in ["(s)", "1 days", "1 claims", "1 updates", "by by"] {
            assert!(!text.contains(wrong), "{wrong}: {text}");
        }
    }
}

#[test]
fn the_config_file_read_is_the_test_home_s_and_a_bad_one_is_named() {
    // Every helper runs the binary with a home of its own: a config there is the one read,
    // never the developer's.
    let home = tempdir();
    let config = home.path().join(".config/claimdesk/config.json");
    std::fs::create_dir_all(config.parent().expect("folder")).expect("mkdir");
    std::fs::write(&config, "{\"reviewer\": \"ana\",\n \"autosave\": tru }").expect("write");
    let dir = tempdir();
    let ws = hostile_workspace(dir.path());
    let w = ws.to_str().expect("utf8");
    let out = claimdesk_in(home.path(), &["verdict", "xyz9", "stalled", "-w", w]);
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("claimdesk: {}:2:", config.display()))
            && err.contains("bad config file"),
        "{err}"
    );
    // The test process's own home has none.
    assert!(
        claimdesk(&["list", "-w", ws.to_str().expect("utf8")])
            .status
            .success()
    );
}
