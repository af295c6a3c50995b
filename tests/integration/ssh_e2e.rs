//! The end-to-end test of issue 10: a real OpenSSH server on loopback (the
//! recipe in ../shared/ssh-loopback.md: a free port, everything in one
//! temporary folder, stopped by its PID), an `authorized_keys` forced
//! command that opens tenken in restricted mode as inspector `sato`, and the
//! real `ssh` client driven inside tmux at 80×24. It walks a whole
//! `ipa-self-check` run with keystrokes, drops the link half-way through a
//! second run by killing the client, reconnects, resumes and finishes it,
//! and checks the history with the real `git log`. It also checks that the
//! key runs nothing but tenken (`ssh … 'sh -c id'`), that a read command
//! works (`ssh … history`), and that a hostile supplier name never reaches
//! the terminal raw.
//!
//! Skipped, with the reason printed, only when `/usr/sbin/sshd` or `tmux` is
//! missing and `CI` is not set; under CI it must run (`.ci/run` installs
//! both). Every wait is on the screen (`tmux capture-pane -p`) or on a
//! process, with a timeout; never a fixed sleep.
#![cfg(unix)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::TestEnv;

const SSHD: &str = "/usr/sbin/sshd";

fn wait_limit() -> Duration {
    let default = if std::env::var_os("CI").is_some() {
        60_000
    } else {
        20_000
    };
    let ms = std::env::var("TENKEN_TEST_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Duration::from_millis(ms)
}

/// Waits until `cond` holds, polling; fails with `what` and `show()`.
fn wait_until(what: &str, mut cond: impl FnMut() -> bool, show: impl Fn() -> String) {
    let deadline = Instant::now() + wait_limit();
    while !cond() {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}:\n{}",
            show()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Returns why the test cannot run here, if it cannot.
fn missing_tools() -> Option<String> {
    let mut missing = Vec::new();
    if !Path::new(SSHD).is_file() {
        missing.push(SSHD);
    }
    for program in ["tmux", "ssh", "ssh-keygen", "git"] {
        if !on_path(program) {
            missing.push(program);
        }
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The sshd and tmux server of one test, stopped by PID and socket name
/// when the test ends, whether it passed or not.
struct Rig {
    dir: tempfile::TempDir,
    port: u16,
    user: String,
    sshd: Child,
    tmux_socket: String,
}

impl Drop for Rig {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.tmux_socket, "kill-server"])
            .stderr(Stdio::null())
            .status();
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
    }
}

impl Rig {
    /// Starts sshd on a free loopback port with a forced command for the
    /// test key.
    fn start(tenken: &Path, repo: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // sshd refuses to start without its privilege separation folder.
        std::fs::create_dir_all("/run/sshd").ok();
        for (name, comment) in [("host_ed25519", "host"), ("id_ed25519", "user")] {
            run(Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
                .arg(d.join(name)));
        }
        let pubkey = std::fs::read_to_string(d.join("id_ed25519.pub")).unwrap();
        let forced = format!(
            "{} --repo {} --inspector sato --lang en --restricted",
            tenken.display(),
            repo.display()
        );
        std::fs::write(
            d.join("authorized_keys"),
            format!(
                "command=\"{forced}\",no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc {}",
                pubkey.trim()
            ),
        )
        .unwrap();
        let host = std::fs::read_to_string(d.join("host_ed25519.pub")).unwrap();
        let host_key: Vec<&str> = host.split_whitespace().take(2).collect();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        std::fs::write(
            d.join("known_hosts"),
            format!("[127.0.0.1]:{port} {}\n", host_key.join(" ")),
        )
        .unwrap();
        std::fs::write(
            d.join("sshd_config"),
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {hk}\nPidFile {d}/sshd.pid\n\
                 AuthorizedKeysFile {d}/authorized_keys\nPermitRootLogin prohibit-password\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
                 StrictModes no\nPrintMotd no\nPrintLastLog no\nAcceptEnv LANG LC_* TERM\n",
                hk = d.join("host_ed25519").display(),
                d = d.display(),
            ),
        )
        .unwrap();
        run(Command::new(SSHD)
            .args(["-t", "-f"])
            .arg(d.join("sshd_config")));
        let sshd = Command::new(SSHD)
            .arg("-f")
            .arg(d.join("sshd_config"))
            .args(["-D", "-e"])
            .stderr(std::fs::File::create(d.join("sshd.log")).unwrap())
            .spawn()
            .unwrap();
        let user = String::from_utf8(run(Command::new("id").arg("-un")).stdout)
            .unwrap()
            .trim()
            .to_owned();
        let mut rig = Self {
            dir,
            port,
            user,
            sshd,
            tmux_socket: format!("tenken-e2e-{}", std::process::id()),
        };
        let log = rig.dir.path().join("sshd.log");
        wait_until(
            "sshd to listen",
            || {
                if let Ok(Some(status)) = rig.sshd.try_wait() {
                    panic!(
                        "sshd exited ({status}): {}",
                        std::fs::read_to_string(&log).unwrap_or_default()
                    );
                }
                TcpStream::connect(("127.0.0.1", port)).is_ok()
            },
            || std::fs::read_to_string(&log).unwrap_or_default(),
        );
        rig
    }

    /// The client's arguments, before an optional remote command.
    fn ssh_args(&self) -> Vec<String> {
        let d = self.dir.path().display();
        vec![
            "-F".into(),
            "/dev/null".into(),
            "-p".into(),
            self.port.to_string(),
            "-i".into(),
            format!("{d}/id_ed25519"),
            "-o".into(),
            "BatchMode=yes".into(),
            "-o".into(),
            "IdentitiesOnly=yes".into(),
            "-o".into(),
            "StrictHostKeyChecking=yes".into(),
            "-o".into(),
            format!("UserKnownHostsFile={d}/known_hosts"),
            "-o".into(),
            "LogLevel=ERROR".into(),
            format!("{}@127.0.0.1", self.user),
        ]
    }

    /// `ssh … <remote>` without a terminal, as a script would run it.
    fn ssh(&self, remote: &str) -> Output {
        Command::new("ssh")
            .args(self.ssh_args())
            .arg(remote)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// The interactive client's command line for tmux (`exec`, so the
    /// pane's process is ssh itself).
    fn interactive(&self) -> String {
        format!("exec ssh -tt {}", self.ssh_args().join(" "))
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = run(Command::new("tmux")
            .args(["-L", &self.tmux_socket])
            .args(args));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Opens the 80×24 pane (kept when its process exits) with its raw
    /// output copied to `raw.log`, then starts the client in it.
    fn open_pane(&self) {
        let conf = self.dir.path().join("tmux.conf");
        std::fs::write(
            &conf,
            "set -g remain-on-exit on\nset -g history-limit 100\n",
        )
        .unwrap();
        run(Command::new("tmux")
            .args(["-L", &self.tmux_socket, "-f"])
            .arg(&conf)
            .args([
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-x",
                "80",
                "-y",
                "24",
                "cat",
            ]));
        let raw = self.dir.path().join("raw.log");
        self.tmux(&[
            "pipe-pane",
            "-t",
            "e2e",
            &format!("cat >> {}", raw.display()),
        ]);
        self.connect();
    }

    /// (Re)starts the client in the pane.
    fn connect(&self) {
        self.tmux(&["respawn-pane", "-k", "-t", "e2e", &self.interactive()]);
    }

    /// (Re)starts the client in the pane under a shell that writes the
    /// client's exit status to `exit_file` once it ends (`128 + n` when a
    /// signal `n` ended it). tmux's own record of a pane's exit status
    /// (`#{pane_dead_status}`) stayed empty now and then after the client
    /// had exited, so the test reads the status from the shell instead.
    fn connect_recording_exit(&self, exit_file: &Path) {
        let command = format!(
            "{}; echo \"$?\" > {}.part && mv {}.part {}",
            self.interactive().trim_start_matches("exec "),
            exit_file.display(),
            exit_file.display(),
            exit_file.display()
        );
        self.tmux(&["respawn-pane", "-k", "-t", "e2e", &command]);
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "e2e"])
    }

    fn wait_text(&self, text: &str) {
        wait_until(
            &format!("`{text}` on the screen"),
            || self.screen().contains(text),
            || self.screen(),
        );
    }

    fn keys(&self, literal: &str) {
        self.tmux(&["send-keys", "-t", "e2e", "-l", literal]);
    }

    fn key(&self, name: &str) {
        self.tmux(&["send-keys", "-t", "e2e", name]);
    }

    fn pane(&self, format: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", "e2e", format])
            .trim()
            .to_owned()
    }

    fn raw_output(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join("raw.log")).unwrap_or_default()
    }
}

