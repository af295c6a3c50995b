//! Trends: the score per period with deltas, and the items that regress
//! most often.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::diff::compare_inner;
use super::diff::{ItemChange, RunSide, Summary};
use super::select::{group_runs, superseded};
use crate::model::{Band, Id, Inspection, Run, Text};
use crate::period::{Period, PeriodKind};
use crate::score::Score;

/// A run with the template version it answered, as input to [`trend`].
#[derive(Debug, Clone, Copy)]
pub struct TrendEntry<'a> {
    /// The template version the run answered.
    pub inspection: &'a Inspection,
    /// The run.
    pub run: &'a Run,
}

/// One period of a trend: the latest run finished in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// The period.
    pub period: Period,
    /// The run standing for the period (its latest).
    pub run: String,
    /// The date that run was finished.
    pub date: NaiveDate,
    /// How many runs (not superseded) were finished in the period.
    pub runs_in_period: usize,
    /// The run's score.
    pub score: Score,
    /// The run's percent.
    pub percent: f64,
    /// The run's band.
    pub band: Option<Band>,
    /// Score change from the previous point; `None` for the first.
    pub score_delta: Option<i64>,
    /// Percent change from the previous point; `None` for the first.
    pub percent_delta: Option<f64>,
    /// Item changes from the previous point; `None` for the first.
    pub summary: Option<Summary>,
}

/// An item that regressed between consecutive points of a trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRegressions {
    /// The item id.
    pub id: Id,
    /// The section id (latest template that has the item).
    pub section: Id,
    /// The question (latest template that has the item).
    pub title: Text,
    /// How many times the item regressed from one point to the next.
    pub count: usize,
    /// The last period in which it regressed.
    pub last: Period,
}

/// Score per period for one subject and inspection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// The subject.
    pub subject: Id,
    /// The inspection.
    pub inspection: Id,
    /// The kind of period the runs are grouped by.
    pub by: PeriodKind,
    /// Periods that have runs, oldest first. Periods without runs are
    /// skipped; deltas are against the previous point listed.
    pub points: Vec<TrendPoint>,
    /// Items that regressed at least once, most often first (then by the
    /// latest regression, then by id).
    pub regressed_most: Vec<ItemRegressions>,
    /// The current (latest) template's bands, highest first, for drawing
    /// thresholds.
    pub bands: Vec<Band>,
}

/// Builds one trend per subject and inspection, ordered by inspection then
/// subject.
///
/// Runs are grouped into periods of kind `by` (fiscal kinds use
/// `fiscal_start_month`); each period is represented by its latest run,
/// superseded runs left out. Deltas and regressions are between
/// consecutive represented periods.
pub fn trend(entries: &[TrendEntry<'_>], by: PeriodKind, fiscal_start_month: u32) -> Vec<Trend> {
    let runs: Vec<&Run> = entries.iter().map(|e| e.run).collect();
    let gone = superseded(&runs);
    let template_of: HashMap<&str, &Inspection> = entries
        .iter()
        .map(|e| (e.run.id.as_str(), e.inspection))
        .collect();
    let mut out = Vec::new();
    for ((subject, inspection), group) in group_runs(&runs) {
        let mut by_period: BTreeMap<Period, Vec<&Run>> = BTreeMap::new();
        for run in group.into_iter().filter(|r| !gone.contains(r.id.as_str())) {
            by_period
                .entry(Period::containing(by, run.date(), fiscal_start_month))
                .or_default()
                .push(run);
        }
        let mut points: Vec<TrendPoint> = Vec::new();
        let mut regressions: BTreeMap<Id, ItemRegressions> = BTreeMap::new();
        let mut previous: Option<(&Inspection, &Run)> = None;
        let mut latest_template: Option<&Inspection> = None;
        for (period, runs) in by_period {
            let Some(run) = runs.last().copied() else {
                continue;
            };
            let Some(template) = template_of.get(run.id.as_str()).copied() else {
                continue;
            };
            latest_template = Some(template);
            let side = RunSide::new(template, run);
            let mut point = TrendPoint {
                period,
                run: run.id.clone(),
                date: side.date,
                runs_in_period: runs.len(),
                percent: side.percent,
                band: side.band.clone(),
                score_delta: None,
                percent_delta: None,
                summary: None,
                score: side.score.clone(),
            };
            if let Some((prev_template, prev_run)) = previous {
                let cmp = compare_inner(prev_template, prev_run, template, run, false);
                point.score_delta = Some(cmp.score_delta);
                point.percent_delta = Some(cmp.percent_delta);
                point.summary = Some(cmp.summary);
                for item in cmp.with_change(ItemChange::Regressed) {
                    let entry =
                        regressions
                            .entry(item.id.clone())
                            .or_insert_with(|| ItemRegressions {
                                id: item.id.clone(),
                                section: item.section.clone(),
                                title: item.title.clone(),
                                count: 0,
                                last: period,
                            });
                    entry.count += 1;
                    entry.last = period;
                    entry.section.clone_from(&item.section);
                    entry.title.clone_from(&item.title);
                }
            }
            previous = Some((template, run));
            points.push(point);
        }
        if points.is_empty() {
            continue;
        }
        let mut regressed_most: Vec<ItemRegressions> = regressions.into_values().collect();
        regressed_most.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(b.last.cmp(&a.last))
                .then(a.id.cmp(&b.id))
        });
        let mut bands = latest_template.map(|t| t.bands.clone()).unwrap_or_default();
        bands.sort_by_key(|b| std::cmp::Reverse(b.min_percent));
        out.push(Trend {
            subject,
            inspection,
            by,
            points,
            regressed_most,
            bands,
        });
    }
    out.sort_by(|a, b| (&a.inspection, &a.subject).cmp(&(&b.inspection, &b.subject)));
    out
}
