//! Why `tenken sync` stopped: the remote (missing, locked, unreachable,
//! rejecting the push), the local branch (detached, mid-merge, changes in
//! the way), a conflict, entries the remote may not bring, and the SSH
//! host-key and credential checks. `msg::sync` holds what a sync that
//! worked says.
//!
//! Paths, remote names, URLs and git's own words come in already shown
//! (escaped where they come from data); git's words stay English.

use super::{Label, Message};
use crate::model::Lang;

/// Another sync to the same local remote holds its lock.
pub fn remote_locked(remote: &str, lock: &str, secs: u64) -> Message {
    Message::new(
        format!("{remote} への別の `tenken sync` が {lock} を {secs} 秒間使い続けています"),
        format!("another tenken sync to {remote} has held {lock} for {secs} s"),
    )
}

/// Try again once the other sync is done.
pub const REMOTE_LOCKED_HINT: Label = Label::new(
    "それが終わってから、もう一度 `tenken sync` を実行してください",
    "run `tenken sync` again when it has finished",
);

/// The remote exists but has no URL.
pub fn no_url(name: &str, root: &str) -> Message {
    Message::new(
        format!("{root} の git リモート `{name}` には URL が設定されていません"),
        format!("git remote `{name}` in {root} has no URL"),
    )
}

/// No remote of that name.
pub fn no_remote(name: &str, root: &str) -> Message {
    Message::new(
        format!("{root} には git リモート `{name}` が設定されていません。同期する相手がありません"),
        format!("no git remote `{name}` is configured in {root}; nothing to sync with"),
    )
}

/// How to add the remote (the repository has none).
pub fn add_remote_hint(name: &str, root: &str) -> Message {
    Message::new(
        format!("`git -C {root} remote add {name} URL` で追加してください"),
        format!("add one with `git -C {root} remote add {name} URL`"),
    )
}

/// The remotes there are (quoted, joined), to choose from.
pub fn choose_remote_hint(known: &str) -> Message {
    Message::new(
        format!(
            "設定されているリモート: {known}。`--remote NAME` か tenken.ron の `remote` で選んでください"
        ),
        format!(
            "configured remotes: {known}; choose one with --remote NAME or `remote` in tenken.ron"
        ),
    )
}

/// HEAD is detached: sync works on a branch.
pub fn detached(root: &str) -> Message {
    Message::new(
        format!("{root} の HEAD がブランチから外れています。tenken が同期するのはブランチです"),
        format!("HEAD in {root} is detached; tenken syncs a branch"),
    )
}

/// How to get onto a branch before syncing.
pub fn switch_hint(root: &str) -> Message {
    Message::new(
        format!("先にブランチに切り替えてください。例: `git -C {root} switch main`"),
        format!("check one out first, e.g. `git -C {root} switch main`"),
    )
}

/// HEAD is a symbolic reference outside `refs/heads/`.
pub fn not_a_branch(target: &str) -> Message {
    Message::new(
        format!("HEAD が指している `{target}` はブランチではありません"),
        format!("HEAD points at `{target}`, which is not a branch"),
    )
}

/// A merge, rebase or similar is under way (`state` as git2 names it).
pub fn in_progress(state: &str, root: &str) -> Message {
    Message::new(
        format!("{root} では git の操作（`{state}`）が途中です"),
        format!("a git operation ({state}) is in progress in {root}"),
    )
}

/// Finish the git operation first.
pub const IN_PROGRESS_HINT: Label = Label::new(
    "先に git でその操作を終えるか中止してから、もう一度 `tenken sync` を実行してください",
    "finish or abort it with git first, then run `tenken sync` again",
);

/// Files whose names git did not give.
pub const SOME_FILES: Label = Label::new("いくつかのファイル", "some files");

/// The same files (quoted, joined) changed on both sides.
pub fn conflict(paths: &Message, remote: &str, root: &str) -> Message {
    Message::new(
        format!(
            "同期できません: {} がこちらと `{remote}` の両方で変更されています。{root} は何も変更していません",
            paths.get(Lang::Ja)
        ),
        format!(
            "cannot sync: {} changed both here and on `{remote}`; nothing was changed in {root}",
            paths.get(Lang::En)
        ),
    )
}

