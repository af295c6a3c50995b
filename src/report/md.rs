//! The Markdown report: the [`Document`] laid out as `CommonMark` with
//! GitHub tables. Words, numbers and data come from the document; this
//! file adds only layout and Markdown's escaping, so that text from data
//! shows as written (Markdown punctuation and HTML such as `<script>` come
//! out as literal characters). Pure.

use std::fmt::Write as _;

use super::doc::{
    ActionCount, AnswerCell, Block, ChangeRow, Chapter, ChoiceName, Column, Comparison, Document,
    DontKnow, DueDate, EvidenceEntry, Fact, Items, OpenActions, Part, ResultBox, RunPart, Sections,
    Span, Summary, SummaryRow,
};
use crate::compare::ItemChange;

/// Renders the report as `CommonMark` (with GitHub tables).
pub fn render(report: &super::Report) -> String {
    write(&super::build::document(report))
}

/// Writes `doc` as Markdown.
pub fn write(doc: &Document) -> String {
    let mut out = format!("# {}\n", inline(&doc.title));
    // The report's dates (the latest run's, the day it was made), on the
    // organisation's line of a review, else under the title, as the HTML
    // shows them in its header.
    let mut dates = String::new();
    for d in &doc.dates {
        let _ = write!(dates, " · {}: {}", inline(&d.label), spans(&d.value));
    }
    if !doc.parts.iter().any(|p| matches!(p, Part::Summary(_))) && !dates.is_empty() {
        let _ = write!(out, "\n{}\n", dates.trim_start_matches(" · "));
    }
    for part in &doc.parts {
        match part {
            Part::Summary(summary) => {
                let _ = write!(
                    out,
                    "\n{}: {}{dates}\n",
                    doc.organisation.label,
                    spans(&doc.organisation.value)
                );
                summary_table(&mut out, summary);
            }
            Part::Run(run) => run_part(&mut out, run),
            Part::Notice(text) => {
                let _ = write!(out, "\n{}\n", inline(text));
            }
            Part::Chapter(chapter) => chapter_text(&mut out, chapter),
        }
    }
    out
}

/// A chapter: heading, paragraphs, table, then its topics as headings
/// with the status in bold and labelled lines as a list.
fn chapter_text(out: &mut String, c: &Chapter) {
    let _ = write!(out, "\n## {}\n", inline(&c.heading));
    for p in &c.paragraphs {
        let _ = write!(out, "\n{}\n", block(p, ""));
    }
    if let Some(table) = &c.table {
        out.push('\n');
        table_head(out, &table.columns);
        for r in &table.rows {
            let cells: Vec<String> = r.iter().map(|c| cell(c)).collect();
            row(out, &cells);
        }
    }
    for group in &c.groups {
        let level = if let Some(heading) = &group.heading {
            let _ = write!(out, "\n### {}\n", inline(heading));
            "####"
        } else {
            "###"
        };
        for t in &group.topics {
            let _ = write!(
                out,
                "\n{level} {} {}\n",
                inline(&t.number),
                inline(&t.title)
            );
            if let Some((status, _)) = &t.status {
                let _ = write!(out, "\n**{}**\n", inline(status));
            }
            if !t.lines.is_empty() {
                out.push('\n');
            }
            for (label, text) in &t.lines {
                let _ = writeln!(out, "- **{}**: {}", inline(label), block(text, "  "));
            }
        }
    }
}

/// A table's heading and alignment rows.
fn table_head(out: &mut String, columns: &[Column]) {
    let labels: Vec<String> = columns.iter().map(|c| cell(&c.label)).collect();
    let rule: Vec<&str> = columns
        .iter()
        .map(|c| if c.numeric { "---:" } else { "---" })
        .collect();
    let _ = write!(
        out,
        "| {} |\n| {} |\n",
        labels.join(" | "),
        rule.join(" | ")
    );
}

fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

/// The review's table: one row per subject, then the subjects without a run.
fn summary_table(out: &mut String, summary: &Summary) {
    let _ = write!(out, "\n## {}\n\n", inline(&summary.heading));
    table_head(out, &summary.columns);
    let dash = || "—".to_owned();
    for r in &summary.rows {
        match r {
            SummaryRow::Run(run) => row(
                out,
                &[
                    cell(&run.name),
                    run.criticality.clone(),
                    run.date.to_string(),
                    format!("{} ({})", run.percent, run.score),
                    run.delta.as_ref().map_or_else(dash, |(d, _)| d.clone()),
                    cell(&run.band),
                    run.findings.to_string(),
                    run.carried.to_string(),
                    actions_cell(&run.actions),
                    due_cell(run.due.as_ref()),
                ],
            ),
            SummaryRow::Missing {
                name,
                criticality,
                reason,
                due,
                ..
            } => row(
                out,
                &[
                    cell(name),
                    criticality.clone(),
                    dash(),
                    dash(),
                    dash(),
                    cell(reason),
                    dash(),
                    dash(),
                    dash(),
                    due_cell(due.as_ref()),
                ],
            ),
        }
    }
}

