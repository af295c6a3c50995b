//! RON that does not parse: the parser's errors, and values refused by
//! their type (an id, an edition, a date), in both languages.
//!
//! The English follows ron's own words where tenken has none of its own
//! (lower-case, backticks instead of double quotes, no final period).

use crate::escape;
use crate::model::{Edition, Id, IdError};
use crate::msg::Message;

/// Returns the words for a RON error; `limit` is the nesting limit.
pub fn ron_error(code: &ron::Error, limit: usize) -> Message {
    let list = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let found_in = |found: &str, outer: &Option<String>| match outer {
        Some(o) => (format!("`{o}` に"), format!("`{found}` in `{o}`")),
        None => (String::new(), format!("`{found}`")),
    };
    match code {
        ron::Error::ExceededRecursionLimit => Message::new(
            format!("入れ子が {limit} 段を超えています"),
            format!("nested more than {limit} levels deep"),
        ),
        ron::Error::Eof => Message::new("ファイルが途中で終わっています", "unexpected end of file"),
        ron::Error::ExpectedComma => Message::new(
            "この値の後に `,`（または閉じかっこ）が必要です",
            "expected `,` (or a closing bracket) after this value",
        ),
        ron::Error::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let found = escape::line(found);
            let (ja_in, en) = found_in(&found, outer);
            Message::new(
                format!(
                    "{ja_in}不明なフィールド `{found}` があります。使えるフィールド: {}",
                    list(expected)
                ),
                format!("unknown field {en}; known fields: {}", list(expected)),
            )
        }
        ron::Error::MissingStructField { field, outer } => {
            let (ja_in, en) = found_in(field, outer);
            Message::new(
                format!("{ja_in}フィールド `{field}` がありません"),
                format!("missing field {en}"),
            )
        }
        ron::Error::DuplicateStructField { field, outer } => {
            let ja_in = outer
                .as_ref()
                .map_or_else(String::new, |o| format!("`{o}` に"));
            let en_in = outer
                .as_ref()
                .map_or_else(String::new, |o| format!(" in `{o}`"));
            Message::new(
                format!("{ja_in}フィールド `{field}` が2回書かれています"),
                format!("field `{field}` appears twice{en_in}"),
            )
        }
        ron::Error::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let found = escape::line(found);
            let (ja_in, en) = found_in(&found, outer);
            Message::new(
                format!(
                    "{ja_in}不明な種類 `{found}` があります。使える種類: {}",
                    list(expected)
                ),
                format!("unknown variant {en}; known variants: {}", list(expected)),
            )
        }
        ron::Error::Message(m) => custom(m, None),
        other => Message::new(other_ja(other), ron_words(other)),
    }
}

