//! Answers given outside the walker (`tenken record --answers FILE`): a RON
//! map `{"1": (choice: "yes", note: "…"), …}`, a CSV table with the header
//! `item,choice,note` (UTF-8 or CP932), or a filled supplier questionnaire
//! (`tenken suppliers export`) as CSV or `.xlsx`. All are checked against
//! the template, with every problem located (`path:line:column`, or
//! `path:sheet!cell` in a workbook). Pure: parses bytes and strings.

mod choice;
mod decode;
pub mod layout;
mod table;
mod xlsx;

pub use choice::{allowed, normalise, resolve};
pub use decode::Encoding;
pub use table::{Header, column_letters};
pub use xlsx::MAX_UNPACKED;

use std::collections::BTreeMap;
use std::path::Path;

use super::csv;
use super::{Locator, parse};
use crate::error::{Diagnostic, Error};
use crate::model::{Answer, Id, Inspection};
use crate::msg::Message;
use crate::msg::load::{answers as words, file as file_words};

/// The format of an answers file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswersFormat {
    /// A RON map from item id to answer.
    Ron,
    /// CSV with an `item,choice,note` header.
    Csv,
    /// An Excel workbook (`.xlsx`) with the same columns.
    Xlsx,
}

impl AnswersFormat {
    /// Guesses the format: a workbook by its first bytes (whatever its
    /// name), else by extension (`.xlsx`, `.csv`, `.ron`), else by content
    /// (RON maps start with `{`).
    pub fn detect(path: &Path, src: &[u8]) -> Self {
        if src.starts_with(xlsx::ZIP_MAGIC) || src.starts_with(xlsx::OLE_MAGIC) {
            return Self::Xlsx;
        }
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("xlsx" | "xlsm" | "xls") => Self::Xlsx,
            Some("csv") => Self::Csv,
            Some("ron") => Self::Ron,
            _ => {
                let body = src
                    .strip_prefix(b"\xEF\xBB\xBF")
                    .unwrap_or(src)
                    .trim_ascii_start();
                if body.starts_with(b"{") || body.starts_with(b"//") || body.starts_with(b"/*") {
                    Self::Ron
                } else {
                    Self::Csv
                }
            }
        }
    }
}

/// What an answers file held.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The answers, each checked against the template.
    pub answers: BTreeMap<Id, Answer>,
    /// What the questionnaire's header block says (all `None` for a plain
    /// answers file or RON).
    pub header: Header,
    /// The encoding a CSV file was read in.
    pub encoding: Option<Encoding>,
}

/// Reads an answers file in any format [`AnswersFormat::detect`] finds and
/// checks every answer against `inspection`.
///
/// `shown` names the file in messages. Content problems are
/// [`Error::Invalid`] with every problem located; an encoding or workbook
/// tenken cannot read is a user error with hints on how to save it.
/// Completeness is not checked here; see [`unanswered`].
pub fn answers_from_bytes(
    shown: &Path,
    bytes: &[u8],
    inspection: &Inspection,
) -> Result<Imported, Error> {
    match AnswersFormat::detect(shown, bytes) {
        AnswersFormat::Xlsx => {
            let sheet = xlsx::table(shown, bytes)?;
            let (answers, header) =
                table::answers(shown, &sheet, inspection).map_err(Error::Invalid)?;
            Ok(Imported {
                answers,
                header,
                encoding: None,
            })
        }
        AnswersFormat::Csv => {
            let (src, encoding) = decode::decode(shown, bytes)?;
            let (answers, header) = from_csv(shown, &src, inspection).map_err(Error::Invalid)?;
            Ok(Imported {
                answers,
                header,
                encoding: Some(encoding),
            })
        }
        AnswersFormat::Ron => {
            let src = std::str::from_utf8(bytes).map_err(|e| {
                let (line, col) =
                    Locator::new(&String::from_utf8_lossy(&bytes[..e.valid_up_to()])).end();
                Error::Invalid(vec![Diagnostic {
                    path: shown.to_owned(),
                    line,
                    col,
                    message: file_words::not_utf8(),
                }])
            })?;
            Ok(Imported {
                answers: from_ron(shown, src, inspection).map_err(Error::Invalid)?,
                header: Header::default(),
                encoding: None,
            })
        }
    }
}

/// Returns why `answer` is not acceptable for `item` of `inspection`:
/// an unknown item, an unknown choice, or a missing required note.
pub fn answer_problem(inspection: &Inspection, item: &Id, answer: &Answer) -> Option<Message> {
    let Some(it) = inspection.item(item.as_str()) else {
        return Some(words::unknown_item(item.as_str(), inspection.id.as_str()));
    };
    if inspection.choice(it, answer.choice.as_str()).is_none() {
        return Some(words::unknown_choice(
            answer.choice.as_str(),
            item.as_str(),
            &allowed(inspection.choices(it)),
        ));
    }
    if it.note_required_for.contains(&answer.choice) && answer.note.trim().is_empty() {
        return Some(words::note_needed(item.as_str(), answer.choice.as_str()));
    }
    super::note_too_long(item, &answer.note)
}

