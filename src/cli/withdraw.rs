//! `tenken withdraw`: take a committed run out of the current record, with
//! a reason. The run's file is never touched; the withdrawal is a file of
//! its own (`withdrawals/<run id>.ron`), committed alone.

use clap::Args;
use serde::Serialize;

use crate::cli::{Ctx, Format, print, print_json};
use crate::error::Result;
use crate::escape;

/// Withdraw a committed run from the current record, with a reason
#[derive(Debug, Args)]
pub struct WithdrawArgs {
    /// The run to withdraw: its id, as `tenken history` lists it
    #[arg(value_name = "RUN_ID")]
    pub run: String,
    /// Why the run no longer counts; kept in the record
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// What `withdraw --format json` prints.
#[derive(Debug, Serialize)]
struct Withdrew<'a> {
    run: String,
    reason: String,
    by: &'a str,
    date: String,
    commit: &'a str,
    path: String,
}

/// Writes and commits the withdrawal; prints what was done.
pub fn cmd_withdraw(ctx: &Ctx, args: &WithdrawArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    let inspector = ctx.inspector(Some(&store))?;
    let done = store.withdraw_run(
        &catalog,
        args.run.trim(),
        &args.reason,
        &inspector,
        ctx.clock,
    )?;
    let w = &done.withdrawal;
    match args.format {
        Format::Json => print_json(&Withdrew {
            run: w.run.clone(),
            reason: w.reason.clone(),
            by: w.by.id.as_str(),
            date: w.date.to_rfc3339(),
            commit: &done.commit,
            path: done.path.display().to_string().replace('\\', "/"),
        }),
        Format::Text => print(&crate::msg::withdraw::withdrew(
            ctx.lang(catalog.config.lang),
            &escape::line(&w.run),
            &escape::line(&w.reason),
            &done.commit,
        )),
    }
}
