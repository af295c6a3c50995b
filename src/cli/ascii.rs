//! Short ASCII values written without the formatting machinery: dates
//! (`2026-04-01`), period names (`FY2026Q1`) and integers (by crate
//! `itoa`). A trend of ten thousand points writes several of each per
//! point, and `write!` of them (a call through `dyn fmt::Write` per piece,
//! chrono's date written one character at a time) was a large share of the
//! command's own work. Dates and periods are ours: chrono and our `Period`
//! have no allocation-free writer. Each gives exactly what the value's
//! `Display` gives (the tests compare); what is outside the quick cases (a
//! year outside 0–9999) is written by that `Display`.

use std::fmt::{self, Write as _};

use chrono::{Datelike, NaiveDate};

use crate::period::Period;

/// Up to 32 bytes of ASCII text on the stack: every value this module
/// writes fits (an `i64` takes 20 bytes, a period of any `i32` year 25).
#[derive(Debug, Clone, Copy)]
pub struct Ascii {
    bytes: [u8; 32],
    len: usize,
}

impl Ascii {
    fn new() -> Self {
        Self {
            bytes: [0; 32],
            len: 0,
        }
    }

    /// Returns the text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }

    /// Returns the text's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    /// Appends the text to `out` (without checking it again as UTF-8).
    pub fn push_to(&self, out: &mut String) {
        out.extend(self.as_bytes().iter().map(|&b| char::from(b)));
    }

    /// Returns the length of the text in bytes (= characters: ASCII).
    pub fn len(&self) -> usize {
        self.len
    }

    fn push(&mut self, b: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// Appends `n` in `width` digits, zero-padded (`n` < 10^`width`).
    fn push_digits(&mut self, mut n: u32, width: usize) {
        let end = self.len + width;
        for i in (self.len..end).rev() {
            if let Some(slot) = self.bytes.get_mut(i) {
                // n % 10 < 10: the cast keeps it.
                *slot = b'0' + (n % 10) as u8;
            }
            n /= 10;
        }
        self.len = end.min(self.bytes.len());
    }

    /// What `Display` of `value` writes.
    fn shown(value: impl fmt::Display) -> Self {
        let mut a = Self::new();
        let _ = write!(a, "{value}");
        a
    }

    /// Returns the date as `Display` writes it: `YYYY-MM-DD`.
    pub fn date(d: NaiveDate) -> Self {
        let Ok(year) = u32::try_from(d.year()) else {
            return Self::shown(d);
        };
        if year > 9999 {
            return Self::shown(d);
        }
        let mut a = Self::new();
        a.push_digits(year, 4);
        a.push(b'-');
        a.push_digits(d.month(), 2);
        a.push(b'-');
        a.push_digits(d.day(), 2);
        a
    }

    /// Returns the period's name as `Display` writes it (`FY2026Q1`).
    pub fn period(p: Period) -> Self {
        let (fiscal, year, part) = match p {
            Period::Quarter { year, q } => (false, year, Some((b'Q', q))),
            Period::FiscalQuarter { fy, q, .. } => (true, fy, Some((b'Q', q))),
            Period::HalfYear { year, h } => (false, year, Some((b'H', h))),
            Period::FiscalHalf { fy, h, .. } => (true, fy, Some((b'H', h))),
            Period::Year { year } => (false, year, None),
            Period::FiscalYear { fy, .. } => (true, fy, None),
        };
        let year = u32::try_from(year).ok().filter(|&y| y <= 9999);
        let (Some(year), true) = (year, part.is_none_or(|(_, n)| n <= 9)) else {
            return Self::shown(p);
        };
        let mut a = Self::new();
        if fiscal {
            a.push(b'F');
            a.push(b'Y');
        }
        a.push_digits(year, 4);
        if let Some((letter, n)) = part {
            a.push(letter);
            a.push_digits(n, 1);
        }
        a
    }

    /// Returns the number as `Display` writes it (crate `itoa`).
    pub fn uint(n: u64) -> Self {
        Self::digits(itoa::Buffer::new().format(n))
    }

    /// Returns the number as `Display` writes it (crate `itoa`).
    pub fn int(n: i64) -> Self {
        Self::digits(itoa::Buffer::new().format(n))
    }

    /// The digits (and sign) `itoa` wrote: at most 20 bytes.
    fn digits(text: &str) -> Self {
        let mut a = Self::new();
        for &b in text.as_bytes() {
            a.push(b);
        }
        a
    }
}

impl fmt::Write for Ascii {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::period::PeriodKind;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn a_date_is_written_as_displayed(days in NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce()) {
            let d = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            prop_assert_eq!(Ascii::date(d).as_str().to_owned(), d.to_string());
        }

        #[test]
        fn a_date_of_our_years_is_written_as_displayed(days in 0i32..3_700_000) {
            let d = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            prop_assert_eq!(Ascii::date(d).as_str().to_owned(), d.to_string());
        }

        #[test]
        fn a_period_is_written_as_displayed(
            year in prop_oneof![-20_000i32..20_000, 1990i32..2100, any::<i32>()],
            n in prop_oneof![1u32..5, 0u32..12, any::<u32>()],
            start_month in 1u32..13,
        ) {
            for p in [
                Period::Quarter { year, q: n },
                Period::FiscalQuarter { fy: year, q: n, start_month },
                Period::HalfYear { year, h: n },
                Period::FiscalHalf { fy: year, h: n, start_month },
                Period::Year { year },
                Period::FiscalYear { fy: year, start_month },
            ] {
                prop_assert_eq!(Ascii::period(p).as_str().to_owned(), p.to_string());
            }
        }

        #[test]
        fn a_number_is_written_as_displayed(n in any::<i64>(), small in -1000i64..1000) {
            prop_assert_eq!(Ascii::int(n).as_str().to_owned(), n.to_string());
            prop_assert_eq!(Ascii::int(small).as_str().to_owned(), small.to_string());
            prop_assert_eq!(Ascii::uint(n.unsigned_abs()).as_str().to_owned(), n.unsigned_abs().to_string());
        }
    }

    #[test]
    fn the_ends_of_the_ranges_are_written_as_displayed() {
        for n in [i64::MIN, i64::MAX, 0, -1, 9, 10, -10] {
            assert_eq!(Ascii::int(n).as_str(), n.to_string());
        }
        assert_eq!(Ascii::uint(u64::MAX).as_str(), u64::MAX.to_string());
        for d in [NaiveDate::MIN, NaiveDate::MAX] {
            assert_eq!(Ascii::date(d).as_str(), d.to_string());
        }
        let day = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        for kind in PeriodKind::ALL {
            let p = Period::containing(kind, day, 4);
            assert_eq!(Ascii::period(p).as_str(), p.to_string());
        }
    }

    #[test]
    fn the_text_is_pushed_as_it_is() {
        let mut out = String::from("x");
        Ascii::period(Period::Year { year: -5 }).push_to(&mut out);
        Ascii::date(NaiveDate::MAX).push_to(&mut out);
        assert_eq!(out, format!("x-005{}", NaiveDate::MAX));
        assert_eq!(Ascii::int(-12).as_bytes(), b"-12");
    }
}
