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
