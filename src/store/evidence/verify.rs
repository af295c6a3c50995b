//! `verify`'s evidence checks, kept apart from the walk over records:
//!
//! - every evidence file a committed run names is in HEAD's `evidence/`
//!   as a regular file with the run's digest and size (a withdrawal or a
//!   correction keeps them: the old run still names them);
//! - no commit ever changed or deleted a file under `evidence/` (each
//!   commit against each of its parents; a folder id that did not change
//!   is not read, so this costs one tree lookup per commit);
//! - every file ever added there is named by its content
//!   (`<sha256 of the content>.<ext of an allowed media type>`) and is a
//!   regular file.
//!
//! The run files the records' walk parsed are not read again: it hands
//! over, by blob, what each names ([`Named`], [`named_in`]).
//!
//! Reads git only; writes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use git2::{Commit, ObjectType, Oid, Repository, Tree};

use super::super::verify::{Problem, ProblemKind};
use crate::error::Result;
use crate::evidence::sha256_hex;
use crate::model::{EVIDENCE_DIR, EvidenceFile, MEDIA_TYPES, Run, is_sha256};
use crate::msg::Message;

/// The mode git gives a regular, not executable, file.
const FILE_MODE: i32 = 0o100_644;

/// Who made a commit, for a problem found in it.
pub(crate) fn problem(
    commit: Option<&Commit<'_>>,
    kind: ProblemKind,
    path: &str,
    detail: Message,
) -> Problem {
    let author = commit.map(Commit::author);
    let time = author.as_ref().and_then(|a| {
        let t = a.when();
        let offset = chrono::FixedOffset::east_opt(t.offset_minutes() * 60)?;
        Some(chrono::DateTime::from_timestamp(t.seconds(), 0)?.with_timezone(&offset))
    });
    Problem {
        kind,
        path: path.to_owned(),
        commit: commit.map(|c| c.id().to_string()),
        author: author
            .as_ref()
            .map(|a| String::from_utf8_lossy(a.name_bytes()).into_owned()),
        email: author
            .as_ref()
            .map(|a| String::from_utf8_lossy(a.email_bytes()).into_owned()),
        time,
        date: time.map(|t| t.format("%Y-%m-%d").to_string()),
        detail,
    }
}

/// The entries of `evidence/` in a commit's tree by name: name → (id, mode).
fn entries(repo: &Repository, tree_id: Option<Oid>) -> Result<BTreeMap<String, (Oid, i32)>> {
    let Some(id) = tree_id else {
        return Ok(BTreeMap::new());
    };
    let tree = repo.find_tree(id)?;
    Ok(tree
        .iter()
        .map(|e| {
            (
                String::from_utf8_lossy(e.name_bytes()).into_owned(),
                (e.id(), e.filemode()),
            )
        })
        .collect())
}

/// The id of `evidence/` in `tree`, if it is a folder.
fn evidence_tree(tree: &Tree<'_>) -> Option<Oid> {
    tree.get_name(EVIDENCE_DIR)
        .filter(|e| e.kind() == Some(ObjectType::Tree))
        .map(|e| e.id())
}

/// The checks of `evidence/` in every commit, one commit at a time,
/// parents first, in `verify`'s walk over the records.
#[derive(Default)]
pub struct History {
    /// Added entries already checked, by name and blob.
    checked: HashSet<(String, Oid)>,
    out: Vec<Problem>,
}

