//! The rules that tie a record to its place and its time: a run's path,
//! finish date and inspector agree; dates lie between 1990-01-01 and today
//! (an action's due date up to ten years ahead); a withdrawal names the run
//! its path names and gives a reason. `check` applies them to every file,
//! the store to what it writes.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::Report;
use crate::error::Diagnostic;
use crate::model::{DateRange, RiskAssessment, Run, Withdrawal};
use crate::msg::Message;
use crate::msg::errors::date_out_of_range;
use crate::msg::load::run as words;

/// Checks that a run file's path agrees with its contents: the subject and
/// inspection folders are the run's, and the file name
/// `<YYYY-MM-DD>T<HHMMSS>-<inspector>` (with an optional `-N`) names its
/// finish date, in its own offset, and its inspector. (The time in the name
/// is when the file was named; a hand-written run may name its start.)
pub fn validate_run_path(path: &Path, src: &str, run: &Run) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    let parts: Vec<&str> = path.iter().filter_map(|p| p.to_str()).collect();
    let [_, subject, inspection, file] = parts.as_slice() else {
        return r.out;
    };
    let name = file.strip_suffix(".ron").unwrap_or(file);
    if *subject != run.subject.as_str() {
        let at = r.loc.field(0, "subject", run.subject.as_str());
        r.at(at, words::subject_not_folder(run.subject.as_str(), subject));
    }
    if *inspection != run.inspection.as_str() {
        let at = r.loc.field(0, "inspection", run.inspection.as_str());
        r.at(
            at,
            words::inspection_not_folder(run.inspection.as_str(), inspection),
        );
    }
    let date = run.finished.date_naive().to_string();
    let stamp_ok = name.len() > 18
        && name.get(..10) == Some(date.as_str())
        && name.as_bytes().get(10) == Some(&b'T')
        && name
            .get(11..17)
            .is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit()))
        && name.as_bytes().get(17) == Some(&b'-');
    if !stamp_ok {
        let at = r.loc.field_name(0, "finished");
        r.at(at, words::name_not_date(name, &date));
        return r.out;
    }
    let who = &name[18..];
    let inspector = run.inspector.id.as_str();
    let numbered = who
        .strip_prefix(inspector)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|n| !n.starts_with('0') && n.parse::<u32>().is_ok_and(|n| n >= 2));
    if who != inspector && !numbered {
        let at = r
            .loc
            .field(0, "id", inspector)
            .or_else(|| r.loc.field_name(0, "inspector"));
        r.at(at, words::name_not_inspector(name, inspector));
    }
    r.out
}

/// Checks that a run's dates are sane: started and finished between
/// 1990-01-01 and today (the date of `now`), and every action due between
/// 1990-01-01 and ten years after today.
///
/// A time is "after today" only when it is after today in `now`'s offset:
/// a run finished just after midnight in Tokyo is not in the future for a
/// machine in UTC where it is still the day before.
pub fn validate_run_dates(
    path: &Path,
    src: &str,
    run: &Run,
    now: DateTime<FixedOffset>,
) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    let today = now.date_naive();
    for (field, when) in [("started", run.started), ("finished", run.finished)] {
        if let Err(message) = check_time(&words::field(field), when, now) {
            let at = r.loc.field_name(0, field);
            r.at(at, message);
        }
    }
    let due = DateRange::due(today);
    let answers_at = r.loc.field_name(0, "answers").unwrap_or(0);
    for (item, answer) in &run.answers {
        let Some(action) = &answer.action else {
            continue;
        };
        if !due.contains(action.due) {
            let what = words::action_due(item.as_str());
            let at = r.loc.key(answers_at, item.as_str());
            let at = at.and_then(|a| r.loc.field_name(a, "due")).or(at);
            r.at(at, date_out_of_range((&what.0, &what.1), action.due, due));
        }
    }
    r.out
}

/// Checks that the time `when` lies between 1990-01-01 (in its own offset)
/// and today (in `now`'s offset), naming the date that is out of range.
fn check_time(
    what: &(String, String),
    when: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
) -> Result<(), Message> {
    let range = DateRange::past(now.date_naive());
    let own = when.date_naive();
    let here = when.with_timezone(now.offset()).date_naive();
    if own < range.earliest || here > range.latest {
        // The file's own date, unless only the date here is out of range.
        let shown = if range.contains(own) { here } else { own };
        return Err(date_out_of_range((&what.0, &what.1), shown, range));
    }
    Ok(())
}

/// Checks that a run did not finish before it started.
pub fn validate_run_order(path: &Path, src: &str, run: &Run) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    if run.finished < run.started {
        let at = r.loc.field_name(0, "finished");
        r.at(
            at,
            words::finished_before_started(&run.finished.to_rfc3339(), &run.started.to_rfc3339()),
        );
    }
    r.out
}

