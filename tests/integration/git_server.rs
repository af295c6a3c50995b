//! Issue 14: `tenken sync` against a real git server over SSH. The server
//! is an account whose login shell is `git-shell` (so its key can do
//! nothing but fetch and push) behind a loopback sshd
//! (../shared/ssh-loopback.md). Two clones sync through it; a push that the
//! server rejects because its branch moved meanwhile (a pre-receive hook
//! adds a commit once, as a colleague's push would) is resolved by the next
//! sync; and a server whose host key changed is refused.
//!
//! Needs `/usr/sbin/sshd`, `ssh`, `ssh-keygen`, `git-shell`, root (to give
//! the bare repository to the account) and the account [`ACCOUNT`], which
//! `.ci/run` creates. Without them the test says why and passes, except
//! under `CI`, where it fails.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use crate::support::TestEnv;
use crate::sync::{head, keygen, start_sshd_at, tenken_at};

/// The throwaway account of the git server (login shell `git-shell`).
const ACCOUNT: &str = "tenken-git";

/// The account's home folder, or why the test cannot run here.
fn server_account() -> Result<PathBuf, String> {
    for tool in ["ssh", "ssh-keygen", "git-shell"] {
        let found = std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()));
        if !found {
            return Err(format!("`{tool}` is not on PATH"));
        }
    }
    if !Path::new("/usr/sbin/sshd").is_file() {
        return Err("/usr/sbin/sshd is missing".into());
    }
    let out = StdCommand::new("id")
        .arg("-u")
        .output()
        .map_err(|e| e.to_string())?;
    if String::from_utf8_lossy(&out.stdout).trim() != "0" {
        return Err("not running as root".into());
    }
    let out = StdCommand::new("getent")
        .args(["passwd", ACCOUNT])
        .output()
        .map_err(|e| e.to_string())?;
    let entry = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let fields: Vec<&str> = entry.split(':').collect();
    match fields.as_slice() {
        [.., home, shell] if shell.ends_with("git-shell") => Ok(PathBuf::from(home)),
        [..] if entry.is_empty() => Err(format!(
            "there is no account `{ACCOUNT}` (`.ci/run` creates it: useradd --create-home --shell $(command -v git-shell) --password '*' {ACCOUNT})"
        )),
        _ => Err(format!(
            "the login shell of `{ACCOUNT}` is not git-shell: {entry}"
        )),
    }
}

/// A bare repository in the account's home, removed when dropped.
struct ServerRepo(PathBuf);

impl Drop for ServerRepo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(cmd: &mut StdCommand) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Moves the server's branch once, from inside the first push it
/// receives: the push was a fast-forward when it started, and is not one
/// any more when the server comes to update the branch.
const MOVE_ONCE_HOOK: &str = r#"#!/bin/sh
[ -e moved-once ] && exit 0
touch moved-once
# A hook's own ref update is refused inside the push's quarantine.
unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
old=$(git rev-parse refs/heads/main)
new=$(git -c user.name=Server -c user.email=server@example.jp commit-tree "$old^{tree}" -p "$old" -m "server: a colleague's commit")
git update-ref refs/heads/main "$new" "$old"
"#;

