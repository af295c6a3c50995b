//! `Msg`: what happens to the app (intents and results, the latter in the
//! past tense), `Effect`: the side effects `update` asks the runtime to
//! perform through the store, and `Notice`: a line for the status bar,
//! with the hints of the error it may report.

use ratatui::crossterm::event::KeyEvent;

use crate::model::{Draft, Id, RiskAssessment, Subjects};
use crate::store::{Committed, RegisterTyping, RiskTyping, Typing};
use crate::tui::app::Data;
use crate::tui::keymap::Action;

/// Something that happened.
#[derive(Debug)]
pub enum Msg {
    /// A bound key's intent.
    Action(Action),
    /// A choice key of the template was pressed.
    Choose(Id),
    /// A raw key for the open text field or question.
    Input(KeyEvent),
    /// Text pasted into the terminal (bracketed paste), for the open field.
    Paste(String),
    /// The draft was saved (or not).
    DraftSaved(Result<(), Notice>),
    /// What the evidence field's text completes to.
    EvidenceCompleted(Vec<String>),
    /// A file was checked and kept as evidence for `item` (or refused).
    EvidenceAttached {
        /// The item whose answer gets the file.
        item: Id,
        /// The file as the answer records it, or why it was refused.
        result: Result<crate::model::EvidenceFile, Notice>,
    },
    /// The run was committed (or not).
    RunCommitted(Box<Result<Committed, Notice>>),
    /// Fresh data was read from the repository (or not).
    Reloaded(Box<Result<Data, Notice>>),
    /// A digit key set the focused value of the risk editor.
    SetValue(u8),
    /// The risk assessment was committed (with its commit id), or not.
    RiskCommitted(Box<Result<(RiskAssessment, String), Notice>>),
    /// A run was withdrawn (with the withdrawal's commit id), or not.
    RunWithdrawn(Result<String, Notice>),
    /// The subject register was committed (with its commit message), or not.
    SubjectsSaved(Result<String, Notice>),
}

impl Msg {
    /// Returns true for what the inspector did (a key, a paste), as opposed
    /// to the result of an effect.
    pub fn is_from_user(&self) -> bool {
        matches!(
            self,
            Self::Action(_) | Self::Choose(_) | Self::Input(_) | Self::Paste(_) | Self::SetValue(_)
        )
    }
}

/// A side effect for the runtime to perform.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write the draft atomically.
    SaveDraft(Draft),
    /// Delete the draft for this subject and inspection.
    DiscardDraft {
        /// The draft's subject.
        subject: Id,
        /// The draft's inspection.
        inspection: Id,
    },
    /// Write what is being typed in the walker's open field (after every
    /// key that changes it).
    SaveTyping(Typing),
    /// Forget what was being typed in the draft of this subject and
    /// inspection: the field was saved into the draft, or cancelled.
    DiscardTyping {
        /// The draft's subject.
        subject: Id,
        /// The draft's inspection.
        inspection: Id,
    },
    /// Write what is being typed in the risk editor's open text field.
    SaveRiskTyping(RiskTyping),
    /// Forget what was being typed in the risk editor (the field was kept
    /// in the draft, or cancelled).
    DiscardRiskTyping,
    /// Write the register form as it stands (after every key that changes
    /// it).
    SaveRegisterTyping(RegisterTyping),
    /// Forget the register form of this subject (`None`: the new one's):
    /// it was cancelled.
    DiscardRegisterTyping(Option<Id>),
    /// Withdraw a committed run: its withdrawal file, one commit.
    WithdrawRun {
        /// The run's id.
        run: String,
        /// Why, as the inspector typed it.
        reason: String,
    },
    /// Write the run file and commit it.
    CommitRun(Draft),
    /// Re-read history and drafts.
    Reload,
    /// Write the inspector's risk assessment draft atomically.
    SaveRiskDraft(RiskAssessment),
    /// Delete the inspector's risk assessment draft.
    DiscardRiskDraft,
    /// Write the assessment under `risks/`, commit it, then drop the draft.
    CommitRisk(RiskAssessment),
    /// Replace `subjects.ron` with `subjects` and commit it alone.
    SaveSubjects {
        /// The whole register, changed.
        subjects: Subjects,
        /// The commit message, `register: add|edit|retire <id>`.
        message: String,
        /// The register form whose kept typing goes once the commit is
        /// made: `Some(None)` the new subject's, `Some(Some(id))` the edit
        /// of `id`'s; `None` when no form was typed into.
        typed: Option<Option<Id>>,
    },
    /// List what the evidence field's text could complete to (files and
    /// folders; only under `inbox/` in restricted mode).
    CompleteEvidence(String),
    /// Read, check and keep the file at `path` as evidence for `item`.
    AttachEvidence {
        /// The item whose answer gets the file.
        item: Id,
        /// The path as typed.
        path: String,
    },
    /// Leave tenken.
    Quit,
}

/// A line for the status bar: one sentence, and the hints that say what to
/// do about it when it reports an error (shown below it, as the command
/// line prints `hint:` lines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notice {
    /// The sentence.
    pub text: String,
    /// What to do about it, one line each.
    pub hints: Vec<String>,
}

impl Notice {
    /// Returns the notice with `before` and `after` around its sentence,
    /// keeping its hints ("Commit failed: … (the draft is kept)").
    #[must_use]
    pub fn framed(self, before: &str, after: &str) -> Self {
        let mut text = self.text;
        if !before.is_empty() {
            text = format!("{before} {text}");
        }
        if !after.is_empty() {
            text = format!("{text} {after}");
        }
        Self {
            text,
            hints: self.hints,
        }
    }
}

impl std::fmt::Display for Notice {
    /// Writes the sentence, then each hint on a line of its own.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)?;
        for hint in &self.hints {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl From<String> for Notice {
    fn from(text: String) -> Self {
        Self {
            text,
            hints: Vec::new(),
        }
    }
}

impl From<&str> for Notice {
    fn from(text: &str) -> Self {
        text.to_owned().into()
    }
}

impl Notice {
    /// The sentence, then each hint on a line of its own after the hint
    /// prefix in `lang` (`ヒント:`/`hint:`): what is printed on stderr
    /// when the interface closes with a notice.
    pub fn lines(&self, lang: crate::model::Lang) -> String {
        let prefix = crate::msg::HINT.get(lang);
        let mut lines = vec![self.text.clone()];
        lines.extend(self.hints.iter().map(|hint| format!("{prefix}: {hint}")));
        lines.join("\n")
    }

    /// The notice of an error in `lang` (its sentence and hints from the
    /// message catalogue; English for what the catalogue does not hold).
    pub fn error(e: &crate::Error, lang: crate::model::Lang) -> Self {
        Self {
            text: e.text(lang),
            hints: e.hints().iter().map(|h| h.get(lang).to_owned()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    #[test]
    fn a_notice_printed_on_leaving_has_the_hint_prefix_of_its_language() {
        let notice = Notice {
            text: "読み込めません".to_owned(),
            hints: vec!["直してください".to_owned()],
        };
        assert_eq!(
            notice.lines(Lang::Ja),
            "読み込めません\nヒント: 直してください"
        );
        assert_eq!(
            notice.lines(Lang::En),
            "読み込めません\nhint: 直してください"
        );
    }
}
