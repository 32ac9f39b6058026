//! A file that does not load costs no more memory than one that does: a syntax error, a
//! field of the wrong type and a doubled claim id, each in the last claim of a 60 MB
//! workspace, opened through `Disk::open` (the app's path) with every allocation counted.
//! One test in this binary, so that nothing else allocates while it measures.

mod common;
#[path = "common/generate.rs"]
mod generate;

use claimdesk::store::{self, Access, Disk};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes held now and the most held since a reset.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn add(n: usize) {
    let now = HELD.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed on to `System` unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            HELD.fetch_sub(layout.size(), Ordering::Relaxed);
            add(new_size);
        }
        p
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The most memory held while `path` is opened (beyond what was held before), and
/// whether it opened.
fn peak_opening(path: &Path) -> (usize, bool) {
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let opened = Disk::open(path, Access::ReadOnly, None).map(drop).is_ok();
    (PEAK.load(Ordering::Relaxed) - before, opened)
}

/// `bytes` with the last `from` replaced by `to`.
fn replace_last(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = bytes
        .windows(from.len())
        .rposition(|w| w == from)
        .expect("the text to replace");
    [&bytes[..at], to, &bytes[at + from.len()..]].concat()
}

#[test]
fn a_file_that_does_not_load_costs_no_more_memory_than_one_that_does() {
    let dir = common::tempdir();
    let pool = generate::seed_updates(&common::fixture("tests/fixtures"));
    let ws = generate::generate(&pool, 100, 350, 17);
    let last_id = ws.claims[99].id.clone();
    let first_id = ws.claims[0].id.clone();
    let good = dir.path().join("good.json");
    store::save(&good, &ws).expect("saved");
    drop(ws);
    let bytes = std::fs::read(&good).expect("read");
    let len = bytes.len();
    let bad = [
        ("syntax", replace_last(&bytes, b"\",\n", b"\"\n")),
        (
            "shape",
            replace_last(&bytes, b"\"status\": \"", b"\"status\": 5, \"x\": \""),
        ),
        (
            "duplicate id",
            replace_last(
                &bytes,
                format!("\"id\": \"{last_id}\"").as_bytes(),
                format!("\"id\": \"{first_id}\"").as_bytes(),
            ),
        ),
    ];
    drop(bytes);
    let (normal, opened) = peak_opening(&good);
    assert!(opened, "the good file opens");
    println!(
        "normal load: peak {:.1} MB for a {:.1} MB file",
        normal as f64 / 1e6,
        len as f64 / 1e6
    );
    for (what, text) in bad {
        let path = dir.path().join(format!("{what}.json"));
        std::fs::write(&path, text).expect("write");
        let (peak, opened) = peak_opening(&path);
        assert!(!opened, "{what}: refused");
        println!("{what} at the end: peak {:.1} MB", peak as f64 / 1e6);
        assert!(
            peak <= normal + normal / 20,
            "{what}: the error path held {peak} bytes at most, the normal load {normal}"
        );
    }
}
