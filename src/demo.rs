//! `tenken demo`: builds a realistic, deterministic demo repository — a
//! small design company with two sites and five suppliers, seven quarters of
//! self-checks that improve with a setback, yearly supplier and cloud
//! checks, corrective actions in every state, two risk assessments and a
//! draft in progress. Dates are relative to the clock, so the demo always
//! looks current; with a fixed clock it is identical byte for byte. Every
//! note, piece of evidence and corrective action is written for the item it
//! sits on (`demo/notes.rs`); the risk register is `demo/risks.rs`, the
//! management structure (roles and committee) `demo/roles.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::load::Catalog;
use crate::model::{
    Action, Answer, Draft, FORMAT, Id, Inspector, Lang, Name, RiskAssessment, Subject, SubjectKind,
    Subjects,
};
use crate::period::Period;
use crate::store::{Identity, InitOptions, Store};

mod notes;
mod risks;
mod roles;

pub use notes::{ItemNotes, Owner};

/// The organisation of the demo, in Japanese and English.
pub const ORGANISATION: (&str, &str) = ("さくらデザイン工房", "Sakura Design Works");

fn id(s: &str) -> Result<Id> {
    Id::new(s).map_err(|e| Error::Internal(format!("demo id `{s}`: {e}")))
}

fn inspector(id_: &str, name: &str) -> Result<Inspector> {
    Ok(Inspector {
        id: id(id_)?,
        name: name.into(),
        email: format!("{id_}@sakura-design.example"),
    })
}

/// A stable hash in [0, 1) of the parts, so the demo is the same every time.
fn unit(parts: &[&str]) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let x = (h >> 11) as f64 / (1u64 << 53) as f64;
    x
}

fn pick<'a>(pool: &'a [&'a str], parts: &[&str]) -> &'a str {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = (unit(parts) * pool.len() as f64) as usize;
    pool[i.min(pool.len() - 1)]
}

/// Returns the demo's texts for an item; every item of every template the
/// demo runs has them (a test checks it).
fn item_notes(inspection: &str, item: &str) -> Result<ItemNotes> {
    notes::for_item(inspection, item).ok_or_else(|| {
        Error::Internal(format!(
            "the demo has no notes for {inspection} item {item}"
        ))
    })
}

/// Returns the demo's texts for `item` of `inspection`: the note for a
/// "partly done" or "not done" answer, the evidence of a "done" one and the
/// corrective action for a gap.
pub fn notes_for(inspection: &str, item: &str) -> Option<ItemNotes> {
    notes::for_item(inspection, item)
}

/// Returns the notes the demo may put on a "don't know" answer of
/// `inspection`.
pub fn unknown_notes(inspection: &str) -> &'static [&'static str] {
    notes::unknown(inspection)
}

/// Returns the templates the demo's notes cover: the ones it runs.
pub fn inspections_with_notes() -> impl Iterator<Item = &'static str> {
    notes::inspections()
}

/// Returns the items of `inspection` the demo has notes for.
pub fn items_with_notes(inspection: &str) -> Vec<&'static str> {
    notes::item_ids(inspection)
}

