//! `tenken roles`: the management structure (`roles.ron`). Without a
//! subcommand it lists every role with its holders and the committee;
//! `set`, `add`, `remove` and `committee` change it, each change validated
//! and committed alone, authored by the inspector, with the message
//! `roles: set|add|remove <id>` or `roles: committee`. In restricted mode
//! a change needs `edit_register`, like the subject register.

use std::fmt::Write as _;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::{Ctx, Format, print, print_json, table};
use crate::error::{Error, Result};
use crate::escape;
use crate::model::{Committee, FORMAT, Id, Lang, Member, Role, Roles, Text};
use crate::msg;
use crate::roles::{Directory, INSPECTION_LEAD, REFERENCE_PREFIX};
use crate::store::Identity;

/// List the management structure (roles, holders, committee), or change it
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, after_long_help = ROLES_HELP)]
pub struct RolesArgs {
    /// Change the structure instead of listing it
    #[command(subcommand)]
    pub command: Option<RolesCommand>,
    /// Output format of the list
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How holders and members are written, shown by `tenken roles --help`.
const ROLES_HELP: &str = "\
A HOLDER is an inspector id (`sato`) or `name:TEXT` for someone who does not
use tenken (`name:山本 太郎`). A committee MEMBER may also be `role:ID`: every
holder of that role sits on the committee.

A corrective action's owner may name a role instead of a person,
`role:inspection-lead`; reports and `tenken actions` then show the role with
whoever holds it, and `tenken actions --owner sato` finds the actions of the
roles sato holds.

Each change is validated and committed alone. In restricted mode it needs
`edit_register: true` for the inspector in tenken.ron.";

/// The changes to the management structure.
#[derive(Debug, Subcommand)]
pub enum RolesCommand {
    /// Name who holds a role (no HOLDER: nobody) and commit it
    Set(SetArgs),
    /// Add a role of the organisation's own and commit it
    Add(AddArgs),
    /// Remove a role and commit it
    Remove(RemoveArgs),
    /// Name the members of the information-security committee (none: no committee)
    Committee(CommitteeArgs),
}

/// Name who holds a role (no HOLDER: nobody) and commit it
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The role, such as `inspection-lead`
    #[arg(value_name = "ROLE")]
    pub role: Id,
    /// An inspector id, or `name:TEXT` (repeat for more; replaces the holders)
    #[arg(value_name = "HOLDER")]
    pub holders: Vec<String>,
}

/// Add a role of the organisation's own and commit it
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The new role's id (a-z, 0-9, `.`, `_`, `-`)
    #[arg(value_name = "ROLE")]
    pub role: Id,
    /// The role's name in Japanese
    #[arg(long, value_name = "TEXT")]
    pub title_ja: Option<String>,
    /// The role's name in English
    #[arg(long, value_name = "TEXT")]
    pub title_en: Option<String>,
    /// What the role does, in the repository's language
    #[arg(long, value_name = "TEXT")]
    pub duties: Option<String>,
    /// An inspector id, or `name:TEXT` (repeat for more)
    #[arg(value_name = "HOLDER")]
    pub holders: Vec<String>,
}

/// Remove a role and commit it
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The role to remove
    #[arg(value_name = "ROLE")]
    pub role: Id,
}

/// Name the members of the information-security committee (none: no committee)
#[derive(Debug, Args)]
pub struct CommitteeArgs {
    /// An inspector id, `name:TEXT` or `role:ID` (repeat for more; replaces the members)
    #[arg(value_name = "MEMBER")]
    pub members: Vec<String>,
    /// Who chairs it: an inspector id, `name:TEXT` or `role:ID`
    #[arg(long, value_name = "MEMBER")]
    pub chair: Option<String>,
    /// When it meets (for example "every quarter"), in the repository's language
    #[arg(long, value_name = "TEXT")]
    pub meets: Option<String>,
}

/// One member in `roles --format json`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "lowercase")]
enum MemberJson {
    Inspector { id: String, shown: String },
    Person { name: String },
    Role { id: String },
}

