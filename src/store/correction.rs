//! Corrections and withdrawals: the two ways a committed run leaves the
//! current set. Neither touches the run's file.
//!
//! - A correction is a new run whose `supersedes` names the run it
//!   replaces (same subject and inspection), committed with a
//!   `Tenken-Supersedes:` trailer beside its `Tenken-Run:` one.
//! - A withdrawal is a file `withdrawals/<run id>.ron` saying who withdrew
//!   the run, when and why, committed alone with a `Tenken-Withdraws:`
//!   trailer.
//!
//! What a chain means: only a current run (neither superseded nor
//! withdrawn) can be corrected or withdrawn. Correcting a correction is
//! how a run is corrected twice (A ← B ← C: C is current). Withdrawing a
//! correction takes exactly that run out of the current set; the run it
//! superseded stays superseded, because the correction said it was wrong.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::finish::RUNS_DIR;
use super::history::HistoryFilter;
use super::lock::{LOCK_WAIT, RepoLock};
use super::pending::Pending;
use super::{STATE_DIR, Store, contain, git, ron_text};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::load::{self, Catalog};
use crate::model::{FORMAT, HistoryEntry, Id, Inspector, Withdrawal};

/// The folder of withdrawals.
pub const WITHDRAWALS_DIR: &str = "withdrawals";

/// The commit trailer naming the run a withdrawal withdraws.
pub const WITHDRAWS_TRAILER: &str = "Tenken-Withdraws";

/// The longest reason a withdrawal may give, in bytes.
const MAX_REASON_BYTES: usize = 4 * 1024;

/// A withdrawal that has been written and committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    /// The withdrawal as written.
    pub withdrawal: Withdrawal,
    /// The commit id, 40 hex digits.
    pub commit: String,
    /// The file, relative to the repository root.
    pub path: PathBuf,
}

/// The parts of a run id: subject, inspection and file stem.
fn run_id_parts(id: &str) -> Option<(Id, Id, &str)> {
    let mut parts = id.split('/');
    let (subject, inspection, name) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let name_ok = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && name.len() <= 128;
    name_ok.then_some(())?;
    Some((Id::new(subject).ok()?, Id::new(inspection).ok()?, name))
}

impl Store {
    /// Returns the current runs (uncommitted ones included, marked) of
    /// `subject` × `inspection` finished on `date`: what a new run of that
    /// day would duplicate unless it corrects one of them or is meant as
    /// another run.
    pub fn runs_on_day(
        &self,
        catalog: &Catalog,
        subject: &Id,
        inspection: &Id,
        date: NaiveDate,
    ) -> Result<Vec<HistoryEntry>> {
        let filter = HistoryFilter {
            subject: Some(subject.clone()),
            inspection: Some(inspection.clone()),
            since: Some(date),
            uncommitted: true,
            ..HistoryFilter::default()
        };
        Ok(self
            .history_summary(catalog, &filter)?
            .into_iter()
            .filter(|h| h.run.date() == date)
            .collect())
    }

    /// Returns the committed run `id` with its place in the record, or a
    /// clear error when there is none (or only an uncommitted file).
    pub fn committed_run(&self, catalog: &Catalog, id: &str) -> Result<HistoryEntry> {
        let shown = crate::escape::line(id);
        let Some((subject, inspection, _)) = run_id_parts(id) else {
            return Err(Error::user(format!(
                "`{shown}` is not a run id (`<subject>/<inspection>/<stamp>-<inspector>`)"
            )));
        };
        let filter = HistoryFilter {
            subject: Some(subject),
            inspection: Some(inspection),
            all: true,
            ..HistoryFilter::default()
        };
        if let Some(found) = self
            .history_summary(catalog, &filter)?
            .into_iter()
            .find(|h| h.run.id == id)
        {
            return Ok(found);
        }
        if self.root.join(RUNS_DIR).join(format!("{id}.ron")).exists() {
            return Err(Error::user_hint(
                format!("run `{shown}` is not committed"),
                "only a committed run can be corrected or withdrawn; an uncommitted file is not part of the record",
            ));
        }
        Err(Error::user_hint(
            format!("there is no run `{shown}`"),
            "`tenken history --all --format json` lists every run id",
        ))
    }

