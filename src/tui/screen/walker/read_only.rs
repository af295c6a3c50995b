//! The walker on a draft another session has open (issue 13: one draft,
//! one session). The runtime claims each open draft for its session
//! (`tui::claim_open_drafts`); when another session holds it, the walker
//! shows who, lets the inspector look through the items, and changes
//! nothing: no answer, no field, no save. Leaving goes back to the
//! dashboard; the draft is claimed afresh when it is opened again.

use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::Action;
use crate::tui::msg::{Msg, Notice};

use super::{Mode, WalkerScreen};

impl WalkerScreen {
    /// Turns the walker read-only, saying why; a field restored from a
    /// lost session closes (it may be the other session's live text).
    pub(super) fn refuse(&mut self, refusal: Notice) {
        self.mode = Mode::Normal;
        self.prompt = None;
        self.message = None;
        self.before = None;
        self.read_only = Some(refusal);
    }

    /// Answers a message while read-only: moving through the items and
    /// leaving, nothing else.
    pub(super) fn update_read_only(&mut self, msg: Msg, _ctx: &Ctx) -> Step {
        let last = self.order.len().saturating_sub(1);
        match msg {
            Msg::Action(Action::Up) => self.cursor = self.cursor.saturating_sub(1),
            Msg::Action(Action::Down) => self.cursor = (self.cursor + 1).min(last),
            Msg::Action(Action::PageDown) => self.guidance.1.page_down(),
            Msg::Action(Action::PageUp) => self.guidance.1.page_up(),
            Msg::Action(Action::Back) => return Step::nav(Nav::Home),
            _ => {}
        }
        Step::none()
    }
}
