//! The mark of an answer: what kind of answer it is on its scale (✓ best,
//! ◐ partial, ✗ worst, ? don't know, – not applicable), ~ while it is
//! carried over unconfirmed, so that gaps show at a glance in the walker's
//! item list. The kind comes from the scale's points, never from choice
//! ids, so a template's own scales get the right marks too. The marks are
//! the same with and without colour (`NO_COLOR`); colour only adds to them.

use ratatui::style::Style;

use crate::model::{Answer, Choice};
use crate::tui::keymap::Legend;
use crate::tui::theme::Theme;

/// What kind of answer a choice is on its scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// The most points on the scale.
    Best,
    /// Between the best and the worst.
    Partial,
    /// The fewest points of the choices that say how things are.
    Worst,
    /// Below the worst: the scale's penalty for not knowing (the
    /// guideline's "わからない", −1 against 0 for "not done").
    DontKnow,
    /// No points: left out of score and maximum.
    NotApplicable,
}

impl AnswerKind {
    /// Classifies `choice` on `scale` (the choices of its item) by points.
    ///
    /// No points is not applicable; the most points is best. A negative
    /// score below a choice worth zero or more (other than the best) is
    /// "don't know", which the guideline scores below "not done"; of the
    /// rest, the fewest points is worst and anything between is partial.
    /// On a scale without such a zero-or-more choice below the best (yes
    /// 1 / no −1) a negative score is simply the worst.
    pub fn of(scale: &[Choice], choice: &Choice) -> Self {
        let Some(points) = choice.points else {
            return Self::NotApplicable;
        };
        let scored: Vec<i32> = scale.iter().filter_map(|c| c.points).collect();
        let best = scored.iter().copied().max().unwrap_or(points);
        if points >= best {
            return Self::Best;
        }
        let floor = scored.iter().copied().filter(|&p| p >= 0 && p < best).min();
        if points < 0 && floor.is_some() {
            return Self::DontKnow;
        }
        let worst = scored
            .iter()
            .copied()
            .filter(|&p| floor.is_none() || p >= 0)
            .min()
            .unwrap_or(points);
        if points <= worst {
            Self::Worst
        } else {
            Self::Partial
        }
    }

    /// Returns the mark and its style in `theme`.
    pub fn mark(self, theme: &Theme) -> (&'static str, Style) {
        match self {
            Self::Best => (BEST, theme.good),
            Self::Partial => (PARTIAL, theme.warn),
            Self::Worst => (WORST, theme.bad),
            Self::DontKnow => (DONT_KNOW, theme.bad),
            Self::NotApplicable => (NOT_APPLICABLE, theme.dim),
        }
    }
}

const BEST: &str = "✓";
const PARTIAL: &str = "◐";
const WORST: &str = "✗";
const DONT_KNOW: &str = "?";
const NOT_APPLICABLE: &str = "–";
const CARRIED: &str = "~";
const UNANSWERED: &str = "·";
const NOTE_MISSING: &str = "!";

/// Returns the mark of an item in the walker's list: its answer's kind,
/// `~` while carried over and not confirmed, `!` while a required note is
/// missing, `·` when not answered.
pub fn of_answer(
    scale: &[Choice],
    answer: Option<&Answer>,
    note_missing: bool,
    theme: &Theme,
) -> (&'static str, Style) {
    let Some(answer) = answer else {
        return (UNANSWERED, theme.dim);
    };
    if note_missing {
        return (NOTE_MISSING, theme.bad);
    }
    if answer.carried {
        return (CARRIED, theme.warn);
    }
    scale
        .iter()
        .find(|c| c.id == answer.choice)
        .map_or((UNANSWERED, theme.dim), |c| {
            AnswerKind::of(scale, c).mark(theme)
        })
}

