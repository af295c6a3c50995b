//! Issue 14: `tenken sync`, register edits and risk commits killed with
//! SIGKILL at random points (a bounded number of times, with a printed seed
//! that `TENKEN_TEST_SEED` replays). After each kill the next command must
//! succeed with no manual git step, lose no local run, and leave `git fsck`
//! and `git status --porcelain` clean.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use tenken::model::{Id, Inspector, RiskAssessment};
use tenken::store::Store;

use crate::support::{NOW, TestEnv};
use crate::sync::{shared, tenken_at};

/// A small xorshift generator seeded from the clock or `TENKEN_TEST_SEED`.
struct Rng(u64);

impl Rng {
    fn new(test: &str) -> Self {
        let seed = std::env::var("TENKEN_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let nanos: u64 = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
                    .into();
                nanos | 1
            });
        eprintln!("{test}: seed {seed} (replay with TENKEN_TEST_SEED={seed})");
        Self(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap()
}

/// The real binary with the hermetic environment of [`TestEnv::tenken`],
/// as a plain process that can be killed.
fn spawn(env: &TestEnv, dir: &Path, inspector: &str, args: &[&str]) -> std::process::Child {
    StdCommand::new(assert_cmd::cargo::cargo_bin("tenken"))
        .env_clear()
        .env("HOME", env.home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TENKEN_NOW", NOW)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .current_dir(env.home.path())
        .arg("--repo")
        .arg(dir)
        .args(["--inspector", inspector])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Runs `args` and kills it with SIGKILL after `after` (if still running).
fn kill_after(child: &mut std::process::Child, after: Duration) -> bool {
    let deadline = Instant::now() + after;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    killed
}

/// `git fsck` and `git status` are clean in `dir`.
fn assert_clean(env: &TestEnv, dir: &Path, when: &str) {
    env.git(dir, &["fsck", "--strict", "--no-dangling"]);
    let status = env.git(dir, &["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(status, "", "{when}: git status is not clean");
}

/// Writes `count` small files under `bulk/<round>/` in `dir`, removes the
/// previous round's, and commits and pushes them with plain git: enough
/// files that a checkout takes a while.
fn push_bulk(env: &TestEnv, dir: &Path, round: usize, count: usize) {
    env.git(
        dir,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    );
    let old = dir.join(format!("bulk/{}", round.wrapping_sub(1)));
    if old.exists() {
        std::fs::remove_dir_all(&old).unwrap();
    }
    let new = dir.join(format!("bulk/{round}"));
    std::fs::create_dir_all(&new).unwrap();
    for n in 0..count {
        std::fs::write(
            new.join(format!("{n:05}.txt")),
            format!("round {round} file {n}\n"),
        )
        .unwrap();
    }
    env.git(dir, &["add", "-A", "bulk"]);
    env.git(
        dir,
        &["commit", "-q", "-m", &format!("bulk: round {round}")],
    );
    env.git(dir, &["push", "-q", "origin", "main"]);
}

fn five_yes(env: &TestEnv) -> PathBuf {
    let answers = env.home.path().join("five.ron");
    std::fs::write(
        &answers,
        r#"{"1": (choice: "yes"), "2": (choice: "yes"), "3": (choice: "yes"), "4": (choice: "yes"), "5": (choice: "yes")}"#,
    )
    .unwrap();
    answers
}

#[cfg(unix)]
#[test]
fn a_sync_killed_at_any_point_is_finished_by_the_next_one() {
    let env = TestEnv::new();
    let s = shared(&env);
    let answers = five_yes(&env);
    let mut rng = Rng::new("sync kill");
    // The time an uninterrupted sync of one round takes here, to spread
    // the kills over all of it (fetch, merge, checkout, push).
    push_bulk(&env, &s.b, 0, 500);
    let started = Instant::now();
    tenken_at(&env, &s.a).arg("sync").assert().success();
    let full = started.elapsed();
    eprintln!("one sync of 500 incoming files: {full:?}");
    let mut killed = 0;
    let mut in_checkout = 0;
    for round in 1..=5 {
        push_bulk(&env, &s.b, round, 500);
        // Every other round a local run too, so the sync merges.
        let local_run = round % 2 == 0;
        if local_run {
            tenken_at(&env, &s.a)
                .args(["record", "ipa-five-principles", "--subject", "self"])
                .args(["--date", &format!("2026-10-{round:02}")])
                .arg("--answers")
                .arg(&answers)
                .assert()
                .success();
        }
        let runs_before = env.git(&s.a, &["ls-files", "runs"]);
        // Every other kill aims at the middle, where the checkout runs.
        let delay = Duration::from_micros(if round % 2 == 0 {
            rng.below(micros(full) * 12 / 10)
        } else {
            micros(full) * 4 / 10 + rng.below(micros(full) / 2)
        });
        let mut child = spawn(&env, &s.a, "sato", &["sync"]);
        if kill_after(&mut child, delay) {
            killed += 1;
            if s.a.join(".tenken/pending/sync.ron").exists() {
                in_checkout += 1;
            }
        }
        // The next sync completes it, with no manual step.
        let out = tenken_at(&env, &s.a).arg("sync").output().unwrap();
        assert!(
            out.status.success(),
            "round {round}, killed after {delay:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean(&env, &s.a, &format!("round {round}"));
        let head = env.git(&s.a, &["rev-parse", "HEAD"]);
        assert_eq!(
            head,
            env.git(&s.remote, &["rev-parse", "main"]),
            "round {round}"
        );
        for run in runs_before.lines() {
            assert!(s.a.join(run).is_file(), "round {round}: {run} lost");
        }
        assert!(s.a.join(format!("bulk/{round}/00499.txt")).is_file());
        assert!(!s.a.join(format!("bulk/{}/00000.txt", round - 1)).exists());
    }
    eprintln!("killed {killed} of 5 syncs, {in_checkout} of them during the checkout");
    env.git(&s.remote, &["fsck", "--strict", "--no-dangling"]);
}

#[cfg(unix)]
#[test]
fn a_register_edit_killed_at_any_point_is_never_swept_into_another_commit() {
    let env = TestEnv::new();
    let repo = env.init();
    let mut rng = Rng::new("register kill");
    let started = Instant::now();
    tenken_at(&env, &repo)
        .args([
            "subjects", "add", "first", "--kind", "supplier", "--name", "First",
        ])
        .assert()
        .success();
    let full = started.elapsed();
    let mut killed = 0;
    for round in 0..10 {
        let id = format!("sup-{round}");
        let mut child = spawn(
            &env,
            &repo,
            "sato",
            &[
                "subjects",
                "add",
                &id,
                "--kind",
                "supplier",
                "--name",
                &format!("Supplier {round}"),
            ],
        );
        let delay = Duration::from_micros(rng.below(micros(full) * 12 / 10));
        if kill_after(&mut child, delay) {
            killed += 1;
        }
        // Another inspector's edit right after: it commits only its own.
        let other = format!("other-{round}");
        env.tenken()
            .arg("--repo")
            .arg(&repo)
            .args(["--inspector", "suzuki", "subjects", "add", &other])
            .args(["--kind", "supplier", "--name", "Other"])
            .assert()
            .success();
        let diff = env.git(
            &repo,
            &["show", "--format=%an", "-U0", "HEAD", "--", "subjects.ron"],
        );
        assert!(
            !diff.contains(&format!("\"{id}\"")),
            "round {round}: {id} swept into suzuki's commit:\n{diff}"
        );
        assert_clean(&env, &repo, &format!("round {round}"));
        // The killed edit is either committed (by sato) or absent.
        let register = std::fs::read_to_string(repo.join("subjects.ron")).unwrap();
        let authors = env.git(
            &repo,
            &[
                "log",
                "--format=%an",
                &format!("-S\"{id}\""),
                "--",
                "subjects.ron",
            ],
        );
        if register.contains(&format!("\"{id}\"")) {
            assert_eq!(authors.trim(), "Sato Hanako", "round {round}");
        } else {
            assert_eq!(authors.trim(), "", "round {round}");
        }
    }
    eprintln!("killed {killed} of 10 register edits");
}

/// The env var that turns [`risk_child`] into the crash test's child.
const RISK_CHILD: &str = "TENKEN_TEST_RISK_CHILD";

/// Not a test on its own: re-invoked by the risk crash test with
/// `--ignored` and `TENKEN_TEST_RISK_CHILD=<repo>`, it commits an empty
/// assessment the way the risk editor does (`Store::commit_risk`; the CLI
/// has no command for it).
#[test]
#[ignore = "the crash test's child process, run by it alone"]
fn risk_child() {
    let repo = std::env::var_os(RISK_CHILD)
        .expect("risk_child is run by the crash test, which sets TENKEN_TEST_RISK_CHILD");
    let store = Store::open(Path::new(&repo)).unwrap();
    let risk = RiskAssessment {
        format: 1,
        id: String::new(),
        assessor: Inspector {
            id: Id::new("sato").unwrap(),
            name: "Sato Hanako".into(),
            email: "sato@example.jp".into(),
        },
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        assets: Vec::new(),
    };
    let clock = tenken::clock::Clock::Fixed(chrono::DateTime::parse_from_rfc3339(NOW).unwrap());
    store.commit_risk(risk, clock).unwrap();
}

#[cfg(unix)]
#[test]
fn a_risk_commit_killed_at_any_point_is_committed_or_absent() {
    let env = TestEnv::new();
    let repo = env.init();
    let mut rng = Rng::new("risk kill");
    let child = || {
        StdCommand::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash::risk_child", "--ignored", "--nocapture"])
            .env(RISK_CHILD, &repo)
            .env("HOME", env.home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let started = Instant::now();
    assert!(child().wait().unwrap().success());
    let full = started.elapsed();
    let mut killed = 0;
    for round in 0..8 {
        let delay = Duration::from_micros(rng.below(micros(full) * 12 / 10));
        if kill_after(&mut child(), delay) {
            killed += 1;
        }
        // The next command settles it: a register edit by someone else.
        env.tenken()
            .arg("--repo")
            .arg(&repo)
            .args([
                "--inspector",
                "suzuki",
                "subjects",
                "add",
                &format!("r-{round}"),
            ])
            .args(["--kind", "supplier", "--name", "R"])
            .assert()
            .success();
        assert_clean(&env, &repo, &format!("round {round}"));
        let last = env.git(&repo, &["show", "--name-only", "--format=%an", "HEAD"]);
        assert!(!last.contains("risks/"), "round {round}: swept in:\n{last}");
        // Every file under risks/ is committed, by its assessor.
        for file in std::fs::read_dir(repo.join("risks")).into_iter().flatten() {
            let name = file.unwrap().file_name();
            let rel = format!("risks/{}", name.to_string_lossy());
            let author = env.git(&repo, &["log", "--format=%an", "--", &rel]);
            assert_eq!(author.trim(), "Sato Hanako", "round {round}: {rel}");
        }
    }
    eprintln!("killed {killed} of 8 risk commits");
}
