//! `App`: the whole state of the interface (a stack of screens over shared
//! data), and `update`, which turns messages into state changes and effects
//! without doing any I/O.
//!
//! Over 700 lines on purpose: `App::update` is the one place where every
//! message is handled, so that no screen does I/O; the screens themselves
//! are in `screen/`.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

use crate::clock::Clock;
use crate::load::Catalog;
use crate::model::{Draft, Id, Inspector, Lang, Run};
use crate::store::HistoryEntry;
use crate::tui::keymap::{self, Action, ScreenId};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::{Screen, dashboard::DashboardScreen, help, picker::PickerScreen};
use crate::tui::theme::Theme;
use crate::tui::widget;

/// The smallest terminal the layout is designed for: a small split of a
/// tmux window. Narrower screens use fewer columns and abbreviations.
pub const MIN_WIDTH: u16 = 60;
/// The smallest terminal height the layout is designed for (tmux takes
/// one row of the terminal for its status line).
pub const MIN_HEIGHT: u16 = 20;

/// Reads a run's whole file (notes, evidence) through the store, for the
/// screens that show them; runs are otherwise known in brief.
pub type FullReader = dyn Fn(&HistoryEntry) -> Option<Run> + Send + Sync;

/// The runs read whole so far, and how to read more.
#[derive(Clone, Default)]
pub struct FullRuns {
    reader: Option<std::sync::Arc<FullReader>>,
    cache: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Run>>>,
}

impl FullRuns {
    /// Reads runs whole with `reader`.
    pub fn new(reader: std::sync::Arc<FullReader>) -> Self {
        Self {
            reader: Some(reader),
            cache: std::sync::Arc::default(),
        }
    }
}

impl std::fmt::Debug for FullRuns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FullRuns")
    }
}

/// What the runtime reads from the repository for the app.
#[derive(Debug, Clone)]
pub struct Data {
    /// Settings, register, templates, profiles.
    pub catalog: Catalog,
    /// Every run with its score, oldest first; answers in brief only.
    pub history: Vec<HistoryEntry>,
    /// Runs read whole when a screen shows their notes (read lazily).
    pub full: FullRuns,
    /// The inspector's drafts.
    pub drafts: Vec<Draft>,
    /// What was being typed in a draft's open field when the session that
    /// had it open ended (the walker opens the field again on resume).
    pub typing: Vec<crate::store::Typing>,
    /// Where each run of `history` is, by run id (the last entry of an id
    /// repeated), worked out when a screen first asks for a run's
    /// template: the dashboard's first frame does not need it.
    pub run_at: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    /// Every risk assessment, oldest first.
    pub risks: Vec<crate::model::RiskAssessment>,
    /// The inspector's risk assessment draft, if one is in progress.
    pub risk_draft: Option<crate::model::RiskAssessment>,
    /// What was being typed in the risk editor's open field when the
    /// session that had it open ended (only with a risk draft).
    pub risk_typing: Option<crate::store::RiskTyping>,
    /// The register forms left open by a session that ended (the form
    /// opens with them again).
    pub register_typing: Vec<crate::store::RegisterTyping>,
    /// Where each subject is in `catalog.subjects`, by id: screens name a
    /// subject on every row, and a search of the register for each one
    /// made the dashboard quadratic in the number of suppliers.
    pub subject_at: std::collections::HashMap<Id, usize>,
}

/// Where each subject of `catalog`'s register is, by id (the first of a
/// repeated id, as [`crate::model::Subjects::get`] finds it).
pub fn subject_index(catalog: &Catalog) -> std::collections::HashMap<Id, usize> {
    let mut at = std::collections::HashMap::with_capacity(catalog.subjects.subjects.len());
    for (i, s) in catalog.subjects.subjects.iter().enumerate() {
        at.entry(s.id.clone()).or_insert(i);
    }
    at
}

impl Data {
    /// Returns the template `run` is scored against (the one it was taken
    /// with), or for a run not in the history the current one.
    pub fn template_of(&self, run: &Run) -> Option<&crate::model::Inspection> {
        let run_at = self.run_at.get_or_init(|| {
            let mut at = std::collections::HashMap::with_capacity(self.history.len());
            for (i, h) in self.history.iter().enumerate() {
                at.insert(h.run.id.clone(), i);
            }
            at
        });
        run_at
            .get(&run.id)
            .and_then(|&i| self.history.get(i))
            .map(|h| h.template.as_ref())
            .or_else(|| self.catalog.inspections.get(&run.inspection))
    }

