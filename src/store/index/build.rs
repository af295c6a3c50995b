//! Making an index from git: from nothing (HEAD's run and withdrawal files,
//! the commit that added each, every run parsed and checked against the
//! template it was taken with), or by updating one from the commits since
//! the one it reflects. Git is read, nothing is written here.
//!
//! The commit that added a run is the oldest single-parent commit (in
//! topological order) whose `Tenken-Run:` trailer names it, else the
//! oldest commit whose tree adds the file to its first parent's (see
//! `git::added_by`). An update handles what tenken itself commits (new run
//! and withdrawal files, each named by a trailer, merges of such) and
//! answers `None` for anything else (a file changed or deleted, a run
//! added without a trailer or named twice), so that the caller rebuilds:
//! an updated index is always the one a rebuild would make.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use git2::{ObjectType, Oid, Repository, Sort, Tree};

use super::format::{Record, RunData, Snapshot, Stat, TemplateRecord, WithdrawalRecord};
use crate::error::Result;
use crate::load::{self, RunTemplate};
use crate::model::{Action, Brief};
use crate::store::correction::WITHDRAWALS_DIR;
use crate::store::finish::RUNS_DIR;
use crate::store::history::head_files;
use crate::store::templates::Templates;
use crate::store::{git, verify::RUN_TRAILER};

/// Fewer runs than this are parsed on one thread.
const MIN_PARALLEL: usize = 64;
/// Runs a parsing thread takes at a time.
const BATCH: usize = 32;
/// Files changed less than this long before they were looked at keep no
/// stat data: a change within the same clock tick could go unseen.
const RACY_NANOS: i64 = 2_000_000_000;

/// What building needs at hand.
pub struct Builder<'a> {
    repo: &'a Repository,
    parser: Parser<'a>,
}

/// A parsed run file and the template its run uses.
type Parsed = (Record, Option<TemplateRecord>);

/// A parsed run file with its place among the files parsed.
type Numbered = (usize, Parsed);

/// A committed run file: its path and blob.
type File = (String, Oid);

/// The commit that added each run file, by path.
type Commits = HashMap<String, Oid>;

/// What the threads parsing run files share.
struct Parser<'a> {
    root: &'a Path,
    /// Templates from git only: the index never depends on the work tree.
    templates: Templates,
    /// git's own index entries, by path, for files it may know clean.
    clean: HashMap<String, GitEntry>,
    /// When the work tree was looked at, nanoseconds since the epoch.
    now: i64,
}

impl<'a> Builder<'a> {
    /// Prepares a build over `repo`, whose work tree is `root`.
    pub fn new(root: &'a Path, repo: &'a Repository) -> Self {
        Self {
            repo,
            parser: Parser {
                root,
                templates: Templates::new(root, &BTreeMap::new()),
                clean: clean_entries(repo),
                now: now_nanos(),
            },
        }
    }

    /// Builds the index of `head` from nothing.
    pub fn full(&self, repo_id: String, head: Oid) -> Result<Snapshot> {
        self.full_on(repo_id, head, parsers_for)
    }

    /// Builds the index of `head` from nothing with `spawned(runs)` threads
    /// parsing beside this one (none: all on this thread, one part after
    /// the other).
    pub(super) fn full_on(
        &self,
        repo_id: String,
        head: Oid,
        spawned: impl FnOnce(usize) -> usize,
    ) -> Result<Snapshot> {
        // As `git log` reads them: the index holds object ids, and a blob
        // that is not what its id says is `git fsck`'s to find. Every
        // commit and tree is read about once, so libgit2's object cache
        // would only hold them all (tens of MiB at 100,000 runs).
        git::without_object_cache(|| {
            git::without_hash_checks(|| self.full_unchecked(repo_id, head, spawned))
        })
    }

