//! Adding or editing one subject of the register (issue 7, "the same in the
//! TUI" as `tenken subjects add|edit`): a small form whose text fields are
//! [`TextInput`]s, so they answer the same keys as every field. Tab/↑↓
//! move between fields, Enter (or Ctrl-S) from any field validates and asks
//! the runtime to commit the register (`Effect::SaveSubjects`); a problem
//! is shown with the focus on the field to fix. Esc cancels. Nothing is
//! written while the form shows an error.
//!
//! Names are bilingual (issue 17): the form shows the name in the chosen
//! language and, on the next line, in the other one; leaving the other
//! empty makes a plain name, the same in both languages. The contact, the
//! services and the data handled are edited in the chosen language: a bilingual one keeps
//! its other language, a plain one stays plain.
//!
//! Nothing typed is lost (issue 13): after every key that changes the form
//! it is kept in the store (`Effect::SaveRegisterTyping`), forgotten when
//! the register is committed or the form cancelled; the next time the same
//! form opens (the new subject's, or the edit of the same subject) after a
//! session ended with it open, it comes back with the focus and cursor
//! where they were.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use crate::escape;
use crate::model::{FORMAT, Id, Lang, Name, Subject, SubjectKind, Subjects};
use crate::store::RegisterTyping;
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{self, Action, Binding, Edit, ScreenId, Section};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::widget;
use crate::tui::widget::text_input::{ID_CHARS, LINE_CHARS, Outcome, TextInput};
use crate::tui::widget::{pad, truncate};

/// One field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Kind,
    Name,
    /// The name in the other language than the chosen one.
    NameOther,
    Criticality,
    Contact,
    Tags,
    Services,
    Data,
}

impl Field {
    const ALL: [Self; 9] = [
        Self::Id,
        Self::Kind,
        Self::Name,
        Self::NameOther,
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
            Self::Name => ctx.tr("名称 (日本語)", "name (English)"),
            Self::NameOther => ctx.tr("名称 (英語)", "name (Japanese)"),
            Self::Criticality => ctx.tr("事業影響度", "criticality"),
            Self::Contact => ctx.tr("連絡先", "contact"),
            Self::Tags => ctx.tr("タグ", "tags"),
            Self::Services => ctx.tr("業務", "services"),
            Self::Data => ctx.tr("取扱情報", "data handled"),
        }
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
    kind: SubjectKind,
    criticality: u8,
    /// The text fields, in the order of [`TEXT_FIELDS`].
    texts: [TextInput; 7],
    focus: usize,
    error: Option<Notice>,
    /// Says that the form came back from a session that ended.
    restored: Option<Notice>,
    /// Whether the store keeps a copy of this form (to forget on cancel).
    kept: bool,
    /// Set when another session has this form open: why, and then the
    /// form changes nothing.
    read_only: Option<Notice>,
}

/// The fields typed as text, in the order `SubjectFormScreen::texts` keeps
/// them (and the store keeps what was typed: the other language's name
/// came last, so forms kept before it read back in place).
const TEXT_FIELDS: [Field; 7] = [
    Field::Id,
    Field::Name,
    Field::Contact,
    Field::Tags,
    Field::Services,
    Field::Data,
    Field::NameOther,
];

impl SubjectFormScreen {
    /// An empty form for a new subject of `kind`.
    pub fn add(kind: SubjectKind) -> Self {
        Self::with(None, kind, 2, std::array::from_fn(|_| String::new()))
    }

    /// A form filled with `subject`'s details (its id never changes), its
    /// name, contact and services as read in `lang`.
    pub fn edit(subject: &Subject, lang: Lang) -> Self {
        let (name, name_other) = subject.name.split(lang);
        let texts = [
            subject.id.to_string(),
            name,
            subject.contact.get(lang).to_owned(),
            subject.tags.join(", "),
            shown(&subject.services, lang),
            shown(&subject.data_handled, lang),
            name_other,
        ];
        Self::with(
            Some(subject.id.clone()),
            subject.kind,
            subject.criticality,
            texts,
        )
    }

