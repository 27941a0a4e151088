//! Package, resource, organisation, group and tag dicts in CKAN 2.10's shape, with the national
//! SDI portal's fields (`id_dds`, `satuan`, `accessRights`, …) as top-level keys as ckanext-scheming
//! puts them, so the national portal's harvester reads them unchanged.

use satudata_core::dataset::{Access, DataKind, PresentationLevel, ResourceKind, Topic};
use satudata_core::organization::Organization;
use satudata_core::schema::{FieldType, TableSchema};
use serde_json::{json, Map, Value};

use crate::site::{DownloadFormat, Package, ResourceEntry, Site};
use crate::{ckan_time, license, name_id};

/// The CKAN version the API answers as (the national portal runs 2.9; clients check ≥ 2.0).
pub const CKAN_VERSION: &str = "2.10.4";

/// `status_show`.
pub fn status_dict(site: &Site) -> Value {
    json!({
        "ckan_version": CKAN_VERSION,
        "site_title": site.title,
        "site_description": site.description,
        "site_url": site.base_url,
        "locale_default": "id",
        "error_emails_to": null,
        "extensions": ["satudata", "datastore", "dcat", "scheming_datasets"],
    })
}

/// The SDI `jenis` value.
fn jenis(kind: DataKind) -> &'static str {
    match kind {
        DataKind::Statistik => "statistik",
        DataKind::Geospasial => "geospasial",
        DataKind::Keuangan => "keuangan",
        DataKind::Lainnya => "lainnya",
    }
}

fn level(l: PresentationLevel) -> &'static str {
    match l {
        PresentationLevel::Nasional => "nasional",
        PresentationLevel::Provinsi => "provinsi",
        PresentationLevel::Kabupaten => "kabupaten/kota",
        PresentationLevel::Kecamatan => "kecamatan",
        PresentationLevel::Desa => "desa",
        PresentationLevel::Unit => "unit",
    }
}

/// A tag dict (as inside a package, and as `tag_show` / `tag_list?all_fields` give it).
pub fn tag_dict(name: &str) -> Value {
    json!({
        "id": name_id("tag", name),
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": null,
    })
}

/// A group dict for a topic. `package_count` is set when known (lists and `group_show`).
pub fn group_dict(site: &Site, topic: &Topic, package_count: Option<u64>) -> Value {
    let mut d = json!({
        "id": name_id("group", &topic.slug),
        "name": topic.slug,
        "title": topic.name,
        "display_name": topic.name,
        "description": topic.description,
        "image_url": "",
        "image_display_url": "",
        "type": "group",
        "is_organization": false,
        "approval_status": "approved",
        "state": "active",
        "url": site.topic_url(&topic.slug),
    });
    if let Some(n) = package_count {
        d["package_count"] = n.into();
    }
    if let Some(en) = &topic.name_en {
        d["title_en"] = en.clone().into();
    }
    d
}

/// Numbers shown with an organisation in lists and `organization_show`.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrgCounts {
    /// Datasets the reader can see.
    pub package_count: u64,
}

/// An organisation dict; `counts` adds `package_count` and `num_followers` (lists, `organization_show`).
pub fn organization_dict(org: &Organization, counts: Option<OrgCounts>) -> Value {
    let m = &org.meta;
    let mut extras = vec![json!({"key": "jenis_organisasi", "value": m.kind.as_str()})];
    for (k, v) in [
        ("singkatan", &m.acronym),
        ("kode_wilayah", &m.region_code),
        ("email", &m.email),
        ("telepon", &m.phone),
        ("alamat", &m.address),
        ("situs", &m.website),
    ] {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            extras.push(json!({"key": k, "value": v}));
        }
    }
    let mut d = json!({
        "id": org.id,
        "name": m.slug,
        "title": m.name,
        "display_name": m.name,
        "description": m.description,
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(org.created_at),
        "type": "organization",
        "is_organization": true,
        "approval_status": "approved",
        "state": "active",
        "extras": extras,
    });
    if let Some(c) = counts {
        d["package_count"] = c.package_count.into();
        d["num_followers"] = 0.into();
    }
    d
}

/// The Datastore type of a Table Schema field (`text`, `int`, `numeric`, `bool`, `date`, `timestamp`).
pub fn datastore_type(t: FieldType) -> &'static str {
    match t {
        FieldType::Integer | FieldType::Year => "int",
        FieldType::Number => "numeric",
        FieldType::Boolean => "bool",
        FieldType::Date => "date",
        FieldType::Datetime => "timestamp",
        FieldType::Time => "time",
        _ => "text",
    }
}