    fn full_unchecked(
        &self,
        repo_id: String,
        head: Oid,
        spawned: impl FnOnce(usize) -> usize,
    ) -> Result<Snapshot> {
        let files: Vec<File> = head_files(self.repo, RUNS_DIR, &[])?.into_iter().collect();
        let spawned = spawned(files.len());
        // This thread walks the history for the commit that added each
        // run while the others parse the runs; only a run without a
        // template hash needs its commit to be parsed (and waits for it).
        let (parsed, commits, absent) =
            self.parse_during(&files, spawned, || self.commits_of(head, &files))?;
        let mut snap = Snapshot {
            repo: repo_id,
            head,
            runs: BTreeMap::new(),
            templates: BTreeMap::new(),
            withdrawals: None,
            named: absent,
        };
        add_runs(&mut snap, parsed, &commits);
        snap.withdrawals = self.withdrawals(&head_files(self.repo, WITHDRAWALS_DIR, &[])?)?;
        Ok(snap)
    }

    /// Returns the commit that added each of HEAD's run `files` (sorted by
    /// path), and the runs trailers name that HEAD's tree lacks.
    fn commits_of(&self, head: Oid, files: &[File]) -> Result<(Commits, BTreeMap<String, Oid>)> {
        let named = all_trailer_names(self.repo, head)?;
        let mut commits: Commits = HashMap::with_capacity(files.len());
        let mut absent = BTreeMap::new();
        for (id, commit) in named {
            let path = format!("{RUNS_DIR}/{id}.ron");
            if files.binary_search_by(|(p, _)| p.cmp(&path)).is_ok() {
                commits.insert(path, commit);
            } else {
                absent.insert(id, commit);
            }
        }
        let missing: HashSet<String> = files
            .iter()
            .filter(|(p, _)| !commits.contains_key(p))
            .map(|(p, _)| p.clone())
            .collect();
        if !missing.is_empty() {
            commits.extend(git::added_by(self.repo, RUNS_DIR, &missing)?);
        }
        Ok((commits, absent))
    }

    /// Brings `snap` from the commit it reflects to `head`, a descendant;
    /// `None` when only a rebuild gives the right index (module header).
    pub fn update(&self, snap: Snapshot, head: Oid) -> Result<Option<Snapshot>> {
        git::without_hash_checks(|| self.update_unchecked(snap, head))
    }

    fn update_unchecked(&self, mut snap: Snapshot, head: Oid) -> Result<Option<Snapshot>> {
        let old_tree = self.repo.find_commit(snap.head)?.tree()?;
        let new_tree = self.repo.find_commit(head)?.tree()?;
        let mut runs = Changes::default();
        diff(self.repo, &old_tree, &new_tree, RUNS_DIR, &mut runs)?;
        let mut withdrawals = Changes::default();
        diff(
            self.repo,
            &old_tree,
            &new_tree,
            WITHDRAWALS_DIR,
            &mut withdrawals,
        )?;
        if runs.odd || withdrawals.odd {
            return Ok(None);
        }
        let (named, twice) = trailer_names(self.repo, head, Some(snap.head))?;
        if twice {
            return Ok(None);
        }
        let mut files = Vec::with_capacity(runs.added.len());
        let mut commits = Commits::with_capacity(runs.added.len());
        for (path, blob) in runs.added {
            let Some(id) = path
                .strip_prefix("runs/")
                .and_then(|p| p.strip_suffix(".ron"))
            else {
                return Ok(None);
            };
            let commit = match (snap.named.remove(id), named.get(id)) {
                (Some(old), _) => old,
                (None, Some(new)) => *new,
                (None, None) => return Ok(None),
            };
            commits.insert(path.clone(), commit);
            files.push((path, blob));
        }
        for (id, commit) in named {
            let path = format!("{RUNS_DIR}/{id}.ron");
            if !snap.runs.contains_key(&path) && !commits.contains_key(&path) {
                snap.named.entry(id).or_insert(commit);
            }
        }
        let (parsed, commits, ()) =
            self.parse_during(&files, parsers_for(files.len()), || Ok((commits, ())))?;
        add_runs(&mut snap, parsed, &commits);
        if !withdrawals.added.is_empty() {
            snap.withdrawals = match snap.withdrawals.take() {
                None => None,
                Some(mut known) => match self.withdrawals(&withdrawals.added)? {
                    Some(new) => {
                        known.extend(new);
                        Some(known)
                    }
                    None => None,
                },
            };
        }
        snap.head = head;
        Ok(Some(snap))
    }

