//! Helpers for the store's unit tests: a fresh repository in a temporary
//! folder, made by `Store::init` with a fixed clock, plus a small template
//! of the tests' own (`test-five`) so that edits to the bundled checklists
//! never change these tests.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use tempfile::TempDir;

use super::{Committed, Identity, InitOptions, Store, git, write_atomic};
use crate::clock::Clock;
use crate::load::Catalog;
use crate::model::{Answer, Draft, Id, Inspector, Lang};

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

/// Returns `s` as an id.
pub fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

/// Parses an RFC 3339 date and time.
pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// The inspector `who`, named "Inspector <who>".
pub fn inspector(who: &str) -> Inspector {
    Inspector {
        id: id(who),
        name: format!("Inspector {who}"),
        email: format!("{who}@example.jp"),
    }
}

/// A draft of `test-five` for `self` by sato answering every item with
/// `choice` (with the note the template asks for when it is `no`).
pub fn draft(choice: &str) -> Draft {
    let mut answer = Answer::new(id(choice));
    if choice == "no" {
        answer.note = "not yet".into();
    }
    Draft {
        format: 1,
        inspection: id(TEMPLATE),
        inspection_version: 1,
        inspection_hash: None,
        subject: id("self"),
        inspector: inspector("sato"),
        started: clock().now(),
        answers: ["1", "2", "3", "4", "5"]
            .into_iter()
            .map(|i| (id(i), answer.clone()))
            .collect::<BTreeMap<_, _>>(),
        cursor: 0,
        supersedes: None,
        closes: Vec::new(),
    }
}

/// Writes `text` as the tests' template and, when `message` is given,
/// commits it with that message.
pub fn edit_template(store: &Store, text: &str, message: Option<&str>) {
    let rel = PathBuf::from(format!("inspections/{TEMPLATE}.ron"));
    write_atomic(&store.root().join(&rel), text.as_bytes(), 0o644).unwrap();
    if let Some(message) = message {
        let repo = git::open(store.root()).unwrap();
        let who = Identity {
            name: "Sato Hanako".into(),
            email: "sato@example.jp".into(),
        };
        git::commit_paths(&repo, &[rel], &who, message, clock()).unwrap();
    }
}

/// Records `draft` as finished at `when` (RFC 3339) and commits it.
pub fn record(store: &Store, catalog: &Catalog, draft: Draft, when: &str) -> Committed {
    store.record_run(draft, catalog, at(when), clock()).unwrap()
}
