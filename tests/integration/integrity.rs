//! The record an auditor can trust (issue 13), through the real binary and
//! checked with the real `git`: frozen scores across template edits and
//! `check`'s missing-bump error, corrections and withdrawals through every
//! read command's JSON, the second run of a day, and uncommitted run files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tenken::model::{Id, Inspection};

use crate::support::TestEnv;

/// A small template of the tests' own: five items, yes 2 / partly 1 / no 0.
pub const TEMPLATE: &str = r#"Inspection(
    format: 1,
    id: "five",
    version: 1,
    title: (en: "Five"),
    source: "tenken integration tests",
    scales: {
        "ynp": [
            Choice(id: "yes", key: '1', label: (en: "Yes"), points: Some(2)),
            Choice(id: "partly", key: '2', label: (en: "Partly"), points: Some(1)),
            Choice(id: "no", key: '3', label: (en: "No"), points: Some(0)),
        ],
    },
    sections: [
        Section(id: "main", title: (en: "Main"), items: [
            Item(id: "1", scale: "ynp", title: (en: "One")),
            Item(id: "2", scale: "ynp", title: (en: "Two")),
            Item(id: "3", scale: "ynp", title: (en: "Three")),
            Item(id: "4", scale: "ynp", title: (en: "Four")),
            Item(id: "5", scale: "ynp", title: (en: "Five")),
        ]),
    ],
    bands: [
        Band(min_percent: 80, label: (en: "Good")),
        Band(min_percent: 0, label: (en: "Gaps")),
    ],
)
"#;

pub fn json(cmd: &mut assert_cmd::Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
}

pub fn ids(rows: &Value, field: &str) -> Vec<String> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r[field].as_str().unwrap_or("-").to_owned())
        .collect()
}

/// Writes a RON answers file giving every item of `inspection` its best
/// choice, except the `(item, choice, action due)` overrides.
pub fn answers(
    env: &TestEnv,
    name: &str,
    inspection: &str,
    overrides: &[(&str, &str, Option<&str>)],
) -> PathBuf {
    let catalog = tenken::load::catalog(&env.repo()).unwrap();
    let t: &Inspection = &catalog.inspections[&Id::new(inspection).unwrap()];
    let mut ron = String::from("{\n");
    for (_, item) in t.items() {
        let best = t.best_choice(item).unwrap().id.to_string();
        let (choice, due) = overrides
            .iter()
            .find(|(i, _, _)| *i == item.id.as_str())
            .map_or((best.as_str(), None), |(_, c, d)| (*c, *d));
        let action = due.map_or_else(String::new, |d| {
            format!(
                r#", action: Some((text: "fix {}", owner: "soumu", due: "{d}"))"#,
                item.id
            )
        });
        writeln!(
            ron,
            "  \"{}\": (choice: \"{choice}\", note: \"seen\"{action}),",
            item.id
        )
        .unwrap();
    }
    ron.push('}');
    let path = env.home.path().join(name);
    std::fs::write(&path, ron).unwrap();
    path
}

pub fn record(
    env: &TestEnv,
    inspection: &str,
    subject: &str,
    file: &Path,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    env.tenken_in_repo()
        .args(["record", inspection, "--subject", subject, "--answers"])
        .arg(file)
        .args(extra)
        .assert()
}

/// `tenken init`, plus the tests' template committed with git.
pub fn setup(env: &TestEnv) -> PathBuf {
    let repo = env.init();
    std::fs::write(repo.join("inspections/five.ron"), TEMPLATE).unwrap();
    env.git(&repo, &["add", "inspections/five.ron"]);
    env.git(&repo, &["commit", "-q", "-m", "the five template"]);
    repo
}

