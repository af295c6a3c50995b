//! The OSCAL report: an assessment-results document (OSCAL 1.2.1) for one
//! or more runs. Pure.
//!
//! - one `result` per run; its `observations` are the answered items and
//!   its `findings` the items answered below their best choice;
//! - the inspectors are `person` parties with the `assessor` role, the
//!   subjects `organization` parties that observations point at;
//! - `import-ap` points at a stub assessment plan carried in the
//!   document's own back-matter (base64 JSON), so the file stands alone;
//! - every UUID is a version-5 (SHA-1, name-based) UUID of the run id and
//!   item under a fixed namespace, and the timestamps are the runs' own,
//!   so exporting the same runs again gives the same bytes.
//!
//! OSCAL's datatypes are strict (one-line titles, tokens that start with a
//! letter, strings without surrounding spaces); the helpers below shape
//! data to fit, and the integration tests validate the output against
//! NIST's schema.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::build::item_words;
use super::{ItemResult, Report, RunReport, clean, one_line};
use crate::model::Lang;
use crate::number::pct;

/// The OSCAL version the document claims.
pub const OSCAL_VERSION: &str = "1.2.1";

/// The namespace of tenken's own property names.
pub const NS: &str = "urn:tenken:oscal";

/// The namespace of every UUID tenken derives (itself a random UUID).
const UUID_NAMESPACE: Uuid = Uuid::from_bytes([
    0x3d, 0x5c, 0x1f, 0x8e, 0x6a, 0x2b, 0x4e, 0x71, 0x9c, 0x0d, 0x58, 0xe3, 0xa7, 0x14, 0xb2, 0x96,
]);

