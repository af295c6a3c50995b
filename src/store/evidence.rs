//! Evidence files in the repository: reading a file to attach (safely,
//! from anywhere outside restricted mode, only from `inbox/` inside it),
//! keeping it for a draft until the run is committed (`.tenken/evidence/`),
//! committing it with the run as `evidence/<sha256>.<ext>`, and reading the
//! committed copies back with their digest checked.
//!
//! Evidence files are named by their content, so the same file attached
//! twice (to two answers, two runs, or by two inspectors) is stored once,
//! and a stored file is never rewritten: another content is another name.
//! `verify` checks that none is ever changed or deleted
//! (`store/evidence/verify.rs`).
//!
//! A file to attach must be a regular file, not a symbolic link, and is
//! read without blocking, with the per-file limit on the read itself (see
//! `load::read_bytes`): a FIFO, a device, a link to a secret or a file that
//! grows while it is read is refused at once.

pub mod verify;

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::finish::Committed;
use super::{STATE_DIR, Store, atomic, contain, git};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::evidence::{self as rules, Refusal};
use crate::load::{self, Catalog, Source};
use crate::model::{Draft, EVIDENCE_DIR, Evidence, EvidenceFile, EvidenceLimits, Id, Inspector};
use crate::msg::{Message, attach};

/// The folder restricted sessions attach files from, at the repository
/// root; an administrator (or an `scp`-only key) puts files there.
pub const INBOX_DIR: &str = "inbox";

/// The folder under `.tenken/` that keeps a draft's evidence files until
/// its run is committed.
pub const STAGED_DIR: &str = "evidence";

/// A file read and checked for attaching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// What the answer records.
    pub file: EvidenceFile,
    /// The content.
    pub bytes: Vec<u8>,
}

/// What attaching did for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    /// The file as the answer records it.
    pub file: EvidenceFile,
    /// False when the answer already had this file (same digest).
    pub added: bool,
}

