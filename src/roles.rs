//! The management structure as people read it: the roles tenken itself
//! refers to (the inspection lead reports name, the leads staff report
//! incidents to), references to a role (`role:<id>`) as a corrective
//! action's owner, and the names of whoever holds a role. Pure: the
//! register comes from `load`, names from the settings and the history.

use std::collections::BTreeMap;

use crate::model::{Config, Id, Lang, Member, Role, Roles, Run};

/// The inspection lead (点検責任者, table 8), whom reports name.
pub const INSPECTION_LEAD: &str = "inspection-lead";
/// The information security lead (情報セキュリティ責任者, tables 8 and 9).
pub const SECURITY_LEAD: &str = "security-lead";
/// The department security lead (情報セキュリティ部門責任者), to whom staff
/// report an incident (table 9).
pub const DEPARTMENT_LEAD: &str = "department-lead";
/// The training lead (教育責任者, table 8).
pub const TRAINING_LEAD: &str = "training-lead";

/// How a text names a role instead of a person: `role:<id>`.
pub const REFERENCE_PREFIX: &str = "role:";

/// Returns the role id a text refers to (`role:inspection-lead` →
/// `inspection-lead`), or `None` when the text names a person.
pub fn referenced(text: &str) -> Option<&str> {
    text.trim().strip_prefix(REFERENCE_PREFIX).map(str::trim)
}

/// The register with the names of the people in it: what is needed to say
/// who holds a role.
#[derive(Debug, Clone)]
pub struct Directory<'a> {
    /// The register.
    pub roles: &'a Roles,
    /// Inspectors' names by id, from `tenken.ron` and the runs they made.
    names: BTreeMap<Id, String>,
}

