//! `Navigator`: the selected row and the scroll offset of a list or table,
//! kept from one frame to the next, and the keys that move them.
//!
//! ratatui scrolls a list only as far as needed to keep the selection in
//! view, starting from the offset it is given. A state rebuilt (or cloned
//! and thrown away) every frame starts at the top each time, so moving up
//! from the bottom of a long list scrolled the whole view instead of moving
//! the highlight. The navigator is the one place that state now lives.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{List, ListState, StatefulWidget, Table, TableState};

use crate::tui::keymap::Action;

/// Rows moved by PgUp/PgDn before the first frame tells the real height.
const DEFAULT_PAGE: usize = 10;

/// Selection and scroll offset of a list or table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Navigator {
    /// Which rows may be selected (headings may not); one entry per row.
    selectable: Vec<bool>,
    selected: Option<usize>,
    offset: usize,
    /// Rows visible at the last draw.
    page: usize,
}

impl Navigator {
    /// Returns a navigator over `len` rows, all selectable, the first selected.
    pub fn new(len: usize) -> Self {
        Self::with_selectable(vec![true; len])
    }

    /// Returns a navigator over rows of which only some may be selected
    /// (`selectable[i]`), the first of those selected.
    pub fn with_selectable(selectable: Vec<bool>) -> Self {
        let selected = selectable.iter().position(|s| *s);
        Self {
            selectable,
            selected,
            offset: 0,
            page: DEFAULT_PAGE,
        }
    }

    /// Replaces the rows (after a filter or a reload), keeping the
    /// selection where it still can be and the view where it was.
    pub fn set_rows(&mut self, selectable: Vec<bool>) {
        self.selectable = selectable;
        let keep = self.selected.unwrap_or(0);
        self.selected = None;
        self.select_near(keep);
        self.offset = self.offset.min(self.len().saturating_sub(1));
    }

    /// Replaces the rows with `len` selectable ones.
    pub fn set_len(&mut self, len: usize) {
        self.set_rows(vec![true; len]);
    }

    /// Returns the number of rows.
    pub fn len(&self) -> usize {
        self.selectable.len()
    }