/// Returns the items of `inspection` without an answer, in walk order.
pub fn unanswered<'a>(inspection: &'a Inspection, answers: &BTreeMap<Id, Answer>) -> Vec<&'a Id> {
    inspection
        .items()
        .map(|(_, i)| &i.id)
        .filter(|id| !answers.contains_key(*id))
        .collect()
}

/// Parses an answers file given as text (RON or CSV) and checks every
/// answer against `inspection`.
///
/// `path` is only used in diagnostics. Completeness is not checked here;
/// see [`unanswered`]. A workbook is bytes: see [`answers_from_bytes`].
pub fn answers_from_str(
    path: &Path,
    src: &str,
    format: AnswersFormat,
    inspection: &Inspection,
) -> Result<BTreeMap<Id, Answer>, Vec<Diagnostic>> {
    match format {
        AnswersFormat::Ron => from_ron(path, src, inspection),
        AnswersFormat::Csv => from_csv(path, src, inspection).map(|(answers, _)| answers),
        AnswersFormat::Xlsx => Err(vec![Diagnostic {
            path: path.to_owned(),
            line: 1,
            col: 1,
            message: words::workbook_not_text(),
        }]),
    }
}

fn from_ron(
    path: &Path,
    src: &str,
    inspection: &Inspection,
) -> Result<BTreeMap<Id, Answer>, Vec<Diagnostic>> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let answers: BTreeMap<Id, Answer> = parse(path, src).map_err(|d| vec![d])?;
    let loc = Locator::new(src);
    let mut diags = Vec::new();
    for (item, answer) in &answers {
        if let Some(message) = answer_problem(inspection, item, answer) {
            let key = loc.key(0, item.as_str());
            let at = if inspection.item(item.as_str()).is_some() {
                loc.field(key.unwrap_or(0), "choice", answer.choice.as_str())
                    .or(key)
            } else {
                key
            };
            let (line, col) = at.map_or((1, 1), |o| loc.position(o));
            diags.push(Diagnostic {
                path: path.to_owned(),
                line,
                col,
                message,
            });
        }
    }
    if diags.is_empty() {
        Ok(answers)
    } else {
        Err(diags)
    }
}

