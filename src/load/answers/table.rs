//! Answers in a table, whether a CSV file or a workbook's sheet: an
//! optional block of header fields (the questionnaire's supplier,
//! inspection, version and template checksum), then a header row naming
//! the columns, then one row per item. Every problem names its cell:
//! `path:line:col` in a CSV file, `path:sheet!cell` in a workbook. Pure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::choice::{allowed, resolve};
use super::layout::{self, Name};
use crate::error::Diagnostic;
use crate::escape;
use crate::model::{Answer, Evidence, Id, Inspection};
use crate::msg::Message;
use crate::msg::load::{answers as words, syntax};

/// A table read from a CSV file or a sheet.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The sheet's name for a workbook; `None` for a CSV file.
    pub sheet: Option<String>,
    /// The non-blank rows, in order.
    pub rows: Vec<Row>,
}

/// One row: its cells from the first column on, gaps filled with empty
/// cells, so that `cells[i]` is column `i`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The cells; at least one.
    pub cells: Vec<Cell>,
}

/// One cell's text and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The text, as the file holds it.
    pub text: String,
    /// In a CSV file the 1-based line and column the field starts at; in a
    /// sheet the 0-based row and column.
    pub at: (usize, usize),
}

/// What the block above a questionnaire's table says about it; every field
/// is `None` in a plain answers table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// The supplier the questionnaire was written for.
    pub supplier: Option<String>,
    /// The inspection it asks.
    pub inspection: Option<String>,
    /// The template's version.
    pub version: Option<String>,
    /// The SHA-256 of the template's canonical form.
    pub checksum: Option<String>,
}

impl Table {
    /// Returns the diagnostic for `message` at the cell `at`.
    pub fn diagnostic(&self, path: &Path, at: (usize, usize), message: Message) -> Diagnostic {
        match &self.sheet {
            None => Diagnostic {
                path: path.to_owned(),
                line: at.0,
                col: at.1,
                message,
            },
            // A workbook's cell: `path:sheet!C5: message` (line 0 shows the
            // path alone).
            Some(sheet) => Diagnostic {
                path: PathBuf::from(format!("{}:{}", path.display(), cell_ref(sheet, at))),
                line: 0,
                col: 0,
                message,
            },
        }
    }

    /// Names the place of `at` in a message: line 4 or cell A12.
    fn place(&self, at: (usize, usize)) -> words::Place {
        match self.sheet {
            None => words::Place::Line(at.0),
            Some(_) => words::Place::Cell(a1(at)),
        }
    }
}

/// Returns the spreadsheet name of column `col` (0-based): A, B, …, Z, AA.
pub fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Returns `A1` for the 0-based row and column `at`.
fn a1(at: (usize, usize)) -> String {
    format!("{}{}", column_letters(at.1), at.0 + 1)
}

/// Returns `Sheet!C5`, quoting the sheet name as spreadsheets do when it
/// holds anything but letters, digits and underscores.
fn cell_ref(sheet: &str, at: (usize, usize)) -> String {
    let plain = sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        format!("{}!{}", escape::line(sheet), a1(at))
    } else {
        format!("'{}'!{}", escape::line(&sheet.replace('\'', "''")), a1(at))
    }
}

/// Where the columns are.
struct Columns {
    item: usize,
    choice: usize,
    note: Option<usize>,
    evidence: Option<usize>,
    /// How many cells the header row has; a row may have fewer.
    width: usize,
    /// Columns whose header cell is empty: nothing may be written there.
    unnamed: Vec<usize>,
}

/// Reads the header row: `item` and `choice` required, `note` and
/// `evidence` optional, in any order, by key or label (`回答`, `Answer`);
/// the questionnaire's descriptive columns are skipped and anything else
/// is refused.
fn columns(table: &Table, path: &Path, header: &Row) -> Result<Columns, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let (mut item, mut choice, mut note, mut evidence) = (None, None, None, None);
    let mut unnamed = Vec::new();
    for (i, cell) in header.cells.iter().enumerate() {
        let name = cell.text.trim();
        let slot = if name.is_empty() {
            unnamed.push(i);
            continue;
        } else if layout::ITEM.matches(name) {
            &mut item
        } else if layout::CHOICE.matches(name) {
            &mut choice
        } else if layout::NOTE.matches(name) {
            &mut note
        } else if layout::EVIDENCE.matches(name) {
            &mut evidence
        } else if layout::DESCRIPTIVE.iter().any(|d: &Name| d.matches(name)) {
            continue;
        } else {
            diags.push(table.diagnostic(path, cell.at, words::unknown_column(&escape::line(name))));
            continue;
        };
        if slot.replace(i).is_some() {
            diags.push(table.diagnostic(path, cell.at, words::column_twice(&escape::line(name))));
        }
    }
    let (Some(item), Some(choice)) = (item, choice) else {
        diags.push(table.diagnostic(path, header.cells[0].at, words::header_needs_columns()));
        return Err(diags);
    };
    if diags.is_empty() {
        Ok(Columns {
            item,
            choice,
            note,
            evidence,
            width: header.cells.len(),
            unnamed,
        })
    } else {
        Err(diags)
    }
}

