//! Charts, maps and boundaries over HTTP: the SVG and PNG downloads of a table, the map once
//! boundaries are loaded (by an admin, from the real boundary file when present), places without a
//! boundary listed, restricted data refused, bad uploads refused with nothing stored.

use reqwest::{Method, StatusCode};
use satudata_core::region::Level;
use satudata_store::boundaries::NewBoundary;
use satudata_store::{BoundaryStore, Store};
use serde_json::{json, Value as Json};

use crate::common::{spawn, Body, Who};

/// A GeoJSON square per kecamatan code, side by side.
pub fn squares_geojson(codes: &[&str]) -> Json {
    let features: Vec<Json> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let x = 103.0 + i as f64 * 0.1;
            json!({"type": "Feature", "properties": {"code": c},
                "geometry": {"type": "Polygon", "coordinates": [[[x, -2.5], [x + 0.1, -2.5], [x + 0.1, -2.4], [x, -2.4], [x, -2.5]]]}})
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// Kecamatan squares for 16.06.01 (value in the fixture tables) and 16.06.04 (no value); the
/// fixture's 16.06.02 has a value but no boundary.
pub async fn load_squares(store: &dyn Store) {
    let fc = squares_geojson(&["16.06.01", "16.06.04"]);
    let items: Vec<NewBoundary> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| NewBoundary {
            code: f["properties"]["code"].as_str().unwrap().into(),
            level: Level::Kecamatan,
            name: f["properties"]["code"].as_str().unwrap().into(),
            geometry: f["geometry"].to_string(),
            simplified: f["geometry"].to_string(),
        })
        .collect();
    store.put_boundaries(&items, "uji", None).await.unwrap();
}

