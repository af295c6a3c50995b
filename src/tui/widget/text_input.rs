//! `TextInput`: the one text field of the interface, a line (filters,
//! prompts, form fields) or a note (several lines). Every field answers
//! the same keys, from [`keymap::LINE_EDIT`] or [`keymap::NOTE_EDIT`]:
//! Enter saves, Esc cancels, the cursor keys, Home/End, Delete, Backspace
//! and word-delete edit. Limits count characters, never bytes.
//!
//! The field reports what every key did ([`Outcome`]), and its text and
//! cursor can be read after each key and restored later
//! ([`TextInput::text`], [`TextInput::cursor`], [`TextInput::set_cursor`]),
//! so a screen can keep what is being typed in its draft as it is typed.
//! The editing itself is `ratatui-textarea`'s; this wrapper decides the
//! keys and draws the text, escaping hidden characters.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::tui::keymap::{self, Edit};

/// The most characters in a one-line field of free text (evidence,
/// action, owner, register details, risk ledger text, the filter).
pub const LINE_CHARS: usize = 500;
/// The most characters in a field that takes an id.
pub const ID_CHARS: usize = 64;
/// The most characters in a note. Four bytes at most per character keep
/// every note within the loader's limit of 64 KiB (`load::MAX_NOTE_BYTES`).
pub const NOTE_CHARS: usize = 16 * 1024;

/// What a key (or a paste) did to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The text changed.
    Changed,
    /// Only the cursor moved.
    Moved,
    /// Enter: keep the text; the screen reads it and closes the field.
    Saved,
    /// Esc: the screen closes the field and keeps what was there before.
    Cancelled,
    /// Esc on a note that was changed: a second Esc cancels.
    CancelAsked,
    /// The field is full; what did not fit was not taken.
    Full,
    /// The key means nothing to the field (Tab, ↑ in a line): the screen
    /// may use it.
    Ignored,
}

impl Outcome {
    /// Returns true when the text is not what it was before the key.
    pub fn changed(self) -> bool {
        self == Self::Changed
    }
}

/// A text field being typed into.
#[derive(Debug, Clone)]
pub struct TextInput {
    area: TextArea<'static>,
    multiline: bool,
    limit: usize,
    /// The text the field opened with, for telling whether it changed.
    original: String,
    /// Esc was pressed once on a changed note.
    cancel_asked: bool,
    /// The first display column (a line) or row (a note) drawn last time.
    scroll: usize,
}

impl TextInput {
    /// Opens a one-line field holding `text`, with the cursor at its end.
    pub fn line(text: &str, limit: usize) -> Self {
        let text: String = text
            .chars()
            .map(|c| if c == '\n' { ' ' } else { c })
            .collect();
        Self::open(vec![text], false, limit)
    }

    /// Opens a note field holding `text`, with the cursor at its end.
    pub fn note(text: &str, limit: usize) -> Self {
        let lines = if text.is_empty() {
            vec![String::new()]
        } else {
            text.split('\n').map(str::to_owned).collect()
        };
        Self::open(lines, true, limit)
    }

    fn open(lines: Vec<String>, multiline: bool, limit: usize) -> Self {
        let mut area = TextArea::new(lines);
        area.set_cursor_line_style(Style::new());
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        let original = area.lines().join("\n");
        Self {
            area,
            multiline,
            limit,
            original,
            cancel_asked: false,
            scroll: 0,
        }
    }

    /// Returns the text as it stands (lines joined by `\n`).
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// Returns the cursor as (line, character in the line), from 0.
    pub fn cursor(&self) -> (usize, usize) {
        let c = self.area.cursor();
        (c.0, c.1)
    }

    /// Puts the cursor at (line, character), clamped to the text.
    pub fn set_cursor(&mut self, (line, col): (usize, usize)) {
        let row = u16::try_from(line).unwrap_or(u16::MAX);
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        self.area.move_cursor(CursorMove::Jump(row, col));
    }

    /// Puts back `text` as it was being typed (by a session that ended
    /// with the field open), with the cursor at `cursor`; the field still
    /// counts as changed from what it opened with.
    pub fn restore(&mut self, text: &str, cursor: (usize, usize)) {
        let lines: Vec<String> = if self.multiline {
            text.split('\n').map(str::to_owned).collect()
        } else {
            vec![text.replace('\n', " ")]
        };
        let mut area = TextArea::new(lines);
        area.set_cursor_line_style(Style::new());
        self.area = area;
        self.set_cursor(cursor);
    }

