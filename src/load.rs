//! Reading RON files into the model and validating them. Every problem is a
//! `Diagnostic` (`path:line:column: message`); validation collects all of
//! them instead of stopping at the first. Reads files, never writes.

pub mod answers;
pub mod csv;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::Diagnostic;
use crate::model::{
    Config, FORMAT, Id, Inspection, Profile, RiskAssessment, Run, Selector, Subjects, Text,
};

/// The largest file tenken reads, in bytes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Keys the walker uses for navigation; a choice must not take one.
pub const RESERVED_KEYS: &[char] = &[
    'j', 'k', 'h', 'l', 'n', 'e', 's', 'b', 'g', 'f', 'q', 'a', 'c', '?', ' ',
];

/// The deepest nesting a RON file may have before it is refused.
const RECURSION_LIMIT: usize = 64;

/// The most items a template may have. The largest real checklists (a
/// control catalogue) have a few hundred; the limit keeps every screen and
/// comparison quick.
pub const MAX_ITEMS: usize = 2_000;

/// The longest note an answer may carry, in bytes.
pub const MAX_NOTE_BYTES: usize = 64 * 1024;

/// Returns a message when the note of `item` is longer than [`MAX_NOTE_BYTES`].
pub fn note_too_long(item: &Id, note: &str) -> Option<String> {
    (note.len() > MAX_NOTE_BYTES).then(|| {
        format!(
            "the note of item `{item}` is {} bytes; the limit is {MAX_NOTE_BYTES} bytes",
            note.len()
        )
    })
}

/// Parses `src` (the contents of `path`) as a `T`.
///
/// Syntax errors, unknown or missing fields and invalid ids come back with
/// the line and column ron reports, moved to where a person would look:
/// a missing comma at the end of the value before it, a bad id at its
/// opening quote.
pub fn parse<T: DeserializeOwned>(path: &Path, src: &str) -> Result<T, Diagnostic> {
    let options = ron::Options::default().with_recursion_limit(RECURSION_LIMIT);
    options.from_str(src).map_err(|e| {
        let (mut line, mut col) = (e.span.start.line.max(1), e.span.start.col.max(1));
        let loc = Locator::new(src);
        let mut message = describe_ron_error(&e.code);
        match &e.code {
            ron::Error::Eof => {
                (line, col) = (e.span.end.line.max(1), e.span.end.col.max(1));
            }
            ron::Error::ExpectedComma => {
                // ron notices the missing comma at the next token, often on
                // the next line; the comma belongs after the previous value.
                if let Some(offset) = loc.offset(line, col) {
                    (line, col) = loc.position(end_of_previous_token(src, offset));
                }
            }
            ron::Error::Message(_) => {
                // A value refused by its type (an `Id`, a date): ron points
                // inside the string or at its end; point at its opening quote.
                let literal = loc.offset(line, col).and_then(|o| string_around(src, o));
                if let Some(literal) = literal {
                    (line, col) = loc.position(literal.start);
                    // Messages such as chrono's "input is out of range" do
                    // not say which value they mean; ids' own messages do.
                    if !message.contains('`') {
                        message = describe_bad_value(src, literal, &message);
                    }
                }
            }
            _ => {}
        }
        Diagnostic {
            path: path.to_owned(),
            line,
            col,
            message,
        }
    })
}

/// Names the string literal at `literal` (quotes included) and the field it
/// is the value of in a message about it.
fn describe_bad_value(src: &str, literal: std::ops::Range<usize>, message: &str) -> String {
    let text = &src[literal.clone()];
    // `"…"` opens and closes with one byte, `r##"…"##` with 2 + n and 1 + n.
    let (open, close) = text.strip_prefix('r').map_or((1, 1), |raw| {
        let hashes = raw.chars().take_while(|c| *c == '#').count();
        (2 + hashes, 1 + hashes)
    });
    let value = escape(
        text.get(open..text.len().saturating_sub(close))
            .unwrap_or(text),
    );
    let field = src[..literal.start]
        .trim_end()
        .strip_suffix(':')
        .map(str::trim_end)
        .map(|head| {
            let start = head
                .char_indices()
                .rev()
                .find(|&(_, c)| !is_ident_char(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            &head[start..]
        })
        .filter(|f| !f.is_empty());
    match field {
        Some(field) => format!("invalid value `{value}` for `{field}`: {message}"),
        None => format!("invalid value `{value}`: {message}"),
    }
}

fn describe_ron_error(code: &ron::Error) -> String {
    let list = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let within = |outer: &Option<String>| {
        outer
            .as_ref()
            .map_or_else(String::new, |o| format!(" in `{o}`"))
    };
    match code {
        ron::Error::ExceededRecursionLimit => {
            format!("nested more than {RECURSION_LIMIT} levels deep")
        }
        ron::Error::Eof => "unexpected end of file".into(),
        ron::Error::ExpectedComma => "expected `,` (or a closing bracket) after this value".into(),
        ron::Error::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "unknown field `{}`{}; known fields: {}",
            escape(found),
            within(outer),
            list(expected)
        ),
        ron::Error::MissingStructField { field, outer } => {
            format!("missing field `{field}`{}", within(outer))
        }
        ron::Error::DuplicateStructField { field, outer } => {
            format!("field `{field}` appears twice{}", within(outer))
        }
        ron::Error::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => format!(
            "unknown variant `{}`{}; known variants: {}",
            escape(found),
            within(outer),
            list(expected)
        ),
        other => {
            // ron quotes with double quotes, starts with a capital and ends
            // some messages with a period; tenken quotes with backticks and
            // writes diagnostics as lower-case clauses.
            let text = other.to_string();
            let text = text.trim_end_matches('.').replace('"', "`");
            let mut chars = text.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_lowercase().chain(chars).collect()
            })
        }
    }
}

