//! Issue 18: the management structure (`roles.ron`): written by `init`,
//! validated by `check` with every problem located, listed and changed by
//! `tenken roles` with one commit per change (checked with the real git),
//! and guarded by `edit_register` in restricted mode.

use std::path::Path;

use crate::support::TestEnv;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Adds per-inspector settings to tenken.ron and commits them.
fn inspectors(env: &TestEnv, repo: &Path, entries: &str) {
    let config = repo.join("tenken.ron");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.trim_end().strip_suffix(')').unwrap().to_owned()
        + &format!("    inspectors: {{\n{entries}\n    }},\n)\n");
    std::fs::write(&config, text).unwrap();
    env.git(repo, &["commit", "-qam", "inspectors"]);
}

#[test]
fn init_writes_the_starter_structure_and_check_accepts_it() {
    let env = TestEnv::new();
    let repo = env.init();
    assert_eq!(
        env.git(&repo, &["ls-files", "roles.ron"]),
        "roles.ron\n",
        "committed by init"
    );
    env.tenken_in_repo().arg("check").assert().success();
    let out = env
        .tenken_in_repo()
        .args(["--lang", "en", "roles"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for role in [
        "executive",
        "security-lead",
        "department-lead",
        "system-admin",
        "training-lead",
        "inspection-lead",
        "incident-lead",
        "my-number-lead",
    ] {
        assert!(text.contains(role), "{role} missing:\n{text}");
    }
    assert!(
        text.contains("Information-security committee: none"),
        "{text}"
    );
    assert!(
        text.contains("Nobody is the inspection lead (inspection-lead) yet"),
        "{text}"
    );
}

#[test]
fn set_commits_only_roles_ron_authored_by_the_inspector() {
    let env = TestEnv::new();
    let repo = env.init();
    // Something else changed in the work tree must stay out of the commit.
    std::fs::write(repo.join("notes.txt"), "not mine to commit\n").unwrap();
    let out = env
        .tenken_in_repo()
        .args([
            "--lang",
            "en",
            "roles",
            "set",
            "inspection-lead",
            "sato",
            "name:山本 太郎",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("Set: Inspection lead (sato, 山本 太郎)\nCommit: "),
        "{text}"
    );
    assert_eq!(
        env.git(&repo, &["log", "-1", "--format=%an <%ae>%n%s"]),
        "Sato Hanako <sato@example.jp>\nroles: set inspection-lead\n"
    );
    assert_eq!(
        env.git(&repo, &["show", "--name-only", "--format=", "HEAD"]),
        "roles.ron\n"
    );
    assert_eq!(
        env.git(&repo, &["status", "--porcelain"]),
        "?? notes.txt\n",
        "roles.ron committed as written, nothing else touched"
    );
    let file = env.git(&repo, &["show", "HEAD:roles.ron"]);
    assert!(
        file.contains(
            r#"holders: [
                Inspector("sato"),
                Person("山本 太郎"),
            ],"#
        ),
        "{file}"
    );

    // The committee and a role of the company's own, each a commit.
    env.tenken_in_repo()
        .args([
            "roles",
            "add",
            "auditor",
            "--title-ja",
            "内部監査担当",
            "tanaka",
        ])
        .assert()
        .success();
    env.tenken_in_repo()
        .args([
            "roles",
            "committee",
            "--chair",
            "role:executive",
            "role:security-lead",
            "role:auditor",
            "--meets",
            "四半期に一度",
        ])
        .assert()
        .success();
    assert_eq!(
        env.git(&repo, &["log", "-3", "--format=%s"]),
        "roles: committee\nroles: add auditor\nroles: set inspection-lead\n"
    );
    let out = env
        .tenken_in_repo()
        .args(["--lang", "ja", "roles", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let committee = &json["committee"];
    assert_eq!(committee["chair"]["role"]["id"], "executive");
    assert_eq!(committee["members"][1]["role"]["id"], "auditor");
    assert_eq!(committee["meets"], "四半期に一度");
    let auditor = json["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "auditor")
        .unwrap();
    assert_eq!(auditor["title"], "内部監査担当");
    assert_eq!(auditor["holders"][0]["inspector"]["id"], "tanaka");
    env.tenken_in_repo().arg("check").assert().success();

    // A removed role that still sits on the committee is refused, nothing committed.
    let out = env
        .tenken_in_repo()
        .args(["roles", "remove", "auditor"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "エラー: 役割 `auditor` は委員会に入っています\nヒント: 先に `tenken roles committee MEMBER…` で委員会から外してください\n"
    );
    assert_eq!(
        env.git(&repo, &["log", "-1", "--format=%s"]),
        "roles: committee\n"
    );
}

#[test]
fn check_reports_every_problem_of_roles_ron_with_the_others() {
    let env = TestEnv::new();
    let repo = env.init();
    std::fs::write(
        repo.join("roles.ron"),
        r#"Roles(
    format: 1,
    roles: [
        Role(id: "inspection-lead", title: (en: "Inspection lead"), holders: [Role("executive")]),
        Role(id: "inspection-lead", title: (ja: "点検責任者")),
    ],
    committee: Some(Committee(members: [Role("auditor")])),
)
"#,
    )
    .unwrap();
    let subjects = std::fs::read_to_string(repo.join("subjects.ron")).unwrap();
    std::fs::write(
        repo.join("subjects.ron"),
        subjects.replace("criticality: 3", "criticality: 7"),
    )
    .unwrap();
    let out = env.tenken_in_repo().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    let shown = format!("{}{}", stdout(&out), stderr(&out));
    // In the repository's language (Japanese, `tenken init`'s default).
    for line in [
        "roles.ron:4:84: 役割 `inspection-lead` の担当が役割 `executive` になっています。担当は点検者（`Inspector(\"id\")`）か人（`Person(\"name\")`）にしてください",
        "roles.ron:5:18: 役割の `id` `inspection-lead` が2つあります",
        "roles.ron:7:46: 委員会にある役割 `auditor` は roles.ron にありません",
        "subjects.ron:8:13: `self` の `criticality` は 1・2・3 のどれかにしてください（7 になっています）",
    ] {
        assert!(shown.contains(line), "missing `{line}` in:\n{shown}");
    }
    // Every other command refuses to work from a broken structure.
    let out = env.tenken_in_repo().arg("roles").output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn a_repository_without_roles_ron_still_works() {
    let env = TestEnv::new();
    let repo = env.init();
    env.git(&repo, &["rm", "-q", "roles.ron"]);
    env.git(&repo, &["commit", "-qm", "no roles"]);
    env.tenken_in_repo().arg("check").assert().success();
    let out = env
        .tenken_in_repo()
        .args(["--lang", "en", "roles"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "No roles yet. Write them in roles.ron, or add one with `tenken roles add ROLE`.\n"
    );
    // The first change writes the file and commits it.
    env.tenken_in_repo()
        .args([
            "roles",
            "add",
            "inspection-lead",
            "--title-en",
            "Inspection lead",
            "sato",
        ])
        .assert()
        .success();
    assert_eq!(
        env.git(&repo, &["show", "--name-status", "--format=%s", "HEAD"]),
        "roles: add inspection-lead\n\nA\troles.ron\n"
    );
}

#[test]
fn restricted_mode_needs_edit_register_to_change_the_structure() {
    let env = TestEnv::new();
    let repo = env.init();
    inspectors(
        &env,
        &repo,
        r#"        "sato": (name: "Sato Hanako"),
        "tanaka": (edit_register: true),"#,
    );
    let restricted = |who: &str| {
        let mut cmd = env.tenken();
        cmd.args(["--restricted", "--repo"])
            .arg(&repo)
            .args(["--inspector", who]);
        cmd
    };
    let out = restricted("sato")
        .args(["roles", "set", "inspection-lead", "sato"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "エラー: 点検者 `sato` は制限モードで管理体制を変更できません\nヒント: 管理者が tenken.ron でその点検者に `edit_register: true` を設定できます\n"
    );
    assert_eq!(
        env.git(&repo, &["log", "-1", "--format=%s"]),
        "inspectors\n"
    );
    restricted("tanaka")
        .args(["roles", "set", "inspection-lead", "sato"])
        .assert()
        .success();
    assert_eq!(
        env.git(&repo, &["log", "-1", "--format=%an %s"]),
        "tanaka roles: set inspection-lead\n"
    );
    // Over ssh the list is a read command; a change is not.
    let ssh = |command: &str| {
        restricted("tanaka")
            .env("SSH_ORIGINAL_COMMAND", command)
            .output()
            .unwrap()
    };
    let out = ssh("roles");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("inspection-lead"));
    let out = ssh("roles set inspection-lead tanaka");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("エラー: `roles set` は SSH からは実行できません。"),
        "{}",
        stderr(&out)
    );
}
