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
//! The same notes cover the other commits tenken makes, each written before
//! the first step and removed after the last:
//!
//! - an edit of a shared record ([`EditNote`]: `subjects.ron`, a new risk
//!   assessment), committed from memory first and only then written to the
//!   work tree, so an interrupted edit is either finished (the commit
//!   exists: its file is put in place) or was never visible (no commit: the
//!   work tree was not touched), and never left for someone else's commit;
//! - the checkout of `tenken sync` ([`SyncNote`]: the branch, the commit it
//!   was at and the commit being checked out), finished by checking out the
//!   paths that differ between the two, whatever state a kill left them in,
//!   and moving the branch.
//!
//! The notes live in `.tenken/pending/`, each at the path of the file it
//! commits: `commit/<path>` for a run or a withdrawal, `edit/<path>` for an
//! edit, `sync.ron` for the checkout (paths cannot collide, whatever the
//! ids; notes of older versions, named `<path with / as -->.ron`, are still
//! read and settled). The repository lock is held from
//! writing a note to removing it, so a note found under the lock always
//! belongs to a process that is gone. Files in that folder that git tracks
//! (a commit from the remote cannot put them there any more, but an older
//! sync could have) are not notes and are left alone.

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
    /// Evidence files committed with the run (`evidence/…`), put into the
    /// work tree with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

impl Pending {
    /// The note's place under `.tenken/pending/`.
    fn note_path(&self) -> PathBuf {
        Path::new(COMMIT_NOTES).join(&self.path)
    }

    /// The note's name in older versions.
    fn legacy_name(&self) -> String {
        format!(
            "{}.ron",
            self.path.trim_end_matches(".ron").replace('/', "--")
        )
    }
}

/// The folder under `.tenken/pending/` of notes of commits of runs and
/// withdrawals.
const COMMIT_NOTES: &str = "commit";
/// The folder under `.tenken/pending/` of notes of edits.
const EDIT_NOTES: &str = "edit";

/// An edit of one shared file (the register, a new risk assessment) in
/// progress; its note's file name ends in [`EDIT_SUFFIX`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditNote {
    /// File format version; always 1.
    pub format: u32,
    /// The file, relative to the root, `/`-separated.
    pub path: String,
    /// The git blob id of the new contents.
    pub blob: String,
    /// Whether the file existed before (and may be replaced in the work
    /// tree); a new file is never written over an existing one.
    pub replaces: bool,
}

/// The end of the file name of an [`EditNote`].
const EDIT_SUFFIX: &str = ".edit.ron";

impl EditNote {
    /// The note's place under `.tenken/pending/`.
    fn note_path(&self) -> PathBuf {
        Path::new(EDIT_NOTES).join(&self.path)
    }

    /// The note's name in older versions.
    fn legacy_name(&self) -> String {
        format!(
            "{}{EDIT_SUFFIX}",
            self.path.trim_end_matches(".ron").replace('/', "--")
        )
    }
}

/// A checkout by `tenken sync` in progress; its note is [`SYNC_NOTE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncNote {
    /// File format version; always 1.
    pub format: u32,
    /// The branch being moved, without `refs/heads/`.
    pub branch: String,
    /// The commit the branch was at (`None` for an unborn branch).
    pub from: Option<String>,
    /// The commit being checked out.
    pub target: String,
}

/// The file name of the [`SyncNote`].
pub const SYNC_NOTE: &str = "sync.ron";

impl Store {
    fn pending_dir(&self) -> PathBuf {
        self.root.join(STATE_DIR).join(PENDING_DIR)
    }

    /// Writes the note for `pending`; call it under the repository lock,
    /// right before the commit.
    pub(super) fn write_pending(&self, pending: &Pending) -> Result<()> {
        self.write_note(&pending.note_path(), pending)
    }

    /// Removes the note for `pending` (and one an older version wrote).
    pub(super) fn remove_pending(&self, pending: &Pending) -> Result<()> {
        self.remove_note(&pending.note_path())?;
        atomic::remove_durable(&self.pending_dir().join(pending.legacy_name()))
    }

