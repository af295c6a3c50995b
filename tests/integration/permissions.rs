//! Issue 14: permissions hold for every write in restricted mode (risk
//! assessments need `edit_risks`, closing an action needs the right to run
//! its subject), and restricted mode never shows the values of the
//! environment that the forced command set.

use std::path::Path;

use tenken::model::{Id, Inspector, Lang, RiskAssessment};
use tenken::store::Store;
use tenken::tui::keymap::ScreenId;
use tenken::tui::theme::Theme;
use tenken::tui::{self, Effect, Msg};

use crate::support::{NOW, TestEnv};
use crate::tui_support::{clock, press, screen_text, type_text};

#[test]
fn restricted_help_and_errors_show_no_environment_values() {
    let env = TestEnv::new();
    let repo = env.init();
    let repo_text = repo.display().to_string();
    // The help and errors in both languages (clap writes the English
    // help, tenken the Japanese).
    let commands = [
        "help history",
        "--help",
        "history --help",
        "history --subject 'Not An Id'",
        "history --bogus",
        "sync",
    ];
    let langs = [
        ("ja", "［環境変数: TENKEN_REPO］", "エラー: "),
        ("en", "[env: TENKEN_REPO]", "error: "),
    ];
    for ((lang, env_shown, error), ssh_command) in
        langs.into_iter().flat_map(|l| commands.map(|c| (l, c)))
    {
        let out = env
            .tenken()
            .env("TENKEN_REPO", &repo)
            .env("TENKEN_INSPECTOR", "sato-secret")
            .env("TENKEN_LANG", lang)
            .env("TENKEN_RESTRICTED", "1")
            .env("SSH_ORIGINAL_COMMAND", ssh_command)
            .output()
            .unwrap();
        let shown = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if ssh_command.contains("help") {
            assert!(shown.contains(env_shown), "{ssh_command}: {shown}");
        } else {
            assert!(shown.starts_with(error), "{ssh_command}: {shown}");
        }
        for value in [
            repo_text.as_str(),
            "sato-secret",
            "TENKEN_LANG=",
            "TENKEN_RESTRICTED=",
        ] {
            assert!(
                !shown.contains(value),
                "{ssh_command} shows {value}: {shown}"
            );
        }
    }
    // An error about the repository itself names it without its path.
    let elsewhere = env.home.path().join("not-a-repository");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = env
        .tenken()
        .env("TENKEN_REPO", &elsewhere)
        .env("TENKEN_INSPECTOR", "sato")
        .env("TENKEN_RESTRICTED", "1")
        .env("SSH_ORIGINAL_COMMAND", "history")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: <repository> is not a tenken repository"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(&elsewhere.display().to_string()),
        "{stderr}"
    );
}

/// Lists `sato` (subject `self` only) and `tanaka` (everything, and risk
/// assessments) in tenken.ron, and commits it.
fn limit_inspectors(env: &TestEnv, repo: &Path) {
    let config = repo.join("tenken.ron");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.trim_end().strip_suffix(')').unwrap().to_owned()
        + r#"    inspectors: {
        "sato": (name: "Sato Hanako", subjects: ["self"]),
        "tanaka": (edit_risks: true),
    },
)
"#;
    std::fs::write(&config, text).unwrap();
    env.git(repo, &["commit", "-qam", "permissions"]);
}

