//! What is due: the active profiles applied to the subject register and the
//! dates of the latest runs. Pure; dates come in, nothing reads the clock.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::load::Catalog;
use crate::model::{Every, Id, Run};
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

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's serialize_with passes a reference
fn ser_every<S: serde::Serializer>(every: &Every, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(every.as_str())
}

/// Returns the date of the latest run of each subject × inspection.
pub fn last_runs<R: AsRef<Run>>(runs: &[R]) -> BTreeMap<(Id, Id), NaiveDate> {
    // Borrowed keys while counting: ids are copied once per series, not
    // once per run.
    let mut last: HashMap<(&Id, &Id), NaiveDate, foldhash::fast::RandomState> = HashMap::default();
    for run in runs.iter().map(AsRef::as_ref) {
        let date = run.date();
        last.entry((&run.subject, &run.inspection))
            .and_modify(|d| *d = (*d).max(date))
            .or_insert(date);
    }
    last.into_iter()
        .map(|((s, i), d)| ((s.clone(), i.clone()), d))
        .collect()
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

#[cfg(test)]
mod tests {
    //! Due dates from the bundled profiles and hand-made ones, across
    //! period kinds and fiscal-year starts.

    use super::*;
    use crate::model::{Config, Lang, Profile, Subject, SubjectKind, Subjects};

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn subject(id_: &str, kind: SubjectKind, criticality: u8, tags: &[&str]) -> Subject {
        Subject {
            id: id(id_),
            kind,
            name: id_.into(),
            contact: crate::model::Name::default(),
            services: Vec::new(),
            data_handled: Vec::new(),
            criticality,
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            retired: false,
        }
    }

    fn bundled(name: &str) -> Profile {
        let file = crate::bundle::PROFILES
            .iter()
            .find(|f| f.name == format!("{name}.ron"))
            .unwrap();
        ron::from_str(file.contents).unwrap()
    }

    /// The organisation `self` (criticality 3, as `tenken init` makes it),
    /// a site, and suppliers of criticality 1 and 3, one tagged `cloud`.
    fn catalog(profiles: Vec<Profile>, fiscal_start: u32) -> Catalog {
        let active = profiles.iter().map(|p| p.id.clone()).collect();
        Catalog {
            config: Config::new("Example KK", Lang::En, fiscal_start, active),
            subjects: Subjects {
                format: 1,
                subjects: vec![
                    subject("self", SubjectKind::Organisation, 3, &[]),
                    subject("osaka", SubjectKind::Site, 2, &[]),
                    subject("aoba", SubjectKind::Supplier, 1, &[]),
                    subject("kumo", SubjectKind::Supplier, 3, &["cloud"]),
                ],
            },
            inspections: BTreeMap::new(),
            profiles: profiles.into_iter().map(|p| (p.id.clone(), p)).collect(),
            roles: crate::model::Roles::default(),
            broken: Vec::new(),
        }
    }

    fn pairs(due: &[Due]) -> Vec<(&str, &str, &str)> {
        due.iter()
            .map(|d| (d.subject.as_str(), d.inspection.as_str(), d.every.as_str()))
            .collect()
    }

    fn last(entries: &[(&str, &str, &str)]) -> BTreeMap<(Id, Id), NaiveDate> {
        entries
            .iter()
            .map(|(s, i, date)| ((id(s), id(i)), d(date)))
            .collect()
    }

    #[test]
    fn supplier_review_schedules_suppliers_only_the_critical_ones_half_yearly() {
        let catalog = catalog(vec![bundled("supplier-review")], 4);
        let today = d("2026-11-25");
        let due = due_list(&catalog, &BTreeMap::new(), today);
        // `self` has criticality 3 too, but is not a supplier.
        assert_eq!(
            pairs(&due),
            [
                ("aoba", "supplier-check", "year"),
                ("kumo", "supplier-check", "half-year"),
            ]
        );
        // Never inspected: due today, not overdue.
        assert!(due.iter().all(|x| x.due_date == today && !x.overdue));
        assert!(due.iter().all(|x| x.last_date.is_none()));
    }

    #[test]
    fn sme_standard_schedules_the_organisation_cloud_services_and_suppliers() {
        let catalog = catalog(vec![bundled("sme-standard")], 4);
        let today = d("2026-11-25");
        let runs = last(&[
            ("self", "ipa-self-check", "2026-10-22"),
            ("self", "ipa-five-principles", "2026-06-30"),
            ("self", "telework", "2026-03-31"),
            ("kumo", "cloud-service", "2025-11-30"),
            ("aoba", "supplier-check", "2025-04-01"),
        ]);
        let due = due_list(&catalog, &runs, today);
        let got: Vec<(&str, &str, &str, NaiveDate, bool)> = due
            .iter()
            .map(|x| {
                (
                    x.subject.as_str(),
                    x.inspection.as_str(),
                    x.every.as_str(),
                    x.due_date,
                    x.overdue,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                // FY2026Q1 (April–June) → end of FY2026Q2.
                (
                    "self",
                    "ipa-five-principles",
                    "quarter",
                    d("2026-09-30"),
                    true
                ),
                // FY2025H2 (October 2025 – March 2026) → end of FY2026H1.
                ("self", "telework", "half-year", d("2026-09-30"), true),
                // Never inspected: due today.
                ("kumo", "supplier-check", "year", today, false),
                ("self", "incident-readiness", "half-year", today, false),
                ("self", "rules-compliance", "year", today, false),
                // FY2025 (April 2025 – March 2026) → end of FY2026.
                ("aoba", "supplier-check", "year", d("2027-03-31"), false),
                ("kumo", "cloud-service", "year", d("2027-03-31"), false),
                // FY2026Q3 (October–December) → end of FY2026Q4.
                ("self", "ipa-self-check", "quarter", d("2027-03-31"), false),
            ]
        );
        // The site is in no rule of the profile.
        assert!(due.iter().all(|x| x.subject.as_str() != "osaka"));
    }

    #[test]
    fn due_dates_across_period_kinds_and_fiscal_starts() {
        let today = d("2026-11-25");
        for (every, start, last_run, due_date) in [
            // January start: fiscal periods are calendar periods.
            (Every::Quarter, 1, "2026-02-14", "2026-06-30"),
            (Every::HalfYear, 1, "2026-02-14", "2026-12-31"),
            (Every::Year, 1, "2026-02-14", "2027-12-31"),
            // April start (Japan's usual): FY2025 runs April 2025 – March 2026.
            (Every::Quarter, 4, "2026-02-14", "2026-06-30"),
            (Every::HalfYear, 4, "2026-02-14", "2026-09-30"),
            (Every::Year, 4, "2026-02-14", "2027-03-31"),
            (Every::Year, 4, "2026-04-01", "2028-03-31"),
            // October start: FY2026 runs October 2026 – September 2027.
            (Every::Quarter, 10, "2026-09-30", "2026-12-31"),
            (Every::Quarter, 10, "2026-10-01", "2027-03-31"),
            (Every::HalfYear, 10, "2026-10-01", "2027-09-30"),
            (Every::Year, 10, "2026-09-30", "2027-09-30"),
            // Months are calendar months whatever the fiscal start.
            (Every::Month, 4, "2026-10-31", "2026-11-30"),
            (Every::Month, 10, "2026-09-15", "2026-10-31"),
            // December start, into a leap February.
            (Every::Quarter, 12, "2027-11-15", "2028-02-29"),
        ] {
            let profile = Profile {
                format: 1,
                id: id("p"),
                title: crate::model::Text::new("", "P"),
                schedule: vec![crate::model::Schedule {
                    inspection: id("check"),
                    subjects: crate::model::Selector::Ids(vec![id("osaka")]),
                    every,
                }],
            };
            let catalog = catalog(vec![profile], start);
            let runs = last(&[("osaka", "check", last_run)]);
            let due = due_list(&catalog, &runs, today);
            assert_eq!(due.len(), 1);
            let case = format!("{every:?} start {start} last {last_run}");
            assert_eq!(due[0].due_date, d(due_date), "{case}");
            assert_eq!(due[0].overdue, d(due_date) < today, "{case}");
            assert_eq!(due[0].last_date, Some(d(last_run)), "{case}");
        }
    }

    #[test]
    fn retired_subjects_leave_the_list_and_the_most_frequent_rule_wins() {
        let mut catalog = catalog(vec![bundled("supplier-review")], 4);
        catalog.subjects.subjects[3].retired = true;
        let due = due_list(&catalog, &BTreeMap::new(), d("2026-11-25"));
        assert_eq!(pairs(&due), [("aoba", "supplier-check", "year")]);

        // Both rules match criticality-3 `kumo`; the half-year one wins
        // whichever order the rules are in.
        let mut profile = bundled("supplier-review");
        profile.schedule.reverse();
        let catalog = self::catalog(vec![profile], 4);
        let due = due_list(&catalog, &BTreeMap::new(), d("2026-11-25"));
        assert_eq!(
            pairs(&due),
            [
                ("aoba", "supplier-check", "year"),
                ("kumo", "supplier-check", "half-year"),
            ]
        );
        // An inactive profile schedules nothing.
        let mut catalog = catalog;
        catalog.config.profiles.clear();
        assert!(due_list(&catalog, &BTreeMap::new(), d("2026-11-25")).is_empty());
    }

    #[test]
    fn the_last_run_of_each_series_is_its_latest_date_in_any_order() {
        let run = |subject: &str, inspection: &str, when: &str| {
            let at = chrono::DateTime::parse_from_rfc3339(when).unwrap();
            Run {
                format: 1,
                id: format!("{subject}/{inspection}/{when}"),
                inspection: id(inspection),
                inspection_version: 1,
                inspection_hash: None,
                subject: id(subject),
                inspector: crate::model::Inspector {
                    id: id("sato"),
                    name: String::new(),
                    email: String::new(),
                },
                started: at,
                finished: at,
                answers: BTreeMap::new(),
                supersedes: None,
                closes: Vec::new(),
            }
        };
        let runs = [
            run("a", "x", "2026-05-01T09:00:00+09:00"),
            run("b", "x", "2026-01-01T09:00:00+09:00"),
            run("a", "x", "2026-03-01T09:00:00+09:00"),
            run("a", "y", "2025-12-31T23:30:00+09:00"),
        ];
        assert_eq!(
            last_runs(&runs),
            last(&[
                ("a", "x", "2026-05-01"),
                ("a", "y", "2025-12-31"),
                ("b", "x", "2026-01-01"),
            ])
        );
    }
}