    fn with(editing: Option<Id>, kind: SubjectKind, criticality: u8, texts: [String; 7]) -> Self {
        let texts = TEXT_FIELDS.map(|f| {
            let limit = if f == Field::Id { ID_CHARS } else { LINE_CHARS };
            let at = TEXT_FIELDS.iter().position(|t| *t == f).unwrap_or(0);
            TextInput::line(&texts[at], limit)
        });
        Self {
            editing,
            kind,
            criticality,
            texts,
            focus: 0,
            error: None,
            restored: None,
            kept: false,
            read_only: None,
        }
    }

    /// Puts back the form as a session that ended left it (the same new
    /// subject, or the edit of the same subject), if one did.
    #[must_use]
    pub fn with_typing(self, ctx: &Ctx) -> Self {
        let typing = ctx
            .data
            .register_typing
            .iter()
            .find(|t| t.editing == self.editing);
        match typing {
            Some(typing) => self.restored_from(typing, ctx),
            None => self,
        }
    }

    /// Returns the form as `typing` keeps it, saying it came back.
    fn restored_from(mut self, typing: &RegisterTyping, ctx: &Ctx) -> Self {
        let texts: [String; 7] =
            std::array::from_fn(|n| typing.texts.get(n).cloned().unwrap_or_default());
        let mut form = Self::with(
            self.editing.take(),
            typing.kind,
            typing.criticality.clamp(1, 3),
            texts,
        );
        form.focus = typing.focus.min(form.fields().len() - 1);
        let field = form.focused();
        if let Some(input) = form.input_of(field) {
            input.set_cursor((0, typing.col));
        }
        form.kept = true;
        form.restored = Some(Notice::from(ctx.tr(
            "前のセッションで入力中だった内容を戻しました。Enter で保存、Esc で破棄します",
            "What you were typing when the last session ended is back: Enter saves it, Esc drops it.",
        )));
        form
    }

    /// Returns the form as it stands, for the store to keep.
    fn typing_now(&self) -> RegisterTyping {
        let field = self.focused();
        let col = TEXT_FIELDS
            .iter()
            .position(|f| *f == field)
            .and_then(|at| self.texts.get(at))
            .map_or(0, |input| input.cursor().1);
        RegisterTyping {
            format: FORMAT,
            editing: self.editing.clone(),
            kind: self.kind,
            criticality: self.criticality,
            texts: self.texts.iter().map(TextInput::text).collect(),
            focus: self.focus,
            col,
        }
    }

    /// Keeps the form in the store after a key that changed it.
    fn keep(&mut self) -> Step {
        self.kept = true;
        Step::effects(vec![Effect::SaveRegisterTyping(self.typing_now())])
    }

    /// Closes the form, forgetting what the store kept of it.
    fn cancel(&self) -> Step {
        let mut step = Step::nav(Nav::Pop);
        if self.kept {
            step.effects
                .push(Effect::DiscardRegisterTyping(self.editing.clone()));
            // The screens' copy of what was kept goes too.
            step.effects.push(Effect::Reload);
        }
        step
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

    fn input_of(&mut self, field: Field) -> Option<&mut TextInput> {
        let at = TEXT_FIELDS.iter().position(|f| *f == field)?;
        self.texts.get_mut(at)
    }

    /// Returns the text typed into `field` (empty for the non-text fields).
    fn text_of(&self, field: Field) -> String {
        TEXT_FIELDS
            .iter()
            .position(|f| *f == field)
            .and_then(|at| self.texts.get(at))
            .map(TextInput::text)
            .unwrap_or_default()
    }

    fn value(&self, field: Field, ctx: &Ctx) -> String {
        match field {
            Field::Kind => kind_label(self.kind, ctx).to_owned(),
            Field::Criticality => self.criticality.to_string(),
            _ => escape::line(&self.text_of(field)),
        }
    }

    /// Answers a key while another session has the form: moving between
    /// fields and leaving, nothing else (what else is asked for repeats
    /// why). Leaving forgets nothing: what the store keeps is the other
    /// session's.
    fn input_read_only(&mut self, key: KeyEvent) -> Step {
        let last = self.fields().len() - 1;
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Step::nav(Nav::Pop);
        }
        match keymap::lookup(self.keys(), key) {
            Some(Action::Back) => return Step::nav(Nav::Pop),
            Some(Action::NextField) => self.focus = (self.focus + 1).min(last),
            Some(Action::PrevField) => self.focus = self.focus.saturating_sub(1),
            _ => self.error.clone_from(&self.read_only),
        }
        Step::none()
    }

