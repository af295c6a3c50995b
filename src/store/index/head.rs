//! Which commit HEAD points to, read straight from the git folder when the
//! repository is laid out the plain way, and the repository itself opened
//! only when git has to be read: opening it (or making any `git2::Oid`)
//! initialises libgit2, which loads the system's certificates, about a
//! sixth of a read command's time, and a read that a fresh index answers
//! needs no git at all.
//!
//! Reading HEAD by hand covers `.git` as a folder owned by the user running
//! tenken, HEAD naming a branch (a loose ref, or a line of `packed-refs`)
//! or a commit. Anything else (a linked work tree, another owner, a
//! symbolic ref to another ref, another ref storage, an unusual branch
//! name) answers `None`, and libgit2 decides as ever.

use std::cell::OnceCell;
use std::path::Path;

use git2::Repository;

use crate::error::{Error, Result};
use crate::store::git;

/// The longest HEAD, ref or `packed-refs` file read by hand.
const MAX_REF_FILE: u64 = 64 * 1024 * 1024;

/// The repository at a root, opened on first use.
pub struct LazyRepo<'a> {
    root: &'a Path,
    repo: OnceCell<Option<Repository>>,
}

impl<'a> LazyRepo<'a> {
    /// Prepares to open the repository whose work tree is `root`.
    pub fn new(root: &'a Path) -> Self {
        Self {
            root,
            repo: OnceCell::new(),
        }
    }

    /// Returns the repository, opening it the first time; `None` when
    /// `root` is not a git repository (no commits to read, only files).
    pub fn get(&self) -> Result<Option<&Repository>> {
        if let Some(repo) = self.repo.get() {
            return Ok(repo.as_ref());
        }
        let repo = match git::open(self.root) {
            Ok(r) => Some(r),
            Err(Error::User { .. }) => None,
            Err(e) => return Err(e),
        };
        Ok(self.repo.get_or_init(|| repo).as_ref())
    }

    /// Returns true once the repository was opened (for tests).
    #[cfg(test)]
    pub fn opened(&self) -> bool {
        self.repo.get().is_some()
    }
}

/// Returns the canonical path of the git folder of the repository at
/// `root` (what `index::repo_id` says for it) and the commit HEAD points
/// to in hex, read by hand; `None` whenever the layout is not the plain one (see
/// the module header) or HEAD is unborn.
pub fn by_hand(root: &Path) -> Option<(String, String)> {
    let dir = root.join(".git");
    if !owned_by_me(&dir)? || !owned_by_me(root)? {
        return None;
    }
    let head = read_small(&dir.join("HEAD"))?;
    let head = head.strip_suffix('\n')?;
    let id = match head.strip_prefix("ref: ") {
        None => commit_hex(head)?,
        Some(name) if plain_branch(name) => match std::fs::symlink_metadata(dir.join(name)) {
            Ok(meta) if meta.is_file() => {
                commit_hex(read_small(&dir.join(name))?.strip_suffix('\n')?)?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => packed(&dir, name)?,
            _ => return None,
        },
        Some(_) => return None,
    };
    let canonical = dir.canonicalize().ok()?;
    Some((canonical.to_string_lossy().into_owned(), id))
}

/// Returns true when `path` is a folder (not a link) owned by the user
/// tenken runs as; `None` where that cannot be told. libgit2 refuses a
/// repository another user owns unless git's configuration allows it:
/// such repositories are left to it.
fn owned_by_me(path: &Path) -> Option<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::symlink_metadata(path).ok()?;
        // `/proc/self` belongs to the process's effective user.
        let me = std::fs::metadata("/proc/self").ok()?.uid();
        Some(meta.is_dir() && meta.uid() == me)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Reads a small text file of the git folder, not through a link.
fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_REF_FILE {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// Returns true for `refs/heads/<name>` where every part of the name is
/// plain (letters, digits, `.`, `_`, `-`; no part empty or starting with
/// `.`, none ending in `.lock` in any case): a loose ref file at that
/// path, if any, is that branch and nothing else.
fn plain_branch(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("refs/heads/") else {
        return false;
    };
    !rest.is_empty()
        && rest.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && !part.to_ascii_lowercase().ends_with(".lock")
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        })
}

/// Finds `name` in `packed-refs`.
fn packed(dir: &Path, name: &str) -> Option<String> {
    let text = read_small(&dir.join("packed-refs"))?;
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('^'))
        .find_map(|l| match l.split_once(' ') {
            Some((hex, n)) if n == name => Some(hex),
            _ => None,
        })
        .and_then(commit_hex)
}

