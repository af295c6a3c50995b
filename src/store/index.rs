//! The derived index (`.tenken/index/runs.idx`, never committed): what the
//! read commands need of every committed run (its header, its answers in
//! brief, the template it is scored against, the commit that added it, its
//! blob and the stat data of its work-tree file), keyed by the HEAD commit
//! it reflects.
//!
//! Git stays the only source of truth. The index is updated from the
//! commits since the one it reflects when that one is an ancestor of HEAD,
//! and rebuilt from git when it is missing, of another format version or
//! repository, reflects a commit that is not an ancestor, or fails its
//! checksum or any check on its values (`format`). It is written
//! atomically (temporary file, fsync, rename), so two processes updating it
//! at once, or one killed half-way, leave a valid index or none, and a
//! reader never sees half of one. A failed write (a read-only repository)
//! costs only speed.
//!
//! The work tree is compared with the index on every read, as git compares
//! it with its own index: a readdir and an lstat per file, and a file whose
//! stat data differs is read and hashed (`list_work`, then `compare`).

mod build;
pub(super) mod format;
pub(super) mod head;
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests;

use std::collections::HashMap;
use std::path::Path;

use git2::{ObjectType, Oid, Repository};

use super::{STATE_DIR, atomic, contain};
use crate::error::{Error, Result};
use crate::load::{self, Source};
use format::{ObjectId, RawId, Snapshot, Stat, View};
pub use head::LazyRepo;

/// The folder of the index, under `.tenken/`.
pub const INDEX_DIR: &str = "index";
/// The index file in that folder.
const INDEX_FILE: &str = "runs.idx";

/// Where the index file lives, relative to the root.
fn index_rel() -> std::path::PathBuf {
    Path::new(STATE_DIR).join(INDEX_DIR).join(INDEX_FILE)
}

/// How the index was obtained (for tests and the benchmark's notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Read as it was: it reflected HEAD.
    Read,
    /// Updated from the commits since the one it reflected.
    Updated,
    /// Built from git (missing, unusable, or not an ancestor).
    Built,
}

