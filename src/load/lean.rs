//! A lean reader for run files in the layout tenken writes
//! (`model::to_ron`), beside the ron crate for everything else.
//!
//! Building the index and `verify` parse every run file of the history;
//! ron's general deserializer was about a third of that work. The lean
//! reader reads a strict subset of RON: the `Run`, `Inspector`, `Answer`,
//! `Action` and evidence records with their names or without, fields in
//! any order, double-quoted strings with the escapes `char::escape_debug`
//! writes, decimal integers, `true`/`false`, `None`/`Some(…)`, lists and
//! maps, spaces, tabs and line ends between tokens. Whatever it is not sure
//! of (comments, raw strings, other escapes, signs, number suffixes, a key
//! or field given twice, an unknown field, a bad id or date) it declines,
//! and `parse_run` hands the file to ron, which reads it or says what is
//! wrong with the usual diagnostics. So the lean reader never accepts what
//! ron refuses and never reads a file differently: the property test in
//! `lean/tests.rs` holds it to that over generated and mutated run files.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::syntax::parse;
use crate::error::Diagnostic;
use crate::model::{Action, Answer, Evidence, EvidenceFile, Id, Inspector, Run};

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests;

/// Parses `src` (the contents of `path`) as a run: the lean reader when it
/// can, else ron (same result, same diagnostics as `load::parse`).
pub fn parse_run(path: &Path, src: &str) -> Result<Run, Diagnostic> {
    match run(src) {
        Some(run) => Ok(run),
        None => parse(path, src),
    }
}

/// Reads `src` as a run file, or declines (`None`) when it is not in the
/// subset this reader knows (module header).
pub fn run(src: &str) -> Option<Run> {
    let mut r = Reader { src, at: 0 };
    let run = r.run()?;
    r.ws();
    (r.at == src.len()).then_some(run)
}

/// Fills `slot`, declining a field given twice (serde refuses it).
fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