    /// Parses the run `files` (on this thread and `spawned` others) while
    /// `walk` finds the commit that added each (on this thread, first);
    /// returns what was parsed, with its index in `files` and in that
    /// order, and what `walk` returned.
    fn parse_during<T>(
        &self,
        files: &[File],
        spawned: usize,
        walk: impl FnOnce() -> Result<(Commits, T)>,
    ) -> Result<(Vec<Numbered>, Commits, T)> {
        let parser = &self.parser;
        let next = AtomicUsize::new(0);
        let known: OnceLock<Option<Commits>> = OnceLock::new();
        let (walked, parts) = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..spawned)
                .map(|_| {
                    scope.spawn(|| {
                        let repo = git::open(parser.root)?;
                        parser.parse_some(&repo, files, &next, &known)
                    })
                })
                .collect();
            let walked = {
                // Set however the walk ends, so that no parser waits
                // forever for it.
                let _done = Unblock(&known);
                match walk() {
                    Ok((commits, rest)) => {
                        let _ = known.set(Some(commits));
                        Ok(rest)
                    }
                    Err(e) => Err(e),
                }
            };
            let mut parts = vec![parser.parse_some(self.repo, files, &next, &known)];
            parts.extend(workers.into_iter().map(|w| {
                w.join().unwrap_or_else(|_| {
                    Err(crate::Error::Internal(
                        "a thread building the index panicked".into(),
                    ))
                })
            }));
            (walked, parts)
        });
        let rest = walked?;
        let mut parsed = Vec::with_capacity(files.len());
        for part in parts {
            parsed.extend(part?);
        }
        // Batches were handed out in order, but finish in any.
        parsed.sort_unstable_by_key(|(i, _)| *i);
        let commits = known.into_inner().flatten().unwrap_or_default();
        Ok((parsed, commits, rest))
    }

    /// Reads committed withdrawal files; `None` when one does not read as a
    /// withdrawal (then all are read from git each time, with the errors).
    fn withdrawals(
        &self,
        files: &BTreeMap<String, Oid>,
    ) -> Result<Option<BTreeMap<String, WithdrawalRecord>>> {
        let mut out = BTreeMap::new();
        for (path, blob) in files {
            let content = self.repo.find_blob(*blob)?;
            let Ok(src) = std::str::from_utf8(content.content()) else {
                return Ok(None);
            };
            let Ok(withdrawal) = load::withdrawal_from_str(Path::new(path), src) else {
                return Ok(None);
            };
            out.insert(
                path.clone(),
                WithdrawalRecord {
                    path: path.clone(),
                    blob: *blob,
                    stat: self.parser.stat(path, *blob),
                    withdrawal,
                },
            );
        }
        Ok(Some(out))
    }
}

