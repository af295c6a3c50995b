//! Small pieces drawn on every screen (header, status line, footer, the
//! "terminal too small" notice), text helpers for width-aware layout, and
//! the two components every screen shares: [`navigator::Navigator`] for
//! lists and tables, [`text_input::TextInput`] for every text field.

pub mod mark;
pub mod navigator;
pub mod scroll;
pub mod table;
pub mod text_input;
pub mod wrap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::tui::app::{Ctx, MIN_HEIGHT, MIN_WIDTH};
use crate::tui::keymap::{Action, Binding, Edit};
use crate::tui::msg::Notice;

/// Splits the terminal into header, body, status line and footer. The
/// status line takes up to two rows for a long sentence and one more row
/// for each hint (at most two), so an error and its advice are not cut off.
pub fn frame_areas(area: Rect, notice: Option<&Notice>) -> [Rect; 4] {
    let status = notice.map_or(1, |n| {
        let width = usize::from(area.width).saturating_sub(1).max(1);
        let text = wrap::strings(&crate::escape::line(&n.text), width)
            .len()
            .clamp(1, 2);
        text + n.hints.len().min(2)
    });
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::try_from(status).unwrap_or(1)),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Draws the top line: product, organisation, screen title, inspector, date.
pub fn header(area: Rect, buf: &mut Buffer, ctx: &Ctx, title: String) {
    let org = crate::escape::line(ctx.data.catalog.config.organisation.get(ctx.lang));
    let right = format!("{} · {}", ctx.inspector.id, ctx.clock.today());
    let left = format!(" tenken 点検 · {title} · {org}");
    let room = usize::from(area.width).saturating_sub(right.width() + 2);
    let line = Line::from(vec![
        Span::styled(pad(&truncate(&left, room), room), ctx.theme.title),
        Span::styled(format!(" {right} "), ctx.theme.dim),
    ]);
    line.render(area, buf);
}

/// Draws the status line (messages, errors), wrapped on two rows when it
/// is long, then the hints of an error one per row, as the command line
/// prints them.
pub fn status_line(area: Rect, buf: &mut Buffer, ctx: &Ctx, notice: Option<&Notice>) {
    let Some(notice) = notice else { return };
    let width = usize::from(area.width).saturating_sub(1);
    let hints = notice.hints.len().min(2);
    let text_rows = usize::from(area.height).saturating_sub(hints).max(1);
    let text = crate::escape::line(&notice.text);
    let mut lines: Vec<Line> = wrap_cut(&text, width, text_rows)
        .into_iter()
        .map(|row| Line::from(Span::styled(format!(" {row}"), ctx.theme.warn)))
        .collect();
    for hint in notice.hints.iter().take(hints) {
        let hint = format!("{} {}", ctx.tr("ヒント:", "hint:"), hint);
        lines.push(Line::from(Span::styled(
            format!(" {}", truncate(&crate::escape::line(&hint), width)),
            ctx.theme.dim,
        )));
    }
    Paragraph::new(lines).render(area, buf);
}