impl<'a> Directory<'a> {
    /// Builds the directory from the register, the settings (inspectors'
    /// names in `tenken.ron`) and runs (the name each inspector last used).
    pub fn new<'r>(
        roles: &'a Roles,
        config: &Config,
        runs: impl IntoIterator<Item = &'r Run>,
    ) -> Self {
        let mut names = BTreeMap::new();
        for run in runs {
            if !run.inspector.name.trim().is_empty() {
                names.insert(run.inspector.id.clone(), run.inspector.name.clone());
            }
        }
        for (id, p) in &config.inspectors {
            if !p.name.trim().is_empty() {
                names.insert(id.clone(), p.name.clone());
            }
        }
        Self { roles, names }
    }

    /// Builds the directory from the register and names already gathered
    /// (see [`Self::names`]).
    pub fn with_names(roles: &'a Roles, names: BTreeMap<Id, String>) -> Self {
        Self { roles, names }
    }

    /// Returns the inspectors' names by id.
    pub fn names(&self) -> &BTreeMap<Id, String> {
        &self.names
    }

    /// Returns an inspector's name with the id (`Sato Hanako (sato)`), or
    /// the id alone when no name is known.
    pub fn inspector(&self, id: &Id) -> String {
        match self.names.get(id) {
            Some(name) => format!("{} ({id})", name.trim()),
            None => id.to_string(),
        }
    }

    /// Returns how a member reads: an inspector's name, a person's name, or
    /// a role with its holders.
    pub fn member(&self, member: &Member, lang: Lang) -> String {
        match member {
            Member::Inspector(id) => self.inspector(id),
            Member::Person(name) => name.trim().to_owned(),
            Member::Role(id) => match self.roles.get(id.as_str()) {
                Some(role) => self.role(role, lang),
                None => format!("{REFERENCE_PREFIX}{id}"),
            },
        }
    }

    /// Returns the holders of `role`, joined, or the words for nobody.
    pub fn holders(&self, role: &Role, lang: Lang) -> String {
        if role.holders.is_empty() {
            return lang.pick("未割り当て", "not assigned").to_owned();
        }
        let names: Vec<String> = role.holders.iter().map(|h| self.member(h, lang)).collect();
        names.join(lang.pick("、", ", "))
    }

    /// Returns a role with its holders: `点検責任者（佐藤 花子 (sato)）`.
    pub fn role(&self, role: &Role, lang: Lang) -> String {
        let (open, close) = match lang {
            Lang::Ja => ("（", "）"),
            Lang::En => (" (", ")"),
        };
        format!(
            "{}{open}{}{close}",
            role.title.get(lang).trim(),
            self.holders(role, lang)
        )
    }

    /// Returns how a member reads in running text: names without
    /// inspector ids, a role as whom to turn to for it ([`Self::contact`]).
    pub fn name(&self, member: &Member, lang: Lang) -> String {
        match member {
            Member::Inspector(id) => self
                .names
                .get(id)
                .map_or_else(|| id.to_string(), |n| n.trim().to_owned()),
            Member::Person(name) => name.trim().to_owned(),
            Member::Role(id) => self.roles.get(id.as_str()).map_or_else(
                || format!("{REFERENCE_PREFIX}{id}"),
                |r| self.contact(r, lang),
            ),
        }
    }

    /// Returns the holders of `role` for running text (names without
    /// inspector ids), joined, or the words for nobody.
    pub fn held_by(&self, role: &Role, lang: Lang) -> String {
        if role.holders.is_empty() {
            return lang.pick("未割り当て", "not assigned").to_owned();
        }
        let names: Vec<String> = role.holders.iter().map(|h| self.name(h, lang)).collect();
        names.join(lang.pick("、", ", "))
    }

    /// Returns whom to turn to for a role, for running text: the holders'
    /// names (without inspector ids) with the role after them,
    /// `Sato Hanako (Information security lead)`, or the role alone while
    /// nobody holds it.
    pub fn contact(&self, role: &Role, lang: Lang) -> String {
        let names: Vec<String> = role
            .holders
            .iter()
            .filter(|h| !matches!(h, Member::Role(_)))
            .map(|h| self.name(h, lang))
            .collect();
        let title = role.title.get(lang).trim();
        if names.is_empty() {
            return title.to_owned();
        }
        match lang {
            Lang::Ja => format!("{title}（{}）", names.join("または")),
            Lang::En => format!("{} ({title})", names.join(" or ")),
        }
    }

    /// Returns the role with `id` and its holders, or `None` when the
    /// register has no such role.
    pub fn role_by_id(&self, id: &str, lang: Lang) -> Option<String> {
        self.roles.get(id).map(|r| self.role(r, lang))
    }

    /// Returns how a corrective action's owner reads: a role reference as
    /// the role with its holders, an unknown role reference marked as such,
    /// anything else as written.
    pub fn owner(&self, owner: &str, lang: Lang) -> String {
        match referenced(owner) {
            Some(id) => self.role_by_id(id, lang).unwrap_or_else(|| {
                format!(
                    "{}{}",
                    owner.trim(),
                    lang.pick("（roles.ron にない役割）", " (no such role in roles.ron)")
                )
            }),
            None => owner.to_owned(),
        }
    }

    /// Returns true when `owner` matches `query` (ignoring case): the text
    /// itself, or, for a role reference, the role's id, its title in either
    /// language, or any of its holders.
    pub fn owner_matches(&self, owner: &str, query: &str) -> bool {
        let query = query.to_lowercase();
        let hit = |s: &str| s.to_lowercase().contains(&query);
        if hit(owner) {
            return true;
        }
        let Some(role) = referenced(owner).and_then(|id| self.roles.get(id)) else {
            return false;
        };
        hit(&role.title.ja)
            || hit(&role.title.en)
            || role.holders.iter().any(|h| match h {
                Member::Inspector(id) => {
                    hit(id.as_str()) || self.names.get(id).is_some_and(|n| hit(n))
                }
                Member::Person(name) => hit(name),
                Member::Role(_) => false,
            })
    }

    /// Returns the roles `inspector` holds, as their titles.
    pub fn titles_of(&self, inspector: &Id, lang: Lang) -> Vec<String> {
        self.roles
            .held_by(inspector)
            .map(|r| r.title.get(lang).trim().to_owned())
            .collect()
    }

    /// Returns whom staff report an incident to: the department lead, else
    /// the information security lead, if the register has either with a
    /// holder (the emergency structure, table 9).
    pub fn incident_contact(&self) -> Option<&'a Role> {
        [DEPARTMENT_LEAD, SECURITY_LEAD]
            .into_iter()
            .filter_map(|id| self.roles.get(id))
            .find(|r| !r.holders.is_empty())
    }
}

