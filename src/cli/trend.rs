//! `tenken trend`: score per period for each subject × inspection, with
//! deltas and the items that regressed most often. The numbers come from
//! `crate::compare::trend`; this file only picks the runs and renders.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};

use crate::cli::compare::{known, no_runs, read_history};
use crate::cli::{Ctx, Format, end_text, print_json, text_out};
use crate::compare::{self, TrendView};
use crate::error::Result;
use crate::escape;
use crate::model::{HistoryEntry, Id, Lang};
use crate::msg::{self, Label};
use crate::number::{OneDecimal, SignedPct, round1};
use crate::period::{Period, PeriodKind};

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
    // no run's answers are rebuilt. Each trend is written out as it comes
    // (in order of inspection, then subject), borrowing the entries.
    let (by, fiscal) = (args.by, catalog.config.fiscal_year_start);
    match args.format {
        Format::Json => print_json(&JsonTrends {
            selected: &selected,
            by,
            fiscal,
            lang,
            labels: &labels,
        }),
        Format::Text => {
            let mut out = text_out();
            let mut text = String::new();
            let mut first = true;
            let Ok(()) = compare::for_each_trend(&selected, by, fiscal, |t| {
                text.clear();
                if !first {
                    text.push('\n');
                }
                first = false;
                write_text(&mut text, t, lang, &labels);
                out.piece(&text);
                Ok::<(), std::convert::Infallible>(())
            });
            end_text(out)
        }
    }
}

/// A trend as its entries give it.
type View<'e> = TrendView<'e, &'e HistoryEntry>;

/// Writes one trend into `out`: a line per period, then the most frequent
/// regressions.
fn write_text(out: &mut String, t: &View<'_>, lang: Lang, labels: &HashMap<String, Label>) {
    out.push_str(&msg::trend::heading(
        lang,
        t.subject.as_str(),
        t.inspection.as_str(),
        t.by,
    ));
    // The widths of the period and score columns.
    let mut cell = String::new();
    let (mut period_width, mut score_width) = (0, 0);
    for p in &t.points {
        cell.clear();
        let _ = write!(cell, "{}", p.period);
        period_width = period_width.max(cell.len());
        cell.clear();
        let _ = write!(cell, "{}/{}", p.score.score, p.score.max);
        score_width = score_width.max(cell.len());
    }
    // Few bands: each label escaped once.
    let mut bands: Vec<(&str, String)> = Vec::new();
    for p in &t.points {
        let band = match p.band.map(|b| b.get(lang)) {
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
        cell.clear();
        let _ = write!(cell, "{}", p.period);
        let _ = write!(out, "  {cell:<period_width$}  {}  ", p.entry.run.date());
        cell.clear();
        let _ = write!(cell, "{}/{}", p.score.score, p.score.max);
        let _ = write!(out, "{cell:>score_width$}  {:>5}%  ", OneDecimal(p.percent));
        match p.percent_delta {
            Some(delta) => {
                let _ = write!(out, "{:>6}", SignedPct(delta));
            }
            None => out.push_str("      "),
        }
        out.push_str("  ");
        out.push_str(band);
        if p.runs_in_period > 1 {
            out.push_str(&msg::trend::runs_in_period(lang, p.runs_in_period));
        }
        if let Some(label) = labels.get(&p.entry.run.id) {
            let _ = write!(out, "  [{}]", label.get(lang));
        }
        out.push('\n');
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
                r.item.id.as_str(),
                &escape::line(r.item.title.get(lang)),
                r.count,
                &r.last.to_string(),
            ));
        }
    }
}

/// Every trend of the selected entries as JSON, each serialised as it is
/// computed.
struct JsonTrends<'a> {
    selected: &'a [&'a HistoryEntry],
    by: PeriodKind,
    fiscal: u32,
    lang: Lang,
    labels: &'a HashMap<String, Label>,
}

impl Serialize for JsonTrends<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        compare::for_each_trend(self.selected, self.by, self.fiscal, |t| {
            seq.serialize_element(&JsonTrend {
                trend: t,
                lang: self.lang,
                labels: self.labels,
            })
        })?;
        seq.end()
    }
}

/// One trend as JSON: `subject`, `inspection`, `by`, `periods` and
/// `regressed_most`, in that order.
struct JsonTrend<'a, 'e> {
    trend: &'a View<'e>,
    lang: Lang,
    labels: &'a HashMap<String, Label>,
}

impl Serialize for JsonTrend<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let t = self.trend;
        let mut map = serializer.serialize_struct("JsonTrend", 5)?;
        map.serialize_field("subject", t.subject.as_str())?;
        map.serialize_field("inspection", t.inspection.as_str())?;
        map.serialize_field("by", &t.by)?;
        map.serialize_field("periods", &JsonPoints(self))?;
        map.serialize_field("regressed_most", &JsonRegressions(self))?;
        map.end()
    }
}

/// The `periods` of a [`JsonTrend`].
struct JsonPoints<'a, 'e>(&'a JsonTrend<'a, 'e>);

impl Serialize for JsonPoints<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let JsonTrend {
            trend,
            lang,
            labels,
        } = self.0;
        serializer.collect_seq(trend.points.iter().map(|p| JsonPoint {
            period: Shown(p.period),
            start: Shown(p.period.start()),
            end: Shown(p.period.end()),
            run: &p.entry.run.id,
            date: Shown(p.entry.run.date()),
            runs: p.runs_in_period,
            score: p.score.score,
            max: p.score.max,
            percent: round1(p.percent),
            band: p.band.map(|b| b.get(*lang)),
            score_delta: p.score_delta,
            percent_delta: p.percent_delta.map(round1),
            improved: p.summary.map(|s| s.improved),
            regressed: p.summary.map(|s| s.regressed),
            // JSON values stay English.
            status: labels.get(&p.entry.run.id).map(|l| l.en),
        }))
    }
}

/// The `regressed_most` of a [`JsonTrend`].
struct JsonRegressions<'a, 'e>(&'a JsonTrend<'a, 'e>);

impl Serialize for JsonRegressions<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let JsonTrend { trend, lang, .. } = self.0;
        serializer.collect_seq(trend.regressed_most.iter().map(|r| JsonRegression {
            id: r.item.id.as_str(),
            section: r.section.id.as_str(),
            title: r.item.title.get(*lang),
            count: r.count,
            last: Shown(r.last),
        }))
    }
}

/// A value serialised as the string it displays as.
struct Shown<T>(T);

impl<T: std::fmt::Display> Serialize for Shown<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        // Periods and dates are short: written on the stack, then as one
        // string (not piece by piece through the escaping).
        let mut line = Line::default();
        match write!(line, "{}", self.0) {
            Ok(()) => serializer.serialize_str(line.as_str()),
            Err(_) => serializer.collect_str(&self.0),
        }
    }
}

/// Up to 32 bytes of text on the stack.
#[derive(Default)]
struct Line {
    bytes: [u8; 32],
    len: usize,
}

impl Line {
    fn as_str(&self) -> &str {
        std::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

impl std::fmt::Write for Line {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[derive(Serialize)]
struct JsonPoint<'a> {
    period: Shown<Period>,
    start: Shown<NaiveDate>,
    end: Shown<NaiveDate>,
    run: &'a str,
    date: Shown<NaiveDate>,
    runs: usize,
    score: i64,
    max: i64,
    percent: f64,
    band: Option<&'a str>,
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
struct JsonRegression<'a> {
    id: &'a str,
    section: &'a str,
    title: &'a str,
    count: usize,
    last: Shown<Period>,
}
