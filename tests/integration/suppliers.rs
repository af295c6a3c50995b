//! The supplier register and schedules through the real binary (issue 7):
//! `subjects add|edit|retire` as commits checked with the real `git log`,
//! `suppliers` ordering and JSON, and `due`. The questionnaire
//! (`suppliers export` → filled in → `record --answers`) is in
//! `questionnaire.rs`.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::support::TestEnv;

/// Runs a command in English (its wording is what these tests check; the
/// Japanese is checked in `lang_ja.rs`) and returns its stdout.
fn stdout(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd
        .env("TENKEN_LANG", "en")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn json(cmd: &mut assert_cmd::Command) -> Value {
    serde_json::from_str(&stdout(cmd)).unwrap()
}

/// `git status --porcelain` and the number of commits: what a refusal must
/// leave unchanged.
fn state(env: &TestEnv, repo: &Path) -> (String, String) {
    (
        env.git(repo, &["status", "--porcelain", "--untracked-files=all"]),
        env.git(repo, &["rev-list", "--count", "HEAD"]),
    )
}

fn add(env: &TestEnv, id: &str, criticality: &str) {
    env.tenken_in_repo()
        .args(["subjects", "add", id, "--kind", "supplier", "--name"])
        .arg(format!("{id} KK"))
        .args(["--criticality", criticality])
        .assert()
        .success();
}

/// The ids of the bundled supplier check's items, in walk order.
fn items(repo: &Path) -> Vec<String> {
    let catalog = tenken::load::catalog(repo).unwrap();
    catalog.inspections[&tenken::model::Id::new("supplier-check").unwrap()]
        .items()
        .map(|(_, i)| i.id.to_string())
        .collect()
}

/// Records a supplier check on `date` with every item answered `choice`;
/// `action` puts a corrective action on the first item.
fn check(env: &TestEnv, subject: &str, date: &str, choice: &str, action: bool) {
    let mut ron = String::from("{\n");
    for (n, item) in items(&env.repo()).iter().enumerate() {
        let extra = if action && n == 0 {
            r#", action: Some((text: "Ask for a remediation plan", owner: "Sato", due: "2026-12-31"))"#
        } else {
            ""
        };
        let _ = writeln!(
            ron,
            "  \"{item}\": (choice: \"{choice}\", note: \"seen on site\"{extra}),"
        );
    }
    ron.push('}');
    let file = env.home.path().join(format!("{subject}-{date}.ron"));
    std::fs::write(&file, ron).unwrap();
    env.tenken_in_repo()
        .args([
            "record",
            "supplier-check",
            "--subject",
            subject,
            "--answers",
        ])
        .arg(&file)
        .args(["--date", date])
        .assert()
        .success();
}

#[test]
fn register_edits_are_validated_commits_authored_by_the_inspector() {
    let env = TestEnv::new();
    let repo = env.init();
    // An unrelated change in the work tree must stay out of the commits.
    std::fs::write(repo.join("notes.txt"), "draft").unwrap();
    let out = stdout(env.tenken_in_repo().args([
        "subjects",
        "add",
        "aoba",
        "--kind",
        "supplier",
        "--name",
        "あおば会計 (Aoba Accounting)",
        "--criticality",
        "3",
        "--tag",
        "cloud",
        "--service",
        "payroll",
        "--data",
        "personal data",
        "--contact",
        "kato@aoba.example",
    ]));
    let head = env.git(&repo, &["rev-parse", "HEAD"]);
    assert_eq!(out, format!("Added supplier aoba\nCommit: {head}"));
    let log = |n: &str| env.git(&repo, &["log", "-n", n, "--format=%an|%ae|%s"]);
    assert_eq!(log("1"), "Sato Hanako|sato@example.jp|register: add aoba\n");
    assert_eq!(
        env.git(&repo, &["show", "--name-only", "--format=", "HEAD"]),
        "subjects.ron\n"
    );
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "?? notes.txt\n");

    env.tenken_in_repo()
        .args([
            "subjects",
            "edit",
            "aoba",
            "--criticality",
            "2",
            "--tag",
            "",
        ])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "委託先 `aoba` を変更しました\n",
        ));
    env.tenken_in_repo()
        .args(["subjects", "retire", "aoba"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "委託先 `aoba` の登録を終了しました\n",
        ));
    assert_eq!(
        log("3"),
        "Sato Hanako|sato@example.jp|register: retire aoba\n\
         Sato Hanako|sato@example.jp|register: edit aoba\n\
         Sato Hanako|sato@example.jp|register: add aoba\n"
    );
    // Each commit changed subjects.ron alone.
    assert_eq!(
        env.git(&repo, &["log", "-n", "3", "--name-only", "--format="]),
        "subjects.ron\nsubjects.ron\nsubjects.ron\n"
    );
    let diff = env.git(
        &repo,
        &["show", "--format=", "HEAD~1", "--", "subjects.ron"],
    );
    assert!(diff.contains("-            criticality: 3,"), "{diff}");
    assert!(diff.contains("+            criticality: 2,"), "{diff}");

    let subjects = json(env.tenken_in_repo().args(["subjects", "--format", "json"]));
    assert_eq!(
        subjects[1],
        serde_json::json!({
            "id": "aoba",
            "kind": "supplier",
            "name": "あおば会計 (Aoba Accounting)",
            "names": {"ja": "あおば会計 (Aoba Accounting)", "en": "あおば会計 (Aoba Accounting)"},
            "contact": "kato@aoba.example",
            "services": ["payroll"],
            "data_handled": ["personal data"],
            "criticality": 2,
            "tags": [],
            "retired": true,
        })
    );
    env.tenken_in_repo()
        .arg("check")
        .assert()
        .success()
        .stdout("すべてのファイルに問題はありません。\n");

    // Refusals leave the work tree and the history as they were.
    let before = state(&env, &repo);
    let refusals: &[(&[&str], i32, &str)] = &[
        (
            &[
                "subjects", "add", "aoba", "--kind", "site", "--name", "Again",
            ],
            1,
            "エラー: 対象 `aoba` はすでに subjects.ron にあります\nヒント: 変更するには `tenken subjects edit aoba` を使ってください\n",
        ),
        (
            &["subjects", "edit", "nobody", "--name", "X"],
            1,
            "エラー: 対象 `nobody` は subjects.ron にありません\nヒント: 登録されている対象は `tenken subjects` で一覧できます\n",
        ),
        (
            &["subjects", "edit", "aoba"],
            1,
            "エラー: 対象 `aoba` に変更する内容がありません\nヒント: `--name` や `--criticality` など、変更する項目を指定してください\n",
        ),
        (
            &["subjects", "retire", "aoba"],
            1,
            "エラー: 対象 `aoba` はすでに登録を終了しています\n",
        ),
        (
            &["subjects", "retire", "self"],
            1,
            "エラー: 対象 `self` は組織そのものなので、登録を終了できません\n",
        ),
        (
            &["subjects", "add", "Aoba", "--kind", "site", "--name", "X"],
            2,
            "エラー: `<ID>` の `Aoba` は使えません: ID `Aoba` は英小文字（a-z）か数字で始めてください\nヒント: 使い方は `tenken subjects add --help` で確かめられます\n",
        ),
        (
            &["subjects", "add", "x", "--kind", "site", "--name", " "],
            1,
            "エラー: --name を空にはできません\n",
        ),
        (
            &["subjects", "edit", "aoba", "--criticality", "4"],
            2,
            "エラー: `--criticality <1-3>` の `4` は使えません: 1 から 3 までの整数で指定してください\nヒント: 使い方は `tenken subjects edit --help` で確かめられます\n",
        ),
        (
            &["subjects", "add", "x", "--kind", "vendor", "--name", "X"],
            2,
            "エラー: `--kind <KIND>` に `vendor` は指定できません\nヒント: 指定できる値: `organisation`, `site`, `supplier`\nヒント: 使い方は `tenken subjects add --help` で確かめられます\n",
        ),
        (
            &[
                "--restricted",
                "subjects",
                "add",
                "x",
                "--kind",
                "site",
                "--name",
                "X",
            ],
            1,
            "エラー: 点検者 `sato` は制限モードで対象の登録を変更できません\nヒント: 管理者が tenken.ron でその点検者に `edit_register: true` を設定できます\n",
        ),
    ];
    for (args, code, stderr) in refusals {
        let out = env.tenken_in_repo().args(*args).assert().code(*code);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.starts_with(stderr), "{args:?}: {err}");
        assert_eq!(state(&env, &repo), before, "{args:?}");
    }
}

