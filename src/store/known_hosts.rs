//! Host key checking for `tenken sync` over SSH: matching the key a server
//! presents against `~/.ssh/known_hosts` (plain, wildcard, negated and
//! hashed host entries, `@revoked` markers). Reads the file; writes nothing.
//!
//! Why not libgit2's own check (libgit2 ≥ 1.7 reads `known_hosts` in its
//! libssh2 transport and a `certificate_check` callback may pass through to
//! its verdict)? Read in the vendored sources (`libgit2-sys` 0.18.8,
//! libgit2 1.9.7, `transports/ssh_libssh2.c`, and libssh2's `knownhost.c`):
//!
//! - its verdict is one bit, so "unknown host" and "the key changed" both
//!   become "invalid or unknown remote ssh hostkey", and git2's callback
//!   does not receive that bit to tell them apart;
//! - libssh2 knows no `*`/`?` patterns and no `!` negation, compares plain
//!   names case-sensitively, and takes a `host` line for `[host]:port` on
//!   any port;
//! - it does not understand `@revoked` (the marker is read as a host name
//!   that never matches), so a revoked key listed elsewhere is accepted;
//! - the first line it cannot parse stops `readfile`, and libgit2 then
//!   refuses every connection (`error loading known_hosts`).
//!
//! So tenken keeps this module, which follows OpenSSH's rules:
//! names are compared in lower case (OpenSSH lower-cases a name both before
//! looking it up and before hashing it with `ssh-keygen -H`), patterns are
//! matched without backtracking, and a file that cannot be read is an
//! error of its own, never "unknown host".

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// What `known_hosts` says about a host and the key it presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostKeyStatus {
    /// A line for the host lists this key.
    Known,
    /// Lines for the host exist but none lists this key.
    Mismatch,
    /// The key is marked `@revoked`.
    Revoked,
    /// No line names the host.
    Unknown,
}

/// Returns `~/.ssh/known_hosts`, if `HOME` is set.
pub fn default_path() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(Path::new(&home).join(".ssh").join("known_hosts"))
}

/// Reads the `known_hosts` file at `path`; a missing file reads as empty
/// (every host is then unknown), any other failure is returned.
///
/// Read like every other file (`load::read`): a FIFO or device there
/// cannot block or exhaust the sync, and the read stops at the size limit.
pub fn read(path: &Path) -> std::io::Result<String> {
    if std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Ok(String::new());
    }
    crate::load::read(crate::load::Source::given(path))
        .map_err(|d| std::io::Error::other(d.message.to_string()))
}

/// Returns the name `known_hosts` uses for `host` on `port`:
/// `host` for port 22, `[host]:port` otherwise.
pub fn host_name(host: &str, port: u16) -> String {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if port == 22 {
        host.to_owned()
    } else {
        format!("[{host}]:{port}")
    }
}

/// Checks `key` (the raw SSH wire-format public key) for `name` (from
/// [`host_name`]) against the text of a `known_hosts` file.
pub fn check(text: &str, name: &str, key: &[u8]) -> HostKeyStatus {
    let name = name.to_ascii_lowercase();
    let mut seen_host = false;
    let mut known = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let Some(mut hosts) = fields.next() else {
            continue;
        };
        let mut revoked = false;
        if let Some(marker) = hosts.strip_prefix('@') {
            match marker {
                "revoked" => revoked = true,
                // Certificate authorities need certificate support, which
                // libssh2 lacks; such lines vouch for no plain key.
                _ => continue,
            }
            let Some(h) = fields.next() else { continue };
            hosts = h;
        }
        let (Some(_kind), Some(encoded)) = (fields.next(), fields.next()) else {
            continue;
        };
        let same_key = STANDARD.decode(encoded).is_ok_and(|k| k == key);
        if revoked {
            if same_key {
                return HostKeyStatus::Revoked;
            }
            continue;
        }
        if !hosts_match(hosts, &name) {
            continue;
        }
        seen_host = true;
        known |= same_key;
    }
    match (known, seen_host) {
        (true, _) => HostKeyStatus::Known,
        (false, true) => HostKeyStatus::Mismatch,
        (false, false) => HostKeyStatus::Unknown,
    }
}

