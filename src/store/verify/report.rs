//! What `verify` reports: counts, withdrawals, where a shallow history
//! stops, and every problem with the commit, author and date it came from.

use chrono::{DateTime, FixedOffset};
use git2::Commit;
use serde::Serialize;

use crate::msg::Message;

/// What `tenken verify` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    /// Distinct run files ever committed.
    pub runs: usize,
    /// Distinct risk assessment files ever committed.
    pub risks: usize,
    /// Every withdrawal ever committed, in history order: the runs that
    /// left the current set, and why.
    pub withdrawals: Vec<WithdrawalNote>,
    /// Commits walked.
    pub commits: usize,
    /// Where the history of a shallow clone stops (commit ids); empty for a
    /// complete one. What lies before them was not verified.
    pub shallow: Vec<String>,
    /// Every problem, in history order (oldest commit first).
    pub problems: Vec<Problem>,
    /// Signed and unsigned commits (`store/signing/verify.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signatures: Option<crate::store::SignatureSummary>,
}

impl VerifyReport {
    /// Returns true when no problem was found.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A committed withdrawal, as `verify` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct WithdrawalNote {
    /// The run withdrawn.
    pub run: String,
    /// Why.
    pub reason: String,
    /// Who withdrew it (the name the withdrawal records).
    pub by: String,
    /// The e-mail of who withdrew it.
    pub email: String,
    /// When, RFC 3339.
    pub date: DateTime<FixedOffset>,
    /// The commit that added the withdrawal.
    pub commit: String,
}

/// What is wrong with one file in one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A committed record was changed by a later commit.
    Modified,
    /// A committed record was deleted by a later commit (a merge that
    /// drops a parent's record included).
    Deleted,
    /// A record's mode is not a plain file's: it was made a symbolic link
    /// or executable, or committed as one.
    Mode,
    /// A committed record does not parse, or its id does not match its path.
    Unparsable,
    /// A commit touched `runs/` (or `withdrawals/`) without a
    /// `Tenken-Run:` (or `Tenken-Withdraws:`) trailer.
    MissingTrailer,
    /// A commit added a record its trailer does not name.
    TrailerMismatch,
    /// A run supersedes a run that was never committed.
    MissingSuperseded,
    /// A withdrawal names a run that was never committed.
    MissingWithdrawn,
    /// A committed record differs from HEAD in the work tree or index.
    Uncommitted,
    /// A run names an evidence file HEAD does not have with its digest.
    EvidenceMissing,
    /// A commit changed or deleted a committed evidence file.
    EvidenceChanged,
    /// A file under `evidence/` is not named by its content's SHA-256 (or
    /// is not a regular file).
    EvidenceMisnamed,
    /// A commit that records something is not signed, and signatures are
    /// required.
    Unsigned,
    /// A commit's signature is not a good SSH signature of it.
    BadSignature,
    /// A commit is signed by a key `allowed_signers` did not allow for its
    /// author at that time.
    UnknownSigner,
    /// The history no longer contains the commit tenken last saw: it was
    /// rewritten.
    Rewritten,
}

impl ProblemKind {
    /// Returns the kind's name as used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Modified => "modified",
            Self::Deleted => "deleted",
            Self::Mode => "mode",
            Self::Unparsable => "unparsable",
            Self::MissingTrailer => "missing-trailer",
            Self::TrailerMismatch => "trailer-mismatch",
            Self::MissingSuperseded => "missing-superseded",
            Self::MissingWithdrawn => "missing-withdrawn",
            Self::Uncommitted => "uncommitted",
            Self::EvidenceMissing => "evidence-missing",
            Self::EvidenceChanged => "evidence-changed",
            Self::EvidenceMisnamed => "evidence-misnamed",
            Self::Unsigned => "unsigned",
            Self::BadSignature => "bad-signature",
            Self::UnknownSigner => "unknown-signer",
            Self::Rewritten => "rewritten",
        }
    }
}

/// One problem found by `verify`.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// What is wrong.
    pub kind: ProblemKind,
    /// The file, relative to the repository root (the branch, for a
    /// rewritten history).
    pub path: String,
    /// The commit that made the change (full hex id); `None` for the work
    /// tree.
    pub commit: Option<String>,
    /// The commit's author name.
    pub author: Option<String>,
    /// The commit's author e-mail.
    pub email: Option<String>,
    /// The author date, RFC 3339 with offset.
    pub time: Option<DateTime<FixedOffset>>,
    /// The author date as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// One sentence with the details (English in JSON).
    #[serde(serialize_with = "english")]
    pub detail: Message,
}

impl Problem {
    /// A problem not tied to a commit.
    pub(super) fn plain(kind: ProblemKind, path: &str, detail: Message) -> Self {
        Self {
            kind,
            path: path.to_owned(),
            commit: None,
            author: None,
            email: None,
            time: None,
            date: None,
            detail,
        }
    }
}

/// Where a problem was introduced.
#[derive(Clone)]
pub(super) struct At {
    pub(super) commit: String,
    author: String,
    email: String,
    time: Option<DateTime<FixedOffset>>,
}

impl At {
    pub(super) fn of(commit: &Commit<'_>) -> Self {
        let author = commit.author();
        Self {
            commit: commit.id().to_string(),
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            time: git_time(author.when()),
        }
    }

    pub(super) fn problem(&self, kind: ProblemKind, path: &str, detail: Message) -> Problem {
        Problem {
            commit: Some(self.commit.clone()),
            author: Some(self.author.clone()),
            email: Some(self.email.clone()),
            time: self.time,
            date: self.time.map(|t| t.format("%Y-%m-%d").to_string()),
            ..Problem::plain(kind, path, detail)
        }
    }
}

/// Writes a message's English form (JSON keys and values stay English).
fn english<S: serde::Serializer>(m: &Message, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(m.get(crate::model::Lang::En))
}

/// Converts a git timestamp to a date-time in its own offset.
pub(super) fn git_time(t: git2::Time) -> Option<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(t.offset_minutes() * 60)?;
    Some(DateTime::from_timestamp(t.seconds(), 0)?.with_timezone(&offset))
}

#[cfg(test)]
mod tests {
    use super::git_time;

    #[test]
    fn git_times_keep_their_offset() {
        let t = git_time(git2::Time::new(1_795_564_800, 540)).map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2026-11-25T09:00:00+09:00"));
    }
}
