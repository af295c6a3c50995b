//! `tenken verify` over histories built with the real git CLI: clean ones,
//! merges, corrections, and every kind of tampering it must report.

use std::collections::BTreeMap;
use std::path::Path;

use tenken::model::{Answer, Id, Inspector, Run, to_ron};

use crate::support::TestEnv;

/// The template every fixture run answers.
pub const INSPECTION: &str = "ipa-five-principles";

/// The text of a run of [`INSPECTION`] for subject `self`, finished at
/// `stamp` (`YYYY-MM-DDTHHMMSS`) by `inspector`, answering `choice` to all.
pub fn run_text(stamp: &str, inspector: &str, choice: &str, supersedes: Option<&str>) -> String {
    let id = |s: &str| Id::new(s).unwrap();
    let finished = chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%dT%H%M%S")
        .unwrap()
        .and_local_timezone(chrono::FixedOffset::east_opt(9 * 3600).unwrap())
        .unwrap();
    let answers: BTreeMap<Id, Answer> = (1..=5)
        .map(|i| {
            let mut a = Answer::new(id(choice));
            if choice == "no" {
                a.note = "not yet".into();
            }
            (id(&i.to_string()), a)
        })
        .collect();
    let run = Run {
        format: 1,
        id: run_id(stamp, inspector),
        inspection: id(INSPECTION),
        inspection_version: bundled_version(),
        inspection_hash: None,
        subject: id("self"),
        inspector: Inspector {
            id: id(inspector),
            name: format!("Inspector {inspector}"),
            email: format!("{inspector}@example.jp"),
        },
        started: finished - chrono::Duration::minutes(20),
        finished,
        answers,
        supersedes: supersedes.map(str::to_owned),
        closes: Vec::new(),
    };
    to_ron(&run).unwrap()
}

/// The version of [`INSPECTION`] that `tenken init` copies.
fn bundled_version() -> u32 {
    let file = tenken::bundle::INSPECTIONS
        .iter()
        .find(|f| f.name == format!("{INSPECTION}.ron"))
        .unwrap();
    tenken::load::parse::<tenken::model::Inspection>(Path::new(file.name), file.contents)
        .unwrap()
        .version
}

/// The id of the fixture run at `stamp` by `inspector`.
pub fn run_id(stamp: &str, inspector: &str) -> String {
    format!("self/{INSPECTION}/{stamp}-{inspector}")
}

/// The path of the fixture run at `stamp` by `inspector`.
pub fn run_path(stamp: &str, inspector: &str) -> String {
    format!("runs/{}.ron", run_id(stamp, inspector))
}

/// Writes `text` at `rel` in `repo` and commits only it with the real git
/// CLI, as `commit_run` does: subject line plus a `Tenken-Run:` trailer
/// (left out when `trailer` is `None`). Returns the commit id.
pub fn git_commit_file(
    env: &TestEnv,
    repo: &Path,
    rel: &str,
    text: &str,
    author: &str,
    trailer: Option<&str>,
) -> String {
    let full = repo.join(rel);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(&full, text).unwrap();
    env.git(repo, &["add", "--", rel]);
    let mut args = vec![
        "-c".to_owned(),
        format!("user.name={author}"),
        "-c".to_owned(),
        format!("user.email={}@example.jp", author.to_lowercase()),
        "commit".to_owned(),
        "-q".to_owned(),
        "-m".to_owned(),
        format!("run: {INSPECTION} for self — 10/10"),
    ];
    if let Some(t) = trailer {
        args.push("-m".into());
        args.push(format!("Tenken-Run: {t}"));
    }
    args.push("--".into());
    args.push(rel.into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.git(repo, &args);
    env.git(repo, &["rev-parse", "HEAD"]).trim().to_owned()
}

/// Commits a well-formed run at `stamp` by `inspector`, as tenken would.
pub fn commit_run(env: &TestEnv, repo: &Path, stamp: &str, inspector: &str) -> String {
    git_commit_file(
        env,
        repo,
        &run_path(stamp, inspector),
        &run_text(stamp, inspector, "yes", None),
        &format!("Inspector {inspector}"),
        Some(&run_id(stamp, inspector)),
    )
}

fn verify_json(env: &TestEnv) -> (serde_json::Value, Option<i32>) {
    let out = env
        .tenken_in_repo()
        .args(["verify", "--format", "json"])
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        out.status.code(),
    )
}

