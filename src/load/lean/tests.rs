//! The lean reader against ron: every run file tenken writes is read by the
//! lean reader, and for any file at all (generated, then mutated) the lean
//! reader either declines or reads exactly what ron reads.

use std::path::Path;

use proptest::prelude::*;

use super::{parse_run, run};
use crate::model::{Answer, Evidence, EvidenceFile, Id, Run, arb, to_ron};

fn ron(src: &str) -> Result<Run, String> {
    crate::load::parse::<Run>(Path::new("run.ron"), src).map_err(|d| d.to_string())
}

/// The rule: the lean reader declines, or ron reads the same run.
fn agrees(src: &str) -> Result<(), String> {
    match run(src) {
        None => Ok(()),
        Some(lean) => match ron(src) {
            Ok(r) if r == lean => Ok(()),
            Ok(r) => Err(format!(
                "lean read\n{lean:?}\nron read\n{r:?}\nfrom:\n{src}"
            )),
            Err(e) => Err(format!(
                "lean read\n{lean:?}\nron refused: {e}\nfrom:\n{src}"
            )),
        },
    }
}

/// Runs as tenken writes them, some answers with `written_for` too (which
/// only drafts keep, but the record type has it).
fn any_run() -> impl Strategy<Value = Run> {
    (arb::run(), proptest::option::of(arb::id())).prop_map(|(mut run, written_for)| {
        if let Some(a) = run.answers.values_mut().next() {
            a.written_for = written_for;
        }
        run
    })
}

/// Pieces of RON, right and wrong, that a mutation inserts.
const TOKENS: &[&str] = &[
    ",",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "\"",
    "\\",
    " ",
    "\n",
    "\t",
    "\r",
    "\u{b}",
    "\u{85}",
    "\u{feff}",
    "// c\n",
    "/* c */",
    "#",
    "Some(",
    "None",
    "Some",
    "true",
    "false",
    "0",
    "01",
    "1_0",
    "+1",
    "-1",
    "1u32",
    "1.0",
    "0x1",
    "r\"x\"",
    "r#",
    "\\u{41}",
    "\\u{}",
    "\\u{d800}",
    "\\u{0000041}",
    "\\x41",
    "\\'",
    "\\0",
    "\\\n",
    "Run",
    "Answer",
    "Inspector",
    "Action",
    "File",
    "File(",
    "Foo(",
    "format",
    "id",
    "note",
    "carried",
    "evidence",
    "action",
    "written_for",
    "supersedes",
    "closes",
    "inspection_hash",
    "é",
    "点",
    "\"a\"",
    "\"1\"",
    "name:",
    "x:",
];

