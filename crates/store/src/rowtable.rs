//! Helpers for typed row tables that every backend shares, so that both backends name tables,
//! check values, order rows, compute checksums and resolve queries exactly the same way.
//!
//! ## Row order across versions
//! A version's rows are returned ordered by `_ord`. Unchanged rows are shared between versions and
//! their `_ord` can never change (older versions would be reordered), so a new version keeps an
//! unchanged row only if keeping it is compatible with the new upload order, and gives new rows
//! `_ord` values *between* the kept rows. To leave room for that, fresh rows are numbered
//! [`ORD_GAP`] apart. [`OrdPlan`] chooses the rows to keep (the longest chain that still fits,
//! planned window by window so memory stays bounded) and numbers the new ones; a row that cannot be kept in place is retired and inserted again, which
//! costs space but never changes what any version contains or the order it is returned in.

use satudata_core::aggregate::{dotted_len, AggColumn, AggFn, AggregateQuery};
use satudata_core::region::RegionCode;
use satudata_core::row::{row_hash, Cursor, Filter, FilterOp, Row, RowQuery};
use satudata_core::schema::{StorageType, TableSchema};
use satudata_core::value::Value;
use satudata_core::Id;
use sha2::{Digest, Sha256};

use crate::StoreError;

mod ordplan;
pub use ordplan::{plan_merge, MergeTables, NewOrds, OrdPlan};

/// Distance between the `_ord` values of consecutive fresh rows, so later versions can insert
/// rows in between without renumbering.
pub const ORD_GAP: i64 = 1 << 20;

/// Name of the typed row table of a table resource: `rows_<32 hex digits>`.
pub fn row_table_name(resource_id: Id) -> String {
    format!("rows_{}", resource_id.simple())
}

/// Name of the column of the `i`-th schema field.
pub fn column_name(i: usize) -> String {
    format!("c{i}")
}

/// Whether a field gets an index of its own: region-code fields and period fields, which queries
/// filter on.
pub fn is_indexed_field(field: &satudata_core::schema::Field) -> bool {
    field.region_level.is_some() || field.period
}

fn type_label(t: StorageType) -> &'static str {
    match t {
        StorageType::Integer => "bilangan bulat",
        StorageType::Real => "angka",
        StorageType::Text => "teks",
        StorageType::Boolean => "benar/salah",
        StorageType::Date => "tanggal",
        StorageType::DateTime => "tanggal dan jam",
    }
}

fn value_label(v: &Value) -> &'static str {
    match v {
        Value::Null => "kosong",
        Value::Bool(_) => "benar/salah",
        Value::Int(_) => "bilangan bulat",
        Value::Num(_) => "angka",
        Value::Text(_) => "teks",
        Value::Date(_) => "tanggal",
        Value::DateTime(_) => "tanggal dan jam",
    }
}

/// Convert a value to what a column of storage type `t` holds, or say why it cannot be
/// (Bahasa Indonesia). Integers are accepted for real columns; date-times are cut to microseconds
/// (what both databases keep), so a value reads back exactly as it was hashed.
pub fn normalize_value(v: Value, t: StorageType) -> Result<Value, String> {
    use chrono::Timelike;
    match (v, t) {
        (Value::Null, _) => Ok(Value::Null),
        (Value::Int(i), StorageType::Integer) => Ok(Value::Int(i)),
        (Value::Num(n), StorageType::Real) if n.is_nan() => {
            Err("nilai NaN (bukan angka) tidak bisa disimpan".to_string())
        }
        (Value::Num(n), StorageType::Real) => Ok(Value::Num(n)),
        (Value::Int(i), StorageType::Real) => Ok(Value::Num(i as f64)),
        (Value::Text(s), StorageType::Text) => Ok(Value::Text(s)),
        (Value::Bool(b), StorageType::Boolean) => Ok(Value::Bool(b)),
        (Value::Date(d), StorageType::Date) => Ok(Value::Date(d)),
        (Value::DateTime(d), StorageType::DateTime) => {
            let micros = d.nanosecond() / 1_000 * 1_000;
            Ok(Value::DateTime(d.with_nanosecond(micros).unwrap_or(d)))
        }
        (v, t) => Err(format!(
            "nilai {} tidak cocok dengan kolom bertipe {}",
            value_label(&v),
            type_label(t)
        )),
    }
}