/// Breaks `s` into at most `rows` rows of `width` columns, the last one
/// cut with `…` when the text goes on.
fn wrap_cut(s: &str, width: usize, rows: usize) -> Vec<String> {
    wrap::cut(wrap::text(s, Style::new(), width), width, rows)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Draws the footer from `bindings` (the keys in force on the screen).
///
/// Help and the way out are always shown; the other bindings follow in
/// keymap order as long as they fit.
pub fn footer(area: Rect, buf: &mut Buffer, ctx: &Ctx, bindings: &[Binding]) {
    let shown: Vec<_> = bindings.iter().filter(|b| b.footer).collect();
    let essential = |b: &Binding| {
        matches!(
            b.action,
            Action::Help | Action::Quit | Action::Back | Action::Edit(Edit::Cancel)
        )
    };
    let cost = |b: &Binding| b.label.width() + 1 + b.desc(ctx.lang).width() + 2;
    let mut room = usize::from(area.width).saturating_sub(1);
    room = room.saturating_sub(shown.iter().filter(|b| essential(b)).map(|b| cost(b)).sum());
    let mut spans = vec![Span::raw(" ")];
    for b in shown {
        if !essential(b) {
            if cost(b) > room {
                continue;
            }
            room -= cost(b);
        }
        spans.push(Span::styled(b.label, ctx.theme.key));
        spans.push(Span::styled(
            format!(" {}  ", b.desc(ctx.lang)),
            ctx.theme.dim,
        ));
    }
    Line::from(spans).render(area, buf);
}

/// Draws the notice shown instead of a broken layout on a small terminal.
pub fn too_small(area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let text = format!(
        "{}\n{}×{} < {MIN_WIDTH}×{MIN_HEIGHT}",
        ctx.tr(
            "端末が小さすぎます。広げてください。",
            "Terminal too small; please enlarge it."
        ),
        area.width,
        area.height
    );
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

/// How wide a column of [`columns`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Exactly this many cells (cut with `…`, or padded).
    Fixed(usize),
    /// Whatever the fixed columns and the gaps leave (one column per row).
    Fill,
}

/// Lays out one row of columns in `width` cells: fixed columns keep their
/// width, the `Fill` column takes the rest, and neighbours are always kept
/// apart by one space, however long their text. Text is cut with `…`.
pub fn columns(width: usize, cells: Vec<(String, Style, Width)>) -> Line<'static> {
    let gaps = cells.len().saturating_sub(1);
    let fixed: usize = cells
        .iter()
        .map(|(_, _, w)| match w {
            Width::Fixed(n) => *n,
            Width::Fill => 0,
        })
        .sum();
    let fill = width.saturating_sub(fixed + gaps);
    let mut spans = Vec::with_capacity(cells.len() * 2);
    for (n, (text, style, w)) in cells.into_iter().enumerate() {
        if n > 0 {
            spans.push(Span::raw(" "));
        }
        let room = match w {
            Width::Fixed(n) => n,
            Width::Fill => fill,
        };
        spans.push(Span::styled(pad(&text, room), style));
    }
    Line::from(spans)
}

/// A box with borders on every side around `area`, titled `title`: a
/// title wider than the room between the corners is cut and ends with `…`
/// (ratatui would cut it silently). Every boxed pane of the interface is
/// made here, so a cut title always shows that it was cut.
pub fn titled<'a>(title: impl Into<Line<'a>>, area: Rect) -> Block<'a> {
    let room = usize::from(area.width).saturating_sub(2);
    Block::default()
        .borders(Borders::ALL)
        .title(fit(title.into(), room))
}

/// Cuts `line` to at most `room` terminal cells, ending with `…` when it
/// is cut. Widths are display widths (a Japanese character takes two
/// cells and is never split); each span keeps its style, `…` takes the
/// style of the span it ends, and the line keeps its alignment.
pub fn fit(line: Line<'_>, room: usize) -> Line<'_> {
    if line.width() <= room {
        return line;
    }
    let Line {
        style,
        alignment,
        spans,
    } = line;
    let mut out: Vec<Span> = Vec::new();
    let mut used = 0;
    for span in spans {
        let mut kept = String::new();
        let mut full = false;
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w + 1 > room {
                full = true;
                break;
            }
            kept.push(c);
            used += w;
        }
        if full {
            if room > 0 {
                kept.push('…');
            }
            out.push(Span::styled(kept, span.style));
            break;
        }
        out.push(Span::styled(kept, span.style));
    }
    Line {
        style,
        alignment,
        spans: out,
    }
}

/// Blanks a wide character that starts just left of `area` and so reaches
/// into it. Drawn over such a character, a pop-up's left border would be
/// lost: the terminal sees the wide character and skips the cell after it.
pub fn fence(area: Rect, buf: &mut Buffer) {
    let Some(x) = area.x.checked_sub(1) else {
        return;
    };
    for y in area.top()..area.bottom() {
        if let Some(cell) = buf.cell_mut((x, y))
            && cell.symbol().width() > 1
        {
            cell.set_symbol(" ");
        }
    }
}

/// Cuts `s` to at most `width` terminal columns, ending with `…` if cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `s` with spaces to exactly `width` columns (after truncating).
pub fn pad(s: &str, width: usize) -> String {
    let s = truncate(s, width);
    let fill = width.saturating_sub(s.width());
    format!("{s}{}", " ".repeat(fill))
}

