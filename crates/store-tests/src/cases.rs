//! The conformance cases. Each runs on a fresh, empty store and panics on the first difference from
//! the contract of [`Store`].

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use satudata_core::dataset::{Access, DatasetMeta, NewResource, Resource, ResourceKind, Topic};
use satudata_core::organization::{OrgKind, Organization, OrganizationMeta};
use satudata_core::region::Level;
use satudata_core::row::{Filter, FilterOp, Row, RowQuery, SortKey};
use satudata_core::schema::{Field, FieldType, TableSchema};
use satudata_core::user::{NewUser, Role, Session, User};
use satudata_core::value::Value;
use satudata_core::{new_id, Id};
use satudata_store::{
    DatasetQuery, NewApiToken, NewVersion, OrgQuery, RowSource, Store, StoreError, VecRowSource,
};

// The data API's queries and aggregates (issue 5).
mod data_api;
pub use data_api::*;

// Catalogue search (CKAN package_search, issue 5).
mod search;
pub use search::*;

// ---------------------------------------------------------------- helpers

fn org_meta(slug: &str, name: &str, kind: OrgKind) -> OrganizationMeta {
    OrganizationMeta {
        slug: slug.to_string(),
        name: name.to_string(),
        acronym: None,
        kind,
        description: String::new(),
        region_code: None,
        parent_id: None,
        email: None,
        phone: None,
        address: None,
        website: None,
    }
}

async fn make_org(store: &Arc<dyn Store>, slug: &str) -> Organization {
    store
        .create_organization(org_meta(slug, &format!("Dinas {slug}"), OrgKind::Opd), None)
        .await
        .expect("create organization")
}

async fn make_user(store: &Arc<dyn Store>, username: &str) -> User {
    store
        .create_user(
            NewUser {
                username: username.to_string(),
                display_name: format!("Pengguna {username}"),
                email: Some(format!("{username}@example.id")),
                password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$hash-of-{username}"),
            },
            None,
        )
        .await
        .expect("create user")
}

async fn make_dataset(
    store: &Arc<dyn Store>,
    org: Id,
    slug: &str,
) -> satudata_core::dataset::Dataset {
    store
        .create_dataset(DatasetMeta::new(format!("Data {slug}"), slug, org), None)
        .await
        .expect("create dataset")
}

/// A schema with one field of every storage type: a desa code (region field), a year (period
/// field), an integer, a number, a boolean, a date, a date-time and free text.
fn table_schema() -> TableSchema {
    let mut desa = Field::new("kode_desa", FieldType::String);
    desa.region_level = Some(Level::Desa);
    let mut tahun = Field::new("tahun", FieldType::Year);
    tahun.period = true;
    TableSchema::new(vec![
        desa,
        tahun,
        Field::new("jumlah", FieldType::Integer),
        Field::new("rasio", FieldType::Number),
        Field::new("aktif", FieldType::Boolean),
        Field::new("tanggal", FieldType::Date),
        Field::new("dicatat", FieldType::Datetime),
        Field::new("catatan", FieldType::String),
    ])
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn datetime(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32, micro: u32) -> NaiveDateTime {
    date(y, m, d)
        .and_hms_micro_opt(h, min, s, micro)
        .expect("valid time")
}

/// Row `i` of the standard test table; deterministic and varied (some missing cells).
fn sample_row(i: i64) -> Row {
    let desa = format!("16.06.{:02}.{}", 1 + i % 3, 2001 + i % 5);
    vec![
        Value::Text(desa),
        Value::Int(2020 + i % 4),
        if i % 7 == 6 {
            Value::Null
        } else {
            Value::Int(i * 10)
        },
        Value::Num(i as f64 / 4.0),
        Value::Bool(i % 2 == 0),
        Value::Date(date(2024, 1 + (i % 12) as u32, 1 + (i % 28) as u32)),
        Value::DateTime(datetime(
            2024,
            3,
            1,
            (i % 24) as u32,
            30,
            15,
            (i * 1_001 % 1_000_000) as u32,
        )),
        if i % 5 == 4 {
            Value::Null
        } else {
            Value::Text(format!("Catatan ke-{i}"))
        },
    ]
}

fn sample_rows(range: std::ops::Range<i64>) -> Vec<Row> {
    range.map(sample_row).collect()
}

async fn make_table(store: &Arc<dyn Store>, name: &str) -> Resource {
    let org = make_org(store, &format!("org-{name}")).await;
    let ds = make_dataset(store, org.id, &format!("ds-{name}")).await;
    store
        .create_resource(
            ds.id,
            NewResource {
                name: name.to_string(),
                title: format!("Tabel {name}"),
                description: String::new(),
                kind: ResourceKind::Table {
                    schema: table_schema(),
                },
            },
            None,
        )
        .await
        .expect("create table resource")
}

async fn put_version(
    store: &Arc<dyn Store>,
    res: Id,
    rows: Vec<Row>,
) -> satudata_core::dataset::Version {
    store
        .create_version(res, NewVersion::default(), &mut VecRowSource::new(rows))
        .await
        .expect("create version")
}

/// All rows of a version, through `query_rows` with a large page.
async fn all_rows(store: &Arc<dyn Store>, res: Id, version: Option<i32>) -> Vec<Row> {
    let mut out = vec![];
    let mut offset = 0;
    loop {
        let page = store
            .query_rows(
                res,
                &RowQuery {
                    version,
                    limit: 5000,
                    offset,
                    with_total: false,
                    ..RowQuery::default()
                },
            )
            .await
            .expect("query rows");
        let n = page.rows.len();
        out.extend(page.rows);
        if n < 5000 {
            return out;
        }
        offset += n as u64;
    }
}

/// All rows of a version, through `stream_rows`.
async fn streamed(store: &Arc<dyn Store>, res: Id, version: Option<i32>) -> (Vec<Row>, Vec<usize>) {
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    let s = store.clone();
    let task = tokio::spawn(async move { s.stream_rows(res, version, tx).await });
    let mut rows = vec![];
    let mut sizes = vec![];
    while let Some(batch) = rx.recv().await {
        sizes.push(batch.len());
        rows.extend(batch);
    }
    let sent = task.await.expect("stream task").expect("stream rows");
    assert_eq!(
        sent as usize,
        rows.len(),
        "stream_rows returns the number of rows sent"
    );
    (rows, sizes)
}

fn filter(field: &str, op: FilterOp, values: Vec<Value>) -> Filter {
    Filter {
        field: field.to_string(),
        op,
        values,
    }
}

async fn count(store: &Arc<dyn Store>, res: Id, filters: Vec<Filter>) -> u64 {
    let page = store
        .query_rows(
            res,
            &RowQuery {
                filters,
                limit: 10_000,
                ..RowQuery::default()
            },
        )
        .await
        .expect("query rows");
    let total = page.total.expect("total asked");
    assert_eq!(
        total as usize,
        page.rows.len(),
        "total equals rows when all fit in one page"
    );
    total
}

/// A row source that yields some rows and then fails.
struct FailingSource {
    first: Option<Vec<Row>>,
}

#[async_trait]
impl RowSource for FailingSource {
    async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String> {
        match self.first.take() {
            Some(rows) => Ok(Some(rows)),
            None => Err("baris 1001: nilai 'x' bukan bilangan bulat".to_string()),
        }
    }
}

/// A row source yielding many batches of the given sizes.
struct BatchedSource {
    rows: std::vec::IntoIter<Row>,
    sizes: Vec<usize>,
    at: usize,
}

#[async_trait]
impl RowSource for BatchedSource {
    async fn next_batch(&mut self) -> Result<Option<Vec<Row>>, String> {
        let size = self.sizes[self.at % self.sizes.len()];
        self.at += 1;
        let batch: Vec<Row> = self.rows.by_ref().take(size).collect();
        Ok(if batch.is_empty() { None } else { Some(batch) })
    }
}

fn assert_conflict<T: std::fmt::Debug>(r: Result<T, StoreError>, what: &str) {
    match r {
        Err(StoreError::Conflict(m)) => assert!(!m.is_empty(), "{what}: conflict message is empty"),
        other => panic!("{what}: expected Conflict, got {other:?}"),
    }
}

fn assert_invalid<T: std::fmt::Debug>(r: Result<T, StoreError>, what: &str) -> String {
    match r {
        Err(StoreError::Invalid(m)) => m,
        other => panic!("{what}: expected Invalid, got {other:?}"),
    }
}

fn assert_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>, what: &str) {
    match r {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("{what}: expected NotFound, got {other:?}"),
    }
}

// ---------------------------------------------------------------- basics

/// The store answers and names its backend; an empty store is at sequence 0.
pub async fn health_and_backend(store: Arc<dyn Store>) {
    store.health().await.expect("health");
    assert!(matches!(store.backend(), "sqlite" | "postgres"));
    assert_eq!(store.current_seq().await.expect("seq"), 0);
    assert!(store
        .changes_since(0, 10)
        .await
        .expect("changes")
        .is_empty());
}

// ---------------------------------------------------------------- organisations

