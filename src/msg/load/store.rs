//! What `tenken check` and the store find about files as git holds them:
//! record files not committed, changed, missing or links; a withdrawal of
//! no committed run; a template whose scoring changed without a new
//! version; drafts and typed text that do not match where they lie.

use crate::model::ScoringChange;
use crate::msg::Message;

/// What kind of record file a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// A run (`runs/`).
    Run,
    /// A withdrawal (`withdrawals/`).
    Withdrawal,
}

impl Record {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::Run => ("記録", "run"),
            Self::Withdrawal => ("取り下げ", "withdrawal"),
        }
    }
}

/// A record file that is a symbolic link.
pub fn record_is_link(what: Record) -> Message {
    let (ja, en) = what.words();
    Message::new(
        format!(
            "この{ja}ファイルはシンボリックリンクで、ファイルではありません。リンクはコミット済みの{ja}として数えません"
        ),
        format!(
            "this {en} file is a symbolic link, not a file; a link never counts as a committed {en}"
        ),
    )
}

/// A record file not committed.
pub fn record_not_committed(what: Record) -> Message {
    let (ja, en) = what.words();
    Message::new(
        format!(
            "この{ja}ファイルはコミットされていないため数えません。git でコミットするか、削除してください"
        ),
        format!(
            "this {en} file is not committed, so it does not count; commit it with git, or remove it"
        ),
    )
}

/// A committed record file changed in the work tree (`key` is its path).
pub fn record_changed(what: Record, key: &str) -> Message {
    let (ja, en) = what.words();
    Message::new(
        format!(
            "コミット済みのこの{ja}ファイルは作業ツリーで変更されています。数えるのはコミットされた版です（`git checkout -- {key}` で元に戻せます）"
        ),
        format!(
            "this committed {en} file was changed in the work tree; the committed version counts (`git checkout -- {key}` restores it)"
        ),
    )
}

/// A committed record file missing from the work tree.
pub fn record_missing(what: Record, key: &str) -> Message {
    let (ja, en) = what.words();
    Message::new(
        format!(
            "コミット済みのこの{ja}ファイルが作業ツリーにありません。数えるのはコミットされた版です（`git checkout -- {key}` で元に戻せます）"
        ),
        format!(
            "this committed {en} file is missing from the work tree; the committed version counts (`git checkout -- {key}` restores it)"
        ),
    )
}

/// A withdrawal of a run that is not committed.
pub fn withdrawal_of_no_run(run: &str) -> Message {
    Message::new(
        format!("取り下げにある記録 `{run}` はコミット済みの記録ではありません"),
        format!("the withdrawal names run `{run}`, which is not a committed run"),
    )
}

/// git could not be read (`e` is git's own words).
pub fn cannot_read_git(e: &str) -> Message {
    Message::new(
        format!("git を読み込めません（{e}）"),
        format!("cannot read git: {e}"),
    )
}

/// The history of the templates could not be read.
pub fn cannot_read_template_history(e: &str) -> Message {
    Message::new(
        format!("チェックリストの履歴を読み込めません（{e}）"),
        format!("cannot read the history of templates: {e}"),
    )
}

/// The cache of template content hashes holds `n` hashes that do not
/// match their templates.
pub fn wrong_cached_hashes(n: usize) -> Message {
    let en = if n == 1 {
        "1 cached template content hash differs from what computing gives".to_owned()
    } else {
        format!("{n} cached template content hashes differ from what computing gives")
    };
    Message::new(
        format!(
            "テンプレートの内容ハッシュのキャッシュに、計算結果と合わない値が{n}件あります。実行記録が別のテンプレートと照合されるおそれがあるため、このファイルを削除してください（次のコマンドが作り直します）"
        ),
        format!(
            "{en}; delete this file, or runs may be matched to the wrong templates (the next command writes it again)"
        ),
    )
}

/// Where a scoring change was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    /// In the work tree, not committed.
    WorkTree,
    /// In a commit (abbreviated hash).
    Commit(String),
}

/// What changed a template's scoring, for [`scoring_changed`].
pub struct Rescored<'a> {
    /// The template's id.
    pub id: &'a str,
    /// Its version, which did not change.
    pub version: u32,
    /// Where the change was made.
    pub made: Made,
    /// The first changes.
    pub changes: &'a [ScoringChange],
    /// How many changes are not shown.
    pub more: usize,
    /// Committed runs that answered this version.
    pub runs: usize,
}

