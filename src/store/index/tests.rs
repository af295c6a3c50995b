//! The index against git (issue 15): an index updated commit by commit is
//! the one a rebuild makes; a damaged, foreign, outdated or lying index is
//! detected and rebuilt, and the history read through it is the same.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::DateTime;
use proptest::prelude::*;

use super::format::{self, RawId, Snapshot};
use super::{LazyRepo, Origin, index_rel, load};
use crate::model::{Action, Answer, Draft, Id, Inspector};
use crate::store::testing::{TEMPLATE_RON, clock, test_store};
use crate::store::{HistoryFilter, Store, git};

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

/// A draft of `test-five` answering every item with `choices[i % len]`.
fn draft(choices: &[&str], carried: bool) -> Draft {
    let answers = ["1", "2", "3", "4", "5"]
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut a = Answer::new(id(choices[i % choices.len()]));
            if a.choice.as_str() == "no" {
                a.note = "not yet".into();
                a.action = Some(Action {
                    text: "fix it".into(),
                    owner: "sato".into(),
                    due: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                });
            }
            a.carried = carried && i % 2 == 0;
            (id(item), a)
        })
        .collect::<BTreeMap<_, _>>();
    Draft {
        format: 1,
        inspection: id("test-five"),
        inspection_version: 1,
        inspection_hash: None,
        subject: id("self"),
        inspector: Inspector {
            id: id("sato"),
            name: "Sato Hanako".into(),
            email: "sato@example.jp".into(),
        },
        started: clock().now(),
        answers,
        cursor: 0,
        supersedes: None,
        closes: Vec::new(),
    }
}

fn at(day: u32) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(&format!(
        "2026-{:02}-{:02}T09:00:00+09:00",
        1 + day / 28,
        1 + day % 28
    ))
    .unwrap()
}

/// The index of HEAD, stat data left out (it depends on when files were
/// looked at, not on git).
fn without_stat(mut s: Snapshot<RawId>) -> Snapshot<RawId> {
    for r in s.runs.values_mut() {
        r.stat = None;
    }
    if let Some(w) = &mut s.withdrawals {
        for r in w.values_mut() {
            r.stat = None;
        }
    }
    s
}

fn current(store: &Store) -> (Snapshot<RawId>, Origin) {
    load(store.root(), &LazyRepo::new(store.root()), |v, o| {
        (v.to_snapshot().unwrap(), o)
    })
    .unwrap()
    .unwrap()
}

fn rebuilt(store: &Store) -> Snapshot<RawId> {
    let repo = git::open(store.root()).unwrap();
    let head = repo.head().unwrap().target().unwrap();
    super::build::Builder::new(store.root(), &repo)
        .full(super::repo_id(&repo), head)
        .unwrap()
        .into_raw()
}

/// What `history --all` gives, as text (every field the commands use).
fn history_text(store: &Store) -> String {
    let catalog = store.catalog().unwrap();
    let all = HistoryFilter {
        all: true,
        uncommitted: true,
        ..HistoryFilter::default()
    };
    format!("{:?}", store.history(&catalog, &all).unwrap())
}

