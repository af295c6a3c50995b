//! `tenken actions`: corrective actions derived from the run history,
//! overdue first, then by due date; as an aligned table or JSON (DESIGN §7).

use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;

use std::collections::HashMap;

use crate::actions::{self, CorrectiveAction, Status};
use crate::cli::compare::{begin_history, read_history};
use crate::cli::{Ctx, Format, print, print_json, table};
use crate::error::Result;
use crate::escape;
use crate::model::{Id, Lang};
use crate::msg::{self, Label};

/// List corrective actions, overdue first, then by due date
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // one per flag
pub struct ActionsArgs {
    /// Only open actions (the default)
    #[arg(long, conflicts_with = "all")]
    pub open: bool,
    /// Closed actions too, with the run that closed each
    #[arg(long)]
    pub all: bool,
    /// Only open actions past their due date
    #[arg(long)]
    pub overdue: bool,
    /// Only actions whose owner contains NAME (ignoring case)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Only actions of this subject
    #[arg(long, value_name = "ID")]
    pub subject: Option<Id>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also use run files that are not committed (labelled in the output)
    #[arg(long)]
    pub include_uncommitted: bool,
}

/// One element of `actions --format json`.
#[derive(Debug, Serialize)]
struct Row {
    run: String,
    item: String,
    subject: String,
    inspection: String,
    text: String,
    owner: String,
    due: NaiveDate,
    overdue: bool,
    /// `open`, `overdue` or `closed`; only with `--all`.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    /// The closing run, or null while open; only with `--all`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[allow(clippy::option_option)] // absent, null or a run id: all three mean something
    closed_by: Option<Option<String>>,
    /// With `--include-uncommitted`: where the run that opened the action
    /// stands, when it is not committed.
    #[serde(skip_serializing_if = "Option::is_none")]
    run_status: Option<&'static str>,
}

impl Row {
    fn new(a: &CorrectiveAction, all: bool) -> Self {
        Self {
            run: a.run.clone(),
            item: a.item.to_string(),
            subject: a.subject.to_string(),
            inspection: a.inspection.to_string(),
            text: a.action.text.clone(),
            owner: a.action.owner.clone(),
            due: a.action.due,
            overdue: a.overdue,
            status: all.then(|| a.status().as_str()),
            closed_by: all.then(|| a.closed.as_ref().map(|c| c.run.clone())),
            run_status: None,
        }
    }
}

/// Prints the corrective actions matching the filters.
pub fn cmd_actions(ctx: &Ctx, args: &ActionsArgs) -> Result<()> {
    let store = ctx.store()?;
    let read = begin_history(&store, args.include_uncommitted, false);
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let subject = args.subject.clone();
    if let Some(s) = &subject {
        super::lookup::subject(&catalog, s)?;
    }
    let history = read_history(&store, &catalog, read)?;
    let labels: HashMap<&str, Label> = history
        .iter()
        .filter_map(|h| Some((h.run.id.as_str(), msg::run_status(h.status)?)))
        .collect();
    let today = ctx.clock.today();
    let owner = args.owner.as_deref().map(str::to_lowercase);
    let list: Vec<CorrectiveAction> = actions::derive_where(&history, &catalog, today, |a| {
        (args.all || a.is_open())
            && (!args.overdue || a.overdue)
            && subject.as_ref().is_none_or(|s| &a.run.subject == s)
            && owner
                .as_deref()
                .is_none_or(|o| a.action.owner.to_lowercase().contains(o))
    });
    let filtered = args.overdue || args.owner.is_some() || subject.is_some();
    match args.format {
        Format::Json => {
            let rows: Vec<Row> = list
                .iter()
                .map(|a| Row {
                    // JSON values stay English.
                    run_status: labels.get(a.run.as_str()).map(|l| l.en),
                    ..Row::new(a, args.all)
                })
                .collect();
            print_json(&rows)
        }
        Format::Text if list.is_empty() => print(
            match (filtered, args.all) {
                (true, _) => msg::actions::NO_MATCH,
                (false, true) => msg::actions::NONE_RECORDED,
                (false, false) => msg::actions::NONE_OPEN,
            }
            .get(lang),
        ),
        Format::Text => print(&text(&list, args.all, &labels, lang)),
    }
}

/// Renders actions as a table, then a one-line summary.
fn text(list: &[CorrectiveAction], all: bool, labels: &HashMap<&str, Label>, lang: Lang) -> String {
    let mut header = msg::header(lang, &msg::actions::HEADER);
    if all {
        header.push(msg::actions::CLOSED_BY.get(lang));
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|a| {
            let mut row = vec![
                msg::actions::status(a.status()).get(lang).to_owned(),
                a.action.due.to_string(),
                match labels.get(a.run.as_str()) {
                    Some(label) => format!("{} ({})", a.opened, label.get(lang)),
                    None => a.opened.to_string(),
                },
                a.subject.to_string(),
                a.inspection.to_string(),
                a.item.to_string(),
                or_dash(&escape::line(&a.action.owner)),
                escape::line(&a.action.text),
            ];
            if all {
                row.push(a.closed.as_ref().map_or_else(
                    || "-".to_owned(),
                    |c| {
                        let why = msg::actions::closed_how(c.kind).get(lang);
                        format!("{} ({why})", escape::line(&c.run))
                    },
                ));
            }
            row
        })
        .collect();
    let mut out = table::render(&header, &[], &rows);
    let c = actions::counts(list);
    let closed = list.iter().filter(|a| a.status() == Status::Closed).count();
    out.push('\n');
    out.push_str(&msg::actions::summary(
        lang,
        c.open,
        c.overdue,
        all.then_some(closed),
    ));
    out
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".to_owned()
    } else {
        s.to_owned()
    }
}
