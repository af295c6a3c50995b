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
//!
//! The same rule holds for the errors an inspector meets most (a bad date,
//! an unknown inspection or subject, a missing answers file, an unknown
//! run) and for what the write commands say (`init`, `record`, `subjects
//! add`, `withdraw`); the prefixes read `エラー:`/`ヒント:` in Japanese.
//! What the loader says about a broken template, `subjects.ron`, run file
//! or answers file (`path:line:col: message`) is checked whole in both
//! languages, and its Japanese for English words.

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
    // The shape of a date to type (YYYY-MM-DD).
    "YYYY",
];

/// The data and ids of the demo repository: phrases to remove and tokens to
/// allow.
pub(crate) struct Data {
    /// Strings with a space or a non-ASCII character, longest first.
    phrases: Vec<String>,
    /// Single tokens: ids, run ids, choice ids.
    tokens: BTreeSet<String>,
}

impl Data {
    pub(crate) fn read(repo: &Path) -> Self {
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
    pub(crate) fn english_words(&self, output: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for line in output.lines() {
            let mut rest = without_commands(line);
            for phrase in &self.phrases {
                rest = rest.replace(phrase.as_str(), " ");
            }
            let token_chars = |c: char| c.is_ascii_alphanumeric() || "._/-".contains(c);
            for token in rest.split(|c: char| !token_chars(c)) {
                // A command-line option (`--since`) or a file of the
                // repository (`subjects.ron`), typed as it is.
                if token.starts_with("--")
                    || Path::new(token).extension().is_some_and(|e| e == "ron")
                {
                    continue;
                }
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
pub(crate) fn demo() -> TestEnv {
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

/// The selection errors of `compare` and `trend` read in Japanese too.
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
            "エラー: `self` の `rules-compliance` の記録がありません\nヒント: `tenken run INSPECTION` で点検を終えるか、`tenken record` で記録してください\n",
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
            "の四半期 FY2024Q3 より前に完了した記録がなく、比べる相手がありません\nヒント: 比べる2つの記録を ID か日付で指定してください（`tenken history` で一覧できます）\n",
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
        assert!(stderr.starts_with("エラー: "), "{args:?}: {stderr}");
        let english = data.english_words(&stderr);
        assert!(english.is_empty(), "{english:?}");
    }
}

/// An answers file that answers nothing (recorded with `--allow-partial`).
const EMPTY_ANSWERS: &str = "item,choice\n";

/// The errors an inspector meets most, on the demo: each with its exit
/// code, the start of its Japanese text and the start of its English one.
fn common_errors(env: &TestEnv) -> Vec<(Vec<String>, i32, &'static str, &'static str)> {
    let answers = env.home.path().join("answers.csv");
    std::fs::write(&answers, EMPTY_ANSWERS).unwrap();
    let answers = answers.to_string_lossy().into_owned();
    let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        (
            args(&["history", "--since", "2026/01/01"]),
            2,
            "エラー: --since: `2026/01/01` は日付として読めません。YYYY-MM-DD の形で書いてください（例: 2026-04-01）\n",
            "error: --since: `2026/01/01` is not a date; write YYYY-MM-DD (for example 2026-04-01)\n",
        ),
        (
            args(&["compare", "2026-02-30", "latest"]),
            2,
            "エラー: `2026-02-30` は暦にない日付です。YYYY-MM-DD の形で書いてください\n",
            "error: `2026-02-30` is not a valid date; use YYYY-MM-DD\n",
        ),
        (
            args(&[
                "record",
                "ipa-self-check",
                "--subject",
                "self",
                "--answers",
                &answers,
                "--allow-partial",
                "--date",
                "1989-12-31",
            ]),
            2,
            "エラー: --date 1989-12-31 は受け付けられる範囲（1990-01-01 から 2026-11-25 まで）の外です\n",
            "error: --date 1989-12-31 is outside the allowed range 1990-01-01 to 2026-11-25\n",
        ),
        (
            args(&[
                "record",
                "ipa-selfcheck",
                "--subject",
                "self",
                "--answers",
                &answers,
            ]),
            1,
            "エラー: 点検 `ipa-selfcheck` はありません\nヒント: `ipa-self-check` のことですか？\nヒント: 登録されている点検: ",
            "error: unknown inspection `ipa-selfcheck`\nhint: did you mean `ipa-self-check`?\nhint: inspections: ",
        ),
        (
            args(&[
                "record",
                "ipa-self-check",
                "--subject",
                "self",
                "--answers",
                "missing.csv",
            ]),
            1,
            "エラー: 回答ファイル missing.csv がありません\nヒント: パスを確かめてください。委託先向けの質問票は `tenken suppliers export` で書き出せます\n",
            "error: the answers file missing.csv does not exist\nhint: check the path; `tenken suppliers export` writes a questionnaire for a supplier to fill in\n",
        ),
        (
            args(&["actions", "--subject", "nagoya"]),
            1,
            "エラー: 対象 `nagoya` は subjects.ron にありません\nヒント: 登録されている対象: ",
            "error: subject `nagoya` is not in subjects.ron\nhint: known subjects: ",
        ),
        (
            args(&[
                "withdraw",
                "self/ipa-self-check/2020-01-01T090000-sato",
                "--reason",
                "入力ミス",
            ]),
            1,
            "エラー: 記録 `self/ipa-self-check/2020-01-01T090000-sato` はありません\nヒント: すべての記録の ID は `tenken history --all --format json` で一覧できます\n",
            "error: there is no run `self/ipa-self-check/2020-01-01T090000-sato`\nhint: `tenken history --all --format json` lists every run id\n",
        ),
    ]
}

/// Runs `args` with `--lang lang` and returns the exit code and stderr.
fn failing(env: &TestEnv, lang: &str, args: &[String]) -> (Option<i32>, String) {
    let out = env
        .tenken_in_repo()
        .args(["--lang", lang])
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn common_errors_speak_japanese() {
    let env = demo();
    let data = Data::read(&env.repo());
    for (args, code, ja, _) in common_errors(&env) {
        let (got, stderr) = failing(&env, "ja", &args);
        assert_eq!(got, Some(code), "{args:?}: {stderr}");
        assert!(stderr.starts_with(ja), "{args:?}:\n{stderr}");
        // What the command line gave (a file name) is echoed as it is.
        let english: Vec<_> = data
            .english_words(&stderr)
            .into_iter()
            .filter(|(w, _)| !args.iter().any(|a| a.contains(w.as_str())))
            .collect();
        assert!(english.is_empty(), "{args:?}: {english:?}");
    }
}

#[test]
fn common_errors_speak_english_with_lang_en() {
    let env = demo();
    let data = Data::read(&env.repo());
    for (args, code, _, en) in common_errors(&env) {
        let (got, stderr) = failing(&env, "en", &args);
        assert_eq!(got, Some(code), "{args:?}: {stderr}");
        assert!(stderr.starts_with(en), "{args:?}:\n{stderr}");
        assert!(!data.english_words(&stderr).is_empty(), "{args:?}");
    }
}

/// An error is shown in the repository's language when neither `--lang`
/// nor `TENKEN_LANG` says otherwise; `TENKEN_LANG` wins over it.
#[test]
fn errors_follow_the_repository_then_tenken_lang() {
    let env = TestEnv::new();
    env.init(); // Japanese by default
    let unknown = ["actions", "--subject", "nagoya"];
    let out = env.tenken_in_repo().args(unknown).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("エラー: 対象 `nagoya` は subjects.ron にありません\n"),
        "{stderr}"
    );
    let out = env
        .tenken_in_repo()
        .env("TENKEN_LANG", "en")
        .args(unknown)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: subject `nagoya` is not in subjects.ron\n"),
        "{stderr}"
    );
    // A command line clap refuses is read for `--lang` by hand.
    let out = env
        .tenken_in_repo()
        .args(["--lang", "en", "history", "--since", "2026-13-01"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: --since: `2026-13-01` is not a date of the calendar; write YYYY-MM-DD\n"
    );
}

/// The line (1-based) of the first line of `text` holding `line_has`, and
/// the column (1-based) where `col_at` starts in it: where a diagnostic
/// points.
fn place(text: &str, line_has: &str, col_at: &str) -> (usize, usize) {
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(line_has))
        .unwrap();
    (index + 1, line.find(col_at).unwrap() + 1)
}

/// Runs a write command with `--lang ja`, checks it succeeded, and returns
/// its stdout and stderr.
fn written(env: &TestEnv, args: &[&str]) -> String {
    let out = env
        .tenken_in_repo()
        .args(["--lang", "ja"])
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

/// The last commit of the repository, whole.
fn head(env: &TestEnv) -> String {
    env.git(&env.repo(), &["rev-parse", "HEAD"])
        .trim()
        .to_owned()
}

#[test]
fn write_commands_speak_japanese() {
    let env = TestEnv::new();
    let repo = env.repo();
    let out = env
        .tenken()
        .args(["--lang", "ja", "--inspector", "sato", "init"])
        .arg(&repo)
        .args(["--org", "見本株式会社"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let init = String::from_utf8(out.stdout).unwrap();
    let dir = repo.canonicalize().unwrap().display().to_string();
    assert_eq!(
        init,
        format!(
            "見本株式会社 の tenken リポジトリを {dir} に作成しました。\n次は `tenken --repo {dir} check` で確認し、`tenken --repo {dir}` で点検を始めてください。\n"
        )
    );
    let mut outputs = vec![(vec!["init"], init.replace(&dir, ""))];

    let added = written(
        &env,
        &[
            "subjects",
            "add",
            "nagoya",
            "--kind",
            "site",
            "--name",
            "名古屋営業所",
        ],
    );
    assert_eq!(
        added,
        format!("拠点 `nagoya` を追加しました\nコミット: {}\n", head(&env))
    );
    outputs.push((vec!["subjects", "add"], added));

    let answers = env.home.path().join("answers.csv");
    std::fs::write(&answers, EMPTY_ANSWERS).unwrap();
    let answers = answers.to_string_lossy().into_owned();
    let recorded = written(
        &env,
        &[
            "record",
            "ipa-five-principles",
            "--subject",
            "nagoya",
            "--answers",
            &answers,
            "--allow-partial",
        ],
    );
    let run = "nagoya/ipa-five-principles/2026-11-25T090000-sato";
    assert!(
        recorded.starts_with(&format!("記録しました: {run}\n得点: 0/")),
        "{recorded}"
    );
    assert!(
        recorded.ends_with(&format!("\nコミット: {}\n", head(&env))),
        "{recorded}"
    );
    assert!(
        recorded.contains("\n未回答: 5項目のうち 5項目\n"),
        "{recorded}"
    );
    outputs.push((vec!["record"], recorded));

    let withdrawn = written(&env, &["withdraw", run, "--reason", "入力ミス"]);
    assert_eq!(
        withdrawn,
        format!(
            "取り下げました: {run}\n理由: 入力ミス\nコミット: {}\n",
            head(&env)
        )
    );
    outputs.push((vec!["withdraw"], withdrawn));

    let data = Data::read(&repo);
    for (args, text) in outputs {
        let english = data.english_words(&text);
        assert!(english.is_empty(), "{args:?}: {english:?}");
    }
}

/// A broken file of the repository or a bad answers file, as a test breaks
/// it, with the diagnostic lines it must give in each language.
struct Broken {
    /// What is broken, for failure messages.
    what: &'static str,
    /// The command that meets it.
    args: Vec<String>,
    /// Its exit code.
    code: i32,
    /// The whole `path:line:col: message` lines in Japanese.
    ja: Vec<String>,
    /// The same lines in English.
    en: Vec<String>,
}

/// Runs `args` in `lang` and returns the exit code and the diagnostic
/// lines of stderr (those starting with a path: not the `エラー:`/`ヒント:`
/// lines, which other tests cover).
fn diagnostics(env: &TestEnv, lang: &str, args: &[String]) -> (Option<i32>, Vec<String>) {
    let (code, stderr) = failing(env, lang, args);
    let lines = stderr
        .lines()
        .filter(|l| {
            !["エラー:", "ヒント:", "error:", "hint:", "警告:", "warning:"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .map(str::to_owned)
        .collect();
    (code, lines)
}

/// Checks one broken file in both languages: the whole lines, and no
/// English word in the Japanese ones (a message that fell back to English
/// fails here).
fn check_broken(env: &TestEnv, data: &Data, case: &Broken) {
    let (code, ja) = diagnostics(env, "ja", &case.args);
    assert_eq!(code, Some(case.code), "{}: {ja:?}", case.what);
    assert_eq!(ja, case.ja, "{} (ja)", case.what);
    for line in &ja {
        // The file's own path is typed as it is.
        let english: Vec<_> = data
            .english_words(line)
            .into_iter()
            .filter(|(w, _)| !case.args.iter().any(|a| a.contains(w.as_str())))
            .collect();
        assert!(english.is_empty(), "{}: {english:?}", case.what);
    }
    let (code, en) = diagnostics(env, "en", &case.args);
    assert_eq!(code, Some(case.code), "{}: {en:?}", case.what);
    assert_eq!(en, case.en, "{} (en)", case.what);
    assert!(
        en.iter().all(|l| !data.english_words(l).is_empty()),
        "{}: {en:?}",
        case.what
    );
}

/// Issue 17: what the loader says about a broken template, `subjects.ron`,
/// run file or answers file (`path:line:col: message`) is in the session's
/// language; the place is the same in both.
#[test]
fn loader_diagnostics_speak_the_session_language() {
    let env = demo();
    let repo = env.repo();
    let data = Data::read(&repo);
    let check = || vec!["check".to_owned()];

    // A template with a syntax error: a missing comma.
    let extra = repo.join("inspections/extra.ron");
    std::fs::write(
        &extra,
        "Inspection(\n    format: 1\n    id: \"extra\",\n)\n",
    )
    .unwrap();
    check_broken(
        &env,
        &data,
        &Broken {
            what: "template",
            args: check(),
            code: 3,
            ja: vec![
                "inspections/extra.ron:2:14: この値の後に `,`（または閉じかっこ）が必要です".into(),
            ],
            en: vec![
                "inspections/extra.ron:2:14: expected `,` (or a closing bracket) after this value"
                    .into(),
            ],
        },
    );
    // An unknown field and a bad id in a template.
    std::fs::write(
        &extra,
        "Inspection(\n    format: 1,\n    id: \"Extra\",\n)\n",
    )
    .unwrap();
    check_broken(
        &env,
        &data,
        &Broken {
            what: "template id",
            args: check(),
            code: 3,
            ja: vec![
                "inspections/extra.ron:3:9: ID `Extra` は英小文字か数字で始めてください".into(),
            ],
            en: vec![
                "inspections/extra.ron:3:9: id `Extra` must start with a lower-case letter or a digit"
                    .into(),
            ],
        },
    );
    std::fs::remove_file(&extra).unwrap();

    // subjects.ron: a criticality out of range and an unknown field.
    let subjects = std::fs::read_to_string(repo.join("subjects.ron")).unwrap();
    let broken = subjects
        .replacen("criticality: 3", "criticality: 7", 1)
        .replacen("kind:", "colour: 1, kind:", 1);
    assert_ne!(broken, subjects);
    std::fs::write(repo.join("subjects.ron"), &broken).unwrap();
    let at = |needle: &str| {
        let (line, col) = place(&broken, needle, needle);
        format!("subjects.ron:{line}:{col}")
    };
    let unknown_field = at("colour");
    check_broken(
        &env,
        &data,
        &Broken {
            what: "subjects.ron",
            args: check(),
            code: 3,
            ja: vec![format!(
                "{unknown_field}: `Subject` に不明なフィールド `colour` があります。使えるフィールド: {}",
                "`id`, `kind`, `name`, `contact`, `services`, `data_handled`, `criticality`, `tags`, `retired`"
            )],
            en: vec![format!(
                "{unknown_field}: unknown field `colour` in `Subject`; known fields: {}",
                "`id`, `kind`, `name`, `contact`, `services`, `data_handled`, `criticality`, `tags`, `retired`"
            )],
        },
    );
    let broken = subjects.replacen("criticality: 3", "criticality: 7", 1);
    std::fs::write(repo.join("subjects.ron"), &broken).unwrap();
    let (line, col) = place(&broken, "criticality: 7", "criticality");
    let owner = {
        // The subject whose criticality was changed: the last id above it.
        let above: Vec<&str> = broken.lines().take(line).collect();
        let id_line = above.iter().rev().find(|l| l.contains("id: \"")).unwrap();
        id_line.split('"').nth(1).unwrap().to_owned()
    };
    check_broken(
        &env,
        &data,
        &Broken {
            what: "subjects.ron criticality",
            args: check(),
            code: 3,
            ja: vec![format!(
                "subjects.ron:{line}:{col}: `{owner}` の `criticality` は 1・2・3 のどれかにしてください（7 になっています）"
            )],
            en: vec![format!(
                "subjects.ron:{line}:{col}: criticality of `{owner}` must be 1, 2 or 3, not 7"
            )],
        },
    );
    // A command that needs the register refuses to run, saying where the
    // change came from, in the same language.
    let history = ["history".to_owned()];
    let (_, stderr) = failing(&env, "ja", &history);
    assert!(
        stderr.contains(
            "\nヒント: subjects.ron にはコミットされていない変更があります。`git diff -- subjects.ron` で表示、`git checkout HEAD -- subjects.ron` で取り消せます\n"
        ),
        "{stderr}"
    );
    let (_, stderr) = failing(&env, "en", &history);
    assert!(
        stderr.contains(
            "\nhint: subjects.ron has changes that are not committed: `git diff -- subjects.ron` shows them, `git checkout HEAD -- subjects.ron` undoes them\n"
        ),
        "{stderr}"
    );
    std::fs::write(repo.join("subjects.ron"), &subjects).unwrap();

    // A run file edited by hand and committed: an answer no scale has.
    let rel = "runs/self/ipa-five-principles/2025-04-22T140000-tanaka.ron";
    let run = std::fs::read_to_string(repo.join(rel)).unwrap();
    let edited = run.replacen("choice: \"partly\"", "choice: \"maybe\"", 1);
    assert_ne!(edited, run);
    std::fs::write(repo.join(rel), &edited).unwrap();
    let (line, col) = place(&edited, "\"maybe\"", "\"maybe\"");
    let item = {
        let above: Vec<&str> = edited.lines().take(line).collect();
        let key = above
            .iter()
            .rev()
            .find(|l| l.trim_end().ends_with("Answer("))
            .unwrap();
        key.trim().split('"').nth(1).unwrap().to_owned()
    };
    // Not committed yet: `check` also says that the committed file counts.
    check_broken(
        &env,
        &data,
        &Broken {
            what: "run file changed in the work tree",
            args: check(),
            code: 3,
            ja: vec![
                format!(
                    "{rel}:{line}:{col}: 項目 `{item}` に選択肢 `maybe` はありません。使える選択肢: `yes`, `partly`, `no`"
                ),
                format!(
                    "{rel}:1:1: コミット済みのこの記録ファイルは作業ツリーで変更されています。数えるのはコミットされた版です（`git checkout -- {rel}` で元に戻せます）"
                ),
            ],
            en: vec![
                format!(
                    "{rel}:{line}:{col}: unknown choice `maybe` for item `{item}`; allowed: `yes`, `partly`, `no`"
                ),
                format!(
                    "{rel}:1:1: this committed run file was changed in the work tree; the committed version counts (`git checkout -- {rel}` restores it)"
                ),
            ],
        },
    );
    env.git(&repo, &["commit", "-qam", "a hand edit"]);
    check_broken(
        &env,
        &data,
        &Broken {
            what: "run file",
            args: check(),
            code: 3,
            ja: vec![format!(
                "{rel}:{line}:{col}: 項目 `{item}` に選択肢 `maybe` はありません。使える選択肢: `yes`, `partly`, `no`"
            )],
            en: vec![format!(
                "{rel}:{line}:{col}: unknown choice `maybe` for item `{item}`; allowed: `yes`, `partly`, `no`"
            )],
        },
    );
    env.git(&repo, &["revert", "--no-edit", "HEAD"]);

    // An answers file: one item answered twice, one the template lacks.
    let answers = env.home.path().join("answers.csv");
    std::fs::write(&answers, "item,choice,note\n1,yes,\n1,no,\n99,yes,\n").unwrap();
    let shown = answers.display().to_string();
    check_broken(
        &env,
        &data,
        &Broken {
            what: "answers file",
            args: [
                "record",
                "ipa-five-principles",
                "--subject",
                "self",
                "--allow-partial",
                "--answers",
                &shown,
            ]
            .map(str::to_owned)
            .to_vec(),
            code: 3,
            ja: vec![
                format!("{shown}:3:1: 項目 `1` に2回答えています（最初は 2 行目）"),
                format!("{shown}:4:1: 点検 `ipa-five-principles` に項目 `99` はありません"),
            ],
            en: vec![
                format!("{shown}:3:1: item `1` is answered twice (first on line 2)"),
                format!("{shown}:4:1: unknown item `99` in inspection `ipa-five-principles`"),
            ],
        },
    );
}

/// `--help` speaks the session's language: the repository's setting, then
/// `TENKEN_LANG`, then `--lang` (clap prints it before anything is run).
#[test]
fn help_follows_the_repository_then_tenken_lang_then_lang() {
    let env = TestEnv::new();
    env.init(); // Japanese by default
    let help = |envs: &[(&str, &str)], args: &[&str]| {
        let out = env
            .tenken_in_repo()
            .envs(envs.iter().copied())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let ja = help(&[], &["history", "--help"]);
    assert!(
        ja.starts_with("完了した点検を古い順に一覧します\n\n使い方: tenken history [OPTIONS]\n"),
        "{ja}"
    );
    assert!(
        ja.contains("          - json: JSON（DESIGN §7 の形）\n"),
        "{ja}"
    );
    assert!(
        !ja.contains("Options:") && !ja.contains("Possible values"),
        "{ja}"
    );
    assert_eq!(help(&[], &["help", "history"]), ja);
    let en = help(&[("TENKEN_LANG", "en")], &["history", "--help"]);
    assert!(
        en.starts_with("List finished runs, oldest first\n\nUsage: tenken history [OPTIONS]\n"),
        "{en}"
    );
    assert_eq!(
        help(
            &[("TENKEN_LANG", "en")],
            &["--lang", "ja", "history", "--help"]
        ),
        ja
    );
    assert_eq!(help(&[], &["--lang", "en", "history", "--help"]), en);
}
