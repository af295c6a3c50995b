//! Why a supplier questionnaire cannot be written as asked: a character
//! CP932 cannot hold, named with where it is in the questionnaire.

use super::{Label, Message};
use crate::model::Lang;

/// Where in a questionnaire a text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The title line.
    Title,
    /// A header field (its key).
    Field(String),
    /// The instructions.
    Instructions,
    /// The table's header row.
    TableHeader,
    /// An item's row (its id).
    Item(String),
    /// Somewhere in the file.
    File,
}

impl Place {
    /// The place in `lang`.
    pub fn get(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Title, Lang::Ja) => "表題".to_owned(),
            (Self::Title, Lang::En) => "the title".to_owned(),
            (Self::Field(key), Lang::Ja) => format!("見出しの欄 `{key}`"),
            (Self::Field(key), Lang::En) => format!("the header field `{key}`"),
            (Self::Instructions, Lang::Ja) => "記入のしかた".to_owned(),
            (Self::Instructions, Lang::En) => "the instructions".to_owned(),
            (Self::TableHeader, Lang::Ja) => "表の見出し行".to_owned(),
            (Self::TableHeader, Lang::En) => "the table's header".to_owned(),
            (Self::Item(id), Lang::Ja) => format!("項目 `{id}`"),
            (Self::Item(id), Lang::En) => format!("item `{id}`"),
            (Self::File, Lang::Ja) => "ファイル".to_owned(),
            (Self::File, Lang::En) => "the file".to_owned(),
        }
    }
}

/// `place` holds `c`, which CP932 cannot.
pub fn not_cp932(place: &Place, c: char) -> Message {
    let code = format!("U+{:04X}", c as u32);
    Message::new(
        format!(
            "{}: `{c}`（{code}）は CP932（Shift_JIS）で書き出せない文字です",
            place.get(Lang::Ja)
        ),
        format!(
            "{} has `{c}` ({code}), which CP932 (Shift_JIS) cannot hold",
            place.get(Lang::En)
        ),
    )
}

/// Other ways to write it.
pub const NOT_CP932_HINT: Label = Label::new(
    "`--encoding utf-8` で書き出す（Excel でも開けます）か、`--format xlsx` で書き出してください",
    "export with --encoding utf-8 (Excel opens it as well), or as --format xlsx",
);
