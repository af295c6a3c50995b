//! Periods at their edges: every form parsed and refused, starts and ends,
//! dates on quarter and fiscal-year boundaries, previous and next across
//! years, and when the next run falls due.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn p(s: &str, start: u32) -> Period {
    Period::parse(s, start).unwrap()
}

#[test]
fn parses_and_displays_every_shape() {
    for (text, start, shown) in [
        ("2026Q3", 4, "2026Q3"),
        ("2026q3", 4, "2026Q3"),
        (" FY2026Q2 ", 4, "FY2026Q2"),
        ("fy2026h2", 10, "FY2026H2"),
        ("2026H1", 1, "2026H1"),
        ("2026", 4, "2026"),
        ("FY2026", 4, "FY2026"),
        ("0999Q1", 1, "0999Q1"),
    ] {
        assert_eq!(p(text, start).to_string(), shown, "{text}");
    }
    assert_eq!(
        p("FY2026Q2", 4),
        Period::FiscalQuarter {
            fy: 2026,
            q: 2,
            start_month: 4
        }
    );
}

#[test]
fn refuses_malformed_periods() {
    for bad in [
        "",
        "26Q1",
        "2026Q",
        "2026Q5",
        "2026Q0",
        "2026H3",
        "2026Q12",
        "FY",
        "FY26",
        "2026-Q1",
        "Q3 2026",
        "２０２６Q1",
        "2026Q1x",
        "latest",
    ] {
        assert!(Period::parse(bad, 4).is_err(), "{bad:?} parsed");
    }
    assert_eq!(
        Period::parse("2026Q5", 4).map_err(|e| e.to_string()),
        Err("`2026Q5` names no such quarter or half; quarters are Q1–Q4 and halves H1–H2".into())
    );
    assert_eq!(Period::parse("2026", 13), Err(PeriodError::StartMonth(13)));
    assert_eq!(
        Period::parse("\u{1b}[2J", 4)
            .map_err(|e| e.to_string())
            .unwrap_err(),
        "`\\u{1b}[2J` is not a period; use a quarter (2026Q3), fiscal quarter (FY2026Q2), half-year (2026H1, FY2026H2) or year (2026, FY2026)"
    );
}

#[test]
fn start_and_end_of_periods() {
    for (text, start_month, first, last) in [
        ("2026Q1", 4, "2026-01-01", "2026-03-31"),
        ("2026Q4", 4, "2026-10-01", "2026-12-31"),
        ("2024Q1", 1, "2024-01-01", "2024-03-31"),
        ("2026H2", 1, "2026-07-01", "2026-12-31"),
        ("2026", 4, "2026-01-01", "2026-12-31"),
        // FY named by the year it starts in: April start.
        ("FY2026", 4, "2026-04-01", "2027-03-31"),
        ("FY2026Q1", 4, "2026-04-01", "2026-06-30"),
        ("FY2026Q2", 4, "2026-07-01", "2026-09-30"),
        ("FY2026Q4", 4, "2027-01-01", "2027-03-31"),
        ("FY2026H2", 4, "2026-10-01", "2027-03-31"),
        // Leap year: February 2028 ends on the 29th.
        ("FY2027Q4", 4, "2028-01-01", "2028-03-31"),
        ("FY2027H2", 9, "2028-03-01", "2028-08-31"),
        ("FY2027Q2", 12, "2028-03-01", "2028-05-31"),
        ("FY2027Q1", 12, "2027-12-01", "2028-02-29"),
        ("FY2026Q1", 12, "2026-12-01", "2027-02-28"),
        // January start: the fiscal year is the calendar year.
        ("FY2026", 1, "2026-01-01", "2026-12-31"),
        ("FY2026Q1", 1, "2026-01-01", "2026-03-31"),
        // October start.
        ("FY2026", 10, "2026-10-01", "2027-09-30"),
        ("FY2026Q1", 10, "2026-10-01", "2026-12-31"),
        ("FY2026Q2", 10, "2027-01-01", "2027-03-31"),
        ("FY2026H2", 10, "2027-04-01", "2027-09-30"),
    ] {
        let period = p(text, start_month);
        assert_eq!(
            (period.start(), period.end()),
            (d(first), d(last)),
            "{text} with start month {start_month}"
        );
        assert!(period.contains(d(first)) && period.contains(d(last)));
        assert!(!period.contains(d(first).pred_opt().unwrap()));
        assert!(!period.contains(d(last).succ_opt().unwrap()));
    }
}

