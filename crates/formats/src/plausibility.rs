//! Plausibility of values against the previous period or version, row by row: a value 100× (or
//! 1/100) the last one for the same region and breakdown — the RIBU-unit mistake is 1,000× — and zeros
//! where the last period had values (missing data typed as 0). These are warnings, not errors.
//!
//! A [`Baseline`] keeps, per key (the row's region and other text fields, without the period), the
//! latest period's numbers. Feed it the previous version's rows, then [`Baseline::check`] the new
//! ones; or use [`Baseline::check_and_update`] over one file sorted by period to compare consecutive
//! periods inside it. Memory is bounded by the number of keys (capped).

use std::collections::HashMap;

use satudata_core::schema::{FieldType, TableSchema};
use satudata_core::value::Value;

use crate::kinds::ErrorKind;
use crate::validate::constraints::compare;
use crate::validate::ValidationError;

/// A value at least this many times the last one (or at most its inverse) is suspicious.
pub const JUMP_FACTOR: f64 = 100.0;
/// Keys kept at most.
pub const MAX_KEYS: usize = 1_000_000;

/// The latest known numbers per key.
pub struct Baseline {
    keys: Vec<usize>,
    period: Option<usize>,
    measures: Vec<usize>,
    names: Vec<String>,
    latest: HashMap<String, (Value, Vec<Option<f64>>)>,
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Num(n) => Some(*n),
        _ => None,
    }
}

impl Baseline {
    /// A baseline for rows of `schema`: keys are region fields and text fields, the period is the
    /// field marked `period` (or a year field), measures are the other numeric fields.
    pub fn new(schema: &TableSchema) -> Self {
        let period = schema.fields.iter().position(|f| f.period).or_else(|| {
            schema
                .fields
                .iter()
                .position(|f| f.field_type == FieldType::Year)
        });
        let mut keys = vec![];
        let mut measures = vec![];
        for (i, f) in schema.fields.iter().enumerate() {
            if Some(i) == period {
                continue;
            }
            let is_id = matches!(f.name.as_str(), "id" | "no" | "nomor" | "_id");
            if f.region_level.is_some()
                || matches!(f.field_type, FieldType::String | FieldType::Boolean)
            {
                // Names next to codes and the unit column add nothing to a key but do no harm.
                keys.push(i);
            } else if matches!(f.field_type, FieldType::Integer | FieldType::Number) && !is_id {
                measures.push(i);
            }
        }
        Baseline {
            keys,
            period,
            measures,
            names: schema.fields.iter().map(|f| f.name.clone()).collect(),
            latest: HashMap::new(),
        }
    }

    fn key(&self, row: &[Value]) -> String {
        let mut k = String::new();
        for &i in &self.keys {
            if let Some(v) = row.get(i) {
                k.push_str(&v.to_text());
            }
            k.push('\u{1f}');
        }
        k
    }

    /// Remember a row (of the previous version, or an earlier period): the latest period per key wins.
    pub fn observe(&mut self, row: &[Value]) {
        let key = self.key(row);
        let period = self
            .period
            .and_then(|p| row.get(p))
            .cloned()
            .unwrap_or(Value::Null);
        let nums: Vec<Option<f64>> = self
            .measures
            .iter()
            .map(|&i| row.get(i).and_then(as_f64))
            .collect();
        let full = self.latest.len() >= MAX_KEYS;
        match self.latest.get_mut(&key) {
            Some((p, n)) if compare(&period, p) != Some(std::cmp::Ordering::Less) => {
                *p = period;
                *n = nums;
            }
            Some(_) => {}
            None if !full => {
                self.latest.insert(key, (period, nums));
            }
            None => {}
        }
    }

