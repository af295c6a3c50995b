//! The checkout half of `tenken sync`: the safe checkout that refuses
//! before writing anything when a local change would be overwritten, and
//! the finishing of a checkout a killed sync left half done (see the
//! header of `store/sync.rs`).

use std::cell::RefCell;
use std::path::Path;

use git2::build::CheckoutBuilder;
use git2::{CheckoutNotificationType, Commit, ErrorCode, Oid, Repository};

use super::super::Store;
use super::super::pending::SyncNote;
use super::SyncOptions;
use crate::error::{Error, Result};

/// Finishes the checkout of an interrupted sync (see the module header):
/// the paths that differ between the note's two commits are checked out
/// from the target again, the index follows, and the branch is moved if it
/// has not been. A branch moved meanwhile by someone else is left alone.
/// Called under the lock.
pub(in crate::store) fn finish_checkout(
    store: &Store,
    repo: &Repository,
    note: &SyncNote,
) -> Result<()> {
    let _ = store;
    let local_ref = format!("refs/heads/{}", note.branch);
    let target = Oid::from_str(&note.target)?;
    let from = note.from.as_deref().map(Oid::from_str).transpose()?;
    let current = match repo.find_reference(&local_ref) {
        Ok(r) => Some(r.peel_to_commit()?.id()),
        Err(e) if e.code() == ErrorCode::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    if current != from && current != Some(target) {
        return Ok(());
    }
    let target_commit = repo.find_commit(target)?;
    let target_tree = target_commit.tree()?;
    let from_tree = from.map(|f| repo.find_commit(f)?.tree()).transpose()?;
    let diff = repo.diff_tree_to_tree(from_tree.as_ref(), Some(&target_tree), None)?;
    let mut changed = Vec::new();
    let mut deleted = Vec::new();
    for delta in diff.deltas() {
        let Some(path) = delta.new_file().path().or_else(|| delta.old_file().path()) else {
            continue;
        };
        if delta.status() == git2::Delta::Deleted {
            deleted.push(path.to_owned());
        } else {
            changed.push(path.to_owned());
        }
    }
    if !changed.is_empty() {
        let mut co = CheckoutBuilder::new();
        co.force().disable_pathspec_match(true);
        for path in &changed {
            co.path(path);
        }
        repo.checkout_tree(target_commit.as_object(), Some(&mut co))?;
    }
    for path in &deleted {
        let full = store.root().join(path);
        match std::fs::remove_file(&full) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::io(&full, e));
            }
            _ => {}
        }
        // Folders left empty go too, as a checkout removes them.
        let mut dir = full.parent();
        while let Some(d) = dir.filter(|d| *d != store.root()) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    // The index follows the target for exactly these paths, whichever of
    // them the killed checkout had already written.
    let mut index = repo.index()?;
    index.read(false)?;
    for path in &changed {
        let entry = target_tree.get_path(path)?;
        if entry.kind() == Some(git2::ObjectType::Blob) {
            index.add_path(path)?;
        }
    }
    for path in &deleted {
        let _ = index.remove_path(path);
    }
    index.write()?;
    if current == from {
        repo.reference(
            &local_ref,
            target,
            true,
            "tenken sync: finish an interrupted checkout",
        )?;
    }
    Ok(())
}

/// Checks `target` out over HEAD's tree with the safe strategy: every
/// local change that would be overwritten refuses the whole checkout
/// before any file is written.
pub(super) fn checkout(
    repo: &Repository,
    root: &Path,
    target: &Commit<'_>,
    opts: &SyncOptions,
) -> Result<()> {
    let blocked = RefCell::new(Vec::new());
    let result = {
        let mut co = CheckoutBuilder::new();
        co.safe()
            .notify_on(CheckoutNotificationType::CONFLICT)
            .notify(|_, path, _, _, _| {
                if let Some(p) = path {
                    blocked.borrow_mut().push(p.display().to_string());
                }
                true
            });
        repo.checkout_tree(target.as_object(), Some(&mut co))
    };
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.code() == ErrorCode::Conflict || !blocked.borrow().is_empty() => {
            let paths = blocked.into_inner();
            Err(Error::user_hint(
                crate::msg::remote::would_overwrite(
                    &quote_list(&paths),
                    &opts.remote,
                    &root.display().to_string(),
                ),
                crate::msg::remote::WOULD_OVERWRITE_HINT,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Lists paths in backquotes for an error message.
pub(super) fn quote_list(paths: &[String]) -> crate::msg::Message {
    match paths {
        [] => crate::msg::remote::SOME_FILES.into(),
        many => {
            let list = many
                .iter()
                .map(|p| format!("`{}`", crate::escape::line(p)))
                .collect::<Vec<_>>()
                .join(", ");
            crate::msg::Message::new(list.clone(), list)
        }
    }
}
