//! Adding or editing one subject of the register (issue 7, "the same in the
//! TUI" as `tenken subjects add|edit`): a small form whose fields take the
//! raw keys while it is open. Tab/↑↓ move between fields, Enter on the last
//! field or Ctrl-S validates and asks the runtime to commit the register
//! (`Effect::SaveSubjects`), Esc cancels. Nothing is written while the
//! form shows an error.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::model::{FORMAT, Id, Subject, SubjectKind, Subjects, escape_control};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{ScreenId, Section};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::widget::{pad, truncate};

/// One field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Kind,
    Name,
    Criticality,
    Contact,
    Tags,
    Services,
    Data,
}

impl Field {
    const ALL: [Self; 8] = [
        Self::Id,
        Self::Kind,
        Self::Name,
        Self::Criticality,
        Self::Contact,
        Self::Tags,
        Self::Services,
        Self::Data,
    ];

    fn label(self, ctx: &Ctx) -> &'static str {
        match self {
            Self::Id => ctx.tr("ID", "id"),
            Self::Kind => ctx.tr("種別", "kind"),
            Self::Name => ctx.tr("名称", "name"),
            Self::Criticality => ctx.tr("重要度", "criticality"),
            Self::Contact => ctx.tr("連絡先", "contact"),
            Self::Tags => ctx.tr("タグ", "tags"),
            Self::Services => ctx.tr("業務", "services"),
            Self::Data => ctx.tr("取扱情報", "data handled"),
        }
    }

    fn is_text(self) -> bool {
        !matches!(self, Self::Kind | Self::Criticality)
    }
}

/// Returns why the inspector may not edit the register, if they may not:
/// in restricted mode editing needs `edit_register: true` in `tenken.ron`,
/// as for `tenken subjects`.
pub fn refusal(ctx: &Ctx) -> Option<String> {
    if !ctx.restricted
        || crate::restricted::may_edit_register(&ctx.data.catalog.config, &ctx.inspector.id)
    {
        return None;
    }
    Some(match ctx.lang {
        crate::model::Lang::Ja => format!(
            "制限モードでは点検者 `{}` は台帳を編集できません (tenken.ron の edit_register: true で許可)",
            ctx.inspector.id
        ),
        crate::model::Lang::En => format!(
            "inspector `{}` may not edit the register in restricted mode (`edit_register: true` in tenken.ron allows it)",
            ctx.inspector.id
        ),
    })
}

/// The form's state.
#[derive(Debug)]
pub struct SubjectFormScreen {
    /// The subject edited, or `None` when adding.
    editing: Option<Id>,
    id: String,
    kind: SubjectKind,
    name: String,
    criticality: u8,
    contact: String,
    tags: String,
    services: String,
    data: String,
    focus: usize,
    error: Option<Notice>,
}

impl SubjectFormScreen {
    /// An empty form for a new subject of `kind`.
    pub fn add(kind: SubjectKind) -> Self {
        Self {
            editing: None,
            id: String::new(),
            kind,
            name: String::new(),
            criticality: 2,
            contact: String::new(),
            tags: String::new(),
            services: String::new(),
            data: String::new(),
            focus: 0,
            error: None,
        }
    }

    /// A form filled with `subject`'s details (its id never changes).
    pub fn edit(subject: &Subject) -> Self {
        Self {
            editing: Some(subject.id.clone()),
            id: subject.id.to_string(),
            kind: subject.kind,
            name: subject.name.clone(),
            criticality: subject.criticality,
            contact: subject.contact.clone(),
            tags: subject.tags.join(", "),
            services: subject.services.join(", "),
            data: subject.data_handled.join(", "),
            focus: 0,
            error: None,
        }
    }

