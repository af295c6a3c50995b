//! Issue 14: what a commit from the shared remote may bring, and what it
//! must never do to anyone who syncs it: hang, block, exhaust memory,
//! poison `.tenken/`, or make tenken write into `.git` or out of the
//! repository. Each case is a real commit pushed to a bare remote with
//! plain git (as a careless colleague or a compromised laptop would), then
//! `tenken sync`; the reads are also checked on a work tree that already
//! holds such files (checked out by plain git, or by an older tenken).

use std::path::Path;
use std::time::Duration;

use crate::support::TestEnv;
use crate::sync::{shared, snapshot, tenken_at};

/// How long a command may take before it counts as hanging.
const NO_HANG: Duration = Duration::from_secs(30);

fn output(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = cmd.timeout(NO_HANG).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Commits everything in `dir` (links included) with plain git and pushes.
fn push_all(env: &TestEnv, dir: &Path, message: &str) {
    env.git(dir, &["add", "-A", "-f", "."]);
    env.git(dir, &["commit", "-q", "-m", message]);
    env.git(dir, &["push", "-q", "origin", "main"]);
}

fn id(s: &str) -> tenken::model::Id {
    tenken::model::Id::new(s).unwrap()
}

/// The short (12-digit) id of HEAD in `dir`.
fn short_head(env: &TestEnv, dir: &Path) -> String {
    env.git(dir, &["rev-parse", "--short=12", "HEAD"])
        .trim()
        .to_owned()
}

/// Records a five-principles run in `dir` for `subject` with `tenken record`.
fn record(env: &TestEnv, dir: &Path, subject: &str, restricted: bool) -> (i32, String, String) {
    let answers = env.home.path().join("five.ron");
    std::fs::write(
        &answers,
        r#"{"1": (choice: "yes"), "2": (choice: "yes"), "3": (choice: "yes"), "4": (choice: "yes"), "5": (choice: "yes")}"#,
    )
    .unwrap();
    let mut cmd = tenken_at(env, dir);
    if restricted {
        cmd.arg("--restricted");
    }
    cmd.args([
        "record",
        "ipa-five-principles",
        "--subject",
        subject,
        "--answers",
    ])
    .arg(&answers);
    output(&mut cmd)
}

/// A restricted read command in `dir`, as a forced command runs it.
fn restricted(env: &TestEnv, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = tenken_at(env, dir);
    cmd.arg("--restricted").args(args);
    output(&mut cmd)
}

#[cfg(unix)]
#[test]
fn files_that_are_devices_or_lead_out_give_a_clear_error_at_once() {
    let env = TestEnv::new();
    let s = shared(&env);
    // The remote's side: subjects.ron becomes a link to /dev/zero (which
    // grew a reader's memory by 0.5 GB a second), the config a link to
    // /etc/passwd (whose first token showed in the parse error).
    std::fs::remove_file(s.b.join("subjects.ron")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", s.b.join("subjects.ron")).unwrap();
    std::fs::remove_file(s.b.join("inspections/telework.ron")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", s.b.join("inspections/telework.ron")).unwrap();
    push_all(&env, &s.b, "subjects: link");
    let pushed = short_head(&env, &s.b);
    let before = snapshot(&env, &s.a);
    let (code, _, stderr) = output(tenken_at(&env, &s.a).arg("sync"));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "\n  コミット {pushed} が `inspections/telework.ron` を持ち込みます: `/etc/passwd` へのシンボリックリンクで、リポジトリの外を指しています\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "\n  コミット {pushed} が `subjects.ron` を持ち込みます: `/dev/zero` へのシンボリックリンクで、リポジトリの外を指しています\n"
        )),
        "{stderr}"
    );
    assert_eq!(snapshot(&env, &s.a), before);
    // Taken in by plain git, as a sync before issue 14 did.
    env.git(&s.a, &["pull", "-q", "--ff-only", "origin", "main"]);

    let (code, stdout, stderr) = restricted(&env, &s.a, &["history"]);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            "subjects.ron: 読み込みを断りました: このパスのシンボリックリンクはリポジトリの外を指しています"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("inspections/telework.ron: 読み込みを断りました: このパスのシンボリックリンクはリポジトリの外を指しています"),
        "{stderr}"
    );
    assert!(!stderr.contains("root:"), "{stderr}");

    // A FIFO (git cannot carry one, but a local mistake can make one)
    // would block the open forever.
    std::fs::remove_file(s.a.join("subjects.ron")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(s.a.join("subjects.ron"))
        .status()
        .unwrap();
    assert!(made.success());
    let (code, _, stderr) = restricted(&env, &s.a, &["check"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("subjects.ron: 通常のファイルではありません"),
        "{stderr}"
    );
}

/// A supplier name and a note that could disguise themselves: a right-to-left
/// override, zero-width and invisible format characters, a line separator.
const SNEAKY_NAME: &str = "Nimbus\u{202e}gpj.exe\u{200b}\u{2028}KK\u{feff}";
const SNEAKY_NOTE: &str = "patched\u{200f}\u{061c} all\u{2029}\u{e0001}done";

/// What every text output must show instead of [`SNEAKY_NAME`].
const NAME_SHOWN: &str = "Nimbus\\u{202e}gpj.exe\\u{200b}\\u{2028}KK\\u{feff}";
const NOTE_SHOWN: &str = "patched\\u{200f}\\u{61c} all\\u{2029}\\u{e0001}done";

/// True when `text` holds a character of [`SNEAKY_NAME`] or [`SNEAKY_NOTE`]
/// as itself.
fn has_raw_hidden(text: &str) -> bool {
    text.chars().any(|c| {
        [
            '\u{202e}',
            '\u{200b}',
            '\u{2028}',
            '\u{feff}',
            '\u{200f}',
            '\u{061c}',
            '\u{2029}',
            '\u{e0001}',
        ]
        .contains(&c)
    })
}

/// `b` (another inspector) adds the supplier and records a run with the
/// note, and syncs; `a` syncs them in. Returns the shared setup.
fn sneaky_history(env: &TestEnv) -> crate::sync::Shared {
    let s = shared(env);
    tenken_at(env, &s.b)
        .args([
            "subjects",
            "add",
            "nimbus",
            "--kind",
            "supplier",
            "--name",
            SNEAKY_NAME,
        ])
        .timeout(NO_HANG)
        .assert()
        .success();
    let answers = env.home.path().join("answers.ron");
    std::fs::write(
        &answers,
        format!(
            r#"{{"1": (choice: "no", note: "{SNEAKY_NOTE}"), "2": (choice: "yes"), "3": (choice: "yes"), "4": (choice: "yes"), "5": (choice: "yes")}}"#
        ),
    )
    .unwrap();
    tenken_at(env, &s.b)
        .args([
            "record",
            "ipa-five-principles",
            "--subject",
            "nimbus",
            "--answers",
        ])
        .arg(&answers)
        .timeout(NO_HANG)
        .assert()
        .success();
    tenken_at(env, &s.b)
        .arg("sync")
        .timeout(NO_HANG)
        .assert()
        .success();
    tenken_at(env, &s.a)
        .arg("sync")
        .timeout(NO_HANG)
        .assert()
        .success();
    s
}

#[test]
fn hidden_characters_from_a_pushed_commit_show_as_what_they_are_in_every_format() {
    let env = TestEnv::new();
    let s = sneaky_history(&env);

    // CLI text.
    let (code, subjects, stderr) = restricted(&env, &s.a, &["subjects"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(subjects.contains(NAME_SHOWN), "{subjects}");
    let (_, history, _) = restricted(&env, &s.a, &["compare", "--subject", "nimbus"]);
    for text in [&subjects, &history] {
        assert!(!has_raw_hidden(text), "{text:?}");
    }

    // JSON: the characters are kept, written as JSON's own escapes.
    let (code, json, _) = restricted(&env, &s.a, &["subjects", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(!has_raw_hidden(&json), "{json:?}");
    assert!(
        json.contains("Nimbus\\u202egpj.exe\\u200b\\u2028KK\\ufeff"),
        "{json}"
    );
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        parsed
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == SNEAKY_NAME),
        "{parsed}"
    );

    // Reports: Markdown, HTML, CSV (and JSON, which stays valid).
    for format in ["md", "html", "csv", "json"] {
        let (code, report, stderr) = restricted(
            &env,
            &s.a,
            &["report", "--format", format, "--subject", "nimbus"],
        );
        assert_eq!(code, 0, "{format}: {stderr}");
        // The CSV opens with a byte-order mark for Excel, the format's own.
        let body = report.strip_prefix('\u{feff}').unwrap_or(&report);
        assert_eq!(body.len() < report.len(), format == "csv", "{format}");
        assert!(!has_raw_hidden(body), "{format}: {report:?}");
        if format == "json" {
            serde_json::from_str::<serde_json::Value>(&report).unwrap();
        } else {
            // Markdown escapes the backslash of the escape itself.
            let shown = if format == "md" {
                NOTE_SHOWN.replace('\\', "\\\\")
            } else {
                NOTE_SHOWN.to_owned()
            };
            assert!(report.contains(&shown), "{format}: {report}");
        }
    }

    // The TUI, drawn into a buffer: the supplier review and its detail.
    let store = tenken::store::Store::open(&s.a).unwrap();
    let mut app = crate::tui_support::open_app(&store, tenken::model::Lang::En);
    crate::tui_support::press(&store, &mut app, "u");
    let screen = crate::tui_support::screen_text(&mut app);
    assert!(!has_raw_hidden(&screen), "{screen}");
    assert!(screen.contains("Nimbus\\u{202e}g"), "{screen}");
}

#[test]
fn tracked_files_under_tenken_are_refused_by_sync_and_ignored_by_the_store() {
    let env = TestEnv::new();
    let s = shared(&env);
    // A malformed pending note, force-added past .gitignore: before issue
    // 14 it made every `record` fail with exit 3 for every inspector.
    std::fs::create_dir_all(s.b.join(".tenken/pending")).unwrap();
    std::fs::write(s.b.join(".tenken/pending/zz.ron"), "Pending(garbage").unwrap();
    // And drafts in another inspector's name, which would show as theirs.
    let drafts = s.b.join(".tenken/drafts/sato");
    std::fs::create_dir_all(&drafts).unwrap();
    let draft =
        tenken::store::Store::draft_path(&id("sato"), &id("self"), &id("ipa-five-principles"));
    std::fs::create_dir_all(s.b.join(&draft).parent().unwrap()).unwrap();
    std::fs::write(s.b.join(&draft), "Draft(garbage").unwrap();
    std::fs::write(drafts.join("risk.ron"), "RiskAssessment(garbage").unwrap();
    push_all(&env, &s.b, "state: poison");
    let pushed = short_head(&env, &s.b);
    let before = snapshot(&env, &s.a);
    let (code, _, stderr) = output(tenken_at(&env, &s.a).arg("sync"));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "\n  コミット {pushed} が `.tenken/pending/zz.ron` を持ち込みます: .tenken/ の下にあります。tenken 自身の作業状態で、git からは決して取り込みません\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.starts_with(&format!(
            "エラー: 同期できません: `origin` に、tenken が git から決して取り込まないものがあります。{} は何も変更していません:\n",
            s.a.display()
        )),
        "{stderr}"
    );
    assert_eq!(snapshot(&env, &s.a), before);
    assert!(!s.a.join(".tenken/pending/zz.ron").exists());

    // Already taken in (plain git, or a sync before issue 14): the store
    // ignores it, and `check` reports it.
    env.git(&s.a, &["pull", "-q", "--ff-only", "origin", "main"]);
    let (code, _, stderr) = record(&env, &s.a, "self", true);
    assert_eq!(code, 0, "{stderr}");
    let store = tenken::store::Store::open(&s.a).unwrap();
    assert_eq!(store.drafts(&id("sato")).unwrap(), Vec::new());
    assert_eq!(store.load_risk_draft(&id("sato")).unwrap(), None);
    assert_eq!(
        store
            .load_draft(&id("sato"), &id("self"), &id("ipa-five-principles"))
            .unwrap(),
        None
    );
    let (code, _, stderr) = restricted(&env, &s.a, &["check"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains(
            ".tenken/pending/zz.ron: git で管理されていますが、.tenken/ の下にあります。"
        ),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(s.a.join(".tenken/pending/zz.ron")).unwrap(),
        "Pending(garbage"
    );

    // A commit that deletes it is enough for everyone to sync again.
    env.git(&s.b, &["rm", "-q", "-r", ".tenken"]);
    env.git(&s.b, &["commit", "-q", "-m", "state: remove"]);
    env.git(&s.b, &["push", "-q", "origin", "main"]);
    let c = env.home.path().join("c");
    env.git(env.home.path(), &["clone", "-q", "remote.git", "c"]);
    env.git(&c, &["reset", "-q", "--hard", "HEAD~2"]);
    let (code, _, stderr) = output(tenken_at(&env, &c).arg("sync"));
    assert_eq!(code, 0, "{stderr}");
    assert!(!c.join(".tenken/pending/zz.ron").exists());
    env.git(&c, &["fsck", "--strict", "--no-dangling"]);
    assert_eq!(env.git(&c, &["status", "--porcelain"]), "");
}

#[cfg(unix)]
#[test]
fn a_link_into_git_is_refused_by_sync_and_never_written_through() {
    let env = TestEnv::new();
    let s = shared(&env);
    // Subject `evil`, whose run folder is a link into .git/refs: a
    // restricted `record --subject evil` wrote a ref file into .git.
    let subjects = std::fs::read_to_string(s.b.join("subjects.ron")).unwrap();
    let evil = subjects.replacen(
        "subjects: [",
        "subjects: [\n        (id: \"evil\", kind: Supplier, name: \"Evil\", criticality: 1),",
        1,
    );
    assert_ne!(evil, subjects);
    std::fs::write(s.b.join("subjects.ron"), evil).unwrap();
    std::fs::create_dir_all(s.b.join("runs")).unwrap();
    std::os::unix::fs::symlink("../.git/refs", s.b.join("runs/evil")).unwrap();
    push_all(&env, &s.b, "subjects: evil");
    let pushed = short_head(&env, &s.b);
    let before = snapshot(&env, &s.a);
    let (code, _, stderr) = output(tenken_at(&env, &s.a).arg("sync"));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "\n  コミット {pushed} が `runs/evil` を持ち込みます: `../.git/refs` へのシンボリックリンクで、リポジトリの .git フォルダーの中を指しています\n"
        )),
        "{stderr}"
    );
    assert_eq!(snapshot(&env, &s.a), before);

    // Taken in by plain git: tenken still never writes through it.
    env.git(&s.a, &["pull", "-q", "--ff-only", "origin", "main"]);
    let (code, _, stderr) = record(&env, &s.a, "evil", true);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "エラー: runs/evil はリポジトリの .git フォルダーの中を指すシンボリックリンク（"
        ),
        "{stderr}"
    );
    let (code, _, stderr) = restricted(&env, &s.a, &["check"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains(
            "runs/evil: git で管理されていますが、`../.git/refs` へのシンボリックリンクで、リポジトリの .git フォルダーの中を指しています"
        ),
        "{stderr}"
    );
    env.git(&s.a, &["fsck", "--strict", "--no-dangling"]);
    assert!(!s.a.join(".git/refs/ipa-five-principles").exists());
}