#[test]
fn a_retired_supplier_keeps_its_history_and_leaves_the_due_list() {
    let env = TestEnv::new();
    let repo = env.init();
    add(&env, "kumo", "2");
    check(&env, "kumo", "2026-06-01", "yes", false);
    let due = json(env.tenken_in_repo().args(["due", "--format", "json"]));
    let kumo = due
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["subject"] == "kumo")
        .unwrap();
    assert_eq!(
        kumo,
        &serde_json::json!({
            "subject": "kumo",
            "inspection": "supplier-check",
            "every": "year",
            "last_date": "2026-06-01",
            "due_date": "2028-03-31",
            "overdue": false,
        })
    );
    env.tenken_in_repo()
        .args(["subjects", "retire", "kumo"])
        .assert()
        .success();
    let due = stdout(env.tenken_in_repo().arg("due"));
    assert!(!due.contains("kumo"), "{due}");
    let history =
        json(
            env.tenken_in_repo()
                .args(["history", "--subject", "kumo", "--format", "json"]),
        );
    assert_eq!(history.as_array().unwrap().len(), 1, "history is kept");
    assert_eq!(
        stdout(env.tenken_in_repo().args(["suppliers"])),
        "No suppliers in the register; add one with `tenken subjects add ID --kind supplier --name NAME`.\n"
    );
    let all = json(
        env.tenken_in_repo()
            .args(["suppliers", "--retired", "--format", "json"]),
    );
    assert_eq!(all[0]["id"], "kumo");
    assert_eq!(all[0]["retired"], true);
    assert_eq!(all[0]["due"], Value::Null);
    assert_eq!(all[0]["last_date"], "2026-06-01");
    // `edit --reinstate` brings it back into the schedule.
    env.tenken_in_repo()
        .args(["subjects", "edit", "kumo", "--reinstate"])
        .assert()
        .success();
    assert!(stdout(env.tenken_in_repo().arg("due")).contains("kumo"));
    assert_eq!(
        env.git(&repo, &["log", "-2", "--format=%s"]),
        "register: edit kumo\nregister: retire kumo\n"
    );
}

