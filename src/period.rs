//! Periods of the calendar and of the fiscal year (quarters, half-years,
//! years) and due dates. Pure: every function takes the dates it needs and
//! none reads the clock.
//!
//! Fiscal years are named by the calendar year they start in: with an
//! April start, `FY2026` runs from 1 April 2026 to 31 March 2027 and
//! `FY2026Q1` is April–June 2026. With a January start the fiscal year is
//! the calendar year (`FY2026Q1` = `2026Q1`).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Serialize, Serializer};

use crate::model::Every;

/// A span of whole months: a calendar or fiscal quarter, half-year or year.
///
/// Fiscal variants carry the month their fiscal year starts in (1–12), so
/// that a period alone answers [`Period::contains`]. Values built by hand
/// outside the documented ranges are clamped by every method (a start month
/// outside 1–12 counts as January); [`Period::parse`] never builds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A calendar quarter, `2026Q3` (`q` 1–4).
    Quarter {
        /// The calendar year.
        year: i32,
        /// The quarter, 1–4.
        q: u32,
    },
    /// A fiscal quarter, `FY2026Q2` (`q` 1–4).
    FiscalQuarter {
        /// The fiscal year, named by the calendar year it starts in.
        fy: i32,
        /// The quarter of the fiscal year, 1–4.
        q: u32,
        /// The month the fiscal year starts in, 1–12.
        start_month: u32,
    },
    /// A calendar half-year, `2026H1` (`h` 1–2).
    HalfYear {
        /// The calendar year.
        year: i32,
        /// The half, 1–2.
        h: u32,
    },
    /// A fiscal half-year, `FY2026H2` (`h` 1–2).
    FiscalHalf {
        /// The fiscal year, named by the calendar year it starts in.
        fy: i32,
        /// The half of the fiscal year, 1–2.
        h: u32,
        /// The month the fiscal year starts in, 1–12.
        start_month: u32,
    },
    /// A calendar year, `2026`.
    Year {
        /// The calendar year.
        year: i32,
    },
    /// A fiscal year, `FY2026`.
    FiscalYear {
        /// The fiscal year, named by the calendar year it starts in.
        fy: i32,
        /// The month the fiscal year starts in, 1–12.
        start_month: u32,
    },
}

/// The kind of a [`Period`], for grouping runs (`tenken trend --by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodKind {
    /// Calendar quarters (`2026Q3`).
    Quarter,
    /// Fiscal quarters (`FY2026Q2`).
    FiscalQuarter,
    /// Calendar half-years (`2026H1`).
    HalfYear,
    /// Fiscal half-years (`FY2026H2`).
    FiscalHalf,
    /// Calendar years (`2026`).
    Year,
    /// Fiscal years (`FY2026`).
    FiscalYear,
}

impl PeriodKind {
    /// Every kind, in declaration order.
    pub const ALL: [Self; 6] = [
        Self::Quarter,
        Self::FiscalQuarter,
        Self::HalfYear,
        Self::FiscalHalf,
        Self::Year,
        Self::FiscalYear,
    ];

    /// Returns the kind's name as used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Quarter => "quarter",
            Self::FiscalQuarter => "fiscal-quarter",
            Self::HalfYear => "half-year",
            Self::FiscalHalf => "fiscal-half",
            Self::Year => "year",
            Self::FiscalYear => "fiscal-year",
        }
    }

    /// Returns the length of a period of this kind in months.
    pub fn months(self) -> u32 {
        match self {
            Self::Quarter | Self::FiscalQuarter => 3,
            Self::HalfYear | Self::FiscalHalf => 6,
            Self::Year | Self::FiscalYear => 12,
        }
    }
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// The string has none of the accepted shapes.
    #[error(
        "`{0}` is not a period; use a quarter (2026Q3), fiscal quarter (FY2026Q2), half-year (2026H1, FY2026H2) or year (2026, FY2026)"
    )]
    Syntax(String),
    /// The quarter or half number is out of range.
    #[error("`{0}` names no such quarter or half; quarters are Q1–Q4 and halves H1–H2")]
    OutOfRange(String),
    /// The fiscal-year start month is not 1–12.
    #[error("the fiscal year start month must be 1 to 12, not {0}")]
    StartMonth(u32),
}