#[test]
fn regression_issue_13_a_template_edit_never_rescores_history_and_check_wants_a_bump() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let none = answers(
        &env,
        "none.ron",
        "five",
        &[
            ("1", "no", None),
            ("2", "no", None),
            ("3", "no", None),
            ("4", "no", None),
            ("5", "no", None),
        ],
    );
    record(&env, "five", "self", &none, &["--date", "2026-04-01"]).success();
    let run = "self/five/2026-04-01T090000-sato";
    let hash = env.git(&repo, &["show", &format!("HEAD:runs/{run}.ron")]);
    assert!(hash.contains("inspection_hash: Some(\""), "{hash}");

    // Points change, the version does not.
    let edited = TEMPLATE.replace("points: Some(2)", "points: Some(5)");
    std::fs::write(repo.join("inspections/five.ron"), &edited).unwrap();
    // Not committed yet: no run may be recorded against it.
    let all = answers(&env, "all.ron", "five", &[]);
    record(&env, "five", "self", &all, &[])
        .code(1)
        .stderr(predicates::str::starts_with(
            "エラー: inspections/five.ron にコミットされていない変更があります。",
        ));
    env.git(&repo, &["commit", "-q", "-am", "more points for yes"]);
    let edit = env.git(&repo, &["rev-parse", "--short=12", "HEAD"]);

    let history = json(env.tenken_in_repo().args(["history", "--format", "json"]));
    assert_eq!(
        (history[0]["score"].as_i64(), history[0]["max"].as_i64()),
        (Some(0), Some(10))
    );
    assert_eq!(history[0]["band"], "Gaps");
    let trend =
        json(
            env.tenken_in_repo()
                .args(["trend", "--inspection", "five", "--format", "json"]),
        );
    assert_eq!(trend[0]["periods"][0]["max"], 10);
    let report = json(env.tenken_in_repo().args([
        "report",
        "--format",
        "json",
        "--subject",
        "self",
        "--inspection",
        "five",
    ]));
    assert!(report.to_string().contains("\"max\":10"), "{report}");

    // check: an error at the `version:` field, naming the commit.
    let out = env.tenken_in_repo().arg("check").assert().code(3);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr,
        format!(
            "inspections/five.ron:4:5: `five` の版 1 はコミット {} で版を上げずに採点が変わりました（項目 `1` の選択肢を (yes 2, partly 1, no 0) から (yes 5, partly 1, no 0) に変更、項目 `2` の選択肢を (yes 2, partly 1, no 0) から (yes 5, partly 1, no 0) に変更、項目 `3` の選択肢を (yes 2, partly 1, no 0) から (yes 5, partly 1, no 0) に変更、ほか2件）。この版に答えたコミット済みの記録が 1件 あります。`version` を 2 に上げてください\nエラー: 問題が 1件 見つかりました\n",
            edit.trim()
        )
    );
    // A run recorded now is scored by the new text, the old one still not.
    record(&env, "five", "self", &all, &[]).success();
    let history = json(env.tenken_in_repo().args(["history", "--format", "json"]));
    let maxima: Vec<i64> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["max"].as_i64().unwrap())
        .collect();
    assert_eq!(maxima, [10, 25]);

    // The bump settles it; the scores stay.
    std::fs::write(
        repo.join("inspections/five.ron"),
        edited.replace("version: 1,", "version: 2,"),
    )
    .unwrap();
    env.git(&repo, &["commit", "-q", "-am", "version 2"]);
    env.tenken_in_repo().arg("check").assert().success();
    let history = json(env.tenken_in_repo().args(["history", "--format", "json"]));
    let maxima: Vec<i64> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["max"].as_i64().unwrap())
        .collect();
    assert_eq!(maxima, [10, 25]);
    // Runs of the two texts of version 1 still compare item by item.
    let compare = json(
        env.tenken_in_repo()
            .args(["compare", run, "latest", "--format", "json"]),
    );
    assert_eq!(compare["summary"]["improved"], 5);
    assert_eq!(
        (
            compare["from"]["max"].as_i64(),
            compare["to"]["max"].as_i64()
        ),
        (Some(10), Some(25))
    );
}

