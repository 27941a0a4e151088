//! An API journey: from a new organisation to paged, versioned rows.

use reqwest::{Method, StatusCode};
use satudata_store::Store;
use serde_json::{json, Value};

use crate::common::{answer, sample_schema, spawn, App, Body, Who, PASSWORD};

const V1: &str =
    "kode_kecamatan,tahun,jumlah\n16.06.01,2023,100\n160602,2023,200\n16.06.03,2023,300\n";

impl App {
    async fn bearer(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Body,
    ) -> crate::common::Answer {
        let mut req = self
            .http
            .request(method, self.url(path))
            .header("authorization", format!("Bearer {token}"));
        match body {
            Body::None => {}
            Body::Json(v) => req = req.json(&v),
            Body::Csv(text) => req = req.header("content-type", "text/csv").body(text),
            Body::Form(_) | Body::Bytes(..) | Body::Multipart(..) => unreachable!(),
        }
        answer(req.send().await.unwrap()).await
    }

    /// The produsen submits version `n` and the walidata publishes it (uploads are drafts).
    async fn publish_version(&self, produsen: &str, versions: &str, n: i64) {
        let walidata = self.fx.tokens[&Who::Walidata].clone();
        for (token, step) in [(produsen, "submit"), (walidata.as_str(), "publish")] {
            let res = self
                .bearer(
                    token,
                    Method::POST,
                    &format!("{versions}/{n}/{step}"),
                    Body::None,
                )
                .await;
            assert_eq!(res.status, StatusCode::OK, "{step} {n}: {}", res.text);
        }
    }
}

