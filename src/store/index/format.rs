//! The index file: `TENKENIX`, a format version, the body's length and its
//! CRC-32, then the body in postcard. Decoding trusts nothing: the
//! checksum catches damage, every length is bounded by the bytes that are
//! there (and by the limits below), and every value is checked for what it
//! can be (ids, run ids against their paths, sorted unique paths, template
//! references, choices on their scales, dates) before anything is used.
//! A file that fails any of it is simply not an index; the caller rebuilds.
//!
//! The checksum is CRC-32 (`crc32fast`), not a cryptographic digest: it is
//! there to catch damage (it finds every change of up to 32 bits in a row,
//! so any one byte changed anywhere), and a hand that forges an index can
//! make either kind of sum; the checks on values are what keep a forged
//! index from giving another answer. It costs ~0.03 ms over a 2 MB index
//! where SHA-256 cost ~1 ms of every read command (format 1).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset};
use git2::Oid;
use serde::{Deserialize, Serialize};

use crate::model::{Action, Id, Run, Withdrawal};

mod decode;
mod view;

pub use view::{ActionKey, Ids, RunView, View};

/// The first bytes of every index file.
const MAGIC: &[u8; 8] = b"TENKENIX";
/// The layout this build writes and reads; any other is rebuilt.
pub const VERSION: u32 = 2;
/// The header: magic, version, body length, checksum.
pub const HEADER: usize = 8 + 4 + 8 + 4;
/// The largest index file read (a 100,000-run index is about 25 MiB).
pub const MAX_INDEX_BYTES: u64 = 512 * 1024 * 1024;
/// The longest string the index may hold (a note-free run has none longer
/// than an action's text, which a run file limits to far less).
const MAX_STRING: usize = 1 << 20;

/// Stat data of a work-tree file, as git's own index keeps it: when every
/// field is equal, the file is taken to hold what it held when the entry
/// was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    /// Modification time, nanoseconds since the epoch.
    pub mtime: i64,
    /// Status change time, nanoseconds since the epoch.
    pub ctime: i64,
    /// Inode number.
    pub ino: u64,
    /// Size in bytes.
    pub size: u64,
    /// File type and permission bits.
    pub mode: u32,
}

