//! Words of `tenken withdraw`.

use super::{Label, Message};
use crate::model::Lang;

/// What was withdrawn, why, and the commit (run and reason escaped).
pub fn withdrew(lang: Lang, run: &str, reason: &str, commit: &str) -> String {
    let done = match lang {
        Lang::Ja => format!("取り下げました: {run}\n理由: {reason}\n"),
        Lang::En => format!("Withdrew {run}\nReason: {reason}\n"),
    };
    done + &super::commit_line(lang, commit)
}

/// A correction or withdrawal names something that is no run id.
pub fn not_a_run_id(run: &str) -> Message {
    Message::new(
        format!(
            "`{run}` は記録の ID ではありません（`<subject>/<inspection>/<stamp>-<inspector>` の形です）"
        ),
        format!("`{run}` is not a run id (`<subject>/<inspection>/<stamp>-<inspector>`)"),
    )
}

/// The run named is a file not committed.
pub fn not_committed(run: &str) -> Message {
    Message::new(
        format!("記録 `{run}` はコミットされていません"),
        format!("run `{run}` is not committed"),
    )
}

/// Only committed runs are corrected or withdrawn.
pub const NOT_COMMITTED_HINT: Label = Label::new(
    "訂正や取り下げができるのはコミット済みの記録だけです。コミットされていないファイルは記録に含まれません",
    "only a committed run can be corrected or withdrawn; an uncommitted file is not part of the record",
);

/// No run has the id.
pub fn no_such_run(run: &str) -> Message {
    Message::new(
        format!("記録 `{run}` はありません"),
        format!("there is no run `{run}`"),
    )
}

/// Where to find run ids.
pub const RUN_IDS_HINT: Label = Label::new(
    "すべての記録の ID は `tenken history --all --format json` で一覧できます",
    "`tenken history --all --format json` lists every run id",
);

/// The run was withdrawn already.
pub fn already_withdrawn(run: &str, date: &str, by: &str) -> Message {
    Message::new(
        format!("記録 `{run}` は {date} に `{by}` が取り下げ済みです"),
        format!("run `{run}` was already withdrawn on {date} by `{by}`"),
    )
}

/// The run was superseded and no longer counts.
pub fn superseded(run: &str, by: &str) -> Message {
    Message::new(
        format!("記録 `{run}` は `{by}` で訂正済みで、もう数えられていません"),
        format!("run `{run}` is superseded by `{by}` and no longer counts"),
    )
}

/// Withdraw the correction instead.
pub fn superseded_hint(by: &str) -> Message {
    Message::new(
        format!(
            "訂正後の記録も誤りなら、そちらを取り下げてください: `tenken withdraw {by} --reason …`"
        ),
        format!("withdraw the correction if it is wrong too: `tenken withdraw {by} --reason …`"),
    )
}

/// `--reason` missing or blank.
pub const NO_REASON: Label = Label::new(
    "取り下げには理由が必要です（--reason TEXT）",
    "a withdrawal needs a reason (--reason TEXT)",
);

/// A correction names a run of another subject or inspection.
pub fn correction_elsewhere(run: &str, of: (&str, &str), wanted: (&str, &str)) -> Message {
    let ((inspection, subject), (w_inspection, w_subject)) = (of, wanted);
    Message::new(
        format!(
            "記録 `{run}` は `{subject}` の `{inspection}` の記録です。訂正は同じ対象・同じ点検（`{w_subject}` の `{w_inspection}`）の記録でしかできません"
        ),
        format!(
            "run `{run}` is of `{inspection}` for `{subject}`; a correction must be of the same subject and inspection (`{w_inspection}` for `{w_subject}`)"
        ),
    )
}

/// A correction names a withdrawn run.
pub fn correcting_withdrawn(run: &str, date: &str, by: &str) -> Message {
    Message::new(
        format!(
            "記録 `{run}` は {date} に `{by}` が取り下げています。取り下げた記録は訂正できません"
        ),
        format!(
            "run `{run}` was withdrawn on {date} by `{by}`; a withdrawn run cannot be corrected"
        ),
    )
}

/// A correction names a run corrected already.
pub fn corrected_already(run: &str, by: &str) -> (Message, Message) {
    (
        Message::new(
            format!("記録 `{run}` はすでに `{by}` で訂正されています"),
            format!("run `{run}` is already superseded by `{by}`"),
        ),
        Message::new(
            format!("現在の記録を訂正してください: `--supersedes {by}`"),
            format!("correct the current run instead: `--supersedes {by}`"),
        ),
    )
}

/// The reason is longer than the limit.
pub fn reason_too_long(bytes: usize, limit: usize) -> Message {
    Message::new(
        format!("理由が {bytes} バイトあります。上限は {limit} バイトです"),
        format!("the reason is {bytes} bytes; the limit is {limit} bytes"),
    )
}
