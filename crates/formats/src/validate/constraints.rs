//! Field constraints (Frictionless): required, minimum, maximum, minLength, maxLength, pattern, enum.
//! `unique` is checked by the validator with [`super::dedup`].

use std::cmp::Ordering;
use std::collections::HashSet;

use regex::Regex;
use satudata_core::schema::{Field, FieldType};
use satudata_core::value::Value;

use crate::cell::{CellOptions, ColumnParser};

/// A violated constraint: messages in Bahasa Indonesia and English, and a hint.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub message: String,
    pub message_en: String,
    pub hint: String,
}

/// The constraints of one field, compiled.
#[derive(Debug, Clone)]
pub struct FieldConstraints {
    pub required: bool,
    minimum: Option<(Value, String)>,
    maximum: Option<(Value, String)>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    pattern: Option<(Pattern, String)>,
    enum_values: Option<(HashSet<Vec<u8>>, String)>,
    /// Small enums are compared one by one (faster than hashing).
    enum_small: Option<Vec<Vec<u8>>>,
    /// Enums of text values: compared with the text directly.
    enum_text: Option<Vec<String>>,
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl FieldConstraints {
    /// Compile `field`'s constraints; `required` is also set for primary-key fields. A bad pattern or a
    /// bound that is not of the field's type is a schema problem (in Bahasa Indonesia).
    pub fn compile(field: &Field, in_primary_key: bool) -> Result<Self, String> {
        let c = &field.constraints;
        // Bounds and enum values are written canonically in the schema; read them strictly.
        let mut p = ColumnParser::new(
            field,
            &[],
            &CellOptions {
                strict_missing: true,
                ..Default::default()
            },
        );
        let mut bound = |v: &Option<serde_json::Value>,
                         what: &str|
         -> Result<Option<(Value, String)>, String> {
            match v {
                None => Ok(None),
                Some(j) => {
                    let text = json_text(j);
                    match p.parse(&text) {
                        Ok(val) if !val.is_null() => Ok(Some((val, text))),
                        _ => Err(format!(
                            "Kolom '{}': batas {what} '{text}' tidak sesuai tipe kolom.",
                            field.name
                        )),
                    }
                }
            }
        };
        let minimum = bound(&c.minimum, "minimum")?;
        let maximum = bound(&c.maximum, "maximum")?;
        let pattern = match &c.pattern {
            None => None,
            Some(pat) => Some((
                Pattern::compile(pat).map_err(|e| {
                    format!("Kolom '{}': pola (pattern) tidak valid: {e}", field.name)
                })?,
                pat.clone(),
            )),
        };
        let enum_values = match &c.enum_values {
            None => None,
            Some(list) => {
                let mut set = HashSet::new();
                let mut shown = vec![];
                for j in list {
                    let text = json_text(j);
                    let val = p.parse(&text).map_err(|_| {
                        format!(
                            "Kolom '{}': nilai enum '{text}' tidak sesuai tipe kolom.",
                            field.name
                        )
                    })?;
                    let mut buf = vec![];
                    val.write_canonical(&mut buf);
                    set.insert(buf);
                    shown.push(text);
                }
                Some((set, shown.join(", ")))
            }
        };
        let enum_small = enum_values
            .as_ref()
            .filter(|(set, _)| set.len() <= 16)
            .map(|(set, _)| set.iter().cloned().collect());
        let enum_text = match (&c.enum_values, field.field_type) {
            (Some(list), FieldType::String) if field.region_level.is_none() && list.len() <= 32 => {
                Some(list.iter().map(json_text).collect())
            }
            _ => None,
        };
        Ok(FieldConstraints {
            enum_small,
            enum_text,
            required: c.required || in_primary_key,
            minimum,
            maximum,
            min_length: c.min_length,
            max_length: c.max_length,
            pattern,
            enum_values,
        })
    }

    /// Whether there is anything to check for present values.
    pub fn checks_values(&self) -> bool {
        self.minimum.is_some()
            || self.maximum.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.pattern.is_some()
            || self.enum_values.is_some()
    }

    /// Check a present value (`raw` as written). `canonical` is a scratch buffer.
    #[inline(always)]
    pub fn check(
        &self,
        field_type: FieldType,
        raw: &str,
        v: &Value,
        canonical: &mut Vec<u8>,
    ) -> Option<Violation> {
        if self.passes(field_type, raw, v) {
            return None;
        }
        self.violation(field_type, raw, v, canonical)
    }

    /// [`Self::check`] for a text value that is `raw` itself (a string field's cell as written),
    /// without the value having been built.
    #[inline(always)]
    pub fn check_text(
        &self,
        field_type: FieldType,
        raw: &str,
        canonical: &mut Vec<u8>,
    ) -> Option<Violation> {
        if self.passes_text(raw) {
            return None;
        }
        self.violation(field_type, raw, &Value::Text(raw.to_string()), canonical)
    }

    /// [`Self::passes`] for the text value `raw`.
    #[inline]
    fn passes_text(&self, raw: &str) -> bool {
        let order = |bound: &Value| match bound {
            Value::Text(b) => Some(raw.cmp(b.as_str())),
            _ => None,
        };
        if self
            .minimum
            .as_ref()
            .is_some_and(|(b, _)| order(b) == Some(Ordering::Less))
            || self
                .maximum
                .as_ref()
                .is_some_and(|(b, _)| order(b) == Some(Ordering::Greater))
        {
            return false;
        }
        if self.min_length.is_some() || self.max_length.is_some() {
            let n = if raw.is_ascii() {
                raw.len()
            } else {
                raw.chars().count()
            };
            if self.min_length.is_some_and(|m| n < m) || self.max_length.is_some_and(|m| n > m) {
                return false;
            }
        }
        if self
            .pattern
            .as_ref()
            .is_some_and(|(re, _)| !re.is_match(raw))
        {
            return false;
        }
        match (&self.enum_values, &self.enum_text) {
            (None, _) => true,
            (Some(_), Some(list)) => list.iter().any(|e| bytes_eq(e.as_bytes(), raw.as_bytes())),
            // The full check decides.
            (Some(_), None) => false,
        }
    }

    /// Whether a present value meets every constraint: the quick test, with no messages built.
    #[inline]
    fn passes(&self, field_type: FieldType, raw: &str, v: &Value) -> bool {
        let below = |bound: &Value| match (v, bound) {
            (Value::Int(x), Value::Int(b)) => x < b,
            _ => compare(v, bound) == Some(Ordering::Less),
        };
        let above = |bound: &Value| match (v, bound) {
            (Value::Int(x), Value::Int(b)) => x > b,
            _ => compare(v, bound) == Some(Ordering::Greater),
        };
        if self.minimum.as_ref().is_some_and(|(b, _)| below(b))
            || self.maximum.as_ref().is_some_and(|(b, _)| above(b))
        {
            return false;
        }
        if self.min_length.is_some() || self.max_length.is_some() {
            if let Value::Text(s) = v {
                let n = if s.is_ascii() {
                    s.len()
                } else {
                    s.chars().count()
                };
                if self.min_length.is_some_and(|m| n < m) || self.max_length.is_some_and(|m| n > m)
                {
                    return false;
                }
            }
        }
        if let Some((re, _)) = &self.pattern {
            let text = match (field_type, v) {
                (FieldType::String, _) => raw,
                (_, Value::Text(s)) => s.as_str(),
                _ => raw,
            };
            if !re.is_match(text) {
                return false;
            }
        }
        if self.enum_values.is_some() {
            if let (Some(list), Value::Text(t)) = (&self.enum_text, v) {
                return list.iter().any(|e| bytes_eq(e.as_bytes(), t.as_bytes()));
            }
            // Other types: the full check decides.
            return false;
        }
        true
    }

    /// Which constraint a value breaks, with messages (the slow path after [`Self::passes`]).
    #[cold]
    #[inline(never)]
    fn violation(
        &self,
        field_type: FieldType,
        raw: &str,
        v: &Value,
        canonical: &mut Vec<u8>,
    ) -> Option<Violation> {
        if let Some((min, text)) = &self.minimum {
            if compare(v, min) == Some(Ordering::Less) {
                return Some(Violation {
                    message: format!("'{raw}' lebih kecil dari batas minimum {text}"),
                    message_en: format!("'{raw}' is below the minimum {text}"),
                    hint: format!(
                        "Nilai kolom ini paling kecil {text}; periksa salah ketik atau satuan."
                    ),
                });
            }
        }
        if let Some((max, text)) = &self.maximum {
            if compare(v, max) == Some(Ordering::Greater) {
                return Some(Violation {
                    message: format!("'{raw}' lebih besar dari batas maksimum {text}"),
                    message_en: format!("'{raw}' is above the maximum {text}"),
                    hint: format!("Nilai kolom ini paling besar {text}; periksa salah ketik atau satuan (ribu/juta)."),
                });
            }
        }
        if self.min_length.is_some() || self.max_length.is_some() {
            if let Value::Text(s) = v {
                let n = s.chars().count();
                if let Some(min) = self.min_length.filter(|&m| n < m) {
                    return Some(Violation {
                        message: format!(
                            "'{raw}' terlalu pendek ({n} karakter, paling sedikit {min})"
                        ),
                        message_en: format!(
                            "'{raw}' is too short ({n} characters, at least {min})"
                        ),
                        hint: format!("Isi paling sedikit {min} karakter."),
                    });
                }
                if let Some(max) = self.max_length.filter(|&m| n > m) {
                    return Some(Violation {
                        message: format!(
                            "'{raw}' terlalu panjang ({n} karakter, paling banyak {max})"
                        ),
                        message_en: format!("'{raw}' is too long ({n} characters, at most {max})"),
                        hint: format!("Isi paling banyak {max} karakter."),
                    });
                }
            }
        }
        if let Some((re, pat)) = &self.pattern {
            let text = match (field_type, v) {
                (FieldType::String, _) => raw,
                (_, Value::Text(s)) => s.as_str(),
                _ => raw,
            };
            if !re.is_match(text) {
                return Some(Violation {
                    message: format!("'{raw}' tidak sesuai pola {pat}"),
                    message_en: format!("'{raw}' does not match the pattern {pat}"),
                    hint: "Perbaiki penulisan agar sesuai format yang ditetapkan skema.".into(),
                });
            }
        }
        if let Some((set, shown)) = &self.enum_values {
            let found = match (&self.enum_text, v) {
                (Some(list), Value::Text(t)) => {
                    list.iter().any(|e| bytes_eq(e.as_bytes(), t.as_bytes()))
                }
                _ => {
                    canonical.clear();
                    v.write_canonical(canonical);
                    match &self.enum_small {
                        Some(list) => list.iter().any(|e| bytes_eq(e, canonical)),
                        None => set.contains(canonical.as_slice()),
                    }
                }
            };
            if !found {
                return Some(Violation {
                    message: format!("'{raw}' bukan salah satu nilai yang diizinkan: {shown}"),
                    message_en: format!("'{raw}' is not one of the allowed values: {shown}"),
                    hint: format!(
                        "Pilih salah satu: {shown} (perhatikan ejaan dan huruf besar/kecil)."
                    ),
                });
            }
        }
        None
    }
}

/// A `pattern` constraint: digit-run patterns (`[0-9]{16}`, `\\d+`), common for codes and ids, are
/// checked by hand; everything else by the regex engine (anchored: the whole value must match).
#[derive(Debug, Clone)]
pub enum Pattern {
    /// Only ASCII digits, with a length in `min..=max`.
    Digits {
        min: usize,
        max: usize,
    },
    Regex(Regex),
}

impl Pattern {
    /// Compile a Table Schema pattern.
    pub fn compile(pat: &str) -> Result<Pattern, regex::Error> {
        let body = pat
            .strip_prefix("[0-9]")
            .or_else(|| pat.strip_prefix("\\d"));
        if let Some(rep) = body {
            let range = match rep {
                "+" => Some((1, usize::MAX)),
                "*" => Some((0, usize::MAX)),
                _ => rep
                    .strip_prefix('{')
                    .and_then(|r| r.strip_suffix('}'))
                    .and_then(|r| match r.split_once(',') {
                        None => r.parse().ok().map(|n| (n, n)),
                        Some((a, b)) => Some((
                            a.parse().ok()?,
                            if b.is_empty() {
                                usize::MAX
                            } else {
                                b.parse().ok()?
                            },
                        )),
                    }),
            };
            if let Some((min, max)) = range {
                return Ok(Pattern::Digits { min, max });
            }
        }
        Ok(Pattern::Regex(Regex::new(&format!("^(?:{pat})$"))?))
    }

