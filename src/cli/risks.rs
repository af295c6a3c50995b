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
use crate::model::{Asset, PersonalData, RiskAssessment};
use crate::risk::{self, RiskChange, RiskDelta, RiskRow};

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
}

impl Row {
    fn new(r: &RiskRow, assessment: &str) -> Self {
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
            Format::Text => print(&compare_text(from, to, &deltas)),
        };
    }
    let Some(latest) = assessments.last() else {
        return match args.format {
            Format::Json => print("[]\n"),
            Format::Text => {
                print("No risk assessments yet. Start one in the TUI: risk register (R), then n.\n")
            }
        };
    };
    let mut rows = risk::rows(latest, &matrix);
    if args.sort == RiskSort::Value {
        risk::sort_by_value(&mut rows);
    }
    match args.format {
        Format::Json => {
            let out: Vec<Row> = rows.iter().map(|r| Row::new(r, &latest.id)).collect();
            print_json(&out)
        }
        Format::Text => print(&register_text(latest, &rows)),
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
fn importance_text(asset: &Asset) -> String {
    let imp = risk::asset_importance(asset);
    if asset.personal_data != PersonalData::None && asset.c.max(asset.i).max(asset.a) < 3 {
        format!("{imp} (personal data)")
    } else {
        imp.to_string()
    }
}

fn register_text(a: &RiskAssessment, rows: &[RiskRow]) -> String {
    let counts = risk::level_counts(rows);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Risk assessment {} · {} · {}",
        escape::line(&a.id),
        a.date,
        who(a)
    );
    let _ = writeln!(
        out,
        "{} assets · {} risks: {} high, {} medium, {} low\n",
        a.assets.len(),
        rows.len(),
        counts.high,
        counts.medium,
        counts.low
    );
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
                personal_str(x.personal_data).to_owned(),
                importance_text(x),
            ]
        })
        .collect();
    out.push_str(&table::render(
        &["ASSET", "NAME", "C", "I", "A", "PERSONAL", "IMPORTANCE"],
        &[],
        &assets,
    ));
    out.push('\n');
    let risks: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.asset.to_string(),
                r.threat.to_string(),
                r.importance.to_string(),
                r.threat_value.to_string(),
                r.vulnerability.to_string(),
                r.likelihood.to_string(),
                r.value.to_string(),
                r.level.as_str().to_owned(),
                r.treatment.as_str().to_owned(),
                escape::line(&r.plan),
            ]
        })
        .collect();
    out.push_str(&table::render(
        &[
            "ASSET",
            "THREAT",
            "IMP",
            "T",
            "V",
            "LIKELIHOOD",
            "VALUE",
            "LEVEL",
            "TREATMENT",
            "PLAN",
        ],
        &[false, false, false, false, false, false, true],
        &risks,
    ));
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

fn compare_text(from: &RiskAssessment, to: &RiskAssessment, deltas: &[RiskDelta]) -> String {
    let c = risk::change_counts(deltas);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Risk assessments {} ({}) → {} ({})",
        escape::line(&from.id),
        from.date,
        escape::line(&to.id),
        to.date
    );
    let _ = writeln!(
        out,
        "{} rose, {} fell, {} appeared, {} disappeared, {} unchanged.",
        c.rose, c.fell, c.appeared, c.disappeared, c.unchanged
    );
    let value = |r: Option<&RiskRow>| {
        r.map_or_else(
            || "-".to_owned(),
            |r| format!("{} {}", r.value, r.level.as_str()),
        )
    };
    let rows: Vec<Vec<String>> = deltas
        .iter()
        .filter(|d| d.change != RiskChange::Unchanged)
        .filter_map(|d| {
            let r = d.row()?;
            Some(vec![
                d.change.as_str().to_owned(),
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
            &["CHANGE", "ASSET", "THREAT", "FROM", "TO", "WHAT"],
            &[],
            &rows,
        ));
    }
    out
}