    /// Returns the files under `.tenken/` that git tracks: they came from a
    /// commit (an older sync took them in), so the store ignores them.
    /// Empty when the repository cannot be opened.
    pub(super) fn tracked_state(&self) -> std::collections::HashSet<PathBuf> {
        git::open(&self.root)
            .and_then(|repo| git::tracked_under(&repo, STATE_DIR))
            .unwrap_or_default()
    }

    /// Returns true when git tracks `path` (absolute, under `.tenken/`).
    pub(super) fn is_tracked(&self, path: &Path) -> bool {
        path.strip_prefix(&self.root)
            .is_ok_and(|rel| self.tracked_state().contains(rel))
    }

    /// Removes the note at `rel` and the folders it leaves empty.
    fn remove_note(&self, rel: &Path) -> Result<()> {
        let dir = self.pending_dir();
        let path = dir.join(rel);
        atomic::remove_durable(&path)?;
        let mut at = path.parent();
        while let Some(d) = at {
            // Stops at the first folder that is not empty (or is the top).
            if d == dir || std::fs::remove_dir(d).is_err() {
                break;
            }
            at = d.parent();
        }
        Ok(())
    }

    /// Writes a note (under the lock) at `rel` under `.tenken/pending/`.
    fn write_note<T: Serialize>(&self, rel: &Path, note: &T) -> Result<()> {
        let path = self.pending_dir().join(rel);
        let dir = path.parent().unwrap_or(&path).to_owned();
        contain::check_within(&self.root, &dir)?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let text = ron_text(note)?;
        atomic::write_atomic(&path, text.as_bytes(), 0o600)
    }

    /// Writes the note for an edit; call it under the lock, before the commit.
    pub(super) fn write_edit_note(&self, note: &EditNote) -> Result<()> {
        self.write_note(&note.note_path(), note)
    }

    /// Removes the note for an edit (and one an older version wrote).
    pub(super) fn remove_edit_note(&self, note: &EditNote) -> Result<()> {
        self.remove_note(&note.note_path())?;
        atomic::remove_durable(&self.pending_dir().join(note.legacy_name()))
    }

    /// Writes the note for a sync's checkout; call it under the lock.
    pub(super) fn write_sync_note(&self, note: &SyncNote) -> Result<()> {
        self.write_note(Path::new(SYNC_NOTE), note)
    }

