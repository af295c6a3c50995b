//! The HTML report: the [`Document`] laid out as one self-contained,
//! printable page (no external assets, no scripts): the review's table of
//! every subject, then per run its facts, result, the trend chart (inline
//! SVG from [`super::chart`]), a result bar per section, the comparison,
//! every item and the open corrective actions. Words, numbers and data
//! come from the document; this file adds only markup. Pure.
//!
//! The markup is written with `maud`: templates checked by the compiler
//! (an unclosed or misnested element does not build) that escape every
//! interpolated value by default, so escaping is not something to
//! remember; only the SVG chart and the style sheet go in as
//! `PreEscaped`, both made by tenken. Why `maud` rather than `askama` or a
//! hand-made builder: it is a proc macro over Rust expressions (no
//! template files, no runtime), its whole tree is four small crates, and
//! building it costs little on two cores. Measured when it was added: in
//! `cargo build --timings` of the build that added it, `maud_macros` 1.3 s,
//! `maud` 0.3 s, `proc-macro2-diagnostics` 0.4 s; it also turns on `syn`'s
//! `full` feature, so `syn` builds longer. A clean `cargo build -j2` took
//! 77 s of user CPU before and 88 s after (this module and the document
//! model included); wall-clock times were not comparable, the machine
//! being shared.
//!
//! Every element is closed; void elements (`meta`) are written as HTML
//! writes them. Whitespace follows the page's own line structure, so the
//! output reads (and diffs) like the hand-written page it replaced.
//!
//! Over 700 lines on purpose: one `maud` template per document block, read
//! top to bottom as the page is; the style sheet and the chart are elsewhere.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::chart;
use super::doc::{
    ActionCount, AnswerCell, Block, Chapter, ChoiceName, Comparison, Document, DontKnow, DueDate,
    EvidenceEntry, Fact, Items, OpenActions, Part, ResultBox, RunPart, Sections, Span, Summary,
    SummaryRow,
};

/// A system font stack that has Japanese glyphs on every common platform.
const FONTS: &str = "system-ui, -apple-system, \"Segoe UI\", \"Hiragino Sans\", \"Hiragino Kaku Gothic ProN\", \"Yu Gothic UI\", \"Yu Gothic\", Meiryo, \"Noto Sans CJK JP\", \"Noto Sans JP\", \"Noto Sans\", sans-serif";

