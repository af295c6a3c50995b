//! A cache of template content hashes (`.tenken/template-hashes`, never
//! committed), so that a read command does not serialise every template
//! it matches runs against ([`Inspection::content_hash`] is `ron`'s
//! escaping of every character of the template's text, about ten million
//! instructions for a large template).
//!
//! The cache maps the digest of the parsed template's serde calls
//! ([`Inspection::form_key`]: one walk of the template and a SHA-256 of
//! its text, without `ron`) to its content hash. Two templates with the
//! same key serialise to the same text, so a hit is the hash computing
//! would give; a template changed in any field has another key. The key is
//! of the parsed value, not of the file, so it serves a current template,
//! a blob from git history or a template changed in memory alike.
//!
//! The file names the canonical form it was made with ([`STAMP`]: how
//! `to_ron` writes, the `ron` version, the key's encoding and this crate's
//! version) and ends with a SHA-256 of everything before it. A file that
//! is missing, of another stamp, the wrong length or failing its checksum
//! is ignored and written again with what this command computed: it can
//! cost a recomputation, never a wrong hash, a crash or a hang. It is
//! written once per [`HashCache`], when it is dropped and only if a hash
//! had to be computed, whole and atomically (temporary file, rename) after
//! merging with what another process wrote meanwhile, so two writers at once leave
//! one valid file (the other's new entries are computed again later). A
//! failed write (a read-only repository) costs only speed. Record paths
//! (`finish`, the walker's new draft) always compute: a cached hash is
//! only ever compared, never written into a run.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use sha2::{Digest, Sha256};

use super::{STATE_DIR, atomic, contain};
use crate::load::{self, Source};
use crate::model::Inspection;

/// The cache file, under `.tenken/`.
pub const HASHES_FILE: &str = "template-hashes";

/// What the hashes depend on besides the template: bump the form version
/// whenever `model::to_ron` or the key's encoding changes (a test checks
/// the `ron` version against Cargo.lock).
const STAMP: &str = concat!(
    "tenken template hashes; form 1: model::to_ron = ron 0.12.3 pretty, struct names, ",
    "indentor 4 spaces, tuple members together, arrays not enumerated, newline at the end; ",
    "key: fingerprint::calls v1; tenken ",
    env!("CARGO_PKG_VERSION")
);

/// The file's first bytes.
const MAGIC: &[u8; 8] = b"TKTHASH\x01";
/// At most this many entries are kept (the newest): 64 KiB.
const MAX_ENTRIES: usize = 1024;
/// One entry: the key and the content hash, 32 bytes each.
const ENTRY: usize = 64;
/// Magic, stamp digest, entry count.
const HEADER: usize = 8 + 32 + 4;

/// A key and the content hash of the templates with that key.
type Entry = ([u8; 32], [u8; 32]);

/// The content hashes of one repository's cache, read on first use and
/// written once when dropped if any hash had to be computed (an index
/// build meets many template versions: one write, not one each).
pub struct HashCache {
    root: PathBuf,
    /// Whether the stored file is used at all.
    mode: Mode,
    known: OnceLock<Mutex<Known>>,
}

/// How a [`HashCache`] treats the stored file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Hits are taken from it; what had to be computed is added to it.
    Cached,
    /// Every hash is computed; the file is neither trusted nor written
    /// (`tenken check`, and `TENKEN_INDEX=off`, which keeps every command
    /// away from derived data). What was computed can still be held
    /// against the file ([`HashCache::stored_disagreements`]).
    Fresh,
}

/// The entries read or computed, and whether any was computed.
#[derive(Default)]
struct Known {
    entries: Vec<Entry>,
    computed: bool,
}

impl HashCache {
    /// Prepares the cache of the repository at `root` (nothing is read
    /// until a hash is asked for).
    /// With `TENKEN_INDEX=off` it never reads or writes the file, like the
    /// index.
    pub fn new(root: &Path) -> Self {
        let mode = if super::index::disabled() {
            Mode::Fresh
        } else {
            Mode::Cached
        };
        Self {
            root: root.to_owned(),
            mode,
            known: OnceLock::new(),
        }
    }

    /// A cache that computes every hash and neither trusts nor writes the
    /// stored file, for the commands that check the record.
    pub fn fresh(root: &Path) -> Self {
        Self {
            root: root.to_owned(),
            mode: Mode::Fresh,
            known: OnceLock::new(),
        }
    }

    /// Returns how many of the hashes this cache computed the stored file
    /// holds otherwise (for the same key): a file that is checksummed and
    /// of this stamp but lies, which only a hand could make. Counts only
    /// in [`HashCache::fresh`] mode, where nothing is taken from the file.
    pub fn stored_disagreements(&self) -> usize {
        let Some(known) = self.known.get() else {
            return 0;
        };
        if self.mode != Mode::Fresh {
            return 0;
        }
        let stored = read(&self.root).unwrap_or_default();
        let computed = lock(known);
        computed
            .entries
            .iter()
            .filter(|(key, hash)| stored.iter().any(|(k, h)| k == key && h != hash))
            .count()
    }

