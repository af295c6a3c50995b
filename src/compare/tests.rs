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
        reference: String::new(),
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

fn history() -> Vec<Run> {
    vec![
        run("2025-11-10T10:00:00+09:00", &[("1", "no", "")]),
        run("2026-02-10T10:00:00+09:00", &[("1", "no", "")]),
        run("2026-02-20T10:00:00+09:00", &[("1", "partly", "")]),
        run("2026-08-20T10:00:00+09:00", &[("1", "yes", "")]),
        run("2026-11-25T09:00:00+09:00", &[("1", "yes", "")]),
    ]
}

fn spec(s: &str) -> RunSpec {
    RunSpec::parse(s, 4).unwrap()
}

fn picked(runs: &[Run], s: &str) -> Result<String, String> {
    select(runs, &spec(s), 4)
        .map(|r| r.date().to_string())
        .map_err(|e| e.to_string())
}

#[test]
fn parses_run_names() {
    assert_eq!(spec("latest"), RunSpec::Latest);
    assert_eq!(spec("Previous"), RunSpec::Previous);
    assert_eq!(
        spec("self/check/2026-02-10T100000-sato"),
        RunSpec::Run("self/check/2026-02-10T100000-sato".into())
    );
    assert_eq!(
        spec("2026-02-10"),
        RunSpec::Date(NaiveDate::from_ymd_opt(2026, 2, 10).unwrap())
    );
    assert_eq!(spec("FY2026Q2").to_string(), "FY2026Q2");
    assert_eq!(spec("2026q3").to_string(), "2026Q3");
    let err = |s: &str| RunSpec::parse(s, 4).unwrap_err().to_string();
    assert_eq!(
        err("2026-02-30"),
        "`2026-02-30` is not a valid date; use YYYY-MM-DD"
    );
    assert_eq!(
        err("2026Q7"),
        "`2026Q7` names no such quarter or half; quarters are Q1–Q4 and halves H1–H2"
    );
    assert_eq!(
        err("yesterday"),
        "`yesterday` is not a run id, a date (YYYY-MM-DD), a period (2026Q3, FY2026Q2, 2026H1, 2026), `latest` or `previous`"
    );
}

#[test]
fn selects_runs_by_every_kind_of_name() {
    let runs = history();
    assert_eq!(picked(&runs, "latest"), Ok("2026-11-25".into()));
    assert_eq!(picked(&runs, "previous"), Ok("2026-08-20".into()));
    // A period picks its latest run.
    assert_eq!(picked(&runs, "2026Q1"), Ok("2026-02-20".into()));
    assert_eq!(picked(&runs, "FY2025Q4"), Ok("2026-02-20".into()));
    assert_eq!(picked(&runs, "FY2025"), Ok("2026-02-20".into()));
    assert_eq!(picked(&runs, "2026"), Ok("2026-11-25".into()));
    assert_eq!(picked(&runs, "2026-02-10"), Ok("2026-02-10".into()));
    assert_eq!(
        picked(&runs, "self/check/2026-02-10T100000-sato"),
        Ok("2026-02-10".into())
    );
    assert_eq!(
        picked(&runs, "2026Q2"),
        Err(
            "no run finished in 2026Q2; the nearest periods with runs are 2026Q1 and 2026Q3".into()
        )
    );
    assert_eq!(
        picked(&runs, "FY2027Q1"),
        Err("no run finished in FY2027Q1; the nearest period with a run is FY2026Q3".into())
    );
    assert_eq!(
        picked(&runs, "2026-02-11"),
        Err("no run finished on 2026-02-11; the nearest dates with runs are 2026-02-10 and 2026-02-20".into())
    );
    assert_eq!(
        picked(&runs, "self/check/nope"),
        Err("there is no run `self/check/nope`".into())
    );
    assert_eq!(
        select::<Run>(&[], &RunSpec::Latest, 4).map(|r| r.id.clone()),
        Err(SelectError::NoRuns)
    );
    assert_eq!(
        picked(&runs[..1], "previous"),
        Err("no run finished before FY2025Q3, the quarter of self/check/2025-11-10T100000-sato, so there is nothing to compare it with".into())
    );
}

