//! Words of `tenken roles` that are not the list's own (the list picks its
//! words in cli/roles.rs): what a change did, and why one is refused.

use super::{Label, Message};

/// What `roles set` did.
pub const SET: Label = Label::new("担当者を変更しました", "Set");
/// What `roles add` did.
pub const ADDED: Label = Label::new("役割を追加しました", "Added");
/// What `roles remove` did.
pub const REMOVED: Label = Label::new("役割を削除しました", "Removed");
/// What `roles committee` did.
pub const COMMITTEE: Label = Label::new("委員会を変更しました", "Committee");

/// `name:` with nothing after it.
pub const EMPTY_NAME: Label = Label::new(
    "`name:` の後に名前を書いてください",
    "`name:` needs a name after it",
);

/// A role named as a holder of a role.
pub fn role_as_holder(raw: &str) -> (Message, Message) {
    (
        Message::new(
            format!("`{raw}`: 役割を担当するのは人で、別の役割ではありません"),
            format!("`{raw}`: a role is held by people, not by another role"),
        ),
        Message::new(
            "点検者 ID（`sato`）か人の名前（`name:山本 太郎`）を指定してください",
            "name an inspector id (`sato`) or a person (`name:山本 太郎`)",
        ),
    )
}

/// A holder that is no inspector id (the reason in English, from `Id`).
pub fn not_an_inspector(raw: &str, why: &str) -> (Message, Message) {
    (
        Message::new(
            format!("`{raw}` は点検者 ID ではありません: {why}"),
            format!("`{raw}` is not an inspector id: {why}"),
        ),
        Message::new(
            "点検者 ID のない人は `name:TEXT` の形で指定してください。例: `name:山本 太郎`",
            "name someone without an inspector id as `name:TEXT`, for example `name:山本 太郎`",
        ),
    )
}

/// `role:X` with X no role id.
pub fn no_role(raw: &str, why: &str) -> Message {
    Message::new(
        format!("`{raw}` は役割を指していません: {why}"),
        format!("`{raw}` names no role: {why}"),
    )
}

/// A role id not in roles.ron.
pub fn unknown_role(id: &str) -> (Message, Message) {
    (
        Message::new(
            format!("役割 `{id}` は roles.ron にありません"),
            format!("role `{id}` is not in roles.ron"),
        ),
        Message::new(
            format!(
                "役割は `tenken roles` で一覧できます。追加するには `tenken roles add {id}` を使ってください"
            ),
            format!("list the roles with `tenken roles`, or add it with `tenken roles add {id}`"),
        ),
    )
}

/// `roles set` with the holders the role has.
pub fn same_holders(id: &str) -> Message {
    Message::new(
        format!("役割 `{id}` の担当者はすでにこのとおりです"),
        format!("role `{id}` already has exactly these holders"),
    )
}

/// `roles add` of a role roles.ron has.
pub fn already_there(id: &str) -> (Message, Message) {
    (
        Message::new(
            format!("役割 `{id}` はすでに roles.ron にあります"),
            format!("role `{id}` is already in roles.ron"),
        ),
        Message::new(
            format!("担当者は `tenken roles set {id} HOLDER…` で指定してください"),
            format!("name its holders with `tenken roles set {id} HOLDER…`"),
        ),
    )
}

/// `roles add` without a title.
pub const NO_TITLE: Label = Label::new(
    "新しい役割には名前が必要です。`--title-ja TEXT` か `--title-en TEXT`、または両方を付けてください",
    "a new role needs a name: pass `--title-ja TEXT`, `--title-en TEXT` or both",
);

/// `roles remove` of a role on the committee.
pub fn on_committee(id: &str) -> (Message, Message) {
    (
        Message::new(
            format!("役割 `{id}` は委員会に入っています"),
            format!("role `{id}` sits on the committee"),
        ),
        Message::new(
            "先に `tenken roles committee MEMBER…` で委員会から外してください",
            "take it off first with `tenken roles committee MEMBER…`",
        ),
    )
}

/// `roles committee` with the members it has.
pub const SAME_COMMITTEE: Label = Label::new(
    "委員会の委員はすでにこのとおりです",
    "the committee already has exactly these members",
);
