//! The measure status check of the guideline's risk analysis sheet
//! (付録7's 対策状況チェック feeds the vulnerability of each threat): threat
//! categories, the checklist items whose answers say how well each is
//! countered, and the vulnerability (1–3) those answers suggest. Pure: the
//! latest runs come in.
//!
//! The categories and their items are tenken's own mapping onto the
//! bundled checklists; the sheet's own list of threats and measures could
//! not be checked (see docs/actions-and-risks.md). The rule follows the
//! vulnerability scale (ipa-facts §3.5): every measure in place → 1,
//! some → 2, none → 3.

use std::sync::Arc;

use crate::model::{HistoryEntry, Id, Inspection, Lang, Run};

/// One threat category and the measures that counter it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    /// The id a threat names in `category`.
    pub id: &'static str,
    /// The category's name: Japanese, English.
    pub title: (&'static str, &'static str),
    /// The measures: inspection id and item id.
    pub measures: &'static [(&'static str, &'static str)],
}

impl Category {
    /// Returns the category's name in `lang`.
    pub fn title(&self, lang: Lang) -> &'static str {
        lang.pick(self.title.0, self.title.1)
    }
}

const SELF: &str = "ipa-self-check";
const FIVE: &str = "ipa-five-principles";
const WEB: &str = "website-operations";

/// Every category, in the order the editor cycles through them.
pub const CATEGORIES: &[Category] = &[
    Category {
        id: "malware",
        title: ("マルウェア感染", "Malware infection"),
        // Updates, anti-malware, care with mail and the web, backups.
        measures: &[
            (SELF, "1"),
            (SELF, "2"),
            (SELF, "6"),
            (SELF, "10"),
            (SELF, "11"),
        ],
    },
    Category {
        id: "unauthorised-access",
        title: ("不正アクセス", "Unauthorised access"),
        // Updates, passwords, access restricted, Wi-Fi encrypted.
        measures: &[(SELF, "1"), (SELF, "3"), (SELF, "4"), (SELF, "9")],
    },
    Category {
        id: "website",
        title: ("Webサイトへの攻撃", "Attacks on the website"),
        // Known weaknesses fixed, components, OS and server software
        // updated, no guessable passwords, malicious traffic blocked.
        measures: &[(WEB, "3"), (WEB, "4"), (WEB, "9"), (WEB, "12"), (WEB, "17")],
    },
    Category {
        id: "phishing",
        title: ("なりすまし・詐欺メール", "Phishing and impersonation"),
        // Care with mail, news of new attacks shared, staff trained.
        measures: &[(SELF, "5"), (SELF, "6"), (SELF, "20")],
    },
    Category {
        id: "mistakes",
        title: ("誤送信・設定の誤り", "Mis-sending and wrong settings"),
        // Recipients checked, important data protected, access and
        // sharing settings reviewed.
        measures: &[(SELF, "4"), (SELF, "7"), (SELF, "8"), (FIVE, "4")],
    },
    Category {
        id: "loss-theft",
        title: ("紛失・盗難", "Loss and theft"),
        // Clear desk, taking out, screen lock, equipment locked away.
        measures: &[(SELF, "12"), (SELF, "13"), (SELF, "14"), (SELF, "16")],
    },
    Category {
        id: "break-in",
        title: ("事務所への侵入", "Break-in"),
        // Entry restricted, equipment locked away, office locked.
        measures: &[(SELF, "15"), (SELF, "16"), (SELF, "17")],
    },
    Category {
        id: "insider",
        title: ("内部からの漏えい", "Leaks from inside"),
        // Access restricted, disposal, confidentiality, private devices.
        measures: &[(SELF, "4"), (SELF, "18"), (SELF, "19"), (SELF, "21")],
    },
    Category {
        id: "supplier",
        title: ("委託先・外部サービス", "Suppliers and outside services"),
        // Confidentiality in contracts, services vetted.
        measures: &[(SELF, "22"), (SELF, "23")],
    },
    Category {
        id: "outage",
        title: ("障害・災害・データ消失", "Failure, disaster and data loss"),
        // Backups, incident readiness.
        measures: &[(SELF, "11"), (SELF, "24")],
    },
];

/// Returns the category with `id`.
pub fn category(id: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.id == id)
}

/// Returns the category after `current` in [`CATEGORIES`] (`None` after
/// the last, the first after `None`): what the editor's cycle key does.
pub fn next(current: Option<&Id>) -> Option<Id> {
    let at = current.and_then(|c| CATEGORIES.iter().position(|k| k.id == c.as_str()));
    let next = match at {
        None => CATEGORIES.first(),
        Some(i) => CATEGORIES.get(i + 1),
    };
    next.and_then(|c| Id::new(c.id).ok())
}

