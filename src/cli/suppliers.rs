//! `tenken suppliers`: the supplier review (every supplier's latest check,
//! change, band, open actions and next due date, ordered by risk, overdue
//! or change; JSON per DESIGN §7), and `suppliers export`, which writes a
//! questionnaire a supplier fills in a spreadsheet and `tenken record
//! --answers` imports back.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::{Ctx, Format, print, print_json, table};
use crate::error::{Error, Result};
use crate::escape;
use crate::load::Catalog;
use crate::model::{Id, Lang, Text};
use crate::msg;
use crate::number::round1;
use crate::store::{HistoryEntry, HistoryFilter};
use crate::supplier::questionnaire::{CsvEncoding, Questionnaire, QuestionnaireFormat};
use crate::supplier::{self, SUPPLIER_CHECK, SortBy, SupplierReview};

/// Review suppliers: latest check, change, band, open actions and next due date
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SuppliersArgs {
    /// Write a questionnaire instead of the review
    #[command(subcommand)]
    pub command: Option<SuppliersCommand>,
    /// Order: risk (criticality × shortfall), overdue, or change against the previous check
    #[arg(long, value_enum, default_value_t = SortBy::Risk)]
    pub sort: SortBy,
    /// The supplier checklist to review
    #[arg(long, value_name = "ID", default_value = SUPPLIER_CHECK)]
    pub inspection: Id,
    /// Include retired suppliers
    #[arg(long)]
    pub retired: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// What else `suppliers` does.
#[derive(Debug, Subcommand)]
pub enum SuppliersCommand {
    /// Write a questionnaire (an Excel workbook or CSV) for a supplier to fill in
    Export(ExportArgs),
}

/// Write a questionnaire (an Excel workbook or CSV) for a supplier to fill in
///
/// `--format xlsx` writes a protected workbook with a drop-down of answers,
/// note and evidence columns and A4 print setup; `--format csv` a table
/// (UTF-8 with a byte order mark, or CP932 with `--encoding cp932`). Both
/// name the supplier, the inspection, its version and the template's
/// SHA-256. The filled file is recorded with
/// `tenken record INSPECTION --subject SUPPLIER --answers FILE`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The supplier (an id from subjects.ron)
    #[arg(value_name = "SUPPLIER")]
    pub supplier: Id,
    /// The checklist to ask
    #[arg(long, value_name = "ID", default_value = SUPPLIER_CHECK)]
    pub inspection: Id,
    /// File format: xlsx (a workbook to send) or csv; default: from the
    /// extension of FILE, else csv
    #[arg(long, value_enum)]
    pub format: Option<QuestionnaireFormat>,
    /// Text encoding of a CSV questionnaire
    #[arg(long, value_enum, default_value_t = CsvEncoding::Utf8)]
    pub encoding: CsvEncoding,
    /// The file to write (replaced if it exists)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

/// One element of `suppliers --format json`.
#[derive(Debug, Serialize)]
struct Row {
    id: String,
    /// The name in the chosen language.
    name: String,
    /// The name in both languages.
    names: Text,
    criticality: u8,
    last_run: Option<String>,
    last_date: Option<NaiveDate>,
    percent: Option<f64>,
    delta: Option<f64>,
    due: Option<NaiveDate>,
    overdue: bool,
    open_actions: usize,
    overdue_actions: usize,
    band: Option<String>,
    risk: f64,
    every: Option<&'static str>,
    /// Percent of every check, oldest first.
    trend: Vec<f64>,
    retired: bool,
}

impl Row {
    fn new(r: &SupplierReview, history: &[HistoryEntry], lang: Lang) -> Self {
        let latest = r.latest().and_then(|i| history.get(i));
        Self {
            id: r.subject.id.to_string(),
            name: r.subject.name.get(lang).to_owned(),
            names: r.subject.name.both(),
            criticality: r.subject.criticality,
            last_run: latest.map(|h| h.run.id.clone()),
            last_date: latest.map(|h| h.run.date()),
            percent: r.percent.map(round1),
            delta: r.delta.map(round1),
            due: r.due.as_ref().map(|d| d.due_date),
            overdue: r.overdue(),
            open_actions: r.open_actions,
            overdue_actions: r.overdue_actions,
            band: latest
                .and_then(|h| h.band())
                .map(|b| b.get(lang).to_owned()),
            risk: round1(r.risk()),
            every: r.due.as_ref().map(|d| d.every.as_str()),
            trend: r
                .runs
                .iter()
                .filter_map(|&i| history.get(i))
                .map(|h| round1(h.percent))
                .collect(),
            retired: r.subject.retired,
        }
    }
}

/// Prints the review, or writes a questionnaire.
pub fn cmd_suppliers(ctx: &Ctx, args: &SuppliersArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    if let Some(SuppliersCommand::Export(export)) = &args.command {
        return cmd_export(ctx, &catalog, lang, export);
    }
    super::lookup::inspection_known(&catalog, &args.inspection)?;
    let inspection = args.inspection.clone();
    let history = crate::cli::kept_to_exit(store.history(&catalog, &HistoryFilter::default())?);
    let mut reviews = supplier::review(
        &catalog,
        &history,
        &inspection,
        ctx.clock.today(),
        args.retired,
    );
    supplier::sort(&mut reviews, args.sort);
    let rows: Vec<Row> = reviews
        .iter()
        .map(|r| Row::new(r, &history, lang))
        .collect();
    match args.format {
        Format::Json => print_json(&rows),
        Format::Text if rows.is_empty() => print(msg::suppliers::EMPTY.get(lang)),
        Format::Text => print(&text(&rows, args.sort, lang)),
    }
}

fn text(rows: &[Row], sort: SortBy, lang: Lang) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let status = if r.last_run.is_none() {
                msg::suppliers::NEVER_CHECKED.get(lang)
            } else if r.overdue {
                msg::suppliers::OVERDUE.get(lang)
            } else {
                ""
            };
            let status = if r.retired {
                format!("{status} {}", msg::suppliers::RETIRED.get(lang))
                    .trim()
                    .to_owned()
            } else {
                status.to_owned()
            };
            vec![
                r.id.clone(),
                r.name.clone(),
                r.criticality.to_string(),
                r.last_date
                    .map_or_else(|| "-".to_owned(), |d| d.to_string()),
                r.percent
                    .map_or_else(|| "-".to_owned(), |p| format!("{p:.1}%")),
                r.delta
                    .map_or_else(|| "-".to_owned(), |d| format!("{d:+.1}")),
                r.band.clone().unwrap_or_else(|| "-".to_owned()),
                crate::tui::widget::sparkline(&r.trend),
                r.open_actions.to_string(),
                r.due.map_or_else(|| "-".to_owned(), |d| d.to_string()),
                status,
            ]
        })
        .collect();
    let mut out = table::render(
        &msg::header(lang, &msg::suppliers::HEADER),
        &[
            false, false, true, false, true, true, false, false, true, false, false,
        ],
        &cells,
    );
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let _ = writeln!(
        out,
        "{}",
        msg::suppliers::summary(lang, rows.len(), overdue, sort)
    );
    out
}