/// One role in `roles --format json`.
#[derive(Debug, Serialize)]
struct RoleJson {
    id: String,
    title: String,
    duties: String,
    emergency: Option<String>,
    holders: Vec<MemberJson>,
}

/// The committee in `roles --format json`.
#[derive(Debug, Serialize)]
struct CommitteeJson {
    chair: Option<MemberJson>,
    members: Vec<MemberJson>,
    meets: String,
}

/// `roles --format json`.
#[derive(Debug, Serialize)]
struct RolesJson {
    roles: Vec<RoleJson>,
    committee: Option<CommitteeJson>,
}

/// Lists the structure, or applies one change to it.
pub fn cmd_roles(ctx: &Ctx, args: &RolesArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let Some(change) = &args.command else {
        // Inspectors' names come from tenken.ron and the runs they made.
        let history = store.history_summary(&catalog, &crate::store::HistoryFilter::default())?;
        let directory = Directory::new(
            &catalog.roles,
            &catalog.config,
            history.iter().map(|h| &h.run),
        );
        return match args.format {
            Format::Json => print_json(&json(&directory, lang)),
            Format::Text => print(&text(&directory, lang)),
        };
    };
    let inspector = ctx.inspector(Some(&store))?;
    if ctx.global.restricted
        && !crate::restricted::may_edit_register(&catalog.config, &inspector.id)
    {
        return Err(Error::user_hint(
            crate::msg::permissions::may_not_edit_roles(inspector.id.as_str()),
            crate::msg::permissions::EDIT_REGISTER_HINT,
        ));
    }
    let (roles, message, done) = apply(&catalog.roles, change, lang)?;
    let commit = store.save_roles(
        &roles,
        &Identity::from_inspector(&inspector),
        &message,
        ctx.clock,
    )?;
    let after = Directory::new(&roles, &catalog.config, []);
    let shown = match change {
        RolesCommand::Set(SetArgs { role, .. }) | RolesCommand::Add(AddArgs { role, .. }) => {
            after.role_by_id(role.as_str(), lang).unwrap_or_default()
        }
        RolesCommand::Remove(RemoveArgs { role }) => role.to_string(),
        RolesCommand::Committee(_) => roles.committee.as_ref().map_or_else(
            || lang.pick("なし", "none").to_owned(),
            |c| members_text(&after, c, lang),
        ),
    };
    print(&format!(
        "{done}: {}\n{}",
        escape::line(&shown),
        crate::msg::commit_line(lang, &commit)
    ))
}

/// The list as text: one row per role, then the committee.
fn text(dir: &Directory<'_>, lang: Lang) -> String {
    let roles = dir.roles;
    if roles.roles.is_empty() {
        return lang
            .pick(
                "役割がありません。roles.ron に書くか、`tenken roles add ROLE` で追加してください。\n",
                "No roles yet. Write them in roles.ron, or add one with `tenken roles add ROLE`.\n",
            )
            .to_owned();
    }
    let rows: Vec<Vec<String>> = roles
        .roles
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                escape::line(r.title.get(lang)),
                escape::line(&dir.holders(r, lang)),
                if r.emergency.is_empty() { "" } else { "✓" }.to_owned(),
            ]
        })
        .collect();
    let mut out = table::render(
        &[
            lang.pick("役割", "ROLE"),
            lang.pick("名称", "TITLE"),
            lang.pick("担当者", "HOLDERS"),
            lang.pick("緊急時", "EMERGENCY"),
        ],
        &[false, false, false, false],
        &rows,
    );
    out.push('\n');
    match &roles.committee {
        None => out.push_str(lang.pick(
            "情報セキュリティ委員会: なし\n",
            "Information-security committee: none\n",
        )),
        Some(c) => {
            let _ = writeln!(
                out,
                "{}: {}",
                lang.pick("情報セキュリティ委員会", "Information-security committee"),
                escape::line(&members_text(dir, c, lang))
            );
        }
    }
    if roles
        .get(INSPECTION_LEAD)
        .is_none_or(|r| r.holders.is_empty())
    {
        out.push_str(lang.pick(
            "点検責任者 (inspection-lead) が決まっていません: `tenken roles set inspection-lead ID`\n",
            "Nobody is the inspection lead (inspection-lead) yet: `tenken roles set inspection-lead ID`\n",
        ));
    }
    out
}

