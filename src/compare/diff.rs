//! Comparing two runs item by item: each item's change, note diffs, the
//! template differences between their versions, and summaries.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use unicode_width::UnicodeWidthChar;

use crate::model::{Band, Choice, Id, Inspection, Item, Run, Section, Text};
use crate::score::{Score, score_run};

/// How one item changed from the earlier run to the later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemChange {
    /// The later answer has more points.
    Improved,
    /// The later answer has fewer points.
    Regressed,
    /// The same choice, or another choice with the same points.
    Unchanged,
    /// The item is new in the later run, or enters the score there.
    Added,
    /// The item is gone from the later template, or leaves the score.
    Removed,
    /// The later run has no answer for the item.
    Unanswered,
}

impl ItemChange {
    /// Every change, in the order reports list them (regressions first).
    pub const ALL: [Self; 6] = [
        Self::Regressed,
        Self::Improved,
        Self::Added,
        Self::Removed,
        Self::Unanswered,
        Self::Unchanged,
    ];

    /// Returns the change's name as used in JSON (`improved`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Improved => "improved",
            Self::Regressed => "regressed",
            Self::Unchanged => "unchanged",
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Unanswered => "unanswered",
        }
    }
}

impl fmt::Display for ItemChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One side's answer to an item: the choice and what it is worth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceRef {
    /// The choice id recorded in the run.
    pub id: Id,
    /// The choice's label; the id in both languages when the choice is not
    /// on the item's scale.
    pub label: Text,
    /// Unweighted points; `None` for "not applicable" (or an unknown choice).
    pub points: Option<i32>,
}

/// Whether a span of a word-level note diff is kept, deleted or inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffTag {
    /// In both notes.
    Equal,
    /// Only in the earlier note.
    Delete,
    /// Only in the later note.
    Insert,
}

impl From<ChangeTag> for DiffTag {
    fn from(tag: ChangeTag) -> Self {
        match tag {
            ChangeTag::Equal => Self::Equal,
            ChangeTag::Delete => Self::Delete,
            ChangeTag::Insert => Self::Insert,
        }
    }
}

/// The difference between two notes, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteDiff {
    /// Word-level spans in reading order (for the TUI): concatenating the
    /// `Equal` and `Delete` spans gives the earlier note, the `Equal` and
    /// `Insert` spans the later one. Words are split at whitespace, and each
    /// wide (CJK) character is a word of its own, so Japanese notes diff
    /// character by character.
    pub spans: Vec<(DiffTag, String)>,
    /// A line-level unified diff (for text output): hunks only
    /// (`@@ -1 +1 @@`, `-old`, `+new`), no `---`/`+++` header.
    pub unified: String,
}

/// The comparison of one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemComparison {
    /// The item id (items are matched by id).
    pub id: Id,
    /// The id of the section holding the item (in the later template; in
    /// the earlier one for removed items).
    pub section: Id,
    /// That section's title.
    pub section_title: Text,
    /// The item's question (later template; earlier one for removed items).
    pub title: Text,
    /// The earlier answer, if any.
    pub from: Option<ChoiceRef>,
    /// The later answer, if any.
    pub to: Option<ChoiceRef>,
    /// How the item changed.
    pub change: ItemChange,
    /// The earlier note (empty when none).
    pub from_note: String,
    /// The later note (empty when none).
    pub to_note: String,
    /// The note diff; `None` when the notes are equal.
    pub note_diff: Option<NoteDiff>,
}

impl ItemComparison {
    /// Returns the change in points (later − earlier), when both sides have
    /// points.
    pub fn points_delta(&self) -> Option<i32> {
        let from = self.from.as_ref()?.points?;
        let to = self.to.as_ref()?.points?;
        Some(to - from)
    }
}

/// One run of a comparison, with its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSide {
    /// The run id.
    pub run: String,
    /// The date the run was finished, in its own offset.
    pub date: NaiveDate,
    /// When the run was finished.
    pub finished: DateTime<FixedOffset>,
    /// Who did the run.
    pub inspector: Id,
    /// The template version the run answered.
    pub inspection_version: u32,
    /// Score, maximum and counts, from [`crate::score`].
    pub score: Score,
    /// Score as a percentage of the maximum.
    pub percent: f64,
    /// The band the run lands in, if the template has bands.
    pub band: Option<Band>,
}