#[tokio::test]
async fn api_journey_from_organisation_to_versioned_rows() {
    let app = spawn().await;
    let admin = app.fx.tokens[&Who::Admin].clone();

    // The admin creates an organisation, a topic and a produsen.
    let org = app
        .bearer(&admin, Method::POST, "/api/v1/organizations", Body::Json(json!({
            "slug": "disdik", "name": "Dinas Pendidikan", "acronym": "Disdik", "kind": "opd", "region_code": "1606"
        })))
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.text);
    assert_eq!(org.json()["region_code"], "16.06");
    assert!(org
        .header("location")
        .ends_with("/api/v1/organizations/disdik"));
    let org_id = org.json()["id"].as_str().unwrap().to_string();
    let topic = app
        .bearer(
            &admin,
            Method::POST,
            "/api/v1/topics",
            Body::Json(json!({"slug": "pendidikan", "name": "Pendidikan"})),
        )
        .await;
    assert_eq!(topic.status, StatusCode::CREATED);
    let again = app
        .bearer(
            &admin,
            Method::POST,
            "/api/v1/topics",
            Body::Json(json!({"slug": "pendidikan", "name": "Pendidikan Dasar"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    let user = app
        .bearer(&admin, Method::POST, "/api/v1/users", Body::Json(json!({
            "username": "operator.disdik", "display_name": "Operator Disdik", "password": PASSWORD,
            "roles": [{"organization": "disdik", "role": "produsen"}]
        })))
        .await;
    assert_eq!(user.status, StatusCode::CREATED, "{}", user.text);
    assert_eq!(user.json()["memberships"][0]["role"], "produsen");
    assert!(
        !user.text.contains("argon2"),
        "the password hash must never be sent"
    );

    // The produsen logs in on the page, then makes an API token with the session cookie.
    let token = login_and_make_token(&app, "operator.disdik").await;

    // Metadata is validated, every problem listed by field.
    let bad = app
        .bearer(&token, Method::POST, "/api/v1/datasets", Body::Json(json!({
            "title": " ", "slug": "Bukan Slug", "organization_id": org_id, "temporal_start": 2025, "temporal_end": 2020
        })))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad
        .header("content-type")
        .starts_with("application/problem+json"));
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["title", "slug", "temporal_end"]);

    // Dataset, table resource.
    let ds = app
        .bearer(
            &token,
            Method::POST,
            "/api/v1/datasets",
            Body::Json(json!({
                "title": "Jumlah murid SD", "slug": "jumlah-murid-sd", "organization_id": org_id,
                "topics": ["pendidikan"], "satuan": "jiwa", "access": "terbuka"
            })),
        )
        .await;
    assert_eq!(ds.status, StatusCode::CREATED, "{}", ds.text);
    let bad_schema = app
        .bearer(&token, Method::POST, "/api/v1/datasets/jumlah-murid-sd/resources", Body::Json(json!({
            "name": "tabel", "title": "Tabel", "kind": "table", "schema": {"fields": [{"name": "a"}, {"name": "a"}]}
        })))
        .await;
    assert_eq!(bad_schema.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_schema.json()["errors"][0]["field"], "schema");
    let res = app
        .bearer(&token, Method::POST, "/api/v1/datasets/jumlah-murid-sd/resources", Body::Json(json!({
            "name": "tabel", "title": "Murid per kecamatan", "kind": "table", "schema": sample_schema()
        })))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let rid = res.json()["id"].as_str().unwrap().to_string();
    let versions = format!("/api/v1/resources/{rid}/versions");

    // Version 1 and version 2.
    let v1 = app
        .bearer(&token, Method::POST, &versions, Body::Csv(V1.into()))
        .await;
    assert_eq!(v1.status, StatusCode::CREATED, "{}", v1.text);
    assert_eq!(v1.json()["number"], 1);
    assert_eq!(v1.json()["row_count"], 3);
    assert_eq!(v1.json()["state"], "draf");
    app.publish_version(&token, &versions, 1).await;
    let mut v2_csv = String::from("tahun,kode_kecamatan,jumlah\n");
    for (i, k) in ["01", "02", "03", "04", "05"].iter().enumerate() {
        v2_csv.push_str(&format!("2024,16.06.{k},{}\n", 1000 + i * 10));
    }
    let v2 = app
        .bearer(
            &token,
            Method::POST,
            &format!("{versions}?summary=Data%202024"),
            Body::Csv(v2_csv),
        )
        .await;
    assert_eq!(v2.status, StatusCode::CREATED, "{}", v2.text);
    assert_eq!(v2.json()["number"], 2);
    assert_eq!(v2.json()["summary"], "Data 2024");
    assert!(v2.header("location").ends_with(&format!("{versions}/2")));
    app.publish_version(&token, &versions, 2).await;

    let list = app.get(&versions, &[]).await.json();
    let numbers: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(
        app.get(&format!("{versions}/1"), &[]).await.json()["row_count"],
        3
    );
    assert_eq!(
        app.get(&format!("{versions}/9"), &[]).await.status,
        StatusCode::NOT_FOUND
    );

    // Paged rows of the latest version.
    let rows = format!("/api/v1/resources/{rid}/rows");
    let p1 = app.get(&format!("{rows}?limit=2&sort=-jumlah"), &[]).await;
    assert_eq!(p1.status, StatusCode::OK, "{}", p1.text);
    let p1 = p1.json();
    assert_eq!(p1["version"], 2);
    assert_eq!(p1["total"], 5);
    assert_eq!(p1["fields"][0]["name"], "kode_kecamatan");
    assert_eq!(
        p1["rows"],
        json!([["16.06.05", 2024, 1040], ["16.06.04", 2024, 1030]])
    );
    assert_eq!(p1["links"]["prev"], Value::Null);
    let next = p1["links"]["next"].as_str().unwrap().to_string();
    assert!(next.starts_with(&app.base), "{next}");
    let p2 = answer(app.http.get(&next).send().await.unwrap())
        .await
        .json();
    assert_eq!(p2["offset"], 2);
    assert_eq!(p2["rows"][0][2], 1020);
    assert!(p2["links"]["prev"].as_str().unwrap().contains("offset=0"));
    let p3 = answer(
        app.http
            .get(p2["links"]["next"].as_str().unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await
    .json();
    assert_eq!(p3["rows"].as_array().unwrap().len(), 1);
    assert_eq!(p3["links"]["next"], Value::Null);

    // version=1 still gives version 1's rows; filters are typed to the field.
    let old = app
        .get(&format!("{rows}?version=1&sort=kode_kecamatan"), &[])
        .await
        .json();
    assert_eq!(old["version"], 1);
    assert_eq!(
        old["rows"],
        json!([
            ["16.06.01", 2023, 100],
            ["16.06.02", 2023, 200],
            ["16.06.03", 2023, 300]
        ])
    );
    let one = app
        .get(&format!("{rows}?kode_kecamatan=160603"), &[])
        .await
        .json();
    assert_eq!(one["rows"], json!([["16.06.03", 2024, 1020]]));
    let typed = app.get(&format!("{rows}?jumlah=seribu"), &[]).await;
    assert_eq!(typed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(typed.json()["errors"][0]["field"], "jumlah");
    let by_dataset = app
        .get(
            "/api/v1/datasets/jumlah-murid-sd/rows?limit=2&sort=-jumlah",
            &[],
        )
        .await
        .json();
    assert_eq!(by_dataset["rows"], p1["rows"]);

    // A bad CSV: 422 naming row, column and value; no version, nothing in the change log.
    let seq = app.store.current_seq().await.unwrap();
    let bad_csv =
        "kode_kecamatan,tahun,jumlah\n16.06.01,2025,1\n16.06.02,2025,dua ratus\n16.06.03,2025,3\n";
    let refused = app
        .bearer(&token, Method::POST, &versions, Body::Csv(bad_csv.into()))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    let problem = refused.json();
    assert_eq!(problem["errors"][0]["row"], 3);
    assert_eq!(problem["errors"][0]["field"], "jumlah");
    assert_eq!(problem["errors"][0]["value"], "dua ratus");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("bukan bilangan bulat"),
        "{problem}"
    );
    let wrong_header = app
        .bearer(
            &token,
            Method::POST,
            &versions,
            Body::Csv("kecamatan,tahun,jumlah\n16.06.01,2025,1\n".into()),
        )
        .await;
    assert_eq!(wrong_header.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_region = app
        .bearer(
            &token,
            Method::POST,
            &versions,
            Body::Csv("kode_kecamatan,tahun,jumlah\n16.06,2025,1\n".into()),
        )
        .await;
    assert_eq!(bad_region.json()["errors"][0]["field"], "kode_kecamatan");
    let not_csv = app
        .bearer(&token, Method::POST, &versions, Body::Json(json!({"a": 1})))
        .await;
    assert_eq!(not_csv.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app.get(&versions, &[]).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        app.store.current_seq().await.unwrap(),
        seq,
        "a refused upload must change nothing"
    );

    // A bigger upload goes through in batches.
    let mut big = String::from("kode_kecamatan,tahun,jumlah\n");
    for i in 0..2500 {
        big.push_str(&format!("16.06.01,{},{i}\n", 1900 + (i % 300)));
    }
    let v3 = app
        .bearer(&token, Method::POST, &versions, Body::Csv(big))
        .await;
    assert_eq!(v3.status, StatusCode::CREATED, "{}", v3.text);
    assert_eq!(v3.json()["row_count"], 2500);

    // Visibility: a closed dataset is seen by its produsen and the walidata, not by others.
    let closed = app
        .bearer(&token, Method::POST, "/api/v1/datasets", Body::Json(json!({
            "title": "Data rahasia", "slug": "data-rahasia", "organization_id": org_id, "access": "tertutup"
        })))
        .await;
    assert_eq!(closed.status, StatusCode::CREATED);
    let sees = |list: Value| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["slug"] == "data-rahasia")
    };
    assert!(!sees(
        app.get("/api/v1/datasets?limit=1000", &[]).await.json()
    ));
    assert!(sees(
        app.bearer(
            &token,
            Method::GET,
            "/api/v1/datasets?limit=1000",
            Body::None
        )
        .await
        .json()
    ));
    let other = app.fx.tokens[&Who::ProdusenOther].clone();
    assert!(!sees(
        app.bearer(
            &other,
            Method::GET,
            "/api/v1/datasets?limit=1000",
            Body::None
        )
        .await
        .json()
    ));
    let wali = app.fx.tokens[&Who::Walidata].clone();
    assert!(sees(
        app.bearer(
            &wali,
            Method::GET,
            "/api/v1/datasets?limit=1000",
            Body::None
        )
        .await
        .json()
    ));
    assert_eq!(
        app.get("/api/v1/datasets/data-rahasia", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );

    // The produsen cannot delete; the walidata can; then it is gone.
    let denied = app
        .bearer(
            &token,
            Method::DELETE,
            "/api/v1/datasets/data-rahasia",
            Body::None,
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let deleted = app
        .bearer(
            &wali,
            Method::DELETE,
            "/api/v1/datasets/data-rahasia",
            Body::None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.bearer(
            &wali,
            Method::GET,
            "/api/v1/datasets/data-rahasia",
            Body::None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // The change log shows it all, for the walidata.
    let changes = app
        .bearer(
            &wali,
            Method::GET,
            "/api/v1/changes?since=0&limit=1000",
            Body::None,
        )
        .await
        .json();
    let ops: Vec<String> = changes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["entity"].as_str().unwrap(),
                c["op"].as_str().unwrap()
            )
        })
        .collect();
    assert!(ops.contains(&"dataset delete".to_string()), "{ops:?}");
    assert_eq!(
        changes["next_since"],
        app.store.current_seq().await.unwrap()
    );

    // Tokens: listed without secrets, revoked with DELETE, then refused.
    let mine = app
        .bearer(&token, Method::GET, "/api/v1/me/tokens", Body::None)
        .await;
    assert!(!mine.text.contains(&token));
    let id = mine.json()["items"][0]["id"].as_str().unwrap().to_string();
    let revoked = app
        .bearer(
            &token,
            Method::DELETE,
            &format!("/api/v1/me/tokens/{id}"),
            Body::None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = app
        .bearer(&token, Method::GET, "/api/v1/me", Body::None)
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert!(after.header("www-authenticate").starts_with("Bearer"));
}

/// Log in through the form, read the CSRF token from /api/v1/me, create a token with the cookie.
async fn login_and_make_token(app: &App, username: &str) -> String {
    let form = app.get("/masuk", &[]).await;
    let csrf_cookie = form
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with(satudata_http::CSRF_COOKIE))
        .unwrap();
    let csrf = csrf_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string();
    assert!(form.text.contains(&format!("value=\"{csrf}\"")));
    let login = answer(
        app.http
            .post(app.url("/masuk"))
            .header("cookie", format!("{}={csrf}", satudata_http::CSRF_COOKIE))
            .form(&[
                ("username", username),
                ("password", PASSWORD),
                ("csrf_token", &csrf),
                ("next", "/api/v1/me"),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text);
    assert_eq!(login.header("location"), "/api/v1/me");
    let session = login
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with(satudata_http::SESSION_COOKIE))
        .unwrap();
    let session = session.split(';').next().unwrap().to_string();
    let me = app.get("/api/v1/me", &[("cookie", &session)]).await.json();
    assert_eq!(me["auth"], "session");
    let csrf_token = me["csrf_token"].as_str().unwrap().to_string();
    // Without the header, a cookie-authenticated API write is refused.
    let refused = answer(
        app.http
            .post(app.url("/api/v1/me/tokens"))
            .header("cookie", &session)
            .json(&json!({"name": "skrip"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let made = answer(
        app.http
            .post(app.url("/api/v1/me/tokens"))
            .header("cookie", &session)
            .header("x-csrf-token", csrf_token)
            .json(&json!({"name": "skrip impor", "expires_in_days": 90}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    assert_eq!(made.header("cache-control"), "no-store");
    let secret = made.json()["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("sdt_"));
    assert!(made.json()["token"]["expires_at"].is_string());
    secret
}
