//! Corrective actions: every action derived from the history, overdue
//! first, then by due date; open ones only, or all with the run that
//! closed each. Enter opens the run that recorded the action.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::actions::{self, CloseKind, CorrectiveAction, Status};
use crate::escape;
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::Msg;
use crate::tui::screen::Screen;
use crate::tui::screen::run_view::RunViewScreen;
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::table::{self, Col};
use crate::tui::widget::{self, truncate};

/// The actions screen's state.
#[derive(Debug)]
pub struct ActionsScreen {
    /// Every action, in display order.
    all: Vec<CorrectiveAction>,
    /// Closed actions are shown too.
    show_all: bool,
    /// Indices into `all` of the rows shown.
    rows: Vec<usize>,
    nav: Navigator,
}

impl ActionsScreen {
    /// Lists the open actions, overdue first.
    pub fn new(ctx: &Ctx) -> Self {
        let mut s = Self {
            all: Vec::new(),
            show_all: false,
            rows: Vec::new(),
            nav: Navigator::default(),
        };
        s.refresh(ctx);
        s
    }

    /// Derives the actions again from the (reloaded) history.
    fn refresh(&mut self, ctx: &Ctx) {
        self.all = actions::derive(&ctx.data.history, &ctx.data.catalog, ctx.clock.today());
        self.refilter();
    }

    fn refilter(&mut self) {
        let keep = self.selected().map(CorrectiveAction::key);
        self.rows = (0..self.all.len())
            .filter(|&i| self.show_all || self.all[i].is_open())
            .collect();
        let at = keep.and_then(|k| self.rows.iter().position(|&i| self.all[i].key() == k));
        self.nav.set_len(self.rows.len());
        self.nav.select_near(at.unwrap_or(0));
    }

    fn selected(&self) -> Option<&CorrectiveAction> {
        self.nav
            .selected()
            .and_then(|i| self.rows.get(i))
            .and_then(|&i| self.all.get(i))
    }
}

impl Screen for ActionsScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Actions
    }

    fn title(&self, ctx: &Ctx) -> String {
        ctx.tr("是正処置", "Corrective actions").to_owned()
    }

    fn reload(&mut self, ctx: &Ctx) {
        self.refresh(ctx);
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        let Msg::Action(action) = msg else {
            return Step::none();
        };
        match action {
            Action::Cycle => {
                self.show_all = !self.show_all;
                self.refilter();
            }
            Action::Back => return Step::nav(Nav::Pop),
            Action::Select => {
                let entry = self
                    .selected()
                    .and_then(|a| ctx.data.history.iter().find(|h| h.run.id == a.run));
                if let Some(entry) = entry {
                    return Step::nav(Nav::push(RunViewScreen::new(entry.clone(), ctx)));
                }
            }
            action => {
                self.nav.handle(action);
            }
        }
        Step::none()
    }

    /// Draws the summary line, the table and the selected action in full.
    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let data = &ctx.data;
        let [summary_area, table_area, detail_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(5),
        ])
        .areas(area);
        let counts = actions::counts(&self.all);
        let closed = self.all.len() - counts.open;
        let (showing, short) = if self.show_all {
            (
                ctx.tr("すべて表示 (a で未完了のみ)", "showing all (a: open only)"),
                ctx.tr("すべて表示", "showing all"),
            )
        } else {
            (
                ctx.tr("未完了のみ表示 (a ですべて)", "showing open (a: all)"),
                ctx.tr("未完了のみ表示", "showing open"),
            )
        };
        let summary = |showing: &str| {
            Line::from(vec![
                Span::raw(match ctx.lang {
                    crate::model::Lang::Ja => format!(" 未完了 {}件 · ", counts.open),
                    crate::model::Lang::En => format!(" {} open · ", counts.open),
                }),
                Span::styled(
                    match ctx.lang {
                        crate::model::Lang::Ja => format!("期限切れ {}件", counts.overdue),
                        crate::model::Lang::En => format!("{} overdue", counts.overdue),
                    },
                    if counts.overdue > 0 {
                        theme.bad
                    } else {
                        theme.dim
                    },
                ),
                Span::raw(match ctx.lang {
                    crate::model::Lang::Ja => format!(" · 完了 {closed}件 · "),
                    crate::model::Lang::En => format!(" · {closed} closed · "),
                }),
                Span::styled(showing.to_owned(), theme.dim),
            ])
        };
        // The key's hint gives way first on a narrow terminal.
        let room = usize::from(summary_area.width).saturating_sub(1);
        let summary = Some(summary(showing))
            .filter(|l| l.width() <= room)
            .unwrap_or_else(|| widget::fit(summary(short), room));
        summary.render(summary_area, buf);

        let header = [
            ctx.tr("状態", "Status"),
            ctx.tr("期限", "Due"),
            ctx.tr("対象", "Subject"),
            ctx.tr("項目", "Item"),
            ctx.tr("担当", "Owner"),
            ctx.tr("内容", "Action"),
        ];
        let cells: Vec<[(String, Style); 6]> = self
            .rows
            .iter()
            .filter_map(|&i| self.all.get(i))
            .map(|a| {
                let (mark, style) = status_mark(a.status(), ctx);
                [
                    (mark, style),
                    (a.action.due.to_string(), style),
                    (data.subject_name(&a.subject, ctx.lang), theme.text),
                    (a.item.to_string(), theme.text),
                    (escape::line(&a.action.owner), theme.text),
                    (escape::line(&a.action.text), theme.text),
                ]
            })
            .collect();
        let widest = |i: usize, most: usize| {
            table::widest(header[i], cells.iter().map(|c| c[i].0.as_str())).min(most)
        };
        // The action takes what the others leave; below 80 columns the
        // owner, then the item give way (the pane below shows both).
        // Inside the border, with a cell before its right side (long
        // actions ran into it: "…│").
        let room = usize::from(table_area.width.saturating_sub(3));
        let cols = [
            Col::fixed(widest(0, usize::MAX)),
            Col::fixed(widest(1, usize::MAX)),
            Col::text(widest(2, (room / 6).max(14)), 10),
            Col::text(widest(3, 6), 4).optional(1),
            Col::text(widest(4, (room / 10).max(10)), 8).optional(2),
            Col::fill(widest(5, usize::MAX), 16),
        ];
        let widths = table::widths(room, &cols);
        let empty = self.rows.is_empty();
        let table = table::table(header, cells, &widths, theme).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border),
        );
        self.nav.render_table(table, table_area, buf);
        if empty {
            let inner = Rect {
                x: table_area.x + 2,
                y: table_area.y + 2,
                width: table_area.width.saturating_sub(4),
                height: 1,
            };
            Line::from(Span::styled(
                if self.show_all {
                    ctx.tr(
                        "是正処置はまだ記録されていません (点検中に a で記録)",
                        "No corrective actions yet (press a in the walker to record one).",
                    )
                } else {
                    ctx.tr(
                        "未完了の是正処置はありません",
                        "No open corrective actions.",
                    )
                },
                theme.dim,
            ))
            .render(inner, buf);
        }
        self.render_detail(detail_area, buf, ctx);
    }
}

