//! The trend as it was computed before [`super::super::for_each_trend`]
//! (main at 3a4dd4f, verbatim but for names): the reference the
//! borrowed, counting-sorted computation must equal, in
//! `trend::the_trend_equals_the_reference`.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::super::diff::{ItemChange, Summary, classify_picks};
use super::super::{ItemRegressions, Trend, TrendInput, TrendPoint};
use crate::model::{Id, Inspection, Item, Section};
use crate::period::{Period, PeriodKind};

type Quick = foldhash::fast::RandomState;

pub(super) fn trend_of<E: TrendInput>(
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
    let mut pairs = ReferencePairs::default();
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
struct ReferenceMatching<'e> {
    earlier: Vec<Option<(usize, &'e Item)>>,
    removed: usize,
}

/// The matchings of the template pairs met so far, by address (a trend
/// compares few versions many times).
#[derive(Default)]
struct ReferencePairs<'e> {
    known: HashMap<(usize, usize), ReferenceMatching<'e>, Quick>,
}

impl<'e> ReferencePairs<'e> {
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
            ReferenceMatching {
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
