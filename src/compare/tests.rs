//! Tests of comparison, run selection and trends: table tests for the
//! change rules and the selection errors, property tests for symmetry.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::model::{Answer, Band, Choice, Id, Inspection, Inspector, Item, Run, Section, Text};
use crate::period::PeriodKind;

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

fn choice(cid: &str, key: char, en: &str, points: Option<i32>) -> Choice {
    Choice {
        id: id(cid),
        key,
        label: Text::new("", en),
        points,
    }
}

fn item(iid: &str, title: &str) -> Item {
    Item {
        id: id(iid),
        scale: id("s"),
        title: Text::new("", title),
        guidance: Text::default(),
        staff: Text::default(),
        note_required_for: Vec::new(),
        reference: crate::model::Name::default(),
        editions: None,
        weight: 1,
    }
}

/// A template with five items in two sections, on a yes/partly/no/n-a scale.
fn template(version: u32, sections: &[(&str, &[(&str, &str)])]) -> Inspection {
    let mut scales = BTreeMap::new();
    scales.insert(
        id("s"),
        vec![
            choice("yes", '1', "Yes", Some(2)),
            choice("partly", '2', "Partly", Some(1)),
            choice("no", '3', "No", Some(0)),
            choice("na", '4', "N/A", None),
            choice("nope", '5', "Not relevant", None),
            choice("half", '6', "Half", Some(1)),
        ],
    );
    Inspection {
        format: 1,
        id: id("check"),
        version,
        title: Text::new("", "Check"),
        source: "test".into(),
        edition: None,
        description: Text::default(),
        scales,
        sections: sections
            .iter()
            .map(|(sid, items)| Section {
                id: id(sid),
                title: Text::new("", sid.to_uppercase()),
                items: items.iter().map(|(i, t)| item(i, t)).collect(),
            })
            .collect(),
        bands: vec![
            Band {
                min_percent: 80,
                label: Text::new("", "Good"),
                advice: Text::default(),
            },
            Band {
                min_percent: 0,
                label: Text::new("", "Weak"),
                advice: Text::default(),
            },
        ],
    }
}

fn v1() -> Inspection {
    template(
        1,
        &[
            ("a", &[("1", "One"), ("2", "Two"), ("3", "Three")]),
            ("b", &[("4", "Four"), ("5", "Five")]),
        ],
    )
}

fn run(stamp: &str, answers: &[(&str, &str, &str)]) -> Run {
    let finished = DateTime::parse_from_rfc3339(stamp).unwrap();
    let compact = finished.format("%Y-%m-%dT%H%M%S");
    Run {
        format: 1,
        id: format!("self/check/{compact}-sato"),
        inspection: id("check"),
        inspection_version: 1,
        inspection_hash: None,
        subject: id("self"),
        inspector: Inspector {
            id: id("sato"),
            name: String::new(),
            email: String::new(),
        },
        started: finished,
        finished,
        answers: answers
            .iter()
            .map(|(i, c, note)| {
                let mut a = Answer::new(id(c));
                a.note = (*note).to_owned();
                (id(i), a)
            })
            .collect(),
        supersedes: None,
        closes: Vec::new(),
    }
}

fn changes(c: &RunComparison) -> Vec<(String, ItemChange)> {
    c.items
        .iter()
        .map(|i| (i.id.to_string(), i.change))
        .collect()
}

