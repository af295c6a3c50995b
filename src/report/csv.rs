//! The CSV report: one row per answered item of every reported run, for
//! spreadsheets. UTF-8 with a byte-order mark and CRLF line ends by
//! default, so Excel in Japan opens it as UTF-8; RFC 4180 quoting; cells
//! from data that a spreadsheet would take for a formula are prefixed with
//! `'`. Pure.

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
    let mut out = String::new();
    if options.bom {
        out.push('\u{feff}');
    }
    row(
        &mut out,
        HEADER.iter().map(|h| Cell::Plain((*h).to_owned())),
    );
    for run in &report.runs {
        let r = &run.run;
        for it in run.items() {
            let Some(answer) = it.answer else { continue };
            let (action, owner, due) = answer.action.as_ref().map_or_else(
                || (String::new(), String::new(), String::new()),
                |a| (a.text.clone(), a.owner.clone(), a.due.to_string()),
            );
            let number = |n: Option<i64>| Cell::Plain(n.map(|n| n.to_string()).unwrap_or_default());
            row(
                &mut out,
                [
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
                    Cell::Text(answer.evidence.join("\n")),
                    Cell::Text(action),
                    Cell::Text(owner),
                    Cell::Plain(due),
                ],
            );
        }
    }
    out
}

/// A cell: text from data (cleaned and guarded) or a value of ours.
enum Cell {
    Text(String),
    Plain(String),
}

fn row(out: &mut String, cells: impl IntoIterator<Item = Cell>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let value = match cell {
            Cell::Text(s) => guard(&clean(&s)),
            Cell::Plain(s) => s,
        };
        quote_into(out, &value);
    }
    out.push_str("\r\n");
}

/// Prefixes `'` to a cell a spreadsheet would read as a formula (or that
/// starts with a tab or carriage return, which some read past).
pub fn guard(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// Writes a field, quoted (RFC 4180) when it holds a comma, a quote or a
/// line break, with quotes doubled.
fn quote_into(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Quoting and the formula guard on their own; whole files are tested in
/// `tests/integration/report.rs`.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        let mut out = String::new();
        row(
            &mut out,
            [
                Cell::Text("plain 日本語".into()),
                Cell::Text("a, \"b\"\nc".into()),
                Cell::Plain("-1".into()),
            ],
        );
        assert_eq!(out, "plain 日本語,\"a, \"\"b\"\"\nc\",-1\r\n");
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