    /// Returns true when the text differs from what the field opened with.
    pub fn is_changed(&self) -> bool {
        self.text() != self.original
    }

    /// Returns the number of characters (a line break counts as one).
    pub fn chars(&self) -> usize {
        let lines = self.area.lines();
        lines.iter().map(|l| l.chars().count()).sum::<usize>() + lines.len().saturating_sub(1)
    }

    /// Returns the most characters the field takes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Applies one key.
    pub fn handle(&mut self, key: KeyEvent) -> Outcome {
        let table = if self.multiline {
            keymap::NOTE_EDIT
        } else {
            keymap::LINE_EDIT
        };
        let edit = keymap::edit(table, key);
        if edit != Some(Edit::Cancel) {
            self.cancel_asked = false;
        }
        match edit {
            Some(e) => self.apply(e),
            None => match key.code {
                KeyCode::Char(c)
                    if !c.is_control()
                        && !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    if self.chars() >= self.limit {
                        Outcome::Full
                    } else {
                        self.area.insert_char(c);
                        Outcome::Changed
                    }
                }
                _ => Outcome::Ignored,
            },
        }
    }

    /// Inserts pasted text at the cursor: control characters dropped, line
    /// breaks kept in a note and turned into spaces in a line, cut at the
    /// limit.
    pub fn paste(&mut self, text: &str) -> Outcome {
        self.cancel_asked = false;
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let room = self.limit.saturating_sub(self.chars());
        let clean: String = text
            .chars()
            .filter_map(|c| match c {
                '\n' if !self.multiline => Some(' '),
                '\t' => Some(' '),
                '\n' => Some('\n'),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect();
        let taken: String = clean.chars().take(room).collect();
        let full = taken.chars().count() < clean.chars().count();
        let changed = !taken.is_empty() && self.area.insert_str(&taken);
        match (full, changed) {
            (true, _) => Outcome::Full,
            (false, true) => Outcome::Changed,
            (false, false) => Outcome::Ignored,
        }
    }

    fn apply(&mut self, edit: Edit) -> Outcome {
        let moved = |area: &mut TextArea<'static>, m: CursorMove| {
            area.move_cursor(m);
            Outcome::Moved
        };
        let changed = |yes: bool| {
            if yes {
                Outcome::Changed
            } else {
                Outcome::Moved
            }
        };
        match edit {
            Edit::Save => Outcome::Saved,
            Edit::Cancel => {
                if self.multiline && self.is_changed() && !self.cancel_asked {
                    self.cancel_asked = true;
                    Outcome::CancelAsked
                } else {
                    Outcome::Cancelled
                }
            }
            Edit::NewLine if self.multiline => {
                if self.chars() >= self.limit {
                    Outcome::Full
                } else {
                    self.area.insert_newline();
                    Outcome::Changed
                }
            }
            Edit::LineUp if self.multiline => moved(&mut self.area, CursorMove::Up),
            Edit::LineDown if self.multiline => moved(&mut self.area, CursorMove::Down),
            // A line has no second line: ↑/↓ move its form's focus instead.
            Edit::NewLine | Edit::LineUp | Edit::LineDown => Outcome::Ignored,
            Edit::Left => moved(&mut self.area, CursorMove::Back),
            Edit::Right => moved(&mut self.area, CursorMove::Forward),
            Edit::WordLeft => moved(&mut self.area, CursorMove::WordBack),
            Edit::WordRight => moved(&mut self.area, CursorMove::WordForward),
            Edit::Home => moved(&mut self.area, CursorMove::Head),
            Edit::End => moved(&mut self.area, CursorMove::End),
            Edit::Backspace => changed(self.area.delete_char()),
            Edit::Delete => changed(self.area.delete_next_char()),
            Edit::DeleteWord => changed(self.area.delete_word()),
            Edit::DeleteToStart => changed(self.area.delete_line_by_head()),
            Edit::DeleteToEnd => changed(self.area.delete_line_by_end()),
            Edit::Undo => changed(self.area.undo()),
        }
    }

    /// Draws the field into `area` with the cursor shown in `cursor`
    /// style: a line scrolls sideways to keep the cursor in view, a note
    /// wraps (at a space where it can) and scrolls down. Hidden characters
    /// (controls, bidi and other format characters) show escaped, as
    /// everywhere else, while the text itself keeps them.
    pub fn render(&mut self, area: Rect, buf: &mut Buffer, text: Style, cursor: Style) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let width = usize::from(area.width);
        let (row, col) = self.cursor();
        let rows = if self.multiline {
            wrap(self.area.lines(), width, (row, col))
        } else {
            vec![VisualRow {
                line: 0,
                start: 0,
                end: self.area.lines().first().map_or(0, |l| l.chars().count()),
            }]
        };
        let at = rows
            .iter()
            .position(|r| r.line == row && r.start <= col && col <= r.end)
            .unwrap_or(0);
        // Keep the cursor in view, moving the view as little as possible.
        let height = usize::from(area.height);
        if self.multiline {
            self.scroll = self.scroll.min(at).max((at + 1).saturating_sub(height));
        }
        for (n, visual) in
            rows.iter()
                .enumerate()
                .skip(if self.multiline { self.scroll } else { 0 })
        {
            let y = if self.multiline { n - self.scroll } else { 0 };
            if y >= height {
                break;
            }
            let Some(line) = self.area.lines().get(visual.line) else {
                continue;
            };
            let glyphs: Vec<Glyph> = line
                .chars()
                .skip(visual.start)
                .take(visual.end - visual.start)
                .map(Glyph::of)
                .collect();
            let cursor_at = (n == at).then(|| col - visual.start);
            let mut left = 0;
            if !self.multiline {
                let before: usize = glyphs[..col.min(glyphs.len())]
                    .iter()
                    .map(|g| g.width)
                    .sum();
                let under = glyphs.get(col).map_or(1, |g| g.width.max(1));
                self.scroll = self
                    .scroll
                    .min(before)
                    .max((before + under).saturating_sub(width));
                left = self.scroll;
            }
            let row_area = Rect::new(
                area.x,
                area.y + u16::try_from(y).unwrap_or(0),
                area.width,
                1,
            );
            draw_row(buf, row_area, &glyphs, left, cursor_at, text, cursor);
        }
    }
}

