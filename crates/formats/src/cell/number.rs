//! Numbers as people write them: Indonesian `1.234.567,89` and English `1,234,567.89`.
//!
//! A single value often cannot tell the two apart (`1.234` is 1234 in Indonesian, 1.234 in English), so the
//! style is decided per column from the evidence of all values seen ([`NumberStyleDecider`]); a value
//! that stays ambiguous is reported, never guessed.

/// How a column writes its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NumberStyle {
    /// Decimal comma, dot groups: `1.234.567,89`.
    Indonesian,
    /// Decimal point, comma groups: `1,234,567.89` (also the canonical form `1234567.89`).
    English,
}

impl NumberStyle {
    fn decimal(self) -> u8 {
        match self {
            NumberStyle::Indonesian => b',',
            NumberStyle::English => b'.',
        }
    }

    fn group(self) -> u8 {
        match self {
            NumberStyle::Indonesian => b'.',
            NumberStyle::English => b',',
        }
    }

    /// The name in Bahasa Indonesia, for messages.
    pub fn label_id(self) -> &'static str {
        match self {
            NumberStyle::Indonesian => "format Indonesia (1.234,5)",
            NumberStyle::English => "format Inggris (1,234.5)",
        }
    }
}

/// What one written number says about its column's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberEvidence {
    /// Digits only (with an optional sign): fits either style.
    Plain,
    /// Only the Indonesian reading is possible (`12,5`, `1.234.567`, `1.234,5`, `0,125`).
    Indonesian,
    /// Only the English reading is possible (`12.5`, `1,234,567`, `1,234.5`, `0.125`, `1e6`).
    English,
    /// One separator followed by exactly three digits (`1.234`, `12,500`): either reading is possible.
    Ambiguous,
    /// Not a number in either style.
    NotANumber,
}

/// Split off an optional sign; returns (negative, rest).
#[inline]
fn split_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        // The Unicode minus sign, as word processors write it.
        _ if s.starts_with('\u{2212}') => (true, &s['\u{2212}'.len_utf8()..]),
        _ => (false, s),
    }
}

/// Whether `int` (no sign) is a valid grouped integer part with `group` as separator: a first group of
/// 1–3 digits then groups of exactly 3.
fn valid_groups(int: &[u8], group: u8) -> bool {
    let mut parts = int.split(|&b| b == group);
    let Some(first) = parts.next() else {
        return false;
    };
    if first.is_empty() || first.len() > 3 || !first.iter().all(u8::is_ascii_digit) {
        return false;
    }
    parts.all(|p| p.len() == 3 && p.iter().all(u8::is_ascii_digit))
}

/// Classify one written number (surrounding spaces allowed). Never panics.
pub fn classify_number(raw: &str) -> NumberEvidence {
    let t = raw.trim();
    let (_, body) = split_sign(t);
    let b = body.as_bytes();
    if b.is_empty() {
        return NumberEvidence::NotANumber;
    }
    let mut dots = 0usize;
    let mut commas = 0usize;
    for &c in b {
        match c {
            b'0'..=b'9' => {}
            b'.' => dots += 1,
            b',' => commas += 1,
            _ => {
                // Exponents and the like are only written the canonical (English) way.
                return if body.parse::<f64>().is_ok_and(f64::is_finite) && !body.contains(',') {
                    NumberEvidence::English
                } else {
                    NumberEvidence::NotANumber
                };
            }
        }
    }
    if !b.iter().any(u8::is_ascii_digit) {
        return NumberEvidence::NotANumber;
    }
    match (dots, commas) {
        (0, 0) => NumberEvidence::Plain,
        (_, 0) => single_kind(
            b,
            b'.',
            dots,
            NumberEvidence::English,
            NumberEvidence::Indonesian,
        ),
        (0, _) => single_kind(
            b,
            b',',
            commas,
            NumberEvidence::Indonesian,
            NumberEvidence::English,
        ),
        _ => {
            // Both present: the last one is the decimal separator, the other groups.
            let last_dot = b.iter().rposition(|&c| c == b'.').unwrap_or(0);
            let last_comma = b.iter().rposition(|&c| c == b',').unwrap_or(0);
            let (style, dec_pos) = if last_comma > last_dot {
                (NumberStyle::Indonesian, last_comma)
            } else {
                (NumberStyle::English, last_dot)
            };
            let (int, frac) = (&b[..dec_pos], &b[dec_pos + 1..]);
            let dec_count = b.iter().filter(|&&c| c == style.decimal()).count();
            if dec_count == 1
                && valid_groups(int, style.group())
                && frac.iter().all(u8::is_ascii_digit)
            {
                match style {
                    NumberStyle::Indonesian => NumberEvidence::Indonesian,
                    NumberStyle::English => NumberEvidence::English,
                }
            } else {
                NumberEvidence::NotANumber
            }
        }
    }
}

