//! The workspace file's bytes as the loader and every body read them: read into memory of
//! claimdesk's own, once. Nothing another program does to the file afterwards (cut it
//! short, write into it, replace it, even while claimdesk is stopped with `C-z` or
//! SIGSTOP) can change what the app shows or what a save copies from it, and no program is
//! ever held back waiting on claimdesk.

use crate::model::body::Bytes;
use std::sync::Arc;

/// The loaded file's bytes.
pub struct Source(Vec<u8>);

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Source({} bytes)", self.0.len())
    }
}

impl Bytes for Source {
    fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl Source {
    /// The bytes, read by `read` (which reports progress as it goes).
    pub fn of(read: impl FnOnce() -> std::io::Result<Vec<u8>>) -> std::io::Result<Arc<Source>> {
        read().map(|bytes| Arc::new(Source(bytes)))
    }
}