fn cmd_export(ctx: &Ctx, catalog: &Catalog, lang: Lang, args: &ExportArgs) -> Result<()> {
    if ctx.global.restricted {
        return Err(Error::user(msg::suppliers::EXPORT_RESTRICTED));
    }
    let id = &args.supplier;
    let Some(subject) = catalog.subjects.get(id.as_str()) else {
        return Err(Error::user_hint(
            msg::suppliers::unknown_supplier(id.as_str()),
            msg::suppliers::LIST_HINT,
        ));
    };
    let template = super::lookup::template(catalog, &args.inspection, lang)?;
    let is_xlsx = args
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let format = args.format.unwrap_or(if is_xlsx {
        QuestionnaireFormat::Xlsx
    } else {
        QuestionnaireFormat::Csv
    });
    if format == QuestionnaireFormat::Xlsx && args.encoding != CsvEncoding::Utf8 {
        return Err(Error::usage(msg::suppliers::ENCODING_CSV_ONLY));
    }
    let questionnaire = Questionnaire::new(template, subject, lang, ctx.clock.today())?;
    let bytes = match format {
        QuestionnaireFormat::Xlsx => questionnaire.to_xlsx()?,
        QuestionnaireFormat::Csv => questionnaire.to_csv(args.encoding)?,
    };
    crate::store::write_atomic(&args.output, &bytes, 0o644)?;
    let path = escape::line(&args.output.display().to_string());
    print(&msg::suppliers::exported(
        lang,
        template.id.as_str(),
        subject.id.as_str(),
        &escape::line(subject.name.get(lang)),
        template.item_count(),
        &path,
    ))
}
