//! Region boundaries for maps: an admin uploads GeoJSON (`POST /api/v1/boundaries`), anyone reads
//! the boundaries of a region's parts (`GET /api/v1/boundaries/{code}`). The file is read as
//! `satudata boundaries load` reads it (satudata_charts::geo): codes from a recognised property,
//! names matched within the home region, unmatched features listed, all or nothing.

use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use satudata_charts::geo::{read_boundaries, GeoOptions};
use satudata_core::access::Action;
use satudata_core::region::{Level, RegionCode, Regions};
use satudata_store::boundaries::NewBoundary;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem, ProblemItem};
use crate::extract::{Path, Query};
use crate::state::AppState;

/// The largest GeoJSON upload (a province's desa fit).
pub const MAX_GEOJSON: usize = 64 << 20;

/// Options of an upload.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// Only features of this level (`kabupaten`, `kecamatan`, `desa`), and the level names are
    /// matched at when codes are missing.
    pub level: Option<Level>,
    /// The property holding the Kemendagri code (default: recognised, e.g. `code`, `kode`, `KDEPUM`).
    pub code_property: Option<String>,
    /// Store the features that match even when some do not (default: store nothing then).
    #[serde(default)]
    pub skip_unmatched: bool,
}

/// A feature that could not be placed.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnmatchedFeature {
    /// 1-based position in the file.
    pub feature: usize,
    pub name: Option<String>,
    /// Why (Bahasa Indonesia).
    pub reason: String,
}

/// What an upload stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoundaryLoad {
    /// Boundaries stored.
    pub loaded: u64,
    /// The property codes were read from (`null`: matched by name).
    pub code_property: Option<String>,
    /// Features matched by name.
    pub matched_by_name: usize,
    /// Features skipped (only with `skip_unmatched`).
    pub unmatched: Vec<UnmatchedFeature>,
}

/// Load region boundaries from GeoJSON (admin).
#[utoipa::path(post, path = "/api/v1/boundaries", tag = super::tags::REGIONS, params(UploadParams),
    request_body(content = Object, content_type = "application/geo+json",
        description = "A FeatureCollection of Polygon/MultiPolygon features with a Kemendagri code (or name) property"),
    responses(
        (status = 200, body = BoundaryLoad),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not GeoJSON, or features that match no region (nothing stored)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    Query(params): Query<UploadParams>,
    body: Body,
) -> ApiResult<Json<BoundaryLoad>> {
    auth.allow(Action::ManageBoundaries)?;
    let bytes = axum::body::to_bytes(body, MAX_GEOJSON).await.map_err(|_| {
        ApiError::too_large(format!(
            "Berkas GeoJSON paling besar {} MB; bagi per kabupaten.",
            MAX_GEOJSON >> 20
        ))
    })?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::invalid_field("body", "berkas GeoJSON harus UTF-8"))?;
    Ok(Json(
        load_boundaries(&state, &auth, &params, text, "api").await?,
    ))
}

