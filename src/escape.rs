//! Showing text from data as what it is. Every string that came from a
//! repository file (a supplier's name, a note, a path from a commit) is
//! escaped here before it reaches a terminal, a report or a message, so
//! that it can neither send escape sequences nor disguise itself.
//!
//! What is escaped ([`is_hidden`]): control characters (C0, DEL, C1) and
//! every character of Unicode category Cf (format), which covers the bidi
//! controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), the
//! zero-width characters (U+200B–U+200D, U+2060, U+FEFF), the soft hyphen,
//! tag characters and the rest, plus the line and paragraph separators
//! U+2028 and U+2029. The category comes from `unicode-general-category`.
//!
//! One notation for text: `\n`, `\t` and `\r` for those three, `\u{XXXX}`
//! (lowercase hex, as Rust writes it) for the others. JSON keeps the
//! characters but writes them as JSON's own `\uXXXX` escapes
//! ([`to_json_pretty`]), so a program reading it gets the text unchanged.
//!
//! The policies differ only in which whitespace controls they keep:
//!
//! | policy | keeps | for |
//! | --- | --- | --- |
//! | [`Policy::Line`] | nothing | one line: ids, names, paths in messages, table cells |
//! | [`Policy::Block`] | `\n` | multi-line text laid out by the caller (notes in the TUI) |
//! | [`Policy::Output`] | `\n`, `\t`, `\r` before `\n` | a whole document or everything written to a terminal (reports, the last defence in `cli::print`) |
//!
//! Pure: no I/O.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

use unicode_general_category::{GeneralCategory, get_general_category};

/// Which characters a piece of text keeps as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// One line: every hidden character is escaped, line breaks and tabs
    /// included.
    Line,
    /// Lines: line feeds are kept, every other hidden character (tabs and
    /// carriage returns included) is escaped.
    Block,
    /// A document or terminal output: line feeds, tabs and a carriage
    /// return right before a line feed are kept.
    Output,
}

/// Returns true for a character that must not reach an output as itself:
/// a control character, a format character (Unicode category Cf), or a
/// line or paragraph separator.
pub fn is_hidden(c: char) -> bool {
    // The ASCII fast path: only C0 controls and DEL.
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    // No hidden character lies in the blocks of Japanese text (and the
    // rest from superscripts to the fullwidth forms): no table look-up.
    if SHOWN.iter().any(|r| r.contains(&c)) {
        return false;
    }
    is_hidden_by_category(c)
}

/// Ranges holding no hidden character (the test
/// `no_character_of_the_shown_ranges_is_hidden` checks each one against
/// the categories).
const SHOWN: [std::ops::RangeInclusive<char>; 2] =
    ['\u{2070}'..='\u{fefe}', '\u{ff00}'..='\u{ffef}'];

/// [`is_hidden`] for a character outside ASCII, by its category.
fn is_hidden_by_category(c: char) -> bool {
    c.is_control()
        || matches!(
            get_general_category(c),
            GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
}

/// Returns `s` escaped under `policy`, borrowing it when nothing needs
/// escaping (the common case).
pub fn escape(s: &str, policy: Policy) -> Cow<'_, str> {
    let Some(first) = first_to_escape(s, policy) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    let mut chars = s[first..].chars().peekable();
    while let Some(c) = chars.next() {
        if keeps(policy, c, chars.peek().copied()) {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    Cow::Owned(out)
}

/// Returns where the first character `policy` escapes starts in `s`.
fn first_to_escape(s: &str, policy: Policy) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        match b {
            // Printable ASCII keeps under every policy: a run of it (most
            // of a command's output) is passed 16 bytes at a time.
            b' '..=b'~' => {
                at += 1;
                while bytes.get(at..at + 16).is_some_and(printable) {
                    at += 16;
                }
            }
            // The first byte of a character in U+3000–U+EFFF (kana, kanji
            // and the rest of Japanese text): within [`SHOWN`], never
            // hidden, so kept without decoding it.
            0xe3..=0xee => at += 3,
            _ => {
                let mut chars = s.get(at..)?.chars();
                let c = chars.next()?;
                // Only a carriage return looks at the next character.
                let next = if c == '\r' { chars.next() } else { None };
                if !keeps(policy, c, next) {
                    return Some(at);
                }
                at += c.len_utf8();
            }
        }
    }
    None
}

/// Returns true when every byte of `chunk` is printable ASCII (checked
/// without an early exit, so that the loop is vectorised).
fn printable(chunk: &[u8]) -> bool {
    chunk
        .iter()
        .fold(true, |all, &b| all & (b' '..=b'~').contains(&b))
}

/// Returns `s` escaped as one line ([`Policy::Line`]).
pub fn line(s: &str) -> String {
    escape(s, Policy::Line).into_owned()
}

/// Returns `s` escaped keeping its line feeds ([`Policy::Block`]).
pub fn block(s: &str) -> String {
    escape(s, Policy::Block).into_owned()
}

