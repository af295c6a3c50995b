//! Finding the template a run was taken with, so that its score never
//! changes: the template whose content hash the run recorded — the current
//! one in `inspections/`, else a version from git history (walked from HEAD
//! through every parent, newest first, each distinct blob of
//! `inspections/<id>.ron` parsed once and cached by blob id). A run from
//! before hashes were recorded uses the template in the tree of the commit
//! that added it, and failing that the current template of its version or
//! the newest one in history. Reads git; writes nothing.

use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use git2::{ObjectType, Oid, Repository};

use super::template_hashes::HashCache;
use crate::model::{Id, Inspection, Run};

/// The folder of templates.
pub const INSPECTIONS_DIR: &str = "inspections";

/// A parsed template and its content hash.
type Parsed = (String, Arc<Inspection>);

/// Templates by content hash, version or commit, for one command's reads.
///
/// Shared by the threads that read run files: the current templates are
/// looked up without a lock, git history under one.
pub struct Templates {
    current: HashMap<Id, Current>,
    git: Mutex<History>,
    /// The repository's cache of content hashes, shared with `git`.
    hashes: Arc<HashCache>,
}

/// A current template, with its content hash worked out when first asked
/// for (from the cache, else by serialising the whole template: a command
/// that needs one template should not pay for all of them).
struct Current {
    template: Arc<Inspection>,
    hash: std::sync::OnceLock<Option<String>>,
}

impl Current {
    fn hash(&self, hashes: &HashCache) -> Option<&str> {
        self.hash
            .get_or_init(|| hashes.content_hash(&self.template))
            .as_deref()
    }
}

/// What has been read of git history so far.
struct History {
    repo: Option<Repository>,
    walk: Walk,
    /// Distinct blobs of each template, in the order the walk met them.
    blobs: HashMap<Id, Vec<Oid>>,
    /// Every parsed blob; `None` for one that does not parse.
    parsed: HashMap<Oid, Option<Parsed>>,
    /// The blob of each template in the tree of a commit.
    at_commit: HashMap<(Oid, Id), Option<Oid>>,
    hashes: Arc<HashCache>,
}

impl Templates {
    /// Prepares lookups for the repository at `root` whose current
    /// templates are `inspections` (history is read only when a run needs
    /// it).
    pub fn new(root: &Path, inspections: &BTreeMap<Id, Inspection>) -> Self {
        Self::with_hashes(root, inspections, HashCache::new(root))
    }

    /// Like [`Templates::new`], but every content hash is computed and the
    /// stored cache of them is neither trusted nor written: for checking
    /// the record (see [`Templates::cache_disagreements`]).
    pub fn computing(root: &Path, inspections: &BTreeMap<Id, Inspection>) -> Self {
        Self::with_hashes(root, inspections, HashCache::fresh(root))
    }

    fn with_hashes(root: &Path, inspections: &BTreeMap<Id, Inspection>, hashes: HashCache) -> Self {
        let current = inspections
            .iter()
            .map(|(id, t)| {
                let current = Current {
                    template: Arc::new(t.clone()),
                    hash: std::sync::OnceLock::new(),
                };
                (id.clone(), current)
            })
            .collect();
        let hashes = Arc::new(hashes);
        Self {
            current,
            git: Mutex::new(History {
                repo: Repository::open(root).ok(),
                walk: Walk::default(),
                blobs: HashMap::new(),
                parsed: HashMap::new(),
                at_commit: HashMap::new(),
                hashes: hashes.clone(),
            }),
            hashes,
        }
    }

    /// Returns the template `run` is scored against; `commit` is the commit
    /// that added the run file, when it is committed.
    ///
    /// A run with a hash gets exactly that template or none; one without
    /// gets the template of its version as it was in `commit`, else the
    /// current template of that version, else the newest of that version in
    /// history.
    pub fn for_run(&self, run: &Run, commit: Option<Oid>) -> Option<Arc<Inspection>> {
        match &run.inspection_hash {
            Some(hash) => self.by_hash(&run.inspection, hash),
            None => self.legacy(&run.inspection, run.inspection_version, commit),
        }
    }

    /// Returns how many content hashes the stored cache holds otherwise than
    /// computing gives, for the current templates and every template this
    /// value has hashed so far. Counts only for [`Templates::computing`].
    pub fn cache_disagreements(&self) -> usize {
        for current in self.current.values() {
            current.hash(&self.hashes);
        }
        self.hashes.stored_disagreements()
    }

    /// Returns the template of `id` whose content hash is `hash`.
    pub fn by_hash(&self, id: &Id, hash: &str) -> Option<Arc<Inspection>> {
        if let Some(c) = self.current.get(id)
            && c.hash(&self.hashes) == Some(hash)
        {
            return Some(c.template.clone());
        }
        self.history().find(id, |(h, _)| h == hash)
    }

