//! Who is asking: bearer tokens for programs, cookie sessions for people, and the CSRF checks
//! that go with cookies.
//!
//! - `Authorization: Bearer sdt_…` is looked up by the SHA-256 of the secret
//!   ([`satudata_auth::secret_hash`]); a header that is present but wrong is a 401, never a
//!   silent fall-back to the public.
//! - The cookie [`SESSION_COOKIE`] holds a random session id; the store keeps only its hash. An
//!   unknown or expired cookie means the public.
//! - Unsafe API requests (POST, PUT, DELETE) authenticated by cookie must carry the session's CSRF
//!   token in `X-CSRF-Token`; forms carry it in the field `csrf_token` (checked by the page
//!   handlers with [`Auth::check_form_csrf`]).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use chrono::Utc;
use satudata_auth::{constant_time_eq, secret_hash};
use satudata_core::access::{decide, Action, Principal};
use satudata_core::user::{Session, User};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "satudata_session";
/// The name of the double-submit CSRF cookie of anonymous forms.
pub const CSRF_COOKIE: &str = "satudata_csrf";
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
/// The header that carries the session's CSRF token on API requests made with a cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the principal was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Nobody: the public.
    Anonymous,
    /// An API token.
    Token,
    /// A session cookie.
    Session,
}

impl Via {
    /// The machine name (`anonymous`, `token`, `session`).
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Anonymous => "anonymous",
            Via::Token => "token",
            Via::Session => "session",
        }
    }
}

/// The principal of a request, with the user and session behind it.
#[derive(Debug, Clone)]
pub struct Auth {
    /// Who is asking, for [`decide`].
    pub principal: Principal,
    /// The logged-in user.
    pub user: Option<User>,
    /// The session, when authenticated by cookie.
    pub session: Option<Session>,
    /// How the principal was authenticated.
    pub via: Via,
}

impl Auth {
    fn anonymous() -> Self {
        Auth {
            principal: Principal::Anonymous,
            user: None,
            session: None,
            via: Via::Anonymous,
        }
    }

    fn user(user: User, session: Option<Session>, via: Via) -> Self {
        Auth {
            principal: Principal::User {
                id: user.id,
                username: user.username.clone(),
                memberships: user.memberships.clone(),
            },
            user: Some(user),
            session,
            via,
        }
    }

    /// `Ok` when [`decide`] allows the action, else 401 (public) or 403 (logged in).
    pub fn allow(&self, action: Action) -> ApiResult<()> {
        ApiError::check(decide(&self.principal, action))
    }

    /// The user id, for the change log.
    pub fn actor(&self) -> Option<satudata_core::Id> {
        self.principal.user_id()
    }

    /// The logged-in user, after [`Action::OwnAccount`] was allowed.
    pub fn require_user(&self) -> ApiResult<&User> {
        self.allow(Action::OwnAccount)?;
        self.user
            .as_ref()
            .ok_or_else(|| ApiError::unauthorized("Silakan masuk terlebih dahulu."))
    }

    /// Check the CSRF token of a submitted form: the session's token when logged in by cookie,
    /// else the double-submit cookie [`CSRF_COOKIE`]. A missing or wrong token is a 403.
    pub fn check_form_csrf(&self, headers: &HeaderMap, submitted: &str) -> ApiResult<()> {
        let expected = match &self.session {
            Some(s) => Some(s.csrf_token.clone()),
            None => cookie(headers, CSRF_COOKIE),
        };
        match expected {
            Some(e) if !e.is_empty() && constant_time_eq(&e, submitted) => Ok(()),
            _ => Err(ApiError::forbidden(
                "Token formulir (CSRF) tidak sah atau kedaluwarsa. Muat ulang halaman lalu kirim lagi.",
            )),
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(cached) = parts.extensions.get::<Auth>() {
            return Ok(cached.clone());
        }
        let auth = authenticate(parts, state).await?;
        parts.extensions.insert(auth.clone());
        // The audit trail records who made the request.
        if let Some(trail) = parts
            .extensions
            .get::<std::sync::Arc<crate::audit_trail::RequestAudit>>()
        {
            trail.set_auth(&auth);
        }
        Ok(auth)
    }
}

async fn authenticate(parts: &Parts, state: &AppState) -> ApiResult<Auth> {
    let now = Utc::now();
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let bad = || {
            ApiError::unauthorized(
                "Token API tidak sah, kedaluwarsa atau sudah dicabut. Kirim Authorization: Bearer <token>.",
            )
        };
        let value = value.to_str().map_err(|_| bad())?;
        let (scheme, secret) = value.trim().split_once(' ').ok_or_else(bad)?;
        if !scheme.eq_ignore_ascii_case("bearer") || secret.trim().is_empty() {
            return Err(bad());
        }
        return match state
            .store
            .use_token(&secret_hash(secret.trim()), now)
            .await?
        {
            Some((token, user)) if token.is_active(now) && !user.disabled => {
                Ok(Auth::user(user, None, Via::Token))
            }
            _ => Err(bad()),
        };
    }
    if let Some(id) = cookie(&parts.headers, SESSION_COOKIE) {
        if let Some((session, user)) = state.store.get_session(&secret_hash(&id), now).await? {
            if !user.disabled && session.expires_at > now {
                if !parts.method.is_safe() && parts.uri.path().starts_with("/api/") {
                    let sent = parts
                        .headers
                        .get(CSRF_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    if !constant_time_eq(sent, &session.csrf_token) {
                        return Err(ApiError::forbidden(
                            "Permintaan API dengan cookie sesi harus membawa header X-CSRF-Token yang sah (lihat /api/v1/me), atau pakai token API.",
                        ));
                    }
                }
                return Ok(Auth::user(user, Some(session), Via::Session));
            }
        }
    }
    Ok(Auth::anonymous())
}

/// The value of the cookie `name`, if the request has it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, `Secure` when configured; a `max_age` of 0
/// deletes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}");
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Whether a string looks like a secret made by [`satudata_auth::new_secret`] (so that a cookie
/// value can be reused as a CSRF token without trusting arbitrary input).
pub fn looks_like_secret(s: &str) -> bool {
    s.len() == 43
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