    /// Returns `run` (a run of the history) as its file has it, notes and
    /// evidence included, reading it the first time it is asked for; one
    /// that cannot be read comes back with its answers in brief, and a run
    /// not in the history as it is given.
    ///
    /// The one read the screens make (through the store, like every other):
    /// a long history is known in brief, and only the run a screen shows
    /// with its notes is read whole.
    pub fn full_run(&self, run: &Run) -> Run {
        let Some(entry) = self.history.iter().find(|h| h.run.id == run.id) else {
            return run.clone();
        };
        let mut cache = self
            .full
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(full) = cache.get(&run.id) {
            return full.clone();
        }
        let full = self
            .full
            .reader
            .as_ref()
            .and_then(|read| read(entry))
            .unwrap_or_else(|| entry.brief_run());
        cache.insert(run.id.clone(), full.clone());
        full
    }

    /// Returns the runs of `subject` × `inspection` with their answers in
    /// brief (notes and evidence left out), oldest first, for trends.
    pub fn brief_runs_of(&self, subject: &Id, inspection: &Id) -> Vec<Run> {
        self.history
            .iter()
            .filter(|h| &h.run.subject == subject && &h.run.inspection == inspection)
            .map(HistoryEntry::brief_run)
            .collect()
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

    /// Returns the run `run` is compared with, by the one rule
    /// ([`crate::compare::previous_of`]); `run` need not be in the history
    /// (a run being finished).
    pub fn previous_of(&self, run: &Run) -> Option<&HistoryEntry> {
        let runs = self.runs_of(&run.subject, &run.inspection);
        let fiscal = self.catalog.config.fiscal_year_start;
        let previous = crate::compare::previous_of(&runs, run, fiscal)?;
        self.history.iter().find(|h| h.run.id == previous.id)
    }

    /// Returns the current template of `id` to start or resume a run with,
    /// or the notice refusing it: its file is broken (naming where and how
    /// to fix it), or there is no such template.
    pub fn usable_template(
        &self,
        id: &Id,
        lang: Lang,
    ) -> Result<&crate::model::Inspection, Notice> {
        if let Some(t) = self.catalog.inspections.get(id) {
            return Ok(t);
        }
        Err(match self.catalog.broken_inspection(id) {
            Some(b) => Notice {
                text: crate::escape::line(&b.refusal(lang)),
                hints: vec![crate::escape::line(&b.fix_hint(lang))],
            },
            None => Notice::from(format!(
                "{} `{id}`",
                lang.pick("未登録の点検です:", "unknown inspection")
            )),
        })
    }

    /// Returns the notice about broken templates and profiles shown when
    /// the interface opens: the first one's place and problem, one line per
    /// further file.
    pub fn broken_notice(&self, lang: Lang) -> Option<Notice> {
        let (first, rest) = self.catalog.broken.split_first()?;
        Some(Notice {
            text: crate::escape::line(&first.notice(lang)),
            hints: rest
                .iter()
                .map(|b| crate::escape::line(&b.notice(lang)))
                .collect(),
        })
    }

    /// Returns the name of a subject in `lang`, escaped, or its id.
    pub fn subject_name(&self, id: &Id, lang: Lang) -> String {
        self.subject(id)
            .map_or_else(|| id.to_string(), |s| crate::escape::line(s.name.get(lang)))
    }

    /// Returns the subject `id` of the register.
    pub fn subject(&self, id: &Id) -> Option<&crate::model::Subject> {
        let i = *self.subject_at.get(id)?;
        self.catalog
            .subjects
            .subjects
            .get(i)
            .filter(|s| &s.id == id)
    }

    /// Returns the title of an inspection in `lang`, escaped, or its id:
    /// from the current template, else (its file broken or gone) from the
    /// template its latest run answered.
    pub fn inspection_title(&self, id: &Id, lang: Lang) -> String {
        let recorded = || {
            self.history
                .iter()
                .rev()
                .find(|h| &h.run.inspection == id)
                .map(|h| h.template.as_ref())
        };
        self.catalog
            .judging_template(id)
            .or_else(recorded)
            .map_or_else(
                || id.to_string(),
                |i| crate::escape::line(i.title.get(lang)),
            )
    }
}

/// Works out the acting inspector's name and e-mail (from `tenken.ron`
/// and git's configuration).
type Resolve = dyn Fn() -> Inspector + Send + Sync;

/// The acting inspector: the id is known from the start (the header shows
/// it); the name and e-mail, which only a run, a risk or a commit records,
/// may be worked out when first needed, so that the first frame does not
/// wait for git's configuration (opening libgit2 loads the system's
/// certificates).
#[derive(Clone)]
pub struct Acting {
    /// The inspector's id.
    pub id: Id,
    whole: std::sync::Arc<std::sync::OnceLock<Inspector>>,
    resolve: Option<std::sync::Arc<Resolve>>,
}

impl Acting {
    /// An inspector known whole.
    pub fn known(inspector: Inspector) -> Self {
        Self {
            id: inspector.id.clone(),
            whole: std::sync::Arc::new(std::sync::OnceLock::from(inspector)),
            resolve: None,
        }
    }

