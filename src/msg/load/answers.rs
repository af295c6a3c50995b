//! Answers files and questionnaires: a cell or an answer that does not fit
//! the template, a table without its header, CSV that does not parse, and
//! the warning about a questionnaire written from another copy of the
//! template.

use crate::msg::Message;

/// An item id the template does not have.
pub fn unknown_item(item: &str, inspection: &str) -> Message {
    Message::new(
        format!("点検 `{inspection}` に項目 `{item}` はありません"),
        format!("unknown item `{item}` in inspection `{inspection}`"),
    )
}

/// A choice id the item's scale does not have (a RON answers file or a
/// run); `allowed` lists the choices.
pub fn unknown_choice(choice: &str, item: &str, allowed: &str) -> Message {
    Message::new(
        format!("項目 `{item}` に選択肢 `{choice}` はありません。使える選択肢: {allowed}"),
        format!("unknown choice `{choice}` for item `{item}`; allowed: {allowed}"),
    )
}

/// The answer needs a note and has none.
pub fn note_needed(item: &str, choice: &str) -> Message {
    Message::new(
        format!("項目 `{item}` を `{choice}` と答えるときはメモが必要です"),
        format!("item `{item}` needs a note when answered `{choice}`"),
    )
}

/// The note of an answer is over the limit.
pub fn note_too_long(item: &str, bytes: usize, limit: usize) -> Message {
    Message::new(
        format!("項目 `{item}` のメモが {bytes} バイトあります。上限は {limit} バイトです"),
        format!("the note of item `{item}` is {bytes} bytes; the limit is {limit} bytes"),
    )
}

/// A cell that is not an answer of the item: neither a choice id, key
/// nor label. `allowed` lists every form of every choice.
pub fn not_an_answer(cell: &str, item: &str, allowed: &str) -> Message {
    Message::new(
        format!("`{cell}` は項目 `{item}` の回答として使えません。使える回答: {allowed}"),
        format!("`{cell}` is not an answer for item `{item}`; allowed: {allowed}"),
    )
}

/// A cell that is the label of several answers (`ids` joined).
pub fn ambiguous_label(cell: &str, item: &str, ids: &str) -> Message {
    Message::new(
        format!(
            "`{cell}` は項目 `{item}` の複数の回答（{ids}）のラベルです。回答の ID かキーを書いてください"
        ),
        format!(
            "`{cell}` is the label of more than one answer for item `{item}` ({ids}); write the answer's id or key"
        ),
    )
}

/// A header cell that names no column tenken knows.
pub fn unknown_column(name: &str) -> Message {
    Message::new(
        format!(
            "列 `{name}` は使えません。見出しは `item,choice,note` としてください（`evidence` は任意）"
        ),
        format!(
            "unknown column `{name}`; the header must be `item,choice,note` (`evidence` optional)"
        ),
    )
}

/// A column named twice in the header.
pub fn column_twice(name: &str) -> Message {
    Message::new(
        format!("見出しに列 `{name}` が2回あります"),
        format!("column `{name}` appears twice in the header"),
    )
}

/// The header lacks `item` or `choice`.
pub fn header_needs_columns() -> Message {
    Message::new(
        "見出しには `item` と `choice` の列が必要です（`note` と `evidence` は任意）。例: `item,choice,note`",
        "the header must name the columns `item` and `choice` (and optionally `note` and `evidence`), as in `item,choice,note`",
    )
}

/// The file has no rows.
pub fn empty_file() -> Message {
    Message::new(
        "ファイルが空です。見出し `item,choice,note` が必要です",
        "the file is empty; expected the header `item,choice,note`",
    )
}

/// No row names the `item` column.
pub fn no_header_row() -> Message {
    Message::new(
        "見出しの行がありません。`item` と `choice` の列（`note` と `evidence` は任意）を名付ける行が必要です。例: `item,choice,note`",
        "no header row: the file needs a row naming the columns `item` and `choice` (and optionally `note` and `evidence`), as in `item,choice,note`",
    )
}

