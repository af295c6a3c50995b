//! The supplier review's orderings and numbers, and failing items.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate};

use super::*;
use crate::model::{Config, Draft, Inspector, Lang, Profile, Subjects};
use crate::score;

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TEMPLATE: &str = r#"Inspection(
    format: 1, id: "supplier-check", version: 1, title: (ja: "委託先点検", en: "Supplier check"), source: "tests",
    scales: { "s": [
        Choice(id: "yes", key: '1', label: (ja: "確認できた", en: "Confirmed"), points: Some(4)),
        Choice(id: "partly", key: '2', label: (ja: "一部", en: "Partly"), points: Some(2)),
        Choice(id: "no", key: '3', label: (ja: "できていない", en: "Not in place"), points: Some(0)),
        Choice(id: "na", key: '4', label: (en: "n/a"), points: None),
    ] },
    sections: [
        Section(id: "m", title: (ja: "管理", en: "Management"), items: [
            Item(id: "policy", scale: "s", title: (ja: "方針はありますか？", en: "Is there a policy, \"written\"?"), note_required_for: ["no"]),
            Item(id: "nda", scale: "s", title: (ja: "秘密保持契約", en: "NDA, signed")),
        ]),
        Section(id: "t", title: (ja: "技術", en: "Technical"), items: [
            Item(id: "backup", scale: "s", title: (en: "Backups")),
            Item(id: "erase", scale: "s", title: (ja: "消去", en: "Erasure")),
        ]),
    ],
    bands: [ Band(min_percent: 75, label: (en: "Good")), Band(min_percent: 0, label: (en: "Weak")) ],
)"#;

fn template() -> Inspection {
    crate::load::inspection_from_str(Path::new("t.ron"), TEMPLATE, Some("supplier-check")).unwrap()
}

fn subject(id_: &str, criticality: u8, retired: bool) -> Subject {
    Subject {
        id: id(id_),
        kind: SubjectKind::Supplier,
        name: id_.to_uppercase().into(),
        contact: crate::model::Name::default(),
        services: Vec::new(),
        data_handled: Vec::new(),
        criticality,
        tags: Vec::new(),
        retired,
    }
}

fn catalog(subjects: Vec<Subject>) -> Catalog {
    let profile: Profile = ron::from_str(
        r#"Profile(format: 1, id: "supplier-review", title: (en: "Suppliers"), schedule: [
            (inspection: "supplier-check", subjects: Kind(Supplier), every: Year),
            (inspection: "supplier-check", subjects: KindCriticality(Supplier, 3), every: HalfYear),
        ])"#,
    )
    .unwrap();
    let mut register = vec![Subject {
        kind: SubjectKind::Organisation,
        ..subject("self", 3, false)
    }];
    register.extend(subjects);
    Catalog {
        config: Config::new("Example KK", Lang::En, 4, vec![id("supplier-review")]),
        subjects: Subjects {
            format: 1,
            subjects: register,
        },
        inspections: [(id("supplier-check"), template())].into_iter().collect(),
        profiles: [(id("supplier-review"), profile)].into_iter().collect(),
        roles: crate::model::Roles::default(),
        broken: Vec::new(),
    }
}

/// A history entry for `subject` on `date`, answers given item by item.
fn entry(subject: &str, date: &str, choices: [&str; 4]) -> HistoryEntry {
    let t = template();
    let at = DateTime::parse_from_rfc3339(&format!("{date}T10:00:00+09:00")).unwrap();
    let answers: BTreeMap<Id, Answer> = t
        .items()
        .zip(choices)
        .map(|((_, item), c)| {
            let mut a = Answer::new(id(c));
            if c == "no" {
                a.note = "missing".into();
                a.evidence = vec!["contract §12".into()];
                a.action = Some(crate::model::Action {
                    text: "fix it".into(),
                    owner: "IT".into(),
                    due: d("2026-12-31"),
                });
            }
            (item.id.clone(), a)
        })
        .collect();
    let draft = Draft {
        format: 1,
        inspection: id("supplier-check"),
        inspection_version: 1,
        inspection_hash: None,
        subject: id(subject),
        inspector: Inspector {
            id: id("sato"),
            name: String::new(),
            email: String::new(),
        },
        started: at,
        answers,
        cursor: 0,
        supersedes: None,
        closes: Vec::new(),
    };
    let run = draft.finish(format!("{subject}/supplier-check/{date}T100000-sato"), at);
    let s = score::score_run(&t, &run);
    HistoryEntry {
        percent: s.percent(),
        score: s,
        brief: crate::model::Brief::from_answers(&t, &run.answers).unwrap(),
        run,
        template: std::sync::Arc::new(t.clone()),
        commit: None,
        status: crate::model::RunStatus::Committed,
        blob: None,
        superseded_by: None,
        withdrawn: None,
    }
}

