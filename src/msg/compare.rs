//! Words of `tenken compare` (one subject's two runs, or every subject
//! ranked).

use super::Label;
use crate::compare::{ItemChange, RunSpec, SelectError, Summary};
use crate::escape;
use crate::model::Lang;
use crate::number::{plural, signed, signed_pct};
use crate::period::PeriodError;

/// Returns the heading of the section listing one kind of change.
pub fn section(change: ItemChange) -> Label {
    match change {
        ItemChange::Regressed => Label::new("悪化", "Regressed"),
        ItemChange::Improved => Label::new("改善", "Improved"),
        ItemChange::Added => Label::new("追加", "Added"),
        ItemChange::Removed => Label::new("削除", "Removed"),
        ItemChange::Unanswered => Label::new("未回答", "Unanswered"),
        ItemChange::Unchanged => Label::new("変化なし", "Unchanged"),
    }
}

/// A section's heading with how many items it lists.
pub fn section_heading(lang: Lang, change: ItemChange, items: usize) -> String {
    let heading = section(change).get(lang);
    match lang {
        Lang::Ja => format!("\n{heading}（{items}件）:\n"),
        Lang::En => format!("\n{heading} ({items}):\n"),
    }
}

/// An item that counts as added because it is new in the checklist.
pub const NEW_ITEM: Label = Label::new("（新しい項目）", " (new item)");
/// An item answered "not applicable" before and applicable now.
pub const NOW_APPLICABLE: Label = Label::new("（対象になった）", " (now applicable)");
/// An item left unanswered before.
pub const FIRST_ANSWERED: Label = Label::new("（初めて回答）", " (first answered)");
/// An item the later checklist no longer has.
pub const NO_LONGER_LISTED: Label = Label::new(
    "（チェックリストから削除）",
    " (no longer in the checklist)",
);
/// An item answered "not applicable" now.
pub const NOW_NOT_APPLICABLE: Label = Label::new("（対象外になった）", " (now not applicable)");

/// Items neither run answered.
pub fn unanswered_in_both(lang: Lang, ids: &str) -> String {
    match lang {
        Lang::Ja => format!("\n両方の記録で未回答: {ids}\n"),
        Lang::En => format!("\nUnanswered in both runs: {ids}\n"),
    }
}

/// Heads the items whose answer stayed but whose note changed.
pub fn notes_changed(lang: Lang, items: usize) -> String {
    match lang {
        Lang::Ja => format!("\nメモの変更（{items}件）:\n"),
        Lang::En => format!("\nNotes changed ({items}):\n"),
    }
}

/// Items the checklist added between the two runs' versions.
pub const TEMPLATE_ADDED: Label = Label::new("追加", "added");
/// Items the checklist removed.
pub const TEMPLATE_REMOVED: Label = Label::new("削除", "removed");
/// Items whose points changed.
pub const TEMPLATE_RESCALED: Label = Label::new("配点変更", "rescaled");
/// Items whose wording changed.
pub const TEMPLATE_REWORDED: Label = Label::new("文言変更", "reworded");
/// Separates the kinds of template change.
pub const TEMPLATE_SEPARATOR: Label = Label::new("、", "; ");
/// A new version of the checklist with the same items.
pub const SAME_ITEMS: Label = Label::new("項目は同じ", "same items");

/// The checklist's versions differ between the runs.
pub fn template_version(lang: Lang, from: u32, to: u32, detail: &str) -> String {
    match lang {
        Lang::Ja => format!("\nチェックリストの版 {from} → {to}：{detail}。\n"),
        Lang::En => format!("\nTemplate version {from} → {to}: {detail}.\n"),
    }
}

/// The band after the change, and before it when it differs (escaped).
pub fn band_change(lang: Lang, before: Option<&str>, after: &str) -> String {
    match (lang, before) {
        (Lang::Ja, Some(before)) => format!("、評価 {before} → {after}"),
        (Lang::Ja, None) => format!("、評価 {after}"),
        (Lang::En, Some(before)) => format!("; band {before} → {after}"),
        (Lang::En, None) => format!("; band {after}"),
    }
}

/// A score as `points/max (percent%)`.
pub struct Side {
    /// The points scored.
    pub score: i64,
    /// The points possible.
    pub max: i64,
    /// The percentage, rounded to one decimal.
    pub percent: f64,
}

