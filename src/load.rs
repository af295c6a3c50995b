//! Reading RON files into the model and validating them. Every problem is a
//! `Diagnostic` (`path:line:column: message`); validation collects all of
//! them instead of stopping at the first. Reads files, never writes.

pub mod answers;
mod broken;
mod catalog;
pub mod csv;
mod file;
mod lean;
mod locator;
mod risk;
mod roles;
mod syntax;
#[cfg(test)]
mod tests;
mod validate;

pub use broken::{Broken, BrokenKind};
pub use catalog::{
    Catalog, TemplateOf, catalog, catalog_strict, check_repo, config_lang, current_inspections,
    current_template, inspection_from_str, ron_files, run_file, run_from_str, run_paths,
    withdrawal_from_str,
};
pub use file::{Source, escapes, read, read_bytes};
pub use lean::parse_run;
pub use locator::Locator;
pub use risk::validate_risk;
pub use roles::validate_roles;
pub use syntax::parse;
pub use validate::{
    RunTemplate, validate_config, validate_inspection, validate_profile, validate_risk_date,
    validate_run, validate_run_dates, validate_run_path, validate_subjects, validate_withdrawal,
    validate_withdrawal_date,
};

use crate::model::Id;

/// The largest file tenken reads, in bytes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The deepest nesting a RON file may have before it is refused.
const RECURSION_LIMIT: usize = 64;

/// The most items a template may have. The largest real checklists (a
/// control catalogue) have a few hundred; the limit keeps every screen and
/// comparison quick.
pub const MAX_ITEMS: usize = 2_000;

/// The longest note an answer may carry, in bytes.
pub const MAX_NOTE_BYTES: usize = 64 * 1024;

/// Returns a message when the note of `item` is longer than [`MAX_NOTE_BYTES`].
pub fn note_too_long(item: &Id, note: &str) -> Option<crate::msg::Message> {
    (note.len() > MAX_NOTE_BYTES).then(|| {
        crate::msg::load::answers::note_too_long(item.as_str(), note.len(), MAX_NOTE_BYTES)
    })
}
