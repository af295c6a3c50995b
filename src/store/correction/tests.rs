//! Unit tests of `store::correction`: corrections and withdrawals.

use super::*;
use crate::model::{Draft, Permissions};
use crate::store::testing::{at, clock, dirty, draft, id, inspector, record, test_store};

/// A draft answering every item with `choice` that corrects `supersedes`.
fn correcting(choice: &str, supersedes: Option<&str>) -> Draft {
    Draft {
        supersedes: supersedes.map(str::to_owned),
        ..draft(choice)
    }
}

fn everything() -> HistoryFilter {
    HistoryFilter {
        all: true,
        ..HistoryFilter::default()
    }
}

fn head_message(store: &Store) -> String {
    let repo = git::open(store.root()).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    head.message().unwrap().to_owned()
}

#[test]
fn a_correction_supersedes_a_current_run_once() {
    let (_dir, store) = test_store();
    let catalog = store.catalog().unwrap();
    let wrong = record(
        &store,
        &catalog,
        draft("partly"),
        "2026-10-01T09:00:00+09:00",
    );
    let fixed = record(
        &store,
        &catalog,
        correcting("yes", Some(&wrong.run.id)),
        "2026-10-01T10:00:00+09:00",
    );
    assert_eq!(fixed.run.supersedes.as_deref(), Some(wrong.run.id.as_str()));
    assert_eq!(
        head_message(&store),
        format!(
            "run: test-five for self on 2026-10-01 — 10/10\n\nTenken-Run: {}\nTenken-Supersedes: {}\n",
            fixed.run.id, wrong.run.id
        )
    );
    let current = store.history(&catalog, &HistoryFilter::default()).unwrap();
    let ids: Vec<&str> = current.iter().map(|h| h.run.id.as_str()).collect();
    assert_eq!(ids, [fixed.run.id.as_str()]);
    let all = store.history(&catalog, &everything()).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].superseded_by.as_deref(), Some(fixed.run.id.as_str()));
    assert!(all[1].is_current());

    // The superseded run cannot be corrected again: its correction can.
    let err = store
        .record_run(
            correcting("yes", Some(&wrong.run.id)),
            &catalog,
            at("2026-10-01T11:00:00+09:00"),
            clock(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "run `{}` is already superseded by `{}`",
            wrong.run.id, fixed.run.id
        )
    );
    assert_eq!(
        err.hints()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [format!(
            "correct the current run instead: `--supersedes {}`",
            fixed.run.id
        )]
    );
    let again = record(
        &store,
        &catalog,
        correcting("yes", Some(&fixed.run.id)),
        "2026-10-01T11:00:00+09:00",
    );
    let current = store.history(&catalog, &HistoryFilter::default()).unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].run.id, again.run.id);

    // Nothing, another inspection, and an uncommitted file: refused,
    // and nothing is written.
    let head = git::open(store.root()).unwrap().head().unwrap().target();
    for (target, expected) in [
        (
            "self/test-five/2020-01-01T090000-sato",
            "there is no run `self/test-five/2020-01-01T090000-sato`",
        ),
        (
            "self/other/2020-01-01T090000-sato",
            "there is no run `self/other/2020-01-01T090000-sato`",
        ),
        (
            "nonsense",
            "`nonsense` is not a run id (`<subject>/<inspection>/<stamp>-<inspector>`)",
        ),
    ] {
        let err = store
            .record_run(
                correcting("yes", Some(target)),
                &catalog,
                at("2026-10-02T09:00:00+09:00"),
                clock(),
            )
            .unwrap_err();
        assert_eq!(err.to_string(), expected);
    }
    let loose = store
        .root()
        .join("runs/self/test-five/2026-09-01T090000-sato.ron");
    std::fs::write(&loose, "not even a run").unwrap();
    let err = store
        .record_run(
            correcting("yes", Some("self/test-five/2026-09-01T090000-sato")),
            &catalog,
            at("2026-10-02T09:00:00+09:00"),
            clock(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "run `self/test-five/2026-09-01T090000-sato` is not committed"
    );
    std::fs::remove_file(&loose).unwrap();
    assert_eq!(
        git::open(store.root()).unwrap().head().unwrap().target(),
        head
    );
    assert_eq!(dirty(&store), Vec::<String>::new());
}

