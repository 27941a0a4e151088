//! The JSON API v1: one module per resource, each handler documented for OpenAPI.

pub mod aggregate;
pub mod audit;
pub mod boundaries;
pub mod changes;
pub mod ckan;
pub mod codelists;
pub mod datasets;
pub mod dcat;
pub mod downloads;
pub mod files;
pub mod gov_xlsx;
pub mod health;
pub mod infer;
pub mod kemutakhiran;
pub mod notifications;
pub mod organizations;
pub mod plan;
pub mod quality;
pub mod region_codes;
pub mod regions;
pub mod resources;
pub mod review;
pub mod rows;
pub mod topics;
pub mod users;
pub mod versions;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use satudata_core::access::{decide, Action, Principal};
use satudata_core::dataset::{Access, Dataset, Resource};
use satudata_core::organization::Organization;
use satudata_core::Id;
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The default page size of lists.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest page size of lists.
pub const MAX_LIMIT: u32 = 1000;

/// A page size within `1..=max` (`default` when not given).
pub fn clamp_limit(limit: Option<u32>, default: u32, max: u32) -> u32 {
    limit.unwrap_or(default).clamp(1, max)
}

/// `201 Created` with a `Location` header and the created record.
pub fn created(location: String, body: impl Serialize) -> Response {
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(body),
    )
        .into_response()
}

/// The organisation with this slug or id, or 404.
pub async fn find_organization(state: &AppState, slug: &str) -> ApiResult<Organization> {
    state
        .store
        .get_organization(slug)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Organisasi '{slug}' tidak ditemukan.")))
}

/// The dataset with this slug or id, or 404.
pub async fn find_dataset(state: &AppState, slug: &str) -> ApiResult<Dataset> {
    state
        .store
        .get_dataset(slug)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Dataset '{slug}' tidak ditemukan.")))
}

/// The resource with this id and its dataset, or 404.
pub async fn find_resource(state: &AppState, id: Id) -> ApiResult<(Resource, Dataset)> {
    let missing = || ApiError::not_found(format!("Sumber data '{id}' tidak ditemukan."));
    let resource = state.store.get_resource(id).await?.ok_or_else(missing)?;
    let dataset = state
        .store
        .get_dataset(&resource.dataset_id.to_string())
        .await?
        .ok_or_else(missing)?;
    Ok((resource, dataset))
}

/// Which datasets a principal may see in lists, derived from [`decide`]: the access levels whose
/// metadata it may read in any organisation (empty = all), and the organisations in which it also
/// sees every dataset (a produsen's own).
pub fn visible_datasets(principal: &Principal) -> (Vec<Access>, Vec<Id>) {
    // The nil id is no organisation anyone belongs to: "some other organisation".
    let elsewhere = Id::nil();
    let access: Vec<Access> = Access::ALL
        .into_iter()
        .filter(|&access| {
            decide(
                principal,
                Action::ReadMetadata {
                    access,
                    organization: elsewhere,
                },
            )
            .is_allowed()
        })
        .collect();
    if access.len() == Access::ALL.len() {
        return (vec![], vec![]);
    }
    let mut own: Vec<Id> = match principal {
        Principal::Anonymous => vec![],
        Principal::User { memberships, .. } => memberships
            .iter()
            .map(|m| m.organization_id)
            .filter(|&organization| {
                Access::ALL.into_iter().all(|access| {
                    decide(
                        principal,
                        Action::ReadMetadata {
                            access,
                            organization,
                        },
                    )
                    .is_allowed()
                })
            })
            .collect(),
    };
    own.sort();
    own.dedup();
    (access, own)
}

/// An OpenAPI tag for each group of routes.
pub mod tags {
    /// Health and the API description.
    pub const META: &str = "meta";
    /// Regions.
    pub const REGIONS: &str = "wilayah";
    /// Organisations and topics.
    pub const CATALOGUE: &str = "katalog";
    /// Datasets, resources, versions and rows.
    pub const DATA: &str = "data";
    /// Users and tokens.
    pub const USERS: &str = "pengguna";
    /// Pemeriksaan: submissions, the walidata's queue, diffs, the pembina's metadata review.
    pub const REVIEW: &str = "pemeriksaan";
    /// Daftar Data, kemutakhiran, quality scores, the audit log.
    pub const PLAN: &str = "tata-kelola";
}
