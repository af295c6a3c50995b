//! The demo's management structure: the starter roles with holders from
//! the demo company (the two inspectors and the people named on its
//! corrective actions) and an information-security committee.

use std::path::Path;

use super::id;
use crate::error::{Error, Result};
use crate::model::{Committee, Member, Roles, Text};

/// The demo company's roles, committee included.
pub(super) fn structure() -> Result<Roles> {
    let mut roles: Roles =
        crate::load::parse(Path::new("roles.ron"), crate::bundle::ROLES.contents)
            .map_err(|d| Error::Internal(format!("the starter roles.ron: {d}")))?;
    let ceo = Member::Person("山本 誠 (Yamamoto Makoto)".into());
    let suzuki = Member::Person("鈴木 一郎 (Suzuki Ichiro)".into());
    let sato = Member::Inspector(id("sato")?);
    let tanaka = Member::Inspector(id("tanaka")?);
    for role in &mut roles.roles {
        role.holders = match role.id.as_str() {
            "executive" => vec![ceo.clone()],
            "security-lead" | "system-admin" | "incident-lead" => vec![sato.clone()],
            // Tokyo head office and the Osaka branch.
            "department-lead" => vec![suzuki.clone(), tanaka.clone()],
            "training-lead" | "my-number-lead" => vec![suzuki.clone()],
            // The inspection lead is not the security lead: someone else
            // checks what the security lead set up.
            "inspection-lead" => vec![tanaka.clone()],
            _ => Vec::new(),
        };
    }
    roles.committee = Some(Committee {
        chair: Some(Member::Role(id("executive")?)),
        members: vec![
            Member::Role(id("security-lead")?),
            Member::Role(id("department-lead")?),
            Member::Role(id("inspection-lead")?),
        ],
        meets: Text::new("四半期に一度", "once a quarter"),
    });
    Ok(roles)
}
