//! All risk maths of the guideline's risk analysis sheet, and the risk
//! register built from it: importance, likelihood (the matrix and its
//! `tenken.ron` override), risk value and level for every threat of an
//! assessment, and the comparison of two assessments. Pure functions over
//! `model::RiskAssessment`; no I/O.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Asset, Config, Id, Lang, PersonalData, RiskAssessment, Threat, Treatment};

/// The default likelihood matrix, `[threat-1][vulnerability-1]`
/// (ipa-facts §3.6: 3×3 → 3, 3×2 and 2×3 → 2, everything else → 1).
pub const DEFAULT_LIKELIHOOD: [[u8; 3]; 3] = [[1, 1, 1], [1, 1, 2], [1, 2, 3]];

/// Returns the likelihood matrix in force: the override in `tenken.ron`
/// when there is one, else [`DEFAULT_LIKELIHOOD`].
pub fn likelihood_matrix(config: &Config) -> [[u8; 3]; 3] {
    config.likelihood.unwrap_or(DEFAULT_LIKELIHOOD)
}

/// A risk level from a risk value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    /// 1–3.
    Low,
    /// 4.
    Medium,
    /// 6–9.
    High,
}

impl RiskLevel {
    /// Returns the level's name for JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    /// Returns the level as people read it: the guideline's 大/中/小 in
    /// Japanese (its 高/中/低 is the scale of the likelihood inputs, not of
    /// risks), High/Medium/Low in English.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Self::High => lang.pick("大", "High"),
            Self::Medium => lang.pick("中", "Medium"),
            Self::Low => lang.pick("小", "Low"),
        }
    }

    /// Returns what the level means, in tenken's words.
    pub fn meaning(self, lang: Lang) -> &'static str {
        match self {
            Self::High => lang.pick("重大な事故につながりやすい", "a serious incident is likely"),
            Self::Medium => lang.pick(
                "無視できない事故が起こりうる",
                "a significant incident could happen",
            ),
            Self::Low => lang.pick(
                "事故は起きにくく、起きても許容範囲",
                "unlikely; damage would be tolerable",
            ),
        }
    }

    /// Returns the risk values of the level (`6–9`, `4`, `1–3`).
    pub fn values(self) -> &'static str {
        match self {
            Self::High => "6–9",
            Self::Medium => "4",
            Self::Low => "1–3",
        }
    }
}

/// Returns an asset's importance: the maximum of C, I and A, forced to 3
/// when the asset holds personal data of any kind.
pub fn importance(c: u8, i: u8, a: u8, personal: PersonalData) -> u8 {
    if personal == PersonalData::None {
        c.max(i).max(a).clamp(1, 3)
    } else {
        3
    }
}

/// Returns a treatment as people read it: リスクの低減/保有/回避/移転 in
/// short, reduce/retain/avoid/transfer.
pub fn treatment_label(treatment: Treatment, lang: Lang) -> &'static str {
    match treatment {
        Treatment::Reduce => lang.pick("低減", "reduce"),
        Treatment::Retain => lang.pick("保有", "retain"),
        Treatment::Avoid => lang.pick("回避", "avoid"),
        Treatment::Transfer => lang.pick("移転", "transfer"),
    }
}

/// Returns a kind of personal data as people read it.
pub fn personal_label(personal: PersonalData, lang: Lang) -> &'static str {
    match personal {
        PersonalData::None => lang.pick("なし", "none"),
        PersonalData::Personal => lang.pick("個人情報", "personal"),
        PersonalData::Sensitive => lang.pick("要配慮個人情報", "sensitive"),
        PersonalData::MyNumber => lang.pick("特定個人情報", "My Number"),
    }
}

/// Returns the importance of `asset`.
pub fn asset_importance(asset: &Asset) -> u8 {
    importance(asset.c, asset.i, asset.a, asset.personal_data)
}

/// Returns the damage likelihood (1–3) for a threat and vulnerability (1–3)
/// from `matrix` (the default or the `tenken.ron` override).
pub fn likelihood(threat: u8, vulnerability: u8, matrix: &[[u8; 3]; 3]) -> u8 {
    let t = usize::from(threat.clamp(1, 3) - 1);
    let v = usize::from(vulnerability.clamp(1, 3) - 1);
    matrix[t][v]
}

