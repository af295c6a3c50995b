//! Unit tests of the loader: diagnostics for each kind of mistake.

use std::path::Path;

use super::*;
use serde::de::DeserializeOwned;

use crate::model::{Action, Choice, Text};

fn err<T: DeserializeOwned + std::fmt::Debug>(src: &str) -> String {
    parse::<T>(Path::new("f.ron"), src).unwrap_err().to_string()
}

#[test]
fn a_missing_comma_is_placed_after_the_previous_value() {
    let text = |src: &str| err::<Text>(src);
    let msg = "expected `,` (or a closing bracket) after this value";
    assert_eq!(
        text("(\n    ja: \"a\"\n    en: \"b\",\n)"),
        format!("f.ron:2:12: {msg}")
    );
    // Comments, escaped quotes, raw strings and wide characters are
    // skipped over, not mistaken for the end of the value.
    assert_eq!(
        text("(ja: \"a\" /* c */ en: \"b\")"),
        format!("f.ron:1:9: {msg}")
    );
    assert_eq!(
        text("(ja: \"x\\\" y\" // c, \"d\"\n en: \"b\")"),
        format!("f.ron:1:13: {msg}")
    );
    assert_eq!(
        text("(ja: r#\"a \"quoted\" b\"# en: \"b\")"),
        format!("f.ron:1:23: {msg}")
    );
    assert_eq!(
        text("(ja: \"点検\" en: \"b\")"),
        format!("f.ron:1:10: {msg}")
    );
    assert_eq!(
        err::<Choice>("Choice(id: \"a\", key: '\\'' label: (en: \"x\"), points: None)"),
        format!("f.ron:1:26: {msg}")
    );
}

#[test]
fn a_refused_value_is_named_with_its_field() {
    assert_eq!(
        err::<Action>("(text: \"点検\", due: \"2026-02-30\")"),
        "f.ron:1:19: invalid value `2026-02-30` for `due`: input is out of range"
    );
    assert_eq!(
        err::<Action>("(text: \"x\", due: r#\"soon\"#)"),
        "f.ron:1:18: invalid value `soon` for `due`: input contains invalid characters"
    );
    assert_eq!(
        err::<Action>("(text: \"x\", due: \"soon\\u{1b}\")"),
        "f.ron:1:18: invalid value `soon\\u{1b}` for `due`: input contains invalid characters"
    );
}

#[test]
fn offsets_and_positions_agree() {
    let src = "a\n点検 x\n\n  \"é\"";
    let loc = Locator::new(src);
    for (offset, _) in src.char_indices() {
        let (line, col) = loc.position(offset);
        assert_eq!(loc.offset(line, col), Some(offset), "at byte {offset}");
    }
    assert_eq!(loc.offset(9, 1), None);
    assert_eq!(loc.offset(2, 0), None);
}

/// The Japanese line of a parse error (the English one is `err`).
fn ja<T: DeserializeOwned + std::fmt::Debug>(src: &str) -> String {
    parse::<T>(Path::new("f.ron"), src)
        .unwrap_err()
        .text(crate::model::Lang::Ja)
}

#[test]
fn parse_errors_and_refused_values_are_in_japanese_too() {
    use crate::model::{Config, Id, Run, Subjects};
    use std::collections::BTreeMap;
    let cases = [
        (
            ja::<Text>("(\n    ja: \"a\"\n    en: \"b\",\n)"),
            "f.ron:2:12: この値の後に `,`（または閉じかっこ）が必要です",
        ),
        (
            ja::<Text>("(ja: \"a\", de: \"b\")"),
            "f.ron:1:11: `Text` に不明なフィールド `de` があります。使えるフィールド: `ja`, `en`",
        ),
        (
            ja::<BTreeMap<Id, Text>>("{\"Bad\": (ja: \"a\")}"),
            "f.ron:1:2: ID `Bad` は英小文字か数字で始めてください",
        ),
        (
            ja::<BTreeMap<Id, Text>>("{\"a/b\": (ja: \"a\")}"),
            "f.ron:1:2: ID `a/b` に パスの区切り `/` が含まれています。使えるのは a-z・0-9・`.`・`_`・`-` だけです",
        ),
        (
            ja::<Text>("(ja: 5)"),
            "f.ron:1:5: 文字列（`\"…\"`）が必要です",
        ),
        (
            ja::<Subjects>(
                "Subjects(format: 1, subjects: [Subject(id: \"a\", kind: Site, name: (de: \"x\"))])",
            ),
            "f.ron:1:68: 名前に不明な言語 `de` があります。`ja` と `en` のどちらかか両方、または文字列ひとつで書いてください",
        ),
        (
            ja::<Subjects>(
                "Subjects(format: 1, subjects: [Subject(id: \"a\", kind: Site, name: 5)])",
            ),
            "f.ron:1:67: 文字列か `(ja: \"…\", en: \"…\")` が必要ですが、整数 `5` が書かれています",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
    let run = err::<Run>("Run(format: 1, id: \"x\", started: \"yesterday\")");
    let ja_run = ja::<Run>("Run(format: 1, id: \"x\", started: \"yesterday\")");
    assert!(
        run.ends_with("invalid value `yesterday` for `started`: input contains invalid characters"),
        "{run}"
    );
    assert!(
        ja_run.ends_with("`started` の値 `yesterday` は使えません: 日時に使えない文字があります"),
        "{ja_run}"
    );
    let config = ja::<Config>("Config(format: 1, lang: Fr)");
    assert!(config.contains("不明な種類 `Fr`"), "{config}");
}
