//! The one workspace loader, used by every command and by the app: strict (whatever
//! serde_json refuses is refused, with the file, line and column; a field claimdesk reads
//! given twice is refused), exact (unknown fields are kept as their JSON text), and fast
//! (the file is read once, into memory of its own; `split` cuts the claims out by their brackets and
//! layout and two parser threads read them, while serde_json reads the frame around them;
//! whatever that fast way does not take, serde_json's pass over the whole file reads, and
//! its error is the one reported).
//!
//! A file that cannot be a workspace (not JSON text, not an object) is refused after its
//! first chunk, without being read whole.

use super::StoreError;
use super::source::Source;
use super::split;
use crate::model::body::{self, Bytes};
use crate::model::{Claim, FORMAT, Origin, Top, TopSeed, VERSION, Workspace};
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::cell::Cell;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::mpsc::SyncSender;

/// A content hash fast enough for hundreds of megabytes: four independent lanes of
/// 64-bit words, rotate-xor-multiply, folded at the end (a single lane waits on its own
/// multiply for every word). Not for adversaries — for telling whether a file changed.
pub fn content_hash(bytes: &[u8]) -> u64 {
    content_hash_of(&[bytes])
}

/// `content_hash` of the parts one after the other.
pub fn content_hash_of(parts: &[&[u8]]) -> u64 {
    let mut h = ContentHasher::default();
    for part in parts {
        h.update(part);
    }
    h.finish()
}

/// `content_hash_of` a file, read a chunk at a time (never held whole): what is on disk.
pub fn content_hash_of_file(path: &Path) -> std::io::Result<(u64, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut h = ContentHasher::default();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok((h.len, h.finish()))
}

/// `content_hash` fed a piece at a time.
struct ContentHasher {
    lanes: [u64; 4],
    /// What is left of the last piece short of a 32-byte block, waiting for the next (on
    /// the stack: short texts such as sentences are hashed without allocating).
    tail: [u8; 32],
    held: usize,
    len: u64,
}

impl Default for ContentHasher {
    fn default() -> Self {
        Self {
            lanes: [1, 2, 3, 4],
            tail: [0; 32],
            held: 0,
            len: 0,
        }
    }
}

impl ContentHasher {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    fn mix(state: u64, w: u64) -> u64 {
        (state.rotate_left(5) ^ w).wrapping_mul(Self::K)
    }

    fn word(c: &[u8]) -> u64 {
        let mut w = [0u8; 8];
        w[..c.len()].copy_from_slice(c);
        u64::from_le_bytes(w)
    }

    fn block(&mut self, b: &[u8]) {
        for (lane, c) in self.lanes.iter_mut().zip(b.chunks_exact(8)) {
            *lane = Self::mix(*lane, Self::word(c));
        }
    }

    fn update(&mut self, mut part: &[u8]) {
        self.len += part.len() as u64;
        if self.held != 0 {
            let take = (32 - self.held).min(part.len());
            self.tail[self.held..self.held + take].copy_from_slice(&part[..take]);
            self.held += take;
            part = &part[take..];
            if self.held < 32 {
                return;
            }
            let tail = self.tail;
            self.block(&tail);
        }
        let mut blocks = part.chunks_exact(32);
        for b in &mut blocks {
            self.block(b);
        }
        let rest = blocks.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.held = rest.len();
    }

    fn finish(&self) -> u64 {
        let mut h = self.lanes.iter().fold(0, |h, &lane| Self::mix(h, lane));
        for c in self.tail[..self.held].chunks(8) {
            h = Self::mix(h, Self::word(c));
        }
        Self::mix(h, self.len)
    }
}

/// The hash journals started by claimdesk 0.1 recorded of their file (one lane), to tell
/// whether such a journal belongs to a file with no `workspace_id`.
pub fn legacy_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mix = |state: u64, w: u64| (state.rotate_left(5) ^ w).wrapping_mul(K);
    let mut state = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        state = mix(state, u64::from_le_bytes(w));
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    state = mix(state, u64::from_le_bytes(last));
    mix(state, bytes.len() as u64)
}

/// How much of the file one read takes (and what the progress is told at a time).
const CHUNK: usize = 8 << 20;

