//! One committed run, read-only: every item with its answer, note and
//! evidence, grouped by section.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use crate::escape;
use crate::store::HistoryEntry;
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::Msg;
use crate::tui::screen::Screen;
use crate::tui::widget::scroll::Scroll;

/// The run view's state.
#[derive(Debug)]
pub struct RunViewScreen {
    entry: Box<HistoryEntry>,
    scroll: Scroll,
}

impl RunViewScreen {
    /// Shows `entry`.
    pub fn new(entry: HistoryEntry, ctx: &Ctx) -> Self {
        let run = ctx.data.full_run(&entry.run);
        Self {
            entry: Box::new(HistoryEntry { run, ..entry }),
            scroll: Scroll::default(),
        }
    }
}

impl Screen for RunViewScreen {
    fn id(&self) -> ScreenId {
        ScreenId::RunView
    }

    fn title(&self, ctx: &Ctx) -> String {
        ctx.tr("点検結果", "Run").to_owned()
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        match msg {
            Msg::Action(Action::Back) => Step::nav(Nav::Pop),
            Msg::Action(Action::Compare) => super::compare_with_previous(ctx, &self.entry.run),
            Msg::Action(Action::Trend) => super::trend_of(ctx, &self.entry.run),
            Msg::Action(Action::Down) => {
                self.scroll.down(1);
                Step::none()
            }
            Msg::Action(Action::Up) => {
                self.scroll.up(1);
                Step::none()
            }
            Msg::Action(Action::PageDown) => {
                self.scroll.page_down();
                Step::none()
            }
            Msg::Action(Action::PageUp) => {
                self.scroll.page_up();
                Step::none()
            }
            _ => Step::none(),
        }
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let run = &self.entry.run;
        let data = &ctx.data;
        let mut lines = vec![
            Line::from(vec![
                Span::styled(
                    format!("{}/{}", self.entry.score.score, self.entry.score.max),
                    theme.title,
                ),
                Span::raw(format!("  {:.0}%  ", self.entry.percent)),
                Span::styled(
                    self.entry
                        .band
                        .as_ref()
                        .map(|b| escape::line(b.get(ctx.lang)))
                        .unwrap_or_default(),
                    theme.title,
                ),
            ]),
            Line::from(Span::styled(
                format!(
                    "{} {} · {} {} · {}",
                    ctx.tr("点検者", "inspector"),
                    escape::line(if run.inspector.name.is_empty() {
                        run.inspector.id.as_str()
                    } else {
                        &run.inspector.name
                    }),
                    ctx.tr("完了", "finished"),
                    run.finished.format("%Y-%m-%d %H:%M"),
                    self.entry.commit.as_deref().map_or_else(
                        || ctx.tr("未コミット", "not committed").to_owned(),
                        |c| c.chars().take(8).collect()
                    )
                ),
                theme.dim,
            )),
        ];
        let Some(inspection) = data.template_of(run) else {
            self.scroll.render(&lines, area, buf);
            return;
        };
        for section in &inspection.sections {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                escape::line(section.title.get(ctx.lang)),
                theme.title,
            )));
            for item in &section.items {
                let answer = run.answers.get(&item.id);
                let (label, style) = match answer {
                    Some(a) => {
                        let choice = inspection.choice(item, a.choice.as_str());
                        let best = inspection.best_choice(item).map(|c| &c.id) == Some(&a.choice);
                        let label = choice.map_or_else(
                            || a.choice.to_string(),
                            |c| escape::line(c.label.get(ctx.lang)),
                        );
                        (
                            format!("{label}{}", if a.carried { " ~" } else { "" }),
                            if best { theme.good } else { theme.warn },
                        )
                    }
                    None => (ctx.tr("未回答", "unanswered").to_owned(), theme.dim),
                };
                lines.push(Line::from(vec![
                    Span::raw(format!(
                        "{:>3} {}  ",
                        item.id,
                        escape::line(item.title.get(ctx.lang))
                    )),
                    Span::styled(label, style),
                ]));
                if let Some(a) = answer {
                    for l in escape::block(&a.note).lines() {
                        lines.push(Line::from(Span::styled(format!("      {l}"), theme.dim)));
                    }
                    for e in &a.evidence {
                        lines.push(Line::from(Span::styled(
                            format!("      ⎘ {}", escape::line(e.label())),
                            theme.dim,
                        )));
                    }
                    if let Some(action) = &a.action {
                        lines.push(Line::from(Span::styled(
                            format!(
                                "      → {} ({}, {})",
                                escape::line(&action.text),
                                escape::line(&action.owner),
                                action.due
                            ),
                            theme.warn,
                        )));
                    }
                }
            }
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(format!(
                "{} · {} · {}",
                data.inspection_title(&run.inspection, ctx.lang),
                data.subject_name(&run.subject),
                run.date()
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        self.scroll.render(&lines, inner, buf);
    }
}
