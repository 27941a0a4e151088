//! Datasets with the national metadata fields.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json as JsonResponse;
use satudata_core::access::Action;
use satudata_core::dataset::{Dataset, DatasetMeta, Resource};
use satudata_core::Id;
use satudata_store::DatasetQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{clamp_limit, created, find_dataset, visible_datasets, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem, ProblemItem};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// A page of datasets.
#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetList {
    pub items: Vec<Dataset>,
    /// All matching datasets the caller may see.
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

/// A dataset with its resources.
#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetDetail {
    #[serde(flatten)]
    pub dataset: Dataset,
    pub resources: Vec<Resource>,
    /// How much the dataset is used (see docs/QUALITY.md, "availability and use").
    pub usage: DatasetUsage,
}

/// Downloads and API calls of a dataset, counted per day (WIB).
#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetUsage {
    /// Downloads ever: `/dataset/SLUG/…` files, Data Packages, attachments, `rows?format=…`.
    pub downloads: u64,
    /// API calls ever: data API rows and aggregates (JSON), CKAN `datastore_search`.
    pub api_calls: u64,
    /// Downloads in the last 30 days (today included).
    pub downloads_30d: u64,
    /// API calls in the last 30 days (today included).
    pub api_calls_30d: u64,
}

/// Days of the recent usage figures.
const RECENT_DAYS: i64 = 30;

/// The usage of `dataset`: stored counts plus those this process has not flushed yet.
pub(crate) async fn dataset_usage(state: &AppState, dataset: Id) -> ApiResult<DatasetUsage> {
    let since = crate::api::plan::today_wib() - chrono::Duration::days(RECENT_DAYS - 1);
    let all = state.store.dataset_usage(dataset, None).await?;
    let recent = state.store.dataset_usage(dataset, Some(since)).await?;
    let (p_all, p_recent) = state.usage.pending(dataset, since);
    Ok(DatasetUsage {
        downloads: all.downloads + p_all.downloads,
        api_calls: all.api_calls + p_all.api_calls,
        downloads_30d: recent.downloads + p_recent.downloads,
        api_calls_30d: recent.api_calls + p_recent.api_calls,
    })
}

/// Filters for the dataset list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DatasetListQuery {
    /// Only datasets of this organisation (slug or id).
    pub organization: Option<String>,
    /// Only datasets with this topic (slug).
    pub topic: Option<String>,
    /// Only datasets with this tag.
    pub tag: Option<String>,
    /// Part of the title or description.
    pub q: Option<String>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// The datasets `auth` may see that match `q`. Shared with the home page.
pub async fn visible_page(
    state: &AppState,
    auth: &Auth,
    q: DatasetListQuery,
) -> ApiResult<DatasetList> {
    let limit = clamp_limit(q.limit, DEFAULT_LIMIT, MAX_LIMIT);
    let offset = q.offset.unwrap_or(0);
    let organization_id = match q.organization.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => match state.store.get_organization(slug).await? {
            Some(org) => Some(org.id),
            None => {
                return Ok(DatasetList {
                    items: vec![],
                    total: 0,
                    limit,
                    offset,
                });
            }
        },
        None => None,
    };
    let (access, also_organizations) = visible_datasets(&auth.principal);
    let query = DatasetQuery {
        organization_id,
        topic: q.topic.filter(|s| !s.is_empty()),
        tag: q.tag.filter(|s| !s.is_empty()),
        access,
        also_organizations,
        q: q.q.filter(|s| !s.trim().is_empty()),
        since_seq: None,
        limit,
        offset,
        ..DatasetQuery::default()
    };
    let page = state.store.list_datasets(&query).await?;
    Ok(DatasetList {
        items: page.items,
        total: page.total,
        limit: page.limit,
        offset: page.offset,
    })
}

/// List the datasets the caller may see: the public sees *terbuka* and *terbatas* metadata, a
/// produsen also their own organisation's *tertutup* datasets, walidata, pembina and admin all.
#[utoipa::path(get, path = "/api/v1/datasets", tag = super::tags::DATA, params(DatasetListQuery),
    responses((status = 200, body = DatasetList)))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<DatasetListQuery>,
) -> ApiResult<JsonResponse<DatasetList>> {
    auth.allow(Action::ReadCatalogue)?;
    Ok(JsonResponse(visible_page(&state, &auth, q).await?))
}

