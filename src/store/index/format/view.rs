//! A decoded index file read in place: the postcard rows borrow the file's
//! bytes, every value is checked once without copying it, and a read takes
//! out only what it uses (a history makes its entries straight from the
//! rows). [`View::to_snapshot`] makes the owned [`Snapshot`] that an update
//! or a refresh of stat data works on.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{
    Body, MAX_STRING, RawId, Record, RunData, RunDataRow, RunRow, Snapshot, Stat, TemplateRecord,
    WithdrawalRecord, run_path_parts,
};
use crate::model::{Action, Id, Inspector, Run, Withdrawal};

/// A checked index, borrowing the bytes of its file.
pub struct View<'a> {
    body: Body<'a>,
}

/// An action as a [`View`] holds it: its text and its owner by their place
/// in the index's table of strings, and its due date as days from the
/// common era. Equal keys are equal actions, so a reader can make each
/// action once ([`View::action`]).
pub type ActionKey = (u32, u32, i32);

/// The ids a reader made of an index's strings, each made once (runs of
/// one subject, inspection or inspector share it: [`Id`] clones share).
#[derive(Default)]
pub struct Ids<'a>(std::collections::HashMap<&'a str, Id, foldhash::fast::RandomState>);

impl<'a> Ids<'a> {
    /// Returns the id `s`, made and checked on first use.
    pub fn get(&mut self, s: &'a str) -> Result<Id, String> {
        if let Some(id) = self.0.get(s) {
            return Ok(id.clone());
        }
        let id = Id::new(s).map_err(|e| e.to_string())?;
        self.0.insert(s, id.clone());
        Ok(id)
    }
}

/// One run file of a [`View`].
#[derive(Clone, Copy)]
pub struct RunView<'v, 'a> {
    view: &'v View<'a>,
    row: &'v RunRow,
    /// `/`-separated path relative to the root.
    pub path: &'a str,
}

impl<'a> View<'a> {
    /// Checks a decoded body (see the module header of `format`): `Err`
    /// says why it is not a usable index.
    pub(super) fn check(body: Body<'a>) -> Result<Self, String> {
        if body.strings.iter().any(|s| s.len() > MAX_STRING) {
            return Err("a string is too long".into());
        }
        let view = Self { body };
        let body = &view.body;
        // Ids repeat (inspectors, template ids): each string is judged once.
        let mut ids = vec![0u8; body.strings.len()];
        let mut id = |i: u32| -> Result<(), String> {
            let n = i as usize;
            match ids.get(n) {
                Some(1) => Ok(()),
                Some(0) => {
                    Id::new(view.s(i)?).map_err(|e| e.to_string())?;
                    ids[n] = 1;
                    Ok(())
                }
                _ => Err("a string reference is out of range".into()),
            }
        };
        for t in &body.templates {
            let hash = view.s(t.hash)?;
            let hex =
                hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
            if !hex {
                return Err("a template hash is not a SHA-256 in hex".into());
            }
            id(t.id)?;
        }
        let mut hashes: Vec<u32> = body.templates.iter().map(|t| t.hash).collect();
        if repeated(&view, &mut hashes)? {
            return Err("a template is listed twice".into());
        }
        let mut previous: Option<&str> = None;
        // Runs are sorted by path: a subject is checked when it changes.
        let mut subject_seen: Option<&str> = None;
        for r in &body.runs {
            let path = view.s(r.path)?;
            if previous.is_some_and(|p| p >= path) {
                return Err("the runs are not sorted by path, or one is listed twice".into());
            }
            previous = Some(path);
            let (subject, inspection, stem) =
                split_run_path(path).ok_or("a run path is not one")?;
            let stem_ok = !stem.is_empty()
                && stem.len() <= 128
                && stem
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !stem_ok {
                return Err("a run path is not one".into());
            }
            if subject_seen != Some(subject) {
                Id::new(subject).map_err(|e| e.to_string())?;
                subject_seen = Some(subject);
            }
            let Some(d) = &r.data else {
                Id::new(inspection).map_err(|e| e.to_string())?;
                continue;
            };
            // The template's id is a checked id: equal to it, the
            // inspection is one too.
            let template = body
                .templates
                .get(d.template as usize)
                .ok_or("a template reference is out of range")?;
            if view.s(template.id)? != inspection {
                return Err("a run names another inspection's template".into());
            }
            for (_, text, owner, due) in &d.actions {
                view.s(*text)?;
                view.s(*owner)?;
                NaiveDate::from_num_days_from_ce_opt(*due).ok_or("a due date is out of range")?;
            }
            id(d.inspector.0)?;
            view.s(d.inspector.1)?;
            view.s(d.inspector.2)?;
            time(d.started)?;
            time(d.finished)?;
            if let Some(x) = d.supersedes {
                view.s(x)?;
            }
            for c in &d.closes {
                view.s(*c)?;
            }
        }
        if let Some(list) = &body.withdrawals {
            for w in list {
                let path = view.s(w.path)?;
                let run = view.s(w.run)?;
                let named = path
                    .strip_prefix(crate::store::correction::WITHDRAWALS_DIR)
                    .and_then(|p| p.strip_prefix('/'))
                    .and_then(|p| p.strip_suffix(".ron"))
                    == Some(run);
                if !named || run_path_parts(&format!("runs/{run}.ron")).is_none() {
                    return Err("a withdrawal's path does not name its run".into());
                }
                view.s(w.reason)?;
                id(w.by.0)?;
                view.s(w.by.1)?;
                view.s(w.by.2)?;
                time(w.date)?;
            }
            let mut paths: Vec<u32> = list.iter().map(|w| w.path).collect();
            if repeated(&view, &mut paths)? {
                return Err("a withdrawal is listed twice".into());
            }
        }
        for (run, _) in &body.named {
            view.s(*run)?;
        }
        Ok(view)
    }

