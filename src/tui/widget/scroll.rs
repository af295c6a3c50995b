//! A wrapped text that scrolls inside its area (the walker's guidance, the
//! finish screen, the run view): rows broken by [`super::wrap`], scrolling
//! bounded so that the last row never leaves the bottom, and a cut shown:
//! the last row drawn ends with `…` while rows are hidden below it.
//!
//! The bound comes from the last drawing (the keys arrive between frames),
//! so the scroll never goes past the end of what was drawn.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::wrap;
use crate::tui::keymap::Action;

/// Where a scrolled text stands, kept between frames.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    /// The first row shown.
    offset: usize,
    /// The largest offset at the last drawing (rows minus height).
    max: usize,
    /// The rows shown at the last drawing.
    page: usize,
}

impl Scroll {
    /// Moves down by `rows`, no further than the last row at the bottom.
    pub fn down(&mut self, rows: usize) {
        self.offset = (self.offset + rows).min(self.max);
    }

    /// Moves up by `rows`.
    pub fn up(&mut self, rows: usize) {
        self.offset = self.offset.saturating_sub(rows);
    }

    /// Moves down by a page, keeping one row of the page before in view.
    pub fn page_down(&mut self) {
        self.down(self.page.saturating_sub(1).max(1));
    }

    /// Moves up by a page, keeping one row of the page before in view.
    pub fn page_up(&mut self) {
        self.up(self.page.saturating_sub(1).max(1));
    }

    /// Scrolls for a navigation action (a row or a page up or down);
    /// returns false for actions that are not about scrolling.
    pub fn handle(&mut self, action: Action) -> bool {
        match action {
            Action::Down => self.down(1),
            Action::Up => self.up(1),
            Action::PageDown => self.page_down(),
            Action::PageUp => self.page_up(),
            _ => return false,
        }
        true
    }

    /// Returns the first row shown.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Returns true when rows are hidden below the last drawing.
    pub fn more_below(&self) -> bool {
        self.offset < self.max
    }

    /// Wraps `lines` to the width of `area` less one cell (a margin before
    /// a border on the right) and draws the rows from the offset; the last
    /// row drawn ends with `…` while more follow.
    pub fn render(&mut self, lines: &[Line<'_>], area: Rect, buf: &mut Buffer) {
        let width = usize::from(area.width.saturating_sub(1)).max(1);
        let height = usize::from(area.height);
        let rows = wrap::lines(lines, width);
        self.page = height;
        self.max = rows.len().saturating_sub(height);
        self.offset = self.offset.min(self.max);
        let mut shown: Vec<Line<'static>> =
            rows.into_iter().skip(self.offset).take(height).collect();
        if self.more_below()
            && let Some(last) = shown.last_mut()
        {
            *last = wrap::ellipsis(last, width);
        }
        Paragraph::new(shown).render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::text::Span;

    use super::*;

    fn draw(scroll: &mut Scroll, text: &str, w: u16, h: u16) -> Vec<String> {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        scroll.render(&[Line::from(Span::raw(text.to_owned()))], area, &mut buf);
        (0..h)
            .map(|y| {
                (0..w)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
            })
            .collect()
    }

    /// Regression (issue 16/17): the run view and finish screen scrolled
    /// past the end into an empty box, and a cut text showed no sign of it.
    #[test]
    fn scrolling_stops_at_the_end_and_a_cut_shows_an_ellipsis() {
        let text = "one two three four five six seven eight nine ten";
        let mut scroll = Scroll::default();
        assert_eq!(draw(&mut scroll, text, 10, 2), ["one two", "three…"]);
        scroll.down(100);
        assert_eq!(
            draw(&mut scroll, text, 10, 2),
            ["eight", "nine ten"],
            "the last row stays at the bottom"
        );
        assert!(!scroll.more_below());
        scroll.page_up();
        assert_eq!(draw(&mut scroll, text, 10, 2)[0], "six seven");
        scroll.up(100);
        assert_eq!(scroll.offset(), 0);
        // A text that fits never moves.
        let mut scroll = Scroll::default();
        assert_eq!(draw(&mut scroll, "short", 10, 3), ["short", "", ""]);
        scroll.page_down();
        assert_eq!(scroll.offset(), 0);
    }

    /// The run view and the finish screen scroll through this one mapping
    /// of the navigation keys.
    #[test]
    fn navigation_actions_scroll_and_others_are_left_alone() {
        let text = "one two three four five six seven eight nine ten";
        let mut scroll = Scroll::default();
        draw(&mut scroll, text, 10, 3);
        assert!(scroll.handle(Action::Down));
        assert_eq!(scroll.offset(), 1);
        assert!(scroll.handle(Action::PageDown));
        assert_eq!(scroll.offset(), 3, "a page of three rows keeps one in view");
        assert!(scroll.handle(Action::Up));
        assert_eq!(scroll.offset(), 2);
        assert!(scroll.handle(Action::PageUp));
        assert_eq!(scroll.offset(), 0);
        assert!(!scroll.handle(Action::Back));
        assert!(!scroll.handle(Action::Compare));
        assert_eq!(scroll.offset(), 0);
    }
}
