//! Trends: the score per period with deltas, and the items that regress
//! most often.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use super::diff::{ItemChange, Summary, classify_picks};
use crate::model::{Band, Brief, Choice, HistoryEntry, Id, Inspection, Item, Run, Section, Text};
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
    /// [`TrendInput::pick`] with the item's scale at hand: `choices` is
    /// `self.inspection().choices(item)`, which a history entry indexes
    /// instead of looking the scale up by name.
    fn pick_among<'s>(
        &'s self,
        position: usize,
        item: &'s Item,
        choices: &'s [Choice],
    ) -> Option<(&'s str, Option<i32>)> {
        let _ = choices;
        self.pick(position, item)
    }
    /// The label of the band a run with `percent` (its own) lands in.
    fn band(&self, percent: f64) -> Option<&Text> {
        self.inspection().band(percent).map(|b| &b.label)
    }
    /// The run's answers in brief against [`TrendInput::inspection`], when
    /// the entry holds them so: [`TrendInput::pick_among`] is then the
    /// choice at the brief's index on the scale given (none when the index
    /// is past its end), which lets a trend classify an item by the two
    /// indexes alone. `None` (the default) when the answers are a run's.
    fn brief(&self) -> Option<&Brief> {
        None
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

    fn pick_among<'s>(
        &'s self,
        position: usize,
        _item: &'s Item,
        choices: &'s [Choice],
    ) -> Option<(&'s str, Option<i32>)> {
        let c = choices.get(self.brief.choice_index(position)?)?;
        Some((c.id.as_str(), c.points))
    }

    fn band(&self, _percent: f64) -> Option<&Text> {
        // The entry's own, from the same score.
        HistoryEntry::band(self)
    }

    fn brief(&self) -> Option<&Brief> {
        Some(&self.brief)
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

    fn pick_among<'s>(
        &'s self,
        position: usize,
        item: &'s Item,
        choices: &'s [Choice],
    ) -> Option<(&'s str, Option<i32>)> {
        (**self).pick_among(position, item, choices)
    }

    fn band(&self, percent: f64) -> Option<&Text> {
        (**self).band(percent)
    }

    fn brief(&self) -> Option<&Brief> {
        (**self).brief()
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
    let mut out = Vec::new();
    let Ok(()) = for_each_trend(entries, by, fiscal_start_month, |t| {
        out.push(t.to_trend());
        Ok::<(), std::convert::Infallible>(())
    });
    out
}

/// One trend as [`for_each_trend`] hands it over: what [`Trend`] holds,
/// borrowed from the entries it was computed from.
pub struct TrendView<'e, E> {
    /// The subject.
    pub subject: &'e Id,
    /// The inspection.
    pub inspection: &'e Id,
    /// The kind of period the runs are grouped by.
    pub by: PeriodKind,
    /// Periods that have runs, oldest first (as [`Trend::points`]).
    pub points: Vec<PointView<'e, E>>,
    /// Items that regressed at least once, most often first (as
    /// [`Trend::regressed_most`]).
    pub regressed_most: Vec<RegressionView<'e>>,
    /// The template of the latest point, whose bands [`Trend::bands`] lists.
    pub template: &'e Inspection,
}

/// One period of a [`TrendView`] (what [`TrendPoint`] holds).
pub struct PointView<'e, E> {
    /// The period.
    pub period: Period,
    /// The entry standing for the period (its latest run).
    pub entry: &'e E,
    /// How many runs (not superseded) were finished in the period.
    pub runs_in_period: usize,
    /// The run's score.
    pub score: Score,
    /// The run's percent.
    pub percent: f64,
    /// The label of the run's band.
    pub band: Option<&'e Text>,
    /// Score change from the previous point; `None` for the first.
    pub score_delta: Option<i64>,
    /// Percent change from the previous point; `None` for the first.
    pub percent_delta: Option<f64>,
    /// Item changes from the previous point; `None` for the first.
    pub summary: Option<Summary>,
}

/// An item that regressed, in a [`TrendView`] (what [`ItemRegressions`]
/// holds): the section and item of the latest template in which it
/// regressed.
#[derive(Debug, Clone, Copy)]
pub struct RegressionView<'e> {
    /// The section of the item.
    pub section: &'e Section,
    /// The item (its id and question).
    pub item: &'e Item,
    /// How many times the item regressed from one point to the next.
    pub count: usize,
    /// The last period in which it regressed.
    pub last: Period,
}

