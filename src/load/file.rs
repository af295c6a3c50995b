//! Reading one file, safely: the only way tenken reads a file's contents.
//!
//! A repository is shared through git, so anything in it may have been put
//! there by someone else's commit: a symbolic link to `/dev/zero`, to
//! `/etc/passwd` or into `.git`, a FIFO, a huge file. Every read therefore
//!
//! - resolves the path and refuses one that leads out of the repository or
//!   into its `.git` (files named on the command line may be anywhere, but
//!   must be regular files like every other),
//! - opens without blocking (`O_NONBLOCK`: a FIFO with no writer cannot
//!   hang the open) and without following a last-component link,
//! - checks on the opened handle that it is a regular file, so a device,
//!   FIFO, socket or folder gives `path: not a regular file` at once,
//! - and reads at most the limit plus one byte, so a file that grows while
//!   it is read, or lies about its size, gives `path: too large`.
//!
//! Error messages name the path and never quote the contents of a file
//! outside the repository.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use super::{Locator, MAX_FILE_BYTES};
use crate::error::Diagnostic;
use crate::msg::Message;
use crate::msg::load::file as words;

/// Where a file to read comes from, which decides where it may lie.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A file of the repository at `root`, named by `rel` (relative, no
    /// `..`): it may not lead out of `root` or into `root/.git`.
    Repo {
        /// The repository's root folder.
        root: &'a Path,
        /// The file, relative to `root`; also what messages show.
        rel: &'a Path,
    },
    /// A file named on the command line (or a user's own file such as
    /// `~/.ssh/known_hosts`): anywhere, shown as given.
    Given(&'a Path),
}

impl<'a> Source<'a> {
    /// A file of the repository at `root`.
    pub fn repo(root: &'a Path, rel: &'a Path) -> Self {
        Self::Repo { root, rel }
    }

    /// A file named on the command line.
    pub fn given(path: &'a Path) -> Self {
        Self::Given(path)
    }

    /// The path messages show.
    pub fn shown(&self) -> &'a Path {
        match *self {
            Self::Repo { rel, .. } => rel,
            Self::Given(path) => path,
        }
    }
}

/// A problem with the file as a whole: `path: message`.
fn whole(shown: &Path, message: Message) -> Diagnostic {
    Diagnostic {
        path: shown.to_owned(),
        line: 0,
        col: 0,
        message,
    }
}

/// Reads a text file of at most [`MAX_FILE_BYTES`], which must be UTF-8.
pub fn read(source: Source<'_>) -> Result<String, Diagnostic> {
    let bytes = read_bytes(source, MAX_FILE_BYTES)?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, col) = Locator::new(&String::from_utf8_lossy(
            &e.as_bytes()[..e.utf8_error().valid_up_to()],
        ))
        .end();
        Diagnostic {
            path: source.shown().to_owned(),
            line,
            col,
            message: words::not_utf8(),
        }
    })
}

/// Reads a file of at most `limit` bytes (see the module's rules).
pub fn read_bytes(source: Source<'_>, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let shown = source.shown();
    let path = match source {
        Source::Repo { root, rel } => resolve_within(root, rel)?,
        Source::Given(path) => path.to_owned(),
    };
    // A cheap first look, so that a device is not even opened (opening
    // some has side effects); the check that counts is on the handle.
    match std::fs::metadata(&path) {
        Ok(meta) if !meta.is_file() => return Err(not_regular(shown)),
        Ok(_) => {}
        Err(e) => return Err(cannot_read(shown, &e)),
    }
    let file = open_nonblocking(&path, matches!(source, Source::Repo { .. }))
        .map_err(|e| cannot_read(shown, &e))?;
    let meta = file.metadata().map_err(|e| cannot_read(shown, &e))?;
    if !meta.is_file() {
        return Err(not_regular(shown));
    }
    let too_large = |size: Option<u64>| whole(shown, words::too_large(size, limit));
    if meta.len() > limit {
        return Err(too_large(Some(meta.len())));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The limit is on the read itself: the size above may be stale.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(shown, &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(None));
    }
    Ok(bytes)
}

fn not_regular(shown: &Path) -> Diagnostic {
    whole(shown, words::not_regular())
}

/// A file that cannot be opened or read.
fn cannot_read(shown: &Path, e: &std::io::Error) -> Diagnostic {
    whole(shown, words::cannot_read(e.kind(), &io_reason(e)))
}

/// The reason of an I/O error, without the "(os error N)" noise.
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

/// Opens `path` for reading without blocking on a FIFO and without making
/// a terminal the controlling one; with `no_follow`, a final component
/// that has become a link since the path was resolved is refused.
fn open_nonblocking(path: &Path, no_follow: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let follow = if no_follow { libc::O_NOFOLLOW } else { 0 };
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | follow);
    }
    #[cfg(not(unix))]
    let _ = no_follow;
    options.open(path)
}