/// The marks of the item list, for the `?` help.
pub const LEGEND: &[Legend] = &[
    Legend {
        mark: BEST,
        ja: "最良",
        en: "best",
    },
    Legend {
        mark: PARTIAL,
        ja: "一部",
        en: "partial",
    },
    Legend {
        mark: WORST,
        ja: "最低",
        en: "worst",
    },
    Legend {
        mark: DONT_KNOW,
        ja: "わからない",
        en: "don't know",
    },
    Legend {
        mark: NOT_APPLICABLE,
        ja: "該当しない",
        en: "not applicable",
    },
    Legend {
        mark: CARRIED,
        ja: "前回回答 (未確認)",
        en: "carried, not confirmed",
    },
    Legend {
        mark: NOTE_MISSING,
        ja: "メモが必要",
        en: "note needed",
    },
    Legend {
        mark: UNANSWERED,
        ja: "未回答",
        en: "not answered",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, Text};

    fn scale(points: &[(&str, Option<i32>)]) -> Vec<Choice> {
        points
            .iter()
            .enumerate()
            .map(|(n, (id, p))| Choice {
                id: Id::new(id).unwrap(),
                key: char::from_digit(u32::try_from(n + 1).unwrap(), 10).unwrap(),
                label: Text::default(),
                points: *p,
            })
            .collect()
    }

    fn kinds(scale: &[Choice]) -> Vec<AnswerKind> {
        scale.iter().map(|c| AnswerKind::of(scale, c)).collect()
    }

    use AnswerKind::{Best, DontKnow, NotApplicable, Partial, Worst};

    #[test]
    fn the_guideline_scale_reads_best_partial_worst_dont_know_and_na() {
        // ipa4na: 4 / 2 / 0 / −1 / none.
        let s = scale(&[
            ("yes", Some(4)),
            ("partly", Some(2)),
            ("no", Some(0)),
            ("unknown", Some(-1)),
            ("na", None),
        ]);
        assert_eq!(kinds(&s), [Best, Partial, Worst, DontKnow, NotApplicable]);
    }

    #[test]
    fn kinds_come_from_points_not_from_choice_ids() {
        // The ids say nothing: the same points, other names, other order.
        let s = scale(&[
            ("c", Some(-1)),
            ("a", Some(0)),
            ("d", None),
            ("b", Some(10)),
            ("e", Some(5)),
            ("f", Some(3)),
        ]);
        assert_eq!(
            kinds(&s),
            [DontKnow, Worst, NotApplicable, Best, Partial, Partial]
        );
        // Two choices: best and worst; a negative worst is still the worst.
        assert_eq!(
            kinds(&scale(&[("yes", Some(1)), ("no", Some(0))])),
            [Best, Worst]
        );
        assert_eq!(
            kinds(&scale(&[("yes", Some(1)), ("no", Some(-1))])),
            [Best, Worst]
        );
        // Every template shipped has its scales read the same way.
        for file in crate::bundle::INSPECTIONS {
            let path = std::path::Path::new("inspections").join(file.name);
            let inspection = crate::load::inspection_from_str(&path, file.contents, None).unwrap();
            for choices in inspection.scales.values() {
                for c in choices {
                    let kind = AnswerKind::of(choices, c);
                    let expected = match c.id.as_str() {
                        "yes" => Best,
                        "partly" => Partial,
                        "no" => Worst,
                        "unknown" => DontKnow,
                        "na" => NotApplicable,
                        other => panic!("{}: new choice id {other}", path.display()),
                    };
                    assert_eq!(kind, expected, "{}: {}", path.display(), c.id);
                }
            }
        }
    }

    #[test]
    fn the_marks_read_without_colour() {
        let plain = Theme::plain();
        let s = scale(&[("yes", Some(2)), ("partly", Some(1)), ("no", Some(0))]);
        let answer = |id: &str, carried: bool| {
            let mut a = Answer::new(Id::new(id).unwrap());
            a.carried = carried;
            a
        };
        let marks: Vec<&str> = [
            of_answer(&s, Some(&answer("yes", false)), false, &plain),
            of_answer(&s, Some(&answer("partly", false)), false, &plain),
            of_answer(&s, Some(&answer("no", false)), false, &plain),
            of_answer(&s, Some(&answer("no", true)), false, &plain),
            of_answer(&s, Some(&answer("no", false)), true, &plain),
            of_answer(&s, None, false, &plain),
        ]
        .iter()
        .map(|(m, _)| *m)
        .collect();
        assert_eq!(marks, ["✓", "◐", "✗", "~", "!", "·"]);
        assert_eq!(
            marks,
            [
                of_answer(&s, Some(&answer("yes", false)), false, &Theme::color()).0,
                "◐",
                "✗",
                "~",
                "!",
                "·"
            ],
            "the same marks in colour"
        );
        // Every mark is explained in the legend, and no two look alike.
        let legend: Vec<&str> = LEGEND.iter().map(|l| l.mark).collect();
        for mark in marks {
            assert!(legend.contains(&mark), "{mark} is in the legend");
        }
        let unique: std::collections::BTreeSet<&str> = legend.iter().copied().collect();
        assert_eq!(unique.len(), legend.len());
    }
}
