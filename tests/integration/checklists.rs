//! The content of the bundled checklists and of the demo (issue 18): score
//! tables of the templates added for the guideline's steps 3 and 4, the
//! supplier and telework changes, one label set per scale across all
//! templates, the step profiles as a path, and demo notes that fit the items
//! they sit on. `data` checks that the files load; this module checks what
//! they say.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tenken::bundle;
use tenken::load;
use tenken::model::{Answer, Every, Id, Inspection, Profile, Selector, SubjectKind};
use tenken::score::{Score, score_answers};

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

fn inspection(name: &str) -> Inspection {
    let file = bundle::INSPECTIONS
        .iter()
        .find(|f| f.name == format!("{name}.ron"))
        .unwrap_or_else(|| panic!("{name} is not bundled"));
    load::inspection_from_str(
        &Path::new("inspections").join(file.name),
        file.contents,
        Some(name),
    )
    .unwrap_or_else(|d| panic!("{name}: {d:?}"))
}

fn profile(name: &str) -> Profile {
    let file = bundle::PROFILES
        .iter()
        .find(|f| f.name == format!("{name}.ron"))
        .unwrap_or_else(|| panic!("{name} is not bundled"));
    load::parse(&Path::new("profiles").join(file.name), file.contents).unwrap()
}

/// Answers every item with `choice`, then overrides single items.
fn answers(insp: &Inspection, choice: &str, overrides: &[(&str, &str)]) -> BTreeMap<Id, Answer> {
    let mut out: BTreeMap<Id, Answer> = insp
        .items()
        .map(|(_, item)| (item.id.clone(), Answer::new(id(choice))))
        .collect();
    for (item, choice) in overrides {
        assert!(insp.item(item).is_some(), "{} has no item {item}", insp.id);
        out.insert(id(item), Answer::new(id(choice)));
    }
    out
}

fn band(insp: &Inspection, s: &Score) -> i32 {
    s.band(insp).unwrap().min_percent
}

#[test]
fn rules_compliance_has_the_twelve_categories_of_appendix_5_in_order() {
    let insp = inspection("rules-compliance");
    let names: Vec<&str> = insp
        .sections
        .iter()
        .map(|s| s.title.ja.split('（').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "組織的対策",
            "人的対策",
            "情報資産管理",
            "アクセス制御及び認証",
            "物理的対策",
            "IT機器利用",
            "IT基盤運用管理",
            "システムの開発及び保守",
            "委託管理",
            "情報セキュリティインシデント対応ならびに事業継続管理",
            "個人番号及び特定個人情報の取り扱い",
            "テレワークにおける対策",
        ]
    );
    // Four items per category: the rules exist, are approved, are known and
    // are followed; ids carry the category's number.
    for (n, section) in (1..).zip(&insp.sections) {
        let ids: Vec<&str> = section.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            ["exists", "approved", "known", "followed"].map(|a| format!("{n}.{a}")),
            "section {}",
            section.id
        );
        for item in &section.items {
            let reference = item.reference.both();
            assert!(
                reference.en.starts_with(&format!("appendix 5 rules {n} (")),
                "{}: {reference:?}",
                item.id,
            );
            assert!(
                reference.ja.starts_with(&format!("付録5 関連規程 {n}（")),
                "{}: {reference:?}",
                item.id,
            );
        }
    }
}

