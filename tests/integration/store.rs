//! The git-backed run store through the real binary (`tenken record`,
//! `tenken history`) and the library (drafts), every result cross-checked
//! with the real git CLI: one file per run commit, author and trailer,
//! other changes left alone, unborn branches, refusals that leave no trace,
//! eight concurrent recorders, and drafts that survive SIGKILL.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tenken::model::{Answer, Draft, Id, Inspector};
use tenken::store::Store;

use crate::support::{NOW, TestEnv};

/// The tests' own template, so edits to the bundled checklists never change
/// these tests: five items, yes 2 / partly 1 / no 0 / unknown -1, a note
/// required for `no` and `unknown` on items 1 and 2.
const TEMPLATE: &str = r#"Inspection(
    format: 1,
    id: "test-five",
    version: 1,
    title: (ja: "テスト点検", en: "Test five"),
    source: "tenken integration tests",
    scales: {
        "ipa4": [
            Choice(id: "yes", key: '1', label: (en: "Yes"), points: Some(2)),
            Choice(id: "partly", key: '2', label: (en: "Partly"), points: Some(1)),
            Choice(id: "no", key: '3', label: (en: "No"), points: Some(0)),
            Choice(id: "unknown", key: '4', label: (en: "Unknown"), points: Some(-1)),
        ],
    },
    sections: [
        Section(id: "main", title: (en: "Main"), items: [
            Item(id: "1", scale: "ipa4", title: (en: "One"), note_required_for: ["no", "unknown"]),
            Item(id: "2", scale: "ipa4", title: (en: "Two"), note_required_for: ["no", "unknown"]),
            Item(id: "3", scale: "ipa4", title: (en: "Three")),
            Item(id: "4", scale: "ipa4", title: (en: "Four")),
            Item(id: "5", scale: "ipa4", title: (en: "Five")),
        ]),
    ],
    bands: [
        Band(min_percent: 100, label: (ja: "全項目実施", en: "All in place")),
        Band(min_percent: 0, label: (ja: "未実施あり", en: "Gaps remain")),
    ],
)
"#;

/// All five items answered `yes`.
const ALL_YES: &str = r#"{"1": (choice: "yes"), "2": (choice: "yes"), "3": (choice: "yes"), "4": (choice: "yes"), "5": (choice: "yes")}"#;

/// `tenken init`, then the tests' template committed with the git CLI.
fn setup(env: &TestEnv) -> PathBuf {
    let repo = env.init();
    std::fs::write(repo.join("inspections/test-five.ron"), TEMPLATE).unwrap();
    env.git(&repo, &["add", "inspections/test-five.ron"]);
    env.git(&repo, &["commit", "-q", "-m", "add the test template"]);
    repo
}

/// Writes `contents` to `name` in the test's HOME and returns the name.
fn answers_file(env: &TestEnv, name: &str, contents: &str) -> String {
    std::fs::write(env.home.path().join(name), contents).unwrap();
    name.to_owned()
}

/// `git status --porcelain` and the number of commits: what a refusal must
/// leave unchanged.
fn state(env: &TestEnv, repo: &Path) -> (String, String) {
    (
        env.git(repo, &["status", "--porcelain", "--untracked-files=all"]),
        env.git(repo, &["rev-list", "--count", "HEAD"]),
    )
}

fn record(env: &TestEnv, answers: &str, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = env.tenken_in_repo();
    cmd.args([
        "record",
        "test-five",
        "--subject",
        "self",
        "--answers",
        answers,
    ])
    .args(extra);
    cmd
}

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

const LOG: &[&str] = &[
    "log",
    "--format=%an%x09%ae%x09%s%x09%(trailers:key=Tenken-Run,valueonly,separator=%x2C)",
];