/// How to merge by hand.
pub fn merge_hint(root: &str, remote: &str, branch: &str) -> Message {
    Message::new(
        format!(
            "手でマージし（`git -C {root} pull {remote} {branch}`）、衝突を解決してコミットしてから、もう一度 `tenken sync` を実行してください"
        ),
        format!(
            "merge by hand (`git -C {root} pull {remote} {branch}`), resolve and commit, then run `tenken sync` again"
        ),
    )
}

/// Local changes (to files quoted, joined) the checkout would overwrite.
pub fn would_overwrite(paths: &Message, remote: &str, root: &str) -> Message {
    Message::new(
        format!(
            "同期できません: {} へのこちらの変更が `{remote}` の内容で上書きされてしまいます。{root} は何も変更していません",
            paths.get(Lang::Ja)
        ),
        format!(
            "cannot sync: local changes to {} would be overwritten by `{remote}`; nothing was changed in {root}",
            paths.get(Lang::En)
        ),
    )
}

/// Commit or undo the local changes.
pub const WOULD_OVERWRITE_HINT: Label = Label::new(
    "その変更をコミットするか元に戻してから、もう一度 `tenken sync` を実行してください",
    "commit or undo those changes, then run `tenken sync` again",
);

/// The remote brings entries tenken never checks out: `lines` are
/// [`brings`] lines, `more` how many were left out.
pub fn hazards(remote: &str, root: &str, lines: &[Message], more: usize) -> Message {
    Message::of(|lang| {
        let lines: Vec<&str> = lines.iter().map(|l| l.get(lang)).collect();
        let lines = lines.join("\n  ");
        match lang {
            Lang::Ja => {
                let more = match more {
                    0 => String::new(),
                    n => format!("（ほかに {n}件）"),
                };
                format!(
                    "同期できません: `{remote}` に、tenken が git から決して取り込まないものがあります。{root} は何も変更していません:\n  {lines}{more}"
                )
            }
            Lang::En => {
                let more = match more {
                    0 => String::new(),
                    n => format!(" (and {n} more)"),
                };
                format!(
                    "cannot sync: `{remote}` has entries tenken never takes from git; nothing was changed in {root}:\n  {lines}{more}"
                )
            }
        }
    })
}

/// One entry the remote brings: the commit that first has it (`None`:
/// the merge), its path and why it is refused.
pub fn brings(commit: Option<&str>, path: &str, why: &Message) -> Message {
    Message::of(|lang| match (lang, commit) {
        (Lang::Ja, Some(c)) => {
            format!("コミット {c} が `{path}` を持ち込みます: {}", why.get(lang))
        }
        (Lang::Ja, None) => {
            format!("マージが `{path}` を持ち込みます: {}", why.get(lang))
        }
        (Lang::En, c) => format!(
            "commit {} brings `{path}`: {}",
            c.unwrap_or("the merge"),
            why.get(lang)
        ),
    })
}

/// Ask for the entries to be removed.
pub const HAZARDS_HINT: Label = Label::new(
    "それを送信した人に削除を頼んでください（削除するコミットがあれば十分です）。そのあと、もう一度 `tenken sync` を実行してください",
    "ask whoever pushed it to remove them (a commit that deletes them is enough), then run `tenken sync` again",
);

/// `check`: an entry of HEAD that tenken never checks out (`why`).
pub fn tracked(why: &Message) -> Message {
    Message::new(
        format!("git で管理されていますが、{}", why.get(Lang::Ja)),
        format!("tracked in git, but {}", why.get(Lang::En)),
    )
}

/// An entry under `.tenken/` (`dir`).
pub fn under_state_dir(dir: &str) -> Message {
    Message::new(
        format!("{dir}/ の下にあります。tenken 自身の作業状態で、git からは決して取り込みません"),
        format!("it is under {dir}/, tenken's own working state, which is never taken from git"),
    )
}