impl Store {
    /// Reads the file at `path` to attach as evidence, and checks its name,
    /// type and size.
    ///
    /// Outside restricted mode `path` is any regular file (relative to the
    /// current folder). In restricted mode it must lie in the repository's
    /// `inbox/` folder (given as `inbox/…`, relative to the repository),
    /// with no symbolic link anywhere on the way.
    pub fn read_attachment(
        &self,
        path: &Path,
        restricted: bool,
        limits: EvidenceLimits,
    ) -> Result<Attachment> {
        let limit = limits.file_bytes();
        let shown = path.display().to_string();
        let refused = |r: Refusal| refusal(&r, &shown);
        let bytes = if restricted {
            let rel = self.inbox_path(path)?;
            size_first(&self.root.join(&rel), limit).map_err(refused)?;
            load::read_bytes(Source::repo(&self.root, &rel), limit)
        } else {
            let expanded = expand_home(path);
            let path = expanded.as_path();
            match std::fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(Error::user(attach::link(&crate::escape::line(&shown))));
                }
                _ => {}
            }
            size_first(path, limit).map_err(refused)?;
            load::read_bytes(Source::given(path), limit)
        }
        .map_err(|d| Error::user(d.located()))?;
        let name = rules::clean_name(&shown).map_err(refused)?;
        let media_type = rules::sniff(&name, &bytes).map_err(refused)?;
        Ok(Attachment {
            file: rules::describe(name, media_type, &bytes),
            bytes,
        })
    }

    /// Returns `path` as a path relative to the repository inside
    /// `inbox/`, or the refusal: restricted sessions attach only from there.
    fn inbox_path(&self, path: &Path) -> Result<PathBuf> {
        let refuse = || {
            Error::user_hint(
                attach::not_in_inbox(&crate::escape::line(&path.display().to_string())),
                attach::NOT_IN_INBOX_HINT,
            )
        };
        let rel = if path.is_absolute() {
            let real = self
                .root
                .canonicalize()
                .map_err(|e| Error::io(&self.root, e))?;
            path.strip_prefix(&real)
                .or_else(|_| path.strip_prefix(&self.root))
                .map_err(|_| refuse())?
                .to_owned()
        } else {
            path.to_owned()
        };
        let parts: Vec<&std::ffi::OsStr> = rel
            .components()
            .map(|c| match c {
                Component::Normal(p) => Ok(p),
                _ => Err(refuse()),
            })
            .collect::<Result<_>>()?;
        if parts.len() < 2 || parts[0] != INBOX_DIR {
            return Err(refuse());
        }
        // No link anywhere: not even one that stays inside the repository
        // (it could lead to another inspector's draft or to tenken.ron).
        let mut at = self.root.clone();
        for part in &parts {
            at.push(part);
            if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Error::user(attach::inbox_link(&crate::escape::line(
                    &rel.display().to_string(),
                ))));
            }
        }
        Ok(rel)
    }

    /// Keeps `attachment` for a draft until its run is committed, unless
    /// HEAD already has the file (then nothing is written).
    pub fn stage_attachment(&self, attachment: &Attachment) -> Result<()> {
        let Some(name) = attachment.file.stored_name() else {
            return Err(Error::Internal("evidence without a stored name".into()));
        };
        let repo = git::open(&self.root)?;
        if git::head_blob(&repo, &Path::new(EVIDENCE_DIR).join(&name))?.is_some() {
            return Ok(());
        }
        let dir = self.root.join(STATE_DIR).join(STAGED_DIR);
        contain::check_within(&self.root, &dir)?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        atomic::write_new_atomic(&dir.join(&name), &attachment.bytes, 0o600)?;
        Ok(())
    }

    /// Attaches `attachments` to the answer to `item` in `draft` (which
    /// must have one), staging their files; a file the answer already has
    /// is not listed twice. The caller saves the draft.
    pub fn attach_to_draft(
        &self,
        catalog: &Catalog,
        draft: &mut Draft,
        item: &Id,
        attachments: &[Attachment],
    ) -> Result<Vec<Attached>> {
        let limits = catalog.config.evidence;
        check_item(
            catalog,
            &draft.inspection,
            item,
            draft.answers.contains_key(item),
        )?;
        let mut total: u64 = distinct_files(draft.answers.values().flat_map(|a| &a.evidence))
            .map(|f| f.size)
            .sum();
        let mut known: HashSet<String> =
            distinct_files(draft.answers.values().flat_map(|a| &a.evidence))
                .map(|f| f.sha256.clone())
                .collect();
        let mut out = Vec::new();
        for a in attachments {
            if known.insert(a.file.sha256.clone()) {
                total += a.file.size;
                if total > limits.run_bytes() {
                    let r = Refusal::RunTooLarge {
                        total,
                        limit: limits.run_bytes(),
                    };
                    return Err(refusal(&r, &a.file.name));
                }
            }
        }
        for a in attachments {
            self.stage_attachment(a)?;
            let Some(answer) = draft.answers.get_mut(item) else {
                continue;
            };
            let already = answer
                .evidence
                .iter()
                .any(|e| e.file().is_some_and(|f| f.sha256 == a.file.sha256));
            if !already {
                answer.evidence.push(Evidence::File(a.file.clone()));
            }
            out.push(Attached {
                file: a.file.clone(),
                added: !already,
            });
        }
        Ok(out)
    }

    /// Adds `attachments` to the answer to `item` of the committed run
    /// `id` by committing a correction: a new run with the same answers,
    /// dates and closed actions plus the files, that supersedes it (the old
    /// run's file is never touched), recorded by `by`.
    #[allow(clippy::too_many_arguments)] // one command's inputs, each used once
    pub fn add_evidence_to_run(
        &self,
        catalog: &Catalog,
        id: &str,
        item: &Id,
        attachments: &[Attachment],
        by: &Inspector,
        clock: Clock,
    ) -> Result<(Committed, Vec<Attached>)> {
        // The record's view of the run (committed? current?) leaves its
        // answers out; they are read from the committed file itself.
        let entry = self.committed_run(catalog, id)?;
        let rel = Path::new(super::RUNS_DIR).join(format!("{}.ron", entry.run.id));
        let repo = git::open(&self.root)?;
        let bytes = git::head_blob(&repo, &rel)?
            .ok_or_else(|| Error::user(attach::not_in_head(&rel.display().to_string())))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::user(attach::not_utf8(&rel.display().to_string())))?;
        let run = load::parse_run(&rel, &text)?;
        let mut draft = Draft {
            format: crate::model::FORMAT,
            inspection: run.inspection.clone(),
            inspection_version: run.inspection_version,
            inspection_hash: run.inspection_hash.as_deref().map(str::to_owned),
            subject: run.subject.clone(),
            inspector: by.clone(),
            started: run.started,
            answers: run.answers.clone(),
            cursor: 0,
            supersedes: Some(run.id.clone()),
            closes: run.closes.clone(),
        };
        let attached = self.attach_to_draft(catalog, &mut draft, item, attachments)?;
        if attached.iter().all(|a| !a.added) {
            return Err(Error::user(attach::nothing_to_add(
                &crate::escape::line(id),
                item.as_str(),
                attached.len(),
            )));
        }
        let finished: DateTime<FixedOffset> = run.finished;
        let committed = self.record_run(draft, catalog, finished, clock)?;
        Ok((committed, attached))
    }

    /// Returns the evidence files a commit of `run` must add: every file
    /// its answers name that HEAD does not have yet, from the staged copy
    /// (or a copy in the work tree's `evidence/`) whose digest matches.
    pub(super) fn evidence_to_commit(
        &self,
        repo: &git2::Repository,
        run: &crate::model::Run,
        limits: EvidenceLimits,
    ) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        let mut out = Vec::new();
        let mut total = 0;
        for file in run.evidence_files() {
            total += file.size;
            let Some(name) = file.stored_name() else {
                return Err(Error::user(attach::no_digest(&crate::escape::line(
                    &file.name,
                ))));
            };
            let rel = Path::new(EVIDENCE_DIR).join(&name);
            if git::head_blob(repo, &rel)?.is_some() {
                continue;
            }
            let staged = Path::new(STATE_DIR).join(STAGED_DIR).join(&name);
            let found = [staged, rel.clone()].into_iter().find_map(|candidate| {
                let bytes =
                    load::read_bytes(Source::repo(&self.root, &candidate), limits.file_bytes())
                        .ok()?;
                (rules::sha256_hex(&bytes) == file.sha256 && bytes.len() as u64 == file.size)
                    .then_some(bytes)
            });
            let Some(bytes) = found else {
                return Err(Error::user_hint(
                    attach::file_gone(&crate::escape::line(&file.name), &name),
                    attach::FILE_GONE_HINT,
                ));
            };
            out.push((rel, bytes));
        }
        if total > limits.run_bytes() {
            return Err(refusal(
                &Refusal::RunTooLarge {
                    total,
                    limit: limits.run_bytes(),
                },
                &run.id,
            ));
        }
        Ok(out)
    }

    /// Puts committed evidence files (`evidence/…`, `/`-separated) into the
    /// work tree from HEAD where they are missing, and forgets their staged
    /// copies; returns the paths to bring into git's index.
    pub(super) fn place_evidence(
        &self,
        repo: &git2::Repository,
        paths: &[String],
    ) -> Result<Vec<PathBuf>> {
        let mut placed = Vec::new();
        for path in paths {
            let rel = PathBuf::from(path);
            let Some(contents) = git::head_blob(repo, &rel)? else {
                continue;
            };
            let full = self.root.join(&rel);
            if let Some(parent) = full.parent() {
                contain::check_within(&self.root, parent)?;
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            if std::fs::symlink_metadata(&full).is_err() {
                atomic::write_new_atomic(&full, &contents, 0o644)?;
            }
            if let Some(name) = rel.file_name() {
                let staged = self.root.join(STATE_DIR).join(STAGED_DIR).join(name);
                let _ = atomic::remove_durable(&staged);
            }
            placed.push(rel);
        }
        Ok(placed)
    }

    /// Returns the committed content of an evidence file, read from HEAD
    /// and checked against its digest, or why it cannot be had.
    pub fn evidence_contents(&self, file: &EvidenceFile) -> std::result::Result<Vec<u8>, String> {
        let path = file
            .stored_path()
            .ok_or_else(|| "no valid digest or media type".to_owned())?;
        let repo = git::open(&self.root).map_err(|e| e.to_string())?;
        let bytes = git::head_blob(&repo, Path::new(&path))
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("{path} is not committed"))?;
        if rules::sha256_hex(&bytes) != file.sha256 {
            return Err(format!("{path} does not have the recorded SHA-256"));
        }
        Ok(bytes)
    }

    /// Writes a report and the evidence files it names into the folder
    /// `dir` (`dir/<report_name>`, `dir/evidence/<sha256>.<ext>`), for
    /// handing to an auditor; returns the report's path.
    ///
    /// Confined (restricted mode), `dir` must lie inside `reports/`, as
    /// for `report -o`. Every file is written atomically; a link in the
    /// way is never written through.
    pub fn write_bundle(
        &self,
        dir: &Path,
        report_name: &str,
        contents: &[u8],
        files: &[(String, Vec<u8>)],
        confined: bool,
    ) -> Result<PathBuf> {
        let report = if confined {
            self.confined_report_path(&dir.join(report_name))?
        } else {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            dir.join(report_name)
        };
        let folder = report.parent().unwrap_or(dir).join(EVIDENCE_DIR);
        for target in [&report, &folder] {
            if std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Error::user(crate::msg::files::bundle_through_link(
                    &target.display().to_string(),
                )));
            }
        }
        if !files.is_empty() {
            std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        }
        for (name, bytes) in files {
            let target = folder.join(name);
            if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Error::user(crate::msg::files::bundle_through_link(
                    &target.display().to_string(),
                )));
            }
            atomic::write_atomic(&target, bytes, 0o644)?;
        }
        atomic::write_atomic(&report, contents, 0o644)?;
        Ok(report)
    }

    /// Returns the completions of `typed` for the walker's evidence field:
    /// files and folders whose path starts with it, folders ending in `/`.
    /// In restricted mode only under `inbox/` (relative to the
    /// repository); at most `max` names, sorted.
    pub fn complete_attachment(&self, typed: &str, restricted: bool, max: usize) -> Vec<String> {
        let (dir_part, stem) = match typed.rfind('/') {
            Some(i) => (&typed[..=i], &typed[i + 1..]),
            None => ("", typed),
        };
        let dir = if restricted {
            if !format!("{dir_part}/").starts_with(&format!("{INBOX_DIR}/"))
                && !INBOX_DIR.starts_with(typed)
            {
                return Vec::new();
            }
            if dir_part.is_empty() {
                return vec![format!("{INBOX_DIR}/")];
            }
            let Ok(rel) = self.inbox_path(&Path::new(dir_part).join("x")) else {
                return Vec::new();
            };
            self.root.join(rel.parent().unwrap_or(Path::new(INBOX_DIR)))
        } else if dir_part.is_empty() {
            // Completed as `./name`, which the walker reads as a path.
            return self.complete_attachment(&format!("./{typed}"), restricted, max);
        } else if let Some(home) = dir_part.strip_prefix("~/") {
            std::env::var_os("HOME")
                .map_or_else(|| PathBuf::from(dir_part), |h| PathBuf::from(h).join(home))
        } else {
            PathBuf::from(dir_part)
        };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut out: Vec<String> = entries
            .filter_map(std::result::Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_owned();
                if !name.starts_with(stem) || (name.starts_with('.') && !stem.starts_with('.')) {
                    return None;
                }
                let kind = e.file_type().ok()?;
                if restricted && kind.is_symlink() {
                    return None;
                }
                let slash = if kind.is_dir() { "/" } else { "" };
                Some(format!("{dir_part}{name}{slash}"))
            })
            .collect();
        out.sort();
        out.truncate(max);
        out
    }
}

