//! Risk assessments (the guideline's risk analysis sheet): an asset ledger
//! with C/I/A values and threats. Computed values are never stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Id, Inspector};

/// One assessment, as stored in `risks/<stamp>-<inspector>.ron`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskAssessment {
    /// File format version; always 1.
    pub format: u32,
    /// The assessment id: its path without `risks/` and `.ron`.
    pub id: String,
    /// Who assessed.
    pub assessor: Inspector,
    /// The date of the assessment.
    pub date: NaiveDate,
    /// The asset ledger.
    pub assets: Vec<Asset>,
}

/// Which kind of personal data an asset holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PersonalData {
    /// None.
    #[default]
    None,
    /// Personal information (個人情報).
    Personal,
    /// Sensitive personal information (要配慮個人情報).
    Sensitive,
    /// My Number data (特定個人情報).
    MyNumber,
}

/// One row of the asset ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// The asset id, unique in the assessment.
    pub id: Id,
    /// The asset's name.
    pub name: String,
    /// The business area it belongs to.
    #[serde(default)]
    pub business: String,
    /// The owning department or person.
    #[serde(default)]
    pub owner: String,
    /// Medium and storage location.
    #[serde(default)]
    pub medium: String,
    /// Who may use it.
    #[serde(default)]
    pub users: String,
    /// Personal data held.
    #[serde(default)]
    pub personal_data: PersonalData,
    /// Confidentiality, 1–3.
    pub c: u8,
    /// Integrity, 1–3.
    pub i: u8,
    /// Availability, 1–3.
    pub a: u8,
    /// The threats assessed for the asset.
    #[serde(default)]
    pub threats: Vec<Threat>,
}

/// A threat to an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threat {
    /// The threat id, unique within the asset.
    pub id: Id,
    /// What could happen.
    pub title: String,
    /// How likely the threat is to occur, 1–3.
    pub threat: u8,
    /// How exposed the asset is, 1–3 (3 = no controls).
    pub vulnerability: u8,
    /// The chosen treatment.
    pub treatment: Treatment,
    /// The plan for the treatment.
    #[serde(default)]
    pub plan: String,
    /// The threat category (`crate::risk::measures`), whose measures in the
    /// inspections can suggest the vulnerability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Id>,
    /// Set when the vulnerability was taken from the inspections' answers
    /// (the measure status check of the guideline's risk analysis sheet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<Derived>,
}

/// A vulnerability value derived from the answers of related inspections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// The value the answers gave, 1–3. When the threat's `vulnerability`
    /// differs, the assessor overrode it, and `note` says why.
    pub value: u8,
    /// The runs it was derived from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<String>,
    /// Why the vulnerability differs from `value`; required when it does.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The four ways to treat a risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Treatment {
    /// Add or strengthen controls.
    Reduce,
    /// Accept the risk.
    Retain,
    /// Change the work so the risk disappears.
    Avoid,
    /// Move the risk to a third party or insurer.
    Transfer,
}

impl Treatment {
    /// Returns the treatment's name for JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reduce => "reduce",
            Self::Retain => "retain",
            Self::Avoid => "avoid",
            Self::Transfer => "transfer",
        }
    }
}
