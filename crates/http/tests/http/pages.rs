//! Pages, CSRF, cookies, headers, errors and health.

use std::sync::atomic::Ordering;

use reqwest::{Method, StatusCode};
use satudata_core::dataset::{Access, DatasetMeta};
use satudata_core::region::ODBL_NOTICE;
use satudata_store::Store;

use crate::common::{answer, spawn, spawn_with, App, Body, Options, Who, PASSWORD};

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string()
}

async fn login_form(app: &App) -> (String, String) {
    let form = app.get("/masuk", &[]).await;
    assert_eq!(form.status, StatusCode::OK);
    let c = form
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("satudata_csrf="))
        .expect("the login form sets the double-submit cookie");
    assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"), "{c}");
    let token = cookie_value(&c);
    assert!(
        form.text
            .contains(&format!("name=\"csrf_token\" value=\"{token}\"")),
        "{}",
        form.text
    );
    (format!("satudata_csrf={token}"), token)
}

async fn post_form(
    app: &App,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> crate::common::Answer {
    let mut req = app.http.post(app.url(path)).form(fields);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    answer(req.send().await.unwrap()).await
}

#[tokio::test]
async fn login_needs_the_csrf_token_and_sets_a_safe_session_cookie() {
    let app = spawn().await;
    let writes = app.store.writes();
    let creds = [("username", "walidata"), ("password", PASSWORD)];

    // No token, or a wrong one: 403, nothing stored.
    let none = post_form(&app, "/masuk", None, &creds).await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    let (cookie, token) = login_form(&app).await;
    let wrong = post_form(
        &app,
        "/masuk",
        Some(&cookie),
        &[creds[0], creds[1], ("csrf_token", "salah")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let no_cookie = post_form(
        &app,
        "/masuk",
        None,
        &[creds[0], creds[1], ("csrf_token", &token)],
    )
    .await;
    assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.writes(),
        writes,
        "a refused form must not create a session"
    );

    // A wrong password: the form again, with a message, and no session.
    let bad = post_form(
        &app,
        "/masuk",
        Some(&cookie),
        &[
            creds[0],
            ("password", "bukan-sandinya"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.text.contains("Nama pengguna atau kata sandi salah."));
    assert!(bad
        .set_cookies()
        .iter()
        .all(|c| !c.starts_with("satudata_session=")));

    // The right token and password: 303 and a session cookie.
    let ok = post_form(
        &app,
        "/masuk",
        Some(&cookie),
        &[
            creds[0],
            creds[1],
            ("csrf_token", &token),
            ("next", "https://evil.example/"),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(
        ok.header("location"),
        "/",
        "an outside `next` must not be followed"
    );
    let set = ok
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("satudata_session="))
        .unwrap();
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(set.contains(part), "{set} lacks {part}");
    }
    assert!(!set.contains("Secure"), "Secure only when configured");
    let session = format!("satudata_session={}", cookie_value(&set));

    // Logged in: the page says so and the API knows the user.
    let home = app.get("/", &[("cookie", &session)]).await;
    assert!(home.text.contains("href=\"/ruang-kerja\""), "{}", home.text);
    assert!(!home.text.contains("href=\"/masuk\""), "{}", home.text);
    let me = app.get("/api/v1/me", &[("cookie", &session)]).await.json();
    assert_eq!(me["user"]["username"], "walidata");
    let csrf = me["csrf_token"].as_str().unwrap().to_string();
    assert!(
        home.text.contains(&csrf),
        "the logout form carries the session's token"
    );

    // Logout needs the session's token (the anonymous one no longer counts).
    let both = format!("{session}; {cookie}");
    let refused = post_form(&app, "/keluar", Some(&both), &[("csrf_token", &token)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let out = post_form(&app, "/keluar", Some(&both), &[("csrf_token", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out
        .set_cookies()
        .iter()
        .any(|c| c.starts_with("satudata_session=;") && c.contains("Max-Age=0")));
    let gone = app.get("/api/v1/me", &[("cookie", &session)]).await;
    assert_eq!(
        gone.status,
        StatusCode::UNAUTHORIZED,
        "the session must be deleted in the store"
    );
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let app = spawn_with(Options {
        secure_cookies: true,
        ..Options::default()
    })
    .await;
    let (cookie, token) = login_form(&app).await;
    let ok = post_form(
        &app,
        "/masuk",
        Some(&cookie),
        &[
            ("username", "admin"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(ok.set_cookies().iter().all(|c| c.contains("; Secure")));
}

#[tokio::test]
async fn pages_are_escaped_in_indonesian_and_carry_security_headers() {
    let app = spawn().await;
    let mut meta = DatasetMeta::new(
        "<script>alert(1)</script> Angka Uji",
        "angka-uji",
        app.fx.org_a.id,
    );
    meta.access = Access::Terbuka;
    app.store.create_dataset(meta, None).await.unwrap();

    let home = app.get("/", &[]).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.header("content-type").starts_with("text/html"));
    assert!(home.text.contains("<html lang=\"id\">"));
    assert!(home.text.contains("Satu Data Uji"));
    assert!(home.text.contains("Kabupaten Musi Banyuasin"));
    assert!(home.text.contains(&app.fx.open.meta.title));
    assert!(
        !home.text.contains(&app.fx.closed.meta.title),
        "the public never sees closed datasets"
    );
    assert!(home
        .text
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; Angka Uji"));
    assert!(!home.text.contains("<script>"));
    assert!(
        !home.text.contains("http://") && !home.text.contains("https://"),
        "no third-party requests"
    );
    for (h, v) in [
        ("content-security-policy", "default-src 'self'"),
        ("content-security-policy", "frame-ancestors 'none'"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
    ] {
        assert!(home.header(h).contains(v), "{h}: {}", home.header(h));
    }
    let search = app.get("/?q=angka", &[]).await;
    assert_eq!(
        search.status,
        StatusCode::SEE_OTHER,
        "the home search box leads to /dataset"
    );
    assert_eq!(search.header("location"), "/dataset?q=angka");
    let search = app.get("/dataset?q=angka", &[]).await;
    assert!(
        search.text.contains("<strong>1</strong> dataset untuk"),
        "{}",
        search.text
    );
    assert!(search
        .text
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; Angka Uji"));

    let about = app.get("/tentang", &[]).await;
    assert!(about.text.contains(ODBL_NOTICE));
    assert!(about.text.contains("href=\"/tentang/lisensi-wilayah\""));
    let licence = app.get("/tentang/lisensi-wilayah", &[]).await;
    assert!(licence.header("content-type").starts_with("text/plain"));
    assert!(licence.text.contains("Open Database License"));
    let css = app.get("/static/satudata.css", &[]).await;
    assert!(css.header("content-type").starts_with("text/css"));

    let missing = app.get("/tidak-ada", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.header("content-type").starts_with("text/html"));
}

#[tokio::test]
async fn api_errors_are_problem_documents() {
    let app = spawn().await;
    let unknown = app.get("/api/v1/tidak-ada", &[]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown
        .header("content-type")
        .starts_with("application/problem+json"));
    let p = unknown.json();
    assert_eq!(p["status"], 404);
    assert!(p["type"]
        .as_str()
        .unwrap()
        .starts_with("urn:satudata:problem:"));
    assert!(p["title"].is_string() && p["detail"].is_string());

    let anon_write = app
        .call(
            Who::Anonymous,
            Method::POST,
            "/api/v1/topics",
            Body::Json(serde_json::json!({"slug": "x1", "name": "X"})),
        )
        .await;
    assert_eq!(anon_write.status, StatusCode::UNAUTHORIZED);
    assert!(anon_write.header("www-authenticate").starts_with("Bearer"));
    let bad_token = app
        .get("/api/v1/datasets", &[("authorization", "Bearer sdt_palsu")])
        .await;
    assert_eq!(
        bad_token.status,
        StatusCode::UNAUTHORIZED,
        "a wrong token is refused, not ignored"
    );

    let method = answer(
        app.http
            .patch(app.url("/api/v1/topics"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(method
        .header("content-type")
        .starts_with("application/problem+json"));

    let syntax = answer(
        app.http
            .post(app.url("/api/v1/topics"))
            .header(
                "authorization",
                format!("Bearer {}", app.fx.tokens[&Who::Admin]),
            )
            .header("content-type", "application/json")
            .body("{bukan json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(syntax.status, StatusCode::BAD_REQUEST);
    assert!(syntax
        .header("content-type")
        .starts_with("application/problem+json"));

    let huge = format!(
        "{{\"slug\":\"besar\",\"name\":\"{}\"}}",
        "x".repeat(2 << 20)
    );
    let too_big = answer(
        app.http
            .post(app.url("/api/v1/topics"))
            .header(
                "authorization",
                format!("Bearer {}", app.fx.tokens[&Who::Admin]),
            )
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);

    let conflict = app
        .call(
            Who::Admin,
            Method::POST,
            "/api/v1/organizations",
            Body::Json(serde_json::json!({"slug": "dinas-a", "name": "Lagi", "kind": "opd"})),
        )
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);

    let region = app.get("/api/v1/regions/16.06.01.2001", &[]).await.json();
    assert_eq!(region["code_undotted"], "1606012001");
    assert_eq!(region["ancestry"].as_array().unwrap().len(), 3);
    let kecamatan = app.get("/api/v1/regions/1606/children", &[]).await.json();
    assert_eq!(kecamatan["items"].as_array().unwrap().len(), 15);
    assert_eq!(
        app.get("/api/v1/regions/99.99", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn health_reports_the_store_and_compression_works() {
    let app = spawn().await;
    let ok = app.get("/healthz", &[]).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(
        ok.json(),
        serde_json::json!({"status": "ok", "store": "sqlite"})
    );
    app.store.down.store(true, Ordering::SeqCst);
    let down = app.get("/healthz", &[]).await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(down
        .header("content-type")
        .starts_with("application/problem+json"));
    assert!(
        !down.text.contains("refused"),
        "backend details are never sent"
    );
    app.store.down.store(false, Ordering::SeqCst);

    for enc in ["gzip", "br"] {
        let doc = app
            .get("/api/v1/openapi.json", &[("accept-encoding", enc)])
            .await;
        assert_eq!(doc.header("content-encoding"), enc);
    }
}

#[tokio::test]
async fn serve_stops_gracefully_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let store = satudata_store_sqlite::SqliteStore::open(&dir.path().join("s.db"))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = satudata_http::AppState::new(
        std::sync::Arc::new(store),
        satudata_http::HttpConfig {
            home_region: satudata_core::region::RegionCode::parse("16.06").unwrap(),
            instance_name: "Uji".into(),
            base_url: format!("http://{addr}"),
            secure_cookies: false,
        },
    );
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(satudata_http::serve(listener, state, async {
        let _ = rx.await;
    }));
    let ok = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    tx.send(()).unwrap();
    let result = tokio::time::timeout(std::time::Duration::from_secs(5), server)
        .await
        .expect("serve returns after the shutdown signal");
    result.unwrap().unwrap();
    assert!(
        reqwest::get(format!("http://{addr}/healthz"))
            .await
            .is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn bad_addresses_of_pages_answer_a_page_not_a_problem_document() {
    let app = spawn().await;
    for (path, status) in [
        ("/ruang-kerja/pemeriksaan/bukan-id/1", StatusCode::NOT_FOUND),
        ("/ruang-kerja/pekerjaan/bukan-id", StatusCode::NOT_FOUND),
        ("/dataset?halaman=satu", StatusCode::BAD_REQUEST),
    ] {
        let a = app.get(path, &[]).await;
        assert_eq!(a.status, status, "{path}: {}", a.text);
        assert!(
            !a.text.contains("UUID"),
            "no parser words for readers: {}",
            a.text
        );
        assert!(
            a.header("content-type").starts_with("text/html"),
            "{path}: {}",
            a.header("content-type")
        );
        assert!(a.text.contains("<h1>"), "{path}: {}", a.text);
    }
    // A login that is not a form (no browser sends that) is refused with a page too.
    let form = app
        .call(
            Who::Anonymous,
            Method::POST,
            "/masuk",
            Body::Json(serde_json::json!({"username": "admin"})),
        )
        .await;
    assert_eq!(form.status, StatusCode::BAD_REQUEST, "{}", form.text);
    assert!(
        form.header("content-type").starts_with("text/html"),
        "{}",
        form.header("content-type")
    );
    // The API keeps its problem documents.
    let api = app.get("/api/v1/jobs/bukan-id", &[]).await;
    assert!(api
        .header("content-type")
        .starts_with("application/problem+json"));
}
