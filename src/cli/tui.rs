//! The interactive commands: the dashboard (no command) and `tenken run`.

use clap::Args;

use crate::cli::Ctx;
use crate::error::{Error, Result};
use crate::model::Id;
use crate::msg::Message;
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
    // The dashboard lists what is broken itself: no warning on stderr.
    let catalog = store.catalog()?;
    let inspector = ctx.acting_in(&store, &catalog)?;
    let app = tui::build_app_with(&store, catalog, inspector, options(ctx))?;
    tui::run(&store, app)
}

/// Opens the walker for `args.inspection` × `args.subject` over the dashboard.
pub fn cmd_run(ctx: &Ctx, args: &RunArgs) -> Result<()> {
    let store = ctx.store()?;
    let (inspection, subject) = (&args.inspection, &args.subject);
    // Typos and broken templates are answered here, before the screen
    // opens, with "did you mean" and where the problem is.
    let catalog = ctx.catalog(&store)?;
    let inspector = ctx.acting_in(&store, &catalog)?;
    super::lookup::template(&catalog, inspection, ctx.lang(catalog.config.lang))?;
    super::lookup::subject(&catalog, subject)?;
    let mut app = tui::build_app_with(&store, catalog, inspector, options(ctx))?;
    // What the walker refuses is said in the session's language, which is
    // the language errors are printed in (`--lang`, else the repository's).
    let said = |text: String| Message::new(text.clone(), text);
    app.open_run(inspection, subject).map_err(|n| Error::User {
        message: said(n.text),
        hints: n.hints.into_iter().map(said).collect(),
    })?;
    tui::run(&store, app)
}

/// Returns how the interface starts, from the global options.
fn options(ctx: &Ctx) -> tui::Options {
    tui::Options {
        lang: ctx.global.lang,
        clock: ctx.clock,
        theme: Theme::from_env(),
        restricted: ctx.global.restricted,
    }
}
