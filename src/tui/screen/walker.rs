//! The checklist walker: one item at a time, answered with single keys.
//! Every change saves the draft (through an effect), so a dropped link
//! loses at most the keystroke in flight.
//!
//! This file holds the walker's state and how it answers keys; the view is
//! in `walker/view.rs`, the corrective-action form in
//! `walker/action_form.rs` and the evidence file attach in
//! `walker/attach.rs`; what is being typed is kept through a lost session
//! by `walker/typing.rs`. Every text the walker takes (note, evidence,
//! the item to jump to, the action's fields) is typed into a
//! [`TextInput`], so all of them answer the same keys.
//!
//! Over 700 lines on purpose: how the walker answers keys is one state
//! machine over its modes; every part that stands alone is in `walker/`.

mod action_form;
mod attach;
mod read_only;
mod typing;
mod view;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use crate::actions::{self, CorrectiveAction};
use crate::escape;
use crate::model::{Answer, Draft, FORMAT, Id, Inspection, Item, Lang, Run};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{self, Action, Binding, ScreenId, Section};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::screen::finish::FinishScreen;
use crate::tui::widget::mark;
use crate::tui::widget::scroll::Scroll;
use crate::tui::widget::text_input::{ID_CHARS, LINE_CHARS, NOTE_CHARS, Outcome, TextInput};

use action_form::ActionForm;

