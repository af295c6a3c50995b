//! `Edition`: which edition of the guideline a template or item follows
//! (`"3.1"` for IPA's SME guideline 第3.1版), and `Editions`, the range of
//! editions an item belongs to.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An edition of a guideline, `major.minor`, ordered numerically
/// (`"3.1" < "4.0" < "10.0"`).
///
/// Written `"3.1"` in RON; `"3"` reads as `"3.0"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Edition {
    /// The major number: the 3 of 第3.1版.
    pub major: u16,
    /// The minor number: the 1 of 第3.1版.
    pub minor: u16,
}

/// Why a string is not a valid [`Edition`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("edition `{0}` must look like `3.1`: a major number from 1, a dot and a minor number")]
pub struct EditionError(String);

impl Edition {
    /// Builds an edition from its two numbers.
    pub fn new(major: u16, minor: u16) -> Self {
        Self { major, minor }
    }

    /// Parses `s`: digits, optionally a dot and digits (`"3"`, `"3.1"`).
    pub fn parse(s: &str) -> Result<Self, EditionError> {
        let bad = || EditionError(crate::escape::line(s));
        let number = |part: &str| {
            if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse::<u16>().ok()
        };
        let (major, minor) = match s.split_once('.') {
            Some((major, minor)) => (number(major), number(minor)),
            None => (number(s), Some(0)),
        };
        match (major, minor) {
            (Some(major), Some(minor)) if major >= 1 => Ok(Self { major, minor }),
            _ => Err(bad()),
        }
    }
}

impl TryFrom<String> for Edition {
    type Error = EditionError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Edition> for String {
    fn from(e: Edition) -> Self {
        e.to_string()
    }
}

impl std::str::FromStr for Edition {
    type Err = EditionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The editions an item belongs to: from `from` up to and including `to`,
/// or every later edition when `to` is `None`.
///
/// Written `editions: Some((from: "3.1"))` or
/// `editions: Some((from: "3.0", to: Some("3.1")))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Editions {
    /// The first edition that has the item.
    pub from: Edition,
    /// The last edition that has the item; `None` while it is current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Edition>,
}

impl Editions {
    /// Returns true when `edition` lies in the range.
    pub fn contains(&self, edition: Edition) -> bool {
        self.from <= edition && self.to.is_none_or(|to| edition <= to)
    }
}

impl fmt::Display for Editions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            Some(to) if to == self.from => write!(f, "{to}"),
            Some(to) => write!(f, "{} to {to}", self.from),
            None => write!(f, "{} and later", self.from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_major_and_minor_and_orders_numerically() {
        assert_eq!(Edition::parse("3.1"), Ok(Edition::new(3, 1)));
        assert_eq!(Edition::parse("3"), Ok(Edition::new(3, 0)));
        assert_eq!(
            Edition::parse("4.0").map(|e| e.to_string()),
            Ok("4.0".into())
        );
        assert!(Edition::new(3, 1) < Edition::new(4, 0));
        assert!(Edition::new(9, 9) < Edition::new(10, 0));
        assert!(Edition::new(3, 2) < Edition::new(3, 10));
    }

    #[test]
    fn refuses_what_is_not_an_edition() {
        for bad in [
            "",
            "0.9",
            "v3",
            "3.",
            ".1",
            "3.1.2",
            "3,1",
            "第3.1版",
            "-3",
            "99999",
        ] {
            assert!(Edition::parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(
            Edition::parse("3.x").map_err(|e| e.to_string()),
            Err(
                "edition `3.x` must look like `3.1`: a major number from 1, a dot and a minor number"
                    .into()
            )
        );
    }

    #[test]
    fn a_range_contains_its_ends_and_what_lies_between() {
        let e = |s: &str| Edition::parse(s).unwrap();
        let closed = Editions {
            from: e("3.0"),
            to: Some(e("3.1")),
        };
        assert!(closed.contains(e("3.0")) && closed.contains(e("3.1")));
        assert!(!closed.contains(e("2.1")) && !closed.contains(e("4.0")));
        let open = Editions {
            from: e("3.1"),
            to: None,
        };
        assert!(open.contains(e("3.1")) && open.contains(e("12.0")));
        assert!(!open.contains(e("3.0")));
        assert_eq!(closed.to_string(), "3.0 to 3.1");
        assert_eq!(open.to_string(), "3.1 and later");
    }

    #[test]
    fn reads_and_writes_as_a_string() {
        let ok: Edition = ron::from_str("\"3.1\"").unwrap();
        assert_eq!(ok, Edition::new(3, 1));
        assert!(ron::from_str::<Edition>("\"three\"").is_err());
        assert_eq!(ron::to_string(&Edition::new(4, 0)).unwrap(), "\"4.0\"");
        let range: Editions = ron::from_str("(from: \"3.1\")").unwrap();
        assert_eq!(range.to, None);
    }
}
