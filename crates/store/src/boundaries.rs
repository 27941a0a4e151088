//! Boundaries of regions (kecamatan, desa/kelurahan): GeoJSON geometries keyed by Kemendagri code,
//! kept twice — as loaded, and a simplified copy for maps (a few kilobytes per desa instead of
//! tens). Loaded from GeoJSON files (`satudata boundaries load`) or by an admin over the API.
//!
//! Contract every backend keeps: [`BoundaryStore::put_boundaries`] writes all of its items or none
//! (one transaction); a code loaded again replaces its boundary; listing is in code order.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use satudata_core::region::{Level, RegionCode};
use satudata_core::Id;
use serde::Serialize;

use crate::{StoreError, StoreResult};

/// A region's boundary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Boundary {
    /// Dotted Kemendagri code.
    pub code: String,
    pub level: Level,
    pub name: String,
    /// The GeoJSON geometry as loaded (empty when listed without it).
    pub geometry: String,
    /// The simplified GeoJSON geometry for maps.
    pub simplified: String,
    /// Where it came from (file name, `api`).
    pub source: String,
    pub updated_by: Option<Id>,
    pub updated_at: DateTime<Utc>,
}

/// A boundary to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBoundary {
    /// Dotted Kemendagri code; its level must be `level`.
    pub code: String,
    pub level: Level,
    pub name: String,
    /// GeoJSON geometry (JSON text).
    pub geometry: String,
    /// Simplified GeoJSON geometry (JSON text).
    pub simplified: String,
}

/// The level name as stored (`kecamatan`, `desa`, …).
pub fn level_str(level: Level) -> &'static str {
    match level {
        Level::Provinsi => "provinsi",
        Level::Kabupaten => "kabupaten",
        Level::Kecamatan => "kecamatan",
        Level::Desa => "desa",
    }
}

/// The level of a stored name.
pub fn parse_level(s: &str) -> StoreResult<Level> {
    Ok(match s {
        "provinsi" => Level::Provinsi,
        "kabupaten" => Level::Kabupaten,
        "kecamatan" => Level::Kecamatan,
        "desa" => Level::Desa,
        other => return Err(StoreError::Backend(format!("bad boundary level '{other}'"))),
    })
}

/// Check boundaries before writing: codes in dotted form of their level, no duplicates, geometries
/// JSON objects. Errors name the code (Bahasa Indonesia).
pub fn check(items: &[NewBoundary]) -> StoreResult<()> {
    let mut seen = std::collections::HashSet::new();
    for b in items {
        let code = RegionCode::parse(&b.code).map_err(|e| {
            StoreError::Invalid(format!("kode wilayah '{}' tidak sah: {e}", b.code))
        })?;
        if code.to_string() != b.code {
            return Err(StoreError::Invalid(format!(
                "kode wilayah '{}' harus ditulis bertitik: {code}",
                b.code
            )));
        }
        if code.level() != b.level {
            return Err(StoreError::Invalid(format!(
                "kode '{}' adalah kode {}, bukan {}",
                b.code,
                code.level().label_id(),
                b.level.label_id()
            )));
        }
        if !seen.insert(b.code.as_str()) {
            return Err(StoreError::Invalid(format!(
                "kode '{}' muncul lebih dari sekali",
                b.code
            )));
        }
        for (what, text) in [
            ("geometri", &b.geometry),
            ("geometri sederhana", &b.simplified),
        ] {
            match serde_json::from_str::<serde_json::Value>(text) {
                Ok(v) if v.is_object() => {}
                _ => {
                    return Err(StoreError::Invalid(format!(
                        "{what} wilayah '{}' bukan objek GeoJSON",
                        b.code
                    )))
                }
            }
        }
    }
    Ok(())
}

/// The dotted-code prefix a `within` filter matches (`16.06` → codes `16.06.…`); empty for all.
pub fn within_prefix(within: &str) -> StoreResult<String> {
    if within.trim().is_empty() {
        return Ok(String::new());
    }
    let code = RegionCode::parse(within)
        .map_err(|e| StoreError::Invalid(format!("kode wilayah '{within}' tidak sah: {e}")))?;
    Ok(format!("{code}."))
}

/// Boundaries of regions, kept by each backend.
#[async_trait]
pub trait BoundaryStore: Send + Sync {
    /// Store `items` (replacing the boundaries of codes that have one), all in one transaction:
    /// every item or none. `source` says where they came from. Returns how many were written.
    async fn put_boundaries(
        &self,
        items: &[NewBoundary],
        source: &str,
        actor: Option<Id>,
    ) -> StoreResult<u64>;

    /// The boundary of one region, with both geometries.
    async fn get_boundary(&self, code: &str) -> StoreResult<Option<Boundary>>;

    /// Boundaries of `level` inside the region `within` (all when empty), in code order; with
    /// `full` false the loaded geometry is left out (empty) and only the simplified one is read.
    async fn list_boundaries(
        &self,
        within: &str,
        level: Level,
        full: bool,
    ) -> StoreResult<Vec<Boundary>>;
}
