//! Drafts: runs still being answered, autosaved to
//! `.tenken/drafts/<inspector>/<subject>/<inspection>.ron` after every
//! change (one folder per subject: ids cannot contain `/`, so no two pairs
//! of ids share a file). Each save is atomic (temporary file, fsync, rename,
//! fsync of the folder) with mode 0600, so a crash, `kill -9` or a dropped
//! SSH link leaves the last complete draft. Drafts are never committed to
//! git.
//!
//! Drafts of older versions (`<inspector>/<subject>--<inspection>.ron`,
//! where `self` + `x--y` and `self--x` + `y` shared one file) are moved to
//! their folder the first time an inspector's drafts are read; a draft whose
//! new place is taken by a different draft is kept in
//! `<inspector>/.legacy/` instead, so nothing is lost. The risk assessment
//! draft lives apart, in `.tenken/risk-drafts/<inspector>.ron`.

use std::path::{Path, PathBuf};

use super::{STATE_DIR, Store, atomic, ron_text};
use crate::error::{Diagnostic, Error, Result};
use crate::load;
use crate::model::{Draft, Id, RiskAssessment};

/// The folder under `.tenken/` that holds drafts.
pub const DRAFTS_DIR: &str = "drafts";

/// The folder under `.tenken/` that holds risk assessment drafts.
pub const RISK_DRAFTS_DIR: &str = "risk-drafts";

/// The file name of a risk assessment draft in older versions, in the
/// inspector's draft folder.
pub const RISK_DRAFT_FILE: &str = "risk.ron";

/// Where older drafts go that cannot take their new place (a folder name
/// no id can have).
const LEGACY_DIR: &str = ".legacy";

