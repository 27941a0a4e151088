//! Numbers the Indonesian way: `1.234.567,8` (dot groups thousands, comma marks decimals).

/// Format `x` with at most `decimals` decimals (trailing zeros dropped), thousands grouped by dots
/// and a decimal comma. Non-finite values give `–`.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (s.as_str(), ""),
    };
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 2);
    let negative = x < 0.0 && (int.bytes().any(|b| b != b'0') || !frac.is_empty());
    if negative {
        out.push('−');
    }
    let digits = int.as_bytes();
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(*d as char);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// Format a value for display: integers without decimals, others with up to 2 (up to 4 below 1).
pub fn value(x: f64) -> String {
    let decimals = if x.fract() == 0.0 {
        0
    } else if x.abs() < 1.0 {
        4
    } else {
        2
    };
    number(x, decimals)
}

/// A value with its unit (`1.234 jiwa`; `12,5%` for a percent sign).
pub fn with_unit(x: f64, unit: Option<&str>) -> String {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some("%") => format!("{}%", value(x)),
        Some(u) => format!("{} {u}", value(x)),
        None => value(x),
    }
}

/// Axis tick values: about `count` "nice" steps (1, 2, 2.5, 5 × 10ⁿ) covering `lo..=hi`.
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let raw = (hi - lo) / count.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let mut ticks = vec![];
    let mut t = start;
    // Up to and including the first tick at or above `hi`, so no value is drawn off the axis.
    loop {
        ticks.push((t / step).round() * step);
        if t >= hi || ticks.len() >= 50 {
            break;
        }
        t += step;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_grouping() {
        assert_eq!(number(1234567.8, 1), "1.234.567,8");
        assert_eq!(number(1234567.0, 2), "1.234.567");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(1000.0, 0), "1.000");
        assert_eq!(number(-12345.25, 2), "−12.345,25");
        assert_eq!(number(-0.0001, 2), "0");
        assert_eq!(value(0.125), "0,125");
        assert_eq!(with_unit(35120.0, Some("jiwa")), "35.120 jiwa");
        assert_eq!(with_unit(12.5, Some("%")), "12,5%");
        assert_eq!(number(f64::NAN, 2), "–");
    }

    #[test]
    fn ticks_cover_the_range() {
        let t = nice_ticks(0.0, 93_000.0, 4);
        assert_eq!(t.first(), Some(&0.0));
        assert!(*t.last().unwrap() >= 93_000.0);
        assert!(t.len() <= 7, "{t:?}");
        assert_eq!(nice_ticks(5.0, 5.0, 4).first(), Some(&5.0));
        // The top value just above a tick still gets a tick above it.
        let t = nice_ticks(610_000.0, 653_995.0, 4);
        assert!(*t.last().unwrap() >= 653_995.0, "{t:?}");
    }
}