/// `check`'s part: every evidence file a committed run (HEAD's `runs/`)
/// names must be in the work tree's `evidence/` as a regular file; each
/// missing one is reported at the run file, where the digest is written.
pub(super) fn check_files(
    root: &Path,
    repo: &git2::Repository,
    runs: &std::collections::BTreeMap<String, git2::Oid>,
) -> Vec<crate::Diagnostic> {
    let mut out = Vec::new();
    for (path, id) in runs {
        let Ok(blob) = repo.find_blob(*id) else {
            continue;
        };
        if !blob.content().windows(5).any(|w| w == b"File(") {
            continue;
        }
        let Ok(src) = std::str::from_utf8(blob.content()) else {
            continue;
        };
        let Ok(run) = load::parse::<crate::model::Run>(Path::new(path), src) else {
            continue;
        };
        let loc = load::Locator::new(src);
        for file in run.evidence_files() {
            let Some(stored) = file.stored_path() else {
                continue;
            };
            let full = root.join(&stored);
            let present = std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_file());
            if present {
                continue;
            }
            let (line, col) = loc
                .string(0, &file.sha256)
                .map_or((1, 1), |at| loc.position(at));
            out.push(crate::Diagnostic {
                path: PathBuf::from(path),
                line,
                col,
                message: format!(
                    "evidence `{}` is missing: {stored} is not in the work tree (`git checkout -- {stored}` restores a committed one)",
                    crate::escape::line(&file.name)
                ).into(),
            });
        }
    }
    out
}