#[test]
fn record_from_ron_commits_exactly_the_run_file() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let file = answers_file(
        &env,
        "answers.ron",
        r#"{
    "1": (choice: "yes", note: "WSUS report 2026-11", evidence: ["wsus.pdf"]),
    "2": (choice: "partly", note: "2 laptops without EDR"),
    "3": (choice: "no"),
    "4": (choice: "unknown"),
    "5": (choice: "yes"),
}"#,
    );
    let out = stdout(&mut record(&env, &file, &[]));
    let head = env.git(&repo, &["rev-parse", "HEAD"]);
    assert_eq!(
        out,
        format!(
            "記録しました: self/test-five/2026-11-25T090000-sato\n得点: 4/10（40.0%）、未実施あり\nコミット: {head}"
        )
    );
    let log = env.git(&repo, &[LOG, &["-1"]].concat());
    assert_eq!(
        log,
        "Sato Hanako\tsato@example.jp\trun: test-five for self — 4/10\tself/test-five/2026-11-25T090000-sato\n"
    );
    assert_eq!(
        env.git(&repo, &["show", "--name-only", "--format=", "HEAD"]),
        "runs/self/test-five/2026-11-25T090000-sato.ron\n"
    );
    let stat = env.git(&repo, &["show", "--stat", "--format=", "HEAD"]);
    let lines = line_count(&repo, "runs/self/test-five/2026-11-25T090000-sato.ron");
    assert_eq!(
        stat.lines().last().unwrap().trim(),
        format!("1 file changed, {lines} insertions(+)")
    );
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "");
    // The committed file is the run, and reads back valid.
    env.tenken_in_repo()
        .arg("check")
        .assert()
        .success()
        .stdout("すべてのファイルに問題はありません。\n");
    let run = std::fs::read_to_string(repo.join("runs/self/test-five/2026-11-25T090000-sato.ron"))
        .unwrap();
    assert!(run.contains("\"wsus.pdf\""), "{run}");
    assert!(
        run.contains("finished: \"2026-11-25T09:00:00+09:00\""),
        "{run}"
    );
}

fn line_count(repo: &Path, rel: &str) -> String {
    std::fs::read_to_string(repo.join(rel))
        .unwrap()
        .lines()
        .count()
        .to_string()
}

#[test]
fn record_from_csv_with_bom_crlf_and_a_quoted_line_break() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let file = answers_file(
        &env,
        "answers.csv",
        "\u{feff}item,choice,note\r\n1,no,\"budget pending,\r\nsee \"\"plan B\"\"\"\r\n2,yes,\r\n3,yes,\r\n4,partly,half done\r\n5,yes,\r\n",
    );
    let out = stdout(&mut record(&env, &file, &["--format", "json"]));
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["run"], "self/test-five/2026-11-25T090000-sato");
    assert_eq!(
        (json["score"].as_i64(), json["max"].as_i64()),
        (Some(7), Some(10))
    );
    assert_eq!(json["percent"], 70.0);
    assert_eq!(
        json["commit"],
        env.git(&repo, &["rev-parse", "HEAD"]).trim()
    );
    let log = env.git(&repo, &[LOG, &["-1"]].concat());
    assert_eq!(
        log,
        "Sato Hanako\tsato@example.jp\trun: test-five for self — 7/10\tself/test-five/2026-11-25T090000-sato\n"
    );
    let run: tenken::model::Run = ron::from_str(
        &std::fs::read_to_string(repo.join("runs/self/test-five/2026-11-25T090000-sato.ron"))
            .unwrap(),
    )
    .unwrap();
    let one = &run.answers[&Id::new("1").unwrap()];
    assert_eq!(one.note, "budget pending,\nsee \"plan B\"");
    assert_eq!(run.answers[&Id::new("4").unwrap()].note, "half done");
}

