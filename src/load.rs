//! Reading RON files into the model and validating them. Every problem is a
//! `Diagnostic` (`path:line:column: message`); validation collects all of
//! them instead of stopping at the first. Reads files, never writes.

use std::collections::{BTreeMap, HashMap, HashSet};
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

/// Parses `src` (the contents of `path`) as a `T`.
///
/// Syntax errors, unknown or missing fields and invalid ids come back with
/// the line and column ron reports.
pub fn parse<T: DeserializeOwned>(path: &Path, src: &str) -> Result<T, Diagnostic> {
    let options = ron::Options::default().with_recursion_limit(RECURSION_LIMIT);
    options.from_str(src).map_err(|e| Diagnostic {
        path: path.to_owned(),
        line: e.span.start.line.max(1),
        col: e.span.start.col.max(1),
        message: describe_ron_error(&e.code),
    })
}

fn describe_ron_error(code: &ron::Error) -> String {
    match code {
        ron::Error::ExceededRecursionLimit => {
            format!("nested more than {RECURSION_LIMIT} levels deep")
        }
        other => {
            let text = other.to_string();
            // ron quotes with double quotes and ends some messages with a
            // period; tenken quotes with backticks and never does.
            text.trim_end_matches('.').replace('"', "`")
        }
    }
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
            .or_else(|| self.literal(from, &format!("\"{value}\""), |_, _| true))
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
    if let Some(stem) = stem {
        if stem != insp.id.as_str() {
            r.at(
                id_at,
                format!(
                    "inspection id `{}` does not match the file name `{stem}.ron`",
                    insp.id
                ),
            );
        }
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

    // Scales: choice ids and keys unique, keys free of navigation keys.
    let mut scale_start = HashMap::new();
    for (name, choices) in &insp.scales {
        let start = r.loc.key(0, name.as_str()).unwrap_or(0);
        scale_start.insert(name.clone(), start);
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
                cursor = at;
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
                        "choice key `{}` of `{}` clashes with a walker navigation key; reserved: {}",
                        choice.key.escape_default(),
                        choice.id,
                        RESERVED_KEYS.iter().filter(|c| **c != ' ').collect::<String>()
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
            r.text(
                at,
                &format!("the label of choice `{}`", choice.id),
                &choice.label,
            );
        }
    }

    // Sections and items.
    let mut section_ids = HashSet::new();
    let mut item_ids = HashSet::new();
    let mut cursor = r.loc.field_name(0, "sections").unwrap_or(0);
    if insp.sections.is_empty() || insp.item_count() == 0 {
        r.at(Some(cursor), "the inspection has no items");
    }
    for section in &insp.sections {
        let at = r.loc.field(cursor, "id", section.id.as_str());
        if let Some(at) = at {
            cursor = at;
        }
        if !section_ids.insert(section.id.clone()) {
            r.at(at, format!("duplicate section id `{}`", section.id));
        }
        r.text(
            at,
            &format!("the title of section `{}`", section.id),
            &section.title,
        );
        for item in &section.items {
            let at = r.loc.field(cursor, "id", item.id.as_str());
            if let Some(at) = at {
                cursor = at;
            }
            if !item_ids.insert(item.id.clone()) {
                r.at(at, format!("duplicate item id `{}`", item.id));
            }
            r.text(at, &format!("the title of item `{}`", item.id), &item.title);
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
                            let n = r.loc.any(cursor, "note_required_for", need.as_str());
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

    // Bands: strictly descending, ending at or below 0.
    let bands_at = r.loc.field_name(0, "bands");
    let mut prev: Option<i32> = None;
    let mut band_cursor = bands_at.unwrap_or(0);
    for band in &insp.bands {
        let at = r.loc.field_name(band_cursor, "min_percent");
        if let Some(at) = at {
            band_cursor = at + 1;
        }
        if let Some(p) = prev {
            if band.min_percent >= p {
                r.at(
                    at,
                    format!(
                        "bands out of order: min_percent {} follows {p}; list bands from the highest down",
                        band.min_percent
                    ),
                );
            }
        }
        r.text(at, "a band label", &band.label);
        prev = Some(band.min_percent);
    }
    r.out
}

/// Validates a parsed run against its source, its template and the register.
///
/// `inspection` is the template of the version the run names, or `None`
/// when no such template or version exists.
pub fn validate_run(
    path: &Path,
    src: &str,
    run: &Run,
    inspection: Option<&Inspection>,
    current_version: Option<u32>,
    subjects: &Subjects,
) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(run.format);
    if subjects.get(run.subject.as_str()).is_none() {
        let at = r.loc.field(0, "subject", run.subject.as_str());
        r.at(
            at,
            format!("subject `{}` is not in subjects.ron", run.subject),
        );
    }
    let Some(insp) = inspection else {
        let at = r.loc.field(0, "inspection", run.inspection.as_str());
        match current_version {
            None => r.at(at, format!("unknown inspection `{}`", run.inspection)),
            Some(v) => {
                let at = r.loc.field_name(0, "inspection_version").or(at);
                r.at(
                    at,
                    format!(
                        "inspection `{}` has no version {} (the current version is {v})",
                        run.inspection, run.inspection_version
                    ),
                );
            }
        }
        return r.out;
    };
    let answers_at = r.loc.field_name(0, "answers").unwrap_or(0);
    for (item_id, answer) in &run.answers {
        let at = r.loc.key(answers_at, item_id.as_str());
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
            let allowed: Vec<&str> = insp.choices(item).iter().map(|c| c.id.as_str()).collect();
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
            cursor = at;
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
pub fn validate_profile(
    path: &Path,
    src: &str,
    profile: &Profile,
    stem: Option<&str>,
    inspections: &BTreeMap<Id, Inspection>,
    subjects: Option<&Subjects>,
) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(profile.format);
    if let Some(stem) = stem {
        if stem != profile.id.as_str() {
            let at = r.loc.field(0, "id", profile.id.as_str());
            r.at(
                at,
                format!(
                    "profile id `{}` does not match the file name `{stem}.ron`",
                    profile.id
                ),
            );
        }
    }
    let mut cursor = r.loc.field_name(0, "schedule").unwrap_or(0);
    for rule in &profile.schedule {
        let at = r.loc.field(cursor, "inspection", rule.inspection.as_str());
        if let Some(at) = at {
            cursor = at;
        }
        if !inspections.contains_key(&rule.inspection) {
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
            Selector::Criticality(c) if !(1..=3).contains(c) => {
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
    if let Some(m) = &config.likelihood {
        if m.iter().flatten().any(|v| !(1..=3).contains(v)) {
            let at = r.loc.field_name(0, "likelihood");
            r.at(at, "every value of the likelihood matrix must be 1, 2 or 3");
        }
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
            cursor = at;
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
                cursor = tat;
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
fn load_one<T: DeserializeOwned>(
    root: &Path,
    rel: &Path,
    diags: &mut Vec<Diagnostic>,
    validate: impl FnOnce(&Path, &str, &T) -> Vec<Diagnostic>,
) -> Option<T> {
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
            let ok = found.is_empty();
            diags.extend(found);
            ok.then_some(value)
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

/// Loads the configuration, register, templates and profiles under `root`,
/// collecting every problem.
pub fn catalog(root: &Path) -> Result<Catalog, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let config = load_one::<Config>(root, Path::new("tenken.ron"), &mut diags, validate_config);
    let subjects = load_one::<Subjects>(
        root,
        Path::new("subjects.ron"),
        &mut diags,
        validate_subjects,
    );
    let mut inspections = BTreeMap::new();
    for file in ron_files(&root.join("inspections")) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_owned();
        let s = stem(&rel).map(str::to_owned);
        if let Some(insp) = load_one::<Inspection>(root, &rel, &mut diags, |p, src, i| {
            validate_inspection(p, src, i, s.as_deref())
        }) {
            inspections.insert(insp.id.clone(), insp);
        }
    }
    let mut profiles = BTreeMap::new();
    for file in ron_files(&root.join("profiles")) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_owned();
        let s = stem(&rel).map(str::to_owned);
        if let Some(p) = load_one::<Profile>(root, &rel, &mut diags, |p, src, prof| {
            validate_profile(p, src, prof, s.as_deref(), &inspections, subjects.as_ref())
        }) {
            profiles.insert(p.id.clone(), p);
        }
    }
    if let Some(config) = &config {
        for id in config
            .profiles
            .iter()
            .filter(|id| !profiles.contains_key(*id))
        {
            let src = read(&root.join("tenken.ron"), Path::new("tenken.ron")).unwrap_or_default();
            let loc = Locator::new(&src);
            let (line, col) = loc
                .any(0, "profiles", id.as_str())
                .map_or((1, 1), |o| loc.position(o));
            diags.push(Diagnostic {
                path: "tenken.ron".into(),
                line,
                col,
                message: format!("active profile `{id}` has no file profiles/{id}.ron"),
            });
        }
    }
    match (config, subjects) {
        (Some(config), Some(subjects)) if diags.is_empty() => Ok(Catalog {
            config,
            subjects,
            inspections,
            profiles,
        }),
        _ => Err(diags),
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
    let current = catalog.inspections.get(&run.inspection);
    let old;
    let template = match current {
        Some(t) if t.version == run.inspection_version => Some(t),
        Some(t) if run.inspection_version < t.version => {
            old = older(&run.inspection, run.inspection_version);
            old.as_ref()
        }
        _ => None,
    };
    let mut diags = validate_run(
        rel,
        src,
        &run,
        template,
        current.map(|t| t.version),
        &catalog.subjects,
    );
    let expected = rel
        .strip_prefix("runs")
        .ok()
        .and_then(|p| p.to_str())
        .and_then(|p| p.strip_suffix(".ron"))
        .map(|p| p.replace('\\', "/"));
    if let Some(expected) = expected {
        if expected != run.id {
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
    }
    if diags.is_empty() {
        Ok(run)
    } else {
        Err(diags)
    }
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
pub fn check_repo(root: &Path, older: &dyn Fn(&Id, u32) -> Option<Inspection>) -> Vec<Diagnostic> {
    let catalog = match catalog(root) {
        Ok(c) => c,
        Err(diags) => return diags,
    };
    let mut diags = Vec::new();
    for rel in run_paths(root) {
        if let Err(found) = run_file(root, &rel, &catalog, older) {
            diags.extend(found);
        }
    }
    for file in ron_files(&root.join("risks")) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_owned();
        load_one::<RiskAssessment>(root, &rel, &mut diags, validate_risk);
    }
    diags
}
