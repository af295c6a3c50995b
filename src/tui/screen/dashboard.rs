//! The dashboard: drafts to resume, what is due or overdue, and recent runs
//! with score, band, delta and a sparkline per subject × inspection; above
//! them, where the organisation stands on the guideline's path (`path`).

mod path;

use std::collections::{BTreeMap, HashMap};

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout as Split, Rect};
use ratatui::style::Style;
use ratatui::symbols::border;
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
use crate::tui::widget::{Width, columns, delta, sparkline, truncate};

/// How many recent runs the dashboard lists.
const RECENT: usize = 12;
/// How many runs a sparkline shows.
const SPARK: usize = 8;

/// A row of the dashboard list.
#[derive(Debug, Clone, PartialEq)]
enum Row {
    /// A heading, and a hint that follows it where it fits.
    Heading(String, String),
    Draft(usize),
    Due(Due),
    /// A recent run (its place in the history) and what its row shows
    /// beside it.
    Recent(usize, Trail),
    Empty(String),
}

/// The change against the previous run and the scores of the latest runs
/// of a recent run's subject and inspection, worked out once when the
/// dashboard is built: each needs a pass over the whole history, which
/// every frame would otherwise repeat for every row.
#[derive(Debug, Clone, PartialEq)]
struct Trail {
    delta: Option<f64>,
    series: Vec<f64>,
}

impl Trail {
    /// The trails of the runs at `recent` (places in the history): the
    /// runs of their subjects and inspections are gathered in one pass
    /// over the history, not one per row.
    fn of_all(data: &crate::tui::app::Data, recent: &[usize]) -> Vec<Self> {
        let pair = |i: usize| {
            data.history
                .get(i)
                .map(|h| (&h.run.subject, &h.run.inspection))
        };
        // The places of each recent pair's runs, oldest first.
        let mut runs: HashMap<(&Id, &Id), Vec<usize>> = recent
            .iter()
            .filter_map(|&i| pair(i))
            .map(|p| (p, Vec::new()))
            .collect();
        for (j, h) in data.history.iter().enumerate() {
            if let Some(places) = runs.get_mut(&(&h.run.subject, &h.run.inspection)) {
                places.push(j);
            }
        }
        let fiscal = data.catalog.config.fiscal_year_start;
        recent
            .iter()
            .map(|&i| {
                let (Some(h), Some(places)) =
                    (data.history.get(i), pair(i).and_then(|p| runs.get(&p)))
                else {
                    return Self {
                        delta: None,
                        series: Vec::new(),
                    };
                };
                // The latest runs up to this one, as `Data::previous_of`
                // and a filter over the history up to `i` find them.
                let upto = places.partition_point(|&j| j <= i);
                let series = places[upto.saturating_sub(SPARK)..upto]
                    .iter()
                    .filter_map(|&j| data.history.get(j).map(|x| x.percent))
                    .collect();
                let same: Vec<&crate::model::Run> = places
                    .iter()
                    .filter_map(|&j| data.history.get(j).map(|x| &x.run))
                    .collect();
                let delta = crate::compare::previous_of(&same, &h.run, fiscal)
                    .and_then(|p| data.history.iter().find(|x| x.run.id == p.id))
                    .map(|p| h.percent - p.percent);
                Self { delta, series }
            })
            .collect()
    }
}

impl Row {
    fn selectable(&self) -> bool {
        matches!(self, Self::Draft(_) | Self::Due(_) | Self::Recent(..))
    }

    /// Which section the row belongs to (rows of a section share columns).
    fn section(&self) -> u8 {
        match self {
            Self::Heading(..) | Self::Empty(_) => 0,
            Self::Draft(_) => 1,
            Self::Due(_) => 2,
            Self::Recent(..) => 3,
        }
    }
}

/// The dashboard's state.
#[derive(Debug)]
pub struct DashboardScreen {
    rows: Vec<Row>,
    nav: Navigator,
    path: path::PathPanel,
}

