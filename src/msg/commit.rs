//! What can go wrong around a commit of the store's: after it (committed,
//! but the work tree not brought in step), while choosing a file name
//! (too many in one second), with git's index or branch lock, a bare
//! repository, a run read while it changed, and the settings that steer
//! a commit (`TENKEN_NOW`, `--fiscal-year-start`, an old template version).
//!
//! A message that wraps another error takes its [`Message`], so that both
//! parts are in the same language.

use super::{Label, Message};
use crate::model::Lang;

/// What was committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done<'a> {
    /// A run (its id).
    Run(&'a str),
    /// A run's withdrawal (the run's id).
    Withdrawal(&'a str),
}

/// Committed as `commit`, but the work tree is not in step yet (`why`).
pub fn not_in_step(done: Done<'_>, commit: &str, why: &Message) -> Message {
    Message::of(|lang| {
        let why = why.get(lang);
        match (done, lang) {
            (Done::Run(id), Lang::Ja) => format!(
                "記録 {id} はコミット {commit} として記録されましたが、作業ツリーを合わせられませんでした（{why}）。次に tenken のコマンドを実行したときに仕上げます"
            ),
            (Done::Withdrawal(id), Lang::Ja) => format!(
                "{id} の取り下げはコミット {commit} として記録されましたが、作業ツリーを合わせられませんでした（{why}）。次に tenken のコマンドを実行したときに仕上げます"
            ),
            (Done::Run(id), Lang::En) => format!(
                "run {id} was committed as {commit}, but the work tree could not be brought in step ({why}); the next tenken command finishes it"
            ),
            (Done::Withdrawal(id), Lang::En) => format!(
                "the withdrawal of {id} was committed as {commit}, but the work tree could not be brought in step ({why}); the next tenken command finishes it"
            ),
        }
    })
}

/// A risk assessment committed whose draft could not be removed (`why`).
pub fn risk_draft_left(id: &str, commit: &str, why: &Message) -> Message {
    Message::of(|lang| match lang {
        Lang::Ja => format!(
            "リスク評価 {id} はコミット {commit} として記録されましたが、その下書きを削除できませんでした: {}",
            why.get(lang)
        ),
        Lang::En => format!(
            "risk assessment {id} was committed as {commit}, but its draft could not be removed: {}",
            why.get(lang)
        ),
    })
}

/// Every run file name of one second is taken.
pub fn same_second(most: u32, inspection: &str, subject: &str, inspector: &str) -> Message {
    Message::new(
        format!(
            "`{inspector}` による `{subject}` の `{inspection}` の記録が、同じ1秒のうちに {most}件を超えました"
        ),
        format!(
            "more than {most} runs of `{inspection}` for `{subject}` by `{inspector}` in the same second"
        ),
    )
}

/// Every risk assessment file name of one second is taken.
pub fn risks_same_second(assessor: &str) -> Message {
    Message::new(
        format!("`{assessor}` のリスク評価が、同じ1秒のうちに多すぎます"),
        format!("too many risk assessments by `{assessor}` in the same second"),
    )
}

/// A template version neither current nor in git history.
pub fn no_version(id: &str, version: u32, current: u32) -> Message {
    Message::new(
        format!("点検 `{id}` に版 {version} はありません（現在の版は {current}）"),
        format!("inspection `{id}` has no version {version} (the current version is {current})"),
    )
}

/// A run that changed while it was read.
pub fn changed_while_read(id: &str) -> Message {
    Message::new(
        format!("記録 `{id}` が読み込み中に変わりました。もう一度実行してください"),
        format!("run `{id}` changed while it was read; try again"),
    )
}

/// A bare repository (`bare`: git2 says so) or none with a work tree.
pub fn no_work_tree(bare: bool) -> Message {
    if bare {
        Message::new(
            "このリポジトリには作業ツリーがありません（ベアリポジトリです）",
            "the repository has no work tree (it is bare)",
        )
    } else {
        Message::new(
            "このリポジトリには作業ツリーがありません",
            "the repository has no work tree",
        )
    }
}

/// git's branch lock is held (`why`: git's words).
pub fn branch_locked(why: &str) -> Message {
    Message::new(format!("git: {why}"), format!("git: {why}"))
}

/// What to do about the branch lock.
pub const BRANCH_LOCKED_HINT: Label = Label::new(
    "別の git コマンドがブランチを使っています。何も動いていなければ、異常終了したコマンドが `.lock` ファイルを残しています。それを削除してからもう一度実行してください",
    "another git command holds the branch; if none is running, a crashed one left the `.lock` file behind: remove it and try again",
);

/// git's index could not be updated after a commit (`why`: the error).
pub fn index_not_updated(path: &str, why: &Message) -> Message {
    Message::of(|lang| match lang {
        Lang::Ja => format!(
            "{path} について git のインデックスを更新できませんでした: {}",
            why.get(lang)
        ),
        Lang::En => format!(
            "git's index could not be updated for {path}: {}",
            why.get(lang)
        ),
    })
}

/// How to bring the index in step.
pub fn index_hint(path: &str) -> Message {
    Message::new(
        format!("別の git コマンドが終わってから `git reset -q -- {path}` を実行してください"),
        format!("run `git reset -q -- {path}` once the other git command has finished"),
    )
}

/// A typed register form kept under another subject's name.
pub fn typing_elsewhere(path: &str) -> Message {
    Message::new(
        format!("{path}: 入力中のフォームが、ファイル名とは別の対象のものです"),
        format!("{path}: the form being typed is for another subject than its file name says"),
    )
}

/// `TENKEN_NOW` that is not RFC 3339 (`why`: the parser's words, which
/// the Japanese replaces with an example).
pub fn bad_now(value: &str, why: &str) -> Message {
    Message::new(
        format!(
            "`TENKEN_NOW` の `{value}` は RFC 3339 の日時ではありません（例: `2026-04-01T09:00:00+09:00`）"
        ),
        format!("TENKEN_NOW `{value}` is not an RFC 3339 timestamp: {why}"),
    )
}

/// A fiscal year starting in no month.
pub fn bad_month(month: u32) -> Message {
    Message::new(
        format!(
            "--fiscal-year-start には 1 から 12 までの月を指定してください（{month} は使えません）"
        ),
        format!("--fiscal-year-start must be a month from 1 to 12, not {month}"),
    )
}

/// A withdrawal file in the way that withdraws something else.
pub fn withdrawal_in_the_way(path: &str) -> Message {
    Message::new(
        format!("{path} がすでにありますが、コミット済みの記録にある取り下げとは違います"),
        format!("{path} already exists but does not withdraw the run in the committed record"),
    )
}

/// What to do with it.
pub const WITHDRAWAL_IN_THE_WAY_HINT: Label = Label::new(
    "コミットされていない取り下げのファイルが邪魔をしています。削除するか、git でコミットしてください",
    "an uncommitted withdrawal file is in the way: remove it, or commit it with git",
);

/// Another session holds the draft: who (inspector, process, host,
/// since), if its lock file could be read.
pub fn draft_held(holder: Option<(&str, u32, &str, &str)>) -> Message {
    match holder {
        Some((inspector, pid, host, since)) => Message::new(
            format!(
                "この下書きは別のセッションで開かれています: 点検者 `{inspector}`、{host} のプロセス {pid}、{since} から"
            ),
            format!(
                "this draft is open in another session: inspector `{inspector}`, process {pid} on {host}, since {since}"
            ),
        ),
        None => Message::new(
            "この下書きは別のセッションで開かれています",
            "this draft is open in another session",
        ),
    }
}

/// Leave the other session first.
pub const DRAFT_HELD_HINT: Label = Label::new(
    "先にそのセッションを終えてください。どのような形で終わったセッションでも、下書きは自動で解放されます",
    "finish or leave that session first; a session that ended in any way releases the draft by itself",
);