impl Parser<'_> {
    /// Parses the files whose indices `next` hands out, a batch at a time,
    /// until none is left; each with its index. A run without a template
    /// hash waits for the commits in `known`.
    fn parse_some(
        &self,
        repo: &Repository,
        files: &[File],
        next: &AtomicUsize,
        known: &OnceLock<Option<Commits>>,
    ) -> Result<Vec<Numbered>> {
        let mut out = Vec::with_capacity(files.len());
        loop {
            let start = next.fetch_add(BATCH, Ordering::Relaxed);
            if start >= files.len() {
                return Ok(out);
            }
            for (i, (path, blob)) in files.iter().enumerate().skip(start).take(BATCH) {
                let content = repo.find_blob(*blob)?;
                let commit = || known.wait().as_ref()?.get(path).copied();
                let parsed = std::str::from_utf8(content.content())
                    .ok()
                    .and_then(|src| self.run_data(path, src, commit));
                let (data, template) = match parsed {
                    Some((data, template)) => (Some(Box::new(data)), Some(template)),
                    None => (None, None),
                };
                let record = Record {
                    path: path.clone(),
                    blob: *blob,
                    commit: None,
                    stat: self.stat(path, *blob),
                    data,
                };
                out.push((i, (record, template)));
            }
        }
    }

    /// Parses one committed run and checks it against the template it was
    /// taken with, as `load::run_from_str` does except for what depends on
    /// the work tree (the register, the current templates); `None` for a
    /// run the index does not hold (invalid, or scored against a template
    /// that only the work tree decides), which is then read from its file.
    fn run_data(
        &self,
        path: &str,
        src: &str,
        commit: impl FnOnce() -> Option<Oid>,
    ) -> Option<(RunData, TemplateRecord)> {
        let rel = Path::new(path);
        let mut run = load::parse_run(rel, src).ok()?;
        // The hash comes with the template (hashing one means serialising
        // it, far too slow to repeat for every run).
        let (blob, hash, template) = match &run.inspection_hash {
            Some(hash) => {
                let (blob, t) = self.templates.blob_with_hash(&run.inspection, hash)?;
                (blob, hash.to_string(), t)
            }
            None => self
                .templates
                .in_commit(&run.inspection, run.inspection_version, commit()?)?,
        };
        if template.version != run.inspection_version || template.id != run.inspection {
            return None;
        }
        let expected = path.strip_prefix("runs/")?.strip_suffix(".ron")?;
        if expected != run.id
            || !load::validate_run(rel, src, &run, RunTemplate::Found(&template), None).is_empty()
        {
            return None;
        }
        let brief = Brief::from_answers(&template, &run.answers)?;
        run.answers = BTreeMap::new();
        Some((
            RunData {
                run,
                template: hash,
                codes: brief.codes().to_vec(),
                actions: brief
                    .actions()
                    .iter()
                    .map(|(p, a)| (*p, Action::clone(a)))
                    .collect(),
            },
            TemplateRecord {
                id: template.id.clone(),
                blob,
            },
        ))
    }

    /// Returns the stat data of the work-tree file at `path` when git's own
    /// index proves it holds `blob` (and it is not too fresh to trust).
    fn stat(&self, path: &str, blob: Oid) -> Option<Stat> {
        let e = self.clean.get(path)?;
        if e.blob != blob {
            return None;
        }
        let meta = std::fs::symlink_metadata(self.root.join(path)).ok()?;
        let stat = Stat::of(&meta)?;
        let same = meta.is_file()
            && e.mtime == stat.mtime
            && e.ctime == stat.ctime
            && u64::from(e.ino) == stat.ino & 0xffff_ffff
            && u64::from(e.size) == stat.size & 0xffff_ffff;
        (same && stat.mtime < self.now - RACY_NANOS).then_some(stat)
    }
}

/// Adds parsed runs, with the commit that added each and the templates
/// they use, to `snap` (the first run in path order names the blob of a
/// template).
fn add_runs(snap: &mut Snapshot, parsed: Vec<Numbered>, commits: &Commits) {
    let runs = parsed.into_iter().map(|(_, (mut record, template))| {
        record.commit = commits.get(&record.path).copied();
        if let (Some(data), Some(t)) = (&record.data, template)
            && !snap.templates.contains_key(&data.template)
        {
            snap.templates.insert(data.template.clone(), t);
        }
        (record.path.clone(), record)
    });
    if snap.runs.is_empty() {
        // Sorted already: built in one go rather than inserted one by one.
        snap.runs = runs.collect();
    } else {
        let runs: Vec<_> = runs.collect();
        snap.runs.extend(runs);
    }
}

/// How many threads parse `runs` run files beside the one that walks the
/// history first: the other cores, at most two; none for a few runs.
fn parsers_for(runs: usize) -> usize {
    if runs < MIN_PARALLEL {
        return 0;
    }
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .saturating_sub(1)
        .min(2)
}