fn commits(env: &TestEnv, repo: &Path) -> usize {
    env.git(repo, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn a_risk_assessment_needs_edit_risks_in_the_restricted_tui() {
    let env = TestEnv::new();
    let repo = env.init();
    limit_inspectors(&env, &repo);
    let store = Store::open(&repo).unwrap();
    let open = |who: &str| {
        let inspector = Inspector {
            id: Id::new(who).unwrap(),
            name: who.into(),
            email: String::new(),
        };
        let options = tui::Options {
            lang: Some(Lang::En),
            clock: clock(NOW),
            theme: Theme::plain(),
            restricted: true,
        };
        tui::build_app(&store, inspector, options).unwrap()
    };
    let before = commits(&env, &repo);

    // sato (listed, no edit_risks): `R n` is refused on the spot …
    let mut app = open("sato");
    press(&store, &mut app, "R n");
    assert_eq!(app.screen_id(), ScreenId::Risks);
    assert!(
        screen_text(&mut app).contains("may not record risk assessments in restricted mode"),
        "{}",
        screen_text(&mut app)
    );
    // … and a commit asked for anyway (a draft from before the rule) is
    // refused where it is written.
    let risk = RiskAssessment {
        format: 1,
        id: String::new(),
        assessor: Inspector {
            id: Id::new("sato").unwrap(),
            name: "Sato Hanako".into(),
            email: String::new(),
        },
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        assets: Vec::new(),
    };
    let msg = tui::perform(&store, &app, Effect::CommitRisk(risk));
    assert!(
        matches!(&msg, Some(Msg::RiskCommitted(r)) if r.is_err()),
        "{msg:?}"
    );
    // An inspector who is not listed has no permission either.
    let mut app = open("suzuki");
    press(&store, &mut app, "R n");
    assert_eq!(app.screen_id(), ScreenId::Risks);
    assert_eq!(commits(&env, &repo), before);
    assert!(!repo.join("risks").exists());

    // tanaka (edit_risks: true): `R n f y` commits one assessment.
    let mut app = open("tanaka");
    press(&store, &mut app, "R n");
    assert_eq!(app.screen_id(), ScreenId::RiskEditor);
    press(&store, &mut app, "a");
    type_text(&store, &mut app, "Payroll");
    press(&store, &mut app, "Enter f y");
    assert_eq!(
        commits(&env, &repo),
        before + 1,
        "{}",
        screen_text(&mut app)
    );
    assert_eq!(
        env.git(&repo, &["show", "--format=%an", "--name-only", "HEAD"]),
        "tanaka\n\nrisks/2026-11-25T090000-tanaka.ron\n"
    );
}

#[test]
fn closing_an_action_needs_the_right_to_run_its_subject() {
    let env = TestEnv::new();
    let repo = env.init();
    limit_inspectors(&env, &repo);
    let tenken = |who: &str| {
        let mut cmd = env.tenken();
        cmd.arg("--repo").arg(&repo).args(["--inspector", who]);
        cmd
    };
    tenken("tanaka")
        .args([
            "subjects",
            "add",
            "tokyo-office",
            "--kind",
            "site",
            "--name",
            "Tokyo",
        ])
        .assert()
        .success();
    let failing = env.home.path().join("failing.ron");
    std::fs::write(
        &failing,
        r#"{"1": (choice: "no", note: "unpatched", action: Some((text: "patch", owner: "IT", due: "2026-12-31"))), "2": (choice: "yes"), "3": (choice: "yes"), "4": (choice: "yes"), "5": (choice: "yes")}"#,
    )
    .unwrap();
    tenken("tanaka")
        .args(["record", "ipa-five-principles", "--subject", "tokyo-office"])
        .arg("--answers")
        .arg(&failing)
        .args(["--date", "2026-11-01"])
        .assert()
        .success();
    let action = "tokyo-office/ipa-five-principles/2026-11-01T090000-tanaka#1";
    let five = env.home.path().join("five.ron");
    std::fs::write(
        &five,
        r#"{"1": (choice: "yes"), "2": (choice: "yes"), "3": (choice: "yes"), "4": (choice: "yes"), "5": (choice: "yes")}"#,
    )
    .unwrap();
    let before = commits(&env, &repo);
    let out = tenken("sato")
        .arg("--restricted")
        .args([
            "record",
            "ipa-five-principles",
            "--subject",
            "self",
            "--closes",
            action,
        ])
        .arg("--answers")
        .arg(&five)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "エラー: 点検者 `sato` は `{action}` を完了にできません。是正処置を完了にするには対象 `tokyo-office` を点検する権限が必要です\nヒント: tenken.ron で `sato` に許可されている対象: self\n"
        )),
        "{stderr}"
    );
    assert_eq!(commits(&env, &repo), before);
    // tanaka may run every subject, so may close it.
    tenken("tanaka")
        .args([
            "record",
            "ipa-five-principles",
            "--subject",
            "self",
            "--closes",
            action,
        ])
        .arg("--answers")
        .arg(&five)
        .assert()
        .success();
    assert_eq!(commits(&env, &repo), before + 1);
}

/// An error the store or the rules raise reaches the TUI in the session's
/// language: a run sato may not start, opened in Japanese and in English.
#[test]
fn a_refusal_in_the_tui_speaks_the_sessions_language() {
    let env = TestEnv::new();
    let repo = env.init();
    env.tenken_in_repo()
        .args([
            "subjects",
            "add",
            "tokyo-office",
            "--kind",
            "site",
            "--name",
            "Tokyo",
        ])
        .assert()
        .success();
    limit_inspectors(&env, &repo);
    let store = Store::open(&repo).unwrap();
    let sato = Inspector {
        id: Id::new("sato").unwrap(),
        name: "Sato Hanako".into(),
        email: String::new(),
    };
    for (lang, said) in [
        (
            Lang::Ja,
            "点検者 `sato` は対象 `tokyo-office` を点検できません",
        ),
        (
            Lang::En,
            "inspector `sato` may not run subject `tokyo-office`",
        ),
    ] {
        let options = tui::Options {
            lang: Some(lang),
            clock: clock(NOW),
            theme: Theme::plain(),
            restricted: false,
        };
        let mut app = tui::build_app(&store, sato.clone(), options).unwrap();
        let refused = app
            .open_run(
                &Id::new("ipa-self-check").unwrap(),
                &Id::new("tokyo-office").unwrap(),
            )
            .unwrap_err();
        assert_eq!(refused.text, said);
        assert_eq!(app.screen_id(), ScreenId::Dashboard);
    }
}
