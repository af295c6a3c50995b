//! Reading the run history: every run file, validated and scored against
//! the template it was taken with, matched with the commit that added it
//! (one walk of git history for all runs), and placed in or out of the
//! current set (superseded by a correction, withdrawn).
//!
//! Only committed runs count unless uncommitted ones are asked for. A run
//! file is read from the work tree when it holds exactly what HEAD's
//! commit holds (compared by git blob id), and from the commit when the
//! work tree changed or lost it; a file HEAD does not have is left out.
//! Asked for uncommitted runs, the work tree is read as it is and every
//! entry says where it stands ([`RunStatus`]).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use git2::{ObjectType, Oid, Repository};

use super::correction::WITHDRAWALS_DIR;
use super::finish::RUNS_DIR;
use super::index::{
    self,
    format::{ActionKey, Ids, RawId, RunView, View},
};
use super::template_hashes::HashCache;
use super::templates::Templates;
use super::{Store, git};
use crate::error::{Diagnostic, Error, Result};
use crate::load::{self, Catalog, Source};
use crate::model::{
    Action, Brief, CommitId, HistoryEntry, Id, Inspection, Run, RunStatus, Scales, Score,
    Withdrawal,
};
use crate::score;

mod files;

use files::{committed_text, key_of, parallel, path_matches};
pub(super) use files::{head_files, nested_ron_files};

/// The most threads that read run files at once.
const MAX_READ_THREADS: usize = 8;
/// Fewer runs than this per thread are not worth a thread.
const MIN_RUNS_PER_THREAD: usize = 64;

/// Which runs `history` returns; the default is every current, committed
/// run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// Only runs of this subject.
    pub subject: Option<Id>,
    /// Only runs of this inspection.
    pub inspection: Option<Id>,
    /// Only runs finished on or after this date (in the run's own offset).
    pub since: Option<NaiveDate>,
    /// Also the runs that are no longer current: superseded by a
    /// correction, or withdrawn.
    pub all: bool,
    /// Read the work tree as it is: uncommitted run and withdrawal files
    /// count, and a changed file counts with its changes. Every entry's
    /// `status` says so.
    pub uncommitted: bool,
}

/// A run read from a file or a blob, not yet placed in the history.
struct Loaded {
    /// The run, its answers left out (they are in `brief`).
    run: Run,
    template: Arc<Inspection>,
    brief: Brief,
    score: Score,
    status: RunStatus,
    /// The commit that added the run file, when it is committed.
    commit: Option<RawId>,
}

/// A hash map with foldhash (randomly seeded, like std's `SipHash`, and
/// several times faster on the short ids and paths used as keys).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
/// A hash set with a fast hash.
type FastSet<K> = HashSet<K, foldhash::fast::RandomState>;

/// What reading one work-tree file gave.
enum Outcome {
    Read(Box<Loaded>),
    /// The committed version is wanted instead (the work tree differs).
    FromHead(String, RunStatus),
    Skip,
    Invalid(Vec<Diagnostic>),
}

/// What the commands reading history need to know about git.
struct Committed {
    /// Every run file in HEAD's tree (under the filter), by path.
    files: HashMap<String, Oid>,
    /// The commit that added each committed run file.
    commits: HashMap<String, Oid>,
}

impl Store {
    /// Returns every current, committed run, parsed and validated, sorted by
    /// finish time and then id.
    ///
    /// Any invalid run file makes the call fail with every problem found.
    pub fn runs(&self, catalog: &Catalog) -> Result<Vec<Run>> {
        self.runs_with(catalog, &HistoryFilter::default())
    }

    /// Returns the runs `filter` selects, as their files have them (notes
    /// and evidence included), oldest first. Each is read whole: for the
    /// few callers that need every run complete; the read commands use
    /// [`Store::history`] and read whole only the runs they show.
    pub fn runs_with(&self, catalog: &Catalog, filter: &HistoryFilter) -> Result<Vec<Run>> {
        self.history(catalog, filter)?
            .iter()
            .map(|h| self.full_run(catalog, h))
            .collect()
    }

    /// Returns the runs matching `filter`, oldest first, each with the
    /// template it is scored against, its score and band, the commit that
    /// added it and its place in the record; answers in brief (the runs'
    /// `answers` are empty: [`Store::full_run`] reads a run whole).
    ///
    /// Read through the index (`store::index`), which git alone decides;
    /// what the index cannot hold (an invalid run, a run whose subject or
    /// inspection the work tree lacks, uncommitted files) is read from its
    /// file, so the result is the same with or without it.
    pub fn history(&self, catalog: &Catalog, filter: &HistoryFilter) -> Result<Vec<HistoryEntry>> {
        self.history_entries(catalog, filter, None)
    }

