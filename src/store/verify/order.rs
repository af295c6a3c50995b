//! The order in which `verify` walks the history: parents before children
//! (libgit2's topological order, reversed), each commit read once where
//! the history is a single line.
//!
//! libgit2's revwalk reads every commit to sort them before it gives the
//! first (it cannot use the commit-graph file git writes today: it refuses
//! its generation-data chunk), and the walk then read each one again. A
//! history without merges has only one order, so the commits read while
//! following the parents from HEAD are kept and walked from the oldest;
//! from the newest merge down, the revwalk orders the rest. Any order
//! parents-first puts every ancestor of that merge before it and the line
//! above it after it, and libgit2's order from the merge is its order from
//! HEAD past that line: its topological sort takes the line's commits one
//! at a time, with nothing else queued, until it reaches the merge
//! (`the_order_is_libgit2s` checks it on a history with merges).
//!
//! At most [`KEEP`] commits are kept (the oldest of the line, walked
//! first); the others are read again when their turn comes, as before, so
//! that a long history does not hold every commit in memory.

use git2::{Commit, Oid, Repository, Revwalk, Sort};

use crate::error::Result;

/// The most commits kept from reading the line (about 0.5 KiB each).
const KEEP: usize = 16_384;

/// A commit of the line: kept, or to be read again.
enum Kept<'r> {
    Read(Commit<'r>),
    Id(Oid),
}

/// The commits reachable from HEAD, parents first.
pub struct Commits<'r> {
    repo: &'r Repository,
    /// The newest merge and its ancestors, in libgit2's order.
    merged: Option<Revwalk<'r>>,
    /// The commits above the newest merge (all of them when there is
    /// none), newest first.
    line: Vec<Kept<'r>>,
}

impl<'r> Commits<'r> {
    /// Starts from HEAD, reading the commits down to the newest merge.
    pub fn from_head(repo: &'r Repository) -> Result<Self> {
        Self::keeping(repo, KEEP)
    }

    /// [`Commits::from_head`], keeping at most `keep` commits read.
    fn keeping(repo: &'r Repository, keep: usize) -> Result<Self> {
        let mut line = Vec::new();
        // The first commit of `line` still kept.
        let mut first_kept = 0;
        let mut merged = None;
        let mut next = Some(repo.head()?.peel_to_commit()?);
        while let Some(commit) = next.take() {
            if line.len() - first_kept >= keep
                && let Some(newer) = line.get_mut(first_kept)
            {
                if let Kept::Read(c) = newer {
                    *newer = Kept::Id(c.id());
                }
                first_kept += 1;
            }
            match commit.parent_count() {
                0 => line.push(Kept::Read(commit)),
                1 => {
                    next = Some(repo.find_commit(commit.parent_id(0)?)?);
                    line.push(Kept::Read(commit));
                }
                _ => {
                    let mut walk = repo.revwalk()?;
                    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
                    walk.push(commit.id())?;
                    merged = Some(walk);
                }
            }
        }
        Ok(Self { repo, merged, line })
    }
}

impl<'r> Iterator for Commits<'r> {
    type Item = Result<Commit<'r>>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(walk) = &mut self.merged {
            match walk.next() {
                Some(id) => {
                    return Some(
                        id.and_then(|id| self.repo.find_commit(id))
                            .map_err(Into::into),
                    );
                }
                None => self.merged = None,
            }
        }
        Some(match self.line.pop()? {
            Kept::Read(commit) => Ok(commit),
            Kept::Id(id) => self.repo.find_commit(id).map_err(Into::into),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::{Signature, Time};

    /// Commits an empty tree on `parents` at `seconds`; returns its id.
    fn commit(repo: &Repository, parents: &[Oid], seconds: i64, name: &str) -> Oid {
        let tree = repo
            .find_tree(repo.treebuilder(None).unwrap().write().unwrap())
            .unwrap();
        let who = Signature::new("t", "t@example.jp", &Time::new(seconds, 0)).unwrap();
        let parents: Vec<Commit<'_>> = parents
            .iter()
            .map(|p| repo.find_commit(*p).unwrap())
            .collect();
        let parents: Vec<&Commit<'_>> = parents.iter().collect();
        repo.commit(None, &who, &who, name, &tree, &parents)
            .unwrap()
    }

    fn libgit2_order(repo: &Repository) -> Vec<Oid> {
        let mut walk = repo.revwalk().unwrap();
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE).unwrap();
        walk.push_head().unwrap();
        walk.map(Result::unwrap).collect()
    }

    /// The order of [`Commits`], checked to be the same whether all, two
    /// or no commits are kept.
    fn our_order(repo: &Repository) -> Vec<Oid> {
        let order = |keep| -> Vec<Oid> {
            Commits::keeping(repo, keep)
                .unwrap()
                .map(|c| c.unwrap().id())
                .collect()
        };
        let all = order(usize::MAX);
        assert_eq!(order(2), all);
        assert_eq!(order(0), all);
        all
    }

    #[test]
    fn the_order_is_libgit2s() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let set_head = |id: Oid| {
            repo.reference("refs/heads/main", id, true, "test").unwrap();
            repo.set_head("refs/heads/main").unwrap();
        };
        // A line: one order only.
        let root = commit(&repo, &[], 100, "root");
        let mut line = root;
        for n in 0..5 {
            line = commit(&repo, &[line], 200 + n, "line");
        }
        set_head(line);
        assert_eq!(our_order(&repo), libgit2_order(&repo));
        assert_eq!(our_order(&repo).len(), 6);
        // Branches with clock skew, merged twice (one merge of three
        // parents), then a line above the newest merge.
        let a1 = commit(&repo, &[line], 900, "a1");
        let b1 = commit(&repo, &[line], 300, "b1");
        let a2 = commit(&repo, &[a1], 310, "a2");
        let b2 = commit(&repo, &[b1], 950, "b2");
        let c1 = commit(&repo, &[root], 50, "c1");
        let m1 = commit(&repo, &[a2, b2, c1], 400, "m1");
        let d1 = commit(&repo, &[b2], 990, "d1");
        let m2 = commit(&repo, &[d1, m1], 500, "m2");
        let mut top = m2;
        for n in 0..4 {
            top = commit(&repo, &[top], 600 - n, "top");
        }
        set_head(top);
        let ours = our_order(&repo);
        assert_eq!(ours, libgit2_order(&repo));
        assert_eq!(ours.len(), 6 + 8 + 4);
        // HEAD on a merge itself, and on the root.
        set_head(m2);
        assert_eq!(our_order(&repo), libgit2_order(&repo));
        set_head(root);
        assert_eq!(our_order(&repo), [root]);
    }
}