/// Classify a number with only one kind of separator `sep`, seen `count` times. `as_decimal` is the
/// evidence when `sep` is the decimal separator, `as_group` when it groups thousands.
fn single_kind(
    b: &[u8],
    sep: u8,
    count: usize,
    as_decimal: NumberEvidence,
    as_group: NumberEvidence,
) -> NumberEvidence {
    if count > 1 {
        return if valid_groups(b, sep) {
            as_group
        } else {
            NumberEvidence::NotANumber
        };
    }
    let pos = b.iter().position(|&c| c == sep).unwrap_or(0);
    let (int, frac) = (&b[..pos], &b[pos + 1..]);
    if frac.is_empty() {
        // "12." is a decimal point with nothing after it; "12," is not a number anywhere.
        return if sep == b'.' && !int.is_empty() {
            NumberEvidence::English
        } else {
            NumberEvidence::NotANumber
        };
    }
    // A group separator needs exactly three digits after it and 1–3 non-zero-led digits before it.
    let could_group = frac.len() == 3 && !int.is_empty() && int.len() <= 3 && int != b"0";
    if could_group {
        NumberEvidence::Ambiguous
    } else {
        as_decimal
    }
}

/// Make a machine-written decimal (from a typed spreadsheet or JSON number) unambiguous: `1.234` would
/// read as 1234 in an Indonesian column, so it becomes `1.2340`. Other texts are left as they are.
pub fn disambiguate_decimal(text: &mut String) {
    if classify_number(text) == NumberEvidence::Ambiguous && text.contains('.') {
        text.push('0');
    }
}

/// Why a number could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all.
    NotANumber,
    /// A number, but written in the other style than the column's.
    WrongStyle,
    /// `1.234`-like with no style decided.
    Ambiguous,
    /// A number, but not a whole one (integer fields).
    NotWhole,
    /// Too big for a 64-bit integer.
    TooBig,
}

/// Read a number written in `style` (grouping optional). Never panics.
pub fn parse_number(raw: &str, style: NumberStyle) -> Result<f64, NumberError> {
    let t = raw.trim();
    parse_classified(t, style, classify_number(t))
}

