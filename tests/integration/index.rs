//! The derived index (issue 15) through the real binary: every read
//! command prints the same with the index, without it (`TENKEN_INDEX=off`,
//! built from git for each command) and after deleting it, over the demo
//! and over a history with corrections, a withdrawal, two template
//! versions and carried answers; and a `kill -9` while the index is being
//! written leaves a repository that reads the same.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::TestEnv;

/// Every read command, in JSON where it has it (and `report` in Markdown,
/// which prints notes).
const READS: &[&[&str]] = &[
    &["history", "--all", "--format", "json"],
    &["history", "--format", "json", "--subject", "self"],
    &["compare", "--format", "json"],
    &["trend", "--format", "json"],
    &["subjects", "--format", "json"],
    &["suppliers", "--format", "json"],
    &["due", "--format", "json"],
    &["actions", "--all", "--format", "json"],
    &["risks", "--format", "json"],
    &["report", "--format", "json"],
    &["report", "--format", "md"],
];

/// The cache of template content hashes.
const HASHES: &str = ".tenken/template-hashes";

/// Runs every read command and returns what each printed (and its exit);
/// without the index (`TENKEN_INDEX=off`) a command neither reads nor
/// writes the cache of template hashes either: it computes every hash.
fn outputs(env: &TestEnv, index: bool) -> Vec<String> {
    READS
        .iter()
        .map(|args| {
            let mut cmd = env.tenken_in_repo();
            if !index {
                cmd.env("TENKEN_INDEX", "off");
            }
            let out = cmd.args(*args).output().unwrap();
            format!(
                "{args:?} exit {:?}\n{}\n{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
        .collect()
}

/// The same outputs with the index (built, then read), without it, and
/// after deleting it; and with the cache of template hashes deleted or
/// broken (it is written again).
fn same_every_way(env: &TestEnv) {
    let index_dir = env.repo().join(".tenken/index");
    let hashes = env.repo().join(HASHES);
    let _ = std::fs::remove_dir_all(&index_dir);
    let _ = std::fs::remove_file(&hashes);
    let without = outputs(env, false);
    assert!(!index_dir.exists(), "TENKEN_INDEX=off writes nothing");
    assert!(
        !hashes.exists(),
        "TENKEN_INDEX=off writes no template hashes"
    );
    let building = outputs(env, true);
    assert!(index_dir.join("runs.idx").is_file());
    let reading = outputs(env, true);
    std::fs::remove_dir_all(&index_dir).unwrap();
    let rebuilt = outputs(env, true);
    let cached = hash_entries(&hashes);
    assert!(!cached.is_empty());
    std::fs::remove_file(&hashes).unwrap();
    let uncached = outputs(env, true);
    assert_eq!(hash_entries(&hashes), cached);
    std::fs::write(&hashes, b"not a cache").unwrap();
    let broken = outputs(env, true);
    assert_eq!(hash_entries(&hashes), cached, "written again");
    assert!(
        without
            .iter()
            .filter(|w| w.contains("exit Some(0)"))
            .count()
            >= READS.len() - 1,
        "{without:?}"
    );
    for (i, w) in without.iter().enumerate() {
        assert_eq!(&building[i], w);
        assert_eq!(&reading[i], w);
        assert_eq!(&rebuilt[i], w);
        assert_eq!(&uncached[i], w);
        assert_eq!(&broken[i], w);
    }
}

/// The entries (template key and content hash) of the cache of template
/// hashes: 44 bytes of header, 64 bytes an entry, a 32-byte checksum.
fn hash_entries(file: &Path) -> std::collections::BTreeSet<Vec<u8>> {
    let bytes = std::fs::read(file).unwrap();
    assert_eq!((bytes.len() - 44 - 32) % 64, 0, "{}", file.display());
    bytes[44..bytes.len() - 32]
        .chunks(64)
        .map(<[u8]>::to_vec)
        .collect()
}

#[test]
fn every_read_command_prints_the_same_with_without_and_after_deleting_the_index_demo() {
    let env = TestEnv::new();
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();
    same_every_way(&env);
}

/// The tests' template at `version`, `yes` worth `yes` points.
fn template(version: u32, yes: u32) -> String {
    format!(
        r#"Inspection(
    format: 1,
    id: "five",
    version: {version},
    title: (en: "Five"),
    source: "tenken integration tests",
    scales: {{
        "ynp": [
            Choice(id: "yes", key: '1', label: (en: "Yes"), points: Some({yes})),
            Choice(id: "partly", key: '2', label: (en: "Partly"), points: Some(1)),
            Choice(id: "no", key: '3', label: (en: "No"), points: Some(0)),
        ],
    }},
    sections: [
        Section(id: "main", title: (en: "Main"), items: [
            Item(id: "1", scale: "ynp", title: (en: "One")),
            Item(id: "2", scale: "ynp", title: (en: "Two")),
            Item(id: "3", scale: "ynp", title: (en: "Three")),
            Item(id: "4", scale: "ynp", title: (en: "Four")),
            Item(id: "5", scale: "ynp", title: (en: "Five")),
        ]),
    ],
    bands: [
        Band(min_percent: 80, label: (en: "Good")),
        Band(min_percent: 0, label: (en: "Gaps")),
    ],
)
"#
    )
}

/// A RON answers file: `choices` by item, a note and an action on `no`,
/// `carried` on the first item when asked.
fn answers(env: &TestEnv, name: &str, choices: [&str; 5], carried: bool) -> PathBuf {
    let mut ron = String::from("{\n");
    for (i, c) in choices.iter().enumerate() {
        let extra = if *c == "no" {
            r#", note: "not yet", action: Some((text: "fix it", owner: "soumu", due: "2026-12-31"))"#
        } else {
            ""
        };
        let carry = if carried && i == 0 {
            ", carried: true"
        } else {
            ""
        };
        writeln!(ron, "  \"{}\": (choice: \"{c}\"{extra}{carry}),", i + 1).unwrap();
    }
    ron.push('}');
    let path = env.home.path().join(name);
    std::fs::write(&path, ron).unwrap();
    path
}

fn record(env: &TestEnv, inspection: &str, subject: &str, file: &Path, extra: &[&str]) {
    env.tenken_in_repo()
        .args(["record", inspection, "--subject", subject, "--answers"])
        .arg(file)
        .args(extra)
        .assert()
        .success();
}

/// A repository with corrections, a withdrawal, two template versions,
/// carried answers and a run committed by hand without a trailer (also
/// what the TUI is compared on, `index_tui`).
pub(crate) fn corrections_repo(env: &TestEnv) -> PathBuf {
    let repo = env.init();
    std::fs::write(repo.join("inspections/five.ron"), template(1, 2)).unwrap();
    env.git(&repo, &["add", "inspections/five.ron"]);
    env.git(&repo, &["commit", "-q", "-m", "five v1"]);
    let a = answers(env, "a.ron", ["yes", "no", "partly", "yes", "yes"], false);
    let b = answers(env, "b.ron", ["no", "no", "yes", "yes", "partly"], true);
    let c = answers(env, "c.ron", ["yes", "yes", "yes", "partly", "yes"], false);
    record(env, "five", "self", &a, &["--date", "2026-05-20"]);
    record(env, "five", "self", &b, &["--date", "2026-08-20"]);
    record(
        env,
        "five",
        "self",
        &c,
        &[
            "--date",
            "2026-08-20",
            "--supersedes",
            "self/five/2026-08-20T090000-sato",
        ],
    );
    // Version 2 scores `yes` higher; older runs keep version 1's scores.
    std::fs::write(repo.join("inspections/five.ron"), template(2, 3)).unwrap();
    env.git(&repo, &["commit", "-q", "-am", "five v2"]);
    record(env, "five", "self", &b, &["--date", "2026-10-20"]);
    record(env, "five", "self", &a, &["--date", "2026-11-20"]);
    env.tenken_in_repo()
        .args([
            "withdraw",
            "self/five/2026-11-20T090000-sato",
            "--reason",
            "wrong day",
        ])
        .assert()
        .success();
    // A run committed by hand without a trailer.
    let by_hand = "runs/self/five/2026-11-21T090000-sato.ron";
    let text = std::fs::read_to_string(repo.join("runs/self/five/2026-10-20T090000-sato.ron"))
        .unwrap()
        .replace("2026-10-20", "2026-11-21");
    std::fs::write(repo.join(by_hand), text).unwrap();
    env.git(&repo, &["add", by_hand]);
    env.git(&repo, &["commit", "-q", "-m", "by hand"]);
    repo
}

#[test]
fn every_read_command_prints_the_same_with_without_and_after_deleting_the_index_corrections() {
    let env = TestEnv::new();
    let repo = corrections_repo(&env);
    let by_hand = "runs/self/five/2026-11-21T090000-sato.ron";
    same_every_way(&env);
    // And an uncommitted run file.
    let loose = std::fs::read_to_string(repo.join(by_hand))
        .unwrap()
        .replace("2026-11-21", "2026-11-22");
    std::fs::write(
        repo.join("runs/self/five/2026-11-22T090000-sato.ron"),
        loose,
    )
    .unwrap();
    same_every_way(&env);
    // And a template changed in the work tree by a title, then back: its
    // new hash is cached beside the old one, and every run keeps the
    // template it was taken with (the same outputs throughout).
    let five = repo.join("inspections/five.ron");
    let committed = std::fs::read_to_string(&five).unwrap();
    let changed = committed.replacen("title: (", "title: (ja: \"五\", ", 1);
    assert_ne!(changed, committed);
    let before = hash_entries(&repo.join(HASHES));
    let restored = outputs(&env, true);
    std::fs::write(&five, &changed).unwrap();
    let edited = outputs(&env, true);
    let after = hash_entries(&repo.join(HASHES));
    assert!(after.len() > before.len() && after.is_superset(&before));
    assert_eq!(edited, restored);
    same_every_way(&env);
    std::fs::write(&five, &committed).unwrap();
    assert_eq!(outputs(&env, true), restored);
    same_every_way(&env);
}

/// `tenken check`'s output (stdout and stderr) and whether it succeeded.
fn check(env: &TestEnv, lang: &str) -> (String, bool) {
    let out = env
        .tenken_in_repo()
        .args(["--lang", lang, "check"])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (text, out.status.success())
}

#[test]
fn a_cache_of_template_hashes_that_lies_is_reported_by_check_and_unused_without_the_index() {
    // Only a hand can make a checksummed cache that lies: no command would
    // notice it while reading (that is what the cache saves), so `check`
    // computes every hash itself, trusts nothing in the file and reports
    // it; and without the index no command reads it.
    let env = TestEnv::new();
    let repo = corrections_repo(&env);
    let hashes = repo.join(HASHES);
    let _ = std::fs::remove_file(&hashes);
    let (text, ok) = check(&env, "en");
    assert!(ok, "{text}");
    assert!(!hashes.exists(), "check writes no cache");
    let truth = outputs(&env, true);
    let honest = std::fs::read(&hashes).unwrap();
    let entries = hash_entries(&hashes);
    assert!(
        entries.len() >= 2,
        "two template versions: {}",
        entries.len()
    );

    // Give every key the hash of the next entry's template, and sum the
    // file again.
    let mut forged = honest.clone();
    let body = forged.len() - 32;
    let count = (body - 44) / 64;
    for n in 0..count {
        let from = 44 + ((n + 1) % count) * 64 + 32;
        let to = 44 + n * 64 + 32;
        forged[to..to + 32].copy_from_slice(&honest[from..from + 32]);
    }
    let sum = <sha2::Sha256 as sha2::Digest>::digest(&forged[..body]);
    forged[body..].copy_from_slice(&sum);
    std::fs::write(&hashes, &forged).unwrap();

    let (text, ok) = check(&env, "en");
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!(
            "{HASHES}:1:1: {count} cached template content hashes differ from what computing gives"
        )),
        "{text}"
    );
    let (text, ok) = check(&env, "ja");
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!("計算結果と合わない値が{count}件あります")),
        "{text}"
    );
    assert_eq!(
        std::fs::read(&hashes).unwrap(),
        forged,
        "check writes nothing"
    );
    assert_eq!(outputs(&env, false), truth, "TENKEN_INDEX=off computes");
    assert_eq!(
        std::fs::read(&hashes).unwrap(),
        forged,
        "and writes nothing"
    );
    // Deleting the file, as the message says, mends it.
    std::fs::remove_file(&hashes).unwrap();
    assert_eq!(outputs(&env, true), truth);
    assert_eq!(hash_entries(&hashes), entries);
    let (text, ok) = check(&env, "en");
    assert!(ok, "{text}");
}

