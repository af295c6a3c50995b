//! Why a commit cannot be signed (`signing_key` in `tenken.ron`): the key
//! file, ssh-agent, `allowed_signers`. The key library's and the agent's
//! own words come in as they are (English).

use super::{Label, Message};
use crate::model::Lang;

/// The key file could not be read (`why`: the loader's diagnostic).
pub fn unreadable(why: &Message) -> Message {
    Message::new(
        format!("署名の鍵: {}", why.get(Lang::Ja)),
        format!("the signing key: {}", why.get(Lang::En)),
    )
}

/// The key file is not an OpenSSH private key.
pub fn not_openssh(path: &str, why: &str) -> Message {
    Message::new(
        format!("{path}: OpenSSH の秘密鍵ではありません（{why}）"),
        format!("{path}: not an OpenSSH private key ({why})"),
    )
}

/// The key file has a passphrase.
pub fn encrypted(path: &str) -> Message {
    Message::new(
        format!("{path}: 署名の鍵がパスフレーズで保護されています"),
        format!("{path}: the signing key is protected by a passphrase"),
    )
}

/// Use the agent for a key with a passphrase.
pub const ENCRYPTED_HINT: Label = Label::new(
    "ssh-agent に読み込み（`ssh-add`）、tenken.ron で `signing_key: Some(\"agent\")` を設定してください",
    "add it to ssh-agent (`ssh-add`) and set `signing_key: Some(\"agent\")`",
);

/// An RSA key file whose numbers do not make a usable key (`why`, in
/// the RSA library's words).
pub fn rsa(path: &str, why: &str) -> Message {
    Message::new(
        format!("{path}: RSA の鍵として使えません（{why}）"),
        format!("{path}: not a usable RSA key ({why})"),
    )
}

/// The key did not sign.
pub fn cannot_sign(why: &str) -> Message {
    Message::new(
        format!("コミットに署名できません: {why}"),
        format!("cannot sign the commit: {why}"),
    )
}

/// What went wrong with ssh-agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent<'a> {
    /// `SSH_AUTH_SOCK` is not set.
    NoSocket,
    /// Connecting failed (why).
    Connect(&'a str),
    /// It did not sign (why).
    DidNotSign(&'a str),
    /// Another failure, in the agent library's words.
    Other(&'a str),
}

/// Signing through ssh-agent failed.
pub fn agent(what: Agent<'_>) -> Message {
    Message::of(|lang| {
        let why = match (what, lang) {
            (Agent::NoSocket, Lang::Ja) => "`SSH_AUTH_SOCK` が設定されていません".to_owned(),
            (Agent::NoSocket, Lang::En) => "SSH_AUTH_SOCK is not set".to_owned(),
            (Agent::Connect(e), Lang::Ja) => format!("接続できません（{e}）"),
            (Agent::Connect(e), Lang::En) => format!("cannot connect ({e})"),
            (Agent::DidNotSign(e), Lang::Ja) => format!("署名が返ってきませんでした（{e}）"),
            (Agent::DidNotSign(e), Lang::En) => format!("it did not sign ({e})"),
            (Agent::Other(e), _) => e.to_owned(),
        };
        match lang {
            Lang::Ja => format!("ssh-agent で署名できません: {why}"),
            Lang::En => format!("cannot sign through ssh-agent: {why}"),
        }
    })
}

/// What to check about the agent.
pub const AGENT_HINT: Label = Label::new(
    "ssh-agent が鍵を読み込んだ状態で動いているか（`ssh-add -l`）、`SSH_AUTH_SOCK` が設定されているかを確かめてください",
    "is the agent running with the key loaded (`ssh-add -l`), and SSH_AUTH_SOCK set?",
);

/// `allowed_signers` (the file name) cannot be read (`why`).
pub fn no_allowed_signers(file: &str, why: &Message) -> Message {
    Message::new(
        format!(
            "ssh-agent で署名するには、リポジトリの {file} が必要です: {}",
            why.get(Lang::Ja)
        ),
        format!(
            "signing with ssh-agent needs the repository's {file}: {}",
            why.get(Lang::En)
        ),
    )
}

/// The format of `allowed_signers`.
pub const ALLOWED_SIGNERS_HINT: Label = Label::new(
    "そこに点検者ごとの鍵を git の形式で書いてください: `sato@example.jp ssh-ed25519 AAAA… sato`",
    "list each inspector's key there in git's format: `sato@example.jp ssh-ed25519 AAAA… sato`",
);

/// No key of the agent is listed for `email`.
pub fn no_listed_key(email: &str, file: &str) -> Message {
    Message::new(
        format!("ssh-agent の鍵に、{file} で {email} の鍵とされているものがありません"),
        format!("no key in ssh-agent is listed for {email} in {file}"),
    )
}

/// How to list the key.
pub fn no_listed_key_hint(email: &str, file: &str) -> Message {
    Message::new(
        format!(
            "公開鍵を {file} に書き足して（`{email} ssh-ed25519 AAAA…`）コミットするか、書かれている鍵を `ssh-add` で読み込んでください"
        ),
        format!(
            "add your public key to {file} (`{email} ssh-ed25519 AAAA…`) and commit it, or load the listed key with `ssh-add`"
        ),
    )
}