#[tokio::test]
async fn chart_and_map_downloads() {
    let app = spawn().await;
    let open = app.fx.open.meta.slug.clone();

    let svg = app
        .call(
            Who::Anonymous,
            Method::GET,
            &format!("/dataset/{open}/tabel/grafik.svg"),
            Body::None,
        )
        .await;
    assert_eq!(svg.status, StatusCode::OK, "{}", svg.text);
    assert_eq!(svg.header("content-type"), "image/svg+xml");
    assert_eq!(svg.header("cache-control"), "public, max-age=300");
    assert!(svg
        .header("content-disposition")
        .contains(&format!("{open}-tabel-grafik-v2.svg")));
    assert!(
        svg.text
            .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{}",
        svg.text
    );
    assert!(svg.text.contains("role=\"img\""));
    // The fixture: kode_kecamatan, tahun (not marked as period), jumlah (jiwa) → bars by kecamatan.
    assert!(
        svg.text
            .contains("<title id=\"grafik-tabel-t\">jumlah menurut kecamatan</title>"),
        "{}",
        svg.text
    );
    assert!(
        svg.text.contains("<title>Sekayu: 11 jiwa</title>"),
        "{}",
        svg.text
    );
    assert!(
        svg.text.contains("<title>Lais: 20 jiwa</title>"),
        "{}",
        svg.text
    );

    let png = app
        .call(
            Who::Anonymous,
            Method::GET,
            &format!("/dataset/{open}/tabel/grafik.png"),
            Body::None,
        )
        .await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(png.header("content-type"), "image/png");

    // No boundaries yet: no map.
    let none = app
        .call(
            Who::Anonymous,
            Method::GET,
            &format!("/dataset/{open}/tabel/peta.svg"),
            Body::None,
        )
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(none.text.contains("batas wilayah"), "{}", none.text);

    // An admin loads the real kecamatan boundaries (or squares when the file is absent).
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference/boundaries/16.06-musi-banyuasin-kecamatan.geojson"
    );
    let real = std::fs::read(path).ok();
    let body = match &real {
        Some(bytes) => Body::Bytes(bytes.clone(), "application/geo+json"),
        None => Body::Json(squares_geojson(&["16.06.01", "16.06.04"])),
    };
    let up = app
        .call(
            Who::Admin,
            Method::POST,
            "/api/v1/boundaries?level=kecamatan",
            body,
        )
        .await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.text);
    let expected = if real.is_some() { 15 } else { 2 };
    assert_eq!(up.json()["loaded"], expected);
    assert_eq!(up.json()["code_property"], "code");

    let map = app
        .call(
            Who::Anonymous,
            Method::GET,
            &format!("/dataset/{open}/tabel/peta.svg"),
            Body::None,
        )
        .await;
    assert_eq!(map.status, StatusCode::OK, "{}", map.text);
    assert!(map.text.contains("data-kode=\"16.06.01\""));
    assert!(
        map.text.contains("<title>Sekayu: 11 jiwa</title>"),
        "{}",
        map.text
    );
    assert!(
        map.text.contains("tidak ada data"),
        "regions without a value are hatched"
    );
    if real.is_some() {
        assert_eq!(map.text.matches("data-kode=").count(), 15);
        assert!(map.text.contains("<title>Lais: 20 jiwa</title>"));
    }
    let png = app
        .call(
            Who::Anonymous,
            Method::GET,
            &format!("/dataset/{open}/tabel/peta.png"),
            Body::None,
        )
        .await;
    assert_eq!(png.status, StatusCode::OK);

    // The boundaries of 16.06's kecamatan, public, as GeoJSON.
    let fc = app
        .call(
            Who::Anonymous,
            Method::GET,
            "/api/v1/boundaries/1606?level=kecamatan",
            Body::None,
        )
        .await;
    assert_eq!(fc.status, StatusCode::OK);
    assert_eq!(fc.header("content-type"), "application/geo+json");
    let fc = fc.json();
    assert_eq!(fc["features"].as_array().unwrap().len(), expected);
    assert_eq!(fc["features"][0]["properties"]["code"], "16.06.01");
    assert_eq!(
        fc["features"][0]["geometry"]["type"], "MultiPolygon",
        "the simplified copy"
    );
    let own = app
        .call(
            Who::Anonymous,
            Method::GET,
            "/api/v1/boundaries/16.06.01?level=kecamatan&detail=full",
            Body::None,
        )
        .await;
    assert_eq!(own.json()["features"].as_array().unwrap().len(), 1);
    let bad = app
        .call(
            Who::Anonymous,
            Method::GET,
            "/api/v1/boundaries/99.99",
            Body::None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);

    // Restricted data: refused before any figure is drawn; allowed principals get a private answer.
    let closed = app.fx.closed.meta.slug.clone();
    let r = app
        .call(
            Who::Anonymous,
            Method::GET,
            &format!("/dataset/{closed}/tabel/peta.svg"),
            Body::None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(!r.text.contains("<svg"));
    let r = app
        .call(
            Who::ProdusenOther,
            Method::GET,
            &format!("/dataset/{closed}/tabel/grafik.svg"),
            Body::None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            Who::Walidata,
            Method::GET,
            &format!("/dataset/{closed}/tabel/grafik.svg"),
            Body::None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("cache-control"), "private, no-store");

    let missing = app
        .call(
            Who::Anonymous,
            Method::GET,
            &format!("/dataset/{open}/tidak-ada/grafik.svg"),
            Body::None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn places_without_boundary_are_listed() {
    let app = spawn().await;
    load_squares(app.store.as_ref()).await;
    let open = app.fx.open.meta.slug.clone();
    let map = app
        .call(
            Who::Anonymous,
            Method::GET,
            &format!("/dataset/{open}/tabel/peta.svg"),
            Body::None,
        )
        .await;
    assert_eq!(map.status, StatusCode::OK, "{}", map.text);
    assert!(
        map.text
            .contains("Tanpa batas wilayah di peta (1): Lais 20 jiwa"),
        "{}",
        map.text
    );
    assert!(
        map.text.contains("tidak ada data (1 wilayah)"),
        "{}",
        map.text
    );
}

#[tokio::test]
async fn bad_boundary_uploads_store_nothing() {
    let app = spawn().await;
    let post = |body: Body, query: &'static str| {
        let app = &app;
        async move {
            app.call(
                Who::Admin,
                Method::POST,
                &format!("/api/v1/boundaries{query}"),
                body,
            )
            .await
        }
    };
    let r = post(Body::Bytes(b"{ rusak".to_vec(), "application/geo+json"), "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("bukan JSON yang sah"), "{}", r.text);

    // One good feature and one outside the home region: nothing is stored.
    let mut fc = squares_geojson(&["16.06.01", "15.08.01"]);
    let r = post(Body::Json(fc.clone()), "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("di luar wilayah induk 16.06"), "{}", r.text);
    assert!(app.store.get_boundary("16.06.01").await.unwrap().is_none());
    // With skip_unmatched the good one is stored and the other reported.
    let r = post(Body::Json(fc.clone()), "?skip_unmatched=true").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["loaded"], 1);
    assert_eq!(r.json()["unmatched"][0]["feature"], 2);

    fc["features"][0]["geometry"] = json!({"type": "LineString", "coordinates": [[1, 2], [3, 4]]});
    let r = post(Body::Json(fc), "?level=kecamatan").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("LineString"), "{}", r.text);

    let r = app
        .call(
            Who::Walidata,
            Method::POST,
            "/api/v1/boundaries",
            Body::Json(squares_geojson(&["16.06.02"])),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(app.store.get_boundary("16.06.02").await.unwrap().is_none());
}

/// Every demo dataset gets a chart, and a map once the demo's boundaries are loaded (from the
/// reference files when present; without them the demo loads none and has no maps).
#[tokio::test]
async fn every_demo_table_has_a_chart_and_a_map() {
    use satudata_core::region::RegionCode;
    use satudata_http::{AppState, HttpConfig};
    let dir = tempfile::tempdir().unwrap();
    let store: std::sync::Arc<dyn Store> = std::sync::Arc::new(
        satudata_store_sqlite::SqliteStore::open(&dir.path().join("demo.db"))
            .await
            .unwrap(),
    );
    let home = RegionCode::parse(satudata_demo::DEMO_HOME).unwrap();
    satudata_demo::seed(store.as_ref(), &home).await.unwrap();
    // No boundary files where the demo looks: nothing loaded, nothing fails.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(
        satudata_demo::load_boundaries(store.as_ref(), &home, &[empty.path().to_path_buf()])
            .await
            .unwrap(),
        0
    );
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/boundaries");
    let loaded =
        satudata_demo::load_boundaries(store.as_ref(), &home, std::slice::from_ref(&reference))
            .await
            .unwrap();
    if reference.exists() {
        assert_eq!(loaded, 15 + 240);
        assert_eq!(
            satudata_demo::load_boundaries(store.as_ref(), &home, &[reference])
                .await
                .unwrap(),
            0,
            "once"
        );
    }
    let state = AppState::new(
        store.clone(),
        HttpConfig {
            home_region: home,
            instance_name: "Satu Data Musi Banyuasin".into(),
            base_url: "http://127.0.0.1".into(),
            secure_cookies: false,
        },
    );
    let datasets = store
        .list_datasets(&satudata_store::DatasetQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let (mut charts, mut maps) = (0, 0);
    for d in &datasets.items {
        let Some(r) = store
            .list_resources(d.id)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.name == satudata_demo::TABLE_RESOURCE)
        else {
            continue;
        };
        if let Some(v) = satudata_http::visual::table_chart(&state, d, &r)
            .await
            .unwrap()
        {
            assert!(
                v.svg.starts_with("<svg") && v.svg.contains("role=\"img\""),
                "{}",
                d.meta.slug
            );
            assert!(!v.table.rows.is_empty(), "{}", d.meta.slug);
            charts += 1;
        }
        if let Some(m) = satudata_http::visual::table_map(&state, d, &r)
            .await
            .unwrap()
        {
            assert!(m.svg.contains("data-kode=\"16.06."), "{}", d.meta.slug);
            maps += 1;
        }
    }
    assert!(
        charts >= datasets.items.len() - 2,
        "{charts} charts for {} datasets",
        datasets.items.len()
    );
    if loaded > 0 {
        assert!(maps >= datasets.items.len() / 2, "{maps} maps");
        // A desa table: 242 desa, 240 with a boundary: two are listed, none dropped.
        let d = store
            .get_dataset("jumlah-penduduk-desa")
            .await
            .unwrap()
            .unwrap();
        let r = store.list_resources(d.id).await.unwrap().remove(0);
        let m = satudata_http::visual::table_map(&state, &d, &r)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.missing.len(), 2, "{:?}", m.missing);
        assert!(m.svg.contains("Tanpa batas wilayah di peta (2)"));
        let c = satudata_http::visual::table_chart(&state, &d, &r)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.kind, "line", "the regency's total over the years");
        // The trend of one kecamatan, from its desa.
        let (svg, labels, values) = satudata_http::visual::region_trend(
            &state,
            &d,
            &r,
            &RegionCode::parse("16.06.01").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
        assert!(svg.contains("Tren"), "{svg}");
        assert_eq!(labels.len(), values.len());
        assert!(labels.len() >= 2 && values.iter().all(Option::is_some));
    } else {
        assert_eq!(maps, 0, "no boundaries, no maps");
    }
}