/// Reads CSV text as a table of answers.
fn from_csv(
    path: &Path,
    src: &str,
    inspection: &Inspection,
) -> Result<(BTreeMap<Id, Answer>, Header), Vec<Diagnostic>> {
    let records = csv::parse(src).map_err(|e| {
        vec![Diagnostic {
            path: path.to_owned(),
            line: e.line,
            col: e.col,
            message: e.message,
        }]
    })?;
    let rows = records
        .into_iter()
        .map(|r| table::Row {
            cells: r
                .fields
                .into_iter()
                .zip(r.starts)
                .map(|(text, at)| table::Cell { text, at })
                .collect(),
        })
        .collect();
    let sheet = table::Table { sheet: None, rows };
    table::answers(path, &sheet, inspection)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"Inspection(
    format: 1, id: "t", version: 1, title: (en: "T"), source: "tests",
    scales: { "s": [
        Choice(id: "yes", key: '1', label: (en: "Yes"), points: Some(2)),
        Choice(id: "partly", key: '2', label: (en: "Partly"), points: Some(1)),
        Choice(id: "no", key: '3', label: (en: "No"), points: Some(0)),
        Choice(id: "unknown", key: '4', label: (en: "?"), points: Some(-1)),
    ] },
    sections: [ Section(id: "a", title: (en: "A"), items: [
        Item(id: "1", scale: "s", title: (en: "One"), note_required_for: ["no", "unknown"]),
        Item(id: "7", scale: "s", title: (en: "Seven")),
    ]) ],
)"#;

    fn template() -> Inspection {
        crate::load::inspection_from_str(Path::new("t.ron"), TEMPLATE, Some("t")).unwrap()
    }

    fn errors(path: &str, src: &str) -> Vec<String> {
        let format = AnswersFormat::detect(Path::new(path), src.as_bytes());
        answers_from_str(Path::new(path), src, format, &template())
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn reads_csv_with_bom_crlf_and_a_multi_line_note() {
        let src = "\u{feff}Item,Choice,Note\r\n1,no,\"two\r\nlines, \"\"quoted\"\"\"\r\n7,yes,\r\n";
        let got =
            answers_from_str(Path::new("a.csv"), src, AnswersFormat::Csv, &template()).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[&Id::new("1").unwrap()].note, "two\nlines, \"quoted\"");
        assert_eq!(got[&Id::new("7").unwrap()].choice.as_str(), "yes");
    }

    #[test]
    fn reads_a_filled_questionnaire_skipping_its_descriptive_columns_and_blank_rows() {
        let src = "\u{feff}item,section,question_en,question_ja,choices,note_required,choice,note\r\n\
                   1,A,One,一,\"yes = Yes; no = No\",\"no, unknown\",No,\"not yet, sorry\"\r\n\
                   7,A,Seven,七,\"yes = Yes; no = No\",,,\r\n";
        let got =
            answers_from_str(Path::new("q.csv"), src, AnswersFormat::Csv, &template()).unwrap();
        assert_eq!(got.len(), 1, "the blank row is unanswered: {got:?}");
        assert_eq!(got[&Id::new("1").unwrap()].choice.as_str(), "no");
        assert_eq!(got[&Id::new("1").unwrap()].note, "not yet, sorry");
        // A note without a choice is still an error.
        let src = "item,choice,note\n7,,why\n";
        assert_eq!(
            errors("q.csv", src),
            [
                "q.csv:2:3: item `7` has a note or evidence but no answer; allowed: yes (1), partly (2), no (3), unknown (4, ?)"
            ]
        );
    }

    #[test]
    fn csv_errors_name_the_cell() {
        let src = "item,choice,note\n1,yes,\n\n7,maybe,\n";
        assert_eq!(
            errors("answers.csv", src),
            [
                "answers.csv:4:3: `maybe` is not an answer for item `7`; allowed: yes (1), partly (2), no (3), unknown (4, ?)"
            ]
        );
        let src = "item,choice,note\n1,unknown,\n9,yes,\n1,yes,\n7,yes,\"a\",b\n";
        assert_eq!(
            errors("answers.csv", src),
            [
                "answers.csv:2:11: item `1` needs a note when answered `unknown`",
                "answers.csv:3:1: unknown item `9` in inspection `t`",
                "answers.csv:4:1: item `1` is answered twice (first on line 2)",
                "answers.csv:5:11: the row has 4 fields, but the header has 3",
            ]
        );
        assert_eq!(
            errors("a.csv", "item,value\n"),
            [
                "a.csv:1:6: unknown column `value`; the header must be `item,choice,note` (`evidence` optional)",
                "a.csv:1:1: the header must name the columns `item` and `choice` (and optionally `note` and `evidence`), as in `item,choice,note`",
            ]
        );
        assert_eq!(
            errors("a.csv", "no,header\n1,yes\n"),
            [
                "a.csv:1:1: no header row: the file needs a row naming the columns `item` and `choice` (and optionally `note` and `evidence`), as in `item,choice,note`",
            ]
        );
        assert_eq!(
            errors("a.csv", "item,choice\n1,\"yes\n"),
            ["a.csv:2:3: quoted field is never closed"]
        );
        // A row without its last, empty fields (as some programs save it)
        // is read as if they were there.
        let got = answers_from_str(
            Path::new("a.csv"),
            "item,choice,note,evidence\n7,yes\n",
            AnswersFormat::Csv,
            &template(),
        )
        .unwrap();
        assert_eq!(got[&Id::new("7").unwrap()].choice.as_str(), "yes");
    }

    #[test]
    fn reads_ron_and_locates_its_errors() {
        let src =
            "{\n  \"1\": (choice: \"no\", note: \"broken\"),\n  \"7\": (choice: \"yes\"),\n}\n";
        let got =
            answers_from_str(Path::new("a.ron"), src, AnswersFormat::Ron, &template()).unwrap();
        assert_eq!(got.len(), 2);
        let src = "{\n  \"1\": (choice: \"no\"),\n  \"7\": (choice: \"maybe\"),\n  \"8\": (choice: \"yes\"),\n}\n";
        assert_eq!(
            errors("x", src),
            [
                "x:2:17: item `1` needs a note when answered `no`",
                "x:3:17: unknown choice `maybe` for item `7`; allowed: yes (1), partly (2), no (3), unknown (4, ?)",
                "x:4:3: unknown item `8` in inspection `t`",
            ]
        );
        // The wording of ron's own errors belongs to the loader's tests.
        let err = errors("a.ron", "{\"1\": (choice: \"yes\", notes: \"\")}");
        assert!(
            err[0].starts_with("a.ron:1:23: ") && err[0].contains("`notes`"),
            "{err:?}"
        );
    }

    #[test]
    fn lists_unanswered_items() {
        let t = template();
        let mut answers = BTreeMap::new();
        assert_eq!(unanswered(&t, &answers).len(), 2);
        answers.insert(Id::new("7").unwrap(), Answer::new(Id::new("yes").unwrap()));
        assert_eq!(unanswered(&t, &answers), [&Id::new("1").unwrap()]);
    }
}
