//! RON parsing with diagnostics a person can act on: ron's errors
//! translated, and moved to where the mistake is (a missing comma after the
//! value before it, a bad id at its opening quote).

use std::path::Path;

use serde::de::DeserializeOwned;

use super::RECURSION_LIMIT;
use super::locator::{Locator, is_ident_char};
use crate::error::Diagnostic;
use crate::msg::Message;
use crate::msg::load::syntax as words;

/// Parses `src` (the contents of `path`) as a `T`.
///
/// Syntax errors, unknown or missing fields and invalid ids come back with
/// the line and column ron reports, moved to where a person would look:
/// a missing comma at the end of the value before it, a bad id at its
/// opening quote.
pub fn parse<T: DeserializeOwned>(path: &Path, src: &str) -> Result<T, Diagnostic> {
    let options = ron::Options::default().with_recursion_limit(RECURSION_LIMIT);
    options.from_str(src).map_err(|e| {
        let (mut line, mut col) = (e.span.start.line.max(1), e.span.start.col.max(1));
        let loc = Locator::new(src);
        let mut message = words::ron_error(&e.code, RECURSION_LIMIT);
        match &e.code {
            ron::Error::Eof => {
                (line, col) = (e.span.end.line.max(1), e.span.end.col.max(1));
            }
            ron::Error::ExpectedComma => {
                // ron notices the missing comma at the next token, often on
                // the next line; the comma belongs after the previous value.
                if let Some(offset) = loc.offset(line, col) {
                    (line, col) = loc.position(end_of_previous_token(src, offset));
                }
            }
            ron::Error::Message(text) => {
                // A value refused by its type (an `Id`, a date): ron points
                // inside the string or at its end; point at its opening quote.
                let literal = loc.offset(line, col).and_then(|o| string_around(src, o));
                if let Some(literal) = literal {
                    (line, col) = loc.position(literal.start);
                    message = describe_bad_value(src, literal, text);
                }
            }
            _ => {}
        }
        Diagnostic {
            path: path.to_owned(),
            line,
            col,
            message,
        }
    })
}

/// Names the string literal at `literal` (quotes included) and the field it
/// is the value of in a message about it, from the type's own `message`.
fn describe_bad_value(src: &str, literal: std::ops::Range<usize>, message: &str) -> Message {
    let text = &src[literal.clone()];
    // `"…"` opens and closes with one byte, `r##"…"##` with 2 + n and 1 + n.
    let (open, close) = text.strip_prefix('r').map_or((1, 1), |raw| {
        let hashes = raw.chars().take_while(|c| *c == '#').count();
        (2 + hashes, 1 + hashes)
    });
    let raw = text
        .get(open..text.len().saturating_sub(close))
        .unwrap_or(text);
    let why = words::custom(message, Some(raw));
    // Messages such as chrono's "input is out of range" do not say which
    // value they mean; ids' own messages do.
    if message.contains('`') {
        return why;
    }
    let field = src[..literal.start]
        .trim_end()
        .strip_suffix(':')
        .map(str::trim_end)
        .map(|head| {
            let start = head
                .char_indices()
                .rev()
                .find(|&(_, c)| !is_ident_char(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            &head[start..]
        })
        .filter(|f| !f.is_empty());
    words::bad_value(&crate::escape::line(raw), field, why)
}

/// Returns the byte offset just after the last token that ends at or
/// before `offset`; 0 if there is none.
fn end_of_previous_token(src: &str, offset: usize) -> usize {
    tokens(src)
        .take_while(|t| t.end <= offset)
        .last()
        .map_or(0, |t| t.end)
}

/// Returns the byte range of the string literal, quotes included, that
/// `offset` falls inside (its closing quote included).
fn string_around(src: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    tokens(src)
        .take_while(|t| t.start < offset)
        .find(|t| offset < t.end && matches!(src.as_bytes()[t.start], b'"' | b'r'))
}

/// Splits RON source into its tokens, as byte ranges: each string or char
/// literal is one token, whitespace and comments are none, and every other
/// character is a token of its own (enough to locate things, not to parse).
fn tokens(src: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = src.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let start = i;
            match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = src[i..].find('\n').map_or(bytes.len(), |n| i + n);
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    // RON block comments nest.
                    let mut depth = 0usize;
                    while i < bytes.len() {
                        if src[i..].starts_with("/*") {
                            depth += 1;
                            i += 2;
                        } else if src[i..].starts_with("*/") {
                            depth -= 1;
                            i += 2;
                            if depth == 0 {
                                break;
                            }
                        } else {
                            i += 1;
                        }
                    }
                    continue;
                }
                b if b.is_ascii_whitespace() => {
                    i += 1;
                    continue;
                }
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'r' if {
                    let hashes = bytes[i + 1..].iter().take_while(|b| **b == b'#').count();
                    bytes.get(i + 1 + hashes) == Some(&b'"')
                } =>
                {
                    let hashes = bytes[i + 1..].iter().take_while(|b| **b == b'#').count();
                    let close = format!("\"{}", "#".repeat(hashes));
                    let body = i + 2 + hashes;
                    i = src
                        .get(body..)
                        .and_then(|rest| rest.find(&close))
                        .map_or(bytes.len(), |n| body + n + close.len());
                }
                b'\'' => {
                    i += 1;
                    if bytes.get(i) == Some(&b'\\') {
                        // Skip the escaped character, which may be a quote.
                        i += 2;
                    }
                    while i < bytes.len() && bytes[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
            // Land on a character boundary even if a literal was cut short.
            i = i.min(bytes.len());
            while !src.is_char_boundary(i) {
                i += 1;
            }
            return Some(start..i);
        }
        None
    })
}