impl Stat {
    /// Takes the stat data of `meta`; `None` where the platform has none.
    #[allow(clippy::unnecessary_wraps)] // `None` on other platforms
    pub fn of(meta: &std::fs::Metadata) -> Option<Self> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Self {
                mtime: meta.mtime().saturating_mul(1_000_000_000) + meta.mtime_nsec(),
                ctime: meta.ctime().saturating_mul(1_000_000_000) + meta.ctime_nsec(),
                ino: meta.ino(),
                size: meta.size(),
                mode: meta.mode(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

/// A git object id as a decoded index holds it: its 20 bytes. Made into a
/// [`git2::Oid`] only where git is read: making an `Oid` initialises
/// libgit2, which loads the system's certificates (about a sixth of a read
/// command's time), and a read with a fresh index needs no git object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RawId(pub [u8; 20]);

impl RawId {
    /// Returns the id as libgit2 takes it.
    pub fn oid(self) -> Result<Oid, git2::Error> {
        Oid::from_bytes(&self.0)
    }

    /// Returns the id in lowercase hex, as git writes it.
    pub fn hex(self) -> String {
        base16ct::lower::encode_string(&self.0)
    }
}

impl From<Oid> for RawId {
    fn from(oid: Oid) -> Self {
        Self(oid_bytes(oid))
    }
}

/// What an index can hold object ids as: `git2::Oid` while it is built or
/// updated from git, [`RawId`] once decoded.
pub trait ObjectId: Copy {
    /// The id's 20 bytes.
    fn bytes(self) -> [u8; 20];
}

impl ObjectId for Oid {
    fn bytes(self) -> [u8; 20] {
        oid_bytes(self)
    }
}

impl ObjectId for RawId {
    fn bytes(self) -> [u8; 20] {
        self.0
    }
}

/// One committed file of the index, owned (what an update works on).
#[derive(Debug, Clone, PartialEq)]
pub struct Record<I = Oid> {
    /// `/`-separated path relative to the root.
    pub path: String,
    /// The blob HEAD's tree has at `path`.
    pub blob: I,
    /// The commit that added it (see `build`); `None` if none was found.
    pub commit: Option<I>,
    /// Stat data of the work-tree file when it was last seen equal to the
    /// blob, unless that was too close to the moment it was taken.
    pub stat: Option<Stat>,
    /// What the file holds, when the index can hold it.
    pub data: Option<Box<RunData>>,
}

/// A valid run as the index holds it: its header and its answers in brief.
#[derive(Debug, Clone, PartialEq)]
pub struct RunData {
    /// The run, with `answers` empty.
    pub run: Run,
    /// The content hash of the template it is scored against.
    pub template: String,
    /// Codes of the brief (`model::Brief::codes`).
    pub codes: Vec<u16>,
    /// Actions of the brief by item position.
    pub actions: Vec<(u16, Action)>,
}

/// A committed withdrawal as the index holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct WithdrawalRecord<I = Oid> {
    /// `/`-separated path relative to the root.
    pub path: String,
    /// Its blob in HEAD's tree.
    pub blob: I,
    /// Stat data, as for runs.
    pub stat: Option<Stat>,
    /// The withdrawal.
    pub withdrawal: Withdrawal,
}

/// A template the indexed runs are scored against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRecord<I = Oid> {
    /// The inspection id.
    pub id: Id,
    /// A blob in git whose text has this content hash.
    pub blob: I,
}

/// Everything an index holds, owned; object ids as `git2::Oid` where it
/// is built or updated, as [`RawId`] where it was decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot<I = Oid> {
    /// The canonical path of the repository's git folder.
    pub repo: String,
    /// The commit the index reflects.
    pub head: I,
    /// Run files in HEAD's tree, by path.
    pub runs: BTreeMap<String, Record<I>>,
    /// Templates by content hash.
    pub templates: BTreeMap<String, TemplateRecord<I>>,
    /// Withdrawal files in HEAD's tree, by path; `None` when one of them
    /// does not read as a withdrawal (they are then read from git).
    pub withdrawals: Option<BTreeMap<String, WithdrawalRecord<I>>>,
    /// Run ids that a `Tenken-Run:` trailer names but HEAD's tree lacks,
    /// with the oldest such commit (normally none).
    pub named: BTreeMap<String, I>,
}

impl<I: Copy> Snapshot<I> {
    /// Returns the same index with every object id made by `f`.
    fn map_ids<J, E>(self, f: impl Fn(I) -> Result<J, E>) -> Result<Snapshot<J>, E> {
        let runs = self
            .runs
            .into_iter()
            .map(|(path, r)| {
                let record = Record {
                    path: r.path,
                    blob: f(r.blob)?,
                    commit: r.commit.map(&f).transpose()?,
                    stat: r.stat,
                    data: r.data,
                };
                Ok((path, record))
            })
            .collect::<Result<_, E>>()?;
        let templates = self
            .templates
            .into_iter()
            .map(|(hash, t)| {
                let blob = f(t.blob)?;
                Ok((hash, TemplateRecord { id: t.id, blob }))
            })
            .collect::<Result<_, E>>()?;
        let withdrawals = match self.withdrawals {
            None => None,
            Some(all) => Some(
                all.into_iter()
                    .map(|(path, w)| {
                        let record = WithdrawalRecord {
                            path: w.path,
                            blob: f(w.blob)?,
                            stat: w.stat,
                            withdrawal: w.withdrawal,
                        };
                        Ok((path, record))
                    })
                    .collect::<Result<_, E>>()?,
            ),
        };
        let named = self
            .named
            .into_iter()
            .map(|(id, c)| Ok((id, f(c)?)))
            .collect::<Result<_, E>>()?;
        Ok(Snapshot {
            repo: self.repo,
            head: f(self.head)?,
            runs,
            templates,
            withdrawals,
            named,
        })
    }
}

