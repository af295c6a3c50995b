//! Words of `tenken actions`.

use super::Label;
use crate::actions::{CloseKind, Status};
use crate::model::Lang;

/// The table's columns, without the closing run's.
pub const HEADER: [Label; 8] = [
    Label::new("状況", "STATUS"),
    Label::new("期限", "DUE"),
    Label::new("登録日", "OPENED"),
    Label::new("対象", "SUBJECT"),
    Label::new("点検", "INSPECTION"),
    Label::new("項目", "ITEM"),
    Label::new("担当", "OWNER"),
    Label::new("是正処置", "ACTION"),
];

/// The column of the run that closed an action (with `--all`).
pub const CLOSED_BY: Label = Label::new("完了した記録", "CLOSED BY");

/// Filters left no action.
pub const NO_MATCH: Label = Label::new("条件に合う是正処置はありません。\n", "No actions match.\n");

/// No action at all, open or closed.
pub const NONE_RECORDED: Label = Label::new(
    "記録された是正処置はまだありません。\n",
    "No corrective actions recorded yet.\n",
);

/// Every action is closed.
pub const NONE_OPEN: Label = Label::new(
    "未完了の是正処置はありません。\n",
    "No open corrective actions.\n",
);

/// Returns where an action stands.
pub fn status(status: Status) -> Label {
    match status {
        Status::Overdue => Label::new("期限切れ", "overdue"),
        Status::Open => Label::new("未完了", "open"),
        Status::Closed => Label::new("完了", "closed"),
    }
}

/// Returns how a later run closed an action.
pub fn closed_how(kind: CloseKind) -> Label {
    match kind {
        CloseKind::Best => Label::new("最良の回答", "best answer"),
        CloseKind::Explicit => Label::new("明示的に完了", "closed explicitly"),
    }
}

/// The line under the table: open (overdue among them) and, with `--all`,
/// closed actions.
pub fn summary(lang: Lang, open: usize, overdue: usize, closed: Option<usize>) -> String {
    match (lang, closed) {
        (Lang::Ja, None) => format!("未完了 {open}件、うち期限切れ {overdue}件。\n"),
        (Lang::Ja, Some(closed)) => {
            format!("未完了 {open}件、うち期限切れ {overdue}件、完了 {closed}件。\n")
        }
        (Lang::En, None) => format!("{open} open, {overdue} overdue.\n"),
        (Lang::En, Some(closed)) => format!("{open} open, {overdue} overdue, {closed} closed.\n"),
    }
}