/// The last line of a comparison: counts of each change, the scores and
/// their difference, then `band` (from [`band_change`]).
pub fn summary(
    lang: Lang,
    sum: &Summary,
    (from, to): (&Side, &Side),
    (score_delta, percent_delta): (i64, f64),
    band: &str,
) -> String {
    let (delta, points) = (signed(score_delta), signed_pct(percent_delta));
    let side = |s: &Side| match lang {
        Lang::Ja => format!("{}/{}（{:.1}%）", s.score, s.max, s.percent),
        Lang::En => format!("{}/{} ({:.1}%)", s.score, s.max, s.percent),
    };
    let (from, to) = (side(from), side(to));
    match lang {
        Lang::Ja => format!(
            "\nまとめ：悪化 {}件、改善 {}件、変化なし {}件、追加 {}件、削除 {}件、未回答 {}件。得点 {from} → {to}、{delta}（{points} ポイント）{band}。\n",
            sum.regressed, sum.improved, sum.unchanged, sum.added, sum.removed, sum.unanswered,
        ),
        Lang::En => format!(
            "\nSummary: {} regressed, {} improved, {} unchanged, {} added, {} removed, {} unanswered; score {from} → {to}, {delta} ({points} points){band}.\n",
            sum.regressed, sum.improved, sum.unchanged, sum.added, sum.removed, sum.unanswered,
        ),
    }
}

/// The ranking's heading: the inspection, the two selections and how many
/// subjects.
pub fn ranking_heading(
    lang: Lang,
    inspection: &str,
    from: &RunSpec,
    to: &RunSpec,
    subjects: usize,
) -> String {
    let pair = match (from, to) {
        (RunSpec::Previous, RunSpec::Latest) => lang
            .pick(
                "各対象の最新の記録と前回の記録",
                "each latest run against its previous run",
            )
            .to_owned(),
        _ => format!("{} → {}", run_spec(lang, from), run_spec(lang, to)),
    };
    match lang {
        Lang::Ja => format!("{inspection}: {pair}、対象 {subjects}件を変化の大きい順に表示\n\n"),
        Lang::En => format!(
            "{inspection}: {pair}, {} ranked by change\n\n",
            plural(subjects, "subject")
        ),
    }
}

/// One subject's counts in the ranking.
pub fn ranked_counts(lang: Lang, regressed: usize, improved: usize) -> String {
    match lang {
        Lang::Ja => format!("悪化 {regressed}件、改善 {improved}件"),
        Lang::En => format!("{regressed} regressed, {improved} improved"),
    }
}

/// A subject left out of the ranking, and why (the reason is escaped).
pub fn skipped(lang: Lang, subject: &str, why: &str) -> String {
    match lang {
        Lang::Ja => format!("  {subject}: 比較せず、{why}\n"),
        Lang::En => format!("  {subject}: skipped, {why}\n"),
    }
}

/// The ranking's last line.
pub fn ranking_summary(
    lang: Lang,
    compared: usize,
    skipped: usize,
    regressed: usize,
    improved: usize,
) -> String {
    match lang {
        Lang::Ja => format!(
            "\nまとめ：比較 {compared}件、比較せず {skipped}件。悪化 {regressed}件、改善 {improved}件。\n"
        ),
        Lang::En => format!(
            "\nSummary: {} compared, {skipped} skipped; {regressed} regressed, {improved} improved.\n",
            plural(compared, "subject")
        ),
    }
}

/// Says why no run could be chosen for a subject, or why a name of a run
/// is none, in `lang`.
pub fn select_error(lang: Lang, e: &SelectError) -> String {
    let nearest = |before: Option<String>, after: Option<String>| match (before, after) {
        (Some(b), Some(a)) => format!("（近くで記録があるのは {b} と {a}）"),
        (Some(x), None) | (None, Some(x)) => format!("（近くで記録があるのは {x}）"),
        (None, None) => String::new(),
    };
    match (lang, e) {
        (Lang::Ja, SelectError::BadSpec(s)) => format!(
            "`{s}` は記録の ID、日付（YYYY-MM-DD）、期間（2026Q3、FY2026Q2、2026H1、2026）、`latest`、`previous` のいずれでもありません"
        ),
        (Lang::Ja, SelectError::BadDate(s)) => {
            format!("`{s}` は暦にない日付です。YYYY-MM-DD の形で書いてください")
        }
        (Lang::Ja, SelectError::BadPeriod(PeriodError::OutOfRange(s))) => {
            format!("`{s}` という四半期・半期はありません。四半期は Q1〜Q4、半期は H1〜H2 です")
        }
        (Lang::Ja, SelectError::NoRuns) => "完了した点検記録がありません".to_owned(),
        (Lang::Ja, SelectError::NoPrevious { run, period }) => format!(
            "{} の四半期 {period} より前に完了した記録がなく、比べる相手がありません",
            escape::line(run)
        ),
        (Lang::Ja, SelectError::UnknownRun(run)) => {
            format!("記録 `{}` はありません", escape::line(run))
        }
        (
            Lang::Ja,
            SelectError::NoRunOnDate {
                date,
                before,
                after,
            },
        ) => format!(
            "{date} に完了した記録がありません{}",
            nearest(before.map(|d| d.to_string()), after.map(|d| d.to_string()))
        ),
        (
            Lang::Ja,
            SelectError::NoRunInPeriod {
                period,
                before,
                after,
            },
        ) => format!(
            "{period} に完了した記録がありません{}",
            nearest(before.map(|p| p.to_string()), after.map(|p| p.to_string()))
        ),
        _ => e.to_string(),
    }
}

