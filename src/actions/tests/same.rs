//! Property: the borrowed derivation gives exactly what the reference (the
//! derivation before it, [`super::reference`]) gives, for bare runs and for
//! history entries answered with different template versions, with
//! corrections, explicit closes, carried answers, equal finish times and
//! repeated run ids; and so do the counts (the dashboard's count keeps no
//! action, only numbers: [`crate::actions::count`]).

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::reference::derive_unsorted;
use super::{catalog, date, entry, id, run};
use crate::actions::*;
use crate::model::{Answer, Choice, Inspection, Run, Text};

const DAYS: [&str; 5] = [
    "2026-01-10",
    "2026-02-10",
    "2026-04-10",
    "2026-04-10",
    "2026-07-10",
];
const CHOICES: [&str; 5] = ["yes", "partly", "no", "na", "always"];

/// One generated run: subject, day, id suffix, per item an answer
/// (choice, carried, action due on one of `DAYS`), the earlier runs and
/// items it closes, the earlier run it corrects, the template version.
type Spec = (
    usize,
    usize,
    usize,
    Vec<Option<(usize, bool, Option<usize>)>>,
    Vec<(usize, usize)>,
    Option<usize>,
    bool,
);

fn spec() -> impl Strategy<Value = Spec> {
    (
        0usize..2,
        0usize..DAYS.len(),
        0usize..3,
        proptest::collection::vec(
            proptest::option::of((
                0usize..CHOICES.len(),
                proptest::bool::weighted(0.2),
                proptest::option::of(0usize..DAYS.len()),
            )),
            3,
        ),
        proptest::collection::vec((0usize..16, 0usize..3), 0..3),
        proptest::option::weighted(0.15, 0usize..16),
        any::<bool>(),
    )
}

/// Version 2 of `check`: a new best choice `always`, so `yes` no longer
/// closes anything for runs that answered it.
fn version_2(v1: &Inspection) -> Inspection {
    let mut v2 = v1.clone();
    v2.version = 2;
    if let Some(scale) = v2.scales.get_mut(&id("s")) {
        scale.insert(
            0,
            Choice {
                id: id("always"),
                key: '0',
                label: Text::new("", "always"),
                points: Some(3),
            },
        );
    }
    v2
}

