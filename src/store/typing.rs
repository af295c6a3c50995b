//! What is being typed: the text of an editor that is open in the walker
//! (a note, an evidence reference, a corrective action), saved after every
//! keystroke to `.tenken/typing/<inspector>/runs/<subject>/<inspection>.ron`
//! beside the draft it belongs to, so that a `kill -9`, a SIGHUP or a
//! dropped SSH link loses at most the key in flight, also while a field is
//! open. The next session that resumes the draft opens the editor again
//! with the text and the cursor where they were.
//!
//! The file is written atomically with mode 0600 (like drafts: it may hold
//! words not yet meant for others), removed when the field is saved or
//! cancelled, and never read from git. It is kept apart from the draft so
//! that the draft stays what was decided, and the typing what was not yet.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{STATE_DIR, Store, atomic, ron_text};
use crate::error::{Diagnostic, Error, Result};
use crate::load;
use crate::model::Id;

/// The folder under `.tenken/` that holds what is being typed.
pub const TYPING_DIR: &str = "typing";

/// The folder under an inspector's typing folder for the walker's fields
/// (so that a subject's folder never meets the files of other editors).
const RUNS: &str = "runs";

/// The text of one open field of the walker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Typing {
    /// File format version; always 1.
    pub format: u32,
    /// The draft's subject.
    pub subject: Id,
    /// The draft's inspection.
    pub inspection: Id,
    /// When the draft was started: text left by an earlier draft of the
    /// same subject and inspection (discarded since) is never offered for
    /// a new one.
    pub draft_started: DateTime<FixedOffset>,
    /// The item whose field is open.
    pub item: Id,
    /// The field and what it holds.
    pub field: TypedField,
}

/// Which field is open, with its text as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum TypedField {
    /// The answer's note, with the cursor as (line, character), from 0.
    Note {
        /// The text, lines joined by `\n`.
        text: String,
        /// The cursor's line.
        line: usize,
        /// The cursor's character in its line.
        col: usize,
    },
    /// An evidence reference being added.
    Evidence {
        /// The text.
        text: String,
        /// The cursor's character.
        col: usize,
    },
    /// The corrective-action form.
    Action {
        /// What is to be done.
        text: String,
        /// Who owns it.
        owner: String,
        /// The due date as typed.
        due: String,
        /// The field being typed into (0 what, 1 owner, 2 due).
        focus: usize,
    },
}

impl Store {
    /// Saves what `inspector` is typing, replacing the previous save for
    /// the same subject and inspection.
    pub fn save_typing(&self, inspector: &Id, typing: &Typing) -> Result<()> {
        let path = self.typing_path(inspector, &typing.subject, &typing.inspection);
        // The inspector's folder is private, not only the subject's.
        let own = self
            .root
            .join(STATE_DIR)
            .join(TYPING_DIR)
            .join(inspector.as_str());
        super::draft::create_private_dir(&self.root, &own)?;
        if let Some(dir) = path.parent() {
            super::draft::create_private_dir(&self.root, dir)?;
        }
        let text = ron_text(typing)?;
        atomic::write_atomic(&path, text.as_bytes(), 0o600)
    }

    /// Loads what `inspector` was typing in the draft of `subject` and
    /// `inspection`, or `None` if nothing was.
    ///
    /// A file that cannot be read or parsed, or that names another draft,
    /// is an error naming it: the words in it are the inspector's.
    pub fn load_typing(
        &self,
        inspector: &Id,
        subject: &Id,
        inspection: &Id,
    ) -> Result<Option<Typing>> {
        let path = self.typing_path(inspector, subject, inspection);
        if !path.exists() || self.is_tracked(&path) {
            return Ok(None);
        }
        let shown = path.strip_prefix(&self.root).unwrap_or(&path);
        let src = load::read(load::Source::repo(&self.root, shown))?;
        let typing: Typing = load::parse(shown, &src)?;
        if typing.subject != *subject || typing.inspection != *inspection {
            return Err(Error::from(Diagnostic {
                path: shown.to_owned(),
                line: 1,
                col: 1,
                message: crate::msg::load::store::typing_misplaced(
                    typing.subject.as_str(),
                    typing.inspection.as_str(),
                ),
            }));
        }
        Ok(Some(typing))
    }

