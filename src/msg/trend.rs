//! Words of `tenken trend`.

use super::Label;
use crate::model::Lang;
use crate::number::{plural, signed, signed_pct};
use crate::period::PeriodKind;

/// Returns the kind of period a trend is counted by.
pub fn period_kind(kind: PeriodKind) -> Label {
    match kind {
        PeriodKind::Quarter => Label::new("四半期", "quarter"),
        PeriodKind::FiscalQuarter => Label::new("年度の四半期", "fiscal quarter"),
        PeriodKind::HalfYear => Label::new("半期", "half-year"),
        PeriodKind::FiscalHalf => Label::new("年度の半期", "fiscal half-year"),
        PeriodKind::Year => Label::new("暦年", "year"),
        PeriodKind::FiscalYear => Label::new("年度", "fiscal year"),
    }
}

/// A trend's heading: subject, inspection and the kind of period.
pub fn heading(lang: Lang, subject: &str, inspection: &str, by: PeriodKind) -> String {
    let kind = period_kind(by).get(lang);
    match lang {
        Lang::Ja => format!("{subject} · {inspection}（{kind}ごと）\n"),
        Lang::En => format!("{subject} · {inspection}, by {kind}\n"),
    }
}

/// Several runs fell in one period (the latest counts).
pub fn runs_in_period(lang: Lang, runs: usize) -> String {
    match lang {
        Lang::Ja => format!("  （期間内に {runs}回）"),
        Lang::En => format!("  ({} in period)", plural(runs, "run")),
    }
}

/// The change from the first period to the last, in points of score and
/// of percent.
pub fn overall(lang: Lang, first: &str, last: &str, score: i64, percent: f64) -> String {
    let (score, percent) = (signed(score), signed_pct(percent));
    match lang {
        Lang::Ja => format!("  全体 {first} → {last}：{score}（{percent} ポイント）。\n"),
        Lang::En => format!("  Overall {first} → {last}: {score} ({percent} points).\n"),
    }
}

/// No item got worse from one period to the next.
pub const NO_REGRESSION: Label = Label::new(
    "  期間の間で悪化した項目はありません。\n",
    "  No item regressed between periods.\n",
);

/// Heads the list of items that regressed most often.
pub const REGRESSED_MOST: Label = Label::new("  悪化の多い項目:\n", "  Regressed most often:\n");

/// One item that regressed: how often, and the last period it did.
pub fn regressed(lang: Lang, id: &str, title: &str, times: usize, last: &str) -> String {
    match lang {
        Lang::Ja => format!("    {id}  {title}：{times}回、最後は {last}\n"),
        Lang::En => format!(
            "    {id}  {title}: {}, last in {last}\n",
            plural(times, "time")
        ),
    }
}
