//! A broken file disables only itself (issue 17): with one template or
//! profile broken, every read command prints what it printed before (and
//! one warning naming the file), the dashboard opens with a notice and
//! unrelated drafts resume; only what needs the file is refused. A broken
//! `subjects.ron` stops every reader, naming the commit that broke it.

use std::path::Path;

use tenken::model::Lang;
use tenken::tui::keymap::ScreenId;

use crate::support::TestEnv;
use crate::tui_support::{id, new_repo, open_app, press, screen_text};

/// The demo repository in the test's HOME.
fn demo() -> TestEnv {
    let env = TestEnv::new();
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();
    env
}

/// Every read command, with the arguments that make it print the most.
const READS: &[&[&str]] = &[
    &["history", "--format", "json"],
    &["history", "--all", "--format", "json"],
    &[
        "compare",
        "--subject",
        "self",
        "--inspection",
        "ipa-self-check",
        "--format",
        "json",
    ],
    &[
        "compare",
        "--inspection",
        "ipa-self-check",
        "--format",
        "json",
    ],
    &["trend", "--format", "json"],
    &["subjects", "--format", "json"],
    &["suppliers", "--format", "json"],
    &["due", "--format", "json"],
    &["actions", "--all", "--format", "json"],
    &["risks", "--format", "json"],
    &["report", "--format", "json"],
    &["report", "--inspection", "ipa-self-check", "--format", "md"],
    &[
        "report",
        "--inspection",
        "supplier-check",
        "--format",
        "html",
    ],
];

/// Runs a read command; returns its exit code, stdout and stderr.
fn read(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let out = env.tenken_in_repo().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Puts a syntax error into the first line of `rel` that starts with
/// `starts`, and returns its `path:line:col`.
fn break_file(repo: &Path, rel: &str, starts: &str) -> String {
    let path = repo.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut place = None;
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(n, line)| {
            if place.is_none() && line.starts_with(starts) {
                place = Some(format!("{rel}:{}:{}", n + 1, line.chars().count() + 2));
                format!("{line} oops")
            } else {
                line.to_owned()
            }
        })
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    place.expect("the line to break")
}

