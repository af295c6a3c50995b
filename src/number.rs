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
    }
}
