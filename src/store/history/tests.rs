//! Unit tests of `store::history`: the current, committed runs and filters.

use super::*;
use crate::model::Answer;
use crate::store::testing::{at, clock, draft, edit_template, id, record, test_store};

#[test]
fn history_is_oldest_first_with_scores_bands_and_commits() {
    let (_dir, store) = test_store();
    let catalog = store.catalog().unwrap();
    let later = record(&store, &catalog, draft("yes"), "2026-10-01T09:00:00+09:00");
    let earlier = record(&store, &catalog, draft("no"), "2026-04-01T09:00:00+09:00");
    let all = store.history(&catalog, &HistoryFilter::default()).unwrap();
    let ids: Vec<&str> = all.iter().map(|e| e.run.id.as_str()).collect();
    assert_eq!(ids, [earlier.run.id.as_str(), later.run.id.as_str()]);
    assert_eq!(
        all[0].commit.map(CommitId::hex).as_deref(),
        Some(earlier.commit.as_str())
    );
    assert_eq!(
        all[1].commit.map(CommitId::hex).as_deref(),
        Some(later.commit.as_str())
    );
    assert_eq!(all[0].score.score, 0);
    assert!(all[0].percent.abs() < 1e-9);
    assert!((all[1].percent - 100.0).abs() < 1e-9);
    assert_eq!(all[1].band().map(|b| b.en.as_str()), Some("All in place"));

    let since = HistoryFilter {
        since: NaiveDate::from_ymd_opt(2026, 5, 1),
        ..HistoryFilter::default()
    };
    assert_eq!(store.history(&catalog, &since).unwrap().len(), 1);
    let other = HistoryFilter {
        subject: Some(id("hq")),
        ..HistoryFilter::default()
    };
    assert!(store.history(&catalog, &other).unwrap().is_empty());
    let narrow = HistoryFilter {
        subject: Some(id("self")),
        inspection: Some(id("test-five")),
        ..HistoryFilter::default()
    };
    let got = store.history(&catalog, &narrow).unwrap();
    assert_eq!(
        got[1].commit.map(CommitId::hex).as_deref(),
        Some(later.commit.as_str())
    );
    assert_eq!(store.runs(&catalog).unwrap().len(), 2);
}

#[test]
fn history_holds_answers_in_brief_and_full_run_reads_the_file() {
    let (_dir, store) = test_store();
    let catalog = store.catalog().unwrap();
    let mut noted = draft("no");
    for a in noted.answers.values_mut() {
        a.note = "not yet".into();
    }
    for (d, when) in [
        (noted, "2026-04-01T09:00:00+09:00"),
        (draft("yes"), "2026-10-01T09:00:00+09:00"),
    ] {
        store.record_run(d, &catalog, at(when), clock()).unwrap();
    }
    let history = store.history(&catalog, &HistoryFilter::default()).unwrap();
    assert_eq!(history.len(), 2);
    for h in &history {
        assert!(h.run.answers.is_empty(), "answers are in brief only");
        assert_eq!(h.answers().count(), 5);
        let full = store.full_run(&catalog, h).unwrap();
        let text =
            std::fs::read_to_string(store.root().join(format!("runs/{}.ron", h.run.id))).unwrap();
        assert_eq!(crate::model::to_ron(&full).unwrap(), text);
        assert_eq!(score::score_run(&h.template, &full), h.score);
    }
    assert!(history[0].brief.has_text());
    assert!(!history[1].brief.has_text());
}

