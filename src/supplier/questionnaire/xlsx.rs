//! The questionnaire as an Excel workbook, for a supplier to fill in.
//!
//! One sheet holds everything, so nothing hides behind a tab the supplier
//! never opens, the whole questionnaire prints as one job, and a glance
//! down one column shows what is still unanswered; each section starts
//! with a title row. From the top:
//!
//! - a header block (title, supplier, inspection, version, the template's
//!   SHA-256, date), which `record --answers` reads back and checks;
//! - instructions in Japanese and English, and the answers of each scale;
//! - the table: item, question (first language, then the other in grey),
//!   answer (a drop-down of the choice labels in the first language),
//!   note, evidence, and the answers that need a note.
//!
//! The sheet is protected (no password: it guards against slips, not
//! people) with only the answer, note and evidence cells open, in yellow;
//! columns and rows may still be resized. Row heights are set from the
//! text they hold (neither Excel nor LibreOffice fits rows of wrapped text
//! when it opens a file), with room for two lines of answer at least. It
//! prints on A4 landscape, one page wide, with the table's header row
//! repeated on every page. A hidden, protected second sheet holds the
//! drop-down lists.

use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::Questionnaire;
use crate::load::answers::column_letters;
use crate::load::answers::layout::{self, Name};
use crate::model::Lang;

/// The table's columns, left to right, with their widths in characters.
const COLUMNS: [(Name, f64); 6] = [
    (layout::ITEM, 12.0),
    (layout::QUESTION, 56.0),
    (layout::CHOICE, 16.0),
    (layout::NOTE, 38.0),
    (layout::EVIDENCE, 28.0),
    (layout::NOTE_REQUIRED, 20.0),
];
const ITEM: u16 = 0;
const QUESTION: u16 = 1;
const CHOICE: u16 = 2;
const NOTE: u16 = 3;
const EVIDENCE: u16 = 4;
const NOTE_REQUIRED: u16 = 5;
const LAST: u16 = 5;

/// The hidden sheet with the drop-down lists.
const LISTS: &str = "tenken_choices";

/// Points per line of 11-point text: Japanese fonts need about 18, Latin
/// ones 15.
fn line_height(lang: Lang) -> f64 {
    match lang {
        Lang::Ja => 18.0,
        Lang::En => 15.0,
    }
}

/// Points per line of the 9-point text (the question in the other
/// language, the answers that need a note).
const SMALL_LINE_HEIGHT: f64 = 13.0;

/// How much wider a column is for 9-point text than for 11-point.
const SMALL_WIDTH: f64 = 11.0 / 9.0;

/// The formats of the sheet.
struct Formats {
    title: Format,
    label: Format,
    value: Format,
    prose: Format,
    head: Format,
    section: Format,
    locked: Format,
    small: Format,
    grey: Format,
    plain: Format,
    input: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0x00A6_A6A6));
        Self {
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new()
                .set_bold()
                .set_align(FormatAlign::Right)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0x00F2_F2F2)),
            value: Format::new().set_align(FormatAlign::Left),
            prose: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            head: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0x00D9_D9D9)),
            section: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0x00DD_EBF7)),
            small: cell.clone().set_font_size(9),
            locked: cell.clone(),
            grey: Format::new()
                .set_font_color(Color::RGB(0x0066_6666))
                .set_font_size(9),
            plain: Format::new(),
            input: cell
                .set_unlocked()
                .set_background_color(Color::RGB(0x00FF_F2CC)),
        }
    }
}

/// Returns the rows wrapped `text` takes in a cell `width` characters wide
/// (a wide character counts two; a tenth is kept for the font's margins).
fn lines(text: &str, width: f64) -> f64 {
    let usable = (width * 0.9).max(1.0);
    text.split('\n')
        .map(|para| {
            #[allow(clippy::cast_precision_loss)] // widths are small
            let w = UnicodeWidthStr::width(para) as f64;
            (w / usable).ceil().max(1.0)
        })
        .sum()
}

/// Returns the width of the merged columns `first..=last`.
fn width(first: u16, last: u16) -> f64 {
    COLUMNS[usize::from(first)..=usize::from(last)]
        .iter()
        .map(|(_, w)| w)
        .sum()
}

