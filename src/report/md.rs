//! The Markdown report: header facts, score and band with its advice, the
//! comparison (regressions first), every item with its answer, note,
//! evidence and corrective action, carried answers flagged. Pure.
//!
//! Text from data is escaped so that it shows as written: Markdown
//! punctuation and HTML (`<script>`) come out as literal characters.

use std::fmt::Write as _;

use super::{ItemResult, Report, RunReport, change_marker, change_name, clean};
use crate::compare::{ChoiceRef, ItemChange, ItemComparison};
use crate::model::Lang;
use crate::number::{pct, signed, signed_pct};

/// Renders the report as `CommonMark` (with GitHub tables).
pub fn render(report: &Report) -> String {
    let lang = report.lang;
    let mut out = format!("# {}\n", inline(&report.title()));
    if report.review {
        summary(&mut out, report);
        for run in &report.runs {
            let _ = write!(
                out,
                "\n## {} (`{}`)\n",
                inline(&run.subject_name()),
                run.run.subject
            );
            run_body(&mut out, report, run, 3);
        }
    } else if let Some(run) = report.runs.first() {
        run_body(&mut out, report, run, 2);
    } else {
        let _ = write!(
            out,
            "\n{}\n",
            lang.pick("対象の点検がありません。", "No runs.")
        );
    }
    out
}

/// The review's table: one row per subject, then the subjects without a run.
fn summary(out: &mut String, report: &Report) {
    let lang = report.lang;
    let _ = write!(
        out,
        "\n{}: {}\n\n## {}\n\n| {} | {} | {} | {} | % | Δ | {} | {} | {} | {} | {} |\n| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |\n",
        lang.pick("組織", "Organisation"),
        inline(&report.organisation),
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
    for run in &report.runs {
        let delta = run
            .comparison
            .as_ref()
            .map_or_else(|| "—".to_owned(), |c| signed_pct(c.percent_delta));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {}/{} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&run.subject_name()),
            run.subject
                .as_ref()
                .map_or_else(|| "—".to_owned(), |s| s.criticality.to_string()),
            run.run.date(),
            run.score.score,
            run.score.max,
            pct(run.percent),
            delta,
            cell(&band_label(run, lang)),
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
            clean(&m.name)
        };
        let _ = writeln!(
            out,
            "| {} | {} | — | — | — | — | {} | — | — | — | {} |",
            cell(&name),
            m.criticality
                .map_or_else(|| "—".to_owned(), |c| c.to_string()),
            cell(&m.reason),
            due_cell(m.due.as_ref(), lang),
        );
    }
}

/// `open (overdue)`, or `0`.
fn actions_cell(open: usize, overdue: usize, lang: Lang) -> String {
    if overdue > 0 {
        format!("{open} ({overdue} {})", lang.pick("超過", "overdue"))
    } else {
        open.to_string()
    }
}

/// The next due date, in bold with a note when overdue.
fn due_cell(due: Option<&crate::schedule::Due>, lang: Lang) -> String {
    match due {
        None => "—".to_owned(),
        Some(d) if d.overdue => {
            format!("**{} ({})**", d.due_date, lang.pick("超過", "overdue"))
        }
        Some(d) => d.due_date.to_string(),
    }
}

fn band_label(run: &RunReport, lang: Lang) -> String {
    run.band
        .as_ref()
        .map_or_else(|| "—".to_owned(), |b| clean(b.label.get(lang)))
}

