//! The one pass over the runs that finds every corrective action and the
//! run that closed it (the rules are in the parent module's header). It
//! borrows everything from the runs: an [`ActionRef`] is a few pointers,
//! and only the actions a caller keeps become owned [`CorrectiveAction`]s,
//! so that counting or filtering the actions of a long history copies no
//! strings.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::{Answered, CloseKind, Closure, CorrectiveAction, Status};
use crate::load::Catalog;
use crate::model::{Action, Brief, Choice, Id, Inspection, Run};

/// A quick hasher for the derivation's maps, keyed by ids the runs hold
/// (nothing an attacker picks can slow more than the one command reading
/// them).
pub(super) type Quick = foldhash::fast::RandomState;

/// No further action in a chain of [`Derivation::next`].
const END: usize = usize::MAX;

/// A corrective action as the derivation finds it, borrowed from the runs.
#[derive(Debug, Clone, Copy)]
pub struct ActionRef<'a> {
    /// The run whose answer carries the action.
    pub run: &'a Run,
    /// The item answered below its best choice.
    pub item: &'a Id,
    /// The choice that was answered.
    pub choice: &'a Id,
    /// What is to be done, by whom, by when.
    pub action: &'a Action,
    /// The run that closed the action, and how, if any.
    pub closed: Option<(&'a Run, CloseKind)>,
    /// True when the action is open and `due` is before today.
    pub overdue: bool,
}

impl ActionRef<'_> {
    /// Returns true while no later run has closed the action.
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    /// Returns whether the action is overdue, open or closed.
    pub fn status(&self) -> Status {
        Status::of(self.closed.is_some(), self.overdue)
    }

    /// Returns the action as an owned value.
    pub fn to_owned(&self) -> CorrectiveAction {
        CorrectiveAction {
            run: self.run.id.clone(),
            item: self.item.clone(),
            subject: self.run.subject.clone(),
            inspection: self.run.inspection.clone(),
            choice: self.choice.clone(),
            opened: self.run.date(),
            action: self.action.clone(),
            closed: self.closed.map(|(run, kind)| Closure {
                run: run.id.clone(),
                date: run.date(),
                kind,
            }),
            overdue: self.overdue,
        }
    }
}

/// The best choice of every item of a template, by item.
type Best<'a> = HashMap<&'a Id, &'a Id, Quick>;

/// Returns the best choice of every item of `template`, by item.
fn best_of(template: &Inspection) -> Best<'_> {
    let mut best = Best::default();
    for (_, item) in template.items() {
        if let Some(choice) = template.best_choice(item) {
            // The last item of an id wins, as when collected into a map.
            best.insert(&item.id, &choice.id);
        }
    }
    best
}

/// Returns `runs` without the superseded ones, oldest first (finish time,
/// then id): the order in which runs close and open actions.
pub(super) fn in_order<R: Answered>(runs: &[R]) -> Vec<&R> {
    let gone: HashSet<&str, Quick> = runs
        .iter()
        .filter_map(|r| r.run().supersedes.as_deref())
        .collect();
    let mut runs: Vec<&R> = runs
        .iter()
        .filter(|r| !gone.contains(r.run().id.as_str()))
        .collect();
    runs.sort_by(|a, b| (a.run().finished, &a.run().id).cmp(&(b.run().finished, &b.run().id)));
    runs
}

/// One answer of a run: its item, choice, carried mark and action.
pub(super) type Answer<'a> = (&'a Id, &'a Id, bool, Option<&'a Action>);

/// Judges a run's answers by the best choice of their items: in the
/// template the run answered (a later edit of the template, a new best
/// choice, never closes or reopens an action in history), or in the
/// current template of its inspection for a run that does not say which
/// template it answered. Each template's best choices are worked out once.
pub(super) struct Judge<'a> {
    /// By inspection, in the current templates.
    current: HashMap<&'a Id, Best<'a>, Quick>,
    /// By template the runs answered.
    by_template: HashMap<*const Inspection, Best<'a>, Quick>,
}

impl<'a> Judge<'a> {
    pub(super) fn new(catalog: &'a Catalog) -> Self {
        Self {
            current: catalog
                .judging_templates()
                .map(|(id, t)| (id, best_of(t)))
                .collect(),
            by_template: HashMap::default(),
        }
    }

    /// Returns the items of `answers` (the answers of `answered`) that
    /// were given their best choice; a carried answer never counts.
    pub(super) fn best_answered<'j, R: Answered>(
        &'j mut self,
        answered: &'a R,
        answers: &'j [Answer<'a>],
    ) -> impl Iterator<Item = &'a Id> + 'j {
        let best = match answered.template() {
            Some(t) => Some(
                &*self
                    .by_template
                    .entry(std::ptr::from_ref(t))
                    .or_insert_with(|| best_of(t)),
            ),
            None => self.current.get(&answered.run().inspection),
        };
        answers
            .iter()
            .filter(move |&&(item, choice, carried, _)| {
                !carried && best.and_then(|b| b.get(item)).is_some_and(|&b| b == choice)
            })
            .map(|&(item, ..)| item)
    }
}

