//! DCAT-US 1.1 (Project Open Data) `data.json`, non-federal: the shape CKAN's data.json harvesters
//! read (`dataset[]` with `identifier`, `modified`, `distribution[].downloadURL`, …).

use satudata_core::dataset::{Access, Periodicity, ResourceKind};
use serde_json::{json, Map, Value};

use crate::site::{DownloadFormat, Package, Site};
use crate::{iso_time, license};

/// The ISO 8601 repeating duration of a periodicity (`irregular` when none fits).
pub fn iso_frequency(p: Periodicity) -> &'static str {
    match p {
        Periodicity::Harian => "R/P1D",
        Periodicity::Mingguan => "R/P1W",
        Periodicity::Bulanan => "R/P1M",
        Periodicity::Triwulanan => "R/P3M",
        Periodicity::Semesteran => "R/P6M",
        Periodicity::Tahunan => "R/P1Y",
        Periodicity::TidakTentu => "irregular",
    }
}

/// The `accessLevel` of an access level.
pub fn access_level(a: Access) -> &'static str {
    match a {
        Access::Terbuka => "public",
        Access::Terbatas => "restricted public",
        Access::Tertutup => "non-public",
    }
}

/// Only addresses that match the schema's `hasEmail` pattern are published.
fn mailto(e: &str) -> Option<String> {
    let (user, host) = e.trim().split_once('@')?;
    let ok_user = !user.is_empty()
        && user
            .chars()
            .all(|c| c.is_alphanumeric() || "_~!$&'()*+,;=:.-".contains(c));
    let ok_host = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || ".-_".contains(c));
    (ok_user && ok_host).then(|| format!("mailto:{}", e.trim()))
}

/// One dataset entry.
pub fn dataset(site: &Site, p: &Package) -> Value {
    let m = &p.dataset.meta;
    let org = &p.organization.meta;
    let lic = license::describe(&m.license);
    let mut contact = Map::new();
    contact.insert("@type".into(), "vcard:Contact".into());
    contact.insert(
        "fn".into(),
        m.author.clone().unwrap_or_else(|| org.name.clone()).into(),
    );
    if let Some(e) = m
        .author_email
        .as_deref()
        .or(org.email.as_deref())
        .and_then(mailto)
    {
        contact.insert("hasEmail".into(), e.into());
    }
    let mut distribution = vec![];
    for entry in p.resources {
        let r = &entry.resource;
        match &r.kind {
            ResourceKind::Table { .. } => {
                for f in DownloadFormat::ALL {
                    let mut d = json!({
                        "@type": "dcat:Distribution",
                        "title": format!("{} ({})", r.title, f.label()),
                        "format": f.label(),
                        "mediaType": f.media_type(),
                        "describedBy": site.schema_url(&m.slug, &r.name),
                        "describedByType": "application/json",
                        "conformsTo": "https://specs.frictionlessdata.io/table-schema/",
                    });
                    if p.data_readable && entry.latest.is_some() {
                        d["downloadURL"] = site.download_url(&m.slug, &r.name, f).into();
                    } else {
                        d["accessURL"] = site.dataset_page(&m.slug).into();
                    }
                    if !r.description.is_empty() {
                        d["description"] = r.description.clone().into();
                    }
                    distribution.push(d);
                }
            }
            ResourceKind::File { media_type, .. } => {
                let url = site.url(&format!("/dataset/{}/{}", m.slug, r.name));
                let mut d = json!({"@type": "dcat:Distribution", "title": r.title, "mediaType": media_type});
                if p.data_readable {
                    d["downloadURL"] = url.into();
                } else {
                    d["accessURL"] = site.dataset_page(&m.slug).into();
                }
                distribution.push(d);
            }
        }
    }
    let mut d = json!({
        "@type": "dcat:Dataset",
        "identifier": p.dataset.id.to_string(),
        "title": m.title,
        "description": if m.description.trim().is_empty() { m.title.clone() } else { m.description.clone() },
        "modified": iso_time(p.modified()),
        "issued": iso_time(p.dataset.created_at),
        // `subOrganizationOf` is left out: the schema's self-reference cannot be resolved offline
        // by the validators harvesters use.
        "publisher": {"@type": "org:Organization", "name": org.name},
        "contactPoint": Value::Object(contact),
        "accessLevel": access_level(m.access),
        "license": lic.url,
        "landingPage": site.dataset_page(&m.slug),
        "accrualPeriodicity": iso_frequency(m.periodicity),
        "spatial": format!("{} ({})", site.region_name, site.home_region.dotted()),
        "language": ["id"],
        "distribution": distribution,
    });
    if !m.tags.is_empty() {
        d["keyword"] = json!(m.tags);
    }
    if !p.topics.is_empty() {
        d["theme"] = p
            .topics
            .iter()
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
            .into();
    }
    if m.access != Access::Terbuka {
        d["rights"] =
            "Data terbatas: unduhan hanya untuk pengguna yang berwenang; hubungi walidata.".into();
    }
    match (m.temporal_start, m.temporal_end) {
        (Some(a), Some(b)) => d["temporal"] = format!("{a:04}-01-01/{b:04}-12-31").into(),
        (Some(a), None) => d["temporal"] = format!("{a:04}-01-01/{a:04}-12-31").into(),
        (None, Some(b)) => d["temporal"] = format!("{b:04}-01-01/{b:04}-12-31").into(),
        (None, None) => {}
    }
    if let Some(s) = m.id_sds.as_ref().filter(|s| !s.is_empty()) {
        d["systemOfRecords"] = format!("Kode Standar Data {s}").into();
    }
    d
}

/// The whole catalogue.
pub fn catalog(site: &Site, packages: &[Package]) -> Value {
    json!({
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": site.url("/data.json"),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": packages.iter().map(|p| dataset(site, p)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{fixture, site};

    #[test]
    fn dataset_entry_has_the_required_fields() {
        let f = fixture();
        let c = catalog(&site(), &[f.package()]);
        assert_eq!(
            c["conformsTo"],
            "https://project-open-data.cio.gov/v1.1/schema"
        );
        let d = &c["dataset"][0];
        for k in [
            "title",
            "description",
            "publisher",
            "contactPoint",
            "identifier",
            "accessLevel",
        ] {
            assert!(d.get(k).is_some(), "{k}");
        }
        assert_eq!(d["accessLevel"], "public");
        assert_eq!(d["accrualPeriodicity"], "R/P1Y");
        assert_eq!(d["temporal"], "2019-01-01/2024-12-31");
        assert_eq!(
            d["contactPoint"]["hasEmail"],
            "mailto:disdukcapil@example.go.id"
        );
        assert_eq!(d["distribution"].as_array().unwrap().len(), 3);
        assert_eq!(d["distribution"][0]["mediaType"], "text/csv");
        assert_eq!(d["keyword"][1], "demografi");
    }

    #[test]
    fn bad_emails_are_left_out() {
        assert_eq!(mailto("a b@x"), None);
        assert_eq!(mailto("ops@localhost"), None);
        assert_eq!(
            mailto("x@dinas.go.id").as_deref(),
            Some("mailto:x@dinas.go.id")
        );
    }
}