/// Where a symbolic link from git leads that it may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTo<'a> {
    /// Out of the repository.
    Outside,
    /// Into `.git`.
    Git,
    /// Into `.tenken/` (the folder's name).
    State(&'a str),
    /// Through another link (its path).
    Through(&'a str),
}

/// A symbolic link to `target` that may not be checked out.
pub fn bad_link(target: &str, to: LinkTo<'_>) -> Message {
    let (ja, en) = match to {
        LinkTo::Outside => (
            "リポジトリの外を指しています".to_owned(),
            "outside the repository".to_owned(),
        ),
        LinkTo::Git => (
            "リポジトリの .git フォルダーの中を指しています".to_owned(),
            "into the repository's .git folder".to_owned(),
        ),
        LinkTo::State(dir) => (
            format!("tenken の {dir}/ フォルダーの中を指しています"),
            format!("into tenken's {dir}/ folder"),
        ),
        LinkTo::Through(link) => (
            format!("別のリンク（{link}）を経由しています"),
            format!("which leads through another link ({link})"),
        ),
    };
    Message::new(
        format!("`{target}` へのシンボリックリンクで、{ja}"),
        format!("it is a symbolic link to `{target}`, {en}"),
    )
}

/// The push was refused because the remote branch moved.
pub fn push_rejected(remote: &str, detail: &str) -> Message {
    Message::new(
        format!("`{remote}` が送信を拒否しました（{detail}）。同期の途中で変更されています"),
        format!("`{remote}` rejected the push ({detail}); it changed while syncing"),
    )
}

/// Sync again.
pub const SYNC_AGAIN_HINT: Label = Label::new(
    "もう一度 `tenken sync` を実行してください",
    "run `tenken sync` again",
);

/// Which way the transfer went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    /// Fetching.
    Fetch,
    /// Pushing.
    Push,
}

/// A transfer that failed, with why (a refusal of tenken's, or git's
/// own words).
pub fn transfer_failed(doing: Transfer, remote: &str, url: &str, why: &Message) -> Message {
    Message::of(|lang| match (lang, doing) {
        (Lang::Ja, Transfer::Fetch) => {
            format!("`{remote}`（{url}）から取得できません: {}", why.get(lang))
        }
        (Lang::Ja, Transfer::Push) => {
            format!("`{remote}`（{url}）へ送信できません: {}", why.get(lang))
        }
        (Lang::En, Transfer::Fetch) => {
            format!("cannot fetch from `{remote}` ({url}): {}", why.get(lang))
        }
        (Lang::En, Transfer::Push) => {
            format!("cannot push to `{remote}` ({url}): {}", why.get(lang))
        }
    })
}

/// What to check after an SSH transport error.
pub const SSH_HINT: Label = Label::new(
    "URL（標準以外のポートでは git2 に `ssh://user@host:port/path` の形が必要です）と、ssh-agent の鍵または tenken.ron の `ssh_key` を確かめてください",
    "check the URL (git2 needs `ssh://user@host:port/path` for a non-default port) and the key in ssh-agent or `ssh_key` in tenken.ron",
);

/// What to check after a network error.
pub const NET_HINT: Label = Label::new(
    "URL とネットワークの接続を確かめてください",
    "check the URL and the network connection",
);

/// What to check after another transport error.
pub const URL_HINT: Label = Label::new(
    "リモートの URL を `git remote -v` で確かめてください",
    "check the remote's URL with `git remote -v`",
);

/// `ssh_key` names a file that does not exist.
pub fn no_key_file(key: &str) -> Message {
    Message::new(
        format!("tenken.ron の `ssh_key` が指す SSH の鍵 {key} がありません"),
        format!("the ssh key {key} named by `ssh_key` in tenken.ron does not exist"),
    )
}

/// What was offered for SSH authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offered<'a> {
    /// Neither an agent nor a key.
    Nothing,
    /// The agent, with no key the server took.
    Agent,
    /// The key file (and maybe the agent).
    Key(&'a str),
}

