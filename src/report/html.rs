//! The HTML report: one self-contained, printable page (no external
//! assets, no scripts) with the same content as the Markdown report, an
//! inline SVG chart of the percent per fiscal quarter with the band
//! thresholds drawn, and a result bar per section. A review (every subject
//! of one inspection, such as the supplier review) starts with a table of
//! all subjects. Pure.
//!
//! Every string from data is HTML-escaped; every element is closed, so the
//! page is also well-formed XML apart from the doctype.

use std::fmt::Write as _;

use super::{ItemResult, Report, RunReport, change_marker, change_name, clean, one_line};
use crate::compare::{ChoiceRef, ItemChange, ItemComparison, TrendPoint};
use crate::model::{Band, Lang};
use crate::number::{pct, round1, signed, signed_pct};

/// A system font stack that has Japanese glyphs on every common platform.
const FONTS: &str = "system-ui, -apple-system, \"Segoe UI\", \"Hiragino Sans\", \"Hiragino Kaku Gothic ProN\", \"Yu Gothic UI\", \"Yu Gothic\", Meiryo, \"Noto Sans CJK JP\", \"Noto Sans JP\", \"Noto Sans\", sans-serif";

const CSS: &str = r"
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --good: #1a7f37; --warn: #9a6700; --bad: #cf222e; --accent: #0969da; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: FONTS; color: var(--fg); max-width: 62rem; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.55; font-size: 15px; }
h1 { font-size: 1.55rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
.sub { color: var(--muted); margin: 0 0 1rem; }
.id, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.result { border-left: .35rem solid var(--accent); background: var(--soft); padding: .6rem 1rem; margin: 1rem 0; }
.result.good { border-color: var(--good); } .result.warn { border-color: var(--warn); } .result.bad { border-color: var(--bad); }
.result .score { font-size: 1.6rem; margin: 0; }
.result .score small { font-size: 1rem; color: var(--muted); }
.result p { margin: .25rem 0; }
.warning { color: var(--warn); font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar { background: #e6eaef; height: .75rem; border-radius: .2rem; overflow: hidden; min-width: 7rem; margin-top: .35rem; }
.bar span { display: block; height: 100%; background: var(--accent); }
.bar.good span { background: var(--good); } .bar.warn span { background: var(--warn); } .bar.bad span { background: var(--bad); }
.note { white-space: pre-wrap; overflow-wrap: anywhere; }
ul.evidence { margin: .2rem 0; padding-left: 1.1rem; color: var(--muted); }
.action { margin: .2rem 0; }
tr.finding td:first-child { border-left: .25rem solid var(--bad); }
.flag { display: inline-block; font-size: .75rem; padding: 0 .35rem; border-radius: .6rem; border: 1px solid currentColor; margin-left: .3rem; white-space: nowrap; }
.flag.carried { color: var(--warn); } .flag.finding { color: var(--bad); }
.regressed { color: var(--bad); } .improved { color: var(--good); }
figure.chart { margin: 1rem 0; }
figure.chart svg { width: 100%; max-width: 42rem; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .85rem; }
.muted { color: var(--muted); font-size: .85em; }
footer { color: var(--muted); font-size: .8rem; margin-top: 3rem; border-top: 1px solid var(--line); padding-top: .5rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  section.run + section.run { break-before: page; }
  tr, li, figure, .result, h2, h3, h4 { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
";

/// Renders the report as one HTML page.
pub fn render(report: &Report) -> String {
    let lang = report.lang;
    let title = report.title();
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\" />\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<meta name=\"generator\" content=\"tenken\" />\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<p class=\"sub\">{}",
        lang.tag(),
        esc(&title),
        CSS.replace("FONTS", FONTS),
        esc(&title),
        esc(&report.organisation),
    );
    if let Some(date) = report.date() {
        let _ = write!(out, " · {date}");
    }
    out.push_str("</p>\n</header>\n<main>\n");
    if report.review {
        summary(&mut out, report);
        for (i, run) in report.runs.iter().enumerate() {
            let _ = write!(
                out,
                "<section class=\"run\" id=\"run-{}\">\n<h2>{} <span class=\"id\">{}</span></h2>\n",
                i + 1,
                esc(&run.subject_name()),
                esc(run.run.subject.as_str())
            );
            run_body(&mut out, report, run, 3);
            out.push_str("</section>\n");
        }
    } else if let Some(run) = report.runs.first() {
        out.push_str("<section class=\"run\" id=\"run-1\">\n");
        run_body(&mut out, report, run, 2);
        out.push_str("</section>\n");
    } else {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            lang.pick("対象の点検がありません。", "No runs.")
        );
    }
    let _ = write!(
        out,
        "</main>\n<footer>{}</footer>\n</body>\n</html>\n",
        lang.pick(
            "tenken（点検）で作成。点数・区分は各点検記録とその版のチェックリストから算出しています。",
            "Made with tenken (点検). Scores and bands are computed from each run and the checklist version it answered."
        )
    );
    out
}

/// The review's table of every subject, then the subjects without a run.
fn summary(out: &mut String, report: &Report) {
    let lang = report.lang;
    let _ = write!(
        out,
        "<section class=\"summary\">\n<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">%</th><th class=\"num\">Δ</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        lang.pick("一覧", "Summary"),
        lang.pick("対象", "Subject"),
        lang.pick("重要度", "Criticality"),
        lang.pick("点検日", "Date"),
        lang.pick("得点", "Score"),
        lang.pick("区分", "Band"),
        lang.pick("指摘", "Findings"),
        lang.pick("引継ぎ", "Carried"),
        lang.pick("未完了処置", "Open actions"),
        lang.pick("次回期限", "Next due"),
    );
    for (i, run) in report.runs.iter().enumerate() {
        let tone = tone(run.percent, &run.template.bands);
        let delta = run.comparison.as_ref().map_or_else(
            || "—".to_owned(),
            |c| {
                let class = delta_class(c.percent_delta);
                format!(
                    "<span class=\"{class}\">{}</span>",
                    esc(&signed_pct(c.percent_delta))
                )
            },
        );
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#run-{}\">{}</a> <span class=\"id\">{}</span></td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}/{}</td><td class=\"num\">{}<div class=\"bar {tone}\"><span style=\"width: {}%\"></span></div></td><td class=\"num\">{delta}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            i + 1,
            esc(&run.subject_name()),
            esc(run.run.subject.as_str()),
            run.subject
                .as_ref()
                .map_or_else(|| "—".to_owned(), |s| s.criticality.to_string()),
            run.run.date(),
            run.score.score,
            run.score.max,
            pct(run.percent),
            width(run.percent),
            run.band
                .as_ref()
                .map_or_else(|| "—".to_owned(), |b| esc(b.label.get(lang))),
            run.findings().len(),
            run.score.carried,
            actions_cell(run.open_actions.len(), run.overdue_actions(), lang),
            due_cell(run.due.as_ref(), lang),
        );
    }
    for m in &report.missing {
        let name = if m.name.is_empty() {
            m.subject.to_string()
        } else {
            m.name.clone()
        };
        let _ = writeln!(
            out,
            "<tr><td>{} <span class=\"id\">{}</span></td><td class=\"num\">{}</td><td colspan=\"8\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&name),
            esc(m.subject.as_str()),
            m.criticality
                .map_or_else(|| "—".to_owned(), |c| c.to_string()),
            esc(&m.reason),
            due_cell(m.due.as_ref(), lang),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// One run: facts, result, chart, sections, comparison, items; `level` is
/// the heading level of its parts.
fn run_body(out: &mut String, report: &Report, run: &RunReport, level: usize) {
    let lang = report.lang;
    let r = &run.run;
    let h = |n: usize| format!("h{}", (level + n).min(6));
    out.push_str("<dl class=\"facts\">\n");
    let fact = |out: &mut String, term: &str, value: String| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{value}</dd>", esc(term));
    };
    fact(
        out,
        lang.pick("組織", "Organisation"),
        esc(&report.organisation),
    );
    fact(
        out,
        lang.pick("対象", "Subject"),
        format!(
            "{} <span class=\"id\">{}</span>",
            esc(&run.subject_name()),
            esc(r.subject.as_str())
        ),
    );
    fact(
        out,
        lang.pick("点検", "Inspection"),
        format!(
            "{} <span class=\"id\">{} · {} {}</span>",
            esc(run.template.title.get(lang)),
            esc(r.inspection.as_str()),
            lang.pick("版", "version"),
            r.inspection_version
        ),
    );
    let inspector = if r.inspector.name.trim().is_empty() {
        String::new()
    } else {
        format!("{} ", esc(&r.inspector.name))
    };
    fact(
        out,
        lang.pick("点検者", "Inspector"),
        format!(
            "{inspector}<span class=\"id\">{}</span>",
            esc(r.inspector.id.as_str())
        ),
    );
    fact(
        out,
        lang.pick("開始", "Started"),
        esc(&r.started.format("%Y-%m-%d %H:%M %:z").to_string()),
    );
    fact(
        out,
        lang.pick("終了", "Finished"),
        format!(
            "{} ({})",
            esc(&r.finished.format("%Y-%m-%d %H:%M %:z").to_string()),
            run.period(report.fiscal_start)
        ),
    );
    fact(
        out,
        lang.pick("記録", "Run"),
        format!("<code>{}</code>", esc(&r.id)),
    );
    if let Some(commit) = &run.commit {
        fact(
            out,
            lang.pick("コミット", "Commit"),
            format!("<code>{}</code>", esc(commit)),
        );
    }
    if let Some(old) = &r.supersedes {
        fact(
            out,
            lang.pick("訂正対象", "Supersedes"),
            format!("<code>{}</code>", esc(old)),
        );
    }
    out.push_str("</dl>\n");

    // Result.
    let result_tone = tone(run.percent, &run.template.bands);
    let _ = write!(
        out,
        "<div class=\"result {result_tone}\">\n<p class=\"score\"><strong>{}%</strong> <small>{}/{}</small></p>\n",
        pct(run.percent),
        run.score.score,
        run.score.max
    );
    if let Some(band) = &run.band {
        let _ = writeln!(
            out,
            "<p>{}: <strong>{}</strong></p>",
            lang.pick("区分", "Band"),
            esc(band.label.get(lang))
        );
        if !band.advice.get(lang).trim().is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}</p>",
                esc(band.advice.get(lang).trim())
            );
        }
    }
    let s = &run.score;
    let _ = writeln!(
        out,
        "<p>{} {} / {} · {} {} · {} {} · {} {}</p>",
        lang.pick("回答", "Answered"),
        s.answered,
        s.answered + s.unanswered,
        lang.pick("未回答", "unanswered"),
        s.unanswered,
        lang.pick("該当なし", "not applicable"),
        s.not_applicable,
        lang.pick("指摘", "findings"),
        run.findings().len(),
    );
    if s.carried > 0 {
        let text = match lang {
            Lang::Ja => format!(
                "{}件の回答は前回からの引継ぎで、まだ確認されていません。",
                s.carried
            ),
            Lang::En => format!(
                "{} {} carried from the previous run and not yet confirmed.",
                s.carried,
                if s.carried == 1 {
                    "answer is"
                } else {
                    "answers are"
                }
            ),
        };
        let _ = writeln!(out, "<p class=\"warning\">⚠ {}</p>", esc(&text));
    }
    out.push_str("</div>\n");

    if !run.trend.is_empty() {
        let _ = write!(
            out,
            "<figure class=\"chart\">\n{}<figcaption>{}</figcaption>\n</figure>\n",
            chart(&run.trend, &run.template.bands, lang),
            lang.pick(
                "四半期（会計年度）ごとの得点率。破線は区分の境界。",
                "Percent per fiscal quarter (the latest run of each). Dashed lines are the band thresholds."
            )
        );
    }

    // Sections.
    let _ = write!(
        out,
        "<{h}>{}</{h}>\n<table class=\"sections\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">%</th></tr></thead>\n<tbody>\n",
        lang.pick("分野別", "Sections"),
        lang.pick("分野", "Section"),
        lang.pick("得点", "Score"),
        h = h(0),
    );
    for sec in run.sections() {
        let tone = tone(sec.percent, &run.template.bands);
        let _ = writeln!(
            out,
            "<tr><td>{}<div class=\"bar {tone}\"><span style=\"width: {}%\"></span></div></td><td class=\"num\">{}/{}</td><td class=\"num\">{}</td></tr>",
            esc(sec.section.title.get(lang)),
            width(sec.percent),
            sec.score.score,
            sec.score.max,
            pct(sec.percent)
        );
    }
    out.push_str("</tbody>\n</table>\n");

    comparison(out, report, run, &h(0));
    items(out, report, run, &h(0), &h(1));
    open_actions(out, report, run, &h(0));
}

/// The corrective actions of this subject and inspection still open.
fn open_actions(out: &mut String, report: &Report, run: &RunReport, h: &str) {
    let lang = report.lang;
    let _ = writeln!(
        out,
        "<{h}>{}</{h}>",
        lang.pick("未完了の是正処置", "Open corrective actions")
    );
    if run.open_actions.is_empty() {
        let _ = writeln!(
            out,
            "<p>{} ({})</p>",
            lang.pick(
                "未完了の是正処置はありません。",
                "No open corrective actions."
            ),
            run.actions_as_of
        );
        return;
    }
    let _ = write!(
        out,
        "<p>{} {}: {} {}, {} {}.</p>\n<table class=\"actions\">\n<thead><tr><th>No.</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        lang.pick("基準日", "As of"),
        run.actions_as_of,
        run.open_actions.len(),
        lang.pick("件未完了", "open"),
        run.overdue_actions(),
        lang.pick("件期限超過", "overdue"),
        lang.pick("是正処置", "Action"),
        lang.pick("担当", "Owner"),
        lang.pick("状態", "Status"),
        lang.pick("期限", "Due"),
        lang.pick("記録日", "Opened"),
    );
    for a in &run.open_actions {
        let title = run
            .template
            .item(a.item.as_str())
            .map(|i| format!("<div class=\"muted\">{}</div>", esc(i.title.get(lang))))
            .unwrap_or_default();
        let status = if a.overdue {
            format!(
                "<strong class=\"regressed\">{}</strong>",
                lang.pick("期限超過", "overdue")
            )
        } else {
            lang.pick("未完了", "open").to_owned()
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}{title}</td><td>{}</td><td>{status}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(a.item.as_str()),
            esc(&a.action.text),
            esc(&a.action.owner),
            a.action.due,
            a.opened,
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The comparison with the earlier run, regressions first.
fn comparison(out: &mut String, report: &Report, run: &RunReport, h: &str) {
    let lang = report.lang;
    let _ = writeln!(
        out,
        "<{h}>{}</{h}>",
        lang.pick("前回との比較", "Comparison with the previous period")
    );
    let Some(c) = &run.comparison else {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            lang.pick(
                "比較できる以前の点検がありません。",
                "There is no earlier run to compare with."
            )
        );
        return;
    };
    let fq = |d| crate::period::Period::fiscal_quarter_of(d, report.fiscal_start);
    let class = delta_class(c.percent_delta);
    let _ = writeln!(
        out,
        "<p>{} ({}) → {} ({}): {}/{} ({}%) → {}/{} ({}%), <strong class=\"{class}\">{} ({} {})</strong></p>",
        c.from.date,
        fq(c.from.date),
        c.to.date,
        fq(c.to.date),
        c.from.score.score,
        c.from.score.max,
        pct(c.from.percent),
        c.to.score.score,
        c.to.score.max,
        pct(c.to.percent),
        esc(&signed(c.score_delta)),
        esc(&signed_pct(c.percent_delta)),
        lang.pick("ポイント", "points"),
    );
    let parts: Vec<String> = ItemChange::ALL
        .iter()
        .map(|k| format!("{} {}", change_name(*k, lang), c.summary.count(*k)))
        .collect();
    let _ = writeln!(out, "<p>{}</p>", esc(&parts.join(" · ")));
    let mut changes: Vec<&ItemComparison> = run.changes();
    changes.extend(
        c.with_change(ItemChange::Unchanged)
            .filter(|i| i.note_diff.is_some()),
    );
    if changes.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<table class=\"changes\">\n<thead><tr><th>{}</th><th>No.</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        lang.pick("変化", "Change"),
        lang.pick("質問", "Question"),
        lang.pick("前回", "Before"),
        lang.pick("今回", "Now"),
    );
    let choice =
        |c: Option<&ChoiceRef>| c.map_or_else(|| "—".to_owned(), |c| esc(c.label.get(lang)));
    for item in changes {
        let (marker, name) = if item.change == ItemChange::Unchanged {
            ("=", lang.pick("メモのみ変更", "Note changed"))
        } else {
            (change_marker(item.change), change_name(item.change, lang))
        };
        let mut now = choice(item.to.as_ref());
        if item.note_diff.is_some() {
            if !item.from_note.is_empty() {
                let _ = write!(
                    now,
                    "<div class=\"note\"><del>{}</del></div>",
                    esc(&item.from_note)
                );
            }
            if !item.to_note.is_empty() {
                let _ = write!(
                    now,
                    "<div class=\"note\"><ins>{}</ins></div>",
                    esc(&item.to_note)
                );
            }
        }
        let _ = writeln!(
            out,
            "<tr><td class=\"{}\">{marker} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{now}</td></tr>",
            item.change.as_str(),
            esc(name),
            esc(item.id.as_str()),
            esc(item.title.get(lang)),
            choice(item.from.as_ref()),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Every item, one table per section.
fn items(out: &mut String, report: &Report, run: &RunReport, h: &str, h2: &str) {
    let lang = report.lang;
    let _ = writeln!(out, "<{h}>{}</{h}>", lang.pick("項目", "Items"));
    for sec in run.sections() {
        let _ = write!(
            out,
            "<{h2}>{} <small class=\"id\">{}/{} ({}%)</small></{h2}>\n<table class=\"items\">\n<thead><tr><th>No.</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
            esc(sec.section.title.get(lang)),
            sec.score.score,
            sec.score.max,
            pct(sec.percent),
            lang.pick("質問", "Question"),
            lang.pick("回答", "Answer"),
            lang.pick("点", "Points"),
            lang.pick("メモ・証跡・是正処置", "Note, evidence, action"),
        );
        for it in &sec.items {
            item_row(out, it, lang);
        }
        out.push_str("</tbody>\n</table>\n");
    }
}

fn item_row(out: &mut String, it: &ItemResult<'_>, lang: Lang) {
    let class = if it.below_best() {
        " class=\"finding\""
    } else {
        ""
    };
    let (answer, points, detail) = match it.answer {
        None => (
            format!("<em>{}</em>", lang.pick("未回答", "Not answered")),
            String::new(),
            String::new(),
        ),
        Some(a) => {
            let mut answer = it.choice.map_or_else(
                || format!("<code>{}</code>", esc(a.choice.as_str())),
                |c| esc(c.label.get(lang)),
            );
            if it.below_best() {
                let _ = write!(
                    answer,
                    "<span class=\"flag finding\">{}</span>",
                    lang.pick("指摘", "finding")
                );
            }
            if a.carried {
                let _ = write!(
                    answer,
                    "<span class=\"flag carried\">⚠ {}</span>",
                    lang.pick("引継ぎ・未確認", "carried, not confirmed")
                );
            }
            let points = match (it.points, it.best) {
                (Some(p), Some(b)) => format!("{p}/{b}"),
                _ => lang.pick("対象外", "n/a").to_owned(),
            };
            let mut detail = String::new();
            if !a.note.trim().is_empty() {
                let _ = write!(detail, "<div class=\"note\">{}</div>", esc(a.note.trim()));
            }
            if !a.evidence.is_empty() {
                detail.push_str("<ul class=\"evidence\">");
                for e in &a.evidence {
                    let _ = write!(detail, "<li>{}</li>", esc(e));
                }
                detail.push_str("</ul>");
            }
            if let Some(action) = &a.action {
                let owner = if action.owner.trim().is_empty() {
                    String::new()
                } else {
                    format!(" — {}", esc(&action.owner))
                };
                let _ = write!(
                    detail,
                    "<p class=\"action\"><strong>{}</strong>: {}{owner}, {} {}</p>",
                    lang.pick("是正処置", "Corrective action"),
                    esc(&action.text),
                    lang.pick("期限", "due"),
                    action.due
                );
            }
            (answer, points, detail)
        }
    };
    let _ = writeln!(
        out,
        "<tr{class}><td>{}</td><td>{}</td><td>{answer}</td><td class=\"num\">{points}</td><td>{detail}</td></tr>",
        esc(it.item.id.as_str()),
        esc(it.item.title.get(lang)),
    );
}

/// Draws the percent per period as an SVG line chart with the bands'
/// thresholds as dashed lines; the last point (the reported run) is filled.
fn chart(points: &[TrendPoint], bands: &[Band], lang: Lang) -> String {
    const W: f64 = 640.0;
    const PLOT_H: f64 = 230.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 44.0;
    const TOP: f64 = 18.0;
    const BOTTOM: f64 = 40.0;
    const LEGEND_LINE: f64 = 16.0;
    let lowest = points
        .iter()
        .map(|p| p.percent)
        .fold(0.0_f64, f64::min)
        .min(0.0);
    let ymin = (lowest / 25.0).floor() * 25.0;
    let ymax = 100.0_f64.max(points.iter().map(|p| p.percent).fold(0.0, f64::max));
    let (x0, x1, y0, y1) = (LEFT, W - RIGHT, TOP, PLOT_H - BOTTOM);
    let y = |p: f64| y1 - (p - ymin) / (ymax - ymin) * (y1 - y0);
    #[allow(clippy::cast_precision_loss)] // a handful of points
    let x = |i: usize| {
        if points.len() <= 1 {
            f64::midpoint(x0, x1)
        } else {
            let pad = 24.0;
            x0 + pad + (x1 - x0 - 2.0 * pad) * i as f64 / (points.len() - 1) as f64
        }
    };
    let mut sorted: Vec<&Band> = bands.iter().collect();
    sorted.sort_by_key(|b| std::cmp::Reverse(b.min_percent));
    #[allow(clippy::cast_precision_loss)] // a handful of bands
    let height = PLOT_H + LEGEND_LINE * sorted.len() as f64 + 4.0;
    let label = lang.pick("得点率の推移", "Percent over periods");
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {height}\" role=\"img\" aria-label=\"{}\" font-size=\"11\">\n<title>{}</title>\n",
        esc(label),
        esc(label)
    );
    // Grid and the y axis every 25 percent.
    let mut tick = ymin;
    while tick <= ymax + 0.01 {
        let _ = writeln!(
            svg,
            "<line x1=\"{x0}\" y1=\"{:.1}\" x2=\"{x1}\" y2=\"{:.1}\" stroke=\"#e6eaef\" stroke-width=\"1\" />\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#59636e\">{}%</text>",
            y(tick),
            y(tick),
            x0 - 6.0,
            y(tick) + 4.0,
            tick
        );
        tick += 25.0;
    }
    // Band thresholds: a dashed line labelled with its percent on the
    // right, and a legend line with the band's name under the chart (long
    // Japanese or English names would cover the points inside the plot).
    for (i, band) in sorted.iter().enumerate() {
        let colour = tone_colour(i, sorted.len());
        let p = f64::from(band.min_percent);
        if p > ymin && p <= ymax {
            let _ = writeln!(
                svg,
                "<line x1=\"{x0}\" y1=\"{:.1}\" x2=\"{x1}\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-width=\"1\" stroke-dasharray=\"5 4\" />\n<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{}%</text>",
                y(p),
                y(p),
                x1 + 4.0,
                y(p) + 4.0,
                band.min_percent
            );
        }
        // Bands are tried from the highest: all but the last are "at
        // least", the last catches everything below the one above it.
        let range = match (
            i + 1 == sorted.len(),
            i.checked_sub(1).and_then(|j| sorted.get(j)),
        ) {
            (true, Some(above)) => format!("< {}%", above.min_percent),
            _ => format!("≥ {}%", band.min_percent),
        };
        #[allow(clippy::cast_precision_loss)] // a handful of bands
        let ly = PLOT_H + LEGEND_LINE * i as f64 + 8.0;
        let _ = writeln!(
            svg,
            "<line x1=\"{x0}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\" />\n<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{}: {}</text>",
            x0 + 24.0,
            x0 + 30.0,
            ly + 4.0,
            esc(&range),
            esc(&one_line(band.label.get(lang))),
        );
    }
    // The line and its points.
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.percent)))
            .collect();
        let _ = writeln!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" />",
            path.join(" ")
        );
    }
    let every = points.len().div_ceil(8).max(1);
    for (i, p) in points.iter().enumerate() {
        let last = i + 1 == points.len();
        let (r, fill) = if last { (5, "#0969da") } else { (4, "#ffffff") };
        let _ = writeln!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r}\" fill=\"{fill}\" stroke=\"#0969da\" stroke-width=\"2\"><title>{}: {}% ({})</title></circle>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#1f2328\">{}</text>",
            x(i),
            y(p.percent),
            p.period,
            pct(p.percent),
            p.date,
            x(i),
            y(p.percent) - 9.0,
            round1(p.percent).round(),
        );
        if i % every == 0 || last {
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#59636e\">{}</text>",
                x(i),
                PLOT_H - BOTTOM + 18.0,
                p.period
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// The class of a change in percent: `regressed`, `improved` or `unchanged`
/// (as rounded for display).
fn delta_class(delta: f64) -> &'static str {
    let shown = round1(delta);
    if shown < 0.0 {
        "regressed"
    } else if shown > 0.0 {
        "improved"
    } else {
        "unchanged"
    }
}

