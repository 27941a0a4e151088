//! Schema inference from a sample of rows: types (integers, Indonesian or English numbers, dates,
//! booleans, years, months), region-code columns recognised by their content, units from a `satuan`
//! column or a header like "Jumlah (Ribu Jiwa)", and years written as columns (2019, 2020, …), for which
//! a wide → long reshape is offered ([`crate::reshape`]).

use serde::Serialize;

use satudata_core::region::{Level, RegionCode, Regions};
use satudata_core::schema::{Field, FieldType, TableSchema};

use crate::cell::missing::MissingValues;
use crate::cell::number::{
    classify_number, parse_integer, NumberEvidence, NumberStyle, NumberStyleDecider,
};
use crate::cell::{date, region};
use crate::header::Header;
use crate::read::{ReadError, Record, SourceInfo, TableReader};
use crate::table::{Note, TableStream};
use crate::units::{parse_unit, unit_from_label};
use crate::validate::normalize_label;

/// How to infer.
#[derive(Debug, Clone)]
pub struct InferOptions {
    /// Data rows looked at.
    pub sample_rows: usize,
    /// Share of sampled values a type must fit (the rest are reported by validation).
    pub confidence: f64,
    /// The instance's home region: region names are matched to codes inside it first.
    pub home_region: Option<RegionCode>,
}

impl Default for InferOptions {
    fn default() -> Self {
        InferOptions {
            sample_rows: 10_000,
            confidence: 0.95,
            home_region: None,
        }
    }
}

/// Years written as columns: which columns are years, and which identify the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WideYears {
    /// (column index, year) for each year column, in column order.
    pub year_columns: Vec<(usize, i32)>,
    /// The other columns (indicator, region, …), kept on every long row.
    pub id_columns: Vec<usize>,
}

/// What inference found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inferred {
    /// The Table Schema (field names in snake_case; the file's labels as titles where they differ).
    pub schema: TableSchema,
    pub header: Header,
    /// Years as columns, with a reshape offer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wide_years: Option<WideYears>,
    /// What was recognised and why, in Bahasa Indonesia (for the upload page and `satudata infer`).
    pub findings: Vec<String>,
    /// Notes and source lines found below the sample.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    pub source: SourceInfo,
    /// Sample rows read.
    pub sample_rows: usize,
    /// Columns of region names (no code column of that level), with suggested codes to confirm.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub region_names: Vec<RegionNameColumn>,
}

/// A column of region names and the codes suggested for them.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionNameColumn {
    /// The field's name in the inferred schema.
    pub field: String,
    /// The column's position among the file's columns (0-based).
    pub column: usize,
    /// The column's label as written in the file.
    pub label: String,
    pub level: Level,
    /// Distinct names looked at.
    pub names: usize,
    /// Suggestions (only names that matched).
    pub matches: Vec<crate::region_names::RegionMatch>,
    /// Names that matched no region of the level (inside the home region), as written: shown to the
    /// operator, and left without a code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmatched: Vec<String>,
}

impl Inferred {
    /// The region-code `columns` to add to this file as it streams (see
    /// [`crate::region_names::WithCodeColumns`]): after its last column, their names in its first
    /// header row, empty cells in the rows between the header and the data (a second header row, a
    /// column-number row). `None` when there are none or the file has no header row.
    pub fn code_columns(
        &self,
        columns: Vec<crate::region_names::CodeColumn>,
    ) -> Option<crate::region_names::CodeColumns> {
        let header_row = *self.header.row_numbers.first()?;
        if columns.is_empty() {
            return None;
        }
        let data_row = self
            .header
            .row_numbers
            .iter()
            .chain(self.header.skipped.iter().map(|s| &s.row_number))
            .max()
            .copied()
            .unwrap_or(header_row)
            + 1;
        Some(crate::region_names::CodeColumns {
            header_row,
            data_row,
            width: self.schema.fields.len(),
            columns,
        })
    }

