//! Plain-text tables for the read commands: columns aligned by display
//! width, so Japanese names (two columns per character) line up.

use unicode_width::UnicodeWidthStr;

/// Renders `rows` under `header`, two spaces between columns, numbers in the
/// columns marked in `right` aligned right, trailing spaces trimmed.
///
/// Cells must already be escaped; a row shorter than the header is padded
/// with empty cells.
pub fn render(header: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(header.len()) {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let mut out = String::new();
    let header_row: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header_row).chain(rows) {
        let mut line = String::new();
        for (i, width) in widths.iter().enumerate() {
            let cell = row.get(i).map_or("", String::as_str);
            let pad = " ".repeat(width.saturating_sub(cell.width()));
            if i > 0 {
                line.push_str("  ");
            }
            if right.get(i).copied().unwrap_or(false) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A table made a cell at a time into one buffer, then written a line at
/// a time, aligned as [`render`] aligns it (two spaces between columns,
/// the columns marked in `right` aligned right, trailing spaces trimmed):
/// for the long tables (ten thousand runs), which a `String` per cell
/// would cost an allocation each.
pub struct Table {
    right: Vec<bool>,
    text: String,
    /// Where each cell ends in `text`, and its display width; row by row.
    cells: Vec<(usize, usize)>,
    widths: Vec<usize>,
}

impl Table {
    /// Returns a table of `right.len()` columns with room for about `rows`
    /// rows of `row_bytes` bytes.
    pub fn new(right: Vec<bool>, rows: usize, row_bytes: usize) -> Self {
        Self {
            widths: vec![0; right.len()],
            text: String::with_capacity(rows.saturating_mul(row_bytes)),
            cells: Vec::with_capacity(rows.saturating_mul(right.len())),
            right,
        }
    }

    /// Appends the next cell (already escaped), filling the rows in turn.
    pub fn cell(&mut self, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        self.close_cell(start);
    }

    /// Appends the next cell, written by `args` (already escaped).
    pub fn cell_fmt(&mut self, args: std::fmt::Arguments<'_>) {
        let start = self.text.len();
        let _ = std::fmt::Write::write_fmt(&mut self.text, args);
        self.close_cell(start);
    }

    fn close_cell(&mut self, start: usize) {
        let cell = self.text.get(start..).unwrap_or_default();
        // Printable ASCII is one column a byte.
        let width = if cell.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            cell.len()
        } else {
            cell.width()
        };
        if let Some(w) = self
            .widths
            .get_mut(self.cells.len() % self.right.len().max(1))
        {
            *w = (*w).max(width);
        }
        self.cells.push((self.text.len(), width));
    }

    /// Hands each row to `line` as one line, its line feed included.
    pub fn lines(&self, mut line: impl FnMut(&str)) {
        let mut buf = String::new();
        let mut start = 0;
        for row in self.cells.chunks(self.right.len().max(1)) {
            buf.clear();
            for (i, &(end, width)) in row.iter().enumerate() {
                let cell = self.text.get(start..end).unwrap_or_default();
                start = end;
                let pad = self.widths.get(i).map_or(0, |w| w.saturating_sub(width));
                if i > 0 {
                    buf.push_str("  ");
                }
                if self.right.get(i).copied().unwrap_or(false) {
                    buf.extend(std::iter::repeat_n(' ', pad));
                    buf.push_str(cell);
                } else {
                    buf.push_str(cell);
                    buf.extend(std::iter::repeat_n(' ', pad));
                }
            }
            let kept = buf.trim_end().len();
            buf.truncate(kept);
            buf.push('\n');
            line(&buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_made_cell_by_cell_is_rendered_alike() {
        let rows = vec![
            vec![
                "aoba".to_owned(),
                "青葉会計\u{3000}".to_owned(),
                "82.0%".to_owned(),
            ],
            vec!["kumo".to_owned(), "Kumo".to_owned(), "5.5%".to_owned()],
            vec!["x".to_owned(), String::new(), String::new()],
        ];
        let header = ["ID", "NAME", "PERCENT"];
        let right = [false, true, true];
        let mut table = Table::new(right.to_vec(), 4, 16);
        for cell in header {
            table.cell(cell);
        }
        for row in &rows {
            table.cell(&row[0]);
            table.cell_fmt(format_args!("{}", row[1]));
            table.cell(&row[2]);
        }
        let mut text = String::new();
        table.lines(|line| text.push_str(line));
        assert_eq!(text, render(&header, &right, &rows));
    }

    #[test]
    fn aligns_by_display_width() {
        let rows = vec![
            vec!["aoba".to_owned(), "青葉会計".to_owned(), "82.0%".to_owned()],
            vec!["kumo".to_owned(), "Kumo".to_owned(), "5.5%".to_owned()],
        ];
        assert_eq!(
            render(&["ID", "NAME", "PERCENT"], &[false, false, true], &rows),
            "\
ID    NAME      PERCENT
aoba  青葉会計    82.0%
kumo  Kumo         5.5%
"
        );
    }
}
