//! The guideline's four steps as a path: where the organisation stands on
//! step 1 (the five principles), step 2 (the self-check and the handbook),
//! step 3 (the management structure, the company's own rules, suppliers,
//! inspection and improvement) and step 4 (information sharing, website,
//! cloud, telework, incidents, services, technical measures, detailed risk
//! analysis), and what to do next, in tenken's own words.
//!
//! A step's inspections are those its profile (`step1` … `step4`, which
//! are cumulative) adds to the step before; each is judged on the latest
//! current run of every subject it applies to. Steps 3 and 4 also have a
//! milestone outside the checklists (who holds the key roles; a risk
//! assessment). Pure: runs, the catalog and dates come in.

use std::collections::BTreeMap;
use std::path::Path as FilePath;

use chrono::NaiveDate;

use crate::load::Catalog;
use crate::model::{
    Every, HistoryEntry, Id, Inspection, Lang, Name, Profile, Roles, Run, Selector, Text,
};
use crate::period;
use crate::roles::{INSPECTION_LEAD, SECURITY_LEAD};
use crate::score::{ReducedScale, Score, gaps};

/// The ids of the four step profiles, in order.
pub const STEP_PROFILES: [&str; 4] = ["step1", "step2", "step3", "step4"];

/// The roles step 3's management structure needs a holder for.
pub const KEY_ROLES: [&str; 2] = [SECURITY_LEAD, INSPECTION_LEAD];

/// How many days a risk assessment counts as recent for step 4.
pub const RISK_ANALYSIS_DAYS: i64 = 366;

/// A run with what it is scored against.
#[derive(Debug, Clone, Copy)]
pub struct Scored<'a> {
    /// The run.
    pub run: &'a Run,
    /// The template it answered.
    pub template: &'a Inspection,
    /// Its score against that template.
    pub score: &'a Score,
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// None of the step's inspections has a run and no milestone is met.
    NotStarted,
    /// Some inspections are missing or overdue, or a milestone is open.
    InProgress,
    /// Every inspection is current, but some result is below its
    /// checklist's top band.
    GapsRemain,
    /// Every inspection is current and in its top band, every milestone met.
    Met,
}

impl Status {
    /// Returns the status as JSON names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not-started",
            Self::InProgress => "in-progress",
            Self::GapsRemain => "gaps-remain",
            Self::Met => "met",
        }
    }

    /// Returns the status in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Self::NotStarted => lang.pick("未着手", "not started"),
            Self::InProgress => lang.pick("取り組み中", "in progress"),
            Self::GapsRemain => lang.pick("点検済み・課題あり", "inspected, gaps remain"),
            Self::Met => lang.pick("達成", "met"),
        }
    }

    /// Returns a one-character mark for narrow displays.
    pub fn mark(self) -> &'static str {
        match self {
            Self::NotStarted => "·",
            Self::InProgress => "◔",
            Self::GapsRemain => "◑",
            Self::Met => "✓",
        }
    }
}

/// The latest run of one inspection for one subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Last {
    /// The run id.
    pub run: String,
    /// The date it was finished.
    pub date: NaiveDate,
    /// Points scored.
    pub score: i64,
    /// The maximum (of the applicable items).
    pub max: i64,
    /// `score / max` in percent.
    pub percent: f64,
    /// The band it landed in.
    pub band: Option<Text>,
    /// The band's advice.
    pub advice: Text,
    /// True when the band is the checklist's top band.
    pub top: bool,
    /// Items answered below their best choice.
    pub gaps: usize,
    /// Of those, answered "don't know".
    pub dont_know: usize,
    /// The reduced scale, when items were not applicable.
    pub reduced: Option<ReducedScale>,
}

/// One inspection of a step for one subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The inspection.
    pub inspection: Id,
    /// Its title (the id when the repository lacks the template).
    pub title: Text,
    /// How often it is due: as the active profiles ask, else as the
    /// step's profile does.
    pub every: Every,
    /// The subject, or `None` when the profile's rule selects none.
    pub subject: Option<(Id, Name)>,
    /// Which subjects the rule selects (to explain an empty selection).
    pub selector: Selector,
    /// The latest current run, if any.
    pub last: Option<Last>,
    /// When the next run is due (none without a subject).
    pub due: Option<NaiveDate>,
    /// Due before today.
    pub overdue: bool,
}

impl Check {
    /// Returns true when the check has a run that is not overdue.
    pub fn current(&self) -> bool {
        self.last.is_some() && !self.overdue
    }
}

