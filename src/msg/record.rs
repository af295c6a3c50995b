//! Words of `tenken record`: what was recorded, and why an answers file
//! was refused.

use super::{Label, Message};
use crate::model::Lang;

/// The answers file does not exist.
pub fn no_answers_file(path: &str) -> Message {
    Message::new(
        format!("回答ファイル {path} がありません"),
        format!("the answers file {path} does not exist"),
    )
}

/// Where answers files come from.
pub const ANSWERS_FILE_HINT: Label = Label::new(
    "パスを確かめてください。委託先向けの質問票は `tenken suppliers export` で書き出せます",
    "check the path; `tenken suppliers export` writes a questionnaire for a supplier to fill in",
);

/// Items the answers file leaves unanswered (ids joined).
pub fn unanswered(lang: Lang, missing: usize, items: usize, path: &str, ids: &str) -> String {
    match lang {
        Lang::Ja => format!("{path} には {items}項目のうち {missing}項目の回答がありません: {ids}"),
        Lang::En => format!("{missing} of {items} items have no answer in {path}: {ids}"),
    }
}

/// What to do about unanswered items.
pub const UNANSWERED_HINT: Label = Label::new(
    "回答を書き足すか、未回答のまま記録するなら --allow-partial を付けてください",
    "answer them, or pass --allow-partial to record an incomplete run",
);

/// `--closes` names no open action.
pub fn closes_nothing(key: &str) -> Message {
    Message::new(
        format!("--closes `{key}` に当たる未完了の是正処置はありません"),
        format!("--closes `{key}` names no open corrective action"),
    )
}

/// How to name an action for `--closes`.
pub const CLOSES_HINT: Label = Label::new(
    "`tenken actions --format json` の `run` と `item` を `<run>#<item>` の形で指定してください",
    "`tenken actions --format json` lists them as `run` and `item`: pass `<run>#<item>`",
);

/// The subject already has a run of the inspection that day.
pub fn same_day(
    subject: &str,
    inspection: &str,
    date: &str,
    run: &str,
    committed: bool,
) -> Message {
    Message::new(
        format!(
            "`{subject}` には {date} の `{inspection}` の記録がすでにあります: {run}{}",
            if committed {
                ""
            } else {
                "（未コミット）"
            }
        ),
        format!(
            "`{subject}` already has a run of `{inspection}` on {date}: {run}{}",
            if committed { "" } else { " (not committed)" }
        ),
    )
}

/// How to correct a run or record a second one of the same day.
pub fn same_day_hint(run: &str) -> Message {
    Message::new(
        format!(
            "訂正するなら `--supersedes {run}` を、同じ日にもう一度記録するなら `--new` を付けてください"
        ),
        format!(
            "to correct it pass `--supersedes {run}`; to record another run of that day on purpose pass `--new`"
        ),
    )
}

/// The answers file was read as CP932.
pub fn read_as_cp932(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Ja => format!(
            "{path} を CP932（Shift_JIS）として読み込みました（日本語版 Excel が CSV を保存する文字コード）"
        ),
        Lang::En => format!(
            "note: read {path} as CP932 (Shift_JIS), the encoding Excel in Japan saves CSV in"
        ),
    }
}

/// What `record` recorded: the run, the run it corrects, the score and
/// band, unanswered items, the commit.
pub struct Recorded<'a> {
    /// The new run's id.
    pub run: &'a str,
    /// The run it supersedes.
    pub supersedes: Option<&'a str>,
    /// Points scored, points possible, percentage.
    pub score: (i64, i64, f64),
    /// The band, escaped.
    pub band: Option<&'a str>,
    /// Items left unanswered, and items in the checklist.
    pub unanswered: (usize, usize),
    /// The commit.
    pub commit: &'a str,
}

/// Renders what was recorded, one fact a line.
pub fn recorded(lang: Lang, r: &Recorded<'_>) -> String {
    let (score, max, percent) = r.score;
    let (unanswered, items) = r.unanswered;
    let mut lines = Vec::new();
    match lang {
        Lang::Ja => {
            lines.push(format!("記録しました: {}", r.run));
            lines.extend(r.supersedes.map(|old| format!("訂正前の記録: {old}")));
            let band = r.band.map(|b| format!("、{b}")).unwrap_or_default();
            lines.push(format!("得点: {score}/{max}（{percent:.1}%）{band}"));
            if unanswered > 0 {
                lines.push(format!("未回答: {items}項目のうち {unanswered}項目"));
            }
            lines.push(format!("コミット: {}", r.commit));
        }
        Lang::En => {
            lines.push(format!("Recorded {}", r.run));
            lines.extend(r.supersedes.map(|old| format!("Supersedes: {old}")));
            let band = r.band.map(|b| format!(", {b}")).unwrap_or_default();
            lines.push(format!("Score: {score}/{max} ({percent:.1}%){band}"));
            if unanswered > 0 {
                lines.push(format!("Unanswered: {unanswered} of {items} items"));
            }
            lines.push(format!("Commit: {}", r.commit));
        }
    }
    lines.join("\n") + "\n"
}

