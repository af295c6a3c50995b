//! The dashboard: drafts to resume, what is due or overdue, and recent runs
//! with score, band, delta and a sparkline per subject × inspection.

use std::collections::BTreeMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem};

use unicode_width::UnicodeWidthStr;

use crate::model::Id;
use crate::schedule::{self, Due};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::Msg;
use crate::tui::screen::Screen;
use crate::tui::screen::history::HistoryScreen;
use crate::tui::screen::picker::PickerScreen;
use crate::tui::screen::run_view::RunViewScreen;
use crate::tui::screen::walker::WalkerScreen;
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::{Width, columns, delta, pad, sparkline};

/// How many recent runs the dashboard lists.
const RECENT: usize = 12;
/// How many runs a sparkline shows.
const SPARK: usize = 8;

/// A row of the dashboard list.
#[derive(Debug, Clone, PartialEq)]
enum Row {
    Heading(String),
    Draft(usize),
    Due(Due),
    Recent(usize),
    Empty(String),
}

impl Row {
    fn selectable(&self) -> bool {
        matches!(self, Self::Draft(_) | Self::Due(_) | Self::Recent(_))
    }
}

/// The dashboard's state.
#[derive(Debug)]
pub struct DashboardScreen {
    rows: Vec<Row>,
    nav: Navigator,
}

impl DashboardScreen {
    /// Builds the dashboard from the shared data.
    pub fn new(ctx: &Ctx) -> Self {
        let data = &ctx.data;
        let mut rows = Vec::new();
        // Corrective actions first: always in view, whatever the schedule's length.
        let counts = crate::actions::counts(&crate::actions::derive(
            &data.history,
            &data.catalog,
            ctx.clock.today(),
        ));
        rows.push(Row::Heading(match ctx.lang {
            crate::model::Lang::Ja => format!(
                "是正処置 · 未完了 {}件 · 期限切れ {}件 — a: 一覧 · R: リスク台帳",
                counts.open, counts.overdue
            ),
            crate::model::Lang::En => format!(
                "Actions · {} open · {} overdue — a: list · R: risk register",
                counts.open, counts.overdue
            ),
        }));
        if !data.drafts.is_empty() {
            rows.push(Row::Heading(format!(
                "{} ({})",
                ctx.tr("下書き", "Drafts"),
                data.drafts.len()
            )));
            rows.extend((0..data.drafts.len()).map(Row::Draft));
        }
        let mut last: BTreeMap<(Id, Id), chrono::NaiveDate> = BTreeMap::new();
        for h in &data.history {
            last.insert(
                (h.run.subject.clone(), h.run.inspection.clone()),
                h.run.date(),
            );
        }
        let today = ctx.clock.today();
        let due = schedule::due_list(&data.catalog, &last, today);
        let overdue = due.iter().filter(|d| d.overdue).count();
        let now = due.iter().filter(|d| d.due_date <= today).count();
        rows.push(Row::Heading(match ctx.lang {
            crate::model::Lang::Ja => format!("予定 · 実施時期 {now}件 · 期限切れ {overdue}件"),
            crate::model::Lang::En => format!("Schedule · {now} due now · {overdue} overdue"),
        }));
        if due.is_empty() {
            rows.push(Row::Empty(
                ctx.tr(
                    "有効なプロファイルに予定がありません",
                    "No schedule in the active profiles",
                )
                .into(),
            ));
        }
        rows.extend(due.into_iter().map(Row::Due));
        rows.push(Row::Heading(ctx.tr("最近の点検", "Recent runs").into()));
        if data.history.is_empty() {
            rows.push(Row::Empty(
                ctx.tr(
                    "まだ点検結果がありません。r で開始",
                    "No runs yet. Press r to start one.",
                )
                .into(),
            ));
        }
        rows.extend((0..data.history.len()).rev().take(RECENT).map(Row::Recent));
        let nav = Navigator::with_selectable(rows.iter().map(Row::selectable).collect());
        Self { rows, nav }
    }
}

