//! `tenken trend`: score per period for each subject × inspection, with
//! deltas and the items that regressed most often. The numbers come from
//! `crate::compare::trend`; this file only picks the runs and renders.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;

use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};

use crate::cli::ascii::Ascii;
use crate::cli::compare::{known, no_runs, read_history};
use crate::cli::{Ctx, Format, end_text, print_json_by, text_out};
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
        Format::Json => {
            let trends = JsonTrends {
                selected: &selected,
                by,
                fiscal,
                lang,
                labels: &labels,
            };
            print_json_by(|w| trends.write(w))
        }
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
    let score_len = |p: &compare::PointView<'_, &HistoryEntry>| {
        Ascii::int(p.score.score).len() + 1 + Ascii::int(p.score.max).len()
    };
    let (mut period_width, mut score_width) = (0, 0);
    for p in &t.points {
        period_width = period_width.max(Ascii::period(p.period).len());
        score_width = score_width.max(score_len(p));
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
        // As `write!(out, "  {period:<period_width$}  {date}  {score:>score_width$}")`.
        let period = Ascii::period(p.period);
        out.push_str("  ");
        period.push_to(out);
        pad(out, period_width.saturating_sub(period.len()));
        out.push_str("  ");
        Ascii::date(p.entry.run.date()).push_to(out);
        out.push_str("  ");
        pad(out, score_width.saturating_sub(score_len(p)));
        Ascii::int(p.score.score).push_to(out);
        out.push('/');
        Ascii::int(p.score.max).push_to(out);
        let _ = write!(out, "  {:>5}%  ", OneDecimal(p.percent));
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

/// Appends `n` spaces.
fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
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

impl JsonTrends<'_> {
    /// Writes what `print_json` of these trends writes (the test
    /// `the_trends_written_by_hand_are_their_json` compares), the layout and
    /// keys as bytes and each value through the same serialiser: the
    /// serialiser's work per key of ten thousand points was a fifth of the
    /// command.
    fn write<W: Write>(&self, w: &mut W) -> std::io::Result<()> {
        let lang = self.lang;
        let mut first = true;
        w.write_all(b"[")?;
        compare::for_each_trend(self.selected, self.by, self.fiscal, |t| {
            w.write_all(if first { b"\n  {" } else { b",\n  {" })?;
            first = false;
            string(w, b"\n    \"subject\": ", t.subject.as_str())?;
            string(w, b",\n    \"inspection\": ", t.inspection.as_str())?;
            field(w, b",\n    \"by\": ", &t.by)?;
            w.write_all(b",\n    \"periods\": [")?;
            // Few bands: each label serialised once a trend.
            let mut bands: Vec<(&str, Vec<u8>)> = Vec::new();
            for (n, p) in t.points.iter().enumerate() {
                w.write_all(if n == 0 { b"\n      {" } else { b",\n      {" })?;
                text(w, b"\n        \"period\": ", Ascii::period(p.period))?;
                text(w, b",\n        \"start\": ", Ascii::date(p.period.start()))?;
                text(w, b",\n        \"end\": ", Ascii::date(p.period.end()))?;
                string(w, b",\n        \"run\": ", &p.entry.run.id)?;
                text(w, b",\n        \"date\": ", Ascii::date(p.entry.run.date()))?;
                count(w, b",\n        \"runs\": ", Some(p.runs_in_period))?;
                int(w, b",\n        \"score\": ", Some(p.score.score))?;
                int(w, b",\n        \"max\": ", Some(p.score.max))?;
                field(w, b",\n        \"percent\": ", &round1(p.percent))?;
                band(w, &mut bands, p.band.map(|b| b.get(lang)))?;
                int(w, b",\n        \"score_delta\": ", p.score_delta)?;
                field(
                    w,
                    b",\n        \"percent_delta\": ",
                    &p.percent_delta.map(round1),
                )?;
                count(
                    w,
                    b",\n        \"improved\": ",
                    p.summary.map(|s| s.improved),
                )?;
                count(
                    w,
                    b",\n        \"regressed\": ",
                    p.summary.map(|s| s.regressed),
                )?;
                // JSON values stay English.
                if let Some(label) = self.labels.get(&p.entry.run.id) {
                    string(w, b",\n        \"status\": ", label.en)?;
                }
                w.write_all(b"\n      }")?;
            }
            w.write_all(if t.points.is_empty() {
                b"]"
            } else {
                b"\n    ]"
            })?;
            w.write_all(b",\n    \"regressed_most\": [")?;
            for (n, r) in t.regressed_most.iter().enumerate() {
                w.write_all(if n == 0 { b"\n      {" } else { b",\n      {" })?;
                string(w, b"\n        \"id\": ", r.item.id.as_str())?;
                string(w, b",\n        \"section\": ", r.section.id.as_str())?;
                field(w, b",\n        \"title\": ", r.item.title.get(lang))?;
                count(w, b",\n        \"count\": ", Some(r.count))?;
                text(w, b",\n        \"last\": ", Ascii::period(r.last))?;
                w.write_all(b"\n      }")?;
            }
            let close: &[u8] = if t.regressed_most.is_empty() {
                b"]\n  }"
            } else {
                b"\n    ]\n  }"
            };
            w.write_all(close)
        })?;
        w.write_all(if first { b"]" } else { b"\n]" })
    }
}

