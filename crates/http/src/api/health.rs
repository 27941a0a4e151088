//! `/healthz` and the OpenAPI document.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// The health answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// The store backend: `sqlite` or `postgres`.
    pub store: &'static str,
}

/// Whether the instance and its store answer.
#[utoipa::path(get, path = "/healthz", tag = super::tags::META,
    responses(
        (status = 200, description = "Instance and store answer", body = Health),
        (status = 503, description = "The store does not answer", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn healthz(State(state): State<AppState>) -> ApiResult<Response> {
    match state.store.health().await {
        Ok(()) => Ok((
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(Health {
                status: "ok",
                store: state.store.backend(),
            }),
        )
            .into_response()),
        Err(e) => {
            tracing::warn!(error = %e, "health check: store does not answer");
            Err(ApiError::unavailable("Basis data tidak menjawab."))
        }
    }
}

/// This document: the OpenAPI 3.1 description of the API, generated from the code.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = super::tags::META,
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json(State(state): State<AppState>) -> Response {
    let json = state.openapi_json.get_or_init(|| {
        let mut doc = crate::openapi::openapi();
        doc.servers = Some(vec![utoipa::openapi::Server::new(
            state.config.base_url.clone(),
        )]);
        doc.to_pretty_json().unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot serialise the OpenAPI document");
            String::from("{}")
        })
    });
    ([(header::CONTENT_TYPE, "application/json")], json.clone()).into_response()
}
