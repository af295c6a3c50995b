//! Reading a file: one that cannot be read, is not a plain file, is too
//! large, is not UTF-8 or lies behind a link that leads out of the
//! repository.

use std::io::ErrorKind;

use crate::msg::Message;

/// The file's bytes are not UTF-8 text.
pub fn not_utf8() -> Message {
    Message::new("UTF-8 のテキストとして読めません", "not valid UTF-8")
}

/// The file cannot be opened or read; `reason` is the system's words
/// (English, without the error number), shown in Japanese only for the
/// kinds an inspector meets.
pub fn cannot_read(kind: ErrorKind, reason: &str) -> Message {
    let ja = match kind {
        ErrorKind::NotFound => "読み込めません: ファイルがありません".to_owned(),
        ErrorKind::PermissionDenied => "読み込めません: 読む権限がありません".to_owned(),
        _ => format!("読み込めません（{reason}）"),
    };
    Message::new(ja, format!("cannot read: {reason}"))
}

/// The file is larger than `limit` bytes: `size` bytes, or (`None`) it
/// grew past the limit while it was read.
pub fn too_large(size: Option<u64>, limit: u64) -> Message {
    match size {
        Some(size) => Message::new(
            format!("大きすぎます（{size} バイト）。上限は {limit} バイトです"),
            format!("too large: {size} bytes; the limit is {limit} bytes"),
        ),
        None => Message::new(
            format!("読み込み中に上限の {limit} バイトを超えました"),
            format!("too large: more than that while it was read; the limit is {limit} bytes"),
        ),
    }
}

/// A folder, device, FIFO or socket where a file was expected.
pub fn not_regular() -> Message {
    Message::new(
        "通常のファイルではありません（フォルダ・デバイス・名前付きパイプ・ソケットのどれか）。tenken が読むのは通常のファイルだけです",
        "not a regular file (a folder, device, FIFO or socket); tenken reads only plain files",
    )
}

/// A repository path with `..` or a root in it.
pub fn not_plain_path() -> Message {
    Message::new(
        "リポジトリの中を指す普通のパスではありません",
        "not a plain path inside the repository",
    )
}

/// A symbolic link on the path points at nothing.
pub fn link_nowhere() -> Message {
    Message::new(
        "このパスのシンボリックリンクの先がありません。tenken がたどるのはリポジトリの中のリンクだけです",
        "a symbolic link on this path leads nowhere; tenken follows links only within the repository",
    )
}

/// Where a refused symbolic link leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leads {
    /// Out of the repository.
    Outside,
    /// Into the repository's `.git` folder.
    IntoGit,
}

/// A symbolic link on the path leads where tenken does not read.
pub fn link_leads(to: Leads) -> Message {
    match to {
        Leads::Outside => Message::new(
            "読み込みを断りました: このパスのシンボリックリンクはリポジトリの外を指しています",
            "refusing to read: a symbolic link on this path leads outside the repository",
        ),
        Leads::IntoGit => Message::new(
            "読み込みを断りました: このパスのシンボリックリンクはリポジトリの .git フォルダの中を指しています",
            "refusing to read: a symbolic link on this path leads into the repository's .git folder",
        ),
    }
}
