//! Choosing runs to compare: run ids, dates, periods, `latest` and
//! `previous`, over the runs that are current (not superseded, not
//! withdrawn). The store hands out the current runs; a run id may also name
//! one that left the current set, when the caller passes those too.
//!
//! One rule says which run a run is compared with, everywhere (`tenken
//! compare` without names, `previous`, the TUI's compare key and finish
//! screen, deltas on the dashboard, history and supplier review, trends and
//! reports): [`previous_of`], the latest current run of the same subject
//! and inspection finished before the start of the run's fiscal quarter,
//! however long before. docs/comparison.md explains why.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

use chrono::NaiveDate;

use super::diff::RunComparison;
use crate::model::{Id, Run};
use crate::period::{Period, PeriodError};

/// How a run is named on the command line or in the TUI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunSpec {
    /// A run id (`self/ipa-self-check/2026-11-25T091500-sato`).
    Run(String),
    /// The latest run finished on this date.
    Date(NaiveDate),
    /// The latest run finished in this period.
    Period(Period),
    /// The latest run.
    Latest,
    /// The run the latest one is compared with ([`previous_of`] the
    /// latest).
    Previous,
}

impl RunSpec {
    /// Parses a run id, a date (`2026-11-25`), a period (`2026Q3`,
    /// `FY2026Q2`, `2026H1`, `2026`), `latest` or `previous`.
    ///
    /// `fiscal_start_month` is the month the fiscal year starts in (1–12).
    pub fn parse(s: &str, fiscal_start_month: u32) -> Result<Self, SelectError> {
        let trimmed = s.trim();
        match trimmed.to_ascii_lowercase().as_str() {
            "latest" | "last" => return Ok(Self::Latest),
            "previous" | "prev" => return Ok(Self::Previous),
            _ => {}
        }
        if trimmed.contains('/') {
            return Ok(Self::Run(trimmed.to_owned()));
        }
        if trimmed.len() == 10 && trimmed.as_bytes().get(4) == Some(&b'-') {
            return crate::model::parse_date(trimmed)
                .map(Self::Date)
                .map_err(|_| SelectError::BadDate(crate::escape::line(trimmed)));
        }
        match Period::parse(trimmed, fiscal_start_month) {
            Ok(p) => Ok(Self::Period(p)),
            Err(e @ (PeriodError::OutOfRange(_) | PeriodError::StartMonth(_))) => {
                Err(SelectError::BadPeriod(e))
            }
            Err(PeriodError::Syntax(_)) => Err(SelectError::BadSpec(crate::escape::line(trimmed))),
        }
    }
}

impl fmt::Display for RunSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Run(id) => f.write_str(&crate::escape::line(id)),
            Self::Date(d) => write!(f, "{d}"),
            Self::Period(p) => write!(f, "{p}"),
            Self::Latest => f.write_str("latest"),
            Self::Previous => f.write_str("previous"),
        }
    }
}

/// Why no run could be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// The name is none of the accepted shapes.
    #[error(
        "`{0}` is not a run id, a date (YYYY-MM-DD), a period (2026Q3, FY2026Q2, 2026H1, 2026), `latest` or `previous`"
    )]
    BadSpec(String),
    /// A date that does not exist.
    #[error("`{0}` is not a valid date; use YYYY-MM-DD")]
    BadDate(String),
    /// A period with an impossible quarter or half.
    #[error("{0}")]
    BadPeriod(PeriodError),
    /// There are no runs to choose from.
    #[error("there are no finished runs")]
    NoRuns,
    /// No run finished before the quarter of the run to compare.
    #[error(
        "no run finished before {period}, the quarter of {run}, so there is nothing to compare it with"
    )]
    NoPrevious {
        /// The run that has no previous one.
        run: String,
        /// Its (fiscal) quarter.
        period: Period,
    },
    /// No run has this id.
    #[error("there is no run `{0}`")]
    UnknownRun(String),
    /// No run finished on the date.
    #[error("no run finished on {date}{}", nearest(*.before, *.after, "date"))]
    NoRunOnDate {
        /// The date asked for.
        date: NaiveDate,
        /// The nearest earlier date with a run.
        before: Option<NaiveDate>,
        /// The nearest later date with a run.
        after: Option<NaiveDate>,
    },
    /// No run finished in the period.
    #[error("no run finished in {period}{}", nearest(*.before, *.after, "period"))]
    NoRunInPeriod {
        /// The period asked for.
        period: Period,
        /// The nearest earlier period (of the same kind) with a run.
        before: Option<Period>,
        /// The nearest later period (of the same kind) with a run.
        after: Option<Period>,
    },
}