/// Threads that parse claims while serde_json cuts them out of the file.
const PARSERS: usize = 2;

/// A workspace as loaded: checked and normalised, with the content hash and the length of
/// the file it came from.
#[derive(Debug)]
pub struct Loaded {
    pub workspace: Workspace,
    pub hash: u64,
    pub len: u64,
    /// The file's modification time when it was opened.
    pub modified: Option<std::time::SystemTime>,
    /// The time its inode last changed (`ctime`), which no tool can set back: a write
    /// whose modification time was put back (`touch -r`, `rsync -t`) still moves it.
    pub changed: Option<(i64, i64)>,
    /// Which file it was (device and inode): a replace by another file is a change even
    /// with the same length and time.
    pub file_id: Option<(u64, u64)>,
    /// The bytes the workspace's update bodies point into.
    pub source: Arc<Source>,
}

/// The device and inode of a file.
pub fn file_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Reads and checks the workspace at `path`; the file is never written. `progress` is
/// told how many bytes were read so far. A FIFO or a device is refused, never waited on.
pub fn read_path(path: &Path, progress: impl FnMut(u64)) -> Result<Loaded, StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_owned(),
        action: "read",
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(StoreError::NotAFile {
            path: path.to_owned(),
        });
    }
    read_file(path, file, meta, progress)
}

/// Reads and checks a workspace kept beside another (its `.bak`) as a side file: a plain
/// file or nothing (see `files::open_plain`), never through a link.
pub fn read_side_path(path: &Path, expect: super::files::Expect<'_>) -> Result<Loaded, StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_owned(),
        action: "read",
        source,
    };
    match super::files::open_plain(path, expect).map_err(io)? {
        Some((file, meta)) => read_file(path, file, meta, |_| {}),
        None => Err(io(std::io::ErrorKind::NotFound.into())),
    }
}

/// Reads the open workspace `file` (whose metadata is `meta`) and checks it.
fn read_file(
    path: &Path,
    mut file: std::fs::File,
    meta: std::fs::Metadata,
    mut progress: impl FnMut(u64),
) -> Result<Loaded, StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_owned(),
        action: "read",
        source,
    };
    let expected = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    // A file that cannot be a workspace is refused on its first chunk, unread.
    let mut first = Vec::with_capacity(CHUNK.min(expected.saturating_add(1)));
    (&mut file)
        .take(CHUNK as u64)
        .read_to_end(&mut first)
        .map_err(io)?;
    if let Some(e) = refuse_early(path, &first, first.len() < CHUNK) {
        progress(first.len() as u64);
        return Err(e);
    }
    let source = Source::of(|| {
        let mut bytes = first;
        bytes
            .try_reserve_exact(expected.saturating_add(1).saturating_sub(bytes.len()))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::OutOfMemory))?;
        progress(bytes.len() as u64);
        while (&file).take(CHUNK as u64).read_to_end(&mut bytes)? > 0 {
            progress(bytes.len() as u64);
        }
        Ok(bytes)
    })
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::OutOfMemory => StoreError::TooBig {
            path: path.to_owned(),
            len: meta.len(),
        },
        _ => io(e),
    })?;
    let bytes = source.bytes();
    let shared: Arc<dyn Bytes> = source.clone();
    let (hash, workspace) = std::thread::scope(|scope| {
        let hasher = scope.spawn(|| content_hash(bytes));
        let workspace = parse_shared(path, &shared);
        (hasher.join().unwrap_or_default(), workspace)
    });
    Ok(Loaded {
        workspace: workspace?,
        hash,
        len: bytes.len() as u64,
        modified: meta.modified().ok(),
        changed: changed_time(&meta),
        file_id: file_id(&meta),
        source,
    })
}