    /// Begins listing the work tree for a read of `filter` (on a helper
    /// thread) before the catalog is loaded: the listing, an lstat per run
    /// file, is the longest part of a read, and the catalog needs none of
    /// it. The read it is begun for is [`Store::history_listed`].
    pub fn list_ahead(&self, filter: &HistoryFilter) -> Listing {
        let (subject, inspection) = under(filter);
        Listing(Work::start(
            self.root.clone(),
            (subject.map(str::to_owned), inspection.map(str::to_owned)),
        ))
    }

    /// Returns the same as [`Store::history`], with the work tree listed
    /// by `listing` (begun by [`Store::list_ahead`] just before; one begun
    /// for another filter or another repository is not used).
    pub fn history_listed(
        &self,
        catalog: &Catalog,
        filter: &HistoryFilter,
        listing: Listing,
    ) -> Result<Vec<HistoryEntry>> {
        self.history_entries(catalog, filter, Some(listing.0))
    }

    /// Returns the same as [`Store::history`] (kept for callers from
    /// before every entry held its answers in brief).
    pub fn history_summary(
        &self,
        catalog: &Catalog,
        filter: &HistoryFilter,
    ) -> Result<Vec<HistoryEntry>> {
        self.history_entries(catalog, filter, None)
    }

    fn history_entries(
        &self,
        catalog: &Catalog,
        filter: &HistoryFilter,
        ahead: Option<Work>,
    ) -> Result<Vec<HistoryEntry>> {
        // Made on first use: hashing every current template costs more
        // than reading the whole index, and the index rarely needs it.
        let templates = LazyTemplates {
            root: &self.root,
            inspections: &catalog.inspections,
            made: std::sync::OnceLock::new(),
        };
        // Opened only if git has to be read: a fresh index answers alone.
        let git = index::LazyRepo::new(&self.root);
        // The work tree is listed (with a helper thread) while the index
        // is read (the listing, an lstat per run file, needs no index);
        // the caller may have begun it already.
        let (subject, inspection) = under(filter);
        let work = match ahead {
            Some(w) if w.root == self.root && w.under() == (subject, inspection) => w,
            _ => Work::start(
                self.root.clone(),
                (subject.map(str::to_owned), inspection.map(str::to_owned)),
            ),
        };
        let from_index = (|| {
            let read =
                |view: &View<'_>| self.read_indexed(catalog, &templates, &git, view, filter, &work);
            let Some(entries) = index::load(&self.root, &git, |view, _| read(view))? else {
                return Ok(None);
            };
            if let Some(entries) = entries? {
                return Ok(Some(entries));
            }
            // The stored index said something git does not: build it
            // again and read that.
            let repo = git
                .get()?
                .ok_or_else(|| Error::Internal("git is gone".into()))?;
            index::rebuild(&self.root, repo, read)?
                .transpose()?
                .flatten()
                .ok_or_else(|| Error::Internal("the index disagrees with git".into()))
                .map(Some)
        })()?;
        if let Some(entries) = from_index {
            return Ok(entries);
        }
        // Without git there are no commits, only uncommitted runs.
        let repo = git.get()?;
        // No commits yet (or no git): only the work tree's files.
        let committed = Committed {
            files: HashMap::new(),
            commits: HashMap::new(),
        };
        let reader = Reader {
            catalog,
            templates: &templates,
            committed: &committed,
            filter,
        };
        let loaded = self.load_runs(&reader, repo)?;
        let withdrawals = self.withdrawals(repo, filter.uncommitted)?;
        let order = loaded
            .iter()
            .enumerate()
            .map(|(n, l)| (l.run.finished, Which::Loaded(n)))
            .collect();
        let withdrawals = withdrawals.into_iter().collect();
        entries(None, None, &loaded, order, &withdrawals, filter)?
            .ok_or_else(|| Error::Internal("runs read from files have no index".into()))
    }

