//! The risk editor on a draft another session has open (issue 13: one
//! draft, one session). The runtime claims the inspector's risk draft while
//! the editor is open (`tui::claim_open_drafts`); when another session
//! holds it, the editor says who, lets the inspector look through the
//! ledger, and changes nothing: no value, no field, no save, no commit.

use crate::tui::app::{Nav, Step};
use crate::tui::keymap::Action;
use crate::tui::msg::{Effect, Msg, Notice};

use super::{Mode, RiskEditorScreen};

impl RiskEditorScreen {
    /// Turns the editor read-only, saying why; a field restored from a
    /// lost session closes (it may be the other session's live text).
    pub(super) fn refuse(&mut self, refusal: Notice) {
        self.mode = Mode::Normal;
        self.message = Some(refusal.clone());
        self.read_only = Some(refusal);
    }

    /// Answers a message while read-only: moving through the ledger and
    /// leaving, nothing else (what else is asked for repeats why).
    pub(super) fn update_read_only(&mut self, msg: Msg) -> Step {
        let rows = self.rows().len();
        match msg {
            Msg::Action(Action::Up) => self.row = self.row.saturating_sub(1),
            Msg::Action(Action::Down) => self.row = (self.row + 1).min(rows.saturating_sub(1)),
            Msg::Action(Action::PrevField) => self.field = self.field.saturating_sub(1),
            Msg::Action(Action::NextField) => {
                if let Some(row) = self.current() {
                    self.field = (self.field + 1).min(Self::fields(row).len() - 1);
                }
            }
            Msg::Action(Action::Back) => {
                let mut step = Step::nav(Nav::Pop);
                step.effects.push(Effect::Reload);
                return step;
            }
            Msg::Action(_) | Msg::SetValue(_) | Msg::Input(_) | Msg::Paste(_) => {
                self.message.clone_from(&self.read_only);
            }
            _ => {}
        }
        Step::none()
    }
}
