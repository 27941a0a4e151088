//! Reading one cell as its field's type, the way Indonesian files write it.
//!
//! The parsers for each concern are plain functions ([`number`], [`date`], [`region`]) that take `&str`
//! and never panic; [`ColumnParser`] puts them together for one field of a schema and keeps what it
//! learns about the column (its number style) while a file streams through.

pub mod date;
pub mod missing;
pub mod number;
pub mod region;

use satudata_core::region::{Level, RegionCode, Regions};
use satudata_core::schema::{Field, FieldType};
use satudata_core::value::Value;

use crate::kinds::ErrorKind;
use missing::MissingValues;
use number::{NumberError, NumberEvidence, NumberStyle, NumberStyleDecider};

/// Why a cell could not be read, in both languages, with a hint in Bahasa Indonesia.
#[derive(Debug, Clone, PartialEq)]
pub struct CellIssue {
    pub kind: ErrorKind,
    /// What is wrong, in Bahasa Indonesia.
    pub message_id: String,
    /// What is wrong, in English.
    pub message_en: String,
    /// How to fix it, in Bahasa Indonesia.
    pub hint: String,
}

impl CellIssue {
    fn new(kind: ErrorKind, id: String, en: String, hint: impl Into<String>) -> Self {
        CellIssue {
            kind,
            message_id: id,
            message_en: en,
            hint: hint.into(),
        }
    }
}

/// Options that apply to every column.
#[derive(Debug, Clone, Default)]
pub struct CellOptions {
    /// Only the schema's missing values count as missing (strict Frictionless); otherwise `-`, `…`, `NA`,
    /// `n.a.` and the like are missing too.
    pub strict_missing: bool,
    /// The instance's home region: region codes outside it are reported.
    pub home_region: Option<RegionCode>,
}

/// How one column's numbers are written: fixed by the schema, or decided from the column's evidence.
#[derive(Debug, Clone, Default)]
struct NumberState {
    fixed: Option<NumberStyle>,
    decider: NumberStyleDecider,
}

impl NumberState {
    fn style(&self) -> Option<NumberStyle> {
        self.fixed.or_else(|| self.decider.decision())
    }
}

/// Reads the cells of one field. Build it once per column; it is cheap to call per cell and does not
/// allocate except for text values (whose buffer it reuses when the caller passes the previous value).
#[derive(Debug, Clone)]
pub struct ColumnParser {
    field_type: FieldType,
    region_level: Option<Level>,
    date_format: Option<String>,
    missing: MissingValues,
    zero_values: Vec<String>,
    true_values: Option<Vec<String>>,
    false_values: Option<Vec<String>>,
    number: NumberState,
    home: Option<RegionCode>,
    home_key: Option<region::CodeKey>,
    /// The last region code found in the registry and inside home: files are usually sorted by region.
    last_region_ok: Option<RegionCode>,
    /// Which inline fast path applies.
    fast: Fast,
}

/// The inline fast path of a column (see [`ColumnParser::parse_into`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fast {
    None,
    Text,
    Integer,
    Number,
    Date,
    Region(Level),
}