/// The `fields` of `datastore_search`: `_id` first, then one per schema field with its
/// Data Dictionary `info` (label, notes, unit).
pub fn datastore_fields(schema: &TableSchema) -> Vec<Value> {
    let mut out = vec![json!({"id": "_id", "type": "int"})];
    for f in &schema.fields {
        let mut info = Map::new();
        if let Some(t) = &f.title {
            info.insert("label".into(), t.clone().into());
        }
        if let Some(d) = &f.description {
            info.insert("notes".into(), d.clone().into());
        }
        if let Some(u) = &f.unit {
            info.insert("unit".into(), u.clone().into());
        }
        let mut d = json!({"id": f.name, "type": datastore_type(f.field_type)});
        if !info.is_empty() {
            d["info"] = Value::Object(info);
        }
        out.push(d);
    }
    out
}

/// A resource dict. A table resource is described by its CSV download (its `datastore_active`
/// rows answer `datastore_search`); a file by its own download.
pub fn resource_dict(site: &Site, p: &Package, entry: &ResourceEntry, position: usize) -> Value {
    let r = &entry.resource;
    let slug = &p.dataset.meta.slug;
    let meta = &p.dataset.meta;
    let (format, mimetype, url, size, hash, datastore) = match &r.kind {
        ResourceKind::Table { .. } => (
            "CSV".to_string(),
            DownloadFormat::Csv.media_type().to_string(),
            site.download_url(slug, &r.name, DownloadFormat::Csv),
            Value::Null,
            entry
                .latest
                .as_ref()
                .map(|v| v.checksum.clone())
                .unwrap_or_default(),
            entry.latest.is_some(),
        ),
        ResourceKind::File {
            media_type,
            size,
            sha256,
            path,
        } => {
            let ext = path.rsplit('.').next().unwrap_or("").to_ascii_uppercase();
            (
                ext,
                media_type.clone(),
                site.url(&format!("/dataset/{slug}/{}", r.name)),
                Value::from(*size),
                sha256.clone(),
                false,
            )
        }
    };
    let mut d = json!({
        "id": r.id,
        "package_id": p.dataset.id,
        "name": r.title,
        "description": r.description,
        "format": format,
        "mimetype": mimetype,
        "mimetype_inner": null,
        "url": url,
        "url_type": null,
        "size": size,
        "hash": hash,
        "position": position,
        "created": ckan_time(r.created_at),
        "last_modified": ckan_time(entry.last_modified()),
        "metadata_modified": ckan_time(r.updated_at.max(entry.last_modified())),
        "state": "active",
        "resource_type": null,
        "cache_url": null,
        "cache_last_updated": null,
        "datastore_active": datastore,
        // SDI resource fields.
        "id_msi": meta.id_msi,
        "id_msk": meta.id_msk,
        "klasifikasi": meta.klasifikasi,
        "level_estimasi": meta.level.map(level),
        "accrualPeriodicity": meta.periodicity.as_str(),
        "satuan": meta.satuan,
    });
    if let ResourceKind::Table { schema } = &r.kind {
        let codes: Vec<String> = schema
            .fields
            .iter()
            .filter_map(|f| {
                f.region_level
                    .map(|l| format!("{} ({})", f.name, l.as_str()))
            })
            .collect();
        d["kodereferensi"] = if codes.is_empty() {
            Value::Null
        } else {
            format!("Kode wilayah Kemendagri: {}", codes.join(", ")).into()
        };
        d["resource_name"] = r.name.clone().into();
        d["schema_url"] = site.schema_url(slug, &r.name).into();
        if let Some(v) = &entry.latest {
            d["version"] = v.number.into();
            d["row_count"] = v.row_count.into();
        }
    }
    d
}

