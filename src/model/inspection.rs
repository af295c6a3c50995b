//! Inspection templates: scales of choices, sections of items, score bands.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Edition, Editions, Id, Name, Text};

/// Keys the walker uses for navigation; a choice must not take one.
///
/// The TUI's keymap test checks that these are exactly the walker's keys.
pub const RESERVED_KEYS: &[char] = &[
    'j', 'k', 'h', 'l', 'n', 'e', 's', 'b', 'g', 'f', 'q', 'a', 'c', '?', ' ', 'J', 'K',
];

/// A checklist template, as stored in `inspections/<id>.ron`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// File format version; always 1.
    pub format: u32,
    /// The inspection's id, equal to the file stem.
    pub id: Id,
    /// Bumped whenever items change; runs record the version they answered.
    pub version: u32,
    /// The title shown in lists.
    pub title: Text,
    /// Where the checklist comes from (free text, edition included).
    pub source: String,
    /// The edition of the guideline the template follows (`"3.1"` for IPA's
    /// SME guideline 第3.1版). Every bundled template names one; a template
    /// that follows no guideline edition leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<Edition>,
    /// A short description of what the checklist is for.
    #[serde(default, skip_serializing_if = "Text::is_unset")]
    pub description: Text,
    /// Named answer scales; items refer to one by name.
    pub scales: BTreeMap<Id, Vec<Choice>>,
    /// The sections, in the order they are walked.
    pub sections: Vec<Section>,
    /// Score bands, highest `min_percent` first.
    #[serde(default)]
    pub bands: Vec<Band>,
}

/// One possible answer on a scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The choice id recorded in runs.
    pub id: Id,
    /// The key that picks this choice in the walker.
    pub key: char,
    /// The label shown beside the key.
    pub label: Text,
    /// Points before weighting; `None` means "not applicable".
    pub points: Option<i32>,
}

/// A group of items with a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The section id, unique in the template.
    pub id: Id,
    /// The section title.
    pub title: Text,
    /// The items, in order.
    pub items: Vec<Item>,
}

/// One question of a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The item id, unique in the template; runs key answers by it.
    pub id: Id,
    /// The name of the scale in [`Inspection::scales`].
    pub scale: Id,
    /// The question.
    pub title: Text,
    /// Why it matters and example measures: the reasons first, then
    /// `対策例：` / `Examples:` and the measures, separated by `／` / `; `.
    #[serde(default, skip_serializing_if = "Text::is_unset")]
    pub guidance: Text,
    /// What every member of staff must do about this item, as one or two
    /// sentences for the company's staff handbook; unset when the item is
    /// for the organisation or an administrator to act on.
    #[serde(default, skip_serializing_if = "Text::is_unset")]
    pub staff: Text,
    /// Choices for which a note must be written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note_required_for: Vec<Id>,
    /// Where the item comes from in the source: one plain string, or the
    /// same place named in Japanese and English (`(ja: "…", en: "…")`). A
    /// company's own template may add the section of its own rules the
    /// item checks.
    #[serde(default, skip_serializing_if = "Name::is_unset")]
    pub reference: Name,
    /// The editions of the guideline that ask this question; `None` means
    /// the template's own edition only is known. Must contain the
    /// template's `edition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editions: Option<Editions>,
    /// Multiplier applied to the points of this item.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: u32,
}

/// A score band: runs at or above `min_percent` get this label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The lowest percentage (of the maximum) in the band.
    pub min_percent: i32,
    /// The band's name.
    pub label: Text,
    /// What to do next when a run lands in the band.
    #[serde(default, skip_serializing_if = "Text::is_unset")]
    pub advice: Text,
}

fn one() -> u32 {
    1
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_one(n: &u32) -> bool {
    *n == 1
}

impl Inspection {
    /// Iterates over every item with the section it belongs to, in walk order.
    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    /// Returns the item with `id`.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().map(|(_, i)| i).find(|i| i.id.as_str() == id)
    }

    /// Returns true when `item` belongs to `edition`: its range contains
    /// it, or, without a range, `edition` is the template's own.
    pub fn item_in_edition(&self, item: &Item, edition: Edition) -> bool {
        match item.editions {
            Some(range) => range.contains(edition),
            None => self.edition == Some(edition),
        }
    }

    /// Returns the number of items.
    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    /// Returns the choices of `item`'s scale (empty if the scale is unknown).
    pub fn choices(&self, item: &Item) -> &[Choice] {
        self.scales.get(&item.scale).map_or(&[], Vec::as_slice)
    }

    /// Returns the choice `choice` on `item`'s scale.
    pub fn choice(&self, item: &Item, choice: &str) -> Option<&Choice> {
        self.choices(item).iter().find(|c| c.id.as_str() == choice)
    }

    /// Returns the best choice on `item`'s scale: the one with the most points.
    pub fn best_choice(&self, item: &Item) -> Option<&Choice> {
        self.choices(item)
            .iter()
            .filter(|c| c.points.is_some())
            .max_by_key(|c| c.points)
    }

    /// Returns the band for `percent`, trying the highest `min_percent` first.
    ///
    /// The last band catches everything below it, negative scores included.
    pub fn band(&self, percent: f64) -> Option<&Band> {
        let mut bands: Vec<&Band> = self.bands.iter().collect();
        bands.sort_by_key(|b| std::cmp::Reverse(b.min_percent));
        bands
            .iter()
            .find(|b| percent >= f64::from(b.min_percent))
            .or_else(|| bands.last())
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Inspection;
    use crate::model::{arb, to_ron};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn a_template_survives_writing_and_reading(insp in arb::inspection()) {
            let text = to_ron(&insp).expect("a template serialises");
            let back: Inspection = crate::load::parse(std::path::Path::new("t.ron"), &text)
                .unwrap_or_else(|d| panic!("{d}\nin:\n{text}"));
            prop_assert_eq!(back, insp, "written as:\n{}", text);
        }
    }
}
