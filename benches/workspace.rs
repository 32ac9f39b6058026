//! Benchmarks on a generated workspace: loading (and loading one written on a single
//! line), a frame per screen size, selecting a
//! claim, one keystroke (update and render), a search over every body (and its first
//! hits), a verdict made durable, a verdict in the app (the input side), and the save
//! that folds one verdict into the file, and normalising one long sentence. Size M (100 claims × 350 updates, about 64 MB)
//! by default; L (1,000 × 350, about 640 MB) with `CLAIMDESK_BENCH_SIZE=L`, XL (10,000
//! claims) with `CLAIMDESK_BENCH_SIZE=XL`. Whole-process figures: `benches/compare.sh`.
//!
//! `cargo bench --bench workspace`

#[path = "../tests/common/generate.rs"]
mod generate;

use claimdesk::app::State;
use claimdesk::app::keymap::parse_keys;
use claimdesk::model::{Edit, Review, Verdict, Workspace};
use claimdesk::runtime::Session;
use claimdesk::search::{self, Corpus};
use claimdesk::store::{self, Access, Disk};
use std::path::PathBuf;
use std::sync::LazyLock;
use std::sync::atomic::AtomicBool;

fn main() {
    divan::main();
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    workspace: Workspace,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let claims = match std::env::var("CLAIMDESK_BENCH_SIZE").as_deref() {
        Ok("L") => 1000,
        Ok("XL") => 10_000,
        _ => 100,
    };
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let pool = generate::seed_updates(&seeds);
    let workspace = generate::generate(&pool, claims, 350, 1);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.json");
    store::save(&path, &workspace).expect("writes the workspace");
    let workspace = store::load(&path).expect("loads it back");
    Fixture {
        _dir: dir,
        path,
        workspace,
    }
});

fn state(size: (u16, u16)) -> State {
    let f = &*FIXTURE;
    State::new(
        f.workspace.clone(),
        f.path.clone(),
        "2026-03-01".parse().expect("date"),
        size,
    )
}

#[divan::bench(sample_count = 10)]
fn load() -> Workspace {
    Disk::open(&FIXTURE.path, Access::ReadOnly, None)
        .expect("opens")
        .workspace
}

/// A workspace written on one line (as `jq -c` or a JSON minifier leaves it): 3,000
/// claims of five updates. The loader's layout search once went back to the start of the
/// text for every claim here, which made this quadratic (111 s for 3,000 claims of 20).
static ONE_LINE: LazyLock<(tempfile::TempDir, PathBuf)> = LazyLock::new(|| {
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let pool = generate::seed_updates(&seeds);
    let workspace = generate::generate(&pool, 3000, 5, 1);
    let pretty = store::to_bytes(&workspace).expect("encodes");
    let value: serde_json::Value = serde_json::from_slice(&pretty).expect("parses");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("one-line.json");
    std::fs::write(&path, serde_json::to_vec(&value).expect("encodes")).expect("writes");
    (dir, path)
});

#[divan::bench(sample_count = 10)]
fn load_one_line() -> Workspace {
    Disk::open(&ONE_LINE.1, Access::ReadOnly, None)
        .expect("opens")
        .workspace
}

#[divan::bench(args = [(80, 24), (200, 60)])]
fn frame(bencher: divan::Bencher, size: (u16, u16)) {
    let s = state(size);
    bencher.bench_local(|| claimdesk::ui::render_to_text(&s));
}

#[divan::bench]
fn select_claim(bencher: divan::Bencher) {
    let mut s = Session::in_memory(state((120, 40)));
    let keys = parse_keys("j").expect("keys");
    bencher.bench_local(|| {
        // The next claim: the timeline and calendar are worked out for it.
        for k in &keys {
            s.press(*k);
        }
        if s.state.claims().list.selected + 1 >= s.state.claims().view.len() {
            s.dispatch(claimdesk::app::Action::First);
        }
    });
}

