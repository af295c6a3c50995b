//! `tenken sync` against a local bare repository (plain path URLs): two
//! clones recording runs in parallel, merges, pushes rejected by a race,
//! conflicts that must leave everything as it was, and refusals.

use std::path::{Path, PathBuf};

use crate::support::TestEnv;
use crate::verify::{commit_run, run_path};

/// A bare remote and two clones: `a` (made by `tenken init`) and `b`.
pub struct Shared {
    pub remote: PathBuf,
    pub a: PathBuf,
    pub b: PathBuf,
}

/// `tenken --repo DIR --inspector sato ARGS…`.
pub fn tenken_at(env: &TestEnv, dir: &Path) -> assert_cmd::Command {
    let mut cmd = env.tenken();
    cmd.arg("--repo").arg(dir).args(["--inspector", "sato"]);
    cmd
}

pub fn shared(env: &TestEnv) -> Shared {
    let a = env.init();
    let remote = env.home.path().join("remote.git");
    env.git(
        env.home.path(),
        &["init", "-q", "--bare", "-b", "main", "remote.git"],
    );
    env.git(&a, &["remote", "add", "origin", remote.to_str().unwrap()]);
    tenken_at(env, &a)
        .arg("sync")
        .assert()
        .success()
        .stdout(format!(
            "`origin`（{}）と同期しました: `origin` にはまだブランチ `main` がありません。1件のコミットを送信しました。\n",
            remote.display()
        ));
    env.git(env.home.path(), &["clone", "-q", "remote.git", "b"]);
    let b = env.home.path().join("b");
    Shared { remote, a, b }
}

pub fn head(env: &TestEnv, dir: &Path) -> String {
    env.git(dir, &["rev-parse", "HEAD"]).trim().to_owned()
}

/// Everything that must not change when sync refuses: HEAD, the branch,
/// the index file, the status and every tracked file's bytes.
pub fn snapshot(env: &TestEnv, dir: &Path) -> Vec<String> {
    let mut out = vec![
        head(env, dir),
        env.git(dir, &["symbolic-ref", "HEAD"]),
        env.git(dir, &["status", "--porcelain", "--untracked-files=all"]),
        format!("{:?}", std::fs::read(dir.join(".git/index")).unwrap()),
        format!("{}", dir.join(".git/MERGE_HEAD").exists()),
    ];
    for file in env.git(dir, &["ls-files"]).lines() {
        out.push(format!("{file}: {:?}", std::fs::read(dir.join(file)).ok()));
    }
    out
}