/// Checks that a risk assessment's date lies between 1990-01-01 and
/// `today`.
pub fn validate_risk_date(
    path: &Path,
    src: &str,
    risk: &RiskAssessment,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    let range = DateRange::past(today);
    if !range.contains(risk.date) {
        let what = words::field("date");
        let at = r.loc.field_name(0, "date");
        r.at(at, date_out_of_range((&what.0, &what.1), risk.date, range));
    }
    r.out
}

/// Checks that a withdrawal's date lies between 1990-01-01 and today (the
/// date of `now`; see [`validate_run_dates`]).
pub fn validate_withdrawal_date(
    path: &Path,
    src: &str,
    w: &Withdrawal,
    now: DateTime<FixedOffset>,
) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    if let Err(message) = check_time(&words::field("date"), w.date, now) {
        let at = r.loc.field_name(0, "date");
        r.at(at, message);
    }
    r.out
}

/// Validates a withdrawal: the run it names is the one its path names,
/// and it gives a reason.
pub fn validate_withdrawal(path: &Path, src: &str, w: &Withdrawal) -> Vec<Diagnostic> {
    let mut r = Report::new(path, src);
    r.format(w.format);
    let expected = path
        .strip_prefix("withdrawals")
        .ok()
        .and_then(|p| p.to_str())
        .and_then(|p| p.strip_suffix(".ron"))
        .map(|p| p.replace('\\', "/"));
    if let Some(expected) = expected
        && expected != w.run
    {
        let at = r.loc.field(0, "run", &w.run);
        r.at(
            at,
            words::withdrawal_not_path(&crate::escape::line(&w.run), &expected),
        );
    }
    if w.reason.trim().is_empty() {
        let at = r.loc.field_name(0, "reason");
        r.at(at, words::withdrawal_without_reason());
    }
    r.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    /// `check_time` of the field `name`, its refusal in English.
    fn check_time(
        name: &str,
        when: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
    ) -> Result<(), String> {
        super::check_time(&words::field(name.trim_matches('`')), when, now)
            .map_err(|m| m.to_string())
    }

    #[test]
    fn a_date_out_of_range_is_refused_in_both_languages() {
        let refused = super::check_time(
            &words::field("finished"),
            t("2026-11-27T00:30:00+09:00"),
            t("2026-11-25T16:00:00Z"),
        )
        .unwrap_err();
        assert_eq!(
            refused.get(crate::model::Lang::Ja),
            "`finished` 2026-11-27 は受け付けられる範囲（1990-01-01 から 2026-11-25 まで）の外です"
        );
    }

    #[test]
    fn a_time_is_after_today_only_in_the_offset_of_now() {
        // Just after midnight in Tokyo is still the day before in UTC: not
        // in the future for a machine in UTC.
        let tokyo = t("2026-11-26T00:30:00+09:00");
        assert_eq!(
            check_time("`finished`", tokyo, t("2026-11-25T16:00:00Z")),
            Ok(())
        );
        assert_eq!(
            check_time("`finished`", tokyo, t("2026-11-26T01:00:00+09:00")),
            Ok(())
        );
        // A day later it is.
        assert_eq!(
            check_time(
                "`finished`",
                t("2026-11-27T00:30:00+09:00"),
                t("2026-11-25T16:00:00Z")
            ),
            Err(
                "`finished` 2026-11-27 is outside the allowed range 1990-01-01 to 2026-11-25"
                    .into()
            )
        );
        // Today in its own offset but tomorrow here: the date here counts.
        let honolulu = t("2026-11-25T20:00:00-10:00");
        assert_eq!(
            check_time("`finished`", honolulu, t("2026-11-25T23:00:00+09:00")),
            Err(
                "`finished` 2026-11-26 is outside the allowed range 1990-01-01 to 2026-11-25"
                    .into()
            )
        );
        assert_eq!(
            check_time("`finished`", honolulu, t("2026-11-26T08:00:00+09:00")),
            Ok(())
        );
        // The earliest date is the file's own.
        assert_eq!(
            check_time(
                "`started`",
                t("1990-01-01T00:30:00+09:00"),
                t("2026-11-25T16:00:00Z")
            ),
            Ok(())
        );
        assert_eq!(
            check_time(
                "`started`",
                t("1989-12-31T23:59:00+09:00"),
                t("2026-11-25T16:00:00Z")
            ),
            Err(
                "`started` 1989-12-31 is outside the allowed range 1990-01-01 to 2026-11-25".into()
            )
        );
    }
}
