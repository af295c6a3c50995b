//! The history: every run as a table (date, subject, inspection, inspector,
//! score, delta), filterable by typing, Enter opens a run read-only.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table, Widget};

use crate::escape;
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{self, Action, Binding, ScreenId};
use crate::tui::msg::Msg;
use crate::tui::screen::Screen;
use crate::tui::screen::run_view::RunViewScreen;
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::text_input::{LINE_CHARS, Outcome, TextInput};
use crate::tui::widget::{delta, truncate};
use unicode_width::UnicodeWidthStr;

/// The width of the date column (a `◆` may precede a marked run's date).
const DATE: usize = 11;
/// The width of the delta column.
const DELTA: usize = 5;
/// Inside widths below this (an 80-column terminal gives 78) leave out
/// the inspector and the points.
const NARROW: usize = 78;

/// The widths of the history's columns at the width it is drawn.
struct Columns {
    subject: usize,
    inspection: usize,
    /// Zero when the inspector column is left out.
    inspector: usize,
    score: usize,
    /// The score with its points ("20/25 80%"), or the percentage alone.
    points: bool,
}

impl Columns {
    /// Fits the columns into `width` cells (inside the border): fixed
    /// columns first, then the subject as wide as its longest name but at
    /// most two fifths of what is left, the inspection the rest.
    fn new(screen: &HistoryScreen, ctx: &Ctx, width: usize) -> Self {
        let data = &ctx.data;
        let narrow = width < NARROW;
        let shown: Vec<&crate::store::HistoryEntry> = screen
            .rows
            .iter()
            .filter_map(|&i| data.history.get(i))
            .collect();
        let widest = |header: &str, cell: &dyn Fn(&crate::store::HistoryEntry) -> usize| {
            shown
                .iter()
                .map(|h| cell(h))
                .max()
                .unwrap_or(0)
                .max(header.width())
        };
        let inspector = if narrow {
            0
        } else {
            widest(ctx.tr("点検者", "Inspector"), &|h| {
                h.run.inspector.id.as_str().width()
            })
        };
        let score = widest(ctx.tr("得点", "Score"), &|h| {
            score_text(h, !narrow).width()
        });
        let count = if narrow { 5 } else { 6 };
        let fixed = DATE + inspector + score + DELTA + (count - 1);
        let room = width.saturating_sub(fixed);
        let subject_w = widest(ctx.tr("対象", "Subject"), &|h| {
            data.subject_name(&h.run.subject, ctx.lang).width()
        });
        let inspection_w = widest(ctx.tr("点検", "Inspection"), &|h| {
            data.inspection_title(&h.run.inspection, ctx.lang).width()
        });
        // Both whole when they fit; else the subject gets up to two fifths.
        let subject = if subject_w + inspection_w <= room {
            subject_w
        } else {
            (room * 2 / 5)
                .max(room.saturating_sub(inspection_w))
                .min(subject_w)
        }
        .max(4);
        Self {
            subject,
            inspection: room.saturating_sub(subject).max(4),
            inspector,
            score,
            points: !narrow,
        }
    }

    fn constraints(&self) -> Vec<Constraint> {
        let len = |n: usize| Constraint::Length(u16::try_from(n).unwrap_or(u16::MAX));
        let mut out = vec![len(DATE), len(self.subject), len(self.inspection)];
        if self.inspector > 0 {
            out.push(len(self.inspector));
        }
        out.extend([len(self.score), len(DELTA)]);
        out
    }
}

/// The history screen's state.
#[derive(Debug)]
pub struct HistoryScreen {
    /// The run marked as the earlier side of a comparison.
    marked: Option<String>,
    filter: String,
    /// The filter being typed, and the filter before it (Esc restores it).
    typing: Option<(TextInput, String)>,
    /// Indices into `ctx.data.history`, newest first, matching the filter.
    rows: Vec<usize>,
    nav: Navigator,
}

impl HistoryScreen {
    /// Lists every run, newest first.
    pub fn new(ctx: &Ctx) -> Self {
        let mut s = Self {
            marked: None,
            filter: String::new(),
            typing: None,
            rows: Vec::new(),
            nav: Navigator::default(),
        };
        s.refilter(ctx);
        s
    }