/// The committee on one line: chair, members, when it meets.
fn members_text(dir: &Directory<'_>, c: &Committee, lang: Lang) -> String {
    let members: Vec<String> = c.members.iter().map(|m| dir.member(m, lang)).collect();
    let mut out = if members.is_empty() {
        lang.pick("委員なし", "no members").to_owned()
    } else {
        members.join(lang.pick("、", ", "))
    };
    if let Some(chair) = &c.chair {
        out = format!(
            "{} {}; {out}",
            lang.pick("委員長", "chair"),
            dir.member(chair, lang)
        );
    }
    if !c.meets.is_empty() {
        out = format!("{out}; {}", c.meets.get(lang).trim());
    }
    out
}

fn member_json(dir: &Directory<'_>, m: &Member) -> MemberJson {
    match m {
        Member::Inspector(id) => MemberJson::Inspector {
            id: id.to_string(),
            shown: dir.inspector(id),
        },
        Member::Person(name) => MemberJson::Person { name: name.clone() },
        Member::Role(id) => MemberJson::Role { id: id.to_string() },
    }
}

fn json(dir: &Directory<'_>, lang: Lang) -> RolesJson {
    RolesJson {
        roles: dir
            .roles
            .roles
            .iter()
            .map(|r| RoleJson {
                id: r.id.to_string(),
                title: r.title.get(lang).to_owned(),
                duties: r.duties.get(lang).to_owned(),
                emergency: (!r.emergency.is_empty()).then(|| r.emergency.get(lang).to_owned()),
                holders: r.holders.iter().map(|h| member_json(dir, h)).collect(),
            })
            .collect(),
        committee: dir.roles.committee.as_ref().map(|c| CommitteeJson {
            chair: c.chair.as_ref().map(|m| member_json(dir, m)),
            members: c.members.iter().map(|m| member_json(dir, m)).collect(),
            meets: c.meets.get(lang).to_owned(),
        }),
    }
}

/// Parses a holder: an inspector id, or `name:TEXT`.
fn holder(raw: &str) -> Result<Member> {
    let raw = raw.trim();
    if let Some(name) = raw.strip_prefix("name:") {
        let name = clean("name:", name)?;
        if name.is_empty() {
            return Err(Error::user(msg::roles::EMPTY_NAME));
        }
        return Ok(Member::Person(name));
    }
    if raw.starts_with(REFERENCE_PREFIX) {
        let (message, hint) = msg::roles::role_as_holder(&escape::line(raw));
        return Err(Error::user_hint(message, hint));
    }
    Id::new(raw).map(Member::Inspector).map_err(|e| {
        let (message, hint) = msg::roles::not_an_inspector(&escape::line(raw), &e.to_string());
        Error::user_hint(message, hint)
    })
}

/// Parses a committee member: a holder, or `role:ID`.
fn member(raw: &str) -> Result<Member> {
    match crate::roles::referenced(raw) {
        Some(id) => Id::new(id).map(Member::Role).map_err(|e| {
            Error::user(msg::roles::no_role(
                &escape::line(raw.trim()),
                &e.to_string(),
            ))
        }),
        None => holder(raw),
    }
}

/// Trims a text given on the command line; refuses control characters.
fn clean(flag: &str, raw: &str) -> Result<String> {
    let trimmed = raw.trim();
    if trimmed.chars().any(char::is_control) {
        return Err(Error::user(msg::subjects::control_character(
            flag,
            &escape::line(trimmed),
        )));
    }
    Ok(trimmed.to_owned())
}

/// Puts `text` into the language `lang` of a bilingual text.
fn in_lang(lang: Lang, text: String) -> Text {
    match lang {
        Lang::Ja => Text::new(text, ""),
        Lang::En => Text::new("", text),
    }
}

