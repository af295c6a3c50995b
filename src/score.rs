//! Scores, maxima, percentages and bands of runs. Pure functions; no I/O.
//! (The risk analysis sheet's matrix is `risk`'s.)

#[cfg(test)]
use crate::model::Name;
pub use crate::model::Score;
use crate::model::{Answer, Id, Inspection, Run};
use std::collections::BTreeMap;

/// Scores `answers` against `inspection`.
///
/// Answers naming unknown items or choices are ignored here; the loader
/// reports them.
pub fn score_answers(inspection: &Inspection, answers: &BTreeMap<Id, Answer>) -> Score {
    let mut s = Score {
        score: 0,
        max: 0,
        answered: 0,
        unanswered: 0,
        not_applicable: 0,
        carried: 0,
    };
    for (_, item) in inspection.items() {
        let weight = i64::from(item.weight);
        let best = inspection
            .best_choice(item)
            .and_then(|c| c.points)
            .map_or(0, i64::from);
        match answers.get(&item.id) {
            None => {
                s.unanswered += 1;
                s.max += best * weight;
            }
            Some(answer) => {
                s.answered += 1;
                if answer.carried {
                    s.carried += 1;
                }
                match inspection.choice(item, answer.choice.as_str()) {
                    Some(choice) => match choice.points {
                        Some(p) => {
                            s.score += i64::from(p) * weight;
                            s.max += best * weight;
                        }
                        None => s.not_applicable += 1,
                    },
                    None => s.max += best * weight,
                }
            }
        }
    }
    s
}

/// Scores a finished run against its template.
pub fn score_run(inspection: &Inspection, run: &Run) -> Score {
    score_answers(inspection, &run.answers)
}

/// Returns the points of `choice` on `item`, for ordering choices.
pub fn choice_points(inspection: &Inspection, item: &str, choice: &str) -> Option<i32> {
    let item = inspection.item(item)?;
    inspection.choice(item, choice)?.points
}

mod scale;

pub use scale::{DONT_KNOW, GUIDELINE_SCORED, Gap, ReducedScale, full_max, gaps};