/// One step of a history made by tenken.
#[derive(Debug, Clone)]
enum Step {
    /// A run with these choices (carried marks on every other answer).
    Record(Vec<&'static str>, bool),
    /// A correction of the latest current run.
    Correct(Vec<&'static str>),
    /// The withdrawal of the latest current run.
    Withdraw,
    /// A new template version (points changed, version bumped), committed.
    Bump,
}

fn step() -> impl Strategy<Value = Step> {
    let choice = prop::sample::select(vec!["yes", "partly", "no", "na"]);
    prop_oneof![
        4 => (prop::collection::vec(choice.clone(), 1..4), any::<bool>())
            .prop_map(|(c, carried)| Step::Record(c, carried)),
        1 => prop::collection::vec(choice, 1..4).prop_map(Step::Correct),
        1 => Just(Step::Withdraw),
        1 => Just(Step::Bump),
    ]
}

fn apply(store: &Store, n: u32, step: &Step, version: &mut u32) {
    let catalog = store.catalog().unwrap();
    let latest = || {
        store
            .history(&catalog, &HistoryFilter::default())
            .unwrap()
            .last()
            .map(|h| h.run.id.clone())
    };
    match step {
        Step::Record(choices, carried) => {
            let mut d = draft(choices, *carried);
            d.inspection_version = *version;
            store.record_run(d, &catalog, at(n), clock()).unwrap();
        }
        Step::Correct(choices) => {
            if let Some(target) = latest() {
                let mut d = draft(choices, false);
                d.inspection_version = *version;
                d.supersedes = Some(target);
                store.record_run(d, &catalog, at(n), clock()).unwrap();
            }
        }
        Step::Withdraw => {
            if let Some(target) = latest() {
                store
                    .withdraw_run(
                        &catalog,
                        &target,
                        "wrong",
                        &draft(&["yes"], false).inspector,
                        clock(),
                    )
                    .unwrap();
            }
        }
        Step::Bump => {
            *version += 1;
            let text = TEMPLATE_RON
                .replace("version: 1,", &format!("version: {version},"))
                .replace(
                    "points: Some(2)",
                    &format!("points: Some({})", 1 + *version),
                );
            let rel = PathBuf::from("inspections/test-five.ron");
            std::fs::write(store.root().join(&rel), text).unwrap();
            let repo = git::open(store.root()).unwrap();
            let who = git::Identity {
                name: "Sato Hanako".into(),
                email: "sato@example.jp".into(),
            };
            git::commit_paths(&repo, &[rel], &who, "bump", clock()).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// An index updated commit by commit is the one built from scratch,
    /// and reads the same history.
    #[test]
    fn an_index_updated_commit_by_commit_equals_one_built_from_scratch(
        steps in prop::collection::vec(step(), 1..7)
    ) {
        let (_dir, store) = test_store();
        let mut version = 1;
        current(&store);
        for (n, s) in steps.iter().enumerate() {
            apply(&store, u32::try_from(n).unwrap(), s, &mut version);
            let (updated, origin) = current(&store);
            prop_assert_ne!(origin, Origin::Built, "after {:?}", s);
            prop_assert_eq!(without_stat(updated), without_stat(rebuilt(&store)));
        }
        let through_index = history_text(&store);
        std::fs::remove_dir_all(store.root().join(".tenken/index")).unwrap();
        prop_assert_eq!(history_text(&store), through_index);
    }
}

/// A repository with a few runs, a correction and a withdrawal, and its
/// history read through a fresh index.
fn sample() -> (tempfile::TempDir, Store, String) {
    let (dir, store) = test_store();
    let mut version = 1;
    let steps = [
        Step::Record(vec!["yes", "no"], true),
        Step::Record(vec!["partly"], false),
        Step::Correct(vec!["yes"]),
        Step::Bump,
        Step::Record(vec!["no", "na"], false),
        Step::Record(vec!["yes"], false),
        Step::Withdraw,
    ];
    for (n, s) in steps.iter().enumerate() {
        apply(&store, u32::try_from(n).unwrap(), s, &mut version);
    }
    let text = history_text(&store);
    (dir, store, text)
}

#[test]
fn a_damaged_foreign_outdated_or_lying_index_is_rebuilt_and_changes_nothing() {
    let (_dir, store, expected) = sample();
    let path = store.root().join(index_rel());
    let good = std::fs::read(&path).unwrap();
    assert_eq!(current(&store).1, Origin::Read);
    let snap = format::decode(&good).unwrap();

    // A valid checksum over values that cannot be: each is refused.
    let reencode = |f: &dyn Fn(&mut Snapshot<RawId>)| {
        let mut s = snap.clone();
        f(&mut s);
        format::encode(&s).unwrap()
    };
    let first = snap.runs.keys().next().unwrap().clone();
    let bad_choice = reencode(&|s| {
        let d = s.runs.get_mut(&first).unwrap().data.as_mut().unwrap();
        d.codes[0] = 0x0fff;
    });
    let bad_count = reencode(&|s| {
        let d = s.runs.get_mut(&first).unwrap().data.as_mut().unwrap();
        d.codes.push(1);
    });
    let bad_path = reencode(&|s| {
        let mut r = s.runs.remove(&first).unwrap();
        r.path = "runs/NOT AN ID/x/y.ron".into();
        s.runs.insert(r.path.clone(), r);
    });
    let bad_template = reencode(&|s| {
        for t in s.templates.values_mut() {
            t.blob = RawId([7; 20]);
        }
    });
    let foreign = reencode(&|s| s.repo = "/elsewhere/.git".into());
    let mut wrong_version = good.clone();
    wrong_version[8] = 99;
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0xff;
    let mut changed = good.clone();
    changed[good.len() / 2] ^= 0x10;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("truncated", good[..good.len() / 2].to_vec()),
        (
            "random bytes",
            (0..4096u32)
                .map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes()[1])
                .collect(),
        ),
        ("wrong version", wrong_version),
        ("a flipped byte", flipped),
        ("a byte changed in the middle", changed),
        ("another repository", foreign),
        ("a choice off its scale", bad_choice),
        ("one code too many", bad_count),
        ("a path that is no run id", bad_path),
    ];
    // Damage and foreign files are seen on reading; values that only the
    // template can judge, on use: either way the history is git's, and the
    // stored index is a fresh one afterwards.
    for (what, bytes) in cases {
        let on_use = what.starts_with("a choice") || what.starts_with("one code");
        std::fs::write(&path, &bytes).unwrap();
        if !on_use {
            assert_eq!(current(&store).1, Origin::Built, "{what}");
            std::fs::write(&path, &bytes).unwrap();
        }
        assert_eq!(history_text(&store), expected, "{what}");
        let again = format::decode(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            without_stat(again),
            without_stat(snap.clone()),
            "{what}: rewritten"
        );
    }
    // A template blob that is not what the index says: found on use.
    std::fs::write(&path, &bad_template).unwrap();
    assert_eq!(history_text(&store), expected);
    // A commit this repository does not have, or one off HEAD's line.
    let orphan = reencode(&|s| s.head = RawId([9; 20]));
    std::fs::write(&path, &orphan).unwrap();
    assert_eq!(current(&store).1, Origin::Built);
    // A folder, or a link, where the file should be: rebuilt in memory.
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    assert_eq!(history_text(&store), expected);
    std::fs::remove_dir(&path).unwrap();
}

#[test]
fn the_work_tree_is_checked_on_every_read_and_stat_data_is_refreshed() {
    let (_dir, store, expected) = sample();
    let catalog = store.catalog().unwrap();
    let history = store.history(&catalog, &HistoryFilter::default()).unwrap();
    let one = &history[0].run.id;
    let file = store.root().join(format!("runs/{one}.ron"));
    let text = std::fs::read_to_string(&file).unwrap();
    // Touched but the same: still committed.
    std::fs::write(&file, &text).unwrap();
    assert_eq!(history_text(&store), expected);
    // Changed: modified, and the commit counts.
    std::fs::write(&file, text.replace("not yet", "changed")).unwrap();
    let h = store.history(&catalog, &HistoryFilter::default()).unwrap();
    assert_eq!(h[0].status, crate::model::RunStatus::Modified);
    assert_eq!(
        store.full_run(&catalog, &h[0]).unwrap().answers[&id("2")].note,
        "not yet",
        "the committed notes, not the changed file's"
    );
    std::fs::write(&file, &text).unwrap();
    assert_eq!(history_text(&store), expected);
}

/// The build reads every commit once in no order for the trailers; what it
/// finds is what the topological walk finds, also with a run named twice
/// (a second commit naming it, on a side branch merged back).
#[test]
fn trailers_read_in_any_order_are_those_of_the_topological_walk() {
    let (_dir, store, _) = sample();
    let repo = git::open(store.root()).unwrap();
    let same = |repo: &git2::Repository| {
        let head = repo.head().unwrap().target().unwrap();
        let fast = super::build::all_trailer_names(repo, head).unwrap();
        let (topological, _) = super::build::trailer_names(repo, head, None).unwrap();
        assert!(!fast.is_empty());
        assert_eq!(fast, topological);
        fast
    };
    let before = same(&repo);
    // A side branch whose commit names a run already named, merged back.
    let (first_id, first_commit) = before.iter().next().unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let who = git2::Signature::now("Sato Hanako", "sato@example.jp").unwrap();
    let side = repo
        .commit(
            None,
            &who,
            &who,
            &format!("again\n\nTenken-Run: {first_id}\n"),
            &head.tree().unwrap(),
            &[&head],
        )
        .unwrap();
    let side = repo.find_commit(side).unwrap();
    let merge = repo
        .commit(
            Some("HEAD"),
            &who,
            &who,
            "merge",
            &head.tree().unwrap(),
            &[&head, &side],
        )
        .unwrap();
    assert_ne!(merge, head.id());
    let after = same(&repo);
    assert_eq!(after.get(first_id), Some(first_commit), "the older commit");
}

#[test]
fn the_listing_is_sorted_by_whole_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut expected = Vec::new();
    // Folder names where a name and the same name followed by `-`, `.`
    // or `0` sort otherwise than the whole paths would if `/` were not
    // counted (`-` and `.` come before `/`, `0` after it); files in
    // shuffled creation order.
    let subjects = ["sub-1", "sub", "sub0", "sub.x", "sub-0", "a"];
    for s in subjects.iter().rev() {
        for i in ["check0", "check", "check-b", "check.a"] {
            let folder = root.join(format!("runs/{s}/{i}"));
            std::fs::create_dir_all(&folder).unwrap();
            for n in ["2026-03", "2026-01", "2026-01-x", "2026-010", "2026-02"] {
                std::fs::write(folder.join(format!("{n}.ron")), "x").unwrap();
                expected.push(format!("runs/{s}/{i}/{n}.ron"));
            }
            // Neither a folder named like a run nor another extension.
            std::fs::create_dir(folder.join("dir.ron")).unwrap();
            std::fs::write(folder.join("notes.txt"), "x").unwrap();
        }
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("2026-01.ron", root.join("runs/sub0/check/link.ron")).unwrap();
        expected.push("runs/sub0/check/link.ron".into());
    }
    expected.sort();
    let all = super::listing(root, "runs", (None, None));
    let paths: Vec<&str> = all.iter().map(|f| f.path).collect();
    assert_eq!(paths, expected);
    assert_eq!(all.len(), expected.len());
    for f in all.iter() {
        assert_eq!(f.link, f.path.ends_with("link.ron"), "{}", f.path);
        assert!(f.stat.is_some());
    }
    // One subject: that subject's part, in the same order.
    let one = super::listing(root, "runs", (Some("sub"), None));
    let one: Vec<&str> = one.iter().map(|f| f.path).collect();
    let part: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| p.starts_with("runs/sub/"))
        .collect();
    assert_eq!(one, part);
    let two = super::listing(root, "runs", (Some("sub"), Some("check-b")));
    assert_eq!(two.len(), 5);
    // Helped by other threads, whichever finishes first: the same files.
    for helpers in 0..3 {
        let started = super::start_work(root, (None, None));
        let threads: Vec<_> = (0..helpers)
            .map(|_| std::thread::spawn(started.helper()))
            .collect();
        let listing = started.finish(root);
        let helped: Vec<&str> = listing.runs.iter().map(|f| f.path).collect();
        assert_eq!(helped, expected, "{helpers} helpers");
        for t in threads {
            t.join().unwrap();
        }
    }
}

