//! The checklist walker: one item at a time, answered with single keys.
//! Every change saves the draft (through an effect), so a dropped link
//! loses at most the keystroke in flight.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, LineGauge, List, ListItem, ListState, Paragraph, StatefulWidget, Widget, Wrap,
};
use ratatui_textarea::TextArea;
use unicode_width::UnicodeWidthStr;

use chrono::{Duration, NaiveDate};

use crate::actions::{self, CorrectiveAction};
use crate::model::{
    Answer, Draft, FORMAT, Id, Inspection, Item, Run, escape_control, escape_control_keep_lines,
};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::screen::finish::FinishScreen;
use crate::tui::widget::{pad, truncate};

/// The longest note accepted, in bytes; longer input is refused, not cut.
pub const MAX_NOTE_BYTES: usize = 64 * 1024;
/// The longest evidence reference, in bytes.
const MAX_EVIDENCE_BYTES: usize = 1024;

/// What the keyboard is doing in the walker.
#[derive(Debug)]
enum Mode {
    Normal,
    /// Editing the note of the current item.
    Note(Box<TextArea<'static>>),
    /// Typing an evidence reference.
    Evidence(String),
    /// Typing the id of the item to jump to.
    Jump(String),
    /// Filling in the corrective action of the current answer.
    Action(ActionForm),
}

/// The corrective-action form: what, owner and due date, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ActionForm {
    /// What, owner, due (`YYYY-MM-DD`), as typed.
    fields: [String; 3],
    /// The field being typed into.
    focus: usize,
}

/// The longest action text or owner, in characters.
const MAX_ACTION_CHARS: usize = 300;
/// Days from today the due date of a new action starts at.
const DEFAULT_DUE_DAYS: i64 = 30;

/// Refuses a run the inspector's permissions in `tenken.ron` do not allow;
/// every way into the walker (picker, `tenken run`, a draft or a due row on
/// the dashboard) passes through [`WalkerScreen::fresh`] or
/// [`WalkerScreen::resume`], and so through this check.
fn permitted(ctx: &Ctx, subject: &Id, inspection: &Id) -> Result<(), Notice> {
    crate::restricted::check_run(
        &ctx.data.catalog.config,
        &ctx.inspector.id,
        subject,
        inspection,
    )
    .map_err(Notice::from)
}

/// The walker's state.
#[derive(Debug)]
pub struct WalkerScreen {
    inspection: Inspection,
    draft: Draft,
    /// (section index, item index) in walk order.
    order: Vec<(usize, usize)>,
    cursor: usize,
    mode: Mode,
    message: Option<Notice>,
    /// The previous run of the same subject and inspection, for the finish screen.
    previous: Option<Run>,
    /// Actions still open from earlier runs of this subject and inspection, by item.
    earlier: std::collections::BTreeMap<Id, Vec<CorrectiveAction>>,
    /// The language messages are shown in.
    lang: crate::model::Lang,
}

impl WalkerScreen {
    /// Starts a new run, optionally pre-filled (marked carried) from `carry`.
    pub fn fresh(
        ctx: &Ctx,
        subject: &Id,
        inspection: &Id,
        carry: Option<&Run>,
    ) -> Result<Self, Notice> {
        permitted(ctx, subject, inspection)?;
        let template = ctx
            .data
            .catalog
            .inspections
            .get(inspection)
            .ok_or_else(|| Notice::from(format!("unknown inspection `{inspection}`")))?
            .clone();
        let mut answers = std::collections::BTreeMap::new();
        if let Some(prev) = carry {
            for (id, answer) in &prev.answers {
                let Some(item) = template.item(id.as_str()) else {
                    continue;
                };
                if template.choice(item, answer.choice.as_str()).is_none() {
                    continue;
                }
                let mut copy = answer.clone();
                copy.carried = true;
                // Actions stay with the run that opened them; history tracks them.
                copy.action = None;
                answers.insert(id.clone(), copy);
            }
        }
        let draft = Draft {
            format: FORMAT,
            inspection: inspection.clone(),
            inspection_version: template.version,
            subject: subject.clone(),
            inspector: ctx.inspector.clone(),
            started: ctx.clock.now(),
            answers,
            cursor: 0,
            supersedes: None,
            closes: Vec::new(),
        };
        Ok(Self::build(template, draft, ctx))
    }

