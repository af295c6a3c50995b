//! A small, strict CSV reader (RFC 4180 as spreadsheets write it): comma
//! separated, fields optionally in double quotes, `""` for a quote inside
//! quotes, quoted fields may hold commas and line breaks. Accepts a UTF-8
//! byte order mark and CRLF or LF line ends. Pure: parses a string.

use crate::msg::Message;
use crate::msg::load::answers as words;

/// One record with the line it starts on (1-based, counting physical lines,
/// so a record after a quoted line break reports its real line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The line of the file the record starts on.
    pub line: usize,
    /// The fields, unquoted.
    pub fields: Vec<String>,
    /// Where each field starts: its 1-based line and column (in
    /// characters), which differ from the record's line after a quoted
    /// line break.
    pub starts: Vec<(usize, usize)>,
}

/// A CSV syntax error and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    /// The 1-based line.
    pub line: usize,
    /// The 1-based column in characters.
    pub col: usize,
    /// What is wrong.
    pub message: Message,
}

/// Parses `src` into records; blank lines are skipped.
pub fn parse(src: &str) -> Result<Vec<Record>, CsvError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut cur = Cursor {
        chars: src.chars().peekable(),
        line: 1,
        col: 1,
    };
    let mut records = Vec::new();
    loop {
        let start_line = cur.line;
        let (fields, more) = cur.record()?;
        if let Some((fields, starts)) = fields {
            records.push(Record {
                line: start_line,
                fields,
                starts,
            });
        }
        if !more {
            return Ok(records);
        }
    }
}

/// The reader's position in the source.
struct Cursor<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    col: usize,
}

impl Cursor<'_> {
    /// Reads one record up to and including its line end; returns its
    /// fields with where each starts (`None` for a blank line), and
    /// whether anything follows.
    #[allow(clippy::type_complexity)] // a private step of `parse`
    fn record(&mut self) -> Result<(Option<(Vec<String>, Vec<(usize, usize)>)>, bool), CsvError> {
        let mut fields = Vec::new();
        let mut starts = vec![(self.line, self.col)];
        let mut field = String::new();
        let mut quoted = false;
        let mut at_field_start = true;
        let mut blank = true;
        let more = loop {
            let Some(c) = self.chars.next() else {
                break false;
            };
            match c {
                '"' if at_field_start => {
                    blank = false;
                    at_field_start = false;
                    quoted = true;
                    self.quoted(&mut field)?;
                }
                ',' => {
                    blank = false;
                    fields.push(std::mem::take(&mut field));
                    quoted = false;
                    at_field_start = true;
                    self.col += 1;
                    starts.push((self.line, self.col));
                }
                '\r' if self.chars.peek() == Some(&'\n') => {
                    self.chars.next();
                    self.newline();
                    break true;
                }
                '\n' => {
                    self.newline();
                    break true;
                }
                other => {
                    if quoted {
                        return Err(self.error(words::after_closing_quote(&shown(other))));
                    }
                    if other == '"' {
                        return Err(self.error(words::quote_in_plain_field()));
                    }
                    blank = false;
                    at_field_start = false;
                    field.push(other);
                    self.col += 1;
                }
            }
        };
        if blank {
            return Ok((None, more));
        }
        fields.push(field);
        Ok((Some((fields, starts)), more))
    }

    /// Reads a quoted field after its opening quote, through the closing one.
    fn quoted(&mut self, field: &mut String) -> Result<(), CsvError> {
        let (open_line, open_col) = (self.line, self.col);
        self.col += 1;
        loop {
            match self.chars.next() {
                None => {
                    return Err(CsvError {
                        line: open_line,
                        col: open_col,
                        message: words::never_closed(),
                    });
                }
                Some('"') if self.chars.peek() == Some(&'"') => {
                    self.chars.next();
                    field.push('"');
                    self.col += 2;
                }
                Some('"') => {
                    self.col += 1;
                    return Ok(());
                }
                Some('\r') if self.chars.peek() == Some(&'\n') => {
                    self.chars.next();
                    field.push('\n');
                    self.newline();
                }
                Some('\n') => {
                    field.push('\n');
                    self.newline();
                }
                Some(other) => {
                    field.push(other);
                    self.col += 1;
                }
            }
        }
    }

    fn newline(&mut self) {
        self.line += 1;
        self.col = 1;
    }

    fn error(&self, message: Message) -> CsvError {
        CsvError {
            line: self.line,
            col: self.col,
            message,
        }
    }
}

fn shown(c: char) -> String {
    if c.is_control() {
        format!("`{}`", c.escape_default())
    } else {
        format!("`{c}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(src: &str) -> Vec<(usize, Vec<String>)> {
        parse(src)
            .unwrap()
            .into_iter()
            .map(|r| (r.line, r.fields))
            .collect()
    }

    fn row(line: usize, f: &[&str]) -> (usize, Vec<String>) {
        (line, f.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn reads_plain_and_quoted_fields() {
        assert_eq!(
            fields("item,choice,note\n1,yes,\n2,no,\"a, b\"\n"),
            vec![
                row(1, &["item", "choice", "note"]),
                row(2, &["1", "yes", ""]),
                row(3, &["2", "no", "a, b"]),
            ]
        );
    }

    #[test]
    fn accepts_bom_crlf_quotes_and_line_breaks_in_quotes() {
        let src = "\u{feff}item,choice,note\r\n1,no,\"first line\r\nsecond \"\"quoted\"\"\"\r\n\r\n2,yes,x\r\n";
        assert_eq!(
            fields(src),
            vec![
                row(1, &["item", "choice", "note"]),
                row(2, &["1", "no", "first line\nsecond \"quoted\""]),
                row(5, &["2", "yes", "x"]),
            ]
        );
        // No final line break, and an empty last field.
        assert_eq!(fields("a,"), vec![row(1, &["a", ""])]);
        assert_eq!(fields(""), Vec::new());
        assert_eq!(fields("名前,\"日本語\""), vec![row(1, &["名前", "日本語"])]);
    }

    #[test]
    fn records_where_each_field_starts() {
        let records = parse("a,\"b,c\",d\n\"x\ny\",z\n名前,値\n").unwrap();
        assert_eq!(records[0].starts, [(1, 1), (1, 3), (1, 9)]);
        // A field after a quoted line break starts on a later line.
        assert_eq!(
            (records[1].line, records[1].starts.clone()),
            (2, vec![(2, 1), (3, 4)])
        );
        // Columns count characters, not bytes.
        assert_eq!(records[2].starts, [(4, 1), (4, 4)]);
    }

    #[test]
    fn reports_malformed_quotes_with_their_position() {
        let err = parse("a,b\n1,\"open\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 3));
        assert_eq!(err.message.to_string(), "quoted field is never closed");
        let err = parse("1,\"x\"y\n").unwrap_err();
        assert_eq!((err.line, err.col), (1, 6));
        let err = parse("1,x\"y\n").unwrap_err();
        assert_eq!((err.line, err.col), (1, 4));
    }
}
