//! Issue 14: what a commit from the shared remote may bring, and what it
//! must never do to anyone who syncs it: hang, block, exhaust memory,
//! poison `.tenken/`, or make tenken write into `.git` or out of the
//! repository. Each case is a real commit pushed to a bare remote with
//! plain git (as a careless colleague or a compromised laptop would), then
//! `tenken sync`; the reads are also checked on a work tree that already
//! holds such files (checked out by plain git, or by an older tenken).

use std::path::Path;
use std::time::Duration;

use crate::support::TestEnv;
use crate::sync::{shared, tenken_at};

/// How long a command may take before it counts as hanging.
const NO_HANG: Duration = Duration::from_secs(30);

fn output(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = cmd.timeout(NO_HANG).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Commits everything in `dir` (links included) with plain git and pushes.
fn push_all(env: &TestEnv, dir: &Path, message: &str) {
    env.git(dir, &["add", "-A", "-f", "."]);
    env.git(dir, &["commit", "-q", "-m", message]);
    env.git(dir, &["push", "-q", "origin", "main"]);
}

/// A restricted read command in `dir`, as a forced command runs it.
fn restricted(env: &TestEnv, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = tenken_at(env, dir);
    cmd.arg("--restricted").args(args);
    output(&mut cmd)
}

#[cfg(unix)]
#[test]
fn files_that_are_devices_or_lead_out_give_a_clear_error_at_once() {
    let env = TestEnv::new();
    let s = shared(&env);
    // The remote's side: subjects.ron becomes a link to /dev/zero (which
    // grew a reader's memory by 0.5 GB a second), the config a link to
    // /etc/passwd (whose first token showed in the parse error).
    std::fs::remove_file(s.b.join("subjects.ron")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", s.b.join("subjects.ron")).unwrap();
    std::fs::remove_file(s.b.join("inspections/telework.ron")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", s.b.join("inspections/telework.ron")).unwrap();
    push_all(&env, &s.b, "subjects: link");
    // Taken in by plain git, as a sync before issue 14 did.
    env.git(&s.a, &["pull", "-q", "--ff-only", "origin", "main"]);

    let (code, stdout, stderr) = restricted(&env, &s.a, &["history"]);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            "subjects.ron: refusing to read: a symbolic link on this path leads outside the repository"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("inspections/telework.ron: refusing to read: a symbolic link on this path leads outside the repository"),
        "{stderr}"
    );
    assert!(!stderr.contains("root:"), "{stderr}");

    // A FIFO (git cannot carry one, but a local mistake can make one)
    // would block the open forever.
    std::fs::remove_file(s.a.join("subjects.ron")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(s.a.join("subjects.ron"))
        .status()
        .unwrap();
    assert!(made.success());
    let (code, _, stderr) = restricted(&env, &s.a, &["check"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("subjects.ron: not a regular file"),
        "{stderr}"
    );
}
