//! `tenken compare`: two runs of one subject and inspection, item by item;
//! or, with `--inspection` and no `--subject`, every subject that has runs
//! in both periods, ranked by change. The comparison itself is
//! `crate::compare`; this file picks the runs and renders the result.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::mem::ManuallyDrop;
use std::sync::Arc;

use clap::Args;

use crate::cli::{Ctx, Format, kept_to_exit, print, print_json};
use crate::compare::{
    self, ItemChange, ItemComparison, RunComparison, RunSpec, SelectError, compare_runs,
};
use crate::error::{Error, Result};
use crate::escape;
use crate::load::Catalog;
use crate::model::{HistoryEntry, Id, Inspection, Lang, Run};
use crate::msg::{self, Label, Message};
use crate::number::{round1, signed_pct};
use crate::period::Period;
use crate::report::json::ComparisonJson;
use crate::store::{HistoryFilter, Listing, Store};

/// Compare two runs item by item
#[derive(Debug, Args)]
#[command(after_long_help = COMPARE_HELP)]
pub struct CompareArgs {
    /// The earlier run (default: the latest of the previous quarter)
    #[arg(value_name = "A")]
    pub from: Option<String>,
    /// The later run (default: the latest)
    #[arg(value_name = "B")]
    pub to: Option<String>,
    /// Compare runs of this subject
    #[arg(long, value_name = "ID")]
    pub subject: Option<Id>,
    /// Compare runs of this inspection (without --subject: every subject)
    #[arg(long, value_name = "ID")]
    pub inspection: Option<Id>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 4 when any item regressed (after printing)
    #[arg(long)]
    pub fail_on_regression: bool,
    /// Also use run files that are not committed (labelled in the output)
    #[arg(long)]
    pub include_uncommitted: bool,
}

/// How A and B are read, shown by `tenken compare --help`.
const COMPARE_HELP: &str = "\
A and B name runs: a run id, a date (YYYY-MM-DD: the latest run finished that
day), a period (2026Q3, FY2026Q2, 2026H1, FY2026: the latest run finished in
it), `latest` or `previous` (the run the latest one is compared with). With
neither, the latest run is compared with the previous one: the latest run of
the same subject and inspection finished before the start of the latest
run's fiscal quarter, however long before (docs/comparison.md). With only A,
A is compared with the latest run.

Without --subject or --inspection they are those of the latest run. With
--inspection and no --subject, every subject with runs in both is compared
and ranked by change (JSON: an array); without A and B each subject's latest
run is compared with its previous one.";

/// Compares the chosen runs and prints the result.
pub fn cmd_compare(ctx: &Ctx, args: &CompareArgs) -> Result<()> {
    let store = ctx.store()?;
    let read = begin_history(&store, args.include_uncommitted, true);
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let fiscal_start = catalog.config.fiscal_year_start;
    let subject = args.subject.as_ref();
    let inspection = args.inspection.as_ref();
    known(&catalog, subject, inspection)?;
    let spec = |arg: Option<&str>| {
        arg.map(|s| {
            RunSpec::parse(s, fiscal_start)
                .map_err(|e| Error::usage(Message::of(|lang| msg::compare::select_error(lang, &e))))
        })
        .transpose()
    };
    let from_spec = spec(args.from.as_deref())?;
    let to_spec = spec(args.to.as_deref())?;
    // Every run, so that a superseded or withdrawn one can be named by id;
    // everything else is chosen from the current runs only.
    let history = read_history(&store, &catalog, read)?;
    let templates = Templates::from_history(&history);
    let all: Vec<&Run> = history.iter().map(|h| &h.run).collect();
    let current: Vec<&Run> = history
        .iter()
        .filter(|h| h.is_current())
        .map(|h| &h.run)
        .collect();
    let names_a_run = [&from_spec, &to_spec]
        .iter()
        .any(|s| matches!(s, Some(RunSpec::Run(_))));
    let view = View {
        lang,
        fiscal_start,
        statuses: history
            .iter()
            .filter_map(|h| Some((h.run.id.clone(), msg::run_status(h.status)?)))
            .collect(),
    };

    // With --inspection alone and no run named, every subject is compared.
    if let Some(inspection) = inspection.filter(|_| subject.is_none() && !names_a_run) {
        let reader = FullRuns {
            store: &store,
            catalog: &catalog,
            history: &history,
        };
        return across_subjects(
            &reader,
            &templates,
            &current,
            inspection,
            (from_spec, to_spec),
            args,
            &view,
        );
    }

    let (subject, inspection) = group_of(
        &current,
        &all,
        subject,
        inspection,
        [from_spec.as_ref(), to_spec.as_ref()],
    )?;
    let in_group = |r: &&&Run| r.subject == subject && r.inspection == inspection;
    let group: Vec<&Run> = current.iter().filter(in_group).copied().collect();
    let named: Vec<&Run> = all.iter().filter(in_group).copied().collect();
    let (from, to) = compare::select_pair_in(
        &group,
        &named,
        from_spec.as_ref(),
        to_spec.as_ref(),
        fiscal_start,
    )
    .map_err(|e| selection_error((&subject, &inspection), &e, from_spec.is_none()))?;
    // Only the two runs compared are read whole (their notes are diffed).
    let reader = FullRuns {
        store: &store,
        catalog: &catalog,
        history: &history,
    };
    let (from, to) = (reader.full(from)?, reader.full(to)?);
    let comparison = compare_runs(templates.of(&from)?, &from, templates.of(&to)?, &to);
    match args.format {
        Format::Json => print_json(&view.json(&comparison))?,
        Format::Text => print(&view.comparison(&comparison))?,
    }
    if args.fail_on_regression && comparison.has_regressions() {
        let (from, to) = (comparison.from.date, comparison.to.date);
        return Err(Error::Regression(Message::of(|lang| {
            msg::compare::regressed_between(lang, comparison.summary.regressed, from, to)
        })));
    }
    Ok(())
}