#[test]
fn other_staged_and_unstaged_changes_stay_out_of_the_commit_and_in_place() {
    let env = TestEnv::new();
    let repo = setup(&env);
    // Unstaged edit of a tracked file, a staged new file, a staged edit, and
    // an untracked file.
    let subjects = std::fs::read_to_string(repo.join("subjects.ron")).unwrap();
    std::fs::write(repo.join("subjects.ron"), format!("{subjects}// edited\n")).unwrap();
    std::fs::write(repo.join("notes.txt"), "staged\n").unwrap();
    env.git(&repo, &["add", "notes.txt"]);
    let profile = std::fs::read_to_string(repo.join("profiles/sme-standard.ron")).unwrap();
    std::fs::write(
        repo.join("profiles/sme-standard.ron"),
        format!("{profile}// staged edit\n"),
    )
    .unwrap();
    env.git(&repo, &["add", "profiles/sme-standard.ron"]);
    std::fs::write(repo.join("scratch.txt"), "untracked\n").unwrap();
    let before = env.git(&repo, &["status", "--porcelain"]);
    assert_eq!(
        before,
        "A  notes.txt\nM  profiles/sme-standard.ron\n M subjects.ron\n?? scratch.txt\n"
    );
    let staged_diff = env.git(&repo, &["diff", "--cached"]);

    let file = answers_file(&env, "a.ron", ALL_YES);
    record(&env, &file, &[]).assert().success();
    assert_eq!(
        env.git(&repo, &["show", "--name-only", "--format=", "HEAD"]),
        "runs/self/test-five/2026-11-25T090000-sato.ron\n"
    );
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), before);
    assert_eq!(env.git(&repo, &["diff", "--cached"]), staged_diff);
    assert!(
        std::fs::read_to_string(repo.join("subjects.ron"))
            .unwrap()
            .ends_with("// edited\n")
    );
    env.git(&repo, &["fsck", "--strict"]);
}

#[test]
fn an_unborn_branch_gets_the_run_once_its_template_is_committed() {
    let env = TestEnv::new();
    let repo = setup(&env);
    std::fs::remove_dir_all(repo.join(".git")).unwrap();
    env.git(&repo, &["init", "-q", "-b", "main"]);
    let file = answers_file(&env, "a.ron", ALL_YES);
    // The template is not committed, so a run of it could not be scored
    // again later: refused, and nothing is written.
    record(&env, &file, &[])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(
            "エラー: inspections/test-five.ron にコミットされていない変更があります。",
        ));
    assert!(!repo.join("runs").exists());
    env.git(&repo, &["add", "inspections/test-five.ron"]);
    env.git(&repo, &["commit", "-q", "-m", "the template"]);
    record(&env, &file, &[]).assert().success();
    assert_eq!(env.git(&repo, &["rev-list", "--count", "HEAD"]), "2\n");
    assert_eq!(
        env.git(&repo, &["show", "--name-only", "--format=%s", "HEAD"]),
        "run: test-five for self — 10/10\n\nruns/self/test-five/2026-11-25T090000-sato.ron\n"
    );
    assert_eq!(env.git(&repo, &["branch", "--show-current"]), "main\n");
    // Everything else is still untracked, and the run is not.
    let status = env.git(&repo, &["status", "--porcelain"]);
    assert!(status.contains("?? tenken.ron\n"), "{status}");
    assert!(!status.contains("runs/"), "{status}");
    env.git(&repo, &["fsck", "--strict"]);
}

#[test]
fn a_missing_git_identity_falls_back_to_the_inspector() {
    let env = TestEnv::new();
    let repo = setup(&env);
    std::fs::write(
        env.home.path().join(".gitconfig"),
        "[init]\n\tdefaultBranch = main\n",
    )
    .unwrap();
    let file = answers_file(&env, "a.ron", ALL_YES);
    env.tenken()
        .args(["--repo"])
        .arg(&repo)
        .args([
            "--inspector",
            "suzuki",
            "record",
            "test-five",
            "--subject",
            "self",
        ])
        .args(["--answers", &file])
        .assert()
        .success();
    assert_eq!(
        env.git(&repo, &["log", "-1", "--format=%an <%ae>|%cn <%ce>"]),
        "suzuki <suzuki@tenken.invalid>|suzuki <suzuki@tenken.invalid>\n"
    );
}

