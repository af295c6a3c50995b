//! Errors about the repository's state (git, the lock, `init`), shared by
//! every command that writes.

use super::{Label, Message};

/// `init` where a repository is already.
pub fn already_tenken(dir: &str) -> Message {
    Message::new(
        format!("{dir} はすでに tenken のリポジトリです。上書きはしません"),
        format!("{dir} is already a tenken repository; refusing to overwrite it"),
    )
}

/// `init --profile` names no bundled profile.
pub fn unknown_profile(profile: &str, known: &str) -> Message {
    Message::new(
        format!("プロファイル `{profile}` はありません。同梱のプロファイル: {known}"),
        format!("unknown profile `{profile}`; bundled profiles: {known}"),
    )
}

/// The repository's folder holds no git repository.
pub fn not_git(dir: &str) -> Message {
    Message::new(
        format!("{dir} は git リポジトリではありません"),
        format!("{dir} is not a git repository"),
    )
}

/// Where history lives.
pub const NOT_GIT_HINT: Label = Label::new(
    "tenken は履歴を git に残します。そこで `git init` を実行するか、`tenken init` でリポジトリを作成してください",
    "tenken keeps history in git; run `git init` there, or create the repository with `tenken init`",
);

/// HEAD is detached.
pub fn detached(at: &str, dir: &str) -> Message {
    Message::new(
        format!(
            "{dir} の HEAD がブランチから外れています（{at}）。tenken は記録をブランチにだけコミットします"
        ),
        format!("HEAD is detached (at {at}) in {dir}; tenken commits runs only onto a branch"),
    )
}

/// How to get back onto a branch.
pub const DETACHED_HINT: Label = Label::new(
    "記録を置くブランチに切り替えてください。例: `git switch main`",
    "switch to the branch runs belong on, for example `git switch main`",
);

/// Another git process holds git's index.
pub fn index_locked(lock: &str) -> Message {
    Message::new(
        format!("git のインデックスが別の git プロセスにロックされています（{lock} があります）"),
        format!("git's index is locked by another git process ({lock} exists)"),
    )
}

/// What to do about a stale index lock.
pub const INDEX_LOCKED_HINT: Label = Label::new(
    "その git コマンドが終わるのを待ってください。何も動いていなければ、異常終了したコマンドが残したファイルです。削除してからやり直してください",
    "wait for that git command to finish; if none is running, a crashed one left the file behind: remove it and try again",
);

/// Another tenken process holds the repository lock (`pid` when known).
pub fn repo_locked(pid: Option<u32>, lock: &str, waited: f32) -> Message {
    let (ja, en) = match pid {
        Some(pid) => (
            format!("別の tenken プロセス（pid {pid}）"),
            format!("another tenken process (pid {pid})"),
        ),
        None => (
            "別の tenken プロセス".to_owned(),
            "another tenken process".to_owned(),
        ),
    };
    Message::new(
        format!("{ja}がリポジトリのロック {lock} を持っています（{waited} 秒待ちました）"),
        format!("{en} holds the repository lock {lock} (waited {waited} s)"),
    )
}

/// When to try again.
pub const REPO_LOCKED_HINT: Label = Label::new(
    "もう一方の点検がコミットされてから、やり直してください",
    "try again when the other inspection has been committed",
);