/// The runs of `specs`, each with the template version it answered.
fn runs(specs: &[Spec]) -> Vec<(Run, bool)> {
    let mut out: Vec<(Run, bool)> = Vec::new();
    for (subject, day, n, answers, closes, supersedes, v2) in specs {
        let mut r = run(["self", "site"][*subject], DAYS[*day], &[]);
        r.id = r.id.replace("T100000", &format!("T1000{n:02}"));
        let mut map = BTreeMap::new();
        for (item, a) in answers.iter().enumerate() {
            let Some((choice, carried, due)) = a else {
                continue;
            };
            // `always` exists only in version 2.
            let choice = if *v2 { *choice } else { choice % 4 };
            let mut answer = Answer::new(id(CHOICES[choice]));
            answer.carried = *carried;
            answer.action = due.map(|d| Action {
                text: format!("fix {item}"),
                owner: "suzuki".into(),
                due: date(DAYS[d]),
            });
            map.insert(id(&(item + 1).to_string()), answer);
        }
        r.answers = map;
        if !out.is_empty() {
            r.closes = closes
                .iter()
                .map(|(i, item)| format!("{}#{}", out[i % out.len()].0.id, item + 1))
                .collect();
            r.supersedes = supersedes.map(|i| out[i % out.len()].0.id.clone());
        }
        out.push((r, *v2));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_borrowed_derivation_equals_the_reference(
        specs in proptest::collection::vec(spec(), 0..14),
        today in 0usize..DAYS.len(),
    ) {
        let mut c = catalog();
        let v1 = c.inspections[&id("check")].clone();
        let v2 = version_2(&v1);
        let today = date(DAYS[today]);
        let made = runs(&specs);
        let bare: Vec<Run> = made
            .iter()
            .filter(|(_, v2)| !v2)
            .map(|(r, _)| r.clone())
            .collect();
        let entries: Vec<crate::model::HistoryEntry> = made
            .iter()
            .map(|(r, is_v2)| entry(r, if *is_v2 { &v2 } else { &v1 }))
            .collect();
        for catalog in [c.clone(), {
            c.inspections.insert(id("check"), v2.clone());
            c.clone()
        }] {
            let mut want = derive_unsorted(&bare, &catalog, today);
            let counted = counts(&want);
            sort(&mut want, &catalog);
            prop_assert_eq!(&derive(&bare, &catalog, today), &want);
            prop_assert_eq!(count(&bare, &catalog, today), counted);
            let mut want = derive_unsorted(&entries, &catalog, today);
            let mut by_subject: BTreeMap<Id, ActionCounts> = BTreeMap::new();
            for a in want.iter().filter(|a| a.is_open()) {
                let c = by_subject.entry(a.subject.clone()).or_default();
                c.open += 1;
                c.overdue += usize::from(a.overdue);
            }
            prop_assert_eq!(&counts_by_subject(&entries, &catalog, today), &by_subject);
            prop_assert_eq!(count(&entries, &catalog, today), counts(&want));
            let open: BTreeMap<Id, usize> =
                by_subject.iter().map(|(s, c)| (s.clone(), c.open)).collect();
            prop_assert_eq!(open_actions_by_subject(&entries, &catalog, today), open);
            sort(&mut want, &catalog);
            prop_assert_eq!(&derive(&entries, &catalog, today), &want);
            let site = id("site");
            let kept: Vec<CorrectiveAction> = want
                .iter()
                .filter(|a| a.is_open() && a.subject == site)
                .cloned()
                .collect();
            prop_assert_eq!(
                derive_where(&entries, &catalog, today, |a| a.is_open() && a.run.subject == site),
                kept
            );
        }
    }
}

/// The code of an answer in a brief (`model::brief`): the choice's place
/// on its scale plus one, and flags for a carried answer and an action.
const CARRIED: u16 = 1 << 12;
const ACTION: u16 = 1 << 15;

/// `check` with its second item renamed `1`, on a scale `t` whose best
/// choice is `partly`: an item id twice in one template. A template file
/// is checked to hold none, but a history entry is read against whatever
/// template its run answered, by position.
fn with_an_item_twice(c: &Catalog) -> Inspection {
    let mut t = c.inspections[&id("check")].clone();
    let mut scale = t.scales[&id("s")].clone();
    scale[0].points = Some(1);
    scale[1].points = Some(3);
    t.scales.insert(id("t"), scale);
    let second = &mut t.sections[0].items[1];
    second.id = id("1");
    second.scale = id("t");
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_brief_is_read_by_position_as_its_answers_are_listed(
        picks in proptest::collection::vec(
            (
                0usize..DAYS.len(),
                proptest::collection::vec(
                    (0u16..5, proptest::bool::weighted(0.2), proptest::option::of(0usize..DAYS.len())),
                    3,
                ),
                proptest::collection::vec((0usize..16, 1usize..4), 0..2),
            ),
            0..12,
        ),
        today in 0usize..DAYS.len(),
    ) {
        let c = catalog();
        let template = with_an_item_twice(&c);
        let today = date(DAYS[today]);
        let mut entries: Vec<crate::model::HistoryEntry> = Vec::new();
        for (n, (day, answers, closes)) in picks.iter().enumerate() {
            let mut r = run("self", DAYS[*day], &[]);
            r.id = r.id.replace("T100000", &format!("T1000{n:02}"));
            if !entries.is_empty() {
                r.closes = closes
                    .iter()
                    .map(|(i, item)| format!("{}#{item}", entries[i % entries.len()].run.id))
                    .collect();
            }
            let mut codes = Vec::new();
            let mut actions = Vec::new();
            for (position, (choice, carried, due)) in answers.iter().enumerate() {
                // Scale `t` (position 1) has no `na`.
                let choice = if position == 1 { choice % 4 } else { *choice };
                let mut code = choice;
                if choice > 0 && *carried {
                    code |= CARRIED;
                }
                if let (true, Some(d)) = (choice > 0, due) {
                    code |= ACTION;
                    actions.push((
                        u16::try_from(position).unwrap(),
                        std::sync::Arc::new(Action {
                            text: format!("fix {position}"),
                            owner: "suzuki".into(),
                            due: date(DAYS[*d]),
                        }),
                    ));
                }
                codes.push(code);
            }
            let mut e = entry(&r, &template);
            e.brief = crate::model::Brief::from_parts(&template, codes, actions).unwrap();
            entries.push(e);
        }
        let mut want = derive_unsorted(&entries, &c, today);
        prop_assert_eq!(count(&entries, &c, today), counts(&want));
        sort(&mut want, &c);
        prop_assert_eq!(derive(&entries, &c, today), want);
    }
}
