//! Derivation of open, closed (by the best answer and by `closes`) and
//! overdue actions across sequences of runs.

use std::collections::BTreeMap;

use chrono::DateTime;

use super::*;
use crate::model::{Answer, Band, Choice, Config, Inspector, Item, Lang, Section, Subjects, Text};

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
        reference: crate::model::Name::default(),
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
        roles: crate::model::Roles::default(),
        broken: Vec::new(),
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
        inspection_hash: None,
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
    assert_eq!(count(&runs, &c, today), counts(&actions));
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

/// `r` as the store gives it in history: answered with `template`, the
/// answers in brief only.
fn entry(r: &Run, template: &Inspection) -> crate::model::HistoryEntry {
    crate::model::HistoryEntry {
        run: crate::model::Run {
            answers: std::collections::BTreeMap::new(),
            ..r.clone()
        },
        brief: crate::model::Brief::from_answers(template, &r.answers).unwrap(),
        score: crate::score::score_run(template, r),
        template: std::sync::Arc::new(template.clone()),
        percent: 0.0,
        commit: None,
        status: crate::model::RunStatus::Committed,
        blob: None,
        superseded_by: None,
        withdrawn: None,
    }
}

#[test]
fn history_entries_work_like_runs() {
    let c = catalog();
    let r = run("self", "2026-01-10", &["1:no!2026-03-31"]);
    let template = &c.inspections[&id("check")];
    let today = date("2026-11-25");
    assert_eq!(
        derive(&[entry(&r, template)], &c, today),
        derive(&[r], &c, today)
    );
}

#[test]
fn an_answer_is_judged_by_the_template_its_run_answered() {
    let mut c = catalog();
    let v1 = c.inspections[&id("check")].clone();
    // Version 2 adds a better choice: `yes` is no longer the best.
    let mut v2 = v1.clone();
    v2.version = 2;
    v2.scales.get_mut(&id("s")).unwrap().insert(
        0,
        Choice {
            id: id("always"),
            key: '0',
            label: Text::new("", "always"),
            points: Some(3),
        },
    );
    c.inspections.insert(id("check"), v2.clone());
    let gap = run("self", "2026-01-10", &["1:no!2026-03-31"]);
    let fixed = run("self", "2026-04-10", &["1:yes"]);
    let today = date("2026-11-25");
    // Both runs answered version 1, where `yes` was the best: closed.
    let history = [entry(&gap, &v1), entry(&fixed, &v1)];
    assert_eq!(
        states(&derive(&history, &c, today)),
        [(format!("{}#1", gap.id), "closed", Some(fixed.id.as_str()))]
    );
    // Had the later run answered version 2, `yes` would not close it.
    let history = [entry(&gap, &v1), entry(&fixed, &v2)];
    assert_eq!(
        states(&derive(&history, &c, today)),
        [(format!("{}#1", gap.id), "overdue", None)]
    );
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

/// The derivation before it borrowed from the runs.
mod reference;
/// The borrowed derivation equals the reference.
mod same;