#[test]
fn sync_through_a_git_shell_server_over_ssh() {
    let home = match server_account() {
        Ok(home) => home,
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!("the git server test cannot run under CI: {why}")
        }
        Err(why) => {
            eprintln!("skipped: {why} (this test runs under CI, where .ci/run sets it up)");
            return;
        }
    };
    let env = TestEnv::new();
    let ssh_dir = env.home.path().join(".ssh");
    std::fs::create_dir_all(&ssh_dir).unwrap();
    let key = env.home.path().join("tenken_ed25519");
    keygen(&key, "inspector");

    // The bare repository, owned by the account.
    let name = format!(
        "t-{}-{}.git",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let bare = ServerRepo(home.join(&name));
    run(StdCommand::new("git")
        .args(["init", "-q", "--bare", "-b", "main"])
        .arg(&bare.0));
    run(StdCommand::new("chown")
        .arg("-R")
        .arg(format!("{ACCOUNT}:"))
        .arg(&bare.0));

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server_dir = env.home.path().join("sshd");
    let sshd = start_sshd_at(&server_dir, &key.with_extension("pub"), port, "host_one")
        .expect("sshd is present");
    let host = format!("[127.0.0.1]:{port}");
    let entry = |public: &str| {
        let mut f = public.split_whitespace();
        format!("{host} {} {}\n", f.next().unwrap(), f.next().unwrap())
    };
    std::fs::write(ssh_dir.join("known_hosts"), entry(&sshd.host_pub)).unwrap();
    let url = format!("ssh://{ACCOUNT}@127.0.0.1:{port}{}", bare.0.display());

    // Clone a: made by tenken, the key named in tenken.ron, first push.
    let a = env.init();
    let config = a.join("tenken.ron");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replacen(
            "format: 1,",
            "format: 1,\n    ssh_key: Some(\"~/tenken_ed25519\"),",
            1,
        ),
    )
    .unwrap();
    env.git(&a, &["commit", "-q", "-am", "config: ssh key for sync"]);
    env.git(&a, &["remote", "add", "origin", &url]);
    tenken_at(&env, &a)
        .arg("sync")
        .assert()
        .success()
        .stdout(format!(
            "`origin`（{url}）と同期しました: `origin` にはまだブランチ `main` がありません。2件のコミットを送信しました。\n"
        ));

    // Clone b: plain git through the same server (ssh client, same key).
    let ssh_command = format!(
        "ssh -i {} -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile={}",
        key.display(),
        ssh_dir.join("known_hosts").display()
    );
    run(StdCommand::new("git")
        .args(["clone", "-q", &url, "b"])
        .current_dir(env.home.path())
        .env("HOME", env.home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_SSH_COMMAND", &ssh_command));
    let b = env.home.path().join("b");

    // Both record a run; a syncs first.
    let answers = env.home.path().join("five.ron");
    std::fs::write(
        &answers,
        r#"{"1": (choice: "yes"), "2": (choice: "yes"), "3": (choice: "yes"), "4": (choice: "yes"), "5": (choice: "yes")}"#,
    )
    .unwrap();
    for (dir, who, date) in [(&a, "sato", "2026-11-02"), (&b, "suzuki", "2026-11-03")] {
        env.tenken()
            .arg("--repo")
            .arg(dir)
            .args(["--inspector", who, "record", "ipa-five-principles"])
            .args(["--subject", "self", "--date", date, "--answers"])
            .arg(&answers)
            .assert()
            .success();
    }
    tenken_at(&env, &a).arg("sync").assert().success();

    // b's push meets a branch that moved on the server during the push:
    // refused, with nothing lost and the advice to sync again …
    let hook = bare.0.join("hooks/pre-receive");
    std::fs::write(&hook, MOVE_ONCE_HOOK).unwrap();
    run(StdCommand::new("chmod").arg("755").arg(&hook));
    run(StdCommand::new("chown")
        .arg("-R")
        .arg(format!("{ACCOUNT}:"))
        .arg(&bare.0));
    let out = tenken_at(&env, &b).arg("sync").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("エラー: `origin` が送信を拒否しました（")
            && stderr.contains("）。同期の途中で変更されています\n"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("\nヒント: もう一度 `tenken sync` を実行してください\n"),
        "{stderr}"
    );
    // … which the next sync resolves: fetch, merge, push.
    let out = tenken_at(&env, &b).arg("sync").assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("origin/main から 1件のコミットをマージコミット "),
        "{stdout}"
    );
    tenken_at(&env, &a).arg("sync").assert().success();
    let server_head = run(StdCommand::new("git")
        .args(["--git-dir"])
        .arg(&bare.0)
        .args(["rev-parse", "main"]))
    .trim()
    .to_owned();
    assert_eq!(head(&env, &a), server_head);
    assert_eq!(head(&env, &b), server_head);
    let log = env.git(&a, &["log", "--format=%s", "-6"]);
    assert!(log.contains("server: a colleague's commit"), "{log}");
    for dir in [&a, &b] {
        env.git(dir, &["fsck", "--strict", "--no-dangling"]);
        assert_eq!(env.git(dir, &["status", "--porcelain"]), "");
        for run in ["2026-11-02T090000-sato", "2026-11-03T090000-suzuki"] {
            assert!(
                dir.join(format!("runs/self/ipa-five-principles/{run}.ron"))
                    .is_file()
            );
        }
    }
    run(StdCommand::new("git").arg("--git-dir").arg(&bare.0).args([
        "fsck",
        "--strict",
        "--no-dangling",
    ]));

    // The server comes back with another host key: refused, nothing moved.
    drop(sshd);
    let _sshd = start_sshd_at(&server_dir, &key.with_extension("pub"), port, "host_two")
        .expect("sshd restarts");
    let before = head(&env, &a);
    let out = tenken_at(&env, &a).arg("sync").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{host} のホスト鍵（SHA256:"))
            && stderr.contains("に記録された鍵と一致しないため、接続しません"),
        "{stderr}"
    );
    assert_eq!(head(&env, &a), before);
}
