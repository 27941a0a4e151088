//! Catalogue search (CKAN `package_search`): conditions, sort keys and facet counts.

use std::ops::Bound;
use std::sync::Arc;

use chrono::Utc;
use satudata_core::dataset::{Access, DataKind, DatasetMeta, NewResource, ResourceKind};
use satudata_core::Id;
use satudata_store::{
    DatasetCondition as C, DatasetFacet, DatasetQuery, DatasetSort, DatasetSortField, FacetCount,
    MetaField, Store,
};

use super::{make_org, put_version, sample_rows, table_schema};

async fn slugs(store: &Arc<dyn Store>, q: DatasetQuery) -> Vec<String> {
    let p = store.list_datasets(&q).await.expect("list");
    assert_eq!(p.total as usize, p.items.len(), "all fit in one page here");
    p.items.into_iter().map(|d| d.meta.slug).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn when(c: C) -> DatasetQuery {
    DatasetQuery {
        condition: Some(c),
        ..DatasetQuery::default()
    }
}

fn counts(v: &[FacetCount]) -> Vec<(String, u64)> {
    v.iter().map(|c| (c.value.clone(), c.count)).collect()
}

/// Conditions over every kind of field, sort keys, and facets, on the same five datasets.
pub async fn datasets_search_conditions_sort_facets(store: Arc<dyn Store>) {
    let a = make_org(&store, "dinas-a").await;
    let b = make_org(&store, "dinas-b").await;
    let mk = |slug: &str, org: Id, access: Access, topics: &[&str], tags: &[&str]| {
        let mut m = DatasetMeta::new(format!("Judul {slug}"), slug, org);
        m.access = access;
        m.topics = topics.iter().map(|s| s.to_string()).collect();
        m.tags = tags.iter().map(|s| s.to_string()).collect();
        m
    };
    let mut m1 = mk(
        "aki",
        a.id,
        Access::Terbuka,
        &["kesehatan"],
        &["ibu", "kematian"],
    );
    m1.satuan = Some("per 100.000 kelahiran hidup".into());
    m1.prioritas_tahun = Some(2024);
    m1.description = "Kematian ibu melahirkan".into();
    let d1 = store.create_dataset(m1, None).await.expect("create");
    let mut m2 = mk(
        "gizi",
        a.id,
        Access::Terbatas,
        &["kesehatan", "sosial"],
        &["balita"],
    );
    m2.license = "CC0-1.0".into();
    m2.jenis = DataKind::Lainnya;
    let d2 = store.create_dataset(m2, None).await.expect("create");
    let d3 = store
        .create_dataset(
            mk("p3ke", b.id, Access::Tertutup, &["sosial"], &["kemiskinan"]),
            None,
        )
        .await
        .expect("create");
    let d4 = store
        .create_dataset(
            mk(
                "sekolah",
                b.id,
                Access::Terbuka,
                &["pendidikan"],
                &["ibu", "sekolah"],
            ),
            None,
        )
        .await
        .expect("create");
    let between = Utc::now();
    // A table with data (a version changes the dataset's modified time) and a file.
    let table = store
        .create_resource(
            d4.id,
            NewResource {
                name: "tabel".into(),
                title: "Tabel".into(),
                description: String::new(),
                kind: ResourceKind::Table {
                    schema: table_schema(),
                },
            },
            None,
        )
        .await
        .expect("table");
    put_version(&store, table.id, sample_rows(0..3)).await;
    store
        .create_resource(
            d2.id,
            NewResource {
                name: "laporan".into(),
                title: "Laporan".into(),
                description: String::new(),
                kind: ResourceKind::File {
                    path: "laporan.pdf".into(),
                    media_type: "application/pdf".into(),
                    size: 10,
                    sha256: "0".repeat(64),
                },
            },
            None,
        )
        .await
        .expect("file");
    let d5 = store
        .create_dataset(
            mk("dihapus", b.id, Access::Terbuka, &["sosial"], &["ibu"]),
            None,
        )
        .await
        .expect("create");
    store.delete_dataset(d5.id, None).await.expect("delete");

    let all = ["aki", "gizi", "p3ke", "sekolah"]
        .map(String::from)
        .to_vec();
    assert_eq!(sorted(slugs(&store, when(C::All)).await), all);
    assert_eq!(
        slugs(&store, when(C::Organization(b.id))).await,
        ["p3ke", "sekolah"]
    );
    assert_eq!(
        slugs(&store, when(C::Topic("kesehatan".into()))).await,
        ["aki", "gizi"]
    );
    assert_eq!(
        slugs(&store, when(C::Tag("ibu".into()))).await,
        ["aki", "sekolah"],
        "tombstones are never found"
    );
    assert_eq!(
        slugs(&store, when(C::Access(Access::Tertutup))).await,
        ["p3ke"]
    );
    assert_eq!(
        slugs(&store, when(C::Not(Box::new(C::Access(Access::Tertutup))))).await,
        ["aki", "gizi", "sekolah"]
    );
    assert_eq!(
        slugs(
            &store,
            when(C::Or(vec![
                C::Tag("balita".into()),
                C::Tag("kemiskinan".into())
            ]))
        )
        .await,
        ["gizi", "p3ke"]
    );
    assert_eq!(
        slugs(
            &store,
            when(C::And(vec![
                C::Topic("sosial".into()),
                C::Not(Box::new(C::Organization(b.id)))
            ]))
        )
        .await,
        ["gizi"]
    );
    assert!(
        slugs(&store, when(C::Or(vec![]))).await.is_empty(),
        "an empty Or matches nothing"
    );
    assert_eq!(
        slugs(&store, when(C::And(vec![]))).await.len(),
        4,
        "an empty And matches everything"
    );
    assert_eq!(
        slugs(&store, when(C::License(vec!["cc0-1.0".into()]))).await,
        ["gizi"]
    );
    assert_eq!(
        slugs(&store, when(C::License(vec!["CC-BY-4.0".into()]))).await,
        ["aki", "p3ke", "sekolah"]
    );
    assert_eq!(
        slugs(
            &store,
            when(C::Meta {
                field: MetaField::Satuan,
                value: "per 100.000 kelahiran hidup".into()
            })
        )
        .await,
        ["aki"]
    );
    assert_eq!(
        slugs(
            &store,
            when(C::Meta {
                field: MetaField::PrioritasTahun,
                value: "2024".into()
            })
        )
        .await,
        ["aki"]
    );
    assert_eq!(
        slugs(
            &store,
            when(C::Meta {
                field: MetaField::Jenis,
                value: "lainnya".into()
            })
        )
        .await,
        ["gizi"]
    );
    assert_eq!(
        slugs(&store, when(C::Text("MELAHIRKAN".into()))).await,
        ["aki"],
        "description, any case"
    );
    assert_eq!(
        slugs(&store, when(C::Text("judul sek".into()))).await,
        ["sekolah"],
        "title"
    );
    assert_eq!(
        slugs(&store, when(C::Text("kemiskin".into()))).await,
        ["p3ke"],
        "tags"
    );
    assert_eq!(
        slugs(&store, when(C::Text("100%".into()))).await,
        Vec::<String>::new(),
        "LIKE wildcards are literal"
    );
    assert_eq!(slugs(&store, when(C::HasTable)).await, ["sekolah"]);
    assert_eq!(slugs(&store, when(C::HasFile(vec![]))).await, ["gizi"]);
    assert_eq!(
        slugs(&store, when(C::HasFile(vec!["application/pdf".into()]))).await,
        ["gizi"]
    );
    assert!(slugs(&store, when(C::HasFile(vec!["text/csv".into()])))
        .await
        .is_empty());
    assert_eq!(slugs(&store, when(C::Slug("gizi".into()))).await, ["gizi"]);
    assert_eq!(slugs(&store, when(C::Id(d3.id))).await, ["p3ke"]);
    // Modified: the datasets whose resources or data changed after `between`.
    assert_eq!(
        slugs(
            &store,
            when(C::Modified(Bound::Excluded(between), Bound::Unbounded))
        )
        .await,
        ["gizi", "sekolah"]
    );
    assert_eq!(
        slugs(
            &store,
            when(C::Modified(Bound::Unbounded, Bound::Included(between)))
        )
        .await,
        ["aki", "p3ke"]
    );
    assert_eq!(
        slugs(
            &store,
            when(C::Created(
                Bound::Included(d1.created_at),
                Bound::Included(d1.created_at)
            ))
        )
        .await,
        ["aki"]
    );
    // Combined with the visibility filters of DatasetQuery.
    let public = DatasetQuery {
        access: vec![Access::Terbuka, Access::Terbatas],
        also_organizations: vec![],
        condition: Some(C::Tag("ibu".into())),
        ..DatasetQuery::default()
    };
    assert_eq!(slugs(&store, public).await, ["aki", "sekolah"]);

    // Sort keys.
    let by = |field, descending| DatasetQuery {
        sort: vec![DatasetSort { field, descending }],
        ..DatasetQuery::default()
    };
    assert_eq!(slugs(&store, by(DatasetSortField::Slug, false)).await, all);
    let mut rev = all.clone();
    rev.reverse();
    assert_eq!(slugs(&store, by(DatasetSortField::Slug, true)).await, rev);
    // The file added to "gizi" is the newest change, then the version of "sekolah".
    assert_eq!(
        slugs(&store, by(DatasetSortField::Modified, true)).await,
        ["gizi", "sekolah", "p3ke", "aki"]
    );
    assert_eq!(
        slugs(&store, by(DatasetSortField::Created, false)).await,
        ["aki", "gizi", "p3ke", "sekolah"]
    );
    let page = store
        .list_datasets(&DatasetQuery {
            limit: 2,
            offset: 2,
            ..by(DatasetSortField::Slug, false)
        })
        .await
        .expect("page");
    assert_eq!(page.total, 4);
    assert_eq!(
        page.items
            .iter()
            .map(|d| d.meta.slug.as_str())
            .collect::<Vec<_>>(),
        ["p3ke", "sekolah"]
    );

    // Facets over what the query matches, most frequent first, ties by value, limited.
    let q = DatasetQuery {
        condition: Some(C::Not(Box::new(C::Access(Access::Tertutup)))),
        ..DatasetQuery::default()
    };
    let f = store
        .dataset_facets(
            &q,
            &[
                DatasetFacet::Organization,
                DatasetFacet::Topic,
                DatasetFacet::Tag,
                DatasetFacet::License,
                DatasetFacet::Access,
            ],
            10,
        )
        .await
        .expect("facets");
    assert_eq!(
        counts(&f[0]),
        [(a.id.to_string(), 2), (b.id.to_string(), 1)]
    );
    assert_eq!(
        counts(&f[1]),
        [
            ("kesehatan".into(), 2),
            ("pendidikan".into(), 1),
            ("sosial".into(), 1)
        ]
    );
    assert_eq!(
        counts(&f[2]),
        [
            ("ibu".into(), 2),
            ("balita".into(), 1),
            ("kematian".into(), 1),
            ("sekolah".into(), 1)
        ]
    );
    assert_eq!(
        counts(&f[3]),
        [("CC-BY-4.0".into(), 2), ("CC0-1.0".into(), 1)]
    );
    assert_eq!(
        counts(&f[4]),
        [("terbuka".into(), 2), ("terbatas".into(), 1)]
    );
    let top = store
        .dataset_facets(&q, &[DatasetFacet::Tag], 1)
        .await
        .expect("facets");
    assert_eq!(counts(&top[0]), [("ibu".into(), 2)]);
    assert!(store
        .dataset_facets(&q, &[], 10)
        .await
        .expect("facets")
        .is_empty());

    // What an in-memory catalogue index is built from.
    let mut entries: Vec<(String, bool, Vec<String>, bool)> = store
        .catalog_entries()
        .await
        .expect("catalogue entries")
        .into_iter()
        .map(|e| {
            let changed = e.modified > between;
            (e.dataset.meta.slug, e.has_table, e.file_types, changed)
        })
        .collect();
    entries.sort();
    let none = Vec::<String>::new;
    assert_eq!(
        entries,
        [
            ("aki".to_string(), false, none(), false),
            (
                "gizi".to_string(),
                false,
                vec!["application/pdf".to_string()],
                true
            ),
            ("p3ke".to_string(), false, none(), false),
            ("sekolah".to_string(), true, none(), true),
        ]
    );
}
