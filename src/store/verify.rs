//! `tenken verify`: checks that the append-only rule of `runs/` and `risks/`
//! held over the whole history. One revwalk, oldest commit first, each commit
//! diffed against its first parent with the diff restricted to those two
//! folders. Reads git and the work tree; writes nothing.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use git2::{Commit, ObjectType, Oid, Repository, Sort, Tree, TreeEntry};
use serde::Serialize;

use crate::error::Result;
use crate::load;
use crate::model::{RiskAssessment, Run, Withdrawal};

/// The trailer that names the run a commit records.
pub const RUN_TRAILER: &str = "Tenken-Run";

use super::correction::WITHDRAWS_TRAILER;

/// What `tenken verify` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    /// Distinct run files ever committed.
    pub runs: usize,
    /// Distinct risk assessment files ever committed.
    pub risks: usize,
    /// Every withdrawal ever committed, in history order: the runs that
    /// left the current set, and why.
    pub withdrawals: Vec<WithdrawalNote>,
    /// Commits walked.
    pub commits: usize,
    /// Every problem, in history order (oldest commit first).
    pub problems: Vec<Problem>,
    /// Signed and unsigned commits (`store/signing/verify.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signatures: Option<super::SignatureSummary>,
}

impl VerifyReport {
    /// Returns true when no problem was found.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A committed withdrawal, as `verify` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct WithdrawalNote {
    /// The run withdrawn.
    pub run: String,
    /// Why.
    pub reason: String,
    /// Who withdrew it (name and e-mail as the withdrawal records them).
    pub by: String,
    /// The e-mail of who withdrew it.
    pub email: String,
    /// When, RFC 3339.
    pub date: DateTime<FixedOffset>,
    /// The commit that added the withdrawal.
    pub commit: String,
}

/// What is wrong with one file in one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A committed run or risk file was changed by a later commit.
    Modified,
    /// A committed run or risk file was deleted by a later commit.
    Deleted,
    /// A committed file under `runs/` or `risks/` does not parse, or its id
    /// does not match its path.
    Unparsable,
    /// A commit touched `runs/` without a `Tenken-Run:` trailer.
    MissingTrailer,
    /// A commit added a run its `Tenken-Run:` trailer does not name.
    TrailerMismatch,
    /// A run supersedes a run that was never committed.
    MissingSuperseded,
    /// A withdrawal names a run that was never committed.
    MissingWithdrawn,
    /// A committed file differs from HEAD in the work tree or index.
    Uncommitted,
    /// A run names an evidence file HEAD does not have with its digest.
    EvidenceMissing,
    /// A commit changed or deleted a committed evidence file.
    EvidenceChanged,
    /// A file under `evidence/` is not named by its content's SHA-256 (or
    /// is not a regular file).
    EvidenceMisnamed,
    /// A commit that records something is not signed, and signatures are
    /// required.
    Unsigned,
    /// A commit's signature is not a good SSH signature of it.
    BadSignature,
    /// A commit is signed by a key `allowed_signers` did not allow for its
    /// author at that time.
    UnknownSigner,
}

impl ProblemKind {
    /// Returns the kind's name as used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Modified => "modified",
            Self::Deleted => "deleted",
            Self::Unparsable => "unparsable",
            Self::MissingTrailer => "missing-trailer",
            Self::TrailerMismatch => "trailer-mismatch",
            Self::MissingSuperseded => "missing-superseded",
            Self::MissingWithdrawn => "missing-withdrawn",
            Self::Uncommitted => "uncommitted",
            Self::EvidenceMissing => "evidence-missing",
            Self::EvidenceChanged => "evidence-changed",
            Self::EvidenceMisnamed => "evidence-misnamed",
            Self::Unsigned => "unsigned",
            Self::BadSignature => "bad-signature",
            Self::UnknownSigner => "unknown-signer",
        }
    }
}