/// Create, get by id and slug, update (also the slug); region codes are normalised to dots.
pub async fn orgs_crud(store: Arc<dyn Store>) {
    let mut meta = org_meta("dinkes", "Dinas Kesehatan", OrgKind::Opd);
    meta.acronym = Some("Dinkes".into());
    meta.region_code = Some("1606".into());
    meta.email = Some("dinkes@muba.go.id".into());
    let org = store
        .create_organization(meta.clone(), None)
        .await
        .expect("create");
    assert_eq!(
        org.meta.region_code.as_deref(),
        Some("16.06"),
        "region code stored dotted"
    );
    assert!(org.seq > 0);
    assert_eq!(org.created_at, org.updated_at);

    let by_id = store
        .get_organization(&org.id.to_string())
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(by_id.meta, org.meta);
    assert_eq!(by_id.created_at, org.created_at);
    assert_eq!(by_id.seq, org.seq);
    let by_slug = store
        .get_organization("dinkes")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(by_slug.id, org.id);
    assert!(store
        .get_organization("tidak-ada")
        .await
        .expect("get")
        .is_none());
    assert!(store
        .get_organization(&new_id().to_string())
        .await
        .expect("get")
        .is_none());

    let parent = make_org(&store, "setda").await;
    let mut changed = org.meta.clone();
    changed.slug = "dinas-kesehatan".into();
    changed.name = "Dinas Kesehatan Kabupaten".into();
    changed.parent_id = Some(parent.id);
    let updated = store
        .update_organization(org.id, changed.clone(), None)
        .await
        .expect("update");
    assert_eq!(updated.meta, changed);
    assert_eq!(updated.created_at, org.created_at);
    assert!(updated.seq > parent.seq);
    assert!(
        store
            .get_organization("dinkes")
            .await
            .expect("get")
            .is_none(),
        "old slug is gone"
    );
    let again = store
        .get_organization("dinas-kesehatan")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(again.meta.name, "Dinas Kesehatan Kabupaten");
    assert_eq!(again.meta.parent_id, Some(parent.id));

    assert_not_found(
        store.update_organization(new_id(), changed, None).await,
        "update unknown",
    );
}

/// Slugs are unique (Conflict), and bad fields are refused (Invalid).
pub async fn orgs_slug_conflict_and_validation(store: Arc<dyn Store>) {
    make_org(&store, "bappeda").await;
    let other = make_org(&store, "dinsos").await;
    assert_conflict(
        store
            .create_organization(org_meta("bappeda", "Lain", OrgKind::Opd), None)
            .await,
        "duplicate slug",
    );
    assert_conflict(
        store
            .update_organization(other.id, org_meta("bappeda", "Dinsos", OrgKind::Opd), None)
            .await,
        "update to a taken slug",
    );
    assert_invalid(
        store
            .create_organization(org_meta("Bad Slug!", "X", OrgKind::Opd), None)
            .await,
        "bad slug",
    );
    assert_invalid(
        store
            .create_organization(org_meta("kosong", "  ", OrgKind::Opd), None)
            .await,
        "empty name",
    );
    let mut bad_region = org_meta("desa-x", "Desa X", OrgKind::Desa);
    bad_region.region_code = Some("16.6".into());
    assert_invalid(
        store.create_organization(bad_region, None).await,
        "bad region code",
    );
    let mut bad_parent = org_meta("anak", "Anak", OrgKind::Opd);
    bad_parent.parent_id = Some(new_id());
    assert_invalid(
        store.create_organization(bad_parent, None).await,
        "unknown parent",
    );
    let page = store
        .list_organizations(&OrgQuery::default())
        .await
        .expect("list");
    assert_eq!(page.total, 2, "failed creates left nothing behind");
}

/// Bulk create skips slugs that exist (also twice in one call) and reports how many it created.
pub async fn orgs_bulk_create_skips_existing(store: Arc<dyn Store>) {
    make_org(&store, "desa-a").await;
    let metas = vec![
        org_meta("desa-a", "Desa A", OrgKind::Desa),
        org_meta("desa-b", "Desa B", OrgKind::Desa),
        org_meta("desa-c", "Desa C", OrgKind::Desa),
        org_meta("desa-b", "Desa B lagi", OrgKind::Desa),
    ];
    let before = store.current_seq().await.expect("seq");
    assert_eq!(
        store
            .create_organizations(metas.clone(), None)
            .await
            .expect("bulk"),
        2
    );
    assert_eq!(
        store.current_seq().await.expect("seq"),
        before + 2,
        "one change per created org"
    );
    assert_eq!(
        store
            .create_organizations(metas, None)
            .await
            .expect("bulk again"),
        0,
        "idempotent"
    );
    let b = store
        .get_organization("desa-b")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(b.meta.name, "Desa B", "first of duplicates wins");
    assert_eq!(
        store
            .list_organizations(&OrgQuery::default())
            .await
            .expect("list")
            .total,
        3
    );
    assert_eq!(
        store
            .create_organizations(vec![], None)
            .await
            .expect("empty"),
        0
    );
}

/// Listing by kind, by region (codes inside a region) and by name/acronym, with paging totals.
pub async fn orgs_list_filters_and_paging(store: Arc<dyn Store>) {
    let mut dinkes = org_meta("dinkes", "Dinas Kesehatan", OrgKind::Opd);
    dinkes.acronym = Some("DINKES".into());
    dinkes.region_code = Some("16.06".into());
    store
        .create_organization(dinkes, None)
        .await
        .expect("create");
    let mut kominfo = org_meta(
        "diskominfo",
        "Dinas Komunikasi dan Informatika",
        OrgKind::Walidata,
    );
    kominfo.acronym = Some("Diskominfo".into());
    store
        .create_organization(kominfo, None)
        .await
        .expect("create");
    let mut desa = vec![];
    for (slug, name, code) in [
        ("desa-1", "Desa Sukarami", "1606012001"),
        ("desa-2", "Desa Bailangu", "16.06.01.2002"),
        ("desa-3", "Desa Epil", "16.06.02.2001"),
        ("desa-4", "Desa Lain Kabupaten", "16.07.01.2001"),
    ] {
        let mut m = org_meta(slug, name, OrgKind::Desa);
        m.region_code = Some(code.into());
        desa.push(m);
    }
    let mut kec = org_meta("kec-sekayu", "Kecamatan Sekayu", OrgKind::Kecamatan);
    kec.region_code = Some("16.06.01".into());
    desa.push(kec);
    assert_eq!(
        store.create_organizations(desa, None).await.expect("bulk"),
        5
    );

    let q = |kind: Option<OrgKind>, within: Option<&str>, text: Option<&str>| OrgQuery {
        kind,
        within_region: within.map(String::from),
        q: text.map(String::from),
        limit: 100,
        offset: 0,
    };
    let slugs = |p: &satudata_store::Page<Organization>| -> Vec<String> {
        p.items.iter().map(|o| o.meta.slug.clone()).collect()
    };
    let all = store
        .list_organizations(&q(None, None, None))
        .await
        .expect("list");
    assert_eq!(all.total, 7);
    let names: Vec<&str> = all.items.iter().map(|o| o.meta.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "listed by name");

    let desa_only = store
        .list_organizations(&q(Some(OrgKind::Desa), None, None))
        .await
        .expect("list");
    assert_eq!(desa_only.total, 4);
    let within = store
        .list_organizations(&q(None, Some("16.06"), None))
        .await
        .expect("list");
    assert_eq!(
        within.total,
        5,
        "16.06 itself, its kecamatan and its three desa: {:?}",
        slugs(&within)
    );
    let within_kec = store
        .list_organizations(&q(Some(OrgKind::Desa), Some("160601"), None))
        .await
        .expect("list");
    assert_eq!(
        slugs(&within_kec),
        vec!["desa-2", "desa-1"],
        "Bailangu before Sukarami"
    );
    assert_invalid(
        store
            .list_organizations(&q(None, Some("16-06"), None))
            .await,
        "bad region code",
    );

    let by_name = store
        .list_organizations(&q(None, None, Some("kesehatan")))
        .await
        .expect("list");
    assert_eq!(
        slugs(&by_name),
        vec!["dinkes"],
        "case-insensitive name search"
    );
    let by_acronym = store
        .list_organizations(&q(None, None, Some("kominfo")))
        .await
        .expect("list");
    assert_eq!(slugs(&by_acronym), vec!["diskominfo"]);
    let none = store
        .list_organizations(&q(None, None, Some("100%_")))
        .await
        .expect("list");
    assert_eq!(
        none.total, 0,
        "LIKE wildcards in the search text are literal"
    );

    let page1 = store
        .list_organizations(&OrgQuery {
            limit: 3,
            offset: 0,
            ..OrgQuery::default()
        })
        .await
        .expect("list");
    let page3 = store
        .list_organizations(&OrgQuery {
            limit: 3,
            offset: 6,
            ..OrgQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(
        (page1.items.len(), page1.total, page1.limit, page1.offset),
        (3, 7, 3, 0)
    );
    assert_eq!((page3.items.len(), page3.total, page3.offset), (1, 7, 6));
    assert_eq!(
        page3.items[0].id, all.items[6].id,
        "pages follow the same order"
    );
}

// ---------------------------------------------------------------- topics

/// Topics are created, then updated by slug; each write is a change.
pub async fn topics_upsert(store: Arc<dyn Store>) {
    let t = Topic {
        slug: "kesehatan".into(),
        name: "Kesehatan".into(),
        name_en: Some("Health".into()),
        description: String::new(),
    };
    store.upsert_topic(t.clone(), None).await.expect("create");
    store
        .upsert_topic(
            Topic {
                slug: "pendidikan".into(),
                name: "Pendidikan".into(),
                name_en: None,
                description: "Sekolah".into(),
            },
            None,
        )
        .await
        .expect("create");
    let seq = store.current_seq().await.expect("seq");
    let mut t2 = t.clone();
    t2.name = "Kesehatan Masyarakat".into();
    store.upsert_topic(t2.clone(), None).await.expect("update");
    assert_eq!(store.current_seq().await.expect("seq"), seq + 1);
    let topics = store.list_topics().await.expect("list");
    assert_eq!(topics.len(), 2);
    assert_eq!(topics[0], t2);
    assert_eq!(topics[1].description, "Sekolah");
    let changes = store.changes_since(0, 10).await.expect("changes");
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().all(|c| c.entity == "topic"));
    assert_eq!(
        changes[0].entity_id, changes[2].entity_id,
        "one id per topic"
    );
    assert_eq!(changes[2].op, "update");
    assert_invalid(
        store
            .upsert_topic(
                Topic {
                    slug: "Bad Slug".into(),
                    ..t
                },
                None,
            )
            .await,
        "bad topic slug",
    );
}

// ---------------------------------------------------------------- users

/// Users are created and found by id and name; names are unique and checked.
pub async fn users_create_and_conflict(store: Arc<dyn Store>) {
    let u = make_user(&store, "budi").await;
    assert!(!u.disabled);
    assert!(u.memberships.is_empty());
    let got = store.get_user(u.id).await.expect("get").expect("exists");
    assert_eq!(
        (got.username.as_str(), got.email.as_deref()),
        ("budi", Some("budi@example.id"))
    );
    assert_eq!(got.created_at, u.created_at);
    let by_name = store
        .get_user_by_username("budi")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(by_name.id, u.id);
    assert!(store
        .get_user_by_username("tidakada")
        .await
        .expect("get")
        .is_none());
    assert!(store.get_user(new_id()).await.expect("get").is_none());
    assert_conflict(
        store
            .create_user(
                NewUser {
                    username: "budi".into(),
                    display_name: "Budi Lain".into(),
                    email: None,
                    password_hash: "$argon2id$x".into(),
                },
                None,
            )
            .await,
        "duplicate username",
    );
    assert_invalid(
        store
            .create_user(
                NewUser {
                    username: "Budi Santoso".into(),
                    display_name: "Budi".into(),
                    email: None,
                    password_hash: "$argon2id$x".into(),
                },
                None,
            )
            .await,
        "bad username",
    );
    let changes = store.changes_since(0, 10).await.expect("changes");
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (
            changes[0].entity.as_str(),
            changes[0].op.as_str(),
            changes[0].entity_id
        ),
        ("user", "create", u.id)
    );
}

