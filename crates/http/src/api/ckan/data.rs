//! Data sent with `resource_create` (and with the resources of `package_create`): `records`, a list
//! of objects keyed by field name (as CKAN's `datastore_create`), or a CSV file uploaded as
//! `upload` (multipart; `ckanapi action resource_create … upload@data.csv`) whose header holds the
//! field names and whose cells are in canonical form.
//!
//! The data never goes public directly: it becomes a **draft** version, the same as an upload
//! through `/api/v1`, and with `submit=true` the produsen submits it at once (the automatic checks
//! run and the walidata is notified). The public reads it only after the walidata publishes it.
//! Every row is typed before anything is written, so a bad cell changes nothing.

use satudata_core::dataset::Resource;
use satudata_core::review::ReviewAction;
use satudata_core::row::Row;
use satudata_core::schema::TableSchema;
use satudata_core::value::{parse_canonical, Value as Cell};
use satudata_store::{NewVersion, VecRowSource};
use serde_json::{json, Value};

use super::{Caller, CkanError, Params};
use crate::state::AppState;

/// Rows at most in one call (the body limit bounds them too).
const MAX_ROWS: usize = 100_000;

fn cell_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn typed_row(
    schema: &TableSchema,
    texts: Vec<Option<String>>,
    row: usize,
    field: &str,
) -> Result<Row, CkanError> {
    schema
        .fields
        .iter()
        .zip(texts)
        .map(|(f, t)| match t {
            None => Ok(Cell::Null),
            Some(t) if t.is_empty() => Ok(Cell::Null),
            Some(t) => parse_canonical(f, &t, &schema.missing_values).map_err(|e| {
                CkanError::field(
                    field,
                    format!("Baris {row}, kolom '{}': {}", f.name, e.message),
                )
            }),
        })
        .collect()
}

fn from_records(schema: &TableSchema, records: &[Value]) -> Result<Vec<Row>, CkanError> {
    let mut rows = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let texts: Vec<Option<String>> = match r {
            Value::Object(m) => {
                if let Some(k) = m
                    .keys()
                    .find(|k| *k != "_id" && schema.field_index(k).is_none())
                {
                    return Err(CkanError::field(
                        "records",
                        format!("Baris {}: kolom '{k}' tidak ada di skema.", i + 1),
                    ));
                }
                schema
                    .fields
                    .iter()
                    .map(|f| m.get(&f.name).and_then(cell_text))
                    .collect()
            }
            Value::Array(a) if a.len() == schema.fields.len() => a.iter().map(cell_text).collect(),
            _ => {
                return Err(CkanError::field(
                    "records",
                    format!(
                        "Baris {}: harus objek {{\"kolom\": nilai}} atau daftar {} nilai.",
                        i + 1,
                        schema.fields.len()
                    ),
                ))
            }
        };
        rows.push(typed_row(schema, texts, i + 1, "records")?);
    }
    Ok(rows)
}

fn from_csv(schema: &TableSchema, text: &str) -> Result<Vec<Row>, CkanError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| CkanError::field("upload", format!("CSV tidak terbaca: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut positions = vec![];
    for f in &schema.fields {
        positions.push(header.iter().position(|h| *h == f.name));
    }
    if let Some(h) = header.iter().find(|h| schema.field_index(h).is_none()) {
        return Err(CkanError::field(
            "upload",
            format!("Kolom '{h}' tidak ada di skema; baris judul harus nama kolom skema."),
        ));
    }
    let mut rows = vec![];
    for (i, rec) in reader.records().enumerate() {
        // Row numbers as in the file: the header is row 1.
        let rec = rec.map_err(|e| {
            CkanError::field("upload", format!("Baris {}: CSV tidak terbaca: {e}", i + 2))
        })?;
        let texts = positions
            .iter()
            .map(|p| p.and_then(|p| rec.get(p)).map(str::to_string))
            .collect();
        rows.push(typed_row(schema, texts, i + 2, "upload")?);
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    Ok(rows)
}

/// The rows sent with a resource (`records` or an uploaded CSV), typed to `schema`; `None` when
/// the call carries no data.
pub fn read_rows(p: &Params, schema: &TableSchema) -> Result<Option<Vec<Row>>, CkanError> {
    let rows = match p.0.get("records") {
        None | Some(Value::Null) => match p.0.get("upload") {
            Some(Value::String(text)) if text != super::request::FILE_MARK => {
                Some(from_csv(schema, text)?)
            }
            Some(Value::String(_)) => {
                return Err(CkanError::field(
                    "upload",
                    "Berkas harus CSV UTF-8 dengan nama kolom skema di baris pertama.",
                ))
            }
            _ => None,
        },
        Some(Value::Array(a)) => Some(from_records(schema, a)?),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Array(a)) => Some(from_records(schema, &a)?),
            _ => {
                return Err(CkanError::field(
                    "records",
                    "Harus daftar JSON, misalnya [{\"tahun\": 2024, \"jumlah\": 12}].",
                ))
            }
        },
        Some(_) => return Err(CkanError::field("records", "Harus daftar JSON.")),
    };
    if rows.as_ref().is_some_and(|r| r.len() > MAX_ROWS) {
        return Err(CkanError::field(
            "records",
            format!("Paling banyak {MAX_ROWS} baris sekali kirim; unggah berkas besar lewat /api/v1/resources/{{id}}/uploads."),
        ));
    }
    Ok(rows)
}

/// Store `rows` as a draft version of `resource` (and submit it when `submit`); the version's
/// number, state and review link, for the answer.
pub async fn store_rows(
    state: &AppState,
    caller: &Caller,
    resource: &Resource,
    rows: Vec<Row>,
    submit: bool,
) -> Result<Value, CkanError> {
    let version = state
        .store
        .create_draft_version(
            resource.id,
            NewVersion {
                actor: caller.user_id,
                summary: "lewat API CKAN".into(),
            },
            &mut VecRowSource::new(rows),
        )
        .await?;
    let mut st = "draf".to_string();
    let mut checks = Value::Null;
    if submit {
        let auth = crate::auth::Auth {
            principal: caller.principal.clone(),
            user: caller.user.clone(),
            session: None,
            via: crate::auth::Via::Token,
        };
        let answer = crate::api::review::act(
            state,
            &auth,
            &caller.trail,
            resource.id,
            version.number,
            ReviewAction::Submit,
            Ok(crate::api::review::ReviewRequest::default()),
        )
        .await
        .map_err(|e| {
            let p = e.problem();
            match p.status {
                403 => CkanError::Authorization(p.detail),
                404 => CkanError::NotFound(p.detail),
                _ => CkanError::field("submit", p.detail),
            }
        })?;
        st = serde_json::to_value(answer.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or(st);
        checks = serde_json::to_value(&answer.checks).unwrap_or(Value::Null);
    }
    Ok(json!({
        "number": version.number,
        "row_count": version.row_count,
        "state": st,
        "checks": checks,
        "review": state.url(&format!(
            "/api/v1/resources/{}/versions/{}/review",
            resource.id, version.number
        )),
        "note": "Data belum terbit: walidata memeriksa dan menerbitkannya (pemeriksaan).",
    }))
}

/// Add the version made from the call's data to a resource dict (`satudata_version`).
pub fn attach_version(dict: &mut Value, version: Option<Value>) {
    if let (Some(v), Some(o)) = (version, dict.as_object_mut()) {
        o.insert("satudata_version".into(), v);
    }
}