/// Something a step needs that is not a checklist.
#[derive(Debug, Clone, PartialEq)]
pub enum Milestone {
    /// Step 3: holders for the key roles (management structure, table 8).
    Roles {
        /// The key roles without a holder, with their titles.
        missing: Vec<(Id, Text)>,
    },
    /// Step 4 (8): a detailed risk analysis in the last year.
    RiskAnalysis {
        /// The date of the latest assessment, if any.
        latest: Option<NaiveDate>,
        /// True when it is recent enough.
        recent: bool,
    },
}

impl Milestone {
    /// Returns the milestone's name in JSON.
    pub fn id(&self) -> &'static str {
        match self {
            Self::Roles { .. } => "roles",
            Self::RiskAnalysis { .. } => "risk-analysis",
        }
    }

    /// Returns true when the milestone is met.
    pub fn met(&self) -> bool {
        match self {
            Self::Roles { missing } => missing.is_empty(),
            Self::RiskAnalysis { recent, .. } => *recent,
        }
    }

    /// Returns true when some of it is done.
    fn begun(&self) -> bool {
        match self {
            Self::Roles { missing } => missing.len() < KEY_ROLES.len(),
            Self::RiskAnalysis { latest, .. } => latest.is_some(),
        }
    }

    /// Describes the milestone and its state.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Self::Roles { missing } if missing.is_empty() => lang
                .pick(
                    "管理体制: 情報セキュリティ責任者と点検責任者が決まっています",
                    "Management structure: the information security lead and the inspection lead are named",
                )
                .to_owned(),
            Self::Roles { missing } => format!(
                "{}{}",
                lang.pick("管理体制: 担当者が未定の役割 — ", "Management structure: nobody holds "),
                titles(missing, lang)
            ),
            Self::RiskAnalysis { latest: None, .. } => lang
                .pick(
                    "詳細リスク分析: まだありません",
                    "Detailed risk analysis: none yet",
                )
                .to_owned(),
            Self::RiskAnalysis {
                latest: Some(date),
                recent,
            } => format!(
                "{} {date}{}",
                lang.pick("詳細リスク分析: 最新", "Detailed risk analysis: latest"),
                if *recent {
                    ""
                } else {
                    lang.pick("（1年以上前）", " (more than a year ago)")
                }
            ),
        }
    }
}

fn titles(roles: &[(Id, Text)], lang: Lang) -> String {
    roles
        .iter()
        .map(|(_, t)| t.get(lang).to_owned())
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

/// One step of the path.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// 1 to 4.
    pub number: u8,
    /// The step's profile id.
    pub profile: Id,
    /// The step's title (from its profile).
    pub title: Text,
    /// True when `tenken.ron` activates the step's profile.
    pub active: bool,
    /// The inspections the step adds, one per subject.
    pub checks: Vec<Check>,
    /// What the step needs besides inspections.
    pub milestones: Vec<Milestone>,
    /// Where the step stands.
    pub status: Status,
}

/// The whole path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The four steps.
    pub steps: Vec<Step>,
}

impl Path {
    /// Returns the first step not met, or `None` when all four are.
    pub fn current(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.status != Status::Met)
    }
}

/// Returns the step profiles: the repository's, or the bundled ones where
/// the repository has none (repositories made before they were added).
pub fn profiles(catalog: &Catalog) -> Vec<Profile> {
    STEP_PROFILES
        .iter()
        .filter_map(|id| {
            catalog.profiles.get(*id).cloned().or_else(|| {
                let file = crate::bundle::PROFILES
                    .iter()
                    .find(|f| f.name.strip_suffix(".ron") == Some(id))?;
                crate::load::parse(FilePath::new(file.name), file.contents).ok()
            })
        })
        .collect()
}

