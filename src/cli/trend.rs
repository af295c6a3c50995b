//! `tenken trend`: score per period for each subject × inspection, with
//! deltas and the items that regressed most often. The numbers come from
//! `crate::compare::trend`; this file only picks the runs and renders.

use std::collections::HashMap;
use std::fmt::Write as _;

use clap::Args;
use serde::Serialize;

use crate::cli::compare::{known, no_runs, read_history};
use crate::cli::{Ctx, Format, kept_to_exit, print, print_json};
use crate::compare::{self, Trend};
use crate::error::Result;
use crate::escape;
use crate::model::{HistoryEntry, Id, Lang};
use crate::msg::{self, Label};
use crate::number::{round1, signed_pct};
use crate::period::PeriodKind;

/// Show the score per period, with deltas and the items that regress most often
#[derive(Debug, Args)]
pub struct TrendArgs {
    /// Only this subject
    #[arg(long, value_name = "ID")]
    pub subject: Option<Id>,
    /// Only this inspection
    #[arg(long, value_name = "ID")]
    pub inspection: Option<Id>,
    /// Group runs by this kind of period; each period shows its latest run
    #[arg(long, value_enum, default_value_t = PeriodKind::FiscalQuarter)]
    pub by: PeriodKind,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also use run files that are not committed (labelled in the output)
    #[arg(long)]
    pub include_uncommitted: bool,
}

/// Prints one trend per subject × inspection matching the flags.
pub fn cmd_trend(ctx: &Ctx, args: &TrendArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let subject = args.subject.clone();
    let inspection = args.inspection.clone();
    known(&catalog, subject.as_ref(), inspection.as_ref())?;
    let history = read_history(&store, &catalog, args.include_uncommitted, false)?;
    let labels: HashMap<String, Label> = history
        .iter()
        .filter_map(|h| Some((h.run.id.clone(), msg::run_status(h.status)?)))
        .collect();
    let selected: Vec<&HistoryEntry> = history
        .iter()
        .filter(|h| subject.as_ref().is_none_or(|s| *s == h.run.subject))
        .filter(|h| inspection.as_ref().is_none_or(|i| *i == h.run.inspection))
        .collect();
    if selected.is_empty() {
        return Err(no_runs(subject.as_ref(), inspection.as_ref()));
    }
    // Each entry is scored against its own template and compared in brief:
    // no run's answers are rebuilt.
    // Not freed before exit (only memory): one point per period of every series.
    let mut trends = kept_to_exit(compare::trend_of(
        &selected,
        args.by,
        catalog.config.fiscal_year_start,
    ));
    trends.sort_by(|a, b| (&a.inspection, &a.subject).cmp(&(&b.inspection, &b.subject)));
    match args.format {
        Format::Json => {
            let json: Vec<JsonTrend> = trends
                .iter()
                .map(|t| JsonTrend::new(t, lang, &labels))
                .collect();
            print_json(&json)
        }
        Format::Text => {
            let texts: Vec<String> = trends.iter().map(|t| text(t, lang, &labels)).collect();
            print(&texts.join("\n"))
        }
    }
}

