//! Corrective actions, derived from the run history (DESIGN §4). An action
//! is recorded on an answer below the item's best choice; it stays open
//! until a later run of the same subject and inspection answers that item
//! with its best choice (closed automatically) or lists it in `closes`
//! (closed explicitly). Overdue means past `due` and still open.
//!
//! Nothing here is stored: the state of every action is recomputed from
//! the runs each time. Pure functions; no I/O, and `today` is always
//! passed in, never read from the clock.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::load::Catalog;
use crate::model::{Action, Brief, Id, Inspection, Run};

mod derive;
mod tally;

pub use derive::ActionRef;

/// How an action was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CloseKind {
    /// A later run answered the item with its best choice.
    Best,
    /// A later run listed the action in its `closes`.
    Explicit,
}

/// The run that closed an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// The closing run's id.
    pub run: String,
    /// The date the closing run was finished.
    pub date: NaiveDate,
    /// Why the action counts as closed.
    pub kind: CloseKind,
}

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Open and past its due date.
    Overdue,
    /// Open, not yet due.
    Open,
    /// Closed by a later run.
    Closed,
}

impl Status {
    /// Returns the status of an action closed or not, and past its due
    /// date or not (a closed action is closed, whatever its date).
    pub fn of(closed: bool, overdue: bool) -> Self {
        match (closed, overdue) {
            (true, _) => Self::Closed,
            (false, true) => Self::Overdue,
            (false, false) => Self::Open,
        }
    }

    /// Returns the status's name for JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Overdue => "overdue",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

/// One corrective action with its derived state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectiveAction {
    /// The id of the run whose answer carries the action.
    pub run: String,
    /// The item answered below its best choice.
    pub item: Id,
    /// The run's subject.
    pub subject: Id,
    /// The run's inspection.
    pub inspection: Id,
    /// The choice that was answered.
    pub choice: Id,
    /// The date the run was finished: when the action was opened.
    pub opened: NaiveDate,
    /// What is to be done, by whom, by when.
    pub action: Action,
    /// The run that closed the action, if any.
    pub closed: Option<Closure>,
    /// True when the action is open and `due` is before today.
    pub overdue: bool,
}

impl CorrectiveAction {
    /// Returns `<run id>#<item>`, the form `Run.closes` names actions by.
    pub fn key(&self) -> String {
        action_key(&self.run, &self.item)
    }

    /// Returns true while no later run has closed the action.
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    /// Returns whether the action is overdue, open or closed.
    pub fn status(&self) -> Status {
        Status::of(self.closed.is_some(), self.overdue)
    }
}

/// How many actions are open, and how many of those are overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ActionCounts {
    /// Open actions, overdue ones included.
    pub open: usize,
    /// Open actions past their due date.
    pub overdue: usize,
}

/// Returns `<run id>#<item>`, the form `Run.closes` names actions by.
pub fn action_key(run: &str, item: &Id) -> String {
    format!("{run}#{item}")
}

// Other modules take runs or history entries alike.
impl AsRef<Run> for Run {
    fn as_ref(&self) -> &Run {
        self
    }
}

/// A run with its answers: a run as its file has it, or a history entry,
/// whose answers are in brief (all that actions need).
pub trait Answered {
    /// Returns the run (its `answers` may be empty for a history entry).
    fn run(&self) -> &Run;
    /// Calls `f` with each answer's item, choice, carried mark and action.
    fn each_answer<'a>(&'a self, f: &mut dyn FnMut(&'a Id, &'a Id, bool, Option<&'a Action>));
    /// Returns the template the run was answered with, when known (a
    /// history entry knows it; a bare run is judged by the current one).
    fn template(&self) -> Option<&Inspection> {
        None
    }
    /// Returns the answers in brief with the template they were taken
    /// against, when that is all the run holds (a history entry whose
    /// file was not read whole): the same answers as
    /// [`Answered::each_answer`] gives, read by position instead.
    fn brief(&self) -> Option<(&Brief, &Inspection)> {
        None
    }
}

impl Answered for Run {
    fn run(&self) -> &Run {
        self
    }

    fn each_answer<'a>(&'a self, f: &mut dyn FnMut(&'a Id, &'a Id, bool, Option<&'a Action>)) {
        for (item, a) in &self.answers {
            f(item, &a.choice, a.carried, a.action.as_ref());
        }
    }
}

impl Answered for crate::model::HistoryEntry {
    fn run(&self) -> &Run {
        &self.run
    }

    fn each_answer<'a>(&'a self, f: &mut dyn FnMut(&'a Id, &'a Id, bool, Option<&'a Action>)) {
        if self.run.answers.is_empty() {
            for a in self.answers() {
                f(&a.item.id, &a.choice.id, a.carried, a.action);
            }
        } else {
            self.run.each_answer(f);
        }
    }

    fn template(&self) -> Option<&Inspection> {
        Some(&self.template)
    }

    fn brief(&self) -> Option<(&Brief, &Inspection)> {
        self.run
            .answers
            .is_empty()
            .then_some((&self.brief, &*self.template))
    }
}

impl<T: Answered + ?Sized> Answered for &T {
    fn run(&self) -> &Run {
        (**self).run()
    }

    fn each_answer<'a>(&'a self, f: &mut dyn FnMut(&'a Id, &'a Id, bool, Option<&'a Action>)) {
        (**self).each_answer(f);
    }

    fn template(&self) -> Option<&Inspection> {
        (**self).template()
    }

