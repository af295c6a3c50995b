//! Finishing a run: the run file at its unique, never-overwritten path under
//! `runs/`, its commit (that file only, authored by the inspector), and the
//! removal of the draft it came from — all under the repository lock.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::lock::{LOCK_WAIT, RepoLock};
use super::pending::Pending;
use super::templates::Templates;
use super::{STATE_DIR, Store, contain, git, ron_text};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::load::{self, Catalog};
use crate::model::{Draft, Id, Inspection, Lang, Run};
use crate::score::{self, Score};

/// The folder of finished runs.
pub const RUNS_DIR: &str = "runs";

/// The commit trailer naming the run a correction supersedes.
pub const SUPERSEDES_TRAILER: &str = "Tenken-Supersedes";

/// The most same-second runs of one inspector, subject and inspection
/// (`-2` … `-N` suffixes) before tenken refuses to look further.
const MAX_SUFFIX: u32 = 10_000;

/// A run that has been written and committed.
#[derive(Debug, Clone, PartialEq)]
pub struct Committed {
    /// The run as written.
    pub run: Run,
    /// The commit id, 40 hex digits.
    pub commit: String,
    /// The run file, relative to the repository root (`runs/…/….ron`).
    pub path: PathBuf,
    /// The run's score against the template version it answered.
    pub score: Score,
}

impl Store {
    /// Finishes `draft` now: writes the run file, commits exactly that file
    /// and removes the draft.
    ///
    /// The run id is `<subject>/<inspection>/<YYYY-MM-DD>T<HHMMSS>-<inspector>`
    /// from `clock.now()`, with `-2`, `-3`, … when that path exists. The
    /// commit's author and committer are the inspector; its message is
    /// `run: <inspection> for <subject> — <score>/<max>` with a
    /// `Tenken-Run: <run id>` trailer. On any error nothing is committed,
    /// the run file is gone again and the draft is kept. After success the
    /// draft is gone; if it cannot be removed, the error says the run was
    /// committed all the same.
    ///
    /// A correction (`draft.supersedes`) is finished at the time of the run
    /// it corrects: it restates that inspection, so it stays in that run's
    /// period (a quarter's result corrected later is still that quarter's).
    pub fn commit_run(
        &self,
        mut draft: Draft,
        catalog: &Catalog,
        clock: Clock,
    ) -> Result<Committed> {
        let finished = match &draft.supersedes {
            Some(target) => {
                // Started and finished as the run it restates (a run never
                // finishes before it starts; `check` would say so).
                let corrected = self.committed_run(catalog, target)?.run;
                draft.started = corrected.started.min(corrected.finished);
                corrected.finished
            }
            None => clock.now(),
        };
        self.finish_run(draft, catalog, finished, clock, true)
    }

    /// Commits a run recorded outside the walker (`tenken record`), finished
    /// at `finished` (a backfilled paper inspection may be years old), with
    /// the commit dated `clock.now()`.
    ///
    /// Unlike [`Store::commit_run`] it never touches drafts: the inspector may
    /// have a walker draft for the same subject and inspection in progress.
    pub fn record_run(
        &self,
        draft: Draft,
        catalog: &Catalog,
        finished: DateTime<FixedOffset>,
        clock: Clock,
    ) -> Result<Committed> {
        self.finish_run(draft, catalog, finished, clock, false)
    }

    /// Returns the template version `version` of inspection `id`: the
    /// current one from the catalog, or the newest text of that version in
    /// git history.
    pub fn template(&self, catalog: &Catalog, id: &Id, version: u32) -> Result<Inspection> {
        let Some(current) = catalog.inspections.get(id) else {
            return Err(unknown_inspection(catalog, id));
        };
        if current.version == version {
            return Ok(current.clone());
        }
        let templates = Templates::new(&self.root, &catalog.inspections);
        if version < current.version
            && let Some(old) = templates.by_version(id, version)
        {
            return Ok((*old).clone());
        }
        Err(Error::user(crate::msg::commit::no_version(
            id.as_str(),
            version,
            current.version,
        )))
    }

