//! The supplier review: one row per supplier (criticality, last check,
//! percent, change, band, open actions, next due date, overdue), sorted by
//! risk, overdue or change with one key; Enter opens the supplier.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use unicode_width::UnicodeWidthStr;

use crate::escape;
use crate::model::{Id, SubjectKind};
use crate::supplier::{self, SUPPLIER_CHECK, SortBy, SupplierReview};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::Msg;
use crate::tui::screen::Screen;
use crate::tui::screen::subject_form::{self, SubjectFormScreen};
use crate::tui::screen::supplier::SupplierScreen;
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::table::{self, Col};
use crate::tui::widget::{delta, truncate};

/// The supplier review's state.
#[derive(Debug)]
pub struct SuppliersScreen {
    inspection: Option<Id>,
    sort: SortBy,
    rows: Vec<SupplierReview>,
    nav: Navigator,
}

impl SuppliersScreen {
    /// Reviews every active supplier's latest supplier check, by risk.
    pub fn new(ctx: &Ctx) -> Self {
        // `SUPPLIER_CHECK` is a valid id; `ok()` only avoids a panic path.
        let inspection = Id::new(SUPPLIER_CHECK).ok();
        let rows = inspection.as_ref().map_or_else(Vec::new, |i| {
            supplier::review(
                &ctx.data.catalog,
                &ctx.data.history,
                i,
                ctx.clock.today(),
                false,
            )
        });
        Self {
            inspection,
            sort: SortBy::Risk,
            nav: Navigator::new(rows.len()),
            rows,
        }
    }

    fn selected(&self) -> Option<&SupplierReview> {
        self.nav.selected().and_then(|i| self.rows.get(i))
    }
}

