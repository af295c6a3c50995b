//! Errors and hints many commands share: an id the repository does not
//! know, no repository here, who the inspector is, dates.
//!
//! Each returns a [`Message`] (both languages), since an error is made
//! before the language it is shown in is known. Ids and paths come in
//! already escaped where they come from data or the command line.

use chrono::NaiveDate;

use super::Message;
use crate::escape;
use crate::model::{DateError, DateRange, Lang};

/// An inspection id no file in `inspections/` has.
pub fn unknown_inspection(id: &str) -> Message {
    Message::new(
        format!("点検 `{id}` はありません"),
        format!("unknown inspection `{id}`"),
    )
}

/// A subject id the register does not have.
pub fn unknown_subject(id: &str) -> Message {
    Message::new(
        format!("対象 `{id}` は subjects.ron にありません"),
        format!("subject `{id}` is not in subjects.ron"),
    )
}

/// The known id nearest to a mistyped one.
pub fn did_you_mean(near: &str) -> Message {
    Message::new(
        format!("`{near}` のことですか？"),
        format!("did you mean `{near}`?"),
    )
}

/// What a list of known ids is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Inspection ids.
    Inspections,
    /// Subject ids.
    Subjects,
}

/// The ids the repository knows, after an unknown one.
pub fn known(what: Known, ids: &str) -> Message {
    Message::of(|lang| {
        let what = match (what, lang) {
            (Known::Inspections, Lang::Ja) => "登録されている点検",
            (Known::Subjects, Lang::Ja) => "登録されている対象",
            (Known::Inspections, Lang::En) => "inspections",
            (Known::Subjects, Lang::En) => "known subjects",
        };
        format!("{what}: {ids}")
    })
}

/// A date not written `YYYY-MM-DD`, or no day of the calendar; `flag`
/// names the option it was given to.
pub fn bad_date(flag: Option<&str>, e: &DateError) -> Message {
    let (DateError::Shape(s) | DateError::Calendar(s)) = e;
    let s = escape::line(s);
    let message = match e {
        DateError::Shape(_) => Message::new(
            format!(
                "`{s}` は日付として読めません。YYYY-MM-DD の形で書いてください（例: 2026-04-01）"
            ),
            format!("`{s}` is not a date; write YYYY-MM-DD (for example 2026-04-01)"),
        ),
        DateError::Calendar(_) => Message::new(
            format!("`{s}` は暦にない日付です。YYYY-MM-DD の形で書いてください"),
            format!("`{s}` is not a date of the calendar; write YYYY-MM-DD"),
        ),
    };
    match flag {
        Some(flag) => message.wrap(|_, m| format!("{flag}: {m}")),
        None => message,
    }
}

/// A date outside the range allowed for it; `what` names the date in each
/// language (a flag reads the same in both).
pub fn date_out_of_range(what: (&str, &str), date: NaiveDate, range: DateRange) -> Message {
    let (earliest, latest) = (range.earliest, range.latest);
    Message::new(
        format!(
            "{} {date} は受け付けられる範囲（{earliest} から {latest} まで）の外です",
            what.0
        ),
        format!(
            "{} {date} is outside the allowed range {earliest} to {latest}",
            what.1
        ),
    )
}

/// `--repo` names a directory without `tenken.ron`.
pub fn not_a_repository(dir: &str) -> Message {
    Message::new(
        format!("{dir} は tenken のリポジトリではありません（tenken.ron がありません）"),
        format!("{dir} is not a tenken repository (no tenken.ron)"),
    )
}

/// How to make a repository.
pub fn create_one_hint() -> Message {
    Message::new(
        "`tenken init DIR` で作成するか、`tenken demo` で試してください",
        "create one with `tenken init DIR`, or try `tenken demo`",
    )
}

/// No `tenken.ron` here or above.
pub fn no_repository(start: &str) -> Message {
    Message::new(
        format!("{start} とその上のディレクトリに tenken のリポジトリが見つかりません"),
        format!("no tenken repository found in {start} or any parent directory"),
    )
}

/// How to name the repository.
pub fn name_repository_hint() -> Message {
    Message::new(
        "`--repo DIR` を付けるか TENKEN_REPO を設定するか、`tenken init DIR` で作成してください",
        "pass `--repo DIR`, set TENKEN_REPO, or create one with `tenken init DIR`",
    )
}

/// Nothing says who the inspector is.
pub fn no_inspector() -> Message {
    Message::new(
        "点検者が分かりません。`--inspector ID` を付けるか、`TENKEN_INSPECTOR` か git の `user.name` を設定してください",
        "no inspector identity: pass `--inspector ID`, set `TENKEN_INSPECTOR`, or set git's `user.name`",
    )
}

/// An example of naming the inspector.
pub fn no_inspector_hint() -> Message {
    Message::new(
        "例: `tenken --inspector sato`",
        "for example `tenken --inspector sato`",
    )
}

/// git's user name makes no id.
pub fn cannot_derive_inspector(name: &str) -> Message {
    Message::new(
        format!("git のユーザー `{name}` から点検者 ID を作れません"),
        format!("cannot derive an inspector id from git user `{name}`"),
    )
}

/// How an inspector id is written.
pub fn inspector_id_hint() -> Message {
    Message::new(
        "`--inspector ID` を付けてください（英小文字・数字・`.`・`_`・`-`）",
        "pass `--inspector ID` (lower-case letters, digits, `.`, `_`, `-`)",
    )
}
