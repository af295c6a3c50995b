//! `tenken sync`: fetch the shared remote, integrate (fast-forward or a real
//! merge commit), push. Credentials come from ssh-agent or the key named in
//! `tenken.ron`; SSH host keys are checked against `~/.ssh/known_hosts`.
//!
//! Integration is all-or-nothing: the merge is computed in memory, the tree
//! to check out is inspected first (`intake`: nothing under `.tenken/`, no
//! link out of the repository or into `.git`), and the work tree is checked
//! out with libgit2's safe strategy, which refuses before writing anything.
//! A conflict or a refused entry therefore leaves HEAD, the index and the
//! work tree exactly as they were. The repository lock is held while the
//! branch moves, so no run commit can land in the middle.
//!
//! A sync killed at any point heals itself: the fetch and the push are
//! repeatable, and the checkout is recorded in a note (`pending::SyncNote`)
//! before it starts and removed once the branch has moved, so the next
//! tenken process finishes it (`checkout::finish_checkout`): the paths that differ
//! between the two commits are checked out again, whatever state the kill
//! left them in (a file that already matches the target is no local
//! change), and the branch is moved.

use std::cell::RefCell;
use std::fs::TryLockError;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::{
    AutotagOption, Commit, ErrorCode, FetchOptions, Oid, Repository, RepositoryState, Signature,
    Time,
};

use super::lock::{LOCK_WAIT, RepoLock, clear_stale_git_locks};
use super::pending::SyncNote;
use super::{Identity, Store, intake};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::msg::{Message, remote};

mod checkout;
mod net;

pub(super) use checkout::finish_checkout;
use checkout::{checkout, quote_list};
use net::{Net, push};

/// What `tenken sync` needs besides the repository.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// The git remote's name.
    pub remote: String,
    /// A private key to offer when no ssh-agent has one (from `tenken.ron`).
    pub ssh_key: Option<PathBuf>,
    /// Whether git's credential helpers may be asked for an HTTPS password.
    /// They are external programs, so restricted mode turns this off.
    pub credential_helpers: bool,
    /// The author of a merge commit: the inspector.
    pub identity: Identity,
    /// The source of the merge commit's time.
    pub clock: Clock,
}

/// Progress of a network transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncProgress {
    /// Objects received while fetching.
    Receiving {
        /// Objects received so far.
        received: usize,
        /// Objects in the pack.
        total: usize,
        /// Bytes received so far.
        bytes: usize,
    },
    /// Objects sent while pushing.
    Sending {
        /// Objects sent so far.
        sent: usize,
        /// Objects to send.
        total: usize,
        /// Bytes sent so far.
        bytes: usize,
    },
}

/// How the fetched branch was brought into the local one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Integration {
    /// The remote has no such branch yet; nothing to integrate.
    RemoteEmpty,
    /// The local branch already contains the remote one.
    UpToDate,
    /// The local branch moved forward to the remote one.
    FastForward {
        /// Commits gained.
        commits: usize,
    },
    /// Both sides had new commits; a merge commit joins them.
    Merged {
        /// The merge commit's id.
        commit: String,
        /// Commits brought in from the remote.
        incoming: usize,
    },
}

/// What `tenken sync` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// The remote's name.
    pub remote: String,
    /// The remote's URL.
    pub url: String,
    /// The branch synced.
    pub branch: String,
    /// How the remote's commits were integrated.
    pub integration: Integration,
    /// Commits pushed (0 when the remote already had everything).
    pub pushed: usize,
}