impl DashboardScreen {
    /// Builds the dashboard from the shared data.
    pub fn new(ctx: &Ctx) -> Self {
        let data = &ctx.data;
        let mut rows = Vec::new();
        // Corrective actions first: always in view, whatever the schedule's length.
        let counts = crate::actions::count(&data.history, &data.catalog, ctx.clock.today());
        rows.push(Row::Heading(
            match ctx.lang {
                crate::model::Lang::Ja => format!(
                    "是正処置 · 未完了 {}件 · 期限切れ {}件",
                    counts.open, counts.overdue
                ),
                crate::model::Lang::En => format!(
                    "Actions · {} open · {} overdue",
                    counts.open, counts.overdue
                ),
            },
            ctx.tr(
                " — a: 一覧 · R: リスク台帳",
                " — a: list · R: risk register",
            )
            .to_owned(),
        ));
        if !data.drafts.is_empty() {
            rows.push(Row::Heading(
                format!("{} ({})", ctx.tr("下書き", "Drafts"), data.drafts.len()),
                String::new(),
            ));
            rows.extend((0..data.drafts.len()).map(Row::Draft));
        }
        // The latest run's date per subject × inspection: found by
        // reference, and the few pairs copied once.
        let mut latest: HashMap<(&Id, &Id), chrono::NaiveDate> = HashMap::new();
        for h in &data.history {
            latest.insert((&h.run.subject, &h.run.inspection), h.run.date());
        }
        let last: BTreeMap<(Id, Id), chrono::NaiveDate> = latest
            .into_iter()
            .map(|((s, i), date)| ((s.clone(), i.clone()), date))
            .collect();
        let today = ctx.clock.today();
        let due = schedule::due_list(&data.catalog, &last, today);
        let overdue = due.iter().filter(|d| d.overdue).count();
        let now = due.iter().filter(|d| d.due_date <= today).count();
        rows.push(Row::Heading(
            match ctx.lang {
                crate::model::Lang::Ja => format!("予定 · 実施時期 {now}件 · 期限切れ {overdue}件"),
                crate::model::Lang::En => format!("Schedule · {now} due now · {overdue} overdue"),
            },
            String::new(),
        ));
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
        rows.push(Row::Heading(
            ctx.tr("最近の点検", "Recent runs").into(),
            String::new(),
        ));
        if data.history.is_empty() {
            rows.push(Row::Empty(
                ctx.tr(
                    "まだ点検結果がありません。r で開始",
                    "No runs yet. Press r to start one.",
                )
                .into(),
            ));
        }
        let recent: Vec<usize> = (0..data.history.len()).rev().take(RECENT).collect();
        let trails = Trail::of_all(data, &recent);
        rows.extend(
            recent
                .into_iter()
                .zip(trails)
                .map(|(i, trail)| Row::Recent(i, trail)),
        );
        let nav = Navigator::with_selectable(rows.iter().map(Row::selectable).collect());
        Self {
            rows,
            nav,
            path: path::PathPanel::new(ctx),
        }
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
                    Some(Row::Recent(i, _)) => ctx.data.history.get(*i).map(|h| &h.run),
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
        let panel = self.path.rows(area.width, area.height, ctx);
        let [top, area] =
            Split::vertical([Constraint::Length(panel), Constraint::Fill(1)]).areas(area);
        self.path.render(top, buf, ctx);
        // Borders, the highlight symbol and a margin on the right.
        let width = usize::from(area.width.saturating_sub(5));
        let cells: Vec<Option<Cells>> = self
            .rows
            .iter()
            .map(|row| Cells::of(row, ctx, width < NARROW))
            .collect();
        // Rows of one section share their columns.
        let mut layouts: BTreeMap<u8, Layout> = BTreeMap::new();
        for (row, cells) in self.rows.iter().zip(&cells) {
            if let Some(cells) = cells {
                layouts.entry(row.section()).or_default().fit(cells);
            }
        }
        let items: Vec<ListItem> = self
            .rows
            .iter()
            .zip(cells)
            .map(|(row, cells)| {
                let line = match (row, cells) {
                    (_, Some(cells)) => layouts
                        .get(&row.section())
                        .map(|l| l.line(cells, width, ctx))
                        .unwrap_or_default(),
                    (Row::Heading(text, hint), None) => {
                        let both = format!("{text}{hint}");
                        let shown = if both.width() <= width {
                            both
                        } else {
                            text.clone()
                        };
                        Line::from(Span::styled(truncate(&shown, width), ctx.theme.title))
                    }
                    (Row::Empty(text), None) => {
                        Line::from(Span::styled(truncate(text, width), ctx.theme.dim))
                    }
                    _ => Line::default(),
                };
                ListItem::new(line)
            })
            .collect();
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.border);
        if panel > 0 {
            // The list's top border closes the path panel above it.
            block = block.border_set(border::Set {
                top_left: "├",
                top_right: "┤",
                ..border::PLAIN
            });
        }
        let list = List::new(items)
            .block(block)
            .highlight_style(ctx.theme.selected)
            .highlight_symbol("▸ ");
        self.nav.render_list(list, area, buf);
        // Rows out of view are said on the borders (a heading as the last
        // row shown must not look like an empty section).
        let (above, below) = self.nav.hidden();
        let mark = |n: usize, up: bool| match (ctx.lang, up) {
            (crate::model::Lang::Ja, true) => format!(" ↑ 上に{n}行 "),
            (crate::model::Lang::Ja, false) => format!(" 下に{n}行 ↓ "),
            (crate::model::Lang::En, true) => format!(" ↑ {n} more "),
            (crate::model::Lang::En, false) => format!(" {n} more ↓ "),
        };
        for (n, up, y) in [
            (above, true, area.y),
            (below, false, area.bottom().saturating_sub(1)),
        ] {
            let text = mark(n, up);
            let w = u16::try_from(text.width()).unwrap_or(u16::MAX);
            if n > 0 && area.height > 2 && w.saturating_add(4) <= area.width {
                buf.set_string(area.right() - w - 2, y, &text, ctx.theme.dim);
            }
        }
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
            Row::Recent(i, _) => match ctx.data.history.get(*i) {
                Some(entry) => Step::nav(Nav::push(RunViewScreen::new(entry.clone(), ctx))),
                None => Step::none(),
            },
            Row::Heading(..) | Row::Empty(_) => Step::none(),
        }
    }
}

