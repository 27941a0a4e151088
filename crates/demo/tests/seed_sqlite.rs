//! The demo seeded into the real embedded store (SQLite): what it holds, that a second seed writes
//! nothing, and that two fresh seeds load identical data.

use std::collections::BTreeMap;
use std::time::Instant;

use satudata_core::organization::OrgKind;
use satudata_core::region::RegionCode;
use satudata_core::row::RowQuery;
use satudata_core::user::Role;
use satudata_demo::{seed, DEMO_HOME, DEMO_NOTE, TABLE_RESOURCE};
use satudata_store::{DatasetQuery, OrgQuery, Store};
use satudata_store_sqlite::SqliteStore;

fn home() -> RegionCode {
    RegionCode::parse(DEMO_HOME).expect("valid code")
}

async fn count_orgs(store: &dyn Store, kind: OrgKind) -> u64 {
    let q = OrgQuery {
        kind: Some(kind),
        limit: 1,
        ..OrgQuery::default()
    };
    store
        .list_organizations(&q)
        .await
        .expect("list organisations")
        .total
}

/// Every dataset slug with the checksums of its table's versions, oldest first.
async fn checksums(store: &dyn Store) -> BTreeMap<String, Vec<(i32, i64, String)>> {
    let q = DatasetQuery {
        limit: 1000,
        ..DatasetQuery::default()
    };
    let mut out = BTreeMap::new();
    for ds in store.list_datasets(&q).await.expect("list datasets").items {
        let mut sums = vec![];
        for r in store.list_resources(ds.id).await.expect("resources") {
            let mut versions = store.list_versions(r.id).await.expect("versions");
            versions.sort_by_key(|v| v.number);
            sums.extend(
                versions
                    .into_iter()
                    .map(|v| (v.number, v.row_count, v.checksum)),
            );
        }
        out.insert(ds.meta.slug, sums);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_is_complete_idempotent_and_deterministic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("satudata.db"))
        .await
        .expect("open sqlite");
    let store: &dyn Store = &store;

    // The time is printed, never asserted (bench/footprint.sh measures the first start).
    let started = Instant::now();
    let summary = seed(store, &home()).await.expect("seed");
    let took = started.elapsed();
    eprintln!("seeded in {took:?}:\n{}", summary.describe());
    assert!(summary.seeded_now);

    // The standard code lists, version 1 each.
    let lists = store.list_codelists().await.expect("code lists");
    let slugs: Vec<(&str, i32)> = lists
        .iter()
        .map(|l| (l.meta.slug.as_str(), l.version))
        .collect();
    assert_eq!(
        slugs,
        [
            ("agama", 1),
            ("jenis-kelamin", 1),
            ("jenjang-pendidikan", 1),
            ("status-perkawinan", 1)
        ]
    );

    // Organisations: 15 kecamatan, 242 desa/kelurahan, the walidata, the pembina, ≥ 12 OPDs.
    assert_eq!(count_orgs(store, OrgKind::Kecamatan).await, 15);
    let desa = count_orgs(store, OrgKind::Desa).await + count_orgs(store, OrgKind::Kelurahan).await;
    assert_eq!(desa, 242);
    assert_eq!(summary.desa_organizations, 242);
    assert!(count_orgs(store, OrgKind::Opd).await >= 12);
    assert_eq!(count_orgs(store, OrgKind::Walidata).await, 1);
    assert_eq!(count_orgs(store, OrgKind::Pembina).await, 1);
    let sukarami = store
        .get_organization("desa-sukarami-16-06-01-2001")
        .await
        .expect("get")
        .expect("Desa Sukarami exists");
    assert_eq!(sukarami.meta.name, "Desa Sukarami");
    assert_eq!(sukarami.meta.region_code.as_deref(), Some("16.06.01.2001"));
    let sekayu = store
        .get_organization("kecamatan-sekayu-16-06-01")
        .await
        .expect("get")
        .expect("Sekayu");
    assert_eq!(sukarami.meta.parent_id, Some(sekayu.id));

    // One user per role, with a working password.
    let mut roles = vec![];
    for u in &summary.users {
        assert!(u.password.len() >= 10);
        let (user, hash) = store
            .get_login(&u.username)
            .await
            .expect("login")
            .expect("user exists");
        assert!(
            satudata_auth::verify_password(&u.password, &hash),
            "{}",
            u.username
        );
        let org = store
            .get_organization(&u.organization)
            .await
            .expect("get")
            .expect("org exists");
        assert!(user
            .memberships
            .iter()
            .any(|m| m.role == u.role && m.organization_id == org.id));
        roles.push(u.role);
    }
    for role in Role::ALL {
        assert!(roles.contains(&role), "no user with role {role}");
    }
    assert!(summary
        .users
        .iter()
        .any(|u| u.username == "desa" && u.organization == "desa-sukarami-16-06-01-2001"));

    // ≥ 30 datasets, each labelled as demo data, each with a typed table holding rows.
    let all = store
        .list_datasets(&DatasetQuery {
            limit: 1000,
            ..DatasetQuery::default()
        })
        .await
        .expect("list datasets");
    assert!(all.total >= 30, "{} datasets", all.total);
    assert_eq!(all.total as usize, summary.datasets);
    let mut multi_version = 0;
    let mut rows_total = 0u64;
    for ds in &all.items {
        assert!(ds.meta.description.contains(DEMO_NOTE), "{}", ds.meta.slug);
        let resources = store.list_resources(ds.id).await.expect("resources");
        let table = resources
            .iter()
            .find(|r| r.name == TABLE_RESOURCE)
            .unwrap_or_else(|| panic!("{} has no table", ds.meta.slug));
        let page = store
            .query_rows(
                table.id,
                &RowQuery {
                    limit: 5,
                    ..RowQuery::default()
                },
            )
            .await
            .expect("query rows");
        let total = page.total.expect("total asked for");
        assert!(
            total > 0 && !page.rows.is_empty(),
            "{} has no rows",
            ds.meta.slug
        );
        rows_total += total;
        let versions = store.list_versions(table.id).await.expect("versions");
        if versions.len() >= 2 {
            multi_version += 1;
        }
    }
    assert!(
        multi_version >= 5,
        "{multi_version} tables with several versions"
    );
    assert_eq!(rows_total, summary.rows);

    // A second seed writes nothing.
    let seq = store.current_seq().await.expect("seq");
    let again = seed(store, &home()).await.expect("second seed");
    assert!(!again.seeded_now);
    assert_eq!(store.current_seq().await.expect("seq"), seq);
    assert_eq!(again.datasets, summary.datasets);

    // A fresh store gets exactly the same data.
    let other = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("open memory");
    seed(&other, &home()).await.expect("seed again");
    let a = checksums(store).await;
    let b = checksums(&other).await;
    assert_eq!(a.len(), summary.datasets);
    assert_eq!(a, b, "two fresh seeds differ");
}

