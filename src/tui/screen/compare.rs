//! The compare screen: two runs of one subject and inspection side by side,
//! per section, before → after with change markers that read without colour
//! (▲ ▼ = + − ?), a changed-only filter, the word-level note diff of the
//! selected item, and the score delta.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph, Widget};

use crate::compare::{self, DiffTag, ItemChange, ItemComparison, RunComparison};
use crate::escape;
use crate::model::{Id, Run};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::Msg;
use crate::tui::screen::Screen;
use crate::tui::widget;
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::{Width, columns, delta, pad, truncate, wrap};
use unicode_width::UnicodeWidthStr;

/// A row of the comparison list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Section(usize),
    Item(usize),
}

/// The compare screen's state.
#[derive(Debug)]
pub struct CompareScreen {
    cmp: RunComparison,
    changed_only: bool,
    rows: Vec<Row>,
    nav: Navigator,
}

impl CompareScreen {
    /// Compares `from` with `to` (two runs of the same subject and inspection).
    pub fn new(ctx: &Ctx, from: &Run, to: &Run) -> Result<Self, String> {
        let data = &ctx.data;
        let (Some(tf), Some(tt)) = (data.template_of(from), data.template_of(to)) else {
            return Err(format!(
                "{} `{}`",
                ctx.tr("点検表がありません:", "no template for"),
                to.inspection
            ));
        };
        // The two runs compared are read whole: their notes are diffed.
        let (from, to) = (data.full_run(from), data.full_run(to));
        let cmp = compare::compare_runs(tf, &from, tt, &to);
        let mut screen = Self {
            cmp,
            changed_only: false,
            rows: Vec::new(),
            nav: Navigator::default(),
        };
        screen.rebuild();
        Ok(screen)
    }

    fn rebuild(&mut self) {
        let keep =
            |i: &ItemComparison| !self.changed_only || self.cmp.changed().any(|c| c.id == i.id);
        let mut rows = Vec::new();
        let mut last_section: Option<&Id> = None;
        for (n, item) in self.cmp.items.iter().enumerate() {
            if !keep(item) {
                continue;
            }
            if last_section != Some(&item.section) {
                rows.push(Row::Section(n));
                last_section = Some(&item.section);
            }
            rows.push(Row::Item(n));
        }
        self.rows = rows;
        self.nav = Navigator::with_selectable(
            self.rows
                .iter()
                .map(|r| matches!(r, Row::Item(_)))
                .collect(),
        );
    }

    fn selected_item(&self) -> Option<&ItemComparison> {
        match self.nav.selected().and_then(|i| self.rows.get(i)) {
            Some(Row::Item(n)) => self.cmp.items.get(*n),
            _ => None,
        }
    }
}

impl Screen for CompareScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Compare
    }

    fn update(&mut self, msg: Msg, _ctx: &Ctx) -> Step {
        match msg {
            Msg::Action(Action::Filter) => {
                self.changed_only = !self.changed_only;
                self.rebuild();
            }
            Msg::Action(Action::Back) => return Step::nav(Nav::Pop),
            Msg::Action(action) => {
                self.nav.handle(action);
            }
            _ => {}
        }
        Step::none()
    }

    fn title(&self, ctx: &Ctx) -> String {
        format!(
            "{} · {}",
            ctx.data.inspection_title(&self.cmp.inspection, ctx.lang),
            ctx.data.subject_name(&self.cmp.subject, ctx.lang)
        )
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        // The panel under the list takes the rows the list does not need
        // (a long note diff reads whole on a tall terminal).
        let list_needs = u16::try_from(self.rows.len() + 2).unwrap_or(u16::MAX);
        let note_rows = area
            .height
            .saturating_sub(2 + list_needs)
            .clamp(NOTE_ROWS, MAX_NOTE_ROWS);
        let [summary, list_area, note_area] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(5),
            Constraint::Length(note_rows),
        ])
        .areas(area);
        Paragraph::new(self.summary(usize::from(summary.width), ctx)).render(summary, buf);
        self.render_list(list_area, buf, ctx);
        self.render_note(note_area, buf, ctx);
    }
}

/// Rows of the panel under the list: its border, the selected item's
/// answers and its note (diff).
const NOTE_ROWS: u16 = 5;
/// The most rows that panel takes.
const MAX_NOTE_ROWS: u16 = 12;
/// Widths below this (an 80-column terminal) use the short summary.
const NARROW: usize = 80;