pub fn commit_subjects_change(env: &TestEnv, dir: &Path, name: &str) {
    let path = dir.join("subjects.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("Example KK", name)).unwrap();
    env.git(
        dir,
        &[
            "commit",
            "-q",
            "-am",
            &format!("subjects: rename to {name}"),
        ],
    );
}

#[test]
fn two_clones_recording_in_parallel_end_in_sync() {
    let env = TestEnv::new();
    let s = shared(&env);
    // Each clone records three runs with `tenken record`, both at once.
    let answers = env.home.path().join("answers.ron");
    std::fs::write(
        &answers,
        r#"{"1": (choice: "yes"), "2": (choice: "yes"), "3": (choice: "partly"), "4": (choice: "yes"), "5": (choice: "yes")}"#,
    )
    .unwrap();
    std::thread::scope(|scope| {
        for (dir, inspector) in [(&s.a, "sato"), (&s.b, "suzuki")] {
            let answers = &answers;
            let env = &env;
            scope.spawn(move || {
                for day in 1..=3 {
                    env.tenken()
                        .arg("--repo")
                        .arg(dir)
                        .args(["--inspector", inspector, "record", "ipa-five-principles"])
                        .args(["--subject", "self", "--date", &format!("2026-11-0{day}")])
                        .arg("--answers")
                        .arg(answers)
                        .assert()
                        .success();
                }
            });
        }
    });
    let a_url = s.remote.display().to_string();
    let b_url = env.git(&s.b, &["remote", "get-url", "origin"]);
    tenken_at(&env, &s.a)
        .arg("sync")
        .assert()
        .success()
        .stdout(format!(
            "`origin`（{a_url}）と同期しました: main は origin/main をすでに含んでいます。3件のコミットを送信しました。\n"
        ));
    let out = tenken_at(&env, &s.b).arg("sync").assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let merge = head(&env, &s.b);
    assert_eq!(
        stdout,
        format!(
            "`origin`（{}）と同期しました: origin/main から 3件のコミットをマージコミット {} で取り込みました。4件のコミットを送信しました。\n",
            b_url.trim(),
            &merge[..12]
        )
    );
    tenken_at(&env, &s.a)
        .arg("sync")
        .assert()
        .success()
        .stdout(format!(
            "`origin`（{a_url}）と同期しました: origin/main から 4件のコミットを main に早送りで取り込みました。送信するものはありません。\n"
        ));

    // The merge is a real merge commit, authored by the inspector.
    assert_eq!(
        env.git(&s.b, &["log", "-1", "--format=%an <%ae>|%P|%s"])
            .trim(),
        format!(
            "Sato Hanako <sato@example.jp>|{}|sync: merge origin/main",
            env.git(&s.b, &["rev-parse", "HEAD^1", "HEAD^2"])
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        )
    );
    assert_eq!(head(&env, &s.a), merge);
    assert_eq!(head(&env, &s.remote), merge);
    for dir in [&s.a, &s.b, &s.remote] {
        env.git(dir, &["fsck", "--strict", "--no-dangling"]);
    }
    for dir in [&s.a, &s.b] {
        assert_eq!(env.git(dir, &["status", "--porcelain"]), "");
        for day in 1..=3 {
            for inspector in ["sato", "suzuki"] {
                let run = run_path(&format!("2026-11-0{day}T090000"), inspector);
                assert!(dir.join(run).is_file());
            }
        }
        tenken_at(&env, dir)
            .arg("verify")
            .assert()
            .success()
            .stdout("点検記録 6件を 8件のコミットで検証しました。問題はありません。\n");
    }
    // Nothing left to do on either side.
    tenken_at(&env, &s.b)
        .arg("sync")
        .assert()
        .success()
        .stdout(format!(
            "`origin`（{}）と同期しました: main は origin/main をすでに含んでいます。送信するものはありません。\n",
            b_url.trim()
        ));
}

#[test]
fn simultaneous_syncs_to_a_shared_folder_lose_nothing() {
    let env = TestEnv::new();
    let s = shared(&env);
    // libgit2's local transport moves the remote branch without checking
    // its old value, so without the lock in the remote repository the
    // second push could silently replace the first. Several rounds, each
    // with both clones syncing at once, and no run may go missing.
    let mut expected = Vec::new();
    for round in 1..=4 {
        let (a_stamp, b_stamp) = (
            format!("2026-11-0{round}T090000"),
            format!("2026-11-0{round}T100000"),
        );
        commit_run(&env, &s.a, &a_stamp, "sato");
        commit_run(&env, &s.b, &b_stamp, "suzuki");
        expected.push(run_path(&a_stamp, "sato"));
        expected.push(run_path(&b_stamp, "suzuki"));
        std::thread::scope(|scope| {
            for dir in [&s.a, &s.b] {
                let env = &env;
                scope.spawn(move || tenken_at(env, dir).arg("sync").assert().success());
            }
        });
        let on_remote = env.git(&s.remote, &["ls-tree", "-r", "--name-only", "main", "runs"]);
        for path in &expected {
            assert!(
                on_remote.lines().any(|l| l == path),
                "{path} missing on the remote:\n{on_remote}"
            );
        }
    }
    // The first of each pair may not have seen the second's push yet.
    for dir in [&s.a, &s.b] {
        tenken_at(&env, dir).arg("sync").assert().success();
    }
    assert_eq!(head(&env, &s.a), head(&env, &s.b));
    assert_eq!(head(&env, &s.a), head(&env, &s.remote));
    for dir in [&s.a, &s.b, &s.remote] {
        env.git(dir, &["fsck", "--strict", "--no-dangling"]);
    }
    tenken_at(&env, &s.a)
        .arg("verify")
        .assert()
        .success()
        .stdout(predicates::str::starts_with("点検記録 8件を "));
}

#[test]
fn a_conflict_in_subjects_leaves_both_repositories_as_they_were() {
    let env = TestEnv::new();
    let s = shared(&env);
    commit_subjects_change(&env, &s.a, "Example Holdings");
    tenken_at(&env, &s.a).arg("sync").assert().success();
    commit_subjects_change(&env, &s.b, "Example Group");
    commit_run(&env, &s.b, "2026-11-01T100000", "suzuki");
    // Uncommitted and untracked work must survive the refusal too.
    std::fs::write(s.b.join("notes.txt"), "draft notes\n").unwrap();
    let before_a = snapshot(&env, &s.a);
    let before_b = snapshot(&env, &s.b);
    let remote_before = head(&env, &s.remote);

    tenken_at(&env, &s.b)
        .arg("sync")
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "エラー: 同期できません: `subjects.ron` がこちらと `origin` の両方で変更されています。{b} は何も変更していません\n\
             ヒント: 手でマージし（`git -C {b} pull origin main`）、衝突を解決してコミットしてから、もう一度 `tenken sync` を実行してください\n",
            b = s.b.display()
        ));
    assert_eq!(snapshot(&env, &s.b), before_b);
    assert_eq!(snapshot(&env, &s.a), before_a);
    assert_eq!(head(&env, &s.remote), remote_before);
    env.git(&s.b, &["fsck", "--strict", "--no-dangling"]);
}

