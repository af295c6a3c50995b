//! Scores, maxima, percentages and bands of runs, and the risk matrix of the
//! guideline's risk analysis sheet. Pure functions; no I/O.

use serde::Serialize;

use crate::model::{Answer, Asset, Band, Id, Inspection, PersonalData, Run};
use std::collections::BTreeMap;

/// The computed result of a run against its template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Sum of weighted points of the answered, applicable items.
    pub score: i64,
    /// Sum of each applicable item's best weighted points.
    pub max: i64,
    /// Items answered (not-applicable answers included).
    pub answered: usize,
    /// Items with no answer; they count in `max` and score nothing.
    pub unanswered: usize,
    /// Items answered "not applicable"; left out of score and maximum.
    pub not_applicable: usize,
    /// Answers still marked as carried from the previous run.
    pub carried: usize,
}

impl Score {
    /// Returns score / max as a percentage (0 when nothing is applicable).
    #[allow(clippy::cast_precision_loss)] // scores are far below 2^52
    pub fn percent(&self) -> f64 {
        if self.max == 0 {
            0.0
        } else {
            self.score as f64 * 100.0 / self.max as f64
        }
    }

    /// Returns the band of the template this score lands in.
    pub fn band<'a>(&self, inspection: &'a Inspection) -> Option<&'a Band> {
        inspection.band(self.percent())
    }
}

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

/// The default likelihood matrix, `[threat-1][vulnerability-1]`
/// (ipa-facts §3.6: 3×3 → 3, 3×2 and 2×3 → 2, everything else → 1).
pub const DEFAULT_LIKELIHOOD: [[u8; 3]; 3] = [[1, 1, 1], [1, 1, 2], [1, 2, 3]];

/// A risk level from a risk value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    /// 1–3.
    Low,
    /// 4.
    Medium,
    /// 6–9.
    High,
}

impl RiskLevel {
    /// Returns the level's name for JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// Returns an asset's importance: the maximum of C, I and A, forced to 3
/// when the asset holds personal data of any kind.
pub fn importance(c: u8, i: u8, a: u8, personal: PersonalData) -> u8 {
    if personal == PersonalData::None {
        c.max(i).max(a).clamp(1, 3)
    } else {
        3
    }
}

/// Returns the importance of `asset`.
pub fn asset_importance(asset: &Asset) -> u8 {
    importance(asset.c, asset.i, asset.a, asset.personal_data)
}

/// Returns the damage likelihood (1–3) for a threat and vulnerability (1–3)
/// from `matrix` (the default or the `tenken.ron` override).
pub fn likelihood(threat: u8, vulnerability: u8, matrix: &[[u8; 3]; 3]) -> u8 {
    let t = usize::from(threat.clamp(1, 3) - 1);
    let v = usize::from(vulnerability.clamp(1, 3) - 1);
    matrix[t][v]
}

/// Returns the risk value: importance × likelihood, one of 1, 2, 3, 4, 6, 9.
pub fn risk_value(importance: u8, likelihood: u8) -> u8 {
    importance * likelihood
}

/// Returns the level of a risk value: high 6–9, medium 4, low 1–3.
pub fn risk_level(value: u8) -> RiskLevel {
    match value {
        6.. => RiskLevel::High,
        4..=5 => RiskLevel::Medium,
        _ => RiskLevel::Low,
    }
}
