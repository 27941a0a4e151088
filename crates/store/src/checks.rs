//! Checks of records before they are stored, shared by every backend so that both refuse the same
//! input with the same message (Bahasa Indonesia, naming the field).

use satudata_core::dataset::{DatasetMeta, NewResource, ResourceKind, Topic};
use satudata_core::ids::is_valid_slug;
use satudata_core::organization::OrganizationMeta;
use satudata_core::region::RegionCode;

use crate::{StoreError, StoreResult};

/// Check an organisation's fields and normalise its region code to the dotted form.
pub fn check_org(mut meta: OrganizationMeta) -> StoreResult<OrganizationMeta> {
    if !is_valid_slug(&meta.slug) {
        return Err(StoreError::Invalid(format!(
            "slug organisasi '{}' tidak sah: pakai huruf kecil, angka dan tanda minus (2–100 karakter)",
            meta.slug
        )));
    }
    if meta.name.trim().is_empty() {
        return Err(StoreError::Invalid(
            "Nama organisasi wajib diisi.".to_string(),
        ));
    }
    if let Some(code) = &meta.region_code {
        let parsed = RegionCode::parse(code).map_err(|e| StoreError::Invalid(e.to_string()))?;
        meta.region_code = Some(parsed.dotted());
    }
    Ok(meta)
}

/// Check dataset metadata; every problem is named (Bahasa Indonesia).
pub fn check_dataset(meta: &DatasetMeta) -> StoreResult<()> {
    meta.validate().map_err(|problems| {
        StoreError::Invalid(
            problems
                .iter()
                .map(|p| format!("{}: {}", p.field, p.message))
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// Check a new resource: a Frictionless-style name, and a valid schema for tables.
pub fn check_resource(new: &NewResource) -> StoreResult<()> {
    let name_ok = (1..=100).contains(&new.name.len())
        && new.name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
    if !name_ok {
        return Err(StoreError::Invalid(format!(
            "nama sumber daya '{}' tidak sah: pakai 1–100 huruf kecil, angka, '-', '_' atau '.'",
            new.name
        )));
    }
    if let ResourceKind::Table { schema } = &new.kind {
        schema
            .check()
            .map_err(|p| StoreError::Invalid(p.join(" ")))?;
    }
    Ok(())
}

/// Check a topic: a valid slug and a name.
pub fn check_topic(topic: &Topic) -> StoreResult<()> {
    if !is_valid_slug(&topic.slug) {
        return Err(StoreError::Invalid(format!(
            "slug topik '{}' tidak sah",
            topic.slug
        )));
    }
    if topic.name.trim().is_empty() {
        return Err(StoreError::Invalid("Nama topik wajib diisi.".to_string()));
    }
    Ok(())
}

/// Parse a region code given as a filter (with or without dots) into its dotted form.
pub fn dotted_region(code: &str) -> StoreResult<String> {
    RegionCode::parse(code)
        .map(|c| c.dotted())
        .map_err(|e| StoreError::Invalid(e.to_string()))
}
