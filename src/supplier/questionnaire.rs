//! The questionnaire a supplier fills in (`tenken suppliers export`): one
//! document, built once from the template and the supplier, written as an
//! Excel workbook (`xlsx`, the one to send) or as CSV (UTF-8 with a byte
//! order mark, or CP932 for older tools). Both open with a header block
//! naming the supplier, the inspection, its version and the template's
//! checksum, which `tenken record --answers` checks before it reads the
//! answers ([`check_header`]).
//!
//! Pure: the files are built in memory; the CLI has the store write them.

mod xlsx;

use std::path::Path;

use chrono::NaiveDate;

use crate::error::Error;
use crate::load::answers::Header;
use crate::load::answers::layout::{self, Name};
use crate::model::{Choice, Id, Inspection, Item, Lang, Subject, Text};
use crate::msg;
use crate::msg::export::Place;
use crate::report::csv::{Cell, Sheet};

/// How a CSV questionnaire is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CsvEncoding {
    /// UTF-8 with a byte order mark, which Excel opens correctly.
    #[default]
    #[value(name = "utf-8")]
    Utf8,
    /// CP932 (the Windows form of Shift-JIS), for tools that read nothing else.
    Cp932,
}

/// The file format of a questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum QuestionnaireFormat {
    /// A comma-separated table.
    #[default]
    Csv,
    /// An Excel workbook with drop-downs, protection and print setup.
    Xlsx,
}

/// Returns the lowercase hex SHA-256 of the template's canonical form:
/// [`Inspection::content_hash`], the digest a run records as its
/// `inspection_hash`, so a questionnaire names exactly the questions asked.
pub fn template_checksum(template: &Inspection) -> Result<String, Error> {
    template
        .content_hash()
        .map_err(|e| Error::Internal(format!("template `{}`: {e}", template.id)))
}

/// A questionnaire for one supplier and one inspection.
#[derive(Debug, Clone)]
pub struct Questionnaire<'a> {
    /// The checklist asked.
    pub template: &'a Inspection,
    /// The supplier asked.
    pub subject: &'a Subject,
    /// The language put first (and used for the drop-down's answers).
    pub lang: Lang,
    /// [`template_checksum`] of the template.
    pub checksum: String,
    /// The day it is written.
    pub exported: NaiveDate,
}

impl<'a> Questionnaire<'a> {
    /// Builds the questionnaire of `template` for `subject`.
    pub fn new(
        template: &'a Inspection,
        subject: &'a Subject,
        lang: Lang,
        exported: NaiveDate,
    ) -> Result<Self, Error> {
        Ok(Self {
            template,
            subject,
            lang,
            checksum: template_checksum(template)?,
            exported,
        })
    }