    /// Removes what `inspector` was typing in the draft of `subject` and
    /// `inspection`; nothing there is not an error.
    pub fn remove_typing(&self, inspector: &Id, subject: &Id, inspection: &Id) -> Result<()> {
        atomic::remove_durable(&self.typing_path(inspector, subject, inspection))
    }

    /// Returns the path of the typing file relative to the repository root.
    pub fn typing_file(inspector: &Id, subject: &Id, inspection: &Id) -> PathBuf {
        Path::new(STATE_DIR)
            .join(TYPING_DIR)
            .join(inspector.as_str())
            .join(RUNS)
            .join(subject.as_str())
            .join(format!("{inspection}.ron"))
    }

    fn typing_path(&self, inspector: &Id, subject: &Id, inspection: &Id) -> PathBuf {
        self.root
            .join(Self::typing_file(inspector, subject, inspection))
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

    fn typing(subject: &str, inspection: &str, text: &str) -> Typing {
        Typing {
            format: 1,
            subject: id(subject),
            inspection: id(inspection),
            draft_started: DateTime::parse_from_rfc3339("2026-11-25T09:15:00+09:00").unwrap(),
            item: id("3"),
            field: TypedField::Note {
                text: text.into(),
                line: 0,
                col: 2,
            },
        }
    }

    #[test]
    fn saves_loads_and_removes_per_subject_and_inspection() {
        let (_dir, store) = test_store();
        let sato = id("sato");
        let (s, i) = (id("self"), id("five"));
        assert_eq!(store.load_typing(&sato, &s, &i).unwrap(), None);
        store
            .save_typing(&sato, &typing("self", "five", "No"))
            .unwrap();
        let now = typing("self", "five", "No update server\nyet");
        store.save_typing(&sato, &now).unwrap();
        // Ids that would collide in a flat `<subject>--<inspection>` name.
        let other = typing("self--five", "x", "other");
        store.save_typing(&sato, &other).unwrap();
        assert_eq!(store.load_typing(&sato, &s, &i).unwrap(), Some(now));
        assert_eq!(
            store
                .load_typing(&sato, &id("self--five"), &id("x"))
                .unwrap(),
            Some(other)
        );
        assert_eq!(store.load_typing(&id("suzuki"), &s, &i).unwrap(), None);
        let path = store.root().join(Store::typing_file(&sato, &s, &i));
        assert!(path.ends_with(".tenken/typing/sato/runs/self/five.ron"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let own = store.root().join(".tenken/typing/sato");
            let mode = std::fs::metadata(own).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        store.remove_typing(&sato, &s, &i).unwrap();
        store.remove_typing(&sato, &s, &i).unwrap();
        assert!(!path.exists());
        assert_eq!(store.load_typing(&sato, &s, &i).unwrap(), None);
    }

    #[test]
    fn a_broken_or_misplaced_file_is_an_error_naming_it() {
        let (_dir, store) = test_store();
        let sato = id("sato");
        store
            .save_typing(&sato, &typing("self", "five", "x"))
            .unwrap();
        let path = store
            .root()
            .join(Store::typing_file(&sato, &id("self"), &id("five")));
        std::fs::write(&path, "Typing(format: 1,").unwrap();
        let err = store
            .load_typing(&sato, &id("self"), &id("five"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(".tenken/typing/sato/runs/self/five.ron:1:"),
            "{err}"
        );
        std::fs::rename(&path, path.with_file_name("other.ron")).unwrap();
        store
            .save_typing(&sato, &typing("self", "five", "x"))
            .unwrap();
        std::fs::rename(&path, path.with_file_name("six.ron")).unwrap();
        let err = store
            .load_typing(&sato, &id("self"), &id("six"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not match its file name"), "{err}");
    }
}
