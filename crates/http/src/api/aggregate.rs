//! Group-by and aggregates over a table version: `/api/v1/datasets/{slug}/aggregate` and
//! `/api/v1/resources/{id}/aggregate`, with rollups of region codes along the hierarchy (desa →
//! kecamatan → kabupaten). What may be summed follows the fields' units (and the dataset's satuan):
//! percentages, ratios and indices are never added up. Answers of a version never change, so they
//! are cached in process and carry strong ETags.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use satudata_core::aggregate::{plan, AggColumn};
use satudata_core::dataset::{Dataset, Resource};
use satudata_core::region::{RegionCode, Regions};
use satudata_core::row::Row;
use satudata_core::value::Value;
use satudata_core::Id;
use serde::Serialize;
use tokio::sync::mpsc;
use utoipa::{IntoParams, ToSchema};

use super::find_resource;
use super::rows::{allow_data, dataset_table, raw_query, table_schema, version_for};
use crate::auth::Auth;
use crate::dataapi::export::{self, Format, Sheet};
use crate::dataapi::query::aggregate_request;
use crate::dataapi::{file_headers, negotiate, take_quota, ClientAddr, Validators};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Path, Query};
use crate::state::AppState;

/// Groups and their figures.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "version": 3,
    "columns": [
        {"name": "kode_desa", "role": "group", "field": "kode_desa", "level": "kecamatan"},
        {"name": "count", "role": "count", "unit": "baris"},
        {"name": "sum_jumlah_penduduk", "role": "sum", "field": "jumlah_penduduk", "unit": "jiwa"}
    ],
    "rows": [["16.06.01", 22, 35120], ["16.06.02", 18, 28004]],
    "notes": [],
    "region_names": {"16.06.01": "Sekayu", "16.06.02": "Lais"},
    "limit": 1000, "offset": 0
}))]
pub struct AggregateAnswer {
    /// The version the figures are about.
    pub version: i32,
    /// The result columns: group keys, then aggregates (with units).
    pub columns: Vec<AggColumn>,
    /// One row per group, cells in the order of `columns`.
    #[schema(value_type = Vec<Vec<serde_json::Value>>)]
    pub rows: Vec<Row>,
    /// What the figures mean where it is not obvious (Bahasa Indonesia).
    pub notes: Vec<String>,
    /// Names of the region codes in region group keys.
    pub region_names: BTreeMap<String, String>,
    pub limit: u32,
    pub offset: u64,
}

/// The aggregate query language. Filters (`FIELD=v`, `FIELD__OP=v`, `within`, `period`) are those
/// of rows; at least one aggregate is needed.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct AggregateParams {
    /// Group keys, comma-separated; `FIELD:LEVEL` rolls a region-code field up to `provinsi`,
    /// `kabupaten`, `kecamatan` or `desa`.
    #[param(example = "kode_desa:kecamatan")]
    group_by: Option<String>,
    /// Roll the region group keys (or, without `group_by`, the table's region field) up to this
    /// level.
    #[param(example = "kecamatan")]
    rollup: Option<String>,
    /// Count rows (`count` or `count=*`), or non-missing cells of fields.
    count: Option<String>,
    /// Count distinct values of fields.
    count_distinct: Option<String>,
    /// Sum fields (refused for percentages, ratios, indices and averages).
    #[param(example = "jumlah_penduduk")]
    sum: Option<String>,
    /// Unweighted mean of fields.
    avg: Option<String>,
    /// Smallest value of fields.
    min: Option<String>,
    /// Largest value of fields.
    max: Option<String>,
    /// Order of the groups by result columns (`-` descending); default the group keys.
    #[param(example = "-count")]
    sort: Option<String>,
    /// Groups per answer (default 1000, at most 10000).
    limit: Option<u32>,
    /// Groups to skip.
    offset: Option<u64>,
    /// The version (default: the latest published one).
    version: Option<i32>,
    /// Rows of this region and everything in it.
    #[param(example = "16.06.01")]
    within: Option<String>,
    /// A range of the period field: `2020..2023`.
    period: Option<String>,
    /// `json` (default, or from `Accept`), `csv`, `ndjson` or `xlsx`.
    format: Option<String>,
}

