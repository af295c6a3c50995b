//! `tenken init` and `tenken check` through the real binary, and what every
//! command shares: finding the repository, the inspector's identity, exit
//! codes.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tenken::model::{Config, Subjects};

use crate::support::TestEnv;

/// Returns stderr of a finished command with the temporary HOME shown as `[HOME]`.
fn stderr(env: &TestEnv, cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().clone();
    String::from_utf8(out.stderr)
        .unwrap()
        .replace(&env.home.path().display().to_string(), "[HOME]")
}

/// Returns every file under `dir` (`.git` included) with its contents, sorted.
fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let contents = std::fs::read(&path).unwrap();
                out.push((path.strip_prefix(dir).unwrap().to_owned(), contents));
            }
        }
    }
    out.sort();
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for (rel, contents) in snapshot_tree(from) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

fn read_ron<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    let src = std::fs::read_to_string(path).unwrap();
    tenken::load::parse(path, &src).unwrap()
}

/// Returns `author <email>` of the repository's only commit.
fn author(env: &TestEnv, repo: &Path) -> String {
    env.git(repo, &["log", "--format=%an <%ae>"])
}

#[test]
fn init_creates_a_valid_repository_with_one_commit() {
    let env = TestEnv::new();
    let repo = env.init();
    env.tenken_in_repo()
        .arg("check")
        .assert()
        .success()
        .stdout("すべてのファイルに問題はありません。\n");
    let log = env.git(&repo, &["log", "--format=%an <%ae>|%s"]);
    assert_eq!(
        log,
        "Sato Hanako <sato@example.jp>|init: tenken repository for Example KK\n"
    );
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "");
    env.git(&repo, &["fsck", "--strict"]);
    let committed = env.git(&repo, &["ls-files"]);
    for file in ["tenken.ron", "subjects.ron", ".gitignore"] {
        assert!(committed.lines().any(|l| l == file), "{file} not committed");
    }
    assert!(committed.lines().any(|l| l.starts_with("inspections/")));
    assert!(committed.lines().any(|l| l.starts_with("profiles/")));
    assert_eq!(
        std::fs::read_to_string(repo.join(".gitignore")).unwrap(),
        "/.tenken/\n"
    );
    let subjects: Subjects = read_ron(&repo.join("subjects.ron"));
    let me = subjects.get("self").unwrap();
    assert_eq!(me.name, "Example KK".into());
}

#[test]
fn init_refuses_to_overwrite_an_existing_repository_and_leaves_it_untouched() {
    let env = TestEnv::new();
    let repo = env.init();
    let before = snapshot_tree(&repo);
    let err = stderr(
        &env,
        env.tenken()
            .args(["--inspector", "sato", "init"])
            .arg(&repo)
            .args(["--org", "Other KK", "--fiscal-year-start", "1"]),
        1,
    );
    insta::assert_snapshot!(err, @"error: [HOME]/repo is already a tenken repository; refusing to overwrite it");
    assert!(before == snapshot_tree(&repo), "the repository changed");
}

#[test]
fn init_takes_org_profile_and_fiscal_year_start() {
    let env = TestEnv::new();
    let repo = env.repo();
    env.tenken()
        .args(["--inspector", "sato", "init"])
        .arg(&repo)
        .args(["--org", "株式会社テスト", "--profile", "sme-standard"])
        .args(["--fiscal-year-start", "1"])
        .assert()
        .success();
    let config: Config = read_ron(&repo.join("tenken.ron"));
    assert_eq!(config.organisation, "株式会社テスト".into());
    assert_eq!(config.fiscal_year_start, 1);
    assert_eq!(config.profiles, ["sme-standard".parse().unwrap()]);
    let subjects: Subjects = read_ron(&repo.join("subjects.ron"));
    assert_eq!(subjects.get("self").unwrap().name, "株式会社テスト".into());
    env.tenken_in_repo().arg("check").assert().success();
}

#[test]
fn init_refuses_an_unknown_profile_before_creating_anything() {
    let env = TestEnv::new();
    let err = stderr(
        &env,
        env.tenken()
            .args(["--inspector", "sato", "init"])
            .arg(env.repo())
            .args(["--profile", "nope"]),
        1,
    );
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with("error: unknown profile `nope`; bundled profiles: "),
        "{err}"
    );
    assert!(first.contains("sme-standard"), "{err}");
    assert!(!env.repo().exists());
}

