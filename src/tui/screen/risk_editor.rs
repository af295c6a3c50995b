//! The risk assessment editor: a new assessment starting from the latest
//! one (or the inspector's saved draft), asset by asset and threat by
//! threat. Values 1–3 (and the personal-data kind and the treatment, 1–4)
//! are set with single keys, text fields are typed in place, the computed
//! columns follow live. Every change saves the draft; `f` commits the
//! assessment as a new file under `risks/`. What is typed into a field is
//! kept after every key until the field closes (`risk_editor/typing.rs`).
//!
//! This file holds the editor's state and how it answers keys; setting
//! values and typing text is in `risk_editor/form.rs`, the view in
//! `risk_editor/view.rs`.

mod form;
mod read_only;
mod typing;
mod view;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use crate::escape;
use crate::model::{Asset, Derived, FORMAT, Id, PersonalData, RiskAssessment, Threat, Treatment};
use crate::risk::{self, measures};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{self, Action, Binding, ScreenId};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::text_input::{LINE_CHARS, TextInput};

/// A field of a ledger row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    C,
    I,
    A,
    Personal,
    Business,
    Owner,
    Medium,
    Users,
    Title,
    Threat,
    Vulnerability,
    Treatment,
    Plan,
    Category,
}

/// The fields of an asset row, in focus order.
const ASSET_FIELDS: [Field; 9] = [
    Field::Name,
    Field::C,
    Field::I,
    Field::A,
    Field::Personal,
    Field::Business,
    Field::Owner,
    Field::Medium,
    Field::Users,
];

/// The fields of a threat row, in focus order.
const THREAT_FIELDS: [Field; 6] = [
    Field::Title,
    Field::Threat,
    Field::Vulnerability,
    Field::Treatment,
    Field::Plan,
    Field::Category,
];

impl Field {
    fn is_text(self) -> bool {
        matches!(
            self,
            Self::Name
                | Self::Business
                | Self::Owner
                | Self::Medium
                | Self::Users
                | Self::Title
                | Self::Plan
        )
    }

    fn label(self, ctx: &Ctx) -> &'static str {
        match self {
            Self::Name => ctx.tr("資産名", "Name"),
            Self::C => ctx.tr("機密性", "C"),
            Self::I => ctx.tr("完全性", "I"),
            Self::A => ctx.tr("可用性", "A"),
            Self::Personal => ctx.tr("個人情報", "Personal data"),
            Self::Business => ctx.tr("業務", "Business"),
            Self::Owner => ctx.tr("管理部署", "Owner"),
            Self::Medium => ctx.tr("媒体・保存先", "Medium"),
            Self::Users => ctx.tr("利用者範囲", "Users"),
            Self::Title => ctx.tr("内容", "What"),
            Self::Threat => ctx.tr("脅威の起こりやすさ", "Threat"),
            Self::Vulnerability => ctx.tr("脆弱性", "Vulnerability"),
            Self::Treatment => ctx.tr("対応", "Treatment"),
            Self::Plan => ctx.tr("計画", "Plan"),
            Self::Category => ctx.tr("脅威の分類", "Category"),
        }
    }
}

/// A row of the ledger: an asset, or a threat of an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowRef {
    Asset(usize),
    Threat(usize, usize),
}

/// What needs a yes before it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Delete,
    Commit,
    Discard,
}

/// What the keyboard is doing.
#[derive(Debug)]
enum Mode {
    Normal,
    /// Typing into the focused text field.
    Text(Box<TextInput>),
    /// Waiting for `y`.
    Confirm(Pending),
}

/// The editor's state.
#[derive(Debug)]
pub struct RiskEditorScreen {
    risk: RiskAssessment,
    /// The assessment this one started from, if any.
    based_on: Option<String>,
    matrix: [[u8; 3]; 3],
    row: usize,
    field: usize,
    mode: Mode,
    message: Option<Notice>,
    committing: bool,
    /// The ledger's scroll offset, kept between frames.
    nav: Navigator,
    /// Set when another session holds the risk draft: why nothing here
    /// changes it.
    read_only: Option<Notice>,
}

