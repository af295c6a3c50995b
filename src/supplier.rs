//! Supplier review: every supplier's latest check, its change against the
//! check before, its band, open findings and next due date, in the orders a
//! reviewer asks for (risk, overdue, change); the failing items of a check;
//! and the questionnaire a supplier fills in a spreadsheet (`questionnaire`).
//!
//! Pure: history, register and today's date come in, values go out. Nothing
//! here reads files or the clock, and nothing is escaped for a terminal:
//! the CLI and the TUI escape strings from data when they show them.

pub mod questionnaire;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::actions;
use crate::load::Catalog;
use crate::model::{Answer, Choice, Id, Inspection, Item, Run, Section, Subject, SubjectKind};
use crate::schedule::{self, Due};
use crate::store::HistoryEntry;

/// A quick hasher for the review's maps of the history's own ids.
type Quick = foldhash::fast::RandomState;

/// The bundled supplier checklist, reviewed unless another is asked for.
pub const SUPPLIER_CHECK: &str = "supplier-check";

/// How the supplier table is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SortBy {
    /// Criticality × shortfall, highest first.
    // (`SupplierReview::risk`; the line above is the command line's help.)
    #[default]
    Risk,
    /// Overdue first, then by due date, soonest first.
    Overdue,
    /// The change against the previous check, worst regression first.
    Change,
}

impl SortBy {
    /// Returns the next order in the cycle risk → overdue → change → risk.
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::Risk => Self::Overdue,
            Self::Overdue => Self::Change,
            Self::Change => Self::Risk,
        }
    }

    /// Returns the order's name as on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Risk => "risk",
            Self::Overdue => "overdue",
            Self::Change => "change",
        }
    }
}

/// One supplier of the review.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplierReview {
    /// The supplier as registered.
    pub subject: Subject,
    /// Indices into the history of the supplier's checks, oldest first;
    /// runs superseded by a correction are left out.
    pub runs: Vec<usize>,
    /// The percent of the latest check.
    pub percent: Option<f64>,
    /// Index into the history of the check the latest one is compared
    /// with: the latest before the start of its fiscal quarter.
    pub previous: Option<usize>,
    /// Latest percent minus the previous check's percent.
    pub delta: Option<f64>,
    /// When the next check is due, if a profile schedules one.
    pub due: Option<Due>,
    /// Open corrective actions of the supplier, from every inspection
    /// (derived from the history by [`crate::actions`]).
    pub open_actions: usize,
    /// How many of the open actions are past their due date.
    pub overdue_actions: usize,
    /// How far past its due date the latest check is, as a share of the
    /// schedule's period: 0 while it is due in the future, 1 when it is a
    /// whole period late or more (see [`SupplierReview::shortfall`]).
    pub staleness: f64,
}

impl SupplierReview {
    /// Returns the index into the history of the latest check.
    pub fn latest(&self) -> Option<usize> {
        self.runs.last().copied()
    }

    /// Returns the index into the history of the check the latest one is
    /// compared with (the one rule, [`crate::compare::previous_of`]).
    pub fn previous(&self) -> Option<usize> {
        self.previous
    }

    /// Returns what is not known to be in place, 0–100: 100 − percent of
    /// the latest check, growing to 100 as the check gets past its due
    /// date (by [`SupplierReview::staleness`]: a check a whole period late
    /// says no more than none); 100 when never checked.
    ///
    /// A check at 70% is a shortfall of 30 while it is in date, 65 when it
    /// is half a period overdue and 100 from a whole period overdue on.
    pub fn shortfall(&self) -> f64 {
        self.percent.map_or(100.0, |p| {
            let missing = 100.0 - p.clamp(0.0, 100.0);
            missing + (100.0 - missing) * self.staleness.clamp(0.0, 1.0)
        })
    }

    /// Returns criticality × shortfall (0–300): the order of the review.
    pub fn risk(&self) -> f64 {
        f64::from(self.subject.criticality) * self.shortfall()
    }

    /// Returns true when the next check is overdue.
    pub fn overdue(&self) -> bool {
        self.due.as_ref().is_some_and(|d| d.overdue)
    }
}

