//! `Text`: bilingual text shown to people, with language fallback, and the
//! escaping of control characters in any string that came from data.

use std::fmt;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// A language tenken can show.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese.
    Ja,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// Returns the BCP 47 tag of the language.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
        }
    }

    /// Picks the Japanese or the English form of a fixed UI string.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Ja => ja,
            Self::En => en,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// Text in Japanese and English; at least one must be present.
///
/// An empty string means "absent", and the other language is shown instead.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// The Japanese form.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ja: String,
    /// The English form.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Text {
    /// Builds a text from both languages.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// Returns the text in `lang`, falling back to the other language.
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Ja => (&self.ja, &self.en),
            Lang::En => (&self.en, &self.ja),
        };
        if first.is_empty() { second } else { first }
    }

    /// Returns true when neither language is present.
    pub fn is_empty(&self) -> bool {
        self.ja.trim().is_empty() && self.en.trim().is_empty()
    }

    /// Returns true when both languages are the empty string.
    ///
    /// Only such a text may be left out when a file is written: a blank
    /// (`" "`) one is kept, so that what is read back equals what was written.
    pub fn is_unset(&self) -> bool {
        self.ja.is_empty() && self.en.is_empty()
    }

    /// Returns true when both languages are present.
    pub fn is_complete(&self) -> bool {
        !self.ja.trim().is_empty() && !self.en.trim().is_empty()
    }
}

/// Returns `s` with every control character escaped, so that text from data
/// files can never send escape sequences to a terminal.
///
/// Newlines and tabs are escaped too; callers that want line breaks split
/// on `\n` first and escape each line.
pub fn escape_control(s: &str) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Returns `s` escaped like [`escape_control`] but keeping line breaks.
pub fn escape_control_keep_lines(s: &str) -> String {
    s.split('\n')
        .map(escape_control)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Returns `s` ready for a terminal: every control character but line ends
/// (`\n`, and `\r` right before `\n`) and tabs is written as `\uXXXX`.
///
/// This is the last line of defence on every text tenken prints; text from
/// data should already have been escaped where it was put together. The
/// `\uXXXX` form keeps JSON valid (inside a JSON string it is the same
/// character, escaped), so it is safe on any output format.
pub fn escape_terminal(s: &str) -> String {
    if !s.chars().any(|c| needs_escape(c) && c != '\n' && c != '\t') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = match c {
            '\n' | '\t' => true,
            '\r' => chars.peek() == Some(&'\n'),
            c => !needs_escape(c),
        };
        if keep {
            out.push(c);
        } else {
            // Every character escaped here is in the Basic Multilingual Plane.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    // C0, DEL and C1 controls, plus the bidi overrides that can disguise text.
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_other_language() {
        let only_ja = Text::new("点検", "");
        assert_eq!(only_ja.get(Lang::En), "点検");
        let both = Text::new("点検", "Inspection");
        assert_eq!(both.get(Lang::Ja), "点検");
        assert_eq!(both.get(Lang::En), "Inspection");
        assert!(Text::default().is_empty());
        assert!(!only_ja.is_complete());
    }

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escape_control("ok 名前"), "ok 名前");
        assert_eq!(
            escape_control("\u{1b}]0;pwned\u{7}"),
            "\\u{1b}]0;pwned\\u{7}"
        );
        assert_eq!(escape_control("a\u{9b}31m"), "a\\u{9b}31m");
        assert_eq!(escape_control("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(escape_control_keep_lines("a\nb\u{1b}"), "a\nb\\u{1b}");
        assert_eq!(
            escape_terminal("a\tb\r\nc\rd\u{1b}[2J\u{7}\u{9b}\u{202e}\n"),
            "a\tb\r\nc\\u000dd\\u001b[2J\\u0007\\u009b\\u202e\n"
        );
        let json = escape_terminal("{\"name\": \"a\u{9b}b\"}\n");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&json).unwrap()["name"],
            "a\u{9b}b"
        );
        assert_eq!(escape_terminal("plain 名前\n"), "plain 名前\n");
    }
}
