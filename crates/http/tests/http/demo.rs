//! The demo instance, as issue 2 says it must show over HTTP.

use std::sync::Arc;

use reqwest::StatusCode;
use satudata_core::region::RegionCode;
use satudata_http::{AppState, HttpConfig};
use satudata_store_sqlite::SqliteStore;

use crate::common::answer;

#[tokio::test]
async fn the_demo_is_served_as_the_issue_asks() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(
        SqliteStore::open(&dir.path().join("demo.db"))
            .await
            .unwrap(),
    );
    let home = RegionCode::parse(satudata_demo::DEMO_HOME).unwrap();
    let summary = satudata_demo::seed(store.as_ref(), &home).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(
        store,
        HttpConfig {
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
    let http = reqwest::Client::new();
    let get = |path: &str| {
        let req = http.get(format!("{base}{path}"));
        async move { answer(req.send().await.unwrap()).await }
    };

    assert_eq!(get("/healthz").await.status, StatusCode::OK);
    let datasets = get("/api/v1/datasets").await.json();
    assert!(
        datasets["total"].as_u64().unwrap() >= 30,
        "{}",
        datasets["total"]
    );
    assert!(datasets["items"].as_array().unwrap().len() >= 30);
    let kecamatan = get("/api/v1/regions/16.06/children").await.json();
    assert_eq!(kecamatan["items"].as_array().unwrap().len(), 15);
    let desa = get("/api/v1/organizations?kind=desa&limit=1").await.json()["total"]
        .as_u64()
        .unwrap();
    let kelurahan = get("/api/v1/organizations?kind=kelurahan&limit=1")
        .await
        .json()["total"]
        .as_u64()
        .unwrap();
    assert_eq!(desa + kelurahan, 242);

    // Every open demo dataset's rows can be read by the public.
    let mut read = 0;
    for d in datasets["items"].as_array().unwrap() {
        if d["access"] == "terbuka" {
            let rows = get(&format!(
                "/api/v1/datasets/{}/rows?limit=5",
                d["slug"].as_str().unwrap()
            ))
            .await;
            assert_eq!(rows.status, StatusCode::OK, "{}: {}", d["slug"], rows.text);
            read += 1;
        }
    }
    assert!(read >= 20, "{read}");

    // Every demo user can log in on the page.
    for user in &summary.users {
        let form = get("/masuk").await;
        let cookie = form.set_cookies().into_iter().next().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_string();
        let token = cookie.split_once('=').unwrap().1.to_string();
        let login = answer(
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .post(format!("{base}/masuk"))
                .header("cookie", &cookie)
                .form(&[
                    ("username", user.username.as_str()),
                    ("password", user.password.as_str()),
                    ("csrf_token", &token),
                ])
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", user.username);
    }
}