/// Names the run a selection stands for: a run id, date or period as it
/// is, `latest` and `previous` in words.
pub fn run_spec(lang: Lang, spec: &RunSpec) -> String {
    match (lang, spec) {
        (Lang::Ja, RunSpec::Latest) => "最新".to_owned(),
        (Lang::Ja, RunSpec::Previous) => "前回".to_owned(),
        _ => spec.to_string(),
    }
}

/// Nothing to compare or trend: no run of the subject and inspection asked
/// for. Returns the message and its hint.
pub fn no_runs(lang: Lang, subject: Option<&str>, inspection: Option<&str>) -> (String, String) {
    let message = match (lang, subject, inspection) {
        (Lang::Ja, Some(s), Some(i)) => format!("`{s}` の `{i}` の記録がありません"),
        (Lang::Ja, Some(s), None) => format!("`{s}` の記録がありません"),
        (Lang::Ja, None, Some(i)) => format!("`{i}` の記録がありません"),
        (Lang::Ja, None, None) => "このリポジトリには点検記録がありません".to_owned(),
        (Lang::En, Some(s), Some(i)) => format!("no runs of `{i}` for `{s}`"),
        (Lang::En, Some(s), None) => format!("no runs for `{s}`"),
        (Lang::En, None, Some(i)) => format!("no runs of `{i}`"),
        (Lang::En, None, None) => "no runs in this repository".to_owned(),
    };
    let hint = lang.pick(
        "`tenken run INSPECTION` で点検を終えるか、`tenken record` で記録してください",
        "finish a run with `tenken run INSPECTION` or record one with `tenken record`",
    );
    (message, hint.to_owned())
}

/// `--fail-on-regression` of one comparison: how many items regressed
/// between the two runs' dates.
pub fn regressed_between(
    lang: Lang,
    items: usize,
    from: impl std::fmt::Display,
    to: impl std::fmt::Display,
) -> String {
    match lang {
        Lang::Ja => format!("{from} から {to} までに {items}項目が悪化しました"),
        Lang::En => format!(
            "{} regressed between {from} and {to}",
            plural(items, "item")
        ),
    }
}

/// `--fail-on-regression` of a ranking: how many items regressed in how
/// many subjects.
pub fn regressed_in(lang: Lang, items: usize, subjects: usize) -> String {
    match lang {
        Lang::Ja => format!("対象 {subjects}件で {items}項目が悪化しました"),
        Lang::En => format!(
            "{} regressed in {}",
            plural(items, "item"),
            plural(subjects, "subject")
        ),
    }
}

/// No subject has runs for both selections of a ranking.
pub fn none_for_both(lang: Lang, inspection: &str, from: &str, to: &str) -> String {
    match lang {
        Lang::Ja => {
            format!("{from} と {to} の両方に `{inspection}` の記録がある対象はありません")
        }
        Lang::En => {
            format!("no subject has runs of `{inspection}` for both {from} and {to}")
        }
    }
}

/// What to select instead.
pub const NONE_FOR_BOTH_HINT: Label = Label::new(
    "別の期間か記録を指定してください。例: `tenken compare previous latest --inspection ID`",
    "name other periods or runs, for example `tenken compare previous latest --inspection ID`",
);

/// Two runs named are of different subjects or inspections.
pub fn different_groups(a: &str, b: &str) -> super::Message {
    super::Message::new(
        format!(
            "記録 `{a}` と `{b}` は対象か点検が違います。同じ対象・同じ点検の記録どうしを比べてください"
        ),
        format!(
            "runs `{a}` and `{b}` are of different subjects or inspections; compare runs of one subject and inspection"
        ),
    )
}

/// A run named is not of the subject or inspection given.
pub fn not_of_flags(run: &str) -> super::Message {
    super::Message::new(
        format!(
            "記録 `{run}` は --subject や --inspection で指定した対象・点検のものではありません"
        ),
        format!("run `{run}` is not of the --subject or --inspection given"),
    )
}

/// The hint when the default "previous" run does not exist.
pub const NAME_TWO_RUNS: Label = Label::new(
    "比べる2つの記録を ID か日付で指定してください（`tenken history` で一覧できます）",
    "name two runs to compare by id or date (`tenken history` lists them)",
);
