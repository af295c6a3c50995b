//! Comparing two trees under the append-only folders, file mode included:
//! subtrees with equal ids are skipped without being read, so a commit that
//! adds one run costs a few small tree reads however long the history is.
//! (libgit2's tree-to-tree diff walks every entry of both trees, which made
//! one commit cost as much as the number of run files.)

use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::Path;

use git2::{ObjectType, Oid, Repository, Tree, TreeEntry};

use crate::error::Result;
use crate::msg::Label;

/// The append-only folders at the top of the tree.
pub const AREAS: [&str; 3] = ["runs", "risks", "withdrawals"];

/// Git's mode of a folder.
pub const TREE_MODE: i32 = 0o040_000;
/// Git's mode of a plain, non-executable file: the only mode a record may
/// have.
pub const FILE_MODE: i32 = 0o100_644;

/// A tree entry: its object id and git's file mode (`0o040000` for a
/// folder, `0o100644` for a plain file, `0o100755` executable, `0o120000`
/// a symbolic link).
pub type Entry = (Oid, i32);

/// One path whose entry differs between two trees.
pub type Delta = (String, Option<Entry>, Option<Entry>);

/// Returns true when `entry` is a folder.
pub fn is_tree(entry: Entry) -> bool {
    entry.1 == TREE_MODE
}

/// Describes a file mode for people.
pub fn describe_mode(mode: i32) -> Label {
    match mode {
        0o100_644 => Label::new("通常のファイル", "a plain file"),
        0o100_755 => Label::new("実行可能なファイル", "an executable file"),
        0o120_000 => Label::new("シンボリックリンク", "a symbolic link"),
        0o040_000 => Label::new("フォルダー", "a folder"),
        0o160_000 => Label::new("サブモジュール", "a submodule"),
        _ => Label::new("不明な種類の項目", "an unknown kind of entry"),
    }
}

/// The trees read for the previous commit and for this one.
///
/// Commits are walked parents first, so most of a commit's parent trees
/// were read for the commit before; keeping them halves the tree reads.
/// libgit2's own object cache is switched off during the walk, so this is
/// the only cache and it stays small.
#[derive(Default)]
pub struct Trees<'r> {
    previous: HashMap<Oid, Tree<'r>, foldhash::fast::RandomState>,
    current: HashMap<Oid, Tree<'r>, foldhash::fast::RandomState>,
}

impl<'r> Trees<'r> {
    /// Returns the tree `id`, from the cache when this or the previous
    /// commit read it.
    pub fn get(&mut self, repo: &'r Repository, id: Oid) -> Result<Tree<'r>> {
        if let Some(t) = self.current.get(&id) {
            return Ok(t.clone());
        }
        let tree = match self.previous.remove(&id) {
            Some(t) => t,
            None => repo.find_tree(id)?,
        };
        self.current.insert(id, tree.clone());
        Ok(tree)
    }

    /// Starts the next commit: what this one read becomes "previous".
    pub fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }

    #[cfg(test)]
    pub fn holds(&self, id: Oid) -> bool {
        self.current.contains_key(&id)
    }
}

/// Returns the entry `name` of `tree`.
pub fn entry_of(tree: &Tree<'_>, name: &str) -> Option<Entry> {
    as_entry(&tree.get_name(name)?)
}

fn as_entry(e: &TreeEntry<'_>) -> Option<Entry> {
    match e.kind() {
        Some(ObjectType::Tree | ObjectType::Blob) => Some((e.id(), e.filemode())),
        // Submodules and anything else hold no records.
        _ => None,
    }
}

/// Returns the entry at `path` (`/`-separated) in `tree`.
pub fn entry_at(tree: &Tree<'_>, path: &str) -> Option<Entry> {
    as_entry(&tree.get_path(Path::new(path)).ok()?)
}

/// Git's order of tree entries: by name, a folder as if its name ended
/// in `/`.
fn git_order(a: &TreeEntry<'_>, b: &TreeEntry<'_>) -> Ordering {
    fn key<'a>(e: &'a TreeEntry<'_>) -> impl Iterator<Item = u8> + 'a {
        let slash = (e.kind() == Some(ObjectType::Tree)).then_some(b'/');
        e.name_bytes().iter().copied().chain(slash)
    }
    key(a).cmp(key(b))
}

