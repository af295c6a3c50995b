//! The rules of runs (`runs/**.ron`) and withdrawals (`withdrawals/**.ron`):
//! where the file lies and what it is named, its template, its dates.
//! Dates out of range use `errors::date_out_of_range`.

use crate::msg::Message;

/// The run's subject is not the folder it lies in.
pub fn subject_not_folder(subject: &str, folder: &str) -> Message {
    Message::new(
        format!("この記録は対象 `{subject}` のものですが、`{folder}` のフォルダにあります"),
        format!("the run is of subject `{subject}` but lies in the folder of `{folder}`"),
    )
}

/// The run's inspection is not the folder it lies in.
pub fn inspection_not_folder(inspection: &str, folder: &str) -> Message {
    Message::new(
        format!("この記録は点検 `{inspection}` のものですが、`{folder}` のフォルダにあります"),
        format!("the run is of inspection `{inspection}` but lies in the folder of `{folder}`"),
    )
}

/// The file name does not start with the run's finishing date and time.
pub fn name_not_date(name: &str, date: &str) -> Message {
    Message::new(
        format!(
            "ファイル名 `{name}` が記録と合いません。この記録は {date} に終わっており、ファイル名は `{date}T<HHMMSS>-<inspector>.ron` の形になります"
        ),
        format!(
            "the file name `{name}` does not agree with the run, which finished on {date}; a run's file is named `{date}T<HHMMSS>-<inspector>.ron`"
        ),
    )
}

/// The file name does not name the run's inspector.
pub fn name_not_inspector(name: &str, inspector: &str) -> Message {
    Message::new(
        format!("ファイル名 `{name}` に記録の点検者 `{inspector}` がありません"),
        format!("the file name `{name}` does not name the run's inspector `{inspector}`"),
    )
}

/// The run finished before it started (times in RFC 3339).
pub fn finished_before_started(finished: &str, started: &str) -> Message {
    Message::new(
        format!("この記録は始まる（{started}）前に終わっています（{finished}）"),
        format!("the run finished ({finished}) before it started ({started})"),
    )
}

/// A withdrawal whose `run` is not its path.
pub fn withdrawal_not_path(run: &str, path: &str) -> Message {
    Message::new(
        format!("取り下げの `run` は `{run}` ですが、ファイルのパスは `{path}` を指しています"),
        format!("the withdrawal names run `{run}`, but its path names `{path}`"),
    )
}

/// A withdrawal without a reason.
pub fn withdrawal_without_reason() -> Message {
    Message::new(
        "取り下げには理由（`reason`）が必要です",
        "a withdrawal must give its reason",
    )
}

/// A run's id that is not its path.
pub fn id_not_path(id: &str, path: &str) -> Message {
    Message::new(
        format!("記録の `id` `{id}` がパス `{path}` と合いません"),
        format!("run id `{id}` does not match its path `{path}`"),
    )
}

/// A run of a broken template whose recorded version is lost.
pub fn template_broken_and_lost(run: &str, template: &str) -> Message {
    Message::new(
        format!(
            "記録 `{run}` を採点できません。チェックリスト {template} に問題があり、記録した版も git の履歴にありません"
        ),
        format!(
            "run `{run}` cannot be scored: its template {template} is broken and the version the run recorded is not in git history"
        ),
    )
}

/// A run without a template.
pub fn no_template(run: &str) -> Message {
    Message::new(
        format!("記録 `{run}` のチェックリストが見つかりません"),
        format!("no template found for run `{run}`"),
    )
}

/// The template has no version the run names.
pub fn no_such_version(inspection: &str, version: u32, current: u32) -> Message {
    Message::new(
        format!("点検 `{inspection}` に版 {version} はありません（現在の版は {current}）"),
        format!(
            "inspection `{inspection}` has no version {version} (the current version is {current})"
        ),
    )
}

/// No template has the run's content hash.
pub fn no_such_hash(inspection: &str) -> Message {
    Message::new(
        format!(
            "点検 `{inspection}` のどの版にも、inspections/ にも git の履歴にも、この内容のハッシュを持つものがありません。この記録が答えたチェックリストは失われています"
        ),
        format!(
            "no version of inspection `{inspection}` has this content hash, in inspections/ or in git history; the template this run answered is lost"
        ),
    )
}

/// The template with the run's hash is of another version.
pub fn version_mismatch(version: u32, inspection: &str, hashed: u32) -> Message {
    Message::new(
        format!(
            "この記録は点検 `{inspection}` の版 {version} としていますが、内容のハッシュが合うチェックリストは版 {hashed} です"
        ),
        format!(
            "the run names version {version} of inspection `{inspection}`, but the template with its content hash is version {hashed}"
        ),
    )
}

/// The name of a run's date in an out-of-range message: a field of the
/// file (`started`), the same in both languages.
pub fn field(name: &str) -> (String, String) {
    (format!("`{name}`"), format!("`{name}`"))
}

/// The due date of an answer's corrective action.
pub fn action_due(item: &str) -> (String, String) {
    (
        format!("項目 `{item}` の対策の期限"),
        format!("the due date of item `{item}`'s action"),
    )
}

/// An evidence file entry without a valid digest.
pub fn evidence_digest(name: &str, item: &str) -> Message {
    Message::new(
        format!(
            "項目 `{item}` の証跡 `{name}` に正しい `sha256`（小文字の16進数 64 桁）がありません"
        ),
        format!("evidence `{name}` of item `{item}` has no valid sha256 (64 lowercase hex digits)"),
    )
}

/// An evidence file of a media type tenken does not keep.
pub fn evidence_media_type(name: &str, item: &str, media_type: &str) -> Message {
    Message::new(
        format!(
            "項目 `{item}` の証跡 `{name}` の `media_type` `{media_type}` は tenken が保存しない種類です"
        ),
        format!(
            "evidence `{name}` of item `{item}` has media type `{media_type}`, which tenken does not keep"
        ),
    )
}

/// An evidence file entry whose name has a folder or hidden characters.
pub fn evidence_name(name: &str, item: &str) -> Message {
    Message::new(
        format!(
            "項目 `{item}` の証跡 `{name}` の名前にフォルダや見えない文字が含まれているか、名前が空です"
        ),
        format!(
            "evidence `{name}` of item `{item}` has a name with a folder, hidden characters or nothing in it"
        ),
    )
}