fn ids(reviews: &[SupplierReview]) -> Vec<&str> {
    reviews.iter().map(|r| r.subject.id.as_str()).collect()
}

/// Four suppliers: `aoba` (criticality 3, 75% → 100%), `kumo` (2, 50% →
/// 25%, last checked two years ago), `minato` (1, never checked), `old`
/// (3, retired, 0%). Every `no` carries an action due 2026-12-31.
fn fixture() -> (Catalog, Vec<HistoryEntry>) {
    let catalog = catalog(vec![
        subject("aoba", 3, false),
        subject("kumo", 2, false),
        subject("minato", 1, false),
        subject("old", 3, true),
    ]);
    let history = vec![
        entry("kumo", "2024-06-01", ["yes", "partly", "no", "partly"]),
        entry("kumo", "2024-09-01", ["partly", "partly", "no", "no"]),
        entry("old", "2025-05-01", ["no", "no", "no", "no"]),
        entry("aoba", "2026-05-10", ["yes", "partly", "yes", "partly"]),
        entry("aoba", "2026-10-01", ["yes", "yes", "yes", "yes"]),
    ];
    (catalog, history)
}

#[test]
fn reviews_every_active_supplier_with_latest_delta_due_and_actions() {
    let (catalog, history) = fixture();
    let today = d("2026-11-25");
    let reviews = review(&catalog, &history, &id(SUPPLIER_CHECK), today, false);
    // Risk: kumo 2 × (75 + 25 × 239/365.25) = 182.7 (its yearly check is
    // 239 days overdue), minato 1 × 100 = 100, aoba 3 × 0 = 0.
    assert_eq!(ids(&reviews), ["kumo", "minato", "aoba"]);
    let kumo = &reviews[0];
    assert_eq!(kumo.runs, [0, 1]);
    assert_eq!((kumo.percent, kumo.delta), (Some(25.0), Some(-25.0)));
    assert!((kumo.staleness - 239.0 / 365.25).abs() < 1e-9);
    assert!((kumo.risk() - 2.0 * (75.0 + 25.0 * 239.0 / 365.25)).abs() < 1e-9);
    // Yearly, April start: FY2024 run → due by the end of FY2025.
    let due = kumo.due.as_ref().unwrap();
    assert_eq!((due.due_date, due.overdue), (d("2026-03-31"), true));
    // `backup` at `no` twice and `erase` once, each with an action that
    // no later run closed.
    assert_eq!((kumo.open_actions, kumo.overdue_actions), (3, 0));
    let minato = &reviews[1];
    assert_eq!(
        (minato.latest(), minato.percent, minato.delta),
        (None, None, None)
    );
    assert_eq!(
        minato.due.as_ref().unwrap().due_date,
        today,
        "never checked: due now"
    );
    assert!(!minato.overdue());
    let aoba = &reviews[2];
    assert_eq!((aoba.percent, aoba.delta), (Some(100.0), Some(25.0)));
    // Criticality 3: half-yearly. The run on 2026-10-01 is in FY2026H2
    // (October–March), so the next is due by the end of FY2027H1.
    assert_eq!(aoba.due.as_ref().unwrap().due_date, d("2027-09-30"));
    assert_eq!(aoba.open_actions, 0);

    let with_retired = review(&catalog, &history, &id(SUPPLIER_CHECK), today, true);
    assert_eq!(ids(&with_retired), ["old", "kumo", "minato", "aoba"]);
    assert!(
        with_retired[0].due.is_none(),
        "a retired supplier is not due"
    );
}

