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
//! The TUI and reports still pick their words where they draw them
//! (`lang.pick`); this module owns the CLI's. Pure: no I/O.

pub mod actions;
pub mod check;
pub mod compare;
pub mod due;
pub mod history;
pub mod subjects;
pub mod suppliers;
pub mod trend;
pub mod verify;

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
}
