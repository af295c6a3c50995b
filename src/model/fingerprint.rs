//! What identifies a template version: the hash of its canonical form, which
//! runs record so that a run is always scored against the template it was
//! taken with, and the parts of a template that decide a score, which
//! `check` compares between two texts of the same version. Pure; no I/O.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::{Choice, Inspection, Item, to_ron};

mod calls;

/// One way scoring under one template text differs from another (see
/// [`Inspection::scoring_changes`]); `Display` is the English sentence,
/// `msg::load::store::scoring_change` both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoringChange {
    /// An item was added.
    Added(String),
    /// An item was removed.
    Removed(String),
    /// An item's choices (ids and points) changed; `from` and `to` as
    /// `(yes 2, no 0)`.
    Choices {
        /// The item.
        item: String,
        /// The choices before.
        from: String,
        /// The choices after.
        to: String,
    },
    /// An item's weight changed.
    Weight {
        /// The item.
        item: String,
        /// The weight before.
        from: u32,
        /// The weight after.
        to: u32,
    },
    /// The choices that need a note on an item changed.
    NoteChoices(String),
    /// The bands' lower limits changed; as `[80, 0]`.
    Bands {
        /// The limits before.
        from: String,
        /// The limits after.
        to: String,
    },
}

impl std::fmt::Display for ScoringChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Added(id) => write!(f, "item `{id}` was added"),
            Self::Removed(id) => write!(f, "item `{id}` was removed"),
            Self::Choices { item, from, to } => write!(
                f,
                "the choices of item `{item}` changed from {from} to {to}"
            ),
            Self::Weight { item, from, to } => {
                write!(f, "the weight of item `{item}` changed from {from} to {to}")
            }
            Self::NoteChoices(item) => {
                write!(f, "the choices that need a note on item `{item}` changed")
            }
            Self::Bands { from, to } => {
                write!(f, "the bands' lower limits changed from {from} to {to}")
            }
        }
    }
}

impl Inspection {
    /// Returns the lowercase hex SHA-256 of the template's canonical form,
    /// [`to_ron`] of the parsed template.
    ///
    /// Comments and layout of the file do not change it; every field does,
    /// titles included, so two runs with the same hash answered exactly the
    /// same checklist. A field added to `Inspection` in a later version must
    /// be left out of the serialisation at its default value, or every
    /// recorded hash would stop matching its template.
    pub fn content_hash(&self) -> Result<String, ron::Error> {
        let text = to_ron(self)?;
        Ok(format!("{:x}", Sha256::digest(text.as_bytes())))
    }

    /// Returns the SHA-256 of the serde calls the template makes when it
    /// is serialised (`calls`): two templates with the same key have the
    /// same [`to_ron`] text, hence the same [`Inspection::content_hash`],
    /// and a template changed in any field has another key. Costs a walk
    /// of the template and a hash of its text, without `ron`'s escaping:
    /// the key of the store's cache of content hashes. `None` when the
    /// template cannot be serialised.
    pub fn form_key(&self) -> Option<[u8; 32]> {
        calls::digest(self)
    }

    /// Returns, one sentence each, how scoring under `other` differs from
    /// scoring under `self`: items added or removed, an item's choices
    /// (ids and points), weight or required notes, and the bands' lower
    /// limits. Empty when every run would score the same under both.
    ///
    /// Wording (titles, guidance, labels), the order of items and the
    /// names of scales do not count.
    pub fn scoring_changes(&self, other: &Self) -> Vec<ScoringChange> {
        let mut out = Vec::new();
        let ids =
            |t: &Self| -> BTreeSet<String> { t.items().map(|(_, i)| i.id.to_string()).collect() };
        let (before, after) = (ids(self), ids(other));
        for id in after.difference(&before) {
            out.push(ScoringChange::Added(id.clone()));
        }
        for id in before.difference(&after) {
            out.push(ScoringChange::Removed(id.clone()));
        }
        for (_, old) in self.items() {
            let Some(new) = other.item(old.id.as_str()) else {
                continue;
            };
            let (a, b) = (points_of(self, old), points_of(other, new));
            if a != b {
                out.push(ScoringChange::Choices {
                    item: old.id.to_string(),
                    from: show_points(&a),
                    to: show_points(&b),
                });
            }
            if old.weight != new.weight {
                out.push(ScoringChange::Weight {
                    item: old.id.to_string(),
                    from: old.weight,
                    to: new.weight,
                });
            }
            let notes = |i: &Item| -> BTreeSet<String> {
                i.note_required_for
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            };
            if notes(old) != notes(new) {
                out.push(ScoringChange::NoteChoices(old.id.to_string()));
            }
        }
        let (a, b) = (band_limits(self), band_limits(other));
        if a != b {
            out.push(ScoringChange::Bands {
                from: format!("{a:?}"),
                to: format!("{b:?}"),
            });
        }
        out
    }
}

/// The choices of `item` as (id, points), in scale order.
fn points_of(t: &Inspection, item: &Item) -> Vec<(String, Option<i32>)> {
    t.choices(item)
        .iter()
        .map(|c: &Choice| (c.id.to_string(), c.points))
        .collect()
}

fn show_points(choices: &[(String, Option<i32>)]) -> String {
    let mut s = String::new();
    for (i, (id, points)) in choices.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        match points {
            Some(p) => {
                let _ = write!(s, "{id} {p}");
            }
            None => {
                let _ = write!(s, "{id} n/a");
            }
        }
    }
    format!("({s})")
}