#[divan::bench(args = ["j", "Tab", "Tab j"])]
fn keystroke_then_frame(bencher: divan::Bencher, keys: &str) {
    let mut s = Session::in_memory(state((120, 40)));
    let keys = parse_keys(keys).expect("keys");
    bencher.bench_local(|| {
        for k in &keys {
            s.press(*k);
        }
        claimdesk::ui::render_to_text(&s.state)
    });
}

#[divan::bench(sample_count = 10)]
fn search_every_body(bencher: divan::Bencher) {
    let corpus = Corpus::of(&FIXTURE.workspace);
    bencher.bench_local(|| search::run(&corpus, "Security Ministerial", &AtomicBool::new(false)));
}

/// Until the first hits of a search over every body are handed on.
#[divan::bench(sample_count = 10)]
fn search_first_hits(bencher: divan::Bencher) {
    let corpus = Corpus::of(&FIXTURE.workspace);
    bencher.bench_local(|| {
        // Stopped once the first results are handed on: the time measured is theirs.
        let cancel = AtomicBool::new(false);
        search::run_with_partials(&corpus, "Security Ministerial", &cancel, &mut |r| {
            if !r.hits.is_empty() {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        })
    });
}

/// A verdict typed in the app, on the input thread: journaled, applied, the screen's
/// state worked out again; the rewrite of the file waits for a pause.
#[divan::bench(sample_count = 20)]
fn verdict_in_app(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("app.json");
    std::fs::copy(&FIXTURE.path, &path).expect("copies");
    let opened = Disk::open(&path, Access::Write, None).expect("opens");
    let state = State::new(
        opened.workspace,
        path.clone(),
        "2026-03-01".parse().expect("date"),
        (120, 40),
    );
    let mut s = Session::new(state, opened.disk).with_background_work();
    let keys = parse_keys("v 4 C-s").expect("keys");
    bencher.bench_local(|| {
        for k in &keys {
            s.press(*k);
        }
    });
    s.shutdown();
}

/// The save that folds one verdict into the file: one claim written anew, the rest
/// copied from the file as it was read.
#[divan::bench(sample_count = 10)]
fn save_one_verdict(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("save.json");
    std::fs::copy(&FIXTURE.path, &path).expect("copies");
    let opened = Disk::open(&path, Access::Write, None).expect("opens");
    let (mut disk, mut ws) = (opened.disk, opened.workspace);
    let claim = ws.claims[0].id.clone();
    bencher.bench_local(|| {
        let edit = Edit::AddReview {
            claim: claim.clone(),
            review: Review {
                at: "2026-03-01T12:00:00Z".parse().expect("ts"),
                reviewer: "ana".into(),
                verdict: Verdict::Stalled,
                note: "bench".into(),
                seen_through: None,
                extra: Default::default(),
            },
        };
        claimdesk::model::edit::apply(&mut ws, &edit).expect("applies");
        disk.record(&edit).expect("journals");
        disk.save(&ws).expect("saves");
    });
}

#[divan::bench(sample_count = 20)]
fn verdict_until_durable(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("j.json");
    let mut ws = Workspace::default();
    ws.claims.push(claimdesk::model::Claim::new("c", "t"));
    store::save(&path, &ws).expect("writes");
    let mut opened = Disk::open(&path, Access::Write, None).expect("opens");
    let review = Review {
        at: "2026-03-01T12:00:00Z".parse().expect("ts"),
        reviewer: "ana".into(),
        verdict: Verdict::Failed,
        note: "bench".into(),
        seen_through: None,
        extra: Default::default(),
    };
    bencher.bench_local(|| {
        let edit = Edit::AddReview {
            claim: "c".into(),
            review: review.clone(),
        };
        opened.disk.record(&edit).expect("journals");
    });
}

/// One sentence of 1 MB, a fifth of its characters past ASCII (a body the tracker wrote
/// without a full stop): normalising it stays linear (it once took quadratic time, about
/// a minute for 5 MB).
#[divan::bench(sample_count = 10)]
fn normalize_a_long_sentence(bencher: divan::Bencher) {
    let sentence = "lorem ipsum dolor sit amet é 中文 ".repeat(30_000);
    bencher.bench(|| claimdesk::analysis::normalize(divan::black_box(&sentence)).len());
}
