//! `tenken verify`: checks that the record in git is complete and unchanged.
//!
//! Every run, risk assessment and withdrawal file that ever existed in any
//! commit reachable from HEAD must still be there with the same content and
//! mode: a correction or a withdrawal takes a run out of the current set
//! without touching its file. Every commit that adds records says which in
//! its trailers, every file parses and carries the id its path gives, a
//! correction or withdrawal names a run that was committed, and the history
//! still contains the commit tenken last saw on this branch.
//!
//! One walk over the history, parents first (`verify/order.rs`). Each commit is diffed against every parent,
//! restricted to `runs/`, `risks/` and `withdrawals/`; what a merge only
//! brings in from one parent's side (which changed it since the merge base)
//! was checked in the commit that made it, so it is not reported again, but
//! a merge that drops or changes what a parent had (`git merge -s ours`) is.
//! The same walk runs the evidence checks (`evidence/verify.rs`) and the
//! signature checks (`signing/verify.rs`) on each commit, with the trees
//! it has already read.
//! The files are parsed after the walk, on a few threads. A shallow clone is
//! verified from where its history starts, and says so once. Reads git and
//! the work tree; writes only `.tenken/seen`.
//!
//! Over 700 lines on purpose: the revwalk and the checks of each commit
//! share one state (what each path held, what was superseded or withdrawn);
//! the problem list, the tree reading and `.tenken/seen` are in `verify/`.

mod order;
mod report;
mod seen;
mod tree;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, PoisonError, mpsc};

use git2::{Commit, Oid, Repository, Tree};

use self::tree::{AREAS, Entry, FILE_MODE, Trees, describe_mode, entry_at, entry_of, files_of};
use super::correction::WITHDRAWS_TRAILER;
use super::evidence::verify::{Named, named_in};
use crate::error::Result;
use crate::load;
use crate::model::{RiskAssessment, Withdrawal};
use crate::msg::{Label, Message};

pub use report::{Problem, ProblemKind, VerifyReport, WithdrawalNote};
pub use seen::SEEN_FILE;

use self::report::At;

/// The trailer that names the run a commit records.
pub const RUN_TRAILER: &str = "Tenken-Run";

/// The hasher of the walk's maps, looked up and never iterated (their
/// keys are object ids and paths from the repository itself).
type Quick = foldhash::fast::RandomState;

/// The most threads that parse committed files at once.
const MAX_PARSE_THREADS: usize = 8;

/// How many files the walk hands to the parsing threads at once: one
/// hand-over per file cost more in locks and wake-ups than the parsing.
const PARSE_BATCH: usize = 64;

/// Files queued for parsing: place in `Walk::to_parse`, path, blob.
type Batch = Vec<(usize, String, Oid)>;

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

/// The order of a problem: the commit's place in the walk, then the order
/// in which the commit's problems were found.
type Seq = (usize, usize);

/// A committed file to parse after the walk.
struct ToParse {
    path: String,
    /// Where its parse problem goes in the report.
    seq: Seq,
    /// The commit that added it, an index into `Walk::ats`.
    at: usize,
}

/// The state of the walk.
#[derive(Default)]
struct Walk {
    /// Every file ever committed under the append-only folders, with its
    /// first content and mode.
    committed: HashMap<String, Entry, Quick>,
    /// The commits problems are attributed to, by walk index.
    ats: Vec<At>,
    to_parse: Vec<ToParse>,
    /// Where queued files go to be parsed while the walk goes on.
    parser: Option<mpsc::Sender<Batch>>,
    /// Files queued but not yet handed over.
    batch: Batch,
    problems: Vec<(Seq, Problem)>,
    next: usize,
    report: VerifyReport,
}

impl Walk {
    fn seq(&mut self) -> Seq {
        self.next += 1;
        (self.ats.len().saturating_sub(1), self.next)
    }

    fn push(&mut self, problem: Problem) {
        let seq = self.seq();
        self.problems.push((seq, problem));
    }

    /// Hands the queued files over to the parsers.
    fn hand_over(&mut self) {
        if let Some(parser) = &self.parser
            && !self.batch.is_empty()
        {
            // A parser that is gone has failed; its error is reported when
            // it is joined.
            let _ = parser.send(std::mem::take(&mut self.batch));
        }
    }
}

