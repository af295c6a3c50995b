//! Validating the management structure (`roles.ron`): role ids unique,
//! every role named, holders that are people (not other roles), and
//! committee members that name roles the register has.

use std::collections::HashSet;
use std::path::Path;

use super::validate::Report;
use crate::error::Diagnostic;
use crate::escape;
use crate::model::{Member, Roles};
use crate::msg::load::register as words;
use crate::msg::load::template::TextOf;

/// Validates the management structure.
pub fn validate_roles(path: &Path, src: &str, roles: &Roles) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(roles.format);
    let mut seen = HashSet::new();
    let mut cursor = r.loc.field_name(0, "roles").unwrap_or(0);
    for role in &roles.roles {
        let at = r.loc.field(cursor, "id", role.id.as_str());
        if let Some(at) = at {
            cursor = at + 1;
        }
        if !seen.insert(role.id.clone()) {
            r.at(at, words::duplicate_role(role.id.as_str()));
        }
        let title_at = at.and_then(|a| r.loc.field_name(a, "title")).or(at);
        r.text(title_at, TextOf::Role(role.id.as_str()), &role.title);
        let mut holders = HashSet::new();
        for holder in &role.holders {
            let (variant, value) = variant_of(holder);
            let h = r.loc.any(cursor, variant, value).or(at);
            if let Some(h) = h {
                cursor = h + 1;
            }
            match holder {
                Member::Role(other) => {
                    r.at(h, words::held_by_role(role.id.as_str(), other.as_str()));
                }
                Member::Person(name) if name.trim().is_empty() => {
                    r.at(h, words::person_without_name(role.id.as_str()));
                }
                _ => {}
            }
            if !holders.insert(holder) {
                r.at(
                    h,
                    words::holder_twice(role.id.as_str(), &escape::line(value)),
                );
            }
        }
    }
    if let Some(committee) = &roles.committee {
        let mut from = r.loc.field_name(0, "committee").unwrap_or(cursor);
        let chair = committee.chair.iter().map(|c| ("chair", c));
        let members = committee.members.iter().map(|m| ("member", m));
        for (what, member) in chair.chain(members) {
            let (variant, value) = variant_of(member);
            let at = r.loc.any(from, variant, value);
            if let Some(at) = at {
                from = at + 1;
            }
            match member {
                Member::Role(id) if roles.get(id.as_str()).is_none() => {
                    r.at(
                        at,
                        words::committee_unknown_role(id.as_str(), what == "chair"),
                    );
                }
                Member::Person(name) if name.trim().is_empty() => {
                    r.at(at, words::committee_person_without_name(what == "chair"));
                }
                _ => {}
            }
        }
    }
    r.out
}

/// Returns the variant name and the value of a member, as written in RON.
fn variant_of(member: &Member) -> (&'static str, &str) {
    match member {
        Member::Inspector(id) => ("Inspector", id.as_str()),
        Member::Person(name) => ("Person", name.as_str()),
        Member::Role(id) => ("Role", id.as_str()),
    }
}