impl RunSide {
    pub(super) fn new(inspection: &Inspection, run: &Run) -> Self {
        let score = score_run(inspection, run);
        let percent = score.percent();
        Self {
            run: run.id.clone(),
            date: run.date(),
            finished: run.finished,
            inspector: run.inspector.id.clone(),
            inspection_version: run.inspection_version,
            band: score.band(inspection).cloned(),
            percent,
            score,
        }
    }
}

/// How many items changed in each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Items with more points.
    pub improved: usize,
    /// Items with fewer points.
    pub regressed: usize,
    /// Items answered the same (or with equal points).
    pub unchanged: usize,
    /// Items new in the later run or entering the score.
    pub added: usize,
    /// Items gone from the later template or leaving the score.
    pub removed: usize,
    /// Items the later run left unanswered.
    pub unanswered: usize,
}

impl Summary {
    /// Returns the count for one kind of change.
    pub fn count(&self, change: ItemChange) -> usize {
        match change {
            ItemChange::Improved => self.improved,
            ItemChange::Regressed => self.regressed,
            ItemChange::Unchanged => self.unchanged,
            ItemChange::Added => self.added,
            ItemChange::Removed => self.removed,
            ItemChange::Unanswered => self.unanswered,
        }
    }

    pub(super) fn add(&mut self, change: ItemChange) {
        let slot = match change {
            ItemChange::Improved => &mut self.improved,
            ItemChange::Regressed => &mut self.regressed,
            ItemChange::Unchanged => &mut self.unchanged,
            ItemChange::Added => &mut self.added,
            ItemChange::Removed => &mut self.removed,
            ItemChange::Unanswered => &mut self.unanswered,
        };
        *slot += 1;
    }

    /// Returns the number of items compared.
    pub fn total(&self) -> usize {
        ItemChange::ALL.iter().map(|c| self.count(*c)).sum()
    }
}

/// An item whose question changed between template versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reworded {
    /// The item id.
    pub id: Id,
    /// The question in the earlier version.
    pub from: Text,
    /// The question in the later version.
    pub to: Text,
}

/// What changed between the two runs' template versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateDiff {
    /// The earlier run's template version.
    pub from_version: u32,
    /// The later run's template version.
    pub to_version: u32,
    /// Items only in the later version, in walk order.
    pub added: Vec<Id>,
    /// Items only in the earlier version, in walk order.
    pub removed: Vec<Id>,
    /// Items in both whose question (title) changed.
    pub reworded: Vec<Reworded>,
    /// Items in both whose scale of choices changed (points compared
    /// across different scales deserve a second look).
    pub rescaled: Vec<Id>,
}

impl TemplateDiff {
    /// Returns true when the versions have the same items, questions and scales.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.reworded.is_empty()
            && self.rescaled.is_empty()
    }
}

/// The comparison of two runs of one inspection for one subject.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunComparison {
    /// The subject of the later run.
    pub subject: Id,
    /// The inspection of the later run.
    pub inspection: Id,
    /// The earlier run.
    pub from: RunSide,
    /// The later run.
    pub to: RunSide,
    /// Later score − earlier score.
    pub score_delta: i64,
    /// Later percent − earlier percent (percentage points).
    pub percent_delta: f64,
    /// Counts of each kind of change.
    pub summary: Summary,
    /// Every item of both templates: the later template's items in walk
    /// order, then items only in the earlier template.
    pub items: Vec<ItemComparison>,
    /// Differences between the two template versions.
    pub template: TemplateDiff,
}

/// The items of one section of a comparison, for per-section tables.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionComparison<'a> {
    /// The section id.
    pub id: &'a Id,
    /// The section title.
    pub title: &'a Text,
    /// The section's items in order.
    pub items: Vec<&'a ItemComparison>,
}

impl RunComparison {
    /// Returns the items with one kind of change, in item order.
    pub fn with_change(&self, change: ItemChange) -> impl Iterator<Item = &ItemComparison> {
        self.items.iter().filter(move |i| i.change == change)
    }

    /// Returns the items whose answer or note differs between the runs
    /// (for a "changed only" filter): everything but unchanged items and
    /// items neither run answered, unless their note changed.
    pub fn changed(&self) -> impl Iterator<Item = &ItemComparison> {
        self.items.iter().filter(|i| {
            let same = match i.change {
                ItemChange::Unchanged => true,
                ItemChange::Unanswered => i.from.is_none(),
                _ => false,
            };
            !same || i.note_diff.is_some()
        })
    }

    /// Returns true when at least one item regressed.
    pub fn has_regressions(&self) -> bool {
        self.summary.regressed > 0
    }

