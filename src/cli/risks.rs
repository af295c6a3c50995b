//! `tenken risks`: the risk register of the latest assessment (assets with
//! C/I/A and importance, threats with likelihood, risk value, level,
//! treatment and plan), or the comparison of two assessments; as text or
//! JSON (DESIGN §7).

use std::fmt::Write as _;

use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;

use crate::cli::{Ctx, Format, print, print_json, table};
use crate::error::{Error, Result};
use crate::escape;
use crate::model::{
    Asset, Derived, Id, Inspection, Lang, PersonalData, RiskAssessment, Run, SubjectKind, Threat,
};
use crate::risk::{self, RiskChange, RiskDelta, RiskLevel, RiskRow, measures};
use crate::store::HistoryFilter;

/// Show the risk register of the latest assessment, or compare two
#[derive(Debug, Args)]
pub struct RisksArgs {
    /// Order of the risks: as in the ledger, or highest risk value first
    #[arg(long, value_enum, default_value_t = RiskSort::Ledger)]
    pub sort: RiskSort,
    /// Compare assessment A with B (ids, dates, `latest`, `previous`; default: previous latest)
    #[arg(long, num_args = 0..=2, value_names = ["A", "B"])]
    pub compare: Option<Vec<String>>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How `tenken risks` orders the risks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RiskSort {
    /// Asset by asset, threat by threat, as in the ledger.
    #[default]
    Ledger,
    /// Highest risk value first; ties in ledger order.
    Value,
}

/// One element of `risks --format json`.
#[derive(Debug, Serialize)]
struct Row {
    asset: String,
    threat: String,
    importance: u8,
    likelihood: u8,
    value: u8,
    level: &'static str,
    treatment: &'static str,
    assessment: String,
    asset_name: String,
    title: String,
    c: u8,
    i: u8,
    a: u8,
    personal_data: &'static str,
    threat_value: u8,
    vulnerability: u8,
    plan: String,
    category: Option<String>,
    derived: Option<Derived>,
    suggested_vulnerability: Option<u8>,
    suggested_from: Vec<String>,
}

impl Row {
    fn new(r: &RiskRow, a: &RiskAssessment, suggestion: Option<measures::Suggestion>) -> Self {
        let threat = a
            .assets
            .iter()
            .find(|x| x.id == r.asset)
            .and_then(|x| x.threats.iter().find(|t| t.id == r.threat));
        let assessment = a.id.as_str();
        Self {
            asset: r.asset.to_string(),
            threat: r.threat.to_string(),
            importance: r.importance,
            likelihood: r.likelihood,
            value: r.value,
            level: r.level.as_str(),
            treatment: r.treatment.as_str(),
            assessment: assessment.to_owned(),
            asset_name: r.asset_name.clone(),
            title: r.title.clone(),
            c: r.cia.0,
            i: r.cia.1,
            a: r.cia.2,
            personal_data: personal_str(r.personal_data),
            threat_value: r.threat_value,
            vulnerability: r.vulnerability,
            plan: r.plan.clone(),
            category: threat
                .and_then(|t| t.category.as_ref())
                .map(ToString::to_string),
            derived: threat.and_then(|t| t.derived.clone()),
            suggested_vulnerability: suggestion.as_ref().map(|s| s.value),
            suggested_from: suggestion.map(|s| s.runs).unwrap_or_default(),
        }
    }
}

/// One side of a compared risk.
#[derive(Debug, Serialize)]
struct Side {
    importance: u8,
    likelihood: u8,
    value: u8,
    level: &'static str,
}

/// One risk of `risks --compare --format json`.
#[derive(Debug, Serialize)]
struct DeltaRow {
    asset: String,
    threat: String,
    change: &'static str,
    from: Option<Side>,
    to: Option<Side>,
    delta: i16,
}

/// An assessment named in `risks --compare --format json`.
#[derive(Debug, Serialize)]
struct Named {
    id: String,
    date: NaiveDate,
    assessor: String,
}

/// `risks --compare --format json`.
#[derive(Debug, Serialize)]
struct Comparison {
    from: Named,
    to: Named,
    summary: risk::ChangeCounts,
    risks: Vec<DeltaRow>,
}

/// Returns the name of a personal-data kind for output.
pub fn personal_str(p: PersonalData) -> &'static str {
    match p {
        PersonalData::None => "none",
        PersonalData::Personal => "personal",
        PersonalData::Sensitive => "sensitive",
        PersonalData::MyNumber => "my-number",
    }
}

