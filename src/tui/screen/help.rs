//! The `?` overlay (F1 while typing): the keys in force on the current
//! screen (a field's editing keys while it is open), for a form the editing
//! keys of its fields too, legends of marks, and the keys that work on every
//! screen, all from the keymap. Descriptions wrap in their column (with
//! the one line breaking of [`wrap`]); what does not fit under each other
//! flows into a second or third column, and what does not fit at all goes
//! on further pages (PgDn/PgUp).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use crate::tui::app::Ctx;
use crate::tui::keymap::{self, Section};
use crate::tui::widget;
use crate::tui::widget::{fence, pad, truncate, wrap};
use unicode_width::UnicodeWidthStr;

/// The widest the key column gets.
const KEY_COLUMN: usize = 11;
/// The narrowest a column is drawn (two fit in a 60-column terminal).
const MIN_COLUMN: usize = 27;
/// The widest a column is drawn.
const MAX_COLUMN: usize = 48;

/// One entry of the overlay before it is wrapped to its column.
enum Entry {
    Heading(&'static str),
    Key(&'static str, &'static str),
    /// A legend, marks and meanings in one wrapped paragraph.
    Legend(Vec<(&'static str, &'static str)>),
    Blank,
}

/// Draws the help overlay listing `sections` over `area`, showing page
/// `page`, and returns how many pages there are.
pub fn render(area: Rect, buf: &mut Buffer, ctx: &Ctx, sections: &[Section], page: usize) -> usize {
    let lang = ctx.lang;
    let mut entries = Vec::new();
    for (n, section) in sections.iter().enumerate() {
        if n > 0 {
            entries.push(Entry::Blank);
        }
        entries.push(Entry::Heading(lang.pick(section.ja, section.en)));
        entries.extend(
            section
                .bindings
                .iter()
                .map(|b| Entry::Key(b.label, b.desc(lang))),
        );
        if !section.legend.is_empty() {
            entries.push(Entry::Legend(
                section
                    .legend
                    .iter()
                    .map(|l| (l.mark, lang.pick(l.ja, l.en)))
                    .collect(),
            ));
        }
    }
    let key_column = entries
        .iter()
        .map(|e| match e {
            Entry::Key(label, _) => label.width() + 2,
            _ => 0,
        })
        .max()
        .unwrap_or(0)
        .min(KEY_COLUMN);
    let natural = entries
        .iter()
        .map(|e| match e {
            Entry::Heading(t) => t.width(),
            Entry::Key(_, desc) => key_column + desc.width(),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
        .clamp(MIN_COLUMN, MAX_COLUMN);
    let rows = usize::from(area.height.saturating_sub(2)).max(1);
    // Inside the pop-up's border, with a cell of the screen left on each
    // side so that the pop-up never sits on the screen's own border.
    let room = usize::from(area.width.saturating_sub(4));
    let close = |pages: usize| {
        let paging = keymap::help_overlay()
            .iter()
            .map(|b| format!("{} {}", b.label, b.desc(lang)))
            .collect::<Vec<_>>()
            .join(" · ");
        if pages > 1 {
            format!(
                "{paging} · {}",
                ctx.tr("他のキーで閉じます", "any other key closes")
            )
        } else {
            ctx.tr("何かキーを押すと閉じます", "Press any key to close")
                .to_owned()
        }
    };
    // As many columns as the text needs and the width allows; each at
    // least MIN_COLUMN wide (or the whole width, when that is less).
    let most = (room + 1) / (MIN_COLUMN + 1);
    let mut layout = None;
    for columns in 1..=most.max(1) {
        let width = natural.min(room.saturating_sub(columns - 1) / columns);
        let mut groups = wrapped(&entries, width, key_column, ctx);
        groups.push(vec![Line::default()]);
        groups.push(wrap::text(&close(1), ctx.theme.dim, width));
        let lines = flow(groups, rows);
        let fits = lines.len() <= rows * columns;
        layout = Some((columns, width, lines));
        if fits {
            break;
        }
    }
    let Some((columns, column_width, mut lines)) = layout else {
        return 1;
    };
    let per_page = rows * columns;
    let mut pages = lines.len().div_ceil(per_page).max(1);
    if pages > 1 {
        // The closing line names the paging keys; that may add a row.
        let keep = lines.len() - wrap::text(&close(1), Style::new(), column_width).len();
        lines.truncate(keep);
        lines.extend(wrap::text(&close(2), ctx.theme.dim, column_width));
        pages = lines.len().div_ceil(per_page).max(1);
    }
    let page = page.min(pages - 1);
    let shown: Vec<Line> = lines
        .iter()
        .skip(page * per_page)
        .take(per_page)
        .cloned()
        .collect();
    // Pages keep one size, so the pop-up does not jump while paging.
    let used_columns = if pages > 1 {
        columns
    } else {
        shown.len().div_ceil(rows).clamp(1, columns)
    };
    let width = u16::try_from(column_width * used_columns + used_columns - 1 + 2)
        .unwrap_or(u16::MAX)
        .min(area.width);
    let height = u16::try_from(
        if pages > 1 {
            rows
        } else {
            shown.len().div_ceil(used_columns)
        } + 2,
    )
    .unwrap_or(u16::MAX)
    .min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    fence(popup, buf);
    let mut block = widget::titled(ctx.tr(" ヘルプ ", " Help "), popup).border_style(ctx.theme.key);
    if pages > 1 {
        block = block.title_bottom(Line::from(format!(" {}/{pages} ", page + 1)).right_aligned());
    }
    let inner = block.inner(popup);
    block.render(popup, buf);
    let per_column = usize::from(inner.height).max(1);
    let step = u16::try_from(column_width + 1).unwrap_or(u16::MAX);
    for (n, chunk) in shown.chunks(per_column).enumerate() {
        let x = inner.x + step * u16::try_from(n).unwrap_or(0);
        let column = Rect {
            x,
            y: inner.y,
            width: u16::try_from(column_width)
                .unwrap_or(0)
                .min(inner.right().saturating_sub(x)),
            height: inner.height,
        };
        Paragraph::new(chunk.to_vec()).render(column, buf);
    }
    pages
}

/// Returns the entries as rows of `width` cells: a key's description
/// wraps beside its key, a legend packs its marks and meanings into rows;
/// each entry is a group of rows that [`flow`] keeps in one column.
fn wrapped(
    entries: &[Entry],
    width: usize,
    key_column: usize,
    ctx: &Ctx,
) -> Vec<Vec<Line<'static>>> {
    let theme = &ctx.theme;
    let mut groups = Vec::new();
    for entry in entries {
        let mut lines = Vec::new();
        match entry {
            Entry::Heading(t) => lines.extend(wrap::text(t, theme.title, width)),
            Entry::Blank => lines.push(Line::default()),
            Entry::Key(label, desc) => {
                let rows = wrap::text(desc, Style::new(), width.saturating_sub(key_column).max(1));
                for (n, row) in rows.into_iter().enumerate() {
                    let key = if n == 0 {
                        pad(&truncate(label, key_column.saturating_sub(1)), key_column)
                    } else {
                        " ".repeat(key_column)
                    };
                    let mut spans = vec![Span::styled(key, theme.key)];
                    spans.extend(row.spans);
                    lines.push(Line::from(spans));
                }
            }
            Entry::Legend(marks) => {
                // Marks with their meanings, as many to a row as fit; a
                // meaning is never broken from its mark or in two.
                let mut row: Vec<Span<'static>> = Vec::new();
                let mut used = 0;
                for (mark, meaning) in marks {
                    let cost = mark.width() + 1 + meaning.width();
                    let gap = if row.is_empty() { 0 } else { 2 };
                    if !row.is_empty() && used + gap + cost > width {
                        lines.push(Line::from(std::mem::take(&mut row)));
                        used = 0;
                    }
                    if !row.is_empty() {
                        row.push(Span::raw("  "));
                        used += 2;
                    }
                    row.push(Span::styled((*mark).to_owned(), theme.key));
                    row.push(Span::raw(format!(
                        " {}",
                        truncate(meaning, width.saturating_sub(mark.width() + 1))
                    )));
                    used += cost;
                }
                if !row.is_empty() {
                    lines.push(Line::from(row));
                }
            }
        }
        groups.push(lines);
    }
    groups
}

/// Lays the groups of rows out one after the other in columns of `rows`
/// rows, a group that would be split between two columns moved whole to
/// the next (with blank rows before it), unless it is taller than a column.
fn flow(groups: Vec<Vec<Line<'static>>>, rows: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    for group in groups {
        let left = rows - out.len() % rows;
        if group.len() > left && group.len() <= rows && left < rows {
            out.extend(std::iter::repeat_n(Line::default(), left));
        }
        out.extend(group);
    }
    out
}