impl<E: TrendInput> TrendView<'_, E> {
    /// Returns the trend as an owned [`Trend`].
    pub fn to_trend(&self) -> Trend {
        let mut bands = self.template.bands.clone();
        bands.sort_by_key(|b| std::cmp::Reverse(b.min_percent));
        Trend {
            subject: self.subject.clone(),
            inspection: self.inspection.clone(),
            by: self.by,
            points: self
                .points
                .iter()
                .map(|p| TrendPoint {
                    period: p.period,
                    run: p.entry.run().id.clone(),
                    date: p.entry.run().date(),
                    runs_in_period: p.runs_in_period,
                    score: p.score.clone(),
                    percent: p.percent,
                    band: p.band.cloned(),
                    score_delta: p.score_delta,
                    percent_delta: p.percent_delta,
                    summary: p.summary,
                })
                .collect(),
            regressed_most: self
                .regressed_most
                .iter()
                .map(|r| ItemRegressions {
                    id: r.item.id.clone(),
                    section: r.section.id.clone(),
                    title: r.item.title.clone(),
                    count: r.count,
                    last: r.last,
                })
                .collect(),
            bands,
        }
    }
}

/// Computes the trends [`trend_of`] returns, in the same order, and hands
/// each to `each` as a [`TrendView`] borrowing the entries: nothing is
/// copied, and one trend's buffers serve the next (a command writes each
/// trend out as it comes). Stops at the first error `each` returns.
pub fn for_each_trend<'e, E: TrendInput, X>(
    entries: &'e [E],
    by: PeriodKind,
    fiscal_start_month: u32,
    mut each: impl FnMut(&TrendView<'e, E>) -> Result<(), X>,
) -> Result<(), X> {
    let gone: HashSet<&str, Quick> = entries
        .iter()
        .filter_map(|e| e.run().supersedes.as_deref())
        .collect();
    // Each series' entries side by side in one list (a counting sort by
    // series), in the order of `entries` within a series.
    let mut series: HashMap<(&Id, &Id), usize, Quick> = HashMap::default();
    let mut keys: Vec<(&'e Id, &'e Id)> = Vec::new();
    let mut sizes: Vec<usize> = Vec::new();
    let mut series_of: Vec<usize> = Vec::with_capacity(entries.len());
    for e in entries {
        let run = e.run();
        if gone.contains(run.id.as_str()) {
            series_of.push(usize::MAX);
            continue;
        }
        let n = keys.len();
        let s = *series
            .entry((&run.inspection, &run.subject))
            .or_insert_with(|| {
                keys.push((&run.inspection, &run.subject));
                sizes.push(0);
                n
            });
        sizes[s] += 1;
        series_of.push(s);
    }
    let Some(first) = entries.first() else {
        return Ok(());
    };
    let mut starts = Vec::with_capacity(sizes.len() + 1);
    let mut next = Vec::with_capacity(sizes.len());
    let mut total = 0;
    for size in &sizes {
        starts.push(total);
        next.push(total);
        total += size;
    }
    starts.push(total);
    // Each entry with the index of its period's first month (periods of
    // one kind are in its order), its finish time and its period, worked
    // out here in the order of `entries`: sorting a series then reads no
    // entry but on a tie.
    let placed = |e: &'e E| {
        let run = e.run();
        let period = Period::containing(by, run.date(), fiscal_start_month);
        (period.first_month(), run.finished, period, e)
    };
    let mut grouped: Vec<Placed<'e, E>> = vec![placed(first); total];
    for (e, &s) in entries.iter().zip(&series_of) {
        // Superseded entries (`usize::MAX`) have no series.
        if let Some(at) = next.get_mut(s) {
            if let Some(slot) = grouped.get_mut(*at) {
                *slot = placed(e);
            }
            *at += 1;
        }
    }
    // Ordered by inspection, then subject.
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_unstable_by(|&a, &b| keys[a].cmp(&keys[b]));

    let mut pairs = Pairs::default();
    let mut regressed: Vec<Regressed<'e>> = Vec::new();
    // By the number of an item id (see `Pairs::ids`): its place in
    // `view.regressed_most`, `usize::MAX` while it has none.
    let mut known: Vec<usize> = Vec::new();
    let mut view = TrendView {
        subject: &first.run().subject,
        inspection: &first.run().inspection,
        by,
        points: Vec::new(),
        regressed_most: Vec::new(),
        template: first.inspection(),
    };
    for s in order {
        let (inspection, subject) = keys[s];
        // By period, each period's runs by finish time then id (stable:
        // equal runs keep the order of `entries`).
        let by_period = &mut grouped[starts[s]..starts[s + 1]];
        by_period.sort_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| a.3.run().id.cmp(&b.3.run().id))
        });
        view.subject = subject;
        view.inspection = inspection;
        view.points.clear();
        view.regressed_most.clear();
        known.fill(usize::MAX);
        let mut previous: Option<(&'e E, i64, f64)> = None;
        for runs in by_period.chunk_by(|a, b| a.0 == b.0) {
            let Some(&(_, _, period, e)) = runs.last() else {
                continue;
            };
            view.template = e.inspection();
            let score = e.score();
            let percent = score.percent();
            let mut point = PointView {
                period,
                entry: e,
                runs_in_period: runs.len(),
                percent,
                band: e.band(percent),
                score_delta: None,
                percent_delta: None,
                summary: None,
                score,
            };
            if let Some((prev, prev_score, prev_percent)) = previous {
                regressed.clear();
                let summary = pairs.step(prev, e, &mut regressed);
                point.score_delta = Some(point.score.score - prev_score);
                point.percent_delta = Some(percent - prev_percent);
                point.summary = Some(summary);
                for &(id, section, item) in &regressed {
                    if known.len() <= id {
                        known.resize(id + 1, usize::MAX);
                    }
                    let Some(slot) = known.get_mut(id) else {
                        continue;
                    };
                    if let Some(r) = view.regressed_most.get_mut(*slot) {
                        r.count += 1;
                        r.last = period;
                        // The latest template that has the item names it.
                        r.section = section;
                        r.item = item;
                    } else {
                        *slot = view.regressed_most.len();
                        view.regressed_most.push(RegressionView {
                            section,
                            item,
                            count: 1,
                            last: period,
                        });
                    }
                }
            }
            previous = Some((e, point.score.score, percent));
            view.points.push(point);
        }
        if view.points.is_empty() {
            continue;
        }
        view.regressed_most.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(b.last.first_month().cmp(&a.last.first_month()))
                .then(a.item.id.cmp(&b.item.id))
        });
        each(&view)?;
    }
    Ok(())
}