/// Walks the history of the repository at `root` and reports every problem.
///
/// Then records HEAD in `.tenken/seen` for the branch, unless the history no
/// longer contains the commit recorded there (reported as a rewrite) and
/// `accept_rewrite` is false. Signatures are checked in the same walk
/// (`require_signatures`: unsigned record commits are problems too); their
/// summary is in the report and their problems come after all others.
pub fn verify(root: &Path, accept_rewrite: bool, require_signatures: bool) -> Result<VerifyReport> {
    let repo = super::git::open(root)?;
    let head = match repo.head() {
        Ok(h) => h,
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            return Ok(VerifyReport {
                signatures: Some(
                    super::signing::verify::Signatures::new(require_signatures)
                        .finish()
                        .0,
                ),
                ..VerifyReport::default()
            });
        }
        Err(e) => return Err(e.into()),
    };
    let head_tree = head.peel_to_tree()?;
    let head_tree_id = head_tree.id();
    // The index and work tree are compared with HEAD on a thread of their
    // own (every record file is looked at) while the history is walked.
    std::thread::scope(|scope| {
        let work_tree = scope.spawn(move || work_tree_changes(root, head_tree_id));
        let work_tree = move || {
            work_tree.join().unwrap_or_else(|_| {
                Err(crate::Error::Internal(
                    "the thread comparing the work tree panicked".into(),
                ))
            })
        };
        verify_head(
            root,
            &repo,
            &head_tree,
            (accept_rewrite, require_signatures),
            work_tree,
        )
    })
}

/// [`verify`] once HEAD's tree is known; `work_tree` gives the problems
/// of the index and work tree.
fn verify_head(
    root: &Path,
    repo: &Repository,
    head_tree: &Tree<'_>,
    (accept_rewrite, require_signatures): (bool, bool),
    work_tree: impl FnOnce() -> Result<Vec<Problem>>,
) -> Result<VerifyReport> {
    let mut walk = Walk::default();
    let head_id = head_tree_commit(repo)?;
    let boundary = seen::shallow_boundary(repo);
    // libgit2 keeps every tree it reads in its object cache (up to 256 MiB
    // by default): over 10,000 commits that alone was 110 MiB of the peak
    // memory and made the walk slower, not faster. `Trees` keeps just the
    // parents' trees instead. The switch is process-wide, so it is turned
    // back on however the walk ends.
    // Objects' hashes are not checked as they are read (`git`): this walk
    // compares object ids.
    // The evidence checks (store/evidence/verify.rs; an evidence file's
    // content is hashed there, against its name) and the signature checks
    // look at each commit in the same walk.
    let mut checks = Checks {
        evidence: super::evidence::verify::History::default(),
        signatures: super::signing::verify::Signatures::new(require_signatures),
    };
    let walked = super::git::without_object_cache(|| {
        super::git::without_hash_checks(|| {
            walk_and_parse(root, repo, &boundary, &mut walk, &mut checks)
        })
    });
    let Parses { parsed, named } = walked?;
    walk.apply(parsed);
    let named: HashMap<Oid, Named, Quick> = named.into_iter().collect();
    let mut problems = std::mem::take(&mut walk.problems);
    problems.sort_by_key(|(seq, _)| *seq);
    let mut report = walk.report;
    report.problems = problems.into_iter().map(|(_, p)| p).collect();
    let Checks {
        evidence,
        signatures,
    } = checks;
    report.problems.extend(super::git::without_object_cache(|| {
        super::git::without_hash_checks(|| evidence.finish(repo, head_tree, &named))
    })?);
    report.problems.extend(work_tree()?);
    let branch = seen::head_ref(repo);
    let rewritten = seen::read(root)
        .get(&branch)
        .copied()
        .filter(|&last| !seen::contains(repo, head_id, last));
    if let Some(last) = rewritten
        && !accept_rewrite
    {
        let short = super::git::short(last);
        report.problems.insert(
            0,
            Problem::plain(
                ProblemKind::Rewritten,
                &branch,
                Message::new(
                    format!(
                        "tenken が最後にこのブランチを見たコミット {short} が履歴にありません。履歴が書き換えられた（rebase、filter-branch、reset、強制プッシュ）ため、それ以前にコミットされた記録が、ここに跡を残さずに変更・削除されたおそれがあります。新しい履歴を受け入れるには `tenken verify --accept-rewrite` を実行してください"
                    ),
                    format!(
                        "the history no longer contains commit {short}, where tenken last saw this branch; it was rewritten (rebase, filter-branch, reset or a force-push), so records committed before may have been changed or dropped without a trace here; `tenken verify --accept-rewrite` accepts the new history"
                    ),
                ),
            ),
        );
    } else {
        // Derived state: failing to write it must not fail the verification.
        let _ = seen::write(root, &branch, head_id);
    }
    // Signature problems come after all others.
    let (summary, problems) = signatures.finish();
    report.problems.extend(problems);
    report.signatures = Some(summary);
    Ok(report)
}