/// A position in the source; every step returns `None` to decline.
struct Reader<'a> {
    src: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&self) -> Option<u8> {
        self.src.as_bytes().get(self.at).copied()
    }

    /// Skips the whitespace this reader knows (ron knows more, and
    /// comments: those are declined where a token is expected).
    fn ws(&mut self) {
        while matches!(self.byte(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `b` after whitespace, if it is next.
    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        let found = self.byte() == Some(b);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.eat(b).then_some(())
    }

    /// An ASCII identifier after whitespace; declines one that goes on
    /// with a character outside ASCII (ron's identifiers are Unicode).
    fn ident(&mut self) -> Option<&'a str> {
        self.ws();
        let start = self.at;
        if !matches!(self.byte(), Some(b'a'..=b'z' | b'A'..=b'Z' | b'_')) {
            return None;
        }
        while matches!(
            self.byte(),
            Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_')
        ) {
            self.at += 1;
        }
        if self.byte().is_some_and(|b| !b.is_ascii()) {
            return None;
        }
        Some(&self.src[start..self.at])
    }

    /// The opening of a record: `Name(` or `(`.
    fn open(&mut self, name: &str) -> Option<()> {
        self.ws();
        let rest = &self.src.as_bytes()[self.at..];
        if rest.starts_with(name.as_bytes()) && rest.get(name.len()) == Some(&b'(') {
            self.at += name.len() + 1;
            return Some(());
        }
        self.expect(b'(')
    }

    /// The fields of a record after its `(`, up to and including `)`;
    /// `field` reads the value of each.
    fn fields(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        loop {
            if self.eat(b')') {
                return Some(());
            }
            let name = self.ident()?;
            self.expect(b':')?;
            field(self, name)?;
            if !self.eat(b',') {
                return self.expect(b')');
            }
        }
    }

    /// The items of a list or map after its opening bracket, up to and
    /// including `close`.
    fn items(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        loop {
            if self.eat(close) {
                return Some(());
            }
            item(self)?;
            if !self.eat(b',') {
                return self.expect(close);
            }
        }
    }

    /// A double-quoted string with the escapes `char::escape_debug`
    /// writes; borrowed when it has none.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.expect(b'"')?;
        let rest = &self.src[self.at..];
        let bytes = rest.as_bytes();
        let stop = |from: usize| {
            bytes[from..]
                .iter()
                .position(|b| matches!(b, b'"' | b'\\'))
                .map(|n| from + n)
        };
        let mut i = stop(0)?;
        if bytes[i] == b'"' {
            self.at += i + 1;
            return Some(Cow::Borrowed(&rest[..i]));
        }
        let mut out = String::with_capacity(i + 16);
        out.push_str(&rest[..i]);
        loop {
            // bytes[i] is a backslash.
            let c = match *bytes.get(i + 1)? {
                b'"' => '"',
                b'\\' => '\\',
                b'\'' => '\'',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'0' => '\0',
                b'u' if bytes.get(i + 2) == Some(&b'{') => {
                    let digits = &bytes[i + 3..];
                    let n = digits.iter().take_while(|b| b.is_ascii_hexdigit()).count();
                    if !(1..=6).contains(&n) || digits.get(n) != Some(&b'}') {
                        return None;
                    }
                    let value = u32::from_str_radix(&rest[i + 3..i + 3 + n], 16).ok()?;
                    i += n + 2; // the braces; the two bytes of `\u` below
                    char::from_u32(value)?
                }
                _ => return None,
            };
            out.push(c);
            i += 2;
            let next = stop(i)?;
            out.push_str(&rest[i..next]);
            i = next;
            if bytes[i] == b'"' {
                self.at += i + 1;
                return Some(Cow::Owned(out));
            }
        }
    }

    fn owned(&mut self) -> Option<String> {
        self.string().map(Cow::into_owned)
    }

    fn id(&mut self) -> Option<Id> {
        Id::new(&self.string()?).ok()
    }

    fn time(&mut self) -> Option<DateTime<FixedOffset>> {
        self.string()?.parse().ok()
    }

    /// A decimal integer without sign, leading zeros, separators or suffix.
    fn number(&mut self) -> Option<u64> {
        self.ws();
        let start = self.at;
        while self.byte().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        let digits = &self.src[start..self.at];
        let ends = matches!(
            self.byte(),
            Some(b',' | b')' | b']' | b'}' | b' ' | b'\n' | b'\t' | b'\r')
        );
        if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) || !ends {
            return None;
        }
        digits.parse().ok()
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.number()?).ok()
    }

    fn bool(&mut self) -> Option<bool> {
        match self.ident()? {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// `None` or `Some(…)`: the outer `None` declines, the inner is the
    /// file's.
    #[allow(clippy::option_option)]
    fn option<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.ident()? {
            "None" => Some(None),
            "Some" => {
                self.expect(b'(')?;
                let v = value(self)?;
                self.expect(b')')?;
                Some(Some(v))
            }
            _ => None,
        }
    }

    fn run(&mut self) -> Option<Run> {
        self.open("Run")?;
        let mut format = None;
        let mut id = None;
        let mut inspection = None;
        let mut inspection_version = None;
        let mut inspection_hash = None;
        let mut subject = None;
        let mut inspector = None;
        let mut started = None;
        let mut finished = None;
        let mut answers = None;
        let mut supersedes = None;
        let mut closes = None;
        self.fields(|r, name| match name {
            "format" => set(&mut format, r.u32()?),
            "id" => set(&mut id, r.owned()?),
            "inspection" => set(&mut inspection, r.id()?),
            "inspection_version" => set(&mut inspection_version, r.u32()?),
            "inspection_hash" => set(&mut inspection_hash, r.option(Self::owned)?),
            "subject" => set(&mut subject, r.id()?),
            "inspector" => set(&mut inspector, r.inspector()?),
            "started" => set(&mut started, r.time()?),
            "finished" => set(&mut finished, r.time()?),
            "answers" => set(&mut answers, r.answers()?),
            "supersedes" => set(&mut supersedes, r.option(Self::owned)?),
            "closes" => set(&mut closes, r.strings()?),
            _ => None,
        })?;
        Some(Run {
            format: format?,
            id: id?,
            inspection: inspection?,
            inspection_version: inspection_version?,
            inspection_hash: inspection_hash.flatten().map(std::sync::Arc::from),
            subject: subject?,
            inspector: inspector?,
            started: started?,
            finished: finished?,
            answers: answers?,
            supersedes: supersedes.flatten(),
            closes: closes.unwrap_or_default(),
        })
    }

    fn inspector(&mut self) -> Option<Inspector> {
        self.open("Inspector")?;
        let (mut id, mut name, mut email) = (None, None, None);
        self.fields(|r, field| match field {
            "id" => set(&mut id, r.id()?),
            "name" => set(&mut name, r.owned()?),
            "email" => set(&mut email, r.owned()?),
            _ => None,
        })?;
        Some(Inspector {
            id: id?,
            name: name.unwrap_or_default(),
            email: email.unwrap_or_default(),
        })
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        self.items(b']', |r| {
            out.push(r.owned()?);
            Some(())
        })?;
        Some(out)
    }

    fn answers(&mut self) -> Option<BTreeMap<Id, Answer>> {
        self.expect(b'{')?;
        let mut out = BTreeMap::new();
        self.items(b'}', |r| {
            let key = r.id()?;
            r.expect(b':')?;
            let answer = r.answer()?;
            // serde keeps the last of a key given twice; decline instead.
            out.insert(key, answer).is_none().then_some(())
        })?;
        Some(out)
    }

    fn answer(&mut self) -> Option<Answer> {
        self.open("Answer")?;
        let mut choice = None;
        let mut note = None;
        let mut evidence = None;
        let mut carried = None;
        let mut action = None;
        let mut written_for = None;
        self.fields(|r, name| match name {
            "choice" => set(&mut choice, r.id()?),
            "note" => set(&mut note, r.owned()?),
            "evidence" => set(&mut evidence, r.evidence()?),
            "carried" => set(&mut carried, r.bool()?),
            "action" => set(&mut action, r.option(Self::action)?),
            "written_for" => set(&mut written_for, r.option(Self::id)?),
            _ => None,
        })?;
        Some(Answer {
            choice: choice?,
            note: note.unwrap_or_default(),
            evidence: evidence.unwrap_or_default(),
            carried: carried.unwrap_or_default(),
            action: action.flatten(),
            written_for: written_for.flatten(),
        })
    }

    fn action(&mut self) -> Option<Action> {
        self.open("Action")?;
        let (mut text, mut owner, mut due) = (None, None, None);
        self.fields(|r, name| match name {
            "text" => set(&mut text, r.owned()?),
            "owner" => set(&mut owner, r.owned()?),
            "due" => set(&mut due, r.string()?.parse::<NaiveDate>().ok()?),
            _ => None,
        })?;
        Some(Action {
            text: text?,
            owner: owner.unwrap_or_default(),
            due: due?,
        })
    }

    /// Evidence: a reference (a string) or `File(…)`, with its name.
    fn evidence(&mut self) -> Option<Vec<Evidence>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        self.items(b']', |r| {
            r.ws();
            if r.byte() == Some(b'"') {
                out.push(Evidence::Text(r.owned()?));
                return Some(());
            }
            if !r.src[r.at..].starts_with("File(") {
                return None;
            }
            r.at += "File(".len();
            let (mut name, mut media_type, mut size, mut sha256) = (None, None, None, None);
            r.fields(|r, field| match field {
                "name" => set(&mut name, r.owned()?),
                "media_type" => set(&mut media_type, r.owned()?),
                "size" => set(&mut size, r.number()?),
                "sha256" => set(&mut sha256, r.owned()?),
                _ => None,
            })?;
            out.push(Evidence::File(EvidenceFile {
                name: name?,
                media_type: media_type?,
                size: size?,
                sha256: sha256?,
            }));
            Some(())
        })?;
        Some(out)
    }
}
