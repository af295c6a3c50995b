//! Every use of git2: creating the repository, committing exactly the files
//! a change wrote, finding the commits that added run files, and reading old
//! template versions.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::{ErrorCode, ObjectType, Oid, Repository, Signature, Time, Tree};

use super::signing::{Signer, Signing};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::Inspector;
use crate::msg::repo;

/// How long a commit waits for git's own locks (`index.lock`, ref locks)
/// held by a concurrent git command before giving up.
pub const GIT_LOCK_WAIT: Duration = Duration::from_secs(3);

/// The author of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The author name.
    pub name: String,
    /// The author e-mail.
    pub email: String,
}

impl Identity {
    /// Builds the identity of an inspector, falling back to the id for a
    /// missing name or e-mail.
    pub fn from_inspector(i: &Inspector) -> Self {
        let name = if i.name.trim().is_empty() {
            i.id.to_string()
        } else {
            i.name.clone()
        };
        let email = if i.email.trim().is_empty() {
            format!("{}@tenken.invalid", i.id)
        } else {
            i.email.clone()
        };
        Self { name, email }
    }

    /// Reads `user.name` and `user.email` from the git configuration.
    pub fn from_git_config(dir: Option<&Path>) -> Option<Self> {
        let config = dir
            .and_then(|d| Repository::discover(d).ok())
            .and_then(|r| r.config().ok())
            .or_else(|| git2::Config::open_default().ok())?;
        let name = config.get_string("user.name").ok()?;
        let email = config.get_string("user.email").unwrap_or_default();
        Some(Self { name, email })
    }

    fn signature(&self, clock: Clock) -> Result<Signature<'static>> {
        let now = clock.now();
        let time = Time::new(now.timestamp(), now.offset().local_minus_utc() / 60);
        Ok(Signature::new(&self.name, &self.email, &time)?)
    }
}

/// Opens the git repository whose work tree is `root`.
pub fn open(root: &Path) -> Result<Repository> {
    Repository::open(root).map_err(|e| {
        if e.code() == ErrorCode::NotFound {
            Error::user_hint(
                repo::not_git(&root.display().to_string()),
                repo::NOT_GIT_HINT,
            )
        } else {
            e.into()
        }
    })
}

/// A process-wide libgit2 setting that callers switch off for a while:
/// the number of callers inside now, and the setter. It is back on once
/// the last of nested or concurrent callers is done, however they end.
struct Switch {
    inside: std::sync::Mutex<usize>,
    set: fn(bool),
}