    /// Hands a key to the focused text field; what it does not take moves
    /// between fields, sets the kind or the criticality, saves or cancels.
    fn input(&mut self, key: KeyEvent, ctx: &Ctx) -> Step {
        if self.read_only.is_some() {
            return self.input_read_only(key);
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return self.cancel();
        }
        let field = self.focused();
        if let Some(input) = self.input_of(field) {
            match input.handle(key) {
                Outcome::Saved => return self.save(ctx),
                Outcome::Cancelled | Outcome::CancelAsked => return self.cancel(),
                Outcome::Full => {
                    self.error = Some(
                        ctx.tr("これ以上入力できません", "The field is full.")
                            .into(),
                    );
                    return Step::none();
                }
                // What is typed is kept within the key (issue 13).
                Outcome::Changed => return self.keep(),
                // The cursor comes back where it was, too.
                Outcome::Moved if self.kept => return self.keep(),
                Outcome::Moved => return Step::none(),
                Outcome::Ignored => {}
            }
        }
        let last = self.fields().len() - 1;
        match keymap::lookup(self.keys(), key) {
            Some(Action::NextField) => self.focus = (self.focus + 1).min(last),
            Some(Action::PrevField) => self.focus = self.focus.saturating_sub(1),
            Some(Action::Edit(Edit::Save)) => return self.save(ctx),
            Some(Action::Edit(Edit::Cancel)) => return self.cancel(),
            Some(Action::Cycle) if field == Field::Kind => {
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
                return self.keep();
            }
            Some(Action::SetValue) if field == Field::Criticality => {
                self.criticality = match key.code {
                    KeyCode::Char('1') => 1,
                    KeyCode::Char('2') => 2,
                    _ => 3,
                };
                return self.keep();
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
                Step::effects(vec![Effect::SaveSubjects {
                    subjects,
                    message,
                    typed: self.kept.then(|| self.editing.clone()),
                }])
            }
            Err((field, e)) => {
                // Enter saves from any field: show the field to fix.
                if let Some(at) = field.and_then(|f| self.fields().iter().position(|x| *x == f)) {
                    self.focus = at;
                }
                self.error = Some(e.into());
                Step::none()
            }
        }
    }