/// The checks besides the records' that look at every commit of the walk.
struct Checks {
    evidence: super::evidence::verify::History,
    signatures: super::signing::verify::Signatures,
}

impl Checks {
    /// Runs them on `commit`, with the trees of the walk.
    fn commit<'r>(
        &mut self,
        repo: &'r Repository,
        trees: &mut Trees<'r>,
        tree_of: &HashMap<Oid, Oid, Quick>,
        commit: &Commit<'r>,
    ) -> Result<()> {
        let tree = trees.get(repo, commit.tree_id())?;
        let parents: Vec<Tree<'r>> = commit
            .parent_ids()
            .map(|p| {
                let id = match tree_of.get(&p) {
                    Some(t) => *t,
                    None => repo.find_commit(p)?.tree_id(),
                };
                trees.get(repo, id)
            })
            .collect::<Result<_>>()?;
        self.evidence.commit(repo, commit, &tree, &parents)?;
        self.signatures
            .commit(repo, commit, &tree, parents.first())?;
        Ok(())
    }
}

/// Returns the commit HEAD points to.
fn head_tree_commit(repo: &Repository) -> Result<Oid> {
    Ok(repo.head()?.peel_to_commit()?.id())
}

/// Records that `root`'s HEAD was seen (by `sync`, or a caller that
/// verified it another way): a later history that no longer contains it is
/// reported by `verify` as rewritten.
pub fn note_seen(root: &Path) -> Result<()> {
    let repo = super::git::open(root)?;
    let Ok(head) = head_tree_commit(&repo) else {
        return Ok(());
    };
    seen::write(root, &seen::head_ref(&repo), head)
}

/// What the parsing threads found.
#[derive(Default)]
struct Parses {
    /// What each parse gave, by the file's place in `Walk::to_parse`.
    parsed: Vec<(usize, Parsed)>,
    /// What each run file parsed names as evidence, by blob, for the
    /// evidence checks (which then need not read them again).
    named: Vec<(Oid, Named)>,
}

/// Walks the history while a few threads (each with its own handle on the
/// repository) parse the files the walk finds.
fn walk_and_parse(
    root: &Path,
    repo: &Repository,
    boundary: &HashSet<Oid>,
    walk: &mut Walk,
    checks: &mut Checks,
) -> Result<Parses> {
    // The walk keeps one core busy: the parsing takes the others (it is
    // about a third of the walk's work, so one thread keeps up on two
    // cores, and a second only fights the walk for the pack's locks).
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .saturating_sub(1)
        .clamp(1, MAX_PARSE_THREADS);
    let (tx, rx) = mpsc::channel::<Batch>();
    let rx = Mutex::new(rx);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let rx = &rx;
                scope.spawn(move || -> Result<Parses> {
                    let repo = Repository::open(root)?;
                    let mut out = Parses::default();
                    loop {
                        let next = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                        let Ok(batch) = next else { break };
                        for (i, path, blob) in batch {
                            let (parsed, named) = parse_one(&repo, &path, blob)?;
                            out.parsed.push((i, parsed));
                            if let Some(named) = named {
                                out.named.push((blob, named));
                            }
                        }
                    }
                    Ok(out)
                })
            })
            .collect();
        walk.parser = Some(tx);
        // Parents before children, so "first committed" is well defined.
        let walked = order::Commits::from_head(repo)
            .and_then(|commits| walk_history(repo, commits, boundary, walk, checks));
        walk.hand_over();
        // Closing the queue lets the parsers finish.
        walk.parser = None;
        let mut all = Parses::default();
        for w in workers {
            let part = w.join().unwrap_or_else(|_| {
                Err(crate::Error::Internal(
                    "a thread parsing committed files panicked".into(),
                ))
            })?;
            all.parsed.extend(part.parsed);
            all.named.extend(part.named);
        }
        walked?;
        all.parsed.sort_by_key(|(i, _)| *i);
        Ok(all)
    })
}

