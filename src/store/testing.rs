//! Helpers for the store's unit tests: a fresh repository in a temporary
//! folder, made by `Store::init` with a fixed clock, plus a small template
//! of the tests' own (`test-five`) so that edits to the bundled checklists
//! never change these tests.

use std::path::PathBuf;

use chrono::DateTime;
use tempfile::TempDir;

use super::{Identity, InitOptions, Store, git, write_atomic};
use crate::clock::Clock;
use crate::model::{Id, Lang};

/// The fixed "now" of the store's unit tests.
pub const NOW: &str = "2026-11-25T09:30:00+09:00";

/// The id of the tests' own template.
pub const TEMPLATE: &str = "test-five";

/// Five items on a yes (2) / partly (1) / no (0) / n-a scale; a note is
/// required for `no`.
pub const TEMPLATE_RON: &str = r#"Inspection(
    format: 1,
    id: "test-five",
    version: 1,
    title: (ja: "テスト", en: "Test five"),
    source: "tenken unit tests",
    scales: {
        "ynp": [
            Choice(id: "yes", key: '1', label: (en: "Yes"), points: Some(2)),
            Choice(id: "partly", key: '2', label: (en: "Partly"), points: Some(1)),
            Choice(id: "no", key: '3', label: (en: "No"), points: Some(0)),
            Choice(id: "na", key: '4', label: (en: "N/A"), points: None),
        ],
    },
    sections: [
        Section(id: "main", title: (en: "Main"), items: [
            Item(id: "1", scale: "ynp", title: (en: "One"), note_required_for: ["no"]),
            Item(id: "2", scale: "ynp", title: (en: "Two"), note_required_for: ["no"]),
            Item(id: "3", scale: "ynp", title: (en: "Three")),
            Item(id: "4", scale: "ynp", title: (en: "Four")),
            Item(id: "5", scale: "ynp", title: (en: "Five")),
        ]),
    ],
    bands: [
        Band(min_percent: 100, label: (ja: "全項目実施", en: "All in place")),
        Band(min_percent: 0, label: (ja: "未実施あり", en: "Gaps remain")),
    ],
)
"#;

/// Returns the fixed clock of the store's unit tests.
pub fn clock() -> Clock {
    Clock::Fixed(DateTime::parse_from_rfc3339(NOW).unwrap())
}

/// Creates a repository with the bundled checklists and the tests' own
/// template, in two commits.
pub fn test_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let opts = InitOptions {
        organisation: "Example KK".into(),
        profile: Id::new(crate::bundle::DEFAULT_PROFILE).unwrap(),
        fiscal_year_start: 4,
        lang: Lang::En,
    };
    let who = Identity {
        name: "Sato Hanako".into(),
        email: "sato@example.jp".into(),
    };
    let store = Store::init(&dir.path().join("repo"), &opts, &who, clock()).unwrap();
    let rel = PathBuf::from(format!("inspections/{TEMPLATE}.ron"));
    write_atomic(&store.root().join(&rel), TEMPLATE_RON.as_bytes(), 0o644).unwrap();
    let repo = git::open(store.root()).unwrap();
    let done = git::commit_paths(&repo, &[rel], &who, "test template", clock()).unwrap();
    assert!(done.index_error.is_none());
    (dir, store)
}

/// Returns the paths `git status` would list (ignored files left out).
pub fn dirty(store: &Store) -> Vec<String> {
    let repo = git::open(store.root()).unwrap();
    let mut opts = git2::StatusOptions::new();
    opts.include_untracked(true).include_ignored(false);
    let statuses = repo.statuses(Some(&mut opts)).unwrap();
    statuses
        .iter()
        .map(|s| format!("{:?} {}", s.status(), s.path().unwrap()))
        .collect()
}
