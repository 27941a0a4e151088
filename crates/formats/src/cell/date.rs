//! Dates as people write them: `2024-12-31`, `31/12/2024`, `31-12-2024`, `31.12.2024`,
//! `31 Desember 2024`, `31 Des 2024`, `December 31, 2024`; months alone as `Des 2024`, `Desember 2024`,
//! `2024-12`, `12/2024`. Day before month always (Indonesian order); `12/31/2024` is rejected, not
//! swapped.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Month names and abbreviations in Bahasa Indonesia and English, lower case, with their number.
const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("january", 1),
    ("jan", 1),
    ("februari", 2),
    ("pebruari", 2),
    ("february", 2),
    ("feb", 2),
    ("peb", 2),
    ("maret", 3),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("mei", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("agustus", 8),
    ("august", 8),
    ("agu", 8),
    ("agt", 8),
    ("ags", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nopember", 11),
    ("nov", 11),
    ("nop", 11),
    ("desember", 12),
    ("december", 12),
    ("des", 12),
    ("dec", 12),
];

/// The month number of a month name or abbreviation (Indonesian or English, any case, a trailing dot
/// allowed).
pub fn month_from_name(word: &str) -> Option<u32> {
    let w = word.trim().trim_end_matches('.');
    if w.len() > 10 || w.is_empty() {
        return None;
    }
    let lower = w.to_ascii_lowercase();
    MONTHS.iter().find(|(n, _)| *n == lower).map(|&(_, m)| m)
}

fn num(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    if s.len() < min_len || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn year(s: &str) -> Option<i32> {
    num(s, 4, 4).map(|y| y as i32)
}

/// Split on spaces, commas and the given separators, dropping empty pieces.
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split([' ', ',', '\t']).filter(|w| !w.is_empty())
}

/// The two fixed-width forms that machine-written files use: `dd/mm/yyyy` (or `-`, `.`) and
/// `yyyy-mm-dd`. `None` means "not this shape", not "invalid".
#[inline]
pub(crate) fn fixed_width(b: &[u8]) -> Option<Option<NaiveDate>> {
    if b.len() != 10 {
        return None;
    }
    let d = |i: usize| b[i].wrapping_sub(b'0') as u32;
    let all_digits = |idx: &[usize]| idx.iter().all(|&i| b[i].is_ascii_digit());
    if matches!(b[2], b'/' | b'-' | b'.') && b[5] == b[2] && all_digits(&[0, 1, 3, 4, 6, 7, 8, 9]) {
        let y = (d(6) * 1000 + d(7) * 100 + d(8) * 10 + d(9)) as i32;
        return Some(NaiveDate::from_ymd_opt(
            y,
            d(3) * 10 + d(4),
            d(0) * 10 + d(1),
        ));
    }
    if matches!(b[4], b'-' | b'/') && b[7] == b[4] && all_digits(&[0, 1, 2, 3, 5, 6, 8, 9]) {
        let y = (d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)) as i32;
        return Some(NaiveDate::from_ymd_opt(
            y,
            d(5) * 10 + d(6),
            d(8) * 10 + d(9),
        ));
    }
    None
}

/// Read a calendar date. Never panics.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let t = raw.trim();
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    let b = t.as_bytes();
    if let Some(d) = fixed_width(b) {
        return d;
    }
    // Numeric forms.
    if b[0].is_ascii_digit() {
        for sep in ['-', '/', '.'] {
            let mut parts = t.split(sep);
            let (Some(a), Some(m), Some(c), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            // Year first: 2024-12-31, 2024/12/31.
            if let (Some(y), Some(mo), Some(d)) = (year(a), num(m, 1, 2), num(c, 1, 2)) {
                return NaiveDate::from_ymd_opt(y, mo, d);
            }
            // Day first: 31/12/2024, 31-12-2024, 31.12.2024, and 31-Des-2024.
            if let (Some(d), Some(y)) = (num(a, 1, 2), year(c)) {
                let mo = num(m, 1, 2).or_else(|| month_from_name(m))?;
                return NaiveDate::from_ymd_opt(y, mo, d);
            }
        }
    }
    // Worded forms: "31 Desember 2024", "31 Des. 2024", "December 31, 2024", "Senin, 31 Desember 2024".
    let ws: Vec<&str> = words(t).take(5).collect();
    let ws: &[&str] = match ws.as_slice() {
        // A leading weekday name ("Senin, 31 Desember 2024") adds nothing.
        [w, rest @ ..] if rest.len() == 3 && is_weekday(w) => rest,
        all => all,
    };
    match ws {
        [d, m, y] => {
            if let (Some(d), Some(mo), Some(y)) = (num(d, 1, 2), month_from_name(m), year(y)) {
                return NaiveDate::from_ymd_opt(y, mo, d);
            }
            if let (Some(mo), Some(d), Some(y)) = (month_from_name(d), num(m, 1, 2), year(y)) {
                return NaiveDate::from_ymd_opt(y, mo, d);
            }
            None
        }
        _ => None,
    }
}

fn is_weekday(w: &str) -> bool {
    let w = w.trim_end_matches(',').to_ascii_lowercase();
    matches!(
        w.as_str(),
        "senin"
            | "selasa"
            | "rabu"
            | "kamis"
            | "jumat"
            | "jum'at"
            | "sabtu"
            | "minggu"
            | "ahad"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
    )
}

