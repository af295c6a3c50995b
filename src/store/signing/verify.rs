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
use git2::{Commit, ObjectType, Oid, Repository, Tree};
use serde::Serialize;
use ssh_key::SshSig;

use super::allowed::{self, AllowedSigner};
use super::{ALLOWED_SIGNERS, NAMESPACE};
use crate::error::Result;
use crate::msg::Message;
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

/// The signature checks (module header), one commit at a time, parents
/// first, in `verify`'s walk over the records.
#[derive(Default)]
pub struct Signatures {
    summary: SignatureSummary,
    problems: Vec<Problem>,
    /// `allowed_signers` files read so far, by blob.
    parsed: HashMap<Oid, Vec<AllowedSigner>>,
}

impl Signatures {
    /// Starts the checks; with `require`, unsigned record commits are
    /// problems.
    pub fn new(require: bool) -> Self {
        Self {
            summary: SignatureSummary {
                required: require,
                ..SignatureSummary::default()
            },
            ..Self::default()
        }
    }

    /// Checks one commit, whose tree is `tree` and whose first parent's
    /// tree is `parent_tree`.
    pub fn commit(
        &mut self,
        repo: &Repository,
        commit: &Commit<'_>,
        tree: &Tree<'_>,
        parent_tree: Option<&Tree<'_>>,
    ) -> Result<()> {
        let parent_file = parent_tree.and_then(allowed_blob);
        let file = parent_file.or_else(|| allowed_blob(tree));
        let signers: &[AllowedSigner] = match file {
            Some(blob) => self.parsed.entry(blob).or_insert_with(|| {
                repo.find_blob(blob)
                    .ok()
                    .map(|b| allowed::parse(&String::from_utf8_lossy(b.content())))
                    .unwrap_or_default()
            }),
            None => &[],
        };
        let Some((signature, signed)) = signature_of(repo, commit)? else {
            self.summary.unsigned += 1;
            let changed = first_record(tree, parent_tree);
            if let (true, Some(_), Some(path)) = (self.summary.required, parent_file, changed) {
                self.problems.push(problem(
                    Some(commit),
                    ProblemKind::Unsigned,
                    &path,
                    Message::new(
                        "コミットはこれを記録していますが、署名がありません（署名が必要です）",
                        "the commit records this but is not signed (signatures are required)",
                    ),
                ));
            }
            return Ok(());
        };
        match judge(commit, &signature, &signed, signers) {
            Ok(()) => self.summary.signed += 1,
            Err((kind, why)) => self.problems.push(problem(
                Some(commit),
                kind,
                &first_record(tree, parent_tree).unwrap_or_default(),
                why,
            )),
        }
        Ok(())
    }

    /// What the checks found.
    pub fn finish(self) -> (SignatureSummary, Vec<Problem>) {
        (self.summary, self.problems)
    }
}

/// The commit's signature and the data it signs (git's `gpgsig` header),
/// or `None` when it is not signed. A commit whose header and message do
/// not even contain `gpgsig` is not read again from the object database.
fn signature_of(repo: &Repository, commit: &Commit<'_>) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
    let mentions = |bytes: &[u8]| bytes.windows(6).any(|w| w == b"gpgsig");
    if !mentions(commit.raw_header_bytes()) && !mentions(commit.message_raw_bytes()) {
        return Ok(None);
    }
    match repo.extract_signature(&commit.id(), None) {
        Ok((signature, signed)) => Ok(Some((signature.to_vec(), signed.to_vec()))),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
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
) -> std::result::Result<(), (ProblemKind, Message)> {
    let bad = |why: Message| (ProblemKind::BadSignature, why);
    let text = String::from_utf8_lossy(signature);
    if !text
        .trim_start()
        .starts_with("-----BEGIN SSH SIGNATURE-----")
    {
        return Err(bad(Message::new(
            "コミットの署名が SSH 署名ではありません。tenken が確認するのは git の SSH 署名（gpg.format=ssh）だけです",
            "the commit's signature is not an SSH signature; tenken verifies git's SSH signatures (gpg.format=ssh) only",
        )));
    }
    let sig = SshSig::from_pem(text.trim().as_bytes()).map_err(|e| {
        bad(Message::new(
            format!("コミットの SSH 署名を読み取れません（{e}）"),
            format!("the commit's SSH signature does not parse ({e})"),
        ))
    })?;
    if sig.namespace() != NAMESPACE {
        let namespace = crate::escape::line(sig.namespace());
        return Err(bad(Message::new(
            format!("署名の名前空間が `{NAMESPACE}` ではなく `{namespace}` です"),
            format!("the signature is for namespace `{namespace}`, not `{NAMESPACE}`"),
        )));
    }
    let key = ssh_key::PublicKey::from(sig.public_key().clone());
    key.verify(NAMESPACE, signed, &sig).map_err(|_| {
        bad(Message::new(
            "署名がコミットと合いません。署名の後に変更されたか、署名が示すのとは別の鍵で署名されています",
            "the signature does not match the commit: it was changed after it was signed, or signed by another key than it names",
        ))
    })?;
    let fingerprint = key.fingerprint(ssh_key::HashAlg::Sha256).to_string();
    let unknown = |why: Message| (ProblemKind::UnknownSigner, why);
    let listed: Vec<&AllowedSigner> = signers
        .iter()
        .filter(|s| s.key.key_data() == sig.public_key())
        .collect();
    if listed.is_empty() {
        return Err(unknown(Message::new(
            format!(
                "{fingerprint} で署名されていますが、この鍵はこのコミットの時点で {ALLOWED_SIGNERS} にありません"
            ),
            format!(
                "signed by {fingerprint}, a key that {ALLOWED_SIGNERS} did not list as of this commit"
            ),
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
        Message::new(
            format!(
                "{ALLOWED_SIGNERS} は {fingerprint} を `git` 以外の名前空間にしか認めていません"
            ),
            format!("{ALLOWED_SIGNERS} lists {fingerprint} only for other namespaces than `git`"),
        )
    } else if !listed.iter().any(|s| s.allows_principal(&email)) {
        let principals = crate::escape::line(&listed[0].principals);
        let email = crate::escape::line(&email);
        Message::new(
            format!(
                "{fingerprint} で署名されていますが、{ALLOWED_SIGNERS} がこの鍵を認めるのは `{principals}` で、作成者 `{email}` ではありません"
            ),
            format!(
                "signed by {fingerprint}, which {ALLOWED_SIGNERS} lists for `{principals}`, not for the author `{email}`"
            ),
        )
    } else {
        Message::new(
            format!(
                "{fingerprint} の署名が、{ALLOWED_SIGNERS} が署名を認める期間（valid-after/valid-before）の外です"
            ),
            format!(
                "signed by {fingerprint} outside the time {ALLOWED_SIGNERS} lets it sign (valid-after/valid-before)"
            ),
        )
    };
    Err(unknown(why))
}

fn committer_time(commit: &Commit<'_>) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(commit.committer().when().seconds(), 0)
}