    /// Resumes a saved draft where it stopped.
    pub fn resume(draft: Draft, ctx: &Ctx) -> Result<Self, Notice> {
        permitted(ctx, &draft.subject, &draft.inspection)?;
        let template = ctx
            .data
            .catalog
            .inspections
            .get(&draft.inspection)
            .ok_or_else(|| {
                Notice::from(format!(
                    "the draft names unknown inspection `{}`",
                    draft.inspection
                ))
            })?;
        if template.version != draft.inspection_version {
            return Err(format!(
                "{} `{}` v{} → v{}",
                ctx.tr(
                    "下書き開始後に点検表が更新されました。下書きはそのまま残しています:",
                    "the template changed since the draft was started; the draft is kept as it is:"
                ),
                draft.inspection,
                draft.inspection_version,
                template.version
            )
            .into());
        }
        let template = template.clone();
        Ok(Self::build(template, draft, ctx))
    }

    fn build(inspection: Inspection, draft: Draft, ctx: &Ctx) -> Self {
        let order: Vec<(usize, usize)> = inspection
            .sections
            .iter()
            .enumerate()
            .flat_map(|(s, sec)| (0..sec.items.len()).map(move |i| (s, i)))
            .collect();
        let cursor = draft.cursor.min(order.len().saturating_sub(1));
        let previous = ctx
            .data
            .latest_run(&draft.subject, &draft.inspection)
            .map(|h| h.run.clone());
        let mut earlier: std::collections::BTreeMap<Id, Vec<CorrectiveAction>> =
            std::collections::BTreeMap::new();
        for a in actions::derive(&ctx.data.history, &ctx.data.catalog, ctx.clock.today()) {
            if a.is_open() && a.subject == draft.subject && a.inspection == draft.inspection {
                earlier.entry(a.item.clone()).or_default().push(a);
            }
        }
        Self {
            inspection,
            draft,
            order,
            cursor,
            mode: Mode::Normal,
            message: None,
            previous,
            lang: ctx.lang,
            earlier,
        }
    }

    /// Returns true while a text editor or prompt takes raw keys.
    fn is_typing(&self) -> bool {
        !matches!(self.mode, Mode::Normal)
    }

    fn item(&self) -> Option<&Item> {
        let (s, i) = *self.order.get(self.cursor)?;
        self.inspection.sections.get(s)?.items.get(i)
    }

    /// Returns the choice the key picks on the current item, if any.
    fn choice_for_key(&self, key: KeyEvent) -> Option<Id> {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return None;
        }
        let KeyCode::Char(c) = key.code else {
            return None;
        };
        let item = self.item()?;
        self.inspection
            .choices(item)
            .iter()
            .find(|ch| ch.key == c)
            .map(|ch| ch.id.clone())
    }

    fn note_missing(&self, item: &Item) -> bool {
        self.draft
            .answers
            .get(&item.id)
            .is_some_and(|a| item.note_required_for.contains(&a.choice) && a.note.trim().is_empty())
    }

    fn save(&mut self) -> Effect {
        self.draft.cursor = self.cursor;
        Effect::SaveDraft(self.draft.clone())
    }

    /// Moves to item `to` unless the current one still needs its note.
    fn go(&mut self, to: usize) -> Vec<Effect> {
        if let Some(item) = self.item()
            && self.note_missing(item)
            && to != self.cursor
        {
            self.message = Some(Notice::from(required_note_message(item, self.lang)));
            return Vec::new();
        }
        self.cursor = to.min(self.order.len().saturating_sub(1));
        self.draft.cursor = self.cursor;
        Vec::new()
    }
}

impl Screen for WalkerScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Walker
    }

    fn title(&self, ctx: &Ctx) -> String {
        format!(
            "{} · {}",
            escape_control(self.inspection.title.get(ctx.lang)),
            ctx.data.subject_name(&self.draft.subject)
        )
    }

    fn status(&self) -> Option<&Notice> {
        self.message.as_ref()
    }

    fn draft(&self) -> Option<&Draft> {
        Some(&self.draft)
    }

    /// Every key goes to the open field; a choice key of the template
    /// answers the item.
    fn key(&self, key: KeyEvent) -> Option<Msg> {
        if self.is_typing() {
            return Some(Msg::Input(key));
        }
        self.choice_for_key(key).map(Msg::Choose)
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        // Only the inspector's own keys clear the message; results of
        // effects (a draft saved) must not wipe what the walker asked for.
        if msg.is_from_user() && !self.is_typing() {
            self.message = None;
        }
        match msg {
            Msg::Choose(choice) => self.choose(choice, ctx),
            Msg::Input(key) => self.input(key, ctx),
            Msg::Action(action) => self.act(action, ctx),
            Msg::DraftSaved(Err(e)) => Step::notice(e.framed(
                ctx.tr("下書きを保存できませんでした:", "Could not save the draft:"),
                "",
            )),
            _ => Step::none(),
        }
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        self.draw(area, buf, ctx);
    }
}

