//! Refusals of what an inspector may not do (`tenken.ron`'s permissions
//! and restricted mode), shared by the commands that check them.

use super::{Label, Message};

/// What a permission covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Subjects an inspector may inspect.
    Subject,
    /// Inspections an inspector may run.
    Inspection,
}

/// The inspector may not run the subject or inspection `id`.
pub fn may_not_run(inspector: &str, scope: Scope, id: &str) -> Message {
    match scope {
        Scope::Subject => Message::new(
            format!("点検者 `{inspector}` は対象 `{id}` を点検できません"),
            format!("inspector `{inspector}` may not run subject `{id}`"),
        ),
        Scope::Inspection => Message::new(
            format!("点検者 `{inspector}` は点検 `{id}` を実施できません"),
            format!("inspector `{inspector}` may not run inspection `{id}`"),
        ),
    }
}

/// What `tenken.ron` allows the inspector (ids joined).
pub fn allowed(inspector: &str, scope: Scope, ids: &str) -> Message {
    match scope {
        Scope::Subject => Message::new(
            format!("tenken.ron で `{inspector}` に許可されている対象: {ids}"),
            format!("tenken.ron allows `{inspector}` the subjects {ids}"),
        ),
        Scope::Inspection => Message::new(
            format!("tenken.ron で `{inspector}` に許可されている点検: {ids}"),
            format!("tenken.ron allows `{inspector}` the inspections {ids}"),
        ),
    }
}

/// Closing an action needs the right to run its subject.
pub fn may_not_close(inspector: &str, action: &str, subject: &str) -> Message {
    Message::new(
        format!(
            "点検者 `{inspector}` は `{action}` を完了にできません。是正処置を完了にするには対象 `{subject}` を点検する権限が必要です"
        ),
        format!(
            "inspector `{inspector}` may not close `{action}`: closing an action needs the right to run subject `{subject}`"
        ),
    )
}

/// The inspector may not edit the register (subjects or roles) over a
/// restricted session.
pub fn may_not_edit_subjects(inspector: &str) -> Message {
    Message::new(
        format!("点検者 `{inspector}` は制限モードで対象の登録を変更できません"),
        format!("inspector `{inspector}` may not edit the register in restricted mode"),
    )
}

/// The inspector may not edit the management structure over a restricted
/// session.
pub fn may_not_edit_roles(inspector: &str) -> Message {
    Message::new(
        format!("点検者 `{inspector}` は制限モードで管理体制を変更できません"),
        format!("inspector `{inspector}` may not edit the management structure in restricted mode"),
    )
}

/// Who can grant the right to edit the register.
pub const EDIT_REGISTER_HINT: Label = Label::new(
    "管理者が tenken.ron でその点検者に `edit_register: true` を設定できます",
    "an administrator can set `edit_register: true` for the inspector in tenken.ron",
);

/// The inspector may not sync over a restricted session.
pub fn may_not_sync(inspector: &str) -> Message {
    Message::new(
        format!(
            "点検者 `{inspector}` は制限モードで `sync` を実行できません（tenken.ron の `sync: true` で許可できます）"
        ),
        format!(
            "inspector `{inspector}` may not run `sync` in restricted mode (`sync: true` in tenken.ron allows it)"
        ),
    )
}
