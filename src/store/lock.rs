//! The repository lock, `.tenken/lock`: an advisory whole-file lock (std
//! `File::lock`) that serialises commits from concurrent tenken processes.
//! Readers never take it; run files and drafts are written atomically, so a
//! reader sees a whole file or none.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

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
        let root = state_dir.parent().unwrap_or(state_dir);
        super::contain::check_within(root, state_dir)?;
        std::fs::create_dir_all(state_dir).map_err(|e| Error::io(state_dir, e))?;
        let path = state_dir.join(LOCK_FILE);
        // Opened in place, so it must not be a link to a file elsewhere.
        super::contain::check_not_link(root, &path)?;
        // Opened for writing without truncation: only the holder rewrites
        // the contents (its process id, for the message of a waiter).
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {
                note_holder(&mut file);
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
            Ok(Ok(())) => {
                note_holder(&mut file);
                Ok(Self { file, path })
            }
            Ok(Err(e)) => Err(Error::io(&path, e)),
            Err(_) => {
                let holder = crate::load::read(crate::load::Source::given(&path))
                    .ok()
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .map_or_else(
                        || "another tenken process".to_owned(),
                        |pid| format!("another tenken process (pid {pid})"),
                    );
                Err(Error::user_hint(
                    format!(
                        "{holder} holds the repository lock {} (waited {} s)",
                        path.display(),
                        wait.as_secs_f32()
                    ),
                    "try again when the other inspection has been committed",
                ))
            }
        }
    }

    /// Returns the lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
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
