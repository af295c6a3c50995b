//! `tenken handbook`: the company's own staff handbook, made from the
//! organisation's latest self-check (and rules inspection, when there is
//! one), the templates' staff instructions, the open corrective actions
//! and the management structure (`report::handbook`); Markdown (a starting
//! point to edit) or HTML, printed or written with `-o` (confined to
//! `reports/` in restricted mode, like `report -o`).

use std::path::PathBuf;

use clap::Args;

use crate::actions;
use crate::cli::{Ctx, print};
use crate::error::Result;
use crate::model::{Id, Run, SubjectKind};
use crate::report::handbook::{self, Basis, Handbook};
use crate::roles::Directory;
use crate::store::{HistoryEntry, HistoryFilter};

/// The self-check the handbook's topics come from.
const SELF_CHECK: &str = "ipa-self-check";
/// The inspection against the company's own rules.
const RULES: &str = "rules-compliance";

/// The formats `tenken handbook` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum HandbookFormat {
    /// Markdown: the starting point to edit.
    #[default]
    Md,
    /// One self-contained, printable HTML page.
    Html,
}

/// Write the company's staff handbook from its latest self-check, roles and actions
#[derive(Debug, Args)]
#[command(after_long_help = HANDBOOK_HELP)]
pub struct HandbookArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = HandbookFormat::Md)]
    pub format: HandbookFormat,
    /// Write the handbook to FILE instead of stdout (replaced if it exists)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What the handbook is made from, shown by `tenken handbook --help`.
const HANDBOOK_HELP: &str = "\
The handbook is written in the repository's language (or --lang). For each
topic of the self-check it says what staff do (the template's staff
instruction), where the company stands (the organisation's latest committed
self-check), and, for a measure not yet in place, what staff do until it is,
with the open corrective action. \"Don't know\" answers are listed first.
When the organisation has run the rules inspection (rules-compliance), a
chapter per area of its rules follows. Roles, the committee and whom to tell
about an incident come from roles.ron.

It is a draft to edit: Markdown is the form to start from. In restricted
mode -o may only name a file inside the repository's reports/ folder.";

/// The template, run (read whole: the handbook shows its notes) and commit
/// of a history entry.
fn basis<'a>(h: &'a HistoryEntry, run: &'a Run) -> Basis<'a> {
    Basis {
        template: &h.template,
        run: Some((run, h.commit)),
    }
}

/// Makes the handbook and prints or writes it.
pub fn cmd_handbook(ctx: &Ctx, args: &HandbookArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let today = ctx.clock.today();
    let history = store.history(&catalog, &HistoryFilter::default())?;
    // The organisation itself: the register's organisation subject.
    let organisation = catalog
        .subjects
        .subjects
        .iter()
        .find(|s| s.kind == SubjectKind::Organisation)
        .map(|s| s.id.clone());
    let latest = |inspection: &str| -> Option<&HistoryEntry> {
        history
            .iter()
            .filter(|h| Some(&h.run.subject) == organisation.as_ref())
            .filter(|h| h.run.inspection.as_str() == inspection)
            .max_by(|a, b| (a.run.finished, &a.run.id).cmp(&(b.run.finished, &b.run.id)))
    };
    // History holds answers in brief; the two runs shown are read whole.
    let whole = |h: Option<&HistoryEntry>| -> Result<Option<Run>> {
        h.map(|h| store.full_run(&catalog, h)).transpose()
    };
    let self_check = latest(SELF_CHECK);
    let rules = latest(RULES);
    let (self_check_run, rules_run) = (whole(self_check)?, whole(rules)?);
    let actions: Vec<_> = actions::derive(&history, &catalog, today)
        .into_iter()
        .filter(|a| a.is_open() && Some(&a.subject) == organisation.as_ref())
        .collect();
    let book = Handbook {
        organisation: catalog.config.organisation.get(lang).to_owned(),
        lang,
        made: today,
        directory: Directory::new(
            &catalog.roles,
            &catalog.config,
            history.iter().map(|h| &h.run),
        ),
        self_check: match self_check.zip(self_check_run.as_ref()) {
            Some((h, run)) => Some(basis(h, run)),
            None => Id::new(SELF_CHECK)
                .ok()
                .and_then(|id| catalog.judging_template(&id))
                .map(|template| Basis {
                    template,
                    run: None,
                }),
        },
        // The rules chapter only where the company has inspected its rules.
        rules: rules.zip(rules_run.as_ref()).map(|(h, run)| basis(h, run)),
        actions,
    };
    let doc = handbook::document(&book);
    let text = match args.format {
        HandbookFormat::Md => crate::report::md::write(&doc),
        HandbookFormat::Html => crate::report::html::write(&doc),
    };
    match &args.output {
        None => print(&text),
        Some(path) => {
            let written = store.write_report(path, text.as_bytes(), ctx.global.restricted)?;
            print(&format!("Wrote the handbook to {}\n", written.display()))
        }
    }
}
