//! Governance over HTTP: the pemeriksaan journey (submit → checks → return with notes → fix and
//! resubmit → publish; the public sees only the published version; the audit chain verifies), the
//! Daftar Data with its XLSX round trip, kemutakhiran, reminders mailed through a local SMTP sink,
//! and the fixtures the route × role table needs.

use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate, Utc};
use reqwest::{Method, StatusCode};
use satudata_core::dataset::Periodicity;
use satudata_core::notification::{Audience, NewNotification};
use satudata_core::plan::{PlanItemMeta, ReferenceSource};
use satudata_core::review::ReviewAction;
use satudata_core::user::Role;
use satudata_core::value::Value;
use satudata_http::mail::{MailConfig, SmtpSecurity};
use satudata_store::governance::NewTransition;
use satudata_store::{GovernanceStore, NewVersion, Store, VecRowSource};
use serde_json::{json, Value as Json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::common::{sample_schema, spawn, spawn_with, App, Body, Options, Who};

// ---------------------------------------------------------------- route × role fixtures

fn plan_meta(app: &App, title: String) -> PlanItemMeta {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    PlanItemMeta {
        year: 2026,
        organization_id: app.fx.org_a.id,
        title,
        description: String::new(),
        kode: None,
        periodicity: Periodicity::Tahunan,
        level: None,
        due_update: d(3, 31),
        due_release: d(4, 30),
        priority: false,
        sources: vec![ReferenceSource::Rpjmd],
        dataset_id: Some(app.fx.open.id),
        topic: None,
    }
}

/// A fresh version of the open table, moved through `steps` by the admin.
async fn fresh_version(app: &App, steps: &[ReviewAction]) -> i32 {
    let rows = vec![vec![
        Value::Text("16.06.01".into()),
        Value::Int(2025),
        Value::Int(7),
    ]];
    let v = app
        .store
        .create_draft_version(
            app.fx.open_table.id,
            NewVersion::default(),
            &mut VecRowSource::new(rows),
        )
        .await
        .unwrap()
        .number;
    let admin = app.fx.users[&Who::Admin].id;
    for &a in steps {
        let mut t = NewTransition::new(app.fx.open_table.id, v, a, Some(admin), Role::Admin);
        t.note = "uji".into();
        app.store.apply_transition(t).await.unwrap();
    }
    v
}

/// Fill in the governance placeholders of the route × role table.
pub async fn materialise(app: &App, mut path: String, who: Who, n: usize) -> String {
    if path.contains("<draft_v>") {
        let v = fresh_version(app, &[]).await;
        path = path.replace("<draft_v>", &v.to_string());
    }
    if path.contains("<submitted_v>") {
        let v = fresh_version(app, &[ReviewAction::Submit]).await;
        path = path.replace("<submitted_v>", &v.to_string());
    }
    if path.contains("<returned_v>") {
        let v = fresh_version(app, &[ReviewAction::Submit, ReviewAction::Return]).await;
        path = path.replace("<returned_v>", &v.to_string());
    }
    if path.contains("<any_plan_item>") {
        // The fixture's item: reading must not need a write first.
        let items = app
            .store
            .list_plan_items(&Default::default())
            .await
            .unwrap();
        path = path.replace("<any_plan_item>", &items.items[0].id.to_string());
    }
    if path.contains("<plan_item>") {
        let item = app
            .store
            .create_plan_item(plan_meta(app, format!("Rencana {n}")), None)
            .await
            .unwrap();
        path = path.replace("<plan_item>", &item.id.to_string());
    }
    if path.contains("<own_notification>") {
        // The anonymous caller gets someone's notification: it must still be refused.
        let owner = if who == Who::Anonymous {
            Who::ProdusenOwn
        } else {
            who
        };
        let sent = app
            .store
            .notify(NewNotification {
                kind: "uji".into(),
                title: format!("Notifikasi {n}"),
                body: String::new(),
                link: None,
                audience: vec![Audience::User(app.fx.users[&owner].id)],
                dedupe_key: None,
            })
            .await
            .unwrap();
        path = path.replace("<own_notification>", &sent[0].id.to_string());
    }
    path
}

/// A small Daftar Data workbook for org `dinas-a`.
pub fn plan_workbook(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "Tahun",
        "Organisasi",
        "Judul Data",
        "Jadwal Pemutakhiran",
        "Jadwal Rilis",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The body a governance write needs to succeed when allowed.
pub fn body(method: &str, route: &str, n: usize) -> Option<Body> {
    let plan = || {
        json!({
            "year": 2026, "organization": "dinas-a", "title": format!("Rencana baru {n}"),
            "due_update": "2026-03-31", "due_release": "2026-04-30", "sources": ["sdgs"]
        })
    };
    Some(match (method, route) {
        ("POST", r) if r.starts_with("/api/v1/resources/{id}/versions/{number}/") => {
            Body::Json(json!({"note": "Catatan uji."}))
        }
        ("POST", "/api/v1/datasets/{slug}/metadata-reviews") => {
            Body::Json(json!({"verdict": "sesuai", "note": "Metadata lengkap."}))
        }
        ("POST", "/api/v1/plan-items") | ("PUT", "/api/v1/plan-items/{id}") => Body::Json(plan()),
        ("POST", "/api/v1/plan-items/import") => Body::Bytes(
            plan_workbook(&[[
                "2026",
                "dinas-a",
                &format!("Impor {n}"),
                "2026-06-30",
                "2026-07-31",
            ]]),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("POST", "/api/v1/plan-items/copy-forward") => Body::Json(json!({"year": 2026})),
        ("POST", "/api/v1/kemutakhiran/reminders") => Body::Json(json!({})),
        ("POST", "/api/v1/quality/snapshots") | ("POST", "/api/v1/me/notifications/{id}/read") => {
            Body::None
        }
        _ => return None,
    })
}

// ---------------------------------------------------------------- helpers

impl App {
    async fn as_(&self, who: Who, method: Method, path: &str, body: Body) -> crate::common::Answer {
        self.call(who, method, path, body).await
    }

    async fn public(&self, path: &str) -> crate::common::Answer {
        self.get(path, &[]).await
    }
}

fn numbers(list: &Json) -> Vec<i64> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect()
}

// ---------------------------------------------------------------- tests

#[tokio::test]
async fn pemeriksaan_journey_publishes_only_what_the_walidata_approved() {
    let app = spawn().await;
    let org = app.fx.org_a.id;
    // A dataset without satuan, ukuran and klasifikasi: Standar Data will fail.
    let ds = app
        .as_(
            Who::ProdusenOwn,
            Method::POST,
            "/api/v1/datasets",
            Body::Json(json!({
                "title": "Jumlah posyandu", "slug": "jumlah-posyandu", "organization_id": org,
                "topics": ["kesehatan"], "access": "terbuka"
            })),
        )
        .await;
    assert_eq!(ds.status, StatusCode::CREATED, "{}", ds.text);
    let res = app
        .as_(Who::ProdusenOwn, Method::POST, "/api/v1/datasets/jumlah-posyandu/resources", Body::Json(json!({
            "name": "tabel", "title": "Posyandu per kecamatan", "kind": "table", "schema": sample_schema()
        })))
        .await;
    let rid = res.json()["id"].as_str().unwrap().to_string();
    let versions = format!("/api/v1/resources/{rid}/versions");
    let csv = "kode_kecamatan,tahun,jumlah\n16.06.01,2025,12\n16.06.02,2025,9\n16.06.03,2025,15\n";
    let up = app
        .as_(
            Who::ProdusenOwn,
            Method::POST,
            &versions,
            Body::Csv(csv.into()),
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
    assert_eq!(up.json()["state"], "draf");

    // The public sees nothing yet, not even that a draft exists.
    let rows = app
        .public("/api/v1/datasets/jumlah-posyandu/rows")
        .await
        .json();
    assert_eq!(
        (
            rows["version"].as_i64(),
            rows["rows"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );
    assert!(numbers(&app.public(&versions).await.json()).is_empty());
    assert_eq!(
        app.public(&format!("{versions}/1")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.public(&format!("/api/v1/resources/{rid}/rows?version=1"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.public("/dataset/jumlah-posyandu/tabel.csv?version=1")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let own = app
        .as_(Who::ProdusenOwn, Method::GET, &versions, Body::None)
        .await
        .json();
    assert_eq!(own["items"][0]["state"], "draf");

    // Another OPD may not submit it; the walidata may not publish a draft.
    let other = app
        .as_(
            Who::ProdusenOther,
            Method::POST,
            &format!("{versions}/1/submit"),
            Body::None,
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let early = app
        .as_(
            Who::Walidata,
            Method::POST,
            &format!("{versions}/1/publish"),
            Body::None,
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text);
    assert!(early.json()["detail"].as_str().unwrap().contains("Draf"));

    // Submit: the checks run.
    let sub = app
        .as_(
            Who::ProdusenOwn,
            Method::POST,
            &format!("{versions}/1/submit"),
            Body::None,
        )
        .await;
    assert_eq!(sub.status, StatusCode::OK, "{}", sub.text);
    let sub = sub.json();
    assert_eq!(sub["state"], "diajukan");
    assert_eq!(sub["checks"]["passed"], false);
    let principle = |report: &Json, p: &str| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["principle"] == p)
            .cloned()
            .unwrap()
    };
    let sd = principle(&sub["checks"], "standar_data");
    assert_eq!(sd["passed"], false);
    // The table's columns carry their unit, so only satuan is there.
    assert!(sd["reasons"].to_string().contains("Ukuran"), "{sd}");
    assert!(!sd["reasons"].to_string().contains("Satuan"), "{sd}");
    assert_eq!(principle(&sub["checks"], "kode_referensi")["passed"], true);
    assert_eq!(
        principle(&sub["checks"], "interoperabilitas")["passed"],
        true
    );

    // The walidata's queue shows it with failing checks; the detail shows the diff.
    let queue = app
        .as_(
            Who::Walidata,
            Method::GET,
            "/api/v1/review/queue",
            Body::None,
        )
        .await
        .json();
    let mine: Vec<&Json> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["dataset"] == "jumlah-posyandu")
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["checks_passed"], false);
    let review = format!("{versions}/1/review");
    let detail = app
        .as_(Who::Walidata, Method::GET, &review, Body::None)
        .await
        .json();
    assert_eq!(detail["state"], "diajukan");
    assert_eq!(detail["diff"]["added"], 3);
    assert_eq!(detail["regions"][0]["cells"], 3);
    assert_eq!(app.public(&review).await.status, StatusCode::UNAUTHORIZED);

    // Return with notes on the submission, a field and a row; a return without a note is refused.
    let silent = app
        .as_(
            Who::Walidata,
            Method::POST,
            &format!("{versions}/1/return"),
            Body::None,
        )
        .await;
    assert_eq!(silent.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ret = app
        .as_(
            Who::Walidata,
            Method::POST,
            &format!("{versions}/1/return"),
            Body::Json(json!({
                "note": "Lengkapi Standar Data.",
                "notes": [
                    {"on": "kolom", "field": "satuan", "text": "Isi satuan: unit."},
                    {"on": "baris", "key": "16.06.02|2025", "text": "Periksa angka ini."}
                ]
            })),
        )
        .await;
    assert_eq!(ret.status, StatusCode::OK, "{}", ret.text);
    assert_eq!(ret.json()["state"], "dikembalikan");
    let inbox = app
        .as_(
            Who::ProdusenOwn,
            Method::GET,
            "/api/v1/me/notifications?unread=true",
            Body::None,
        )
        .await
        .json();
    assert!(
        inbox["items"].to_string().contains("dikembalikan"),
        "{inbox}"
    );

    // The produsen fixes the metadata and resubmits: the checks pass now.
    let mut meta = ds.json();
    for (k, v) in [
        ("satuan", json!("unit")),
        ("ukuran", json!("jumlah")),
        ("klasifikasi", json!("kecamatan")),
        ("konsep", json!("Posyandu aktif")),
        (
            "description",
            json!("Jumlah posyandu aktif menurut kecamatan pada akhir tahun."),
        ),
        ("tags", json!(["posyandu"])),
        ("level", json!("kecamatan")),
        ("temporal_start", json!(2025)),
        ("temporal_end", json!(2025)),
        ("source", json!("Dinas Kesehatan")),
        ("author", json!("Dinkes")),
        ("maintainer", json!("Diskominfo")),
    ] {
        meta[k] = v;
    }
    let put = app
        .as_(
            Who::ProdusenOwn,
            Method::PUT,
            "/api/v1/datasets/jumlah-posyandu",
            Body::Json(meta),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let again = app
        .as_(
            Who::ProdusenOwn,
            Method::POST,
            &format!("{versions}/1/resubmit"),
            Body::None,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.json()["checks"]["passed"], true, "{}", again.text);

    // The walidata publishes; the public now reads it.
    let publish = app
        .as_(
            Who::Walidata,
            Method::POST,
            &format!("{versions}/1/publish"),
            Body::None,
        )
        .await;
    assert_eq!(publish.status, StatusCode::OK, "{}", publish.text);
    let rows = app
        .public("/api/v1/datasets/jumlah-posyandu/rows")
        .await
        .json();
    assert_eq!(rows["version"], 1);
    assert_eq!(rows["rows"].as_array().unwrap().len(), 3);

    // A correction is a new version: a draft again, while the public keeps version 1.
    let csv2 =
        "kode_kecamatan,tahun,jumlah\n16.06.01,2025,12\n16.06.02,2025,10\n16.06.03,2025,15\n";
    let v2 = app
        .as_(
            Who::ProdusenOwn,
            Method::POST,
            &versions,
            Body::Csv(csv2.into()),
        )
        .await;
    assert_eq!(v2.json()["number"], 2);
    assert_eq!(
        app.public("/api/v1/datasets/jumlah-posyandu/rows")
            .await
            .json()["version"],
        1
    );
    assert_eq!(numbers(&app.public(&versions).await.json()), [1]);
    let d = app
        .as_(
            Who::Walidata,
            Method::GET,
            &format!("{versions}/2/review"),
            Body::None,
        )
        .await
        .json();
    assert_eq!(d["published_version"], 1);
    assert_eq!(
        (d["diff"]["changed"].as_i64(), d["diff"]["added"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(d["diff"]["changed_rows"][0]["fields"], json!(["jumlah"]));
    let history = app
        .as_(Who::ProdusenOwn, Method::GET, &review, Body::None)
        .await
        .json();
    let actions: Vec<&str> = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["submit", "return", "resubmit", "publish"]);
    assert_eq!(history["events"][1]["notes"][0]["field"], "satuan");

    // The audit log recorded the decisions and every write, and its chain verifies.
    let verify = app
        .as_(Who::Admin, Method::GET, "/api/v1/audit/verify", Body::None)
        .await
        .json();
    assert_eq!(verify["broken"], Json::Null, "{verify}");
    assert!(verify["verified"].as_u64().unwrap() >= 10, "{verify}");
    let decisions = app
        .as_(
            Who::Admin,
            Method::GET,
            "/api/v1/audit?action=review.publish",
            Body::None,
        )
        .await
        .json();
    assert_eq!(decisions["total"], 1);
    assert_eq!(decisions["items"][0]["actor_name"], "walidata");
    assert!(decisions["items"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("jumlah-posyandu"));
    assert!(!decisions["items"][0]["ip"].as_str().unwrap().is_empty());
    let csv = app
        .as_(
            Who::Admin,
            Method::GET,
            "/api/v1/audit/export.csv",
            Body::None,
        )
        .await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.text.lines().count() > 10);
    assert_eq!(
        app.as_(Who::Walidata, Method::GET, "/api/v1/audit", Body::None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn restricted_reads_are_audited() {
    let app = spawn().await;
    let before = app
        .store
        .list_audit(&Default::default())
        .await
        .unwrap()
        .total;
    let limited = format!("/api/v1/datasets/{}/rows", app.fx.limited.meta.slug);
    assert_eq!(
        app.as_(Who::Pembina, Method::GET, &limited, Body::None)
            .await
            .status,
        StatusCode::OK
    );
    let open = format!("/api/v1/datasets/{}/rows", app.fx.open.meta.slug);
    assert_eq!(app.public(&open).await.status, StatusCode::OK);
    let page = app
        .store
        .list_audit(&satudata_store::governance::AuditQuery {
            action: Some("read_restricted".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.total, 1, "only the restricted read is logged");
    assert_eq!(page.items[0].record.actor_name, "pembina");
    assert_eq!(page.items[0].record.entity_id, app.fx.limited.meta.slug);
    // Data Packages of restricted data are downloads of it too.
    for file in ["datapackage.json", "datapackage.zip"] {
        let path = format!("/dataset/{}/{file}", app.fx.limited.meta.slug);
        let a = app.as_(Who::Pembina, Method::GET, &path, Body::None).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.text);
    }
    let page = app
        .store
        .list_audit(&satudata_store::governance::AuditQuery {
            action: Some("read_restricted".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.total, 3, "{:?}", page.items);
    assert!(page.items[0].record.detail.contains("datapackage"));
    assert!(
        app.store
            .list_audit(&Default::default())
            .await
            .unwrap()
            .total
            > before
    );
}

#[tokio::test]
async fn ckan_datastore_search_of_restricted_data_is_audited_with_its_reader() {
    let app = spawn().await;
    let table = app
        .store
        .list_resources(app.fx.limited.id)
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let path = format!("/api/3/action/datastore_search?resource_id={}", table.id);
    let read = app.as_(Who::Pembina, Method::GET, &path, Body::None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    // The public is refused (and nothing is read).
    assert_eq!(app.public(&path).await.status, StatusCode::FORBIDDEN);
    // Open data is not logged.
    let open = format!(
        "/api/3/action/datastore_search?resource_id={}",
        app.fx.open_table.id
    );
    assert_eq!(app.public(&open).await.status, StatusCode::OK);
    let page = app
        .store
        .list_audit(&satudata_store::governance::AuditQuery {
            action: Some("read_restricted".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.total, 1, "{:?}", page.items);
    let entry = &page.items[0].record;
    assert_eq!(entry.actor_name, "pembina", "the CKAN token's user");
    assert_eq!(entry.actor, Some(app.fx.users[&Who::Pembina].id));
    assert_eq!(entry.entity_id, app.fx.limited.meta.slug);
    assert!(
        entry.detail.contains("datastore_search"),
        "{}",
        entry.detail
    );
    assert!(!entry.ip.is_empty());
}

#[tokio::test]
async fn downloads_and_api_calls_are_counted_per_dataset_and_day() {
    let app = spawn().await;
    let slug = app.fx.open.meta.slug.clone();
    let rid = app.fx.open_table.id;
    let name = app.fx.open_table.name.clone();
    let get = |path: String| {
        let app = &app;
        async move {
            let a = app.public(&path).await;
            (a.status, a)
        }
    };
    // Downloads: files, Data Packages, the data API in a file format.
    for path in [
        format!("/dataset/{slug}/{name}.csv"),
        format!("/dataset/{slug}/{name}.json"),
        format!("/dataset/{slug}/datapackage.json"),
        format!("/dataset/{slug}/datapackage.zip"),
        format!("/api/v1/datasets/{slug}/rows?format=csv"),
    ] {
        let (status, a) = get(path.clone()).await;
        assert_eq!(status, StatusCode::OK, "{path}: {}", a.text);
    }
    // API calls: rows and aggregates as JSON, CKAN datastore_search.
    let mut etag = None;
    for path in [
        format!("/api/v1/datasets/{slug}/rows"),
        format!("/api/v1/resources/{rid}/rows"),
        format!("/api/v1/datasets/{slug}/aggregate?rollup=kabupaten&sum=jumlah"),
        format!("/api/3/action/datastore_search?resource_id={rid}"),
    ] {
        let (status, a) = get(path.clone()).await;
        assert_eq!(status, StatusCode::OK, "{path}: {}", a.text);
        if etag.is_none() {
            etag = a.headers.get("etag").cloned();
        }
    }
    // Not counted: a schema, refused requests, a 304.
    let (status, _) = get(format!("/dataset/{slug}/{name}.schema.json")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get(format!("/api/v1/resources/{rid}/rows?version=99")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(format!("/api/v1/datasets/{slug}/rows?sort=tidak_ada")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let closed = format!("/dataset/{}/datapackage.zip", app.fx.closed.meta.slug);
    assert_ne!(app.public(&closed).await.status, StatusCode::OK);
    let not_modified = app
        .http
        .get(app.url(&format!("/api/v1/datasets/{slug}/rows")))
        .header("if-none-match", etag.expect("rows have an ETag"))
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);

    // The dataset JSON shows them at once (counts not yet flushed included).
    let d = app.public(&format!("/api/v1/datasets/{slug}")).await.json();
    assert_eq!(
        d["usage"],
        json!({"downloads": 5, "api_calls": 4, "downloads_30d": 5, "api_calls_30d": 4}),
        "{d}"
    );
    let c = app
        .as_(
            Who::Admin,
            Method::GET,
            &format!("/api/v1/datasets/{}", app.fx.closed.meta.slug),
            Body::None,
        )
        .await
        .json();
    assert_eq!(c["usage"]["downloads"], 0, "{c}");

    // A graceful stop writes what was counted: the store has every use, and the open dataset
    // leads the most used list.
    let (open_id, limited_id) = (app.fx.open.id, app.fx.limited.id);
    let (store, _fx, _dir) = app.stop().await;
    let stored = store.dataset_usage(open_id, None).await.unwrap();
    assert_eq!((stored.downloads, stored.api_calls), (5, 4));
    let since = (Utc::now() + Duration::hours(7)).date_naive() - Duration::days(1);
    let most = store
        .most_used_datasets(since, &[satudata_core::dataset::Access::Terbuka], 10)
        .await
        .unwrap();
    assert_eq!(most.len(), 1, "{most:?}");
    assert_eq!(
        (most[0].dataset_id, most[0].downloads, most[0].api_calls),
        (open_id, 5, 4)
    );
    assert_eq!(
        store.dataset_usage(limited_id, None).await.unwrap().total(),
        0
    );
}

#[tokio::test]
async fn daftar_data_round_trips_through_xlsx_and_feeds_kemutakhiran() {
    let app = spawn().await;
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let year = today.format("%Y").to_string().parse::<i32>().unwrap();
    let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let soon = today + Duration::days(3);
    // One item overdue and unsent, one due soon, one linked to the open dataset and sent on time.
    for (title, due, dataset) in [
        ("Jumlah bidan", today - Duration::days(10), None),
        ("Jumlah kader", soon, None),
        (
            "Jumlah penduduk",
            today + Duration::days(20),
            Some(app.fx.open.meta.slug.clone()),
        ),
    ] {
        let res = app
            .as_(Who::Walidata, Method::POST, "/api/v1/plan-items", Body::Json(json!({
                "year": year, "organization": "dinas-a", "title": title, "kode": "DD-7",
                "due_update": date(due), "due_release": date(due + Duration::days(30)),
                "priority": true, "sources": ["rpjmd", "spm"], "dataset": dataset, "periodicity": "tahunan"
            })))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    let bad = app
        .as_(Who::Walidata, Method::POST, "/api/v1/plan-items", Body::Json(json!({
            "year": year, "organization": "tidak-ada", "title": "X", "due_update": date(today), "due_release": date(today)
        })))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "organization");
    // The linked dataset's new version is submitted today: on time.
    let v = fresh_version(&app, &[ReviewAction::Submit]).await;
    assert!(v > 2);

    let k = app
        .public(&format!("/api/v1/kemutakhiran?year={year}"))
        .await
        .json();
    assert_eq!(k["totals"]["total"], 3, "{k}");
    assert_eq!(k["totals"]["on_time"], 1);
    assert_eq!(k["totals"]["late_unsent"], 1);
    assert_eq!(k["totals"]["pending"], 1);
    let a = k["by_organization"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["organization"] == "dinas-a")
        .unwrap()
        .clone();
    assert_eq!(
        (a["total"].as_u64(), a["late"].as_u64()),
        (Some(3), Some(1))
    );
    assert!(
        k["by_organization"].to_string().contains("dinas-b"),
        "every OPD is listed"
    );
    let page = app.public(&format!("/kemutakhiran?tahun={year}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("data-organization=\"dinas-a\""));
    assert!(!page.text.contains("<script"));
    let cal = app
        .public(&format!("/api/v1/release-calendar?year={year}"))
        .await
        .json();
    assert_eq!(cal["items"].as_array().unwrap().len(), 3);

    // Export, then import the same workbook into an empty plan: the same items come back.
    let xlsx = app
        .public(&format!("/api/v1/plan-items/export.xlsx?year={year}"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let bytes = app
        .http
        .get(app.url(&format!("/api/v1/plan-items/export.xlsx?year={year}")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let listed = app
        .public(&format!("/api/v1/plan-items?year={year}"))
        .await
        .json();
    for item in listed["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let del = app
            .as_(
                Who::Walidata,
                Method::DELETE,
                &format!("/api/v1/plan-items/{id}"),
                Body::None,
            )
            .await;
        assert_eq!(del.status, StatusCode::NO_CONTENT);
    }
    let xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let imported = app
        .as_(
            Who::Walidata,
            Method::POST,
            "/api/v1/plan-items/import",
            Body::Bytes(bytes, xlsx_type),
        )
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.text);
    assert_eq!(imported.json()["created"], 3);
    let back = app
        .public(&format!("/api/v1/plan-items?year={year}"))
        .await
        .json();
    let mut titles: Vec<&str> = back["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Jumlah bidan", "Jumlah kader", "Jumlah penduduk"]);
    let linked = back["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "Jumlah penduduk")
        .unwrap();
    assert_eq!(linked["dataset"], app.fx.open.meta.slug.as_str());
    assert_eq!(linked["sources"], json!(["rpjmd", "spm"]));
    assert_eq!(linked["priority"], true);

    // A workbook with a bad row is refused whole, naming the row.
    let broken = plan_workbook(&[
        [
            &year.to_string(),
            "dinas-a",
            "Baik",
            "2026-06-30",
            "2026-07-31",
        ],
        [
            &year.to_string(),
            "tidak-ada",
            "Buruk",
            "31/13/2026",
            "2026-07-31",
        ],
    ]);
    let refused = app
        .as_(
            Who::Walidata,
            Method::POST,
            "/api/v1/plan-items/import",
            Body::Bytes(broken, xlsx_type),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert_eq!(refused.json()["errors"][0]["row"], 3);
    assert_eq!(
        app.public(&format!("/api/v1/plan-items?year={year}"))
            .await
            .json()["total"],
        3
    );

    // Copy forward.
    let copy = app
        .as_(
            Who::Walidata,
            Method::POST,
            "/api/v1/plan-items/copy-forward",
            Body::Json(json!({"year": year})),
        )
        .await;
    assert_eq!(copy.json()["created"], 3);
    // A year whose next year is no plan year is refused (it once overflowed and dropped the
    // connection; found by schemathesis).
    for year in [i32::MAX, 2200, 1999] {
        let bad = app
            .as_(
                Who::Walidata,
                Method::POST,
                "/api/v1/plan-items/copy-forward",
                Body::Json(json!({ "year": year })),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{year}");
        assert_eq!(bad.json()["errors"][0]["field"], "year");
    }
    let k = app.public("/api/v1/kemutakhiran/export.xlsx").await;
    assert_eq!(k.status, StatusCode::OK);
}

/// A tiny SMTP server on 127.0.0.1 that accepts every message and keeps it.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(vec![]));
    let keep = got.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            keep.lock().unwrap().push(data.take().unwrap());
                            w.write_all(b"250 OK\r\n").await.unwrap();
                        } else {
                            buf.push_str(&line);
                            buf.push('\n');
                        }
                        continue;
                    }
                    let cmd = line.to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if cmd.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go on\r\n"
                    } else if cmd.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, got)
}

#[tokio::test]
async fn reminders_reach_producers_in_the_app_and_by_mail() {
    let (port, mails) = smtp_sink().await;
    let app = spawn_with(Options {
        mail: Some(MailConfig {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
            from: "Satu Data Uji <satudata@uji.example>".into(),
        }),
        ..Options::default()
    })
    .await;
    // The produsen needs an address to get mail.
    let produsen = app.fx.users[&Who::ProdusenOwn].clone();
    assert!(app
        .store
        .get_user(produsen.id)
        .await
        .unwrap()
        .unwrap()
        .email
        .is_none());
    app.store
        .create_user(
            satudata_core::user::NewUser {
                username: "operator.surel".into(),
                display_name: "Operator dengan surel".into(),
                email: Some("operator@uji.example".into()),
                password_hash: "x".into(),
            },
            None,
        )
        .await
        .unwrap();
    let op = app
        .store
        .get_user_by_username("operator.surel")
        .await
        .unwrap()
        .unwrap();
    app.store
        .set_membership(op.id, app.fx.org_a.id, Some(Role::Produsen), None)
        .await
        .unwrap();

    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let year: i32 = today.format("%Y").to_string().parse().unwrap();
    for (title, due) in [
        ("Segera", today + Duration::days(2)),
        ("Lewat", today - Duration::days(8)),
    ] {
        let mut m = plan_meta(&app, title.into());
        m.year = year;
        m.dataset_id = None;
        m.due_update = due;
        m.due_release = due + Duration::days(10);
        app.store.create_plan_item(m, None).await.unwrap();
    }
    let run = app
        .as_(
            Who::Walidata,
            Method::POST,
            "/api/v1/kemutakhiran/reminders",
            Body::Json(json!({"days_before": 7})),
        )
        .await;
    assert_eq!(run.status, StatusCode::OK, "{}", run.text);
    // Two items × two produsen of dinas-a; mail only to the one with an address.
    assert_eq!(run.json()["notifications"], 4, "{}", run.text);
    assert_eq!(run.json()["emails"], 2, "{}", run.text);
    let got = mails.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    assert!(got.iter().any(|m| m.contains("operator@uji.example")));
    assert!(got.iter().any(|m| m.contains("Subject:")));
    // Running again reminds nobody twice.
    let again = app
        .as_(
            Who::Walidata,
            Method::POST,
            "/api/v1/kemutakhiran/reminders",
            Body::Json(json!({})),
        )
        .await
        .json();
    assert_eq!(
        (again["notifications"].as_u64(), again["emails"].as_u64()),
        (Some(0), Some(0))
    );
    let inbox = app
        .as_(
            Who::ProdusenOwn,
            Method::GET,
            "/api/v1/me/notifications",
            Body::None,
        )
        .await
        .json();
    assert_eq!(inbox["items"].as_array().unwrap().len(), 2);
    let id = inbox["items"][0]["id"].as_str().unwrap();
    let read = app
        .as_(
            Who::ProdusenOwn,
            Method::POST,
            &format!("/api/v1/me/notifications/{id}/read"),
            Body::None,
        )
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    let unread = app
        .as_(
            Who::ProdusenOwn,
            Method::GET,
            "/api/v1/me/notifications?unread=true",
            Body::None,
        )
        .await
        .json();
    assert_eq!(unread["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn quality_pages_say_what_to_do() {
    let app = spawn().await;
    let q = app.public("/api/v1/quality/organizations/dinas-a").await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.text);
    let q = q.json();
    let score = q["score"].as_f64().unwrap();
    assert!((1.0..=5.0).contains(&score));
    assert!(q["indicators"].as_array().unwrap().len() == 8);
    assert!(
        q["indicators"]
            .to_string()
            .contains("Lengkapi isian metadata"),
        "{q}"
    );
    let page = app.public("/kualitas/dinas-a").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Yang perlu dilakukan"));
    let snap = app
        .as_(
            Who::Walidata,
            Method::POST,
            "/api/v1/quality/snapshots",
            Body::None,
        )
        .await;
    assert_eq!(snap.status, StatusCode::OK, "{}", snap.text);
    let q = app
        .public("/api/v1/quality/organizations/dinas-a")
        .await
        .json();
    assert_eq!(q["trend"].as_array().unwrap().len(), 1);
    // Metadata review by the pembina, for statistics only.
    let review = app
        .as_(
            Who::Pembina,
            Method::POST,
            &format!(
                "/api/v1/datasets/{}/metadata-reviews",
                app.fx.open.meta.slug
            ),
            Body::Json(json!({"verdict": "perlu_perbaikan"})),
        )
        .await;
    assert_eq!(
        review.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a verdict to fix needs a note"
    );
}

/// The counts in a row of the `/kemutakhiran` page: (total, on time, late).
fn page_counts(html: &str, slug: &str) -> Option<(u64, u64, u64)> {
    let start = html.find(&format!("data-organization=\"{slug}\""))?;
    let row = &html[start..start + html[start..].find("</tr>")?];
    let cells: Vec<u64> = row
        .split("<td")
        .skip(1)
        .filter_map(|c| c.split('>').nth(1)?.split('<').next()?.trim().parse().ok())
        .collect();
    Some((cells[0], cells[1], cells[2]))
}

#[tokio::test]
async fn the_demo_kemutakhiran_page_lists_every_opd_as_its_plan_says() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(
        satudata_store_sqlite::SqliteStore::open(&dir.path().join("demo.db"))
            .await
            .unwrap(),
    );
    let home = satudata_core::region::RegionCode::parse(satudata_demo::DEMO_HOME).unwrap();
    satudata_demo::seed(store.as_ref(), &home).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = satudata_http::AppState::new(
        store.clone(),
        satudata_http::HttpConfig {
            home_region: home,
            instance_name: "Satu Data Musi Banyuasin".into(),
            base_url: base.clone(),
            secure_cookies: false,
        },
    );
    tokio::spawn(satudata_http::serve(
        listener,
        state,
        std::future::pending(),
    ));
    let api = base.clone();
    let get = |path: String| async move {
        crate::common::answer(reqwest::get(format!("{base}{path}")).await.unwrap()).await
    };

    // The plan, recomputed here from the items themselves.
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let facts = store
        .plan_facts(Some(today.format("%Y").to_string().parse().unwrap()))
        .await
        .unwrap();
    assert!(facts.len() >= 20, "{} plan items", facts.len());
    let page = get("/kemutakhiran".into()).await;
    assert_eq!(page.status, StatusCode::OK);
    let opds = store
        .list_organizations(&satudata_store::OrgQuery {
            kind: Some(satudata_core::organization::OrgKind::Opd),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(opds.items.len() >= 12);
    let (mut on_time, mut late) = (0, 0);
    for org in
        opds.items
            .iter()
            .chain([&store.get_organization("diskominfo").await.unwrap().unwrap()])
    {
        let mine: Vec<_> = facts
            .iter()
            .filter(|f| f.organization_slug == org.meta.slug)
            .map(|f| satudata_core::plan::item_status(f, today).status)
            .collect();
        let want = (
            mine.len() as u64,
            mine.iter()
                .filter(|s| matches!(s, satudata_core::plan::Timeliness::TepatWaktu { .. }))
                .count() as u64,
            mine.iter().filter(|s| s.is_late()).count() as u64,
        );
        let got = page_counts(&page.text, &org.meta.slug)
            .unwrap_or_else(|| panic!("{} is not on /kemutakhiran", org.meta.slug));
        assert_eq!(got, want, "{}", org.meta.slug);
        assert!(page.text.contains(&org.meta.name));
        on_time += want.1;
        late += want.2;
    }
    assert!(on_time >= 3 && late >= 3, "on time {on_time}, late {late}");
    assert!(page.text.contains("Per desa/kelurahan"));

    // The walidata's queue holds waiting submissions and the returned one is visible to its OPD.
    let token = |name: &'static str| {
        let store = store.clone();
        async move {
            let u = store.get_user_by_username(name).await.unwrap().unwrap();
            let secret = satudata_auth::new_token_secret();
            store
                .create_token(satudata_store::NewApiToken {
                    user_id: u.id,
                    name: "uji".into(),
                    secret_hash: satudata_auth::secret_hash(&secret),
                    expires_at: None,
                })
                .await
                .unwrap();
            secret
        }
    };
    let walidata = token("walidata").await;
    let http = reqwest::Client::new();
    let queue: Json = http
        .get(format!("{api}/api/v1/review/queue"))
        .bearer_auth(&walidata)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(queue["total"].as_u64().unwrap() >= 3, "{queue}");
    let returned: Json = http
        .get(format!("{api}/api/v1/review/queue?state=dikembalikan"))
        .bearer_auth(&walidata)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(returned["total"], 1, "{returned}");
}

/// The benchmark of issue 4: the kemutakhiran dashboard and the review queue with 100 OPDs, 5,000
/// plan items and 20,000 versions, on SQLite. Ignored in normal runs; `bench/governance.sh` runs
/// it in release mode and prints the figures (no timing is asserted).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run bench/governance.sh"]
async fn bench_dashboard_and_queue() {
    use satudata_core::dataset::{DatasetMeta, NewResource, ResourceKind};
    use satudata_core::organization::{OrgKind, OrganizationMeta};
    use std::time::Instant;

    let (opds, per_opd, versions, items) = (100usize, 10usize, 20usize, 5_000usize);
    // SATUDATA_BENCH_BACKEND=postgres runs it on a fresh database of SATUDATA_TEST_POSTGRES_URL.
    let dir = tempfile::tempdir().unwrap();
    let backend = std::env::var("SATUDATA_BENCH_BACKEND").unwrap_or_else(|_| "sqlite".into());
    let (store, _pg): (Arc<dyn Store>, _) = match backend.as_str() {
        "postgres" => {
            let (s, db) = satudata_store_postgres::testing::fresh_store()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            (Arc::new(s), Some(db))
        }
        _ => (
            Arc::new(
                satudata_store_sqlite::SqliteStore::open(&dir.path().join("bench.db"))
                    .await
                    .unwrap(),
            ),
            None,
        ),
    };
    eprintln!("backend: {}", store.backend());
    let started = Instant::now();
    let metas: Vec<OrganizationMeta> = (0..opds)
        .map(|i| OrganizationMeta {
            slug: format!("opd-{i:03}"),
            name: format!("Dinas Uji {i:03}"),
            acronym: None,
            kind: OrgKind::Opd,
            description: String::new(),
            region_code: Some("16.06".into()),
            parent_id: None,
            email: None,
            phone: None,
            address: None,
            website: None,
        })
        .collect();
    store.create_organizations(metas, None).await.unwrap();
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let year: i32 = today.format("%Y").to_string().parse().unwrap();
    let mut plan = vec![];
    let mut queue_expected = 0;
    for i in 0..opds {
        let org = store
            .get_organization(&format!("opd-{i:03}"))
            .await
            .unwrap()
            .unwrap();
        let mut ds_ids = vec![];
        for k in 0..per_opd {
            let d = store
                .create_dataset(
                    DatasetMeta::new(format!("Data {i}-{k}"), format!("data-{i}-{k}"), org.id),
                    None,
                )
                .await
                .unwrap();
            let r = store
                .create_resource(
                    d.id,
                    NewResource {
                        name: "tabel".into(),
                        title: "Tabel".into(),
                        description: String::new(),
                        kind: ResourceKind::Table {
                            schema: sample_schema(),
                        },
                    },
                    None,
                )
                .await
                .unwrap();
            for v in 0..versions {
                let rows = vec![
                    vec![
                        Value::Text("16.06.01".into()),
                        Value::Int(2000 + v as i64),
                        Value::Int(v as i64),
                    ],
                    vec![
                        Value::Text("16.06.02".into()),
                        Value::Int(2000 + v as i64),
                        Value::Int(k as i64),
                    ],
                ];
                let mut src = VecRowSource::new(rows);
                if v + 1 < versions {
                    store
                        .create_version(r.id, NewVersion::default(), &mut src)
                        .await
                        .unwrap();
                } else {
                    let n = store
                        .create_draft_version(r.id, NewVersion::default(), &mut src)
                        .await
                        .unwrap()
                        .number;
                    let mut t =
                        NewTransition::new(r.id, n, ReviewAction::Submit, None, Role::Walidata);
                    t.at = Some(Utc::now() - Duration::days((k * 7) as i64));
                    store.apply_transition(t).await.unwrap();
                    if k % 2 == 0 {
                        let mut t = NewTransition::new(
                            r.id,
                            n,
                            ReviewAction::Publish,
                            None,
                            Role::Walidata,
                        );
                        t.at =
                            Some(Utc::now() - Duration::days((k * 7) as i64) + Duration::days(2));
                        store.apply_transition(t).await.unwrap();
                    } else {
                        queue_expected += 1;
                    }
                }
            }
            ds_ids.push(d.id);
        }
        for j in 0..items / opds {
            let mut m = PlanItemMeta {
                year,
                organization_id: org.id,
                title: format!("Rencana {i}-{j}"),
                description: String::new(),
                kode: None,
                periodicity: Periodicity::Tahunan,
                level: None,
                due_update: today + Duration::days(j as i64 * 5 - 120),
                due_release: today + Duration::days(j as i64 * 5 - 100),
                priority: j % 3 == 0,
                sources: vec![ReferenceSource::Rpjmd],
                dataset_id: Some(ds_ids[j % per_opd]),
                topic: None,
            };
            if m.due_update.format("%Y").to_string() != year.to_string() {
                m.due_update = today;
                m.due_release = today + Duration::days(10);
            }
            plan.push(m);
        }
    }
    store.create_plan_items(plan, None).await.unwrap();
    eprintln!(
        "generated {opds} OPDs, {} datasets, {} versions, {items} plan items in {:?}",
        opds * per_opd,
        opds * per_opd * versions,
        started.elapsed()
    );

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = satudata_http::AppState::new(
        store.clone(),
        satudata_http::HttpConfig {
            home_region: satudata_core::region::RegionCode::parse("16.06").unwrap(),
            instance_name: "Bench".into(),
            base_url: base.clone(),
            secure_cookies: false,
        },
    );
    tokio::spawn(satudata_http::serve(
        listener,
        state,
        std::future::pending(),
    ));
    let admin = store
        .create_user(
            satudata_core::user::NewUser {
                username: "walidata".into(),
                display_name: "Walidata".into(),
                email: None,
                password_hash: "x".into(),
            },
            None,
        )
        .await
        .unwrap();
    let kominfo = store.get_organization("opd-000").await.unwrap().unwrap();
    store
        .set_membership(admin.id, kominfo.id, Some(Role::Walidata), None)
        .await
        .unwrap();
    let secret = satudata_auth::new_token_secret();
    store
        .create_token(satudata_store::NewApiToken {
            user_id: admin.id,
            name: "bench".into(),
            secret_hash: satudata_auth::secret_hash(&secret),
            expires_at: None,
        })
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let mut report = vec![];
    for (name, path, auth) in [
        (
            "dashboard JSON (every item)",
            format!("/api/v1/kemutakhiran?year={year}"),
            false,
        ),
        (
            "dashboard JSON (rollups only)",
            format!("/api/v1/kemutakhiran?year={year}&rincian=false"),
            false,
        ),
        (
            "page /kemutakhiran",
            format!("/kemutakhiran?tahun={year}"),
            false,
        ),
        (
            "review queue (50 oldest)",
            "/api/v1/review/queue?limit=50".to_string(),
            true,
        ),
    ] {
        let mut times = vec![];
        for _ in 0..21 {
            let t = Instant::now();
            let mut req = http.get(format!("{base}{path}"));
            if auth {
                req = req.bearer_auth(&secret);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let body = res.bytes().await.unwrap();
            times.push(t.elapsed());
            if name.starts_with("review") {
                let v: Json = serde_json::from_slice(&body).unwrap();
                assert_eq!(v["total"], queue_expected);
            }
            if name.starts_with("dashboard JSON (every") {
                let v: Json = serde_json::from_slice(&body).unwrap();
                assert_eq!(v["totals"]["total"], items as u64);
            }
        }
        times.sort();
        let median = times[times.len() / 2];
        let worst = times[times.len() - 2];
        report.push(format!(
            "{name:<32} median {median:>8.1?}  p95 {worst:>8.1?}"
        ));
    }
    eprintln!("\n{}", report.join("\n"));
}
