//! Reading the run history: every run file in the work tree, parsed and
//! validated against the template version it names, scored, and matched
//! with the commit that added it (one walk of git history for all runs).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;

use super::finish::RUNS_DIR;
use super::{Store, git};
use crate::error::{Diagnostic, Error, Result};
use crate::load::{self, Catalog};
use crate::model::{Id, Inspection, Run, Text};
use crate::score::{self, Score};

/// A run with the template version it answered, scored already in
/// summary mode.
type LoadedRun = (Run, Arc<Inspection>, Option<Score>);

/// A run read from its file, scored already in summary mode.
type ReadRun = std::result::Result<(Run, Option<Score>), Vec<Diagnostic>>;

/// The most threads that read run files at once.
const MAX_READ_THREADS: usize = 8;
/// Fewer runs than this per thread are not worth a thread.
const MIN_RUNS_PER_THREAD: usize = 64;

/// Which runs `history` returns; every `None` matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// Only runs of this subject.
    pub subject: Option<Id>,
    /// Only runs of this inspection.
    pub inspection: Option<Id>,
    /// Only runs finished on or after this date (in the run's own offset).
    pub since: Option<NaiveDate>,
}

/// One run of the history with its computed score.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// The run.
    pub run: Run,
    /// Its score against the template version it answered.
    pub score: Score,
    /// `score.percent()`.
    pub percent: f64,
    /// The label of the band the score lands in, if the template has bands.
    pub band: Option<Text>,
    /// The commit that added the run file (40 hex digits), or `None` while
    /// it is not committed.
    pub commit: Option<String>,
}

impl Store {
    /// Returns every run in the repository, parsed and validated, sorted by
    /// finish time and then id.
    ///
    /// Runs of an older template version are validated against that
    /// version from git history. Any invalid run file makes the call fail
    /// with every problem found.
    pub fn runs(&self, catalog: &Catalog) -> Result<Vec<Run>> {
        let templates = Templates::new(self, catalog);
        Ok(self
            .load_runs(&templates, &HistoryFilter::default(), false)?
            .into_iter()
            .map(|(run, _, _)| run)
            .collect())
    }

    /// Returns the runs matching `filter`, oldest first, each with its score,
    /// band and the commit that added it.
    pub fn history(&self, catalog: &Catalog, filter: &HistoryFilter) -> Result<Vec<HistoryEntry>> {
        self.history_entries(catalog, filter, false)
    }

    /// Returns the same as [`Store::history`] but with every run's answers
    /// left out: each run is scored as soon as it is read and its answers
    /// dropped, so a long history never holds them all at once. For callers
    /// that need only dates, scores and bands (`tenken history`).
    pub fn history_summary(
        &self,
        catalog: &Catalog,
        filter: &HistoryFilter,
    ) -> Result<Vec<HistoryEntry>> {
        self.history_entries(catalog, filter, true)
    }

    fn history_entries(
        &self,
        catalog: &Catalog,
        filter: &HistoryFilter,
        summary: bool,
    ) -> Result<Vec<HistoryEntry>> {
        let templates = Templates::new(self, catalog);
        let runs = self.load_runs(&templates, filter, summary)?;
        let wanted: HashSet<String> = runs
            .iter()
            .map(|(run, _, _)| format!("{RUNS_DIR}/{}.ron", run.id))
            .collect();
        let commits = if wanted.is_empty() {
            HashMap::new()
        } else {
            self.run_commits(filter, &wanted)?
        };
        Ok(runs
            .into_iter()
            .map(|(run, template, scored)| {
                let score = scored.unwrap_or_else(|| score::score_run(&template, &run));
                let percent = score.percent();
                let band = template.band(percent).map(|b| b.label.clone());
                let commit = commits
                    .get(&format!("{RUNS_DIR}/{}.ron", run.id))
                    .map(ToString::to_string);
                HistoryEntry {
                    run,
                    score,
                    percent,
                    band,
                    commit,
                }
            })
            .collect())
    }