    /// For a new version of an existing table: the region-code fields of the table's `schema` that
    /// the file has no column for, each with the file's column of names of the same level to fill
    /// it from, as (index in [`Inferred::region_names`], field name), in schema order. A column of
    /// names fills at most one field; a field whose title says which column it was made from
    /// ("Kode kecamatan (dari kolom Kecamatan)") takes that column when the file has it.
    pub fn fillable_code_fields(&self, schema: &TableSchema) -> Vec<(usize, String)> {
        let has_column = |f: &Field| {
            self.header
                .labels
                .iter()
                .any(|l| crate::validate::label_matches(l, f))
        };
        let mut used = vec![false; self.region_names.len()];
        let mut out = vec![];
        for f in &schema.fields {
            let Some(level) = f.region_level else {
                continue;
            };
            if has_column(f) {
                continue;
            }
            let free = |j: &usize| !used[*j] && self.region_names[*j].level == level;
            let from_title = (0..self.region_names.len()).filter(free).find(|j| {
                let label = &self.region_names[*j].label;
                f.title
                    .as_deref()
                    .is_some_and(|t| t.contains(&format!("(dari kolom {label})")))
            });
            if let Some(j) = from_title.or_else(|| (0..self.region_names.len()).find(free)) {
                used[j] = true;
                out.push((j, f.name.clone()));
            }
        }
        out
    }
}

/// Infer a schema from the first rows of `reader`.
pub fn infer<R: TableReader>(reader: R, opts: &InferOptions) -> Result<Inferred, ReadError> {
    let mut stream = TableStream::new(reader, None)?;
    let mut rows = Vec::new();
    let mut rec = Record::new();
    while rows.len() < opts.sample_rows && stream.next_row(&mut rec)? {
        if !rec.is_blank() {
            rows.push(rec.to_vec());
        }
    }
    let header = stream.header().clone();
    let mut out = infer_from_rows(&header.labels, &rows, opts);
    out.header = header;
    out.notes = stream.notes().to_vec();
    out.source = stream.info().clone();
    Ok(out)
}

/// Infer a schema from labels and sample rows (cells as text).
pub fn infer_from_rows(labels: &[String], rows: &[Vec<String>], opts: &InferOptions) -> Inferred {
    // One field per labelled column; cells past the header are extra cells for validation to report.
    let width = if labels.is_empty() {
        rows.iter().map(Vec::len).max().unwrap_or(0)
    } else {
        labels.len()
    };
    let missing = MissingValues::new(&[String::new()], true);
    let mut findings = vec![];
    let mut fields: Vec<Field> = Vec::with_capacity(width);
    let mut used_names: Vec<String> = vec![];
    for col in 0..width {
        let label = labels
            .get(col)
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        let values: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.get(col).map(String::as_str))
            .filter(|v| !missing.is_missing(v))
            .collect();
        let (base_label, label_unit) = match unit_from_label(&label) {
            Some((l, u)) => (l, Some(u)),
            None => (label.clone(), None),
        };
        let mut name = normalize_label(&base_label);
        if name.is_empty() {
            name = format!("field{}", col + 1);
        }
        let mut unique = name.clone();
        let mut n = 2;
        while used_names.contains(&unique) {
            unique = format!("{name}_{n}");
            n += 1;
        }
        used_names.push(unique.clone());
        let mut f = column_field(&unique, &label, &values, opts, &mut findings);
        if !label.is_empty() && label != unique {
            f.title = Some(label.clone());
        }
        if let Some(u) = label_unit {
            if matches!(f.field_type, FieldType::Integer | FieldType::Number) {
                findings.push(format!(
                    "Kolom '{label}': satuan '{}'{} dari judul kolom.",
                    u.base,
                    if u.multiplier != 1.0 {
                        format!(" × {}", satudata_core::value::format_number(u.multiplier))
                    } else {
                        String::new()
                    }
                ));
                if !u.base.is_empty() {
                    f.unit = Some(u.base);
                }
                if u.multiplier != 1.0 {
                    f.multiplier = Some(u.multiplier);
                }
            }
        }
        fields.push(f);
    }
    unit_from_satuan_column(&mut fields, labels, rows, &missing, &mut findings);
    let region_names = region_name_columns(&fields, rows, opts, &mut findings);
    let wide_years = detect_wide_years(labels, &fields);
    if let Some(w) = &wide_years {
        findings.push(format!(
            "Tahun ditulis sebagai kolom ({}–{}); tabel dapat diubah ke bentuk panjang (wilayah × tahun × nilai).",
            w.year_columns.first().map(|c| c.1).unwrap_or_default(),
            w.year_columns.last().map(|c| c.1).unwrap_or_default()
        ));
    }
    Inferred {
        schema: TableSchema::new(fields),
        header: Header {
            row_numbers: vec![],
            labels: labels.to_vec(),
            skipped: vec![],
        },
        wide_years,
        findings,
        notes: vec![],
        source: SourceInfo::default(),
        sample_rows: rows.len(),
        region_names,
    }
}