    /// Returns the newest valid template of `id` in git history (from
    /// HEAD back): the last good version of a file that is broken now.
    pub fn newest_valid(&self, id: &Id) -> Option<Arc<Inspection>> {
        let rel = format!("{INSPECTIONS_DIR}/{id}.ron");
        self.history().find(id, |(_, t)| {
            crate::model::to_ron(t.as_ref()).is_ok_and(|src| {
                crate::load::validate_inspection(Path::new(&rel), &src, t, Some(id.as_str()))
                    .is_empty()
            })
        })
    }

    /// Returns whether a template of `id` with content hash `hash` is in a
    /// commit reachable from HEAD.
    pub fn committed(&self, id: &Id, hash: &str) -> bool {
        self.history().find(id, |(h, _)| h == hash).is_some()
    }

    /// Returns the template of `id` at `version`: the current one, else the
    /// newest text of that version in history.
    pub fn by_version(&self, id: &Id, version: u32) -> Option<Arc<Inspection>> {
        self.legacy(id, version, None)
    }

    /// Returns the blob in git history whose text is the template of `id`
    /// with content hash `hash`, with that template (for the index, which
    /// records where each template it uses can be read again).
    pub fn blob_with_hash(&self, id: &Id, hash: &str) -> Option<(Oid, Arc<Inspection>)> {
        let mut history = self.history();
        history.find(id, |(h, _)| h == hash)?;
        let blobs = history.blobs.get(id)?.clone();
        blobs
            .into_iter()
            .find_map(|b| match history.parsed.get(&b) {
                Some(Some((h, t))) if h == hash => Some((b, t.clone())),
                _ => None,
            })
    }

    /// Returns the template of `id` in the tree of `commit`, with its blob,
    /// when it is at `version`: how a run without a content hash is scored
    /// when git alone decides (the index); `None` leaves the decision to
    /// [`Templates::for_run`].
    pub fn in_commit(
        &self,
        id: &Id,
        version: u32,
        commit: Oid,
    ) -> Option<(Oid, String, Arc<Inspection>)> {
        let mut history = self.history();
        history.at_commit(commit, id)?;
        let blob = (*history.at_commit.get(&(commit, id.clone()))?)?;
        let (hash, t) = history.parse(blob, id)?;
        (t.version == version).then_some((blob, hash, t))
    }

    fn legacy(&self, id: &Id, version: u32, commit: Option<Oid>) -> Option<Arc<Inspection>> {
        let mut history = self.history();
        if let Some(commit) = commit
            && let Some(t) = history.at_commit(commit, id)
            && t.version == version
        {
            return Some(t);
        }
        if let Some(c) = self.current.get(id)
            && c.template.version == version
            && c.hash(&self.hashes).is_some()
        {
            return Some(c.template.clone());
        }
        history.find(id, |(_, t)| t.version == version)
    }

