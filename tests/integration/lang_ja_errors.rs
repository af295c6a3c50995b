//! Issue 17, "Japanese everywhere", for errors: clap's refusals of a
//! command line, the store's refusals (sync, `report -o`, symbolic links,
//! restricted mode over SSH) and the TUI's notice of a store error, each
//! asserted whole in Japanese and in English, with the Japanese checked
//! for English words like every read command in `lang_ja`, so that a
//! fallback to English fails.

use crate::lang_ja::{Data, demo};
use crate::support::TestEnv;

/// Runs `args` in the demo repository with `--lang lang` (after the
/// environment in `envs`) and returns the exit code and stderr.
fn failing(
    env: &TestEnv,
    lang: &str,
    envs: &[(&str, &str)],
    args: &[&str],
) -> (Option<i32>, String) {
    let mut cmd = env.tenken_in_repo();
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.args(["--lang", lang]).args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

/// Asserts that `ja` has no English word outside the demo's data, ids,
/// commands in backticks and the `args` typed.
fn no_english(data: &Data, args: &[&str], ja: &str) {
    let english: Vec<_> = data
        .english_words(ja)
        .into_iter()
        .filter(|(w, _)| !args.iter().any(|a| a.contains(w.as_str())))
        .collect();
    assert!(english.is_empty(), "{args:?}: {english:?}");
}

/// clap's refusals: exit 2, the sentence and hints in the chosen language.
#[test]
fn command_line_refusals_speak_japanese_and_english() {
    let env = demo();
    let data = Data::read(&env.repo());
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["history", "--bogus"],
            "エラー: `--bogus` はこのコマンドでは使えません\n\
             ヒント: 使い方は `tenken history --help` で確かめられます\n",
            "error: unexpected argument `--bogus` found\n\
             hint: for more information, try `tenken history --help`\n",
        ),
        (
            &["history", "--fromat", "json"],
            "エラー: `--fromat` はこのコマンドでは使えません\n\
             ヒント: `--format` のことですか？\n\
             ヒント: 使い方は `tenken history --help` で確かめられます\n",
            "error: unexpected argument `--fromat` found\n\
             hint: did you mean `--format`?\n\
             hint: for more information, try `tenken history --help`\n",
        ),
        (
            &["history", "--format", "xml"],
            "エラー: `--format <FORMAT>` に `xml` は指定できません\n\
             ヒント: 指定できる値: `text`, `json`\n\
             ヒント: 使い方は `tenken history --help` で確かめられます\n",
            "error: invalid value `xml` for `--format <FORMAT>`\n\
             hint: possible values: `text`, `json`\n\
             hint: for more information, try `tenken history --help`\n",
        ),
        (
            &["subjects", "edit", "aoba", "--criticality", "4"],
            "エラー: `--criticality <1-3>` の `4` は使えません: 1 から 3 までの整数で指定してください\n\
             ヒント: 使い方は `tenken subjects edit --help` で確かめられます\n",
            "error: invalid value `4` for `--criticality <1-3>`: 4 is not in 1..=3\n\
             hint: for more information, try `tenken subjects edit --help`\n",
        ),
        (
            &["suppliers", "export", "Aoba"],
            "エラー: `<SUPPLIER>` の `Aoba` は使えません: ID `Aoba` は英小文字（a-z）か数字で始めてください\n\
             ヒント: 使い方は `tenken suppliers export --help` で確かめられます\n",
            "error: invalid value `Aoba` for `<SUPPLIER>`: id `Aoba` must start with a lower-case letter or a digit\n\
             hint: for more information, try `tenken suppliers export --help`\n",
        ),
        (
            &["subjects", "add", "x/y", "--kind", "site", "--name", "X"],
            "エラー: `<ID>` の `x/y` は使えません: ID `x/y` に パスの区切り `/` が含まれています。使えるのは a-z、0-9、`.`、`_`、`-` だけです\n\
             ヒント: 使い方は `tenken subjects add --help` で確かめられます\n",
            "error: invalid value `x/y` for `<ID>`: id `x/y` contains a path separator `/`; use only a-z, 0-9, `.`, `_` and `-`\n\
             hint: for more information, try `tenken subjects add --help`\n",
        ),
        (
            &["subjects", "add", "nagoya"],
            "エラー: 必要な引数が指定されていません: `--kind <KIND>`, `--name <NAME>`\n\
             ヒント: 使い方は `tenken subjects add --help` で確かめられます\n",
            "error: the following required arguments were not provided: `--kind <KIND>`, `--name <NAME>`\n\
             hint: for more information, try `tenken subjects add --help`\n",
        ),
        (
            &["histroy"],
            "エラー: `histroy` というコマンドはありません\n\
             ヒント: `history` のことですか？\n\
             ヒント: 使い方は `tenken --help` で確かめられます\n",
            "error: unrecognized subcommand `histroy`\n\
             hint: did you mean `history`?\n\
             hint: for more information, try `tenken --help`\n",
        ),
    ];
    for (args, ja, en) in cases {
        let (code, stderr) = failing(&env, "ja", &[], args);
        assert_eq!((code, stderr.as_str()), (Some(2), *ja), "{args:?}");
        no_english(&data, args, &stderr);
        let (code, stderr) = failing(&env, "en", &[], args);
        assert_eq!((code, stderr.as_str()), (Some(2), *en), "{args:?}");
        assert!(!data.english_words(&stderr).is_empty(), "{args:?}");
    }
}