/// Returns every supplier with its latest `inspection`, ordered by risk.
///
/// `history` is the whole history, oldest first (as `Store::history`
/// returns it); the reviews index into it. Retired suppliers are left out
/// unless `retired` is true.
pub fn review(
    catalog: &Catalog,
    history: &[HistoryEntry],
    inspection: &Id,
    today: NaiveDate,
    retired: bool,
) -> Vec<SupplierReview> {
    let superseded: HashSet<&str, Quick> = history
        .iter()
        .filter_map(|h| h.run.supersedes.as_deref())
        .collect();
    let due = schedule::due_list(catalog, &schedule::last_runs(history), today);
    let fiscal_start = catalog.config.fiscal_year_start;
    // Lookup tables, so that the review stays linear in the register and
    // the history (tens of thousands of suppliers).
    let due_of: HashMap<(&Id, &Id), &Due, Quick> = due
        .iter()
        .map(|d| ((&d.subject, &d.inspection), d))
        .collect();
    let mut runs_of: HashMap<&Id, Vec<usize>, Quick> = HashMap::default();
    for (i, h) in history.iter().enumerate() {
        if &h.run.inspection == inspection && !superseded.contains(h.run.id.as_str()) {
            runs_of.entry(&h.run.subject).or_default().push(i);
        }
    }
    let actions = actions::counts_by_subject(history, catalog, today);
    let mut out: Vec<SupplierReview> = catalog
        .subjects
        .subjects
        .iter()
        .filter(|s| s.kind == SubjectKind::Supplier && (retired || !s.retired))
        .map(|subject| {
            let runs: Vec<usize> = runs_of.get(&subject.id).cloned().unwrap_or_default();
            let percent_of = |i: Option<usize>| i.and_then(|i| history.get(i)).map(|h| h.percent);
            let latest = runs.last().copied();
            let previous = latest.and_then(|l| {
                let series: Vec<&crate::model::Run> =
                    runs.iter().map(|&i| &history[i].run).collect();
                let p = crate::compare::previous_of(&series, &history[l].run, fiscal_start)?;
                runs.iter().copied().find(|&i| history[i].run.id == p.id)
            });
            let percent = percent_of(latest);
            let delta = percent.zip(percent_of(previous)).map(|(a, b)| a - b);
            let open = actions.get(&subject.id).copied().unwrap_or_default();
            let due = due_of.get(&(&subject.id, inspection)).map(|d| (*d).clone());
            SupplierReview {
                subject: subject.clone(),
                runs,
                percent,
                previous,
                delta,
                staleness: due.as_ref().map_or(0.0, |d| staleness(d, today)),
                due,
                open_actions: open.open,
                overdue_actions: open.overdue,
            }
        })
        .collect();
    sort(&mut out, SortBy::Risk);
    out
}

/// Returns how far past its due date a check is on `today`, as a share of
/// its schedule's period (a month, quarter, half-year or year, counted as
/// `months × 365.25 / 12` days), 0–1.
fn staleness(due: &Due, today: NaiveDate) -> f64 {
    let late = (today - due.due_date).num_days();
    if late <= 0 {
        return 0.0;
    }
    let period = f64::from(due.every.months()) * 365.25 / 12.0;
    #[allow(clippy::cast_precision_loss)] // days: far below 2^52
    let late = late as f64;
    (late / period).min(1.0)
}

/// Orders reviews by `by`; ties go to the higher risk, then to the id.
pub fn sort(reviews: &mut [SupplierReview], by: SortBy) {
    let by_risk = |a: &SupplierReview, b: &SupplierReview| {
        b.risk()
            .total_cmp(&a.risk())
            .then_with(|| b.overdue().cmp(&a.overdue()))
            .then_with(|| a.subject.id.cmp(&b.subject.id))
    };
    match by {
        SortBy::Risk => reviews.sort_by(by_risk),
        SortBy::Overdue => reviews.sort_by(|a, b| {
            // Overdue first; then the soonest due date; unscheduled last.
            let key = |r: &SupplierReview| (!r.overdue(), r.due.as_ref().map(|d| d.due_date));
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0)
                .then_with(|| match (ka.1, kb.1) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                })
                .then_with(|| by_risk(a, b))
        }),
        SortBy::Change => reviews.sort_by(|a, b| match (a.delta, b.delta) {
            (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| by_risk(a, b)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => by_risk(a, b),
        }),
    }
}

/// Returns true when `answer` is an applicable choice below the item's best.
fn below_best(template: &Inspection, item: &Item, answer: &Answer) -> bool {
    let best = template.best_choice(item).and_then(|c| c.points);
    let got = template
        .choice(item, answer.choice.as_str())
        .and_then(|c| c.points);
    matches!((got, best), (Some(g), Some(b)) if g < b)
}

/// An answer below the item's best choice.
#[derive(Debug, Clone, Copy)]
pub struct Failing<'a> {
    /// The item's section.
    pub section: &'a Section,
    /// The item.
    pub item: &'a Item,
    /// The choice given, if the template still has it.
    pub choice: Option<&'a Choice>,
    /// The answer, with note, evidence and action.
    pub answer: &'a Answer,
}

/// Returns the items of `run` answered below their best choice, in walk
/// order, judged against `template`.
pub fn failing_items<'a>(template: &'a Inspection, run: &'a Run) -> Vec<Failing<'a>> {
    template
        .items()
        .filter_map(|(section, item)| {
            let answer = run.answers.get(&item.id)?;
            below_best(template, item, answer).then(|| Failing {
                section,
                item,
                choice: template.choice(item, answer.choice.as_str()),
                answer,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