/// Every subject with runs of `inspection` in both selections, ranked.
fn across_subjects(
    reader: &FullRuns<'_>,
    templates: &Templates,
    runs: &[&Run],
    inspection: &Id,
    (from_spec, to_spec): (Option<RunSpec>, Option<RunSpec>),
    args: &CompareArgs,
    view: &View,
) -> Result<()> {
    let of_inspection: Vec<&Run> = runs
        .iter()
        .filter(|r| r.inspection == *inspection)
        .copied()
        .collect();
    if of_inspection.is_empty() {
        return Err(no_runs(None, Some(inspection)));
    }
    // Without names each subject's latest run is compared with its
    // previous one, by the one rule.
    let (from_spec, to_spec) = match (from_spec, to_spec) {
        (None, None) => (RunSpec::Previous, RunSpec::Latest),
        (Some(a), None) | (None, Some(a)) => (a, RunSpec::Latest),
        (Some(a), Some(b)) => (a, b),
    };
    let mut pairs = Vec::new();
    let mut skipped = Vec::new();
    let groups = compare::group_runs(&of_inspection);
    for ((subject, _), group) in &groups {
        let fiscal = view.fiscal_start;
        let pair = compare::select(group, &from_spec, fiscal)
            .and_then(|from| Ok((from, compare::select(group, &to_spec, fiscal)?)));
        match pair {
            Ok(pair) => pairs.push(pair),
            Err(e) => skipped.push((subject.clone(), e)),
        }
    }
    if pairs.is_empty() {
        return Err(Error::user_hint(
            Message::of(|lang| {
                msg::compare::none_for_both(
                    lang,
                    inspection.as_str(),
                    &msg::compare::run_spec(lang, &from_spec),
                    &msg::compare::run_spec(lang, &to_spec),
                )
            }),
            msg::compare::NONE_FOR_BOTH_HINT,
        ));
    }
    let mut comparisons = Vec::new();
    for (from, to) in pairs {
        let (from, to) = (reader.full(from)?, reader.full(to)?);
        comparisons.push(compare_runs(
            templates.of(&from)?,
            &from,
            templates.of(&to)?,
            &to,
        ));
    }
    compare::rank(&mut comparisons);
    match args.format {
        Format::Json => {
            let json: Vec<ComparisonJson> = comparisons.iter().map(|c| view.json(c)).collect();
            print_json(&json)?;
        }
        Format::Text => {
            print(&ranking(
                view.lang,
                inspection,
                (&from_spec, &to_spec),
                &comparisons,
                &skipped,
            ))?;
        }
    }
    let regressed: usize = comparisons.iter().map(|c| c.summary.regressed).sum();
    if args.fail_on_regression && regressed > 0 {
        let subjects = comparisons.iter().filter(|c| c.has_regressions()).count();
        return Err(Error::Regression(Message::of(|lang| {
            msg::compare::regressed_in(lang, regressed, subjects)
        })));
    }
    Ok(())
}

/// Refuses a subject or inspection the repository does not know.
pub(super) fn known(
    catalog: &Catalog,
    subject: Option<&Id>,
    inspection: Option<&Id>,
) -> Result<()> {
    if let Some(s) = subject {
        super::lookup::subject(catalog, s)?;
    }
    if let Some(i) = inspection {
        super::lookup::inspection_known(catalog, i)?;
    }
    Ok(())
}