#[test]
fn a_clean_history_verifies_with_a_short_summary() {
    let env = TestEnv::new();
    let repo = env.init();
    commit_run(&env, &repo, "2026-08-20T100000", "sato");
    commit_run(&env, &repo, "2026-11-20T100000", "sato");
    env.tenken_in_repo()
        .arg("verify")
        .assert()
        .success()
        .stdout("点検記録 2件を 3件のコミットで検証しました。問題はありません。\n")
        .stderr("");
    let (json, code) = verify_json(&env);
    assert_eq!(code, Some(0));
    assert_eq!(json["runs"], 2);
    assert_eq!(json["commits"], 3);
    assert_eq!(json["problems"], serde_json::json!([]));
}

#[test]
fn a_fresh_repository_verifies() {
    let env = TestEnv::new();
    env.init();
    env.tenken_in_repo()
        .arg("verify")
        .assert()
        .success()
        .stdout("点検記録 0件を 1件のコミットで検証しました。問題はありません。\n");
}

#[test]
fn a_rewritten_run_names_the_file_commit_author_and_date() {
    let env = TestEnv::new();
    let repo = env.init();
    commit_run(&env, &repo, "2026-08-20T100000", "sato");
    let path = run_path("2026-08-20T100000", "sato");
    let tampered = run_text("2026-08-20T100000", "sato", "no", None);
    let commit = git_commit_file(&env, &repo, &path, &tampered, "Mallory", None);
    let date = env.git(
        &repo,
        &["log", "-1", "--format=%ad", "--date=format:%Y-%m-%d"],
    );
    let out = env.tenken_in_repo().arg("verify").assert().code(3);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let expected = format!(
        "{path}: modified: コミット済みのファイルが変更されました（コミット {}、Mallory <mallory@example.jp>、{} ",
        &commit[..12],
        date.trim()
    );
    assert!(stdout.starts_with(&expected), "{stdout}");
    // The same in English (the detail was English inside the Japanese line).
    let in_english = env
        .tenken_in_repo()
        .args(["--lang", "en", "verify"])
        .assert()
        .code(3);
    let english = String::from_utf8(in_english.get_output().stdout.clone()).unwrap();
    let expected = format!(
        "{path}: modified: a committed file was changed (commit {} by Mallory",
        &commit[..12],
    );
    assert!(english.starts_with(&expected), "{english}");
    // The same commit touched runs/ without a trailer, which is its own problem.
    assert!(stdout.contains(": missing-trailer: "), "{stdout}");
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr,
        "エラー: 履歴の検証で 3件のコミットに 2件の問題が見つかりました\n"
    );

    let (json, code) = verify_json(&env);
    assert_eq!(code, Some(3));
    let first = &json["problems"][0];
    assert_eq!(first["kind"], "modified");
    assert_eq!(first["path"], path);
    assert_eq!(first["commit"], commit);
    assert_eq!(first["author"], "Mallory");
    assert_eq!(first["email"], "mallory@example.jp");
    assert_eq!(first["date"], date.trim());
}

#[test]
fn a_deleted_run_is_reported() {
    let env = TestEnv::new();
    let repo = env.init();
    commit_run(&env, &repo, "2026-08-20T100000", "sato");
    let path = run_path("2026-08-20T100000", "sato");
    env.git(&repo, &["rm", "-q", "--", &path]);
    env.git(&repo, &["commit", "-q", "-m", "tidy up"]);
    let commit = env.git(&repo, &["rev-parse", "HEAD"]);
    let (json, code) = verify_json(&env);
    assert_eq!(code, Some(3));
    let kinds: Vec<&str> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["deleted", "missing-trailer"]);
    assert_eq!(json["problems"][0]["path"], path);
    assert_eq!(json["problems"][0]["commit"], commit.trim());
    assert_eq!(json["problems"][0]["author"], "Sato Hanako");
}

#[test]
fn an_unparsable_run_and_a_missing_trailer_are_reported() {
    let env = TestEnv::new();
    let repo = env.init();
    let bad = run_path("2026-08-20T100000", "sato");
    git_commit_file(
        &env,
        &repo,
        &bad,
        "Run(format: 1, id: \"oops\"",
        "Sato Hanako",
        Some(&run_id("2026-08-20T100000", "sato")),
    );
    let stamp = "2026-09-20T100000";
    git_commit_file(
        &env,
        &repo,
        &run_path(stamp, "sato"),
        &run_text(stamp, "sato", "yes", None),
        "Sato Hanako",
        None,
    );
    let other = "2026-10-20T100000";
    git_commit_file(
        &env,
        &repo,
        &run_path(other, "sato"),
        &run_text(other, "sato", "yes", None),
        "Sato Hanako",
        Some("self/ipa-five-principles/someone-else"),
    );
    let (json, code) = verify_json(&env);
    assert_eq!(code, Some(3));
    let found: Vec<(String, String)> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap().to_owned(),
                p["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("unparsable".to_owned(), bad),
            ("missing-trailer".to_owned(), run_path(stamp, "sato")),
            ("trailer-mismatch".to_owned(), run_path(other, "sato")),
        ]
    );
}