/// A refusal: the environment, the arguments, the exit code, the whole
/// stderr in Japanese and in English.
type Case<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>, i32, String, String);

/// The store's refusals and restricted mode's, whole, in both languages.
#[test]
fn store_and_restricted_refusals_speak_japanese_and_english() {
    let env = demo();
    let data = Data::read(&env.repo());
    let repo = env.repo().display().to_string();
    let home = env.home.path().display().to_string();
    let file = env.home.path().join("photo.png");
    std::fs::write(&file, b"\x89PNG\r\n\x1a\n").unwrap();
    let file = file.display().to_string();
    let ssh = |line: &'static str| vec![("SSH_ORIGINAL_COMMAND", line)];
    let cases: Vec<Case> = vec![
        (
            vec![],
            vec!["sync"],
            1,
            format!(
                "エラー: {repo} には git リモート `origin` が設定されていません。同期する相手がありません\n\
                 ヒント: `git -C {repo} remote add origin URL` で追加してください\n"
            ),
            format!(
                "error: no git remote `origin` is configured in {repo}; nothing to sync with\n\
                 hint: add one with `git -C {repo} remote add origin URL`\n"
            ),
        ),
        (
            vec![],
            vec!["report", "--format", "md", "-o", &home],
            1,
            format!("エラー: {home} はフォルダーです。レポートを書き出すファイルの名前を指定してください\n"),
            format!("error: {home} is a folder; name a file to write the report to\n"),
        ),
        (
            vec![],
            vec!["report", "--format", "md", "-o", "/nonexistent/r.md"],
            1,
            "エラー: /nonexistent/r.md: ファイルまたはフォルダーがありません（OS エラー 2）\n".to_owned(),
            "error: /nonexistent/r.md: No such file or directory (os error 2)\n".to_owned(),
        ),
        (
            vec![],
            vec!["evidence", "add", "Self/x", "1", &file],
            2,
            "エラー: `Self` は記録の ID でも `<対象>/<点検>` でもありません: ID `Self` は英小文字（a-z）か数字で始めてください\n".to_owned(),
            "error: `Self` is neither a run id nor `<subject>/<inspection>`: id `Self` must start with a lower-case letter or a digit\n".to_owned(),
        ),
        (
            vec![],
            vec!["--restricted", "report", "--format", "md", "-o", "/tmp/r.md"],
            1,
            "エラー: 制限モードでは、レポートはリポジトリの `reports/` フォルダーの中にだけ書き出せます（/tmp/r.md には書き出せません）\n\
             ヒント: 例: `-o reports/report.html`（リポジトリからの相対パス）\n".to_owned(),
            "error: in restricted mode a report can only be written inside the repository's reports/ folder, not /tmp/r.md\n\
             hint: for example `-o reports/report.html` (relative to the repository)\n".to_owned(),
        ),
        (
            ssh("history | sh"),
            vec!["--restricted"],
            2,
            "エラー: `|` は SSH のコマンドには書けません。tenken はシェルを通さないので、パイプ・リダイレクト・変数・パターンは使えません（文字そのものの意味なら引用符で囲んでください）\n".to_owned(),
            "error: `|` is not allowed in an ssh command: tenken runs no shell, so there are no pipes, redirections, variables or patterns (quote it if you meant it literally)\n".to_owned(),
        ),
        (
            ssh("report --format md -o x.md"),
            vec!["--restricted"],
            2,
            "エラー: SSH からの `report` は標準出力に書き出すだけです。`-o`/`--output` は使えません（手元でリダイレクトしてください）\n".to_owned(),
            "error: over ssh `report` writes to stdout only; `-o`/`--output` is not allowed (redirect the output on your side instead)\n".to_owned(),
        ),
        (
            ssh("sync"),
            vec!["--restricted"],
            2,
            "エラー: `sync` は SSH からは実行できません。この鍵で開けるのは tenken だけで、SSH のコマンドに書けるのは読み取りのコマンド（`history`、`compare`、`trend`、`subjects`、`roles`、`suppliers`、`due`、`path`、`actions`、`risks`、`report`、`handbook`、`check`、`verify`、`help`）だけです\n".to_owned(),
            "error: `sync` is not allowed over ssh: this key opens tenken only, and an ssh command may name only a read command (history, compare, trend, subjects, roles, suppliers, due, path, actions, risks, report, handbook, check, verify, help)\n".to_owned(),
        ),
        (
            vec![],
            vec!["--restricted", "demo", "--no-tui"],
            2,
            "エラー: `demo` は制限モードでは使えません。リポジトリの外に書き込むためです\n".to_owned(),
            "error: `demo` is not available in restricted mode: it writes outside the repository\n".to_owned(),
        ),
    ];
    for (envs, args, code, ja, en) in &cases {
        let (got, stderr) = failing(&env, "ja", envs, args);
        assert_eq!(
            (got, stderr.as_str()),
            (Some(*code), ja.as_str()),
            "{args:?}"
        );
        // Paths are data: the words around them must be Japanese.
        let words = stderr.replace(&repo, " ").replace(&home, " ");
        no_english(&data, args, &words);
        let (got, stderr) = failing(&env, "en", envs, args);
        assert_eq!(
            (got, stderr.as_str()),
            (Some(*code), en.as_str()),
            "{args:?}"
        );
    }
}