impl ColumnParser {
    /// The parser for `field`; `schema_missing` is the schema's `missingValues`.
    pub fn new(field: &Field, schema_missing: &[String], opts: &CellOptions) -> Self {
        let fixed = match (field.decimal_char.as_deref(), field.group_char.as_deref()) {
            (Some(","), _) | (_, Some(".")) => Some(NumberStyle::Indonesian),
            (Some("."), _) | (_, Some(",")) => Some(NumberStyle::English),
            _ => None,
        };
        let missing_list = field.missing_values.as_deref().unwrap_or(schema_missing);
        // A missing or zero marker that looks like a value (`-999`, `0`, `2099-01-01`) must be seen by
        // the general path first: then there is no fast path.
        let marker_like_value = missing_list
            .iter()
            .chain(field.zero_values.iter().flatten())
            .any(|m| m.bytes().any(|b| b.is_ascii_digit()));
        let fast = match (field.region_level, field.field_type) {
            (Some(level), _) => Fast::Region(level),
            (None, FieldType::String | FieldType::Any | FieldType::Unsupported)
                if field.zero_values.is_none() =>
            {
                Fast::Text
            }
            _ if marker_like_value => Fast::None,
            (None, FieldType::Integer) => Fast::Integer,
            (None, FieldType::Number) => Fast::Number,
            (None, FieldType::Date) if field.format.as_deref().is_none_or(|f| !f.contains('%')) => {
                Fast::Date
            }
            _ => Fast::None,
        };
        let fast = if marker_like_value && matches!(fast, Fast::Region(_)) {
            Fast::None
        } else {
            fast
        };
        ColumnParser {
            fast,
            field_type: field.field_type,
            region_level: field.region_level,
            date_format: field.format.clone(),
            missing: MissingValues::new(missing_list, !opts.strict_missing),
            zero_values: field.zero_values.clone().unwrap_or_default(),
            true_values: field.true_values.clone(),
            false_values: field.false_values.clone(),
            number: NumberState {
                fixed,
                decider: NumberStyleDecider::default(),
            },
            home: opts.home_region,
            home_key: opts
                .home_region
                .and_then(|h| region::fast_code_key(h.undotted())),
            last_region_ok: None,
        }
    }

    /// The column's number style so far (fixed by the schema or decided from evidence).
    pub fn number_style(&self) -> Option<NumberStyle> {
        self.number.style()
    }

    /// The number-style evidence counted so far.
    pub fn evidence(&self) -> NumberStyleDecider {
        self.number.decider.clone()
    }

    /// Add the evidence another copy of this parser counted beyond `base` (parallel checking).
    pub fn add_evidence(&mut self, other: &NumberStyleDecider, base: &NumberStyleDecider) {
        let d = &mut self.number.decider;
        d.indonesian += other.indonesian.saturating_sub(base.indonesian);
        d.english += other.english.saturating_sub(base.english);
        d.ambiguous += other.ambiguous.saturating_sub(base.ambiguous);
    }

    /// Count a cell as evidence of the column's number style without reading it (for a look-ahead sample).
    pub fn observe(&mut self, raw: &str) {
        if matches!(self.field_type, FieldType::Number | FieldType::Integer)
            && self.region_level.is_none()
            && !self.missing.is_missing(raw)
        {
            self.number.decider.observe(raw);
        }
    }

    /// Whether `raw` is a missing value for this column.
    pub fn is_missing(&self, raw: &str) -> bool {
        self.missing.is_missing(raw)
    }

    /// Read `raw` into `out` (reusing `out`'s text buffer when it holds one). On error `out` is left
    /// as [`Value::Null`].
    ///
    /// The common cases (text, plain integers, numbers in the column's style, well-formed region codes,
    /// fixed-width dates) are handled here, small enough to inline; everything else, including every
    /// error, goes through the general path.
    #[inline(always)]
    pub fn parse_into(&mut self, raw: &str, out: &mut Value) -> Result<(), Box<CellIssue>> {
        match self.fast {
            Fast::Text => {
                if !self.missing.is_missing(raw) {
                    set_text(out, raw);
                    return Ok(());
                }
            }
            Fast::Integer => {
                if let Some(v) = plain_integer(raw) {
                    *out = Value::Int(v);
                    return Ok(());
                }
            }
            Fast::Number => {
                if let Some(v) = self
                    .number
                    .style()
                    .and_then(|st| number::parse_styled_fast(raw, st))
                {
                    *out = Value::Num(v);
                    return Ok(());
                }
            }
            Fast::Date => {
                if let Some(Some(d)) = date::fixed_width(raw.as_bytes()) {
                    *out = Value::Date(d);
                    return Ok(());
                }
            }
            Fast::Region(level) => {
                if self.region_fast(raw, level, out) {
                    return Ok(());
                }
            }
            Fast::None => {}
        }
        self.parse_general(raw, out).map_err(Box::new)
    }

