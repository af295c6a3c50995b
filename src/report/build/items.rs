//! The item rows of a run (answer, note, evidence files, corrective
//! action) and its open-actions table, in the report's document model.

use super::{
    ActionRow, AnswerCell, ChoiceName, Directory, Evidence, EvidenceEntry, FileEntry, ItemResult,
    ItemRow, ItemSection, ItemWords, Items, Lang, OpenActions, Preview, Report, RunReport, clean,
    column, pct,
};

/// Every item, section by section.
pub(super) fn items(run: &RunReport, report: &Report, dir: &Directory<'_>) -> Items {
    let lang = report.lang;
    Items {
        heading: lang.pick("項目", "Items").to_owned(),
        columns: vec![
            column("No.", false),
            column(lang.pick("質問", "Question"), false),
            column(lang.pick("回答", "Answer"), false),
            column(lang.pick("点", "Points"), true),
            column(
                lang.pick("メモ・証跡・是正処置", "Note, evidence, action"),
                false,
            ),
        ],
        words: item_words(lang),
        sections: run
            .sections()
            .iter()
            .map(|sec| ItemSection {
                title: clean(sec.section.title.get(lang)),
                score: format!(
                    "{}/{} ({}%)",
                    sec.score.score,
                    sec.score.max,
                    pct(sec.percent)
                ),
                items: sec
                    .items
                    .iter()
                    .map(|it| item_row(it, report, dir))
                    .collect(),
            })
            .collect(),
    }
}

/// The words used around an answer; OSCAL's observations and findings
/// use them too.
pub fn item_words(lang: Lang) -> ItemWords {
    ItemWords {
        answer: lang.pick("回答", "Answer").to_owned(),
        not_answered: lang.pick("未回答", "Not answered").to_owned(),
        finding: lang.pick("指摘", "finding").to_owned(),
        carried: lang
            .pick(
                "前回からの引継ぎ（未確認）",
                "Carried from the previous run, not yet confirmed",
            )
            .to_owned(),
        note: lang.pick("メモ", "Note").to_owned(),
        evidence: lang.pick("証跡", "Evidence").to_owned(),
        action: lang.pick("是正処置", "Corrective action").to_owned(),
        due: lang.pick("期限", "due").to_owned(),
    }
}

fn item_row(it: &ItemResult<'_>, report: &Report, dir: &Directory<'_>) -> ItemRow {
    let lang = report.lang;
    let answer = it.answer.map(|a| AnswerCell {
        choice: it.choice.map_or_else(
            || ChoiceName::Id(a.choice.to_string()),
            |c| ChoiceName::Label(clean(c.label.get(lang))),
        ),
        points: match (it.points, it.best) {
            (Some(p), Some(b)) => format!("{p}/{b}"),
            _ => lang.pick("採点対象外", "not scored").to_owned(),
        },
        finding: it.below_best(),
        carried: a.carried,
        note: clean(a.note.trim()),
        evidence: a
            .evidence
            .iter()
            .map(|e| evidence_entry(e, report))
            .collect(),
        action: a.action.as_ref().map(|action| {
            let owner =
                (!action.owner.trim().is_empty()).then(|| clean(&dir.owner(&action.owner, lang)));
            (clean(&action.text), owner, action.due)
        }),
    });
    ItemRow {
        id: it.item.id.to_string(),
        title: clean(it.item.title.get(lang)),
        answer,
    }
}

/// One piece of evidence as shown: a file with its size, digest and (in
/// HTML, for images) its thumbnail or why there is none.
fn evidence_entry(e: &Evidence, report: &Report) -> EvidenceEntry {
    let lang = report.lang;
    let f = match e {
        Evidence::Text(t) => return EvidenceEntry::Text(clean(t)),
        Evidence::File(f) => f,
    };
    let (thumbnail, left_out) = match report.previews.get(&f.sha256) {
        Some(Preview::Thumbnail(t)) => (Some(t.clone()), None),
        Some(Preview::OverBudget) => (
            None,
            Some(
                lang.pick(
                    "縮小画像は省略 (報告書のサイズ上限)",
                    "thumbnail left out (report size limit)",
                )
                .to_owned(),
            ),
        ),
        Some(Preview::Unavailable(why)) => (
            None,
            Some(format!(
                "{}: {}",
                lang.pick("表示できません", "cannot be shown"),
                clean(why)
            )),
        ),
        None => (None, None),
    };
    EvidenceEntry::File(FileEntry {
        name: clean(&f.name),
        path: f.stored_path().unwrap_or_default(),
        size: file_size(f.size),
        sha256: f.sha256.clone(),
        thumbnail,
        left_out,
    })
}

/// A file size in bytes, KiB or MiB.
#[allow(clippy::cast_precision_loss)] // sizes are far below 2^52
pub fn file_size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{} KiB", crate::number::round1(bytes as f64 / 1024.0)),
        _ => format!("{} MiB", crate::number::round1(bytes as f64 / 1_048_576.0)),
    }
}

/// The corrective actions of this subject and inspection still open.
pub(super) fn open_actions(run: &RunReport, lang: Lang, dir: &Directory<'_>) -> OpenActions {
    let intro = if run.open_actions.is_empty() {
        format!(
            "{} ({})",
            lang.pick(
                "未完了の是正処置はありません。",
                "No open corrective actions."
            ),
            run.actions_as_of
        )
    } else {
        format!(
            "{} {}: {} {}, {} {}.",
            lang.pick("基準日", "As of"),
            run.actions_as_of,
            run.open_actions.len(),
            lang.pick("件未完了", "open"),
            run.overdue_actions(),
            lang.pick("件期限超過", "overdue"),
        )
    };
    OpenActions {
        heading: lang
            .pick("未完了の是正処置", "Open corrective actions")
            .to_owned(),
        intro,
        columns: vec![
            column(lang.pick("項目", "Item"), false),
            column(lang.pick("是正処置", "Action"), false),
            column(lang.pick("担当", "Owner"), false),
            column(lang.pick("期限", "Due"), true),
            column(lang.pick("記録日", "Opened"), true),
            column(lang.pick("状態", "Status"), false),
        ],
        rows: run
            .open_actions
            .iter()
            .map(|a| ActionRow {
                item: a.item.to_string(),
                title: run
                    .template
                    .item(a.item.as_str())
                    .map(|i| clean(i.title.get(lang))),
                text: clean(&a.action.text),
                owner: clean(&dir.owner(&a.action.owner, lang)),
                due: a.action.due,
                opened: a.opened,
                status: if a.overdue {
                    lang.pick("期限超過", "overdue")
                } else {
                    lang.pick("未完了", "open")
                }
                .to_owned(),
                overdue: a.overdue,
            })
            .collect(),
    }
}