/// One edit of a file.
#[derive(Debug, Clone)]
enum Mutation {
    /// Inserts a token before the character at this fraction of the text.
    Insert(f64, usize),
    /// Deletes up to `n` characters from there.
    Delete(f64, usize),
    /// Swaps two lines.
    Swap(f64, f64),
    /// Repeats a line.
    Repeat(f64),
    /// Removes a line.
    Drop(f64),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (0.0..1.0f64, 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Insert(at, t)),
        2 => (0.0..1.0f64, 1..4usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        2 => (0.0..1.0f64, 0.0..1.0f64).prop_map(|(a, b)| Mutation::Swap(a, b)),
        1 => (0.0..1.0f64).prop_map(Mutation::Repeat),
        1 => (0.0..1.0f64).prop_map(Mutation::Drop),
    ]
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn pick(fraction: f64, len: usize) -> usize {
    ((fraction * len as f64) as usize).min(len.saturating_sub(1))
}

fn apply(src: &str, m: &Mutation) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut lines: Vec<&str> = src.split_inclusive('\n').collect();
    match m {
        Mutation::Insert(at, t) => {
            let at = pick(*at, chars.len() + 1);
            let mut out: String = chars[..at].iter().collect();
            out.push_str(TOKENS[*t]);
            out.extend(&chars[at..]);
            out
        }
        Mutation::Delete(at, n) => {
            let at = pick(*at, chars.len());
            let end = (at + n).min(chars.len());
            chars[..at].iter().chain(&chars[end..]).collect()
        }
        Mutation::Swap(a, b) => {
            let (a, b) = (pick(*a, lines.len()), pick(*b, lines.len()));
            lines.swap(a, b);
            lines.concat()
        }
        Mutation::Repeat(a) => {
            let a = pick(*a, lines.len());
            let line = lines[a];
            lines.insert(a, line);
            lines.concat()
        }
        Mutation::Drop(a) => {
            let a = pick(*a, lines.len());
            lines.remove(a);
            lines.concat()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Every run file tenken writes takes the lean path, and reads as the
    /// run that was written (and as ron reads it).
    #[test]
    fn the_lean_reader_reads_every_run_tenken_writes(run_value in any_run()) {
        let text = to_ron(&run_value).expect("a run serialises");
        prop_assert_eq!(run(&text), Some(run_value.clone()), "written as:\n{}", text);
        prop_assert_eq!(ron(&text), Ok(run_value));
    }

    /// Mutated files: the lean reader declines, or reads what ron reads.
    #[test]
    fn the_lean_reader_never_reads_a_file_otherwise_than_ron(
        run_value in any_run(),
        edits in proptest::collection::vec(mutation(), 1..4),
    ) {
        let mut text = to_ron(&run_value).expect("a run serialises");
        for m in &edits {
            text = apply(&text, m);
        }
        if let Err(e) = agrees(&text) {
            return Err(TestCaseError::fail(e));
        }
        // `parse_run` is the lean reader when it reads, else ron.
        let either = parse_run(Path::new("run.ron"), &text).map_err(|d| d.to_string());
        prop_assert_eq!(either, ron(&text));
    }
}

const BASE: &str = r#"Run(
    format: 1,
    id: "self/mini/2026-11-25T091500-sato",
    inspection: "mini",
    inspection_version: 2,
    subject: "self",
    inspector: (id: "sato", name: "Sato Hanako", email: "sato@example.jp"),
    started: "2026-11-25T09:15:00+09:00",
    finished: "2026-11-25T09:41:12+09:00",
    answers: {
        "1": (choice: "no", note: "two laptops are not patched"),
        "2": (choice: "yes"),
    },
    supersedes: None,
)
"#;

/// Files written by hand in ways the lean reader knows: it reads them, and
/// ron reads the same.
#[test]
fn hand_written_variants_it_knows_read_as_ron_reads_them() {
    let variants = [
        BASE.to_owned(),
        BASE.replace("Run(", "("),
        BASE.replace("inspector: (", "inspector: Inspector("),
        BASE.replace("\"2\": (", "\"2\": Answer("),
        BASE.replace(",\n)", "\n)"),
        BASE.replace("    format: 1,\n", "").replace(")\n", "    format: 1,\n)\n"),
        BASE.replace("supersedes: None", "supersedes: Some(\"self/mini/x\")"),
        BASE.replace("supersedes: None,\n", ""),
        BASE.replace("  ", "\t"),
        BASE.replace('\n', "\r\n"),
        BASE.replace("(choice: \"yes\")", "(choice: \"yes\", carried: true, evidence: [\"a \\\"b\\\" \\u{1F600}\", File(name: \"x.png\", media_type: \"image/png\", size: 0, sha256: \"ab\")], action: Some(Action(text: \"t\", due: \"2027-01-31\")), written_for: Some(\"no\"))"),
    ];
    for v in &variants {
        assert!(run(v).is_some(), "the lean reader declined:\n{v}");
        agrees(v).unwrap_or_else(|e| panic!("{e}"));
    }
    let answer = &run(&variants[10]).unwrap().answers[&Id::new("2").unwrap()];
    assert_eq!(
        answer.evidence,
        vec![
            Evidence::Text("a \"b\" \u{1F600}".into()),
            Evidence::File(EvidenceFile {
                name: "x.png".into(),
                media_type: "image/png".into(),
                size: 0,
                sha256: "ab".into(),
            })
        ]
    );
    assert!(answer.carried);
    assert_eq!(answer.written_for, Some(Id::new("no").unwrap()));
    let Answer { action, .. } = answer;
    assert_eq!(action.as_ref().map(|a| a.text.as_str()), Some("t"));
}

/// What the lean reader leaves to ron: it declines, and `parse_run` gives
/// what ron gives (a run, or the same diagnostic).
#[test]
fn what_it_does_not_know_goes_to_ron() {
    let variants = [
        // ron reads these too, the lean reader is not sure of them
        BASE.replace("    format: 1,", "    format: 1, // one"),
        BASE.replace("Run(", "Run ("),
        BASE.replace("format: 1", "format: 0x1"),
        BASE.replace("format: 1", "format: 1_0"),
        BASE.replace("\"self\"", "r\"self\""),
        BASE.replace("supersedes: None", "supersedes: Some(\"x\",)"),
        BASE.replace("not patched", "not \\x41 patched"),
        format!("\u{feff}{BASE}"),
        format!("#![enable(implicit_some)]\n{BASE}"),
        // ron refuses these or reads them otherwise
        BASE.replace("Run(", "Foo("),
        BASE.replace("format: 1", "format: 01"),
        BASE.replace("format: 1", "format: -1"),
        BASE.replace("format: 1", "format: 4294967296"),
        BASE.replace("\"2\": (choice: \"yes\")", "\"1\": (choice: \"yes\")"),
        BASE.replace("    format: 1,\n", "    format: 1,\n    format: 1,\n"),
        BASE.replace("supersedes: None", "supersedes: None, colour: 3"),
        BASE.replace("    subject: \"self\",\n", ""),
        BASE.replace("\"self\"", "\"Self\""),
        BASE.replace("09:41:12", "25:41:12"),
        BASE.replace("not patched", "not \\u{d800} patched"),
        BASE.replace("not patched", "not \\q patched"),
        format!("{BASE}x"),
        String::new(),
    ];
    for v in &variants {
        assert!(run(v).is_none(), "the lean reader read:\n{v}");
        let ron_says = ron(v);
        assert_eq!(
            parse_run(Path::new("run.ron"), v).map_err(|d| d.to_string()),
            ron_says
        );
    }
    // Among them, ron reads some and refuses others (both paths are used).
    let read = variants.iter().filter(|v| ron(v).is_ok()).count();
    assert!(read >= 5 && read < variants.len(), "{read}");
}