/// Builds the demo repository in `dir` (which must not be a tenken
/// repository yet) and returns it.
pub fn build(dir: &Path, clock: Clock) -> Result<Store> {
    let now = clock.now();
    let today = now.date_naive();
    let offset = *now.offset();
    let sato = inspector("sato", "Sato Hanako")?;
    let tanaka = inspector("tanaka", "Tanaka Ken")?;
    let start = first_quarter_start(today, 6);
    let at = |date: NaiveDate, hour: u32| -> Result<Clock> {
        let t = offset
            .from_local_datetime(&date.and_hms_opt(hour, 0, 0).unwrap_or_default())
            .single()
            .ok_or_else(|| Error::Internal("demo time".into()))?;
        Ok(Clock::Fixed(t))
    };
    let opts = InitOptions {
        organisation: Name::of(ORGANISATION.0, ORGANISATION.1),
        profile: id("sme-standard")?,
        fiscal_year_start: 4,
        lang: Lang::En,
    };
    let store = Store::init(
        dir,
        &opts,
        &Identity::from_inspector(&sato),
        at(start - Duration::days(7), 9)?,
    )?;
    let subjects = register()?;
    store.save_subjects(
        &subjects,
        &Identity::from_inspector(&sato),
        "register: demo organisation, sites and suppliers",
        at(start - Duration::days(6), 9)?,
    )?;
    store.save_roles(
        &roles::structure()?,
        &Identity::from_inspector(&sato),
        "roles: the demo company's management structure",
        at(start - Duration::days(5), 9)?,
    )?;
    let catalog = store.catalog()?;
    let mut rec = Recorder {
        store: &store,
        catalog: &catalog,
        today,
        planned: Vec::new(),
        open: BTreeMap::new(),
        partly: BTreeSet::new(),
    };

    // Seven quarters of self-checks and five-principles checks for the
    // organisation: steady improvement, a setback after an office move.
    let maturity = [0.40, 0.48, 0.56, 0.63, 0.55, 0.70, 0.80];
    for (q, level) in maturity.iter().enumerate() {
        let quarter = Period::quarter_of(start).shifted(i64::try_from(q).unwrap_or(0));
        let day = quarter.start() + Duration::days(20);
        rec.run("ipa-self-check", "self", &sato, day, *level, at(day, 10)?)?;
        rec.run(
            "ipa-five-principles",
            "self",
            &tanaka,
            day + Duration::days(1),
            *level - 0.15,
            at(day + Duration::days(1), 14)?,
        )?;
        if q % 2 == 1 {
            rec.run(
                "ipa-self-check",
                "osaka-branch",
                &tanaka,
                day + Duration::days(3),
                *level - 0.1,
                at(day + Duration::days(3), 11)?,
            )?;
        }
        if q % 2 == 0 {
            rec.run(
                "ipa-self-check",
                "tokyo-office",
                &sato,
                day + Duration::days(2),
                *level + 0.05,
                at(day + Duration::days(2), 11)?,
            )?;
        }
    }
    // Half-yearly readiness checks.
    for (h, level) in [0.35, 0.5, 0.62].iter().enumerate() {
        let day = start + Duration::days(40 + 182 * i64::try_from(h).unwrap_or(0));
        rec.run(
            "incident-readiness",
            "self",
            &sato,
            day,
            *level,
            at(day, 15)?,
        )?;
        rec.run(
            "telework",
            "self",
            &tanaka,
            day + Duration::days(2),
            *level + 0.05,
            at(day + Duration::days(2), 15)?,
        )?;
    }
    // Yearly supplier and cloud checks; one supplier overdue, one never checked.
    let year_ago = today - Duration::days(380);
    let recent = today - Duration::days(35);
    let long_ago = today - Duration::days(720);
    for (supplier, first, second) in [
        ("aoba-accounting", 0.55, Some(0.75)),
        ("nimbus-mail", 0.7, Some(0.65)),
        ("minato-web", 0.35, Some(0.55)),
        ("kumo-storage", 0.5, None),
    ] {
        // Kumo Storage's only check is two years old: overdue.
        let first_day = if second.is_none() { long_ago } else { year_ago };
        rec.run(
            "supplier-check",
            supplier,
            &sato,
            first_day,
            first,
            at(first_day, 13)?,
        )?;
        if let Some(level) = second {
            rec.run(
                "supplier-check",
                supplier,
                &sato,
                recent,
                level,
                at(recent, 13)?,
            )?;
        }
    }
    for (service, first, second) in [
        ("nimbus-mail", 0.6, Some(0.8)),
        ("kumo-storage", 0.45, None),
    ] {
        rec.run(
            "cloud-service",
            service,
            &tanaka,
            year_ago + Duration::days(3),
            first,
            at(year_ago + Duration::days(3), 16)?,
        )?;
        if let Some(level) = second {
            rec.run(
                "cloud-service",
                service,
                &tanaka,
                recent + Duration::days(3),
                level,
                at(recent + Duration::days(3), 16)?,
            )?;
        }
    }

    for (date, second) in [
        (today - Duration::days(400), false),
        (today - Duration::days(30), true),
    ] {
        rec.planned.push(Planned::Risk(
            Box::new(risks::risk_assessment(&sato, date, second)?),
            at(date, 17)?,
        ));
    }
    rec.commit_all()?;

    // A supplier check in progress, to be resumed.
    let mut answers = BTreeMap::new();
    if let Some(template) = catalog.inspections.get(&id("supplier-check")?) {
        for ((_, item), choice) in template.items().zip(["yes", "partly", "yes"]) {
            let mut a = Answer::new(id(choice)?);
            if choice == "partly" {
                item_notes("supplier-check", item.id.as_str())?
                    .partly
                    .clone_into(&mut a.note);
            }
            answers.insert(item.id.clone(), a);
        }
    }
    let draft = Draft {
        format: FORMAT,
        inspection: id("supplier-check")?,
        inspection_version: catalog
            .inspections
            .get(&id("supplier-check")?)
            .map_or(1, |i| i.version),
        inspection_hash: None,
        subject: id("hikari-print")?,
        inspector: sato,
        started: now - Duration::days(1),
        answers,
        cursor: 3,
        supersedes: None,
        closes: Vec::new(),
    };
    store.save_draft(&draft)?;
    Ok(store)
}