/// Login reads the stored hash; setting a new hash replaces it.
pub async fn users_login_hash_and_password(store: Arc<dyn Store>) {
    let u = make_user(&store, "siti").await;
    let (user, hash) = store
        .get_login("siti")
        .await
        .expect("login")
        .expect("exists");
    assert_eq!(user.id, u.id);
    assert!(hash.starts_with("$argon2id$") && hash.ends_with("hash-of-siti"));
    assert!(store.get_login("nobody").await.expect("login").is_none());
    store
        .set_password_hash(u.id, "$argon2id$new".into(), Some(u.id))
        .await
        .expect("set hash");
    let (_, hash) = store
        .get_login("siti")
        .await
        .expect("login")
        .expect("exists");
    assert_eq!(hash, "$argon2id$new");
    assert_not_found(
        store
            .set_password_hash(new_id(), "$argon2id$x".into(), None)
            .await,
        "unknown user",
    );
    let last = store.changes_since(1, 10).await.expect("changes");
    assert_eq!(last.len(), 1);
    assert_eq!((last[0].op.as_str(), last[0].actor), ("update", Some(u.id)));
}

/// A user may hold several roles in several organisations; `None` removes every role in one.
pub async fn users_memberships(store: Arc<dyn Store>) {
    let u = make_user(&store, "agus").await;
    let a = make_org(&store, "dinas-a").await;
    let b = make_org(&store, "dinas-b").await;
    store
        .set_membership(u.id, a.id, Some(Role::Produsen), None)
        .await
        .expect("add");
    store
        .set_membership(u.id, a.id, Some(Role::Walidata), None)
        .await
        .expect("add");
    store
        .set_membership(u.id, a.id, Some(Role::Walidata), None)
        .await
        .expect("add twice is fine");
    let m = store
        .set_membership(u.id, b.id, Some(Role::Produsen), None)
        .await
        .expect("add");
    assert_eq!(m.len(), 3);
    let got = store.get_user(u.id).await.expect("get").expect("exists");
    assert_eq!(got.memberships, m);
    let roles_in_a: Vec<Role> = m
        .iter()
        .filter(|x| x.organization_id == a.id)
        .map(|x| x.role)
        .collect();
    assert_eq!(roles_in_a, vec![Role::Produsen, Role::Walidata]);
    let m = store
        .set_membership(u.id, a.id, None, None)
        .await
        .expect("remove");
    assert_eq!(m.len(), 1);
    assert_eq!((m[0].organization_id, m[0].role), (b.id, Role::Produsen));
    assert_eq!(
        store
            .get_user_by_username("agus")
            .await
            .expect("get")
            .expect("exists")
            .memberships,
        m
    );
    assert_not_found(
        store
            .set_membership(u.id, new_id(), Some(Role::Admin), None)
            .await,
        "unknown org",
    );
    assert_not_found(
        store
            .set_membership(new_id(), a.id, Some(Role::Admin), None)
            .await,
        "unknown user",
    );
}

/// A disabled user is marked so, and can use neither tokens nor sessions until enabled again.
pub async fn users_disable(store: Arc<dyn Store>) {
    let u = make_user(&store, "dewi").await;
    let now = Utc::now();
    store
        .create_token(NewApiToken {
            user_id: u.id,
            name: "skrip".into(),
            secret_hash: "a".repeat(64),
            expires_at: None,
        })
        .await
        .expect("token");
    store
        .create_session(Session {
            id_hash: "b".repeat(64),
            user_id: u.id,
            csrf_token: "csrf".into(),
            created_at: now,
            expires_at: now + Duration::hours(8),
        })
        .await
        .expect("session");
    store.set_disabled(u.id, true, None).await.expect("disable");
    assert!(
        store
            .get_user(u.id)
            .await
            .expect("get")
            .expect("exists")
            .disabled
    );
    assert!(store
        .use_token(&"a".repeat(64), now)
        .await
        .expect("use")
        .is_none());
    assert!(store
        .get_session(&"b".repeat(64), now)
        .await
        .expect("get")
        .is_none());
    store.set_disabled(u.id, false, None).await.expect("enable");
    assert!(
        !store
            .get_user(u.id)
            .await
            .expect("get")
            .expect("exists")
            .disabled
    );
    assert!(store
        .use_token(&"a".repeat(64), now)
        .await
        .expect("use")
        .is_some());
    assert!(store
        .get_session(&"b".repeat(64), now)
        .await
        .expect("get")
        .is_some());
    assert_not_found(
        store.set_disabled(new_id(), true, None).await,
        "unknown user",
    );
}

/// Users are listed by username, in pages with a total.
pub async fn users_list_paging(store: Arc<dyn Store>) {
    for name in ["cici", "andi", "eko", "bima", "dodi"] {
        make_user(&store, name).await;
    }
    let p1 = store.list_users(2, 0).await.expect("list");
    let p3 = store.list_users(2, 4).await.expect("list");
    assert_eq!(p1.total, 5);
    assert_eq!(
        p1.items
            .iter()
            .map(|u| u.username.as_str())
            .collect::<Vec<_>>(),
        vec!["andi", "bima"]
    );
    assert_eq!(
        p3.items
            .iter()
            .map(|u| u.username.as_str())
            .collect::<Vec<_>>(),
        vec!["eko"]
    );
}

