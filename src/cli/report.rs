//! `tenken report`: picks the run (or one run per subject, for a review),
//! gathers its comparison, trend, open corrective actions and due date into
//! a `report::Report`, renders it as Markdown, HTML, CSV, JSON or OSCAL, and
//! prints it or writes it with `-o` (through `Store::write_report`, which
//! confines restricted mode to the repository's `reports/` folder).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use crate::actions;
use crate::cli::compare::{
    FullRuns, Templates, begin_history, group_of, known, no_runs, read_history,
};
use crate::cli::{Ctx, print};
use crate::compare::{self, RunSpec, SelectError, TrendEntry, compare_runs};
use crate::error::{Error, Result};
use crate::escape;
use crate::load::Catalog;
use crate::model::{CommitId, HistoryEntry, Id, Lang, Run, RunStatus, SubjectKind};
use crate::msg::{self, Message};
use crate::period::PeriodKind;
use crate::report::{self, Missing, Report, RunReport};
use crate::schedule::{self, Due};
use crate::supplier::{self, SUPPLIER_CHECK};

/// The formats `tenken report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Markdown (`CommonMark` with tables).
    Md,
    /// One self-contained, printable HTML page with charts.
    Html,
    /// CSV for spreadsheets: one row per answered item.
    Csv,
    /// JSON: the full runs with scores and the comparison.
    Json,
    /// OSCAL 1.2.1 assessment results (JSON).
    Oscal,
}

impl ReportFormat {
    /// The file extension of a bundle's report.
    fn extension(self) -> &'static str {
        match self {
            Self::Md => "md",
            Self::Html => "html",
            Self::Csv => "csv",
            Self::Json | Self::Oscal => "json",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Md => "Markdown",
            Self::Html => "HTML",
            Self::Csv => "CSV",
            Self::Json => "JSON",
            Self::Oscal => "OSCAL",
        }
    }
}

/// Write a report of a run, or of every subject of an inspection
#[derive(Debug, Args)]
#[command(after_long_help = REPORT_HELP)]
pub struct ReportArgs {
    /// Output format
    #[arg(long, value_enum)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of stdout (replaced if it exists)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report on this subject
    #[arg(long, value_name = "ID")]
    pub subject: Option<Id>,
    /// Report on this inspection (without --subject: every subject, a review)
    #[arg(long, value_name = "ID")]
    pub inspection: Option<Id>,
    /// Report the latest run in period P (2026Q3, FY2026Q2, 2026H1, FY2026), or on a date, `latest`, `previous`
    #[arg(long, value_name = "P", conflicts_with = "run")]
    pub period: Option<String>,
    /// Report this run (a run id)
    #[arg(long, value_name = "ID")]
    pub run: Option<String>,
    /// Compare with this run or period (default: the previous run, the latest before the reported run's quarter)
    #[arg(long, value_name = "P|ID")]
    pub compare_with: Option<String>,
    /// Write the report and the evidence files it names into folder DIR
    /// (DIR/report.EXT, DIR/evidence/), for handing to an auditor
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub bundle: Option<PathBuf>,
    /// CSV: leave out the UTF-8 byte-order mark (for tools that dislike it)
    #[arg(long)]
    pub no_bom: bool,
    /// Also use run files that are not committed (their commit shows as not committed)
    #[arg(long)]
    pub include_uncommitted: bool,
}

/// How the runs are chosen, shown by `tenken report --help`.
const REPORT_HELP: &str = "\
Without --period or --run the latest run is reported: of --subject and
--inspection when given, else the latest run of all. With --inspection and
no --subject, every subject with runs of that inspection is reported on one
page (a review); for suppliers (supplier-check) every supplier in the
register is listed, checked or not, ordered by risk.

The comparison is with the previous run: the latest run finished before the
start of the reported run's fiscal quarter, however long before (so a yearly
check compares with last year's; the same rule as `tenken compare` and the
interface, docs/comparison.md), or with --compare-with: a run id, a date, a
period, `latest` or `previous`.

Open corrective actions are those recorded in the reported run or earlier
runs of its subject and inspection that no run up to it has closed; they
count as overdue against today for the latest run, else against its date.

CSV is UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it
directly; cells that would start a formula are prefixed with '.

Evidence files: HTML shows images as embedded thumbnails (the report stays
one file; past its size limit the rest are listed with a note) and every
file with its name, size and SHA-256; Markdown links to evidence/…; CSV and
JSON carry the digests; OSCAL lists them as back-matter resources with their
SHA-256. --bundle DIR writes the report with the files beside it.

In restricted mode -o and --bundle may only name a place inside the
repository's reports/ folder; a relative path is taken from the repository
root (-o reports/2026Q3.html, --bundle reports/2026Q3).";