/// One run: facts, result, sections, comparison, items. `level` is the
/// heading level of its parts.
fn run_body(out: &mut String, report: &Report, run: &RunReport, level: usize) {
    let lang = report.lang;
    let h = "#".repeat(level);
    let r = &run.run;
    let inspector = if r.inspector.name.trim().is_empty() {
        format!("`{}`", r.inspector.id)
    } else {
        format!("{} (`{}`)", inline(&r.inspector.name), r.inspector.id)
    };
    let _ = write!(
        out,
        "\n| | |\n| --- | --- |\n| {} | {} |\n| {} | {} (`{}`) |\n| {} | {} (`{}`, {} {}) |\n| {} | {} |\n| {} | {} |\n| {} | {} ({}) |\n| {} | `{}` |\n",
        lang.pick("組織", "Organisation"),
        cell(&report.organisation),
        lang.pick("対象", "Subject"),
        cell(&run.subject_name()),
        r.subject,
        lang.pick("点検", "Inspection"),
        cell(run.template.title.get(lang)),
        r.inspection,
        lang.pick("版", "version"),
        r.inspection_version,
        lang.pick("点検者", "Inspector"),
        inspector.replace('|', "\\|"),
        lang.pick("開始", "Started"),
        r.started.format("%Y-%m-%d %H:%M %:z"),
        lang.pick("終了", "Finished"),
        r.finished.format("%Y-%m-%d %H:%M %:z"),
        run.period(report.fiscal_start),
        lang.pick("記録", "Run"),
        cell(&r.id),
    );
    if let Some(commit) = &run.commit {
        let _ = writeln!(out, "| {} | `{commit}` |", lang.pick("コミット", "Commit"));
    }
    if let Some(old) = &r.supersedes {
        let _ = writeln!(
            out,
            "| {} | `{}` |",
            lang.pick("訂正対象", "Supersedes"),
            cell(old)
        );
    }

    // Result: score, band, advice, counts.
    let _ = write!(
        out,
        "\n{h} {}\n\n**{}/{} ({}%)**",
        lang.pick("結果", "Result"),
        run.score.score,
        run.score.max,
        pct(run.percent)
    );
    if let Some(band) = &run.band {
        let _ = write!(
            out,
            " — {}: **{}**",
            lang.pick("区分", "band"),
            inline(band.label.get(lang))
        );
        let _ = writeln!(out);
        let advice = band.advice.get(lang);
        if !advice.trim().is_empty() {
            let _ = writeln!(out, "\n> {}", block(advice, "> "));
        }
    } else {
        let _ = writeln!(out);
    }
    let s = &run.score;
    let _ = writeln!(
        out,
        "\n{} {} / {} · {} {} · {} {} · {} {}",
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
        let _ = writeln!(
            out,
            "\n**⚠ {}**",
            match lang {
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
            }
        );
    }

    // Sections.
    let _ = write!(
        out,
        "\n{h}# {}\n\n| {} | {} | % |\n| --- | ---: | ---: |\n",
        lang.pick("分野別", "Sections"),
        lang.pick("分野", "Section"),
        lang.pick("得点", "Score"),
    );
    for sec in run.sections() {
        let _ = writeln!(
            out,
            "| {} | {}/{} | {} |",
            cell(sec.section.title.get(lang)),
            sec.score.score,
            sec.score.max,
            pct(sec.percent)
        );
    }

    comparison(out, report, run, &h);
    items(out, report, run, &h);
    open_actions(out, report, run, &h);
}

