//! Changing the ledger: values set with digit keys, text typed into a
//! [`TextInput`] (Enter keeps it, Esc drops it), and the answers to the
//! editor's yes/no questions.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::model::{PersonalData, Treatment};
use crate::tui::app::{Ctx, Step};
use crate::tui::msg::Effect;
use crate::tui::widget::text_input::Outcome;

use super::{Field, Mode, Pending, RiskEditorScreen, RowRef};

impl RiskEditorScreen {
    pub(super) fn set_value(&mut self, v: u8, ctx: &Ctx) -> Step {
        let (Some(row), Some(field)) = (self.current(), self.focused()) else {
            return Step::none();
        };
        let three = || {
            ctx.tr("この項目は 1〜3 です", "This value is 1, 2 or 3.")
                .to_owned()
        };
        match (row, field) {
            (RowRef::Asset(a), Field::C | Field::I | Field::A) => {
                if v > 3 {
                    self.message = Some(three().into());
                    return Step::none();
                }
                let asset = &mut self.risk.assets[a];
                match field {
                    Field::C => asset.c = v,
                    Field::I => asset.i = v,
                    _ => asset.a = v,
                }
            }
            (RowRef::Asset(a), Field::Personal) => {
                self.risk.assets[a].personal_data = match v {
                    1 => PersonalData::None,
                    2 => PersonalData::Personal,
                    3 => PersonalData::Sensitive,
                    _ => PersonalData::MyNumber,
                };
            }
            (RowRef::Threat(a, t), Field::Threat | Field::Vulnerability) => {
                if v > 3 {
                    self.message = Some(three().into());
                    return Step::none();
                }
                let threat = &mut self.risk.assets[a].threats[t];
                if field == Field::Threat {
                    threat.threat = v;
                } else {
                    threat.vulnerability = v;
                    if let Some(d) = threat.derived.as_ref().filter(|d| d.value != v) {
                        self.message = Some(
                            format!(
                                "{} {} · {}",
                                ctx.tr("点検結果では", "The inspections say"),
                                d.value,
                                ctx.tr(
                                    "Enter で理由を書いてください",
                                    "press Enter to say why it differs"
                                )
                            )
                            .into(),
                        );
                    }
                }
            }
            (RowRef::Threat(a, t), Field::Treatment) => {
                self.risk.assets[a].threats[t].treatment = match v {
                    1 => Treatment::Reduce,
                    2 => Treatment::Retain,
                    3 => Treatment::Avoid,
                    _ => Treatment::Transfer,
                };
            }
            _ => {
                self.message = Some(
                    ctx.tr(
                        "文字の項目です。Enter で編集します",
                        "A text field: press Enter to edit it.",
                    )
                    .into(),
                );
                return Step::none();
            }
        }
        Step::effects(vec![self.save()])
    }

    pub(super) fn text(&self, field: Field) -> Option<String> {
        Some(match (self.current()?, field) {
            (RowRef::Asset(a), f) => {
                let asset = &self.risk.assets[a];
                match f {
                    Field::Name => asset.name.clone(),
                    Field::Business => asset.business.clone(),
                    Field::Owner => asset.owner.clone(),
                    Field::Medium => asset.medium.clone(),
                    Field::Users => asset.users.clone(),
                    _ => return None,
                }
            }
            (RowRef::Threat(a, t), f) => {
                let threat = &self.risk.assets[a].threats[t];
                match f {
                    Field::Title => threat.title.clone(),
                    Field::Plan => threat.plan.clone(),
                    _ => return None,
                }
            }
        })
    }