/// Syncs the repository at `root` with `opts.remote`.
pub fn sync(
    store: &Store,
    opts: &SyncOptions,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<SyncReport> {
    let state_dir = store.root().join(super::STATE_DIR);
    // Held for the whole sync; left marked only by a sync that was killed.
    let (marker, killed_at) = RepoLock::acquire_marker(&state_dir, SYNC_MARKER, REMOTE_LOCK_WAIT)?;
    let result = sync_marked(store, opts, progress, killed_at);
    marker.release_clean();
    result
}

/// The marker lock of a whole sync, in `.tenken/`.
const SYNC_MARKER: &str = "sync";

/// [`sync`] with the marker held; `killed_at` is when a killed previous
/// sync started, whose stale git locks are removed on the way.
fn sync_marked(
    store: &Store,
    opts: &SyncOptions,
    progress: &mut dyn FnMut(SyncProgress),
    killed_at: Option<std::time::SystemTime>,
) -> Result<SyncReport> {
    let root = store.root();
    let state_dir = root.join(super::STATE_DIR);
    let repo = super::git::open(root)?;
    let mut remote = find_remote(&repo, root, &opts.remote)?;
    let url = remote.url().unwrap_or_default().to_owned();
    let push_url = remote.pushurl().ok().flatten().unwrap_or(&url).to_owned();
    let branch = current_branch(&repo, root)?;
    let local_ref = format!("refs/heads/{branch}");
    let tracking = format!("refs/remotes/{}/{branch}", opts.remote);
    let progress = RefCell::new(progress);
    // Held from the fetch to the end of the push; see `RemoteLock`.
    let remote_lock = RemoteLock::for_url(&push_url)?;
    if let Some(since) = killed_at {
        // Only sync writes the tracking branch, and only a sync holding the
        // remote's lock writes a shared folder's branch.
        clear_stale_git_locks(repo.path(), &[format!("{tracking}.lock")], since);
        if let Some(lock) = &remote_lock {
            clear_stale_git_locks(&lock.git_dir, &[format!("{local_ref}.lock")], since);
        }
    }

    let net = Net::new(root, opts);
    let mut fetch = FetchOptions::new();
    fetch
        .remote_callbacks(net.callbacks(&url, &progress))
        .download_tags(AutotagOption::None);
    // Only the current branch: a shared inspection repository has one.
    let refspec = format!("+{local_ref}:{tracking}");
    remote
        .fetch(
            &[refspec.as_str()],
            Some(&mut fetch),
            Some("tenken sync: fetch"),
        )
        .map_err(|e| net.error(&e, remote::Transfer::Fetch, &opts.remote, &url))?;
    drop(fetch);
    let upstream = match repo.find_reference(&tracking) {
        Ok(r) => Some(r.peel_to_commit()?.id()),
        Err(e) if e.code() == ErrorCode::NotFound => None,
        Err(e) => return Err(e.into()),
    };

    let integration = {
        let _lock = RepoLock::acquire(&state_dir, LOCK_WAIT)?;
        // A checkout or commit a killed process left half done first.
        store.recover_locked(&repo)?;
        integrate(store, &repo, opts, &branch, upstream)?
    };

    let local = head_commit(&repo)?;
    let pushed = match (local, upstream) {
        (None, _) => 0,
        (Some(l), Some(u)) if l == u => 0,
        (Some(l), Some(u)) => repo.graph_ahead_behind(l, u)?.0,
        (Some(l), None) => count_commits(&repo, l)?,
    };
    if pushed > 0 {
        push(
            &repo,
            &mut remote,
            &net,
            &progress,
            opts,
            &push_url,
            &local_ref,
        )?;
    }
    Ok(SyncReport {
        remote: opts.remote.clone(),
        url,
        branch,
        integration,
        pushed,
    })
}

/// How long a sync waits for another tenken sync to the same local remote.
const REMOTE_LOCK_WAIT: Duration = Duration::from_secs(60);

/// A lock inside a remote repository on this machine (a plain path or a
/// `file://` URL), held for a whole sync.
///
/// libgit2's local transport moves the remote branch without checking that
/// it still points where it did when the push began (no compare-and-swap,
/// unlike `git receive-pack` behind ssh and https). Two tenken syncs pushing
/// to the same shared folder at once could therefore drop one side's
/// commits from the remote while both report success. Serialising syncs on
/// a lock file in the remote's git directory closes that window: the second
/// sync fetches what the first pushed and merges it.
struct RemoteLock {
    _file: std::fs::File,
    /// The remote's git folder.
    git_dir: PathBuf,
}

impl RemoteLock {
    fn for_url(url: &str) -> Result<Option<Self>> {
        let path = match url.strip_prefix("file://") {
            Some(p) => PathBuf::from(p),
            None if !url.contains("://") && Path::new(url).is_dir() => PathBuf::from(url),
            None => return Ok(None),
        };
        let Ok(remote) = Repository::open(&path) else {
            // Not a repository (yet): the fetch reports it.
            return Ok(None);
        };
        let lock = remote.path().join("tenken-sync.lock");
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock)
            .map_err(|e| Error::io(&lock, e))?;
        let deadline = Instant::now() + REMOTE_LOCK_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => {
                    return Ok(Some(Self {
                        _file: file,
                        git_dir: remote.path().to_owned(),
                    }));
                }
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::user_hint(
                        remote::remote_locked(
                            &path.display().to_string(),
                            &lock.display().to_string(),
                            REMOTE_LOCK_WAIT.as_secs(),
                        ),
                        remote::REMOTE_LOCKED_HINT,
                    ));
                }
                Err(TryLockError::Error(e)) => return Err(Error::io(&lock, e)),
            }
        }
    }
}