/// Draws percentages as a one-line sparkline of block characters.
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let i = ((v.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize;
            BARS[i.min(7)]
        })
        .collect()
}

/// Formats a score delta with an arrow that reads without colour.
pub fn delta(d: f64) -> String {
    if d.abs() < 0.05 {
        "= 0".to_owned()
    } else if d > 0.0 {
        format!("▲+{d:.0}")
    } else {
        format!("▼{d:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_kept_apart_by_a_space_however_long_the_text() {
        // Regression (issue 16): a cut title ran into the next column
        // ("principl…never inspected").
        let row = columns(
            24,
            vec![
                (
                    "Five basic security principles".into(),
                    Style::new(),
                    Width::Fill,
                ),
                ("never inspected".into(), Style::new(), Width::Fixed(15)),
            ],
        );
        assert_eq!(row.to_string(), "Five ba… never inspected");
        assert_eq!(row.width(), 24);
        let wide = columns(
            10,
            vec![
                ("点検".into(), Style::new(), Width::Fixed(4)),
                ("情報セキュリティ".into(), Style::new(), Width::Fill),
            ],
        );
        assert_eq!(
            wide.to_string(),
            "点検 情報…",
            "a wide character is never split"
        );
        assert_eq!(wide.width(), 10);
    }

    #[test]
    fn a_title_that_does_not_fit_ends_with_an_ellipsis() {
        // Regression (issue 17): at 60 columns ratatui cut titles with no
        // sign ("… · Sakura De┐").
        let area = Rect::new(0, 0, 12, 3);
        let draw = |block: Block| {
            let mut buf = Buffer::empty(area);
            block.render(area, &mut buf);
            // Each wide character once (the cell it covers is skipped).
            let mut row = String::new();
            let mut x = 0;
            while x < area.width {
                let symbol = buf[(x, 0)].symbol();
                row.push_str(symbol);
                x += u16::try_from(symbol.width().max(1)).unwrap_or(1);
            }
            row
        };
        assert_eq!(draw(titled("Sakura Design", area)), "┌Sakura De…┐");
        assert_eq!(draw(titled("Sakura", area)), "┌Sakura────┐");
        // Display widths: a double-width character is never split, and
        // the border keeps its corner.
        assert_eq!(draw(titled("さくらデザイン工房", area)), "┌さくらデ…─┐");
        assert_eq!(draw(titled("さくらデザ", area)), "┌さくらデザ┐");
        let styled = fit(
            Line::from(vec![
                Span::styled("点検", Style::new().bold()),
                Span::raw(" · Hikari"),
            ]),
            8,
        );
        assert_eq!(styled.to_string(), "点検 · …");
        assert_eq!(styled.width(), 8);
        assert_eq!(styled.spans[1].style, Style::new(), "styles kept");
        assert_eq!(fit(Line::from("abc"), 0).width(), 0);
    }

    #[test]
    fn a_pop_up_keeps_its_border_over_wide_characters() {
        let mut buf = Buffer::with_lines(["点検表"]);
        fence(Rect::new(3, 0, 3, 1), &mut buf);
        assert_eq!(buf, Buffer::with_lines(["点  表"]));
    }

    #[test]
    fn a_long_status_wraps_on_two_rows_then_is_cut() {
        assert_eq!(wrap_cut("abcdefgh", 3, 2), ["abc", "de…"]);
        assert_eq!(wrap_cut("点検表です", 4, 2), ["点検", "表…"]);
        assert_eq!(wrap_cut("abc", 3, 2), ["abc"]);
        assert_eq!(
            wrap_cut("commit failed: HEAD is", 12, 2),
            ["commit", "failed: HEA…"]
        );
    }

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("点検テスト", 6), "点検…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(pad("点", 4), "点  ");
    }

    #[test]
    fn sparkline_and_delta_read_without_colour() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0]), "▁▅█");
        assert_eq!(delta(6.0), "▲+6");
        assert_eq!(delta(-4.0), "▼-4");
        assert_eq!(delta(0.0), "= 0");
    }
}