#[test]
fn backfilled_runs_carry_their_date_and_the_commit_is_dated_now() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let file = answers_file(&env, "a.ron", ALL_YES);
    let out = stdout(&mut record(&env, &file, &["--date", "2025-06-30"]));
    assert!(
        out.starts_with("記録しました: self/test-five/2025-06-30T090000-sato\n"),
        "{out}"
    );
    let run = std::fs::read_to_string(repo.join("runs/self/test-five/2025-06-30T090000-sato.ron"))
        .unwrap();
    assert!(
        run.contains("started: \"2025-06-30T09:00:00+09:00\""),
        "{run}"
    );
    assert!(
        run.contains("finished: \"2025-06-30T09:00:00+09:00\""),
        "{run}"
    );
    assert_eq!(
        env.git(&repo, &["log", "-1", "--format=%aI %cI"]),
        format!("{NOW} {NOW}\n")
    );
    for (date, shown) in [
        ("2027-01-01", "2027-01-01"),
        ("1989-12-31", "1989-12-31"),
        ("0000-01-01", "0000-01-01"),
    ] {
        record(&env, &file, &["--date", date])
            .assert()
            .code(2)
            .stderr(format!(
                "エラー: --date {shown} は受け付けられる範囲（1990-01-01 から 2026-11-25 まで）の外です\n"
            ));
    }
    // Signed and short years are not dates at all (a usage error).
    for date in [
        "--date=-0001-03-01",
        "--date=+2026-03-01",
        "--date=26-03-01",
    ] {
        record(&env, &file, &[date])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "は日付として読めません。YYYY-MM-DD の形で書いてください",
            ));
    }
    assert_eq!(
        env.git(&repo, &["ls-files", "runs"]),
        "runs/self/test-five/2025-06-30T090000-sato.ron\n"
    );
}

#[test]
fn every_refusal_leaves_the_work_tree_and_history_unchanged() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let before = state(&env, &repo);
    let cases: &[(&str, &str, &[&str], i32, &str)] = &[
        (
            "unknown-choice.csv",
            "item,choice,note\n1,yes,\n2,yes,\n\n3,maybe,\n4,yes,\n5,yes,\n",
            &[],
            3,
            "unknown-choice.csv:5:3: `maybe` は項目 `3` の回答として使えません。使える回答: yes (1",
        ),
        (
            "unknown-item.csv",
            "item,choice,note\n1,yes,\n7,yes,\n",
            &["--allow-partial"],
            3,
            "unknown-item.csv:3:1: 点検 `test-five` に項目 `7` はありません\n",
        ),
        (
            "no-note.ron",
            "{\"1\": (choice: \"no\"), \"2\": (choice: \"yes\")}",
            &["--allow-partial"],
            3,
            "no-note.ron:1:16: 項目 `1` を `no` と答えるときはメモが必要です\n",
        ),
        (
            "partial.ron",
            "{\"1\": (choice: \"yes\"), \"2\": (choice: \"yes\")}",
            &[],
            1,
            "エラー: partial.ron には 5項目のうち 3項目の回答がありません: 3, 4, 5\n",
        ),
        (
            "broken.ron",
            "{\"1\": (choice: \"yes\"",
            &[],
            3,
            "broken.ron:1:",
        ),
    ];
    for (name, contents, extra, code, stderr) in cases {
        let file = answers_file(&env, name, contents);
        let out = record(&env, &file, extra).assert().code(*code);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.starts_with(stderr), "{name}: {err}");
        assert_eq!(state(&env, &repo), before, "{name}");
    }

    let good = answers_file(&env, "good.ron", ALL_YES);
    env.tenken_in_repo()
        .args([
            "record",
            "test-five",
            "--subject",
            "nobody",
            "--answers",
            &good,
        ])
        .assert()
        .code(1)
        .stderr("エラー: 対象 `nobody` は subjects.ron にありません\nヒント: 登録されている対象: self\n");
    env.tenken_in_repo()
        .args(["record", "no-such", "--subject", "self", "--answers", &good])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(
            "エラー: 点検 `no-such` はありません\n",
        ));
    assert_eq!(state(&env, &repo), before);

    // A detached HEAD.
    env.git(&repo, &["checkout", "-q", "--detach"]);
    let before_detached = state(&env, &repo);
    record(&env, &good, &[])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with("エラー: "))
        .stderr(predicates::str::contains(
            " の HEAD がブランチから外れています（",
        ));
    assert_eq!(state(&env, &repo), before_detached);
    env.git(&repo, &["checkout", "-q", "main"]);

    // git's own index lock, held by a "running" git command.
    let lock = repo.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let started = Instant::now();
    record(&env, &good, &[])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "git のインデックスが別の git プロセスにロックされています",
        ));
    assert!(started.elapsed() >= Duration::from_secs(2), "it waited");
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(state(&env, &repo), before);

    // Partial answers are accepted when asked for.
    let partial = answers_file(&env, "partial2.ron", "{\"3\": (choice: \"yes\")}");
    let out = stdout(&mut record(&env, &partial, &["--allow-partial"]));
    assert!(out.contains("得点: 2/10（20.0%）"), "{out}");
    assert!(out.contains("未回答: 5項目のうち 4項目\n"), "{out}");
}