#[test]
fn a_correction_naming_a_committed_run_is_valid_and_one_naming_nothing_is_not() {
    let env = TestEnv::new();
    let repo = env.init();
    let first = "2026-08-20T100000";
    commit_run(&env, &repo, first, "sato");
    let fix = "2026-08-21T100000";
    git_commit_file(
        &env,
        &repo,
        &run_path(fix, "sato"),
        &run_text(fix, "sato", "partly", Some(&run_id(first, "sato"))),
        "Sato Hanako",
        Some(&run_id(fix, "sato")),
    );
    env.tenken_in_repo()
        .arg("verify")
        .assert()
        .success()
        .stdout("点検記録 2件を 3件のコミットで検証しました。問題はありません。\n");

    let orphan = "2026-08-22T100000";
    git_commit_file(
        &env,
        &repo,
        &run_path(orphan, "sato"),
        &run_text(
            orphan,
            "sato",
            "partly",
            Some("self/ipa-five-principles/never"),
        ),
        "Sato Hanako",
        Some(&run_id(orphan, "sato")),
    );
    let (json, code) = verify_json(&env);
    assert_eq!(code, Some(3));
    assert_eq!(json["problems"].as_array().unwrap().len(), 1);
    assert_eq!(json["problems"][0]["kind"], "missing-superseded");
    assert_eq!(json["problems"][0]["path"], run_path(orphan, "sato"));
}

#[test]
fn merges_of_branches_that_each_added_runs_are_clean() {
    let env = TestEnv::new();
    let repo = env.init();
    env.git(&repo, &["switch", "-q", "-c", "other"]);
    commit_run(&env, &repo, "2026-08-20T100000", "suzuki");
    env.git(&repo, &["switch", "-q", "main"]);
    commit_run(&env, &repo, "2026-08-20T110000", "sato");
    env.git(
        &repo,
        &["merge", "-q", "--no-ff", "-m", "merge other", "other"],
    );
    env.tenken_in_repo()
        .arg("verify")
        .assert()
        .success()
        .stdout("点検記録 2件を 4件のコミットで検証しました。問題はありません。\n");
}

#[test]
fn an_uncommitted_edit_of_a_committed_run_is_reported() {
    let env = TestEnv::new();
    let repo = env.init();
    commit_run(&env, &repo, "2026-08-20T100000", "sato");
    let path = run_path("2026-08-20T100000", "sato");
    std::fs::write(
        repo.join(&path),
        run_text("2026-08-20T100000", "sato", "partly", None),
    )
    .unwrap();
    env.tenken_in_repo()
        .arg("verify")
        .assert()
        .code(3)
        .stdout(format!(
            "{path}: uncommitted: コミット済みのファイルが作業ツリーで変更されています（コミットされていません）\n"
        ));
    env.tenken_in_repo()
        .args(["--lang", "en", "verify"])
        .assert()
        .code(3)
        .stdout(format!(
            "{path}: uncommitted: the committed file is changed in the work tree (not committed)\n"
        ));
}

#[test]
fn a_deletion_merged_from_a_branch_is_reported_once_and_a_merge_that_drops_a_run_too() {
    let env = TestEnv::new();
    let repo = env.init();
    commit_run(&env, &repo, "2026-08-20T100000", "sato");
    let old = run_path("2026-08-20T100000", "sato");
    // A branch deletes a committed run; merging it must not report it again.
    env.git(&repo, &["switch", "-q", "-c", "other"]);
    env.git(&repo, &["rm", "-q", "--", &old]);
    env.git(&repo, &["commit", "-q", "-m", "drop old run"]);
    let on_branch = env.git(&repo, &["rev-parse", "HEAD"]).trim().to_owned();
    env.git(&repo, &["switch", "-q", "main"]);
    commit_run(&env, &repo, "2026-09-20T100000", "sato");
    let new = run_path("2026-09-20T100000", "sato");
    // The merge itself drops a run only the first parent had.
    env.git(&repo, &["merge", "-q", "--no-ff", "--no-commit", "other"]);
    env.git(&repo, &["rm", "-q", "--", &new]);
    env.git(&repo, &["commit", "-q", "-m", "merge other"]);
    let merge = env.git(&repo, &["rev-parse", "HEAD"]).trim().to_owned();
    let (json, code) = verify_json(&env);
    assert_eq!(code, Some(3));
    let found: Vec<(String, String, String)> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap().to_owned(),
                p["path"].as_str().unwrap().to_owned(),
                p["commit"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("deleted".into(), old.clone(), on_branch.clone()),
            ("missing-trailer".into(), old, on_branch),
            ("deleted".into(), new.clone(), merge.clone()),
            ("missing-trailer".into(), new, merge),
        ]
    );
}

