//! Writing a rendered report (`tenken report -o FILE`), and the rule that
//! confines it in restricted mode: only inside the repository's `reports/`
//! folder, with no `..` and no symbolic link leading out.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::{Store, write_atomic};
use crate::error::{Error, Result};
use crate::msg::files;

/// The folder restricted sessions may write reports into.
pub const REPORTS_DIR: &str = "reports";

impl Store {
    /// Writes `contents` to `path` atomically and returns the path written.
    ///
    /// Unconfined, `path` is used as given (relative to the current
    /// directory). Confined (restricted mode), a relative `path` is taken
    /// from the repository root and must lie inside `reports/`: `..` is
    /// refused, every folder on the way must be a real folder (not a
    /// symbolic link), missing folders under `reports/` are created, and an
    /// existing symbolic link is never written through.
    pub fn write_report(&self, path: &Path, contents: &[u8], confined: bool) -> Result<PathBuf> {
        let target = if confined {
            self.confined_report_path(path)?
        } else {
            path.to_owned()
        };
        if target.is_dir() {
            return Err(Error::user(files::report_is_folder(
                &target.display().to_string(),
            )));
        }
        write_atomic(&target, contents, 0o644)?;
        Ok(target)
    }

    /// Resolves `path` inside `reports/`, creating missing folders there.
    pub(super) fn confined_report_path(&self, path: &Path) -> Result<PathBuf> {
        let refuse = || {
            Error::user_hint(
                files::report_outside(REPORTS_DIR, &path.display().to_string()),
                files::report_outside_hint(REPORTS_DIR),
            )
        };
        let root = self
            .root
            .canonicalize()
            .map_err(|e| Error::io(&self.root, e))?;
        let relative: PathBuf = if path.is_absolute() {
            path.strip_prefix(&root)
                .or_else(|_| path.strip_prefix(&self.root))
                .map_err(|_| refuse())?
                .to_owned()
        } else {
            path.to_owned()
        };
        let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
        for component in relative.components() {
            match component {
                Component::Normal(part) => parts.push(part),
                Component::CurDir => {}
                Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                    return Err(refuse());
                }
            }
        }
        let (Some(first), Some((file, folders))) = (parts.first(), parts.split_last()) else {
            return Err(refuse());
        };
        if *first != REPORTS_DIR || parts.len() < 2 {
            return Err(refuse());
        }
        // Walk down from the root, one real folder at a time, so no
        // symbolic link can lead out (and nothing is created outside).
        let mut dir = root.clone();
        for part in folders {
            dir.push(part);
            match fs::symlink_metadata(&dir) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(Error::user(files::report_through_link(
                        &dir.display().to_string(),
                    )));
                }
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    return Err(Error::user(files::not_a_folder(&dir.display().to_string())));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
                }
                Err(e) => return Err(Error::io(&dir, e)),
            }
        }
        let target = dir.join(file);
        if let Ok(meta) = fs::symlink_metadata(&target)
            && meta.file_type().is_symlink()
        {
            return Err(Error::user(files::report_through_link(
                &target.display().to_string(),
            )));
        }
        // Belt and braces: the folder, resolved, is still under reports/.
        let reports = root.join(REPORTS_DIR);
        let resolved = dir.canonicalize().map_err(|e| Error::io(&dir, e))?;
        if !resolved.starts_with(&reports) {
            return Err(refuse());
        }
        Ok(target)
    }
}

/// The confinement rule against `..`, absolute paths, symbolic links out
/// and missing folders.
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use crate::store::testing::test_store;

    #[test]
    fn restricted_reports_stay_in_the_reports_folder() {
        let (_dir, store) = test_store();
        let root = store.root().canonicalize().unwrap();
        let written = store
            .write_report(Path::new("reports/q3/a.html"), b"x", true)
            .unwrap();
        assert_eq!(written, root.join("reports/q3/a.html"));
        assert_eq!(fs::read(&written).unwrap(), b"x");
        let absolute = root.join("reports/b.csv");
        store.write_report(&absolute, b"y", true).unwrap();
        for bad in [
            "a.html",
            "reports",
            "reports/../a.html",
            "reports/x/../../a.html",
            "tenken.ron",
            "/tmp/a.html",
        ] {
            let err = store.write_report(Path::new(bad), b"z", true).unwrap_err();
            assert!(err.to_string().contains("restricted mode"), "{bad}: {err}");
        }
        assert!(
            fs::read_to_string(root.join("tenken.ron"))
                .unwrap()
                .contains("Config")
        );
    }

    #[cfg(unix)]
    #[test]
    fn restricted_reports_never_follow_links_out() {
        let (_dir, store) = test_store();
        let outside = tempfile::tempdir().unwrap();
        let root = store.root().to_owned();
        fs::create_dir(root.join("reports")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("reports/out")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("f.html"), root.join("reports/f.html"))
            .unwrap();
        for bad in [
            "reports/out/a.html",
            "reports/out/new/a.html",
            "reports/f.html",
        ] {
            let err = store.write_report(Path::new(bad), b"z", true).unwrap_err();
            assert!(err.to_string().contains("symbolic link"), "{bad}: {err}");
        }
        assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
        // The whole reports folder as a link out is refused too.
        fs::remove_file(root.join("reports/out")).unwrap();
        fs::remove_file(root.join("reports/f.html")).unwrap();
        fs::remove_dir(root.join("reports")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("reports")).unwrap();
        let err = store
            .write_report(Path::new("reports/a.html"), b"z", true)
            .unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    }
}