fn find_remote<'r>(repo: &'r Repository, root: &Path, name: &str) -> Result<git2::Remote<'r>> {
    match repo.find_remote(name) {
        Ok(r) if r.url().is_ok_and(|u| !u.is_empty()) => Ok(r),
        Ok(_) => Err(Error::user(remote::no_url(
            name,
            &root.display().to_string(),
        ))),
        Err(e) if matches!(e.code(), ErrorCode::NotFound | ErrorCode::InvalidSpec) => {
            let known: Vec<String> = repo
                .remotes()
                .map(|names| {
                    names
                        .iter()
                        .flatten()
                        .flatten()
                        .map(|n| format!("`{n}`"))
                        .collect()
                })
                .unwrap_or_default();
            let shown = root.display().to_string();
            let hint = if known.is_empty() {
                remote::add_remote_hint(name, &shown)
            } else {
                remote::choose_remote_hint(&known.join(", "))
            };
            Err(Error::user_hint(remote::no_remote(name, &shown), hint))
        }
        Err(e) => Err(e.into()),
    }
}

/// Returns the name of the checked-out branch (possibly unborn).
fn current_branch(repo: &Repository, root: &Path) -> Result<String> {
    if repo.head_detached()? {
        let shown = root.display().to_string();
        return Err(Error::user_hint(
            remote::detached(&shown),
            remote::switch_hint(&shown),
        ));
    }
    let head = repo.find_reference("HEAD")?;
    let target = head
        .symbolic_target()?
        .ok_or_else(|| Error::Internal("HEAD is neither detached nor symbolic".into()))?;
    target
        .strip_prefix("refs/heads/")
        .map(str::to_owned)
        .ok_or_else(|| Error::user(remote::not_a_branch(&crate::escape::line(target))))
}