/// Prints the register or the comparison.
pub fn cmd_risks(ctx: &Ctx, args: &RisksArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    let matrix = risk::likelihood_matrix(&catalog.config);
    let assessments = store.risks()?;
    if let Some(specs) = &args.compare {
        let (a, b) = match specs.as_slice() {
            [] => ("previous", "latest"),
            [a] => (a.as_str(), "latest"),
            [a, b, ..] => (a.as_str(), b.as_str()),
        };
        let from = risk::select(&assessments, a).map_err(Error::user)?;
        let to = risk::select(&assessments, b).map_err(Error::user)?;
        let deltas = risk::compare(from, to, &matrix);
        return match args.format {
            Format::Json => print_json(&comparison(from, to, &deltas)),
            Format::Text => print(&compare_text(
                from,
                to,
                &deltas,
                ctx.lang(catalog.config.lang),
            )),
        };
    }
    let Some(latest) = assessments.last() else {
        return match args.format {
            Format::Json => print("[]\n"),
            Format::Text => print(crate::msg::risks::NONE_YET.get(ctx.lang(catalog.config.lang))),
        };
    };
    let mut rows = risk::rows(latest, &matrix);
    if args.sort == RiskSort::Value {
        risk::sort_by_value(&mut rows);
    }
    // What the organisation's latest answers say of each threat category
    // (the measure status check), only when some threat has a category.
    let categorised = latest
        .assets
        .iter()
        .flat_map(|a| &a.threats)
        .any(|t| t.category.is_some());
    let history = if categorised {
        store.history(&catalog, &HistoryFilter::default())?
    } else {
        Vec::new()
    };
    let organisation = catalog
        .subjects
        .subjects
        .iter()
        .find(|s| s.kind == SubjectKind::Organisation)
        .map(|s| s.id.clone());
    let answered = organisation
        .as_ref()
        .map_or_else(Vec::new, |org| measures::latest_answers(org, &history));
    let runs: Vec<(&Run, &Inspection)> = answered.iter().map(|(r, t)| (r, t.as_ref())).collect();
    let suggestion = |asset: &Id, threat: &Id| -> Option<measures::Suggestion> {
        let t = latest
            .assets
            .iter()
            .find(|a| a.id == *asset)?
            .threats
            .iter()
            .find(|t| t.id == *threat)?;
        measures::suggest_for(t.category.as_ref()?, &runs)
    };
    let lang = ctx.lang(catalog.config.lang);
    match args.format {
        Format::Json => {
            let out: Vec<Row> = rows
                .iter()
                .map(|r| Row::new(r, latest, suggestion(&r.asset, &r.threat)))
                .collect();
            print_json(&out)
        }
        Format::Text => print(&register_text(
            latest,
            &rows,
            &|a, t| suggestion(a, t).map(|s| s.value),
            lang,
        )),
    }
}

fn who(a: &RiskAssessment) -> String {
    if a.assessor.name.is_empty() {
        a.assessor.id.to_string()
    } else {
        format!("{} ({})", escape::line(&a.assessor.name), a.assessor.id)
    }
}

/// Returns the importance with a note when personal data forced it to 3.
fn importance_text(asset: &Asset, lang: Lang) -> String {
    let imp = risk::asset_importance(asset);
    if asset.personal_data != PersonalData::None && asset.c.max(asset.i).max(asset.a) < 3 {
        format!("{imp}{}", lang.pick("（個人情報）", " (personal data)"))
    } else {
        imp.to_string()
    }
}

