//! Hostile input never crashes or hangs: property tests over the workspace loader, and a
//! corpus of nasty files (tests/fixtures/hostile) kept as regression tests.

mod common;

use claimdesk::import;
use claimdesk::store;
use common::*;
use proptest::prelude::*;
use std::path::Path;
use std::time::{Duration, Instant};

#[test]
fn the_hostile_corpus_is_refused_or_read_never_panics() {
    let dir = fixture("tests/fixtures/hostile");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_owned();
        let started = Instant::now();
        if name.ends_with(".json") {
            match store::parse(&path, &bytes) {
                Ok(ws) => {
                    // Whatever loads must draw without escape codes reaching the screen.
                    let state = claimdesk::app::State::new(
                        ws,
                        path.clone(),
                        "2026-02-16".parse().expect("d"),
                        (100, 30),
                    );
                    let screen = claimdesk::ui::render_to_text(&state);
                    assert!(
                        !screen.contains('\u{1b}') && !screen.contains('\u{7}'),
                        "{name}: {screen}"
                    );
                }
                Err(e) => assert!(e.to_string().contains(&name), "{name}: {e}"),
            }
        } else {
            let result = import::decode(&name, &bytes).and_then(|t| {
                import::read(
                    &name,
                    &t,
                    &import::Options {
                        id: Some("x".into()),
                        ..Default::default()
                    },
                )
            });
            if let Ok(import::Input::Page(p)) = result {
                let c = &p.claim;
                for text in
                    std::iter::once(c.title.as_str()).chain(c.updates.iter().map(|u| &*u.body))
                {
                    assert!(
                        !text.contains('\u{1b}') && !text.contains('\u{7}'),
                        "{name}: {text:?}"
                    );
                }
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{name} took too long"
        );
        seen += 1;
    }
    assert!(seen >= 9, "the corpus is there");
}

#[test]
fn escape_sequences_in_a_workspace_never_reach_the_terminal() {
    let path = fixture("tests/fixtures/hostile/escape-title.json");
    let ws = store::load(&path).expect("it is a valid workspace");
    let state = claimdesk::app::State::new(ws, path, "2026-02-16".parse().expect("d"), (100, 30));
    let screen = claimdesk::ui::render_to_text(&state);
    assert!(screen.contains("red title"), "{screen}");
    assert!(!screen.contains("pwned") && !screen.contains('\u{1b}'));
}

#[test]
fn a_huge_line_loads_in_bounded_time() {
    let body = "x".repeat(20_000_000);
    let text = format!(
        "{{\"format\":\"claimdesk-workspace\",\"version\":1,\"claims\":[{{\"id\":\"a\",\"title\":\"t\",\"updates\":[{{\"at\":\"2026-01-01T00:00:00Z\",\"status\":\"in_progress\",\"body\":\"{body}\"}}]}}]}}"
    );
    let started = Instant::now();
    let ws = store::parse(Path::new("huge.json"), text.as_bytes()).expect("loads");
    assert_eq!(ws.claims[0].updates[0].body.len(), 20_000_000);
    assert!(started.elapsed() < Duration::from_secs(10));
    let page = format!("Update · Feb 14, 2026, 04:47 AMin_progress\n{body}\n");
    let started = Instant::now();
    let input = import::read(
        "000_0123456789abcdef.txt",
        &page,
        &import::Options::default(),
    )
    .expect("reads");
    assert!(matches!(input, import::Input::Page(_)));
    assert!(started.elapsed() < Duration::from_secs(10));
}

fn valid_workspace() -> String {
    store::SAMPLE[..20_000].to_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = store::parse(Path::new("f.json"), &bytes);
        if let Ok(text) = import::decode("f", &bytes) {
            let _ = import::read("000_0123456789abcdef.txt", &text, &import::Options::default());
        }
    }

    #[test]
    fn json_shaped_garbage_never_panics(text in r#"\{("(format|version|claims|id|title|updates|at|status|reviews|verdict|follow_ups|date|state)"|:|,|\[|\]|\{|\}|"[a-z_\-0-9:TZ]{0,25}"|-?[0-9]{1,20}|null|true)*\}?"#) {
        let _ = store::parse(Path::new("f.json"), text.as_bytes());
        let _ = import::mongo::parse(&text, None);
    }

    #[test]
    fn a_damaged_real_workspace_never_panics(cut in 0usize..20_000, flip in 0usize..20_000, byte in any::<u8>()) {
        let mut bytes = valid_workspace().into_bytes();
        if flip < bytes.len() {
            bytes[flip] = byte;
        }
        bytes.truncate(cut);
        if let Err(e) = store::parse(Path::new("w.json"), &bytes) {
            prop_assert!(e.to_string().starts_with("w.json"));
        }
    }
}

#[test]
fn an_error_quotes_a_huge_value_briefly() {
    let out = common::claimdesk(&["list", "-w", "tests/fixtures/hostile/huge-number.json"]);
    let err = common::stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("field version") && err.contains("(5001 characters)"),
        "{err}"
    );
    assert!(err.len() < 300, "{} bytes: {err}", err.len());
}