const CSS: &str = r"
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --good: #1a7f37; --fair: #667a00; --warn: #9a6700; --bad: #cf222e; --accent: #0969da; }
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
.result.good { border-color: var(--good); } .result.fair { border-color: var(--fair); } .result.warn { border-color: var(--warn); } .result.bad { border-color: var(--bad); }
.result .score { font-size: 1.6rem; margin: 0; }
.result .score small { font-size: 1rem; color: var(--muted); }
.result p { margin: .25rem 0; }
.result p.scale { color: var(--muted); }
.warning { color: var(--warn); font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num, td.due { white-space: normal; }
.date { white-space: nowrap; }
.bar { background: #e6eaef; height: .75rem; border-radius: .2rem; overflow: hidden; min-width: 7rem; margin-top: .35rem; }
.bar span { display: block; height: 100%; background: var(--accent); }
.bar.good span { background: var(--good); } .bar.fair span { background: var(--fair); } .bar.warn span { background: var(--warn); } .bar.bad span { background: var(--bad); }
.note { white-space: pre-wrap; overflow-wrap: anywhere; }
ul.evidence { margin: .2rem 0; padding-left: 1.1rem; color: var(--muted); }
ul.evidence li.file { list-style: none; margin-left: -1.1rem; }
ul.evidence figure.thumb { margin: .3rem 0 .1rem; }
ul.evidence figure.thumb img { max-width: 100%; height: auto; border: 1px solid var(--line, #ccc); border-radius: 3px; }
ul.evidence code.digest { display: block; width: 32ch; max-width: 100%; font-size: .75em; word-break: break-all; }
ul.evidence .nowrap { white-space: nowrap; }
.action { margin: .2rem 0; }
tr.finding td:first-child { border-left: .25rem solid var(--bad); }
.flag { display: inline-block; font-size: .75rem; padding: 0 .35rem; border-radius: .6rem; border: 1px solid currentColor; margin-left: .3rem; white-space: nowrap; }
.flag.carried { color: var(--warn); } .flag.finding { color: var(--bad); }
.regressed { color: var(--bad); } .improved { color: var(--good); }
figure.chart { margin: 1rem 0; }
figure.chart svg { width: 100%; max-width: 42rem; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .85rem; }
.muted { color: var(--muted); font-size: .85em; }
.topic { border-left: .2rem solid var(--line); padding: .1rem 0 .1rem .8rem; margin: .8rem 0; }
.topic h3, .topic h4 { margin: .2rem 0; }
p.status { font-weight: 600; margin: .2rem 0; }
p.status.good { color: var(--good); } p.status.fair { color: var(--fair); } p.status.warn { color: var(--warn); } p.status.bad { color: var(--bad); }
/* The review's table fits a 1280 px screen and A4 portrait: a smaller
   font, the id under the name, dates never broken, headings wrapped. */
.summary table { font-size: .9em; }
.summary th, .summary td { padding: .3rem .35rem; }
.summary td:first-child { min-width: 9rem; overflow-wrap: anywhere; }
.summary .id { display: block; white-space: nowrap; }
.summary .bar { min-width: 3rem; margin-bottom: .1rem; }
.summary td .muted { display: block; }
footer { color: var(--muted); font-size: .8rem; margin-top: 3rem; border-top: 1px solid var(--line); padding-top: .5rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  .summary table { font-size: 8.5pt; }
  .summary th, .summary td { padding: .25rem; }
  .summary td:first-child { min-width: 6rem; }
  .summary .bar { min-width: 2.5rem; }
  section.run + section.run { break-before: page; }
  tr, li, figure, .result, .topic, h2, h3, h4 { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
";

/// Renders the report as one HTML page.
pub fn render(report: &super::Report) -> String {
    write(&super::build::document(report))
}

/// Writes `doc` as one HTML page.
pub fn write(doc: &Document) -> String {
    let page = html! {
        (DOCTYPE) "\n"
        html lang=(doc.lang) {
            "\n"
            head {
                "\n" meta charset="utf-8";
                "\n" meta name="viewport" content="width=device-width, initial-scale=1";
                "\n" meta name="generator" content="tenken";
                "\n" title { (doc.title) }
                "\n" style { (PreEscaped(CSS.replace("FONTS", FONTS))) }
                "\n"
            }
            "\n"
            body {
                "\n"
                header {
                    "\n" h1 { (doc.title) }
                    "\n" p class="sub" {
                        (spans(&doc.organisation.value))
                        @for date in &doc.dates { " · " (date.label) " " (spans(&date.value)) }
                    }
                    "\n"
                }
                "\n"
                main {
                    "\n"
                    @for part in &doc.parts {
                        @match part {
                            Part::Summary(summary) => (summary_table(summary)),
                            Part::Run(run) => (run_part(run)),
                            Part::Notice(text) => { p { (text) } "\n" }
                            Part::Chapter(chapter) => (chapter_section(chapter)),
                        }
                    }
                }
                "\n" footer { (doc.footer) }
                "\n"
            }
            "\n"
        }
        "\n"
    };
    page.into_string()
}

/// A heading of `level` (2 to 6).
fn heading(level: usize, content: &str) -> Markup {
    html! {
        @match level {
            ..=2 => h2 { (content) },
            3 => h3 { (content) },
            4 => h4 { (content) },
            5 => h5 { (content) },
            _ => h6 { (content) },
        }
        "\n"
    }
}

/// A value: text, ids set off in a muted span, literal text as code.
fn spans(value: &[Span]) -> Markup {
    html! {
        @for (i, span) in value.iter().enumerate() {
            @match span {
                Span::Text(t) => (t),
                Span::Aside { id, extra } => {
                    @if i > 0 { " " }
                    span class="id" {
                        (id)
                        @if let Some(extra) = extra { " · " (extra) }
                    }
                }
                Span::Code(t) => code { (t) },
            }
        }
    }
}

/// A chapter: heading, paragraphs, table, then its topics, each with its
/// status (toned) and labelled lines.
fn chapter_section(c: &Chapter) -> Markup {
    html! {
        section class="chapter" id=(c.anchor) {
            "\n" h2 { (c.heading) } "\n"
            @for p in &c.paragraphs { p class="note" { (p) } "\n" }
            @if let Some(table) = &c.table {
                table {
                    @if table.columns.iter().any(|c| !c.label.is_empty()) {
                        "\n" thead { tr { @for col in &table.columns { th class=[col.numeric.then_some("num")] { (col.label) } } } }
                    }
                    "\n" tbody {
                        "\n"
                        @for row in &table.rows {
                            tr { @for (i, cell) in row.iter().enumerate() {
                                td class=[table.columns.get(i).is_some_and(|c| c.numeric).then_some("num")] { (cell) }
                            } }
                            "\n"
                        }
                    }
                    "\n"
                }
                "\n"
            }
            @for group in &c.groups {
                @if let Some(heading) = &group.heading { h3 { (heading) } "\n" }
                @for t in &group.topics {
                    div class="topic" id=(t.anchor) {
                        "\n"
                        @if group.heading.is_some() {
                            h4 { span class="id" { (t.number) } " " (t.title) }
                        } @else {
                            h3 { span class="id" { (t.number) } " " (t.title) }
                        }
                        "\n"
                        @if let Some((status, tone)) = &t.status {
                            p class={ "status " (tone.as_str()) } { (status) } "\n"
                        }
                        @if !t.lines.is_empty() {
                            dl class="facts" {
                                "\n"
                                @for (label, text) in &t.lines {
                                    dt { (label) } dd class="note" { (text) } "\n"
                                }
                            }
                            "\n"
                        }
                    }
                    "\n"
                }
            }
        }
        "\n"
    }
}

/// The review's table: one row per subject, then the subjects without a run.
fn summary_table(summary: &Summary) -> Markup {
    html! {
        section class="summary" {
            "\n" h2 { (summary.heading) }
            "\n" table {
                "\n" thead { tr { @for c in &summary.columns { th class=[c.numeric.then_some("num")] { (c.label) } } } }
                "\n" tbody {
                    "\n"
                    @for row in &summary.rows {
                        @match row {
                            SummaryRow::Run(run) => tr {
                                td { a href={ "#" (run.anchor) } { (run.name) } " " span class="id" { (run.id) } }
                                td class="num" { (run.criticality) }
                                td class="date" { (run.date) }
                                td class="num" {
                                    (run.percent)
                                    div class={ "bar " (run.bar.tone.as_str()) } { span style={ "width: " (run.bar.width) "%" } {} }
                                    span class="muted" { (run.score) }
                                }
                                td class="num" {
                                    @match &run.delta {
                                        Some((delta, direction)) => span class=(direction) { (delta) },
                                        None => "—",
                                    }
                                }
                                td { (run.band) }
                                td class="num" { (run.findings) }
                                td class="num" { (run.carried) }
                                td class="num" { (actions_cell(&run.actions)) }
                                td class="num due" { (due_cell(run.due.as_ref())) }
                            },
                            SummaryRow::Missing { name, id, criticality, reason, due } => tr {
                                td { span class="name" { (name) } " " span class="id" { (id) } }
                                td class="num" { (criticality) }
                                td colspan="7" { (reason) }
                                td class="num due" { (due_cell(due.as_ref())) }
                            },
                        }
                        "\n"
                    }
                }
                "\n"
            }
            "\n"
        }
        "\n"
    }
}

/// `open (overdue)`, or the count alone.
fn actions_cell(a: &ActionCount) -> Markup {
    html! {
        (a.open)
        @if a.overdue > 0 {
            " " span class="regressed" { "(" (a.overdue) " " (a.overdue_label) ")" }
        }
    }
}

/// The next due date, marked when overdue.
fn due_cell(due: Option<&DueDate>) -> Markup {
    html! {
        @match due {
            None => "—",
            Some(DueDate { date, overdue: Some(word) }) => strong class="regressed" { span class="date" { (date) } " (" (word) ")" },
            Some(d) => (d.date),
        }
    }
}

/// One run, in a section of its own.
fn run_part(run: &RunPart) -> Markup {
    html! {
        section class="run" id=(run.anchor) {
            "\n"
            @if let Some((name, id)) = &run.heading {
                h2 { (name) " " span class="id" { (id) } }
                "\n"
            }
            @for block in &run.blocks {
                @match block {
                    Block::Facts(facts) => (facts_list(facts)),
                    Block::Result(result) => (result_box(result)),
                    Block::DontKnow(d) => (dont_know(d, run.level)),
                    Block::Chart(c) => {
                        figure class="chart" {
                            "\n" (PreEscaped(chart::svg(c)))
                            figcaption { (c.caption) }
                            "\n"
                        }
                        "\n"
                    }
                    Block::Sections(sections) => (sections_table(sections, run.level)),
                    Block::Comparison(c) => (comparison(c, run.level)),
                    Block::Items(items) => (item_tables(items, run.level)),
                    Block::OpenActions(actions) => (open_actions(actions, run.level)),
                }
            }
        }
        "\n"
    }
}

fn facts_list(facts: &[Fact]) -> Markup {
    html! {
        dl class="facts" {
            "\n"
            @for f in facts {
                dt { (f.label) } dd { (spans(&f.value)) } "\n"
            }
        }
        "\n"
    }
}

fn result_box(r: &ResultBox) -> Markup {
    html! {
        div class={ "result " (r.tone.as_str()) } {
            "\n" p class="score" { strong { (r.percent) "%" } " " small { (r.score) } }
            "\n"
            @if let Some(scale) = &r.scale {
                p class="scale" { (scale) } "\n"
            }
            @if let Some(band) = &r.band {
                p { (band.label) ": " strong { (band.name) } } "\n"
                @if !band.advice.is_empty() {
                    p class="note" { (band.advice) } "\n"
                }
            }
            p { (r.counts) } "\n"
            @if let Some(warning) = &r.warning {
                p class="warning" { "⚠ " (warning) } "\n"
            }
        }
        "\n"
    }
}

/// The items answered "don't know", to be checked first.
fn dont_know(d: &DontKnow, level: usize) -> Markup {
    html! {
        (heading(level + 1, &d.heading))
        p { (d.intro) } "\n"
        ul class="dont-know" {
            "\n"
            @for (id, title, note) in &d.rows {
                li {
                    strong { (id) } " " (title)
                    @if !note.is_empty() { div class="note muted" { (d.note) ": " (note) } }
                }
                "\n"
            }
        }
        "\n"
    }
}

fn sections_table(s: &Sections, level: usize) -> Markup {
    html! {
        (heading(level, &s.heading))
        table class="sections" {
            "\n" thead { tr { @for c in &s.columns { th class=[c.numeric.then_some("num")] { (c.label) } } } }
            "\n" tbody {
                "\n"
                @for r in &s.rows {
                    tr {
                        td {
                            (r.title)
                            div class={ "bar " (r.bar.tone.as_str()) } { span style={ "width: " (r.bar.width) "%" } {} }
                        }
                        td class="num" { (r.score) }
                        td class="num" { (r.percent) }
                    }
                    "\n"
                }
            }
            "\n"
        }
        "\n"
    }
}

/// The comparison: the change in score, then one table of every changed
/// item, regressions first.
fn comparison(c: &Comparison, level: usize) -> Markup {
    html! {
        (heading(level, &c.heading))
        @match &c.body {
            Err(none) => { p { (none) } "\n" }
            Ok(body) => {
                p { (body.line) ", " strong class=(body.direction) { (body.delta) } } "\n"
                p { (body.counts) } "\n"
                @if body.groups.iter().any(|g| !g.rows.is_empty()) {
                    table class="changes" {
                        "\n" thead { tr { @for col in &body.columns { th { (col.label) } } } }
                        "\n" tbody {
                            "\n"
                            @for group in &body.groups {
                                @for row in &group.rows {
                                    tr {
                                        td class=(group.change.as_str()) { (group.marker) " " (group.row_label) }
                                        td { (row.id) }
                                        td { (row.title) }
                                        td { (row.from) }
                                        td {
                                            (row.to)
                                            @if let Some((from_note, to_note)) = &row.notes {
                                                @if !from_note.is_empty() { div class="note" { del { (from_note) } } }
                                                @if !to_note.is_empty() { div class="note" { ins { (to_note) } } }
                                            }
                                        }
                                    }
                                    "\n"
                                }
                            }
                        }
                        "\n"
                    }
                    "\n"
                }
            }
        }
    }
}

/// Every item, one table per section.
fn item_tables(items: &Items, level: usize) -> Markup {
    let sub = |content: Markup| -> Markup {
        html! {
            @match level + 1 {
                ..=3 => h3 { (content) },
                4 => h4 { (content) },
                5 => h5 { (content) },
                _ => h6 { (content) },
            }
        }
    };
    html! {
        (heading(level, &items.heading))
        @for sec in &items.sections {
            (sub(html! { (sec.title) " " small class="id" { (sec.score) } }))
            "\n" table class="items" {
                "\n" thead { tr { @for c in &items.columns { th class=[c.numeric.then_some("num")] { (c.label) } } } }
                "\n" tbody {
                    "\n"
                    @for it in &sec.items {
                        tr class=[it.answer.as_ref().is_some_and(|a| a.finding).then_some("finding")] {
                            td { (it.id) }
                            td { (it.title) }
                            @match &it.answer {
                                None => { td { em { (items.words.not_answered) } } td class="num" {} td {} }
                                Some(a) => (answer_cells(a, items)),
                            }
                        }
                        "\n"
                    }
                }
                "\n"
            }
            "\n"
        }
    }
}

/// The answer, points and details cells of an answered item.
fn answer_cells(a: &AnswerCell, items: &Items) -> Markup {
    let w = &items.words;
    html! {
        td {
            @match &a.choice {
                ChoiceName::Label(label) => (label),
                ChoiceName::Id(id) => code { (id) },
            }
            @if a.finding { span class="flag finding" { (w.finding) } }
            @if a.carried { span class="flag carried" { "⚠ " (w.carried) } }
        }
        td class="num" { (a.points) }
        td {
            @if !a.note.is_empty() { div class="note" { (a.note) } }
            @if !a.evidence.is_empty() {
                ul class="evidence" {
                    @for e in &a.evidence {
                        @match e {
                            EvidenceEntry::Text(t) => li { (t) },
                            EvidenceEntry::File(f) => li class="file" {
                                @if let Some(t) = &f.thumbnail {
                                    figure class="thumb" {
                                        img src=(t.data_uri) width=(t.width) height=(t.height) alt=(f.name);
                                    }
                                }
                                span class="file-name" { (f.name) }
                                " · " span class="nowrap" { (f.size) }
                                " · " span class="nowrap" { "SHA-256" }
                                code class="digest" { (f.sha256) }
                                @if let Some(why) = &f.left_out { " · " em { (why) } }
                            },
                        }
                    }
                }
            }
            @if let Some((text, owner, due)) = &a.action {
                p class="action" {
                    strong { (w.action) } ": " (text)
                    @if let Some(owner) = owner { " — " (owner) }
                    ", " (w.due) " " (due)
                }
            }
        }
    }
}

/// The corrective actions still open.
fn open_actions(a: &OpenActions, level: usize) -> Markup {
    // Status before the dates on the page, where it is read first.
    let order = [0, 1, 2, 5, 3, 4];
    html! {
        (heading(level, &a.heading))
        p { (a.intro) } "\n"
        @if !a.rows.is_empty() {
            table class="actions" {
                "\n" thead { tr {
                    @for i in order {
                        @if let Some(c) = a.columns.get(i) { th class=[c.numeric.then_some("num")] { (c.label) } }
                    }
                } }
                "\n" tbody {
                    "\n"
                    @for r in &a.rows {
                        tr {
                            td { (r.item) }
                            td {
                                (r.text)
                                @if let Some(title) = &r.title { div class="muted" { (title) } }
                            }
                            td { (r.owner) }
                            td {
                                @if r.overdue { strong class="regressed" { (r.status) } } @else { (r.status) }
                            }
                            td class="num" { (r.due) }
                            td class="num" { (r.opened) }
                        }
                        "\n"
                    }
                }
                "\n"
            }
            "\n"
        }
    }
}

/// Escaping by default and the page's shape; whole pages are checked in
/// `tests/integration/report.rs`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::doc::Tone;

    #[test]
    fn escapes_markup_from_data() {
        let doc = Document {
            lang: "en",
            title: "<script>alert('x') & \"y\"</script>".to_owned(),
            organisation: Fact {
                label: "Organisation".to_owned(),
                value: vec![Span::Text("A&B <i>".to_owned())],
            },
            dates: Vec::new(),
            parts: vec![Part::Notice("<b>no runs</b>".to_owned())],
            footer: String::new(),
        };
        let page = write(&doc);
        assert!(!page.contains("<script>"));
        assert!(
            page.contains("<h1>&lt;script&gt;alert('x') &amp; &quot;y&quot;&lt;/script&gt;</h1>")
        );
        assert!(page.contains("<p class=\"sub\">A&amp;B &lt;i&gt;</p>"));
        assert!(page.contains("<p>&lt;b&gt;no runs&lt;/b&gt;</p>"));
        assert!(
            page.starts_with(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
            )
        );
        assert!(page.ends_with("</footer>\n</body>\n</html>\n"));
    }

    /// sRGB `#rrggbb` → linear channels.
    fn linear(hex: &str) -> [f64; 3] {
        let c = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        [c(1), c(3), c(5)]
    }

    /// WCAG 2 contrast ratio of two colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let lum = |h: &str| {
            let [r, g, b] = linear(h);
            0.2126 * r + 0.7152 * g + 0.0722 * b
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// CIE L*a*b* (D65) of a colour.
    fn lab(hex: &str) -> [f64; 3] {
        let [red, green, blue] = linear(hex);
        let cube = |t: f64| {
            if t > 0.008_856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        let fx = cube((0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.950_47);
        let fy = cube(0.2126 * red + 0.7152 * green + 0.0722 * blue);
        let fz = cube((0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.088_83);
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    /// The band colours: the style sheet uses the tones' colours, each is
    /// readable as text on white (WCAG AA, 4.5:1) and as a bar on its
    /// track (3:1), and any two differ by ΔE*ab ≥ 25 (ΔE ≈ 2 is the least
    /// a viewer notices; the ≥70 and ≥50 bands once shared one colour).
    #[test]
    fn band_colours_are_distinct_and_readable() {
        for tone in Tone::ALL {
            let (name, colour) = (tone.as_str(), tone.colour());
            assert!(CSS.contains(&format!("--{name}: {colour};")), "{name}");
            assert!(CSS.contains(&format!(".bar.{name} span")), "{name}");
            assert!(contrast(colour, "#ffffff") >= 4.5, "{name} on white");
            assert!(
                contrast(colour, "#e6eaef") >= 3.0,
                "{name} on the bar's track"
            );
        }
        assert!(CSS.contains(".bar { background: #e6eaef;"));
        for (i, a) in Tone::ALL.iter().enumerate() {
            for b in &Tone::ALL[i + 1..] {
                let (la, lb) = (lab(a.colour()), lab(b.colour()));
                let de = la
                    .iter()
                    .zip(lb)
                    .map(|(x, y)| (x - y).powi(2))
                    .sum::<f64>()
                    .sqrt();
                assert!(de >= 25.0, "{a:?} and {b:?}: ΔE {de:.1}");
            }
        }
    }
}
