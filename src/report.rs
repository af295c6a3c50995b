//! Reports: what `tenken report` renders, and the renderers themselves.
//!
//! The CLI gathers a [`Report`] (runs with their templates, scores,
//! comparisons and trends). From it:
//!
//! - the documents people read go through one model: [`build`] makes a
//!   [`doc::Document`] (every label, in the report's language, and every
//!   number, formatted), and [`md`] and [`html`] only lay it out (HTML with
//!   `maud`, the trend chart from [`chart`]);
//! - the data formats are shaped directly from the `Report`: [`json`]
//!   (whose comparison is the struct `tenken compare --format json`
//!   prints), [`csv`] (one row per answer, through the one CSV writer) and
//!   [`oscal`].
//!
//! Each renderer is a pure function from a `Report` to a `String`. No I/O
//! here, and no clock: everything dated in a report comes from the runs,
//! so the same runs give the same bytes. Every string that came from data
//! passes through [`clean`] (hidden characters escaped, line breaks and
//! tabs kept) and then through the format's own escaping.

pub mod build;
pub mod chart;
pub mod csv;
pub mod doc;
pub mod handbook;
pub mod html;
pub mod json;
pub mod md;
pub mod oscal;
pub mod thumb;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::actions::CorrectiveAction;
use crate::compare::{ItemChange, ItemComparison, RunComparison, TrendPoint};
use crate::model::{
    Answer, Band, Choice, Id, Inspection, Item, Lang, Roles, Run, Section, Subject,
};
use crate::period::Period;
use crate::schedule::Due;
use crate::score::{Score, score_answers};

/// Everything a report shows: one run, or one run per subject of an
/// inspection (a review, such as the supplier review).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The organisation's name, from `tenken.ron`.
    pub organisation: String,
    /// The language of headings and of bilingual text.
    pub lang: Lang,
    /// The month the fiscal year starts in, for naming periods.
    pub fiscal_start: u32,
    /// True when the report covers every subject of one inspection.
    pub review: bool,
    /// The reported runs: one, or one per subject (in `order`).
    pub runs: Vec<RunReport>,
    /// Subjects a review expected but found no run for.
    pub missing: Vec<Missing>,
    /// The order of a review's subjects, runs and missing ones together
    /// (a supplier review's is the order of `tenken suppliers`); empty
    /// for one run. Subjects not in it follow, runs first.
    pub order: Vec<Id>,
    /// The day the report is made.
    pub generated: NaiveDate,
    /// What the HTML report shows of image evidence, by SHA-256; filled
    /// only for HTML (a file missing here is listed, not shown).
    pub previews: BTreeMap<String, Preview>,
    /// The management structure (`roles.ron`), for the inspection lead and
    /// owners given as roles.
    pub roles: Roles,
    /// Inspectors' names by id (see `roles::Directory`).
    pub names: BTreeMap<Id, String>,
}

/// What the HTML report can show of one image evidence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    /// A thumbnail to embed.
    Thumbnail(thumb::Thumbnail),
    /// Left out: the report would grow past its size limit.
    OverBudget,
    /// The file could not be read or decoded; why, in English.
    Unavailable(String),
}

/// A subject a review lists without a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The subject id.
    pub subject: Id,
    /// The subject's name from the register (empty when unknown).
    pub name: String,
    /// The subject's criticality from the register, if it is there.
    pub criticality: Option<u8>,
    /// Why there is no run (for example, none in the period asked for).
    pub reason: String,
    /// When a run is due, if a profile schedules one.
    pub due: Option<Due>,
}

/// One reported run with everything computed from it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// The run.
    pub run: Run,
    /// The template version the run answered.
    pub template: Inspection,
    /// The subject from the register, if it is still there.
    pub subject: Option<Subject>,
    /// The commit that added the run file, if committed.
    pub commit: Option<String>,
    /// Score, maximum and counts.
    pub score: Score,
    /// `score.percent()`.
    pub percent: f64,
    /// The band the run lands in.
    pub band: Option<Band>,
    /// The comparison with an earlier run (by default the latest run of an
    /// earlier period), if there is one.
    pub comparison: Option<RunComparison>,
    /// The percent per fiscal quarter up to and including this run.
    pub trend: Vec<TrendPoint>,
    /// Corrective actions of this subject and inspection still open as of
    /// `actions_as_of` (recorded in this run or an earlier one, closed by
    /// none up to this one), from [`crate::actions`].
    pub open_actions: Vec<CorrectiveAction>,
    /// The date open actions are judged overdue against.
    pub actions_as_of: NaiveDate,
    /// When the next run is due, if a profile schedules one.
    pub due: Option<Due>,
}

