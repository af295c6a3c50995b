//! Text written to stdout as a command makes it, piece by piece, with the
//! same last defence [`super::print`] applies to a whole text: a long
//! output (ten thousand lines of a trend) is never held whole.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::escape::{Policy, escape};

/// A writer of text pieces: what it writes is what [`super::print`] writes
/// for the pieces joined, however the text is cut (a byte-order mark opening
/// the output is kept; every other hidden character is escaped under
/// [`Policy::Output`], a carriage return kept only right before a line
/// feed, even when a cut falls between the two).
pub struct TextOut<W: Write> {
    out: W,
    /// Nothing written yet: a byte-order mark opening the next piece opens
    /// the output.
    at_start: bool,
    /// The last piece ended in a carriage return, which stays one only if
    /// the next character is a line feed.
    held_cr: bool,
    /// The first write that failed; nothing more is written after it.
    error: Option<io::Error>,
}

impl<W: Write> TextOut<W> {
    /// Returns a writer of pieces to `out`.
    pub fn new(out: W) -> Self {
        Self {
            out,
            at_start: true,
            held_cr: false,
            error: None,
        }
    }

    /// Writes the next piece of the text.
    pub fn piece(&mut self, text: &str) {
        if text.is_empty() || self.error.is_some() {
            return;
        }
        let mut text = text;
        if self.at_start {
            self.at_start = false;
            if let Some(rest) = text.strip_prefix('\u{feff}') {
                self.write("\u{feff}");
                text = rest;
            }
        }
        if self.held_cr {
            self.held_cr = false;
            self.write(if text.starts_with('\n') { "\r" } else { "\\r" });
        }
        let body = match text.strip_suffix('\r') {
            Some(body) => {
                self.held_cr = true;
                body
            }
            None => text,
        };
        match escape(body, Policy::Output) {
            Cow::Borrowed(s) => self.write(s),
            Cow::Owned(s) => self.write(&s),
        }
    }

    /// Ends the text and flushes it; returns the first error met.
    pub fn finish(mut self) -> io::Result<()> {
        if self.held_cr {
            self.held_cr = false;
            self.write("\\r");
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()
    }

    fn write(&mut self, s: &str) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(s.as_bytes())
        {
            self.error = Some(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `cli::print` wrote for a whole text before it wrote through
    /// [`TextOut`].
    fn printed(text: &str) -> String {
        let (bom, rest) = match text.strip_prefix('\u{feff}') {
            Some(rest) => ("\u{feff}", rest),
            None => ("", text),
        };
        format!("{bom}{}", escape(rest, Policy::Output))
    }

    fn pieces_written(pieces: &[&str]) -> String {
        let mut bytes = Vec::new();
        let mut out = TextOut::new(&mut bytes);
        for p in pieces {
            out.piece(p);
        }
        out.finish().unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_carriage_return_cut_from_its_line_feed_stays_one() {
        assert_eq!(pieces_written(&["a\r", "\nb"]), "a\r\nb");
        assert_eq!(pieces_written(&["a\r", "", "\nb\r"]), "a\r\nb\\r");
        assert_eq!(pieces_written(&["a\r", "b"]), "a\\rb");
        assert_eq!(
            pieces_written(&["", "\u{feff}x", "\u{feff}"]),
            "\u{feff}x\\u{feff}"
        );
    }

    proptest::proptest! {
        /// However a text is cut, the pieces come out as the whole would.
        #[test]
        fn pieces_come_out_as_the_whole_text(
            text in "[a\\r\\n\\t\u{feff}\u{1b}\u{202e}名]{0,24}",
            cuts in proptest::collection::vec(0usize..25, 0..6),
        ) {
            let mut at: Vec<usize> = cuts
                .into_iter()
                .filter(|&c| c <= text.len() && text.is_char_boundary(c))
                .collect();
            at.sort_unstable();
            let mut pieces = Vec::new();
            let mut from = 0;
            for c in at {
                pieces.push(&text[from..c]);
                from = c;
            }
            pieces.push(&text[from..]);
            proptest::prop_assert_eq!(pieces_written(&pieces), printed(&text));
        }
    }
}