/// Reads the header fields from the rows above the header row: in each, the
/// first non-empty cell names a field and the next one is its value; rows
/// that name no field (a title, instructions) are passed over.
fn header_fields(rows: &[Row]) -> Header {
    let mut header = Header::default();
    for row in rows {
        let mut texts = row
            .cells
            .iter()
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty());
        let (Some(label), Some(value)) = (texts.next(), texts.next()) else {
            continue;
        };
        let slot = if layout::SUPPLIER.matches(label) {
            &mut header.supplier
        } else if layout::INSPECTION.matches(label) {
            &mut header.inspection
        } else if layout::VERSION.matches(label) {
            &mut header.version
        } else if layout::CHECKSUM.matches(label) {
            &mut header.checksum
        } else {
            continue;
        };
        slot.get_or_insert_with(|| value.to_owned());
    }
    header
}

/// Reads the answers of `table` and checks each against `inspection`.
///
/// Rows whose answer, note and evidence are all empty are unanswered items
/// (and section rows) and are skipped. Completeness is not checked here.
pub fn answers(
    path: &Path,
    table: &Table,
    inspection: &Inspection,
) -> Result<(BTreeMap<Id, Answer>, Header), Vec<Diagnostic>> {
    let Some(first) = table.rows.first() else {
        return Err(vec![table.diagnostic(
            path,
            if table.sheet.is_some() {
                (0, 0)
            } else {
                (1, 1)
            },
            words::empty_file(),
        )]);
    };
    let Some(at) = table
        .rows
        .iter()
        .position(|r| r.cells.iter().any(|c| layout::ITEM.matches(&c.text)))
    else {
        return Err(vec![table.diagnostic(
            path,
            first.cells[0].at,
            words::no_header_row(),
        )]);
    };
    let header = header_fields(&table.rows[..at]);
    let columns = columns(table, path, &table.rows[at])?;
    let mut diags = Vec::new();
    let mut answers = BTreeMap::new();
    let mut first_at: BTreeMap<Id, (usize, usize)> = BTreeMap::new();
    for row in &table.rows[at + 1..] {
        match answer(table, path, inspection, &columns, row, &mut first_at) {
            Ok(None) => {}
            Ok(Some((item, answer))) => {
                answers.insert(item, answer);
            }
            Err(d) => diags.push(d),
        }
    }
    if diags.is_empty() {
        Ok((answers, header))
    } else {
        Err(diags)
    }
}

/// Reads one row: `None` when it answers nothing. `first_at` has where each
/// item was first answered, to refuse a second answer.
fn answer(
    table: &Table,
    path: &Path,
    inspection: &Inspection,
    columns: &Columns,
    row: &Row,
    first_at: &mut BTreeMap<Id, (usize, usize)>,
) -> Result<Option<(Id, Answer)>, Diagnostic> {
    let here = |col: usize, message: Message| {
        let at = row.cells.get(col).map_or_else(
            // Past the end of a short row: in a sheet, where that cell
            // would be; in CSV, where the row starts.
            || match table.sheet {
                Some(_) => (row.cells[0].at.0, col),
                None => row.cells[0].at,
            },
            |c| c.at,
        );
        table.diagnostic(path, at, message)
    };
    if let Some((i, cell)) = row.cells.iter().enumerate().find(|(i, c)| {
        (*i >= columns.width || columns.unnamed.contains(i)) && !c.text.trim().is_empty()
    }) {
        let message = if table.sheet.is_none() && i >= columns.width {
            words::row_too_wide(row.cells.len(), columns.width)
        } else {
            words::outside_the_columns()
        };
        return Err(table.diagnostic(path, cell.at, message));
    }
    let text = |col: Option<usize>| {
        col.and_then(|c| row.cells.get(c))
            .map_or_else(String::new, |c| c.text.replace("\r\n", "\n"))
    };
    let raw_choice = text(Some(columns.choice));
    let note = text(columns.note);
    let evidence: Vec<String> = text(columns.evidence)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if raw_choice.trim().is_empty() && note.trim().is_empty() && evidence.is_empty() {
        // A questionnaire row left blank, or a section's title row.
        return Ok(None);
    }
    let item = Id::new(text(Some(columns.item)).trim())
        .map_err(|e| here(columns.item, words::item_cell(syntax::bad_id(&e))))?;
    let Some(it) = inspection.item(item.as_str()) else {
        return Err(here(
            columns.item,
            words::unknown_item(item.as_str(), inspection.id.as_str()),
        ));
    };
    let item_at = row
        .cells
        .get(columns.item)
        .map_or(row.cells[0].at, |c| c.at);
    if let Some(first) = first_at.get(&item) {
        return Err(here(
            columns.item,
            words::answered_twice(item.as_str(), &table.place(*first)),
        ));
    }
    first_at.insert(item.clone(), item_at);
    if raw_choice.trim().is_empty() {
        return Err(here(
            columns.choice,
            words::no_answer(item.as_str(), &allowed(inspection.choices(it))),
        ));
    }
    let choice = resolve(inspection, it, &raw_choice).map_err(|m| here(columns.choice, m))?;
    let mut answer = Answer::new(choice.id.clone());
    answer.note = note;
    answer.evidence = evidence.into_iter().map(Evidence::Text).collect();
    if let Some(message) = super::answer_problem(inspection, &item, &answer) {
        return Err(here(columns.note.unwrap_or(columns.choice), message));
    }
    Ok(Some((item, answer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
        assert_eq!(cell_ref("質問票", (11, 3)), "質問票!D12");
        assert_eq!(cell_ref("My sheet", (0, 0)), "'My sheet'!A1");
        assert_eq!(cell_ref("it's", (0, 0)), "'it''s'!A1");
    }
}
