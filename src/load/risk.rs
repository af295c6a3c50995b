//! Validating risk assessments: ids unique, values 1–3, and a
//! vulnerability taken from the inspections (the measure status check)
//! that names a known threat category and, where the assessor changed it,
//! says why.

use std::collections::HashSet;
use std::path::Path;

use super::validate::Report;
use crate::error::Diagnostic;
use crate::model::{RiskAssessment, Threat};
use crate::msg::load::register as words;
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
            r.at(at, words::duplicate_asset(asset.id.as_str()));
        }
        for (name, v) in [("c", asset.c), ("i", asset.i), ("a", asset.a)] {
            if !(1..=3).contains(&v) {
                let f = r.loc.field_name(cursor, name);
                r.at(f, words::asset_value(name, asset.id.as_str(), v));
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
                    words::duplicate_threat(t.id.as_str(), asset.id.as_str()),
                );
            }
            for (name, v) in [("threat", t.threat), ("vulnerability", t.vulnerability)] {
                if !(1..=3).contains(&v) {
                    let f = r.loc.field_name(cursor, name);
                    r.at(f, words::threat_value(name, t.id.as_str(), v));
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
            words::unknown_category(t.id.as_str(), category.as_str(), &known.join(", ")),
        );
    }
    let Some(derived) = &t.derived else {
        return;
    };
    let at = r.loc.field_name(cursor, "derived");
    if t.category.is_none() {
        r.at(at, words::derived_without_category(t.id.as_str()));
    }
    if !(1..=3).contains(&derived.value) {
        let v = at.and_then(|a| r.loc.field_name(a, "value")).or(at);
        r.at(v, words::derived_value(t.id.as_str(), derived.value));
    } else if derived.value != t.vulnerability && derived.note.trim().is_empty() {
        let v = r.loc.field_name(cursor, "vulnerability").or(at);
        r.at(
            v,
            words::derived_differs(t.id.as_str(), t.vulnerability, derived.value),
        );
    }
}
