//! The repository lock, `.tenken/lock`: an advisory whole-file lock (std
//! `File::lock`) that serialises commits from concurrent tenken processes.
//! Readers never take it; run files and drafts are written atomically, so a
//! reader sees a whole file or none.
//!
//! Also the marker lock of a whole `tenken sync` (`.tenken/sync`), whose
//! holder record is cleared when a sync ends, so the next one can tell that
//! its predecessor was killed; and the removal of git's own lock files that
//! such a killed process left behind (git never removes them by itself).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

/// How long a process waits for the repository lock before giving up.
///
/// A commit takes well under a second, so waiting this long means another
/// process is stuck or several are queued behind a slow disk; the error
/// then names the process holding the lock.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// The name of the lock file inside `.tenken/`.
pub const LOCK_FILE: &str = "lock";

/// The held repository lock; dropping it releases the lock.
#[derive(Debug)]
pub struct RepoLock {
    file: File,
    path: PathBuf,
}

impl RepoLock {
    /// Takes the lock in `state_dir` (`.tenken/`), retrying until `wait`
    /// has passed.
    pub fn acquire(state_dir: &Path, wait: Duration) -> Result<Self> {
        let (file, path) = open_lock_file(state_dir, LOCK_FILE)?;
        let mut lock = Self::wait_for(file, path, wait)?;
        note_holder(&mut lock.file);
        Ok(lock)
    }

    /// Locks `file` (at `path`), waiting at most `wait`.
    fn wait_for(file: File, path: PathBuf, wait: Duration) -> Result<Self> {
        match file.try_lock() {
            Ok(()) => {
                return Ok(Self { file, path });
            }
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        // Wait in the kernel's queue instead of polling: a waiter is woken
        // the moment the lock is released, so a stream of newcomers cannot
        // starve it. The wait runs on a helper thread through a duplicate
        // of the descriptor (same open file, so the same lock); if we stop
        // waiting, the helper releases the lock as soon as it gets it.
        let waiter = file.try_clone().map_err(|e| Error::io(&path, e))?;
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("tenken-lock".into())
            .spawn(move || {
                let got = waiter.lock();
                let locked = got.is_ok();
                if tx.send(got).is_err() && locked {
                    let _ = waiter.unlock();
                }
            })
            .map_err(|e| Error::io(&path, e))?;
        match rx.recv_timeout(wait) {
            Ok(Ok(())) => Ok(Self { file, path }),
            Ok(Err(e)) => Err(Error::io(&path, e)),
            Err(_) => {
                let pid = crate::load::read(crate::load::Source::given(&path))
                    .ok()
                    .and_then(|s| s.trim().parse::<u32>().ok());
                Err(Error::user_hint(
                    crate::msg::repo::repo_locked(
                        pid,
                        &path.display().to_string(),
                        wait.as_secs_f32(),
                    ),
                    crate::msg::repo::REPO_LOCKED_HINT,
                ))
            }
        }
    }

    /// Takes the marker lock `name` in `state_dir` and returns it with the
    /// time the previous holder took it, if that holder never released it
    /// cleanly (it was killed); see [`RepoLock::release_clean`].
    pub fn acquire_marker(
        state_dir: &Path,
        name: &str,
        wait: Duration,
    ) -> Result<(Self, Option<SystemTime>)> {
        let (file, path) = open_lock_file(state_dir, name)?;
        let mut lock = Self::wait_for(file, path, wait)?;
        let meta = lock.file.metadata().map_err(|e| Error::io(&lock.path, e))?;
        let unfinished = (meta.len() > 0).then(|| meta.modified().ok()).flatten();
        note_holder(&mut lock.file);
        Ok((lock, unfinished))
    }

    /// Clears the holder record, then releases the lock: the mark of a
    /// marker lock whose work finished.
    pub fn release_clean(self) {
        let _ = self.file.set_len(0);
    }

    /// Returns the lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Removes those of git's lock files `names` (relative to `git_dir`) that
/// were created at or after `since`, when a tenken process that started
/// then was killed: such a file blocks every later git write, and git never
/// removes one by itself. Returns the files removed.
///
/// Call it only while holding the tenken lock that the killed process held
/// when it made them, so that no live tenken process can own them.
pub fn clear_stale_git_locks(git_dir: &Path, names: &[String], since: SystemTime) -> Vec<PathBuf> {
    // File times may be coarser than the clock: allow two seconds.
    let since = since
        .checked_sub(Duration::from_secs(2))
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let mut removed = Vec::new();
    for name in names {
        let path = git_dir.join(name);
        let made = std::fs::symlink_metadata(&path).and_then(|m| m.modified());
        if made.is_ok_and(|t| t >= since) && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// Opens (creating it and `state_dir` if needed) the lock file `name` in
/// `state_dir`, which must lie within the repository and must not be a
/// link to a file elsewhere, since it is opened in place. Opened for
/// writing without truncation: only the holder rewrites the contents (its
/// process id, for the message of a waiter).
fn open_lock_file(state_dir: &Path, name: &str) -> Result<(File, PathBuf)> {
    let root = state_dir.parent().unwrap_or(state_dir);
    super::contain::check_within(root, state_dir)?;
    std::fs::create_dir_all(state_dir).map_err(|e| Error::io(state_dir, e))?;
    let path = state_dir.join(name);
    super::contain::check_not_link(root, &path)?;
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    Ok((file, path))
}

/// Writes this process's id into the held lock file, best effort: it only
/// makes a waiter's message more useful.
fn note_holder(file: &mut File) {
    use std::io::{Seek, Write};
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "{}", std::process::id());
}

impl Drop for RepoLock {
    fn drop(&mut self) {
        // Closing the file would release the lock too; unlocking first makes
        // the release independent of when the descriptor is closed.
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // Watches descriptors through /proc.
    #[cfg(target_os = "linux")]
    fn a_second_holder_waits_then_fails_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let held = RepoLock::acquire(dir.path(), LOCK_WAIT).unwrap();
        let err = RepoLock::acquire(dir.path(), Duration::from_millis(50)).unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "another tenken process (pid {}) holds the repository lock",
                std::process::id()
            )),
            "{err}"
        );
        drop(held);
        // The abandoned waiter gets the lock next and must let it go.
        let again = RepoLock::acquire(dir.path(), LOCK_WAIT).unwrap();
        assert!(again.path().ends_with("lock"));
        let path = again.path().canonicalize().unwrap();
        drop(again);
        // Its thread has ended once no descriptor of ours points at the
        // file any more (issue 16: a fixed sleep here raced on a loaded
        // machine); the lock is then free at once.
        wait_until_closed(&path);
        let file = std::fs::File::open(&path).unwrap();
        file.try_lock().unwrap();
    }