/// `open (overdue)`, or the count alone.
fn actions_cell(open: usize, overdue: usize, lang: Lang) -> String {
    if overdue > 0 {
        format!(
            "{open} <span class=\"regressed\">({overdue} {})</span>",
            lang.pick("超過", "overdue")
        )
    } else {
        open.to_string()
    }
}

/// The next due date, marked when overdue.
fn due_cell(due: Option<&crate::schedule::Due>, lang: Lang) -> String {
    match due {
        None => "—".to_owned(),
        Some(d) if d.overdue => format!(
            "<strong class=\"regressed\">{} ({})</strong>",
            d.due_date,
            lang.pick("超過", "overdue")
        ),
        Some(d) => d.due_date.to_string(),
    }
}

/// Returns `good`, `warn` or `bad` for a percent: the top band is good,
/// the bottom band bad, those between warn.
fn tone(percent: f64, bands: &[Band]) -> &'static str {
    let mut sorted: Vec<&Band> = bands.iter().collect();
    sorted.sort_by_key(|b| std::cmp::Reverse(b.min_percent));
    let index = sorted
        .iter()
        .position(|b| percent >= f64::from(b.min_percent))
        .unwrap_or(sorted.len().saturating_sub(1));
    match tone_colour(index, sorted.len()) {
        "#1a7f37" => "good",
        "#cf222e" => "bad",
        _ => "warn",
    }
}

fn tone_colour(index: usize, count: usize) -> &'static str {
    if count <= 1 || index == 0 {
        "#1a7f37"
    } else if index + 1 >= count {
        "#cf222e"
    } else {
        "#9a6700"
    }
}

/// The width of a result bar: the percent clamped to 0–100.
fn width(percent: f64) -> String {
    pct(percent.clamp(0.0, 100.0))
}

/// HTML-escapes text from data (after escaping terminal controls).
pub(super) fn esc(s: &str) -> String {
    let s = clean(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escaping and the chart's edge cases; whole pages are checked in
/// `tests/integration/report.rs`.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_from_data() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn tones_follow_the_bands() {
        let band = |min| Band {
            min_percent: min,
            label: crate::model::Text::new("", "b"),
            advice: crate::model::Text::default(),
        };
        let bands = [band(0), band(80), band(50)];
        assert_eq!(tone(90.0, &bands), "good");
        assert_eq!(tone(60.0, &bands), "warn");
        assert_eq!(tone(-5.0, &bands), "bad");
        assert_eq!(tone(10.0, &[]), "good");
        assert_eq!(width(-3.0), "0.0");
        assert_eq!(width(130.0), "100.0");
    }
}
