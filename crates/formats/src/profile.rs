//! Data profile of a table version: per field completeness, distinct values (exact up to a cap, then a
//! HyperLogLog estimate), min and max, zeros. Streaming and bounded: a profile is a few kilobytes per
//! field whatever the table's size. [`compare_profiles`] flags a version whose range jumped against the
//! previous one (the RIBU-unit mistake).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use satudata_core::schema::{FieldType, TableSchema};
use satudata_core::value::Value;

use crate::kinds::ErrorKind;
use crate::validate::constraints::compare;
use crate::validate::dedup::hash128;
use crate::validate::ValidationError;

/// A hasher for keys that are already good hashes (from `distinct_hash`): uses them as they are,
/// instead of hashing them again with SipHash.
#[derive(Default)]
struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A 64-bit hash of a cell for counting distinct values: equal values hash alike, and values that
/// differ (in their canonical text: so `1.0` and `-0.0` differ from `1` and `0.0`) almost surely
/// not. Numbers, dates and times are hashed from their bits rather than their text — writing every
/// number cell as text was a tenth of an import's time.
fn distinct_hash(v: &Value) -> u64 {
    /// The finaliser of MurmurHash3 (every input bit moves every output bit), after a type tag.
    fn mix(tag: u64, x: u64) -> u64 {
        let mut h = x ^ tag.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 33;
        h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        h ^ (h >> 33)
    }
    match v {
        Value::Null => mix(0, 0),
        Value::Bool(b) => mix(1, u64::from(*b)),
        Value::Int(i) => mix(2, *i as u64),
        Value::Num(n) => mix(3, n.to_bits()),
        Value::Text(s) => hash128(s.as_bytes()) as u64,
        Value::Date(d) => mix(4, i64::from(d.num_days_from_ce()) as u64),
        Value::DateTime(t) => {
            let t = t.and_utc();
            mix(5, t.timestamp() as u64) ^ mix(6, u64::from(t.timestamp_subsec_nanos()))
        }
    }
}

/// Distinct values counted exactly up to this many; beyond, estimated.
pub const EXACT_DISTINCT: usize = 10_000;
const HLL_BITS: u32 = 12;
const HLL_REGISTERS: usize = 1 << HLL_BITS;

/// A HyperLogLog sketch (4,096 registers, about 1.6% standard error).
#[derive(Debug, Clone)]
pub struct Hll {
    registers: Vec<u8>,
}

impl Default for Hll {
    fn default() -> Self {
        Hll {
            registers: vec![0; HLL_REGISTERS],
        }
    }
}

impl Hll {
    /// Add a 64-bit hash.
    pub fn add(&mut self, h: u64) {
        let idx = (h >> (64 - HLL_BITS)) as usize;
        let w = (h << HLL_BITS) | (1 << (HLL_BITS - 1));
        let rank = w.leading_zeros() as u8 + 1;
        if rank > self.registers[idx] {
            self.registers[idx] = rank;
        }
    }

    /// The estimated number of distinct hashes added.
    pub fn estimate(&self) -> f64 {
        let m = HLL_REGISTERS as f64;
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let sum: f64 = self.registers.iter().map(|&r| 2f64.powi(-(r as i32))).sum();
        let raw = alpha * m * m / sum;
        let zeros = self.registers.iter().filter(|&&r| r == 0).count();
        if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        }
    }
}

/// The profile of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldProfile {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Cells that are not missing.
    pub present: u64,
    /// Share of rows with a value (0–1).
    pub completeness: f64,
    /// Distinct values (exact when `distinctExact`).
    pub distinct: u64,
    pub distinct_exact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<serde_json::Value>,
    /// Zeros (numeric fields).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub zeros: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The profile of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub rows: u64,
    pub fields: Vec<FieldProfile>,
}

struct FieldAcc {
    name: String,
    field_type: FieldType,
    present: u64,
    zeros: u64,
    exact: Option<HashSet<u64, BuildHasherDefault<PreHashed>>>,
    hll: Hll,
    min: Option<Value>,
    max: Option<Value>,
}

/// Builds a [`Profile`] from typed rows, one at a time.
pub struct Profiler {
    rows: u64,
    fields: Vec<FieldAcc>,
}

