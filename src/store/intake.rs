//! What a tree from git may bring into the work tree. Anyone who can push
//! to the shared remote decides what `tenken sync` checks out, so before a
//! tree is checked out its new and changed entries are looked at, and two
//! kinds are refused:
//!
//! - anything under `.tenken/`, tenken's own working state (drafts, the
//!   lock, pending-commit notes), which is never taken from git;
//! - a symbolic link that leads out of the repository or into `.git`,
//!   or that leads through another link (whose target git could change
//!   later), judged on the tree itself, before anything is written.
//!
//! `tenken check` reports the same entries in HEAD's tree. Reads git only.

use std::path::{Component, Path};

use git2::{Delta, DiffOptions, Oid, Repository, Tree};

use super::STATE_DIR;
use crate::error::{Diagnostic, Result};
use crate::msg::Message;
use crate::msg::remote::{self, LinkTo};

/// The file mode of a symbolic link in a git tree.
const LINK_MODE: i32 = 0o120_000;

/// An entry a tree may not bring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hazard {
    /// The entry's path, `/`-separated.
    pub path: String,
    /// Why it is refused.
    pub why: Message,
}

/// Returns the entries of `new` that are added or changed against `old`
/// (everything, when `old` is `None`) and may not be checked out, in path
/// order.
pub fn hazards(repo: &Repository, old: Option<&Tree<'_>>, new: &Tree<'_>) -> Result<Vec<Hazard>> {
    let mut opts = DiffOptions::new();
    opts.include_typechange(true).ignore_submodules(true);
    let diff = repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))?;
    let mut out = Vec::new();
    for delta in diff.deltas() {
        if matches!(delta.status(), Delta::Deleted | Delta::Unmodified) {
            continue;
        }
        let file = delta.new_file();
        let Some(path) = file.path() else { continue };
        let shown = path.to_string_lossy().replace('\\', "/");
        if in_state_dir(path) {
            out.push(Hazard {
                path: shown,
                why: remote::under_state_dir(STATE_DIR),
            });
            continue;
        }
        if i32::from(file.mode()) == LINK_MODE
            && let Some(why) = link_hazard(repo, new, path, file.id())?
        {
            out.push(Hazard { path: shown, why });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Returns the hazards of HEAD's whole tree as diagnostics for `check`.
pub fn check_head(root: &Path) -> Vec<Diagnostic> {
    let Ok(repo) = Repository::open(root) else {
        return Vec::new();
    };
    let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) else {
        return Vec::new();
    };
    match hazards(&repo, None, &tree) {
        Ok(found) => found
            .into_iter()
            .map(|h| Diagnostic {
                path: h.path.into(),
                line: 0,
                col: 0,
                message: remote::tracked(&h.why),
            })
            .collect(),
        Err(e) => vec![Diagnostic {
            path: ".git".into(),
            line: 0,
            col: 0,
            message: crate::msg::Message::new(
                format!("HEAD のツリーを読めません: {e}"),
                format!("cannot read HEAD's tree: {e}"),
            ),
        }],
    }
}

/// Returns true for `.tenken` and everything under it.
fn in_state_dir(path: &Path) -> bool {
    path.components()
        .next()
        .is_some_and(|c| c.as_os_str() == STATE_DIR)
}

/// Says why the link at `path` in `tree` (its target in blob `blob`) may
/// not be checked out, if it may not.
fn link_hazard(
    repo: &Repository,
    tree: &Tree<'_>,
    path: &Path,
    blob: Oid,
) -> Result<Option<Message>> {
    let blob = repo.find_blob(blob)?;
    let target = String::from_utf8_lossy(blob.content()).into_owned();
    let shown_target = crate::escape::line(&target);
    let target = Path::new(&target);
    if target.has_root() {
        return Ok(Some(remote::bad_link(&shown_target, LinkTo::Outside)));
    }
    // Resolve the target against the link's folder, one component at a
    // time, on the tree: the folders on the way are real folders of the
    // tree, so `..` means what it says, unless a component is itself a link.
    let mut at: Vec<String> = path
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for component in target.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if at.pop().is_none() {
                    return Ok(Some(remote::bad_link(&shown_target, LinkTo::Outside)));
                }
            }
            Component::Normal(part) => {
                at.push(part.to_string_lossy().into_owned());
                if at.len() == 1 && at[0].eq_ignore_ascii_case(".git") {
                    return Ok(Some(remote::bad_link(&shown_target, LinkTo::Git)));
                }
                if at.len() == 1 && at[0] == STATE_DIR {
                    return Ok(Some(remote::bad_link(
                        &shown_target,
                        LinkTo::State(STATE_DIR),
                    )));
                }
                let here = at.join("/");
                if let Ok(entry) = tree.get_path(Path::new(&here))
                    && entry.filemode() == LINK_MODE
                {
                    return Ok(Some(remote::bad_link(
                        &shown_target,
                        LinkTo::Through(&crate::escape::line(&here)),
                    )));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Ok(Some(remote::bad_link(&shown_target, LinkTo::Outside)));
            }
        }
    }
    Ok(None)
}
