//! Answers in an Excel workbook (`.xlsx`), read with calamine into the same
//! [`Table`] a CSV file gives. The workbook comes from outside (a
//! supplier), so it is measured before it is unpacked: at most
//! [`MAX_UNPACKED`] bytes in all its parts, and cells are streamed with a
//! cap instead of laid out as one rectangle (a single cell at `XFD1048576`
//! would otherwise ask for seventeen billion). Pure: bytes in, tables out.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

mod refs;

use super::table::{Cell, Row, Table, column_letters};
use crate::error::Error;
use crate::msg::Message;

/// The most bytes all parts of a workbook may unpack to (a questionnaire of
/// 2,000 items with long notes stays far below).
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;

/// The most parts a workbook may have.
const MAX_PARTS: usize = 10_000;

/// The most non-empty cells read from one workbook.
const MAX_CELLS: usize = 500_000;

/// The widest a row may be; a questionnaire has under ten columns.
const MAX_COLUMNS: usize = 256;

/// The magic number of a ZIP file (an `.xlsx` is one).
pub const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The magic number of an OLE compound file: an old `.xls`, or an `.xlsx`
/// encrypted with a password to open it.
pub const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

fn refused(shown: &Path, what: impl Into<Message>) -> Error {
    let shown = shown.display();
    Error::user_hint(
        what.into().wrap(|_, what| format!("{shown}: {what}")),
        Message::new(
            "Excel で「Excel ブック (*.xlsx)」としてパスワードなしで保存してください",
            "save the questionnaire in Excel as \"Excel Workbook (*.xlsx)\" without a password",
        ),
    )
}

/// A file that is no ZIP archive, so no `.xlsx`.
fn not_xlsx(e: &impl std::fmt::Display) -> Message {
    Message::new(
        format!(".xlsx ブックではありません（{e}）"),
        format!("not an .xlsx workbook ({e})"),
    )
}

/// Reads the sheet that holds the answers: the first, in workbook order,
/// with a header row naming the `item` column (or the first sheet, so that
/// the error names a place).
pub fn table(shown: &Path, bytes: &[u8]) -> Result<Table, Error> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(refused(
            shown,
            Message::new(
                "パスワード付きのブックか古い .xls ファイルで、読み込めません",
                "an encrypted workbook or an old .xls file, which tenken does not read",
            ),
        ));
    }
    if measure(shown, bytes)? {
        let shown = shown.display();
        return Err(Error::user_hint(
            Message::new(
                format!("{shown}: OpenDocument スプレッドシート（.ods）は読み込めません"),
                format!("{shown}: an OpenDocument spreadsheet (.ods), which tenken does not read"),
            ),
            Message::new(
                "LibreOffice では［名前を付けて保存］でファイルの種類「Excel 2007-365 (.xlsx)」を選んでください",
                "in LibreOffice: File > Save As, file type \"Excel 2007-365 (.xlsx)\"",
            ),
        ));
    }
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        refused(
            shown,
            Message::new(
                format!("読み込めるブックではありません: {e}"),
                format!("not a workbook tenken can read: {e}"),
            ),
        )
    })?;
    let names = book.sheet_names();
    let mut cells_left = MAX_CELLS;
    let mut first = None;
    for name in names {
        let table = match sheet(&mut book, &name, &mut cells_left) {
            Ok(t) => t,
            // A chart sheet or the like: nothing to read there.
            Err(SheetError::NotCells) => continue,
            Err(SheetError::TooWide(at)) => {
                let (column, row) = (column_letters(at.1), at.0 + 1);
                return Err(refused(
                    shown,
                    Message::new(
                        format!(
                            "シート `{name}` の {column} 列（セル {column}{row}）に値があり、質問票の範囲を大きく外れています"
                        ),
                        format!(
                            "sheet `{name}` has a value in column {column} (cell {column}{row}), far outside the questionnaire"
                        ),
                    ),
                ));
            }
            Err(SheetError::TooMany) => {
                return Err(refused(
                    shown,
                    Message::new(
                        format!(
                            "セルが {MAX_CELLS} 個を超えています。質問票はずっと少ないはずです"
                        ),
                        format!("more than {MAX_CELLS} cells; a questionnaire has far fewer"),
                    ),
                ));
            }
            Err(SheetError::Read(e)) => {
                return Err(refused(
                    shown,
                    Message::new(
                        format!("シート `{name}` を読み込めません: {e}"),
                        format!("sheet `{name}` cannot be read: {e}"),
                    ),
                ));
            }
        };
        let has_header = table
            .rows
            .iter()
            .any(|r| r.cells.iter().any(|c| super::layout::ITEM.matches(&c.text)));
        if has_header {
            return Ok(table);
        }
        first.get_or_insert(table);
    }
    first.ok_or_else(|| {
        refused(
            shown,
            Message::new(
                "ブックに値の入ったシートがありません",
                "the workbook has no sheet with cells",
            ),
        )
    })
}

