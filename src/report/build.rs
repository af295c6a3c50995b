//! Builds the [`Document`] of a [`Report`]: every word of the Markdown and
//! HTML reports is picked here, in one place, in the report's language;
//! every number is formatted here; every string from data is escaped here
//! (`escape::output`, through [`clean`]). Pure.

use super::doc::{
    ActionCount, ActionRow, AnswerCell, BandNote, Bar, Block, ChangeGroup, ChangeRow, Chart,
    ChartPoint, ChoiceName, Column, Comparison, ComparisonBody, Direction, Document, DontKnow,
    DueDate, EvidenceEntry, Fact, FileEntry, ItemRow, ItemSection, ItemWords, Items, OpenActions,
    Part, ResultBox, RunPart, SectionRow, Sections, Span, Summary, SummaryRow, SummaryRun, Tone,
};
use super::{ItemResult, Preview, Report, RunReport, change_marker, change_name, clean, one_line};
use crate::compare::{ChoiceRef, ItemChange, ItemComparison};
use crate::model::{Band, Evidence, Lang};
use crate::number::{pct, round1, signed, signed_pct};
use crate::period::Period;
use crate::roles::{Directory, INSPECTION_LEAD};
use crate::schedule::Due;
use crate::score::ReducedScale;

mod items;

pub use items::{file_size, item_words};
use items::{items, open_actions};

/// Builds the document of `report`.
pub fn document(report: &Report) -> Document {
    let lang = report.lang;
    let mut parts = Vec::new();
    if report.review {
        parts.push(Part::Summary(summary(report)));
        for (i, run) in report.runs.iter().enumerate() {
            let heading = (run.subject_name(lang), run.run.subject.to_string());
            parts.push(Part::Run(run_part(report, run, i + 1, Some(heading))));
        }
    } else if let Some(run) = report.runs.first() {
        parts.push(Part::Run(run_part(report, run, 1, None)));
    } else {
        parts.push(Part::Notice(
            lang.pick("対象の点検がありません。", "No runs.").to_owned(),
        ));
    }
    if report
        .previews
        .values()
        .any(|p| matches!(p, Preview::OverBudget))
    {
        parts.insert(
            0,
            Part::Notice(
                lang.pick(
                    "報告書を1つのファイルに収めるため、一部の証拠画像の縮小画像を省略しました。各ファイルの名前・サイズ・SHA-256 は一覧にあります (全ファイルは --bundle で出力できます)。",
                    "Some evidence thumbnails were left out to keep this report one file of bounded size; every file is still listed with its name, size and SHA-256 (`--bundle` writes the files beside the report).",
                )
                .to_owned(),
            ),
        );
    }
    Document {
        lang: lang.tag(),
        title: report.title(),
        organisation: Fact {
            label: lang.pick("組織", "Organisation").to_owned(),
            value: vec![Span::Text(clean(&report.organisation))],
        },
        dates: dates(report),
        parts,
        footer: lang
            .pick(
                "tenken（点検）で作成。点数・区分は各点検記録とその版のチェックリストから算出しています。",
                "Made with tenken (点検). Scores and bands are computed from each run and the checklist version it answered.",
            )
            .to_owned(),
    }
}

/// The date of the latest run (a review's newest) and the day the report
/// is made.
fn dates(report: &Report) -> Vec<Fact> {
    let lang = report.lang;
    let fact = |label: &str, date: chrono::NaiveDate| Fact {
        label: label.to_owned(),
        value: vec![Span::Text(date.to_string())],
    };
    let latest = if report.review {
        lang.pick("最新の点検", "Latest run")
    } else {
        lang.pick("点検日", "Run date")
    };
    let mut dates: Vec<Fact> = report.date().map(|d| fact(latest, d)).into_iter().collect();
    dates.push(fact(lang.pick("作成日", "Generated"), report.generated));
    dates
}

fn column(label: &str, numeric: bool) -> Column {
    Column {
        label: label.to_owned(),
        numeric,
    }
}

/// The word for overdue in counts and due dates.
fn overdue_word(lang: Lang) -> String {
    lang.pick("超過", "overdue").to_owned()
}

fn due_date(due: Option<&Due>, lang: Lang) -> Option<DueDate> {
    due.map(|d| DueDate {
        date: d.due_date,
        overdue: d.overdue.then(|| overdue_word(lang)),
    })
}

