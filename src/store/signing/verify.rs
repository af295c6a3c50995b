//! `verify`'s signature checks: every commit reachable from HEAD that
//! carries a signature must carry a good SSH signature (namespace `git`)
//! by a key that `allowed_signers` listed *as of that commit* for the
//! commit's author, valid at its committer time; and, when signatures are
//! required, every commit that records something (runs, risks, withdrawals,
//! evidence, the register) must be signed.
//!
//! "As of that commit" is the file in the first parent's tree: a commit
//! cannot vouch for itself by adding its own key, and a key added later
//! never vouches for older commits. The commit that first adds
//! `allowed_signers` (no parent has one) is checked against its own file,
//! and the requirement to sign starts after it, so a repository that
//! starts signing is not failed for its unsigned past.
//!
//! The cryptographic check agrees with `git verify-commit` (same signed
//! buffer: the commit without its `gpgsig` header; same SSHSIG rules);
//! tenken is stricter in two places, both reported as `unknown-signer`:
//! the key's principals must match the author's e-mail, and `valid-after`/
//! `valid-before` are compared with the committer time. Reads git only.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use git2::{Commit, ObjectType, Oid, Repository, Sort, Tree};
use serde::Serialize;
use ssh_key::SshSig;

use super::allowed::{self, AllowedSigner};
use super::{ALLOWED_SIGNERS, NAMESPACE};
use crate::error::Result;
use crate::store::evidence::verify::problem;
use crate::store::verify::{Problem, ProblemKind};

/// What the signature checks found, besides problems.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SignatureSummary {
    /// Commits with a good, allowed signature.
    pub signed: usize,
    /// Commits without a signature.
    pub unsigned: usize,
    /// Whether unsigned record commits count as problems.
    pub required: bool,
}

/// The folders and files whose change makes a commit a record commit.
const RECORDS: [&str; 7] = [
    "runs",
    "risks",
    "withdrawals",
    "evidence",
    "subjects.ron",
    "roles.ron",
    ALLOWED_SIGNERS,
];

