//! `tenken check`: the loader's checks of every file, with each run checked
//! against the template it was taken with (found through git), plus what
//! only git can tell:
//!
//! - run and withdrawal files that are not committed, or differ from the
//!   commit, or are missing from the work tree, or are links: only
//!   committed records count, so each is reported;
//! - withdrawals that do not name a committed run;
//! - a template whose scoring changed without a version bump while
//!   committed runs answered that version (at its `version:` field);
//! - a cache of template content hashes (`.tenken/template-hashes`) that
//!   holds a hash computing does not give: the check itself computes
//!   every hash it matches runs by and never trusts that file.
//!
//! Reads the work tree and git; writes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use git2::{ObjectType, Oid, Repository, Sort};

use super::correction::WITHDRAWALS_DIR;
use super::finish::RUNS_DIR;
use super::history::{head_files, nested_ron_files};
use super::template_hashes::HASHES_FILE;
use super::templates::{INSPECTIONS_DIR, Templates};
use super::{STATE_DIR, Store, git};
use crate::error::{Diagnostic, Result};
use crate::load::{self, Locator, Source};
use crate::model::{Id, Inspection, Run};
use crate::msg::Message;
use crate::msg::load::store::{self as words, Record};

/// Checks every file of `store` and returns every problem.
pub fn check(store: &Store, now: DateTime<FixedOffset>) -> Vec<Diagnostic> {
    let root = store.root();
    let inspections = load::current_inspections(root);
    // A check trusts no derived data: every content hash is computed.
    let templates = Templates::computing(root, &inspections);
    let repo = git::open(root).ok();
    let mut diags = Vec::new();
    let git_problem =
        |e: crate::Error| at_start(Path::new(".git"), words::cannot_read_git(&e.to_string()));
    let (runs, commits) = match repo.as_ref().map(committed_runs).transpose() {
        Ok(found) => found.unwrap_or_default(),
        Err(e) => {
            diags.push(git_problem(e));
            Default::default()
        }
    };
    let withdrawals = match repo.as_ref().map(|r| head_files(r, WITHDRAWALS_DIR, &[])) {
        Some(Ok(w)) => w,
        Some(Err(e)) => {
            diags.push(git_problem(e));
            BTreeMap::new()
        }
        None => BTreeMap::new(),
    };
    let template_of = |run: &Run| {
        let commit = commits.get(&format!("{RUNS_DIR}/{}.ron", run.id)).copied();
        templates.for_run(run, commit)
    };
    diags.extend(load::check_repo(root, &template_of, now));
    diags.extend(record_files(root, RUNS_DIR, &runs, Record::Run));
    diags.extend(record_files(
        root,
        WITHDRAWALS_DIR,
        &withdrawals,
        Record::Withdrawal,
    ));
    diags.extend(check_withdrawals(root, &runs, now));
    if let Some(repo) = &repo {
        diags.extend(super::evidence::check_files(root, repo, &runs));
    }
    if let Some(repo) = &repo {
        match unbumped_templates(repo, root, &inspections, &runs) {
            Ok(found) => diags.extend(found),
            Err(e) => diags.push(at_start(
                Path::new(INSPECTIONS_DIR),
                words::cannot_read_template_history(&e.to_string()),
            )),
        }
    }
    let wrong = templates.cache_disagreements();
    if wrong > 0 {
        diags.push(at_start(
            &Path::new(STATE_DIR).join(HASHES_FILE),
            words::wrong_cached_hashes(wrong),
        ));
    }
    diags
}

fn at_start(path: &Path, message: Message) -> Diagnostic {
    Diagnostic {
        path: path.to_owned(),
        line: 1,
        col: 1,
        message,
    }
}

/// Every committed run file and the commit that added it.
type CommittedRuns = (BTreeMap<String, Oid>, HashMap<String, Oid>);

fn committed_runs(repo: &Repository) -> Result<CommittedRuns> {
    let files = head_files(repo, RUNS_DIR, &[])?;
    let wanted: HashSet<String> = files.keys().cloned().collect();
    let commits = if wanted.is_empty() {
        HashMap::new()
    } else {
        git::added_by(repo, RUNS_DIR, &wanted)?
    };
    Ok((files, commits))
}

