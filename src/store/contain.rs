//! Keeping writes inside the repository: before the store creates or writes
//! into a folder, every part of its path that already exists is checked, and
//! a symbolic link that leads out of the repository or into its `.git` is
//! refused. Paths are built only from `Id`s, so `..` and absolute paths
//! cannot occur; this closes the remaining ways out, a link planted inside
//! the repository (by hand, or by a commit from the shared remote).

use std::path::{Component, Path};

use crate::error::{Error, Result};
use crate::msg::files::{self, Leads};

/// Checks that writing into `dir` (absolute, under `root`) stays inside
/// `root`: every existing component of `dir` below `root` is a folder
/// within `root` once symbolic links are resolved. Components that do not
/// exist yet are fine: they will be created inside a checked folder.
///
/// A link that stays inside the repository, and out of `.git`, is allowed.
pub fn check_within(root: &Path, dir: &Path) -> Result<()> {
    let Ok(rel) = dir.strip_prefix(root) else {
        return Err(Error::Internal(format!(
            "{} is not inside the repository {}",
            dir.display(),
            root.display()
        )));
    };
    let real_root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let mut at = root.to_owned();
    for component in rel.components() {
        let Component::Normal(part) = component else {
            return Err(Error::Internal(format!(
                "{} is not a plain path inside the repository",
                dir.display()
            )));
        };
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            // Missing from here on: created later inside a checked folder.
            return Ok(());
        };
        if meta.file_type().is_symlink() {
            let target = at.canonicalize().ok();
            let leads = match &target {
                None => Some(Leads::Nowhere),
                Some(t) => match t.strip_prefix(&real_root) {
                    Err(_) => Some(Leads::Outside),
                    Ok(inside) if inside.starts_with(".git") => Some(Leads::Git),
                    Ok(_) => None,
                },
            };
            if let Some(leads) = leads {
                let shown = at.strip_prefix(root).unwrap_or(&at);
                let to = target.map(|t| t.display().to_string());
                return Err(Error::user_hint(
                    files::write_through_link(&shown.display().to_string(), leads, to.as_deref()),
                    files::WRITE_THROUGH_LINK_HINT,
                ));
            }
        }
    }
    Ok(())
}

/// Refuses `path` if it is a symbolic link: a file tenken opens for writing
/// in place (the lock) must be the repository's own.
pub fn check_not_link(root: &Path, path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let shown = path.strip_prefix(root).unwrap_or(path);
            Err(Error::user(files::open_link(&shown.display().to_string())))
        }
        _ => Ok(()),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_leading_out_are_refused_and_links_inside_allowed() {
        let root_dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = root_dir.path();
        std::fs::create_dir_all(root.join("runs/self")).unwrap();
        std::fs::create_dir_all(root.join("real")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("runs/evil")).unwrap();
        std::os::unix::fs::symlink(root.join("real"), root.join("runs/inside")).unwrap();
        std::os::unix::fs::symlink("/nonexistent/x", root.join("runs/dangling")).unwrap();
        std::fs::create_dir_all(root.join(".git/refs")).unwrap();
        std::os::unix::fs::symlink("../.git/refs", root.join("runs/evil-git")).unwrap();

        check_within(root, &root.join("runs/self/ipa")).unwrap();
        check_within(root, &root.join("new/folder")).unwrap();
        check_within(root, &root.join("runs/inside/x")).unwrap();
        let err = check_within(root, &root.join("runs/evil/ipa")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("refusing to write through runs/evil: it is a symbolic link leading outside the repository"),
            "{err}"
        );
        assert!(check_within(root, &root.join("runs/dangling")).is_err());
        let err = check_within(root, &root.join("runs/evil-git/ipa")).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "refusing to write through runs/evil-git: it is a symbolic link leading into the repository's .git folder"
            ),
            "{err}"
        );
        assert!(check_within(root, Path::new("/elsewhere")).is_err());

        std::os::unix::fs::symlink("/etc/passwd", root.join("lock")).unwrap();
        assert!(check_not_link(root, &root.join("lock")).is_err());
        check_not_link(root, &root.join("runs")).unwrap();
        check_not_link(root, &root.join("missing")).unwrap();
    }
}
