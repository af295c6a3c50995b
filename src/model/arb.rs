//! proptest generators for the model, shared by the round-trip tests of
//! each record family. Test-only.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;

use super::{
    Action, Answer, Band, Choice, Edition, Editions, Evidence, EvidenceFile, Id, Inspection,
    Inspector, Item, Name, Run, Section, Text,
};

/// Any valid id, short enough to keep cases readable.
pub fn id() -> impl Strategy<Value = Id> {
    "[a-z0-9][a-z0-9._-]{0,15}".prop_map(|s| Id::new(&s).expect("the regex only makes valid ids"))
}

/// Any string: quotes, backslashes, newlines, control and wide characters.
pub fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        1 => Just(String::new()),
        1 => Just(" ".to_owned()),
        1 => r#"[ -~"\\\n\t点検]{0,12}"#,
    ]
}

/// Any text, either language empty or blank.
pub fn text() -> impl Strategy<Value = Text> {
    (string(), string()).prop_map(|(ja, en)| Text { ja, en })
}

/// Any name: a plain string or bilingual text. A text with neither form
/// is left out when written and reads back as the empty plain name, which
/// is what it is made as here.
pub fn name() -> impl Strategy<Value = Name> {
    prop_oneof![
        string().prop_map(Name::Plain),
        text().prop_map(|t| if t.is_unset() {
            Name::default()
        } else {
            Name::Text(t)
        }),
    ]
}

/// Any instant from 1970 to 2100 with a whole-minute offset, nanoseconds
/// included (the system clock has them).
pub fn timestamp() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (
        0i64..4_102_444_800,
        0u32..1_000_000_000,
        -(12 * 60)..=(14 * 60),
    )
        .prop_map(|(secs, nanos, offset_minutes)| {
            let offset = FixedOffset::east_opt(offset_minutes * 60).expect("offset is in range");
            DateTime::from_timestamp(secs, nanos)
                .expect("timestamp is in range")
                .with_timezone(&offset)
        })
}

/// Any date from 1970 to 2100.
pub fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..47_482).prop_map(|days| {
        NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date") + Duration::days(days)
    })
}

fn inspector() -> impl Strategy<Value = Inspector> {
    (id(), string(), string()).prop_map(|(id, name, email)| Inspector { id, name, email })
}

fn evidence() -> impl Strategy<Value = Evidence> {
    prop_oneof![
        string().prop_map(Evidence::Text),
        (string(), any::<u64>(), "[0-9a-f]{64}").prop_map(|(name, size, sha256)| {
            Evidence::File(EvidenceFile {
                name,
                media_type: "image/png".into(),
                size,
                sha256,
            })
        }),
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    let action =
        (string(), string(), date()).prop_map(|(text, owner, due)| Action { text, owner, due });
    (
        id(),
        string(),
        vec(evidence(), 0..3),
        any::<bool>(),
        option::of(action),
    )
        .prop_map(|(choice, note, evidence, carried, action)| Answer {
            choice,
            note,
            evidence,
            carried,
            action,
            written_for: None,
        })
}

/// Any run, valid against a template or not: the round trip is about the
/// file format only.
pub fn run() -> impl Strategy<Value = Run> {
    (
        (any::<u32>(), string(), id(), any::<u32>(), id()),
        (inspector(), timestamp(), timestamp()),
        btree_map(id(), answer(), 0..5),
        (
            option::of(string()),
            vec(string(), 0..3),
            option::of(string()),
        ),
    )
        .prop_map(
            |(
                (format, id, inspection, inspection_version, subject),
                (inspector, started, finished),
                answers,
                (supersedes, closes, inspection_hash),
            )| Run {
                format,
                id,
                inspection,
                inspection_version,
                inspection_hash: inspection_hash.map(Into::into),
                subject,
                inspector,
                started,
                finished,
                answers,
                supersedes,
                closes,
            },
        )
}

fn choice() -> impl Strategy<Value = Choice> {
    (id(), any::<char>(), text(), option::of(any::<i32>())).prop_map(|(id, key, label, points)| {
        Choice {
            id,
            key,
            label,
            points,
        }
    })
}

/// Any edition, `1.0` to `12.9`.
fn edition() -> impl Strategy<Value = Edition> {
    (1u16..13, 0u16..10).prop_map(|(major, minor)| Edition::new(major, minor))
}

fn editions() -> impl Strategy<Value = Editions> {
    (edition(), option::of(edition())).prop_map(|(from, to)| Editions { from, to })
}

fn item() -> impl Strategy<Value = Item> {
    (
        (id(), id(), text(), text(), text()),
        (
            vec(id(), 0..3),
            name(),
            option::of(editions()),
            any::<u32>(),
        ),
    )
        .prop_map(
            |(
                (id, scale, title, guidance, staff),
                (note_required_for, reference, editions, weight),
            )| Item {
                id,
                scale,
                title,
                guidance,
                staff,
                note_required_for,
                reference,
                editions,
                weight,
            },
        )
}

fn section() -> impl Strategy<Value = Section> {
    (id(), text(), vec(item(), 0..4)).prop_map(|(id, title, items)| Section { id, title, items })
}

fn band() -> impl Strategy<Value = Band> {
    (any::<i32>(), text(), text()).prop_map(|(min_percent, label, advice)| Band {
        min_percent,
        label,
        advice,
    })
}

/// Any template, valid or not: the round trip is about the file format only.
pub fn inspection() -> impl Strategy<Value = Inspection> {
    (
        (any::<u32>(), id(), any::<u32>(), text(), string(), text()),
        option::of(edition()),
        btree_map(id(), vec(choice(), 0..4), 0..3),
        vec(section(), 0..3),
        vec(band(), 0..3),
    )
        .prop_map(
            |(
                (format, id, version, title, source, description),
                edition,
                scales,
                sections,
                bands,
            )| {
                Inspection {
                    format,
                    id,
                    version,
                    title,
                    source,
                    edition,
                    description,
                    scales,
                    sections,
                    bands,
                }
            },
        )
}
