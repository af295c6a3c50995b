//! The command line: global flags, the command enum, and dispatch to one
//! module per command (`cli/<verb>.rs`).

mod actions;
mod ascii;
mod check;
mod compare;
mod demo;
mod due;
mod evidence;
mod handbook;
mod help;
mod history;
mod init;
mod lookup;
mod path;
mod record;
mod report;
mod risks;
mod roles;
mod subjects;
mod suppliers;
mod sync;
mod table;
mod text_out;
mod trend;
mod tui;
mod usage;
mod verify;
mod withdraw;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::load::Catalog;
use crate::model::{Id, Inspector, Lang};
use crate::store::{Identity, Store};

pub use self::text_out::TextOut;

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
    #[arg(
        long,
        global = true,
        env = "TENKEN_REPO",
        hide_env_values = true,
        value_name = "DIR"
    )]
    pub repo: Option<PathBuf>,
    /// Act as inspector ID (default: `TENKEN_INSPECTOR`, then git's user)
    // Parsed as an `Id`, so a bad id is refused before any command runs.
    #[arg(
        long,
        global = true,
        env = "TENKEN_INSPECTOR",
        hide_env_values = true,
        value_name = "ID"
    )]
    pub inspector: Option<Id>,
    /// Language of everything shown (default: the repository's setting)
    #[arg(
        long,
        global = true,
        value_enum,
        env = "TENKEN_LANG",
        hide_env_values = true
    )]
    pub lang: Option<Lang>,
    /// Restricted mode for SSH forced commands: fixed repo and identity, no external programs
    #[arg(long, global = true, env = "TENKEN_RESTRICTED", hide_env_values = true, value_parser = clap::builder::BoolishValueParser::new(), default_value_t = false, action = clap::ArgAction::SetTrue)]
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
    /// List the subject register, or add, edit or retire a subject
    Subjects(subjects::SubjectsArgs),
    /// List the management structure (roles, holders, committee), or change it
    Roles(roles::RolesArgs),
    /// Review suppliers: latest check, change, band, open actions and next due date
    Suppliers(suppliers::SuppliersArgs),
    /// Show what the active profiles say is due or overdue, soonest first
    Due(due::DueArgs),
    /// Show where the organisation stands on the guideline's four steps, and what to do next
    Path(path::PathArgs),
    /// List corrective actions, overdue first, then by due date
    Actions(actions::ActionsArgs),
    /// Show the risk register of the latest assessment, or compare two
    Risks(risks::RisksArgs),
    /// Write a report (Markdown, HTML, CSV, JSON or OSCAL) of a run or of every subject
    Report(report::ReportArgs),
    /// Write the company's staff handbook from its latest self-check, roles and actions
    Handbook(handbook::HandbookArgs),
    /// Check the history's integrity; exit 3 on a problem
    Verify(verify::VerifyArgs),
    /// Withdraw a committed run from the current record, with a reason
    Withdraw(withdraw::WithdrawArgs),
    /// Attach evidence files to answers
    Evidence(evidence::EvidenceArgs),
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
    ///
    /// A commit that a crashed process left half done is settled first (see
    /// `Store::recover`), best effort: a command that only reads still
    /// works when that cannot be done now, and the next commit retries.
    pub fn store(&self) -> Result<Store> {
        let store = if let Some(dir) = &self.global.repo {
            Store::open(dir)?
        } else {
            let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
            Store::discover(&cwd)?
        };
        let _ = store.recover();
        Ok(store.confined(self.global.restricted))
    }

    /// Loads the repository's catalog and warns on stderr, once per broken
    /// template or profile, that it is left out (see [`Catalog`]).
    pub fn catalog(&self, store: &Store) -> Result<Catalog> {
        let catalog = store.catalog()?;
        warn_broken(&catalog, self.lang(catalog.config.lang));
        Ok(catalog)
    }

    /// Returns the language to show: `--lang`, else the repository's.
    pub fn lang(&self, repo_default: Lang) -> Lang {
        self.global.lang.unwrap_or(repo_default)
    }

    /// Returns the acting inspector: `--inspector`/`TENKEN_INSPECTOR`, else
    /// derived from git's `user.email`/`user.name`.
    ///
    /// In restricted mode git's configuration is not read at all: the
    /// account's git user says nothing about who connected.
    pub fn inspector(&self, store: Option<&Store>) -> Result<Inspector> {
        self.inspector_configured(store.map(Store::root), |id| {
            store
                .and_then(|s| s.catalog().ok())
                .and_then(|c| c.config.inspectors.get(id).cloned())
        })
    }

    /// [`Ctx::inspector`] with the repository's catalog at hand (not loaded
    /// a second time).
    pub fn inspector_in(&self, store: &Store, catalog: &Catalog) -> Result<Inspector> {
        self.inspector_configured(Some(store.root()), |id| {
            catalog.config.inspectors.get(id).cloned()
        })
    }

    /// The inspector from the command line or git's user, with the name
    /// and e-mail `configured` gives for an id in `tenken.ron`.
    fn inspector_configured(
        &self,
        root: Option<&std::path::Path>,
        configured: impl FnOnce(&Id) -> Option<crate::model::Permissions>,
    ) -> Result<Inspector> {
        let git = if self.global.restricted {
            None
        } else {
            Identity::from_git_config(root)
        };
        let id = if let Some(id) = &self.global.inspector {
            id.clone()
        } else {
            let Some(git) = &git else {
                return Err(Error::user_hint(
                    crate::msg::errors::no_inspector(),
                    crate::msg::errors::no_inspector_hint(),
                ));
            };
            derive_id(git).ok_or_else(|| {
                Error::user_hint(
                    crate::msg::errors::cannot_derive_inspector(&crate::escape::line(&git.name)),
                    crate::msg::errors::inspector_id_hint(),
                )
            })?
        };
        let configured = configured(&id).unwrap_or_default();
        Ok(named(id, configured, git))
    }

    /// [`Ctx::inspector_in`] for the interface. With the id given
    /// (`--inspector`/`TENKEN_INSPECTOR`), git's configuration is read
    /// only when the name or e-mail is first needed (starting a run), not
    /// before the first frame; the inspector is the same.
    pub fn acting_in(&self, store: &Store, catalog: &Catalog) -> Result<crate::tui::Acting> {
        let Some(id) = self.global.inspector.clone() else {
            return self
                .inspector_in(store, catalog)
                .map(crate::tui::Acting::known);
        };
        let configured = catalog
            .config
            .inspectors
            .get(&id)
            .cloned()
            .unwrap_or_default();
        if self.global.restricted || !(configured.name.is_empty() || configured.email.is_empty()) {
            // git's user would not be read (restricted) or not used.
            return Ok(crate::tui::Acting::known(named(id, configured, None)));
        }
        let root = store.root().to_path_buf();
        Ok(crate::tui::Acting::later(id.clone(), move || {
            named(
                id.clone(),
                configured.clone(),
                Identity::from_git_config(Some(&root)),
            )
        }))
    }
}