#[test]
fn a_second_run_of_the_day_needs_supersedes_or_new() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let all = answers(&env, "all.ron", "five", &[]);
    record(&env, "five", "self", &all, &[]).success();
    let first = "self/five/2026-11-25T090000-sato";
    let before = env.git(&repo, &["rev-list", "--count", "HEAD"]);
    record(&env, "five", "self", &all, &[])
        .code(2)
        .stdout("")
        .stderr(format!(
            "エラー: `self` には 2026-11-25 の `five` の記録がすでにあります: {first}\nヒント: 訂正するなら `--supersedes {first}` を、同じ日にもう一度記録するなら `--new` を付けてください\n"
        ));
    assert_eq!(env.git(&repo, &["rev-list", "--count", "HEAD"]), before);
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "");
    // Another inspector's run of the day is a duplicate too.
    env.tenken()
        .args(["--repo"])
        .arg(&repo)
        .args([
            "--inspector",
            "suzuki",
            "record",
            "five",
            "--subject",
            "self",
            "--answers",
        ])
        .arg(&all)
        .assert()
        .code(2);
    // On purpose: `--new`.
    record(&env, "five", "self", &all, &["--new"])
        .success()
        .stdout(predicates::str::starts_with(format!(
            "記録しました: {first}-2\n"
        )));
    // A correction: `--supersedes`, with its trailer.
    record(&env, "five", "self", &all, &["--supersedes", first])
        .success()
        .stdout(predicates::str::starts_with(format!(
            "記録しました: {first}-3\n訂正前の記録: {first}\n"
        )));
    assert_eq!(
        env.git(&repo, &["log", "-1", "--format=%an%n%(trailers:key=Tenken-Run,valueonly)%(trailers:key=Tenken-Supersedes,valueonly)"]),
        format!("Sato Hanako\n{first}-3\n{first}\n\n")
    );
    // Both flags at once are a usage error.
    record(
        &env,
        "five",
        "self",
        &all,
        &["--new", "--supersedes", first],
    )
    .code(2);
}

#[test]
fn dates_outside_1990_to_today_are_refused_on_the_command_line_and_reported_in_files() {
    let env = TestEnv::new();
    let repo = setup(&env);
    // An action due more than ten years ahead: a usage error naming the range.
    let far = answers(&env, "far.ron", "five", &[("1", "no", Some("2036-11-26"))]);
    record(&env, "five", "self", &far, &[])
        .code(2)
        .stderr(format!(
            "エラー: {}: 項目 `1` の対策の期限 2036-11-26 は受け付けられる範囲（1990-01-01 から 2036-11-25 まで）の外です\n",
            far.display()
        ));
    let ok = answers(&env, "ok.ron", "five", &[("1", "no", Some("2036-11-25"))]);
    record(&env, "five", "self", &ok, &["--date", "1990-01-01"]).success();

    // Files written by hand: each date outside its range is reported where
    // it stands.
    let good =
        std::fs::read_to_string(repo.join("runs/self/five/1990-01-01T090000-sato.ron")).unwrap();
    let old = good
        .replace("1990-01-01T090000-sato", "1989-12-31T090000-sato")
        .replace(
            "\"1990-01-01T09:00:00+09:00\"",
            "\"1989-12-31T09:00:00+09:00\"",
        )
        .replace("due: \"2036-11-25\"", "due: \"2040-01-01\"");
    let rel = "runs/self/five/1989-12-31T090000-sato.ron";
    std::fs::write(repo.join(rel), &old).unwrap();
    env.git(&repo, &["add", rel]);
    env.git(
        &repo,
        &[
            "commit",
            "-q",
            "-m",
            "a paper record",
            "-m",
            "Tenken-Run: self/five/1989-12-31T090000-sato",
        ],
    );
    let line_of = |needle: &str| old.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let err = env.tenken_in_repo().arg("check").assert().code(3);
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert_eq!(
        err,
        format!(
            "{rel}:{}:5: `started` 1989-12-31 は受け付けられる範囲（1990-01-01 から 2026-11-25 まで）の外です\n\
             {rel}:{}:5: `finished` 1989-12-31 は受け付けられる範囲（1990-01-01 から 2026-11-25 まで）の外です\n\
             {rel}:{}:17: 項目 `1` の対策の期限 2040-01-01 は受け付けられる範囲（1990-01-01 から 2036-11-25 まで）の外です\n\
             エラー: 問題が 3件 見つかりました\n",
            line_of("started:"),
            line_of("finished:"),
            line_of("due:"),
        )
    );
}