/// Reports the files under `dir` that are not exactly what HEAD's commit
/// holds: uncommitted, changed, missing, or links.
fn record_files(
    root: &Path,
    dir: &str,
    committed: &BTreeMap<String, Oid>,
    what: Record,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for rel in nested_entries(root, dir) {
        let key = rel.to_string_lossy().replace('\\', "/");
        let full = root.join(&rel);
        let is_link = std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_symlink());
        seen.insert(key.clone());
        if is_link {
            out.push(at_start(&rel, words::record_is_link(what)));
            continue;
        }
        // Read like every other file: a FIFO or device here cannot block.
        let Ok(bytes) = crate::load::read_bytes(
            crate::load::Source::repo(root, &rel),
            crate::load::MAX_FILE_BYTES,
        ) else {
            continue;
        };
        let here = Oid::hash_object(ObjectType::Blob, &bytes).ok();
        match committed.get(&key) {
            None => out.push(at_start(&rel, words::record_not_committed(what))),
            Some(head) if Some(*head) != here => {
                out.push(at_start(&rel, words::record_changed(what, &key)));
            }
            Some(_) => {}
        }
    }
    for key in committed.keys().filter(|k| !seen.contains(*k)) {
        out.push(at_start(Path::new(key), words::record_missing(what, key)));
    }
    out
}

/// Every `<dir>/<a>/<b>/*.ron` entry of the work tree, links included.
fn nested_entries(root: &Path, dir: &str) -> Vec<PathBuf> {
    let mut out = nested_ron_files(root, dir);
    // `nested_ron_files` follows links; a dangling one is found here.
    let mut extra = Vec::new();
    let base = root.join(dir);
    for a in read_dirs(&base) {
        for b in read_dirs(&a) {
            let Ok(entries) = std::fs::read_dir(&b) else {
                continue;
            };
            for e in entries.filter_map(std::result::Result::ok) {
                let p = e.path();
                let is_ron = p.extension().is_some_and(|x| x == "ron");
                let is_link = e.file_type().is_ok_and(|t| t.is_symlink());
                if is_ron
                    && is_link
                    && let Ok(rel) = p.strip_prefix(root)
                {
                    extra.push(rel.to_owned());
                }
            }
        }
    }
    out.extend(extra);
    out.sort();
    out.dedup();
    out
}

fn read_dirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect()
}

/// Parses every withdrawal in the work tree and checks that it names a
/// committed run.
fn check_withdrawals(
    root: &Path,
    runs: &BTreeMap<String, Oid>,
    now: DateTime<FixedOffset>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rel in nested_ron_files(root, WITHDRAWALS_DIR) {
        let parsed = load::read(Source::repo(root, &rel))
            .map_err(|d| vec![d])
            .and_then(|src| load::withdrawal_from_str(&rel, &src).map(|w| (w, src)));
        match parsed {
            Err(d) => out.extend(d),
            Ok((w, src)) => {
                out.extend(load::validate_withdrawal_date(&rel, &src, &w, now));
                if !runs.contains_key(&format!("{RUNS_DIR}/{}.ron", w.run)) {
                    let loc = Locator::new(&src);
                    let (line, col) = loc
                        .field(0, "run", &w.run)
                        .map_or((1, 1), |o| loc.position(o));
                    out.push(Diagnostic {
                        path: rel.clone(),
                        line,
                        col,
                        message: words::withdrawal_of_no_run(&crate::escape::line(&w.run)),
                    });
                }
            }
        }
    }
    out
}

/// One text of a template in history: its blob and the first commit (oldest
/// first) that has it.
struct Text {
    template: Inspection,
    commit: Oid,
}