/// The time a file's inode last changed (`ctime`: seconds, nanoseconds).
pub fn changed_time(meta: &std::fs::Metadata) -> Option<(i64, i64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.ctime(), meta.ctime_nsec()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// JSON's whitespace (not form feed or vertical tab, which `is_ascii_whitespace` allows).
fn is_json_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A UTF-8 byte order mark, which editors may put first; claimdesk reads past it (and
/// writes none).
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Why the file cannot be a workspace, judged from its first chunk alone: invalid UTF-8,
/// or a first character that does not open an object.
fn refuse_early(path: &Path, prefix: &[u8], whole: bool) -> Option<StoreError> {
    if whole {
        return None; // parse() says it best.
    }
    let body = prefix.strip_prefix(BOM).unwrap_or(prefix);
    if let Err(e) = std::str::from_utf8(body)
        && e.error_len().is_some()
    {
        return Some(utf8_error(path, body, e.valid_up_to()));
    }
    let first = body.iter().position(|&b| !is_json_space(b))?;
    (body[first] != b'{').then(|| not_an_object(path, body, first))
}

/// The error for a document whose first value is not an object.
fn not_an_object(path: &Path, body: &[u8], first: usize) -> StoreError {
    let kind = match body[first] {
        b'[' => "an array",
        b'"' => "a string",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        b'-' | b'0'..=b'9' => "a number",
        _ => {
            let (line, column) = position(body, first);
            return StoreError::Syntax {
                path: path.to_owned(),
                line,
                column,
                message: "expected value".to_owned(),
            };
        }
    };
    StoreError::NotWorkspace {
        path: path.to_owned(),
        found: format!("the file holds {kind}"),
    }
}

/// Line and column (1-based, in bytes, as serde_json counts) of a byte offset.
fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = 1 + memchr::memchr_iter(b'\n', before).count();
    let column = match memchr::memrchr(b'\n', before) {
        Some(nl) => offset - nl,
        None => offset + 1,
    };
    (line, column)
}

fn utf8_error(path: &Path, body: &[u8], offset: usize) -> StoreError {
    let (line, column) = position(body, offset);
    StoreError::Utf8 {
        path: path.to_owned(),
        line,
        column,
        offset,
    }
}

/// The bytes as text, or the offset of the first invalid byte. simdutf8 checks a whole
/// file at several times the speed of `str::from_utf8` (with the widest vector
/// instructions the processor has, chosen when it runs); the standard check says where an
/// error is.
fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    simdutf8::basic::from_utf8(bytes)
        .or_else(|_| std::str::from_utf8(bytes))
        .map_err(|e| e.valid_up_to())
}

/// Parses and checks workspace bytes; `path` only names the file in errors.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Workspace, StoreError> {
    parse_shared(path, &(Arc::new(bytes.to_vec()) as Arc<dyn Bytes>))
}

/// One claim's updates from their JSON array (a database's rows put together), read as
/// the file's claims read theirs: every field checked, unknown ones kept, each body a
/// span of `text`. The error says what is wrong.
pub fn updates(text: Vec<u8>) -> Result<crate::model::Updates, String> {
    let source: Arc<dyn Bytes> = Arc::new(text);
    let text = utf8(source.bytes()).map_err(|at| format!("are not UTF-8 (byte {at})"))?;
    body::reading_from(&source, || {
        serde_json::from_str::<Vec<crate::model::Update>>(text)
    })
    .map(|mut list| {
        list.shrink_to_fit();
        crate::model::Updates::from(list)
    })
    .map_err(|e| format!("do not read ({e})"))
}

/// `parse`, with update bodies kept as spans of `source`.
fn parse_shared(path: &Path, source: &Arc<dyn Bytes>) -> Result<Workspace, StoreError> {
    let bytes = source.bytes();
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut workspace = match parse_split(path, body, source) {
        Some(read) => read?,
        None => parse_whole(path, body, source)?,
    };
    check_ids(path, &workspace)?;
    workspace.normalize();
    Ok(workspace)
}

/// The first claim that did not parse, by its place in the array.
#[derive(Default)]
struct Failed(Mutex<Option<(usize, usize)>>);

impl Failed {
    fn note(&self, index: usize, offset: usize) {
        if let Ok(mut first) = self.0.lock()
            && first.is_none_or(|(i, _)| index < i)
        {
            *first = Some((index, offset));
        }
    }

    fn any(&self) -> bool {
        self.0.lock().map_or(true, |f| f.is_some())
    }

    fn first(&self) -> Option<(usize, usize)> {
        self.0.lock().ok().and_then(|f| *f)
    }
}

