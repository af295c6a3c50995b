//! Corrective actions and the risk register through the real binary
//! (issue 8): `tenken actions` over runs recorded with `record` (open,
//! overdue, closed by the best answer and by `--closes`), its filters and
//! JSON; `tenken risks` over assessments committed through the store
//! (every matrix cell, the personal-data override, the `tenken.ron`
//! override), `--sort value` and `--compare`; and the demo showing every
//! state.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, NaiveDate};
use serde_json::Value;
use tenken::clock::Clock;
use tenken::model::{
    Asset, FORMAT, Id, Inspector, PersonalData, RiskAssessment, Threat, Treatment,
};
use tenken::store::Store;

use crate::support::TestEnv;

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn json(cmd: &mut assert_cmd::Command) -> Value {
    serde_json::from_str(&stdout(cmd)).unwrap()
}

/// Snapshots the JSON a command prints, as printed (field order
/// included), and returns it parsed.
fn json_snapshot(name: &str, cmd: &mut assert_cmd::Command) -> Value {
    let text = stdout(cmd);
    insta::assert_snapshot!(name, text);
    serde_json::from_str(&text).unwrap()
}

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

/// Records a five-principles run on `date`: `answers` is one spec per item
/// 1–5, `choice` or `choice!due!owner!text` (an action).
fn record(env: &TestEnv, subject: &str, date: &str, answers: [&str; 5], closes: &[&str]) {
    let mut ron = String::from("{\n");
    for (n, spec) in answers.iter().enumerate() {
        let mut parts = spec.split('!');
        let choice = parts.next().unwrap();
        let note = if choice == "no" {
            r#", note: "not started""#
        } else {
            ""
        };
        let action = match (parts.next(), parts.next(), parts.next()) {
            (Some(due), Some(owner), Some(text)) => {
                format!(r#", action: Some((text: "{text}", owner: "{owner}", due: "{due}"))"#)
            }
            _ => String::new(),
        };
        writeln!(
            ron,
            "  \"{}\": (choice: \"{choice}\"{note}{action}),",
            n + 1
        )
        .unwrap();
    }
    ron.push('}');
    let file = env.home.path().join(format!("{subject}-{date}.ron"));
    std::fs::write(&file, ron).unwrap();
    let mut cmd = env.tenken_in_repo();
    cmd.args([
        "record",
        "ipa-five-principles",
        "--subject",
        subject,
        "--answers",
    ])
    .arg(&file)
    .args(["--date", date]);
    for c in closes {
        cmd.args(["--closes", c]);
    }
    cmd.assert().success();
}

const R1: &str = "self/ipa-five-principles/2026-04-20T090000-sato";
const R2: &str = "self/ipa-five-principles/2026-07-21T090000-sato";

/// A repository where, on 2026-11-25, the first run's action on item 2 is
/// closed by the best answer, on item 4 closed explicitly (replaced by a
/// new, now overdue, action), on item 3 still open; plus an open action
/// of another subject.
fn history() -> TestEnv {
    let env = TestEnv::new();
    env.init();
    env.tenken_in_repo()
        .args(["subjects", "add", "osaka", "--kind", "site", "--name"])
        .arg("大阪営業所 (Osaka)")
        .assert()
        .success();
    record(
        &env,
        "self",
        "2026-04-20",
        [
            "yes",
            "partly!2026-06-30!Suzuki!Patch the laptops",
            "no!2026-12-31!佐藤 (Sato)!パスワード規程を作る",
            "partly!2026-09-30!佐藤 (Sato)!Back up the NAS",
            "yes",
        ],
        &[],
    );
    record(
        &env,
        "self",
        "2026-07-21",
        [
            "yes",
            "yes",
            "partly",
            "partly!2026-10-31!Tanaka!Back up the NAS offline",
            "yes",
        ],
        &[&format!("{R1}#4")],
    );
    record(
        &env,
        "osaka",
        "2026-10-01",
        [
            "no!2027-01-31!佐藤 (Sato)!Update the branch PCs",
            "yes",
            "yes",
            "yes",
            "yes",
        ],
        &[],
    );
    env
}

#[test]
fn actions_open_by_default_overdue_first() {
    let env = history();
    // The English wording; lang_ja.rs checks the Japanese.
    let text = stdout(env.tenken_in_repo().args(["--lang", "en", "actions"]));
    insta::assert_snapshot!("actions_open_text", text);
    let rows = json_snapshot(
        "actions_open_json",
        env.tenken_in_repo().args(["actions", "--format", "json"]),
    );
    // Without --all the shape is exactly DESIGN §7's.
    for row in rows.as_array().unwrap() {
        let mut keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "due",
                "inspection",
                "item",
                "overdue",
                "owner",
                "run",
                "subject",
                "text"
            ]
        );
    }
}