/// The columns of one row before they are laid out: a lead column (a mark
/// or a date), the subject and the inspection, then the row's own columns.
struct Cells {
    lead: (String, Style),
    subject: String,
    inspection: String,
    tail: Vec<(String, Style)>,
}

impl Cells {
    /// Returns the columns of `row` (none for headings), in the narrow
    /// form below 80 terminal columns: shorter words and dates, the
    /// percentage alone, no sparkline.
    fn of(row: &Row, ctx: &Ctx, narrow: bool) -> Option<Self> {
        let data = &ctx.data;
        let theme = &ctx.theme;
        let what = |subject: &Id, inspection: &Id| {
            (
                data.subject_name(subject, ctx.lang),
                data.inspection_title(inspection, ctx.lang),
            )
        };
        match row {
            Row::Heading(..) | Row::Empty(_) => None,
            Row::Draft(i) => {
                let d = data.drafts.get(*i)?;
                let total = data
                    .catalog
                    .inspections
                    .get(&d.inspection)
                    .map_or(0, crate::model::Inspection::item_count);
                let started = d.started.date_naive();
                let info = if narrow {
                    format!(
                        "{}/{} · {}",
                        d.answers.len(),
                        total,
                        started.format("%m-%d")
                    )
                } else {
                    format!(
                        "{}/{} {} · {started}",
                        d.answers.len(),
                        total,
                        ctx.tr("回答済", "answered"),
                    )
                };
                let (subject, inspection) = what(&d.subject, &d.inspection);
                Some(Self {
                    lead: ("✎".to_owned(), theme.warn),
                    subject,
                    inspection,
                    tail: vec![(info, theme.dim)],
                })
            }
            Row::Due(due) => {
                // Narrow: the mark says overdue, the date alone follows.
                let (mark, style, info) = if due.last_date.is_none() {
                    let never = if narrow {
                        ctx.tr("未実施", "never done")
                    } else {
                        ctx.tr("未実施 — 今すぐ", "never inspected — due now")
                    };
                    ("!", theme.bad, never.to_owned())
                } else if due.overdue {
                    let info = if narrow {
                        due.due_date.to_string()
                    } else {
                        format!("{} {}", ctx.tr("期限切れ", "overdue since"), due.due_date)
                    };
                    ("!", theme.bad, info)
                } else {
                    let info = if narrow {
                        due.due_date.to_string()
                    } else {
                        format!("{} {}", ctx.tr("期限", "due"), due.due_date)
                    };
                    ("·", theme.dim, info)
                };
                let (subject, inspection) = what(&due.subject, &due.inspection);
                Some(Self {
                    lead: (mark.to_owned(), style),
                    subject,
                    inspection,
                    tail: vec![(info, style)],
                })
            }
            Row::Recent(i, recent) => {
                let h = data.history.get(*i)?;
                let d = recent.delta;
                let delta_style = match d {
                    Some(x) if x > 0.05 => theme.good,
                    Some(x) if x < -0.05 => theme.bad,
                    _ => theme.dim,
                };
                let score = if narrow {
                    format!("{:>3.0}%", h.percent)
                } else {
                    format!("{:>4}/{:<4}{:>4.0}%", h.score.score, h.score.max, h.percent)
                };
                let mut tail = vec![
                    (score, theme.text),
                    (d.map_or_else(String::new, delta), delta_style),
                ];
                if !narrow {
                    tail.push((sparkline(&recent.series), Style::new()));
                }
                let (subject, inspection) = what(&h.run.subject, &h.run.inspection);
                Some(Self {
                    lead: (h.run.date().to_string(), theme.dim),
                    subject,
                    inspection,
                    tail,
                })
            }
        }
    }
}