/// Tokens: created, used (records last use), listed, expired or revoked → not usable.
pub async fn tokens_lifecycle(store: Arc<dyn Store>) {
    let u = make_user(&store, "rina").await;
    let other = make_user(&store, "tono").await;
    let now = Utc::now();
    let t = store
        .create_token(NewApiToken {
            user_id: u.id,
            name: "impor harian".into(),
            secret_hash: "1".repeat(64),
            expires_at: Some(now + Duration::days(30)),
        })
        .await
        .expect("create");
    assert!(t.last_used_at.is_none() && t.revoked_at.is_none());
    let (used, user) = store
        .use_token(&"1".repeat(64), now)
        .await
        .expect("use")
        .expect("active");
    assert_eq!(
        (used.id, user.id, user.username.as_str()),
        (t.id, u.id, "rina")
    );
    assert!(used.last_used_at.is_some());
    let listed = store.list_tokens(u.id).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert!(listed[0].last_used_at.is_some(), "use is recorded");
    assert!(store.list_tokens(other.id).await.expect("list").is_empty());

    assert!(
        store
            .use_token(&"f".repeat(64), now)
            .await
            .expect("use")
            .is_none(),
        "unknown secret"
    );
    assert!(
        store
            .use_token(&"1".repeat(64), now + Duration::days(31))
            .await
            .expect("use")
            .is_none(),
        "expired"
    );

    assert_not_found(
        store.revoke_token(other.id, t.id).await,
        "someone else's token",
    );
    assert_not_found(store.revoke_token(u.id, new_id()).await, "unknown token");
    store.revoke_token(u.id, t.id).await.expect("revoke");
    assert!(
        store
            .use_token(&"1".repeat(64), now)
            .await
            .expect("use")
            .is_none(),
        "revoked"
    );
    assert!(store.list_tokens(u.id).await.expect("list")[0]
        .revoked_at
        .is_some());
    store
        .revoke_token(u.id, t.id)
        .await
        .expect("revoking twice is fine");

    let forever = store
        .create_token(NewApiToken {
            user_id: u.id,
            name: "tanpa kedaluwarsa".into(),
            secret_hash: "2".repeat(64),
            expires_at: None,
        })
        .await
        .expect("create");
    let (used, _) = store
        .use_token(&"2".repeat(64), now + Duration::days(3650))
        .await
        .expect("use")
        .expect("never expires");
    assert_eq!(used.id, forever.id);
    assert_conflict(
        store
            .create_token(NewApiToken {
                user_id: u.id,
                name: "sama".into(),
                secret_hash: "2".repeat(64),
                expires_at: None,
            })
            .await,
        "same secret hash",
    );
    assert_not_found(
        store
            .create_token(NewApiToken {
                user_id: new_id(),
                name: "x".into(),
                secret_hash: "3".repeat(64),
                expires_at: None,
            })
            .await,
        "unknown user",
    );
}

/// Sessions: created, found until they expire, deleted.
pub async fn sessions_lifecycle(store: Arc<dyn Store>) {
    let u = make_user(&store, "wati").await;
    let now = Utc::now();
    let s = Session {
        id_hash: "c".repeat(64),
        user_id: u.id,
        csrf_token: "token-csrf".into(),
        created_at: now,
        expires_at: now + Duration::hours(8),
    };
    store.create_session(s.clone()).await.expect("create");
    let (got, user) = store
        .get_session(&s.id_hash, now)
        .await
        .expect("get")
        .expect("live");
    assert_eq!(
        (got.user_id, got.csrf_token.as_str(), user.id),
        (u.id, "token-csrf", u.id)
    );
    assert_eq!(got.expires_at.timestamp(), s.expires_at.timestamp());
    assert!(
        store
            .get_session(&s.id_hash, now + Duration::hours(9))
            .await
            .expect("get")
            .is_none(),
        "expired"
    );
    assert!(store
        .get_session(&"d".repeat(64), now)
        .await
        .expect("get")
        .is_none());
    assert_conflict(store.create_session(s.clone()).await, "same session id");
    store.delete_session(&s.id_hash).await.expect("delete");
    assert!(
        store
            .get_session(&s.id_hash, now)
            .await
            .expect("get")
            .is_none(),
        "deleted"
    );
    store
        .delete_session(&s.id_hash)
        .await
        .expect("deleting twice is fine");
    assert_not_found(
        store
            .create_session(Session {
                user_id: new_id(),
                ..s
            })
            .await,
        "unknown user",
    );
}

// ---------------------------------------------------------------- datasets

/// Create, get by slug and by id, update; the seq moves with every change.
pub async fn datasets_crud(store: Arc<dyn Store>) {
    let org = make_org(&store, "dinkes").await;
    let mut meta = DatasetMeta::new("Jumlah Puskesmas", "jumlah-puskesmas", org.id);
    meta.description = "Jumlah puskesmas per kecamatan (data demo).".into();
    meta.tags = vec!["puskesmas".into(), "fasilitas kesehatan".into()];
    meta.topics = vec!["kesehatan".into()];
    meta.satuan = Some("unit".into());
    meta.temporal_start = Some(2020);
    meta.temporal_end = Some(2024);
    let ds = store
        .create_dataset(meta.clone(), None)
        .await
        .expect("create");
    assert_eq!(ds.meta, meta);
    assert!(ds.seq > org.seq);
    let by_slug = store
        .get_dataset("jumlah-puskesmas")
        .await
        .expect("get")
        .expect("exists");
    let by_id = store
        .get_dataset(&ds.id.to_string())
        .await
        .expect("get")
        .expect("exists");
    assert_eq!((by_slug.id, by_id.id), (ds.id, ds.id));
    assert_eq!(by_id.meta, meta, "every metadata field round-trips");
    assert_eq!((by_id.created_at, by_id.seq), (ds.created_at, ds.seq));

    let mut changed = meta.clone();
    changed.title = "Jumlah Puskesmas dan Pustu".into();
    changed.slug = "jumlah-puskesmas-pustu".into();
    changed.topics = vec!["kesehatan".into(), "infrastruktur".into()];
    changed.access = Access::Terbatas;
    let up = store
        .update_dataset(ds.id, changed.clone(), None)
        .await
        .expect("update");
    assert_eq!(up.meta, changed);
    assert!(up.seq > ds.seq);
    assert_eq!(up.created_at, ds.created_at);
    assert!(
        store
            .get_dataset("jumlah-puskesmas")
            .await
            .expect("get")
            .is_none(),
        "old slug gone"
    );
    let got = store
        .get_dataset("jumlah-puskesmas-pustu")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!((got.meta.clone(), got.seq), (changed.clone(), up.seq));

    make_dataset(&store, org.id, "lain").await;
    assert_conflict(
        store
            .create_dataset(DatasetMeta::new("Dup", "lain", org.id), None)
            .await,
        "duplicate slug",
    );
    let mut to_taken = changed.clone();
    to_taken.slug = "lain".into();
    assert_conflict(
        store.update_dataset(ds.id, to_taken, None).await,
        "update to taken slug",
    );
    assert_not_found(
        store.update_dataset(new_id(), changed, None).await,
        "update unknown",
    );
}

/// Deleting leaves a tombstone: not gettable, not listed, its resources gone too, a `delete`
/// change recorded; the slug can be used again.
pub async fn datasets_delete_is_tombstone(store: Arc<dyn Store>) {
    let res = make_table(&store, "tabel").await;
    let ds_id = res.dataset_id;
    let seq = store.current_seq().await.expect("seq");
    store.delete_dataset(ds_id, None).await.expect("delete");
    assert!(store
        .get_dataset(&ds_id.to_string())
        .await
        .expect("get")
        .is_none());
    assert!(store.get_dataset("ds-tabel").await.expect("get").is_none());
    assert_eq!(
        store
            .list_datasets(&DatasetQuery::default())
            .await
            .expect("list")
            .total,
        0
    );
    assert!(
        store.get_resource(res.id).await.expect("get").is_none(),
        "resources are tombstoned too"
    );
    assert!(store.list_resources(ds_id).await.expect("list").is_empty());
    let changes = store.changes_since(seq, 10).await.expect("changes");
    assert!(changes
        .iter()
        .any(|c| c.entity == "dataset" && c.entity_id == ds_id && c.op == "delete"));
    assert!(changes
        .iter()
        .any(|c| c.entity == "resource" && c.entity_id == res.id && c.op == "delete"));
    assert_not_found(store.delete_dataset(ds_id, None).await, "delete twice");
    assert_not_found(
        store
            .update_dataset(ds_id, DatasetMeta::new("X", "x-x", new_id()), None)
            .await,
        "update deleted",
    );
    let org = store
        .get_organization("org-tabel")
        .await
        .expect("get")
        .expect("exists");
    let again = make_dataset(&store, org.id, "ds-tabel").await;
    assert_ne!(again.id, ds_id, "the slug of a tombstone can be reused");
}