/// Reports every current template whose scoring differs from a committed
/// text of the same version that committed runs answered.
fn unbumped_templates(
    repo: &Repository,
    root: &Path,
    inspections: &BTreeMap<Id, Inspection>,
    runs: &BTreeMap<String, Oid>,
) -> Result<Vec<Diagnostic>> {
    let history = template_history(repo, inspections)?;
    let mut out = Vec::new();
    for (id, current) in inspections {
        let texts: Vec<&Text> = history
            .get(id)
            .map(|t| {
                t.iter()
                    .filter(|t| t.template.version == current.version)
                    .collect()
            })
            .unwrap_or_default();
        // The last committed text of this version that scores differently
        // from the current one; the text after it made the change.
        let Some(last) = texts
            .iter()
            .rposition(|t| !t.template.scoring_changes(current).is_empty())
        else {
            continue;
        };
        let used = runs_of_version(repo, runs, id, current.version)?;
        if used == 0 {
            continue;
        }
        let changes = texts[last].template.scoring_changes(current);
        let made = texts.get(last + 1).map_or(words::Made::WorkTree, |t| {
            words::Made::Commit(git::short(t.commit))
        });
        let rel = PathBuf::from(format!("{INSPECTIONS_DIR}/{id}.ron"));
        let src = load::read(Source::repo(root, &rel)).unwrap_or_default();
        let loc = Locator::new(&src);
        let (line, col) = loc
            .field_name(0, "version")
            .map_or((1, 1), |o| loc.position(o));
        out.push(Diagnostic {
            path: rel,
            line,
            col,
            message: words::scoring_changed(&words::Rescored {
                id: id.as_str(),
                version: current.version,
                made,
                changes: &changes[..changes.len().min(3)],
                more: changes.len().saturating_sub(3),
                runs: used,
            }),
        });
    }
    Ok(out)
}

/// Every distinct text of each current template in HEAD's history, in the
/// order it first appeared (parents first).
fn template_history(
    repo: &Repository,
    inspections: &BTreeMap<Id, Inspection>,
) -> Result<HashMap<Id, Vec<Text>>> {
    let mut out: HashMap<Id, Vec<Text>> = HashMap::new();
    let Ok(head) = repo.head() else {
        return Ok(out);
    };
    let Some(head) = head.target() else {
        return Ok(out);
    };
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    walk.push(head)?;
    let mut folders = HashSet::new();
    let mut blobs = HashSet::new();
    for oid in walk {
        let oid = oid?;
        let commit = repo.find_commit(oid)?;
        let tree = commit.tree()?;
        let Some(dir) = tree
            .get_name(INSPECTIONS_DIR)
            .filter(|e| e.kind() == Some(ObjectType::Tree))
        else {
            continue;
        };
        if !folders.insert(dir.id()) {
            continue;
        }
        let dir = repo.find_tree(dir.id())?;
        for entry in &dir {
            let Some(id) = entry
                .name()
                .ok()
                .and_then(|n| n.strip_suffix(".ron"))
                .and_then(|n| Id::new(n).ok())
            else {
                continue;
            };
            if !inspections.contains_key(&id)
                || entry.kind() != Some(ObjectType::Blob)
                || !blobs.insert(entry.id())
            {
                continue;
            }
            let blob = repo.find_blob(entry.id())?;
            let rel = format!("{INSPECTIONS_DIR}/{id}.ron");
            let parsed = std::str::from_utf8(blob.content())
                .ok()
                .and_then(|src| load::parse::<Inspection>(Path::new(&rel), src).ok());
            if let Some(template) = parsed {
                out.entry(id).or_default().push(Text {
                    template,
                    commit: oid,
                });
            }
        }
    }
    Ok(out)
}

/// Counts the committed runs of inspection `id` that answered `version`.
fn runs_of_version(
    repo: &Repository,
    runs: &BTreeMap<String, Oid>,
    id: &Id,
    version: u32,
) -> Result<usize> {
    let mut n = 0;
    for (key, blob) in runs {
        let mut parts = key.split('/');
        if parts.nth(2) != Some(id.as_str()) {
            continue;
        }
        let blob = repo.find_blob(*blob)?;
        let Ok(src) = std::str::from_utf8(blob.content()) else {
            continue;
        };
        if let Ok(run) = load::parse_run(Path::new(key), src)
            && run.inspection == *id
            && run.inspection_version == version
        {
            n += 1;
        }
    }
    Ok(n)
}