impl RiskEditorScreen {
    /// Resumes the inspector's draft, or starts a new assessment from the
    /// latest one (an empty ledger when there is none), dated today.
    pub fn open(ctx: &Ctx) -> Self {
        let matrix = risk::likelihood_matrix(&ctx.data.catalog.config);
        let resumed = ctx.data.risk_draft.is_some();
        let (risk, based_on) = if let Some(draft) = &ctx.data.risk_draft {
            (draft.clone(), None)
        } else {
            let latest = ctx.data.risks.last();
            let risk = RiskAssessment {
                format: FORMAT,
                id: String::new(),
                assessor: ctx.inspector.inspector().clone(),
                date: ctx.clock.today(),
                assets: latest.map(|l| l.assets.clone()).unwrap_or_default(),
            };
            (risk, latest.map(|l| l.id.clone()))
        };
        let message = risk.assets.is_empty().then(|| {
            Notice::from(ctx.tr(
                "a で資産を追加してください",
                "Press a to add the first asset.",
            ))
        });
        let mut editor = Self {
            risk,
            based_on,
            matrix,
            row: 0,
            field: 0,
            mode: Mode::Normal,
            message,
            committing: false,
            nav: Navigator::default(),
            read_only: None,
        };
        if resumed {
            editor.restore_typing(ctx);
        }
        editor
    }

    fn rows(&self) -> Vec<RowRef> {
        let mut out = Vec::new();
        for (a, asset) in self.risk.assets.iter().enumerate() {
            out.push(RowRef::Asset(a));
            out.extend((0..asset.threats.len()).map(|t| RowRef::Threat(a, t)));
        }
        out
    }

    fn current(&self) -> Option<RowRef> {
        self.rows().get(self.row).copied()
    }

    fn fields(row: RowRef) -> &'static [Field] {
        match row {
            RowRef::Asset(_) => &ASSET_FIELDS,
            RowRef::Threat(..) => &THREAT_FIELDS,
        }
    }

    fn focused(&self) -> Option<Field> {
        let fields = Self::fields(self.current()?);
        fields.get(self.field.min(fields.len() - 1)).copied()
    }

    fn save(&self) -> Effect {
        Effect::SaveRiskDraft(self.risk.clone())
    }
}

impl Screen for RiskEditorScreen {
    fn id(&self) -> ScreenId {
        ScreenId::RiskEditor
    }

    fn title(&self, ctx: &Ctx) -> String {
        ctx.tr("リスク評価の編集", "New risk assessment").to_owned()
    }

    fn status(&self) -> Option<&Notice> {
        self.message.as_ref()
    }

    fn keys(&self) -> &'static [Binding] {
        if self.read_only.is_some() {
            return keymap::risk_editor_read_only();
        }
        match self.mode {
            Mode::Text(_) => keymap::LINE_EDIT,
            Mode::Normal | Mode::Confirm(_) => keymap::bindings(ScreenId::RiskEditor),
        }
    }

    /// Every key goes to the open text field or question; a digit is the
    /// value it sets (1–4), which cannot travel inside an `Action`.
    fn key(&self, key: KeyEvent) -> Option<Msg> {
        if !matches!(self.mode, Mode::Normal) {
            return Some(Msg::Input(key));
        }
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return None;
        }
        match key.code {
            KeyCode::Char(c @ '1'..='4') => u8::try_from(c.to_digit(10)?).ok().map(Msg::SetValue),
            _ => None,
        }
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        if self.read_only.is_some() {
            return self.update_read_only(msg);
        }
        if matches!(msg, Msg::Action(_) | Msg::SetValue(_)) {
            self.message = None;
        }
        match msg {
            Msg::Input(key) => self.input(key, ctx),
            Msg::Paste(text) => self.paste(&text),
            Msg::SetValue(v) => self.set_value(v, ctx),
            Msg::Action(action) => self.act(action, ctx),
            Msg::DraftSaved(Err(e)) => {
                self.message = Some(e.framed(
                    ctx.tr("下書きを保存できませんでした:", "Could not save the draft:"),
                    "",
                ));
                Step::none()
            }
            Msg::RiskCommitted(result) => {
                self.committing = false;
                match *result {
                    Ok((risk, commit)) => {
                        let short: String = commit.chars().take(8).collect();
                        let mut step = Step::nav(Nav::Pop);
                        step.effects.push(Effect::Reload);
                        step.notice = Some(Notice::from(format!(
                            "{} {short} · risks/{}.ron",
                            ctx.tr(
                                "リスク評価をコミットしました",
                                "Committed the risk assessment"
                            ),
                            escape::line(&risk.id)
                        )));
                        step
                    }
                    Err(e) => {
                        self.message = Some(e.framed(
                            ctx.tr("コミットできませんでした:", "Commit failed:"),
                            ctx.tr("(下書きは保存済み)", "(the draft is kept)"),
                        ));
                        Step::none()
                    }
                }
            }
            _ => Step::none(),
        }
    }

    fn edits_risk_draft(&self) -> bool {
        true
    }

    fn draft_refused(&mut self, refusal: Notice) {
        self.refuse(refusal);
    }

    /// Draws the summary, the ledger and the form of the selected row.
    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        self.draw(area, buf, ctx);
    }
}