#[test]
fn only_committed_runs_count_unless_uncommitted_ones_are_asked_for() {
    let (_dir, store) = test_store();
    let catalog = store.catalog().unwrap();
    let done = record(&store, &catalog, draft("yes"), "2026-10-01T09:00:00+09:00");
    let mut copy = done.run.clone();
    copy.id = "self/test-five/2026-10-02T090000-sato".into();
    copy.finished = at("2026-10-02T09:00:00+09:00");
    let copy_path = store
        .root()
        .join("runs/self/test-five/2026-10-02T090000-sato.ron");
    std::fs::write(&copy_path, crate::model::to_ron(&copy).unwrap()).unwrap();
    let committed = store.history(&catalog, &HistoryFilter::default()).unwrap();
    assert_eq!(committed.len(), 1, "an uncommitted file does not count");
    let everything = HistoryFilter {
        uncommitted: true,
        ..HistoryFilter::default()
    };
    let all = store.history(&catalog, &everything).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].commit, None);
    assert_eq!(
        (all[0].status, all[1].status),
        (RunStatus::Committed, RunStatus::Uncommitted)
    );

    // Committed by hand, without a trailer: found by comparing trees.
    let repo = git::open(store.root()).unwrap();
    let rel = copy_path.strip_prefix(store.root()).unwrap().to_owned();
    let who = git::Identity {
        name: "Someone".into(),
        email: "someone@example.jp".into(),
    };
    let by_hand = git::commit_paths(&repo, &[rel], &who, "add a run by hand", clock())
        .unwrap()
        .oid
        .to_string();
    let all = store.history(&catalog, &HistoryFilter::default()).unwrap();
    assert_eq!(
        all[0].commit.map(CommitId::hex).as_deref(),
        Some(done.commit.as_str())
    );
    assert_eq!(
        all[1].commit.map(CommitId::hex).as_deref(),
        Some(by_hand.as_str())
    );

    // A committed file changed in the work tree: the commit counts.
    let mut changed = copy.clone();
    changed.answers.insert(id("1"), Answer::new(id("partly")));
    std::fs::write(&copy_path, crate::model::to_ron(&changed).unwrap()).unwrap();
    let all = store.history(&catalog, &HistoryFilter::default()).unwrap();
    assert_eq!(all[1].status, RunStatus::Modified);
    assert_eq!(all[1].score.score, 10, "scored from the commit");
    let all = store.history(&catalog, &everything).unwrap();
    assert_eq!(
        (all[1].status, all[1].score.score),
        (RunStatus::Modified, 9)
    );

    // One that is broken in the work tree only breaks a read of it.
    std::fs::write(&copy_path, "Run(").unwrap();
    assert_eq!(store.runs(&catalog).unwrap().len(), 2);
    let err = store.runs_with(&catalog, &everything).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("runs/self/test-five/2026-10-02T090000-sato.ron:1:"),
        "{err}"
    );

    // One deleted from the work tree is still read from the commit.
    std::fs::remove_file(&copy_path).unwrap();
    let all = store.history(&catalog, &HistoryFilter::default()).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[1].status, all[1].score.score),
        (RunStatus::Deleted, 10)
    );
    assert_eq!(store.runs_with(&catalog, &everything).unwrap().len(), 1);
    // And a link in its place is not the committed file either.
    #[cfg(unix)]
    {
        let elsewhere = store.root().join("copy.ron");
        std::fs::write(&elsewhere, crate::model::to_ron(&copy).unwrap()).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &copy_path).unwrap();
        let all = store.history(&catalog, &HistoryFilter::default()).unwrap();
        assert_eq!(all[1].status, RunStatus::Modified);
    }
}

#[test]
fn runs_of_an_older_template_version_are_scored_against_that_version() {
    let (_dir, store) = test_store();
    let catalog = store.catalog().unwrap();
    let old = record(&store, &catalog, draft("yes"), "2026-04-01T09:00:00+09:00");
    // Version 2 drops item 5 and doubles the points of `yes`.
    let v2 = crate::store::testing::TEMPLATE_RON
        .replace("version: 1,", "version: 2,")
        .replace("points: Some(2)", "points: Some(4)")
        .replace(
            "            Item(id: \"5\", scale: \"ynp\", title: (en: \"Five\")),\n",
            "",
        );
    edit_template(&store, &v2, Some("test-five version 2"));
    let catalog = store.catalog().unwrap();
    assert_eq!(catalog.inspections[&id("test-five")].version, 2);
    let mut new = draft("yes");
    new.inspection_version = 2;
    new.answers.remove(&id("5"));
    store
        .record_run(new, &catalog, at("2026-10-01T09:00:00+09:00"), clock())
        .unwrap();
    let all = store.history(&catalog, &HistoryFilter::default()).unwrap();
    assert_eq!(all[0].run.id, old.run.id);
    assert_eq!((all[0].score.score, all[0].score.max), (10, 10));
    assert_eq!((all[1].score.score, all[1].score.max), (16, 16));
    assert_eq!(
        all[0].commit.map(CommitId::hex).as_deref(),
        Some(old.commit.as_str())
    );
}

#[test]
fn full_run_proves_the_file_by_its_blob_id_and_reads_the_commit_once_it_changed() {
    let (_dir, store) = test_store();
    let catalog = store.catalog().unwrap();
    let mut noted = draft("no");
    for a in noted.answers.values_mut() {
        a.note = "not yet".into();
    }
    store
        .record_run(noted, &catalog, at("2026-04-01T09:00:00+09:00"), clock())
        .unwrap();
    // Read twice: the first read builds the index, the second reads it.
    store.history(&catalog, &HistoryFilter::default()).unwrap();
    let history = store.history(&catalog, &HistoryFilter::default()).unwrap();
    let h = &history[0];
    assert_eq!(h.status, RunStatus::Committed);
    let file = store.root().join(format!("{RUNS_DIR}/{}.ron", h.run.id));
    // The entry names the blob git has, and the file's blob id is git's.
    let bytes = std::fs::read(&file).unwrap();
    let git_id = Oid::hash_object(ObjectType::Blob, &bytes).unwrap();
    assert_eq!(h.blob, Some(blob_id(&bytes)));
    assert_eq!(blob_id(&bytes).as_slice(), git_id.as_bytes());
    assert_eq!(
        blob_id(b"").as_slice(),
        Oid::hash_object(ObjectType::Blob, b"").unwrap().as_bytes()
    );
    let notes_of =
        |run: Run| -> Vec<String> { run.answers.values().map(|a| a.note.clone()).collect() };
    let full = notes_of(store.full_run(&catalog, h).unwrap());
    assert!(
        !full.is_empty() && full.iter().all(|n| n == "not yet"),
        "{full:?}"
    );
    // Edited after the history was read (same answers, another note): the
    // committed note, never the uncommitted one.
    let edited = String::from_utf8(bytes)
        .unwrap()
        .replace("not yet", "done now");
    std::fs::write(&file, edited).unwrap();
    let full = notes_of(store.full_run(&catalog, h).unwrap());
    assert!(
        !full.is_empty() && full.iter().all(|n| n == "not yet"),
        "{full:?}"
    );
}

