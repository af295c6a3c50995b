//! The derivation as it was before it borrowed from the runs (every action
//! built with copied strings, maps hashed with SipHash), kept as the
//! reference the faster one must equal, action for action.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::actions::{Answered, CloseKind, Closure, CorrectiveAction};
use crate::load::Catalog;
use crate::model::{Action, Id, Inspection};

/// Every action of `runs` in the order it was opened, as the derivation
/// before `actions::derive::find` gave it.
pub(super) fn derive_unsorted<R: Answered>(
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
