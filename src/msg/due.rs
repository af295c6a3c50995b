//! Words of `tenken due`.

use super::{Label, days};
use crate::model::Lang;

/// The table's columns.
pub const HEADER: [Label; 7] = [
    Label::new("期限", "DUE"),
    Label::new("対象", "SUBJECT"),
    Label::new("名称", "NAME"),
    Label::new("点検", "INSPECTION"),
    Label::new("周期", "EVERY"),
    Label::new("前回実施", "LAST RUN"),
    Label::new("状況", "STATUS"),
];

/// Nothing falls due within the days asked for.
pub fn nothing_within(lang: Lang, within: i64) -> String {
    match lang {
        Lang::Ja => format!(
            "{}以内に期限を迎える点検はありません。\n",
            days(lang, within)
        ),
        Lang::En => format!("Nothing is due within {}.\n", days(lang, within)),
    }
}

/// No active profile: nothing can be due.
pub const NO_PROFILE: Label = Label::new(
    "予定された点検はありません：tenken.ron に有効なプロファイルの指定がありません。\n",
    "Nothing is scheduled: tenken.ron names no active profile.\n",
);

/// The active profiles schedule nothing.
pub const NOTHING_SCHEDULED: Label =
    Label::new("予定された点検はありません。\n", "Nothing is scheduled.\n");

/// A subject × inspection never inspected.
pub const NEVER_INSPECTED: Label = Label::new("未実施：今すぐ実施", "never inspected: due now");

/// Due on the day the command runs.
pub const DUE_TODAY: Label = Label::new("本日が期限", "due today");

/// Past its due date by `late` days.
pub fn overdue_by(lang: Lang, late: i64) -> String {
    match lang {
        Lang::Ja => format!("{}超過", days(lang, late)),
        Lang::En => format!("overdue by {}", days(lang, late)),
    }
}

/// Due in `left` days.
pub fn due_in(lang: Lang, left: i64) -> String {
    match lang {
        Lang::Ja => format!("あと{}", days(lang, left)),
        Lang::En => format!("due in {}", days(lang, left)),
    }
}
