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
use crate::msg::withdraw;

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
            return Err(Error::user(withdraw::not_a_run_id(&shown)));
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
                withdraw::not_committed(&shown),
                withdraw::NOT_COMMITTED_HINT,
            ));
        }
        Err(Error::user_hint(
            withdraw::no_such_run(&shown),
            withdraw::RUN_IDS_HINT,
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
            return Err(Error::user(withdraw::correction_elsewhere(
                &shown,
                (entry.run.inspection.as_str(), entry.run.subject.as_str()),
                (inspection.as_str(), subject.as_str()),
            )));
        }
        if let Some(w) = &entry.withdrawn {
            return Err(Error::user(withdraw::correcting_withdrawn(
                &shown,
                &w.date.date_naive().to_string(),
                w.by.id.as_str(),
            )));
        }
        if let Some(by) = &entry.superseded_by {
            let (message, hint) = withdraw::corrected_already(&shown, &crate::escape::line(by));
            return Err(Error::user_hint(message, hint));
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
            return Err(Error::usage(withdraw::NO_REASON));
        }
        if reason.len() > MAX_REASON_BYTES {
            return Err(Error::usage(withdraw::reason_too_long(
                reason.len(),
                MAX_REASON_BYTES,
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
            return Err(Error::user(withdraw::already_withdrawn(
                &shown,
                &w.date.date_naive().to_string(),
                w.by.id.as_str(),
            )));
        }
        if let Some(later) = &entry.superseded_by {
            let later = crate::escape::line(later);
            return Err(Error::user_hint(
                withdraw::superseded(&shown, &later),
                withdraw::superseded_hint(&later),
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
                crate::msg::commit::withdrawal_in_the_way(&rel.display().to_string()),
                crate::msg::commit::WITHDRAWAL_IN_THE_WAY_HINT,
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
                Error::user(crate::msg::commit::not_in_step(
                    crate::msg::commit::Done::Withdrawal(&shown),
                    &commit,
                    &e.message(),
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
mod tests;