#[test]
fn periods_of_dates_at_the_edges() {
    for (date, start_month, quarter, fiscal_quarter, fiscal_year) in [
        ("2026-03-31", 4, "2026Q1", "FY2025Q4", "FY2025"),
        ("2026-04-01", 4, "2026Q2", "FY2026Q1", "FY2026"),
        ("2026-12-31", 4, "2026Q4", "FY2026Q3", "FY2026"),
        ("2027-01-01", 4, "2027Q1", "FY2026Q4", "FY2026"),
        ("2026-03-31", 1, "2026Q1", "FY2026Q1", "FY2026"),
        ("2026-04-01", 1, "2026Q2", "FY2026Q2", "FY2026"),
        ("2026-12-31", 1, "2026Q4", "FY2026Q4", "FY2026"),
        ("2027-01-01", 1, "2027Q1", "FY2027Q1", "FY2027"),
        ("2026-09-30", 10, "2026Q3", "FY2025Q4", "FY2025"),
        ("2026-10-01", 10, "2026Q4", "FY2026Q1", "FY2026"),
        ("2026-12-31", 10, "2026Q4", "FY2026Q1", "FY2026"),
        ("2027-01-01", 10, "2027Q1", "FY2026Q2", "FY2026"),
        ("2028-02-29", 4, "2028Q1", "FY2027Q4", "FY2027"),
        ("2028-02-29", 12, "2028Q1", "FY2027Q1", "FY2027"),
        ("2028-03-01", 12, "2028Q1", "FY2027Q2", "FY2027"),
    ] {
        let date = d(date);
        assert_eq!(Period::quarter_of(date).to_string(), quarter, "{date}");
        let fq = Period::fiscal_quarter_of(date, start_month);
        assert_eq!(fq.to_string(), fiscal_quarter, "{date} start {start_month}");
        assert!(fq.contains(date));
        let fy = Period::fiscal_year_of(date, start_month);
        assert_eq!(fy.to_string(), fiscal_year, "{date} start {start_month}");
        assert!(fy.contains(date));
    }
}

#[test]
fn previous_and_next_cross_year_boundaries() {
    for (text, start_month, previous, next) in [
        ("2026Q1", 4, "2025Q4", "2026Q2"),
        ("FY2026Q1", 4, "FY2025Q4", "FY2026Q2"),
        ("FY2026Q4", 4, "FY2026Q3", "FY2027Q1"),
        ("2026H1", 4, "2025H2", "2026H2"),
        ("FY2026H1", 10, "FY2025H2", "FY2026H2"),
        ("2026", 4, "2025", "2027"),
        ("FY2026", 4, "FY2025", "FY2027"),
    ] {
        let period = p(text, start_month);
        assert_eq!(period.previous(), p(previous, start_month));
        assert_eq!(period.next(), p(next, start_month));
        assert_eq!(period.previous().end().succ_opt(), Some(period.start()));
        assert_eq!(period.distance_to(period.next()), 1);
        assert_eq!(period.distance_to(period.shifted(-5)), -5);
    }
}

#[test]
fn next_due_follows_the_period_after_the_last_run() {
    let today = d("2026-11-25");
    assert_eq!(next_due(None, Every::Quarter, 4, today), today);
    assert_eq!(next_due(None, Every::Month, 4, today), today);
    for (last, every, start, due) in [
        // Quarterly, April start: any day of FY2026Q1 → end of FY2026Q2.
        ("2026-04-01", Every::Quarter, 4, "2026-09-30"),
        ("2026-05-10", Every::Quarter, 4, "2026-09-30"),
        ("2026-06-30", Every::Quarter, 4, "2026-09-30"),
        ("2026-03-31", Every::Quarter, 4, "2026-06-30"),
        ("2026-12-31", Every::Quarter, 4, "2027-03-31"),
        ("2027-01-01", Every::Quarter, 4, "2027-06-30"),
        ("2026-12-31", Every::Quarter, 1, "2027-03-31"),
        ("2027-01-01", Every::Quarter, 1, "2027-06-30"),
        // Quarterly, October start: FY2026Q1 is Oct–Dec.
        ("2026-10-15", Every::Quarter, 10, "2027-03-31"),
        // Quarterly, December start, ending on a leap day.
        ("2027-12-01", Every::Quarter, 12, "2028-05-31"),
        ("2027-11-30", Every::Quarter, 12, "2028-02-29"),
        // Half-yearly and yearly follow the fiscal year.
        ("2026-04-01", Every::HalfYear, 4, "2027-03-31"),
        ("2026-03-31", Every::HalfYear, 4, "2026-09-30"),
        ("2026-03-31", Every::Year, 4, "2027-03-31"),
        ("2026-04-01", Every::Year, 4, "2028-03-31"),
        ("2026-04-01", Every::Year, 1, "2027-12-31"),
        ("2026-10-01", Every::Year, 10, "2028-09-30"),
        // Monthly: calendar months, whatever the fiscal start.
        ("2026-01-31", Every::Month, 4, "2026-02-28"),
        ("2028-01-01", Every::Month, 4, "2028-02-29"),
        ("2026-12-31", Every::Month, 4, "2027-01-31"),
        ("2026-03-31", Every::Month, 4, "2026-04-30"),
    ] {
        assert_eq!(
            next_due(Some(d(last)), every, start, today),
            d(due),
            "{last} every {every:?} start {start}"
        );
    }
}

proptest::proptest! {
    #[test]
    fn every_date_lies_in_its_periods_which_tile_the_calendar(
        days in 0i64..200_000,
        start in 1u32..=12,
        kind in proptest::sample::select(&PeriodKind::ALL),
    ) {
        let date = d("1900-01-01") + chrono::Duration::days(days);
        let period = Period::containing(kind, date, start);
        proptest::prop_assert!(period.contains(date));
        proptest::prop_assert_eq!(period.kind(), kind);
        proptest::prop_assert_eq!(period.previous().end().succ_opt(), Some(period.start()));
        proptest::prop_assert_eq!(period.next().previous(), period);
        proptest::prop_assert_eq!(Period::parse(&period.to_string(), start), Ok(period));
    }
}

#[test]
fn periods_order_by_start() {
    let mut ps = [p("2026Q3", 4), p("2025Q4", 4), p("2026Q1", 4)];
    ps.sort();
    let shown: Vec<String> = ps.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["2025Q4", "2026Q1", "2026Q3"]);
}