/// Renders the assessment results as pretty JSON with a final newline.
pub fn render(report: &Report) -> String {
    let lang = report.lang;
    let mut run_ids: Vec<&str> = report.runs.iter().map(|r| r.run.id.as_str()).collect();
    run_ids.sort_unstable();
    let key = run_ids.join("\n");
    let last_modified = report
        .runs
        .iter()
        .map(|r| r.run.finished)
        .max()
        .map_or_else(|| "2000-01-01T00:00:00+00:00".to_owned(), |t| timestamp(&t));
    let title = line_or(&report.title(), "tenken assessment results");

    let mut parties: Vec<Value> = Vec::new();
    let mut assessors: Vec<String> = Vec::new();
    for run in &report.runs {
        let inspector = &run.run.inspector;
        let uuid = uuid_v5(&format!("party:inspector:{}", inspector.id));
        if assessors.contains(&uuid) {
            continue;
        }
        let mut party = Map::new();
        party.insert("uuid".into(), json!(uuid));
        party.insert("type".into(), json!("person"));
        party.insert(
            "name".into(),
            json!(line_or(&inspector.name, inspector.id.as_str())),
        );
        party.insert("short-name".into(), json!(inspector.id.as_str()));
        if is_email(&inspector.email) {
            party.insert("email-addresses".into(), json!([inspector.email]));
        }
        parties.push(Value::Object(party));
        assessors.push(uuid);
    }
    let mut subjects_seen: Vec<String> = Vec::new();
    for run in &report.runs {
        let uuid = subject_uuid(run);
        if subjects_seen.contains(&uuid) {
            continue;
        }
        parties.push(json!({
            "uuid": uuid,
            "type": "organization",
            "name": line_or(&run.subject_name(lang), run.run.subject.as_str()),
            "short-name": run.run.subject.as_str(),
            "props": props(&[
                ("subject-id", run.run.subject.to_string()),
                ("subject-kind", run.subject.as_ref().map(|s| format!("{:?}", s.kind).to_lowercase()).unwrap_or_default()),
                // A bilingual name also in both languages (empty, so
                // left out, for a plain one).
                ("name-ja", bilingual(run, Lang::Ja)),
                ("name-en", bilingual(run, Lang::En)),
            ]),
        }));
        subjects_seen.push(uuid);
    }

    let plan_uuid = uuid_v5(&format!("assessment-plan:{key}"));
    let plan_resource = uuid_v5(&format!("resource:assessment-plan:{key}"));
    let plan = json!({
        "assessment-plan": {
            "uuid": plan_uuid,
            "metadata": {
                "title": format!("{} ({})", title, lang.pick("評価計画の雛形", "stub assessment plan")),
                "last-modified": last_modified,
                "version": "1",
                "oscal-version": OSCAL_VERSION,
            },
            "import-ssp": {
                "href": "tenken.ron",
                "remarks": "tenken keeps no system security plan; the inspection repository (tenken.ron, inspections/, subjects.ron) stands in for it.",
            },
            "reviewed-controls": { "control-selections": [ { "include-all": {} } ] },
        }
    });
    let plan_text = crate::escape::to_json_pretty(&plan).unwrap_or_default();

    let doc = json!({
        "assessment-results": {
            "uuid": uuid_v5(&format!("assessment-results:{key}")),
            "metadata": {
                "title": title,
                "last-modified": last_modified,
                "version": "1",
                "oscal-version": OSCAL_VERSION,
                "props": props(&[("organisation", report.organisation.clone()), ("tool", "tenken".to_owned())]),
                "roles": [ { "id": "assessor", "title": "Assessor" } ],
                "parties": parties,
                "responsible-parties": [ { "role-id": "assessor", "party-uuids": assessors } ],
            },
            "import-ap": {
                "href": format!("#{plan_resource}"),
                "remarks": "The stub assessment plan is in this document's back-matter.",
            },
            "results": report.runs.iter().map(|r| result(r, lang, report.fiscal_start)).collect::<Vec<_>>(),
            "back-matter": {
                "resources": std::iter::once(json!({
                    "uuid": plan_resource,
                    "title": "Stub assessment plan",
                    "description": "The assessment plan these results import, written by tenken: the reviewed controls are every item of the checklists answered.",
                    "base64": {
                        "filename": "assessment-plan.json",
                        "media-type": "application/json",
                        "value": STANDARD.encode(plan_text.as_bytes()),
                    },
                }))
                .chain(evidence_resources(report))
                .collect::<Vec<_>>(),
            },
        }
    });
    let mut text = crate::escape::to_json_pretty(&doc).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// The UUID of the back-matter resource of the evidence file with this
/// SHA-256 (the same file in two runs is one resource).
fn evidence_uuid(sha256: &str) -> String {
    uuid_v5(&format!("evidence:{sha256}"))
}

/// One back-matter resource per evidence file of the reported runs: its
/// name, where it is (relative to the repository, or to a `--bundle`) and
/// its SHA-256, which an auditor checks the file against.
fn evidence_resources(report: &Report) -> Vec<Value> {
    let mut seen = std::collections::HashSet::new();
    report
        .runs
        .iter()
        .flat_map(|r| r.run.evidence_files())
        .filter(|f| seen.insert(f.sha256.clone()))
        .filter_map(|f| {
            Some(json!({
                "uuid": evidence_uuid(&f.sha256),
                "title": clean(&f.name),
                "description": format!("Evidence file, {} bytes.", f.size),
                "rlinks": [ {
                    "href": f.stored_path()?,
                    "media-type": f.media_type,
                    "hashes": [ { "algorithm": "SHA-256", "value": f.sha256 } ],
                } ],
            }))
        })
        .collect()
}

/// One result: the run's score as props, observations and findings.
fn result(r: &RunReport, lang: Lang, fiscal_start: u32) -> Value {
    let run = &r.run;
    let inspector = uuid_v5(&format!("party:inspector:{}", run.inspector.id));
    let subject = subject_uuid(r);
    let items = r.items();
    let observations: Vec<Value> = items
        .iter()
        .filter_map(|it| observation(r, it, lang, &inspector, &subject))
        .collect();
    let findings: Vec<Value> = items
        .iter()
        .filter(|it| it.below_best())
        .map(|it| finding(r, it, lang, &inspector))
        .collect();
    let band = r
        .band
        .as_ref()
        .map(|b| one_line(b.label.get(lang)))
        .unwrap_or_default();
    let description = format!(
        "{} — {}: {}/{} ({}%){}. {} {}, {} {}, {} {}, {} {}.",
        r.subject_name(lang),
        clean(r.template.title.get(lang)),
        r.score.score,
        r.score.max,
        pct(r.percent),
        if band.is_empty() {
            String::new()
        } else {
            format!(", {band}")
        },
        r.score.answered,
        lang.pick("件回答", "answered"),
        r.score.unanswered,
        lang.pick("件未回答", "unanswered"),
        findings.len(),
        lang.pick("件の指摘", "findings"),
        r.score.carried,
        lang.pick("件引継ぎ（未確認）", "carried and not yet confirmed"),
    );
    let mut result = Map::new();
    result.insert("uuid".into(), json!(uuid_v5(&format!("result:{}", run.id))));
    result.insert(
        "title".into(),
        json!(line_or(
            &format!(
                "{} — {} ({})",
                clean(r.template.title.get(lang)),
                r.subject_name(lang),
                run.date()
            ),
            run.id.as_str()
        )),
    );
    result.insert("description".into(), json!(description));
    result.insert("start".into(), json!(timestamp(&run.started)));
    result.insert("end".into(), json!(timestamp(&run.finished)));
    let mut p = vec![
        ("run", run.id.clone()),
        ("subject", run.subject.to_string()),
        ("inspection", run.inspection.to_string()),
        ("inspection-version", run.inspection_version.to_string()),
        ("period", r.period(fiscal_start).to_string()),
        ("score", r.score.score.to_string()),
        ("max", r.score.max.to_string()),
        ("percent", pct(r.percent)),
        ("band", band),
        ("carried", r.score.carried.to_string()),
        ("commit", r.commit.clone().unwrap_or_default()),
        ("supersedes", run.supersedes.clone().unwrap_or_default()),
    ];
    if let Some(c) = &r.comparison {
        p.push(("compared-with", c.from.run.clone()));
        p.push(("score-delta", c.score_delta.to_string()));
        p.push(("regressed", c.summary.regressed.to_string()));
        p.push(("improved", c.summary.improved.to_string()));
    }
    result.insert("props".into(), props(&p));
    result.insert(
        "reviewed-controls".into(),
        json!({ "control-selections": [ { "include-all": {} } ] }),
    );
    if !observations.is_empty() {
        result.insert("observations".into(), Value::Array(observations));
    }
    if !findings.is_empty() {
        result.insert("findings".into(), Value::Array(findings));
    }
    Value::Object(result)
}

/// The observation of an answered item; `None` for an unanswered one.
fn observation(
    r: &RunReport,
    it: &ItemResult<'_>,
    lang: Lang,
    inspector: &str,
    subject: &str,
) -> Option<Value> {
    let answer = it.answer?;
    let label = it.choice.map_or_else(
        || answer.choice.to_string(),
        |c| one_line(c.label.get(lang)),
    );
    let points = match (it.points, it.best) {
        (Some(p), Some(b)) => format!(" ({p}/{b})"),
        _ => String::new(),
    };
    let words = item_words(lang);
    let mut description = format!("{}: {label}{points}", words.answer);
    if answer.carried {
        description.push_str(lang.pick(
            "（前回からの引継ぎ、未確認）",
            " (carried from the previous run, not yet confirmed)",
        ));
    }
    let mut obs = Map::new();
    obs.insert(
        "uuid".into(),
        json!(uuid_v5(&format!("observation:{}#{}", r.run.id, it.item.id))),
    );
    obs.insert("title".into(), json!(item_title(it, lang)));
    obs.insert("description".into(), json!(description));
    obs.insert(
        "props".into(),
        props(&[
            ("item", it.item.id.to_string()),
            ("section", it.section.id.to_string()),
            ("choice", answer.choice.to_string()),
            (
                "points",
                it.points.map(|p| p.to_string()).unwrap_or_default(),
            ),
            (
                "max",
                it.points
                    .and(it.best)
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            ),
            (
                "carried",
                if answer.carried { "true" } else { "" }.to_owned(),
            ),
            ("reference", it.item.reference.get(lang).to_owned()),
        ]),
    );
    obs.insert("methods".into(), json!(["EXAMINE"]));
    obs.insert("types".into(), json!(["control-objective"]));
    obs.insert(
        "origins".into(),
        json!([ { "actors": [ { "type": "party", "actor-uuid": inspector, "role-id": "assessor" } ] } ]),
    );
    obs.insert(
        "subjects".into(),
        json!([ { "subject-uuid": subject, "type": "party" } ]),
    );
    let evidence: Vec<Value> = answer
        .evidence
        .iter()
        .filter(|e| !e.label().trim().is_empty())
        .map(|e| match e {
            crate::model::Evidence::Text(t) => json!({ "description": clean(t) }),
            // A file: the back-matter resource that holds its digest.
            crate::model::Evidence::File(f) => json!({
                "href": format!("#{}", evidence_uuid(&f.sha256)),
                "description": clean(&f.name),
            }),
        })
        .collect();
    if !evidence.is_empty() {
        obs.insert("relevant-evidence".into(), Value::Array(evidence));
    }
    obs.insert("collected".into(), json!(timestamp(&r.run.finished)));
    if !answer.note.trim().is_empty() {
        obs.insert("remarks".into(), json!(clean(&answer.note)));
    }
    Some(Value::Object(obs))
}

/// The finding of an item answered below its best choice.
fn finding(r: &RunReport, it: &ItemResult<'_>, lang: Lang, inspector: &str) -> Value {
    let words = item_words(lang);
    let answer = it.answer;
    let label = it
        .choice
        .map(|c| one_line(c.label.get(lang)))
        .unwrap_or_default();
    let best = it
        .best_choice
        .map(|c| one_line(c.label.get(lang)))
        .unwrap_or_default();
    let description = format!(
        "{}: {label} ({}/{}); {}: {best}.",
        lang.pick("回答", "Answered"),
        it.points.unwrap_or_default(),
        it.best.unwrap_or_default(),
        lang.pick("最善の回答", "best answer"),
    );
    let mut remarks: Vec<String> = Vec::new();
    if let Some(a) = answer {
        if !a.note.trim().is_empty() {
            remarks.push(format!("{}: {}", words.note, clean(&a.note)));
        }
        if let Some(action) = &a.action {
            let owner = if action.owner.trim().is_empty() {
                String::new()
            } else {
                format!(" — {}", clean(&action.owner))
            };
            remarks.push(format!(
                "{}: {}{owner}, {} {}",
                words.action,
                clean(&action.text),
                words.due,
                action.due
            ));
        }
    }
    let mut f = Map::new();
    f.insert(
        "uuid".into(),
        json!(uuid_v5(&format!("finding:{}#{}", r.run.id, it.item.id))),
    );
    f.insert("title".into(), json!(item_title(it, lang)));
    f.insert("description".into(), json!(description));
    if let Some(action) = answer.and_then(|a| a.action.as_ref()) {
        f.insert(
            "props".into(),
            props(&[
                ("action-owner", action.owner.clone()),
                ("action-due", action.due.to_string()),
            ]),
        );
    }
    f.insert(
        "origins".into(),
        json!([ { "actors": [ { "type": "party", "actor-uuid": inspector, "role-id": "assessor" } ] } ]),
    );
    f.insert(
        "target".into(),
        json!({
            "type": "objective-id",
            "target-id": token(&format!("{}.{}", r.run.inspection, it.item.id)),
            "status": { "state": "not-satisfied", "reason": "fail" },
        }),
    );
    f.insert(
        "related-observations".into(),
        json!([ { "observation-uuid": uuid_v5(&format!("observation:{}#{}", r.run.id, it.item.id)) } ]),
    );
    if !remarks.is_empty() {
        f.insert("remarks".into(), json!(remarks.join("\n\n")));
    }
    Value::Object(f)
}

fn item_title(it: &ItemResult<'_>, lang: Lang) -> String {
    line_or(
        &format!("{}: {}", it.item.id, one_line(it.item.title.get(lang))),
        it.item.id.as_str(),
    )
}

fn subject_uuid(r: &RunReport) -> String {
    uuid_v5(&format!("party:subject:{}", r.run.subject))
}

/// Builds OSCAL props in tenken's namespace, leaving out empty values
/// (OSCAL strings may not be empty or padded).
/// Returns the subject's name in `lang` when the register gives it in both
/// languages, else the empty string.
fn bilingual(r: &RunReport, lang: Lang) -> String {
    r.subject
        .as_ref()
        .filter(|s| s.name.is_bilingual())
        .map(|s| clean(s.name.get(lang)))
        .unwrap_or_default()
}

fn props(pairs: &[(&str, String)]) -> Value {
    let list: Vec<Value> = pairs
        .iter()
        .filter_map(|(name, value)| {
            let value = one_line(value);
            (!value.is_empty()).then(|| json!({ "name": name, "ns": NS, "value": value }))
        })
        .collect();
    Value::Array(list)
}

/// Returns `s` as an OSCAL one-line string, or `fallback` when it is blank.
fn line_or(s: &str, fallback: &str) -> String {
    let line = one_line(s);
    if line.is_empty() {
        one_line(fallback)
    } else {
        line
    }
}

/// Makes an OSCAL token (a letter or `_` first, then letters, digits,
/// `.`, `-`, `_`) from an id, which may start with a digit.
fn token(s: &str) -> String {
    let body: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if body.chars().next().is_some_and(char::is_alphabetic) {
        body
    } else {
        format!("_{body}")
    }
}

/// A plausible e-mail address (OSCAL validates the format).
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
        && s.is_ascii()
}