#[tokio::test]
async fn datasets_deleted_in_the_demo_stay_deleted() {
    let store = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("open memory");
    let summary = seed(&store, &home()).await.expect("seed");
    let ds = store
        .get_dataset("kejadian-bencana")
        .await
        .expect("get")
        .expect("exists");
    store.delete_dataset(ds.id, None).await.expect("delete");
    let seq = store.current_seq().await.expect("seq");
    let again = seed(&store, &home()).await.expect("restart");
    assert!(!again.seeded_now);
    assert_eq!(store.current_seq().await.expect("seq"), seq);
    assert!(store
        .get_dataset("kejadian-bencana")
        .await
        .expect("get")
        .is_none());
    let left = store
        .list_datasets(&DatasetQuery {
            limit: 1,
            ..DatasetQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(left.total as usize, summary.datasets - 1);
}

#[tokio::test]
async fn an_interrupted_seed_is_completed() {
    let store = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("open memory");
    // As if an earlier run stopped after the region organisations (a run stopped inside a
    // dataset is covered by the crate's unit tests).
    satudata_store::bootstrap::ensure_region_organizations(&store, &home())
        .await
        .expect("regions");
    let full = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("open memory");
    seed(&full, &home()).await.expect("reference seed");
    let reference = checksums(&full).await;
    let summary = seed(&store, &home()).await.expect("seed");
    assert!(summary.seeded_now);
    let all = store
        .list_datasets(&DatasetQuery {
            limit: 1,
            ..DatasetQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(all.total as usize, summary.datasets);
    assert_eq!(checksums(&store).await, reference);
}

#[tokio::test]
async fn region_organizations_are_created_once() {
    let store = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("open memory");
    let n = satudata_store::bootstrap::ensure_region_organizations(&store, &home())
        .await
        .expect("first");
    assert_eq!(n, 15 + 242);
    let seq = store.current_seq().await.expect("seq");
    let n = satudata_store::bootstrap::ensure_region_organizations(&store, &home())
        .await
        .expect("second");
    assert_eq!(n, 0);
    assert_eq!(store.current_seq().await.expect("seq"), seq);
    // A kecamatan home (a kecamatan office's instance) gets its own organisation and its desa.
    let other = SqliteStore::open_url("sqlite::memory:")
        .await
        .expect("open memory");
    let kec = RegionCode::parse("16.06.01").expect("valid");
    let n = satudata_store::bootstrap::ensure_region_organizations(&other, &kec)
        .await
        .expect("kecamatan home");
    assert_eq!(n, 1 + 14);
    assert!(satudata_store::bootstrap::ensure_region_organizations(
        &other,
        &RegionCode::parse("99.99").expect("valid")
    )
    .await
    .is_err());
}