/// Checks every commit from HEAD; see the module header.
pub fn check(repo: &Repository, require: bool) -> Result<(SignatureSummary, Vec<Problem>)> {
    let mut summary = SignatureSummary {
        required: require,
        ..SignatureSummary::default()
    };
    let mut problems = Vec::new();
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    if walk.push_head().is_err() {
        return Ok((summary, problems));
    }
    let mut parsed: HashMap<Oid, Vec<AllowedSigner>> = HashMap::new();
    for oid in walk {
        let oid = oid?;
        let commit = repo.find_commit(oid)?;
        let tree = commit.tree()?;
        let parent_tree = match commit.parents().next() {
            Some(p) => Some(p.tree()?),
            None => None,
        };
        let parent_file = parent_tree.as_ref().and_then(allowed_blob);
        let file = parent_file.or_else(|| allowed_blob(&tree));
        let signers: &[AllowedSigner] = match file {
            Some(blob) => parsed.entry(blob).or_insert_with(|| {
                repo.find_blob(blob)
                    .ok()
                    .map(|b| allowed::parse(&String::from_utf8_lossy(b.content())))
                    .unwrap_or_default()
            }),
            None => &[],
        };
        match repo.extract_signature(&oid, None) {
            Ok((signature, signed)) => match judge(&commit, &signature, &signed, signers) {
                Ok(()) => summary.signed += 1,
                Err((kind, why)) => problems.push(problem(
                    Some(&commit),
                    kind,
                    &first_record(&tree, parent_tree.as_ref()).unwrap_or_default(),
                    why,
                )),
            },
            Err(e) if e.code() == git2::ErrorCode::NotFound => {
                summary.unsigned += 1;
                let changed = first_record(&tree, parent_tree.as_ref());
                if let (true, Some(_), Some(path)) = (require, parent_file, changed) {
                    problems.push(problem(
                        Some(&commit),
                        ProblemKind::Unsigned,
                        &path,
                        "the commit records this but is not signed (signatures are required)"
                            .into(),
                    ));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok((summary, problems))
}

/// The blob of `allowed_signers` in `tree`, if there is one.
fn allowed_blob(tree: &Tree<'_>) -> Option<Oid> {
    tree.get_name(ALLOWED_SIGNERS)
        .filter(|e| e.kind() == Some(ObjectType::Blob))
        .map(|e| e.id())
}

/// The first record path (folder or file) a commit changed against its
/// first parent, if any.
fn first_record(tree: &Tree<'_>, parent: Option<&Tree<'_>>) -> Option<String> {
    RECORDS
        .iter()
        .find(|name| {
            let now = tree.get_name(name).map(|e| e.id());
            let before = parent.and_then(|p| p.get_name(name)).map(|e| e.id());
            now != before
        })
        .map(|s| (*s).to_owned())
}

/// Decides whether a commit's signature is good and allowed.
fn judge(
    commit: &Commit<'_>,
    signature: &[u8],
    signed: &[u8],
    signers: &[AllowedSigner],
) -> std::result::Result<(), (ProblemKind, String)> {
    let bad = |why: String| (ProblemKind::BadSignature, why);
    let text = String::from_utf8_lossy(signature);
    if !text
        .trim_start()
        .starts_with("-----BEGIN SSH SIGNATURE-----")
    {
        return Err(bad(
            "the commit's signature is not an SSH signature; tenken verifies git's SSH signatures (gpg.format=ssh) only".into(),
        ));
    }
    let sig = SshSig::from_pem(text.trim().as_bytes())
        .map_err(|e| bad(format!("the commit's SSH signature does not parse ({e})")))?;
    if sig.namespace() != NAMESPACE {
        return Err(bad(format!(
            "the signature is for namespace `{}`, not `{NAMESPACE}`",
            crate::escape::line(sig.namespace())
        )));
    }
    let key = ssh_key::PublicKey::from(sig.public_key().clone());
    key.verify(NAMESPACE, signed, &sig).map_err(|_| {
        bad("the signature does not match the commit: it was changed after it was signed, or signed by another key than it names".into())
    })?;
    let fingerprint = key.fingerprint(ssh_key::HashAlg::Sha256).to_string();
    let unknown = |why: String| (ProblemKind::UnknownSigner, why);
    let listed: Vec<&AllowedSigner> = signers
        .iter()
        .filter(|s| s.key.key_data() == sig.public_key())
        .collect();
    if listed.is_empty() {
        return Err(unknown(format!(
            "signed by {fingerprint}, a key that {ALLOWED_SIGNERS} did not list as of this commit"
        )));
    }
    let author = commit.author();
    let email = String::from_utf8_lossy(author.email_bytes()).into_owned();
    let when = committer_time(commit);
    let fits = |s: &&AllowedSigner| {
        s.allows_namespace(NAMESPACE)
            && s.allows_principal(&email)
            && when.is_none_or(|t| s.valid_at(t))
    };
    if listed.iter().any(fits) {
        return Ok(());
    }
    let why = if !listed.iter().any(|s| s.allows_namespace(NAMESPACE)) {
        format!("{ALLOWED_SIGNERS} lists {fingerprint} only for other namespaces than `git`")
    } else if !listed.iter().any(|s| s.allows_principal(&email)) {
        format!(
            "signed by {fingerprint}, which {ALLOWED_SIGNERS} lists for `{}`, not for the author `{}`",
            crate::escape::line(&listed[0].principals),
            crate::escape::line(&email)
        )
    } else {
        format!(
            "signed by {fingerprint} outside the time {ALLOWED_SIGNERS} lets it sign (valid-after/valid-before)"
        )
    };
    Err(unknown(why))
}

fn committer_time(commit: &Commit<'_>) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(commit.committer().when().seconds(), 0)
}
