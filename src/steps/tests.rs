//! The path over the bundled templates and step profiles: an empty
//! history, steps met, gaps, overdue runs, tag-selected inspections with
//! no subject, and the milestones of steps 3 and 4.

use std::fmt::Write as _;
use std::path::Path as FilePath;

use super::*;
use crate::model::{Config, Member, Subject, SubjectKind, Subjects};
use crate::score::score_run;

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-25";

fn subject(id_: &str, kind: SubjectKind, tags: &[&str]) -> Subject {
    Subject {
        id: id(id_),
        kind,
        name: format!("{id_} name").into(),
        contact: crate::model::Name::default(),
        services: Vec::new(),
        data_handled: Vec::new(),
        criticality: 2,
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        retired: false,
    }
}

/// The bundled templates and step profiles (step 2 active), the
/// organisation, one supplier and one cloud service.
fn catalog() -> Catalog {
    let inspections = crate::bundle::INSPECTIONS
        .iter()
        .map(|f| {
            let stem = f.name.trim_end_matches(".ron");
            let insp =
                crate::load::inspection_from_str(FilePath::new(f.name), f.contents, Some(stem))
                    .unwrap();
            (insp.id.clone(), insp)
        })
        .collect();
    Catalog {
        config: Config::new("Example KK", Lang::En, 4, vec![id("step2")]),
        subjects: Subjects {
            format: 1,
            subjects: vec![
                subject("self", SubjectKind::Organisation, &[]),
                subject("aoba", SubjectKind::Supplier, &[]),
                subject("nimbus", SubjectKind::Supplier, &["cloud"]),
            ],
        },
        inspections,
        profiles: crate::bundle::PROFILES
            .iter()
            .map(|f| {
                let p: Profile = crate::load::parse(FilePath::new(f.name), f.contents).unwrap();
                (p.id.clone(), p)
            })
            .collect(),
        broken: Vec::new(),
        roles: crate::load::parse(FilePath::new("roles.ron"), crate::bundle::ROLES.contents)
            .unwrap(),
    }
}

/// A run of `inspection` for `subject` on `date`, every item answered
/// `choice` except those named in `except` (`item:choice`).
fn run(
    catalog: &Catalog,
    inspection: &str,
    subject: &str,
    date: &str,
    choice: &str,
    except: &[&str],
) -> Run {
    let template = &catalog.inspections[&id(inspection)];
    let mut answers = String::new();
    for (_, item) in template.items() {
        let c = except
            .iter()
            .find_map(|e| e.strip_prefix(&format!("{}:", item.id)))
            .unwrap_or(choice);
        let _ = writeln!(answers, "\"{}\": (choice: \"{c}\"),", item.id);
    }
    let text = format!(
        r#"Run(format: 1, id: "{subject}/{inspection}/{date}T100000-sato", inspection: "{inspection}",
        inspection_version: {v}, subject: "{subject}", inspector: (id: "sato"),
        started: "{date}T09:00:00+09:00", finished: "{date}T10:00:00+09:00",
        answers: {{ {answers} }})"#,
        v = template.version,
    );
    crate::load::parse(FilePath::new("run.ron"), &text).unwrap()
}

fn path_of(catalog: &Catalog, runs: &[Run], risk: Option<&str>) -> Path {
    let totals: Vec<Score> = runs
        .iter()
        .map(|r| score_run(&catalog.inspections[&r.inspection], r))
        .collect();
    let scored: Vec<Scored<'_>> = runs
        .iter()
        .zip(&totals)
        .map(|(run, score)| Scored {
            run,
            template: &catalog.inspections[&run.inspection],
            score,
        })
        .collect();
    path(catalog, &scored, risk.map(day), day(TODAY))
}

fn statuses(path: &Path) -> Vec<Status> {
    path.steps.iter().map(|s| s.status).collect()
}

#[test]
fn an_empty_history_starts_at_step_one() {
    let catalog = catalog();
    let path = path_of(&catalog, &[], None);
    assert_eq!(statuses(&path), [Status::NotStarted; 4]);
    // A repository made before the step profiles existed gets the bundled ones.
    let mut older = catalog.clone();
    older.profiles.clear();
    older.config.profiles.clear();
    let ids = |p: &Path| -> Vec<Vec<Id>> {
        p.steps
            .iter()
            .map(|s| s.checks.iter().map(|c| c.inspection.clone()).collect())
            .collect()
    };
    assert_eq!(ids(&path_of(&older, &[], None)), ids(&path));
    assert_eq!(path.current().map(|s| s.number), Some(1));
    assert!(path.steps[1].active && !path.steps[0].active);
    // Each step lists only what it adds to the one before.
    let inspections = |n: usize| -> Vec<&str> {
        let mut ids: Vec<&str> = path.steps[n]
            .checks
            .iter()
            .map(|c| c.inspection.as_str())
            .collect();
        ids.dedup();
        ids
    };
    assert_eq!(inspections(0), ["ipa-five-principles"]);
    assert_eq!(inspections(1), ["ipa-self-check"]);
    assert_eq!(inspections(2), ["rules-compliance", "supplier-check"]);
    assert_eq!(inspections(3).len(), 7);
    // Suppliers are checked one by one; the website rule selects nobody.
    let suppliers: Vec<_> = path.steps[2]
        .checks
        .iter()
        .filter(|c| c.inspection.as_str() == "supplier-check")
        .map(|c| c.subject.as_ref().unwrap().0.as_str())
        .collect();
    assert_eq!(suppliers, ["aoba", "nimbus"]);
    let website = path.steps[3]
        .checks
        .iter()
        .find(|c| c.inspection.as_str() == "website-operations")
        .unwrap();
    assert_eq!(website.subject, None);
    let next = path.steps[3].next(Lang::En);
    assert!(
        next.iter().any(|l| l.ends_with(
            "no subject is tagged `website`; tag the ones it applies to in the register, if any."
        )),
        "{next:#?}"
    );
    assert!(
        next.iter()
            .any(|l| l.starts_with("List the information assets"))
    );
    let next = path.steps[2].next(Lang::Ja);
    assert!(
        next.contains(
            &"役割の担当者を決めてください: 情報セキュリティ責任者、点検責任者（`tenken roles set`）"
                .to_owned()
        ),
        "{next:#?}"
    );
    assert_eq!(
        path.steps[0].next(Lang::En)[1],
        "Five basic security principles — self name: never inspected.".replace(
            "Five basic security principles",
            catalog.inspections[&id("ipa-five-principles")]
                .title
                .get(Lang::En)
        )
    );
}