impl WalkerScreen {
    fn choose(&mut self, choice: Id, ctx: &Ctx) -> Step {
        let Some(item) = self.item().cloned() else {
            return Step::none();
        };
        let answer = self
            .draft
            .answers
            .entry(item.id.clone())
            .or_insert_with(|| Answer::new(choice.clone()));
        answer.choice = choice;
        answer.carried = false;
        let best = self.inspection.best_choice(&item).and_then(|c| c.points);
        let chosen = self
            .inspection
            .choice(&item, answer.choice.as_str())
            .and_then(|c| c.points);
        if !matches!((chosen, best), (Some(c), Some(b)) if c < b) {
            // An action only belongs to an answer below the best choice.
            answer.action = None;
            self.replace_earlier(&item.id, false);
        }
        let mut effects = vec![self.save()];
        if self.note_missing(&item) {
            self.open_note();
            self.message = Some(Notice::from(required_note_message(&item, self.lang)));
        } else if self.cursor + 1 < self.order.len() {
            effects.extend(self.go(self.cursor + 1));
            effects.push(self.save());
        } else {
            self.message = Some(
                ctx.tr("最後の項目です。f で完了", "Last item. Press f to finish.")
                    .into(),
            );
        }
        Step::effects(effects)
    }

    fn open_note(&mut self) {
        let note = self
            .item()
            .and_then(|i| self.draft.answers.get(&i.id))
            .map(|a| a.note.clone())
            .unwrap_or_default();
        let lines: Vec<String> = if note.is_empty() {
            vec![String::new()]
        } else {
            note.lines().map(str::to_owned).collect()
        };
        let mut area = TextArea::new(lines);
        area.set_cursor_line_style(ratatui::style::Style::new());
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        self.mode = Mode::Note(Box::new(area));
    }

    fn act(&mut self, action: Action, ctx: &Ctx) -> Step {
        match action {
            Action::Up | Action::PrevItem => Step::effects(self.go(self.cursor.saturating_sub(1))),
            Action::Down | Action::Skip => Step::effects(self.go(self.cursor + 1)),
            Action::ConfirmCarried => {
                let Some(item) = self.item().cloned() else {
                    return Step::none();
                };
                match self.draft.answers.get_mut(&item.id) {
                    Some(a) if a.carried => {
                        a.carried = false;
                        let mut effects = vec![self.save()];
                        effects.extend(self.go(self.cursor + 1));
                        Step::effects(effects)
                    }
                    _ => Step::effects(self.go(self.cursor + 1)),
                }
            }
            Action::Note => {
                if self
                    .item()
                    .is_some_and(|i| self.draft.answers.contains_key(&i.id))
                {
                    self.open_note();
                } else {
                    self.message = Some(
                        ctx.tr(
                            "先に回答を選んでください",
                            "Answer the item first, then add a note.",
                        )
                        .into(),
                    );
                }
                Step::none()
            }
            Action::Evidence => {
                if self
                    .item()
                    .is_some_and(|i| self.draft.answers.contains_key(&i.id))
                {
                    self.mode = Mode::Evidence(String::new());
                } else {
                    self.message = Some(
                        ctx.tr(
                            "先に回答を選んでください",
                            "Answer the item first, then add evidence.",
                        )
                        .into(),
                    );
                }
                Step::none()
            }
            Action::Jump => {
                self.mode = Mode::Jump(String::new());
                Step::none()
            }
            Action::Finish => self.finish(ctx),
            Action::CorrectiveAction => {
                self.open_action_form(ctx);
                Step::none()
            }
            Action::Back => {
                let answered = self.draft.answers.len();
                let notice = if answered == 0 {
                    ctx.tr(
                        "回答がないため下書きは保存していません",
                        "Nothing answered; no draft kept.",
                    )
                    .to_owned()
                } else {
                    format!(
                        "{} ({answered})",
                        ctx.tr(
                            "下書きを保存しました",
                            "Draft saved; resume it from the dashboard."
                        )
                    )
                };
                let mut step = Step::nav(Nav::Home);
                if answered > 0 {
                    step.effects.push(self.save());
                }
                step.notice = Some(Notice::from(notice));
                step
            }
            _ => Step::none(),
        }
    }

