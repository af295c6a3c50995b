//! The `?` overlay (F1 while typing): the keys in force on the current
//! screen (a field's editing keys while it is open), and for a form the
//! editing keys of its fields too, all from the keymap.
//! Lines that do not fit under each other flow into a second column.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::tui::app::Ctx;
use crate::tui::keymap::Section;
use crate::tui::widget::{fence, pad, truncate};
use unicode_width::UnicodeWidthStr;

/// The width of the key column.
const KEY_COLUMN: usize = 11;
/// The narrowest a column is drawn.
const MIN_COLUMN: usize = 36;

/// One line of the overlay before it is cut to its column.
enum Entry {
    Heading(&'static str),
    Key(&'static str, &'static str),
    Blank,
    Note(&'static str),
}

/// Draws the help overlay listing `sections` over `area`.
pub fn render(area: Rect, buf: &mut Buffer, ctx: &Ctx, sections: &[Section]) {
    let mut entries = Vec::new();
    for (n, section) in sections.iter().enumerate() {
        if n > 0 {
            entries.push(Entry::Blank);
        }
        entries.push(Entry::Heading(ctx.lang.pick(section.ja, section.en)));
        entries.extend(
            section
                .bindings
                .iter()
                .map(|b| Entry::Key(b.label, b.desc(ctx.lang))),
        );
    }
    entries.push(Entry::Blank);
    entries.push(Entry::Note(
        ctx.tr("何かキーを押すと閉じます", "Press any key to close"),
    ));
    let natural = entries
        .iter()
        .map(|e| match e {
            Entry::Heading(t) | Entry::Note(t) => t.width(),
            Entry::Key(_, desc) => KEY_COLUMN + desc.width(),
            Entry::Blank => 0,
        })
        .max()
        .unwrap_or(0)
        .max(MIN_COLUMN);
    let rows = usize::from(area.height.saturating_sub(2)).max(1);
    let columns = entries.len().div_ceil(rows).max(1);
    let room = usize::from(area.width.saturating_sub(2));
    let column_width = natural.min(room.saturating_sub(columns - 1) / columns);
    let lines: Vec<Line> = entries
        .iter()
        .map(|e| match e {
            Entry::Heading(t) => {
                Line::from(Span::styled(truncate(t, column_width), ctx.theme.title))
            }
            Entry::Note(t) => Line::from(Span::styled(truncate(t, column_width), ctx.theme.dim)),
            Entry::Blank => Line::default(),
            Entry::Key(label, desc) => Line::from(vec![
                Span::styled(
                    pad(&truncate(label, KEY_COLUMN - 1), KEY_COLUMN),
                    ctx.theme.key,
                ),
                Span::raw(truncate(desc, column_width.saturating_sub(KEY_COLUMN))),
            ]),
        })
        .collect();
    let width = u16::try_from(column_width * columns + columns - 1 + 2)
        .unwrap_or(u16::MAX)
        .min(area.width);
    let height = u16::try_from(lines.len().div_ceil(columns) + 2)
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
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ctx.theme.key)
        .title(ctx.tr(" ヘルプ ", " Help "));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let per_column = usize::from(inner.height).max(1);
    let step = u16::try_from(column_width + 1).unwrap_or(u16::MAX);
    for (n, chunk) in lines.chunks(per_column).enumerate() {
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
}
