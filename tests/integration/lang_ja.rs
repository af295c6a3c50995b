//! Issue 17, "Japanese everywhere": every read command run with `--lang ja`
//! on the demo prints no English word of its own.
//!
//! What the command prints from data stays as written: the test collects
//! every quoted string of the demo's records (subjects, roles, settings,
//! risk assessments, runs) and removes them from the output before it looks
//! at words, and the ids of inspections and profiles are allowed as tokens.
//! What remains must hold no ASCII word of three letters or more beyond
//! [`TERMS`], dates, numbers and commit hashes. A second test proves the
//! check itself by finding English in the same commands with `--lang en`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::TestEnv;

/// The read commands whose words come from the message catalogue, with
/// arguments that make them print something on the demo.
const COMMANDS: &[&[&str]] = &[
    &["history"],
    &["history", "--all"],
    &[
        "compare",
        "--subject",
        "self",
        "--inspection",
        "ipa-self-check",
    ],
    &[
        "compare",
        "previous",
        "latest",
        "--inspection",
        "supplier-check",
    ],
    &["trend"],
    &["due"],
    &["suppliers"],
    &["suppliers", "--retired"],
    &["actions"],
    &["actions", "--all"],
    &["risks"],
    &["risks", "--compare"],
    &["check"],
    &["verify"],
    &["path"],
    &["subjects"],
];

/// Words a Japanese inspector reads as they are: acronyms and names of
/// programs and standards.
const TERMS: &[&str] = &[
    "OK", "IPA", "ISMS", "SSH", "git", "tenken", "JSON", "CSV", "HTML", "PDF", "URL", "Web", "VPN",
    "SNS", "USB", "UTM", "EDR", "OSCAL", "RON", "Excel", "NDA", "BCP", "WPA",
];

/// The data and ids of the demo repository: phrases to remove and tokens to
/// allow.
struct Data {
    /// Strings with a space or a non-ASCII character, longest first.
    phrases: Vec<String>,
    /// Single tokens: ids, run ids, choice ids.
    tokens: BTreeSet<String>,
}

impl Data {
    fn read(repo: &Path) -> Self {
        let mut strings = BTreeSet::new();
        let mut files = Vec::new();
        for name in ["subjects.ron", "roles.ron", "tenken.ron"] {
            files.push(repo.join(name));
        }
        for dir in ["risks", "runs", "withdrawals"] {
            collect_files(&repo.join(dir), &mut files);
        }
        for file in files {
            if let Ok(text) = std::fs::read_to_string(&file) {
                quoted(&text, &mut strings);
            }
        }
        let mut tokens = BTreeSet::new();
        for dir in ["inspections", "profiles"] {
            for entry in std::fs::read_dir(repo.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                tokens.insert(stem);
            }
        }
        let mut phrases = Vec::new();
        for s in strings {
            for line in s.lines() {
                if line.chars().any(|c| c.is_whitespace() || !c.is_ascii()) {
                    phrases.push(line.trim().to_owned());
                } else {
                    tokens.insert(line.to_owned());
                }
            }
        }
        phrases.retain(|p| !p.is_empty());
        phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Self { phrases, tokens }
    }

    /// Returns the English words of `output`, each with its line.
    fn english_words(&self, output: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for line in output.lines() {
            let mut rest = without_commands(line);
            for phrase in &self.phrases {
                rest = rest.replace(phrase.as_str(), " ");
            }
            let token_chars = |c: char| c.is_ascii_alphanumeric() || "._/-".contains(c);
            for token in rest.split(|c: char| !token_chars(c)) {
                let token = token.trim_matches(|c: char| ".-/".contains(c));
                if token.is_empty() || self.tokens.contains(token) || is_hash(token) {
                    continue;
                }
                // A run id or path: each part may be an id.
                if token.split('/').all(|p| self.tokens.contains(p)) {
                    continue;
                }
                for word in token.split(|c: char| !c.is_ascii_alphabetic()) {
                    if word.len() >= 3 && !TERMS.contains(&word) && !self.tokens.contains(word) {
                        found.push((word.to_owned(), line.to_owned()));
                    }
                }
            }
        }
        found
    }
}

