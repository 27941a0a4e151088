//! Reading the package dicts CKAN clients send (`package_create`, `package_update`,
//! `package_patch`) into satudata's [`DatasetMeta`], with CKAN's per-field validation errors.

use std::collections::BTreeMap;

use satudata_core::dataset::{Access, DataKind, DatasetMeta, Periodicity};
use serde_json::{Map, Value};

use crate::license;

/// How the dict relates to the stored record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A new dataset: `name` and `owner_org` are required.
    Create,
    /// Replace the metadata: fields left out go back to their defaults (the organisation stays).
    Update,
    /// Change only the fields given.
    Patch,
}

/// What a dict asks for.
#[derive(Debug, Clone)]
pub struct PackageInput {
    /// The metadata; `organization_id` is the base's (or nil) until the caller resolves `owner_org`.
    pub meta: DatasetMeta,
    /// `owner_org` as sent (an id or a slug), if sent.
    pub owner_org: Option<String>,
    /// The groups as sent (names or ids), if sent; the caller resolves them to topic slugs.
    pub groups: Option<Vec<String>>,
}

/// CKAN's validation errors: field → messages.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "true" | "1" | "yes" | "on"
        ),
        Value::Number(n) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// Names of a list of `{"name": …}` dicts, a list of strings, or a comma-separated string.
fn names(v: &Value) -> Option<Vec<String>> {
    let list = match v {
        Value::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                Value::Object(o) => o.get("name").or_else(|| o.get("id")).and_then(text),
                other => text(other),
            })
            .collect(),
        Value::String(s) => s
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        Value::Null => vec![],
        _ => return None,
    };
    Some(list)
}

fn year(v: &Value) -> Result<Option<i32>, String> {
    match text(v) {
        None => Ok(None),
        Some(s) => s
            .parse::<i32>()
            .map(Some)
            .map_err(|_| format!("'{s}' bukan tahun (empat angka, misalnya 2024).")),
    }
}

fn periodicity(s: &str) -> Option<Periodicity> {
    let s = s.trim().to_lowercase();
    Periodicity::ALL
        .into_iter()
        .find(|p| p.as_str() == s)
        .or(match s.as_str() {
            "tidak tentu" | "irregular" | "lainnya" => Some(Periodicity::TidakTentu),
            "semester" | "6 bulanan" => Some(Periodicity::Semesteran),
            "triwulan" | "kuartalan" => Some(Periodicity::Triwulanan),
            "tahun" | "annual" => Some(Periodicity::Tahunan),
            _ => None,
        })
}

fn jenis(s: &str) -> Option<DataKind> {
    match s.trim().to_lowercase().as_str() {
        "statistik" | "data statistik" => Some(DataKind::Statistik),
        "geospasial" | "data geospasial" => Some(DataKind::Geospasial),
        "keuangan" | "anggaran" => Some(DataKind::Keuangan),
        "lainnya" | "lain-lain" => Some(DataKind::Lainnya),
        _ => None,
    }
}