#[test]
fn rules_compliance_scores_on_the_common_scale_with_two_optional_categories() {
    let insp = inspection("rules-compliance");
    assert_eq!(insp.item_count(), 48);
    // All done: 48 × 4 = 192, the top band.
    let s = score_answers(&insp, &answers(&insp, "yes", &[]));
    assert_eq!((s.score, s.max), (192, 192));
    assert_eq!(band(&insp, &s), 100);
    // No system development and no telework: categories 8 and 12 leave the
    // maximum; 40 × 4 = 160, still 100 %.
    let na: Vec<(String, &str)> = ["8", "12"]
        .iter()
        .flat_map(|n| {
            ["exists", "approved", "known", "followed"].map(|a| (format!("{n}.{a}"), "na"))
        })
        .collect();
    let na: Vec<(&str, &str)> = na.iter().map(|(i, c)| (i.as_str(), *c)).collect();
    let s = score_answers(&insp, &answers(&insp, "yes", &na));
    assert_eq!((s.score, s.max, s.not_applicable), (160, 160, 8));
    assert_eq!(band(&insp, &s), 100);
    // Only those two categories may be not applicable.
    for (section, item) in insp.items() {
        let has_na = insp.choice(item, "na").is_some();
        assert_eq!(
            has_na,
            ["development", "telework"].contains(&section.id.as_str()),
            "{}",
            item.id
        );
    }
    // Rules written, approved and known everywhere, but not followed in any
    // category: 36 × 4 = 144 of 192 = 75 %, the "some gaps" band.
    let not_followed: Vec<String> = (1..=12).map(|n| format!("{n}.followed")).collect();
    let not_followed: Vec<(&str, &str)> = not_followed.iter().map(|i| (i.as_str(), "no")).collect();
    let s = score_answers(&insp, &answers(&insp, "yes", &not_followed));
    assert_eq!((s.score, s.max), (144, 192));
    assert_eq!(band(&insp, &s), 70);
    // Written but neither known nor followed: 96 / 192 = 50 %.
    let mut paper_only = not_followed.clone();
    let not_known: Vec<String> = (1..=12).map(|n| format!("{n}.known")).collect();
    paper_only.extend(not_known.iter().map(|i| (i.as_str(), "no")));
    let s = score_answers(&insp, &answers(&insp, "yes", &paper_only));
    assert_eq!((s.score, s.max), (96, 192));
    assert_eq!(band(&insp, &s), 50);
    // Nobody knows anything: 48 × −1, the lowest band.
    let s = score_answers(&insp, &answers(&insp, "unknown", &[]));
    assert_eq!((s.score, s.max), (-48, 192));
    assert_eq!(band(&insp, &s), 0);
}

#[test]
fn the_telework_category_is_marked_as_belonging_to_edition_3_1_on() {
    let insp = inspection("rules-compliance");
    for (section, item) in insp.items() {
        let range = item.editions.map(|r| r.to_string());
        let expected = (section.id.as_str() == "telework").then(|| "3.1 and later".to_owned());
        assert_eq!(range, expected, "{}", item.id);
    }
}

#[test]
fn step_4_checklists_score_on_the_common_scale() {
    // (template, items, maximum with every item applicable, items that may
    // be not applicable)
    let cases: [(&str, usize, i64, &[&str]); 3] = [
        ("info-sharing", 10, 40, &[]),
        ("security-services", 10, 40, &["c2", "v5", "u1", "u2", "u3"]),
        ("technical-measures", 14, 56, &["n3"]),
    ];
    for (name, count, max, optional) in cases {
        let insp = inspection(name);
        assert_eq!(insp.item_count(), count, "{name}");
        let bands: Vec<i32> = insp.bands.iter().map(|b| b.min_percent).collect();
        assert_eq!(bands, [100, 70, 50, 0], "{name}");
        let s = score_answers(&insp, &answers(&insp, "yes", &[]));
        assert_eq!((s.score, s.max), (max, max), "{name}");
        assert_eq!(band(&insp, &s), 100, "{name}");
        let s = score_answers(&insp, &answers(&insp, "partly", &[]));
        assert_eq!((s.score, band(&insp, &s)), (max / 2, 50), "{name}");
        let s = score_answers(&insp, &answers(&insp, "no", &[]));
        assert_eq!((s.score, band(&insp, &s)), (0, 0), "{name}");
        let mut with_na: Vec<&str> = insp
            .items()
            .filter(|(_, i)| insp.choice(i, "na").is_some())
            .map(|(_, i)| i.id.as_str())
            .collect();
        with_na.sort_unstable();
        let mut optional = optional.to_vec();
        optional.sort_unstable();
        assert_eq!(
            with_na, optional,
            "{name}: items with a not-applicable choice"
        );
        // Not applicable leaves the maximum and never lowers the percentage.
        let na: Vec<(&str, &str)> = optional.iter().map(|i| (*i, "na")).collect();
        let s = score_answers(&insp, &answers(&insp, "yes", &na));
        let reduced = max - 4 * i64::try_from(optional.len()).unwrap();
        assert_eq!((s.score, s.max), (reduced, reduced), "{name}");
    }
}

