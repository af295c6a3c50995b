//! `tenken verify`: check that no committed run or risk file was ever
//! rewritten or deleted; exit 3 on any problem.

use clap::Args;

use crate::cli::{Ctx, Format, print, print_json};
use crate::error::{Error, Result};
use crate::escape;
use crate::model::Lang;
use crate::msg::{self, Message};
use crate::store::{Problem, VerifyReport};

/// Check the history's integrity; exit 3 on a problem
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Count unsigned commits that record something as problems (also
    /// `require_signatures: true` in tenken.ron)
    #[arg(long)]
    pub require_signatures: bool,
    /// Accept a history that no longer contains the commit tenken last saw
    /// (after a rewrite you have checked), and remember the new one
    #[arg(long)]
    pub accept_rewrite: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Walks the history; prints a summary, or every problem and exits 3.
pub fn cmd_verify(ctx: &Ctx, args: &VerifyArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = store.catalog();
    let lang = ctx.lang(catalog.as_ref().map_or(Lang::default(), |c| c.config.lang));
    let configured = catalog.is_ok_and(|c| c.config.require_signatures);
    // Records, evidence and signatures in one walk of the history.
    let report = store.verify(args.accept_rewrite, args.require_signatures || configured)?;
    match args.format {
        Format::Json => print_json(&report)?,
        Format::Text => print(&text(&report, lang))?,
    }
    if report.is_clean() {
        Ok(())
    } else {
        let (problems, commits) = (report.problems.len(), report.commits);
        Err(Error::Verification(Message::of(|lang| {
            msg::verify::found(lang, problems, commits)
        })))
    }
}

/// Renders the report as text: one line per problem, or one summary line.
fn text(report: &VerifyReport, lang: Lang) -> String {
    let mut out = String::new();
    if report.is_clean() {
        out.push_str(&msg::verify::verified(
            lang,
            report.runs,
            report.risks,
            report.commits,
        ));
    }
    for p in &report.problems {
        out.push_str(&line(p, lang));
        out.push('\n');
    }
    out.push_str(&signed(report, lang));
    out.push_str(&withdrawals(report, lang));
    out
}

/// One line on signatures, once any commit is signed or they are required.
fn signed(report: &VerifyReport, lang: Lang) -> String {
    match &report.signatures {
        Some(s) if s.signed > 0 || s.required => {
            msg::verify::signatures(lang, s.signed, s.unsigned, s.required)
        }
        _ => String::new(),
    }
}

/// One line per withdrawn run (which, by whom, when and why), and where a
/// shallow history stops.
fn withdrawals(report: &VerifyReport, lang: Lang) -> String {
    let mut out = String::new();
    if !report.shallow.is_empty() {
        let shorts: Vec<&str> = report
            .shallow
            .iter()
            .map(|c| c.get(..12).unwrap_or(c))
            .collect();
        out.push_str(&msg::verify::shallow(lang, &shorts.join(", ")));
    }
    for w in &report.withdrawals {
        out.push_str(&msg::verify::withdrawn(
            lang,
            &escape::line(&w.run),
            &escape::line(&w.by),
            &escape::line(&w.email),
            &w.date.format("%Y-%m-%d").to_string(),
            &escape::line(&w.reason),
        ));
    }
    out
}

fn line(p: &Problem, lang: Lang) -> String {
    let path = escape::line(&p.path);
    let Some(commit) = &p.commit else {
        return format!("{path}: {}: {}", p.kind.as_str(), p.detail.get(lang));
    };
    let short = commit.get(..12).unwrap_or(commit);
    let who = match (&p.author, &p.email) {
        (Some(name), Some(email)) => {
            Some(format!("{} <{}>", escape::line(name), escape::line(email)))
        }
        _ => None,
    };
    let when = p.time.map(|t| t.format("%Y-%m-%d %H:%M %:z").to_string());
    format!(
        "{path}: {}: {}{}",
        p.kind.as_str(),
        p.detail.get(lang),
        msg::verify::in_commit(lang, short, who.as_deref(), when.as_deref())
    )
}
