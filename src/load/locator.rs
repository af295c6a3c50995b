//! Finding things in a RON source by text, for diagnostics found after
//! parsing (duplicate ids, unknown references).

/// Finds where things are in a RON source, for diagnostics found after
/// parsing (duplicate ids, unknown references).
pub struct Locator<'a> {
    src: &'a str,
}

impl<'a> Locator<'a> {
    /// Wraps a source text.
    pub fn new(src: &'a str) -> Self {
        Self { src }
    }

    /// Returns the 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let before = &self.src[..offset.min(self.src.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    pub(super) fn end(&self) -> (usize, usize) {
        self.position(self.src.len())
    }

    /// Returns the byte offset of a 1-based line and character column.
    pub fn offset(&self, line: usize, col: usize) -> Option<usize> {
        let start = if line <= 1 {
            0
        } else {
            self.src.match_indices('\n').nth(line - 2)?.0 + 1
        };
        let text = &self.src[start..];
        let text = &text[..text.find('\n').unwrap_or(text.len())];
        let within = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .nth(col.checked_sub(1)?)?;
        Some(start + within)
    }

    /// Returns the offset of the literal `"value"` given as `field: "value"`,
    /// at or after `from`.
    pub fn field(&self, from: usize, field: &str, value: &str) -> Option<usize> {
        self.literal(from, &format!("\"{value}\""), |before, _| {
            preceded_by_field(before, field)
        })
    }

    /// Returns the offset of `field: 'c'`, at or after `from`.
    pub fn char_field(&self, from: usize, field: &str, c: char) -> Option<usize> {
        let lit = match c {
            '\'' => "'\\''".to_owned(),
            '\\' => "'\\\\'".to_owned(),
            c => format!("'{c}'"),
        };
        self.literal(from, &lit, |before, _| preceded_by_field(before, field))
    }

    /// Returns the offset of the map key `"value":`, at or after `from`.
    pub fn key(&self, from: usize, value: &str) -> Option<usize> {
        self.literal(from, &format!("\"{value}\""), |_, after| {
            after.trim_start().starts_with(':')
        })
    }

    /// Returns the offset of the field name `field:`, at or after `from`.
    pub fn field_name(&self, from: usize, field: &str) -> Option<usize> {
        self.literal(from, field, |before, after| {
            !before.ends_with(is_ident_char) && after.trim_start().starts_with(':')
        })
    }

    /// Returns the offset of the literal `"value"` anywhere after `from`,
    /// first as the value of `field`, then as any string literal.
    pub fn any(&self, from: usize, field: &str, value: &str) -> Option<usize> {
        self.field(from, field, value)
            .or_else(|| self.string(from, value))
    }

    /// Returns the offset of the string literal `"value"`, at or after `from`.
    pub fn string(&self, from: usize, value: &str) -> Option<usize> {
        self.literal(from, &format!("\"{value}\""), |_, _| true)
    }

    fn literal(
        &self,
        from: usize,
        needle: &str,
        accept: impl Fn(&str, &str) -> bool,
    ) -> Option<usize> {
        let from = from.min(self.src.len());
        let mut start = from;
        while let Some(rel) = self.src.get(start..)?.find(needle) {
            let at = start + rel;
            if accept(&self.src[..at], &self.src[at + needle.len()..]) {
                return Some(at);
            }
            start = at + needle.len();
        }
        None
    }
}

pub(super) fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn preceded_by_field(before: &str, field: &str) -> bool {
    let Some(rest) = before.trim_end().strip_suffix(':') else {
        return false;
    };
    let Some(head) = rest.trim_end().strip_suffix(field) else {
        return false;
    };
    !head.ends_with(is_ident_char)
}
