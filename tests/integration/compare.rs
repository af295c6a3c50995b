//! `tenken compare` and `tenken trend` over a fixed repository built with
//! `tenken record --date`: text and JSON snapshots, run selection, errors
//! and exit codes (issue 6).

use std::collections::BTreeMap;
use std::path::Path;

use tenken::model::{Answer, Id};

use crate::support::TestEnv;

/// A small template of our own, so the snapshots do not follow edits to
/// the bundled checklists. `v2` drops `legacy`, adds `edr` and rewords `mfa`.
fn drill(version: u32) -> String {
    let (mfa, last) = if version == 1 {
        (
            r#"(ja: "多要素認証を使っている", en: "MFA is enabled")"#,
            r#"Item(id: "legacy", scale: "ynn", title: (ja: "旧システムを棚卸ししている", en: "Legacy systems are listed")),"#,
        )
    } else {
        (
            r#"(ja: "全アカウントで多要素認証を使っている", en: "MFA is enabled for every account")"#,
            r#"Item(id: "edr", scale: "ynn", title: (ja: "EDRを導入している", en: "EDR is deployed")),"#,
        )
    };
    format!(
        r#"Inspection(
    format: 1,
    id: "drill",
    version: {version},
    title: (ja: "点検ドリル", en: "Drill"),
    source: "tenken tests",
    scales: {{
        "ynn": [
            Choice(id: "yes", key: '1', label: (ja: "はい", en: "Yes"), points: Some(2)),
            Choice(id: "partly", key: '2', label: (ja: "一部", en: "Partly"), points: Some(1)),
            Choice(id: "no", key: '3', label: (ja: "いいえ", en: "No"), points: Some(0)),
            Choice(id: "na", key: '4', label: (ja: "該当なし", en: "N/A"), points: None),
        ],
    }},
    sections: [
        Section(id: "access", title: (ja: "アクセス", en: "Access"), items: [
            Item(id: "pw", scale: "ynn", title: (ja: "パスワードを強くしている", en: "Passwords are strong")),
            Item(id: "mfa", scale: "ynn", title: {mfa}),
            Item(id: "share", scale: "ynn", title: (ja: "共有設定を見直している", en: "Sharing settings are reviewed")),
        ]),
        Section(id: "ops", title: (ja: "運用", en: "Operations"), items: [
            Item(id: "patch", scale: "ynn", title: (ja: "OSを最新にしている", en: "Systems are patched")),
            Item(id: "backup", scale: "ynn", title: (ja: "バックアップを復元テストしている", en: "Backups are restore-tested")),
            {last}
        ]),
    ],
    bands: [
        Band(min_percent: 80, label: (ja: "良好", en: "Good")),
        Band(min_percent: 50, label: (ja: "要改善", en: "Fair")),
        Band(min_percent: 0, label: (ja: "不十分", en: "Weak")),
    ],
)
"#
    )
}

const SUBJECTS: &str = r#"Subjects(
    format: 1,
    subjects: [
        Subject(id: "self", kind: Organisation, name: "Example KK"),
        Subject(id: "acme", kind: Supplier, name: "ACME Cloud"),
        Subject(id: "beta", kind: Supplier, name: "Beta Payroll"),
    ],
)
"#;

/// A note that tries to retitle the terminal; it must come out escaped.
const HOSTILE: &str = "Public link found\u{1b}]0;pwned\u{7}";

fn record(env: &TestEnv, subject: &str, date: &str, answers: &[(&str, &str, &str)]) {
    let map: BTreeMap<Id, Answer> = answers
        .iter()
        .map(|(item, choice, note)| {
            let mut a = Answer::new(Id::new(choice).unwrap());
            (*note).clone_into(&mut a.note);
            (Id::new(item).unwrap(), a)
        })
        .collect();
    let file = env.home.path().join(format!("{subject}-{date}.ron"));
    std::fs::write(&file, tenken::model::to_ron(&map).unwrap()).unwrap();
    env.tenken_in_repo()
        .args([
            "record",
            "drill",
            "--subject",
            subject,
            "--allow-partial",
            "--date",
            date,
        ])
        .arg("--answers")
        .arg(&file)
        .assert()
        .success();
}

fn commit_all(env: &TestEnv, repo: &Path, message: &str) {
    env.git(repo, &["add", "-A"]);
    env.git(repo, &["commit", "-q", "-m", message]);
}

