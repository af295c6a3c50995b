//! Words of `tenken suppliers` (the review and `suppliers export`).

use super::Label;
use crate::model::Lang;
use crate::supplier::SortBy;

/// The review's columns.
pub const HEADER: [Label; 11] = [
    Label::new("委託先", "SUPPLIER"),
    Label::new("名称", "NAME"),
    Label::new("事業影響度", "CRIT"),
    Label::new("前回点検", "LAST CHECK"),
    Label::new("達成率", "PERCENT"),
    Label::new("増減", "CHANGE"),
    Label::new("評価", "BAND"),
    Label::new("推移", "TREND"),
    Label::new("未完了", "OPEN"),
    Label::new("次回期限", "NEXT DUE"),
    Label::new("状況", "STATUS"),
];

/// The register holds no supplier.
pub const EMPTY: Label = Label::new(
    "台帳に委託先がありません。`tenken subjects add ID --kind supplier --name NAME` で追加してください。\n",
    "No suppliers in the register; add one with `tenken subjects add ID --kind supplier --name NAME`.\n",
);

/// A supplier never checked.
pub const NEVER_CHECKED: Label = Label::new("未点検", "never checked");

/// A supplier whose check is overdue.
pub const OVERDUE: Label = Label::new("期限切れ", "OVERDUE");

/// A retired supplier (shown with `--retired`).
pub const RETIRED: Label = Label::new("取引終了", "retired");

/// Returns the order the review is sorted in.
pub fn order(sort: SortBy) -> Label {
    match sort {
        SortBy::Risk => Label::new(
            "リスク順（事業影響度 × 不足）",
            "risk (criticality × shortfall)",
        ),
        SortBy::Overdue => Label::new("期限切れ順", "overdue"),
        SortBy::Change => Label::new("前回点検からの変化順", "change against the previous check"),
    }
}

/// The line under the review: how many suppliers, how many overdue, and
/// the order.
pub fn summary(lang: Lang, suppliers: usize, overdue: usize, sort: SortBy) -> String {
    let order = order(sort).get(lang);
    match lang {
        Lang::Ja => format!("委託先 {suppliers}件、うち期限切れ {overdue}件。{order}に表示。"),
        Lang::En => {
            let noun = if suppliers == 1 {
                "supplier"
            } else {
                "suppliers"
            };
            format!("{suppliers} {noun}, {overdue} overdue; sorted by {order}.")
        }
    }
}

/// What `suppliers export` wrote, and how to record the filled-in file.
pub fn exported(
    lang: Lang,
    inspection: &str,
    supplier: &str,
    name: &str,
    items: usize,
    path: &str,
) -> String {
    let record = format!("tenken record {inspection} --subject {supplier} --answers {path}");
    match lang {
        Lang::Ja => format!(
            "{name} 向けの {inspection} 質問票（{items}項目）を {path} に書き出しました。\n記入後の取り込み: {record}\n"
        ),
        Lang::En => format!(
            "Wrote the {inspection} questionnaire for {name} ({items} items) to {path}\nWhen it is filled in: {record}\n"
        ),
    }
}

/// `suppliers export` names no supplier of the register.
pub fn unknown_supplier(id: &str) -> super::Message {
    super::Message::new(
        format!("委託先 `{id}` は subjects.ron にありません"),
        format!("supplier `{id}` is not in subjects.ron"),
    )
}

/// Where to see the suppliers' ids.
pub const LIST_HINT: Label = Label::new(
    "委託先は `tenken suppliers` で一覧できます",
    "list the suppliers with `tenken suppliers`",
);

/// `suppliers export` over a restricted session.
pub const EXPORT_RESTRICTED: Label = Label::new(
    "`suppliers export` はリポジトリの外にファイルを書くため、制限モードでは使えません",
    "`suppliers export` writes a file outside the repository, which restricted mode does not allow",
);

/// `--encoding` given for a workbook.
pub const ENCODING_CSV_ONLY: Label = Label::new(
    "--encoding は CSV にだけ使えます。ブックはどの文字でも保存できます",
    "--encoding applies to CSV; a workbook holds any text",
);
