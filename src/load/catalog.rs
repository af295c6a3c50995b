//! Finding and loading a repository's files: the catalog of settings,
//! register, templates and profiles, run files, and `check` over all of it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use serde::de::DeserializeOwned;

use super::broken::{Broken, BrokenKind};
use super::locator::Locator;
use super::validate::{
    RunTemplate, validate_active_profiles, validate_config, validate_inspection, validate_profile,
    validate_risk_date, validate_run, validate_run_dates, validate_run_order, validate_run_path,
    validate_subjects, validate_withdrawal,
};
use super::{Source, parse, parse_run, read, validate_risk, validate_roles};
use crate::error::Diagnostic;
use crate::model::{
    Config, Id, Inspection, Profile, RiskAssessment, Roles, Run, Subjects, Withdrawal,
};
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

/// Returns the `*.ron` entries directly in `dir` that are not folders,
/// sorted (none if `dir` is missing).
///
/// Links, FIFOs and devices are listed too (without following or opening
/// them), so that reading them reports the problem instead of skipping it.
pub fn ron_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

/// The repository's configuration, register, templates and profiles: the
/// settings and the register valid, and every template and profile that
/// is valid; the others are listed in `broken`.
///
/// A broken template or profile disables only itself: everything that
/// does not need it keeps working (runs of a broken template are scored
/// with the template they recorded, found in git history), and whatever
/// needs it (a new run of that template) is refused naming the file.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// `tenken.ron`.
    pub config: Config,
    /// `subjects.ron`.
    pub subjects: Subjects,
    /// `inspections/*.ron` by id (current versions), the valid ones.
    pub inspections: BTreeMap<Id, Inspection>,
    /// `profiles/*.ron` by id, the valid ones.
    pub profiles: BTreeMap<Id, Profile>,
    /// `roles.ron`: the management structure; empty when the file does not
    /// exist (repositories made before it was introduced).
    pub roles: Roles,
    /// The templates and profiles that are invalid, with their problems.
    pub broken: Vec<Broken>,
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
    let src = match read(Source::repo(root, rel)) {
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
    /// Every problem of `tenken.ron` and `subjects.ron`.
    settings_diags: Vec<Diagnostic>,
    inspections: BTreeMap<Id, Inspection>,
    /// Ids (file stems) of template files that exist but are invalid.
    broken_ids: BTreeSet<Id>,
    profiles: BTreeMap<Id, Profile>,
    roles: Roles,
    /// Templates and profiles that are invalid, each with its problems.
    broken: Vec<Broken>,
}

impl Parts {
    /// Every problem found, settings first.
    fn diags(self) -> Vec<Diagnostic> {
        let mut out = self.settings_diags;
        out.extend(self.broken.into_iter().flat_map(|b| b.problems));
        out
    }
}

/// Loads what it can of the catalog under `root`, collecting every problem
/// instead of stopping at the first broken file.
fn load_parts(root: &Path) -> Parts {
    let mut settings_diags = Vec::new();
    // Settings and register with a problem (reported) are still good
    // enough to check the other files against.
    let config = load_one::<Config>(
        root,
        Path::new("tenken.ron"),
        &mut settings_diags,
        |p, src, c| {
            let mut found = validate_config(p, src, c);
            found.extend(validate_active_profiles(root, p, src, c));
            found
        },
    )
    .map(|(c, _)| c);
    let subjects = load_one::<Subjects>(
        root,
        Path::new("subjects.ron"),
        &mut settings_diags,
        validate_subjects,
    )
    .map(|(s, _)| s);
    // roles.ron is read like the settings: `tenken roles` rewrites it, so
    // it must never be taken as empty while it is broken.
    let roles = load_roles(root, &mut settings_diags);
    let mut inspections = BTreeMap::new();
    let mut broken = Vec::new();
    for file in ron_files(&root.join("inspections")) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_owned();
        let s = stem(&rel).map(str::to_owned);
        let mut problems = Vec::new();
        match load_one::<Inspection>(root, &rel, &mut problems, |p, src, i| {
            validate_inspection(p, src, i, s.as_deref())
        }) {
            Some((insp, true)) => {
                inspections.insert(insp.id.clone(), insp);
            }
            _ => broken.push(Broken {
                kind: BrokenKind::Inspection,
                id: s.and_then(|s| Id::new(&s).ok()),
                path: rel,
                problems,
                last_good: None,
                origin: None,
            }),
        }
    }
    let broken_ids: BTreeSet<Id> = broken.iter().filter_map(|b| b.id.clone()).collect();
    let known: BTreeSet<Id> = inspections.keys().chain(&broken_ids).cloned().collect();
    let mut profiles = BTreeMap::new();
    for file in ron_files(&root.join("profiles")) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_owned();
        let s = stem(&rel).map(str::to_owned);
        let mut problems = Vec::new();
        match load_one::<Profile>(root, &rel, &mut problems, |p, src, prof| {
            validate_profile(p, src, prof, s.as_deref(), &known, subjects.as_ref())
        }) {
            Some((p, true)) => {
                profiles.insert(p.id.clone(), p);
            }
            _ => broken.push(Broken {
                kind: BrokenKind::Profile,
                id: s.and_then(|s| Id::new(&s).ok()),
                path: rel,
                problems,
                last_good: None,
                origin: None,
            }),
        }
    }
    Parts {
        config,
        subjects,
        settings_diags,
        inspections,
        broken_ids,
        profiles,
        roles,
        broken,
    }
}