impl RiskEditorScreen {
    fn act(&mut self, action: Action, ctx: &Ctx) -> Step {
        let rows = self.rows().len();
        match action {
            Action::Up => self.row = self.row.saturating_sub(1),
            Action::Down => self.row = (self.row + 1).min(rows.saturating_sub(1)),
            Action::PrevField => self.field = self.field.saturating_sub(1),
            Action::NextField => {
                if let Some(row) = self.current() {
                    self.field = (self.field + 1).min(Self::fields(row).len() - 1);
                }
            }
            Action::Select => match self.focused() {
                // The reason for a vulnerability set against the inspections.
                Some(Field::Vulnerability) if self.overridden().is_some() => {
                    let note = self
                        .overridden()
                        .map(|d| d.note.clone())
                        .unwrap_or_default();
                    self.mode = Mode::Text(Box::new(TextInput::line(&note, LINE_CHARS)));
                }
                Some(f) if f.is_text() => {
                    let text = self.text(f).unwrap_or_default();
                    self.mode = Mode::Text(Box::new(TextInput::line(&text, LINE_CHARS)));
                }
                Some(_) => {
                    self.message = Some(
                        ctx.tr(
                            "この項目は数字キーで設定します",
                            "Set this field with the digit keys.",
                        )
                        .into(),
                    );
                }
                None => {}
            },
            Action::Cycle if self.focused() == Some(Field::Category) => {
                return self.cycle_category();
            }
            Action::Derive => return self.derive(ctx),
            Action::AddAsset => return self.add_asset(),
            Action::AddThreat => return self.add_threat(ctx),
            Action::Delete => {
                if let Some(row) = self.current() {
                    self.mode = Mode::Confirm(Pending::Delete);
                    self.message = Some(self.delete_question(row, ctx).into());
                }
            }
            Action::Finish => {
                if let Err(e) = self.check(ctx) {
                    self.message = Some(e.into());
                } else if !self.committing {
                    self.mode = Mode::Confirm(Pending::Commit);
                    self.message = Some(Notice::from(format!(
                        "{} (y / {})",
                        ctx.tr(
                            "このリスク評価を確定してコミットしますか?",
                            "Commit this risk assessment?"
                        ),
                        ctx.tr("他のキーで取消", "any other key cancels")
                    )));
                }
            }
            Action::Discard => {
                self.mode = Mode::Confirm(Pending::Discard);
                self.message = Some(Notice::from(format!(
                    "{} (y / {})",
                    ctx.tr(
                        "下書きを破棄して最新の評価からやり直しますか?",
                        "Discard this draft and start again from the latest assessment?"
                    ),
                    ctx.tr("他のキーで取消", "any other key cancels")
                )));
            }
            Action::Back => {
                let mut step = Step::nav(Nav::Pop);
                // The register shows whether a draft is waiting.
                step.effects.push(Effect::Reload);
                step.notice = Some(
                    ctx.tr(
                        "下書きを保存しました。リスク台帳で n を押すと再開します",
                        "Draft kept; press n in the risk register to resume it.",
                    )
                    .into(),
                );
                return step;
            }
            _ => {}
        }
        Step::none()
    }

