//! A run's answers in brief: for each item of the template the run is
//! scored against, the choice, whether it is still carried, whether a note
//! and evidence are attached, and the corrective action. The notes and
//! evidence themselves stay in the run file. This is what the history
//! holds for every run (a few bytes an item), so that reading thousands of
//! runs never holds thousands of answer maps. Plain data; no I/O.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Action, Answer, Choice, Id, Inspection, Item, Score};

/// The code of an unanswered item.
const UNANSWERED: u16 = 0;
/// The bits of a code that hold the choice's position on its scale, plus one.
const CHOICE_BITS: u16 = 0x0fff;
/// Set when the answer is still carried from the previous run.
const CARRIED: u16 = 1 << 12;
/// Set when the answer has a note.
const NOTE: u16 = 1 << 13;
/// Set when the answer has evidence.
const EVIDENCE: u16 = 1 << 14;
/// Set when the answer has a corrective action.
const ACTION: u16 = 1 << 15;

/// The most choices a scale may have for a brief to hold it.
pub const MAX_BRIEF_CHOICES: usize = CHOICE_BITS as usize - 1;

/// A run's answers in brief, relative to the template it is scored against
/// (see the module header).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Brief {
    /// One code per item of the template, in walk order.
    codes: Box<[u16]>,
    /// The corrective actions, by the item's position in walk order;
    /// shared: an action carried from run to run is one action, and a
    /// history reading thousands of runs makes each only once.
    actions: Box<[(u16, Arc<Action>)]>,
}

/// One answered item of a brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BriefAnswer<'a> {
    /// The item.
    pub item: &'a Item,
    /// The choice given.
    pub choice: &'a Choice,
    /// True while the answer is a copy of the previous run not yet confirmed.
    pub carried: bool,
    /// True when the answer has a note (the text is in the run file).
    pub note: bool,
    /// True when the answer has evidence (the references are in the run file).
    pub evidence: bool,
    /// The corrective action, if any.
    pub action: Option<&'a Action>,
}

/// Why codes and actions do not make a brief of a template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BriefError(String);

impl Brief {
    /// Takes `answers` in brief against `template`; `None` when an answer
    /// names an item or a choice the template does not have (such a run
    /// is invalid, and is only read from its file).
    pub fn from_answers(template: &Inspection, answers: &BTreeMap<Id, Answer>) -> Option<Self> {
        let mut codes = Vec::with_capacity(template.item_count());
        let mut actions = Vec::new();
        let mut used = 0;
        for (position, (_, item)) in template.items().enumerate() {
            let Some(answer) = answers.get(&item.id) else {
                codes.push(UNANSWERED);
                continue;
            };
            used += 1;
            let choice = template
                .choices(item)
                .iter()
                .position(|c| c.id == answer.choice)?;
            if choice >= MAX_BRIEF_CHOICES {
                return None;
            }
            let mut code = u16::try_from(choice + 1).ok()?;
            if answer.carried {
                code |= CARRIED;
            }
            if !answer.note.is_empty() {
                code |= NOTE;
            }
            if !answer.evidence.is_empty() {
                code |= EVIDENCE;
            }
            if let Some(action) = &answer.action {
                code |= ACTION;
                actions.push((u16::try_from(position).ok()?, Arc::new(action.clone())));
            }
            codes.push(code);
        }
        (used == answers.len()).then(|| Self {
            codes: codes.into(),
            actions: actions.into(),
        })
    }

    /// Rebuilds a brief from its parts, checking them against `template`:
    /// one code per item, every choice on its item's scale, the actions in
    /// walk order and exactly on the answers flagged with one.
    pub fn from_parts(
        template: &Inspection,
        codes: Vec<u16>,
        actions: Vec<(u16, Arc<Action>)>,
    ) -> Result<Self, BriefError> {
        Self::from_parts_in(&Scales::of(template), codes, actions)
    }

    /// Rebuilds a brief from its parts as [`Brief::from_parts`] does,
    /// against the template `scales` were taken of.
    pub fn from_parts_in(
        scales: &Scales,
        codes: Vec<u16>,
        actions: Vec<(u16, Arc<Action>)>,
    ) -> Result<Self, BriefError> {
        if codes.len() != scales.items.len() {
            return Err(BriefError(format!(
                "{} codes for {} items",
                codes.len(),
                scales.items.len()
            )));
        }
        // The positions of the actions must be those of the flagged
        // answers, in order: followed side by side, nothing collected.
        let mut at = actions.iter().map(|(p, _)| usize::from(*p));
        let mut matched = true;
        for (position, (scale, code)) in scales.items.iter().zip(&codes).enumerate() {
            if *code == UNANSWERED {
                continue;
            }
            let choice = usize::from(code & CHOICE_BITS);
            if choice == 0 || choice > scale.points.len() {
                return Err(BriefError(format!("choice {choice} out of range")));
            }
            if code & ACTION != 0 && at.next() != Some(position) {
                matched = false;
            }
        }
        if !matched || at.next().is_some() {
            return Err(BriefError("actions do not match their flags".into()));
        }
        Ok(Self {
            codes: codes.into(),
            actions: actions.into(),
        })
    }

