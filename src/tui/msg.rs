//! `Msg`: what happens to the app (intents and results, the latter in the
//! past tense), and `Effect`: the side effects `update` asks the runtime to
//! perform through the store.

use ratatui::crossterm::event::KeyEvent;

use crate::model::{Draft, Id, RiskAssessment, Subjects};
use crate::store::Committed;
use crate::tui::app::Data;
use crate::tui::keymap::Action;

/// Something that happened.
#[derive(Debug)]
pub enum Msg {
    /// A bound key's intent.
    Action(Action),
    /// A choice key of the template was pressed.
    Choose(Id),
    /// A raw key for the open text editor or prompt.
    Input(KeyEvent),
    /// The draft was saved (or not).
    DraftSaved(Result<(), String>),
    /// The run was committed (or not).
    RunCommitted(Box<Result<Committed, String>>),
    /// Fresh data was read from the repository (or not).
    Reloaded(Box<Result<Data, String>>),
    /// A digit key set the focused value of the risk editor.
    SetValue(u8),
    /// The risk assessment was committed (with its commit id), or not.
    RiskCommitted(Box<Result<(RiskAssessment, String), String>>),
    /// The subject register was committed (with its commit message), or not.
    SubjectsSaved(Result<String, String>),
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
    },
    /// Leave tenken.
    Quit,
}