    /// The inspector `id`, whose name and e-mail `resolve` works out the
    /// first time they are asked for (once per session).
    pub fn later(id: Id, resolve: impl Fn() -> Inspector + Send + Sync + 'static) -> Self {
        Self {
            id,
            whole: std::sync::Arc::new(std::sync::OnceLock::new()),
            resolve: Some(std::sync::Arc::new(resolve)),
        }
    }

    /// Returns the inspector with name and e-mail.
    pub fn inspector(&self) -> &Inspector {
        self.whole.get_or_init(|| match &self.resolve {
            Some(resolve) => resolve(),
            None => Inspector {
                id: self.id.clone(),
                name: String::new(),
                email: String::new(),
            },
        })
    }
}

impl From<Inspector> for Acting {
    fn from(inspector: Inspector) -> Self {
        Self::known(inspector)
    }
}

impl std::fmt::Debug for Acting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acting")
            .field("id", &self.id)
            .field("whole", &self.whole.get())
            .finish_non_exhaustive()
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
    pub inspector: Acting,
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

/// Where to go after a message.
#[derive(Debug)]
pub enum Nav {
    /// Open a screen on top of this one.
    Push(Box<dyn Screen>),
    /// Replace this screen.
    Replace(Box<dyn Screen>),
    /// Close this screen.
    Pop,
    /// Back to the dashboard.
    Home,
    /// Leave tenken.
    Quit,
}

impl Nav {
    /// Opens `screen` on top of this one.
    pub fn push(screen: impl Screen + 'static) -> Self {
        Self::Push(Box::new(screen))
    }

    /// Replaces this screen with `screen`.
    pub fn replace(screen: impl Screen + 'static) -> Self {
        Self::Replace(Box::new(screen))
    }
}

/// What a screen's `update` returns.
#[derive(Debug, Default)]
pub struct Step {
    /// Side effects to perform.
    pub effects: Vec<Effect>,
    /// Where to go, if anywhere.
    pub nav: Option<Nav>,
    /// A line for the status bar.
    pub notice: Option<Notice>,
}

impl Step {
    /// Nothing happens.
    pub fn none() -> Self {
        Self::default()
    }

    /// Only navigation.
    pub fn nav(nav: Nav) -> Self {
        Self {
            nav: Some(nav),
            ..Self::default()
        }
    }

    /// Only a line for the status bar.
    pub fn notice(notice: impl Into<Notice>) -> Self {
        Self {
            notice: Some(notice.into()),
            ..Self::default()
        }
    }

    /// Only effects.
    pub fn effects(effects: Vec<Effect>) -> Self {
        Self {
            effects,
            ..Self::default()
        }
    }
}

/// The `?` help while it is open.
#[derive(Debug, Clone, Copy, Default)]
struct HelpView {
    /// The page shown (the help pages when it does not fit).
    page: usize,
    /// How many pages the last drawing had.
    pages: usize,
}

/// The drafts this session holds a claim on (`store/claim.rs`), one for
/// each run draft an open screen edits, and those another session holds.
/// The runtime keeps it in step with the screens after every message.
#[derive(Debug, Default)]
pub struct Claims {
    /// Claims held, by (subject, inspection); dropping one releases it.
    pub(crate) held: std::collections::HashMap<(Id, Id), crate::store::DraftClaim>,
    /// Drafts refused to this session while their screens stay open (never
    /// claimed later: what those screens show may be out of date).
    pub(crate) refused: std::collections::HashSet<(Id, Id)>,
    /// The claim on the inspector's risk assessment draft, while the
    /// risk editor is open and this session has it.
    pub(crate) risk: Option<crate::store::DraftClaim>,
    /// The risk draft was refused to this session while the editor stays
    /// open.
    pub(crate) risk_refused: bool,
    /// Claims held on register forms, by the subject edited (`None`: the
    /// new subject's form).
    pub(crate) forms: std::collections::HashMap<Option<Id>, crate::store::DraftClaim>,
    /// Register forms refused to this session while they stay open.
    pub(crate) forms_refused: std::collections::HashSet<Option<Id>>,
}

impl Claims {
    /// Returns true when this session holds the claim on the draft of
    /// `subject` and `inspection`.
    pub fn holds(&self, subject: &Id, inspection: &Id) -> bool {
        self.held
            .contains_key(&(subject.clone(), inspection.clone()))
    }