#[test]
fn a_withdrawal_is_a_committed_file_and_the_run_file_stays() {
    let (_dir, store) = test_store();
    let catalog = store.catalog().unwrap();
    let run = record(&store, &catalog, draft("yes"), "2026-10-01T09:00:00+09:00");
    let run_file = std::fs::read(store.root().join(&run.path)).unwrap();
    let done = store
        .withdraw_run(
            &catalog,
            &run.run.id,
            "  recorded for the wrong site \n",
            &inspector("suzuki"),
            clock(),
        )
        .unwrap();
    assert_eq!(
        done.path,
        Path::new("withdrawals/self/test-five/2026-10-01T090000-sato.ron")
    );
    assert_eq!(done.withdrawal.reason, "recorded for the wrong site");
    assert_eq!(done.withdrawal.by.id.as_str(), "suzuki");
    assert_eq!(done.withdrawal.date, clock().now());
    let repo = git::open(store.root()).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.id().to_string(), done.commit);
    assert_eq!(head.author().name().unwrap(), "Inspector suzuki");
    assert_eq!(
        head.message().unwrap(),
        format!(
            "withdraw: test-five for self — 2026-10-01\n\nrecorded for the wrong site\n\nTenken-Withdraws: {}\n",
            run.run.id
        )
    );
    let changed: Vec<String> = {
        let parent = head.parent(0).unwrap();
        let diff = repo
            .diff_tree_to_tree(
                Some(&parent.tree().unwrap()),
                Some(&head.tree().unwrap()),
                None,
            )
            .unwrap();
        diff.deltas()
            .map(|d| d.new_file().path().unwrap().display().to_string())
            .collect()
    };
    assert_eq!(changed, [done.path.display().to_string()]);
    assert_eq!(
        std::fs::read(store.root().join(&run.path)).unwrap(),
        run_file
    );
    assert_eq!(dirty(&store), Vec::<String>::new());

    assert!(
        store
            .history(&catalog, &HistoryFilter::default())
            .unwrap()
            .is_empty()
    );
    let all = store.history(&catalog, &everything()).unwrap();
    assert_eq!(all[0].withdrawn.as_deref(), Some(&done.withdrawal));

    let err = store
        .withdraw_run(&catalog, &run.run.id, "again", &inspector("sato"), clock())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "run `{}` was already withdrawn on 2026-11-25 by `suzuki`",
            run.run.id
        )
    );
    // A withdrawn run cannot be corrected either.
    let err = store
        .record_run(
            correcting("yes", Some(&run.run.id)),
            &catalog,
            at("2026-10-02T09:00:00+09:00"),
            clock(),
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("was withdrawn on 2026-11-25"),
        "{err}"
    );
}

#[test]
fn withdrawals_are_refused_for_superseded_runs_empty_reasons_and_other_inspectors_subjects() {
    let (_dir, store) = test_store();
    let mut catalog = store.catalog().unwrap();
    let wrong = record(
        &store,
        &catalog,
        draft("partly"),
        "2026-10-01T09:00:00+09:00",
    );
    let fixed = record(
        &store,
        &catalog,
        correcting("yes", Some(&wrong.run.id)),
        "2026-10-01T10:00:00+09:00",
    );
    let head = git::open(store.root()).unwrap().head().unwrap().target();
    let err = store
        .withdraw_run(&catalog, &wrong.run.id, "typo", &inspector("sato"), clock())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "run `{}` is superseded by `{}` and no longer counts",
            wrong.run.id, fixed.run.id
        )
    );
    let err = store
        .withdraw_run(&catalog, &fixed.run.id, " \n ", &inspector("sato"), clock())
        .unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Usage);
    // An inspector limited to another subject may not withdraw it.
    catalog.config.inspectors.insert(
        id("tanaka"),
        Permissions {
            subjects: vec![id("hq")],
            ..Permissions::default()
        },
    );
    let err = store
        .withdraw_run(
            &catalog,
            &fixed.run.id,
            "not mine",
            &inspector("tanaka"),
            clock(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "inspector `tanaka` may not run subject `self`"
    );
    assert_eq!(
        git::open(store.root()).unwrap().head().unwrap().target(),
        head
    );
    assert!(!store.root().join(WITHDRAWALS_DIR).exists());
    // Withdrawing the correction takes out exactly that run; the run it
    // superseded stays superseded.
    store
        .withdraw_run(
            &catalog,
            &fixed.run.id,
            "both were wrong",
            &inspector("sato"),
            clock(),
        )
        .unwrap();
    assert!(
        store
            .history(&catalog, &HistoryFilter::default())
            .unwrap()
            .is_empty()
    );
    let all = store.history(&catalog, &everything()).unwrap();
    assert!(all[0].superseded_by.is_some() && all[1].withdrawn.is_some());
}

#[test]
fn runs_of_a_day_are_found_for_the_duplicate_question() {
    let (_dir, store) = test_store();
    let catalog = store.catalog().unwrap();
    let first = record(&store, &catalog, draft("yes"), "2026-10-01T09:00:00+09:00");
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let found = store
        .runs_on_day(&catalog, &id("self"), &id("test-five"), day("2026-10-01"))
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].run.id, first.run.id);
    assert!(
        store
            .runs_on_day(&catalog, &id("self"), &id("test-five"), day("2026-10-02"))
            .unwrap()
            .is_empty()
    );
    store
        .withdraw_run(
            &catalog,
            &first.run.id,
            "duplicate",
            &inspector("sato"),
            clock(),
        )
        .unwrap();
    assert!(
        store
            .runs_on_day(&catalog, &id("self"), &id("test-five"), day("2026-10-01"))
            .unwrap()
            .is_empty(),
        "a withdrawn run is not in the way"
    );
}

#[test]
fn run_ids_split_into_safe_parts_only() {
    let (s, i, n) = run_id_parts("self/ipa-self-check/2026-11-25T091500-sato-2").unwrap();
    assert_eq!(
        (s.as_str(), i.as_str(), n),
        ("self", "ipa-self-check", "2026-11-25T091500-sato-2")
    );
    for bad in [
        "self/x",
        "self/x/y/z",
        "../x/y",
        "self/x/..",
        "self/x/.hidden",
        "Self/x/y",
        "self/x/a b",
        "",
    ] {
        assert!(run_id_parts(bad).is_none(), "{bad}");
    }
}