/// How far one measure is in place, from its latest answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureStatus {
    /// The inspection.
    pub inspection: &'static str,
    /// The item.
    pub item: &'static str,
    /// The run that answered it.
    pub run: String,
    /// 2 in place (best choice), 1 partly (some points, below the best),
    /// 0 not in place ("not done" or "don't know").
    pub level: u8,
}

/// What the answers suggest for a category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The vulnerability, 1–3.
    pub value: u8,
    /// Each measure with an answer.
    pub measures: Vec<MeasureStatus>,
    /// The runs the answers come from, oldest first, without repeats.
    pub runs: Vec<String>,
}

/// Suggests the vulnerability of a threat of `category` from `latest`: the
/// latest run (and its template) of each inspection for the organisation.
///
/// Measures answered "not applicable", left unanswered or in no run are
/// left out; with none left there is no suggestion.
pub fn suggest(category: &Category, latest: &[(&Run, &Inspection)]) -> Option<Suggestion> {
    let mut measures = Vec::new();
    for &(inspection, item_id) in category.measures {
        let Some((run, template)) = latest
            .iter()
            .find(|(r, _)| r.inspection.as_str() == inspection)
        else {
            continue;
        };
        let Some(item) = template.item(item_id) else {
            continue;
        };
        let Some(choice) = run
            .answers
            .get(&item.id)
            .and_then(|a| template.choice(item, a.choice.as_str()))
        else {
            continue;
        };
        let (Some(points), Some(best)) = (
            choice.points,
            template.best_choice(item).and_then(|c| c.points),
        ) else {
            continue;
        };
        let level = if points >= best {
            2
        } else {
            u8::from(points > 0)
        };
        measures.push(MeasureStatus {
            inspection,
            item: item_id,
            run: run.id.clone(),
            level,
        });
    }
    if measures.is_empty() {
        return None;
    }
    let value = if measures.iter().all(|m| m.level == 2) {
        1
    } else if measures.iter().all(|m| m.level == 0) {
        3
    } else {
        2
    };
    let mut runs: Vec<(&Run, String)> = Vec::new();
    for m in &measures {
        if !runs.iter().any(|(_, id)| *id == m.run)
            && let Some((run, _)) = latest.iter().find(|(r, _)| r.id == m.run)
        {
            runs.push((run, m.run.clone()));
        }
    }
    runs.sort_by(|a, b| (a.0.finished, &a.1).cmp(&(b.0.finished, &b.1)));
    Some(Suggestion {
        value,
        measures,
        runs: runs.into_iter().map(|(_, id)| id).collect(),
    })
}

/// Suggests the vulnerability for the category with id `category`, if it
/// is known and the answers say something.
pub fn suggest_for(category: &Id, latest: &[(&Run, &Inspection)]) -> Option<Suggestion> {
    suggest(self::category(category.as_str())?, latest)
}

/// Returns the latest run (with its template) of each inspection for
/// `subject`, from runs given oldest first or in any order.
pub fn latest_of<'a>(
    subject: &Id,
    runs: impl IntoIterator<Item = (&'a Run, &'a Inspection)>,
) -> Vec<(&'a Run, &'a Inspection)> {
    let mut out: Vec<(&'a Run, &'a Inspection)> = Vec::new();
    for (run, template) in runs.into_iter().filter(|(r, _)| r.subject == *subject) {
        match out.iter_mut().find(|(r, _)| r.inspection == run.inspection) {
            Some(slot) => {
                if (slot.0.finished, &slot.0.id) < (run.finished, &run.id) {
                    *slot = (run, template);
                }
            }
            None => out.push((run, template)),
        }
    }
    out
}

/// Returns the latest run of each inspection for `subject` in `history`,
/// with its answers (the history holds them in brief) and its template.
pub fn latest_answers(subject: &Id, history: &[HistoryEntry]) -> Vec<(Run, Arc<Inspection>)> {
    latest_of(
        subject,
        history.iter().map(|h| (&h.run, h.template.as_ref())),
    )
    .into_iter()
    .filter_map(|(run, _)| history.iter().find(|h| h.run.id == run.id))
    .map(|h| (h.brief_run(), Arc::clone(&h.template)))
    .collect()
}

