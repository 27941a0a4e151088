//! The query language of the data API: query parameters to a [`RowQuery`] or an
//! [`AggregateQuery`], every value typed to its field and every mistake answered with a 422 that
//! names the parameter (Bahasa Indonesia). See docs/API.md for the full description.
//!
//! - Filters: `FIELD=v` (repeat for any of several; empty for missing), `FIELD__OP=v` with OP one of
//!   `eq`, `ne` (`not`), `lt`, `le` (`lte`), `gt`, `ge` (`gte`), `in` (comma-separated), `like`
//!   (`%` and `_`, case-insensitive), `missing` (`true`/`false`), `within` (region code).
//! - `within=16.06.01`: rows whose (most detailed) region-code field lies in that region.
//! - `period=2020..2023` (also `2020..`, `..2023`, `2024`): a range of the schema's period field.
//! - `select=a,b`, `sort=a,-b`, `limit`, `offset`, `cursor` (keyset), `version`, `total=false`,
//!   `format=json|csv|ndjson|xlsx`.
//! - Aggregates: `group_by=a,b` (`kode_desa:kecamatan` rolls a region field up), `rollup=LEVEL`,
//!   `count` (rows) or `count=a`, `count_distinct=a`, `sum=a,b`, `avg=a`, `min=a`, `max=a`.

use base64::Engine;
use satudata_core::aggregate::{AggFn, AggSort, Aggregate, AggregateQuery, GroupBy};
use satudata_core::region::Level;
use satudata_core::row::{Cursor, Filter, FilterOp, RowQuery, SortKey};
use satudata_core::schema::{Field, StorageType, TableSchema};
use satudata_core::value::{parse_canonical, Value};

use super::export::Format;
use crate::error::{ApiError, ApiResult};

/// Rows per JSON page by default.
pub const DEFAULT_ROWS: u32 = 100;
/// The largest JSON page.
pub const MAX_ROWS: u32 = 1000;
/// Groups per aggregate answer by default.
pub const DEFAULT_GROUPS: u32 = 1000;
/// The most groups per aggregate answer.
pub const MAX_GROUPS: u32 = 10_000;

/// A parsed rows request.
#[derive(Debug, Clone, PartialEq)]
pub struct RowsRequest {
    pub query: RowQuery,
    /// `format=` when given.
    pub format: Option<Format>,
    /// Whether `limit` was given (exports stream every row unless it was).
    pub explicit_limit: bool,
}

/// A parsed aggregate request.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateRequest {
    pub query: AggregateQuery,
    /// `format=` when given.
    pub format: Option<Format>,
}

fn bad(param: &str, message: impl Into<String>) -> ApiError {
    ApiError::invalid_field(param, message)
}

fn field<'a>(schema: &'a TableSchema, name: &str, param: &str) -> ApiResult<&'a Field> {
    schema
        .fields
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(|| {
            let known: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
            bad(
                param,
                format!(
                    "'{name}' bukan kolom tabel ini; kolom yang ada: {}.",
                    known.join(", ")
                ),
            )
        })
}

fn typed(schema: &TableSchema, f: &Field, raw: &str, param: &str) -> ApiResult<Value> {
    parse_canonical(f, raw, &schema.missing_values)
        .map_err(|e| bad(param, format!("Filter '{param}': {}", e.message)))
}

fn list(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|p| !p.is_empty())
}

/// The most detailed region-code field of the schema (for `within=` and `rollup=`).
fn region_field(schema: &TableSchema) -> Option<&Field> {
    schema
        .fields
        .iter()
        .filter(|f| f.region_level.is_some())
        .max_by_key(|f| f.region_level)
}

fn level(s: &str) -> Option<Level> {
    match s.trim().to_ascii_lowercase().as_str() {
        "provinsi" | "province" => Some(Level::Provinsi),
        "kabupaten" | "kota" | "kabupaten_kota" | "regency" => Some(Level::Kabupaten),
        "kecamatan" | "district" => Some(Level::Kecamatan),
        "desa" | "kelurahan" | "village" => Some(Level::Desa),
        _ => None,
    }
}