/// Returns `s` escaped as a document or terminal output ([`Policy::Output`]).
pub fn output(s: &str) -> String {
    escape(s, Policy::Output).into_owned()
}

fn keeps(policy: Policy, c: char, next: Option<char>) -> bool {
    if !is_hidden(c) {
        return true;
    }
    match (policy, c) {
        (Policy::Block | Policy::Output, '\n') | (Policy::Output, '\t') => true,
        (Policy::Output, '\r') => next == Some('\n'),
        _ => false,
    }
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// Serialises `value` as pretty JSON in which every hidden character is a
/// `\uXXXX` escape (a surrogate pair beyond the Basic Multilingual Plane):
/// the text is unchanged for a program, and shown as what it is to a person.
pub fn to_json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut bytes = Vec::with_capacity(256);
    write_json_pretty(&mut bytes, value)?;
    // serde_json writes UTF-8 only.
    String::from_utf8(bytes).map_err(|e| serde_json::Error::io(io::Error::other(e)))
}

/// Writes `value` to `writer` as [`to_json_pretty`] makes it, without
/// holding the whole text (a long history's JSON is tens of megabytes).
///
/// What it writes needs no further escaping under [`Policy::Output`]: the
/// only hidden character outside strings is the line feed of the layout,
/// and inside strings `serde_json` escapes the controls and the formatter
/// every other hidden character.
pub fn write_json_pretty<W: io::Write, T: serde::Serialize + ?Sized>(
    writer: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(writer, JsonFormatter::default());
    value.serialize(&mut ser)
}

/// The pretty formatter of `serde_json` (two spaces a level), with hidden
/// characters in strings written as `\u` escapes (`serde_json` already
/// escapes controls). Its layout is `serde_json::ser::PrettyFormatter`'s,
/// line break and indent written at once (test
/// `json_is_laid_out_as_serde_json_lays_it_out`).
#[derive(Default)]
struct JsonFormatter {
    /// How deep the value being written is nested.
    depth: usize,
    /// The array or object being written has a value already.
    has_value: bool,
}

/// A line feed and the indents of 32 levels.
const BREAK: &[u8; 65] = b"\n                                                                ";

impl JsonFormatter {
    /// Writes `lead` (a comma or nothing), a line feed and the indent.
    fn break_line<W: ?Sized + io::Write>(&self, w: &mut W, lead: &[u8]) -> io::Result<()> {
        w.write_all(lead)?;
        if let Some(line) = BREAK.get(..1 + 2 * self.depth) {
            return w.write_all(line);
        }
        w.write_all(b"\n")?;
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn end<W: ?Sized + io::Write>(&mut self, w: &mut W, close: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.break_line(w, b"")?;
        }
        w.write_all(close)
    }
}

