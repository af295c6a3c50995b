//! CSV for spreadsheets: [`Sheet`], the one writer of every CSV tenken
//! writes (this report and the supplier questionnaire), and the CSV report
//! itself, one row per answered item of every reported run. UTF-8 with a
//! byte-order mark and CRLF line ends by default, so Excel in Japan opens
//! it as UTF-8; RFC 4180 quoting by the `csv` crate; cells from data that
//! a spreadsheet would take for a formula are prefixed with `'`. Pure.
//!
//! (The strict CSV *reader* of answer files is `load::csv`, hand-written
//! for its `line:column` diagnostics.)

use super::{Report, clean};

/// How the CSV is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte-order mark (Excel needs it to read UTF-8).
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self { bom: true }
    }
}

/// The header row: the columns named in issue 9 first, then extras.
pub const HEADER: [&str; 17] = [
    "run",
    "date",
    "subject",
    "inspection",
    "section",
    "item",
    "choice",
    "points",
    "note",
    "question",
    "answer",
    "max",
    "carried",
    "evidence",
    "action",
    "action_owner",
    "action_due",
];

/// Renders one row per answered item; `points` and `max` are weighted
/// (they add up to the run's score and maximum) and empty when the answer
/// is not applicable.
pub fn render(report: &Report, options: CsvOptions) -> String {
    let lang = report.lang;
    let mut sheet = Sheet::new(options.bom);
    sheet.row(HEADER.iter().map(|h| Cell::Plain((*h).to_owned())));
    for run in &report.runs {
        let r = &run.run;
        for it in run.items() {
            let Some(answer) = it.answer else { continue };
            let (action, owner, due) = answer.action.as_ref().map_or_else(
                || (String::new(), String::new(), String::new()),
                |a| (a.text.clone(), a.owner.clone(), a.due.to_string()),
            );
            let number = |n: Option<i64>| Cell::Plain(n.map(|n| n.to_string()).unwrap_or_default());
            sheet.row([
                Cell::Text(r.id.clone()),
                Cell::Plain(r.date().to_string()),
                Cell::Text(r.subject.to_string()),
                Cell::Text(r.inspection.to_string()),
                Cell::Text(it.section.id.to_string()),
                Cell::Text(it.item.id.to_string()),
                Cell::Text(answer.choice.to_string()),
                number(it.points),
                Cell::Text(answer.note.clone()),
                Cell::Text(it.item.title.get(lang).to_owned()),
                Cell::Text(
                    it.choice
                        .map(|c| c.label.get(lang).to_owned())
                        .unwrap_or_default(),
                ),
                number(it.points.and(it.best)),
                Cell::Plain(if answer.carried { "yes" } else { "" }.to_owned()),
                Cell::Text(evidence_cell(&answer.evidence)),
                Cell::Text(action),
                Cell::Text(owner),
                Cell::Plain(due),
            ]);
        }
    }
    sheet.finish()
}

/// A cell: text from data (cleaned and guarded) or a value of ours.
pub enum Cell {
    /// Text that came from data files: terminal controls escaped and the
    /// formula guard applied.
    Text(String),
    /// A value tenken wrote itself (a number, a date, a column name).
    Plain(String),
}

/// Every CSV tenken writes (the report, the supplier questionnaire): one
/// `csv::Writer` with RFC 4180 quoting (only where a comma, quote or line
/// break needs it) and CRLF record ends, one formula guard for data.
pub struct Sheet {
    writer: csv::Writer<Vec<u8>>,
}

impl Sheet {
    /// Starts a sheet, with a UTF-8 byte-order mark when `bom` is set.
    pub fn new(bom: bool) -> Self {
        let start = if bom {
            "\u{feff}".as_bytes().to_vec()
        } else {
            Vec::new()
        };
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(start);
        Self { writer }
    }

    /// Appends one record.
    pub fn row(&mut self, cells: impl IntoIterator<Item = Cell>) {
        let fields = cells.into_iter().map(|cell| match cell {
            Cell::Text(s) => guard(&clean(&s)),
            Cell::Plain(s) => s,
        });
        // Writing to memory cannot fail, and every record of a sheet has
        // the header's length (the writer would refuse a ragged one).
        let _ = self.writer.write_record(fields.collect::<Vec<_>>());
    }

    /// Returns the text written so far.
    pub fn finish(self) -> String {
        let bytes = self
            .writer
            .into_inner()
            .unwrap_or_else(|e| e.into_inner().get_ref().clone());
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Prefixes `'` to a cell a spreadsheet would read as a formula (or that
/// starts with a tab or carriage return, which some read past).
pub fn guard(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// Quoting and the formula guard on their own; whole files are tested in
/// `tests/integration/report.rs`.
/// The evidence of an answer in one cell, one per line: a reference as
/// written, a file as its name and SHA-256 (the digest is what an auditor
/// checks the file against).
fn evidence_cell(evidence: &[crate::model::Evidence]) -> String {
    evidence
        .iter()
        .map(|e| match e {
            crate::model::Evidence::Text(t) => t.clone(),
            crate::model::Evidence::File(f) => format!("{} (sha256:{})", f.name, f.sha256),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        let mut sheet = Sheet::new(true);
        sheet.row([
            Cell::Text("plain 日本語".into()),
            Cell::Text("a, \"b\"\nc".into()),
            Cell::Plain("-1".into()),
        ]);
        sheet.row([
            Cell::Text("=1+1".into()),
            Cell::Text(String::new()),
            Cell::Text("x\u{1b}[2J".into()),
        ]);
        assert_eq!(
            sheet.finish(),
            "\u{feff}plain 日本語,\"a, \"\"b\"\"\nc\",-1\r\n'=1+1,,x\\u{1b}[2J\r\n"
        );
    }

    #[test]
    fn formulas_from_data_are_defused() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard(s), format!("'{s}"));
        }
        assert_eq!(guard("ok=1"), "ok=1");
        assert_eq!(guard(""), "");
    }
}