/// Works out the path from the latest current runs, the latest risk
/// assessment's date and today.
///
/// `runs` may hold every current run; the latest of each subject and
/// inspection is used.
pub fn path(
    catalog: &Catalog,
    runs: &[Scored<'_>],
    latest_risk: Option<NaiveDate>,
    today: NaiveDate,
) -> Path {
    let mut latest: BTreeMap<(&Id, &Id), Scored<'_>> = BTreeMap::new();
    for s in runs {
        let key = (&s.run.subject, &s.run.inspection);
        let newer = latest
            .get(&key)
            .is_none_or(|l| (l.run.finished, &l.run.id) < (s.run.finished, &s.run.id));
        if newer {
            latest.insert(key, *s);
        }
    }
    let starter: Roles =
        crate::load::parse(FilePath::new("roles.ron"), crate::bundle::ROLES.contents)
            .unwrap_or_default();
    // How often the active profiles ask for each subject and inspection:
    // what `tenken due` goes by, and so what overdue means here too.
    let mut active: BTreeMap<(Id, Id), Every> = BTreeMap::new();
    for profile in catalog
        .config
        .profiles
        .iter()
        .filter_map(|p| catalog.profiles.get(p))
    {
        for rule in &profile.schedule {
            for subject in catalog
                .subjects
                .subjects
                .iter()
                .filter(|s| rule.subjects.matches(s))
            {
                active
                    .entry((subject.id.clone(), rule.inspection.clone()))
                    .and_modify(|e| *e = (*e).min(rule.every))
                    .or_insert(rule.every);
            }
        }
    }
    let mut before: Vec<Id> = Vec::new();
    let mut steps = Vec::new();
    for (n, profile) in (1u8..).zip(profiles(catalog)) {
        let mut checks = Vec::new();
        for rule in profile
            .schedule
            .iter()
            .filter(|r| !before.contains(&r.inspection))
        {
            checks.extend(checks_of(catalog, rule, &latest, &active, today));
        }
        before.extend(profile.schedule.iter().map(|r| r.inspection.clone()));
        let milestones = match n {
            3 => vec![Milestone::Roles {
                missing: KEY_ROLES
                    .iter()
                    .filter(|id| catalog.roles.get(id).is_none_or(|r| r.holders.is_empty()))
                    .filter_map(|id| {
                        let role = catalog.roles.get(id).or_else(|| starter.get(id))?;
                        Some((role.id.clone(), role.title.clone()))
                    })
                    .collect(),
            }],
            4 => vec![Milestone::RiskAnalysis {
                latest: latest_risk,
                recent: latest_risk.is_some_and(|d| (today - d).num_days() <= RISK_ANALYSIS_DAYS),
            }],
            _ => Vec::new(),
        };
        let status = status(&checks, &milestones);
        steps.push(Step {
            number: n,
            active: catalog.config.profiles.contains(&profile.id),
            profile: profile.id,
            title: profile.title,
            checks,
            milestones,
            status,
        });
    }
    Path { steps }
}

/// Works out the path from the history (answers in brief), the latest
/// risk assessment's date and today: what `tenken path` and the
/// dashboard's panel show.
///
/// Only the latest run of each subject and inspection is read, and of it
/// only the choices, rebuilt from the brief (`HistoryEntry::brief_run`).
pub fn path_of_history(
    catalog: &Catalog,
    history: &[HistoryEntry],
    latest_risk: Option<NaiveDate>,
    today: NaiveDate,
) -> Path {
    let mut latest: BTreeMap<(&Id, &Id), &HistoryEntry> = BTreeMap::new();
    for h in history {
        let key = (&h.run.subject, &h.run.inspection);
        if latest
            .get(&key)
            .is_none_or(|l| (l.run.finished, &l.run.id) < (h.run.finished, &h.run.id))
        {
            latest.insert(key, h);
        }
    }
    let runs: Vec<(Run, &HistoryEntry)> =
        latest.into_values().map(|h| (h.brief_run(), h)).collect();
    let scored: Vec<Scored<'_>> = runs
        .iter()
        .map(|(run, h)| Scored {
            run,
            template: &h.template,
            score: &h.score,
        })
        .collect();
    path(catalog, &scored, latest_risk, today)
}

/// The checks of one profile rule: one per selected subject, or one
/// without a subject when the rule selects none. A check is due as often
/// as the active profiles ask (`active`), else as the step's rule says.
fn checks_of(
    catalog: &Catalog,
    rule: &crate::model::Schedule,
    latest: &BTreeMap<(&Id, &Id), Scored<'_>>,
    active: &BTreeMap<(Id, Id), Every>,
    today: NaiveDate,
) -> Vec<Check> {
    let title = catalog.judging_template(&rule.inspection).map_or_else(
        || Text::new(rule.inspection.as_str(), rule.inspection.as_str()),
        |i| i.title.clone(),
    );
    let subjects: Vec<_> = catalog
        .subjects
        .subjects
        .iter()
        .filter(|s| !s.retired && rule.subjects.matches(s))
        .collect();
    if subjects.is_empty() {
        return vec![Check {
            inspection: rule.inspection.clone(),
            title,
            every: rule.every,
            subject: None,
            selector: rule.subjects.clone(),
            last: None,
            due: None,
            overdue: false,
        }];
    }
    subjects
        .into_iter()
        .map(|subject| {
            let last = latest.get(&(&subject.id, &rule.inspection)).map(last_of);
            let every = active
                .get(&(subject.id.clone(), rule.inspection.clone()))
                .copied()
                .unwrap_or(rule.every);
            let due = period::next_due(
                last.as_ref().map(|l| l.date),
                every,
                catalog.config.fiscal_year_start,
                today,
            );
            Check {
                inspection: rule.inspection.clone(),
                title: title.clone(),
                every,
                subject: Some((subject.id.clone(), subject.name.clone())),
                selector: rule.subjects.clone(),
                overdue: last.is_some() && due < today,
                last,
                due: Some(due),
            }
        })
        .collect()
}

fn last_of(s: &Scored<'_>) -> Last {
    let percent = s.score.percent();
    let band = s.score.band(s.template);
    let top = s
        .template
        .bands
        .iter()
        .map(|b| b.min_percent)
        .max()
        .is_none_or(|top| percent >= f64::from(top));
    let found = gaps(s.template, &s.run.answers);
    Last {
        run: s.run.id.clone(),
        date: s.run.date(),
        score: s.score.score,
        max: s.score.max,
        percent,
        band: band.map(|b| b.label.clone()),
        advice: band.map(|b| b.advice.clone()).unwrap_or_default(),
        top,
        dont_know: found.iter().filter(|g| g.dont_know()).count(),
        gaps: found.len(),
        reduced: ReducedScale::of(s.score, s.template),
    }
}

fn status(checks: &[Check], milestones: &[Milestone]) -> Status {
    let applicable: Vec<&Check> = checks.iter().filter(|c| c.subject.is_some()).collect();
    let any =
        applicable.iter().any(|c| c.last.is_some()) || milestones.iter().any(Milestone::begun);
    if !any {
        return Status::NotStarted;
    }
    if !applicable.iter().all(|c| c.current()) || !milestones.iter().all(Milestone::met) {
        return Status::InProgress;
    }
    if applicable
        .iter()
        .all(|c| c.last.as_ref().is_some_and(|l| l.top))
    {
        Status::Met
    } else {
        Status::GapsRemain
    }
}

/// One thing to do at a step: what, and for which inspection and subject
/// when it is about one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    /// The inspection's title, when the thing is about one.
    pub inspection: Option<String>,
    /// The subject's name, when the thing is about one subject.
    pub subject: Option<String>,
    /// What to do (or what is missing), in tenken's words.
    pub what: String,
}

