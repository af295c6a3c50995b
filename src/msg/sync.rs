//! Words of `tenken sync`: what was fetched, merged and pushed.

use crate::model::Lang;
use crate::store::{Integration, SyncReport};

/// "1 commit", "3 commits"; "3件のコミット".
fn commits(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!("{n}件のコミット"),
        Lang::En if n == 1 => "1 commit".to_owned(),
        Lang::En => format!("{n} commits"),
    }
}

/// Renders the outcome of a sync as one sentence.
pub fn summary(lang: Lang, r: &SyncReport) -> String {
    let (remote, branch) = (&r.remote, &r.branch);
    let theirs = format!("{remote}/{branch}");
    let short = |c: &str| c.get(..12).unwrap_or(c).to_owned();
    let integrated = match (lang, &r.integration) {
        (Lang::Ja, Integration::RemoteEmpty) => {
            format!("`{remote}` にはまだブランチ `{branch}` がありません")
        }
        (Lang::Ja, Integration::UpToDate) => format!("{branch} は {theirs} をすでに含んでいます"),
        (Lang::Ja, Integration::FastForward { commits: n }) => format!(
            "{theirs} から {}を {branch} に早送りで取り込みました",
            commits(lang, *n)
        ),
        (Lang::Ja, Integration::Merged { commit, incoming }) => format!(
            "{theirs} から {}をマージコミット {} で取り込みました",
            commits(lang, *incoming),
            short(commit)
        ),
        (Lang::En, Integration::RemoteEmpty) => {
            format!("`{remote}` has no branch `{branch}` yet")
        }
        (Lang::En, Integration::UpToDate) => format!("{branch} already contains {theirs}"),
        (Lang::En, Integration::FastForward { commits: n }) => format!(
            "fast-forwarded {branch} by {} from {theirs}",
            commits(lang, *n)
        ),
        (Lang::En, Integration::Merged { commit, incoming }) => format!(
            "merged {} from {theirs} in merge commit {}",
            commits(lang, *incoming),
            short(commit)
        ),
    };
    match (lang, r.pushed) {
        (Lang::Ja, 0) => format!(
            "`{remote}`（{}）と同期しました: {integrated}。送信するものはありません。\n",
            r.url
        ),
        (Lang::Ja, n) => format!(
            "`{remote}`（{}）と同期しました: {integrated}。{}を送信しました。\n",
            r.url,
            commits(lang, n)
        ),
        (Lang::En, 0) => format!(
            "Synced with `{remote}` ({}): {integrated}; nothing to push.\n",
            r.url
        ),
        (Lang::En, n) => format!(
            "Synced with `{remote}` ({}): {integrated}; pushed {}.\n",
            r.url,
            commits(lang, n)
        ),
    }
}
