//! What the demo writes on an answer: a note, evidence and a corrective
//! action written for that very item of that very template, so that a reader
//! of the demo's reports finds nothing out of place. One row per item of
//! every template the demo runs; a test checks that none is missing.

/// Who owns a corrective action in the demo company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The administration manager: rules, people, premises.
    Admin,
    /// The IT person: devices, accounts, services.
    It,
    /// The owner: contracts, structure, budget.
    Ceo,
}

impl Owner {
    /// The owner as written on an action.
    pub fn name(self) -> &'static str {
        match self {
            Self::Admin => "総務 鈴木 (Suzuki, admin)",
            Self::It => "IT 佐藤 (Sato, IT)",
            Self::Ceo => "代表 山本 (Yamamoto, CEO)",
        }
    }
}

/// The demo's texts for one item.
#[derive(Debug, Clone, Copy)]
pub struct ItemNotes {
    /// The note on a "partly done" answer.
    pub partly: &'static str,
    /// The note on a "not done" answer.
    pub no: &'static str,
    /// The corrective action for a gap in the item.
    pub action: &'static str,
    /// Who owns that action.
    pub owner: Owner,
    /// Evidence for a "done" answer; empty when none fits.
    pub evidence: &'static str,
    /// The note on a later "partly done" answer of the same item, when the
    /// gap is still open but has moved on; `None` keeps `partly`.
    pub later: Option<&'static str>,
}

/// One row: item id, "partly done" note, "not done" note, action, its
/// owner, evidence ("" for none).
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Owner,
    &'static str,
);

mod organisation;
mod outside;

use organisation::{FIVE_PRINCIPLES, INCIDENT, SELF_CHECK};
use outside::{CLOUD, SUPPLIER, TELEWORK};

/// Notes on "don't know" answers: where the facts are being sought.
const UNKNOWN_IN_HOUSE: &[&str] = &[
    "現状を把握している人がいない (nobody knows the current state)",
    "担当者が不在で確かめられず (the person in charge was away)",
];
const UNKNOWN_SUPPLIER: &[&str] = &[
    "委託先に確認中 (asking the supplier)",
    "委託先の回答待ち (awaiting the supplier's answer)",
];
const UNKNOWN_PROVIDER: &[&str] = &[
    "事業者に問い合わせ中 (asking the provider)",
    "事業者の回答待ち (awaiting the provider's answer)",
];

/// Notes on a second "partly done" in a row: the same gap, a little further
/// on, so that comparisons in the demo show notes that changed.
const LATER: &[(&str, &str, &str)] = &[
    (
        "ipa-self-check",
        "4",
        "権限の見直しは営業フォルダまで完了 (permissions reviewed up to the sales folders)",
    ),
    (
        "ipa-self-check",
        "11",
        "設計データのバックアップを試行中 (design data backup on trial)",
    ),
    (
        "ipa-self-check",
        "19",
        "パート従業員の誓約書は残り2名 (two part-timers' pledges still missing)",
    ),
    (
        "ipa-self-check",
        "20",
        "年1回の研修は決定、毎月の呼びかけは未開始 (yearly training agreed; monthly reminders not started)",
    ),
    (
        "ipa-self-check",
        "21",
        "私物スマホのルールを文書化中 (the private-phone rules are being written)",
    ),
    (
        "ipa-self-check",
        "22",
        "古い契約5件のうち2件に条項を追加済み (clause added to 2 of 5 older contracts)",
    ),
    (
        "ipa-self-check",
        "23",
        "メールサービスの評価を依頼済み (assessment of the mail service requested)",
    ),
    (
        "ipa-self-check",
        "24",
        "初動手順の案はできたが未承認 (first-response draft written, not yet approved)",
    ),
    (
        "ipa-self-check",
        "25",
        "ハンドブック案を作成中 (handbook being drafted)",
    ),
    (
        "supplier-check",
        "staff",
        "教育記録は昨年分のみ提出 (training records submitted for last year only)",
    ),
    (
        "cloud-service",
        "8",
        "利用者の見直しを始めたが未完了 (user review started, not finished)",
    ),
];

/// The templates the demo runs, with their rows.
const TABLES: &[(&str, &[Row])] = &[
    ("ipa-self-check", SELF_CHECK),
    ("ipa-five-principles", FIVE_PRINCIPLES),
    ("incident-readiness", INCIDENT),
    ("telework", TELEWORK),
    ("supplier-check", SUPPLIER),
    ("cloud-service", CLOUD),
];

/// Returns the demo's texts for `item` of `inspection`, if it has any.
pub fn for_item(inspection: &str, item: &str) -> Option<ItemNotes> {
    let (_, rows) = TABLES.iter().find(|(id, _)| *id == inspection)?;
    rows.iter()
        .find(|row| row.0 == item)
        .map(|&(_, partly, no, action, owner, evidence)| ItemNotes {
            partly,
            no,
            action,
            owner,
            evidence,
            later: LATER
                .iter()
                .find(|(i, it, _)| *i == inspection && *it == item)
                .map(|(_, _, note)| *note),
        })
}

/// Returns the notes a "don't know" answer of `inspection` may carry.
pub fn unknown(inspection: &str) -> &'static [&'static str] {
    match inspection {
        "supplier-check" => UNKNOWN_SUPPLIER,
        "cloud-service" => UNKNOWN_PROVIDER,
        _ => UNKNOWN_IN_HOUSE,
    }
}

/// Returns the ids of the templates the table covers.
pub fn inspections() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|(id, _)| *id)
}

/// Returns the ids of the items of `inspection` the table has rows for.
pub fn item_ids(inspection: &str) -> Vec<&'static str> {
    TABLES
        .iter()
        .filter(|(id, _)| *id == inspection)
        .flat_map(|(_, rows)| rows.iter().map(|row| row.0))
        .collect()
}