    fn brief(&self) -> Option<(&Brief, &Inspection)> {
        (**self).brief()
    }
}

/// Returns every corrective action recorded in `runs`, with its state on
/// `today`, sorted by [`sort`] (overdue first, then by due date).
///
/// `runs` may be in any order; "later" means finished later (then by id).
/// Runs superseded by a correction are left out: the correction carries its
/// own answers and actions. An answer closes an action automatically only
/// when it is the best choice of the item in the template its run answered
/// (a history entry knows it; a bare run is judged by the inspection's
/// current template, the last good version while its file is broken) and
/// is not a carried (unconfirmed) copy.
pub fn derive<R: Answered>(
    runs: &[R],
    catalog: &Catalog,
    today: NaiveDate,
) -> Vec<CorrectiveAction> {
    derive_where(runs, catalog, today, |_| true)
}

/// Returns the actions of [`derive`] for which `keep` is true, in the same
/// order; only those are copied out of the runs (a command showing the
/// open actions of a long history copies no closed one).
pub fn derive_where<R: Answered>(
    runs: &[R],
    catalog: &Catalog,
    today: NaiveDate,
    mut keep: impl FnMut(&ActionRef<'_>) -> bool,
) -> Vec<CorrectiveAction> {
    let mut found = derive::find(runs, catalog, today);
    found.retain(|a| keep(a));
    derive::sort(&mut found, catalog);
    found.iter().map(ActionRef::to_owned).collect()
}

/// Returns true when `run` answers `item` with its best choice in
/// `template`, confirmed (not carried).
pub fn closes_by_answer(template: Option<&Inspection>, run: &Run, item: &Id) -> bool {
    let Some(template) = template else {
        return false;
    };
    let Some(answer) = run.answers.get(item) else {
        return false;
    };
    if answer.carried {
        return false;
    }
    template
        .item(item.as_str())
        .and_then(|it| template.best_choice(it))
        .is_some_and(|best| best.id == answer.choice)
}

/// Sorts actions overdue first, then open, then closed; each group by due
/// date, then run, then the item's place in its template (walk order).
pub fn sort(actions: &mut [CorrectiveAction], catalog: &Catalog) {
    let place = |a: &CorrectiveAction| {
        catalog
            .judging_template(&a.inspection)
            .and_then(|t| t.items().position(|(_, i)| i.id == a.item))
            .unwrap_or(usize::MAX)
    };
    actions.sort_by_cached_key(|a| {
        (
            a.status(),
            a.action.due,
            a.run.clone(),
            place(a),
            a.item.clone(),
        )
    });
}

/// Returns how many of `actions` are open and overdue.
pub fn counts<A: Borrow<CorrectiveAction>>(actions: &[A]) -> ActionCounts {
    let mut c = ActionCounts::default();
    for a in actions.iter().map(Borrow::borrow) {
        if a.is_open() {
            c.open += 1;
            if a.overdue {
                c.overdue += 1;
            }
        }
    }
    c
}

/// Counts the open and overdue actions of `runs` without finding each
/// action (the dashboard's line: [`derive`] would list and sort every
/// action of the history only to count them).
pub fn count<R: Answered>(runs: &[R], catalog: &Catalog, today: NaiveDate) -> ActionCounts {
    tally::open(runs, catalog, today)
}

/// Returns the number of open actions per subject (subjects without open
/// actions are absent), from runs or history entries.
///
/// A stable entry point for other modules (the supplier register).
pub fn open_actions_by_subject<R: Answered>(
    runs: &[R],
    catalog: &Catalog,
    today: NaiveDate,
) -> BTreeMap<Id, usize> {
    counts_by_subject(runs, catalog, today)
        .into_iter()
        .map(|(subject, c)| (subject, c.open))
        .collect()
}

/// Returns the open and overdue counts per subject (subjects without open
/// actions are absent).
pub fn counts_by_subject<R: Answered>(
    runs: &[R],
    catalog: &Catalog,
    today: NaiveDate,
) -> BTreeMap<Id, ActionCounts> {
    // Counted by borrowed subject first: one copy per subject, not per action.
    let mut by: HashMap<&Id, ActionCounts> = HashMap::new();
    for a in derive::find(runs, catalog, today) {
        if a.is_open() {
            let c = by.entry(&a.run.subject).or_default();
            c.open += 1;
            if a.overdue {
                c.overdue += 1;
            }
        }
    }
    by.into_iter().map(|(s, c)| (s.clone(), c)).collect()
}

/// Returns the actions a finished (or about to be finished) `run` would
/// close among `open` ones: those of its subject and inspection whose item
/// it answers with the best choice, and those it lists in `closes`.
pub fn closed_by_run<'a>(
    open: &'a [CorrectiveAction],
    run: &Run,
    template: Option<&Inspection>,
) -> Vec<(&'a CorrectiveAction, CloseKind)> {
    open.iter()
        .filter(|a| a.is_open() && a.run != run.id)
        .filter_map(|a| {
            if run.closes.iter().any(|k| *k == a.key()) {
                Some((a, CloseKind::Explicit))
            } else if a.subject == run.subject
                && a.inspection == run.inspection
                && closes_by_answer(template, run, &a.item)
            {
                Some((a, CloseKind::Best))
            } else {
                None
            }
        })
        .collect()
}

/// Derivation of open, closed (by the best answer and by `closes`) and
/// overdue actions across sequences of runs.
#[cfg(test)]
mod tests;
