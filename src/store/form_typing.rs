//! What is being typed in the risk editor and the register form, kept like
//! the walker's fields (`store/typing.rs`): saved after every keystroke to
//! `.tenken/typing/<inspector>/risks.ron` (the risk editor's open text
//! field) and `.tenken/typing/<inspector>/register/add.ron` or
//! `register/edit/<subject>.ron` (the whole register form), atomically and
//! with mode 0600, removed when the field or the form is saved or
//! cancelled, never read from git. The next session that opens the editor
//! or the form offers the text back where it was. One session at a time
//! types into a form: the TUI claims it while it is open
//! (`Store::claim_register_form`, a lock beside the form's file, like a
//! run draft's claim), and reads its file again once claimed.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::typing::TYPING_DIR;
use super::{STATE_DIR, Store, atomic, ron_text};
use crate::error::Result;
use crate::load;
use crate::model::{Id, SubjectKind};

/// The risk editor's file in an inspector's typing folder.
const RISKS_FILE: &str = "risks.ron";

/// The register form's folder in an inspector's typing folder.
const REGISTER: &str = "register";

/// The text field open in the risk editor, on the assessment draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskTyping {
    /// File format version; always 1.
    pub format: u32,
    /// The asset whose row (or whose threat's row) is being typed into.
    pub asset: Id,
    /// The threat, when the row is a threat's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threat: Option<Id>,
    /// The column: `name`, `business`, `owner`, `medium`, `users` of an
    /// asset; `title`, `plan` of a threat, or `reason` (why its
    /// vulnerability differs from the inspections).
    pub field: String,
    /// The text as it stands.
    pub text: String,
    /// The cursor's character.
    pub col: usize,
}

/// The register form as it stands, every field of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterTyping {
    /// File format version; always 1.
    pub format: u32,
    /// The subject edited, or `None` for a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editing: Option<Id>,
    /// The kind chosen.
    pub kind: SubjectKind,
    /// The criticality chosen.
    pub criticality: u8,
    /// The text fields as typed: id, name, contact, tags, services, data
    /// handled, then the name in the other language (added last, so that
    /// forms kept before it read back in place).
    pub texts: Vec<String>,
    /// The field with the focus (its place in the form).
    pub focus: usize,
    /// The cursor's character in the focused field.
    pub col: usize,
}

impl Store {
    /// Saves the risk editor's open field for `inspector`.
    pub fn save_risk_typing(&self, inspector: &Id, typing: &RiskTyping) -> Result<()> {
        self.write_form_typing(inspector, &Self::risk_typing_file(inspector), typing)
    }

    /// Loads what `inspector` was typing in the risk editor, or `None`. A
    /// file that cannot be read or parsed is an error naming it.
    pub fn load_risk_typing(&self, inspector: &Id) -> Result<Option<RiskTyping>> {
        self.read_form_typing(&Self::risk_typing_file(inspector))
    }

    /// Forgets what `inspector` was typing in the risk editor.
    pub fn remove_risk_typing(&self, inspector: &Id) -> Result<()> {
        atomic::remove_durable(&self.root.join(Self::risk_typing_file(inspector)))
    }

    /// Saves the register form for `inspector` (per subject edited, or the
    /// one new subject).
    pub fn save_register_typing(&self, inspector: &Id, typing: &RegisterTyping) -> Result<()> {
        let file = Self::register_typing_file(inspector, typing.editing.as_ref());
        self.write_form_typing(inspector, &file, typing)
    }

