//! The real binary in a pseudo-terminal (at most six tests: they are the
//! slowest kind). The screen is parsed with vt100, never matched as a byte
//! stream, and every wait is on a condition with a timeout
//! (`TENKEN_TEST_WAIT_MS`, longer under CI), never a fixed sleep.
#![cfg(unix)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

use crate::support::TestEnv;

/// A running `tenken` in a pseudo-terminal.
struct Term {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
}

fn wait_limit() -> Duration {
    let default = if std::env::var_os("CI").is_some() {
        30_000
    } else {
        10_000
    };
    let ms = std::env::var("TENKEN_TEST_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Duration::from_millis(ms)
}

impl Term {
    fn spawn(env: &TestEnv, args: &[&str]) -> Self {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tenken"));
        cmd.args(args);
        cmd.env_clear();
        cmd.env("HOME", env.home.path());
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        cmd.env("TENKEN_NOW", crate::support::NOW);
        cmd.cwd(env.home.path());
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        // Drain continuously: a full pty buffer would block the child.
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Self {
            parser,
            raw,
            writer,
            master: pair.master,
            child,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen satisfies `cond`, or fails showing the screen.
    fn wait_for(&self, what: &str, cond: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + wait_limit();
        loop {
            let screen = self.screen();
            if cond(&screen) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_text(&self, text: &str) {
        self.wait_for(text, |s| s.contains(text));
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the process to end and returns its exit code.
    fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + wait_limit();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "tenken did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn signal(&self, sig: &str) {
        let pid = self.child.process_id().unwrap().to_string();
        let ok = std::process::Command::new("kill")
            .args([sig, &pid])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        // A failed test must not leave a tenken running on a dead terminal.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn demo(env: &TestEnv) -> PathBuf {
    let dir = env.home.path().join("demo");
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(&dir)
        .assert()
        .success();
    dir
}

fn repo_args(dir: &Path) -> Vec<String> {
    vec![
        "--repo".into(),
        dir.display().to_string(),
        "--inspector".into(),
        "sato".into(),
        "--lang".into(),
        "en".into(),
    ]
}

fn spawn(env: &TestEnv, dir: &Path, extra: &[&str]) -> Term {
    let mut args = repo_args(dir);
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Term::spawn(env, &args)
}

fn draft_file(dir: &Path) -> PathBuf {
    dir.join(".tenken/drafts/sato/self/ipa-five-principles.ron")
}

fn draft_answers(dir: &Path) -> usize {
    let text = std::fs::read_to_string(draft_file(dir)).unwrap_or_default();
    text.matches("choice:").count()
}

#[test]
fn starts_answers_with_real_keys_and_quits_restoring_the_terminal() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let mut term = spawn(&env, &dir, &["run", "ipa-five-principles"]);
    term.wait_text("Pre-fill from the previous run?");
    term.keys("n");
    term.wait_text("0/5 answered");
    term.keys("1");
    term.wait_text("1/5 answered");
    term.keys("2");
    term.wait_text("2/5 answered");
    term.keys("q");
    term.wait_text("Draft saved");
    assert!(term.alternate_screen());
    // The draft of this session is still open: q asks first (issue 17).
    term.keys("q");
    term.wait_text("n/Esc stay");
    term.keys("y");
    assert_eq!(term.wait_exit(), 0);
    assert!(
        !term.alternate_screen(),
        "the alternate screen is left on exit"
    );
    assert_eq!(draft_answers(&dir), 2);
}

#[test]
fn sigkill_mid_run_then_resume_keeps_every_answer() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let mut term = spawn(&env, &dir, &["run", "ipa-five-principles"]);
    term.wait_text("Pre-fill from the previous run?");
    term.keys("n");
    term.wait_text("0/5 answered");
    term.keys("1");
    term.wait_text("1/5 answered");
    term.keys("2");
    term.wait_text("2/5 answered");
    // "Not done" opens the note it needs; the kill comes mid-sentence.
    term.keys("3");
    term.wait_text("3/5 answered");
    term.keys("No upd");
    term.wait_text("No upd");
    term.signal("-KILL");
    term.wait_exit();
    assert_eq!(
        draft_answers(&dir),
        3,
        "the answers were on disk before the kill"
    );

    let mut again = spawn(&env, &dir, &["run", "ipa-five-principles"]);
    again.wait_text("A draft exists");
    again.keys("r");
    again.wait_text("3/5 answered");
    // Back in the note, on its item, with what was typed (issue 13).
    again.wait_text("What you were typing when the last session ended is back");
    again.wait_text("Item 3 · 3 / 5");
    again.wait_text("No upd");
    again.keys("ate server\r");
    again.wait_text("Item 4 · 4 / 5");
    again.keys("1");
    again.wait_text("4/5 answered");
    again.keys("q");
    again.wait_text("Draft saved");
    again.keys("q");
    again.wait_text("n/Esc stay");
    again.keys("y");
    assert_eq!(again.wait_exit(), 0);
    assert_eq!(draft_answers(&dir), 4);
    let draft = std::fs::read_to_string(draft_file(&dir)).unwrap();
    assert!(draft.contains("note: \"No update server\""), "{draft}");
}

#[test]
fn a_second_session_on_the_same_draft_is_read_only_until_the_first_is_killed() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let mut first = spawn(&env, &dir, &["run", "ipa-five-principles"]);
    first.wait_text("Pre-fill from the previous run?");
    first.keys("n");
    first.wait_text("0/5 answered");
    first.keys("1");
    first.wait_text("1/5 answered");

    let mut second = spawn(&env, &dir, &["run", "ipa-five-principles"]);
    second.wait_text("A draft exists");
    second.keys("r");
    second.wait_text("Read only: this draft is open in another session");
    second.keys("23");
    second.wait_text("1/5 answered");
    assert_eq!(draft_answers(&dir), 1, "the second session wrote nothing");
    second.keys("q");
    second.wait_text("· Dashboard ·");
    second.keys("q");
    assert_eq!(second.wait_exit(), 0);

    // Killed, the first session frees the draft for the next one.
    first.signal("-KILL");
    first.wait_exit();
    let mut third = spawn(&env, &dir, &["run", "ipa-five-principles"]);
    third.wait_text("A draft exists");
    third.keys("r");
    third.wait_text("1/5 answered");
    third.keys("2");
    third.wait_text("2/5 answered");
    assert!(!third.screen().contains("Read only"));
    assert_eq!(draft_answers(&dir), 2);
}

#[test]
fn redraws_on_resize_and_explains_a_too_small_terminal() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let mut term = spawn(&env, &dir, &[]);
    term.wait_text("· Dashboard ·");
    term.master
        .resize(PtySize {
            rows: 19,
            cols: 60,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    // 60×20 is the smallest size drawn; one row less is too small.
    term.parser.lock().unwrap().screen_mut().set_size(19, 60);
    term.wait_text("Terminal too small");
    term.master
        .resize(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    term.parser.lock().unwrap().screen_mut().set_size(30, 100);
    term.wait_for("a redraw at 100 columns", |s| {
        s.contains("Recent runs")
            && s.lines()
                .nth(1)
                .is_some_and(|border| border.chars().count() == 100)
    });
    term.keys("q");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn sighup_restores_the_terminal_and_keeps_the_draft() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let mut term = spawn(&env, &dir, &["run", "ipa-five-principles"]);
    term.wait_text("Pre-fill from the previous run?");
    term.keys("n");
    term.wait_text("0/5 answered");
    term.keys("1");
    term.wait_text("1/5 answered");
    term.signal("-HUP");
    term.wait_exit();
    term.wait_for("the terminal restored", |_| !term.alternate_screen());
    assert_eq!(draft_answers(&dir), 1);
}

#[test]
fn hostile_supplier_text_never_reaches_the_terminal_raw() {
    let env = TestEnv::new();
    let dir = demo(&env);
    let path = dir.join("subjects.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "\"Nimbus Mail\"",
        "\"Nimbus\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\"",
    );
    std::fs::write(&path, text).unwrap();
    let mut term = spawn(&env, &dir, &[]);
    term.wait_text("· Dashboard ·");
    // End: the last rows (the recent runs, where the supplier's name is
    // shown) come into view under the path panel at 80×24.
    term.keys("\x1b[F");
    term.wait_text("Nimbus\\u{1b}]0;pw");
    term.keys("q");
    assert_eq!(term.wait_exit(), 0);
    let raw = term.raw.lock().unwrap().clone();
    let needle = b"\x1b]0;pwned";
    assert!(
        !raw.windows(needle.len()).any(|w| w == needle),
        "a raw OSC from data reached the terminal"
    );
}