/// Checks every commit of `commits`, parents first.
fn walk_history<'r>(
    repo: &'r Repository,
    commits: order::Commits<'r>,
    boundary: &HashSet<Oid>,
    walk: &mut Walk,
    checks: &mut Checks,
) -> Result<()> {
    let mut trees = Trees::default();
    // Each commit's tree, so a parent (walked before) is not read again.
    let mut tree_of: HashMap<Oid, Oid, Quick> = HashMap::default();
    for commit in commits {
        let commit = commit?;
        walk.report.commits += 1;
        walk.ats.push(At::of(&commit));
        walk.next = 0;
        if boundary.contains(&commit.id()) {
            // History stops here: what this commit holds is where the
            // verification starts.
            walk.report.shallow.push(commit.id().to_string());
            walk.baseline(repo, &mut trees, &commit)?;
        } else {
            let changes = introduced_changes(repo, &mut trees, &tree_of, &commit)?;
            if !changes.is_empty() {
                walk.commit(&commit, &changes);
            }
        }
        checks.commit(repo, &mut trees, &tree_of, &commit)?;
        tree_of.insert(commit.id(), commit.tree_id());
        trees.next_commit();
    }
    Ok(())
}

/// One change a commit itself made to a record.
struct Change {
    path: String,
    /// The entry before (in the parent the change is relative to).
    old: Option<Entry>,
    /// The entry after the commit; `None` when the file was deleted.
    new: Option<Entry>,
}

/// Returns the changes `commit` itself made under the append-only folders,
/// relative to each of its parents.
///
/// A change relative to one parent is left out when the commit holds
/// exactly another parent's version of the file and that parent's side
/// changed it since the merge base: it was checked in the commit that made
/// it on that side. Anything else — a merge that drops a file one parent
/// had, keeps an older version of it, or invents content — is the merge's
/// own change. Each path is reported once per commit.
fn introduced_changes<'r>(
    repo: &'r Repository,
    trees: &mut Trees<'r>,
    tree_of: &HashMap<Oid, Oid, Quick>,
    commit: &Commit<'r>,
) -> Result<Vec<Change>> {
    let tree = trees.get(repo, commit.tree_id())?;
    let parents: Vec<(Oid, Tree<'r>)> = commit
        .parent_ids()
        .map(|p| {
            let id = match tree_of.get(&p) {
                Some(t) => *t,
                None => repo.find_commit(p)?.tree_id(),
            };
            Ok((p, trees.get(repo, id)?))
        })
        .collect::<Result<_>>()?;
    let sides: Vec<Option<&Tree<'r>>> = if parents.is_empty() {
        vec![None]
    } else {
        parents.iter().map(|(_, t)| Some(t)).collect()
    };
    let mut bases: HashMap<(usize, usize), Option<Tree<'r>>> = HashMap::new();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, side) in sides.iter().enumerate() {
        let mut deltas = Vec::new();
        for top in AREAS {
            let old = side.and_then(|t| entry_of(t, top));
            let new = entry_of(&tree, top);
            tree::diff_entries(repo, trees, top.to_owned(), old, new, &mut deltas)?;
        }
        for (path, old, new) in deltas {
            if seen.contains(&path) {
                continue;
            }
            let mut from_other_side = false;
            for (j, (other_id, other)) in parents.iter().enumerate() {
                if j == i || entry_at(other, &path) != new {
                    continue;
                }
                let base = if let Some(b) = bases.get(&(i, j)) {
                    b.clone()
                } else {
                    let b = merge_base_tree(repo, parents[i].0, *other_id)?;
                    bases.insert((i, j), b.clone());
                    b
                };
                if base.as_ref().and_then(|b| entry_at(b, &path)) != new {
                    from_other_side = true;
                    break;
                }
            }
            if !from_other_side {
                seen.insert(path.clone());
                out.push(Change { path, old, new });
            }
        }
    }
    Ok(out)
}

