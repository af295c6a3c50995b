//! The interactive commands: the dashboard (no command) and `tenken run`.

use clap::Args;

use crate::cli::Ctx;
use crate::error::{Error, Result};
use crate::model::Id;
use crate::tui::{self, theme::Theme};

/// Open the checklist walker for one run
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The inspection to run, such as `ipa-self-check`
    pub inspection: Id,
    /// The subject inspected (default: `self`, the organisation)
    #[arg(long, value_name = "ID", default_value = "self")]
    pub subject: Id,
}

/// Opens the dashboard.
pub fn cmd_dashboard(ctx: &Ctx) -> Result<()> {
    let store = ctx.store()?;
    let inspector = ctx.inspector(Some(&store))?;
    let mut app = tui::build_app(
        &store,
        inspector,
        ctx.global.lang,
        ctx.clock,
        Theme::from_env(),
    )?;
    app.ctx.restricted = ctx.global.restricted;
    tui::run(&store, app)
}

/// Opens the walker for `args.inspection` × `args.subject` over the dashboard.
pub fn cmd_run(ctx: &Ctx, args: &RunArgs) -> Result<()> {
    let store = ctx.store()?;
    let (inspection, subject) = (&args.inspection, &args.subject);
    let inspector = ctx.inspector(Some(&store))?;
    let mut app = tui::build_app(
        &store,
        inspector,
        ctx.global.lang,
        ctx.clock,
        Theme::from_env(),
    )?;
    app.ctx.restricted = ctx.global.restricted;
    app.open_run(inspection, subject).map_err(Error::user)?;
    tui::run(&store, app)
}