/// A template's scoring changed without a new version while runs answered
/// the old scoring.
pub fn scoring_changed(c: &Rescored<'_>) -> Message {
    let (id, v, next, used) = (c.id, c.version, c.version + 1, c.runs);
    let (ja_when, en_when) = match &c.made {
        Made::WorkTree => (
            "作業ツリーで（未コミット）".to_owned(),
            "in the work tree (not committed yet)".to_owned(),
        ),
        Made::Commit(hash) => (format!("コミット {hash} で"), format!("in commit {hash}")),
    };
    let (ja_more, en_more) = match c.more {
        0 => (String::new(), String::new()),
        n => (format!("、ほか{n}件"), format!(" and {n} more")),
    };
    let words: Vec<Message> = c.changes.iter().map(scoring_change).collect();
    let ja_changes: Vec<&str> = words
        .iter()
        .map(|m| m.get(crate::model::Lang::Ja))
        .collect();
    let en_changes: Vec<&str> = words
        .iter()
        .map(|m| m.get(crate::model::Lang::En))
        .collect();
    let (ja_changes, en_changes) = (ja_changes.join("、"), en_changes.join("; "));
    Message::new(
        format!(
            "`{id}` の版 {v} は{ja_when}版を上げずに採点が変わりました（{ja_changes}{ja_more}）。この版に答えたコミット済みの記録が {used}件 あります。`version` を {next} に上げてください"
        ),
        format!(
            "version {v} of `{id}` changed its scoring without a version bump {en_when} ({en_changes}{en_more}) while {used} committed run{s} answered version {v}; bump `version` to {next}",
            s = if used == 1 { "" } else { "s" },
        ),
    )
}

/// A committed file of history that is not UTF-8.
pub fn committed_not_utf8() -> Message {
    Message::new(
        "コミットされたファイルが UTF-8 のテキストとして読めません",
        "the committed file is not valid UTF-8",
    )
}

/// A draft whose contents do not match where it lies.
pub fn draft_misplaced(inspector: &str, subject: &str, inspection: &str) -> Message {
    Message::new(
        format!(
            "この下書きは点検者 `{inspector}`・対象 `{subject}`・点検 `{inspection}` のもので、置かれている場所と合いません"
        ),
        format!(
            "the draft is for inspector `{inspector}`, subject `{subject}` and inspection `{inspection}`, which does not match where it is"
        ),
    )
}

/// A risk draft by another inspector than the one whose file it is.
pub fn risk_draft_misplaced(by: &str, inspector: &str) -> Message {
    Message::new(
        format!(
            "このリスク評価の下書きは `{by}` のもので、ファイルの持ち主 `{inspector}` のものではありません"
        ),
        format!("the risk draft is by `{by}`, not by `{inspector}` whose file it is"),
    )
}

/// Text being typed whose contents do not match its file name.
pub fn typing_misplaced(subject: &str, inspection: &str) -> Message {
    Message::new(
        format!(
            "入力中の文章は対象 `{subject}`・点検 `{inspection}` のもので、ファイル名と合いません"
        ),
        format!(
            "the text being typed is for subject `{subject}` and inspection `{inspection}`, which does not match its file name"
        ),
    )
}

/// One change of a template's scoring.
pub fn scoring_change(change: &ScoringChange) -> Message {
    let ja = match change {
        ScoringChange::Added(id) => format!("項目 `{id}` を追加"),
        ScoringChange::Removed(id) => format!("項目 `{id}` を削除"),
        ScoringChange::Choices { item, from, to } => {
            format!("項目 `{item}` の選択肢を {from} から {to} に変更")
        }
        ScoringChange::Weight { item, from, to } => {
            format!("項目 `{item}` の `weight` を {from} から {to} に変更")
        }
        ScoringChange::NoteChoices(item) => {
            format!("項目 `{item}` のメモが必要な選択肢を変更")
        }
        ScoringChange::Bands { from, to } => {
            format!("評価帯の下限を {from} から {to} に変更")
        }
    };
    Message::new(ja, change.to_string())
}

/// A broken file has changes not committed: how to see and undo them.
pub fn origin_work_tree(path: &str) -> Message {
    Message::new(
        format!(
            "{path} にはコミットされていない変更があります。`git diff -- {path}` で表示、`git checkout HEAD -- {path}` で取り消せます"
        ),
        format!(
            "{path} has changes that are not committed: `git diff -- {path}` shows them, `git checkout HEAD -- {path}` undoes them"
        ),
    )
}

/// The commit that last changed a broken file, and how to undo it.
pub fn origin_commit(path: &str, commit: &str, author: &str, date: &str, summary: &str) -> Message {
    Message::new(
        format!(
            "{path} を最後に変更したのはコミット {commit} です（{author}、{date}: {summary}）。ファイルを直してコミットするか、`git revert {commit}` でそのコミットを取り消してください"
        ),
        format!(
            "{path} was last changed by commit {commit} ({author}, {date}: {summary}); fix the file and commit it, or undo that commit with `git revert {commit}`"
        ),
    )
}

/// A broken file whose change tenken did not find.
pub fn origin_unknown(path: &str) -> Message {
    Message::new(
        format!(
            "{path} を直すか、git から動いていた版を戻してください（`git log -- {path}` で履歴を表示）"
        ),
        format!("fix {path}, or bring back a working version from git (`git log -- {path}`)"),
    )
}