    /// Removes the note for a sync's checkout.
    pub(super) fn remove_sync_note(&self) -> Result<()> {
        atomic::remove_durable(&self.pending_dir().join(SYNC_NOTE))
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
            // Only empty folders of a note never written: tidied under the
            // lock (a writer makes them under it too), if it is free.
            let leftovers =
                std::fs::read_dir(self.pending_dir()).is_ok_and(|mut d| d.next().is_some());
            if leftovers
                && let Ok(_lock) = RepoLock::acquire(&self.root.join(STATE_DIR), RECOVER_WAIT)
            {
                prune_empty_dirs(&self.pending_dir());
            }
            return Ok(());
        }
        let Ok(_lock) = RepoLock::acquire(&self.root.join(STATE_DIR), RECOVER_WAIT) else {
            return Ok(());
        };
        let repo = git::open(&self.root)?;
        self.recover_locked(&repo)
    }

    fn has_pending(&self) -> bool {
        !note_files(&self.pending_dir()).is_empty()
    }

    /// [`Store::recover`] for a caller that holds the lock.
    pub(super) fn recover_locked(&self, repo: &git2::Repository) -> Result<()> {
        let dir = self.pending_dir();
        let files = note_files(&dir);
        if files.is_empty() {
            // A process killed between making a note's folders and writing
            // the note leaves empty folders: nothing to settle, nothing to
            // keep.
            prune_empty_dirs(&dir);
            return Ok(());
        }
        let tracked = git::tracked_under(repo, STATE_DIR)?;
        self.clear_locks_of_the_dead(repo, &files, &tracked);
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
            if tracked.contains(&shown) {
                continue;
            }
            let src = load::read(load::Source::repo(&self.root, &shown))?;
            let nested = path.strip_prefix(&dir).ok().and_then(|p| p.iter().next());
            if nested == Some(std::ffi::OsStr::new(COMMIT_NOTES)) && path.parent() != Some(&dir) {
                let pending = load::parse::<Pending>(&shown, &src)?;
                self.settle(repo, &pending, None)?;
                continue;
            }
            if nested == Some(std::ffi::OsStr::new(EDIT_NOTES)) && path.parent() != Some(&dir) {
                let note = load::parse::<EditNote>(&shown, &src)?;
                self.settle_edit(repo, &note)?;
                continue;
            }
            if name == SYNC_NOTE {
                let note = load::parse::<SyncNote>(&shown, &src)?;
                super::sync::finish_checkout(self, repo, &note)?;
                self.remove_sync_note()?;
                continue;
            }
            // A note of an older version: by its name an edit, unless it is
            // a run's whose inspector id ends in `.edit`.
            if name.ends_with(EDIT_SUFFIX)
                && let Ok(note) = load::parse::<EditNote>(&shown, &src)
            {
                self.settle_edit(repo, &note)?;
                continue;
            }
            let pending = load::parse::<Pending>(&shown, &src);
            match pending {
                Ok(pending) => self.settle(repo, &pending, None)?,
                // Notes are written atomically, so this is not ours to read.
                Err(d) => return Err(Error::from(d)),
            }
        }
        prune_empty_dirs(&dir);
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
            let mut paths = vec![rel.clone()];
            paths.extend(self.place_evidence(repo, &pending.evidence)?);
            if let Some(started) = pending.draft_started {
                self.remove_committed_draft(pending, started)?;
            }
            index_error = git::update_index(repo, &paths).err();
        }
        self.remove_pending(pending)?;
        match index_error {
            None => Ok(()),
            Some(e) => Err(Error::user_hint(
                crate::msg::commit::index_not_updated(&pending.path, &e.message()),
                crate::msg::commit::index_hint(&pending.path),
            )),
        }
    }

    /// Removes git's lock files (the index, HEAD, the branch) made since
    /// the oldest of `notes` was written: the process that wrote the note
    /// held the repository lock, which we hold now, so it is gone, and a
    /// lock it made would block every later commit.
    fn clear_locks_of_the_dead(
        &self,
        repo: &git2::Repository,
        notes: &[PathBuf],
        tracked: &std::collections::HashSet<PathBuf>,
    ) {
        let since = notes
            .iter()
            .filter(|p| {
                p.strip_prefix(&self.root)
                    .is_ok_and(|rel| !tracked.contains(rel))
            })
            .filter_map(|p| std::fs::symlink_metadata(p).and_then(|m| m.modified()).ok())
            .min();
        let Some(since) = since else { return };
        let mut names = vec!["index.lock".to_owned(), "HEAD.lock".to_owned()];
        if let Ok(head) = repo.find_reference("HEAD")
            && let Ok(Some(target)) = head.symbolic_target()
        {
            names.push(format!("{target}.lock"));
        }
        super::lock::clear_stale_git_locks(repo.path(), &names, since);
    }

    /// Brings the work tree in step with the branch for an interrupted
    /// edit: if HEAD has the new contents, they are put in the work tree
    /// and the index; if not, nothing was changed (edits reach the work
    /// tree only after their commit). The note is removed either way.
    pub(super) fn settle_edit(&self, repo: &git2::Repository, note: &EditNote) -> Result<()> {
        let rel = PathBuf::from(&note.path);
        match git::head_blob(repo, &rel)? {
            Some(contents) => self.settle_edit_with(repo, note, &contents),
            None => self.remove_edit_note(note),
        }
    }

    /// [`Store::settle_edit`] with HEAD's contents of the file at hand.
    pub(super) fn settle_edit_with(
        &self,
        repo: &git2::Repository,
        note: &EditNote,
        contents: &[u8],
    ) -> Result<()> {
        let rel = PathBuf::from(&note.path);
        let wanted = git2::Oid::from_str(&note.blob).ok();
        let committed = git2::Oid::hash_object(git2::ObjectType::Blob, contents).ok() == wanted;
        let mut index_error = None;
        if committed {
            let full = self.root.join(&rel);
            if let Some(parent) = full.parent() {
                contain::check_within(&self.root, parent)?;
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            if note.replaces {
                atomic::write_atomic(&full, contents, 0o644)?;
            } else if !full.exists() {
                atomic::write_new_atomic(&full, contents, 0o644)?;
            }
            remove_temporaries(&full);
            index_error = git::update_index(repo, std::slice::from_ref(&rel)).err();
        }
        self.remove_edit_note(note)?;
        index_error.map_or(Ok(()), Err)
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

/// Removes every empty folder below `dir` (not `dir` itself).
fn prune_empty_dirs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(std::result::Result::ok) {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            prune_empty_dirs(&e.path());
            // Fails, as it should, when something is left inside.
            let _ = std::fs::remove_dir(e.path());
        }
    }
}