/// Scores, bands, weights and not-applicable handling, checked against the
/// bundled self-check.
#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn bundled(name: &str) -> Inspection {
        crate::bundle::inspection(name)
    }

    fn self_check() -> Inspection {
        bundled("ipa-self-check")
    }

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    /// Answers the items in walk order: `spec` is a list of (choice, count);
    /// items past the end of `spec` stay unanswered.
    fn answers(insp: &Inspection, spec: &[(&str, usize)]) -> BTreeMap<Id, Answer> {
        let choices = spec
            .iter()
            .flat_map(|(choice, n)| std::iter::repeat_n(*choice, *n));
        insp.items()
            .map(|(_, item)| item.id.clone())
            .zip(choices)
            .map(|(item, choice)| (item, Answer::new(id(choice))))
            .collect()
    }

    /// (choice, count) pairs given to [`answers`].
    type Spec<'a> = &'a [(&'a str, usize)];

    fn band_min(insp: &Inspection, score: &Score) -> i32 {
        score.band(insp).unwrap().min_percent
    }

    #[test]
    fn self_check_has_25_items_in_5_13_7() {
        let insp = self_check();
        assert_eq!(insp.item_count(), 25);
        let sizes: Vec<(&str, usize)> = insp
            .sections
            .iter()
            .map(|s| (s.id.as_str(), s.items.len()))
            .collect();
        assert_eq!(sizes, [("basic", 5), ("staff", 13), ("organisation", 7)]);
        let ids: Vec<&str> = insp.items().map(|(_, i)| i.id.as_str()).collect();
        let expected: Vec<String> = (1..=25).map(|n| n.to_string()).collect();
        assert_eq!(ids, expected);
        for (_, item) in insp.items() {
            assert_eq!(
                item.reference,
                Name::of(
                    format!("自社診断 No.{}", item.id),
                    format!("self-diagnosis No.{}", item.id)
                )
            );
            assert_eq!(item.weight, 1);
        }
    }

    #[test]
    fn self_check_points_are_4_2_0_minus_1() {
        let insp = self_check();
        for (_, item) in insp.items() {
            let points: Vec<(&str, Option<i32>)> = insp
                .choices(item)
                .iter()
                .map(|c| (c.id.as_str(), c.points))
                .collect();
            assert_eq!(
                &points[..4],
                [
                    ("yes", Some(4)),
                    ("partly", Some(2)),
                    ("no", Some(0)),
                    ("unknown", Some(-1))
                ]
            );
        }
        let bands: Vec<i32> = insp.bands.iter().map(|b| b.min_percent).collect();
        assert_eq!(bands, [100, 70, 50, 0]);
    }

    #[test]
    fn all_done_scores_100_of_100_in_the_top_band() {
        let insp = self_check();
        let s = score_answers(&insp, &answers(&insp, &[("yes", 25)]));
        assert_eq!(
            (s.score, s.max, s.answered, s.unanswered),
            (100, 100, 25, 0)
        );
        assert!((s.percent() - 100.0).abs() < f64::EPSILON);
        assert_eq!(band_min(&insp, &s), 100);
        assert_eq!(
            s.band(&insp).unwrap().label.en,
            "Entry-level measures are in place"
        );
    }

    #[test]
    fn all_dont_know_scores_minus_25_in_the_lowest_band() {
        let insp = self_check();
        let s = score_answers(&insp, &answers(&insp, &[("unknown", 25)]));
        assert_eq!((s.score, s.max), (-25, 100));
        assert!((s.percent() + 25.0).abs() < f64::EPSILON);
        assert_eq!(band_min(&insp, &s), 0);
        assert_eq!(
            s.band(&insp).unwrap().label.en,
            "An incident could happen at any time"
        );
    }

    #[test]
    fn all_not_done_scores_0_in_the_lowest_band() {
        let insp = self_check();
        let s = score_answers(&insp, &answers(&insp, &[("no", 25)]));
        assert_eq!((s.score, s.max), (0, 100));
        assert_eq!(band_min(&insp, &s), 0);
    }

    #[test]
    fn mixed_example_lands_in_the_50_to_69_band() {
        // No.1-15 done      15 × 4  = 60
        // No.16-20 partly    5 × 2  = 10
        // No.21-23 not done  3 × 0  =  0
        // No.24-25 unknown   2 × −1 = −2
        // total 68 of 100 → 68 % → band 50–69 "measures are insufficient".
        let insp = self_check();
        let spec = [("yes", 15), ("partly", 5), ("no", 3), ("unknown", 2)];
        let s = score_answers(&insp, &answers(&insp, &spec));
        assert_eq!((s.score, s.max, s.unanswered), (68, 100, 0));
        assert_eq!(band_min(&insp, &s), 50);
        assert_eq!(s.band(&insp).unwrap().label.en, "Measures are insufficient");
    }

    #[test]
    fn band_edges_follow_the_guideline() {
        let insp = self_check();
        // (spec, expected points, expected band)
        let cases: [(Spec, i64, i32); 6] = [
            // 24 × 4 + 2 = 98: the best result short of 100.
            (&[("yes", 24), ("partly", 1)], 98, 70),
            // 17 × 4 + 2 + 7 × 0 = 70.
            (&[("yes", 17), ("partly", 1), ("no", 7)], 70, 70),
            // 18 × 4 − 3 + 4 × 0 = 69.
            (&[("yes", 18), ("unknown", 3), ("no", 4)], 69, 50),
            // 12 × 4 + 2 + 12 × 0 = 50.
            (&[("yes", 12), ("partly", 1), ("no", 12)], 50, 50),
            // 13 × 4 − 3 + 9 × 0 = 49.
            (&[("yes", 13), ("unknown", 3), ("no", 9)], 49, 0),
            // 25 × 0 = 0.
            (&[("no", 25)], 0, 0),
        ];
        for (spec, points, band) in cases {
            let s = score_answers(&insp, &answers(&insp, spec));
            assert_eq!(s.unanswered, 0, "{spec:?}");
            assert_eq!((s.score, s.max), (points, 100), "{spec:?}");
            assert_eq!(band_min(&insp, &s), band, "{spec:?}");
        }
    }

    #[test]
    fn not_applicable_only_on_wifi_and_external_services() {
        let insp = self_check();
        let with_na: Vec<&str> = insp
            .items()
            .filter(|(_, item)| insp.choices(item).iter().any(|c| c.points.is_none()))
            .map(|(_, item)| item.id.as_str())
            .collect();
        assert_eq!(with_na, ["9", "23"]);
        for id in with_na {
            let item = insp.item(id).unwrap();
            assert!(item.note_required_for.iter().any(|c| c.as_str() == "na"));
        }
    }

    #[test]
    fn not_applicable_leaves_score_and_maximum() {
        let insp = self_check();
        let mut a = answers(&insp, &[("yes", 25)]);
        a.insert(id("9"), Answer::new(id("na")));
        a.insert(id("23"), Answer::new(id("na")));
        let s = score_answers(&insp, &a);
        // 23 applicable items × 4 = 92 of 92.
        assert_eq!(
            (s.score, s.max, s.not_applicable, s.answered),
            (92, 92, 2, 25)
        );
        assert_eq!(band_min(&insp, &s), 100);

        // 21 done + 2 not done of 23 applicable: 84 of 92 = 91.3 % → 70–99.
        a.insert(id("1"), Answer::new(id("no")));
        a.insert(id("2"), Answer::new(id("no")));
        let s = score_answers(&insp, &a);
        assert_eq!((s.score, s.max), (84, 92));
        assert_eq!(band_min(&insp, &s), 70);
    }

    #[test]
    fn not_applicable_cannot_inflate_other_items() {
        // A hand-edited run answering "na" on an item whose scale has no
        // such choice (the loader reports it) still counts in the maximum.
        let insp = self_check();
        let mut a = answers(&insp, &[("yes", 25)]);
        a.insert(id("1"), Answer::new(id("na")));
        let s = score_answers(&insp, &a);
        assert_eq!((s.score, s.max, s.not_applicable), (96, 100, 0));
        assert_eq!(band_min(&insp, &s), 70);
    }

    #[test]
    fn unanswered_items_count_in_the_maximum_and_are_reported() {
        let insp = self_check();
        // No.1-22 done, No.23-25 unanswered: 88 of 100, three reported.
        let s = score_answers(&insp, &answers(&insp, &[("yes", 22)]));
        assert_eq!((s.score, s.max, s.answered, s.unanswered), (88, 100, 22, 3));
        assert_eq!(band_min(&insp, &s), 70);
        let empty = score_answers(&insp, &BTreeMap::new());
        assert_eq!((empty.score, empty.max, empty.unanswered), (0, 100, 25));
    }

    #[test]
    fn carried_answers_are_counted() {
        let insp = self_check();
        let mut a = answers(&insp, &[("yes", 25)]);
        for item in ["3", "4", "5"] {
            a.get_mut(&id(item)).unwrap().carried = true;
        }
        let s = score_answers(&insp, &a);
        assert_eq!((s.score, s.carried), (100, 3));
    }

    const WEIGHTED: &str = r#"Inspection(
        format: 1, id: "weighted", version: 1, title: (en: "Weighted"), source: "test",
        scales: {"s": [
            Choice(id: "yes", key: '1', label: (en: "Yes"), points: Some(4)),
            Choice(id: "no", key: '2', label: (en: "No"), points: Some(0)),
            Choice(id: "na", key: '3', label: (en: "N/A"), points: None),
        ]},
        sections: [Section(id: "s", title: (en: "S"), items: [
            Item(id: "heavy", scale: "s", title: (en: "Heavy"), weight: 3),
            Item(id: "light", scale: "s", title: (en: "Light")),
        ])],
        bands: [Band(min_percent: 50, label: (en: "Pass")), Band(min_percent: 0, label: (en: "Fail"))],
    )"#;

    #[test]
    fn weights_multiply_points_and_maximum() {
        let insp = crate::load::inspection_from_str(Path::new("w.ron"), WEIGHTED, None).unwrap();
        let run = |heavy: Option<&str>, light: &str| {
            let mut a = BTreeMap::new();
            if let Some(h) = heavy {
                a.insert(id("heavy"), Answer::new(id(h)));
            }
            a.insert(id("light"), Answer::new(id(light)));
            score_answers(&insp, &a)
        };
        // heavy 4 × 3 = 12, light 0: 12 of 16 = 75 %.
        let s = run(Some("yes"), "no");
        assert_eq!((s.score, s.max), (12, 16));
        assert!((s.percent() - 75.0).abs() < 1e-9);
        assert_eq!(s.band(&insp).unwrap().label.en, "Pass");
        // heavy 0, light 4: 4 of 16 = 25 %.
        let s = run(Some("no"), "yes");
        assert_eq!((s.score, s.max), (4, 16));
        assert_eq!(s.band(&insp).unwrap().label.en, "Fail");
        // heavy not applicable: 4 of 4, its weight leaves the maximum too.
        let s = run(Some("na"), "yes");
        assert_eq!((s.score, s.max, s.not_applicable), (4, 4, 1));
        // heavy unanswered: still 12 in the maximum.
        let s = run(None, "yes");
        assert_eq!((s.score, s.max, s.unanswered), (4, 16, 1));
    }

    #[test]
    fn supplier_check_weights_favour_the_data_controls() {
        let insp = bundled("supplier-check");
        let mut heavy: Vec<&str> = insp
            .items()
            .filter(|(_, i)| i.weight == 3)
            .map(|(_, i)| i.id.as_str())
            .collect();
        heavy.sort_unstable();
        assert_eq!(
            heavy,
            [
                "access",
                "confidentiality",
                "incident",
                "personal-data",
                "termination"
            ]
        );
        assert!(insp.items().all(|(_, i)| (1..=3).contains(&i.weight)));
        let total: u32 = insp.items().map(|(_, i)| i.weight).sum();
        let n = insp.item_count();
        let s = score_answers(&insp, &answers(&insp, &[("yes", n)]));
        assert_eq!(
            (s.score, s.max),
            (4 * i64::from(total), 4 * i64::from(total))
        );
        // A gap in a weight-3 item costs 12 points, in a weight-1 item 4.
        let mut a = answers(&insp, &[("yes", n)]);
        a.insert(id("termination"), Answer::new(id("no")));
        assert_eq!(score_answers(&insp, &a).score, s.score - 12);
        let mut a = answers(&insp, &[("yes", n)]);
        a.insert(id("premises"), Answer::new(id("no")));
        assert_eq!(score_answers(&insp, &a).score, s.score - 4);
    }

    #[test]
    fn choice_points_orders_choices() {
        let insp = self_check();
        assert_eq!(choice_points(&insp, "1", "yes"), Some(4));
        assert_eq!(choice_points(&insp, "1", "unknown"), Some(-1));
        assert_eq!(choice_points(&insp, "9", "na"), None);
        assert_eq!(choice_points(&insp, "26", "yes"), None);
    }
}