/// The error for "nothing to compare".
pub(super) fn no_runs(subject: Option<&Id>, inspection: Option<&Id>) -> Error {
    let (subject, inspection) = (subject.map(Id::as_str), inspection.map(Id::as_str));
    Error::user_hint(
        Message::of(|lang| msg::compare::no_runs(lang, subject, inspection).0),
        Message::of(|lang| msg::compare::no_runs(lang, subject, inspection).1),
    )
}

/// Decides the subject and inspection of a single comparison: from a named
/// run id, else the flags, else the latest run matching them.
pub(super) fn group_of(
    current: &[&Run],
    all: &[&Run],
    subject: Option<&Id>,
    inspection: Option<&Id>,
    specs: [Option<&RunSpec>; 2],
) -> Result<(Id, Id)> {
    let mut named: Option<&Run> = None;
    for spec in specs.into_iter().flatten() {
        let RunSpec::Run(id) = spec else { continue };
        let run = all.iter().copied().find(|r| r.id == *id).ok_or_else(|| {
            let e = SelectError::UnknownRun(escape::line(id));
            Error::user(Message::of(|lang| msg::compare::select_error(lang, &e)))
        })?;
        if let Some(other) = named
            && (&other.subject, &other.inspection) != (&run.subject, &run.inspection)
        {
            return Err(Error::user(msg::compare::different_groups(
                &escape::line(&other.id),
                &escape::line(&run.id),
            )));
        }
        named = Some(run);
    }
    if let Some(run) = named {
        let clash = subject.is_some_and(|s| *s != run.subject)
            || inspection.is_some_and(|i| *i != run.inspection);
        if clash {
            return Err(Error::user(msg::compare::not_of_flags(&escape::line(
                &run.id,
            ))));
        }
        return Ok((run.subject.clone(), run.inspection.clone()));
    }
    let matching: Vec<&Run> = current
        .iter()
        .copied()
        .filter(|r| subject.is_none_or(|s| *s == r.subject))
        .filter(|r| inspection.is_none_or(|i| *i == r.inspection))
        .collect();
    let latest = compare::effective_runs(&matching).last().copied();
    latest
        .map(|r| (r.subject.clone(), r.inspection.clone()))
        .ok_or_else(|| no_runs(subject, inspection))
}

fn selection_error((subject, inspection): (&Id, &Id), e: &SelectError, defaulted: bool) -> Error {
    let message = Message::of(|lang| {
        format!(
            "`{subject}` · `{inspection}`: {}",
            msg::compare::select_error(lang, e)
        )
    });
    if defaulted && matches!(e, SelectError::NoPrevious { .. }) {
        Error::user_hint(message, msg::compare::NAME_TWO_RUNS)
    } else {
        Error::user(message)
    }
}

/// Reads the runs a command shows in full (notes, evidence) from their
/// files; every other run is known from the history in brief.
pub(super) struct FullRuns<'a> {
    pub(super) store: &'a Store,
    pub(super) catalog: &'a Catalog,
    pub(super) history: &'a [HistoryEntry],
}

impl FullRuns<'_> {
    /// Returns `run` (a run of the history) with its notes and evidence.
    pub(super) fn full(&self, run: &Run) -> Result<Run> {
        let entry = self
            .history
            .iter()
            .find(|h| h.run.id == run.id)
            .ok_or_else(|| Error::Internal(format!("run {} is not in the history", run.id)))?;
        self.store.full_run(self.catalog, entry)
    }
}

/// The template each run is scored against, by run id, as the store found
/// it (by the run's content hash, or the commit that added it).
pub(super) struct Templates {
    by_run: HashMap<String, Arc<Inspection>>,
}

impl Templates {
    /// Takes the templates of every entry of `history`.
    pub(super) fn from_history(history: &[HistoryEntry]) -> Self {
        Self {
            by_run: history
                .iter()
                .map(|h| (h.run.id.clone(), h.template.clone()))
                .collect(),
        }
    }

    /// Returns the template `run` is scored against.
    pub(super) fn of(&self, run: &Run) -> Result<&Inspection> {
        self.by_run
            .get(&run.id)
            .map(AsRef::as_ref)
            .ok_or_else(|| Error::Internal(format!("template of {} not loaded", run.id)))
    }
}

/// The history a read command works on, its read begun ([`begin_history`])
/// before the catalog is loaded.
pub(super) struct HistoryRead {
    filter: HistoryFilter,
    listing: Listing,
}