/// One dataset with its resources.
#[utoipa::path(get, path = "/api/v1/datasets/{slug}", tag = super::tags::DATA,
    params(("slug" = String, Path, description = "Slug or id")),
    responses(
        (status = 200, body = DatasetDetail),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> ApiResult<JsonResponse<DatasetDetail>> {
    let dataset = find_dataset(&state, &slug).await?;
    auth.allow(Action::ReadMetadata {
        access: dataset.meta.access,
        organization: dataset.meta.organization_id,
    })?;
    let resources = state.store.list_resources(dataset.id).await?;
    let usage = dataset_usage(&state, dataset.id).await?;
    Ok(JsonResponse(DatasetDetail {
        dataset,
        resources,
        usage,
    }))
}

/// Create a dataset in an organisation (its produsen, walidata, admin).
#[utoipa::path(post, path = "/api/v1/datasets", tag = super::tags::DATA,
    request_body = DatasetMeta,
    security(("bearer" = [])),
    responses(
        (status = 201, body = Dataset),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Json(meta): Json<DatasetMeta>,
) -> ApiResult<Response> {
    let dataset = create_dataset(&state, &auth, meta).await?;
    Ok(created(
        state.url(&format!("/api/v1/datasets/{}", dataset.meta.slug)),
        dataset,
    ))
}

/// Replace a dataset's metadata (its produsen, walidata, admin). Moving it to another
/// organisation needs write access to both.
#[utoipa::path(put, path = "/api/v1/datasets/{slug}", tag = super::tags::DATA,
    params(("slug" = String, Path, description = "Slug or id")),
    request_body = DatasetMeta,
    security(("bearer" = [])),
    responses(
        (status = 200, body = Dataset),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Json(meta): Json<DatasetMeta>,
) -> ApiResult<JsonResponse<Dataset>> {
    let existing = find_dataset(&state, &slug).await?;
    Ok(JsonResponse(
        update_dataset(&state, &auth, &existing, meta).await?,
    ))
}

/// Check and create a dataset (shared by the API and the workspace's metadata form).
pub(crate) async fn create_dataset(
    state: &AppState,
    auth: &Auth,
    meta: DatasetMeta,
) -> ApiResult<Dataset> {
    auth.allow(Action::WriteDataset {
        organization: meta.organization_id,
    })?;
    validate(state, &meta).await?;
    Ok(state.store.create_dataset(meta, auth.actor()).await?)
}

/// Check and replace the metadata of `existing` (shared by the API and the metadata form).
/// Moving it to another organisation needs write access to both.
pub(crate) async fn update_dataset(
    state: &AppState,
    auth: &Auth,
    existing: &Dataset,
    meta: DatasetMeta,
) -> ApiResult<Dataset> {
    auth.allow(Action::WriteDataset {
        organization: existing.meta.organization_id,
    })?;
    if meta.organization_id != existing.meta.organization_id {
        auth.allow(Action::WriteDataset {
            organization: meta.organization_id,
        })?;
    }
    validate(state, &meta).await?;
    Ok(state
        .store
        .update_dataset(existing.id, meta, auth.actor())
        .await?)
}

/// Delete a dataset and its resources (walidata, admin). The record stays as a tombstone.
#[utoipa::path(delete, path = "/api/v1/datasets/{slug}", tag = super::tags::DATA,
    params(("slug" = String, Path, description = "Slug or id")),
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
    Path(slug): Path<String>,
) -> ApiResult<StatusCode> {
    let existing = find_dataset(&state, &slug).await?;
    auth.allow(Action::DeleteDataset {
        organization: existing.meta.organization_id,
    })?;
    state
        .store
        .delete_dataset(existing.id, auth.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Check the metadata ([`DatasetMeta::validate`]) and that its organisation and topics exist.
async fn validate(state: &AppState, meta: &DatasetMeta) -> ApiResult<()> {
    let mut problems: Vec<ProblemItem> = match meta.validate() {
        Ok(()) => vec![],
        Err(list) => list.into_iter().map(ProblemItem::from).collect(),
    };
    if organization_missing(state, meta.organization_id).await? {
        problems.push(ProblemItem::new(
            "organization_id",
            "Organisasi tidak ditemukan.",
        ));
    }
    if !meta.topics.is_empty() {
        let topics = state.store.list_topics().await?;
        for t in &meta.topics {
            if !topics.iter().any(|known| &known.slug == t) {
                problems.push(ProblemItem::new(
                    "topics",
                    format!("Topik '{t}' tidak dikenal; lihat /api/v1/topics."),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "Metadata dataset tidak sah; lihat daftar kesalahan.",
            problems,
        ))
    }
}

async fn organization_missing(state: &AppState, id: Id) -> ApiResult<bool> {
    Ok(state
        .store
        .get_organization(&id.to_string())
        .await?
        .is_none())
}
