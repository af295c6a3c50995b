//! Drafts: runs still being answered, autosaved to
//! `.tenken/drafts/<inspector>/<subject>--<inspection>.ron` after every
//! change. Each save is atomic (temporary file, fsync, rename, fsync of the
//! folder) with mode 0600, so a crash, `kill -9` or a dropped SSH link
//! leaves the last complete draft. Drafts are never committed to git.

use std::path::{Path, PathBuf};

use super::{STATE_DIR, Store, atomic, ron_text};
use crate::error::{Diagnostic, Error, Result};
use crate::load;
use crate::model::{Draft, Id, RiskAssessment};

/// The folder under `.tenken/` that holds drafts.
pub const DRAFTS_DIR: &str = "drafts";

impl Store {
    /// Saves `draft` atomically, replacing the previous save of the same
    /// inspector, subject and inspection.
    ///
    /// The inspector's draft folder is created with mode 0700 and the file
    /// with mode 0600: drafts may hold notes not yet meant for others.
    pub fn save_draft(&self, draft: &Draft) -> Result<()> {
        let dir = self.drafts_dir(&draft.inspector.id);
        create_private_dir(&self.root, &dir)?;
        let text = ron_text(draft)?;
        let path = dir.join(draft_file_name(&draft.subject, &draft.inspection));
        atomic::write_atomic(&path, text.as_bytes(), 0o600)
    }

    /// Loads the draft of `inspector` for `subject` and `inspection`, or
    /// `None` if there is none.
    ///
    /// A draft that cannot be read or parsed is an error naming the file,
    /// never silently dropped.
    pub fn load_draft(
        &self,
        inspector: &Id,
        subject: &Id,
        inspection: &Id,
    ) -> Result<Option<Draft>> {
        // A commit interrupted by a crash is settled first, so a draft that
        // was committed is never offered again.
        self.recover()?;
        let path = self
            .drafts_dir(inspector)
            .join(draft_file_name(subject, inspection));
        if !path.exists() || self.is_tracked(&path) {
            return Ok(None);
        }
        self.read_draft(&path, inspector).map(Some)
    }

    /// Lists every draft of `inspector`, sorted by subject then inspection.
    ///
    /// Any draft that cannot be read or parsed makes the whole call fail
    /// with an error naming the file: skipping it would hide unfinished
    /// work from the inspector.
    pub fn drafts(&self, inspector: &Id) -> Result<Vec<Draft>> {
        self.recover()?;
        let dir = self.drafts_dir(inspector);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&dir, e)),
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            // Temporary files of interrupted saves start with a dot.
            let is_ron = Path::new(name).extension().is_some_and(|e| e == "ron");
            if name.starts_with('.') || !is_ron || name == RISK_DRAFT_FILE {
                continue;
            }
            files.push(entry.path());
        }
        files.sort();
        // A draft git tracks came from a commit, not from this inspector.
        if !files.is_empty() {
            let tracked = self.tracked_state();
            files.retain(|f| {
                f.strip_prefix(&self.root)
                    .map_or(true, |rel| !tracked.contains(rel))
            });
        }
        let mut drafts = Vec::with_capacity(files.len());
        let mut problems = Vec::new();
        for path in files {
            match self.read_draft(&path, inspector) {
                Ok(d) => drafts.push(d),
                Err(Error::Invalid(diags)) => problems.extend(diags),
                Err(e) => return Err(e),
            }
        }
        if problems.is_empty() {
            Ok(drafts)
        } else {
            Err(Error::Invalid(problems))
        }
    }

    /// Removes the draft of `inspector` for `subject` and `inspection`; a
    /// missing draft is not an error.
    pub fn remove_draft(&self, inspector: &Id, subject: &Id, inspection: &Id) -> Result<()> {
        let path = self
            .drafts_dir(inspector)
            .join(draft_file_name(subject, inspection));
        atomic::remove_durable(&path)
    }

    /// Returns the path of a draft relative to the repository root.
    pub fn draft_path(inspector: &Id, subject: &Id, inspection: &Id) -> PathBuf {
        Path::new(STATE_DIR)
            .join(DRAFTS_DIR)
            .join(inspector.as_str())
            .join(draft_file_name(subject, inspection))
    }

    fn drafts_dir(&self, inspector: &Id) -> PathBuf {
        self.root
            .join(STATE_DIR)
            .join(DRAFTS_DIR)
            .join(inspector.as_str())
    }

    fn read_draft(&self, path: &Path, inspector: &Id) -> Result<Draft> {
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        let src = load::read(load::Source::repo(&self.root, shown))?;
        let draft: Draft = load::parse(shown, &src)?;
        let expected = draft_file_name(&draft.subject, &draft.inspection);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if draft.inspector.id != *inspector || name != expected {
            return Err(Error::from(Diagnostic {
                path: shown.to_owned(),
                line: 1,
                col: 1,
                message: format!(
                    "the draft is for inspector `{}`, subject `{}` and inspection `{}`, which does not match its file name",
                    draft.inspector.id, draft.subject, draft.inspection
                ),
            }));
        }
        Ok(draft)
    }
}

