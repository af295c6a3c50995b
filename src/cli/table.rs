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

#[cfg(test)]
mod tests {
    use super::*;

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