impl Profiler {
    /// A profiler for rows of `schema`.
    pub fn new(schema: &TableSchema) -> Self {
        Profiler {
            rows: 0,
            fields: schema
                .fields
                .iter()
                .map(|f| FieldAcc {
                    name: f.name.clone(),
                    field_type: f.field_type,
                    present: 0,
                    zeros: 0,
                    exact: Some(HashSet::default()),
                    hll: Hll::default(),
                    min: None,
                    max: None,
                })
                .collect(),
        }
    }

    /// Count one row (values in schema order).
    pub fn observe(&mut self, row: &[Value]) {
        self.rows += 1;
        for (acc, v) in self.fields.iter_mut().zip(row) {
            if v.is_null() {
                continue;
            }
            acc.present += 1;
            if matches!(v, Value::Int(0)) || matches!(v, Value::Num(x) if *x == 0.0) {
                acc.zeros += 1;
            }
            let h = distinct_hash(v);
            acc.hll.add(h);
            if let Some(set) = &mut acc.exact {
                set.insert(h);
                if set.len() > EXACT_DISTINCT {
                    acc.exact = None;
                }
            }
            let orderable = !matches!(v, Value::Bool(_)) && acc.field_type != FieldType::String;
            if orderable {
                if acc
                    .min
                    .as_ref()
                    .is_none_or(|m| compare(v, m) == Some(std::cmp::Ordering::Less))
                {
                    acc.min = Some(v.clone());
                }
                if acc
                    .max
                    .as_ref()
                    .is_none_or(|m| compare(v, m) == Some(std::cmp::Ordering::Greater))
                {
                    acc.max = Some(v.clone());
                }
            }
        }
    }

    /// The profile.
    pub fn finish(self) -> Profile {
        let rows = self.rows;
        Profile {
            rows,
            fields: self
                .fields
                .into_iter()
                .map(|a| {
                    let (distinct, exact) = match &a.exact {
                        Some(set) => (set.len() as u64, true),
                        None => (a.hll.estimate().round() as u64, false),
                    };
                    FieldProfile {
                        name: a.name,
                        field_type: a.field_type,
                        present: a.present,
                        completeness: if rows == 0 {
                            0.0
                        } else {
                            a.present as f64 / rows as f64
                        },
                        distinct,
                        distinct_exact: exact,
                        min: a.min.map(|v| v.to_json()),
                        max: a.max.map(|v| v.to_json()),
                        zeros: a.zeros,
                    }
                })
                .collect(),
        }
    }
}

/// A factor between versions beyond which a field's range is suspicious (the RIBU mistake is 1,000×).
pub const JUMP_FACTOR: f64 = 100.0;

/// Compare a version's profile with the previous one: numeric ranges that jumped by [`JUMP_FACTOR`] or
/// more, and fields that became all zero. Warnings (they do not make a table invalid).
pub fn compare_profiles(previous: &Profile, current: &Profile) -> Vec<ValidationError> {
    let mut out = vec![];
    for (i, cur) in current.fields.iter().enumerate() {
        let Some(prev) = previous.fields.iter().find(|p| p.name == cur.name) else {
            continue;
        };
        let num = |v: &Option<serde_json::Value>| v.as_ref().and_then(serde_json::Value::as_f64);
        if let (Some(pm), Some(cm)) = (num(&prev.max), num(&cur.max)) {
            if pm > 0.0 && cm > 0.0 {
                let ratio = cm / pm;
                if ratio >= JUMP_FACTOR || ratio <= 1.0 / JUMP_FACTOR {
                    out.push(
                        ValidationError::new(
                            ErrorKind::SuspiciousJump,
                            format!(
                                "nilai terbesar kolom '{}' berubah {}× dari versi sebelumnya ({} → {})",
                                cur.name,
                                fmt_ratio(ratio),
                                satudata_core::value::format_number(pm),
                                satudata_core::value::format_number(cm)
                            ),
                            format!("the largest value of '{}' changed {}× from the previous version", cur.name, fmt_ratio(ratio)),
                            "Periksa satuan: nilai dalam ribuan (RIBU) atau jutaan sering tertukar dengan nilai penuh.",
                        )
                        .in_field(i + 1, &cur.name),
                    );
                }
            }
        }
        if prev.present > 0
            && prev.zeros < prev.present
            && cur.present > 0
            && cur.zeros == cur.present
        {
            out.push(
                ValidationError::new(
                    ErrorKind::SuspiciousZero,
                    format!(
                        "semua nilai kolom '{}' nol, padahal versi sebelumnya berisi nilai",
                        cur.name
                    ),
                    format!(
                        "all values of '{}' are zero while the previous version had values",
                        cur.name
                    ),
                    "Nilai yang tidak ada sebaiknya dikosongkan, bukan diisi 0.",
                )
                .in_field(i + 1, &cur.name),
            );
        }
    }
    out
}

