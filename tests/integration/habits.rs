//! Smaller points of issue 17 that a new user meets first: `run --help`
//! and `record --help` name the inspections, and a date that is not one
//! says which form is expected; `init` in a git repository that is not
//! tenken's asks first and keeps its `.gitignore`; a backfilled run says
//! its date in its commit subject.

use crate::support::TestEnv;

#[test]
fn help_lists_the_inspections_and_bad_dates_name_the_format() {
    let env = TestEnv::new();
    for sub in ["run", "record"] {
        let out = env.tenken().args([sub, "--help"]).output().unwrap();
        assert!(out.status.success());
        let help = String::from_utf8(out.stdout).unwrap();
        for file in tenken::bundle::INSPECTIONS {
            let id = file.name.trim_end_matches(".ron");
            assert!(
                help.contains(id),
                "`{sub} --help` does not name {id}:\n{help}"
            );
        }
    }
    env.init();
    for (date, want) in [
        (
            "2026-13-01",
            "`2026-13-01` is not a date of the calendar; write YYYY-MM-DD",
        ),
        ("2026/1/2", "`2026/1/2` is not a date; write YYYY-MM-DD"),
    ] {
        let out = env
            .tenken_in_repo()
            .args(["--lang", "en", "history", "--since", date])
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(want), "{err}");
    }
}

#[test]
fn init_in_an_existing_git_repository_asks_first_and_keeps_its_gitignore() {
    let env = TestEnv::new();
    let dir = env.home.path().join("notes");
    std::fs::create_dir_all(&dir).unwrap();
    env.git(&dir, &["init", "-q"]);
    std::fs::write(dir.join(".gitignore"), "*.tmp").unwrap();
    std::fs::write(dir.join("a.txt"), "mine\n").unwrap();
    env.git(&dir, &["add", "."]);
    env.git(&dir, &["commit", "-q", "-m", "my notes"]);

    let out = env.tenken().arg("init").arg(&dir).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("is already a git repository (1 commit, the latest `")
            && err.contains(" my notes`)")
            && err.contains("--existing-git"),
        "{err}"
    );
    assert!(!dir.join("tenken.ron").exists(), "nothing written");
    assert_eq!(env.git(&dir, &["rev-list", "--count", "HEAD"]).trim(), "1");

    let out = env
        .tenken()
        .args(["--lang", "en", "init", "--existing-git"])
        .arg(&dir)
        .output()
        .unwrap();
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.starts_with("Added tenken's files to the existing git repository in one commit on top of its 1 commit ("),
        "{said}"
    );
    assert_eq!(env.git(&dir, &["rev-list", "--count", "HEAD"]).trim(), "2");
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
        "*.tmp\n/.tenken/\n",
        "the user's lines are kept"
    );
    // A tenken repository is still refused as one.
    let out = env.tenken().arg("init").arg(&dir).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("is already a tenken repository"), "{err}");
}

#[test]
fn a_backfilled_run_names_its_date_in_the_commit_subject() {
    let env = TestEnv::new();
    let repo = env.init();
    let answers = env.home.path().join("a.ron");
    std::fs::write(
        &answers,
        r#"{"1": (choice: "yes"), "2": (choice: "yes"), "3": (choice: "yes"), "4": (choice: "yes"), "5": (choice: "yes")}"#,
    )
    .unwrap();
    for date in [None, Some("2026-08-20")] {
        let mut cmd = env.tenken_in_repo();
        cmd.args([
            "record",
            "ipa-five-principles",
            "--subject",
            "self",
            "--answers",
        ])
        .arg(&answers);
        if let Some(date) = date {
            cmd.args(["--date", date]);
        }
        cmd.assert().success();
    }
    // Today's run as before; the backfilled one with its date (the commit
    // itself is dated when it was recorded).
    assert_eq!(
        env.git(&repo, &["log", "-2", "--format=%s"]),
        "run: ipa-five-principles for self on 2026-08-20 — 10/10\nrun: ipa-five-principles for self — 10/10\n"
    );
}
