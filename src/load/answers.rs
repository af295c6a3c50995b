//! Answers given outside the walker (`tenken record --answers FILE`): a RON
//! map `{"1": (choice: "yes", note: "…"), …}` or a CSV table with the
//! header `item,choice,note`. Both are checked against the template, with
//! every problem located (`path:line:column`, or `path:line` for a CSV row).
//! A filled supplier questionnaire (`tenken suppliers export`) is such a
//! CSV table with descriptive columns, which are skipped, and rows left
//! blank for unanswered items. Pure: parses strings.

use std::collections::BTreeMap;
use std::path::Path;

use super::csv;
use super::{Locator, parse};
use crate::error::Diagnostic;
use crate::model::{Answer, Id, Inspection};

/// The format of an answers file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswersFormat {
    /// A RON map from item id to answer.
    Ron,
    /// CSV with an `item,choice,note` header.
    Csv,
}

impl AnswersFormat {
    /// Guesses the format: by extension (`.csv`, `.ron`), else by content
    /// (RON maps start with `{`).
    pub fn detect(path: &Path, src: &str) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Self::Csv,
            Some("ron") => Self::Ron,
            _ => {
                let body = src.trim_start_matches('\u{feff}').trim_start();
                if body.starts_with('{') || body.starts_with("//") || body.starts_with("/*") {
                    Self::Ron
                } else {
                    Self::Csv
                }
            }
        }
    }
}