/// [`parse_number`] for a trimmed text already classified as `ev`.
pub fn parse_classified(
    t: &str,
    style: NumberStyle,
    ev: NumberEvidence,
) -> Result<f64, NumberError> {
    let (neg, body) = split_sign(t);
    let b = body.as_bytes();
    if b.is_empty() {
        return Err(NumberError::NotANumber);
    }
    match (ev, style) {
        (NumberEvidence::NotANumber, _) => return Err(NumberError::NotANumber),
        (NumberEvidence::Indonesian, NumberStyle::English)
        | (NumberEvidence::English, NumberStyle::Indonesian) => {
            return Err(NumberError::WrongStyle)
        }
        _ => {}
    }
    // Fast path (Clinger): up to 19 significant digits below 2^53 and at most 22 decimals give a
    // correctly rounded result as one division of two exact doubles.
    if let Some(v) = fast_decimal(b, style) {
        return Ok(if neg { -v } else { v });
    }
    // Canonical text for Rust's parser: drop groups, decimal separator becomes '.'.
    let mut buf = [0u8; 64];
    let mut n = 0;
    if neg {
        buf[0] = b'-';
        n = 1;
    }
    if ev == NumberEvidence::English && b.iter().any(|c| !matches!(c, b'0'..=b'9' | b'.' | b',')) {
        // Exponent form.
        return body
            .parse::<f64>()
            .map(|v| if neg { -v } else { v })
            .map_err(|_| NumberError::NotANumber);
    }
    for &c in b {
        let out = if c == style.group() {
            continue;
        } else if c == style.decimal() {
            b'.'
        } else {
            c
        };
        if n >= buf.len() {
            // Longer than any f64 needs; fall back to an allocation (rare).
            let s: String = t
                .chars()
                .filter(|&c| c as u32 != style.group() as u32)
                .map(|c| {
                    if c as u32 == style.decimal() as u32 {
                        '.'
                    } else {
                        c
                    }
                })
                .collect();
            return s.parse::<f64>().map_err(|_| NumberError::NotANumber);
        }
        buf[n] = out;
        n += 1;
    }
    let s = std::str::from_utf8(&buf[..n]).map_err(|_| NumberError::NotANumber)?;
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(NumberError::NotANumber),
    }
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Digits, group and decimal separators only; `None` when the fast path does not apply.
#[inline]
fn fast_decimal(b: &[u8], style: NumberStyle) -> Option<f64> {
    let (group, decimal) = (style.group(), style.decimal());
    let mut mant: u64 = 0;
    let mut digits = 0u32;
    let mut frac = 0usize;
    let mut in_frac = false;
    for &c in b {
        if c.is_ascii_digit() {
            if digits >= 19 {
                return None;
            }
            mant = mant * 10 + (c - b'0') as u64;
            digits += 1;
            frac += in_frac as usize;
        } else if c == group && !in_frac {
            continue;
        } else if c == decimal && !in_frac {
            in_frac = true;
        } else {
            return None;
        }
    }
    (digits > 0 && mant < (1u64 << 53) && frac < POW10.len()).then(|| mant as f64 / POW10[frac])
}

/// Read a number in a known style in one pass, checking the grouping as it goes (`1.234.567,89`,
/// `-12,5`, `359787`). `None` for anything else (a value in the other style, exponents, oddities): the
/// caller then classifies the value to report it precisely.
#[inline]
pub fn parse_styled_fast(t: &str, style: NumberStyle) -> Option<f64> {
    let b = t.as_bytes();
    let (neg, b) = match b.first()? {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    let (mant, frac) = if b.len() <= 19 {
        styled_short(b, style)?
    } else {
        styled_long(b, style)?
    };
    if mant >= (1u64 << 53) || frac >= POW10.len() {
        return None;
    }
    let v = mant as f64 / POW10[frac];
    Some(if neg { -v } else { v })
}

/// [`parse_styled_fast`]'s reading of at most 19 bytes (no sign): the integer part digit group by
/// digit group, then the fraction's digits. At most 19 digits cannot overflow the mantissa, so no
/// digit is counted. The mantissa and the number of fraction digits.
#[inline]
fn styled_short(b: &[u8], style: NumberStyle) -> Option<(u64, usize)> {
    let (group, decimal) = (style.group(), style.decimal());
    let mut mant: u64 = 0;
    // Digits since the last group separator, and whether one was seen.
    let mut run = 0u32;
    let mut grouped = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let d = c.wrapping_sub(b'0');
        if d < 10 {
            mant = mant * 10 + d as u64;
            run += 1;
        } else if c == group {
            if !group_fits(grouped, run, mant) {
                return None;
            }
            grouped = true;
            run = 0;
        } else if c == decimal {
            break;
        } else {
            return None;
        }
        i += 1;
    }
    if grouped && run != 3 {
        return None;
    }
    let Some(fraction) = b.get(i + 1..) else {
        // No decimal separator: digits are needed.
        return (grouped || run > 0).then_some((mant, 0));
    };
    if fraction.is_empty() {
        return None;
    }
    for &c in fraction {
        let d = c.wrapping_sub(b'0');
        if d >= 10 {
            return None;
        }
        mant = mant * 10 + d as u64;
    }
    Some((mant, fraction.len()))
}