fn head_commit(repo: &Repository) -> Result<Option<Oid>> {
    match repo.head() {
        Ok(h) => Ok(Some(h.peel_to_commit()?.id())),
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn count_commits(repo: &Repository, from: Oid) -> Result<usize> {
    let mut walk = repo.revwalk()?;
    walk.push(from)?;
    Ok(walk.count())
}

/// Brings `upstream` into the local branch; called with the lock held.
fn integrate(
    store: &Store,
    repo: &Repository,
    opts: &SyncOptions,
    branch: &str,
    upstream: Option<Oid>,
) -> Result<Integration> {
    let root = store.root();
    let Some(upstream) = upstream else {
        return Ok(Integration::RemoteEmpty);
    };
    if repo.state() != RepositoryState::Clean {
        return Err(Error::user_hint(
            remote::in_progress(&format!("{:?}", repo.state()), &root.display().to_string()),
            remote::IN_PROGRESS_HINT,
        ));
    }
    // Read HEAD again under the lock: a run may have been committed while
    // the fetch was running.
    let Some(local) = head_commit(repo)? else {
        let target = repo.find_commit(upstream)?;
        let mv = Move {
            branch,
            from: None,
            upstream,
        };
        move_to(
            store,
            repo,
            opts,
            &mv,
            &target,
            "tenken sync: initial fetch",
        )?;
        return Ok(Integration::FastForward {
            commits: count_commits(repo, upstream)?,
        });
    };
    if local == upstream || repo.graph_descendant_of(local, upstream)? {
        return Ok(Integration::UpToDate);
    }
    let (_, behind) = repo.graph_ahead_behind(local, upstream)?;
    let theirs = repo.find_commit(upstream)?;
    let mv = Move {
        branch,
        from: Some(local),
        upstream,
    };
    if repo.graph_descendant_of(upstream, local)? {
        let message = format!("tenken sync: fast-forward to {}/{branch}", opts.remote);
        move_to(store, repo, opts, &mv, &theirs, &message)?;
        return Ok(Integration::FastForward { commits: behind });
    }
    let ours = repo.find_commit(local)?;
    let mut index = repo.merge_commits(&ours, &theirs, None)?;
    if index.has_conflicts() {
        let mut paths: Vec<String> = index
            .conflicts()?
            .flatten()
            .filter_map(|c| c.our.or(c.their).or(c.ancestor))
            .map(|e| String::from_utf8_lossy(&e.path).into_owned())
            .collect();
        paths.sort();
        paths.dedup();
        let shown = root.display().to_string();
        return Err(Error::user_hint(
            remote::conflict(&quote_list(&paths), &opts.remote, &shown),
            remote::merge_hint(&shown, &opts.remote, branch),
        ));
    }
    let tree = repo.find_tree(index.write_tree_to(repo)?)?;
    let sig = signature(&opts.identity, opts.clock)?;
    let message = format!("sync: merge {}/{branch}\n", opts.remote);
    // The commit object first (no ref moves), then the work tree, then the
    // branch: a refused checkout leaves only an unreachable object behind.
    let signer = store.signing().signer(root, &opts.identity.email)?;
    let merge = super::git::create_commit(
        repo,
        &sig,
        &message,
        &tree,
        &[&ours, &theirs],
        signer.as_ref(),
    )?;
    let merged = repo.find_commit(merge)?;
    move_to(store, repo, opts, &mv, &merged, "tenken sync: merge")?;
    Ok(Integration::Merged {
        commit: merge.to_string(),
        incoming: behind,
    })
}

/// A move of the local branch by sync.
struct Move<'a> {
    /// The branch, without `refs/heads/`.
    branch: &'a str,
    /// Where it is now (`None`: unborn).
    from: Option<Oid>,
    /// The fetched commit being integrated (names the incoming commits).
    upstream: Oid,
}

/// Checks `target` out and moves the branch to it: the tree is inspected
/// first, then a note records the checkout, which the next process
/// finishes if this one is killed; the note goes once the branch has moved.
fn move_to(
    store: &Store,
    repo: &Repository,
    opts: &SyncOptions,
    mv: &Move<'_>,
    target: &Commit<'_>,
    reflog: &str,
) -> Result<()> {
    let root = store.root();
    let old_tree = mv.from.map(|f| repo.find_commit(f)?.tree()).transpose()?;
    let found = intake::hazards(repo, old_tree.as_ref(), &target.tree()?)?;
    if !found.is_empty() {
        return Err(refused(repo, root, opts, mv, &found));
    }
    let note = SyncNote {
        format: crate::model::FORMAT,
        branch: mv.branch.to_owned(),
        from: mv.from.map(|o| o.to_string()),
        target: target.id().to_string(),
    };
    store.write_sync_note(&note)?;
    if let Err(e) = checkout(repo, root, target, opts) {
        // The safe strategy refuses before writing anything.
        let _ = store.remove_sync_note();
        return Err(e);
    }
    repo.reference(
        &format!("refs/heads/{}", mv.branch),
        target.id(),
        true,
        reflog,
    )?;
    store.remove_sync_note()
}

/// The error for entries the incoming tree may not bring, naming the
/// incoming commit that first has each.
fn refused(
    repo: &Repository,
    root: &Path,
    opts: &SyncOptions,
    mv: &Move<'_>,
    found: &[intake::Hazard],
) -> Error {
    let first_with = |path: &str| -> Option<String> {
        let mut walk = repo.revwalk().ok()?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
            .ok()?;
        walk.push(mv.upstream).ok()?;
        if let Some(from) = mv.from {
            walk.hide(from).ok()?;
        }
        walk.flatten().find_map(|oid| {
            let tree = repo.find_commit(oid).ok()?.tree().ok()?;
            tree.get_path(Path::new(path))
                .is_ok()
                .then(|| super::git::short(oid))
        })
    };
    let lines: Vec<Message> = found
        .iter()
        .take(5)
        .map(|h| {
            let commit = first_with(&h.path);
            remote::brings(commit.as_deref(), &crate::escape::line(&h.path), &h.why)
        })
        .collect();
    Error::user_hint(
        remote::hazards(
            &opts.remote,
            &root.display().to_string(),
            &lines,
            found.len().saturating_sub(5),
        ),
        remote::HAZARDS_HINT,
    )
}

fn signature(who: &Identity, clock: Clock) -> Result<Signature<'static>> {
    let now = clock.now();
    let time = Time::new(now.timestamp(), now.offset().local_minus_utc() / 60);
    Ok(Signature::new(&who.name, &who.email, &time)?)
}