/// The mapping against the bundled checklists, and the suggestion rule on
/// a self-check.
#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    use std::path::Path;

    use super::*;

    fn bundled(name: &str) -> Inspection {
        crate::bundle::inspection(name)
    }

    fn run(insp: &Inspection, date: &str, answers: &[(&str, &str)]) -> Run {
        let answers = answers.iter().fold(String::new(), |mut out, (i, c)| {
            let _ = write!(out, "\"{i}\": (choice: \"{c}\"),");
            out
        });
        let text = format!(
            r#"Run(format: 1, id: "self/{id}/{date}T100000-sato", inspection: "{id}",
            inspection_version: {v}, subject: "self", inspector: (id: "sato"),
            started: "{date}T09:00:00+09:00", finished: "{date}T10:00:00+09:00",
            answers: {{ {answers} }})"#,
            id = insp.id,
            v = insp.version,
        );
        crate::load::parse(Path::new("run.ron"), &text).unwrap()
    }

    #[test]
    fn every_measure_is_an_item_of_a_bundled_checklist() {
        let templates: BTreeMap<&str, Inspection> = [SELF, FIVE, WEB]
            .into_iter()
            .map(|t| (t, bundled(t)))
            .collect();
        let mut ids = std::collections::HashSet::new();
        for c in CATEGORIES {
            assert!(ids.insert(c.id), "duplicate category {}", c.id);
            assert!(Id::new(c.id).is_ok());
            assert!(!c.measures.is_empty());
            for (inspection, item) in c.measures {
                assert!(
                    templates[inspection].item(item).is_some(),
                    "{}: {inspection} has no item {item}",
                    c.id
                );
            }
        }
        // The editor's cycle runs through every category and back to none.
        let mut seen = Vec::new();
        let mut at = next(None);
        while let Some(c) = at {
            seen.push(c.to_string());
            at = next(Some(&c));
        }
        assert_eq!(seen.len(), CATEGORIES.len());
    }

    #[test]
    fn all_in_place_is_1_some_is_2_none_is_3() {
        let check = bundled(SELF);
        let malware = category("malware").unwrap();
        let suggest_with = |answers: &[(&str, &str)]| {
            let r = run(&check, "2026-10-21", answers);
            suggest(malware, &[(&r, &check)]).map(|s| s.value)
        };
        let all = |c| -> Vec<(&str, &str)> { ["1", "2", "6", "10", "11"].map(|i| (i, c)).to_vec() };
        assert_eq!(suggest_with(&all("yes")), Some(1));
        assert_eq!(suggest_with(&all("partly")), Some(2));
        assert_eq!(suggest_with(&all("no")), Some(3));
        assert_eq!(
            suggest_with(&all("unknown")),
            Some(3),
            "don't know counts as not in place"
        );
        let mut one_no = all("yes");
        one_no[2] = ("6", "no");
        assert_eq!(suggest_with(&one_no), Some(2));
        // Unanswered measures are left out; none answered, no suggestion.
        assert_eq!(suggest_with(&[("1", "yes")]), Some(1));
        assert_eq!(
            suggest_with(&[("3", "no")]),
            None,
            "item 3 is not a malware measure"
        );
        // Not applicable is left out too.
        let unauth = category("unauthorised-access").unwrap();
        let r = run(
            &check,
            "2026-10-21",
            &[("1", "yes"), ("3", "yes"), ("4", "yes"), ("9", "na")],
        );
        let s = suggest(unauth, &[(&r, &check)]).unwrap();
        assert_eq!((s.value, s.measures.len()), (1, 3));
        assert_eq!(s.runs, std::slice::from_ref(&r.id));
    }

    #[test]
    fn the_latest_run_of_each_inspection_counts() {
        let check = bundled(SELF);
        let five = bundled(FIVE);
        let old = run(
            &check,
            "2026-04-01",
            &[("4", "no"), ("7", "no"), ("8", "no")],
        );
        let new = run(
            &check,
            "2026-10-01",
            &[("4", "yes"), ("7", "yes"), ("8", "yes")],
        );
        let principles = run(&five, "2026-09-01", &[("4", "partly")]);
        let runs = [(&new, &check), (&principles, &five), (&old, &check)];
        let latest = latest_of(&Id::new("self").unwrap(), runs);
        assert_eq!(latest.len(), 2);
        let s = suggest(category("mistakes").unwrap(), &latest).unwrap();
        assert_eq!(
            s.value, 2,
            "the five principles' sharing settings are partly done"
        );
        assert_eq!(s.runs, [principles.id.clone(), new.id.clone()]);
    }
}
