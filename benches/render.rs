//! Rendering cost over a terminal link: the real `tenken` binary (release
//! build) in a pseudo-terminal at 80×24, on a fresh demo repository.
//!
//! Measures (1) the time from spawn to the first complete dashboard frame
//! and (2) the bytes written to the terminal per answered item while
//! walking the 25-question self-check, which is what an SSH link carries.
//! Not a test: it prints figures for BENCHMARKS.md. Run with
//! `cargo bench --bench render`.
//!
//! With `TENKEN_BENCH_REPO=DIR` (a repository the store benchmark
//! generated, e.g. `target/tmp/bench-store/repo-100x25`) it also measures
//! the first frame there beside `git status --porcelain` on the same
//! repository, with the index present, removed before each start, and
//! switched off (`TENKEN_INDEX=off`), and the peak memory of the
//! interface; `TENKEN_BENCH_ONLY_REPO=1` measures only that.
// Benchmark tooling: it builds and drives the binary and may dump output.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cast_precision_loss,
    clippy::disallowed_methods
)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const ITEMS: usize = 25;
const FIRST_FRAME_RUNS: usize = 10;

struct Term {
    parser: Arc<Mutex<vt100::Parser>>,
    bytes: Arc<Mutex<usize>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    _master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Term {
    fn spawn(bin: &Path, home: &Path, args: &[&str]) -> Self {
        Self::spawn_with(bin, home, args, &[])
    }

    /// Spawns `bin` with `args` and the extra environment `env`.
    fn spawn_with(bin: &Path, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(args);
        cmd.env_clear();
        cmd.env("HOME", home);
        cmd.env("TERM", "xterm-256color");
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let bytes = Arc::new(Mutex::new(0usize));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let (p, b, r) = (Arc::clone(&parser), Arc::clone(&bytes), Arc::clone(&raw));
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                *b.lock().unwrap() += n;
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Self {
            parser,
            bytes,
            raw,
            writer,
            _master: pair.master,
            child,
        }
    }

    fn wait_text(&self, text: &str) {
        // Generous: a 100,000-run repository without its index, on a
        // loaded machine, takes many seconds.
        let deadline = Instant::now() + Duration::from_secs(300);
        while !self
            .parser
            .lock()
            .unwrap()
            .screen()
            .contents()
            .contains(text)
        {
            assert!(Instant::now() < deadline, "timed out waiting for {text}");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Waits until no byte has arrived for `quiet`, so a frame is complete.
    fn settle(&self, quiet: Duration) -> usize {
        let mut last = *self.bytes.lock().unwrap();
        loop {
            std::thread::sleep(quiet);
            let now = *self.bytes.lock().unwrap();
            if now == last {
                return now;
            }
            last = now;
        }
    }

    fn key(&mut self, k: &str) {
        self.writer.write_all(k.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

fn release_binary() -> PathBuf {
    let status = std::process::Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "tenken"])
        .status()
        .unwrap();
    assert!(status.success());
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    target.join("release/tenken")
}

/// Returns the median of `times`.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// One way of starting: what it is called, whether the index is removed
/// before each start, and the extra environment.
type Case<'a> = (&'a str, bool, &'a [(&'a str, &'a str)]);

/// What the dashboard shows once its first frame is complete (the recent
/// runs can be below the fold at 80×24).
const DASHBOARD: &str = "· Dashboard ·";

/// The first frame on a large repository beside `git status --porcelain`:
/// with the index present, with it removed before each start (built from
/// nothing and saved), and without it (`TENKEN_INDEX=off`: built in
/// memory, never saved).
fn large_repository(bin: &Path, repo: &str) {
    let home = tempfile::tempdir().unwrap();
    let base = ["--repo", repo, "--inspector", "sato", "--lang", "en"];
    let index = Path::new(repo).join(".tenken").join("index");
    let mut status = Vec::new();
    for _ in 0..FIRST_FRAME_RUNS {
        let start = Instant::now();
        let ok = std::process::Command::new("git")
            .args(["-C", repo, "status", "--porcelain"])
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(ok.success());
        status.push(start.elapsed());
    }
    let git = median(status);
    println!("large repository {repo}");
    println!(
        "git status --porcelain: median {:.1} ms",
        git.as_secs_f64() * 1e3
    );
    let cases: [Case; 3] = [
        ("index present", false, &[]),
        ("index removed first (built and saved)", true, &[]),
        (
            "TENKEN_INDEX=off (built in memory)",
            false,
            &[("TENKEN_INDEX", "off")],
        ),
    ];
    for (label, remove, env) in cases {
        // One untimed start first (it brings the index up to date).
        let mut frames = Vec::new();
        let mut peak = String::new();
        let runs = if remove || !env.is_empty() {
            FIRST_FRAME_RUNS.min(3)
        } else {
            FIRST_FRAME_RUNS
        };
        for n in 0..=runs {
            if remove {
                let _ = std::fs::remove_dir_all(&index);
            }
            let start = Instant::now();
            let mut t = Term::spawn_with(bin, home.path(), &base, env);
            t.wait_text(DASHBOARD);
            if n > 0 {
                frames.push(start.elapsed());
            }
            if let Some(pid) = t.child.process_id() {
                let status =
                    std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:")) {
                    line.trim_start_matches("VmHWM:")
                        .trim()
                        .clone_into(&mut peak);
                }
            }
            t.key("q");
            t.child.wait().unwrap();
        }
        let frame = median(frames);
        println!(
            "first frame, {label}: median of {runs} {:.1} ms; ratio to git status {:.2}; peak memory (VmHWM) {peak}",
            frame.as_secs_f64() * 1e3,
            frame.as_secs_f64() / git.as_secs_f64()
        );
    }
}

fn main() {
    let bin = release_binary();
    if let Ok(repo) = std::env::var("TENKEN_BENCH_REPO") {
        large_repository(&bin, &repo);
        if std::env::var_os("TENKEN_BENCH_ONLY_REPO").is_some() {
            return;
        }
    }
    let home = tempfile::tempdir().unwrap();
    let repo = home.path().join("demo");
    let ok = std::process::Command::new(&bin)
        .args(["demo", "--no-tui", "--dir"])
        .arg(&repo)
        .env("HOME", home.path())
        .status()
        .unwrap();
    assert!(ok.success());
    let repo_s = repo.display().to_string();
    let base = [
        "--repo",
        repo_s.as_str(),
        "--inspector",
        "sato",
        "--lang",
        "en",
    ];

    // 1. First frame: spawn to a complete dashboard.
    let mut times = Vec::new();
    for _ in 0..FIRST_FRAME_RUNS {
        let start = Instant::now();
        let mut t = Term::spawn(&bin, home.path(), &base);
        t.wait_text(DASHBOARD);
        times.push(start.elapsed());
        t.key("q");
        t.child.wait().unwrap();
    }
    times.sort();
    let median = times[times.len() / 2];

    // 2. Bytes per answered item while walking the self-check.
    let mut args = base.to_vec();
    args.extend(["run", "ipa-self-check"]);
    let mut t = Term::spawn(&bin, home.path(), &args);
    t.wait_text("Pre-fill from the previous run?");
    t.key("n");
    t.wait_text("0/25 answered");
    let first_frame_bytes = t.settle(Duration::from_millis(300));
    let mut per_item = Vec::new();
    let mut before = first_frame_bytes;
    for n in 1..=ITEMS {
        t.key("1");
        t.wait_text(&format!("{n}/25 answered"));
        let after = t.settle(Duration::from_millis(60));
        // TENKEN_BENCH_DUMP=FILE saves what the fifth answer wrote, to see
        // where the bytes go.
        if n == 5
            && let Ok(path) = std::env::var("TENKEN_BENCH_DUMP")
        {
            let raw = t.raw.lock().unwrap();
            std::fs::write(path, &raw[before..after]).unwrap();
        }
        per_item.push(after - before);
        before = after;
    }
    t.key("q");
    t.wait_text("Draft saved");
    t.key("q");
    t.child.wait().unwrap();
    let total: usize = per_item.iter().sum();
    let max = per_item.iter().max().copied().unwrap_or(0);
    println!("render benchmark (release build, pty 80x24, demo repository)");
    println!(
        "first frame, spawn to complete dashboard: median {:.1} ms over {FIRST_FRAME_RUNS} runs (min {:.1}, max {:.1})",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
    println!(
        "walker first frame: {first_frame_bytes} bytes (includes the dashboard-less start and the carry prompt)"
    );
    println!(
        "bytes per answered item: mean {:.0}, max {max}, over {ITEMS} items ({total} bytes)",
        total as f64 / ITEMS as f64
    );
}