    /// Returns true when this session holds the claim on the inspector's
    /// risk assessment draft.
    pub fn holds_risk(&self) -> bool {
        self.risk.is_some()
    }

    /// Returns true when this session holds the claim on the register form
    /// of `editing` (`None`: the new subject's).
    pub fn holds_form(&self, editing: Option<&Id>) -> bool {
        self.forms.contains_key(&editing.cloned())
    }
}

/// The whole interface state.
#[derive(Debug)]
pub struct App {
    /// The screens, dashboard at the bottom.
    stack: Vec<Box<dyn Screen>>,
    /// The help overlay, when it is open.
    help: Option<HelpView>,
    /// Quitting was asked for while a draft is open: the status line asks
    /// whether to quit all the same.
    asking_quit: bool,
    /// The drafts saved in this session and not yet committed or thrown
    /// away, each as "subject · inspection" (by subject and inspection id).
    open_drafts: std::collections::BTreeMap<(String, String), String>,
    /// Shared data and settings.
    pub ctx: Ctx,
    /// A line for the status bar, with the hints of the error it reports.
    pub status: Option<Notice>,
    /// Set once `Quit` was requested.
    pub quitting: bool,
    /// Set while the latest draft save failed, so the runtime retries on exit.
    pub unsaved: bool,
    /// The drafts this session has claimed or was refused.
    pub claims: Claims,
}

impl App {
    /// Opens the dashboard.
    pub fn new(ctx: Ctx) -> Self {
        let dashboard = DashboardScreen::new(&ctx);
        // A broken template or profile is named once, when tenken opens.
        let status = ctx.data.broken_notice(ctx.lang);
        Self {
            stack: vec![Box::new(dashboard)],
            help: None,
            asking_quit: false,
            open_drafts: std::collections::BTreeMap::new(),
            ctx,
            status,
            quitting: false,
            unsaved: false,
            claims: Claims::default(),
        }
    }

    /// Returns the (subject, inspection) of every run draft an open screen
    /// edits.
    pub fn drafts_on_screen(&self) -> Vec<(Id, Id)> {
        let mut open: Vec<(Id, Id)> = self
            .stack
            .iter()
            .filter_map(|s| s.draft())
            .map(|d| (d.subject.clone(), d.inspection.clone()))
            .collect();
        open.dedup();
        open
    }

    /// Returns true when a screen on the stack edits the risk draft.
    pub fn risk_draft_on_screen(&self) -> bool {
        self.stack.iter().any(|s| s.edits_risk_draft())
    }

    /// Tells every screen editing the risk draft that another session has
    /// it.
    pub fn risk_draft_refused(&mut self, refusal: &Notice) {
        // Said at once, over what opening the editor said.
        self.status = Some(refusal.clone());
        for screen in &mut self.stack {
            if screen.edits_risk_draft() {
                screen.draft_refused(refusal.clone());
            }
        }
    }

    /// Returns the register forms open on the stack, by the subject each
    /// edits (`None`: the new subject's).
    pub fn register_forms_on_screen(&self) -> Vec<Option<Id>> {
        let mut open: Vec<Option<Id>> = self
            .stack
            .iter()
            .filter_map(|s| s.register_form().map(Option::<&Id>::cloned))
            .collect();
        open.dedup();
        open
    }

    /// Tells the register form of `editing` that another session has it.
    pub fn register_form_refused(&mut self, editing: Option<&Id>, refusal: &Notice) {
        self.status = Some(refusal.clone());
        for screen in &mut self.stack {
            if screen.register_form() == Some(editing) {
                screen.draft_refused(refusal.clone());
            }
        }
    }

    /// Tells the register form of `editing` that this session holds it,
    /// with what the store keeps of it now.
    pub fn register_form_claimed(
        &mut self,
        editing: Option<&Id>,
        kept: Option<&crate::store::RegisterTyping>,
    ) {
        for screen in &mut self.stack {
            if screen.register_form() == Some(editing) {
                screen.register_form_claimed(kept, &self.ctx);
            }
        }
    }

