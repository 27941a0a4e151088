//! `datastore_search` over a table resource's typed rows: `filters`, `q`, `fields`, `sort`,
//! `limit`, `offset`, `include_total`, `records_format` (`objects`, `lists`, `csv`, `tsv`).

use satudata_core::dataset::ResourceKind;
use satudata_core::row::{Filter, FilterOp, Row, RowQuery, SortKey};
use satudata_core::schema::TableSchema;
use satudata_core::value::{parse_canonical, Value as Cell};
use satudata_interop::ckan::datastore_fields;
use serde_json::{json, Map, Value};

use super::{Caller, CkanError, CkanResult, Params};
use crate::publish::can_read_data;
use crate::state::AppState;

/// The most rows one call returns (CKAN's default `ckan.datastore.search.rows_max`).
const ROWS_MAX: u64 = 32_000;

fn typed(schema: &TableSchema, field: &str, v: &Value) -> Result<Cell, CkanError> {
    let f = &schema.fields[schema
        .field_index(field)
        .ok_or_else(|| CkanError::field("filters", format!("Kolom '{field}' tidak ada.")))?];
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Null => return Ok(Cell::Null),
        other => other.to_string(),
    };
    parse_canonical(f, &text, &schema.missing_values)
        .map_err(|e| CkanError::field("filters", format!("Kolom '{field}': {}", e.message)))
}

fn object_param(p: &Params, key: &str) -> Result<Option<Map<String, Value>>, CkanError> {
    match p.0.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => Ok(Some(m)),
            _ if key == "q" => Ok(None),
            _ => Err(CkanError::field(
                key,
                "Harus objek JSON, misalnya {\"tahun\": 2024}.",
            )),
        },
        Some(_) => Err(CkanError::field(key, "Harus objek JSON.")),
    }
}

fn matches_text(row: &Row, needle: &str) -> bool {
    row.iter()
        .any(|c| c.to_text().to_lowercase().contains(needle))
}