    /// Returns why the current answer cannot take an action, if it cannot:
    /// unanswered, answered with the best choice, or not applicable.
    fn action_refusal(&self, ctx: &Ctx) -> Option<&'static str> {
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

    fn open_action_form(&mut self, ctx: &Ctx) {
        if let Some(why) = self.action_refusal(ctx) {
            self.message = Some(Notice::from(why.to_owned()));
            return;
        }
        let existing = self
            .item()
            .and_then(|i| self.draft.answers.get(&i.id))
            .and_then(|a| a.action.clone());
        let fields = match existing {
            Some(a) => [a.text, a.owner, a.due.to_string()],
            None => [
                String::new(),
                String::new(),
                (ctx.clock.today() + Duration::days(DEFAULT_DUE_DAYS)).to_string(),
            ],
        };
        self.mode = Mode::Action(ActionForm { fields, focus: 0 });
    }

    /// Validates the form and stores the action (an empty text removes it).
    fn submit_action(&mut self, form: &ActionForm, ctx: &Ctx) -> Step {
        let Some(item) = self.item().cloned() else {
            return Step::none();
        };
        let [text, owner, due] = &form.fields;
        let (text, owner, due) = (text.trim(), owner.trim(), due.trim());
        let had = self
            .draft
            .answers
            .get(&item.id)
            .is_some_and(|a| a.action.is_some());
        if text.is_empty() {
            if !had {
                self.mode = Mode::Action(ActionForm {
                    focus: 0,
                    ..form.clone()
                });
                self.message = Some(
                    ctx.tr(
                        "内容を入力してください (空のまま Esc で取消)",
                        "Say what is to be done (Esc cancels).",
                    )
                    .into(),
                );
                return Step::none();
            }
            if let Some(a) = self.draft.answers.get_mut(&item.id) {
                a.action = None;
            }
            self.replace_earlier(&item.id, false);
            self.message = Some(
                ctx.tr("是正処置を削除しました", "Corrective action removed.")
                    .into(),
            );
            return Step::effects(vec![self.save()]);
        }
        let due = match NaiveDate::parse_from_str(due, "%Y-%m-%d") {
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
                self.mode = Mode::Action(ActionForm {
                    focus: 2,
                    ..form.clone()
                });
                self.message = Some(Notice::from(why.to_owned()));
                return Step::none();
            }
        };
        if let Some(a) = self.draft.answers.get_mut(&item.id) {
            a.action = Some(crate::model::Action {
                text: text.to_owned(),
                owner: owner.to_owned(),
                due,
            });
            a.carried = false;
        }
        // The new action for the same gap replaces the earlier open ones.
        self.replace_earlier(&item.id, true);
        self.message = Some(Notice::from(format!(
            "{} ({} {due})",
            ctx.tr("是正処置を記録しました", "Corrective action recorded"),
            ctx.tr("期限", "due")
        )));
        Step::effects(vec![self.save()])
    }

    /// Lists the open actions of earlier runs on `item` in the draft's
    /// `closes` (a new action replaces them), or takes them out again.
    fn replace_earlier(&mut self, item: &Id, replace: bool) {
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

    fn finish(&mut self, ctx: &Ctx) -> Step {
        let missing: Vec<usize> = self
            .order
            .iter()
            .enumerate()
            .filter(|(_, (s, i))| {
                self.inspection
                    .sections
                    .get(*s)
                    .and_then(|sec| sec.items.get(*i))
                    .is_some_and(|it| self.note_missing(it))
            })
            .map(|(n, _)| n)
            .collect();
        if let Some(first) = missing.first() {
            self.cursor = *first;
            self.message = Some(Notice::from(format!(
                "{} ({})",
                ctx.tr(
                    "メモが必要な項目があります",
                    "Some answers still need a note"
                ),
                missing.len()
            )));
            return Step::none();
        }
        let screen = FinishScreen::new(
            self.inspection.clone(),
            self.draft.clone(),
            self.previous.clone(),
            ctx,
        );
        Step::nav(Nav::push(screen))
    }

    fn input(&mut self, key: KeyEvent, ctx: &Ctx) -> Step {
        match &mut self.mode {
            Mode::Normal => Step::none(),
            Mode::Note(area) => {
                let done = key.code == KeyCode::Esc
                    || (key.modifiers.contains(KeyModifiers::CONTROL)
                        && key.code == KeyCode::Char('s'));
                if !done {
                    area.input(key);
                    if area.lines().iter().map(|l| l.len() + 1).sum::<usize>() > MAX_NOTE_BYTES {
                        area.undo();
                        self.message = Some(Notice::from(format!(
                            "{} ({MAX_NOTE_BYTES} bytes)",
                            ctx.tr("メモが長すぎます", "Note too long")
                        )));
                    }
                    return Step::none();
                }
                let text = area.lines().join("\n").trim_end().to_owned();
                self.mode = Mode::Normal;
                self.message = None;
                let Some(item) = self.item().cloned() else {
                    return Step::none();
                };
                if let Some(a) = self.draft.answers.get_mut(&item.id) {
                    a.note = text;
                    a.carried = false;
                }
                let mut effects = vec![self.save()];
                if self.note_missing(&item) {
                    self.message = Some(Notice::from(required_note_message(&item, self.lang)));
                } else if item.note_required_for.iter().any(|c| {
                    self.draft
                        .answers
                        .get(&item.id)
                        .is_some_and(|a| &a.choice == c)
                }) && self.cursor + 1 < self.order.len()
                {
                    // The note was what held the walker here: go on.
                    effects.extend(self.go(self.cursor + 1));
                    effects.push(self.save());
                }
                Step::effects(effects)
            }
            Mode::Evidence(text) => match key.code {
                KeyCode::Esc => {
                    self.mode = Mode::Normal;
                    Step::none()
                }
                KeyCode::Enter => {
                    let entry = text.trim().to_owned();
                    self.mode = Mode::Normal;
                    if entry.is_empty() {
                        return Step::none();
                    }
                    let Some(item) = self.item().cloned() else {
                        return Step::none();
                    };
                    if let Some(a) = self.draft.answers.get_mut(&item.id) {
                        a.evidence.push(entry);
                        a.carried = false;
                    }
                    Step::effects(vec![self.save()])
                }
                KeyCode::Backspace => {
                    text.pop();
                    Step::none()
                }
                KeyCode::Char(c) if !c.is_control() && text.len() < MAX_EVIDENCE_BYTES => {
                    text.push(c);
                    Step::none()
                }
                _ => Step::none(),
            },
            Mode::Action(form) => {
                let form = form.clone();
                self.action_input(key, form, ctx)
            }
            Mode::Jump(text) => match key.code {
                KeyCode::Esc => {
                    self.mode = Mode::Normal;
                    Step::none()
                }
                KeyCode::Enter => {
                    let target = text.trim().to_owned();
                    self.mode = Mode::Normal;
                    let found = self.order.iter().position(|(s, i)| {
                        self.inspection
                            .sections
                            .get(*s)
                            .and_then(|sec| sec.items.get(*i))
                            .is_some_and(|it| it.id.as_str() == target)
                    });
                    match found {
                        Some(n) => Step::effects(self.go(n)),
                        None => Step::notice(format!(
                            "{} `{}`",
                            ctx.tr("その番号の項目はありません:", "no item with id"),
                            escape_control(&target)
                        )),
                    }
                }
                KeyCode::Backspace => {
                    text.pop();
                    Step::none()
                }
                KeyCode::Char(c) if !c.is_control() && text.len() < 64 => {
                    text.push(c);
                    Step::none()
                }
                _ => Step::none(),
            },
        }
    }

    fn action_input(&mut self, key: KeyEvent, mut form: ActionForm, ctx: &Ctx) -> Step {
        match key.code {
            KeyCode::Esc => {
                self.mode = Mode::Normal;
                return Step::none();
            }
            KeyCode::Enter if form.focus == 2 => {
                self.mode = Mode::Normal;
                return self.submit_action(&form, ctx);
            }
            KeyCode::Enter | KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % 3,
            KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + 2) % 3,
            KeyCode::Backspace => {
                form.fields[form.focus].pop();
            }
            KeyCode::Char(c)
                if !c.is_control()
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                let limit = if form.focus == 2 {
                    10
                } else {
                    MAX_ACTION_CHARS
                };
                let field = &mut form.fields[form.focus];
                if field.chars().count() < limit {
                    field.push(c);
                }
            }
            _ => {}
        }
        self.mode = Mode::Action(form);
        Step::none()
    }

    /// Draws the walker.
    fn draw(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let [gauge, main] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let total = self.order.len();
        let answered = self.draft.answers.len();
        let carried = self.draft.answers.values().filter(|a| a.carried).count();
        #[allow(clippy::cast_precision_loss)]
        let ratio = if total == 0 {
            0.0
        } else {
            answered as f64 / total as f64
        };
        let label = format!(
            " {answered}/{total} {}{} ",
            ctx.tr("回答", "answered"),
            if carried > 0 {
                format!(" · {carried} {}", ctx.tr("件 前回回答", "carried"))
            } else {
                String::new()
            }
        );
        LineGauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(label)
            .filled_style(ctx.theme.good)
            .unfilled_style(ctx.theme.dim)
            .render(gauge, buf);

        let [list_area, detail] = Layout::horizontal([
            Constraint::Length((main.width / 3).max(28)),
            Constraint::Min(30),
        ])
        .areas(main);
        self.render_list(list_area, buf, ctx);
        self.render_detail(detail, buf, ctx);
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let width = usize::from(area.width.saturating_sub(5));
        let mut items = Vec::new();
        let mut selected = None;
        for (n, (s, i)) in self.order.iter().enumerate() {
            let Some(section) = self.inspection.sections.get(*s) else {
                continue;
            };
            let Some(item) = section.items.get(*i) else {
                continue;
            };
            if *i == 0 {
                items.push(ListItem::new(Line::from(Span::styled(
                    truncate(&escape_control(section.title.get(ctx.lang)), width + 2),
                    theme.title,
                ))));
            }
            if n == self.cursor {
                selected = Some(items.len());
            }
            let (mark, style) = match self.draft.answers.get(&item.id) {
                _ if self.note_missing(item) => ("!", theme.bad),
                Some(a) if a.carried => ("~", theme.warn),
                Some(_) => ("✓", theme.good),
                None => ("·", theme.dim),
            };
            let text = format!("{} {}", item.id, escape_control(item.title.get(ctx.lang)));
            items.push(ListItem::new(Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(pad(&text, width.saturating_sub(2))),
            ])));
        }
        // Scroll by whole pages: stepping one item then rewrites two rows,
        // not the whole list, which keeps each answer cheap over SSH.
        let page = usize::from(area.height.saturating_sub(2)).max(1);
        let offset = selected.map_or(0, |row| row / page * page);
        let mut state = ListState::default().with_offset(offset);
        state.select(selected);
        let list = List::new(items)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border)
                    .title(ctx.tr("項目", "Items")),
            )
            .highlight_style(theme.selected)
            .highlight_symbol("▸");
        StatefulWidget::render(list, area, buf, &mut state);
    }

    fn render_detail(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let Some(item) = self.item() else { return };
        let title = format!(
            "{} {} · {} / {}",
            ctx.tr("項目", "Item"),
            item.id,
            self.cursor + 1,
            self.order.len()
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(title);
        let inner = block.inner(area);
        block.render(area, buf);
        let editor_rows = match self.mode {
            Mode::Note(_) => 6,
            _ => 0,
        };
        let choice_lines = choice_grid(
            &self.inspection,
            item,
            self.draft.answers.get(&item.id),
            inner.width,
            ctx,
        );
        let bottom_rows = u16::try_from(choice_lines.len()).unwrap_or(4) + 4;
        let action_lines = self.action_lines(item, usize::from(inner.width), ctx);
        let action_rows = u16::try_from(action_lines.len()).unwrap_or(0);
        let [top, bottom, action_area, editor] = Layout::vertical([
            Constraint::Min(3),
            Constraint::Length(bottom_rows),
            Constraint::Length(action_rows),
            Constraint::Length(editor_rows),
        ])
        .areas(inner);
        Paragraph::new(action_lines).render(action_area, buf);

        let mut lines = vec![Line::from(Span::styled(
            escape_control(item.title.get(ctx.lang)),
            theme.title,
        ))];
        if !item.guidance.is_empty() {
            lines.push(Line::default());
            for l in escape_control_keep_lines(item.guidance.get(ctx.lang)).lines() {
                lines.push(Line::from(Span::styled(l.to_owned(), theme.dim)));
            }
        }
        if !item.reference.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("({})", escape_control(&item.reference)),
                theme.dim,
            )));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(top, buf);

        let answer = self.draft.answers.get(&item.id);
        let mut lower = choice_lines;
        match answer {
            Some(a) => {
                let mut status = vec![Span::raw(ctx.tr("回答: ", "Answer: "))];
                let label = self.inspection.choice(item, a.choice.as_str()).map_or_else(
                    || a.choice.to_string(),
                    |c| escape_control(c.label.get(ctx.lang)),
                );
                status.push(Span::styled(label, theme.title));
                if a.carried {
                    status.push(Span::styled(
                        format!(
                            "  ~ {}",
                            ctx.tr("前回回答 (Enter/c で確認)", "carried (Enter/c to confirm)")
                        ),
                        theme.warn,
                    ));
                }
                // Where an action may be added, say so on this line when it
                // fits: a line of its own would cost the guidance a row.
                let hint = format!("  · a: {}", ctx.tr("是正処置", "corrective action"));
                let used: usize = status.iter().map(Span::width).sum();
                if a.action.is_none()
                    && matches!(self.mode, Mode::Normal)
                    && self.action_refusal(ctx).is_none()
                    && used + hint.width() <= usize::from(inner.width)
                {
                    status.push(Span::styled(hint, theme.dim));
                }
                lower.push(Line::from(status));
                let note = if a.note.is_empty() {
                    if item.note_required_for.contains(&a.choice) {
                        Span::styled(
                            ctx.tr("メモ: (必須 — n で入力)", "Note: (required — press n)"),
                            theme.bad,
                        )
                    } else {
                        Span::styled(ctx.tr("メモ: なし", "Note: none"), theme.dim)
                    }
                } else {
                    let first = escape_control(a.note.lines().next().unwrap_or_default());
                    let more = if a.note.lines().count() > 1 {
                        " …"
                    } else {
                        ""
                    };
                    Span::raw(format!("{}{first}{more}", ctx.tr("メモ: ", "Note: ")))
                };
                lower.push(Line::from(note));
                if !a.evidence.is_empty() {
                    let ev: Vec<String> = a.evidence.iter().map(|e| escape_control(e)).collect();
                    lower.push(Line::from(format!(
                        "{}{}",
                        ctx.tr("証跡: ", "Evidence: "),
                        ev.join(", ")
                    )));
                }
            }
            None => lower.push(Line::from(Span::styled(
                ctx.tr("未回答", "Not answered yet"),
                theme.dim,
            ))),
        }
        match &self.mode {
            Mode::Evidence(t) => lower.push(Line::from(vec![
                Span::styled(
                    ctx.tr(
                        "証跡を追加 (Enter 確定 / Esc 取消): ",
                        "Add evidence (Enter adds, Esc cancels): ",
                    ),
                    theme.key,
                ),
                Span::raw(format!("{}▏", escape_control(t))),
            ])),
            Mode::Jump(t) => lower.push(Line::from(vec![
                Span::styled(
                    ctx.tr("移動先の項目番号 (Enter): ", "Jump to item id (Enter): "),
                    theme.key,
                ),
                Span::raw(format!("{}▏", escape_control(t))),
            ])),
            _ => {}
        }
        Paragraph::new(lower)
            .wrap(Wrap { trim: false })
            .render(bottom, buf);

        if let Mode::Note(area_widget) = &self.mode {
            let mut ta = (**area_widget).clone();
            ta.set_block(
                Block::default()
                    .borders(Borders::TOP)
                    .border_style(theme.key)
                    .title(ctx.tr("メモ (Esc で保存)", "Note (Esc saves)")),
            );
            ta.render(editor, buf);
        }
    }
}

