//! Why a file cannot be attached as evidence, or a run's evidence cannot
//! be committed (the store's side of `tenken evidence add` and the
//! walker's attach). What is wrong with the file itself (empty, too
//! large, of a kind tenken does not keep) is `evidence::Refusal`.

use super::{Label, Message};

/// The file is a symbolic link (outside restricted mode).
pub fn link(path: &str) -> Message {
    Message::new(
        format!("{path}: シンボリックリンクは添付できません。ファイルそのものを指定してください"),
        format!("{path}: a symbolic link cannot be attached; name the file itself"),
    )
}

/// A link on the way to a file in `inbox/` (restricted mode).
pub fn inbox_link(path: &str) -> Message {
    Message::new(
        format!("{path}: シンボリックリンクは添付できません"),
        format!("{path}: a symbolic link cannot be attached"),
    )
}

/// Restricted mode attaches only from `inbox/`.
pub fn not_in_inbox(path: &str) -> Message {
    Message::new(
        format!(
            "{path}: 制限モードでは、リポジトリの `inbox/` フォルダーにあるファイルだけを添付できます"
        ),
        format!(
            "{path}: in restricted mode only files in the repository's inbox/ folder can be attached"
        ),
    )
}

/// Who puts files into `inbox/`.
pub const NOT_IN_INBOX_HINT: Label = Label::new(
    "管理者（または scp 専用の鍵）が `inbox/` にファイルを置きます。例: `inbox/写真.jpg`",
    "an administrator (or an scp-only key) puts files into inbox/; name them as `inbox/photo.jpg`",
);

/// The committed run file is missing from HEAD.
pub fn not_in_head(path: &str) -> Message {
    Message::new(
        format!("{path} が HEAD のツリーにありません"),
        format!("{path} is not in HEAD's tree"),
    )
}

/// The committed run file is not UTF-8.
pub fn not_utf8(path: &str) -> Message {
    Message::new(
        format!("{path} は UTF-8 ではありません"),
        format!("{path} is not valid UTF-8"),
    )
}

/// Every file given is attached to the item already.
pub fn nothing_to_add(run: &str, item: &str, files: usize) -> Message {
    Message::new(
        format!(
            "記録 `{run}` の項目 `{item}` には、{}がすでに添付されています。追加するものはありません",
            if files == 1 {
                "このファイル"
            } else {
                "これらのファイル"
            }
        ),
        format!(
            "run `{run}` already has {} for item `{item}`; nothing to add",
            if files == 1 {
                "this file"
            } else {
                "these files"
            }
        ),
    )
}

/// An evidence entry without a usable digest or media type.
pub fn no_digest(name: &str) -> Message {
    Message::new(
        format!("証拠 `{name}` には正しいダイジェストまたはメディアタイプがありません"),
        format!("evidence `{name}` has no valid digest or media type"),
    )
}

/// An evidence file the draft names but nobody has.
pub fn file_gone(name: &str, stored: &str) -> Message {
    Message::new(
        format!(
            "証拠ファイル `{name}`（`{stored}`）はコミットされておらず、この下書きのための控えもありません"
        ),
        format!(
            "the evidence file `{name}` ({stored}) is neither committed nor kept for this draft"
        ),
    )
}

/// Attach it again or drop it.
pub const FILE_GONE_HINT: Label = Label::new(
    "ファイルをもう一度添付する（`tenken evidence add`）か、回答から外してください",
    "attach the file again (`tenken evidence add`), or remove it from the answer",
);

/// The item is not in the inspection.
pub fn no_item(inspection: &str, item: &str) -> Message {
    Message::new(
        format!("点検 `{inspection}` に項目 `{item}` はありません"),
        format!("inspection `{inspection}` has no item `{item}`"),
    )
}

/// Evidence for an item not answered yet.
pub fn unanswered(item: &str) -> Message {
    Message::new(
        format!("先に項目に回答してから証拠を添付してください（`{item}`）"),
        format!("answer the item first, then attach evidence (`{item}`)"),
    )
}
