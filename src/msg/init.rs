//! Words of `tenken init` and `tenken demo`: the repository made, and
//! what to do next.

use super::Message;
use crate::model::Lang;

/// The repository was created (organisation escaped, directory shown).
pub fn created(lang: Lang, organisation: &str, dir: &str) -> String {
    match lang {
        Lang::Ja => format!(
            "{organisation} の tenken リポジトリを {dir} に作成しました。\n次は `tenken --repo {dir} check` で確認し、`tenken --repo {dir}` で点検を始めてください。\n"
        ),
        Lang::En => format!(
            "Created a tenken repository for {organisation} in {dir}.\nNext: `tenken --repo {dir} check`, then `tenken --repo {dir}` to start an inspection.\n"
        ),
    }
}

/// tenken's files went into an existing git repository as one commit.
pub fn added_to_existing(lang: Lang, commits: usize) -> String {
    match lang {
        Lang::Ja => format!(
            "既存の git リポジトリに tenken のファイルを追加しました（既存の {commits} 件のコミットの上に 1 件のコミット。`git log -1` で確認できます）。\n"
        ),
        Lang::En => format!(
            "Added tenken's files to the existing git repository in one commit on top of its {commits} commit{} (`git log -1` shows it).\n",
            if commits == 1 { "" } else { "s" }
        ),
    }
}

/// `init` in a directory that already holds a git history.
pub fn already_git(dir: &str, commits: usize, latest: &str) -> Message {
    Message::new(
        format!(
            "{dir} はすでに git リポジトリです（コミット {commits}件、最新は `{latest}`）。tenken は記録を専用のリポジトリに保存します"
        ),
        format!(
            "{dir} is already a git repository ({commits} commit{}, the latest `{latest}`); tenken keeps its records in a repository of their own",
            if commits == 1 { "" } else { "s" }
        ),
    )
}

/// Where to create the repository instead.
pub fn already_git_hint() -> Message {
    Message::new(
        "新しいディレクトリで `tenken init` を実行するか、このリポジトリに 1 件のコミットで追加するなら --existing-git を付けてください",
        "run `tenken init` in a new directory, or pass --existing-git to add tenken's files to this repository in one commit",
    )
}

/// The demo was built (directory shown).
pub fn demo_built(lang: Lang, dir: &str) -> String {
    match lang {
        Lang::Ja => format!(
            "デモ用リポジトリを {dir} に作成しました。\n`tenken --repo {dir} --inspector sato` で開けます。\n"
        ),
        Lang::En => format!(
            "Built the demo repository in {dir}.\nOpen it with `tenken --repo {dir} --inspector sato`.\n"
        ),
    }
}