/// The file of an inspector's risk assessment draft, beside the run drafts
/// (never a run draft's name: those always contain `--`).
pub const RISK_DRAFT_FILE: &str = "risk.ron";

impl Store {
    /// Saves the risk assessment being edited by `risk.assessor`
    /// atomically (mode 0600), replacing the previous save.
    pub fn save_risk_draft(&self, risk: &RiskAssessment) -> Result<()> {
        let dir = self.drafts_dir(&risk.assessor.id);
        create_private_dir(&self.root, &dir)?;
        let text = ron_text(risk)?;
        atomic::write_atomic(&dir.join(RISK_DRAFT_FILE), text.as_bytes(), 0o600)
    }

    /// Loads the risk assessment draft of `inspector`, or `None` if there is
    /// none.
    ///
    /// A draft that does not parse, or that belongs to someone else, is an
    /// error naming the file.
    pub fn load_risk_draft(&self, inspector: &Id) -> Result<Option<RiskAssessment>> {
        let path = self.drafts_dir(inspector).join(RISK_DRAFT_FILE);
        if !path.exists() || self.is_tracked(&path) {
            return Ok(None);
        }
        let shown = path.strip_prefix(&self.root).unwrap_or(&path);
        let src = load::read(load::Source::repo(&self.root, shown))?;
        let risk: RiskAssessment = load::parse(shown, &src)?;
        if risk.assessor.id != *inspector {
            return Err(Error::from(Diagnostic {
                path: shown.to_owned(),
                line: 1,
                col: 1,
                message: format!(
                    "the risk draft is by `{}`, not by `{inspector}` whose folder it is in",
                    risk.assessor.id
                ),
            }));
        }
        Ok(Some(risk))
    }

    /// Removes the risk assessment draft of `inspector`; a missing draft is
    /// not an error.
    pub fn remove_risk_draft(&self, inspector: &Id) -> Result<()> {
        atomic::remove_durable(&self.drafts_dir(inspector).join(RISK_DRAFT_FILE))
    }
}

/// Returns `<subject>--<inspection>.ron`.
fn draft_file_name(subject: &Id, inspection: &Id) -> String {
    format!("{subject}--{inspection}.ron")
}

