//! `Text`: bilingual text shown to people, with language fallback. Text
//! from data is escaped for output by `crate::escape`.

use std::fmt;

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

    /// Returns the other language (for a message shown in both).
    #[must_use]
    pub fn other(self) -> Self {
        match self {
            Self::Ja => Self::En,
            Self::En => Self::Ja,
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
}