/// Every file under `dir`, at any depth, sorted; none when it is missing.
fn note_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.filter_map(std::result::Result::ok) {
            match e.file_type() {
                Ok(t) if t.is_dir() => todo.push(e.path()),
                Ok(_) => out.push(e.path()),
                Err(_) => {}
            }
        }
    }
    out.sort();
    out
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

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use crate::store::testing::test_store;

    fn pending(path: &str) -> Pending {
        let id = |s: &str| Id::new(s).unwrap();
        Pending {
            format: 1,
            path: path.into(),
            inspector: id("sato"),
            subject: id("self"),
            inspection: id("x"),
            draft_started: None,
            evidence: Vec::new(),
        }
    }

    #[test]
    fn regression_issue_13_notes_of_colliding_id_pairs_never_share_a_file() {
        let (_dir, store) = test_store();
        // Under the old names both were
        // `runs--self--x--ipa-five-principles--2026-11-25T093000-sato.ron`.
        let a = pending("runs/self/x--ipa-five-principles/2026-11-25T093000-sato.ron");
        let b = pending("runs/self--x/ipa-five-principles/2026-11-25T093000-sato.ron");
        assert_eq!(a.legacy_name(), b.legacy_name());
        store.write_pending(&a).unwrap();
        store.write_pending(&b).unwrap();
        let dir = store.root().join(".tenken/pending");
        let files: Vec<PathBuf> = note_files(&dir)
            .into_iter()
            .map(|p| p.strip_prefix(&dir).unwrap().to_owned())
            .collect();
        assert_eq!(
            files,
            [
                PathBuf::from("commit/runs/self/x--ipa-five-principles/2026-11-25T093000-sato.ron"),
                PathBuf::from("commit/runs/self--x/ipa-five-principles/2026-11-25T093000-sato.ron"),
            ]
        );
        // An inspector id ending in `.edit` no longer looks like an edit.
        let c = pending("runs/self/x/2026-11-25T093000-a.edit.ron");
        store.write_pending(&c).unwrap();
        // Neither was committed: recovery forgets all three and leaves no
        // folder behind.
        store.recover().unwrap();
        assert_eq!(note_files(&dir), Vec::<PathBuf>::new());
        assert!(dir.read_dir().unwrap().next().is_none());
    }

    #[test]
    fn notes_written_by_an_older_version_are_still_settled() {
        let (_dir, store) = test_store();
        let dir = store.root().join(".tenken/pending");
        std::fs::create_dir_all(&dir).unwrap();
        let old = pending("runs/self/x/2026-11-25T093000-sato.ron");
        std::fs::write(dir.join(old.legacy_name()), ron_text(&old).unwrap()).unwrap();
        let run_like_edit = pending("runs/self/x/2026-11-25T093000-a.edit.ron");
        std::fs::write(
            dir.join(run_like_edit.legacy_name()),
            ron_text(&run_like_edit).unwrap(),
        )
        .unwrap();
        store.recover().unwrap();
        assert_eq!(note_files(&dir), Vec::<PathBuf>::new());
    }
}