#[test]
fn security_services_one_gap_of_ten_lands_in_the_70_band() {
    // 9 × 4 + 0 = 36 of 40 = 90 %; 7 × 4 + 2 × 0 − 1 = 27 of 40 = 67.5 %.
    let insp = inspection("security-services");
    let s = score_answers(&insp, &answers(&insp, "yes", &[("v3", "no")]));
    assert_eq!((s.score, s.max, band(&insp, &s)), (36, 40, 70));
    let s = score_answers(
        &insp,
        &answers(
            &insp,
            "yes",
            &[("v2", "no"), ("v3", "no"), ("v4", "unknown")],
        ),
    );
    assert_eq!((s.score, s.max, band(&insp, &s)), (27, 40, 50));
}

#[test]
fn supplier_check_counts_either_kind_of_clause_and_supervision_of_personal_data() {
    let insp = inspection("supplier-check");
    let clause = insp.item("confidentiality").unwrap();
    assert!(!clause.title.en.contains("both"), "{}", clause.title.en);
    assert!(!clause.title.ja.contains("双方"), "{}", clause.title.ja);
    assert!(
        clause.guidance.ja.contains("片務"),
        "one-way clauses are named"
    );
    let supervision = insp.item("personal-data").unwrap();
    assert_eq!(supervision.weight, 3);
    assert!(supervision.title.ja.contains("個人情報保護法"));
    // Weights 3 × 5 + 2 × 4 + 1 × 5 = 28: maximum 112, or 100 when the
    // supplier handles no personal data.
    let s = score_answers(&insp, &answers(&insp, "yes", &[]));
    assert_eq!((s.score, s.max), (112, 112));
    let s = score_answers(&insp, &answers(&insp, "yes", &[("personal-data", "na")]));
    assert_eq!((s.score, s.max), (100, 100));
    // Not supervising a contractor that handles personal data costs 12
    // points: 100 of 112 = 89 %.
    let s = score_answers(&insp, &answers(&insp, "yes", &[("personal-data", "no")]));
    assert_eq!((s.score, s.max, band(&insp, &s)), (100, 112, 70));
    // Only that item may be not applicable.
    let optional: Vec<&str> = insp
        .items()
        .filter(|(_, i)| insp.choice(i, "na").is_some())
        .map(|(_, i)| i.id.as_str())
        .collect();
    assert_eq!(optional, ["personal-data"]);
}

#[test]
fn telework_asks_one_thing_per_item_and_a12_may_not_apply() {
    let insp = inspection("telework");
    let w8 = insp.item("w8").unwrap();
    let w10 = insp.item("w10").unwrap();
    assert!(w8.title.en.contains("websites") && !w8.title.en.contains("apps"));
    assert!(w10.title.en.contains("apps") && !w10.title.en.contains("websites"));
    assert!(insp.choice(insp.item("a12").unwrap(), "na").is_some());
    let optional: Vec<&str> = insp
        .items()
        .filter(|(_, i)| insp.choice(i, "na").is_some())
        .map(|(_, i)| i.id.as_str())
        .collect();
    assert_eq!(optional, ["a12"]);
    // Every teleworker item tells staff what to do, for the handbook.
    for (section, item) in insp.items() {
        assert_eq!(
            !item.staff.is_unset(),
            section.id.as_str() == "teleworker",
            "{}",
            item.id
        );
    }
}

#[test]
fn every_self_check_item_tells_staff_what_to_do() {
    let insp = inspection("ipa-self-check");
    for (_, item) in insp.items() {
        assert!(item.staff.is_complete(), "item {}", item.id);
    }
}

