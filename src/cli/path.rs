//! `tenken path`: where the organisation stands on the guideline's four
//! steps (`crate::steps`): each step's status, the inspections it adds
//! with the latest current run of each subject, its milestones, and what
//! to do next; as text (in the repository's language) or JSON.

use std::fmt::Write as _;

use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;

use crate::cli::{Ctx, Format, print, print_json, table};
use crate::error::Result;
use crate::escape;
use crate::model::Lang;
use crate::number::pct;
use crate::steps::{self, Check, Path, Step};
use crate::store::HistoryFilter;

/// Show where the organisation stands on the guideline's four steps, and what to do next
#[derive(Debug, Args)]
#[command(after_long_help = PATH_HELP)]
pub struct PathArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How a step is judged, shown by `tenken path --help`.
const PATH_HELP: &str = "\
Each step's inspections are those its profile (step1 … step4) adds to the
step before, for every subject the profile's rule selects. A step is met when
each of them has a current run (not overdue, as often as the active profiles
ask) in its checklist's top band, and, for step 3, the information security
lead and the inspection lead are named (`tenken roles`) and, for step 4, a
risk assessment is less than a year old. The current step is the first one
not met. Only committed, current runs count.";

/// One check in `path --format json`.
#[derive(Debug, Serialize)]
struct CheckJson {
    inspection: String,
    title: String,
    subject: Option<String>,
    subject_name: Option<String>,
    every: &'static str,
    last_run: Option<String>,
    last_date: Option<NaiveDate>,
    score: Option<i64>,
    max: Option<i64>,
    percent: Option<f64>,
    band: Option<String>,
    top_band: bool,
    gaps: usize,
    dont_know: usize,
    scale: Option<String>,
    due_date: Option<NaiveDate>,
    overdue: bool,
}

/// One milestone in `path --format json`.
#[derive(Debug, Serialize)]
struct MilestoneJson {
    id: &'static str,
    met: bool,
    detail: String,
}

/// One step in `path --format json`.
#[derive(Debug, Serialize)]
struct StepJson {
    step: u8,
    profile: String,
    title: String,
    active: bool,
    status: &'static str,
    checks: Vec<CheckJson>,
    milestones: Vec<MilestoneJson>,
    next: Vec<String>,
}

/// `path --format json`.
#[derive(Debug, Serialize)]
struct PathJson {
    current_step: Option<u8>,
    steps: Vec<StepJson>,
}

/// Works out and prints the path.
pub fn cmd_path(ctx: &Ctx, args: &PathArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let history = store.history(&catalog, &HistoryFilter::default())?;
    let latest_risk = store.risks()?.last().map(|r| r.date);
    let path = steps::path_of_history(&catalog, &history, latest_risk, ctx.clock.today());
    match args.format {
        Format::Json => print_json(&json(&path, lang)),
        Format::Text => print(&text(&path, lang)),
    }
}

fn json(path: &Path, lang: Lang) -> PathJson {
    PathJson {
        current_step: path.current().map(|s| s.number),
        steps: path
            .steps
            .iter()
            .map(|s| StepJson {
                step: s.number,
                profile: s.profile.to_string(),
                title: s.title.get(lang).to_owned(),
                active: s.active,
                status: s.status.as_str(),
                checks: s.checks.iter().map(|c| check_json(c, lang)).collect(),
                milestones: s
                    .milestones
                    .iter()
                    .map(|m| MilestoneJson {
                        id: m.id(),
                        met: m.met(),
                        detail: m.describe(lang),
                    })
                    .collect(),
                next: s.next(lang),
            })
            .collect(),
    }
}

fn check_json(c: &Check, lang: Lang) -> CheckJson {
    let last = c.last.as_ref();
    CheckJson {
        inspection: c.inspection.to_string(),
        title: c.title.get(lang).to_owned(),
        subject: c.subject.as_ref().map(|(id, _)| id.to_string()),
        subject_name: c
            .subject
            .as_ref()
            .map(|(_, name)| name.get(lang).to_owned()),
        every: c.every.as_str(),
        last_run: last.map(|l| l.run.clone()),
        last_date: last.map(|l| l.date),
        score: last.map(|l| l.score),
        max: last.map(|l| l.max),
        percent: last.map(|l| crate::number::round1(l.percent)),
        band: last
            .and_then(|l| l.band.as_ref())
            .map(|b| b.get(lang).to_owned()),
        top_band: last.is_some_and(|l| l.top),
        gaps: last.map_or(0, |l| l.gaps),
        dont_know: last.map_or(0, |l| l.dont_know),
        scale: last.and_then(|l| l.reduced).map(|r| r.sentence(lang)),
        due_date: c.due,
        overdue: c.overdue,
    }
}