    fn fields(&self) -> &'static [Field] {
        if self.editing.is_some() {
            &Field::ALL[1..]
        } else {
            &Field::ALL
        }
    }

    fn focused(&self) -> Field {
        let fields = self.fields();
        fields[self.focus.min(fields.len() - 1)]
    }

    fn text_mut(&mut self, field: Field) -> Option<&mut String> {
        match field {
            Field::Id => Some(&mut self.id),
            Field::Name => Some(&mut self.name),
            Field::Contact => Some(&mut self.contact),
            Field::Tags => Some(&mut self.tags),
            Field::Services => Some(&mut self.services),
            Field::Data => Some(&mut self.data),
            Field::Kind | Field::Criticality => None,
        }
    }

    fn value(&self, field: Field, ctx: &Ctx) -> String {
        match field {
            Field::Id => self.id.clone(),
            Field::Kind => kind_label(self.kind, ctx).to_owned(),
            Field::Name => self.name.clone(),
            Field::Criticality => self.criticality.to_string(),
            Field::Contact => self.contact.clone(),
            Field::Tags => self.tags.clone(),
            Field::Services => self.services.clone(),
            Field::Data => self.data.clone(),
        }
    }

    fn input(&mut self, key: KeyEvent, ctx: &Ctx) -> Step {
        let last = self.fields().len() - 1;
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return match key.code {
                KeyCode::Char('s') => self.save(ctx),
                KeyCode::Char('c') => Step::nav(Nav::Pop),
                _ => Step::none(),
            };
        }
        let field = self.focused();
        match key.code {
            KeyCode::Esc => return Step::nav(Nav::Pop),
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1).min(last),
            KeyCode::BackTab | KeyCode::Up => self.focus = self.focus.saturating_sub(1),
            KeyCode::Enter if self.focus >= last => return self.save(ctx),
            KeyCode::Enter => self.focus += 1,
            KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right if field == Field::Kind => {
                self.kind = match (self.kind, key.code == KeyCode::Left) {
                    (SubjectKind::Organisation, false) | (SubjectKind::Supplier, true) => {
                        SubjectKind::Site
                    }
                    (SubjectKind::Site, false) | (SubjectKind::Organisation, true) => {
                        SubjectKind::Supplier
                    }
                    (SubjectKind::Supplier, false) | (SubjectKind::Site, true) => {
                        SubjectKind::Organisation
                    }
                };
            }
            KeyCode::Char(c @ '1'..='3') if field == Field::Criticality => {
                self.criticality = match c {
                    '1' => 1,
                    '2' => 2,
                    _ => 3,
                };
            }
            KeyCode::Backspace => {
                if let Some(text) = self.text_mut(field) {
                    text.pop();
                }
            }
            KeyCode::Char(c) if field.is_text() => {
                if let Some(text) = self.text_mut(field) {
                    text.push(c);
                }
            }
            _ => {}
        }
        Step::none()
    }

    /// Validates the form against the register and returns the commit, or
    /// shows the first problem.
    fn save(&mut self, ctx: &Ctx) -> Step {
        if let Some(refused) = refusal(ctx) {
            self.error = Some(refused.into());
            return Step::none();
        }
        match self.build(ctx) {
            Ok((subjects, message)) => {
                self.error = None;
                Step::effects(vec![Effect::SaveSubjects { subjects, message }])
            }
            Err(e) => {
                self.error = Some(e.into());
                Step::none()
            }
        }
    }

    fn build(&self, ctx: &Ctx) -> Result<(Subjects, String), String> {
        let mut subjects = ctx.data.catalog.subjects.clone();
        subjects.format = FORMAT;
        let name = text(ctx, Field::Name, &self.name)?;
        if name.is_empty() {
            return Err(match ctx.lang {
                crate::model::Lang::Ja => "名称を入力してください".to_owned(),
                crate::model::Lang::En => "the name must not be empty".to_owned(),
            });
        }
        let contact = text(ctx, Field::Contact, &self.contact)?;
        let tags = list(ctx, Field::Tags, &self.tags)?;
        let services = list(ctx, Field::Services, &self.services)?;
        let data_handled = list(ctx, Field::Data, &self.data)?;
        match &self.editing {
            None => {
                let id = Id::new(self.id.trim()).map_err(|e| {
                    format!("{}: {e}", ctx.tr("ID が不正です", "invalid subject id"))
                })?;
                if subjects.get(id.as_str()).is_some() {
                    return Err(format!(
                        "{} `{id}`",
                        ctx.tr("既に台帳にあります:", "already in the register:")
                    ));
                }
                let message = format!("register: add {id}");
                subjects.subjects.push(Subject {
                    id,
                    kind: self.kind,
                    name,
                    contact,
                    services,
                    data_handled,
                    criticality: self.criticality,
                    tags,
                    retired: false,
                });
                Ok((subjects, message))
            }
            Some(id) => {
                let Some(s) = subjects.subjects.iter_mut().find(|s| &s.id == id) else {
                    return Err(format!(
                        "{} `{id}`",
                        ctx.tr("台帳にありません:", "not in the register:")
                    ));
                };
                let before = s.clone();
                s.kind = self.kind;
                s.name = name;
                s.contact = contact;
                s.services = services;
                s.data_handled = data_handled;
                s.criticality = self.criticality;
                s.tags = tags;
                if *s == before {
                    return Err(ctx.tr("変更がありません", "nothing to change").to_owned());
                }
                Ok((subjects, format!("register: edit {id}")))
            }
        }
    }
}

