//! Refusals of restricted mode and of an SSH client's command
//! (`SSH_ORIGINAL_COMMAND`): what the forced command fixes, which words
//! and commands an SSH client may send. Used by `restricted`.

use super::Message;

/// A shell operator in the SSH client's command.
pub fn shell_special(c: &str) -> Message {
    Message::new(
        format!(
            "`{c}` は SSH のコマンドには書けません。tenken はシェルを通さないので、パイプ・リダイレクト・変数・パターンは使えません（文字そのものの意味なら引用符で囲んでください）"
        ),
        format!(
            "`{c}` is not allowed in an ssh command: tenken runs no shell, so there are no pipes, redirections, variables or patterns (quote it if you meant it literally)"
        ),
    )
}

/// A quote the SSH client's command opens and never closes.
pub fn unterminated(quote: char) -> Message {
    Message::new(
        format!("SSH のコマンドの {quote} 引用符が閉じられていません"),
        format!("the ssh command has an unterminated {quote} quote"),
    )
}

/// `--repo` or `--inspector` in the SSH client's command.
pub fn fixed_flag(flag: &str) -> Message {
    Message::new(
        format!(
            "`{flag}` は SSH からは指定できません。リポジトリと点検者は、この鍵の強制コマンドが決めています"
        ),
        format!(
            "`{flag}` cannot be given over ssh: this key's forced command fixes the repository and the inspector"
        ),
    )
}

/// `-o`/`--output` for `report` or `handbook` over SSH.
pub fn no_output_file(command: &str) -> Message {
    Message::new(
        format!(
            "SSH からの `{command}` は標準出力に書き出すだけです。`-o`/`--output` は使えません（手元でリダイレクトしてください）"
        ),
        format!(
            "over ssh `{command}` writes to stdout only; `-o`/`--output` is not allowed (redirect the output on your side instead)"
        ),
    )
}

/// A command an SSH client may not name; `read` lists those it may.
pub fn not_allowed(command: &str, read: &[&str]) -> Message {
    let quoted: Vec<String> = read.iter().map(|c| format!("`{c}`")).collect();
    let (quoted, read) = (quoted.join("、"), read.join(", "));
    Message::new(
        format!(
            "`{command}` は SSH からは実行できません。この鍵で開けるのは tenken だけで、SSH のコマンドに書けるのは読み取りのコマンド（{quoted}）だけです"
        ),
        format!(
            "`{command}` is not allowed over ssh: this key opens tenken only, and an ssh command may name only a read command ({read})"
        ),
    )
}

/// A single-purpose key (its forced command names a command) given a
/// command by the SSH client.
pub fn single_purpose(forced: &str, original: &str) -> Message {
    Message::new(
        format!(
            "この鍵で実行できるのは `tenken {forced}` だけです。SSH のコマンド `{original}` は実行していません（コマンドを付けずに `ssh -t` で接続してください）"
        ),
        format!(
            "this key runs only `tenken {forced}`; the ssh command `{original}` was not run (connect without a command, with `ssh -t`)"
        ),
    )
}

/// What restricted mode's command line lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// `--repo`.
    Repo,
    /// `--inspector`.
    Inspector,
    /// Both.
    Both,
}

/// Restricted mode without the repository or the inspector fixed.
pub fn needs_identity(missing: Missing) -> Message {
    let (ja, en) = match missing {
        Missing::Repo => ("`--repo DIR`", "`--repo DIR`"),
        Missing::Inspector => ("`--inspector ID`", "`--inspector ID`"),
        Missing::Both => (
            "`--repo DIR` と `--inspector ID`",
            "`--repo DIR` and `--inspector ID`",
        ),
    };
    Message::new(
        format!(
            "制限モードでは、コマンドラインに {ja} が必要です（または強制コマンドで `TENKEN_REPO` と `TENKEN_INSPECTOR` を設定してください）"
        ),
        format!(
            "restricted mode needs {en} on the command line (or TENKEN_REPO and TENKEN_INSPECTOR set by the forced command)"
        ),
    )
}

/// `init` or `demo` in restricted mode.
pub fn writes_outside(command: &str) -> Message {
    Message::new(
        format!("`{command}` は制限モードでは使えません。リポジトリの外に書き込むためです"),
        format!(
            "`{command}` is not available in restricted mode: it writes outside the repository"
        ),
    )
}

/// A `--closes` value that is no `<run id>#<item>`.
pub fn not_an_action(key: &str) -> Message {
    Message::new(
        format!("`{key}` は是正処置を指していません（`<記録ID>#<項目>` の形で書いてください）"),
        format!("`{key}` names no corrective action (expected `<run id>#<item>`)"),
    )
}
