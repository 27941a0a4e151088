//! A user's in-app notifications (review decisions, reminders of the Daftar Data).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json as JsonResponse;
use satudata_core::notification::Notification;
use satudata_core::Id;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{clamp_limit, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Path, Query};
use crate::state::AppState;

/// Which notifications.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationParams {
    /// Only unread ones.
    pub unread: Option<bool>,
    pub limit: Option<u32>,
}

/// The caller's notifications, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    pub items: Vec<Notification>,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = super::tags::USERS, params(NotificationParams),
    responses(
        (status = 200, body = NotificationList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<NotificationParams>,
) -> ApiResult<JsonResponse<NotificationList>> {
    let user = auth.require_user()?;
    let items = state
        .store
        .list_notifications(
            user.id,
            p.unread.unwrap_or(false),
            clamp_limit(p.limit, DEFAULT_LIMIT, MAX_LIMIT),
        )
        .await?;
    Ok(JsonResponse(NotificationList { items }))
}

/// Mark one of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/me/notifications/{id}/read", tag = super::tags::USERS,
    params(("id" = String, Path, format = Uuid, description = "Notification id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Marked read"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn mark_read(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
) -> ApiResult<StatusCode> {
    mark_read_for(&state, &auth, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark notification `id` of the logged-in user read (shared by the API and the workspace).
pub(crate) async fn mark_read_for(state: &AppState, auth: &Auth, id: Id) -> ApiResult<()> {
    let user = auth.require_user()?;
    state
        .store
        .mark_notification_read(user.id, id)
        .await
        .map_err(|e| match e {
            satudata_store::StoreError::NotFound(_) => {
                ApiError::not_found("Notifikasi itu tidak ada di akun Anda.")
            }
            other => other.into(),
        })?;
    Ok(())
}