#[test]
fn actions_all_show_how_each_was_closed() {
    let env = history();
    let text = stdout(
        env.tenken_in_repo()
            .args(["--lang", "en", "actions", "--all"]),
    );
    insta::assert_snapshot!("actions_all_text", text);
    let rows = json_snapshot(
        "actions_all_json",
        env.tenken_in_repo()
            .args(["actions", "--all", "--format", "json"]),
    );
    let closed: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "closed")
        .map(|r| {
            (
                r["item"].as_str().unwrap(),
                r["closed_by"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(closed, [("2", R2), ("4", R2)]);
}

#[test]
fn actions_filters() {
    let env = history();
    let items = |args: &[&str]| -> Vec<String> {
        let mut cmd = env.tenken_in_repo();
        cmd.arg("actions").args(args).args(["--format", "json"]);
        json(&mut cmd)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{}#{}",
                    r["run"].as_str().unwrap(),
                    r["item"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(items(&["--overdue"]), [format!("{R2}#4")]);
    assert_eq!(
        items(&["--owner", "SATO"]),
        [
            format!("{R1}#3"),
            "osaka/ipa-five-principles/2026-10-01T090000-sato#1".to_owned()
        ]
    );
    assert_eq!(
        items(&["--subject", "osaka"]),
        ["osaka/ipa-five-principles/2026-10-01T090000-sato#1"]
    );
    assert_eq!(items(&["--all", "--owner", "suzuki"]), [format!("{R1}#2")]);
    let text = stdout(env.tenken_in_repo().args(["actions", "--owner", "nobody"]));
    assert_eq!(text, "条件に合う是正処置はありません。\n");
    env.tenken_in_repo()
        .args(["actions", "--subject", "nagoya"])
        .assert()
        .code(1)
        .stderr(
            "エラー: 対象 `nagoya` は subjects.ron にありません\nヒント: 登録されている対象: osaka, self\n",
        );
    env.tenken_in_repo()
        .args(["actions", "--open", "--all"])
        .assert()
        .code(2);
}

#[test]
fn record_closes_only_open_actions() {
    let env = history();
    let file = env.home.path().join("again.ron");
    std::fs::write(
        &file,
        r#"{"1": (choice: "yes"), "2": (choice: "yes"), "3": (choice: "yes"), "4": (choice: "yes"), "5": (choice: "yes")}"#,
    )
    .unwrap();
    // Item 2 of the first run is closed already.
    let out = env
        .tenken_in_repo()
        .args([
            "record",
            "ipa-five-principles",
            "--subject",
            "self",
            "--answers",
        ])
        .arg(&file)
        .args(["--closes", &format!("{R1}#2")])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    insta::assert_snapshot!("record_closes_refused", String::from_utf8(out).unwrap());
}

#[test]
fn no_actions_yet() {
    let env = TestEnv::new();
    env.init();
    assert_eq!(
        stdout(env.tenken_in_repo().arg("actions")),
        "未完了の是正処置はありません。\n"
    );
    assert_eq!(
        stdout(
            env.tenken_in_repo()
                .args(["--lang", "en", "actions", "--all"])
        ),
        "No corrective actions recorded yet.\n"
    );
    assert_eq!(
        stdout(env.tenken_in_repo().args(["actions", "--format", "json"])),
        "[]\n"
    );
}

// ---- the risk register ----

fn sato() -> Inspector {
    Inspector {
        id: id("sato"),
        name: "Sato Hanako".into(),
        email: "sato@example.jp".into(),
    }
}

fn threat(tid: &str, title: &str, t: u8, v: u8, treatment: Treatment, plan: &str) -> Threat {
    Threat {
        id: id(tid),
        title: title.into(),
        threat: t,
        vulnerability: v,
        treatment,
        plan: plan.into(),
        category: None,
        derived: None,
    }
}

fn asset(
    aid: &str,
    name: &str,
    cia: (u8, u8, u8),
    pd: PersonalData,
    threats: Vec<Threat>,
) -> Asset {
    Asset {
        id: id(aid),
        name: name.into(),
        business: String::new(),
        owner: String::new(),
        medium: String::new(),
        users: String::new(),
        personal_data: pd,
        c: cia.0,
        i: cia.1,
        a: cia.2,
        threats,
    }
}

/// Commits an assessment dated `date` at 17:00 that day.
fn commit(repo: &Path, date: &str, assets: Vec<Asset>) -> String {
    let store = Store::open(repo).unwrap();
    let at = DateTime::parse_from_rfc3339(&format!("{date}T17:00:00+09:00")).unwrap();
    let (risk, _) = store
        .commit_risk(
            RiskAssessment {
                format: FORMAT,
                id: String::new(),
                assessor: sato(),
                date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
                assets,
            },
            Clock::Fixed(at),
        )
        .unwrap();
    risk.id
}

/// Every threat × vulnerability cell on an importance-2 asset, and a
/// customer list whose C/I/A are all 1 but which holds personal data.
fn every_cell() -> Vec<Asset> {
    let cells = (1..=3)
        .rev()
        .flat_map(|t| {
            (1..=3).rev().map(move |v| {
                threat(
                    &format!("t{t}v{v}"),
                    &format!("threat {t}, vulnerability {v}"),
                    t,
                    v,
                    Treatment::Reduce,
                    "",
                )
            })
        })
        .collect();
    vec![
        asset(
            "quotes",
            "見積書 (quotations)",
            (2, 2, 1),
            PersonalData::None,
            cells,
        ),
        asset(
            "customers",
            "顧客名簿 (customer list)",
            (1, 1, 1),
            PersonalData::Personal,
            vec![
                threat(
                    "leak",
                    "外部からの不正アクセス (breach)",
                    3,
                    2,
                    Treatment::Reduce,
                    "多要素認証 (MFA)",
                ),
                threat("loss", "紛失 (loss)", 1, 1, Treatment::Retain, ""),
            ],
        ),
        asset(
            "catalogue",
            "製品カタログ (catalogue)",
            (1, 1, 1),
            PersonalData::None,
            Vec::new(),
        ),
    ]
}

#[test]
fn risks_every_cell_and_the_personal_data_override() {
    let env = TestEnv::new();
    let repo = env.init();
    assert_eq!(
        stdout(env.tenken_in_repo().arg("risks")),
        "リスク評価はまだありません。TUI のリスク台帳（R）で n を押すと始められます。\n"
    );
    assert_eq!(
        stdout(env.tenken_in_repo().args(["risks", "--format", "json"])),
        "[]\n"
    );
    commit(&repo, "2026-10-01", every_cell());
    insta::assert_snapshot!("risks_text", stdout(env.tenken_in_repo().arg("risks")));
    let rows = json_snapshot(
        "risks_json",
        env.tenken_in_repo().args(["risks", "--format", "json"]),
    );
    // The cells of ipa-facts §3.6 × importance 2 (§3.7), and the
    // customer list forced to importance 3 by its personal data.
    let cell = |asset: &str, threat: &str| {
        let r = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["asset"] == asset && r["threat"] == threat)
            .unwrap();
        (
            r["importance"].as_u64().unwrap(),
            r["likelihood"].as_u64().unwrap(),
            r["value"].as_u64().unwrap(),
            r["level"].as_str().unwrap().to_owned(),
        )
    };
    let expected = [
        ("t3v3", 3, 6, "high"),
        ("t3v2", 2, 4, "medium"),
        ("t3v1", 1, 2, "low"),
        ("t2v3", 2, 4, "medium"),
        ("t2v2", 1, 2, "low"),
        ("t2v1", 1, 2, "low"),
        ("t1v3", 1, 2, "low"),
        ("t1v2", 1, 2, "low"),
        ("t1v1", 1, 2, "low"),
    ];
    for (threat, likelihood, value, level) in expected {
        assert_eq!(
            cell("quotes", threat),
            (2, likelihood, value, level.to_owned()),
            "{threat}"
        );
    }
    assert_eq!(cell("customers", "leak"), (3, 2, 6, "high".to_owned()));
    assert_eq!(cell("customers", "loss"), (3, 1, 3, "low".to_owned()));
    let sorted = stdout(env.tenken_in_repo().args(["risks", "--sort", "value"]));
    insta::assert_snapshot!("risks_sorted_text", sorted);
}

#[test]
fn risks_respect_the_likelihood_override_in_tenken_ron() {
    let env = TestEnv::new();
    let repo = env.init();
    commit(&repo, "2026-10-01", every_cell());
    let path = repo.join("tenken.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "    remote:",
        "    likelihood: Some(((1, 1, 2), (1, 2, 3), (2, 3, 3))),\n    remote:",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let rows = json(env.tenken_in_repo().args(["risks", "--format", "json"]));
    let values: Vec<(String, u64)> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["asset"] == "quotes")
        .map(|r| {
            (
                r["threat"].as_str().unwrap().to_owned(),
                r["likelihood"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, u64)> = [
        ("t3v3", 3),
        ("t3v2", 3),
        ("t3v1", 2),
        ("t2v3", 3),
        ("t2v2", 2),
        ("t2v1", 1),
        ("t1v3", 2),
        ("t1v2", 1),
        ("t1v1", 1),
    ]
    .iter()
    .map(|(t, l)| ((*t).to_owned(), *l))
    .collect();
    assert_eq!(values, expected);
}

#[test]
fn risks_compare_two_assessments() {
    let env = TestEnv::new();
    let repo = env.init();
    let first = commit(&repo, "2025-10-01", every_cell());
    let mut later = every_cell();
    // Measures on the quotations lower two cells; the customer list's
    // breach gets likelier; the loss threat is dropped; a new asset.
    later[0].threats[0].vulnerability = 1;
    later[0].threats[3].threat = 1;
    later[1].threats[0].vulnerability = 3;
    later[1].threats.pop();
    later.push(asset(
        "email",
        "電子メール (email)",
        (2, 2, 3),
        PersonalData::None,
        vec![threat(
            "phishing",
            "なりすましメール (phishing)",
            3,
            3,
            Treatment::Reduce,
            "訓練 (training)",
        )],
    ));
    let second = commit(&repo, "2026-10-01", later);
    let text = stdout(
        env.tenken_in_repo()
            .args(["risks", "--compare", "previous", "latest"]),
    );
    insta::assert_snapshot!("risks_compare_text", text);
    // The default compares the previous assessment with the latest; ids
    // and dates name assessments too.
    assert_eq!(
        stdout(env.tenken_in_repo().args(["risks", "--compare"])),
        text
    );
    assert_eq!(
        stdout(
            env.tenken_in_repo()
                .args(["risks", "--compare", &first, &second])
        ),
        text
    );
    assert_eq!(
        stdout(
            env.tenken_in_repo()
                .args(["risks", "--compare", "2025-10-01", "2026-10-01"])
        ),
        text
    );
    let cmp = json_snapshot(
        "risks_compare_json",
        env.tenken_in_repo()
            .args(["risks", "--compare", "--format", "json"]),
    );
    assert_eq!(
        cmp["summary"],
        serde_json::json!({"rose": 1, "fell": 2, "appeared": 1, "disappeared": 1, "unchanged": 7})
    );
    env.tenken_in_repo()
        .args(["risks", "--compare", "2024-01-01", "latest"])
        .assert()
        .code(1)
        .stderr(format!(
            "error: no risk assessment `2024-01-01`; known: {first}, {second}\n"
        ));
}

#[test]
fn the_demo_shows_every_state() {
    let env = TestEnv::new();
    let dir = env.home.path().join("demo");
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(&dir)
        .assert()
        .success();
    let in_demo = || {
        let mut cmd = env.tenken();
        cmd.arg("--repo").arg(&dir);
        cmd
    };
    let rows = json(in_demo().args(["actions", "--all", "--format", "json"]));
    let count = |status: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] == status)
            .count()
    };
    assert!(count("open") > 0, "open actions");
    assert!(count("overdue") > 0, "overdue actions");
    assert!(count("closed") > 0, "closed actions");
    let text = stdout(in_demo().args(["actions", "--all"]));
    assert!(text.contains("(best answer)"), "closed by a best answer");
    assert!(text.contains("(closed explicitly)"), "closed explicitly");
    let cmp = json(in_demo().args(["risks", "--compare", "--format", "json"]));
    for change in ["rose", "fell", "appeared", "disappeared"] {
        assert!(cmp["summary"][change].as_u64().unwrap() > 0, "{change}");
    }
    let risks = json(in_demo().args(["risks", "--format", "json"]));
    for level in ["high", "medium", "low"] {
        assert!(
            risks
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["level"] == level),
            "{level}"
        );
    }
}
