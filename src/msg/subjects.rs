//! Words of `tenken subjects` (the register).

use super::{Label, Message};
use crate::model::{Lang, SubjectKind};

/// The register's columns.
pub const HEADER: [Label; 6] = [
    Label::new("ID", "ID"),
    Label::new("種別", "KIND"),
    Label::new("名称", "NAME"),
    Label::new("事業影響度", "CRITICALITY"),
    Label::new("タグ", "TAGS"),
    Label::new("状況", "STATUS"),
];

/// Returns the kind of a subject as a reader names it.
pub fn kind(kind: SubjectKind) -> Label {
    match kind {
        SubjectKind::Organisation => Label::new("組織", "organisation"),
        SubjectKind::Site => Label::new("拠点", "site"),
        SubjectKind::Supplier => Label::new("委託先", "supplier"),
    }
}

/// Where to see the register's ids.
pub const LIST_HINT: Label = Label::new(
    "登録されている対象は `tenken subjects` で一覧できます",
    "list the register with `tenken subjects`",
);

/// A retired subject: kept with its history, no longer due.
pub const RETIRED: Label = Label::new("登録終了", "retired");

/// What a change did to the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new subject.
    Add,
    /// Details of a subject changed.
    Edit,
    /// A subject retired.
    Retire,
}

/// Says what was done to which subject (`kind` in `lang`), and the commit.
pub fn changed(lang: Lang, change: Change, kind: &str, id: &str, commit: &str) -> String {
    let done = match (lang, change) {
        (Lang::Ja, Change::Add) => format!("{kind} `{id}` を追加しました"),
        (Lang::Ja, Change::Edit) => format!("{kind} `{id}` を変更しました"),
        (Lang::Ja, Change::Retire) => format!("{kind} `{id}` の登録を終了しました"),
        (Lang::En, Change::Add) => format!("Added {kind} {id}"),
        (Lang::En, Change::Edit) => format!("Changed {kind} {id}"),
        (Lang::En, Change::Retire) => format!("Retired {kind} {id}"),
    };
    format!("{done}\n{}", super::commit_line(lang, commit))
}

/// `subjects add` names an id the register has.
pub fn already_registered(id: &str) -> Message {
    Message::new(
        format!("対象 `{id}` はすでに subjects.ron にあります"),
        format!("subject `{id}` is already in subjects.ron"),
    )
}

/// How to change a registered subject.
pub fn edit_hint(id: &str) -> Message {
    Message::new(
        format!("変更するには `tenken subjects edit {id}` を使ってください"),
        format!("change it with `tenken subjects edit {id}`"),
    )
}

/// `--name` given empty.
pub const EMPTY_NAME: Label = Label::new("--name を空にはできません", "--name must not be empty");

/// `subjects edit` with nothing that differs.
pub fn nothing_to_change(id: &str) -> Message {
    Message::new(
        format!("対象 `{id}` に変更する内容がありません"),
        format!("nothing to change for subject `{id}`"),
    )
}

/// What `subjects edit` needs.
pub const NOTHING_TO_CHANGE_HINT: Label = Label::new(
    "`--name` や `--criticality` など、変更する項目を指定してください",
    "pass the details to change, such as `--name` or `--criticality`",
);

/// `subjects retire` of a retired subject.
pub fn already_retired(id: &str) -> Message {
    Message::new(
        format!("対象 `{id}` はすでに登録を終了しています"),
        format!("subject `{id}` is already retired"),
    )
}

/// `subjects retire` of the organisation.
pub fn cannot_retire_organisation(id: &str) -> Message {
    Message::new(
        format!("対象 `{id}` は組織そのものなので、登録を終了できません"),
        format!("subject `{id}` is the organisation itself and cannot be retired"),
    )
}

/// A text option with a control character in it.
pub fn control_character(flag: &str, value: &str) -> Message {
    Message::new(
        format!("{flag} `{value}` に制御文字が含まれています"),
        format!("{flag} `{value}` contains a control character"),
    )
}