impl ActionsScreen {
    fn render_detail(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border);
        let Some(a) = self.selected() else {
            block.render(area, buf);
            return;
        };
        let data = &ctx.data;
        let template = data.catalog.inspections.get(&a.inspection);
        let item_title = template
            .and_then(|t| t.item(a.item.as_str()))
            .map(|i| escape::line(i.title.get(ctx.lang)))
            .unwrap_or_default();
        let answered = template
            .and_then(|t| {
                t.item(a.item.as_str())
                    .and_then(|i| t.choice(i, a.choice.as_str()))
            })
            .map_or_else(
                || a.choice.to_string(),
                |c| escape::line(c.label.get(ctx.lang)),
            );
        // A cell before the right border.
        let width = usize::from(area.width.saturating_sub(3));
        let closed = match &a.closed {
            Some(c) => {
                let how = match c.kind {
                    CloseKind::Best => ctx.tr("最良の回答で完了", "closed by the best answer in"),
                    CloseKind::Explicit => ctx.tr("明示的に完了", "closed explicitly by"),
                };
                Span::styled(
                    truncate(
                        &format!("✓ {how} {} ({})", escape::line(&c.run), c.date),
                        width,
                    ),
                    theme.good,
                )
            }
            None if a.overdue => Span::styled(
                truncate(
                    &format!(
                        "! {} {} · {}",
                        ctx.tr("期限切れ", "overdue since"),
                        a.action.due,
                        ctx.tr(
                            "後の点検で最良の回答なら完了",
                            "the best answer in a later run closes it"
                        )
                    ),
                    width,
                ),
                theme.bad,
            ),
            None => Span::styled(
                truncate(
                    &format!(
                        "· {} {} · {}",
                        ctx.tr("期限", "due"),
                        a.action.due,
                        ctx.tr(
                            "後の点検で最良の回答なら完了",
                            "the best answer in a later run closes it"
                        )
                    ),
                    width,
                ),
                theme.warn,
            ),
        };
        let owner = if a.action.owner.is_empty() {
            String::new()
        } else {
            format!(" · {}", escape::line(&a.action.owner))
        };
        let lines = vec![
            Line::from(Span::styled(
                truncate(&format!("⚑ {}{owner}", escape::line(&a.action.text)), width),
                theme.title,
            )),
            Line::from(truncate(
                &format!(
                    "{} · {} {item_title} ({answered}) · {} {}",
                    data.subject_name(&a.subject, ctx.lang),
                    a.item,
                    ctx.tr("記録", "opened"),
                    a.opened,
                ),
                width,
            )),
            Line::from(closed),
        ];
        Paragraph::new(lines).block(block).render(area, buf);
    }
}

/// Returns the mark and style of a status: never colour alone.
fn status_mark(status: Status, ctx: &Ctx) -> (String, ratatui::style::Style) {
    let theme = &ctx.theme;
    match status {
        Status::Overdue => (format!("! {}", ctx.tr("期限超", "late")), theme.bad),
        Status::Open => (format!("· {}", ctx.tr("未完", "open")), theme.warn),
        Status::Closed => (format!("✓ {}", ctx.tr("完了", "done")), theme.good),
    }
}
