//! `tenken check`: validate every file of the repository at once.

use clap::Args;
use serde::Serialize;

use crate::cli::{Ctx, Format, print, print_json};
use crate::error::{Error, Result};
use crate::model::Lang;
use crate::msg::{self, Message};

/// Validate every file in the repository; exit 3 if anything is invalid
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// One problem as `check --format json` prints it.
#[derive(Debug, Serialize)]
struct Problem {
    path: String,
    line: usize,
    col: usize,
    message: String,
}

/// Lists every problem; an `Invalid` error (exit 3) if there are any.
///
/// Text goes to stderr as `path:line:column: message` lines; JSON goes to
/// stdout as `[{"path", "line", "col", "message"}]` (empty when all is well).
pub fn cmd_check(ctx: &Ctx, args: &CheckArgs) -> Result<()> {
    let store = ctx.store()?;
    let diags = store.check(ctx.clock.now());
    match args.format {
        Format::Text if diags.is_empty() => {
            let lang = ctx.lang(store.catalog().map_or(Lang::default(), |c| c.config.lang));
            print(msg::check::ALL_VALID.get(lang))
        }
        Format::Text => Err(Error::Invalid(diags)),
        Format::Json => {
            let problems: Vec<Problem> = diags
                .iter()
                .map(|d| Problem {
                    path: d.path.to_string_lossy().replace('\\', "/"),
                    line: d.line,
                    col: d.col,
                    message: d.message.to_string(),
                })
                .collect();
            print_json(&problems)?;
            match problems.len() {
                0 => Ok(()),
                n => Err(Error::Verification(Message::of(|lang| {
                    msg::check::problems_found(lang, n)
                }))),
            }
        }
    }
}