impl WalkerScreen {
    /// Returns the lines about corrective actions on `item`: the action of
    /// this answer (or how to add one), actions still open from earlier
    /// runs, and the form while it is open. One line each, cut to `width`.
    fn action_lines(&self, item: &Item, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let theme = &ctx.theme;
        let mut lines = Vec::new();
        let mut waiting = false;
        for a in self.earlier.get(&item.id).into_iter().flatten().take(2) {
            let replaced = self.draft.closes.contains(&a.key());
            waiting |= !replaced;
            let (mark, style) = match (replaced, a.overdue) {
                (true, _) => ("✓", theme.good),
                (false, true) => ("⚑", theme.bad),
                (false, false) => ("⚑", theme.warn),
            };
            let text = escape_control(&a.action.text);
            let line = if replaced {
                format!(
                    "{mark} {} {}: {text}",
                    ctx.tr(
                        "置き換え済み (明示的に完了):",
                        "Replaced (closed explicitly): action of"
                    ),
                    a.opened
                )
            } else {
                format!(
                    "{mark} {} {} ({} {}{}): {text}",
                    ctx.tr("未完了の是正", "Open since"),
                    a.opened,
                    ctx.tr("期限", "due"),
                    a.action.due,
                    if a.overdue {
                        ctx.tr(" 期限切れ", " overdue")
                    } else {
                        ""
                    }
                )
            };
            lines.push(Line::from(Span::styled(truncate(&line, width), style)));
        }
        if waiting {
            lines.push(Line::from(Span::styled(
                truncate(
                    if matches!(self.mode, Mode::Action(_)) {
                        ctx.tr(
                            "  新しい是正処置を保存すると置き換えます (明示的に完了)",
                            "  saving a new action replaces it (closed explicitly)",
                        )
                    } else {
                        ctx.tr(
                            "  最良の回答で自動的に完了します",
                            "  the best answer closes it",
                        )
                    },
                    width,
                ),
                theme.dim,
            )));
        }
        let answer = self.draft.answers.get(&item.id);
        if let Mode::Action(form) = &self.mode {
            lines.push(Line::from(Span::styled(
                truncate(
                    ctx.tr(
                        "是正処置 (Tab/Enter 次へ · 期限で Enter 保存 · Esc 取消)",
                        "Corrective action (Tab/Enter next · Enter on Due saves · Esc cancels)",
                    ),
                    width,
                ),
                theme.key,
            )));
            let labels = [
                ctx.tr("内容", "What"),
                ctx.tr("担当", "Owner"),
                ctx.tr("期限", "Due"),
            ];
            for (n, (label, value)) in labels.iter().zip(&form.fields).enumerate() {
                let focused = n == form.focus;
                let text = format!(
                    "{}{}",
                    escape_control(value),
                    if focused { "▏" } else { "" }
                );
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("{} {} ", if focused { "▸" } else { " " }, pad(label, 5)),
                        if focused { theme.key } else { theme.dim },
                    ),
                    Span::raw(truncate(&text, width.saturating_sub(9))),
                ]));
            }
        } else if let Some(action) = answer.and_then(|a| a.action.as_ref()) {
            let owner = if action.owner.is_empty() {
                String::new()
            } else {
                format!(" · {}", escape_control(&action.owner))
            };
            lines.push(Line::from(Span::styled(
                truncate(
                    &format!(
                        "⚑ {} {}: {}{owner}",
                        ctx.tr("是正処置 (a) 期限", "Action (a) due"),
                        action.due,
                        escape_control(&action.text),
                    ),
                    width,
                ),
                theme.warn,
            )));
        }
        lines
    }
}

