//! `GapFill`: a backend wrapper that makes redraws cheaper over a slow link.
//!
//! ratatui sends only the cells that changed, but every jump over an
//! unchanged cell costs a cursor move (`ESC[row;colH`, 6–8 bytes) — more
//! than rewriting one or two unchanged characters. This wrapper keeps a
//! mirror of the screen and, where two changed cells on one row are at most
//! [`MAX_GAP`] cells apart, also sends the unchanged cells between them, so
//! the terminal receives one run of text instead of a cursor move.

use std::io;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::{Position, Rect, Size};
use unicode_width::UnicodeWidthStr;

/// The widest gap filled with unchanged cells instead of a cursor move.
pub const MAX_GAP: u16 = 4;

/// Wraps a backend, filling short gaps between changed cells.
#[derive(Debug)]
pub struct GapFill<B> {
    inner: B,
    mirror: Buffer,
}

impl<B: Backend> GapFill<B> {
    /// Wraps `inner`, whose screen is assumed blank.
    pub fn new(inner: B) -> Self {
        let size = inner.size().unwrap_or_default();
        Self {
            inner,
            mirror: Buffer::empty(Rect::new(0, 0, size.width, size.height)),
        }
    }

    fn reset_mirror(&mut self) {
        let size = self.inner.size().unwrap_or_default();
        self.mirror = Buffer::empty(Rect::new(0, 0, size.width, size.height));
    }

    /// Returns true when the mirror cell at (x, y) can be resent as is.
    fn fillable(&self, x: u16, y: u16) -> bool {
        self.mirror
            .cell(Position::new(x, y))
            .is_some_and(|c| c.diff_option == CellDiffOption::None && c.symbol().width() == 1)
    }
}

/// Computes the cells to send: every changed cell, plus unchanged cells in
/// short same-row gaps. Pure, so it can be tested on plain buffers.
fn with_gaps(
    mirror: &Buffer,
    changes: &[(u16, u16, Cell)],
    fillable: impl Fn(u16, u16) -> bool,
) -> Vec<(u16, u16, Cell)> {
    let mut out: Vec<(u16, u16, Cell)> = Vec::with_capacity(changes.len());
    let mut next_col: Option<(u16, u16)> = None; // (row, column after the last sent cell)
    for (x, y, cell) in changes {
        if let Some((row, col)) = next_col
            && row == *y
            && *x > col
            && *x - col <= MAX_GAP
            && (col..*x).all(|gx| fillable(gx, *y))
        {
            for gx in col..*x {
                if let Some(c) = mirror.cell(Position::new(gx, *y)) {
                    out.push((gx, *y, c.clone()));
                }
            }
        }
        let width = u16::try_from(cell.symbol().width().max(1)).unwrap_or(1);
        next_col = Some((*y, x.saturating_add(width)));
        out.push((*x, *y, cell.clone()));
    }
    out
}