    fn selected<'a>(&self, ctx: &'a Ctx) -> Option<&'a crate::store::HistoryEntry> {
        self.nav
            .selected()
            .and_then(|i| self.rows.get(i))
            .and_then(|&i| ctx.data.history.get(i))
    }

    /// Compares the marked run with the selected one, or the selected one
    /// with the run before it.
    fn compare(&self, ctx: &Ctx) -> Step {
        let Some(selected) = self.selected(ctx) else {
            return Step::none();
        };
        let Some(marked) = self
            .marked
            .as_ref()
            .and_then(|id| ctx.data.history.iter().find(|h| &h.run.id == id))
        else {
            return super::compare_with_previous(ctx, &selected.run);
        };
        if marked.run.inspection != selected.run.inspection {
            return Step::notice(ctx.tr(
                "同じ点検どうしを比較してください",
                "Compare two runs of the same inspection.",
            ));
        }
        // Earlier run on the left, whatever order they were picked in.
        let (from, to) = if marked.run.finished <= selected.run.finished {
            (&marked.run, &selected.run)
        } else {
            (&selected.run, &marked.run)
        };
        match super::compare::CompareScreen::new(ctx, from, to) {
            Ok(s) => Step::nav(Nav::push(s)),
            Err(e) => Step::notice(e),
        }
    }

    /// Applies a key or a paste to the filter being typed: the table
    /// follows every change, Enter keeps the filter, Esc restores the one
    /// before.
    fn typed(&mut self, edit: impl FnOnce(&mut TextInput) -> Outcome, ctx: &Ctx) -> Step {
        let Some((input, before)) = &mut self.typing else {
            return Step::none();
        };
        match edit(input) {
            Outcome::Changed => {
                self.filter = input.text();
                self.refilter(ctx);
            }
            Outcome::Saved => self.typing = None,
            Outcome::Cancelled | Outcome::CancelAsked => {
                self.filter = std::mem::take(before);
                self.typing = None;
                self.refilter(ctx);
            }
            Outcome::Moved | Outcome::Full | Outcome::Ignored => {}
        }
        Step::none()
    }

    /// Draws the filter line: the field while it is typed, else the filter
    /// in force or how to set one.
    fn render_filter(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let count = format!("  ({} {})", self.rows.len(), ctx.tr("件", "runs"));
        let label = ctx.tr(" 絞り込み: ", " Filter: ");
        if let Some((input, _)) = &mut self.typing {
            let label_w = u16::try_from(label.width()).unwrap_or(0);
            let count_w = u16::try_from(count.width()).unwrap_or(0);
            Line::from(Span::styled(label, theme.key)).render(area, buf);
            let field = Rect {
                x: area.x + label_w,
                width: area.width.saturating_sub(label_w + count_w),
                ..area
            };
            input.render(field, buf, theme.text, theme.selected);
            let count_area = Rect {
                x: field.right(),
                width: count_w.min(area.width.saturating_sub(label_w)),
                ..area
            };
            Line::from(Span::styled(count, theme.dim)).render(count_area, buf);
            return;
        }
        let line = if self.filter.is_empty() {
            Line::from(Span::styled(
                format!(
                    " {} {} · {}",
                    ctx.data.history.len(),
                    ctx.tr("件", "runs"),
                    ctx.tr("/ で絞り込み", "/ to filter")
                ),
                theme.dim,
            ))
        } else {
            Line::from(vec![
                Span::styled(label, theme.key),
                Span::raw(escape::line(&self.filter)),
                Span::styled(count, theme.dim),
            ])
        };
        line.render(area, buf);
    }

    fn refilter(&mut self, ctx: &Ctx) {
        let needle = self.filter.to_lowercase();
        let data = &ctx.data;
        self.rows = (0..data.history.len())
            .rev()
            .filter(|&i| {
                if needle.is_empty() {
                    return true;
                }
                let h = &data.history[i];
                let hay = format!(
                    "{} {} {} {} {} {}",
                    h.run.date(),
                    h.run.subject,
                    data.subject_name(&h.run.subject, ctx.lang),
                    h.run.inspection,
                    data.inspection_title(&h.run.inspection, ctx.lang),
                    h.run.inspector.id
                )
                .to_lowercase();
                needle.split_whitespace().all(|w| hay.contains(w))
            })
            .collect();
        self.nav = Navigator::new(self.rows.len());
    }
}