    /// Returns the register with this form applied and its commit message,
    /// or the field to fix (if it is one field) and what is wrong.
    fn build(&self, ctx: &Ctx) -> Result<(Subjects, String), (Option<Field>, String)> {
        let mut subjects = ctx.data.catalog.subjects.clone();
        subjects.format = FORMAT;
        let at = |field: Field| move |e: String| (Some(field), e);
        let lang = ctx.lang;
        let before = self
            .editing
            .as_ref()
            .and_then(|id| subjects.get(id.as_str()))
            .cloned();
        let mine = text(ctx, Field::Name, &self.text_of(Field::Name)).map_err(at(Field::Name))?;
        let other = text(ctx, Field::NameOther, &self.text_of(Field::NameOther))
            .map_err(at(Field::NameOther))?;
        let name = match &before {
            // Untouched, a name stays as it was written.
            Some(b) if b.name.split(lang) == (mine.clone(), other.clone()) => b.name.clone(),
            _ => Name::joined(lang, &mine, &other),
        };
        if name.is_empty() {
            return Err((
                Some(Field::Name),
                ctx.tr("名称を入力してください", "the name must not be empty")
                    .to_owned(),
            ));
        }
        let contact =
            text(ctx, Field::Contact, &self.text_of(Field::Contact)).map_err(at(Field::Contact))?;
        let contact = match &before {
            Some(b) if b.contact.get(lang) == contact => b.contact.clone(),
            Some(b) => b.contact.edited(lang, &contact),
            None => Name::Plain(contact),
        };
        let tags = list(ctx, Field::Tags, &self.text_of(Field::Tags)).map_err(at(Field::Tags))?;
        let services = list(ctx, Field::Services, &self.text_of(Field::Services))
            .map_err(at(Field::Services))?;
        let services = edited_list(before.as_ref().map_or(&[], |b| &b.services), services, lang);
        let data_handled =
            list(ctx, Field::Data, &self.text_of(Field::Data)).map_err(at(Field::Data))?;
        let data_handled = edited_list(
            before.as_ref().map_or(&[], |b| &b.data_handled),
            data_handled,
            lang,
        );
        match &self.editing {
            None => {
                let typed = self.text_of(Field::Id);
                let typed = typed.trim();
                let id = Id::new(typed).map_err(|e| {
                    (
                        Some(Field::Id),
                        format!(
                            "{}: {}",
                            ctx.tr("ID が不正です", "invalid subject id"),
                            crate::msg::usage::bad_id(&e, typed).get(ctx.lang)
                        ),
                    )
                })?;
                if subjects.get(id.as_str()).is_some() {
                    return Err((
                        Some(Field::Id),
                        format!(
                            "{} `{id}`",
                            ctx.tr("既に台帳にあります:", "already in the register:")
                        ),
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
                    return Err((
                        None,
                        format!(
                            "{} `{id}`",
                            ctx.tr("台帳にありません:", "not in the register:")
                        ),
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
                    return Err((
                        None,
                        ctx.tr("変更がありません", "nothing to change").to_owned(),
                    ));
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

    fn keys(&self) -> &'static [Binding] {
        if self.read_only.is_some() {
            keymap::subject_form_read_only()
        } else {
            keymap::bindings(ScreenId::SubjectForm)
        }
    }

    fn help(&self) -> Vec<Section> {
        if self.read_only.is_some() {
            return vec![Section::keys(self.keys())];
        }
        vec![Section::keys(self.keys()), Section::typing()]
    }

    /// The form takes every key while it is open.
    fn key(&self, key: KeyEvent) -> Option<Msg> {
        Some(Msg::Input(key))
    }

    fn register_form(&self) -> Option<Option<&Id>> {
        Some(self.editing.as_ref())
    }

    fn register_form_claimed(&mut self, kept: Option<&RegisterTyping>, ctx: &Ctx) {
        // Claimed when it opens, before any key: what the store keeps now
        // is newer than what this session read when it started.
        if let Some(kept) = kept
            && (!self.kept || self.typing_now() != *kept)
        {
            let form = Self::with(
                self.editing.clone(),
                self.kind,
                self.criticality,
                Default::default(),
            );
            *self = form.restored_from(kept, ctx);
        }
    }

    fn draft_refused(&mut self, refusal: Notice) {
        // What the form shows may be the other session's live text.
        self.restored = None;
        self.kept = false;
        self.error = Some(refusal.clone());
        self.read_only = Some(refusal);
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        match msg {
            Msg::Input(key) => self.input(key, ctx),
            Msg::Paste(_) if self.read_only.is_some() => {
                self.error.clone_from(&self.read_only);
                Step::none()
            }
            Msg::Paste(text) => {
                let field = self.focused();
                let changed = self.input_of(field).is_some_and(|input| {
                    // A paste cut at the limit changed the text too.
                    matches!(input.paste(&text), Outcome::Changed | Outcome::Full)
                });
                if changed { self.keep() } else { Step::none() }
            }
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
            // In line with the labels below, after their marker's place.
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(pad(Field::Id.label(ctx), label_w), theme.dim),
                Span::styled(id.to_string(), theme.dim),
            ]));
        }
        let first_field = lines.len();
        for &field in self.fields() {
            let is_focused = field == focused;
            let marker = if is_focused { "▸ " } else { "  " };
            let room = width.saturating_sub(label_w + 2);
            lines.push(Line::from(vec![
                Span::styled(marker, theme.key),
                Span::styled(
                    pad(field.label(ctx), label_w),
                    if is_focused { theme.title } else { theme.dim },
                ),
                Span::styled(
                    truncate(&self.value(field, ctx), room),
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
            Field::Criticality => ctx.tr(
                "1・2・3 で事業影響度 (3 が最大)",
                "1, 2 or 3 (3 is the highest)",
            ),
            Field::Tags | Field::Services | Field::Data => {
                ctx.tr("カンマ区切り", "comma separated")
            }
            Field::Id => ctx.tr(
                "英小文字・数字・. _ - (後から変更不可)",
                "a-z, 0-9, . _ - (cannot change later)",
            ),
            Field::NameOther => ctx.tr(
                "空欄ならどちらの言語でも同じ名称",
                "empty: the same name in both languages",
            ),
            Field::Name | Field::Contact => "",
        };
        lines.push(Line::from(Span::styled(
            format!("  {}", truncate(hint, width.saturating_sub(2))),
            theme.dim,
        )));
        if let Some(r) = &self.restored {
            lines.push(Line::from(Span::styled(
                format!("  {}", truncate(&r.text, width.saturating_sub(2))),
                theme.dim,
            )));
        }
        if let Some(e) = &self.error {
            let hints = e
                .hints
                .iter()
                .map(|h| format!("{} {h}", ctx.tr("ヒント:", "hint:")));
            // Wrapped, not cut: a refusal names who has the form.
            for (n, text) in std::iter::once(e.text.clone()).chain(hints).enumerate() {
                for row in widget::wrap::strings(&escape::line(&text), width.saturating_sub(2)) {
                    lines.push(Line::from(Span::styled(
                        format!("  {row}"),
                        if n == 0 { theme.bad } else { theme.dim },
                    )));
                }
            }
        }
        let block = widget::titled(
            Span::styled(format!(" {} ", self.title(ctx)), theme.title),
            area,
        )
        .border_style(theme.border);
        let inner = block.inner(area);
        Paragraph::new(lines).block(block).render(area, buf);
        // The focused text field is typed into where its value is shown.
        let row = first_field + self.focus.min(self.fields().len() - 1);
        let x = u16::try_from(2 + label_w).unwrap_or(u16::MAX);
        let field_area = Rect {
            x: inner.x + x.min(inner.width),
            y: inner.y + u16::try_from(row).unwrap_or(u16::MAX).min(inner.height),
            width: inner.width.saturating_sub(x),
            height: 1,
        };
        if field_area.y < inner.bottom()
            && let Some(input) = self.input_of(focused)
        {
            Clear.render(field_area, buf);
            input.render(field_area, buf, theme.text, theme.selected);
        }
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
            escape::line(trimmed)
        ));
    }
    Ok(trimmed.to_owned())
}

/// Returns names as read in `lang`, comma separated.
fn shown(names: &[Name], lang: Lang) -> String {
    names
        .iter()
        .map(|n| n.get(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Returns the names typed (`typed`, as read in `lang`) keeping what the
/// register had: a name typed as it was shown is kept as written; a changed
/// one in the place of one that is gone is that one edited in `lang` (a
/// bilingual service keeps its other language); any other is plain.
fn edited_list(before: &[Name], typed: Vec<String>, lang: Lang) -> Vec<Name> {
    let kept = |s: &str| before.iter().find(|b| b.get(lang) == s);
    let gone = |b: &Name| !typed.iter().any(|t| t == b.get(lang));
    let same_count = before.len() == typed.len();
    typed
        .iter()
        .enumerate()
        .map(|(i, t)| match kept(t) {
            Some(b) => b.clone(),
            None => match before.get(i) {
                Some(b) if same_count && gone(b) => b.edited(lang, t),
                _ => Name::Plain(t.clone()),
            },
        })
        .collect()
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