/// Returns true while a `tenken` process for `repo` runs (the server side
/// of a session, found through /proc).
fn tenken_running(repo: &Path) -> bool {
    let needle = repo.display().to_string();
    std::fs::read_dir("/proc").is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            std::fs::read(e.path().join("cmdline")).is_ok_and(|c| {
                let c = String::from_utf8_lossy(&c);
                c.contains("--restricted") && c.contains(&needle)
            })
        })
    })
}

fn draft_answers(repo: &Path) -> usize {
    std::fs::read_to_string(repo.join(".tenken/drafts/sato/self/ipa-self-check.ron"))
        .map_or(0, |t| t.matches("choice:").count())
}

/// Items answered `no` (which needs a note) in each run.
const NO_WITH_NOTE: [usize; 2] = [3, 20];

/// Answers items `from..=to` of the open walker: `1` (done), or `3` (not
/// done) plus a note for the items in [`NO_WITH_NOTE`].
fn answer(rig: &Rig, from: usize, to: usize) {
    for k in from..=to {
        rig.wait_text(&format!("Item {k} · {k} / 25"));
        if NO_WITH_NOTE.contains(&k) {
            rig.keys("3");
            rig.wait_text(&format!("Item {k}: this answer needs a note"));
            rig.keys(&format!("Not done yet (item {k})"));
            rig.key("Enter");
        } else {
            rig.keys("1");
        }
        rig.wait_text(&format!("{k}/25 answered"));
    }
    if to == 25 {
        rig.wait_text("Last item. Press f to finish.");
    }
}

