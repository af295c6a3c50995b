//! Plain serde types for everything tenken stores. No I/O here: reading and
//! validating files is `load`'s job, writing them is `store`'s.

#[cfg(test)]
pub(crate) mod arb;
mod brief;
mod config;
mod dates;
mod edition;
mod evidence;
mod fingerprint;
mod history;
mod id;
mod inspection;
mod profile;
mod risk;
mod roles;
mod run;
mod subject;
mod text;

pub use brief::{Brief, BriefAnswer, BriefError, MAX_BRIEF_CHOICES, Scales};
pub use config::{Config, EvidenceLimits, Permissions};
pub use dates::{DateError, DateRange, EARLIEST_DATE, parse_date};
pub use edition::{Edition, EditionError, Editions};
pub use evidence::{EVIDENCE_DIR, Evidence, EvidenceFile, MEDIA_TYPES, extension_of, is_sha256};
pub use fingerprint::ScoringChange;
pub use history::{CommitId, HistoryEntry, RunStatus, Score};
pub use id::{Id, IdError, MAX_ID_LEN};
pub use inspection::{Band, Choice, Inspection, Item, RESERVED_KEYS, Section};
pub use profile::{Every, Profile, Schedule, Selector};
pub use risk::{Asset, Derived, PersonalData, RiskAssessment, Threat, Treatment};
pub use roles::{Committee, Member, Role, Roles};
pub use run::{Action, Answer, Draft, Inspector, Run, Withdrawal};
pub use subject::{Subject, SubjectKind, Subjects};
pub use text::{Lang, Name, Text};

/// The only file format version this build reads and writes.
pub const FORMAT: u32 = 1;

/// Serialises a record as pretty RON, the way every tenken file is written.
pub fn to_ron<T: serde::Serialize>(value: &T) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ")
        .separate_tuple_members(false)
        .enumerate_arrays(false);
    let mut out = ron::ser::to_string_pretty(value, config)?;
    out.push('\n');
    Ok(out)
}
