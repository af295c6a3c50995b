//! Validating risk assessments: ids unique, values 1–3, and a
//! vulnerability taken from the inspections (the measure status check)
//! that names a known threat category and, where the assessor changed it,
//! says why.

use std::collections::HashSet;
use std::path::Path;

use super::validate::Report;
use crate::error::Diagnostic;
use crate::model::{RiskAssessment, Threat};
use crate::risk::measures;

/// Validates a risk assessment.
pub fn validate_risk(path: &Path, src: &str, risk: &RiskAssessment) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(risk.format);
    let mut seen = HashSet::new();
    let mut cursor = 0;
    for asset in &risk.assets {
        let at = r.loc.field(cursor, "id", asset.id.as_str());
        if let Some(at) = at {
            cursor = at + 1;
        }
        if !seen.insert(asset.id.clone()) {
            r.at(at, format!("duplicate asset id `{}`", asset.id));
        }
        for (name, v) in [("c", asset.c), ("i", asset.i), ("a", asset.a)] {
            if !(1..=3).contains(&v) {
                let f = r.loc.field_name(cursor, name);
                r.at(
                    f,
                    format!(
                        "`{name}` of asset `{}` must be 1, 2 or 3, not {v}",
                        asset.id
                    ),
                );
            }
        }
        let mut threats = HashSet::new();
        for t in &asset.threats {
            let tat = r.loc.field(cursor, "id", t.id.as_str());
            if let Some(tat) = tat {
                cursor = tat + 1;
            }
            if !threats.insert(t.id.clone()) {
                r.at(
                    tat,
                    format!("duplicate threat id `{}` in asset `{}`", t.id, asset.id),
                );
            }
            for (name, v) in [("threat", t.threat), ("vulnerability", t.vulnerability)] {
                if !(1..=3).contains(&v) {
                    let f = r.loc.field_name(cursor, name);
                    r.at(
                        f,
                        format!("`{name}` of threat `{}` must be 1, 2 or 3, not {v}", t.id),
                    );
                }
            }
            check_derivation(&mut r, t, cursor);
        }
    }
    r.out
}

/// Checks a threat's category and derived vulnerability.
fn check_derivation(r: &mut Report<'_>, t: &Threat, cursor: usize) {
    if let Some(category) = &t.category
        && measures::category(category.as_str()).is_none()
    {
        let at = r.loc.any(cursor, "category", category.as_str());
        let known: Vec<String> = measures::CATEGORIES
            .iter()
            .map(|c| format!("`{}`", c.id))
            .collect();
        r.at(
            at,
            format!(
                "threat `{}` names unknown category `{category}`; known: {}",
                t.id,
                known.join(", ")
            ),
        );
    }
    let Some(derived) = &t.derived else {
        return;
    };
    let at = r.loc.field_name(cursor, "derived");
    if t.category.is_none() {
        r.at(
            at,
            format!(
                "threat `{}` has a derived vulnerability but no `category` to derive it from",
                t.id
            ),
        );
    }
    if !(1..=3).contains(&derived.value) {
        let v = at.and_then(|a| r.loc.field_name(a, "value")).or(at);
        r.at(
            v,
            format!(
                "the derived vulnerability of threat `{}` must be 1, 2 or 3, not {}",
                t.id, derived.value
            ),
        );
    } else if derived.value != t.vulnerability && derived.note.trim().is_empty() {
        let v = r.loc.field_name(cursor, "vulnerability").or(at);
        r.at(
            v,
            format!(
                "threat `{}`: vulnerability {} differs from the {} derived from the inspections; say why in the derivation's `note`",
                t.id, t.vulnerability, derived.value
            ),
        );
    }
}
