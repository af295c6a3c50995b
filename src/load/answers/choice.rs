//! What a person may write in an answer cell: the choice id (`partly`), its
//! key (`2`) or its label in either language (`一部`, `Partly`), compared
//! after the normalisation that cannot change meaning: full-width ASCII
//! (`２`, `Ｐａｒｔｌｙ`) read as ASCII, spacing collapsed, case ignored, and
//! typographic quotes that spreadsheets substitute (`Don’t know`) read as
//! plain ones. Pure.

use crate::model::{Choice, Inspection, Item};
use crate::msg::Message;
use crate::msg::load::answers as words;

/// Returns `s` as answers are compared: full-width ASCII and the
/// ideographic space folded to ASCII, curly quotes to straight ones,
/// whitespace runs to one space, trimmed and lower-cased.
pub fn normalise(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            // Full-width forms of ASCII `!`..`~` sit 0xFEE0 above it.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            _ => c,
        })
        .collect();
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Returns the choice of `item` that `raw` names, or why none does (listing
/// what is allowed).
///
/// Tried in order: the choice id, the key, then the labels; a label shared
/// by two choices is refused as ambiguous rather than guessed.
pub fn resolve<'a>(
    inspection: &'a Inspection,
    item: &Item,
    raw: &str,
) -> Result<&'a Choice, Message> {
    let want = normalise(raw);
    let choices = inspection.choices(item);
    let by_id = choices.iter().find(|c| normalise(c.id.as_str()) == want);
    let by_key = || {
        choices
            .iter()
            .find(|c| normalise(c.key.encode_utf8(&mut [0; 4])) == want)
    };
    if let Some(choice) = by_id.or_else(by_key) {
        return Ok(choice);
    }
    let by_label: Vec<&Choice> = choices
        .iter()
        .filter(|c| {
            [&c.label.ja, &c.label.en]
                .iter()
                .any(|l| !l.trim().is_empty() && normalise(l) == want)
        })
        .collect();
    match by_label[..] {
        [one] => Ok(one),
        [] => Err(words::not_an_answer(
            raw.trim(),
            item.id.as_str(),
            &allowed(choices),
        )),
        ref many => {
            let ids: Vec<&str> = many.iter().map(|c| c.id.as_str()).collect();
            Err(words::ambiguous_label(
                raw.trim(),
                item.id.as_str(),
                &ids.join(", "),
            ))
        }
    }
}

/// Lists the choices as `id (key, label, label)`, each form once.
pub fn allowed(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| {
            let mut forms: Vec<String> = Vec::new();
            let mut seen = vec![normalise(c.id.as_str())];
            for form in [c.key.to_string(), c.label.ja.clone(), c.label.en.clone()] {
                let n = normalise(&form);
                if !n.is_empty() && !seen.contains(&n) {
                    seen.push(n);
                    forms.push(form.trim().to_owned());
                }
            }
            if forms.is_empty() {
                c.id.to_string()
            } else {
                format!("{} ({})", c.id, forms.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::Lang;

    const TEMPLATE: &str = r#"Inspection(
    format: 1, id: "t", version: 1, title: (en: "T"), source: "tests",
    scales: { "s": [
        Choice(id: "yes", key: '1', label: (ja: "確認できた", en: "Confirmed"), points: Some(2)),
        Choice(id: "partly", key: '2', label: (ja: "一部", en: "Partly"), points: Some(1)),
        Choice(id: "unknown", key: '4', label: (ja: "わからない", en: "Don't know"), points: Some(-1)),
        Choice(id: "na", key: '5', label: (ja: "該当しない", en: "Partly"), points: None),
    ] },
    sections: [ Section(id: "a", title: (en: "A"), items: [
        Item(id: "1", scale: "s", title: (en: "One")),
    ]) ],
)"#;

    fn choose(raw: &str) -> Result<&'static str, String> {
        let t = crate::load::inspection_from_str(Path::new("t.ron"), TEMPLATE, Some("t")).unwrap();
        let item = t.item("1").unwrap().clone();
        resolve(&t, &item, raw)
            .map(|c| match c.id.as_str() {
                "yes" => "yes",
                "partly" => "partly",
                "unknown" => "unknown",
                other => panic!("{other}"),
            })
            .map_err(|m| m.to_string())
    }

    #[test]
    fn ids_keys_and_labels_in_either_language_name_a_choice() {
        for (raw, want) in [
            ("yes", "yes"),
            (" YES ", "yes"),
            ("ｙｅｓ", "yes"),
            ("1", "yes"),
            ("１", "yes"),
            ("確認できた", "yes"),
            ("　確認できた　", "yes"),
            ("confirmed", "yes"),
            ("一部", "partly"),
            ("partly", "partly"),
            ("2", "partly"),
            ("Don't know", "unknown"),
            ("don’t  KNOW", "unknown"),
            ("わからない", "unknown"),
        ] {
            assert_eq!(choose(raw), Ok(want), "{raw:?}");
        }
    }

    #[test]
    fn unknown_and_ambiguous_values_say_what_is_allowed() {
        assert_eq!(
            choose("maybe"),
            Err("`maybe` is not an answer for item `1`; allowed: yes (1, 確認できた, Confirmed), partly (2, 一部), unknown (4, わからない, Don't know), na (5, 該当しない, Partly)".into())
        );
        let t = crate::load::inspection_from_str(Path::new("t.ron"), TEMPLATE, Some("t")).unwrap();
        assert_eq!(
            resolve(&t, t.item("1").unwrap(), "maybe")
                .unwrap_err()
                .get(Lang::Ja),
            "`maybe` は項目 `1` の回答として使えません。使える回答: yes (1, 確認できた, Confirmed), partly (2, 一部), unknown (4, わからない, Don't know), na (5, 該当しない, Partly)"
        );
        // `partly` is an id, so it wins; but the label `Partly` alone would
        // be shared by two choices. Here the label of `na` is only reachable
        // through its other forms.
        assert_eq!(choose("Partly"), Ok("partly"));
        assert!(
            choose("３")
                .unwrap_err()
                .starts_with("`３` is not an answer")
        );
    }

    #[test]
    fn a_label_shared_by_two_choices_is_refused() {
        let src = TEMPLATE
            .replace("en: \"Confirmed\"", "en: \"Same\"")
            .replace("en: \"Don't know\"", "en: \"Same\"");
        let t = crate::load::inspection_from_str(Path::new("t.ron"), &src, Some("t")).unwrap();
        let item = t.item("1").unwrap();
        let refused = resolve(&t, item, "same").unwrap_err();
        assert_eq!(
            refused.get(Lang::En),
            "`same` is the label of more than one answer for item `1` (yes, unknown); write the answer's id or key"
        );
        assert_eq!(
            refused.get(Lang::Ja),
            "`same` は項目 `1` の複数の回答（yes, unknown）のラベルです。回答の ID かキーを書いてください"
        );
    }
}