    /// Loads the runs matching `filter` with the template each answered.
    ///
    /// With `summary`, each run comes back scored and without its answers.
    fn load_runs(
        &self,
        templates: &Templates<'_>,
        filter: &HistoryFilter,
        summary: bool,
    ) -> Result<Vec<LoadedRun>> {
        // Subject and inspection are path components: filter before
        // reading, so a filtered history reads only its own files.
        let paths: Vec<PathBuf> = load::run_paths(&self.root)
            .into_iter()
            .filter(|rel| path_matches(rel, filter))
            .collect();
        let mut runs = Vec::with_capacity(paths.len());
        let mut problems = Vec::new();
        for result in self.read_runs(templates, &paths, summary)? {
            match result {
                Ok((run, scored)) => {
                    if filter.since.is_some_and(|since| run.date() < since) {
                        continue;
                    }
                    let Some(t) = templates.get(&run.inspection, run.inspection_version) else {
                        return Err(Error::Internal(format!(
                            "run {} validated without its template",
                            run.id
                        )));
                    };
                    runs.push((run, t, scored));
                }
                Err(diags) => problems.extend(diags),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        runs.sort_by(|(a, _, _), (b, _, _)| {
            a.finished.cmp(&b.finished).then_with(|| a.id.cmp(&b.id))
        });
        Ok(runs)
    }

    /// Reads, parses and validates `paths`, in order, on a few threads:
    /// parsing RON dominates the cost of a long history.
    ///
    /// With `summary`, each run is scored on its thread and its answers
    /// dropped at once, so the answers of a long history are never all in
    /// memory together.
    fn read_runs(
        &self,
        templates: &Templates<'_>,
        paths: &[PathBuf],
        summary: bool,
    ) -> Result<Vec<ReadRun>> {
        let read = |part: &[PathBuf]| -> Vec<ReadRun> {
            let older = |id: &Id, version: u32| templates.get(id, version).map(|t| (*t).clone());
            part.iter()
                .map(|rel| {
                    let mut run = load::run_file(&self.root, rel, templates.catalog, &older)?;
                    let scored = summary
                        .then(|| templates.get(&run.inspection, run.inspection_version))
                        .flatten()
                        .map(|t| score::score_run(&t, &run));
                    if scored.is_some() {
                        run.answers = std::collections::BTreeMap::new();
                    }
                    Ok((run, scored))
                })
                .collect()
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(MAX_READ_THREADS)
            .min(paths.len().div_ceil(MIN_RUNS_PER_THREAD));
        if threads <= 1 {
            return Ok(read(paths));
        }
        let chunk = paths.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let workers: Vec<_> = paths
                .chunks(chunk)
                .map(|part| scope.spawn(move || read(part)))
                .collect();
            let mut all = Vec::with_capacity(paths.len());
            for worker in workers {
                let part = worker
                    .join()
                    .map_err(|_| Error::Internal("a thread reading run files panicked".into()))?;
                all.extend(part);
            }
            Ok(all)
        })
    }

    /// Maps run file paths to the commits that added them.
    fn run_commits(
        &self,
        filter: &HistoryFilter,
        wanted: &HashSet<String>,
    ) -> Result<HashMap<String, git2::Oid>> {
        let repo = match git::open(&self.root) {
            Ok(r) => r,
            // Without git there are no commits, only uncommitted runs.
            Err(Error::User { .. }) => return Ok(HashMap::new()),
            Err(e) => return Err(e),
        };
        let mut prefix = RUNS_DIR.to_owned();
        if let Some(s) = &filter.subject {
            prefix = format!("{prefix}/{s}");
            if let Some(i) = &filter.inspection {
                prefix = format!("{prefix}/{i}");
            }
        }
        git::added_by(&repo, &prefix, wanted)
    }
}

fn path_matches(rel: &Path, filter: &HistoryFilter) -> bool {
    let mut parts = rel.components().skip(1).map(|c| match c {
        Component::Normal(s) => s.to_str(),
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

/// Templates found (or not) so far, by id and version.
type TemplateCache = HashMap<(Id, u32), Option<Arc<Inspection>>>;

/// Templates by id and version: current ones from the catalog, older ones
/// from git history, each looked up once.
struct Templates<'a> {
    store: &'a Store,
    catalog: &'a Catalog,
    cache: Mutex<TemplateCache>,
}

impl<'a> Templates<'a> {
    fn new(store: &'a Store, catalog: &'a Catalog) -> Self {
        Self {
            store,
            catalog,
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, id: &Id, version: u32) -> Option<Arc<Inspection>> {
        let key = (id.clone(), version);
        // A poisoned lock only means another reader panicked; the cache
        // itself is always consistent.
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = cache.get(&key) {
            return found.clone();
        }
        let current = self.catalog.inspections.get(id)?;
        let found = match version.cmp(&current.version) {
            std::cmp::Ordering::Equal => Some(Arc::new(current.clone())),
            std::cmp::Ordering::Less => self.store.template_at_version(id, version).map(Arc::new),
            std::cmp::Ordering::Greater => None,
        };
        cache.insert(key, found.clone());
        found
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::DateTime;

    use super::*;
    use crate::model::{Answer, Draft, Inspector};
    use crate::store::testing::{clock, test_store};

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    fn draft(choice: &str) -> Draft {
        Draft {
            format: 1,
            inspection: id("test-five"),
            inspection_version: 1,
            subject: id("self"),
            inspector: Inspector {
                id: id("sato"),
                name: String::new(),
                email: String::new(),
            },
            started: clock().now(),
            answers: ["1", "2", "3", "4", "5"]
                .into_iter()
                .map(|i| (id(i), Answer::new(id(choice))))
                .collect::<BTreeMap<_, _>>(),
            cursor: 0,
            supersedes: None,
            closes: Vec::new(),
        }
    }

    fn at(s: &str) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn history_is_oldest_first_with_scores_bands_and_commits() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let later = store
            .record_run(
                draft("yes"),
                &catalog,
                at("2026-10-01T09:00:00+09:00"),
                clock(),
            )
            .unwrap();
        let earlier = store
            .record_run(
                draft("no"),
                &catalog,
                at("2026-04-01T09:00:00+09:00"),
                clock(),
            )
            .unwrap();
        let all = store.history(&catalog, &HistoryFilter::default()).unwrap();
        let ids: Vec<&str> = all.iter().map(|e| e.run.id.as_str()).collect();
        assert_eq!(ids, [earlier.run.id.as_str(), later.run.id.as_str()]);
        assert_eq!(all[0].commit.as_deref(), Some(earlier.commit.as_str()));
        assert_eq!(all[1].commit.as_deref(), Some(later.commit.as_str()));
        assert_eq!(all[0].score.score, 0);
        assert!(all[0].percent.abs() < 1e-9);
        assert!((all[1].percent - 100.0).abs() < 1e-9);
        assert_eq!(
            all[1].band.as_ref().map(|b| b.en.as_str()),
            Some("All in place")
        );

        let since = HistoryFilter {
            since: NaiveDate::from_ymd_opt(2026, 5, 1),
            ..HistoryFilter::default()
        };
        assert_eq!(store.history(&catalog, &since).unwrap().len(), 1);
        let other = HistoryFilter {
            subject: Some(id("hq")),
            ..HistoryFilter::default()
        };
        assert!(store.history(&catalog, &other).unwrap().is_empty());
        let narrow = HistoryFilter {
            subject: Some(id("self")),
            inspection: Some(id("test-five")),
            since: None,
        };
        let got = store.history(&catalog, &narrow).unwrap();
        assert_eq!(got[1].commit.as_deref(), Some(later.commit.as_str()));
        assert_eq!(store.runs(&catalog).unwrap().len(), 2);
    }

    #[test]
    fn the_summary_history_scores_the_same_without_the_answers() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        for (choice, when) in [
            ("no", "2026-04-01T09:00:00+09:00"),
            ("yes", "2026-10-01T09:00:00+09:00"),
        ] {
            store
                .record_run(draft(choice), &catalog, at(when), clock())
                .unwrap();
        }
        let full = store.history(&catalog, &HistoryFilter::default()).unwrap();
        let summary = store
            .history_summary(&catalog, &HistoryFilter::default())
            .unwrap();
        assert_eq!(full.len(), 2);
        assert_eq!(summary.len(), 2);
        for (f, s) in full.iter().zip(&summary) {
            assert!(!f.run.answers.is_empty());
            assert!(s.run.answers.is_empty(), "answers are dropped");
            assert_eq!(
                (&f.run.id, &f.score, &f.band, &f.commit),
                (&s.run.id, &s.score, &s.band, &s.commit)
            );
        }
    }

    #[test]
    fn an_uncommitted_run_has_no_commit_and_a_broken_one_fails() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let done = store
            .record_run(
                draft("yes"),
                &catalog,
                at("2026-10-01T09:00:00+09:00"),
                clock(),
            )
            .unwrap();
        let mut copy = done.run.clone();
        copy.id = "self/test-five/2026-10-02T090000-sato".into();
        copy.finished = at("2026-10-02T09:00:00+09:00");
        let copy_path = store
            .root()
            .join("runs/self/test-five/2026-10-02T090000-sato.ron");
        std::fs::write(&copy_path, crate::model::to_ron(&copy).unwrap()).unwrap();
        let all = store.history(&catalog, &HistoryFilter::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].commit, None);

        // Committed by hand, without a trailer: found by comparing trees.
        let repo = git::open(store.root()).unwrap();
        let rel = copy_path.strip_prefix(store.root()).unwrap().to_owned();
        let who = git::Identity {
            name: "Someone".into(),
            email: "someone@example.jp".into(),
        };
        let by_hand = git::commit_paths(&repo, &[rel], &who, "add a run by hand", clock())
            .unwrap()
            .oid
            .to_string();
        let all = store.history(&catalog, &HistoryFilter::default()).unwrap();
        assert_eq!(all[0].commit.as_deref(), Some(done.commit.as_str()));
        assert_eq!(all[1].commit.as_deref(), Some(by_hand.as_str()));

        std::fs::write(&copy_path, "Run(").unwrap();
        let err = store.runs(&catalog).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("runs/self/test-five/2026-10-02T090000-sato.ron:1:"),
            "{err}"
        );
    }

