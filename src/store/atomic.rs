//! Atomic file writes: a temporary file in the same directory, fsync,
//! rename over the target, then fsync of the directory. A crash leaves
//! either the old file or the new one, never half of one.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Distinguishes temporary files of concurrent writes within one process.
static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `contents` to `path` atomically with the given Unix `mode`.
pub fn write_atomic(path: &Path, contents: &[u8], mode: u32) -> Result<()> {
    let tmp = write_temp(path, contents, mode)?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(path, e)
    })?;
    sync_dir(path);
    Ok(())
}

/// Writes `contents` to `path` atomically, but only if `path` does not
/// exist yet; returns `false` (and writes nothing) when it does.
///
/// The file is linked into place with `link(2)`, which fails instead of
/// replacing an existing file, so even a writer that ignores the
/// repository lock can never overwrite it. Where hard links are not
/// supported the check falls back to "exists, then rename".
pub fn write_new_atomic(path: &Path, contents: &[u8], mode: u32) -> Result<bool> {
    let tmp = write_temp(path, contents, mode)?;
    let placed = match fs::hard_link(&tmp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(_) if path.exists() => Ok(false),
        Err(_) => fs::rename(&tmp, path).map(|()| true),
    };
    let _ = fs::remove_file(&tmp);
    let placed = placed.map_err(|e| Error::io(path, e))?;
    if placed {
        sync_dir(path);
    }
    Ok(placed)
}

/// Removes `path` and makes the removal durable; a missing file is fine.
pub fn remove_durable(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {
            sync_dir(path);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Temporary files of a writer killed long ago are removed after this long
/// (a live writer holds its file for well under a second).
const STALE_TEMP_SECS: u64 = 600;

/// Removes the temporary files beside `path` (as [`write_atomic`] names
/// them) that writers killed long ago left behind. Failing is not an
/// error: a leftover costs only disk.
pub fn remove_stale_temps(path: &Path) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent(path)) else {
        return;
    };
    let prefix = format!(".{name}.tmp-");
    for e in entries.filter_map(std::result::Result::ok) {
        if !e.file_name().to_string_lossy().starts_with(&prefix) {
            continue;
        }
        let stale = e
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > STALE_TEMP_SECS);
        if stale {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Writes a fully synced temporary file beside `path` and returns its path.
fn write_temp(path: &Path, contents: &[u8], mode: u32) -> Result<PathBuf> {
    let dir = parent(path);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        TMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| -> std::io::Result<()> {
        let mut options = OpenOptions::new();
        // `create_new`: a stale temporary file left by a crashed process
        // with the same pid must not lend its permissions to this one.
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode);
        }
        #[cfg(not(unix))]
        let _ = mode;
        let mut file = match options.open(&tmp) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                fs::remove_file(&tmp)?;
                options.open(&tmp)?
            }
            other => other?,
        };
        file.write_all(contents)?;
        file.sync_all()
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(Error::io(path, e))
        }
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Makes a rename, link or removal in `path`'s directory durable.
fn sync_dir(path: &Path) {
    // Best effort: some filesystems refuse to fsync a directory, and the
    // file itself is already complete on disk.
    if let Ok(d) = File::open(parent(path)) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn only_old_temporary_files_of_the_same_file_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.idx");
        let old =
            std::time::SystemTime::now() - std::time::Duration::from_secs(STALE_TEMP_SECS + 60);
        let make = |name: &str, aged: bool| {
            let file = fs::File::create(dir.path().join(name)).unwrap();
            if aged {
                file.set_modified(old).unwrap();
            }
        };
        make(".runs.idx.tmp-41-0", true);
        make(".runs.idx.tmp-42-0", false);
        make(".other.tmp-41-0", true);
        make("runs.idx", true);
        remove_stale_temps(&path);
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".other.tmp-41-0", ".runs.idx.tmp-42-0", "runs.idx"]);
    }

    #[test]
    fn replaces_contents_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        write_atomic(&path, b"one", 0o600).unwrap();
        write_atomic(&path, b"two", 0o600).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn write_new_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.ron");
        assert!(write_new_atomic(&path, b"first", 0o644).unwrap());
        assert!(!write_new_atomic(&path, b"second", 0o644).unwrap());
        assert_eq!(fs::read_to_string(&path).unwrap(), "first");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        remove_durable(&path).unwrap();
        remove_durable(&path).unwrap();
        assert!(!path.exists());
    }
}
