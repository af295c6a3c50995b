//! The loader's diagnostics, pinned exactly. Every `tests/fixtures/invalid/*.ron`
//! is one invalid file with one problem; its sibling `.expected` holds the
//! `path:line:column: message` lines it must produce, in order. The name
//! says what a fixture is (`inspection-*`, `run-*`, `subjects-*`,
//! `roles-*`, `risk-*`, `profile-*`); runs and profiles are checked against the small valid
//! repository in `tests/fixtures/catalog/`.
//!
//! After a deliberate change of wording, `TENKEN_BLESS=1 cargo test --test
//! integration diagnostics` rewrites the `.expected` files; read the diff
//! and check every line and column against the fixture before committing.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use tenken::Diagnostic;
use tenken::load::{self, Catalog};

use crate::support::TestEnv;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn catalog() -> Catalog {
    load::catalog(&fixtures().join("catalog")).expect("the fixture repository is valid")
}

fn lines(diags: &[Diagnostic]) -> String {
    use std::fmt::Write;
    diags.iter().fold(String::new(), |mut out, d| {
        let _ = writeln!(out, "{d}");
        out
    })
}

/// Loads one fixture the way `tenken check` would and returns its diagnostics.
fn diagnose(name: &str, src: &str, catalog: &Catalog) -> Vec<Diagnostic> {
    fn parsed<T: DeserializeOwned>(
        path: &Path,
        src: &str,
        validate: impl FnOnce(&T) -> Vec<Diagnostic>,
    ) -> Vec<Diagnostic> {
        load::parse(path, src).map_or_else(|d| vec![d], |value| validate(&value))
    }
    let path = Path::new(name);
    let kind = name.split('-').next().unwrap_or_default();
    match kind {
        "inspection" => load::inspection_from_str(path, src, None).err(),
        "run" => load::run_from_str(
            path,
            src,
            catalog,
            &load::current_template(&catalog.inspections),
        )
        .err(),
        "subjects" => Some(parsed(path, src, |s| load::validate_subjects(path, src, s))),
        "roles" => Some(parsed(path, src, |r| load::validate_roles(path, src, r))),
        "risk" => Some(parsed(path, src, |r| load::validate_risk(path, src, r))),
        "profile" => {
            let known = catalog.inspections.keys().cloned().collect();
            Some(parsed(path, src, |p| {
                load::validate_profile(path, src, p, None, &known, Some(&catalog.subjects))
            }))
        }
        _ => panic!(
            "{name}: a fixture name starts with `inspection-`, `run-`, `subjects-`, `roles-`, `risk-` or `profile-`"
        ),
    }
    .unwrap_or_default()
}

#[test]
fn every_invalid_fixture_gives_exactly_its_expected_diagnostics() {
    let dir = fixtures().join("invalid");
    let bless = std::env::var_os("TENKEN_BLESS").is_some();
    let catalog = catalog();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for name in &names {
        let Some(stem) = name.strip_suffix(".ron") else {
            // Forgotten-file check: every `.expected` belongs to a fixture.
            let stem = name.strip_suffix(".expected");
            assert!(
                stem.is_some_and(|s| names.contains(&format!("{s}.ron"))),
                "{name}: not a fixture (`.ron`) or the `.expected` of one"
            );
            continue;
        };
        let src = std::fs::read_to_string(dir.join(name)).unwrap();
        let actual = lines(&diagnose(name, &src, &catalog));
        assert!(!actual.is_empty(), "{name} loads without any diagnostic");
        let expected_path = dir.join(format!("{stem}.expected"));
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name} has no {stem}.expected"));
        if actual != expected {
            failures.push(format!(
                "{name}\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked >= 20,
        "only {checked} fixtures found in {}",
        dir.display()
    );
}

#[test]
fn the_fixture_repository_itself_is_valid() {
    let root = fixtures().join("catalog");
    let current = load::current_inspections(&root);
    assert_eq!(
        lines(&load::check_repo(
            &root,
            &load::current_template(&current),
            chrono::DateTime::parse_from_rfc3339("2026-11-25T09:30:00+09:00").unwrap()
        )),
        ""
    );
}

#[test]
fn nesting_ten_thousand_levels_deep_is_an_error_not_a_stack_overflow() {
    let deep =
        |open: &str, close: &str| format!("{}1{}", open.repeat(10_000), close.repeat(10_000));
    let head =
        r#"Inspection(format: 1, id: "x", version: 1, title: (en: "x"), source: "x", scales: "#;
    let choice = r#"[Choice(id: "a", key: '1', label: (en: "x"), points: "#;
    let sources = [
        deep("[", "]"),
        deep("(", ")"),
        format!(r#"{head}{{"a": {}}})"#, deep("[", "]")),
        format!(r#"{head}{{"a": {choice}{}]}})"#, deep("Some(", ")")),
    ];
    let mut out = String::new();
    for src in &sources {
        let diags = load::inspection_from_str(Path::new("deep.ron"), src, None).unwrap_err();
        out += &lines(&diags);
    }
    insta::assert_snapshot!(out, @r"
    deep.ron:1:1: expected opening `(` for struct `Inspection`
    deep.ron:1:2: expected identifier
    deep.ron:1:90: expected opening `(` for struct `Choice`
    deep.ron:1:147: expected integer
    ");
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let env = TestEnv::new();
    std::fs::create_dir(env.home.path().join("inspections")).unwrap();
    let path = env.home.path().join("inspections/huge.ron");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(load::MAX_FILE_BYTES + 1).unwrap();
    let diag = load::read(load::Source::repo(
        env.home.path(),
        Path::new("inspections/huge.ron"),
    ))
    .unwrap_err();
    insta::assert_snapshot!(diag, @"inspections/huge.ron: too large: 8388609 bytes; the limit is 8388608 bytes");
}

#[test]
fn the_readme_examples_load_without_diagnostics() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```ron\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    let [template, run, config] = blocks[..] else {
        panic!("README.md should hold three RON examples: a template, a run and a tenken.ron");
    };
    let path = Path::new("README.md");
    let template =
        load::inspection_from_str(path, template, None).unwrap_or_else(|d| panic!("{}", lines(&d)));
    let mut catalog = catalog();
    catalog.inspections.insert(template.id.clone(), template);
    load::run_from_str(
        path,
        run,
        &catalog,
        &load::current_template(&catalog.inspections),
    )
    .unwrap_or_else(|d| panic!("{}", lines(&d)));
    let parsed: tenken::model::Config = load::parse(path, config).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(lines(&load::validate_config(path, config, &parsed)), "");
    assert_eq!(parsed.inspectors.len(), 2);
}