/// `~/…` with the home folder, else `path` as given.
fn expand_home(path: &Path) -> PathBuf {
    match path.to_str().and_then(|p| p.strip_prefix("~/")) {
        Some(rest) => std::env::var_os("HOME")
            .map_or_else(|| path.to_owned(), |h| PathBuf::from(h).join(rest)),
        None => path.to_owned(),
    }
}

/// Refuses a file over `limit` by its size before reading it (the read
/// checks again, on the opened file).
fn size_first(path: &Path, limit: u64) -> std::result::Result<(), Refusal> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() > limit => Err(Refusal::TooLarge {
            size: m.len(),
            limit,
        }),
        _ => Ok(()),
    }
}

fn refusal(r: &Refusal, name: &str) -> Error {
    Error::user(Message::of(|lang| r.message(name, lang)))
}

/// Every distinct evidence file among `evidence`.
fn distinct_files<'a>(
    evidence: impl Iterator<Item = &'a Evidence>,
) -> impl Iterator<Item = &'a EvidenceFile> {
    let mut seen = HashSet::new();
    evidence
        .filter_map(Evidence::file)
        .filter(move |f| seen.insert(f.sha256.clone()))
}

/// Checks that `item` is an item of `inspection` and has an answer.
fn check_item(catalog: &Catalog, inspection: &Id, item: &Id, answered: bool) -> Result<()> {
    let known = catalog
        .inspections
        .get(inspection)
        .is_some_and(|i| i.item(item.as_str()).is_some());
    if !known {
        return Err(Error::user(attach::no_item(
            inspection.as_str(),
            item.as_str(),
        )));
    }
    if !answered {
        return Err(Error::user(attach::unanswered(item.as_str())));
    }
    Ok(())
}