/// Read a GeoJSON text and store its boundaries, all or nothing (with `skip_unmatched`, the
/// features that match): the work of `POST /api/v1/boundaries` and of the admin's settings page.
/// `source` says where they came from in the store's record.
pub async fn load_boundaries(
    state: &AppState,
    auth: &Auth,
    params: &UploadParams,
    text: &str,
    source: &str,
) -> ApiResult<BoundaryLoad> {
    auth.allow(Action::ManageBoundaries)?;
    let opts = GeoOptions {
        level: params.level,
        code_property: params.code_property.clone(),
        home: Some(state.config.home_region),
    };
    let read = read_boundaries(text, &opts).map_err(|m| ApiError::invalid_field("body", m))?;
    if !read.unmatched.is_empty() && !params.skip_unmatched {
        let items = read
            .unmatched
            .iter()
            .map(|u| {
                ProblemItem::new(
                    format!("fitur {}", u.feature),
                    match &u.name {
                        Some(n) => format!("{n}: {}", u.reason),
                        None => u.reason.clone(),
                    },
                )
            })
            .collect();
        return Err(ApiError::invalid(
            format!(
                "{} fitur tidak cocok dengan wilayah mana pun; tidak ada yang disimpan. Perbaiki berkasnya, sebutkan level/code_property, atau kirim skip_unmatched=true.",
                read.unmatched.len()
            ),
            items,
        ));
    }
    if read.boundaries.is_empty() {
        return Err(ApiError::invalid_field(
            "body",
            "berkas tidak berisi batas wilayah yang bisa dipakai",
        ));
    }
    let items: Vec<NewBoundary> = read
        .boundaries
        .iter()
        .map(|b| NewBoundary {
            code: b.code.clone(),
            level: b.level,
            name: b.name.clone(),
            geometry: b.geometry.clone(),
            simplified: b.simplified.clone(),
        })
        .collect();
    let loaded = state
        .store
        .put_boundaries(&items, source, auth.actor())
        .await?;
    state.data_api.visuals.boundaries_changed();
    Ok(BoundaryLoad {
        loaded,
        code_property: read.code_property,
        matched_by_name: read.boundaries.iter().filter(|b| b.matched_by_name).count(),
        unmatched: read
            .unmatched
            .into_iter()
            .map(|u| UnmatchedFeature {
                feature: u.feature,
                name: u.name,
                reason: u.reason,
            })
            .collect(),
    })
}

/// Which boundaries to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChildrenParams {
    /// The level of the parts (default `desa`; `kecamatan` for the kecamatan of a kabupaten).
    pub level: Option<Level>,
    /// `full` for the geometry as loaded; by default the simplified copy for maps.
    pub detail: Option<String>,
}

/// The boundaries of a region's parts as a GeoJSON FeatureCollection (e.g. every desa of 16.06);
/// for a desa, its own boundary. Properties: `code`, `name`, `level`.
#[utoipa::path(get, path = "/api/v1/boundaries/{code}", tag = super::tags::REGIONS,
    params(("code" = String, Path, description = "Kemendagri code, with or without dots"), ChildrenParams),
    responses(
        (status = 200, description = "A FeatureCollection (empty when no boundaries are loaded)", content_type = "application/geo+json", body = Object),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown `level` or `detail`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn children(
    State(state): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(params): Query<ChildrenParams>,
) -> ApiResult<Response> {
    auth.allow(Action::ReadCatalogue)?;
    let parsed = RegionCode::parse(&code).map_err(|e| ApiError::not_found(e.to_string()))?;
    if Regions::get().by_code(&parsed).is_none() {
        return Err(ApiError::not_found(format!(
            "Kode wilayah '{code}' tidak ada dalam daftar Kemendagri."
        )));
    }
    let full = match params.detail.as_deref() {
        None | Some("") | Some("sederhana") => false,
        Some("full") | Some("lengkap") => true,
        Some(other) => {
            return Err(ApiError::invalid_field(
                "detail",
                format!("detail '{other}' tidak dikenal; pakai full atau kosongkan"),
            ))
        }
    };
    let level = params.level.unwrap_or(Level::Desa);
    let boundaries = if parsed.level() >= level {
        state
            .store
            .get_boundary(&parsed.dotted())
            .await?
            .into_iter()
            .collect()
    } else {
        state
            .store
            .list_boundaries(&parsed.dotted(), level, full)
            .await?
    };
    let mut out = String::with_capacity(
        boundaries
            .iter()
            .map(|b| b.simplified.len() + 120)
            .sum::<usize>()
            + 64,
    );
    out.push_str("{\"type\":\"FeatureCollection\",\"features\":[");
    for (i, b) in boundaries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let props = serde_json::json!({"code": b.code, "name": b.name, "level": b.level});
        out.push_str("{\"type\":\"Feature\",\"properties\":");
        out.push_str(&props.to_string());
        out.push_str(",\"geometry\":");
        out.push_str(if full { &b.geometry } else { &b.simplified });
        out.push('}');
    }
    out.push_str("]}");
    Ok((
        [
            (header::CONTENT_TYPE, "application/geo+json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        out,
    )
        .into_response())
}