/// The state of the pass: the actions found so far and which are open.
struct Derivation<'a> {
    found: Vec<ActionRef<'a>>,
    /// For each action, the next one of the same subject, inspection and
    /// item opened before it that was still open when it was opened
    /// ([`END`] when none): closing an item closes the whole chain.
    next: Vec<usize>,
    /// The newest open action by subject and inspection, then by item.
    open: HashMap<(&'a Id, &'a Id), HashMap<&'a Id, usize, Quick>, Quick>,
    /// The actions of the runs some `closes` names, by run id and item
    /// (`closes` names one as `<run id>#<item>`; neither part can hold a
    /// `#`).
    by_key: HashMap<(&'a str, &'a str), usize, Quick>,
}

/// What reading a history entry's brief needs of the template it was
/// taken against, worked out once per template: each item in walk order
/// with its scale, which choices close an action (the best choice of the
/// item's id, as [`best_of`] judges), and where each item id stands. The
/// pass then reads a brief by position: no scale looked up by name, no
/// answer listed, no choice compared by id.
pub(super) struct Layout<'a> {
    /// Per position in walk order: the item's id and its scale's choices.
    items: Vec<(&'a Id, &'a [Choice])>,
    /// Per position, per choice on its scale: true when it is the best
    /// choice of the item's id.
    best: Vec<Box<[bool]>>,
    /// The first position of each item id.
    first: HashMap<&'a Id, usize, Quick>,
    /// Per position, the next position of the same item id ([`END`] when
    /// none: a template is checked to hold none, but a brief is read
    /// against whatever template the run answered).
    same: Vec<usize>,
}

impl<'a> Layout<'a> {
    fn of(template: &'a Inspection) -> Self {
        let best_ids = best_of(template);
        let n = template.item_count();
        let mut items = Vec::with_capacity(n);
        let mut best = Vec::with_capacity(n);
        for (_, item) in template.items() {
            let choices = template.choices(item);
            let best_id = best_ids.get(&item.id);
            best.push(choices.iter().map(|c| best_id == Some(&&c.id)).collect());
            items.push((&item.id, choices));
        }
        let mut first: HashMap<&'a Id, usize, Quick> = HashMap::default();
        let mut same = vec![END; items.len()];
        for (position, &(id, _)) in items.iter().enumerate().rev() {
            same[position] = first.insert(id, position).unwrap_or(END);
        }
        Self {
            items,
            best,
            first,
            same,
        }
    }

    /// Returns true when `brief` answers `item` with its best choice,
    /// confirmed (not carried).
    pub(super) fn closes(&self, brief: &Brief, item: &Id) -> bool {
        let mut position = self.first.get(item).copied().unwrap_or(END);
        while position != END {
            if let Some((choice, false)) = brief.answer_at(position)
                && self.best[position].get(choice) == Some(&true)
            {
                return true;
            }
            position = self.same[position];
        }
        false
    }

    /// Returns the answers of `brief` that carry an action, in walk order:
    /// item, choice and action, as [`Answered::each_answer`] gives them.
    pub(super) fn actions<'b>(
        &'b self,
        brief: &'a Brief,
    ) -> impl Iterator<Item = (&'a Id, &'a Id, &'a Action)> + 'b {
        brief.actions().iter().filter_map(|(position, action)| {
            let position = usize::from(*position);
            let (choice, _) = brief.answer_at(position)?;
            let &(item, choices) = self.items.get(position)?;
            Some((item, &choices.get(choice)?.id, &**action))
        })
    }
}

/// The layouts of the templates history entries were answered with, each
/// worked out once.
#[derive(Default)]
pub(super) struct Layouts<'a>(HashMap<*const Inspection, Layout<'a>, Quick>);

impl<'a> Layouts<'a> {
    /// Returns the brief of `answered` with the layout of its template,
    /// when its answers are in brief only (see [`Answered::brief`]).
    fn of<R: Answered>(&mut self, answered: &'a R) -> Option<(&'a Brief, &Layout<'a>)> {
        let (brief, template) = answered.brief()?;
        let layout = self
            .0
            .entry(std::ptr::from_ref(template))
            .or_insert_with(|| Layout::of(template));
        Some((brief, layout))
    }

    /// Reads the answers of `answered`: its brief with the layout of its
    /// template when its answers are in brief only, else `None` with its
    /// answers listed into `answers` (emptied first).
    pub(super) fn answers<R: Answered>(
        &mut self,
        answered: &'a R,
        answers: &mut Vec<Answer<'a>>,
    ) -> Option<(&'a Brief, &Layout<'a>)> {
        answers.clear();
        let brief = self.of(answered);
        if brief.is_none() {
            answered.each_answer(&mut |item, choice, carried, action| {
                answers.push((item, choice, carried, action));
            });
        }
        brief
    }
}