/// A CSV row longer than the header.
pub fn row_too_wide(fields: usize, header: usize) -> Message {
    Message::new(
        format!("この行には {fields} 個の値がありますが、見出しは {header} 列です"),
        format!("the row has {fields} fields, but the header has {header}"),
    )
}

/// A value in a column the header does not name.
pub fn outside_the_columns() -> Message {
    Message::new(
        "見出しのない列に値があります。回答は表の列の中に書いてください",
        "a value in a column without a header; write answers only in the table's columns",
    )
}

/// The `item` cell is not an id (`why` says what is wrong with it).
pub fn item_cell(why: Message) -> Message {
    why.wrap(|lang, why| match lang {
        crate::model::Lang::Ja => format!("`item` 列: {why}"),
        crate::model::Lang::En => format!("item: {why}"),
    })
}

/// Where an earlier answer is: a CSV line or a spreadsheet cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line of a CSV file.
    Line(usize),
    /// A cell of a workbook (`A12`).
    Cell(String),
}

/// The same item answered in two rows.
pub fn answered_twice(item: &str, first: &Place) -> Message {
    let (ja, en) = match first {
        Place::Line(n) => (format!("{n} 行目"), format!("line {n}")),
        Place::Cell(cell) => (format!("セル {cell}"), cell.clone()),
    };
    Message::new(
        format!("項目 `{item}` に2回答えています（最初は {ja}）"),
        format!("item `{item}` is answered twice (first on {en})"),
    )
}

/// A row with a note or evidence but an empty answer.
pub fn no_answer(item: &str, allowed: &str) -> Message {
    Message::new(
        format!("項目 `{item}` にメモか証跡がありますが、回答がありません。使える回答: {allowed}"),
        format!("item `{item}` has a note or evidence but no answer; allowed: {allowed}"),
    )
}

/// A character after a quoted CSV field's closing quote (`shown` is the
/// character, described).
pub fn after_closing_quote(shown: &str) -> Message {
    Message::new(
        format!(
            "閉じる `\"` の後に {shown} があります。値全体を `\"` で囲み、中の `\"` は `\"\"` と2つ重ねてください"
        ),
        format!(
            "unexpected {shown} after a closing quote; put the whole field in quotes and double any quote inside it"
        ),
    )
}

/// A quote inside a CSV field that is not quoted.
pub fn quote_in_plain_field() -> Message {
    Message::new(
        "`\"` で囲まれていない値の中に `\"` があります。値全体を `\"` で囲み、中の `\"` は `\"\"` と書いてください",
        "a quote inside an unquoted field; put the whole field in quotes and write the quote as `\"\"`",
    )
}

/// A quoted CSV field without its closing quote.
pub fn never_closed() -> Message {
    Message::new(
        "`\"` で始まる値が閉じていません",
        "quoted field is never closed",
    )
}

/// A RON answers file was given as text where a workbook was meant
/// (a caller's mistake; the command line reads workbooks as bytes).
pub fn workbook_not_text() -> Message {
    Message::new(
        "ブックはテキストとしては読めません。バイト列として読んでください",
        "a workbook is not text; read it as bytes",
    )
}

/// The questionnaire's template checksum is not the current template's,
/// at the same version: accepted, with this warning (`path: …`).
pub fn other_copy(path: &str, inspection: &str, version: u32, was: &str, now: &str) -> Message {
    Message::new(
        format!(
            "{path}: この質問票は `{inspection}` 版 {version} の別の写しから作られています（チェックリストの SHA-256 {was}…、現在は {now}…）。回答は現在のチェックリストで確かめました"
        ),
        format!(
            "{path}: this questionnaire was written from another copy of `{inspection}` version {version} (template SHA-256 {was}…, now {now}…); its answers were checked against the current template"
        ),
    )
}
