//! Words of `tenken verify`. The problems' own details come from the store
//! and are not in the catalogue yet.

use crate::model::Lang;

/// Returns "1 run" / "3 runs" in English, "3件" in Japanese.
fn count(lang: Lang, n: usize, what: &str) -> String {
    match lang {
        Lang::Ja => format!("{n}件"),
        Lang::En if n == 1 => format!("1 {what}"),
        Lang::En => format!("{n} {what}s"),
    }
}

/// The line of a clean history: what was verified, in how many commits.
pub fn verified(lang: Lang, runs: usize, risks: usize, commits: usize) -> String {
    let commits = count(lang, commits, "commit");
    let run_count = count(lang, runs, "run");
    match (lang, risks) {
        (Lang::Ja, 0) => {
            format!(
                "点検記録 {run_count}を {commits}のコミットで検証しました。問題はありません。\n"
            )
        }
        (Lang::Ja, _) => format!(
            "点検記録 {run_count}とリスク評価 {}を {commits}のコミットで検証しました。問題はありません。\n",
            count(lang, risks, "")
        ),
        (Lang::En, 0) => format!("Verified {run_count} in {commits}; no problems.\n"),
        (Lang::En, _) => format!(
            "Verified {run_count} and {} in {commits}; no problems.\n",
            count(lang, risks, "risk assessment")
        ),
    }
}

/// The line on signatures: signed and allowed, unsigned, and whether
/// signatures are required.
pub fn signatures(lang: Lang, signed: usize, unsigned: usize, required: bool) -> String {
    match lang {
        Lang::Ja => format!(
            "署名: 許可された署名あり {signed}件、署名なし {unsigned}件{}。\n",
            if required { "（署名必須）" } else { "" }
        ),
        Lang::En => format!(
            "Signatures: {signed} signed and allowed, {unsigned} unsigned{}.\n",
            if required { " (required)" } else { "" }
        ),
    }
}

/// The history is shallow: it stops before these commits (short hashes).
pub fn shallow(lang: Lang, commits: &str) -> String {
    match lang {
        Lang::Ja => format!(
            "履歴は {commits} より前がありません（浅いクローン）。ある範囲を検証しました。\n"
        ),
        Lang::En => format!("History is shallow before {commits}; verified what is there.\n"),
    }
}

/// One withdrawn run: which, by whom, when and why (all escaped).
pub fn withdrawn(lang: Lang, run: &str, by: &str, email: &str, date: &str, reason: &str) -> String {
    match lang {
        Lang::Ja => format!("取り下げ: {run}（{date}、{by} <{email}>）：{reason}\n"),
        Lang::En => format!("Withdrawn: {run} by {by} <{email}> on {date}: {reason}\n"),
    }
}

/// Where a problem was found: the commit, and its author and time when
/// known (all escaped and formatted).
pub fn in_commit(lang: Lang, commit: &str, author: Option<&str>, time: Option<&str>) -> String {
    match lang {
        Lang::Ja => {
            let mut parts = vec![format!("コミット {commit}")];
            parts.extend(author.map(str::to_owned));
            parts.extend(time.map(str::to_owned));
            format!("（{}）", parts.join("、"))
        }
        Lang::En => format!(
            " (commit {commit}{}{})",
            author.map(|a| format!(" by {a}")).unwrap_or_default(),
            time.map(|t| format!(" on {t}")).unwrap_or_default()
        ),
    }
}

/// The error after a history with problems: how many, in how many commits.
pub fn found(lang: Lang, problems: usize, commits: usize) -> String {
    match lang {
        Lang::Ja => {
            format!("履歴の検証で {commits}件のコミットに {problems}件の問題が見つかりました")
        }
        Lang::En => format!(
            "history verification found {} in {}",
            count(lang, problems, "problem"),
            count(lang, commits, "commit")
        ),
    }
}