    /// For a column whose value is the cell as written (text) or a region code, whether `raw` is
    /// present and valid, without building the value: `Some(true)` present, `Some(false)` missing,
    /// `None` when [`ColumnParser::parse_into`] must decide (other columns, and every cell that is
    /// not plainly valid, so that errors are found and worded in one place).
    #[inline(always)]
    pub fn present_text(&mut self, raw: &str) -> Option<bool> {
        match self.fast {
            Fast::Text => Some(!self.missing.is_missing(raw)),
            Fast::Region(level) => self.region_ok(raw, level).then_some(true),
            _ => None,
        }
    }

    /// Whether [`ColumnParser::present_text`] can check this column's cells without their values
    /// (text and region-code columns).
    pub fn checks_in_place(&self) -> bool {
        matches!(self.fast, Fast::Text | Fast::Region(_))
    }

    /// Whether this column holds region codes.
    pub fn is_region(&self) -> bool {
        self.region_level.is_some()
    }

    /// Everything [`ColumnParser::parse_into`] does not do inline.
    #[inline(never)]
    fn parse_general(&mut self, raw: &str, out: &mut Value) -> Result<(), CellIssue> {
        if !self.zero_values.is_empty()
            && matches!(self.field_type, FieldType::Number | FieldType::Integer)
            && self.zero_values.iter().any(|z| z == raw.trim())
        {
            *out = match self.field_type {
                FieldType::Integer => Value::Int(0),
                _ => Value::Num(0.0),
            };
            return Ok(());
        }
        if self.missing.is_missing(raw) {
            *out = Value::Null;
            return Ok(());
        }
        let r = self.parse_present(raw, out);
        if r.is_err() {
            *out = Value::Null;
        }
        r
    }

    /// Whether `raw` is a well-formed region code of the right level that exists and lies inside
    /// home.
    #[inline]
    fn region_ok(&self, raw: &str, level: Level) -> bool {
        let Some(key) = region::fast_code_key(raw) else {
            return false;
        };
        key.1 as usize == level.digits()
            && region::code_exists(key)
            && self
                .home_key
                .is_none_or(|h| region::key_within(key, h) || region::key_within(h, key))
    }

    /// A well-formed region code of the right level that exists and lies inside home, as its
    /// value (the dotted code).
    #[inline]
    fn region_fast(&mut self, raw: &str, level: Level, out: &mut Value) -> bool {
        if !self.region_ok(raw, level) {
            return false;
        }
        match out {
            Value::Text(s) => {
                s.clear();
                region::push_dotted_text(raw, s);
            }
            _ => {
                let mut s = String::with_capacity(13);
                region::push_dotted_text(raw, &mut s);
                *out = Value::Text(s);
            }
        }
        true
    }

    /// Read `raw` as a new value.
    pub fn parse(&mut self, raw: &str) -> Result<Value, CellIssue> {
        let mut v = Value::Null;
        self.parse_into(raw, &mut v).map(|_| v).map_err(|e| *e)
    }