/// The `claims` array, each element handed raw to a parser thread in turn.
struct RawClaims<'a> {
    to: Vec<SyncSender<Piece<'a>>>,
}

/// What the `claims` value was: an array of so many claims, or (an error said once the
/// header is known good) a value of another kind.
type ClaimsRead = Result<usize, &'static str>;

impl<'a> DeserializeSeed<'a> for RawClaims<'a> {
    type Value = ClaimsRead;

    fn deserialize<D: serde::Deserializer<'a>>(self, de: D) -> Result<ClaimsRead, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for RawClaims<'a> {
    type Value = ClaimsRead;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of claims")
    }

    fn visit_bool<E>(self, _: bool) -> Result<ClaimsRead, E> {
        Ok(Err("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<ClaimsRead, E> {
        Ok(Err("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<ClaimsRead, E> {
        Ok(Err("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<ClaimsRead, E> {
        Ok(Err("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<ClaimsRead, E> {
        Ok(Err("a string"))
    }
    fn visit_unit<E>(self) -> Result<ClaimsRead, E> {
        Ok(Err("null"))
    }
    fn visit_map<A: serde::de::MapAccess<'a>>(self, mut map: A) -> Result<ClaimsRead, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Err("an object"))
    }

    fn visit_seq<A: SeqAccess<'a>>(self, mut seq: A) -> Result<ClaimsRead, A::Error> {
        let mut count = 0;
        while let Some(raw) = seq.next_element::<&'a RawValue>()? {
            // A parser that stopped (at a bad claim) takes no more; the scan goes on, so
            // that a syntax error later in the file is still the one reported.
            let _ = self.to[count % self.to.len()].send((count, raw.get().as_bytes()));
            count += 1;
        }
        Ok(Ok(count))
    }
}

/// A claim's number and text, as sent to a parser thread.
type Piece<'a> = (usize, &'a [u8]);

/// A parser thread, answering with the claims it read and their numbers.
type Parser<'s> = std::thread::ScopedJoinHandle<'s, Vec<(usize, Claim)>>;

/// Parser threads: each reads the claims sent to it, as `(index, text)`, into claims whose
/// bodies are spans of `source`; after a claim that does not parse, `failed` says which,
/// and no thread reads more.
fn claim_parsers<'s, 'a: 's>(
    scope: &'s std::thread::Scope<'s, 'a>,
    source: &'a Arc<dyn Bytes>,
    failed: &'a Failed,
    base: usize,
) -> (Vec<SyncSender<Piece<'a>>>, Vec<Parser<'s>>) {
    let mut to = Vec::with_capacity(PARSERS);
    let mut parsers = Vec::with_capacity(PARSERS);
    for _ in 0..PARSERS {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Piece>(256);
        to.push(tx);
        parsers.push(scope.spawn(move || {
            let mut claims = Vec::new();
            let start_of = |raw: &str| raw.as_ptr() as usize - source.bytes().as_ptr() as usize;
            for (n, raw) in rx {
                if failed.any() {
                    continue;
                }
                let Ok(raw) = simdutf8::basic::from_utf8(raw) else {
                    failed.note(n, raw.as_ptr() as usize - base);
                    continue;
                };
                // Each claim's bodies share a handle of the claim's own (see `body::lend`).
                let read =
                    body::reading_from(&body::lend(source), || serde_json::from_str::<Claim>(raw));
                match read {
                    Ok(mut c) => {
                        let start = start_of(raw);
                        let span = start..start + raw.len();
                        c.origin = Origin::read(&c, Arc::clone(source), span);
                        claims.push((n, c));
                    }
                    Err(_) => failed.note(n, raw.as_ptr() as usize - base),
                }
            }
            claims
        }));
    }
    (to, parsers)
}

/// The claims read, in order, or which one did not parse.
fn gather(parsers: Vec<Parser<'_>>) -> Vec<(usize, Claim)> {
    let mut numbered: Vec<(usize, Claim)> = parsers
        .into_iter()
        .flat_map(|p| p.join().unwrap_or_default())
        .collect();
    numbered.sort_unstable_by_key(|(n, _)| *n);
    numbered
}

/// The claims cut out by `split` and read on the parser threads, and the frame around
/// them read by serde_json; `None` if any of it does not read (serde_json's pass over the
/// whole file then finds the error and says where). Every byte is checked to be UTF-8:
/// each claim by its parser, the frame here, and between claims only ASCII is allowed.
fn parse_split(
    path: &Path,
    body: &[u8],
    source: &Arc<dyn Bytes>,
) -> Option<Result<Workspace, StoreError>> {
    let failed = Failed::default();
    let base = body.as_ptr() as usize;
    let (found, count, numbered) = std::thread::scope(|scope| {
        let (to, parsers) = claim_parsers(scope, source, &failed, base);
        let mut count = 0;
        let found = split::claims(body, |span| {
            let _ = to[count % to.len()].send((count, &body[span]));
            count += 1;
        });
        drop(to);
        (found, count, gather(parsers))
    });
    let found = found?;
    if failed.any() || numbered.len() != count {
        return None;
    }
    let frame = [&body[..found.open], &body[found.close..]].concat();
    let frame = simdutf8::basic::from_utf8(&frame).ok()?;
    let field = Cell::new("");
    let mut de = serde_json::Deserializer::from_str(frame);
    let top = TopSeed {
        claims: std::marker::PhantomData::<serde::de::IgnoredAny>,
        field: &field,
    }
    .deserialize(&mut de)
    .and_then(|top| de.end().map(|()| top))
    .ok()?;
    Some(finish(path, top, Ok(count), || Ok(numbered)))
}

/// The top-level object: serde_json reads it (so its syntax is serde_json's), cutting out
/// each claim as raw text for the parser threads. What is wrong is said in the order a
/// reader needs it: the file's encoding and syntax, then whether it is a workspace at
/// all, then a claim's shape.
fn parse_whole(path: &Path, body: &[u8], source: &Arc<dyn Bytes>) -> Result<Workspace, StoreError> {
    let text = utf8(body).map_err(|at| utf8_error(path, body, at))?;
    let Some(first) = body.iter().position(|&b| !is_json_space(b)) else {
        return Err(StoreError::Empty {
            path: path.to_owned(),
        });
    };
    if body[first] != b'{' {
        // Valid JSON of another kind, or not JSON: serde_json says which, and where.
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Err(e) if e.classify() != serde_json::error::Category::Data => {
                StoreError::syntax(path, &e)
            }
            _ => not_an_object(path, body, first),
        });
    }
    let field = Cell::new("");
    let failed = Failed::default();
    let base = text.as_ptr() as usize;
    let (top, numbered) = std::thread::scope(|scope| {
        let (to, parsers) = claim_parsers(scope, source, &failed, base);
        let mut de = serde_json::Deserializer::from_str(text);
        let top = TopSeed {
            claims: RawClaims { to },
            field: &field,
        }
        .deserialize(&mut de)
        .and_then(|top| de.end().map(|()| top));
        (top, gather(parsers))
    });
    let top = top.map_err(|e| top_level_error(path, field.get(), &e))?;
    let read = top.claims.unwrap_or(Ok(0));
    finish(path, top, read, || match failed.first() {
        Some((index, offset)) => Err(claim_error(path, text, index, offset)),
        None => Ok(numbered),
    })
}