/// The review's table: one row per subject, then the subjects without a run.
fn summary(report: &Report) -> Summary {
    let lang = report.lang;
    let columns = vec![
        column(lang.pick("対象", "Subject"), false),
        column(lang.pick("事業影響度", "Criticality"), true),
        column(lang.pick("点検日", "Date"), false),
        // Percent with the score under it: one column less, so that the
        // table fits A4 portrait.
        column(lang.pick("得点 %", "Score %"), true),
        column("Δ", true),
        column(lang.pick("区分", "Band"), false),
        column(lang.pick("指摘", "Findings"), true),
        column(lang.pick("引継ぎ", "Carried"), true),
        column(lang.pick("未完了処置", "Open actions"), true),
        column(lang.pick("次回期限", "Next due"), true),
    ];
    let mut rows: Vec<SummaryRow> = report
        .runs
        .iter()
        .enumerate()
        .map(|(i, run)| {
            SummaryRow::Run(Box::new(SummaryRun {
                anchor: format!("run-{}", i + 1),
                name: run.subject_name(lang),
                id: run.run.subject.to_string(),
                criticality: run
                    .subject
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |s| s.criticality.to_string()),
                date: run.run.date(),
                score: format!("{}/{}", run.score.score, run.score.max),
                percent: pct(run.percent),
                bar: bar(run.percent, &run.template.bands),
                delta: run
                    .comparison
                    .as_ref()
                    .map(|c| (signed_pct(c.percent_delta), direction(c.percent_delta))),
                band: band_name(run, lang),
                findings: run.findings().len(),
                carried: run.score.carried,
                actions: ActionCount {
                    open: run.open_actions.len(),
                    overdue: run.overdue_actions(),
                    overdue_label: overdue_word(lang),
                },
                due: due_date(run.due.as_ref(), lang),
            }))
        })
        .collect();
    rows.extend(report.missing.iter().map(|m| {
        SummaryRow::Missing {
            name: if m.name.is_empty() {
                m.subject.to_string()
            } else {
                clean(&m.name)
            },
            id: m.subject.to_string(),
            criticality: m
                .criticality
                .map_or_else(|| "—".to_owned(), |c| c.to_string()),
            reason: clean(&m.reason),
            due: due_date(m.due.as_ref(), lang),
        }
    }));
    // Runs and missing subjects together in the review's order (a stable
    // sort: subjects not in it keep their place after the others).
    let position = |id: &str| {
        report
            .order
            .iter()
            .position(|o| o.as_str() == id)
            .unwrap_or(usize::MAX)
    };
    rows.sort_by_key(|row| match row {
        SummaryRow::Run(run) => position(&run.id),
        SummaryRow::Missing { id, .. } => position(id),
    });
    Summary {
        heading: lang.pick("一覧", "Summary").to_owned(),
        columns,
        rows,
    }
}

fn band_name(run: &RunReport, lang: Lang) -> String {
    run.band
        .as_ref()
        .map_or_else(|| "—".to_owned(), |b| clean(b.label.get(lang)))
}

/// One run: facts, result, chart, sections, comparison, items, actions.
fn run_part(
    report: &Report,
    run: &RunReport,
    number: usize,
    heading: Option<(String, String)>,
) -> RunPart {
    let mut blocks = vec![
        Block::Facts(facts(report, run)),
        Block::Result(result(run, report.lang)),
    ];
    if let Some(dont_know) = dont_know(run, report.lang) {
        blocks.push(Block::DontKnow(dont_know));
    }
    if !run.trend.is_empty() {
        blocks.push(Block::Chart(chart(run, report.lang)));
    }
    blocks.push(Block::Sections(sections(run, report.lang)));
    blocks.push(Block::Comparison(comparison(report, run)));
    let dir = directory(report);
    blocks.push(Block::Items(items(run, report, &dir)));
    blocks.push(Block::OpenActions(open_actions(run, report.lang, &dir)));
    RunPart {
        anchor: format!("run-{number}"),
        level: if heading.is_some() { 3 } else { 2 },
        heading,
        blocks,
    }
}

fn fact(label: &str, value: Vec<Span>) -> Fact {
    Fact {
        label: label.to_owned(),
        value,
    }
}

