//! `tenken demo`: build the demo repository, then open the dashboard on it.

use std::path::PathBuf;

use clap::Args;

use crate::cli::{Ctx, print};
use crate::demo;
use crate::error::{Error, Result};
use crate::model::{Id, Lang};
use crate::store::Store;
use crate::tui::{self, theme::Theme};

/// Build a demo repository with several quarters of history, then open it
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to build it (default: `tenken-demo` in the temporary directory;
    /// an earlier demo there is replaced)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Only build the repository; do not open the interface
    #[arg(long)]
    pub no_tui: bool,
}

/// Builds the demo and opens it.
pub fn cmd_demo(ctx: &Ctx, args: &DemoArgs) -> Result<()> {
    if ctx.global.restricted {
        return Err(Error::user(crate::msg::Message::new(
            "制限モードでは `demo` は使えません",
            "`demo` is not available in restricted mode",
        )));
    }
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("tenken-demo"));
    Store::remove_demo(&dir)?;
    let store = demo::build(&dir, ctx.clock)?;
    store.mark_demo()?;
    if args.no_tui {
        let lang = ctx.lang(store.catalog().map_or(Lang::default(), |c| c.config.lang));
        return print(&crate::msg::init::demo_built(
            lang,
            &dir.display().to_string(),
        ));
    }
    let mut inspector = ctx
        .inspector(Some(&store))
        .ok()
        .filter(|_| ctx.global.inspector.is_some());
    if inspector.is_none() {
        let sato = Id::new("sato").map_err(|e| Error::Internal(e.to_string()))?;
        inspector = Some(crate::model::Inspector {
            id: sato,
            name: "Sato Hanako".into(),
            email: "sato@sakura-design.example".into(),
        });
    }
    let inspector = inspector.ok_or_else(|| Error::Internal("no inspector".into()))?;
    // `demo` refuses restricted mode above, so it never runs restricted.
    let options = tui::Options {
        lang: ctx.global.lang,
        clock: ctx.clock,
        theme: Theme::from_env(),
        restricted: false,
    };
    let app = tui::build_app(&store, inspector, options)?;
    tui::run(&store, app)
}