    /// Whether the whole of `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Digits { min, max } => {
                (*min..=*max).contains(&text.len()) && all_ascii_digits(text.as_bytes())
            }
            Pattern::Regex(r) => r.is_match(text),
        }
    }
}

/// Whether every byte is an ASCII digit, eight bytes at a time (16-digit ids are the most common
/// pattern): a byte is a digit when its high nibble is 3 and adding 6 keeps it 3.
fn all_ascii_digits(b: &[u8]) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    const SIXES: u64 = 0x0606_0606_0606_0606;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // No carry crosses bytes: with every high nibble 3, a low nibble plus 6 stays below 0x40.
        if w & HIGH != THREES || w.wrapping_add(SIXES) & HIGH != THREES {
            return false;
        }
    }
    chunks.remainder().iter().all(u8::is_ascii_digit)
}

/// Byte equality for short strings without a call to `memcmp`.
#[inline]
fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Order two values of the same field.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Num(y)) => (*x as f64).partial_cmp(y),
        (Value::Num(x), Value::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(y),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::DateTime(x), Value::DateTime(y)) => Some(x.cmp(y)),
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_runs_are_checked_eight_bytes_at_a_time() {
        for b in 0u8..=255 {
            for at in [0usize, 5, 8, 15, 16] {
                let mut v = b"12345678901234567".to_vec();
                v[at] = b;
                assert_eq!(
                    all_ascii_digits(&v),
                    v.iter().all(u8::is_ascii_digit),
                    "byte {b:#x} at {at}"
                );
            }
        }
        assert!(all_ascii_digits(b""));
    }
    use satudata_core::schema::Constraints;

    #[test]
    fn checks_bounds_lengths_patterns_and_enums() {
        let mut f = Field::new("n", FieldType::Integer);
        f.constraints = Constraints {
            minimum: Some(0.into()),
            maximum: Some(100.into()),
            ..Default::default()
        };
        let c = FieldConstraints::compile(&f, false).unwrap();
        let mut buf = vec![];
        assert!(c
            .check(FieldType::Integer, "-1", &Value::Int(-1), &mut buf)
            .is_some());
        assert!(c
            .check(FieldType::Integer, "50", &Value::Int(50), &mut buf)
            .is_none());
        assert!(c
            .check(FieldType::Integer, "101", &Value::Int(101), &mut buf)
            .is_some());

        let mut s = Field::new("jk", FieldType::String);
        s.constraints = Constraints {
            enum_values: Some(vec!["LAKI-LAKI".into(), "PEREMPUAN".into()]),
            pattern: Some("[A-Z-]+".into()),
            max_length: Some(9),
            ..Default::default()
        };
        let c = FieldConstraints::compile(&s, true).unwrap();
        assert!(c.required);
        assert!(c
            .check(
                FieldType::String,
                "PEREMPUAN",
                &Value::Text("PEREMPUAN".into()),
                &mut buf
            )
            .is_none());
        assert!(c
            .check(
                FieldType::String,
                "laki",
                &Value::Text("laki".into()),
                &mut buf
            )
            .is_some());
        assert!(c
            .check(
                FieldType::String,
                "LAKI",
                &Value::Text("LAKI".into()),
                &mut buf
            )
            .is_some());

        for (pat, yes, no) in [
            ("[0-9]{16}", "1606012002000000", "160601200200000x"),
            ("\\d+", "12", ""),
            ("[A-Z]{2}", "AB", "A1"),
        ] {
            let p = Pattern::compile(pat).unwrap();
            assert!(p.is_match(yes), "{pat}");
            assert!(!p.is_match(no), "{pat}");
        }

        let mut bad = Field::new("x", FieldType::String);
        bad.constraints.pattern = Some("(".into());
        assert!(FieldConstraints::compile(&bad, false).is_err());
    }
}