    fn set_text(&mut self, value: String) {
        let (Some(row), Some(field)) = (self.current(), self.focused()) else {
            return;
        };
        // The reason for a vulnerability set against the inspections.
        if let (RowRef::Threat(a, t), Field::Vulnerability) = (row, field) {
            if let Some(d) = &mut self.risk.assets[a].threats[t].derived {
                d.note = value;
            }
            return;
        }
        let slot = match row {
            RowRef::Asset(a) => {
                let asset = &mut self.risk.assets[a];
                match field {
                    Field::Name => &mut asset.name,
                    Field::Business => &mut asset.business,
                    Field::Owner => &mut asset.owner,
                    Field::Medium => &mut asset.medium,
                    Field::Users => &mut asset.users,
                    _ => return,
                }
            }
            RowRef::Threat(a, t) => {
                let threat = &mut self.risk.assets[a].threats[t];
                match field {
                    Field::Title => &mut threat.title,
                    Field::Plan => &mut threat.plan,
                    _ => return,
                }
            }
        };
        *slot = value;
    }

    /// Hands a key to the open text field, or answers the open question:
    /// `y` does it, any other key cancels.
    pub(super) fn input(&mut self, key: KeyEvent, ctx: &Ctx) -> Step {
        match &mut self.mode {
            Mode::Normal => Step::none(),
            Mode::Text(input) => {
                let outcome = input.handle(key);
                self.typed(outcome, ctx)
            }
            Mode::Confirm(pending) => {
                let pending = *pending;
                self.mode = Mode::Normal;
                self.message = None;
                if !matches!(key.code, KeyCode::Char('y' | 'Y')) {
                    self.message = Some(ctx.tr("取り消しました", "Cancelled.").into());
                    return Step::none();
                }
                match pending {
                    Pending::Delete => self.delete(),
                    Pending::Commit => {
                        self.committing = true;
                        self.message = Some(ctx.tr("コミット中…", "Committing…").into());
                        let mut risk = self.risk.clone();
                        risk.assessor = ctx.inspector.inspector().clone();
                        Step::effects(vec![Effect::CommitRisk(risk)])
                    }
                    Pending::Discard => {
                        let mut fresh = ctx.clone();
                        fresh.data.risk_draft = None;
                        *self = Self::open(&fresh);
                        self.message =
                            Some(ctx.tr("下書きを破棄しました", "Draft discarded.").into());
                        Step::effects(vec![Effect::DiscardRiskDraft])
                    }
                }
            }
        }
    }

    /// Pastes into the open text field (a question ignores pastes).
    pub(super) fn paste(&mut self, text: &str) -> Step {
        let mut step = Step::none();
        if let Mode::Text(input) = &mut self.mode
            // A paste cut at the limit changed the text too.
            && matches!(input.paste(text), Outcome::Changed | Outcome::Full)
        {
            self.keep_typing(&mut step);
        }
        step
    }

    /// Acts on what a key did to the text field: a changed text is kept in
    /// the store at once, and forgotten there when the field closes (the
    /// draft, saved first, holds it then).
    fn typed(&mut self, outcome: Outcome, ctx: &Ctx) -> Step {
        match outcome {
            Outcome::Saved => {
                let text = match &self.mode {
                    Mode::Text(input) => input.text().trim().to_owned(),
                    Mode::Normal | Mode::Confirm(_) => return Step::none(),
                };
                self.mode = Mode::Normal;
                self.set_text(text);
                Step::effects(vec![self.save(), Effect::DiscardRiskTyping])
            }
            Outcome::Cancelled | Outcome::CancelAsked => {
                self.mode = Mode::Normal;
                Step::effects(vec![Effect::DiscardRiskTyping])
            }
            Outcome::Full => {
                self.message = Some(
                    ctx.tr("これ以上入力できません", "The field is full.")
                        .into(),
                );
                Step::none()
            }
            Outcome::Changed => {
                self.message = None;
                let mut step = Step::none();
                self.keep_typing(&mut step);
                step
            }
            // The cursor comes back where it was, too (once there is
            // something to bring back).
            Outcome::Moved if matches!(&self.mode, Mode::Text(i) if i.is_changed()) => {
                let mut step = Step::none();
                self.keep_typing(&mut step);
                step
            }
            Outcome::Moved | Outcome::Ignored => {
                self.message = None;
                Step::none()
            }
        }
    }
}
