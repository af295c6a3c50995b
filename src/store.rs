//! The inspection repository on disk: its layout, and every write to it.
//! The only module that writes files or touches git; paths are built only
//! from `Id`s.

mod atomic;
mod check;
mod claim;
mod contain;
mod correction;
mod draft;
mod evidence;
mod finish;
mod form_typing;
mod git;
mod history;
mod index;
mod intake;
mod known_hosts;
mod lock;
mod origin;
mod pending;
mod register;
mod report;
mod roles;
mod signing;
mod sync;
mod template_hashes;
mod templates;
#[cfg(test)]
mod testing;
mod typing;
mod verify;

use std::path::{Path, PathBuf};

use crate::bundle;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::load::{self, Catalog};
use crate::model::{self, Config, Id, Lang, Subject, SubjectKind, Subjects};

/// Kept here for callers from before the type moved to the model.
pub use crate::model::HistoryEntry;
pub use atomic::write_atomic;
pub use claim::{ClaimError, ClaimHolder, DraftClaim};
pub use correction::{WITHDRAWALS_DIR, WITHDRAWS_TRAILER, Withdrawn};
pub use draft::{DRAFTS_DIR, RISK_DRAFT_FILE, RISK_DRAFTS_DIR};
pub use evidence::{Attached, Attachment, INBOX_DIR, STAGED_DIR};
pub use finish::{Committed, RUNS_DIR, SUPERSEDES_TRAILER};
pub use form_typing::{RegisterTyping, RiskTyping};
pub use git::Identity;
pub use history::{HistoryFilter, Listing};
pub use lock::{LOCK_WAIT, RepoLock};
pub use origin::{Change, Origin};
pub use register::{DEMO_MARKER, RISKS_DIR};
pub use report::REPORTS_DIR;
pub use signing::verify::SignatureSummary;
pub use signing::{ALLOWED_SIGNERS, SIGNING_KEY_ENV, Signing};
pub use sync::{Integration, SyncOptions, SyncProgress, SyncReport};
pub use typing::{TYPING_DIR, TypedField, Typing};
pub use verify::{Problem, ProblemKind, RUN_TRAILER, SEEN_FILE, VerifyReport, WithdrawalNote};

/// The file that marks a directory as a tenken repository.
pub const CONFIG_FILE: &str = "tenken.ron";
/// The subject register.
pub const SUBJECTS_FILE: &str = "subjects.ron";
/// The management structure (roles of tables 8 and 9, the committee).
pub const ROLES_FILE: &str = "roles.ron";
/// Git-ignored working state: drafts, the lock, caches.
pub const STATE_DIR: &str = ".tenken";

/// An inspection repository.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    /// Opened by a restricted session: commits are signed with the
    /// server's key (`server_signing_key`) when one is set.
    restricted: bool,
}

/// What `tenken init` needs to know.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The organisation's name (also the name of the subject `self`).
    pub organisation: model::Name,
    /// The profile to activate.
    pub profile: Id,
    /// The first month of the fiscal year.
    pub fiscal_year_start: u32,
    /// The default language.
    pub lang: Lang,
}

impl Store {
    /// Opens the repository at `root` (which must contain `tenken.ron`).
    pub fn open(root: &Path) -> Result<Self> {
        if root.join(CONFIG_FILE).is_file() {
            Ok(Self {
                root: root.to_owned(),
                restricted: false,
            })
        } else {
            Err(Error::user_hint(
                crate::msg::errors::not_a_repository(&root.display().to_string()),
                crate::msg::errors::create_one_hint(),
            ))
        }
    }

    /// Finds the repository containing `start`, looking upwards like git.
    pub fn discover(start: &Path) -> Result<Self> {
        let mut dir = Some(start);
        while let Some(d) = dir {
            if d.join(CONFIG_FILE).is_file() {
                return Ok(Self {
                    root: d.to_owned(),
                    restricted: false,
                });
            }
            dir = d.parent();
        }
        Err(Error::user_hint(
            crate::msg::errors::no_repository(&start.display().to_string()),
            crate::msg::errors::name_repository_hint(),
        ))
    }

