//! Typed cell values, their strict canonical text form, and their JSON form.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Serialize, Serializer};

use crate::region::RegionCode;
use crate::schema::{Field, FieldType};

/// One typed cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Missing (a missing value of the schema, or an empty cell).
    Null,
    Bool(bool),
    Int(i64),
    Num(f64),
    Text(String),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

/// Append `n` as `width` (at most 10) decimal digits, zero-padded.
fn push_digits(out: &mut Vec<u8>, n: u32, width: usize) {
    let mut buf = [b'0'; 10];
    let mut n = n;
    for slot in buf[..width].iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&buf[..width]);
}

/// `n` as `{n:?}` writes it, faster: this runs for every number cell of an import, twice.
///
/// Between 1e-4 and 1e16 (and for zero) `{n:?}` writes the shortest digits that read back as `n`, in
/// plain decimal notation with at least one digit after the point, and so does `ryu` — except where
/// two shortest candidates are equally close to `n`, which the two break differently. That can only
/// happen beyond 15 significant digits: any two decimals of at most 15 digits are different doubles
/// (f64's `DIGITS`), so a shortest form of at most 15 digits is the only one. Longer forms and
/// other magnitudes go to `fmt`.
fn write_f64(out: &mut Vec<u8>, n: f64) {
    let magnitude = n.abs();
    if n.is_finite() && (magnitude == 0.0 || (1e-4..1e16).contains(&magnitude)) {
        let mut buf = ryu::Buffer::new();
        let text = buf.format_finite(n);
        if significant_digits(text) <= f64::DIGITS as usize {
            out.extend_from_slice(text.as_bytes());
            return;
        }
    }
    use std::io::Write;
    let _ = write!(out, "{n:?}");
}

/// The significant digits of a plain decimal number (`-0.00120` has 2).
fn significant_digits(text: &str) -> usize {
    let digits = text.bytes().filter(u8::is_ascii_digit);
    let leading = text
        .bytes()
        .filter(|b| *b != b'.' && *b != b'-')
        .take_while(|b| *b == b'0')
        .count();
    let trailing = text
        .bytes()
        .rev()
        .filter(|b| *b != b'.')
        .take_while(|b| *b == b'0')
        .count();
    digits.count().saturating_sub(leading + trailing)
}

/// `%Y-%m-%d` for years 0..=9999 (what chrono writes); false, writing nothing, for other years.
fn write_ymd(out: &mut Vec<u8>, d: NaiveDate) -> bool {
    use chrono::Datelike;
    let Ok(year) = u32::try_from(d.year()) else {
        return false;
    };
    if year > 9999 {
        return false;
    }
    push_digits(out, year, 4);
    out.push(b'-');
    push_digits(out, d.month(), 2);
    out.push(b'-');
    push_digits(out, d.day(), 2);
    true
}

/// `%Y-%m-%dT%H:%M:%S%.f` as chrono writes it (the fraction with 3, 6 or 9 digits, none when
/// zero); false, writing nothing, for years outside 0..=9999 and leap seconds.
fn write_datetime(out: &mut Vec<u8>, d: NaiveDateTime) -> bool {
    use chrono::Timelike;
    let nano = d.nanosecond();
    if nano >= 1_000_000_000 || !write_ymd(out, d.date()) {
        return false;
    }
    out.push(b'T');
    push_digits(out, d.hour(), 2);
    out.push(b':');
    push_digits(out, d.minute(), 2);
    out.push(b':');
    push_digits(out, d.second(), 2);
    if nano != 0 {
        out.push(b'.');
        let (value, digits) = if nano.is_multiple_of(1_000_000) {
            (nano / 1_000_000, 3)
        } else if nano.is_multiple_of(1_000) {
            (nano / 1_000, 6)
        } else {
            (nano, 9)
        };
        push_digits(out, value, digits);
    }
    true
}

impl Value {
    /// Whether the value is missing.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Append the canonical text of the value (used for checksums and row hashes) to `out`.
    /// Each value ends with a unit separator so that adjacent cells never run together.
    ///
    /// The bytes are fixed forever (stored hashes and checksums depend on them): integers in
    /// decimal, numbers as Rust's `{:?}` writes an `f64`, dates `%Y-%m-%d`, date-times
    /// `%Y-%m-%dT%H:%M:%S%.f` (chrono). Integers, dates and date-times are written by hand here
    /// because this runs for every cell of every import; `canonical_matches_chrono` checks that
    /// the bytes are chrono's.
    pub fn write_canonical(&self, out: &mut Vec<u8>) {
        use std::io::Write;
        match self {
            Value::Null => out.push(0),
            Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Int(i) => out.extend_from_slice(itoa::Buffer::new().format(*i).as_bytes()),
            Value::Num(n) => write_f64(out, *n),
            Value::Text(s) => out.extend_from_slice(s.as_bytes()),
            Value::Date(d) => {
                if !write_ymd(out, *d) {
                    let _ = write!(out, "{}", d.format("%Y-%m-%d"));
                }
            }
            Value::DateTime(d) => {
                if !write_datetime(out, *d) {
                    let _ = write!(out, "{}", d.format("%Y-%m-%dT%H:%M:%S%.f"));
                }
            }
        }
        out.push(0x1f);
    }