#[test]
fn init_refuses_bad_flag_values_as_usage_errors() {
    let env = TestEnv::new();
    let err = stderr(
        &env,
        env.tenken()
            .arg("init")
            .arg(env.repo())
            .args(["--fiscal-year-start", "13"]),
        2,
    );
    insta::assert_snapshot!(err, @"
    error: invalid value `13` for `--fiscal-year-start <MONTH>`: 13 is not in 1..=12
    hint: for more information, try `tenken init --help`
    ");
    let err = stderr(
        &env,
        env.tenken()
            .arg("init")
            .arg(env.repo())
            .args(["--profile", "../x"]),
        2,
    );
    insta::assert_snapshot!(err, @"
    error: invalid value `../x` for `--profile <ID>`: id `../x` must start with a lower-case letter or a digit
    hint: for more information, try `tenken init --help`
    ");
    assert!(!env.repo().exists());
}

#[test]
fn tenken_repo_is_the_fallback_for_the_repo_flag() {
    let env = TestEnv::new();
    let repo = env.init();
    env.tenken()
        .env("TENKEN_REPO", &repo)
        .arg("check")
        .assert()
        .success()
        .stdout("すべてのファイルに問題はありません。\n");
    // The flag wins over the variable.
    env.tenken()
        .env("TENKEN_REPO", env.home.path().join("elsewhere"))
        .arg("--repo")
        .arg(&repo)
        .arg("check")
        .assert()
        .success();
    let err = stderr(
        &env,
        env.tenken()
            .env("TENKEN_REPO", env.home.path().join("elsewhere"))
            .arg("check"),
        1,
    );
    insta::assert_snapshot!(err, @r"
    error: [HOME]/elsewhere is not a tenken repository (no tenken.ron)
    hint: create one with `tenken init DIR`, or try `tenken demo`
    ");
}

#[test]
fn the_repository_is_found_upwards_from_a_subdirectory() {
    let env = TestEnv::new();
    let repo = env.init();
    let deep = repo.join("runs/self/somewhere/deeper");
    std::fs::create_dir_all(&deep).unwrap();
    env.tenken()
        .current_dir(&deep)
        .arg("check")
        .assert()
        .success()
        .stdout("すべてのファイルに問題はありません。\n");
    let err = stderr(&env, env.tenken().arg("check"), 1);
    insta::assert_snapshot!(err, @r"
    error: no tenken repository found in [HOME] or any parent directory
    hint: pass `--repo DIR`, set TENKEN_REPO, or create one with `tenken init DIR`
    ");
}

#[test]
fn the_inspector_is_the_flag_else_tenken_inspector_else_git_user() {
    let cases: [(&[&str], Option<&str>, &str); 4] = [
        (
            &["--inspector", "suzuki"],
            Some("tanaka"),
            "suzuki <suzuki@tenken.invalid>",
        ),
        (&[], Some("tanaka"), "tanaka <tanaka@tenken.invalid>"),
        (&[], None, "Sato Hanako <sato@example.jp>"),
        // git's name and e-mail are only used for the matching inspector.
        (
            &["--inspector", "sato"],
            None,
            "Sato Hanako <sato@example.jp>",
        ),
    ];
    for (flags, variable, expected) in cases {
        let env = TestEnv::new();
        let mut cmd = env.tenken();
        if let Some(v) = variable {
            cmd.env("TENKEN_INSPECTOR", v);
        }
        cmd.args(flags)
            .arg("init")
            .arg(env.repo())
            .assert()
            .success();
        assert_eq!(
            author(&env, &env.repo()),
            format!("{expected}\n"),
            "{flags:?} {variable:?}"
        );
    }
}

#[test]
fn without_any_identity_a_command_that_needs_one_says_how_to_give_it() {
    let env = TestEnv::new();
    let repo = env.init();
    std::fs::write(env.home.path().join(".gitconfig"), "").unwrap();
    let err = stderr(
        &env,
        env.tenken().arg("--repo").arg(&repo).args(["run", "x"]),
        1,
    );
    insta::assert_snapshot!(err, @r"
    エラー: 点検者が分かりません。`--inspector ID` を付けるか、`TENKEN_INSPECTOR` か git の `user.name` を設定してください
    ヒント: 例: `tenken --inspector sato`
    ");
    // init needs no inspector: the first commit gets a placeholder author.
    let other = env.home.path().join("other");
    env.tenken().arg("init").arg(&other).assert().success();
    assert_eq!(author(&env, &other), "tenken <tenken@tenken.invalid>\n");
    // A git user whose name and e-mail make no id is refused as clearly.
    std::fs::write(
        env.home.path().join(".gitconfig"),
        "[user]\n\tname = 山田 太郎\n",
    )
    .unwrap();
    let err = stderr(
        &env,
        env.tenken().arg("--repo").arg(&repo).args(["run", "x"]),
        1,
    );
    insta::assert_snapshot!(err, @r"
    エラー: git のユーザー `山田 太郎` から点検者 ID を作れません
    ヒント: `--inspector ID` を付けてください（英小文字・数字・`.`・`_`・`-`）
    ");
}

#[test]
fn a_bad_inspector_id_is_refused_before_anything_runs() {
    let env = TestEnv::new();
    let err = stderr(&env, env.tenken().args(["--inspector", "../x", "check"]), 2);
    insta::assert_snapshot!(err, @"
    error: invalid value `../x` for `--inspector <ID>`: id `../x` must start with a lower-case letter or a digit
    hint: for more information, try `tenken check --help`
    ");
    let err = stderr(
        &env,
        env.tenken()
            .env("TENKEN_INSPECTOR", "Sato")
            .arg("init")
            .arg(env.repo()),
        2,
    );
    insta::assert_snapshot!(err, @"
    error: invalid value `Sato` for `--inspector <ID>`: id `Sato` must start with a lower-case letter or a digit
    hint: for more information, try `tenken init --help`
    ");
    assert!(!env.repo().exists());
}

#[test]
fn exit_codes_are_0_ok_1_error_2_usage_3_invalid() {
    let env = TestEnv::new();
    let repo = env.init();
    env.tenken_in_repo().arg("check").assert().code(0);
    env.tenken()
        .arg("--repo")
        .arg(env.home.path())
        .arg("check")
        .assert()
        .code(1);
    env.tenken().arg("frobnicate").assert().code(2);
    env.tenken().args(["check", "--bogus"]).assert().code(2);
    std::fs::write(repo.join("subjects.ron"), "Subjects(format: 1)\n").unwrap();
    let err = stderr(&env, env.tenken_in_repo().arg("check"), 3);
    insta::assert_snapshot!(err, @"
    subjects.ron:1:19: `Subjects` にフィールド `subjects` がありません
    エラー: 問題が 1件 見つかりました
    ");
}

#[test]
fn check_prints_problems_as_json_on_request() {
    let env = TestEnv::new();
    let repo = env.init();
    env.tenken_in_repo()
        .args(["check", "--format", "json"])
        .assert()
        .success()
        .stdout("[]\n");
    std::fs::write(repo.join("subjects.ron"), "Subjects(format: 1)\n").unwrap();
    let out = env
        .tenken_in_repo()
        .args(["check", "--format", "json"])
        .assert()
        .code(3)
        .stderr("エラー: 問題が 1件 見つかりました\n")
        .get_output()
        .stdout
        .clone();
    insta::assert_snapshot!(String::from_utf8(out).unwrap(), @r#"
    [
      {
        "path": "subjects.ron",
        "line": 1,
        "col": 19,
        "message": "missing field `subjects` in `Subjects`"
      }
    ]
    "#);
}

#[test]
fn check_lists_every_problem_across_the_repository_at_once() {
    let env = TestEnv::new();
    let repo = env.repo();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    copy_dir(&fixtures.join("catalog"), &repo);
    let invalid = |name: &str| std::fs::read(fixtures.join("invalid").join(name)).unwrap();
    let put = |rel: &str, contents: &[u8]| {
        let path = repo.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    };
    // A broken setting, a broken template, a profile naming it and a
    // missing one, runs against good and broken templates, a broken risk
    // file: each is reported, and none hides the others.
    let config = std::fs::read_to_string(repo.join("tenken.ron")).unwrap();
    put(
        "tenken.ron",
        config
            .replace(
                "fiscal_year_start: 4,",
                "fiscal_year_start: 13,\n    profiles: [\"quarterly\", \"weekly\"],",
            )
            .as_bytes(),
    );
    put(
        "inspections/dup.ron",
        &invalid("inspection-duplicate-item.ron"),
    );
    let profile = String::from_utf8(invalid("profile-unknown-inspection.ron"))
        .unwrap()
        .replace("\"mini\"", "\"dup\"");
    put("profiles/quarterly.ron", profile.as_bytes());
    put(
        "runs/self/mini/2026-11-25T091500-sato.ron",
        &invalid("run-unknown-item.ron"),
    );
    put(
        "runs/globex/mini/2026-11-25T091500-sato.ron",
        &invalid("run-unknown-subject.ron"),
    );
    let of_broken_template = String::from_utf8(invalid("run-unknown-item.ron"))
        .unwrap()
        .replace("mini", "dup")
        .replace("inspection_version: 2", "inspection_version: 1");
    put(
        "runs/self/dup/2026-11-25T091500-sato.ron",
        of_broken_template.as_bytes(),
    );
    put(
        "risks/2026-11-25T091500-sato.ron",
        b"RiskAssessment(format: 1,",
    );
    let err = stderr(&env, env.tenken_in_repo().arg("check"), 3);
    insta::assert_snapshot!(err, @"
    tenken.ron:7:5: `fiscal_year_start` は 1 から 12 の月にしてください（13 になっています）
    tenken.ron:8:29: 有効にしたプロファイル `weekly` のファイル profiles/weekly.ron がありません
    inspections/dup.ron:3:9: 点検の `id` `mini` がファイル名 `dup.ron` と合いません
    inspections/dup.ron:18:22: 項目の `id` `1` が2つあります
    profiles/quarterly.ron:7:22: プロファイルにある点検 `cloud-check` はありません
    profiles/quarterly.ron:7:60: プロファイルにある対象 `globex` は subjects.ron にありません
    runs/globex/mini/2026-11-25T091500-sato.ron:6:14: 対象 `globex` は subjects.ron にありません
    runs/self/mini/2026-11-25T091500-sato.ron:12:9: 点検 `mini` に項目 `99` はありません
    risks/2026-11-25T091500-sato.ron:1:26: ファイルが途中で終わっています
    runs/globex/mini/2026-11-25T091500-sato.ron:1:1: この記録ファイルはコミットされていないため数えません。git でコミットするか、削除してください
    runs/self/dup/2026-11-25T091500-sato.ron:1:1: この記録ファイルはコミットされていないため数えません。git でコミットするか、削除してください
    runs/self/mini/2026-11-25T091500-sato.ron:1:1: この記録ファイルはコミットされていないため数えません。git でコミットするか、削除してください
    エラー: 問題が 12件 見つかりました
    ");
}

/// Issue 16: an id on the command line is parsed by clap as an `Id`, so a
/// malformed one is a usage error (exit 2) in every command, before the
/// repository is even opened.
#[test]
fn r16_a_malformed_id_is_a_usage_error_in_every_command() {
    let env = TestEnv::new();
    let _repo = env.init();
    let cases: &[&[&str]] = &[
        &["history", "--subject", "../x"],
        &["history", "--inspection", "Bad"],
        &["compare", "--subject", "../x"],
        &["compare", "--inspection", "Bad"],
        &["trend", "--subject", "../x"],
        &["trend", "--inspection", "a b"],
        &["actions", "--subject", "../x"],
        &["report", "--format", "md", "--subject", "../x"],
        &["report", "--format", "md", "--inspection", "Bad"],
        &["record", "Bad", "--subject", "self", "--answers", "a.ron"],
        &[
            "record",
            "ipa-self-check",
            "--subject",
            "../x",
            "--answers",
            "a.ron",
        ],
        &["run", "Bad"],
        &["run", "ipa-self-check", "--subject", "../x"],
        &["suppliers", "--inspection", "Bad"],
        &["suppliers", "export", "../x", "-o", "q.csv"],
        &["subjects", "add", "../x", "--kind", "site", "--name", "X"],
        &["subjects", "edit", "Bad", "--name", "X"],
        &["subjects", "retire", "Bad"],
    ];
    for args in cases {
        let err = stderr(&env, env.tenken_in_repo().args(*args), 2);
        assert!(err.starts_with("エラー: `"), "{args:?}: {err}");
        assert!(err.contains("` は使えません: ID `"), "{args:?}: {err}");
        assert!(
            err.contains("<ID>") || err.contains("<INSPECTION>") || err.contains("<SUPPLIER>"),
            "{args:?}: {err}"
        );
    }
}