/// The workspace from its top-level fields and its claims, checked in the order a reader
/// needs it: whether it is a workspace at all, then the shape of its fields and claims.
fn finish<C>(
    path: &Path,
    top: Top<C>,
    read: ClaimsRead,
    claims: impl FnOnce() -> Result<Vec<(usize, Claim)>, StoreError>,
) -> Result<Workspace, StoreError> {
    let (format, version) = check_header(path, top.format.as_deref(), top.version.as_deref())?;
    let shape = |field: &str, message: String| StoreError::Shape {
        path: path.to_owned(),
        field: field.to_owned(),
        line: 0,
        column: 0,
        message,
    };
    let (journal_seq, workspace_id) = top
        .marks::<serde_json::Error>()
        .map_err(|e| shape("(top level)", e.to_string()))?;
    let count = read.map_err(|found| {
        shape(
            "claims",
            format!("expected an array of claims, found {found}"),
        )
    })?;
    let numbered = claims()?;
    if numbered.len() != count {
        return Err(shape(
            "claims",
            format!("only {} of {count} claims could be read", numbered.len()),
        ));
    }
    Ok(Workspace {
        format,
        version,
        journal_seq,
        workspace_id,
        claims: numbered.into_iter().map(|(_, c)| c).collect(),
        extra: top.extra,
    })
}