/// The bands' lower limits, highest first.
fn band_limits(t: &Inspection) -> Vec<i32> {
    let mut limits: Vec<i32> = t.bands.iter().map(|b| b.min_percent).collect();
    limits.sort_unstable_by(|a, b| b.cmp(a));
    limits
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::model::{Inspection, arb, to_ron};

    const TEMPLATE: &str = r#"Inspection(
    format: 1,
    id: "t",
    version: 1,
    title: (en: "T"),
    source: "tests",
    scales: {
        "ynp": [
            Choice(id: "yes", key: '1', label: (en: "Yes"), points: Some(2)),
            Choice(id: "no", key: '3', label: (en: "No"), points: Some(0)),
        ],
    },
    sections: [
        Section(id: "main", title: (en: "Main"), items: [
            Item(id: "1", scale: "ynp", title: (en: "One"), note_required_for: ["no"]),
            Item(id: "2", scale: "ynp", title: (en: "Two")),
        ]),
    ],
    bands: [
        Band(min_percent: 80, label: (en: "Good")),
        Band(min_percent: 0, label: (en: "Gaps")),
    ],
)
"#;

    fn parse(src: &str) -> Inspection {
        crate::load::parse(std::path::Path::new("t.ron"), src).unwrap()
    }

    #[test]
    fn the_hash_ignores_layout_and_comments_but_not_content() {
        let t = parse(TEMPLATE);
        let hash = t.content_hash().unwrap();
        assert_eq!(hash.len(), 64);
        assert!(
            hash.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        let relaid = format!(
            "// a comment\n{}",
            TEMPLATE.replace("    ", "  ").replace(", key", ",key")
        );
        assert_eq!(parse(&relaid).content_hash().unwrap(), hash);
        let reworded = parse(&TEMPLATE.replace("(en: \"One\")", "(en: \"Item one\")"));
        assert_ne!(reworded.content_hash().unwrap(), hash);
    }

    #[test]
    fn the_canonical_form_of_a_fixed_template_never_changes() {
        // Every recorded run names its template by this hash: a change of
        // `to_ron` or of `ron` that moves it would orphan them all.
        assert_eq!(
            parse(TEMPLATE).content_hash().unwrap(),
            "2d73b632365cdc674d963ff905205826234b59cab2b8db5f287c763729e37ae7"
        );
        // Japanese, a combining mark, a tab and a quote, which `ron`
        // writes as they are or escapes character by character.
        let ja = TEMPLATE.replace(
            "title: (en: \"One\")",
            "title: (ja: \"規程は\\t「最新」か\\u{301}\\\"\", en: \"One\")",
        );
        assert_ne!(ja, TEMPLATE);
        assert_eq!(
            parse(&ja).content_hash().unwrap(),
            "0e06e5d0182df55de0d625622b02c01e17936e85399339d8c052e1a1568b7552"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Two templates have the same key exactly when they have the same
        /// canonical text; the text read back has the key again.
        #[test]
        fn the_key_follows_the_canonical_text(
            a in arb::inspection(),
            b in arb::inspection(),
            change in 0usize..10,
        ) {
            let key = |t: &Inspection| t.form_key().unwrap();
            let text = |t: &Inspection| to_ron(t).unwrap();
            prop_assert_eq!(key(&a) == key(&b), text(&a) == text(&b));
            let back: Inspection = ron::from_str(&text(&a)).unwrap();
            prop_assert_eq!(text(&back), text(&a));
            prop_assert_eq!(key(&back), key(&a));
            let mut base = a.clone();
            let mut c = a.clone();
            match change {
                0 => c.title.en.push('a'),
                1 => c.title.ja.push('あ'),
                2 => c.source.push('\u{0301}'),
                3 => c.version = c.version.wrapping_add(1),
                4 => c.description.ja = format!("{}\n", c.description.ja),
                5 => c.bands.push(crate::model::Band {
                    min_percent: 0,
                    label: crate::model::Text::new("", ""),
                    advice: crate::model::Text::new("", ""),
                }),
                6 => c.edition = None,
                7 => c.scales.clear(),
                // One character for another of the same length.
                8 => {
                    base.source.insert(0, 'x');
                    c.source.insert(0, 'y');
                }
                _ => {
                    base.title.ja.push('点');
                    c.title.ja.push('検');
                }
            }
            prop_assert_eq!(key(&c) == key(&base), text(&c) == text(&base));
            // Only these two can leave the template as it was.
            prop_assert!(matches!(change, 6 | 7) || key(&c) != key(&base));
        }
    }

    #[test]
    fn scoring_changes_name_what_changed_and_ignore_wording() {
        let t = parse(TEMPLATE);
        let reworded = parse(&TEMPLATE.replace("(en: \"One\")", "(en: \"Item one\")"));
        assert_eq!(t.scoring_changes(&reworded), Vec::new());
        let changed = parse(
            &TEMPLATE
                .replace("points: Some(0)", "points: Some(1)")
                .replace("title: (en: \"Two\")", "title: (en: \"Two\"), weight: 3")
                .replace("note_required_for: [\"no\"]", "")
                .replace("min_percent: 80", "min_percent: 70")
                .replace(
                    "        ]),\n    ],\n    bands",
                    "            Item(id: \"3\", scale: \"ynp\", title: (en: \"Three\")),\n        ]),\n    ],\n    bands",
                ),
        );
        let sentences: Vec<String> = t
            .scoring_changes(&changed)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            sentences,
            [
                "item `3` was added",
                "the choices of item `1` changed from (yes 2, no 0) to (yes 2, no 1)",
                "the choices that need a note on item `1` changed",
                "the choices of item `2` changed from (yes 2, no 0) to (yes 2, no 1)",
                "the weight of item `2` changed from 1 to 3",
                "the bands' lower limits changed from [80, 0] to [70, 0]",
            ]
        );
    }
}