/// Returns the structure with `change` applied, the commit message and
/// the word for what was done; refuses changes that make no sense.
fn apply(roles: &Roles, change: &RolesCommand, lang: Lang) -> Result<(Roles, String, String)> {
    let mut roles = roles.clone();
    roles.format = FORMAT;
    let find = |roles: &Roles, id: &Id| -> Result<usize> {
        roles.roles.iter().position(|r| r.id == *id).ok_or_else(|| {
            let (message, hint) = msg::roles::unknown_role(id.as_str());
            Error::user_hint(message, hint)
        })
    };
    let holders = |raw: &[String]| -> Result<Vec<Member>> {
        let mut out = Vec::new();
        for h in raw {
            let h = holder(h)?;
            if !out.contains(&h) {
                out.push(h);
            }
        }
        Ok(out)
    };
    match change {
        RolesCommand::Set(s) => {
            let i = find(&roles, &s.role)?;
            let new = holders(&s.holders)?;
            if roles.roles[i].holders == new {
                return Err(Error::user(msg::roles::same_holders(s.role.as_str())));
            }
            roles.roles[i].holders = new;
            let done = msg::roles::SET.get(lang).into();
            Ok((roles, format!("roles: set {}", s.role), done))
        }
        RolesCommand::Add(a) => {
            if roles.get(a.role.as_str()).is_some() {
                let (message, hint) = msg::roles::already_there(a.role.as_str());
                return Err(Error::user_hint(message, hint));
            }
            let title = Text::new(
                clean("--title-ja", a.title_ja.as_deref().unwrap_or_default())?,
                clean("--title-en", a.title_en.as_deref().unwrap_or_default())?,
            );
            if title.is_empty() {
                return Err(Error::usage(msg::roles::NO_TITLE));
            }
            let duties = a
                .duties
                .as_deref()
                .map(|d| clean("--duties", d))
                .transpose()?
                .map(|d| in_lang(lang, d))
                .unwrap_or_default();
            roles.roles.push(Role {
                id: a.role.clone(),
                title,
                duties,
                emergency: Text::default(),
                holders: holders(&a.holders)?,
            });
            let done = msg::roles::ADDED.get(lang).into();
            Ok((roles, format!("roles: add {}", a.role), done))
        }
        RolesCommand::Remove(r) => {
            let i = find(&roles, &r.role)?;
            let named = roles.committee.as_ref().is_some_and(|c| {
                c.chair
                    .iter()
                    .chain(&c.members)
                    .any(|m| *m == Member::Role(r.role.clone()))
            });
            if named {
                let (message, hint) = msg::roles::on_committee(r.role.as_str());
                return Err(Error::user_hint(message, hint));
            }
            roles.roles.remove(i);
            let done = msg::roles::REMOVED.get(lang).into();
            Ok((roles, format!("roles: remove {}", r.role), done))
        }
        RolesCommand::Committee(c) => {
            let mut members = Vec::new();
            for m in &c.members {
                let m = member(m)?;
                if !members.contains(&m) {
                    members.push(m);
                }
            }
            let chair = c.chair.as_deref().map(member).transpose()?;
            let committee = if members.is_empty() && chair.is_none() {
                None
            } else {
                let meets = match &c.meets {
                    Some(m) => in_lang(lang, clean("--meets", m)?),
                    None => roles
                        .committee
                        .as_ref()
                        .map(|old| old.meets.clone())
                        .unwrap_or_default(),
                };
                Some(Committee {
                    chair,
                    members,
                    meets,
                })
            };
            if committee == roles.committee {
                return Err(Error::user(msg::roles::SAME_COMMITTEE));
            }
            roles.committee = committee;
            let done = msg::roles::COMMITTEE.get(lang).into();
            Ok((roles, "roles: committee".into(), done))
        }
    }
}

/// Changes refused or applied without touching a repository; the commits
/// themselves are checked with git in `tests/integration/roles.rs`.
#[cfg(test)]
mod tests {
    use super::*;