/// An error from reading the top-level object: a syntax error anywhere in the file, or a
/// top-level field of the wrong shape.
fn top_level_error(path: &Path, field: &str, e: &serde_json::Error) -> StoreError {
    if e.classify() != serde_json::error::Category::Data {
        return StoreError::syntax(path, e);
    }
    match StoreError::syntax(path, e) {
        StoreError::Syntax {
            path,
            line,
            column,
            message,
        } => StoreError::Shape {
            path,
            field: if field.is_empty() {
                "(top level)".to_owned()
            } else {
                field.to_owned()
            },
            line,
            column,
            message,
        },
        other => other,
    }
}

/// The shape error of the claim at `index` (its text starts at `offset`), with the path of
/// the field and its place in the file.
fn claim_error(path: &Path, text: &str, index: usize, offset: usize) -> StoreError {
    let raw = &text[offset..];
    let mut de = serde_json::Deserializer::from_str(raw);
    let Err(e) = serde_path_to_error::deserialize::<_, Claim>(&mut de) else {
        return StoreError::Encode {
            message: format!("claims[{index}] did not read the same twice"),
        };
    };
    let field = match e.path().to_string().as_str() {
        "." => format!("claims[{index}]"),
        inner => format!("claims[{index}].{inner}"),
    };
    let inner = e.into_inner();
    let (start_line, start_column) = position(text.as_bytes(), offset);
    let line = start_line + inner.line().saturating_sub(1);
    let column = if inner.line() <= 1 {
        start_column + inner.column().saturating_sub(1)
    } else {
        inner.column()
    };
    let message = match StoreError::syntax(path, &inner) {
        StoreError::Syntax { message, .. } => message,
        other => other.to_string(),
    };
    StoreError::Shape {
        path: path.to_owned(),
        field,
        line,
        column,
        message,
    }
}

/// `format` must be ours and `version` one this build reads.
fn check_header(
    path: &Path,
    format: Option<&RawValue>,
    version: Option<&RawValue>,
) -> Result<(String, u64), StoreError> {
    let format_text = format.and_then(|f| serde_json::from_str::<String>(f.get()).ok());
    let Some(format_text) = format_text.filter(|f| f == FORMAT) else {
        let found = match format {
            Some(value) => format!("\"format\": {}", excerpt(value.get())),
            None => "no \"format\" field".to_owned(),
        };
        return Err(StoreError::NotWorkspace {
            path: path.to_owned(),
            found,
        });
    };
    match version.and_then(|v| serde_json::from_str::<u64>(v.get()).ok()) {
        Some(v) if v > VERSION => Err(StoreError::TooNew {
            path: path.to_owned(),
            version: v,
        }),
        Some(v) => Ok((format_text, v)),
        None => Err(StoreError::Shape {
            path: path.to_owned(),
            field: "version".to_owned(),
            line: 0,
            column: 0,
            message: match version {
                Some(v) => format!("expected a whole number, found {}", excerpt(v.get())),
                None => "missing; expected a whole number".to_owned(),
            },
        }),
    }
}

/// A value as an error message quotes it: at most 40 characters, the rest elided.
fn excerpt(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((cut, _)) => format!("{}… ({} characters)", &value[..cut], value.chars().count()),
        None => value.to_owned(),
    }
}