/// Returns the risk value: importance × likelihood, one of 1, 2, 3, 4, 6, 9.
pub fn risk_value(importance: u8, likelihood: u8) -> u8 {
    importance * likelihood
}

/// Returns the level of a risk value: high 6–9, medium 4, low 1–3.
pub fn risk_level(value: u8) -> RiskLevel {
    match value {
        6.. => RiskLevel::High,
        4..=5 => RiskLevel::Medium,
        _ => RiskLevel::Low,
    }
}

/// One threat to one asset with every computed column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskRow {
    /// The asset's id.
    pub asset: Id,
    /// The asset's name.
    pub asset_name: String,
    /// The threat's id, unique within the asset.
    pub threat: Id,
    /// What could happen.
    pub title: String,
    /// Confidentiality, integrity and availability of the asset, 1–3 each.
    pub cia: (u8, u8, u8),
    /// Personal data held by the asset.
    pub personal_data: PersonalData,
    /// max(C, I, A), or 3 when the asset holds personal data.
    pub importance: u8,
    /// How likely the threat is to occur, 1–3.
    pub threat_value: u8,
    /// How exposed the asset is, 1–3.
    pub vulnerability: u8,
    /// Damage likelihood from the matrix, 1–3.
    pub likelihood: u8,
    /// importance × likelihood: 1, 2, 3, 4, 6 or 9.
    pub value: u8,
    /// high 6–9, medium 4, low 1–3.
    pub level: RiskLevel,
    /// The chosen treatment.
    pub treatment: Treatment,
    /// The plan for the treatment.
    pub plan: String,
}

impl RiskRow {
    /// Computes the row of `threat` to `asset` with `matrix`.
    pub fn new(asset: &Asset, threat: &Threat, matrix: &[[u8; 3]; 3]) -> Self {
        let importance = asset_importance(asset);
        let likelihood = likelihood(threat.threat, threat.vulnerability, matrix);
        let value = risk_value(importance, likelihood);
        Self {
            asset: asset.id.clone(),
            asset_name: asset.name.clone(),
            threat: threat.id.clone(),
            title: threat.title.clone(),
            cia: (asset.c, asset.i, asset.a),
            personal_data: asset.personal_data,
            importance,
            threat_value: threat.threat,
            vulnerability: threat.vulnerability,
            likelihood,
            value,
            level: risk_level(value),
            treatment: threat.treatment,
            plan: threat.plan.clone(),
        }
    }
}

/// Returns the rows of `assessment` in ledger order (asset by asset, threat
/// by threat). Assets without threats have no rows.
pub fn rows(assessment: &RiskAssessment, matrix: &[[u8; 3]; 3]) -> Vec<RiskRow> {
    assessment
        .assets
        .iter()
        .flat_map(|a| a.threats.iter().map(move |t| RiskRow::new(a, t, matrix)))
        .collect()
}

/// Sorts rows by risk value, highest first; ties keep ledger order.
pub fn sort_by_value(rows: &mut [RiskRow]) {
    rows.sort_by_key(|r| std::cmp::Reverse(r.value));
}

/// How many rows are at each level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LevelCounts {
    /// Risk value 6–9.
    pub high: usize,
    /// Risk value 4.
    pub medium: usize,
    /// Risk value 1–3.
    pub low: usize,
}

/// Counts `rows` by level.
pub fn level_counts(rows: &[RiskRow]) -> LevelCounts {
    let mut c = LevelCounts::default();
    for r in rows {
        match r.level {
            RiskLevel::High => c.high += 1,
            RiskLevel::Medium => c.medium += 1,
            RiskLevel::Low => c.low += 1,
        }
    }
    c
}

/// How one risk changed between two assessments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskChange {
    /// The risk value went up.
    Rose,
    /// Only in the later assessment.
    Appeared,
    /// The risk value went down.
    Fell,
    /// Only in the earlier assessment.
    Disappeared,
    /// Same value.
    Unchanged,
}

impl RiskChange {
    /// Returns the change's name for JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rose => "rose",
            Self::Appeared => "appeared",
            Self::Fell => "fell",
            Self::Disappeared => "disappeared",
            Self::Unchanged => "unchanged",
        }
    }
}

/// One risk in a comparison, matched by asset id and threat id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskDelta {
    /// The risk in the earlier assessment.
    pub from: Option<RiskRow>,
    /// The risk in the later assessment.
    pub to: Option<RiskRow>,
    /// What happened to it.
    pub change: RiskChange,
}

