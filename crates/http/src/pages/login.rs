//! Login (`/masuk`) and logout (`/keluar`), with CSRF tokens on both forms.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use maud::html;
use satudata_auth::{hash_password, new_secret, secret_hash, verify_password};
use satudata_core::user::Session;
use serde::Deserialize;

use super::layout::{error_page, html_response, page};
use crate::auth::{
    cookie, looks_like_secret, set_cookie, Auth, CSRF_COOKIE, SESSION_COOKIE, SESSION_HOURS,
};
use crate::error::{ApiError, ApiResult};
use crate::pages::extract::{Form, Query};
use crate::state::AppState;

/// Where to go after login.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: Option<String>,
}

/// A form that carries only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

/// A local path to go to after login; anything else (another site, `//host`) becomes `/`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The CSRF token the login form carries, and a cookie to set when a new one was made.
fn form_token(state: &AppState, auth: &Auth, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    if let Some(session) = &auth.session {
        return (session.csrf_token.clone(), None);
    }
    match cookie(headers, CSRF_COOKIE).filter(|c| looks_like_secret(c)) {
        Some(existing) => (existing, None),
        None => {
            let token = new_secret();
            let cookie = set_cookie(
                CSRF_COOKIE,
                &token,
                SESSION_HOURS * 3600,
                state.config.secure_cookies,
            );
            (token, Some(cookie))
        }
    }
}

fn login_page(
    state: &AppState,
    auth: &Auth,
    token: &str,
    next: &str,
    username: &str,
    error: Option<&str>,
) -> maud::Markup {
    let content = html! {
        h1 { "Masuk" }
        p.lead { "Untuk produsen data, walidata, pembina data dan administrator." }
        @if let Some(user) = &auth.user {
            p.notice { "Anda sudah masuk sebagai " strong { (user.display_name) } ". Masuk lagi untuk berganti akun." }
        }
        @if let Some(e) = error { p.error role="alert" { (e) } }
        form.login method="post" action="/masuk" {
            input type="hidden" name="csrf_token" value=(token);
            input type="hidden" name="next" value=(next);
            label for="username" { "Nama pengguna" }
            input #username name="username" value=(username) autocomplete="username" required autofocus;
            label for="password" { "Kata sandi" }
            input #password type="password" name="password" autocomplete="current-password" required;
            button type="submit" { "Masuk" }
        }
    };
    page(state, auth, "Masuk", content)
}

fn with_cookie(mut res: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(c) = cookie {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// `GET /masuk`: the login form.
pub async fn form(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    let (token, new_cookie) = form_token(&state, &auth, &headers);
    let next = safe_next(q.next.as_deref());
    let mut res = html_response(
        StatusCode::OK,
        login_page(&state, &auth, &token, &next, "", None),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    with_cookie(res, new_cookie)
}

fn csrf_refused() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "Formulir kedaluwarsa",
        "Token formulir (CSRF) tidak sah atau kedaluwarsa. Muat ulang halaman lalu kirim lagi.",
    )
}

/// A hash to verify against when the user does not exist, so that both cases take as long.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("satudata-bukan-sandi-siapa-pun"))
}

/// `POST /masuk`: check the password (argon2id), start a session, go on with 303.
pub async fn submit(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> ApiResult<Response> {
    if auth.check_form_csrf(&headers, &form.csrf_token).is_err() {
        return Ok(csrf_refused());
    }
    let next = safe_next(form.next.as_deref());
    let login = state.store.get_login(form.username.trim()).await?;
    let password = form.password.clone();
    let stored = login.as_ref().map(|(_, h)| h.clone());
    let verified = tokio::task::spawn_blocking(move || match stored {
        Some(hash) => verify_password(&password, &hash),
        None => {
            verify_password(&password, dummy_hash());
            false
        }
    })
    .await
    .map_err(|e| ApiError::internal(format_args!("password check thread: {e}")))?;
    let user = match login {
        Some((user, _)) if verified && !user.disabled => user,
        _ => {
            tracing::info!(username = %form.username, "failed login");
            let (token, new_cookie) = form_token(&state, &auth, &headers);
            let markup = login_page(
                &state,
                &auth,
                &token,
                &next,
                &form.username,
                Some("Nama pengguna atau kata sandi salah."),
            );
            return Ok(with_cookie(
                html_response(StatusCode::OK, markup),
                new_cookie,
            ));
        }
    };
    if let Some(old) = &auth.session {
        state.store.delete_session(&old.id_hash).await?;
    }
    let id = new_secret();
    let now = Utc::now();
    state
        .store
        .create_session(Session {
            id_hash: secret_hash(&id),
            user_id: user.id,
            csrf_token: new_secret(),
            created_at: now,
            expires_at: now + Duration::hours(SESSION_HOURS),
        })
        .await?;
    tracing::info!(username = %user.username, "login");
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &id,
            SESSION_HOURS * 3600,
            state.config.secure_cookies,
        ),
    );
    Ok(res)
}

/// `POST /keluar`: end the session, go home with 303.
pub async fn logout(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> ApiResult<Response> {
    if auth.check_form_csrf(&headers, &form.csrf_token).is_err() {
        return Ok(csrf_refused());
    }
    if let Some(session) = &auth.session {
        state.store.delete_session(&session.id_hash).await?;
    }
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/api/v1/me")), "/api/v1/me");
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
