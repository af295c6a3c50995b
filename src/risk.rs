//! The risk register: the computed columns of the guideline's risk analysis
//! sheet (importance, likelihood, risk value, level) for every threat of an
//! assessment, and the comparison of two assessments. Pure functions over
//! `model::RiskAssessment` and the likelihood matrix; no I/O.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Asset, Id, PersonalData, RiskAssessment, Threat, Treatment};
use crate::score::{self, RiskLevel};

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
        let importance = score::asset_importance(asset);
        let likelihood = score::likelihood(threat.threat, threat.vulnerability, matrix);
        let value = score::risk_value(importance, likelihood);
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
            level: score::risk_level(value),
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

/// The risk computations through the register: every matrix cell with the
/// default and an overridden matrix, the personal-data override, sorting,
/// comparison and selection.
#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::Inspector;
    use crate::score::DEFAULT_LIKELIHOOD;

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    fn threat(tid: &str, t: u8, v: u8) -> Threat {
        Threat {
            id: id(tid),
            title: format!("threat {tid}"),
            threat: t,
            vulnerability: v,
            treatment: Treatment::Reduce,
            plan: String::new(),
        }
    }

    fn asset(aid: &str, cia: (u8, u8, u8), pd: PersonalData, threats: Vec<Threat>) -> Asset {
        Asset {
            id: id(aid),
            name: format!("asset {aid}"),
            business: String::new(),
            owner: String::new(),
            medium: String::new(),
            users: String::new(),
            personal_data: pd,
            c: cia.0,
            i: cia.1,
            a: cia.2,
            threats,
        }
    }

    fn assessment(id_: &str, date: &str, assets: Vec<Asset>) -> RiskAssessment {
        RiskAssessment {
            format: 1,
            id: id_.into(),
            assessor: Inspector {
                id: id("sato"),
                name: String::new(),
                email: String::new(),
            },
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            assets,
        }
    }

    /// Every threat × vulnerability pair on three assets of importance
    /// 1, 2 and 3.
    fn every_cell() -> RiskAssessment {
        let threats = || {
            (1..=3)
                .flat_map(|t| (1..=3).map(move |v| threat(&format!("t{t}v{v}"), t, v)))
                .collect::<Vec<_>>()
        };
        assessment(
            "all",
            "2026-10-01",
            vec![
                asset("imp1", (1, 1, 1), PersonalData::None, threats()),
                asset("imp2", (1, 2, 1), PersonalData::None, threats()),
                asset("imp3", (1, 1, 3), PersonalData::None, threats()),
            ],
        )
    }

    fn table(rows: &[RiskRow]) -> Vec<(String, u8, u8, u8, &'static str)> {
        rows.iter()
            .map(|r| {
                (
                    format!("{}/{}", r.asset, r.threat),
                    r.importance,
                    r.likelihood,
                    r.value,
                    r.level.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn every_matrix_cell_through_the_register() {
        let rows = rows(&every_cell(), &DEFAULT_LIKELIHOOD);
        assert_eq!(rows.len(), 27);
        // (importance, threat, vulnerability) → (likelihood, value, level),
        // from ipa-facts §3.6 (likelihood) and §3.7 (value and level).
        let lik = |t: u8, v: u8| match (t, v) {
            (3, 3) => 3,
            (3, 2) | (2, 3) => 2,
            _ => 1,
        };
        for r in &rows {
            let l = lik(r.threat_value, r.vulnerability);
            assert_eq!(r.likelihood, l, "{}/{}", r.asset, r.threat);
            assert_eq!(r.value, r.importance * l);
        }
        let imp3: Vec<_> = table(&rows)
            .into_iter()
            .filter(|r| r.0.starts_with("imp3"))
            .collect();
        assert_eq!(
            imp3,
            [
                ("imp3/t1v1".into(), 3, 1, 3, "low"),
                ("imp3/t1v2".into(), 3, 1, 3, "low"),
                ("imp3/t1v3".into(), 3, 1, 3, "low"),
                ("imp3/t2v1".into(), 3, 1, 3, "low"),
                ("imp3/t2v2".into(), 3, 1, 3, "low"),
                ("imp3/t2v3".into(), 3, 2, 6, "high"),
                ("imp3/t3v1".into(), 3, 1, 3, "low"),
                ("imp3/t3v2".into(), 3, 2, 6, "high"),
                ("imp3/t3v3".into(), 3, 3, 9, "high"),
            ]
        );
        let imp2: Vec<_> = table(&rows)
            .into_iter()
            .filter(|r| r.0.starts_with("imp2") && r.1 == 2 && r.2 > 1)
            .collect();
        assert_eq!(
            imp2,
            [
                ("imp2/t2v3".into(), 2, 2, 4, "medium"),
                ("imp2/t3v2".into(), 2, 2, 4, "medium"),
                ("imp2/t3v3".into(), 2, 3, 6, "high"),
            ]
        );
        let imp1_max = rows
            .iter()
            .filter(|r| r.asset.as_str() == "imp1")
            .map(|r| r.value)
            .max();
        assert_eq!(imp1_max, Some(3), "importance 1 is never above low");
        assert_eq!(
            level_counts(&rows),
            LevelCounts {
                high: 4,
                medium: 2,
                low: 21
            }
        );
    }

    #[test]
    fn an_overridden_matrix_is_used_for_every_cell() {
        // `likelihood[threat-1][vulnerability-1]`, as in tenken.ron.
        let strict = [[1, 1, 2], [1, 2, 3], [2, 3, 3]];
        let rows = rows(&every_cell(), &strict);
        for r in &rows {
            let l = strict[usize::from(r.threat_value - 1)][usize::from(r.vulnerability - 1)];
            assert_eq!((r.likelihood, r.value), (l, r.importance * l));
        }
        let imp2_t2v2 = rows
            .iter()
            .find(|r| r.asset.as_str() == "imp2" && r.threat.as_str() == "t2v2")
            .unwrap();
        assert_eq!((imp2_t2v2.value, imp2_t2v2.level), (4, RiskLevel::Medium));
    }

    #[test]
    fn personal_data_forces_importance_3_in_the_register() {
        for pd in [
            PersonalData::Personal,
            PersonalData::Sensitive,
            PersonalData::MyNumber,
        ] {
            let a = assessment(
                "x",
                "2026-10-01",
                vec![asset("list", (1, 1, 1), pd, vec![threat("leak", 3, 2)])],
            );
            let r = &rows(&a, &DEFAULT_LIKELIHOOD)[0];
            assert_eq!(
                (r.importance, r.likelihood, r.value, r.level),
                (3, 2, 6, RiskLevel::High),
                "{pd:?}"
            );
        }
        let a = assessment(
            "x",
            "2026-10-01",
            vec![asset(
                "list",
                (1, 1, 1),
                PersonalData::None,
                vec![threat("leak", 3, 2)],
            )],
        );
        let r = &rows(&a, &DEFAULT_LIKELIHOOD)[0];
        assert_eq!((r.importance, r.value, r.level), (1, 2, RiskLevel::Low));
    }

    #[test]
    fn sorting_by_value_keeps_ledger_order_for_ties() {
        let mut rows = rows(&every_cell(), &DEFAULT_LIKELIHOOD);
        sort_by_value(&mut rows);
        let top: Vec<_> = table(&rows[..6]).into_iter().map(|r| (r.0, r.3)).collect();
        assert_eq!(
            top,
            [
                ("imp3/t3v3".into(), 9),
                ("imp2/t3v3".into(), 6),
                ("imp3/t2v3".into(), 6),
                ("imp3/t3v2".into(), 6),
                ("imp2/t2v3".into(), 4),
                ("imp2/t3v2".into(), 4),
            ]
        );
    }

    #[test]
    fn comparison_finds_rises_falls_arrivals_and_departures() {
        let before = assessment(
            "2025-10-01T170000-sato",
            "2025-10-01",
            vec![
                asset(
                    "list",
                    (3, 2, 2),
                    PersonalData::Personal,
                    vec![threat("leak", 2, 3), threat("misdirect", 3, 2)],
                ),
                asset(
                    "web",
                    (1, 3, 3),
                    PersonalData::None,
                    vec![threat("deface", 2, 2)],
                ),
                asset(
                    "fax",
                    (2, 1, 1),
                    PersonalData::None,
                    vec![threat("misfax", 2, 3)],
                ),
            ],
        );
        let after = assessment(
            "2026-10-01T170000-sato",
            "2026-10-01",
            vec![
                asset(
                    "list",
                    (3, 2, 2),
                    PersonalData::Personal,
                    // leak: vulnerability lowered 3 → 2 (6 → 3); misdirect
                    // unchanged (6).
                    vec![threat("leak", 2, 2), threat("misdirect", 3, 2)],
                ),
                // deface: threat up 2 → 3 and vulnerability 2 → 3 (3 → 9).
                asset(
                    "web",
                    (1, 3, 3),
                    PersonalData::None,
                    vec![threat("deface", 3, 3)],
                ),
                asset(
                    "quotes",
                    (2, 2, 1),
                    PersonalData::None,
                    vec![threat("leak", 1, 2)],
                ),
            ],
        );
        let deltas = compare(&before, &after, &DEFAULT_LIKELIHOOD);
        let summary: Vec<(String, &str, i16)> = deltas
            .iter()
            .map(|d| {
                let r = d.row().unwrap();
                (
                    format!("{}/{}", r.asset, r.threat),
                    d.change.as_str(),
                    d.value_delta(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("web/deface".into(), "rose", 6),
                ("quotes/leak".into(), "appeared", 2),
                ("list/leak".into(), "fell", -3),
                ("fax/misfax".into(), "disappeared", -4),
                ("list/misdirect".into(), "unchanged", 0),
            ]
        );
        assert_eq!(
            change_counts(&deltas),
            ChangeCounts {
                rose: 1,
                fell: 1,
                appeared: 1,
                disappeared: 1,
                unchanged: 1
            }
        );
        // The same assessment against itself: nothing moves.
        let same = compare(&after, &after, &DEFAULT_LIKELIHOOD);
        assert!(same.iter().all(|d| d.change == RiskChange::Unchanged));
    }

    #[test]
    fn a_personal_data_flag_alone_raises_a_risk() {
        let before = assessment(
            "a",
            "2025-10-01",
            vec![asset(
                "mail",
                (2, 2, 2),
                PersonalData::None,
                vec![threat("phish", 3, 2)],
            )],
        );
        let mut after = before.clone();
        after.id = "b".into();
        after.assets[0].personal_data = PersonalData::Personal;
        let d = &compare(&before, &after, &DEFAULT_LIKELIHOOD)[0];
        assert_eq!(d.change, RiskChange::Rose);
        assert_eq!(
            (d.from.as_ref().unwrap().value, d.to.as_ref().unwrap().value),
            (4, 6)
        );
    }

    #[test]
    fn selecting_assessments() {
        let list = vec![
            assessment("2025-10-01T170000-sato", "2025-10-01", Vec::new()),
            assessment("2026-10-01T170000-sato", "2026-10-01", Vec::new()),
        ];
        assert_eq!(select(&list, "latest").unwrap().id, list[1].id);
        assert_eq!(select(&list, "previous").unwrap().id, list[0].id);
        assert_eq!(
            select(&list, "risks/2025-10-01T170000-sato.ron")
                .unwrap()
                .id,
            list[0].id
        );
        assert_eq!(select(&list, "2026-10-01").unwrap().id, list[1].id);
        assert_eq!(
            select(&list, "2024-01-01").unwrap_err(),
            "no risk assessment `2024-01-01`; known: 2025-10-01T170000-sato, 2026-10-01T170000-sato"
        );
        assert_eq!(
            select(&list[..1], "previous").unwrap_err(),
            "there is no previous risk assessment (1 in all)"
        );
        assert_eq!(
            select(&[], "latest").unwrap_err(),
            "there is no risk assessment yet"
        );
    }
}