#[test]
fn history_json_is_oldest_first_in_the_documented_shape() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let yes = answers_file(&env, "yes.ron", ALL_YES);
    let mixed = answers_file(
        &env,
        "mixed.csv",
        "item,choice,note\n1,no,\"esc \u{1b}[31m\"\n2,yes,\n3,yes,\n4,yes,\n5,yes,\n",
    );
    record(&env, &yes, &[]).assert().success();
    record(&env, &mixed, &["--date", "2025-04-01"])
        .assert()
        .success();
    record(&env, &yes, &["--date", "2025-10-01"])
        .assert()
        .success();
    let out = stdout(env.tenken_in_repo().args(["history", "--format", "json"]));
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    let runs: Vec<&str> = rows.iter().map(|r| r["run"].as_str().unwrap()).collect();
    assert_eq!(
        runs,
        [
            "self/test-five/2025-04-01T090000-sato",
            "self/test-five/2025-10-01T090000-sato",
            "self/test-five/2026-11-25T090000-sato",
        ]
    );
    let first = rows[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    let mut expected = vec![
        "run",
        "subject",
        "inspection",
        "inspection_version",
        "date",
        "inspector",
        "score",
        "max",
        "percent",
        "band",
        "carried",
        "commit",
        "status",
        "supersedes",
        "superseded_by",
        "withdrawn",
    ];
    expected.sort_unstable();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, expected);
    assert_eq!(rows[0]["date"], "2025-04-01");
    assert_eq!(rows[0]["subject"], "self");
    assert_eq!(rows[0]["inspection"], "test-five");
    assert_eq!(rows[0]["inspection_version"], 1);
    assert_eq!(rows[0]["inspector"], "sato");
    assert_eq!(
        (rows[0]["score"].as_i64(), rows[0]["max"].as_i64()),
        (Some(8), Some(10))
    );
    assert_eq!(rows[0]["percent"], 80.0);
    assert_eq!(rows[0]["band"], "未実施あり");
    assert_eq!(rows[0]["carried"], 0);
    // Each commit is the one git says added the file.
    for row in &rows {
        let path = format!("runs/{}.ron", row["run"].as_str().unwrap());
        let added = env.git(
            &repo,
            &["log", "--diff-filter=A", "--format=%H", "--", &path],
        );
        assert_eq!(row["commit"].as_str().unwrap(), added.trim());
    }

    let out =
        stdout(
            env.tenken_in_repo()
                .args(["--lang", "en", "history", "--since", "2025-06-01"]),
        );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("DATE        RUN"), "{out}");
    assert!(
        lines[1].starts_with(
            "2025-10-01  self/test-five/2025-10-01T090000-sato  10/10   100.0%  All in place"
        ),
        "{out}"
    );
    let out = stdout(env.tenken_in_repo().args(["history", "--subject", "hq"]));
    assert_eq!(out, "条件に合う点検記録はありません。\n");
    let out = stdout(env.tenken_in_repo().args([
        "history",
        "--inspection",
        "test-five",
        "--format",
        "json",
    ]));
    assert_eq!(serde_json::from_str::<Vec<Value>>(&out).unwrap().len(), 3);
}

