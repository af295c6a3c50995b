//! The command line: global flags, the command enum, and dispatch to one
//! module per command (`cli/<verb>.rs`).

mod check;
mod compare;
mod demo;
mod history;
mod init;
mod record;
mod sync;
mod trend;
mod tui;
mod verify;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::model::{Id, Inspector, Lang};
use crate::store::{Identity, Store};

/// tenken (点検): periodic inspection checklists in the terminal, history in git.
#[derive(Debug, Parser)]
#[command(name = "tenken", version, about, long_about = None)]
pub struct Cli {
    /// Flags that apply to every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do; without a command tenken opens the dashboard.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags that apply to every command.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Use the repository in DIR instead of searching upwards from here
    #[arg(long, global = true, env = "TENKEN_REPO", value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// Act as inspector ID (default: `TENKEN_INSPECTOR`, then git's user)
    // Parsed as an `Id`, so a bad id is refused before any command runs.
    #[arg(long, global = true, env = "TENKEN_INSPECTOR", value_name = "ID")]
    pub inspector: Option<Id>,
    /// Language of everything shown (default: the repository's setting)
    #[arg(long, global = true, value_enum, env = "TENKEN_LANG")]
    pub lang: Option<Lang>,
    /// Restricted mode for SSH forced commands: fixed repo and identity, no external programs
    #[arg(long, global = true, env = "TENKEN_RESTRICTED", value_parser = clap::builder::BoolishValueParser::new(), default_value_t = false, action = clap::ArgAction::SetTrue)]
    pub restricted: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new inspection repository
    Init(init::InitArgs),
    /// Open the checklist walker for one run
    Run(tui::RunArgs),
    /// Build a demo repository with several quarters of history, then open it
    Demo(demo::DemoArgs),
    /// Validate every file in the repository; exit 3 if anything is invalid
    Check(check::CheckArgs),
    /// Record and commit a finished run from a file of answers
    Record(record::RecordArgs),
    /// List finished runs, oldest first
    History(history::HistoryArgs),
    /// Compare two runs item by item
    Compare(compare::CompareArgs),
    /// Show the score per period, with deltas and the items that regress most often
    Trend(trend::TrendArgs),
    /// Check the history's integrity; exit 3 on a problem
    Verify(verify::VerifyArgs),
    /// Fetch, merge and push the shared remote
    Sync(sync::SyncArgs),
}

/// Output format of read commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Human-readable text.
    #[default]
    Text,
    /// JSON, in the shapes of DESIGN §7.
    Json,
}

/// What every command gets: the global flags and the clock.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The global flags.
    pub global: GlobalArgs,
    /// The source of "now".
    pub clock: Clock,
}

impl Ctx {
    /// Opens the repository named by `--repo`/`TENKEN_REPO`, or the one
    /// containing the current directory.
    pub fn store(&self) -> Result<Store> {
        if let Some(dir) = &self.global.repo {
            return Store::open(dir);
        }
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        Store::discover(&cwd)
    }

    /// Returns the language to show: `--lang`, else the repository's.
    pub fn lang(&self, repo_default: Lang) -> Lang {
        self.global.lang.unwrap_or(repo_default)
    }

    /// Returns the acting inspector: `--inspector`/`TENKEN_INSPECTOR`, else
    /// derived from git's `user.email`/`user.name`.
    pub fn inspector(&self, store: Option<&Store>) -> Result<Inspector> {
        let git = Identity::from_git_config(store.map(Store::root));
        let id = if let Some(id) = &self.global.inspector {
            id.clone()
        } else {
            let Some(git) = &git else {
                return Err(Error::user_hint(
                    "no inspector identity: pass `--inspector ID`, set `TENKEN_INSPECTOR`, or set git's `user.name`",
                    "for example `tenken --inspector sato`",
                ));
            };
            derive_id(git).ok_or_else(|| {
                Error::user_hint(
                    format!("cannot derive an inspector id from git user `{}`", git.name),
                    "pass `--inspector ID` (lower-case letters, digits, `.`, `_`, `-`)",
                )
            })?
        };
        let configured = store
            .and_then(|s| s.catalog().ok())
            .and_then(|c| c.config.inspectors.get(&id).cloned())
            .unwrap_or_default();
        // git's user is only trusted for a matching id: on a shared server
        // it belongs to the account, not to the inspector at the keyboard.
        let git = git.filter(|g| derive_id(g).as_ref() == Some(&id));
        let name = if configured.name.is_empty() {
            git.as_ref().map(|g| g.name.clone()).unwrap_or_default()
        } else {
            configured.name
        };
        let email = if configured.email.is_empty() {
            git.map(|g| g.email).unwrap_or_default()
        } else {
            configured.email
        };
        Ok(Inspector { id, name, email })
    }
}

/// Derives an id from a git identity: the e-mail's local part, else the name.
fn derive_id(git: &Identity) -> Option<Id> {
    let local = git.email.split('@').next().unwrap_or_default();
    [local, git.name.as_str()].into_iter().find_map(|raw| {
        let s: String = raw
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| if c.is_whitespace() { '-' } else { c })
            .collect();
        Id::new(&s).ok()
    })
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let ctx = Ctx {
        global: cli.global,
        clock: Clock::from_env()?,
    };
    match &cli.command {
        Some(Command::Init(args)) => init::cmd_init(&ctx, args),
        Some(Command::Run(args)) => tui::cmd_run(&ctx, args),
        Some(Command::Demo(args)) => demo::cmd_demo(&ctx, args),
        Some(Command::Check(args)) => check::cmd_check(&ctx, args),
        Some(Command::Record(args)) => record::cmd_record(&ctx, args),
        Some(Command::History(args)) => history::cmd_history(&ctx, args),
        Some(Command::Compare(args)) => compare::cmd_compare(&ctx, args),
        Some(Command::Trend(args)) => trend::cmd_trend(&ctx, args),
        Some(Command::Verify(args)) => verify::cmd_verify(&ctx, args),
        Some(Command::Sync(args)) => sync::cmd_sync(&ctx, args),
        None => tui::cmd_dashboard(&ctx),
    }
}

/// Writes `text` to stdout; a closed pipe is not an error.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("stdout", e)),
        _ => Ok(()),
    }
}

/// Writes a value as pretty JSON to stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let mut text =
        serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    text.push('\n');
    print(&text)
}