/// The documented label sets (docs/checklists.md): one pair of labels per
/// choice id, the same in every template.
#[test]
fn the_same_choice_has_the_same_labels_in_every_template() {
    let expected: BTreeMap<&str, (&str, &str)> = [
        ("yes", ("実施している", "Done")),
        ("partly", ("一部実施している", "Partly done")),
        ("no", ("実施していない", "Not done")),
        ("unknown", ("わからない", "Don't know")),
        ("na", ("該当しない", "Not applicable")),
    ]
    .into();
    for f in bundle::INSPECTIONS {
        let name = f.name.strip_suffix(".ron").unwrap();
        let insp = inspection(name);
        for (scale, choices) in &insp.scales {
            for choice in choices {
                let want = expected
                    .get(choice.id.as_str())
                    .unwrap_or_else(|| panic!("{name} {scale}: unexpected choice {}", choice.id));
                assert_eq!(
                    (choice.label.ja.as_str(), choice.label.en.as_str()),
                    *want,
                    "{name} scale {scale} choice {}",
                    choice.id
                );
            }
            // The four-point scale scores 4 / 2 / 0 / −1 everywhere except
            // the five principles' own three-point scale (2 / 1 / 0).
            let points: Vec<Option<i32>> = choices.iter().map(|c| c.points).collect();
            if name == "ipa-five-principles" {
                assert_eq!(points, [Some(2), Some(1), Some(0)]);
            } else {
                assert_eq!(
                    points[..4],
                    [Some(4), Some(2), Some(0), Some(-1)],
                    "{name} {scale}"
                );
                assert!(points[4..].iter().all(Option::is_none), "{name} {scale}");
            }
        }
    }
}

/// The inspections a profile schedules, with how often.
fn schedule(p: &Profile) -> BTreeMap<String, Every> {
    let mut out = BTreeMap::new();
    for rule in &p.schedule {
        let every = out.entry(rule.inspection.to_string()).or_insert(rule.every);
        *every = (*every).min(rule.every);
    }
    out
}

#[test]
fn the_step_profiles_are_a_path_through_the_whole_guideline() {
    let steps: Vec<BTreeMap<String, Every>> = ["step1", "step2", "step3", "step4"]
        .iter()
        .map(|s| schedule(&profile(s)))
        .collect();
    // Each step keeps everything of the step before it.
    for pair in steps.windows(2) {
        let before: BTreeSet<&String> = pair[0].keys().collect();
        let after: BTreeSet<&String> = pair[1].keys().collect();
        assert!(before.is_subset(&after), "{before:?} ⊄ {after:?}");
        assert!(before.len() < after.len());
    }
    // What each step adds, in the guideline's order.
    let added = |n: usize| -> BTreeSet<&str> {
        steps[n]
            .keys()
            .filter(|k| n == 0 || !steps[n - 1].contains_key(*k))
            .map(String::as_str)
            .collect()
    };
    assert_eq!(added(0), BTreeSet::from(["ipa-five-principles"]));
    assert_eq!(added(1), BTreeSet::from(["ipa-self-check"]));
    assert_eq!(
        added(2),
        BTreeSet::from(["rules-compliance", "supplier-check"])
    );
    assert_eq!(
        added(3),
        BTreeSet::from([
            "cloud-service",
            "incident-readiness",
            "info-sharing",
            "security-services",
            "technical-measures",
            "telework",
            "website-operations",
        ])
    );
    // By step 4 every bundled checklist is on the path.
    let bundled: BTreeSet<&str> = bundle::INSPECTIONS
        .iter()
        .map(|f| f.name.strip_suffix(".ron").unwrap())
        .collect();
    let on_path: BTreeSet<&str> = steps[3].keys().map(String::as_str).collect();
    assert_eq!(on_path, bundled);
    // Websites and cloud services are checked per subject, by tag.
    let p = profile("step4");
    let selector = |name: &str| {
        p.schedule
            .iter()
            .find(|r| r.inspection.as_str() == name)
            .map(|r| r.subjects.clone())
    };
    assert_eq!(
        selector("website-operations"),
        Some(Selector::Tag("website".into()))
    );
    assert_eq!(
        selector("cloud-service"),
        Some(Selector::Tag("cloud".into()))
    );
    assert_eq!(
        selector("supplier-check"),
        Some(Selector::Kind(SubjectKind::Supplier))
    );
}