    /// Checks that a run of `subject` × `inspection` may supersede
    /// `target`: a committed, current run of the same subject and
    /// inspection.
    pub(super) fn check_correction(
        &self,
        catalog: &Catalog,
        subject: &Id,
        inspection: &Id,
        target: &str,
    ) -> Result<()> {
        let entry = self.committed_run(catalog, target)?;
        let shown = crate::escape::line(target);
        if entry.run.subject != *subject || entry.run.inspection != *inspection {
            return Err(Error::user(format!(
                "run `{shown}` is of `{}` for `{}`; a correction must be of the same subject and inspection (`{inspection}` for `{subject}`)",
                entry.run.inspection, entry.run.subject
            )));
        }
        if let Some(w) = &entry.withdrawn {
            return Err(Error::user(format!(
                "run `{shown}` was withdrawn on {} by `{}`; a withdrawn run cannot be corrected",
                w.date.date_naive(),
                w.by.id
            )));
        }
        if let Some(by) = &entry.superseded_by {
            return Err(Error::user_hint(
                format!(
                    "run `{shown}` is already superseded by `{}`",
                    crate::escape::line(by)
                ),
                format!(
                    "correct the current run instead: `--supersedes {}`",
                    crate::escape::line(by)
                ),
            ));
        }
        Ok(())
    }