fn level_or_bad(s: &str, param: &str) -> ApiResult<Level> {
    level(s).ok_or_else(|| {
        bad(
            param,
            format!("'{s}' bukan tingkat wilayah; pakai provinsi, kabupaten, kecamatan atau desa."),
        )
    })
}

/// What the common parameters of rows and aggregates set.
#[derive(Default)]
struct Common {
    version: Option<i32>,
    filters: Vec<Filter>,
    format: Option<Format>,
}

/// Read one parameter shared by rows and aggregates; `false` when it is not one of them.
fn common(
    schema: &TableSchema,
    key: &str,
    value: &str,
    c: &mut Common,
    equal: &mut Vec<(String, Vec<Value>)>,
) -> ApiResult<bool> {
    match key {
        "version" => {
            let n: i32 = value
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| bad("version", "version harus nomor versi (1, 2, …)."))?;
            c.version = Some(n);
        }
        "format" => {
            c.format = Some(
                Format::parse(value)
                    .ok_or_else(|| bad("format", "format harus json, csv, ndjson atau xlsx."))?,
            );
        }
        "within" => {
            let f = region_field(schema)
                .ok_or_else(|| bad("within", "Tabel ini tidak punya kolom kode wilayah."))?;
            c.filters.push(Filter {
                field: f.name.clone(),
                op: FilterOp::Within,
                values: vec![Value::Text(value.trim().to_string())],
            });
        }
        "period" => {
            let f = schema
                .fields
                .iter()
                .find(|f| f.period)
                .ok_or_else(|| bad("period", "Tabel ini tidak punya kolom periode."))?;
            let (lo, hi) = match value.split_once("..") {
                Some((lo, hi)) => (lo.trim(), hi.trim()),
                None => (value.trim(), value.trim()),
            };
            if lo.is_empty() && hi.is_empty() {
                return Err(bad(
                    "period",
                    "period butuh batas: 2020..2023, 2020.. atau ..2023.",
                ));
            }
            if !lo.is_empty() {
                c.filters.push(Filter {
                    field: f.name.clone(),
                    op: FilterOp::Ge,
                    values: vec![typed(schema, f, lo, "period")?],
                });
            }
            if !hi.is_empty() {
                c.filters.push(Filter {
                    field: f.name.clone(),
                    op: FilterOp::Le,
                    values: vec![typed(schema, f, hi, "period")?],
                });
            }
        }
        _ => {
            let (name, op) = match key.rsplit_once("__") {
                Some((n, op)) => (n, Some(op)),
                None => (key, None),
            };
            let Some(f) = schema.fields.iter().find(|f| f.name == name) else {
                return Ok(false);
            };
            let op = match op {
                None => {
                    let v = typed(schema, f, value, key)?;
                    match equal.iter_mut().find(|(n, _)| n == name) {
                        Some((_, vs)) => vs.push(v),
                        None => equal.push((name.to_string(), vec![v])),
                    }
                    return Ok(true);
                }
                Some(op) => op,
            };
            let one = |op| -> ApiResult<Filter> {
                Ok(Filter {
                    field: f.name.clone(),
                    op,
                    values: vec![typed(schema, f, value, key)?],
                })
            };
            let filter = match op {
                "eq" | "exact" => one(FilterOp::Eq)?,
                "ne" | "not" => one(FilterOp::Ne)?,
                "lt" => one(FilterOp::Lt)?,
                "le" | "lte" => one(FilterOp::Le)?,
                "gt" => one(FilterOp::Gt)?,
                "ge" | "gte" => one(FilterOp::Ge)?,
                "in" => Filter {
                    field: f.name.clone(),
                    op: FilterOp::In,
                    values: list(value)
                        .map(|v| typed(schema, f, v, key))
                        .collect::<ApiResult<Vec<_>>>()?,
                },
                "like" => Filter {
                    field: f.name.clone(),
                    op: FilterOp::Like,
                    values: vec![Value::Text(value.to_string())],
                },
                "within" => Filter {
                    field: f.name.clone(),
                    op: FilterOp::Within,
                    values: vec![Value::Text(value.trim().to_string())],
                },
                "missing" | "isnull" => match value.trim() {
                    "" | "1" | "true" => Filter {
                        field: f.name.clone(),
                        op: FilterOp::IsMissing,
                        values: vec![],
                    },
                    "0" | "false" => Filter {
                        field: f.name.clone(),
                        op: FilterOp::Ne,
                        values: vec![Value::Null],
                    },
                    _ => return Err(bad(key, format!("{key} harus true atau false."))),
                },
                other => {
                    return Err(bad(
                        key,
                        format!(
                            "Operator '{other}' tidak dikenal; pakai eq, ne, lt, le, gt, ge, in, like, missing atau within."
                        ),
                    ))
                }
            };
            c.filters.push(filter);
        }
    }
    Ok(true)
}