impl Todo {
    fn about(inspection: &Text, subject: Option<&str>, lang: Lang, what: String) -> Self {
        Self {
            inspection: Some(inspection.get(lang).to_owned()),
            subject: subject.map(str::to_owned),
            what,
        }
    }

    fn plain(what: String) -> Self {
        Self {
            inspection: None,
            subject: None,
            what,
        }
    }

    /// Returns the thing as one line: "<inspection> — <subject>: <what>".
    pub fn line(&self) -> String {
        match (&self.inspection, &self.subject) {
            (Some(title), Some(name)) => format!("{title} — {name}: {}", self.what),
            (Some(title), None) => format!("{title}: {}", self.what),
            _ => self.what.clone(),
        }
    }
}

impl Step {
    /// Returns what the guideline says to do at this step, then what is
    /// missing here, each as one line (see [`Step::todos`]).
    pub fn next(&self, lang: Lang) -> Vec<String> {
        self.todos(lang).iter().map(Todo::line).collect()
    }

    /// Returns what the guideline says to do at this step, then what is
    /// missing here: roles, inspections never made or overdue, "don't
    /// know" answers to settle, the band's advice. tenken's own words.
    pub fn todos(&self, lang: Lang) -> Vec<Todo> {
        let mut out = Vec::new();
        if self.status == Status::Met {
            out.push(Todo::plain(
                lang.pick(
                    "このステップは達成しています。予定どおり点検を続け、結果が下がらないか見てください。",
                    "This step is met: keep inspecting on schedule and watch that results do not slip.",
                )
                .to_owned(),
            ));
            return out;
        }
        out.push(Todo::plain(advice(self.number, lang).to_owned()));
        for m in &self.milestones {
            if !m.met() {
                out.push(Todo::plain(match m {
                    Milestone::Roles { missing } => format!(
                        "{}{}{}",
                        lang.pick("役割の担当者を決めてください: ", "Name who holds these roles: "),
                        titles(missing, lang),
                        lang.pick("（`tenken roles set`）", " (`tenken roles set`)")
                    ),
                    Milestone::RiskAnalysis { .. } => lang
                        .pick(
                            "情報資産を洗い出し、詳細リスク分析を行ってください（ダッシュボードの R: リスク台帳）。",
                            "List the information assets and analyse their risks in detail (R on the dashboard: the risk register).",
                        )
                        .to_owned(),
                }));
            }
        }
        for c in &self.checks {
            let about = |name: Option<&str>, what: String| Todo::about(&c.title, name, lang, what);
            match (&c.subject, &c.last) {
                (None, _) => out.push(about(
                    None,
                    match &c.selector {
                        Selector::Tag(tag) | Selector::KindTag(_, tag) => match lang {
                            Lang::Ja => format!("タグ `{tag}` の対象がありません。該当するものがあれば台帳でタグを付けてください。"),
                            Lang::En => format!("no subject is tagged `{tag}`; tag the ones it applies to in the register, if any."),
                        },
                        _ => lang
                            .pick("対象がありません。", "no subject it applies to.")
                            .to_owned(),
                    },
                )),
                (Some((_, name)), None) => out.push(about(
                    Some(name.get(lang)),
                    lang.pick("まだ点検していません。", "never inspected.").to_owned(),
                )),
                (Some((_, name)), Some(last)) => {
                    if c.overdue {
                        out.push(about(
                            Some(name.get(lang)),
                            format!(
                                "{} {}",
                                lang.pick("期限切れ。前回", "overdue; last inspected"),
                                last.date
                            ),
                        ));
                    }
                    if last.dont_know > 0 {
                        out.push(about(
                            Some(name.get(lang)),
                            match lang {
                                Lang::Ja => format!(
                                    "「わからない」の{}問は、まず事実を確かめて答え直してください。",
                                    last.dont_know
                                ),
                                Lang::En => format!(
                                    "find out the facts for the {} \"don't know\" {} first and answer again.",
                                    last.dont_know,
                                    if last.dont_know == 1 { "answer" } else { "answers" }
                                ),
                            },
                        ));
                    }
                    if !last.top && !last.advice.is_empty() {
                        out.push(about(
                            Some(name.get(lang)),
                            last.advice
                                .get(lang)
                                .split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" "),
                        ));
                    }
                }
            }
        }
        out
    }
}