impl<B: Backend> Backend for GapFill<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let changes: Vec<(u16, u16, Cell)> = content.map(|(x, y, c)| (x, y, c.clone())).collect();
        let filled = with_gaps(&self.mirror, &changes, |x, y| self.fillable(x, y));
        for (x, y, cell) in &changes {
            if let Some(slot) = self.mirror.cell_mut(Position::new(*x, *y)) {
                *slot = cell.clone();
            }
            // ratatui never sends the cells a wide character covers, and its
            // own buffer holds blanks there; the mirror must too, or a stale
            // character would later be resent as gap filling.
            let width = u16::try_from(cell.symbol().width()).unwrap_or(1);
            for covered in 1..width {
                if let Some(slot) = self
                    .mirror
                    .cell_mut(Position::new(x.saturating_add(covered), *y))
                {
                    slot.reset();
                }
            }
        }
        self.inner.draw(filled.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.reset_mirror();
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.reset_mirror();
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        // Anything but a full clear leaves cells the mirror cannot know.
        self.reset_mirror();
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

/// The terminal type the runtime draws on.
pub type Term = ratatui::Terminal<GapFill<ratatui::backend::CrosstermBackend<io::Stdout>>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(s: &str) -> Cell {
        let mut c = Cell::default();
        c.set_symbol(s);
        c
    }

    #[test]
    fn short_gaps_are_filled_long_ones_are_not() {
        let mut mirror = Buffer::empty(Rect::new(0, 0, 20, 2));
        mirror.set_string(0, 0, "abcdefghijklmnopqrst", ratatui::style::Style::new());
        // Changes at x=0 and x=3 (gap 2: filled) and x=12 (gap 8: not filled).
        let changes = vec![
            (0, 0, cell("X")),
            (3, 0, cell("Y")),
            (12, 0, cell("Z")),
            (1, 1, cell("W")),
        ];
        let out = with_gaps(&mirror, &changes, |_, _| true);
        let sent: Vec<(u16, u16, String)> = out
            .iter()
            .map(|(x, y, c)| (*x, *y, c.symbol().to_owned()))
            .collect();
        assert_eq!(
            sent,
            vec![
                (0, 0, "X".into()),
                (1, 0, "b".into()),
                (2, 0, "c".into()),
                (3, 0, "Y".into()),
                (12, 0, "Z".into()),
                (1, 1, "W".into()),
            ]
        );
    }

    #[test]
    fn cells_covered_by_a_wide_character_are_blank_in_the_mirror() {
        use ratatui::backend::TestBackend;
        let mut backend = GapFill::new(TestBackend::new(6, 1));
        let row = |s: &[&str]| -> Vec<(u16, u16, Cell)> {
            s.iter()
                .enumerate()
                .map(|(x, c)| (u16::try_from(x).unwrap(), 0, cell(c)))
                .collect()
        };
        // "abcdef", then a wide character over columns 1-2, as ratatui sends it
        // (the covered column 2 is not sent).
        let first = row(&["a", "b", "c", "d", "e", "f"]);
        backend
            .draw(first.iter().map(|(x, y, c)| (*x, *y, c)))
            .unwrap();
        let wide = [(1, 0, cell("点"))];
        backend
            .draw(wide.iter().map(|(x, y, c)| (*x, *y, c)))
            .unwrap();
        assert_eq!(
            backend.mirror.cell(Position::new(2, 0)).unwrap().symbol(),
            " "
        );
    }

    #[test]
    fn gaps_with_wide_characters_keep_the_cursor_move() {
        let mirror = Buffer::empty(Rect::new(0, 0, 10, 1));
        let changes = vec![(0, 0, cell("a")), (3, 0, cell("b"))];
        let out = with_gaps(&mirror, &changes, |x, _| x != 2);
        assert_eq!(out.len(), 2);
    }

    /// Draws random frames mixing wide and narrow characters through
    /// `GapFill` and through the plain backend, and checks that a terminal
    /// emulator shows the same screen for both after every frame.
    #[test]
    fn gap_filling_never_changes_what_the_terminal_shows() {
        use proptest::prelude::*;
        use ratatui::backend::CrosstermBackend;
        use ratatui::text::Line;
        use ratatui::widgets::Paragraph;
        use ratatui::{Terminal, TerminalOptions, Viewport};

        /// An in-memory terminal link the test can read back.
        #[derive(Clone, Default)]
        struct Link(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
        impl io::Write for Link {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0.borrow_mut().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        const W: u16 = 24;
        const H: u16 = 3;
        let area = Rect::new(0, 0, W, H);
        let options = || TerminalOptions {
            viewport: Viewport::Fixed(area),
        };
        let glyph = prop::sample::select(vec!["a", "b", " ", " ", "─", "…", "点", "検", "高", "·"]);
        let line = prop::collection::vec((0u16..W, prop::collection::vec(glyph, 0..12)), 0..4);
        let frames = prop::collection::vec(prop::collection::vec(line, H as usize), 1..8);
        proptest!(ProptestConfig::with_cases(256), |(frames in frames)| {
            let (filled_link, plain_link) = (Link::default(), Link::default());
            let mut filled_backend = GapFill::new(CrosstermBackend::new(filled_link.clone()));
            filled_backend.mirror = Buffer::empty(area);
            let mut filled = Terminal::with_options(filled_backend, options()).unwrap();
            let mut plain = Terminal::with_options(CrosstermBackend::new(plain_link.clone()), options()).unwrap();
            let (mut filled_screen, mut plain_screen) = (vt100::Parser::new(H, W, 0), vt100::Parser::new(H, W, 0));
            for frame in &frames {
                let draw = |f: &mut ratatui::Frame| {
                    for (row, pieces) in frame.iter().enumerate() {
                        for (x, glyphs) in pieces {
                            let at = Rect::new(*x, u16::try_from(row).unwrap(), W - x, 1);
                            f.render_widget(Paragraph::new(Line::raw(glyphs.concat())), at);
                        }
                    }
                };
                filled.draw(draw).unwrap();
                plain.draw(draw).unwrap();
                filled_screen.process(&std::mem::take(&mut *filled_link.0.borrow_mut()));
                plain_screen.process(&std::mem::take(&mut *plain_link.0.borrow_mut()));
                prop_assert_eq!(filled_screen.screen().contents(), plain_screen.screen().contents());
            }
        });
    }
}