/// Equality parameters (`FIELD=v`, repeated) become `eq`, `in` or `is missing` filters.
fn equal_filters(equal: Vec<(String, Vec<Value>)>, out: &mut Vec<Filter>) -> ApiResult<()> {
    for (name, values) in equal {
        let filter = match values.as_slice() {
            [Value::Null] => Filter {
                field: name,
                op: FilterOp::IsMissing,
                values: vec![],
            },
            [_] => Filter {
                field: name,
                op: FilterOp::Eq,
                values,
            },
            _ if values.iter().any(Value::is_null) => {
                return Err(bad(
                    &name,
                    format!("Filter '{name}': nilai kosong tidak bisa digabung dengan nilai lain."),
                ))
            }
            _ => Filter {
                field: name,
                op: FilterOp::In,
                values,
            },
        };
        out.push(filter);
    }
    Ok(())
}

fn unknown(key: &str, what: &str) -> ApiError {
    bad(
        key,
        format!("Parameter '{key}' bukan kolom tabel ini dan bukan {what}."),
    )
}

fn flag(key: &str, value: &str) -> ApiResult<bool> {
    match value.trim() {
        "" | "1" | "true" | "ya" => Ok(true),
        "0" | "false" | "tidak" => Ok(false),
        _ => Err(bad(key, format!("{key} harus true atau false."))),
    }
}

/// Parse the parameters of a rows request.
pub fn rows_request(schema: &TableSchema, params: &[(String, String)]) -> ApiResult<RowsRequest> {
    let mut query = RowQuery {
        limit: DEFAULT_ROWS,
        ..RowQuery::default()
    };
    let mut c = Common::default();
    let mut equal = vec![];
    let mut explicit_limit = false;
    let mut cursor = None;
    for (key, value) in params {
        match key.as_str() {
            "limit" => {
                let n: u32 = value
                    .parse()
                    .map_err(|_| bad("limit", "limit harus bilangan bulat positif."))?;
                query.limit = n.max(1);
                explicit_limit = true;
            }
            "offset" => {
                query.offset = value
                    .parse()
                    .map_err(|_| bad("offset", "offset harus bilangan bulat 0 atau lebih."))?;
            }
            "total" => query.with_total = flag("total", value)?,
            "cursor" => cursor = Some(value.clone()),
            "select" => {
                for name in list(value) {
                    field(schema, name, "select")?;
                    query.select.push(name.to_string());
                }
            }
            "sort" => {
                for part in list(value) {
                    let (descending, name) = match part.strip_prefix('-') {
                        Some(rest) => (true, rest),
                        None => (false, part.strip_prefix('+').unwrap_or(part)),
                    };
                    if schema.field_index(name).is_none() {
                        return Err(bad(
                            "sort",
                            format!(
                                "Tidak bisa mengurutkan menurut '{name}': kolom itu tidak ada."
                            ),
                        ));
                    }
                    query.sort.push(SortKey {
                        field: name.to_string(),
                        descending,
                    });
                }
            }
            k => {
                if !common(schema, k, value, &mut c, &mut equal)? {
                    return Err(unknown(
                        k,
                        "parameter yang dikenal (limit, offset, cursor, select, sort, version, total, format, within, period)",
                    ));
                }
            }
        }
    }
    equal_filters(equal, &mut c.filters)?;
    query.version = c.version;
    query.filters = c.filters;
    if let Some(token) = cursor {
        query.after = Some(decode_cursor(schema, &query.sort, &token)?);
    }
    let format = c.format;
    // A JSON page is bounded; exports stream every row (or `limit` rows when given).
    if matches!(format, None | Some(Format::Json)) {
        query.limit = query.limit.min(MAX_ROWS);
    }
    Ok(RowsRequest {
        query,
        format,
        explicit_limit,
    })
}