/// `open (overdue)`, or the count alone.
fn actions_cell(a: &ActionCount) -> String {
    if a.overdue > 0 {
        format!("{} ({} {})", a.open, a.overdue, a.overdue_label)
    } else {
        a.open.to_string()
    }
}

/// The next due date, in bold with a note when overdue.
fn due_cell(due: Option<&DueDate>) -> String {
    match due {
        None => "—".to_owned(),
        Some(DueDate {
            date,
            overdue: Some(word),
        }) => format!("**{date} ({word})**"),
        Some(d) => d.date.to_string(),
    }
}

/// One run; in a review under a heading of its own.
fn run_part(out: &mut String, run: &RunPart) {
    if let Some((name, id)) = &run.heading {
        let _ = write!(out, "\n## {} (`{id}`)\n", inline(name));
    }
    let h = "#".repeat(run.level);
    for block in &run.blocks {
        match block {
            Block::Facts(facts) => facts_table(out, facts),
            Block::Result(result) => result_box(out, result, &h),
            Block::DontKnow(d) => dont_know(out, d, &h),
            // Charts are drawn in HTML only.
            Block::Chart(_) => {}
            Block::Sections(sections) => sections_table(out, sections, &h),
            Block::Comparison(c) => comparison(out, c, &h),
            Block::Items(items) => item_list(out, items, &h),
            Block::OpenActions(actions) => open_actions(out, actions, &h),
        }
    }
}

/// A value: text escaped for a table cell, ids in backticks.
fn spans(value: &[Span]) -> String {
    let mut out = String::new();
    for (i, span) in value.iter().enumerate() {
        match span {
            Span::Text(t) => out.push_str(&cell(t)),
            Span::Aside { id, extra } => {
                let extra = extra
                    .as_ref()
                    .map(|e| format!(", {}", cell(e)))
                    .unwrap_or_default();
                if i == 0 {
                    let _ = write!(out, "`{id}`{extra}");
                } else {
                    let _ = write!(out, " (`{id}`{extra})");
                }
            }
            Span::Code(t) => {
                let _ = write!(out, "`{}`", cell(t));
            }
        }
    }
    out
}

fn facts_table(out: &mut String, facts: &[Fact]) {
    out.push_str("\n| | |\n| --- | --- |\n");
    for f in facts {
        row(out, &[cell(&f.label), spans(&f.value)]);
    }
}

fn result_box(out: &mut String, r: &ResultBox, h: &str) {
    let _ = write!(
        out,
        "\n{h} {}\n\n**{} ({}%)**",
        inline(&r.heading),
        r.score,
        r.percent
    );
    match &r.band {
        Some(band) => {
            let _ = writeln!(out, " — {}: **{}**", band.label, inline(&band.name));
        }
        None => out.push('\n'),
    }
    // The scale before the band's advice, which speaks of the full scale.
    if let Some(scale) = &r.scale {
        let _ = writeln!(out, "\n{}", inline(scale));
    }
    if let Some(band) = r.band.as_ref().filter(|b| !b.advice.is_empty()) {
        let _ = writeln!(out, "\n> {}", block(&band.advice, "> "));
    }
    let _ = writeln!(out, "\n{}", inline(&r.counts));
    if let Some(warning) = &r.warning {
        let _ = writeln!(out, "\n**⚠ {}**", inline(warning));
    }
}

/// The items answered "don't know", to be checked first.
fn dont_know(out: &mut String, d: &DontKnow, h: &str) {
    let _ = write!(
        out,
        "\n{h}# {}\n\n{}\n\n",
        inline(&d.heading),
        inline(&d.intro)
    );
    for (id, title, note) in &d.rows {
        let _ = writeln!(out, "- **{id}** {}", inline(title));
        if !note.is_empty() {
            let _ = writeln!(out, "  - {}: {}", d.note, block(note, "    "));
        }
    }
}

fn sections_table(out: &mut String, s: &Sections, h: &str) {
    let _ = write!(out, "\n{h}# {}\n\n", inline(&s.heading));
    table_head(out, &s.columns);
    for r in &s.rows {
        row(out, &[cell(&r.title), r.score.clone(), r.percent.clone()]);
    }
}