/// Months since year 0, January = 0; used for all period arithmetic.
type MonthIndex = i64;

fn month_index(date: NaiveDate) -> MonthIndex {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

/// Returns the first day of month `index`, saturating outside chrono's range.
fn first_day(index: MonthIndex) -> NaiveDate {
    let year = i32::try_from(index.div_euclid(12)).ok();
    let month = u32::try_from(index.rem_euclid(12) + 1).ok();
    match (year, month) {
        (Some(y), Some(m)) => NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(if index < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        }),
        _ if index < 0 => NaiveDate::MIN,
        _ => NaiveDate::MAX,
    }
}

/// Returns the last day of month `index`.
fn last_day(index: MonthIndex) -> NaiveDate {
    first_day(index + 1).pred_opt().unwrap_or(NaiveDate::MAX)
}

fn to_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX })
}

/// Returns the zero-based fiscal start month (0 for anything invalid).
fn start_month0(start_month: u32) -> i64 {
    if (1..=12).contains(&start_month) {
        i64::from(start_month) - 1
    } else {
        0
    }
}

/// Returns how many months a kind's periods are shifted from January.
fn kind_offset(kind: PeriodKind, start_month: u32) -> i64 {
    match kind {
        PeriodKind::FiscalQuarter | PeriodKind::FiscalHalf | PeriodKind::FiscalYear => {
            start_month0(start_month)
        }
        PeriodKind::Quarter | PeriodKind::HalfYear | PeriodKind::Year => 0,
    }
}

