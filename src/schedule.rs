//! What is due: the active profiles applied to the subject register and the
//! dates of the latest runs. Pure; dates come in, nothing reads the clock.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::load::Catalog;
use crate::model::{Every, Id};
use crate::period;

/// One subject × inspection the profiles ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// The subject.
    pub subject: Id,
    /// The inspection.
    pub inspection: Id,
    /// How often it is due.
    #[serde(serialize_with = "ser_every")]
    pub every: Every,
    /// The date of the latest run, if any.
    pub last_date: Option<NaiveDate>,
    /// When the next run is due.
    pub due_date: NaiveDate,
    /// True when `due_date` is before today.
    pub overdue: bool,
}

fn ser_every<S: serde::Serializer>(every: &Every, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(every.as_str())
}

/// Returns every subject × inspection the active profiles schedule, with
/// its due date, soonest first.
///
/// When several rules match the same pair, the most frequent one wins.
/// Retired subjects are left out. `last_runs` maps (subject, inspection) to
/// the date of the latest run.
pub fn due_list(
    catalog: &Catalog,
    last_runs: &BTreeMap<(Id, Id), NaiveDate>,
    today: NaiveDate,
) -> Vec<Due> {
    let mut wanted: BTreeMap<(Id, Id), Every> = BTreeMap::new();
    let active = catalog
        .config
        .profiles
        .iter()
        .filter_map(|id| catalog.profiles.get(id));
    for profile in active {
        for rule in &profile.schedule {
            for subject in catalog.subjects.subjects.iter().filter(|s| !s.retired) {
                if rule.subjects.matches(subject) {
                    wanted
                        .entry((subject.id.clone(), rule.inspection.clone()))
                        .and_modify(|e| *e = (*e).min(rule.every))
                        .or_insert(rule.every);
                }
            }
        }
    }
    let fiscal_start = catalog.config.fiscal_year_start;
    let mut out: Vec<Due> = wanted
        .into_iter()
        .map(|((subject, inspection), every)| {
            let last_date = last_runs
                .get(&(subject.clone(), inspection.clone()))
                .copied();
            let due_date = period::next_due(last_date, every, fiscal_start, today);
            Due {
                subject,
                inspection,
                every,
                last_date,
                due_date,
                overdue: due_date < today,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.due_date, &a.subject, &a.inspection).cmp(&(b.due_date, &b.subject, &b.inspection))
    });
    out
}