/// One problem found by `verify`.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// What is wrong.
    pub kind: ProblemKind,
    /// The file, relative to the repository root.
    pub path: String,
    /// The commit that made the change (full hex id); `None` for the work tree.
    pub commit: Option<String>,
    /// The commit's author name.
    pub author: Option<String>,
    /// The commit's author e-mail.
    pub email: Option<String>,
    /// The author date, RFC 3339 with offset.
    pub time: Option<DateTime<FixedOffset>>,
    /// The author date as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// One sentence with the details.
    pub detail: String,
}

/// Where a problem was introduced.
#[derive(Clone)]
struct At {
    commit: String,
    author: String,
    email: String,
    time: Option<DateTime<FixedOffset>>,
}

impl At {
    fn of(commit: &Commit<'_>) -> Self {
        let author = commit.author();
        Self {
            commit: commit.id().to_string(),
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            time: git_time(author.when()),
        }
    }

    fn problem(&self, kind: ProblemKind, path: &str, detail: String) -> Problem {
        Problem {
            kind,
            path: path.to_owned(),
            commit: Some(self.commit.clone()),
            author: Some(self.author.clone()),
            email: Some(self.email.clone()),
            time: self.time,
            date: self.time.map(|t| t.format("%Y-%m-%d").to_string()),
            detail,
        }
    }
}

/// Converts a git timestamp to a date-time in its own offset.
fn git_time(t: git2::Time) -> Option<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(t.offset_minutes() * 60)?;
    Some(DateTime::from_timestamp(t.seconds(), 0)?.with_timezone(&offset))
}

/// Which append-only folder a path belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Area {
    Runs,
    Risks,
    Withdrawals,
}

fn area(path: &str) -> Option<Area> {
    if path.starts_with("runs/") {
        Some(Area::Runs)
    } else if path.starts_with("risks/") {
        Some(Area::Risks)
    } else if path.starts_with("withdrawals/") {
        Some(Area::Withdrawals)
    } else {
        None
    }
}

/// The id a file at `path` must carry: the path without folder and `.ron`
/// (for a withdrawal, the id of the run it withdraws).
fn id_of(path: &str) -> Option<&str> {
    path.strip_prefix("runs/")
        .or_else(|| path.strip_prefix("risks/"))
        .or_else(|| path.strip_prefix("withdrawals/"))?
        .strip_suffix(".ron")
}

/// One change a commit made under `runs/` or `risks/`.
struct Change {
    path: String,
    /// The blob after the commit; `None` when the file was deleted.
    new: Option<Oid>,
    /// Whether the file existed in the first parent.
    existed: bool,
}

/// The state of the walk.
#[derive(Default)]
struct Walk {
    /// Every file ever committed under `runs/` or `risks/`, with its first content.
    committed: HashMap<String, Oid>,
    /// Ids of committed runs that parsed.
    run_ids: HashSet<String>,
    /// (superseding run's path, where, superseded id), checked at the end.
    supersedes: Vec<(String, At, String)>,
    /// (withdrawal's path, where, withdrawn id), checked at the end.
    withdraws: Vec<(String, At, String)>,
    report: VerifyReport,
}

/// Walks the history of the repository at `root` and reports every problem.
pub fn verify(root: &Path) -> Result<VerifyReport> {
    let repo = super::git::open(root)?;
    let mut walk = Walk::default();
    let head = match repo.head() {
        Ok(h) => h,
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            return Ok(walk.report);
        }
        Err(e) => return Err(e.into()),
    };
    let head_tree = head.peel_to_tree()?;
    let mut revwalk = repo.revwalk()?;
    // Parents before children, so "first committed" is well defined.
    revwalk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    revwalk.push_head()?;
    // libgit2 keeps every tree it reads in its object cache (up to 256 MiB
    // by default): over 10,000 commits that alone was 110 MiB of the peak
    // memory and made the walk slower, not faster. `Trees` keeps just the
    // parent's trees instead. The switch is process-wide, so it is turned
    // back on however the walk ends.
    git2::opts::enable_caching(false);
    let walked = walk_history(&repo, revwalk, &mut walk);
    git2::opts::enable_caching(true);
    walked?;
    walk.finish();
    // Evidence files: their own checks (store/evidence/verify.rs).
    walk.report
        .problems
        .extend(super::evidence::verify::check(&repo, &head_tree)?);
    if repo.workdir().is_some() {
        work_tree_changes(&repo, &head_tree, &mut walk.report)?;
    }
    Ok(walk.report)
}