impl Screen for DashboardScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Dashboard
    }

    fn title(&self, ctx: &Ctx) -> String {
        ctx.tr("ダッシュボード", "Dashboard").to_owned()
    }

    fn reload(&mut self, ctx: &Ctx) {
        *self = Self::new(ctx);
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        let Msg::Action(action) = msg else {
            return Step::none();
        };
        match action {
            Action::NewRun => Step::nav(Nav::push(PickerScreen::new(ctx))),
            Action::History => Step::nav(Nav::push(HistoryScreen::new(ctx))),
            Action::Suppliers => Step::nav(Nav::push(
                crate::tui::screen::suppliers::SuppliersScreen::new(ctx),
            )),
            Action::Select => self.open(ctx),
            Action::Actions => Step::nav(Nav::push(
                crate::tui::screen::actions::ActionsScreen::new(ctx),
            )),
            Action::Risks => Step::nav(Nav::push(crate::tui::screen::risks::RisksScreen::new(ctx))),
            // Esc goes back one screen everywhere, and this is the first:
            // it never quits, but says how to.
            Action::Back => Step::notice(ctx.tr(
                "ここが最初の画面です。終了は q",
                "This is the first screen; press q to quit.",
            )),
            Action::Compare | Action::Trend => {
                // Any row naming a subject × inspection: its latest run.
                let run = match self.nav.selected().and_then(|i| self.rows.get(i)) {
                    Some(Row::Recent(i)) => ctx.data.history.get(*i).map(|h| &h.run),
                    Some(Row::Due(d)) => ctx
                        .data
                        .latest_run(&d.subject, &d.inspection)
                        .map(|h| &h.run),
                    Some(Row::Draft(i)) => ctx
                        .data
                        .drafts
                        .get(*i)
                        .and_then(|d| ctx.data.latest_run(&d.subject, &d.inspection))
                        .map(|h| &h.run),
                    _ => None,
                };
                match run {
                    Some(run) if action == Action::Compare => {
                        super::compare_with_previous(ctx, run)
                    }
                    Some(run) => super::trend_of(ctx, run),
                    None => Step::notice(ctx.tr(
                        "この行にはまだ点検結果がありません",
                        "No run yet for this row.",
                    )),
                }
            }
            action => {
                self.nav.handle(action);
                Step::none()
            }
        }
    }

    /// Draws the dashboard.
    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        // Borders, the highlight symbol and a margin on the right.
        let width = usize::from(area.width.saturating_sub(5));
        let items: Vec<ListItem> = self
            .rows
            .iter()
            .map(|row| ListItem::new(Self::line(row, ctx, width)))
            .collect();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.border);
        let list = List::new(items)
            .block(block)
            .highlight_style(ctx.theme.selected)
            .highlight_symbol("▸ ");
        self.nav.render_list(list, area, buf);
    }
}

impl DashboardScreen {
    fn open(&self, ctx: &Ctx) -> Step {
        let Some(row) = self.nav.selected().and_then(|i| self.rows.get(i)) else {
            return Step::none();
        };
        match row {
            Row::Draft(i) => match ctx.data.drafts.get(*i) {
                Some(draft) => match WalkerScreen::resume(draft.clone(), ctx) {
                    Ok(w) => Step::nav(Nav::push(w)),
                    Err(e) => Step::notice(e),
                },
                None => Step::none(),
            },
            Row::Due(due) => match PickerScreen::open(ctx, &due.subject, &due.inspection) {
                Ok(screen) => Step::nav(Nav::Push(screen)),
                Err(e) => Step::notice(e),
            },
            Row::Recent(i) => match ctx.data.history.get(*i) {
                Some(entry) => Step::nav(Nav::push(RunViewScreen::new(entry.clone(), ctx))),
                None => Step::none(),
            },
            Row::Heading(_) | Row::Empty(_) => Step::none(),
        }
    }

