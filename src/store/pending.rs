//! Crash safety of commits: a note, written before a run is committed and
//! removed after the work tree has caught up, that lets the next tenken
//! process finish or forget a commit interrupted by a crash or `kill -9`.
//!
//! A run is committed from memory first (git moves the branch by renaming
//! a lock file, so the commit either exists or does not), and only then
//! written to the work tree, added to the index and its draft removed. Each
//! step is durable and repeatable, so whatever point a process dies at,
//! [`Store::recover`] can bring the repository to one of two states: the run
//! committed with its file in place and no draft, or not committed with the
//! draft untouched. Never both, never neither.
//!
//! The notes live in `.tenken/pending/`; the repository lock is held from
//! writing a note to removing it, so a note found under the lock always
//! belongs to a process that is gone.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::lock::RepoLock;
use super::{STATE_DIR, Store, atomic, contain, git, ron_text};
use crate::error::{Error, Result};
use crate::load;
use crate::model::Id;

/// The folder under `.tenken/` that holds the notes.
pub const PENDING_DIR: &str = "pending";

/// How long reading commands wait for the lock to recover; if another
/// process holds it, that process is busy committing and recovers itself.
const RECOVER_WAIT: Duration = Duration::from_millis(500);

/// A commit in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pending {
    /// File format version; always 1.
    pub format: u32,
    /// The run file being committed, relative to the root, `/`-separated.
    pub path: String,
    /// The inspector whose draft the run came from.
    pub inspector: Id,
    /// The run's subject.
    pub subject: Id,
    /// The run's inspection.
    pub inspection: Id,
    /// When the draft was started, if the run came from a draft (the walker)
    /// that is to be removed once the run is committed; `None` for `record`.
    pub draft_started: Option<DateTime<FixedOffset>>,
}

impl Pending {
    fn file_name(&self) -> String {
        format!(
            "{}.ron",
            self.path.trim_end_matches(".ron").replace('/', "--")
        )
    }
}

impl Store {
    fn pending_dir(&self) -> PathBuf {
        self.root.join(STATE_DIR).join(PENDING_DIR)
    }

    /// Writes the note for `pending`; call it under the repository lock,
    /// right before the commit.
    pub(super) fn write_pending(&self, pending: &Pending) -> Result<()> {
        let dir = self.pending_dir();
        contain::check_within(&self.root, &dir)?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let text = ron_text(pending)?;
        atomic::write_atomic(&dir.join(pending.file_name()), text.as_bytes(), 0o600)
    }

    /// Removes the note for `pending`.
    pub(super) fn remove_pending(&self, pending: &Pending) -> Result<()> {
        atomic::remove_durable(&self.pending_dir().join(pending.file_name()))
    }

    /// Finishes or forgets every commit a crashed process left half done.
    ///
    /// Cheap when there is nothing to do (one folder lookup). Otherwise it
    /// takes the repository lock, waiting briefly; if another process holds
    /// the lock it returns without doing anything (that process recovers
    /// before it commits). Run files the branch has get their work-tree
    /// file, index entry and draft removal; the rest are forgotten, their
    /// drafts kept.
    pub fn recover(&self) -> Result<()> {
        if !self.has_pending() {
            return Ok(());
        }
        let Ok(_lock) = RepoLock::acquire(&self.root.join(STATE_DIR), RECOVER_WAIT) else {
            return Ok(());
        };
        let repo = git::open(&self.root)?;
        self.recover_locked(&repo)
    }

    fn has_pending(&self) -> bool {
        std::fs::read_dir(self.pending_dir()).is_ok_and(|mut d| d.next().is_some())
    }

    /// [`Store::recover`] for a caller that holds the lock.
    pub(super) fn recover_locked(&self, repo: &git2::Repository) -> Result<()> {
        let dir = self.pending_dir();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for path in files {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name.starts_with('.') {
                // The temporary file of a note whose write was interrupted.
                atomic::remove_durable(&path)?;
                continue;
            }
            let shown = path.strip_prefix(&self.root).unwrap_or(&path).to_owned();
            let pending = load::read(load::Source::repo(&self.root, &shown))
                .and_then(|src| load::parse::<Pending>(&shown, &src));
            match pending {
                Ok(pending) => self.settle(repo, &pending, None)?,
                // Notes are written atomically, so this is not ours to read.
                Err(d) => return Err(Error::from(d)),
            }
        }
        Ok(())
    }

    /// Brings the work tree in step with the branch for `pending`: if the
    /// run was committed, its file (`contents`, else the committed blob) is
    /// put in place, the index updated and the draft removed; either way the
    /// note is removed at the end. An index that another git process keeps
    /// locked is reported after the rest is done, with the note removed.
    pub(super) fn settle(
        &self,
        repo: &git2::Repository,
        pending: &Pending,
        contents: Option<&[u8]>,
    ) -> Result<()> {
        let rel = PathBuf::from(&pending.path);
        let committed = match contents {
            Some(c) => Some(c.to_vec()),
            None => git::head_blob(repo, &rel)?,
        };
        let mut index_error = None;
        if let Some(contents) = committed {
            let full = self.root.join(&rel);
            if let Some(parent) = full.parent() {
                contain::check_within(&self.root, parent)?;
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            if !full.exists() {
                atomic::write_new_atomic(&full, &contents, 0o644)?;
            }
            remove_temporaries(&full);
            if let Some(started) = pending.draft_started {
                self.remove_committed_draft(pending, started)?;
            }
            index_error = git::update_index(repo, std::slice::from_ref(&rel)).err();
        }
        self.remove_pending(pending)?;
        match index_error {
            None => Ok(()),
            Some(e) => Err(Error::user_hint(
                format!("git's index could not be updated for {}: {e}", pending.path),
                format!(
                    "run `git reset -q -- {}` once the other git command has finished",
                    pending.path
                ),
            )),
        }
    }

    /// Removes the draft a committed run came from, but only that draft:
    /// one started at another time is newer work and stays.
    fn remove_committed_draft(
        &self,
        pending: &Pending,
        started: DateTime<FixedOffset>,
    ) -> Result<()> {
        let rel = Self::draft_path(&pending.inspector, &pending.subject, &pending.inspection);
        let same = load::read(load::Source::repo(&self.root, &rel))
            .ok()
            .and_then(|src| load::parse::<crate::model::Draft>(Path::new(""), &src).ok())
            .is_some_and(|d| d.started == started);
        if same {
            self.remove_draft(&pending.inspector, &pending.subject, &pending.inspection)?;
        }
        Ok(())
    }
}

/// Removes the temporary files an interrupted atomic write of `path` left
/// beside it (`.<name>.tmp-<pid>-<n>`), best effort: in `runs/` they would
/// show as untracked files.
fn remove_temporaries(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return;
    };
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(std::result::Result::ok) {
        if entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix))
        {
            let _ = atomic::remove_durable(&entry.path());
        }
    }
}
