//! The logged-in user, their API tokens, and user administration.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json as JsonResponse;
use chrono::{DateTime, Duration, Utc};
use satudata_auth::{check_password_policy, hash_password, new_token_secret, secret_hash};
use satudata_core::access::Action;
use satudata_core::user::{validate_username, ApiToken, Membership, NewUser, Role, User};
use satudata_core::Id;
use satudata_store::NewApiToken;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{clamp_limit, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem, ProblemItem};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The logged-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    /// How the request was authenticated: `token` or `session`.
    pub auth: &'static str,
    /// With a session cookie: the token to send as `X-CSRF-Token` on API writes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = super::tags::USERS,
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn me(auth: Auth) -> ApiResult<JsonResponse<Me>> {
    let user = auth.require_user()?.clone();
    Ok(JsonResponse(Me {
        user,
        auth: auth.via.as_str(),
        csrf_token: auth.session.as_ref().map(|s| s.csrf_token.clone()),
    }))
}

/// The caller's API tokens.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<ApiToken>,
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = super::tags::USERS,
    security(("bearer" = [])),
    responses((status = 200, body = TokenList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_tokens(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<JsonResponse<TokenList>> {
    let user = auth.require_user()?;
    Ok(JsonResponse(TokenList {
        items: state.store.list_tokens(user.id).await?,
    }))
}

/// A request for a new API token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTokenRequest {
    /// What the token is for, e.g. "skrip impor Dinkes".
    pub name: String,
    /// When the token stops working.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// Or: after this many days.
    #[serde(default)]
    pub expires_in_days: Option<u32>,
}

/// A new token with its secret, shown only this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewTokenResponse {
    pub token: ApiToken,
    /// Send as `Authorization: Bearer <secret>`. It is stored hashed and cannot be shown again.
    pub secret: String,
}

/// Create an API token for the caller; the secret is in the answer and nowhere else.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = super::tags::USERS,
    request_body = NewTokenRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = NewTokenResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_token(
    State(state): State<AppState>,
    auth: Auth,
    Json(req): Json<NewTokenRequest>,
) -> ApiResult<Response> {
    let user = auth.require_user()?;
    let mut problems = vec![];
    let name = req.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        problems.push(ProblemItem::new(
            "name",
            "Nama token wajib diisi (maksimal 100 karakter).",
        ));
    }
    let now = Utc::now();
    let expires_at = match (req.expires_at, req.expires_in_days) {
        (Some(_), Some(_)) => {
            problems.push(ProblemItem::new(
                "expires_at",
                "Isi expires_at atau expires_in_days, tidak keduanya.",
            ));
            None
        }
        (Some(at), None) => Some(at),
        (None, Some(days)) if (1..=3650).contains(&days) => {
            Some(now + Duration::days(i64::from(days)))
        }
        (None, Some(_)) => {
            problems.push(ProblemItem::new(
                "expires_in_days",
                "Masa berlaku 1 sampai 3650 hari.",
            ));
            None
        }
        (None, None) => None,
    };
    if expires_at.is_some_and(|at| at <= now) {
        problems.push(ProblemItem::new(
            "expires_at",
            "Waktu kedaluwarsa harus di masa depan.",
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            "Permintaan token tidak sah; lihat daftar kesalahan.",
            problems,
        ));
    }
    let secret = new_token_secret();
    let token = state
        .store
        .create_token(NewApiToken {
            user_id: user.id,
            name,
            secret_hash: secret_hash(&secret),
            expires_at,
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        JsonResponse(NewTokenResponse { token, secret }),
    )
        .into_response())
}

