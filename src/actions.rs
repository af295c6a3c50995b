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
use crate::model::{Action, Id, Inspection, Run};

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
        match (&self.closed, self.overdue) {
            (Some(_), _) => Status::Closed,
            (None, true) => Status::Overdue,
            (None, false) => Status::Open,
        }
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
    let mut out = derive_unsorted(runs, catalog, today);
    sort(&mut out, catalog);
    out
}

/// [`derive`] in the order the actions were opened (for counts, which
/// need no order).
fn derive_unsorted<R: Answered>(
    runs: &[R],
    catalog: &Catalog,
    today: NaiveDate,
) -> Vec<CorrectiveAction> {
    // Superseded runs left out; oldest first (finish time, then id).
    let gone: std::collections::HashSet<&str> = runs
        .iter()
        .filter_map(|r| r.run().supersedes.as_deref())
        .collect();
    let mut runs: Vec<&R> = runs
        .iter()
        .filter(|r| !gone.contains(r.run().id.as_str()))
        .collect();
    runs.sort_by(|a, b| (a.run().finished, &a.run().id).cmp(&(b.run().finished, &b.run().id)));
    // The best choice of every item: by inspection in the current
    // templates (for runs that do not say which template they answered),
    // and in each template the runs were answered with.
    let best_of_template = |t: &'_ Inspection| -> HashMap<Id, Id> {
        t.items()
            .filter_map(|(_, i)| Some((i.id.clone(), t.best_choice(i)?.id.clone())))
            .collect()
    };
    let best: HashMap<&Id, HashMap<Id, Id>> = catalog
        .judging_templates()
        .map(|(id, t)| (id, best_of_template(t)))
        .collect();
    let mut best_by_template: HashMap<*const Inspection, HashMap<Id, Id>> = HashMap::new();
    let mut out: Vec<CorrectiveAction> = Vec::new();
    // Open actions (indices into `out`) by subject and inspection, then
    // by item.
    let mut open: HashMap<(&Id, &Id), HashMap<&Id, Vec<usize>>> = HashMap::new();
    // Every action so far by run id and item (`closes` names one as
    // `<run id>#<item>`, [`action_key`]; neither part can hold a `#`).
    let mut by_key: HashMap<(&str, &str), usize> = HashMap::new();
    let mut answers: Vec<(&Id, &Id, bool, Option<&Action>)> = Vec::new();
    // One pass in time order: a run first closes what came before it (its
    // best answers, then its `closes`), then opens its own actions. So
    // only later runs close, and the first one to close an action wins.
    for &answered in &runs {
        let run = answered.run();
        let closure = |kind| {
            Some(Closure {
                run: run.id.clone(),
                date: run.date(),
                kind,
            })
        };
        answers.clear();
        answered.each_answer(&mut |item, choice, carried, action| {
            answers.push((item, choice, carried, action));
        });
        // Only a run with open actions of its subject and inspection can
        // close one by its answers.
        if let Some(open_here) = open
            .get_mut(&(&run.subject, &run.inspection))
            .filter(|o| !o.is_empty())
        {
            // An answer is judged by the template its run answered: a
            // later edit of the template (a new best choice) never closes
            // or reopens an action in history.
            let best_of = match answered.template() {
                Some(t) => Some(
                    &*best_by_template
                        .entry(std::ptr::from_ref(t))
                        .or_insert_with(|| best_of_template(t)),
                ),
                None => best.get(&run.inspection),
            };
            for &(item, choice, carried, _) in &answers {
                let is_best = best_of
                    .and_then(|b| b.get(item))
                    .is_some_and(|b| b == choice);
                if carried || !is_best {
                    continue;
                }
                for i in open_here.remove(item).unwrap_or_default() {
                    if out[i].closed.is_none() {
                        out[i].closed = closure(CloseKind::Best);
                    }
                }
            }
        }
        for key in &run.closes {
            if let Some(&i) = key.split_once('#').and_then(|k| by_key.get(&k))
                && out[i].closed.is_none()
            {
                out[i].closed = closure(CloseKind::Explicit);
            }
        }
        for &(item, choice, _, action) in &answers {
            let Some(action) = action else {
                continue;
            };
            open.entry((&run.subject, &run.inspection))
                .or_default()
                .entry(item)
                .or_default()
                .push(out.len());
            by_key.insert((run.id.as_str(), item.as_str()), out.len());
            out.push(CorrectiveAction {
                run: run.id.clone(),
                item: item.clone(),
                subject: run.subject.clone(),
                inspection: run.inspection.clone(),
                choice: choice.clone(),
                opened: run.date(),
                action: action.clone(),
                closed: None,
                overdue: false,
            });
        }
    }
    for a in &mut out {
        a.overdue = a.closed.is_none() && a.action.due < today;
    }
    out
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

/// Counts the open and overdue actions of `runs` without putting them in
/// order (the dashboard's line: [`derive`] would sort every action of the
/// history only to count them).
pub fn count<R: Answered>(runs: &[R], catalog: &Catalog, today: NaiveDate) -> ActionCounts {
    counts(&derive_unsorted(runs, catalog, today))
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
    let mut out = BTreeMap::new();
    for a in derive_unsorted(runs, catalog, today) {
        if a.is_open() {
            *out.entry(a.subject).or_insert(0) += 1;
        }
    }
    out
}

/// Returns the open and overdue counts per subject (subjects without open
/// actions are absent).
pub fn counts_by_subject<R: Answered>(
    runs: &[R],
    catalog: &Catalog,
    today: NaiveDate,
) -> BTreeMap<Id, ActionCounts> {
    let mut out: BTreeMap<Id, ActionCounts> = BTreeMap::new();
    for a in derive_unsorted(runs, catalog, today) {
        if a.is_open() {
            let c = out.entry(a.subject).or_default();
            c.open += 1;
            if a.overdue {
                c.overdue += 1;
            }
        }
    }
    out
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