    fn parse_present(&mut self, raw: &str, out: &mut Value) -> Result<(), CellIssue> {
        if let Some(level) = self.region_level {
            return self.parse_region(raw, level, out);
        }
        if matches!(
            self.field_type,
            FieldType::String | FieldType::Any | FieldType::Unsupported
        ) {
            set_text(out, raw);
            return Ok(());
        }
        let t = crate::read::trim_cell(raw);
        match self.field_type {
            FieldType::String | FieldType::Any | FieldType::Unsupported => {
                set_text(out, raw);
                Ok(())
            }
            FieldType::Integer => {
                // Plain digits need no evidence and no style.
                if let Some(v) = plain_integer(t) {
                    *out = Value::Int(v);
                    return Ok(());
                }
                let ev = number::classify_number(t);
                let style = self.count_number(ev);
                match number::parse_integer(t, style) {
                    Ok(v) => {
                        *out = Value::Int(v);
                        Ok(())
                    }
                    Err(e) => Err(self.number_issue(raw, e, "bilangan bulat", "an integer")),
                }
            }
            FieldType::Number => {
                if let Some(style) = self.number.style() {
                    if let Some(v) = number::parse_styled_fast(t, style) {
                        *out = Value::Num(v);
                        return Ok(());
                    }
                }
                let ev = classify_fast(t);
                if ev == NumberEvidence::Plain {
                    if let Ok(v) = t.parse::<f64>() {
                        *out = Value::Num(v);
                        return Ok(());
                    }
                }
                let style = self.count_number(ev);
                if ev == NumberEvidence::Ambiguous && style.is_none() {
                    return Err(CellIssue::new(
                        ErrorKind::AmbiguousNumberFormat,
                        format!(
                            "'{raw}' bisa dibaca sebagai {} (format Indonesia) atau {} (format Inggris); kolom ini tidak memberi petunjuk lain",
                            number::parse_number(t, NumberStyle::Indonesian).map(fmt_num).unwrap_or_default(),
                            number::parse_number(t, NumberStyle::English).map(fmt_num).unwrap_or_default(),
                        ),
                        format!("'{raw}' could be read in Indonesian or in English number format; nothing else in the column tells which"),
                        "Tulis desimal dengan koma (1.234,5) atau tetapkan decimalChar/groupChar kolom ini di skema.",
                    ));
                }
                match number::parse_classified(t, style.unwrap_or(NumberStyle::English), ev) {
                    Ok(v) => {
                        *out = Value::Num(v);
                        Ok(())
                    }
                    Err(e) => Err(self.number_issue(raw, e, "angka", "a number")),
                }
            }
            FieldType::Boolean => match self.parse_bool(t) {
                Some(b) => {
                    *out = Value::Bool(b);
                    Ok(())
                }
                None => Err(type_issue(
                    raw,
                    "nilai benar/salah",
                    "a boolean",
                    "Isi dengan true/false (atau ya/tidak), atau tetapkan trueValues/falseValues di skema.",
                )),
            },
            FieldType::Date => match date::parse_date_with_format(t, self.date_format.as_deref()) {
                Some(d) => {
                    *out = Value::Date(d);
                    Ok(())
                }
                None => Err(type_issue(
                    raw,
                    "tanggal",
                    "a date",
                    if date::parse_yearmonth(t).is_some() {
                        "Nilai ini hanya bulan dan tahun; tulis tanggal lengkap (31/12/2024) atau ubah tipe kolom menjadi yearmonth."
                    } else {
                        "Tulis tanggal sebagai 31/12/2024, 31 Desember 2024 atau 2024-12-31 (hari sebelum bulan)."
                    },
                )),
            },
            FieldType::Datetime => match date::parse_datetime(t) {
                Some(d) => {
                    *out = Value::DateTime(d);
                    Ok(())
                }
                None => Err(type_issue(
                    raw,
                    "tanggal dan jam",
                    "a date and time",
                    "Tulis sebagai 2024-12-31 08:30 atau 31/12/2024 08:30.",
                )),
            },
            FieldType::Time => match date::parse_time(t) {
                Some(tm) => {
                    set_text(out, &tm.format("%H:%M:%S").to_string());
                    Ok(())
                }
                None => Err(type_issue(raw, "jam", "a time", "Tulis jam sebagai 08:30 atau 08:30:15.")),
            },
            FieldType::Year => {
                // Spreadsheets export years as floats ("2024.0").
                let digits = t.strip_suffix(".0").unwrap_or(t);
                if (1..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
                    *out = Value::Int(digits.parse().unwrap_or_default());
                    Ok(())
                } else {
                    Err(type_issue(raw, "tahun", "a year", "Tulis tahun dengan empat angka, misalnya 2024."))
                }
            }
            FieldType::Yearmonth => match date::parse_yearmonth(t) {
                Some((y, m)) => {
                    set_text(out, &format!("{y:04}-{m:02}"));
                    Ok(())
                }
                None => Err(type_issue(
                    raw,
                    "bulan dan tahun",
                    "a year and month",
                    "Tulis sebagai 2024-12, 12/2024 atau Des 2024.",
                )),
            },
        }
    }

