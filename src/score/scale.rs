//! How a score is to be read: on a reduced scale when items were answered
//! "not applicable" (the guideline's self-diagnosis has no such answer, so
//! its 100-point scale assumes every item applies), and which answers are
//! gaps and which are "don't know" (checked first, as the guideline
//! advises). Pure.

use std::collections::BTreeMap;

use crate::model::{Answer, Choice, Id, Inspection, Item, Lang};

use super::Score;

/// The choice id of a "don't know" answer in every bundled scale.
pub const DONT_KNOW: &str = "unknown";

/// Templates whose total the guideline itself scores and interprets (the
/// self-diagnosis's 100 points and its four bands); for the others the
/// full scale is tenken's, not the guideline's.
pub const GUIDELINE_SCORED: &[&str] = &["ipa-self-check"];

/// Returns the maximum with every item applicable: each item's best
/// weighted points.
pub fn full_max(inspection: &Inspection) -> i64 {
    inspection
        .items()
        .map(|(_, item)| {
            let best = inspection
                .best_choice(item)
                .and_then(|c| c.points)
                .map_or(0, i64::from);
            best * i64::from(item.weight)
        })
        .sum()
}

/// A score read on a scale reduced by not-applicable answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReducedScale {
    /// The points scored.
    pub score: i64,
    /// The maximum of the applicable items.
    pub applicable: i64,
    /// The maximum with every item applicable.
    pub full: i64,
    /// How many items were answered "not applicable".
    pub not_applicable: usize,
    /// How many items the checklist has.
    pub items: usize,
    /// Whether the full scale is the guideline's own.
    pub guideline: bool,
}

impl ReducedScale {
    /// Returns the reduced scale of `score`, or `None` when every item
    /// applies (the score is then on the full scale).
    pub fn of(score: &Score, inspection: &Inspection) -> Option<Self> {
        (score.not_applicable > 0).then(|| Self {
            score: score.score,
            applicable: score.max,
            full: full_max(inspection),
            not_applicable: score.not_applicable,
            items: inspection.item_count(),
            guideline: GUIDELINE_SCORED.contains(&inspection.id.as_str()),
        })
    }

    /// Says on which scale the score is, and what the full scale assumes:
    /// "92 of 92 applicable points (2 items not applicable); the
    /// guideline's 100-point scale needs all 25 items".
    pub fn sentence(&self, lang: Lang) -> String {
        let Self {
            score,
            applicable,
            full,
            not_applicable,
            items,
            guideline,
        } = *self;
        match lang {
            Lang::Ja => format!(
                "該当しない{not_applicable}問を除いた{applicable}点満点中{score}点です（{}{full}点満点は、全{items}問が該当する場合の尺度です）。",
                if guideline {
                    "ガイドラインの"
                } else {
                    "この点検の"
                }
            ),
            Lang::En => format!(
                "{score} of {applicable} applicable points ({not_applicable} {} not applicable); {} {full}-point scale needs all {items} items.",
                if not_applicable == 1 { "item" } else { "items" },
                if guideline {
                    "the guideline's"
                } else {
                    "the checklist's full"
                }
            ),
        }
    }
}

/// An answered item below its best choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap<'a> {
    /// The item.
    pub item: &'a Item,
    /// The answer.
    pub answer: &'a Answer,
    /// The chosen choice.
    pub choice: &'a Choice,
}

impl Gap<'_> {
    /// Returns true when the answer is "don't know".
    pub fn dont_know(&self) -> bool {
        self.choice.id.as_str() == DONT_KNOW
    }
}

/// Returns the answered items below their best choice, "don't know"
/// answers first, each group in walk order. Not-applicable and unknown
/// choices are not gaps.
pub fn gaps<'a>(inspection: &'a Inspection, answers: &'a BTreeMap<Id, Answer>) -> Vec<Gap<'a>> {
    let mut out: Vec<Gap<'a>> = inspection
        .items()
        .filter_map(|(_, item)| {
            let answer = answers.get(&item.id)?;
            let choice = inspection.choice(item, answer.choice.as_str())?;
            let points = choice.points?;
            let best = inspection.best_choice(item).and_then(|c| c.points)?;
            (points < best).then_some(Gap {
                item,
                answer,
                choice,
            })
        })
        .collect();
    // Stable: walk order within each group.
    out.sort_by_key(|g| !g.dont_know());
    out
}

/// The reduced scale's wording and the order of gaps, on the bundled
/// self-check.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::score_answers;

    fn self_check() -> Inspection {
        let file = crate::bundle::INSPECTIONS
            .iter()
            .find(|f| f.name == "ipa-self-check.ron")
            .unwrap();
        crate::load::inspection_from_str(
            std::path::Path::new("ipa-self-check.ron"),
            file.contents,
            None,
        )
        .unwrap()
    }

    fn answers(insp: &Inspection, pick: impl Fn(&str) -> &'static str) -> BTreeMap<Id, Answer> {
        insp.items()
            .map(|(_, i)| {
                (
                    i.id.clone(),
                    Answer::new(Id::new(pick(i.id.as_str())).unwrap()),
                )
            })
            .collect()
    }

    #[test]
    fn not_applicable_answers_read_on_a_reduced_scale() {
        let insp = self_check();
        assert_eq!(full_max(&insp), 100);
        let all = answers(&insp, |_| "yes");
        assert_eq!(ReducedScale::of(&score_answers(&insp, &all), &insp), None);
        let two_na = answers(&insp, |id| match id {
            "9" | "23" => "na",
            _ => "yes",
        });
        let scale = ReducedScale::of(&score_answers(&insp, &two_na), &insp).unwrap();
        assert_eq!(
            scale.sentence(Lang::En),
            "92 of 92 applicable points (2 items not applicable); the guideline's 100-point scale needs all 25 items."
        );
        assert_eq!(
            scale.sentence(Lang::Ja),
            "該当しない2問を除いた92点満点中92点です（ガイドラインの100点満点は、全25問が該当する場合の尺度です）。"
        );
        let mut other = insp.clone();
        other.id = Id::new("own-check").unwrap();
        let one_na = answers(&other, |id| if id == "9" { "na" } else { "no" });
        let scale = ReducedScale::of(&score_answers(&other, &one_na), &other).unwrap();
        assert_eq!(
            scale.sentence(Lang::En),
            "0 of 96 applicable points (1 item not applicable); the checklist's full 100-point scale needs all 25 items."
        );
    }

    #[test]
    fn dont_know_gaps_come_first() {
        let insp = self_check();
        let answers = answers(&insp, |id| match id {
            "2" | "20" => "partly",
            "7" => "no",
            "9" => "na",
            "12" | "25" => "unknown",
            _ => "yes",
        });
        let order: Vec<&str> = gaps(&insp, &answers)
            .iter()
            .map(|g| g.item.id.as_str())
            .collect();
        assert_eq!(order, ["12", "25", "2", "7", "20"]);
        assert!(gaps(&insp, &answers)[0].dont_know());
    }
}
