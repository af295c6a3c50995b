//! `Text`: bilingual text shown to people, with language fallback, and
//! `Name`: a name from the register, either one plain string or such a
//! text. Text from data is escaped for output by `crate::escape`.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// A name from the register — a subject's name, its contact, a service:
/// either one plain string, shown the same in every language
/// (`name: "Aoba"`), or bilingual text (`name: (ja: "ひかり印刷", en:
/// "Hikari Printing")`) shown in the chosen language, one language falling
/// back to the other.
///
/// It is written back in the form it was read in, so that rewriting the
/// register leaves plain names plain and the diff small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// One string for every language.
    Plain(String),
    /// A Japanese and an English form.
    Text(Text),
}

impl Default for Name {
    fn default() -> Self {
        Self::Plain(String::new())
    }
}

impl From<&str> for Name {
    fn from(plain: &str) -> Self {
        Self::Plain(plain.to_owned())
    }
}

impl From<String> for Name {
    fn from(plain: String) -> Self {
        Self::Plain(plain)
    }
}

impl Name {
    /// Builds a name from its two forms: a plain name when they are the
    /// same, else bilingual text (a form may be empty: the other is shown).
    pub fn of(ja: impl Into<String>, en: impl Into<String>) -> Self {
        let (ja, en) = (ja.into(), en.into());
        if ja == en {
            Self::Plain(ja)
        } else {
            Self::Text(Text { ja, en })
        }
    }

    /// Returns the name in `lang`, falling back to the other language.
    pub fn get(&self, lang: Lang) -> &str {
        match self {
            Self::Plain(s) => s,
            Self::Text(t) => t.get(lang),
        }
    }

    /// Returns the form written for `lang` itself, without falling back:
    /// a plain name's one string, or the empty string when bilingual text
    /// has no form in that language.
    pub fn own(&self, lang: Lang) -> &str {
        match self {
            Self::Plain(s) => s,
            Self::Text(t) => match lang {
                Lang::Ja => &t.ja,
                Lang::En => &t.en,
            },
        }
    }

    /// Returns the name with its `lang` form set to `value` and the other
    /// form kept (`--name-en`): a plain name's string becomes the other
    /// form, so the name turns bilingual when `value` differs from it;
    /// forms that end up the same, or an empty `value` (that language
    /// removed), make a plain name.
    #[must_use]
    pub fn with(&self, lang: Lang, value: &str) -> Self {
        let other = self.own(lang.other());
        if value.is_empty() {
            return Self::Plain(other.to_owned());
        }
        match lang {
            Lang::Ja => Self::of(value, other),
            Lang::En => Self::of(other, value),
        }
    }

    /// Returns the name after it was changed to `value` by someone reading
    /// it in `lang` (the register form's contact and services): a plain
    /// name is the same in every language, so it stays plain with the new
    /// string; bilingual text changes only its `lang` form.
    #[must_use]
    pub fn edited(&self, lang: Lang, value: &str) -> Self {
        match self {
            Self::Plain(_) => Self::Plain(value.to_owned()),
            Self::Text(_) => self.with(lang, value),
        }
    }

    /// Returns the two forms a form shows for the name read in `lang`: its
    /// `lang` form (a plain name's string) and its other form (empty for a
    /// plain name: "the same").
    pub fn split(&self, lang: Lang) -> (String, String) {
        match self {
            Self::Plain(s) => (s.clone(), String::new()),
            Self::Text(_) => (self.own(lang).to_owned(), self.own(lang.other()).to_owned()),
        }
    }

    /// Builds a name from the two forms of [`Name::split`]: an empty other
    /// form gives a plain name; otherwise the name is bilingual (plain when
    /// the two are the same).
    pub fn joined(lang: Lang, mine: &str, other: &str) -> Self {
        if other.is_empty() {
            return Self::Plain(mine.to_owned());
        }
        match lang {
            Lang::Ja => Self::of(mine, other),
            Lang::En => Self::of(other, mine),
        }
    }

    /// Returns the name in both languages, each falling back to the other
    /// (the `names` object of the JSON output: `{"ja": …, "en": …}`).
    pub fn both(&self) -> Text {
        Text::new(self.get(Lang::Ja), self.get(Lang::En))
    }