/// The fixed repository (fiscal year from April):
///
/// | subject | date       | fiscal quarter | template |
/// | ------- | ---------- | -------------- | -------- |
/// | self    | 2026-02-12 | FY2025Q4       | v1       |
/// | self    | 2026-05-20 | FY2026Q1       | v1       |
/// | self    | 2026-08-20 | FY2026Q2       | v2       |
/// | self    | 2026-08-28 | FY2026Q2       | v2       |
/// | self    | 2026-11-10 | FY2026Q3       | v2       |
/// | acme    | 2026-08-05 | FY2026Q2       | v2       |
/// | acme    | 2026-11-12 | FY2026Q3       | v2       |
/// | beta    | 2026-11-15 | FY2026Q3       | v2       |
fn fixture() -> TestEnv {
    let env = TestEnv::new();
    let repo = env.init();
    std::fs::write(repo.join("subjects.ron"), SUBJECTS).unwrap();
    std::fs::write(repo.join("inspections/drill.ron"), drill(1)).unwrap();
    commit_all(&env, &repo, "add the drill and suppliers");
    record(
        &env,
        "self",
        "2026-02-12",
        &[
            ("pw", "yes", ""),
            ("mfa", "no", "MFA not rolled out"),
            ("share", "partly", ""),
            ("patch", "partly", "2 laptops without updates"),
            ("backup", "no", ""),
            ("legacy", "yes", ""),
        ],
    );
    record(
        &env,
        "self",
        "2026-05-20",
        &[
            ("pw", "yes", ""),
            ("mfa", "partly", "MFA for admins only"),
            ("share", "partly", ""),
            ("patch", "yes", ""),
            ("backup", "no", ""),
            ("legacy", "yes", ""),
        ],
    );
    std::fs::write(repo.join("inspections/drill.ron"), drill(2)).unwrap();
    commit_all(&env, &repo, "drill v2");
    record(
        &env,
        "self",
        "2026-08-20",
        &[
            ("pw", "partly", ""),
            ("mfa", "partly", "MFA for admins only"),
            ("share", "yes", ""),
            ("patch", "yes", ""),
            ("backup", "na", ""),
            ("edr", "no", ""),
        ],
    );
    record(
        &env,
        "self",
        "2026-08-28",
        &[
            ("pw", "partly", "Two shared accounts found"),
            ("mfa", "yes", "MFA for every account"),
            ("share", "yes", ""),
            ("patch", "partly", "1 laptop without updates"),
            ("backup", "na", ""),
            ("edr", "yes", ""),
        ],
    );
    record(
        &env,
        "self",
        "2026-11-10",
        &[
            ("pw", "yes", "Shared accounts removed"),
            ("mfa", "yes", "MFA for every account"),
            ("share", "no", HOSTILE),
            (
                "patch",
                "partly",
                "1 laptop without updates, replacement ordered",
            ),
            ("backup", "partly", ""),
        ],
    );
    record_suppliers(&env);
    env
}

/// acme: FY2026Q2 and FY2026Q3; beta: FY2026Q3 only.
fn record_suppliers(env: &TestEnv) {
    let all_yes_but = |changes: &[(&'static str, &'static str)]| {
        ["pw", "mfa", "share", "patch", "backup", "edr"]
            .iter()
            .map(|item| {
                let choice = changes
                    .iter()
                    .find(|(i, _)| i == item)
                    .map_or("yes", |(_, c)| *c);
                (*item, choice, "")
            })
            .collect::<Vec<_>>()
    };
    record(env, "acme", "2026-08-05", &all_yes_but(&[("backup", "no")]));
    record(
        env,
        "acme",
        "2026-11-12",
        &all_yes_but(&[("pw", "no"), ("backup", "no"), ("edr", "partly")]),
    );
    record(
        env,
        "beta",
        "2026-11-15",
        &all_yes_but(&[("pw", "partly"), ("mfa", "partly"), ("share", "partly")]),
    );
}

