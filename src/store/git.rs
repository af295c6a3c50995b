//! Every use of git2: creating the repository, committing exactly the files
//! a change wrote, and reading old template versions.

use std::path::{Path, PathBuf};

use git2::{Repository, Signature, Time};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::{Id, Inspection, Inspector};

/// The author of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The author name.
    pub name: String,
    /// The author e-mail.
    pub email: String,
}

impl Identity {
    /// Builds the identity of an inspector, falling back to the id for a
    /// missing name or e-mail.
    pub fn from_inspector(i: &Inspector) -> Self {
        let name = if i.name.trim().is_empty() {
            i.id.to_string()
        } else {
            i.name.clone()
        };
        let email = if i.email.trim().is_empty() {
            format!("{}@tenken.invalid", i.id)
        } else {
            i.email.clone()
        };
        Self { name, email }
    }

    /// Reads `user.name` and `user.email` from the git configuration.
    pub fn from_git_config(dir: Option<&Path>) -> Option<Self> {
        let config = dir
            .and_then(|d| Repository::discover(d).ok())
            .and_then(|r| r.config().ok())
            .or_else(|| git2::Config::open_default().ok())?;
        let name = config.get_string("user.name").ok()?;
        let email = config.get_string("user.email").unwrap_or_default();
        Some(Self { name, email })
    }

    fn signature(&self, clock: Clock) -> Result<Signature<'static>> {
        let now = clock.now();
        let time = Time::new(now.timestamp(), now.offset().local_minus_utc() / 60);
        Ok(Signature::new(&self.name, &self.email, &time)?)
    }
}

/// Runs `git init` in `dir` and commits `paths` as the first commit.
pub fn init_and_commit(
    dir: &Path,
    paths: &[PathBuf],
    who: &Identity,
    message: &str,
    clock: Clock,
) -> Result<()> {
    let repo = match Repository::open(dir) {
        Ok(r) => r,
        Err(_) => {
            let mut opts = git2::RepositoryInitOptions::new();
            opts.initial_head("main");
            Repository::init_opts(dir, &opts)?
        }
    };
    commit_paths(&repo, paths, who, message, clock)?;
    Ok(())
}

/// Stages exactly `paths` (relative to the work tree) and commits them on
/// top of HEAD, leaving every other change in the index and work tree alone.
pub fn commit_paths(
    repo: &Repository,
    paths: &[PathBuf],
    who: &Identity,
    message: &str,
    clock: Clock,
) -> Result<git2::Oid> {
    let sig = who.signature(clock)?;
    let parent = match repo.head() {
        Ok(head) => Some(head.peel_to_commit()?),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            None
        }
        Err(e) => return Err(e.into()),
    };
    // Build the tree from HEAD's tree plus only these files, so that other
    // staged changes never slip into the commit.
    let mut index = git2::Index::new()?;
    if let Some(p) = &parent {
        index.read_tree(&p.tree()?)?;
    }
    let workdir = repo
        .workdir()
        .ok_or_else(|| Error::user("the repository has no work tree"))?;
    for rel in paths {
        let full = workdir.join(rel);
        let data = std::fs::read(&full).map_err(|e| Error::io(&full, e))?;
        let oid = repo.blob(&data)?;
        let mut entry = index_entry(rel, oid, data.len())?;
        entry.mode = 0o100_644;
        index.add(&entry)?;
    }
    let tree_id = index.write_tree_to(repo)?;
    let tree = repo.find_tree(tree_id)?;
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let oid = repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)?;
    // Keep the real index in step for the committed paths only.
    let mut real = repo.index()?;
    for rel in paths {
        real.add_path(rel)?;
    }
    real.write()?;
    Ok(oid)
}

fn index_entry(rel: &Path, oid: git2::Oid, len: usize) -> Result<git2::IndexEntry> {
    let path = rel
        .to_str()
        .ok_or_else(|| Error::Internal(format!("path {} is not UTF-8", rel.display())))?
        .replace('\\', "/");
    Ok(git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o100_644,
        uid: 0,
        gid: 0,
        file_size: u32::try_from(len).unwrap_or(u32::MAX),
        id: oid,
        flags: 0,
        flags_extended: 0,
        path: path.into_bytes(),
    })
}

/// Returns version `version` of template `id` from the newest commit whose
/// `inspections/<id>.ron` has that version.
pub fn template_at_version(root: &Path, id: &Id, version: u32) -> Option<Inspection> {
    let repo = Repository::open(root).ok()?;
    let mut walk = repo.revwalk().ok()?;
    walk.push_head().ok()?;
    let rel = format!("inspections/{id}.ron");
    for oid in walk.flatten() {
        let commit = repo.find_commit(oid).ok()?;
        let Ok(entry) = commit.tree().ok()?.get_path(Path::new(&rel)) else {
            continue;
        };
        let blob = repo.find_blob(entry.id()).ok()?;
        let src = std::str::from_utf8(blob.content()).ok()?;
        if let Ok(t) = crate::load::parse::<Inspection>(Path::new(&rel), src) {
            if t.version == version {
                return Some(t);
            }
        }
    }
    None
}