    /// Marks the store as opened by a restricted session (SSH forced
    /// command), which signs with the server's key.
    #[must_use]
    pub fn confined(mut self, restricted: bool) -> Self {
        self.restricted = restricted;
        self
    }

    /// Returns the repository's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Loads the configuration, register, templates and profiles.
    ///
    /// A broken template or profile is listed in [`Catalog::broken`] and
    /// disables only itself. A broken `tenken.ron` or `subjects.ron` fails
    /// the load ([`Error::Settings`]), with a hint per file naming the
    /// commit that last changed it (or the uncommitted change).
    pub fn catalog(&self) -> Result<Catalog> {
        let mut catalog = load::catalog(&self.root).map_err(|problems| {
            let mut files: Vec<&Path> = problems
                .iter()
                .map(|d| d.path.as_path())
                .filter(|p| {
                    [CONFIG_FILE, SUBJECTS_FILE, ROLES_FILE].contains(&&*p.to_string_lossy())
                })
                .collect();
            files.dedup();
            let hints = files.iter().map(|f| self.origin(f).hint(f)).collect();
            Error::Settings { problems, hints }
        })?;
        if !catalog.broken.is_empty() {
            let templates = templates::Templates::new(&self.root, &catalog.inspections);
            for b in &mut catalog.broken {
                b.origin = Some(self.origin(&b.path).hint(&b.path));
                if let (load::BrokenKind::Inspection, Some(id)) = (b.kind, &b.id) {
                    b.last_good = templates.newest_valid(id);
                }
            }
        }
        Ok(catalog)
    }

    /// Checks every file in the repository and returns all problems.
    ///
    /// Besides the files themselves, entries of HEAD's tree that tenken
    /// never takes from git are reported (anything under `.tenken/`, links
    /// out of the repository or into `.git`). Dates are checked against
    /// `now` (none may lie after its day).
    pub fn check(&self, now: chrono::DateTime<chrono::FixedOffset>) -> Vec<crate::Diagnostic> {
        let mut diags = intake::check_head(&self.root);
        diags.extend(check::check(self, now));
        diags
    }

