//! `Id`: the validated name of a subject, inspection, item, choice, inspector
//! or profile, and the only way a name becomes a path component.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 64;

/// A validated identifier matching `[a-z0-9][a-z0-9._-]{0,63}`.
///
/// Ids are the only strings ever joined into a filesystem path, so an `Id`
/// can never hold `/`, `..` alone, upper case, spaces or control characters.
///
/// Shared, not copied: a clone is the same string (ids repeat in every run
/// of a long history: subject, inspection, inspector, items, choices).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Id(Arc<str>);

/// Why a string is not a valid [`Id`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The string is empty.
    #[error("an id must not be empty")]
    Empty,
    /// The string is longer than [`MAX_ID_LEN`].
    #[error("id `{0}` is longer than 64 characters")]
    TooLong(String),
    /// The first character is not a lower-case letter or digit.
    #[error("id `{0}` must start with a lower-case letter or a digit")]
    BadStart(String),
    /// A character outside `[a-z0-9._-]`.
    #[error("id `{id}` contains {ch}; use only a-z, 0-9, `.`, `_` and `-`")]
    BadChar {
        /// The offending id, with control characters escaped.
        id: String,
        /// A description of the offending character.
        ch: String,
    },
}

impl Id {
    /// Parses `s` as an id.
    pub fn new(s: &str) -> Result<Self, IdError> {
        let shown = || crate::escape::line(s);
        let mut chars = s.chars();
        let Some(first) = chars.next() else {
            return Err(IdError::Empty);
        };
        if s.len() > MAX_ID_LEN {
            return Err(IdError::TooLong(shown()));
        }
        if !(first.is_ascii_lowercase() || first.is_ascii_digit()) {
            return Err(IdError::BadStart(shown()));
        }
        if let Some(bad) = s.chars().find(|c| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        }) {
            let ch = if bad.is_control() {
                format!("a control character ({})", bad.escape_default())
            } else if bad == '/' || bad == '\\' {
                format!("a path separator `{bad}`")
            } else {
                format!("`{bad}`")
            };
            return Err(IdError::BadChar { id: shown(), ch });
        }
        Ok(Self(Arc::from(s)))
    }

    /// Returns the id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Id {
    type Error = IdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(&s)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> Self {
        id.0.to_string()
    }
}

impl std::str::FromStr for Id {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_alphabet() {
        for ok in [
            "self",
            "ipa-self-check",
            "a",
            "0",
            "v1.2_x-y",
            &"a".repeat(64),
        ] {
            assert_eq!(Id::new(ok).map(|id| id.to_string()), Ok(ok.to_owned()));
        }
    }

    #[test]
    fn refuses_path_tricks_and_bad_characters() {
        assert_eq!(Id::new(""), Err(IdError::Empty));
        assert_eq!(Id::new("../x"), Err(IdError::BadStart("../x".into())));
        assert_eq!(Id::new(".hidden"), Err(IdError::BadStart(".hidden".into())));
        assert_eq!(
            Id::new("a/b").map_err(|e| e.to_string()),
            Err(
                "id `a/b` contains a path separator `/`; use only a-z, 0-9, `.`, `_` and `-`"
                    .into()
            )
        );
        assert_eq!(
            Id::new("Sato").map_err(|e| e.to_string()),
            Err("id `Sato` must start with a lower-case letter or a digit".into())
        );
        assert_eq!(
            Id::new("sAto").map_err(|e| e.to_string()),
            Err("id `sAto` contains `A`; use only a-z, 0-9, `.`, `_` and `-`".into())
        );
        assert_eq!(
            Id::new("a\u{1b}[2J").map_err(|e| e.to_string()),
            Err("id `a\\u{1b}[2J` contains a control character (\\u{1b}); use only a-z, 0-9, `.`, `_` and `-`".into())
        );
        assert!(matches!(Id::new(&"a".repeat(65)), Err(IdError::TooLong(_))));
        assert!(matches!(Id::new("a b"), Err(IdError::BadChar { .. })));
    }

    #[test]
    fn deserializes_through_validation() {
        let ok: Result<Id, _> = ron::from_str("\"sato\"");
        assert!(ok.is_ok());
        let bad: Result<Id, _> = ron::from_str("\"../etc\"");
        assert!(bad.is_err());
    }

    #[test]
    fn a_clone_shares_the_string_and_reads_and_writes_as_the_string() {
        let id = Id::new("sato.hanako").unwrap();
        let copy = id.clone();
        assert_eq!(copy.as_str().as_ptr(), id.as_str().as_ptr());
        assert_eq!(ron::to_string(&id).unwrap(), "\"sato.hanako\"");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"sato.hanako\"");
        assert_eq!(String::from(copy), "sato.hanako");
    }
}
