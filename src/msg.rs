//! The message catalogue: every word the command line prints, in Japanese
//! and English side by side, one submodule per command.
//!
//! A fixed word or line is a [`Label`] constant; a message that carries
//! values is a function taking the [`Lang`] and typed arguments and
//! returning the finished line. Callers pick the language once
//! (`Ctx::lang`) and never write words themselves; ids, dates, numbers and
//! text from data are passed in already formatted or escaped. JSON keys
//! and values are not messages and stay English.
//!
//! An error is made where the problem is found, before anyone knows the
//! language it will be shown in: its words are a [`Message`], which holds
//! both and is printed by `main` in the language of `--lang`,
//! `TENKEN_LANG` or the repository. `errors` holds the errors many
//! commands share.
//!
//! The TUI and reports still pick their words where they draw them
//! (`lang.pick`); this module owns the CLI's. Pure: no I/O.

pub mod actions;
pub mod attach;
pub mod check;
pub mod commit;
pub mod compare;
pub mod due;
pub mod errors;
pub mod export;
pub mod files;
pub mod help;
pub mod history;
pub mod init;
#[cfg(test)]
mod ja_words;
pub mod load;
pub mod permissions;
pub mod record;
pub mod remote;
pub mod repo;
pub mod report;
pub mod risks;
pub mod roles;
pub mod signing;
pub mod ssh;
pub mod subjects;
pub mod suppliers;
pub mod sync;
pub mod trend;
pub mod usage;
pub mod verify;
pub mod withdraw;

use crate::model::{Every, Lang, RunStatus};

/// A fixed word or line in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// The Japanese form.
    pub ja: &'static str,
    /// The English form.
    pub en: &'static str,
}

impl Label {
    /// Builds a label from its Japanese and English forms.
    pub const fn new(ja: &'static str, en: &'static str) -> Self {
        Self { ja, en }
    }

    /// Returns the label in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.ja, self.en)
    }
}

/// A message in both languages, made before the language to show it in
/// is known (an error or a hint).
///
/// One made from a plain string has no Japanese yet (its words are not in
/// the catalogue): it is shown in English whatever the language, and says
/// so through [`Message::lang_shown`], so that the line's prefix matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The Japanese form; `None` until the message is in the catalogue.
    ja: Option<String>,
    /// The English form.
    en: String,
}

impl Message {
    /// Builds a message from its Japanese and English forms.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ja: Some(ja.into()),
            en: en.into(),
        }
    }

    /// Builds a message from a catalogue function, once per language.
    pub fn of(words: impl Fn(Lang) -> String) -> Self {
        Self::new(words(Lang::Ja), words(Lang::En))
    }

    /// Returns the message in `lang` (English when it has no Japanese).
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.ja) {
            (Lang::Ja, Some(ja)) => ja,
            _ => &self.en,
        }
    }

    /// Returns the language [`Message::get`] shows for `lang`.
    pub fn lang_shown(&self, lang: Lang) -> Lang {
        match (lang, &self.ja) {
            (Lang::Ja, Some(_)) => Lang::Ja,
            _ => Lang::En,
        }
    }

    /// Rewrites both forms with `words(lang, form)`: to put a message
    /// inside a longer one. A message without Japanese stays without.
    #[must_use]
    pub fn wrap(self, words: impl Fn(Lang, &str) -> String) -> Self {
        Self {
            ja: self.ja.map(|ja| words(Lang::Ja, &ja)),
            en: words(Lang::En, &self.en),
        }
    }
}

/// English, for logs and for code that shows no language (tests).
impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// A message not in the catalogue yet: English in both languages.
impl From<String> for Message {
    fn from(en: String) -> Self {
        Self { ja: None, en }
    }
}

/// A message not in the catalogue yet: English in both languages.
impl From<&str> for Message {
    fn from(en: &str) -> Self {
        en.to_owned().into()
    }
}

impl From<Label> for Message {
    fn from(label: Label) -> Self {
        Self::new(label.ja, label.en)
    }
}

/// The prefix of an error line on stderr.
pub const ERROR: Label = Label::new("エラー", "error");
/// The prefix of a hint line on stderr.
pub const HINT: Label = Label::new("ヒント", "hint");
/// The prefix of a warning line on stderr.
pub const WARNING: Label = Label::new("警告", "warning");

/// The line naming the commit a change was saved in.
pub fn commit_line(lang: Lang, commit: &str) -> String {
    match lang {
        Lang::Ja => format!("コミット: {commit}\n"),
        Lang::En => format!("Commit: {commit}\n"),
    }
}

/// Returns a file size in bytes ("1234 bytes", "1234 バイト").
pub fn bytes(lang: Lang, n: u64) -> String {
    match lang {
        Lang::Ja => format!("{n} バイト"),
        Lang::En if n == 1 => "1 byte".to_owned(),
        Lang::En => format!("{n} bytes"),
    }
}

/// Returns the labels of a table header in `lang`.
pub fn header(lang: Lang, labels: &[Label]) -> Vec<&'static str> {
    labels.iter().map(|l| l.get(lang)).collect()
}

/// Returns a number of days ("1 day", "3日").
pub fn days(lang: Lang, n: i64) -> String {
    match lang {
        Lang::Ja => format!("{n}日"),
        Lang::En if n == 1 => "1 day".to_owned(),
        Lang::En => format!("{n} days"),
    }
}

/// Shown for a subject × inspection never inspected.
pub const NEVER: Label = Label::new("未実施", "never");

/// Returns how often an inspection is due ("quarter", "四半期ごと").
pub fn every(every: Every) -> Label {
    match every {
        Every::Month => Label::new("毎月", "month"),
        Every::Quarter => Label::new("四半期ごと", "quarter"),
        Every::HalfYear => Label::new("半年ごと", "half-year"),
        Every::Year => Label::new("毎年", "year"),
    }
}

/// Returns the mark of a run file that does not count as committed, or
/// `None` for a committed one.
pub fn run_status(status: RunStatus) -> Option<Label> {
    match status {
        RunStatus::Committed => None,
        RunStatus::Uncommitted => Some(Label::new("未コミット", "uncommitted")),
        RunStatus::Modified => Some(Label::new(
            "変更あり・未コミット",
            "modified, not committed",
        )),
        RunStatus::Deleted => Some(Label::new("作業ツリーで削除", "deleted in the work tree")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_both_languages() {
        assert_eq!(days(Lang::En, 1), "1 day");
        assert_eq!(days(Lang::En, 243), "243 days");
        assert_eq!(days(Lang::Ja, 243), "243日");
    }

    #[test]
    fn a_message_without_japanese_is_english_in_both() {
        let plain = Message::from("no such file");
        assert_eq!(plain.get(Lang::Ja), "no such file");
        assert_eq!(plain.lang_shown(Lang::Ja), Lang::En);
        let both = Message::of(|lang| lang.pick("ファイルがありません", "no such file").to_owned());
        assert_eq!(both.get(Lang::Ja), "ファイルがありません");
        assert_eq!(both.lang_shown(Lang::Ja), Lang::Ja);
        assert_eq!(both.to_string(), "no such file");
        let wrapped = both.wrap(|lang, m| format!("{}{m}", lang.pick("記録: ", "run: ")));
        assert_eq!(wrapped.get(Lang::Ja), "記録: ファイルがありません");
        assert_eq!(wrapped.get(Lang::En), "run: no such file");
    }
}