/// Read a month of a year: `2024-12`, `2024/12`, `12/2024`, `12-2024`, `Des 2024`, `Desember 2024`,
/// `Des-2024`. Returns (year, month). Never panics.
pub fn parse_yearmonth(raw: &str) -> Option<(i32, u32)> {
    let t = raw.trim();
    if t.is_empty() || t.len() > 30 {
        return None;
    }
    let valid = |y: i32, m: u32| (1..=12).contains(&m).then_some((y, m));
    for sep in ['-', '/', ' ', '.'] {
        let Some((a, c)) = t.split_once(sep) else {
            continue;
        };
        let (a, c) = (a.trim(), c.trim());
        if let (Some(y), Some(m)) = (year(a), num(c, 1, 2)) {
            return valid(y, m);
        }
        if let (Some(m), Some(y)) = (num(a, 1, 2), year(c)) {
            return valid(y, m);
        }
        if let (Some(m), Some(y)) = (month_from_name(a), year(c)) {
            return valid(y, m);
        }
    }
    None
}

/// Read a date and time: ISO 8601 (`2024-12-31T08:30:00`, with `Z` or an offset, converted to UTC),
/// `2024-12-31 08:30`, `31/12/2024 08:30:15`, or a date alone (midnight). Never panics.
pub fn parse_datetime(raw: &str) -> Option<NaiveDateTime> {
    let t = raw.trim();
    if t.is_empty() || t.len() > 60 {
        return None;
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(d.naive_utc());
    }
    let t2 = t.trim_end_matches('Z');
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t2, fmt) {
            return Some(d);
        }
    }
    // "<date> <time>" with any date form parse_date reads: split at the last space before a time.
    if let Some((d, tm)) = t.rsplit_once([' ', 'T']) {
        if let (Some(d), Some(tm)) = (parse_date(d), parse_time(tm)) {
            return Some(d.and_time(tm));
        }
    }
    parse_date(t).map(|d| d.and_time(NaiveTime::MIN))
}

/// Read a time of day: `08:30`, `08:30:15`, `08.30` (Indonesian style). Never panics.
pub fn parse_time(raw: &str) -> Option<NaiveTime> {
    let t = raw.trim();
    if t.len() > 20 {
        return None;
    }
    for fmt in ["%H:%M:%S%.f", "%H:%M", "%H.%M.%S", "%H.%M"] {
        if let Ok(v) = NaiveTime::parse_from_str(t, fmt) {
            return Some(v);
        }
    }
    None
}

/// Read a date with an explicit Frictionless `format` pattern (`%d/%m/%Y`, …); `default` and `any` fall
/// back to [`parse_date`]. Never panics.
pub fn parse_date_with_format(raw: &str, format: Option<&str>) -> Option<NaiveDate> {
    match format {
        Some(f) if f.contains('%') => NaiveDate::parse_from_str(raw.trim(), f).ok(),
        _ => parse_date(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn reads_indonesian_and_iso_dates() {
        for s in [
            "2024-12-31",
            "31/12/2024",
            "31-12-2024",
            "31.12.2024",
            "31 Desember 2024",
            "31 Des 2024",
            "31 des. 2024",
            "December 31, 2024",
            "31 December 2024",
            "Selasa, 31 Desember 2024",
            "31-Des-2024",
            " 2024/12/31 ",
        ] {
            assert_eq!(parse_date(s), d(2024, 12, 31), "{s}");
        }
        assert_eq!(parse_date("1 Agu 2023"), d(2023, 8, 1));
        assert_eq!(parse_date("1 Agt 2023"), d(2023, 8, 1));
        assert_eq!(parse_date("17 Agustus 1945"), d(1945, 8, 17));
        assert_eq!(parse_date("5/1/2024"), d(2024, 1, 5));
    }

    #[test]
    fn rejects_impossible_or_partial_dates() {
        for s in [
            "12/31/2024",
            "31/02/2024",
            "Des 2024",
            "2024",
            "",
            "31 Foo 2024",
            "31/12/24",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn reads_months() {
        assert_eq!(parse_yearmonth("Des 2024"), Some((2024, 12)));
        assert_eq!(parse_yearmonth("Desember 2024"), Some((2024, 12)));
        assert_eq!(parse_yearmonth("2024-03"), Some((2024, 3)));
        assert_eq!(parse_yearmonth("03/2024"), Some((2024, 3)));
        assert_eq!(parse_yearmonth("Mei-2024"), Some((2024, 5)));
        assert_eq!(parse_yearmonth("2024-13"), None);
        assert_eq!(parse_yearmonth("Foo 2024"), None);
    }

    #[test]
    fn reads_datetimes() {
        let want = d(2024, 12, 31).unwrap().and_hms_opt(8, 30, 0);
        assert_eq!(parse_datetime("2024-12-31T08:30:00"), want);
        assert_eq!(parse_datetime("2024-12-31 08:30"), want);
        assert_eq!(parse_datetime("31/12/2024 08:30"), want);
        assert_eq!(parse_datetime("31/12/2024 08.30"), want);
        assert_eq!(parse_datetime("2024-12-31T09:30:00+01:00"), want);
        assert_eq!(parse_datetime("nope"), None);
    }

    #[test]
    fn never_panics() {
        for s in [
            "é/é/éééé",
            "1-",
            "--",
            "//",
            "31 é 2024",
            "\u{0}",
            "9999999999-1-1",
            "1/1/1/1",
        ] {
            let _ = parse_date(s);
            let _ = parse_yearmonth(s);
            let _ = parse_datetime(s);
            let _ = parse_time(s);
        }
    }
}