/// The corrective actions of this subject and inspection still open.
fn open_actions(out: &mut String, report: &Report, run: &RunReport, h: &str) {
    let lang = report.lang;
    let _ = write!(
        out,
        "\n{h} {}\n\n",
        lang.pick("未完了の是正処置", "Open corrective actions")
    );
    if run.open_actions.is_empty() {
        let _ = writeln!(
            out,
            "{} ({})",
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
        "{} {}: {} {}, {} {}.\n\n| {} | {} | {} | {} | {} | {} |\n| --- | --- | --- | --- | --- | --- |\n",
        lang.pick("基準日", "As of"),
        run.actions_as_of,
        run.open_actions.len(),
        lang.pick("件未完了", "open"),
        run.overdue_actions(),
        lang.pick("件期限超過", "overdue"),
        lang.pick("項目", "Item"),
        lang.pick("是正処置", "Action"),
        lang.pick("担当", "Owner"),
        lang.pick("期限", "Due"),
        lang.pick("記録日", "Opened"),
        lang.pick("状態", "Status"),
    );
    for a in &run.open_actions {
        let title = run
            .template
            .item(a.item.as_str())
            .map(|i| format!(" {}", cell(i.title.get(lang))))
            .unwrap_or_default();
        let status = if a.overdue {
            format!("**{}**", lang.pick("期限超過", "overdue"))
        } else {
            lang.pick("未完了", "open").to_owned()
        };
        let _ = writeln!(
            out,
            "| **{}**{title} | {} | {} | {} | {} | {status} |",
            a.item,
            cell(&a.action.text),
            cell(&a.action.owner),
            a.action.due,
            a.opened,
        );
    }
}

/// The comparison with the earlier run, regressions first.
fn comparison(out: &mut String, report: &Report, run: &RunReport, h: &str) {
    let lang = report.lang;
    let _ = write!(
        out,
        "\n{h} {}\n\n",
        lang.pick("前回との比較", "Comparison with the previous period")
    );
    let Some(c) = &run.comparison else {
        let _ = writeln!(
            out,
            "{}",
            lang.pick(
                "比較できる以前の点検がありません。",
                "There is no earlier run to compare with."
            )
        );
        return;
    };
    let fq = |d| crate::period::Period::fiscal_quarter_of(d, report.fiscal_start);
    let _ = writeln!(
        out,
        "{} ({}) → {} ({}): {}/{} ({}%) → {}/{} ({}%), {} ({} {}).",
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
        signed(c.score_delta),
        signed_pct(c.percent_delta),
        lang.pick("ポイント", "points"),
    );
    let parts: Vec<String> = ItemChange::ALL
        .iter()
        .map(|k| format!("{} {}", change_name(*k, lang), c.summary.count(*k)))
        .collect();
    let _ = writeln!(out, "\n{}.", parts.join(" · "));
    let changes = run.changes();
    let mut current: Option<ItemChange> = None;
    for item in &changes {
        if current != Some(item.change) {
            current = Some(item.change);
            let n = changes.iter().filter(|i| i.change == item.change).count();
            let _ = write!(
                out,
                "\n{h}# {} {} ({n})\n\n",
                change_marker(item.change),
                change_name(item.change, lang)
            );
        }
        change_line(out, item, lang);
    }
    let notes: Vec<&ItemComparison> = c
        .with_change(ItemChange::Unchanged)
        .filter(|i| i.note_diff.is_some())
        .collect();
    if !notes.is_empty() {
        let _ = write!(
            out,
            "\n{h}# {} ({})\n\n",
            lang.pick("メモのみ変更", "Notes changed"),
            notes.len()
        );
        for item in notes {
            change_line(out, item, lang);
        }
    }
}

fn change_line(out: &mut String, item: &ItemComparison, lang: Lang) {
    let choice =
        |c: Option<&ChoiceRef>| c.map_or_else(|| "—".to_owned(), |c| inline(c.label.get(lang)));
    let _ = writeln!(
        out,
        "- **{}** {}: {} → {}",
        item.id,
        inline(item.title.get(lang)),
        choice(item.from.as_ref()),
        choice(item.to.as_ref()),
    );
    if item.note_diff.is_some() {
        if !item.from_note.is_empty() {
            let _ = writeln!(
                out,
                "  - {}: {}",
                lang.pick("前回のメモ", "Earlier note"),
                block(&item.from_note, "    ")
            );
        }
        if !item.to_note.is_empty() {
            let _ = writeln!(
                out,
                "  - {}: {}",
                lang.pick("今回のメモ", "Note"),
                block(&item.to_note, "    ")
            );
        }
    }
}

/// Every item, section by section.
fn items(out: &mut String, report: &Report, run: &RunReport, h: &str) {
    let lang = report.lang;
    let _ = writeln!(out, "\n{h} {}", lang.pick("項目", "Items"));
    for sec in run.sections() {
        let _ = write!(
            out,
            "\n{h}# {} — {}/{} ({}%)\n\n",
            inline(sec.section.title.get(lang)),
            sec.score.score,
            sec.score.max,
            pct(sec.percent)
        );
        for item in &sec.items {
            item_entry(out, item, lang);
        }
    }
}

fn item_entry(out: &mut String, it: &ItemResult<'_>, lang: Lang) {
    let _ = writeln!(
        out,
        "- **{}** {}",
        it.item.id,
        inline(it.item.title.get(lang))
    );
    let Some(answer) = it.answer else {
        let _ = writeln!(out, "  - **{}**", lang.pick("未回答", "Not answered"));
        return;
    };
    let label = it.choice.map_or_else(
        || format!("`{}`", answer.choice),
        |c| inline(c.label.get(lang)),
    );
    let points = match (it.points, it.best) {
        (Some(p), Some(b)) => format!(" · {p}/{b}"),
        (None, _) => format!(" · {}", lang.pick("採点対象外", "not scored")),
        _ => String::new(),
    };
    let finding = if it.below_best() {
        format!(" · {}", lang.pick("指摘", "finding"))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  - {}: **{label}**{points}{finding}",
        lang.pick("回答", "Answer")
    );
    if it.carried() {
        let _ = writeln!(
            out,
            "  - ⚠ {}",
            lang.pick(
                "前回からの引継ぎ（未確認）",
                "Carried from the previous run, not yet confirmed"
            )
        );
    }
    if !answer.note.trim().is_empty() {
        let _ = writeln!(
            out,
            "  - {}: {}",
            lang.pick("メモ", "Note"),
            block(&answer.note, "    ")
        );
    }
    if !answer.evidence.is_empty() {
        let list: Vec<String> = answer.evidence.iter().map(|e| inline(e)).collect();
        let _ = writeln!(
            out,
            "  - {}: {}",
            lang.pick("証跡", "Evidence"),
            list.join("; ")
        );
    }
    if let Some(action) = &answer.action {
        let owner = if action.owner.trim().is_empty() {
            String::new()
        } else {
            format!(" — {}", inline(&action.owner))
        };
        let _ = writeln!(
            out,
            "  - {}: {}{owner}, {} {}",
            lang.pick("是正処置", "Corrective action"),
            inline(&action.text),
            lang.pick("期限", "due"),
            action.due
        );
    }
}

/// Escapes text for use inside a line: Markdown punctuation and HTML are
/// backslash-escaped, line breaks become spaces.
pub(super) fn inline(s: &str) -> String {
    let line = super::one_line(s);
    let mut out = String::with_capacity(line.len() + 8);
    escape_into(&mut out, &line);
    out
}

/// Escapes text for a table cell (like [`inline`]; `|` is escaped too).
fn cell(s: &str) -> String {
    inline(s)
}

/// Escapes multi-line text; lines after the first are joined with a hard
/// break and indented by `indent` so they stay in their list item or quote.
fn block(s: &str, indent: &str) -> String {
    let cleaned = clean(s);
    let lines: Vec<String> = cleaned
        .trim()
        .lines()
        .map(|line| {
            let mut out = String::new();
            let line = line.trim_end();
            let trimmed = line.trim_start();
            // A line that would start a block (heading, list, quote,
            // numbered list) inside the item is escaped.
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            let after = trimmed[digits..].chars().next();
            if digits > 0 && matches!(after, Some('.' | ')')) {
                out.push_str(&trimmed[..digits]);
                out.push('\\');
                escape_into(&mut out, &trimmed[digits..]);
            } else if matches!(trimmed.chars().next(), Some('-' | '+' | '=')) {
                out.push('\\');
                escape_into(&mut out, trimmed);
            } else {
                escape_into(&mut out, trimmed);
            }
            out
        })
        .filter(|l| !l.is_empty())
        .collect();
    lines.join(&format!("\\\n{indent}"))
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Escaping checked on the strings that could break a report.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_markdown_in_data_stay_text() {
        assert_eq!(
            inline("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(inline("a | b *c*"), "a \\| b \\*c\\*");
        assert_eq!(inline("line1\nline2"), "line1 line2");
    }

    #[test]
    fn multi_line_notes_stay_in_their_item() {
        assert_eq!(
            block("one\n# two\n- four\n3. three", "    "),
            "one\\\n    \\# two\\\n    \\- four\\\n    3\\. three"
        );
    }
}