/// Unpacks every part of the workbook into nothing, counting bytes, and
/// refuses it when the total passes [`MAX_UNPACKED`]; the sizes a ZIP file
/// declares are not trusted. Returns true for an OpenDocument spreadsheet
/// (its `mimetype` part says so).
fn measure(shown: &Path, bytes: &[u8]) -> Result<bool, Error> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| refused(shown, not_xlsx(&e)))?;
    if zip.len() > MAX_PARTS {
        return Err(refused(
            shown,
            Message::new(
                format!(
                    "ブックの部品が {} 個あります。上限は {MAX_PARTS} 個です",
                    zip.len()
                ),
                format!(
                    "the workbook has {} parts; the limit is {MAX_PARTS}",
                    zip.len()
                ),
            ),
        ));
    }
    let mut total: u64 = 0;
    let mut open_document = false;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| refused(shown, not_xlsx(&e)))?;
        if part.name().is_ok_and(|n| n == "mimetype") {
            let mut kind = Vec::new();
            let _ = (&mut part).take(100).read_to_end(&mut kind);
            open_document = kind.starts_with(b"application/vnd.oasis.opendocument");
            total += kind.len() as u64;
        }
        let left = MAX_UNPACKED - total;
        let name = part
            .name()
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default();
        let mut xml = Vec::new();
        let read = (&mut part)
            .take(left + 1)
            .read_to_end(&mut xml)
            .map_err(|e| {
                refused(
                    shown,
                    Message::new(
                        format!("ブックが壊れています（{e}）"),
                        format!("the workbook is damaged ({e})"),
                    ),
                )
            })?;
        total += read as u64;
        if total > MAX_UNPACKED {
            return Err(refused(
                shown,
                Message::new(
                    format!(
                        "ブックを展開すると {} MiB を超えます。質問票はずっと小さいはずです",
                        MAX_UNPACKED / 1024 / 1024
                    ),
                    format!(
                        "the workbook unpacks to more than {} MiB; a questionnaire is far smaller",
                        MAX_UNPACKED / 1024 / 1024
                    ),
                ),
            ));
        }
        if let Some(reference) = refs::first_bad(&xml) {
            return Err(refused(
                shown,
                Message::new(
                    format!(
                        "ブックが壊れています: `{name}` のセル参照 `{reference}` が Excel のシートの範囲外か、範囲の始点と終点が逆です"
                    ),
                    format!(
                        "the workbook is damaged: `{name}` has the cell reference `{reference}`, outside an Excel sheet or a range with its corners reversed"
                    ),
                ),
            ));
        }
    }
    Ok(open_document)
}

enum SheetError {
    NotCells,
    TooWide((usize, usize)),
    TooMany,
    Read(calamine::XlsxError),
}

/// Streams the cells of sheet `name` into rows.
fn sheet<R: Read + std::io::Seek>(
    book: &mut Xlsx<R>,
    name: &str,
    cells_left: &mut usize,
) -> Result<Table, SheetError> {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Err(SheetError::NotCells),
        Err(e) => return Err(SheetError::Read(e)),
    };
    let mut rows: BTreeMap<usize, BTreeMap<usize, String>> = BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(SheetError::Read)? {
        let text = text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        let at = (row as usize, col as usize);
        if at.1 >= MAX_COLUMNS {
            return Err(SheetError::TooWide(at));
        }
        *cells_left = cells_left.checked_sub(1).ok_or(SheetError::TooMany)?;
        rows.entry(at.0).or_default().insert(at.1, text);
    }
    let rows = rows
        .into_iter()
        .map(|(row, cells)| {
            let width = cells.keys().next_back().map_or(0, |c| c + 1);
            let mut cells = cells;
            Row {
                cells: (0..width)
                    .map(|col| Cell {
                        text: cells.remove(&col).unwrap_or_default(),
                        at: (row, col),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Table {
        sheet: Some(name.to_owned()),
        rows,
    })
}

/// Returns a cell's value as the text a person sees: whole numbers without
/// a decimal point (a key typed as `2` is stored as the number 2).
fn text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(n) => n.to_string(),
        #[allow(clippy::cast_possible_truncation)] // checked: whole and in range
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::Error(e) => format!("#{e:?}"),
        DataRef::Empty => String::new(),
    }
}
