//! Topics (kategori / sektor).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use satudata_core::access::Action;
use satudata_core::dataset::Topic;
use satudata_core::ids::is_valid_slug;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem, ProblemItem};
use crate::extract::Json;
use crate::state::AppState;

/// All topics.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopicList {
    pub items: Vec<Topic>,
}

/// List all topics.
#[utoipa::path(get, path = "/api/v1/topics", tag = super::tags::CATALOGUE,
    responses((status = 200, body = TopicList)))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<axum::Json<TopicList>> {
    auth.allow(Action::ReadCatalogue)?;
    Ok(axum::Json(TopicList {
        items: state.store.list_topics().await?,
    }))
}

/// Create a topic, or update the topic with the same slug (walidata, admin).
#[utoipa::path(post, path = "/api/v1/topics", tag = super::tags::CATALOGUE,
    request_body = Topic,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = Topic),
        (status = 200, description = "Updated", body = Topic),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upsert(
    State(state): State<AppState>,
    auth: Auth,
    Json(topic): Json<Topic>,
) -> ApiResult<Response> {
    auth.allow(Action::ManageCatalogue)?;
    let mut problems = vec![];
    if !is_valid_slug(&topic.slug) {
        problems.push(ProblemItem::new(
            "slug",
            "Slug hanya boleh huruf kecil, angka dan tanda minus (2–100 karakter), misalnya 'kesehatan'.",
        ));
    }
    if topic.name.trim().is_empty() {
        problems.push(ProblemItem::new("name", "Nama topik wajib diisi."));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            "Data topik tidak sah; lihat daftar kesalahan.",
            problems,
        ));
    }
    let existed = state
        .store
        .list_topics()
        .await?
        .iter()
        .any(|t| t.slug == topic.slug);
    let saved = state.store.upsert_topic(topic, auth.actor()).await?;
    let status = if existed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, axum::Json(saved)).into_response())
}