    /// Returns the template a draft is answering: the one with its content
    /// hash, or for a draft from before hashes were recorded the one of its
    /// version; the draft's hash is set to the template's.
    ///
    /// Refuses a template that is not in any commit (an edit of
    /// `inspections/<id>.ron` not committed yet): its hash could never be
    /// found again, so the run's score could not be reproduced.
    fn answered_template(&self, catalog: &Catalog, draft: &mut Draft) -> Result<Arc<Inspection>> {
        let id = draft.inspection.clone();
        // A draft of a template whose file broke since can still be
        // finished: the version it answered is in git history.
        let broken_but_hashed =
            catalog.broken_inspection(&id).is_some() && draft.inspection_hash.is_some();
        if !catalog.inspections.contains_key(&id) && !broken_but_hashed {
            return Err(unknown_inspection(catalog, &id));
        }
        let templates = Templates::new(&self.root, &catalog.inspections);
        let template = match &draft.inspection_hash {
            Some(hash) => templates.by_hash(&id, hash).ok_or_else(|| {
                let (message, hint) = crate::msg::record::template_gone(id.as_str());
                Error::user_hint(message, hint)
            })?,
            None => Arc::new(self.template(catalog, &id, draft.inspection_version)?),
        };
        let hash = template
            .content_hash()
            .map_err(|e| Error::Internal(format!("cannot serialise inspection `{id}`: {e}")))?;
        if !templates.committed(&id, &hash) {
            let (message, hint) = crate::msg::record::template_not_committed(id.as_str());
            return Err(Error::user_hint(message, hint));
        }
        draft.inspection_version = template.version;
        draft.inspection_hash = Some(hash);
        Ok(template)
    }