    fn history(&self) -> std::sync::MutexGuard<'_, History> {
        // A poisoned lock only means another reader panicked; the caches
        // themselves are always consistent.
        self.git.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl History {
    /// Returns the first template of `id` in history (newest first) that
    /// `wanted` accepts, walking further back only as far as needed.
    fn find(&mut self, id: &Id, wanted: impl Fn(&Parsed) -> bool) -> Option<Arc<Inspection>> {
        let mut checked = 0;
        loop {
            let blobs = self.blobs.get(id).map_or(&[][..], Vec::as_slice);
            let fresh: Vec<Oid> = blobs[checked..].to_vec();
            checked += fresh.len();
            for blob in fresh {
                if let Some(p) = self.parse(blob, id)
                    && wanted(&p)
                {
                    return Some(p.1);
                }
            }
            if !self.step() {
                return None;
            }
        }
    }

    /// Reads one more commit of the walk; false when the walk is over.
    fn step(&mut self) -> bool {
        let Some(repo) = &self.repo else {
            return false;
        };
        let Some(commit) = self.walk.next(repo) else {
            return false;
        };
        let Some(dir) = inspections_tree(repo, commit) else {
            return true;
        };
        if !self.walk.trees.insert(dir) {
            return true;
        }
        let Ok(tree) = repo.find_tree(dir) else {
            return true;
        };
        for entry in &tree {
            let Some(id) = entry
                .name()
                .ok()
                .and_then(|n| n.strip_suffix(".ron"))
                .and_then(|n| Id::new(n).ok())
            else {
                continue;
            };
            if entry.kind() != Some(ObjectType::Blob) {
                continue;
            }
            let list = self.blobs.entry(id).or_default();
            if !list.contains(&entry.id()) {
                list.push(entry.id());
            }
        }
        true
    }

    /// Returns the template of `id` in the tree of `commit`.
    fn at_commit(&mut self, commit: Oid, id: &Id) -> Option<Arc<Inspection>> {
        let key = (commit, id.clone());
        let blob = if let Some(b) = self.at_commit.get(&key) {
            *b
        } else {
            let repo = self.repo.as_ref()?;
            let blob = inspections_tree(repo, commit)
                .and_then(|t| repo.find_tree(t).ok())
                .and_then(|t| {
                    t.get_name(&format!("{id}.ron"))
                        .filter(|e| e.kind() == Some(ObjectType::Blob))
                        .map(|e| e.id())
                });
            self.at_commit.insert(key, blob);
            blob
        };
        self.parse(blob?, id).map(|(_, t)| t)
    }

    /// Parses a template blob once.
    fn parse(&mut self, blob: Oid, id: &Id) -> Option<Parsed> {
        if let Some(p) = self.parsed.get(&blob) {
            return p.clone();
        }
        let parsed = self.repo.as_ref().and_then(|repo| {
            let blob = repo.find_blob(blob).ok()?;
            let src = std::str::from_utf8(blob.content()).ok()?;
            let rel = format!("{INSPECTIONS_DIR}/{id}.ron");
            let t: Inspection = crate::load::parse(Path::new(&rel), src).ok()?;
            (t.id == *id).then_some(())?;
            Some((self.hashes.content_hash(&t)?, Arc::new(t)))
        });
        self.parsed.insert(blob, parsed.clone());
        parsed
    }
}

/// Returns the id of the `inspections` folder in `commit`'s tree.
fn inspections_tree(repo: &Repository, commit: Oid) -> Option<Oid> {
    let commit = repo.find_commit(commit).ok()?;
    let tree = commit.tree().ok()?;
    let entry = tree.get_name(INSPECTIONS_DIR)?;
    (entry.kind() == Some(ObjectType::Tree)).then(|| entry.id())
}

/// A walk of HEAD's history, newest commit first, through every parent,
/// one commit at a time (so a lookup stops as soon as it has its answer).
#[derive(Default)]
struct Walk {
    started: bool,
    queue: BinaryHeap<(i64, Oid)>,
    seen: HashSet<Oid>,
    /// `inspections` folders already listed.
    trees: HashSet<Oid>,
}

impl Walk {
    fn next(&mut self, repo: &Repository) -> Option<Oid> {
        if !self.started {
            self.started = true;
            let head = repo.head().ok()?.target()?;
            self.push(repo, head);
        }
        let (_, oid) = self.queue.pop()?;
        if let Ok(commit) = repo.find_commit(oid) {
            for parent in commit.parent_ids() {
                self.push(repo, parent);
            }
        }
        Some(oid)
    }