/// A store error reaching the walker's finish step is shown in the
/// session's language: the sentence and the hint of the catalogue.
#[cfg(unix)]
#[test]
fn the_tui_shows_a_store_error_in_japanese() {
    use crate::tui_support::{clock, id, new_repo, press, sato, screen_text};
    use tenken::model::Lang;
    use tenken::tui;

    for (lang, said) in [
        (
            Lang::Ja,
            [
                "コミットできませんでした: runs/self はリポジトリの外を指すシンボリックリンク",
                "ヒント: tenken はリポジトリの中にだけ書き込み、.git には書き込みません。",
            ],
        ),
        (
            Lang::En,
            [
                "Commit failed: refusing to write through runs/self: it is a symbolic link",
                "hint: tenken writes only inside the repository and never into .git;",
            ],
        ),
    ] {
        let (_env, _dir, store) = new_repo();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(store.root().join("runs")).unwrap();
        std::os::unix::fs::symlink(outside.path(), store.root().join("runs/self")).unwrap();
        let options = tui::Options {
            lang: Some(lang),
            clock: clock(crate::support::NOW),
            theme: tui::theme::Theme::plain(),
            restricted: false,
        };
        let mut app = tui::build_app(&store, sato(), options).unwrap();
        app.open_run(&id("ipa-five-principles"), &id("self"))
            .unwrap();
        press(&store, &mut app, "1 1 1 1 1 f y");
        let shown = screen_text(&mut app);
        for words in said {
            assert!(shown.contains(words), "{lang:?}: {words}\n{shown}");
        }
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }
}

/// sync's refusals when both sides changed a file, and when a local change
/// is in the way: whole in both languages, the Japanese without English.
#[test]
fn sync_conflicts_speak_japanese_and_english() {
    use crate::sync::{commit_subjects_change, shared, tenken_at};

    let env = TestEnv::new();
    let s = shared(&env);
    commit_subjects_change(&env, &s.a, "Example Holdings");
    tenken_at(&env, &s.a).arg("sync").assert().success();
    commit_subjects_change(&env, &s.b, "Example Group");
    let b = s.b.display().to_string();
    let refused = |lang: &str| {
        let out = tenken_at(&env, &s.b)
            .env("TENKEN_LANG", lang)
            .arg("sync")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stderr).unwrap()
    };
    let ja = refused("ja");
    assert_eq!(
        ja,
        format!(
            "エラー: 同期できません: `subjects.ron` がこちらと `origin` の両方で変更されています。{b} は何も変更していません\n\
             ヒント: 手でマージし（`git -C {b} pull origin main`）、衝突を解決してコミットしてから、もう一度 `tenken sync` を実行してください\n"
        )
    );
    let data = Data::read(&s.b);
    no_english(&data, &[], &ja.replace(&b, " "));
    assert_eq!(
        refused("en"),
        format!(
            "error: cannot sync: `subjects.ron` changed both here and on `origin`; nothing was changed in {b}\n\
             hint: merge by hand (`git -C {b} pull origin main`), resolve and commit, then run `tenken sync` again\n"
        )
    );
    // A local change the remote's version would overwrite.
    env.git(&s.b, &["reset", "-q", "--hard", "origin/main"]);
    let path = s.b.join("subjects.ron");
    let edited = std::fs::read_to_string(&path).unwrap() + "// local edit\n";
    std::fs::write(&path, &edited).unwrap();
    let theirs = s.a.join("subjects.ron");
    let text = std::fs::read_to_string(&theirs).unwrap();
    std::fs::write(&theirs, text.replace("Example Holdings", "Example Group")).unwrap();
    env.git(&s.a, &["commit", "-q", "-am", "subjects: rename again"]);
    tenken_at(&env, &s.a).arg("sync").assert().success();
    let ja = refused("ja");
    assert_eq!(
        ja,
        format!(
            "エラー: 同期できません: `subjects.ron` へのこちらの変更が `origin` の内容で上書きされてしまいます。{b} は何も変更していません\n\
             ヒント: その変更をコミットするか元に戻してから、もう一度 `tenken sync` を実行してください\n"
        )
    );
    no_english(&data, &[], &ja.replace(&b, " "));
    assert_eq!(
        refused("en"),
        format!(
            "error: cannot sync: local changes to `subjects.ron` would be overwritten by `origin`; nothing was changed in {b}\n\
             hint: commit or undo those changes, then run `tenken sync` again\n"
        )
    );
}