impl Store {
    /// Saves `draft` atomically, replacing the previous save of the same
    /// inspector, subject and inspection.
    ///
    /// The inspector's and the subject's draft folders are created with
    /// mode 0700 and the file with mode 0600: drafts may hold notes not yet
    /// meant for others.
    pub fn save_draft(&self, draft: &Draft) -> Result<()> {
        let inspector_dir = self.drafts_dir(&draft.inspector.id);
        create_private_dir(&self.root, &inspector_dir)?;
        let dir = inspector_dir.join(draft.subject.as_str());
        create_private_dir(&self.root, &dir)?;
        let text = ron_text(draft)?;
        let path = dir.join(format!("{}.ron", draft.inspection));
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
        self.migrate_drafts(inspector)?;
        let path = self
            .root
            .join(Self::draft_path(inspector, subject, inspection));
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
        self.migrate_drafts(inspector)?;
        let dir = self.drafts_dir(inspector);
        let mut files = Vec::new();
        for subject in entries(&dir)? {
            if !subject.is_dir() || hidden(&subject) {
                continue;
            }
            for file in entries(&subject)? {
                // Temporary files of interrupted saves start with a dot;
                // claims end in `.lock`.
                let is_ron = file.extension().is_some_and(|e| e == "ron");
                if is_ron && !hidden(&file) && file.is_file() {
                    files.push(file);
                }
            }
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
            .root
            .join(Self::draft_path(inspector, subject, inspection));
        atomic::remove_durable(&path)
    }

    /// Returns the path of a draft relative to the repository root.
    pub fn draft_path(inspector: &Id, subject: &Id, inspection: &Id) -> PathBuf {
        Path::new(STATE_DIR)
            .join(DRAFTS_DIR)
            .join(inspector.as_str())
            .join(subject.as_str())
            .join(format!("{inspection}.ron"))
    }

    pub(super) fn drafts_dir(&self, inspector: &Id) -> PathBuf {
        self.root
            .join(STATE_DIR)
            .join(DRAFTS_DIR)
            .join(inspector.as_str())
    }

    fn read_draft(&self, path: &Path, inspector: &Id) -> Result<Draft> {
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        let src = load::read(load::Source::repo(&self.root, shown))?;
        let draft: Draft = load::parse(shown, &src)?;
        let expected = Self::draft_path(inspector, &draft.subject, &draft.inspection);
        if draft.inspector.id != *inspector || shown != expected {
            return Err(Error::from(Diagnostic {
                path: shown.to_owned(),
                line: 1,
                col: 1,
                message: crate::msg::load::store::draft_misplaced(
                    draft.inspector.id.as_str(),
                    draft.subject.as_str(),
                    draft.inspection.as_str(),
                ),
            }));
        }
        Ok(draft)
    }

    /// Moves the drafts of older versions (`<subject>--<inspection>.ron`
    /// beside the subject folders) and the old risk draft to their places.
    ///
    /// A draft that does not parse stays where it is (and is reported by
    /// nobody: it was never a draft of this version); one whose place is
    /// taken by a different draft goes to `.legacy/`.
    fn migrate_drafts(&self, inspector: &Id) -> Result<()> {
        let dir = self.drafts_dir(inspector);
        let Ok(list) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        let mut old: Vec<PathBuf> = list
            .filter_map(std::result::Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| !hidden(p) && p.extension().is_some_and(|e| e == "ron"))
            .collect();
        if old.is_empty() {
            return Ok(());
        }
        // A file git tracks came from a commit: not this inspector's work,
        // and moving it would change the work tree.
        let tracked = self.tracked_state();
        old.retain(|f| {
            f.strip_prefix(&self.root)
                .map_or(true, |rel| !tracked.contains(rel))
        });
        for from in old {
            let shown = from.strip_prefix(&self.root).unwrap_or(&from).to_owned();
            let Ok(src) = load::read(load::Source::repo(&self.root, &shown)) else {
                continue;
            };
            if from.file_name().is_some_and(|n| n == RISK_DRAFT_FILE) {
                if let Ok(risk) = load::parse::<RiskAssessment>(&shown, &src)
                    && risk.assessor.id == *inspector
                {
                    let to = self.risk_draft_file(&risk.assessor.id);
                    self.move_draft(&from, &to, &src, inspector)?;
                }
                continue;
            }
            let Ok(draft) = load::parse::<Draft>(&shown, &src) else {
                continue;
            };
            let to = self.root.join(Self::draft_path(
                &draft.inspector.id,
                &draft.subject,
                &draft.inspection,
            ));
            if draft.inspector.id != *inspector {
                continue;
            }
            create_private_dir(&self.root, &dir.join(draft.subject.as_str()))?;
            self.move_draft(&from, &to, &src, inspector)?;
        }
        Ok(())
    }

    /// Moves an older draft `from` (whose text is `src`) to `to`, or to
    /// `.legacy/` when `to` holds a different draft already.
    fn move_draft(&self, from: &Path, to: &Path, src: &str, inspector: &Id) -> Result<()> {
        let there = to
            .strip_prefix(&self.root)
            .ok()
            .and_then(|rel| load::read(load::Source::repo(&self.root, rel)).ok());
        let target = match there {
            None => to.to_owned(),
            Some(there) if there == src => {
                return atomic::remove_durable(from);
            }
            Some(_) => {
                let legacy = self.drafts_dir(inspector).join(LEGACY_DIR);
                create_private_dir(&self.root, &legacy)?;
                legacy.join(from.file_name().unwrap_or_default())
            }
        };
        if let Some(parent) = target.parent() {
            create_private_dir(&self.root, parent)?;
        }
        // Written anew (atomically, mode 0600) rather than renamed, so the
        // new place never holds half a draft; then the old file goes.
        if atomic::write_new_atomic(&target, src.as_bytes(), 0o600)? {
            atomic::remove_durable(from)?;
        }
        Ok(())
    }

    pub(super) fn risk_draft_file(&self, inspector: &Id) -> PathBuf {
        self.root
            .join(STATE_DIR)
            .join(RISK_DRAFTS_DIR)
            .join(format!("{inspector}.ron"))
    }
}

impl Store {
    /// Saves the risk assessment being edited by `risk.assessor`
    /// atomically (mode 0600), replacing the previous save.
    pub fn save_risk_draft(&self, risk: &RiskAssessment) -> Result<()> {
        let path = self.risk_draft_file(&risk.assessor.id);
        if let Some(dir) = path.parent() {
            create_private_dir(&self.root, dir)?;
        }
        let text = ron_text(risk)?;
        atomic::write_atomic(&path, text.as_bytes(), 0o600)
    }

    /// Loads the risk assessment draft of `inspector`, or `None` if there is
    /// none.
    ///
    /// A draft that does not parse, or that belongs to someone else, is an
    /// error naming the file.
    pub fn load_risk_draft(&self, inspector: &Id) -> Result<Option<RiskAssessment>> {
        self.migrate_drafts(inspector)?;
        let path = self.risk_draft_file(inspector);
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
                message: crate::msg::load::store::risk_draft_misplaced(
                    risk.assessor.id.as_str(),
                    inspector.as_str(),
                ),
            }));
        }
        Ok(Some(risk))
    }

    /// Removes the risk assessment draft of `inspector`; a missing draft is
    /// not an error.
    pub fn remove_risk_draft(&self, inspector: &Id) -> Result<()> {
        atomic::remove_durable(&self.risk_draft_file(inspector))
    }
}

/// The entries of `dir`, sorted; none when it does not exist.
fn entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let list = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut out = Vec::new();
    for entry in list {
        out.push(entry.map_err(|e| Error::io(dir, e))?.path());
    }
    out.sort();
    Ok(out)
}

/// Returns true for a name starting with a dot (temporary files, `.legacy`).
fn hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_none_or(|n| n.starts_with('.'))
}