/// Begins reading the history a read command works on: the current,
/// committed runs, or with `include_uncommitted` the work tree's runs as
/// they are; with `all`, superseded and withdrawn runs too (for run ids
/// named on the command line). The work tree is listed meanwhile
/// ([`Store::list_ahead`]); [`read_history`] reads it.
pub(super) fn begin_history(store: &Store, include_uncommitted: bool, all: bool) -> HistoryRead {
    let filter = HistoryFilter {
        all,
        uncommitted: include_uncommitted,
        ..HistoryFilter::default()
    };
    let listing = store.list_ahead(&filter);
    HistoryRead { filter, listing }
}

/// Reads the history begun by [`begin_history`].
///
/// Never freed (see [`crate::cli::kept_to_exit`]).
pub(super) fn read_history(
    store: &Store,
    catalog: &Catalog,
    read: HistoryRead,
) -> Result<ManuallyDrop<Vec<HistoryEntry>>> {
    let HistoryRead { filter, listing } = read;
    Ok(kept_to_exit(
        store.history_listed(catalog, &filter, listing)?,
    ))
}

// ---------------------------------------------------------------------------
// Text

/// Says why an item is added or removed, which the change alone does not.
fn why(c: &RunComparison, item: &ItemComparison) -> Option<Label> {
    match item.change {
        ItemChange::Added if c.template.added.contains(&item.id) => Some(msg::compare::NEW_ITEM),
        ItemChange::Added if item.from.is_some() => Some(msg::compare::NOW_APPLICABLE),
        ItemChange::Added => Some(msg::compare::FIRST_ANSWERED),
        ItemChange::Removed if c.template.removed.contains(&item.id) => {
            Some(msg::compare::NO_LONGER_LISTED)
        }
        ItemChange::Removed => Some(msg::compare::NOW_NOT_APPLICABLE),
        _ => None,
    }
}

/// What the text renderers need to know.
#[derive(Debug, Clone)]
struct View {
    lang: Lang,
    fiscal_start: u32,
    /// Runs that are not plainly committed, by id, with what to say.
    statuses: HashMap<String, Label>,
}

/// The marker of each kind of change, regressions first.
const SECTIONS: [(ItemChange, &str); 5] = [
    (ItemChange::Regressed, "▼"),
    (ItemChange::Improved, "▲"),
    (ItemChange::Added, "+"),
    (ItemChange::Removed, "-"),
    (ItemChange::Unanswered, "?"),
];

impl View {
    /// Shapes a comparison for JSON, each side saying where its run file
    /// stands.
    fn json(&self, c: &RunComparison) -> ComparisonJson {
        // JSON values stay English.
        let status = |run: &str| self.statuses.get(run).map_or("committed", |l| l.en);
        ComparisonJson::new(c, self.lang).with_status(status(&c.from.run), status(&c.to.run))
    }

    fn fq(&self, date: chrono::NaiveDate) -> Period {
        Period::fiscal_quarter_of(date, self.fiscal_start)
    }