/// Writes `key` (with its comma, line break and indent) and `value` as
/// JSON.
fn field<W: Write, T: Serialize + ?Sized>(w: &mut W, key: &[u8], value: &T) -> std::io::Result<()> {
    w.write_all(key)?;
    escape::write_json_pretty(&mut *w, value).map_err(std::io::Error::from)
}

/// Writes `key` and `value` as a JSON string (dates and periods).
fn text<W: Write>(w: &mut W, key: &[u8], value: Ascii) -> std::io::Result<()> {
    if is_plain(value.as_bytes()) {
        quoted(w, key, value.as_bytes())
    } else {
        field(w, key, value.as_str())
    }
}

/// Writes `key` and `value` as a JSON string.
fn string<W: Write>(w: &mut W, key: &[u8], value: &str) -> std::io::Result<()> {
    if is_plain(value.as_bytes()) {
        quoted(w, key, value.as_bytes())
    } else {
        field(w, key, value)
    }
}

/// Returns true when `value` is printable ASCII without `"` or `\`, which
/// the serialiser writes unchanged between quotes.
fn is_plain(value: &[u8]) -> bool {
    value
        .iter()
        .all(|&b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
}

/// Writes `key` and `value` between quotes.
fn quoted<W: Write>(w: &mut W, key: &[u8], value: &[u8]) -> std::io::Result<()> {
    w.write_all(key)?;
    w.write_all(b"\"")?;
    w.write_all(value)?;
    w.write_all(b"\"")
}

/// Writes the `band` key and `label` as JSON, or `null`; `bands` holds
/// the labels serialised so far.
fn band<'l, W: Write>(
    w: &mut W,
    bands: &mut Vec<(&'l str, Vec<u8>)>,
    label: Option<&'l str>,
) -> std::io::Result<()> {
    let key = b",\n        \"band\": ";
    let Some(label) = label else {
        return field(w, key, &None::<&str>);
    };
    let i = if let Some(i) = bands.iter().position(|(l, _)| *l == label) {
        i
    } else {
        let mut json = Vec::new();
        escape::write_json_pretty(&mut json, label).map_err(std::io::Error::from)?;
        bands.push((label, json));
        bands.len() - 1
    };
    w.write_all(key)?;
    w.write_all(bands.get(i).map_or(&[][..], |(_, json)| json))
}

/// Writes `key` and `value` as a JSON number, or `null`.
fn int<W: Write>(w: &mut W, key: &[u8], value: Option<i64>) -> std::io::Result<()> {
    w.write_all(key)?;
    match value {
        Some(n) => w.write_all(Ascii::int(n).as_str().as_bytes()),
        None => w.write_all(b"null"),
    }
}

/// Writes `key` and `value` as a JSON number, or `null`.
fn count<W: Write>(w: &mut W, key: &[u8], value: Option<usize>) -> std::io::Result<()> {
    match value.map(u64::try_from) {
        None => field(w, key, &None::<u64>),
        Some(Ok(n)) => {
            w.write_all(key)?;
            w.write_all(Ascii::uint(n).as_str().as_bytes())
        }
        Some(Err(_)) => field(w, key, &value),
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::model::{Answer, Brief, Inspection, Run, RunStatus, arb};

    /// A run, the choice it picks (by index on the scale) for each item,
    /// and its status (by index).
    type Answered = (Run, Vec<Option<usize>>, u8);

    /// History entries of any template (names and questions with quotes,
    /// controls and hidden characters), answered on its own scales, in
    /// any status and subject.
    fn entries() -> impl Strategy<Value = (Inspection, Vec<Answered>)> {
        (
            arb::inspection(),
            proptest::collection::vec(
                (
                    arb::run(),
                    proptest::collection::vec(proptest::option::of(0..4usize), 0..8),
                    0..3u8,
                ),
                0..16,
            ),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// The JSON written by hand is what serialising the trends gives.
        #[test]
        fn the_trends_written_by_hand_are_their_json((mut template, runs) in entries()) {
            // Every item on the longest scale, so that runs answer them and
            // items regress.
            let longest = template.scales.iter().max_by_key(|(_, c)| c.len()).map(|(k, _)| k.clone());
            // Weights and points as small as a loaded template's.
            for item in template.sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
                if let Some(scale) = &longest {
                    item.scale = scale.clone();
                }
                item.weight %= 5;
            }
            for choice in template.scales.values_mut().flatten() {
                choice.points = choice.points.map(|p| p % 10);
            }
            let template = Arc::new(template);
            let history: Vec<HistoryEntry> = runs
                .into_iter()
                .enumerate()
                .filter_map(|(n, (mut run, picks, status))| {
                    run.answers = template
                        .items()
                        .zip(&picks)
                        .filter_map(|((_, item), pick)| {
                            let choice = template.choices(item).get((*pick)?)?;
                            Some((item.id.clone(), Answer::new(choice.id.clone())))
                        })
                        .collect();
                    run.inspection = template.id.clone();
                    run.subject = Id::new(["a", "b"][n % 2]).ok()?;
                    run.supersedes = None;
                    let brief = Brief::from_answers(&template, &run.answers)?;
                    let score = brief.score(&template);
                    Some(HistoryEntry {
                        percent: score.percent(),
                        band: template.band(score.percent()).map(|b| b.label.clone()),
                        score,
                        brief,
                        run: Run { answers: BTreeMap::new(), ..run },
                        template: template.clone(),
                        commit: None,
                        status: [RunStatus::Committed, RunStatus::Uncommitted, RunStatus::Modified]
                            [usize::from(status)],
                        blob: None,
                        superseded_by: None,
                        withdrawn: None,
                    })
                })
                .collect();
            let labels: HashMap<String, Label> = history
                .iter()
                .filter_map(|h| Some((h.run.id.clone(), msg::run_status(h.status)?)))
                .collect();
            let selected: Vec<&HistoryEntry> = history.iter().collect();
            for lang in [Lang::Ja, Lang::En] {
                let trends = JsonTrends {
                    selected: &selected,
                    by: PeriodKind::FiscalQuarter,
                    fiscal: 4,
                    lang,
                    labels: &labels,
                };
                let mut written = Vec::new();
                trends.write(&mut written).unwrap();
                prop_assert_eq!(
                    String::from_utf8(written).unwrap(),
                    escape::to_json_pretty(&trends).unwrap()
                );
            }
        }
    }
}