    /// Returns true when no language has a non-blank form.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Plain(s) => s.trim().is_empty(),
            Self::Text(t) => t.is_empty(),
        }
    }

    /// Returns true when nothing at all is written (a blank name is kept
    /// when the register is written, so that it reads back the same).
    pub fn is_unset(&self) -> bool {
        match self {
            Self::Plain(s) => s.is_empty(),
            Self::Text(t) => t.is_unset(),
        }
    }

    /// Returns true when the name is bilingual text (in the register or
    /// on screen, it has a form per language).
    pub fn is_bilingual(&self) -> bool {
        matches!(self, Self::Text(_))
    }

    /// Returns every form written (one for a plain name), for checks that
    /// look at all of them.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        let (a, b) = match self {
            Self::Plain(s) => (s.as_str(), ""),
            Self::Text(t) => (t.ja.as_str(), t.en.as_str()),
        };
        [a, b].into_iter().filter(|s| !s.is_empty())
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Plain(s) => serializer.serialize_str(s),
            Self::Text(t) => t.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a string or a bilingual text `(ja: "…", en: "…")`"#)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Name, E> {
                Ok(Name::Plain(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Name, E> {
                Ok(Name::Plain(v))
            }

            // Read here rather than through `Text`'s derive, so that a
            // wrong key is named as a language (the parser would name the
            // enclosing record, `Subject`, as the place of the field).
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Name, A::Error> {
                let mut text = Text::default();
                while let Some(key) = map.next_key::<String>()? {
                    let form = match key.as_str() {
                        "ja" => &mut text.ja,
                        "en" => &mut text.en,
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown language `{other}` in a name: write `ja` and/or `en`, or one plain string"
                            )));
                        }
                    };
                    if !form.is_empty() {
                        return Err(de::Error::custom(format!("`{key}` given twice in a name")));
                    }
                    *form = map.next_value()?;
                }
                Ok(Name::Text(text))
            }
        }

        deserializer.deserialize_any(NameVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject_name(ron: &str) -> Result<Name, ron::error::SpannedError> {
        #[derive(Debug, Deserialize, Serialize)]
        struct Holder {
            name: Name,
        }
        ron::from_str::<Holder>(ron).map(|h| h.name)
    }

    fn written(name: &Name) -> String {
        #[derive(Serialize)]
        struct Holder<'a> {
            name: &'a Name,
        }
        crate::model::to_ron(&Holder { name }).unwrap()
    }

    #[test]
    fn a_name_reads_plain_or_bilingual_and_is_written_back_so() {
        let plain = subject_name(r#"(name: "Aoba")"#).unwrap();
        assert_eq!(plain, Name::Plain("Aoba".into()));
        assert_eq!((plain.get(Lang::Ja), plain.get(Lang::En)), ("Aoba", "Aoba"));
        // A plain name stays a plain string when the register is rewritten.
        assert_eq!(written(&plain), "Holder(\n    name: \"Aoba\",\n)\n");

        let both = subject_name(r#"(name: (ja: "ひかり印刷", en: "Hikari Printing"))"#).unwrap();
        assert_eq!(both, Name::Text(Text::new("ひかり印刷", "Hikari Printing")));
        assert_eq!(both.get(Lang::Ja), "ひかり印刷");
        assert_eq!(both.get(Lang::En), "Hikari Printing");
        let text = written(&both);
        assert!(
            text.contains(r#"ja: "ひかり印刷""#) && text.contains(r#"en: "Hikari Printing""#),
            "{text}"
        );
        assert_eq!(
            subject_name(&text).unwrap(),
            both,
            "bilingual stays bilingual"
        );
        assert_eq!(subject_name(&written(&plain)).unwrap(), plain);

        // One language falls back to the other, either way round.
        let only_en = subject_name(r#"(name: (en: "Hikari Printing"))"#).unwrap();
        assert_eq!(only_en.get(Lang::Ja), "Hikari Printing");
        let only_ja = subject_name(r#"(name: Text(ja: "ひかり印刷"))"#).unwrap();
        assert_eq!(only_ja.get(Lang::En), "ひかり印刷");
        assert_eq!(subject_name(&written(&only_ja)).unwrap(), only_ja);
        assert_eq!(only_ja.both(), Text::new("ひかり印刷", "ひかり印刷"));

        // Anything else is refused with its place.
        let err = subject_name(r#"(name: (ja: "a", fr: "b"))"#).unwrap_err();
        assert!(err.to_string().contains("unknown language `fr`"), "{err}");
        assert!(subject_name(r#"(name: (ja: "a", ja: "b"))"#).is_err());
        assert_eq!(err.span.start.line, 1);
        assert!(subject_name("(name: 3)").is_err());
    }

    #[test]
    fn changing_one_language_keeps_the_other() {
        let plain = Name::from("ひかり印刷");
        // Naming a language makes a plain name bilingual...
        let both = plain.with(Lang::En, "Hikari Printing");
        assert_eq!(both, Name::Text(Text::new("ひかり印刷", "Hikari Printing")));
        // ...an edit read in one language keeps it plain...
        assert_eq!(plain.edited(Lang::En, "Hikari"), Name::from("Hikari"));
        // ...and changes only that language of a bilingual one.
        assert_eq!(
            both.edited(Lang::Ja, "ひかり印刷株式会社"),
            Name::Text(Text::new("ひかり印刷株式会社", "Hikari Printing"))
        );
        assert_eq!(
            both.with(Lang::Ja, "Hikari Printing"),
            Name::from("Hikari Printing")
        );
        // Removing one language leaves the other as a plain name.
        assert_eq!(both.with(Lang::En, ""), Name::from("ひかり印刷"));

        // The register form's two fields.
        assert_eq!(plain.split(Lang::En), ("ひかり印刷".into(), String::new()));
        assert_eq!(
            both.split(Lang::En),
            ("Hikari Printing".into(), "ひかり印刷".into())
        );
        for lang in [Lang::Ja, Lang::En] {
            for name in [&plain, &both] {
                let (mine, other) = name.split(lang);
                assert_eq!(&Name::joined(lang, &mine, &other), name);
            }
        }
        assert!(Name::default().is_empty() && Name::from(" ").is_empty());
        assert!(!Name::from(" ").is_unset());
    }

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
