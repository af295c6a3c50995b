//! git's (OpenSSH's) allowed signers file: one key per line,
//!
//! ```text
//! principals [options] keytype base64-key [comment]
//! sato@example.jp ssh-ed25519 AAAAC3Nza… sato's laptop
//! *@example.jp namespaces="git",valid-after="20260401" ssh-ed25519 AAAA… inspections server
//! ```
//!
//! Principals are a comma-separated list of patterns (`*`, `?`, and `!` to
//! exclude), matched against the e-mail of a commit's author. Options:
//! `namespaces="…"` (patterns; must allow `git`), `valid-after` and
//! `valid-before` (`YYYYMMDD[HHMM[SS]]`, UTC with a trailing `Z`, else
//! local time, as `ssh-keygen` reads them; compared with the commit's
//! committer time), `cert-authority` (certificates: not supported, such
//! lines are skipped). Lines that do not parse are skipped, as
//! `ssh-keygen` does. Pure; no I/O.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use ssh_key::PublicKey;

/// One line of the file.
#[derive(Debug, Clone)]
pub struct AllowedSigner {
    /// The principal patterns, as written.
    pub principals: String,
    /// The key.
    pub key: PublicKey,
    /// `namespaces="…"`, if given.
    pub namespaces: Option<String>,
    /// `valid-after`, if given.
    pub valid_after: Option<DateTime<Utc>>,
    /// `valid-before`, if given.
    pub valid_before: Option<DateTime<Utc>>,
}

impl AllowedSigner {
    /// Returns true when the line lists `principal` (an e-mail).
    pub fn allows_principal(&self, principal: &str) -> bool {
        match_list(&self.principals, principal)
    }

    /// Returns true when the line allows signatures in `namespace`.
    pub fn allows_namespace(&self, namespace: &str) -> bool {
        self.namespaces
            .as_deref()
            .is_none_or(|n| match_list(n, namespace))
    }

    /// Returns true when the key was valid at `time`.
    pub fn valid_at(&self, time: DateTime<Utc>) -> bool {
        self.valid_after.is_none_or(|a| time >= a) && self.valid_before.is_none_or(|b| time <= b)
    }
}

/// Parses the file; lines that do not parse are left out.
pub fn parse(text: &str) -> Vec<AllowedSigner> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<AllowedSigner> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (principals, rest) = token(line)?;
    let (next, after) = token(rest)?;
    let (options, key_text) = if is_key_type(&next) {
        (String::new(), rest)
    } else {
        (next, after)
    };
    let mut signer = AllowedSigner {
        principals: principals.replace('"', ""),
        key: PublicKey::from_openssh(key_text.trim()).ok()?,
        namespaces: None,
        valid_after: None,
        valid_before: None,
    };
    for option in split_options(&options) {
        let (name, value) = option.split_once('=').unwrap_or((option.as_str(), ""));
        let value = value.trim_matches('"');
        match name.to_ascii_lowercase().as_str() {
            "namespaces" => signer.namespaces = Some(value.to_owned()),
            "valid-after" => signer.valid_after = Some(parse_time(value)?),
            "valid-before" => signer.valid_before = Some(parse_time(value)?),
            // `cert-authority` (certificates) is not supported, and unknown
            // options make ssh-keygen refuse the line.
            _ => return None,
        }
    }
    Some(signer)
}

fn is_key_type(word: &str) -> bool {
    word.starts_with("ssh-") || word.starts_with("ecdsa-") || word.starts_with("sk-")
}

/// The first whitespace-separated token (a double-quoted part may hold
/// spaces; the quotes are kept), and the rest of the line.
fn token(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    if s.is_empty() {
        return None;
    }
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return Some((s[..i].to_owned(), &s[i..])),
            _ => {}
        }
    }
    Some((s.to_owned(), ""))
}

/// Splits `a,b="x,y",c` at the commas outside quotes.
fn split_options(options: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in options.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `YYYYMMDD[HHMM[SS]][Z]`: UTC with `Z`, else local time.
fn parse_time(value: &str) -> Option<DateTime<Utc>> {
    let (digits, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(d) => (d, true),
        None => (value, false),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let naive = match digits.len() {
        8 => NaiveDate::parse_from_str(digits, "%Y%m%d")
            .ok()?
            .and_hms_opt(0, 0, 0)?,
        12 => NaiveDateTime::parse_from_str(&format!("{digits}00"), "%Y%m%d%H%M%S").ok()?,
        14 => NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M%S").ok()?,
        _ => return None,
    };
    if utc {
        Some(Utc.from_utc_datetime(&naive))
    } else {
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// OpenSSH's pattern lists: comma-separated patterns with `*` and `?`; a
/// `!pattern` that matches refuses, else any positive match accepts.
pub fn match_list(list: &str, text: &str) -> bool {
    let mut accepted = false;
    for pattern in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if let Some(negated) = pattern.strip_prefix('!') {
            if glob(negated, text) {
                return false;
            }
        } else if glob(pattern, text) {
            accepted = true;
        }
    }
    accepted
}

/// `*` and `?` wildcards, case-insensitive as OpenSSH compares principals.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    // Iterative wildcard matching with one backtrack point.
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFYZjHQa9TSiZ7Uv0n5HAxYAOLfTXwsy3Vu1pHP0Fdr";

    #[test]
    fn reads_principals_options_and_keys() {
        let text = format!(
            "# who may sign\n\nsato@example.jp {KEY} sato's laptop\n\"*@example.jp,!evil@example.jp\" namespaces=\"git,file\",valid-after=\"20260401Z\",valid-before=\"20270331235959Z\" {KEY}\nx@y cert-authority {KEY}\nbroken line\nx@y bogus-option {KEY}\n"
        );
        let list = parse(&text);
        assert_eq!(list.len(), 2);
        assert!(list[0].allows_principal("sato@example.jp"));
        assert!(!list[0].allows_principal("suzuki@example.jp"));
        assert!(list[0].allows_namespace("git"));
        let server = &list[1];
        assert!(server.allows_principal("suzuki@example.jp"));
        assert!(server.allows_principal("SATO@Example.JP"));
        assert!(!server.allows_principal("evil@example.jp"));
        assert!(server.allows_namespace("git") && !server.allows_namespace("file2"));
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert!(!server.valid_at(t("2026-03-31T23:59:59Z")));
        assert!(server.valid_at(t("2026-04-01T00:00:00Z")));
        assert!(server.valid_at(t("2027-03-31T23:59:59Z")));
        assert!(!server.valid_at(t("2027-04-01T00:00:00Z")));
    }

    #[test]
    fn patterns_match_like_openssh() {
        assert!(match_list("*", "a@b"));
        assert!(match_list("a?c@*", "abc@x"));
        assert!(!match_list("a?c@*", "ac@x"));
        assert!(!match_list("", "a@b"));
        assert!(!match_list("!a@b", "a@b"));
        assert!(match_list(&"*".repeat(40), "a@b"));
    }
}