/// Listing by organisation, topic, tag, access (with a produsen's own), text and since_seq.
pub async fn datasets_list_filters(store: Arc<dyn Store>) {
    let a = make_org(&store, "dinas-a").await;
    let b = make_org(&store, "dinas-b").await;
    let mk = |title: &str, slug: &str, org: Id, access: Access, topics: &[&str], tags: &[&str]| {
        let mut m = DatasetMeta::new(title, slug, org);
        m.access = access;
        m.topics = topics.iter().map(|s| s.to_string()).collect();
        m.tags = tags.iter().map(|s| s.to_string()).collect();
        m.description = format!("Deskripsi {title}");
        m
    };
    let d1 = store
        .create_dataset(
            mk(
                "Angka Kematian Ibu",
                "aki",
                a.id,
                Access::Terbuka,
                &["kesehatan"],
                &["ibu", "kematian"],
            ),
            None,
        )
        .await
        .expect("create");
    store
        .create_dataset(
            mk(
                "Balita Gizi Buruk",
                "gizi",
                a.id,
                Access::Terbatas,
                &["kesehatan", "sosial"],
                &["balita"],
            ),
            None,
        )
        .await
        .expect("create");
    let d3 = store
        .create_dataset(
            mk(
                "Calon Penerima Bantuan",
                "p3ke",
                b.id,
                Access::Tertutup,
                &["sosial"],
                &["kemiskinan"],
            ),
            None,
        )
        .await
        .expect("create");
    let d4 = store
        .create_dataset(
            mk(
                "Data Sekolah",
                "sekolah",
                b.id,
                Access::Terbuka,
                &["pendidikan"],
                &["sekolah", "ibu"],
            ),
            None,
        )
        .await
        .expect("create");

    let list = |q: DatasetQuery| {
        let store = store.clone();
        async move {
            let p = store.list_datasets(&q).await.expect("list");
            assert_eq!(p.total as usize, p.items.len(), "all fit in one page here");
            p.items.into_iter().map(|d| d.meta.slug).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(DatasetQuery::default()).await,
        vec!["aki", "gizi", "p3ke", "sekolah"],
        "by title"
    );
    assert_eq!(
        list(DatasetQuery {
            organization_id: Some(b.id),
            ..Default::default()
        })
        .await,
        vec!["p3ke", "sekolah"]
    );
    assert_eq!(
        list(DatasetQuery {
            topic: Some("kesehatan".into()),
            ..Default::default()
        })
        .await,
        vec!["aki", "gizi"]
    );
    assert_eq!(
        list(DatasetQuery {
            topic: Some("sosial".into()),
            ..Default::default()
        })
        .await,
        vec!["gizi", "p3ke"]
    );
    assert_eq!(
        list(DatasetQuery {
            tag: Some("ibu".into()),
            ..Default::default()
        })
        .await,
        vec!["aki", "sekolah"]
    );
    assert_eq!(
        list(DatasetQuery {
            access: vec![Access::Terbuka],
            ..Default::default()
        })
        .await,
        vec!["aki", "sekolah"]
    );
    assert_eq!(
        list(DatasetQuery {
            access: vec![Access::Terbuka, Access::Terbatas],
            ..Default::default()
        })
        .await,
        vec!["aki", "gizi", "sekolah"]
    );
    assert_eq!(
        list(DatasetQuery {
            access: vec![Access::Terbuka],
            also_organizations: vec![b.id],
            ..Default::default()
        })
        .await,
        vec!["aki", "p3ke", "sekolah"],
        "a produsen of b also sees b's closed data"
    );
    assert_eq!(
        list(DatasetQuery {
            q: Some("BALITA".into()),
            ..Default::default()
        })
        .await,
        vec!["gizi"]
    );
    assert_eq!(
        list(DatasetQuery {
            q: Some("deskripsi data".into()),
            ..Default::default()
        })
        .await,
        vec!["sekolah"],
        "description is searched too"
    );
    assert_eq!(
        list(DatasetQuery {
            topic: Some("kesehatan".into()),
            access: vec![Access::Terbuka],
            ..Default::default()
        })
        .await,
        vec!["aki"],
        "filters combine"
    );

    // since_seq: changes after a point, in seq order.
    let mut m1 = d1.meta.clone();
    m1.title = "Angka Kematian Ibu Melahirkan".into();
    store.update_dataset(d1.id, m1, None).await.expect("update");
    assert_eq!(
        list(DatasetQuery {
            since_seq: Some(d4.seq),
            ..Default::default()
        })
        .await,
        vec!["aki"]
    );
    assert_eq!(
        list(DatasetQuery {
            since_seq: Some(d3.seq - 1),
            ..Default::default()
        })
        .await,
        vec!["p3ke", "sekolah", "aki"],
        "since_seq lists in seq order"
    );

    let page = store
        .list_datasets(&DatasetQuery {
            limit: 3,
            offset: 3,
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(
        (page.items.len(), page.total, page.limit, page.offset),
        (1, 4, 3, 3)
    );
}

/// Bad metadata and unknown organisations are refused with a message naming the field.
pub async fn datasets_validation(store: Arc<dyn Store>) {
    let org = make_org(&store, "dinas").await;
    let mut bad = DatasetMeta::new("", "Bad Slug", org.id);
    bad.temporal_start = Some(2025);
    bad.temporal_end = Some(2020);
    let m = assert_invalid(store.create_dataset(bad, None).await, "bad metadata");
    assert!(
        m.contains("title") && m.contains("slug") && m.contains("temporal_end"),
        "{m}"
    );
    let m = assert_invalid(
        store
            .create_dataset(DatasetMeta::new("Judul", "judul", new_id()), None)
            .await,
        "unknown organisation",
    );
    assert!(m.contains("organisasi"), "{m}");
    assert_eq!(
        store
            .list_datasets(&DatasetQuery::default())
            .await
            .expect("list")
            .total,
        0
    );
}

// ---------------------------------------------------------------- resources

/// Table and file resources; names unique per dataset; schemas checked; delete is a tombstone.
pub async fn resources_table_and_file(store: Arc<dyn Store>) {
    let table = make_table(&store, "penduduk").await;
    assert_eq!(
        table.kind,
        ResourceKind::Table {
            schema: table_schema()
        }
    );
    let file = store
        .create_resource(
            table.dataset_id,
            NewResource {
                name: "laporan.pdf".into(),
                title: "Laporan".into(),
                description: "Laporan tahunan".into(),
                kind: ResourceKind::File {
                    path: "files/ab/cd.pdf".into(),
                    media_type: "application/pdf".into(),
                    size: 12345,
                    sha256: "e".repeat(64),
                },
            },
            None,
        )
        .await
        .expect("file resource");
    let got = store
        .get_resource(file.id)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(
        (
            got.kind.clone(),
            got.name.as_str(),
            got.description.as_str()
        ),
        (file.kind.clone(), "laporan.pdf", "Laporan tahunan")
    );
    let got = store
        .get_resource(table.id)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(
        (got.kind, got.seq, got.created_at),
        (table.kind.clone(), table.seq, table.created_at)
    );
    let listed: Vec<Id> = store
        .list_resources(table.dataset_id)
        .await
        .expect("list")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, vec![table.id, file.id], "in creation order");

    let dup = NewResource {
        name: "penduduk".into(),
        title: "Lagi".into(),
        description: String::new(),
        kind: ResourceKind::Table {
            schema: table_schema(),
        },
    };
    assert_conflict(
        store
            .create_resource(table.dataset_id, dup.clone(), None)
            .await,
        "duplicate name",
    );
    assert_not_found(
        store.create_resource(new_id(), dup.clone(), None).await,
        "unknown dataset",
    );
    assert_invalid(
        store
            .create_resource(
                table.dataset_id,
                NewResource {
                    name: "Nama Salah".into(),
                    ..dup.clone()
                },
                None,
            )
            .await,
        "bad name",
    );
    let bad_schema = TableSchema::new(vec![
        Field::new("a", FieldType::Integer),
        Field::new("a", FieldType::String),
    ]);
    let m = assert_invalid(
        store
            .create_resource(
                table.dataset_id,
                NewResource {
                    name: "lain".into(),
                    kind: ResourceKind::Table { schema: bad_schema },
                    ..dup.clone()
                },
                None,
            )
            .await,
        "bad schema",
    );
    assert!(m.contains("'a'"), "{m}");

    store.delete_resource(file.id, None).await.expect("delete");
    assert!(store.get_resource(file.id).await.expect("get").is_none());
    assert_eq!(
        store
            .list_resources(table.dataset_id)
            .await
            .expect("list")
            .len(),
        1
    );
    assert_not_found(store.delete_resource(file.id, None).await, "delete twice");
    let changes = store.changes_since(0, 100).await.expect("changes");
    assert!(changes
        .iter()
        .any(|c| c.entity == "resource" && c.entity_id == file.id && c.op == "delete"));
    // A deleted resource's name is free again.
    store
        .create_resource(
            table.dataset_id,
            NewResource {
                name: "laporan.pdf".into(),
                ..dup
            },
            None,
        )
        .await
        .expect("name reused after delete");
}

// ---------------------------------------------------------------- versions

/// v1 then v2 with rows added, removed and unchanged: counts, row_count, list and get.
pub async fn versions_counts(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    assert!(store.list_versions(res.id).await.expect("list").is_empty());
    let v1 = store
        .create_version(
            res.id,
            NewVersion {
                actor: None,
                summary: "Unggahan pertama".into(),
            },
            &mut VecRowSource::new(sample_rows(0..10)),
        )
        .await
        .expect("v1");
    assert_eq!(
        (v1.number, v1.row_count, v1.rows_added, v1.rows_removed),
        (1, 10, 10, 0)
    );
    assert_eq!(v1.summary, "Unggahan pertama");
    assert_eq!(v1.checksum.len(), 64);

    // Keep rows 0..7 but change row 5, drop 7..10, add 10..14.
    let mut rows = sample_rows(0..7);
    rows[5][2] = Value::Int(-1);
    rows.extend(sample_rows(10..14));
    let u = make_user(&store, "operator").await;
    let v2 = store
        .create_version(
            res.id,
            NewVersion {
                actor: Some(u.id),
                summary: String::new(),
            },
            &mut VecRowSource::new(rows.clone()),
        )
        .await
        .expect("v2");
    assert_eq!(
        (v2.number, v2.row_count, v2.rows_added, v2.rows_removed),
        (2, 11, 5, 4)
    );
    assert_eq!(v2.created_by, Some(u.id));
    assert!(!v2.summary.is_empty(), "a summary is generated");
    assert!(v2.seq > v1.seq);

    let list = store.list_versions(res.id).await.expect("list");
    assert_eq!(
        list.iter().map(|v| v.number).collect::<Vec<_>>(),
        vec![2, 1],
        "newest first"
    );
    let got = store
        .get_version(res.id, 1)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(
        (
            got.id,
            got.row_count,
            got.checksum.clone(),
            got.summary.clone(),
            got.created_at,
            got.seq
        ),
        (
            v1.id,
            10,
            v1.checksum.clone(),
            v1.summary.clone(),
            v1.created_at,
            v1.seq
        )
    );
    assert!(store.get_version(res.id, 3).await.expect("get").is_none());
    assert_eq!(all_rows(&store, res.id, None).await, rows);

    // An identical upload: nothing added or removed.
    let v3 = put_version(&store, res.id, rows.clone()).await;
    assert_eq!(
        (v3.number, v3.row_count, v3.rows_added, v3.rows_removed),
        (3, 11, 0, 0)
    );
    assert_eq!(v3.checksum, v2.checksum);
    // An empty upload removes everything.
    let v4 = put_version(&store, res.id, vec![]).await;
    assert_eq!((v4.row_count, v4.rows_added, v4.rows_removed), (0, 0, 11));
    assert!(all_rows(&store, res.id, None).await.is_empty());
    let v5 = put_version(&store, res.id, sample_rows(0..3)).await;
    assert_eq!((v5.row_count, v5.rows_added, v5.rows_removed), (3, 3, 0));
}

/// Reading an old version after newer ones gives exactly its rows, in its order.
pub async fn versions_are_immutable(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let r1 = sample_rows(0..50);
    put_version(&store, res.id, r1.clone()).await;
    let mut r2: Vec<Row> = sample_rows(25..80);
    r2[3][7] = Value::Text("diubah".into());
    put_version(&store, res.id, r2.clone()).await;
    let r3: Vec<Row> = sample_rows(0..5);
    put_version(&store, res.id, r3.clone()).await;

    assert_eq!(all_rows(&store, res.id, Some(1)).await, r1, "v1 unchanged");
    assert_eq!(all_rows(&store, res.id, Some(2)).await, r2, "v2 unchanged");
    assert_eq!(all_rows(&store, res.id, Some(3)).await, r3);
    assert_eq!(all_rows(&store, res.id, None).await, r3, "latest is v3");
    let page = store
        .query_rows(
            res.id,
            &RowQuery {
                version: Some(1),
                ..RowQuery::default()
            },
        )
        .await
        .expect("query");
    assert_eq!((page.version, page.total), (1, Some(50)));
    assert_eq!(
        page.fields,
        vec![
            "kode_desa",
            "tahun",
            "jumlah",
            "rasio",
            "aktif",
            "tanggal",
            "dicatat",
            "catatan"
        ]
    );
    let page = store
        .query_rows(res.id, &RowQuery::default())
        .await
        .expect("query");
    assert_eq!((page.version, page.total), (3, Some(5)));
}

/// Rows moved, inserted between kept rows and reversed: every version keeps its own order.
pub async fn versions_reorder_and_insert_between(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let r1 = sample_rows(0..20);
    put_version(&store, res.id, r1.clone()).await;

    // New rows between every old row (like adding a year to data sorted by desa then year).
    let mut r2 = vec![];
    for (i, r) in r1.iter().enumerate() {
        r2.push(r.clone());
        r2.push(sample_row(100 + i as i64));
    }
    let v2 = put_version(&store, res.id, r2.clone()).await;
    assert_eq!((v2.rows_added, v2.rows_removed, v2.row_count), (20, 0, 40));

    // Reversed: same content, so nothing added or removed, but the order is the new one.
    let mut r3 = r2.clone();
    r3.reverse();
    let v3 = put_version(&store, res.id, r3.clone()).await;
    assert_eq!((v3.rows_added, v3.rows_removed, v3.row_count), (0, 0, 40));
    assert_ne!(v3.checksum, v2.checksum, "the checksum covers the order");

    // A row moved to the front, and more rows squeezed in the same gaps again.
    let mut r4 = r3.clone();
    let last = r4.pop().expect("rows");
    r4.insert(0, last);
    for k in 0..5 {
        r4.insert(10 + 2 * k, sample_row(200 + k as i64));
    }
    let v4 = put_version(&store, res.id, r4.clone()).await;
    assert_eq!((v4.rows_added, v4.rows_removed, v4.row_count), (5, 0, 45));

    assert_eq!(all_rows(&store, res.id, Some(1)).await, r1);
    assert_eq!(all_rows(&store, res.id, Some(2)).await, r2);
    assert_eq!(all_rows(&store, res.id, Some(3)).await, r3);
    assert_eq!(all_rows(&store, res.id, Some(4)).await, r4);
    assert_eq!(streamed(&store, res.id, Some(2)).await.0, r2);
    assert_eq!(streamed(&store, res.id, None).await.0, r4);
}

/// The checksum depends only on the rows: equal rows give equal checksums (also in another
/// table), a different cell gives a different one; and it is SHA-256 in hex.
pub async fn versions_checksum(store: Arc<dyn Store>) {
    let a = make_table(&store, "a").await;
    let b = make_table(&store, "b").await;
    let rows = sample_rows(0..30);
    let va = put_version(&store, a.id, rows.clone()).await;
    let vb = put_version(&store, b.id, rows.clone()).await;
    assert_eq!(va.checksum, vb.checksum);
    assert!(va
        .checksum
        .bytes()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    let mut changed = rows.clone();
    changed[29][3] = Value::Num(1234.5);
    let vb2 = put_version(&store, b.id, changed).await;
    assert_ne!(vb2.checksum, va.checksum);
    let vb3 = put_version(&store, b.id, rows).await;
    assert_eq!(
        vb3.checksum, va.checksum,
        "back to the same content, back to the same checksum"
    );
    let ve = put_version(&store, a.id, vec![]).await;
    assert_eq!(
        ve.checksum, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "no rows: SHA-256 of nothing"
    );
}

/// A row source failing midway leaves no version and no rows; the next good upload is v1.
/// A failure on a later version leaves the earlier ones untouched.
pub async fn versions_failing_source_writes_nothing(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let seq = store.current_seq().await.expect("seq");
    let r = store
        .create_version(
            res.id,
            NewVersion::default(),
            &mut FailingSource {
                first: Some(sample_rows(0..1000)),
            },
        )
        .await;
    match r {
        Err(StoreError::Source(m)) => assert!(m.contains("baris 1001"), "{m}"),
        other => panic!("expected Source error, got {other:?}"),
    }
    assert!(store.list_versions(res.id).await.expect("list").is_empty());
    assert_eq!(
        store.current_seq().await.expect("seq"),
        seq,
        "no change recorded"
    );
    let page = store
        .query_rows(res.id, &RowQuery::default())
        .await
        .expect("query");
    assert_eq!(
        (page.version, page.rows.len(), page.total),
        (0, 0, Some(0)),
        "no version yet, no rows"
    );

    let v1 = put_version(&store, res.id, sample_rows(0..10)).await;
    assert_eq!((v1.number, v1.row_count), (1, 10));
    let r = store
        .create_version(
            res.id,
            NewVersion::default(),
            &mut FailingSource {
                first: Some(sample_rows(5..500)),
            },
        )
        .await;
    assert!(matches!(r, Err(StoreError::Source(_))), "{r:?}");
    assert_eq!(store.list_versions(res.id).await.expect("list").len(), 1);
    assert_eq!(
        all_rows(&store, res.id, None).await,
        sample_rows(0..10),
        "v1 intact"
    );
    let v2 = put_version(&store, res.id, sample_rows(0..12)).await;
    assert_eq!((v2.number, v2.rows_added, v2.rows_removed), (2, 2, 0));
}

/// Identical rows are rows too: kept, counted and diffed one by one.
pub async fn versions_duplicate_rows(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let a = sample_row(1);
    let b = sample_row(2);
    let v1 = put_version(&store, res.id, vec![a.clone(), a.clone(), b.clone()]).await;
    assert_eq!(v1.row_count, 3);
    assert_eq!(
        all_rows(&store, res.id, None).await,
        vec![a.clone(), a.clone(), b.clone()]
    );
    let v2 = put_version(
        &store,
        res.id,
        vec![a.clone(), b.clone(), a.clone(), a.clone()],
    )
    .await;
    assert_eq!((v2.row_count, v2.rows_added, v2.rows_removed), (4, 1, 0));
    let v3 = put_version(&store, res.id, vec![b.clone(), a.clone()]).await;
    assert_eq!((v3.row_count, v3.rows_added, v3.rows_removed), (2, 0, 2));
    assert_eq!(
        all_rows(&store, res.id, Some(1)).await,
        vec![a.clone(), a.clone(), b.clone()]
    );
    assert_eq!(
        all_rows(&store, res.id, Some(2)).await,
        vec![a.clone(), b.clone(), a.clone(), a.clone()]
    );
    assert_eq!(all_rows(&store, res.id, Some(3)).await, vec![b, a]);
}

/// Rows must be typed to the schema; a wrong type or width is refused and nothing is written.
pub async fn versions_type_mismatch_rejected(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let mut rows = sample_rows(0..5);
    rows[3][2] = Value::Text("seratus".into());
    let m = assert_invalid(
        store
            .create_version(res.id, NewVersion::default(), &mut VecRowSource::new(rows))
            .await,
        "text in an integer column",
    );
    assert!(
        m.contains("jumlah") && m.contains('4'),
        "names the column and the row: {m}"
    );
    let mut short = sample_rows(0..2);
    short[1].pop();
    assert_invalid(
        store
            .create_version(res.id, NewVersion::default(), &mut VecRowSource::new(short))
            .await,
        "row too short",
    );
    assert!(store.list_versions(res.id).await.expect("list").is_empty());
    // Integers are accepted in number columns and read back as numbers.
    let mut ints = sample_rows(0..1);
    ints[0][3] = Value::Int(3);
    put_version(&store, res.id, ints).await;
    assert_eq!(all_rows(&store, res.id, None).await[0][3], Value::Num(3.0));
}

/// Versions of unknown, deleted or file resources are refused.
pub async fn versions_errors(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    assert_not_found(
        store
            .create_version(
                new_id(),
                NewVersion::default(),
                &mut VecRowSource::new(vec![]),
            )
            .await,
        "unknown resource",
    );
    let file = store
        .create_resource(
            res.dataset_id,
            NewResource {
                name: "berkas".into(),
                title: "Berkas".into(),
                description: String::new(),
                kind: ResourceKind::File {
                    path: "x".into(),
                    media_type: "text/plain".into(),
                    size: 1,
                    sha256: "0".repeat(64),
                },
            },
            None,
        )
        .await
        .expect("file");
    assert_invalid(
        store
            .create_version(
                file.id,
                NewVersion::default(),
                &mut VecRowSource::new(vec![]),
            )
            .await,
        "file resource",
    );
    assert_invalid(
        store.query_rows(file.id, &RowQuery::default()).await,
        "rows of a file",
    );
    assert_not_found(
        store.query_rows(new_id(), &RowQuery::default()).await,
        "rows of unknown",
    );
    store.delete_resource(res.id, None).await.expect("delete");
    assert_not_found(
        store
            .create_version(
                res.id,
                NewVersion::default(),
                &mut VecRowSource::new(vec![]),
            )
            .await,
        "deleted resource",
    );
}

/// Two writers on one resource at once: both succeed with distinct numbers (one waits), or one
/// fails with a clear Conflict; never two versions with the same number.
pub async fn versions_concurrent_writers(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let mut tasks = vec![];
    for k in 0..3 {
        let s = store.clone();
        let rows = sample_rows(k * 100..k * 100 + 300);
        tasks.push(tokio::spawn(async move {
            s.create_version(res.id, NewVersion::default(), &mut VecRowSource::new(rows))
                .await
        }));
    }
    let mut numbers = vec![];
    for t in tasks {
        match t.await.expect("task") {
            Ok(v) => numbers.push(v.number),
            Err(StoreError::Conflict(_)) => {}
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    numbers.sort();
    assert!(!numbers.is_empty());
    assert_eq!(numbers, (1..=numbers.len() as i32).collect::<Vec<_>>());
    let listed = store.list_versions(res.id).await.expect("list");
    assert_eq!(listed.len(), numbers.len());
    let latest = &listed[0];
    assert_eq!(
        all_rows(&store, res.id, None).await.len() as i64,
        latest.row_count
    );
}

/// Many rows in uneven batches (beyond one INSERT), then a sparse change in the middle.
pub async fn versions_large_and_sparse_changes(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    // More rows than one page of matches (16,384) the merge plans at a time.
    let rows = sample_rows(0..40_000);
    let v1 = store
        .create_version(
            res.id,
            NewVersion::default(),
            &mut BatchedSource {
                rows: rows.clone().into_iter(),
                sizes: vec![1, 999, 4000, 17],
                at: 0,
            },
        )
        .await
        .expect("v1");
    assert_eq!(v1.row_count, 40_000);
    let mut r2 = rows.clone();
    r2[6000][2] = Value::Int(42);
    r2.remove(100);
    r2.insert(7000, sample_row(99_999));
    // The last row moved to the middle, across pages of the merge's plan: the same content, so
    // not counted as added or removed, and every version keeps its own order.
    let last = r2.pop().expect("rows");
    r2.insert(16_384, last);
    let v2 = put_version(&store, res.id, r2.clone()).await;
    assert_eq!(
        (v2.row_count, v2.rows_added, v2.rows_removed),
        (40_000, 2, 2)
    );
    assert_eq!(all_rows(&store, res.id, Some(1)).await, rows);
    assert_eq!(streamed(&store, res.id, None).await.0, r2);
}

// ---------------------------------------------------------------- queries

/// Every filter operator, on several storage types.
pub async fn query_filters_each_op(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let rows = sample_rows(0..100);
    put_version(&store, res.id, rows.clone()).await;
    let id = res.id;
    let expect = |pred: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| pred(r)).count() as u64;

    let desa = Value::Text("16.06.02.2003".into());
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("kode_desa", FilterOp::Eq, vec![desa.clone()])]
        )
        .await,
        expect(&|r| r[0] == desa)
    );
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("jumlah", FilterOp::Ne, vec![Value::Int(50)])]
        )
        .await,
        expect(&|r| r[2] != Value::Int(50)),
        "ne also matches missing cells"
    );
    let n = |r: &Row| match r[2] {
        Value::Int(i) => Some(i),
        _ => None,
    };
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("jumlah", FilterOp::Lt, vec![Value::Int(300)])]
        )
        .await,
        expect(&|r| n(r).is_some_and(|i| i < 300))
    );
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("jumlah", FilterOp::Le, vec![Value::Int(300)])]
        )
        .await,
        expect(&|r| n(r).is_some_and(|i| i <= 300))
    );
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("jumlah", FilterOp::Gt, vec![Value::Int(300)])]
        )
        .await,
        expect(&|r| n(r).is_some_and(|i| i > 300))
    );
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("jumlah", FilterOp::Ge, vec![Value::Int(300)])]
        )
        .await,
        expect(&|r| n(r).is_some_and(|i| i >= 300))
    );
    assert_eq!(
        count(
            &store,
            id,
            vec![filter(
                "tahun",
                FilterOp::In,
                vec![Value::Int(2021), Value::Int(2023)]
            )]
        )
        .await,
        expect(&|r| matches!(r[1], Value::Int(2021) | Value::Int(2023)))
    );
    assert_eq!(
        count(&store, id, vec![filter("tahun", FilterOp::In, vec![])]).await,
        0,
        "empty IN matches nothing"
    );
    assert_eq!(
        count(
            &store,
            id,
            vec![filter(
                "catatan",
                FilterOp::Like,
                vec![Value::Text("catatan KE-1%".into())]
            )]
        )
        .await,
        expect(&|r| matches!(&r[7], Value::Text(t) if t.starts_with("Catatan ke-1"))),
        "like is case-insensitive"
    );
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("catatan", FilterOp::IsMissing, vec![])]
        )
        .await,
        expect(&|r| r[7].is_null())
    );
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("jumlah", FilterOp::Eq, vec![Value::Null])]
        )
        .await,
        expect(&|r| r[2].is_null()),
        "eq with a missing value means is missing"
    );
    // Other types: number (integer operand accepted), boolean, date, date-time.
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("rasio", FilterOp::Ge, vec![Value::Int(20)])]
        )
        .await,
        expect(&|r| matches!(r[3], Value::Num(x) if x >= 20.0))
    );
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("aktif", FilterOp::Eq, vec![Value::Bool(true)])]
        )
        .await,
        expect(&|r| r[4] == Value::Bool(true))
    );
    let d = Value::Date(date(2024, 6, 15));
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("tanggal", FilterOp::Lt, vec![d.clone()])]
        )
        .await,
        expect(&|r| matches!(r[5], Value::Date(x) if x < date(2024, 6, 15)))
    );
    let t = datetime(2024, 3, 1, 12, 0, 0, 0);
    assert_eq!(
        count(
            &store,
            id,
            vec![filter("dicatat", FilterOp::Gt, vec![Value::DateTime(t)])]
        )
        .await,
        expect(&|r| matches!(r[6], Value::DateTime(x) if x > t))
    );
    // Filters combine with AND.
    assert_eq!(
        count(
            &store,
            id,
            vec![
                filter("tahun", FilterOp::Eq, vec![Value::Int(2022)]),
                filter("aktif", FilterOp::Eq, vec![Value::Bool(false)]),
                filter(
                    "kode_desa",
                    FilterOp::Like,
                    vec![Value::Text("16.06.01.%".into())]
                ),
            ]
        )
        .await,
        expect(&|r| r[1] == Value::Int(2022)
            && r[4] == Value::Bool(false)
            && matches!(&r[0], Value::Text(t) if t.starts_with("16.06.01.")))
    );
    // Filtering an older version.
    put_version(&store, id, sample_rows(0..10)).await;
    let page = store
        .query_rows(
            id,
            &RowQuery {
                version: Some(1),
                filters: vec![filter("tahun", FilterOp::Eq, vec![Value::Int(2020)])],
                limit: 1000,
                ..RowQuery::default()
            },
        )
        .await
        .expect("query v1");
    assert_eq!(page.total, Some(expect(&|r| r[1] == Value::Int(2020))));
}