/// Returns why `answer` is not acceptable for `item` of `inspection`:
/// an unknown item, an unknown choice, or a missing required note.
pub fn answer_problem(inspection: &Inspection, item: &Id, answer: &Answer) -> Option<String> {
    let Some(it) = inspection.item(item.as_str()) else {
        return Some(format!(
            "unknown item `{item}` in inspection `{}`",
            inspection.id
        ));
    };
    if inspection.choice(it, answer.choice.as_str()).is_none() {
        let allowed: Vec<&str> = inspection
            .choices(it)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        return Some(format!(
            "unknown choice `{}` for item `{item}`; allowed: {}",
            answer.choice,
            allowed.join(", ")
        ));
    }
    if it.note_required_for.contains(&answer.choice) && answer.note.trim().is_empty() {
        return Some(format!(
            "item `{item}` needs a note when answered `{}`",
            answer.choice
        ));
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

/// Parses an answers file and checks every answer against `inspection`.
///
/// `path` is only used in diagnostics (and, with no `format`, to detect
/// it). Completeness is not checked here; see [`unanswered`].
pub fn answers_from_str(
    path: &Path,
    src: &str,
    format: AnswersFormat,
    inspection: &Inspection,
) -> Result<BTreeMap<Id, Answer>, Vec<Diagnostic>> {
    match format {
        AnswersFormat::Ron => from_ron(path, src, inspection),
        AnswersFormat::Csv => from_csv(path, src, inspection),
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

/// Columns of the supplier questionnaire (`tenken suppliers export`) that
/// describe an item for the person filling it in; the import skips them.
pub const QUESTIONNAIRE_COLUMNS: &[&str] = &[
    "section",
    "question_ja",
    "question_en",
    "choices",
    "note_required",
];

/// Where the columns are in a CSV answers file.
struct Columns {
    item: usize,
    choice: usize,
    note: Option<usize>,
}

/// Reads the header: `item` and `choice` required, `note` optional, in any
/// order and case; the questionnaire's descriptive columns are skipped and
/// anything else is refused.
fn columns(
    header: &csv::Record,
    row: &dyn Fn(usize, String) -> Diagnostic,
) -> Result<Columns, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let (mut item, mut choice, mut note) = (None, None, None);
    for (i, name) in header.fields.iter().enumerate() {
        let slot = match name.trim().to_ascii_lowercase().as_str() {
            "item" => &mut item,
            "choice" => &mut choice,
            "note" => &mut note,
            known if QUESTIONNAIRE_COLUMNS.contains(&known) => continue,
            other => {
                diags.push(row(
                    header.line,
                    format!(
                        "unknown column `{}`; the header must be `item,choice,note`",
                        crate::escape::line(other)
                    ),
                ));
                continue;
            }
        };
        if slot.replace(i).is_some() {
            diags.push(row(
                header.line,
                format!("column `{}` appears twice in the header", name.trim()),
            ));
        }
    }
    let (Some(item), Some(choice)) = (item, choice) else {
        diags.push(row(
            header.line,
            "the header must name the columns `item` and `choice` (and optionally `note`), as in `item,choice,note`".into(),
        ));
        return Err(diags);
    };
    if diags.is_empty() {
        Ok(Columns { item, choice, note })
    } else {
        Err(diags)
    }
}

fn from_csv(
    path: &Path,
    src: &str,
    inspection: &Inspection,
) -> Result<BTreeMap<Id, Answer>, Vec<Diagnostic>> {
    let records = csv::parse(src).map_err(|e| {
        vec![Diagnostic {
            path: path.to_owned(),
            line: e.line,
            col: e.col,
            message: e.message,
        }]
    })?;
    let row = |line: usize, message: String| Diagnostic {
        path: path.to_owned(),
        line,
        col: 0,
        message,
    };
    let Some((header, rows)) = records.split_first() else {
        return Err(vec![row(
            1,
            "the file is empty; expected the header `item,choice,note`".into(),
        )]);
    };
    let Columns {
        item: item_col,
        choice: choice_col,
        note: note_col,
    } = columns(header, &row)?;
    let mut diags = Vec::new();
    let mut answers = BTreeMap::new();
    let mut first_line: BTreeMap<Id, usize> = BTreeMap::new();
    for record in rows {
        if record.fields.len() != header.fields.len() {
            diags.push(row(
                record.line,
                format!(
                    "the row has {} fields, but the header has {}",
                    record.fields.len(),
                    header.fields.len()
                ),
            ));
            continue;
        }
        let raw_item = record.fields[item_col].trim();
        // Spreadsheets like to capitalise what is typed into a cell.
        let raw_choice = record.fields[choice_col].trim().to_ascii_lowercase();
        let note = note_col.map_or_else(String::new, |c| record.fields[c].clone());
        if raw_choice.is_empty() && note.trim().is_empty() {
            // A questionnaire row left blank: the item is unanswered.
            continue;
        }
        let item = match Id::new(raw_item) {
            Ok(id) => id,
            Err(e) => {
                diags.push(row(record.line, format!("item: {e}")));
                continue;
            }
        };
        let choice = match Id::new(&raw_choice) {
            Ok(id) => id,
            Err(e) => {
                diags.push(row(record.line, format!("choice for item `{item}`: {e}")));
                continue;
            }
        };
        if let Some(first) = first_line.get(&item) {
            diags.push(row(
                record.line,
                format!("item `{item}` is answered twice (first on line {first})"),
            ));
            continue;
        }
        first_line.insert(item.clone(), record.line);
        let mut answer = Answer::new(choice);
        answer.note = note;
        if let Some(message) = answer_problem(inspection, &item, &answer) {
            diags.push(row(record.line, message));
            continue;
        }
        answers.insert(item, answer);
    }
    if diags.is_empty() {
        Ok(answers)
    } else {
        Err(diags)
    }
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
        let format = AnswersFormat::detect(Path::new(path), src);
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
            ["q.csv:2: choice for item `7`: an id must not be empty"]
        );
    }

    #[test]
    fn csv_errors_name_the_row() {
        let src = "item,choice,note\n1,yes,\n\n7,maybe,\n";
        assert_eq!(
            errors("answers.csv", src),
            [
                "answers.csv:4: unknown choice `maybe` for item `7`; allowed: yes, partly, no, unknown"
            ]
        );
        let src = "item,choice,note\n1,unknown,\n9,yes,\n1,yes,\n7,yes\n";
        assert_eq!(
            errors("answers.csv", src),
            [
                "answers.csv:2: item `1` needs a note when answered `unknown`",
                "answers.csv:3: unknown item `9` in inspection `t`",
                "answers.csv:4: item `1` is answered twice (first on line 2)",
                "answers.csv:5: the row has 2 fields, but the header has 3",
            ]
        );
        assert_eq!(
            errors("a.csv", "item,answer\n"),
            [
                "a.csv:1: unknown column `answer`; the header must be `item,choice,note`",
                "a.csv:1: the header must name the columns `item` and `choice` (and optionally `note`), as in `item,choice,note`",
            ]
        );
        assert_eq!(
            errors("a.csv", "item,choice\n1,\"yes\n"),
            ["a.csv:2:3: quoted field is never closed"]
        );
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
                "x:3:17: unknown choice `maybe` for item `7`; allowed: yes, partly, no, unknown",
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