/// Returns the byte offset just after the last token that ends at or
/// before `offset`; 0 if there is none.
fn end_of_previous_token(src: &str, offset: usize) -> usize {
    tokens(src)
        .take_while(|t| t.end <= offset)
        .last()
        .map_or(0, |t| t.end)
}

/// Returns the byte range of the string literal, quotes included, that
/// `offset` falls inside (its closing quote included).
fn string_around(src: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    tokens(src)
        .take_while(|t| t.start < offset)
        .find(|t| offset < t.end && matches!(src.as_bytes()[t.start], b'"' | b'r'))
}

/// Splits RON source into its tokens, as byte ranges: each string or char
/// literal is one token, whitespace and comments are none, and every other
/// character is a token of its own (enough to locate things, not to parse).
fn tokens(src: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = src.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let start = i;
            match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = src[i..].find('\n').map_or(bytes.len(), |n| i + n);
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    // RON block comments nest.
                    let mut depth = 0usize;
                    while i < bytes.len() {
                        if src[i..].starts_with("/*") {
                            depth += 1;
                            i += 2;
                        } else if src[i..].starts_with("*/") {
                            depth -= 1;
                            i += 2;
                            if depth == 0 {
                                break;
                            }
                        } else {
                            i += 1;
                        }
                    }
                    continue;
                }
                b if b.is_ascii_whitespace() => {
                    i += 1;
                    continue;
                }
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'r' if {
                    let hashes = bytes[i + 1..].iter().take_while(|b| **b == b'#').count();
                    bytes.get(i + 1 + hashes) == Some(&b'"')
                } =>
                {
                    let hashes = bytes[i + 1..].iter().take_while(|b| **b == b'#').count();
                    let close = format!("\"{}", "#".repeat(hashes));
                    let body = i + 2 + hashes;
                    i = src
                        .get(body..)
                        .and_then(|rest| rest.find(&close))
                        .map_or(bytes.len(), |n| body + n + close.len());
                }
                b'\'' => {
                    i += 1;
                    if bytes.get(i) == Some(&b'\\') {
                        // Skip the escaped character, which may be a quote.
                        i += 2;
                    }
                    while i < bytes.len() && bytes[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
            // Land on a character boundary even if a literal was cut short.
            i = i.min(bytes.len());
            while !src.is_char_boundary(i) {
                i += 1;
            }
            return Some(start..i);
        }
        None
    })
}