/// Sorting (missing values last, ties in upload order), paging and the optional total.
pub async fn query_sort_paging_total(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let rows = sample_rows(0..60);
    put_version(&store, res.id, rows.clone()).await;
    let sorted = |sort: Vec<SortKey>, limit: u32, offset: u64, with_total: bool| {
        let store = store.clone();
        async move {
            store
                .query_rows(
                    res.id,
                    &RowQuery {
                        sort,
                        limit,
                        offset,
                        with_total,
                        ..RowQuery::default()
                    },
                )
                .await
                .expect("query")
        }
    };
    let key = |f: &str, descending: bool| SortKey {
        field: f.to_string(),
        descending,
    };

    // jumlah descending, missing last.
    let page = sorted(vec![key("jumlah", true)], 100, 0, true).await;
    let mut expect = rows.clone();
    expect.sort_by_key(|r| match r[2] {
        Value::Int(i) => (0, -i),
        _ => (1, 0),
    });
    assert_eq!(page.rows, expect);
    assert_eq!(page.total, Some(60));
    let page = sorted(vec![key("jumlah", false)], 100, 0, true).await;
    let mut expect = rows.clone();
    expect.sort_by_key(|r| match r[2] {
        Value::Int(i) => (0, i),
        _ => (1, 0),
    });
    assert_eq!(page.rows, expect, "ascending, missing still last");

    // Two keys; ties keep upload order (sort_by is stable).
    let page = sorted(
        vec![key("tahun", false), key("kode_desa", true)],
        100,
        0,
        false,
    )
    .await;
    let mut expect = rows.clone();
    let text = |v: &Value| match v {
        Value::Text(t) => t.clone(),
        _ => String::new(),
    };
    let year = |v: &Value| match v {
        Value::Int(y) => *y,
        _ => 0,
    };
    expect.sort_by(|a, b| {
        year(&a[1])
            .cmp(&year(&b[1]))
            .then_with(|| text(&b[0]).cmp(&text(&a[0])))
    });
    assert_eq!(page.rows, expect);
    assert_eq!(page.total, None, "no total unless asked");

    // Paging through a sorted result gives the same rows as one big page.
    let mut paged = vec![];
    for k in 0..7 {
        let p = sorted(vec![key("rasio", true)], 9, k * 9, true).await;
        assert_eq!((p.total, p.limit, p.offset), (Some(60), 9, k * 9));
        paged.extend(p.rows);
    }
    let all = sorted(vec![key("rasio", true)], 100, 0, false).await;
    assert_eq!(paged, all.rows);
    let beyond = sorted(vec![], 10, 1000, true).await;
    assert_eq!((beyond.rows.len(), beyond.total), (0, Some(60)));
}

