//! Host key checking for `tenken sync` over SSH: matching the key a server
//! presents against `~/.ssh/known_hosts` (plain, wildcard and hashed host
//! entries, `@revoked` markers). libgit2 hands the callback the raw key but
//! not its own verdict, so the check is done here. Reads the file; writes
//! nothing.

use crate::digest::{base64_decode, hmac_sha1};
use std::path::{Path, PathBuf};

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
        let same_key = base64_decode(encoded).is_some_and(|k| k == key);
        if revoked {
            if same_key {
                return HostKeyStatus::Revoked;
            }
            continue;
        }
        if !hosts_match(hosts, name) {
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

/// Matches the host field of a `known_hosts` line: a hashed entry
/// (`|1|salt|hash`) or comma-separated patterns with `*`, `?` and `!`.
fn hosts_match(field: &str, name: &str) -> bool {
    if let Some(hashed) = field.strip_prefix("|1|") {
        let mut parts = hashed.split('|');
        let (Some(salt), Some(hash)) = (parts.next(), parts.next()) else {
            return false;
        };
        let (Some(salt), Some(hash)) = (base64_decode(salt), base64_decode(hash)) else {
            return false;
        };
        return hmac_sha1(&salt, name.as_bytes()).as_slice() == hash.as_slice();
    }
    let name = name.to_ascii_lowercase();
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
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob(rest, &text[i..])),
        Some((b'?', rest)) => !text.is_empty() && glob(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::base64_encode;

    #[test]
    fn names_carry_the_port_only_when_it_is_not_22() {
        assert_eq!(host_name("git.example.jp", 22), "git.example.jp");
        assert_eq!(host_name("127.0.0.1", 2222), "[127.0.0.1]:2222");
    }

    #[test]
    fn plain_wildcard_negated_and_hashed_entries() {
        let key = b"\x00\x00\x00\x0bssh-ed25519key-one";
        let other = b"\x00\x00\x00\x0bssh-ed25519key-two";
        let k = base64_encode(key);
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
        let revoked = format!("{text}@revoked * ssh-ed25519 {}\n", base64_encode(other));
        assert_eq!(check(&revoked, "10.0.0.1", other), HostKeyStatus::Revoked);
        // `ssh-keygen -H` style: |1|base64(salt)|base64(HMAC-SHA1(salt, name)).
        let salt = b"0123456789abcdefghij";
        let hash = hmac_sha1(salt, b"[127.0.0.1]:2222");
        let hashed = format!(
            "|1|{}|{} ssh-ed25519 {k}\n",
            base64_encode(salt),
            base64_encode(&hash)
        );
        assert_eq!(
            check(&hashed, "[127.0.0.1]:2222", key),
            HostKeyStatus::Known
        );
        assert_eq!(
            check(&hashed, "[127.0.0.1]:2223", key),
            HostKeyStatus::Unknown
        );
    }
}
