//! The hermetic test environment: a temporary HOME with its own git config,
//! a fixed clock, no colour, and helpers to run `tenken` and the real `git`.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use tempfile::TempDir;

/// The fixed "now" of every test unless a test says otherwise.
pub const NOW: &str = "2026-11-25T09:00:00+09:00";

/// A temporary HOME and a place for repositories.
pub struct TestEnv {
    pub home: TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join(".gitconfig"),
            "[user]\n\tname = Sato Hanako\n\temail = sato@example.jp\n[init]\n\tdefaultBranch = main\n",
        )
        .unwrap();
        Self { home }
    }

    /// The default repository path (not created until `init`).
    pub fn repo(&self) -> PathBuf {
        self.home.path().join("repo")
    }

    /// `tenken` with a clean environment.
    pub fn tenken(&self) -> Command {
        let mut cmd = Command::cargo_bin("tenken").unwrap();
        cmd.env_clear()
            .env("HOME", self.home.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TENKEN_NOW", NOW)
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0")
            .env("COLUMNS", "100")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .current_dir(self.home.path());
        cmd
    }

    /// `tenken --repo <repo> --inspector sato`.
    pub fn tenken_in_repo(&self) -> Command {
        let mut cmd = self.tenken();
        cmd.arg("--repo")
            .arg(self.repo())
            .arg("--inspector")
            .arg("sato");
        cmd
    }

    /// Creates the default repository with `tenken init`.
    pub fn init(&self) -> PathBuf {
        self.tenken()
            .args(["--inspector", "sato", "init"])
            .arg(self.repo())
            .args(["--org", "Example KK"])
            .assert()
            .success();
        self.repo()
    }

    /// Runs the real git CLI in `dir` and returns stdout; panics on failure.
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        let out = StdCommand::new("git")
            .args(args)
            .current_dir(dir)
            .env("HOME", self.home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}