    /// Groups the items by section, in order of first appearance.
    pub fn sections(&self) -> Vec<SectionComparison<'_>> {
        let mut out: Vec<SectionComparison<'_>> = Vec::new();
        for item in &self.items {
            match out.iter_mut().find(|s| *s.id == item.section) {
                Some(section) => section.items.push(item),
                None => out.push(SectionComparison {
                    id: &item.section,
                    title: &item.section_title,
                    items: vec![item],
                }),
            }
        }
        out
    }
}

/// Compares two runs item by item.
///
/// `inspection_from` must be the template version `from` answered and
/// `inspection_to` the one `to` answered (they may differ; items are
/// matched by id). The module documentation gives the rules.
pub fn compare_runs(
    inspection_from: &Inspection,
    from: &Run,
    inspection_to: &Inspection,
    to: &Run,
) -> RunComparison {
    compare_inner(inspection_from, from, inspection_to, to, true)
}

pub(super) fn compare_inner(
    inspection_from: &Inspection,
    from: &Run,
    inspection_to: &Inspection,
    to: &Run,
    with_notes: bool,
) -> RunComparison {
    let mut items = Vec::new();
    let mut summary = Summary::default();
    let mut template = TemplateDiff {
        from_version: from.inspection_version,
        to_version: to.inspection_version,
        added: Vec::new(),
        removed: Vec::new(),
        reworded: Vec::new(),
        rescaled: Vec::new(),
    };
    for (section, item) in inspection_to.items() {
        let old_item = inspection_from.item(item.id.as_str());
        match old_item {
            None => template.added.push(item.id.clone()),
            Some(old) => {
                if old.title != item.title {
                    template.reworded.push(Reworded {
                        id: item.id.clone(),
                        from: old.title.clone(),
                        to: item.title.clone(),
                    });
                }
                if inspection_from.choices(old) != inspection_to.choices(item) {
                    template.rescaled.push(item.id.clone());
                }
            }
        }
        let from_choice = old_item.and_then(|old| answer_ref(inspection_from, old, from));
        let to_choice = answer_ref(inspection_to, item, to);
        let change = classify(from_choice.as_ref(), to_choice.as_ref());
        let from_note = old_item.map_or("", |_| note_of(from, &item.id));
        items.push(item_comparison(
            section,
            item,
            (from_choice, to_choice),
            change,
            (from_note, note_of(to, &item.id)),
            with_notes,
        ));
        summary.add(change);
    }
    for (section, item) in inspection_from.items() {
        if inspection_to.item(item.id.as_str()).is_some() {
            continue;
        }
        template.removed.push(item.id.clone());
        let from_choice = answer_ref(inspection_from, item, from);
        items.push(item_comparison(
            section,
            item,
            (from_choice, None),
            ItemChange::Removed,
            (note_of(from, &item.id), ""),
            with_notes,
        ));
        summary.add(ItemChange::Removed);
    }
    let from_side = RunSide::new(inspection_from, from);
    let to_side = RunSide::new(inspection_to, to);
    RunComparison {
        subject: to.subject.clone(),
        inspection: to.inspection.clone(),
        score_delta: to_side.score.score - from_side.score.score,
        percent_delta: to_side.percent - from_side.percent,
        from: from_side,
        to: to_side,
        summary,
        items,
        template,
    }
}

fn item_comparison(
    section: &Section,
    item: &Item,
    (from, to): (Option<ChoiceRef>, Option<ChoiceRef>),
    change: ItemChange,
    (from_note, to_note): (&str, &str),
    with_notes: bool,
) -> ItemComparison {
    let note_diff = (with_notes && from_note != to_note).then(|| note_diff(from_note, to_note));
    ItemComparison {
        id: item.id.clone(),
        section: section.id.clone(),
        section_title: section.title.clone(),
        title: item.title.clone(),
        from,
        to,
        change,
        from_note: from_note.to_owned(),
        to_note: to_note.to_owned(),
        note_diff,
    }
}

fn note_of<'r>(run: &'r Run, item: &Id) -> &'r str {
    run.answers.get(item).map_or("", |a| a.note.as_str())
}

fn answer_ref(inspection: &Inspection, item: &Item, run: &Run) -> Option<ChoiceRef> {
    let answer = run.answers.get(&item.id)?;
    let choice: Option<&Choice> = inspection.choice(item, answer.choice.as_str());
    Some(match choice {
        Some(c) => ChoiceRef {
            id: c.id.clone(),
            label: c.label.clone(),
            points: c.points,
        },
        None => ChoiceRef {
            id: answer.choice.clone(),
            label: Text::new(answer.choice.as_str(), answer.choice.as_str()),
            points: None,
        },
    })
}