/// The path as text: where the organisation stands, each step with its
/// inspections and milestones, then what to do next at the current step.
fn text(path: &Path, lang: Lang) -> String {
    let mut out = String::new();
    match path.current() {
        Some(step) => {
            let _ = writeln!(
                out,
                "{} {} — {}",
                lang.pick("現在地:", "Where you stand:"),
                escape::line(step.title.get(lang)),
                step.status.label(lang)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "現在地: 4つのステップをすべて達成しています。",
                    "Where you stand: all four steps are met.",
                )
            );
        }
    }
    for step in &path.steps {
        step_text(&mut out, step, lang);
    }
    let (next, heading) = match path.current() {
        Some(step) => (
            step.next(lang),
            match lang {
                Lang::Ja => format!("次にすること（ステップ{}）", step.number),
                Lang::En => format!("What to do next (step {})", step.number),
            },
        ),
        None => (
            vec![
                lang.pick(
                    "予定どおり点検を続け、結果が下がらないか見てください。規程や体制は事業や体制が変わったときに見直します。",
                    "Keep inspecting on schedule and watch that results do not slip; review the rules and the structure when the business or the organisation changes.",
                )
                .to_owned(),
            ],
            lang.pick("次にすること", "What to do next").to_owned(),
        ),
    };
    let _ = writeln!(out, "\n{heading}:");
    for line in next {
        let _ = writeln!(out, "  - {}", escape::line(&line));
    }
    out
}

fn step_text(out: &mut String, step: &Step, lang: Lang) {
    let active = if step.active {
        lang.pick("（有効なプロファイル）", " (active profile)")
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "\n{} {} — {}{active}",
        step.status.mark(),
        escape::line(step.title.get(lang)),
        step.status.label(lang)
    );
    let never = lang.pick("未実施", "never");
    let rows: Vec<Vec<String>> = step
        .checks
        .iter()
        .map(|c| {
            let subject = c.subject.as_ref().map_or_else(
                || lang.pick("（対象なし）", "(none)").to_owned(),
                |(_, n)| escape::line(n.get(lang)),
            );
            let (date, percent, band, gaps) = match &c.last {
                None if c.subject.is_none() => {
                    ("—".to_owned(), String::new(), String::new(), String::new())
                }
                None => (
                    never.to_owned(),
                    String::new(),
                    String::new(),
                    String::new(),
                ),
                Some(l) => (
                    l.date.to_string(),
                    format!("{}%", pct(l.percent)),
                    l.band
                        .as_ref()
                        .map(|b| escape::line(b.get(lang)))
                        .unwrap_or_default(),
                    gaps_text(l.gaps, l.dont_know, lang),
                ),
            };
            let due = match (c.due, c.overdue) {
                (Some(d), true) => format!("{} {d}", lang.pick("期限切れ", "overdue")),
                (Some(d), false) => d.to_string(),
                (None, _) => String::new(),
            };
            vec![
                escape::line(c.title.get(lang)),
                subject,
                date,
                percent,
                band,
                gaps,
                due,
            ]
        })
        .collect();
    if !rows.is_empty() {
        let table = table::render(
            &[
                lang.pick("点検", "INSPECTION"),
                lang.pick("対象", "SUBJECT"),
                lang.pick("点検日", "LAST"),
                "%",
                lang.pick("区分", "BAND"),
                lang.pick("指摘", "GAPS"),
                lang.pick("次回期限", "DUE"),
            ],
            &[false, false, false, true, false, false, false],
            &rows,
        );
        for line in table.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    for m in &step.milestones {
        let _ = writeln!(
            out,
            "    {} {}",
            if m.met() { "✓" } else { "!" },
            escape::line(&m.describe(lang))
        );
    }
}

/// `3 (1 don't know)`, or empty when there are no gaps.
fn gaps_text(gaps: usize, dont_know: usize, lang: Lang) -> String {
    match (gaps, dont_know) {
        (0, _) => String::new(),
        (g, 0) => g.to_string(),
        (g, d) => match lang {
            Lang::Ja => format!("{g}（わからない{d}）"),
            Lang::En => format!("{g} ({d} don't know)"),
        },
    }
}