#[test]
fn a_step_is_met_only_when_every_check_is_current_and_in_the_top_band() {
    let catalog = catalog();
    let principles = run(
        &catalog,
        "ipa-five-principles",
        "self",
        "2026-10-20",
        "yes",
        &[],
    );
    let check = run(
        &catalog,
        "ipa-self-check",
        "self",
        "2026-10-21",
        "yes",
        &["9:na", "12:unknown", "20:partly"],
    );
    let path = path_of(&catalog, &[principles.clone(), check], None);
    assert_eq!(
        statuses(&path),
        [
            Status::Met,
            Status::GapsRemain,
            Status::NotStarted,
            Status::NotStarted
        ]
    );
    assert_eq!(path.current().map(|s| s.number), Some(2));
    let last = path.steps[1].checks[0].last.as_ref().unwrap();
    assert_eq!((last.gaps, last.dont_know, last.top), (2, 1, false));
    assert_eq!(
        last.reduced.map(|r| (r.applicable, r.full)),
        Some((96, 100))
    );
    let next = path.steps[1].next(Lang::En);
    assert!(
        next[0].starts_with("Take the 25-question self-check"),
        "{next:#?}"
    );
    assert!(
        next.iter().any(|l| l.ends_with(
            "find out the facts for the 1 \"don't know\" answer first and answer again."
        )),
        "{next:#?}"
    );
    assert_eq!(
        path.steps[0].next(Lang::En),
        ["This step is met: keep inspecting on schedule and watch that results do not slip."]
    );

    // A check last done more than its period ago is overdue: the step is
    // back in progress, whatever its result. The active profile (step2)
    // asks for the five principles yearly, step1 alone quarterly.
    let old = run(
        &catalog,
        "ipa-five-principles",
        "self",
        "2026-03-02",
        "yes",
        &[],
    );
    let path = path_of(&catalog, std::slice::from_ref(&old), None);
    assert_eq!(path.steps[0].status, Status::Met, "due yearly under step2");
    let mut step1 = catalog.clone();
    step1.config.profiles = vec![id("step1")];
    let path = path_of(&step1, &[old], None);
    assert_eq!(path.steps[0].status, Status::InProgress);
    assert!(path.steps[0].checks[0].overdue);
    assert!(path.steps[0].next(Lang::En)[1].contains("overdue; last inspected 2026-03-02"));
    // The latest run counts, not the best.
    let path = path_of(
        &catalog,
        &[
            principles,
            run(
                &catalog,
                "ipa-five-principles",
                "self",
                "2026-11-01",
                "no",
                &[],
            ),
        ],
        None,
    );
    assert_eq!(path.steps[0].status, Status::GapsRemain);
}

#[test]
fn steps_three_and_four_need_their_milestones() {
    let mut catalog = catalog();
    let runs = vec![
        run(
            &catalog,
            "rules-compliance",
            "self",
            "2026-06-01",
            "yes",
            &[
                "8.exists:na",
                "8.approved:na",
                "8.known:na",
                "8.followed:na",
            ],
        ),
        run(
            &catalog,
            "supplier-check",
            "aoba",
            "2026-05-01",
            "yes",
            &["personal-data:na"],
        ),
        run(
            &catalog,
            "supplier-check",
            "nimbus",
            "2026-05-02",
            "yes",
            &["personal-data:na"],
        ),
    ];
    let path = path_of(&catalog, &runs, None);
    assert_eq!(
        path.steps[2].status,
        Status::InProgress,
        "nobody holds the key roles"
    );
    for role in KEY_ROLES {
        let i = catalog
            .roles
            .roles
            .iter()
            .position(|r| r.id.as_str() == role)
            .unwrap();
        catalog.roles.roles[i]
            .holders
            .push(Member::Inspector(id("sato")));
    }
    let path = path_of(&catalog, &runs, None);
    assert_eq!(path.steps[2].status, Status::Met);
    assert_eq!(
        path.steps[2].milestones[0].describe(Lang::En),
        "Management structure: the information security lead and the inspection lead are named"
    );
    // Step 4: an old risk analysis is not enough; a recent one is.
    let step4 = |risk| path_of(&catalog, &[], risk).steps[3].milestones[0].clone();
    assert!(!step4(Some("2025-10-01")).met());
    assert_eq!(
        step4(Some("2025-10-01")).describe(Lang::Ja),
        "詳細リスク分析: 最新 2025-10-01（1年以上前）"
    );
    assert!(step4(Some("2026-10-01")).met());
    assert_eq!(
        path_of(&catalog, &[], Some("2026-10-01")).steps[3].status,
        Status::InProgress
    );
}