impl serde_json::ser::Formatter for JsonFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Printable ASCII, the common case, holds nothing hidden (serde_json
        // escapes the controls below it; DEL is not).
        if fragment.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hidden(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.break_line(w, if first { b"" } else { b"," })
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.end(w, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.break_line(w, if first { b"" } else { b"," })
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters the issue names, and more of category Cf.
    const DECEIVING: &[char] = &[
        '\u{200b}',
        '\u{200c}',
        '\u{200d}',
        '\u{200e}',
        '\u{200f}',
        '\u{061c}',
        '\u{feff}',
        '\u{2028}',
        '\u{2029}',
        '\u{202a}',
        '\u{202e}',
        '\u{2066}',
        '\u{2069}',
        '\u{2060}',
        '\u{00ad}',
        '\u{e0001}',
        '\u{1b}',
        '\u{7f}',
        '\u{9b}',
    ];

    #[test]
    fn no_character_of_the_shown_ranges_is_hidden() {
        for range in SHOWN {
            for c in range {
                assert!(!is_hidden_by_category(c), "{c:?}");
            }
        }
    }

    #[test]
    fn the_characters_kept_by_their_first_byte_are_shown() {
        // `first_to_escape` keeps a character whose first byte is 0xe3 to
        // 0xee without decoding it: exactly U+3000–U+EFFF, within SHOWN.
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            let mut bytes = [0; 4];
            let first = c.encode_utf8(&mut bytes).as_bytes()[0];
            let skipped = (0xe3..=0xee).contains(&first);
            assert_eq!(skipped, ('\u{3000}'..='\u{efff}').contains(&c), "{c:?}");
            assert!(!skipped || SHOWN[0].contains(&c), "{c:?}");
        }
    }

    #[test]
    fn every_deceiving_character_is_hidden_and_ordinary_text_is_not() {
        for &c in DECEIVING {
            assert!(is_hidden(c), "{c:?}");
        }
        for c in "plain text, 名前 ｶﾅ 한국어 عربي é ‐—… 🎌 \u{3000}".chars() {
            assert!(!is_hidden(c), "{c:?}");
        }
    }

    #[test]
    fn policies_keep_only_their_whitespace() {
        let s = "a\tb\r\nc\rd\u{1b}[2J\u{200f}e\n";
        assert_eq!(line(s), "a\\tb\\r\\nc\\rd\\u{1b}[2J\\u{200f}e\\n");
        assert_eq!(block(s), "a\\tb\\r\nc\\rd\\u{1b}[2J\\u{200f}e\n");
        assert_eq!(output(s), "a\tb\r\nc\\rd\\u{1b}[2J\\u{200f}e\n");
        assert_eq!(line("x\u{e0001}\u{2028}y"), "x\\u{e0001}\\u{2028}y");
        assert!(matches!(
            escape("名前 ok\n", Policy::Block),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn json_keeps_the_characters_as_json_escapes() {
        let value = serde_json::json!({
            "name": "Nimbus\u{202e}gpj.exe\u{200b}\u{1b}",
            "tag": "\u{e0001}",
            "list": ["名前"],
        });
        let text = to_json_pretty(&value).unwrap();
        assert_eq!(
            text,
            "{\n  \"list\": [\n    \"名前\"\n  ],\n  \"name\": \"Nimbus\\u202egpj.exe\\u200b\\u001b\",\n  \"tag\": \"\\udb40\\udc01\"\n}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        // Nothing is left for the terminal defence to change.
        assert_eq!(output(&text), text);
    }

    /// The escaping [`escape`] does, a character at a time by category.
    fn escaped_by_category(s: &str, policy: Policy) -> String {
        let hidden = |c: char| {
            if c.is_ascii() {
                c.is_ascii_control()
            } else {
                is_hidden_by_category(c)
            }
        };
        let mut out = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            let kept = !hidden(c)
                || match (policy, c) {
                    (Policy::Block | Policy::Output, '\n') | (Policy::Output, '\t') => true,
                    (Policy::Output, '\r') => chars.peek() == Some(&'\n'),
                    _ => false,
                };
            if kept {
                out.push(c);
            } else {
                push_escaped(&mut out, c);
            }
        }
        out
    }

    /// Values nested deeper than the indents written at once, and empty
    /// ones, of printable ASCII (which both formatters leave alone).
    fn nested() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::strategy::Strategy as _;
        let leaf = proptest::prop_oneof![
            proptest::strategy::Just(serde_json::Value::Null),
            proptest::num::i64::ANY.prop_map(serde_json::Value::from),
            proptest::num::f64::NORMAL.prop_map(serde_json::Value::from),
            "[ -~]{0,6}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(40, 200, 4, |inner| {
            proptest::prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map("[a-z]{0,3}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn json_deeper_than_the_indents_at_hand_is_laid_out_alike() {
        let mut value = serde_json::json!({"deep": [1, {}, []]});
        for n in 0..40 {
            value = if n % 2 == 0 {
                serde_json::json!([value, n])
            } else {
                serde_json::json!({"k": value, "n": n})
            };
        }
        assert_eq!(
            to_json_pretty(&value).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }

    proptest::proptest! {
        #[test]
        fn json_is_laid_out_as_serde_json_lays_it_out(value in nested()) {
            proptest::prop_assert_eq!(
                to_json_pretty(&value).unwrap(),
                serde_json::to_string_pretty(&value).unwrap()
            );
        }

        /// The fast paths (printable ASCII, runs of it, the shown ranges)
        /// escape what the categories say.
        #[test]
        fn escaping_is_by_category(
            s in "([a-z ]{0,40}[\\x00\\t\\n\\r\\x7f\\u{202e}名]){0,4}[a-z ]{0,40}|\\PC*|.*|[a \\x00-\\x1f\\x7f-\\u{a0}\\u{ad}\\u{2028}\\u{202e}\\u{206f}-\\u{2071}\\u{2fff}\\u{3000}名\\u{efff}\\u{f000}\\u{fefe}-\\u{ff00}\\u{ffef}-\\u{fffb}\\u{e0001}]*"
        ) {
            for policy in [Policy::Line, Policy::Block, Policy::Output] {
                proptest::prop_assert_eq!(escape(&s, policy), escaped_by_category(&s, policy));
            }
        }

        /// `cli::print_json` streams JSON without the terminal defence of
        /// `cli::print`: it must have nothing to change, whatever the keys
        /// and values hold.
        #[test]
        fn json_needs_no_output_escaping(
            entries in proptest::collection::vec(("\\PC*|.*", "\\PC*|.*|[\\x00-\\x1f\\x7f-\\u{9f}\\u{2028}\\u{202e}\\u{feff}]*"), 0..6)
        ) {
            let value: std::collections::BTreeMap<String, Vec<String>> = entries
                .iter()
                .map(|(k, v)| (k.clone(), vec![v.clone(), format!("{k}{v}")]))
                .collect();
            let text = to_json_pretty(&value).unwrap();
            proptest::prop_assert_eq!(output(&text), text.clone());
            let mut streamed = Vec::new();
            write_json_pretty(&mut streamed, &value).unwrap();
            proptest::prop_assert_eq!(streamed, text.into_bytes());
        }
    }
}
