//! `App`: the whole state of the interface (a stack of screens over shared
//! data), and `update`, which turns messages into state changes and effects
//! without doing any I/O.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

use crate::clock::Clock;
use crate::load::Catalog;
use crate::model::{Draft, Id, Inspector, Lang, Run};
use crate::store::HistoryEntry;
use crate::tui::keymap::{self, Action, ScreenId};
use crate::tui::msg::{Effect, Msg};
use crate::tui::screen::{
    actions::ActionsScreen, risk_editor::RiskEditorScreen, risks::RisksScreen,
};
use crate::tui::screen::{
    compare::CompareScreen, dashboard::DashboardScreen, finish::FinishScreen, help,
    history::HistoryScreen, picker::PickerScreen, run_view::RunViewScreen, trend::TrendScreen,
    walker::WalkerScreen,
};
use crate::tui::screen::{
    subject_form::SubjectFormScreen, supplier::SupplierScreen, suppliers::SuppliersScreen,
};
use crate::tui::theme::Theme;
use crate::tui::widget;

/// The smallest terminal the layout is designed for.
pub const MIN_WIDTH: u16 = 80;
/// The smallest terminal height the layout is designed for.
pub const MIN_HEIGHT: u16 = 24;

/// What the runtime reads from the repository for the app.
#[derive(Debug, Clone)]
pub struct Data {
    /// Settings, register, templates, profiles.
    pub catalog: Catalog,
    /// Every run with its score, oldest first.
    pub history: Vec<HistoryEntry>,
    /// The inspector's drafts.
    pub drafts: Vec<Draft>,
    /// Every template version a run in `history` answered, by (id, version).
    pub templates: std::collections::BTreeMap<(Id, u32), crate::model::Inspection>,
    /// Every risk assessment, oldest first.
    pub risks: Vec<crate::model::RiskAssessment>,
    /// The inspector's risk assessment draft, if one is in progress.
    pub risk_draft: Option<crate::model::RiskAssessment>,
}

impl Data {
    /// Returns the template version `run` answered (the current one when
    /// an older version could not be found in git history).
    pub fn template_of(&self, run: &Run) -> Option<&crate::model::Inspection> {
        self.templates
            .get(&(run.inspection.clone(), run.inspection_version))
            .or_else(|| self.catalog.inspections.get(&run.inspection))
    }

    /// Returns the runs of `subject` × `inspection`, oldest first.
    pub fn runs_of(&self, subject: &Id, inspection: &Id) -> Vec<&Run> {
        self.history
            .iter()
            .filter(|h| &h.run.subject == subject && &h.run.inspection == inspection)
            .map(|h| &h.run)
            .collect()
    }

    /// Returns the latest finished run of `subject` × `inspection`.
    pub fn latest_run(&self, subject: &Id, inspection: &Id) -> Option<&HistoryEntry> {
        self.history
            .iter()
            .rev()
            .find(|h| &h.run.subject == subject && &h.run.inspection == inspection)
    }

    /// Returns the run before `run` of the same subject and inspection.
    pub fn previous_of(&self, run: &Run) -> Option<&HistoryEntry> {
        let pos = self.history.iter().position(|h| h.run.id == run.id)?;
        self.history[..pos]
            .iter()
            .rev()
            .find(|h| h.run.subject == run.subject && h.run.inspection == run.inspection)
    }

    /// Returns the name of a subject, escaped, or its id.
    pub fn subject_name(&self, id: &Id) -> String {
        self.catalog
            .subjects
            .get(id.as_str())
            .map_or_else(|| id.to_string(), |s| crate::model::escape_control(&s.name))
    }

    /// Returns the title of an inspection in `lang`, escaped, or its id.
    pub fn inspection_title(&self, id: &Id, lang: Lang) -> String {
        self.catalog.inspections.get(id).map_or_else(
            || id.to_string(),
            |i| crate::model::escape_control(i.title.get(lang)),
        )
    }
}

/// Everything the screens share.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// What was read from the repository.
    pub data: Data,
    /// The language shown.
    pub lang: Lang,
    /// The acting inspector.
    pub inspector: Inspector,
    /// The source of "now".
    pub clock: Clock,
    /// Colours.
    pub theme: Theme,
    /// Restricted mode: editing the register needs `edit_register`.
    pub restricted: bool,
}