/// Checks every commit of `revwalk`, parents first.
fn walk_history(repo: &Repository, revwalk: git2::Revwalk<'_>, walk: &mut Walk) -> Result<()> {
    let mut trees = Trees::default();
    for oid in revwalk {
        let commit = repo.find_commit(oid?)?;
        walk.report.commits += 1;
        let changes = introduced_changes(repo, &mut trees, &commit)?;
        if !changes.is_empty() {
            walk.commit(repo, &commit, &changes)?;
        }
        trees.next_commit();
    }
    Ok(())
}

/// Returns the changes `commit` itself made under `runs/` and `risks/`.
///
/// A merge commit is diffed against its first parent, and a change that
/// only brings in another parent's version of a file is left out when that
/// parent's side changed the file (it differs from the merge base there):
/// it was checked in the commit that made it on that branch. A merge that
/// undoes the first parent's change, or invents content, is reported.
fn introduced_changes<'r>(
    repo: &'r Repository,
    trees: &mut Trees<'r>,
    commit: &Commit<'r>,
) -> Result<Vec<Change>> {
    let tree = trees.get(repo, commit.tree_id())?;
    let first = match commit.parent_count() {
        0 => None,
        _ => Some(trees.get(repo, commit.parent(0)?.tree_id())?),
    };
    // (other parent's tree, merge base of the first and that parent's tree)
    let mut others: Vec<(Tree<'_>, Option<Tree<'_>>)> = Vec::new();
    for i in 1..commit.parent_count() {
        let other = commit.parent(i)?;
        let base = match repo.merge_base(commit.parent_id(0)?, other.id()) {
            Ok(b) => Some(repo.find_commit(b)?.tree()?),
            Err(e) if e.code() == git2::ErrorCode::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        others.push((other.tree()?, base));
    }
    let mut deltas = Vec::new();
    for top in AREAS {
        let old = first.as_ref().and_then(|t| entry_of(t, top));
        let new = entry_of(&tree, top);
        diff_entries(repo, trees, top.to_owned(), old, new, &mut deltas)?;
    }
    let mut out = Vec::new();
    for (path, old, new) in deltas {
        let from_other_parent = others.iter().any(|(theirs, base)| {
            let theirs = blob_at(theirs, &path);
            theirs == new && base.as_ref().and_then(|b| blob_at(b, &path)) != theirs
        });
        if from_other_parent {
            continue;
        }
        out.push(Change {
            path,
            new,
            existed: old.is_some(),
        });
    }
    Ok(out)
}

/// The trees read for the previous commit and for this one.
///
/// Commits are walked parents first, so most of a commit's first-parent
/// trees were read for the commit before; keeping them halves the tree
/// reads. libgit2's own object cache is switched off during the walk (see
/// [`verify`]), so this is the only cache and it stays small.
#[derive(Default)]
struct Trees<'r> {
    previous: HashMap<Oid, Tree<'r>>,
    current: HashMap<Oid, Tree<'r>>,
}

impl<'r> Trees<'r> {
    fn get(&mut self, repo: &'r Repository, id: Oid) -> Result<Tree<'r>> {
        if let Some(t) = self.current.get(&id) {
            return Ok(t.clone());
        }
        let tree = match self.previous.remove(&id) {
            Some(t) => t,
            None => repo.find_tree(id)?,
        };
        self.current.insert(id, tree.clone());
        Ok(tree)
    }

    /// Starts the next commit: what this one read becomes "previous".
    fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }
}