    /// Returns true when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.selectable.is_empty()
    }

    /// Returns the selected row.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// Returns how many rows were above and below the view at the last
    /// drawing, for rows one line high each.
    pub fn hidden(&self) -> (usize, usize) {
        let below = self.len().saturating_sub(self.offset + self.page);
        (self.offset, below)
    }

    /// Selects the selectable row nearest to `row` (looking down first),
    /// or nothing when no row may be selected.
    pub fn select_near(&mut self, row: usize) {
        let ok = |i: usize| self.selectable.get(i).copied().unwrap_or(false);
        let row = row.min(self.len().saturating_sub(1));
        self.selected = (row..self.len())
            .find(|&i| ok(i))
            .or_else(|| (0..row).rev().find(|&i| ok(i)));
    }

    /// Moves the selection by `delta` rows, skipping rows that may not be
    /// selected; it stops at the first and last selectable rows.
    pub fn step(&mut self, delta: isize) {
        let Some(from) = self.selected else {
            self.select_near(0);
            return;
        };
        let ok = |i: usize| self.selectable.get(i).copied().unwrap_or(false);
        let last = self.len().saturating_sub(1);
        let target = from.saturating_add_signed(delta).min(last);
        // The selectable row nearest the target on this side of it; when
        // there is none (only headings on the way), the next one beyond.
        let found = if delta >= 0 {
            (from + 1..=target)
                .rev()
                .find(|&i| ok(i))
                .or_else(|| (target + 1..=last).find(|&i| ok(i)))
        } else {
            (target..from)
                .find(|&i| ok(i))
                .or_else(|| (0..target).rev().find(|&i| ok(i)))
        };
        self.selected = found.or(Some(from));
    }

    /// Moves the selection for a navigation action; returns false for
    /// actions that are not about moving.
    pub fn handle(&mut self, action: Action) -> bool {
        let page = isize::try_from(self.page.max(1)).unwrap_or(isize::MAX);
        match action {
            Action::Up => self.step(-1),
            Action::Down => self.step(1),
            Action::PageUp => self.step(-page),
            Action::PageDown => self.step(page),
            Action::First => self.select_near(0),
            Action::Last => {
                let ok = |i: usize| self.selectable.get(i).copied().unwrap_or(false);
                self.selected = (0..self.len()).rev().find(|&i| ok(i));
            }
            _ => return false,
        }
        true
    }

    /// Draws `table` with this selection, inside a border and under a
    /// one-line header, and keeps where ratatui scrolled to.
    pub fn render_table(&mut self, table: Table<'_>, area: Rect, buf: &mut Buffer) {
        let mut state = TableState::default()
            .with_offset(self.offset)
            .with_selected(self.selected);
        StatefulWidget::render(table, area, buf, &mut state);
        self.offset = state.offset();
        self.page = usize::from(area.height.saturating_sub(3)).max(1);
    }

    /// Draws `list` with this selection, inside a border, and keeps where
    /// ratatui scrolled to.
    pub fn render_list(&mut self, list: List<'_>, area: Rect, buf: &mut Buffer) {
        let mut state = ListState::default()
            .with_offset(self.offset)
            .with_selected(self.selected);
        StatefulWidget::render(list, area, buf, &mut state);
        self.offset = state.offset();
        self.page = usize::from(area.height.saturating_sub(2)).max(1);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::widgets::{Block, Borders, ListItem, Row};

    use super::*;

    fn table(rows: usize) -> Table<'static> {
        Table::new(
            (0..rows).map(|i| Row::new([format!("row {i}")])),
            [ratatui::layout::Constraint::Fill(1)],
        )
        .header(Row::new(["head"]))
        .block(Block::default().borders(Borders::ALL))
    }

    fn draw(nav: &mut Navigator, rows: usize) -> Vec<String> {
        let area = Rect::new(0, 0, 12, 8);
        let mut buf = Buffer::empty(area);
        nav.render_table(table(rows), area, &mut buf);
        (1..7)
            .map(|y| {
                (1..11)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn moving_up_from_the_bottom_moves_the_highlight_not_the_view() {
        // Regression (issue 16): the offset was lost between frames, so the
        // selection stuck to the bottom row and the view scrolled instead.
        let mut nav = Navigator::new(30);
        draw(&mut nav, 30);
        nav.handle(Action::Last);
        let bottom = draw(&mut nav, 30);
        assert_eq!(
            bottom[1..],
            ["row 25", "row 26", "row 27", "row 28", "row 29"]
        );
        nav.handle(Action::Up);
        nav.handle(Action::Up);
        assert_eq!(draw(&mut nav, 30), bottom, "the view stays");
        assert_eq!(nav.selected(), Some(27));
    }

    #[test]
    fn pages_by_the_height_last_drawn() {
        let mut nav = Navigator::new(30);
        draw(&mut nav, 30);
        nav.handle(Action::PageDown);
        assert_eq!(nav.selected(), Some(5), "five rows fit under the header");
        nav.handle(Action::PageUp);
        nav.handle(Action::PageUp);
        assert_eq!(nav.selected(), Some(0));
    }

    #[test]
    fn headings_are_stepped_over_and_never_selected() {
        // heading, item, item, heading, item
        let mut nav = Navigator::with_selectable(vec![false, true, true, false, true]);
        assert_eq!(nav.selected(), Some(1));
        nav.step(1);
        nav.step(1);
        assert_eq!(nav.selected(), Some(4));
        nav.step(1);
        assert_eq!(nav.selected(), Some(4), "stops at the last item");
        nav.step(-1);
        assert_eq!(nav.selected(), Some(2));
        nav.handle(Action::First);
        assert_eq!(nav.selected(), Some(1));
        nav.step(-10);
        assert_eq!(
            nav.selected(),
            Some(1),
            "the heading above is not selectable"
        );
    }

    #[test]
    fn new_rows_keep_the_selection_where_they_can() {
        let mut nav = Navigator::new(10);
        nav.step(7);
        nav.set_len(4);
        assert_eq!(nav.selected(), Some(3));
        nav.set_len(0);
        assert_eq!(nav.selected(), None);
        nav.step(1);
        assert_eq!(nav.selected(), None);
        let mut list = Navigator::new(3);
        let area = Rect::new(0, 0, 10, 4);
        let mut buf = Buffer::empty(area);
        list.render_list(
            List::new(["a", "b", "c"].map(ListItem::new)).block(Block::bordered()),
            area,
            &mut buf,
        );
        list.handle(Action::PageDown);
        assert_eq!(list.selected(), Some(2));
    }
}
