//! Counting the open and overdue actions of a history without finding each
//! action: the same pass in time order as [`super::derive::find`], keeping
//! only counts. The dashboard's first line needs two numbers, and a list of
//! every action of a long history (with a map of all of them by run and
//! item) is most of what the count used to allocate.
//!
//! What the count keeps: per subject, inspection and item, how many of the
//! actions opened since that item's last best answer are still open (a
//! best answer closes them all, as the derivation's chain does), and, for
//! the few actions some run names in its `closes`, which of those groups
//! each belongs to, so that an explicit close takes it out once.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::derive::{Answer, Judge, Layouts, Quick, in_order};
use super::{ActionCounts, Answered};
use crate::load::Catalog;
use crate::model::{Action, Id};

/// The actions opened on one item since its last best answer that are
/// still open.
#[derive(Clone, Copy)]
struct Group {
    /// Which group this is: a best answer ends a group, and the next
    /// action on the item starts a new one.
    serial: usize,
    open: usize,
    overdue: usize,
}

/// An action some run names in its `closes`.
struct Named<'a> {
    /// Its subject, inspection and item, and the group it was opened in.
    at: (&'a Id, &'a Id, &'a Id),
    serial: usize,
    overdue: bool,
    closed: bool,
}

/// Returns how many actions of `runs` are open on `today`, and how many of
/// those are overdue: what [`super::derive::find`] would find, counted.
pub fn open<'a, R: Answered>(
    runs: &'a [R],
    catalog: &'a Catalog,
    today: NaiveDate,
) -> ActionCounts {
    let runs = in_order(runs);
    let mut judge = Judge::new(catalog);
    let mut layouts = Layouts::default();
    // The actions runs close by name (`<run id>#<item>`): only these are
    // followed one by one.
    let named_keys: HashSet<(&str, &str), Quick> = runs
        .iter()
        .flat_map(|r| r.run().closes.iter())
        .filter_map(|k| k.split_once('#'))
        .collect();
    let mut named: HashMap<(&str, &str), Named<'_>, Quick> = HashMap::default();
    let mut groups: HashMap<(&Id, &Id), HashMap<&Id, Group, Quick>, Quick> = HashMap::default();
    let mut serials = 0usize;
    let mut c = ActionCounts::default();
    let mut answers: Vec<Answer<'_>> = Vec::new();
    for &answered in &runs {
        let run = answered.run();
        // A history entry's answers are read from its brief by position;
        // a run's are listed.
        let brief = layouts.answers(answered, &mut answers);
        // A best answer closes every open action on its item, judged by
        // the template the run answered.
        if let Some(here) = groups
            .get_mut(&(&run.subject, &run.inspection))
            .filter(|g| !g.is_empty())
        {
            let mut close = |g: &Group| {
                c.open = c.open.saturating_sub(g.open);
                c.overdue = c.overdue.saturating_sub(g.overdue);
            };
            if let Some((brief, layout)) = brief {
                here.retain(|item, g| {
                    let closes = layout.closes(brief, item);
                    if closes {
                        close(g);
                    }
                    !closes
                });
            } else {
                for item in judge.best_answered(answered, &answers) {
                    if let Some(g) = here.remove(item) {
                        close(&g);
                    }
                }
            }
        }
        // Then what it closes by name, if still open (its group not ended).
        for key in &run.closes {
            let Some(n) = key.split_once('#').and_then(|k| named.get_mut(&k)) else {
                continue;
            };
            if n.closed {
                continue;
            }
            n.closed = true;
            let (subject, inspection, item) = n.at;
            if let Some(g) = groups
                .get_mut(&(subject, inspection))
                .and_then(|g| g.get_mut(item))
                .filter(|g| g.serial == n.serial)
            {
                g.open = g.open.saturating_sub(1);
                c.open = c.open.saturating_sub(1);
                if n.overdue {
                    g.overdue = g.overdue.saturating_sub(1);
                    c.overdue = c.overdue.saturating_sub(1);
                }
            }
        }
        // Then it opens its own actions.
        let mut open = |item: &'a Id, action: &Action| {
            let overdue = action.due < today;
            let g = groups
                .entry((&run.subject, &run.inspection))
                .or_default()
                .entry(item)
                .or_insert_with(|| {
                    serials += 1;
                    Group {
                        serial: serials,
                        open: 0,
                        overdue: 0,
                    }
                });
            g.open += 1;
            g.overdue += usize::from(overdue);
            c.open += 1;
            c.overdue += usize::from(overdue);
            let key = (run.id.as_str(), item.as_str());
            if named_keys.contains(&key) {
                named.insert(
                    key,
                    Named {
                        at: (&run.subject, &run.inspection, item),
                        serial: g.serial,
                        overdue,
                        closed: false,
                    },
                );
            }
        };
        if let Some((brief, layout)) = brief {
            for (item, _, action) in layout.actions(brief) {
                open(item, action);
            }
        } else {
            for &(item, _, _, action) in &answers {
                if let Some(action) = action {
                    open(item, action);
                }
            }
        }
    }
    c
}
