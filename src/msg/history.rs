//! Words of `tenken history`.

use chrono::NaiveDate;

use super::Label;
use crate::model::Lang;

/// The table's columns, without the note column.
pub const HEADER: [Label; 7] = [
    Label::new("日付", "DATE"),
    Label::new("記録", "RUN"),
    Label::new("得点", "SCORE"),
    Label::new("達成率", "PERCENT"),
    Label::new("評価", "BAND"),
    Label::new("引継ぎ", "CARRIED"),
    Label::new("コミット", "COMMIT"),
];

/// The note column, shown when a row is marked.
pub const NOTE: Label = Label::new("備考", "NOTE");

/// The commit cell of a run file that git does not have.
pub const UNCOMMITTED: Label = Label::new("未コミット", "uncommitted");

/// No run at all.
pub const EMPTY: Label = Label::new(
    "記録された点検はまだありません。\n",
    "No runs recorded yet.\n",
);

/// Runs exist, but none matches the filters.
pub const NO_MATCH: Label = Label::new("条件に合う点検記録はありません。\n", "No runs match.\n");

/// A run file that is not committed.
pub const NOT_COMMITTED: Label = Label::new(
    "未コミット：集計に含まれません",
    "not committed: does not count",
);

/// A run file changed in the work tree after its commit.
pub const MODIFIED: Label = Label::new(
    "作業ツリーで変更あり：コミットの内容が有効",
    "changed in the work tree: the commit counts",
);

/// A committed run file deleted from the work tree.
pub const DELETED: Label = Label::new(
    "作業ツリーにありません：コミットの内容が有効",
    "missing from the work tree: the commit counts",
);

/// Separates the marks of one row.
pub const MARK_SEPARATOR: Label = Label::new("／", "; ");

/// A run that a correction replaced.
pub fn superseded_by(lang: Lang, run: &str) -> String {
    match lang {
        Lang::Ja => format!("{run} で訂正済み"),
        Lang::En => format!("superseded by {run}"),
    }
}

/// A withdrawn run: when, by whom and why.
pub fn withdrawn(lang: Lang, date: NaiveDate, by: &str, reason: &str) -> String {
    match lang {
        Lang::Ja => format!("{date} に {by} が取り下げ：{reason}"),
        Lang::En => format!("withdrawn {date} by {by}: {reason}"),
    }
}