/// The column widths of one section: as wide as the widest cell in each.
#[derive(Debug, Default)]
struct Layout {
    lead: usize,
    subject: usize,
    inspection: usize,
    tail: Vec<usize>,
}

impl Layout {
    /// Widens the columns to hold `cells`.
    fn fit(&mut self, cells: &Cells) {
        self.lead = self.lead.max(cells.lead.0.width());
        self.subject = self.subject.max(cells.subject.width());
        self.inspection = self.inspection.max(cells.inspection.width());
        for (n, (text, _)) in cells.tail.iter().enumerate() {
            match self.tail.get_mut(n) {
                Some(w) => *w = (*w).max(text.width()),
                None => self.tail.push(text.width()),
            }
        }
    }

    /// Lays `cells` out in `width` cells: the subject as wide as its
    /// widest name when the inspection keeps room for its longest title,
    /// else at most two fifths of what the other columns leave (and no
    /// less than the inspection leaves it); the inspection the rest.
    fn line(&self, cells: Cells, width: usize, ctx: &Ctx) -> Line<'static> {
        let gaps = 2 + self.tail.len();
        let room = width.saturating_sub(self.lead + self.tail.iter().sum::<usize>() + gaps);
        let subject = if self.subject + self.inspection <= room {
            self.subject
        } else {
            (room * 2 / 5)
                .max(room.saturating_sub(self.inspection))
                .min(self.subject)
        };
        let mut row = vec![
            (cells.lead.0, cells.lead.1, Width::Fixed(self.lead)),
            (cells.subject, ctx.theme.text, Width::Fixed(subject.max(1))),
            (cells.inspection, ctx.theme.text, Width::Fill),
        ];
        // A single tail column (a draft's progress, a due date) stands at
        // the right edge in its own width, so that the title may use what a
        // shorter one leaves; several (score, change, trend) stay aligned.
        let own = self.tail.len() == 1;
        for ((text, style), w) in cells.tail.into_iter().zip(&self.tail) {
            let w = if own { text.width() } else { *w };
            row.push((text, style, Width::Fixed(w)));
        }
        columns(width, row)
    }
}

/// Row widths below this (an 80-column terminal gives 75) use the narrow
/// layout.
const NARROW: usize = 75;
