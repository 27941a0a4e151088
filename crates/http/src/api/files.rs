//! File attachments of datasets, kept in the file store (a local directory or S3-compatible storage),
//! and uploads of data files that become import jobs (validated and imported in the background, with
//! progress and a stored report).

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use satudata_core::access::Action;
use satudata_core::dataset::{NewResource, Resource, ResourceKind};
use satudata_core::Id;
use satudata_files::{FileError, StoredFile};

use super::region_codes::RegionCodesRequest;
use satudata_store::jobs::{Job, JobQuery, JobState, NewJob};
use satudata_store::StoreError;

use super::{find_dataset, find_resource};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Path, Query};
use crate::state::AppState;
use axum::Json as JsonResponse;

/// Query of an attachment upload.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AttachmentQuery {
    /// The file's name as the user knows it, e.g. `laporan-2024.pdf`.
    pub filename: String,
    /// Title shown on the portal (default: the file name).
    pub title: Option<String>,
    /// Machine name of the resource, unique in the dataset (default: from the file name).
    pub name: Option<String>,
}

/// Keep only characters that are safe in a key and a download name.
pub(crate) fn safe_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(['-', '.']);
    if trimmed.is_empty() {
        "berkas".to_string()
    } else {
        trimmed.chars().take(120).collect()
    }
}

pub(crate) fn file_error(e: FileError) -> ApiError {
    match e {
        FileError::InvalidKey { .. } => ApiError::bad_request(e.to_string()),
        FileError::NotFound(_) => ApiError::not_found("Berkas tidak ditemukan di penyimpanan."),
        FileError::Source(_) => {
            ApiError::bad_request("Unggahan terputus sebelum selesai; tidak ada yang disimpan.")
        }
        other => ApiError::internal(other),
    }
}