    /// Loads every register form `inspector` left open (new subject first,
    /// then by subject id). A file that cannot be read or parsed, or that
    /// names another subject than its file, is an error naming it.
    pub fn load_register_typing(&self, inspector: &Id) -> Result<Vec<RegisterTyping>> {
        let mut out = Vec::new();
        let add = Self::register_typing_file(inspector, None);
        out.extend(self.read_form_typing::<RegisterTyping>(&add)?);
        let edits = Self::register_typing_dir(inspector).join("edit");
        let Ok(entries) = std::fs::read_dir(self.root.join(&edits)) else {
            return Ok(out);
        };
        // The subjects edited, by the names of their files.
        let mut stems: Vec<String> = entries
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                name.strip_suffix(".ron").map(str::to_owned)
            })
            .collect();
        stems.sort();
        for stem in stems {
            let file = edits.join(format!("{stem}.ron"));
            let Some(typing) = self.read_form_typing::<RegisterTyping>(&file)? else {
                continue;
            };
            if typing.editing.as_ref().map(Id::as_str) != Some(stem.as_str()) {
                return Err(crate::error::Error::user(
                    crate::msg::commit::typing_elsewhere(&file.display().to_string()),
                ));
            }
            out.push(typing);
        }
        Ok(out)
    }

    /// Loads the register form `inspector` left open for `editing` (or
    /// for the new subject), as the store has it now; `None` when there is
    /// none. A file that cannot be read or parsed, or that names another
    /// subject than its file, is an error naming it.
    pub fn load_register_typing_of(
        &self,
        inspector: &Id,
        editing: Option<&Id>,
    ) -> Result<Option<RegisterTyping>> {
        let file = Self::register_typing_file(inspector, editing);
        let Some(typing) = self.read_form_typing::<RegisterTyping>(&file)? else {
            return Ok(None);
        };
        if typing.editing.as_ref() != editing {
            return Err(crate::error::Error::user(
                crate::msg::commit::typing_elsewhere(&file.display().to_string()),
            ));
        }
        Ok(Some(typing))
    }

    /// Forgets the register form of `editing` (or of the new subject).
    pub fn remove_register_typing(&self, inspector: &Id, editing: Option<&Id>) -> Result<()> {
        atomic::remove_durable(
            &self
                .root
                .join(Self::register_typing_file(inspector, editing)),
        )
    }

    /// Returns the risk editor's typing file relative to the root.
    pub fn risk_typing_file(inspector: &Id) -> PathBuf {
        Path::new(STATE_DIR)
            .join(TYPING_DIR)
            .join(inspector.as_str())
            .join(RISKS_FILE)
    }

    /// Returns the register form's typing file relative to the root:
    /// `register/add.ron` for a new subject, `register/edit/<id>.ron`
    /// otherwise (so that no subject id meets the new one's file).
    pub fn register_typing_file(inspector: &Id, editing: Option<&Id>) -> PathBuf {
        let dir = Self::register_typing_dir(inspector);
        match editing {
            None => dir.join("add.ron"),
            Some(id) => dir.join("edit").join(format!("{id}.ron")),
        }
    }

    fn register_typing_dir(inspector: &Id) -> PathBuf {
        Path::new(STATE_DIR)
            .join(TYPING_DIR)
            .join(inspector.as_str())
            .join(REGISTER)
    }

    fn write_form_typing<T: Serialize>(
        &self,
        inspector: &Id,
        file: &Path,
        value: &T,
    ) -> Result<()> {
        self.create_typing_dirs(inspector, file)?;
        let text = ron_text(value)?;
        atomic::write_atomic(&self.root.join(file), text.as_bytes(), 0o600)
    }

    /// Creates the folders of `file` (relative to the root) in the typing
    /// folder of `inspector`: the inspector's folder is private, and each
    /// folder below it.
    pub(super) fn create_typing_dirs(&self, inspector: &Id, file: &Path) -> Result<()> {
        let path = self.root.join(file);
        let mut dir = self
            .root
            .join(STATE_DIR)
            .join(TYPING_DIR)
            .join(inspector.as_str());
        super::draft::create_private_dir(&self.root, &dir)?;
        if let Some(parent) = path.parent()
            && let Ok(below) = parent.strip_prefix(&dir)
        {
            for part in below
                .components()
                .map(|c| c.as_os_str().to_owned())
                .collect::<Vec<_>>()
            {
                dir.push(part);
                super::draft::create_private_dir(&self.root, &dir)?;
            }
        }
        Ok(())
    }

    fn read_form_typing<T: DeserializeOwned>(&self, file: &Path) -> Result<Option<T>> {
        let path = self.root.join(file);
        if !path.exists() || self.is_tracked(&path) {
            return Ok(None);
        }
        let src = load::read(load::Source::repo(&self.root, file))?;
        Ok(Some(load::parse(file, &src)?))
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use crate::store::testing::test_store;

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    fn register(editing: Option<&str>, name: &str) -> RegisterTyping {
        RegisterTyping {
            format: 1,
            editing: editing.map(id),
            kind: SubjectKind::Supplier,
            criticality: 3,
            texts: vec![
                "acme".into(),
                name.into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
            focus: 2,
            col: 3,
        }
    }

    #[test]
    fn risk_typing_is_saved_private_loaded_and_removed() {
        let (_dir, store) = test_store();
        let sato = id("sato");
        assert_eq!(store.load_risk_typing(&sato).unwrap(), None);
        let typing = RiskTyping {
            format: 1,
            asset: id("asset-1"),
            threat: Some(id("threat-2")),
            field: "plan".into(),
            text: "Replace the rou".into(),
            col: 15,
        };
        store.save_risk_typing(&sato, &typing).unwrap();
        assert_eq!(store.load_risk_typing(&sato).unwrap(), Some(typing));
        assert_eq!(store.load_risk_typing(&id("suzuki")).unwrap(), None);
        let path = store.root().join(Store::risk_typing_file(&sato));
        assert!(path.ends_with(".tenken/typing/sato/risks.ron"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        store.remove_risk_typing(&sato).unwrap();
        store.remove_risk_typing(&sato).unwrap();
        assert_eq!(store.load_risk_typing(&sato).unwrap(), None);
        std::fs::write(&path, "RiskTyping(format: 1,").unwrap();
        let err = store.load_risk_typing(&sato).unwrap_err().to_string();
        assert!(err.starts_with(".tenken/typing/sato/risks.ron:1:"), "{err}");
    }

    #[test]
    fn register_typing_is_kept_per_subject_and_for_the_new_one() {
        let (_dir, store) = test_store();
        let sato = id("sato");
        assert!(store.load_register_typing(&sato).unwrap().is_empty());
        let add = register(None, "Acm");
        // A subject whose id is `add` never meets the new subject's file.
        let edit = register(Some("add"), "Renamed");
        let other = register(Some("beta"), "Beta Ltd");
        for t in [&other, &edit, &add] {
            store.save_register_typing(&sato, t).unwrap();
        }
        assert_eq!(
            store.load_register_typing(&sato).unwrap(),
            vec![add.clone(), edit.clone(), other.clone()]
        );
        let path = store
            .root()
            .join(Store::register_typing_file(&sato, Some(&id("beta"))));
        assert!(path.ends_with(".tenken/typing/sato/register/edit/beta.ron"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir = store.root().join(".tenken/typing/sato/register/edit");
            let mode = std::fs::metadata(dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        store.remove_register_typing(&sato, None).unwrap();
        store
            .remove_register_typing(&sato, Some(&id("add")))
            .unwrap();
        assert_eq!(store.load_register_typing(&sato).unwrap(), vec![other]);
        std::fs::rename(&path, path.with_file_name("gamma.ron")).unwrap();
        let err = store.load_register_typing(&sato).unwrap_err().to_string();
        assert!(err.contains("another subject"), "{err}");
    }
}