#[test]
fn superseded_runs_are_skipped_except_by_id() {
    let mut runs = history();
    let mut fix = run("2026-02-21T10:00:00+09:00", &[("1", "no", "")]);
    fix.supersedes = Some(runs[2].id.clone());
    runs.push(fix);
    assert_eq!(picked(&runs, "2026Q1"), Ok("2026-02-21".into()));
    assert_eq!(picked(&runs, "2026-02-20").ok(), None);
    let id = runs[2].id.clone();
    assert_eq!(picked(&runs, &id), Ok("2026-02-20".into()));
}

#[test]
fn default_pair_is_latest_against_its_previous_run() {
    let runs = history();
    let pair = |runs: &[Run], start: u32| {
        select_pair(runs, None, None, start)
            .map(|(a, b)| (a.date().to_string(), b.date().to_string()))
            .map_err(|e| e.to_string())
    };
    // Latest 2026-11-25 is in FY2026Q3 (Oct–Dec); FY2026Q2 holds 2026-08-20.
    assert_eq!(
        pair(&runs, 4),
        Ok(("2026-08-20".into(), "2026-11-25".into()))
    );
    // Issue 17: without the August run the quarter before is empty; the
    // latest run before FY2026Q3 is compared, however long before.
    let mut gap = runs.clone();
    gap.remove(3);
    assert_eq!(
        pair(&gap, 4),
        Ok(("2026-02-20".into(), "2026-11-25".into()))
    );
    // One name: that run against the latest.
    let (a, b) = select_pair(&runs, Some(&spec("2026Q1")), None, 4).unwrap();
    assert_eq!(
        (a.date().to_string(), b.date().to_string()),
        ("2026-02-20".into(), "2026-11-25".into())
    );
    let (a, b) = select_pair(&runs, Some(&spec("latest")), Some(&spec("2025Q4")), 4).unwrap();
    assert_eq!(
        (a.date().to_string(), b.date().to_string()),
        ("2026-11-25".into(), "2025-11-10".into())
    );
}

/// Issue 17: one rule for "previous", the worked example of
/// docs/comparison.md.
#[test]
fn previous_is_the_latest_run_before_the_runs_quarter() {
    let runs = vec![
        run("2026-02-10T10:00:00+09:00", &[("1", "no", "")]),
        run("2026-05-20T10:00:00+09:00", &[("1", "partly", "")]),
        run("2026-11-02T10:00:00+09:00", &[("1", "yes", "")]),
        run("2026-11-25T09:00:00+09:00", &[("1", "yes", "")]),
    ];
    let previous = |i: usize| previous_of(&runs, &runs[i], 4).map(|r| r.date().to_string());
    assert_eq!(previous(3).as_deref(), Some("2026-05-20"));
    assert_eq!(
        previous(2).as_deref(),
        Some("2026-05-20"),
        "not its sibling"
    );
    assert_eq!(previous(1).as_deref(), Some("2026-02-10"));
    assert_eq!(previous(0), None);
    // With a January start 2026-05-20 is in 2026Q2 and 2026-02-10 in Q1.
    assert_eq!(
        previous_of(&runs, &runs[1], 1).map(|r| r.date().to_string()),
        Some("2026-02-10".into())
    );
    // `previous` names the same run, and so do a superseded run's absence
    // and another subject's runs.
    assert_eq!(picked(&runs, "previous"), Ok("2026-05-20".into()));
    let mut more = runs.clone();
    let mut fix = run("2026-05-21T10:00:00+09:00", &[("1", "yes", "")]);
    fix.supersedes = Some(runs[1].id.clone());
    more.push(fix);
    let mut other = run("2026-09-01T10:00:00+09:00", &[("1", "yes", "")]);
    other.subject = id("acme");
    other.id = "acme/check/2026-09-01T100000-sato".into();
    more.push(other);
    assert_eq!(
        previous_of(&more, &runs[3], 4).map(|r| r.date().to_string()),
        Some("2026-05-21".into())
    );
    // A run being finished (not in the list) gets the same answer.
    let finishing = run("2026-12-01T10:00:00+09:00", &[]);
    assert_eq!(
        previous_of(&runs, &finishing, 4).map(|r| r.date().to_string()),
        Some("2026-05-20".into())
    );
}