/// Whether the digits before a group separator make a valid group: the first group has 1–3
/// digits (not a lone leading zero), later groups exactly 3. `run` counts the digits since the
/// last separator, `mant` the value read so far.
#[inline(always)]
fn group_fits(grouped: bool, run: u32, mant: u64) -> bool {
    if grouped {
        run == 3
    } else {
        (1..=3).contains(&run) && !(run == 1 && mant == 0)
    }
}

/// [`parse_styled_fast`]'s reading of longer numbers, counting digits against overflow.
fn styled_long(b: &[u8], style: NumberStyle) -> Option<(u64, usize)> {
    let (group, decimal) = (style.group(), style.decimal());
    let mut mant: u64 = 0;
    let mut digits = 0u32;
    let mut frac = 0usize;
    let mut in_frac = false;
    // Digits since the last group separator, and whether one was seen.
    let mut run = 0u32;
    let mut grouped = false;
    for &c in b {
        if c.is_ascii_digit() {
            if digits >= 19 {
                return None;
            }
            mant = mant * 10 + (c - b'0') as u64;
            digits += 1;
            run += 1;
            frac += in_frac as usize;
        } else if c == group && !in_frac {
            if !group_fits(grouped, run, mant) {
                return None;
            }
            grouped = true;
            run = 0;
        } else if c == decimal && !in_frac {
            if grouped && run != 3 {
                return None;
            }
            in_frac = true;
            run = 0;
        } else {
            return None;
        }
    }
    if (grouped && !in_frac && run != 3) || digits == 0 || (in_frac && frac == 0) {
        return None;
    }
    Some((mant, frac))
}

/// Read a whole number. With no style decided, one group separator followed by three digits reads as
/// grouping (`1.234` → 1234), since the decimal reading cannot be an integer anyway. A fraction of zeros
/// (`1930902.0`, as spreadsheets and pandas export) is accepted. Never panics.
pub fn parse_integer(raw: &str, style: Option<NumberStyle>) -> Result<i64, NumberError> {
    let t = raw.trim();
    // Fast path: plain digits.
    let (neg, body) = split_sign(t);
    if !body.is_empty() && body.len() <= 18 && body.bytes().all(|c| c.is_ascii_digit()) {
        let mut v: i64 = 0;
        for c in body.bytes() {
            v = v * 10 + (c - b'0') as i64;
        }
        return Ok(if neg { -v } else { v });
    }
    let ev = classify_number(t);
    let style = match (ev, style) {
        (NumberEvidence::NotANumber, _) => return Err(NumberError::NotANumber),
        (NumberEvidence::Plain, _) => NumberStyle::English,
        (NumberEvidence::Indonesian, Some(NumberStyle::English))
        | (NumberEvidence::English, Some(NumberStyle::Indonesian)) => {
            return Err(NumberError::WrongStyle)
        }
        (NumberEvidence::Indonesian, _) => NumberStyle::Indonesian,
        (NumberEvidence::English, _) => NumberStyle::English,
        (NumberEvidence::Ambiguous, Some(s)) => s,
        (NumberEvidence::Ambiguous, None) => {
            // The only integer reading is grouping: the separator is the one present.
            if body.contains('.') {
                NumberStyle::Indonesian
            } else {
                NumberStyle::English
            }
        }
    };
    // Digits of the integer part, and the fraction, which must be all zeros.
    let mut int_digits = [0u8; 40];
    let mut n = 0usize;
    let mut in_frac = false;
    for c in body.bytes() {
        if c == style.group() && !in_frac {
            continue;
        }
        if c == style.decimal() {
            in_frac = true;
            continue;
        }
        if !c.is_ascii_digit() {
            // Exponent form like 1e6.
            return match body.parse::<f64>() {
                Ok(v) if v.fract() == 0.0 && v.abs() < 9.2e18 => {
                    Ok(if neg { -(v as i64) } else { v as i64 })
                }
                Ok(_) => Err(NumberError::NotWhole),
                Err(_) => Err(NumberError::NotANumber),
            };
        }
        if in_frac {
            if c != b'0' {
                return Err(NumberError::NotWhole);
            }
        } else {
            if n == int_digits.len() {
                return Err(NumberError::TooBig);
            }
            int_digits[n] = c;
            n += 1;
        }
    }
    if n == 0 {
        return Err(NumberError::NotANumber);
    }
    let s = std::str::from_utf8(&int_digits[..n]).map_err(|_| NumberError::NotANumber)?;
    let v: i64 = s.parse().map_err(|_| NumberError::TooBig)?;
    Ok(if neg { -v } else { v })
}

