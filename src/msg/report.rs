//! Words of `tenken report` said on the command line (the report's own
//! words are the renderers', in report/).

use super::{Label, Message};
use crate::model::Lang;

/// `--compare-with` names the run being reported.
pub fn compare_with_itself(run: &str) -> Message {
    Message::new(
        format!(
            "--compare-with が報告する記録 `{run}` 自体を指しています。それより前の記録か期間を指定してください"
        ),
        format!(
            "--compare-with names the reported run `{run}` itself; name an earlier run or period"
        ),
    )
}

/// The run asked for was corrected by a later one.
pub fn superseded(run: &str, by: &str) -> Message {
    Message::new(
        format!("記録 `{run}` は `{by}` で訂正されています"),
        format!("run `{run}` is superseded by `{by}`"),
    )
}

/// Reports cover the current record.
pub const SUPERSEDED_HINT: Label = Label::new(
    "報告書は現在の記録を扱います。訂正後の記録で作成するか、`tenken compare` で2つを比べてください",
    "reports cover the current record: report on the correction, or compare the two with `tenken compare`",
);

/// The run asked for was withdrawn.
pub fn withdrawn(run: &str, date: &str, by: &str, reason: &str) -> Message {
    Message::new(
        format!("記録 `{run}` は {date} に `{by}` が取り下げました: {reason}"),
        format!("run `{run}` was withdrawn on {date} by `{by}`: {reason}"),
    )
}

/// No subject has a run of the inspection for the selection.
pub fn none_for(lang: Lang, inspection: &str, spec: &str) -> String {
    match lang {
        Lang::Ja => format!("{spec} の `{inspection}` の記録がある対象はありません"),
        Lang::En => format!("no subject has a run of `{inspection}` for {spec}"),
    }
}

/// What to select instead.
pub const NONE_FOR_HINT: Label = Label::new(
    "別の期間を指定するか、--period を外して最新の記録で作成してください",
    "name another period, or leave out --period for the latest runs",
);