    /// Reads the runs `filter` selects from the index and the work tree
    /// (`work`, listed meanwhile): first as if the work tree held every
    /// committed file as committed, which it nearly always does; when the
    /// listing says otherwise for what `filter` reads, again with what it
    /// found (the listing is made meanwhile by the helper, in its own heap;
    /// an index rebuilt lists the work tree again). `None` when the index
    /// turns out to say what git does not.
    fn read_indexed(
        &self,
        catalog: &Catalog,
        templates: &LazyTemplates<'_>,
        git: &index::LazyRepo<'_>,
        view: &View<'_>,
        filter: &HistoryFilter,
        work: &Work,
    ) -> Result<Option<Vec<HistoryEntry>>> {
        let as_committed = index::WorkTree::default();
        let guess = self.read_rows(catalog, templates, git, view, filter, &as_committed);
        let wanted = wanted_by(filter);
        let listing = work.take();
        let found = index::compare(&self.root, view, &listing, under(filter), &wanted);
        drop(listing);
        if !found.refreshed.is_empty() {
            index::save_refreshed(&self.root, view, &found.refreshed);
        }
        // What `read_rows` looks at of the work tree: the committed files
        // it differs in, and only when uncommitted files count, the files
        // HEAD lacks and the withdrawals.
        let as_guessed = found.runs.is_empty()
            && (!filter.uncommitted || (found.extra.is_empty() && !found.withdrawals_changed));
        if as_guessed {
            return guess;
        }
        // Gone before the entries are made again: both at once would
        // double the read's peak of fresh memory.
        drop(guess);
        self.read_rows(catalog, templates, git, view, filter, &found)
    }