impl Screen for SubjectFormScreen {
    fn id(&self) -> ScreenId {
        ScreenId::SubjectForm
    }

    fn title(&self, ctx: &Ctx) -> String {
        match &self.editing {
            None => ctx.tr("台帳に追加", "Add to the register").to_owned(),
            Some(id) => format!("{} · {id}", ctx.tr("台帳の編集", "Edit the register")),
        }
    }

    fn help(&self) -> Vec<Section> {
        vec![Section::keys(self.keys()), Section::typing()]
    }

    /// The form takes every key while it is open.
    fn key(&self, key: KeyEvent) -> Option<Msg> {
        Some(Msg::Input(key))
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        match msg {
            Msg::Input(key) => self.input(key, ctx),
            Msg::SubjectsSaved(Err(e)) => {
                self.error = Some(e);
                Step::none()
            }
            _ => Step::none(),
        }
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let width = usize::from(area.width.saturating_sub(4));
        let label_w = self
            .fields()
            .iter()
            .map(|f| unicode_width::UnicodeWidthStr::width(f.label(ctx)))
            .max()
            .unwrap_or(0)
            + 2;
        let focused = self.focused();
        let mut lines = Vec::new();
        if let Some(id) = &self.editing {
            lines.push(Line::from(vec![
                Span::styled(pad(Field::Id.label(ctx), label_w + 2), theme.dim),
                Span::styled(id.to_string(), theme.dim),
            ]));
        }
        for &field in self.fields() {
            let is_focused = field == focused;
            let marker = if is_focused { "▸ " } else { "  " };
            let mut value = escape_control(&self.value(field, ctx));
            if is_focused && field.is_text() {
                value.push('_');
            }
            let room = width.saturating_sub(label_w + 2);
            lines.push(Line::from(vec![
                Span::styled(marker, theme.key),
                Span::styled(
                    pad(field.label(ctx), label_w),
                    if is_focused { theme.title } else { theme.dim },
                ),
                Span::styled(
                    truncate(&value, room),
                    if is_focused {
                        theme.selected
                    } else {
                        theme.text
                    },
                ),
            ]));
        }
        lines.push(Line::default());
        let hint = match focused {
            Field::Kind => ctx.tr("Space/←→ で種別を切り替え", "Space/←→ changes the kind"),
            Field::Criticality => ctx.tr("1・2・3 で重要度 (3 が高)", "1, 2 or 3 (3 is high)"),
            Field::Tags | Field::Services | Field::Data => {
                ctx.tr("カンマ区切り", "comma separated")
            }
            Field::Id => ctx.tr(
                "英小文字・数字・. _ - (後から変更不可)",
                "a-z, 0-9, . _ - (cannot change later)",
            ),
            Field::Name | Field::Contact => "",
        };
        lines.push(Line::from(Span::styled(
            format!("  {}", truncate(hint, width.saturating_sub(2))),
            theme.dim,
        )));
        if let Some(e) = &self.error {
            let hints = e
                .hints
                .iter()
                .map(|h| format!("{} {h}", ctx.tr("ヒント:", "hint:")));
            for (n, text) in std::iter::once(e.text.clone()).chain(hints).enumerate() {
                lines.push(Line::from(Span::styled(
                    format!(
                        "  {}",
                        truncate(&escape_control(&text), width.saturating_sub(2))
                    ),
                    if n == 0 { theme.bad } else { theme.dim },
                )));
            }
        }
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border)
                    .title(Span::styled(format!(" {} ", self.title(ctx)), theme.title)),
            )
            .render(area, buf);
    }
}

fn kind_label(kind: SubjectKind, ctx: &Ctx) -> &'static str {
    match kind {
        SubjectKind::Organisation => ctx.tr("組織 (organisation)", "organisation"),
        SubjectKind::Site => ctx.tr("拠点 (site)", "site"),
        SubjectKind::Supplier => ctx.tr("委託先 (supplier)", "supplier"),
    }
}

/// Trims a typed text; refuses control characters (a paste may carry them).
fn text(ctx: &Ctx, field: Field, raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    if trimmed.chars().any(char::is_control) {
        return Err(format!(
            "{}: {} `{}`",
            field.label(ctx),
            ctx.tr("制御文字は使えません", "contains a control character"),
            escape_control(trimmed)
        ));
    }
    Ok(trimmed.to_owned())
}

/// Splits a comma separated list; empty and repeated values are dropped.
fn list(ctx: &Ctx, field: Field, raw: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for part in raw.split(',') {
        let value = text(ctx, field, part)?;
        if !value.is_empty() && !out.contains(&value) {
            out.push(value);
        }
    }
    Ok(out)
}