#[test]
fn a_broken_template_disables_only_itself_in_every_read_command() {
    let env = demo();
    let before: Vec<(i32, String)> = READS
        .iter()
        .map(|args| {
            let (code, out, err) = read(&env, args);
            assert_eq!(code, 0, "{args:?} before: {err}");
            assert!(err.is_empty(), "{args:?} warns before: {err}");
            (code, out)
        })
        .collect();
    let at = break_file(
        &env.repo(),
        "inspections/ipa-self-check.ron",
        "    bands: [",
    );
    for (args, (code, out)) in READS.iter().zip(&before) {
        let (after_code, after_out, err) = read(&env, args);
        assert_eq!(after_code, *code, "{args:?}: {err}");
        // Runs of the broken template are scored with the version they
        // recorded: not a byte of the output changes.
        assert_eq!(&after_out, out, "{args:?} printed something else");
        let warnings: Vec<&str> = err.lines().collect();
        assert_eq!(warnings.len(), 1, "{args:?}: {err}");
        assert!(
            warnings[0].starts_with(&format!("warning: {at}: ")),
            "{args:?}: {err}"
        );
        assert!(
            warnings[0].contains("`ipa-self-check` cannot be used for new runs"),
            "{err}"
        );
    }
    // `check` still reports it, with the rest, and exits 3.
    let (code, _, err) = read(&env, &["check"]);
    assert_eq!(code, 3);
    assert!(
        err.lines().any(|l| l.starts_with(&format!("{at}: "))),
        "{err}"
    );
    // What needs the file is refused, naming where and how to fix it.
    std::fs::write(env.home.path().join("a.ron"), "{}").unwrap();
    let (code, _, err) = read(
        &env,
        &[
            "record",
            "ipa-self-check",
            "--subject",
            "self",
            "--answers",
            "a.ron",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "error: checklist `ipa-self-check` cannot be used while its file is broken: {at}: "
        )),
        "{err}"
    );
    assert!(
        err.contains("hint: inspections/ipa-self-check.ron has changes that are not committed: `git diff -- inspections/ipa-self-check.ron` shows them"),
        "{err}"
    );
    let (code, _, err) = read(&env, &["run", "ipa-self-check"]);
    assert_eq!(code, 1, "refused before the terminal is touched: {err}");
    assert!(
        err.contains("cannot be used while its file is broken"),
        "{err}"
    );
    // Recording another checklist still works.
    std::fs::write(
        env.home.path().join("five.csv"),
        "item,choice\n1,yes\n2,yes\n3,yes\n4,yes\n5,yes\n",
    )
    .unwrap();
    let (code, _, err) = read(
        &env,
        &[
            "record",
            "ipa-five-principles",
            "--subject",
            "self",
            "--answers",
            "five.csv",
            "--new",
        ],
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_broken_profile_leaves_only_its_schedule_out() {
    let env = demo();
    let (_, due_before, _) = read(&env, &["due", "--format", "json"]);
    let at = break_file(&env.repo(), "profiles/sme-standard.ron", "    schedule: [");
    let (code, due, err) = read(&env, &["due", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.starts_with(&format!("warning: {at}: ")),
        "named once: {err}"
    );
    assert!(err.contains("profile `sme-standard` is left out of what is due"));
    assert_eq!(err.lines().count(), 1);
    assert_ne!(due, due_before, "its schedule is left out");
    for args in READS {
        let (code, _, err) = read(&env, args);
        assert_eq!(code, 0, "{args:?}: {err}");
    }
}

#[test]
fn the_dashboard_opens_with_a_broken_template_and_resumes_other_drafts() {
    let (_env, _dir, store) = new_repo();
    let mut app = open_app(&store, Lang::En);
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    press(&store, &mut app, "1 2 q");
    let at = break_file(store.root(), "inspections/telework.ron", "    bands: [");
    let mut app = open_app(&store, Lang::En);
    let notice = app.status_text().unwrap().to_owned();
    assert!(notice.starts_with(&format!("{at}: ")), "{notice}");
    assert!(notice.contains("checklist `telework` cannot be used for new runs"));
    // In Japanese, the problem itself is Japanese too (issue 17).
    let app_ja = open_app(&store, Lang::Ja);
    let notice = app_ja.status_text().unwrap();
    assert!(
        notice.starts_with(&format!(
            "{at}: `Band` が必要ですが、`oops` と書かれています — チェックリスト `telework` は修正されるまで新しい点検に使えません"
        )),
        "{notice}"
    );
    let screen = screen_text(&mut app);
    assert!(screen.contains("Draft"), "the dashboard is drawn: {screen}");
    // The broken checklist is refused, the draft of another one resumes.
    let refused = app
        .open_run(&id("telework"), &id("self"))
        .expect_err("refused");
    assert!(
        refused
            .text
            .contains("checklist `telework` cannot be used while its file is broken"),
        "{refused}"
    );
    assert!(
        refused.hints[0].contains("inspections/telework.ron has changes that are not committed"),
        "{refused}"
    );
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    press(&store, &mut app, "r");
    assert_eq!(app.screen_id(), ScreenId::Walker);
    press(&store, &mut app, "1 1 1 f y");
    let last = crate::tui_support::git(store.root(), &["log", "-1", "--format=%s"]);
    assert_eq!(last, "run: ipa-five-principles for self — 9/10\n");
}

#[test]
fn a_broken_register_from_a_commit_is_refused_naming_that_commit() {
    let env = demo();
    let repo = env.repo();
    let at = break_file(&repo, "subjects.ron", "            criticality: 3,");
    env.git(&repo, &["commit", "-qam", "register: change a supplier"]);
    let commit = env.git(&repo, &["rev-parse", "--short=12", "HEAD"]);
    let commit = commit.trim();
    for args in READS {
        let (code, out, err) = read(&env, args);
        assert_eq!(code, 3, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?} printed {out}");
        assert!(err.starts_with(&format!("{at}: ")), "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "hint: subjects.ron was last changed by commit {commit} (Sato Hanako, "
            )),
            "{err}"
        );
        assert!(err.contains(&format!("`git revert {commit}`")), "{err}");
    }
    let out = env
        .tenken()
        .args(["--restricted", "--inspector", "sato", "--repo"])
        .arg(&repo)
        .arg("history")
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        err.contains("hint: this cannot be fixed from a restricted session"),
        "{err}"
    );
}
