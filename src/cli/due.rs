//! `tenken due`: what the active profiles schedule for each subject ×
//! inspection, with the last run, the due date and whether it is overdue,
//! soonest first, as a table or JSON (DESIGN §7).

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use clap::Args;

use crate::cli::{Ctx, Format, print, print_json, table};
use crate::error::Result;
use crate::load::Catalog;
use crate::model::{Id, Run};
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
}

/// Returns the date of the latest run of each subject × inspection.
pub fn last_runs(runs: &[Run]) -> BTreeMap<(Id, Id), NaiveDate> {
    let mut last: BTreeMap<(Id, Id), NaiveDate> = BTreeMap::new();
    for run in runs {
        let date = run.date();
        last.entry((run.subject.clone(), run.inspection.clone()))
            .and_modify(|d| *d = (*d).max(date))
            .or_insert(date);
    }
    last
}

/// Prints the schedule.
pub fn cmd_due(ctx: &Ctx, args: &DueArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = store.catalog()?;
    let runs = store.runs(&catalog)?;
    let today = ctx.clock.today();
    let mut due = schedule::due_list(&catalog, &last_runs(&runs), today);
    if let Some(days) = args.within {
        let until = today
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX);
        due.retain(|d| d.due_date <= until);
    }
    match args.format {
        Format::Json => print_json(&due),
        Format::Text if due.is_empty() => match args.within {
            Some(days) => print(&format!(
                "Nothing is due within {}.\n",
                days_str(i64::from(days))
            )),
            None if catalog.config.profiles.is_empty() => {
                print("Nothing is scheduled: tenken.ron names no active profile.\n")
            }
            None => print("Nothing is scheduled.\n"),
        },
        Format::Text => print(&text(&catalog, &due, today)),
    }
}

fn text(catalog: &Catalog, due: &[Due], today: NaiveDate) -> String {
    let rows: Vec<Vec<String>> = due
        .iter()
        .map(|d| {
            let name = catalog
                .subjects
                .get(d.subject.as_str())
                .map_or_else(String::new, |s| crate::escape::line(&s.name));
            vec![
                d.due_date.to_string(),
                d.subject.to_string(),
                name,
                d.inspection.to_string(),
                d.every.as_str().to_owned(),
                d.last_date
                    .map_or_else(|| "never".to_owned(), |x| x.to_string()),
                status(d, today),
            ]
        })
        .collect();
    table::render(
        &[
            "DUE",
            "SUBJECT",
            "NAME",
            "INSPECTION",
            "EVERY",
            "LAST RUN",
            "STATUS",
        ],
        &[],
        &rows,
    )
}

/// Describes how pressing an entry is: overdue by how long, due now, or
/// due in how many days.
fn status(d: &Due, today: NaiveDate) -> String {
    let days = (d.due_date - today).num_days();
    if d.last_date.is_none() {
        "never inspected: due now".to_owned()
    } else if d.overdue {
        format!("overdue by {}", days_str(-days))
    } else if days == 0 {
        "due today".to_owned()
    } else {
        format!("due in {}", days_str(days))
    }
}

fn days_str(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}