impl Snapshot<RawId> {
    /// Returns the index with `git2::Oid`s, to update it from git.
    pub fn into_oids(self) -> Result<Snapshot<Oid>, git2::Error> {
        self.map_ids(RawId::oid)
    }
}

#[cfg(test)]
impl Snapshot<Oid> {
    /// Returns the index with its ids as bytes, as a decoded one holds them.
    pub fn into_raw(self) -> Snapshot<RawId> {
        match self.map_ids(|id| Ok::<_, std::convert::Infallible>(RawId::from(id))) {
            Ok(s) => s,
            Err(never) => match never {},
        }
    }
}

// ---------------------------------------------------------------------------
// The layout on disk (private: only `encode` and `decode` see it)

/// The body; decoded by `decode::body` (in this order of fields).
#[derive(Serialize)]
struct Body<'a> {
    repo: &'a str,
    head: [u8; 20],
    strings: Vec<&'a str>,
    templates: Vec<TemplateRow>,
    runs: Vec<RunRow>,
    withdrawals: Option<Vec<WithdrawalRow>>,
    named: Vec<(u32, [u8; 20])>,
}

#[derive(Serialize, Deserialize)]
struct TemplateRow {
    id: u32,
    hash: u32,
    blob: [u8; 20],
}

#[derive(Serialize, Deserialize)]
struct RunRow {
    path: u32,
    blob: [u8; 20],
    commit: Option<[u8; 20]>,
    stat: Option<Stat>,
    data: Option<RunDataRow>,
}

#[derive(Serialize, Deserialize)]
struct RunDataRow {
    template: u32,
    hashed: bool,
    version: u32,
    inspector: (u32, u32, u32),
    started: (i64, i32),
    finished: (i64, i32),
    supersedes: Option<u32>,
    // Boxed slices, not vectors: a decoded index holds one row a run, and
    // these are written and read exactly as vectors are.
    closes: Box<[u32]>,
    codes: Box<[u16]>,
    actions: Box<[(u16, u32, u32, i32)]>,
}

#[derive(Serialize, Deserialize)]
struct WithdrawalRow {
    path: u32,
    blob: [u8; 20],
    stat: Option<Stat>,
    run: u32,
    reason: u32,
    by: (u32, u32, u32),
    date: (i64, i32),
}

/// Interns strings for the table.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a str>,
    index: std::collections::HashMap<&'a str, u32, foldhash::fast::RandomState>,
}

impl<'a> Strings<'a> {
    fn put(&mut self, s: &'a str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.list.push(s);
        self.index.insert(s, i);
        i
    }

    /// Adds a string known to be unique (a path): no lookup, and it is
    /// not offered to later `put`s (a repeat in the table is harmless).
    fn push(&mut self, s: &'a str) -> u32 {
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.list.push(s);
        i
    }
}

fn oid_bytes(oid: Oid) -> [u8; 20] {
    let mut out = [0; 20];
    out.copy_from_slice(oid.as_bytes());
    out
}

fn time_parts(t: &DateTime<FixedOffset>) -> (i64, i32) {
    (t.timestamp(), t.offset().local_minus_utc())
}