/// Who, what and when.
fn facts(report: &Report, run: &RunReport) -> Vec<Fact> {
    let lang = report.lang;
    let r = &run.run;
    let aside = |id: &str, extra: Option<String>| Span::Aside {
        id: clean(id),
        extra,
    };
    let dir = directory(report);
    let mut inspector = Vec::new();
    if !r.inspector.name.trim().is_empty() {
        inspector.push(Span::Text(clean(&r.inspector.name)));
    }
    let held = dir.titles_of(&r.inspector.id, lang);
    inspector.push(aside(
        r.inspector.id.as_str(),
        (!held.is_empty()).then(|| clean(&held.join(lang.pick("、", ", ")))),
    ));
    let mut facts = vec![
        fact(
            lang.pick("組織", "Organisation"),
            vec![Span::Text(clean(&report.organisation))],
        ),
        fact(
            lang.pick("対象", "Subject"),
            vec![
                Span::Text(run.subject_name(lang)),
                aside(r.subject.as_str(), None),
            ],
        ),
        fact(
            lang.pick("点検", "Inspection"),
            vec![
                Span::Text(clean(run.template.title.get(lang))),
                aside(
                    r.inspection.as_str(),
                    Some(format!(
                        "{} {}",
                        lang.pick("版", "version"),
                        r.inspection_version
                    )),
                ),
            ],
        ),
        fact(lang.pick("点検者", "Inspector"), inspector),
        fact(
            lang.pick("点検責任者", "Inspection lead"),
            vec![Span::Text(match dir.roles.get(INSPECTION_LEAD) {
                Some(role) => clean(&dir.holders(role, lang)),
                None => lang
                    .pick("未設定（roles.ron）", "not set up (roles.ron)")
                    .to_owned(),
            })],
        ),
        fact(
            lang.pick("開始", "Started"),
            vec![Span::Text(
                r.started.format("%Y-%m-%d %H:%M %:z").to_string(),
            )],
        ),
        fact(
            lang.pick("終了", "Finished"),
            vec![Span::Text(format!(
                "{} ({})",
                r.finished.format("%Y-%m-%d %H:%M %:z"),
                run.period(report.fiscal_start)
            ))],
        ),
        fact(lang.pick("記録", "Run"), vec![Span::Code(clean(&r.id))]),
    ];
    // A run without a commit is in a report only when uncommitted runs
    // were asked for; the report says that it does not count.
    facts.push(fact(
        lang.pick("コミット", "Commit"),
        match &run.commit {
            Some(commit) => vec![Span::Code(clean(commit))],
            None => vec![Span::Text(
                lang.pick(
                    "未コミット (記録として数えない)",
                    "not committed (does not count)",
                )
                .to_owned(),
            )],
        },
    ));
    if let Some(old) = &r.supersedes {
        facts.push(fact(
            lang.pick("訂正対象", "Supersedes"),
            vec![Span::Code(clean(old))],
        ));
    }
    facts
}

/// Score, band, advice and counts.
fn result(run: &RunReport, lang: Lang) -> ResultBox {
    let s = &run.score;
    let warning = (s.carried > 0).then(|| match lang {
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
    });
    ResultBox {
        heading: lang.pick("結果", "Result").to_owned(),
        score: format!("{}/{}", s.score, s.max),
        percent: pct(run.percent),
        tone: tone(run.percent, &run.template.bands),
        band: run.band.as_ref().map(|b| BandNote {
            label: lang.pick("区分", "Band").to_owned(),
            name: clean(b.label.get(lang)),
            advice: clean(b.advice.get(lang).trim()),
        }),
        counts: format!(
            "{} {} / {} · {} {} · {} {} · {} {}",
            lang.pick("回答", "Answered"),
            s.answered,
            s.answered + s.unanswered,
            lang.pick("未回答", "unanswered"),
            s.unanswered,
            lang.pick("該当なし", "not applicable"),
            s.not_applicable,
            lang.pick("指摘", "findings"),
            run.findings().len(),
        ),
        warning,
        scale: ReducedScale::of(&run.score, &run.template).map(|r| r.sentence(lang)),
    }
}