/// Sets the walk's commits to none when dropped before the walk set them
/// (it failed), so that no parser waits for them forever.
struct Unblock<'a>(&'a OnceLock<Option<Commits>>);

impl Drop for Unblock<'_> {
    fn drop(&mut self) {
        let _ = self.0.set(None);
    }
}

/// Returns the current time in nanoseconds since the epoch.
pub fn now_nanos() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// What git's own index says of one file: its blob and stat data.
#[derive(Clone, Copy)]
struct GitEntry {
    blob: Oid,
    mtime: i64,
    ctime: i64,
    /// git keeps the low 32 bits of inode and size.
    ino: u32,
    size: u32,
}

/// Returns git's index entries for run and withdrawal files that are
/// older than git's index file (git's own rule: newer ones are "racily
/// clean" and git would read the file again).
fn clean_entries(repo: &Repository) -> HashMap<String, GitEntry> {
    let mut out = HashMap::new();
    let Ok(index) = repo.index() else {
        return out;
    };
    let written = std::fs::metadata(repo.path().join("index"))
        .ok()
        .and_then(|m| Stat::of(&m))
        .map_or(0, |s| s.mtime);
    for entry in index.iter() {
        let Ok(path) = std::str::from_utf8(&entry.path) else {
            continue;
        };
        if !(path.starts_with("runs/") || path.starts_with("withdrawals/")) {
            continue;
        }
        let nanos = |t: git2::IndexTime| {
            i64::from(t.seconds()) * 1_000_000_000 + i64::from(t.nanoseconds())
        };
        let e = GitEntry {
            blob: entry.id,
            mtime: nanos(entry.mtime),
            ctime: nanos(entry.ctime),
            ino: entry.ino,
            size: entry.file_size,
        };
        if e.mtime < written {
            out.insert(path.to_owned(), e);
        }
    }
    out
}

/// The run ids named by `Tenken-Run:` trailers of single-parent commits in
/// the whole history of `head`, each with the first commit (in topological
/// order) naming it: what `trailer_names(repo, head, None)` returns.
///
/// Each commit is read once, in no particular order (libgit2's topological
/// sort reads every commit before the first comes out, and the commit is
/// then read again); order only matters for a run named by two commits,
/// and then, or when a commit cannot be read (a shallow clone's missing
/// parents), the topological walk decides.
pub(super) fn all_trailer_names(repo: &Repository, head: Oid) -> Result<BTreeMap<String, Oid>> {
    let unordered = || -> std::result::Result<Option<BTreeMap<String, Oid>>, git2::Error> {
        let mut stack = vec![head];
        let mut seen = HashSet::from([head]);
        let mut out = BTreeMap::new();
        while let Some(oid) = stack.pop() {
            let commit = repo.find_commit(oid)?;
            for parent in commit.parent_ids() {
                if seen.insert(parent) {
                    stack.push(parent);
                }
            }
            if commit.parent_count() > 1 {
                continue;
            }
            for id in run_trailers(&commit) {
                if out.insert(id, oid).is_some() {
                    return Ok(None);
                }
            }
        }
        Ok(Some(out))
    };
    match unordered() {
        Ok(Some(named)) => Ok(named),
        Ok(None) | Err(_) => Ok(trailer_names(repo, head, None)?.0),
    }
}

/// The run ids a commit's `Tenken-Run:` trailers name.
fn run_trailers(commit: &git2::Commit<'_>) -> Vec<String> {
    let Ok(message) = commit.message_raw() else {
        return Vec::new();
    };
    if !message.contains(RUN_TRAILER) {
        return Vec::new();
    }
    let Ok(trailers) = git2::message_trailers_strs(message) else {
        return Vec::new();
    };
    trailers
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case(RUN_TRAILER))
        .map(|(_, value)| value.trim().to_owned())
        .collect()
}