/// The inspector `id` with the name and e-mail `configured` in
/// `tenken.ron`, else those of git's user `git`.
fn named(id: Id, configured: crate::model::Permissions, git: Option<Identity>) -> Inspector {
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
    Inspector { id, name, email }
}

/// Returns the language to show an error in: `--lang`/`TENKEN_LANG`,
/// else the setting of the repository named (`--repo`/`TENKEN_REPO`) or
/// found from here, else English.
///
/// `global` is the parsed command line; when it could not be parsed,
/// `args` are searched for the two flags.
pub fn error_lang(global: Option<&GlobalArgs>, args: &[std::ffi::OsString]) -> Lang {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let (lang, repo) = if let Some(g) = global {
        (g.lang, g.repo.clone())
    } else {
        let lang = flag_value(args, "--lang")
            .or_else(|| env("TENKEN_LANG"))
            .and_then(|v| <Lang as clap::ValueEnum>::from_str(&v.to_string_lossy(), true).ok());
        let repo = flag_value(args, "--repo")
            .or_else(|| env("TENKEN_REPO"))
            .map(PathBuf::from);
        (lang, repo)
    };
    if let Some(lang) = lang {
        return lang;
    }
    let root = match repo {
        Some(dir) => Some(dir),
        None => std::env::current_dir()
            .ok()
            .and_then(|cwd| Store::discover(&cwd).ok())
            .map(|s| s.root().to_owned()),
    };
    root.and_then(|r| crate::load::config_lang(&r))
        .unwrap_or_default()
}

/// Returns the value of a long flag in `args` (`--flag VALUE` or
/// `--flag=VALUE`), the last one given.
fn flag_value(args: &[std::ffi::OsString], flag: &str) -> Option<std::ffi::OsString> {
    let mut found = None;
    let mut words = args.iter().skip(1);
    while let Some(word) = words.next() {
        let word = word.to_string_lossy();
        if word == "--" {
            break;
        }
        if word == flag {
            found = words.next().cloned();
        } else if let Some(value) = word.strip_prefix(flag).and_then(|v| v.strip_prefix('=')) {
            found = Some(value.into());
        }
    }
    found
}