/// Columns named like a region level ("Kecamatan", "nama_desa") holding names, when no code column of
/// that level exists: suggest codes for confirmation.
fn region_name_columns(
    fields: &[Field],
    rows: &[Vec<String>],
    opts: &InferOptions,
    findings: &mut Vec<String>,
) -> Vec<RegionNameColumn> {
    let mut out = vec![];
    for (i, f) in fields.iter().enumerate() {
        if f.field_type != FieldType::String || f.region_level.is_some() {
            continue;
        }
        let label = f.title.as_deref().unwrap_or(&f.name);
        if label_hint(label, &["kode", "kd", "code", "id"]) {
            continue;
        }
        let level = if label_hint(label, &["desa", "kelurahan", "desa_kelurahan"]) {
            Level::Desa
        } else if label_hint(label, &["kecamatan", "kec"]) {
            Level::Kecamatan
        } else if label_hint(label, &["kabupaten", "kota", "kab"]) {
            Level::Kabupaten
        } else if label_hint(label, &["provinsi", "prov"]) {
            Level::Provinsi
        } else {
            continue;
        };
        if fields.iter().any(|g| g.region_level == Some(level)) {
            continue;
        }
        let mut names: Vec<&str> = vec![];
        for r in rows {
            if let Some(v) = r.get(i).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                if !names.contains(&v) {
                    names.push(v);
                    if names.len() >= 500 {
                        break;
                    }
                }
            }
        }
        let within = opts.home_region.filter(|h| h.level() < level);
        let matches = crate::region_names::suggest_codes(&names, level, within.as_ref());
        if matches.is_empty() {
            continue;
        }
        findings.push(format!(
            "Kolom '{label}' berisi nama {}: {} dari {} nama cocok dengan kode Kemendagri (mis. {} → {}); periksa lalu tambahkan kolom kode.",
            level.label_id(),
            matches.len(),
            names.len(),
            matches[0].written,
            matches[0].code
        ));
        let unmatched = names
            .iter()
            .filter(|n| !matches.iter().any(|m| m.written == **n))
            .map(|n| n.to_string())
            .collect();
        out.push(RegionNameColumn {
            field: f.name.clone(),
            column: i,
            label: label.to_string(),
            level,
            names: names.len(),
            matches,
            unmatched,
        });
    }
    out
}

fn share(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        n as f64 / of as f64
    }
}

/// Whether a label names a period or a code.
fn label_hint(label: &str, words: &[&str]) -> bool {
    let n = normalize_label(label);
    n.split('_').any(|w| words.contains(&w))
}