/// The append-only folders at the top of the tree.
const AREAS: [&str; 3] = ["runs", "risks", "withdrawals"];

/// A tree entry: its object id and whether it is a tree (else a blob).
type Entry = (Oid, bool);

fn entry_of(tree: &Tree<'_>, name: &str) -> Option<Entry> {
    as_entry(&tree.get_name(name)?)
}

fn as_entry(e: &TreeEntry<'_>) -> Option<Entry> {
    match e.kind() {
        Some(ObjectType::Tree) => Some((e.id(), true)),
        Some(ObjectType::Blob) => Some((e.id(), false)),
        // Submodules and anything else hold no run files.
        _ => None,
    }
}

/// Git's order of tree entries: by name, a folder as if its name ended
/// in `/`.
fn git_order(a: &TreeEntry<'_>, b: &TreeEntry<'_>) -> Ordering {
    fn key<'a>(e: &'a TreeEntry<'_>) -> impl Iterator<Item = u8> + 'a {
        let slash = (e.kind() == Some(ObjectType::Tree)).then_some(b'/');
        e.name_bytes().iter().copied().chain(slash)
    }
    key(a).cmp(key(b))
}

/// Collects `(path, old blob, new blob)` for every file that differs
/// between `old` and `new` at `path`.
///
/// Subtrees with the same id are skipped without being read, so a commit
/// that adds one run costs a few small tree reads however long the history
/// is. (libgit2's tree-to-tree diff walks every entry of both trees, which
/// made one commit cost as much as the number of run files.)
fn diff_entries<'r>(
    repo: &'r Repository,
    trees: &mut Trees<'r>,
    path: String,
    old: Option<Entry>,
    new: Option<Entry>,
    out: &mut Vec<(String, Option<Oid>, Option<Oid>)>,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    match (old, new) {
        (Some((o, false)), Some((n, false))) => out.push((path, Some(o), Some(n))),
        (Some((o, true)), Some((n, true))) => {
            let (o, n) = (trees.get(repo, o)?, trees.get(repo, n)?);
            // Both trees are sorted in git's order: walk them side by side
            // and descend only where the entries differ.
            let (mut olds, mut news) = (o.iter().peekable(), n.iter().peekable());
            loop {
                let order = match (olds.peek(), news.peek()) {
                    (None, None) => break,
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (Some(a), Some(b)) => git_order(a, b),
                };
                let (a, b) = match order {
                    Ordering::Less => (olds.next(), None),
                    Ordering::Greater => (None, news.next()),
                    Ordering::Equal => (olds.next(), news.next()),
                };
                let (ea, eb) = (a.as_ref().and_then(as_entry), b.as_ref().and_then(as_entry));
                if ea == eb {
                    continue;
                }
                let Some(named) = a.as_ref().or(b.as_ref()) else {
                    continue;
                };
                let name = String::from_utf8_lossy(named.name_bytes());
                diff_entries(repo, trees, format!("{path}/{name}"), ea, eb, out)?;
            }
        }
        // A file replaced by a folder or the other way round: everything
        // on the old side is gone and everything on the new side is new.
        (old, new) => {
            if let Some(o) = old {
                files_of(repo, &path, o, &mut |p, id| out.push((p, Some(id), None)))?;
            }
            if let Some(n) = new {
                files_of(repo, &path, n, &mut |p, id| out.push((p, None, Some(id))))?;
            }
        }
    }
    Ok(())
}

/// Calls `f` with every file at or under `path`.
fn files_of(
    repo: &Repository,
    path: &str,
    entry: Entry,
    f: &mut dyn FnMut(String, Oid),
) -> Result<()> {
    match entry {
        (id, false) => f(path.to_owned(), id),
        (id, true) => {
            let tree = repo.find_tree(id)?;
            for e in &tree {
                if let Some(child) = as_entry(&e) {
                    let name = String::from_utf8_lossy(e.name_bytes());
                    files_of(repo, &format!("{path}/{name}"), child, f)?;
                }
            }
        }
    }
    Ok(())
}