    /// Reads the runs `filter` selects from the index and the work tree as
    /// `work` found it: the index for every committed run as committed,
    /// the files for what the index does not hold (a run it cannot check
    /// alone, one whose subject or inspection the work tree no longer has,
    /// which then gives the same errors as ever) and for uncommitted files
    /// when they count. `None` when the index turns out to say what git
    /// does not.
    fn read_rows(
        &self,
        catalog: &Catalog,
        templates: &LazyTemplates<'_>,
        git: &index::LazyRepo<'_>,
        view: &View<'_>,
        filter: &HistoryFilter,
        work: &index::WorkTree,
    ) -> Result<Option<Vec<HistoryEntry>>> {
        let wanted = wanted_by(filter);
        let committed = Committed {
            files: HashMap::new(),
            commits: HashMap::new(),
        };
        let reader = Reader {
            catalog,
            templates,
            committed: &committed,
            filter,
        };
        let registered: FastSet<&str> = catalog
            .subjects
            .subjects
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        // The entries to be, by finish time and where they come from: a
        // row the index answers for by its place in the index (no list of
        // rows beside it), or a run read from its file.
        let mut order = Vec::with_capacity(view.runs().len());
        let mut loaded = Vec::new();
        let mut problems = Vec::new();
        let keep = |outcome: Outcome,
                    commit: Option<RawId>,
                    loaded: &mut Vec<Loaded>,
                    problems: &mut Vec<Diagnostic>| match outcome {
            Outcome::Read(mut l) => {
                l.commit = commit;
                loaded.push(*l);
            }
            Outcome::Invalid(d) => problems.extend(d),
            Outcome::Skip | Outcome::FromHead(..) => {}
        };
        let mut known: Option<(&str, &str, bool)> = None;
        for (n, record) in view.runs().enumerate() {
            let path = record.path;
            if !wanted(path) {
                continue;
            }
            let seen = if work.runs.is_empty() {
                None
            } else {
                work.runs.get(path)
            };
            let (status, work_text) = match seen {
                None => (RunStatus::Committed, None),
                Some(index::Seen::Missing) if filter.uncommitted => continue,
                Some(index::Seen::Missing) => (RunStatus::Deleted, None),
                Some(index::Seen::Changed(found)) if filter.uncommitted => match found {
                    Ok(bytes) => (RunStatus::Modified, Some(bytes)),
                    Err(None) => continue,
                    Err(Some(d)) => {
                        problems.push(d.clone());
                        continue;
                    }
                },
                Some(index::Seen::Changed(Err(Some(d)))) => {
                    problems.push(d.clone());
                    continue;
                }
                Some(index::Seen::Changed(_)) => (RunStatus::Modified, None),
            };
            if let Some(bytes) = work_text {
                let outcome = reader.parse_bytes(path, bytes.clone(), status, record.commit());
                keep(outcome, record.commit(), &mut loaded, &mut problems);
                continue;
            }
            let (subject, inspection) = record.subject_inspection();
            // Runs are sorted by path: the catalog is asked when the
            // subject or the inspection changes.
            let in_catalog = match known {
                Some((s, i, k)) if s == subject && i == inspection => k,
                _ => {
                    let k = catalog.inspections.contains_key(inspection)
                        && registered.contains(subject);
                    known = Some((subject, inspection, k));
                    k
                }
            };
            let fast = record.has_data() && in_catalog;
            if !fast {
                let blob = repo_of(git)?.find_blob(record.blob().oid()?)?;
                let outcome =
                    reader.parse_bytes(path, blob.content().to_vec(), status, record.commit());
                keep(outcome, record.commit(), &mut loaded, &mut problems);
                continue;
            }
            let Ok(finished) = record.finished() else {
                return Ok(None);
            };
            order.push((finished, Which::Row(n, status)));
        }
        if filter.uncommitted {
            for path in &work.extra {
                let outcome = match load::read_bytes(
                    Source::repo(&self.root, Path::new(path)),
                    load::MAX_FILE_BYTES,
                ) {
                    Ok(bytes) => reader.parse_bytes(path, bytes, RunStatus::Uncommitted, None),
                    Err(d) => Outcome::Invalid(vec![d]),
                };
                keep(outcome, None, &mut loaded, &mut problems);
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let withdrawals: FastMap<String, Withdrawal> = match view.withdrawals() {
            Ok(Some(known)) if !filter.uncommitted || !work.withdrawals_changed => known
                .into_values()
                .map(|w| (w.withdrawal.run.clone(), w.withdrawal))
                .collect(),
            _ => self
                .withdrawals(Some(repo_of(git)?), filter.uncommitted)?
                .into_iter()
                .collect(),
        };
        order.reserve_exact(loaded.len());
        order.extend(
            loaded
                .iter()
                .enumerate()
                .map(|(n, l)| (l.run.finished, Which::Loaded(n))),
        );
        let resolver = Resolver {
            view,
            catalog,
            git,
            hashes: HashCache::new(&self.root),
            resolved: vec![std::cell::OnceCell::new(); view.template_count()],
            actions: std::cell::RefCell::default(),
            ids: std::cell::RefCell::default(),
        };
        entries(
            Some(view),
            Some(resolver),
            &loaded,
            order,
            &withdrawals,
            filter,
        )
    }

    /// Reads the runs `filter` selects with the template each answered
    /// (`entries` puts them in order).
    fn load_runs(&self, reader: &Reader<'_>, repo: Option<&Repository>) -> Result<Vec<Loaded>> {
        let filter = reader.filter;
        // Subject and inspection are path components: filter before
        // reading, so a filtered history reads only its own files.
        let in_work: Vec<PathBuf> = load::run_paths(&self.root)
            .into_iter()
            .filter(|rel| path_matches(rel, filter))
            .collect();
        let mut outcomes = parallel(&in_work, |rel| reader.read_work(&self.root, rel))?;
        if !filter.uncommitted {
            // Committed files the work tree lost are read from the commit.
            let present: HashSet<String> = in_work.iter().map(|p| key_of(p)).collect();
            let mut gone: Vec<&String> = reader
                .committed
                .files
                .keys()
                .filter(|k| !present.contains(*k))
                .collect();
            gone.sort();
            outcomes.extend(
                gone.into_iter()
                    .map(|k| Outcome::FromHead(k.clone(), RunStatus::Deleted)),
            );
        }
        let mut runs = Vec::with_capacity(outcomes.len());
        let mut problems = Vec::new();
        for outcome in outcomes {
            let outcome = match outcome {
                Outcome::FromHead(key, status) => {
                    let src = committed_text(repo, reader.committed, &key)?;
                    reader.parse(key, &src, status)
                }
                other => other,
            };
            match outcome {
                Outcome::Read(l) => runs.push(*l),
                Outcome::Invalid(d) => problems.extend(d),
                Outcome::Skip | Outcome::FromHead(..) => {}
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(runs)
    }

    /// Returns the withdrawals in force, by the run they withdraw: the
    /// committed ones, or with `uncommitted` the work tree's.
    ///
    /// Any invalid withdrawal file makes the call fail with every problem.
    pub(super) fn withdrawals(
        &self,
        repo: Option<&Repository>,
        uncommitted: bool,
    ) -> Result<HashMap<String, Withdrawal>> {
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut problems = Vec::new();
        let head = match repo {
            Some(repo) => head_files(repo, WITHDRAWALS_DIR, &[])?,
            None => BTreeMap::new(),
        };
        let work = nested_ron_files(&self.root, WITHDRAWALS_DIR);
        if uncommitted {
            for rel in work {
                match load::read(Source::repo(&self.root, &rel)) {
                    Ok(src) => texts.push((rel.to_string_lossy().replace('\\', "/"), src)),
                    Err(d) => problems.push(d),
                }
            }
        } else if let Some(repo) = repo {
            for (key, blob) in &head {
                let blob = repo.find_blob(*blob)?;
                match std::str::from_utf8(blob.content()) {
                    Ok(src) => texts.push((key.clone(), src.to_owned())),
                    Err(_) => problems.push(Diagnostic {
                        path: PathBuf::from(key),
                        line: 1,
                        col: 1,
                        message: crate::msg::load::file::not_utf8(),
                    }),
                }
            }
        }
        let mut out = HashMap::new();
        for (key, src) in texts {
            match load::withdrawal_from_str(Path::new(&key), &src) {
                Ok(w) => {
                    out.insert(w.run.clone(), w);
                }
                Err(d) => problems.extend(d),
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(Error::Invalid(problems))
        }
    }
}

/// The run folders a filter reads: `runs/<subject>/<inspection>`, either
/// or both left open.
fn under(filter: &HistoryFilter) -> (Option<&str>, Option<&str>) {
    (
        filter.subject.as_ref().map(Id::as_str),
        filter.inspection.as_ref().map(Id::as_str),
    )
}

/// Whether a run file's path (`runs/<subject>/<inspection>/…`) is one
/// `filter` reads; every path when it names neither.
fn wanted_by(filter: &HistoryFilter) -> impl Fn(&str) -> bool + '_ {
    let every = filter.subject.is_none() && filter.inspection.is_none();
    move |path: &str| every || path_matches(Path::new(path), filter)
}

/// The work tree's listing, begun before the index is read (or before
/// the catalog is loaded, [`Store::list_ahead`]), helped by a thread of its
/// own, finished and taken by the reading thread (which never waits for the
/// helper: on a busy machine the helper may not run before the read is
/// done, and then the reader lists it all). Without the helper a read took
/// about 14 ms more on a quiet machine at 10,000 runs, though the helper's
/// own heap costs a fresh huge page (notes-mem, session 8).
struct Work {
    root: PathBuf,
    under: (Option<String>, Option<String>),
    started: std::cell::Cell<Option<index::Started>>,
}

impl Work {
    /// Begins listing the work tree under `under`, with a helper thread.
    fn start(root: PathBuf, under: (Option<String>, Option<String>)) -> Self {
        let started = index::start_work(&root, (under.0.as_deref(), under.1.as_deref()));
        // Not joined: what it has not listed when the listing is needed
        // is listed then (a spawn refused leaves it all to this thread).
        let _ = std::thread::Builder::new().spawn(started.helper());
        Self {
            root,
            under,
            started: std::cell::Cell::new(Some(started)),
        }
    }

    /// The run folders listed: `runs/<subject>/<inspection>`, either or
    /// both open.
    fn under(&self) -> (Option<&str>, Option<&str>) {
        (self.under.0.as_deref(), self.under.1.as_deref())
    }

    /// Returns the listing, finishing it here; a second call (an index
    /// rebuilt) lists the work tree again.
    fn take(&self) -> index::Listing {
        match self.started.take() {
            Some(started) => started.finish(&self.root),
            None => index::list_work(&self.root, self.under()),
        }
    }
}

/// A listing of the work tree begun for a read ([`Store::list_ahead`]).
pub struct Listing(Work);

/// Returns git's blob id of `bytes`: SHA-1 of `blob <length>\0` and the
/// bytes (computed here because asking libgit2 would initialise it).
fn blob_id(bytes: &[u8]) -> [u8; 20] {
    use sha1::{Digest, Sha1};
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher.finalize().into()
}

/// Where an entry of the history comes from.
#[derive(Debug, Clone, Copy)]
enum Which {
    /// A row of the index, by its place in `View::runs`, with its status.
    Row(usize, RunStatus),
    /// A run read from its file.
    Loaded(usize),
}

impl Which {
    /// Where the entry was put in the order before sorting: rows first.
    fn place(self) -> (u8, usize) {
        match self {
            Self::Row(n, _) => (0, n),
            Self::Loaded(n) => (1, n),
        }
    }
}

/// Makes history entries of index rows, with the templates they name
/// resolved on first use.
struct Resolver<'r, 'v, 'a> {
    view: &'v View<'a>,
    catalog: &'r Catalog,
    git: &'r index::LazyRepo<'r>,
    /// The content hashes of templates, cached across commands.
    hashes: HashCache,
    /// Each template with its scales looked up once.
    resolved: Vec<std::cell::OnceCell<Option<Resolved>>>,
    /// Each action made once, by its key: an action carried from run to
    /// run is one shared action in every entry.
    actions: std::cell::RefCell<FastMap<ActionKey, Arc<Action>>>,
    /// Each id made once (subjects, inspections, inspectors repeat).
    ids: std::cell::RefCell<Ids<'a>>,
}

/// A template of the index as found, with its scales looked up once and
/// its content hash (as the index has it) shared by its runs.
type Resolved = (Arc<Inspection>, Scales, Arc<str>);

impl<'a> Resolver<'_, '_, 'a> {
    /// Returns the history entry of `record`, made straight from the index;
    /// `None` when the index says what git does not.
    fn entry(&self, record: &RunView<'_, 'a>, status: RunStatus) -> Option<HistoryEntry> {
        let place = record.template_index().ok()?;
        let (template, scales, hash) = self
            .resolved
            .get(place)?
            .get_or_init(|| {
                let hash = Arc::from(record.template_hash().ok()?);
                index_template(self.catalog, self.git, &self.hashes, self.view, place)
                    .map(|t| (t.clone(), Scales::of(&t), hash))
            })
            .as_ref()?;
        let actions = {
            let mut made = self.actions.borrow_mut();
            let mut actions = Vec::with_capacity(record.action_keys().len());
            for &(position, text, owner, due) in record.action_keys() {
                let action = match made.entry((text, owner, due)) {
                    Entry::Occupied(e) => e.get().clone(),
                    Entry::Vacant(e) => e
                        .insert(Arc::new(self.view.action((text, owner, due)).ok()?))
                        .clone(),
                };
                actions.push((position, action));
            }
            actions
        };
        let brief = Brief::from_parts_in(scales, record.codes().to_vec(), actions).ok()?;
        let score = brief.score_in(scales);
        let percent = score.percent();
        Some(HistoryEntry {
            run: record.run_with(hash, &mut self.ids.borrow_mut()).ok()?,
            brief,
            score,
            percent,
            template: template.clone(),
            commit: record.commit().map(|c| CommitId(c.0)),
            status,
            blob: (status == RunStatus::Committed).then(|| record.blob().0),
            superseded_by: None,
            withdrawn: None,
        })
    }
}

/// Returns the run id of an entry to be.
fn id_of<'s>(view: Option<&View<'s>>, loaded: &'s [Loaded], which: Which) -> &'s str {
    match which {
        Which::Row(n, _) => view.and_then(|v| v.run_at(n)).map_or("", |r| r.id()),
        Which::Loaded(n) => loaded.get(n).map_or("", |l| l.run.id.as_str()),
    }
}

/// Returns the history of index rows and runs read from files: oldest
/// first (by finish time and id), each placed in or out of the current
/// set, only the ones `filter` keeps; `None` when the index says what git
/// does not.
fn entries<'s>(
    view: Option<&View<'s>>,
    resolver: Option<Resolver<'_, '_, 's>>,
    loaded: &'s [Loaded],
    mut order: Vec<(DateTime<FixedOffset>, Which)>,
    withdrawals: &FastMap<String, Withdrawal>,
    filter: &HistoryFilter,
) -> Result<Option<Vec<HistoryEntry>>> {
    let id_of = |which| id_of(view, loaded, which);
    // By time, then id; the place last, as a stable sort would leave
    // equals (no buffer to sort with).
    order.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| id_of(a.1).cmp(id_of(b.1)))
            .then_with(|| a.1.place().cmp(&b.1.place()))
    });
    // Oldest first, so the latest of two corrections of one run wins.
    let mut superseded_by: FastMap<&str, &str> = FastMap::default();
    for (_, which) in &order {
        let target = match *which {
            Which::Row(n, _) => match view.and_then(|v| v.run_at(n)) {
                Some(record) => match record.supersedes() {
                    Ok(t) => t,
                    Err(_) => return Ok(None),
                },
                None => None,
            },
            Which::Loaded(n) => loaded.get(n).and_then(|l| l.run.supersedes.as_deref()),
        };
        if let Some(target) = target {
            superseded_by.insert(target, id_of(*which));
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for (finished, which) in order {
        if filter
            .since
            .is_some_and(|since| finished.date_naive() < since)
        {
            continue;
        }
        let id = id_of(which);
        let superseded_by = superseded_by.get(id).map(|s| (*s).to_owned());
        let withdrawn = if withdrawals.is_empty() {
            None
        } else {
            withdrawals.get(id).cloned().map(Box::new)
        };
        // Not current (`HistoryEntry::is_current`) and not asked for.
        if !filter.all && (superseded_by.is_some() || withdrawn.is_some()) {
            continue;
        }
        let entry = match which {
            Which::Row(n, status) => match view
                .and_then(|v| v.run_at(n))
                .zip(resolver.as_ref())
                .and_then(|(record, r)| r.entry(&record, status))
            {
                Some(e) => e,
                None => return Ok(None),
            },
            Which::Loaded(n) => {
                let Some(l) = loaded.get(n) else {
                    return Err(Error::Internal("a run read is gone".into()));
                };
                let percent = l.score.percent();
                HistoryEntry {
                    run: l.run.clone(),
                    brief: l.brief.clone(),
                    score: l.score.clone(),
                    percent,
                    template: l.template.clone(),
                    commit: l.commit.map(|c| CommitId(c.0)),
                    status: l.status,
                    blob: None,
                    superseded_by: None,
                    withdrawn: None,
                }
            }
        };
        out.push(HistoryEntry {
            superseded_by,
            withdrawn,
            ..entry
        });
    }
    Ok(Some(out))
}

/// Returns template `place` of the index: the current one when it has the
/// content hash the index names, else the blob the index records, checked
/// to hold that hash; `None` when neither is (the index is wrong).
fn index_template(
    catalog: &Catalog,
    git: &index::LazyRepo<'_>,
    hashes: &HashCache,
    view: &View<'_>,
    place: usize,
) -> Option<Arc<Inspection>> {
    let (hash, id, blob) = view.template(place).ok()?;
    if let Some(current) = catalog.inspections.get(&id)
        && hashes.content_hash(current).as_deref() == Some(hash)
    {
        return Some(Arc::new(current.clone()));
    }
    let blob = git.get().ok()??.find_blob(blob.oid().ok()?).ok()?;
    let src = std::str::from_utf8(blob.content()).ok()?;
    let rel = format!("inspections/{id}.ron");
    let t: Inspection = load::parse(Path::new(&rel), src).ok()?;
    (t.id == id && hashes.content_hash(&t)? == hash).then(|| Arc::new(t))
}

impl Store {
    /// Returns the run of `entry` as its file has it, notes and evidence
    /// included: the work-tree file when it is the one the entry was read
    /// from, else the committed one. Commands call it only for the runs
    /// whose notes or details they show.
    pub fn full_run(&self, catalog: &Catalog, entry: &HistoryEntry) -> Result<Run> {
        if !entry.run.answers.is_empty() {
            return Ok(entry.run.clone());
        }
        // Without notes and evidence the brief is the whole run.
        if !entry.brief.has_text() {
            return Ok(entry.brief_run());
        }
        let rel = PathBuf::from(format!("{RUNS_DIR}/{}.ron", entry.run.id));
        let work = || load::read_bytes(Source::repo(&self.root, &rel), load::MAX_FILE_BYTES).ok();
        // Opened only when the work tree cannot be proven to hold the
        // committed file (opening libgit2 costs more than reading a run).
        let repo = std::cell::OnceCell::new();
        let head = |rel: &Path| -> Result<Option<(Oid, Vec<u8>)>> {
            let Some(repo) = repo.get_or_init(|| git::open(&self.root).ok()) else {
                return Ok(None);
            };
            let Some(bytes) = git::head_blob(repo, rel)? else {
                return Ok(None);
            };
            Ok(Some((Oid::hash_object(ObjectType::Blob, &bytes)?, bytes)))
        };
        // The file the entry was read from: the work tree's for an
        // uncommitted run, the committed one otherwise (the work tree's
        // when it is the same blob, which saves nothing but proves it).
        let sources: Vec<Vec<u8>> = match entry.status {
            RunStatus::Uncommitted => work().into_iter().collect(),
            // The index's blob id proves the work tree's file: git is not
            // opened (a file changed since the history was read fails the
            // proof and is read from git as before).
            RunStatus::Committed
                if let Some(bytes) = entry
                    .blob
                    .and_then(|blob| work().filter(|b| blob_id(b) == blob)) =>
            {
                vec![bytes]
            }
            RunStatus::Committed => {
                let committed = head(&rel)?;
                let here = work().filter(|b| {
                    committed.as_ref().is_some_and(|(oid, _)| {
                        Oid::hash_object(ObjectType::Blob, b).ok() == Some(*oid)
                    })
                });
                here.into_iter().chain(committed.map(|(_, b)| b)).collect()
            }
            // Changed or gone in the work tree: the commit counts (and with
            // uncommitted files asked for, the work tree's file).
            RunStatus::Modified | RunStatus::Deleted => head(&rel)?
                .map(|(_, b)| b)
                .into_iter()
                .chain(work())
                .collect(),
        };
        let template = entry.template.clone();
        for bytes in sources {
            let Ok(src) = String::from_utf8(bytes) else {
                continue;
            };
            let Ok((run, _)) = load::run_from_str(&rel, &src, catalog, &|_| Some(template.clone()))
            else {
                continue;
            };
            // The file must be the run the entry was read from.
            let same = Brief::from_answers(&entry.template, &run.answers).as_ref()
                == Some(&entry.brief)
                && Run {
                    answers: BTreeMap::new(),
                    ..run.clone()
                } == entry.run;
            if same {
                return Ok(run);
            }
        }
        Err(Error::user(crate::msg::commit::changed_while_read(
            &crate::escape::line(&entry.run.id),
        )))
    }
}

/// Returns the repository an index was read for (it has one: the index
/// reflects its HEAD).
fn repo_of<'a>(git: &'a index::LazyRepo<'_>) -> Result<&'a Repository> {
    git.get()?
        .ok_or_else(|| Error::Internal("the repository of the index is gone".into()))
}

/// The templates runs are read against, made on first use.
struct LazyTemplates<'a> {
    root: &'a Path,
    inspections: &'a BTreeMap<Id, Inspection>,
    made: std::sync::OnceLock<Templates>,
}

