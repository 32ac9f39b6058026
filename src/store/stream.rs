//! Reading a large workspace without holding the whole file in memory: the file is read in
//! chunks, the top-level object is scanned for its `claims` array, and each claim is parsed
//! as soon as its bytes are complete, then dropped. The content hash (for noticing outside
//! changes) is computed in the same pass. Peak memory is the parsed workspace plus one
//! chunk, not the file plus the parsed workspace.

use super::StoreError;
use crate::model::{Claim, Workspace};
use serde_json::{Map, Value};
use std::io::Read;
use std::path::Path;

/// A content hash fast enough for hundreds of megabytes: 64-bit words, rotate-xor-multiply.
/// Not for adversaries — for telling whether a file changed.
#[derive(Debug, Clone, Default)]
pub struct ContentHash {
    state: u64,
    tail: Vec<u8>,
    len: u64,
}

impl ContentHash {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;

    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if !self.tail.is_empty() {
            let need = 8 - self.tail.len();
            let take = need.min(bytes.len());
            self.tail.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.tail.len() == 8 {
                let w = u64::from_le_bytes(self.tail[..8].try_into().unwrap_or([0; 8]));
                self.mix(w);
                self.tail.clear();
            }
        }
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.mix(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        self.tail.extend_from_slice(chunks.remainder());
    }

    fn mix(&mut self, w: u64) {
        self.state = (self.state.rotate_left(5) ^ w).wrapping_mul(Self::K);
    }

    pub fn finish(&self) -> u64 {
        let mut h = self.clone();
        let mut last = [0u8; 8];
        last[..h.tail.len()].copy_from_slice(&h.tail);
        h.mix(u64::from_le_bytes(last));
        h.mix(h.len);
        h.state
    }

    pub fn of(bytes: &[u8]) -> u64 {
        let mut h = Self::default();
        h.update(bytes);
        h.finish()
    }
}

const CHUNK: usize = 8 << 20;

/// Threads that parse claims while the reading thread scans.
const PARSERS: usize = 2;

/// What streaming found: the workspace (not yet checked or normalised), the content hash
/// and the file's length.
pub struct Streamed {
    pub workspace: Workspace,
    pub hash: u64,
    pub len: u64,
}

/// Where the scanner is in the top-level object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Top {
    /// Before the `{`.
    Start,
    /// Expecting a key (or `}`).
    Key,
    /// After a key and its `:`; `claims` is handled by `InClaims`.
    Value,
    /// Inside the `claims` array, between elements.
    InClaims,
    /// After the final `}`.
    Done,
}

/// Reads a workspace from `reader` claim by claim. Returns None when the file is not shaped
/// as expected (not an object, not JSON...): the caller then reads it whole to say why
/// precisely. `progress` is told how many bytes were read so far.
pub fn read(
    mut reader: impl Read,
    mut progress: impl FnMut(u64),
) -> Result<Option<Streamed>, std::io::Error> {
    let mut hash = ContentHash::default();
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK * 2);
    let mut pos = 0usize; // scan position in buf
    let mut total = 0u64;
    let mut eof = false;
    let mut top = Top::Start;
    let mut key: Option<String> = None;
    let mut other = Map::new();
    // Claims are parsed on two more threads while this one reads and scans: parsing is
    // the bulk of the work, and this thread is done reading well before it ends.
    let mut senders = Vec::new();
    let mut parsers = Vec::new();
    for _ in 0..PARSERS {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(128);
        senders.push(tx);
        parsers.push(std::thread::spawn(
            move || -> Option<Vec<(usize, Claim)>> {
                let mut claims = Vec::new();
                let mut failed = false;
                for (n, span) in rx {
                    if failed {
                        continue;
                    }
                    match serde_json::from_slice::<Claim>(&span) {
                        Ok(c) => claims.push((n, c)),
                        Err(_) => failed = true,
                    }
                }
                (!failed).then_some(claims)
            },
        ));
    }
    let mut count = 0usize;
    let mut first_chunk = true;

    loop {
        // Keep at least a chunk ahead of the scan position.
        if !eof && buf.len() - pos < CHUNK {
            buf.drain(..pos);
            pos = 0;
            let start = buf.len();
            buf.resize(start + CHUNK, 0);
            let n = read_full(&mut reader, &mut buf[start..])?;
            buf.truncate(start + n);
            hash.update(&buf[start..]);
            if first_chunk && buf.starts_with(b"\xef\xbb\xbf") {
                buf.drain(..3);
            }
            first_chunk = false;
            total += n as u64;
            progress(total);
            eof = n == 0;
        }
        pos = skip_ws(&buf, pos);
        if pos >= buf.len() {
            if eof {
                break;
            }
            continue;
        }
        match top {
            Top::Start => {
                if buf[pos] != b'{' {
                    return Ok(None);
                }
                pos += 1;
                top = Top::Key;
            }
            Top::Key => match buf[pos] {
                b'}' => {
                    pos += 1;
                    top = Top::Done;
                }
                b',' => pos += 1,
                b'"' => {
                    let Some(end) = value_end(&buf, pos, eof) else {
                        if eof {
                            return Ok(None);
                        }
                        continue;
                    };
                    let Ok(k) = serde_json::from_slice::<String>(&buf[pos..end]) else {
                        return Ok(None);
                    };
                    pos = skip_ws(&buf, end);
                    if buf.get(pos) != Some(&b':') {
                        return Ok(None);
                    }
                    pos += 1;
                    top = if k == "claims" {
                        Top::InClaims
                    } else {
                        Top::Value
                    };
                    if top == Top::InClaims {
                        pos = skip_ws(&buf, pos);
                        if buf.get(pos) != Some(&b'[') {
                            return Ok(None);
                        }
                        pos += 1;
                    }
                    key = Some(k);
                }
                _ => return Ok(None),
            },
            Top::Value => {
                let Some(end) = value_end(&buf, pos, eof) else {
                    if eof {
                        return Ok(None);
                    }
                    continue;
                };
                let Ok(v) = serde_json::from_slice::<Value>(&buf[pos..end]) else {
                    return Ok(None);
                };
                if let Some(k) = key.take() {
                    other.insert(k, v);
                }
                pos = end;
                top = Top::Key;
            }
            Top::InClaims => match buf[pos] {
                b']' => {
                    pos += 1;
                    key = None;
                    top = Top::Key;
                }
                b',' => pos += 1,
                b'{' => {
                    let Some(end) = value_end(&buf, pos, eof) else {
                        if eof {
                            return Ok(None);
                        }
                        continue;
                    };
                    let to = &senders[count % PARSERS];
                    if to.send((count, buf[pos..end].to_vec())).is_err() {
                        return Ok(None);
                    }
                    count += 1;
                    pos = end;
                }
                _ => return Ok(None),
            },
            Top::Done => return Ok(None),
        }
    }
    drop(senders);
    let mut numbered = Vec::with_capacity(count);
    for p in parsers {
        match p.join().ok().flatten() {
            Some(part) => numbered.extend(part),
            None => return Ok(None),
        }
    }
    if top != Top::Done {
        return Ok(None);
    }
    numbered.sort_unstable_by_key(|(n, _)| *n);
    let claims: Vec<Claim> = numbered.into_iter().map(|(_, c)| c).collect();
    other.insert("claims".into(), Value::Array(Vec::new()));
    // Build the workspace from the top-level fields (claims parsed already).
    let Ok(mut workspace) = serde_json::from_value::<Workspace>(Value::Object(other)) else {
        return Ok(None);
    };
    workspace.claims = claims;
    Ok(Some(Streamed {
        workspace,
        hash: hash.finish(),
        len: total,
    }))
}

fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn skip_ws(buf: &[u8], mut pos: usize) -> usize {
    while pos < buf.len() && buf[pos].is_ascii_whitespace() {
        pos += 1;
    }
    pos
}

/// The end (exclusive) of the JSON value starting at `start`, if it is all in `buf`.
fn value_end(buf: &[u8], start: usize, eof: bool) -> Option<usize> {
    let mut i = start;
    let mut depth = 0usize;
    loop {
        let b = *buf.get(i)?;
        match b {
            b'"' => {
                // Jump through the string: to the next quote or backslash, fast.
                i += 1;
                loop {
                    let rel = memchr::memchr2(b'"', b'\\', buf.get(i..)?)?;
                    i += rel;
                    if buf[i] == b'\\' {
                        i += 2;
                    } else {
                        i += 1;
                        break;
                    }
                }
                if depth == 0 {
                    return Some(i);
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b',' | b':' if depth == 0 => return Some(i),
            _ if depth == 0 && b.is_ascii_whitespace() => return Some(i),
            _ => {}
        }
        i += 1;
        if i >= buf.len() {
            // A scalar at the very end of the file ends there.
            return (eof && depth == 0).then_some(i);
        }
    }
}

/// Reads the workspace at `path` in one streaming pass; None when it needs the careful,
/// whole-file reading that explains what is wrong.
pub fn read_path(path: &Path, progress: impl FnMut(u64)) -> Result<Option<Streamed>, StoreError> {
    let file = std::fs::File::open(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        action: "read",
        source,
    })?;
    read(file, progress).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        action: "read",
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_the_same_workspace_as_a_whole_read() {
        let text = crate::store::SAMPLE.as_bytes();
        let whole = crate::store::parse(Path::new("s"), text).expect("parses");
        // A tiny chunk size is not configurable; feed a reader that returns 1 KB at a time.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = out.len().min(1024).min(self.0.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let streamed = read(Trickle(text), |_| {}).expect("io").expect("streams");
        let mut ws = streamed.workspace;
        ws.normalize();
        assert_eq!(ws, whole);
        assert_eq!(streamed.hash, ContentHash::of(text));
        assert_eq!(streamed.len, text.len() as u64);
    }

    #[test]
    fn odd_shapes_fall_back_to_the_careful_reader() {
        for bad in [
            &b"[1,2]"[..],
            b"{\"format\": \"claimdesk-workspace\", \"claims\": [1]}",
            b"{\"claims\": [{}",
            b"{} x",
            b"",
            b"{\"a\": tru",
        ] {
            assert!(
                read(bad, |_| {}).expect("io").is_none(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let ok = br#"{"format":"claimdesk-workspace","x":[1,{"y":"]"}],"version":1,"claims":[]}"#;
        let s = read(&ok[..], |_| {}).expect("io").expect("reads");
        assert_eq!(s.workspace.extra["x"][1]["y"], "]");
    }

    #[test]
    fn hash_is_chunking_independent() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut h = ContentHash::default();
        for c in data.chunks(37) {
            h.update(c);
        }
        assert_eq!(h.finish(), ContentHash::of(&data));
        assert_ne!(ContentHash::of(b"ab"), ContentHash::of(b"ba"));
    }
}