    /// Tells every screen editing the draft of `subject` and `inspection`
    /// that another session has it.
    pub fn draft_refused(&mut self, subject: &Id, inspection: &Id, refusal: &Notice) {
        for screen in &mut self.stack {
            if screen
                .draft()
                .is_some_and(|d| &d.subject == subject && &d.inspection == inspection)
            {
                screen.draft_refused(refusal.clone());
            }
        }
    }

    /// Opens straight into a walker for `inspection` × `subject` (resuming
    /// its draft if there is one), above the dashboard.
    pub fn open_run(&mut self, inspection: &Id, subject: &Id) -> Result<(), Notice> {
        let mut picker = PickerScreen::preselected(&self.ctx, subject, inspection)?;
        // The picker decides between resume, carry-over and a fresh start.
        match picker.start(&self.ctx)? {
            Some(walker) => self.stack.push(walker),
            None => self.stack.push(Box::new(picker)),
        }
        Ok(())
    }

    /// Returns the active screen's id.
    pub fn screen_id(&self) -> ScreenId {
        self.stack.last().map_or(ScreenId::Dashboard, |s| s.id())
    }

    /// Returns the active screen.
    pub fn screen(&self) -> Option<&dyn Screen> {
        self.stack.last().map(AsRef::as_ref)
    }

    /// Returns the status line's sentence, if there is one.
    pub fn status_text(&self) -> Option<&str> {
        self.status.as_ref().map(|n| n.text.as_str())
    }

    /// Turns a key press into a message and applies it.
    ///
    /// The keys that work anywhere come first (Ctrl-C leaves keeping the
    /// draft, F1 opens the help, even while typing), then the open help
    /// or question, then the screen: its own keys (an open field, a
    /// template's choice keys), then its keymap.
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        match keymap::lookup(keymap::anywhere(), key) {
            Some(Action::Quit) => return self.leave(),
            Some(Action::Help) => {
                self.help = match self.help {
                    Some(_) => None,
                    None => Some(HelpView::default()),
                };
                return Vec::new();
            }
            _ => {}
        }
        if let Some(view) = &mut self.help {
            // Paging keys turn the pages; any other key closes the help,
            // and never does anything else.
            match keymap::lookup(keymap::help_overlay(), key) {
                Some(Action::PageDown) if view.page + 1 < view.pages => view.page += 1,
                Some(Action::PageUp) if view.page > 0 => view.page -= 1,
                _ => self.help = None,
            }
            return Vec::new();
        }
        if self.asking_quit {
            self.asking_quit = false;
            self.status = None;
            if keymap::lookup(keymap::quit_confirm(), key) == Some(Action::Yes) {
                return self.quit();
            }
            return Vec::new();
        }
        let Some(screen) = self.stack.last() else {
            return Vec::new();
        };
        if let Some(msg) = screen.key(key) {
            return self.update(msg);
        }
        match keymap::lookup(screen.keys(), key) {
            Some(action) => self.update(Msg::Action(action)),
            None => Vec::new(),
        }
    }

    /// Leaves tenken from whatever screen is open (Ctrl-C), saving the
    /// draft of the screen once more so that it is kept as it stands.
    fn leave(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Some(draft) = self
            .screen()
            .and_then(|s| s.draft())
            .filter(|d| !d.answers.is_empty())
            // Never a draft another session has open (read-only here).
            .filter(|d| self.claims.holds(&d.subject, &d.inspection))
            .cloned()
        {
            let what = format!(
                "{} · {}",
                self.ctx.data.subject_name(&draft.subject, self.ctx.lang),
                self.ctx
                    .data
                    .inspection_title(&draft.inspection, self.ctx.lang)
            );
            self.status = Some(
                format!(
                    "{} {what} ({} {})",
                    self.ctx.tr("下書きを保存しました:", "Draft kept:"),
                    draft.answers.len(),
                    self.ctx.tr("件回答済", "answered")
                )
                .into(),
            );
            effects.push(Effect::SaveDraft(draft));
        }
        effects.extend(self.quit());
        effects
    }

    fn quit(&mut self) -> Vec<Effect> {
        self.quitting = true;
        vec![Effect::Quit]
    }