#[test]
fn a_local_change_the_remote_would_overwrite_stops_the_fast_forward() {
    let env = TestEnv::new();
    let s = shared(&env);
    commit_subjects_change(&env, &s.a, "Example Holdings");
    tenken_at(&env, &s.a).arg("sync").assert().success();
    let path = s.b.join("subjects.ron");
    let edited = std::fs::read_to_string(&path).unwrap() + "// local edit\n";
    std::fs::write(&path, &edited).unwrap();
    let before = snapshot(&env, &s.b);
    tenken_at(&env, &s.b)
        .arg("sync")
        .assert()
        .code(1)
        .stderr(format!(
            "エラー: 同期できません: `subjects.ron` へのこちらの変更が `origin` の内容で上書きされてしまいます。{} は何も変更していません\n\
             ヒント: その変更をコミットするか元に戻してから、もう一度 `tenken sync` を実行してください\n",
            s.b.display()
        ));
    assert_eq!(snapshot(&env, &s.b), before);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
}

#[test]
fn sync_refuses_when_no_remote_is_configured() {
    let env = TestEnv::new();
    let repo = env.init();
    env.tenken_in_repo()
        .arg("sync")
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "エラー: {r} には git リモート `origin` が設定されていません。同期する相手がありません\n\
             ヒント: `git -C {r} remote add origin URL` で追加してください\n",
            r = repo.display()
        ));
}

#[test]
fn the_remote_can_be_named_on_the_command_line() {
    let env = TestEnv::new();
    let repo = env.init();
    env.git(
        env.home.path(),
        &["init", "-q", "--bare", "-b", "main", "backup.git"],
    );
    let url = format!("file://{}", env.home.path().join("backup.git").display());
    env.git(&repo, &["remote", "add", "backup", &url]);
    env.tenken_in_repo()
        .arg("sync")
        .assert()
        .code(1)
        .stderr(format!(
            "エラー: {} には git リモート `origin` が設定されていません。同期する相手がありません\n\
             ヒント: 設定されているリモート: `backup`。`--remote NAME` か tenken.ron の `remote` で選んでください\n",
            repo.display()
        ));
    env.tenken_in_repo()
        .args(["sync", "--remote", "backup"])
        .assert()
        .success()
        .stdout(format!(
            "`backup`（{url}）と同期しました: `backup` にはまだブランチ `main` がありません。1件のコミットを送信しました。\n"
        ));
    assert_eq!(
        head(&env, &repo),
        head(&env, &env.home.path().join("backup.git"))
    );
}

/// A real sshd on loopback (../shared/ssh-loopback.md), stopped by its own
/// pid when dropped.
#[cfg(unix)]
pub struct Sshd {
    child: std::process::Child,
    pub port: u16,
    pub host_pub: String,
}

#[cfg(unix)]
impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
pub fn keygen(path: &Path, comment: &str) {
    let status = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Starts sshd on a free port, accepting `user_pub`; `None` when this
/// machine has no sshd (the test then says so and passes).
#[cfg(unix)]
fn start_sshd(dir: &Path, user_pub: &Path) -> Option<Sshd> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    start_sshd_at(dir, user_pub, port, "host_ed25519")
}

/// Starts sshd on `port` with the host key `dir/<host_key>` (made if
/// missing), accepting `user_pub` for any account; `None` when this machine
/// has no sshd or ssh-keygen.
#[cfg(unix)]
pub fn start_sshd_at(dir: &Path, user_pub: &Path, port: u16, host_key: &str) -> Option<Sshd> {
    let sshd = Path::new("/usr/sbin/sshd");
    if !sshd.is_file()
        || std::process::Command::new("ssh-keygen")
            .arg("-?")
            .output()
            .is_err()
    {
        return None;
    }
    std::fs::create_dir_all(dir).unwrap();
    let _ = std::fs::create_dir_all("/run/sshd");
    if !dir.join(host_key).exists() {
        keygen(&dir.join(host_key), "host");
    }
    std::fs::write(
        dir.join("authorized_keys"),
        std::fs::read(user_pub).unwrap(),
    )
    .unwrap();
    let d = dir.display();
    std::fs::write(
        dir.join("sshd_config"),
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/{host_key}\nPidFile {d}/sshd.pid\n\
             AuthorizedKeysFile {d}/authorized_keys\nPermitRootLogin prohibit-password\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
        ),
    )
    .unwrap();
    let child = std::process::Command::new(sshd)
        .arg("-f")
        .arg(dir.join("sshd_config"))
        .args(["-D", "-e"])
        .stderr(std::fs::File::create(dir.join("sshd.log")).unwrap())
        .spawn()
        .ok()?;
    let server = Sshd {
        child,
        port,
        host_pub: std::fs::read_to_string(dir.join(format!("{host_key}.pub"))).unwrap(),
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "sshd did not start: {}",
            std::fs::read_to_string(dir.join("sshd.log")).unwrap_or_default()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Some(server)
}

