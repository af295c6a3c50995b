//! The management structure (`roles.ron`): the roles of the guideline's
//! management structure (表8) and emergency structure (表9), who holds
//! each, and the information-security committee. Plain data; the roles
//! tenken itself knows (their ids and default wording) are in
//! `crate::roles`, validation in `load`.

use serde::{Deserialize, Serialize};

use super::{Id, Text};

/// The whole register, as stored in `roles.ron`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    /// File format version; always 1.
    pub format: u32,
    /// Every role, in the order shown.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// The information-security committee (情報セキュリティ委員会), if the
    /// organisation has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<Committee>,
}

impl Default for Roles {
    fn default() -> Self {
        Self {
            format: super::FORMAT,
            roles: Vec::new(),
            committee: None,
        }
    }
}

/// One role and who holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The role id, used in references such as `role:inspection-lead`.
    pub id: Id,
    /// The role's name.
    pub title: Text,
    /// What the role does day to day (the management structure, 表8).
    #[serde(default, skip_serializing_if = "Text::is_unset")]
    pub duties: Text,
    /// What the role does when an incident happens (the emergency
    /// structure, 表9); unset when the role has no part in it.
    #[serde(default, skip_serializing_if = "Text::is_unset")]
    pub emergency: Text,
    /// Who holds the role: inspectors (by id) or people named in full.
    /// Empty while nobody is assigned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<Member>,
}

/// A person who holds a role or sits on the committee, or (on the
/// committee only) a role whose holders sit on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Member {
    /// An inspector, by the id they use in tenken (`Inspector("sato")`).
    Inspector(Id),
    /// Someone without an inspector id, by name (`Person("山本 太郎")`).
    Person(String),
    /// Every holder of a role (`Role("security-lead")`); committee only.
    Role(Id),
}

/// The information-security committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Committee {
    /// Who chairs it, if anyone is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chair: Option<Member>,
    /// Its members.
    #[serde(default)]
    pub members: Vec<Member>,
    /// When it meets (for example every quarter).
    #[serde(default, skip_serializing_if = "Text::is_unset")]
    pub meets: Text,
}

impl Roles {
    /// Returns the role with `id`.
    pub fn get(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id.as_str() == id)
    }

    /// Returns the roles `inspector` holds, in register order.
    pub fn held_by<'a>(&'a self, inspector: &'a Id) -> impl Iterator<Item = &'a Role> + 'a {
        self.roles.iter().filter(move |r| {
            r.holders
                .iter()
                .any(|h| matches!(h, Member::Inspector(id) if id == inspector))
        })
    }
}