#[test]
fn eight_processes_recording_ten_runs_each_all_land() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let file = env.home.path().join(answers_file(&env, "a.ron", ALL_YES));
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_tenken"));
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (bin, repo, file) = (bin.clone(), repo.clone(), file.clone());
            let home = env.home.path().to_owned();
            std::thread::spawn(move || {
                for _ in 0..10 {
                    let out = StdCommand::new(&bin)
                        .env_clear()
                        .env("HOME", &home)
                        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                        .env("TENKEN_NOW", NOW)
                        .env("GIT_CONFIG_NOSYSTEM", "1")
                        .arg("--repo")
                        .arg(&repo)
                        // Half share one inspector, so same-second ids collide.
                        .args(["--inspector", if w % 2 == 0 { "sato" } else { "tanaka" }])
                        .args([
                            "record",
                            "test-five",
                            "--subject",
                            "self",
                            "--new",
                            "--answers",
                        ])
                        .arg(&file)
                        .stdout(Stdio::null())
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let trailers = env.git(
        &repo,
        &[
            "log",
            "--format=%(trailers:key=Tenken-Run,valueonly)",
            "--grep=^run: ",
        ],
    );
    let mut ids: Vec<&str> = trailers.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(ids.len(), 80);
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 80, "run ids are unique");
    for inspector in ["sato", "tanaka"] {
        for n in 1..=40 {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            let id = format!("self/test-five/2026-11-25T090000-{inspector}{suffix}");
            assert!(ids.binary_search(&id.as_str()).is_ok(), "{id} is missing");
        }
    }
    // One file per run commit, and nothing else in any of them.
    let names = env.git(&repo, &["log", "--format=", "--name-only", "--grep=^run: "]);
    assert_eq!(names.lines().filter(|l| !l.is_empty()).count(), 80);
    assert_eq!(env.git(&repo, &["rev-list", "--count", "HEAD"]), "82\n");
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "");
    env.git(&repo, &["fsck", "--strict"]);
}

/// The env var that turns [`draft_writer_child`] into the crash test's child.
const DRAFT_WRITER: &str = "TENKEN_TEST_DRAFT_WRITER";

/// A draft whose every field follows from `n`, so a torn write would show.
fn numbered_draft(n: usize) -> Draft {
    let id = |s: &str| Id::new(s).unwrap();
    let mut answer = Answer::new(id("partly"));
    answer.note = format!("save {n}: {}", "x".repeat(n % 3000));
    Draft {
        format: 1,
        inspection: id("test-five"),
        inspection_version: 1,
        inspection_hash: None,
        subject: id("self"),
        inspector: Inspector {
            id: id("sato"),
            name: "Sato Hanako".into(),
            email: "sato@example.jp".into(),
        },
        started: chrono::DateTime::parse_from_rfc3339(NOW).unwrap(),
        answers: [(id("1"), answer)].into_iter().collect(),
        cursor: n,
        supersedes: None,
        closes: Vec::new(),
    }
}