    /// Withdraws the committed, current run `id`: writes
    /// `withdrawals/<id>.ron` (who, when, why) and commits that file alone,
    /// authored by `by`, with a `Tenken-Withdraws: <id>` trailer. The run's
    /// own file is never touched.
    ///
    /// `by` must be allowed to run the run's subject and inspection. On any
    /// error nothing is committed and nothing is left behind.
    pub fn withdraw_run(
        &self,
        catalog: &Catalog,
        id: &str,
        reason: &str,
        by: &Inspector,
        clock: Clock,
    ) -> Result<Withdrawn> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::Usage(
                "a withdrawal needs a reason (--reason TEXT)".into(),
            ));
        }
        if reason.len() > MAX_REASON_BYTES {
            return Err(Error::Usage(format!(
                "the reason is {} bytes; the limit is {MAX_REASON_BYTES} bytes",
                reason.len()
            )));
        }
        let entry = self.committed_run(catalog, id)?;
        let shown = crate::escape::line(id);
        crate::restricted::check_run(
            &catalog.config,
            &by.id,
            &entry.run.subject,
            &entry.run.inspection,
        )?;
        if let Some(w) = &entry.withdrawn {
            return Err(Error::user(format!(
                "run `{shown}` was already withdrawn on {} by `{}`",
                w.date.date_naive(),
                w.by.id
            )));
        }
        if let Some(later) = &entry.superseded_by {
            return Err(Error::user_hint(
                format!(
                    "run `{shown}` is superseded by `{}` and no longer counts",
                    crate::escape::line(later)
                ),
                format!(
                    "withdraw the correction if it is wrong too: `tenken withdraw {} --reason …`",
                    crate::escape::line(later)
                ),
            ));
        }
        let withdrawal = Withdrawal {
            format: FORMAT,
            run: id.to_owned(),
            reason: reason.to_owned(),
            by: by.clone(),
            date: clock.now(),
        };
        let rel = Path::new(WITHDRAWALS_DIR).join(format!("{id}.ron"));
        let text = ron_text(&withdrawal)?;
        let diags = load::validate_withdrawal(&rel, &text, &withdrawal);
        if !diags.is_empty() {
            return Err(Error::Invalid(diags));
        }
        let repo = git::open(&self.root)?;
        git::check_committable(&repo)?;
        if let Some(parent) = self.root.join(&rel).parent() {
            contain::check_within(&self.root, parent)?;
        }
        let _lock = RepoLock::acquire(&self.root.join(STATE_DIR), LOCK_WAIT)?;
        self.recover_locked(&repo)?;
        if self.root.join(&rel).exists() || git::head_blob(&repo, &rel)?.is_some() {
            return Err(Error::user_hint(
                format!(
                    "{} already exists but does not withdraw the run in the committed record",
                    rel.display()
                ),
                "an uncommitted withdrawal file is in the way: remove it, or commit it with git",
            ));
        }
        let one_line: String = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        let message = format!(
            "withdraw: {} for {} — {}\n\n{}\n\n{WITHDRAWS_TRAILER}: {id}\n",
            entry.run.inspection,
            entry.run.subject,
            entry.run.date(),
            crate::escape::line(&one_line),
        );
        let who = git::Identity::from_inspector(by);
        let pending = Pending {
            format: FORMAT,
            path: rel.to_string_lossy().replace('\\', "/"),
            inspector: by.id.clone(),
            subject: entry.run.subject.clone(),
            inspection: entry.run.inspection.clone(),
            draft_started: None,
            evidence: Vec::new(),
        };
        self.write_pending(&pending)?;
        let files = [(rel.clone(), text.into_bytes())];
        let oid = match git::commit_contents(&repo, &files, &who, &message, clock, &self.signing())
        {
            Ok(oid) => oid,
            Err(e) => {
                let _ = self.remove_pending(&pending);
                return Err(e);
            }
        };
        let commit = oid.to_string();
        self.settle(&repo, &pending, Some(&files[0].1))
            .map_err(|e| {
                Error::user(format!(
                    "the withdrawal of {shown} was committed as {commit}, but the work tree could not be brought in step ({e}); the next tenken command finishes it"
                ))
            })?;
        Ok(Withdrawn {
            withdrawal,
            commit,
            path: rel,
        })
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::DateTime;

    use super::*;
    use crate::model::{Answer, Draft, Permissions};
    use crate::store::testing::{clock, dirty, test_store};

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    fn inspector(who: &str) -> Inspector {
        Inspector {
            id: id(who),
            name: format!("Inspector {who}"),
            email: format!("{who}@example.jp"),
        }
    }

    fn draft(choice: &str, supersedes: Option<&str>) -> Draft {
        Draft {
            format: 1,
            inspection: id("test-five"),
            inspection_version: 1,
            inspection_hash: None,
            subject: id("self"),
            inspector: inspector("sato"),
            started: clock().now(),
            answers: ["1", "2", "3", "4", "5"]
                .into_iter()
                .map(|i| (id(i), Answer::new(id(choice))))
                .collect::<BTreeMap<_, _>>(),
            cursor: 0,
            supersedes: supersedes.map(str::to_owned),
            closes: Vec::new(),
        }
    }

    fn at(s: &str) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn everything() -> HistoryFilter {
        HistoryFilter {
            all: true,
            ..HistoryFilter::default()
        }
    }

    fn head_message(store: &Store) -> String {
        let repo = git::open(store.root()).unwrap();
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        head.message().unwrap().to_owned()
    }

    #[test]
    fn a_correction_supersedes_a_current_run_once() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let wrong = store
            .record_run(
                draft("partly", None),
                &catalog,
                at("2026-10-01T09:00:00+09:00"),
                clock(),
            )
            .unwrap();
        let fixed = store
            .record_run(
                draft("yes", Some(&wrong.run.id)),
                &catalog,
                at("2026-10-01T10:00:00+09:00"),
                clock(),
            )
            .unwrap();
        assert_eq!(fixed.run.supersedes.as_deref(), Some(wrong.run.id.as_str()));
        assert_eq!(
            head_message(&store),
            format!(
                "run: test-five for self — 10/10\n\nTenken-Run: {}\nTenken-Supersedes: {}\n",
                fixed.run.id, wrong.run.id
            )
        );
        let current = store.history(&catalog, &HistoryFilter::default()).unwrap();
        let ids: Vec<&str> = current.iter().map(|h| h.run.id.as_str()).collect();
        assert_eq!(ids, [fixed.run.id.as_str()]);
        let all = store.history(&catalog, &everything()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].superseded_by.as_deref(), Some(fixed.run.id.as_str()));
        assert!(all[1].is_current());

        // The superseded run cannot be corrected again: its correction can.
        let err = store
            .record_run(
                draft("yes", Some(&wrong.run.id)),
                &catalog,
                at("2026-10-01T11:00:00+09:00"),
                clock(),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "run `{}` is already superseded by `{}`",
                wrong.run.id, fixed.run.id
            )
        );
        assert_eq!(
            err.hints(),
            [format!(
                "correct the current run instead: `--supersedes {}`",
                fixed.run.id
            )]
        );
        let again = store
            .record_run(
                draft("yes", Some(&fixed.run.id)),
                &catalog,
                at("2026-10-01T11:00:00+09:00"),
                clock(),
            )
            .unwrap();
        let current = store.history(&catalog, &HistoryFilter::default()).unwrap();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].run.id, again.run.id);

        // Nothing, another inspection, and an uncommitted file: refused,
        // and nothing is written.
        let head = git::open(store.root()).unwrap().head().unwrap().target();
        for (target, expected) in [
            (
                "self/test-five/2020-01-01T090000-sato",
                "there is no run `self/test-five/2020-01-01T090000-sato`",
            ),
            (
                "self/other/2020-01-01T090000-sato",
                "there is no run `self/other/2020-01-01T090000-sato`",
            ),
            (
                "nonsense",
                "`nonsense` is not a run id (`<subject>/<inspection>/<stamp>-<inspector>`)",
            ),
        ] {
            let err = store
                .record_run(
                    draft("yes", Some(target)),
                    &catalog,
                    at("2026-10-02T09:00:00+09:00"),
                    clock(),
                )
                .unwrap_err();
            assert_eq!(err.to_string(), expected);
        }
        let loose = store
            .root()
            .join("runs/self/test-five/2026-09-01T090000-sato.ron");
        std::fs::write(&loose, "not even a run").unwrap();
        let err = store
            .record_run(
                draft("yes", Some("self/test-five/2026-09-01T090000-sato")),
                &catalog,
                at("2026-10-02T09:00:00+09:00"),
                clock(),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "run `self/test-five/2026-09-01T090000-sato` is not committed"
        );
        std::fs::remove_file(&loose).unwrap();
        assert_eq!(
            git::open(store.root()).unwrap().head().unwrap().target(),
            head
        );
        assert_eq!(dirty(&store), Vec::<String>::new());
    }

    #[test]
    fn a_withdrawal_is_a_committed_file_and_the_run_file_stays() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let run = store
            .record_run(
                draft("yes", None),
                &catalog,
                at("2026-10-01T09:00:00+09:00"),
                clock(),
            )
            .unwrap();
        let run_file = std::fs::read(store.root().join(&run.path)).unwrap();
        let done = store
            .withdraw_run(
                &catalog,
                &run.run.id,
                "  recorded for the wrong site \n",
                &inspector("suzuki"),
                clock(),
            )
            .unwrap();
        assert_eq!(
            done.path,
            Path::new("withdrawals/self/test-five/2026-10-01T090000-sato.ron")
        );
        assert_eq!(done.withdrawal.reason, "recorded for the wrong site");
        assert_eq!(done.withdrawal.by.id.as_str(), "suzuki");
        assert_eq!(done.withdrawal.date, clock().now());
        let repo = git::open(store.root()).unwrap();
        let head = repo.head().unwrap().peel_to_commit().unwrap();
        assert_eq!(head.id().to_string(), done.commit);
        assert_eq!(head.author().name().unwrap(), "Inspector suzuki");
        assert_eq!(
            head.message().unwrap(),
            format!(
                "withdraw: test-five for self — 2026-10-01\n\nrecorded for the wrong site\n\nTenken-Withdraws: {}\n",
                run.run.id
            )
        );
        let changed: Vec<String> = {
            let parent = head.parent(0).unwrap();
            let diff = repo
                .diff_tree_to_tree(
                    Some(&parent.tree().unwrap()),
                    Some(&head.tree().unwrap()),
                    None,
                )
                .unwrap();
            diff.deltas()
                .map(|d| d.new_file().path().unwrap().display().to_string())
                .collect()
        };
        assert_eq!(changed, [done.path.display().to_string()]);
        assert_eq!(
            std::fs::read(store.root().join(&run.path)).unwrap(),
            run_file
        );
        assert_eq!(dirty(&store), Vec::<String>::new());

        assert!(
            store
                .history(&catalog, &HistoryFilter::default())
                .unwrap()
                .is_empty()
        );
        let all = store.history(&catalog, &everything()).unwrap();
        assert_eq!(all[0].withdrawn.as_ref(), Some(&done.withdrawal));

        let err = store
            .withdraw_run(&catalog, &run.run.id, "again", &inspector("sato"), clock())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "run `{}` was already withdrawn on 2026-11-25 by `suzuki`",
                run.run.id
            )
        );
        // A withdrawn run cannot be corrected either.
        let err = store
            .record_run(
                draft("yes", Some(&run.run.id)),
                &catalog,
                at("2026-10-02T09:00:00+09:00"),
                clock(),
            )
            .unwrap_err();
        assert!(
            err.to_string().contains("was withdrawn on 2026-11-25"),
            "{err}"
        );
    }

    #[test]
    fn withdrawals_are_refused_for_superseded_runs_empty_reasons_and_other_inspectors_subjects() {
        let (_dir, store) = test_store();
        let mut catalog = store.catalog().unwrap();
        let wrong = store
            .record_run(
                draft("partly", None),
                &catalog,
                at("2026-10-01T09:00:00+09:00"),
                clock(),
            )
            .unwrap();
        let fixed = store
            .record_run(
                draft("yes", Some(&wrong.run.id)),
                &catalog,
                at("2026-10-01T10:00:00+09:00"),
                clock(),
            )
            .unwrap();
        let head = git::open(store.root()).unwrap().head().unwrap().target();
        let err = store
            .withdraw_run(&catalog, &wrong.run.id, "typo", &inspector("sato"), clock())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "run `{}` is superseded by `{}` and no longer counts",
                wrong.run.id, fixed.run.id
            )
        );
        let err = store
            .withdraw_run(&catalog, &fixed.run.id, " \n ", &inspector("sato"), clock())
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Usage);
        // An inspector limited to another subject may not withdraw it.
        catalog.config.inspectors.insert(
            id("tanaka"),
            Permissions {
                subjects: vec![id("hq")],
                ..Permissions::default()
            },
        );
        let err = store
            .withdraw_run(
                &catalog,
                &fixed.run.id,
                "not mine",
                &inspector("tanaka"),
                clock(),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "inspector `tanaka` may not run subject `self`"
        );
        assert_eq!(
            git::open(store.root()).unwrap().head().unwrap().target(),
            head
        );
        assert!(!store.root().join(WITHDRAWALS_DIR).exists());
        // Withdrawing the correction takes out exactly that run; the run it
        // superseded stays superseded.
        store
            .withdraw_run(
                &catalog,
                &fixed.run.id,
                "both were wrong",
                &inspector("sato"),
                clock(),
            )
            .unwrap();
        assert!(
            store
                .history(&catalog, &HistoryFilter::default())
                .unwrap()
                .is_empty()
        );
        let all = store.history(&catalog, &everything()).unwrap();
        assert!(all[0].superseded_by.is_some() && all[1].withdrawn.is_some());
    }

    #[test]
    fn runs_of_a_day_are_found_for_the_duplicate_question() {
        let (_dir, store) = test_store();
        let catalog = store.catalog().unwrap();
        let first = store
            .record_run(
                draft("yes", None),
                &catalog,
                at("2026-10-01T09:00:00+09:00"),
                clock(),
            )
            .unwrap();
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let found = store
            .runs_on_day(&catalog, &id("self"), &id("test-five"), day("2026-10-01"))
            .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].run.id, first.run.id);
        assert!(
            store
                .runs_on_day(&catalog, &id("self"), &id("test-five"), day("2026-10-02"))
                .unwrap()
                .is_empty()
        );
        store
            .withdraw_run(
                &catalog,
                &first.run.id,
                "duplicate",
                &inspector("sato"),
                clock(),
            )
            .unwrap();
        assert!(
            store
                .runs_on_day(&catalog, &id("self"), &id("test-five"), day("2026-10-01"))
                .unwrap()
                .is_empty(),
            "a withdrawn run is not in the way"
        );
    }

    #[test]
    fn run_ids_split_into_safe_parts_only() {
        let (s, i, n) = run_id_parts("self/ipa-self-check/2026-11-25T091500-sato-2").unwrap();
        assert_eq!(
            (s.as_str(), i.as_str(), n),
            ("self", "ipa-self-check", "2026-11-25T091500-sato-2")
        );
        for bad in [
            "self/x",
            "self/x/y/z",
            "../x/y",
            "self/x/..",
            "self/x/.hidden",
            "Self/x/y",
            "self/x/a b",
            "",
        ] {
            assert!(run_id_parts(bad).is_none(), "{bad}");
        }
    }
}