#[test]
fn classifies_every_pair_of_answers() {
    let insp = v1();
    let from = run(
        "2026-05-20T10:00:00+09:00",
        &[
            ("1", "partly", ""),
            ("2", "yes", ""),
            ("3", "no", ""),
            ("4", "na", ""),
            ("5", "yes", ""),
        ],
    );
    let to = run(
        "2026-08-20T10:00:00+09:00",
        &[
            ("1", "yes", ""),
            ("2", "partly", ""),
            ("3", "no", ""),
            ("4", "no", ""),
            // 5 unanswered
        ],
    );
    let c = compare_runs(&insp, &from, &insp, &to);
    assert_eq!(
        changes(&c),
        [
            ("1".into(), ItemChange::Improved),
            ("2".into(), ItemChange::Regressed),
            ("3".into(), ItemChange::Unchanged),
            ("4".into(), ItemChange::Added),
            ("5".into(), ItemChange::Unanswered),
        ]
    );
    assert_eq!(
        c.summary,
        Summary {
            improved: 1,
            regressed: 1,
            unchanged: 1,
            added: 1,
            removed: 0,
            unanswered: 1
        }
    );
    // from: 1+2+0+2 = 5 of 8 (4 is n/a); to: 2+1+0+0 = 3 of 10 (5 unanswered counts in max).
    assert_eq!((c.from.score.score, c.from.score.max), (5, 8));
    assert_eq!((c.to.score.score, c.to.score.max), (3, 10));
    assert_eq!(c.score_delta, -2);
    assert!((c.percent_delta - (30.0 - 62.5)).abs() < 1e-9);
    assert_eq!(
        c.from.band.as_ref().map(|b| b.label.en.as_str()),
        Some("Weak")
    );
    assert!(c.template.is_empty());
    assert!(c.has_regressions());
    let two = &c.items[1];
    assert_eq!(two.from.as_ref().map(|c| c.id.as_str()), Some("yes"));
    assert_eq!(two.to.as_ref().map(|c| c.label.en.as_str()), Some("Partly"));
    assert_eq!(two.points_delta(), Some(-1));
    assert_eq!(two.section.as_str(), "a");
}

#[test]
fn classify_table() {
    let r = |cid: &str, points: Option<i32>| ChoiceRef {
        id: id(cid),
        label: Text::default(),
        points,
    };
    let cases = [
        (None, None, ItemChange::Unanswered),
        (Some(r("yes", Some(2))), None, ItemChange::Unanswered),
        (None, Some(r("no", Some(0))), ItemChange::Added),
        (
            Some(r("yes", Some(2))),
            Some(r("yes", Some(2))),
            ItemChange::Unchanged,
        ),
        (
            Some(r("partly", Some(1))),
            Some(r("half", Some(1))),
            ItemChange::Unchanged,
        ),
        (
            Some(r("no", Some(0))),
            Some(r("yes", Some(2))),
            ItemChange::Improved,
        ),
        (
            Some(r("yes", Some(2))),
            Some(r("no", Some(0))),
            ItemChange::Regressed,
        ),
        (
            Some(r("na", None)),
            Some(r("na", None)),
            ItemChange::Unchanged,
        ),
        (
            Some(r("na", None)),
            Some(r("nope", None)),
            ItemChange::Unchanged,
        ),
        (
            Some(r("na", None)),
            Some(r("no", Some(0))),
            ItemChange::Added,
        ),
        (
            Some(r("yes", Some(2))),
            Some(r("na", None)),
            ItemChange::Removed,
        ),
        // Negative points ("don't know" = -1) order below zero.
        (
            Some(r("no", Some(0))),
            Some(r("unknown", Some(-1))),
            ItemChange::Regressed,
        ),
    ];
    for (from, to, expected) in cases {
        assert_eq!(
            classify(from.as_ref(), to.as_ref()),
            expected,
            "{from:?} → {to:?}"
        );
    }
}

