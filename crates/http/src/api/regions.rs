//! Kode referensi wilayah: the embedded Kemendagri registry.

use axum::Json;
use satudata_core::access::Action;
use satudata_core::region::{Level, Region, RegionCode, RegionKind, Regions};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{clamp_limit, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Path, Query};

/// A region.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionView {
    /// Dotted Kemendagri code, e.g. `16.06.01.2001`.
    pub code: String,
    /// The code without dots, e.g. `1606012001`.
    pub code_undotted: String,
    /// The name as Kemendagri writes it.
    pub name: String,
    /// The name for display, with its kind ("Kabupaten Musi Banyuasin").
    pub display_name: String,
    pub level: Level,
    pub kind: RegionKind,
    /// The parent's dotted code.
    pub parent: Option<String>,
}

impl From<&Region> for RegionView {
    fn from(r: &Region) -> Self {
        RegionView {
            code: r.code.dotted(),
            code_undotted: r.code.undotted().to_string(),
            name: r.name.clone(),
            display_name: r.display_name(),
            level: r.level,
            kind: r.kind,
            parent: r.code.parent().map(|p| p.dotted()),
        }
    }
}

/// A list of regions.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionList {
    pub items: Vec<RegionView>,
}

/// A region with its ancestry.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionDetail {
    #[serde(flatten)]
    pub region: RegionView,
    /// From the province down to the region's parent.
    pub ancestry: Vec<RegionView>,
    /// Number of direct children.
    pub children_count: usize,
}

/// Search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionQuery {
    /// Part of the name (case-insensitive).
    pub q: Option<String>,
    /// Only this level: `provinsi`, `kabupaten`, `kecamatan`, `desa`.
    pub level: Option<Level>,
    /// Only inside this region (code with or without dots).
    pub within: Option<String>,
    /// At most this many (default 50, at most 1000).
    pub limit: Option<u32>,
}

fn parse_code(code: &str) -> ApiResult<RegionCode> {
    RegionCode::parse(code).map_err(|e| ApiError::not_found(e.to_string()))
}

fn lookup(code: &str) -> ApiResult<&'static Region> {
    let parsed = parse_code(code)?;
    Regions::get().by_code(&parsed).ok_or_else(|| {
        ApiError::not_found(format!(
            "Kode wilayah '{code}' tidak ada dalam daftar Kemendagri."
        ))
    })
}

/// Search regions by name, level and parent region.
#[utoipa::path(get, path = "/api/v1/regions", tag = super::tags::REGIONS, params(RegionQuery),
    responses((status = 200, body = RegionList), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list(auth: Auth, Query(q): Query<RegionQuery>) -> ApiResult<Json<RegionList>> {
    auth.allow(Action::ReadCatalogue)?;
    let within = match q.within.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(w) => Some(
            RegionCode::parse(w).map_err(|e| ApiError::invalid_field("within", e.to_string()))?,
        ),
        None => None,
    };
    let limit = clamp_limit(q.limit, DEFAULT_LIMIT, MAX_LIMIT) as usize;
    let hits = Regions::get().search(
        q.q.as_deref().unwrap_or(""),
        q.level,
        within.as_ref(),
        limit,
    );
    Ok(Json(RegionList {
        items: hits.into_iter().map(RegionView::from).collect(),
    }))
}

/// One region by code (`16.06.01.2001` or `1606012001`), with its ancestry.
#[utoipa::path(get, path = "/api/v1/regions/{code}", tag = super::tags::REGIONS,
    params(("code" = String, Path, description = "Kemendagri code, with or without dots")),
    responses((status = 200, body = RegionDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(auth: Auth, Path(code): Path<String>) -> ApiResult<Json<RegionDetail>> {
    auth.allow(Action::ReadCatalogue)?;
    let region = lookup(&code)?;
    let regions = Regions::get();
    let mut ancestry: Vec<RegionView> = regions
        .ancestry(&region.code)
        .into_iter()
        .map(RegionView::from)
        .collect();
    ancestry.pop();
    Ok(Json(RegionDetail {
        region: region.into(),
        ancestry,
        children_count: regions.children(&region.code).len(),
    }))
}

/// The direct children of a region (the kecamatan of a kabupaten, the desa of a kecamatan, …).
#[utoipa::path(get, path = "/api/v1/regions/{code}/children", tag = super::tags::REGIONS,
    params(("code" = String, Path, description = "Kemendagri code, with or without dots")),
    responses((status = 200, body = RegionList), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn children(auth: Auth, Path(code): Path<String>) -> ApiResult<Json<RegionList>> {
    auth.allow(Action::ReadCatalogue)?;
    let region = lookup(&code)?;
    Ok(Json(RegionList {
        items: Regions::get()
            .children(&region.code)
            .into_iter()
            .map(RegionView::from)
            .collect(),
    }))
}
