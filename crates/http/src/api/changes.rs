//! The change log (the server's sequence), for sync.

use axum::extract::State;
use axum::Json as JsonResponse;
use satudata_core::access::Action;
use satudata_core::dataset::Change;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{clamp_limit, MAX_LIMIT};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::state::AppState;

/// A page of the change log.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeList {
    pub items: Vec<Change>,
    /// Pass as `since` to get the next page (the last `seq` seen).
    pub next_since: i64,
}

/// Where to start.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangeQuery {
    /// Changes after this sequence number (default 0: from the start).
    pub since: Option<i64>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// Changes after a sequence number, oldest first (walidata, admin).
#[utoipa::path(get, path = "/api/v1/changes", tag = super::tags::META, params(ChangeQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ChangeList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ChangeQuery>,
) -> ApiResult<JsonResponse<ChangeList>> {
    // The log names every record and actor of the instance, closed datasets and users included:
    // only those who may read users read it. (Core has no action of its own for it yet.)
    auth.allow(Action::ReadChanges)?;
    let since = q.since.unwrap_or(0).max(0);
    let items = state
        .store
        .changes_since(since, clamp_limit(q.limit, 100, MAX_LIMIT))
        .await?;
    let next_since = items.last().map(|c| c.seq).unwrap_or(since);
    Ok(JsonResponse(ChangeList { items, next_since }))
}