    fn finish_run(
        &self,
        draft: Draft,
        catalog: &Catalog,
        finished: DateTime<FixedOffset>,
        clock: Clock,
        remove_draft: bool,
    ) -> Result<Committed> {
        let mut draft = draft;
        let template = self.answered_template(catalog, &mut draft)?;
        // A note written for another answer must never reach the record.
        if let Some(item) = draft.unsettled().first() {
            let answer = &draft.answers[*item];
            let (message, hint) = crate::msg::record::unsettled(
                item.as_str(),
                answer.choice.as_str(),
                answer.written_for.as_ref().map_or("", Id::as_str),
            );
            return Err(Error::user_hint(message, hint));
        }
        if catalog.subjects.get(draft.subject.as_str()).is_none() {
            return Err(Error::user(crate::msg::errors::unknown_subject(
                draft.subject.as_str(),
            )));
        }
        crate::restricted::check_run(
            &catalog.config,
            &draft.inspector.id,
            &draft.subject,
            &draft.inspection,
        )?;
        crate::restricted::check_closes(&catalog.config, &draft.inspector.id, &draft.closes)?;
        let (subject, inspection, inspector) = (
            draft.subject.clone(),
            draft.inspection.clone(),
            draft.inspector.id.clone(),
        );
        let draft_started = remove_draft.then_some(draft.started);
        let base = format!("{}-{inspector}", finished.format("%Y-%m-%dT%H%M%S"));
        let run_dir = Path::new(RUNS_DIR)
            .join(subject.as_str())
            .join(inspection.as_str());

        // Everything that can be refused is refused before anything is
        // written: the run must read back as a valid run file.
        if let Some(target) = &draft.supersedes {
            self.check_correction(catalog, &subject, &inspection, target)?;
        }
        let mut run = draft.finish(format!("{subject}/{inspection}/{base}"), finished);
        let text = ron_text(&run)?;
        let rel = run_dir.join(format!("{base}.ron"));
        load::run_from_str(&rel, &text, catalog, &|_| Some(template.clone()))
            .map_err(Error::Invalid)?;
        // Dates: one rule for the command line, the walker and every file.
        if let Some(d) = load::validate_run_dates(&rel, &text, &run, clock.now()).first() {
            return Err(Error::user(d.message.clone()));
        }
        let repo = git::open(&self.root)?;
        git::check_committable(&repo)?;
        contain::check_within(&self.root, &self.root.join(&run_dir))?;

        let _lock = RepoLock::acquire(&self.root.join(STATE_DIR), LOCK_WAIT)?;
        // A commit a crashed process left half done is settled first, so
        // its run file and draft are where they belong before a path is
        // chosen.
        self.recover_locked(&repo)?;
        let mut chosen = None;
        for n in 1..=MAX_SUFFIX {
            let name = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            let candidate = run_dir.join(format!("{name}.ron"));
            if self.root.join(&candidate).exists() || git::head_blob(&repo, &candidate)?.is_some() {
                continue;
            }
            run.id = format!("{subject}/{inspection}/{name}");
            chosen = Some(candidate);
            break;
        }
        let Some(rel) = chosen else {
            return Err(Error::user(crate::msg::commit::same_second(
                MAX_SUFFIX,
                inspection.as_str(),
                subject.as_str(),
                inspector.as_str(),
            )));
        };
        let text = ron_text(&run)?;

        let score = score::score_run(&template, &run);
        // A backfilled run (done on another day than it is recorded) says
        // its date in the subject: the commit's own date is when it was
        // recorded.
        let done = run.date();
        let on = if done == clock.today() {
            String::new()
        } else {
            format!(" on {done}")
        };
        let mut message = format!(
            "run: {inspection} for {subject}{on} — {}/{}\n\nTenken-Run: {}\n",
            score.score, score.max, run.id
        );
        if let Some(target) = &run.supersedes {
            let _ = writeln!(message, "{SUPERSEDES_TRAILER}: {target}");
        }
        let who = git::Identity::from_inspector(&run.inspector);
        // Evidence files go into the same commit as the run that names them.
        let evidence = self.evidence_to_commit(&repo, &run, catalog.config.evidence)?;
        let pending = Pending {
            format: crate::model::FORMAT,
            path: rel.to_string_lossy().replace('\\', "/"),
            inspector: inspector.clone(),
            subject: subject.clone(),
            inspection: inspection.clone(),
            draft_started,
            evidence: evidence
                .iter()
                .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
                .collect(),
        };
        // The note goes first: from here on a crash at any point is settled
        // by the next process (see `pending`).
        self.write_pending(&pending)?;
        let mut files = vec![(rel.clone(), text.into_bytes())];
        files.extend(evidence);
        let oid = match git::commit_contents(&repo, &files, &who, &message, clock, &self.signing())
        {
            Ok(oid) => oid,
            Err(e) => {
                // Not committed, and nothing was written but the note.
                let _ = self.remove_pending(&pending);
                return Err(e);
            }
        };
        let commit = oid.to_string();
        self.settle(&repo, &pending, Some(&files[0].1))
            .map_err(|e| match e {
                Error::User { message, hints } => Error::User {
                    message: message.wrap(|lang, message| match lang {
                        Lang::Ja => format!(
                            "記録 {} はコミット {commit} として記録されましたが、{message}",
                            run.id
                        ),
                        Lang::En => {
                            format!("run {} was committed as {commit}, but {message}", run.id)
                        }
                    }),
                    hints,
                },
                e => Error::user(crate::msg::commit::not_in_step(
                    crate::msg::commit::Done::Run(&run.id),
                    &commit,
                    &e.message(),
                )),
            })?;
        Ok(Committed {
            run,
            commit,
            path: rel,
            score,
        })
    }
}