/// Kind, path and commit of every problem `verify --format json` reports.
fn problems(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap().to_owned(),
                p["path"].as_str().unwrap().to_owned(),
                p["commit"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

#[test]
fn regression_issue_13_a_merge_with_strategy_ours_that_drops_a_branch_run_is_reported() {
    let env = TestEnv::new();
    let repo = env.init();
    env.git(&repo, &["switch", "-q", "-c", "other"]);
    commit_run(&env, &repo, "2026-08-20T100000", "suzuki");
    env.git(&repo, &["switch", "-q", "main"]);
    commit_run(&env, &repo, "2026-08-20T110000", "sato");
    env.git(
        &repo,
        &["merge", "-q", "-s", "ours", "-m", "merge other", "other"],
    );
    let merge = env.git(&repo, &["rev-parse", "HEAD"]).trim().to_owned();
    // HEAD has no trace of the branch's run: history does not list it.
    let history = env
        .tenken_in_repo()
        .args(["history", "--format", "json"])
        .assert()
        .success();
    let history: serde_json::Value = serde_json::from_slice(&history.get_output().stdout).unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1);
    let (json, code) = verify_json(&env);
    assert_eq!(code, Some(3));
    assert_eq!(
        problems(&json),
        [
            (
                "deleted".to_owned(),
                run_path("2026-08-20T100000", "suzuki"),
                merge.clone()
            ),
            // A merge is a commit that changes runs/ like any other.
            (
                "missing-trailer".to_owned(),
                run_path("2026-08-20T100000", "suzuki"),
                merge
            ),
        ]
    );
    assert_eq!(json["runs"], 2);
}

#[test]
fn regression_issue_13_mode_changes_are_attributed_to_their_commit() {
    let env = TestEnv::new();
    let repo = env.init();
    commit_run(&env, &repo, "2026-08-20T100000", "sato");
    commit_run(&env, &repo, "2026-09-20T100000", "sato");
    let first = run_path("2026-08-20T100000", "sato");
    let second = run_path("2026-09-20T100000", "sato");
    // The executable bit.
    env.git(&repo, &["update-index", "--chmod=+x", "--", &first]);
    env.git(&repo, &["commit", "-q", "-m", "chmod"]);
    let chmod = env.git(&repo, &["rev-parse", "HEAD"]).trim().to_owned();
    // The same blob as a symbolic link.
    let blob = env
        .git(&repo, &["rev-parse", &format!("HEAD:{second}")])
        .trim()
        .to_owned();
    env.git(
        &repo,
        &[
            "update-index",
            "--cacheinfo",
            &format!("120000,{blob},{second}"),
        ],
    );
    env.git(&repo, &["commit", "-q", "-m", "link"]);
    let link = env.git(&repo, &["rev-parse", "HEAD"]).trim().to_owned();
    env.git(&repo, &["reset", "-q", "--hard"]);
    let (json, code) = verify_json(&env);
    assert_eq!(code, Some(3));
    assert_eq!(
        problems(&json),
        [
            ("mode".to_owned(), first.clone(), chmod.clone()),
            ("missing-trailer".to_owned(), first, chmod),
            ("mode".to_owned(), second.clone(), link.clone()),
            ("missing-trailer".to_owned(), second.clone(), link),
        ]
    );
    assert_eq!(
        json["problems"][2]["detail"],
        "a committed file was made a symbolic link (it was a plain file)"
    );
    // check says the same of the work tree.
    let out = env.tenken_in_repo().arg("check").assert().code(3);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains(&format!(
            "{second}:1:1: この記録ファイルはシンボリックリンクで、ファイルではありません。リンクはコミット済みの記録として数えません\n"
        )),
        "{err}"
    );
}

