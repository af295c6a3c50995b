//! Committed edits of shared records: the subject register and risk
//! assessments. Each write is validated first, committed alone from memory
//! under the repository lock, and only then written to the work tree (with
//! a note in `.tenken/pending/` that lets the next process finish that part
//! after a crash), so a half-done edit is never left in the work tree for
//! someone else's commit to sweep up.

use std::path::{Path, PathBuf};

use super::lock::{LOCK_WAIT, RepoLock};
use super::pending::EditNote;
use super::{STATE_DIR, SUBJECTS_FILE, Store, atomic, git, ron_text};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::load;
use crate::model::{RiskAssessment, Subjects};

/// Where risk assessments live.
pub const RISKS_DIR: &str = "risks";

impl Store {
    /// Replaces `subjects.ron` with `subjects` and commits only that file.
    ///
    /// The register is validated before anything is written; on a failed
    /// commit the previous file is put back.
    pub fn save_subjects(
        &self,
        subjects: &Subjects,
        who: &git::Identity,
        message: &str,
        clock: Clock,
    ) -> Result<String> {
        let text = ron_text(subjects)?;
        let rel = PathBuf::from(SUBJECTS_FILE);
        let diags = load::validate_subjects(&rel, &text, subjects);
        if !diags.is_empty() {
            return Err(Error::Invalid(diags));
        }
        let repo = git::open(&self.root)?;
        git::check_committable(&repo)?;
        let _lock = RepoLock::acquire(&self.root.join(STATE_DIR), LOCK_WAIT)?;
        self.recover_locked(&repo)?;
        self.commit_edit(&repo, rel, text.into_bytes(), true, who, message, clock)
    }

    /// Commits `contents` as the file `rel` from memory, then writes it to
    /// the work tree and the index, with a note that lets the next process
    /// finish the work-tree part after a crash (see `pending`). Called under
    /// the lock. With `replaces`, an existing work-tree file is replaced;
    /// without, the file must be new.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn commit_edit(
        &self,
        repo: &git2::Repository,
        rel: PathBuf,
        contents: Vec<u8>,
        replaces: bool,
        who: &git::Identity,
        message: &str,
        clock: Clock,
    ) -> Result<String> {
        let full = self.root.join(&rel);
        if let Some(parent) = full.parent() {
            super::contain::check_within(&self.root, parent)?;
        }
        let note = EditNote {
            format: crate::model::FORMAT,
            path: rel.to_string_lossy().replace('\\', "/"),
            blob: git2::Oid::hash_object(git2::ObjectType::Blob, &contents)?.to_string(),
            replaces,
        };
        self.write_edit_note(&note)?;
        let files = [(rel, contents)];
        let oid = match git::commit_contents(repo, &files, who, message, clock, &self.signing()) {
            Ok(oid) => oid,
            Err(e) => {
                // Not committed, and nothing was written but the note.
                let _ = self.remove_edit_note(&note);
                return Err(e);
            }
        };
        let [(_, contents)] = files;
        self.settle_edit_with(repo, &note, &contents)?;
        Ok(oid.to_string())
    }

    /// Writes a new risk assessment under `risks/` and commits it alone.
    ///
    /// The file name is `<YYYY-MM-DD>T<HHMMSS>-<assessor>.ron` from
    /// `clock.now()`; the assessment's `id` is set to match. Never
    /// overwrites an existing assessment.
    pub fn commit_risk(
        &self,
        mut risk: RiskAssessment,
        clock: Clock,
    ) -> Result<(RiskAssessment, String)> {
        let now = clock.now();
        let base = format!("{}-{}", now.format("%Y-%m-%dT%H%M%S"), risk.assessor.id);
        let repo = git::open(&self.root)?;
        git::check_committable(&repo)?;
        let _lock = RepoLock::acquire(&self.root.join(STATE_DIR), LOCK_WAIT)?;
        self.recover_locked(&repo)?;
        let dir = self.root.join(RISKS_DIR);
        super::contain::check_within(&self.root, &dir)?;
        for n in 1..=100u32 {
            let name = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            let rel = Path::new(RISKS_DIR).join(format!("{name}.ron"));
            if self.root.join(&rel).exists() || git::head_blob(&repo, &rel)?.is_some() {
                continue;
            }
            risk.id = name;
            let text = ron_text(&risk)?;
            let diags = load::validate_risk(&rel, &text, &risk);
            if !diags.is_empty() {
                return Err(Error::Invalid(diags));
            }
            let who = git::Identity::from_inspector(&risk.assessor);
            let message = format!(
                "risk: assessment by {} ({} assets)",
                risk.assessor.id,
                risk.assets.len()
            );
            let commit =
                self.commit_edit(&repo, rel, text.into_bytes(), false, &who, &message, clock)?;
            return Ok((risk, commit));
        }
        Err(Error::user(crate::msg::commit::risks_same_second(
            risk.assessor.id.as_str(),
        )))
    }
}

impl Store {
    /// Returns every risk assessment under `risks/`, parsed and validated,
    /// oldest first (by date, then id).
    ///
    /// An assessment's id is its path without `risks/` and `.ron`, whatever
    /// the file says. Any invalid file makes the call fail with every
    /// problem found.
    pub fn risks(&self) -> Result<Vec<RiskAssessment>> {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        for file in load::ron_files(&self.root.join(RISKS_DIR)) {
            let rel = file.strip_prefix(&self.root).unwrap_or(&file).to_owned();
            let parsed = load::read(load::Source::repo(&self.root, &rel)).and_then(|src| {
                let risk: RiskAssessment = load::parse(&rel, &src)?;
                Ok((risk, src))
            });
            match parsed {
                Ok((mut risk, src)) => {
                    let diags = load::validate_risk(&rel, &src, &risk);
                    if diags.is_empty() {
                        if let Some(stem) = rel.file_stem().and_then(|s| s.to_str()) {
                            stem.clone_into(&mut risk.id);
                        }
                        out.push(risk);
                    } else {
                        problems.extend(diags);
                    }
                }
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        out.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        Ok(out)
    }
}

/// The file that marks a repository as a disposable demo.
pub const DEMO_MARKER: &str = ".tenken/demo";

impl Store {
    /// Marks the repository as a demo that `tenken demo` may replace.
    pub fn mark_demo(&self) -> Result<()> {
        let path = self.root.join(DEMO_MARKER);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        atomic::write_atomic(&path, b"created by `tenken demo`; safe to delete\n", 0o644)
    }

    /// Deletes `dir` if and only if it is a demo repository made by
    /// `tenken demo`; anything else is refused untouched.
    pub fn remove_demo(dir: &Path) -> Result<()> {
        if !dir.exists() {
            return Ok(());
        }
        if !dir.join(DEMO_MARKER).is_file() {
            return Err(Error::user_hint(
                crate::msg::files::not_a_demo(&dir.display().to_string()),
                crate::msg::files::NOT_A_DEMO_HINT,
            ));
        }
        std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))
    }
}