/// Attach a file to a dataset: the body is the file, stored as it streams in.
#[utoipa::path(post, path = "/api/v1/datasets/{slug}/attachments", tag = super::tags::DATA,
    params(("slug" = String, Path, description = "Dataset slug"), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    security(("bearer" = [])),
    responses(
        (status = 201, body = Resource),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn attach(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Query(q): Query<AttachmentQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let dataset = find_dataset(&state, &slug).await?;
    auth.allow(Action::WriteDataset {
        organization: dataset.meta.organization_id,
    })?;
    let filename = safe_filename(&q.filename);
    let name = q
        .name
        .clone()
        .unwrap_or_else(|| satudata_core::ids::slugify(&filename));
    if !satudata_core::ids::is_valid_slug(&name) {
        return Err(ApiError::bad_request(
            "Nama sumber data hanya boleh huruf kecil, angka dan tanda minus (2–100 karakter).",
        ));
    }
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "application/octet-stream".into());
    let key = format!(
        "attachments/{}/{}/{filename}",
        dataset.id,
        satudata_core::new_id()
    );
    let stored = state
        .files
        .put_stream(&key, body.into_data_stream())
        .await
        .map_err(file_error)?;
    // Without an explicit name the file's name is used; a second file of the same name gets `-2`, `-3`, ….
    let mut attempt = 1;
    let created = loop {
        let candidate = if attempt == 1 {
            name.clone()
        } else {
            format!("{name}-{attempt}")
        };
        let result = state
            .store
            .create_resource(
                dataset.id,
                NewResource {
                    name: candidate,
                    title: q.title.clone().unwrap_or_else(|| filename.clone()),
                    description: String::new(),
                    kind: ResourceKind::File {
                        path: stored.key.clone(),
                        media_type: media_type.clone(),
                        size: stored.size,
                        sha256: stored.sha256.clone(),
                    },
                },
                auth.actor(),
            )
            .await;
        match result {
            Err(StoreError::Conflict(_)) if q.name.is_none() && attempt < 50 => attempt += 1,
            other => break other,
        }
    };
    match created {
        Ok(resource) => Ok((StatusCode::CREATED, JsonResponse(resource)).into_response()),
        Err(e) => {
            // The resource was refused (e.g. its name is taken): do not keep an orphan file.
            let _ = state.files.delete(&stored.key).await;
            Err(e.into())
        }
    }
}

/// Download the file of an attachment resource.
#[utoipa::path(get, path = "/api/v1/resources/{id}/file", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Resource id")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn download(
    State(state): State<AppState>,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    Path(id): Path<Id>,
) -> ApiResult<Response> {
    let (resource, dataset) = find_resource(&state, id).await?;
    auth.allow(Action::ReadData {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    let ResourceKind::File {
        path, media_type, ..
    } = &resource.kind
    else {
        return Err(ApiError::conflict(
            "Sumber data ini tabel, bukan lampiran; unduh datanya dari /dataset/{slug}/… .csv.",
        ));
    };
    let content = state.files.get(path).await.map_err(file_error)?;
    let filename = path.rsplit('/').next().unwrap_or("berkas");
    crate::audit_trail::restricted_read(&trail, &dataset, &format!("attachment {filename}"));
    state.usage.download(dataset.id);
    let mut response = Response::new(Body::from_stream(content.into_stream()));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // Attachments are served as downloads, never rendered in the portal's origin.
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// An import job as the API shows it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct JobView {
    #[schema(value_type = String, format = Uuid)]
    pub id: Id,
    /// `import`.
    pub kind: String,
    #[schema(value_type = String, format = Uuid)]
    pub resource_id: Id,
    /// The file's name as uploaded.
    pub filename: String,
    /// `queued`, `running`, `done`, `failed` or `cancelled`.
    pub state: String,
    /// Rows read so far.
    pub rows_processed: i64,
    /// The uploaded file's size in bytes.
    pub bytes_total: Option<i64>,
    /// Bytes of the file read so far (updated with each progress report; with `bytes_total`, the
    /// share done).
    pub bytes_processed: Option<i64>,
    /// The validation report (also when the file was not valid; then no version was made).
    #[schema(value_type = Option<Object>)]
    pub report: Option<serde_json::Value>,
    /// The draft version the job created.
    pub version: Option<i32>,
    /// Why the job failed, in Bahasa Indonesia.
    pub error: Option<String>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub created_by: Option<Id>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    pub attempts: i32,
}

impl From<Job> for JobView {
    fn from(j: Job) -> Self {
        JobView {
            id: j.id,
            kind: j.kind,
            resource_id: j.resource_id,
            filename: j.filename,
            state: j.state.as_str().to_string(),
            rows_processed: j.rows_processed,
            bytes_total: j.bytes_total,
            bytes_processed: j.bytes_processed,
            report: j.report,
            version: j.version,
            error: j.error,
            created_by: j.created_by,
            created_at: j.created_at,
            started_at: j.started_at,
            finished_at: j.finished_at,
            attempts: j.attempts,
        }
    }
}

/// Query of a data upload.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// The file's name (its extension helps pick the reader: .csv, .xlsx, .xls, .ods, .json, .ndjson).
    pub filename: String,
    /// Sheet of a workbook, by name or number (1 = first).
    pub sheet: Option<String>,
    /// The row the header starts at (1-based, as in the file); rows above it are skipped. Default:
    /// detected (title rows above the header are recognised).
    pub header_row: Option<u64>,
    /// Summary of the change, shown in the version history.
    pub summary: Option<String>,
}

/// Upload a data file for a table: it is stored, then validated and imported in the background as a
/// draft version. Answers 202 with the job; follow `Location` for progress and the report.
///
/// The body is the file itself, or a `multipart/form-data` form with the file in part `file` and,
/// for a file that names regions instead of coding them, part `regionCodes`: a JSON array of
/// `RegionCodesRequest` — which region-code field of the table to fill from which column of names,
/// with the names → codes mapping the client confirmed (`POST /api/v1/infer` suggests codes for the
/// names). The job fills the field for every row; the codes are then checked like any other.
#[utoipa::path(post, path = "/api/v1/resources/{id}/uploads", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Resource id"), UploadQuery),
    request_body(description = "The file (CSV, XLSX, XLS, ODS, JSON or NDJSON) as the body, or a multipart form with parts `file` and `regionCodes`",
        content(
            (Vec<u8> = "application/octet-stream"),
            (UploadForm = "multipart/form-data"),
        )),
    security(("bearer" = [])),
    responses(
        (status = 202, body = JobView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
    Query(q): Query<UploadQuery>,
    request: Request,
) -> ApiResult<Response> {
    let (resource, dataset) = find_resource(&state, id).await?;
    auth.allow(Action::WriteDataset {
        organization: dataset.meta.organization_id,
    })?;
    let ResourceKind::Table { schema } = &resource.kind else {
        return Err(ApiError::conflict(
            "Sumber data ini lampiran berkas, bukan tabel; unggahan data hanya untuk tabel.",
        ));
    };
    let filename = safe_filename(&q.filename);
    let key = format!(
        "uploads/{}/{}/{filename}",
        resource.id,
        satudata_core::new_id()
    );
    let (stored, requests) = if is_multipart(request.headers()) {
        let form = Multipart::from_request(request, &state)
            .await
            .map_err(|e| ApiError::bad_request(format!("formulir multipart tidak terbaca: {e}")))?;
        store_form(&state, &key, form).await?
    } else {
        let body = request.into_body();
        let stored = state
            .files
            .put_stream(&key, body.into_data_stream())
            .await
            .map_err(file_error)?;
        (stored, None)
    };
    let region_codes = match requests {
        None => None,
        Some(requests) => {
            let resolved =
                resolve_region_codes(&state, &stored.key, &filename, &q, schema, &requests).await;
            match resolved {
                Ok(codes) => Some(codes),
                Err(e) => {
                    // Nothing is imported: the stored file would only take space.
                    if let Err(d) = state.files.delete(&stored.key).await {
                        tracing::warn!(error = %d, key = %stored.key, "could not delete a refused upload");
                    }
                    return Err(e);
                }
            }
        }
    };
    let options = ImportOptions {
        sheet: q.sheet.clone(),
        header_row: q.header_row.filter(|r| *r > 1),
        summary: q.summary.clone(),
        region_codes,
    };
    let job = queue_import(&state, &auth, &resource, stored, filename, &options).await?;
    let job_id = job.id;
    let mut response = (StatusCode::ACCEPTED, JsonResponse(JobView::from(job))).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/jobs/{job_id}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// The multipart form of an upload (for the OpenAPI document; [`store_form`] reads it part by part).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct UploadForm {
    /// The data file.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// Region-code fields to fill from columns of names, with the confirmed mapping.
    pub region_codes: Option<Vec<super::region_codes::RegionCodesRequest>>,
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// Store the part `file` of an upload form under `key` as it streams in; parse the part
/// `regionCodes` (JSON). Parts may come in either order; others are refused.
async fn store_form(
    state: &AppState,
    key: &str,
    mut form: Multipart,
) -> ApiResult<(StoredFile, Option<Vec<RegionCodesRequest>>)> {
    let mut stored = None;
    let mut requests = None;
    let read = read_form(state, key, &mut form, &mut stored, &mut requests).await;
    match (read, stored) {
        (Ok(()), Some(stored)) => Ok((stored, requests)),
        (Ok(()), None) => Err(ApiError::bad_request(
            "formulir tanpa bagian 'file': kirim berkas datanya di bagian bernama 'file'",
        )),
        (Err(e), stored) => {
            // A form refused after its file was stored: the file would only take space.
            if let Some(s) = stored {
                if let Err(d) = state.files.delete(&s.key).await {
                    tracing::warn!(error = %d, key = %s.key, "could not delete a refused upload");
                }
            }
            Err(e)
        }
    }
}

/// The parts of an upload form, into `stored` and `requests` as they come (see [`store_form`]).
async fn read_form(
    state: &AppState,
    key: &str,
    form: &mut Multipart,
    stored: &mut Option<StoredFile>,
    requests: &mut Option<Vec<RegionCodesRequest>>,
) -> ApiResult<()> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(format!("formulir multipart tidak terbaca: {e}"))
    };
    while let Some(part) = form.next_field().await.map_err(unreadable)? {
        match part.name() {
            Some("file") if stored.is_none() => {
                *stored = Some(
                    state
                        .files
                        .put_stream(key, part)
                        .await
                        .map_err(file_error)?,
                );
            }
            Some("regionCodes") if requests.is_none() => {
                let text = part.bytes().await.map_err(unreadable)?;
                let parsed: Vec<RegionCodesRequest> = serde_json::from_slice(&text).map_err(|e| {
                    ApiError::invalid_field(
                        "regionCodes",
                        format!("regionCodes bukan JSON yang diharapkan (larik berisi {{\"field\", \"names\", \"codes\"}}): {e}"),
                    )
                })?;
                *requests = Some(parsed);
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "bagian formulir '{}' tidak dikenal atau berulang; yang diterima: 'file' (wajib) dan 'regionCodes'",
                    other.unwrap_or("")
                )));
            }
        }
    }
    Ok(())
}