/// An entry placed in its series: the index of its period's first month,
/// its finish time, its period, the entry.
type Placed<'e, E> = (i64, DateTime<FixedOffset>, Period, &'e E);

/// An item that regressed in a step: the number of its id (see
/// [`Pairs`]), its section and the item, of the later template.
type Regressed<'e> = (usize, &'e Section, &'e Item);

/// The most cells a table of changes may have (see [`Slot::table`]): an
/// item on longer scales is classified by its picks instead.
const TABLE_CELLS: usize = 256;

/// How the items of one template version match those of an earlier one,
/// by id: for each item of the later one (in walk order) its section and
/// scale, and the earlier one's item (the first with its id) with its
/// position and scale; and how many of the earlier items the later one
/// lacks.
struct Matching<'e> {
    items: Vec<Slot<'e>>,
    removed: usize,
    /// The items' tables of changes, one after another.
    changes: Vec<ItemChange>,
}

/// One item of the later template in a [`Matching`].
struct Slot<'e> {
    section: &'e Section,
    item: &'e Item,
    choices: &'e [Choice],
    earlier: Option<(usize, &'e Item, &'e [Choice])>,
    /// The number of the item's id (see [`Pairs`]).
    id: usize,
    /// Where the item's table of changes starts in [`Matching::changes`]:
    /// the change from the earlier answer `f` to the later answer `t`
    /// (each 0 for none, else the choice's index on its scale plus one) is
    /// at `table + f * (choices.len() + 1) + t`, as [`classify_picks`]
    /// gives it for those choices. `None` for scales too long to tabulate.
    table: Option<usize>,
}

/// The matchings of the template pairs met so far, by address (a trend
/// compares few versions many times), and a number for each item id met
/// (so that a trend tallies regressions by number, not by id).
#[derive(Default)]
struct Pairs<'e> {
    known: HashMap<(usize, usize), Matching<'e>, Quick>,
    ids: HashMap<&'e str, usize, Quick>,
}