/// What the keyboard is doing in the walker.
#[derive(Debug)]
enum Mode {
    Normal,
    /// Writing the note of the current item.
    Note(Box<TextInput>),
    /// Typing an evidence reference.
    Evidence(TextInput),
    /// Typing the id of the item to jump to.
    Jump(TextInput),
    /// Filling in the corrective action of the current answer.
    Action(Box<ActionForm>),
}

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
    .map_err(|e| Notice::error(&e, ctx.lang))
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
    /// A word about the open field ("Esc again drops the changes", "full"),
    /// shown over `message` until the next key.
    prompt: Option<Notice>,
    /// The run a run finished now is compared with (the one rule), for the
    /// finish screen.
    previous: Option<Run>,
    /// Actions still open from earlier runs of this subject and inspection, by item.
    earlier: std::collections::BTreeMap<Id, Vec<CorrectiveAction>>,
    /// The language messages are shown in.
    lang: Lang,
    /// The answer before the change being settled (item, answer, the
    /// draft's `closes`), so that Esc can take the change back exactly.
    before: Option<(Id, Option<Answer>, Vec<String>)>,
    /// Set when another session has this draft open: why, for the status
    /// line; the walker then changes nothing (`walker/read_only.rs`).
    read_only: Option<Notice>,
    /// How far the guidance is scrolled, and for which item (the cursor).
    guidance: (usize, Scroll),
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
        let template = ctx.data.usable_template(inspection, ctx.lang)?.clone();
        let mut answers = std::collections::BTreeMap::new();
        for (id, answer) in carry
            .map(|prev| fitting(&template, prev))
            .into_iter()
            .flatten()
        {
            let mut copy = answer.clone();
            copy.carried = true;
            // Actions stay with the run that opened them; history tracks them.
            copy.action = None;
            answers.insert(id.clone(), copy);
        }
        let draft = Self::new_draft(ctx, &template, subject, inspection, answers);
        Ok(Self::build(template, draft, ctx))
    }

    /// A new draft of `inspection` for `subject` by this session's
    /// inspector, holding `answers`.
    fn new_draft(
        ctx: &Ctx,
        template: &Inspection,
        subject: &Id,
        inspection: &Id,
        answers: std::collections::BTreeMap<Id, Answer>,
    ) -> Draft {
        Draft {
            format: FORMAT,
            inspection: inspection.clone(),
            inspection_version: template.version,
            // The template this run answers, whatever happens to the file
            // before it is finished.
            inspection_hash: template.content_hash().ok(),
            subject: subject.clone(),
            inspector: ctx.inspector.inspector().clone(),
            started: ctx.clock.now(),
            answers,
            cursor: 0,
            supersedes: None,
            closes: Vec::new(),
        }
    }

    /// Starts a correction of the committed `run` (issue 13): the walker
    /// opens on its answers as they were recorded (notes, evidence,
    /// actions; confirmed stays confirmed), with the actions it closed, and
    /// the run it finishes supersedes `run` and keeps its date. Refused
    /// while a draft of the same subject and inspection exists, which it
    /// would replace.
    pub fn correcting(ctx: &Ctx, run: &Run) -> Result<Self, Notice> {
        if ctx
            .data
            .drafts
            .iter()
            .any(|d| d.subject == run.subject && d.inspection == run.inspection)
        {
            return Err(ctx
                .tr(
                    "この対象と点検の下書きがあります。先に完了するか破棄してください",
                    "A draft of this subject and inspection exists; finish or discard it first.",
                )
                .into());
        }
        permitted(ctx, &run.subject, &run.inspection)?;
        let template = ctx.data.usable_template(&run.inspection, ctx.lang)?.clone();
        let answers = fitting(&template, run)
            .map(|(id, a)| (id.clone(), a.clone()))
            .collect();
        let mut draft = Self::new_draft(ctx, &template, &run.subject, &run.inspection, answers);
        draft.supersedes = Some(run.id.clone());
        draft.closes.clone_from(&run.closes);
        let mut walker = Self::build(template, draft, ctx);
        walker.say(format!(
            "{} {}{}",
            ctx.tr("訂正中:", "Correcting"),
            escape::line(&run.id),
            ctx.tr(
                "。誤りを直して f で完了すると、この結果を置き換えます",
                ": change what was wrong; the run finished with f supersedes it.",
            )
        ));
        Ok(walker)
    }

    /// Resumes a saved draft where it stopped.
    pub fn resume(draft: Draft, ctx: &Ctx) -> Result<Self, Notice> {
        permitted(ctx, &draft.subject, &draft.inspection)?;
        let template = ctx
            .data
            .usable_template(&draft.inspection, ctx.lang)
            .map_err(|n| {
                n.framed(
                    "",
                    ctx.tr("（下書きはそのまま残しています）", "(the draft is kept)"),
                )
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
        let mut walker = Self::build(template, draft, ctx);
        walker.restore_typing(ctx);
        Ok(walker)
    }

    fn build(inspection: Inspection, draft: Draft, ctx: &Ctx) -> Self {
        let order: Vec<(usize, usize)> = inspection
            .sections
            .iter()
            .enumerate()
            .flat_map(|(s, sec)| (0..sec.items.len()).map(move |i| (s, i)))
            .collect();
        let cursor = draft.cursor.min(order.len().saturating_sub(1));
        // What the finish screen compares with: the previous run by the one
        // rule, for a run finished now (read whole: it shows its notes).
        let as_run = draft.clone().finish(String::new(), ctx.clock.now());
        let previous = ctx
            .data
            .previous_of(&as_run)
            .map(|h| ctx.data.full_run(&h.run));
        let mut earlier: std::collections::BTreeMap<Id, Vec<CorrectiveAction>> =
            std::collections::BTreeMap::new();
        for a in actions::derive(&ctx.data.history, &ctx.data.catalog, ctx.clock.today()) {
            // A correction carries the actions of the run it corrects.
            let own = draft.supersedes.as_deref() == Some(a.run.as_str());
            if a.is_open() && !own && a.subject == draft.subject && a.inspection == draft.inspection
            {
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
            prompt: None,
            previous,
            lang: ctx.lang,
            earlier,
            before: None,
            read_only: None,
            guidance: (cursor, Scroll::default()),
        }
    }

    /// Returns true while a text field takes the keys.
    fn is_typing(&self) -> bool {
        !matches!(self.mode, Mode::Normal)
    }

    /// Returns true while the current answer was changed and still carries
    /// a note, evidence or an action written for the choice before: the
    /// walker asks whether to keep, clear or rewrite them, and nothing else
    /// happens on this item until that is answered.
    fn settling(&self) -> bool {
        matches!(self.mode, Mode::Normal)
            && self
                .item()
                .and_then(|i| self.draft.answers.get(&i.id))
                .is_some_and(Answer::is_unsettled)
    }

    /// Returns true when `choice` scores below the best choice of `item`
    /// (only such an answer takes a corrective action).
    fn below_best(&self, item: &Item, choice: &Id) -> bool {
        let best = self.inspection.best_choice(item).and_then(|c| c.points);
        let chosen = self
            .inspection
            .choice(item, choice.as_str())
            .and_then(|c| c.points);
        matches!((chosen, best), (Some(c), Some(b)) if c < b)
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

    fn say(&mut self, text: impl Into<Notice>) {
        self.message = Some(text.into());
    }

    /// Moves to item `to` unless the current one still needs its note or
    /// an answer about the words of its changed choice.
    fn go(&mut self, to: usize) -> Vec<Effect> {
        if let Some(item) = self.item()
            && self.note_missing(item)
            && to != self.cursor
        {
            self.message = Some(required_note_message(item, self.lang));
            return Vec::new();
        }
        if self.settling() && to != self.cursor {
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
            escape::line(self.inspection.title.get(ctx.lang)),
            ctx.data.subject_name(&self.draft.subject, ctx.lang)
        )
    }

    fn status(&self) -> Option<&Notice> {
        self.read_only
            .as_ref()
            .or(self.prompt.as_ref())
            .or(self.message.as_ref())
    }

    fn keys(&self) -> &'static [Binding] {
        if self.read_only.is_some() {
            return keymap::walker_read_only();
        }
        match self.mode {
            Mode::Normal if self.settling() => keymap::walker_settle(),
            Mode::Normal => keymap::bindings(ScreenId::Walker),
            Mode::Note(_) => keymap::NOTE_EDIT,
            Mode::Evidence(_) | Mode::Jump(_) => keymap::LINE_EDIT,
            Mode::Action(_) => keymap::FORM,
        }
    }

    fn help(&self) -> Vec<Section> {
        match self.mode {
            Mode::Action(_) => vec![Section::keys(keymap::FORM), Section::typing()],
            Mode::Normal => vec![
                Section::keys(self.keys()),
                Section::legend("項目の印", "Item marks", mark::LEGEND),
            ],
            _ => vec![Section::keys(self.keys())],
        }
    }

    fn draft(&self) -> Option<&Draft> {
        Some(&self.draft)
    }

    fn draft_refused(&mut self, refusal: Notice) {
        self.refuse(refusal);
    }

    /// Every key goes to the open field; a choice key of the template
    /// answers the item.
    fn key(&self, key: KeyEvent) -> Option<Msg> {
        if self.read_only.is_some() {
            return None;
        }
        if self.is_typing() {
            return Some(Msg::Input(key));
        }
        if self.settling() {
            return None;
        }
        self.choice_for_key(key).map(Msg::Choose)
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        if self.read_only.is_some() {
            return self.update_read_only(msg, ctx);
        }
        // Only the inspector's own keys clear the message; results of
        // effects (a draft saved) must not wipe what the walker asked for.
        if msg.is_from_user() && !self.is_typing() {
            self.message = None;
        }
        match msg {
            Msg::Choose(choice) => self.choose(choice, ctx),
            Msg::Input(key) => self.input(key, ctx),
            Msg::Paste(text) => self.paste(&text, ctx),
            Msg::EvidenceCompleted(found) => {
                let mut step = self.completed(found, ctx);
                self.keep_typing(&mut step, Outcome::Changed, true);
                step
            }
            Msg::EvidenceAttached { item, result } => self.attached(&item, result, ctx),
            Msg::Action(action) if self.settling() => self.settle(action, ctx),
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
        let before = (
            item.id.clone(),
            self.draft.answers.get(&item.id).cloned(),
            self.draft.closes.clone(),
        );
        let below_best = self.below_best(&item, &choice);
        let answer = self
            .draft
            .answers
            .entry(item.id.clone())
            .or_insert_with(|| Answer::new(choice.clone()));
        if !below_best {
            // An action only belongs to an answer below the best choice.
            answer.action = None;
        }
        // What was written for the choice before stays only if the
        // inspector says it still fits (`settle`).
        answer.change_choice(choice);
        answer.carried = false;
        let unsettled = answer.is_unsettled();
        if !below_best {
            self.replace_earlier(&item.id, false);
        }
        let mut effects = vec![self.save()];
        if unsettled {
            self.before = Some(before);
            return Step::effects(effects);
        }
        effects.extend(self.move_on(&item, ctx));
        Step::effects(effects)
    }

    /// After an answer: asks for a required note, else goes to the next
    /// item (or says this was the last).
    fn move_on(&mut self, item: &Item, ctx: &Ctx) -> Vec<Effect> {
        if self.note_missing(item) {
            self.open_note();
            self.message = Some(note_asked_message(item, self.lang));
            Vec::new()
        } else if self.cursor + 1 < self.order.len() {
            let mut effects = self.go(self.cursor + 1);
            effects.push(self.save());
            effects
        } else {
            self.say(ctx.tr("最後の項目です。f で完了", "Last item. Press f to finish."));
            Vec::new()
        }
    }

    /// Answers the question about a changed answer's note, evidence and
    /// action: keep them (they fit the new choice too), clear them, rewrite
    /// the note, or take the change back.
    fn settle(&mut self, action: Action, ctx: &Ctx) -> Step {
        let Some(item) = self.item().cloned() else {
            return Step::none();
        };
        match action {
            Action::Yes | Action::Clear => {
                if let Some(a) = self.draft.answers.get_mut(&item.id) {
                    if action == Action::Yes {
                        a.keep_context();
                    } else {
                        a.clear_context();
                    }
                }
                if action == Action::Clear {
                    self.replace_earlier(&item.id, false);
                }
                self.before = None;
                let mut effects = vec![self.save()];
                effects.extend(self.move_on(&item, ctx));
                Step::effects(effects)
            }
            Action::Note => {
                self.open_note();
                Step::none()
            }
            Action::No => {
                match self.before.take().filter(|(id, _, _)| *id == item.id) {
                    Some((_, answer, closes)) => {
                        match answer {
                            Some(a) => self.draft.answers.insert(item.id.clone(), a),
                            None => self.draft.answers.remove(&item.id),
                        };
                        self.draft.closes = closes;
                    }
                    // A change from an earlier session: back to the choice
                    // its words were written for.
                    None => {
                        if let Some(a) = self.draft.answers.get_mut(&item.id)
                            && let Some(was) = a.written_for.clone()
                        {
                            a.change_choice(was);
                        }
                    }
                }
                self.say(ctx.tr("回答を元に戻しました", "The change is undone."));
                Step::effects(vec![self.save()])
            }
            Action::Back => self.leave(ctx),
            _ => Step::none(),
        }
    }

    fn open_note(&mut self) {
        let note = self
            .item()
            .and_then(|i| self.draft.answers.get(&i.id))
            .map(|a| a.note.clone())
            .unwrap_or_default();
        self.mode = Mode::Note(Box::new(TextInput::note(&note, NOTE_CHARS)));
    }

    fn act(&mut self, action: Action, ctx: &Ctx) -> Step {
        match action {
            Action::Up | Action::PrevItem => Step::effects(self.go(self.cursor.saturating_sub(1))),
            Action::Down | Action::Skip => Step::effects(self.go(self.cursor + 1)),
            Action::PageDown => {
                self.guidance.1.page_down();
                Step::none()
            }
            Action::PageUp => {
                self.guidance.1.page_up();
                Step::none()
            }
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
                if self.answered() {
                    self.open_note();
                } else {
                    self.say(ctx.tr(
                        "先に回答を選んでください",
                        "Answer the item first, then add a note.",
                    ));
                }
                Step::none()
            }
            Action::Evidence => {
                if self.answered() {
                    self.mode = Mode::Evidence(TextInput::line("", LINE_CHARS));
                } else {
                    self.say(ctx.tr(
                        "先に回答を選んでください",
                        "Answer the item first, then add evidence.",
                    ));
                }
                Step::none()
            }
            Action::Jump => {
                self.mode = Mode::Jump(TextInput::line("", ID_CHARS));
                Step::none()
            }
            Action::Finish => self.finish(ctx),
            Action::CorrectiveAction => {
                self.open_action_form(ctx);
                Step::none()
            }
            Action::Back => self.leave(ctx),
            _ => Step::none(),
        }
    }

    fn answered(&self) -> bool {
        self.item()
            .is_some_and(|i| self.draft.answers.contains_key(&i.id))
    }

    /// Goes back to the dashboard, keeping the draft when anything is answered.
    fn leave(&mut self, ctx: &Ctx) -> Step {
        let answered = self.draft.answers.len();
        let notice = if answered == 0 {
            ctx.tr(
                "回答がないため下書きは保存していません",
                "Nothing answered; no draft kept.",
            )
            .to_owned()
        } else {
            // The count says what the draft holds (it used to stand alone).
            match ctx.lang {
                Lang::Ja => format!(
                    "下書きを保存しました（回答済み {answered} 問）。ダッシュボードから再開できます"
                ),
                Lang::En => {
                    format!("Draft saved ({answered} answered); resume it from the dashboard.")
                }
            }
        };
        let mut step = Step::nav(Nav::Home);
        if answered > 0 {
            step.effects.push(self.save());
        }
        step.notice = Some(notice.into());
        step
    }

    fn finish(&mut self, ctx: &Ctx) -> Step {
        let unsettled: Vec<usize> = self
            .order
            .iter()
            .enumerate()
            .filter(|(_, (s, i))| {
                self.inspection
                    .sections
                    .get(*s)
                    .and_then(|sec| sec.items.get(*i))
                    .and_then(|it| self.draft.answers.get(&it.id))
                    .is_some_and(Answer::is_unsettled)
            })
            .map(|(n, _)| n)
            .collect();
        if let Some(first) = unsettled.first() {
            // The question shows on that item.
            self.cursor = *first;
            self.draft.cursor = self.cursor;
            return Step::none();
        }
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
            self.say(format!(
                "{} ({})",
                ctx.tr(
                    "メモが必要な項目があります",
                    "Some answers still need a note"
                ),
                missing.len()
            ));
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

    /// Hands a key to the open field and acts on what it did.
    fn input(&mut self, key: KeyEvent, ctx: &Ctx) -> Step {
        self.prompt = None;
        let outcome = match &mut self.mode {
            Mode::Normal => return Step::none(),
            Mode::Note(input) => input.handle(key),
            // Tab completes a file path in the evidence field.
            Mode::Evidence(input) if key.code == KeyCode::Tab => {
                return Step::effects(vec![Effect::CompleteEvidence(input.text())]);
            }
            Mode::Evidence(input) | Mode::Jump(input) => input.handle(key),
            Mode::Action(form) => form.handle(key),
        };
        self.after_key(outcome, ctx)
    }

    /// Hands pasted text to the open field.
    fn paste(&mut self, text: &str, ctx: &Ctx) -> Step {
        self.prompt = None;
        let outcome = match &mut self.mode {
            Mode::Normal => return Step::none(),
            Mode::Note(input) => input.paste(text),
            Mode::Evidence(input) | Mode::Jump(input) => input.paste(text),
            Mode::Action(form) => form.paste(text),
        };
        self.after_key(outcome, ctx)
    }

    /// Acts on what a key or a paste did to the open field, and keeps the
    /// store's copy of what is being typed in step with it.
    fn after_key(&mut self, outcome: Outcome, ctx: &Ctx) -> Step {
        let was_open = self.typing_now().is_some();
        let mut step = if matches!(self.mode, Mode::Action(_)) {
            self.action_input(outcome, ctx)
        } else {
            self.typed(outcome, ctx)
        };
        self.keep_typing(&mut step, outcome, was_open);
        step
    }

    /// Acts on what a key did to the note, evidence or jump field.
    fn typed(&mut self, outcome: Outcome, ctx: &Ctx) -> Step {
        match outcome {
            Outcome::Saved => self.close_field(ctx),
            Outcome::Cancelled => {
                self.mode = Mode::Normal;
                self.message = self
                    .item()
                    .filter(|item| self.note_missing(item))
                    .map(|item| required_note_message(item, self.lang));
                Step::none()
            }
            Outcome::CancelAsked => {
                self.prompt = Some(
                    ctx.tr(
                        "もう一度 Esc で変更を破棄します (Enter で保存)",
                        "Esc again drops the changes; Enter saves them.",
                    )
                    .into(),
                );
                Step::none()
            }
            Outcome::Full => {
                let limit = match &self.mode {
                    Mode::Note(input) => input.limit(),
                    Mode::Evidence(input) | Mode::Jump(input) => input.limit(),
                    Mode::Action(form) => form.limit(),
                    Mode::Normal => 0,
                };
                self.prompt = Some(
                    format!(
                        "{} ({limit} {})",
                        ctx.tr("これ以上入力できません", "The field is full"),
                        ctx.tr("文字まで", "characters")
                    )
                    .into(),
                );
                Step::none()
            }
            Outcome::Changed | Outcome::Moved | Outcome::Ignored => Step::none(),
        }
    }

    /// Keeps what the open note, evidence or jump field holds.
    fn close_field(&mut self, ctx: &Ctx) -> Step {
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Note(input) => self.keep_note(input.text().trim_end().to_owned()),
            Mode::Evidence(input) => {
                let entry = input.text().trim().to_owned();
                let Some(item) = self.item().cloned() else {
                    return Step::none();
                };
                if entry.is_empty() {
                    return Step::none();
                }
                if crate::evidence::names_a_file(&entry, ctx.restricted) {
                    return Step::effects(vec![Effect::AttachEvidence {
                        item: item.id.clone(),
                        path: entry,
                    }]);
                }
                if let Some(a) = self.draft.answers.get_mut(&item.id) {
                    a.evidence.push(entry.into());
                    a.carried = false;
                }
                Step::effects(vec![self.save()])
            }
            Mode::Jump(input) => {
                let target = input.text().trim().to_owned();
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
                        escape::line(&target)
                    )),
                }
            }
            mode @ (Mode::Normal | Mode::Action(_)) => {
                self.mode = mode;
                Step::none()
            }
        }
    }

    /// Stores the note of the current item, and goes on when the note was
    /// what held the walker there.
    fn keep_note(&mut self, text: String) -> Step {
        self.message = None;
        let Some(item) = self.item().cloned() else {
            return Step::none();
        };
        let mut settled = false;
        if let Some(a) = self.draft.answers.get_mut(&item.id) {
            a.note = text;
            a.carried = false;
            // A note written now is written for the choice made now; the
            // evidence and action were shown beside it when it was opened.
            settled = a.is_unsettled();
            a.keep_context();
        }
        if settled {
            self.before = None;
        }
        let mut effects = vec![self.save()];
        if self.note_missing(&item) {
            self.message = Some(required_note_message(&item, self.lang));
        } else if (settled
            || item.note_required_for.iter().any(|c| {
                self.draft
                    .answers
                    .get(&item.id)
                    .is_some_and(|a| &a.choice == c)
            }))
            && self.cursor + 1 < self.order.len()
        {
            effects.extend(self.go(self.cursor + 1));
            effects.push(self.save());
        }
        Step::effects(effects)
    }
}

/// The message shown when the note editor opens by itself for an answer
/// that needs a note: the editor is already open, so no key is named.
fn note_asked_message(item: &Item, lang: Lang) -> Notice {
    match lang {
        Lang::Ja => format!(
            "項目 {}: この回答にはメモが必要です。下の欄に書いて Enter で保存します",
            item.id
        ),
        Lang::En => format!(
            "Item {}: this answer needs a note: write it below, Enter saves.",
            item.id
        ),
    }
    .into()
}

/// The message shown while an answer still needs its note.
fn required_note_message(item: &Item, lang: Lang) -> Notice {
    match lang {
        Lang::Ja => format!("項目 {}: この回答にはメモが必要です (n で入力)", item.id),
        Lang::En => format!("Item {}: this answer needs a note (press n).", item.id),
    }
    .into()
}

/// The answers of `run` that still fit `template`: items it has, with a
/// choice of their scale.
fn fitting<'a>(
    template: &'a Inspection,
    run: &'a Run,
) -> impl Iterator<Item = (&'a Id, &'a Answer)> {
    run.answers.iter().filter(|(id, answer)| {
        template
            .item(id.as_str())
            .is_some_and(|item| template.choice(item, answer.choice.as_str()).is_some())
    })
}