/// Collects `(path, old, new)` for every file at or under `path` whose
/// entry (blob or mode) differs between `old` and `new`.
pub fn diff_entries<'r>(
    repo: &'r Repository,
    trees: &mut Trees<'r>,
    path: String,
    old: Option<Entry>,
    new: Option<Entry>,
    out: &mut Vec<Delta>,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    match (old, new) {
        (Some(o), Some(n)) if is_tree(o) && is_tree(n) => {
            let (o, n) = (trees.get(repo, o.0)?, trees.get(repo, n.0)?);
            // Both trees are sorted in git's order: walk them side by side
            // and descend only where the entries differ.
            let (mut olds, mut news) = (o.iter().peekable(), n.iter().peekable());
            loop {
                let order = match (olds.peek(), news.peek()) {
                    (None, None) => break,
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (Some(a), Some(b)) => git_order(a, b),
                };
                let (a, b) = match order {
                    Ordering::Less => (olds.next(), None),
                    Ordering::Greater => (None, news.next()),
                    Ordering::Equal => (olds.next(), news.next()),
                };
                let (ea, eb) = (a.as_ref().and_then(as_entry), b.as_ref().and_then(as_entry));
                if ea == eb {
                    continue;
                }
                let Some(named) = a.as_ref().or(b.as_ref()) else {
                    continue;
                };
                let name = String::from_utf8_lossy(named.name_bytes());
                diff_entries(repo, trees, format!("{path}/{name}"), ea, eb, out)?;
            }
        }
        (Some(o), Some(n)) if !is_tree(o) && !is_tree(n) => out.push((path, Some(o), Some(n))),
        // A file replaced by a folder or the other way round, or one side
        // missing: everything on the old side is gone and everything on the
        // new side is new.
        (old, new) => {
            if let Some(o) = old {
                files_of(repo, &path, o, &mut |p, e| out.push((p, Some(e), None)))?;
            }
            if let Some(n) = new {
                files_of(repo, &path, n, &mut |p, e| out.push((p, None, Some(e))))?;
            }
        }
    }
    Ok(())
}

/// Calls `f` with every file at or under `path`.
pub fn files_of(
    repo: &Repository,
    path: &str,
    entry: Entry,
    f: &mut dyn FnMut(String, Entry),
) -> Result<()> {
    if !is_tree(entry) {
        f(path.to_owned(), entry);
        return Ok(());
    }
    let tree = repo.find_tree(entry.0)?;
    for e in &tree {
        if let Some(child) = as_entry(&e) {
            let name = String::from_utf8_lossy(e.name_bytes());
            files_of(repo, &format!("{path}/{name}"), child, f)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a tree holding `files` (path, contents, mode) and returns its id.
    fn tree_of(repo: &Repository, files: &[(&str, &str, u32)]) -> Oid {
        let mut index = git2::Index::new().unwrap();
        for (path, text, mode) in files {
            let id = repo.blob(text.as_bytes()).unwrap();
            index
                .add(&git2::IndexEntry {
                    ctime: git2::IndexTime::new(0, 0),
                    mtime: git2::IndexTime::new(0, 0),
                    dev: 0,
                    ino: 0,
                    mode: *mode,
                    uid: 0,
                    gid: 0,
                    file_size: 0,
                    id,
                    flags: 0,
                    flags_extended: 0,
                    path: path.as_bytes().to_vec(),
                })
                .unwrap();
        }
        index.write_tree_to(repo).unwrap()
    }

    #[test]
    fn the_tree_diff_descends_only_where_trees_differ_and_sees_modes() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let old = tree_of(
            &repo,
            &[
                ("runs/a/x/1.ron", "one", 0o100_644),
                ("runs/a/x/2.ron", "two", 0o100_644),
                ("runs/a/x/3.ron", "three", 0o100_644),
                ("runs/b", "a file where a folder will be", 0o100_644),
                ("runs/c/y/3.ron", "three", 0o100_644),
                ("subjects.ron", "ignored", 0o100_644),
            ],
        );
        let new = tree_of(
            &repo,
            &[
                ("runs/a/x/1.ron", "one", 0o100_755),
                ("runs/a/x/2.ron", "TWO", 0o100_644),
                ("runs/a/x/2b.ron", "new", 0o100_644),
                ("runs/a/x/3.ron", "three", 0o120_000),
                ("runs/b/z/4.ron", "four", 0o100_644),
                ("runs/c/y/3.ron", "three", 0o100_644),
                ("subjects.ron", "changed, still ignored", 0o100_644),
            ],
        );
        let (old, new) = (repo.find_tree(old).unwrap(), repo.find_tree(new).unwrap());
        let mut trees = Trees::default();
        let mut out = Vec::new();
        diff_entries(
            &repo,
            &mut trees,
            "runs".into(),
            entry_of(&old, "runs"),
            entry_of(&new, "runs"),
            &mut out,
        )
        .unwrap();
        let shown: Vec<(String, Option<i32>, Option<i32>)> = out
            .into_iter()
            .map(|(p, o, n)| (p, o.map(|e| e.1), n.map(|e| e.1)))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "runs/a/x/1.ron".to_owned(),
                    Some(0o100_644),
                    Some(0o100_755)
                ),
                (
                    "runs/a/x/2.ron".to_owned(),
                    Some(0o100_644),
                    Some(0o100_644)
                ),
                ("runs/a/x/2b.ron".to_owned(), None, Some(0o100_644)),
                (
                    "runs/a/x/3.ron".to_owned(),
                    Some(0o100_644),
                    Some(0o120_000)
                ),
                ("runs/b".to_owned(), Some(0o100_644), None),
                ("runs/b/z/4.ron".to_owned(), None, Some(0o100_644)),
            ]
        );
        // `runs/c` is the same tree on both sides and was never read.
        let c = entry_of(&old, "runs")
            .and_then(|(id, _)| entry_of(&repo.find_tree(id).unwrap(), "c"))
            .unwrap();
        assert!(!trees.holds(c.0));
    }
}