    #[test]
    fn runs_of_an_older_template_version_are_scored_against_that_version() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let old = store
            .record_run(
                draft("yes"),
                &catalog,
                at("2026-04-01T09:00:00+09:00"),
                clock(),
            )
            .unwrap();
        // Version 2 drops item 5 and doubles the points of `yes`.
        let v2 = crate::store::testing::TEMPLATE_RON
            .replace("version: 1,", "version: 2,")
            .replace("points: Some(2)", "points: Some(4)")
            .replace(
                "            Item(id: \"5\", scale: \"ynp\", title: (en: \"Five\")),\n",
                "",
            );
        let rel = std::path::PathBuf::from("inspections/test-five.ron");
        std::fs::write(store.root().join(&rel), v2).unwrap();
        let repo = git::open(store.root()).unwrap();
        let who = git::Identity {
            name: "Sato Hanako".into(),
            email: "sato@example.jp".into(),
        };
        git::commit_paths(&repo, &[rel], &who, "test-five version 2", clock()).unwrap();
        let catalog = store.catalog().unwrap();
        assert_eq!(catalog.inspections[&id("test-five")].version, 2);
        let mut new = draft("yes");
        new.inspection_version = 2;
        new.answers.remove(&id("5"));
        store
            .record_run(new, &catalog, at("2026-10-01T09:00:00+09:00"), clock())
            .unwrap();
        let all = store.history(&catalog, &HistoryFilter::default()).unwrap();
        assert_eq!(all[0].run.id, old.run.id);
        assert_eq!((all[0].score.score, all[0].score.max), (10, 10));
        assert_eq!((all[1].score.score, all[1].score.max), (16, 16));
        assert_eq!(all[0].commit.as_deref(), Some(old.commit.as_str()));
    }
}
