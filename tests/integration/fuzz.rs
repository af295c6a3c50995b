//! Property tests in place of a fuzzer, bounded so they run in every
//! `cargo test`: the RON loaders (every record type, through the same
//! parse-then-validate path `tenken check` takes), drafts, and the answers
//! import (RON and CSV) never panic, whatever text they get. Errors are
//! fine; a panic, a hang or a stack overflow is not. Inputs are arbitrary
//! text and valid files with random edits (the edits that matter to a
//! parser: brackets, quotes, escapes, huge numbers, cuts, duplications).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use tenken::load::answers::{self, AnswersFormat};
use tenken::load::{self, Catalog};
use tenken::model::{Config, Draft, Id, Inspection, Profile, RiskAssessment, Subjects};

/// Cases per property: enough to find the easy panics every run, few
/// enough to keep the whole file to a few seconds.
const CASES: u32 = 256;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog")
}

fn catalog() -> &'static Catalog {
    static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(|| load::catalog(&fixtures()).expect("the fixture repository is valid"))
}

fn mini() -> &'static Inspection {
    catalog()
        .inspections
        .get(&Id::new("mini").unwrap())
        .expect("the fixture template")
}

/// Valid files of every kind, to mutate.
fn seeds() -> Vec<String> {
    let read = |rel: &str| std::fs::read_to_string(fixtures().join(rel)).unwrap();
    let mut out = vec![
        read("tenken.ron"),
        read("subjects.ron"),
        read("inspections/mini.ron"),
        read("runs/self/mini/2026-11-25T091500-sato.ron"),
        r#"{"1": (choice: "no", note: "two laptops"), "2": (choice: "yes", evidence: ["x"])}"#.into(),
        "\u{feff}item,choice,note\r\n1,no,\"a, \"\"quoted\"\"\nnote\"\r\n2,yes,\r\n".into(),
        r#"RiskAssessment(format: 1, id: "x", assessor: (id: "sato"), date: "2026-11-25", assets: [
            Asset(id: "a", name: "Ledger", business: "accounts", owner: "office", medium: "paper",
                  users: "staff", personal_data: MyNumber, c: 2, i: 3, a: 1,
                  threats: [Threat(id: "t", title: "theft", threat: 2, vulnerability: 3, treatment: Reduce, plan: "lock it")])])"#.into(),
    ];
    out.extend(
        tenken::bundle::INSPECTIONS
            .iter()
            .map(|f| f.contents.to_owned()),
    );
    out.extend(
        tenken::bundle::PROFILES
            .iter()
            .map(|f| f.contents.to_owned()),
    );
    out
}

/// Runs `src` through every loader and validator; only a panic fails.
fn load_everything(src: &str) {
    let path = Path::new("fuzz.ron");
    let catalog = catalog();
    let _ = load::inspection_from_str(path, src, Some("mini"));
    let _ = load::run_from_str(
        Path::new("runs/self/mini/2026-11-25T091500-sato.ron"),
        src,
        catalog,
        &load::current_template(&catalog.inspections),
    );
    if let Ok(s) = load::parse::<Subjects>(path, src) {
        let _ = load::validate_subjects(path, src, &s);
    }
    if let Ok(p) = load::parse::<Profile>(path, src) {
        let known: BTreeSet<Id> = catalog.inspections.keys().cloned().collect();
        let _ = load::validate_profile(path, src, &p, Some("x"), &known, Some(&catalog.subjects));
    }
    if let Ok(c) = load::parse::<Config>(path, src) {
        let _ = load::validate_config(path, src, &c);
    }
    if let Ok(r) = load::parse::<RiskAssessment>(path, src) {
        let _ = load::validate_risk(path, src, &r);
    }
    let _ = load::parse::<Draft>(path, src);
    let _ = answers::answers_from_str(path, src, AnswersFormat::Ron, mini());
    let _ = answers::answers_from_str(path, src, AnswersFormat::Csv, mini());
    let _ = load::csv::parse(src);
}

/// Text a parser finds interesting.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            ",",
            ":",
            "\"",
            "'",
            "\\",
            "\\u{1b}",
            "\\u{d800}",
            "r#\"",
            "\"#",
            "//",
            "/*",
            "*/",
            "Some(",
            "None",
            "-1",
            "-0",
            "1e999",
            "99999999999999999999",
            "\n",
            "\r",
            "\u{feff}",
            "\u{1b}",
            "\u{0}",
            "あ",
            "\u{202e}",
            "format: 2",
            "id: \"../x\"",
            "id: \"A B\"",
            "\"\"\"",
            ",,",
        ])
        .prop_map(str::to_owned),
        ".{0,6}",
    ]
}

/// One random edit: where (as a fraction of the length), what, how much.
#[derive(Debug, Clone)]
enum Edit {
    Insert(f64, String),
    Delete(f64, usize),
    Duplicate(f64, usize),
    Truncate(f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0.0..1.0f64, token()).prop_map(|(at, t)| Edit::Insert(at, t)),
        3 => (0.0..1.0f64, 1..40usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        1 => (0.0..1.0f64, 1..200usize).prop_map(|(at, n)| Edit::Duplicate(at, n)),
        1 => (0.0..1.0f64).prop_map(Edit::Truncate),
    ]
}

/// Applies `edits` to `src`, always at character boundaries.
fn mutate(src: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = src.chars().collect();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let at = |f: f64, len: usize| ((f * len as f64) as usize).min(len);
    for e in edits {
        let len = chars.len();
        match e {
            Edit::Insert(f, t) => {
                let i = at(*f, len);
                chars.splice(i..i, t.chars());
            }
            Edit::Delete(f, n) => {
                let i = at(*f, len);
                chars.drain(i..(i + n).min(len));
            }
            Edit::Duplicate(f, n) => {
                let i = at(*f, len);
                let piece: Vec<char> = chars[i..(i + n).min(len)].to_vec();
                chars.splice(i..i, piece);
            }
            Edit::Truncate(f) => chars.truncate(at(*f, len)),
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn loaders_never_panic_on_arbitrary_text(src in any::<String>()) {
        load_everything(&src);
    }

    #[test]
    fn loaders_never_panic_on_edited_valid_files(
        seed in 0..64usize,
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let seeds = seeds();
        let src = mutate(&seeds[seed % seeds.len()], &edits);
        load_everything(&src);
    }

    #[test]
    fn the_csv_import_never_panics(
        rows in prop::collection::vec(
            prop::collection::vec("[a-z0-9 ,\"\r\n\u{feff}\u{1b}あ-]{0,12}", 0..5),
            0..8,
        ),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let body: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
        let src = format!("item,choice,note{end}{}", body.join(end));
        let _ = load::csv::parse(&src);
        let _ = answers::answers_from_str(Path::new("a.csv"), &src, AnswersFormat::Csv, mini());
    }
}