/// Escapes `&`, which starts a code in a page header or footer.
fn header_text(s: &str) -> String {
    s.replace('&', "&&").chars().take(100).collect()
}

/// Builds the workbook.
pub fn workbook(q: &Questionnaire<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(
        u16::try_from(chrono::Datelike::year(&q.exported)).unwrap_or(2000),
        u8::try_from(chrono::Datelike::month(&q.exported)).unwrap_or(1),
        u8::try_from(chrono::Datelike::day(&q.exported)).unwrap_or(1),
    )?;
    book.set_properties(
        &DocProperties::new()
            .set_title(q.title())
            .set_subject(q.subject.name.get(q.lang))
            .set_comment(format!(
                "tenken questionnaire: {} version {} for {}",
                q.template.id, q.template.version, q.subject.id
            ))
            // The file's own date is the export's, so the same export gives
            // the same bytes.
            .set_creation_datetime(&date),
    );
    let scales = q.scales();
    for (n, (_, choices, _)) in scales.iter().enumerate() {
        let col = column_letters(n);
        book.define_name(
            format!("choices_{}", n + 1),
            &format!("={LISTS}!${col}$1:${col}${}", choices.len().max(1)),
        )?;
    }
    let formats = Formats::new();
    let sheet = book.add_worksheet();
    sheet.set_name(q.lang.pick("質問票", "Questionnaire"))?;
    questionnaire(sheet, q, &formats)?;

    let lists = book.add_worksheet();
    lists.set_name(LISTS)?;
    for (n, (_, choices, _)) in scales.iter().enumerate() {
        let col = u16::try_from(n).unwrap_or(u16::MAX);
        for (row, choice) in (0u32..).zip(choices.iter()) {
            lists.write_string(row, col, choice.label.get(q.lang))?;
        }
    }
    lists.protect();
    lists.set_hidden(true);
    book.save_to_buffer()
}