/// A questionnaire written for another supplier.
pub fn other_supplier(path: &str, written_for: &str, subject: &str) -> (Message, Message) {
    (
        Message::new(
            format!(
                "{path}: この質問票は委託先 `{written_for}` 向けで、`{subject}` 向けではありません"
            ),
            format!(
                "{path}: this questionnaire was written for supplier `{written_for}`, not `{subject}`"
            ),
        ),
        Message::new(
            format!(
                "--subject {written_for} で記録するか、`tenken suppliers export {subject}` で {subject} 向けの質問票を書き出してください"
            ),
            format!(
                "record it with --subject {written_for}, or export one for {subject} with `tenken suppliers export {subject}`"
            ),
        ),
    )
}

/// A questionnaire of another inspection.
pub fn other_inspection(path: &str, asks: &str, inspection: &str) -> (Message, Message) {
    (
        Message::new(
            format!("{path}: この質問票は点検 `{asks}` のもので、`{inspection}` ではありません"),
            format!("{path}: this questionnaire asks inspection `{asks}`, not `{inspection}`"),
        ),
        Message::new(
            format!("`tenken record {asks} …` で記録してください"),
            format!("record it with `tenken record {asks} …`"),
        ),
    )
}

/// A questionnaire of another version of the template.
pub fn other_version(
    path: &str,
    written_for: &str,
    (inspection, version): (&str, u32),
    subject: &str,
) -> (Message, Message) {
    (
        Message::new(
            format!(
                "{path}: この質問票は `{inspection}` の版 {written_for} 向けですが、チェックリストは現在 版 {version} で、質問が異なる可能性があります"
            ),
            format!(
                "{path}: this questionnaire was written for version {written_for} of `{inspection}`, but the template is now version {version}, whose questions may differ"
            ),
        ),
        Message::new(
            format!(
                "委託先に新しい質問票を送ってください: tenken suppliers export {subject} --inspection {inspection} --format xlsx -o FILE"
            ),
            format!(
                "send the supplier a new one: tenken suppliers export {subject} --inspection {inspection} --format xlsx -o FILE"
            ),
        ),
    )
}

/// The template a run answers has an edit not committed.
pub fn template_not_committed(id: &str) -> (Message, Message) {
    (
        Message::new(
            format!(
                "inspections/{id}.ron にコミットされていない変更があります。得点をいつでも再現できるよう、記録はコミット済みのチェックリストに対してだけ残します"
            ),
            format!(
                "inspections/{id}.ron has changes that are not committed; a run is only recorded against a committed template, so that its score can always be reproduced"
            ),
        ),
        Message::new(
            format!(
                "先にチェックリストをコミットするか（`git add inspections/{id}.ron && git commit`。項目や配点を変えたなら `version` を上げてください）、変更を取り消してください"
            ),
            format!(
                "commit the template first (`git add inspections/{id}.ron && git commit`; bump `version` if items or points changed), or undo the change"
            ),
        ),
    )
}

/// The template version a draft was started with is gone.
pub fn template_gone(id: &str) -> (Message, Message) {
    (
        Message::new(
            format!(
                "この点検を始めたときの inspections/{id}.ron の版が、作業ツリーにも git の履歴にもありません"
            ),
            format!(
                "the version of inspections/{id}.ron this run was started with is no longer there, in the work tree or in git history"
            ),
        ),
        Message::new(
            "現在のチェックリストで点検をやり直してください",
            "start the run again from the current template",
        ),
    )
}

/// An answer changed after its note, evidence or action were written.
pub fn unsettled(item: &str, now: &str, written_for: &str) -> (Message, Message) {
    (
        Message::new(
            format!(
                "項目 {item} の回答は `{now}` に変わりましたが、メモ・証跡・対策は `{written_for}` のときに書かれたものです"
            ),
            format!(
                "item {item} was changed to `{now}`, but its note, evidence or action were written for `{written_for}`"
            ),
        ),
        Message::new(
            "完了する前に、ウォーカーでそれらを残すか、消すか、書き直してください",
            "keep, clear or rewrite them in the walker before finishing",
        ),
    )
}