/// Matches the host field of a `known_hosts` line against `name` (already
/// lower case): a hashed entry (`|1|salt|hash`) or comma-separated
/// patterns with `*`, `?` and `!`.
fn hosts_match(field: &str, name: &str) -> bool {
    if let Some(hashed) = field.strip_prefix("|1|") {
        let Some((salt, hash)) = hashed.split_once('|') else {
            return false;
        };
        let (Ok(salt), Ok(hash)) = (STANDARD.decode(salt), STANDARD.decode(hash)) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&salt) else {
            return false;
        };
        mac.update(name.as_bytes());
        return mac.verify_slice(&hash).is_ok();
    }
    let mut matched = false;
    for pattern in field.split(',') {
        let pattern = pattern.to_ascii_lowercase();
        if let Some(negated) = pattern.strip_prefix('!') {
            if glob(negated.as_bytes(), name.as_bytes()) {
                return false;
            }
        } else if glob(pattern.as_bytes(), name.as_bytes()) {
            matched = true;
        }
    }
    matched
}

/// Matches OpenSSH host patterns: `*` any run of characters, `?` one.
///
/// Runs the pattern as an automaton over the text, keeping the set of
/// pattern positions reachable so far: time is text × pattern, never
/// exponential, whatever the number of `*`s.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    // `states[i]`: the first `i` pattern bytes can match the text so far.
    let mut states = vec![false; pattern.len() + 1];
    states[0] = true;
    close_over_stars(pattern, &mut states);
    for &c in text {
        let mut next = vec![false; pattern.len() + 1];
        for (i, p) in pattern.iter().enumerate() {
            if states[i] && (*p == b'*' || *p == b'?' || *p == c) {
                // A star stays where it is (it takes `c`); anything else
                // moves one position on.
                next[if *p == b'*' { i } else { i + 1 }] = true;
            }
        }
        close_over_stars(pattern, &mut next);
        if !next.contains(&true) {
            return false;
        }
        states = next;
    }
    states[pattern.len()]
}

/// Adds the positions after each reachable `*` (a star may match nothing).
fn close_over_stars(pattern: &[u8], states: &mut [bool]) {
    for (i, p) in pattern.iter().enumerate() {
        if states[i] && *p == b'*' {
            states[i + 1] = true;
        }
    }
}

/// Matching rules; hashed entries are checked against lines written by
/// OpenSSH's `ssh-keygen -H` (`tests/fixtures/known_hosts/`), not against
/// this module's own HMAC.
#[cfg(test)]
mod tests {
    use super::*;

    /// Written by `ssh-keygen -H`; see the README beside it.
    const HASHED: &str = include_str!("../../tests/fixtures/known_hosts/hashed");
    /// The host key every line of [`HASHED`] lists.
    const HASHED_KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIJxCDUQv6FaB3qTSTtKy7xfB4SneFkv5IiSsHRcyxOH4";

    #[test]
    fn names_carry_the_port_only_when_it_is_not_22() {
        assert_eq!(host_name("git.example.jp", 22), "git.example.jp");
        assert_eq!(host_name("127.0.0.1", 2222), "[127.0.0.1]:2222");
    }

