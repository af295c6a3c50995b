//! `tenken due`: what the active profiles schedule for each subject ×
//! inspection, with the last run, the due date and whether it is overdue,
//! soonest first, as a table or JSON (DESIGN §7).

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use clap::Args;
use serde::Serialize;

use crate::cli::compare::{begin_history, read_history};

use crate::cli::{Ctx, Format, print, print_json, table};
use crate::error::Result;
use crate::load::Catalog;
use crate::model::{Id, Lang, Run};
use crate::msg;
use crate::schedule::{self, Due};

/// Show what the active profiles say is due or overdue, soonest first
#[derive(Debug, Args)]
pub struct DueArgs {
    /// Only what is due within DAYS from today, overdue included (default: everything scheduled)
    #[arg(long, value_name = "DAYS")]
    pub within: Option<u32>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also count run files that are not committed (labelled in the output)
    #[arg(long)]
    pub include_uncommitted: bool,
}

/// One element of `due --format json`: the schedule entry, and with
/// `--include-uncommitted` where its last run stands when that run is not
/// committed.
#[derive(Debug, Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    due: &'a Due,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_status: Option<&'static str>,
}

/// Prints the schedule.
pub fn cmd_due(ctx: &Ctx, args: &DueArgs) -> Result<()> {
    let store = ctx.store()?;
    let read = begin_history(&store, args.include_uncommitted, false);
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let history = read_history(&store, &catalog, read)?;
    let runs: Vec<&Run> = history.iter().map(|h| &h.run).collect();
    // The label of each series whose latest run is not committed.
    let mut labels: HashMap<(&Id, &Id), &'static str, foldhash::fast::RandomState> =
        HashMap::default();
    for h in history.iter() {
        let key = (&h.run.subject, &h.run.inspection);
        match msg::run_status(h.status) {
            Some(label) => labels.insert(key, label.get(lang)),
            // Nothing to take back while no run is labelled (committed runs).
            None if labels.is_empty() => None,
            None => labels.remove(&key),
        };
    }
    let today = ctx.clock.today();
    let mut due = schedule::due_list(&catalog, &schedule::last_runs(&runs), today);
    if let Some(days) = args.within {
        let until = today
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX);
        due.retain(|d| d.due_date <= until);
    }
    let label = |d: &Due| labels.get(&(&d.subject, &d.inspection)).copied();
    match args.format {
        Format::Json => print_json(
            &due.iter()
                .map(|d| Row {
                    due: d,
                    last_status: label(d),
                })
                .collect::<Vec<_>>(),
        ),
        Format::Text if due.is_empty() => match args.within {
            Some(days) => print(&msg::due::nothing_within(lang, i64::from(days))),
            None if catalog.config.profiles.is_empty() => print(msg::due::NO_PROFILE.get(lang)),
            None => print(msg::due::NOTHING_SCHEDULED.get(lang)),
        },
        Format::Text => print(&text(&catalog, &due, today, &label, lang)),
    }
}

fn text(
    catalog: &Catalog,
    due: &[Due],
    today: NaiveDate,
    label: &dyn Fn(&Due) -> Option<&'static str>,
    lang: Lang,
) -> String {
    // One lookup table: a register of tens of thousands of suppliers must
    // not be searched once per row.
    let names: std::collections::HashMap<&str, &str> = catalog
        .subjects
        .subjects
        .iter()
        .map(|s| (s.id.as_str(), s.name.get(lang)))
        .collect();
    let rows: Vec<Vec<String>> = due
        .iter()
        .map(|d| {
            let name = names
                .get(d.subject.as_str())
                .map_or_else(String::new, |n| crate::escape::line(n));
            vec![
                d.due_date.to_string(),
                d.subject.to_string(),
                name,
                d.inspection.to_string(),
                msg::every(d.every).get(lang).to_owned(),
                d.last_date.map_or_else(
                    || msg::NEVER.get(lang).to_owned(),
                    |x| match label(d) {
                        Some(l) => format!("{x} ({l})"),
                        None => x.to_string(),
                    },
                ),
                status(d, today, lang),
            ]
        })
        .collect();
    table::render(&msg::header(lang, &msg::due::HEADER), &[], &rows)
}

/// Describes how pressing an entry is: overdue by how long, due now, or
/// due in how many days.
fn status(d: &Due, today: NaiveDate, lang: Lang) -> String {
    let days = (d.due_date - today).num_days();
    if d.last_date.is_none() {
        msg::due::NEVER_INSPECTED.get(lang).to_owned()
    } else if d.overdue {
        msg::due::overdue_by(lang, -days)
    } else if days == 0 {
        msg::due::DUE_TODAY.get(lang).to_owned()
    } else {
        msg::due::due_in(lang, days)
    }
}