    /// Returns string `i` of the table.
    fn s(&self, i: u32) -> Result<&'a str, String> {
        self.body
            .strings
            .get(i as usize)
            .copied()
            .ok_or_else(|| "a string reference is out of range".to_owned())
    }

    /// The canonical path of the repository's git folder.
    pub fn repo(&self) -> &'a str {
        self.body.repo
    }

    /// The commit the index reflects.
    pub fn head(&self) -> RawId {
        RawId(self.body.head)
    }

    /// The run files in HEAD's tree, sorted by path.
    pub fn runs(&self) -> impl ExactSizeIterator<Item = RunView<'_, 'a>> {
        self.body.runs.iter().map(|row| RunView {
            view: self,
            row,
            path: self.s(row.path).unwrap_or_default(),
        })
    }

    /// The run file at place `n` of [`View::runs`].
    pub fn run_at(&self, n: usize) -> Option<RunView<'_, 'a>> {
        self.body.runs.get(n).map(|row| RunView {
            view: self,
            row,
            path: self.s(row.path).unwrap_or_default(),
        })
    }

    /// The number of templates; a run names one by its place in the list.
    pub fn template_count(&self) -> usize {
        self.body.templates.len()
    }

    /// Returns template `n`: its content hash, inspection id and blob.
    pub fn template(&self, n: usize) -> Result<(&'a str, Id, RawId), String> {
        let t = self
            .body
            .templates
            .get(n)
            .ok_or("a template reference is out of range")?;
        let id = Id::new(self.s(t.id)?).map_err(|e| e.to_string())?;
        Ok((self.s(t.hash)?, id, RawId(t.blob)))
    }

    /// Returns the withdrawals in HEAD's tree by path; `None` when one of
    /// them does not read as a withdrawal.
    pub fn withdrawals(&self) -> Result<Option<BTreeMap<String, WithdrawalRecord<RawId>>>, String> {
        let Some(list) = &self.body.withdrawals else {
            return Ok(None);
        };
        let mut out = BTreeMap::new();
        for w in list {
            let path = self.s(w.path)?.to_owned();
            let record = WithdrawalRecord {
                path: path.clone(),
                blob: RawId(w.blob),
                stat: w.stat,
                withdrawal: Withdrawal {
                    format: crate::model::FORMAT,
                    run: self.s(w.run)?.to_owned(),
                    reason: self.s(w.reason)?.to_owned(),
                    by: self.inspector(w.by)?,
                    date: time(w.date)?,
                },
            };
            out.insert(path, record);
        }
        Ok(Some(out))
    }

    /// Returns the action of `key` (see [`ActionKey`]).
    pub fn action(&self, (text, owner, due): ActionKey) -> Result<Action, String> {
        Ok(Action {
            text: self.s(text)?.to_owned(),
            owner: self.s(owner)?.to_owned(),
            due: NaiveDate::from_num_days_from_ce_opt(due).ok_or("a due date is out of range")?,
        })
    }

    fn inspector(&self, (id, name, email): (u32, u32, u32)) -> Result<Inspector, String> {
        Ok(Inspector {
            id: Id::new(self.s(id)?).map_err(|e| e.to_string())?,
            name: self.s(name)?.to_owned(),
            email: self.s(email)?.to_owned(),
        })
    }

    /// Returns everything the index holds, owned.
    pub fn to_snapshot(&self) -> Result<Snapshot<RawId>, String> {
        let mut templates = BTreeMap::new();
        for n in 0..self.template_count() {
            let (hash, id, blob) = self.template(n)?;
            templates.insert(hash.to_owned(), TemplateRecord { id, blob });
        }
        let mut runs = BTreeMap::new();
        for r in self.runs() {
            let data = match r.row.data {
                None => None,
                Some(_) => Some(Box::new(RunData {
                    run: r.run()?,
                    template: r.template_hash()?.to_owned(),
                    codes: r.codes().to_vec(),
                    actions: r.actions()?,
                })),
            };
            let record = Record {
                path: r.path.to_owned(),
                blob: r.blob(),
                commit: r.commit(),
                stat: r.stat(),
                data,
            };
            runs.insert(r.path.to_owned(), record);
        }
        let mut named = BTreeMap::new();
        for (run, commit) in &self.body.named {
            named.insert(self.s(*run)?.to_owned(), RawId(*commit));
        }
        Ok(Snapshot {
            repo: self.body.repo.to_owned(),
            head: self.head(),
            runs,
            templates,
            withdrawals: self.withdrawals()?,
            named,
        })
    }
}

