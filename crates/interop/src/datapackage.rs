//! Frictionless Data Packages: `datapackage.json` whose resources point at the CSV downloads of a
//! dataset's tables, each with its Table Schema.
//!
//! The schema published is the *export* schema: the CSV satudata writes is canonical (`1234.5`,
//! `2024-12-31`, `true`), so the reading hints of the import schema (`trueValues`, `decimalChar`,
//! date `format`s, …) are left out, or a Frictionless tool would read the download wrongly.

use satudata_core::dataset::ResourceKind;
use satudata_core::schema::{FieldType, TableSchema};
use serde_json::{json, Value};

use crate::site::{DownloadFormat, Package, Site};
use crate::{iso_time, license};

/// Where the resources' data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paths {
    /// The download URLs of the instance (for `datapackage.json`).
    Remote,
    /// `data/NAME.csv` inside the zip (for `datapackage.zip`).
    Local,
}

/// A name Frictionless accepts (`^[-a-z0-9._/]+$`).
pub fn frictionless_name(s: &str) -> String {
    let n: String = s
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    if n.is_empty() {
        "data".into()
    } else {
        n
    }
}

/// The Table Schema that describes satudata's CSV download of a table. `resources` are the names
/// in the same package (foreign keys to anything else are left out).
pub fn export_schema(schema: &TableSchema, resources: &[String]) -> Value {
    let mut s = schema.clone();
    s.missing_values = vec![String::new()];
    s.foreign_keys
        .retain(|k| k.reference.resource.is_empty() || resources.contains(&k.reference.resource));
    for f in &mut s.fields {
        f.true_values = None;
        f.false_values = None;
        f.decimal_char = None;
        f.group_char = None;
        f.missing_values = None;
        f.zero_values = None;
        if !matches!(f.field_type, FieldType::String) {
            f.format = None;
        }
    }
    serde_json::to_value(&s).unwrap_or(Value::Null)
}

/// The `path` of a table's CSV.
pub fn csv_path(site: &Site, p: &Package, resource: &str, paths: Paths) -> String {
    match paths {
        Paths::Remote => site.download_url(&p.dataset.meta.slug, resource, DownloadFormat::Csv),
        Paths::Local => format!("data/{}.csv", frictionless_name(resource)),
    }
}

/// The `datapackage.json` of a dataset: its tables that have data, as tabular data resources.
pub fn datapackage(site: &Site, p: &Package, paths: Paths) -> Value {
    let m = &p.dataset.meta;
    let lic = license::describe(&m.license);
    let names: Vec<String> = p
        .resources
        .iter()
        .map(|r| r.resource.name.clone())
        .collect();
    let resources: Vec<Value> = p
        .resources
        .iter()
        .filter(|e| e.has_rows())
        .filter_map(|e| {
            let r = &e.resource;
            let ResourceKind::Table { schema } = &r.kind else {
                return None;
            };
            let mut d = json!({
                "name": frictionless_name(&r.name),
                "path": csv_path(site, p, &r.name, paths),
                "profile": "tabular-data-resource",
                "title": r.title,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": export_schema(schema, &names),
            });
            if !r.description.is_empty() {
                d["description"] = r.description.clone().into();
            }
            if let Some(v) = &e.latest {
                d["version"] = v.number.to_string().into();
                d["rows"] = v.row_count.into();
            }
            Some(d)
        })
        .collect();
    let mut contributors = vec![json!({
        "title": p.organization.meta.name,
        "role": "publisher",
        "path": site.organization_url(&p.organization.meta.slug),
    })];
    if let Some(a) = m.author.as_ref().filter(|a| !a.is_empty()) {
        let mut c = json!({"title": a, "role": "author"});
        if let Some(e) = m.author_email.as_ref().filter(|e| e.contains('@')) {
            c["email"] = e.clone().into();
        }
        contributors.push(c);
    }
    if let Some(a) = m.maintainer.as_ref().filter(|a| !a.is_empty()) {
        let mut c = json!({"title": a, "role": "maintainer"});
        if let Some(e) = m.maintainer_email.as_ref().filter(|e| e.contains('@')) {
            c["email"] = e.clone().into();
        }
        contributors.push(c);
    }
    let mut sources = vec![];
    if let Some(s) = m.source.as_ref().filter(|s| !s.is_empty()) {
        let mut src = json!({"title": s});
        if s.starts_with("http://") || s.starts_with("https://") {
            src["path"] = s.clone().into();
        }
        sources.push(src);
    }
    sources.push(json!({"title": site.title, "path": site.dataset_page(&m.slug)}));
    let mut d = json!({
        "profile": "tabular-data-package",
        "name": frictionless_name(&m.slug),
        "id": p.dataset.id.to_string(),
        "title": m.title,
        "homepage": site.dataset_page(&m.slug),
        "created": iso_time(p.dataset.created_at),
        "keywords": m.tags,
        "licenses": [{"name": lic.spdx, "path": lic.url, "title": lic.title}],
        "sources": sources,
        "contributors": contributors,
        "resources": resources,
    });
    if !m.description.is_empty() {
        d["description"] = m.description.clone().into();
    }
    if let Some(v) = p.version() {
        d["version"] = format!("{v}.0.0").into();
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{fixture, site};

    #[test]
    fn resources_point_at_csv_downloads_with_export_schemas() {
        let f = fixture();
        let d = datapackage(&site(), &f.package(), Paths::Remote);
        assert_eq!(d["name"], "jumlah-penduduk");
        assert_eq!(d["licenses"][0]["name"], "CC-BY-4.0");
        assert_eq!(d["contributors"][0]["role"], "publisher");
        let r = &d["resources"][0];
        assert_eq!(
            r["path"],
            "https://data.example.go.id/dataset/jumlah-penduduk/tabel.csv"
        );
        assert_eq!(r["profile"], "tabular-data-resource");
        let fields = r["schema"]["fields"].as_array().unwrap();
        assert_eq!(fields[2]["unit"], "jiwa");
        // Reading hints of the import are not part of the download's schema.
        assert!(fields[3].get("trueValues").is_none());
        assert_eq!(r["schema"]["missingValues"], json!([""]));
    }

    #[test]
    fn zip_packages_use_local_paths() {
        let f = fixture();
        let d = datapackage(&site(), &f.package(), Paths::Local);
        assert_eq!(d["resources"][0]["path"], "data/tabel.csv");
        assert_eq!(frictionless_name("Tabel Utama"), "tabel-utama");
    }
}