    /// Warnings for `row` (its row number as in the file) against the latest known period of its key.
    pub fn check(&self, row_number: u64, row: &[Value]) -> Vec<ValidationError> {
        let mut out = vec![];
        let Some((prev_period, prev)) = self.latest.get(&self.key(row)) else {
            return out;
        };
        let period = self
            .period
            .and_then(|p| row.get(p))
            .cloned()
            .unwrap_or(Value::Null);
        // Only compare forward in time (or within the same period when there is no period field).
        if self.period.is_some() && compare(&period, prev_period) == Some(std::cmp::Ordering::Less)
        {
            return out;
        }
        let when = if prev_period.is_null() {
            String::new()
        } else {
            format!(" ({})", prev_period.to_text())
        };
        for (j, &i) in self.measures.iter().enumerate() {
            let (Some(cur), Some(Some(last))) = (row.get(i).and_then(as_f64), prev.get(j)) else {
                continue;
            };
            let name = &self.names[i];
            if *last > 0.0 && cur > 0.0 {
                let r = cur / last;
                if r >= JUMP_FACTOR || r <= 1.0 / JUMP_FACTOR {
                    out.push(
                        ValidationError::new(
                            ErrorKind::SuspiciousJump,
                            format!(
                                "nilai {} adalah {}× nilai periode sebelumnya{when} ({})",
                                satudata_core::value::format_number(cur),
                                ratio_text(r),
                                satudata_core::value::format_number(*last)
                            ),
                            format!("value is {}× the previous period's{when}", ratio_text(r)),
                            "Periksa satuan: nilai dalam ribuan (RIBU) sering tertukar dengan nilai penuh.",
                        )
                        .at_row(row_number)
                        .in_field(i + 1, name)
                        .with_cell(&satudata_core::value::format_number(cur)),
                    );
                }
            } else if *last > 0.0 && cur == 0.0 {
                out.push(
                    ValidationError::new(
                        ErrorKind::SuspiciousZero,
                        format!(
                            "nilai 0 padahal periode sebelumnya{when} bernilai {}",
                            satudata_core::value::format_number(*last)
                        ),
                        format!(
                            "value is 0 while the previous period{when} had {}",
                            satudata_core::value::format_number(*last)
                        ),
                        "Bila datanya tidak ada, kosongkan sel (jangan diisi 0).",
                    )
                    .at_row(row_number)
                    .in_field(i + 1, name)
                    .with_cell("0"),
                );
            }
        }
        out
    }

    /// Check `row` against earlier periods, then remember it (one file holding several periods).
    pub fn check_and_update(&mut self, row_number: u64, row: &[Value]) -> Vec<ValidationError> {
        let w = self.check(row_number, row);
        self.observe(row);
        w
    }
}

fn ratio_text(r: f64) -> String {
    if r >= 1.0 {
        satudata_core::value::format_number(r.round())
    } else {
        format!(
            "1/{}",
            satudata_core::value::format_number((1.0 / r).round())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use satudata_core::schema::Field;

    fn schema() -> TableSchema {
        let mut kode = Field::new("kode", FieldType::String);
        kode.region_level = Some(satudata_core::region::Level::Kabupaten);
        let mut tahun = Field::new("tahun", FieldType::Year);
        tahun.period = true;
        TableSchema::new(vec![
            Field::new("id", FieldType::Integer),
            kode,
            Field::new("jumlah", FieldType::Number),
            tahun,
        ])
    }

    fn row(id: i64, kode: &str, v: f64, y: i64) -> Vec<Value> {
        vec![
            Value::Int(id),
            Value::Text(kode.into()),
            Value::Num(v),
            Value::Int(y),
        ]
    }

    #[test]
    fn flags_the_ribu_mistake_and_zeros_against_the_previous_version() {
        let mut b = Baseline::new(&schema());
        b.observe(&row(1, "32.01", 451.3, 2021));
        b.observe(&row(2, "32.18", 40.0, 2021));
        assert!(b.check(2, &row(3, "32.01", 460.0, 2022)).is_empty());
        let w = b.check(3, &row(4, "32.01", 451_300.0, 2022));
        assert_eq!(w[0].kind, ErrorKind::SuspiciousJump);
        assert_eq!(w[0].field_name.as_deref(), Some("jumlah"));
        let z = b.check(4, &row(5, "32.18", 0.0, 2022));
        assert_eq!(z[0].kind, ErrorKind::SuspiciousZero);
        // Earlier periods than the baseline's are not compared.
        assert!(b.check(5, &row(6, "32.01", 1.0, 2019)).is_empty());
    }

    #[test]
    fn compares_consecutive_periods_inside_one_file() {
        let mut b = Baseline::new(&schema());
        let mut warnings = vec![];
        for (n, r) in [
            row(1, "32.01", 1.0, 2020),
            row(2, "32.01", 1.1, 2021),
            row(3, "32.01", 1100.0, 2022),
        ]
        .iter()
        .enumerate()
        {
            warnings.extend(b.check_and_update(n as u64 + 2, r));
        }
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].row_number, Some(4));
    }
}
