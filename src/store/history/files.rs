//! Where history's run files come from: HEAD's tree, the work tree, the
//! committed text of a file, and the filters on their paths.

use super::{
    BTreeMap, Committed, Diagnostic, Error, HistoryFilter, MAX_READ_THREADS, MIN_RUNS_PER_THREAD,
    ObjectType, Oid, Path, PathBuf, Repository, Result, load,
};

/// Returns a relative path as a `/`-separated key.
pub(super) fn key_of(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// Runs `f` over `items` on a few threads, keeping the order: parsing RON
/// dominates the cost of a long history.
pub(super) fn parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Result<Vec<R>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(MAX_READ_THREADS)
        .min(items.len().div_ceil(MIN_RUNS_PER_THREAD));
    if threads <= 1 {
        return Ok(items.iter().map(&f).collect());
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut all = Vec::with_capacity(items.len());
        for worker in workers {
            let part = worker
                .join()
                .map_err(|_| Error::Internal("a thread reading run files panicked".into()))?;
            all.extend(part);
        }
        Ok(all)
    })
}

/// Returns the text of the committed run file `key`.
pub(super) fn committed_text(
    repo: Option<&Repository>,
    committed: &Committed,
    key: &str,
) -> Result<String> {
    let (Some(repo), Some(blob)) = (repo, committed.files.get(key)) else {
        return Err(Error::Internal(format!("{key} is not committed")));
    };
    let blob = repo.find_blob(*blob)?;
    String::from_utf8(blob.content().to_vec()).map_err(|_| {
        Error::from(Diagnostic {
            path: PathBuf::from(key),
            line: 1,
            col: 1,
            message: crate::msg::load::store::committed_not_utf8(),
        })
    })
}

/// Returns every regular file `<dir>/<a>/<b>/<name>.ron` in HEAD's tree
/// (under `<dir>/<prefix…>`), by `/`-separated path. Links and other
/// entries are not run files and are left out (`verify` reports them). An
/// unborn branch has none.
pub(in crate::store) fn head_files(
    repo: &Repository,
    dir: &str,
    prefix: &[String],
) -> Result<BTreeMap<String, Oid>> {
    let mut out = BTreeMap::new();
    let tree = match repo.head() {
        Ok(head) => head.peel_to_tree()?,
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            return Ok(out);
        }
        Err(e) => return Err(e.into()),
    };
    let mut path = dir.to_owned();
    for p in prefix {
        path = format!("{path}/{p}");
    }
    let Ok(entry) = tree.get_path(Path::new(&path)) else {
        return Ok(out);
    };
    if entry.kind() != Some(ObjectType::Tree) {
        return Ok(out);
    }
    let top = repo.find_tree(entry.id())?;
    collect_files(repo, &top, &path, 3 - prefix.len().min(3), &mut out)?;
    Ok(out)
}

pub(super) fn collect_files(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    path: &str,
    depth: usize,
    out: &mut BTreeMap<String, Oid>,
) -> Result<()> {
    for entry in tree {
        let Ok(name) = entry.name() else { continue };
        let child = format!("{path}/{name}");
        match (depth, entry.kind()) {
            (1, Some(ObjectType::Blob)) => {
                let regular = matches!(entry.filemode(), 0o100_644 | 0o100_755);
                let is_ron = Path::new(name).extension().is_some_and(|e| e == "ron");
                if regular && is_ron {
                    out.insert(child, entry.id());
                }
            }
            (2.., Some(ObjectType::Tree)) => {
                let sub = repo.find_tree(entry.id())?;
                collect_files(repo, &sub, &child, depth - 1, out)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Returns every `<dir>/<a>/<b>/*.ron` in the work tree, relative to
/// `root`, sorted.
pub(in crate::store) fn nested_ron_files(root: &Path, dir: &str) -> Vec<PathBuf> {
    let subdirs = |d: &Path| -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(d) else {
            return Vec::new();
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(std::result::Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect();
        dirs.sort();
        dirs
    };
    let mut out = Vec::new();
    for a in subdirs(&root.join(dir)) {
        for b in subdirs(&a) {
            for file in load::ron_files(&b) {
                if let Ok(rel) = file.strip_prefix(root) {
                    out.push(rel.to_owned());
                }
            }
        }
    }
    out.sort();
    out
}

pub(super) fn path_matches(rel: &Path, filter: &HistoryFilter) -> bool {
    let mut parts = rel.components().skip(1).map(|c| match c {
        std::path::Component::Normal(s) => s.to_str(),
        _ => None,
    });
    let (subject, inspection) = (parts.next().flatten(), parts.next().flatten());
    filter
        .subject
        .as_ref()
        .is_none_or(|s| subject == Some(s.as_str()))
        && filter
            .inspection
            .as_ref()
            .is_none_or(|i| inspection == Some(i.as_str()))
}
