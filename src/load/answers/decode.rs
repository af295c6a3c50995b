//! The text of a CSV answers file, in the encodings spreadsheets save CSV
//! in: UTF-8 with or without a byte order mark (Excel's "CSV UTF-8"), or
//! CP932 (`Shift_JIS` as Windows writes it: what Excel in Japan saves as
//! plain "CSV"). Anything else is refused with the way to save it right.
//! Pure: bytes in, text out.

use std::path::Path;

use crate::error::Error;
use crate::load::Locator;
use crate::msg::Message;

/// The encoding a CSV file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte order mark (or plain ASCII).
    Utf8,
    /// UTF-8 with a byte order mark.
    Utf8Bom,
    /// CP932 (Windows `Shift_JIS`).
    Cp932,
}

impl Encoding {
    /// Returns the name shown to people.
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf8Bom => "UTF-8 with BOM",
            Self::Cp932 => "CP932 (Shift_JIS)",
        }
    }
}

/// The hints that close every encoding error: what works, and how to get
/// it out of Excel.
fn hints() -> Vec<Message> {
    vec![
        Message::new(
            "読み込めるのは .xlsx ブック、または UTF-8（BOM 付き・なし）か CP932（Shift_JIS）の CSV です",
            "tenken reads answers as .xlsx workbooks, or as CSV in UTF-8 (with or without BOM) or CP932 (Shift_JIS)",
        ),
        Message::new(
            "Excel では［名前を付けて保存］で「CSV UTF-8 (コンマ区切り) (*.csv)」を選ぶか、.xlsx のまま保存してください",
            "in Excel: File > Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\", or keep the workbook as .xlsx",
        ),
    ]
}

/// Decodes `bytes` as UTF-8 (a byte order mark is removed) or, failing
/// that, as CP932; `shown` names the file in messages.
///
/// CP932 is taken only when every byte sequence is valid CP932 and none
/// decodes to the user-defined area (U+E000–U+F8FF), which real Japanese
/// text does not use but Western single-byte text (Windows-1252, Latin-1)
/// misread as CP932 often does.
pub fn decode(shown: &Path, bytes: &[u8]) -> Result<(String, Encoding), Error> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let shown = shown.display();
        return Err(Error::User {
            message: Message::new(
                format!(
                    "{shown}: UTF-16 のファイル（Excel の「Unicode テキスト」）は読み込めません"
                ),
                format!(
                    "{shown}: the file is UTF-16 (Excel's \"Unicode Text\"), which tenken does not read"
                ),
            ),
            hints: hints(),
        });
    }
    let (body, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let utf8_error = match std::str::from_utf8(body) {
        Ok(text) => {
            let encoding = if bom {
                Encoding::Utf8Bom
            } else {
                Encoding::Utf8
            };
            return Ok((text.to_owned(), encoding));
        }
        Err(e) => e,
    };
    if !bom
        && let Some(text) =
            encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(body)
        && !text.chars().any(|c| ('\u{E000}'..='\u{F8FF}').contains(&c))
    {
        return Ok((text.into_owned(), Encoding::Cp932));
    }
    let valid = &body[..utf8_error.valid_up_to()];
    let (line, col) = Locator::new(&String::from_utf8_lossy(valid)).end();
    let what = if bom {
        Message::new(
            "UTF-8 の BOM で始まっていますが、UTF-8 として正しくありません",
            "the file starts with a UTF-8 byte order mark but is not valid UTF-8",
        )
    } else {
        Message::new(
            "UTF-8 でも CP932（Shift_JIS）でもないテキストです",
            "the file is neither UTF-8 nor CP932 (Shift_JIS) text",
        )
    };
    let at = format!("{}:{line}:{col}", shown.display());
    Err(Error::User {
        message: what.wrap(|_, what| format!("{at}: {what}")),
        hints: hints(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    fn sjis(s: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(s);
        assert!(!unmappable);
        bytes.into_owned()
    }

    fn ok(bytes: &[u8]) -> (String, Encoding) {
        decode(Path::new("a.csv"), bytes).unwrap()
    }

    #[test]
    fn reads_utf8_with_and_without_bom_and_cp932() {
        let text = "item,choice\npolicy,確認できた\n";
        assert_eq!(ok(text.as_bytes()), (text.to_owned(), Encoding::Utf8));
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(ok(&bom), (text.to_owned(), Encoding::Utf8Bom));
        assert_eq!(ok(&sjis(text)), (text.to_owned(), Encoding::Cp932));
        // Windows' own characters: circled digits, the full-width tilde.
        let windows = "①～㈱髙";
        assert_eq!(ok(&sjis(windows)).0, windows);
        assert_eq!(ok(b"plain ascii").1, Encoding::Utf8);
    }

    #[test]
    fn other_encodings_are_refused_with_the_way_out() {
        let err = |bytes: &[u8]| match decode(Path::new("a.csv"), bytes).unwrap_err() {
            Error::User { message, hints } => (message, hints),
            other => panic!("{other:?}"),
        };
        // Windows-1252 ("supplier’s café"): not UTF-8, and not CP932 either.
        let (message, hints) = err(b"item,note\n1,supplier\x92s caf\xe9\n");
        assert_eq!(
            message.get(Lang::En),
            "a.csv:2:11: the file is neither UTF-8 nor CP932 (Shift_JIS) text"
        );
        assert_eq!(
            message.get(Lang::Ja),
            "a.csv:2:11: UTF-8 でも CP932（Shift_JIS）でもないテキストです"
        );
        assert!(
            hints[1].get(Lang::Ja).contains("CSV UTF-8 (コンマ区切り)"),
            "{hints:?}"
        );
        assert!(
            hints[1]
                .get(Lang::En)
                .contains("CSV UTF-8 (Comma delimited)"),
            "{hints:?}"
        );
        // Valid CP932 byte pairs that land in the user-defined area.
        let en = |bytes: &[u8]| err(bytes).0.get(Lang::En).to_owned();
        assert!(en(b"a,\xF0\x40\n").contains("neither UTF-8 nor CP932"));
        assert!(en(b"\xFF\xFEi\x00").contains("UTF-16"));
        assert!(en(b"\xEF\xBB\xBFitem,\x82\xa0\n").contains("byte order mark"));
    }
}