/// The error for an inspection the catalog does not have, or whose file
/// is broken.
fn unknown_inspection(catalog: &Catalog, id: &Id) -> Error {
    if let Some(b) = catalog.broken_inspection(id) {
        let lang = catalog.config.lang;
        return Error::user_hint(b.refusal(lang), b.fix_hint(lang));
    }
    let known: Vec<&str> = catalog.inspections.keys().map(Id::as_str).collect();
    Error::user_hint(
        crate::msg::errors::unknown_inspection(id.as_str()),
        crate::msg::errors::known(crate::msg::errors::Known::Inspections, &known.join(", ")),
    )
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::{Answer, Inspector};
    use crate::store::testing::{clock, dirty, test_store};

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    fn draft() -> Draft {
        Draft {
            format: 1,
            inspection: id("test-five"),
            inspection_version: 1,
            inspection_hash: None,
            subject: id("self"),
            inspector: Inspector {
                id: id("suzuki"),
                name: "Suzuki Ichiro".into(),
                email: "suzuki@example.jp".into(),
            },
            started: clock().now(),
            answers: BTreeMap::from([
                (id("1"), Answer::new(id("yes"))),
                (id("2"), Answer::new(id("partly"))),
            ]),
            cursor: 2,
            supersedes: None,
            closes: Vec::new(),
        }
    }

    #[test]
    fn commits_the_run_file_and_removes_the_draft() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let d = draft();
        store.save_draft(&d).unwrap();
        let done = store.commit_run(d.clone(), &catalog, clock()).unwrap();
        assert_eq!(done.run.id, "self/test-five/2026-11-25T093000-suzuki");
        assert_eq!(
            done.path,
            Path::new("runs/self/test-five/2026-11-25T093000-suzuki.ron")
        );
        assert_eq!((done.score.score, done.score.max), (3, 10));
        assert_eq!(
            store
                .load_draft(&d.inspector.id, &d.subject, &d.inspection)
                .unwrap(),
            None
        );
        let repo = git::open(store.root()).unwrap();
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        assert_eq!(head.id().to_string(), done.commit);
        assert_eq!(head.author().name().unwrap(), "Suzuki Ichiro");
        assert_eq!(
            head.message().unwrap(),
            "run: test-five for self — 3/10\n\nTenken-Run: self/test-five/2026-11-25T093000-suzuki\n"
        );
        assert_eq!(dirty(&store), Vec::<String>::new());

        // The same second again gets the `-2` suffix.
        let again = store.commit_run(draft(), &catalog, clock()).unwrap();
        assert_eq!(again.run.id, "self/test-five/2026-11-25T093000-suzuki-2");
    }

    #[test]
    fn a_refused_run_writes_nothing_and_keeps_the_draft() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let mut d = draft();
        d.answers.insert(id("1"), Answer::new(id("maybe")));
        store.save_draft(&d).unwrap();
        let err = store.commit_run(d.clone(), &catalog, clock()).unwrap_err();
        assert!(err.to_string().contains("unknown choice `maybe`"), "{err}");
        assert!(!store.root().join(RUNS_DIR).exists());
        assert!(
            store
                .load_draft(&d.inspector.id, &d.subject, &d.inspection)
                .unwrap()
                .is_some()
        );

        let mut d = draft();
        d.subject = id("nobody");
        let err = store.commit_run(d, &catalog, clock()).unwrap_err();
        assert_eq!(err.to_string(), "subject `nobody` is not in subjects.ron");
    }

    #[test]
    fn an_action_due_more_than_ten_years_ahead_is_refused() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let mut d = draft();
        let mut answer = Answer::new(id("partly"));
        answer.action = Some(crate::model::Action {
            text: "buy a server".into(),
            owner: String::new(),
            due: chrono::NaiveDate::from_ymd_opt(2036, 11, 26).unwrap(),
        });
        d.answers.insert(id("3"), answer);
        let err = store.commit_run(d, &catalog, clock()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the due date of item `3`'s action 2036-11-26 is outside the allowed range 1990-01-01 to 2036-11-25"
        );
        assert!(!store.root().join(RUNS_DIR).exists());
    }

    #[test]
    fn a_failed_commit_takes_the_run_file_back() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let d = draft();
        store.save_draft(&d).unwrap();
        // A ref lock that never goes away makes the commit itself fail
        // after the run file was written.
        let ref_lock = store.root().join(".git/refs/heads/main.lock");
        std::fs::write(&ref_lock, "").unwrap();
        let err = store.commit_run(d.clone(), &catalog, clock()).unwrap_err();
        std::fs::remove_file(&ref_lock).unwrap();
        assert!(
            err.to_string().starts_with("git: failed to lock file"),
            "{err}"
        );
        assert!(
            err.hints()[0]
                .to_string()
                .contains("remove it and try again")
        );
        assert!(!store.root().join(RUNS_DIR).exists());
        assert!(
            !store
                .root()
                .join(".tenken/pending")
                .read_dir()
                .unwrap()
                .any(|_| true)
        );
        assert!(
            store
                .load_draft(&d.inspector.id, &d.subject, &d.inspection)
                .unwrap()
                .is_some()
        );
    }

    /// Leaves the state a process killed mid-commit leaves: the note
    /// written, and the commit made (`committed`) or not.
    fn crash_mid_commit(store: &Store, d: &Draft, committed: bool) -> Pending {
        let rel = PathBuf::from("runs/self/test-five/2026-11-25T093000-suzuki.ron");
        let pending = Pending {
            format: 1,
            path: "runs/self/test-five/2026-11-25T093000-suzuki.ron".into(),
            inspector: d.inspector.id.clone(),
            subject: d.subject.clone(),
            inspection: d.inspection.clone(),
            draft_started: Some(d.started),
            evidence: Vec::new(),
        };
        store.write_pending(&pending).unwrap();
        if committed {
            let run = d.clone().finish(
                "self/test-five/2026-11-25T093000-suzuki".into(),
                clock().now(),
            );
            let text = ron_text(&run).unwrap();
            let repo = git::open(store.root()).unwrap();
            let who = git::Identity::from_inspector(&d.inspector);
            git::commit_contents(
                &repo,
                &[(rel, text.into_bytes())],
                &who,
                "run",
                clock(),
                &super::super::Signing::Off,
            )
            .unwrap();
        }
        pending
    }

    #[test]
    fn a_commit_killed_after_the_branch_moved_is_finished_by_the_next_process() {
        let (_dir, store) = test_store();
        let d = draft();
        store.save_draft(&d).unwrap();
        crash_mid_commit(&store, &d, true);
        // Listing drafts settles it: the file is put in place, the index
        // updated, the draft removed.
        assert_eq!(store.drafts(&d.inspector.id).unwrap(), Vec::new());
        assert!(
            store
                .root()
                .join("runs/self/test-five/2026-11-25T093000-suzuki.ron")
                .is_file()
        );
        assert_eq!(dirty(&store), Vec::<String>::new());
        assert!(
            !store
                .root()
                .join(".tenken/pending")
                .read_dir()
                .unwrap()
                .any(|_| true)
        );
        // A newer draft of the same subject and inspection is never taken
        // for the committed one.
        let mut newer = draft();
        newer.started = clock().now() + chrono::Duration::seconds(5);
        store.save_draft(&newer).unwrap();
        crash_mid_commit(&store, &d, true);
        assert_eq!(store.drafts(&d.inspector.id).unwrap(), vec![newer]);
    }

    #[test]
    fn a_commit_killed_before_the_branch_moved_leaves_the_draft() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let d = draft();
        store.save_draft(&d).unwrap();
        crash_mid_commit(&store, &d, false);
        assert_eq!(store.drafts(&d.inspector.id).unwrap(), vec![d.clone()]);
        assert!(!store.root().join(RUNS_DIR).exists());
        assert_eq!(dirty(&store), Vec::<String>::new());
        // And the run can then be committed as usual.
        let done = store.commit_run(d, &catalog, clock()).unwrap();
        assert_eq!(done.run.id, "self/test-five/2026-11-25T093000-suzuki");
    }

    #[cfg(unix)]
    #[test]
    fn a_run_folder_that_links_out_of_the_repository_is_refused() {
        let (_dir, store) = test_store();
        let outside = tempfile::tempdir().unwrap();
        let catalog = store.catalog().unwrap();
        std::fs::create_dir_all(store.root().join("runs")).unwrap();
        std::os::unix::fs::symlink(outside.path(), store.root().join("runs/self")).unwrap();
        let head = git::open(store.root()).unwrap().head().unwrap().target();
        let err = store.commit_run(draft(), &catalog, clock()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("refusing to write through runs/self"),
            "{err}"
        );
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
        assert_eq!(
            git::open(store.root()).unwrap().head().unwrap().target(),
            head
        );
        // The drafts folder too.
        std::fs::remove_file(store.root().join("runs/self")).unwrap();
        std::fs::create_dir_all(store.root().join(".tenken/drafts")).unwrap();
        std::os::unix::fs::symlink(outside.path(), store.root().join(".tenken/drafts/suzuki"))
            .unwrap();
        let err = store.save_draft(&draft()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("refusing to write through .tenken/drafts/suzuki"),
            "{err}"
        );
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_detached_head_is_refused() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let repo = git::open(store.root()).unwrap();
        let head = repo.head().unwrap().target().unwrap();
        repo.set_head_detached(head).unwrap();
        let err = store.commit_run(draft(), &catalog, clock()).unwrap_err();
        assert!(err.to_string().starts_with("HEAD is detached"), "{err}");
        assert!(!store.root().join(RUNS_DIR).exists());
    }
}
