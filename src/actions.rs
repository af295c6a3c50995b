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
use crate::store::HistoryEntry;

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

// `derive` takes runs or history entries alike.
impl AsRef<Run> for Run {
    fn as_ref(&self) -> &Run {
        self
    }
}

impl AsRef<Run> for HistoryEntry {
    fn as_ref(&self) -> &Run {
        &self.run
    }
}

/// Returns every corrective action recorded in `runs`, with its state on
/// `today`, sorted by [`sort`] (overdue first, then by due date).
///
/// `runs` may be in any order; "later" means finished later (then by id).
/// Runs superseded by a correction are left out: the correction carries its
/// own answers and actions. An answer closes an action automatically only
/// when it is the best choice of the item in the inspection's current
/// template and is not a carried (unconfirmed) copy.
pub fn derive<R: AsRef<Run>>(
    runs: &[R],
    catalog: &Catalog,
    today: NaiveDate,
) -> Vec<CorrectiveAction> {
    let all: Vec<&Run> = runs.iter().map(AsRef::as_ref).collect();
    // Superseded runs left out; oldest first (finish time, then id).
    let runs = crate::compare::effective_runs(&all);
    // The best choice of every item, by inspection.
    let best: HashMap<&Id, HashMap<&Id, &Id>> = catalog
        .inspections
        .iter()
        .map(|(id, t)| {
            let items = t
                .items()
                .filter_map(|(_, i)| Some((&i.id, &t.best_choice(i)?.id)))
                .collect();
            (id, items)
        })
        .collect();
    let mut out: Vec<CorrectiveAction> = Vec::new();
    // Open actions (indices into `out`) by subject, inspection and item.
    let mut open: HashMap<(&Id, &Id, &Id), Vec<usize>> = HashMap::new();
    // Every action so far by `<run id>#<item>`.
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // One pass in time order: a run first closes what came before it (its
    // best answers, then its `closes`), then opens its own actions. So
    // only later runs close, and the first one to close an action wins.
    for run in &runs {
        let closure = |kind| {
            Some(Closure {
                run: run.id.clone(),
                date: run.date(),
                kind,
            })
        };
        let best_of = best.get(&run.inspection);
        for (item, answer) in &run.answers {
            let is_best = best_of
                .and_then(|b| b.get(item))
                .is_some_and(|b| **b == answer.choice);
            if !answer.carried && is_best {
                for i in open
                    .remove(&(&run.subject, &run.inspection, item))
                    .unwrap_or_default()
                {
                    if out[i].closed.is_none() {
                        out[i].closed = closure(CloseKind::Best);
                    }
                }
            }
        }
        for key in &run.closes {
            if let Some(&i) = by_key.get(key.as_str())
                && out[i].closed.is_none()
            {
                out[i].closed = closure(CloseKind::Explicit);
            }
        }
        for (item, answer) in &run.answers {
            let Some(action) = &answer.action else {
                continue;
            };
            open.entry((&run.subject, &run.inspection, item))
                .or_default()
                .push(out.len());
            by_key.insert(action_key(&run.id, item), out.len());
            out.push(CorrectiveAction {
                run: run.id.clone(),
                item: item.clone(),
                subject: run.subject.clone(),
                inspection: run.inspection.clone(),
                choice: answer.choice.clone(),
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
    sort(&mut out, catalog);
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
            .inspections
            .get(&a.inspection)
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

/// Returns the number of open actions per subject (subjects without open
/// actions are absent), from runs or history entries.
///
/// A stable entry point for other modules (the supplier register).
pub fn open_actions_by_subject<R: AsRef<Run>>(
    runs: &[R],
    catalog: &Catalog,
    today: NaiveDate,
) -> BTreeMap<Id, usize> {
    let mut out = BTreeMap::new();
    for a in derive(runs, catalog, today) {
        if a.is_open() {
            *out.entry(a.subject).or_insert(0) += 1;
        }
    }
    out
}

/// Returns the open and overdue counts per subject (subjects without open
/// actions are absent).
pub fn counts_by_subject<R: AsRef<Run>>(
    runs: &[R],
    catalog: &Catalog,
    today: NaiveDate,
) -> BTreeMap<Id, ActionCounts> {
    let mut out: BTreeMap<Id, ActionCounts> = BTreeMap::new();
    for a in derive(runs, catalog, today) {
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
mod tests {
    use std::collections::BTreeMap;

    use chrono::DateTime;

    use super::*;
    use crate::model::{
        Answer, Band, Choice, Config, Inspector, Item, Lang, Section, Subjects, Text,
    };

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// One template `check` with items 1–3 on yes (2) / partly (1) / no (0)
    /// / n-a.
    fn catalog() -> Catalog {
        let choice = |c: &str, key, points| Choice {
            id: id(c),
            key,
            label: Text::new("", c),
            points,
        };
        let item = |i: &str| Item {
            id: id(i),
            scale: id("s"),
            title: Text::new("", i),
            guidance: Text::default(),
            staff: Text::default(),
            note_required_for: Vec::new(),
            reference: String::new(),
            editions: None,
            weight: 1,
        };
        let inspection = Inspection {
            format: 1,
            id: id("check"),
            version: 1,
            title: Text::new("", "Check"),
            source: "test".into(),
            edition: None,
            description: Text::default(),
            scales: BTreeMap::from([(
                id("s"),
                vec![
                    choice("yes", '1', Some(2)),
                    choice("partly", '2', Some(1)),
                    choice("no", '3', Some(0)),
                    choice("na", '4', None),
                ],
            )]),
            sections: vec![Section {
                id: id("main"),
                title: Text::new("", "Main"),
                items: vec![item("1"), item("2"), item("3")],
            }],
            bands: vec![Band {
                min_percent: 0,
                label: Text::new("", "Any"),
                advice: Text::default(),
            }],
        };
        Catalog {
            config: Config::new("Test KK", Lang::En, 4, Vec::new()),
            subjects: Subjects {
                format: 1,
                subjects: Vec::new(),
            },
            inspections: BTreeMap::from([(id("check"), inspection)]),
            profiles: BTreeMap::new(),
        }
    }

    /// A run of `check` for `subject` finished on `day`; each answer is
    /// `item:choice` or `item:choice!due` (with an action due then).
    fn run(subject: &str, day: &str, answers: &[&str]) -> Run {
        let finished = DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+09:00")).unwrap();
        let mut map = BTreeMap::new();
        for spec in answers {
            let (item, rest) = spec.split_once(':').unwrap();
            let (choice, due) = match rest.split_once('!') {
                Some((c, d)) => (c, Some(d)),
                None => (rest, None),
            };
            let mut a = Answer::new(id(choice));
            a.action = due.map(|d| Action {
                text: format!("fix {item}"),
                owner: "suzuki".into(),
                due: date(d),
            });
            map.insert(id(item), a);
        }
        Run {
            format: 1,
            id: format!("{subject}/check/{day}T100000-sato"),
            inspection: id("check"),
            inspection_version: 1,
            subject: id(subject),
            inspector: Inspector {
                id: id("sato"),
                name: String::new(),
                email: String::new(),
            },
            started: finished,
            finished,
            answers: map,
            supersedes: None,
            closes: Vec::new(),
        }
    }

    fn states(actions: &[CorrectiveAction]) -> Vec<(String, &'static str, Option<&str>)> {
        actions
            .iter()
            .map(|a| {
                (
                    a.key(),
                    a.status().as_str(),
                    a.closed.as_ref().map(|c| c.run.as_str()),
                )
            })
            .collect()
    }

    #[test]
    fn an_action_stays_open_until_the_best_answer() {
        let c = catalog();
        let runs = vec![
            run("self", "2026-01-10", &["1:no!2026-03-31", "2:yes", "3:yes"]),
            // Still partly: the action stays open.
            run("self", "2026-04-10", &["1:partly", "2:yes", "3:yes"]),
            // Done: closed by this run.
            run("self", "2026-07-10", &["1:yes", "2:yes", "3:yes"]),
        ];
        let today = date("2026-11-25");
        assert_eq!(
            states(&derive(&runs[..2], &c, today)),
            [(
                "self/check/2026-01-10T100000-sato#1".into(),
                "overdue",
                None
            )]
        );
        let all = derive(&runs, &c, today);
        assert_eq!(
            states(&all),
            [(
                "self/check/2026-01-10T100000-sato#1".into(),
                "closed",
                Some("self/check/2026-07-10T100000-sato")
            )]
        );
        assert_eq!(all[0].closed.as_ref().unwrap().kind, CloseKind::Best);
        assert_eq!(all[0].closed.as_ref().unwrap().date, date("2026-07-10"));
        assert_eq!(all[0].opened, date("2026-01-10"));
        assert_eq!(all[0].choice, id("no"));
        assert!(!all[0].overdue, "a closed action is never overdue");
    }

    #[test]
    fn overdue_only_after_the_due_date() {
        let c = catalog();
        let runs = [run("self", "2026-01-10", &["1:no!2026-03-31"])];
        let status = |today| derive(&runs, &c, date(today))[0].status();
        assert_eq!(status("2026-03-30"), Status::Open);
        assert_eq!(
            status("2026-03-31"),
            Status::Open,
            "due today is not overdue"
        );
        assert_eq!(status("2026-04-01"), Status::Overdue);
    }

    #[test]
    fn a_later_run_closes_an_action_explicitly() {
        let c = catalog();
        let first = run(
            "self",
            "2026-01-10",
            &["1:no!2026-03-31", "2:partly!2026-12-31"],
        );
        let mut second = run("self", "2026-04-10", &["1:partly", "2:partly"]);
        second.closes = vec![format!("{}#1", first.id)];
        let actions = derive(&[first.clone(), second.clone()], &c, date("2026-11-25"));
        assert_eq!(
            states(&actions),
            [
                (format!("{}#2", first.id), "open", None),
                (
                    format!("{}#1", first.id),
                    "closed",
                    Some(second.id.as_str())
                ),
            ]
        );
        let closed = actions[1].closed.as_ref().unwrap();
        assert_eq!(closed.kind, CloseKind::Explicit);
    }

    #[test]
    fn closes_in_an_earlier_run_does_not_count() {
        let c = catalog();
        let later = run("self", "2026-04-10", &["1:no!2026-12-31"]);
        let mut earlier = run("self", "2026-01-10", &["1:no"]);
        earlier.closes = vec![format!("{}#1", later.id)];
        let actions = derive(&[later, earlier], &c, date("2026-11-25"));
        assert_eq!(actions[0].status(), Status::Open);
    }

    #[test]
    fn only_the_same_subject_and_inspection_closes_by_answer() {
        let c = catalog();
        let runs = vec![
            run("self", "2026-01-10", &["1:no!2026-12-31"]),
            run("osaka", "2026-02-10", &["1:yes"]),
        ];
        let actions = derive(&runs, &c, date("2026-11-25"));
        assert_eq!(actions[0].status(), Status::Open);
        assert_eq!(
            open_actions_by_subject(&runs, &c, date("2026-11-25")),
            BTreeMap::from([(id("self"), 1)])
        );
    }

    #[test]
    fn carried_and_not_applicable_answers_do_not_close() {
        let c = catalog();
        let mut carried = run("self", "2026-04-10", &["1:yes", "2:na"]);
        carried.answers.get_mut(&id("1")).unwrap().carried = true;
        let runs = vec![
            run(
                "self",
                "2026-01-10",
                &["1:no!2026-12-31", "2:no!2026-12-31"],
            ),
            carried,
        ];
        let actions = derive(&runs, &c, date("2026-11-25"));
        assert!(actions.iter().all(CorrectiveAction::is_open));
    }

    #[test]
    fn a_sequence_of_runs_gives_every_state_in_order() {
        let c = catalog();
        let q1 = run(
            "self",
            "2026-01-10",
            &["1:no!2026-03-31", "2:no!2026-06-30", "3:partly!2026-12-31"],
        );
        // Item 1 fixed; item 2 still open (and past due by November); a
        // new action on item 2 replaces the old one explicitly.
        let mut q2 = run(
            "self",
            "2026-04-10",
            &["1:yes", "2:partly!2026-09-30", "3:partly"],
        );
        q2.closes = vec![format!("{}#2", q1.id)];
        // Item 1 regresses with a fresh action; item 3 done.
        let q3 = run(
            "self",
            "2026-07-10",
            &["1:partly!2027-01-31", "2:partly", "3:yes"],
        );
        let other = run("osaka", "2026-05-01", &["1:no!2026-05-31"]);
        let runs = vec![q3.clone(), other.clone(), q1.clone(), q2.clone()];
        let today = date("2026-11-25");
        let actions = derive(&runs, &c, today);
        assert_eq!(
            states(&actions),
            [
                (format!("{}#1", other.id), "overdue", None),
                (format!("{}#2", q2.id), "overdue", None),
                (format!("{}#1", q3.id), "open", None),
                (format!("{}#1", q1.id), "closed", Some(q2.id.as_str())),
                (format!("{}#2", q1.id), "closed", Some(q2.id.as_str())),
                (format!("{}#3", q1.id), "closed", Some(q3.id.as_str())),
            ]
        );
        assert_eq!(
            counts(&actions),
            ActionCounts {
                open: 3,
                overdue: 2
            }
        );
        assert_eq!(
            counts_by_subject(&runs, &c, today),
            BTreeMap::from([
                (
                    id("osaka"),
                    ActionCounts {
                        open: 1,
                        overdue: 1
                    }
                ),
                (
                    id("self"),
                    ActionCounts {
                        open: 2,
                        overdue: 1
                    }
                ),
            ])
        );
        assert_eq!(
            open_actions_by_subject(&runs, &c, today),
            BTreeMap::from([(id("osaka"), 1), (id("self"), 2)])
        );
    }

    #[test]
    fn the_first_later_run_to_close_wins_and_best_beats_closes_in_one_run() {
        let c = catalog();
        let first = run(
            "self",
            "2026-01-10",
            &["1:no!2026-03-31", "2:no!2026-03-31"],
        );
        // Item 1 answered best and listed: the best answer counts.
        let mut second = run("self", "2026-02-10", &["1:yes", "2:no"]);
        second.closes = vec![format!("{}#1", first.id)];
        // Item 2 listed later, then answered best even later: the listing counts.
        let mut third = run("self", "2026-03-10", &["1:yes", "2:no"]);
        third.closes = vec![format!("{}#2", first.id)];
        let fourth = run("self", "2026-04-10", &["1:yes", "2:yes"]);
        let actions = derive(
            &[fourth, third.clone(), second.clone(), first],
            &c,
            date("2026-11-25"),
        );
        let closed: Vec<(&str, &str, CloseKind)> = actions
            .iter()
            .map(|a| {
                let c = a.closed.as_ref().unwrap();
                (a.item.as_str(), c.run.as_str(), c.kind)
            })
            .collect();
        assert_eq!(
            closed,
            [
                ("1", second.id.as_str(), CloseKind::Best),
                ("2", third.id.as_str(), CloseKind::Explicit),
            ]
        );
    }

    #[test]
    fn a_superseded_run_opens_nothing() {
        let c = catalog();
        let wrong = run("self", "2026-01-10", &["1:no!2026-03-31"]);
        let mut fixed = run("self", "2026-01-11", &["1:yes"]);
        fixed.supersedes = Some(wrong.id.clone());
        assert_eq!(derive(&[wrong, fixed], &c, date("2026-11-25")), []);
    }

    #[test]
    fn history_entries_work_like_runs() {
        let c = catalog();
        let r = run("self", "2026-01-10", &["1:no!2026-03-31"]);
        let entry = HistoryEntry {
            run: r.clone(),
            score: crate::score::score_run(&c.inspections[&id("check")], &r),
            percent: 0.0,
            band: None,
            commit: None,
        };
        let today = date("2026-11-25");
        assert_eq!(derive(&[entry], &c, today), derive(&[r], &c, today));
    }

    #[test]
    fn what_a_new_run_would_close() {
        let c = catalog();
        let template = c.inspections.get(&id("check"));
        let q1 = run(
            "self",
            "2026-01-10",
            &["1:no!2026-03-31", "2:no!2026-06-30", "3:no!2026-06-30"],
        );
        let open = derive(std::slice::from_ref(&q1), &c, date("2026-11-25"));
        let mut next = run("self", "2026-11-25", &["1:yes", "2:partly", "3:no"]);
        next.closes = vec![format!("{}#3", q1.id)];
        let closed: Vec<(String, CloseKind)> = closed_by_run(&open, &next, template)
            .into_iter()
            .map(|(a, k)| (a.item.to_string(), k))
            .collect();
        assert_eq!(
            closed,
            [
                ("1".to_owned(), CloseKind::Best),
                ("3".to_owned(), CloseKind::Explicit)
            ]
        );
    }
}