/// Creates `dir` and its parents; `dir` itself gets mode 0700. Refuses a
/// folder on the way that is a symbolic link leading out of `root`.
pub(super) fn create_private_dir(root: &Path, dir: &Path) -> Result<()> {
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
        let bad = store.root().join(".tenken/drafts/sato/self/test-five.ron");
        std::fs::write(&bad, "Draft(format: 1,").unwrap();
        // A leftover temporary file of an interrupted save is ignored.
        std::fs::write(bad.with_file_name(".x.ron.tmp-1-0"), "half a dra").unwrap();
        let err = store.drafts(&sato).unwrap_err();
        let Error::Invalid(diags) = &err else {
            panic!("{err}")
        };
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0]
                .to_string()
                .starts_with(".tenken/drafts/sato/self/test-five.ron:1:"),
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
        let path = store.root().join(".tenken/risk-drafts/sato.ron");
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
        let from = store.root().join(".tenken/drafts/sato/self/x.ron");
        std::fs::create_dir_all(store.root().join(".tenken/drafts/sato/hq")).unwrap();
        std::fs::rename(&from, store.root().join(".tenken/drafts/sato/hq/x.ron")).unwrap();
        let err = store.drafts(&sato).unwrap_err().to_string();
        assert!(err.contains("which does not match where it is"), "{err}");
    }

    #[test]
    fn regression_issue_13_drafts_of_colliding_id_pairs_never_share_a_file() {
        let (_dir, store) = test_store();
        let sato = id("sato");
        // Under the old `<subject>--<inspection>.ron` both were
        // `self--x--ipa-five-principles.ron`.
        let a = draft("self", "x--ipa-five-principles");
        let mut b = draft("self--x", "ipa-five-principles");
        b.cursor = 7;
        store.save_draft(&a).unwrap();
        store.save_draft(&b).unwrap();
        assert_eq!(store.drafts(&sato).unwrap(), vec![a.clone(), b.clone()]);
        assert_eq!(
            store.load_draft(&sato, &a.subject, &a.inspection).unwrap(),
            Some(a.clone())
        );
        assert_eq!(
            store.load_draft(&sato, &b.subject, &b.inspection).unwrap(),
            Some(b.clone())
        );
        assert_ne!(
            Store::draft_path(&sato, &a.subject, &a.inspection),
            Store::draft_path(&sato, &b.subject, &b.inspection)
        );
        // A subject named like the old risk draft is just a subject.
        let risky = draft("risk.ron", "x");
        store.save_draft(&risky).unwrap();
        assert_eq!(store.drafts(&sato).unwrap().len(), 3);
        assert_eq!(store.load_risk_draft(&sato).unwrap(), None);
    }

    #[test]
    fn drafts_of_the_old_layout_move_to_their_folder_and_none_is_lost() {
        let (_dir, store) = test_store();
        let sato = id("sato");
        let dir = store.root().join(".tenken/drafts/sato");
        std::fs::create_dir_all(&dir).unwrap();
        let plain = draft("self", "test-five");
        std::fs::write(dir.join("self--test-five.ron"), ron_text(&plain).unwrap()).unwrap();
        // Both halves of a collision: the file holds one of them, the other
        // is already in its new place with different answers.
        let one = draft("self", "x--y");
        let mut other = one.clone();
        other.cursor = 4;
        store.save_draft(&other).unwrap();
        std::fs::write(dir.join("self--x--y.ron"), ron_text(&one).unwrap()).unwrap();
        // The old risk draft.
        let risk = RiskAssessment {
            format: 1,
            id: String::new(),
            assessor: plain.inspector.clone(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            assets: Vec::new(),
        };
        std::fs::write(dir.join(RISK_DRAFT_FILE), ron_text(&risk).unwrap()).unwrap();

        assert_eq!(store.drafts(&sato).unwrap(), vec![plain.clone(), other]);
        assert!(dir.join("self/test-five.ron").is_file());
        assert!(!dir.join("self--test-five.ron").exists());
        assert!(!dir.join("self--x--y.ron").exists());
        let kept = std::fs::read_to_string(dir.join(".legacy/self--x--y.ron")).unwrap();
        assert_eq!(kept, ron_text(&one).unwrap(), "the other half is kept");
        assert_eq!(store.load_risk_draft(&sato).unwrap(), Some(risk));
        assert!(!dir.join(RISK_DRAFT_FILE).exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for p in [
                dir.join("self/test-five.ron"),
                dir.join(".legacy/self--x--y.ron"),
            ] {
                let mode = std::fs::metadata(&p).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o600, "{}", p.display());
            }
        }
        // Reading again changes nothing.
        assert_eq!(store.drafts(&sato).unwrap().len(), 2);
    }
}