impl History {
    /// Checks one commit, whose tree is `tree` and whose parents' trees
    /// are `parents`.
    pub fn commit(
        &mut self,
        repo: &Repository,
        commit: &Commit<'_>,
        tree: &Tree<'_>,
        parents: &[Tree<'_>],
    ) -> Result<()> {
        let out = &mut self.out;
        let now = evidence_tree(tree);
        let parents: Vec<Option<Oid>> = parents.iter().map(evidence_tree).collect();
        if parents.iter().all(|p| *p == now) && !(parents.is_empty() && now.is_some()) {
            return Ok(());
        }
        let here = entries(repo, now)?;
        // By name (BTreeMap), so that the problems of one commit come in
        // the same order in every run.
        let mut before: BTreeMap<String, (Oid, i32)> = BTreeMap::new();
        for p in parents.iter().filter(|p| **p != now) {
            for (name, (id, mode)) in entries(repo, *p)? {
                let path = format!("{EVIDENCE_DIR}/{name}");
                match here.get(&name) {
                    None => out.push(problem(
                        Some(commit),
                        ProblemKind::EvidenceChanged,
                        &path,
                        Message::new(
                            "コミット済みの証跡ファイルが削除されました",
                            "a committed evidence file was deleted",
                        ),
                    )),
                    Some((new, new_mode)) if *new != id || *new_mode != mode => {
                        out.push(problem(
                            Some(commit),
                            ProblemKind::EvidenceChanged,
                            &path,
                            Message::new(
                                "コミット済みの証跡ファイルが変更されました",
                                "a committed evidence file was changed",
                            ),
                        ));
                    }
                    Some(_) => {}
                }
                before.insert(name, (id, mode));
            }
        }
        for (name, (id, mode)) in &here {
            if before.contains_key(name) || !self.checked.insert((name.clone(), *id)) {
                continue;
            }
            let path = format!("{EVIDENCE_DIR}/{name}");
            if let Some(why) = misnamed(repo, name, *id, *mode)? {
                out.push(problem(
                    Some(commit),
                    ProblemKind::EvidenceMisnamed,
                    &path,
                    why,
                ));
            }
        }
        Ok(())
    }

    /// What the walk found, then the evidence files that runs in HEAD
    /// (whose tree is `head`) name but HEAD lacks. `read` holds, by blob,
    /// what the run files already parsed name; the others are read here.
    pub fn finish(
        self,
        repo: &Repository,
        head: &Tree<'_>,
        read: &HashMap<Oid, Named, impl std::hash::BuildHasher>,
    ) -> Result<Vec<Problem>> {
        let mut problems = self.out;
        problems.extend(named_by_runs(repo, head, read)?);
        Ok(problems)
    }
}

/// The evidence files a run file names, with the run's id; `None` when
/// there is nothing to check: the file names no stored file (no `File(` in
/// it) or does not parse (the records' walk reports that).
/// (Boxed: the walk keeps one per run file it parsed, and most name none.)
pub type Named = Option<Box<(String, Vec<EvidenceFile>)>>;

/// What the run file `text` names, given what parsing it gave (`run`).
pub fn named_in(text: &str, run: Option<&Run>) -> Named {
    // Only runs with files matter; the others are skipped cheaply.
    if !text.contains("File(") {
        return None;
    }
    let run = run?;
    Some(Box::new((
        run.id.clone(),
        run.evidence_files().into_iter().cloned().collect(),
    )))
}

/// Reads and parses the run file `path` (blob `id`) for what it names.
fn read_named(repo: &Repository, path: &str, id: Oid) -> Result<Named> {
    let blob = repo.find_blob(id)?;
    if !blob.content().windows(5).any(|w| w == b"File(") {
        return Ok(None);
    }
    let Ok(text) = std::str::from_utf8(blob.content()) else {
        return Ok(None);
    };
    let run = crate::load::parse_run(Path::new(path), text).ok();
    Ok(named_in(text, run.as_ref()))
}

/// Says what is wrong with an added entry of `evidence/`, if anything.
fn misnamed(repo: &Repository, name: &str, id: Oid, mode: i32) -> Result<Option<Message>> {
    if mode != FILE_MODE {
        return Ok(Some(Message::new(
            format!("証跡は通常のファイルでなければなりません（モード {mode:o}）"),
            format!("an evidence entry must be a regular file, not mode {mode:o}"),
        )));
    }
    let Some((digest, ext)) = name.split_once('.') else {
        return Ok(Some(Message::new(
            "証跡ファイルの名前は `<sha256>.<ext>` でなければなりません",
            "an evidence file must be named `<sha256>.<ext>`",
        )));
    };
    if !is_sha256(digest) || !MEDIA_TYPES.iter().any(|(_, e)| *e == ext) {
        return Ok(Some(Message::new(
            "証跡ファイルの名前は、使える拡張子の `<sha256>.<ext>` でなければなりません",
            "an evidence file must be named `<sha256>.<ext>` with an allowed extension",
        )));
    }
    let blob = repo.find_blob(id)?;
    if sha256_hex(blob.content()) != digest {
        return Ok(Some(Message::new(
            "ファイルの内容の SHA-256 が名前の示すものと違います",
            "the file's content does not have the SHA-256 its name gives",
        )));
    }
    Ok(None)
}

/// Checks that HEAD has every evidence file that a run in HEAD names.
fn named_by_runs(
    repo: &Repository,
    head: &Tree<'_>,
    read: &HashMap<Oid, Named, impl std::hash::BuildHasher>,
) -> Result<Vec<Problem>> {
    let mut out = Vec::new();
    let Some(runs) = head
        .get_name(super::super::RUNS_DIR)
        .filter(|e| e.kind() == Some(ObjectType::Tree))
    else {
        return Ok(out);
    };
    let mut files = Vec::new();
    collect_blobs(repo, &repo.find_tree(runs.id())?, "runs", &mut files)?;
    let stored = entries(repo, evidence_tree(head))?;
    for (path, id) in files {
        let fresh;
        let named = if let Some(named) = read.get(&id) {
            named
        } else {
            fresh = read_named(repo, &path, id)?;
            &fresh
        };
        let Some(named) = named else {
            continue;
        };
        let (run_id, named) = &**named;
        for file in named {
            let shown = crate::escape::line(&file.name);
            let Some(name) = file.stored_name() else {
                out.push(problem(
                    None,
                    ProblemKind::EvidenceMissing,
                    &path,
                    Message::new(
                        format!("証跡 `{shown}` に正しいダイジェストかメディアタイプがありません"),
                        format!("evidence `{shown}` has no valid digest or media type"),
                    ),
                ));
                continue;
            };
            let at = format!("{EVIDENCE_DIR}/{name}");
            let detail = match stored.get(&name) {
                None => {
                    let run = crate::escape::line(run_id);
                    Some(Message::new(
                        format!("点検 `{run}` が挙げる証跡 `{shown}` はコミットされていません"),
                        format!("run `{run}` names evidence `{shown}`, which is not committed"),
                    ))
                }
                Some((id, _)) => {
                    let blob = repo.find_blob(*id)?;
                    (blob.size() as u64 != file.size || sha256_hex(blob.content()) != file.sha256)
                        .then(|| {
                            let (run, size) = (crate::escape::line(run_id), file.size);
                            Message::new(
                                format!("点検 `{run}` が挙げる証跡 `{shown}`（{size} バイト）は、コミット済みのファイルとダイジェストが違います"),
                                format!("run `{run}` names evidence `{shown}` of {size} bytes with another digest than the committed file"),
                            )
                        })
                }
            };
            if let Some(detail) = detail {
                out.push(problem(None, ProblemKind::EvidenceMissing, &at, detail));
            }
        }
    }
    Ok(out)
}

/// Collects `(path, blob)` of every file under `tree`.
fn collect_blobs(
    repo: &Repository,
    tree: &Tree<'_>,
    prefix: &str,
    out: &mut Vec<(String, Oid)>,
) -> Result<()> {
    for e in tree {
        let path = format!("{prefix}/{}", String::from_utf8_lossy(e.name_bytes()));
        match e.kind() {
            Some(ObjectType::Tree) => collect_blobs(repo, &repo.find_tree(e.id())?, &path, out)?,
            Some(ObjectType::Blob) => out.push((path, e.id())),
            _ => {}
        }
    }
    Ok(())
}
