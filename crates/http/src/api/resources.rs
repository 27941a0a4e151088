//! Resources of a dataset: typed tables (with their Table Schema) and, later, file attachments.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json as JsonResponse;
use satudata_core::access::Action;
use satudata_core::dataset::{NewResource, Resource, ResourceKind};
use satudata_core::ids::is_valid_slug;
use satudata_core::Id;
use serde::Serialize;
use utoipa::ToSchema;

use super::{created, find_dataset, find_resource};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem, ProblemItem};
use crate::extract::{Json, Path};
use crate::state::AppState;

/// The resources of a dataset.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceList {
    pub items: Vec<Resource>,
}

/// The resources of a dataset.
#[utoipa::path(get, path = "/api/v1/datasets/{slug}/resources", tag = super::tags::DATA,
    params(("slug" = String, Path, description = "Dataset slug or id")),
    responses(
        (status = 200, body = ResourceList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> ApiResult<JsonResponse<ResourceList>> {
    let dataset = find_dataset(&state, &slug).await?;
    auth.allow(Action::ReadMetadata {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    Ok(JsonResponse(ResourceList {
        items: state.store.list_resources(dataset.id).await?,
    }))
}

/// Add a table resource with its Frictionless Table Schema (the dataset's produsen, walidata,
/// admin). Upload its data with `POST /api/v1/resources/{id}/versions`.
#[utoipa::path(post, path = "/api/v1/datasets/{slug}/resources", tag = super::tags::DATA,
    params(("slug" = String, Path, description = "Dataset slug or id")),
    request_body = NewResource,
    security(("bearer" = [])),
    responses(
        (status = 201, body = Resource),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Json(new): Json<NewResource>,
) -> ApiResult<Response> {
    let dataset = find_dataset(&state, &slug).await?;
    let resource = create_resource(&state, &auth, &dataset, new).await?;
    Ok(created(
        state.url(&format!("/api/v1/resources/{}", resource.id)),
        resource,
    ))
}

/// Check and create a table resource of `dataset` (shared by the API and the upload wizard).
pub(crate) async fn create_resource(
    state: &AppState,
    auth: &Auth,
    dataset: &satudata_core::dataset::Dataset,
    new: NewResource,
) -> ApiResult<Resource> {
    auth.allow(Action::WriteDataset {
        organization: dataset.meta.organization_id,
    })?;
    let mut problems = vec![];
    if !is_valid_slug(&new.name) {
        problems.push(ProblemItem::new(
            "name",
            "Nama sumber data hanya boleh huruf kecil, angka, '-' dan '_' (2–100 karakter), misalnya 'tabel'.",
        ));
    }
    if new.title.trim().is_empty() {
        problems.push(ProblemItem::new("title", "Judul sumber data wajib diisi."));
    }
    match &new.kind {
        ResourceKind::Table { schema } => {
            if let Err(list) = schema.check() {
                problems.extend(list.into_iter().map(|m| ProblemItem::new("schema", m)));
            }
        }
        ResourceKind::File { .. } => problems.push(ProblemItem::new(
            "kind",
            "Lampiran berkas belum bisa dibuat lewat API ini; buat sumber data bertipe 'table'.",
        )),
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            "Sumber data tidak sah; lihat daftar kesalahan.",
            problems,
        ));
    }
    Ok(state
        .store
        .create_resource(dataset.id, new, auth.actor())
        .await?)
}

/// One resource.
#[utoipa::path(get, path = "/api/v1/resources/{id}", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Resource id")),
    responses(
        (status = 200, body = Resource),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
) -> ApiResult<JsonResponse<Resource>> {
    let (resource, dataset) = find_resource(&state, id).await?;
    auth.allow(Action::ReadMetadata {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    Ok(JsonResponse(resource))
}

/// Delete a resource (the dataset's produsen, walidata, admin). It stays as a tombstone.
#[utoipa::path(delete, path = "/api/v1/resources/{id}", tag = super::tags::DATA,
    params(("id" = String, Path, format = Uuid, description = "Resource id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
) -> ApiResult<StatusCode> {
    let (resource, dataset) = find_resource(&state, id).await?;
    auth.allow(Action::WriteDataset {
        organization: dataset.meta.organization_id,
    })?;
    state
        .store
        .delete_resource(resource.id, auth.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
