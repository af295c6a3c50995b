//! Column widths of the screens' tables (suppliers, corrective actions,
//! risks, the risk editor), from their content and the room the terminal
//! gives: each column as wide as its widest cell when there is room, down
//! to a minimum (its text then cut with `…`); when even the minimums do
//! not fit, the columns the screen can best do without are left out (the
//! detail pane below shows them); one column takes what is left. Columns
//! are kept apart by one space, and the caller leaves a cell before the
//! right border. Pure.

use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row, Table};
use unicode_width::UnicodeWidthStr;

use super::truncate;
use crate::tui::theme::Theme;

/// What one column needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    /// Its widest cell, header included.
    pub want: usize,
    /// The narrowest it may get.
    pub min: usize,
    /// 0: always shown; otherwise left out when the room is short, the
    /// highest first.
    pub drop: u8,
    /// Takes what the other columns leave.
    pub fill: bool,
}

impl Col {
    /// A column of exactly `n` cells (dates, numbers, marks).
    pub const fn fixed(n: usize) -> Self {
        Self {
            want: n,
            min: n,
            drop: 0,
            fill: false,
        }
    }

    /// A text column as wide as `want`, narrower down to `min`.
    pub const fn text(want: usize, min: usize) -> Self {
        Self {
            want,
            min: if min < want { min } else { want },
            drop: 0,
            fill: false,
        }
    }

    /// The column that takes the room the others leave (at least `min`).
    pub const fn fill(want: usize, min: usize) -> Self {
        Self {
            want,
            min,
            drop: 0,
            fill: true,
        }
    }

    /// The same column, left out when the room is short (`rank` 1 last,
    /// higher ranks first).
    #[must_use]
    pub const fn optional(self, rank: u8) -> Self {
        Self { drop: rank, ..self }
    }
}

/// The width of each column in `room` cells, one space between shown
/// columns; 0 for a column left out. Columns grow towards their `want` in
/// order; the fill column then takes the rest.
pub fn widths(room: usize, cols: &[Col]) -> Vec<usize> {
    let mut shown: Vec<bool> = vec![true; cols.len()];
    let need = |shown: &[bool]| {
        let n = shown.iter().filter(|s| **s).count();
        cols.iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.min)
            .sum::<usize>()
            + n.saturating_sub(1)
    };
    while need(&shown) > room {
        let Some(out) = (0..cols.len())
            .filter(|&i| shown[i] && cols[i].drop > 0)
            .max_by_key(|&i| (cols[i].drop, i))
        else {
            break;
        };
        shown[out] = false;
    }
    let mut widths: Vec<usize> = cols
        .iter()
        .zip(&shown)
        .map(|(c, s)| if *s { c.min } else { 0 })
        .collect();
    let mut extra = room.saturating_sub(need(&shown));
    for (i, c) in cols.iter().enumerate() {
        if shown[i] {
            let grow = c.want.saturating_sub(widths[i]).min(extra);
            widths[i] += grow;
            extra -= grow;
        }
    }
    if let Some(i) = (0..cols.len()).find(|&i| shown[i] && cols[i].fill) {
        widths[i] += extra;
    }
    widths
}

/// The items (cells, header labels) of the shown columns, in order.
pub fn shown<T>(items: Vec<T>, widths: &[usize]) -> Vec<T> {
    items
        .into_iter()
        .zip(widths)
        .filter(|(_, w)| **w > 0)
        .map(|(item, _)| item)
        .collect()
}

/// The display width of a column's widest text: its header label or one of
/// its cells.
pub fn widest<'a>(header: &str, cells: impl IntoIterator<Item = &'a str>) -> usize {
    cells
        .into_iter()
        .map(UnicodeWidthStr::width)
        .chain(std::iter::once(header.width()))
        .max()
        .unwrap_or(0)
}

/// The rows of a table of styled texts: each text cut with `…` to its
/// column's width, the columns left out (width 0) dropped.
fn rows<const N: usize>(
    cells: Vec<[(String, Style); N]>,
    widths: &[usize],
) -> impl Iterator<Item = Row<'static>> + '_ {
    cells.into_iter().map(move |row| {
        let row: Vec<Cell> = row
            .into_iter()
            .zip(widths)
            .map(|((text, style), w)| Cell::from(Span::styled(truncate(&text, *w), style)))
            .collect();
        Row::new(shown(row, widths))
    })
}

/// A table of styled texts under its header, in the theme's title and
/// selection styles, with the columns of [`widths`] (the block around it
/// is the caller's).
pub fn table<'a, const N: usize>(
    header: [&'a str; N],
    cells: Vec<[(String, Style); N]>,
    widths: &[usize],
    theme: &Theme,
) -> Table<'a> {
    Table::new(rows(cells, widths), constraints(widths))
        .header(Row::new(shown(header.to_vec(), widths)).style(theme.title))
        .row_highlight_style(theme.selected)
}

/// The table constraints of the shown columns.
pub fn constraints(widths: &[usize]) -> Vec<Constraint> {
    widths
        .iter()
        .filter(|w| **w > 0)
        .map(|w| Constraint::Length(u16::try_from(*w).unwrap_or(u16::MAX)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(widths: &[usize]) -> usize {
        let shown = widths.iter().filter(|w| **w > 0).count();
        widths.iter().sum::<usize>() + shown.saturating_sub(1)
    }

    #[test]
    fn columns_take_their_content_width_and_the_fill_column_the_rest() {
        let cols = [
            Col::fill(30, 10),
            Col::fixed(4),
            Col::text(14, 9).optional(2),
            Col::fixed(10).optional(1),
        ];
        // Wide: every column whole, the fill column takes the rest.
        let wide = widths(117, &cols);
        assert_eq!(wide, [30 + 117 - 61, 4, 14, 10]);
        assert_eq!(total(&wide), 117);
        // Narrower: the fill column first grows to its want, the band
        // keeps its minimum.
        assert_eq!(widths(40, &cols), [14, 4, 9, 10]);
        // Short of the minimums: the highest rank goes first, then the next.
        assert_eq!(widths(30, &cols), [14, 4, 0, 10]);
        assert_eq!(widths(18, &cols), [13, 4, 0, 0]);
        // Never more than the room while anything can be left out.
        for room in 15..140 {
            assert!(total(&widths(room, &cols)) <= room, "{room}");
        }
        assert_eq!(
            shown(vec!["a", "b", "c", "d"], &widths(30, &cols)),
            ["a", "b", "d"]
        );
        assert_eq!(constraints(&widths(30, &cols)).len(), 3);
    }
}