/// What the guideline asks at each step, in tenken's words.
fn advice(step: u8, lang: Lang) -> &'static str {
    match step {
        1 => lang.pick(
            "できるところから始めます。5か条（OSやソフトウェアの更新、ウイルス対策ソフト、パスワードの強化、共有設定の見直し、脅威や手口を知ること）を実行し、5か条の点検で確かめてください。",
            "Start where you can: put the five principles in place (updates, anti-malware, strong passwords, reviewed sharing settings, knowing the threats) and confirm them with the five-principles check.",
        ),
        2 => lang.pick(
            "25問の自社診断で現状を確かめ、点数の低い項目から、従業員の意見も聞いて対策を決めてください。決めた対策は自社のハンドブックにまとめて従業員に配ります（`tenken handbook`）。",
            "Take the 25-question self-check, then decide the measures with staff, lowest-scoring items first, and hand them to staff in the company's own handbook (`tenken handbook`).",
        ),
        3 => lang.pick(
            "管理体制（役割と担当者）を決め、リスクを洗い出して対策を選び、自社の規程にまとめます。委託先とは契約で対策を取り決め、規程どおりに行われているかを定期的に点検して改善してください。",
            "Set up the management structure (roles and who holds them), identify the risks and choose measures, and write them into the company's own rules. Agree measures with suppliers in their contracts, and inspect regularly against the rules and improve.",
        ),
        _ => lang.pick(
            "対策をさらに強くします。情報の収集と共有、Webサイト、クラウドサービス、テレワーク、事故への備え、セキュリティサービスと技術的対策の活用、詳細リスク分析に取り組んでください。",
            "Make the measures stronger: gather and share threat information, secure the website, cloud services and telework, prepare for incidents, make use of security services and technical measures, and analyse risks in detail.",
        ),
    }
}

#[cfg(test)]
mod tests;