    /// Renders one comparison: heading, regressions, improvements, other
    /// changes, notes changed on unchanged answers, template changes, and a
    /// one-line summary.
    fn comparison(&self, c: &RunComparison) -> String {
        let label = |run: &str| {
            self.statuses
                .get(run)
                .map_or_else(String::new, |s| format!(" [{}]", s.get(self.lang)))
        };
        let mut out = format!(
            "{} · {}: {} ({}){} → {} ({}){}\n",
            c.subject,
            c.inspection,
            c.from.date,
            self.fq(c.from.date),
            label(&c.from.run),
            c.to.date,
            self.fq(c.to.date),
            label(&c.to.run),
        );
        for (change, marker) in SECTIONS {
            let list: Vec<&ItemComparison> = c
                .with_change(change)
                .filter(|i| change != ItemChange::Unanswered || i.from.is_some())
                .collect();
            if list.is_empty() {
                continue;
            }
            out.push_str(&msg::compare::section_heading(
                self.lang,
                change,
                list.len(),
            ));
            for item in list {
                let why = why(c, item).map_or("", |l| l.get(self.lang));
                self.item(&mut out, marker, item, why);
            }
        }
        let blank: Vec<&ItemComparison> = c
            .with_change(ItemChange::Unanswered)
            .filter(|i| i.from.is_none())
            .collect();
        if !blank.is_empty() {
            let ids: Vec<&str> = blank.iter().map(|i| i.id.as_str()).collect();
            out.push_str(&msg::compare::unanswered_in_both(
                self.lang,
                &ids.join(", "),
            ));
        }
        let notes: Vec<&ItemComparison> = c
            .with_change(ItemChange::Unchanged)
            .filter(|i| i.note_diff.is_some())
            .collect();
        if !notes.is_empty() {
            out.push_str(&msg::compare::notes_changed(self.lang, notes.len()));
            for item in notes {
                self.item(&mut out, "=", item, "");
            }
        }
        let tpl = &c.template;
        if !tpl.is_empty() || tpl.from_version != tpl.to_version {
            let mut parts = Vec::new();
            for (what, list) in [
                (msg::compare::TEMPLATE_ADDED, &tpl.added),
                (msg::compare::TEMPLATE_REMOVED, &tpl.removed),
                (msg::compare::TEMPLATE_RESCALED, &tpl.rescaled),
            ] {
                if !list.is_empty() {
                    let ids: Vec<&str> = list.iter().map(Id::as_str).collect();
                    parts.push(format!("{} {}", what.get(self.lang), ids.join(", ")));
                }
            }
            if !tpl.reworded.is_empty() {
                let ids: Vec<&str> = tpl.reworded.iter().map(|r| r.id.as_str()).collect();
                parts.push(format!(
                    "{} {}",
                    msg::compare::TEMPLATE_REWORDED.get(self.lang),
                    ids.join(", ")
                ));
            }
            let detail = if parts.is_empty() {
                msg::compare::SAME_ITEMS.get(self.lang).to_owned()
            } else {
                parts.join(msg::compare::TEMPLATE_SEPARATOR.get(self.lang))
            };
            out.push_str(&msg::compare::template_version(
                self.lang,
                tpl.from_version,
                tpl.to_version,
                &detail,
            ));
        }
        let sum = &c.summary;
        let band = |side: &compare::RunSide| {
            side.band
                .as_ref()
                .map(|b| escape::line(b.label.get(self.lang)))
        };
        let band_change = match (band(&c.from), band(&c.to)) {
            (Some(before), Some(after)) if before != after => {
                msg::compare::band_change(self.lang, Some(&before), &after)
            }
            (_, Some(after)) => msg::compare::band_change(self.lang, None, &after),
            _ => String::new(),
        };
        let side = |s: &compare::RunSide| msg::compare::Side {
            score: s.score.score,
            max: s.score.max,
            percent: round1(s.percent),
        };
        out.push_str(&msg::compare::summary(
            self.lang,
            sum,
            (&side(&c.from), &side(&c.to)),
            (c.score_delta, c.percent_delta),
            &band_change,
        ));
        out
    }

    fn item(&self, out: &mut String, marker: &str, item: &ItemComparison, why: &str) {
        let choice = |c: Option<&compare::ChoiceRef>| {
            c.map_or_else(|| "—".to_owned(), |c| escape::line(c.label.get(self.lang)))
        };
        let _ = writeln!(
            out,
            "  {marker} {}  {}: {} → {}{why}",
            item.id,
            escape::line(item.title.get(self.lang)),
            choice(item.from.as_ref()),
            choice(item.to.as_ref()),
        );
        if let Some(diff) = &item.note_diff {
            for line in escape::block(&diff.unified).lines() {
                let _ = writeln!(out, "      {line}");
            }
        }
    }
}

/// Renders the ranking of several subjects.
fn ranking(
    lang: Lang,
    inspection: &Id,
    (from, to): (&RunSpec, &RunSpec),
    comparisons: &[RunComparison],
    skipped: &[(Id, SelectError)],
) -> String {
    let mut out =
        msg::compare::ranking_heading(lang, inspection.as_str(), from, to, comparisons.len());
    let width = comparisons
        .iter()
        .map(|c| c.subject.as_str().len())
        .max()
        .unwrap_or(0);
    for c in comparisons {
        let _ = writeln!(
            out,
            "  {:<width$}  {:>5.1}% → {:>5.1}%  {:>6}  {}  ({} → {})",
            c.subject.as_str(),
            round1(c.from.percent),
            round1(c.to.percent),
            signed_pct(c.percent_delta),
            msg::compare::ranked_counts(lang, c.summary.regressed, c.summary.improved),
            c.from.date,
            c.to.date,
        );
    }
    for (subject, e) in skipped {
        out.push_str(&msg::compare::skipped(
            lang,
            subject.as_str(),
            &msg::compare::select_error(lang, e),
        ));
    }
    let regressed: usize = comparisons.iter().map(|c| c.summary.regressed).sum();
    let improved: usize = comparisons.iter().map(|c| c.summary.improved).sum();
    out.push_str(&msg::compare::ranking_summary(
        lang,
        comparisons.len(),
        skipped.len(),
        regressed,
        improved,
    ));
    out
}