/// Not a test on its own: re-invoked by the crash test with `--ignored`
/// and `TENKEN_TEST_DRAFT_WRITER=<repo>`, it saves drafts in a loop until it
/// is killed. Ignored, so a normal run neither runs nor counts it (issue 16).
#[test]
#[cfg(unix)]
#[ignore = "the crash test's child process, run by it alone"]
fn draft_writer_child() {
    let repo = std::env::var_os(DRAFT_WRITER)
        .expect("draft_writer_child is run by the crash test, which sets TENKEN_TEST_DRAFT_WRITER");
    let store = Store::open(Path::new(&repo)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut n = 0;
    while Instant::now() < deadline {
        store.save_draft(&numbered_draft(n)).unwrap();
        n += 1;
    }
}

#[test]
#[cfg(unix)]
fn a_draft_survives_sigkill_between_and_during_writes() {
    use std::os::unix::process::ExitStatusExt;

    let env = TestEnv::new();
    let repo = setup(&env);
    let store = Store::open(&repo).unwrap();
    let (sato, subject, inspection) = (
        Id::new("sato").unwrap(),
        Id::new("self").unwrap(),
        Id::new("test-five").unwrap(),
    );
    for delay_ms in [0, 7, 31] {
        let mut child = StdCommand::new(std::env::current_exe().unwrap())
            .args([
                "store::draft_writer_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DRAFT_WRITER, &repo)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the child has saved a good number of drafts.
        let deadline = Instant::now() + Duration::from_secs(30);
        let seen = loop {
            if let Some(d) = store.load_draft(&sato, &subject, &inspection).unwrap()
                && (d.cursor >= 200 || Instant::now() > deadline)
            {
                break d.cursor;
            }
            assert!(Instant::now() < deadline, "the child saved no draft");
            std::thread::sleep(Duration::from_millis(1));
        };
        std::thread::sleep(Duration::from_millis(delay_ms));
        // `Child::kill` sends SIGKILL on Unix: no destructor, no flush.
        child.kill().unwrap();
        assert_eq!(child.wait().unwrap().signal(), Some(9), "killed by SIGKILL");
        let last = store
            .load_draft(&sato, &subject, &inspection)
            .unwrap()
            .expect("the last complete draft is still there");
        assert!(last.cursor >= seen, "{} < {seen}", last.cursor);
        assert_eq!(last, numbered_draft(last.cursor), "the draft is whole");
        // Left-over temporary files never hide or break the draft list.
        assert_eq!(store.drafts(&sato).unwrap(), vec![last]);
        // The next round starts the numbering again from 0.
        store.remove_draft(&sato, &subject, &inspection).unwrap();
    }
}

/// The env var that turns [`claim_holder_child`] into the claim test's child.
const CLAIM_HOLDER: &str = "TENKEN_TEST_CLAIM_HOLDER";

/// Not a test on its own: re-invoked by the claim test with `--ignored` and
/// `TENKEN_TEST_CLAIM_HOLDER=<repo>`, it claims a draft, says so, and holds
/// the claim until it is killed.
#[test]
#[cfg(unix)]
#[ignore = "the claim test's child process, run by it alone"]
fn claim_holder_child() {
    let repo = std::env::var_os(CLAIM_HOLDER)
        .expect("claim_holder_child is run by the claim test, which sets TENKEN_TEST_CLAIM_HOLDER");
    let store = Store::open(Path::new(&repo)).unwrap();
    let id = |s: &str| Id::new(s).unwrap();
    let clock = tenken::clock::Clock::Fixed(chrono::DateTime::parse_from_rfc3339(NOW).unwrap());
    let _claim = store
        .claim_draft(&id("sato"), &id("self"), &id("test-five"), clock)
        .unwrap();
    println!("claimed");
    std::thread::sleep(Duration::from_secs(60));
}

#[test]
#[cfg(unix)]
fn regression_issue_13_a_claim_names_its_holder_and_is_free_once_the_holder_is_killed() {
    use std::io::BufRead;

    let env = TestEnv::new();
    let repo = setup(&env);
    let store = Store::open(&repo).unwrap();
    let (sato, subject, inspection) = (
        Id::new("sato").unwrap(),
        Id::new("self").unwrap(),
        Id::new("test-five").unwrap(),
    );
    let mut child = StdCommand::new(std::env::current_exe().unwrap())
        .args([
            "store::claim_holder_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CLAIM_HOLDER, &repo)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    loop {
        match lines.next() {
            // libtest prints the test's name before its output.
            Some(Ok(l)) if l.ends_with("claimed") => break,
            Some(_) => {}
            None => panic!("the child ended before it claimed the draft"),
        }
    }
    let clock = tenken::clock::Clock::Fixed(chrono::DateTime::parse_from_rfc3339(NOW).unwrap());
    match store.claim_draft(&sato, &subject, &inspection, clock) {
        Err(tenken::store::ClaimError::Held { holder: Some(h) }) => {
            assert_eq!(h.pid, child.id());
            assert_eq!(h.inspector, sato);
        }
        other => panic!("expected the child's claim, got {other:?}"),
    }
    // `Child::kill` sends SIGKILL: no destructor runs, the kernel frees the
    // lock.
    child.kill().unwrap();
    child.wait().unwrap();
    let claim = store
        .claim_draft(&sato, &subject, &inspection, clock)
        .expect("free once its holder is gone");
    assert_eq!(claim.holder().pid, std::process::id());
}
