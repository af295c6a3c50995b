//! The questionnaire as CSV (UTF-8 and CP932) and as a workbook, read back
//! by the answers import: the header block, the table, and the checks on
//! the header. Filling a workbook in another program is tested in
//! `tests/integration/questionnaire.rs`.

use std::path::Path;

use chrono::NaiveDate;

use super::*;
use crate::load::answers::{self, Encoding};
use crate::model::{SubjectKind, Subjects};

const TEMPLATE: &str = r#"Inspection(
    format: 1, id: "supplier-check", version: 3, title: (ja: "委託先点検", en: "Supplier check"), source: "tests",
    scales: { "s": [
        Choice(id: "yes", key: '1', label: (ja: "確認できた", en: "Confirmed"), points: Some(4)),
        Choice(id: "partly", key: '2', label: (ja: "一部", en: "Partly"), points: Some(2)),
        Choice(id: "no", key: '3', label: (ja: "できていない", en: "Not in place"), points: Some(0)),
        Choice(id: "na", key: '4', label: (en: "n/a"), points: None),
    ] },
    sections: [
        Section(id: "m", title: (ja: "管理", en: "Management"), items: [
            Item(id: "policy", scale: "s", title: (ja: "方針はありますか？", en: "Is there a policy, \"written\"?"), note_required_for: ["no"]),
            Item(id: "nda", scale: "s", title: (ja: "秘密保持契約", en: "=NDA, signed")),
        ]),
        Section(id: "t", title: (ja: "技術", en: "Technical"), items: [
            Item(id: "backup", scale: "s", title: (en: "Backups 1〜3")),
            Item(id: "erase", scale: "s", title: (ja: "消去", en: "Erasure")),
        ]),
    ],
)"#;

fn template() -> Inspection {
    crate::load::inspection_from_str(Path::new("t.ron"), TEMPLATE, Some("supplier-check")).unwrap()
}

fn supplier() -> Subject {
    let src = r#"Subjects(format: 1, subjects: [
        Subject(id: "aoba", kind: Supplier, name: "あおば会計 & Co", criticality: 3),
    ])"#;
    let subjects: Subjects = ron::from_str(src).unwrap();
    assert_eq!(subjects.subjects[0].kind, SubjectKind::Supplier);
    subjects.subjects[0].clone()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn import(path: &str, bytes: &[u8], t: &Inspection) -> answers::Imported {
    answers::answers_from_bytes(Path::new(path), bytes, t).unwrap()
}

