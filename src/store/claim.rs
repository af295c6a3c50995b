//! A session's claim on a draft, so that two sessions never overwrite each
//! other's answers: an OS file lock (std `File::try_lock`) on
//! `.tenken/drafts/<inspector>/<subject>/<inspection>.lock` (for the risk
//! assessment draft, `.tenken/risk-drafts/<inspector>.lock`). The lock is the
//! claim; the file's contents only name its holder (process id, host,
//! inspector, since when) for the message a second session shows.
//!
//! The kernel releases the lock when the holder closes the file or its
//! process ends in any way (`kill -9`, a dropped SSH link), so a claim is
//! free again as soon as its owner is gone, without any clean-up. The lock
//! file itself stays: removing it while another process opens it would let
//! two sessions lock two different files.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::draft::create_private_dir;
use super::{Store, contain, ron_text};
use crate::clock::Clock;
use crate::error::Error;
use crate::load;
use crate::model::Id;

/// Who holds a claim, as its lock file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimHolder {
    /// The holding process.
    pub pid: u32,
    /// The machine it runs on.
    pub host: String,
    /// The inspector whose session it is.
    pub inspector: Id,
    /// When the session claimed the draft.
    pub since: DateTime<FixedOffset>,
}

/// A session's claim on one draft; dropping it (or the process ending)
/// releases it.
#[derive(Debug)]
pub struct DraftClaim {
    file: File,
    path: PathBuf,
    holder: ClaimHolder,
}

impl DraftClaim {
    /// Returns the lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Returns what the lock file says about this claim.
    pub fn holder(&self) -> &ClaimHolder {
        &self.holder
    }
}

impl Drop for DraftClaim {
    fn drop(&mut self) {
        // Closing the file would release the lock too; unlocking first makes
        // the release independent of when the descriptor is closed.
        let _ = self.file.unlock();
    }
}

/// Why a draft could not be claimed.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// Another session holds the claim; `holder` is what its lock file
    /// says (`None` when it could not be read, for example while the other
    /// session is still writing it).
    #[error("{}", held_message(.holder.as_ref()))]
    Held {
        /// The other session, if its lock file could be read.
        holder: Option<ClaimHolder>,
    },
    /// The lock file could not be created or locked.
    #[error(transparent)]
    Failed(#[from] Error),
}

fn held_message(holder: Option<&ClaimHolder>) -> crate::msg::Message {
    let shown = holder.map(|h| {
        (
            crate::escape::line(&h.host),
            h.since.format("%Y-%m-%d %H:%M %:z").to_string(),
        )
    });
    crate::msg::commit::draft_held(
        holder
            .zip(shown.as_ref())
            .map(|(h, (host, since))| (h.inspector.as_str(), h.pid, host.as_str(), since.as_str())),
    )
}

impl From<ClaimError> for Error {
    fn from(e: ClaimError) -> Self {
        match e {
            ClaimError::Held { holder } => Error::user_hint(
                held_message(holder.as_ref()),
                crate::msg::commit::DRAFT_HELD_HINT,
            ),
            ClaimError::Failed(e) => e,
        }
    }
}

impl Store {
    /// Claims the draft of `inspector` for `subject` and `inspection` for
    /// this session (whether the draft exists yet or not).
    ///
    /// Fails with [`ClaimError::Held`] naming the other session when one
    /// holds it; never waits.
    pub fn claim_draft(
        &self,
        inspector: &Id,
        subject: &Id,
        inspection: &Id,
        clock: Clock,
    ) -> std::result::Result<DraftClaim, ClaimError> {
        let dir = self.drafts_dir(inspector);
        create_private_dir(&self.root, &dir)?;
        let dir = dir.join(subject.as_str());
        create_private_dir(&self.root, &dir)?;
        self.claim(dir.join(format!("{inspection}.lock")), inspector, clock)
    }

    /// Claims the risk assessment draft of `inspector` for this session
    /// (whether the draft exists yet or not): the lock is
    /// `.tenken/risk-drafts/<inspector>.lock`, beside the draft.
    ///
    /// Fails with [`ClaimError::Held`] naming the other session when one
    /// holds it; never waits.
    pub fn claim_risk_draft(
        &self,
        inspector: &Id,
        clock: Clock,
    ) -> std::result::Result<DraftClaim, ClaimError> {
        let path = self.risk_draft_file(inspector).with_extension("lock");
        if let Some(dir) = path.parent() {
            create_private_dir(&self.root, dir)?;
        }
        self.claim(path, inspector, clock)
    }

