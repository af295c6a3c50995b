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
use crate::msg::Message;
use crate::msg::load::answers as answer_words;
use crate::msg::load::run as run_words;
use crate::msg::load::template::{self as words, TextOf};

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

    pub(super) fn at(&mut self, offset: Option<usize>, message: impl Into<Message>) {
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
            self.at(at, words::format(format, FORMAT));
        }
    }

    pub(super) fn text(&mut self, offset: Option<usize>, what: TextOf<'_>, text: &Text) {
        if text.is_empty() {
            self.at(offset, words::no_text(what));
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
        r.at(id_at, words::id_not_file_name(insp.id.as_str(), stem));
    }
    if insp.version == 0 {
        let at = r.loc.field_name(0, "version");
        r.at(at, words::version_zero());
    }
    let title_at = r.loc.field_name(0, "title");
    r.text(title_at, TextOf::Title, &insp.title);
    if insp.source.trim().is_empty() {
        let at = r.loc.field_name(0, "source");
        r.at(at, words::no_source());
    }
    if insp.item_count() > MAX_ITEMS {
        // Checked before anything per item, so a huge template is refused
        // with one message and quickly.
        let at = r.loc.field_name(0, "sections");
        r.at(at, words::too_many_items(insp.item_count(), MAX_ITEMS));
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
            r.at(Some(start), words::scale_empty(name.as_str()));
        }
        if !choices.iter().any(|c| c.points.is_some()) && !choices.is_empty() {
            r.at(Some(start), words::scale_without_points(name.as_str()));
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
                    words::duplicate_choice(choice.id.as_str(), name.as_str()),
                );
            }
            let key_at = r.loc.char_field(cursor, "key", choice.key).or(at);
            if RESERVED_KEYS.contains(&choice.key) {
                let reserved = RESERVED_KEYS
                    .iter()
                    .filter(|c| **c != ' ')
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(" ");
                r.at(
                    key_at,
                    words::key_reserved(
                        &choice.key.escape_default().to_string(),
                        choice.id.as_str(),
                        &reserved,
                    ),
                );
            } else if choice.key.is_control()
                || choice.key.is_whitespace()
                || choice.key.is_uppercase()
            {
                r.at(key_at, words::key_not_visible(choice.id.as_str()));
            }
            if !keys.insert(choice.key) {
                r.at(
                    key_at,
                    words::duplicate_key(&choice.key.escape_default().to_string(), name.as_str()),
                );
            }
            let label_at = at.and_then(|a| r.loc.field_name(a, "label")).or(at);
            r.text(
                label_at,
                TextOf::ChoiceLabel(choice.id.as_str()),
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
        r.at(Some(cursor), words::no_items());
    }
    for section in &insp.sections {
        let at = r.loc.field(cursor, "id", section.id.as_str());
        if let Some(at) = at {
            cursor = at + 1;
        }
        if !section_ids.insert(section.id.clone()) {
            r.at(at, words::duplicate_section(section.id.as_str()));
        }
        let title_at = at.and_then(|a| r.loc.field_name(a, "title")).or(at);
        r.text(
            title_at,
            TextOf::Section(section.id.as_str()),
            &section.title,
        );
        for item in &section.items {
            let at = r.loc.field(cursor, "id", item.id.as_str());
            if let Some(at) = at {
                cursor = at + 1;
            }
            if !item_ids.insert(item.id.clone()) {
                r.at(at, words::duplicate_item(item.id.as_str()));
            }
            let title_at = at.and_then(|a| r.loc.field_name(a, "title")).or(at);
            r.text(title_at, TextOf::Item(item.id.as_str()), &item.title);
            if item.weight == 0 {
                let w = r.loc.field_name(cursor, "weight");
                r.at(w, words::weight_zero(item.id.as_str()));
            }
            check_editions(r, insp, item, cursor, at);
            match insp.scales.get(&item.scale) {
                None => {
                    let s = r.loc.field(cursor, "scale", item.scale.as_str());
                    r.at(
                        s,
                        words::unknown_scale(item.id.as_str(), item.scale.as_str()),
                    );
                }
                Some(choices) => {
                    for need in &item.note_required_for {
                        if !choices.iter().any(|c| &c.id == need) {
                            let list = r.loc.field_name(cursor, "note_required_for");
                            let n = r.loc.string(list.unwrap_or(cursor), need.as_str());
                            r.at(
                                n,
                                words::note_for_unknown_choice(
                                    item.id.as_str(),
                                    need.as_str(),
                                    item.scale.as_str(),
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
            words::editions_backwards(item.id.as_str(), &range.from.to_string(), &to.to_string()),
        );
        return;
    }
    match insp.edition {
        None => r.at(at, words::editions_without_edition(item.id.as_str())),
        Some(edition) if !range.contains(edition) => r.at(
            at,
            words::editions_exclude(item.id.as_str(), &range.to_string(), &edition.to_string()),
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
            r.at(at, words::bands_out_of_order(band.min_percent, p));
        }
        let label_at = at.and_then(|a| r.loc.field_name(a, "label")).or(at);
        r.text(label_at, TextOf::Band, &band.label);
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
            crate::msg::errors::unknown_subject(run.subject.as_str()),
        );
    }
    let insp = match template {
        RunTemplate::Found(insp) => insp,
        RunTemplate::Unchecked => return r.out,
        RunTemplate::NoSuchInspection => {
            let at = r.loc.field(0, "inspection", run.inspection.as_str());
            r.at(
                at,
                crate::msg::errors::unknown_inspection(run.inspection.as_str()),
            );
            return r.out;
        }
        RunTemplate::NoSuchVersion { current } => {
            let at = r.loc.field_name(0, "inspection_version");
            r.at(
                at,
                run_words::no_such_version(
                    run.inspection.as_str(),
                    run.inspection_version,
                    current,
                ),
            );
            return r.out;
        }
        RunTemplate::NoSuchHash => {
            let at = r.loc.field_name(0, "inspection_hash");
            r.at(at, run_words::no_such_hash(run.inspection.as_str()));
            return r.out;
        }
        RunTemplate::VersionMismatch { hashed } => {
            let at = r.loc.field_name(0, "inspection_version");
            r.at(
                at,
                run_words::version_mismatch(
                    run.inspection_version,
                    run.inspection.as_str(),
                    hashed,
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
                answer_words::unknown_item(item_id.as_str(), insp.id.as_str()),
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
                answer_words::unknown_choice(
                    answer.choice.as_str(),
                    item_id.as_str(),
                    &allowed.join(", "),
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
            r.at(at, words::duplicate_subject(s.id.as_str()));
        }
        if !(1..=3).contains(&s.criticality) {
            let c = r.loc.field_name(cursor, "criticality");
            r.at(c, words::criticality(s.id.as_str(), s.criticality));
        }
        if s.name.is_empty() {
            r.at(at, words::subject_without_name(s.id.as_str()));
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
            words::profile_id_not_file_name(profile.id.as_str(), stem),
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
                words::profile_unknown_inspection(rule.inspection.as_str()),
            );
        }
        match &rule.subjects {
            Selector::Ids(ids) => {
                if let Some(subjects) = subjects {
                    for id in ids.iter().filter(|id| subjects.get(id.as_str()).is_none()) {
                        let s = r.loc.any(cursor, "Ids", id.as_str());
                        r.at(s, words::profile_unknown_subject(id.as_str()));
                    }
                }
            }
            Selector::Criticality(c) | Selector::KindCriticality(_, c) if !(1..=3).contains(c) => {
                r.at(at, words::profile_criticality(*c));
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
        r.at(at, words::fiscal_year_start(config.fiscal_year_start));
    }
    if let Some(m) = &config.likelihood
        && m.iter().flatten().any(|v| !(1..=3).contains(v))
    {
        let at = r.loc.field_name(0, "likelihood");
        r.at(at, words::likelihood());
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
        r.at(at, words::active_profile_missing(id.as_str()));
    }
    r.out
}