/// Read the stored upload's beginning, infer its header and columns of names, and check the
/// client's region-code requests against them and the table's schema.
async fn resolve_region_codes(
    state: &AppState,
    key: &str,
    filename: &str,
    q: &UploadQuery,
    schema: &satudata_core::schema::TableSchema,
    requests: &[super::region_codes::RegionCodesRequest],
) -> ApiResult<satudata_formats::region_names::CodeColumns> {
    let bytes = crate::file_sample::read_stored(state, key).await?;
    let inferred =
        crate::file_sample::infer_upload(state, bytes, filename, q.sheet.clone(), q.header_row)
            .await?;
    super::region_codes::resolve(requests, schema, &inferred)
}

/// How an uploaded file is read by its import job.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Sheet of a workbook, by name or number (1 = first).
    pub sheet: Option<String>,
    /// The row (1-based, as in the file) the header starts at; rows above it are skipped.
    pub header_row: Option<u64>,
    /// Summary of the change, shown in the version history.
    pub summary: Option<String>,
    /// Region-code columns to add from columns of names, with the mapping the operator confirmed
    /// (the upload wizard); the job applies it to every row.
    pub region_codes: Option<satudata_formats::region_names::CodeColumns>,
}

/// Queue the import of a stored file into table `resource` (shared by the API's upload and the
/// workspace's upload wizard). The caller has checked [`Action::WriteDataset`].
pub(crate) async fn queue_import(
    state: &AppState,
    auth: &Auth,
    resource: &Resource,
    stored: satudata_files::StoredFile,
    filename: String,
    options: &ImportOptions,
) -> ApiResult<Job> {
    let mut map = serde_json::Map::new();
    if let Some(sheet) = options.sheet.as_ref().filter(|s| !s.is_empty()) {
        map.insert("sheet".into(), sheet.clone().into());
    }
    if let Some(row) = options.header_row {
        map.insert("header_row".into(), row.into());
    }
    if let Some(summary) = options.summary.as_ref().filter(|s| !s.is_empty()) {
        map.insert("summary".into(), summary.clone().into());
    }
    if let Some(codes) = &options.region_codes {
        let v = serde_json::to_value(codes)
            .map_err(|e| ApiError::internal(format_args!("region codes: {e}")))?;
        map.insert("regionCodes".into(), v);
    }
    Ok(state
        .store
        .create_job(NewJob {
            kind: "import".into(),
            resource_id: resource.id,
            file_key: stored.key,
            filename,
            options: serde_json::Value::Object(map),
            bytes_total: i64::try_from(stored.size).ok(),
            created_by: auth.actor(),
        })
        .await?)
}

