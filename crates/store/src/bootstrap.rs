//! Organisations every instance has from its first start: one per kecamatan and one per
//! desa/kelurahan of the home region, made from the embedded Kemendagri region codes.
//!
//! Both `satudata serve` and `satudata demo` call [`ensure_region_organizations`] at start, so it
//! must be cheap and idempotent: existing slugs are skipped by [`Store::create_organizations`], and
//! the slugs are derived from the region code alone (plus the name, for readable URLs) so they are
//! the same on every run and on every node.

use crate::{Store, StoreError, StoreResult};
use satudata_core::ids::slugify;
use satudata_core::organization::{OrgKind, OrganizationMeta};
use satudata_core::region::{Level, Region, RegionCode, RegionKind, Regions};

/// The longest slug [`satudata_core::ids::is_valid_slug`] accepts.
const MAX_SLUG: usize = 100;

/// The slug of the organisation of a kecamatan or desa/kelurahan, e.g.
/// `desa-sukarami-16-06-01-2001` or `kecamatan-sekayu-16-06-01`.
///
/// The code makes it unique (two desa may share a name); the name makes it readable. Very long
/// names are shortened so that the slug stays within 100 characters; the code is never cut.
pub fn region_org_slug(region: &Region) -> String {
    let code = region.code.dotted().replace('.', "-");
    let mut name = slugify(&region.display_name());
    let room = MAX_SLUG.saturating_sub(code.len() + 1);
    if name.len() > room {
        name.truncate(room);
        while name.ends_with('-') {
            name.pop();
        }
    }
    if name.is_empty() {
        // A name of only non-ASCII characters: the kind and code still make a valid, unique slug.
        name = region.kind.label_id().to_ascii_lowercase();
    }
    format!("{name}-{code}")
}

/// The organisation kind for a region kind (kecamatan office, desa or kelurahan government).
fn org_kind(kind: RegionKind) -> Option<OrgKind> {
    match kind {
        RegionKind::Kecamatan => Some(OrgKind::Kecamatan),
        RegionKind::Desa => Some(OrgKind::Desa),
        RegionKind::Kelurahan => Some(OrgKind::Kelurahan),
        RegionKind::Provinsi | RegionKind::Kabupaten | RegionKind::Kota => None,
    }
}

/// "Kecamatan Sekayu, Kabupaten Musi Banyuasin, Sumatera Selatan": where the region lies, for
/// the organisation's description.
fn location(regions: &Regions, region: &Region) -> String {
    regions
        .ancestry(&region.code)
        .iter()
        .rev()
        .skip(1)
        .map(|r| r.display_name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn region_org_meta(regions: &Regions, region: &Region, kind: OrgKind) -> OrganizationMeta {
    let what = match kind {
        OrgKind::Kecamatan => "Kantor",
        _ => "Pemerintah",
    };
    OrganizationMeta {
        slug: region_org_slug(region),
        name: region.display_name(),
        acronym: None,
        kind,
        description: format!(
            "{what} {}, {}. Dibuat otomatis dari kode wilayah Kemendagri {}.",
            region.display_name(),
            location(regions, region),
            region.code.dotted()
        ),
        region_code: Some(region.code.dotted()),
        parent_id: None,
        email: None,
        phone: None,
        address: None,
        website: None,
    }
}

/// Create, if missing, one organisation per kecamatan (kind `Kecamatan`) and one per
/// desa/kelurahan (kind `Desa` or `Kelurahan`) of the home region, each linked to its region
/// (`region_code`, dotted) and each desa to its kecamatan's organisation (`parent_id`).
/// Returns how many organisations were created (0 when all exist).
///
/// The home region may be a provinsi, kabupaten/kota, kecamatan or desa (a village office): the
/// organisations are those of the regions at or below it. An unknown code is
/// [`StoreError::Invalid`].
///
/// Kecamatan are created first, in one batch, because the desa need their ids as parents; the
/// desa then follow in a second batch. Existing slugs are skipped, so a second call writes nothing.
pub async fn ensure_region_organizations(store: &dyn Store, home: &RegionCode) -> StoreResult<u64> {
    let regions = Regions::get();
    let Some(home_region) = regions.by_code(home) else {
        return Err(StoreError::Invalid(format!(
            "kode wilayah {} tidak ada dalam daftar kode wilayah Kemendagri",
            home.dotted()
        )));
    };
    let at_or_below = |level: Level| -> Vec<&Region> {
        match home_region.level.cmp(&level) {
            std::cmp::Ordering::Equal => vec![home_region],
            std::cmp::Ordering::Less => regions.descendants(home, level),
            std::cmp::Ordering::Greater => vec![],
        }
    };
    let kecamatan = at_or_below(Level::Kecamatan);
    let desa = at_or_below(Level::Desa);

    let kec_metas: Vec<OrganizationMeta> = kecamatan
        .iter()
        .filter_map(|r| Some(region_org_meta(regions, r, org_kind(r.kind)?)))
        .collect();
    let mut created = if kec_metas.is_empty() {
        0
    } else {
        store.create_organizations(kec_metas, None).await?
    };

    // The parent of each desa: its kecamatan's organisation, if this instance has it (a village
    // office's instance has no kecamatan organisations).
    let mut parents = std::collections::HashMap::new();
    for kec in &kecamatan {
        if let Some(org) = store.get_organization(&region_org_slug(kec)).await? {
            parents.insert(kec.code, org.id);
        }
    }
    let desa_metas: Vec<OrganizationMeta> = desa
        .iter()
        .filter_map(|r| {
            let mut meta = region_org_meta(regions, r, org_kind(r.kind)?);
            meta.parent_id = r.code.parent().and_then(|p| parents.get(&p).copied());
            Some(meta)
        })
        .collect();
    if !desa_metas.is_empty() {
        created += store.create_organizations(desa_metas, None).await?;
    }
    // The caller logs the count: this crate has no logging of its own.
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_unique_and_valid() {
        let regions = Regions::get();
        let sukarami = regions
            .lookup("16.06.01.2001")
            .expect("Sukarami is in the registry");
        assert_eq!(region_org_slug(sukarami), "desa-sukarami-16-06-01-2001");
        let sekayu = regions
            .lookup("16.06.01")
            .expect("Sekayu is in the registry");
        assert_eq!(region_org_slug(sekayu), "kecamatan-sekayu-16-06-01");
        let home = RegionCode::parse("16.06").expect("valid code");
        let mut seen = std::collections::HashSet::new();
        for level in [Level::Kecamatan, Level::Desa] {
            for r in regions.descendants(&home, level) {
                let slug = region_org_slug(r);
                assert!(satudata_core::ids::is_valid_slug(&slug), "{slug}");
                assert!(seen.insert(slug));
            }
        }
        assert_eq!(seen.len(), 15 + 242);
    }

    #[test]
    fn every_region_slug_in_the_country_is_valid() {
        for r in Regions::get().all() {
            if matches!(r.level, Level::Kecamatan | Level::Desa) {
                let slug = region_org_slug(r);
                assert!(satudata_core::ids::is_valid_slug(&slug), "{slug}");
            }
        }
    }
}