    /// The language put second.
    fn other(&self) -> Lang {
        match self.lang {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// Returns the title: the inspection's and the word questionnaire.
    fn title(&self) -> String {
        format!(
            "{} — {}",
            self.template.title.get(self.lang),
            self.lang
                .pick("質問票 / Questionnaire", "Questionnaire / 質問票")
        )
    }

    /// Returns the header block's fields with their values, in order.
    fn fields(&self) -> Vec<(Name, String)> {
        vec![
            (
                layout::SUPPLIER_NAME,
                self.subject.name.get(self.lang).to_owned(),
            ),
            (layout::SUPPLIER, self.subject.id.to_string()),
            (
                layout::INSPECTION_TITLE,
                self.template.title.get(self.lang).to_owned(),
            ),
            (layout::INSPECTION, self.template.id.to_string()),
            (layout::VERSION, self.template.version.to_string()),
            (layout::CHECKSUM, self.checksum.clone()),
            (layout::EXPORTED, self.exported.to_string()),
        ]
    }

    /// Returns a text in the first language, then the second if it differs.
    fn both(&self, text: &Text) -> (String, Option<String>) {
        let (first, second) = (text.get(self.lang), text.get(self.other()));
        (
            first.to_owned(),
            (first != second).then(|| second.to_owned()),
        )
    }

    /// Returns the labels of the choices that need a note for `item`.
    fn note_required(&self, item: &Item) -> Vec<String> {
        item.note_required_for
            .iter()
            .filter_map(|id| self.template.choice(item, id.as_str()))
            .map(|c| c.label.get(self.lang).to_owned())
            .collect()
    }

    /// Returns the scales the items use, in the order first used, each with
    /// the items that use it.
    fn scales(&self) -> Vec<(&'a Id, &'a [Choice], Vec<&'a Id>)> {
        let mut out: Vec<(&Id, &[Choice], Vec<&Id>)> = Vec::new();
        for (_, item) in self.template.items() {
            match out.iter_mut().find(|(s, _, _)| **s == item.scale) {
                Some((_, _, items)) => items.push(&item.id),
                None => out.push((&item.scale, self.template.choices(item), vec![&item.id])),
            }
        }
        out
    }

    /// Writes the questionnaire as CSV: the header block, the instructions,
    /// an empty row, then the table (`item,section,question_…,choices,
    /// note_required,choice,note,evidence`); every row as wide as the
    /// table, CRLF line ends, through the one CSV writer with its formula
    /// guard (`report::csv::Sheet`).
    ///
    /// CP932 cannot hold every character: the JIS forms of a few symbols
    /// are written as the CP932 forms that look the same (〜 as ～, — as ―,
    /// ‖ as ∥, ¢ £ ¬ ¦ in full width); anything else it lacks is an error
    /// naming the item (or header field) and the character.
    pub fn to_csv(&self, encoding: CsvEncoding) -> Result<Vec<u8>, Error> {
        let rows = self.csv_rows();
        let width = rows.iter().map(|(_, cells)| cells.len()).max().unwrap_or(0);
        let mut sheet = Sheet::new(encoding == CsvEncoding::Utf8);
        for (_, cells) in &rows {
            let mut cells: Vec<Cell> = cells
                .iter()
                .map(|(data, text)| {
                    if *data {
                        Cell::Text(text.clone())
                    } else {
                        Cell::Plain(text.clone())
                    }
                })
                .collect();
            cells.resize_with(width, || Cell::Plain(String::new()));
            sheet.row(cells);
        }
        let text = sheet.finish();
        match encoding {
            CsvEncoding::Utf8 => Ok(text.into_bytes()),
            CsvEncoding::Cp932 => {
                // Each cell is checked first, so that an error can name it.
                for (place, cells) in &rows {
                    for (_, text) in cells {
                        cp932(text).map_err(|c| unencodable(place, c))?;
                    }
                }
                cp932(&text).map_err(|c| unencodable(&Place::File, c))
            }
        }
    }

    /// The CSV rows, each with the place an encoding error names; each
    /// cell says whether its text comes from data (and is guarded).
    fn csv_rows(&self) -> Vec<(Place, Vec<(bool, String)>)> {
        let ours = |s: &str| (false, s.to_owned());
        let data = |s: &str| (true, s.to_owned());
        let mut rows = vec![(Place::Title, vec![data(&self.title())])];
        for (name, value) in self.fields() {
            rows.push((
                Place::Field(name.key.to_owned()),
                vec![ours(&name.one_line()), data(&value)],
            ));
        }
        for (label, text) in [
            ("記入のしかた", csv_instructions(Lang::Ja)),
            ("How to fill in", csv_instructions(Lang::En)),
        ] {
            rows.push((Place::Instructions, vec![ours(label), ours(text)]));
        }
        rows.push((Place::File, Vec::new()));
        let question = |l: Lang| match l {
            Lang::Ja => layout::QUESTION_JA.key,
            Lang::En => layout::QUESTION_EN.key,
        };
        rows.push((
            Place::TableHeader,
            [
                layout::ITEM.key,
                layout::SECTION.key,
                question(self.lang),
                question(self.other()),
                layout::CHOICES.key,
                layout::NOTE_REQUIRED.key,
                layout::CHOICE.key,
                layout::NOTE.key,
                layout::EVIDENCE.key,
            ]
            .map(ours)
            .to_vec(),
        ));
        for (section, item) in self.template.items() {
            let label = |c: &Choice| match self.both(&c.label) {
                (first, Some(second)) => format!("{} = {first} / {second} ({})", c.key, c.id),
                (first, None) => format!("{} = {first} ({})", c.key, c.id),
            };
            let choices: Vec<String> = self.template.choices(item).iter().map(label).collect();
            rows.push((
                Place::Item(item.id.to_string()),
                vec![
                    ours(item.id.as_str()),
                    data(section.title.get(self.lang)),
                    data(item.title.get(self.lang)),
                    data(item.title.get(self.other())),
                    data(&choices.join("; ")),
                    data(&self.note_required(item).join(", ")),
                    ours(""),
                    ours(""),
                    ours(""),
                ],
            ));
        }
        rows
    }

    /// Writes the questionnaire as an Excel workbook (see the `xlsx`
    /// module for its layout).
    pub fn to_xlsx(&self) -> Result<Vec<u8>, Error> {
        xlsx::workbook(self).map_err(|e| Error::Internal(format!("writing the workbook: {e}")))
    }
}

/// The CSV's instructions; the workbook has its own (it has a drop-down).
fn csv_instructions(lang: Lang) -> &'static str {
    lang.pick(
        "各項目の choice 欄に回答を書いてください。choices 欄にある番号・ID・ラベル（日本語でも英語でも）のどれでもかまいません。note_required に挙げた回答のときは note 欄に状況を書き、evidence 欄には裏付けとなる資料の名前を 1 行に 1 つ書いてください。ほかの欄と表の上の行は変えないでください。Excel で保存するときは「CSV UTF-8 (コンマ区切り)」を選んでください（「CSV (コンマ区切り)」でも読めます）。",
        "Write the answer in the choice cell of each item: its number, id or label (Japanese or English) from the choices cell. For an answer listed under note_required, describe the situation in the note cell; name the documents that show it in the evidence cell, one per line. Do not change the other cells or the rows above the table. In Excel, save as \"CSV UTF-8 (Comma delimited)\" (plain \"CSV (Comma delimited)\" also works).",
    )
}

/// Encodes `text` in CP932, after swapping the JIS forms of a few symbols
/// for the CP932 forms that look the same; returns the first character
/// CP932 lacks.
fn cp932(text: &str) -> Result<Vec<u8>, char> {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\u{301C}' => '\u{FF5E}', // 〜 → ～
            '\u{2014}' => '\u{2015}', // — → ―
            '\u{2016}' => '\u{2225}', // ‖ → ∥
            '\u{00A2}' => '\u{FFE0}', // ¢ → ￠
            '\u{00A3}' => '\u{FFE1}', // £ → ￡
            '\u{00AC}' => '\u{FFE2}', // ¬ → ￢
            '\u{00A6}' => '\u{FFE4}', // ¦ → ￤
            other => other,
        })
        .collect();
    let mut encoder = encoding_rs::SHIFT_JIS.new_encoder();
    let mut out = vec![0; text.len() * 2 + 16];
    let (result, _, written) = encoder.encode_from_utf8_without_replacement(&text, &mut out, true);
    match result {
        encoding_rs::EncoderResult::InputEmpty => {
            out.truncate(written);
            Ok(out)
        }
        encoding_rs::EncoderResult::Unmappable(c) => Err(c),
        // Two bytes per character at most, plus room: never short.
        encoding_rs::EncoderResult::OutputFull => Err('\u{FFFD}'),
    }
}

