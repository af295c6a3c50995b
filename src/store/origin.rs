//! Where the current text of a repository file came from: a change in the
//! work tree that is not committed, or the commit that last changed it.
//! Named in the message about a broken `tenken.ron`, `subjects.ron`,
//! template or profile, so that the reader knows whose change to look at
//! and how to undo it. Reads git; writes nothing.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use git2::{ObjectType, Oid, Repository, Sort};

use super::{Store, git};
use crate::load::{self, Source};
use crate::msg::Message;
use crate::msg::load::store as words;

/// The most commits looked at before giving up on finding the change: a
/// broken file usually came with one of the latest commits.
const MAX_COMMITS: usize = 20_000;

/// Where a file's current text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The work tree's file differs from HEAD's, or HEAD has none.
    WorkTree,
    /// HEAD's file, as this commit last changed it.
    Commit(Change),
    /// Not known: no git, or the change lies further back than tenken looks.
    Unknown,
}

/// The commit that last changed a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The commit id, abbreviated.
    pub commit: String,
    /// The author's name.
    pub author: String,
    /// When it was authored.
    pub date: DateTime<FixedOffset>,
    /// The first line of the message.
    pub summary: String,
}

impl Origin {
    /// Returns the hint on how to undo the change, naming it, in both
    /// languages.
    pub fn hint(&self, rel: &Path) -> Message {
        let path = rel.display().to_string();
        match self {
            Self::WorkTree => words::origin_work_tree(&path),
            Self::Commit(c) => words::origin_commit(
                &path,
                &c.commit,
                &crate::escape::line(&c.author),
                &c.date.date_naive().to_string(),
                &crate::escape::line(&c.summary),
            ),
            Self::Unknown => words::origin_unknown(&path),
        }
    }
}

impl Store {
    /// Returns where the current text of `rel` (relative to the root) came
    /// from.
    pub fn origin(&self, rel: &Path) -> Origin {
        let Ok(repo) = git::open(&self.root) else {
            return Origin::Unknown;
        };
        let head = blob_at_head(&repo, rel);
        let work = load::read_bytes(Source::repo(&self.root, rel), load::MAX_FILE_BYTES)
            .ok()
            .and_then(|b| Oid::hash_object(ObjectType::Blob, &b).ok());
        match head {
            Some(h) if work == Some(h) => {
                last_change(&repo, rel, h).map_or(Origin::Unknown, Origin::Commit)
            }
            _ => Origin::WorkTree,
        }
    }
}

/// Returns the blob of `rel` in HEAD's tree.
fn blob_at_head(repo: &Repository, rel: &Path) -> Option<Oid> {
    let tree = repo.head().ok()?.peel_to_tree().ok()?;
    let entry = tree.get_path(rel).ok()?;
    (entry.kind() == Some(ObjectType::Blob)).then(|| entry.id())
}

/// Finds the newest commit whose tree has `blob` at `rel` while none of its
/// parents has: the one that made the file what it is.
fn last_change(repo: &Repository, rel: &Path, blob: Oid) -> Option<Change> {
    let mut walk = repo.revwalk().ok()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME).ok()?;
    walk.push_head().ok()?;
    let at = |c: &git2::Commit<'_>| {
        c.tree()
            .ok()
            .and_then(|t| t.get_path(rel).ok())
            .map(|e| e.id())
    };
    for oid in walk.take(MAX_COMMITS) {
        let commit = repo.find_commit(oid.ok()?).ok()?;
        if at(&commit) != Some(blob) {
            continue;
        }
        let inherited = commit.parents().any(|p| at(&p) == Some(blob));
        if inherited {
            continue;
        }
        let author = commit.author();
        let time = author.when();
        let offset = FixedOffset::east_opt(time.offset_minutes() * 60)?;
        return Some(Change {
            commit: git::short(commit.id()),
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            date: DateTime::from_timestamp(time.seconds(), 0)?.with_timezone(&offset),
            summary: commit
                .summary_bytes()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default(),
        });
    }
    None
}