/// Collects the files under `dir`, recursively.
fn collect_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// Collects the quoted strings of a RON file (with `\"` and `\\` undone).
fn quoted(text: &str, out: &mut BTreeSet<String>) {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut s = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => s.push('\n'),
                    Some(c) => s.push(c),
                    None => break,
                },
                c => s.push(c),
            }
        }
        out.insert(s);
    }
}

/// Returns `line` without the spans in backticks: commands and names the
/// inspector types as they are.
fn without_commands(line: &str) -> String {
    line.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A commit hash, whole or abbreviated.
fn is_hash(token: &str) -> bool {
    token.len() >= 7 && token.chars().all(|c| c.is_ascii_hexdigit())
}

/// The demo repository in the test's HOME, built with `tenken demo`.
fn demo() -> TestEnv {
    let env = TestEnv::new();
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();
    env
}

/// Runs a read command in `lang` and returns its stdout and stderr.
fn output(env: &TestEnv, lang: &str, args: &[&str]) -> String {
    let out = env
        .tenken_in_repo()
        .args(["--lang", lang])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap()
    )
}

#[test]
fn every_read_command_speaks_japanese() {
    let env = demo();
    let data = Data::read(&env.repo());
    let mut problems = Vec::new();
    for args in COMMANDS {
        let text = output(&env, "ja", args);
        assert!(!text.trim().is_empty(), "{args:?} printed nothing");
        for (word, line) in data.english_words(&text) {
            problems.push(format!("{args:?}: `{word}` in {line:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "English in Japanese output:\n{}",
        problems.join("\n")
    );
}

/// The check finds the English words of the same commands: a command whose
/// catalogue entries fell back to English would fail the test above.
#[test]
fn the_check_finds_english() {
    let env = demo();
    let data = Data::read(&env.repo());
    for args in COMMANDS {
        let text = output(&env, "en", args);
        let words = data.english_words(&text);
        assert!(!words.is_empty(), "{args:?} in English: no word found");
    }
    // Data and ids alone are not English of the CLI.
    let run = "self/ipa-self-check/2026-10-21T100000-sato";
    assert!(
        data.english_words(&format!(
            "{run}  8/10  80.0%  b8d5a5e701dd  Sakura Design Works"
        ))
        .is_empty()
    );
    assert_eq!(
        data.english_words("No runs recorded yet."),
        [
            ("runs".to_owned(), "No runs recorded yet.".to_owned()),
            ("recorded".to_owned(), "No runs recorded yet.".to_owned()),
            ("yet".to_owned(), "No runs recorded yet.".to_owned()),
        ]
    );
}

/// The selection errors of `compare` and `trend` read in Japanese too (the
/// `error:`/`hint:` prefixes stay as they are).
#[test]
fn selection_errors_speak_japanese() {
    let env = demo();
    let data = Data::read(&env.repo());
    for (args, expected) in [
        (
            &[
                "compare",
                "--subject",
                "self",
                "--inspection",
                "rules-compliance",
            ][..],
            "error: `self` の `rules-compliance` の記録がありません\nhint: `tenken run INSPECTION` で点検を終えるか、`tenken record` で記録してください\n",
        ),
        (
            &[
                "compare",
                "--subject",
                "kumo-storage",
                "--inspection",
                "supplier-check",
            ][..],
            // (the run id in between depends on the demo's dates)
            "の四半期 FY2024Q3 より前に完了した記録がなく、比べる相手がありません\nhint: 比べる2つの記録を ID か日付で指定してください（`tenken history` で一覧できます）\n",
        ),
    ] {
        let out = env
            .tenken_in_repo()
            .args(["--lang", "ja"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.ends_with(expected), "{args:?}: {stderr}");
        let english: Vec<_> = data
            .english_words(&stderr)
            .into_iter()
            .filter(|(w, _)| w != "error" && w != "hint")
            .collect();
        assert!(english.is_empty(), "{english:?}");
    }
}