/// Renders the chosen report and prints or writes it.
pub fn cmd_report(ctx: &Ctx, args: &ReportArgs) -> Result<()> {
    let store = ctx.store()?;
    let read = begin_history(&store, args.include_uncommitted, true);
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let fiscal_start = catalog.config.fiscal_year_start;
    let today = ctx.clock.today();
    let subject = args.subject.as_ref();
    let inspection = args.inspection.as_ref();
    known(&catalog, subject, inspection)?;
    let parse = |flag: &str, s: &str| {
        RunSpec::parse(s, fiscal_start).map_err(|e| {
            Error::usage(Message::of(|lang| {
                format!("{flag}: {}", msg::compare::select_error(lang, &e))
            }))
        })
    };
    let spec = match (&args.run, &args.period) {
        (Some(id), _) => Some(RunSpec::Run(id.trim().to_owned())),
        (None, Some(p)) => Some(parse("--period", p)?),
        (None, None) => None,
    };
    let compare_spec = args
        .compare_with
        .as_deref()
        .map(|s| parse("--compare-with", s))
        .transpose()?;

    // Reports cover the current record; every run is read so that a run id
    // naming one that left it gets a clear answer.
    let everything = read_history(&store, &catalog, read)?;
    if let Some(RunSpec::Run(id)) = &spec
        && let Some(gone) = everything
            .iter()
            .find(|h| h.run.id == *id && !h.is_current())
    {
        return Err(not_current(gone));
    }
    let templates = Templates::from_history(&everything);
    let history: Vec<HistoryEntry> = std::mem::ManuallyDrop::into_inner(everything)
        .into_iter()
        .filter(HistoryEntry::is_current)
        .collect();
    let history = crate::cli::kept_to_exit(history);
    let runs =
        crate::cli::kept_to_exit(history.iter().map(|h| h.run.clone()).collect::<Vec<Run>>());
    let run_refs: Vec<&Run> = runs.iter().collect();
    let due_list = due_list(&catalog, &history, today);
    // With --inspection alone, every subject of that inspection: a review.
    let reviewed = inspection.filter(|_| subject.is_none() && args.run.is_none());
    let review = reviewed.is_some();

    let (targets, missing, order): Targets = if let Some(inspection) = reviewed {
        review_targets(
            &catalog,
            &history,
            &runs,
            inspection,
            spec.as_ref(),
            today,
            lang,
        )?
    } else {
        let (s, i) = group_of(
            &run_refs,
            &run_refs,
            subject,
            inspection,
            [spec.as_ref(), compare_spec.as_ref()],
        )?;
        let group = series(&runs, &s, &i);
        let chosen = compare::select(
            &group,
            spec.as_ref().unwrap_or(&RunSpec::Latest),
            fiscal_start,
        )
        .map_err(|e| {
            Error::user(Message::of(|lang| {
                format!("`{s}` · `{i}`: {}", msg::compare::select_error(lang, &e))
            }))
        })?;
        (
            vec![(chosen.clone(), find_due(&due_list, &s, &i))],
            Vec::new(),
            Vec::new(),
        )
    };

    // A run read from the work tree (`--include-uncommitted`) shows no
    // commit, which the report states.
    let commits: HashMap<&str, CommitId, foldhash::fast::RandomState> = history
        .iter()
        .filter(|h| !args.include_uncommitted || h.status == RunStatus::Committed)
        .filter_map(|h| Some((h.run.id.as_str(), h.commit?)))
        .collect();

    let reader = FullRuns {
        store: &store,
        catalog: &catalog,
        history: &history,
    };
    let mut reports = Vec::with_capacity(targets.len());
    for (run, due) in &targets {
        // The series in brief (scores, trends, actions); the reported run
        // and the one it is compared with are read whole.
        let briefs: Vec<Run> = history
            .iter()
            .filter(|h| h.run.subject == run.subject && h.run.inspection == run.inspection)
            .map(HistoryEntry::brief_run)
            .collect();
        let group: Vec<&Run> = briefs.iter().collect();
        let run = &reader.full(run)?;
        let mut r = RunReport::new(run.clone(), templates.of(run)?.clone());
        r.subject = catalog.subjects.get(run.subject.as_str()).cloned();
        r.commit = commits.get(run.id.as_str()).map(|c| c.hex());
        r.due.clone_from(due);
        let earlier = match &compare_spec {
            Some(spec) => match compare::select(&group, spec, fiscal_start) {
                Ok(from) if from.id == run.id => {
                    if review {
                        None
                    } else {
                        return Err(Error::user(msg::report::compare_with_itself(
                            &escape::line(&run.id),
                        )));
                    }
                }
                Ok(from) => Some(from),
                Err(_) if review => None,
                Err(e) => {
                    let (s, i) = (&run.subject, &run.inspection);
                    return Err(Error::user(Message::of(|lang| {
                        let why = msg::compare::select_error(lang, &e);
                        format!("`{s}` · `{i}`: --compare-with: {why}")
                    })));
                }
            },
            None => compare::previous_of(&group, run, fiscal_start),
        };
        if let Some(from) = earlier {
            let from = reader.full(from)?;
            r.comparison = Some(compare_runs(
                templates.of(&from)?,
                &from,
                templates.of(run)?,
                run,
            ));
        }
        let upto: Vec<&Run> = group
            .iter()
            .copied()
            .filter(|g| (g.finished, &g.id) <= (run.finished, &run.id))
            .collect();
        let entries = upto
            .iter()
            .map(|g| {
                Ok(TrendEntry {
                    inspection: templates.of(g)?,
                    run: g,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        r.trend = compare::trend(&entries, PeriodKind::FiscalQuarter, fiscal_start)
            .into_iter()
            .next()
            .map(|t| t.points)
            .unwrap_or_default();
        let latest = compare::effective_runs(&group)
            .last()
            .is_some_and(|l| l.id == run.id);
        r.actions_as_of = if latest { today } else { run.date() };
        r.open_actions = actions::derive(&upto, &catalog, r.actions_as_of)
            .into_iter()
            .filter(actions::CorrectiveAction::is_open)
            .collect();
        reports.push(r);
    }

    let mut report = Report {
        organisation: catalog.config.organisation.get(lang).to_owned(),
        lang,
        fiscal_start,
        review,
        runs: reports,
        missing,
        order,
        generated: today,
        previews: std::collections::BTreeMap::new(),
        names: crate::roles::Directory::new(
            &catalog.roles,
            &catalog.config,
            history.iter().map(|h| &h.run),
        )
        .names()
        .clone(),
        roles: catalog.roles.clone(),
    };
    if args.format == ReportFormat::Html {
        report.previews = previews(&store, &report);
    }
    let text = match args.format {
        ReportFormat::Md => report::md::render(&report),
        ReportFormat::Html => report::html::render(&report),
        ReportFormat::Csv => {
            report::csv::render(&report, report::csv::CsvOptions { bom: !args.no_bom })
        }
        ReportFormat::Json => report::json::render(&report),
        ReportFormat::Oscal => report::oscal::render(&report),
    };
    if let Some(dir) = &args.bundle {
        let mut files = Vec::new();
        let mut missing = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for f in report.runs.iter().flat_map(|r| r.run.evidence_files()) {
            let Some(name) = f.stored_name() else {
                continue;
            };
            if !seen.insert(name.clone()) {
                continue;
            }
            match store.evidence_contents(f) {
                Ok(bytes) => files.push((name, bytes)),
                Err(why) => missing.push(format!("{}: {why}", escape::line(&f.name))),
            }
        }
        let written = store.write_bundle(
            dir,
            &format!("report.{}", args.format.extension()),
            text.as_bytes(),
            &files,
            ctx.global.restricted,
        )?;
        let mut out = format!(
            "Wrote the {} report to {} with {} beside it\n",
            args.format.name(),
            written.display(),
            crate::number::plural(files.len(), "evidence file")
        );
        for m in missing {
            let _ = writeln!(out, "note: not in the bundle: {m}");
        }
        return print(&out);
    }
    match &args.output {
        None => print(&text),
        Some(path) => {
            let written = store.write_report(path, text.as_bytes(), ctx.global.restricted)?;
            print(&format!(
                "Wrote the {} report to {}\n",
                args.format.name(),
                written.display()
            ))
        }
    }
}

/// The most the embedded thumbnails of one HTML report may take (their
/// `data:` URIs); past it, images are listed without one.
const THUMBNAIL_BUDGET: usize = 8 * 1024 * 1024;

/// Makes the thumbnails of the image evidence of every reported run, from
/// the committed files (digest checked), within [`THUMBNAIL_BUDGET`].
fn previews(
    store: &crate::store::Store,
    report: &Report,
) -> std::collections::BTreeMap<String, report::Preview> {
    let files = report.runs.iter().flat_map(|r| r.run.evidence_files());
    report::thumb::within_budget(files, THUMBNAIL_BUDGET, |f| {
        store
            .evidence_contents(f)
            .and_then(|bytes| report::thumb::make(&bytes))
    })
}

/// The error for a report of a run that is no longer part of the record.
fn not_current(entry: &HistoryEntry) -> Error {
    let id = escape::line(&entry.run.id);
    match (&entry.superseded_by, &entry.withdrawn) {
        (Some(by), _) => Error::user_hint(
            msg::report::superseded(&id, &escape::line(by)),
            msg::report::SUPERSEDED_HINT,
        ),
        (None, Some(w)) => Error::user(msg::report::withdrawn(
            &id,
            &w.date.date_naive().to_string(),
            w.by.id.as_str(),
            &escape::line(&w.reason),
        )),
        (None, None) => Error::Internal(format!("run {id} is current")),
    }
}

/// The runs of one subject and inspection, oldest first.
fn series<'a>(runs: &'a [Run], subject: &Id, inspection: &Id) -> Vec<&'a Run> {
    runs.iter()
        .filter(|r| r.subject == *subject && r.inspection == *inspection)
        .collect()
}

/// What the profiles say is due, from the latest run of each series.
fn due_list(catalog: &Catalog, history: &[HistoryEntry], today: NaiveDate) -> Vec<Due> {
    let mut last: BTreeMap<(Id, Id), NaiveDate> = BTreeMap::new();
    for h in history {
        let date = h.run.date();
        last.entry((h.run.subject.clone(), h.run.inspection.clone()))
            .and_modify(|d| *d = (*d).max(date))
            .or_insert(date);
    }
    schedule::due_list(catalog, &last, today)
}

fn find_due(list: &[Due], subject: &Id, inspection: &Id) -> Option<Due> {
    list.iter()
        .find(|d| d.subject == *subject && d.inspection == *inspection)
        .cloned()
}

/// The runs to report with their due dates, the subjects without one, and
/// every subject in the review's order (empty for one run).
type Targets = (Vec<(Run, Option<Due>)>, Vec<Missing>, Vec<Id>);

/// The runs of a review: for suppliers, every supplier in the register
/// (ordered by risk, as `tenken suppliers` does); otherwise every subject
/// with runs of the inspection (by id). Subjects without a run to report
/// are returned as missing; the third list is every subject in that order.
#[allow(clippy::type_complexity)]
fn review_targets(
    catalog: &Catalog,
    history: &[HistoryEntry],
    runs: &[Run],
    inspection: &Id,
    spec: Option<&RunSpec>,
    today: NaiveDate,
    lang: Lang,
) -> Result<Targets> {
    let of_inspection: Vec<&Run> = runs
        .iter()
        .filter(|r| r.inspection == *inspection)
        .collect();
    let groups = compare::group_runs(&of_inspection);
    let spec = spec.unwrap_or(&RunSpec::Latest);
    let missing_one = |subject: Id, reason: String, due: Option<Due>| {
        let registered = catalog.subjects.get(subject.as_str());
        Missing {
            name: registered
                .map(|s| s.name.get(lang).to_owned())
                .unwrap_or_default(),
            criticality: registered.map(|s| s.criticality),
            subject,
            reason,
            due,
        }
    };
    let all_suppliers = !groups.is_empty()
        && groups.keys().all(|(s, _)| {
            catalog
                .subjects
                .get(s.as_str())
                .is_some_and(|s| s.kind == SubjectKind::Supplier)
        });
    let scheduled = due_list(catalog, history, today);
    let subjects: Vec<(Id, Option<Due>)> = if inspection.as_str() == SUPPLIER_CHECK || all_suppliers
    {
        supplier::review(catalog, history, inspection, today, false)
            .into_iter()
            .map(|r| (r.subject.id, r.due))
            .collect()
    } else {
        groups
            .keys()
            .map(|(s, i)| (s.clone(), find_due(&scheduled, s, i)))
            .collect()
    };
    let order: Vec<Id> = subjects.iter().map(|(s, _)| s.clone()).collect();
    let mut targets = Vec::new();
    let mut missing = Vec::new();
    for (subject, due) in subjects {
        let key = (subject.clone(), inspection.clone());
        let Some(group) = groups.get(&key) else {
            let never = lang.pick("未点検", "never checked").to_owned();
            missing.push(missing_one(subject, never, due));
            continue;
        };
        match compare::select(group, spec, catalog.config.fiscal_year_start) {
            Ok(run) => targets.push((run.clone(), due)),
            Err(e) => missing.push(missing_one(subject, reason(&e), due)),
        }
    }
    if targets.is_empty() {
        if groups.is_empty() {
            return Err(no_runs(None, Some(inspection)));
        }
        return Err(Error::user_hint(
            Message::of(|lang| {
                msg::report::none_for(
                    lang,
                    inspection.as_str(),
                    &msg::compare::run_spec(lang, spec),
                )
            }),
            msg::report::NONE_FOR_HINT,
        ));
    }
    Ok((targets, missing, order))
}

fn reason(e: &SelectError) -> String {
    match e {
        SelectError::NoRunInPeriod { period, .. } => format!("no run in {period}"),
        SelectError::NoRunOnDate { date, .. } => format!("no run on {date}"),
        other => other.to_string(),
    }
}