    /// Count a number's evidence and return the column's style after it.
    fn count_number(&mut self, ev: NumberEvidence) -> Option<NumberStyle> {
        if self.number.fixed.is_none() {
            self.number.decider.count(ev);
        }
        self.number.style()
    }

    fn number_issue(&self, raw: &str, e: NumberError, what_id: &str, what_en: &str) -> CellIssue {
        match e {
            NumberError::WrongStyle => {
                let style = self.number.style().unwrap_or(NumberStyle::English);
                CellIssue::new(
                    ErrorKind::TypeError,
                    format!("'{raw}' ditulis dengan format angka yang berbeda dari isi kolom lainnya ({})", style.label_id()),
                    format!("'{raw}' uses a different number format than the rest of the column"),
                    format!("Seragamkan penulisan angka di kolom ini: {}.", style.label_id()),
                )
            }
            NumberError::NotWhole => CellIssue::new(
                ErrorKind::TypeError,
                format!("'{raw}' bukan {what_id}: ada angka di belakang koma"),
                format!("'{raw}' is not {what_en}: it has a fraction"),
                "Kolom ini harus bilangan bulat; bulatkan nilainya atau ubah tipe kolom menjadi number.",
            ),
            NumberError::TooBig => CellIssue::new(
                ErrorKind::TypeError,
                format!("'{raw}' terlalu besar untuk {what_id}"),
                format!("'{raw}' is too large for {what_en}"),
                "Untuk nomor identitas panjang (NIK, KK), pakai tipe string.",
            ),
            NumberError::NotANumber | NumberError::Ambiguous => type_issue(
                raw,
                what_id,
                what_en,
                "Isi hanya dengan angka (tanpa satuan atau teks), misalnya 1.234,5.",
            ),
        }
    }

    fn parse_bool(&self, t: &str) -> Option<bool> {
        let truthy = match &self.true_values {
            Some(v) => v.iter().any(|x| x == t),
            None => matches!(
                t,
                "true" | "True" | "TRUE" | "1" | "ya" | "Ya" | "YA" | "benar" | "Benar" | "BENAR"
            ),
        };
        if truthy {
            return Some(true);
        }
        let falsy = match &self.false_values {
            Some(v) => v.iter().any(|x| x == t),
            None => matches!(
                t,
                "false"
                    | "False"
                    | "FALSE"
                    | "0"
                    | "tidak"
                    | "Tidak"
                    | "TIDAK"
                    | "salah"
                    | "Salah"
                    | "SALAH"
            ),
        };
        falsy.then_some(false)
    }