/// Calls `f` with the index of HEAD, read, updated or built (and then
/// saved), and how it was obtained; `None` on an unborn branch (no commits
/// yet) or without git.
///
/// A stored index that names this repository and the commit HEAD points
/// to (both read by hand, `head::by_hand`) is used without opening the
/// repository; otherwise libgit2 finds HEAD, as it always did. The index
/// is read in place (`format::View`): `f` takes what it needs.
pub fn load<R>(
    root: &Path,
    git: &LazyRepo<'_>,
    f: impl FnOnce(&View<'_>, Origin) -> R,
) -> Result<Option<R>> {
    let bytes = if disabled() { None } else { read(root) };
    let stored = bytes.as_deref().and_then(|b| format::view(b).ok());
    if let (Some(s), Some((id, head))) = (&stored, head::by_hand(root))
        && s.repo() == id
        && s.head().hex() == head
    {
        return Ok(Some(f(s, Origin::Read)));
    }
    let Some(repo) = git.get()? else {
        return Ok(None);
    };
    let head = match repo.head() {
        Ok(h) => match h.target() {
            Some(t) => t,
            None => return Ok(None),
        },
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let id = repo_id(repo);
    // Made only when needed: it reads git's own index and stats run files.
    let builder = || build::Builder::new(root, repo);
    if disabled() {
        let bytes = encoded(&builder().full(id, head)?)?;
        return Ok(Some(f(&checked(&bytes)?, Origin::Built)));
    }
    let stored = stored.filter(|s| s.repo() == id);
    let (snap, origin) = match stored {
        Some(s) if s.head().oid()? == head => return Ok(Some(f(&s, Origin::Read))),
        Some(s)
            if repo
                .graph_descendant_of(head, s.head().oid()?)
                .unwrap_or(false) =>
        {
            let b = builder();
            let owned = s.to_snapshot().ok().map(Snapshot::into_oids).transpose()?;
            match owned.map(|o| b.update(o, head)).transpose()?.flatten() {
                Some(s) => (s, Origin::Updated),
                None => (b.full(id, head)?, Origin::Built),
            }
        }
        _ => (builder().full(id, head)?, Origin::Built),
    };
    let bytes = encoded(&snap)?;
    save_bytes(root, &bytes);
    Ok(Some(f(&checked(&bytes)?, origin)))
}

/// Returns true when `TENKEN_INDEX=off`: the index is built from git for
/// every command and never read or written (to compare outputs with and
/// without it, and to measure the build). The cache of template content
/// hashes is bypassed too.
pub(super) fn disabled() -> bool {
    std::env::var_os("TENKEN_INDEX").is_some_and(|v| v == "off")
}

/// Builds the index of HEAD from nothing and saves it, whatever is stored
/// (after a stored one turned out wrong on use, e.g. a template blob that
/// is not what it says), and calls `f` with it.
pub fn rebuild<R>(
    root: &Path,
    repo: &Repository,
    f: impl FnOnce(&View<'_>) -> R,
) -> Result<Option<R>> {
    let Some(head) = repo.head().ok().and_then(|h| h.target()) else {
        return Ok(None);
    };
    let snap = build::Builder::new(root, repo).full(repo_id(repo), head)?;
    let bytes = encoded(&snap)?;
    save_bytes(root, &bytes);
    Ok(Some(f(&checked(&bytes)?)))
}

/// Encodes an index just built or updated.
fn encoded(snap: &Snapshot<Oid>) -> Result<Vec<u8>> {
    format::encode(snap).map_err(|e| Error::Internal(format!("the index cannot be written: {e}")))
}

/// Reads an index just encoded.
fn checked(bytes: &[u8]) -> Result<View<'_>> {
    format::view(bytes).map_err(|e| Error::Internal(format!("the index just made is not one: {e}")))
}

/// Reads the stored index file; `None` when there is none.
fn read(root: &Path) -> Option<Vec<u8>> {
    let rel = index_rel();
    load::read_bytes(Source::repo(root, &rel), format::MAX_INDEX_BYTES).ok()
}

/// Writes the index atomically; failing to write is not an error (the next
/// command builds it again).
pub fn save<I: ObjectId>(root: &Path, snap: &Snapshot<I>) {
    if let Ok(bytes) = format::encode(snap) {
        save_bytes(root, &bytes);
    }
}

/// Writes an encoded index atomically, as [`save`].
fn save_bytes(root: &Path, bytes: &[u8]) {
    if disabled() {
        return;
    }
    let dir = root.join(STATE_DIR).join(INDEX_DIR);
    if std::fs::create_dir_all(&dir).is_err() || contain::check_within(root, &dir).is_err() {
        return;
    }
    atomic::remove_stale_temps(&dir.join(INDEX_FILE));
    let _ = atomic::write_atomic(&dir.join(INDEX_FILE), bytes, 0o644);
}

/// The identity of the repository an index belongs to: its git folder.
fn repo_id(repo: &Repository) -> String {
    let path = repo.path();
    path.canonicalize()
        .unwrap_or_else(|_| path.to_owned())
        .to_string_lossy()
        .into_owned()
}

/// What the work tree holds for one committed file that differs from its
/// stat data.
#[derive(Debug)]
pub enum Seen {
    /// Gone from the work tree.
    Missing,
    /// Something else than the committed file: its bytes, or why they
    /// cannot be read (`None` for a link, which is never the committed
    /// file whatever it points to).
    Changed(std::result::Result<Vec<u8>, Option<crate::Diagnostic>>),
}

/// The work tree against the index.
#[derive(Debug, Default)]
pub struct WorkTree {
    /// Committed run files that are not in the work tree as committed.
    pub runs: HashMap<String, Seen, foldhash::fast::RandomState>,
    /// Run files in the work tree that HEAD does not have.
    pub extra: Vec<String>,
    /// Set when a withdrawal file differs from HEAD in any way (then the
    /// withdrawals are read the slow way when uncommitted ones count).
    pub withdrawals_changed: bool,
    /// Stat data of unchanged files that is newer than the index's, by
    /// path (worth saving: [`save_refreshed`]).
    pub refreshed: Vec<(String, Stat)>,
}

/// The work tree's run and withdrawal files with their lstat data, as
/// [`list_work`] found them (it needs no index; a read compares it with the
/// index, [`compare`]).
pub struct Listing {
    /// When the listing started, nanoseconds since the epoch.
    now: i64,
    /// The run files, sorted by path.
    runs: Files,
    /// The withdrawal files, sorted by path.
    withdrawals: Files,
}

/// Lists the work tree's run files (only under `runs/<subject>/<inspection>`
/// when those are given) and withdrawal files with their lstat data.
pub fn list_work(root: &Path, under: (Option<&str>, Option<&str>)) -> Listing {
    start_work(root, under).finish(root)
}

/// A listing of the work tree begun ([`start_work`]): other threads may
/// help make it ([`Started::helper`]), the one that needs it finishes it
/// ([`Started::finish`]) without waiting for them.
pub struct Started {
    now: i64,
    runs: std::sync::Arc<Shared>,
}

/// Begins listing the work tree as [`list_work`] does: takes the time and
/// lists the first-level folders of `runs/`.
pub fn start_work(root: &Path, under: (Option<&str>, Option<&str>)) -> Started {
    let now = build::now_nanos();
    Started {
        now,
        runs: std::sync::Arc::new(Shared::new(root, "runs", under)),
    }
}

impl Started {
    /// Work for another thread: lists the folders not taken yet.
    pub fn helper(&self) -> impl FnOnce() + Send + 'static {
        let shared = std::sync::Arc::clone(&self.runs);
        move || shared.work()
    }

    /// Lists what is left (and the withdrawal files) and returns the
    /// listing.
    pub fn finish(self, root: &Path) -> Listing {
        Listing {
            now: self.now,
            runs: self.runs.finish(),
            withdrawals: listing(root, super::correction::WITHDRAWALS_DIR, (None, None)),
        }
    }
}

/// Compares `listing` (made with the same `under`) with `view`: the
/// committed run files that are not in the work tree as committed (only
/// under `runs/<subject>/<inspection>` when those are given), the run files
/// HEAD lacks, whether a withdrawal file differs, and stale stat data of
/// unchanged files.
pub fn compare(
    root: &Path,
    view: &View<'_>,
    listing: &Listing,
    under: (Option<&str>, Option<&str>),
    wanted: &dyn Fn(&str) -> bool,
) -> WorkTree {
    let now = listing.now;
    let settled = |stat: Option<Stat>| stat.filter(|s| s.mtime < now - 2_000_000_000);
    let mut out = WorkTree::default();
    let prefix = match under {
        (Some(s), Some(i)) => format!("runs/{s}/{i}/"),
        (Some(s), None) => format!("runs/{s}/"),
        _ => "runs/".to_owned(),
    };
    // Both sorted by path: one pass over the two.
    let mut files = listing.runs.iter().peekable();
    let mut runs = view.runs().skip_while(|r| r.path < prefix.as_str());
    for record in runs.by_ref() {
        let path = record.path;
        if !path.starts_with(&prefix) {
            break;
        }
        while let Some(f) = files.next_if(|f| f.path < path) {
            out.extra.push(f.path.to_owned());
        }
        let found = files.next_if(|f| f.path == path);
        if !wanted(path) {
            // Not looked at: its file (if any) is one HEAD's tree does
            // not explain here.
            out.extra.extend(found.map(|f| f.path.to_owned()));
            continue;
        }
        match found {
            None => {
                out.runs.insert(path.to_owned(), Seen::Missing);
            }
            Some(f) if f.link => {
                out.runs.insert(path.to_owned(), Seen::Changed(Err(None)));
            }
            Some(f) if f.stat.is_some() && f.stat == record.stat() => {}
            Some(f) => match same_blob(root, path, record.blob()) {
                Ok(()) => {
                    if let Some(st) = settled(f.stat) {
                        out.refreshed.push((f.path.to_owned(), st));
                    }
                }
                Err(found) => {
                    out.runs.insert(path.to_owned(), Seen::Changed(found));
                }
            },
        }
    }
    out.extra.extend(files.map(|f| f.path.to_owned()));
    out.extra.sort();
    let withdrawals = &listing.withdrawals;
    out.withdrawals_changed = match view.withdrawals() {
        Ok(Some(known)) => {
            let mut changed = withdrawals.len() != known.len();
            for f in withdrawals.iter() {
                let Some(w) = known.get(f.path) else {
                    changed = true;
                    continue;
                };
                if f.link {
                    changed = true;
                } else if f.stat.is_none() || f.stat != w.stat {
                    match same_blob(root, f.path, w.blob) {
                        Ok(()) => {
                            if let Some(st) = settled(f.stat) {
                                out.refreshed.push((f.path.to_owned(), st));
                            }
                        }
                        Err(_) => changed = true,
                    }
                }
            }
            changed
        }
        _ => true,
    };
    out
}

/// Saves the index of `view` with the stat data `compare` found newer.
pub fn save_refreshed(root: &Path, view: &View<'_>, refreshed: &[(String, Stat)]) {
    let Ok(mut snap) = view.to_snapshot() else {
        return;
    };
    for (path, stat) in refreshed {
        if let Some(r) = snap.runs.get_mut(path) {
            r.stat = Some(*stat);
        } else if let Some(w) = snap.withdrawals.as_mut().and_then(|w| w.get_mut(path)) {
            w.stat = Some(*stat);
        }
    }
    save(root, &snap);
}

/// Reads the work-tree file at `path` and says whether it holds `blob`;
/// otherwise returns its bytes, or why it cannot be read.
fn same_blob(
    root: &Path,
    path: &str,
    blob: RawId,
) -> std::result::Result<(), std::result::Result<Vec<u8>, Option<crate::Diagnostic>>> {
    let bytes = load::read_bytes(Source::repo(root, Path::new(path)), load::MAX_FILE_BYTES)
        .map_err(|d| Err(Some(d)))?;
    match Oid::hash_object(ObjectType::Blob, &bytes) {
        Ok(oid) if RawId::from(oid) == blob => Ok(()),
        _ => Err(Ok(bytes)),
    }
}

/// The files a listing found, sorted by path, folder by folder: in each,
/// the paths one after the other in one string (ten thousand run files
/// make a few hundred allocations, not ten thousand, and no list is
/// copied as it grows or when the folders are put together).
struct Files {
    /// The listing, every first-level folder of it done.
    shared: std::sync::Arc<Shared>,
}

/// A listing of `<dir>/<a>/<b>/*.ron` made one first-level folder `<a>`
/// at a time by whichever thread takes the folder first ([`Shared::work`]):
/// a thread that starts late, or never, leaves its share to the others,
/// and the one that needs the listing never waits for another.
struct Shared {
    /// `<root>/<dir>`.
    top: std::path::PathBuf,
    dir: &'static str,
    /// Only this second-level folder, when given.
    inspection: Option<String>,
    /// The first-level folders, in the order of whole paths.
    firsts: Vec<String>,
    /// The next folder of `firsts` to take.
    next: std::sync::atomic::AtomicUsize,
    /// Each first-level folder's folders, once listed.
    done: Vec<std::sync::OnceLock<Vec<Folder>>>,
}

impl Shared {
    /// Lists the first-level folders of `<root>/<dir>` (only `subject`
    /// when given); their files are listed by [`Shared::work`].
    fn new(
        root: &Path,
        dir: &'static str,
        (subject, inspection): (Option<&str>, Option<&str>),
    ) -> Self {
        let top = root.join(dir);
        let firsts = folders(&top, subject);
        Self {
            done: firsts.iter().map(|_| std::sync::OnceLock::new()).collect(),
            top,
            dir,
            inspection: inspection.map(str::to_owned),
            firsts,
            next: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Lists first-level folders no thread has taken yet, until none is
    /// left.
    fn work(&self) {
        loop {
            let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (Some(a), Some(done)) = (self.firsts.get(n), self.done.get(n)) else {
                return;
            };
            let _ = done.set(self.list(a));
        }
    }

    /// Takes what is left, lists again any folder another thread took
    /// and has not finished (the first list made counts), and returns the
    /// whole listing.
    fn finish(self: std::sync::Arc<Self>) -> Files {
        self.work();
        for (a, done) in self.firsts.iter().zip(&self.done) {
            if done.get().is_none() {
                let _ = done.set(self.list(a));
            }
        }
        Files { shared: self }
    }

    /// Lists the files of `<a>/*/*.ron`.
    fn list(&self, a: &str) -> Vec<Folder> {
        let dir = self.dir;
        let mut out = Vec::new();
        for b in folders(&self.top.join(a), self.inspection.as_deref()) {
            let Ok(entries) = std::fs::read_dir(self.top.join(a).join(&b)) else {
                continue;
            };
            let mut folder = Folder::default();
            for e in entries.filter_map(std::result::Result::ok) {
                let name = e.file_name();
                let Some(name) = name.to_str() else { continue };
                if Path::new(name).extension().is_none_or(|x| x != "ron") {
                    continue;
                }
                let Ok(meta) = e.metadata() else { continue };
                if meta.is_dir() {
                    continue;
                }
                let link = meta.file_type().is_symlink();
                folder.push(&[dir, "/", a, "/", &b, "/", name], Stat::of(&meta), link);
            }
            folder.sort();
            if !folder.list.is_empty() {
                out.push(folder);
            }
        }
        out
    }
}

/// The folders in `path` (only `only` when given), in the order of whole
/// paths: by name followed by `/`.
fn folders(path: &Path, only: Option<&str>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(path) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| only.is_none_or(|o| o == n))
        .collect();
    names.sort_unstable_by(|a, b| {
        a.bytes()
            .chain(std::iter::once(b'/'))
            .cmp(b.bytes().chain(std::iter::once(b'/')))
    });
    names
}

/// The files of one folder.
#[derive(Default)]
struct Folder {
    /// Every path, `/`-separated and relative to the root, back to back.
    paths: String,
    /// Each file, in the order of `paths`.
    list: Vec<Listed>,
}

/// A file of a [`Folder`].
struct Listed {
    /// Where its path starts and ends in `Folder::paths`.
    span: (usize, usize),
    /// Its lstat data.
    stat: Option<Stat>,
    /// True for a symbolic link.
    link: bool,
}

/// A file of the work tree as a listing found it.
#[derive(Clone, Copy)]
struct File<'a> {
    /// `/`-separated path relative to the root.
    path: &'a str,
    /// Its lstat data.
    stat: Option<Stat>,
    /// True for a symbolic link.
    link: bool,
}

impl Files {
    /// The folders, in order.
    fn folders(&self) -> impl Iterator<Item = &Folder> {
        self.shared
            .done
            .iter()
            .filter_map(std::sync::OnceLock::get)
            .flatten()
    }

    /// The files, in order.
    fn iter(&self) -> impl Iterator<Item = File<'_>> {
        self.folders().flat_map(|folder| {
            folder.list.iter().map(|f| File {
                path: folder.path(f),
                stat: f.stat,
                link: f.link,
            })
        })
    }

    fn len(&self) -> usize {
        self.folders().map(|f| f.list.len()).sum()
    }
}