/// The management structure file; optional.
const ROLES_FILE: &str = "roles.ron";

/// Loads `roles.ron` when it exists (an empty register otherwise),
/// recording every problem in `diags`.
fn load_roles(root: &Path, diags: &mut Vec<Diagnostic>) -> Roles {
    // A link or a device is read (and refused) like any other file; only a
    // name that is not there at all means "no register yet".
    if std::fs::symlink_metadata(root.join(ROLES_FILE)).is_err() {
        return Roles::default();
    }
    load_one::<Roles>(root, Path::new(ROLES_FILE), diags, validate_roles)
        .map(|(roles, _)| roles)
        .unwrap_or_default()
}

/// Loads the configuration, register, roles, templates and profiles under
/// `root`.
///
/// Fails when `tenken.ron`, `subjects.ron` or `roles.ron` is invalid (or
/// either of the first two missing), with every problem of the catalog
/// (theirs first): they decide who may do what, the fiscal year and what
/// is inspected, and guessing them would be unsafe. A broken template or
/// profile does not fail the load; it is listed in [`Catalog::broken`].
pub fn catalog(root: &Path) -> Result<Catalog, Vec<Diagnostic>> {
    let mut parts = load_parts(root);
    match (parts.config.take(), parts.subjects.take()) {
        (Some(config), Some(subjects)) if parts.settings_diags.is_empty() => Ok(Catalog {
            config,
            subjects,
            inspections: parts.inspections,
            profiles: parts.profiles,
            roles: parts.roles,
            broken: parts.broken,
        }),
        // Every problem, so that one look shows all that is wrong.
        _ => Err(parts.diags()),
    }
}

/// Loads the catalog like [`catalog`], but fails on any problem at all,
/// broken templates and profiles included.
pub fn catalog_strict(root: &Path) -> Result<Catalog, Vec<Diagnostic>> {
    let catalog = catalog(root)?;
    if catalog.broken.is_empty() {
        Ok(catalog)
    } else {
        Err(catalog
            .broken
            .into_iter()
            .flat_map(|b| b.problems)
            .collect())
    }
}

/// Returns the language `tenken.ron` under `root` sets, when the file reads
/// as settings (to show an error in, whatever else is broken).
pub fn config_lang(root: &Path) -> Option<crate::model::Lang> {
    let rel = Path::new("tenken.ron");
    let src = read(Source::repo(root, rel)).ok()?;
    parse::<Config>(rel, &src).ok().map(|c| c.lang)
}

/// Returns every valid template in `inspections/` by id, whatever else of
/// the repository is broken.
pub fn current_inspections(root: &Path) -> BTreeMap<Id, Inspection> {
    load_parts(root).inspections
}

/// Finds the template a run was taken with: the one whose content hash the
/// run recorded, or for older runs the one of its version (the store looks
/// in git history). `None` when there is none.
pub type TemplateOf<'a> = &'a dyn Fn(&Run) -> Option<Arc<Inspection>>;

/// Returns a [`TemplateOf`] that knows only the current templates: a run
/// with a content hash gets the current template if the hash matches, one
/// without gets it if the version matches. For callers without git history.
pub fn current_template(
    inspections: &BTreeMap<Id, Inspection>,
) -> impl Fn(&Run) -> Option<Arc<Inspection>> + '_ {
    |run: &Run| {
        let t = inspections.get(&run.inspection)?;
        let fits = match &run.inspection_hash {
            Some(hash) => t.content_hash().is_ok_and(|h| *h == **hash),
            None => t.version == run.inspection_version,
        };
        fits.then(|| Arc::new(t.clone()))
    }
}

/// Loads and validates one run file against the catalog and the template
/// `template_of` finds for it.
pub fn run_file(
    root: &Path,
    rel: &Path,
    catalog: &Catalog,
    template_of: TemplateOf<'_>,
) -> Result<(Run, Arc<Inspection>), Vec<Diagnostic>> {
    let src = read(Source::repo(root, rel)).map_err(|d| vec![d])?;
    run_from_str(rel, &src, catalog, template_of)
}