impl CompareScreen {
    /// Returns the two summary lines: both scores, the change and the band;
    /// then the counts of each kind of change. Narrow terminals get the
    /// percentages alone and the counts without words.
    fn summary(&self, width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let theme = &ctx.theme;
        let c = &self.cmp;
        let s = &c.summary;
        let narrow = width < NARROW;
        let side = |side: &compare::RunSide| {
            if narrow {
                format!("{} {:.0}%", side.date, side.percent)
            } else {
                format!(
                    "{} {}/{} ({:.0}%)",
                    side.date, side.score.score, side.score.max, side.percent
                )
            }
        };
        let mut first = vec![
            Span::raw(format!(" {}", side(&c.from))),
            Span::styled(" → ", theme.dim),
            Span::styled(side(&c.to), theme.title),
            Span::raw("  "),
            Span::styled(
                if narrow {
                    delta(c.percent_delta)
                } else {
                    format!("{} ({:+})", delta(c.percent_delta), c.score_delta)
                },
                style_for_delta(c.percent_delta, ctx),
            ),
        ];
        // The band takes what the scores leave, cut with "…" rather than
        // by the edge of the terminal.
        let band =
            c.to.band
                .as_ref()
                .map(|b| escape::line(b.label.get(ctx.lang)))
                .unwrap_or_default();
        let used: usize = first.iter().map(Span::width).sum::<usize>() + 2;
        let room = width.saturating_sub(used + 1);
        if room > 1 {
            first.push(Span::styled(
                format!("  {}", truncate(&band, room)),
                theme.dim,
            ));
        }
        let only = if self.changed_only {
            ctx.tr("[変化のみ]", "[changed only]")
        } else {
            ""
        };
        let counts = |words: bool| {
            let word = |ja: &'static str, en: &'static str| {
                if words {
                    format!(" {}", ctx.tr(ja, en))
                } else {
                    String::new()
                }
            };
            let gap = if words { "  " } else { " " };
            vec![
                Span::styled(
                    format!(" ▲{}{}{gap}", s.improved, word("改善", "improved")),
                    theme.good,
                ),
                Span::styled(
                    format!("▼{}{}{gap}", s.regressed, word("悪化", "regressed")),
                    theme.bad,
                ),
                Span::raw(format!(
                    "={}{}{gap}",
                    s.unchanged,
                    word("変化なし", "unchanged")
                )),
                Span::styled(
                    format!("+{} −{} ?{}{gap}{only}", s.added, s.removed, s.unanswered),
                    theme.dim,
                ),
            ]
        };
        let long = Line::from(counts(true));
        let second = if long.width() < width {
            long
        } else {
            Line::from(counts(false))
        };
        vec![Line::from(first), second]
    }