#[test]
fn an_action_read_through_the_index_is_made_once_and_shared_by_every_run_that_has_it() {
    let (_dir, store) = test_store();
    let catalog = store.catalog().unwrap();
    let action = |text: &str, owner: &str, day: u32| crate::model::Action {
        text: text.into(),
        owner: owner.into(),
        due: NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
    };
    // Item 1 carries one action through two runs; item 2 has another
    // text, owner or due date in each run.
    let with = |second: crate::model::Action| {
        let mut d = draft("no");
        let mut it = d.answers.values_mut();
        it.next().unwrap().action = Some(action("fix it", "sato", 31));
        it.next().unwrap().action = Some(second);
        d
    };
    for (second, when) in [
        (action("fix it", "sato", 30), "2026-04-01T09:00:00+09:00"),
        (action("fix it", "suzuki", 31), "2026-05-01T09:00:00+09:00"),
        (action("fix that", "sato", 31), "2026-06-01T09:00:00+09:00"),
    ] {
        record(&store, &catalog, with(second), when);
    }
    let history = store.history(&catalog, &HistoryFilter::default()).unwrap();
    assert_eq!(history.len(), 3);
    let mut made: Vec<&std::sync::Arc<crate::model::Action>> = Vec::new();
    for h in &history {
        // The same actions as the run file holds, at the same items.
        let full = store.full_run(&catalog, h).unwrap();
        let from_file = crate::model::Brief::from_answers(&h.template, &full.answers).unwrap();
        assert_eq!(h.brief, from_file);
        assert_eq!(h.brief.actions().len(), 2);
        made.extend(h.brief.actions().iter().map(|(_, a)| a));
    }
    // Equal actions are one allocation; different ones are not.
    for a in &made {
        for b in &made {
            assert_eq!(std::sync::Arc::ptr_eq(a, b), a == b, "{a:?} / {b:?}");
        }
    }
    // fix it/sato/31 (three runs), fix it/sato/30, fix it/suzuki/31,
    // fix that/sato/31.
    let distinct: HashSet<*const crate::model::Action> =
        made.iter().map(|a| std::sync::Arc::as_ptr(a)).collect();
    assert_eq!(distinct.len(), 4);
}

#[test]
fn a_listing_begun_ahead_reads_as_one_begun_with_the_read_and_only_for_its_filter() {
    let (_dir, store) = test_store();
    let catalog = store.catalog().unwrap();
    let done = record(&store, &catalog, draft("yes"), "2026-10-01T09:00:00+09:00");
    record(&store, &catalog, draft("no"), "2026-10-02T09:00:00+09:00");
    // One committed file changed and one new file in the work tree.
    let changed = store.root().join(format!("runs/{}.ron", done.run.id));
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push('\n');
    std::fs::write(&changed, text).unwrap();
    let mut copy = done.run.clone();
    copy.id = "self/test-five/2026-10-03T090000-sato".into();
    copy.finished = at("2026-10-03T09:00:00+09:00");
    std::fs::write(
        store
            .root()
            .join("runs/self/test-five/2026-10-03T090000-sato.ron"),
        crate::model::to_ron(&copy).unwrap(),
    )
    .unwrap();
    let seen = |entries: Vec<HistoryEntry>| -> Vec<(String, RunStatus)> {
        entries.into_iter().map(|e| (e.run.id, e.status)).collect()
    };
    let everything = HistoryFilter {
        uncommitted: true,
        ..HistoryFilter::default()
    };
    let hq = HistoryFilter {
        subject: Some(id("hq")),
        ..HistoryFilter::default()
    };
    for filter in [HistoryFilter::default(), everything] {
        let expected = seen(store.history(&catalog, &filter).unwrap());
        let listing = store.list_ahead(&filter);
        let got = seen(store.history_listed(&catalog, &filter, listing).unwrap());
        assert_eq!(got, expected);
        // A listing of runs/hq alone would make every run of `self` look
        // gone: begun for another filter, it is not used.
        let listing = store.list_ahead(&hq);
        let got = seen(store.history_listed(&catalog, &filter, listing).unwrap());
        assert_eq!(got, expected);
    }
    let expected = seen(
        store
            .history(
                &catalog,
                &HistoryFilter {
                    uncommitted: true,
                    ..HistoryFilter::default()
                },
            )
            .unwrap(),
    );
    assert_eq!(
        expected.iter().map(|(_, s)| *s).collect::<Vec<_>>(),
        [
            RunStatus::Modified,
            RunStatus::Committed,
            RunStatus::Uncommitted
        ]
    );
}
