//! The subject register (`subjects.ron`): the organisation, its sites and
//! its suppliers.

use serde::{Deserialize, Serialize};

use super::{Id, Name};

/// The whole register, as stored in `subjects.ron`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subjects {
    /// File format version; always 1.
    pub format: u32,
    /// Every subject, retired ones included.
    pub subjects: Vec<Subject>,
}

/// What kind of thing a subject is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
pub enum SubjectKind {
    /// The organisation itself.
    Organisation,
    /// A site or department of the organisation.
    Site,
    /// A supplier (委託先) or external service.
    Supplier,
}

/// Something that is inspected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// The subject id, used in run paths.
    pub id: Id,
    /// What kind of subject this is.
    pub kind: SubjectKind,
    /// The display name: a plain string or bilingual text.
    pub name: Name,
    /// A contact person or address (plain or bilingual).
    #[serde(default, skip_serializing_if = "Name::is_unset")]
    pub contact: Name,
    /// Services the subject provides or uses (each plain or bilingual).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Name>,
    /// Kinds of data the subject handles (each plain or bilingual).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_handled: Vec<Name>,
    /// 1 (low) to 3 (high).
    #[serde(default = "default_criticality")]
    pub criticality: u8,
    /// Free tags such as `cloud`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// A retired subject keeps its history but is no longer due.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

fn default_criticality() -> u8 {
    2
}

impl Subjects {
    /// Returns the subject with `id`.
    pub fn get(&self, id: &str) -> Option<&Subject> {
        self.subjects.iter().find(|s| s.id.as_str() == id)
    }
}