/// The worked example of docs/suppliers.md: a criticality-3 cloud store
/// checked at 75% and a criticality-1 printer never checked.
#[test]
fn an_overdue_critical_supplier_outranks_a_minor_one_never_checked() {
    let catalog = catalog(vec![
        subject("cloud", 3, false),
        subject("printer", 1, false),
    ]);
    // FY2024H2 (October–March) → half-yearly, due by the end of FY2025H1.
    let history = vec![entry(
        "cloud",
        "2024-12-09",
        ["yes", "partly", "yes", "partly"],
    )];
    let on = |today: &str| {
        review(&catalog, &history, &id(SUPPLIER_CHECK), d(today), false)
            .into_iter()
            .map(|r| (r.subject.id.to_string(), (r.risk() * 10.0).round() / 10.0))
            .collect::<Vec<_>>()
    };
    let pair =
        |cloud: f64, printer: f64| [("cloud".to_owned(), cloud), ("printer".to_owned(), printer)];
    // In date: 3 × 25 = 75 against 1 × 100: the printer first.
    let [c, p] = pair(75.0, 100.0);
    assert_eq!(on("2025-09-30"), [p.clone(), c]);
    // 91 days overdue, half a period of 182.6 days: 3 × (25 + 75 × 0.498) = 187.1.
    let [c, p] = pair(187.1, 100.0);
    assert_eq!(on("2025-12-30"), [c, p.clone()]);
    // A whole period late or more: as if never checked, 3 × 100.
    let [c, p] = pair(300.0, 100.0);
    assert_eq!(on("2026-11-29"), [c, p]);
}

#[test]
fn orders_by_risk_overdue_and_change() {
    let (catalog, history) = fixture();
    let today = d("2026-11-25");
    let mut reviews = review(&catalog, &history, &id(SUPPLIER_CHECK), today, true);
    sort(&mut reviews, SortBy::Overdue);
    // kumo is overdue; then due dates soonest first: minato (today), aoba
    // (2027-09-30); the retired supplier has no due date and goes last.
    assert_eq!(ids(&reviews), ["kumo", "minato", "aoba", "old"]);
    sort(&mut reviews, SortBy::Change);
    // Worst change first; suppliers without a previous check last, by risk.
    assert_eq!(ids(&reviews), ["kumo", "aoba", "old", "minato"]);
    sort(&mut reviews, SortBy::Risk);
    assert_eq!(ids(&reviews), ["old", "kumo", "minato", "aoba"]);
    assert_eq!(SortBy::Risk.next().next().next(), SortBy::Risk);
}

#[test]
fn a_superseded_check_does_not_count() {
    let (catalog, mut history) = fixture();
    let mut fix = entry("kumo", "2024-09-02", ["yes", "yes", "yes", "yes"]);
    fix.run.supersedes = Some(history[1].run.id.clone());
    history.insert(2, fix);
    let reviews = review(
        &catalog,
        &history,
        &id(SUPPLIER_CHECK),
        d("2026-11-25"),
        false,
    );
    let kumo = reviews
        .iter()
        .find(|r| r.subject.id.as_str() == "kumo")
        .unwrap();
    assert_eq!(kumo.runs, [0, 2]);
    assert_eq!((kumo.percent, kumo.delta), (Some(100.0), Some(50.0)));
}

#[test]
fn failing_items_are_the_answers_below_the_best_choice() {
    let t = template();
    let e = entry("kumo", "2024-09-01", ["partly", "yes", "no", "na"]);
    let failing = failing_items(&t, &e.run);
    let got: Vec<(&str, &str)> = failing
        .iter()
        .map(|f| (f.item.id.as_str(), f.choice.map_or("?", |c| c.id.as_str())))
        .collect();
    assert_eq!(got, [("policy", "partly"), ("backup", "no")]);
    assert_eq!(failing[1].answer.note, "missing");
    assert_eq!(failing[1].section.id.as_str(), "t");
}
