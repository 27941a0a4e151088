//! Organisations: OPDs, the walidata, the pembina, kecamatan and desa.

use axum::extract::State;
use axum::response::Response;
use axum::Json as JsonResponse;
use satudata_core::access::Action;
use satudata_core::ids::is_valid_slug;
use satudata_core::organization::{OrgKind, Organization, OrganizationMeta};
use satudata_core::region::{RegionCode, Regions};
use satudata_store::OrgQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{clamp_limit, created, find_organization, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem, ProblemItem};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// A page of organisations.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationList {
    pub items: Vec<Organization>,
    /// All matching organisations.
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

/// Filters for the organisation list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// Only this kind: `opd`, `walidata`, `pembina`, `kecamatan`, `desa`, `kelurahan`, `lainnya`.
    pub kind: Option<OrgKind>,
    /// Part of the name or acronym.
    pub q: Option<String>,
    /// Only organisations whose region lies inside this region code.
    pub within: Option<String>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// List organisations.
#[utoipa::path(get, path = "/api/v1/organizations", tag = super::tags::CATALOGUE, params(OrganizationQuery),
    responses(
        (status = 200, body = OrganizationList),
        (status = 422, description = "`within` is not a region code", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<OrganizationQuery>,
) -> ApiResult<JsonResponse<OrganizationList>> {
    auth.allow(Action::ReadCatalogue)?;
    let within_region = match q.within.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(w) => Some(
            RegionCode::parse(w)
                .map_err(|e| ApiError::invalid_field("within", e.to_string()))?
                .dotted(),
        ),
        None => None,
    };
    let query = OrgQuery {
        kind: q.kind,
        within_region,
        q: q.q.filter(|s| !s.trim().is_empty()),
        limit: clamp_limit(q.limit, DEFAULT_LIMIT, MAX_LIMIT),
        offset: q.offset.unwrap_or(0),
    };
    let page = state.store.list_organizations(&query).await?;
    Ok(JsonResponse(OrganizationList {
        items: page.items,
        total: page.total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// One organisation by slug (or id).
#[utoipa::path(get, path = "/api/v1/organizations/{slug}", tag = super::tags::CATALOGUE,
    params(("slug" = String, Path, description = "Slug or id")),
    responses((status = 200, body = Organization), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> ApiResult<JsonResponse<Organization>> {
    auth.allow(Action::ReadCatalogue)?;
    Ok(JsonResponse(find_organization(&state, &slug).await?))
}

/// Create an organisation (walidata, admin).
#[utoipa::path(post, path = "/api/v1/organizations", tag = super::tags::CATALOGUE,
    request_body = OrganizationMeta,
    security(("bearer" = [])),
    responses(
        (status = 201, body = Organization),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Json(meta): Json<OrganizationMeta>,
) -> ApiResult<Response> {
    let org = create_organization(&state, &auth, meta).await?;
    Ok(created(
        state.url(&format!("/api/v1/organizations/{}", org.meta.slug)),
        org,
    ))
}

/// Replace an organisation's fields (walidata, admin).
#[utoipa::path(put, path = "/api/v1/organizations/{slug}", tag = super::tags::CATALOGUE,
    params(("slug" = String, Path, description = "Slug or id")),
    request_body = OrganizationMeta,
    security(("bearer" = [])),
    responses(
        (status = 200, body = Organization),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The new slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
    Json(meta): Json<OrganizationMeta>,
) -> ApiResult<JsonResponse<Organization>> {
    Ok(JsonResponse(
        update_organization(&state, &auth, &slug, meta).await?,
    ))
}

/// Check and create an organisation (shared by the API and the admin page).
pub(crate) async fn create_organization(
    state: &AppState,
    auth: &Auth,
    meta: OrganizationMeta,
) -> ApiResult<Organization> {
    auth.allow(Action::ManageCatalogue)?;
    let meta = validate(state, meta, None).await?;
    Ok(state.store.create_organization(meta, auth.actor()).await?)
}

/// Check and replace an organisation's fields (shared by the API and the admin page).
pub(crate) async fn update_organization(
    state: &AppState,
    auth: &Auth,
    slug: &str,
    meta: OrganizationMeta,
) -> ApiResult<Organization> {
    auth.allow(Action::ManageCatalogue)?;
    let existing = find_organization(state, slug).await?;
    let meta = validate(state, meta, Some(existing.id)).await?;
    Ok(state
        .store
        .update_organization(existing.id, meta, auth.actor())
        .await?)
}

/// Check an organisation's fields; the region code is normalised to its dotted form.
async fn validate(
    state: &AppState,
    mut meta: OrganizationMeta,
    this: Option<satudata_core::Id>,
) -> ApiResult<OrganizationMeta> {
    let mut problems = vec![];
    if !is_valid_slug(&meta.slug) {
        problems.push(ProblemItem::new(
            "slug",
            "Slug hanya boleh huruf kecil, angka dan tanda minus (2–100 karakter), misalnya 'dinkes'.",
        ));
    }
    if meta.name.trim().is_empty() {
        problems.push(ProblemItem::new("name", "Nama organisasi wajib diisi."));
    }
    match meta.region_code.as_deref().map(str::trim) {
        None | Some("") => meta.region_code = None,
        Some(code) => match RegionCode::parse(code) {
            Ok(c) if Regions::get().by_code(&c).is_some() => meta.region_code = Some(c.dotted()),
            Ok(_) => problems.push(ProblemItem::new(
                "region_code",
                format!("Kode wilayah '{code}' tidak ada dalam daftar Kemendagri."),
            )),
            Err(e) => problems.push(ProblemItem::new("region_code", e.to_string())),
        },
    }
    if let Some(parent) = meta.parent_id {
        if Some(parent) == this {
            problems.push(ProblemItem::new(
                "parent_id",
                "Organisasi tidak bisa menjadi induk dirinya sendiri.",
            ));
        } else if state
            .store
            .get_organization(&parent.to_string())
            .await?
            .is_none()
        {
            problems.push(ProblemItem::new(
                "parent_id",
                "Organisasi induk tidak ditemukan.",
            ));
        }
    }
    if let Some(email) = meta.email.as_deref().filter(|e| !e.is_empty()) {
        if !email.contains('@') || email.contains(char::is_whitespace) {
            problems.push(ProblemItem::new("email", "Alamat surel tidak sah."));
        }
    }
    if problems.is_empty() {
        Ok(meta)
    } else {
        Err(ApiError::invalid(
            "Data organisasi tidak sah; lihat daftar kesalahan.",
            problems,
        ))
    }
}