/// Runs `tenken --lang en ARGS` in the fixture; returns (stdout, stderr, code).
fn tenken(env: &TestEnv, args: &[&str]) -> (String, String, i32) {
    let out = env
        .tenken_in_repo()
        .args(["--lang", "en"])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn ok(env: &TestEnv, args: &[&str]) -> String {
    let (stdout, stderr, code) = tenken(env, args);
    assert_eq!(code, 0, "tenken {args:?} failed: {stderr}");
    assert_eq!(stderr, "");
    assert!(!stdout.contains('\u{1b}'), "raw escape in the output");
    stdout
}

#[test]
fn compare_commands_over_a_fixed_history() {
    let env = fixture();

    // No runs named: the latest run against the latest of the quarter
    // before (FY2026Q3's 11-10 against FY2026Q2's 08-28, not 08-20).
    let default = ok(&env, &["compare", "--subject", "self"]);
    insta::assert_snapshot!("compare_default_text", default);
    assert_eq!(
        ok(
            &env,
            &["compare", "FY2026Q2", "latest", "--subject", "self"]
        ),
        default
    );
    assert_eq!(
        ok(
            &env,
            &[
                "compare",
                "self/drill/2026-08-28T090000-sato",
                "--subject",
                "self"
            ]
        ),
        default
    );
    assert_eq!(
        ok(
            &env,
            &["compare", "2026-08-28", "2026-11-10", "--subject", "self"]
        ),
        default
    );
    insta::assert_snapshot!(
        "compare_default_json",
        ok(&env, &["compare", "--subject", "self", "--format", "json"])
    );

    // Across template versions: v1 (FY2026Q1) against v2 (FY2026Q2).
    insta::assert_snapshot!(
        "compare_versions_text",
        ok(
            &env,
            &["compare", "FY2026Q1", "FY2026Q2", "--subject", "self"]
        )
    );
    insta::assert_snapshot!(
        "compare_versions_json",
        ok(
            &env,
            &[
                "compare",
                "FY2026Q1",
                "FY2026Q2",
                "--subject",
                "self",
                "--format",
                "json"
            ]
        )
    );

    // Japanese, the repository's own language.
    let ja = env
        .tenken_in_repo()
        .args(["compare", "--subject", "self"])
        .output()
        .unwrap();
    assert!(ja.status.success());
    insta::assert_snapshot!("compare_default_ja", String::from_utf8(ja.stdout).unwrap());
}

#[test]
fn compare_across_subjects_and_trends() {
    let env = fixture();
    // Every subject with runs in both quarters, worst change first; beta
    // has no run in FY2026Q2 and is skipped.
    let ranked = ok(
        &env,
        &["compare", "FY2026Q2", "FY2026Q3", "--inspection", "drill"],
    );
    insta::assert_snapshot!("compare_across_text", ranked);
    // Without names (issue 17): each subject's latest run against its
    // previous run, the latest before its quarter; the same pairs here,
    // and beta, with a single run, has none.
    assert_eq!(
        ok(&env, &["compare", "--inspection", "drill"]),
        ranked
            .replace(
                "FY2026Q2 → FY2026Q3",
                "each latest run against its previous run"
            )
            .replace(
                "no run finished in FY2026Q2; the nearest period with a run is FY2026Q3",
                "no run finished before FY2026Q3, the quarter of beta/drill/2026-11-15T090000-sato, so there is nothing to compare it with"
            )
    );
    let json = ok(
        &env,
        &[
            "compare",
            "FY2026Q2",
            "FY2026Q3",
            "--inspection",
            "drill",
            "--format",
            "json",
        ],
    );
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let order: Vec<&str> = parsed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].as_str().unwrap())
        .collect();
    // self falls 30 points (80% → 50%), acme 25 (83.3% → 58.3%).
    assert_eq!(order, ["self", "acme"]);
    assert_eq!(parsed[1]["summary"]["regressed"], 2);

    insta::assert_snapshot!("trend_self_text", ok(&env, &["trend", "--subject", "self"]));
    insta::assert_snapshot!(
        "trend_by_year_text",
        ok(&env, &["trend", "--inspection", "drill", "--by", "year"])
    );
    insta::assert_snapshot!(
        "trend_self_json",
        ok(
            &env,
            &[
                "trend",
                "--subject",
                "self",
                "--by",
                "quarter",
                "--format",
                "json"
            ]
        )
    );
}

/// Commands that must fail: arguments, exit code, exact stderr.
const ERRORS: &[(&[&str], i32, &str)] = &[
    (
        &["compare", "FY2025Q3", "--subject", "self"],
        1,
        "error: `self` · `drill`: no run finished in FY2025Q3; the nearest period with a run is FY2025Q4\n",
    ),
    (
        &["compare", "2026Q2", "2026Q4", "--subject", "acme"],
        1,
        "error: `acme` · `drill`: no run finished in 2026Q2; the nearest period with a run is 2026Q3\n",
    ),
    (
        &["compare", "--subject", "beta"],
        1,
        "error: `beta` · `drill`: no run finished before FY2026Q3, the quarter of beta/drill/2026-11-15T090000-sato, so there is nothing to compare it with\nhint: name two runs to compare by id or date (`tenken history` lists them)\n",
    ),
    (
        &["compare", "2026-08-21", "--subject", "self"],
        1,
        "error: `self` · `drill`: no run finished on 2026-08-21; the nearest dates with runs are 2026-08-20 and 2026-08-28\n",
    ),
    (
        &["compare", "2026Q5"],
        2,
        "error: `2026Q5` names no such quarter or half; quarters are Q1–Q4 and halves H1–H2\n",
    ),
    (
        &["compare", "last-week"],
        2,
        "error: `last-week` is not a run id, a date (YYYY-MM-DD), a period (2026Q3, FY2026Q2, 2026H1, 2026), `latest` or `previous`\n",
    ),
    (
        &["compare", "self/drill/nope"],
        1,
        "error: there is no run `self/drill/nope`\n",
    ),
    (
        &[
            "compare",
            "self/drill/2026-08-28T090000-sato",
            "acme/drill/2026-11-12T090000-sato",
        ],
        1,
        "error: runs `self/drill/2026-08-28T090000-sato` and `acme/drill/2026-11-12T090000-sato` are of different subjects or inspections; compare runs of one subject and inspection\n",
    ),
    (
        &["compare", "--subject", "nobody"],
        1,
        "error: subject `nobody` is not in subjects.ron\nhint: known subjects: acme, beta, self\n",
    ),
    (
        &["compare", "2025Q1", "2025Q2", "--inspection", "drill"],
        1,
        "error: no subject has runs of `drill` for both 2025Q1 and 2025Q2\nhint: name other periods or runs, for example `tenken compare previous latest --inspection ID`\n",
    ),
    (
        &["trend", "--inspection", "ipa-five-principles"],
        1,
        "error: no runs of `ipa-five-principles`\nhint: finish a run with `tenken run INSPECTION` or record one with `tenken record`\n",
    ),
];