/// Lays the choices out in as many columns as fit, so a key never wraps
/// away from its label (Japanese labels are wide).
fn choice_grid(
    inspection: &Inspection,
    item: &Item,
    answer: Option<&Answer>,
    width: u16,
    ctx: &Ctx,
) -> Vec<Line<'static>> {
    let theme = &ctx.theme;
    let choices = inspection.choices(item);
    let labels: Vec<String> = choices
        .iter()
        .map(|c| escape_control(c.label.get(ctx.lang)))
        .collect();
    let cell = labels
        .iter()
        .map(|l| unicode_width::UnicodeWidthStr::width(l.as_str()))
        .max()
        .unwrap_or(0)
        + 5;
    let columns = (usize::from(width) / cell.max(1)).clamp(1, choices.len().max(1));
    let mut lines = Vec::new();
    for (row_choices, row_labels) in choices.chunks(columns).zip(labels.chunks(columns)) {
        let mut spans = Vec::new();
        for (c, label) in row_choices.iter().zip(row_labels) {
            let chosen = answer.is_some_and(|a| a.choice == c.id);
            let style = if chosen {
                theme.selected.add_modifier(Modifier::BOLD)
            } else {
                theme.text
            };
            spans.push(Span::styled(
                format!("{}{}", if chosen { "●" } else { " " }, c.key),
                theme.key,
            ));
            spans.push(Span::styled(format!(" {}", pad(label, cell - 3)), style));
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// The message shown while an answer still needs its note.
fn required_note_message(item: &Item, lang: crate::model::Lang) -> String {
    match lang {
        crate::model::Lang::Ja => {
            format!("項目 {}: この回答にはメモが必要です (n で入力)", item.id)
        }
        crate::model::Lang::En => format!("Item {}: this answer needs a note (press n).", item.id),
    }
}