    #[test]
    fn plain_wildcard_negated_and_revoked_entries() {
        let key = b"\x00\x00\x00\x0bssh-ed25519key-one";
        let other = b"\x00\x00\x00\x0bssh-ed25519key-two";
        let k = STANDARD.encode(key);
        let text = format!(
            "# comment\n\
             git.example.jp,10.0.0.1 ssh-ed25519 {k}\n\
             *.corp.example,!bad.corp.example ssh-ed25519 {k}\n\
             [127.0.0.1]:2222 ssh-ed25519 {k}\n"
        );
        assert_eq!(check(&text, "git.example.jp", key), HostKeyStatus::Known);
        assert_eq!(check(&text, "GIT.example.jp", key), HostKeyStatus::Known);
        assert_eq!(check(&text, "10.0.0.1", other), HostKeyStatus::Mismatch);
        assert_eq!(check(&text, "a.corp.example", key), HostKeyStatus::Known);
        assert_eq!(
            check(&text, "bad.corp.example", key),
            HostKeyStatus::Unknown
        );
        assert_eq!(check(&text, "[127.0.0.1]:2222", key), HostKeyStatus::Known);
        assert_eq!(check(&text, "127.0.0.1", key), HostKeyStatus::Unknown);
        let revoked = format!("{text}@revoked * ssh-ed25519 {}\n", STANDARD.encode(other));
        assert_eq!(check(&revoked, "10.0.0.1", other), HostKeyStatus::Revoked);
    }

    #[test]
    fn hashed_entries_from_ssh_keygen_match_in_any_case() {
        let key = STANDARD.decode(HASHED_KEY).unwrap();
        for name in [
            "git.example.jp",
            "GIT.Example.JP",
            "[127.0.0.1]:2222",
            "git.upper.example",
            "Git.Upper.Example",
        ] {
            assert_eq!(check(HASHED, name, &key), HostKeyStatus::Known, "{name}");
        }
        assert_eq!(
            check(HASHED, "[127.0.0.1]:2223", &key),
            HostKeyStatus::Unknown
        );
        assert_eq!(check(HASHED, "127.0.0.1", &key), HostKeyStatus::Unknown);
        let mut other = key.clone();
        other[20] ^= 1;
        assert_eq!(
            check(HASHED, "git.example.jp", &other),
            HostKeyStatus::Mismatch
        );
    }

    #[test]
    fn a_missing_file_is_empty_and_an_unreadable_one_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(&dir.path().join("known_hosts")).unwrap(), "");
        // A directory where the file should be: an error, not "unknown".
        assert!(read(dir.path()).is_err());
        // A FIFO: an error at once, not a hang.
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo");
            #[allow(clippy::disallowed_methods)]
            let made = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap();
            assert!(made.success());
            let err = read(&fifo).unwrap_err().to_string();
            assert!(err.starts_with("not a regular file"), "{err}");
        }
    }

    #[test]
    fn broken_base64_matches_nothing() {
        let key = STANDARD.decode(HASHED_KEY).unwrap();
        // Padding in the middle, and a truncated hash: the old decoder
        // accepted both.
        let text = format!(
            "|1|Hv9D=rINnsi28jGEAC7NK8Jw9dJo=|oQ/jsPjSQiwaKUt84R51jpO66gg= ssh-ed25519 {HASHED_KEY}\n\
             |1|Hv9DrINnsi28jGEAC7NK8Jw9dJo=|oQ/jsPjSQiwaKUt84R51jp ssh-ed25519 {HASHED_KEY}\n"
        );
        assert_eq!(check(&text, "git.example.jp", &key), HostKeyStatus::Unknown);
    }

    #[test]
    fn glob_follows_openssh_patterns() {
        let m = |p: &str, t: &str| glob(p.as_bytes(), t.as_bytes());
        assert!(m("*", ""));
        assert!(m("*.example", "a.example"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("a*b*c", "a-b-b-c"));
        assert!(!m("a*b*c", "a-b-b-d"));
        assert!(m("[10.0.0.*]:22?2", "[10.0.0.7]:2222"));
    }

    #[test]
    fn glob_does_not_backtrack_on_many_stars() {
        // A backtracking matcher tries every way of spreading the 30 stars
        // over the 200 characters, about C(200, 30) ≈ 4e35 for this pair;
        // the automaton takes 200 steps over 61 positions.
        let pattern = "*a".repeat(30) + "b";
        let text = "a".repeat(200);
        assert!(!glob(pattern.as_bytes(), text.as_bytes()));
        assert!(glob(pattern.as_bytes(), (text + "b").as_bytes()));
    }
}