/// Resolves `root/rel` and checks it stays inside `root` and out of
/// `root/.git`; returns the resolved path.
fn resolve_within(root: &Path, rel: &Path) -> Result<PathBuf, Diagnostic> {
    if rel
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(whole(rel, words::not_plain_path()));
    }
    let full = root.join(rel);
    // Not a link anywhere on the way: the common case, with no system call
    // beyond one `lstat` per component.
    if !has_link(root, rel) {
        return Ok(full);
    }
    let real_root = root.canonicalize().map_err(|e| cannot_read(rel, &e))?;
    let resolved = full
        .canonicalize()
        .map_err(|_| whole(rel, words::link_nowhere()))?;
    match leads(&real_root, &resolved) {
        None => Ok(resolved),
        Some(to) => Err(whole(rel, words::link_leads(to))),
    }
}

/// Returns true when some component of `root/rel` is a symbolic link.
fn has_link(root: &Path, rel: &Path) -> bool {
    let mut at = root.to_owned();
    for part in rel.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => return true,
            Ok(_) => {}
            // Missing: the open reports it.
            Err(_) => return false,
        }
    }
    false
}

/// Says where a resolved path leads when that is out of the repository
/// whose resolved root is `real_root`, or into its `.git`.
pub fn escapes(real_root: &Path, real: &Path) -> Option<&'static str> {
    leads(real_root, real).map(|to| match to {
        words::Leads::Outside => "outside the repository",
        words::Leads::IntoGit => "into the repository's .git folder",
    })
}

/// Returns where a resolved path leads when that is out of the repository
/// whose resolved root is `real_root`, or into its `.git`.
fn leads(real_root: &Path, real: &Path) -> Option<words::Leads> {
    match real.strip_prefix(real_root) {
        Err(_) => Some(words::Leads::Outside),
        Ok(inside) if inside.starts_with(".git") => Some(words::Leads::IntoGit),
        Ok(_) => None,
    }
}

#[cfg(test)]
#[cfg(unix)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    fn message(r: Result<String, Diagnostic>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn plain_files_and_links_inside_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("shared")).unwrap();
        std::fs::write(root.join("shared/a.ron"), "A").unwrap();
        symlink("shared/a.ron", root.join("a.ron")).unwrap();
        symlink("shared", root.join("inspections")).unwrap();
        assert_eq!(read(Source::repo(root, Path::new("a.ron"))).unwrap(), "A");
        assert_eq!(
            read(Source::repo(root, Path::new("inspections/a.ron"))).unwrap(),
            "A"
        );
        assert_eq!(read(Source::given(&root.join("a.ron"))).unwrap(), "A");
    }

    #[test]
    fn devices_fifos_and_folders_are_not_regular_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let fifo = root.join("subjects.ron");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Would block forever without O_NONBLOCK (no writer).
        assert_eq!(
            message(read(Source::repo(root, Path::new("subjects.ron")))),
            "subjects.ron: not a regular file (a folder, device, FIFO or socket); tenken reads only plain files"
        );
        assert!(message(read(Source::given(&fifo))).contains("not a regular file"));
        assert!(
            message(read(Source::given(Path::new("/dev/zero")))).contains("not a regular file")
        );
        std::fs::create_dir(root.join("dir.ron")).unwrap();
        assert!(
            message(read(Source::repo(root, Path::new("dir.ron")))).contains("not a regular file")
        );
    }

    #[test]
    fn links_out_of_the_repository_or_into_git_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git/refs")).unwrap();
        std::fs::write(root.join(".git/config"), "secret").unwrap();
        symlink("/etc/passwd", root.join("subjects.ron")).unwrap();
        symlink("/dev/zero", root.join("zero.ron")).unwrap();
        symlink(".git/config", root.join("tenken.ron")).unwrap();
        symlink("../.git", root.join("runsdir")).unwrap();
        symlink("/nonexistent", root.join("dangling.ron")).unwrap();
        let passwd = message(read(Source::repo(root, Path::new("subjects.ron"))));
        assert_eq!(
            passwd,
            "subjects.ron: refusing to read: a symbolic link on this path leads outside the repository"
        );
        assert!(!passwd.contains("root"), "{passwd}");
        assert!(
            message(read(Source::repo(root, Path::new("zero.ron"))))
                .ends_with("leads outside the repository")
        );
        assert!(
            message(read(Source::repo(root, Path::new("tenken.ron"))))
                .ends_with("leads into the repository's .git folder")
        );
        assert!(message(read(Source::repo(root, Path::new("dangling.ron")))).contains("nowhere"));
        assert!(
            message(read(Source::repo(root, Path::new("../x.ron")))).contains("not a plain path")
        );
    }

    #[test]
    fn the_limit_holds_on_the_read_itself() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("big.ron"), vec![b'x'; 11]).unwrap();
        assert_eq!(
            read_bytes(Source::repo(root, Path::new("big.ron")), 10)
                .unwrap_err()
                .to_string(),
            "big.ron: too large: 11 bytes; the limit is 10 bytes"
        );
        assert_eq!(
            read_bytes(Source::repo(root, Path::new("big.ron")), 11)
                .unwrap()
                .len(),
            11
        );
        std::fs::write(root.join("bad.ron"), b"ok\n\xff").unwrap();
        assert_eq!(
            message(read(Source::repo(root, Path::new("bad.ron")))),
            "bad.ron:2:1: not valid UTF-8"
        );
    }
}
