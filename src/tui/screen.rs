//! The [`Screen`] trait every screen implements, one module per screen
//! (its state, its `update` and its view), and the two ways into a
//! comparison or a trend that several screens share.

pub mod actions;
pub mod compare;
pub mod dashboard;
pub mod finish;
pub mod help;
pub mod history;
pub mod picker;
pub mod risk_editor;
pub mod risks;
pub mod run_view;
pub mod subject_form;
pub mod supplier;
pub mod suppliers;
pub mod trend;
pub mod walker;

use std::fmt::Debug;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::model::{Draft, Id, Run};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{self, Binding, ScreenId, Section};
use crate::tui::msg::{Msg, Notice};

/// One screen of the interface: how it answers messages, how it draws, and
/// what the header, status line and footer say about it. `App` keeps a
/// stack of them and talks to the top one only through this trait.
pub trait Screen: Debug {
    /// Returns which screen this is (the keymap and the tests name it).
    fn id(&self) -> ScreenId;

    /// Returns the title the header shows.
    fn title(&self, ctx: &Ctx) -> String;

    /// Handles a message and says what follows; never performs I/O.
    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step;

    /// Draws the screen into `area`. Takes `&mut self` for view state only
    /// (scroll offsets kept between frames); the model does not change.
    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx);

    /// Returns the screen's own line for the status bar (a question, a
    /// refusal), shown when the app has none of its own.
    fn status(&self) -> Option<&Notice> {
        None
    }

    /// Returns the bindings in force now: the footer shows them and keys
    /// are looked up in them. A screen whose field is open returns the
    /// field's editing keys.
    fn keys(&self) -> &'static [Binding] {
        keymap::bindings(self.id())
    }

    /// Returns what the `?` help lists now: the keys in force, and for a
    /// form the editing keys of its fields too.
    fn help(&self) -> Vec<Section> {
        vec![Section::keys(self.keys())]
    }

    /// Turns a key into a message before the keymap is asked: every key
    /// while a text field or a yes/no question is open, and keys that are
    /// data (a template's choice keys, the risk editor's digits).
    fn key(&self, _key: KeyEvent) -> Option<Msg> {
        None
    }

    /// Takes the data read again from the repository.
    fn reload(&mut self, _ctx: &Ctx) {}

    /// Returns the run draft this screen edits, if it edits one. The
    /// runtime claims it for this session while the screen is open.
    fn draft(&self) -> Option<&Draft> {
        None
    }

    /// Hears that the draft this screen edits is open in another session
    /// (`refusal` says which, for the status line): the screen shows it
    /// and changes nothing.
    fn draft_refused(&mut self, _refusal: Notice) {}

    /// Returns true when the screen edits the inspector's risk assessment
    /// draft (the session claims it while such a screen is open, and
    /// tells the screen through [`Screen::draft_refused`] when another
    /// session has it).
    fn edits_risk_draft(&self) -> bool {
        false
    }

    /// Returns the register form this screen is, by the subject it edits
    /// (`Some(None)` for the new subject's). The runtime claims it for
    /// this session while the screen is open, and tells the screen through
    /// [`Screen::draft_refused`] when another session has it.
    fn register_form(&self) -> Option<Option<&Id>> {
        None
    }

    /// Hears that this session holds the claim on its register form, with
    /// what the store keeps of the form now (a session that ended after
    /// this one started may have left it).
    fn register_form_claimed(&mut self, _kept: Option<&crate::store::RegisterTyping>, _ctx: &Ctx) {}
}

/// Opens the comparison of a run with its previous one, by the one rule
/// ([`crate::compare::previous_of`]: the latest run finished before the
/// start of the run's fiscal quarter).
pub(crate) fn compare_with_previous(ctx: &Ctx, run: &Run) -> Step {
    if let Some(from) = ctx.data.previous_of(run) {
        return match compare::CompareScreen::new(ctx, &from.run, run) {
            Ok(screen) => Step::nav(Nav::push(screen)),
            Err(e) => Step::notice(e),
        };
    }
    let fiscal = ctx.data.catalog.config.fiscal_year_start;
    let quarter = crate::period::Period::fiscal_quarter_of(run.date(), fiscal);
    Step::notice(format!(
        "{quarter} {}",
        ctx.tr(
            "より前の点検がないため、比較できません。",
            "is this run's quarter; no run before it to compare with.",
        )
    ))
}

/// Opens the trend of a run's subject × inspection.
pub(crate) fn trend_of(ctx: &Ctx, run: &Run) -> Step {
    Step::nav(Nav::push(trend::TrendScreen::new(
        ctx,
        &run.subject,
        &run.inspection,
    )))
}
