//! The risk maths and the register: every matrix cell against the tables
//! of `../shared/ipa-facts.md` §3.4–3.7 with the default and an overridden
//! matrix, the personal-data override, sorting, comparison and selection.

use std::path::Path;

use chrono::NaiveDate;

use super::*;
use crate::model::Inspector;

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
        category: None,
        derived: None,
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

// ---- risk matrix (ipa-facts §3.4–3.7) ----

/// The conversion table of §3.6 as printed: rows threat 3, 2, 1; columns
/// vulnerability 3, 2, 1.
const IPA_TABLE: [[u8; 3]; 3] = [[3, 2, 1], [2, 1, 1], [1, 1, 1]];

fn ipa_table(threat: u8, vulnerability: u8) -> u8 {
    IPA_TABLE[usize::from(3 - threat)][usize::from(3 - vulnerability)]
}

#[test]
fn default_likelihood_matches_the_table_for_all_9_pairs() {
    let mut seen = 0;
    for threat in 1..=3 {
        for vulnerability in 1..=3 {
            assert_eq!(
                likelihood(threat, vulnerability, &DEFAULT_LIKELIHOOD),
                ipa_table(threat, vulnerability),
                "threat {threat}, vulnerability {vulnerability}"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 9);
    // The worked examples of the source: (2,2) → 1, (3,2) → 2, (3,3) → 3.
    assert_eq!(likelihood(2, 2, &DEFAULT_LIKELIHOOD), 1);
    assert_eq!(likelihood(3, 2, &DEFAULT_LIKELIHOOD), 2);
    assert_eq!(likelihood(3, 3, &DEFAULT_LIKELIHOOD), 3);
    // The table is symmetric, so the orientation cannot be wrong.
    for t in 1..=3 {
        for v in 1..=3 {
            assert_eq!(
                likelihood(t, v, &DEFAULT_LIKELIHOOD),
                likelihood(v, t, &DEFAULT_LIKELIHOOD)
            );
        }
    }
}

#[test]
fn importance_is_the_maximum_of_c_i_a() {
    for c in 1..=3u8 {
        for i in 1..=3u8 {
            for a in 1..=3u8 {
                let expected = c.max(i).max(a);
                assert_eq!(importance(c, i, a, PersonalData::None), expected);
            }
        }
    }
    // The source's worked example, the company website: C1 I3 A3 → 3.
    assert_eq!(importance(1, 3, 3, PersonalData::None), 3);
}

#[test]
fn personal_data_forces_importance_3() {
    for personal in [
        PersonalData::Personal,
        PersonalData::Sensitive,
        PersonalData::MyNumber,
    ] {
        for c in 1..=3 {
            for i in 1..=3 {
                for a in 1..=3 {
                    assert_eq!(importance(c, i, a, personal), 3, "{personal:?} {c}{i}{a}");
                }
            }
        }
    }
}

#[test]
fn asset_importance_reads_the_ledger_row() {
    let mut asset = Asset {
        id: id("customer-list"),
        name: "Customer list".into(),
        business: String::new(),
        owner: String::new(),
        medium: String::new(),
        users: String::new(),
        personal_data: PersonalData::None,
        c: 1,
        i: 2,
        a: 1,
        threats: Vec::new(),
    };
    assert_eq!(asset_importance(&asset), 2);
    asset.personal_data = PersonalData::Personal;
    assert_eq!(asset_importance(&asset), 3);
}

#[test]
fn every_risk_value_and_level() {
    // (importance, likelihood, value, level) for all 9 products.
    let expected = [
        (1, 1, 1, RiskLevel::Low),
        (1, 2, 2, RiskLevel::Low),
        (1, 3, 3, RiskLevel::Low),
        (2, 1, 2, RiskLevel::Low),
        (2, 2, 4, RiskLevel::Medium),
        (2, 3, 6, RiskLevel::High),
        (3, 1, 3, RiskLevel::Low),
        (3, 2, 6, RiskLevel::High),
        (3, 3, 9, RiskLevel::High),
    ];
    for (imp, lik, value, level) in expected {
        assert_eq!(risk_value(imp, lik), value, "{imp} × {lik}");
        assert_eq!(risk_level(value), level, "value {value}");
    }
    // The matrix of §3.7: rows importance 3, 2, 1; columns likelihood 3, 2, 1.
    let matrix: Vec<Vec<u8>> = (1..=3)
        .rev()
        .map(|imp| (1..=3).rev().map(|lik| risk_value(imp, lik)).collect())
        .collect();
    assert_eq!(matrix, [[9, 6, 3], [6, 4, 2], [3, 2, 1]]);
    // Only 1, 2, 3, 4, 6 and 9 can occur.
    let mut values: Vec<u8> = (1..=3)
        .flat_map(|i| (1..=3).map(move |l| risk_value(i, l)))
        .collect();
    values.sort_unstable();
    values.dedup();
    assert_eq!(values, [1, 2, 3, 4, 6, 9]);
    assert_eq!(RiskLevel::High.as_str(), "high");
    assert_eq!(RiskLevel::Medium.as_str(), "medium");
    assert_eq!(RiskLevel::Low.as_str(), "low");
}

#[test]
fn full_chain_from_ledger_row_to_level() {
    // Every importance 1–3 (plus the personal-data override) against
    // every threat × vulnerability pair, with the default table.
    for imp in 1..=3u8 {
        for personal in [PersonalData::None, PersonalData::Personal] {
            let importance = importance(imp, 1, 1, personal);
            for t in 1..=3 {
                for v in 1..=3 {
                    let value = risk_value(importance, likelihood(t, v, &DEFAULT_LIKELIHOOD));
                    let expected = importance * ipa_table(t, v);
                    assert_eq!(value, expected);
                    let level = match expected {
                        6..=9 => RiskLevel::High,
                        4 => RiskLevel::Medium,
                        _ => RiskLevel::Low,
                    };
                    assert_eq!(risk_level(value), level);
                }
            }
        }
    }
}

fn config(src: &str) -> Config {
    let path = Path::new("tenken.ron");
    let config: Config = crate::load::parse(path, src).unwrap();
    assert_eq!(crate::load::validate_config(path, src, &config), []);
    config
}

#[test]
fn likelihood_matrix_defaults_to_the_table() {
    let c = config(r#"(format: 1, organisation: "Example KK")"#);
    assert_eq!(likelihood_matrix(&c), DEFAULT_LIKELIHOOD);
}

#[test]
fn likelihood_matrix_override_from_tenken_ron() {
    // A stricter organisation: `likelihood[threat-1][vulnerability-1]`.
    let c = config(
        r#"(
            format: 1,
            organisation: "Example KK",
            likelihood: Some(((1, 1, 2), (1, 2, 3), (2, 3, 3))),
        )"#,
    );
    let m = likelihood_matrix(&c);
    let expected = [
        // (threat, vulnerability, likelihood)
        (1, 1, 1),
        (1, 2, 1),
        (1, 3, 2),
        (2, 1, 1),
        (2, 2, 2),
        (2, 3, 3),
        (3, 1, 2),
        (3, 2, 3),
        (3, 3, 3),
    ];
    for (t, v, l) in expected {
        assert_eq!(likelihood(t, v, &m), l, "threat {t}, vulnerability {v}");
    }
    // With the override, (2, 2) on an importance-2 asset is medium, not low.
    assert_eq!(
        risk_level(risk_value(2, likelihood(2, 2, &m))),
        RiskLevel::Medium
    );
    assert_eq!(
        risk_level(risk_value(2, likelihood(2, 2, &DEFAULT_LIKELIHOOD))),
        RiskLevel::Low
    );
}

#[test]
fn likelihood_override_out_of_range_is_refused() {
    let src =
        r#"(format: 1, organisation: "X", likelihood: Some(((1, 1, 1), (1, 4, 1), (1, 1, 0))))"#;
    let path = Path::new("tenken.ron");
    let config: Config = crate::load::parse(path, src).unwrap();
    let diags = crate::load::validate_config(path, src, &config);
    assert_eq!(diags.len(), 1);
    assert!(diags[0].message.to_string().contains("must be 1, 2 or 3"));
}
