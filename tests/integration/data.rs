//! The bundled checklists and profiles: the files in `inspections/` and
//! `profiles/` are exactly the ones embedded in the binary, each loads with
//! no diagnostics, every text a person reads is in both languages, and a
//! fresh repository with all of them passes `tenken check`.

// The helpers below run only inside tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tenken::bundle::{self, BundledFile};
use tenken::load;
use tenken::model::{Edition, Id, Inspection, Profile, Text};

use crate::support::TestEnv;

fn source_dir(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)
}

/// Returns `(name, contents)` of every `*.ron` file in the source tree's `dir`.
fn files_on_disk(dir: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(source_dir(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn bundled_list(files: &[BundledFile]) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = files
        .iter()
        .map(|f| (f.name.to_owned(), f.contents.to_owned()))
        .collect();
    list.sort();
    list
}

fn stem(name: &str) -> &str {
    name.strip_suffix(".ron").unwrap()
}

fn inspections() -> Vec<Inspection> {
    bundle::INSPECTIONS
        .iter()
        .map(|f| {
            let path = Path::new("inspections").join(f.name);
            load::inspection_from_str(&path, f.contents, Some(stem(f.name)))
                .unwrap_or_else(|d| panic!("{}: {d:?}", f.name))
        })
        .collect()
}

fn assert_bilingual(what: &str, text: &Text) {
    assert!(
        text.is_complete(),
        "{what} lacks Japanese or English: {text:?}"
    );
}

/// A Japanese title is spaced with full-width characters or not at all:
/// 「5か条点検」, never 「5か条 点検」.
fn assert_no_half_width_space(what: &str, text: &Text) {
    assert!(
        !text.ja.contains(' '),
        "{what}: half-width space in the Japanese title {:?}",
        text.ja
    );
}

#[test]
fn bundle_lists_exactly_the_files_in_the_source_tree() {
    assert_eq!(
        bundled_list(bundle::INSPECTIONS),
        files_on_disk("inspections"),
        "inspections/ and bundle::INSPECTIONS differ"
    );
    assert_eq!(
        bundled_list(bundle::PROFILES),
        files_on_disk("profiles"),
        "profiles/ and bundle::PROFILES differ"
    );
    assert!(
        bundle::PROFILES
            .iter()
            .any(|p| stem(p.name) == bundle::DEFAULT_PROFILE)
    );
}

#[test]
fn bundled_inspections_have_the_contracted_ids() {
    let ids: BTreeSet<String> = inspections().iter().map(|i| i.id.to_string()).collect();
    let expected: BTreeSet<String> = [
        "cloud-service",
        "incident-readiness",
        "info-sharing",
        "ipa-five-principles",
        "ipa-self-check",
        "rules-compliance",
        "security-services",
        "supplier-check",
        "technical-measures",
        "telework",
        "website-operations",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(ids, expected);
}

#[test]
fn every_bundled_inspection_loads_without_diagnostics() {
    for insp in inspections() {
        assert!(!insp.source.trim().is_empty(), "{}: no source", insp.id);
        assert!(
            insp.source.contains("IPA"),
            "{}: the source must name the guideline",
            insp.id
        );
        assert!(insp.item_count() > 0, "{}", insp.id);
    }
}

#[test]
fn every_text_of_every_template_is_bilingual() {
    for insp in inspections() {
        let at = |what: &str| format!("{} {what}", insp.id);
        assert_bilingual(&at("title"), &insp.title);
        assert_no_half_width_space(&at("title"), &insp.title);
        assert_bilingual(&at("description"), &insp.description);
        for (scale, choices) in &insp.scales {
            for choice in choices {
                assert_bilingual(
                    &at(&format!("scale {scale} choice {}", choice.id)),
                    &choice.label,
                );
            }
        }
        for section in &insp.sections {
            assert_bilingual(&at(&format!("section {}", section.id)), &section.title);
            assert_no_half_width_space(&at(&format!("section {}", section.id)), &section.title);
        }
        for (_, item) in insp.items() {
            assert_bilingual(&at(&format!("item {} title", item.id)), &item.title);
            assert_bilingual(&at(&format!("item {} guidance", item.id)), &item.guidance);
            if !item.staff.is_unset() {
                assert_bilingual(&at(&format!("item {} staff", item.id)), &item.staff);
            }
            // Where the item comes from, named in both languages (a
            // Japanese walker showed the English one).
            let what = at(&format!("item {} reference", item.id));
            match &item.reference {
                tenken::model::Name::Text(reference) => {
                    assert_bilingual(&what, reference);
                    assert_ne!(reference.ja, reference.en, "{what}");
                }
                plain @ tenken::model::Name::Plain(_) => {
                    panic!("{what} is not in both languages: {plain:?}")
                }
            }
        }
        assert!(!insp.bands.is_empty(), "{}", at("has no bands"));
        for band in &insp.bands {
            let what = format!("band {}", band.min_percent);
            assert_bilingual(&at(&format!("{what} label")), &band.label);
            assert_bilingual(&at(&format!("{what} advice")), &band.advice);
        }
        // The last band catches everything, negative scores included.
        assert!(
            insp.bands.last().unwrap().min_percent <= 0,
            "{}",
            at("last band")
        );
    }
}

#[test]
fn every_bundled_inspection_names_the_edition_it_follows() {
    // The bundled checklists follow edition 3.1 of the guideline; a later
    // edition comes as a new template version, not as an edit of these.
    let follows = Edition::new(3, 1);
    for insp in inspections() {
        assert_eq!(insp.edition, Some(follows), "{}: edition", insp.id);
        assert!(
            insp.source.contains("3.1"),
            "{}: the source must name the edition too",
            insp.id
        );
        for (_, item) in insp.items() {
            assert!(
                insp.item_in_edition(item, follows),
                "{} item {}: not in the template's own edition",
                insp.id,
                item.id
            );
        }
    }
}

#[test]
fn not_applicable_choices_always_require_a_note() {
    for insp in inspections() {
        for (_, item) in insp.items() {
            for choice in insp.choices(item).iter().filter(|c| c.points.is_none()) {
                assert!(
                    item.note_required_for.contains(&choice.id),
                    "{} item {}: `{}` must require a note",
                    insp.id,
                    item.id,
                    choice.id
                );
            }
        }
    }
}

#[test]
fn every_bundled_profile_loads_without_diagnostics() {
    let known: BTreeSet<Id> = inspections().into_iter().map(|i| i.id).collect();
    for f in bundle::PROFILES {
        let path = Path::new("profiles").join(f.name);
        let profile: Profile =
            load::parse(&path, f.contents).unwrap_or_else(|d| panic!("{}: {d}", f.name));
        let diags = load::validate_profile(
            &path,
            f.contents,
            &profile,
            Some(stem(f.name)),
            &known,
            None,
        );
        assert!(diags.is_empty(), "{}: {diags:?}", f.name);
        assert_bilingual(&format!("profile {} title", profile.id), &profile.title);
        assert_no_half_width_space(&format!("profile {} title", profile.id), &profile.title);
        assert!(!profile.schedule.is_empty(), "{}", profile.id);
    }
}

#[test]
fn fresh_init_with_all_bundled_files_passes_check() {
    let env = TestEnv::new();
    let repo = env.init();
    for (dir, files) in [
        ("inspections", bundle::INSPECTIONS),
        ("profiles", bundle::PROFILES),
    ] {
        for f in files {
            let copied = std::fs::read_to_string(repo.join(dir).join(f.name)).unwrap();
            assert_eq!(
                copied, f.contents,
                "{dir}/{} was not copied as bundled",
                f.name
            );
        }
    }
    env.tenken_in_repo()
        .arg("check")
        .assert()
        .success()
        .stdout("すべてのファイルに問題はありません。\n");
}