impl Switch {
    /// Runs `f` with the setting off.
    fn off_during<T>(&'static self, f: impl FnOnce() -> T) -> T {
        /// Switches the setting back on when dropped, also on a panic.
        struct Restore(&'static Switch);
        impl Drop for Restore {
            fn drop(&mut self) {
                let mut n = self.0.count();
                *n = n.saturating_sub(1);
                if *n == 0 {
                    (self.0.set)(true);
                }
            }
        }
        {
            let mut n = self.count();
            *n += 1;
            (self.set)(false);
        }
        let _restore = Restore(self);
        f()
    }

    fn count(&self) -> std::sync::MutexGuard<'_, usize> {
        self.inside
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// libgit2's check of every object's hash as it is read.
static HASH_CHECKS: Switch = Switch {
    inside: std::sync::Mutex::new(0),
    set: git2::opts::strict_hash_verification,
};

/// libgit2's object cache.
static OBJECT_CACHE: Switch = Switch {
    inside: std::sync::Mutex::new(0),
    set: git2::opts::enable_caching,
};

/// Runs `f` with libgit2's check of every object's hash as it is read
/// switched off, and back on however `f` ends (the switch is process-wide;
/// it is back on once the last of nested or concurrent callers is done).
///
/// Checking the hash of each object read was a fifth of `verify`'s time
/// and a tenth of an index build's; git's own commands (`git log`,
/// `git status`) do not check it either. Reads compare object ids; the
/// integrity of git's objects is `git fsck`'s job (README).
pub fn without_hash_checks<T>(f: impl FnOnce() -> T) -> T {
    HASH_CHECKS.off_during(f)
}

/// Runs `f` with libgit2's object cache switched off, and back on however
/// `f` ends (process-wide, like [`without_hash_checks`]).
///
/// A walk over the whole history reads each commit and tree about once:
/// the cache (up to 256 MiB by default) then only holds what is never
/// asked for again — over 10,000 commits, tens of MiB of `verify`'s peak.
pub fn without_object_cache<T>(f: impl FnOnce() -> T) -> T {
    OBJECT_CACHE.off_during(f)
}

/// Runs `git init` in `dir` and commits `paths` as the first commit.
pub fn init_and_commit(
    dir: &Path,
    paths: &[PathBuf],
    who: &Identity,
    message: &str,
    clock: Clock,
    signing: &Signing,
) -> Result<()> {
    let repo = if let Ok(r) = Repository::open(dir) {
        r
    } else {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        Repository::init_opts(dir, &opts)?
    };
    let done = commit_paths_signed(&repo, paths, who, message, clock, signing)?;
    match done.index_error {
        None => Ok(()),
        Some(e) => Err(e),
    }
}

/// Returns how many commits HEAD has (counted up to 100,000) and the
/// latest one's short id and subject, when `dir` itself is a git
/// repository with at least one commit; `None` otherwise.
pub fn existing_history(dir: &Path) -> Option<(usize, String)> {
    let repo = Repository::open(dir).ok()?;
    let head = repo.head().ok()?.peel_to_commit().ok()?;
    let mut walk = repo.revwalk().ok()?;
    walk.push(head.id()).ok()?;
    let count = walk.take(100_000).count();
    let latest = format!(
        "{} {}",
        short(head.id()),
        String::from_utf8_lossy(head.summary_bytes().unwrap_or_default())
    );
    Some((count, latest))
}

/// Refuses to commit where a commit would not land on a branch, and waits
/// (bounded) for a concurrent git command to release `index.lock`.
///
/// Call it before writing anything that is to be committed, so that a
/// refusal leaves the work tree exactly as it was.
pub fn check_committable(repo: &Repository) -> Result<()> {
    if repo.head_detached()? {
        let at = repo
            .head()
            .ok()
            .and_then(|h| h.target())
            .map(short)
            .unwrap_or_default();
        let dir = repo.workdir().unwrap_or_else(|| repo.path()).display();
        return Err(Error::user_hint(
            repo::detached(&at, &dir.to_string()),
            repo::DETACHED_HINT,
        ));
    }
    if repo.is_bare() {
        return Err(Error::user(crate::msg::commit::no_work_tree(true)));
    }
    wait_for_index_lock(repo, GIT_LOCK_WAIT)
}

fn wait_for_index_lock(repo: &Repository, wait: Duration) -> Result<()> {
    let lock = repo.path().join("index.lock");
    let deadline = Instant::now() + wait;
    while lock.exists() {
        if Instant::now() >= deadline {
            return Err(index_locked(&lock));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

fn index_locked(lock: &Path) -> Error {
    Error::user_hint(
        repo::index_locked(&lock.display().to_string()),
        repo::INDEX_LOCKED_HINT,
    )
}

/// Returns the first 12 hex digits of a commit id.
pub fn short(oid: Oid) -> String {
    let mut s = oid.to_string();
    s.truncate(12);
    s
}

/// What [`commit_paths`] did.
#[derive(Debug)]
pub struct CommitDone {
    /// The new commit (only tests read it now: the register and risk
    /// edits commit from memory through `commit_contents`).
    #[cfg_attr(not(test), allow(dead_code))]
    pub oid: Oid,
    /// Set when the commit was made but git's index could not be brought in
    /// step for the committed paths (another git process kept it locked).
    pub index_error: Option<Error>,
}

/// Stages exactly `paths` (relative to the work tree) and commits them on
/// top of HEAD, leaving every other change in the index and work tree alone.
///
/// The commit's tree is HEAD's tree with only these files replaced, built
/// directly from the objects, so other staged changes can never slip in.
/// Refuses a detached HEAD, and waits (bounded) for git's own locks. Works
/// on an unborn branch. An error means nothing was committed; once the
/// commit exists, failing to update the index is reported in
/// [`CommitDone::index_error`] instead.
#[cfg(test)]
pub fn commit_paths(
    repo: &Repository,
    paths: &[PathBuf],
    who: &Identity,
    message: &str,
    clock: Clock,
) -> Result<CommitDone> {
    commit_paths_signed(repo, paths, who, message, clock, &Signing::Off)
}

/// [`commit_paths`], signed as `signing` says.
pub fn commit_paths_signed(
    repo: &Repository,
    paths: &[PathBuf],
    who: &Identity,
    message: &str,
    clock: Clock,
    signing: &Signing,
) -> Result<CommitDone> {
    let workdir = repo
        .workdir()
        .ok_or_else(|| Error::user(crate::msg::commit::no_work_tree(false)))?
        .to_owned();
    let mut files = Vec::with_capacity(paths.len());
    for rel in paths {
        let data = crate::load::read_bytes(
            crate::load::Source::repo(&workdir, rel),
            crate::load::MAX_FILE_BYTES,
        )?;
        files.push((rel.clone(), data));
    }
    let oid = commit_contents(repo, &files, who, message, clock, signing)?;
    let index_error = update_index(repo, paths).err();
    Ok(CommitDone { oid, index_error })
}

/// Commits `files` (paths relative to the work tree, with their contents)
/// on top of HEAD without touching the work tree or the index.
///
/// The commit exists once HEAD's branch moves to it, which git does by
/// renaming a lock file: a crash before that leaves HEAD where it was (and
/// at most unreferenced objects), a crash after it leaves the commit made.
/// Refuses a detached HEAD and waits (bounded) for git's own locks. With
/// a signing key the commit is signed (see `signing`).
pub fn commit_contents(
    repo: &Repository,
    files: &[(PathBuf, Vec<u8>)],
    who: &Identity,
    message: &str,
    clock: Clock,
    signing: &Signing,
) -> Result<Oid> {
    check_committable(repo)?;
    let sig = who.signature(clock)?;
    let root = repo.workdir().unwrap_or_else(|| repo.path()).to_owned();
    let signer = signing.signer(&root, &who.email)?;
    let mut blobs = Vec::with_capacity(files.len());
    for (rel, data) in files {
        blobs.push((components(rel)?, repo.blob(data)?));
    }
    let deadline = Instant::now() + GIT_LOCK_WAIT;
    let oid = loop {
        match try_commit(repo, &blobs, &sig, message, signer.as_ref()) {
            Ok(oid) => break oid,
            Err(Tried::Sign(e)) => return Err(e),
            Err(Tried::Git(e)) => match e {
                // A ref lock held by a concurrent git command, or HEAD moved
                // under us: rebuild on the new HEAD and try again.
                e if matches!(e.code(), ErrorCode::Locked | ErrorCode::Modified)
                    && Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                e if e.code() == ErrorCode::Locked => {
                    return Err(Error::user_hint(
                        crate::msg::commit::branch_locked(e.message()),
                        crate::msg::commit::BRANCH_LOCKED_HINT,
                    ));
                }
                e => return Err(e.into()),
            },
        }
    };
    Ok(oid)
}

/// Why a commit attempt failed: git (retried when a lock or a moved HEAD
/// is the cause), or signing (never retried).
enum Tried {
    Git(git2::Error),
    Sign(Error),
}

impl From<git2::Error> for Tried {
    fn from(e: git2::Error) -> Self {
        Self::Git(e)
    }
}

/// Writes a commit object (signed when `signer` is given) without moving
/// any ref; returns its id.
pub fn create_commit(
    repo: &Repository,
    sig: &Signature<'_>,
    message: &str,
    tree: &Tree<'_>,
    parents: &[&git2::Commit<'_>],
    signer: Option<&Signer>,
) -> Result<Oid> {
    match write_commit(repo, sig, message, tree, parents, signer) {
        Ok(oid) => Ok(oid),
        Err(Tried::Git(e)) => Err(e.into()),
        Err(Tried::Sign(e)) => Err(e),
    }
}

fn write_commit(
    repo: &Repository,
    sig: &Signature<'_>,
    message: &str,
    tree: &Tree<'_>,
    parents: &[&git2::Commit<'_>],
    signer: Option<&Signer>,
) -> std::result::Result<Oid, Tried> {
    let Some(signer) = signer else {
        return Ok(repo.commit(None, sig, sig, message, tree, parents)?);
    };
    let buffer = repo.commit_create_buffer(sig, sig, message, tree, parents)?;
    let armored = signer.sign(&buffer).map_err(Tried::Sign)?;
    let text = std::str::from_utf8(&buffer)
        .map_err(|_| Tried::Sign(Error::Internal("commit buffer is not UTF-8".into())))?;
    Ok(repo.commit_signed(text, armored.trim_end(), Some("gpgsig"))?)
}

/// Returns the contents of `rel` in HEAD's tree, or `None` when HEAD does
/// not have it (or the branch is unborn).
pub fn head_blob(repo: &Repository, rel: &Path) -> Result<Option<Vec<u8>>> {
    let tree = match repo.head() {
        Ok(head) => head.peel_to_tree()?,
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let entry = match tree.get_path(rel) {
        Ok(entry) => entry,
        Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if entry.kind() != Some(ObjectType::Blob) {
        return Ok(None);
    }
    Ok(Some(repo.find_blob(entry.id())?.content().to_vec()))
}

fn try_commit(
    repo: &Repository,
    blobs: &[(Vec<String>, Oid)],
    sig: &Signature<'_>,
    message: &str,
    signer: Option<&Signer>,
) -> std::result::Result<Oid, Tried> {
    let parent = match repo.head() {
        Ok(head) => Some(head.peel_to_commit()?),
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let mut tree_id = parent.as_ref().map(git2::Commit::tree_id);
    for (parts, blob) in blobs {
        let base = tree_id.map(|id| repo.find_tree(id)).transpose()?;
        tree_id = Some(tree_with_blob(repo, base.as_ref(), parts, *blob)?);
    }
    let tree = match tree_id {
        Some(id) => repo.find_tree(id)?,
        None => repo.find_tree(repo.treebuilder(None)?.write()?)?,
    };
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    if signer.is_none() {
        return Ok(repo.commit(Some("HEAD"), sig, sig, message, &tree, &parents)?);
    }
    // A signed commit is written first, then HEAD's branch is moved to it
    // only if it still points at the parent (else: Modified, and the loop
    // rebuilds on the new HEAD), as `repo.commit` does for unsigned ones.
    let oid = write_commit(repo, sig, message, &tree, &parents, signer)?;
    let head = repo.find_reference("HEAD")?;
    let branch = head
        .symbolic_target()
        .ok()
        .flatten()
        .ok_or_else(|| git2::Error::from_str("HEAD is not on a branch"))?
        .to_owned();
    let summary = message.lines().next().unwrap_or_default();
    match &parent {
        Some(p) => {
            repo.reference_matching(&branch, oid, true, p.id(), &format!("commit: {summary}"))?;
        }
        None => {
            repo.reference(&branch, oid, false, &format!("commit (initial): {summary}"))?;
        }
    }
    Ok(oid)
}

/// Returns the id of `base` with the blob `blob` placed at `parts`,
/// rewriting only the trees along that path.
fn tree_with_blob(
    repo: &Repository,
    base: Option<&Tree<'_>>,
    parts: &[String],
    blob: Oid,
) -> std::result::Result<Oid, git2::Error> {
    let mut builder = repo.treebuilder(base)?;
    match parts {
        [] => return Err(git2::Error::from_str("empty path")),
        [name] => {
            builder.insert(name.as_str(), blob, 0o100_644)?;
        }
        [dir, rest @ ..] => {
            let sub = base
                .and_then(|t| t.get_name(dir))
                .filter(|e| e.kind() == Some(ObjectType::Tree))
                .map(|e| repo.find_tree(e.id()))
                .transpose()?;
            let sub_id = tree_with_blob(repo, sub.as_ref(), rest, blob)?;
            builder.insert(dir.as_str(), sub_id, 0o040_000)?;
        }
    }
    builder.write()
}

/// Brings the real index in step for `paths` only, retrying while another
/// git process holds `index.lock`.
pub fn update_index(repo: &Repository, paths: &[PathBuf]) -> Result<()> {
    let deadline = Instant::now() + GIT_LOCK_WAIT;
    loop {
        let attempt = (|| -> std::result::Result<(), git2::Error> {
            let mut index = repo.index()?;
            // Re-read (if it changed on disk) right before writing, so that
            // changes staged meanwhile by the user's own git are kept.
            index.read(false)?;
            for rel in paths {
                index.add_path(rel)?;
            }
            index.write()
        })();
        match attempt {
            Ok(()) => return Ok(()),
            Err(e) if e.code() == ErrorCode::Locked && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) if e.code() == ErrorCode::Locked => {
                return Err(index_locked(&repo.path().join("index.lock")));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Returns the paths under the folder `prefix` that git's index tracks
/// (none, normally: tenken's working state is never committed).
pub fn tracked_under(repo: &Repository, prefix: &str) -> Result<HashSet<PathBuf>> {
    let index = repo.index()?;
    let dir = format!("{prefix}/");
    Ok(index
        .iter()
        .filter_map(|e| {
            let path = String::from_utf8_lossy(&e.path).into_owned();
            path.starts_with(&dir).then(|| PathBuf::from(path))
        })
        .collect())
}

fn components(rel: &Path) -> Result<Vec<String>> {
    rel.components()
        .map(|c| match c {
            std::path::Component::Normal(s) => s
                .to_str()
                .map(str::to_owned)
                .ok_or_else(|| Error::Internal(format!("path {} is not UTF-8", rel.display()))),
            _ => Err(Error::Internal(format!(
                "path {} is not a plain relative path",
                rel.display()
            ))),
        })
        .collect()
}

/// The commit trailer naming the run a commit adds.
const RUN_TRAILER_KEY: &str = "Tenken-Run";

/// Maps the run files in `wanted` (paths relative to the work tree,
/// `/`-separated, all under `prefix` such as `runs` or `runs/self`) to the
/// commits in HEAD's history that added them.
///
/// One walk reads every commit's message: a single-parent commit whose
/// `Tenken-Run:` trailer names a run is taken as the commit that added it
/// (that is how tenken commits runs; `tenken verify` checks that the
/// trailer tells the truth). Only when some wanted file is not named by
/// any trailer (added by hand with plain git) does a second walk compare
/// each commit's tree under `prefix` with its first parent's, descending
/// only into subtrees that differ. The oldest adding commit wins. Files
/// not in HEAD's history are missing from the map; an unborn branch gives
/// an empty map.
pub fn added_by(
    repo: &Repository,
    prefix: &str,
    wanted: &HashSet<String>,
) -> Result<HashMap<String, Oid>> {
    let mut out = HashMap::new();
    let head = match repo.head() {
        Ok(h) => h,
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
            return Ok(out);
        }
        Err(e) => return Err(e.into()),
    };
    let Some(head) = head.target() else {
        return Ok(out);
    };
    let prefix = prefix.trim_end_matches('/');
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push(head)?;
    let commits: Vec<Oid> = walk.collect::<std::result::Result<_, _>>()?;
    for &oid in &commits {
        let commit = repo.find_commit(oid)?;
        if commit.parent_count() > 1 {
            continue;
        }
        let Ok(message) = commit.message_raw() else {
            continue;
        };
        if !message.contains(RUN_TRAILER_KEY) {
            continue;
        }
        let Ok(trailers) = git2::message_trailers_strs(message) else {
            continue;
        };
        for (key, value) in trailers.iter() {
            if key.eq_ignore_ascii_case(RUN_TRAILER_KEY) {
                let path = format!("{}/{}.ron", super::RUNS_DIR, value.trim());
                if wanted.contains(&path) {
                    out.entry(path).or_insert(oid);
                }
            }
        }
    }
    if out.len() == wanted.len() {
        return Ok(out);
    }
    for &oid in &commits {
        let commit = repo.find_commit(oid)?;
        let new = subtree(repo, &commit.tree()?, prefix)?;
        let Some(new) = new else { continue };
        let old = match commit.parent_ids().next() {
            Some(p) => subtree(repo, &repo.find_commit(p)?.tree()?, prefix)?,
            None => None,
        };
        if old.as_ref().map(Tree::id) == Some(new.id()) {
            continue;
        }
        added_files(repo, old.as_ref(), &new, prefix, &mut |path| {
            if wanted.contains(&path) && !out.contains_key(&path) {
                out.insert(path, oid);
            }
        })?;
        if out.len() == wanted.len() {
            break;
        }
    }
    Ok(out)
}

fn subtree<'r>(repo: &'r Repository, root: &Tree<'_>, prefix: &str) -> Result<Option<Tree<'r>>> {
    if prefix.is_empty() {
        return Ok(Some(repo.find_tree(root.id())?));
    }
    match root.get_path(Path::new(prefix)) {
        Ok(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(repo.find_tree(e.id())?)),
        Ok(_) => Ok(None),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn added_files(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
    dir: &str,
    found: &mut dyn FnMut(String),
) -> Result<()> {
    for entry in new {
        let Ok(name) = entry.name() else { continue };
        let before = old.and_then(|t| t.get_name(name));
        if before.as_ref().map(git2::TreeEntry::id) == Some(entry.id()) {
            continue;
        }
        let path = if dir.is_empty() {
            name.to_owned()
        } else {
            format!("{dir}/{name}")
        };
        match entry.kind() {
            Some(ObjectType::Tree) => {
                let sub_new = repo.find_tree(entry.id())?;
                let sub_old = before
                    .filter(|b| b.kind() == Some(ObjectType::Tree))
                    .map(|b| repo.find_tree(b.id()))
                    .transpose()?;
                added_files(repo, sub_old.as_ref(), &sub_new, &path, found)?;
            }
            Some(ObjectType::Blob) if before.is_none() => found(path),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod switch_tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::Switch;

    static ON: AtomicBool = AtomicBool::new(true);

    fn set(on: bool) {
        ON.store(on, Ordering::SeqCst);
    }

    static TEST: Switch = Switch {
        inside: std::sync::Mutex::new(0),
        set,
    };

    #[test]
    fn a_switch_stays_off_until_the_last_caller_is_done_even_after_a_panic() {
        TEST.off_during(|| {
            assert!(!ON.load(Ordering::SeqCst));
            TEST.off_during(|| assert!(!ON.load(Ordering::SeqCst)));
            // The inner caller is done; the outer one still needs it off.
            assert!(!ON.load(Ordering::SeqCst));
        });
        assert!(ON.load(Ordering::SeqCst));
        let panicked = std::panic::catch_unwind(|| TEST.off_during(|| panic!("a failed walk")));
        assert!(panicked.is_err());
        assert!(ON.load(Ordering::SeqCst), "back on after a panic");
        assert_eq!(*TEST.count(), 0);
    }
}
