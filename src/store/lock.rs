//! The repository lock, `.tenken/lock`: an advisory whole-file lock (std
//! `File::lock`) that serialises commits from concurrent tenken processes.
//! Readers never take it; run files and drafts are written atomically, so a
//! reader sees a whole file or none.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long a process waits for the repository lock before giving up.
///
/// A commit takes well under a second, so waiting this long means another
/// process is stuck or several are queued behind a slow disk.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

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
        std::fs::create_dir_all(state_dir).map_err(|e| Error::io(state_dir, e))?;
        let path = state_dir.join(LOCK_FILE);
        // Opened for writing without truncation: the file's contents are
        // never used, only the lock on it.
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(2);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { file, path }),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::user_hint(
                    format!(
                        "another tenken process holds the repository lock {} (waited {} s)",
                        path.display(),
                        wait.as_secs()
                    ),
                    "try again when the other inspection has been committed",
                ));
            }
            std::thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    /// Returns the lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
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
    fn a_second_holder_waits_then_fails_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let held = RepoLock::acquire(dir.path(), LOCK_WAIT).unwrap();
        let err = RepoLock::acquire(dir.path(), Duration::from_millis(50)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("another tenken process holds the repository lock"),
            "{err}"
        );
        drop(held);
        let again = RepoLock::acquire(dir.path(), Duration::from_millis(50)).unwrap();
        assert!(again.path().ends_with("lock"));
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
