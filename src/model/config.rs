//! `tenken.ron`: the repository's settings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Id, Lang, Name};

/// The repository settings, as stored in `tenken.ron`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// File format version; always 1.
    pub format: u32,
    /// The organisation's name: a plain string or bilingual text (see
    /// [`Name`]).
    pub organisation: Name,
    /// The default language of the interface and reports.
    #[serde(default)]
    pub lang: Lang,
    /// The month (1–12) the fiscal year starts in; 4 in most Japanese firms.
    #[serde(default = "default_fiscal_year_start")]
    pub fiscal_year_start: u32,
    /// The active profiles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<Id>,
    /// Overrides the likelihood matrix: `likelihood[threat-1][vulnerability-1]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood: Option<[[u8; 3]; 3]>,
    /// The git remote `tenken sync` uses.
    #[serde(default = "default_remote")]
    pub remote: String,
    /// A private key for `tenken sync` over SSH when no agent is running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<String>,
    /// Limits on evidence files; the defaults when left out.
    #[serde(default, skip_serializing_if = "EvidenceLimits::is_default")]
    pub evidence: EvidenceLimits,
    /// The key that signs every commit tenken makes: a private key file
    /// (`Some("PATH")`, relative to the repository or absolute), or
    /// `Some("agent")` for the first ssh-agent key `allowed_signers` lists
    /// for the inspector. `TENKEN_SIGNING_KEY` overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<String>,
    /// The key restricted sessions sign with instead (the shared server's
    /// repository key, a file readable by the forced command's account):
    /// there the inspector's agent is not forwarded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_signing_key: Option<String>,
    /// Whether `verify` counts an unsigned commit that adds records as a
    /// problem (also `verify --require-signatures`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_signatures: bool,
    /// Per-inspector permissions; an inspector not listed may do everything
    /// outside restricted mode and run every inspection inside it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inspectors: BTreeMap<Id, Permissions>,
}

/// What one inspector may do, mostly enforced in restricted mode.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
    /// The name used as commit author.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The e-mail used as commit author.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// Subjects the inspector may run inspections for; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<Id>,
    /// Inspections the inspector may run; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inspections: Vec<Id>,
    /// Whether the inspector may edit `subjects.ron` in restricted mode.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edit_register: bool,
    /// Whether the inspector may commit risk assessments in restricted
    /// mode; off unless set.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edit_risks: bool,
    /// Whether the inspector may run `sync` in restricted mode.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sync: bool,
}

/// Limits on evidence files (`evidence: (max_file_mib: 20, max_run_mib: 100)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceLimits {
    /// The largest evidence file, in MiB.
    #[serde(default = "default_max_file_mib")]
    pub max_file_mib: u32,
    /// The largest total of one run's evidence files, in MiB.
    #[serde(default = "default_max_run_mib")]
    pub max_run_mib: u32,
}

impl Default for EvidenceLimits {
    fn default() -> Self {
        Self {
            max_file_mib: default_max_file_mib(),
            max_run_mib: default_max_run_mib(),
        }
    }
}

impl EvidenceLimits {
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
    fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The per-file limit in bytes.
    pub fn file_bytes(self) -> u64 {
        u64::from(self.max_file_mib) * 1024 * 1024
    }

    /// The per-run limit in bytes.
    pub fn run_bytes(self) -> u64 {
        u64::from(self.max_run_mib) * 1024 * 1024
    }
}

fn default_max_file_mib() -> u32 {
    20
}

fn default_max_run_mib() -> u32 {
    100
}

fn default_fiscal_year_start() -> u32 {
    4
}

fn default_remote() -> String {
    "origin".to_owned()
}

impl Config {
    /// Builds the settings `tenken init` writes.
    pub fn new(
        organisation: impl Into<Name>,
        lang: Lang,
        fiscal_year_start: u32,
        profiles: Vec<Id>,
    ) -> Self {
        Self {
            format: 1,
            organisation: organisation.into(),
            lang,
            fiscal_year_start,
            profiles,
            likelihood: None,
            remote: default_remote(),
            ssh_key: None,
            evidence: EvidenceLimits::default(),
            signing_key: None,
            server_signing_key: None,
            require_signatures: false,
            inspectors: BTreeMap::new(),
        }
    }
}