#[test]
fn regression_issue_13_a_shallow_clone_is_said_once_and_has_no_false_problems() {
    let env = TestEnv::new();
    let repo = env.init();
    for day in 20..26 {
        commit_run(&env, &repo, &format!("2026-08-{day}T100000"), "sato");
    }
    let url = format!("file://{}", repo.display());
    env.git(
        env.home.path(),
        &["clone", "-q", "--depth", "2", &url, "shallow"],
    );
    let shallow = env.home.path().join("shallow");
    let boundary = env
        .git(&shallow, &["rev-parse", "HEAD~1"])
        .trim()
        .to_owned();
    assert_eq!(
        std::fs::read_to_string(shallow.join(".git/shallow"))
            .unwrap()
            .trim(),
        boundary
    );
    let out = env
        .tenken()
        .arg("--repo")
        .arg(&shallow)
        .args(["--inspector", "sato", "verify"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8(out.get_output().stdout.clone()).unwrap(),
        format!(
            "点検記録 6件を 2件のコミットで検証しました。問題はありません。\n履歴は {} より前がありません（浅いクローン）。ある範囲を検証しました。\n",
            &boundary[..12]
        )
    );
    // What the clone has is still checked: a change after the boundary is
    // a problem.
    let path = run_path("2026-08-20T100000", "sato");
    git_commit_file(
        &env,
        &shallow,
        &path,
        &run_text("2026-08-20T100000", "sato", "no", None),
        "Mallory",
        None,
    );
    let out = env
        .tenken()
        .arg("--repo")
        .arg(&shallow)
        .args(["--inspector", "sato", "verify", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<String> = problems(&json).into_iter().map(|p| p.0).collect();
    assert_eq!(kinds, ["modified", "missing-trailer"]);
    assert_eq!(json["shallow"], serde_json::json!([boundary]));
}

#[test]
fn regression_issue_13_a_history_rewritten_after_a_sync_is_reported() {
    let env = TestEnv::new();
    let shared = crate::sync::shared(&env);
    let a = &shared.a;
    commit_run(&env, a, "2026-08-20T100000", "sato");
    commit_run(&env, a, "2026-09-20T100000", "sato");
    crate::sync::tenken_at(&env, a)
        .arg("sync")
        .assert()
        .success();
    let synced = env.git(a, &["rev-parse", "HEAD"]).trim().to_owned();
    let seen = std::fs::read_to_string(a.join(".tenken/seen")).unwrap();
    assert_eq!(seen, format!("refs/heads/main {synced}\n"));
    crate::sync::tenken_at(&env, a)
        .arg("verify")
        .assert()
        .success();

    // Someone drops a run from the shared history and force-pushes.
    let b = &shared.b;
    env.git(b, &["pull", "-q"]);
    let dropped = run_path("2026-08-20T100000", "sato");
    let filter = format!("git rm -q --cached --ignore-unmatch {dropped}");
    let out = std::process::Command::new("git")
        .args(["filter-branch", "-f", "--index-filter", &filter, "HEAD"])
        .current_dir(b)
        .env("HOME", env.home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("FILTER_BRANCH_SQUELCH_WARNING", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.git(b, &["push", "-q", "--force", "origin", "main"]);
    // The first inspector follows the shared branch.
    env.git(a, &["fetch", "-q", "origin"]);
    env.git(a, &["reset", "-q", "--hard", "origin/main"]);
    assert!(!a.join(&dropped).exists());

    let out = crate::sync::tenken_at(&env, a)
        .arg("verify")
        .assert()
        .code(3);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout,
        format!(
            "refs/heads/main: rewritten: tenken が最後にこのブランチを見たコミット {} が履歴にありません。履歴が書き換えられた（rebase、filter-branch、reset、強制プッシュ）ため、それ以前にコミットされた記録が、ここに跡を残さずに変更・削除されたおそれがあります。新しい履歴を受け入れるには `tenken verify --accept-rewrite` を実行してください\n",
            &synced[..12]
        )
    );
    let out = crate::sync::tenken_at(&env, a)
        .args(["--lang", "en", "verify"])
        .assert()
        .code(3);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout,
        format!(
            "refs/heads/main: rewritten: the history no longer contains commit {}, where tenken last saw this branch; it was rewritten (rebase, filter-branch, reset or a force-push), so records committed before may have been changed or dropped without a trace here; `tenken verify --accept-rewrite` accepts the new history\n",
            &synced[..12]
        )
    );
    // Still reported until accepted; then the new history is the one seen.
    crate::sync::tenken_at(&env, a)
        .arg("verify")
        .assert()
        .code(3);
    crate::sync::tenken_at(&env, a)
        .args(["verify", "--accept-rewrite"])
        .assert()
        .success();
    crate::sync::tenken_at(&env, a)
        .arg("verify")
        .assert()
        .success();
}
