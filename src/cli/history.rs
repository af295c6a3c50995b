//! `tenken history`: every finished run, oldest first, with score, band and
//! the commit that added it, as an aligned table or JSON (DESIGN §7).
//!
//! The current runs by default; `--all` adds the runs a correction
//! superseded and the withdrawn ones. Run files that are not committed, or
//! differ from their commit, are listed too, marked: they do not count
//! anywhere else.

use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;

use crate::cli::table::Table;
use crate::cli::{Ctx, Format, end_text, print, print_json, text_out};
use crate::error::Result;
use crate::escape;
use crate::model::{CommitId, Id, Lang};
use crate::msg;
use crate::number::{OneDecimal, round1};
use crate::store::{HistoryEntry, HistoryFilter};

/// List finished runs, oldest first
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only runs of this subject
    #[arg(long, value_name = "ID")]
    pub subject: Option<Id>,
    /// Only runs of this inspection
    #[arg(long, value_name = "ID")]
    pub inspection: Option<Id>,
    /// Only runs finished on or after DATE (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = crate::model::parse_date)]
    pub since: Option<NaiveDate>,
    /// Also list runs superseded by a correction and withdrawn runs
    #[arg(long)]
    pub all: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// One element of `history --format json` (borrowed from its entry).
#[derive(Debug, Clone, Serialize)]
struct Row<'a> {
    run: &'a str,
    subject: &'a str,
    inspection: &'a str,
    inspection_version: u32,
    date: NaiveDate,
    inspector: &'a str,
    score: i64,
    max: i64,
    percent: f64,
    band: Option<&'a str>,
    carried: usize,
    commit: Option<CommitId>,
    /// `committed`, `uncommitted`, `modified` or `deleted` (in the work tree).
    status: &'static str,
    /// The run this one corrects, if any.
    supersedes: Option<&'a str>,
    /// The run that corrects this one, if any.
    superseded_by: Option<&'a str>,
    /// The withdrawal of this run, if any.
    withdrawn: Option<WithdrawnRow<'a>>,
}

/// The withdrawal of a run, as `history --format json` shows it.
#[derive(Debug, Clone, Serialize)]
struct WithdrawnRow<'a> {
    reason: &'a str,
    by: &'a str,
    date: NaiveDate,
}

impl<'a> Row<'a> {
    fn new(e: &'a HistoryEntry, lang: Lang) -> Self {
        Self {
            run: &e.run.id,
            subject: e.run.subject.as_str(),
            inspection: e.run.inspection.as_str(),
            inspection_version: e.run.inspection_version,
            date: e.run.date(),
            inspector: e.run.inspector.id.as_str(),
            score: e.score.score,
            max: e.score.max,
            percent: round1(e.percent),
            band: e.band().map(|b| b.get(lang)),
            carried: e.score.carried,
            commit: e.commit,
            status: e.status.as_str(),
            supersedes: e.run.supersedes.as_deref(),
            superseded_by: e.superseded_by.as_deref(),
            withdrawn: e.withdrawn.as_ref().map(|w| WithdrawnRow {
                reason: &w.reason,
                by: w.by.id.as_str(),
                date: w.date.date_naive(),
            }),
        }
    }

    /// Says why the row does not count as the record plainly shows it, or
    /// an empty string.
    fn mark(&self, lang: Lang) -> String {
        let mut marks = Vec::new();
        match self.status {
            "uncommitted" => marks.push(msg::history::NOT_COMMITTED.get(lang).to_owned()),
            "modified" => marks.push(msg::history::MODIFIED.get(lang).to_owned()),
            "deleted" => marks.push(msg::history::DELETED.get(lang).to_owned()),
            _ => {}
        }
        if let Some(by) = &self.superseded_by {
            marks.push(msg::history::superseded_by(lang, by));
        }
        if let Some(w) = &self.withdrawn {
            marks.push(msg::history::withdrawn(lang, w.date, w.by, w.reason));
        }
        marks.join(msg::history::MARK_SEPARATOR.get(lang))
    }
}

