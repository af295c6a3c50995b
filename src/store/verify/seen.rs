//! What `verify` and `sync` remember between runs, and what a clone does
//! not have: `.tenken/seen` keeps, per branch, the last commit HEAD was at
//! when tenken looked (`<ref> <commit>` lines), so that a history that no
//! longer contains it — rewritten by a rebase, `git filter-branch`, a reset
//! or a force-push — is noticed; and the boundary of a shallow clone, where
//! history stops.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use git2::{Oid, Repository};

use crate::error::{Error, Result};
use crate::store::{STATE_DIR, atomic, contain};

/// The file under `.tenken/` that holds the last commits seen.
pub const SEEN_FILE: &str = "seen";

/// Returns the name of the branch HEAD is on (`refs/heads/main`), or `HEAD`
/// when it is detached.
pub fn head_ref(repo: &Repository) -> String {
    repo.head()
        .ok()
        .filter(git2::Reference::is_branch)
        .and_then(|h| h.name().ok().map(str::to_owned))
        .unwrap_or_else(|| "HEAD".to_owned())
}

/// Reads `.tenken/seen` under `root`: the last commit seen per branch.
/// Lines that do not parse are left out (the file is derived state).
pub fn read(root: &Path) -> BTreeMap<String, Oid> {
    let rel = Path::new(STATE_DIR).join(SEEN_FILE);
    let text = crate::load::read(crate::load::Source::repo(root, &rel)).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let (name, oid) = l.trim().rsplit_once(' ')?;
            Some((name.trim().to_owned(), Oid::from_str(oid.trim()).ok()?))
        })
        .collect()
}

/// Records `commit` as the last one seen on branch `name`.
pub fn write(root: &Path, name: &str, commit: Oid) -> Result<()> {
    let mut all = read(root);
    all.insert(name.to_owned(), commit);
    let dir = root.join(STATE_DIR);
    contain::check_within(root, &dir)?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut text = String::new();
    for (name, oid) in &all {
        let _ = writeln!(text, "{name} {oid}");
    }
    atomic::write_atomic(&dir.join(SEEN_FILE), text.as_bytes(), 0o644)
}

/// Returns true when `seen` is `head` or one of its ancestors: the history
/// still contains it.
pub fn contains(repo: &Repository, head: Oid, seen: Oid) -> bool {
    seen == head || repo.graph_descendant_of(head, seen).unwrap_or(false)
}

/// Returns the commits where a shallow clone's history stops (empty for a
/// complete clone), as git lists them in `.git/shallow`.
pub fn shallow_boundary(repo: &Repository) -> HashSet<Oid> {
    if !repo.is_shallow() {
        return HashSet::new();
    }
    std::fs::read_to_string(repo.path().join("shallow"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| Oid::from_str(l.trim()).ok())
        .collect()
}