    /// Waits until no open descriptor of this process refers to `path`,
    /// failing after [`LOCK_WAIT`].
    #[cfg(target_os = "linux")]
    fn wait_until_closed(path: &Path) {
        let deadline = std::time::Instant::now() + LOCK_WAIT;
        let is_open = || {
            std::fs::read_dir("/proc/self/fd")
                .unwrap()
                .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
                .any(|target| target == path)
        };
        while is_open() {
            assert!(
                std::time::Instant::now() < deadline,
                "the abandoned waiter still holds {}",
                path.display()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn waiters_are_served_without_starving() {
        // Eight threads take the lock twenty times each, holding it
        // briefly: every one of them must get through in time.
        let dir = tempfile::tempdir().unwrap();
        let workers: Vec<_> = (0..8)
            .map(|_| {
                let path = dir.path().to_owned();
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        let held = RepoLock::acquire(&path, LOCK_WAIT).unwrap();
                        std::thread::sleep(Duration::from_millis(2));
                        drop(held);
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
    }

    #[test]
    fn a_waiter_gets_the_lock_once_it_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let held = RepoLock::acquire(dir.path(), LOCK_WAIT).unwrap();
        let path = dir.path().to_owned();
        let waiter = std::thread::spawn(move || RepoLock::acquire(&path, LOCK_WAIT).is_ok());
        std::thread::sleep(Duration::from_millis(100));
        drop(held);
        assert!(waiter.join().unwrap());
    }
}