fn unencodable(place: &Place, c: char) -> Error {
    Error::user_hint(
        msg::export::not_cp932(place, c),
        msg::export::NOT_CP932_HINT,
    )
}

/// Checks what a questionnaire's header block says against what is being
/// recorded: the supplier and the inspection must be the same, and so must
/// the template's version; the same version with another checksum (a
/// template edited without a new version) is accepted with the returned
/// warning, since the answers are checked against the current template
/// anyway.
pub fn check_header(
    shown: &Path,
    header: &Header,
    template: &Inspection,
    subject: &Id,
) -> Result<Option<msg::Message>, Error> {
    let path = shown.display();
    if let Some(supplier) = header.supplier.as_deref()
        && supplier != subject.as_str()
    {
        let (message, hint) =
            msg::record::other_supplier(&path.to_string(), supplier, subject.as_str());
        return Err(Error::user_hint(message, hint));
    }
    if let Some(inspection) = header.inspection.as_deref()
        && inspection != template.id.as_str()
    {
        let (message, hint) =
            msg::record::other_inspection(&path.to_string(), inspection, template.id.as_str());
        return Err(Error::user_hint(message, hint));
    }
    if let Some(version) = header.version.as_deref()
        && version != template.version.to_string()
    {
        let (message, hint) = msg::record::other_version(
            &path.to_string(),
            version,
            (template.id.as_str(), template.version),
            subject.as_str(),
        );
        return Err(Error::user_hint(message, hint));
    }
    let current = template_checksum(template)?;
    Ok(header
        .checksum
        .as_deref()
        .filter(|c| !c.eq_ignore_ascii_case(&current))
        .map(|c| {
            msg::load::answers::other_copy(
                &path.to_string(),
                template.id.as_str(),
                template.version,
                c.get(..12).unwrap_or(c),
                current.get(..12).unwrap_or(&current),
            )
        }))
}

#[cfg(test)]
mod tests;