    /// Quits, or first asks when a draft saved in this session is still
    /// open (it is kept either way; the question is so that nobody leaves
    /// a run half done without noticing).
    fn ask_quit(&mut self) -> Vec<Effect> {
        if self.open_drafts.is_empty() {
            return self.quit();
        }
        let names: Vec<&str> = self.open_drafts.values().map(String::as_str).collect();
        self.asking_quit = true;
        self.status = Some(
            format!(
                "{} {} {}",
                self.ctx.tr(
                    "このセッションの下書きが残っています (保存済み):",
                    "Drafts of this session are still open (they are saved):"
                ),
                names.join(", "),
                self.ctx.tr("— 終了しますか?", "— quit anyway?")
            )
            .into(),
        );
        Vec::new()
    }

    /// Keeps [`Self::open_drafts`] up to date from what `update` asked for.
    fn track(&mut self, effects: &[Effect]) {
        for effect in effects {
            match effect {
                Effect::SaveDraft(d) => {
                    let name = format!(
                        "{} · {}",
                        self.ctx.data.subject_name(&d.subject, self.ctx.lang),
                        self.ctx.data.inspection_title(&d.inspection, self.ctx.lang)
                    );
                    self.open_drafts
                        .insert(draft_key(&d.subject, &d.inspection), name);
                }
                Effect::DiscardDraft {
                    subject,
                    inspection,
                } => {
                    self.open_drafts.remove(&draft_key(subject, inspection));
                }
                Effect::SaveRiskDraft(_) => {
                    let name = self.ctx.tr("リスク評価", "risk assessment").to_owned();
                    self.open_drafts.insert(risk_key(), name);
                }
                Effect::DiscardRiskDraft => {
                    self.open_drafts.remove(&risk_key());
                }
                _ => {}
            }
        }
    }

    /// Hands pasted text to the screen; it only reaches an open text
    /// field, so a paste can never press keys.
    pub fn handle_paste(&mut self, text: String) -> Vec<Effect> {
        if self.help.is_some() || self.asking_quit {
            return Vec::new();
        }
        self.update(Msg::Paste(text))
    }

    /// Applies a message and returns the effects to perform.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let done = match &msg {
            Msg::RunCommitted(result) => result
                .as_ref()
                .as_ref()
                .ok()
                .map(|c| draft_key(&c.run.subject, &c.run.inspection)),
            Msg::RiskCommitted(result) if result.is_ok() => Some(risk_key()),
            _ => None,
        };
        let effects = self.dispatch(msg);
        if let Some(key) = done {
            self.open_drafts.remove(&key);
        }
        self.track(&effects);
        effects
    }

    fn dispatch(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Action(Action::Help) => {
                self.help = Some(HelpView::default());
                return Vec::new();
            }
            Msg::Action(Action::Quit) => return self.ask_quit(),
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
                    notice: Some(saved.into()),
                });
            }
            Msg::Reloaded(result) => {
                match *result {
                    Ok(data) => {
                        self.ctx.data = data;
                        for screen in &mut self.stack {
                            screen.reload(&self.ctx);
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
        if msg.is_from_user() {
            self.status = None;
        }
        let step = match self.stack.last_mut() {
            Some(screen) => screen.update(msg, &self.ctx),
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

    /// Draws the whole interface into `buf`.
    pub fn render(&mut self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            widget::too_small(area, buf, &self.ctx);
            return;
        }
        let Some(screen) = self.stack.last_mut() else {
            return;
        };
        let notice = self.status.as_ref().or_else(|| screen.status()).cloned();
        let [header, body, status, footer] = widget::frame_areas(area, notice.as_ref());
        widget::header(header, buf, &self.ctx, screen.title(&self.ctx));
        screen.render(body, buf, &self.ctx);
        widget::status_line(status, buf, &self.ctx, notice.as_ref());
        let keys = if self.asking_quit {
            keymap::quit_confirm()
        } else {
            screen.keys()
        };
        widget::footer(footer, buf, &self.ctx, keys);
        if let Some(view) = &mut self.help {
            let mut sections = screen.help();
            sections.push(keymap::Section::anywhere());
            view.pages = help::render(body, buf, &self.ctx, &sections, view.page);
            view.page = view.page.min(view.pages.saturating_sub(1));
        }
    }
}

/// The key of a run draft in [`App::open_drafts`].
fn draft_key(subject: &crate::model::Id, inspection: &crate::model::Id) -> (String, String) {
    (subject.to_string(), inspection.to_string())
}

/// The key of the risk assessment draft in [`App::open_drafts`] (no
/// subject id is empty).
fn risk_key() -> (String, String) {
    (String::new(), "risk".to_owned())
}