    fn push(&mut self, repo: &Repository, oid: Oid) {
        if !self.seen.insert(oid) {
            return;
        }
        // A parent missing from a shallow clone is simply not walked.
        if let Ok(c) = repo.find_commit(oid) {
            self.queue.push((c.time().seconds(), oid));
        }
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    //! Frozen scores (issue 13): a committed run is scored against the
    //! template it was taken with, whatever happens to the file later.

    use std::path::PathBuf;

    use crate::model::Run;
    use crate::store::testing::{
        TEMPLATE_RON, at, clock, draft, edit_template, id, record, test_store,
    };
    use crate::store::{HistoryFilter, Store, git};

    /// (score, max, band) of every run, oldest first.
    fn scores(store: &Store) -> Vec<(String, i64, i64, String)> {
        let catalog = store.catalog().unwrap();
        store
            .history(&catalog, &HistoryFilter::default())
            .unwrap()
            .into_iter()
            .map(|h| {
                let band = h.band().map(|b| b.en.clone()).unwrap_or_default();
                (h.run.id, h.score.score, h.score.max, band)
            })
            .collect()
    }

    #[test]
    fn regression_issue_13_a_template_edit_without_a_bump_never_rescores_history() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let before = catalog.inspections[&id("test-five")]
            .content_hash()
            .unwrap();
        let first = record(&store, &catalog, draft("no"), "2026-04-01T09:00:00+09:00");
        assert_eq!(first.run.inspection_hash.as_deref(), Some(before.as_str()));
        assert_eq!((first.score.score, first.score.max), (0, 10));

        // A run from before hashes were recorded, committed by hand while
        // the template was still the first text.
        let mut legacy: Run = draft("partly").finish(
            "self/test-five/2026-05-01T090000-sato".into(),
            at("2026-05-01T09:00:00+09:00"),
        );
        legacy.inspection_hash = None;
        let rel = PathBuf::from(format!("runs/{}.ron", legacy.id));
        std::fs::write(
            store.root().join(&rel),
            crate::model::to_ron(&legacy).unwrap(),
        )
        .unwrap();
        let repo = git::open(store.root()).unwrap();
        let who = git::Identity::from_inspector(&legacy.inspector);
        let message = format!(
            "run: test-five for self — 5/10\n\nTenken-Run: {}\n",
            legacy.id
        );
        git::commit_paths(&repo, &[rel], &who, &message, clock()).unwrap();

        // `yes` now gives 5 points instead of 2 and the bands move, but the
        // version stays 1: 0/10 stays 0/10.
        edit_template(
            &store,
            &TEMPLATE_RON
                .replace("points: Some(2)", "points: Some(5)")
                .replace("min_percent: 100", "min_percent: 40"),
            Some("edit the template"),
        );
        let catalog = store.catalog().unwrap();
        let second = record(&store, &catalog, draft("yes"), "2026-10-01T09:00:00+09:00");
        assert_eq!((second.score.score, second.score.max), (25, 25));
        assert_ne!(second.run.inspection_hash, first.run.inspection_hash);
        assert_eq!(
            scores(&store),
            [
                (first.run.id.clone(), 0, 10, "Gaps remain".into()),
                (legacy.id.clone(), 5, 10, "Gaps remain".into()),
                (second.run.id.clone(), 25, 25, "All in place".into()),
            ]
        );

        // With a bump to version 2, every earlier run keeps its score too.
        edit_template(
            &store,
            &TEMPLATE_RON
                .replace("version: 1,", "version: 2,")
                .replace("points: Some(2)", "points: Some(10)"),
            Some("edit the template"),
        );
        let catalog = store.catalog().unwrap();
        let mut v2 = draft("yes");
        v2.inspection_version = 2;
        let third = store
            .record_run(v2, &catalog, at("2026-11-01T09:00:00+09:00"), clock())
            .unwrap();
        assert_eq!((third.score.score, third.score.max), (50, 50));
        let got = scores(&store);
        assert_eq!(got.len(), 4);
        assert_eq!((got[0].1, got[0].2), (0, 10));
        assert_eq!((got[1].1, got[1].2), (5, 10));
        assert_eq!((got[2].1, got[2].2), (25, 25));
        assert_eq!((got[3].1, got[3].2), (50, 50));
    }

    #[test]
    fn a_run_is_refused_against_a_template_with_uncommitted_changes() {
        let (_dir, store) = test_store();
        let head = git::open(store.root()).unwrap().head().unwrap().target();
        edit_template(
            &store,
            &TEMPLATE_RON.replace("points: Some(2)", "points: Some(3)"),
            None,
        );
        let catalog = store.catalog().unwrap();
        store.save_draft(&draft("yes")).unwrap();
        for result in [
            store.record_run(
                draft("yes"),
                &catalog,
                at("2026-10-01T09:00:00+09:00"),
                clock(),
            ),
            store.commit_run(draft("yes"), &catalog, clock()),
        ] {
            let err = result.unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("inspections/test-five.ron has changes that are not committed"),
                "{err}"
            );
        }
        assert!(!store.root().join("runs").exists());
        assert_eq!(
            git::open(store.root()).unwrap().head().unwrap().target(),
            head
        );
        assert!(
            store
                .load_draft(&id("sato"), &id("self"), &id("test-five"))
                .unwrap()
                .is_some(),
            "the draft is kept"
        );
    }

    #[test]
    fn a_draft_finishes_against_the_template_it_was_started_with() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let mut d = draft("yes");
        d.inspection_hash = Some(
            catalog.inspections[&id("test-five")]
                .content_hash()
                .unwrap(),
        );
        store.save_draft(&d).unwrap();
        // The template changes (and is committed) while the walker is open.
        edit_template(
            &store,
            &TEMPLATE_RON.replace("points: Some(2)", "points: Some(4)"),
            Some("edit the template"),
        );
        let catalog = store.catalog().unwrap();
        let done = store.commit_run(d.clone(), &catalog, clock()).unwrap();
        assert_eq!((done.score.score, done.score.max), (10, 10));
        assert_eq!(
            done.run.inspection_hash.as_deref(),
            d.inspection_hash.as_deref()
        );
        assert_eq!(scores(&store)[0].2, 10);

        // A hash that no template ever had is refused.
        let mut lost = draft("yes");
        lost.inspection_hash = Some("0".repeat(64));
        let err = store
            .record_run(lost, &catalog, at("2026-10-01T09:00:00+09:00"), clock())
            .unwrap_err();
        assert!(err.to_string().contains("is no longer there"), "{err}");
    }
}