/// Parse the parameters of an aggregate request.
pub fn aggregate_request(
    schema: &TableSchema,
    params: &[(String, String)],
) -> ApiResult<AggregateRequest> {
    let mut query = AggregateQuery {
        limit: DEFAULT_GROUPS,
        ..AggregateQuery::default()
    };
    let mut c = Common::default();
    let mut equal = vec![];
    let mut rollup = None;
    for (key, value) in params {
        let k = key.as_str();
        if let Some(func) = AggFn::parse(k) {
            let fields: Vec<&str> = list(value).filter(|f| *f != "*").collect();
            if fields.is_empty() {
                if func != AggFn::Count {
                    return Err(bad(
                        k,
                        format!("{k} butuh nama kolom, misalnya {k}=jumlah."),
                    ));
                }
                query.aggregates.push(Aggregate { func, field: None });
            }
            for name in fields {
                field(schema, name, k)?;
                query.aggregates.push(Aggregate {
                    func,
                    field: Some(name.to_string()),
                });
            }
            continue;
        }
        match k {
            "limit" => {
                let n: u32 = value
                    .parse()
                    .map_err(|_| bad("limit", "limit harus bilangan bulat positif."))?;
                query.limit = n.clamp(1, MAX_GROUPS);
            }
            "offset" => {
                query.offset = value
                    .parse()
                    .map_err(|_| bad("offset", "offset harus bilangan bulat 0 atau lebih."))?;
            }
            "group_by" => {
                for part in list(value) {
                    let (name, lvl) = match part.split_once(':') {
                        Some((n, l)) => (n, Some(level_or_bad(l, "group_by")?)),
                        None => (part, None),
                    };
                    field(schema, name, "group_by")?;
                    query.group_by.push(GroupBy {
                        field: name.to_string(),
                        level: lvl,
                    });
                }
            }
            "rollup" => rollup = Some(level_or_bad(value, "rollup")?),
            "sort" => {
                for part in list(value) {
                    let (descending, name) = match part.strip_prefix('-') {
                        Some(rest) => (true, rest),
                        None => (false, part.strip_prefix('+').unwrap_or(part)),
                    };
                    query.sort.push(AggSort {
                        column: name.to_string(),
                        descending,
                    });
                }
            }
            _ => {
                if !common(schema, k, value, &mut c, &mut equal)? {
                    return Err(unknown(
                        k,
                        "parameter agregat (group_by, rollup, count, count_distinct, sum, avg, min, max, sort, limit, offset, version, format, within, period)",
                    ));
                }
            }
        }
    }
    if let Some(l) = rollup {
        let region_keys: Vec<usize> = query
            .group_by
            .iter()
            .enumerate()
            .filter(|(_, g)| {
                schema
                    .fields
                    .iter()
                    .any(|f| f.name == g.field && f.region_level.is_some())
            })
            .map(|(i, _)| i)
            .collect();
        if region_keys.is_empty() {
            let f = region_field(schema).ok_or_else(|| {
                bad(
                    "rollup",
                    "Tabel ini tidak punya kolom kode wilayah untuk digulung.",
                )
            })?;
            query.group_by.insert(
                0,
                GroupBy {
                    field: f.name.clone(),
                    level: Some(l),
                },
            );
        } else {
            for i in region_keys {
                query.group_by[i].level.get_or_insert(l);
            }
        }
    }
    equal_filters(equal, &mut c.filters)?;
    query.version = c.version;
    query.filters = c.filters;
    Ok(AggregateRequest {
        query,
        format: c.format,
    })
}

