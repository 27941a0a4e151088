//! The CKAN-compatible Action API at `/api/3/action/{name}` and `/api/action/{name}`: CKAN 2.10's
//! envelope (`help`, `success`, `result` / `error` with `__type`), statuses (409 validation, 404,
//! 403, 400 for bad searches and bad requests), GET for side-effect-free actions and POST with a
//! JSON, form or multipart body, the API token in `Authorization` (raw or `Bearer`) or
//! `X-CKAN-API-Key`. The mappings are in `satudata_interop::ckan`; permissions come from
//! [`satudata_core::access::decide`].

mod data;
mod datastore;
pub mod doc;
mod read;
mod request;
mod search;
mod write;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use satudata_core::access::{decide, Action, Decision, Principal};
use serde_json::{json, Map, Value};

use crate::state::AppState;

pub(crate) use request::Params;

/// Why an action failed, answered in CKAN's error shape.
#[derive(Debug)]
pub enum CkanError {
    /// 409 `Validation Error`, messages per field.
    Validation(Map<String, Value>),
    /// 404 `Not Found Error`.
    NotFound(String),
    /// 403 `Authorization Error`.
    Authorization(String),
    /// 400 `Search Query Error`.
    SearchQuery(String),
    /// 400 with a bare JSON string, as CKAN answers unreadable requests.
    BadRequest(String),
    /// 500 `Internal Server Error` (the cause is logged, never sent).
    Internal,
}

impl CkanError {
    /// A validation error for one field.
    pub fn field(field: &str, message: impl Into<String>) -> CkanError {
        let mut m = Map::new();
        m.insert(field.into(), json!([message.into()]));
        CkanError::Validation(m)
    }

    /// `Ok` when `decide` allows the action, else an Authorization Error.
    pub fn check(who: &Principal, action: Action) -> Result<(), CkanError> {
        match decide(who, action) {
            Decision::Allow => Ok(()),
            Decision::NeedsLogin => Err(CkanError::Authorization(
                "perlu token API (kirim Authorization: <token> atau X-CKAN-API-Key)".into(),
            )),
            Decision::Forbidden => Err(CkanError::Authorization(
                "peran Anda tidak mengizinkan tindakan ini".into(),
            )),
        }
    }
}

impl From<satudata_store::StoreError> for CkanError {
    fn from(e: satudata_store::StoreError) -> Self {
        use satudata_store::StoreError as E;
        match e {
            E::NotFound(_) => CkanError::NotFound("data tidak ditemukan".into()),
            E::Conflict(_) => CkanError::field(
                "name",
                "Alamat (name) itu sudah dipakai. (That URL is already in use.)",
            ),
            E::Invalid(m) | E::Source(m) => CkanError::field("__all__", m),
            E::Backend(what) => {
                tracing::error!(error = %what, "CKAN action: store backend");
                CkanError::Internal
            }
        }
    }
}

/// What an action returns.
pub type CkanResult = Result<Value, CkanError>;

/// Who asks, from a CKAN API token.
pub struct Caller {
    pub principal: Principal,
    pub user_id: Option<satudata_core::Id>,
    /// The user behind the token.
    pub user: Option<satudata_core::user::User>,
    /// The request's audit trail (restricted reads are noted on it).
    pub trail: crate::audit_trail::AuditTrail,
}

async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, CkanError> {
    let raw = headers
        .get("x-ckan-api-key")
        .or_else(|| headers.get(header::AUTHORIZATION))
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let Some(raw) = raw else {
        return Ok(Caller {
            principal: Principal::Anonymous,
            user_id: None,
            user: None,
            trail: Default::default(),
        });
    };
    let secret = match raw.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => raw,
    };
    let now = chrono::Utc::now();
    match state
        .store
        .use_token(&satudata_auth::secret_hash(secret), now)
        .await?
    {
        Some((token, user)) if token.is_active(now) && !user.disabled => Ok(Caller {
            user_id: Some(user.id),
            principal: Principal::User {
                id: user.id,
                username: user.username.clone(),
                memberships: user.memberships.clone(),
            },
            user: Some(user),
            trail: Default::default(),
        }),
        _ => Err(CkanError::Authorization(
            "token API tidak sah, kedaluwarsa atau sudah dicabut".into(),
        )),
    }
}

/// Actions that change nothing: they also answer GET.
const READ_ACTIONS: &[&str] = &[
    "status_show",
    "package_list",
    "package_search",
    "package_show",
    "current_package_list_with_resources",
    "organization_list",
    "organization_show",
    "group_list",
    "group_show",
    "tag_list",
    "tag_show",
    "license_list",
    "resource_show",
    "datastore_search",
];

const WRITE_ACTIONS: &[&str] = &[
    "package_create",
    "package_update",
    "package_patch",
    "resource_create",
];