/// The build parses runs on other threads while this one walks the
/// history: one, two or no other threads give the same index, also for
/// runs without a template hash (they wait for the commit that added
/// them), a run committed without a trailer and a trailer naming a run
/// HEAD lacks.
#[test]
fn the_build_is_the_same_on_one_thread_or_three() {
    let (_dir, store, _) = sample();
    let repo = git::open(store.root()).unwrap();
    let who = git::Identity {
        name: "Sato Hanako".into(),
        email: "sato@example.jp".into(),
    };
    let commit_run = |day: u32, trailer: bool| {
        let mut d = draft(&["yes", "partly"], false);
        d.inspection_version = 2; // the sample bumped the template once
        let when = at(day);
        let id = format!("self/test-five/{}-sato", when.format("%Y-%m-%dT%H%M%S"));
        let run = d.finish(id, when);
        let rel = PathBuf::from(format!("runs/{}.ron", run.id));
        std::fs::write(store.root().join(&rel), crate::model::to_ron(&run).unwrap()).unwrap();
        let message = if trailer {
            format!("run by hand\n\nTenken-Run: {}\n", run.id)
        } else {
            "run by hand".to_owned()
        };
        let commit = git::commit_paths(&repo, std::slice::from_ref(&rel), &who, &message, clock())
            .unwrap()
            .oid;
        (rel.to_string_lossy().into_owned(), commit)
    };
    // Runs without a template hash (from before hashes were recorded).
    let legacy = [commit_run(40, true), commit_run(41, true)];
    let untold = commit_run(42, false);
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    repo.commit(
        Some("HEAD"),
        &head.author(),
        &head.committer(),
        "names a run that is not there\n\nTenken-Run: self/test-five/2026-03-01T090000-sato\n",
        &head.tree().unwrap(),
        &[&head],
    )
    .unwrap();

    let head = repo.head().unwrap().target().unwrap();
    let builder = super::build::Builder::new(store.root(), &repo);
    let build = |spawned: usize| {
        let snap = builder
            .full_on(super::repo_id(&repo), head, |_| spawned)
            .unwrap()
            .into_raw();
        without_stat(snap)
    };
    let alone = build(0);
    for (path, commit) in legacy.iter().chain([&untold]) {
        let record = &alone.runs[path];
        assert_eq!(record.commit, Some(RawId::from(*commit)), "{path}");
        let data = record.data.as_ref().unwrap();
        assert_eq!(data.run.inspection_hash, None, "{path}");
    }
    assert_eq!(
        alone.named.keys().collect::<Vec<_>>(),
        ["self/test-five/2026-03-01T090000-sato"]
    );
    assert!(alone.runs.len() >= 8, "{}", alone.runs.len());
    for spawned in [1, 2] {
        assert_eq!(build(spawned), alone, "{spawned} threads beside");
    }
}