/// An RFC 3339 timestamp with whole seconds and a numeric offset.
fn timestamp(t: &chrono::DateTime<chrono::FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// Returns the version-5 UUID of `name` in tenken's namespace (RFC 9562
/// §5.5), in lower case with hyphens.
pub fn uuid_v5(name: &str) -> String {
    Uuid::new_v5(&UUID_NAMESPACE, name.as_bytes()).to_string()
}

/// Ids and tokens against independent vectors; whole documents are
/// validated against the schema in `tests/integration/report.rs`.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v5_matches_an_independent_implementation() {
        // Python 3's `uuid.uuid5(uuid.UUID("3d5c1f8e-6a2b-4e71-9c0d-58e3a714b296"), name)`,
        // run outside tenken.
        assert_eq!(
            UUID_NAMESPACE.to_string(),
            "3d5c1f8e-6a2b-4e71-9c0d-58e3a714b296"
        );
        assert_eq!(uuid_v5("result:a"), "28b3f3e2-ab29-587f-a452-fde0aae991f6");
        assert_eq!(
            uuid_v5("observation:self/ipa-self-check/2026-11-25T091500-sato#1"),
            "d9e6228c-5d70-509e-ae69-736a8e01e12b"
        );
        assert_ne!(uuid_v5("result:a"), uuid_v5("result:b"));
    }

    #[test]
    fn tokens_start_with_a_letter() {
        assert_eq!(token("ipa-self-check.1"), "ipa-self-check.1");
        assert_eq!(token("1.2"), "_1.2");
        assert!(is_email("sato@example.jp"));
        assert!(!is_email("sato"));
        assert!(!is_email("a b@example.jp"));
    }
}