/// `datastore_search`.
pub async fn datastore_search(state: &AppState, caller: &Caller, p: &Params) -> CkanResult {
    let id = p
        .str("resource_id")
        .or_else(|| p.str("id"))
        .ok_or_else(|| CkanError::field("resource_id", "Wajib diisi (Missing value)."))?;
    let rid: satudata_core::Id = id
        .parse()
        .map_err(|_| CkanError::NotFound(format!("Resource \"{id}\" was not found.")))?;
    let resource = state
        .store
        .get_resource(rid)
        .await?
        .ok_or_else(|| CkanError::NotFound(format!("Resource \"{id}\" was not found.")))?;
    let dataset =
        super::read::visible_dataset(state, caller, &resource.dataset_id.to_string()).await?;
    if !can_read_data(&caller.principal, &dataset) {
        return Err(CkanError::Authorization(
            "data ini terbatas; perlu token yang berwenang".into(),
        ));
    }
    let ResourceKind::Table { schema } = &resource.kind else {
        return Err(CkanError::NotFound(format!(
            "Resource \"{id}\" has no datastore table."
        )));
    };
    // Restricted data: every read is in the audit log, as for the data API.
    crate::audit_trail::restricted_read(
        &caller.trail,
        &dataset,
        &format!("ckan datastore_search {rid}"),
    );
    let limit = p.uint("limit")?.unwrap_or(100).min(ROWS_MAX);
    let offset = p.uint("offset")?.unwrap_or(0);
    let include_total = p.bool("include_total", true);
    let format = p.str("records_format").unwrap_or_else(|| "objects".into());
    if !matches!(format.as_str(), "objects" | "lists" | "csv" | "tsv") {
        return Err(CkanError::field(
            "records_format",
            "Pilih objects, lists, csv atau tsv.",
        ));
    }
    // Only published versions are data; drafts and submissions are read through the review API.
    let version = match p.uint("version")? {
        Some(v) => {
            let n =
                i32::try_from(v).map_err(|_| CkanError::field("version", "Versi tidak sah."))?;
            let published = crate::api::review::version_state(state, rid, n).await.ok()
                == Some(satudata_core::review::ReviewState::Terbit);
            if !published {
                return Err(CkanError::NotFound(format!("versi {n}")));
            }
            Some(n)
        }
        None => None,
    };
    let mut query = RowQuery {
        version,
        limit: limit as u32,
        offset,
        with_total: include_total,
        ..RowQuery::default()
    };
    if let Some(filters) = object_param(p, "filters")? {
        for (k, v) in filters {
            let values = match &v {
                Value::Array(a) => a
                    .iter()
                    .map(|x| typed(schema, &k, x))
                    .collect::<Result<Vec<_>, _>>()?,
                other => vec![typed(schema, &k, other)?],
            };
            let op = if values.len() == 1 {
                FilterOp::Eq
            } else {
                FilterOp::In
            };
            query.filters.push(Filter {
                field: k,
                op,
                values,
            });
        }
    }
    // q as an object: a substring per column (LIKE); as text: any column.
    let mut text_q = None;
    match object_param(p, "q")? {
        Some(m) => {
            for (k, v) in m {
                if schema.field_index(&k).is_none() {
                    return Err(CkanError::field("q", format!("Kolom '{k}' tidak ada.")));
                }
                let s = v
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string());
                query.filters.push(Filter {
                    field: k,
                    op: FilterOp::Like,
                    values: vec![Cell::Text(format!("%{s}%"))],
                });
            }
        }
        None => {
            text_q = p
                .str("q")
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
        }
    }
    if let Some(s) = p.str("sort").filter(|s| !s.trim().is_empty()) {
        for part in s.split(',') {
            let mut w = part.split_whitespace();
            let field = w.next().unwrap_or("").trim_matches('"').to_string();
            let descending = matches!(
                w.next().map(str::to_ascii_lowercase).as_deref(),
                Some("desc")
            );
            if field == "_id" {
                continue;
            }
            if schema.field_index(&field).is_none() {
                return Err(CkanError::field(
                    "sort",
                    format!("Kolom '{field}' tidak ada."),
                ));
            }
            query.sort.push(SortKey { field, descending });
        }
    }
    let (rows, total) = if let Some(needle) = text_q {
        // Free text over every column: scan the version (tables are bounded by the rows stored).
        let mut q = query.clone();
        q.limit = 10_000;
        q.offset = 0;
        q.with_total = false;
        let mut hits: Vec<Row> = vec![];
        let mut seen: u64 = 0;
        loop {
            let page = state.store.query_rows(rid, &q).await?;
            let n = page.rows.len();
            for r in page.rows {
                if matches_text(&r, &needle) {
                    if seen >= offset && (hits.len() as u64) < limit {
                        hits.push(r);
                    }
                    seen += 1;
                }
            }
            if n < q.limit as usize {
                break;
            }
            q.offset += n as u64;
        }
        (hits, Some(seen))
    } else {
        let page = state
            .store
            .query_rows(rid, &query)
            .await
            .map_err(|e| match e {
                satudata_store::StoreError::Invalid(m) => CkanError::field("filters", m),
                other => other.into(),
            })?;
        (page.rows, page.total)
    };
    let all_fields = datastore_fields(schema);
    let wanted = p.list("fields");
    let keep: Vec<usize> = if wanted.is_empty() {
        (0..all_fields.len()).collect()
    } else {
        let mut k = vec![];
        for w in &wanted {
            match all_fields.iter().position(|f| f["id"] == *w.as_str()) {
                Some(i) => k.push(i),
                None => {
                    return Err(CkanError::field(
                        "fields",
                        format!("Kolom '{w}' tidak ada."),
                    ))
                }
            }
        }
        k
    };
    let fields: Vec<Value> = keep.iter().map(|&i| all_fields[i].clone()).collect();
    let cells = |i: usize, row: &Row| -> Vec<Value> {
        keep.iter()
            .map(|&k| {
                if k == 0 {
                    json!(offset + i as u64 + 1)
                } else {
                    row[k - 1].to_json()
                }
            })
            .collect()
    };
    let records = match format.as_str() {
        "objects" => Value::Array(
            rows.iter()
                .enumerate()
                .map(|(i, r)| {
                    let vals = cells(i, r);
                    Value::Object(
                        fields
                            .iter()
                            .zip(vals)
                            .map(|(f, v)| (f["id"].as_str().unwrap_or("").to_string(), v))
                            .collect(),
                    )
                })
                .collect(),
        ),
        "lists" => Value::Array(
            rows.iter()
                .enumerate()
                .map(|(i, r)| Value::Array(cells(i, r)))
                .collect(),
        ),
        sep => {
            let mut w = csv::WriterBuilder::new()
                .delimiter(if sep == "tsv" { b'\t' } else { b',' })
                .from_writer(vec![]);
            for (i, r) in rows.iter().enumerate() {
                let rec: Vec<String> = cells(i, r)
                    .into_iter()
                    .map(|v| match v {
                        Value::String(s) => s,
                        Value::Null => String::new(),
                        other => other.to_string(),
                    })
                    .collect();
                let _ = w.write_record(&rec);
            }
            Value::String(String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default())
        }
    };
    let base = format!("/api/3/action/datastore_search?resource_id={rid}");
    let mut out = json!({
        "include_total": include_total,
        "resource_id": rid,
        "fields": fields,
        "records_format": format,
        "records": records,
        "limit": limit,
        "offset": offset,
        "_links": {"start": base, "next": format!("{base}&offset={}", offset + limit)},
        "total_was_estimated": false,
    });
    if let Some(f) = p.0.get("filters") {
        out["filters"] = f.clone();
    }
    if let Some(q) = p.0.get("q") {
        out["q"] = q.clone();
    }
    if include_total {
        out["total"] = json!(total.unwrap_or(0));
    }
    state.usage.api_call(dataset.id);
    Ok(out)
}