/// SSH authentication as `user` failed.
pub fn auth_failed(user: &str, offered: Offered<'_>) -> Message {
    let (ja, en) = match offered {
        Offered::Nothing => (
            "ssh-agent が動いておらず（`SSH_AUTH_SOCK` が未設定）、tenken.ron に `ssh_key` もありません".to_owned(),
            "no ssh-agent is running (SSH_AUTH_SOCK is unset) and tenken.ron names no `ssh_key`".to_owned(),
        ),
        Offered::Agent => (
            "ssh-agent の鍵はどれもサーバーに受け付けられず、tenken.ron に `ssh_key` もありません".to_owned(),
            "the ssh-agent offered no key the server accepts, and tenken.ron names no `ssh_key`".to_owned(),
        ),
        Offered::Key(k) => (
            format!("ssh-agent の鍵も鍵ファイル {k} も受け付けられませんでした（パスフレーズ付きの鍵は ssh-agent に読み込んでください）"),
            format!("neither the ssh-agent nor the key {k} was accepted (a key with a passphrase needs the agent)"),
        ),
    };
    Message::new(
        format!("`{user}` としての SSH 認証に失敗しました: {ja}"),
        format!("ssh authentication as `{user}` failed: {en}"),
    )
}

/// No credentials for an HTTPS URL.
pub fn no_credentials(url: &str) -> Message {
    Message::new(
        format!("{url} に使える認証情報がありません"),
        format!("no credentials available for {url}"),
    )
}

/// The SSH server sent no host key.
pub fn no_host_key(host: &str) -> Message {
    Message::new(
        format!("SSH サーバー {host} がホスト鍵を送ってきませんでした"),
        format!("the ssh server {host} sent no host key"),
    )
}

/// A host key of unknown fingerprint.
pub const UNKNOWN_FINGERPRINT: Label = Label::new("指紋不明", "of unknown fingerprint");

/// HOME is not set, so there is no `known_hosts`.
pub fn no_home(name: &str) -> Message {
    Message::new(
        format!(
            "{name} のホスト鍵を確かめられません: `HOME` が設定されていないため `~/.ssh/known_hosts` がありません"
        ),
        format!(
            "cannot check the host key of {name}: HOME is not set, so there is no ~/.ssh/known_hosts"
        ),
    )
}

/// `known_hosts` could not be read.
pub fn known_hosts_unreadable(name: &str, path: &str, why: &str) -> Message {
    Message::new(
        format!("{name} のホスト鍵を確かめられません: {path} を読めません: {why}"),
        format!("cannot check the host key of {name}: cannot read {path}: {why}"),
    )
}

/// A host `known_hosts` does not list.
pub fn unknown_host(name: &str, fingerprint: &Message, path: &str, ssh: &str) -> Message {
    Message::new(
        format!(
            "SSH のホスト {name}（鍵 {}）は {path} にないため、接続しません。指紋をサーバーの管理者に確かめてから登録してください（例: 一度 `{ssh}` で接続する）",
            fingerprint.get(Lang::Ja)
        ),
        format!(
            "unknown ssh host {name} (key {}): it is not in {path}; refusing to connect. Check the fingerprint with the server's administrator, then add it, e.g. by connecting once with `{ssh}`",
            fingerprint.get(Lang::En)
        ),
    )
}

/// A host key other than the one on record.
pub fn host_key_mismatch(name: &str, fingerprint: &Message, path: &str) -> Message {
    Message::new(
        format!(
            "{name} のホスト鍵（{}）が {path} に記録された鍵と一致しないため、接続しません（サーバーが再インストールされたか、誰かが通信に割り込んでいます）",
            fingerprint.get(Lang::Ja)
        ),
        format!(
            "the host key of {name} ({}) does not match the one in {path}; refusing to connect (the server was reinstalled, or someone is intercepting the connection)",
            fingerprint.get(Lang::En)
        ),
    )
}

/// A revoked host key.
pub fn host_key_revoked(name: &str, fingerprint: &Message, path: &str) -> Message {
    Message::new(
        format!(
            "{name} のホスト鍵（{}）は {path} で `@revoked` とされているため、接続しません",
            fingerprint.get(Lang::Ja)
        ),
        format!(
            "the host key of {name} ({}) is marked @revoked in {path}; refusing to connect",
            fingerprint.get(Lang::En)
        ),
    )
}
