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
