//! `POST /api/v1/infer`: what a data file holds, as `satudata infer --full` prints it — the Table
//! Schema inferred, what was recognised and why, the header found, years written as columns, and
//! for columns of region names the codes suggested for each name, to confirm before an upload fills
//! a region-code field from them (`regionCodes`, see [`super::region_codes`]).

use axum::body::Body;
use axum::extract::State;
use axum::Json as JsonResponse;
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::file_sample::{infer_upload, SAMPLE_BYTES};
use crate::state::AppState;

/// Query of an inference.
#[derive(Debug, Deserialize, IntoParams)]
pub struct InferQuery {
    /// The file's name (its extension picks the reader: .csv, .xlsx, .xls, .ods, .json, .ndjson).
    pub filename: String,
    /// Sheet of a workbook, by name or number (1 = first).
    pub sheet: Option<String>,
    /// The row the header starts at (1-based, as in the file). Default: detected.
    pub header_row: Option<u64>,
}

/// Infer a Table Schema from a data file, with codes suggested for columns of region names
/// (`regionNames`: each name as written, its suggested code and region, other regions with the
/// same name). Only the file's first 64 MiB are read (a workbook must fit); nothing is stored.
#[utoipa::path(post, path = "/api/v1/infer", tag = super::tags::DATA, params(InferQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "CSV, XLSX, XLS, ODS, JSON or NDJSON"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What inference found: `schema` (Table Schema), `header`, `findings`, `regionNames`, `wideYears`, `notes`, `source`", body = Object),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn infer(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<InferQuery>,
    body: Body,
) -> ApiResult<JsonResponse<serde_json::Value>> {
    // Any signed-in user (inference costs the server a read of up to 64 MiB).
    auth.require_user()?;
    let mut bytes = Vec::new();
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request(format!("unggahan terputus: {e}")))?;
        bytes.extend_from_slice(&chunk);
        if bytes.len() >= SAMPLE_BYTES {
            // The rest is not needed (a text file is cut at its last full line).
            break;
        }
    }
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "berkas kosong: kirim isi berkas sebagai badan permintaan",
        ));
    }
    let inferred = infer_upload(&state, bytes, &q.filename, q.sheet.clone(), q.header_row).await?;
    let value = serde_json::to_value(&inferred)
        .map_err(|e| ApiError::internal(format_args!("inference result: {e}")))?;
    Ok(JsonResponse(value))
}