/// Normalise one uploaded row in place (see [`normalize_value`]). `row_number` is 1-based, for the
/// message.
pub fn normalize_row(
    row: &mut Row,
    schema: &TableSchema,
    types: &[StorageType],
    row_number: u64,
) -> Result<(), String> {
    if row.len() != types.len() {
        return Err(format!(
            "baris {row_number}: berisi {} kolom, padahal skema punya {} kolom",
            row.len(),
            types.len()
        ));
    }
    for (i, (cell, t)) in row.iter_mut().zip(types).enumerate() {
        let v = std::mem::replace(cell, Value::Null);
        *cell = normalize_value(v, *t).map_err(|e| {
            let name = schema.fields.get(i).map(|f| f.name.as_str()).unwrap_or("?");
            format!("baris {row_number}, kolom '{name}': {e}")
        })?;
    }
    Ok(())
}

/// Running checksum of a version: SHA-256 over every row in order, each row being the canonical
/// encoding of its values ([`Value::write_canonical`], each value ending in 0x1F) followed by 0x1E.
/// Also gives each row's content hash ([`row_hash`]) from the same encoding.
pub struct RowDigest {
    checksum: Sha256,
    buf: Vec<u8>,
}

impl Default for RowDigest {
    fn default() -> Self {
        RowDigest {
            checksum: Sha256::new(),
            buf: Vec::with_capacity(256),
        }
    }
}

impl RowDigest {
    /// A digest of no rows yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add the next row; returns its content hash.
    pub fn add(&mut self, row: &[Value]) -> [u8; 16] {
        let h = row_hash(row, &mut self.buf);
        self.checksum.update(&self.buf);
        self.checksum.update([0x1e]);
        h
    }

    /// The checksum, lower-case hex.
    pub fn finish(self) -> String {
        hex::encode(self.checksum.finalize())
    }
}

/// One uploaded row ready to be written: its key (`_ord`, or its position when staged), its content
/// hash and its normalised values.
pub type PreparedRow = (i64, [u8; 16], Row);

/// Read every batch of `source`, normalise and hash each row, give it its key (`key(position)`),
/// and send the prepared batches to `sink`. Returns the number of rows and the checksum.
///
/// Backends run this concurrently with the loop that writes the batches, so reading, checking and
/// hashing the next batch overlaps with the database writing the previous one. When the writer
/// stops (it dropped the receiver because the database failed), this stops quietly and the
/// writer's error is the one reported.
pub async fn prepare_rows(
    source: &mut dyn crate::RowSource,
    schema: &TableSchema,
    key: impl Fn(i64) -> Option<i64>,
    sink: tokio::sync::mpsc::Sender<Vec<PreparedRow>>,
) -> Result<(i64, String), StoreError> {
    let types: Vec<StorageType> = schema.fields.iter().map(|f| f.storage_type()).collect();
    let mut digest = RowDigest::new();
    let mut n: i64 = 0;
    while let Some(batch) = source.next_batch().await.map_err(StoreError::Source)? {
        let mut out = Vec::with_capacity(batch.len());
        for mut row in batch {
            normalize_row(&mut row, schema, &types, n as u64 + 1).map_err(StoreError::Invalid)?;
            let hash = digest.add(&row);
            let k = key(n).ok_or_else(|| StoreError::Backend("too many rows".to_string()))?;
            out.push((k, hash, row));
            n += 1;
        }
        if sink.send(out).await.is_err() {
            break;
        }
    }
    Ok((n, digest.finish()))
}

/// The summary of a version when the uploader gave none.
pub fn default_summary(added: i64, removed: i64) -> String {
    format!("+{added} baris, \u{2212}{removed} baris")
}

/// A filter resolved against a schema: column index, storage type, operator and typed operands.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedFilter {
    pub column: usize,
    pub storage: StorageType,
    pub op: FilterOp,
    pub values: Vec<Value>,
}

