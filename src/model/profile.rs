//! Profiles: which inspections apply to which subjects, and how often.

use serde::{Deserialize, Serialize};

use super::{Id, Subject, SubjectKind, Text};

/// A schedule of inspections, as stored in `profiles/<id>.ron`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// File format version; always 1.
    pub format: u32,
    /// The profile id, equal to the file stem.
    pub id: Id,
    /// The profile title.
    pub title: Text,
    /// The rules; when several match a subject and inspection, the most
    /// frequent one wins.
    pub schedule: Vec<Schedule>,
}

/// One rule of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// The inspection to run.
    pub inspection: Id,
    /// Which subjects it applies to.
    pub subjects: Selector,
    /// How often.
    pub every: Every,
}

/// Selects subjects from the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Selector {
    /// Every subject.
    All,
    /// Subjects of one kind.
    Kind(SubjectKind),
    /// The named subjects.
    Ids(Vec<Id>),
    /// Subjects carrying a tag.
    Tag(String),
    /// Subjects of at least this criticality.
    Criticality(u8),
    /// Subjects of a kind that also carry a tag.
    KindTag(SubjectKind, String),
    /// Subjects of a kind with at least this criticality.
    KindCriticality(SubjectKind, u8),
}

impl Selector {
    /// Returns true when `subject` is selected.
    pub fn matches(&self, subject: &Subject) -> bool {
        match self {
            Self::All => true,
            Self::Kind(kind) => subject.kind == *kind,
            Self::Ids(ids) => ids.contains(&subject.id),
            Self::Tag(tag) => subject.tags.iter().any(|t| t == tag),
            Self::Criticality(min) => subject.criticality >= *min,
            Self::KindTag(kind, tag) => {
                subject.kind == *kind && subject.tags.iter().any(|t| t == tag)
            }
            Self::KindCriticality(kind, min) => {
                subject.kind == *kind && subject.criticality >= *min
            }
        }
    }
}

/// How often an inspection is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Every {
    /// Every calendar month.
    Month,
    /// Every (fiscal) quarter.
    Quarter,
    /// Every (fiscal) half-year.
    HalfYear,
    /// Every (fiscal) year.
    Year,
}

impl Every {
    /// Returns the number of months in the period.
    pub fn months(self) -> u32 {
        match self {
            Self::Month => 1,
            Self::Quarter => 3,
            Self::HalfYear => 6,
            Self::Year => 12,
        }
    }

    /// Returns the period's name for JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::HalfYear => "half-year",
            Self::Year => "year",
        }
    }
}
