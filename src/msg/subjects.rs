//! Words of `tenken subjects` (the register).

use super::Label;
use crate::model::SubjectKind;

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

/// A retired subject: kept with its history, no longer due.
pub const RETIRED: Label = Label::new("登録終了", "retired");