    fn parse_region(&mut self, raw: &str, level: Level, out: &mut Value) -> Result<(), CellIssue> {
        // Fast path: a well-formed code of the right level that exists and lies inside home.
        let t = crate::read::trim_cell(raw);
        if let Some(key) = region::fast_code_key(t) {
            if key.1 as usize == level.digits()
                && region::code_exists(key)
                && self
                    .home_key
                    .is_none_or(|h| region::key_within(key, h) || region::key_within(h, key))
            {
                match out {
                    Value::Text(s) => {
                        s.clear();
                        region::push_dotted_text(t, s);
                    }
                    _ => {
                        let mut s = String::with_capacity(13);
                        region::push_dotted_text(t, &mut s);
                        *out = Value::Text(s);
                    }
                }
                return Ok(());
            }
        }
        let code = region::parse_region_code(raw).map_err(|e| {
            CellIssue::new(
                ErrorKind::TypeError,
                format!("'{raw}' bukan kode wilayah: {}", e.reason),
                format!("'{raw}' is not a region code"),
                format!(
                    "Tulis kode wilayah Kemendagri tingkat {} ({} angka, dengan atau tanpa titik).",
                    level.label_id(),
                    level.digits()
                ),
            )
        })?;
        if code.level() != level {
            return Err(CellIssue::new(
                ErrorKind::RegionLevelMismatch,
                format!(
                    "'{raw}' adalah kode {} padahal kolom ini berisi kode {}",
                    code.level().label_id(),
                    level.label_id()
                ),
                format!(
                    "'{raw}' is a {} code but this column holds {} codes",
                    code.level().as_str(),
                    level.as_str()
                ),
                format!(
                    "Pakai kode tingkat {} ({} angka).",
                    level.label_id(),
                    level.digits()
                ),
            ));
        }
        if self.last_region_ok != Some(code) {
            let regions = Regions::get();
            if regions.by_code(&code).is_none() {
                return Err(CellIssue::new(
                    ErrorKind::UnknownRegionCode,
                    format!("kode wilayah {} tidak ada dalam daftar Kemendagri", code.dotted()),
                    format!("region code {} does not exist in the Kemendagri list", code.dotted()),
                    "Periksa kode di daftar kode wilayah Kemendagri; kode lama (sebelum pemekaran) atau kode BPS berbeda dari kode Kemendagri.",
                ));
            }
            if let Some(home) = &self.home {
                // A code above home (the province of a kabupaten instance) is not "outside" it.
                if !code.is_within(home) && !home.is_within(&code) {
                    let home_name = regions
                        .by_code(home)
                        .map(|r| r.display_name())
                        .unwrap_or_default();
                    return Err(CellIssue::new(
                        ErrorKind::RegionOutsideHome,
                        format!(
                            "wilayah {} ({}) berada di luar {home_name} ({})",
                            code.dotted(),
                            regions
                                .by_code(&code)
                                .map(|r| r.display_name())
                                .unwrap_or_default(),
                            home.dotted()
                        ),
                        format!(
                            "region {} lies outside the home region {}",
                            code.dotted(),
                            home.dotted()
                        ),
                        format!("Pastikan kode diawali {}.", home.dotted()),
                    ));
                }
            }
            self.last_region_ok = Some(code);
        }
        match out {
            Value::Text(s) => {
                s.clear();
                push_dotted(&code, s);
            }
            _ => {
                let mut s = String::with_capacity(13);
                push_dotted(&code, &mut s);
                *out = Value::Text(s);
            }
        }
        Ok(())
    }
}

fn push_dotted(code: &RegionCode, s: &mut String) {
    let d = code.undotted();
    for (i, (a, b)) in [(0, 2), (2, 4), (4, 6), (6, 10)].into_iter().enumerate() {
        if b > d.len() {
            break;
        }
        if i > 0 {
            s.push('.');
        }
        s.push_str(&d[a..b]);
    }
}

/// An integer of plain digits with an optional minus sign (at most 18 digits, so it cannot overflow).
fn plain_integer(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i64;
    }
    Some(if neg { -v } else { v })
}

/// Plain digits are by far the most common cell in a number column: skip the full classification.
fn classify_fast(t: &str) -> NumberEvidence {
    let b = t.as_bytes();
    let digits = match b.first() {
        Some(b'-') => &b[1..],
        _ => b,
    };
    if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
        NumberEvidence::Plain
    } else {
        number::classify_number(t)
    }
}

fn fmt_num(v: f64) -> String {
    satudata_core::value::format_number(v)
}

fn set_text(out: &mut Value, s: &str) {
    match out {
        Value::Text(buf) => {
            buf.clear();
            buf.push_str(s);
        }
        _ => *out = Value::Text(s.to_string()),
    }
}