impl Screen for SuppliersScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Suppliers
    }

    fn title(&self, ctx: &Ctx) -> String {
        ctx.tr("委託先レビュー", "Suppliers").to_owned()
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        let Msg::Action(action) = msg else {
            return Step::none();
        };
        match action {
            Action::Cycle => {
                // Keep the same supplier selected in the new order.
                let selected = self.selected().map(|r| r.subject.id.clone());
                self.sort = self.sort.next();
                supplier::sort(&mut self.rows, self.sort);
                let at = selected.and_then(|id| self.rows.iter().position(|r| r.subject.id == id));
                self.nav.select_near(at.unwrap_or(0));
            }
            Action::Select => {
                if let (Some(review), Some(inspection)) = (self.selected(), &self.inspection) {
                    let screen = SupplierScreen::new(ctx, review.clone(), inspection);
                    return Step::nav(Nav::push(screen));
                }
            }
            Action::AddSubject => {
                if let Some(refused) = subject_form::refusal(ctx) {
                    return Step::notice(refused);
                }
                let form = SubjectFormScreen::add(SubjectKind::Supplier).with_typing(ctx);
                return Step::nav(Nav::push(form));
            }
            Action::Back => return Step::nav(Nav::Pop),
            action => {
                self.nav.handle(action);
            }
        }
        Step::none()
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let data = &ctx.data;
        let [info_area, table_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let overdue = self.rows.iter().filter(|r| r.overdue()).count();
        let (order, short) = match self.sort {
            SortBy::Risk => (
                ctx.tr(
                    "リスク順 (事業影響度×不足分)",
                    "by risk (criticality × shortfall)",
                ),
                ctx.tr("リスク順", "by risk"),
            ),
            SortBy::Overdue => (
                ctx.tr("期限切れ順", "overdue first"),
                ctx.tr("期限切れ順", "overdue first"),
            ),
            SortBy::Change => (
                ctx.tr("変化順 (悪化が先)", "by change (worst first)"),
                ctx.tr("変化順", "by change"),
            ),
        };
        let info = |order: &str| match ctx.lang {
            crate::model::Lang::Ja => format!(
                " 委託先 {}社 · 期限切れ {overdue}社 · {order} · s で並べ替え",
                self.rows.len()
            ),
            crate::model::Lang::En => format!(
                " {} {} · {overdue} overdue · {order} · s to sort",
                self.rows.len(),
                if self.rows.len() == 1 {
                    "supplier"
                } else {
                    "suppliers"
                }
            ),
        };
        // The order's explanation gives way first on a narrow terminal.
        let room = usize::from(info_area.width).saturating_sub(1);
        let info = Some(info(order))
            .filter(|i| i.width() <= room)
            .unwrap_or_else(|| truncate(&info(short), room));
        Line::from(Span::styled(info, theme.dim)).render(info_area, buf);

        let header = [
            ctx.tr("委託先", "Supplier"),
            ctx.tr("重要", "Crit"),
            ctx.tr("最終点検", "Last check"),
            ctx.tr("率", "%"),
            ctx.tr("増減", "Δ"),
            ctx.tr("区分", "Band"),
            ctx.tr("是正", "Open"),
            ctx.tr("次回期限", "Next due"),
            ctx.tr("期限", "Overdue"),
        ];
        let dash = || "—".to_owned();
        // Each row's cells as text and style, before the widths are known.
        let cells: Vec<[(String, Style); 9]> = self
            .rows
            .iter()
            .map(|r| {
                let latest = r.latest().and_then(|i| data.history.get(i));
                let delta_style = match r.delta {
                    Some(x) if x > 0.05 => theme.good,
                    Some(x) if x < -0.05 => theme.bad,
                    _ => theme.dim,
                };
                let (flag, flag_style) = if r.overdue() {
                    (ctx.tr("期限切れ", "overdue"), theme.bad)
                } else if latest.is_none() {
                    (ctx.tr("未実施", "never"), theme.warn)
                } else {
                    ("", theme.dim)
                };
                let mut name = escape::line(r.subject.name.get(ctx.lang));
                if r.subject.retired {
                    name = format!("{name} ({})", ctx.tr("廃止", "retired"));
                }
                [
                    (name, theme.text),
                    (format!("{:>3}", r.subject.criticality), theme.text),
                    (
                        latest.map_or_else(dash, |h| h.run.date().to_string()),
                        theme.text,
                    ),
                    (
                        r.percent.map_or_else(dash, |p| format!("{p:>3.0}%")),
                        theme.text,
                    ),
                    (r.delta.map_or_else(dash, delta), delta_style),
                    (
                        latest
                            .and_then(|h| h.band())
                            .map_or_else(dash, |b| escape::line(b.get(ctx.lang))),
                        theme.text,
                    ),
                    (
                        format!("{:>3}", r.open_actions),
                        if r.overdue_actions > 0 {
                            theme.bad
                        } else {
                            theme.text
                        },
                    ),
                    (
                        r.due.as_ref().map_or_else(dash, |d| d.due_date.to_string()),
                        if r.overdue() { theme.bad } else { theme.text },
                    ),
                    (flag.to_owned(), flag_style),
                ]
            })
            .collect();
        let widest = |i: usize| table::widest(header[i], cells.iter().map(|c| c[i].0.as_str()));
        // Below 80 columns the band (shown on the supplier's screen), then
        // the last check's date, the change and the open actions give way.
        let cols = [
            Col::fill(widest(0), 10),
            Col::fixed(widest(1)),
            Col::fixed(widest(2)).optional(3),
            Col::fixed(widest(3)),
            Col::fixed(widest(4)).optional(2),
            Col::text(widest(5), 9).optional(4),
            Col::fixed(widest(6)).optional(1),
            Col::fixed(widest(7)),
            Col::fixed(widest(8)),
        ];
        // Inside the border, with a cell before its right side.
        let widths = table::widths(usize::from(table_area.width.saturating_sub(3)), &cols);
        let empty = self.rows.is_empty();
        let table = table::table(header, cells, &widths, theme).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border),
        );
        self.nav.render_table(table, table_area, buf);
        if empty {
            let inner = table_area.inner(ratatui::layout::Margin::new(2, 2));
            Line::from(Span::styled(
                ctx.tr(
                    "委託先が登録されていません (tenken subjects add ID --kind supplier --name 名前)",
                    "No suppliers yet (tenken subjects add ID --kind supplier --name NAME).",
                ),
                theme.dim,
            ))
            .render(inner, buf);
        }
    }
}