/// Closes, by `run`'s best answer, action `i` and the actions chained
/// after it by [`Derivation::next`] that are still open.
fn close_chain<'a>(found: &mut [ActionRef<'a>], next: &[usize], mut i: usize, run: &'a Run) {
    while i != END {
        let a = &mut found[i];
        if a.closed.is_none() {
            a.closed = Some((run, CloseKind::Best));
        }
        i = next[i];
    }
}

/// Returns every corrective action recorded in `runs` with its state on
/// `today`, in the order the actions were opened (see
/// [`super::derive`] for the rules).
pub fn find<'a, R: Answered>(
    runs: &'a [R],
    catalog: &'a Catalog,
    today: NaiveDate,
) -> Vec<ActionRef<'a>> {
    let runs = in_order(runs);
    // Only the actions of the runs some `closes` names are looked up by
    // key: the others need no entry.
    let named: HashSet<&str, Quick> = runs
        .iter()
        .flat_map(|&r| r.run().closes.iter())
        .filter_map(|k| Some(k.split_once('#')?.0))
        .collect();
    let mut judge = Judge::new(catalog);
    let mut layouts = Layouts::default();
    let mut d = Derivation {
        found: Vec::new(),
        next: Vec::new(),
        open: HashMap::default(),
        by_key: HashMap::default(),
    };
    let mut answers: Vec<Answer<'a>> = Vec::new();
    // One pass in time order: a run first closes what came before it (its
    // best answers, then its `closes`), then opens its own actions. So
    // only later runs close, and the first one to close an action wins.
    for answered in runs {
        let run = answered.run();
        // A history entry's answers are read from its brief by position;
        // a run's are listed.
        let brief = layouts.answers(answered, &mut answers);
        // Only a run with open actions of its subject and inspection can
        // close one by its answers.
        if let Some(open_here) = d
            .open
            .get_mut(&(&run.subject, &run.inspection))
            .filter(|o| !o.is_empty())
        {
            if let Some((brief, layout)) = brief {
                open_here.retain(|item, &mut i| {
                    let closes = layout.closes(brief, item);
                    if closes {
                        close_chain(&mut d.found, &d.next, i, run);
                    }
                    !closes
                });
            } else {
                for item in judge.best_answered(answered, &answers) {
                    let i = open_here.remove(item).unwrap_or(END);
                    close_chain(&mut d.found, &d.next, i, run);
                }
            }
        }
        for key in &run.closes {
            if let Some(&i) = key.split_once('#').and_then(|k| d.by_key.get(&k)) {
                let a = &mut d.found[i];
                if a.closed.is_none() {
                    a.closed = Some((run, CloseKind::Explicit));
                }
            }
        }
        let keyed = named.contains(run.id.as_str());
        let open = |d: &mut Derivation<'a>, item: &'a Id, choice: &'a Id, action| {
            let i = d.found.len();
            let before = d
                .open
                .entry((&run.subject, &run.inspection))
                .or_default()
                .insert(item, i);
            d.next.push(before.unwrap_or(END));
            if keyed {
                d.by_key.insert((run.id.as_str(), item.as_str()), i);
            }
            d.found.push(ActionRef {
                run,
                item,
                choice,
                action,
                closed: None,
                overdue: false,
            });
        };
        if let Some((brief, layout)) = brief {
            for (item, choice, action) in layout.actions(brief) {
                open(&mut d, item, choice, action);
            }
        } else {
            for &(item, choice, _, action) in &answers {
                if let Some(action) = action {
                    open(&mut d, item, choice, action);
                }
            }
        }
    }
    for a in &mut d.found {
        a.overdue = a.closed.is_none() && a.action.due < today;
    }
    d.found
}

/// Sorts actions overdue first, then open, then closed; each group by due
/// date, then run, then the item's place in its template (walk order),
/// then the item.
pub fn sort<'a>(actions: &mut [ActionRef<'a>], catalog: &Catalog) {
    // Each item's place in walk order, by inspection (the first item of an
    // id, as a search from the start finds it).
    let mut places: HashMap<&'a Id, HashMap<&str, usize, Quick>, Quick> = HashMap::default();
    let mut place = |inspection: &'a Id, item: &Id| -> usize {
        if !places.contains_key(inspection) {
            let mut of = HashMap::default();
            if let Some(t) = catalog.judging_template(inspection) {
                for (position, (_, i)) in t.items().enumerate() {
                    of.entry(i.id.as_str()).or_insert(position);
                }
            }
            places.insert(inspection, of);
        }
        places
            .get(inspection)
            .and_then(|of| of.get(item.as_str()))
            .copied()
            .unwrap_or(usize::MAX)
    };
    actions.sort_by_cached_key(|a| {
        (
            a.status(),
            a.action.due,
            a.run.id.as_str(),
            place(&a.run.inspection, a.item),
            a.item,
        )
    });
}
