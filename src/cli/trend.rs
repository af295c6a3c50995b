//! `tenken trend`: score per period for each subject × inspection, with
//! deltas and the items that regressed most often. The numbers come from
//! `crate::compare::trend`; this file only picks the runs and renders.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt::Write as _;
use std::io::Write;

use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};

use crate::cli::ascii::Ascii;
use crate::cli::compare::{begin_history, known, no_runs, read_history};
use crate::cli::{Ctx, Format, end_text, print_json_by, text_out};
use crate::compare::{self, TrendView};
use crate::error::Result;
use crate::escape;
use crate::model::{HistoryEntry, Id, Item, Lang};
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
    let read = begin_history(&store, args.include_uncommitted, false);
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let subject = args.subject.clone();
    let inspection = args.inspection.clone();
    known(&catalog, subject.as_ref(), inspection.as_ref())?;
    let history = read_history(&store, &catalog, read)?;
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
            let mut repeated = RepeatedText::default();
            let Ok(()) = compare::for_each_trend(&selected, by, fiscal, |t| {
                text.clear();
                if !first {
                    text.push('\n');
                }
                first = false;
                write_text(&mut text, t, lang, &labels, &mut repeated);
                out.piece(&text);
                Ok::<(), std::convert::Infallible>(())
            });
            end_text(out)
        }
    }
}

/// A quick hasher for maps keyed by periods, numbers and addresses.
type Quick = foldhash::fast::RandomState;

/// A trend as its entries give it.
type View<'e> = TrendView<'e, &'e HistoryEntry>;

/// Writes one trend into `out`: a line per period, then the most frequent
/// regressions.
fn write_text<'e>(
    out: &mut String,
    t: &View<'e>,
    lang: Lang,
    labels: &HashMap<String, Label>,
    repeated: &mut RepeatedText<'e>,
) {
    out.push_str(&msg::trend::heading(
        lang,
        t.subject.as_str(),
        t.inspection.as_str(),
        t.by,
    ));
    // Each point's period, score and maximum, and the widths of the period
    // and score columns.
    let mut columns = std::mem::take(&mut repeated.columns);
    columns.clear();
    columns.extend(t.points.iter().map(|p| {
        (
            Ascii::period(p.period),
            Ascii::int(p.score.score),
            Ascii::int(p.score.max),
        )
    }));
    let score_len = |(_, score, max): &(Ascii, Ascii, Ascii)| score.len() + 1 + max.len();
    let (mut period_width, mut score_width) = (0, 0);
    for column in &columns {
        period_width = period_width.max(column.0.len());
        score_width = score_width.max(score_len(column));
    }
    for (p, column) in t.points.iter().zip(&columns) {
        let (period, score, max) = column;
        // As `write!(out, "  {period:<period_width$}  {date}  {score:>score_width$}")`.
        out.push_str("  ");
        period.push_to(out);
        pad(out, period_width.saturating_sub(period.len()));
        out.push_str("  ");
        Ascii::date(p.entry.run.date()).push_to(out);
        out.push_str("  ");
        pad(out, score_width.saturating_sub(score_len(column)));
        score.push_to(out);
        out.push('/');
        max.push_to(out);
        out.push_str("  ");
        out.push_str(repeated.percent(p.percent));
        out.push_str("%  ");
        match p.percent_delta {
            Some(delta) => out.push_str(repeated.delta(delta)),
            None => out.push_str("      "),
        }
        out.push_str("  ");
        if let Some(label) = p.band {
            out.push_str(repeated.band(label.get(lang)));
        }
        if p.runs_in_period > 1 {
            out.push_str(&msg::trend::runs_in_period(lang, p.runs_in_period));
        }
        if let Some(label) = labels.get(&p.entry.run.id) {
            let _ = write!(out, "  [{}]", label.get(lang));
        }
        out.push('\n');
    }
    repeated.columns = columns;
    if let (Some(first), Some(last)) = (t.points.first(), t.points.last())
        && t.points.len() > 1
    {
        out.push_str(&msg::trend::overall(
            lang,
            Ascii::period(first.period).as_str(),
            Ascii::period(last.period).as_str(),
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
                repeated.title(r.item, lang),
                r.count,
                Ascii::period(r.last).as_str(),
            ));
        }
    }
}

/// The values the text of trends repeats, each written once a command:
/// percents (`{:>5}` of [`OneDecimal`]), changes (`{:>6}` of
/// [`SignedPct`]), band labels and questions, escaped.
#[derive(Default)]
struct RepeatedText<'e> {
    /// Each percent, by its bits.
    percents: HashMap<u64, String, Quick>,
    /// Each change of percent, by its bits.
    deltas: HashMap<u64, String, Quick>,
    /// Each band label (few: looked up in order).
    bands: Vec<(&'e str, String)>,
    /// Each item's question, by the item's address.
    titles: HashMap<usize, String, Quick>,
    /// The period, score and maximum of each point of the trend being
    /// written (kept for its buffer).
    columns: Vec<(Ascii, Ascii, Ascii)>,
}