#[test]
fn compare_fails_on_regression_and_explains_missing_runs() {
    let env = fixture();
    // --fail-on-regression: the comparison is printed, then exit 4.
    let (stdout, stderr, code) = tenken(
        &env,
        &["compare", "--subject", "self", "--fail-on-regression"],
    );
    assert_eq!(code, 4);
    assert!(stdout.starts_with("self · drill: 2026-08-28 (FY2026Q2) → 2026-11-10 (FY2026Q3)\n"));
    assert_eq!(
        stderr,
        "error: 1 item regressed between 2026-08-28 and 2026-11-10\n"
    );
    let (_, stderr, code) = tenken(
        &env,
        &[
            "compare",
            "FY2026Q2",
            "FY2026Q3",
            "--inspection",
            "drill",
            "--fail-on-regression",
        ],
    );
    assert_eq!(
        (code, stderr.as_str()),
        (4, "error: 3 items regressed in 2 subjects\n")
    );
    // No regression: exit 0 even with the flag.
    let (_, _, code) = tenken(
        &env,
        &[
            "compare",
            "FY2025Q4",
            "FY2026Q1",
            "--subject",
            "self",
            "--fail-on-regression",
        ],
    );
    assert_eq!(code, 0);

    for (args, expected_code, expected_stderr) in ERRORS {
        let (stdout, stderr, code) = tenken(&env, args);
        assert_eq!(
            (code, stderr.as_str(), stdout.as_str()),
            (*expected_code, *expected_stderr, ""),
            "tenken {args:?}"
        );
    }
}

/// Issue 17: one rule for "previous". In the demo, `nimbus-mail` ×
/// `cloud-service` was inspected in FY2025Q3 and FY2026Q3 only: `compare`
/// without names, `previous`, the report, the trend and the TUI all
/// compare the latest run with the 2025-11-13 run (before, `compare` failed
/// with "no run finished in FY2026Q2").
#[test]
fn previous_is_one_rule_in_compare_report_trend_and_the_tui() {
    let env = TestEnv::new();
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();
    let pair = ["--subject", "nimbus-mail", "--inspection", "cloud-service"];
    let json = |args: &[&str]| -> serde_json::Value {
        let out = env.tenken_in_repo().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let compared = json(&[&["compare", "--format", "json"][..], &pair].concat());
    assert_eq!(compared["from"]["date"], "2025-11-13");
    assert_eq!(compared["to"]["date"], "2026-10-24");
    let named = json(
        &[
            &["compare", "previous", "latest", "--format", "json"][..],
            &pair,
        ]
        .concat(),
    );
    assert_eq!(named["from"]["run"], compared["from"]["run"]);
    let report = json(&[&["report", "--format", "json"][..], &pair].concat());
    let in_report = &report["runs"][0]["comparison"];
    assert_eq!(in_report["from"]["run"], compared["from"]["run"]);
    assert_eq!(in_report["percent_delta"], compared["percent_delta"]);
    let trend = json(&[&["trend", "--format", "json"][..], &pair].concat());
    let last = trend[0]["periods"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["run"], compared["to"]["run"]);
    assert_eq!(last["percent_delta"], compared["percent_delta"]);

    let store = tenken::store::Store::open(&env.repo()).unwrap();
    let app = crate::tui_support::open_app(&store, tenken::model::Lang::En);
    let data = &app.ctx.data;
    let latest = data
        .latest_run(
            &Id::new("nimbus-mail").unwrap(),
            &Id::new("cloud-service").unwrap(),
        )
        .unwrap();
    assert_eq!(
        data.previous_of(&latest.run).map(|h| h.run.id.as_str()),
        compared["from"]["run"].as_str()
    );
}