    /// Returns the codes, one per item in walk order (for the index).
    pub fn codes(&self) -> &[u16] {
        &self.codes
    }

    /// Returns the actions by item position (for the index).
    pub fn actions(&self) -> &[(u16, Arc<Action>)] {
        &self.actions
    }

    /// Returns the choice given for `item`, the item at `position` in walk
    /// order of `template` (the one the brief was taken against); `None`
    /// when it is unanswered. The same choice [`Brief::iter`] gives.
    pub fn choice_at<'a>(
        &self,
        template: &'a Inspection,
        position: usize,
        item: &Item,
    ) -> Option<&'a Choice> {
        template.choices(item).get(self.choice_index(position)?)
    }

    /// Returns the index, on its item's scale, of the choice given for the
    /// item at `position` in walk order; `None` when it is unanswered. For
    /// a caller that holds the scale already ([`Brief::choice_at`] without
    /// looking it up by name).
    pub fn choice_index(&self, position: usize) -> Option<usize> {
        let code = self.codes.get(position)?;
        usize::from(code & CHOICE_BITS).checked_sub(1)
    }

    /// Returns the index of the choice given for the item at `position`
    /// (as [`Brief::choice_index`]) and whether that answer is still
    /// carried; `None` when it is unanswered.
    pub fn answer_at(&self, position: usize) -> Option<(usize, bool)> {
        let code = self.codes.get(position)?;
        let choice = usize::from(code & CHOICE_BITS).checked_sub(1)?;
        Some((choice, code & CARRIED != 0))
    }

    /// Returns true when some answer has a note or evidence, which only the
    /// run file holds.
    pub fn has_text(&self) -> bool {
        self.codes.iter().any(|c| c & (NOTE | EVIDENCE) != 0)
    }

    /// Returns the answered items in walk order, read against `template`
    /// (the one the brief was taken against).
    pub fn iter<'a>(&'a self, template: &'a Inspection) -> impl Iterator<Item = BriefAnswer<'a>> {
        let mut actions = self.actions.iter().peekable();
        template
            .items()
            .zip(self.codes.iter())
            .enumerate()
            .filter_map(move |(position, ((_, item), code))| {
                let choice = usize::from(code & CHOICE_BITS).checked_sub(1)?;
                let choice = template.choices(item).get(choice)?;
                let action = if code & ACTION != 0 {
                    actions
                        .next_if(|(p, _)| usize::from(*p) == position)
                        .map(|(_, a)| &**a)
                } else {
                    None
                };
                Some(BriefAnswer {
                    item,
                    choice,
                    carried: code & CARRIED != 0,
                    note: code & NOTE != 0,
                    evidence: code & EVIDENCE != 0,
                    action,
                })
            })
    }

    /// Returns the answers as a run file has them, without the notes and
    /// evidence (empty), for comparisons and trends that never show them.
    pub fn to_answers(&self, template: &Inspection) -> BTreeMap<Id, Answer> {
        self.iter(template)
            .map(|a| {
                let mut answer = Answer::new(a.choice.id.clone());
                answer.carried = a.carried;
                answer.action = a.action.cloned();
                (a.item.id.clone(), answer)
            })
            .collect()
    }

    /// Scores the brief against `template` exactly as
    /// [`crate::score::score_answers`] scores the answers it was taken from.
    pub fn score(&self, template: &Inspection) -> Score {
        self.score_in(&Scales::of(template))
    }

    /// Scores the brief as [`Brief::score`] does, against the template
    /// `scales` were taken of.
    pub fn score_in(&self, scales: &Scales) -> Score {
        let mut s = Score {
            score: 0,
            max: 0,
            answered: 0,
            unanswered: 0,
            not_applicable: 0,
            carried: 0,
        };
        for (scale, code) in scales.items.iter().zip(self.codes.iter()) {
            let (weight, best) = (scale.weight, scale.best);
            let choice = usize::from(code & CHOICE_BITS)
                .checked_sub(1)
                .and_then(|c| scale.points.get(c));
            if *code == UNANSWERED {
                s.unanswered += 1;
                s.max += best * weight;
                continue;
            }
            s.answered += 1;
            if code & CARRIED != 0 {
                s.carried += 1;
            }
            match choice {
                Some(Some(p)) => {
                    s.score += i64::from(*p) * weight;
                    s.max += best * weight;
                }
                Some(None) => s.not_applicable += 1,
                None => s.max += best * weight,
            }
        }
        s
    }
}

/// What reading a brief needs of a template's items, looked up once for
/// the many briefs read against one template (each item's scale is in a
/// map by name): per item in walk order, its weight, its best points and
/// the points of each choice on its scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scales {
    items: Vec<Scale>,
}

/// One item of [`Scales`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Scale {
    weight: i64,
    /// The points of the best choice (`Inspection::best_choice`), 0 when
    /// none has points.
    best: i64,
    /// The points of each choice, in the scale's order.
    points: Box<[Option<i32>]>,
}