#[test]
fn template_versions_are_matched_by_id() {
    let old = v1();
    let mut new = template(
        2,
        &[
            ("a", &[("1", "One, reworded"), ("2", "Two"), ("6", "Six")]),
            ("b", &[("4", "Four"), ("5", "Five")]),
        ],
    );
    // Item 5 moves to a scale without "partly".
    new.scales.insert(
        id("t"),
        vec![
            choice("yes", '1', "Yes", Some(2)),
            choice("no", '3', "No", Some(0)),
        ],
    );
    new.sections[1].items[1].scale = id("t");
    let from = run(
        "2026-05-20T10:00:00+09:00",
        &[
            ("1", "yes", ""),
            ("3", "partly", "old note"),
            ("5", "partly", ""),
        ],
    );
    let mut to = run(
        "2026-08-20T10:00:00+09:00",
        &[("1", "yes", ""), ("6", "no", ""), ("5", "yes", "")],
    );
    to.inspection_version = 2;
    let c = compare_runs(&old, &from, &new, &to);
    assert_eq!(
        changes(&c),
        [
            ("1".into(), ItemChange::Unchanged),
            ("2".into(), ItemChange::Unanswered),
            ("6".into(), ItemChange::Added),
            ("4".into(), ItemChange::Unanswered),
            ("5".into(), ItemChange::Improved),
            ("3".into(), ItemChange::Removed),
        ]
    );
    assert_eq!((c.template.from_version, c.template.to_version), (1, 2));
    assert_eq!(c.template.added, [id("6")]);
    assert_eq!(c.template.removed, [id("3")]);
    assert_eq!(c.template.reworded.len(), 1);
    assert_eq!(c.template.reworded[0].from.en, "One");
    assert_eq!(c.template.reworded[0].to.en, "One, reworded");
    assert_eq!(c.template.rescaled, [id("5")]);
    let removed = &c.items[5];
    assert_eq!(removed.section.as_str(), "a");
    assert_eq!(removed.from.as_ref().map(|c| c.id.as_str()), Some("partly"));
    assert_eq!(removed.from_note, "old note");
    assert!(removed.note_diff.is_some());
    let sections: Vec<(&str, usize)> = c
        .sections()
        .iter()
        .map(|s| (s.id.as_str(), s.items.len()))
        .collect();
    assert_eq!(sections, [("a", 4), ("b", 2)]);
}

#[test]
fn note_diffs_are_word_level_and_unified() {
    let d = note_diff("2 laptops without EDR", "1 laptop without EDR");
    assert_eq!(
        d.spans,
        [
            (DiffTag::Delete, "2 laptops".into()),
            (DiffTag::Insert, "1 laptop".into()),
            (DiffTag::Equal, " without EDR".into()),
        ]
    );
    assert_eq!(
        d.unified,
        "@@ -1 +1 @@\n-2 laptops without EDR\n+1 laptop without EDR\n"
    );
    // Japanese has no spaces: each wide character is a word (narrow
    // letters and digits still group into words).
    let ja = note_diff("ノートPC2台が未対応", "ノートPC1台が未対応");
    assert_eq!(
        ja.spans,
        [
            (DiffTag::Equal, "ノート".into()),
            (DiffTag::Delete, "PC2".into()),
            (DiffTag::Insert, "PC1".into()),
            (DiffTag::Equal, "台が未対応".into()),
        ]
    );
    let added = note_diff("", "new note");
    assert_eq!(added.spans, [(DiffTag::Insert, "new note".into())]);
    assert_eq!(added.unified, "@@ -0,0 +1 @@\n+new note\n");
    let lines = note_diff("a\nb\nc", "a\nB\nc");
    assert_eq!(lines.unified, "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
}

#[test]
fn equal_notes_have_no_diff() {
    let insp = v1();
    let a = run("2026-05-20T10:00:00+09:00", &[("1", "yes", "same")]);
    let b = run("2026-08-20T10:00:00+09:00", &[("1", "no", "same")]);
    let c = compare_runs(&insp, &a, &insp, &b);
    assert!(c.items.iter().all(|i| i.note_diff.is_none()));
    assert_eq!(c.changed().count(), 1); // 2–5 are unanswered in both runs
}

/// Runs of one subject over several quarters.
fn history() -> Vec<Run> {
    vec![
        run("2025-11-10T10:00:00+09:00", &[("1", "no", "")]),
        run("2026-02-10T10:00:00+09:00", &[("1", "no", "")]),
        run("2026-02-20T10:00:00+09:00", &[("1", "partly", "")]),
        run("2026-08-20T10:00:00+09:00", &[("1", "yes", "")]),
        run("2026-11-25T09:00:00+09:00", &[("1", "yes", "")]),
    ]
}

mod select;
mod trend;
mod trend_reference;
