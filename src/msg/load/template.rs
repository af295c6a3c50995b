//! The rules of templates (`inspections/*.ron`), profiles, `subjects.ron`
//! and `tenken.ron` beyond their shape, and what every file shares (its
//! `format`, bilingual text).

use crate::msg::Message;

/// A `format` this tenken does not read.
pub fn format(found: u32, reads: u32) -> Message {
    Message::new(
        format!(
            "`format` {found} には対応していません。この tenken が読めるのは `format` {reads} です"
        ),
        format!("format {found} is not supported; this tenken reads format {reads}"),
    )
}

/// What a bilingual text is the text of, for [`no_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOf<'a> {
    /// The template's title.
    Title,
    /// The label of a choice.
    ChoiceLabel(&'a str),
    /// The title of a section.
    Section(&'a str),
    /// The title of an item.
    Item(&'a str),
    /// The label of a band.
    Band,
    /// The title of a role (`roles.ron`).
    Role(&'a str),
}

/// A bilingual text with neither language.
pub fn no_text(of: TextOf<'_>) -> Message {
    let (ja, en) = match of {
        TextOf::Title => (
            "点検の `title`".to_owned(),
            "the inspection title".to_owned(),
        ),
        TextOf::ChoiceLabel(id) => (
            format!("選択肢 `{id}` の `label`"),
            format!("the label of choice `{id}`"),
        ),
        TextOf::Section(id) => (
            format!("セクション `{id}` の `title`"),
            format!("the title of section `{id}`"),
        ),
        TextOf::Item(id) => (
            format!("項目 `{id}` の `title`"),
            format!("the title of item `{id}`"),
        ),
        TextOf::Band => ("評価帯の `label`".to_owned(), "a band label".to_owned()),
        TextOf::Role(id) => (
            format!("役割 `{id}` の `title`"),
            format!("the title of role `{id}`"),
        ),
    };
    Message::new(
        format!("{ja} に日本語（`ja`）も英語（`en`）もありません"),
        format!("{en} has neither Japanese (`ja`) nor English (`en`) text"),
    )
}

/// A template whose `id` is not its file name.
pub fn id_not_file_name(id: &str, stem: &str) -> Message {
    Message::new(
        format!("点検の `id` `{id}` がファイル名 `{stem}.ron` と合いません"),
        format!("inspection id `{id}` does not match the file name `{stem}.ron`"),
    )
}

/// A template of version 0.
pub fn version_zero() -> Message {
    Message::new(
        "`version` は 1 以上にしてください",
        "version must be 1 or more",
    )
}

/// A template without its source.
pub fn no_source() -> Message {
    Message::new(
        "`source` にチェックリストの出典を書いてください",
        "`source` must name where the checklist comes from",
    )
}

/// A template with more items than tenken takes.
pub fn too_many_items(items: usize, limit: usize) -> Message {
    Message::new(
        format!("項目が {items}個 あります。上限は {limit}個 です"),
        format!("the inspection has {items} items; the limit is {limit}"),
    )
}

/// A template without items.
pub fn no_items() -> Message {
    Message::new("項目がひとつもありません", "the inspection has no items")
}

/// A scale without choices.
pub fn scale_empty(scale: &str) -> Message {
    Message::new(
        format!("尺度 `{scale}` に選択肢がありません"),
        format!("scale `{scale}` has no choices"),
    )
}

/// A scale none of whose choices scores.
pub fn scale_without_points(scale: &str) -> Message {
    Message::new(
        format!("尺度 `{scale}` に `points` のある選択肢がありません"),
        format!("scale `{scale}` has no choice with points"),
    )
}

/// Two choices of a scale with one id.
pub fn duplicate_choice(choice: &str, scale: &str) -> Message {
    Message::new(
        format!("尺度 `{scale}` に選択肢の `id` `{choice}` が2つあります"),
        format!("duplicate choice id `{choice}` in scale `{scale}`"),
    )
}

/// A choice key the walker uses to move (`reserved` lists them).
pub fn key_reserved(key: &str, choice: &str, reserved: &str) -> Message {
    Message::new(
        format!(
            "選択肢 `{choice}` のキー `{key}` はウォーカーの移動キーと重なります。ウォーカーは {reserved} とスペースを使います"
        ),
        format!(
            "choice key `{key}` of `{choice}` clashes with a walker navigation key; the walker reserves {reserved} and space"
        ),
    )
}

/// A choice key that is not a visible lower-case character.
pub fn key_not_visible(choice: &str) -> Message {
    Message::new(
        format!("選択肢 `{choice}` の `key` は目に見える小文字1文字にしてください"),
        format!("choice key of `{choice}` must be a visible lower-case character"),
    )
}

/// Two choices of a scale with one key.
pub fn duplicate_key(key: &str, scale: &str) -> Message {
    Message::new(
        format!("尺度 `{scale}` に選択肢の `key` `{key}` が2つあります"),
        format!("duplicate choice key `{key}` in scale `{scale}`"),
    )
}

/// Two sections with one id.
pub fn duplicate_section(id: &str) -> Message {
    Message::new(
        format!("セクションの `id` `{id}` が2つあります"),
        format!("duplicate section id `{id}`"),
    )
}

/// Two items with one id.
pub fn duplicate_item(id: &str) -> Message {
    Message::new(
        format!("項目の `id` `{id}` が2つあります"),
        format!("duplicate item id `{id}`"),
    )
}

/// An item of weight 0.
pub fn weight_zero(item: &str) -> Message {
    Message::new(
        format!(
            "項目 `{item}` の `weight` が 0 です。代わりに「該当しない」の選択肢を使ってください"
        ),
        format!("item `{item}` has weight 0; use a not-applicable choice instead"),
    )
}

/// An item on a scale the template does not have.
pub fn unknown_scale(item: &str, scale: &str) -> Message {
    Message::new(
        format!("項目 `{item}` の尺度 `{scale}` はありません"),
        format!("item `{item}` uses unknown scale `{scale}`"),
    )
}

/// `note_required_for` names a choice the item's scale does not have.
pub fn note_for_unknown_choice(item: &str, choice: &str, scale: &str) -> Message {
    Message::new(
        format!(
            "項目 `{item}` の `note_required_for` にある選択肢 `{choice}` は尺度 `{scale}` にありません"
        ),
        format!("item `{item}` requires a note for unknown choice `{choice}` (scale `{scale}`)"),
    )
}

/// An item's edition range that ends before it starts.
pub fn editions_backwards(item: &str, from: &str, to: &str) -> Message {
    Message::new(
        format!("項目 `{item}` の `editions` が逆順です（{from} から {to}）"),
        format!("item `{item}`: editions run backwards, from {from} to {to}"),
    )
}

/// An item names editions in a template that names none.
pub fn editions_without_edition(item: &str) -> Message {
    Message::new(
        format!("項目 `{item}` は `editions` を書いていますが、点検に `edition` がありません"),
        format!(
            "item `{item}` names the editions it belongs to, but the inspection names no `edition`"
        ),
    )
}

/// An item whose editions leave out the template's.
pub fn editions_exclude(item: &str, range: &str, edition: &str) -> Message {
    Message::new(
        format!(
            "項目 `{item}` の `editions`（{range}）に点検の `edition` {edition} が含まれていません"
        ),
        format!(
            "item `{item}` belongs to editions {range}, which do not include the inspection's edition {edition}"
        ),
    )
}

/// Bands not in descending order.
pub fn bands_out_of_order(min: i32, previous: i32) -> Message {
    Message::new(
        format!(
            "評価帯の順序が違います: `min_percent` {min} が {previous} の後にあります。高い帯から順に並べてください"
        ),
        format!(
            "bands out of order: `min_percent` {min} follows {previous}; list bands from the highest down"
        ),
    )
}

/// Two subjects with one id.
pub fn duplicate_subject(id: &str) -> Message {
    Message::new(
        format!("対象の `id` `{id}` が2つあります"),
        format!("duplicate subject id `{id}`"),
    )
}

/// A subject's criticality outside 1–3.
pub fn criticality(id: &str, found: u8) -> Message {
    Message::new(
        format!(
            "`{id}` の `criticality` は 1・2・3 のどれかにしてください（{found} になっています）"
        ),
        format!("criticality of `{id}` must be 1, 2 or 3, not {found}"),
    )
}

/// A subject without a name.
pub fn subject_without_name(id: &str) -> Message {
    Message::new(
        format!("対象 `{id}` に `name` がありません"),
        format!("subject `{id}` has no name"),
    )
}

/// A profile whose `id` is not its file name.
pub fn profile_id_not_file_name(id: &str, stem: &str) -> Message {
    Message::new(
        format!("プロファイルの `id` `{id}` がファイル名 `{stem}.ron` と合いません"),
        format!("profile id `{id}` does not match the file name `{stem}.ron`"),
    )
}

/// A profile names an inspection without a template file.
pub fn profile_unknown_inspection(id: &str) -> Message {
    Message::new(
        format!("プロファイルにある点検 `{id}` はありません"),
        format!("profile names unknown inspection `{id}`"),
    )
}

/// A profile names a subject the register does not have.
pub fn profile_unknown_subject(id: &str) -> Message {
    Message::new(
        format!("プロファイルにある対象 `{id}` は subjects.ron にありません"),
        format!("profile names subject `{id}`, which is not in subjects.ron"),
    )
}

/// A profile's criticality selector outside 1–3.
pub fn profile_criticality(found: u8) -> Message {
    Message::new(
        format!("`Criticality` の {found} は 1 から 3 の範囲の外です"),
        format!("criticality {found} is out of range 1..=3"),
    )
}

/// `fiscal_year_start` is not a month.
pub fn fiscal_year_start(found: u32) -> Message {
    Message::new(
        format!("`fiscal_year_start` は 1 から 12 の月にしてください（{found} になっています）"),
        format!("fiscal_year_start must be a month from 1 to 12, not {found}"),
    )
}

/// A likelihood matrix with a value outside 1–3.
pub fn likelihood() -> Message {
    Message::new(
        "`likelihood` の表の値はすべて 1・2・3 のどれかにしてください",
        "every value of the likelihood matrix must be 1, 2 or 3",
    )
}

/// `tenken.ron` activates a profile without a file.
pub fn active_profile_missing(id: &str) -> Message {
    Message::new(
        format!("有効にしたプロファイル `{id}` のファイル profiles/{id}.ron がありません"),
        format!("active profile `{id}` has no file profiles/{id}.ron"),
    )
}
