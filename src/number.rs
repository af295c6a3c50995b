//! How numbers are shown, in one place: percentages with one decimal,
//! changes with their sign, counted nouns. Every CLI line and report uses
//! these, so `80.0`, `+13.3` and `±0` read the same everywhere. Pure.

/// Rounds to one decimal, as every output shows percentages.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Formats a percentage with one decimal (`80.0`); `-0.0` prints as `0.0`.
pub fn pct(x: f64) -> String {
    let r = round1(x);
    if r == 0.0 {
        "0.0".to_owned()
    } else {
        format!("{r:.1}")
    }
}

/// Formats a change with its sign: `+2`, `-1`, `±0`.
pub fn signed(n: i64) -> String {
    match n {
        0 => "±0".to_owned(),
        1.. => format!("+{n}"),
        _ => n.to_string(),
    }
}

/// Formats a percentage-point change with one decimal and its sign:
/// `+13.3`, `-3.0`, `±0.0` (also for changes that round to zero).
pub fn signed_pct(x: f64) -> String {
    let r = round1(x);
    if r > 0.0 {
        format!("+{r:.1}")
    } else if r < 0.0 {
        format!("{r:.1}")
    } else {
        // Also catches -0.0, which would print as "-0.0".
        "±0.0".to_owned()
    }
}

/// `x` rounded to one decimal and shown as `format!("{:.1}", round1(x))`
/// shows it (`-0.0` included), without making a string: for the thousands
/// of lines of a trend. Honours width and alignment (`{:>5}`).
#[derive(Debug, Clone, Copy)]
pub struct OneDecimal(pub f64);

/// [`signed_pct`] without making a string. Honours width and alignment
/// (`{:>6}`).
#[derive(Debug, Clone, Copy)]
pub struct SignedPct(pub f64);

/// Writes `r` (a value [`round1`] returned) into `out` as `{:.1}` writes
/// it; `None` (nothing written) when it is not a finite number below
/// 10^14, which the caller formats the ordinary way.
fn tenths(out: &mut [u8; 24], r: f64) -> Option<&str> {
    // Below 2^51 tenths the value is k / 10 for a whole k, and k / 10 is
    // what `{:.1}` prints for it (the double is far closer to it than to
    // any other one-decimal number).
    if !(r.is_finite() && r.abs() < 1e14) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)] // |r * 10| < 1e15
    let mut k = ((r * 10.0).round() as i64).unsigned_abs();
    let mut at = out.len();
    let mut put = |out: &mut [u8; 24], b: u8| {
        at -= 1;
        out[at] = b;
    };
    put(out, b'0' + u8::try_from(k % 10).unwrap_or(0));
    put(out, b'.');
    k /= 10;
    loop {
        put(out, b'0' + u8::try_from(k % 10).unwrap_or(0));
        k /= 10;
        if k == 0 {
            break;
        }
    }
    if r.is_sign_negative() {
        put(out, b'-');
    }
    std::str::from_utf8(&out[at..]).ok()
}

impl std::fmt::Display for OneDecimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = round1(self.0);
        match tenths(&mut [0; 24], r) {
            Some(s) => f.pad(s),
            None => f.pad(&format!("{r:.1}")),
        }
    }
}

impl std::fmt::Display for SignedPct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = round1(self.0);
        if r == 0.0 || r.is_nan() {
            // Also catches -0.0, which would print as "-0.0".
            return f.pad("±0.0");
        }
        let mut buf = [0; 24];
        match tenths(&mut buf, r) {
            Some(s) if r > 0.0 => {
                let mut signed = [0; 25];
                signed[0] = b'+';
                signed[1..=s.len()].copy_from_slice(s.as_bytes());
                f.pad(std::str::from_utf8(&signed[..=s.len()]).unwrap_or_default())
            }
            Some(s) => f.pad(s),
            None => f.pad(&signed_pct(self.0)),
        }
    }
}

/// Formats a count with an English noun: `1 item`, `2 items`.
pub fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Every helper at its edges (rounding, negative zero, signs).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_decimal_and_a_sign() {
        assert_eq!(round1(66.666).to_string(), "66.7");
        assert_eq!(pct(80.0), "80.0");
        assert_eq!(pct(-0.01), "0.0");
        assert_eq!(pct(66.666), "66.7");
        assert_eq!(signed(0), "±0");
        assert_eq!(signed(3), "+3");
        assert_eq!(signed(-2), "-2");
        assert_eq!(signed_pct(13.33), "+13.3");
        assert_eq!(signed_pct(-3.04), "-3.0");
        assert_eq!(signed_pct(-0.01), "±0.0");
        assert_eq!(plural(1, "item"), "1 item");
        assert_eq!(plural(0, "run"), "0 runs");
        assert_eq!(format!("{:>5}", OneDecimal(-0.01)), " -0.0");
        assert_eq!(format!("{:>6}", SignedPct(-0.01)), "  ±0.0");
        assert_eq!(format!("{:>6}", SignedPct(13.33)), " +13.3");
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        /// The number types write what the string helpers and `{:.1}`
        /// write, ties, negative zero, huge values and NaN included.
        #[test]
        fn writing_in_place_equals_formatting(
            x in proptest::prop_oneof![
                -1000.0..1000.0f64,
                (-20_000i32..20_000).prop_map(|n| f64::from(n) / 20.0),
                proptest::num::f64::ANY,
            ]
        ) {
            proptest::prop_assert_eq!(OneDecimal(x).to_string(), format!("{:.1}", round1(x)));
            proptest::prop_assert_eq!(format!("{:>5}", OneDecimal(x)), format!("{:>5.1}", round1(x)));
            proptest::prop_assert_eq!(SignedPct(x).to_string(), signed_pct(x));
            proptest::prop_assert_eq!(format!("{:>6}", SignedPct(x)), format!("{:>6}", signed_pct(x)));
        }
    }
}