/// The field for one column from its label and (non-missing) sample values.
fn column_field(
    name: &str,
    label: &str,
    values: &[&str],
    opts: &InferOptions,
    findings: &mut Vec<String>,
) -> Field {
    let total = values.len();
    let fits = |n: usize| total > 0 && share(n, total) >= opts.confidence;
    let mut f = Field::new(name, FieldType::String);
    if total == 0 {
        return f;
    }
    let is_period_label = label_hint(label, &["tahun", "year", "periode", "period", "thn"]);

    // Region codes: well-formed codes of one level that exist in the registry.
    if let Some(level) = region_level(values, label, opts) {
        f.region_level = Some(level);
        findings.push(format!(
            "Kolom '{label}' berisi kode wilayah Kemendagri tingkat {}.",
            level.label_id()
        ));
        return f;
    }
    // Long digit strings and codes with leading zeros are identifiers, not quantities.
    let digits_only = values.iter().filter(|v| {
        let t = v.trim();
        !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
    });
    let id_like = digits_only.clone().filter(|v| {
        let t = v.trim();
        t.len() >= 12 || (t.len() > 1 && t.starts_with('0'))
    });
    if id_like.count() > 0 && fits(digits_only.count()) {
        return f;
    }
    // Booleans (0/1 alone are integers, as in Frictionless).
    let bools = values
        .iter()
        .filter(|v| {
            matches!(
                v.trim().to_lowercase().as_str(),
                "true" | "false" | "ya" | "tidak" | "benar" | "salah" | "yes" | "no"
            )
        })
        .count();
    if fits(bools) {
        f.field_type = FieldType::Boolean;
        let has = |s: &str| values.iter().any(|v| v.trim().eq_ignore_ascii_case(s));
        if has("ya") || has("tidak") || has("yes") || has("no") {
            let variants = |ws: &[&str]| -> Vec<String> {
                ws.iter()
                    .flat_map(|w| [w.to_string(), w.to_uppercase(), capitalize(w)])
                    .collect()
            };
            f.true_values = Some(variants(&["true", "ya", "yes", "benar"]));
            f.false_values = Some(variants(&["false", "tidak", "no", "salah"]));
        }
        return f;
    }
    // Numbers: integers, then numbers in the style the column's evidence shows.
    let mut decider = NumberStyleDecider::default();
    let mut numeric = 0;
    let mut ambiguous = 0;
    for v in values {
        match decider.observe(v.trim()) {
            NumberEvidence::NotANumber => {}
            NumberEvidence::Ambiguous => {
                numeric += 1;
                ambiguous += 1;
            }
            _ => numeric += 1,
        }
    }
    if fits(numeric) {
        let style = decider.decision();
        let ints = values
            .iter()
            .filter(|v| parse_integer(v.trim(), style).is_ok())
            .count();
        let plain_ints = values
            .iter()
            .filter(|v| matches!(classify_number(v.trim()), NumberEvidence::Plain))
            .count();
        if fits(plain_ints) {
            let years = values
                .iter()
                .filter(|v| {
                    v.trim()
                        .parse::<i32>()
                        .is_ok_and(|y| (1900..=2100).contains(&y))
                })
                .count();
            if is_period_label && fits(years) {
                f.field_type = FieldType::Year;
                f.period = true;
                return f;
            }
            f.field_type = FieldType::Integer;
            return f;
        }
        match style {
            Some(NumberStyle::Indonesian) => {
                f.decimal_char = Some(",".into());
                f.group_char = Some(".".into());
                findings.push(format!(
                    "Kolom '{label}': angka berformat Indonesia (1.234,5)."
                ));
            }
            Some(NumberStyle::English) if values.iter().any(|v| v.contains(',')) => {
                f.group_char = Some(",".into());
            }
            _ => {}
        }
        if style.is_none() && ambiguous > 0 {
            findings.push(format!(
                "Kolom '{label}': angka seperti '{}' bisa format Indonesia atau Inggris; tetapkan decimalChar/groupChar sebelum validasi.",
                values.iter().find(|v| classify_number(v.trim()) == NumberEvidence::Ambiguous).unwrap_or(&"")
            ));
        }
        f.field_type = if fits(ints) && style == Some(NumberStyle::Indonesian) && ints == numeric {
            FieldType::Integer
        } else {
            FieldType::Number
        };
        return f;
    }
    // Dates, months, date-times.
    if fits(
        values
            .iter()
            .filter(|v| date::parse_date(v).is_some())
            .count(),
    ) {
        f.field_type = FieldType::Date;
        return f;
    }
    if fits(
        values
            .iter()
            .filter(|v| date::parse_yearmonth(v).is_some())
            .count(),
    ) {
        f.field_type = FieldType::Yearmonth;
        f.period = is_period_label || label_hint(label, &["bulan", "month"]);
        return f;
    }
    if fits(
        values
            .iter()
            .filter(|v| date::parse_datetime(v).is_some())
            .count(),
    ) {
        f.field_type = FieldType::Datetime;
        return f;
    }
    f
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The level of a region-code column, if its values are codes of one level that exist.
fn region_level(values: &[&str], label: &str, opts: &InferOptions) -> Option<Level> {
    let regions = Regions::get();
    let mut counts = [0usize; 4];
    let mut existing = 0usize;
    for v in values {
        let Ok(code) = region::parse_region_code(v) else {
            continue;
        };
        counts[code.level() as usize] += 1;
        if regions.by_code(&code).is_some() {
            existing += 1;
        }
    }
    let (li, &n) = counts.iter().enumerate().max_by_key(|(_, &n)| n)?;
    let level = [
        Level::Provinsi,
        Level::Kabupaten,
        Level::Kecamatan,
        Level::Desa,
    ][li];
    if n == 0 || share(n, values.len()) < opts.confidence || share(existing, values.len()) < 0.9 {
        return None;
    }
    // Two-digit numbers are province codes only when the label says codes or regions.
    let coded_label = label_hint(
        label,
        &[
            "kode",
            "kd",
            "code",
            "id",
            "wilayah",
            "prov",
            "provinsi",
            "kab",
            "kabupaten",
            "kota",
            "kec",
            "kecamatan",
            "desa",
            "kelurahan",
            "bps",
            "kemendagri",
        ],
    );
    if level == Level::Provinsi && !coded_label {
        return None;
    }
    // A running number 1..n is not a list of codes.
    if !coded_label && values.len() > 3 && level != Level::Desa {
        let distinct: std::collections::HashSet<&str> = values.iter().copied().collect();
        if distinct.len() == values.len()
            && values.windows(2).all(|w| {
                w[0].trim()
                    .parse::<u64>()
                    .ok()
                    .zip(w[1].trim().parse::<u64>().ok())
                    .is_some_and(|(a, b)| b == a + 1)
            })
        {
            return None;
        }
    }
    Some(level)
}

/// A `satuan` column with one unit: the unit of the (single) measure column.
fn unit_from_satuan_column(
    fields: &mut [Field],
    labels: &[String],
    rows: &[Vec<String>],
    missing: &MissingValues,
    findings: &mut Vec<String>,
) {
    let Some(sc) = fields
        .iter()
        .position(|f| matches!(f.name.as_str(), "satuan" | "unit"))
    else {
        return;
    };
    let mut distinct: Vec<String> = vec![];
    for r in rows {
        if let Some(v) = r
            .get(sc)
            .map(|v| v.trim())
            .filter(|v| !missing.is_missing(v))
        {
            if !distinct.iter().any(|d| d.eq_ignore_ascii_case(v)) {
                distinct.push(v.to_string());
                if distinct.len() > 1 {
                    break;
                }
            }
        }
    }
    let [only] = distinct.as_slice() else {
        if distinct.len() > 1 {
            findings.push(
                "Kolom satuan berisi lebih dari satu satuan; satuan tidak ditetapkan di skema."
                    .into(),
            );
        }
        return;
    };
    let Some(unit) = parse_unit(only) else {
        return;
    };
    // The measure: the numeric column nearest before the satuan column that is not a code or a period.
    let measure = (0..sc).rev().find(|&i| {
        let f = &fields[i];
        matches!(f.field_type, FieldType::Number | FieldType::Integer)
            && f.region_level.is_none()
            && !f.period
            && f.name != "id"
    });
    let Some(m) = measure else {
        return;
    };
    if fields[m].unit.is_some() {
        return;
    }
    fields[m].unit = Some(unit.base.clone());
    if unit.multiplier != 1.0 {
        fields[m].multiplier = Some(unit.multiplier);
    }
    findings.push(format!(
        "Satuan kolom '{}' dari kolom satuan: '{only}' = {}{}.",
        labels.get(m).map(String::as_str).unwrap_or(&fields[m].name),
        unit.base,
        if unit.multiplier != 1.0 {
            format!(
                " × {}",
                satudata_core::value::format_number(unit.multiplier)
            )
        } else {
            String::new()
        }
    ));
}

/// Year labels (`2019`, `2020*`, `Tahun 2021`) over numeric columns.
fn detect_wide_years(labels: &[String], fields: &[Field]) -> Option<WideYears> {
    let mut year_columns = vec![];
    let mut id_columns = vec![];
    for (i, l) in labels.iter().enumerate() {
        let digits: String = l.chars().filter(char::is_ascii_digit).collect();
        let numeric = fields
            .get(i)
            .is_some_and(|f| matches!(f.field_type, FieldType::Integer | FieldType::Number));
        match digits.parse::<i32>() {
            Ok(y)
                if digits.len() == 4
                    && (1900..=2100).contains(&y)
                    && numeric
                    && l.trim().len() <= 12 =>
            {
                year_columns.push((i, y))
            }
            _ => id_columns.push(i),
        }
    }
    (year_columns.len() >= 2).then_some(WideYears {
        year_columns,
        id_columns,
    })
}

/// The home region's code for findings (helper for callers showing "inside home?" hints).
pub fn describe_region(code: &RegionCode) -> Option<String> {
    Regions::get().by_code(code).map(|r| r.display_name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{open_bytes, open_path, ReadOptions};

    fn infer_csv(csv: &str) -> Inferred {
        infer(
            open_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap(),
            &InferOptions::default(),
        )
        .unwrap()
    }

    fn field<'a>(i: &'a Inferred, name: &str) -> &'a Field {
        &i.schema.fields[i
            .schema
            .field_index(name)
            .unwrap_or_else(|| panic!("no field {name}"))]
    }

    #[test]
    fn infers_the_open_data_jabar_shape() {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/sample-data/odj/jumlah_penduduk_miskin_berdasarkan_kabupatenkota_data.csv");
        let Ok(r) = open_path(&p, &ReadOptions::default()) else {
            return;
        };
        let inf = infer(r, &InferOptions::default()).unwrap();
        assert_eq!(field(&inf, "id").field_type, FieldType::Integer);
        assert_eq!(
            field(&inf, "kode_provinsi").region_level,
            Some(Level::Provinsi)
        );
        assert_eq!(
            field(&inf, "kode_kabupaten_kota").region_level,
            Some(Level::Kabupaten)
        );
        let m = field(&inf, "jumlah_penduduk_miskin");
        assert_eq!(m.field_type, FieldType::Number);
        assert_eq!(m.unit.as_deref(), Some("jiwa"));
        assert_eq!(m.multiplier, Some(1000.0));
        let t = field(&inf, "tahun");
        assert_eq!(t.field_type, FieldType::Year);
        assert!(t.period);
    }

    #[test]
    fn infers_indonesian_numbers_dates_booleans_and_ids() {
        let inf = infer_csv(
            "NIK;Tanggal Lahir;Penghasilan (Ribu Rupiah);Bansos;Bulan;Jumlah\n\
3201010101900001;31/12/1990;1.234,5;ya;Des 2024;1.234.567\n\
3201010101900002;1 Januari 1991;2.000,75;tidak;Jan 2025;2.000\n",
        );
        assert_eq!(field(&inf, "nik").field_type, FieldType::String);
        assert_eq!(field(&inf, "tanggal_lahir").field_type, FieldType::Date);
        let p = field(&inf, "penghasilan");
        assert_eq!(p.field_type, FieldType::Number);
        assert_eq!(p.decimal_char.as_deref(), Some(","));
        assert_eq!(p.unit.as_deref(), Some("rupiah"));
        assert_eq!(p.multiplier, Some(1000.0));
        assert_eq!(p.title.as_deref(), Some("Penghasilan (Ribu Rupiah)"));
        assert_eq!(field(&inf, "bansos").field_type, FieldType::Boolean);
        assert_eq!(field(&inf, "bulan").field_type, FieldType::Yearmonth);
        assert_eq!(field(&inf, "jumlah").field_type, FieldType::Integer);
    }

    #[test]
    fn recognises_years_as_columns() {
        let inf = infer_csv("Kecamatan,2019,2020,2021\nSekayu,100,110,120\nLais,90,95,99\n");
        let w = inf.wide_years.unwrap();
        assert_eq!(w.year_columns, [(1, 2019), (2, 2020), (3, 2021)]);
        assert_eq!(w.id_columns, [0]);
    }

    #[test]
    fn region_names_get_suggested_codes() {
        let inf = infer(
            open_bytes(
                b"Kecamatan,Jumlah\nSekayu,10\nLais,20\nAtlantis,3\n",
                &ReadOptions::default(),
            )
            .unwrap(),
            &InferOptions {
                home_region: RegionCode::parse("16.06").ok(),
                ..Default::default()
            },
        )
        .unwrap();
        let col = &inf.region_names[0];
        assert_eq!(col.level, Level::Kecamatan);
        assert_eq!(col.names, 3);
        assert_eq!(col.matches.len(), 2);
        assert_eq!(col.matches[1].code, "16.06.02");
        assert_eq!((col.column, col.label.as_str()), (0, "Kecamatan"));
        assert_eq!(col.unmatched, ["Atlantis"]);
    }

    #[test]
    fn an_existing_code_field_without_its_column_is_filled_from_names() {
        let inf = infer(
            open_bytes(
                b"Kecamatan,Desa,Jumlah\nSekayu,Sukarami,10\nLais,Petaling,20\n",
                &ReadOptions::default(),
            )
            .unwrap(),
            &InferOptions {
                home_region: RegionCode::parse("16.06").ok(),
                ..Default::default()
            },
        )
        .unwrap();
        let kec = inf
            .region_names
            .iter()
            .position(|c| c.level == Level::Kecamatan)
            .unwrap();
        let mut schema = TableSchema::new(vec![
            Field::new("kecamatan", FieldType::String),
            Field::new("desa", FieldType::String),
            Field::new("jumlah", FieldType::Integer),
            Field::new("kode_kecamatan", FieldType::String),
        ]);
        schema.fields[3].region_level = Some(Level::Kecamatan);
        // Only the code field: no kode_desa field, so the desa names fill nothing.
        assert_eq!(
            inf.fillable_code_fields(&schema),
            [(kec, "kode_kecamatan".to_string())]
        );
        // No column of names of the level: nothing to offer.
        schema.fields[3].name = "kode_kabupaten".into();
        schema.fields[3].region_level = Some(Level::Kabupaten);
        assert!(inf.fillable_code_fields(&schema).is_empty());
    }

    #[test]
    fn running_numbers_are_not_region_codes() {
        let inf = infer_csv("no,nama\n11,a\n12,b\n13,c\n14,d\n15,e\n");
        assert_eq!(field(&inf, "no").region_level, None);
    }

    #[test]
    fn inferred_schema_validates_its_own_file() {
        let csv =
            "kode_desa;nama;jumlah (jiwa)\n16.06.01.2001;Sukarami;1.234\n1606012002;B;2.500,5\n";
        let inf = infer_csv(csv);
        assert_eq!(field(&inf, "kode_desa").region_level, Some(Level::Desa));
        let r = open_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap();
        let report = crate::validate::validate(r, &inf.schema, &Default::default()).unwrap();
        assert!(report.valid, "{:?}", report.errors);
    }
}