/// Creates `dir` and its parents; `dir` itself gets mode 0700. Refuses a
/// folder on the way that is a symbolic link leading out of `root`.
fn create_private_dir(root: &Path, dir: &Path) -> Result<()> {
    super::contain::check_within(root, dir)?;
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    match builder.create(dir) {
        Ok(()) => Ok(()),
        // Another session of the same inspector created it meanwhile.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(Error::io(dir, e)),
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::DateTime;

    use super::*;
    use crate::model::{Answer, Inspector};
    use crate::store::testing::test_store;

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    pub(crate) fn draft(subject: &str, inspection: &str) -> Draft {
        Draft {
            format: 1,
            inspection: id(inspection),
            inspection_version: 1,
            inspection_hash: None,
            subject: id(subject),
            inspector: Inspector {
                id: id("sato"),
                name: "Sato Hanako".into(),
                email: "sato@example.jp".into(),
            },
            started: DateTime::parse_from_rfc3339("2026-11-25T09:15:00+09:00").unwrap(),
            answers: BTreeMap::from([(id("1"), Answer::new(id("yes")))]),
            cursor: 1,
            supersedes: None,
            closes: Vec::new(),
        }
    }

    #[test]
    fn saves_loads_lists_and_removes() {
        let (_dir, store) = test_store();
        let sato = id("sato");
        let d = draft("self", "test-five");
        assert_eq!(
            store.load_draft(&sato, &d.subject, &d.inspection).unwrap(),
            None
        );
        store.save_draft(&d).unwrap();
        let mut changed = d.clone();
        changed.cursor = 2;
        store.save_draft(&changed).unwrap();
        assert_eq!(
            store.load_draft(&sato, &d.subject, &d.inspection).unwrap(),
            Some(changed.clone())
        );
        let other = draft("hq", "test-five");
        store.save_draft(&other).unwrap();
        assert_eq!(store.drafts(&sato).unwrap(), vec![other.clone(), changed]);
        assert_eq!(store.drafts(&id("suzuki")).unwrap(), Vec::new());

        let path = store
            .root()
            .join(Store::draft_path(&sato, &d.subject, &d.inspection));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir_mode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dir_mode & 0o777, 0o700);
        }
        store
            .remove_draft(&sato, &d.subject, &d.inspection)
            .unwrap();
        store
            .remove_draft(&sato, &d.subject, &d.inspection)
            .unwrap();
        assert!(!path.exists());
        assert_eq!(store.drafts(&sato).unwrap(), vec![other]);
    }

    #[test]
    fn a_broken_draft_is_an_error_naming_the_file() {
        let (_dir, store) = test_store();
        let sato = id("sato");
        store.save_draft(&draft("self", "x")).unwrap();
        let bad = store.root().join(".tenken/drafts/sato/self--test-five.ron");
        std::fs::write(&bad, "Draft(format: 1,").unwrap();
        // A leftover temporary file of an interrupted save is ignored.
        std::fs::write(bad.with_file_name(".self--x.ron.tmp-1-0"), "half a dra").unwrap();
        let err = store.drafts(&sato).unwrap_err();
        let Error::Invalid(diags) = &err else {
            panic!("{err}")
        };
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0]
                .to_string()
                .starts_with(".tenken/drafts/sato/self--test-five.ron:1:"),
            "{}",
            diags[0]
        );
        let err = store
            .load_draft(&sato, &id("self"), &id("test-five"))
            .unwrap_err();
        assert!(matches!(err, Error::Invalid(_)));
    }

    #[test]
    fn a_risk_draft_is_saved_beside_run_drafts_without_disturbing_them() {
        let (_dir, store) = test_store();
        let sato = id("sato");
        assert_eq!(store.load_risk_draft(&sato).unwrap(), None);
        let run = draft("self", "test-five");
        store.save_draft(&run).unwrap();
        let risk = RiskAssessment {
            format: 1,
            id: String::new(),
            assessor: run.inspector.clone(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            assets: Vec::new(),
        };
        store.save_risk_draft(&risk).unwrap();
        let mut changed = risk.clone();
        changed.date = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        store.save_risk_draft(&changed).unwrap();
        assert_eq!(store.load_risk_draft(&sato).unwrap(), Some(changed));
        // The run drafts are listed as before.
        assert_eq!(store.drafts(&sato).unwrap(), vec![run]);
        let path = store.root().join(".tenken/drafts/sato/risk.ron");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Someone else's draft in this folder is refused.
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("id: \"sato\"", "id: \"suzuki\"");
        std::fs::write(&path, text).unwrap();
        let err = store.load_risk_draft(&sato).unwrap_err().to_string();
        assert!(err.contains("the risk draft is by `suzuki`"), "{err}");
        store.remove_risk_draft(&sato).unwrap();
        store.remove_risk_draft(&sato).unwrap();
        assert!(!path.exists());
        assert_eq!(store.load_risk_draft(&sato).unwrap(), None);
    }

    #[test]
    fn a_draft_under_the_wrong_name_is_refused() {
        let (_dir, store) = test_store();
        let sato = id("sato");
        let d = draft("self", "x");
        store.save_draft(&d).unwrap();
        let from = store.root().join(".tenken/drafts/sato/self--x.ron");
        std::fs::rename(&from, from.with_file_name("hq--x.ron")).unwrap();
        let err = store.drafts(&sato).unwrap_err().to_string();
        assert!(err.contains("does not match its file name"), "{err}");
    }
}