fn type_issue(raw: &str, what_id: &str, what_en: &str, hint: &str) -> CellIssue {
    CellIssue::new(
        ErrorKind::TypeError,
        format!("'{raw}' bukan {what_id}"),
        format!("'{raw}' is not {what_en}"),
        hint,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn parser(ft: FieldType) -> ColumnParser {
        ColumnParser::new(
            &Field::new("x", ft),
            &[String::new()],
            &CellOptions::default(),
        )
    }

    #[test]
    fn number_column_decides_its_style_from_evidence() {
        let mut p = parser(FieldType::Number);
        assert_eq!(
            p.parse("1.234").unwrap_err().kind,
            ErrorKind::AmbiguousNumberFormat
        );
        assert_eq!(p.parse("2.500,75"), Ok(Value::Num(2500.75)));
        assert_eq!(p.parse("1.234"), Ok(Value::Num(1234.0)));
        assert_eq!(p.parse("12.5").unwrap_err().kind, ErrorKind::TypeError);
        let mut en = parser(FieldType::Number);
        en.observe("451.3");
        assert_eq!(en.parse("1.234"), Ok(Value::Num(1.234)));
    }

    #[test]
    fn missing_and_zero_markers() {
        let mut p = parser(FieldType::Integer);
        for m in ["", "-", "…", "NA", "n.a.", " - "] {
            assert_eq!(p.parse(m), Ok(Value::Null), "{m:?}");
        }
        let mut f = Field::new("x", FieldType::Integer);
        f.zero_values = Some(vec!["-".into()]);
        let mut z = ColumnParser::new(&f, &[String::new()], &CellOptions::default());
        assert_eq!(z.parse("-"), Ok(Value::Int(0)));
        let mut strict = ColumnParser::new(
            &Field::new("x", FieldType::Integer),
            &[String::new()],
            &CellOptions {
                strict_missing: true,
                ..Default::default()
            },
        );
        assert_eq!(strict.parse("-").unwrap_err().kind, ErrorKind::TypeError);
    }

    #[test]
    fn dates_and_months() {
        let mut p = parser(FieldType::Date);
        assert_eq!(
            p.parse("31 Desember 2024"),
            Ok(Value::Date(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()))
        );
        assert!(p.parse("Des 2024").unwrap_err().hint.contains("yearmonth"));
        let mut ym = parser(FieldType::Yearmonth);
        assert_eq!(ym.parse("Des 2024"), Ok(Value::Text("2024-12".into())));
        let mut y = parser(FieldType::Year);
        assert_eq!(y.parse("2024"), Ok(Value::Int(2024)));
        assert!(y.parse("2.024").is_err());
    }

    #[test]
    fn region_codes_are_checked_against_the_registry_and_home() {
        let mut f = Field::new("kode", FieldType::String);
        f.region_level = Some(Level::Kabupaten);
        let opts = CellOptions {
            home_region: Some(RegionCode::parse("32").unwrap()),
            ..Default::default()
        };
        let mut p = ColumnParser::new(&f, &[String::new()], &opts);
        assert_eq!(p.parse("3201.0"), Ok(Value::Text("32.01".into())));
        assert_eq!(
            p.parse("3299").unwrap_err().kind,
            ErrorKind::UnknownRegionCode
        );
        assert_eq!(
            p.parse("1606").unwrap_err().kind,
            ErrorKind::RegionOutsideHome
        );
        assert_eq!(
            p.parse("320101").unwrap_err().kind,
            ErrorKind::RegionLevelMismatch
        );
        assert_eq!(p.parse("abc").unwrap_err().kind, ErrorKind::TypeError);
    }

    #[test]
    fn booleans_in_both_languages() {
        let mut p = parser(FieldType::Boolean);
        assert_eq!(p.parse("Ya"), Ok(Value::Bool(true)));
        assert_eq!(p.parse("false"), Ok(Value::Bool(false)));
        assert!(p.parse("mungkin").is_err());
    }

    #[test]
    fn text_buffers_are_reused() {
        let mut p = parser(FieldType::String);
        let mut v = Value::Text(String::with_capacity(64));
        p.parse_into("abc", &mut v).unwrap();
        assert_eq!(v, Value::Text("abc".into()));
    }
}