/// Prints the runs matching the filters.
pub fn cmd_history(ctx: &Ctx, args: &HistoryArgs) -> Result<()> {
    let store = ctx.store()?;
    let filter = HistoryFilter {
        subject: args.subject.clone(),
        inspection: args.inspection.clone(),
        since: args.since,
        all: args.all,
        // History shows every run file, each marked with where it stands.
        uncommitted: true,
    };
    let listing = store.list_ahead(&filter);
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let entries = crate::cli::kept_to_exit(store.history_listed(&catalog, &filter, listing)?);
    // Each row made from its entry as it is written (nothing collected).
    let rows = entries.iter().map(|e| Row::new(e, lang));
    match args.format {
        Format::Json => print_json(&Rows(&entries, lang)),
        Format::Text if entries.is_empty() => {
            if filter.subject.is_none() && filter.inspection.is_none() && filter.since.is_none() {
                print(msg::history::EMPTY.get(lang))
            } else {
                print(msg::history::NO_MATCH.get(lang))
            }
        }
        Format::Text => {
            let mut out = text_out();
            table(rows, entries.len(), lang, |line| out.piece(line));
            end_text(out)
        }
    }
}

/// The rows of `history --format json`, each made as it is written.
struct Rows<'a>(&'a [HistoryEntry], Lang);

impl Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|e| Row::new(e, self.1)))
    }
}

/// Renders rows as a table aligned by display width (Japanese band labels
/// take two columns per character), handing it to `line` a line at a time.
/// `count` is the number of rows (for the room to reserve).
fn table<'a>(
    rows: impl Iterator<Item = Row<'a>> + Clone,
    count: usize,
    lang: Lang,
    line: impl FnMut(&str),
) {
    let mut header = msg::header(lang, &msg::history::HEADER);
    // Numbers are right-aligned.
    let mut right = vec![false, false, true, true, false, true, false];
    let marked = rows.clone().any(|r| !r.mark(lang).is_empty());
    if marked {
        header.push(msg::history::NOTE.get(lang));
        right.push(false);
    }
    let mut table = Table::new(right, count + 1, 128);
    for h in &header {
        table.cell(h);
    }
    for r in rows {
        table.cell_fmt(format_args!("{}", r.date));
        table.cell(&escape::escape(r.run, escape::Policy::Line));
        table.cell_fmt(format_args!("{}/{}", r.score, r.max));
        table.cell_fmt(format_args!("{}%", OneDecimal(r.percent)));
        match r.band {
            Some(band) => table.cell(&escape::escape(band, escape::Policy::Line)),
            None => table.cell("-"),
        }
        table.cell_fmt(format_args!("{}", r.carried));
        match r.commit {
            // The first 12 hex digits.
            Some(c) => table.cell(&c.hex()[..12]),
            None => table.cell(msg::history::UNCOMMITTED.get(lang)),
        }
        if marked {
            table.cell(&escape::line(&r.mark(lang)));
        }
    }
    table.lines(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(rows: &[Row<'_>], lang: Lang) -> String {
        let mut text = String::new();
        table(rows.iter().cloned(), rows.len(), lang, |line| {
            text.push_str(line);
        });
        text
    }

    #[test]
    fn aligns_wide_characters() {
        let row = |band: &'static str, score| Row {
            run: "self/x/2026-04-01T090000-sato",
            subject: "self",
            inspection: "x",
            inspection_version: 1,
            date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            inspector: "sato",
            score,
            max: 10,
            percent: f64::from(u8::try_from(score).unwrap()) * 10.0,
            band: Some(band),
            carried: 0,
            commit: None,
            status: "uncommitted",
            supersedes: None,
            superseded_by: None,
            withdrawn: None,
        };
        let text = lines(&[row("全項目実施", 10), row("Gaps", 3)], Lang::En);
        assert_eq!(
            text,
            "\
DATE        RUN                            SCORE  PERCENT  BAND        CARRIED  COMMIT       NOTE
2026-04-01  self/x/2026-04-01T090000-sato  10/10   100.0%  全項目実施        0  uncommitted  not committed: does not count
2026-04-01  self/x/2026-04-01T090000-sato   3/10    30.0%  Gaps              0  uncommitted  not committed: does not count
"
        );
    }

    #[test]
    fn japanese_header_and_marks() {
        let row = Row {
            run: "self/x/2026-04-01T090000-sato",
            subject: "self",
            inspection: "x",
            inspection_version: 1,
            date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            inspector: "sato",
            score: 7,
            max: 10,
            percent: 70.0,
            band: None,
            carried: 0,
            commit: None,
            status: "uncommitted",
            supersedes: None,
            superseded_by: Some("self/x/2026-04-02T090000-sato"),
            withdrawn: None,
        };
        assert_eq!(
            lines(&[row], Lang::Ja),
            "\
日付        記録                           得点  達成率  評価  引継ぎ  コミット    備考
2026-04-01  self/x/2026-04-01T090000-sato  7/10   70.0%  -          0  未コミット  未コミット：集計に含まれません／self/x/2026-04-02T090000-sato で訂正済み
"
        );
    }
}
