//! Runs: one finished pass through a checklist for one subject, and drafts
//! (runs still being answered).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Evidence, Id};

/// A finished run, as stored in `runs/<subject>/<inspection>/<stamp>-<inspector>.ron`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// File format version; always 1.
    pub format: u32,
    /// The run id: its path without `runs/` and `.ron`.
    pub id: String,
    /// The inspection answered.
    pub inspection: Id,
    /// The template version answered.
    pub inspection_version: u32,
    /// The content hash of the template answered
    /// ([`super::Inspection::content_hash`]); `None` in runs recorded before
    /// tenken stored it, which are scored against the template as it was
    /// in the commit that added them. Shared: the runs of one template
    /// read from the index hold one copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection_hash: Option<Arc<str>>,
    /// The subject inspected.
    pub subject: Id,
    /// Who did the inspection.
    pub inspector: Inspector,
    /// When the run was started.
    pub started: DateTime<FixedOffset>,
    /// When the run was finished.
    pub finished: DateTime<FixedOffset>,
    /// Answers keyed by item id; unanswered items are absent.
    pub answers: BTreeMap<Id, Answer>,
    /// The run this one corrects, if any.
    #[serde(default)]
    pub supersedes: Option<String>,
    /// Corrective actions this run closes explicitly, as `<run id>#<item>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closes: Vec<String>,
}

/// The person who did a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspector {
    /// The inspector's id, used in paths.
    pub id: Id,
    /// The name shown and used as commit author.
    #[serde(default)]
    pub name: String,
    /// The e-mail used as commit author.
    #[serde(default)]
    pub email: String,
}

/// The answer to one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The chosen choice id.
    pub choice: Id,
    /// The inspector's note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Evidence: references in words (documents, tickets) and files kept in
    /// the repository (photos, screenshots, signed PDFs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// True while the answer is a copy of the previous run not yet confirmed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub carried: bool,
    /// A corrective action for an answer below the best choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// The choice the note, evidence and action were written for, while
    /// that is not `choice`: the answer was changed and the inspector has
    /// not yet said whether they still fit. Only a draft holds it; a run is
    /// never finished while an answer does ([`Draft::unsettled`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_for: Option<Id>,
}

impl Answer {
    /// Builds a fresh (not carried) answer with no note.
    pub fn new(choice: Id) -> Self {
        Self {
            choice,
            note: String::new(),
            evidence: Vec::new(),
            carried: false,
            action: None,
            written_for: None,
        }
    }

    /// Returns true when the answer carries a note, evidence or an action:
    /// words that were written for one choice.
    pub fn has_context(&self) -> bool {
        !self.note.trim().is_empty() || !self.evidence.is_empty() || self.action.is_some()
    }

    /// Changes the choice. A note, evidence or action written for another
    /// choice stays, marked with the choice it was written for
    /// ([`Self::is_unsettled`]) until the inspector keeps, clears or
    /// rewrites it; changing back to that choice settles it again.
    pub fn change_choice(&mut self, choice: Id) {
        let written_for = self
            .written_for
            .take()
            .unwrap_or_else(|| self.choice.clone());
        self.choice = choice;
        if self.has_context() && written_for != self.choice {
            self.written_for = Some(written_for);
        }
    }

    /// Returns true while the note, evidence or action were written for
    /// another choice than the one chosen now.
    pub fn is_unsettled(&self) -> bool {
        self.written_for.as_ref().is_some_and(|w| *w != self.choice)
    }

    /// Says that the note, evidence and action fit the choice made now.
    pub fn keep_context(&mut self) {
        self.written_for = None;
    }

    /// Drops the note, evidence and action (they were written for another
    /// choice).
    pub fn clear_context(&mut self) {
        self.note.clear();
        self.evidence.clear();
        self.action = None;
        self.written_for = None;
    }
}

/// A corrective action opened by an answer below the best choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// What is to be done.
    pub text: String,
    /// Who is to do it.
    #[serde(default)]
    pub owner: String,
    /// By when.
    pub due: NaiveDate,
}

/// A run still being answered, saved in `.tenken/drafts/<inspector>/<subject>/<inspection>.ron`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// File format version; always 1.
    pub format: u32,
    /// The inspection being answered.
    pub inspection: Id,
    /// The template version being answered.
    pub inspection_version: u32,
    /// The content hash of the template being answered, taken when the
    /// draft was started; the finished run keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection_hash: Option<String>,
    /// The subject inspected.
    pub subject: Id,
    /// Who is doing the inspection.
    pub inspector: Inspector,
    /// When the run was started.
    pub started: DateTime<FixedOffset>,
    /// Answers so far.
    pub answers: BTreeMap<Id, Answer>,
    /// Index of the item the walker was on.
    #[serde(default)]
    pub cursor: usize,
    /// The run this draft corrects, if any.
    #[serde(default)]
    pub supersedes: Option<String>,
    /// Actions to close explicitly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closes: Vec<String>,
}

impl Draft {
    /// Returns the items whose note, evidence or action were written for
    /// another choice than the one chosen now, and not yet kept, cleared or
    /// rewritten: a run with any of them is never finished.
    pub fn unsettled(&self) -> Vec<&Id> {
        self.answers
            .iter()
            .filter(|(_, a)| a.is_unsettled())
            .map(|(id, _)| id)
            .collect()
    }

    /// Turns the draft into a finished run with the given id and finish time.
    pub fn finish(self, id: String, finished: DateTime<FixedOffset>) -> Run {
        let mut answers = self.answers;
        // A settled answer has nothing more to say about what its words
        // were written for.
        for answer in answers.values_mut() {
            if !answer.is_unsettled() {
                answer.written_for = None;
            }
        }
        Run {
            format: 1,
            id,
            inspection: self.inspection,
            inspection_version: self.inspection_version,
            inspection_hash: self.inspection_hash.map(Arc::from),
            subject: self.subject,
            inspector: self.inspector,
            started: self.started,
            finished,
            answers,
            supersedes: self.supersedes,
            closes: self.closes,
        }
    }
}

/// The withdrawal of a committed run, as stored in
/// `withdrawals/<run id>.ron`: the run leaves the current set, its file
/// stays as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// File format version; always 1.
    pub format: u32,
    /// The run withdrawn; equal to the file's path without `withdrawals/`
    /// and `.ron`.
    pub run: String,
    /// Why the run no longer counts.
    pub reason: String,
    /// Who withdrew it.
    pub by: Inspector,
    /// When it was withdrawn.
    pub date: DateTime<FixedOffset>,
}

impl Run {
    /// Returns the date the run was finished, in its own offset.
    pub fn date(&self) -> NaiveDate {
        self.finished.date_naive()
    }

    /// Returns every evidence file the run's answers name, each once, in
    /// item order.
    pub fn evidence_files(&self) -> Vec<&super::EvidenceFile> {
        let mut seen = std::collections::HashSet::new();
        self.answers
            .values()
            .flat_map(|a| a.evidence.iter().filter_map(Evidence::file))
            .filter(|f| seen.insert(&f.sha256))
            .collect()
    }

    /// Returns how many answers are still marked as carried.
    pub fn carried_count(&self) -> usize {
        self.answers.values().filter(|a| a.carried).count()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Run;
    use crate::model::{arb, to_ron};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn a_run_survives_writing_and_reading(run in arb::run()) {
            let text = to_ron(&run).expect("a run serialises");
            let back: Run = crate::load::parse(std::path::Path::new("run.ron"), &text)
                .unwrap_or_else(|d| panic!("{d}\nin:\n{text}"));
            prop_assert_eq!(back, run, "written as:\n{}", text);
        }
    }
}
