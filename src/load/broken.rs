//! Templates and profiles that did not load: what is known about each
//! ([`Broken`]), and the words tenken shows about them, in Japanese and
//! English. A broken file disables only itself (see [`Catalog`]).

use std::path::PathBuf;
use std::sync::Arc;

use super::Catalog;
use crate::error::Diagnostic;
use crate::model::{Id, Inspection, Lang};
use crate::msg::Message;

/// What kind of file a [`Broken`] one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokenKind {
    /// A template in `inspections/`.
    Inspection,
    /// A profile in `profiles/`.
    Profile,
}

/// A template or profile that did not load or is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// Template or profile.
    pub kind: BrokenKind,
    /// The id its file name gives (`None` when the name is not an id).
    pub id: Option<Id>,
    /// The file, relative to the repository.
    pub path: PathBuf,
    /// Every problem found in it; never empty.
    pub problems: Vec<Diagnostic>,
    /// For a template: the newest valid version in git history (set by the
    /// store), its last good state. Used only to name the checklist and to
    /// judge whether an answer closes a corrective action, never to start
    /// a run.
    pub last_good: Option<Arc<Inspection>>,
    /// Where the broken text came from and how to undo it (set by the
    /// store: the uncommitted change, or the commit that last changed it).
    pub origin: Option<Message>,
}

impl Broken {
    /// Returns the first problem, for a one-line notice.
    pub fn first(&self) -> Option<&Diagnostic> {
        self.problems.first()
    }

    /// Returns the one-line notice shown while the file is broken: where
    /// the first problem is, what it is, and what is left out meanwhile.
    pub fn notice(&self, lang: Lang) -> String {
        let more = self.problems.len().saturating_sub(1);
        let at = self
            .first()
            .map_or_else(|| self.path.display().to_string(), |d| d.text(lang));
        let id = self
            .id
            .as_ref()
            .map_or_else(|| self.path.display().to_string(), |id| format!("`{id}`"));
        let (what, more_text) = match (self.kind, lang) {
            (BrokenKind::Inspection, Lang::Ja) => (
                format!(
                    "チェックリスト {id} は修正されるまで新しい点検に使えません（過去の点検は記録時の版で表示）"
                ),
                format!("ほか{more}件"),
            ),
            (BrokenKind::Inspection, Lang::En) => (
                format!(
                    "checklist {id} cannot be used for new runs until this is fixed (its runs are shown with the version they recorded)"
                ),
                format!("{more} more"),
            ),
            (BrokenKind::Profile, Lang::Ja) => (
                format!("プロファイル {id} は修正されるまで予定に含まれません"),
                format!("ほか{more}件"),
            ),
            (BrokenKind::Profile, Lang::En) => (
                format!("profile {id} is left out of what is due until this is fixed"),
                format!("{more} more"),
            ),
        };
        let hint = lang.pick(
            "`tenken check` で全ての問題を表示",
            "`tenken check` lists every problem",
        );
        if more == 0 {
            format!("{at} — {what}; {hint}")
        } else {
            format!("{at} ({more_text}) — {what}; {hint}")
        }
    }

    /// Returns the sentence refusing what needs this file, such as a new
    /// run of a broken template.
    pub fn refusal(&self, lang: Lang) -> String {
        let at = self
            .first()
            .map_or_else(|| self.path.display().to_string(), |d| d.text(lang));
        let id = self
            .id
            .as_ref()
            .map_or_else(String::new, |id| format!(" `{id}`"));
        match lang {
            Lang::Ja => format!("チェックリスト{id}のファイルに問題があるため使えません: {at}"),
            Lang::En => format!("checklist{id} cannot be used while its file is broken: {at}"),
        }
    }

    /// Returns how to get the file working again: where the broken text
    /// came from when the store found out, else where to look.
    pub fn fix_hint(&self, lang: Lang) -> String {
        if let Some(origin) = &self.origin {
            return origin.get(lang).to_owned();
        }
        let path = self.path.display();
        match lang {
            Lang::Ja => format!(
                "{path} を直してください（`tenken check` で全ての問題を表示、`git log -- {path}` で変更履歴を表示）"
            ),
            Lang::En => format!(
                "fix {path} (`tenken check` lists every problem; `git log -- {path}` shows its changes)"
            ),
        }
    }
}

impl Catalog {
    /// Returns the broken template of `id`, if its file is broken.
    pub fn broken_inspection(&self, id: &Id) -> Option<&Broken> {
        self.broken
            .iter()
            .find(|b| b.kind == BrokenKind::Inspection && b.id.as_ref() == Some(id))
    }

    /// Returns the template to name `id` by and to judge answers against:
    /// the current one, else the last good version of a broken file.
    pub fn judging_template(&self, id: &Id) -> Option<&Inspection> {
        self.inspections
            .get(id)
            .or_else(|| self.broken_inspection(id)?.last_good.as_deref())
    }

    /// Returns every template by id as [`Catalog::judging_template`] finds
    /// it: the current ones and the last good versions of broken files.
    pub fn judging_templates(&self) -> impl Iterator<Item = (&Id, &Inspection)> {
        let recorded = self.broken.iter().filter_map(|b| match b.kind {
            BrokenKind::Inspection => Some((b.id.as_ref()?, b.last_good.as_deref()?)),
            BrokenKind::Profile => None,
        });
        self.inspections.iter().chain(recorded)
    }

    /// Returns true when `id` names a template file, valid or broken.
    pub fn knows_inspection(&self, id: &Id) -> bool {
        self.inspections.contains_key(id) || self.broken_inspection(id).is_some()
    }
}