impl Period {
    /// Parses `2026Q3`, `FY2026Q2`, `2026H1`, `FY2026H2`, `2026` or `FY2026`.
    ///
    /// Letters may be lower case; `fiscal_start_month` (1–12) is the month
    /// the fiscal year starts in and is recorded in fiscal periods.
    pub fn parse(s: &str, fiscal_start_month: u32) -> Result<Self, PeriodError> {
        if !(1..=12).contains(&fiscal_start_month) {
            return Err(PeriodError::StartMonth(fiscal_start_month));
        }
        let shown = || crate::escape::line(s);
        let upper = s.trim().to_ascii_uppercase();
        let (fiscal, rest) = match upper.strip_prefix("FY") {
            Some(rest) => (true, rest),
            None => (false, upper.as_str()),
        };
        let year_part = rest.get(..4).ok_or_else(|| PeriodError::Syntax(shown()))?;
        if !year_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PeriodError::Syntax(shown()));
        }
        let year: i32 = year_part
            .parse()
            .map_err(|_| PeriodError::Syntax(shown()))?;
        let tail = &rest[4..];
        let number = |t: &str| -> Result<u32, PeriodError> {
            if t.len() == 1 && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse().map_err(|_| PeriodError::Syntax(shown()))
            } else {
                Err(PeriodError::Syntax(shown()))
            }
        };
        let start_month = fiscal_start_month;
        let period = if tail.is_empty() {
            if fiscal {
                Self::FiscalYear {
                    fy: year,
                    start_month,
                }
            } else {
                Self::Year { year }
            }
        } else if let Some(q) = tail.strip_prefix('Q') {
            let q = number(q)?;
            if !(1..=4).contains(&q) {
                return Err(PeriodError::OutOfRange(shown()));
            }
            if fiscal {
                Self::FiscalQuarter {
                    fy: year,
                    q,
                    start_month,
                }
            } else {
                Self::Quarter { year, q }
            }
        } else if let Some(h) = tail.strip_prefix('H') {
            let h = number(h)?;
            if !(1..=2).contains(&h) {
                return Err(PeriodError::OutOfRange(shown()));
            }
            if fiscal {
                Self::FiscalHalf {
                    fy: year,
                    h,
                    start_month,
                }
            } else {
                Self::HalfYear { year, h }
            }
        } else {
            return Err(PeriodError::Syntax(shown()));
        };
        Ok(period)
    }

    /// Returns the period of `kind` that contains `date`.
    ///
    /// `fiscal_start_month` (1–12) is used by the fiscal kinds only.
    pub fn containing(kind: PeriodKind, date: NaiveDate, fiscal_start_month: u32) -> Self {
        let offset = kind_offset(kind, fiscal_start_month);
        let len = i64::from(kind.months());
        let base = month_index(date) - offset;
        let first = offset + base.div_euclid(12) * 12 + base.rem_euclid(12) / len * len;
        Self::from_first_month(kind, fiscal_start_month, first)
    }

    /// Returns the calendar quarter containing `date`.
    pub fn quarter_of(date: NaiveDate) -> Self {
        Self::containing(PeriodKind::Quarter, date, 1)
    }

    /// Returns the fiscal quarter containing `date` for a fiscal year
    /// starting in `start_month`.
    pub fn fiscal_quarter_of(date: NaiveDate, start_month: u32) -> Self {
        Self::containing(PeriodKind::FiscalQuarter, date, start_month)
    }

    /// Returns the fiscal year containing `date` for a fiscal year starting
    /// in `start_month`.
    pub fn fiscal_year_of(date: NaiveDate, start_month: u32) -> Self {
        Self::containing(PeriodKind::FiscalYear, date, start_month)
    }

    /// Returns the period's kind.
    pub fn kind(self) -> PeriodKind {
        match self {
            Self::Quarter { .. } => PeriodKind::Quarter,
            Self::FiscalQuarter { .. } => PeriodKind::FiscalQuarter,
            Self::HalfYear { .. } => PeriodKind::HalfYear,
            Self::FiscalHalf { .. } => PeriodKind::FiscalHalf,
            Self::Year { .. } => PeriodKind::Year,
            Self::FiscalYear { .. } => PeriodKind::FiscalYear,
        }
    }

    /// Returns the fiscal start month of a fiscal period (1 for calendar ones).
    pub fn start_month(self) -> u32 {
        match self {
            Self::FiscalQuarter { start_month, .. }
            | Self::FiscalHalf { start_month, .. }
            | Self::FiscalYear { start_month, .. } => start_month,
            _ => 1,
        }
    }

    /// Returns the index of the period's first month (months since year 0).
    /// Periods of one kind and fiscal start are in the order of their
    /// first months ([`Ord`] compares dates and is slower).
    pub(crate) fn first_month(self) -> MonthIndex {
        let sub = |n: u32, len: i64, max: u32| (i64::from(n.clamp(1, max)) - 1) * len;
        match self {
            Self::Quarter { year, q } => i64::from(year) * 12 + sub(q, 3, 4),
            Self::HalfYear { year, h } => i64::from(year) * 12 + sub(h, 6, 2),
            Self::Year { year } => i64::from(year) * 12,
            Self::FiscalQuarter { fy, q, start_month } => {
                i64::from(fy) * 12 + start_month0(start_month) + sub(q, 3, 4)
            }
            Self::FiscalHalf { fy, h, start_month } => {
                i64::from(fy) * 12 + start_month0(start_month) + sub(h, 6, 2)
            }
            Self::FiscalYear { fy, start_month } => i64::from(fy) * 12 + start_month0(start_month),
        }
    }

    /// Returns the first day of the period.
    pub fn start(self) -> NaiveDate {
        first_day(self.first_month())
    }

    /// Returns the last day of the period (inclusive).
    pub fn end(self) -> NaiveDate {
        last_day(self.first_month() + i64::from(self.kind().months()) - 1)
    }

    /// Returns true when `date` falls within the period, both ends included.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// Returns the period of the same kind just before this one.
    #[must_use]
    pub fn previous(self) -> Self {
        self.shifted(-1)
    }

    /// Returns the period of the same kind just after this one.
    #[must_use]
    pub fn next(self) -> Self {
        self.shifted(1)
    }

    /// Returns the period `n` periods of the same kind away (negative: earlier).
    #[must_use]
    pub fn shifted(self, n: i64) -> Self {
        let months = i64::from(self.kind().months());
        let index = self.first_month() + n * months;
        self.with_first_month(index)
    }

    /// Rebuilds a period of the same kind (and fiscal start) from the index
    /// of its first month.
    fn with_first_month(self, index: MonthIndex) -> Self {
        Self::from_first_month(self.kind(), self.start_month(), index)
    }

    /// Builds the period of `kind` whose first month is `index` (which must
    /// be aligned to the kind and, for fiscal kinds, to `start_month`).
    fn from_first_month(kind: PeriodKind, start_month: u32, index: MonthIndex) -> Self {
        let start_month = if (1..=12).contains(&start_month) {
            start_month
        } else {
            1
        };
        let base = index - kind_offset(kind, start_month);
        let year = to_i32(base.div_euclid(12));
        let sub = |len: i64| u32::try_from(base.rem_euclid(12) / len + 1).unwrap_or(1);
        match kind {
            PeriodKind::Quarter => Self::Quarter { year, q: sub(3) },
            PeriodKind::HalfYear => Self::HalfYear { year, h: sub(6) },
            PeriodKind::Year => Self::Year { year },
            PeriodKind::FiscalQuarter => Self::FiscalQuarter {
                fy: year,
                q: sub(3),
                start_month,
            },
            PeriodKind::FiscalHalf => Self::FiscalHalf {
                fy: year,
                h: sub(6),
                start_month,
            },
            PeriodKind::FiscalYear => Self::FiscalYear {
                fy: year,
                start_month,
            },
        }
    }

    /// Returns how many periods of this kind lie between `self` and `other`
    /// (positive when `other` is later).
    pub fn distance_to(self, other: Self) -> i64 {
        let months = i64::from(self.kind().months());
        (other.first_month() - self.first_month()).div_euclid(months)
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    /// Orders periods by start, then by end, then by kind.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (
            self.start(),
            self.end(),
            self.kind() as u8,
            self.start_month(),
        )
            .cmp(&(
                other.start(),
                other.end(),
                other.kind() as u8,
                other.start_month(),
            ))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Quarter { year, q } => write!(f, "{year:04}Q{q}"),
            Self::FiscalQuarter { fy, q, .. } => write!(f, "FY{fy:04}Q{q}"),
            Self::HalfYear { year, h } => write!(f, "{year:04}H{h}"),
            Self::FiscalHalf { fy, h, .. } => write!(f, "FY{fy:04}H{h}"),
            Self::Year { year } => write!(f, "{year:04}"),
            Self::FiscalYear { fy, .. } => write!(f, "FY{fy:04}"),
        }
    }
}