/// Returns ron's own message as tenken writes diagnostics: lower-case,
/// quoted with backticks, without a final period.
fn ron_words(code: &ron::Error) -> String {
    let text = code.to_string();
    let text = text.trim_end_matches('.').replace('"', "`");
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// The Japanese of the RON errors tenken has no English of its own for.
fn other_ja(code: &ron::Error) -> String {
    use ron::Error as E;
    let fixed = match code {
        E::Fmt => "RON の書き出しに失敗しました",
        E::ExpectedArray => "`[` が必要です",
        E::ExpectedArrayEnd => "閉じる `]` が必要です",
        E::ExpectedAttribute => "`#![enable(...)]` の形の属性が必要です",
        E::ExpectedAttributeEnd => "属性の後に閉じる `)]` が必要です",
        E::ExpectedBoolean => "`true` か `false` が必要です",
        E::ExpectedChar => "1文字（`'x'` の形）が必要です",
        E::ExpectedByteLiteral => "バイトの値が必要です",
        E::ExpectedFloat => "数値が必要です",
        E::FloatUnderscore => "小数に `_` は書けません",
        E::ExpectedInteger => "整数が必要です",
        E::ExpectedOption => "`Some(…)` か `None` が必要です",
        E::ExpectedOptionEnd | E::ExpectedStructLikeEnd => "閉じる `)` が必要です",
        E::ExpectedMap => "`{` が必要です",
        E::ExpectedMapColon => "`:` が必要です",
        E::ExpectedMapEnd => "閉じる `}` が必要です",
        E::ExpectedStructLike => "`(` が必要です",
        E::ExpectedUnit => "`()` が必要です",
        E::ExpectedString => "文字列（`\"…\"`）が必要です",
        E::ExpectedByteString => "バイト列が必要です",
        E::ExpectedStringEnd => "文字列が閉じていません（`\"` が必要です）",
        E::ExpectedIdentifier => "名前（識別子）が必要です",
        E::InvalidEscape(_) => "文字列の `\\` の書き方が正しくありません",
        E::IntegerOutOfBounds => "整数が大きすぎるか小さすぎます",
        E::Utf8Error(_) => "UTF-8 のテキストとして読めません",
        E::UnclosedBlockComment => "コメント `/* … */` が閉じていません",
        E::UnclosedLineComment => "行コメントの後に改行が必要です",
        E::UnderscoreAtBeginning => "数の先頭に `_` は書けません",
        E::TrailingCharacters => "値の後に余分な文字があります",
        E::ExpectedRawValue => "RON の値が必要です",
        E::ExpectedRangeSyntax => "`..` か `..=` が必要です",
        E::Io(reason) => return format!("読み込めません（{reason}）"),
        E::ExpectedDifferentStructName { expected, found } => {
            return format!(
                "`{expected}` が必要ですが、`{}` と書かれています",
                escape::line(found)
            );
        }
        E::ExpectedNamedStructLike("") => "`(` だけが必要です（名前は付けません）",
        E::ExpectedNamedStructLike(name) => return format!("`{name}(` が必要です"),
        E::InvalidIntegerDigit { digit, base } => {
            return format!(
                "{base} 進数の整数に使えない数字 `{}` があります",
                digit.escape_default()
            );
        }
        E::NoSuchExtension(name) => {
            return format!("RON の拡張 `{}` はありません", escape::line(name));
        }
        E::UnexpectedChar(c) => return format!("ここに `{}` は書けません", c.escape_default()),
        E::InvalidValueForType { expected, found } => {
            return format!(
                "{}が必要ですが、{}が書かれています",
                spaced(&kind_ja(expected)),
                spaced(&found_ja(found))
            );
        }
        E::ExpectedDifferentLength { expected, found } => {
            return format!(
                "要素の数が違います: {}が必要ですが、{found} 個です",
                spaced(&kind_ja(expected))
            );
        }
        E::InvalidIdentifier(name) => {
            return format!("名前 `{}` は使えません", escape::line(name));
        }
        E::SuggestRawIdentifier(name) => {
            let name = escape::line(name);
            return format!("名前 `{name}` は使えません。`r#{name}` と書いてください");
        }
        E::ExpectedStructName(name) => return format!("名前 `{name}` が必要です"),
        // Answered in `ron_error`; kept here so that a new kind of error
        // still reads as a sentence.
        _ => return format!("RON として読めません（{}）", ron_words(code)),
    };
    fixed.to_owned()
}

/// Returns `words` ready for a particle: with a space after it when it
/// ends in ASCII (`` `5` `` → `` `5` が``), as the catalogue writes.
fn spaced(words: &str) -> String {
    if words.chars().last().is_some_and(|c| c.is_ascii()) {
        format!("{words} ")
    } else {
        words.to_owned()
    }
}

/// What serde expected, in Japanese where tenken knows the words.
fn kind_ja(expected: &str) -> String {
    match expected {
        "a string" | "a borrowed string" | "string" => "文字列".to_owned(),
        "a boolean" => "`true` か `false`".to_owned(),
        "a character" | "a char" => "1文字".to_owned(),
        "a sequence" => "リスト `[…]`".to_owned(),
        "a map" => "対応表 `{…}`".to_owned(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            format!("整数（{expected}）")
        }
        "f32" | "f64" => "数値".to_owned(),
        "unit" => "`()`".to_owned(),
        "option" => "`Some(…)` か `None`".to_owned(),
        other => {
            if let Some(n) = other
                .strip_prefix("an array of length ")
                .or_else(|| other.strip_prefix("a tuple of size "))
            {
                format!("{n} 個の要素")
            } else if let Some(name) = other.strip_prefix("struct ") {
                format!("`{name}(…)`")
            } else if other.starts_with("a string or a bilingual text") {
                "文字列か `(ja: \"…\", en: \"…\")`".to_owned()
            } else {
                other.to_owned()
            }
        }
    }
}

/// What the file held instead, in Japanese where tenken knows the words.
fn found_ja(found: &str) -> String {
    let value = |prefix: &str| found.strip_prefix(prefix);
    if let Some(v) = value("the boolean ") {
        format!("真偽値 {v}")
    } else if let Some(v) = value("the unsigned integer ").or_else(|| value("the signed integer "))
    {
        format!("整数 {v}")
    } else if let Some(v) = value("the floating point number ") {
        format!("数値 {v}")
    } else if let Some(v) = value("the UTF-8 character ") {
        format!("文字 {v}")
    } else if let Some(v) = value("the string ") {
        format!("文字列 {v}")
    } else {
        match found {
            "a unit value" => "`()`".to_owned(),
            "an optional value" => "`Some(…)` か `None`".to_owned(),
            "a sequence" => "リスト `[…]`".to_owned(),
            "a map" => "対応表 `{…}`".to_owned(),
            "an enum" | "a unit variant" | "a newtype variant" | "a tuple variant"
            | "a struct variant" => "種類の名前".to_owned(),
            other => other.to_owned(),
        }
    }
}

/// A message from a type's own check (serde's `custom`): an id, an
/// edition, a date or a bilingual name. `value` is the string it was
/// given, when the parser points at one.
pub fn custom(message: &str, value: Option<&str>) -> Message {
    if let Some(value) = value {
        if let Err(e) = Id::new(value)
            && e.to_string() == message
        {
            return bad_id(&e);
        }
        if let Err(e) = Edition::parse(value)
            && e.to_string() == message
        {
            return Message::new(
                format!(
                    "版 `{}` は `3.1` のように、1以上の番号・ドット・小さい番号で書いてください",
                    escape::line(value)
                ),
                message,
            );
        }
    }
    let ja = match message {
        // chrono's words for a date or time it cannot read.
        "input is out of range" => "範囲の外の値です".to_owned(),
        "no possible date and time matching input" => "その日時はありません".to_owned(),
        "input is not enough for unique date and time" => {
            "日時として足りない部分があります".to_owned()
        }
        "input contains invalid characters" => "日時に使えない文字があります".to_owned(),
        "premature end of input" => "日時が途中で終わっています".to_owned(),
        "trailing input" => "日時の後に余分な文字があります".to_owned(),
        "bad or unsupported format string" => "日時の書き方が正しくありません".to_owned(),
        other => {
            if let Some(lang) = other.strip_prefix("unknown language `").and_then(|rest| {
                rest.strip_suffix("` in a name: write `ja` and/or `en`, or one plain string")
            }) {
                format!(
                    "名前に不明な言語 `{lang}` があります。`ja` と `en` のどちらかか両方、または文字列ひとつで書いてください"
                )
            } else if let Some(key) = other
                .strip_prefix('`')
                .and_then(|rest| rest.strip_suffix("` given twice in a name"))
            {
                format!("名前に `{key}` が2回書かれています")
            } else if let Some(e) = id_error_of(other) {
                return bad_id(&e);
            } else {
                // Not a message tenken knows: English in both languages.
                return Message::from(other);
            }
        }
    };
    Message::new(ja, message)
}

/// Recognises an id's own message when the parser gave no value to check
/// it against (a map key).
fn id_error_of(message: &str) -> Option<IdError> {
    if message == IdError::Empty.to_string() {
        return Some(IdError::Empty);
    }
    let id = message.strip_prefix("id `")?.split('`').next()?;
    Id::new(id).err().filter(|e| e.to_string() == message)
}

/// A value refused by its type, with the field it was given for.
pub fn bad_value(value: &str, field: Option<&str>, why: Message) -> Message {
    why.wrap(|lang, why| match (lang, field) {
        (crate::model::Lang::Ja, Some(field)) => {
            format!("`{field}` の値 `{value}` は使えません: {why}")
        }
        (crate::model::Lang::Ja, None) => format!("値 `{value}` は使えません: {why}"),
        (crate::model::Lang::En, Some(field)) => {
            format!("invalid value `{value}` for `{field}`: {why}")
        }
        (crate::model::Lang::En, None) => format!("invalid value `{value}`: {why}"),
    })
}

/// A string that is not an id.
pub fn bad_id(e: &IdError) -> Message {
    let ja = match e {
        IdError::Empty => "ID が空です".to_owned(),
        IdError::TooLong(id) => format!("ID `{id}` が 64 文字を超えています"),
        IdError::BadStart(id) => format!("ID `{id}` は英小文字か数字で始めてください"),
        IdError::BadChar { id, ch } => {
            let ch = if let Some(c) = ch
                .strip_prefix("a control character (")
                .and_then(|c| c.strip_suffix(')'))
            {
                format!("制御文字（{c}）")
            } else if let Some(c) = ch.strip_prefix("a path separator ") {
                format!("パスの区切り {c}")
            } else {
                ch.clone()
            };
            format!(
                "ID `{id}` に {ch} が含まれています。使えるのは a-z・0-9・`.`・`_`・`-` だけです"
            )
        }
    };
    Message::new(ja, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    /// Every kind of RON error has Japanese of its own (the `_` arm is for
    /// kinds a later ron adds).
    #[test]
    fn every_ron_error_has_japanese() {
        use ron::Error as E;
        let all = [
            E::Fmt,
            E::Io("disk".into()),
            E::Eof,
            E::ExpectedArray,
            E::ExpectedArrayEnd,
            E::ExpectedAttribute,
            E::ExpectedAttributeEnd,
            E::ExpectedBoolean,
            E::ExpectedComma,
            E::ExpectedChar,
            E::ExpectedByteLiteral,
            E::ExpectedFloat,
            E::FloatUnderscore,
            E::ExpectedInteger,
            E::ExpectedOption,
            E::ExpectedOptionEnd,
            E::ExpectedMap,
            E::ExpectedMapColon,
            E::ExpectedMapEnd,
            E::ExpectedDifferentStructName {
                expected: "Run",
                found: "Rum".into(),
            },
            E::ExpectedStructLike,
            E::ExpectedNamedStructLike("Run"),
            E::ExpectedNamedStructLike(""),
            E::ExpectedStructLikeEnd,
            E::ExpectedUnit,
            E::ExpectedString,
            E::ExpectedByteString,
            E::ExpectedStringEnd,
            E::ExpectedIdentifier,
            E::InvalidEscape("Invalid escape"),
            E::IntegerOutOfBounds,
            E::InvalidIntegerDigit {
                digit: 'z',
                base: 10,
            },
            E::NoSuchExtension("x".into()),
            E::UnclosedBlockComment,
            E::UnclosedLineComment,
            E::UnderscoreAtBeginning,
            E::UnexpectedChar('@'),
            E::TrailingCharacters,
            E::InvalidValueForType {
                expected: "a string".into(),
                found: "the unsigned integer `5`".into(),
            },
            E::ExpectedDifferentLength {
                expected: "an array of length 3".into(),
                found: 2,
            },
            E::NoSuchEnumVariant {
                expected: &["Ja", "En"],
                found: "Fr".into(),
                outer: Some("Lang".into()),
            },
            E::NoSuchStructField {
                expected: &["ja", "en"],
                found: "de".into(),
                outer: None,
            },
            E::MissingStructField {
                field: "id",
                outer: Some("Run".into()),
            },
            E::DuplicateStructField {
                field: "id",
                outer: None,
            },
            E::InvalidIdentifier("1x".into()),
            E::SuggestRawIdentifier("type".into()),
            E::ExpectedRawValue,
            E::ExceededRecursionLimit,
            E::ExpectedStructName("Run".into()),
            E::ExpectedRangeSyntax,
        ];
        for code in &all {
            let m = ron_error(code, 64);
            let ja = m.get(Lang::Ja);
            assert_eq!(m.lang_shown(Lang::Ja), Lang::Ja, "{code:?}");
            assert!(!ja.starts_with("RON として読めません"), "{code:?}: {ja}");
            assert!(!ja.is_ascii(), "{code:?}: {ja}");
        }
        assert_eq!(
            ron_error(&all[38], 64).get(Lang::Ja),
            "文字列が必要ですが、整数 `5` が書かれています"
        );
        assert_eq!(
            ron_error(&all[39], 64).get(Lang::Ja),
            "要素の数が違います: 3 個の要素が必要ですが、2 個です"
        );
    }
}