/// A run file that git's own index knows clean (and old enough to trust)
/// gets its lstat data in a built index, however many threads build it; a
/// file changed since git looked at it gets none.
#[test]
fn clean_run_files_keep_their_stat_data() {
    let (_dir, store, _) = sample();
    let root = store.root();
    let repo = git::open(root).unwrap();
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let mut paths = Vec::new();
    for path in crate::store::history::head_files(&repo, "runs", &[])
        .unwrap()
        .into_keys()
    {
        let file = std::fs::File::options()
            .write(true)
            .open(root.join(&path))
            .unwrap();
        file.set_modified(an_hour_ago).unwrap();
        paths.push(path);
    }
    // git looks at them again (as `git status` would) and writes its index.
    let mut index = repo.index().unwrap();
    for path in &paths {
        index.add_path(std::path::Path::new(path)).unwrap();
    }
    index.write().unwrap();
    // One changed since (its ctime moves, whatever its mtime says).
    let changed = &paths[0];
    let mut text = std::fs::read_to_string(root.join(changed)).unwrap();
    text.push('\n');
    std::fs::write(root.join(changed), text).unwrap();
    std::fs::File::options()
        .write(true)
        .open(root.join(changed))
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();

    let head = repo.head().unwrap().target().unwrap();
    let builder = super::build::Builder::new(root, &repo);
    for spawned in [0, 2] {
        let snap = builder
            .full_on(super::repo_id(&repo), head, |_| spawned)
            .unwrap();
        assert_eq!(snap.runs.len(), paths.len());
        for (path, record) in &snap.runs {
            let lstat = std::fs::symlink_metadata(root.join(path)).unwrap();
            let expected = (path != changed).then(|| format::Stat::of(&lstat).unwrap());
            assert_eq!(record.stat, expected, "{path}, {spawned} threads beside");
        }
    }
}