// ---------------------------------------------------------------- cursors

fn cursor_value(v: &Value) -> serde_json::Value {
    match v {
        // Date-times keep their microseconds: the cursor must match the stored value exactly.
        Value::DateTime(t) => t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string().into(),
        other => other.to_json(),
    }
}

/// An opaque keyset cursor: base64url of `[sort spec, [keys…], _ord]`.
pub fn encode_cursor(sort: &[SortKey], c: &Cursor) -> String {
    let spec: Vec<String> = sort
        .iter()
        .map(|s| format!("{}{}", if s.descending { "-" } else { "" }, s.field))
        .collect();
    let keys: Vec<serde_json::Value> = c.keys.iter().map(cursor_value).collect();
    let doc = serde_json::json!([spec.join(","), keys, c.ord]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(doc.to_string())
}

/// Read a cursor made by [`encode_cursor`] for a query sorted by `sort`.
pub fn decode_cursor(schema: &TableSchema, sort: &[SortKey], token: &str) -> ApiResult<Cursor> {
    let invalid = || {
        bad(
            "cursor",
            "Kursor tidak sah. Pakai nilai next_cursor dari halaman sebelumnya, dengan sort dan filter yang sama.",
        )
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim())
        .map_err(|_| invalid())?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    let (Some(spec), Some(keys), Some(ord)) = (doc[0].as_str(), doc[1].as_array(), doc[2].as_i64())
    else {
        return Err(invalid());
    };
    let want: Vec<String> = sort
        .iter()
        .map(|s| format!("{}{}", if s.descending { "-" } else { "" }, s.field))
        .collect();
    if spec != want.join(",") || keys.len() != sort.len() {
        return Err(bad(
            "cursor",
            "Kursor ini dibuat untuk urutan (sort) lain; minta halaman pertama lagi.",
        ));
    }
    let mut values = vec![];
    for (k, s) in keys.iter().zip(sort) {
        let f = field(schema, &s.field, "cursor")?;
        let v = match (k, f.storage_type()) {
            (serde_json::Value::Null, _) => Value::Null,
            (k, StorageType::Integer) => Value::Int(k.as_i64().ok_or_else(invalid)?),
            (k, StorageType::Real) => Value::Num(k.as_f64().ok_or_else(invalid)?),
            (k, StorageType::Boolean) => Value::Bool(k.as_bool().ok_or_else(invalid)?),
            (serde_json::Value::String(t), StorageType::Text) => Value::Text(t.clone()),
            (serde_json::Value::String(t), StorageType::Date) => Value::Date(
                chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| invalid())?,
            ),
            (serde_json::Value::String(t), StorageType::DateTime) => Value::DateTime(
                chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
                    .map_err(|_| invalid())?,
            ),
            _ => return Err(invalid()),
        };
        values.push(v);
    }
    Ok(Cursor { keys: values, ord })
}

#[cfg(test)]
mod tests {
    use super::*;
    use satudata_core::schema::FieldType;

