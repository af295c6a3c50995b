//! The JSON report: the full run(s), every item with its answer, computed
//! scores per run and per section, the comparison ([`ComparisonJson`], the
//! very struct `tenken compare --format json` prints, DESIGN §7) and the
//! trend. Pure.
//!
//! Dates are `YYYY-MM-DD`, timestamps RFC 3339 with offset, percentages
//! rounded to one decimal, lists oldest first or in walk order. Text from
//! data is kept as it is; hidden characters are written as `\u` escapes
//! (`escape::to_json_pretty`).

use serde::Serialize;

use super::{Report, RunReport};
use crate::compare::{ItemChange, RunComparison, RunSide, Summary};
use crate::model::{Id, Lang};
use crate::number::round1;

/// Renders the report as pretty JSON with a final newline.
pub fn render(report: &Report) -> String {
    let doc = Doc {
        organisation: report.organisation.clone(),
        lang: report.lang.tag(),
        kind: if report.review { "review" } else { "run" },
        runs: report
            .runs
            .iter()
            .map(|r| JsonRun::new(r, report.lang, report.fiscal_start))
            .collect(),
        missing: report
            .missing
            .iter()
            .map(|m| JsonMissing {
                subject: m.subject.to_string(),
                name: m.name.clone(),
                criticality: m.criticality,
                reason: m.reason.clone(),
                due: m.due.as_ref().map(JsonDue::new),
            })
            .collect(),
    };
    // Serialising plain structs of strings and numbers cannot fail; fall
    // back to an empty object rather than panic.
    let mut text = crate::escape::to_json_pretty(&doc).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

#[derive(Serialize)]
struct Doc {
    organisation: String,
    lang: &'static str,
    kind: &'static str,
    runs: Vec<JsonRun>,
    missing: Vec<JsonMissing>,
}

#[derive(Serialize)]
struct JsonMissing {
    subject: String,
    name: String,
    criticality: Option<u8>,
    reason: String,
    due: Option<JsonDue>,
}

#[derive(Serialize)]
struct JsonRun {
    run: String,
    subject: String,
    subject_name: String,
    inspection: String,
    inspection_version: u32,
    inspection_title: String,
    inspector: JsonInspector,
    started: String,
    finished: String,
    date: String,
    period: String,
    score: i64,
    max: i64,
    percent: f64,
    band: Option<String>,
    band_advice: Option<String>,
    answered: usize,
    unanswered: usize,
    not_applicable: usize,
    carried: usize,
    findings: usize,
    commit: Option<String>,
    supersedes: Option<String>,
    closes: Vec<String>,
    sections: Vec<JsonSection>,
    items: Vec<JsonItem>,
    comparison: Option<ComparisonJson>,
    trend: Vec<JsonPoint>,
    actions_as_of: String,
    open_actions: Vec<JsonOpenAction>,
    due: Option<JsonDue>,
}

/// An open action, in the shape of `tenken actions --format json`.
#[derive(Serialize)]
struct JsonOpenAction {
    run: String,
    item: String,
    subject: String,
    inspection: String,
    text: String,
    owner: String,
    due: String,
    overdue: bool,
}

#[derive(Serialize)]
struct JsonDue {
    every: &'static str,
    due_date: String,
    overdue: bool,
}

#[derive(Serialize)]
struct JsonInspector {
    id: String,
    name: String,
    email: String,
}

#[derive(Serialize)]
struct JsonSection {
    id: String,
    title: String,
    score: i64,
    max: i64,
    percent: f64,
}

#[derive(Serialize)]
struct JsonItem {
    id: String,
    section: String,
    title: String,
    choice: Option<String>,
    label: Option<String>,
    points: Option<i64>,
    max: Option<i64>,
    finding: bool,
    carried: bool,
    note: String,
    evidence: Vec<crate::model::Evidence>,
    action: Option<JsonAction>,
}

#[derive(Serialize)]
struct JsonAction {
    text: String,
    owner: String,
    due: String,
}

#[derive(Serialize)]
struct JsonPoint {
    period: String,
    run: String,
    date: String,
    score: i64,
    max: i64,
    percent: f64,
}

impl JsonRun {
    fn new(r: &RunReport, lang: Lang, fiscal_start: u32) -> Self {
        let run = &r.run;
        let items = r.items();
        Self {
            run: run.id.clone(),
            subject: run.subject.to_string(),
            subject_name: r.subject_name(lang),
            inspection: run.inspection.to_string(),
            inspection_version: run.inspection_version,
            inspection_title: r.template.title.get(lang).to_owned(),
            inspector: JsonInspector {
                id: run.inspector.id.to_string(),
                name: run.inspector.name.clone(),
                email: run.inspector.email.clone(),
            },
            started: run.started.to_rfc3339(),
            finished: run.finished.to_rfc3339(),
            date: run.date().to_string(),
            period: r.period(fiscal_start).to_string(),
            score: r.score.score,
            max: r.score.max,
            percent: round1(r.percent),
            band: r.band.as_ref().map(|b| b.label.get(lang).to_owned()),
            band_advice: r
                .band
                .as_ref()
                .map(|b| b.advice.get(lang).to_owned())
                .filter(|a| !a.is_empty()),
            answered: r.score.answered,
            unanswered: r.score.unanswered,
            not_applicable: r.score.not_applicable,
            carried: r.score.carried,
            findings: items.iter().filter(|i| i.below_best()).count(),
            commit: r.commit.clone(),
            supersedes: run.supersedes.clone(),
            closes: run.closes.clone(),
            sections: r
                .sections()
                .iter()
                .map(|s| JsonSection {
                    id: s.section.id.to_string(),
                    title: s.section.title.get(lang).to_owned(),
                    score: s.score.score,
                    max: s.score.max,
                    percent: round1(s.percent),
                })
                .collect(),
            items: items
                .iter()
                .map(|it| JsonItem {
                    id: it.item.id.to_string(),
                    section: it.section.id.to_string(),
                    title: it.item.title.get(lang).to_owned(),
                    choice: it.answer.map(|a| a.choice.to_string()),
                    label: it.choice.map(|c| c.label.get(lang).to_owned()),
                    points: it.points,
                    max: it.points.and(it.best),
                    finding: it.below_best(),
                    carried: it.carried(),
                    note: it.answer.map(|a| a.note.clone()).unwrap_or_default(),
                    evidence: it.answer.map(|a| a.evidence.clone()).unwrap_or_default(),
                    action: it
                        .answer
                        .and_then(|a| a.action.as_ref())
                        .map(|a| JsonAction {
                            text: a.text.clone(),
                            owner: a.owner.clone(),
                            due: a.due.to_string(),
                        }),
                })
                .collect(),
            comparison: r.comparison.as_ref().map(|c| ComparisonJson::new(c, lang)),
            trend: r
                .trend
                .iter()
                .map(|p| JsonPoint {
                    period: p.period.to_string(),
                    run: p.run.clone(),
                    date: p.date.to_string(),
                    score: p.score.score,
                    max: p.score.max,
                    percent: round1(p.percent),
                })
                .collect(),
            actions_as_of: r.actions_as_of.to_string(),
            open_actions: r
                .open_actions
                .iter()
                .map(|a| JsonOpenAction {
                    run: a.run.clone(),
                    item: a.item.to_string(),
                    subject: a.subject.to_string(),
                    inspection: a.inspection.to_string(),
                    text: a.action.text.clone(),
                    owner: a.action.owner.clone(),
                    due: a.action.due.to_string(),
                    overdue: a.overdue,
                })
                .collect(),
            due: r.due.as_ref().map(JsonDue::new),
        }
    }
}

impl JsonDue {
    fn new(d: &crate::schedule::Due) -> Self {
        Self {
            every: d.every.as_str(),
            due_date: d.due_date.to_string(),
            overdue: d.overdue,
        }
    }
}

// ---------------------------------------------------------------------------
// The comparison, shared with `tenken compare --format json` (DESIGN §7)

/// One comparison as JSON: what `tenken compare --format json` prints and
/// what each run of `tenken report --format json` carries, one struct for
/// both so the two cannot drift. Fields may be added, never renamed.
#[derive(Debug, Serialize)]
pub struct ComparisonJson {
    subject: String,
    inspection: String,
    from: SideJson,
    to: SideJson,
    score_delta: i64,
    percent_delta: f64,
    summary: Summary,
    items: Vec<ChangeJson>,
    template: TemplateJson,
}

/// One side of a comparison.
#[derive(Debug, Serialize)]
struct SideJson {
    run: String,
    date: String,
    score: i64,
    max: i64,
    percent: f64,
    band: Option<String>,
    inspection_version: u32,
    inspector: String,
    /// Where the run file stands (`committed`, `uncommitted`, …); only in
    /// `tenken compare`, which may be asked to use uncommitted runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
}

/// One item's change.
#[derive(Debug, Serialize)]
struct ChangeJson {
    id: String,
    section: String,
    title: String,
    from: Option<String>,
    to: Option<String>,
    change: ItemChange,
    note_diff: Option<String>,
}

/// What changed in the template between the two runs' versions.
#[derive(Debug, Serialize)]
struct TemplateJson {
    from_version: u32,
    to_version: u32,
    added: Vec<String>,
    removed: Vec<String>,
    reworded: Vec<String>,
    rescaled: Vec<String>,
}

impl SideJson {
    fn new(side: &RunSide, lang: Lang) -> Self {
        Self {
            run: side.run.clone(),
            date: side.date.to_string(),
            score: side.score.score,
            max: side.score.max,
            percent: round1(side.percent),
            band: side.band.as_ref().map(|b| b.label.get(lang).to_owned()),
            inspection_version: side.inspection_version,
            inspector: side.inspector.to_string(),
            status: None,
        }
    }
}

impl ComparisonJson {
    /// Adds where each side's run file stands.
    #[must_use]
    pub fn with_status(mut self, from: &'static str, to: &'static str) -> Self {
        self.from.status = Some(from);
        self.to.status = Some(to);
        self
    }

    /// Shapes `c` for JSON, titles and bands in `lang`.
    pub fn new(c: &RunComparison, lang: Lang) -> Self {
        let ids = |v: &[Id]| v.iter().map(ToString::to_string).collect();
        Self {
            subject: c.subject.to_string(),
            inspection: c.inspection.to_string(),
            from: SideJson::new(&c.from, lang),
            to: SideJson::new(&c.to, lang),
            score_delta: c.score_delta,
            percent_delta: round1(c.percent_delta),
            summary: c.summary,
            items: c
                .items
                .iter()
                .map(|i| ChangeJson {
                    id: i.id.to_string(),
                    section: i.section.to_string(),
                    title: i.title.get(lang).to_owned(),
                    from: i.from.as_ref().map(|c| c.id.to_string()),
                    to: i.to.as_ref().map(|c| c.id.to_string()),
                    change: i.change,
                    note_diff: i.note_diff.as_ref().map(|d| d.unified.clone()),
                })
                .collect(),
            template: TemplateJson {
                from_version: c.template.from_version,
                to_version: c.template.to_version,
                added: ids(&c.template.added),
                removed: ids(&c.template.removed),
                reworded: c
                    .template
                    .reworded
                    .iter()
                    .map(|r| r.id.to_string())
                    .collect(),
                rescaled: ids(&c.template.rescaled),
            },
        }
    }
}