#[test]
fn a_kill_during_an_index_write_leaves_a_repository_that_reads_the_same() {
    let env = TestEnv::new();
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();
    let index_dir = env.repo().join(".tenken/index");
    let expected = outputs(&env, false);
    for round in 0..6u64 {
        let _ = std::fs::remove_dir_all(&index_dir);
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tenken"))
            .args(["--repo"])
            .arg(env.repo())
            .args(["history", "--format", "json"])
            .env("HOME", env.home.path())
            .env("TENKEN_NOW", crate::support::NOW)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + round * 7));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever was left (an index, none, a temporary file): the same.
        let file = index_dir.join("runs.idx");
        assert!(!file.exists() || std::fs::metadata(&file).unwrap().len() > 52);
        assert_eq!(outputs(&env, true)[..3], expected[..3], "round {round}");
    }
}

#[test]
fn two_processes_updating_the_index_at_once_leave_a_valid_one() {
    let env = TestEnv::new();
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();
    let expected = outputs(&env, false);
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(env.repo().join(".tenken/index"));
        // Both also compute and write the cache of template hashes.
        let _ = std::fs::remove_file(env.repo().join(HASHES));
        let spawn = || {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("tenken"))
                .args(["--repo"])
                .arg(env.repo())
                .args(["due", "--format", "json"])
                .env("HOME", env.home.path())
                .env("TENKEN_NOW", crate::support::NOW)
                .output()
                .unwrap()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(spawn);
            let b = s.spawn(spawn);
            (a.join().unwrap(), b.join().unwrap())
        });
        assert!(a.status.success() && b.status.success());
        assert_eq!(a.stdout, b.stdout);
        assert!(!hash_entries(&env.repo().join(HASHES)).is_empty());
        assert_eq!(outputs(&env, true)[..3], expected[..3]);
    }
}
