//! Finding what the command line names in the repository: templates and
//! subjects. An unknown id gets a "did you mean" when a known one is a
//! small edit away (`ipa-selfcheck` → `ipa-self-check`); a broken template
//! is refused naming its file, except by the read commands, which show its
//! runs from the templates they recorded.

use crate::error::{Error, Result};
use crate::load::Catalog;
use crate::model::{Id, Inspection, Lang, Subject};
use crate::msg::Message;
use crate::msg::errors::{self, Known};

/// Returns the current template `id` names, to start or record a run with.
///
/// A broken template file is refused with where its first problem is and
/// how to fix it; an unknown id with the nearest known one.
pub fn template<'a>(catalog: &'a Catalog, id: &Id, lang: Lang) -> Result<&'a Inspection> {
    if let Some(t) = catalog.inspections.get(id) {
        return Ok(t);
    }
    if let Some(b) = catalog.broken_inspection(id) {
        return Err(Error::user_hint(b.refusal(lang), b.fix_hint(lang)));
    }
    Err(unknown_inspection(catalog, id))
}

/// Checks that `id` names a template, valid or broken: enough for the
/// commands that only read runs.
pub fn inspection_known(catalog: &Catalog, id: &Id) -> Result<()> {
    if catalog.knows_inspection(id) {
        Ok(())
    } else {
        Err(unknown_inspection(catalog, id))
    }
}

/// Returns the registered subject `id` names.
pub fn subject<'a>(catalog: &'a Catalog, id: &Id) -> Result<&'a Subject> {
    catalog.subjects.get(id.as_str()).ok_or_else(|| {
        let known = catalog.subjects.subjects.iter().map(|s| s.id.as_str());
        unknown(
            errors::unknown_subject(id.as_str()),
            id,
            known,
            Known::Subjects,
        )
    })
}

/// The error for an inspection id no file in `inspections/` has.
fn unknown_inspection(catalog: &Catalog, id: &Id) -> Error {
    let broken = catalog.broken.iter().filter_map(|b| match b.kind {
        crate::load::BrokenKind::Inspection => b.id.as_ref().map(Id::as_str),
        crate::load::BrokenKind::Profile => None,
    });
    let known = catalog.inspections.keys().map(Id::as_str).chain(broken);
    unknown(
        errors::unknown_inspection(id.as_str()),
        id,
        known,
        Known::Inspections,
    )
}

/// The error `message` for an unknown id, with a suggestion and the list
/// of known ids (`what`).
fn unknown<'a>(
    message: Message,
    id: &Id,
    known: impl Iterator<Item = &'a str>,
    what: Known,
) -> Error {
    let mut known: Vec<&str> = known.collect();
    known.sort_unstable();
    known.dedup();
    let mut hints = Vec::new();
    if let Some(near) = nearest(id.as_str(), known.iter().copied()) {
        hints.push(errors::did_you_mean(near));
    }
    if !known.is_empty() {
        hints.push(errors::known(what, &known.join(", ")));
    }
    Error::User { message, hints }
}

/// Returns the candidate nearest to `given` by edit distance, if it is
/// near enough to be a typo: at most two edits, or a third of the length
/// for longer ids. Ties go to the first in `candidates`.
pub fn nearest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (given.chars().count() / 3).max(2);
    candidates
        .map(|c| (strsim::levenshtein(given, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_is_matched_to_the_nearest_id() {
        let ids = ["ipa-five-principles", "ipa-self-check", "supplier-check"];
        assert_eq!(
            nearest("ipa-selfcheck", ids.into_iter()),
            Some("ipa-self-check")
        );
        assert_eq!(
            nearest("suplier-check", ids.into_iter()),
            Some("supplier-check")
        );
        assert_eq!(nearest("telework", ids.into_iter()), None);
        assert_eq!(nearest("x", ids.into_iter()), None);
    }
}