/// The result of one section of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionResult<'a> {
    /// The section.
    pub section: &'a Section,
    /// The section's score, computed by the same rules as the run's.
    pub score: Score,
    /// `score.percent()`.
    pub percent: f64,
    /// The section's items in order.
    pub items: Vec<ItemResult<'a>>,
}

/// One item of a run: the question and its answer, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult<'a> {
    /// The section holding the item.
    pub section: &'a Section,
    /// The question.
    pub item: &'a Item,
    /// The answer, if the item was answered.
    pub answer: Option<&'a Answer>,
    /// The chosen choice on the item's scale.
    pub choice: Option<&'a Choice>,
    /// Weighted points of the answer; `None` when not applicable or unanswered.
    pub points: Option<i64>,
    /// Weighted points of the best choice.
    pub best: Option<i64>,
    /// The best choice on the item's scale.
    pub best_choice: Option<&'a Choice>,
}

impl ItemResult<'_> {
    /// Returns true when the item was answered with fewer points than its
    /// best choice: a finding.
    pub fn below_best(&self) -> bool {
        matches!((self.points, self.best), (Some(p), Some(b)) if p < b)
    }

    /// Returns true when the answer is still carried from the previous run.
    pub fn carried(&self) -> bool {
        self.answer.is_some_and(|a| a.carried)
    }
}

impl RunReport {
    /// Scores `run` against `template`; the subject, commit, comparison,
    /// trend, actions and due date are left empty for the caller to fill.
    pub fn new(run: Run, template: Inspection) -> Self {
        let score = crate::score::score_run(&template, &run);
        let percent = score.percent();
        let band = score.band(&template).cloned();
        let actions_as_of = run.date();
        Self {
            run,
            template,
            subject: None,
            commit: None,
            score,
            percent,
            band,
            comparison: None,
            trend: Vec::new(),
            open_actions: Vec::new(),
            actions_as_of,
            due: None,
        }
    }

    /// Returns how many open actions are overdue.
    pub fn overdue_actions(&self) -> usize {
        self.open_actions.iter().filter(|a| a.overdue).count()
    }

    /// Returns the subject's display name in `lang`, or its id when it is
    /// not in the register.
    pub fn subject_name(&self, lang: Lang) -> String {
        self.subject
            .as_ref()
            .map_or_else(|| self.run.subject.to_string(), |s| clean(s.name.get(lang)))
    }

    /// Returns every item of the template in walk order with its answer.
    pub fn items(&self) -> Vec<ItemResult<'_>> {
        self.template
            .items()
            .map(|(section, item)| self.item_result(section, item))
            .collect()
    }

    /// Returns the answered items below their best choice (the findings).
    pub fn findings(&self) -> Vec<ItemResult<'_>> {
        self.items()
            .into_iter()
            .filter(ItemResult::below_best)
            .collect()
    }

    /// Returns each section with its score and items.
    pub fn sections(&self) -> Vec<SectionResult<'_>> {
        self.template
            .sections
            .iter()
            .map(|section| {
                // Score the section as a template of its own, so the rules
                // (weights, not applicable, unanswered) are score.rs's.
                let mut one = self.template.clone();
                one.sections = vec![section.clone()];
                let score = score_answers(&one, &self.run.answers);
                SectionResult {
                    section,
                    percent: score.percent(),
                    score,
                    items: section
                        .items
                        .iter()
                        .map(|item| self.item_result(section, item))
                        .collect(),
                }
            })
            .collect()
    }

    fn item_result<'a>(&'a self, section: &'a Section, item: &'a Item) -> ItemResult<'a> {
        let weight = i64::from(item.weight);
        let answer = self.run.answers.get(&item.id);
        let choice = answer.and_then(|a| self.template.choice(item, a.choice.as_str()));
        let best_choice = self.template.best_choice(item);
        ItemResult {
            section,
            item,
            answer,
            choice,
            points: choice.and_then(|c| c.points).map(|p| i64::from(p) * weight),
            best: best_choice
                .and_then(|c| c.points)
                .map(|p| i64::from(p) * weight),
            best_choice,
        }
    }

    /// Returns the fiscal quarter the run was finished in.
    pub fn period(&self, fiscal_start: u32) -> Period {
        Period::fiscal_quarter_of(self.run.date(), fiscal_start)
    }

    /// Returns the comparison's changed items, regressions first (the
    /// order of [`ItemChange::ALL`]), leaving out unchanged items and items
    /// neither run answered.
    pub fn changes(&self) -> Vec<&ItemComparison> {
        let Some(c) = &self.comparison else {
            return Vec::new();
        };
        ItemChange::ALL
            .iter()
            .filter(|change| **change != ItemChange::Unchanged)
            .flat_map(|change| c.with_change(*change))
            .filter(|i| i.change != ItemChange::Unanswered || i.from.is_some())
            .collect()
    }
}