/// Gathers evidence across a column and decides its style: the majority of the unambiguous values, if
/// any. Feed it a sample before validating, and keep feeding it while streaming.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberStyleDecider {
    /// Values only the Indonesian reading fits.
    pub indonesian: u64,
    /// Values only the English reading fits.
    pub english: u64,
    /// Values either reading fits.
    pub ambiguous: u64,
}

impl NumberStyleDecider {
    /// Count one value.
    pub fn observe(&mut self, raw: &str) -> NumberEvidence {
        let ev = classify_number(raw);
        self.count(ev);
        ev
    }

    /// Count one value already classified.
    pub fn count(&mut self, ev: NumberEvidence) {
        match ev {
            NumberEvidence::Indonesian => self.indonesian += 1,
            NumberEvidence::English => self.english += 1,
            NumberEvidence::Ambiguous => self.ambiguous += 1,
            _ => {}
        }
    }

    /// The style the evidence supports, if any.
    pub fn decision(&self) -> Option<NumberStyle> {
        match (self.indonesian, self.english) {
            (0, 0) => None,
            (i, e) if i >= e => Some(NumberStyle::Indonesian),
            _ => Some(NumberStyle::English),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumberEvidence::*;

    #[test]
    fn classifies_indonesian_and_english_forms() {
        for (s, want) in [
            ("1.234.567,89", Indonesian),
            ("1,234,567.89", English),
            ("12,5", Indonesian),
            ("12.5", English),
            ("451.3", English),
            ("0.125", English),
            ("0,125", Indonesian),
            ("1.234", Ambiguous),
            ("12,500", Ambiguous),
            ("1.234.567", Indonesian),
            ("1,234,567", English),
            ("1234.567", English),
            ("1234,567", Indonesian),
            ("-1.234,5", Indonesian),
            ("1e6", English),
            ("359787", Plain),
            ("-42", Plain),
            ("1.23.4", NotANumber),
            ("abc", NotANumber),
            ("", NotANumber),
            ("-", NotANumber),
            (".", NotANumber),
            ("1,2.3,4", NotANumber),
            ("12,", NotANumber),
        ] {
            assert_eq!(classify_number(s), want, "{s}");
        }
    }

    #[test]
    fn parses_in_the_given_style() {
        assert_eq!(
            parse_number("1.234.567,89", NumberStyle::Indonesian),
            Ok(1234567.89)
        );
        assert_eq!(
            parse_number("1,234,567.89", NumberStyle::English),
            Ok(1234567.89)
        );
        assert_eq!(parse_number("1.234", NumberStyle::Indonesian), Ok(1234.0));
        assert_eq!(parse_number("1.234", NumberStyle::English), Ok(1.234));
        assert_eq!(parse_number(" -12,5 ", NumberStyle::Indonesian), Ok(-12.5));
        assert_eq!(
            parse_number("12.5", NumberStyle::Indonesian),
            Err(NumberError::WrongStyle)
        );
        assert_eq!(parse_number("1e3", NumberStyle::English), Ok(1000.0));
        assert_eq!(
            parse_number("x", NumberStyle::English),
            Err(NumberError::NotANumber)
        );
        assert_eq!(
            parse_number("359787", NumberStyle::Indonesian),
            Ok(359787.0)
        );
    }

    #[test]
    fn fast_path_agrees_with_the_full_parser() {
        for s in [
            "1.234.567,89",
            "-12,5",
            "359787",
            "0,125",
            "1.234",
            "12.5",
            "1.23.4",
            "0.001",
            "12,",
            ",5",
            "1.2345",
        ] {
            for style in [NumberStyle::Indonesian, NumberStyle::English] {
                if let Some(v) = parse_styled_fast(s, style) {
                    assert_eq!(Ok(v), parse_number(s, style), "{s} {style:?}");
                }
            }
        }
        assert_eq!(parse_styled_fast("12.5", NumberStyle::Indonesian), None);
        assert_eq!(parse_styled_fast("1.2345", NumberStyle::Indonesian), None);
    }

    #[test]
    fn short_numbers_are_read_as_the_long_way_reads_them() {
        // Every string of up to 7 bytes over digits, separators and a stray letter, both styles.
        let alphabet = b"0159.,-x";
        let mut s = Vec::new();
        for len in 0..=7u32 {
            for mut n in 0..(alphabet.len() as u64).pow(len) {
                s.clear();
                for _ in 0..len {
                    s.push(alphabet[(n % alphabet.len() as u64) as usize]);
                    n /= alphabet.len() as u64;
                }
                for style in [NumberStyle::Indonesian, NumberStyle::English] {
                    assert_eq!(
                        styled_short(&s, style),
                        styled_long(&s, style),
                        "{:?} {style:?}",
                        String::from_utf8_lossy(&s)
                    );
                }
            }
        }
        // Long numbers (more than 19 bytes) still read.
        assert_eq!(
            parse_styled_fast("1.234.567.890.123,45", NumberStyle::Indonesian),
            Some(1_234_567_890_123.45)
        );
    }

    #[test]
    fn machine_decimals_are_made_unambiguous() {
        for (a, b) in [
            ("1.234", "1.2340"),
            ("-12.500", "-12.5000"),
            ("1234.5", "1234.5"),
            ("12", "12"),
            ("0.125", "0.125"),
        ] {
            let mut s = a.to_string();
            disambiguate_decimal(&mut s);
            assert_eq!(s, b);
            assert_eq!(
                parse_number(&s, NumberStyle::English),
                parse_number(a, NumberStyle::English)
            );
        }
    }

    #[test]
    fn parses_integers() {
        assert_eq!(parse_integer("1.234", None), Ok(1234));
        assert_eq!(parse_integer("1,234", None), Ok(1234));
        assert_eq!(parse_integer("1.234.567", None), Ok(1234567));
        assert_eq!(parse_integer("1930902.0", None), Ok(1930902));
        assert_eq!(parse_integer("12.5", None), Err(NumberError::NotWhole));
        assert_eq!(parse_integer("-7", None), Ok(-7));
        assert_eq!(
            parse_integer("1,234", Some(NumberStyle::Indonesian)),
            Err(NumberError::NotWhole)
        );
        assert_eq!(
            parse_integer("3201012001000000", None),
            Ok(3201012001000000)
        );
        assert_eq!(
            parse_integer("99999999999999999999999", None),
            Err(NumberError::TooBig)
        );
    }

    #[test]
    fn decides_by_majority_of_evidence() {
        let mut d = NumberStyleDecider::default();
        d.observe("1.234");
        assert_eq!(d.decision(), None);
        d.observe("2.345,5");
        assert_eq!(d.decision(), Some(NumberStyle::Indonesian));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "\u{2212}",
            "+",
            "-.",
            "..",
            ",,",
            "1..2",
            "é",
            "1\u{0}",
            "١٢٣",
            "1.2e",
            "9".repeat(100).as_str(),
        ] {
            let _ = classify_number(s);
            let _ = parse_number(s, NumberStyle::English);
            let _ = parse_number(s, NumberStyle::Indonesian);
            let _ = parse_integer(s, None);
        }
    }
}
