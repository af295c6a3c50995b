//! The compare screen: two runs of one subject and inspection side by side,
//! per section, before → after with change markers that read without colour
//! (▲ ▼ = + − ?), a changed-only filter, the word-level note diff of the
//! selected item, and the score delta.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, Paragraph, Widget, Wrap};

use crate::compare::{self, DiffTag, ItemChange, ItemComparison, RunComparison};
use crate::escape;
use crate::model::{Id, Run};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::Msg;
use crate::tui::screen::Screen;
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::{Width, columns, delta, truncate};

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
        let cmp = compare::compare_runs(tf, from, tt, to);
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
            ctx.data.subject_name(&self.cmp.subject)
        )
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let [summary, list_area, note_area] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(5),
            Constraint::Length(5),
        ])
        .areas(area);
        let c = &self.cmp;
        let s = &c.summary;
        let delta_style = style_for_delta(c.percent_delta, ctx);
        let band = |b: Option<&crate::model::Band>| {
            b.map(|b| escape::line(b.label.get(ctx.lang)))
                .unwrap_or_default()
        };
        let mut first = vec![
            Span::raw(format!(
                " {} {}/{} ({:.0}%)",
                c.from.date, c.from.score.score, c.from.score.max, c.from.percent
            )),
            Span::styled(" → ", theme.dim),
            Span::styled(
                format!(
                    "{} {}/{} ({:.0}%)",
                    c.to.date, c.to.score.score, c.to.score.max, c.to.percent
                ),
                theme.title,
            ),
            Span::raw("  "),
            Span::styled(
                format!("{} ({:+})", delta(c.percent_delta), c.score_delta),
                delta_style,
            ),
        ];
        // The band takes what the scores leave, cut with "…" rather than
        // by the edge of the terminal.
        let used: usize = first.iter().map(Span::width).sum::<usize>() + 2;
        let room = usize::from(summary.width).saturating_sub(used);
        first.push(Span::styled(
            format!("  {}", truncate(&band(c.to.band.as_ref()), room)),
            theme.dim,
        ));
        let lines = vec![
            Line::from(first),
            Line::from(vec![
                Span::styled(
                    format!(" ▲ {} {}  ", s.improved, ctx.tr("改善", "improved")),
                    theme.good,
                ),
                Span::styled(
                    format!("▼ {} {}  ", s.regressed, ctx.tr("悪化", "regressed")),
                    theme.bad,
                ),
                Span::raw(format!(
                    "= {} {}  ",
                    s.unchanged,
                    ctx.tr("変化なし", "unchanged")
                )),
                Span::styled(
                    format!(
                        "+{} −{} ?{}  {}",
                        s.added,
                        s.removed,
                        s.unanswered,
                        if self.changed_only {
                            ctx.tr("[変化のみ表示]", "[changed only]")
                        } else {
                            ""
                        }
                    ),
                    theme.dim,
                ),
            ]),
        ];
        Paragraph::new(lines).render(summary, buf);

        let width = usize::from(list_area.width.saturating_sub(4));
        let answer_w = 26.min(width / 2);
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
                    let label = |c: Option<&compare::ChoiceRef>| {
                        c.map_or_else(|| "—".to_owned(), |c| escape::line(c.label.get(ctx.lang)))
                    };
                    let answers = format!(
                        "{} → {}",
                        label(item.from.as_ref()),
                        label(item.to.as_ref())
                    );
                    let note = if item.note_diff.is_some() { "✎" } else { " " };
                    let title = format!("{} {}", item.id, escape::line(item.title.get(ctx.lang)));
                    ListItem::new(columns(
                        width,
                        vec![
                            (mark.to_owned(), style, Width::Fixed(1)),
                            (title, theme.text, Width::Fill),
                            (note.to_owned(), theme.dim, Width::Fixed(1)),
                            (answers, style, Width::Fixed(answer_w)),
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
        self.nav.render_list(list, list_area, buf);

        let mut note_lines = Vec::new();
        if let Some(item) = self.selected_item() {
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
                                DiffTag::Insert => {
                                    Span::styled(format!("{{+{text}+}}"), theme.good)
                                }
                            }
                        })
                        .collect();
                    note_lines.push(Line::from(spans));
                }
                None if !item.to_note.is_empty() => note_lines.push(Line::from(Span::styled(
                    escape::line(&item.to_note),
                    theme.dim,
                ))),
                None => note_lines.push(Line::from(Span::styled(
                    ctx.tr("メモの変更なし", "No note change."),
                    theme.dim,
                ))),
            }
        }
        Paragraph::new(note_lines)
            .wrap(Wrap { trim: false })
            .block(
                Block::default()
                    .borders(Borders::TOP)
                    .border_style(theme.border)
                    .title(ctx.tr("メモの差分", "Note diff")),
            )
            .render(note_area, buf);
    }
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