/// One character as drawn: itself, or its escaped notation when hidden.
struct Glyph {
    text: String,
    width: usize,
}

impl Glyph {
    fn of(c: char) -> Self {
        if crate::escape::is_hidden(c) {
            let text = crate::escape::line(c.encode_utf8(&mut [0; 4]));
            Self {
                width: text.width(),
                text,
            }
        } else {
            Self {
                text: c.to_string(),
                width: c.width().unwrap_or(0),
            }
        }
    }
}

/// A screen row of a note: characters `start..end` of line `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct VisualRow {
    line: usize,
    start: usize,
    end: usize,
}

/// Wraps `lines` into rows of at most `width` cells, as every wrapped
/// text is wrapped ([`super::wrap::rows`]: after a space, between Japanese
/// characters, following kinsoku), and leaves room for the cursor at the
/// end of its line.
fn wrap(lines: &[String], width: usize, (row, col): (usize, usize)) -> Vec<VisualRow> {
    let mut rows = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let glyphs: Vec<(char, usize)> = line.chars().map(|c| (c, Glyph::of(c).width)).collect();
        let ranges = super::wrap::rows(&glyphs, width, true);
        let last_used: usize = ranges
            .last()
            .map_or(0, |r| glyphs[r.clone()].iter().map(|g| g.1).sum());
        rows.extend(ranges.into_iter().map(|r| VisualRow {
            line: n,
            start: r.start,
            end: r.end,
        }));
        // The cursor after the last character of a full row goes on a row
        // of its own.
        if n == row && col == glyphs.len() && last_used >= width && !glyphs.is_empty() {
            rows.push(VisualRow {
                line: n,
                start: glyphs.len(),
                end: glyphs.len(),
            });
        }
    }
    rows
}

