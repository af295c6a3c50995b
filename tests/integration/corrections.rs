//! Corrections, withdrawals and uncommitted run files through the real
//! binary and every read command's JSON (issue 13): only the current,
//! committed runs count anywhere unless asked for, and then labelled.

use serde_json::Value;

use crate::integrity::{answers, ids, json, record, setup};
use crate::support::TestEnv;

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
            "取り下げました: {re}\n理由: entered for the wrong supplier\nコミット: "
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
            "エラー: 記録 `{rb}` は `{rc}` で訂正されています\nヒント: 報告書は現在の記録を扱います。訂正後の記録で作成するか、`tenken compare` で2つを比べてください\n"
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
            "エラー: 記録 `{re}` は 2026-11-25 に `sato` が取り下げ済みです\n"
        )));
    env.tenken_in_repo()
        .args(["withdraw", &rb, "--reason", "typo"])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(format!(
            "エラー: 記録 `{rb}` は `{rc}` で訂正済みで、もう数えられていません\nヒント: 訂正後の記録も誤りなら、そちらを取り下げてください: `tenken withdraw {rc} --reason …`\n"
        )));
    env.tenken_in_repo()
        .args(["withdraw", "self/five/2020-01-01T090000-sato", "--reason", "x"])
        .assert()
        .code(1)
        .stderr("エラー: 記録 `self/five/2020-01-01T090000-sato` はありません\nヒント: すべての記録の ID は `tenken history --all --format json` で一覧できます\n");
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
            "runs/{loose_id}.ron:1:1: この記録ファイルはコミットされていないため数えません。git でコミットするか、削除してください\nエラー: 問題が 1件 見つかりました\n"
        )
    );

    // Not the basis of anything…
    env.tenken_in_repo()
        .args(["compare", "--subject", "self", "--format", "json"])
        .assert()
        .code(1)
        // The repository's language: Japanese.
        .stderr(predicates::str::contains("より前に完了した記録がなく"));
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

/// `record --supersedes` without `--date` keeps the corrected run's date:
/// a correction made in November of an August run is still August's run
/// (its quarter keeps its result); `--date` still says otherwise.
#[test]
fn a_correction_keeps_the_corrected_runs_date_unless_told_otherwise() {
    let env = TestEnv::new();
    setup(&env);
    let wrong = answers(&env, "a.ron", "five", &[("1", "no", Some("2026-12-31"))]);
    let fixed = answers(&env, "b.ron", "five", &[]);
    record(&env, "five", "self", &wrong, &["--date", "2026-08-20"]).success();
    let a = "self/five/2026-08-20T090000-sato";
    record(&env, "five", "self", &fixed, &["--supersedes", a]).success();
    let rows = json(env.tenken_in_repo().args(["history", "--format", "json"]));
    assert_eq!(ids(&rows, "run"), ["self/five/2026-08-20T090000-sato-2"]);
    assert_eq!(rows[0]["date"], "2026-08-20");
    assert_eq!(rows[0]["supersedes"], a);
    let subject = env.git(&env.repo(), &["log", "-1", "--format=%s"]);
    assert!(subject.contains(" on 2026-08-20 "), "{subject}");
}