    /// Returns [`Inspection::content_hash`] of `template`: from the cache
    /// when it holds the template's key, else computed (and then saved).
    /// `None` when the template cannot be serialised.
    pub fn content_hash(&self, template: &Inspection) -> Option<String> {
        let Some(key) = template.form_key() else {
            return template.content_hash().ok();
        };
        let known = self.known.get_or_init(|| {
            let entries = match self.mode {
                Mode::Cached => read(&self.root).unwrap_or_default(),
                Mode::Fresh => Vec::new(),
            };
            Mutex::new(Known {
                entries,
                computed: false,
            })
        });
        let hit = lock(known)
            .entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, hash)| hex(hash));
        if hit.is_some() {
            return hit;
        }
        let hash = template.content_hash().ok()?;
        if let Some(raw) = unhex(&hash) {
            let mut known = lock(known);
            if !known.entries.iter().any(|(k, _)| *k == key) {
                known.entries.push((key, raw));
                known.computed = true;
            }
        }
        Some(hash)
    }
}

impl Drop for HashCache {
    fn drop(&mut self) {
        let Some(known) = self.known.get_mut() else {
            return;
        };
        let known = known.get_mut().unwrap_or_else(PoisonError::into_inner);
        if known.computed && self.mode == Mode::Cached {
            save(&self.root, &known.entries);
        }
    }
}

fn lock(m: &Mutex<Known>) -> std::sync::MutexGuard<'_, Known> {
    // A poisoned lock only means another reader panicked; the list is
    // always whole.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Where the cache lives, relative to the root.
fn rel() -> PathBuf {
    Path::new(STATE_DIR).join(HASHES_FILE)
}

/// The digest of [`STAMP`], as the file holds it.
fn stamp() -> [u8; 32] {
    Sha256::digest(STAMP.as_bytes()).into()
}

/// Reads the stored entries, oldest first; `None` when there is no usable
/// file.
fn read(root: &Path) -> Option<Vec<Entry>> {
    let limit = (HEADER + MAX_ENTRIES * ENTRY + 32) as u64;
    let bytes = load::read_bytes(Source::repo(root, &rel()), limit).ok()?;
    decode(&bytes)
}

/// Returns the entries of a cache file, or `None` when it is not one of
/// this stamp, whole and unchanged.
fn decode(bytes: &[u8]) -> Option<Vec<Entry>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if Sha256::digest(body).as_slice() != sum {
        return None;
    }
    let (magic, rest) = body.split_first_chunk::<8>()?;
    let (stamped, rest) = rest.split_first_chunk::<32>()?;
    let (count, rest) = rest.split_first_chunk::<4>()?;
    let count = usize::try_from(u32::from_le_bytes(*count)).ok()?;
    if magic != MAGIC || *stamped != stamp() || count > MAX_ENTRIES || rest.len() != count * ENTRY {
        return None;
    }
    rest.chunks_exact(ENTRY)
        .map(|e| {
            let (key, hash) = e.split_first_chunk::<32>()?;
            Some((*key, <[u8; 32]>::try_from(hash).ok()?))
        })
        .collect()
}

/// Encodes `entries` (at most [`MAX_ENTRIES`]) as a cache file.
fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + entries.len() * ENTRY + 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&stamp());
    let count = u32::try_from(entries.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&count.to_le_bytes());
    for (key, hash) in entries {
        out.extend_from_slice(key);
        out.extend_from_slice(hash);
    }
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

/// Writes `mine` merged with what is stored now (another process may have
/// added entries since this one read the file), the newest
/// [`MAX_ENTRIES`] kept. Failing to write is not an error.
fn save(root: &Path, mine: &[Entry]) {
    let mut entries = read(root).unwrap_or_default();
    for e in mine {
        if !entries.iter().any(|(k, _)| *k == e.0) {
            entries.push(*e);
        }
    }
    let drop = entries.len().saturating_sub(MAX_ENTRIES);
    entries.drain(..drop);
    let dir = root.join(STATE_DIR);
    if std::fs::create_dir_all(&dir).is_err() || contain::check_within(root, &dir).is_err() {
        return;
    }
    atomic::remove_stale_temps(&dir.join(HASHES_FILE));
    let _ = atomic::write_atomic(&dir.join(HASHES_FILE), &encode(&entries), 0o644);
}

/// Lowercase hex, as [`Inspection::content_hash`] writes it.
fn hex(bytes: &[u8; 32]) -> String {
    base16ct::lower::encode_string(bytes)
}

/// The 32 bytes of a lowercase hex SHA-256; `None` for anything else.
fn unhex(s: &str) -> Option<[u8; 32]> {
    let mut out = [0; 32];
    let decoded = base16ct::lower::decode(s, &mut out).ok()?.len();
    (decoded == out.len()).then_some(out)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests;