/// Returns `text` when it is a commit id as git writes it in refs: 40
/// lowercase hex digits.
fn commit_hex(text: &str) -> Option<String> {
    let hex = text.len() == 40 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    hex.then(|| text.to_owned())
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use crate::store::index::{Origin, load, repo_id};
    use crate::store::testing::test_store;

    /// What libgit2 says: the git folder's identity and HEAD in hex.
    fn libgit2(root: &Path) -> Option<(String, String)> {
        let repo = git::open(root).unwrap();
        let head = repo.head().ok()?.target()?;
        Some((repo_id(&repo), head.to_string()))
    }

    #[test]
    fn head_by_hand_is_what_libgit2_says_or_nothing() {
        let (_dir, store) = test_store();
        let root = store.root();
        let dir = root.join(".git");
        let repo = git::open(root).unwrap();
        let head = repo.head().unwrap().target().unwrap();
        let branch = repo.head().unwrap().name().unwrap().to_owned();
        // A branch in a loose ref.
        assert!(std::fs::symlink_metadata(dir.join(&branch)).is_ok());
        assert_eq!(by_hand(root), libgit2(root));
        // The same branch packed, and a stale loose ref that wins over it
        // (git reads the loose one first).
        std::fs::remove_file(dir.join(&branch)).unwrap();
        let stale = "0123456789abcdef0123456789abcdef01234567";
        std::fs::write(
            dir.join("packed-refs"),
            format!("# pack-refs with: peeled fully-peeled sorted \n{stale} refs/heads/other\n{head} {branch}\n^{stale}\n"),
        )
        .unwrap();
        assert_eq!(by_hand(root), libgit2(root));
        std::fs::write(dir.join(&branch), format!("{stale}\n")).unwrap();
        assert_eq!(by_hand(root).map(|(_, h)| h), Some(stale.to_owned()));
        std::fs::write(dir.join(&branch), format!("{head}\n")).unwrap();
        // Detached.
        repo.set_head_detached(head).unwrap();
        assert_eq!(by_hand(root), libgit2(root));
        // Unborn, a ref that is itself symbolic, a name read by hand would
        // not be sure of, a ref that is not hex: left to libgit2.
        let left = [
            "ref: refs/heads/none-yet\n",
            "ref: refs/heads/.hidden\n",
            "ref: refs/tags/v1\n",
            "ref: refs/heads/a..b\n",
            "ref: refs/heads/x.lock\n",
            "ref: HEAD\n",
        ];
        for text in left {
            std::fs::write(dir.join("HEAD"), text).unwrap();
            assert_eq!(by_hand(root), None, "{text:?}");
        }
        std::fs::write(dir.join("refs/heads/sym"), format!("ref: {branch}\n")).unwrap();
        std::fs::write(dir.join("HEAD"), "ref: refs/heads/sym\n").unwrap();
        assert_eq!(by_hand(root), None, "a symbolic loose ref");
        std::fs::write(
            dir.join("HEAD"),
            format!("{}\n", head.to_string().to_uppercase()),
        )
        .unwrap();
        assert_eq!(by_hand(root), None, "upper-case hex");
        std::fs::write(dir.join("HEAD"), format!("ref: {branch}\n")).unwrap();
        assert_eq!(by_hand(root), libgit2(root));
    }

    #[test]
    fn a_fresh_index_is_read_without_opening_the_repository() {
        let (_dir, store) = test_store();
        let root = store.root();
        // The first read builds it (git is read), the next only reads it.
        let git = LazyRepo::new(root);
        assert_eq!(
            load(root, &git, |v, o| (v.to_snapshot().unwrap(), o))
                .unwrap()
                .unwrap()
                .1,
            Origin::Built
        );
        assert!(git.opened());
        let git = LazyRepo::new(root);
        let (snap, origin) = load(root, &git, |v, o| (v.to_snapshot().unwrap(), o))
            .unwrap()
            .unwrap();
        assert_eq!(origin, Origin::Read);
        assert!(!git.opened(), "a fresh index needs no git");
        assert_eq!(Some((snap.repo, snap.head.hex())), libgit2(root));
        // HEAD moved: git is opened and the index updated.
        let repo = git::open(root).unwrap();
        let who = git::Identity {
            name: "Sato Hanako".into(),
            email: "sato@example.jp".into(),
        };
        std::fs::write(root.join("notes.txt"), "x").unwrap();
        git::commit_paths(
            &repo,
            &[std::path::PathBuf::from("notes.txt")],
            &who,
            "more",
            crate::store::testing::clock(),
        )
        .unwrap();
        let git = LazyRepo::new(root);
        let (snap, origin) = load(root, &git, |v, o| (v.to_snapshot().unwrap(), o))
            .unwrap()
            .unwrap();
        assert_eq!(origin, Origin::Updated);
        assert!(git.opened());
        assert_eq!(Some((snap.repo, snap.head.hex())), libgit2(root));
    }
}