impl<'e> Pairs<'e> {
    /// Returns what [`super::compare_runs`] of `from` and `to` would give as
    /// its summary, and pushes its regressed items onto `regressed` (in
    /// the later template's walk order).
    fn step<E: TrendInput>(
        &mut self,
        from: &'e E,
        to: &'e E,
        regressed: &mut Vec<Regressed<'e>>,
    ) -> Summary {
        let (old, new): (&'e Inspection, &'e Inspection) = (from.inspection(), to.inspection());
        let key = (
            std::ptr::from_ref(old) as usize,
            std::ptr::from_ref(new) as usize,
        );
        let Self { known, ids } = self;
        let matching = known
            .entry(key)
            .or_insert_with(|| Matching::of(old, new, ids));
        // Answers in brief on both sides: an item's change is its table's
        // cell for the two choice indexes.
        let briefs = from.brief().zip(to.brief());
        let mut summary = Summary::default();
        for (position, slot) in matching.items.iter().enumerate() {
            let cell = briefs.zip(slot.table).and_then(|((a, b), table)| {
                let f = slot
                    .earlier
                    .map_or(0, |(p, _, choices)| answer(a, p, choices.len()));
                let t = answer(b, position, slot.choices.len());
                matching
                    .changes
                    .get(table + f * (slot.choices.len() + 1) + t)
            });
            let change = if let Some(&change) = cell {
                change
            } else {
                let from_pick = slot
                    .earlier
                    .and_then(|(p, item, choices)| from.pick_among(p, item, choices));
                classify_picks(from_pick, to.pick_among(position, slot.item, slot.choices))
            };
            if change == ItemChange::Regressed {
                regressed.push((slot.id, slot.section, slot.item));
            }
            summary.add(change);
        }
        for _ in 0..matching.removed {
            summary.add(ItemChange::Removed);
        }
        summary
    }
}

/// The cell of a table of changes for the answer at `position` of `brief`
/// on a scale of `len` choices: 0 when unanswered (or past the scale,
/// which [`TrendInput::pick_among`] reads as unanswered), else the choice's
/// index plus one.
fn answer(brief: &Brief, position: usize, len: usize) -> usize {
    brief
        .choice_index(position)
        .filter(|&i| i < len)
        .map_or(0, |i| i + 1)
}

impl<'e> Matching<'e> {
    /// Matches the items of `new` with those of `old`, numbering item ids
    /// not yet in `ids`.
    fn of(
        old: &'e Inspection,
        new: &'e Inspection,
        ids: &mut HashMap<&'e str, usize, Quick>,
    ) -> Self {
        let mut positions: HashMap<&str, (usize, &Item), Quick> = HashMap::default();
        for (p, (_, i)) in old.items().enumerate() {
            positions.entry(i.id.as_str()).or_insert((p, i));
        }
        let later: HashSet<&str, Quick> = new.items().map(|(_, i)| i.id.as_str()).collect();
        let mut changes = Vec::new();
        let items = new
            .items()
            .map(|(section, item)| {
                let choices = new.choices(item);
                let earlier = positions
                    .get(item.id.as_str())
                    .map(|&(p, i)| (p, i, old.choices(i)));
                let before = earlier.map_or(&[][..], |(_, _, c)| c);
                let cells = (before.len() + 1).saturating_mul(choices.len() + 1);
                let table = (cells <= TABLE_CELLS).then(|| {
                    let start = changes.len();
                    let pick = |choices: &'e [Choice], cell: usize| {
                        let c = choices.get(cell.checked_sub(1)?)?;
                        Some((c.id.as_str(), c.points))
                    };
                    for f in 0..=before.len() {
                        for t in 0..=choices.len() {
                            changes.push(classify_picks(pick(before, f), pick(choices, t)));
                        }
                    }
                    start
                });
                let next = ids.len();
                Slot {
                    section,
                    item,
                    choices,
                    earlier,
                    id: *ids.entry(item.id.as_str()).or_insert(next),
                    table,
                }
            })
            .collect();
        Matching {
            items,
            removed: old
                .items()
                .filter(|(_, i)| !later.contains(i.id.as_str()))
                .count(),
            changes,
        }
    }
}