/// A package dict exactly as CKAN 2.10's `package_show` returns it, plus the SDI fields.
pub fn package_dict(site: &Site, p: &Package) -> Value {
    let ds = p.dataset;
    let m = &ds.meta;
    let lic = license::describe(&m.license);
    let org = organization_dict(p.organization, None);
    let tags: Vec<Value> = m.tags.iter().map(|t| tag_dict(t)).collect();
    let groups: Vec<Value> = p.topics.iter().map(|t| group_dict(site, t, None)).collect();
    let resources: Vec<Value> = p
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| resource_dict(site, p, r, i))
        .collect();
    let mut extras = vec![];
    let mut extra = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            extras.push(json!({"key": k, "value": v}));
        }
    };
    extra("konsep", m.konsep.clone());
    extra("klasifikasi", m.klasifikasi.clone());
    extra("level_penyajian", m.level.map(|l| level(l).to_string()));
    extra("temporal_start", m.temporal_start.map(|y| y.to_string()));
    extra("temporal_end", m.temporal_end.map(|y| y.to_string()));
    extra("kode_wilayah", Some(site.home_region.dotted()));
    extra("sumber", m.source.clone());
    let source_url = m
        .source
        .as_deref()
        .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
        .unwrap_or("");
    json!({
        "id": ds.id,
        "name": m.slug,
        "title": m.title,
        "notes": m.description,
        "url": source_url,
        "version": p.version().map(|v| v.to_string()),
        "author": m.author,
        "author_email": m.author_email,
        "maintainer": m.maintainer,
        "maintainer_email": m.maintainer_email,
        "license_id": lic.ckan,
        "license_title": lic.title,
        "license_url": lic.url,
        "isopen": lic.open,
        "metadata_created": ckan_time(ds.created_at),
        "metadata_modified": ckan_time(p.modified()),
        "creator_user_id": null,
        "owner_org": p.organization.id,
        "organization": org,
        "private": m.access == Access::Tertutup,
        "state": "active",
        "type": "dataset",
        "num_resources": resources.len(),
        "num_tags": tags.len(),
        "tags": tags,
        "groups": groups,
        "resources": resources,
        "extras": extras,
        "relationships_as_object": [],
        "relationships_as_subject": [],
        // The national SDI portal's fields (ckanext-scheming, sdi_dataset.yaml).
        "id_dds": m.id_dds,
        "id_sds": m.id_sds,
        "satuan": m.satuan,
        "ukuran": m.ukuran,
        "jenis": jenis(m.jenis),
        "theme": p.topics.first().map(|t| t.name.clone()),
        "accrualPeriodicity": m.periodicity.as_str(),
        "accessRights": m.access.as_str(),
        "prioritas_tahun": m.prioritas_tahun.map(|y| y.to_string()),
        "publisher_type": site.publisher_type(),
        "kode_wilayah": site.home_region.dotted(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{fixture, site};

    #[test]
    fn package_dict_has_ckan_keys_and_sdi_fields() {
        let f = fixture();
        let p = f.package();
        let d = package_dict(&site(), &p);
        for key in [
            "id",
            "name",
            "title",
            "notes",
            "owner_org",
            "organization",
            "groups",
            "tags",
            "resources",
            "metadata_created",
            "metadata_modified",
            "license_id",
            "license_title",
            "private",
            "state",
            "type",
            "num_resources",
            "num_tags",
            "extras",
            "id_dds",
            "id_sds",
            "satuan",
            "ukuran",
            "jenis",
            "theme",
            "accrualPeriodicity",
            "accessRights",
            "prioritas_tahun",
            "publisher_type",
            "author",
            "maintainer",
        ] {
            assert!(d.get(key).is_some(), "missing {key}");
        }
        assert_eq!(d["type"], "dataset");
        assert_eq!(d["name"], "jumlah-penduduk");
        assert_eq!(d["license_id"], "cc-by");
        assert_eq!(d["private"], false);
        assert_eq!(d["accessRights"], "terbuka");
        assert_eq!(d["publisher_type"], "daerah-kabupaten");
        assert_eq!(d["accrualPeriodicity"], "tahunan");
        assert_eq!(d["satuan"], "jiwa");
        assert_eq!(d["num_resources"], 1);
        assert_eq!(d["num_tags"], 2);
        assert_eq!(d["tags"][0]["display_name"], "penduduk");
        assert_eq!(d["groups"][0]["name"], "kependudukan");
        assert_eq!(d["organization"]["name"], "disdukcapil");
        assert_eq!(d["organization"]["is_organization"], true);
        assert_eq!(d["metadata_created"], "2024-01-02T03:04:05.000000");
        let r = &d["resources"][0];
        assert_eq!(r["format"], "CSV");
        assert_eq!(r["datastore_active"], true);
        assert_eq!(
            r["url"],
            "https://data.example.go.id/dataset/jumlah-penduduk/tabel.csv"
        );
        assert_eq!(r["package_id"], d["id"]);
        assert_eq!(r["position"], 0);
    }

    #[test]
    fn tag_and_group_ids_are_stable() {
        assert_eq!(tag_dict("air")["id"], tag_dict("air")["id"]);
        assert_ne!(tag_dict("air")["id"], tag_dict("api")["id"]);
    }

    #[test]
    fn datastore_fields_start_with_id_and_carry_units() {
        let f = fixture();
        let ResourceKind::Table { schema } = &f.resources[0].resource.kind else {
            panic!()
        };
        let fields = datastore_fields(schema);
        assert_eq!(fields[0]["id"], "_id");
        assert_eq!(fields[3]["type"], "int");
        assert_eq!(fields[3]["info"]["unit"], "jiwa");
    }
}
