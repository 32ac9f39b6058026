//! How long a verdict takes on a database workspace, as the app records one: queued on
//! this machine (synced) and committed, and how long until another screen's listener has
//! it. Usage: `cargo run --release --example desk_latency -- URL [COUNT]`, URL naming an
//! empty database (the bundled sample is copied in) or one holding a workspace. Prints
//! the median and the 95th percentile of each, in milliseconds.

use claimdesk::model::{Edit, Review, Verdict};
use claimdesk::store::outbox::Outbox;
use claimdesk::store::pg::live::{self, Live};
use claimdesk::store::pg::{Pg, PgError, Url};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = Url::parse(&args.next().ok_or("usage: desk_latency URL [COUNT]")?)?;
    let count: usize = args.next().map_or(Ok(200), |n| n.parse())?;
    let mut pg = Pg::connect(&url)?;
    let workspace = match pg.load() {
        Ok(w) => w,
        Err(PgError::NoWorkspace { .. }) => {
            let sample = claimdesk::store::parse(
                std::path::Path::new("sample"),
                claimdesk::store::SAMPLE.as_bytes(),
            )?;
            pg.copy_in(&sample)?;
            pg.load()?
        }
        Err(e) => return Err(e.into()),
    };
    let claim = workspace
        .claims
        .first()
        .ok_or("the workspace has no claim")?
        .id
        .clone();
    // A queue of its own, in a folder of its own: the user's is never touched.
    let dir = tempfile::tempdir()?;
    let mut queue = Outbox::open_at(&dir.path().join("q.queue"), &url.to_string())?;
    let (listener, _want) = live::listen(&url, std::sync::Arc::default());
    match listener.recv_timeout(Duration::from_secs(60))? {
        Live::Workspace { .. } => {}
        other => return Err(format!("the listener said {other:?}").into()),
    }
    let (mut recorded, mut seen) = (Vec::new(), Vec::new());
    for i in 0..count {
        let edit = Edit::AddReview {
            claim: claim.clone(),
            review: Review {
                at: chrono::Utc::now(),
                reviewer: "latency".into(),
                verdict: Verdict::Stalled,
                note: format!("latency run {i}"),
                seen_through: None,
                extra: Default::default(),
            },
        };
        let start = Instant::now();
        let seq = queue.add(&edit)?;
        pg.record(&edit)?;
        queue.remove(seq)?;
        recorded.push(start.elapsed());
        // Until the listener hands it on, as another screen's would.
        loop {
            match listener.recv_timeout(Duration::from_secs(10))? {
                Live::Reviews(list)
                    if list
                        .iter()
                        .any(|r| r.review.note == format!("latency run {i}")) =>
                {
                    seen.push(start.elapsed());
                    break;
                }
                _ => {}
            }
        }
    }
    let report = |name: &str, mut times: Vec<Duration>| {
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{name}: median {:.1} ms, 95th percentile {:.1} ms ({} runs)",
            ms(times[times.len() / 2]),
            ms(times[times.len() * 95 / 100]),
            times.len()
        );
    };
    report("a verdict queued and committed", recorded);
    report("the same verdict on another screen's listener", seen);
    Ok(())
}
