//! The history as read back: a run with its score, the template it was
//! scored against, where it stands in git, and whether a later record took
//! it out of the current set (a correction or a withdrawal). Plain data;
//! `store` builds it, `score` computes the numbers.

use std::sync::Arc;

use serde::Serialize;

use super::{Band, Brief, BriefAnswer, Inspection, Run, Text, Withdrawal};

/// The computed result of a run against its template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Sum of weighted points of the answered, applicable items.
    pub score: i64,
    /// Sum of each applicable item's best weighted points.
    pub max: i64,
    /// Items answered (not-applicable answers included).
    pub answered: usize,
    /// Items with no answer; they count in `max` and score nothing.
    pub unanswered: usize,
    /// Items answered "not applicable"; left out of score and maximum.
    pub not_applicable: usize,
    /// Answers still marked as carried from the previous run.
    pub carried: usize,
}

impl Score {
    /// Returns score / max as a percentage (0 when nothing is applicable).
    #[allow(clippy::cast_precision_loss)] // scores are far below 2^52
    pub fn percent(&self) -> f64 {
        if self.max == 0 {
            0.0
        } else {
            self.score as f64 * 100.0 / self.max as f64
        }
    }

    /// Returns the band of the template this score lands in.
    pub fn band<'a>(&self, inspection: &'a Inspection) -> Option<&'a Band> {
        inspection.band(self.percent())
    }
}

/// Where a run file stands against the commit HEAD points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    /// Committed, and the work tree holds exactly the committed file.
    Committed,
    /// In the work tree only: never committed.
    Uncommitted,
    /// Committed, but the work tree (or the index) holds another version;
    /// unless uncommitted files are asked for, the committed one is used.
    Modified,
    /// Committed, but missing from the work tree; the committed file is used.
    Deleted,
}

impl RunStatus {
    /// Returns the status as JSON names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Committed => "committed",
            Self::Uncommitted => "uncommitted",
            Self::Modified => "modified",
            Self::Deleted => "deleted",
        }
    }

    /// Returns true when the data shown is what HEAD's commit holds.
    pub fn is_committed_content(self) -> bool {
        !matches!(self, Self::Uncommitted)
    }
}

/// A git commit id: its 20 bytes (an entry of a long history holds one),
/// shown (`Display`, and serialised as a string) the way git writes it: 40
/// lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommitId(pub [u8; 20]);

impl CommitId {
    /// Returns the id in lowercase hex, as git writes it.
    pub fn hex(self) -> String {
        base16ct::lower::encode_string(&self.0)
    }
}

impl std::fmt::Display for CommitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut hex = [0u8; 40];
        let hex = base16ct::lower::encode_str(&self.0, &mut hex).map_err(|_| std::fmt::Error)?;
        f.pad(hex)
    }
}

impl Serialize for CommitId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One run of the history with its computed score.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// The run. Its `answers` are empty unless the whole file was read
    /// (`Store::full_run`); `brief` always has them in brief.
    pub run: Run,
    /// The run's answers in brief (choices, carried marks, actions; notes
    /// and evidence only flagged), against `template`.
    pub brief: Brief,
    /// The template the run is scored against: the one whose content hash
    /// the run recorded (or, for older runs, the one in the commit that
    /// added it).
    pub template: Arc<Inspection>,
    /// Its score against that template.
    pub score: Score,
    /// `score.percent()`.
    pub percent: f64,
    /// The commit that added the run file, or `None` while it is not
    /// committed.
    pub commit: Option<CommitId>,
    /// Where the run file stands against HEAD.
    pub status: RunStatus,
    /// The git blob id of the committed run file, when the history was
    /// read through the index and the work tree held that blob: reading
    /// the run whole (`Store::full_run`) then proves the work-tree file by
    /// this id instead of opening the repository. `None` otherwise.
    pub blob: Option<[u8; 20]>,
    /// The run that corrects this one, if any (the latest, should two
    /// corrections name it).
    pub superseded_by: Option<String>,
    /// The withdrawal of this run, if it was withdrawn (boxed: few runs
    /// are, and every entry of a long history would carry its size).
    pub withdrawn: Option<Box<Withdrawal>>,
}

impl HistoryEntry {
    /// Returns true when the run is part of the current record: neither
    /// superseded by a correction nor withdrawn.
    pub fn is_current(&self) -> bool {
        self.superseded_by.is_none() && self.withdrawn.is_none()
    }

    /// Returns the label of the band the score lands in, if the template
    /// has bands (worked out when asked: kept in every entry of a long
    /// history, two label copies an entry cost more than the lookup).
    pub fn band(&self) -> Option<&Text> {
        self.template.band(self.percent).map(|b| &b.label)
    }

    /// Returns the answered items in walk order, in brief.
    pub fn answers(&self) -> impl Iterator<Item = BriefAnswer<'_>> {
        self.brief.iter(&self.template)
    }

    /// Returns the run with its answers in brief filled in (notes and
    /// evidence left empty), for comparisons and trends, which never show
    /// them; the run itself when its whole file was read.
    pub fn brief_run(&self) -> Run {
        let mut run = self.run.clone();
        if run.answers.is_empty() {
            run.answers = self.brief.to_answers(&self.template);
        }
        run
    }
}

impl AsRef<Run> for HistoryEntry {
    fn as_ref(&self) -> &Run {
        &self.run
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use proptest::prelude::*;

    use super::CommitId;

    proptest! {
        /// A commit id is written as git writes it, wherever it is shown:
        /// hex, `Display` (padding honoured) and JSON.
        #[test]
        fn a_commit_id_is_written_as_forty_lowercase_hex_digits(bytes in any::<[u8; 20]>()) {
            let git = bytes.iter().fold(String::new(), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            });
            let id = CommitId(bytes);
            prop_assert_eq!(id.hex(), git.clone());
            prop_assert_eq!(id.to_string(), git.clone());
            prop_assert_eq!(format!("{id:>42}|{id:<41}|"), format!("  {git}|{git} |"));
            prop_assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{git}\""));
        }
    }
}
