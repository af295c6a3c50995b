//! What is being typed in the risk editor survives a lost session: after
//! every key that changes the open text field, its text goes to the store
//! (`Effect::SaveRiskTyping`, `store/form_typing.rs`); when the field is
//! kept in the draft or cancelled, the saved text is forgotten. The editor
//! opened again on the draft opens the field on its row, with the text and
//! the cursor where they were.

use crate::model::FORMAT;
use crate::store::RiskTyping;
use crate::tui::app::{Ctx, Step};
use crate::tui::msg::{Effect, Notice};
use crate::tui::widget::text_input::{LINE_CHARS, TextInput};

use super::{Field, Mode, RiskEditorScreen, RowRef};

/// The name a text field is kept under (`reason`: why a vulnerability
/// differs from the inspections, typed on the vulnerability field).
fn name(field: Field) -> Option<&'static str> {
    Some(match field {
        Field::Name => "name",
        Field::Business => "business",
        Field::Owner => "owner",
        Field::Medium => "medium",
        Field::Users => "users",
        Field::Title => "title",
        Field::Plan => "plan",
        Field::Vulnerability => "reason",
        _ => return None,
    })
}

impl RiskEditorScreen {
    /// Returns what the open text field holds, or `None` when none is open.
    fn typing_now(&self) -> Option<RiskTyping> {
        let Mode::Text(input) = &self.mode else {
            return None;
        };
        let (asset, threat) = match self.current()? {
            RowRef::Asset(a) => (self.risk.assets.get(a)?, None),
            RowRef::Threat(a, t) => {
                let asset = self.risk.assets.get(a)?;
                (asset, Some(asset.threats.get(t)?.id.clone()))
            }
        };
        Some(RiskTyping {
            format: FORMAT,
            asset: asset.id.clone(),
            threat,
            field: name(self.focused()?)?.to_owned(),
            text: input.text(),
            col: input.cursor().1,
        })
    }

    /// Adds to `step` what keeps the store's copy of the open field in
    /// step with it after a key that changed its text.
    pub(super) fn keep_typing(&self, step: &mut Step) {
        if let Some(typing) = self.typing_now() {
            step.effects.push(Effect::SaveRiskTyping(typing));
        }
    }

    /// Opens the field a session that ended was typing into, on its row,
    /// with its text and cursor, if the row and the field are still there.
    pub(super) fn restore_typing(&mut self, ctx: &Ctx) {
        let Some(typing) = &ctx.data.risk_typing else {
            return;
        };
        let Some(a) = self.risk.assets.iter().position(|x| x.id == typing.asset) else {
            return;
        };
        let row = match &typing.threat {
            None => RowRef::Asset(a),
            Some(id) => match self.risk.assets[a].threats.iter().position(|t| &t.id == id) {
                Some(t) => RowRef::Threat(a, t),
                None => return,
            },
        };
        let Some(field) = Self::fields(row)
            .iter()
            .position(|f| name(*f) == Some(typing.field.as_str()))
        else {
            return;
        };
        let Some(at) = self.rows().iter().position(|r| *r == row) else {
            return;
        };
        let (before_row, before_field) = (self.row, self.field);
        self.row = at;
        self.field = field;
        // A reason is typed only while the vulnerability differs.
        let original = match self.focused() {
            Some(Field::Vulnerability) => {
                if let Some(d) = self.overridden() {
                    d.note.clone()
                } else {
                    (self.row, self.field) = (before_row, before_field);
                    return;
                }
            }
            Some(f) => self.text(f).unwrap_or_default(),
            None => return,
        };
        let mut input = TextInput::line(&original, LINE_CHARS);
        input.restore(&typing.text, (0, typing.col));
        self.mode = Mode::Text(Box::new(input));
        self.message = Some(Notice::from(ctx.tr(
            "前のセッションで入力中だった内容を戻しました。Enter で保存、Esc で破棄します",
            "What you were typing when the last session ended is back: Enter keeps it, Esc drops it.",
        )));
    }

    /// Returns true when the editor opened with a field a lost session was
    /// typing into.
    pub fn restored_typing(&self) -> bool {
        matches!(self.mode, Mode::Text(_))
    }
}
