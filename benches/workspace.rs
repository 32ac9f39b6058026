//! Benchmarks on a generated workspace: loading, a frame per screen size, selecting a
//! claim, one keystroke (update and render), a search over every body, and a verdict made
//! durable. Size M (100 claims × 350 updates, about 64 MB) by default; L (1,000 × 350,
//! about 640 MB) with `CLAIMDESK_BENCH_SIZE=L`.
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