/// Returns the blob at `path` in `tree`, if there is a file there.
fn blob_at(tree: &Tree<'_>, path: &str) -> Option<Oid> {
    let entry = tree.get_path(Path::new(path)).ok()?;
    (entry.kind() == Some(ObjectType::Blob)).then(|| entry.id())
}

impl Walk {
    fn commit(&mut self, repo: &Repository, commit: &Commit<'_>, changes: &[Change]) -> Result<()> {
        let at = At::of(commit);
        let mut added_runs = Vec::new();
        for change in changes {
            let first = self.committed.get(&change.path).copied();
            match (change.new, first) {
                (None, _) => self.report.problems.push(at.problem(
                    ProblemKind::Deleted,
                    &change.path,
                    "a committed file was deleted".into(),
                )),
                (Some(new), Some(old)) if new == old && !change.existed => {
                    // Restored with its original content after a deletion,
                    // which was reported where it happened.
                }
                (Some(_), Some(_)) => self.report.problems.push(at.problem(
                    ProblemKind::Modified,
                    &change.path,
                    "a committed file was changed".into(),
                )),
                (Some(_), None) if change.existed => {
                    // Not seen before yet present in the first parent: only
                    // possible with a grafted or shallow history.
                    self.report.problems.push(at.problem(
                        ProblemKind::Modified,
                        &change.path,
                        "a file whose first commit is not in the history was changed".into(),
                    ));
                }
                (Some(new), None) => {
                    self.committed.insert(change.path.clone(), new);
                    if matches!(
                        self.new_file(repo, &at, &change.path, new)?,
                        Some(Area::Runs | Area::Withdrawals)
                    ) {
                        added_runs.push(change.path.as_str());
                    }
                }
            }
        }
        self.check_trailer(commit, &at, changes, &added_runs);
        Ok(())
    }

    /// Counts and parses a newly committed file; returns its area.
    fn new_file(
        &mut self,
        repo: &Repository,
        at: &At,
        path: &str,
        blob: Oid,
    ) -> Result<Option<Area>> {
        let Some(kind) = area(path) else {
            return Ok(None);
        };
        match kind {
            Area::Runs => self.report.runs += 1,
            Area::Risks => self.report.risks += 1,
            Area::Withdrawals => {}
        }
        let blob = repo.find_blob(blob)?;
        let rel = Path::new(path);
        let unparsable = |detail: String| at.problem(ProblemKind::Unparsable, path, detail);
        if blob.size() as u64 > load::MAX_FILE_BYTES {
            self.report.problems.push(unparsable(format!(
                "the file is {} bytes; the limit is {} bytes",
                blob.size(),
                load::MAX_FILE_BYTES
            )));
            return Ok(Some(kind));
        }
        let Ok(src) = std::str::from_utf8(blob.content()) else {
            self.report
                .problems
                .push(unparsable("the file is not valid UTF-8".into()));
            return Ok(Some(kind));
        };
        let id = match kind {
            Area::Runs => load::parse::<Run>(rel, src).map(|run| {
                if let Some(target) = run.supersedes.clone() {
                    self.supersedes.push((path.to_owned(), at.clone(), target));
                }
                run.id
            }),
            Area::Risks => load::parse::<RiskAssessment>(rel, src).map(|r| r.id),
            Area::Withdrawals => load::parse::<Withdrawal>(rel, src).map(|w| {
                self.withdraws
                    .push((path.to_owned(), at.clone(), w.run.clone()));
                self.report.withdrawals.push(WithdrawalNote {
                    run: w.run.clone(),
                    reason: w.reason,
                    by: w.by.name,
                    email: w.by.email,
                    date: w.date,
                    commit: at.commit.clone(),
                });
                w.run
            }),
        };
        match id {
            Err(d) => self
                .report
                .problems
                .push(unparsable(format!("{}:{}: {}", d.line, d.col, d.message))),
            Ok(id) if Some(id.as_str()) != id_of(path) => {
                self.report.problems.push(unparsable(format!(
                    "its id `{}` does not match its path",
                    crate::escape::line(&id)
                )));
            }
            Ok(id) => {
                if kind == Area::Runs {
                    self.run_ids.insert(id);
                }
            }
        }
        Ok(Some(kind))
    }