/// Unknown fields and versions, and unusable operands, are clear errors.
pub async fn query_errors(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    put_version(&store, res.id, sample_rows(0..5)).await;
    let m = assert_invalid(
        store
            .query_rows(
                res.id,
                &RowQuery {
                    filters: vec![filter("jumlah_penduduk", FilterOp::Eq, vec![Value::Int(1)])],
                    ..RowQuery::default()
                },
            )
            .await,
        "unknown filter field",
    );
    assert!(m.contains("jumlah_penduduk"), "names the field: {m}");
    let m = assert_invalid(
        store
            .query_rows(
                res.id,
                &RowQuery {
                    sort: vec![SortKey {
                        field: "urutan".into(),
                        descending: false,
                    }],
                    ..RowQuery::default()
                },
            )
            .await,
        "unknown sort field",
    );
    assert!(m.contains("urutan"), "{m}");
    assert_invalid(
        store
            .query_rows(
                res.id,
                &RowQuery {
                    filters: vec![filter(
                        "jumlah",
                        FilterOp::Eq,
                        vec![Value::Text("x".into())],
                    )],
                    ..RowQuery::default()
                },
            )
            .await,
        "text operand on an integer field",
    );
    assert_invalid(
        store
            .query_rows(
                res.id,
                &RowQuery {
                    filters: vec![filter("jumlah", FilterOp::Lt, vec![])],
                    ..RowQuery::default()
                },
            )
            .await,
        "missing operand",
    );
    assert_not_found(
        store
            .query_rows(
                res.id,
                &RowQuery {
                    version: Some(2),
                    ..RowQuery::default()
                },
            )
            .await,
        "unknown version",
    );
    assert_not_found(
        store
            .query_rows(
                res.id,
                &RowQuery {
                    version: Some(0),
                    ..RowQuery::default()
                },
            )
            .await,
        "version 0",
    );
    let (tx, _rx) = tokio::sync::mpsc::channel(1);
    assert_not_found(
        store.stream_rows(res.id, Some(9), tx).await,
        "stream unknown version",
    );
}

