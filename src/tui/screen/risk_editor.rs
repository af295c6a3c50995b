//! The risk assessment editor: a new assessment starting from the latest
//! one (or the inspector's saved draft), asset by asset and threat by
//! threat. Values 1–3 (and the personal-data kind and the treatment, 1–4)
//! are set with single keys, text fields are typed in place, the computed
//! columns follow live. Every change saves the draft; `f` commits the
//! assessment as a new file under `risks/`.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget};

use crate::model::{
    Asset, FORMAT, Id, PersonalData, RiskAssessment, Threat, Treatment, escape_control,
};
use crate::risk;
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::screen::risks::{level_name, level_style, treatment_name};
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::truncate;

/// The longest text field accepted, in characters.
const MAX_TEXT_CHARS: usize = 200;

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
const THREAT_FIELDS: [Field; 5] = [
    Field::Title,
    Field::Threat,
    Field::Vulnerability,
    Field::Treatment,
    Field::Plan,
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
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Normal,
    /// Typing into the focused text field.
    Text(String),
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
}

impl RiskEditorScreen {
    /// Resumes the inspector's draft, or starts a new assessment from the
    /// latest one (an empty ledger when there is none), dated today.
    pub fn open(ctx: &Ctx) -> Self {
        let matrix = risk::likelihood_matrix(&ctx.data.catalog.config);
        let (risk, based_on) = if let Some(draft) = &ctx.data.risk_draft {
            (draft.clone(), None)
        } else {
            let latest = ctx.data.risks.last();
            let risk = RiskAssessment {
                format: FORMAT,
                id: String::new(),
                assessor: ctx.inspector.clone(),
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
        Self {
            risk,
            based_on,
            matrix,
            row: 0,
            field: 0,
            mode: Mode::Normal,
            message,
            committing: false,
            nav: Navigator::default(),
        }
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

    /// Every key goes to the open text field or question; a digit is the
    /// value it sets (1–4), which cannot travel inside an `Action`.
    fn key(&self, key: KeyEvent) -> Option<Msg> {
        if self.mode != Mode::Normal {
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
        if matches!(msg, Msg::Action(_) | Msg::SetValue(_)) {
            self.message = None;
        }
        match msg {
            Msg::Input(key) => self.input(key, ctx),
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
                            escape_control(&risk.id)
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
                Some(f) if f.is_text() => {
                    let text = self.text(f).unwrap_or_default();
                    self.mode = Mode::Text(text);
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
                    escape_control(&asset.name),
                    asset.threats.len(),
                    ctx.tr("件の脅威も", "threats with it")
                )
            }
            RowRef::Threat(a, t) => format!(
                "{} `{}`",
                ctx.tr("脅威", "threat"),
                escape_control(&self.risk.assets[a].threats[t].title)
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
        }
        Ok(())
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
        self.mode = Mode::Text(String::new());
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
        });
        let t = asset.threats.len() - 1;
        self.row = self
            .rows()
            .iter()
            .position(|r| *r == RowRef::Threat(a, t))
            .unwrap_or(self.row);
        self.field = 0;
        self.mode = Mode::Text(String::new());
        Step::effects(vec![self.save()])
    }

    fn set_value(&mut self, v: u8, ctx: &Ctx) -> Step {
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

    fn text(&self, field: Field) -> Option<String> {
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

    fn input(&mut self, key: KeyEvent, ctx: &Ctx) -> Step {
        match &mut self.mode {
            Mode::Normal => Step::none(),
            Mode::Text(text) => match key.code {
                KeyCode::Esc => {
                    self.mode = Mode::Normal;
                    Step::none()
                }
                KeyCode::Enter => {
                    let value = text.trim().to_owned();
                    self.mode = Mode::Normal;
                    self.set_text(value);
                    Step::effects(vec![self.save()])
                }
                KeyCode::Backspace => {
                    text.pop();
                    Step::none()
                }
                KeyCode::Char(c) if !c.is_control() && text.chars().count() < MAX_TEXT_CHARS => {
                    text.push(c);
                    Step::none()
                }
                _ => Step::none(),
            },
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
                        risk.assessor = ctx.inspector.clone();
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

    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let [summary_area, table_area, form_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(4),
            Constraint::Length(6),
        ])
        .areas(area);
        let all = risk::rows(&self.risk, &self.matrix);
        let counts = risk::level_counts(&all);
        Line::from(vec![
            Span::styled(format!(" {} · ", self.risk.date), theme.dim),
            Span::raw(match ctx.lang {
                crate::model::Lang::Ja => {
                    format!("資産 {} · リスク {}: ", self.risk.assets.len(), all.len())
                }
                crate::model::Lang::En => {
                    format!("{} assets · {} risks: ", self.risk.assets.len(), all.len())
                }
            }),
            Span::styled(
                format!("{} {}", counts.high, ctx.tr("高", "high")),
                theme.bad,
            ),
            Span::raw(" · "),
            Span::styled(
                format!("{} {}", counts.medium, ctx.tr("中", "medium")),
                theme.warn,
            ),
            Span::raw(format!(" · {} {}", counts.low, ctx.tr("低", "low"))),
        ])
        .render(summary_area, buf);
        self.render_table(table_area, buf, ctx);
        self.render_form(form_area, buf, ctx);
    }

    fn render_table(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let focus = theme.selected.add_modifier(Modifier::BOLD);
        let rows = self.rows();
        let selected = self.current();
        let focused = self.focused();
        // The name column takes what the fixed columns (and the marker) leave.
        let name_width = usize::from(area.width.saturating_sub(2 + 36 + 11 + 1));
        let cell = |text: String, field: Field, row: RowRef, style: Style| {
            if Some(row) == selected && focused == Some(field) {
                Cell::from(Span::styled(text, focus))
            } else {
                Cell::from(Span::styled(text, style))
            }
        };
        let header = Row::new([
            ctx.tr("資産 / 脅威", "Asset / threat"),
            "C",
            "I",
            "A",
            ctx.tr("個人", "PD"),
            ctx.tr("重要", "Imp"),
            ctx.tr("脅", "T"),
            ctx.tr("脆", "V"),
            ctx.tr("可能", "L"),
            ctx.tr("値", "Val"),
            ctx.tr("レベル", "Level"),
            ctx.tr("対応", "Treat"),
        ])
        .style(theme.title);
        let body = rows.iter().map(|&row| match row {
            RowRef::Asset(a) => {
                let asset = &self.risk.assets[a];
                let name = if asset.name.is_empty() {
                    ctx.tr("(名前なし)", "(no name)").to_owned()
                } else {
                    truncate(&escape_control(&asset.name), name_width)
                };
                let pd = match asset.personal_data {
                    PersonalData::None => "-",
                    PersonalData::Personal => ctx.tr("個", "P"),
                    PersonalData::Sensitive => ctx.tr("要", "S"),
                    PersonalData::MyNumber => ctx.tr("番", "MN"),
                };
                Row::new(vec![
                    cell(name, Field::Name, row, theme.title),
                    cell(asset.c.to_string(), Field::C, row, theme.text),
                    cell(asset.i.to_string(), Field::I, row, theme.text),
                    cell(asset.a.to_string(), Field::A, row, theme.text),
                    cell(pd.to_owned(), Field::Personal, row, theme.text),
                    Cell::from(risk::asset_importance(asset).to_string()),
                ])
            }
            RowRef::Threat(a, t) => {
                let asset = &self.risk.assets[a];
                let threat = &asset.threats[t];
                let r = risk::RiskRow::new(asset, threat, &self.matrix);
                let title = if threat.title.is_empty() {
                    ctx.tr("(名前なし)", "(no name)").to_owned()
                } else {
                    truncate(&escape_control(&threat.title), name_width.saturating_sub(4))
                };
                let style = level_style(r.level, theme);
                Row::new(vec![
                    cell(format!("  └ {title}"), Field::Title, row, theme.text),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(""),
                    cell(threat.threat.to_string(), Field::Threat, row, theme.text),
                    cell(
                        threat.vulnerability.to_string(),
                        Field::Vulnerability,
                        row,
                        theme.text,
                    ),
                    Cell::from(r.likelihood.to_string()),
                    Cell::from(Span::styled(format!("{:>3}", r.value), style)),
                    Cell::from(Span::styled(level_name(r.level, ctx), style)),
                    cell(
                        treatment_name(threat.treatment, ctx),
                        Field::Treatment,
                        row,
                        theme.text,
                    ),
                ])
            }
        });
        self.nav.set_len(rows.len());
        self.nav.select_near(self.row);
        let table = Table::new(
            body,
            [
                Constraint::Min(16),
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Length(4),
                Constraint::Length(4),
                Constraint::Length(2),
                Constraint::Length(2),
                Constraint::Length(4),
                Constraint::Length(3),
                Constraint::Length(6),
                Constraint::Length(8),
            ],
        )
        .header(header)
        .highlight_symbol("▸")
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(self.based_on.as_deref().map_or_else(
                    || ctx.tr("下書き", "draft").to_owned(),
                    |b| {
                        format!(
                            "{} {}",
                            ctx.tr("元の評価:", "starting from"),
                            escape_control(b)
                        )
                    },
                )),
        );
        self.nav.render_table(table, area, buf);
    }

    fn render_form(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border);
        let Some(row) = self.current() else {
            block.render(area, buf);
            return;
        };
        let width = usize::from(area.width.saturating_sub(4));
        let focused = self.focused();
        let slot = |field: Field, shown: String| -> Vec<Span<'static>> {
            let label = Span::styled(format!("{}: ", field.label(ctx)), theme.dim);
            let value = if focused == Some(field) {
                match &self.mode {
                    Mode::Text(t) => Span::styled(format!("{}▏", escape_control(t)), theme.key),
                    _ => Span::styled(shown, theme.selected),
                }
            } else {
                Span::raw(shown)
            };
            vec![label, value, Span::raw("  ")]
        };
        let or_dash = |s: &str, room: usize| {
            if s.is_empty() {
                "-".to_owned()
            } else {
                truncate(&escape_control(s), room)
            }
        };
        let mut lines: Vec<Line> = Vec::new();
        match row {
            RowRef::Asset(a) => {
                let asset = &self.risk.assets[a];
                let imp = risk::asset_importance(asset);
                lines.push(Line::from(slot(
                    Field::Name,
                    or_dash(&asset.name, width.saturating_sub(8)),
                )));
                let mut values = slot(Field::C, asset.c.to_string());
                values.extend(slot(Field::I, asset.i.to_string()));
                values.extend(slot(Field::A, asset.a.to_string()));
                let pd = match asset.personal_data {
                    PersonalData::None => ctx.tr("なし", "none"),
                    PersonalData::Personal => ctx.tr("個人情報", "personal"),
                    PersonalData::Sensitive => ctx.tr("要配慮", "sensitive"),
                    PersonalData::MyNumber => ctx.tr("特定個人情報", "My Number"),
                };
                values.extend(slot(Field::Personal, pd.to_owned()));
                let forced = asset.personal_data != PersonalData::None
                    && asset.c.max(asset.i).max(asset.a) < 3;
                values.push(Span::styled(
                    format!(
                        "→ {} {imp}{}",
                        ctx.tr("重要度", "importance"),
                        if forced {
                            ctx.tr(" (個人情報のため)", " (personal data)")
                        } else {
                            ""
                        }
                    ),
                    theme.title,
                ));
                lines.push(Line::from(values));
                let mut more = slot(Field::Business, or_dash(&asset.business, 24));
                more.extend(slot(Field::Owner, or_dash(&asset.owner, 24)));
                lines.push(Line::from(more));
                let mut more = slot(Field::Medium, or_dash(&asset.medium, 24));
                more.extend(slot(Field::Users, or_dash(&asset.users, 24)));
                lines.push(Line::from(more));
            }
            RowRef::Threat(a, t) => {
                let asset = &self.risk.assets[a];
                let threat = &asset.threats[t];
                let r = risk::RiskRow::new(asset, threat, &self.matrix);
                lines.push(Line::from(slot(
                    Field::Title,
                    or_dash(&threat.title, width.saturating_sub(8)),
                )));
                let mut values = slot(Field::Threat, threat.threat.to_string());
                values.extend(slot(Field::Vulnerability, threat.vulnerability.to_string()));
                values.push(Span::styled(
                    format!(
                        "→ {} {} · {} {} × {} = ",
                        ctx.tr("可能性", "likelihood"),
                        r.likelihood,
                        ctx.tr("重要度", "importance"),
                        r.importance,
                        r.likelihood
                    ),
                    theme.title,
                ));
                values.push(Span::styled(
                    format!("{} {}", r.value, level_name(r.level, ctx)),
                    level_style(r.level, theme).add_modifier(Modifier::BOLD),
                ));
                lines.push(Line::from(values));
                let mut more = slot(Field::Treatment, treatment_name(threat.treatment, ctx));
                more.extend(slot(
                    Field::Plan,
                    or_dash(&threat.plan, width.saturating_sub(32)),
                ));
                lines.push(Line::from(more));
            }
        }
        let hint = match (&self.mode, focused) {
            (Mode::Text(_), _) => ctx.tr(
                "Enter で確定 · Esc で取消",
                "Enter keeps the text · Esc cancels",
            ),
            (_, Some(Field::C | Field::I | Field::A | Field::Threat | Field::Vulnerability)) => ctx
                .tr(
                    "1〜3 で設定 · ←/→ で項目移動",
                    "1-3 sets the value · ←/→ moves between fields",
                ),
            (_, Some(Field::Personal)) => ctx.tr(
                "1 なし 2 個人情報 3 要配慮 4 特定個人情報 (マイナンバー)",
                "1 none · 2 personal · 3 sensitive · 4 My Number",
            ),
            (_, Some(Field::Treatment)) => ctx.tr(
                "1 低減 2 保有 3 回避 4 移転",
                "1 reduce · 2 retain · 3 avoid · 4 transfer",
            ),
            _ => ctx.tr(
                "Enter で編集 · ←/→ で項目移動",
                "Enter edits the text · ←/→ moves between fields",
            ),
        };
        let title = match row {
            RowRef::Asset(_) => ctx.tr("資産", "Asset"),
            RowRef::Threat(..) => ctx.tr("脅威", "Threat"),
        };
        Paragraph::new(lines)
            .block(block.title(truncate(&format!(" {title} · {hint} "), width)))
            .render(area, buf);
    }
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