/// Returns the tree of the merge base of `a` and `b`, if they have one.
fn merge_base_tree(repo: &Repository, a: Oid, b: Oid) -> Result<Option<Tree<'_>>> {
    match repo.merge_base(a, b) {
        Ok(base) => Ok(Some(repo.find_commit(base)?.tree()?)),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

impl Walk {
    /// Takes what the first commit of a shallow history holds as committed.
    fn baseline<'r>(
        &mut self,
        repo: &'r Repository,
        trees: &mut Trees<'r>,
        commit: &Commit<'r>,
    ) -> Result<()> {
        let tree = trees.get(repo, commit.tree_id())?;
        let mut found = Vec::new();
        for top in AREAS {
            if let Some(entry) = entry_of(&tree, top) {
                files_of(repo, top, entry, &mut |p, e| found.push((p, e)))?;
            }
        }
        for (path, entry) in found {
            if !self.committed.contains_key(&path) {
                self.committed.insert(path.clone(), entry);
                self.new_file(&path, entry);
            }
        }
        Ok(())
    }

    fn commit(&mut self, commit: &Commit<'_>, changes: &[Change]) {
        let at = self.ats.last().cloned();
        let Some(at) = at else { return };
        let mut added = Vec::new();
        for change in changes {
            let first = self.committed.get(&change.path).copied();
            match (change.new, first) {
                (None, _) => self.push(at.problem(
                    ProblemKind::Deleted,
                    &change.path,
                    Message::new(
                        "コミット済みのファイルが削除されました",
                        "a committed file was deleted",
                    ),
                )),
                // Back to what was first committed (after a deletion or a
                // change, reported where they happened).
                (Some(new), Some(first)) if new == first => {}
                (Some(new), Some(first)) if new.0 == first.0 => {
                    let now = describe_mode(new.1);
                    let was = describe_mode(change.old.map_or(first.1, |o| o.1));
                    let detail = Message::new(
                        format!(
                            "コミット済みのファイルが{}になりました（以前は{}）",
                            now.ja, was.ja
                        ),
                        format!("a committed file was made {} (it was {})", now.en, was.en),
                    );
                    self.push(at.problem(ProblemKind::Mode, &change.path, detail));
                }
                (Some(_), Some(_)) => self.push(at.problem(
                    ProblemKind::Modified,
                    &change.path,
                    Message::new(
                        "コミット済みのファイルが変更されました",
                        "a committed file was changed",
                    ),
                )),
                (Some(_), None) if change.old.is_some() => {
                    // Not seen before yet present in a parent: only possible
                    // with a grafted history.
                    self.push(at.problem(
                        ProblemKind::Modified,
                        &change.path,
                        Message::new(
                            "最初のコミットが履歴にないファイルが変更されました",
                            "a file whose first commit is not in the history was changed",
                        ),
                    ));
                }
                (Some(new), None) => {
                    self.committed.insert(change.path.clone(), new);
                    if matches!(
                        self.new_file(&change.path, new),
                        Some(Area::Runs | Area::Withdrawals)
                    ) {
                        added.push(change.path.as_str());
                    }
                }
            }
        }
        self.check_trailer(commit, &at, changes, &added);
    }

    /// Counts a newly committed file, checks its mode and queues it to be
    /// parsed; returns its area.
    fn new_file(&mut self, path: &str, entry: Entry) -> Option<Area> {
        let kind = area(path)?;
        match kind {
            Area::Runs => self.report.runs += 1,
            Area::Risks => self.report.risks += 1,
            Area::Withdrawals => {}
        }
        if entry.1 != FILE_MODE {
            let at = self.ats.last()?.clone();
            self.push(at.problem(ProblemKind::Mode, path, {
                let mode = describe_mode(entry.1);
                Message::new(
                    format!(
                        "{}としてコミットされています。記録は通常のファイルです",
                        mode.ja
                    ),
                    format!(
                        "the file was committed as {}; a record is a plain file",
                        mode.en
                    ),
                )
            }));
            if entry.1 != 0o100_755 {
                // A link's "content" is where it points: nothing to parse.
                return Some(kind);
            }
        }
        let seq = self.seq();
        if self.parser.is_some() {
            self.batch
                .push((self.to_parse.len(), path.to_owned(), entry.0));
            if self.batch.len() == PARSE_BATCH {
                self.hand_over();
            }
        }
        self.to_parse.push(ToParse {
            path: path.to_owned(),
            seq,
            at: self.ats.len().saturating_sub(1),
        });
        Some(kind)
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
                self.push(at.problem(
                    ProblemKind::MissingTrailer,
                    first,
                    Message::new(
                        format!("コミットは {folder} を変更していますが、`{key}:` トレーラーがありません"),
                        format!("the commit changes {folder} but has no `{key}:` trailer"),
                    ),
                ));
                continue;
            }
            for path in added.iter().filter(|p| area(p) == Some(kind)) {
                let Some(id) = id_of(path) else { continue };
                if !named.iter().any(|n| n == id) {
                    self.push(at.problem(
                        ProblemKind::TrailerMismatch,
                        path,
                        {
                            let named = crate::escape::line(&named.join("`, `"));
                            Message::new(
                                format!("コミットはこのファイルを加えていますが、`{key}:` トレーラーが示すのは `{named}` です"),
                                format!("the commit adds this file but its `{key}:` trailer names `{named}`"),
                            )
                        },
                    ));
                }
            }
        }
    }

    /// Takes in what the parsers found (by place in `to_parse`), then
    /// checks what the parsed records name.
    fn apply(&mut self, parsed: Vec<(usize, Parsed)>) {
        let items = std::mem::take(&mut self.to_parse);
        let mut run_ids = HashSet::new();
        let mut names = Vec::new();
        for (i, outcome) in parsed {
            let Some(item) = items.get(i) else { continue };
            let at = &self.ats[item.at];
            match outcome {
                Parsed::Bad(detail) => self.problems.push((
                    item.seq,
                    at.problem(ProblemKind::Unparsable, &item.path, detail),
                )),
                Parsed::Run { id, supersedes } => {
                    run_ids.insert(id);
                    if let Some(target) = supersedes {
                        names.push((item, ProblemKind::MissingSuperseded, target));
                    }
                }
                Parsed::Risk => {}
                Parsed::Withdrawal(w) => {
                    names.push((item, ProblemKind::MissingWithdrawn, w.run.clone()));
                    self.report.withdrawals.push(WithdrawalNote {
                        run: w.run,
                        reason: w.reason,
                        by: w.by.name,
                        email: w.by.email,
                        date: w.date,
                        commit: at.commit.clone(),
                    });
                }
            }
        }
        // After every commit's own problems, in the order they were found.
        let mut n = 0;
        for (item, kind, target) in names {
            if run_ids.contains(&target) {
                continue;
            }
            let what = if kind == ProblemKind::MissingSuperseded {
                Label::new("置き換える", "supersedes")
            } else {
                Label::new("取り下げる", "withdraws")
            };
            n += 1;
            let problem = self.ats[item.at].problem(kind, &item.path, {
                let target = crate::escape::line(&target);
                Message::new(
                    format!("{}点検 `{target}` は一度もコミットされていません", what.ja),
                    format!("it {} run `{target}`, which was never committed", what.en),
                )
            });
            self.problems.push(((usize::MAX, n), problem));
        }
    }
}

