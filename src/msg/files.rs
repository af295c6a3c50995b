//! Refusals about where tenken writes: `report -o` targets (a folder,
//! outside `reports/` in restricted mode), symbolic links it will not
//! write through, and a `demo --dir` that is something else.
//!
//! Paths come in already shown (`display()`, relative where possible).

use super::{Label, Message};

/// `-o` names a folder.
pub fn report_is_folder(path: &str) -> Message {
    Message::new(
        format!("{path} はフォルダーです。レポートを書き出すファイルの名前を指定してください"),
        format!("{path} is a folder; name a file to write the report to"),
    )
}

/// Restricted mode: `-o` outside `reports/`.
pub fn report_outside(dir: &str, path: &str) -> Message {
    Message::new(
        format!(
            "制限モードでは、レポートはリポジトリの `{dir}/` フォルダーの中にだけ書き出せます（{path} には書き出せません）"
        ),
        format!(
            "in restricted mode a report can only be written inside the repository's {dir}/ folder, not {path}"
        ),
    )
}

/// Where a confined report may go.
pub fn report_outside_hint(dir: &str) -> Message {
    Message::new(
        format!("例: `-o {dir}/report.html`（リポジトリからの相対パス）"),
        format!("for example `-o {dir}/report.html` (relative to the repository)"),
    )
}

/// Restricted mode: a link on the way to the report.
pub fn report_through_link(path: &str) -> Message {
    Message::new(
        format!(
            "{path} はシンボリックリンクです。制限モードではリンクを通してレポートを書き出しません"
        ),
        format!("{path} is a symbolic link; restricted mode does not write reports through links"),
    )
}

/// Something other than a folder on the way to the report.
pub fn not_a_folder(path: &str) -> Message {
    Message::new(
        format!("{path} はフォルダーではありません"),
        format!("{path} is not a folder"),
    )
}

/// Where a symbolic link in the repository leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leads {
    /// Nowhere (its target does not exist).
    Nowhere,
    /// Out of the repository.
    Outside,
    /// Into `.git`.
    Git,
}

/// A link on the way to where the store writes; `target` where it leads,
/// if it leads anywhere.
pub fn write_through_link(path: &str, leads: Leads, target: Option<&str>) -> Message {
    let (ja, en) = match leads {
        Leads::Nowhere => ("どこも指していない", "nowhere"),
        Leads::Outside => ("リポジトリの外を指す", "outside the repository"),
        Leads::Git => (
            "リポジトリの .git フォルダーの中を指す",
            "into the repository's .git folder",
        ),
    };
    let (to_ja, to_en) = target.map_or_else(Default::default, |t| {
        (format!("（{t} へ）"), format!(" (to {t})"))
    });
    Message::new(
        format!("{path} は{ja}シンボリックリンク{to_ja}なので、書き込みません"),
        format!("refusing to write through {path}: it is a symbolic link leading {en}{to_en}"),
    )
}

/// Replace the link.
pub const WRITE_THROUGH_LINK_HINT: Label = Label::new(
    "tenken はリポジトリの中にだけ書き込み、.git には書き込みません。リンクをフォルダーに置き換えてください",
    "tenken writes only inside the repository and never into .git; replace the link with a folder",
);

/// A file opened in place (the lock) is a link.
pub fn open_link(path: &str) -> Message {
    Message::new(
        format!(
            "{path} はシンボリックリンクなので開きません。tenken はリポジトリの中にだけ書き込みます"
        ),
        format!(
            "refusing to open {path}: it is a symbolic link, and tenken writes only inside the repository"
        ),
    )
}

/// An evidence bundle's file is a link.
pub fn bundle_through_link(path: &str) -> Message {
    Message::new(
        format!("{path} はシンボリックリンクです。証拠のまとめはリンクを通して書き出しません"),
        format!("{path} is a symbolic link; a bundle is never written through links"),
    )
}

/// `demo --dir` names something that is not an earlier demo.
pub fn not_a_demo(dir: &str) -> Message {
    Message::new(
        format!("{dir} はすでにあり、tenken の見本ではないので置き換えません"),
        format!("{dir} exists and is not a tenken demo; refusing to replace it"),
    )
}

/// Name a new folder for the demo.
pub const NOT_A_DEMO_HINT: Label = Label::new(
    "`--dir` で新しいディレクトリを指定してください",
    "pass `--dir` with a new directory",
);

/// A file or folder that could not be read or written: the path and,
/// for the usual causes, what it means with the system's error number
/// (the system's own words, in English, for the rest).
pub fn io(path: &str, e: &std::io::Error) -> Message {
    use std::io::ErrorKind;

    let ja = match e.kind() {
        ErrorKind::NotFound => Some("ファイルまたはフォルダーがありません"),
        ErrorKind::PermissionDenied => Some("アクセスが許可されていません"),
        ErrorKind::AlreadyExists => Some("すでにあります"),
        ErrorKind::IsADirectory => Some("フォルダーです"),
        ErrorKind::NotADirectory => Some("途中にフォルダーではないものがあります"),
        ErrorKind::ReadOnlyFilesystem => Some("読み取り専用のファイルシステムです"),
        ErrorKind::StorageFull => Some("ディスクに空きがありません"),
        _ => None,
    };
    let en = format!("{path}: {e}");
    match ja {
        Some(ja) => {
            let code = e
                .raw_os_error()
                .map(|n| format!("（OS エラー {n}）"))
                .unwrap_or_default();
            Message::new(format!("{path}: {ja}{code}"), en)
        }
        None => Message::new(format!("{path}: {e}"), en),
    }
}

/// git reported an error (`why`: its words, in English).
pub fn git(why: &str) -> Message {
    let line = format!("git: {why}");
    Message::new(line.clone(), line)
}

/// Something that should not happen.
pub fn internal(why: &str) -> Message {
    Message::new(
        format!("内部エラー: {why}"),
        format!("internal error: {why}"),
    )
}