impl Serialize for Period {
    /// Serialises as the period's name (`FY2026Q2`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Parses a period with a January fiscal start; use [`Period::parse`]
    /// to give the repository's start month.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s, 1)
    }
}

/// Returns the date by which the next run is due.
///
/// The rule: a subject never inspected (`last` is `None`) is due `today`.
/// Otherwise the run in `last` satisfies the whole period that contains it,
/// and the next run is due by the last day of the period after that one.
/// Periods are aligned to the fiscal year (`fiscal_start` 1–12) for
/// `Quarter`, `HalfYear` and `Year`, and are calendar months for `Month`.
/// So with an April start, a quarterly check last run on 10 May 2026
/// (FY2026Q1, April–June) is next due on 30 September 2026 (the end of
/// FY2026Q2), whether it is run early or late in FY2026Q1.
pub fn next_due(
    last: Option<NaiveDate>,
    every: Every,
    fiscal_start: u32,
    today: NaiveDate,
) -> NaiveDate {
    let Some(last) = last else {
        return today;
    };
    let kind = match every {
        Every::Month => {
            let next_month_end = last
                .with_day(1)
                .and_then(|d| d.checked_add_months(Months::new(2)))
                .and_then(|d| d.pred_opt());
            return next_month_end.unwrap_or(NaiveDate::MAX);
        }
        Every::Quarter => PeriodKind::FiscalQuarter,
        Every::HalfYear => PeriodKind::FiscalHalf,
        Every::Year => PeriodKind::FiscalYear,
    };
    Period::containing(kind, last, fiscal_start).next().end()
}

#[cfg(test)]
mod tests;