    /// Claims the register form of `inspector` for this session: the new
    /// subject's form (`editing` is `None`) or the edit of one subject. The
    /// lock sits beside the form's typing file
    /// (`.tenken/typing/<inspector>/register/add.lock`,
    /// `register/edit/<subject>.lock`), so two sessions never type into
    /// one file.
    ///
    /// Fails with [`ClaimError::Held`] naming the other session when one
    /// holds it; never waits.
    pub fn claim_register_form(
        &self,
        inspector: &Id,
        editing: Option<&Id>,
        clock: Clock,
    ) -> std::result::Result<DraftClaim, ClaimError> {
        let file = Self::register_typing_file(inspector, editing);
        self.create_typing_dirs(inspector, &file)?;
        self.claim(
            self.root.join(file.with_extension("lock")),
            inspector,
            clock,
        )
    }

    /// Opens (creating it if need be) and locks the claim file at `path`.
    fn claim(
        &self,
        path: PathBuf,
        inspector: &Id,
        clock: Clock,
    ) -> std::result::Result<DraftClaim, ClaimError> {
        // Opened in place, so it must not be a link to a file elsewhere.
        contain::check_not_link(&self.root, &path)?;
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let rel = path.strip_prefix(&self.root).unwrap_or(&path);
                let holder = load::read(load::Source::repo(&self.root, rel))
                    .ok()
                    .and_then(|src| load::parse::<ClaimHolder>(rel, &src).ok());
                return Err(ClaimError::Held { holder });
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e).into()),
        }
        let holder = ClaimHolder {
            pid: std::process::id(),
            host: host_name(),
            inspector: inspector.clone(),
            since: clock.now(),
        };
        // Only the holder writes the file, in place (a new file would not
        // carry the lock): best effort, it only makes the message better.
        let text = ron_text(&holder)?;
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(text.as_bytes()))
            .and_then(|()| file.sync_data());
        Ok(DraftClaim { file, path, holder })
    }
}

/// Returns this machine's name, or `unknown host`.
fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| {
            load::read(load::Source::given(Path::new(p)))
                .ok()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        })
        .or_else(|| std::env::var("HOSTNAME").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown host".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{clock, test_store};

    fn id(s: &str) -> Id {
        Id::new(s).unwrap()
    }

    #[test]
    fn a_second_claim_is_refused_with_the_holder_until_the_first_is_dropped() {
        let (_dir, store) = test_store();
        let (sato, subject, inspection) = (id("sato"), id("self"), id("test-five"));
        let first = store
            .claim_draft(&sato, &subject, &inspection, clock())
            .unwrap();
        assert_eq!(
            first.path(),
            store.root().join(".tenken/drafts/sato/self/test-five.lock")
        );
        let Err(ClaimError::Held { holder }) =
            store.claim_draft(&sato, &subject, &inspection, clock())
        else {
            panic!("a second claim in the same process must be refused")
        };
        let holder = holder.expect("the holder is named");
        assert_eq!(holder, *first.holder());
        assert_eq!(holder.pid, std::process::id());
        assert_eq!(holder.inspector, sato);
        assert_eq!(holder.since, clock().now());
        assert!(!holder.host.is_empty());
        let err = Error::from(ClaimError::Held {
            holder: Some(holder.clone()),
        });
        assert_eq!(
            err.to_string(),
            format!(
                "this draft is open in another session: inspector `sato`, process {} on {}, since 2026-11-25 09:30 +09:00",
                holder.pid, holder.host
            )
        );
        // Another draft is another claim.
        let other = store
            .claim_draft(&sato, &id("hq"), &inspection, clock())
            .unwrap();
        drop(first);
        let again = store
            .claim_draft(&sato, &subject, &inspection, clock())
            .unwrap();
        drop((other, again));
        // Claims never show up as drafts.
        assert_eq!(store.drafts(&sato).unwrap(), Vec::new());
    }

    #[test]
    fn the_risk_draft_has_its_own_claim_per_inspector() {
        let (_dir, store) = test_store();
        let (sato, suzuki) = (id("sato"), id("suzuki"));
        let first = store.claim_risk_draft(&sato, clock()).unwrap();
        assert_eq!(
            first.path(),
            store.root().join(".tenken/risk-drafts/sato.lock")
        );
        let Err(ClaimError::Held {
            holder: Some(holder),
        }) = store.claim_risk_draft(&sato, clock())
        else {
            panic!("a second claim of the risk draft must be refused")
        };
        assert_eq!(holder, *first.holder());
        // Another inspector's risk draft, and a run draft whose subject is
        // named like the file, are other claims.
        let other = store.claim_risk_draft(&suzuki, clock()).unwrap();
        let run = store
            .claim_draft(&sato, &id("sato.lock"), &id("x"), clock())
            .unwrap();
        drop((first, other, run));
        store.claim_risk_draft(&sato, clock()).unwrap();
        assert_eq!(store.load_risk_draft(&sato).unwrap(), None);
    }
}