/// Role references, names and owners as they read, in both languages.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Permissions, Text};

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    fn register() -> Roles {
        Roles {
            format: 1,
            roles: vec![
                Role {
                    id: id(INSPECTION_LEAD),
                    title: Text::new("点検責任者", "Inspection lead"),
                    duties: Text::default(),
                    emergency: Text::default(),
                    holders: vec![Member::Inspector(id("sato"))],
                },
                Role {
                    id: id(SECURITY_LEAD),
                    title: Text::new("情報セキュリティ責任者", "Information security lead"),
                    duties: Text::default(),
                    emergency: Text::new("判断する", "decides"),
                    holders: vec![
                        Member::Person("Yamamoto Taro".into()),
                        Member::Inspector(id("tanaka")),
                    ],
                },
                Role {
                    id: id(DEPARTMENT_LEAD),
                    title: Text::new("情報セキュリティ部門責任者", "Department security lead"),
                    duties: Text::default(),
                    emergency: Text::new("報告する", "reports"),
                    holders: Vec::new(),
                },
            ],
            committee: None,
        }
    }

    fn config() -> Config {
        let mut config = Config::new("Example KK", Lang::En, 4, Vec::new());
        config.inspectors.insert(
            id("sato"),
            Permissions {
                name: "Sato Hanako".into(),
                ..Permissions::default()
            },
        );
        config
    }

    #[test]
    fn a_role_reads_with_its_holders() {
        let roles = register();
        let dir = Directory::new(&roles, &config(), []);
        assert_eq!(
            dir.owner("role:inspection-lead", Lang::En),
            "Inspection lead (Sato Hanako (sato))"
        );
        assert_eq!(
            dir.owner(" role:security-lead ", Lang::Ja),
            "情報セキュリティ責任者（Yamamoto Taro、tanaka）"
        );
        assert_eq!(
            dir.owner("role:department-lead", Lang::En),
            "Department security lead (not assigned)"
        );
        assert_eq!(
            dir.owner("role:auditor", Lang::En),
            "role:auditor (no such role in roles.ron)"
        );
        assert_eq!(dir.owner("総務 鈴木", Lang::Ja), "総務 鈴木");
        let lead = roles.get(SECURITY_LEAD).unwrap();
        assert_eq!(
            dir.contact(lead, Lang::En),
            "Yamamoto Taro or tanaka (Information security lead)"
        );
        assert_eq!(
            dir.contact(lead, Lang::Ja),
            "情報セキュリティ責任者（Yamamoto Taroまたはtanaka）"
        );
        assert_eq!(dir.held_by(&roles.roles[0], Lang::En), "Sato Hanako");
        assert_eq!(
            dir.name(&Member::Role(Id::new(DEPARTMENT_LEAD).unwrap()), Lang::En),
            "Department security lead"
        );
        assert_eq!(referenced("role:x"), Some("x"));
        assert_eq!(referenced("roles are fun"), None);
    }

    #[test]
    fn an_owner_filter_finds_the_holders_of_a_role() {
        let roles = register();
        let dir = Directory::new(&roles, &config(), []);
        for query in ["sato", "Hanako", "inspection", "点検", "role:insp"] {
            assert!(dir.owner_matches("role:inspection-lead", query), "{query}");
        }
        assert!(!dir.owner_matches("role:inspection-lead", "tanaka"));
        assert!(dir.owner_matches("role:security-lead", "yamamoto"));
        assert!(dir.owner_matches("IT 佐藤", "佐藤"));
        assert!(!dir.owner_matches("role:auditor", "sato"));
    }

    #[test]
    fn incidents_go_to_the_first_lead_with_a_holder() {
        let mut roles = register();
        let dir = Directory::new(&roles, &config(), []);
        assert_eq!(
            dir.incident_contact().map(|r| r.id.as_str()),
            Some(SECURITY_LEAD)
        );
        roles.roles[2].holders.push(Member::Inspector(id("sato")));
        let dir = Directory::new(&roles, &config(), []);
        assert_eq!(
            dir.incident_contact().map(|r| r.id.as_str()),
            Some(DEPARTMENT_LEAD)
        );
        assert_eq!(
            dir.titles_of(&id("sato"), Lang::Ja),
            ["点検責任者", "情報セキュリティ部門責任者"]
        );
    }
}
