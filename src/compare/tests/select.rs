//! Run selection: names of runs, the default pair and the one rule for
//! "previous" (issue 17).

use super::*;

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