impl Ctx {
    /// Picks the Japanese or English form of a fixed UI string.
    pub fn tr<'a>(&self, ja: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(ja, en)
    }
}

/// One screen of the stack.
#[derive(Debug)]
pub enum Screen {
    /// The dashboard.
    Dashboard(DashboardScreen),
    /// Choosing what to inspect.
    Picker(PickerScreen),
    /// Answering a checklist.
    Walker(Box<WalkerScreen>),
    /// Reviewing before the commit.
    Finish(Box<FinishScreen>),
    /// The history table.
    History(HistoryScreen),
    /// One run, read-only.
    RunView(RunViewScreen),
    /// Two runs compared.
    Compare(Box<CompareScreen>),
    /// Percent over periods.
    Trend(TrendScreen),
    /// The supplier review.
    Suppliers(SuppliersScreen),
    /// One supplier.
    Supplier(Box<SupplierScreen>),
    /// Corrective actions.
    Actions(ActionsScreen),
    /// The risk register.
    Risks(RisksScreen),
    /// Editing a new risk assessment.
    RiskEditor(Box<RiskEditorScreen>),
    /// Adding or editing a subject of the register.
    SubjectForm(Box<SubjectFormScreen>),
}

impl Screen {
    fn id(&self) -> ScreenId {
        match self {
            Self::Dashboard(_) => ScreenId::Dashboard,
            Self::Picker(_) => ScreenId::Picker,
            Self::Walker(_) => ScreenId::Walker,
            Self::Finish(_) => ScreenId::Finish,
            Self::History(_) => ScreenId::History,
            Self::RunView(_) => ScreenId::RunView,
            Self::Compare(_) => ScreenId::Compare,
            Self::Trend(_) => ScreenId::Trend,
            Self::Suppliers(_) => ScreenId::Suppliers,
            Self::Supplier(_) => ScreenId::Supplier,
            Self::Actions(_) => ScreenId::Actions,
            Self::Risks(_) => ScreenId::Risks,
            Self::RiskEditor(_) => ScreenId::RiskEditor,
            Self::SubjectForm(_) => ScreenId::SubjectForm,
        }
    }
}

/// Where to go after a message.
#[derive(Debug)]
pub enum Nav {
    /// Open a screen on top of this one.
    Push(Screen),
    /// Replace this screen.
    Replace(Screen),
    /// Close this screen.
    Pop,
    /// Back to the dashboard.
    Home,
    /// Leave tenken.
    Quit,
}

/// What a screen's `update` returns.
#[derive(Debug, Default)]
pub struct Step {
    /// Side effects to perform.
    pub effects: Vec<Effect>,
    /// Where to go, if anywhere.
    pub nav: Option<Nav>,
    /// A message for the status bar.
    pub notice: Option<String>,
}

impl Step {
    /// Nothing happens.
    pub fn none() -> Self {
        Self::default()
    }

    /// Only navigation.
    pub fn nav(nav: Nav) -> Self {
        Self {
            effects: Vec::new(),
            nav: Some(nav),
            notice: None,
        }
    }

    /// Only a message for the status bar.
    pub fn notice(message: impl Into<String>) -> Self {
        Self {
            effects: Vec::new(),
            nav: None,
            notice: Some(message.into()),
        }
    }

    /// Only effects.
    pub fn effects(effects: Vec<Effect>) -> Self {
        Self {
            effects,
            nav: None,
            notice: None,
        }
    }
}

/// The whole interface state.
#[derive(Debug)]
pub struct App {
    /// The screens, dashboard at the bottom.
    stack: Vec<Screen>,
    /// The help overlay is open.
    help: bool,
    /// Shared data and settings.
    pub ctx: Ctx,
    /// A one-line message for the status bar.
    pub status: Option<String>,
    /// Set once `Quit` was requested.
    pub quitting: bool,
    /// Set while the latest draft save failed, so the runtime retries on exit.
    pub unsaved: bool,
}

impl App {
    /// Opens the dashboard.
    pub fn new(ctx: Ctx) -> Self {
        let dashboard = DashboardScreen::new(&ctx);
        Self {
            stack: vec![Screen::Dashboard(dashboard)],
            help: false,
            ctx,
            status: None,
            quitting: false,
            unsaved: false,
        }
    }