/// Returns the first day of the quarter `back` quarters before today's.
fn first_quarter_start(today: NaiveDate, back: i64) -> NaiveDate {
    Period::quarter_of(today).shifted(-back).start()
}

struct Recorder<'a> {
    store: &'a Store,
    catalog: &'a Catalog,
    today: NaiveDate,
    planned: Vec<Planned>,
    /// Open actions (`<run id>#<item>`) by subject, inspection and item, as
    /// the runs of each series are planned in order.
    open: BTreeMap<(String, String, Id), Vec<String>>,
    /// Items answered "partly done" in the latest planned run of their
    /// series, by subject, inspection and item.
    partly: BTreeSet<(String, String, Id)>,
}

/// A record to commit, at the time of its clock.
enum Planned {
    Run(Box<Draft>, Clock),
    Risk(Box<RiskAssessment>, Clock),
}

impl Planned {
    fn clock(&self) -> Clock {
        match self {
            Self::Run(_, c) | Self::Risk(_, c) => *c,
        }
    }
}

impl Recorder<'_> {
    /// Commits everything planned, oldest first, so history reads in order.
    fn commit_all(&mut self) -> Result<()> {
        let mut planned = std::mem::take(&mut self.planned);
        planned.sort_by_key(|p| p.clock().now());
        for p in planned {
            match p {
                Planned::Run(draft, clock) => {
                    let finished: DateTime<FixedOffset> = clock.now();
                    self.store
                        .record_run(*draft, self.catalog, finished, clock)?;
                }
                Planned::Risk(risk, clock) => {
                    self.store.commit_risk(*risk, clock)?;
                }
            }
        }
        Ok(())
    }

    /// Plans one run whose answers reach `level` (0–1) of maturity.
    fn run(
        &mut self,
        inspection: &str,
        subject: &str,
        who: &Inspector,
        day: NaiveDate,
        level: f64,
        clock: Clock,
    ) -> Result<()> {
        if day >= self.today {
            return Ok(());
        }
        let Some(template) = self.catalog.inspections.get(&id(inspection)?) else {
            return Ok(());
        };
        // The id the store will give the run: runs are committed at their
        // clock's time and no two demo runs share a second.
        let run_id = format!(
            "{subject}/{inspection}/{}-{}",
            clock.now().format("%Y-%m-%dT%H%M%S"),
            who.id
        );
        let mut closes = Vec::new();
        let mut answers = BTreeMap::new();
        for (_, item) in template.items() {
            let mut choices: Vec<_> = template
                .choices(item)
                .iter()
                .filter(|c| c.points.is_some())
                .collect();
            choices.sort_by_key(|c| std::cmp::Reverse(c.points));
            let h = unit(&[inspection, subject, item.id.as_str()]);
            let rank = if h < level {
                0
            } else if h < level + 0.35 {
                1
            } else if h < 0.97 || choices.len() < 4 || level > 0.5 {
                2
            } else {
                3
            };
            let Some(choice) = choices.get(rank.min(choices.len().saturating_sub(1))) else {
                continue;
            };
            let mut answer = Answer::new(choice.id.clone());
            let day_s = day.to_string();
            let key = [inspection, subject, item.id.as_str(), day_s.as_str()];
            let written = item_notes(inspection, item.id.as_str())?;
            // A gap still open since the previous run carries a later note
            // where the demo has one.
            let still_partly =
                self.partly
                    .contains(&(subject.to_owned(), inspection.to_owned(), item.id.clone()));
            answer.note = match rank {
                0 => String::new(),
                1 => written
                    .later
                    .filter(|_| still_partly)
                    .unwrap_or(written.partly)
                    .to_owned(),
                2 => written.no.to_owned(),
                _ => pick(notes::unknown(inspection), &key).to_owned(),
            };
            if rank == 0 && unit(&key) < 0.3 && !written.evidence.is_empty() {
                answer.evidence.push(written.evidence.into());
            }
            // Gaps found in the last year get a corrective action; a later
            // run answering the item fully closes it, the rest stay open
            // (and some become overdue).
            if rank >= 1
                && (self.today - day).num_days() < 300
                && unit(&[&key[..], &["action"]].concat()) < 0.45
            {
                answer.action = Some(Action {
                    text: written.action.to_owned(),
                    owner: written.owner.name().to_owned(),
                    due: day + Duration::days(if rank == 1 { 90 } else { 45 }),
                });
            }
            let open = self
                .open
                .entry((subject.to_owned(), inspection.to_owned(), item.id.clone()))
                .or_default();
            if rank == 0 {
                // The best answer closes the earlier actions by itself.
                open.clear();
            } else if answer.action.is_some() {
                // A new action replaces the earlier ones, closed explicitly.
                closes.append(open);
                open.push(format!("{run_id}#{}", item.id));
            }
            let series = (subject.to_owned(), inspection.to_owned(), item.id.clone());
            if rank == 1 {
                self.partly.insert(series);
            } else {
                self.partly.remove(&series);
            }
            answers.insert(item.id.clone(), answer);
        }
        let draft = Draft {
            format: FORMAT,
            inspection: id(inspection)?,
            inspection_version: template.version,
            inspection_hash: None,
            subject: id(subject)?,
            inspector: who.clone(),
            started: clock.now() - Duration::minutes(35),
            answers,
            cursor: 0,
            supersedes: None,
            closes,
        };
        self.planned.push(Planned::Run(Box::new(draft), clock));
        Ok(())
    }
}