    /// The value as text, as a CSV export writes it (empty for missing).
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Num(n) => format_number(*n),
            Value::Text(s) => s.clone(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::DateTime(d) => d.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }

    /// The value as a JSON value.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Num(n) => serde_json::Number::from_f64(*n)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            other => serde_json::Value::String(other.to_text()),
        }
    }
}

/// Format a float without a trailing `.0` for whole numbers and without exponent for ordinary sizes.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Num(n) if n.is_finite() => s.serialize_f64(*n),
            Value::Num(_) => s.serialize_none(),
            Value::Text(t) => s.serialize_str(t),
            other => s.serialize_str(&other.to_text()),
        }
    }
}

/// Why a cell could not be read as its field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// Frictionless error type: `type-error`, `missing-cell`, `constraint-error`.
    pub kind: &'static str,
    /// What is wrong, in Bahasa Indonesia.
    pub message: String,
}

impl CellError {
    fn type_error(message: String) -> Self {
        CellError {
            kind: "type-error",
            message,
        }
    }
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

/// Read one cell in its canonical form (what a clean, machine-written CSV holds: `1234.5`, `2024-12-31`,
/// `true`, `16.06.01.2001`). The Indonesian forms (`1.234,5`, `31/12/2024`) are read by the import
/// readers, which normalise to this form first.
///
/// `missing` holds the schema's missing values; a missing cell gives [`Value::Null`] (whether that is
/// allowed is a constraint, checked elsewhere).
pub fn parse_canonical(field: &Field, raw: &str, missing: &[String]) -> Result<Value, CellError> {
    let missing = field.missing_values.as_deref().unwrap_or(missing);
    if missing.iter().any(|m| m == raw) {
        return Ok(Value::Null);
    }
    let t = raw.trim();
    if let Some(level) = field.region_level {
        let code = RegionCode::parse(t).map_err(|e| CellError::type_error(e.to_string()))?;
        if code.level() != level {
            return Err(CellError {
                kind: "constraint-error",
                message: format!(
                    "kode wilayah '{t}' adalah {} padahal kolom ini berisi kode {}",
                    code.level().label_id(),
                    level.label_id()
                ),
            });
        }
        return Ok(Value::Text(code.dotted()));
    }
    let bad = |what: &str| CellError::type_error(format!("'{raw}' bukan {what}"));
    match field.field_type {
        FieldType::String | FieldType::Any | FieldType::Unsupported | FieldType::Time => {
            Ok(Value::Text(raw.to_string()))
        }
        FieldType::Integer => t
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| bad("bilangan bulat")),
        FieldType::Number => match t.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Value::Num(n)),
            _ => Err(bad("angka")),
        },
        FieldType::Boolean => {
            let truthy = field
                .true_values
                .as_ref()
                .map(|v| v.iter().any(|x| x == t))
                .unwrap_or_else(|| matches!(t, "true" | "True" | "TRUE" | "1"));
            let falsy = field
                .false_values
                .as_ref()
                .map(|v| v.iter().any(|x| x == t))
                .unwrap_or_else(|| matches!(t, "false" | "False" | "FALSE" | "0"));
            if truthy {
                Ok(Value::Bool(true))
            } else if falsy {
                Ok(Value::Bool(false))
            } else {
                Err(bad("nilai benar/salah (true/false)"))
            }
        }
        FieldType::Date => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Value::Date)
            .map_err(|_| bad("tanggal (tahun-bulan-tanggal, misalnya 2024-12-31)")),
        FieldType::Datetime => {
            let t2 = t.trim_end_matches('Z');
            NaiveDateTime::parse_from_str(t2, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(t2, "%Y-%m-%d %H:%M:%S%.f"))
                .or_else(|_| chrono::DateTime::parse_from_rfc3339(t).map(|d| d.naive_utc()))
                .map(Value::DateTime)
                .map_err(|_| bad("tanggal dan jam (misalnya 2024-12-31T08:30:00)"))
        }
        FieldType::Year => match t.parse::<i64>() {
            Ok(y) if (0..=9999).contains(&y) => Ok(Value::Int(y)),
            _ => Err(bad("tahun (empat angka, misalnya 2024)")),
        },
        FieldType::Yearmonth => {
            let ok = t.len() == 7
                && t.as_bytes()[4] == b'-'
                && t[..4].bytes().all(|b| b.is_ascii_digit())
                && matches!(t[5..].parse::<u8>(), Ok(1..=12));
            if ok {
                Ok(Value::Text(t.to_string()))
            } else {
                Err(bad("tahun-bulan (misalnya 2024-03)"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Level;

    /// The canonical bytes as they were first defined (chrono and `fmt` for everything): stored
    /// hashes depend on them, so the hand-written paths must give exactly these.
    fn canonical_reference(v: &Value) -> Vec<u8> {
        use std::io::Write;
        let mut out = Vec::new();
        let _ = match v {
            Value::Null => write!(out, "\u{0}"),
            Value::Bool(b) => write!(out, "{b}"),
            Value::Int(i) => write!(out, "{i}"),
            Value::Num(n) => write!(out, "{n:?}"),
            Value::Text(s) => out.write_all(s.as_bytes()),
            Value::Date(d) => write!(out, "{}", d.format("%Y-%m-%d")),
            Value::DateTime(d) => write!(out, "{}", d.format("%Y-%m-%dT%H:%M:%S%.f")),
        };
        out.push(0x1f);
        out
    }

    #[test]
    fn numbers_are_written_as_debug_writes_them() {
        let check = |n: f64| {
            let mut out = Vec::new();
            write_f64(&mut out, n);
            assert_eq!(
                String::from_utf8_lossy(&out),
                format!("{n:?}"),
                "bits {:x}",
                n.to_bits()
            );
        };
        for n in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            1e-4,
            9.999e-5,
            1e-5,
            1e15,
            9.999_999_999_999_998e15,
            1e16,
            1e17,
            1e21,
            1e22,
            123_456.789,
            8_248_468.52,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.3,
            2.0 / 3.0,
            100.0,
            1.5e15,
        ] {
            check(n);
            check(-n);
        }
        // Random bit patterns over the whole range, and values as data has them (cents, a few
        // decimals), from a fixed-seed generator so that a failure can be reproduced.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..300_000 {
            check(f64::from_bits(next()));
            let r = next();
            check((r % 10_000_000_000) as f64 / 100.0);
            check((r % 1_000_000) as f64 / 10_000.0);
            check((r >> 11) as f64 * (1.0 / (1u64 << 53) as f64) * 1e6);
        }
    }

    #[test]
    fn canonical_matches_chrono() {
        let mut values = vec![
            Value::Null,
            Value::Bool(true),
            Value::Bool(false),
            Value::Text("Kab. Musi Banyuasin".into()),
            Value::Num(0.1),
            Value::Num(-1.5e-7),
        ];
        for i in [0, 7, -7, 42, 1_000_000, i64::MAX, i64::MIN, -1] {
            values.push(Value::Int(i));
        }
        let mut days = 0i64;
        for year in [-1, 0, 1, 9, 99, 999, 1945, 2024, 9999, 10000, 262_000] {
            for (month, day) in [(1, 1), (2, 29), (12, 31), (7, 9)] {
                let Some(d) = NaiveDate::from_ymd_opt(year, month, day) else {
                    continue;
                };
                values.push(Value::Date(d));
                days += 1;
                for (h, m, s, nano) in [
                    (0, 0, 0, 0),
                    (23, 59, 59, 999_999_999),
                    (1, 2, 3, 120_000_000),
                    (4, 5, 6, 120_000),
                    (7, 8, 9, 120),
                    (10, 11, 59, 1_500_000_000),
                ] {
                    if let Some(t) = d.and_hms_nano_opt(h, m, s, nano) {
                        values.push(Value::DateTime(t));
                    }
                }
            }
        }
        assert!(days > 30);
        for v in &values {
            let mut out = Vec::new();
            v.write_canonical(&mut out);
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&canonical_reference(v)),
                "{v:?}"
            );
        }
    }

    #[test]
    fn reads_canonical_cells() {
        let f = Field::new("n", FieldType::Integer);
        assert_eq!(
            parse_canonical(&f, "42", &[String::new()]),
            Ok(Value::Int(42))
        );
        assert_eq!(parse_canonical(&f, "", &[String::new()]), Ok(Value::Null));
        assert_eq!(
            parse_canonical(&f, "4,2", &[String::new()])
                .unwrap_err()
                .kind,
            "type-error"
        );
        let d = Field::new("d", FieldType::Date);
        assert_eq!(
            parse_canonical(&d, "2024-12-31", &[]),
            Ok(Value::Date(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()))
        );
    }

    #[test]
    fn region_fields_are_normalised_to_dotted_codes() {
        let mut f = Field::new("kode_desa", FieldType::String);
        f.region_level = Some(Level::Desa);
        assert_eq!(
            parse_canonical(&f, "1606012001", &[]),
            Ok(Value::Text("16.06.01.2001".into()))
        );
        assert_eq!(
            parse_canonical(&f, "16.06", &[]).unwrap_err().kind,
            "constraint-error"
        );
    }
}