/// How a threat's vulnerability relates to the inspections' answers, for
/// the text register: taken from them, set by hand against them, or
/// differing from what they now suggest. Empty when there is nothing to say.
fn source_text(t: &Threat, suggested: Option<u8>, lang: Lang) -> String {
    match (&t.derived, suggested) {
        (Some(d), _) if d.value == t.vulnerability => {
            lang.pick("点検から", "from inspections").to_owned()
        }
        (Some(d), _) => match lang {
            Lang::Ja => format!(
                "手入力（点検では{}）: {}",
                d.value,
                escape::line(d.note.trim())
            ),
            Lang::En => format!(
                "by hand (inspections: {}): {}",
                d.value,
                escape::line(d.note.trim())
            ),
        },
        (None, Some(v)) if v != t.vulnerability => match lang {
            Lang::Ja => format!("点検では{v}"),
            Lang::En => format!("inspections suggest {v}"),
        },
        _ => String::new(),
    }
}

/// The risk levels with their values and meaning, one line.
fn levels_legend(lang: Lang) -> String {
    let levels: Vec<String> = [RiskLevel::High, RiskLevel::Medium, RiskLevel::Low]
        .iter()
        .map(|l| match lang {
            Lang::Ja => format!(
                "{}（{}）{}",
                l.label(lang),
                l.values().replace('–', "〜"),
                l.meaning(lang)
            ),
            Lang::En => format!("{} ({}) {}", l.label(lang), l.values(), l.meaning(lang)),
        })
        .collect();
    format!(
        "{}: {}\n",
        lang.pick("リスクの大きさ", "Risk levels"),
        levels.join(" · ")
    )
}

fn register_text(
    a: &RiskAssessment,
    rows: &[RiskRow],
    suggested: &dyn Fn(&Id, &Id) -> Option<u8>,
    lang: Lang,
) -> String {
    let counts = risk::level_counts(rows);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} · {} · {}",
        lang.pick("リスク評価", "Risk assessment"),
        escape::line(&a.id),
        a.date,
        who(a)
    );
    let _ = match lang {
        Lang::Ja => writeln!(
            out,
            "資産 {} 件 · リスク {} 件: 大 {}、中 {}、小 {}\n",
            a.assets.len(),
            rows.len(),
            counts.high,
            counts.medium,
            counts.low
        ),
        Lang::En => writeln!(
            out,
            "{} assets · {} risks: {} high, {} medium, {} low\n",
            a.assets.len(),
            rows.len(),
            counts.high,
            counts.medium,
            counts.low
        ),
    };
    let assets: Vec<Vec<String>> = a
        .assets
        .iter()
        .map(|x| {
            vec![
                x.id.to_string(),
                escape::line(&x.name),
                x.c.to_string(),
                x.i.to_string(),
                x.a.to_string(),
                risk::personal_label(x.personal_data, lang).to_owned(),
                importance_text(x, lang),
            ]
        })
        .collect();
    out.push_str(&table::render(
        &[
            lang.pick("資産", "ASSET"),
            lang.pick("名称", "NAME"),
            "C",
            "I",
            "A",
            lang.pick("個人情報", "PERSONAL"),
            lang.pick("重要度", "IMPORTANCE"),
        ],
        &[],
        &assets,
    ));
    out.push('\n');
    let threat_of = |r: &RiskRow| {
        a.assets
            .iter()
            .find(|x| x.id == r.asset)
            .and_then(|x| x.threats.iter().find(|t| t.id == r.threat))
    };
    let sources: Vec<String> = rows
        .iter()
        .map(|r| {
            threat_of(r).map_or_else(String::new, |t| {
                source_text(t, suggested(&r.asset, &r.threat), lang)
            })
        })
        .collect();
    // The column about the inspections only when something is in it.
    let with_source = sources.iter().any(|s| !s.is_empty());
    let risks: Vec<Vec<String>> = rows
        .iter()
        .zip(&sources)
        .map(|(r, source)| {
            let mut row = vec![
                r.asset.to_string(),
                r.threat.to_string(),
                r.importance.to_string(),
                r.threat_value.to_string(),
                r.vulnerability.to_string(),
            ];
            if with_source {
                row.push(source.clone());
            }
            row.extend([
                r.likelihood.to_string(),
                r.value.to_string(),
                r.level.label(lang).to_owned(),
                risk::treatment_label(r.treatment, lang).to_owned(),
                escape::line(&r.plan),
            ]);
            row
        })
        .collect();
    let mut header = vec![
        lang.pick("資産", "ASSET"),
        lang.pick("脅威", "THREAT"),
        lang.pick("重要度", "IMP"),
        lang.pick("起こりやすさ", "T"),
        lang.pick("脆弱性", "V"),
    ];
    let mut right = vec![false; 5];
    if with_source {
        header.push(lang.pick("脆弱性の根拠", "V FROM"));
        right.push(false);
    }
    header.extend([
        lang.pick("被害発生可能性", "LIKELIHOOD"),
        lang.pick("リスク値", "VALUE"),
        lang.pick("大きさ", "LEVEL"),
        lang.pick("対応", "TREATMENT"),
        lang.pick("計画", "PLAN"),
    ]);
    right.extend([false, true]);
    out.push_str(&table::render(&header, &right, &risks));
    out.push('\n');
    out.push_str(&levels_legend(lang));
    out
}