/// From the dashboard: a new run of `self` × `ipa-self-check`, up to the
/// question that follows the choice (none, carry over, or resume).
fn start_run(rig: &Rig) {
    rig.wait_text("Dashboard");
    rig.keys("r");
    rig.wait_text("Choose the subject to inspect");
    rig.key("Enter");
    rig.wait_text("Choose the inspection");
    rig.key("Enter");
}

fn finish_and_commit(rig: &Rig) {
    rig.keys("f");
    rig.wait_text("Every item is answered.");
    rig.keys("y");
    rig.wait_text("Committed");
    rig.wait_text("Dashboard");
}

#[test]
fn a_whole_run_over_real_ssh_survives_a_dropped_link() {
    if let Some(missing) = missing_tools() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the ssh end-to-end test must run under CI, but {missing} is missing (.ci/run installs openssh-server and tmux)"
        );
        eprintln!("skipping the ssh end-to-end test: {missing} not installed (it runs under CI)");
        return;
    }
    let env = TestEnv::new();
    let repo = env.init();
    // A hostile supplier, and sato limited to the self-check, so the
    // picker offers exactly one inspection (and every subject by name).
    let subjects = repo.join("subjects.ron");
    let text = std::fs::read_to_string(&subjects).unwrap();
    let evil = r#"        Subject(
            id: "evil",
            kind: Supplier,
            name: "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J Corp",
            criticality: 2,
        ),
    ],
)
"#;
    let text = text.trim_end().strip_suffix("],\n)").unwrap().to_owned() + "\n" + evil;
    std::fs::write(&subjects, text).unwrap();
    let config = repo.join("tenken.ron");
    let text = std::fs::read_to_string(&config).unwrap();
    let text = text.trim_end().strip_suffix(')').unwrap().to_owned()
        + "    inspectors: {\"sato\": (name: \"Sato Hanako\", email: \"sato@example.jp\", inspections: [\"ipa-self-check\"])},\n)\n";
    std::fs::write(&config, text).unwrap();
    env.tenken_in_repo().arg("check").assert().success();
    env.git(
        &repo,
        &["commit", "-qam", "a hostile supplier; sato's permissions"],
    );

    let rig = Rig::start(Path::new(env!("CARGO_BIN_EXE_tenken")), &repo);

    // The key opens tenken only.
    let out = rig.ssh("sh -c id");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(out.stdout, b"");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error: `sh` is not allowed over ssh"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A read command as the ssh command; the hostile name comes escaped.
    let out = rig.ssh("subjects");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(!out.stdout.contains(&0x1b) && !out.stdout.contains(&0x07));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("Evil\\u{1b}]0;pwned") || listed.contains("Evil\\u001b]0;pwned"),
        "{listed}"
    );

    // The first run, whole, with keystrokes.
    rig.open_pane();
    start_run(&rig);
    rig.wait_text("0/25 answered");
    answer(&rig, 1, 25);
    finish_and_commit(&rig);

    // The second run: 12 answers, then the link drops.
    rig.keys("r");
    rig.wait_text("Choose the subject to inspect");
    // The picker names every subject; the hostile one only escaped.
    rig.wait_text("Evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J Corp");
    rig.key("Enter");
    rig.wait_text("Choose the inspection");
    rig.key("Enter");
    rig.wait_text("Pre-fill from the previous run?");
    rig.keys("n");
    rig.wait_text("0/25 answered");
    answer(&rig, 1, 12);
    wait_until(
        "12 answers in the draft",
        || draft_answers(&repo) == 12,
        || rig.screen(),
    );
    let ssh_pid = rig.pane("#{pane_pid}");
    run(Command::new("kill").args(["-KILL", &ssh_pid]));
    wait_until(
        "the client to die",
        || rig.pane("#{pane_dead}") == "1",
        || rig.screen(),
    );
    // The server notices the dropped link and tenken goes (SIGHUP).
    wait_until(
        "the server-side tenken to end",
        || !tenken_running(&repo),
        || format!("a tenken for {} still runs", repo.display()),
    );
    assert_eq!(draft_answers(&repo), 12, "nothing was lost with the link");

    // Reconnect, resume where it stopped, finish.
    let exit_file = rig.dir.path().join("ssh-exit-status");
    rig.connect_recording_exit(&exit_file);
    start_run(&rig);
    rig.wait_text("A draft exists");
    rig.keys("r");
    rig.wait_text("12/25 answered");
    answer(&rig, 13, 25);
    finish_and_commit(&rig);
    rig.keys("q");
    wait_until(
        "the ssh client to end with an exit status",
        || exit_file.exists(),
        || rig.screen(),
    );
    assert_eq!(
        std::fs::read_to_string(&exit_file).unwrap(),
        "0\n",
        "the ssh client exits 0, not by a signal (128 + n): {}",
        rig.screen()
    );

    // Nothing from the hostile name reached the terminal raw: no title
    // change, no bell, no clear screen from data.
    assert!(!rig.pane("#{pane_title}").contains("pwned"));
    let raw = rig.raw_output();
    assert!(!raw.is_empty(), "tmux copied the session's output");
    let osc = b"\x1b]0;pwned";
    assert!(
        !raw.windows(osc.len()).any(|w| w == osc),
        "a raw OSC from data reached the terminal"
    );
    assert!(!raw.contains(&0x07), "a raw BEL reached the terminal");

    // The history, with the real git.
    let log = env.git(
        &repo,
        &[
            "log",
            "--format=%an <%ae>%x09%s%x09%(trailers:key=Tenken-Run,valueonly)",
            "--grep=^run: ",
        ],
    );
    let lines: Vec<&str> = log.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "{log}");
    for line in &lines {
        assert!(
            line.starts_with("Sato Hanako <sato@example.jp>\trun: ipa-self-check for self — 92/100\tself/ipa-self-check/"),
            "{line}"
        );
    }
    let names = env.git(&repo, &["log", "--format=", "--name-only", "--grep=^run: "]);
    assert_eq!(names.lines().filter(|l| !l.is_empty()).count(), 2);
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "");
    env.git(&repo, &["fsck", "--strict", "--no-progress"]);
    assert_eq!(
        draft_answers(&repo),
        0,
        "the resumed draft is gone once committed"
    );
    let runs: PathBuf = repo.join("runs/self/ipa-self-check");
    for entry in std::fs::read_dir(&runs).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert_eq!(text.matches("choice:").count(), 25);
        assert!(text.contains("Not done yet (item 20)"), "{text}");
    }

    // And the history as an ssh command.
    let out = rig.ssh("history --inspection ipa-self-check --format json");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r["inspector"] == "sato" && r["commit"].is_string())
    );
}
