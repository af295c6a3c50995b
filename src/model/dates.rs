//! The dates tenken accepts (one rule for the command line and for every
//! file): a run, a withdrawal or a `--date` lies between 1990-01-01 and
//! today; an action's due date may also lie up to ten years ahead. Anything
//! else is refused with the allowed range named. Pure; "today" is passed in.

use chrono::{Months, NaiveDate};

/// The earliest date tenken accepts anywhere.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// How far ahead an action's due date may lie.
const DUE_MONTHS_AHEAD: u32 = 10 * 12;

/// The dates allowed for one kind of date, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// The first allowed date.
    pub earliest: NaiveDate,
    /// The last allowed date.
    pub latest: NaiveDate,
}

impl DateRange {
    /// Returns the range of dates something can have happened on: from
    /// 1990-01-01 to `today`.
    pub fn past(today: NaiveDate) -> Self {
        Self {
            earliest: EARLIEST_DATE,
            latest: today,
        }
    }

    /// Returns the range of an action's due date: from 1990-01-01 to ten
    /// years after `today`.
    pub fn due(today: NaiveDate) -> Self {
        Self {
            earliest: EARLIEST_DATE,
            latest: today
                .checked_add_months(Months::new(DUE_MONTHS_AHEAD))
                .unwrap_or(today),
        }
    }

    /// Returns true when `date` is in the range.
    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.earliest..=self.latest).contains(&date)
    }

    /// Returns `Err` with one sentence naming `what`, the date and the
    /// allowed range when `date` is outside it.
    pub fn check(&self, what: &str, date: NaiveDate) -> Result<(), String> {
        if self.contains(date) {
            Ok(())
        } else {
            Err(format!(
                "{what} {date} is outside the allowed range {} to {}",
                self.earliest, self.latest
            ))
        }
    }
}

/// Why a string is not a date tenken accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not written `YYYY-MM-DD`.
    #[error("`{0}` is not a date; write YYYY-MM-DD")]
    Shape(String),
    /// Written so, but no such day (2026-02-30).
    #[error("`{0}` is not a date of the calendar; write YYYY-MM-DD")]
    Calendar(String),
}

/// Parses a date written exactly `YYYY-MM-DD` (four-digit year, no sign).
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(DateError::Shape(s.to_owned()));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| DateError::Calendar(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_are_between_1990_and_today_and_due_dates_ten_years_ahead() {
        let today = d("2026-11-25");
        let past = DateRange::past(today);
        assert!(past.contains(d("1990-01-01")) && past.contains(today));
        assert!(!past.contains(d("1989-12-31")) && !past.contains(d("2026-11-26")));
        assert_eq!(
            past.check("--date", d("0001-03-01")),
            Err("--date 0001-03-01 is outside the allowed range 1990-01-01 to 2026-11-25".into())
        );
        let due = DateRange::due(today);
        assert_eq!(due.latest, d("2036-11-25"));
        assert!(due.contains(d("2036-11-25")) && !due.contains(d("2036-11-26")));
        assert_eq!(DateRange::due(d("2024-02-29")).latest, d("2034-02-28"));
    }

    #[test]
    fn only_plain_four_digit_dates_parse() {
        assert_eq!(parse_date("2026-03-01"), Ok(d("2026-03-01")));
        for bad in [
            "-0001-03-01",
            "+2026-03-01",
            "26-03-01",
            "2026-3-1",
            "2026/03/01",
            "２０２６-03-01",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_date("2026-02-30").map_err(|e| e.to_string()),
            Err("`2026-02-30` is not a date of the calendar; write YYYY-MM-DD".into())
        );
    }
}