impl Report {
    /// Returns the latest finish date among the runs (the report's date).
    pub fn date(&self) -> Option<NaiveDate> {
        self.runs.iter().map(|r| r.run.date()).max()
    }

    /// Returns the title: the inspection, and the subject for a single run.
    pub fn title(&self) -> String {
        let lang = self.lang;
        match (self.review, self.runs.first()) {
            (true, Some(first)) => {
                let what = if self.is_supplier_review() {
                    lang.pick("委託先レビュー", "Supplier review")
                } else {
                    lang.pick("点検レビュー", "Inspection review")
                };
                format!("{what}: {}", clean(first.template.title.get(lang)))
            }
            (false, Some(one)) => format!(
                "{}: {} — {}",
                lang.pick("点検報告書", "Inspection report"),
                clean(one.template.title.get(lang)),
                one.subject_name(lang)
            ),
            (_, None) => lang.pick("点検報告書", "Inspection report").to_owned(),
        }
    }

    /// Returns true when this is a review whose subjects are suppliers.
    pub fn is_supplier_review(&self) -> bool {
        self.review
            && self.runs.iter().any(|r| {
                r.subject
                    .as_ref()
                    .is_some_and(|s| s.kind == crate::model::SubjectKind::Supplier)
            })
    }
}

/// Returns `s` escaped for a document ([`crate::escape::Policy::Output`]):
/// hidden characters shown as `\u{…}`, line breaks and tabs kept, which
/// every format can carry.
pub fn clean(s: &str) -> String {
    crate::escape::output(s)
}

/// Returns `s` cleaned and on one line: line breaks and runs of
/// whitespace become one space, and the ends are trimmed.
pub fn one_line(s: &str) -> String {
    clean(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Returns the heading of a kind of change in `lang`.
pub fn change_name(change: ItemChange, lang: Lang) -> &'static str {
    match change {
        ItemChange::Regressed => lang.pick("悪化", "Regressed"),
        ItemChange::Improved => lang.pick("改善", "Improved"),
        ItemChange::Unchanged => lang.pick("変化なし", "Unchanged"),
        ItemChange::Added => lang.pick("追加", "Added"),
        ItemChange::Removed => lang.pick("除外", "Removed"),
        ItemChange::Unanswered => lang.pick("未回答", "Unanswered"),
    }
}

/// Returns the marker of a kind of change: `▼` regressed, `▲` improved.
pub fn change_marker(change: ItemChange) -> &'static str {
    match change {
        ItemChange::Regressed => "▼",
        ItemChange::Improved => "▲",
        ItemChange::Unchanged => "=",
        ItemChange::Added => "+",
        ItemChange::Removed => "-",
        ItemChange::Unanswered => "?",
    }
}

/// Unit tests of the shared helpers; each renderer tests itself.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_keeps_lines_and_escapes_controls() {
        assert_eq!(clean("a\nb\tc"), "a\nb\tc");
        assert_eq!(clean("x\u{1b}[31m"), "x\\u{1b}[31m");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(one_line("  a\n  b  "), "a b");
    }
}