    fn render_list(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        // Borders, the highlight symbol and a margin on the right.
        let width = usize::from(area.width.saturating_sub(4));
        let label = |c: Option<&compare::ChoiceRef>| {
            c.map_or_else(|| "—".to_owned(), |c| escape::line(c.label.get(ctx.lang)))
        };
        // The answers take the width of the longest pair, up to half the
        // row; the title takes the rest.
        let widest = |side: fn(&ItemComparison) -> Option<&compare::ChoiceRef>| {
            self.cmp
                .items
                .iter()
                .map(|i| label(side(i)).width())
                .max()
                .unwrap_or(1)
        };
        let (from_w, to_w) = (widest(|i| i.from.as_ref()), widest(|i| i.to.as_ref()));
        let answers_w = (from_w + 3 + to_w).min(width / 2);
        let items: Vec<ListItem> = self
            .rows
            .iter()
            .map(|row| match row {
                Row::Section(n) => {
                    let title = self
                        .cmp
                        .items
                        .get(*n)
                        .map(|i| escape::line(i.section_title.get(ctx.lang)))
                        .unwrap_or_default();
                    ListItem::new(Line::from(Span::styled(
                        truncate(&title, width),
                        theme.title,
                    )))
                }
                Row::Item(n) => {
                    let Some(item) = self.cmp.items.get(*n) else {
                        return ListItem::new("");
                    };
                    let (mark, style) = marker(item.change, ctx);
                    let answers = pair(
                        &label(item.from.as_ref()),
                        &label(item.to.as_ref()),
                        from_w,
                        answers_w,
                    );
                    let note = if item.note_diff.is_some() { "✎" } else { " " };
                    let title = format!("{} {}", item.id, escape::line(item.title.get(ctx.lang)));
                    ListItem::new(columns(
                        width,
                        vec![
                            (mark.to_owned(), style, Width::Fixed(1)),
                            (title, theme.text, Width::Fill),
                            (note.to_owned(), theme.dim, Width::Fixed(1)),
                            (answers, style, Width::Fixed(answers_w)),
                        ],
                    ))
                }
            })
            .collect();
        let list = List::new(items)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border),
            )
            .highlight_style(theme.selected)
            .highlight_symbol("▸");
        self.nav.render_list(list, area, buf);
    }

    /// Draws the selected item's answers in full and its note diff (or
    /// its note), wrapped; what does not fit ends with "…".
    fn render_note(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(theme.border)
            .title(widget::fit(
                Line::from(ctx.tr("回答とメモの差分", "Answers and note diff")),
                usize::from(area.width),
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(item) = self.selected_item() else {
            return;
        };
        let label = |c: Option<&compare::ChoiceRef>| {
            c.map_or_else(|| "—".to_owned(), |c| escape::line(c.label.get(ctx.lang)))
        };
        let (mark, style) = marker(item.change, ctx);
        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::raw(format!("{} → ", label(item.from.as_ref()))),
            Span::styled(label(item.to.as_ref()), style),
        ])];
        match &item.note_diff {
            Some(diff) => {
                let spans: Vec<Span> = diff
                    .spans
                    .iter()
                    .map(|(tag, text)| {
                        let text = escape::line(text);
                        match tag {
                            DiffTag::Equal => Span::raw(text),
                            DiffTag::Delete => Span::styled(
                                format!("[-{text}-]"),
                                theme.bad.add_modifier(Modifier::CROSSED_OUT),
                            ),
                            DiffTag::Insert => Span::styled(format!("{{+{text}+}}"), theme.good),
                        }
                    })
                    .collect();
                lines.push(Line::from(spans));
            }
            None if !item.to_note.is_empty() => lines.push(Line::from(Span::styled(
                escape::line(&item.to_note),
                theme.dim,
            ))),
            None => lines.push(Line::from(Span::styled(
                ctx.tr("メモの変更なし", "No note change."),
                theme.dim,
            ))),
        }
        let width = usize::from(inner.width.saturating_sub(1));
        let rows = wrap::cut(wrap::lines(&lines, width), width, usize::from(inner.height));
        Paragraph::new(rows).render(inner, buf);
    }
}

/// Returns "from → to" in exactly `width` cells (padded), `from` in a
/// column of `from_w` when both fit whole; otherwise each side is cut with
/// "…", the longer one first, so that both stay readable.
fn pair(from: &str, to: &str, from_w: usize, width: usize) -> String {
    let room = width.saturating_sub(3);
    if from_w + 3 + to.width() <= width {
        return pad(&format!("{} → {to}", pad(from, from_w)), width);
    }
    let (fw, tw) = (from.width(), to.width());
    let half = room / 2;
    let (fw, tw) = if fw <= half {
        (fw, room - fw)
    } else if tw <= room - half {
        (room - tw, tw)
    } else {
        (half, room - half)
    };
    pad(
        &format!("{} → {}", truncate(from, fw), truncate(to, tw)),
        width,
    )
}

fn style_for_delta(d: f64, ctx: &Ctx) -> Style {
    if d > 0.05 {
        ctx.theme.good
    } else if d < -0.05 {
        ctx.theme.bad
    } else {
        ctx.theme.dim
    }
}

/// Returns the marker of a change, readable without colour.
fn marker(change: ItemChange, ctx: &Ctx) -> (&'static str, Style) {
    match change {
        ItemChange::Improved => ("▲", ctx.theme.good),
        ItemChange::Regressed => ("▼", ctx.theme.bad),
        ItemChange::Unchanged => ("=", ctx.theme.text),
        ItemChange::Added => ("+", ctx.theme.warn),
        ItemChange::Removed => ("−", ctx.theme.warn),
        ItemChange::Unanswered => ("?", ctx.theme.dim),
    }
}