/// Walks the history of `head` (without that of `hide`) oldest first and
/// returns the run ids `Tenken-Run:` trailers of single-parent commits name,
/// each with the first commit naming it, and whether some run was named
/// twice.
pub(super) fn trailer_names(
    repo: &Repository,
    head: Oid,
    hide: Option<Oid>,
) -> Result<(BTreeMap<String, Oid>, bool)> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    walk.push(head)?;
    if let Some(hide) = hide {
        walk.hide(hide)?;
    }
    let mut out = BTreeMap::new();
    let mut twice = false;
    for oid in walk {
        let commit = repo.find_commit(oid?)?;
        if commit.parent_count() > 1 {
            continue;
        }
        for id in run_trailers(&commit) {
            match out.entry(id) {
                std::collections::btree_map::Entry::Occupied(_) => twice = true,
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(commit.id());
                }
            }
        }
    }
    Ok((out, twice))
}

/// What changed between two trees under one folder.
#[derive(Default)]
struct Changes {
    /// Files added, by path, with their blobs.
    added: BTreeMap<String, Oid>,
    /// Set when anything else changed (a file modified, deleted, turned
    /// into a link or a folder).
    odd: bool,
}

/// Compares `dir` in two trees, descending only into subtrees that differ.
fn diff(
    repo: &Repository,
    old: &Tree<'_>,
    new: &Tree<'_>,
    dir: &str,
    out: &mut Changes,
) -> Result<()> {
    let sub = |t: &Tree<'_>| -> Result<Option<Tree<'_>>> {
        match t.get_name(dir) {
            Some(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(repo.find_tree(e.id())?)),
            _ => Ok(None),
        }
    };
    let (old, new) = (sub(old)?, sub(new)?);
    match (old, new) {
        (None, None) => Ok(()),
        (Some(_), None) => {
            out.odd = true;
            Ok(())
        }
        (old, Some(new)) => diff_trees(repo, old.as_ref(), &new, dir, 2, out),
    }
}

fn diff_trees(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
    path: &str,
    depth: usize,
    out: &mut Changes,
) -> Result<()> {
    if old.is_some_and(|o| o.id() == new.id()) {
        return Ok(());
    }
    if let Some(old) = old {
        // Anything the old tree has that the new one lacks is a deletion.
        for e in old {
            if e.name().ok().is_none_or(|n| new.get_name(n).is_none()) {
                out.odd = true;
                return Ok(());
            }
        }
    }
    for entry in new {
        let Ok(name) = entry.name() else {
            out.odd = true;
            return Ok(());
        };
        let before = old.and_then(|t| t.get_name(name));
        if before.as_ref().map(git2::TreeEntry::id) == Some(entry.id())
            && before.as_ref().map(git2::TreeEntry::filemode) == Some(entry.filemode())
        {
            continue;
        }
        let child = format!("{path}/{name}");
        match (depth, entry.kind()) {
            (0, Some(ObjectType::Blob)) if before.is_none() => {
                let regular = matches!(entry.filemode(), 0o100_644 | 0o100_755);
                let is_ron = Path::new(name).extension().is_some_and(|e| e == "ron");
                if regular && is_ron {
                    out.added.insert(child, entry.id());
                } else {
                    // Not a run file; HEAD's listing leaves it out too.
                }
            }
            (1.., Some(ObjectType::Tree)) => {
                let sub_old = match &before {
                    Some(b) if b.kind() == Some(ObjectType::Tree) => Some(repo.find_tree(b.id())?),
                    Some(_) => {
                        out.odd = true;
                        return Ok(());
                    }
                    None => None,
                };
                let sub_new = repo.find_tree(entry.id())?;
                diff_trees(repo, sub_old.as_ref(), &sub_new, &child, depth - 1, out)?;
            }
            (_, _) if before.is_none() => {
                // A new entry that is no run file (wrong depth or kind):
                // HEAD's listing ignores it, and so does the index.
            }
            _ => {
                out.odd = true;
                return Ok(());
            }
        }
        if out.odd {
            return Ok(());
        }
    }
    Ok(())
}