/// Encodes a snapshot as an index file.
pub fn encode<I: ObjectId>(snap: &Snapshot<I>) -> Result<Vec<u8>, String> {
    let mut strings = Strings::default();
    let mut template_ids: BTreeMap<&str, u32> = BTreeMap::new();
    let mut templates = Vec::with_capacity(snap.templates.len());
    for (n, (hash, t)) in snap.templates.iter().enumerate() {
        templates.push(TemplateRow {
            id: strings.put(t.id.as_str()),
            hash: strings.put(hash),
            blob: t.blob.bytes(),
        });
        template_ids.insert(hash, u32::try_from(n).map_err(|e| e.to_string())?);
    }
    let mut runs = Vec::with_capacity(snap.runs.len());
    for r in snap.runs.values() {
        let data = match &r.data {
            None => None,
            Some(d) => {
                let run = &d.run;
                let inspector = (
                    strings.put(run.inspector.id.as_str()),
                    strings.put(&run.inspector.name),
                    strings.put(&run.inspector.email),
                );
                let actions = d
                    .actions
                    .iter()
                    .map(|(p, a)| {
                        (
                            *p,
                            strings.put(&a.text),
                            strings.put(&a.owner),
                            a.due.num_days_from_ce(),
                        )
                    })
                    .collect();
                Some(RunDataRow {
                    template: *template_ids
                        .get(d.template.as_str())
                        .ok_or("a run's template is not in the table")?,
                    hashed: run.inspection_hash.is_some(),
                    version: run.inspection_version,
                    inspector,
                    started: time_parts(&run.started),
                    finished: time_parts(&run.finished),
                    supersedes: run.supersedes.as_deref().map(|s| strings.put(s)),
                    closes: run.closes.iter().map(|c| strings.put(c)).collect(),
                    codes: d.codes.as_slice().into(),
                    actions,
                })
            }
        };
        runs.push(RunRow {
            path: strings.push(&r.path),
            blob: r.blob.bytes(),
            commit: r.commit.map(ObjectId::bytes),
            stat: r.stat,
            data,
        });
    }
    let withdrawals = snap.withdrawals.as_ref().map(|all| {
        all.values()
            .map(|w| WithdrawalRow {
                path: strings.put(&w.path),
                blob: w.blob.bytes(),
                stat: w.stat,
                run: strings.put(&w.withdrawal.run),
                reason: strings.put(&w.withdrawal.reason),
                by: (
                    strings.put(w.withdrawal.by.id.as_str()),
                    strings.put(&w.withdrawal.by.name),
                    strings.put(&w.withdrawal.by.email),
                ),
                date: time_parts(&w.withdrawal.date),
            })
            .collect()
    });
    let named = snap
        .named
        .iter()
        .map(|(id, c)| (strings.put(id), c.bytes()))
        .collect();
    let body = Body {
        repo: &snap.repo,
        head: snap.head.bytes(),
        strings: strings.list,
        templates,
        runs,
        withdrawals,
        named,
    };
    let body = postcard::to_allocvec(&body).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(body.len() + HEADER);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decodes an index file, checking everything (see the module header),
/// into an owned snapshot; `Err` says why it is not a usable index.
#[cfg(test)]
pub fn decode(bytes: &[u8]) -> Result<Snapshot<RawId>, String> {
    view(bytes)?.to_snapshot()
}

/// Decodes an index file in place, checking everything (see the module
/// header); `Err` says why it is not a usable index.
pub fn view(bytes: &[u8]) -> Result<View<'_>, String> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err("not an index file".into());
    }
    let word = |at: usize, n: usize| -> u64 {
        bytes[at..at + n]
            .iter()
            .rev()
            .fold(0, |acc, b| (acc << 8) | u64::from(*b))
    };
    let version = word(8, 4);
    if version != u64::from(VERSION) {
        return Err(format!("index format {version}, not {VERSION}"));
    }
    let body = &bytes[HEADER..];
    if word(12, 8) != body.len() as u64 {
        return Err("the index is cut short or too long".into());
    }
    if word(20, 4) != u64::from(crc32fast::hash(body)) {
        return Err("the index fails its checksum".into());
    }
    let body = decode::body(body).map_err(|e| format!("undecodable: {e}"))?;
    View::check(body)
}

/// Splits `runs/<subject>/<inspection>/<stem>.ron` into its parts, each
/// checked the way run ids are.
pub fn run_path_parts(path: &str) -> Option<(Id, Id, &str)> {
    let rest = path.strip_prefix("runs/")?.strip_suffix(".ron")?;
    let mut parts = rest.split('/');
    let (subject, inspection, stem) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || stem.is_empty() || stem.len() > 128 {
        return None;
    }
    let stem_ok = stem
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    stem_ok.then_some(())?;
    Some((Id::new(subject).ok()?, Id::new(inspection).ok()?, stem))
}