    /// Creates a new repository in `dir` with the bundled checklists and one
    /// initial commit.
    pub fn init(dir: &Path, opts: &InitOptions, identity: &Identity, clock: Clock) -> Result<Self> {
        if dir.join(CONFIG_FILE).exists() {
            return Err(Error::user(crate::msg::repo::already_tenken(
                &dir.display().to_string(),
            )));
        }
        if !bundle::PROFILES
            .iter()
            .any(|p| p.name.strip_suffix(".ron") == Some(opts.profile.as_str()))
        {
            let known: Vec<&str> = bundle::PROFILES
                .iter()
                .filter_map(|p| p.name.strip_suffix(".ron"))
                .collect();
            return Err(Error::user(crate::msg::repo::unknown_profile(
                opts.profile.as_str(),
                &known.join(", "),
            )));
        }
        if !(1..=12).contains(&opts.fiscal_year_start) {
            return Err(Error::user(crate::msg::commit::bad_month(
                opts.fiscal_year_start,
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let store = Self {
            root: dir.to_owned(),
            restricted: false,
        };
        let config = Config::new(
            opts.organisation.clone(),
            opts.lang,
            opts.fiscal_year_start,
            vec![opts.profile.clone()],
        );
        let subjects = Subjects {
            format: model::FORMAT,
            subjects: vec![Subject {
                id: Id::new("self").map_err(|e| Error::Internal(e.to_string()))?,
                kind: SubjectKind::Organisation,
                name: opts.organisation.clone(),
                contact: model::Name::default(),
                services: Vec::new(),
                data_handled: Vec::new(),
                criticality: 3,
                tags: Vec::new(),
                retired: false,
            }],
        };
        let mut written = Vec::new();
        let mut put = |rel: String, contents: &str| -> Result<()> {
            let path = dir.join(&rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            write_atomic(&path, contents.as_bytes(), 0o644)?;
            written.push(PathBuf::from(rel));
            Ok(())
        };
        put(CONFIG_FILE.into(), &ron_text(&config)?)?;
        put(SUBJECTS_FILE.into(), &ron_text(&subjects)?)?;
        put(ROLES_FILE.into(), bundle::ROLES.contents)?;
        // A .gitignore already there (an existing git repository) keeps
        // its lines; tenken's state folder is added to them.
        let ignore = format!("/{STATE_DIR}/\n");
        let gitignore = match load::read(load::Source::Repo {
            root: dir,
            rel: Path::new(".gitignore"),
        }) {
            Ok(old) if old.lines().any(|l| l.trim() == ignore.trim()) => old,
            Ok(old) if old.is_empty() || old.ends_with('\n') => format!("{old}{ignore}"),
            Ok(old) => format!("{old}\n{ignore}"),
            Err(_) => ignore,
        };
        put(".gitignore".into(), &gitignore)?;
        for f in bundle::INSPECTIONS {
            put(format!("inspections/{}", f.name), f.contents)?;
        }
        for f in bundle::PROFILES {
            put(format!("profiles/{}", f.name), f.contents)?;
        }
        let message = format!(
            "init: tenken repository for {}",
            opts.organisation.get(opts.lang)
        );
        git::init_and_commit(
            dir,
            &written,
            identity,
            &message,
            clock,
            &Signing::from_env(dir),
        )?;
        Ok(store)
    }

    /// Returns how many commits the git repository at `dir` has and its
    /// latest commit (short id and subject), when `dir` is already one with
    /// commits: `tenken init` there adds to someone else's history.
    pub fn existing_git_history(dir: &Path) -> Option<(usize, String)> {
        git::existing_history(dir)
    }

    /// Walks the whole history and reports every committed run, risk
    /// assessment or withdrawal that was later modified, deleted (a merge
    /// dropping it included) or given another mode, every one that does
    /// not parse, every commit that added records without naming them in
    /// its trailers, and a history that no longer contains the commit last
    /// seen (`.tenken/seen`), unless `accept_rewrite`.
    ///
    /// One revwalk for the whole history; each commit is diffed against
    /// every parent, restricted to `runs/`, `risks/` and `withdrawals/`.
    /// Records HEAD in `.tenken/seen` afterwards.
    pub fn verify(&self, accept_rewrite: bool, require_signatures: bool) -> Result<VerifyReport> {
        verify::verify(&self.root, accept_rewrite, require_signatures)
    }

    /// Records HEAD as the last commit seen on its branch (`.tenken/seen`),
    /// so that `verify` notices a later history that no longer contains it.
    /// `sync` calls it after every successful sync.
    pub fn note_seen(&self) -> Result<()> {
        verify::note_seen(&self.root)
    }

    /// Fetches `opts.remote`, fast-forwards or merges its branch into the
    /// current one (a merge commit authored by `opts.identity`), then pushes.
    ///
    /// A conflict, or a local change the incoming commits would overwrite,
    /// stops before HEAD, the index or the work tree are touched. The
    /// repository lock is held while the branch moves. `progress` is called
    /// during network transfers.
    pub fn sync(
        &self,
        opts: &SyncOptions,
        progress: &mut dyn FnMut(SyncProgress),
    ) -> Result<SyncReport> {
        let report = sync::sync(self, opts, progress)?;
        // Derived state: a failure to note it must not fail the sync.
        let _ = self.note_seen();
        Ok(report)
    }
}

/// Serialises a record as RON text, mapping failure to an internal error.
pub fn ron_text<T: serde::Serialize>(value: &T) -> Result<String> {
    model::to_ron(value).map_err(|e| Error::Internal(format!("cannot serialise: {e}")))
}