    fn starter() -> Roles {
        crate::load::parse(
            std::path::Path::new("roles.ron"),
            crate::bundle::ROLES.contents,
        )
        .unwrap()
    }

    fn set(role: &str, holders: &[&str]) -> RolesCommand {
        RolesCommand::Set(SetArgs {
            role: Id::new(role).unwrap(),
            holders: holders.iter().map(|h| (*h).to_owned()).collect(),
        })
    }

    #[test]
    fn set_replaces_the_holders_and_refuses_what_is_not_a_person() {
        let (roles, message, _) = apply(
            &starter(),
            &set("inspection-lead", &["sato", "name:山本 太郎", "sato"]),
            Lang::Ja,
        )
        .unwrap();
        assert_eq!(message, "roles: set inspection-lead");
        assert_eq!(
            roles.get("inspection-lead").unwrap().holders,
            [
                Member::Inspector(Id::new("sato").unwrap()),
                Member::Person("山本 太郎".into())
            ]
        );
        let err = |cmd| apply(&roles, &cmd, Lang::En).unwrap_err().to_string();
        assert_eq!(
            err(set("inspection-lead", &["sato", "name:山本 太郎"])),
            "role `inspection-lead` already has exactly these holders"
        );
        assert_eq!(
            err(set("auditor", &["sato"])),
            "role `auditor` is not in roles.ron"
        );
        assert_eq!(
            err(set("inspection-lead", &["Sato Hanako"])),
            "`Sato Hanako` is not an inspector id: id `Sato Hanako` must start with a lower-case letter or a digit"
        );
        assert_eq!(
            err(set("inspection-lead", &["role:executive"])),
            "`role:executive`: a role is held by people, not by another role"
        );
        assert_eq!(
            err(set("inspection-lead", &["name:"])),
            "`name:` needs a name after it"
        );
        let (vacant, _, _) = apply(&roles, &set("inspection-lead", &[]), Lang::En).unwrap();
        assert!(vacant.get("inspection-lead").unwrap().holders.is_empty());
    }

    #[test]
    fn add_remove_and_the_committee() {
        let add = RolesCommand::Add(AddArgs {
            role: Id::new("auditor").unwrap(),
            title_ja: Some("内部監査担当".into()),
            title_en: None,
            duties: Some("年に一度、規程の遵守を確かめる".into()),
            holders: vec!["tanaka".into()],
        });
        let (roles, message, _) = apply(&starter(), &add, Lang::Ja).unwrap();
        assert_eq!(message, "roles: add auditor");
        let auditor = roles.get("auditor").unwrap();
        assert_eq!(auditor.title.get(Lang::En), "内部監査担当");
        assert_eq!(auditor.duties.ja, "年に一度、規程の遵守を確かめる");
        assert!(apply(&roles, &add, Lang::Ja).is_err(), "no duplicate ids");

        let committee = RolesCommand::Committee(CommitteeArgs {
            members: vec!["role:auditor".into(), "name:山本 太郎".into()],
            chair: Some("role:executive".into()),
            meets: Some("once a quarter".into()),
        });
        let (roles, _, _) = apply(&roles, &committee, Lang::En).unwrap();
        let c = roles.committee.as_ref().unwrap();
        assert_eq!(c.meets.en, "once a quarter");
        let remove = RolesCommand::Remove(RemoveArgs {
            role: Id::new("auditor").unwrap(),
        });
        assert_eq!(
            apply(&roles, &remove, Lang::En).unwrap_err().to_string(),
            "role `auditor` sits on the committee"
        );
        let none = RolesCommand::Committee(CommitteeArgs {
            members: Vec::new(),
            chair: None,
            meets: None,
        });
        let (roles, _, _) = apply(&roles, &none, Lang::En).unwrap();
        assert!(roles.committee.is_none());
        let (roles, _, _) = apply(&roles, &remove, Lang::En).unwrap();
        assert!(roles.get("auditor").is_none());
    }
}