/// Parses the command line like `Cli::parse` (a malformed one is a usage
/// error in tenken's words; clap prints `--help` and exits), then applies restricted mode's rules
/// for an SSH client's command.
///
/// In restricted mode with `ssh_command` (`SSH_ORIGINAL_COMMAND`) set and
/// not blank: a forced command without a subcommand gets the client's
/// words appended, if [`crate::restricted::ssh_words`] allows them and clap
/// parses them into an allowed read command; a forced command with a
/// subcommand (a single-purpose key) refuses any client command. Outside
/// restricted mode `ssh_command` is ignored.
pub fn parse_args(
    args: Vec<std::ffi::OsString>,
    ssh_command: Option<std::ffi::OsString>,
) -> Result<Cli> {
    use clap::FromArgMatches;

    let matches = command(help_lang(&args))
        .try_get_matches_from(&args)
        .map_err(|e| usage::own_error(e, &args))?;
    let cli = Cli::from_arg_matches(&matches).map_err(|e| usage::own_error(e, &args))?;
    let original = ssh_command
        .map(|c| c.to_string_lossy().into_owned())
        .filter(|c| !c.trim().is_empty());
    let (true, Some(original)) = (cli.global.restricted, original) else {
        return Ok(cli);
    };
    if let Some(forced) = matches.subcommand_name() {
        return Err(crate::restricted::refuse_single_purpose(forced, &original));
    }
    let words = crate::restricted::ssh_words(&original)?;
    let mut full = args;
    full.extend(words.into_iter().map(std::ffi::OsString::from));
    let matches = command(help_lang(&full))
        .try_get_matches_from(&full)
        .map_err(|e| usage::own_error(e, &full))?;
    let nested = matches
        .subcommand()
        .and_then(|(_, sub)| sub.subcommand_name());
    crate::restricted::check_ssh_command(matches.subcommand_name(), nested)?;
    Cli::from_arg_matches(&matches).map_err(|e| usage::own_error(e, &full))
}

/// The language clap's help is built in for `args`: only help is printed
/// by clap (refusals are tenken's own), so only a command line that asks
/// for it needs the language before it is parsed.
fn help_lang(args: &[std::ffi::OsString]) -> Lang {
    let asks_help = args
        .iter()
        .skip(1)
        .any(|a| a == "-h" || a == "--help" || a == "help");
    if asks_help {
        error_lang(None, args)
    } else {
        Lang::En
    }
}

/// The command line, with the inspection ids of the bundled templates
/// under `run --help` and `record --help` (a repository's own are listed
/// when an unknown id is given), its help in `lang`.
fn command(lang: Lang) -> clap::Command {
    use clap::CommandFactory;

    let ids: Vec<&str> = crate::bundle::INSPECTIONS
        .iter()
        .map(|f| f.name.trim_end_matches(".ron"))
        .collect();
    let help = format!(
        "Inspections bundled with tenken: {}.\nA repository may add its own in inspections/; an unknown id is answered with the list of this repository's.",
        ids.join(", ")
    );
    let help = match lang {
        Lang::Ja => format!(
            "tenken に同梱のチェックリスト: {}。\nリポジトリは inspections/ に独自のものを加えられます。知らない ID にはそのリポジトリの一覧を示します。",
            ids.join("、")
        ),
        Lang::En => help,
    };
    let cmd = Cli::command()
        .mut_subcommand("run", |c| c.after_help(help.clone()))
        .mut_subcommand("record", |c| c.after_help(help));
    match lang {
        Lang::Ja => help::japanese(cmd),
        Lang::En => cmd,
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
    if cli.global.restricted {
        crate::restricted::check_identity(
            cli.global.repo.is_some(),
            cli.global.inspector.is_some(),
        )?;
        match &cli.command {
            Some(Command::Init(_)) => return Err(crate::restricted::refuse_outside("init")),
            Some(Command::Demo(_)) => return Err(crate::restricted::refuse_outside("demo")),
            _ => {}
        }
    }
    let ctx = Ctx {
        global: cli.global,
        clock: Clock::from_env()?,
    };
    let restricted = ctx.global.restricted;
    dispatch(&ctx, cli.command.as_ref()).map_err(|e| match e {
        Error::Settings { problems, mut hints } if restricted => {
            hints.push(
                "this cannot be fixed from a restricted session (the register form needs a readable subjects.ron); ask someone with access to the repository to fix the file or revert the commit".into(),
            );
            Error::Settings { problems, hints }
        }
        e => e,
    })
}

/// Runs one command.
fn dispatch(ctx: &Ctx, command: Option<&Command>) -> Result<()> {
    match command {
        Some(Command::Init(args)) => init::cmd_init(ctx, args),
        Some(Command::Run(args)) => tui::cmd_run(ctx, args),
        Some(Command::Demo(args)) => demo::cmd_demo(ctx, args),
        Some(Command::Check(args)) => check::cmd_check(ctx, args),
        Some(Command::Record(args)) => record::cmd_record(ctx, args),
        Some(Command::History(args)) => history::cmd_history(ctx, args),
        Some(Command::Compare(args)) => compare::cmd_compare(ctx, args),
        Some(Command::Trend(args)) => trend::cmd_trend(ctx, args),
        Some(Command::Subjects(args)) => subjects::cmd_subjects(ctx, args),
        Some(Command::Roles(args)) => roles::cmd_roles(ctx, args),
        Some(Command::Suppliers(args)) => suppliers::cmd_suppliers(ctx, args),
        Some(Command::Due(args)) => due::cmd_due(ctx, args),
        Some(Command::Path(args)) => path::cmd_path(ctx, args),
        Some(Command::Actions(args)) => actions::cmd_actions(ctx, args),
        Some(Command::Risks(args)) => risks::cmd_risks(ctx, args),
        Some(Command::Report(args)) => report::cmd_report(ctx, args),
        Some(Command::Handbook(args)) => handbook::cmd_handbook(ctx, args),
        Some(Command::Verify(args)) => verify::cmd_verify(ctx, args),
        Some(Command::Withdraw(args)) => withdraw::cmd_withdraw(ctx, args),
        Some(Command::Evidence(args)) => evidence::cmd_evidence(ctx, args),
        Some(Command::Sync(args)) => sync::cmd_sync(ctx, args),
        None => tui::cmd_dashboard(ctx),
    }
}

/// Writes `text` to stdout; a closed pipe is not an error.
///
/// Control characters other than line ends and tabs are escaped on the way
/// out, whatever the command put together: data from the repository can
/// never send an escape sequence to the terminal.
pub fn print(text: &str) -> Result<()> {
    // A byte-order mark that opens the output (a CSV report for Excel) is
    // the format's, not data's.
    let mut out = TextOut::new(std::io::stdout().lock());
    out.piece(text);
    stdout_result(out.finish())
}

/// Returns a writer of text to stdout, buffered, that writes the pieces it
/// is given as [`print`] writes their whole; end it with [`end_text`].
pub fn text_out() -> TextOut<std::io::BufWriter<std::io::StdoutLock<'static>>> {
    TextOut::new(std::io::BufWriter::with_capacity(
        1 << 16,
        std::io::stdout().lock(),
    ))
}