/// The comparison, one list per kind of change, regressions first.
fn comparison(out: &mut String, c: &Comparison, h: &str) {
    let _ = write!(out, "\n{h} {}\n\n", inline(&c.heading));
    let body = match &c.body {
        Ok(body) => body,
        Err(none) => {
            let _ = writeln!(out, "{}", inline(none));
            return;
        }
    };
    let _ = writeln!(out, "{}, {}.", body.line, body.delta);
    let _ = writeln!(out, "\n{}.", body.counts);
    for group in &body.groups {
        // Notes changed on unchanged answers are a heading of their own,
        // without the `=` of an unchanged item.
        let marker = if group.change == ItemChange::Unchanged {
            String::new()
        } else {
            format!("{} ", group.marker)
        };
        let _ = write!(
            out,
            "\n{h}# {marker}{} ({})\n\n",
            inline(&group.heading),
            group.rows.len()
        );
        for item in &group.rows {
            change_line(out, item, &body.earlier_note, &body.note);
        }
    }
}

fn change_line(out: &mut String, item: &ChangeRow, earlier: &str, later: &str) {
    let _ = writeln!(
        out,
        "- **{}** {}: {} → {}",
        item.id,
        inline(&item.title),
        inline(&item.from),
        inline(&item.to),
    );
    if let Some((from_note, to_note)) = &item.notes {
        for (label, note) in [(earlier, from_note), (later, to_note)] {
            if !note.is_empty() {
                let _ = writeln!(out, "  - {label}: {}", block(note, "    "));
            }
        }
    }
}

/// Every item, section by section, as nested lists.
fn item_list(out: &mut String, items: &Items, h: &str) {
    let _ = writeln!(out, "\n{h} {}", inline(&items.heading));
    for sec in &items.sections {
        let _ = write!(out, "\n{h}# {} — {}\n\n", inline(&sec.title), sec.score);
        for it in &sec.items {
            let _ = writeln!(out, "- **{}** {}", it.id, inline(&it.title));
            match &it.answer {
                None => {
                    let _ = writeln!(out, "  - **{}**", items.words.not_answered);
                }
                Some(answer) => answer_lines(out, answer, items),
            }
        }
    }
}

fn answer_lines(out: &mut String, a: &AnswerCell, items: &Items) {
    let w = &items.words;
    let label = match &a.choice {
        ChoiceName::Label(label) => inline(label),
        ChoiceName::Id(id) => format!("`{id}`"),
    };
    let finding = if a.finding {
        format!(" · {}", w.finding)
    } else {
        String::new()
    };
    let _ = writeln!(out, "  - {}: **{label}** · {}{finding}", w.answer, a.points);
    if a.carried {
        let _ = writeln!(out, "  - ⚠ {}", w.carried);
    }
    if !a.note.is_empty() {
        let _ = writeln!(out, "  - {}: {}", w.note, block(&a.note, "    "));
    }
    if !a.evidence.is_empty() {
        let list: Vec<String> = a
            .evidence
            .iter()
            .map(|e| match e {
                EvidenceEntry::Text(t) => inline(t),
                // A link to the file (beside the report in a bundle, or in
                // the repository), with what an auditor checks it against.
                EvidenceEntry::File(f) => format!(
                    "[{}]({}) ({}, SHA-256 `{}`)",
                    inline(&f.name).replace(['[', ']'], ""),
                    f.path,
                    f.size,
                    f.sha256
                ),
            })
            .collect();
        let _ = writeln!(out, "  - {}: {}", w.evidence, list.join("; "));
    }
    if let Some((text, owner, due)) = &a.action {
        let owner = owner
            .as_ref()
            .map(|o| format!(" — {}", inline(o)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  - {}: {}{owner}, {} {due}",
            w.action,
            inline(text),
            w.due
        );
    }
}

/// The corrective actions still open.
fn open_actions(out: &mut String, a: &OpenActions, h: &str) {
    let _ = write!(out, "\n{h} {}\n\n", inline(&a.heading));
    if a.rows.is_empty() {
        let _ = writeln!(out, "{}", inline(&a.intro));
        return;
    }
    let _ = write!(out, "{}\n\n", inline(&a.intro));
    // Every column left-aligned, dates too (they have one width).
    let columns: Vec<Column> = a
        .columns
        .iter()
        .map(|c| Column {
            label: c.label.clone(),
            numeric: false,
        })
        .collect();
    table_head(out, &columns);
    for r in &a.rows {
        let title = r
            .title
            .as_ref()
            .map(|t| format!(" {}", cell(t)))
            .unwrap_or_default();
        let status = if r.overdue {
            format!("**{}**", r.status)
        } else {
            r.status.clone()
        };
        row(
            out,
            &[
                format!("**{}**{title}", r.item),
                cell(&r.text),
                cell(&r.owner),
                r.due.to_string(),
                r.opened.to_string(),
                status,
            ],
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
    let cleaned = super::clean(s);
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