#[test]
fn a_byte_changed_anywhere_fails_the_checksum_or_the_header() {
    let (_dir, store, _) = sample();
    let good = std::fs::read(store.root().join(index_rel())).unwrap();
    assert!(format::view(&good).is_ok());
    assert!(good.len() > format::HEADER + 1000, "{}", good.len());
    for at in 0..good.len() {
        for flip in [0x01, 0x80, 0x5a, 0xff] {
            let mut bad = good.clone();
            bad[at] ^= flip;
            let Err(why) = format::view(&bad) else {
                panic!("byte {at} ^ {flip:#x} still reads as an index");
            };
            // In the body, the checksum says so before any value is read.
            if at >= format::HEADER {
                assert_eq!(why, "the index fails its checksum", "byte {at} ^ {flip:#x}");
            }
        }
    }
    // Two bytes changed so that a plain sum of the bytes stays the same.
    let mut bad = good.clone();
    let (a, b) = (format::HEADER + 7, good.len() - 9);
    bad[a] = bad[a].wrapping_add(1);
    bad[b] = bad[b].wrapping_sub(1);
    assert_eq!(
        format::view(&bad).err().as_deref(),
        Some("the index fails its checksum")
    );
}

/// Rewrites the header of an index file for `body` (its length and
/// checksum), as a writer would for whatever body it wrote.
fn with_header(good: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = good[..12].to_vec();
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

#[test]
fn a_checksummed_index_with_any_bytes_changed_never_panics_a_reader() {
    let (_dir, store, _) = sample();
    let path = store.root().join(index_rel());
    let good = std::fs::read(&path).unwrap();
    assert!(format::view(&good).is_ok());
    let body = &good[format::HEADER..];
    // A fixed-seed xorshift: the same mutants on every run.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut read_as_index = 0;
    for round in 0..4000 {
        let mut mutant = body.to_vec();
        for _ in 0..=(next() % 3) {
            let at = usize::try_from(next() % mutant.len() as u64).unwrap();
            let byte = u8::try_from(next() & 0xff).unwrap();
            match next() % 3 {
                0 => mutant[at] = byte,
                1 => mutant[at] ^= 1 << (byte % 8),
                _ => mutant.truncate(at.max(1)),
            }
        }
        let bytes = with_header(&good, &mutant);
        // Every accessor a reader uses, on whatever the check lets through.
        let Ok(view) = format::view(&bytes) else {
            continue;
        };
        read_as_index += 1;
        let _ = view.to_snapshot();
        let _ = view.withdrawals();
        for n in 0..view.template_count() {
            let _ = view.template(n);
        }
        for run in view.runs() {
            let _ = (run.id(), run.subject_inspection(), run.has_data());
            let _ = (run.finished(), run.template_hash(), run.supersedes());
            let _ = (run.codes(), run.actions(), run.run(), run.stat());
        }
        // And the history read through it: an answer or an error, no panic.
        if round % 40 == 0 {
            std::fs::write(&path, &bytes).unwrap();
            let catalog = store.catalog().unwrap();
            let _ = store.history(&catalog, &HistoryFilter::default());
        }
    }
    // The mutants reached the checks on values, not only postcard's.
    assert!(read_as_index > 50, "{read_as_index}");
}
