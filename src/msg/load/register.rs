//! The rules of `roles.ron` and of risk assessments (`risks/*.ron`).

use crate::msg::Message;

/// Two roles with one id.
pub fn duplicate_role(id: &str) -> Message {
    Message::new(
        format!("役割の `id` `{id}` が2つあります"),
        format!("duplicate role id `{id}`"),
    )
}

/// A role held by another role.
pub fn held_by_role(role: &str, other: &str) -> Message {
    Message::new(
        format!(
            "役割 `{role}` の担当が役割 `{other}` になっています。担当は点検者（`Inspector(\"id\")`）か人（`Person(\"name\")`）にしてください"
        ),
        format!(
            "role `{role}` is held by role `{other}`; a holder is an inspector (`Inspector(\"id\")`) or a person (`Person(\"name\")`)"
        ),
    )
}

/// A role held by a person without a name.
pub fn person_without_name(role: &str) -> Message {
    Message::new(
        format!("役割 `{role}` に名前のない `Person` があります"),
        format!("role `{role}` names a person without a name"),
    )
}

/// A role naming the same holder twice.
pub fn holder_twice(role: &str, holder: &str) -> Message {
    Message::new(
        format!("役割 `{role}` に `{holder}` が2回あります"),
        format!("role `{role}` names `{holder}` twice"),
    )
}

/// The committee names a role the register does not have.
pub fn committee_unknown_role(id: &str, chair: bool) -> Message {
    if chair {
        Message::new(
            format!("委員会の委員長の役割 `{id}` は roles.ron にありません"),
            format!("the committee's chair is role `{id}`, which is not in roles.ron"),
        )
    } else {
        Message::new(
            format!("委員会にある役割 `{id}` は roles.ron にありません"),
            format!("the committee names role `{id}`, which is not in roles.ron"),
        )
    }
}

/// The committee names a person without a name.
pub fn committee_person_without_name(chair: bool) -> Message {
    if chair {
        Message::new(
            "委員会の委員長に名前のない `Person` があります",
            "the committee names a chair without a name",
        )
    } else {
        Message::new(
            "委員会の委員に名前のない `Person` があります",
            "the committee names a member without a name",
        )
    }
}

/// Two assets with one id.
pub fn duplicate_asset(id: &str) -> Message {
    Message::new(
        format!("資産の `id` `{id}` が2つあります"),
        format!("duplicate asset id `{id}`"),
    )
}

/// A confidentiality, integrity or availability value outside 1–3
/// (`field` is `c`, `i` or `a`).
pub fn asset_value(field: &str, asset: &str, found: u8) -> Message {
    Message::new(
        format!(
            "資産 `{asset}` の `{field}` は 1・2・3 のどれかにしてください（{found} になっています）"
        ),
        format!("`{field}` of asset `{asset}` must be 1, 2 or 3, not {found}"),
    )
}

/// Two threats of an asset with one id.
pub fn duplicate_threat(id: &str, asset: &str) -> Message {
    Message::new(
        format!("資産 `{asset}` に脅威の `id` `{id}` が2つあります"),
        format!("duplicate threat id `{id}` in asset `{asset}`"),
    )
}

/// A threat or vulnerability value outside 1–3 (`field` names which).
pub fn threat_value(field: &str, threat: &str, found: u8) -> Message {
    Message::new(
        format!(
            "脅威 `{threat}` の `{field}` は 1・2・3 のどれかにしてください（{found} になっています）"
        ),
        format!("`{field}` of threat `{threat}` must be 1, 2 or 3, not {found}"),
    )
}

/// A threat category the measures do not know (`known` lists them).
pub fn unknown_category(threat: &str, category: &str, known: &str) -> Message {
    Message::new(
        format!("脅威 `{threat}` の `category` `{category}` はありません。使えるもの: {known}"),
        format!("threat `{threat}` names unknown category `{category}`; known: {known}"),
    )
}

/// A derived vulnerability without the category it comes from.
pub fn derived_without_category(threat: &str) -> Message {
    Message::new(
        format!(
            "脅威 `{threat}` には `derived` がありますが、導き出す元の `category` がありません"
        ),
        format!(
            "threat `{threat}` has a derived vulnerability but no `category` to derive it from"
        ),
    )
}

/// A derived vulnerability outside 1–3.
pub fn derived_value(threat: &str, found: u8) -> Message {
    Message::new(
        format!(
            "脅威 `{threat}` の `derived` の `value` は 1・2・3 のどれかにしてください（{found} になっています）"
        ),
        format!("the derived vulnerability of threat `{threat}` must be 1, 2 or 3, not {found}"),
    )
}

/// A vulnerability changed from the derived one without a reason.
pub fn derived_differs(threat: &str, vulnerability: u8, derived: u8) -> Message {
    Message::new(
        format!(
            "脅威 `{threat}` の `vulnerability` {vulnerability} は点検から導いた {derived} と違います。理由を `derived` の `note` に書いてください"
        ),
        format!(
            "threat `{threat}`: vulnerability {vulnerability} differs from the {derived} derived from the inspections; say why in the derivation's `note`"
        ),
    )
}
