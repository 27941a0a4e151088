//! The rows of a table version through the data API's query language (see `dataapi::query` and
//! docs/API.md): filters, region and period ranges, `select`, sort, offset and keyset paging; a
//! JSON page, or every selected row streamed as CSV, NDJSON or XLSX. Answers carry strong ETags and
//! Last-Modified (published versions never change) and are rate-limited per token and address.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use satudata_core::access::Action;
use satudata_core::dataset::{Dataset, Resource, ResourceKind, Version};
use satudata_core::row::Row;
use satudata_core::schema::{Field, TableSchema};
use satudata_core::Id;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{find_dataset, find_resource};
use crate::audit_trail::{restricted_read, AuditTrail};
use crate::auth::Auth;
use crate::dataapi::export::{self, Format, Sheet};
use crate::dataapi::query::{encode_cursor, rows_request};
use crate::dataapi::{file_headers, negotiate, take_quota, ClientAddr, Validators};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Path, Query};
use crate::state::AppState;

/// A page of rows.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "fields": [{"name": "kode_desa", "type": "string", "regionLevel": "desa"},
               {"name": "tahun", "type": "year", "period": true},
               {"name": "jumlah_penduduk", "type": "integer", "unit": "jiwa"}],
    "rows": [["16.06.01.2001", 2024, 1520], ["16.06.01.2002", 2024, 987]],
    "total": 2, "limit": 100, "offset": 0, "version": 3,
    "next_cursor": null,
    "links": {"next": null, "prev": null, "next_cursor": null}
}))]
pub struct RowsPage {
    /// The fields returned (Frictionless Table Schema), in the order of the row cells: every
    /// field, or those named by `select`.
    pub fields: Vec<Field>,
    /// Rows as arrays of cells, in the order of `fields`.
    #[schema(value_type = Vec<Vec<serde_json::Value>>)]
    pub rows: Vec<Row>,
    /// All rows matching the filters (absent with `total=false`).
    pub total: Option<u64>,
    pub limit: u32,
    pub offset: u64,
    /// The version the rows belong to.
    pub version: i32,
    /// Give this as `cursor=` for the next page (keyset paging; present when this page is full).
    pub next_cursor: Option<String>,
    pub links: Links,
}

/// Links to the neighbouring pages.
#[derive(Debug, Serialize, ToSchema)]
pub struct Links {
    /// The next page by offset.
    pub next: Option<String>,
    /// The previous page by offset.
    pub prev: Option<String>,
    /// The next page by cursor (stays fast however deep).
    pub next_cursor: Option<String>,
}

/// The query language of rows. Besides these, every parameter named like a field is a filter:
/// `FIELD=v` (repeat for any of several values; empty matches missing cells) or `FIELD__OP=v` with
/// OP one of `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `in` (comma-separated), `like` (`%`, `_`),
/// `missing` (`true`/`false`), `within` (a region code).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RowsParams {
    /// Rows per page (default 100, at most 1000 for JSON). CSV, NDJSON and XLSX stream every
    /// matching row unless `limit` is given.
    #[param(example = 100)]
    limit: Option<u32>,
    /// Rows to skip (prefer `cursor` for deep paging).
    offset: Option<u64>,
    /// Start after the row this cursor names (`next_cursor` of the previous page, same sort and
    /// filters).
    cursor: Option<String>,
    /// The version (default: the latest published one). Pinned answers are cached for a year.
    #[param(example = 2)]
    version: Option<i32>,
    /// Fields to return, comma-separated, in this order.
    #[param(example = "kode_desa,tahun,jumlah_penduduk")]
    select: Option<String>,
    /// Sort keys, comma-separated; `-` in front sorts descending; missing cells last.
    #[param(example = "tahun,-jumlah_penduduk")]
    sort: Option<String>,
    /// Rows of this region and everything in it, on the table's most detailed region-code field
    /// (`16.06.01`: every desa of kecamatan 16.06.01; dotted or not).
    #[param(example = "16.06.01")]
    within: Option<String>,
    /// A range of the period field: `2020..2023`, `2020..`, `..2023` or `2024`.
    #[param(example = "2020..2023")]
    period: Option<String>,
    /// `false` skips counting all matching rows.
    total: Option<bool>,
    /// `json` (default, or from `Accept`), `csv`, `ndjson` or `xlsx`.
    #[param(example = "csv")]
    format: Option<String>,
}

