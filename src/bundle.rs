//! The checklist templates and profiles embedded in the binary and copied
//! into a repository by `tenken init`, and the starter management
//! structure. Every file in `inspections/` and `profiles/` must be listed
//! here (a test checks it).

/// A bundled file: its name and contents.
#[derive(Debug, Clone, Copy)]
pub struct BundledFile {
    /// The file name, such as `ipa-self-check.ron`.
    pub name: &'static str,
    /// The file contents.
    pub contents: &'static str,
}

macro_rules! bundled {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(BundledFile { name: $name, contents: include_str!(concat!("../", $dir, "/", $name)) }),*]
    };
}

/// The bundled inspection templates.
pub const INSPECTIONS: &[BundledFile] = bundled!("inspections":
    "cloud-service.ron",
    "incident-readiness.ron",
    "info-sharing.ron",
    "ipa-five-principles.ron",
    "ipa-self-check.ron",
    "rules-compliance.ron",
    "security-services.ron",
    "supplier-check.ron",
    "technical-measures.ron",
    "telework.ron",
    "website-operations.ron",
);

/// The bundled profiles.
pub const PROFILES: &[BundledFile] = bundled!("profiles":
    "sme-standard.ron",
    "step1.ron",
    "step2.ron",
    "step3.ron",
    "step4.ron",
    "supplier-review.ron",
);

/// The starter management structure (`roles.ron`) `tenken init` writes:
/// the guideline's roles with tenken's wording, nobody assigned yet.
pub const ROLES: BundledFile = BundledFile {
    name: "roles.ron",
    contents: include_str!("../starter/roles.ron"),
};

/// The profile `tenken init` activates unless told otherwise.
pub const DEFAULT_PROFILE: &str = "sme-standard";

/// The bundled template `name` (without `.ron`), parsed: what unit tests
/// that check a rule against the real checklists start from.
#[cfg(test)]
pub(crate) fn inspection(name: &str) -> crate::model::Inspection {
    let file = INSPECTIONS
        .iter()
        .find(|f| f.name == format!("{name}.ron"))
        .unwrap();
    let path = std::path::Path::new("inspections").join(file.name);
    crate::load::inspection_from_str(&path, file.contents, Some(name)).unwrap()
}
