//! Code lists over HTTP: versions, identical saves, refusals with the field named, reading a
//! pinned version.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{spawn, Body, Who};

#[tokio::test]
async fn code_lists_get_versions_and_refuse_bad_lists() {
    let app = spawn().await;
    let list = app
        .call(Who::Anonymous, Method::GET, "/api/v1/codelists", Body::None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()["items"][0]["slug"], "jenis-kelamin");
    assert_eq!(list.json()["items"][0]["code_count"], 2);

    let v1 = json!({
        "slug": "status-hubungan", "title": "Status hubungan dalam rumah tangga",
        "source": "BPS, Susenas",
        "codes": [{"code": "1", "label": "Kepala rumah tangga"}, {"code": "2", "label": "Istri/suami"}]
    });
    let a = app
        .call(
            Who::Walidata,
            Method::POST,
            "/api/v1/codelists",
            Body::Json(v1.clone()),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(a.json()["version"], 1);
    assert_eq!(
        a.header("location"),
        "/api/v1/codelists/status-hubungan?version=1"
    );
    // The same list again: nothing new.
    let again = app
        .call(
            Who::Admin,
            Method::POST,
            "/api/v1/codelists",
            Body::Json(v1.clone()),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["version"], 1);
    let mut v2 = v1.clone();
    v2["codes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"code": "3", "label": "Anak kandung", "label_en": "Child"}));
    let b = app
        .call(
            Who::Walidata,
            Method::POST,
            "/api/v1/codelists",
            Body::Json(v2),
        )
        .await;
    assert_eq!(b.status, StatusCode::CREATED);
    assert_eq!(b.json()["version"], 2);

    let newest = app
        .call(
            Who::Anonymous,
            Method::GET,
            "/api/v1/codelists/status-hubungan",
            Body::None,
        )
        .await
        .json();
    assert_eq!(newest["version"], 2);
    assert_eq!(newest["versions"], json!([2, 1]));
    assert_eq!(newest["codes"][2]["label_en"], "Child");
    let first = app
        .call(
            Who::Anonymous,
            Method::GET,
            "/api/v1/codelists/status-hubungan?version=1",
            Body::None,
        )
        .await
        .json();
    assert_eq!(first["codes"].as_array().unwrap().len(), 2);
    let missing = app
        .call(
            Who::Anonymous,
            Method::GET,
            "/api/v1/codelists/status-hubungan?version=9",
            Body::None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.json()["detail"]
        .as_str()
        .unwrap()
        .contains("versi 9"));

    let bad = app
        .call(
            Who::Walidata,
            Method::POST,
            "/api/v1/codelists",
            Body::Json(json!({
                "slug": "kode-baru", "title": "Kode",
                "codes": [{"code": "1", "label": "A"}, {"code": "1", "label": "B"}]
            })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert_eq!(bad.json()["errors"][0]["field"], "codes[1].code");
    assert!(
        app.call(
            Who::Anonymous,
            Method::GET,
            "/api/v1/codelists/kode-baru",
            Body::None
        )
        .await
        .status
            == StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn code_lists_have_pages_with_their_versions_and_changes() {
    let app = spawn().await;
    let index = app.get("/kode-referensi", &[]).await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(
        index
            .text
            .contains("href=\"/kode-referensi/jenis-kelamin\""),
        "{}",
        index.text
    );
    let mut list = json!({
        "slug": "status-hubungan", "title": "Status hubungan dalam rumah tangga",
        "source": "BPS, Susenas",
        "codes": [{"code": "1", "label": "Kepala rumah tangga"}, {"code": "2", "label": "Istri/suami"}]
    });
    for _ in 0..2 {
        let saved = app
            .call(
                Who::Walidata,
                Method::POST,
                "/api/v1/codelists",
                Body::Json(list.clone()),
            )
            .await;
        assert!(saved.status.is_success(), "{}", saved.text);
        list["codes"][1]["label"] = json!("Istri/Suami");
        list["codes"]
            .as_array_mut()
            .unwrap()
            .push(json!({"code": "3", "label": "Anak <kandung>", "label_en": "Child"}));
    }
    let page = app.get("/kode-referensi/status-hubungan", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("Perubahan dari versi 1"),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains("Ditambah: <code>3</code> Anak &lt;kandung&gt;"),
        "escaped: {}",
        page.text
    );
    assert!(
        page.text.contains("Istri/suami → Istri/Suami"),
        "{}",
        page.text
    );
    assert!(page
        .text
        .contains("href=\"/kode-referensi/status-hubungan?versi=1\""));
    let old = app
        .get("/kode-referensi/status-hubungan?versi=1", &[])
        .await;
    assert!(old.text.contains("bukan versi terbaru"), "{}", old.text);
    assert!(!old.text.contains("Anak"), "{}", old.text);
    let en = app
        .get("/kode-referensi/status-hubungan?lang=en", &[])
        .await;
    assert!(en.text.contains("Changes since version 1"), "{}", en.text);
    let missing = app.get("/kode-referensi/tidak-ada", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.header("content-type").starts_with("text/html"));
}
