//! Trends and ranking, and property tests of comparison.

use super::*;

/// `run` as the store makes a committed history entry of it: answers in
/// brief (none left in the run), scored and labelled as the store labels
/// it; `None` when an answer is not on the template's scale.
fn committed(template: std::sync::Arc<Inspection>, run: Run) -> Option<crate::model::HistoryEntry> {
    let brief = crate::model::Brief::from_answers(&template, &run.answers)?;
    let score = brief.score(&template);
    Some(crate::model::HistoryEntry {
        percent: score.percent(),
        score,
        brief,
        run: Run {
            answers: BTreeMap::new(),
            ..run
        },
        template,
        commit: None,
        status: crate::model::RunStatus::Committed,
        blob: None,
        superseded_by: None,
        withdrawn: None,
    })
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

/// A second version of `v1`: item 2 and 5 gone, 3 reworded and moved
/// first, 6 new, section b renamed c.
fn v2() -> Inspection {
    template(
        2,
        &[
            ("a", &[("3", "Three?"), ("1", "One")]),
            ("c", &[("6", "Six"), ("4", "Four")]),
        ],
    )
}

/// Runs over both versions: (version 2?, quarter, a pick per item: a
/// choice of `CHOICES`, one past them for a choice the scale lacks, or
/// none).
fn series() -> impl Strategy<Value = Vec<(bool, u32, Vec<Option<usize>>)>> {
    proptest::collection::vec(
        (
            any::<bool>(),
            0..6u32,
            proptest::collection::vec(proptest::option::of(0..=CHOICES.len()), 5),
        ),
        1..10,
    )
}

fn series_runs(
    versions: &[Inspection; 2],
    series: &[(bool, u32, Vec<Option<usize>>)],
) -> Vec<(usize, Run)> {
    let start = NaiveDate::from_ymd_opt(2024, 4, 10).unwrap();
    series
        .iter()
        .enumerate()
        .map(|(n, (second, quarter, picks))| {
            let v = usize::from(*second);
            let day = start + chrono::Days::new(u64::from(*quarter) * 91);
            let stamp = format!("{day}T10:{n:02}:00+09:00");
            let items: Vec<String> = versions[v].items().map(|(_, i)| i.id.to_string()).collect();
            let answers: Vec<(&str, &str, &str)> = items
                .iter()
                .zip(picks)
                .filter_map(|(i, p)| {
                    p.map(|c| (i.as_str(), CHOICES.get(c).copied().unwrap_or("zzz"), ""))
                })
                .collect();
            let mut r = run(&stamp, &answers);
            r.inspection_version = versions[v].version;
            (v, r)
        })
        .collect()
}

proptest! {
    /// The trend counts, without comparing item by item, exactly what
    /// comparing each point with the one before gives; and history
    /// entries (answers in brief) give the same trend as the runs.
    #[test]
    fn a_trend_is_what_comparing_consecutive_points_gives(s in series()) {
        let versions = [v1(), v2()];
        let runs = series_runs(&versions, &s);
        let entries: Vec<TrendEntry<'_>> = runs
            .iter()
            .map(|(v, run)| TrendEntry { inspection: &versions[*v], run })
            .collect();
        let trends = trend(&entries, PeriodKind::FiscalQuarter, 4);
        prop_assert_eq!(trends.len(), 1);
        let by_id: std::collections::HashMap<&str, &TrendEntry<'_>> =
            entries.iter().map(|e| (e.run.id.as_str(), e)).collect();
        let mut regressed: BTreeMap<String, usize> = BTreeMap::new();
        let points = &trends[0].points;
        for (n, p) in points.iter().enumerate() {
            let e = by_id[p.run.as_str()];
            let side = compare_runs(e.inspection, e.run, e.inspection, e.run).to;
            prop_assert_eq!(&p.score, &side.score);
            prop_assert_eq!(p.band.as_ref(), side.band.as_ref().map(|b| &b.label));
            let Some(prev) = n.checked_sub(1).map(|m| by_id[points[m].run.as_str()]) else {
                prop_assert!(p.summary.is_none());
                continue;
            };
            let c = compare_runs(prev.inspection, prev.run, e.inspection, e.run);
            prop_assert_eq!(p.summary, Some(c.summary));
            prop_assert_eq!(p.score_delta, Some(c.score_delta));
            prop_assert_eq!(p.percent_delta.map(f64::to_bits), Some(c.percent_delta.to_bits()));
            for i in c.with_change(ItemChange::Regressed) {
                *regressed.entry(i.id.to_string()).or_default() += 1;
            }
        }
        let counted: BTreeMap<String, usize> = trends[0]
            .regressed_most
            .iter()
            .map(|r| (r.id.to_string(), r.count))
            .collect();
        prop_assert_eq!(counted, regressed);

        // In brief: runs whose every choice is on the scale (the others
        // are invalid and never reach a history entry).
        let valid: Vec<&(usize, Run)> = runs
            .iter()
            .filter(|(v, r)| crate::model::Brief::from_answers(&versions[*v], &r.answers).is_some())
            .collect();
        let entries: Vec<TrendEntry<'_>> = valid
            .iter()
            .map(|(v, run)| TrendEntry { inspection: &versions[*v], run })
            .collect();
        let arcs = [std::sync::Arc::new(v1()), std::sync::Arc::new(v2())];
        let history: Vec<crate::model::HistoryEntry> = valid
            .iter()
            .map(|(v, r)| committed(arcs[*v].clone(), r.clone()).unwrap())
            .collect();
        prop_assert_eq!(
            trend_of(&history, PeriodKind::FiscalQuarter, 4),
            trend(&entries, PeriodKind::FiscalQuarter, 4)
        );
    }
}

/// Runs of two subjects and two inspections over both versions, finished
/// in two offsets (so that local dates and instants disagree in order),
/// some at the same instant (even with the same id), some correcting an
/// earlier one.
fn mixed() -> impl Strategy<Value = Vec<MixedRun>> {
    proptest::collection::vec(
        (
            (0..2usize, 0..2usize, any::<bool>()),
            (0..900u64, 0..24u32, 0..2u32, any::<bool>()),
            proptest::collection::vec(proptest::option::of(0..=CHOICES.len()), 5),
            proptest::option::weighted(0.15, 0..64usize),
        ),
        1..40,
    )
}

/// (subject, inspection, version 2?), (day, hour, minute, west?), picks,
/// the earlier run it corrects (modulo those before it).
type MixedRun = (
    (usize, usize, bool),
    (u64, u32, u32, bool),
    Vec<Option<usize>>,
    Option<usize>,
);

fn mixed_runs(versions: &[Inspection; 2], runs: &[MixedRun]) -> Vec<(usize, Run)> {
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let mut out: Vec<(usize, Run)> = Vec::new();
    for ((subject, inspection, second), (day, hour, minute, west), picks, corrects) in runs {
        let v = usize::from(*second);
        let date = start + chrono::Days::new(*day);
        let offset = if *west { "-10:00" } else { "+09:00" };
        let stamp = format!("{date}T{hour:02}:{minute:02}:00{offset}");
        let answers: Vec<(String, &str)> = versions[v]
            .items()
            .zip(picks)
            .filter_map(|((_, i), p)| {
                p.map(|c| (i.id.to_string(), CHOICES.get(c).copied().unwrap_or("zzz")))
            })
            .collect();
        let answers: Vec<(&str, &str, &str)> =
            answers.iter().map(|(i, c)| (i.as_str(), *c, "")).collect();
        let mut r = run(&stamp, &answers);
        r.inspection_version = versions[v].version;
        r.subject = id(["self", "acme"][*subject]);
        r.inspection = id(["check", "drill"][*inspection]);
        r.id =
            r.id.replacen("self/check", &format!("{}/{}", r.subject, r.inspection), 1);
        if let Some(n) = corrects
            && !out.is_empty()
        {
            r.supersedes = Some(out[n % out.len()].1.id.clone());
        }
        out.push((v, r));
    }
    out
}

const KINDS: [PeriodKind; 6] = PeriodKind::ALL;

proptest! {
    /// The trends computed by borrowing and one counting sort are those the
    /// earlier computation (a map per series, owned copies) gave, field by
    /// field and in the same order: for runs with answers and for history
    /// entries, by every kind of period and two fiscal starts.
    #[test]
    fn the_trend_equals_the_reference(s in mixed()) {
        let versions = [v1(), v2()];
        let runs = mixed_runs(&versions, &s);
        let entries: Vec<TrendEntry<'_>> = runs
            .iter()
            .map(|(v, run)| TrendEntry { inspection: &versions[*v], run })
            .collect();
        let arcs = [std::sync::Arc::new(v1()), std::sync::Arc::new(v2())];
        let history: Vec<crate::model::HistoryEntry> = runs
            .iter()
            .filter_map(|(v, r)| committed(arcs[*v].clone(), r.clone()))
            .collect();
        for kind in KINDS {
            for fiscal in [1, 4] {
                let trends = trend(&entries, kind, fiscal);
                prop_assert_eq!(&trends, &super::trend_reference::trend_of(&entries, kind, fiscal));
                prop_assert_eq!(
                    trend_of(&history, kind, fiscal),
                    super::trend_reference::trend_of(&history, kind, fiscal)
                );
            }
        }
    }
}

/// A scale for each of four items: each choice's points (`None`: not
/// applicable), up to 20 choices, so that some pairs of scales are too
/// long for a table of changes and some are not.
fn scales() -> impl Strategy<Value = Vec<Vec<Option<i32>>>> {
    proptest::collection::vec(
        proptest::collection::vec(proptest::option::weighted(0.8, 0..3i32), 1..=20),
        4,
    )
}

/// A template whose four items `ids` each have their own scale, choices
/// `c0`, `c1`, … (the same ids on every scale, with other points).
fn scaled(version: u32, ids: [&str; 4], scales: &[Vec<Option<i32>>]) -> Inspection {
    let mut t = template(
        version,
        &[
            ("a", &[(ids[0], "First"), (ids[1], "Second")]),
            ("b", &[(ids[2], "Third"), (ids[3], "Fourth")]),
        ],
    );
    t.scales.clear();
    let items = t.sections.iter_mut().flat_map(|s| s.items.iter_mut());
    for (item, points) in items.zip(scales) {
        item.scale = id(&format!("s{}", item.id));
        let choices = points
            .iter()
            .enumerate()
            .map(|(n, p)| choice(&format!("c{n}"), 'k', "Choice", *p))
            .collect();
        t.scales.insert(item.scale.clone(), choices);
    }
    t
}

proptest! {
    /// Over items on scales of any length (some too long to tabulate),
    /// changed between two versions (one item gone, one new), the trend of
    /// history entries is the reference's.
    #[test]
    fn a_trend_over_scales_of_any_length_equals_the_reference(
        (first, second) in (scales(), scales()),
        s in proptest::collection::vec(
            (any::<bool>(), 0..8u64, proptest::collection::vec(proptest::option::of(0..20usize), 4)),
            1..16,
        ),
    ) {
        let arcs = [
            std::sync::Arc::new(scaled(1, ["1", "2", "3", "4"], &first)),
            std::sync::Arc::new(scaled(2, ["2", "5", "3", "1"], &second)),
        ];
        let start = NaiveDate::from_ymd_opt(2024, 4, 10).unwrap();
        let history: Vec<crate::model::HistoryEntry> = s
            .iter()
            .enumerate()
            .map(|(n, (later, quarter, picks))| {
                let template = arcs[usize::from(*later)].clone();
                let day = start + chrono::Days::new(quarter * 91 + n as u64 % 3);
                let answers: Vec<(String, String)> = template
                    .items()
                    .zip(picks)
                    .filter_map(|((_, item), pick)| {
                        let len = template.choices(item).len();
                        pick.map(|p| (item.id.to_string(), format!("c{}", p % len)))
                    })
                    .collect();
                let answers: Vec<(&str, &str, &str)> =
                    answers.iter().map(|(i, c)| (i.as_str(), c.as_str(), "")).collect();
                let mut r = run(&format!("{day}T10:{n:02}:00+09:00"), &answers);
                r.inspection_version = template.version;
                committed(template, r).unwrap()
            })
            .collect();
        for kind in [PeriodKind::FiscalQuarter, PeriodKind::Year] {
            prop_assert_eq!(
                trend_of(&history, kind, 4),
                super::trend_reference::trend_of(&history, kind, 4)
            );
        }
    }
}

proptest! {
    /// Runs finished at one instant in two offsets (so with other ids) are
    /// ordered by id within their period, whatever their order in the
    /// history, as the reference orders them.
    #[test]
    fn runs_of_one_instant_are_ordered_by_id(
        s in proptest::collection::vec(
            (
                0..3u64,
                any::<bool>(),
                proptest::collection::vec(proptest::option::of(0..=CHOICES.len()), 5),
            ),
            1..12,
        )
    ) {
        let versions = [v1(), v2()];
        // 19:00 at +09:00 and 00:00 at -10:00 are the same instant.
        let runs: Vec<MixedRun> = s
            .into_iter()
            .map(|(day, west, picks)| ((0, 0, false), (day, if west { 0 } else { 19 }, 0, west), picks, None))
            .collect();
        let runs = mixed_runs(&versions, &runs);
        let entries: Vec<TrendEntry<'_>> = runs
            .iter()
            .map(|(v, run)| TrendEntry { inspection: &versions[*v], run })
            .collect();
        for kind in KINDS {
            prop_assert_eq!(
                trend(&entries, kind, 4),
                super::trend_reference::trend_of(&entries, kind, 4)
            );
        }
    }
}