/// Rows of a table resource.
#[utoipa::path(get, path = "/api/v1/resources/{id}/rows", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Resource id"), RowsParams),
    responses(
        (status = 200, description = "A page of rows (JSON) or every selected row (CSV, NDJSON, XLSX), with ETag and Last-Modified",
            content(
                (RowsPage = "application/json"),
                (String = "text/csv", example = "kode_desa,tahun,jumlah_penduduk\n16.06.01.2001,2024,1520\n"),
                (String = "application/x-ndjson"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        (status = 304, description = "Not modified (If-None-Match / If-Modified-Since)"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn resource_rows(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
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
        restricted_read(&trail, &dataset, &format!("resource {id} rows"));
        let path = format!("/api/v1/resources/{id}/rows");
        rows(&state, &headers, &resource, &dataset, params, &path).await
    }
    .await;
    let mut res = result.unwrap_or_else(IntoResponse::into_response);
    quota.apply(res.headers_mut());
    res
}

/// Rows of the dataset's first table resource.
#[utoipa::path(get, path = "/api/v1/datasets/{slug}/rows", tag = super::tags::DATA,
    params(("slug" = String, Path, description = "Dataset slug or id"), RowsParams),
    responses(
        (status = 200, description = "A page of rows (JSON) or every selected row (CSV, NDJSON, XLSX), with ETag and Last-Modified",
            content(
                (RowsPage = "application/json"),
                (String = "text/csv", example = "kode_desa,tahun,jumlah_penduduk\n16.06.01.2001,2024,1520\n"),
                (String = "application/x-ndjson"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        (status = 304, description = "Not modified (If-None-Match / If-Modified-Since)"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn dataset_rows(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
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
        restricted_read(&trail, &dataset, "rows");
        let path = format!("/api/v1/datasets/{slug}/rows");
        rows(&state, &headers, &resource, &dataset, params, &path).await
    }
    .await;
    let mut res = result.unwrap_or_else(IntoResponse::into_response);
    quota.apply(res.headers_mut());
    res
}

/// The dataset `slug` and its first table resource, if the caller may read its data.
pub(crate) async fn dataset_table(
    state: &AppState,
    auth: &Auth,
    slug: &str,
) -> ApiResult<(Dataset, Resource)> {
    let dataset = find_dataset(state, slug).await?;
    allow_data(auth, &dataset)?;
    let resource = state
        .store
        .list_resources(dataset.id)
        .await?
        .into_iter()
        .find(|r| matches!(r.kind, ResourceKind::Table { .. }))
        .ok_or_else(|| ApiError::not_found(format!("Dataset '{slug}' belum punya tabel data.")))?;
    Ok((dataset, resource))
}

/// Reading rows needs `ReadData` on the dataset (restricted data only with a role that allows it).
pub(crate) fn allow_data(auth: &Auth, dataset: &Dataset) -> ApiResult<()> {
    auth.allow(Action::ReadData {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })
}

/// The table schema of a resource, or 404 for a file.
pub(crate) fn table_schema(resource: &Resource) -> ApiResult<&TableSchema> {
    match &resource.kind {
        ResourceKind::Table { schema } => Ok(schema),
        ResourceKind::File { .. } => Err(ApiError::not_found(
            "Sumber data ini lampiran berkas, bukan tabel.",
        )),
    }
}

/// The version a request reads: the one it pins (404 when missing or not published: drafts and
/// submissions are read through the review API), else the latest published one (`None` when the
/// table has no published data yet).
pub(crate) async fn version_for(
    state: &AppState,
    resource: Id,
    pinned: Option<i32>,
) -> ApiResult<Option<Version>> {
    match pinned {
        Some(n) => {
            let missing = || ApiError::not_found(format!("Versi {n} tabel ini tidak ada."));
            if super::review::version_state(state, resource, n).await.ok()
                != Some(satudata_core::review::ReviewState::Terbit)
            {
                return Err(missing());
            }
            state
                .store
                .get_version(resource, n)
                .await?
                .map(Some)
                .ok_or_else(missing)
        }
        None => Ok(state.store.latest_version(resource).await?),
    }
}

/// The raw query string, for ETags.
pub(crate) fn raw_query(params: &[(String, String)]) -> String {
    serde_urlencoded::to_string(params).unwrap_or_default()
}

async fn rows(
    state: &AppState,
    headers: &HeaderMap,
    resource: &Resource,
    dataset: &Dataset,
    params: Vec<(String, String)>,
    path: &str,
) -> ApiResult<Response> {
    let schema = table_schema(resource)?;
    let request = rows_request(schema, &params)?;
    let format = negotiate(request.format, headers);
    let mut query = request.query;
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
    // Read exactly the version the validators are about, even if a new one is published meanwhile.
    if let Some(v) = &version {
        query.version = Some(v.number);
    }
    let fields: Vec<Field> = if query.select.is_empty() {
        schema.fields.clone()
    } else {
        query
            .select
            .iter()
            .filter_map(|n| schema.fields.iter().find(|f| &f.name == n).cloned())
            .collect()
    };

    let mut res = if format == Format::Json {
        // A page of a published version never changes: small pages are kept in memory.
        let compute = async {
            let page = state.store.query_rows(resource.id, &query).await?;
            let more = match page.total {
                Some(total) => page.offset + (page.rows.len() as u64) < total,
                None => page.rows.len() as u64 == u64::from(page.limit),
            };
            let cursor = page
                .next_cursor
                .as_ref()
                .map(|c| encode_cursor(&query.sort, c));
            let link = |replace: &[(&str, String)]| {
                let mut pairs: Vec<(&str, String)> = params
                    .iter()
                    .filter(|(k, _)| !replace.iter().any(|(r, _)| r == k) && k != "cursor")
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect();
                pairs.extend(replace.iter().cloned());
                let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
                state.url(&format!("{path}?{qs}"))
            };
            let links = Links {
                next: more.then(|| {
                    link(&[("offset", (page.offset + u64::from(page.limit)).to_string())])
                }),
                prev: (page.offset > 0).then(|| {
                    link(&[(
                        "offset",
                        page.offset
                            .saturating_sub(u64::from(page.limit))
                            .to_string(),
                    )])
                }),
                next_cursor: cursor
                    .as_ref()
                    .map(|c| link(&[("offset", "0".to_string()), ("cursor", c.clone())])),
            };
            let body = serde_json::to_vec(&RowsPage {
                fields,
                rows: page.rows,
                total: page.total,
                limit: page.limit,
                offset: page.offset,
                version: page.version,
                next_cursor: cursor,
                links,
            })
            .map_err(ApiError::internal)?;
            ApiResult::Ok(bytes::Bytes::from(body))
        };
        let body = match &version {
            Some(v) => {
                let key = format!("{path}:{}:{}:{}", resource.id, v.number, raw_query(&params));
                state.data_api.pages.get_or_compute(&key, compute).await?
            }
            None => compute.await?,
        };
        axum::body::Body::from(body).into_response()
    } else {
        let max = request.explicit_limit.then_some(u64::from(query.limit));
        if format == Format::Csv {
            // The database writes the CSV text: no cell is decoded on the way.
            let names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
            export::store_csv(
                state.store.clone(),
                resource.id,
                query.clone(),
                max,
                names,
                false,
            )
            .into_response()
        } else {
            let (batches, done) =
                export::query_batches(state.store.clone(), resource.id, query.clone(), max);
            let sheet = Sheet {
                names: fields.iter().map(|f| f.name.clone()).collect(),
                headers: fields.iter().map(header_text).collect(),
                meta: vec![
                    ("Judul".into(), dataset.meta.title.clone()),
                    ("Tabel".into(), resource.title.clone()),
                    (
                        "Satuan".into(),
                        dataset.meta.satuan.clone().unwrap_or_default(),
                    ),
                    (
                        "Versi".into(),
                        version
                            .as_ref()
                            .map(|v| v.number.to_string())
                            .unwrap_or_default(),
                    ),
                    ("Kueri".into(), raw_query(&params)),
                    ("Alamat".into(), state.url(path)),
                ],
            };
            export::stream(format, sheet, batches, done).into_response()
        }
    };
    let name = format!(
        "{}-{}{}",
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
    if format == Format::Json {
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    count_use(state, dataset, format);
    Ok(res)
}

/// Count an answered data API request: a JSON page is an API call, a file format a download.
pub(crate) fn count_use(state: &AppState, dataset: &Dataset, format: Format) {
    if format == Format::Json {
        state.usage.api_call(dataset.id);
    } else {
        state.usage.download(dataset.id);
    }
}

/// The header of a column in a spreadsheet: its title (or name) with the unit.
pub(crate) fn header_text(f: &Field) -> String {
    let t = f.title.clone().unwrap_or_else(|| f.name.clone());
    match &f.unit {
        Some(u) if !u.is_empty() => format!("{t} ({u})"),
        _ => t,
    }
}