    fn delete_question(&self, row: RowRef, ctx: &Ctx) -> String {
        let what = match row {
            RowRef::Asset(a) => {
                let asset = &self.risk.assets[a];
                format!(
                    "{} `{}` ({} {})",
                    ctx.tr("資産", "asset"),
                    escape::line(&asset.name),
                    asset.threats.len(),
                    ctx.tr("件の脅威も", "threats with it")
                )
            }
            RowRef::Threat(a, t) => format!(
                "{} `{}`",
                ctx.tr("脅威", "threat"),
                escape::line(&self.risk.assets[a].threats[t].title)
            ),
        };
        format!(
            "{} {what}? (y / {})",
            ctx.tr("削除しますか:", "Delete"),
            ctx.tr("他のキーで取消", "any other key cancels")
        )
    }

    /// Refuses to commit a ledger with nameless rows.
    fn check(&self, ctx: &Ctx) -> Result<(), String> {
        if self.risk.assets.is_empty() {
            return Err(ctx
                .tr(
                    "資産が1件もありません (a で追加)",
                    "No assets yet (a adds one).",
                )
                .into());
        }
        for (n, row) in self.rows().into_iter().enumerate() {
            let missing = match row {
                RowRef::Asset(a) => self.risk.assets[a].name.trim().is_empty(),
                RowRef::Threat(a, t) => self.risk.assets[a].threats[t].title.trim().is_empty(),
            };
            if missing {
                return Err(format!(
                    "{} {}",
                    ctx.tr("名前のない行があります: 行", "A row has no name: row"),
                    n + 1
                ));
            }
            if let RowRef::Threat(a, t) = row {
                let threat = &self.risk.assets[a].threats[t];
                if let Some(d) = &threat.derived
                    && d.value != threat.vulnerability
                    && d.note.trim().is_empty()
                {
                    return Err(format!(
                        "{} {} ({} {})",
                        ctx.tr(
                            "脆弱性が点検結果と異なる理由を書いてください (脆弱性で Enter): 行",
                            "Say why the vulnerability differs from the inspections (Enter on it): row",
                        ),
                        n + 1,
                        ctx.tr("点検では", "inspections:"),
                        d.value
                    ));
                }
            }
        }
        Ok(())
    }

    /// The focused threat's derivation when its vulnerability was set
    /// against it.
    fn overridden(&self) -> Option<&Derived> {
        let RowRef::Threat(a, t) = self.current()? else {
            return None;
        };
        let threat = &self.risk.assets[a].threats[t];
        threat
            .derived
            .as_ref()
            .filter(|d| d.value != threat.vulnerability)
    }

    /// Moves the focused threat to the next category (none after the last).
    fn cycle_category(&mut self) -> Step {
        let Some(RowRef::Threat(a, t)) = self.current() else {
            return Step::none();
        };
        let threat = &mut self.risk.assets[a].threats[t];
        threat.category = measures::next(threat.category.as_ref());
        // A derivation belongs to the category it came from.
        threat.derived = None;
        Step::effects(vec![self.save()])
    }

    /// Sets the focused threat's vulnerability from the answers of the
    /// organisation's latest inspections (its category's measures), and
    /// records that it was derived.
    fn derive(&mut self, ctx: &Ctx) -> Step {
        let Some(RowRef::Threat(a, t)) = self.current() else {
            self.message = Some(
                ctx.tr("脅威の行で押してください", "Select a threat first.")
                    .into(),
            );
            return Step::none();
        };
        let Some(category) = self.risk.assets[a].threats[t].category.clone() else {
            self.message = Some(
                ctx.tr(
                    "先に脅威の分類を選んでください (分類の欄で Space)",
                    "Choose the threat's category first (Space on the category field).",
                )
                .into(),
            );
            return Step::none();
        };
        let Some(s) = suggestion(ctx, &category) else {
            self.message = Some(
                ctx.tr(
                    "この分類の対策にはまだ点検結果がありません",
                    "No inspection has answered this category's measures yet.",
                )
                .into(),
            );
            return Step::none();
        };
        let threat = &mut self.risk.assets[a].threats[t];
        threat.vulnerability = s.value;
        threat.derived = Some(Derived {
            value: s.value,
            runs: s.runs.clone(),
            note: String::new(),
        });
        let count = |level| s.measures.iter().filter(|m| m.level == level).count();
        let (done, partly, not) = (count(2), count(1), count(0));
        self.message = Some(Notice::from(match ctx.lang {
            crate::model::Lang::Ja => format!(
                "脆弱性を点検結果から {} にしました (対策の回答: 実施 {}、一部 {}、未実施 {})",
                s.value, done, partly, not
            ),
            crate::model::Lang::En => format!(
                "Vulnerability {} from the answers: {} measures in place, {} partly, {} not.",
                s.value, done, partly, not
            ),
        }));
        Step::effects(vec![self.save()])
    }