/// A job and the dataset it writes to, after checking the caller may follow it.
pub(crate) async fn find_job(state: &AppState, auth: &Auth, id: Id) -> ApiResult<Job> {
    let job = state
        .store
        .get_job(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Pekerjaan '{id}' tidak ditemukan.")))?;
    let (_, dataset) = find_resource(state, job.resource_id).await?;
    auth.allow(Action::WriteDataset {
        organization: dataset.meta.organization_id,
    })?;
    Ok(job)
}

/// One import job: state, progress and, when done, the validation report and the version.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Job id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = JobView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_job(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
) -> ApiResult<JsonResponse<JobView>> {
    Ok(JsonResponse(find_job(&state, &auth, id).await?.into()))
}

/// Query of the job list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct JobListQuery {
    /// The table resource whose jobs to list.
    #[param(value_type = String, format = Uuid)]
    pub resource: Id,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// Jobs of a table, newest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct JobList {
    pub items: Vec<JobView>,
    pub total: u64,
}

/// The import jobs of one table, newest first.
#[utoipa::path(get, path = "/api/v1/jobs", tag = super::tags::DATA,
    params(JobListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = JobList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_jobs(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<JobListQuery>,
) -> ApiResult<JsonResponse<JobList>> {
    let (_, dataset) = find_resource(&state, q.resource).await?;
    auth.allow(Action::WriteDataset {
        organization: dataset.meta.organization_id,
    })?;
    let page = state
        .store
        .list_jobs(&JobQuery {
            resource_id: Some(q.resource),
            created_by: None,
            limit: q.limit.unwrap_or(50).clamp(1, 500),
            offset: q.offset.unwrap_or(0),
        })
        .await?;
    Ok(JsonResponse(JobList {
        items: page.items.into_iter().map(JobView::from).collect(),
        total: page.total,
    }))
}

/// Cancel a job that has not finished; nothing of it is written.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/cancel", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Job id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = JobView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel_job(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
) -> ApiResult<JsonResponse<JobView>> {
    let job = find_job(&state, &auth, id).await?;
    let finished = match job.state {
        JobState::Done => Some("sudah selesai"),
        JobState::Failed => Some("sudah gagal"),
        JobState::Cancelled => Some("sudah dibatalkan"),
        JobState::Queued | JobState::Running => None,
    };
    if let Some(how) = finished {
        return Err(ApiError::conflict(format!(
            "Pekerjaan '{id}' {how}; hanya pekerjaan yang masih antre atau berjalan yang dapat dibatalkan."
        )));
    }
    Ok(JsonResponse(state.store.cancel_job(id).await?.into()))
}