impl<'e> RepeatedText<'e> {
    /// Returns `percent` as `{:>5}` of [`OneDecimal`] writes it.
    fn percent(&mut self, percent: f64) -> &str {
        self.percents
            .entry(percent.to_bits())
            .or_insert_with(|| format!("{:>5}", OneDecimal(percent)))
    }

    /// Returns `delta` as `{:>6}` of [`SignedPct`] writes it.
    fn delta(&mut self, delta: f64) -> &str {
        self.deltas
            .entry(delta.to_bits())
            .or_insert_with(|| format!("{:>6}", SignedPct(delta)))
    }

    /// Returns `label` escaped for a line.
    fn band(&mut self, label: &'e str) -> &str {
        let i = if let Some(i) = self.bands.iter().position(|(l, _)| *l == label) {
            i
        } else {
            self.bands.push((label, escape::line(label)));
            self.bands.len() - 1
        };
        self.bands.get(i).map_or("", |(_, shown)| shown)
    }

    /// Returns the question of `item` in `lang` escaped for a line (`lang`
    /// is the same for every call).
    fn title(&mut self, item: &Item, lang: Lang) -> &str {
        self.titles
            .entry(std::ptr::from_ref(item) as usize)
            .or_insert_with(|| escape::line(item.title.get(lang)))
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
        let mut repeated = Repeated::default();
        w.write_all(b"[")?;
        compare::for_each_trend(self.selected, self.by, self.fiscal, |t| {
            w.write_all(if first { b"\n  {" } else { b",\n  {" })?;
            first = false;
            string(w, b"\n    \"subject\": ", t.subject.as_str())?;
            string(w, b",\n    \"inspection\": ", t.inspection.as_str())?;
            field(w, b",\n    \"by\": ", &t.by)?;
            w.write_all(b",\n    \"periods\": [")?;
            for (n, p) in t.points.iter().enumerate() {
                w.write_all(if n == 0 { b"\n      {" } else { b",\n      {" })?;
                w.write_all(repeated.period(p.period)?)?;
                string(w, b",\n        \"run\": ", &p.entry.run.id)?;
                text(w, b",\n        \"date\": ", Ascii::date(p.entry.run.date()))?;
                count(w, b",\n        \"runs\": ", Some(p.runs_in_period))?;
                int(w, b",\n        \"score\": ", Some(p.score.score))?;
                int(w, b",\n        \"max\": ", Some(p.score.max))?;
                w.write_all(b",\n        \"percent\": ")?;
                w.write_all(repeated.number(Some(round1(p.percent)))?)?;
                w.write_all(b",\n        \"band\": ")?;
                w.write_all(repeated.band(p.band.map(|b| b.get(lang)))?)?;
                int(w, b",\n        \"score_delta\": ", p.score_delta)?;
                w.write_all(b",\n        \"percent_delta\": ")?;
                w.write_all(repeated.number(p.percent_delta.map(round1))?)?;
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
                w.write_all(b",\n        \"title\": ")?;
                w.write_all(repeated.title(r.item, lang)?)?;
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

/// The values the JSON of trends repeats (periods, numbers, band labels,
/// questions), each serialised once a command and kept as bytes: ten
/// thousand points name few periods, percents and labels, and the
/// regressions of hundreds of trends the questions of a few templates.
#[derive(Default)]
struct Repeated<'e> {
    /// Each period's `period`, `start` and `end` fields.
    periods: HashMap<Period, Vec<u8>, Quick>,
    /// Each number (by its bits), `null` for none.
    numbers: HashMap<Option<u64>, Vec<u8>, Quick>,
    /// Each band label, `null` for none.
    bands: Vec<(Option<&'e str>, Vec<u8>)>,
    /// Each item's question (by the item's address: the templates outlive
    /// the command's output).
    titles: HashMap<usize, Vec<u8>, Quick>,
}

impl<'e> Repeated<'e> {
    /// Returns the `period`, `start` and `end` fields of `period` (from the
    /// line break before `period` to the end of `end`'s value).
    fn period(&mut self, period: Period) -> std::io::Result<&[u8]> {
        Ok(match self.periods.entry(period) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                let mut json = Vec::new();
                text(&mut json, b"\n        \"period\": ", Ascii::period(period))?;
                text(
                    &mut json,
                    b",\n        \"start\": ",
                    Ascii::date(period.start()),
                )?;
                text(
                    &mut json,
                    b",\n        \"end\": ",
                    Ascii::date(period.end()),
                )?;
                slot.insert(json)
            }
        })
    }

    /// Returns `value` as JSON, or `null`.
    fn number(&mut self, value: Option<f64>) -> std::io::Result<&[u8]> {
        Ok(match self.numbers.entry(value.map(f64::to_bits)) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(json(&value)?),
        })
    }

    /// Returns `label` as JSON, or `null`.
    fn band(&mut self, label: Option<&'e str>) -> std::io::Result<&[u8]> {
        let i = if let Some(i) = self.bands.iter().position(|(l, _)| *l == label) {
            i
        } else {
            self.bands.push((label, json(&label)?));
            self.bands.len() - 1
        };
        Ok(self.bands.get(i).map_or(&[][..], |(_, json)| json))
    }

    /// Returns the question of `item` in `lang` as JSON (`lang` is the
    /// same for every call).
    fn title(&mut self, item: &Item, lang: Lang) -> std::io::Result<&[u8]> {
        Ok(match self.titles.entry(std::ptr::from_ref(item) as usize) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(json(item.title.get(lang))?),
        })
    }
}

/// Returns `value` as JSON.
fn json<T: Serialize + ?Sized>(value: &T) -> std::io::Result<Vec<u8>> {
    let mut json = Vec::new();
    escape::write_json_pretty(&mut json, value).map_err(std::io::Error::from)?;
    Ok(json)
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
#[expect(
    clippy::needless_bitwise_bool,
    reason = "without an early exit the loop is vectorised"
)]
fn is_plain(value: &[u8]) -> bool {
    value.iter().fold(true, |plain, &b| {
        plain & (b' '..=b'~').contains(&b) & (b != b'"') & (b != b'\\')
    })
}