fn reply(status: StatusCode, body: &Value) -> Response {
    let mut res = (status, serde_json::to_vec(body).unwrap_or_default()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn bad_request(message: &str) -> Response {
    reply(
        StatusCode::BAD_REQUEST,
        &Value::String(format!("Bad request - {message}")),
    )
}

/// `GET|POST /api/3/action/{name}` and `/api/action/{name}`.
pub async fn action(
    State(state): State<AppState>,
    trail: crate::audit_trail::AuditTrail,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> Response {
    let read = READ_ACTIONS.contains(&name.as_str());
    if !read && !WRITE_ACTIONS.contains(&name.as_str()) {
        return bad_request(&format!("Action name not known: {name}"));
    }
    let help = state.url(&format!("/api/3/action/help_show?name={name}"));
    let params = if method == Method::GET {
        if !read {
            return bad_request(
                "JSON Error: Invalid request. Please use POST method for your request",
            );
        }
        request::from_query(query.as_deref().unwrap_or(""))
    } else {
        match request::from_body(&headers, body).await {
            Ok(p) => p,
            Err(message) => return bad_request(&format!("JSON Error: {message}")),
        }
    };
    let result = match caller(&state, &headers).await {
        Ok(mut c) => {
            // The audit log records who acted through the CKAN API, as for /api/v1.
            if let Some(user) = &c.user {
                trail.set_auth(&crate::auth::Auth {
                    principal: c.principal.clone(),
                    user: Some(user.clone()),
                    session: None,
                    via: crate::auth::Via::Token,
                });
            }
            c.trail = trail;
            run(&state, &name, &c, params).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(result) => reply(
            StatusCode::OK,
            &json!({"help": help, "success": true, "result": result}),
        ),
        Err(CkanError::BadRequest(m)) => bad_request(&m),
        Err(e) => {
            let (status, error) = match e {
                CkanError::Validation(mut fields) => {
                    fields.insert("__type".into(), "Validation Error".into());
                    if !fields.contains_key("message") {
                        let summary: Vec<String> = fields
                            .iter()
                            .filter(|(k, _)| !k.starts_with("__"))
                            .map(|(k, v)| format!("{k}: {}", flat(v)))
                            .collect();
                        fields.insert("message".into(), summary.join("; ").into());
                    }
                    (StatusCode::CONFLICT, Value::Object(fields))
                }
                CkanError::NotFound(m) => (
                    StatusCode::NOT_FOUND,
                    json!({"__type": "Not Found Error", "message": format!("Not found: {m}")}),
                ),
                CkanError::Authorization(m) => (
                    StatusCode::FORBIDDEN,
                    json!({"__type": "Authorization Error", "message": format!("Access denied: {m}")}),
                ),
                CkanError::SearchQuery(m) => (
                    StatusCode::BAD_REQUEST,
                    json!({"__type": "Search Query Error", "message": format!("Search Query is invalid: {m}")}),
                ),
                CkanError::Internal | CkanError::BadRequest(_) => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"__type": "Internal Server Error", "message": "Internal Server Error"}),
                ),
            };
            reply(
                status,
                &json!({"help": help, "success": false, "error": error}),
            )
        }
    }
}

fn flat(v: &Value) -> String {
    match v {
        Value::Array(a) => a.iter().map(flat).collect::<Vec<_>>().join(" "),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn run(state: &AppState, name: &str, caller: &Caller, p: Params) -> CkanResult {
    match name {
        "status_show" => Ok(satudata_interop::ckan::status_dict(&crate::publish::site(
            state,
        ))),
        "package_list" => read::package_list(state, caller, &p).await,
        "package_search" => search::package_search(state, caller, &p).await,
        "package_show" => read::package_show(state, caller, &p).await,
        "current_package_list_with_resources" => read::current_packages(state, caller, &p).await,
        "organization_list" => read::organization_list(state, caller, &p).await,
        "organization_show" => read::organization_show(state, caller, &p).await,
        "group_list" => read::group_list(state, caller, &p).await,
        "group_show" => read::group_show(state, caller, &p).await,
        "tag_list" => read::tag_list(state, caller, &p).await,
        "tag_show" => read::tag_show(state, caller, &p).await,
        "license_list" => Ok(Value::Array(
            satudata_interop::license::LICENSES
                .iter()
                .map(satudata_interop::license::license_dict)
                .collect(),
        )),
        "resource_show" => read::resource_show(state, caller, &p).await,
        "datastore_search" => datastore::datastore_search(state, caller, &p).await,
        "package_create" => {
            write::package_write(
                state,
                caller,
                &p,
                satudata_interop::ckan::input::Mode::Create,
            )
            .await
        }
        "package_update" => {
            write::package_write(
                state,
                caller,
                &p,
                satudata_interop::ckan::input::Mode::Update,
            )
            .await
        }
        "package_patch" => {
            write::package_write(
                state,
                caller,
                &p,
                satudata_interop::ckan::input::Mode::Patch,
            )
            .await
        }
        "resource_create" => write::resource_create(state, caller, &p).await,
        other => Err(CkanError::BadRequest(format!(
            "Action name not known: {other}"
        ))),
    }
}