    /// Opens straight into a walker for `inspection` × `subject` (resuming
    /// its draft if there is one), above the dashboard.
    pub fn open_run(&mut self, inspection: &Id, subject: &Id) -> Result<(), String> {
        let mut picker = PickerScreen::preselected(&self.ctx, subject, inspection)?;
        // The picker decides between resume, carry-over and a fresh start.
        match picker.start(&self.ctx)? {
            Some(walker) => self.stack.push(walker),
            None => self.stack.push(Screen::Picker(picker)),
        }
        Ok(())
    }

    /// Returns the active screen's id.
    pub fn screen_id(&self) -> ScreenId {
        self.stack.last().map_or(ScreenId::Dashboard, Screen::id)
    }

    /// Returns the active screen.
    pub fn screen(&self) -> Option<&Screen> {
        self.stack.last()
    }

    /// Returns true when the help overlay is open.
    pub fn help_open(&self) -> bool {
        self.help
    }

    /// Turns a key press into a message and applies it.
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        if self.help {
            // Any key closes the help; it never does anything else.
            self.help = false;
            return Vec::new();
        }
        let typing = match self.stack.last() {
            Some(Screen::Walker(w)) => w.is_typing(),
            Some(Screen::History(h)) => h.is_typing(),
            Some(Screen::Picker(p)) => p.is_prompting(),
            Some(Screen::RiskEditor(e)) => e.is_typing(),
            Some(Screen::SubjectForm(f)) => f.is_typing(),
            Some(Screen::Supplier(s)) => s.is_typing(),
            _ => false,
        };
        if typing {
            return self.update(Msg::Input(key));
        }
        if let Some(Screen::RiskEditor(e)) = self.stack.last() {
            // The digit is the value: it cannot travel inside `Action`.
            if let Some(value) = e.value_for_key(key) {
                return self.update(Msg::SetValue(value));
            }
        }
        if let Some(Screen::Walker(w)) = self.stack.last()
            && let Some(choice) = w.choice_for_key(key)
        {
            return self.update(Msg::Choose(choice));
        }
        match keymap::lookup(self.screen_id(), key) {
            Some(action) => self.update(Msg::Action(action)),
            None => Vec::new(),
        }
    }

    /// Applies a message and returns the effects to perform.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Action(Action::Help) => {
                self.help = true;
                return Vec::new();
            }
            Msg::Action(Action::Quit) if self.screen_id() != ScreenId::Walker => {
                self.quitting = true;
                return vec![Effect::Quit];
            }
            Msg::DraftSaved(ref result) => self.unsaved = result.is_err(),
            Msg::SubjectsSaved(Err(e)) if self.screen_id() != ScreenId::SubjectForm => {
                self.status = Some(e);
                return Vec::new();
            }
            Msg::SubjectsSaved(Ok(message)) => {
                // Every screen shows the register: start over from fresh data.
                let saved = format!("{} {message}", self.ctx.tr("保存しました:", "Saved"));
                return self.apply(Step {
                    effects: Vec::new(),
                    nav: Some(Nav::Home),
                    notice: Some(saved),
                });
            }
            Msg::Reloaded(result) => {
                match *result {
                    Ok(data) => {
                        self.ctx.data = data;
                        if let Some(Screen::Dashboard(d)) = self.stack.first_mut() {
                            *d = DashboardScreen::new(&self.ctx);
                        }
                        for screen in &mut self.stack {
                            match screen {
                                Screen::Actions(s) => s.refresh(&self.ctx),
                                Screen::Risks(s) => s.refresh(&self.ctx),
                                _ => {}
                            }
                        }
                    }
                    Err(e) => self.status = Some(e),
                }
                return Vec::new();
            }
            _ => {}
        }
        // Only the inspector's own keys clear the status line; the result of
        // an effect (a draft saved) must not wipe the notice it follows.
        if matches!(
            msg,
            Msg::Action(_) | Msg::Choose(_) | Msg::Input(_) | Msg::SetValue(_)
        ) {
            self.status = None;
        }
        let ctx = &self.ctx;
        let step = match self.stack.last_mut() {
            Some(Screen::Dashboard(s)) => s.update(msg, ctx),
            Some(Screen::Picker(s)) => s.update(msg, ctx),
            Some(Screen::Walker(s)) => s.update(msg, ctx),
            Some(Screen::Finish(s)) => s.update(msg, ctx),
            Some(Screen::History(s)) => s.update(msg, ctx),
            Some(Screen::RunView(s)) => s.update(msg, ctx),
            Some(Screen::Compare(s)) => s.update(msg, ctx),
            Some(Screen::Trend(s)) => s.update(msg, ctx),
            Some(Screen::Suppliers(s)) => s.update(msg, ctx),
            Some(Screen::Supplier(s)) => s.update(msg, ctx),
            Some(Screen::Actions(s)) => s.update(msg, ctx),
            Some(Screen::Risks(s)) => s.update(msg, ctx),
            Some(Screen::RiskEditor(s)) => s.update(msg, ctx),
            Some(Screen::SubjectForm(s)) => s.update(msg, ctx),
            None => Step::none(),
        };
        self.apply(step)
    }

    fn apply(&mut self, step: Step) -> Vec<Effect> {
        let mut effects = step.effects;
        match step.nav {
            Some(Nav::Push(screen)) => self.stack.push(screen),
            Some(Nav::Replace(screen)) => {
                self.stack.pop();
                self.stack.push(screen);
            }
            // The dashboard at the bottom never closes.
            Some(Nav::Pop) if self.stack.len() > 1 => {
                self.stack.pop();
            }
            None | Some(Nav::Pop) => {}
            Some(Nav::Home) => {
                self.stack.truncate(1);
                effects.push(Effect::Reload);
            }
            Some(Nav::Quit) => {
                self.quitting = true;
                effects.push(Effect::Quit);
            }
        }
        if step.notice.is_some() {
            self.status = step.notice;
        }
        effects
    }

    /// Leaves a message on the dashboard's status bar.
    pub fn notify(&mut self, message: String) {
        self.status = Some(message);
    }

    /// Draws the whole interface into `buf`.
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            widget::too_small(area, buf, &self.ctx);
            return;
        }
        let [header, body, status, footer] = widget::frame_areas(area);
        widget::header(header, buf, &self.ctx, self.title());
        match self.stack.last() {
            Some(Screen::Dashboard(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::Picker(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::Walker(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::Finish(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::History(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::RunView(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::Compare(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::Trend(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::Suppliers(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::Supplier(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::Actions(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::Risks(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::RiskEditor(s)) => s.render(body, buf, &self.ctx),
            Some(Screen::SubjectForm(s)) => s.render(body, buf, &self.ctx),
            None => {}
        }
        let screen_status = match self.stack.last() {
            Some(Screen::Walker(s)) => s.status(),
            Some(Screen::Finish(s)) => s.status(),
            Some(Screen::RiskEditor(s)) => s.status(),
            Some(Screen::Supplier(s)) => s.status(),
            _ => None,
        };
        widget::status_line(
            status,
            buf,
            &self.ctx,
            self.status.as_deref().or(screen_status),
        );
        widget::footer(footer, buf, &self.ctx, self.screen_id());
        if self.help {
            help::render(body, buf, &self.ctx, self.screen_id());
        }
    }

    fn title(&self) -> String {
        let ctx = &self.ctx;
        match self.stack.last() {
            Some(Screen::Dashboard(_)) | None => ctx.tr("ダッシュボード", "Dashboard").to_owned(),
            Some(Screen::Picker(_)) => ctx.tr("新しい点検", "New inspection").to_owned(),
            Some(Screen::Walker(w)) => w.title(ctx),
            Some(Screen::Finish(_)) => ctx.tr("完了確認", "Finish").to_owned(),
            Some(Screen::History(_)) => ctx.tr("履歴", "History").to_owned(),
            Some(Screen::RunView(_)) => ctx.tr("点検結果", "Run").to_owned(),
            Some(Screen::Compare(s)) => s.title(ctx),
            Some(Screen::Trend(s)) => s.title(ctx),
            Some(Screen::Suppliers(_)) => ctx.tr("委託先レビュー", "Suppliers").to_owned(),
            Some(Screen::Supplier(s)) => s.title(ctx),
            Some(Screen::Actions(_)) => ctx.tr("是正処置", "Corrective actions").to_owned(),
            Some(Screen::Risks(_)) => ctx.tr("リスク台帳", "Risk register").to_owned(),
            Some(Screen::RiskEditor(_)) => {
                ctx.tr("リスク評価の編集", "New risk assessment").to_owned()
            }
            Some(Screen::SubjectForm(s)) => s.title(ctx),
        }
    }
}