impl LazyTemplates<'_> {
    fn get(&self) -> &Templates {
        self.made
            .get_or_init(|| Templates::new(self.root, self.inspections))
    }
}

/// What the threads reading run files share.
struct Reader<'a> {
    catalog: &'a Catalog,
    templates: &'a LazyTemplates<'a>,
    committed: &'a Committed,
    filter: &'a HistoryFilter,
}

impl Reader<'_> {
    /// Reads one run file of the work tree, or says that the committed
    /// version is wanted instead, or that the file does not count.
    fn read_work(&self, root: &Path, rel: &Path) -> Outcome {
        let key = key_of(rel);
        let head = self.committed.files.get(&key).copied();
        let uncommitted = self.filter.uncommitted;
        let full = root.join(rel);
        // A link is never the committed file, whatever it points to.
        let is_link = std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_symlink());
        let src = if is_link {
            None
        } else {
            match load::read(Source::repo(root, rel)) {
                Ok(src) => Some(src),
                Err(_) if head.is_none() && !uncommitted => return Outcome::Skip,
                Err(d) => return Outcome::Invalid(vec![d]),
            }
        };
        let same = head.is_some()
            && src
                .as_ref()
                .is_some_and(|s| Oid::hash_object(ObjectType::Blob, s.as_bytes()).ok() == head);
        let status = match head {
            _ if same => RunStatus::Committed,
            Some(_) => RunStatus::Modified,
            None => RunStatus::Uncommitted,
        };
        match (status, src) {
            (RunStatus::Committed, Some(src)) => self.parse(key, &src, status),
            (_, Some(src)) if uncommitted => self.parse(key, &src, status),
            (RunStatus::Modified, _) if !uncommitted => Outcome::FromHead(key, status),
            _ => Outcome::Skip,
        }
    }

    /// Parses and validates one run's text against its template, scores
    /// it and keeps its answers in brief only.
    fn parse(&self, key: String, src: &str, status: RunStatus) -> Outcome {
        let commit = self.committed.commits.get(&key).copied().map(RawId::from);
        self.parse_at(&key, src, status, commit)
    }

    /// Parses a run file's bytes (not UTF-8 is a problem like any other).
    fn parse_bytes(
        &self,
        key: &str,
        bytes: Vec<u8>,
        status: RunStatus,
        commit: Option<RawId>,
    ) -> Outcome {
        match String::from_utf8(bytes) {
            Ok(src) => self.parse_at(key, &src, status, commit),
            Err(_) => Outcome::Invalid(vec![Diagnostic {
                path: PathBuf::from(key),
                line: 1,
                col: 1,
                message: crate::msg::load::file::not_utf8(),
            }]),
        }
    }

    fn parse_at(&self, key: &str, src: &str, status: RunStatus, commit: Option<RawId>) -> Outcome {
        let commit_oid = commit.and_then(|c| c.oid().ok());
        let template_of = |run: &Run| self.templates.get().for_run(run, commit_oid);
        match load::run_from_str(Path::new(key), src, self.catalog, &template_of) {
            Ok((mut run, template)) => {
                let score = score::score_run(&template, &run);
                let brief = Brief::from_answers(&template, &run.answers).unwrap_or_default();
                run.answers = BTreeMap::new();
                Outcome::Read(Box::new(Loaded {
                    run,
                    template,
                    brief,
                    score,
                    status,
                    commit,
                }))
            }
            Err(d) => Outcome::Invalid(d),
        }
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests;
