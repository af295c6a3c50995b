//! The trend screen: percent over periods for one subject × inspection as a
//! chart with the band thresholds drawn, the per-period table with deltas,
//! and the items that regressed most often.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Borders, Chart, Dataset, GraphType, Padding, Paragraph, Widget,
};

use crate::compare::{self, Trend, TrendEntry};
use crate::escape;
use crate::model::Id;
use crate::period::PeriodKind;
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::Msg;
use crate::tui::screen::Screen;
use crate::tui::widget;
use crate::tui::widget::{delta, pad, truncate};

/// The period kinds the screen cycles through.
const KINDS: [PeriodKind; 3] = [
    PeriodKind::FiscalQuarter,
    PeriodKind::Quarter,
    PeriodKind::FiscalYear,
];

/// The trend screen's state.
#[derive(Debug)]
pub struct TrendScreen {
    subject: Id,
    inspection: Id,
    kind: usize,
    trend: Option<Trend>,
}

impl TrendScreen {
    /// Builds the trend of `subject` × `inspection` by fiscal quarter.
    pub fn new(ctx: &Ctx, subject: &Id, inspection: &Id) -> Self {
        let mut s = Self {
            subject: subject.clone(),
            inspection: inspection.clone(),
            kind: 0,
            trend: None,
        };
        s.recompute(ctx);
        s
    }

    fn recompute(&mut self, ctx: &Ctx) {
        let data = &ctx.data;
        let runs = data.brief_runs_of(&self.subject, &self.inspection);
        let entries: Vec<TrendEntry> = runs
            .iter()
            .filter_map(|run| {
                data.template_of(run)
                    .map(|inspection| TrendEntry { inspection, run })
            })
            .collect();
        let kind = KINDS[self.kind % KINDS.len()];
        self.trend = compare::trend(&entries, kind, data.catalog.config.fiscal_year_start)
            .into_iter()
            .next();
    }
}