/// A row query resolved against a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedQuery {
    pub filters: Vec<ResolvedFilter>,
    /// `(column index, descending)`.
    pub sort: Vec<(usize, bool)>,
    /// The columns to return, in order (every column when the query selects none).
    pub select: Vec<usize>,
    /// The keyset position to start after, its keys typed to the sort columns.
    pub after: Option<Cursor>,
}

fn unknown_field(name: &str, schema: &TableSchema) -> StoreError {
    let known: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
    StoreError::Invalid(format!(
        "kolom '{name}' tidak ada di tabel ini; kolom yang ada: {}",
        known.join(", ")
    ))
}

fn resolve_filter(f: &Filter, schema: &TableSchema) -> Result<ResolvedFilter, StoreError> {
    let column = schema
        .field_index(&f.field)
        .ok_or_else(|| unknown_field(&f.field, schema))?;
    let storage = schema.fields[column].storage_type();
    let invalid = |msg: String| StoreError::Invalid(format!("filter kolom '{}': {msg}", f.field));
    let mut values = Vec::with_capacity(f.values.len());
    for v in &f.values {
        if v.is_null() && f.op != FilterOp::Eq && f.op != FilterOp::Ne {
            return Err(invalid("nilai pembanding tidak boleh kosong".to_string()));
        }
        values.push(normalize_value(v.clone(), storage).map_err(invalid)?);
    }
    let need_one = || invalid("operator ini butuh tepat satu nilai".to_string());
    match f.op {
        FilterOp::Eq | FilterOp::Ne | FilterOp::Lt | FilterOp::Le | FilterOp::Gt | FilterOp::Ge => {
            if values.len() != 1 {
                return Err(need_one());
            }
        }
        FilterOp::Like => {
            if values.len() != 1 {
                return Err(need_one());
            }
            if storage != StorageType::Text {
                return Err(invalid("operator like hanya untuk kolom teks".to_string()));
            }
        }
        FilterOp::In => {}
        FilterOp::IsMissing => {
            if !values.is_empty() {
                return Err(invalid(
                    "operator is_missing tidak memakai nilai".to_string(),
                ));
            }
        }
        FilterOp::Within => {
            let field = &schema.fields[column];
            let Some(level) = field.region_level else {
                return Err(invalid(
                    "operator within hanya untuk kolom kode wilayah".to_string(),
                ));
            };
            let [Value::Text(raw)] = values.as_slice() else {
                return Err(need_one());
            };
            let code = RegionCode::parse(raw).map_err(|e| invalid(e.to_string()))?;
            if code.level() > level {
                return Err(invalid(format!(
                    "kode {} lebih kecil dari isi kolom ini (kode {})",
                    code.level().label_id(),
                    level.label_id()
                )));
            }
            // Stored codes are dotted; the range [code, code + "/") holds the code and every code
            // under it ('/' follows '.'), and nothing else of the fixed-width dotted form.
            values = vec![Value::Text(code.dotted())];
        }
    }
    Ok(ResolvedFilter {
        column,
        storage,
        op: f.op,
        values,
    })
}