fn nearest<T: fmt::Display>(before: Option<T>, after: Option<T>, what: &str) -> String {
    match (before, after) {
        (Some(b), Some(a)) => format!("; the nearest {what}s with runs are {b} and {a}"),
        (Some(x), None) | (None, Some(x)) => format!("; the nearest {what} with a run is {x}"),
        (None, None) => String::new(),
    }
}

/// Returns the ids of runs that a later correction supersedes.
pub(super) fn superseded<R: Borrow<Run>>(runs: &[R]) -> HashSet<&str> {
    runs.iter()
        .filter_map(|r| r.borrow().supersedes.as_deref())
        .collect()
}

/// Returns the runs that count for selection and trends: every run not
/// superseded by a correction, sorted by finish time (then id).
pub fn effective_runs<R: Borrow<Run>>(runs: &[R]) -> Vec<&Run> {
    let gone = superseded(runs);
    let mut out: Vec<&Run> = runs
        .iter()
        .map(Borrow::borrow)
        .filter(|r| !gone.contains(r.id.as_str()))
        .collect();
    out.sort_by(|a, b| (a.finished, &a.id).cmp(&(b.finished, &b.id)));
    out
}

/// Chooses one run.
///
/// Runs are expected to be those of one subject and inspection (any
/// order). A run id matches any run, superseded or not; every other kind
/// of name leaves superseded runs out: a period or a date picks the latest
/// run finished in it, `latest` the latest run and `previous` the run the
/// latest is compared with ([`previous_of`]; `fiscal_start_month` places
/// its quarter). The errors name the nearest dates or periods that have
/// runs.
pub fn select<'a, R: Borrow<Run>>(
    runs: &'a [R],
    spec: &RunSpec,
    fiscal_start_month: u32,
) -> Result<&'a Run, SelectError> {
    if let RunSpec::Run(id) = spec {
        return runs
            .iter()
            .map(Borrow::borrow)
            .find(|r| r.id == *id)
            .ok_or_else(|| SelectError::UnknownRun(crate::escape::line(id)));
    }
    let effective = effective_runs(runs);
    let Some(latest) = effective.last().copied() else {
        return Err(SelectError::NoRuns);
    };
    match spec {
        RunSpec::Run(_) | RunSpec::Latest => Ok(latest),
        RunSpec::Previous => previous_among(&effective, latest, fiscal_start_month)
            .ok_or_else(|| no_previous(latest, fiscal_start_month)),
        RunSpec::Date(date) => effective
            .iter()
            .rev()
            .find(|r| r.date() == *date)
            .copied()
            .ok_or_else(|| SelectError::NoRunOnDate {
                date: *date,
                before: effective
                    .iter()
                    .map(|r| r.date())
                    .filter(|d| d < date)
                    .max(),
                after: effective
                    .iter()
                    .map(|r| r.date())
                    .filter(|d| d > date)
                    .min(),
            }),
        RunSpec::Period(period) => effective
            .iter()
            .rev()
            .find(|r| period.contains(r.date()))
            .copied()
            .ok_or_else(|| {
                let periods = effective
                    .iter()
                    .map(|r| Period::containing(period.kind(), r.date(), period.start_month()));
                let (mut before, mut after): (Option<Period>, Option<Period>) = (None, None);
                for p in periods {
                    if p < *period && before.is_none_or(|b| p > b) {
                        before = Some(p);
                    }
                    if p > *period && after.is_none_or(|a| p < a) {
                        after = Some(p);
                    }
                }
                SelectError::NoRunInPeriod {
                    period: *period,
                    before,
                    after,
                }
            }),
    }
}

