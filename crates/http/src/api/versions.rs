//! Versions of a table resource: every accepted upload is a new immutable version.

use std::io;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::Json as JsonResponse;
use bytes::Bytes;
use futures_util::StreamExt;
use satudata_core::access::Action;
use satudata_core::dataset::{ResourceKind, Version};
use satudata_core::review::ReviewState;
use satudata_core::Id;
use satudata_store::{ChannelRowSource, NewVersion};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use utoipa::{IntoParams, ToSchema};

use super::review::{readable_version, sees_unpublished, version_state};
use super::{created, find_resource};
use crate::auth::Auth;
use crate::csv_rows::{read_csv, ChannelReader, CsvError};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Path, Query};
use crate::state::AppState;

/// A version with its review state.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionItem {
    #[serde(flatten)]
    pub version: Version,
    /// Where the version stands in the pemeriksaan (`terbit` is what the public reads).
    pub state: ReviewState,
}

/// The versions of a resource, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    pub items: Vec<VersionItem>,
}

/// Options of an upload.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// Summary of the change; generated ("+N baris, −M baris") when empty.
    pub summary: Option<String>,
}

/// The versions of a table resource, newest first.
#[utoipa::path(get, path = "/api/v1/resources/{id}/versions", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Resource id")),
    responses(
        (status = 200, body = VersionList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
) -> ApiResult<JsonResponse<VersionList>> {
    let (resource, dataset) = find_resource(&state, id).await?;
    auth.allow(Action::ReadMetadata {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    // The public sees published versions only; the producer, walidata, pembina and admin all.
    let all = sees_unpublished(&auth, &dataset);
    let states = state.store.version_states(resource.id).await?;
    let items = state
        .store
        .list_versions(resource.id)
        .await?
        .into_iter()
        .filter_map(|version| {
            let st = states
                .iter()
                .find(|s| s.number == version.number)
                .map(|s| s.state)
                .unwrap_or(ReviewState::Terbit);
            (all || st == ReviewState::Terbit).then_some(VersionItem { version, state: st })
        })
        .collect();
    Ok(JsonResponse(VersionList { items }))
}

/// One version of a table resource.
#[utoipa::path(get, path = "/api/v1/resources/{id}/versions/{number}", tag = super::tags::DATA,
    params(
        ("id" = String, Path, format = Uuid, description = "Resource id"),
        ("number" = i32, Path, description = "Version number (1, 2, …)"),
    ),
    responses(
        (status = 200, body = VersionItem),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, number)): Path<(Id, i32)>,
) -> ApiResult<JsonResponse<VersionItem>> {
    let (resource, dataset) = find_resource(&state, id).await?;
    auth.allow(Action::ReadMetadata {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    readable_version(&state, &auth, &dataset, resource.id, Some(number)).await?;
    let st = version_state(&state, resource.id, number).await?;
    state
        .store
        .get_version(resource.id, number)
        .await?
        .map(|version| JsonResponse(VersionItem { version, state: st }))
        .ok_or_else(|| ApiError::not_found(format!("Versi {number} tidak ada.")))
}

/// Upload a new version of a table resource as a clean CSV (`Content-Type: text/csv`, UTF-8):
/// the header holds the schema's field names, each cell its canonical form (`1234.5`,
/// `2024-12-31`, `true`, `16.06.01.2001`). The body is streamed. The first bad cell aborts the
/// upload with 422 naming row, column, value and why; nothing is written. The new version is a
/// **draf**: the produsen submits it (`…/submit`) and the walidata publishes it; until then the
/// public keeps reading the published version.
#[utoipa::path(post, path = "/api/v1/resources/{id}/versions", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Resource id"), UploadQuery),
    request_body(content = String, content_type = "text/csv", description = "A clean CSV matching the resource's schema"),
    security(("bearer" = [])),
    responses(
        (status = 201, body = VersionItem),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let (resource, dataset) = find_resource(&state, id).await?;
    auth.allow(Action::WriteDataset {
        organization: dataset.meta.organization_id,
    })?;
    let schema = match resource.kind {
        ResourceKind::Table { schema } => schema,
        ResourceKind::File { .. } => {
            return Err(ApiError::conflict(
                "Sumber data ini lampiran berkas, bukan tabel; versi data hanya untuk tabel.",
            ))
        }
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("text/csv") {
        return Err(ApiError::unsupported_media_type(
            "Kirim data sebagai CSV (Content-Type: text/csv; charset=utf-8).",
        ));
    }

    let (byte_tx, byte_rx) = mpsc::channel::<io::Result<Bytes>>(8);
    let (row_tx, row_rx) = mpsc::channel(2);
    let parser =
        tokio::task::spawn_blocking(move || read_csv(ChannelReader::new(byte_rx), &schema, row_tx));
    let pump = async move {
        let mut stream = body.into_data_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(io::Error::other);
            let failed = chunk.is_err();
            if byte_tx.send(chunk).await.is_err() || failed {
                break;
            }
        }
    };
    let store = state.store.clone();
    let new = NewVersion {
        actor: auth.actor(),
        summary: q.summary.unwrap_or_default(),
    };
    let write = async move {
        let mut source = ChannelRowSource::new(row_rx);
        let result = store
            .create_draft_version(resource.id, new, &mut source)
            .await;
        // Close the channel at once so that a reader still sending learns that the store stopped.
        drop(source);
        result
    };
    let ((), written) = tokio::join!(pump, write);
    let parsed = parser
        .await
        .map_err(|e| ApiError::internal(format_args!("CSV reader thread: {e}")))?;
    match (parsed, written) {
        (Err(CsvError::Invalid { detail, items }), _) => Err(ApiError::invalid_csv(detail, items)),
        (Err(CsvError::Io(detail)), _) => Err(ApiError::bad_request(detail)),
        (_, Err(e)) => Err(e.into()),
        (Err(CsvError::Aborted), Ok(_)) => Err(ApiError::internal(
            "CSV reader aborted but the store created a version",
        )),
        (Ok(_), Ok(version)) => Ok(created(
            state.url(&format!(
                "/api/v1/resources/{}/versions/{}",
                version.resource_id, version.number
            )),
            VersionItem {
                version,
                state: ReviewState::Draf,
            },
        )),
    }
}