/// Reads a file, refusing one larger than [`MAX_FILE_BYTES`].
pub fn read(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let at = |message: String| Diagnostic {
        path: shown.to_owned(),
        line: 1,
        col: 1,
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| at(format!("cannot read: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(at(format!(
            "file is {} bytes; the limit is {MAX_FILE_BYTES} bytes",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| at(format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, col) = Locator::new(&String::from_utf8_lossy(
            &e.as_bytes()[..e.utf8_error().valid_up_to()],
        ))
        .end();
        Diagnostic {
            path: shown.to_owned(),
            line,
            col,
            message: "not valid UTF-8".into(),
        }
    })
}

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

    fn end(&self) -> (usize, usize) {
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

fn is_ident_char(c: char) -> bool {
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

/// Collects diagnostics for one file.
struct Report<'a> {
    path: &'a Path,
    loc: Locator<'a>,
    out: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    fn new(path: &'a Path, src: &'a str) -> Self {
        Self {
            path,
            loc: Locator::new(src),
            out: Vec::new(),
        }
    }

    fn at(&mut self, offset: Option<usize>, message: impl Into<String>) {
        let (line, col) = offset.map_or((1, 1), |o| self.loc.position(o));
        self.out.push(Diagnostic {
            path: self.path.to_owned(),
            line,
            col,
            message: message.into(),
        });
    }

    fn format(&mut self, format: u32) {
        if format != FORMAT {
            let at = self.loc.field_name(0, "format");
            self.at(
                at,
                format!("format {format} is not supported; this tenken reads format {FORMAT}"),
            );
        }
    }

    fn text(&mut self, offset: Option<usize>, what: &str, text: &Text) {
        if text.is_empty() {
            self.at(
                offset,
                format!("{what} has neither Japanese (`ja`) nor English (`en`) text"),
            );
        }
    }
}

/// Validates a parsed template against its source text.
///
/// `stem` is the file name without `.ron`; the template id must equal it.
pub fn validate_inspection(
    path: &Path,
    src: &str,
    insp: &Inspection,
    stem: Option<&str>,
) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(insp.format);
    let id_at = r.loc.field(0, "id", insp.id.as_str());
    if let Some(stem) = stem
        && stem != insp.id.as_str()
    {
        r.at(
            id_at,
            format!(
                "inspection id `{}` does not match the file name `{stem}.ron`",
                insp.id
            ),
        );
    }
    if insp.version == 0 {
        let at = r.loc.field_name(0, "version");
        r.at(at, "version must be 1 or more");
    }
    let title_at = r.loc.field_name(0, "title");
    r.text(title_at, "the inspection title", &insp.title);
    if insp.source.trim().is_empty() {
        let at = r.loc.field_name(0, "source");
        r.at(at, "`source` must name where the checklist comes from");
    }
    if insp.item_count() > MAX_ITEMS {
        // Checked before anything per item, so a huge template is refused
        // with one message and quickly.
        let at = r.loc.field_name(0, "sections");
        r.at(
            at,
            format!(
                "the inspection has {} items; the limit is {MAX_ITEMS}",
                insp.item_count()
            ),
        );
        return r.out;
    }
    check_scales(&mut r, insp);
    check_sections(&mut r, insp);
    check_bands(&mut r, insp);
    r.out
}

/// Checks the scales: choice ids and keys unique, keys free of the
/// walker's navigation keys, every label present.
fn check_scales(r: &mut Report<'_>, insp: &Inspection) {
    for (name, choices) in &insp.scales {
        let start = r.loc.key(0, name.as_str()).unwrap_or(0);
        if choices.is_empty() {
            r.at(Some(start), format!("scale `{name}` has no choices"));
        }
        if !choices.iter().any(|c| c.points.is_some()) && !choices.is_empty() {
            r.at(
                Some(start),
                format!("scale `{name}` has no choice with points"),
            );
        }
        let mut ids = HashSet::new();
        let mut keys = HashSet::new();
        let mut cursor = start;
        for choice in choices {
            let at = r.loc.field(cursor, "id", choice.id.as_str());
            if let Some(at) = at {
                cursor = at + 1;
            }
            if !ids.insert(choice.id.clone()) {
                r.at(
                    at,
                    format!("duplicate choice id `{}` in scale `{name}`", choice.id),
                );
            }
            let key_at = r.loc.char_field(cursor, "key", choice.key).or(at);
            if RESERVED_KEYS.contains(&choice.key) {
                r.at(
                    key_at,
                    format!(
                        "choice key `{}` of `{}` clashes with a walker navigation key; the walker reserves {} and space",
                        choice.key.escape_default(),
                        choice.id,
                        RESERVED_KEYS
                            .iter()
                            .filter(|c| **c != ' ')
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                );
            } else if choice.key.is_control()
                || choice.key.is_whitespace()
                || choice.key.is_uppercase()
            {
                r.at(
                    key_at,
                    format!(
                        "choice key of `{}` must be a visible lower-case character",
                        choice.id
                    ),
                );
            }
            if !keys.insert(choice.key) {
                r.at(
                    key_at,
                    format!(
                        "duplicate choice key `{}` in scale `{name}`",
                        choice.key.escape_default()
                    ),
                );
            }
            let label_at = at.and_then(|a| r.loc.field_name(a, "label")).or(at);
            r.text(
                label_at,
                &format!("the label of choice `{}`", choice.id),
                &choice.label,
            );
        }
    }
}

/// Checks sections and items: ids unique, titles present, scales and
/// `note_required_for` choices known.
fn check_sections(r: &mut Report<'_>, insp: &Inspection) {
    let mut section_ids = HashSet::new();
    let mut item_ids = HashSet::new();
    let mut cursor = r.loc.field_name(0, "sections").unwrap_or(0);
    if insp.sections.is_empty() || insp.item_count() == 0 {
        r.at(Some(cursor), "the inspection has no items");
    }
    for section in &insp.sections {
        let at = r.loc.field(cursor, "id", section.id.as_str());
        if let Some(at) = at {
            cursor = at + 1;
        }
        if !section_ids.insert(section.id.clone()) {
            r.at(at, format!("duplicate section id `{}`", section.id));
        }
        let title_at = at.and_then(|a| r.loc.field_name(a, "title")).or(at);
        r.text(
            title_at,
            &format!("the title of section `{}`", section.id),
            &section.title,
        );
        for item in &section.items {
            let at = r.loc.field(cursor, "id", item.id.as_str());
            if let Some(at) = at {
                cursor = at + 1;
            }
            if !item_ids.insert(item.id.clone()) {
                r.at(at, format!("duplicate item id `{}`", item.id));
            }
            let title_at = at.and_then(|a| r.loc.field_name(a, "title")).or(at);
            r.text(
                title_at,
                &format!("the title of item `{}`", item.id),
                &item.title,
            );
            if item.weight == 0 {
                let w = r.loc.field_name(cursor, "weight");
                r.at(
                    w,
                    format!(
                        "item `{}` has weight 0; use a not-applicable choice instead",
                        item.id
                    ),
                );
            }
            match insp.scales.get(&item.scale) {
                None => {
                    let s = r.loc.field(cursor, "scale", item.scale.as_str());
                    r.at(
                        s,
                        format!("item `{}` uses unknown scale `{}`", item.id, item.scale),
                    );
                }
                Some(choices) => {
                    for need in &item.note_required_for {
                        if !choices.iter().any(|c| &c.id == need) {
                            let list = r.loc.field_name(cursor, "note_required_for");
                            let n = r.loc.string(list.unwrap_or(cursor), need.as_str());
                            r.at(
                                n,
                                format!(
                                    "item `{}` requires a note for unknown choice `{need}` (scale `{}`)",
                                    item.id, item.scale
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Checks the bands: strictly descending, every label present.
fn check_bands(r: &mut Report<'_>, insp: &Inspection) {
    let bands_at = r.loc.field_name(0, "bands");
    let mut prev: Option<i32> = None;
    let mut band_cursor = bands_at.unwrap_or(0);
    for band in &insp.bands {
        let at = r.loc.field_name(band_cursor, "min_percent");
        if let Some(at) = at {
            band_cursor = at + 1;
        }
        if let Some(p) = prev
            && band.min_percent >= p
        {
            r.at(
                at,
                format!(
                    "bands out of order: `min_percent` {} follows {p}; list bands from the highest down",
                    band.min_percent
                ),
            );
        }
        let label_at = at.and_then(|a| r.loc.field_name(a, "label")).or(at);
        r.text(label_at, "a band label", &band.label);
        prev = Some(band.min_percent);
    }
}

/// The template a run is checked against.
#[derive(Debug, Clone, Copy)]
pub enum RunTemplate<'a> {
    /// The template at the version the run names.
    Found(&'a Inspection),
    /// The inspection exists, but not at the version the run names.
    NoSuchVersion {
        /// The version in `inspections/`.
        current: u32,
    },
    /// No inspection has the id the run names.
    NoSuchInspection,
    /// The template file is itself invalid (and reported on its own), so
    /// answers are not checked against it.
    Unchecked,
}

/// Validates a parsed run against its source, its template and the register.
///
/// `subjects` is `None` when `subjects.ron` is itself invalid; the subject
/// is then not checked.
pub fn validate_run(
    path: &Path,
    src: &str,
    run: &Run,
    template: RunTemplate<'_>,
    subjects: Option<&Subjects>,
) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(run.format);
    if subjects.is_some_and(|s| s.get(run.subject.as_str()).is_none()) {
        let at = r.loc.field(0, "subject", run.subject.as_str());
        r.at(
            at,
            format!("subject `{}` is not in subjects.ron", run.subject),
        );
    }
    let insp = match template {
        RunTemplate::Found(insp) => insp,
        RunTemplate::Unchecked => return r.out,
        RunTemplate::NoSuchInspection => {
            let at = r.loc.field(0, "inspection", run.inspection.as_str());
            r.at(at, format!("unknown inspection `{}`", run.inspection));
            return r.out;
        }
        RunTemplate::NoSuchVersion { current } => {
            let at = r.loc.field_name(0, "inspection_version");
            r.at(
                at,
                format!(
                    "inspection `{}` has no version {} (the current version is {current})",
                    run.inspection, run.inspection_version
                ),
            );
            return r.out;
        }
    };
    let answers_at = r.loc.field_name(0, "answers").unwrap_or(0);
    for (item_id, answer) in &run.answers {
        let at = r.loc.key(answers_at, item_id.as_str());
        if let Some(message) = note_too_long(item_id, &answer.note) {
            r.at(at, message);
        }
        let Some(item) = insp.item(item_id.as_str()) else {
            r.at(
                at,
                format!("unknown item `{item_id}` in inspection `{}`", insp.id),
            );
            continue;
        };
        if insp.choice(item, answer.choice.as_str()).is_none() {
            let c = r
                .loc
                .field(at.unwrap_or(answers_at), "choice", answer.choice.as_str())
                .or(at);
            let allowed: Vec<String> = insp
                .choices(item)
                .iter()
                .map(|c| format!("`{}`", c.id))
                .collect();
            r.at(
                c,
                format!(
                    "unknown choice `{}` for item `{item_id}`; allowed: {}",
                    answer.choice,
                    allowed.join(", ")
                ),
            );
        }
    }
    r.out
}

/// Validates the subject register.
pub fn validate_subjects(path: &Path, src: &str, subjects: &Subjects) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(subjects.format);
    let mut seen = HashSet::new();
    let mut cursor = 0;
    for s in &subjects.subjects {
        let at = r.loc.field(cursor, "id", s.id.as_str());
        if let Some(at) = at {
            cursor = at + 1;
        }
        if !seen.insert(s.id.clone()) {
            r.at(at, format!("duplicate subject id `{}`", s.id));
        }
        if !(1..=3).contains(&s.criticality) {
            let c = r.loc.field_name(cursor, "criticality");
            r.at(
                c,
                format!(
                    "criticality of `{}` must be 1, 2 or 3, not {}",
                    s.id, s.criticality
                ),
            );
        }
        if s.name.trim().is_empty() {
            r.at(at, format!("subject `{}` has no name", s.id));
        }
    }
    r.out
}

/// Validates a profile against the known inspections and subjects.
///
/// `inspections` holds the id of every template file, valid or not, so a
/// broken template is reported once, in its own file.
pub fn validate_profile(
    path: &Path,
    src: &str,
    profile: &Profile,
    stem: Option<&str>,
    inspections: &BTreeSet<Id>,
    subjects: Option<&Subjects>,
) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(profile.format);
    if let Some(stem) = stem
        && stem != profile.id.as_str()
    {
        let at = r.loc.field(0, "id", profile.id.as_str());
        r.at(
            at,
            format!(
                "profile id `{}` does not match the file name `{stem}.ron`",
                profile.id
            ),
        );
    }
    let mut cursor = r.loc.field_name(0, "schedule").unwrap_or(0);
    for rule in &profile.schedule {
        let at = r.loc.field(cursor, "inspection", rule.inspection.as_str());
        if let Some(at) = at {
            cursor = at + 1;
        }
        if !inspections.contains(&rule.inspection) {
            r.at(
                at,
                format!("profile names unknown inspection `{}`", rule.inspection),
            );
        }
        match &rule.subjects {
            Selector::Ids(ids) => {
                if let Some(subjects) = subjects {
                    for id in ids.iter().filter(|id| subjects.get(id.as_str()).is_none()) {
                        let s = r.loc.any(cursor, "Ids", id.as_str());
                        r.at(
                            s,
                            format!("profile names subject `{id}`, which is not in subjects.ron"),
                        );
                    }
                }
            }
            Selector::Criticality(c) | Selector::KindCriticality(_, c) if !(1..=3).contains(c) => {
                r.at(at, format!("criticality {c} is out of range 1..=3"));
            }
            _ => {}
        }
    }
    r.out
}

/// Validates `tenken.ron`.
pub fn validate_config(path: &Path, src: &str, config: &Config) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(config.format);
    if !(1..=12).contains(&config.fiscal_year_start) {
        let at = r.loc.field_name(0, "fiscal_year_start");
        r.at(
            at,
            format!(
                "fiscal_year_start must be a month from 1 to 12, not {}",
                config.fiscal_year_start
            ),
        );
    }
    if let Some(m) = &config.likelihood
        && m.iter().flatten().any(|v| !(1..=3).contains(v))
    {
        let at = r.loc.field_name(0, "likelihood");
        r.at(at, "every value of the likelihood matrix must be 1, 2 or 3");
    }
    r.out
}

/// Checks that every profile `tenken.ron` activates has a file.
fn validate_active_profiles(
    root: &Path,
    path: &Path,
    src: &str,
    config: &Config,
) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    let mut from = r.loc.field_name(0, "profiles").unwrap_or(0);
    for id in &config.profiles {
        if root.join("profiles").join(format!("{id}.ron")).is_file() {
            continue;
        }
        let at = r.loc.string(from, id.as_str());
        if let Some(at) = at {
            from = at + 1;
        }
        r.at(
            at,
            format!("active profile `{id}` has no file profiles/{id}.ron"),
        );
    }
    r.out
}

/// Validates a risk assessment.
pub fn validate_risk(path: &Path, src: &str, risk: &RiskAssessment) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(risk.format);
    let mut seen = HashSet::new();
    let mut cursor = 0;
    for asset in &risk.assets {
        let at = r.loc.field(cursor, "id", asset.id.as_str());
        if let Some(at) = at {
            cursor = at + 1;
        }
        if !seen.insert(asset.id.clone()) {
            r.at(at, format!("duplicate asset id `{}`", asset.id));
        }
        for (name, v) in [("c", asset.c), ("i", asset.i), ("a", asset.a)] {
            if !(1..=3).contains(&v) {
                let f = r.loc.field_name(cursor, name);
                r.at(
                    f,
                    format!(
                        "`{name}` of asset `{}` must be 1, 2 or 3, not {v}",
                        asset.id
                    ),
                );
            }
        }
        let mut threats = HashSet::new();
        for t in &asset.threats {
            let tat = r.loc.field(cursor, "id", t.id.as_str());
            if let Some(tat) = tat {
                cursor = tat + 1;
            }
            if !threats.insert(t.id.clone()) {
                r.at(
                    tat,
                    format!("duplicate threat id `{}` in asset `{}`", t.id, asset.id),
                );
            }
            for (name, v) in [("threat", t.threat), ("vulnerability", t.vulnerability)] {
                if !(1..=3).contains(&v) {
                    let f = r.loc.field_name(cursor, name);
                    r.at(
                        f,
                        format!("`{name}` of threat `{}` must be 1, 2 or 3, not {v}", t.id),
                    );
                }
            }
        }
    }
    r.out
}

/// Parses and validates a template from its text.
pub fn inspection_from_str(
    path: &Path,
    src: &str,
    stem: Option<&str>,
) -> Result<Inspection, Vec<Diagnostic>> {
    let insp: Inspection = parse(path, src).map_err(|d| vec![d])?;
    let diags = validate_inspection(path, src, &insp, stem);
    if diags.is_empty() {
        Ok(insp)
    } else {
        Err(diags)
    }
}

/// Returns the `*.ron` files directly in `dir`, sorted (none if `dir` is missing).
pub fn ron_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron") && p.is_file())
        .collect();
    files.sort();
    files
}

/// The repository's configuration, register, templates and profiles, all
/// loaded and valid.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// `tenken.ron`.
    pub config: Config,
    /// `subjects.ron`.
    pub subjects: Subjects,
    /// `inspections/*.ron` by id (current versions).
    pub inspections: BTreeMap<Id, Inspection>,
    /// `profiles/*.ron` by id.
    pub profiles: BTreeMap<Id, Profile>,
}

/// Loads one file of the repository, recording every problem in `diags`.
///
/// Returns the value if the file parsed, and whether it is also valid.
fn load_one<T: DeserializeOwned>(
    root: &Path,
    rel: &Path,
    diags: &mut Vec<Diagnostic>,
    validate: impl FnOnce(&Path, &str, &T) -> Vec<Diagnostic>,
) -> Option<(T, bool)> {
    let src = match read(&root.join(rel), rel) {
        Ok(src) => src,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    match parse::<T>(rel, &src) {
        Ok(value) => {
            let found = validate(rel, &src, &value);
            let valid = found.is_empty();
            diags.extend(found);
            Some((value, valid))
        }
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

fn stem(path: &Path) -> Option<&str> {
    path.file_stem().and_then(|s| s.to_str())
}

/// Everything of the catalog that loaded, and every problem found on the way.
struct Parts {
    config: Option<Config>,
    subjects: Option<Subjects>,
    inspections: BTreeMap<Id, Inspection>,
    /// Ids (file stems) of template files that exist but are invalid.
    broken: BTreeSet<Id>,
    profiles: BTreeMap<Id, Profile>,
    diags: Vec<Diagnostic>,
}

/// Loads what it can of the catalog under `root`, collecting every problem
/// instead of stopping at the first broken file.
fn load_parts(root: &Path) -> Parts {
    let mut diags = Vec::new();
    // Settings and register with a problem (reported) are still good
    // enough to check the other files against.
    let config = load_one::<Config>(root, Path::new("tenken.ron"), &mut diags, |p, src, c| {
        let mut found = validate_config(p, src, c);
        found.extend(validate_active_profiles(root, p, src, c));
        found
    })
    .map(|(c, _)| c);
    let subjects = load_one::<Subjects>(
        root,
        Path::new("subjects.ron"),
        &mut diags,
        validate_subjects,
    )
    .map(|(s, _)| s);
    let mut inspections = BTreeMap::new();
    let mut broken = BTreeSet::new();
    for file in ron_files(&root.join("inspections")) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_owned();
        let s = stem(&rel).map(str::to_owned);
        match load_one::<Inspection>(root, &rel, &mut diags, |p, src, i| {
            validate_inspection(p, src, i, s.as_deref())
        }) {
            Some((insp, true)) => {
                inspections.insert(insp.id.clone(), insp);
            }
            _ => broken.extend(s.and_then(|s| Id::new(&s).ok())),
        }
    }
    let known: BTreeSet<Id> = inspections.keys().chain(&broken).cloned().collect();
    let mut profiles = BTreeMap::new();
    for file in ron_files(&root.join("profiles")) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_owned();
        let s = stem(&rel).map(str::to_owned);
        if let Some((p, true)) = load_one::<Profile>(root, &rel, &mut diags, |p, src, prof| {
            validate_profile(p, src, prof, s.as_deref(), &known, subjects.as_ref())
        }) {
            profiles.insert(p.id.clone(), p);
        }
    }
    Parts {
        config,
        subjects,
        inspections,
        broken,
        profiles,
        diags,
    }
}

/// Loads the configuration, register, templates and profiles under `root`,
/// collecting every problem.
pub fn catalog(root: &Path) -> Result<Catalog, Vec<Diagnostic>> {
    let parts = load_parts(root);
    match (parts.config, parts.subjects) {
        (Some(config), Some(subjects)) if parts.diags.is_empty() => Ok(Catalog {
            config,
            subjects,
            inspections: parts.inspections,
            profiles: parts.profiles,
        }),
        _ => Err(parts.diags),
    }
}

/// Loads and validates one run file against the catalog.
///
/// `older` returns the template of an older version, when the caller can
/// find one (in git history).
pub fn run_file(
    root: &Path,
    rel: &Path,
    catalog: &Catalog,
    older: &dyn Fn(&Id, u32) -> Option<Inspection>,
) -> Result<Run, Vec<Diagnostic>> {
    let src = read(&root.join(rel), rel).map_err(|d| vec![d])?;
    run_from_str(rel, &src, catalog, older)
}

/// Parses and validates a run from its text.
pub fn run_from_str(
    rel: &Path,
    src: &str,
    catalog: &Catalog,
    older: &dyn Fn(&Id, u32) -> Option<Inspection>,
) -> Result<Run, Vec<Diagnostic>> {
    let run: Run = parse(rel, src).map_err(|d| vec![d])?;
    let diags = check_run(
        rel,
        src,
        &run,
        &catalog.inspections,
        &BTreeSet::new(),
        Some(&catalog.subjects),
        older,
    );
    if diags.is_empty() {
        Ok(run)
    } else {
        Err(diags)
    }
}

/// Checks a parsed run against whatever of the catalog is available.
fn check_run(
    rel: &Path,
    src: &str,
    run: &Run,
    inspections: &BTreeMap<Id, Inspection>,
    broken: &BTreeSet<Id>,
    subjects: Option<&Subjects>,
    older: &dyn Fn(&Id, u32) -> Option<Inspection>,
) -> Vec<Diagnostic> {
    let old;
    let template = match inspections.get(&run.inspection) {
        Some(t) if t.version == run.inspection_version => RunTemplate::Found(t),
        Some(t) => {
            old = (run.inspection_version < t.version)
                .then(|| older(&run.inspection, run.inspection_version))
                .flatten();
            old.as_ref().map_or(
                RunTemplate::NoSuchVersion { current: t.version },
                RunTemplate::Found,
            )
        }
        None if broken.contains(&run.inspection) => RunTemplate::Unchecked,
        None => RunTemplate::NoSuchInspection,
    };
    let mut diags = validate_run(rel, src, run, template, subjects);
    let expected = rel
        .strip_prefix("runs")
        .ok()
        .and_then(|p| p.to_str())
        .and_then(|p| p.strip_suffix(".ron"))
        .map(|p| p.replace('\\', "/"));
    if let Some(expected) = expected
        && expected != run.id
    {
        let loc = Locator::new(src);
        let (line, col) = loc
            .field(0, "id", &run.id)
            .map_or((1, 1), |o| loc.position(o));
        diags.push(Diagnostic {
            path: rel.to_owned(),
            line,
            col,
            message: format!(
                "run id `{}` does not match its path `{expected}`",
                escape(&run.id)
            ),
        });
    }
    diags
}

fn escape(s: &str) -> String {
    crate::model::escape_control(s)
}

/// Returns every `runs/<subject>/<inspection>/*.ron` under `root`, relative
/// to `root`, sorted.
pub fn run_paths(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let runs = root.join("runs");
    for subject in subdirs(&runs) {
        for inspection in subdirs(&subject) {
            for file in ron_files(&inspection) {
                if let Ok(rel) = file.strip_prefix(root) {
                    out.push(rel.to_owned());
                }
            }
        }
    }
    out.sort();
    out
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// Checks the whole repository and returns every problem found.
///
/// A broken file never hides problems elsewhere: runs are still checked
/// against whatever of the catalog loaded, and a run of a template that is
/// itself invalid is checked for everything but its answers.
pub fn check_repo(root: &Path, older: &dyn Fn(&Id, u32) -> Option<Inspection>) -> Vec<Diagnostic> {
    let parts = load_parts(root);
    let mut diags = parts.diags;
    for rel in run_paths(root) {
        let found = read(&root.join(&rel), &rel).and_then(|src| {
            let run: Run = parse(&rel, &src)?;
            Ok(check_run(
                &rel,
                &src,
                &run,
                &parts.inspections,
                &parts.broken,
                parts.subjects.as_ref(),
                older,
            ))
        });
        match found {
            Ok(found) => diags.extend(found),
            Err(d) => diags.push(d),
        }
    }
    for file in ron_files(&root.join("risks")) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_owned();
        load_one::<RiskAssessment>(root, &rel, &mut diags, validate_risk);
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Action, Choice};

    fn err<T: DeserializeOwned + std::fmt::Debug>(src: &str) -> String {
        parse::<T>(Path::new("f.ron"), src).unwrap_err().to_string()
    }

    #[test]
    fn a_missing_comma_is_placed_after_the_previous_value() {
        let text = |src: &str| err::<Text>(src);
        let msg = "expected `,` (or a closing bracket) after this value";
        assert_eq!(
            text("(\n    ja: \"a\"\n    en: \"b\",\n)"),
            format!("f.ron:2:12: {msg}")
        );
        // Comments, escaped quotes, raw strings and wide characters are
        // skipped over, not mistaken for the end of the value.
        assert_eq!(
            text("(ja: \"a\" /* c */ en: \"b\")"),
            format!("f.ron:1:9: {msg}")
        );
        assert_eq!(
            text("(ja: \"x\\\" y\" // c, \"d\"\n en: \"b\")"),
            format!("f.ron:1:13: {msg}")
        );
        assert_eq!(
            text("(ja: r#\"a \"quoted\" b\"# en: \"b\")"),
            format!("f.ron:1:23: {msg}")
        );
        assert_eq!(
            text("(ja: \"点検\" en: \"b\")"),
            format!("f.ron:1:10: {msg}")
        );
        assert_eq!(
            err::<Choice>("Choice(id: \"a\", key: '\\'' label: (en: \"x\"), points: None)"),
            format!("f.ron:1:26: {msg}")
        );
    }

    #[test]
    fn a_refused_value_is_named_with_its_field() {
        assert_eq!(
            err::<Action>("(text: \"点検\", due: \"2026-02-30\")"),
            "f.ron:1:19: invalid value `2026-02-30` for `due`: input is out of range"
        );
        assert_eq!(
            err::<Action>("(text: \"x\", due: r#\"soon\"#)"),
            "f.ron:1:18: invalid value `soon` for `due`: input contains invalid characters"
        );
        assert_eq!(
            err::<Action>("(text: \"x\", due: \"soon\\u{1b}\")"),
            "f.ron:1:18: invalid value `soon\\u{1b}` for `due`: input contains invalid characters"
        );
    }

    #[test]
    fn offsets_and_positions_agree() {
        let src = "a\n点検 x\n\n  \"é\"";
        let loc = Locator::new(src);
        for (offset, _) in src.char_indices() {
            let (line, col) = loc.position(offset);
            assert_eq!(loc.offset(line, col), Some(offset), "at byte {offset}");
        }
        assert_eq!(loc.offset(9, 1), None);
        assert_eq!(loc.offset(2, 0), None);
    }
}
