//! Checks of the demo catalogue itself, without a store: schemas, metadata, types and magnitudes.

use std::collections::HashSet;

use satudata_core::region::{Level, RegionCode};
use satudata_core::schema::StorageType;
use satudata_core::value::Value;

use crate::datasets::specs;
use crate::profile::Geography;
use crate::spec::{MetaContext, DEMO_NOTE};

fn geo() -> Geography {
    Geography::of(&RegionCode::parse(crate::DEMO_HOME).expect("valid code"))
}

fn ctx() -> MetaContext {
    MetaContext {
        kab: "Kabupaten Musi Banyuasin".into(),
        home_undotted: "1606".into(),
    }
}

#[test]
fn every_dataset_has_valid_metadata_and_schema() {
    let all = specs();
    assert!(all.len() >= 30, "{} datasets", all.len());
    let mut slugs = HashSet::new();
    let orgs: HashSet<String> = crate::orgs::organizations("K", "16.06")
        .into_iter()
        .map(|o| o.slug)
        .collect();
    let topics: HashSet<String> = crate::orgs::topics().into_iter().map(|t| t.slug).collect();
    for (n, s) in all.iter().enumerate() {
        assert!(slugs.insert(s.slug), "duplicate slug {}", s.slug);
        assert!(
            orgs.contains(s.org),
            "{}: unknown organisation {}",
            s.slug,
            s.org
        );
        for t in s.topics {
            assert!(topics.contains(*t), "{}: unknown topic {t}", s.slug);
        }
        let meta = s.meta(n, satudata_core::new_id(), &ctx());
        meta.validate()
            .unwrap_or_else(|p| panic!("{}: {p:?}", s.slug));
        assert!(meta.description.contains(DEMO_NOTE));
        assert!(
            !s.definisi.is_empty()
                && !s.konsep.is_empty()
                && !s.source.is_empty()
                && !s.satuan.is_empty()
        );
        assert!(!s.tags.is_empty() && !s.topics.is_empty(), "{}", s.slug);
        assert_eq!(meta.license, "CC-BY-4.0");
        assert!(
            meta.id_dds.is_some() && meta.author_email.is_some() && meta.maintainer_email.is_some()
        );
        let schema = s.schema();
        schema
            .check()
            .unwrap_or_else(|p| panic!("{}: {p:?}", s.slug));
        assert!(schema.fields.iter().any(|f| f.period && f.name == "tahun"));
        assert!(schema.fields.iter().any(|f| f.region_level.is_some()));
        assert!(schema
            .fields
            .iter()
            .filter(|f| f.field_type.as_str() == "integer" || f.field_type.as_str() == "number")
            .all(|f| f.unit.is_some()));
    }
    let access: Vec<_> = all.iter().map(|s| s.access).collect();
    use satudata_core::dataset::Access::*;
    assert!(access.iter().filter(|a| **a == Terbatas).count() >= 2);
    assert_eq!(access.iter().filter(|a| **a == Tertutup).count(), 1);
    assert!(all.iter().any(|s| s.level == Level::Desa));
    assert!(all.iter().filter(|s| s.versions >= 2).count() >= 5);
}

#[test]
fn rows_are_typed_to_their_schema() {
    let g = geo();
    let regions = satudata_core::region::Regions::get();
    for s in specs() {
        let schema = s.schema();
        let rows = s.rows(&g);
        assert_eq!(rows.len(), s.row_count(&g), "{}", s.slug);
        assert!(!rows.is_empty());
        let mut keys = HashSet::new();
        for row in &rows {
            assert_eq!(row.len(), schema.fields.len(), "{}", s.slug);
            for (v, f) in row.iter().zip(&schema.fields) {
                let ok = match (f.storage_type(), v) {
                    (StorageType::Integer, Value::Int(x)) => *x >= 0,
                    (StorageType::Real, Value::Num(x)) => x.is_finite() && *x >= 0.0,
                    (StorageType::Text, Value::Text(_)) => true,
                    (StorageType::Boolean, Value::Bool(_)) => true,
                    _ => false,
                };
                assert!(ok, "{}: field {} got {v:?}", s.slug, f.name);
                if let (Some(level), Value::Text(code)) = (f.region_level, v) {
                    let r = regions.lookup(code).expect("real region code");
                    assert_eq!(r.level, level);
                }
                if let (Some(allowed), Value::Text(t)) = (&f.constraints.enum_values, v) {
                    assert!(
                        allowed.iter().any(|a| a == t),
                        "{}: {t} not allowed in {}",
                        s.slug,
                        f.name
                    );
                }
            }
            let key: Vec<String> = schema
                .primary_key
                .iter()
                .map(|k| row[schema.field_index(k).expect("key field")].to_text())
                .collect();
            assert!(keys.insert(key), "{}: duplicate primary key", s.slug);
        }
    }
}

#[test]
fn generation_is_deterministic_and_versions_differ() {
    let g = geo();
    for s in specs() {
        let a = s.rows(&g);
        assert_eq!(a, s.rows(&g), "{}", s.slug);
        let versions = s.versions_of(&a);
        assert_eq!(versions.len(), usize::from(s.versions));
        assert_eq!(
            versions.last().map(|v| &v.0),
            Some(&a),
            "{}: last version is the full data",
            s.slug
        );
        for w in versions.windows(2) {
            assert!(
                w[0].0.len() < w[1].0.len(),
                "{}: later versions add a year",
                s.slug
            );
            // Some preliminary figures of the earlier version are corrected in the later one.
            let changed = w[0].0.iter().filter(|r| !w[1].0.contains(r)).count();
            assert!(
                (1..=3).contains(&changed),
                "{}: {changed} corrected rows",
                s.slug
            );
        }
    }
}