/// What parsing one committed file gave.
enum Parsed {
    Run {
        id: String,
        supersedes: Option<String>,
    },
    Risk,
    Withdrawal(Withdrawal),
    /// Why it is not a valid record.
    Bad(Message),
}

/// Parses one committed file; for a run file, also returns what it names
/// as evidence (`evidence/verify.rs`), when it was parsed.
fn parse_one(repo: &Repository, path: &str, blob: Oid) -> Result<(Parsed, Option<Named>)> {
    let blob = repo.find_blob(blob)?;
    if blob.size() as u64 > load::MAX_FILE_BYTES {
        let (size, limit) = (blob.size(), load::MAX_FILE_BYTES);
        return Ok((
            Parsed::Bad(Message::new(
                format!("ファイルが {size} バイトあります。上限は {limit} バイトです"),
                format!("the file is {size} bytes; the limit is {limit} bytes"),
            )),
            None,
        ));
    }
    let Ok(src) = std::str::from_utf8(blob.content()) else {
        return Ok((
            Parsed::Bad(Message::new(
                "ファイルが UTF-8 として正しくありません",
                "the file is not valid UTF-8",
            )),
            None,
        ));
    };
    let rel = Path::new(path);
    let expected = id_of(path);
    let mut named = None;
    let parsed = match area(path) {
        Some(Area::Runs) => {
            let run = load::parse_run(rel, src);
            named = Some(named_in(src, run.as_ref().ok()));
            run.map(|r| {
                let id = r.id.clone();
                (
                    id,
                    Parsed::Run {
                        id: r.id,
                        supersedes: r.supersedes,
                    },
                )
            })
        }
        Some(Area::Risks) => load::parse::<RiskAssessment>(rel, src).map(|r| (r.id, Parsed::Risk)),
        Some(Area::Withdrawals) => {
            load::parse::<Withdrawal>(rel, src).map(|w| (w.run.clone(), Parsed::Withdrawal(w)))
        }
        None => return Ok((Parsed::Risk, None)),
    };
    let parsed = match parsed {
        Err(d) => Parsed::Bad(d.message.wrap(|_, m| format!("{}:{}: {m}", d.line, d.col))),
        Ok((id, _)) if Some(id.as_str()) != expected => {
            let id = crate::escape::line(&id);
            Parsed::Bad(Message::new(
                format!("ID `{id}` がパスと一致しません"),
                format!("its id `{id}` does not match its path"),
            ))
        }
        Ok((_, parsed)) => parsed,
    };
    Ok((parsed, named))
}