/// Writes `key` and `value` between quotes.
fn quoted<W: Write>(w: &mut W, key: &[u8], value: &[u8]) -> std::io::Result<()> {
    w.write_all(key)?;
    w.write_all(b"\"")?;
    w.write_all(value)?;
    w.write_all(b"\"")
}

/// Writes `key` and `value` as a JSON number, or `null`.
fn int<W: Write>(w: &mut W, key: &[u8], value: Option<i64>) -> std::io::Result<()> {
    w.write_all(key)?;
    match value {
        Some(n) => w.write_all(Ascii::int(n).as_bytes()),
        None => w.write_all(b"null"),
    }
}

/// Writes `key` and `value` as a JSON number, or `null`.
fn count<W: Write>(w: &mut W, key: &[u8], value: Option<usize>) -> std::io::Result<()> {
    match value.map(u64::try_from) {
        None => field(w, key, &None::<u64>),
        Some(Ok(n)) => {
            w.write_all(key)?;
            w.write_all(Ascii::uint(n).as_bytes())
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
    use crate::model::{
        Answer, Brief, Choice, Inspection, Name, Run, RunStatus, Section, Text, arb,
    };

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
                    proptest::collection::vec(proptest::option::weighted(0.9, 0..3usize), 0..8),
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
            // items regress: at least two items, and three choices, the
            // first two with other points.
            let longest = template.scales.iter().max_by_key(|(_, c)| c.len()).map(|(k, _)| k.clone());
            let longest = longest.unwrap_or_else(|| Id::new("scale").unwrap());
            let choices = template.scales.entry(longest.clone()).or_default();
            for k in choices.len()..3 {
                choices.push(Choice {
                    id: Id::new(&format!("c{k}")).unwrap(),
                    key: 'k',
                    label: Text::new("選択", "Choice"),
                    points: Some(1),
                });
            }
            choices[0].points = Some(0);
            choices[1].points = Some(2);
            if template.items().count() < 2 {
                let item = |id: &str| Item {
                    id: Id::new(id).unwrap(),
                    scale: longest.clone(),
                    title: Text::new("「問い」\u{202e}", "\"Question\"\t"),
                    guidance: Text::default(),
                    staff: Text::default(),
                    note_required_for: Vec::new(),
                    reference: Name::default(),
                    editions: None,
                    weight: 1,
                };
                template.sections.push(Section {
                    id: Id::new("added").unwrap(),
                    title: Text::default(),
                    items: vec![item("q1"), item("q2")],
                });
            }
            // Weights and points as small as a loaded template's.
            for item in template.sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
                item.scale = longest.clone();
                item.weight %= 5;
            }
            for choice in template.scales.values_mut().flatten() {
                choice.points = choice.points.map(|p| p % 10);
            }
            // A later version of the same items with other questions: each
            // regression is named by the question of its own template.
            let mut later = template.clone();
            later.version = later.version.wrapping_add(1);
            for item in later.sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
                item.title = Text::new(
                    format!("{}（改）", item.title.get(Lang::Ja)),
                    format!("{} (rev)", item.title.get(Lang::En)),
                );
            }
            let versions = [Arc::new(template), Arc::new(later)];
            let history: Vec<HistoryEntry> = runs
                .into_iter()
                .enumerate()
                .filter_map(|(n, (mut run, picks, status))| {
                    // Subject a answers the first version, b both in turn.
                    let template = versions[n % 2 * (n / 2 % 2)].clone();
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