fn total(slug: &str, year: i64, col: &str) -> f64 {
    let g = geo();
    let s = specs()
        .into_iter()
        .find(|s| s.slug == slug)
        .expect("dataset exists");
    let i = s.schema().field_index(col).expect("column exists");
    s.rows(&g)
        .iter()
        .filter(|r| r[2] == Value::Int(year))
        .map(|r| match &r[i] {
            Value::Int(x) => *x as f64,
            Value::Num(x) => *x,
            _ => 0.0,
        })
        .sum()
}

#[test]
fn magnitudes_are_believable() {
    let pop = total(
        "jumlah-penduduk-menurut-jenis-kelamin",
        2022,
        "jumlah_penduduk",
    );
    assert!((610_000.0..660_000.0).contains(&pop), "penduduk {pop}");
    let desa_pop = total("jumlah-penduduk-desa", 2022, "jumlah");
    assert!(
        (desa_pop / pop - 1.0).abs() < 0.02,
        "desa {desa_pop} vs kecamatan {pop}"
    );
    let padi = total("luas-panen-dan-produksi-padi", 2024, "produksi");
    assert!((120_000.0..260_000.0).contains(&padi), "padi {padi} ton");
    let jalan = total(
        "panjang-jalan-kabupaten-menurut-kondisi",
        2024,
        "panjang_jalan",
    );
    assert!((1_000.0..3_000.0).contains(&jalan), "jalan {jalan} km");
    let sd = total("jumlah-sekolah-menurut-jenjang", 2024, "jumlah");
    assert!((700.0..1_100.0).contains(&sd), "sekolah {sd}");
    let dbd_2024 = total("kasus-demam-berdarah-dengue", 2024, "kasus");
    let dbd_2021 = total("kasus-demam-berdarah-dengue", 2021, "kasus");
    assert!(dbd_2024 > dbd_2021 * 2.0, "DBD {dbd_2021} → {dbd_2024}");
    let hot_2019 = total(
        "titik-panas-kebakaran-hutan-dan-lahan",
        2019,
        "jumlah_titik_panas",
    );
    let hot_2020 = total(
        "titik-panas-kebakaran-hutan-dan-lahan",
        2020,
        "jumlah_titik_panas",
    );
    assert!(
        hot_2019 > 5.0 * hot_2020,
        "hotspot {hot_2019} vs {hot_2020}"
    );
}

/// A run stopped after the first version of a table: the next run adds the missing versions, and
/// the result equals an uninterrupted seed.
#[tokio::test]
async fn a_seed_stopped_inside_a_dataset_is_resumed() {
    use satudata_core::dataset::{NewResource, ResourceKind};
    use satudata_store::{NewVersion, Store, VecRowSource};
    use satudata_store_sqlite::SqliteStore;

    let home = RegionCode::parse(crate::DEMO_HOME).expect("valid code");
    let spec = specs()
        .into_iter()
        .find(|s| s.versions == 3)
        .expect("a table with three versions");
    let first = spec.versions_of(&spec.rows(&geo())).remove(0);

    let store = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("open");
    let org_meta = crate::orgs::organizations("Kabupaten Musi Banyuasin", "16.06")
        .into_iter()
        .find(|o| o.slug == spec.org)
        .expect("producer");
    let org = store
        .create_organization(org_meta, None)
        .await
        .expect("org");
    let ds = store
        .create_dataset(spec.meta(0, org.id, &ctx()), None)
        .await
        .expect("dataset");
    let res = store
        .create_resource(
            ds.id,
            NewResource {
                name: crate::TABLE_RESOURCE.into(),
                title: spec.title.into(),
                description: String::new(),
                kind: ResourceKind::Table {
                    schema: spec.schema(),
                },
            },
            None,
        )
        .await
        .expect("resource");
    store
        .create_version(
            res.id,
            NewVersion {
                actor: None,
                summary: first.1,
            },
            &mut VecRowSource::new(first.0),
        )
        .await
        .expect("first version");

    crate::seed(&store, &home).await.expect("resumed seed");
    let reference = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("open");
    crate::seed(&reference, &home)
        .await
        .expect("reference seed");
    let sums = |s: Vec<satudata_core::dataset::Version>| {
        let mut v: Vec<(i32, String)> = s.into_iter().map(|v| (v.number, v.checksum)).collect();
        v.sort();
        v
    };
    let resumed = sums(store.list_versions(res.id).await.expect("versions"));
    let ref_ds = reference
        .get_dataset(spec.slug)
        .await
        .expect("get")
        .expect("exists");
    let ref_res = reference
        .list_resources(ref_ds.id)
        .await
        .expect("resources");
    let expected = sums(
        reference
            .list_versions(ref_res[0].id)
            .await
            .expect("versions"),
    );
    assert_eq!(resumed.len(), 3);
    assert_eq!(resumed, expected);
}

#[test]
fn poverty_is_near_the_regency_level() {
    let miskin = total("persentase-penduduk-miskin", 2019, "jumlah_penduduk_miskin");
    let pop = total(
        "jumlah-penduduk-menurut-jenis-kelamin",
        2019,
        "jumlah_penduduk",
    );
    let rate = 100.0 * miskin / pop;
    assert!((14.0..19.0).contains(&rate), "{rate} %");
}