/// The items answered "don't know", in walk order, if any.
fn dont_know(run: &RunReport, lang: Lang) -> Option<DontKnow> {
    let rows: Vec<(String, String, String)> = crate::score::gaps(&run.template, &run.run.answers)
        .into_iter()
        .filter(crate::score::Gap::dont_know)
        .map(|g| {
            (
                g.item.id.to_string(),
                clean(g.item.title.get(lang)),
                clean(g.answer.note.trim()),
            )
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(DontKnow {
        heading: lang
            .pick(
                "まず確かめる項目（わからない）",
                "Check these first (don't know)",
            )
            .to_owned(),
        intro: match lang {
            Lang::Ja => format!(
                "「わからない」と答えた項目が{}件あります。ガイドラインは、これらの事実を最初に確かめることを勧めています。",
                rows.len()
            ),
            Lang::En => format!(
                "{} {} answered \"don't know\". The guideline advises finding out the facts for these first.",
                rows.len(),
                if rows.len() == 1 {
                    "item was"
                } else {
                    "items were"
                }
            ),
        },
        note: lang.pick("メモ", "Note").to_owned(),
        rows,
    })
}

/// The management structure with names, for the inspection lead and
/// owners given as roles.
fn directory(report: &Report) -> Directory<'_> {
    Directory::with_names(&report.roles, report.names.clone())
}

/// The percent per fiscal quarter with the band thresholds.
fn chart(run: &RunReport, lang: Lang) -> Chart {
    Chart {
        label: lang.pick("得点率の推移", "Percent over periods").to_owned(),
        caption: lang
            .pick(
                "四半期（会計年度）ごとの得点率。破線は区分の境界。",
                "Percent per fiscal quarter (the latest run of each). Dashed lines are the band thresholds.",
            )
            .to_owned(),
        points: run
            .trend
            .iter()
            .map(|p| ChartPoint {
                period: p.period.to_string(),
                percent: p.percent,
                date: p.date,
            })
            .collect(),
        bands: run
            .template
            .bands
            .iter()
            .map(|b| (b.min_percent, one_line(b.label.get(lang))))
            .collect(),
    }
}

/// The score per section.
fn sections(run: &RunReport, lang: Lang) -> Sections {
    Sections {
        heading: lang.pick("分野別", "Sections").to_owned(),
        columns: vec![
            column(lang.pick("分野", "Section"), false),
            column(lang.pick("得点", "Score"), true),
            column("%", true),
        ],
        rows: run
            .sections()
            .iter()
            .map(|sec| SectionRow {
                title: clean(sec.section.title.get(lang)),
                score: format!("{}/{}", sec.score.score, sec.score.max),
                percent: pct(sec.percent),
                bar: bar(sec.percent, &run.template.bands),
            })
            .collect(),
    }
}

/// The comparison with the earlier run, regressions first, then the notes
/// that changed on unchanged answers.
fn comparison(report: &Report, run: &RunReport) -> Comparison {
    let lang = report.lang;
    let heading = lang
        .pick("前回との比較", "Comparison with the previous period")
        .to_owned();
    let Some(c) = &run.comparison else {
        return Comparison {
            heading,
            body: Err(lang
                .pick(
                    "比較できる以前の点検がありません。",
                    "There is no earlier run to compare with.",
                )
                .to_owned()),
        };
    };
    let fq = |d| Period::fiscal_quarter_of(d, report.fiscal_start);
    let line = format!(
        "{} ({}) → {} ({}): {}/{} ({}%) → {}/{} ({}%)",
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
    );
    let counts: Vec<String> = ItemChange::ALL
        .iter()
        .map(|k| format!("{} {}", change_name(*k, lang), c.summary.count(*k)))
        .collect();
    let changes = run.changes();
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for item in changes {
        if groups.last().is_none_or(|g| g.change != item.change) {
            let name = change_name(item.change, lang).to_owned();
            groups.push(ChangeGroup {
                change: item.change,
                marker: change_marker(item.change),
                heading: name.clone(),
                row_label: name,
                rows: Vec::new(),
            });
        }
        if let Some(group) = groups.last_mut() {
            group.rows.push(change_row(item, lang));
        }
    }
    let notes: Vec<ChangeRow> = c
        .with_change(ItemChange::Unchanged)
        .filter(|i| i.note_diff.is_some())
        .map(|i| change_row(i, lang))
        .collect();
    if !notes.is_empty() {
        groups.push(ChangeGroup {
            change: ItemChange::Unchanged,
            marker: change_marker(ItemChange::Unchanged),
            heading: lang.pick("メモのみ変更", "Notes changed").to_owned(),
            row_label: lang.pick("メモのみ変更", "Note changed").to_owned(),
            rows: notes,
        });
    }
    Comparison {
        heading,
        body: Ok(ComparisonBody {
            line,
            delta: format!(
                "{} ({} {})",
                signed(c.score_delta),
                signed_pct(c.percent_delta),
                lang.pick("ポイント", "points")
            ),
            direction: direction(c.percent_delta),
            counts: counts.join(" · "),
            columns: vec![
                column(lang.pick("変化", "Change"), false),
                column("No.", false),
                column(lang.pick("質問", "Question"), false),
                column(lang.pick("前回", "Before"), false),
                column(lang.pick("今回", "Now"), false),
            ],
            groups,
            earlier_note: lang.pick("前回のメモ", "Earlier note").to_owned(),
            note: lang.pick("今回のメモ", "Note").to_owned(),
        }),
    }
}

fn change_row(item: &ItemComparison, lang: Lang) -> ChangeRow {
    let choice =
        |c: Option<&ChoiceRef>| c.map_or_else(|| "—".to_owned(), |c| clean(c.label.get(lang)));
    ChangeRow {
        id: item.id.to_string(),
        title: clean(item.title.get(lang)),
        from: choice(item.from.as_ref()),
        to: choice(item.to.as_ref()),
        notes: item
            .note_diff
            .is_some()
            .then(|| (clean(&item.from_note), clean(&item.to_note))),
    }
}

/// Which way a change in percent went, as rounded for display.
fn direction(delta: f64) -> Direction {
    let shown = round1(delta);
    if shown < 0.0 {
        "regressed"
    } else if shown > 0.0 {
        "improved"
    } else {
        "unchanged"
    }
}

/// A result bar for `percent`, toned by `bands`.
fn bar(percent: f64, bands: &[Band]) -> Bar {
    Bar {
        tone: tone(percent, bands),
        width: pct(percent.clamp(0.0, 100.0)),
    }
}

/// The tone of a percent: the top band is good, the bottom band bad, those
/// between warn.
pub fn tone(percent: f64, bands: &[Band]) -> Tone {
    let mut sorted: Vec<&Band> = bands.iter().collect();
    sorted.sort_by_key(|b| std::cmp::Reverse(b.min_percent));
    let index = sorted
        .iter()
        .position(|b| percent >= f64::from(b.min_percent))
        .unwrap_or(sorted.len().saturating_sub(1));
    tone_at(index, sorted.len())
}

/// The tone of the `index`-th of `count` bands, highest first: the top
/// band good, the bottom one bad, those between fair (the upper half of
/// them) or warn; with three bands the middle one is warn, with four
/// (≥100, ≥70, ≥50, below) they are good, fair, warn, bad.
pub fn tone_at(index: usize, count: usize) -> Tone {
    if count <= 1 || index == 0 {
        Tone::Good
    } else if index + 1 >= count {
        Tone::Bad
    } else if index * 2 < count - 1 {
        Tone::Fair
    } else {
        Tone::Warn
    }
}

/// Tones and bar widths at their edges; whole documents are checked
/// through their Markdown and HTML in `tests/integration/report.rs`.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tones_follow_the_bands() {
        let band = |min| Band {
            min_percent: min,
            label: crate::model::Text::new("", "b"),
            advice: crate::model::Text::default(),
        };
        let bands = [band(0), band(80), band(50)];
        assert_eq!(tone(90.0, &bands), Tone::Good);
        assert_eq!(tone(60.0, &bands), Tone::Warn);
        assert_eq!(tone(-5.0, &bands), Tone::Bad);
        assert_eq!(tone(10.0, &[]), Tone::Good);
        // Four bands: every one its own tone.
        let four = [band(100), band(70), band(50), band(0)];
        let tones: Vec<Tone> = [100.0, 75.0, 55.0, 10.0]
            .iter()
            .map(|p| tone(*p, &four))
            .collect();
        assert_eq!(tones, Tone::ALL);
        let five: Vec<Tone> = (0..5).map(|i| tone_at(i, 5)).collect();
        assert_eq!(
            five,
            [Tone::Good, Tone::Fair, Tone::Warn, Tone::Warn, Tone::Bad]
        );
        assert_eq!(bar(-3.0, &bands).width, "0.0");
        assert_eq!(bar(130.0, &bands).width, "100.0");
    }

    #[test]
    fn thumbnails_left_out_are_announced_at_the_top_of_the_report() {
        let report = |preview: Preview| Report {
            organisation: "Example KK".into(),
            lang: Lang::En,
            fiscal_start: 4,
            review: false,
            runs: Vec::new(),
            missing: Vec::new(),
            order: Vec::new(),
            generated: chrono::NaiveDate::default(),
            previews: [("a".repeat(64), preview)].into(),
            roles: crate::model::Roles::default(),
            names: std::collections::BTreeMap::new(),
        };
        let first = |r: &Report| match document(r).parts.first() {
            Some(Part::Notice(text)) => text.clone(),
            _ => String::new(),
        };
        let left_out = first(&report(Preview::OverBudget));
        assert!(
            left_out.starts_with("Some evidence thumbnails were left out")
                && left_out.contains("--bundle"),
            "{left_out}"
        );
        let shown = first(&report(Preview::Unavailable("broken".into())));
        assert!(!shown.contains("left out"), "{shown}");
    }
}