fn subject(
    id_: &str,
    kind: SubjectKind,
    name: Name,
    criticality: u8,
    services: &[Name],
    data: &[Name],
    tags: &[&str],
) -> Result<Subject> {
    Ok(Subject {
        id: id(id_)?,
        kind,
        name,
        contact: Name::default(),
        services: services.to_vec(),
        data_handled: data.to_vec(),
        criticality,
        tags: tags.iter().map(|s| (*s).to_owned()).collect(),
        retired: false,
    })
}

/// A name in Japanese and English.
fn both(ja: &str, en: &str) -> Name {
    Name::of(ja, en)
}

fn register() -> Result<Subjects> {
    use SubjectKind::{Organisation, Site, Supplier};
    Ok(Subjects {
        format: FORMAT,
        subjects: vec![
            subject(
                "self",
                Organisation,
                both(ORGANISATION.0, ORGANISATION.1),
                3,
                &[],
                &[],
                &[],
            )?,
            subject(
                "tokyo-office",
                Site,
                both("東京本社", "Tokyo head office"),
                3,
                &[],
                &[],
                &[],
            )?,
            subject(
                "osaka-branch",
                Site,
                both("大阪営業所", "Osaka branch"),
                2,
                &[],
                &[],
                &[],
            )?,
            subject(
                "aoba-accounting",
                Supplier,
                both("あおば会計事務所", "Aoba Accounting"),
                3,
                &[both("給与計算", "payroll"), both("記帳", "bookkeeping")],
                &[
                    both("従業員のマイナンバー", "staff My Number"),
                    both("給与", "payroll"),
                ],
                &[],
            )?,
            subject(
                "nimbus-mail",
                Supplier,
                "Nimbus Mail".into(),
                3,
                &[both("メール", "email")],
                &[both("全社メール", "all company mail")],
                &["cloud"],
            )?,
            subject(
                "kumo-storage",
                Supplier,
                both("くもストレージ", "Kumo Storage"),
                3,
                &[both("ファイル共有", "file sharing")],
                &[
                    both("設計図面", "design drawings"),
                    both("顧客資料", "customer files"),
                ],
                &["cloud"],
            )?,
            subject(
                "minato-web",
                Supplier,
                both("みなとWeb制作", "Minato Web Studio"),
                2,
                &[both("Webサイト保守", "website upkeep")],
                &[both("問い合わせフォーム", "contact form entries")],
                &[],
            )?,
            subject(
                "hikari-print",
                Supplier,
                both("ひかり印刷", "Hikari Printing"),
                1,
                &[both("印刷", "printing")],
                &[both("入稿データ", "print-ready artwork")],
                &[],
            )?,
        ],
    })
}