    fn schema() -> TableSchema {
        let mut desa = Field::new("kode_desa", FieldType::String);
        desa.region_level = Some(Level::Desa);
        let mut tahun = Field::new("tahun", FieldType::Year);
        tahun.period = true;
        TableSchema::new(vec![
            desa,
            tahun,
            Field::new("jumlah", FieldType::Integer),
            Field::new("dicatat", FieldType::Datetime),
            Field::new("nama", FieldType::String),
        ])
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn rows_parameters_become_a_typed_query() {
        let r = rows_request(
            &schema(),
            &p(&[
                ("within", "1606010"),
                ("period", "2020..2022"),
                ("jumlah__gte", "10"),
                ("nama__like", "%sari%"),
                ("jumlah__in", "1,2,3"),
                ("nama__missing", "false"),
                ("tahun", "2021"),
                ("tahun", "2022"),
                ("select", "kode_desa,jumlah"),
                ("sort", "-jumlah"),
                ("limit", "5000"),
                ("total", "false"),
            ]),
        )
        .unwrap();
        let q = &r.query;
        let ops: Vec<(&str, FilterOp)> =
            q.filters.iter().map(|f| (f.field.as_str(), f.op)).collect();
        assert_eq!(
            ops,
            [
                ("kode_desa", FilterOp::Within),
                ("tahun", FilterOp::Ge),
                ("tahun", FilterOp::Le),
                ("jumlah", FilterOp::Ge),
                ("nama", FilterOp::Like),
                ("jumlah", FilterOp::In),
                ("nama", FilterOp::Ne),
                ("tahun", FilterOp::In),
            ]
        );
        assert_eq!(q.filters[5].values.len(), 3);
        assert_eq!(q.select, ["kode_desa", "jumlah"]);
        assert_eq!(q.limit, MAX_ROWS, "a JSON page is capped");
        assert!(!q.with_total && r.explicit_limit);
        let csv = rows_request(&schema(), &p(&[("format", "csv"), ("limit", "5000")])).unwrap();
        assert_eq!(csv.query.limit, 5000, "exports are not capped");
    }

    #[test]
    fn mistakes_name_the_parameter() {
        for bad in [
            ("tahun", "dua ribu"),
            ("nama_lengkap", "x"),
            ("jumlah__between", "1"),
            ("sort", "-nama_lengkap"),
            ("select", "x"),
            ("version", "0"),
            ("format", "pdf"),
            ("period", ".."),
            ("cursor", "bukan-kursor"),
            ("jumlah__missing", "mungkin"),
        ] {
            let e = rows_request(&schema(), &p(&[bad])).unwrap_err();
            assert_eq!(e.status(), 422, "{bad:?}");
        }
        for bad in [
            ("sum", ""),
            ("group_by", "kode:kota_besar"),
            ("rollup", "dusun"),
            ("median", "jumlah"),
        ] {
            let e = aggregate_request(&schema(), &p(&[bad])).unwrap_err();
            assert_eq!(e.status(), 422, "{bad:?}");
        }
    }

    #[test]
    fn aggregates_and_rollups() {
        let a = aggregate_request(
            &schema(),
            &p(&[
                ("rollup", "kecamatan"),
                ("count", ""),
                ("sum", "jumlah"),
                ("avg", "jumlah"),
                ("sort", "-count"),
                ("tahun", "2024"),
            ]),
        )
        .unwrap();
        let q = a.query;
        assert_eq!(
            q.group_by,
            [GroupBy {
                field: "kode_desa".into(),
                level: Some(Level::Kecamatan)
            }]
        );
        assert_eq!(q.aggregates.len(), 3);
        assert_eq!(q.aggregates[0].field, None);
        assert!(q.sort[0].descending);
        assert_eq!(q.filters[0].op, FilterOp::Eq);
        let a = aggregate_request(
            &schema(),
            &p(&[("group_by", "kode_desa:kabupaten,tahun"), ("count", "*")]),
        )
        .unwrap();
        assert_eq!(a.query.group_by[0].level, Some(Level::Kabupaten));
        assert_eq!(a.query.group_by[1].level, None);
    }

    #[test]
    fn cursors_round_trip_and_check_the_sort() {
        let s = schema();
        let sort = vec![SortKey {
            field: "dicatat".into(),
            descending: true,
        }];
        let t = chrono::NaiveDate::from_ymd_opt(2024, 3, 1)
            .unwrap()
            .and_hms_micro_opt(1, 2, 3, 456)
            .unwrap();
        let c = Cursor {
            keys: vec![Value::DateTime(t)],
            ord: 1 << 40,
        };
        let token = encode_cursor(&sort, &c);
        assert_eq!(decode_cursor(&s, &sort, &token).unwrap(), c);
        assert_eq!(decode_cursor(&s, &[], &token).unwrap_err().status(), 422);
    }
}