impl Screen for HistoryScreen {
    fn id(&self) -> ScreenId {
        ScreenId::History
    }

    fn title(&self, ctx: &Ctx) -> String {
        ctx.tr("履歴", "History").to_owned()
    }

    fn keys(&self) -> &'static [Binding] {
        if self.typing.is_some() {
            keymap::LINE_EDIT
        } else {
            keymap::bindings(ScreenId::History)
        }
    }

    fn key(&self, key: KeyEvent) -> Option<Msg> {
        self.typing.is_some().then_some(Msg::Input(key))
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        match msg {
            Msg::Input(key) => self.typed(|input| input.handle(key), ctx),
            Msg::Paste(text) => self.typed(|input| input.paste(&text), ctx),
            Msg::Action(action) => {
                match action {
                    Action::Filter => {
                        let input = TextInput::line(&self.filter, LINE_CHARS);
                        self.typing = Some((input, self.filter.clone()));
                    }
                    Action::Mark => {
                        let id = self.selected(ctx).map(|h| h.run.id.clone());
                        self.marked = if self.marked == id { None } else { id };
                    }
                    Action::Compare => return self.compare(ctx),
                    Action::Trend => {
                        if let Some(h) = self.selected(ctx) {
                            return super::trend_of(ctx, &h.run);
                        }
                    }
                    Action::Back => return Step::nav(Nav::Pop),
                    Action::Select => {
                        if let Some(entry) = self.selected(ctx) {
                            return Step::nav(Nav::push(RunViewScreen::new(entry.clone(), ctx)));
                        }
                    }
                    action => {
                        self.nav.handle(action);
                    }
                }
                Step::none()
            }
            _ => Step::none(),
        }
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let data = &ctx.data;
        let [filter_area, table_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        self.render_filter(filter_area, buf, ctx);
        let cols = Columns::new(self, ctx, usize::from(table_area.width.saturating_sub(2)));
        let mut titles = vec![
            ctx.tr("日付", "Date"),
            ctx.tr("対象", "Subject"),
            ctx.tr("点検", "Inspection"),
        ];
        if cols.inspector > 0 {
            titles.push(ctx.tr("点検者", "Inspector"));
        }
        let mut titles: Vec<Cell> = titles.into_iter().map(Cell::from).collect();
        // Scores stand right-aligned, so that their percentages line up.
        titles.push(Cell::from(
            Line::from(ctx.tr("得点", "Score")).right_aligned(),
        ));
        titles.push(Cell::from("Δ"));
        let header = Row::new(titles).style(theme.title);
        let rows = self
            .rows
            .iter()
            .filter_map(|&i| data.history.get(i))
            .map(|h| {
                let d = data.previous_of(&h.run).map(|p| h.percent - p.percent);
                let style = match d {
                    Some(x) if x > 0.05 => theme.good,
                    Some(x) if x < -0.05 => theme.bad,
                    _ => theme.dim,
                };
                let marked = if self.marked.as_ref() == Some(&h.run.id) {
                    "◆"
                } else {
                    ""
                };
                let mut cells = vec![
                    Cell::from(format!("{marked}{}", h.run.date())),
                    Cell::from(truncate(
                        &data.subject_name(&h.run.subject, ctx.lang),
                        cols.subject,
                    )),
                    Cell::from(truncate(
                        &data.inspection_title(&h.run.inspection, ctx.lang),
                        cols.inspection,
                    )),
                ];
                if cols.inspector > 0 {
                    cells.push(Cell::from(truncate(
                        h.run.inspector.id.as_str(),
                        cols.inspector,
                    )));
                }
                cells.push(Cell::from(
                    Line::from(score_text(h, cols.points)).right_aligned(),
                ));
                cells.push(Cell::from(Span::styled(
                    d.map_or_else(|| "—".to_owned(), delta),
                    style,
                )));
                Row::new(cells)
            });
        let table = Table::new(rows, cols.constraints())
            .header(header)
            .row_highlight_style(theme.selected)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border),
            );
        self.nav.render_table(table, table_area, buf);
    }
}

/// Returns a run's score as "20/25 80%" (`points`) or "80%".
fn score_text(h: &crate::store::HistoryEntry, points: bool) -> String {
    if points {
        format!("{}/{} {:.0}%", h.score.score, h.score.max, h.percent)
    } else {
        format!("{:.0}%", h.percent)
    }
}