/// Resolve field names to columns and type the operands; unknown fields and unusable operands
/// give [`StoreError::Invalid`] naming the field (Bahasa Indonesia).
pub fn resolve_query(query: &RowQuery, schema: &TableSchema) -> Result<ResolvedQuery, StoreError> {
    let filters = query
        .filters
        .iter()
        .map(|f| resolve_filter(f, schema))
        .collect::<Result<Vec<_>, _>>()?;
    let sort = query
        .sort
        .iter()
        .map(|s| {
            schema
                .field_index(&s.field)
                .map(|i| (i, s.descending))
                .ok_or_else(|| unknown_field(&s.field, schema))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let select = if query.select.is_empty() {
        (0..schema.fields.len()).collect()
    } else {
        query
            .select
            .iter()
            .map(|name| {
                schema
                    .field_index(name)
                    .ok_or_else(|| unknown_field(name, schema))
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    let after = match &query.after {
        None => None,
        Some(c) => {
            if c.keys.len() != sort.len() {
                return Err(StoreError::Invalid(
                    "kursor tidak cocok dengan urutan (sort) kueri ini; minta halaman pertama lagi dengan sort yang sama."
                        .to_string(),
                ));
            }
            let keys = c
                .keys
                .iter()
                .zip(&sort)
                .map(|(v, (i, _))| {
                    normalize_value(v.clone(), schema.fields[*i].storage_type())
                        .map_err(|e| StoreError::Invalid(format!("kursor tidak sah: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Some(Cursor { keys, ord: c.ord })
        }
    };
    Ok(ResolvedQuery {
        filters,
        sort,
        select,
        after,
    })
}

/// What one group key of an aggregate query is: a column, cut to a prefix for region rollups.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedGroup {
    pub column: usize,
    /// For a rollup, the length of the dotted code kept (`substr(c, 1, n)`).
    pub prefix: Option<usize>,
}

/// An aggregate query resolved against a schema, checked by [`satudata_core::aggregate::plan`].
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedAggregate {
    pub filters: Vec<ResolvedFilter>,
    pub group_by: Vec<ResolvedGroup>,
    /// `(function, column)`; no column for `count` of rows.
    pub aggregates: Vec<(AggFn, Option<usize>)>,
    /// `(result column position, descending)`, then the group keys ascending to break ties.
    pub order: Vec<(usize, bool)>,
    /// How each result column is read back.
    pub out_types: Vec<StorageType>,
    /// The result columns and the notes of the plan.
    pub columns: Vec<AggColumn>,
    pub notes: Vec<String>,
}

/// Resolve and check an aggregate query ([`StoreError::Invalid`] says what is wrong, in Bahasa
/// Indonesia). The store checks units against the schema alone; the HTTP layer may check again with
/// the dataset's satuan.
pub fn resolve_aggregate(
    query: &AggregateQuery,
    schema: &TableSchema,
) -> Result<ResolvedAggregate, StoreError> {
    let (columns, notes) =
        satudata_core::aggregate::plan(schema, query, None).map_err(StoreError::Invalid)?;
    let filters = query
        .filters
        .iter()
        .map(|f| resolve_filter(f, schema))
        .collect::<Result<Vec<_>, _>>()?;
    let index = |name: &str| {
        schema
            .field_index(name)
            .ok_or_else(|| unknown_field(name, schema))
    };
    let mut out_types = vec![];
    let mut group_by = vec![];
    for g in &query.group_by {
        let column = index(&g.field)?;
        let own = schema.fields[column].region_level;
        let prefix = match (g.level, own) {
            (Some(l), Some(o)) if l < o => Some(dotted_len(l)),
            _ => None,
        };
        out_types.push(schema.fields[column].storage_type());
        group_by.push(ResolvedGroup { column, prefix });
    }
    let mut aggregates = vec![];
    for a in &query.aggregates {
        let column = a.field.as_deref().map(index).transpose()?;
        let t = column.map(|c| schema.fields[c].storage_type());
        out_types.push(match (a.func, t) {
            (AggFn::Count | AggFn::CountDistinct, _) => StorageType::Integer,
            (AggFn::Sum, Some(StorageType::Integer)) => StorageType::Integer,
            (AggFn::Sum | AggFn::Avg, _) => StorageType::Real,
            (AggFn::Min | AggFn::Max, Some(t)) => t,
            (AggFn::Min | AggFn::Max, None) => StorageType::Integer,
        });
        aggregates.push((a.func, column));
    }
    let mut order: Vec<(usize, bool)> = query
        .sort
        .iter()
        .filter_map(|s| {
            columns
                .iter()
                .position(|c| c.name == s.column)
                .map(|p| (p, s.descending))
        })
        .collect();
    for p in 0..group_by.len() {
        if !order.iter().any(|(q, _)| *q == p) {
            order.push((p, false));
        }
    }
    Ok(ResolvedAggregate {
        filters,
        group_by,
        aggregates,
        order,
        out_types,
        columns,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_depends_on_order() {
        let a = vec![Value::Int(1)];
        let b = vec![Value::Int(2)];
        let mut d1 = RowDigest::new();
        d1.add(&a);
        d1.add(&b);
        let mut d2 = RowDigest::new();
        d2.add(&b);
        d2.add(&a);
        assert_ne!(d1.finish(), d2.finish());
    }
}