#[cfg(unix)]
#[test]
fn sync_over_ssh_uses_the_configured_key_and_checks_known_hosts() {
    let env = TestEnv::new();
    let ssh_dir = env.home.path().join(".ssh");
    std::fs::create_dir_all(&ssh_dir).unwrap();
    let key = env.home.path().join("tenken_ed25519");
    keygen(&key, "inspector");
    let Some(sshd) = start_sshd(&env.home.path().join("sshd"), &key.with_extension("pub")) else {
        // Like the ssh end-to-end test: a developer without sshd may skip,
        // CI may not (`.ci/run` installs openssh-server).
        assert!(
            std::env::var_os("CI").is_none(),
            "the sync-over-ssh test must run under CI, but /usr/sbin/sshd or ssh-keygen is missing (.ci/run installs openssh-server)"
        );
        eprintln!(
            "skipping the sync-over-ssh test: no /usr/sbin/sshd or ssh-keygen (it runs under CI)"
        );
        return;
    };
    let repo = env.init();
    let remote = env.home.path().join("remote.git");
    env.git(
        env.home.path(),
        &["init", "-q", "--bare", "-b", "main", "remote.git"],
    );
    let user = String::from_utf8(
        std::process::Command::new("id")
            .arg("-un")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let url = format!(
        "ssh://{}@127.0.0.1:{}{}",
        user.trim(),
        sshd.port,
        remote.display()
    );
    env.git(&repo, &["remote", "add", "origin", &url]);
    // The key path in tenken.ron, as `~/…` (no ssh-agent in this environment).
    let config = repo.join("tenken.ron");
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
    env.git(&repo, &["commit", "-q", "-am", "config: ssh key for sync"]);
    let name = format!("[127.0.0.1]:{}", sshd.port);

    // Unknown host: refused, nothing pushed.
    let out = env.tenken_in_repo().arg("sync").assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "エラー: `origin`（{url}）から取得できません: SSH のホスト {name}（鍵 SHA256:"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("にないため、接続しません。"), "{stderr}");

    // A different key on record for the host: refused as a mismatch.
    let impostor = env.home.path().join("impostor");
    keygen(&impostor, "impostor");
    let impostor_pub = std::fs::read_to_string(impostor.with_extension("pub")).unwrap();
    let entry = |public: &str| {
        let mut f = public.split_whitespace();
        format!("{name} {} {}\n", f.next().unwrap(), f.next().unwrap())
    };
    std::fs::write(ssh_dir.join("known_hosts"), entry(&impostor_pub)).unwrap();
    let out = env.tenken_in_repo().arg("sync").assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!("{name} のホスト鍵（SHA256:")),
        "{stderr}"
    );
    assert!(
        stderr.contains("に記録された鍵と一致しないため、接続しません"),
        "{stderr}"
    );
    assert_eq!(env.git(&remote, &["rev-list", "--all"]), "");

    // The right key, hashed the way Debian's ssh client writes it.
    std::fs::write(ssh_dir.join("known_hosts"), entry(&sshd.host_pub)).unwrap();
    let status = std::process::Command::new("ssh-keygen")
        .args(["-q", "-H", "-f"])
        .arg(ssh_dir.join("known_hosts"))
        .output()
        .unwrap();
    assert!(status.status.success());
    let hashed = std::fs::read_to_string(ssh_dir.join("known_hosts")).unwrap();
    assert!(hashed.starts_with("|1|"), "{hashed}");
    env.tenken_in_repo()
        .arg("sync")
        .assert()
        .success()
        .stdout(format!(
            "`origin`（{url}）と同期しました: `origin` にはまだブランチ `main` がありません。2件のコミットを送信しました。\n"
        ));
    assert_eq!(head(&env, &repo), head(&env, &remote));
    env.git(&remote, &["fsck", "--strict", "--no-dangling"]);
}