/// Read a package dict. `base` is the stored metadata for update and patch.
pub fn read_package(
    dict: &Map<String, Value>,
    base: Option<&DatasetMeta>,
    mode: Mode,
) -> Result<PackageInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut add = |f: &str, m: String| errors.entry(f.to_string()).or_default().push(m);
    let mut meta = match (mode, base) {
        (Mode::Patch, Some(b)) => b.clone(),
        (Mode::Update, Some(b)) => {
            let mut m = DatasetMeta::new(b.title.clone(), b.slug.clone(), b.organization_id);
            m.access = b.access;
            m
        }
        _ => DatasetMeta::new("", "", uuid::Uuid::nil()),
    };
    // Extras first, so that top-level keys win.
    let mut fields: Map<String, Value> = Map::new();
    if let Some(Value::Array(extras)) = dict.get("extras") {
        for e in extras {
            if let (Some(k), Some(v)) = (e.get("key").and_then(text), e.get("value")) {
                fields.insert(k, v.clone());
            }
        }
    }
    for (k, v) in dict {
        fields.insert(k.clone(), v.clone());
    }
    let get = |k: &str| fields.get(k);

    if let Some(v) = get("name") {
        match text(v) {
            Some(s) => meta.slug = s,
            None => add("name", "Wajib diisi (Missing value).".into()),
        }
    } else if mode == Mode::Create {
        add("name", "Wajib diisi (Missing value).".into());
    }
    if let Some(v) = get("title") {
        meta.title = text(v).unwrap_or_default();
    }
    if meta.title.is_empty() {
        // CKAN falls back to the name.
        meta.title = meta.slug.clone();
    }
    if let Some(v) = get("notes") {
        meta.description = text(v).unwrap_or_default();
    }
    if let Some(v) = get("tags").or_else(|| get("tag_string")) {
        match names(v) {
            Some(t) => meta.tags = t,
            None => add("tags", "Harus daftar tag ({\"name\": …}).".into()),
        }
    }
    let groups = match get("groups") {
        Some(v) => match names(v) {
            Some(g) => Some(g),
            None => {
                add("groups", "Harus daftar grup ({\"name\": …}).".into());
                None
            }
        },
        None => None,
    };
    let owner_org = get("owner_org").and_then(text);
    if owner_org.is_none() && mode == Mode::Create {
        add(
            "owner_org",
            "Wajib diisi: organisasi produsen data (Missing value).".into(),
        );
    }
    if let Some(v) = get("license_id") {
        match text(v) {
            None => {}
            Some(id) => match license::find(&id) {
                Some(l) => meta.license = l.spdx.to_string(),
                None => add(
                    "license_id",
                    format!("Lisensi '{id}' tidak dikenal; lihat license_list."),
                ),
            },
        }
    }
    if let Some(v) = get("url") {
        meta.source = text(v);
    }
    if let Some(v) = get("sumber") {
        meta.source = text(v).or(meta.source.take());
    }
    for (k, slot) in [
        ("author", &mut meta.author),
        ("author_email", &mut meta.author_email),
        ("maintainer", &mut meta.maintainer),
        ("maintainer_email", &mut meta.maintainer_email),
        ("id_dds", &mut meta.id_dds),
        ("id_sds", &mut meta.id_sds),
        ("id_msi", &mut meta.id_msi),
        ("id_msk", &mut meta.id_msk),
        ("satuan", &mut meta.satuan),
        ("ukuran", &mut meta.ukuran),
        ("konsep", &mut meta.konsep),
        ("klasifikasi", &mut meta.klasifikasi),
    ] {
        if let Some(v) = fields.get(k) {
            *slot = text(v);
        }
    }
    for (k, slot) in [
        ("prioritas_tahun", &mut meta.prioritas_tahun),
        ("temporal_start", &mut meta.temporal_start),
        ("temporal_end", &mut meta.temporal_end),
    ] {
        if let Some(v) = fields.get(k) {
            match year(v) {
                Ok(y) => *slot = y,
                Err(m) => add(k, m),
            }
        }
    }
    if let Some(v) = get("accrualPeriodicity") {
        if let Some(s) = text(v) {
            match periodicity(&s) {
                Some(p) => meta.periodicity = p,
                None => add(
                    "accrualPeriodicity",
                    format!("Periode '{s}' tidak dikenal (harian, mingguan, bulanan, triwulanan, semesteran, tahunan, tidaktentu)."),
                ),
            }
        }
    }
    if let Some(v) = get("jenis") {
        if let Some(s) = text(v) {
            match jenis(&s) {
                Some(k) => meta.jenis = k,
                None => add("jenis", format!("Jenis data '{s}' tidak dikenal (statistik, geospasial, keuangan, lainnya).")),
            }
        }
    }
    match get("accessRights").and_then(text) {
        Some(s) => match s.parse::<Access>() {
            Ok(a) => meta.access = a,
            Err(m) => add("accessRights", m),
        },
        None => {
            if let Some(p) = get("private") {
                if truthy(p) {
                    meta.access = Access::Tertutup;
                } else if meta.access == Access::Tertutup {
                    meta.access = Access::Terbuka;
                }
            }
        }
    }
    if let Err(problems) = meta.validate() {
        for p in problems {
            let field = match p.field.as_str() {
                "slug" => "name".to_string(),
                "description" => "notes".to_string(),
                other => other.to_string(),
            };
            add(&field, p.message);
        }
    }
    if errors.is_empty() {
        Ok(PackageInput {
            meta,
            owner_org,
            groups,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn reads_a_ckan_create_dict_with_sdi_fields() {
        let d = obj(json!({
            "name": "angka-kematian-bayi", "title": "Angka Kematian Bayi", "notes": "Per 1.000 kelahiran hidup.",
            "owner_org": "dinkes", "tags": [{"name": "kesehatan"}, {"name": "bayi"}],
            "groups": [{"name": "kesehatan"}], "license_id": "cc-by", "satuan": "per 1.000 kelahiran hidup",
            "accrualPeriodicity": "tahunan", "accessRights": "terbatas", "prioritas_tahun": "2024",
            "extras": [{"key": "konsep", "value": "Kematian bayi"}]
        }));
        let p = read_package(&d, None, Mode::Create).unwrap();
        assert_eq!(p.meta.slug, "angka-kematian-bayi");
        assert_eq!(p.meta.tags, ["kesehatan", "bayi"]);
        assert_eq!(p.groups.unwrap(), ["kesehatan"]);
        assert_eq!(p.owner_org.as_deref(), Some("dinkes"));
        assert_eq!(p.meta.license, "CC-BY-4.0");
        assert_eq!(p.meta.access, Access::Terbatas);
        assert_eq!(p.meta.prioritas_tahun, Some(2024));
        assert_eq!(p.meta.konsep.as_deref(), Some("Kematian bayi"));
    }

    #[test]
    fn missing_and_bad_fields_are_listed_per_field() {
        let e = read_package(
            &obj(json!({"title": "x", "license_id": "nope", "prioritas_tahun": "dua"})),
            None,
            Mode::Create,
        )
        .unwrap_err();
        assert!(e.contains_key("name"));
        assert!(e.contains_key("owner_org"));
        assert!(e.contains_key("license_id"));
        assert!(e.contains_key("prioritas_tahun"));
        let e = read_package(
            &obj(json!({"name": "Bad Slug!", "owner_org": "x"})),
            None,
            Mode::Create,
        )
        .unwrap_err();
        assert!(e.contains_key("name"), "{e:?}");
    }

    #[test]
    fn patch_keeps_what_is_not_sent_and_update_resets_it() {
        let mut base = DatasetMeta::new("Judul", "judul", uuid::Uuid::from_u128(9));
        base.satuan = Some("jiwa".into());
        base.tags = vec!["a".into()];
        let p = read_package(&obj(json!({"notes": "baru"})), Some(&base), Mode::Patch).unwrap();
        assert_eq!(p.meta.satuan.as_deref(), Some("jiwa"));
        assert_eq!(p.meta.description, "baru");
        let u = read_package(
            &obj(json!({"name": "judul", "title": "Judul 2"})),
            Some(&base),
            Mode::Update,
        )
        .unwrap();
        assert_eq!(u.meta.satuan, None);
        assert!(u.meta.tags.is_empty());
        assert_eq!(u.meta.organization_id, base.organization_id);
        let private =
            read_package(&obj(json!({"private": true})), Some(&base), Mode::Patch).unwrap();
        assert_eq!(private.meta.access, Access::Tertutup);
    }
}
