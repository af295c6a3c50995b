//! The walker's corrective-action form: what is to be done, who owns it
//! and by when, for an answer below the best choice. Three one-line
//! fields; Tab and ↑/↓ move between them, Enter saves from any of them,
//! Esc cancels. A saved action replaces the actions still open from
//! earlier runs on the same item (they are closed explicitly).

use chrono::{Duration, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::actions::CorrectiveAction;
use crate::escape;
use crate::model::Id;
use crate::store::TypedField;
use crate::tui::app::{Ctx, Step};
use crate::tui::keymap::{self, Action};
use crate::tui::widget::text_input::{LINE_CHARS, Outcome, TextInput};
use crate::tui::widget::{pad, truncate};

use super::{Mode, WalkerScreen};

/// Days from today the due date of a new action starts at.
const DEFAULT_DUE_DAYS: i64 = 30;
/// The length of a date typed as `YYYY-MM-DD`.
const DATE_CHARS: usize = 10;
/// The width of the label column (marker, label, space).
const LABEL_WIDTH: u16 = 8;

/// The form: what, owner and due date (`YYYY-MM-DD`), one line each.
#[derive(Debug)]
pub(super) struct ActionForm {
    fields: [TextInput; 3],
    /// The field being typed into.
    focus: usize,
}

impl ActionForm {
    /// Opens the form on `existing`, or empty with the due date 30 days out.
    fn open(existing: Option<&crate::model::Action>, today: NaiveDate) -> Self {
        let (text, owner, due) = match existing {
            Some(a) => (a.text.clone(), a.owner.clone(), a.due.to_string()),
            None => (
                String::new(),
                String::new(),
                (today + Duration::days(DEFAULT_DUE_DAYS)).to_string(),
            ),
        };
        Self {
            fields: [
                TextInput::line(&text, LINE_CHARS),
                TextInput::line(&owner, LINE_CHARS),
                TextInput::line(&due, DATE_CHARS),
            ],
            focus: 0,
        }
    }

    /// Opens the form as a session that ended left it: `fields` (what,
    /// owner, due) as they were typed, `focus` on the field typed into.
    pub(super) fn restored(
        existing: Option<&crate::model::Action>,
        today: NaiveDate,
        fields: [&String; 3],
        focus: usize,
    ) -> Self {
        let mut form = Self::open(existing, today);
        for (field, text) in form.fields.iter_mut().zip(fields) {
            field.restore(text, (0, text.chars().count()));
        }
        form.focus = focus.min(2);
        form
    }

    /// Returns what the form holds, for the store's copy of the typing.
    pub(super) fn typed(&self) -> TypedField {
        let [text, owner, due] = self.fields.each_ref().map(TextInput::text);
        TypedField::Action {
            text,
            owner,
            due,
            focus: self.focus,
        }
    }

    /// Applies a key to the focused field, or moves the focus when the
    /// field does not take the key (Tab, ↑/↓).
    pub(super) fn handle(&mut self, key: KeyEvent) -> Outcome {
        let outcome = self.fields[self.focus].handle(key);
        if outcome != Outcome::Ignored {
            return outcome;
        }
        match keymap::lookup(keymap::FORM, key) {
            Some(Action::NextField) => self.focus = (self.focus + 1) % 3,
            Some(Action::PrevField) => self.focus = (self.focus + 2) % 3,
            _ => return Outcome::Ignored,
        }
        Outcome::Moved
    }

    /// Pastes into the focused field.
    pub(super) fn paste(&mut self, text: &str) -> Outcome {
        self.fields[self.focus].paste(text)
    }

    /// Returns the most characters the focused field takes.
    pub(super) fn limit(&self) -> usize {
        self.fields[self.focus].limit()
    }

    /// Draws the heading and the three fields, one row each, into `area`.
    pub(super) fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let width = usize::from(area.width);
        Line::from(Span::styled(
            truncate(
                ctx.tr(
                    "是正処置 · Enter 保存 · Esc 取消",
                    "Corrective action · Enter saves · Esc cancels",
                ),
                width,
            ),
            theme.key,
        ))
        .render(Rect { height: 1, ..area }, buf);
        let labels = [
            ctx.tr("内容", "What"),
            ctx.tr("担当", "Owner"),
            ctx.tr("期限", "Due"),
        ];
        for (n, (label, field)) in labels.iter().zip(&mut self.fields).enumerate() {
            let y = area.y + 1 + u16::try_from(n).unwrap_or(0);
            if y >= area.bottom() {
                break;
            }
            let focused = n == self.focus;
            let row = Rect::new(area.x, y, area.width, 1);
            Line::from(Span::styled(
                format!("{} {} ", if focused { "▸" } else { " " }, pad(label, 5)),
                if focused { theme.key } else { theme.dim },
            ))
            .render(row, buf);
            let value = Rect {
                x: row.x + LABEL_WIDTH,
                width: row.width.saturating_sub(LABEL_WIDTH),
                ..row
            };
            if focused {
                field.render(value, buf, theme.text, theme.selected);
            } else {
                Line::from(truncate(
                    &escape::line(&field.text()),
                    usize::from(value.width),
                ))
                .render(value, buf);
            }
        }
    }
}