impl<'v, 'a> RunView<'v, 'a> {
    /// The blob HEAD's tree has at the path.
    pub fn blob(&self) -> RawId {
        RawId(self.row.blob)
    }

    /// The commit that added the file, if one was found.
    pub fn commit(&self) -> Option<RawId> {
        self.row.commit.map(RawId)
    }

    /// Stat data of the work-tree file when it was last seen unchanged.
    pub fn stat(&self) -> Option<Stat> {
        self.row.stat
    }

    /// The run id: the path without `runs/` and `.ron`.
    pub fn id(&self) -> &'a str {
        self.path
            .strip_prefix("runs/")
            .and_then(|p| p.strip_suffix(".ron"))
            .unwrap_or_default()
    }

    /// The subject and the inspection the path names.
    pub fn subject_inspection(&self) -> (&'a str, &'a str) {
        split_run_path(self.path).map_or(("", ""), |(s, i, _)| (s, i))
    }

    /// True when the index holds what the file holds (a valid run).
    pub fn has_data(&self) -> bool {
        self.row.data.is_some()
    }

    fn data(&self) -> Result<&RunDataRow, String> {
        self.row
            .data
            .as_ref()
            .ok_or_else(|| "the run is not held".to_owned())
    }

    /// When the run was finished.
    pub fn finished(&self) -> Result<DateTime<FixedOffset>, String> {
        time(self.data()?.finished)
    }

    /// The place in [`View::template`]'s list of the template the run is
    /// scored against.
    pub fn template_index(&self) -> Result<usize, String> {
        Ok(self.data()?.template as usize)
    }

    /// The content hash of the template the run is scored against.
    pub fn template_hash(&self) -> Result<&'a str, String> {
        let t = self
            .view
            .body
            .templates
            .get(self.template_index()?)
            .ok_or("a template reference is out of range")?;
        self.view.s(t.hash)
    }

    /// The run that this one corrects, if any.
    pub fn supersedes(&self) -> Result<Option<&'a str>, String> {
        self.data()?.supersedes.map(|x| self.view.s(x)).transpose()
    }

    /// Codes of the brief (`model::Brief::codes`).
    pub fn codes(&self) -> &[u16] {
        self.row.data.as_ref().map_or(&[], |d| &d.codes)
    }

    /// Actions of the brief by item position.
    pub fn actions(&self) -> Result<Vec<(u16, Action)>, String> {
        self.action_keys()
            .iter()
            .map(|&(p, text, owner, due)| Ok((p, self.view.action((text, owner, due))?)))
            .collect()
    }

    /// Actions of the brief by item position, each by its [`ActionKey`]
    /// ([`View::action`] makes the action of a key).
    pub fn action_keys(&self) -> &'v [(u16, u32, u32, i32)] {
        self.row.data.as_ref().map_or(&[], |d| &d.actions)
    }

    /// The run, its answers left out (they are in the brief).
    pub fn run(&self) -> Result<Run, String> {
        self.run_with(&Arc::from(self.template_hash()?), &mut Ids::default())
    }

    /// The run as [`RunView::run`] makes it, with `hash` as the content
    /// hash of its template when it names one and its ids taken from `ids`:
    /// a reader making many runs shares one copy of each. `hash` must be
    /// [`RunView::template_hash`].
    pub fn run_with(&self, hash: &Arc<str>, ids: &mut Ids<'a>) -> Result<Run, String> {
        let d = self.data()?;
        let (subject, inspection) = self.subject_inspection();
        let v = self.view;
        let (inspector, name, email) = d.inspector;
        Ok(Run {
            format: crate::model::FORMAT,
            id: self.id().to_owned(),
            inspection_hash: d.hashed.then(|| hash.clone()),
            inspection: ids.get(inspection)?,
            inspection_version: d.version,
            subject: ids.get(subject)?,
            inspector: Inspector {
                id: ids.get(v.s(inspector)?)?,
                name: v.s(name)?.to_owned(),
                email: v.s(email)?.to_owned(),
            },
            started: time(d.started)?,
            finished: time(d.finished)?,
            answers: BTreeMap::new(),
            supersedes: d
                .supersedes
                .map(|x| v.s(x).map(str::to_owned))
                .transpose()?,
            closes: d
                .closes
                .iter()
                .map(|c| v.s(*c).map(str::to_owned))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Returns true when two of the strings `refs` names are equal (sorts
/// `refs`).
fn repeated(view: &View<'_>, refs: &mut [u32]) -> Result<bool, String> {
    for r in refs.iter() {
        view.s(*r)?;
    }
    refs.sort_unstable_by_key(|r| view.s(*r).unwrap_or_default());
    Ok(refs
        .windows(2)
        .any(|w| view.s(w[0]).ok() == view.s(w[1]).ok()))
}

/// Splits `runs/<subject>/<inspection>/<stem>.ron` (not checked).
fn split_run_path(path: &str) -> Option<(&str, &str, &str)> {
    let rest = path.strip_prefix("runs/")?.strip_suffix(".ron")?;
    // Byte by byte: the parts are short, and this runs a few times a row.
    let slash = |s: &str| s.bytes().position(|b| b == b'/');
    let n = slash(rest)?;
    let (subject, rest) = (rest.get(..n)?, rest.get(n + 1..)?);
    let n = slash(rest)?;
    let (inspection, stem) = (rest.get(..n)?, rest.get(n + 1..)?);
    slash(stem).is_none().then_some((subject, inspection, stem))
}

/// Makes a time of its seconds and offset.
fn time((secs, offset): (i64, i32)) -> Result<DateTime<FixedOffset>, String> {
    let tz = FixedOffset::east_opt(offset).ok_or("an offset is out of range")?;
    let t = DateTime::from_timestamp(secs, 0).ok_or("a time is out of range")?;
    Ok(t.with_timezone(&tz))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The split as it was written before (by `str::split`), kept to
    /// compare with.
    fn split_before(path: &str) -> Option<(&str, &str, &str)> {
        let rest = path.strip_prefix("runs/")?.strip_suffix(".ron")?;
        let mut parts = rest.split('/');
        let (subject, inspection, stem) = (parts.next()?, parts.next()?, parts.next()?);
        parts
            .next()
            .is_none()
            .then_some((subject, inspection, stem))
    }

    #[test]
    fn ids_are_checked_once_and_shared_by_the_runs_that_name_them() {
        let mut ids = super::Ids::default();
        let a = ids.get("sato").unwrap();
        let b = ids.get("sato").unwrap();
        assert_eq!((a.as_str(), b.as_str()), ("sato", "sato"));
        assert_eq!(a.as_str().as_ptr(), b.as_str().as_ptr(), "one copy");
        let c = ids.get("suzuki").unwrap();
        assert_eq!(c.as_str(), "suzuki");
        assert_ne!(c.as_str().as_ptr(), a.as_str().as_ptr());
        assert!(ids.get("Sato/..").is_err());
        assert!(ids.get("").is_err());
    }

    proptest! {
        #[test]
        fn a_run_path_splits_as_before(middle in "[a/.é]{0,12}", runs in any::<bool>(), ron in any::<bool>()) {
            let path = format!(
                "{}{middle}{}",
                if runs { "runs/" } else { "run/" },
                if ron { ".ron" } else { "" }
            );
            prop_assert_eq!(super::split_run_path(&path), split_before(&path));
        }
    }
}