    fn line(row: &Row, ctx: &Ctx, width: usize) -> Line<'static> {
        let data = &ctx.data;
        let theme = &ctx.theme;
        match row {
            Row::Heading(t) => Line::from(Span::styled(t.clone(), theme.title)),
            Row::Empty(t) => Line::from(Span::styled(t.clone(), theme.dim)),
            Row::Draft(i) => {
                let Some(d) = data.drafts.get(*i) else {
                    return Line::default();
                };
                let total = data
                    .catalog
                    .inspections
                    .get(&d.inspection)
                    .map_or(0, crate::model::Inspection::item_count);
                let what = what(ctx, &d.subject, &d.inspection);
                let info = format!(
                    "{}/{} {} · {}",
                    d.answers.len(),
                    total,
                    ctx.tr("回答済", "answered"),
                    d.started.date_naive()
                );
                let info_w = info.width();
                columns(
                    width,
                    vec![
                        ("✎".to_owned(), theme.warn, Width::Fixed(1)),
                        (what, theme.text, Width::Fill),
                        (info, theme.dim, Width::Fixed(info_w)),
                    ],
                )
            }
            Row::Due(due) => {
                let what = what(ctx, &due.subject, &due.inspection);
                let (mark, style, info) = if due.last_date.is_none() {
                    (
                        "!",
                        theme.bad,
                        ctx.tr("未実施 — 今すぐ", "never inspected — due now")
                            .to_owned(),
                    )
                } else if due.overdue {
                    (
                        "!",
                        theme.bad,
                        format!("{} {}", ctx.tr("期限切れ", "overdue since"), due.due_date),
                    )
                } else {
                    (
                        "·",
                        theme.dim,
                        format!("{} {}", ctx.tr("期限", "due"), due.due_date),
                    )
                };
                let info_w = info.width();
                columns(
                    width,
                    vec![
                        (mark.to_owned(), style, Width::Fixed(1)),
                        (what, theme.text, Width::Fill),
                        (info, style, Width::Fixed(info_w)),
                    ],
                )
            }
            Row::Recent(i) => {
                let Some(h) = data.history.get(*i) else {
                    return Line::default();
                };
                let prev = data.previous_of(&h.run);
                let d = prev.map(|p| h.percent - p.percent);
                let series: Vec<f64> = data
                    .history
                    .iter()
                    .take(*i + 1)
                    .filter(|x| {
                        x.run.subject == h.run.subject && x.run.inspection == h.run.inspection
                    })
                    .map(|x| x.percent)
                    .collect();
                let tail = &series[series.len().saturating_sub(SPARK)..];
                let delta_style = match d {
                    Some(x) if x > 0.05 => theme.good,
                    Some(x) if x < -0.05 => theme.bad,
                    _ => theme.dim,
                };
                let score = format!("{:>4}/{:<4}{:>4.0}%", h.score.score, h.score.max, h.percent);
                let score_w = score.width();
                let what = what(ctx, &h.run.subject, &h.run.inspection);
                columns(
                    width,
                    vec![
                        (h.run.date().to_string(), theme.dim, Width::Fixed(10)),
                        (what, theme.text, Width::Fill),
                        (score, theme.text, Width::Fixed(score_w)),
                        (
                            d.map_or_else(String::new, delta),
                            delta_style,
                            Width::Fixed(5),
                        ),
                        (sparkline(tail), Style::new(), Width::Fixed(SPARK)),
                    ],
                )
            }
        }
    }
}

/// Width of the subject column in dashboard rows.
const SUBJECT_COLUMN: usize = 18;

/// Formats "subject · inspection" with the subject in a fixed column.
fn what(ctx: &Ctx, subject: &Id, inspection: &Id) -> String {
    format!(
        "{} {}",
        pad(&ctx.data.subject_name(subject), SUBJECT_COLUMN),
        ctx.data.inspection_title(inspection, ctx.lang)
    )
}
