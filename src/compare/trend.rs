//! Trends: the score per period with deltas, and the items that regress
//! most often.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::diff::{ItemChange, Summary, classify_picks};
use crate::model::{Band, HistoryEntry, Id, Inspection, Item, Run, Section, Text};
use crate::period::{Period, PeriodKind};
use crate::score::{Score, score_run};

/// A quick hasher for maps keyed by the runs' own ids.
type Quick = foldhash::fast::RandomState;

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
    /// The label of the run's band.
    pub band: Option<Text>,
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

/// What [`trend`] needs of one run: the run, the template version it is
/// scored against, its score and its answer to each item. Implemented by
/// [`TrendEntry`] (a run with its answers) and by history entries (answers
/// in brief), which give the same trend for the same runs.
pub trait TrendInput {
    /// The run (its `answers` may be empty for a history entry).
    fn run(&self) -> &Run;
    /// The template version the run is scored against.
    fn inspection(&self) -> &Inspection;
    /// The run's score against [`TrendInput::inspection`].
    fn score(&self) -> Score;
    /// The id and points of the choice given for `item`, the item at
    /// `position` in walk order of [`TrendInput::inspection`]; `None` when
    /// unanswered. A choice missing from the scale has no points.
    fn pick(&self, position: usize, item: &Item) -> Option<(&str, Option<i32>)>;
    /// The label of the band a run with `percent` (its own) lands in.
    fn band(&self, percent: f64) -> Option<&Text> {
        self.inspection().band(percent).map(|b| &b.label)
    }
}

impl TrendInput for TrendEntry<'_> {
    fn run(&self) -> &Run {
        self.run
    }

    fn inspection(&self) -> &Inspection {
        self.inspection
    }

    fn score(&self) -> Score {
        score_run(self.inspection, self.run)
    }

    fn pick(&self, _position: usize, item: &Item) -> Option<(&str, Option<i32>)> {
        let answer = self.run.answers.get(&item.id)?;
        Some(match self.inspection.choice(item, answer.choice.as_str()) {
            Some(c) => (c.id.as_str(), c.points),
            None => (answer.choice.as_str(), None),
        })
    }
}

impl TrendInput for HistoryEntry {
    fn run(&self) -> &Run {
        &self.run
    }

    fn inspection(&self) -> &Inspection {
        &self.template
    }

    fn score(&self) -> Score {
        self.score.clone()
    }

    fn pick(&self, position: usize, item: &Item) -> Option<(&str, Option<i32>)> {
        let c = self.brief.choice_at(&self.template, position, item)?;
        Some((c.id.as_str(), c.points))
    }

    fn band(&self, _percent: f64) -> Option<&Text> {
        // Worked out when the history was read, from the same score.
        self.band.as_ref()
    }
}

impl<T: TrendInput + ?Sized> TrendInput for &T {
    fn run(&self) -> &Run {
        (**self).run()
    }

    fn inspection(&self) -> &Inspection {
        (**self).inspection()
    }

    fn score(&self) -> Score {
        (**self).score()
    }

    fn pick(&self, position: usize, item: &Item) -> Option<(&str, Option<i32>)> {
        (**self).pick(position, item)
    }

    fn band(&self, percent: f64) -> Option<&Text> {
        (**self).band(percent)
    }
}