/// Revoke one of the caller's API tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = super::tags::USERS,
    params(("id" = String, Path, format = Uuid, description = "Token id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_token(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<Id>,
) -> ApiResult<StatusCode> {
    let user = auth.require_user()?;
    state
        .store
        .revoke_token(user.id, id)
        .await
        .map_err(|e| match e {
            satudata_store::StoreError::NotFound(_) => {
                ApiError::not_found("Token itu tidak ada atau bukan milik Anda.")
            }
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}

/// A page of users.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<User>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

/// Paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size (default 50, at most 1000).
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// List users (walidata, admin).
#[utoipa::path(get, path = "/api/v1/users", tag = super::tags::USERS, params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = UserList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<JsonResponse<UserList>> {
    auth.allow(Action::ReadUsers)?;
    let page = state
        .store
        .list_users(
            clamp_limit(q.limit, DEFAULT_LIMIT, MAX_LIMIT),
            q.offset.unwrap_or(0),
        )
        .await?;
    Ok(JsonResponse(UserList {
        items: page.items,
        total: page.total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// A role in an organisation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RoleGrant {
    /// Organisation slug or id.
    pub organization: String,
    pub role: Role,
}

/// A request for a new user.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUserRequest {
    /// 3–64 lower-case letters, digits, `.`, `_`, `-`.
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub email: Option<String>,
    /// At least 10 characters; stored as an argon2id hash.
    pub password: String,
    #[serde(default)]
    pub roles: Vec<RoleGrant>,
}

/// The roles a user should hold (replacing those held now).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RolesRequest {
    pub roles: Vec<RoleGrant>,
}

async fn resolve_grants(state: &AppState, grants: &[RoleGrant]) -> ApiResult<Vec<Membership>> {
    let mut out = vec![];
    let mut problems = vec![];
    for g in grants {
        match state.store.get_organization(&g.organization).await? {
            Some(org) => out.push(Membership {
                organization_id: org.id,
                role: g.role,
            }),
            None => problems.push(ProblemItem::new(
                "roles",
                format!("Organisasi '{}' tidak ditemukan.", g.organization),
            )),
        }
    }
    if problems.is_empty() {
        out.sort_by_key(|m| (m.organization_id, m.role));
        out.dedup();
        Ok(out)
    } else {
        Err(ApiError::invalid(
            "Peran tidak sah; lihat daftar kesalahan.",
            problems,
        ))
    }
}

/// Make the user hold exactly `wanted`, changing only the organisations that differ.
async fn apply_roles(
    state: &AppState,
    user: &User,
    wanted: &[Membership],
    actor: Option<Id>,
) -> ApiResult<()> {
    let mut orgs: Vec<Id> = user
        .memberships
        .iter()
        .chain(wanted)
        .map(|m| m.organization_id)
        .collect();
    orgs.sort();
    orgs.dedup();
    for org in orgs {
        let roles_in = |list: &[Membership]| {
            let mut r: Vec<Role> = list
                .iter()
                .filter(|m| m.organization_id == org)
                .map(|m| m.role)
                .collect();
            r.sort();
            r
        };
        let (have, want) = (roles_in(&user.memberships), roles_in(wanted));
        if have == want {
            continue;
        }
        if !have.is_empty() {
            state
                .store
                .set_membership(user.id, org, None, actor)
                .await?;
        }
        for role in want {
            state
                .store
                .set_membership(user.id, org, Some(role), actor)
                .await?;
        }
    }
    Ok(())
}

async fn reload(state: &AppState, id: Id) -> ApiResult<User> {
    state
        .store
        .get_user(id)
        .await?
        .ok_or_else(|| ApiError::internal(format_args!("user {id} vanished")))
}

/// Create a user with roles (admin).
#[utoipa::path(post, path = "/api/v1/users", tag = super::tags::USERS,
    request_body = NewUserRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = User),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Json(req): Json<NewUserRequest>,
) -> ApiResult<Response> {
    let user = create_user(&state, &auth, req).await?;
    Ok((StatusCode::CREATED, JsonResponse(user)).into_response())
}

/// Check and create a user with roles (shared by the API and the admin page).
pub(crate) async fn create_user(
    state: &AppState,
    auth: &Auth,
    req: NewUserRequest,
) -> ApiResult<User> {
    auth.allow(Action::ManageUsers)?;
    let mut problems = vec![];
    if let Err(m) = validate_username(&req.username) {
        problems.push(ProblemItem::new("username", m));
    }
    if req.display_name.trim().is_empty() {
        problems.push(ProblemItem::new(
            "display_name",
            "Nama tampilan wajib diisi.",
        ));
    }
    if let Err(m) = check_password_policy(&req.password) {
        problems.push(ProblemItem::new("password", m));
    }
    if let Some(e) = req.email.as_deref().filter(|e| !e.is_empty()) {
        if !e.contains('@') || e.contains(char::is_whitespace) {
            problems.push(ProblemItem::new("email", "Alamat surel tidak sah."));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(
            "Data pengguna tidak sah; lihat daftar kesalahan.",
            problems,
        ));
    }
    let memberships = resolve_grants(state, &req.roles).await?;
    let password = req.password;
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::internal(format_args!("password hashing thread: {e}")))?;
    let user = state
        .store
        .create_user(
            NewUser {
                username: req.username,
                display_name: req.display_name.trim().to_string(),
                email: req.email.filter(|e| !e.is_empty()),
                password_hash,
            },
            auth.actor(),
        )
        .await?;
    apply_roles(state, &user, &memberships, auth.actor()).await?;
    reload(state, user.id).await
}

/// Replace a user's roles (admin).
#[utoipa::path(put, path = "/api/v1/users/{username}/roles", tag = super::tags::USERS,
    params(("username" = String, Path, description = "Username")),
    request_body = RolesRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = User),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_roles(
    State(state): State<AppState>,
    auth: Auth,
    Path(username): Path<String>,
    Json(req): Json<RolesRequest>,
) -> ApiResult<JsonResponse<User>> {
    Ok(JsonResponse(
        set_user_roles(&state, &auth, &username, &req.roles).await?,
    ))
}

/// Replace a user's roles (shared by the API and the admin page).
pub(crate) async fn set_user_roles(
    state: &AppState,
    auth: &Auth,
    username: &str,
    roles: &[RoleGrant],
) -> ApiResult<User> {
    auth.allow(Action::ManageUsers)?;
    let user = state
        .store
        .get_user_by_username(username)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Pengguna '{username}' tidak ditemukan.")))?;
    let memberships = resolve_grants(state, roles).await?;
    apply_roles(state, &user, &memberships, auth.actor()).await?;
    reload(state, user.id).await
}