/// Issue 17: trend deltas by fiscal quarter are between each run and its
/// previous run of the one rule.
#[test]
fn trend_deltas_follow_the_previous_rule() {
    let insp = v1();
    let runs = vec![
        run("2026-02-10T10:00:00+09:00", &[("1", "no", "")]),
        run("2026-05-20T10:00:00+09:00", &[("1", "partly", "")]),
        run("2026-11-02T10:00:00+09:00", &[("1", "no", "")]),
        run("2026-11-25T09:00:00+09:00", &[("1", "yes", "")]),
    ];
    let entries: Vec<TrendEntry<'_>> = runs
        .iter()
        .map(|r| TrendEntry {
            inspection: &insp,
            run: r,
        })
        .collect();
    let t = trend(&entries, PeriodKind::FiscalQuarter, 4);
    for point in &t[0].points {
        let run = runs.iter().find(|r| r.id == point.run).unwrap();
        let expected =
            previous_of(&runs, run, 4).map(|p| compare_runs(&insp, p, &insp, run).percent_delta);
        assert_eq!(point.percent_delta, expected, "{}", point.period);
    }
}

#[test]
fn groups_and_ranks() {
    let insp = v1();
    let mut other = run("2026-08-21T10:00:00+09:00", &[("1", "no", "")]);
    other.subject = id("acme");
    other.id = "acme/check/2026-08-21T100000-sato".into();
    let mut runs = history();
    runs.push(other);
    let groups = group_runs(&runs);
    let keys: Vec<String> = groups.keys().map(|(s, i)| format!("{s}/{i}")).collect();
    assert_eq!(keys, ["acme/check", "self/check"]);
    assert_eq!(groups[&(id("self"), id("check"))].len(), 5);

    let a = run("2026-05-20T10:00:00+09:00", &[("1", "yes", "")]);
    let b = run("2026-08-20T10:00:00+09:00", &[("1", "no", "")]);
    let mut down = compare_runs(&insp, &a, &insp, &b);
    down.subject = id("zeta");
    let mut up = compare_runs(&insp, &b, &insp, &a);
    up.subject = id("alpha");
    let same = compare_runs(&insp, &a, &insp, &a);
    let mut all = vec![up, same, down];
    rank(&mut all);
    let order: Vec<&str> = all.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(order, ["zeta", "self", "alpha"]);
}

#[test]
fn trend_per_period_with_deltas_and_regressions() {
    let insp = v1();
    let runs = [
        run(
            "2025-11-10T10:00:00+09:00",
            &[("1", "yes", ""), ("2", "yes", "")],
        ),
        run(
            "2026-02-10T10:00:00+09:00",
            &[("1", "no", ""), ("2", "yes", "")],
        ),
        run(
            "2026-02-20T10:00:00+09:00",
            &[("1", "partly", ""), ("2", "yes", "")],
        ),
        run(
            "2026-08-20T10:00:00+09:00",
            &[("1", "yes", ""), ("2", "no", "")],
        ),
        run(
            "2026-11-25T09:00:00+09:00",
            &[("1", "no", ""), ("2", "no", "")],
        ),
    ];
    let entries: Vec<TrendEntry<'_>> = runs
        .iter()
        .map(|run| TrendEntry {
            inspection: &insp,
            run,
        })
        .collect();
    let trends = trend(&entries, PeriodKind::FiscalQuarter, 4);
    assert_eq!(trends.len(), 1);
    let t = &trends[0];
    let rows: Vec<(String, i64, Option<i64>, usize)> = t
        .points
        .iter()
        .map(|p| {
            (
                p.period.to_string(),
                p.score.score,
                p.score_delta,
                p.runs_in_period,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("FY2025Q3".into(), 4, None, 1),
            ("FY2025Q4".into(), 3, Some(-1), 2),
            ("FY2026Q2".into(), 2, Some(-1), 1),
            ("FY2026Q3".into(), 0, Some(-2), 1),
        ]
    );
    let most: Vec<(&str, usize, String)> = t
        .regressed_most
        .iter()
        .map(|r| (r.id.as_str(), r.count, r.last.to_string()))
        .collect();
    assert_eq!(
        most,
        [("1", 2, "FY2026Q3".into()), ("2", 1, "FY2026Q2".into())]
    );
    assert_eq!(t.bands.first().map(|b| b.min_percent), Some(80));
    let by_year = trend(&entries, PeriodKind::Year, 4);
    let years: Vec<String> = by_year[0]
        .points
        .iter()
        .map(|p| p.period.to_string())
        .collect();
    assert_eq!(years, ["2025", "2026"]);
}

// --- properties ------------------------------------------------------------

const CHOICES: [&str; 6] = ["yes", "partly", "no", "na", "nope", "half"];
const WORDS: [&str; 5] = ["EDR", "2 laptops", "ノート", "", "patched"];

fn answers() -> impl Strategy<Value = Vec<Option<(usize, usize)>>> {
    proptest::collection::vec(proptest::option::of((0..CHOICES.len(), 0..WORDS.len())), 5)
}

fn run_from(stamp: &str, picks: &[Option<(usize, usize)>]) -> Run {
    let owned: Vec<(String, &str, &str)> = picks
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|(c, w)| ((i + 1).to_string(), CHOICES[c], WORDS[w])))
        .collect();
    let refs: Vec<(&str, &str, &str)> =
        owned.iter().map(|(i, c, w)| (i.as_str(), *c, *w)).collect();
    run(stamp, &refs)
}

