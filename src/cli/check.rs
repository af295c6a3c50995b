//! `tenken check`: validate every file of the repository at once.

use clap::Args;

use crate::cli::{Ctx, print};
use crate::error::{Error, Result};

/// Validate every file in the repository; exit 3 if anything is invalid
#[derive(Debug, Args)]
pub struct CheckArgs {}

/// Lists every problem; an `Invalid` error (exit 3) if there are any.
pub fn cmd_check(ctx: &Ctx, _args: &CheckArgs) -> Result<()> {
    let store = ctx.store()?;
    let diags = store.check();
    if diags.is_empty() {
        return print("All files are valid.\n");
    }
    Err(Error::Invalid(diags))
}
