//! `tenken init`: create a new inspection repository.

use std::path::PathBuf;

use clap::Args;

use crate::bundle;
use crate::cli::{Ctx, print};
use crate::error::{Error, Result};
use crate::model::{Id, Lang};
use crate::msg;
use crate::store::{Identity, InitOptions, Store};

/// Create a new inspection repository
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create it (default: the current directory)
    pub dir: Option<PathBuf>,
    /// The organisation's name
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// The profile to activate
    #[arg(long, value_name = "ID", default_value = bundle::DEFAULT_PROFILE)]
    pub profile: Id,
    /// The month the fiscal year starts in (1-12)
    #[arg(long, value_name = "MONTH", default_value_t = 4, value_parser = super::usage::month)]
    pub fiscal_year_start: u32,
    /// Add tenken's files to the git repository already in the directory, in one commit on top of its history
    #[arg(long)]
    pub existing_git: bool,
}

/// Creates the repository and makes the initial commit.
pub fn cmd_init(ctx: &Ctx, args: &InitArgs) -> Result<()> {
    let dir = match (&args.dir, &ctx.global.repo) {
        (Some(d), _) | (None, Some(d)) => d.clone(),
        (None, None) => std::env::current_dir().map_err(|e| Error::io(".", e))?,
    };
    // An existing tenken repository is refused by `Store::init` itself.
    let existing =
        Store::existing_git_history(&dir).filter(|_| !dir.join(crate::store::CONFIG_FILE).exists());
    if let (Some((count, latest)), false) = (&existing, args.existing_git) {
        return Err(Error::user_hint(
            msg::init::already_git(
                &dir.display().to_string(),
                *count,
                &crate::escape::line(latest),
            ),
            msg::init::already_git_hint(),
        ));
    }
    let profile = args.profile.clone();
    let lang = ctx.global.lang.unwrap_or(Lang::Ja);
    let organisation = args.org.clone().unwrap_or_else(|| {
        dir.canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "My organisation".to_owned())
    });
    // The initial commit needs an author but no inspector: without one,
    // git's user or a placeholder will do.
    let inspector = ctx.inspector(None).ok();
    let identity = inspector
        .as_ref()
        .map(Identity::from_inspector)
        .or_else(|| Identity::from_git_config(None))
        .unwrap_or_else(|| Identity {
            name: "tenken".into(),
            email: "tenken@tenken.invalid".into(),
        });
    let opts = InitOptions {
        organisation: organisation.into(),
        profile,
        fiscal_year_start: args.fiscal_year_start,
        lang,
    };
    let store = Store::init(&dir, &opts, &identity, ctx.clock)?;
    if let Some((count, _)) = existing {
        print(&msg::init::added_to_existing(lang, count))?;
    }
    print(&msg::init::created(
        lang,
        &crate::escape::line(opts.organisation.get(lang)),
        &store.root().display().to_string(),
    ))
}