/// Parses and validates a run from its text; returns it with the template
/// it is scored against.
pub fn run_from_str(
    rel: &Path,
    src: &str,
    catalog: &Catalog,
    template_of: TemplateOf<'_>,
) -> Result<(Run, Arc<Inspection>), Vec<Diagnostic>> {
    let run = parse_run(rel, src).map_err(|d| vec![d])?;
    let broken: BTreeSet<Id> = catalog
        .broken
        .iter()
        .filter(|b| b.kind == BrokenKind::Inspection)
        .filter_map(|b| b.id.clone())
        .collect();
    let (diags, template) = check_run(
        rel,
        src,
        &run,
        &catalog.inspections,
        &broken,
        Some(&catalog.subjects),
        template_of,
    );
    match template {
        Some(t) if diags.is_empty() => Ok((run, t)),
        _ if diags.is_empty() => {
            let message = match catalog.broken_inspection(&run.inspection) {
                Some(b) => crate::msg::load::run::template_broken_and_lost(
                    &crate::escape::line(&run.id),
                    &b.path.display().to_string(),
                ),
                None => crate::msg::load::run::no_template(&crate::escape::line(&run.id)),
            };
            Err(vec![Diagnostic {
                path: rel.to_owned(),
                line: 1,
                col: 1,
                message,
            }])
        }
        _ => Err(diags),
    }
}

/// Checks a parsed run against whatever of the catalog is available, and
/// returns the template it was checked against.
fn check_run(
    rel: &Path,
    src: &str,
    run: &Run,
    inspections: &BTreeMap<Id, Inspection>,
    broken: &BTreeSet<Id>,
    subjects: Option<&Subjects>,
    template_of: TemplateOf<'_>,
) -> (Vec<Diagnostic>, Option<Arc<Inspection>>) {
    // A run of a template whose current file is broken is still checked
    // and scored against the template it recorded (found in git history).
    let is_broken = broken.contains(&run.inspection);
    let found = (inspections.contains_key(&run.inspection) || is_broken)
        .then(|| template_of(run))
        .flatten();
    let template = match (inspections.get(&run.inspection), &found) {
        (_, Some(t)) if t.version != run.inspection_version => {
            RunTemplate::VersionMismatch { hashed: t.version }
        }
        (_, Some(t)) => RunTemplate::Found(t),
        (Some(_), None) if run.inspection_hash.is_some() => RunTemplate::NoSuchHash,
        (Some(t), None) => RunTemplate::NoSuchVersion { current: t.version },
        (None, None) if is_broken => RunTemplate::Unchecked,
        (None, None) => RunTemplate::NoSuchInspection,
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
            message: crate::msg::load::run::id_not_path(&crate::escape::line(&run.id), &expected),
        });
    }
    (diags, found)
}

/// Parses and validates a withdrawal (`withdrawals/<run id>.ron`) from its
/// text.
pub fn withdrawal_from_str(rel: &Path, src: &str) -> Result<Withdrawal, Vec<Diagnostic>> {
    let w: Withdrawal = parse(rel, src).map_err(|d| vec![d])?;
    let diags = validate_withdrawal(rel, src, &w);
    if diags.is_empty() { Ok(w) } else { Err(diags) }
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
/// itself invalid is checked for everything but its answers. Dates must lie
/// between 1990-01-01 and the date of `now` (action due dates up to ten
/// years ahead).
pub fn check_repo(
    root: &Path,
    template_of: TemplateOf<'_>,
    now: DateTime<FixedOffset>,
) -> Vec<Diagnostic> {
    let parts = load_parts(root);
    let (inspections, broken_ids, subjects) = (
        parts.inspections.clone(),
        parts.broken_ids.clone(),
        parts.subjects.clone(),
    );
    let mut diags = parts.diags();
    for rel in run_paths(root) {
        let found = read(Source::repo(root, &rel)).and_then(|src| {
            let run = parse_run(&rel, &src)?;
            let mut found = check_run(
                &rel,
                &src,
                &run,
                &inspections,
                &broken_ids,
                subjects.as_ref(),
                template_of,
            )
            .0;
            found.extend(validate_run_path(&rel, &src, &run));
            found.extend(validate_run_dates(&rel, &src, &run, now));
            found.extend(validate_run_order(&rel, &src, &run));
            Ok(found)
        });
        match found {
            Ok(found) => diags.extend(found),
            Err(d) => diags.push(d),
        }
    }
    for file in ron_files(&root.join("risks")) {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_owned();
        load_one::<RiskAssessment>(root, &rel, &mut diags, |p, src, risk| {
            let mut found = validate_risk(p, src, risk);
            found.extend(validate_risk_date(p, src, risk, now.date_naive()));
            found
        });
    }
    diags
}