/// Four suppliers with known results (all answers equal, so percents are
/// exact): `nimbus` (criticality 3, 100% → 50%, one open action), `kumo`
/// (2, 50% two years ago: overdue), `minato` (1, never checked) and `aoba`
/// (3, 50% → 100%).
fn review_repo(env: &TestEnv) {
    env.init();
    for (id, criticality) in [
        ("aoba", "3"),
        ("kumo", "2"),
        ("minato", "1"),
        ("nimbus", "3"),
    ] {
        add(env, id, criticality);
    }
    check(env, "kumo", "2024-06-01", "partly", false);
    check(env, "aoba", "2025-10-01", "partly", false);
    check(env, "aoba", "2026-10-01", "yes", false);
    check(env, "nimbus", "2026-04-10", "yes", false);
    check(env, "nimbus", "2026-11-01", "partly", true);
}

fn order(env: &TestEnv, sort: &str) -> Vec<String> {
    let rows = json(
        env.tenken_in_repo()
            .args(["suppliers", "--sort", sort, "--format", "json"]),
    );
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn supplier_review_orders_by_risk_overdue_and_change() {
    let env = TestEnv::new();
    review_repo(&env);
    // Risk = criticality × shortfall (docs/suppliers.md): kumo 2 × (50 +
    // 50 × 239/365.25) = 165.4, its yearly check 239 days overdue; nimbus
    // 3 × 50 = 150; minato 1 × 100 (never checked); aoba 0.
    assert_eq!(order(&env, "risk"), ["kumo", "nimbus", "minato", "aoba"]);
    // Overdue first, then the soonest due date (never checked: today).
    assert_eq!(order(&env, "overdue"), ["kumo", "minato", "nimbus", "aoba"]);
    // Worst change first; those without a previous check last, by risk.
    assert_eq!(order(&env, "change"), ["nimbus", "aoba", "kumo", "minato"]);

    let rows = json(env.tenken_in_repo().args(["suppliers", "--format", "json"]));
    let nimbus = &rows[1];
    assert_eq!(
        nimbus,
        &serde_json::json!({
            "id": "nimbus",
            "name": "nimbus KK",
            "names": {"ja": "nimbus KK", "en": "nimbus KK"},
            "criticality": 3,
            "last_run": "nimbus/supplier-check/2026-11-01T090000-sato",
            "last_date": "2026-11-01",
            "percent": 50.0,
            "delta": -50.0,
            "due": "2028-03-31",
            "overdue": false,
            "open_actions": 1,
            "overdue_actions": 0,
            "band": nimbus["band"],
            "risk": 150.0,
            "every": "year",
            "trend": [100.0, 50.0],
            "retired": false,
        })
    );
    assert!(nimbus["band"].is_string());
    let kumo = &rows[0];
    assert_eq!(
        (
            &kumo["due"],
            &kumo["overdue"],
            &kumo["delta"],
            &kumo["risk"]
        ),
        (
            &Value::from("2026-03-31"),
            &Value::from(true),
            &Value::Null,
            &Value::from(165.4)
        )
    );
    let minato = &rows[2];
    assert_eq!(
        (&minato["last_run"], &minato["percent"], &minato["due"]),
        (&Value::Null, &Value::Null, &Value::from("2026-11-25"))
    );

    let text = stdout(
        env.tenken_in_repo()
            .args(["suppliers", "--sort", "overdue"]),
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("SUPPLIER  NAME       CRIT  LAST CHECK"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("kumo") && lines[1].ends_with("OVERDUE"),
        "{text}"
    );
    assert!(lines[2].ends_with("never checked"), "{text}");
    assert_eq!(
        lines.last(),
        Some(&"4 suppliers, 1 overdue; sorted by overdue.")
    );

    // `due --within` keeps what falls due in that many days, overdue included.
    let due = json(
        env.tenken_in_repo()
            .args(["due", "--within", "0", "--format", "json"]),
    );
    let pairs: Vec<(&str, &str, bool)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["subject"].as_str().unwrap(),
                d["inspection"].as_str().unwrap(),
                d["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("kumo", "supplier-check", true),
            ("minato", "supplier-check", false),
            ("self", "incident-readiness", false),
            ("self", "ipa-five-principles", false),
            ("self", "ipa-self-check", false),
            ("self", "rules-compliance", false),
            ("self", "telework", false),
        ]
    );
}

/// Runs a read command of the demo in `lang` and returns its stdout.
fn demo_out(env: &TestEnv, lang: &str, args: &[&str]) -> String {
    let out = env
        .tenken_in_repo()
        .args(["--lang", lang])
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// Names in the chosen language (issue 17): the demo's suppliers have a
/// Japanese and an English name; tables and JSON show the one of the
/// language asked for, never "ひかり印刷 (Hik…", and JSON also gives both.
#[test]
fn regression_issue_17_names_show_in_the_chosen_language() {
    let env = TestEnv::new();
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();
    let both = serde_json::json!({"ja": "ひかり印刷", "en": "Hikari Printing"});
    for (lang, mine, other) in [
        ("en", "Hikari Printing", "ひかり印刷"),
        ("ja", "ひかり印刷", "Hikari Printing"),
    ] {
        for args in [&["suppliers"][..], &["subjects"], &["path"]] {
            let table = demo_out(&env, lang, args);
            assert!(table.contains(mine), "{lang} {args:?}:\n{table}");
            assert!(!table.contains(other), "{lang} {args:?}:\n{table}");
        }
        // The questionnaire says whose it is in that language too.
        let file = env.repo().join(format!("hikari-{lang}.csv"));
        let said = demo_out(
            &env,
            lang,
            &[
                "suppliers",
                "export",
                "hikari-print",
                "-o",
                file.to_str().unwrap(),
            ],
        );
        assert!(said.contains(mine) && !said.contains(other), "{said}");
        let csv = std::fs::read_to_string(&file).unwrap();
        let header: Vec<&str> = csv.lines().take(3).collect();
        assert!(
            header
                .iter()
                .any(|l| l.ends_with(&format!(",{mine},,,,,,,"))),
            "{header:?}"
        );
        assert!(!csv.contains(other), "{header:?}");
        std::fs::remove_file(&file).unwrap();
        for args in [
            &["suppliers", "--format", "json"][..],
            &["subjects", "--format", "json"],
        ] {
            let rows: Value = serde_json::from_str(&demo_out(&env, lang, args)).unwrap();
            let rows = rows.as_array().unwrap();
            let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
            let hikari = row("hikari-print");
            assert_eq!(hikari["name"], mine, "{args:?}");
            assert_eq!(hikari["names"], both, "{args:?}");
            // A plain name is the same in both languages.
            let nimbus = row("nimbus-mail");
            assert_eq!(nimbus["name"], "Nimbus Mail");
            assert_eq!(
                nimbus["names"],
                serde_json::json!({"ja": "Nimbus Mail", "en": "Nimbus Mail"})
            );
        }
    }
    // Services and the data handled are in the chosen language too.
    let subjects: Value =
        serde_json::from_str(&demo_out(&env, "ja", &["subjects", "--format", "json"])).unwrap();
    let aoba = subjects
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "aoba-accounting")
        .unwrap();
    assert_eq!(aoba["services"], serde_json::json!(["給与計算", "記帳"]));
    assert_eq!(
        aoba["data_handled"],
        serde_json::json!(["従業員のマイナンバー", "給与"])
    );
}

/// `subjects edit --name-ja/--name-en` change one language and keep the
/// other; a plain name stays a plain string in `subjects.ron` when the
/// register is rewritten, a bilingual one stays bilingual (issue 17).
#[test]
fn regression_issue_17_bilingual_names_through_the_cli_keep_the_file_small() {
    let env = TestEnv::new();
    let repo = env.init();
    add(&env, "aoba", "3");
    add(&env, "kumo", "2");
    let ron = || std::fs::read_to_string(repo.join("subjects.ron")).unwrap();
    assert!(ron().contains("name: \"aoba KK\","), "{}", ron());
    stdout(env.tenken_in_repo().args([
        "subjects",
        "edit",
        "aoba",
        "--name-ja",
        "あおば会計",
        "--name-en",
        "Aoba Accounting",
    ]));
    let diff = env.git(&repo, &["show", "--format=", "HEAD", "--", "subjects.ron"]);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with(['+', '-']) && !l.starts_with("+++") && !l.starts_with("---"))
        .collect();
    // Only aoba's name changed: its one line became the bilingual text.
    assert_eq!(
        changed,
        [
            "-            name: \"aoba KK\",",
            "+            name: Text(",
            "+                ja: \"あおば会計\",",
            "+                en: \"Aoba Accounting\",",
            "+            ),",
        ],
        "{diff}"
    );
    // The English form alone changes; the Japanese one stays.
    stdout(
        env.tenken_in_repo()
            .args(["subjects", "edit", "aoba", "--name-en", "Aoba KK"]),
    );
    let names = |lang: &str| {
        let rows: Value = serde_json::from_str(&stdout(
            env.tenken_in_repo()
                .args(["--lang", lang, "subjects", "--format", "json"]),
        ))
        .unwrap();
        rows[1]["name"].as_str().unwrap().to_owned()
    };
    assert_eq!(
        (names("ja"), names("en")),
        ("あおば会計".into(), "Aoba KK".into())
    );
    // Editing another detail rewrites the file: names stay as written.
    stdout(
        env.tenken_in_repo()
            .args(["subjects", "edit", "kumo", "--criticality", "3"]),
    );
    let text = ron();
    assert!(text.contains("name: \"kumo KK\","), "{text}");
    assert!(text.contains("ja: \"あおば会計\""), "{text}");
    env.tenken_in_repo().arg("check").assert().success();
    // Removing the English form leaves the Japanese one as a plain name.
    stdout(
        env.tenken_in_repo()
            .args(["subjects", "edit", "aoba", "--name-en", ""]),
    );
    assert!(ron().contains("name: \"あおば会計\","), "{}", ron());

    // A name in a language tenken does not know is refused where it is.
    let bad = ron().replace("name: \"kumo KK\",", "name: (ja: \"くも\", fr: \"nuage\"),");
    std::fs::write(repo.join("subjects.ron"), bad).unwrap();
    let out = env
        .tenken_in_repo()
        .args(["--lang", "en", "check"])
        .assert()
        .code(3)
        .get_output()
        .clone();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("subjects.ron:") && said.contains(": unknown language `fr` in a name"),
        "{said}"
    );
}
