//! The supplier questionnaire's layout: the names of its table columns and
//! of the fields in the block above the table, in both languages. The
//! writer (`supplier::questionnaire`) and the reader (`table`) share them,
//! so a name changed here changes both. Pure: constants and matching.

use super::choice::normalise;

/// The name of a column or a header field: a machine key and the labels a
/// person sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name {
    /// What a tool writes (`item`, `choice`); CSV headers use it.
    pub key: &'static str,
    /// The Japanese label.
    pub ja: &'static str,
    /// The English label.
    pub en: &'static str,
}

impl Name {
    /// Returns the label in both languages on two lines, Japanese first (a
    /// workbook's column header).
    pub fn two_lines(&self) -> String {
        format!("{}\n{}", self.ja, self.en)
    }

    /// Returns the label in both languages on one line (`委託先 / Supplier`).
    pub fn one_line(&self) -> String {
        format!("{} / {}", self.ja, self.en)
    }

    /// Returns true when `cell` names this: its key or either label, alone
    /// or both labels as [`Self::two_lines`] or [`Self::one_line`] write them,
    /// ignoring case, width and spacing.
    pub fn matches(&self, cell: &str) -> bool {
        let known = [normalise(self.key), normalise(self.ja), normalise(self.en)];
        let mut parts = cell
            .split(['\n', '\r'])
            .flat_map(|line| line.split(" / "))
            .map(normalise)
            .filter(|p| !p.is_empty())
            .peekable();
        parts.peek().is_some() && parts.all(|p| known.contains(&p))
    }
}

/// The item id column.
pub const ITEM: Name = Name {
    key: "item",
    ja: "項目",
    en: "Item",
};
/// The section title column (CSV only; a workbook has a row per section).
pub const SECTION: Name = Name {
    key: "section",
    ja: "区分",
    en: "Section",
};
/// The question in both languages (a workbook's one question column).
pub const QUESTION: Name = Name {
    key: "question",
    ja: "質問",
    en: "Question",
};
/// The question in Japanese (CSV).
pub const QUESTION_JA: Name = Name {
    key: "question_ja",
    ja: "質問（日本語）",
    en: "Question (Japanese)",
};
/// The question in English (CSV).
pub const QUESTION_EN: Name = Name {
    key: "question_en",
    ja: "質問（英語）",
    en: "Question (English)",
};
/// The allowed answers of the item (CSV; a workbook has a drop-down).
pub const CHOICES: Name = Name {
    key: "choices",
    ja: "選択肢",
    en: "Choices",
};
/// The answers that need a note.
pub const NOTE_REQUIRED: Name = Name {
    key: "note_required",
    ja: "備考が必要な回答",
    en: "Note needed for",
};
/// The answer: a choice id, key or label.
pub const CHOICE: Name = Name {
    key: "choice",
    ja: "回答",
    en: "Answer",
};
/// The note.
pub const NOTE: Name = Name {
    key: "note",
    ja: "備考",
    en: "Note",
};
/// Evidence, one reference per line.
pub const EVIDENCE: Name = Name {
    key: "evidence",
    ja: "証跡",
    en: "Evidence",
};

/// Columns that describe an item for the person filling it in; the import
/// skips them.
pub const DESCRIPTIVE: &[Name] = &[
    SECTION,
    QUESTION,
    QUESTION_JA,
    QUESTION_EN,
    CHOICES,
    NOTE_REQUIRED,
];

/// The supplier's id (checked against `--subject`).
pub const SUPPLIER: Name = Name {
    key: "supplier",
    ja: "委託先 ID",
    en: "Supplier ID",
};
/// The supplier's name (for people; not read back).
pub const SUPPLIER_NAME: Name = Name {
    key: "supplier_name",
    ja: "委託先",
    en: "Supplier",
};
/// The inspection's id (checked against the recorded inspection).
pub const INSPECTION: Name = Name {
    key: "inspection",
    ja: "点検 ID",
    en: "Inspection ID",
};
/// The inspection's title (for people; not read back).
pub const INSPECTION_TITLE: Name = Name {
    key: "inspection_title",
    ja: "点検",
    en: "Inspection",
};
/// The template's version.
pub const VERSION: Name = Name {
    key: "version",
    ja: "版",
    en: "Version",
};
/// The SHA-256 of the template's canonical form.
pub const CHECKSUM: Name = Name {
    key: "template_sha256",
    ja: "テンプレートの SHA-256",
    en: "Template SHA-256",
};
/// The day the questionnaire was written (for people; not read back).
pub const EXPORTED: Name = Name {
    key: "exported",
    ja: "作成日",
    en: "Exported",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_matches_its_key_and_labels_in_any_width_and_case() {
        for cell in [
            "choice",
            "CHOICE",
            "回答",
            "Answer",
            "回答\nAnswer",
            "回答\r\nanswer",
            "回答 / Answer",
            " ａｎｓｗｅｒ ",
        ] {
            assert!(CHOICE.matches(cell), "{cell:?}");
        }
        for cell in ["", "回答 / Note", "answers", "choice, note"] {
            assert!(!CHOICE.matches(cell), "{cell:?}");
        }
        assert!(SUPPLIER.matches(&SUPPLIER.one_line()));
        assert!(!SUPPLIER_NAME.matches(&SUPPLIER.one_line()));
        assert!(CHECKSUM.matches("テンプレートの SHA-256 / Template SHA-256"));
    }
}