/// Renders one trend: a line per period, then the most frequent regressions.
fn text(t: &Trend, lang: Lang, labels: &HashMap<String, Label>) -> String {
    let mut out = msg::trend::heading(lang, t.subject.as_str(), t.inspection.as_str(), t.by);
    // Each point's period and score written once, for the widths and the line.
    let cells: Vec<(String, String)> = t
        .points
        .iter()
        .map(|p| {
            (
                p.period.to_string(),
                format!("{}/{}", p.score.score, p.score.max),
            )
        })
        .collect();
    let score_width = cells.iter().map(|c| c.1.len()).max().unwrap_or(0);
    let period_width = cells.iter().map(|c| c.0.len()).max().unwrap_or(0);
    // Few bands: each label escaped once.
    let mut bands: Vec<(&str, String)> = Vec::new();
    for (p, (period, score)) in t.points.iter().zip(&cells) {
        let delta = p.percent_delta.map_or_else(String::new, signed_pct);
        let band = match p.band.as_ref().map(|b| b.get(lang)) {
            None => "",
            Some(label) => {
                let i = bands
                    .iter()
                    .position(|(l, _)| *l == label)
                    .unwrap_or_else(|| {
                        bands.push((label, escape::line(label)));
                        bands.len() - 1
                    });
                bands[i].1.as_str()
            }
        };
        let mut runs = if p.runs_in_period > 1 {
            msg::trend::runs_in_period(lang, p.runs_in_period)
        } else {
            String::new()
        };
        if let Some(label) = labels.get(&p.run) {
            let _ = write!(runs, "  [{}]", label.get(lang));
        }
        let _ = writeln!(
            out,
            "  {period:<period_width$}  {}  {score:>score_width$}  {:>5.1}%  {delta:>6}  {band}{runs}",
            p.date,
            round1(p.percent),
        );
    }
    if let (Some(first), Some(last)) = (t.points.first(), t.points.last())
        && t.points.len() > 1
    {
        out.push_str(&msg::trend::overall(
            lang,
            &first.period.to_string(),
            &last.period.to_string(),
            last.score.score - first.score.score,
            last.percent - first.percent,
        ));
    }
    if t.regressed_most.is_empty() {
        out.push_str(msg::trend::NO_REGRESSION.get(lang));
    } else {
        out.push_str(msg::trend::REGRESSED_MOST.get(lang));
        for r in t.regressed_most.iter().take(5) {
            out.push_str(&msg::trend::regressed(
                lang,
                r.id.as_str(),
                &escape::line(r.title.get(lang)),
                r.count,
                &r.last.to_string(),
            ));
        }
    }
    out
}

#[derive(Serialize)]
struct JsonTrend {
    subject: String,
    inspection: String,
    by: PeriodKind,
    periods: Vec<JsonPoint>,
    regressed_most: Vec<JsonRegression>,
}

#[derive(Serialize)]
struct JsonPoint {
    period: String,
    start: String,
    end: String,
    run: String,
    date: String,
    runs: usize,
    score: i64,
    max: i64,
    percent: f64,
    band: Option<String>,
    score_delta: Option<i64>,
    percent_delta: Option<f64>,
    improved: Option<usize>,
    regressed: Option<usize>,
    /// With `--include-uncommitted`: where the period's run stands, when it
    /// is not committed.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonRegression {
    id: String,
    section: String,
    title: String,
    count: usize,
    last: String,
}

impl JsonTrend {
    fn new(t: &Trend, lang: Lang, labels: &HashMap<String, Label>) -> Self {
        Self {
            subject: t.subject.to_string(),
            inspection: t.inspection.to_string(),
            by: t.by,
            periods: t
                .points
                .iter()
                .map(|p| JsonPoint {
                    period: p.period.to_string(),
                    start: p.period.start().to_string(),
                    end: p.period.end().to_string(),
                    run: p.run.clone(),
                    date: p.date.to_string(),
                    runs: p.runs_in_period,
                    score: p.score.score,
                    max: p.score.max,
                    percent: round1(p.percent),
                    band: p.band.as_ref().map(|b| b.get(lang).to_owned()),
                    score_delta: p.score_delta,
                    percent_delta: p.percent_delta.map(round1),
                    improved: p.summary.map(|s| s.improved),
                    regressed: p.summary.map(|s| s.regressed),
                    // JSON values stay English.
                    status: labels.get(&p.run).map(|l| l.en),
                })
                .collect(),
            regressed_most: t
                .regressed_most
                .iter()
                .map(|r| JsonRegression {
                    id: r.id.to_string(),
                    section: r.section.to_string(),
                    title: r.title.get(lang).to_owned(),
                    count: r.count,
                    last: r.last.to_string(),
                })
                .collect(),
        }
    }
}