/// Writes the questionnaire sheet.
fn questionnaire(
    sheet: &mut Worksheet,
    q: &Questionnaire<'_>,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (col, (_, w)) in (0u16..).zip(COLUMNS.iter()) {
        sheet.set_column_width(col, *w)?;
    }
    sheet.merge_range(0, 0, 0, LAST, &q.title(), &f.title)?;
    sheet.set_row_height(0, 24)?;
    let mut row: u32 = 1;
    for (name, value) in q.fields() {
        sheet.merge_range(row, ITEM, row, QUESTION, &name.one_line(), &f.label)?;
        sheet.merge_range(row, CHOICE, row, LAST, &value, &f.value)?;
        row += 1;
    }
    row += 1;
    let scales = q.scales();
    let mut prose = vec![
        instructions(q.lang).to_owned(),
        instructions(q.other()).to_owned(),
    ];
    for (_, choices, items) in &scales {
        let answers: Vec<String> = choices
            .iter()
            .map(|c| match q.both(&c.label) {
                (first, Some(second)) => format!("{first} ({second})"),
                (first, None) => first,
            })
            .collect();
        // Only the scales fewer items use name their items.
        let most = scales.iter().map(|(_, _, i)| i.len()).max().unwrap_or(0);
        let which = if items.len() < most {
            let ids: Vec<&str> = items.iter().map(|i| i.as_str()).collect();
            format!(" [{}]", ids.join(", "))
        } else {
            String::new()
        };
        prose.push(format!(
            "回答の選択肢 / Answers{which}: {}",
            answers.join(q.lang.pick("・", " · "))
        ));
    }
    for text in &prose {
        sheet.merge_range(row, ITEM, row, LAST, text, &f.prose)?;
        let height = lines(text, width(ITEM, LAST)) * line_height(Lang::Ja) + 4.0;
        sheet.set_row_height(row, height)?;
        row += 1;
    }
    row += 1;

    let header_row = row;
    for (col, (name, _)) in (0u16..).zip(COLUMNS.iter()) {
        sheet.write_string_with_format(row, col, name.two_lines(), &f.head)?;
    }
    let head_lines = COLUMNS
        .iter()
        .map(|(name, w)| lines(&name.two_lines(), *w))
        .fold(1.0, f64::max);
    sheet.set_row_height(row, head_lines * line_height(Lang::Ja) + 4.0)?;
    row += 1;
    let first_item_row = row + 1;
    let mut section_id = None;
    let mut runs: Vec<(u32, u32, usize)> = Vec::new();
    for (section, item) in q.template.items() {
        if section_id != Some(&section.id) {
            section_id = Some(&section.id);
            let title = match q.both(&section.title) {
                (first, Some(second)) => format!("{first} / {second}"),
                (first, None) => first,
            };
            sheet.merge_range(row, ITEM, row, LAST, &title, &f.section)?;
            row += 1;
        }
        sheet.write_string_with_format(row, ITEM, item.id.as_str(), &f.locked)?;
        let question_width = COLUMNS[usize::from(QUESTION)].1;
        let mut height = match q.both(&item.title) {
            (first, Some(second)) => {
                sheet.write_rich_string_with_format(
                    row,
                    QUESTION,
                    &[
                        (&f.plain, first.as_str()),
                        (&f.grey, &format!("\n{second}")),
                    ],
                    &f.locked,
                )?;
                lines(&first, question_width) * line_height(q.lang)
                    + lines(&second, question_width * SMALL_WIDTH) * SMALL_LINE_HEIGHT
            }
            (first, None) => {
                sheet.write_string_with_format(row, QUESTION, &first, &f.locked)?;
                lines(&first, question_width) * line_height(q.lang)
            }
        };
        for col in [CHOICE, NOTE, EVIDENCE] {
            sheet.write_blank(row, col, &f.input)?;
        }
        let sep = q.lang.pick("、", ", ");
        let needs_note = q.note_required(item).join(sep);
        let note_width = COLUMNS[usize::from(NOTE_REQUIRED)].1 * SMALL_WIDTH;
        height = height
            .max(lines(&needs_note, note_width) * SMALL_LINE_HEIGHT)
            .max(2.0 * line_height(q.lang));
        sheet.write_string_with_format(row, NOTE_REQUIRED, &needs_note, &f.small)?;
        sheet.set_row_height(row, height + 4.0)?;
        let scale = scales
            .iter()
            .position(|(s, _, _)| **s == item.scale)
            .unwrap_or(0);
        match runs.last_mut() {
            Some((_, last, s)) if *s == scale && *last + 1 == row => *last = row,
            _ => runs.push((row, row, scale)),
        }
        row += 1;
    }
    for (first, last, scale) in runs {
        let list = DataValidation::new()
            .allow_list_formula(Formula::new(format!("=choices_{}", scale + 1)))
            .set_input_title("回答 / Answer")?
            .set_input_message("▼ から選んでください。\nPick an answer from ▼.")?
            .set_error_title("回答 / Answer")?
            .set_error_message(
                "一覧の中から選んでください。\nPlease pick one of the answers in the list.",
            )?;
        sheet.add_data_validation(first, CHOICE, last, CHOICE, &list)?;
    }

    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    });
    // Open at the first answer.
    sheet.set_selection(first_item_row, CHOICE, first_item_row, CHOICE)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    sheet.set_header(format!(
        "&L{}&R{} v{}",
        header_text(q.subject.name.get(q.lang)),
        header_text(q.template.id.as_str()),
        q.template.version
    ));
    sheet.set_footer("&C&P / &N");
    Ok(())
}

/// How to fill in the workbook.
fn instructions(lang: Lang) -> &'static str {
    lang.pick(
        "記入のしかた：各項目の「回答」欄を選んで ▼ を押し、当てはまるものを選んでください。「備考が必要な回答」に挙げた回答を選んだときは、「備考」欄に状況や今後の予定を書いてください。「証跡」欄には、裏付けとなる資料（規程、認証の証明書、報告書など）の名前を 1 行に 1 つ書いてください。記入できるのは黄色の欄だけです。記入が終わったら、Excel ブック（.xlsx）のまま保存して返送してください。",
        "How to fill in: select the Answer cell of each item, press ▼ and pick the answer that fits. When you pick an answer listed under \"Note needed for\", describe the situation and your plans in the Note cell. In the Evidence cell, name the documents that show it (policies, certificates, reports), one per line. Only the yellow cells can be edited. When you are done, save the file as an Excel workbook (.xlsx) and send it back.",
    )
}