/// Aggregates of the dataset's first table.
#[utoipa::path(get, path = "/api/v1/datasets/{slug}/aggregate", tag = super::tags::DATA,
    params(("slug" = String, Path, description = "Dataset slug or id"), AggregateParams),
    responses(
        (status = 200, description = "Groups and figures, with ETag and Last-Modified",
            content(
                (AggregateAnswer = "application/json"),
                (String = "text/csv", example = "kode_desa,count,sum_jumlah_penduduk\n16.06.01,22,35120\n"),
                (String = "application/x-ndjson"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        (status = 304, description = "Not modified"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad query, or an aggregate the units do not allow (a sum of percentages)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn dataset_aggregate(
    State(state): State<AppState>,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let quota = match take_quota(&state, &auth, addr) {
        Ok(q) => q,
        Err(res) => return *res,
    };
    let result = async {
        let (dataset, resource) = dataset_table(&state, &auth, &slug).await?;
        crate::audit_trail::restricted_read(&trail, &dataset, "aggregate");
        aggregate(&state, &headers, &resource, &dataset, params).await
    }
    .await;
    let mut res = result.unwrap_or_else(IntoResponse::into_response);
    quota.apply(res.headers_mut());
    res
}

/// Aggregates of a table resource.
#[utoipa::path(get, path = "/api/v1/resources/{id}/aggregate", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Resource id"), AggregateParams),
    responses(
        (status = 200, description = "Groups and figures, with ETag and Last-Modified",
            content(
                (AggregateAnswer = "application/json"),
                (String = "text/csv"),
                (String = "application/x-ndjson"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        (status = 304, description = "Not modified"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn resource_aggregate(
    State(state): State<AppState>,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    addr: ClientAddr,
    headers: HeaderMap,
    Path(id): Path<Id>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let quota = match take_quota(&state, &auth, addr) {
        Ok(q) => q,
        Err(res) => return *res,
    };
    let result = async {
        let (resource, dataset) = find_resource(&state, id).await?;
        allow_data(&auth, &dataset)?;
        crate::audit_trail::restricted_read(&trail, &dataset, "aggregate");
        aggregate(&state, &headers, &resource, &dataset, params).await
    }
    .await;
    let mut res = result.unwrap_or_else(IntoResponse::into_response);
    quota.apply(res.headers_mut());
    res
}

async fn aggregate(
    state: &AppState,
    headers: &HeaderMap,
    resource: &Resource,
    dataset: &Dataset,
    params: Vec<(String, String)>,
) -> ApiResult<Response> {
    let schema = table_schema(resource)?;
    let request = aggregate_request(schema, &params)?;
    let format = negotiate(request.format, headers);
    let mut query = request.query;
    // The dataset's satuan speaks for numeric fields without a unit of their own.
    plan(schema, &query, dataset.meta.satuan.as_deref())
        .map_err(|m| ApiError::invalid(m, vec![]))?;
    let version = version_for(state, resource.id, query.version).await?;
    let validators = version.as_ref().map(|v| {
        Validators::new(
            resource.id,
            v,
            &raw_query(&params),
            format,
            query.version.is_some(),
            dataset.meta.access,
        )
    });
    if let Some(v) = &validators {
        if v.not_modified(headers) {
            return Ok(v.not_modified_response());
        }
    }
    let page = match &version {
        Some(v) => {
            query.version = Some(v.number);
            let key = format!("{}:{}:{:?}", resource.id, v.number, query);
            state
                .data_api
                .cache
                .get_or_compute(&key, async {
                    state
                        .store
                        .aggregate_rows(resource.id, &query)
                        .await
                        .map(std::sync::Arc::new)
                })
                .await?
        }
        None => std::sync::Arc::new(state.store.aggregate_rows(resource.id, &query).await?),
    };

    let mut res = if format == Format::Json {
        let mut names = BTreeMap::new();
        let regions = Regions::get();
        for (i, c) in page.columns.iter().enumerate() {
            if c.role != "group" || c.level.is_none() {
                continue;
            }
            for r in &page.rows {
                if let Some(Value::Text(code)) = r.get(i) {
                    if names.contains_key(code) {
                        continue;
                    }
                    if let Some(region) = RegionCode::parse(code)
                        .ok()
                        .and_then(|rc| regions.by_code(&rc))
                    {
                        names.insert(code.clone(), region.display_name());
                    }
                }
            }
        }
        axum::Json(AggregateAnswer {
            version: page.version,
            columns: page.columns.clone(),
            rows: page.rows.clone(),
            notes: page.notes.clone(),
            region_names: names,
            limit: page.limit,
            offset: page.offset,
        })
        .into_response()
    } else {
        let (tx, rx) = mpsc::channel(1);
        let rows = page.rows.clone();
        let n = rows.len() as u64;
        let done = tokio::spawn(async move {
            let _ = tx.send(rows).await;
            Ok(n)
        });
        let sheet = Sheet {
            names: page.columns.iter().map(|c| c.name.clone()).collect(),
            headers: page
                .columns
                .iter()
                .map(|c| match &c.unit {
                    Some(u) if c.role != "group" => format!("{} ({u})", c.name),
                    _ => c.name.clone(),
                })
                .collect(),
            meta: std::iter::once(("Judul".to_string(), dataset.meta.title.clone()))
                .chain(std::iter::once((
                    "Versi".to_string(),
                    page.version.to_string(),
                )))
                .chain(std::iter::once(("Kueri".to_string(), raw_query(&params))))
                .chain(
                    page.notes
                        .iter()
                        .map(|n| ("Catatan".to_string(), n.clone())),
                )
                .collect(),
        };
        export::stream(format, sheet, rx, done).into_response()
    };
    let name = format!(
        "{}-{}-agregat{}",
        dataset.meta.slug,
        resource.name,
        version
            .as_ref()
            .map(|v| format!("-v{}", v.number))
            .unwrap_or_default()
    );
    file_headers(res.headers_mut(), format, &name);
    if let Some(v) = &validators {
        v.apply(res.headers_mut());
    }
    super::rows::count_use(state, dataset, format);
    Ok(res)
}