impl Screen for TrendScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Trend
    }

    fn title(&self, ctx: &Ctx) -> String {
        format!(
            "{} · {} · {}",
            ctx.tr("推移", "Trend"),
            ctx.data.inspection_title(&self.inspection, ctx.lang),
            ctx.data.subject_name(&self.subject, ctx.lang)
        )
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        match msg {
            Msg::Action(Action::Cycle) => {
                self.kind = (self.kind + 1) % KINDS.len();
                self.recompute(ctx);
                Step::none()
            }
            Msg::Action(Action::Back) => Step::nav(Nav::Pop),
            _ => Step::none(),
        }
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let kind = KINDS[self.kind % KINDS.len()];
        let kind_name = match kind {
            PeriodKind::FiscalQuarter => ctx.tr("年度四半期", "fiscal quarter"),
            PeriodKind::Quarter => ctx.tr("四半期", "calendar quarter"),
            _ => ctx.tr("年度", "fiscal year"),
        };
        let Some(trend) = self.trend.as_ref().filter(|t| !t.points.is_empty()) else {
            Paragraph::new(ctx.tr("まだ点検結果がありません", "No runs yet."))
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.border),
                )
                .render(area, buf);
            return;
        };
        let [chart_area, lower] =
            Layout::vertical([Constraint::Min(8), Constraint::Length(8)]).areas(area);

        #[allow(clippy::cast_precision_loss)]
        let points: Vec<(f64, f64)> = trend
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| (i as f64, p.percent))
            .collect();
        #[allow(clippy::cast_precision_loss)]
        let x_max = (points.len().max(2) - 1) as f64;
        let y_min = points.iter().map(|p| p.1).fold(0.0_f64, f64::min).floor();
        let mut thresholds: Vec<i32> = trend
            .bands
            .iter()
            .map(|b| b.min_percent)
            .filter(|m| *m > 0)
            .collect();
        thresholds.sort_unstable();
        let threshold_lines: Vec<Vec<(f64, f64)>> = thresholds
            .iter()
            .map(|t| vec![(0.0, f64::from(*t)), (x_max, f64::from(*t))])
            .collect();
        let mut datasets: Vec<Dataset> = threshold_lines
            .iter()
            .map(|line| {
                Dataset::default()
                    .marker(Marker::Dot)
                    .graph_type(GraphType::Line)
                    .style(theme.dim)
                    .data(line)
            })
            .collect();
        datasets.push(
            Dataset::default()
                .name(ctx.tr("得点率 %", "percent"))
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.good)
                .data(&points),
        );
        datasets.push(
            Dataset::default()
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(theme.title)
                .data(&points),
        );
        // ratatui spreads axis labels evenly between the bounds, so only
        // evenly spaced values are labelled; the thresholds go in the title.
        let y_labels = vec![
            Span::raw(format!("{y_min:.0}")),
            Span::raw(format!("{:.0}", y_min.midpoint(100.0))),
            Span::raw("100"),
        ];
        let threshold_names = thresholds
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/");
        let first = trend
            .points
            .first()
            .map(|p| p.period.to_string())
            .unwrap_or_default();
        let last = trend
            .points
            .last()
            .map(|p| p.period.to_string())
            .unwrap_or_default();
        let chart = Chart::new(datasets)
            .block(
                widget::titled(
                    format!(
                        "{} · {} {threshold_names}% · {kind_name} (p)",
                        ctx.tr("得点率", "Percent"),
                        ctx.tr("区分の境界", "band lines at")
                    ),
                    chart_area,
                )
                .border_style(theme.border)
                // The last point and the last period's label keep a cell
                // before the right border.
                .padding(Padding::right(1)),
            )
            .x_axis(
                Axis::default()
                    .bounds([0.0, x_max])
                    .labels(vec![Span::raw(first), Span::raw(last)]),
            )
            .y_axis(Axis::default().bounds([y_min, 100.0]).labels(y_labels))
            .hidden_legend_constraints((Constraint::Ratio(0, 1), Constraint::Ratio(0, 1)));
        chart.render(chart_area, buf);

        let [table_area, worst_area] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(lower);
        let rows = usize::from(table_area.height.saturating_sub(2));
        let mut lines: Vec<Line> = trend
            .points
            .iter()
            .rev()
            .take(rows)
            .map(|p| {
                let d = p.percent_delta.map_or_else(String::new, delta);
                let style = match p.percent_delta {
                    Some(x) if x > 0.05 => theme.good,
                    Some(x) if x < -0.05 => theme.bad,
                    _ => theme.dim,
                };
                Line::from(vec![
                    Span::raw(format!(
                        "{} {:>4}/{:<4}{:>4.0}% ",
                        pad(&p.period.to_string(), 9),
                        p.score.score,
                        p.score.max,
                        p.percent
                    )),
                    Span::styled(pad(&d, 6), style),
                ])
            })
            .collect();
        lines.reverse();
        Paragraph::new(lines)
            .block(
                widget::titled(ctx.tr("期間ごと", "By period"), table_area)
                    .border_style(theme.border),
            )
            .render(table_area, buf);
        let width = usize::from(worst_area.width.saturating_sub(2));
        let worst: Vec<Line> = if trend.regressed_most.is_empty() {
            vec![Line::from(Span::styled(
                ctx.tr("悪化した項目はありません", "No item has regressed."),
                theme.dim,
            ))]
        } else {
            trend
                .regressed_most
                .iter()
                .take(rows)
                .map(|r| {
                    Line::from(vec![
                        Span::styled(format!("▼{} ", r.count), theme.bad),
                        Span::raw(truncate(
                            &format!("{} {}", r.id, escape::line(r.title.get(ctx.lang))),
                            width.saturating_sub(4),
                        )),
                    ])
                })
                .collect()
        };
        Paragraph::new(worst)
            .block(
                widget::titled(
                    ctx.tr("よく悪化する項目", "Regressed most often"),
                    worst_area,
                )
                .border_style(theme.border),
            )
            .render(worst_area, buf);
    }
}