    fn add_asset(&mut self) -> Step {
        let id = unique_id("asset", self.risk.assets.iter().map(|a| &a.id));
        let Some(id) = id else {
            return Step::none();
        };
        self.risk.assets.push(Asset {
            id,
            name: String::new(),
            business: String::new(),
            owner: String::new(),
            medium: String::new(),
            users: String::new(),
            personal_data: PersonalData::None,
            c: 1,
            i: 1,
            a: 1,
            threats: Vec::new(),
        });
        self.row = self.rows().len() - 1;
        self.field = 0;
        // Start with the name.
        self.mode = Mode::Text(Box::new(TextInput::line("", LINE_CHARS)));
        Step::effects(vec![self.save()])
    }

    fn add_threat(&mut self, ctx: &Ctx) -> Step {
        let Some(RowRef::Asset(a) | RowRef::Threat(a, _)) = self.current() else {
            self.message = Some(
                ctx.tr("先に資産を追加してください (a)", "Add an asset first (a).")
                    .into(),
            );
            return Step::none();
        };
        let asset = &mut self.risk.assets[a];
        let Some(id) = unique_id("threat", asset.threats.iter().map(|t| &t.id)) else {
            return Step::none();
        };
        asset.threats.push(Threat {
            id,
            title: String::new(),
            threat: 1,
            vulnerability: 1,
            treatment: Treatment::Reduce,
            plan: String::new(),
            category: None,
            derived: None,
        });
        let t = asset.threats.len() - 1;
        self.row = self
            .rows()
            .iter()
            .position(|r| *r == RowRef::Threat(a, t))
            .unwrap_or(self.row);
        self.field = 0;
        self.mode = Mode::Text(Box::new(TextInput::line("", LINE_CHARS)));
        Step::effects(vec![self.save()])
    }

    fn delete(&mut self) -> Step {
        match self.current() {
            Some(RowRef::Asset(a)) => {
                self.risk.assets.remove(a);
            }
            Some(RowRef::Threat(a, t)) => {
                self.risk.assets[a].threats.remove(t);
            }
            None => return Step::none(),
        }
        self.row = self.row.min(self.rows().len().saturating_sub(1));
        Step::effects(vec![self.save()])
    }
}

/// What the organisation's latest answers suggest for `category`.
pub(super) fn suggestion(ctx: &Ctx, category: &Id) -> Option<measures::Suggestion> {
    let data = &ctx.data;
    let organisation = data
        .catalog
        .subjects
        .subjects
        .iter()
        .find(|s| s.kind == crate::model::SubjectKind::Organisation)?;
    let answered = measures::latest_answers(&organisation.id, &data.history);
    let latest: Vec<_> = answered.iter().map(|(r, t)| (r, t.as_ref())).collect();
    measures::suggest_for(category, &latest)
}

/// Returns `<prefix>-<n>` for the smallest n ≥ 1 not among `taken`.
fn unique_id<'a>(prefix: &str, taken: impl Iterator<Item = &'a Id> + Clone) -> Option<Id> {
    (1..=10_000).find_map(|n| {
        let candidate = format!("{prefix}-{n}");
        if taken.clone().any(|t| t.as_str() == candidate) {
            None
        } else {
            Id::new(&candidate).ok()
        }
    })
}