impl Scales {
    /// Looks up the scales of `template`'s items.
    pub fn of(template: &Inspection) -> Self {
        let items = template
            .items()
            .map(|(_, item)| {
                let choices = template.choices(item);
                let best = choices
                    .iter()
                    .filter(|c| c.points.is_some())
                    .max_by_key(|c| c.points)
                    .and_then(|c| c.points)
                    .map_or(0, i64::from);
                Scale {
                    weight: i64::from(item.weight),
                    best,
                    points: choices.iter().map(|c| c.points).collect(),
                }
            })
            .collect();
        Self { items }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn bundled(name: &str) -> Inspection {
        crate::bundle::inspection(name)
    }

    /// Answers for every item of `template`: `picks[i]` chooses the
    /// choice (modulo the scale), or leaves the item unanswered.
    fn answers(template: &Inspection, picks: &[(Option<u8>, u8)]) -> BTreeMap<Id, Answer> {
        template
            .items()
            .zip(picks.iter().cycle())
            .filter_map(|((_, item), (pick, flags))| {
                let choices = template.choices(item);
                let c = &choices[usize::from((*pick)?) % choices.len()];
                let mut a = Answer::new(c.id.clone());
                a.carried = flags & 1 != 0;
                if flags & 2 != 0 {
                    a.note = "a note".into();
                }
                if flags & 4 != 0 {
                    a.evidence = vec!["a file".into()];
                }
                if flags & 8 != 0 {
                    a.action = Some(Action {
                        text: "fix it".into(),
                        owner: "sato".into(),
                        due: chrono::NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
                    });
                }
                Some((item.id.clone(), a))
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The brief scores, flags and round-trips every answer the way the
        /// answers themselves do.
        #[test]
        fn a_brief_scores_and_reads_back_like_its_answers(
            which in 0usize..4,
            picks in proptest::collection::vec((proptest::option::of(0u8..8), 0u8..16), 1..30),
        ) {
            let name = ["ipa-self-check", "ipa-five-principles", "cloud-service", "supplier-check"][which];
            let template = bundled(name);
            let given = answers(&template, &picks);
            let brief = Brief::from_answers(&template, &given).unwrap();
            prop_assert_eq!(brief.score(&template), crate::score::score_answers(&template, &given));
            let back = Brief::from_parts(&template, brief.codes().to_vec(), brief.actions().to_vec()).unwrap();
            prop_assert_eq!(&back, &brief);
            let plain: BTreeMap<Id, Answer> = given
                .iter()
                .map(|(k, a)| {
                    let mut a = a.clone();
                    a.note.clear();
                    a.evidence.clear();
                    (k.clone(), a)
                })
                .collect();
            prop_assert_eq!(brief.to_answers(&template), plain);
            prop_assert_eq!(
                brief.has_text(),
                given.values().any(|a| !a.note.is_empty() || !a.evidence.is_empty())
            );
            for a in brief.iter(&template) {
                let g = &given[&a.item.id];
                prop_assert_eq!((&a.choice.id, a.carried, a.action), (&g.choice, g.carried, g.action.as_ref()));
            }
        }
    }

    #[test]
    fn answers_outside_the_template_make_no_brief_and_bad_parts_are_refused() {
        let template = bundled("ipa-five-principles");
        let mut given = answers(&template, &[(Some(0), 0)]);
        given.insert(
            Id::new("nope").unwrap(),
            Answer::new(Id::new("yes").unwrap()),
        );
        assert!(Brief::from_answers(&template, &given).is_none());
        let n = template.item_count();
        assert!(Brief::from_parts(&template, vec![1; n + 1], Vec::new()).is_err());
        assert!(Brief::from_parts(&template, vec![0x0fff; n], Vec::new()).is_err());
        assert!(Brief::from_parts(&template, vec![1 | ACTION; n], Vec::new()).is_err());
        assert!(Brief::from_parts(&template, vec![1; n], Vec::new()).is_ok());
        // The actions must sit exactly on the flagged answers, in order.
        let action = |p: u16| {
            (
                p,
                Arc::new(Action {
                    text: format!("fix {p}"),
                    owner: String::new(),
                    due: chrono::NaiveDate::MIN,
                }),
            )
        };
        let mut codes = vec![1; n];
        codes[1] |= ACTION;
        codes[3] |= ACTION;
        let with = |codes: &[u16], positions: &[u16]| {
            Brief::from_parts(
                &template,
                codes.to_vec(),
                positions.iter().map(|&p| action(p)).collect(),
            )
        };
        assert!(with(&codes, &[1, 3]).is_ok());
        for wrong in [
            &[][..],
            &[1],
            &[3],
            &[3, 1],
            &[1, 2],
            &[1, 3, 4],
            &[1, 1, 3],
            &[0, 1, 3],
        ] {
            assert_eq!(
                with(&codes, wrong),
                Err(BriefError("actions do not match their flags".into())),
                "{wrong:?}"
            );
        }
        // A choice out of range is told first, wherever it is.
        codes[n - 1] = 0x0fff;
        assert_eq!(
            with(&codes, &[3]),
            Err(BriefError(format!("choice {} out of range", 0x0fff)))
        );
    }
}