/// Every claim has an id of its own (`model::id_problem` says what a good one is): what
/// the loader reads and what an import may write.
pub fn check_ids(path: &Path, workspace: &Workspace) -> Result<(), StoreError> {
    let mut seen = std::collections::HashMap::new();
    for (i, claim) in workspace.claims.iter().enumerate() {
        if let Some(problem) = crate::model::id_problem(&claim.id) {
            return Err(StoreError::Shape {
                path: path.to_owned(),
                field: format!("claims[{i}].id"),
                line: 0,
                column: 0,
                message: problem.to_owned(),
            });
        }
        if let Some(first) = seen.insert(claim.id.as_str(), i) {
            return Err(StoreError::Shape {
                path: path.to_owned(),
                field: format!("claims[{i}].id"),
                line: 0,
                column: 0,
                message: format!(
                    "claim id \"{}\" is used twice (also claims[{first}])",
                    claim.id
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shared(text: &[u8]) -> Arc<dyn Bytes> {
        Arc::new(text.to_vec())
    }

    /// The two ways of reading, as the loader would take them.
    fn both(text: &[u8]) -> (Option<Result<Workspace, String>>, Result<Workspace, String>) {
        // As the loader does: the text read is the source's own bytes.
        let source = shared(text);
        let text = source.bytes();
        let path = Path::new("w.json");
        let split = parse_split(path, text, &source).map(|r| r.map_err(|e| e.to_string()));
        let whole = parse_whole(path, text, &source).map_err(|e| e.to_string());
        (split, whole)
    }

    #[test]
    fn the_split_reading_is_taken_for_what_claimdesk_and_others_write() {
        let pretty = crate::store::SAMPLE.as_bytes();
        let value: serde_json::Value = serde_json::from_slice(pretty).expect("sample");
        let minified = serde_json::to_vec(&value).expect("json");
        let tabs = serde_json::to_string_pretty(&value)
            .expect("json")
            .replace("  ", "\t")
            .into_bytes();
        for text in [pretty, &minified, &tabs] {
            let (split, whole) = both(text);
            let split = split.expect("the fast way is taken").expect("reads");
            assert_eq!(Ok(split), whole);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        /// Wherever the split reading answers, it answers as serde_json's pass over the
        /// whole file does; where that pass refuses, the split reading does not answer.
        #[test]
        fn the_split_reading_answers_as_the_whole_pass(
            edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(vec![
                &b""[..], b"{", b"}", b"[", b"]", b",", b"\"", b"\\", b":", b"\n    }", b"\n    {",
                b" ", b"\xc3\xa9", b"\x80", b"\xff", b"\"claims\": [],",
            ]), 0..4usize), 1..4),
        ) {
            let mut text = crate::store::SAMPLE.as_bytes().to_vec();
            for (at, insert, delete) in edits {
                let at = at.index(text.len());
                let end = (at + delete).min(text.len());
                text.splice(at..end, insert.iter().copied());
            }
            let (split, whole) = both(&text);
            if let Some(split) = split {
                prop_assert_eq!(split, whole);
            }
        }
    }

    #[test]
    fn the_hash_of_parts_is_the_hash_of_the_whole() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = super::content_hash(&bytes);
        for cut in [0, 1, 7, 31, 32, 33, 500, 999, 1000] {
            for second in [cut, (cut + 5).min(1000), 1000] {
                let parts = [&bytes[..cut], &bytes[cut..second], &bytes[second..]];
                assert_eq!(
                    super::content_hash_of(&parts),
                    whole,
                    "cut at {cut}, {second}"
                );
            }
        }
        assert_ne!(super::content_hash(&bytes[1..]), whole);
    }

    #[test]
    fn utf8_is_checked_as_the_standard_library_checks_it() {
        let texts: Vec<Vec<u8>> = vec![
            "aé日本😀b".repeat(7).into_bytes(),
            b"abc\x80def".to_vec(),
            b"abcd\xe6\x97zz".to_vec(),
            [b"xx".to_vec(), vec![0x80; 9], b"yy".to_vec()].concat(),
            [vec![b'a'; 5], vec![0xff], vec![b'b'; 5]].concat(),
            [vec![b'a'; 11], vec![0xf0, 0x9f, 0x98]].concat(),
        ];
        for text in &texts {
            // Past 64 bytes, simdutf8 checks in vector blocks: errors in and across them.
            for cut in (0..text.len()).chain([63, 64, 65, 127, 128, 1000]) {
                let mut shifted = vec![b'.'; cut];
                shifted.extend_from_slice(text);
                let want = std::str::from_utf8(&shifted).map_err(|e| e.valid_up_to());
                assert_eq!(
                    super::utf8(&shifted).map(str::len),
                    want.map(str::len),
                    "{shifted:?}"
                );
            }
        }
    }
}
