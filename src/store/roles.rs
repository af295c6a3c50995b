//! Committed edits of the management structure (`roles.ron`), the same
//! way as the subject register: validated first, committed alone from
//! memory under the repository lock, then written to the work tree (see
//! `register.rs` for the crash guarantees).

use std::path::PathBuf;

use super::lock::{LOCK_WAIT, RepoLock};
use super::{ROLES_FILE, STATE_DIR, Store, git, ron_text};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::load;
use crate::model::Roles;

/// The comment a rewritten `roles.ron` opens with, so that the file still
/// says how it is written after the starter's comments are gone.
const HEADER: &str = "\
// The management structure: roles (the guideline's tables 8 and 9), who holds
// them, and the information-security committee. A holder is
// `Inspector(\"<inspector id>\")` or `Person(\"<name>\")`; a corrective action's
// owner may name a role as `role:<id>`. Change it with
// `tenken roles set ROLE HOLDER…` (committed), or edit it and run `tenken check`.
";

impl Store {
    /// Replaces `roles.ron` with `roles` and commits only that file.
    ///
    /// The register is validated before anything is written.
    pub fn save_roles(
        &self,
        roles: &Roles,
        who: &git::Identity,
        message: &str,
        clock: Clock,
    ) -> Result<String> {
        let text = format!("{HEADER}{}", ron_text(roles)?);
        let rel = PathBuf::from(ROLES_FILE);
        let diags = load::validate_roles(&rel, &text, roles);
        if !diags.is_empty() {
            return Err(Error::Invalid(diags));
        }
        let repo = git::open(&self.root)?;
        git::check_committable(&repo)?;
        let _lock = RepoLock::acquire(&self.root.join(STATE_DIR), LOCK_WAIT)?;
        self.recover_locked(&repo)?;
        self.commit_edit(&repo, rel, text.into_bytes(), true, who, message, clock)
    }
}