impl RiskDelta {
    /// Returns the row this delta is about: the later one if present.
    pub fn row(&self) -> Option<&RiskRow> {
        self.to.as_ref().or(self.from.as_ref())
    }

    /// Returns the later value minus the earlier (missing counts as 0).
    pub fn value_delta(&self) -> i16 {
        i16::from(self.to.as_ref().map_or(0, |r| r.value))
            - i16::from(self.from.as_ref().map_or(0, |r| r.value))
    }
}

/// How many risks changed each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ChangeCounts {
    /// Higher value.
    pub rose: usize,
    /// Lower value.
    pub fell: usize,
    /// New in the later assessment.
    pub appeared: usize,
    /// Gone from the later assessment.
    pub disappeared: usize,
    /// Same value.
    pub unchanged: usize,
}

/// Compares two assessments risk by risk (matched by asset and threat id).
///
/// Returned rose first (biggest rise first), then appeared, fell,
/// disappeared and unchanged; each group otherwise in the later
/// assessment's ledger order, then the earlier one's.
pub fn compare(
    from: &RiskAssessment,
    to: &RiskAssessment,
    matrix: &[[u8; 3]; 3],
) -> Vec<RiskDelta> {
    let before = rows(from, matrix);
    let after = rows(to, matrix);
    let mut earlier: BTreeMap<(Id, Id), RiskRow> = before
        .iter()
        .map(|r| ((r.asset.clone(), r.threat.clone()), r.clone()))
        .collect();
    let mut out = Vec::new();
    for row in after {
        let key = (row.asset.clone(), row.threat.clone());
        let old = earlier.remove(&key);
        let change = match &old {
            None => RiskChange::Appeared,
            Some(o) if row.value > o.value => RiskChange::Rose,
            Some(o) if row.value < o.value => RiskChange::Fell,
            Some(_) => RiskChange::Unchanged,
        };
        out.push(RiskDelta {
            from: old,
            to: Some(row),
            change,
        });
    }
    for row in before {
        if let Some(old) = earlier.remove(&(row.asset.clone(), row.threat.clone())) {
            out.push(RiskDelta {
                from: Some(old),
                to: None,
                change: RiskChange::Disappeared,
            });
        }
    }
    // Stable: ledger order within each group.
    out.sort_by_key(|d| {
        let size = match d.change {
            RiskChange::Rose => -d.value_delta(),
            RiskChange::Fell => d.value_delta(),
            _ => 0,
        };
        (d.change, size)
    });
    out
}

/// Counts the deltas of each kind.
pub fn change_counts(deltas: &[RiskDelta]) -> ChangeCounts {
    let mut c = ChangeCounts::default();
    for d in deltas {
        match d.change {
            RiskChange::Rose => c.rose += 1,
            RiskChange::Fell => c.fell += 1,
            RiskChange::Appeared => c.appeared += 1,
            RiskChange::Disappeared => c.disappeared += 1,
            RiskChange::Unchanged => c.unchanged += 1,
        }
    }
    c
}

/// Picks one assessment of `assessments` (oldest first): `latest`,
/// `previous`, an assessment id (`risks/` and `.ron` optional), or a date
/// `YYYY-MM-DD` (the latest assessment of that date).
pub fn select<'a>(
    assessments: &'a [RiskAssessment],
    spec: &str,
) -> Result<&'a RiskAssessment, String> {
    let n = assessments.len();
    let found = match spec {
        "latest" => assessments.last(),
        "previous" => n.checked_sub(2).and_then(|i| assessments.get(i)),
        _ => {
            let bare = spec.strip_prefix("risks/").unwrap_or(spec);
            let bare = bare.strip_suffix(".ron").unwrap_or(bare);
            assessments.iter().find(|a| a.id == bare).or_else(|| {
                chrono::NaiveDate::parse_from_str(spec, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| assessments.iter().rev().find(|a| a.date == d))
            })
        }
    };
    found.ok_or_else(|| match spec {
        "latest" => "there is no risk assessment yet".to_owned(),
        "previous" => format!("there is no previous risk assessment ({n} in all)"),
        _ => {
            let known: Vec<&str> = assessments.iter().map(|a| a.id.as_str()).collect();
            format!(
                "no risk assessment `{}`; known: {}",
                crate::escape::line(spec),
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )
        }
    })
}

pub mod measures;

#[cfg(test)]
mod tests;
