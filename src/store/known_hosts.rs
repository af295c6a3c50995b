//! Host key checking for `tenken sync` over SSH: matching the key a server
//! presents against `~/.ssh/known_hosts` (plain, wildcard and hashed host
//! entries, `@revoked` markers). libgit2 hands the callback the raw key but
//! not its own verdict, so the check is done here. Reads the file; writes
//! nothing.

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

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Decodes standard base64 (padding optional); `None` on a bad character.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = BASE64.iter().position(|&b| b == c)?;
        acc = (acc << 6) | u32::try_from(v).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// Encodes bytes as standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// HMAC-SHA1, which OpenSSH uses to hash host names (`HashKnownHosts`).
fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..20].copy_from_slice(&sha1(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(message);
    let mut outer: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&sha1(&inner));
    sha1(&outer)
}

/// SHA-1 (FIPS 180-4). Used only to match hashed host names, never to
/// decide whether a key is trustworthy.
#[allow(clippy::many_single_char_names)] // a–e and h are the standard's names
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, &wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (hi, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *hi = hi.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, v) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&v.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().fold(String::new(), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        })
    }

    #[test]
    fn sha1_and_hmac_match_published_vectors() {
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        // RFC 2202, test case 2.
        assert_eq!(
            hex(&hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
    }

    #[test]
    fn base64_round_trips() {
        for data in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar"] {
            assert_eq!(base64_decode(&base64_encode(data)).as_deref(), Some(data));
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_decode("not base64!"), None);
    }

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