    /// Every commit that touches `runs/` must say which run it records, and
    /// every run it adds must be named; likewise a commit that touches
    /// `withdrawals/` must name the runs it withdraws.
    fn check_trailer(&mut self, commit: &Commit<'_>, at: &At, changes: &[Change], added: &[&str]) {
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        for (kind, key) in [
            (Area::Runs, RUN_TRAILER),
            (Area::Withdrawals, WITHDRAWS_TRAILER),
        ] {
            let Some(first) = changes
                .iter()
                .find(|c| area(&c.path) == Some(kind))
                .map(|c| c.path.as_str())
            else {
                continue;
            };
            let named: Vec<String> = git2::message_trailers_strs(&message)
                .map(|t| {
                    t.iter()
                        .filter(|(k, _)| k.eq_ignore_ascii_case(key))
                        .map(|(_, v)| v.trim().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            let folder = if kind == Area::Runs {
                "runs/"
            } else {
                "withdrawals/"
            };
            if named.is_empty() {
                self.report.problems.push(at.problem(
                    ProblemKind::MissingTrailer,
                    first,
                    format!("the commit changes {folder} but has no `{key}:` trailer"),
                ));
                continue;
            }
            for path in added.iter().filter(|p| area(p) == Some(kind)) {
                let Some(id) = id_of(path) else { continue };
                if !named.iter().any(|n| n == id) {
                    self.report.problems.push(at.problem(
                        ProblemKind::TrailerMismatch,
                        path,
                        format!(
                            "the commit adds this file but its `{key}:` trailer names `{}`",
                            crate::escape::line(&named.join("`, `"))
                        ),
                    ));
                }
            }
        }
    }

    fn finish(&mut self) {
        for (path, at, target) in std::mem::take(&mut self.withdraws) {
            if !self.run_ids.contains(&target) {
                self.report.problems.push(at.problem(
                    ProblemKind::MissingWithdrawn,
                    &path,
                    format!(
                        "it withdraws run `{}`, which was never committed",
                        crate::escape::line(&target)
                    ),
                ));
            }
        }
        for (path, at, target) in std::mem::take(&mut self.supersedes) {
            if !self.run_ids.contains(&target) {
                self.report.problems.push(at.problem(
                    ProblemKind::MissingSuperseded,
                    &path,
                    format!(
                        "it supersedes run `{}`, which was never committed",
                        crate::escape::line(&target)
                    ),
                ));
            }
        }
    }
}

/// Reports committed files that are modified or deleted in the index or
/// work tree: `history` reads the work tree, so an uncommitted edit would
/// otherwise change what it shows.
fn work_tree_changes(repo: &Repository, head: &Tree<'_>, report: &mut VerifyReport) -> Result<()> {
    let mut opts = git2::StatusOptions::new();
    opts.pathspec("runs/")
        .pathspec("risks/")
        .pathspec("withdrawals/")
        .disable_pathspec_match(true)
        .include_untracked(false)
        .include_ignored(false)
        .exclude_submodules(true);
    let statuses = repo.statuses(Some(&mut opts))?;
    for entry in statuses.iter() {
        let s = entry.status();
        let Ok(path) = entry.path() else { continue };
        if area(path).is_none() || blob_at(head, path).is_none() {
            continue;
        }
        let what = if s.intersects(git2::Status::WT_DELETED | git2::Status::INDEX_DELETED) {
            "deleted"
        } else if s.intersects(
            git2::Status::WT_MODIFIED
                | git2::Status::INDEX_MODIFIED
                | git2::Status::WT_TYPECHANGE
                | git2::Status::INDEX_TYPECHANGE
                | git2::Status::WT_RENAMED
                | git2::Status::INDEX_RENAMED,
        ) {
            "changed"
        } else {
            continue;
        };
        report.problems.push(Problem {
            kind: ProblemKind::Uncommitted,
            path: path.to_owned(),
            commit: None,
            author: None,
            email: None,
            time: None,
            date: None,
            detail: format!("the committed file is {what} in the work tree (not committed)"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_paths() {
        assert_eq!(
            id_of("runs/self/x/2026-01-01T000000-sato.ron"),
            Some("self/x/2026-01-01T000000-sato")
        );
        assert_eq!(
            id_of("risks/2026-01-01T000000-sato.ron"),
            Some("2026-01-01T000000-sato")
        );
        assert_eq!(id_of("runs/README"), None);
        assert_eq!(id_of("subjects.ron"), None);
    }

    #[test]
    fn git_times_keep_their_offset() {
        let t = git_time(git2::Time::new(1_795_564_800, 540)).map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2026-11-25T09:00:00+09:00"));
    }

    /// Writes a tree holding `files` (path, contents) and returns its id.
    fn tree_of(repo: &Repository, files: &[(&str, &str)]) -> Oid {
        let mut index = git2::Index::new().unwrap();
        for (path, text) in files {
            let id = repo.blob(text.as_bytes()).unwrap();
            index
                .add(&git2::IndexEntry {
                    ctime: git2::IndexTime::new(0, 0),
                    mtime: git2::IndexTime::new(0, 0),
                    dev: 0,
                    ino: 0,
                    mode: 0o100_644,
                    uid: 0,
                    gid: 0,
                    file_size: 0,
                    id,
                    flags: 0,
                    flags_extended: 0,
                    path: path.as_bytes().to_vec(),
                })
                .unwrap();
        }
        index.write_tree_to(repo).unwrap()
    }

    #[test]
    fn the_tree_diff_descends_only_where_trees_differ() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let old = tree_of(
            &repo,
            &[
                ("runs/a/x/1.ron", "one"),
                ("runs/a/x/2.ron", "two"),
                ("runs/b", "a file where a folder will be"),
                ("runs/c/y/3.ron", "three"),
                ("subjects.ron", "ignored"),
            ],
        );
        let new = tree_of(
            &repo,
            &[
                ("runs/a/x/1.ron", "one"),
                ("runs/a/x/2.ron", "TWO"),
                ("runs/a/x/2b.ron", "new"),
                ("runs/b/z/4.ron", "four"),
                ("runs/c/y/3.ron", "three"),
                ("subjects.ron", "changed, still ignored"),
            ],
        );
        let (old, new) = (repo.find_tree(old).unwrap(), repo.find_tree(new).unwrap());
        let mut trees = Trees::default();
        let mut out = Vec::new();
        diff_entries(
            &repo,
            &mut trees,
            "runs".into(),
            entry_of(&old, "runs"),
            entry_of(&new, "runs"),
            &mut out,
        )
        .unwrap();
        let shown: Vec<(String, bool, bool)> = out
            .into_iter()
            .map(|(p, o, n)| (p, o.is_some(), n.is_some()))
            .collect();
        assert_eq!(
            shown,
            [
                ("runs/a/x/2.ron".to_owned(), true, true),
                ("runs/a/x/2b.ron".to_owned(), false, true),
                ("runs/b".to_owned(), true, false),
                ("runs/b/z/4.ron".to_owned(), false, true),
            ]
        );
        // `runs/c` is the same tree on both sides and was never read.
        let c = entry_of(&old, "runs")
            .and_then(|(id, _)| entry_of(&repo.find_tree(id).unwrap(), "c"))
            .unwrap();
        assert!(!trees.current.contains_key(&c.0));
    }
}