/// Decides the change of an item present in the later template, from the
/// two answers (see the module documentation).
pub fn classify(from: Option<&ChoiceRef>, to: Option<&ChoiceRef>) -> ItemChange {
    fn pick(c: &ChoiceRef) -> (&str, Option<i32>) {
        (c.id.as_str(), c.points)
    }
    classify_picks(from.map(pick), to.map(pick))
}

/// [`classify`] on the id and points of each answer's choice (for
/// [`crate::compare::trend`], which builds no [`ChoiceRef`]).
pub(super) fn classify_picks(
    from: Option<(&str, Option<i32>)>,
    to: Option<(&str, Option<i32>)>,
) -> ItemChange {
    match (from, to) {
        (_, None) => ItemChange::Unanswered,
        (None, Some(_)) => ItemChange::Added,
        (Some(f), Some(t)) if f.0 == t.0 => ItemChange::Unchanged,
        (Some(f), Some(t)) => match (f.1, t.1) {
            (Some(a), Some(b)) => match b.cmp(&a) {
                std::cmp::Ordering::Greater => ItemChange::Improved,
                std::cmp::Ordering::Less => ItemChange::Regressed,
                std::cmp::Ordering::Equal => ItemChange::Unchanged,
            },
            (None, None) => ItemChange::Unchanged,
            (None, Some(_)) => ItemChange::Added,
            (Some(_), None) => ItemChange::Removed,
        },
    }
}

/// Compares two notes: word-level spans and a unified line diff.
pub fn note_diff(from: &str, to: &str) -> NoteDiff {
    let old_words = words(from);
    let new_words = words(to);
    let diff = TextDiff::configure().diff_slices(&old_words, &new_words);
    let mut spans: Vec<(DiffTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = DiffTag::from(change.tag());
        match spans.last_mut() {
            Some((last, text)) if *last == tag => text.push_str(change.value()),
            _ => spans.push((tag, change.value().to_owned())),
        }
    }
    let spans = join_changes(&spans);
    // Terminate both sides so the unified diff carries no
    // "\ No newline at end of file" markers: notes are not files.
    let from_lines = terminated(from);
    let to_lines = terminated(to);
    let lines = TextDiff::from_lines(from_lines.as_str(), to_lines.as_str());
    let unified = lines
        .unified_diff()
        .context_radius(3)
        .missing_newline_hint(false)
        .to_string();
    NoteDiff { spans, unified }
}

/// Joins changes separated only by whitespace into one deletion and one
/// insertion, so "2 laptops" → "1 laptop" reads as one replacement rather
/// than two.
fn join_changes(spans: &[(DiffTag, String)]) -> Vec<(DiffTag, String)> {
    fn flush(out: &mut Vec<(DiffTag, String)>, del: &mut String, ins: &mut String) {
        if !del.is_empty() {
            out.push((DiffTag::Delete, std::mem::take(del)));
        }
        if !ins.is_empty() {
            out.push((DiffTag::Insert, std::mem::take(ins)));
        }
    }
    let mut out = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    for (i, (tag, text)) in spans.iter().enumerate() {
        match tag {
            DiffTag::Delete => del.push_str(text),
            DiffTag::Insert => ins.push_str(text),
            DiffTag::Equal => {
                let between_changes = !(del.is_empty() && ins.is_empty())
                    && text.chars().all(char::is_whitespace)
                    && spans.get(i + 1).is_some_and(|(t, _)| *t != DiffTag::Equal);
                if between_changes {
                    del.push_str(text);
                    ins.push_str(text);
                } else {
                    flush(&mut out, &mut del, &mut ins);
                    out.push((DiffTag::Equal, text.clone()));
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

fn terminated(s: &str) -> String {
    if s.is_empty() || s.ends_with('\n') {
        s.to_owned()
    } else {
        format!("{s}\n")
    }
}

/// Splits text into words, runs of whitespace, and single wide characters.
fn words(s: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Space,
        Word,
        Wide,
    }
    let class = |c: char| {
        if c.is_whitespace() {
            Class::Space
        } else if c.width().unwrap_or(0) >= 2 {
            Class::Wide
        } else {
            Class::Word
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<Class> = None;
    for (i, c) in s.char_indices() {
        let k = class(c);
        if let Some(prev) = current
            && (prev != k || k == Class::Wide)
        {
            out.push(&s[start..i]);
            start = i;
        }
        current = Some(k);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}
