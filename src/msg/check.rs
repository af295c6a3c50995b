//! Words of `tenken check`.

use super::Label;
use crate::model::Lang;

/// No file has a problem.
pub const ALL_VALID: Label = Label::new(
    "すべてのファイルに問題はありません。\n",
    "All files are valid.\n",
);

/// How many problems were found (`tenken check`, or any command that met
/// invalid files).
pub fn problems_found(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!("問題が {n}件 見つかりました"),
        Lang::En if n == 1 => "1 problem found".to_owned(),
        Lang::En => format!("{n} problems found"),
    }
}

/// Said after the count when `tenken.ron`, `subjects.ron` or `roles.ron`
/// is among the invalid files: no command can go on safely without them.
pub const SETTINGS_NEEDED: Label = Label::new(
    "tenken.ron、subjects.ron、roles.ron が正しくないと、どのコマンドも安全に実行できません",
    "tenken needs tenken.ron, subjects.ron and roles.ron to be valid",
);