fn fmt_ratio(r: f64) -> String {
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

    #[test]
    fn profiles_completeness_distinct_and_range() {
        let schema = TableSchema::new(vec![
            Field::new("n", FieldType::Integer),
            Field::new("s", FieldType::String),
        ]);
        let mut p = Profiler::new(&schema);
        for i in 0..100 {
            p.observe(&[
                if i % 4 == 0 {
                    Value::Null
                } else {
                    Value::Int(i % 10)
                },
                Value::Text(format!("x{i}")),
            ]);
        }
        let prof = p.finish();
        assert_eq!(prof.rows, 100);
        let n = &prof.fields[0];
        assert_eq!(n.present, 75);
        assert!((n.completeness - 0.75).abs() < 1e-9);
        assert_eq!(n.distinct, 10);
        assert_eq!(n.min, Some(0.into()));
        assert_eq!(n.zeros, 5);
        assert_eq!(n.max, Some(9.into()));
        assert_eq!(prof.fields[1].distinct, 100);
        assert_eq!(prof.fields[1].min, None);
    }

    #[test]
    fn distinct_counts_are_estimated_past_the_cap() {
        let schema = TableSchema::new(vec![Field::new("n", FieldType::Integer)]);
        let mut p = Profiler::new(&schema);
        for i in 0..100_000 {
            p.observe(&[Value::Int(i)]);
        }
        let f = &p.finish().fields[0];
        assert!(!f.distinct_exact);
        assert!(
            (f.distinct as f64 - 100_000.0).abs() < 5_000.0,
            "{}",
            f.distinct
        );
    }

    #[test]
    fn distinct_numbers_dates_and_times_are_counted_by_value() {
        let schema = TableSchema::new(vec![
            Field::new("x", FieldType::Number),
            Field::new("d", FieldType::Date),
            Field::new("t", FieldType::Datetime),
        ]);
        let day = |n: u32| chrono::NaiveDate::from_ymd_opt(2024, 1, n).unwrap();
        let mut p = Profiler::new(&schema);
        // 0.0 and -0.0 are different canonical values; 1.5 comes three times; two times on one
        // day differ by a nanosecond only.
        for (x, d, nano) in [
            (0.0, 1, 0),
            (-0.0, 1, 1),
            (1.5, 2, 0),
            (1.5, 2, 0),
            (1.5, 3, 0),
        ] {
            p.observe(&[
                Value::Num(x),
                Value::Date(day(d)),
                Value::DateTime(day(1).and_hms_nano_opt(8, 0, 0, nano).unwrap()),
            ]);
        }
        let prof = p.finish();
        let distinct: Vec<u64> = prof.fields.iter().map(|f| f.distinct).collect();
        assert_eq!(distinct, [3, 3, 2]);
    }

    #[test]
    fn flags_thousandfold_jumps_and_new_zeros() {
        let schema = TableSchema::new(vec![
            Field::new("jumlah", FieldType::Number),
            Field::new("z", FieldType::Number),
        ]);
        let mut a = Profiler::new(&schema);
        a.observe(&[Value::Num(451.3), Value::Num(3.0)]);
        let mut b = Profiler::new(&schema);
        b.observe(&[Value::Num(451_300.0), Value::Num(0.0)]);
        let w = compare_profiles(&a.finish(), &b.finish());
        let kinds: Vec<_> = w.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [ErrorKind::SuspiciousJump, ErrorKind::SuspiciousZero]
        );
        assert!(w[0].message.contains("1000×"));
    }
}