/// Ends a text begun with [`text_out`]; a closed pipe is not an error.
pub fn end_text<W: Write>(out: TextOut<W>) -> Result<()> {
    stdout_result(out.finish())
}

/// Returns the outcome of writing to stdout as a command's: a closed pipe
/// is not an error.
fn stdout_result(written: std::io::Result<()>) -> Result<()> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("stdout", e)),
        _ => Ok(()),
    }
}

/// Prints one `warning:` line on stderr per broken template or profile.
fn warn_broken(catalog: &Catalog, lang: Lang) {
    let word = crate::msg::WARNING.get(lang);
    for broken in &catalog.broken {
        let line = format!("{word}: {}", broken.notice(lang));
        warn(&line);
    }
}

/// Writes one line to stderr, escaped like stdout; a closed pipe is
/// ignored.
pub fn warn(line: &str) {
    let text = format!(
        "{}\n",
        crate::escape::escape(line, crate::escape::Policy::Output)
    );
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Returns `value` never to be freed: for the large structures a command
/// builds (tens of thousands of history entries), which the process would
/// otherwise spend a fifth of its time freeing right before it exits and
/// the system takes the memory back anyway. Only for values that hold
/// nothing but memory (no files, locks or temporary state to clean up).
pub fn kept_to_exit<T>(value: T) -> std::mem::ManuallyDrop<T> {
    std::mem::ManuallyDrop::new(value)
}

/// Writes a value as pretty JSON to stdout, a line feed after it; a closed
/// pipe is not an error.
///
/// Streamed, not put together first: the JSON of a long history is tens of
/// megabytes. It needs no escaping on the way out (see
/// [`crate::escape::write_json_pretty`]), so it is what [`print`] of
/// [`crate::escape::to_json_pretty`] would write.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    print_json_by(|out| {
        crate::escape::write_json_pretty(out, value).map_err(|e| match e.io_error_kind() {
            Some(kind) => std::io::Error::from(kind),
            None => std::io::Error::other(e.to_string()),
        })
    })
}

/// [`print_json`] of the JSON `write` writes (which must need no escaping
/// on the way out, as [`crate::escape::write_json_pretty`] writes it).
pub fn print_json_by(
    write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) -> Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = write(&mut out)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::Other => Err(Error::Internal(e.to_string())),
        Err(e) => Err(Error::io("stdout", e)),
        Ok(()) => Ok(()),
    }
}
