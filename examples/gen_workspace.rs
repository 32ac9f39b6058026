//! Writes a deterministic, realistic workspace for benchmarks and manual tests:
//! `cargo run --release --example gen_workspace -- --claims 100 --updates 350 --out m.json`
//! (M is 100 × 350, about 60 MB; L is 1000 × 350, about 600 MB).

#[path = "../tests/common/generate.rs"]
mod generate;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut claims = 100usize;
    let mut updates = 350usize;
    let mut seed = 1u64;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        let parsed = match (arg.as_str(), value.as_deref()) {
            ("--claims", Some(v)) => v.parse().map(|n| claims = n).is_ok(),
            ("--updates", Some(v)) => v.parse().map(|n| updates = n).is_ok(),
            ("--seed", Some(v)) => v.parse().map(|n| seed = n).is_ok(),
            ("--out", Some(v)) => {
                out = Some(PathBuf::from(v));
                true
            }
            _ => false,
        };
        if !parsed {
            eprintln!("usage: gen_workspace --claims N --updates M [--seed S] --out FILE");
            return ExitCode::from(2);
        }
    }
    let Some(out) = out else {
        eprintln!("usage: gen_workspace --claims N --updates M [--seed S] --out FILE");
        return ExitCode::from(2);
    };
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let pool = generate::seed_updates(&seeds);
    let ws = generate::generate(&pool, claims, updates, seed);
    let bytes = claimdesk::store::to_bytes(&ws).expect("encodes");
    if let Err(e) = claimdesk::store::write_atomic(&out, &bytes) {
        eprintln!("gen_workspace: {e}");
        return ExitCode::from(1);
    }
    eprintln!(
        "wrote {} ({} claims × {} updates, {:.1} MB)",
        out.display(),
        claims,
        updates,
        bytes.len() as f64 / 1e6
    );
    ExitCode::SUCCESS
}