fn side(r: Option<&RiskRow>) -> Option<Side> {
    r.map(|r| Side {
        importance: r.importance,
        likelihood: r.likelihood,
        value: r.value,
        level: r.level.as_str(),
    })
}

fn named(a: &RiskAssessment) -> Named {
    Named {
        id: a.id.clone(),
        date: a.date,
        assessor: a.assessor.id.to_string(),
    }
}

fn comparison(from: &RiskAssessment, to: &RiskAssessment, deltas: &[RiskDelta]) -> Comparison {
    Comparison {
        from: named(from),
        to: named(to),
        summary: risk::change_counts(deltas),
        risks: deltas
            .iter()
            .filter_map(|d| {
                let r = d.row()?;
                Some(DeltaRow {
                    asset: r.asset.to_string(),
                    threat: r.threat.to_string(),
                    change: d.change.as_str(),
                    from: side(d.from.as_ref()),
                    to: side(d.to.as_ref()),
                    delta: d.value_delta(),
                })
            })
            .collect(),
    }
}

fn compare_text(
    from: &RiskAssessment,
    to: &RiskAssessment,
    deltas: &[RiskDelta],
    lang: Lang,
) -> String {
    let c = risk::change_counts(deltas);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({}) → {} ({})",
        lang.pick("リスク評価", "Risk assessments"),
        escape::line(&from.id),
        from.date,
        escape::line(&to.id),
        to.date
    );
    let _ = match lang {
        Lang::Ja => writeln!(
            out,
            "上昇 {}、低下 {}、新規 {}、消滅 {}、変化なし {}。",
            c.rose, c.fell, c.appeared, c.disappeared, c.unchanged
        ),
        Lang::En => writeln!(
            out,
            "{} rose, {} fell, {} appeared, {} disappeared, {} unchanged.",
            c.rose, c.fell, c.appeared, c.disappeared, c.unchanged
        ),
    };
    let value = |r: Option<&RiskRow>| {
        r.map_or_else(
            || "-".to_owned(),
            |r| format!("{} {}", r.value, r.level.label(lang)),
        )
    };
    let rows: Vec<Vec<String>> = deltas
        .iter()
        .filter(|d| d.change != RiskChange::Unchanged)
        .filter_map(|d| {
            let r = d.row()?;
            Some(vec![
                change_label(d.change, lang).to_owned(),
                r.asset.to_string(),
                r.threat.to_string(),
                value(d.from.as_ref()),
                value(d.to.as_ref()),
                escape::line(&r.title),
            ])
        })
        .collect();
    if !rows.is_empty() {
        out.push('\n');
        out.push_str(&table::render(
            &[
                lang.pick("変化", "CHANGE"),
                lang.pick("資産", "ASSET"),
                lang.pick("脅威", "THREAT"),
                lang.pick("前回", "FROM"),
                lang.pick("今回", "TO"),
                lang.pick("内容", "WHAT"),
            ],
            &[],
            &rows,
        ));
    }
    out
}

/// Returns a change as people read it.
fn change_label(change: RiskChange, lang: Lang) -> &'static str {
    match change {
        RiskChange::Rose => lang.pick("上昇", "rose"),
        RiskChange::Fell => lang.pick("低下", "fell"),
        RiskChange::Appeared => lang.pick("新規", "appeared"),
        RiskChange::Disappeared => lang.pick("消滅", "disappeared"),
        RiskChange::Unchanged => lang.pick("変化なし", "unchanged"),
    }
}
