//! What is being typed in the walker survives a lost session: after every
//! key that changes the open note, evidence or action field, its text goes
//! to the store (`Effect::SaveTyping`, `store/typing.rs`); when the field
//! is saved into the draft or cancelled, the saved text is forgotten. A
//! walker resumed on the draft opens the field again on its item, with the
//! text and the cursor where they were.

use crate::model::FORMAT;
use crate::store::{TypedField, Typing};
use crate::tui::app::{Ctx, Step};
use crate::tui::msg::Effect;
use crate::tui::widget::text_input::{LINE_CHARS, NOTE_CHARS, Outcome, TextInput};

use super::action_form::ActionForm;
use super::{Mode, WalkerScreen};

impl WalkerScreen {
    /// Returns what the open field holds, or `None` when no field whose
    /// text is kept is open (the jump field's few characters are not).
    pub(super) fn typing_now(&self) -> Option<Typing> {
        let field = match &self.mode {
            Mode::Note(input) => {
                let (line, col) = input.cursor();
                TypedField::Note {
                    text: input.text(),
                    line,
                    col,
                }
            }
            Mode::Evidence(input) => TypedField::Evidence {
                text: input.text(),
                col: input.cursor().1,
            },
            Mode::Action(form) => form.typed(),
            Mode::Normal | Mode::Jump(_) => return None,
        };
        Some(Typing {
            format: FORMAT,
            subject: self.draft.subject.clone(),
            inspection: self.draft.inspection.clone(),
            draft_started: self.draft.started,
            item: self.item()?.id.clone(),
            field,
        })
    }

    /// Adds to `step` what keeps the store's copy of the typing in step
    /// with the field after a key: the text when the key changed it, or
    /// forgetting it when the field (open before the key) has closed.
    pub(super) fn keep_typing(&self, step: &mut Step, outcome: Outcome, was_open: bool) {
        match self.typing_now() {
            Some(typing) if outcome.changed() => step.effects.push(Effect::SaveTyping(typing)),
            None if was_open => step.effects.push(Effect::DiscardTyping {
                subject: self.draft.subject.clone(),
                inspection: self.draft.inspection.clone(),
            }),
            _ => {}
        }
    }

    /// Opens the field a session that ended was typing into, on its item,
    /// with its text and cursor, if it belongs to this draft and the item
    /// can still take it.
    pub(super) fn restore_typing(&mut self, ctx: &Ctx) {
        let Some(typing) = ctx.data.typing.iter().find(|t| {
            t.subject == self.draft.subject
                && t.inspection == self.draft.inspection
                && t.draft_started == self.draft.started
        }) else {
            return;
        };
        let Some(at) = self.order.iter().position(|(s, i)| {
            self.inspection
                .sections
                .get(*s)
                .and_then(|sec| sec.items.get(*i))
                .is_some_and(|it| it.id == typing.item)
        }) else {
            return;
        };
        // Every one of these fields opens on an answered item only.
        let Some(answer) = self.draft.answers.get(&typing.item).cloned() else {
            return;
        };
        let before = self.cursor;
        self.cursor = at;
        self.draft.cursor = at;
        self.mode = match &typing.field {
            TypedField::Note { text, line, col } => {
                let mut input = TextInput::note(&answer.note, NOTE_CHARS);
                input.restore(text, (*line, *col));
                Mode::Note(Box::new(input))
            }
            TypedField::Evidence { text, col } => {
                let mut input = TextInput::line("", LINE_CHARS);
                input.restore(text, (0, *col));
                Mode::Evidence(input)
            }
            TypedField::Action {
                text,
                owner,
                due,
                focus,
            } if self.action_refusal(ctx).is_none() => {
                Mode::Action(Box::new(ActionForm::restored(
                    answer.action.as_ref(),
                    ctx.clock.today(),
                    [text, owner, due],
                    *focus,
                )))
            }
            TypedField::Action { .. } => {
                self.cursor = before;
                self.draft.cursor = before;
                return;
            }
        };
        self.say(ctx.tr(
            "前のセッションで入力中だった内容を戻しました。Enter で保存、Esc で破棄します",
            "What you were typing when the last session ended is back: Enter keeps it, Esc drops it.",
        ));
    }
}