/// Builds one trend per subject and inspection, ordered by inspection then
/// subject.
///
/// Runs are grouped into periods of kind `by` (fiscal kinds use
/// `fiscal_start_month`); each period is represented by its latest run,
/// superseded runs left out. Deltas and regressions are between
/// consecutive represented periods.
pub fn trend(entries: &[TrendEntry<'_>], by: PeriodKind, fiscal_start_month: u32) -> Vec<Trend> {
    trend_of(entries, by, fiscal_start_month)
}

/// [`trend`] over any [`TrendInput`] (history entries need no answers
/// rebuilt from their brief). Deltas, summaries and regressions are those
/// of [`super::compare_runs`] between consecutive points, counted without
/// building the item-by-item comparison.
pub fn trend_of<E: TrendInput>(
    entries: &[E],
    by: PeriodKind,
    fiscal_start_month: u32,
) -> Vec<Trend> {
    let gone: HashSet<&str, Quick> = entries
        .iter()
        .filter_map(|e| e.run().supersedes.as_deref())
        .collect();
    // Grouped in any order: the trends are put in order at the end.
    let mut groups: HashMap<(&Id, &Id), Vec<&E>, Quick> = HashMap::default();
    for e in entries {
        groups
            .entry((&e.run().subject, &e.run().inspection))
            .or_default()
            .push(e);
    }
    let mut pairs = Pairs::default();
    let mut out = Vec::new();
    let mut by_period: Vec<(Period, &E)> = Vec::new();
    for ((subject, inspection), mut group) in groups {
        group.sort_by(|a, b| (a.run().finished, &a.run().id).cmp(&(b.run().finished, &b.run().id)));
        // By period, each period's runs in the order above (a stable sort
        // of runs nearly always in order already).
        by_period.clear();
        by_period.extend(
            group
                .into_iter()
                .filter(|e| !gone.contains(e.run().id.as_str()))
                .map(|e| {
                    (
                        Period::containing(by, e.run().date(), fiscal_start_month),
                        e,
                    )
                }),
        );
        by_period.sort_by_key(|&(period, _)| period);
        let mut points: Vec<TrendPoint> = Vec::new();
        let mut regressions: BTreeMap<Id, ItemRegressions> = BTreeMap::new();
        let mut previous: Option<(&E, i64, f64)> = None;
        let mut latest_template: Option<&Inspection> = None;
        for runs in by_period.chunk_by(|a, b| a.0 == b.0) {
            let Some(&(period, e)) = runs.last() else {
                continue;
            };
            let run = e.run();
            let template = e.inspection();
            latest_template = Some(template);
            let score = e.score();
            let percent = score.percent();
            let mut point = TrendPoint {
                period,
                run: run.id.clone(),
                date: run.date(),
                runs_in_period: runs.len(),
                percent,
                band: e.band(percent).cloned(),
                score_delta: None,
                percent_delta: None,
                summary: None,
                score: score.clone(),
            };
            if let Some((prev, prev_score, prev_percent)) = previous {
                let (summary, regressed) = pairs.step(prev, e);
                point.score_delta = Some(score.score - prev_score);
                point.percent_delta = Some(percent - prev_percent);
                point.summary = Some(summary);
                for (section, item) in regressed {
                    if let Some(entry) = regressions.get_mut(&item.id) {
                        entry.count += 1;
                        entry.last = period;
                        // The latest template that has the item names it.
                        if entry.section != section.id {
                            entry.section.clone_from(&section.id);
                        }
                        if entry.title != item.title {
                            entry.title.clone_from(&item.title);
                        }
                    } else {
                        regressions.insert(
                            item.id.clone(),
                            ItemRegressions {
                                id: item.id.clone(),
                                section: section.id.clone(),
                                title: item.title.clone(),
                                count: 1,
                                last: period,
                            },
                        );
                    }
                }
            }
            previous = Some((e, score.score, percent));
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
            subject: subject.clone(),
            inspection: inspection.clone(),
            by,
            points,
            regressed_most,
            bands,
        });
    }
    out.sort_by(|a, b| (&a.inspection, &a.subject).cmp(&(&b.inspection, &b.subject)));
    out
}

/// How the items of one template version match those of an earlier one,
/// by id: for each item of the later one, the earlier one's item (the
/// first with its id) and its position; and how many of the earlier items
/// the later one lacks.
struct Matching<'e> {
    earlier: Vec<Option<(usize, &'e Item)>>,
    removed: usize,
}

/// The matchings of the template pairs met so far, by address (a trend
/// compares few versions many times).
#[derive(Default)]
struct Pairs<'e> {
    known: HashMap<(usize, usize), Matching<'e>, Quick>,
}

impl<'e> Pairs<'e> {
    /// Returns what [`super::compare_runs`] of `from` and `to` would give as
    /// its summary and its regressed items (section and item of the later
    /// template, in its walk order).
    fn step<E: TrendInput>(
        &mut self,
        from: &'e E,
        to: &'e E,
    ) -> (Summary, Vec<(&'e Section, &'e Item)>) {
        let (old, new) = (from.inspection(), to.inspection());
        let key = (
            std::ptr::from_ref(old) as usize,
            std::ptr::from_ref(new) as usize,
        );
        let matching = self.known.entry(key).or_insert_with(|| {
            let mut positions: HashMap<&str, (usize, &Item)> = HashMap::new();
            for (p, (_, i)) in old.items().enumerate() {
                positions.entry(i.id.as_str()).or_insert((p, i));
            }
            let later: HashSet<&str> = new.items().map(|(_, i)| i.id.as_str()).collect();
            Matching {
                earlier: new
                    .items()
                    .map(|(_, i)| positions.get(i.id.as_str()).copied())
                    .collect(),
                removed: old
                    .items()
                    .filter(|(_, i)| !later.contains(i.id.as_str()))
                    .count(),
            }
        });
        let mut summary = Summary::default();
        let mut regressed = Vec::new();
        for ((position, (section, item)), earlier) in new.items().enumerate().zip(&matching.earlier)
        {
            let from_pick = earlier.and_then(|(p, old_item)| from.pick(p, old_item));
            let change = classify_picks(from_pick, to.pick(position, item));
            if change == ItemChange::Regressed {
                regressed.push((section, item));
            }
            summary.add(change);
        }
        for _ in 0..matching.removed {
            summary.add(ItemChange::Removed);
        }
        (summary, regressed)
    }
}