proptest! {
    #[test]
    fn a_run_compared_with_itself_is_unchanged(picks in answers()) {
        let insp = v1();
        let r = run_from("2026-05-20T10:00:00+09:00", &picks);
        let c = compare_runs(&insp, &r, &insp, &r);
        for (item, pick) in c.items.iter().zip(&picks) {
            let expected = if pick.is_some() { ItemChange::Unchanged } else { ItemChange::Unanswered };
            prop_assert_eq!(item.change, expected);
            prop_assert!(item.note_diff.is_none());
        }
        prop_assert_eq!(c.score_delta, 0);
        prop_assert_eq!(c.summary.improved + c.summary.regressed + c.summary.added + c.summary.removed, 0);
    }

    #[test]
    fn swapping_runs_swaps_improved_and_regressed(a in answers(), b in answers()) {
        let insp = v1();
        let ra = run_from("2026-05-20T10:00:00+09:00", &a);
        let rb = run_from("2026-08-20T10:00:00+09:00", &b);
        let ab = compare_runs(&insp, &ra, &insp, &rb);
        let ba = compare_runs(&insp, &rb, &insp, &ra);
        prop_assert_eq!(ab.summary.improved, ba.summary.regressed);
        prop_assert_eq!(ab.summary.regressed, ba.summary.improved);
        prop_assert_eq!(ab.score_delta, -ba.score_delta);
        prop_assert!((ab.percent_delta + ba.percent_delta).abs() < 1e-9);
        prop_assert_eq!(ab.summary.total(), 5);
        for (x, y) in ab.items.iter().zip(&ba.items) {
            let swapped = match x.change {
                ItemChange::Improved => Some(ItemChange::Regressed),
                ItemChange::Regressed => Some(ItemChange::Improved),
                ItemChange::Unchanged => Some(ItemChange::Unchanged),
                _ => None,
            };
            if let Some(s) = swapped {
                prop_assert_eq!(y.change, s);
            }
            prop_assert_eq!(x.note_diff.is_some(), y.note_diff.is_some());
        }
    }

    #[test]
    fn note_spans_rebuild_both_notes(a in "[a-zあ-ん ]{0,12}", b in "[a-zあ-ん ]{0,12}") {
        let d = note_diff(&a, &b);
        let old: String = d.spans.iter().filter(|(t, _)| *t != DiffTag::Insert).map(|(_, s)| s.as_str()).collect();
        let new: String = d.spans.iter().filter(|(t, _)| *t != DiffTag::Delete).map(|(_, s)| s.as_str()).collect();
        prop_assert_eq!(old, a);
        prop_assert_eq!(new, b);
    }
}
