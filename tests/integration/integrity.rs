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
const TEMPLATE: &str = r#"Inspection(
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

fn json(cmd: &mut assert_cmd::Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
}

fn ids(rows: &Value, field: &str) -> Vec<String> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r[field].as_str().unwrap_or("-").to_owned())
        .collect()
}

/// Writes a RON answers file giving every item of `inspection` its best
/// choice, except the `(item, choice, action due)` overrides.
fn answers(
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

fn record(
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
fn setup(env: &TestEnv) -> PathBuf {
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
            "error: inspections/five.ron has changes that are not committed;",
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
            "inspections/five.ron:4:5: version 1 of `five` changed its scoring without a version bump in commit {} (the choices of item `1` changed from (yes 2, partly 1, no 0) to (yes 5, partly 1, no 0); the choices of item `2` changed from (yes 2, partly 1, no 0) to (yes 5, partly 1, no 0); the choices of item `3` changed from (yes 2, partly 1, no 0) to (yes 5, partly 1, no 0) and 2 more) while 1 committed run answered version 1; bump `version` to 2\nerror: 1 problem found\n",
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
            "error: `self` already has a run of `five` on 2026-11-25: {first}\nhint: to correct it pass `--supersedes {first}`; to record another run of that day on purpose pass `--new`\n"
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
            "Recorded {first}-2\n"
        )));
    // A correction: `--supersedes`, with its trailer.
    record(&env, "five", "self", &all, &["--supersedes", first])
        .success()
        .stdout(predicates::str::starts_with(format!(
            "Recorded {first}-3\nSupersedes: {first}\n"
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

/// A repository where, on 2026-11-25:
/// - self × five: A (2026-08-20, item 1 `no` with an action), B
///   (2026-11-20, item 2 `no` with an action) superseded by C (2026-11-20,
///   item 2 `partly`, no action);
/// - supplier `hikari` × supplier-check: D (2026-10-01) current, E
///   (2026-11-01) withdrawn.
fn corrected_history(env: &TestEnv) -> [String; 5] {
    let repo = setup(env);
    env.tenken_in_repo()
        .args([
            "subjects",
            "add",
            "hikari",
            "--kind",
            "supplier",
            "--name",
            "Hikari KK",
            "--criticality",
            "2",
        ])
        .assert()
        .success();
    let a = answers(env, "a.ron", "five", &[("1", "no", Some("2026-12-31"))]);
    let b = answers(env, "b.ron", "five", &[("2", "no", Some("2026-12-20"))]);
    let c = answers(env, "c.ron", "five", &[("2", "partly", None)]);
    record(env, "five", "self", &a, &["--date", "2026-08-20"]).success();
    record(env, "five", "self", &b, &["--date", "2026-11-20"]).success();
    let (ra, rb) = (
        "self/five/2026-08-20T090000-sato",
        "self/five/2026-11-20T090000-sato",
    );
    record(
        env,
        "five",
        "self",
        &c,
        &["--date", "2026-11-20", "--supersedes", rb],
    )
    .success();
    let rc = "self/five/2026-11-20T090000-sato-2";
    let good = answers(env, "good.ron", "supplier-check", &[]);
    record(
        env,
        "supplier-check",
        "hikari",
        &good,
        &["--date", "2026-10-01"],
    )
    .success();
    let worse = answers(env, "worse.ron", "supplier-check", &[]);
    record(
        env,
        "supplier-check",
        "hikari",
        &worse,
        &["--date", "2026-11-01"],
    )
    .success();
    let (rd, re) = (
        "hikari/supplier-check/2026-10-01T090000-sato",
        "hikari/supplier-check/2026-11-01T090000-sato",
    );
    env.tenken_in_repo()
        .args(["withdraw", re, "--reason", "entered for the wrong supplier"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(format!(
            "Withdrew {re}\nReason: entered for the wrong supplier\nCommit: "
        )));
    assert_eq!(
        env.git(
            &repo,
            &[
                "log",
                "-1",
                "--format=%an|%s|%(trailers:key=Tenken-Withdraws,valueonly)",
                "--name-status"
            ]
        ),
        format!(
            "Sato Hanako|withdraw: supplier-check for hikari — 2026-11-01|{re}\n\n\nA\twithdrawals/{re}.ron\n"
        )
    );
    [ra, rb, rc, rd, re].map(str::to_owned)
}

#[test]
fn corrections_and_withdrawals_through_every_read_command() {
    let env = TestEnv::new();
    let [ra, rb, rc, rd, re] = corrected_history(&env);
    let risks_before = json(env.tenken_in_repo().args(["risks", "--format", "json"]));

    // history: the current runs; --all adds the others, with why.
    let history = json(env.tenken_in_repo().args(["history", "--format", "json"]));
    assert_eq!(ids(&history, "run"), [ra.clone(), rd.clone(), rc.clone()]);
    let all = json(
        env.tenken_in_repo()
            .args(["history", "--all", "--format", "json"]),
    );
    assert_eq!(
        ids(&all, "run"),
        [ra.clone(), rd.clone(), re.clone(), rb.clone(), rc.clone()]
    );
    let row = |id: &str| {
        all.as_array()
            .unwrap()
            .iter()
            .find(|r| r["run"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(row(&rb)["superseded_by"], rc.as_str());
    assert_eq!(row(&rc)["supersedes"], rb.as_str());
    assert_eq!(row(&rc)["superseded_by"], Value::Null);
    assert_eq!(
        row(&re)["withdrawn"],
        serde_json::json!({"reason": "entered for the wrong supplier", "by": "sato", "date": "2026-11-25"})
    );
    assert_eq!(row(&ra)["withdrawn"], Value::Null);
    let text = env
        .tenken_in_repo()
        .args(["history", "--all"])
        .assert()
        .success();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    // The repository's language is Japanese.
    assert!(text.contains(&format!("{rc} で訂正済み")), "{text}");
    assert!(
        text.contains("2026-11-25 に sato が取り下げ：entered for the wrong supplier"),
        "{text}"
    );

    // compare: the latest current run, and a named superseded one.
    let compare = json(env.tenken_in_repo().args([
        "compare",
        "--subject",
        "self",
        "--inspection",
        "five",
        "--format",
        "json",
    ]));
    assert_eq!(
        (
            compare["from"]["run"].as_str(),
            compare["to"]["run"].as_str()
        ),
        (Some(ra.as_str()), Some(rc.as_str()))
    );
    let named = json(
        env.tenken_in_repo()
            .args(["compare", &rb, &rc, "--format", "json"]),
    );
    assert_eq!(named["summary"]["improved"], 1);
    // trend: C stands for its quarter, never B.
    let trend = json(
        env.tenken_in_repo()
            .args(["trend", "--subject", "self", "--format", "json"]),
    );
    let runs: Vec<&str> = trend[0]["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["run"].as_str().unwrap())
        .collect();
    assert_eq!(runs, [ra.as_str(), rc.as_str()]);
    assert_eq!(trend[0]["periods"][1]["runs"], 1);
    // suppliers and due: the withdrawn check is not the last one.
    let suppliers = json(env.tenken_in_repo().args(["suppliers", "--format", "json"]));
    assert_eq!(suppliers[0]["last_run"], rd.as_str());
    assert_eq!(suppliers[0]["last_date"], "2026-10-01");
    let due = json(env.tenken_in_repo().args(["due", "--format", "json"]));
    let hikari = due
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["subject"] == "hikari")
        .unwrap();
    assert_eq!(hikari["last_date"], "2026-10-01");
    let five = due
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["inspection"] == "five");
    assert!(five.is_none(), "five is not scheduled");
    // actions: A's is open; B's went with B.
    let actions = json(
        env.tenken_in_repo()
            .args(["actions", "--all", "--format", "json"]),
    );
    assert_eq!(ids(&actions, "run"), std::slice::from_ref(&ra));
    // report: on C; B is refused with the reason.
    let report = json(env.tenken_in_repo().args([
        "report",
        "--format",
        "json",
        "--subject",
        "self",
        "--inspection",
        "five",
    ]));
    assert_eq!(report["runs"][0]["run"], rc.as_str());
    assert_eq!(report["runs"][0]["supersedes"], rb.as_str());
    let trend_runs: Vec<&str> = report["runs"][0]["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["run"].as_str().unwrap())
        .collect();
    assert_eq!(trend_runs, [ra.as_str(), rc.as_str()]);
    env.tenken_in_repo()
        .args(["report", "--format", "md", "--run", &rb])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(format!(
            "error: run `{rb}` is superseded by `{rc}`\n"
        )));
    let review = json(env.tenken_in_repo().args([
        "report",
        "--format",
        "json",
        "--inspection",
        "supplier-check",
    ]));
    assert_eq!(ids(&review["runs"], "run"), std::slice::from_ref(&rd));
    // risks do not depend on runs: unchanged.
    assert_eq!(
        json(env.tenken_in_repo().args(["risks", "--format", "json"])),
        risks_before
    );
    // verify accepts all of it and reports the withdrawal's reason.
    let verify = env.tenken_in_repo().arg("verify").assert().success();
    let verify = String::from_utf8(verify.get_output().stdout.clone()).unwrap();
    assert!(
        verify.contains(&format!("取り下げ: {re}（2026-11-25、Sato Hanako <sato@example.jp>）：entered for the wrong supplier")),
        "{verify}"
    );
    env.tenken_in_repo().arg("check").assert().success();

    // The second withdrawal of a run, or one of a superseded run: refused.
    env.tenken_in_repo()
        .args(["withdraw", &re, "--reason", "again"])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(format!(
            "error: run `{re}` was already withdrawn on 2026-11-25 by `sato`"
        )));
    env.tenken_in_repo()
        .args(["withdraw", &rb, "--reason", "typo"])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(format!(
            "error: run `{rb}` is superseded by `{rc}` and no longer counts"
        )));
    env.tenken_in_repo()
        .args(["withdraw", "self/five/2020-01-01T090000-sato", "--reason", "x"])
        .assert()
        .code(1)
        .stderr("error: there is no run `self/five/2020-01-01T090000-sato`\nhint: `tenken history --all --format json` lists every run id\n");
}

#[test]
fn uncommitted_run_files_are_marked_and_count_only_when_asked() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let worse = answers(
        &env,
        "worse.ron",
        "five",
        &[("1", "no", Some("2026-12-31"))],
    );
    record(&env, "five", "self", &worse, &["--date", "2026-08-20"]).success();
    // A better run copied into runs/ by hand and never committed.
    let committed = "runs/self/five/2026-08-20T090000-sato.ron";
    let loose_id = "self/five/2026-11-20T090000-sato";
    let text = std::fs::read_to_string(repo.join(committed))
        .unwrap()
        .replace("2026-08-20T090000-sato", "2026-11-20T090000-sato")
        .replace("2026-08-20T09:00:00", "2026-11-20T09:00:00")
        .replace("choice: \"no\"", "choice: \"yes\"");
    let loose = repo.join(format!("runs/{loose_id}.ron"));
    std::fs::write(&loose, text).unwrap();

    let history = json(env.tenken_in_repo().args(["history", "--format", "json"]));
    assert_eq!(ids(&history, "status"), ["committed", "uncommitted"]);
    assert_eq!(history[1]["commit"], Value::Null);
    let text = env.tenken_in_repo().arg("history").assert().success();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    let marked = text.lines().find(|l| l.contains(loose_id)).unwrap();
    assert!(
        marked.ends_with("  未コミット    未コミット：集計に含まれません"),
        "{text}"
    );
    let err = env.tenken_in_repo().arg("check").assert().code(3);
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert_eq!(
        err,
        format!(
            "runs/{loose_id}.ron:1:1: this run file is not committed, so it does not count; commit it with git, or remove it\nerror: 1 problem found\n"
        )
    );

    // Not the basis of anything…
    env.tenken_in_repo()
        .args(["compare", "--subject", "self", "--format", "json"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no run finished before"));
    let trend = json(env.tenken_in_repo().args(["trend", "--format", "json"]));
    assert_eq!(trend[0]["periods"].as_array().unwrap().len(), 1);
    let actions = json(env.tenken_in_repo().args(["actions", "--format", "json"]));
    assert_eq!(
        actions.as_array().unwrap().len(),
        1,
        "still open: the fix is not committed"
    );
    let report = json(env.tenken_in_repo().args([
        "report",
        "--format",
        "json",
        "--subject",
        "self",
        "--inspection",
        "five",
    ]));
    assert!(!report.to_string().contains(loose_id), "{report}");
    let md = env
        .tenken_in_repo()
        .args([
            "--lang",
            "en",
            "report",
            "--format",
            "md",
            "--subject",
            "self",
            "--inspection",
            "five",
        ])
        .assert()
        .success();
    assert!(
        String::from_utf8(md.get_output().stdout.clone())
            .unwrap()
            .contains("| Commit | `")
    );

    // …unless asked for, and then labelled.
    let compare = json(env.tenken_in_repo().args([
        "compare",
        "--subject",
        "self",
        "--include-uncommitted",
        "--format",
        "json",
    ]));
    assert_eq!(compare["to"]["run"], loose_id);
    assert_eq!(
        (
            compare["from"]["status"].as_str(),
            compare["to"]["status"].as_str()
        ),
        (Some("committed"), Some("uncommitted"))
    );
    let trend =
        json(
            env.tenken_in_repo()
                .args(["trend", "--include-uncommitted", "--format", "json"]),
        );
    assert_eq!(trend[0]["periods"][1]["status"], "uncommitted");
    let actions = json(env.tenken_in_repo().args([
        "actions",
        "--all",
        "--include-uncommitted",
        "--format",
        "json",
    ]));
    let of_first = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["run"] == "self/five/2026-08-20T090000-sato")
        .unwrap();
    assert_eq!(of_first["status"], "closed");
    assert_eq!(of_first["closed_by"], loose_id);
    let of_loose = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["run"] == loose_id)
        .unwrap();
    assert_eq!(of_loose["run_status"], "uncommitted");
    let due = json(
        env.tenken_in_repo()
            .args(["due", "--include-uncommitted", "--format", "json"]),
    );
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .all(|d| d["inspection"] != "five"),
        "five is not scheduled"
    );
    let md = env
        .tenken_in_repo()
        .args([
            "--lang",
            "en",
            "report",
            "--format",
            "md",
            "--subject",
            "self",
            "--inspection",
            "five",
            "--include-uncommitted",
        ])
        .assert()
        .success();
    let md = String::from_utf8(md.get_output().stdout.clone()).unwrap();
    assert!(
        md.contains(loose_id) && md.contains("| Commit | not committed (does not count) |"),
        "{md}"
    );

    // A committed run changed in the work tree: the commit counts.
    std::fs::remove_file(&loose).unwrap();
    let changed = std::fs::read_to_string(repo.join(committed))
        .unwrap()
        .replace("choice: \"no\"", "choice: \"yes\"");
    std::fs::write(repo.join(committed), changed).unwrap();
    let history = json(env.tenken_in_repo().args(["history", "--format", "json"]));
    assert_eq!(ids(&history, "status"), ["modified"]);
    let trend = json(env.tenken_in_repo().args(["trend", "--format", "json"]));
    assert_eq!(trend[0]["periods"][0]["score"], 8, "scored from the commit");
}