impl WalkerScreen {
    /// Returns why the current answer cannot take an action, if it cannot:
    /// unanswered, answered with the best choice, or not applicable.
    pub(super) fn action_refusal(&self, ctx: &Ctx) -> Option<&'static str> {
        let item = self.item()?;
        let Some(answer) = self.draft.answers.get(&item.id) else {
            return Some(ctx.tr(
                "先に回答を選んでください",
                "Answer the item first, then add a corrective action.",
            ));
        };
        let best = self.inspection.best_choice(item).and_then(|c| c.points);
        let chosen = self
            .inspection
            .choice(item, answer.choice.as_str())
            .and_then(|c| c.points);
        match (chosen, best) {
            (Some(c), Some(b)) if c < b => None,
            (None, _) => Some(ctx.tr(
                "該当なしの回答には是正処置は要りません",
                "A not-applicable answer needs no corrective action.",
            )),
            _ => Some(ctx.tr(
                "最良の回答には是正処置は要りません",
                "The best answer needs no corrective action.",
            )),
        }
    }

    pub(super) fn open_action_form(&mut self, ctx: &Ctx) {
        if let Some(why) = self.action_refusal(ctx) {
            self.say(why);
            return;
        }
        let existing = self
            .item()
            .and_then(|i| self.draft.answers.get(&i.id))
            .and_then(|a| a.action.as_ref());
        let form = ActionForm::open(existing, ctx.clock.today());
        self.mode = Mode::Action(Box::new(form));
    }

    /// Acts on what a key did in the form.
    pub(super) fn action_input(&mut self, outcome: Outcome, ctx: &Ctx) -> Step {
        match outcome {
            Outcome::Saved => self.submit_action(ctx),
            _ => self.typed(outcome, ctx),
        }
    }

    /// Validates the form and stores the action (an empty text removes
    /// it); on a problem the form stays open on the field to fix.
    fn submit_action(&mut self, ctx: &Ctx) -> Step {
        let Mode::Action(form) = &self.mode else {
            return Step::none();
        };
        let [text, owner, due] = form.fields.each_ref().map(|f| f.text().trim().to_owned());
        let Some(item) = self.item().cloned() else {
            return Step::none();
        };
        let had = self
            .draft
            .answers
            .get(&item.id)
            .is_some_and(|a| a.action.is_some());
        if text.is_empty() {
            if !had {
                self.focus_form(0);
                self.say(ctx.tr(
                    "内容を入力してください (空のまま Esc で取消)",
                    "Say what is to be done (Esc cancels).",
                ));
                return Step::none();
            }
            self.mode = Mode::Normal;
            if let Some(a) = self.draft.answers.get_mut(&item.id) {
                a.action = None;
            }
            self.replace_earlier(&item.id, false);
            self.say(ctx.tr("是正処置を削除しました", "Corrective action removed."));
            return Step::effects(vec![self.save()]);
        }
        let due = match NaiveDate::parse_from_str(&due, "%Y-%m-%d") {
            Ok(d) if d < ctx.clock.today() => {
                Err(ctx.tr("期限が過去の日付です", "The due date is in the past."))
            }
            Ok(d) => Ok(d),
            Err(_) => Err(ctx.tr(
                "期限は YYYY-MM-DD の形の実在する日付で入力してください",
                "The due date must be a real date as YYYY-MM-DD.",
            )),
        };
        let due = match due {
            Ok(d) => d,
            Err(why) => {
                self.focus_form(2);
                self.say(why);
                return Step::none();
            }
        };
        self.mode = Mode::Normal;
        if let Some(a) = self.draft.answers.get_mut(&item.id) {
            a.action = Some(crate::model::Action { text, owner, due });
            a.carried = false;
        }
        // The new action for the same gap replaces the earlier open ones.
        self.replace_earlier(&item.id, true);
        self.say(format!(
            "{} ({} {due})",
            ctx.tr("是正処置を記録しました", "Corrective action recorded"),
            ctx.tr("期限", "due")
        ));
        Step::effects(vec![self.save()])
    }

    fn focus_form(&mut self, field: usize) {
        if let Mode::Action(form) = &mut self.mode {
            form.focus = field;
        }
    }

    /// Lists the open actions of earlier runs on `item` in the draft's
    /// `closes` (a new action replaces them), or takes them out again.
    pub(super) fn replace_earlier(&mut self, item: &Id, replace: bool) {
        let keys: Vec<String> = self
            .earlier
            .get(item)
            .into_iter()
            .flatten()
            .map(CorrectiveAction::key)
            .collect();
        self.draft.closes.retain(|k| !keys.contains(k));
        if replace {
            self.draft.closes.extend(keys);
        }
    }
}
