//! Code lists (kode referensi) over the API: read by everyone, a new list or a new version of one
//! by the walidata or admin. A version never changes once saved.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use satudata_core::access::Action;
use satudata_core::codelist::{CodeList, CodeListMeta};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::audit_trail::AuditTrail;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem, ProblemItem};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The newest version of every code list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeListList {
    pub items: Vec<CodeListSummary>,
}

/// A code list without its codes.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeListSummary {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub source: String,
    /// The newest version.
    pub version: i32,
    /// How many codes that version has.
    pub code_count: usize,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// One version of a code list, and every version number (newest first).
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeListView {
    #[serde(flatten)]
    pub list: CodeList,
    pub versions: Vec<i32>,
}

/// Which version to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParams {
    /// A version number; the newest when left out.
    pub version: Option<i32>,
}

/// List the code lists (newest versions).
#[utoipa::path(get, path = "/api/v1/codelists", tag = super::tags::CATALOGUE,
    responses((status = 200, body = CodeListList)))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<CodeListList>> {
    auth.allow(Action::ReadCodeLists)?;
    let items = state
        .store
        .list_codelists()
        .await?
        .into_iter()
        .map(|l| CodeListSummary {
            code_count: l.meta.codes.len(),
            slug: l.meta.slug,
            title: l.meta.title,
            description: l.meta.description,
            source: l.meta.source,
            version: l.version,
            created_at: l.created_at,
        })
        .collect();
    Ok(axum::Json(CodeListList { items }))
}

/// One code list: the newest version, or `?version=N`.
#[utoipa::path(get, path = "/api/v1/codelists/{slug}", tag = super::tags::CATALOGUE,
    params(("slug" = String, Path, description = "Code list slug, e.g. jenis-kelamin"), VersionParams),
    responses(
        (status = 200, body = CodeListView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Query(params): Query<VersionParams>,
) -> ApiResult<axum::Json<CodeListView>> {
    auth.allow(Action::ReadCodeLists)?;
    let list = state
        .store
        .get_codelist(&slug, params.version)
        .await?
        .ok_or_else(|| match params.version {
            Some(v) => ApiError::not_found(format!(
                "Daftar kode '{slug}' versi {v} tidak ada. Versi yang ada terlihat di /api/v1/codelists/{slug}."
            )),
            None => ApiError::not_found(format!(
                "Daftar kode '{slug}' tidak ada. Daftar yang ada: /api/v1/codelists."
            )),
        })?;
    let versions = state.store.codelist_versions(&slug).await?;
    Ok(axum::Json(CodeListView { list, versions }))
}

/// Save a code list: version 1 of a new slug, or the next version of an existing one (walidata,
/// admin). A list identical to the newest version is not saved again (200 with that version).
#[utoipa::path(post, path = "/api/v1/codelists", tag = super::tags::CATALOGUE,
    request_body = CodeListMeta,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "A new version", body = CodeList),
        (status = 200, description = "Identical to the newest version: nothing saved", body = CodeList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    trail: AuditTrail,
    Json(meta): Json<CodeListMeta>,
) -> ApiResult<Response> {
    auth.allow(Action::ManageCodeLists)?;
    if let Err(problems) = meta.check() {
        return Err(ApiError::invalid(
            "Daftar kode tidak sah; lihat daftar kesalahan.",
            problems
                .into_iter()
                .map(|(f, m)| ProblemItem::new(&f, m))
                .collect(),
        ));
    }
    let newest = state
        .store
        .codelist_versions(&meta.slug)
        .await?
        .first()
        .copied();
    let saved = state.store.create_codelist(meta, auth.actor()).await?;
    if newest == Some(saved.version) {
        return Ok((StatusCode::OK, axum::Json(saved)).into_response());
    }
    trail.note(
        "codelist.version",
        "codelist",
        saved.meta.slug.clone(),
        serde_json::json!({"version": saved.version, "codes": saved.meta.codes.len()}),
    );
    Ok(super::created(
        format!(
            "/api/v1/codelists/{}?version={}",
            saved.meta.slug, saved.version
        ),
        saved,
    ))
}