/// Returns the run `run` is compared with: the latest current run (not
/// superseded) of the same subject and inspection in `runs`, finished
/// before the start of `run`'s fiscal quarter, however many quarters
/// before. `None` when there is none.
///
/// The one rule for "previous": a quarterly check is compared with last
/// quarter's, a yearly one with last year's, one that skipped two quarters
/// with the last one done. Of two runs in one quarter the later is that
/// quarter's result, compared with an earlier quarter's, never with its
/// sibling (name both to compare them). `run` need not be in `runs` (a
/// run being finished). `fiscal_start_month` is the first month (1–12).
pub fn previous_of<'a, R: Borrow<Run>>(
    runs: &'a [R],
    run: &Run,
    fiscal_start_month: u32,
) -> Option<&'a Run> {
    let same: Vec<&'a Run> = runs
        .iter()
        .map(Borrow::borrow)
        .filter(|r| r.subject == run.subject && r.inspection == run.inspection)
        .collect();
    let gone = superseded(&same);
    let effective: Vec<&'a Run> = same
        .iter()
        .copied()
        .filter(|r| !gone.contains(r.id.as_str()))
        .collect();
    previous_among(&effective, run, fiscal_start_month)
}

/// [`previous_of`] over runs already left to the current ones of one
/// subject and inspection.
fn previous_among<'a>(
    effective: &[&'a Run],
    run: &Run,
    fiscal_start_month: u32,
) -> Option<&'a Run> {
    let start = Period::fiscal_quarter_of(run.date(), fiscal_start_month).start();
    effective
        .iter()
        .copied()
        .filter(|r| r.date() < start)
        .max_by(|a, b| (a.finished, &a.id).cmp(&(b.finished, &b.id)))
}

/// The error for a run without a previous one.
fn no_previous(run: &Run, fiscal_start_month: u32) -> SelectError {
    SelectError::NoPrevious {
        run: crate::escape::line(&run.id),
        period: Period::fiscal_quarter_of(run.date(), fiscal_start_month),
    }
}

/// Chooses the earlier and the later run of a comparison.
///
/// - no names: the latest run, against the run it is compared with
///   ([`previous_of`]);
/// - one name: that run against the latest run;
/// - two names: the first against the second.
pub fn select_pair<'a, R: Borrow<Run>>(
    runs: &'a [R],
    a: Option<&RunSpec>,
    b: Option<&RunSpec>,
    fiscal_start_month: u32,
) -> Result<(&'a Run, &'a Run), SelectError> {
    select_pair_in(runs, runs, a, b, fiscal_start_month)
}

/// Chooses one run: a run id from `named` (current runs and those that
/// left the current set), anything else from `current` only.
pub fn select_in<'a, R: Borrow<Run>>(
    current: &'a [R],
    named: &'a [R],
    spec: &RunSpec,
    fiscal_start_month: u32,
) -> Result<&'a Run, SelectError> {
    match spec {
        RunSpec::Run(_) => select(named, spec, fiscal_start_month),
        _ => select(current, spec, fiscal_start_month),
    }
}

/// [`select_pair`], with run ids looked up in `named` and every other kind
/// of name in `current` (see [`select_in`]).
pub fn select_pair_in<'a, R: Borrow<Run>>(
    current: &'a [R],
    named: &'a [R],
    a: Option<&RunSpec>,
    b: Option<&RunSpec>,
    fiscal_start_month: u32,
) -> Result<(&'a Run, &'a Run), SelectError> {
    let pick = |spec: &RunSpec| select_in(current, named, spec, fiscal_start_month);
    match (a, b) {
        (None, None) => Ok((pick(&RunSpec::Previous)?, pick(&RunSpec::Latest)?)),
        (Some(a), None) | (None, Some(a)) => Ok((pick(a)?, pick(&RunSpec::Latest)?)),
        (Some(a), Some(b)) => Ok((pick(a)?, pick(b)?)),
    }
}

/// Groups runs by (subject, inspection), each group sorted by finish time.
pub fn group_runs<R: Borrow<Run>>(runs: &[R]) -> BTreeMap<(Id, Id), Vec<&Run>> {
    let mut groups: BTreeMap<(Id, Id), Vec<&Run>> = BTreeMap::new();
    for run in runs.iter().map(Borrow::borrow) {
        groups
            .entry((run.subject.clone(), run.inspection.clone()))
            .or_default()
            .push(run);
    }
    for group in groups.values_mut() {
        group.sort_by(|a, b| (a.finished, &a.id).cmp(&(b.finished, &b.id)));
    }
    groups
}

/// Sorts comparisons of several subjects by change: the largest fall in
/// percent first, then the most regressions, then by subject id.
pub fn rank(comparisons: &mut [RunComparison]) {
    comparisons.sort_by(|a, b| {
        a.percent_delta
            .total_cmp(&b.percent_delta)
            .then(b.summary.regressed.cmp(&a.summary.regressed))
            .then(a.subject.cmp(&b.subject))
    });
}
