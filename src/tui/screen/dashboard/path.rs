//! The dashboard's path panel: where the organisation stands on the
//! guideline's four steps ([`crate::steps`], what `tenken path` prints in
//! full) and the one thing to do next, in as many rows as the screen can
//! spare. Worked out when the dashboard is built; drawing reads only that.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use crate::escape;
use crate::steps::{self, Status, Todo};
use crate::tui::app::Ctx;
use crate::tui::widget::{truncate, wrap};

/// What the panel shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PathPanel {
    /// The current step's title ("Step 2: start organised measures"), or
    /// the sentence that every step is met.
    step: String,
    /// Where the current step stands; `None` when every step is met.
    status: Option<Status>,
    /// The one thing to do next.
    next: Todo,
}

impl PathPanel {
    /// Works out the path from the dashboard's data, as `tenken path` does.
    pub(super) fn new(ctx: &Ctx) -> Self {
        let data = &ctx.data;
        let path = steps::path_of_history(
            &data.catalog,
            &data.history,
            data.risks.last().map(|r| r.date),
            ctx.clock.today(),
        );
        match path.current() {
            Some(step) => {
                // The step's general advice comes first, then what is
                // missing at this step: the first of those is the most
                // concrete thing to do (`tenken path` lists them all).
                let mut todos = step.todos(ctx.lang);
                let next = if todos.len() > 1 {
                    todos.swap_remove(1)
                } else {
                    todos.pop().unwrap_or(Todo {
                        inspection: None,
                        subject: None,
                        what: String::new(),
                    })
                };
                Self {
                    step: escape::line(step.title.get(ctx.lang)),
                    status: Some(step.status),
                    next,
                }
            }
            None => Self {
                step: ctx
                    .tr(
                        "4つのステップをすべて達成しています",
                        "All four steps are met",
                    )
                    .to_owned(),
                status: None,
                next: Todo {
                    inspection: None,
                    subject: None,
                    what: ctx
                        .tr(
                            "予定どおり点検を続け、結果が下がらないか見てください。",
                            "Keep inspecting on schedule and watch that results do not slip.",
                        )
                        .to_owned(),
                },
            },
        }
    }

    /// Returns how many rows the panel takes in a dashboard `height` rows
    /// high and `width` wide: its heading, then the next thing on the rows
    /// it needs, up to [`most_rows`].
    pub(super) fn rows(&self, width: u16, height: u16, ctx: &Ctx) -> u16 {
        let Some(most) = most_rows(height) else {
            return 0;
        };
        let needed = self
            .next_rows(usize::from(width.saturating_sub(5)), most, ctx)
            .len();
        1 + u16::try_from(needed.min(most)).unwrap_or(0)
    }

    /// The next thing wrapped in `width` cells, as `tenken path` words it
    /// ("<inspection> · <subject>: <what>") where that fits in `most`
    /// rows, else what to do first and what it is about after it, so that
    /// a long title and name are what is cut.
    fn next_rows(&self, width: usize, most: usize, ctx: &Ctx) -> Vec<Line<'static>> {
        let label = Span::styled(ctx.tr("次にすること: ", "Next: "), ctx.theme.key);
        let what = escape::line(&self.next.what);
        let about = [&self.next.inspection, &self.next.subject]
            .into_iter()
            .flatten()
            .map(|s| escape::line(s))
            .collect::<Vec<_>>()
            .join(" · ");
        if about.is_empty() {
            let line = Line::from(vec![label, Span::styled(what, ctx.theme.text)]);
            return wrap::line(&line, width);
        }
        let line = Line::from(vec![
            label.clone(),
            Span::styled(format!("{about}: {what}"), ctx.theme.text),
        ]);
        let rows = wrap::line(&line, width);
        if rows.len() <= most {
            return rows;
        }
        // The steps' sentences start in lower case after "<about>: ".
        let what = what.chars().next().map_or_else(String::new, |first| {
            format!("{}{}", first.to_uppercase(), &what[first.len_utf8()..])
        });
        let line = Line::from(vec![
            label,
            Span::styled(what, ctx.theme.text),
            Span::styled(format!(" — {about}"), ctx.theme.dim),
        ]);
        wrap::line(&line, width)
    }

    /// Draws the panel in `area`: the heading in the top border, the next
    /// thing below it, aligned with the dashboard's rows. The list below
    /// draws the border that closes it.
    pub(super) fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        if area.height == 0 {
            return;
        }
        let block = Block::default()
            .borders(Borders::TOP | Borders::LEFT | Borders::RIGHT)
            .border_style(ctx.theme.border)
            .title(self.heading(usize::from(area.width).saturating_sub(4), ctx));
        let inner = block.inner(area);
        block.render(area, buf);
        // Where the list's text starts (after its highlight symbol), with
        // the same margin on the right.
        let text = Rect {
            x: inner.x.saturating_add(2),
            width: inner.width.saturating_sub(3),
            ..inner
        };
        if text.height == 0 || text.width == 0 {
            return;
        }
        let width = usize::from(text.width);
        let most = usize::from(text.height);
        let rows = wrap::cut(self.next_rows(width, most, ctx), width, most);
        Paragraph::new(rows).render(text, buf);
    }

    /// The heading in `room` cells: "Where you stand: <step> — <status>",
    /// without the label when it does not fit, then with the step's title
    /// cut (the status always shows).
    fn heading(&self, room: usize, ctx: &Ctx) -> Line<'static> {
        let label = ctx.tr("現在地: ", "Where you stand: ");
        let (status, style) = match self.status {
            Some(s) => (
                format!(" — {}", s.label(ctx.lang)),
                match s {
                    Status::NotStarted => ctx.theme.bad,
                    Status::InProgress | Status::GapsRemain => ctx.theme.warn,
                    Status::Met => ctx.theme.good,
                },
            ),
            None => (String::new(), ctx.theme.good),
        };
        // Every step met: the sentence itself is the good news.
        let step_style = if self.status.is_some() {
            ctx.theme.title
        } else {
            style
        };
        let whole = label.width() + self.step.width() + status.width();
        let mut spans = vec![Span::raw(" ")];
        if whole <= room {
            spans.push(Span::styled(label, ctx.theme.dim));
            spans.push(Span::styled(self.step.clone(), step_style));
        } else {
            let step = truncate(&self.step, room.saturating_sub(status.width()));
            spans.push(Span::styled(step, step_style));
        }
        spans.push(Span::styled(status, style));
        spans.push(Span::raw(" "));
        Line::from(spans)
    }
}

/// How many rows the next thing may take in a dashboard `height` rows
/// high: three from 30 rows, two from 14, none below (the heading alone),
/// and `None` below 11, where the panel gives way to the list.
fn most_rows(height: u16) -> Option<usize> {
    match height {
        30.. => Some(3),
        14..30 => Some(2),
        11..14 => Some(0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_gives_way_to_the_list_as_the_dashboard_gets_shorter() {
        // 120×40 → 37 rows; 80×23 → 20, 60×20 → 17, and 14 with a notice
        // of four rows; shorter, the heading alone, then nothing (the list
        // keeps ten rows).
        assert_eq!(most_rows(37), Some(3));
        assert_eq!(most_rows(20), Some(2));
        assert_eq!(most_rows(17), Some(2));
        assert_eq!(most_rows(14), Some(2));
        assert_eq!(most_rows(13), Some(0));
        assert_eq!(most_rows(10), None);
    }
}