#[test]
fn the_standard_profile_inspects_against_the_rules_once_a_year() {
    let p = profile("sme-standard");
    let rule = p
        .schedule
        .iter()
        .find(|r| r.inspection.as_str() == "rules-compliance")
        .expect("sme-standard schedules rules-compliance");
    assert_eq!(rule.every, Every::Year);
    assert_eq!(rule.subjects, Selector::Kind(SubjectKind::Organisation));
}

#[test]
fn the_demo_has_notes_for_every_item_of_every_template_it_runs() {
    let mut covered = 0;
    for name in tenken::demo::inspections_with_notes() {
        let insp = inspection(name);
        let items: BTreeSet<&str> = insp.items().map(|(_, i)| i.id.as_str()).collect();
        let rows: BTreeSet<&str> = tenken::demo::items_with_notes(name).into_iter().collect();
        assert_eq!(rows, items, "{name}: demo rows and template items differ");
        covered += 1;
    }
    assert_eq!(covered, 6);
}

/// Every note, piece of evidence and action in the demo repository is the
/// one written for the item it sits on (issue 18: no "three laptops not set
/// up" on a confidentiality clause).
#[test]
fn every_demo_note_evidence_and_action_fits_its_item() {
    let env = crate::support::TestEnv::new();
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();
    let mut files = Vec::new();
    let mut stack = vec![env.repo().join("runs"), env.repo().join(".tenken/drafts")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "ron") {
                files.push(path);
            }
        }
    }
    let (mut notes, mut evidence, mut actions, mut drafts) = (0, 0, 0, 0);
    for path in &files {
        let src = std::fs::read_to_string(path).unwrap();
        let (inspection, answers) = if path.starts_with(env.repo().join("runs")) {
            let run: tenken::model::Run = load::parse(path, &src).unwrap();
            (run.inspection, run.answers)
        } else {
            let draft: tenken::model::Draft = load::parse(path, &src).unwrap();
            drafts += 1;
            (draft.inspection, draft.answers)
        };
        for (item, answer) in &answers {
            let at = format!("{} item {item}", path.display());
            let written = tenken::demo::notes_for(inspection.as_str(), item.as_str())
                .unwrap_or_else(|| panic!("{at}: no demo notes for this item"));
            match answer.choice.as_str() {
                "yes" => assert_eq!(answer.note, "", "{at}"),
                "partly" => assert!(
                    answer.note == written.partly || Some(answer.note.as_str()) == written.later,
                    "{at}: {}",
                    answer.note
                ),
                "no" => assert_eq!(answer.note, written.no, "{at}"),
                "unknown" => assert!(
                    tenken::demo::unknown_notes(inspection.as_str())
                        .contains(&answer.note.as_str()),
                    "{at}: {}",
                    answer.note
                ),
                other => panic!("{at}: unexpected choice {other}"),
            }
            notes += usize::from(!answer.note.is_empty());
            for e in &answer.evidence {
                assert_eq!(e, written.evidence, "{at}");
                evidence += 1;
            }
            if let Some(action) = &answer.action {
                assert_eq!(action.text, written.action, "{at}");
                assert_eq!(action.owner, written.owner.name(), "{at}");
                actions += 1;
            }
        }
    }
    // The demo is not empty: the checks above really ran.
    assert_eq!(drafts, 1);
    assert!(files.len() > 30, "{} files", files.len());
    assert!(
        notes > 100 && evidence > 10 && actions > 20,
        "{notes} {evidence} {actions}"
    );
}