/// `stream_rows` sends every row of a version in upload order, in batches.
pub async fn stream_rows_in_order(store: Arc<dyn Store>) {
    let res = make_table(&store, "t").await;
    let r1 = sample_rows(0..2500);
    put_version(&store, res.id, r1.clone()).await;
    let mut r2 = sample_rows(1000..3100);
    r2.reverse();
    put_version(&store, res.id, r2.clone()).await;
    let (rows, sizes) = streamed(&store, res.id, None).await;
    assert_eq!(rows, r2);
    assert!(sizes.len() >= 3, "sent in batches: {sizes:?}");
    assert!(sizes.iter().all(|s| *s > 0 && *s <= 10_000));
    assert_eq!(streamed(&store, res.id, Some(1)).await.0, r1);
    let empty = make_table(&store, "kosong").await;
    assert_eq!(
        streamed(&store, empty.id, None).await.0.len(),
        0,
        "no version: nothing sent"
    );
    // A consumer that goes away does not make the store fail.
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    drop(rx);
    store
        .stream_rows(res.id, None, tx)
        .await
        .expect("closed sink is not an error");
}

/// Every write takes the next sequence number; records carry it; `changes_since` pages through.
pub async fn seq_and_changes(store: Arc<dyn Store>) {
    let actor = make_user(&store, "admin").await;
    let org = store
        .create_organization(
            org_meta("dinkes", "Dinas Kesehatan", OrgKind::Opd),
            Some(actor.id),
        )
        .await
        .expect("org");
    let ds = store
        .create_dataset(DatasetMeta::new("Data", "data", org.id), Some(actor.id))
        .await
        .expect("dataset");
    let res = store
        .create_resource(
            ds.id,
            NewResource {
                name: "tabel".into(),
                title: "Tabel".into(),
                description: String::new(),
                kind: ResourceKind::Table {
                    schema: table_schema(),
                },
            },
            Some(actor.id),
        )
        .await
        .expect("resource");
    let v = store
        .create_version(
            res.id,
            NewVersion {
                actor: Some(actor.id),
                summary: String::new(),
            },
            &mut VecRowSource::new(sample_rows(0..3)),
        )
        .await
        .expect("version");
    let mut upd = org.meta.clone();
    upd.name = "Dinas Kesehatan Kab.".into();
    let org2 = store
        .update_organization(org.id, upd, Some(actor.id))
        .await
        .expect("update");
    store
        .delete_dataset(ds.id, Some(actor.id))
        .await
        .expect("delete");

    let all = store.changes_since(0, 1000).await.expect("changes");
    assert!(
        all.windows(2).all(|w| w[0].seq < w[1].seq),
        "strictly increasing"
    );
    assert_eq!(
        store.current_seq().await.expect("seq"),
        all.last().expect("some").seq
    );
    let find = |entity: &str, id: Id, op: &str| {
        all.iter()
            .find(|c| c.entity == entity && c.entity_id == id && c.op == op)
            .unwrap_or_else(|| panic!("change {entity} {id} {op} missing: {all:?}"))
            .clone()
    };
    assert_eq!(
        find("organization", org.id, "create").seq,
        org.seq,
        "record seq = its change seq"
    );
    assert_eq!(find("organization", org.id, "update").seq, org2.seq);
    assert_eq!(find("dataset", ds.id, "create").seq, ds.seq);
    assert_eq!(find("resource", res.id, "create").seq, res.seq);
    assert_eq!(find("version", v.id, "create").seq, v.seq);
    let del = find("dataset", ds.id, "delete");
    assert_eq!(del.actor, Some(actor.id));
    assert!(del.seq > v.seq);
    assert!(all
        .iter()
        .filter(|c| c.entity != "user")
        .all(|c| c.actor == Some(actor.id)));
    let org_after = store
        .get_organization("dinkes")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(org_after.seq, org2.seq);

    // Paging.
    let mut paged = vec![];
    let mut after = 0;
    loop {
        let page = store.changes_since(after, 2).await.expect("changes");
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 2);
        after = page.last().expect("some").seq;
        paged.extend(page);
    }
    assert_eq!(
        paged.iter().map(|c| c.seq).collect::<Vec<_>>(),
        all.iter().map(|c| c.seq).collect::<Vec<_>>()
    );
    assert!(store
        .changes_since(after, 10)
        .await
        .expect("changes")
        .is_empty());
}