impl Folder {
    /// Adds a file whose path is `parts` put together.
    fn push(&mut self, parts: &[&str], stat: Option<Stat>, link: bool) {
        let begin = self.paths.len();
        for part in parts {
            self.paths.push_str(part);
        }
        self.list.push(Listed {
            span: (begin, self.paths.len()),
            stat,
            link,
        });
    }

    fn path(&self, f: &Listed) -> &str {
        self.paths.get(f.span.0..f.span.1).unwrap_or_default()
    }

    /// Sorts the files by path (in one folder, by name).
    fn sort(&mut self) {
        let Self { paths, list } = self;
        list.sort_unstable_by(|a, b| {
            paths
                .get(a.span.0..a.span.1)
                .cmp(&paths.get(b.span.0..b.span.1))
        });
    }
}

/// Lists `<dir>/<a>/<b>/*.ron` (not folders) in the work tree with their
/// lstat data, sorted by `/`-separated path, optionally under one subject
/// and inspection; the same files `load::run_paths` lists. Folders are
/// taken in the order of their names followed by `/`, and files in the
/// order of their names: the order of the whole paths.
fn listing(root: &Path, dir: &'static str, under: (Option<&str>, Option<&str>)) -> Files {
    std::sync::Arc::new(Shared::new(root, dir, under)).finish()
}