/// Reports committed files that are modified or deleted in the index or
/// work tree of the repository at `root` (none without a work tree), HEAD's
/// tree being `head`: `history` reads the work tree, so an uncommitted edit
/// would otherwise change what it shows.
fn work_tree_changes(root: &Path, head: Oid) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let repo = Repository::open(root)?;
    if repo.workdir().is_none() {
        return Ok(problems);
    }
    let head = repo.find_tree(head)?;
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
        if area(path).is_none() || entry_at(&head, path).is_none() {
            continue;
        }
        let what = if s.intersects(git2::Status::WT_DELETED | git2::Status::INDEX_DELETED) {
            Label::new("削除されています", "deleted")
        } else if s.intersects(
            git2::Status::WT_MODIFIED
                | git2::Status::INDEX_MODIFIED
                | git2::Status::WT_TYPECHANGE
                | git2::Status::INDEX_TYPECHANGE
                | git2::Status::WT_RENAMED
                | git2::Status::INDEX_RENAMED,
        ) {
            Label::new("変更されています", "changed")
        } else {
            continue;
        };
        problems.push(Problem::plain(
            ProblemKind::Uncommitted,
            path,
            Message::new(
                format!(
                    "コミット済みのファイルが作業ツリーで{}（コミットされていません）",
                    what.ja
                ),
                format!(
                    "the committed file is {} in the work tree (not committed)",
                    what.en
                ),
            ),
        ));
    }
    Ok(problems)
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
        assert_eq!(
            id_of("withdrawals/self/x/2026-01-01T000000-sato.ron"),
            Some("self/x/2026-01-01T000000-sato")
        );
        assert_eq!(id_of("runs/README"), None);
        assert_eq!(id_of("subjects.ron"), None);
    }
}
