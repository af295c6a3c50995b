//! Validators: the rules a parsed file must follow beyond its shape, each
//! problem reported at its place in the source.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

mod record;

use super::locator::Locator;
use super::{MAX_ITEMS, note_too_long};
use crate::error::Diagnostic;
use crate::model::{
    Config, FORMAT, Id, Inspection, Item, Profile, RESERVED_KEYS, Run, Selector, Subjects, Text,
};

pub use record::{
    validate_risk_date, validate_run_dates, validate_run_order, validate_run_path,
    validate_withdrawal, validate_withdrawal_date,
};

/// Collects diagnostics for one file.
pub(super) struct Report<'a> {
    path: &'a Path,
    pub(super) loc: Locator<'a>,
    pub(super) out: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    pub(super) fn new(path: &'a Path, src: &'a str) -> Self {
        Self {
            path,
            loc: Locator::new(src),
            out: Vec::new(),
        }
    }

    pub(super) fn at(&mut self, offset: Option<usize>, message: impl Into<String>) {
        let (line, col) = offset.map_or((1, 1), |o| self.loc.position(o));
        self.out.push(Diagnostic {
            path: self.path.to_owned(),
            line,
            col,
            message: message.into(),
        });
    }

    pub(super) fn format(&mut self, format: u32) {
        if format != FORMAT {
            let at = self.loc.field_name(0, "format");
            self.at(
                at,
                format!("format {format} is not supported; this tenken reads format {FORMAT}"),
            );
        }
    }

    pub(super) fn text(&mut self, offset: Option<usize>, what: &str, text: &Text) {
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
            check_editions(r, insp, item, cursor, at);
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

/// Checks an item's edition range: in order, and containing the edition
/// the template follows (which it must then name).
fn check_editions(
    r: &mut Report<'_>,
    insp: &Inspection,
    item: &Item,
    cursor: usize,
    item_at: Option<usize>,
) {
    let Some(range) = item.editions else {
        return;
    };
    let at = r.loc.field_name(cursor, "editions").or(item_at);
    if let Some(to) = range.to
        && to < range.from
    {
        r.at(
            at,
            format!(
                "item `{}`: editions run backwards, from {} to {to}",
                item.id, range.from
            ),
        );
        return;
    }
    match insp.edition {
        None => r.at(
            at,
            format!(
                "item `{}` names the editions it belongs to, but the inspection names no `edition`",
                item.id
            ),
        ),
        Some(edition) if !range.contains(edition) => r.at(
            at,
            format!(
                "item `{}` belongs to editions {range}, which do not include the inspection's edition {edition}",
                item.id
            ),
        ),
        Some(_) => {}
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
    /// The run names a template content hash that no template has, in
    /// `inspections/` or in git history.
    NoSuchHash,
    /// The template with the run's content hash is of another version than
    /// the run names.
    VersionMismatch {
        /// The version of the template with the run's hash.
        hashed: u32,
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
        RunTemplate::NoSuchHash => {
            let at = r.loc.field_name(0, "inspection_hash");
            r.at(
                at,
                format!(
                    "no version of inspection `{}` has this content hash, in inspections/ or in git history; the template this run answered is lost",
                    run.inspection
                ),
            );
            return r.out;
        }
        RunTemplate::VersionMismatch { hashed } => {
            let at = r.loc.field_name(0, "inspection_version");
            r.at(
                at,
                format!(
                    "the run names version {} of inspection `{}`, but the template with its content hash is version {hashed}",
                    run.inspection_version, run.inspection
                ),
            );
            return r.out;
        }
    };
    let answers_at = r.loc.field_name(0, "answers").unwrap_or(0);
    for (item_id, answer) in &run.answers {
        // Located only when something is wrong: searching the source for
        // every answer was most of the time `history` spent validating.
        let at = |r: &Report<'_>| r.loc.key(answers_at, item_id.as_str());
        if let Some(message) = note_too_long(item_id, &answer.note) {
            let at = at(&r);
            r.at(at, message);
        }
        for problem in crate::evidence::entry_problems(item_id, &answer.evidence) {
            let at = at(&r);
            r.at(at, problem);
        }
        let Some(item) = insp.item(item_id.as_str()) else {
            let at = at(&r);
            r.at(
                at,
                format!("unknown item `{item_id}` in inspection `{}`", insp.id),
            );
            continue;
        };
        if insp.choice(item, answer.choice.as_str()).is_none() {
            let at = at(&r);
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
        if s.name.is_empty() {
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
pub(super) fn validate_active_profiles(
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