#[test]
fn the_csv_questionnaire_opens_with_its_header_block_and_reads_back() {
    let (t, s) = (template(), supplier());
    let q = Questionnaire::new(&t, &s, Lang::Ja, day()).unwrap();
    let bytes = q.to_csv(CsvEncoding::Utf8).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    assert!(text.starts_with("\u{feff}委託先点検 — 質問票 / Questionnaire,,,,,,,,\r\n委託先 / Supplier,あおば会計 & Co,,,,,,,\r\n委託先 ID / Supplier ID,aoba,,,,,,,\r\n"), "{text}");
    assert!(text.contains(&format!(
        "\r\nテンプレートの SHA-256 / Template SHA-256,{},,,,,,,\r\n",
        q.checksum
    )));
    assert!(text.contains("\r\n版 / Version,3,,,,,,,\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
    let table = text.split_once("\r\n,,,,,,,,\r\n").unwrap().1;
    let mut lines = table.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("item,section,question_ja,question_en,choices,note_required,choice,note,evidence")
    );
    assert_eq!(
        lines.next(),
        Some(
            "policy,管理,方針はありますか？,\"Is there a policy, \"\"written\"\"?\",1 = 確認できた / Confirmed (yes); 2 = 一部 / Partly (partly); 3 = できていない / Not in place (no); 4 = n/a (na),できていない,,,"
        )
    );
    // A question that a spreadsheet would take for a formula stays text.
    assert!(
        lines.next().unwrap().contains(",\"'=NDA, signed\","),
        "{table}"
    );

    let got = import("q.csv", &bytes, &t);
    assert!(got.answers.is_empty(), "nothing is answered yet");
    assert_eq!(got.encoding, Some(Encoding::Utf8Bom));
    assert_eq!(got.header.supplier.as_deref(), Some("aoba"));
    assert_eq!(got.header.inspection.as_deref(), Some("supplier-check"));
    assert_eq!(got.header.version.as_deref(), Some("3"));
    assert_eq!(got.header.checksum.as_deref(), Some(q.checksum.as_str()));
    assert_eq!(
        check_header(Path::new("q.csv"), &got.header, &t, &s.id).unwrap(),
        None
    );

    // Filled in: the last three cells of some rows, in every accepted form.
    let filled: String = text
        .split_inclusive("\r\n")
        .map(|line| {
            let fill =
                |cells: &str| format!("{}{cells}\r\n", line.strip_suffix(",,,\r\n").unwrap());
            if line.starts_with("policy,") {
                fill(",できていない,\"not yet, \"\"planned\"\"\",")
            } else if line.starts_with("nda,") {
                fill(",１,,\"NDA 2024-04\r\nsigned copy\"")
            } else if line.starts_with("erase,") {
                fill(",Partly,weekly,")
            } else {
                line.to_owned()
            }
        })
        .collect();
    let got = import("q.csv", filled.as_bytes(), &t).answers;
    assert_eq!(got.len(), 3, "backup left blank");
    let a = |i: &str| &got[&Id::new(i).unwrap()];
    assert_eq!(
        (a("policy").choice.as_str(), a("policy").note.as_str()),
        ("no", "not yet, \"planned\"")
    );
    assert_eq!(a("nda").choice.as_str(), "yes");
    assert_eq!(a("nda").evidence, ["NDA 2024-04", "signed copy"]);
    assert_eq!(a("erase").choice.as_str(), "partly");
}

#[test]
fn cp932_holds_what_it_can_and_names_the_item_it_cannot() {
    let (t, s) = (template(), supplier());
    let q = Questionnaire::new(&t, &s, Lang::En, day()).unwrap();
    let bytes = q.to_csv(CsvEncoding::Cp932).unwrap();
    assert!(
        !bytes.starts_with(b"\xEF\xBB\xBF"),
        "no byte order mark in CP932"
    );
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    // English first; the wave dash is written as CP932's full-width tilde.
    assert!(
        text.contains("\r\nbackup,Technical,Backups 1～3,Backups 1～3,"),
        "{text}"
    );
    let got = import("q.csv", &bytes, &t);
    assert_eq!(got.encoding, Some(Encoding::Cp932));
    assert_eq!(got.header.supplier.as_deref(), Some("aoba"));

    let mut odd = template();
    odd.sections[1].items[1].title.en = "Erasure 🗑".into();
    let q = Questionnaire::new(&odd, &s, Lang::En, day()).unwrap();
    let err = q.to_csv(CsvEncoding::Cp932).unwrap_err();
    assert_eq!(
        err.to_string(),
        "item `erase` has `🗑` (U+1F5D1), which CP932 (Shift_JIS) cannot hold"
    );
    assert!(err.hints()[0].to_string().contains("--encoding utf-8"));
    let mut name = supplier();
    name.name = "Café Ltd".into();
    let q = Questionnaire::new(&t, &name, Lang::En, day()).unwrap();
    assert_eq!(
        q.to_csv(CsvEncoding::Cp932).unwrap_err().to_string(),
        "the header field `supplier_name` has `é` (U+00E9), which CP932 (Shift_JIS) cannot hold"
    );
}

#[test]
fn the_workbook_reads_back_with_its_header_and_no_answers() {
    let (t, s) = (template(), supplier());
    let q = Questionnaire::new(&t, &s, Lang::Ja, day()).unwrap();
    let bytes = q.to_xlsx().unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    assert_eq!(
        q.to_xlsx().unwrap(),
        bytes,
        "the same export gives the same bytes"
    );
    let got = import("q.xlsx", &bytes, &t);
    assert!(got.answers.is_empty());
    assert_eq!(got.encoding, None);
    assert_eq!(
        got.header,
        answers::Header {
            supplier: Some("aoba".into()),
            inspection: Some("supplier-check".into()),
            version: Some("3".into()),
            checksum: Some(q.checksum.clone()),
        }
    );
    // The parts a supplier's spreadsheet relies on are in the file.
    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<sheetProtection"), "protected");
    assert!(
        sheet.contains(r#"<dataValidation type="list""#),
        "drop-down"
    );
    assert!(sheet.contains("<formula1>choices_1</formula1>"));
    assert!(
        sheet.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape""#),
        "{sheet}"
    );
    let book = unzip(&bytes, "xl/workbook.xml");
    assert!(
        book.contains(r#"<definedName name="_xlnm.Print_Titles""#),
        "{book}"
    );
    assert!(
        book.contains(r#"<sheet name="tenken_choices" sheetId="2" state="hidden""#),
        "{book}"
    );
    let strings = unzip(&bytes, "xl/sharedStrings.xml");
    for label in [
        "確認できた",
        "一部",
        "できていない",
        "n/a",
        "記入のしかた",
        "How to fill in",
    ] {
        assert!(strings.contains(label), "{label}");
    }
}

fn unzip(bytes: &[u8], part: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut out).unwrap();
    out
}

#[test]
fn the_header_must_match_what_is_recorded() {
    let t = template();
    let aoba = Id::new("aoba").unwrap();
    let header =
        |supplier: &str, inspection: &str, version: &str, checksum: &str| answers::Header {
            supplier: Some(supplier.into()),
            inspection: Some(inspection.into()),
            version: Some(version.into()),
            checksum: Some(checksum.into()),
        };
    let sum = template_checksum(&t).unwrap();
    assert_eq!(sum.len(), 64);
    let check = |h: &answers::Header| check_header(Path::new("q.xlsx"), h, &t, &aoba);
    assert_eq!(
        check(&header("aoba", "supplier-check", "3", &sum.to_uppercase())).unwrap(),
        None
    );
    assert_eq!(
        check(&answers::Header::default()).unwrap(),
        None,
        "a plain answers file"
    );
    let refused = |h: answers::Header| check(&h).unwrap_err().to_string();
    assert_eq!(
        refused(header("kumo", "supplier-check", "3", &sum)),
        "q.xlsx: this questionnaire was written for supplier `kumo`, not `aoba`"
    );
    assert_eq!(
        refused(header("aoba", "telework", "3", &sum)),
        "q.xlsx: this questionnaire asks inspection `telework`, not `supplier-check`"
    );
    assert_eq!(
        refused(header("aoba", "supplier-check", "2", &sum)),
        "q.xlsx: this questionnaire was written for version 2 of `supplier-check`, but the template is now version 3, whose questions may differ"
    );
    let warning = check(&header("aoba", "supplier-check", "3", "0123456789abcdef"))
        .unwrap()
        .unwrap();
    assert_eq!(
        warning.get(Lang::En),
        format!(
            "q.xlsx: this questionnaire was written from another copy of `supplier-check` version 3 (template SHA-256 0123456789ab…, now {}…); its answers were checked against the current template",
            &sum[..12]
        )
    );
    assert_eq!(
        warning.get(Lang::Ja),
        format!(
            "q.xlsx: この質問票は `supplier-check` 版 3 の別の写しから作られています（チェックリストの SHA-256 0123456789ab…、現在は {}…）。回答は現在のチェックリストで確かめました",
            &sum[..12]
        )
    );
    // The checksum follows the template's content.
    let mut edited = template();
    edited.sections[0].items[0].title.en = "Is there a written policy?".into();
    assert_ne!(template_checksum(&edited).unwrap(), sum);
}