/// Draws `glyphs` from display column `left` on, with the cursor on glyph
/// `cursor` (or after the last one).
fn draw_row(
    buf: &mut Buffer,
    area: Rect,
    glyphs: &[Glyph],
    left: usize,
    cursor: Option<usize>,
    text: Style,
    cursor_style: Style,
) {
    let width = usize::from(area.width);
    let mut column = 0;
    let mut last_drawn: Option<u16> = None;
    for (n, glyph) in glyphs.iter().enumerate() {
        let start = column;
        column += glyph.width;
        if start < left {
            continue;
        }
        let x = start - left;
        if glyph.width == 0 {
            // A combining mark joins the character before it.
            if let Some(at) = last_drawn {
                let cell = &mut buf[(at, area.y)];
                let joined = format!("{}{}", cell.symbol(), glyph.text);
                cell.set_symbol(&joined);
            }
            continue;
        }
        if x + glyph.width > width {
            break;
        }
        let at = area.x + u16::try_from(x).unwrap_or(0);
        let style = if cursor == Some(n) {
            cursor_style
        } else {
            text
        };
        buf.set_stringn(at, area.y, &glyph.text, glyph.width, style);
        last_drawn = Some(at);
    }
    if let Some(n) = cursor
        && n >= glyphs.len()
        && column >= left
        && column - left < width
    {
        let at = area.x + u16::try_from(column - left).unwrap_or(0);
        buf.set_stringn(at, area.y, " ", 1, cursor_style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(input: &mut TextInput, keys: &[(KeyCode, KeyModifiers)]) -> Vec<Outcome> {
        keys.iter()
            .map(|(code, mods)| input.handle(KeyEvent::new(*code, *mods)))
            .collect()
    }

    fn plain(code: KeyCode) -> (KeyCode, KeyModifiers) {
        (code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> (KeyCode, KeyModifiers) {
        (KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(input: &mut TextInput, s: &str) {
        for c in s.chars() {
            assert_eq!(
                input.handle(KeyEvent::from(KeyCode::Char(c))),
                Outcome::Changed
            );
        }
    }

    #[test]
    fn edits_with_the_same_keys_as_every_field() {
        let mut input = TextInput::line("", LINE_CHARS);
        typed(&mut input, "backup the nas");
        press(&mut input, &[ctrl('w')]);
        assert_eq!(input.text(), "backup the ");
        typed(&mut input, "NAS");
        press(
            &mut input,
            &[
                plain(KeyCode::Home),
                plain(KeyCode::Delete),
                (KeyCode::Right, KeyModifiers::CONTROL),
            ],
        );
        typed(&mut input, "!");
        assert_eq!(
            input.text(),
            "ackup !the NAS",
            "a word right is the next word's start"
        );
        assert_eq!(input.cursor(), (0, 7));
        press(
            &mut input,
            &[plain(KeyCode::End), plain(KeyCode::Backspace), ctrl('u')],
        );
        assert_eq!(input.text(), "");
        press(&mut input, &[ctrl('z')]);
        assert_eq!(input.text(), "ackup !the NA");
        assert_eq!(
            press(&mut input, &[plain(KeyCode::Tab), plain(KeyCode::Up)]),
            [Outcome::Ignored, Outcome::Ignored],
            "a line leaves Tab and ↑ to its form"
        );
        assert_eq!(
            press(&mut input, &[plain(KeyCode::Enter)]),
            [Outcome::Saved]
        );
        assert_eq!(
            press(&mut input, &[plain(KeyCode::Esc)]),
            [Outcome::Cancelled]
        );
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        let mut input = TextInput::line("", 3);
        typed(&mut input, "点検表");
        assert_eq!(
            input.handle(KeyEvent::from(KeyCode::Char('x'))),
            Outcome::Full
        );
        assert_eq!(input.text(), "点検表");
        let mut note = TextInput::note("", 4);
        assert_eq!(note.paste("ab\r\ncd"), Outcome::Full);
        assert_eq!(note.text(), "ab\nc");
        let mut line = TextInput::line("", LINE_CHARS);
        assert_eq!(line.paste("a\nb\u{1b}[2Jc\t"), Outcome::Changed);
        assert_eq!(
            line.text(),
            "a b[2Jc ",
            "no line break, no escape in a line"
        );
    }

    #[test]
    fn a_note_takes_new_lines_and_asks_before_dropping_changes() {
        let mut note = TextInput::note("first", NOTE_CHARS);
        assert_eq!(note.cursor(), (0, 5));
        press(&mut note, &[(KeyCode::Enter, KeyModifiers::ALT)]);
        typed(&mut note, "second");
        press(&mut note, &[ctrl('j')]);
        typed(&mut note, "third");
        assert_eq!(note.text(), "first\nsecond\nthird");
        assert_eq!(note.chars(), 18);
        assert_eq!(press(&mut note, &[plain(KeyCode::Up)]), [Outcome::Moved]);
        assert_eq!(note.cursor(), (1, 5));
        assert_eq!(
            press(&mut note, &[plain(KeyCode::Esc)]),
            [Outcome::CancelAsked]
        );
        typed(&mut note, "!");
        assert_eq!(
            press(&mut note, &[plain(KeyCode::Esc)]),
            [Outcome::CancelAsked]
        );
        assert_eq!(
            press(&mut note, &[plain(KeyCode::Esc)]),
            [Outcome::Cancelled]
        );
        let mut unchanged = TextInput::note("kept", NOTE_CHARS);
        assert_eq!(
            press(&mut unchanged, &[plain(KeyCode::Esc)]),
            [Outcome::Cancelled]
        );
    }

    #[test]
    fn restored_text_is_a_change_with_its_cursor() {
        let mut note = TextInput::note("old", NOTE_CHARS);
        note.restore("half a\nsentence", (1, 4));
        assert_eq!(note.text(), "half a\nsentence");
        assert_eq!(note.cursor(), (1, 4));
        assert!(note.is_changed());
        typed(&mut note, "!");
        assert_eq!(note.text(), "half a\nsent!ence");
        let mut line = TextInput::line("", LINE_CHARS);
        line.restore("a\nb", (0, 9));
        assert_eq!((line.text().as_str(), line.cursor()), ("a b", (0, 3)));
    }

    #[test]
    fn the_cursor_can_be_put_back_where_it_was() {
        let mut note = TextInput::note("one\ntwo words", NOTE_CHARS);
        note.set_cursor((1, 3));
        typed(&mut note, "!");
        assert_eq!(note.text(), "one\ntwo! words");
        assert_eq!(note.cursor(), (1, 4));
    }

    #[test]
    fn a_long_line_scrolls_to_keep_the_cursor_in_view() {
        let mut input = TextInput::line("", LINE_CHARS);
        typed(&mut input, "情報セキュリティ対策の記録");
        let area = Rect::new(0, 0, 10, 1);
        let mut buf = Buffer::empty(area);
        input.render(area, &mut buf, Style::new(), Style::new());
        let shown: String = (0..10).map(|x| buf[(x, 0)].symbol().to_owned()).collect();
        // A wide character's second cell is blank in the buffer.
        assert!(shown.replace(' ', "").ends_with("記録"), "{shown:?}");
    }

    fn rows(input: &mut TextInput, w: u16, h: u16) -> Vec<String> {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        input.render(area, &mut buf, Style::new(), Style::new());
        (0..h)
            .map(|y| {
                (0..w)
                    .map(|x| buf[(x, y)].symbol().to_owned())
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn hidden_characters_show_escaped_and_stay_in_the_text() {
        let text = "evil\u{1b}[2J\u{202e}x";
        let mut input = TextInput::line(text, LINE_CHARS);
        let shown = rows(&mut input, 40, 1);
        assert_eq!(shown, [r"evil\u{1b}[2J\u{202e}x"]);
        assert_eq!(input.text(), text, "the text keeps what it holds");
    }

    #[test]
    fn a_note_wraps_at_spaces_and_scrolls_to_the_cursor() {
        let mut note = TextInput::note("one two three four", NOTE_CHARS);
        assert_eq!(
            rows(&mut note, 9, 2),
            ["three", "four"],
            "the cursor's row in view"
        );
        note.set_cursor((0, 0));
        assert_eq!(rows(&mut note, 9, 2), ["one two", "three"]);
        let mut japanese = TextInput::note("点検表の記録です", NOTE_CHARS);
        japanese.set_cursor((0, 0));
        assert_eq!(rows(&mut japanese, 7, 3), ["点 検 表", "の 記 録", "で す"]);
    }
}
