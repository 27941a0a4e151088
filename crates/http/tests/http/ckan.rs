//! The CKAN-compatible API, the DCAT documents and the downloads over HTTP: CKAN's envelope,
//! error types and statuses, token headers, access rules, search, datastore, writes.

use reqwest::{Method, StatusCode};
use satudata_store::{GovernanceStore as _, Store};
use serde_json::{json, Value};

use crate::common::{answer, spawn, App, Body, Who};

/// Call an action as `who` with a JSON body (POST) or URL parameters (GET).
async fn act(app: &App, who: Who, name: &str, params: Value) -> (StatusCode, Value) {
    let res = app
        .call(
            who,
            Method::POST,
            &format!("/api/3/action/{name}"),
            Body::Json(params),
        )
        .await;
    let v = res.json();
    (res.status, v)
}

async fn get(app: &App, who: Who, path: &str) -> (StatusCode, Value) {
    let res = app.call(who, Method::GET, path, Body::None).await;
    (res.status, res.json())
}

fn names(v: &Value) -> Vec<String> {
    v["result"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn envelope_errors_and_statuses_are_ckans() {
    let app = spawn().await;
    let (s, v) = get(&app, Who::Anonymous, "/api/3/action/status_show").await;
    assert_eq!(s, 200);
    assert_eq!(v["success"], true);
    assert_eq!(
        v["help"],
        format!("{}/api/3/action/help_show?name=status_show", app.base)
    );
    assert_eq!(v["result"]["ckan_version"], "2.10.4");
    let (s, v) = get(&app, Who::Anonymous, "/api/action/license_list").await;
    assert_eq!(s, 200);
    assert!(v["result"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == "cc-by"));

    let res = app.get("/api/3/action/no_such_action", &[]).await;
    assert_eq!(res.status, 400);
    assert_eq!(
        res.json(),
        json!("Bad request - Action name not known: no_such_action")
    );
    let res = app.get("/api/3/action/package_create?name=x", &[]).await;
    assert_eq!(res.status, 400);
    assert!(res.text.contains("Please use POST"), "{}", res.text);
    // No redirect for the unversioned path either.
    assert_eq!(app.get("/api/action/status_show", &[]).await.status, 200);

    let (s, v) = get(&app, Who::Anonymous, "/api/3/action/package_show").await;
    assert_eq!(s, 409);
    assert_eq!(v["success"], false);
    assert_eq!(v["error"]["__type"], "Validation Error");
    assert!(v["error"]["id"].is_array());
    let (s, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/package_show?id=tidak-ada",
    )
    .await;
    assert_eq!(
        (s, v["error"]["__type"].as_str()),
        (StatusCode::NOT_FOUND, Some("Not Found Error"))
    );
    let (s, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/package_search?fq=organization:(dinas-a",
    )
    .await;
    assert_eq!(
        (s, v["error"]["__type"].as_str()),
        (StatusCode::BAD_REQUEST, Some("Search Query Error"))
    );
    let (s, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/package_search?sort=warna%20asc",
    )
    .await;
    assert_eq!(
        (s, v["error"]["__type"].as_str()),
        (StatusCode::BAD_REQUEST, Some("Search Query Error"))
    );
    let (s, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/package_search?rows=banyak",
    )
    .await;
    assert_eq!(
        (s, v["error"]["__type"].as_str()),
        (StatusCode::CONFLICT, Some("Validation Error"))
    );
    let res = app
        .http
        .post(app.url("/api/3/action/package_search"))
        .header("content-type", "application/json")
        .body("[1, 2]")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = app
        .http
        .post(app.url("/api/3/action/package_create"))
        .header("Authorization", "bukan-token")
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    let a = answer(res).await;
    assert_eq!(
        (
            a.status,
            a.json()["error"]["__type"].as_str().map(str::to_string)
        ),
        (
            StatusCode::FORBIDDEN,
            Some("Authorization Error".to_string())
        )
    );
}

#[tokio::test]
async fn the_public_never_sees_closed_datasets_and_tokens_work_in_every_header() {
    let app = spawn().await;
    let (open, limited, closed) = (
        &app.fx.open.meta.slug,
        &app.fx.limited.meta.slug,
        &app.fx.closed.meta.slug,
    );
    let (_, v) = get(&app, Who::Anonymous, "/api/3/action/package_list").await;
    let list: Vec<String> = serde_json::from_value(v["result"].clone()).unwrap();
    assert!(
        list.contains(open) && list.contains(limited) && !list.contains(closed),
        "{list:?}"
    );
    for who in [Who::Anonymous, Who::Walidata] {
        let (_, v) = get(&app, who, "/api/3/action/package_search?rows=1000").await;
        assert!(
            !names(&v).contains(closed),
            "{who:?} without include_private"
        );
    }
    let (_, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/package_search?rows=1000&include_private=true",
    )
    .await;
    assert!(!names(&v).contains(closed));
    let (_, v) = get(
        &app,
        Who::Walidata,
        "/api/3/action/package_search?rows=1000&include_private=true",
    )
    .await;
    assert!(names(&v).contains(closed));
    let (s, _) = get(
        &app,
        Who::Anonymous,
        &format!("/api/3/action/package_show?id={closed}"),
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = get(
        &app,
        Who::ProdusenOther,
        &format!("/api/3/action/package_show?id={closed}"),
    )
    .await;
    assert_eq!(s, 404);
    let (s, v) = get(
        &app,
        Who::ProdusenOwn,
        &format!("/api/3/action/package_show?id={closed}"),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(v["result"]["private"], true);
    assert_eq!(v["result"]["accessRights"], "tertutup");

    // The token as CKAN clients send it: raw Authorization, Bearer, X-CKAN-API-Key.
    let token = &app.fx.tokens[&Who::Walidata];
    for (h, value) in [
        ("Authorization", token.clone()),
        ("Authorization", format!("Bearer {token}")),
        ("X-CKAN-API-Key", token.clone()),
    ] {
        let res = app
            .get(
                &format!("/api/3/action/package_show?id={closed}"),
                &[(h, &value)],
            )
            .await;
        assert_eq!(res.status, 200, "{h}: {value}");
    }
}

#[tokio::test]
async fn package_search_filters_sorts_and_counts_facets() {
    let app = spawn().await;
    let q = "/api/3/action/package_search?fq=organization:dinas-a&facet.field=%5B%22organization%22,%22groups%22,%22tags%22,%22res_format%22,%22license_id%22%5D&sort=name%20desc";
    let (s, v) = get(&app, Who::Anonymous, q).await;
    assert_eq!(s, 200, "{v}");
    let r = &v["result"];
    assert_eq!(r["count"], 2);
    assert_eq!(names(&v), ["terbuka-a", "terbatas-a"]);
    assert_eq!(r["facets"]["organization"]["dinas-a"], 2);
    assert_eq!(r["facets"]["groups"]["kesehatan"], 2);
    assert_eq!(r["facets"]["res_format"]["CSV"], 2);
    assert_eq!(r["facets"]["license_id"]["cc-by"], 2);
    assert_eq!(
        r["search_facets"]["organization"]["items"][0]["display_name"],
        "Dinas A"
    );
    assert_eq!(r["sort"], "name desc");
    let first = &r["results"][0];
    assert_eq!(first["resources"][0]["format"], "CSV");
    assert_eq!(first["resources"][0]["datastore_active"], true);
    assert_eq!(first["organization"]["name"], "dinas-a");
    let (_, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/package_search?fq=-organization:dinas-a",
    )
    .await;
    assert_eq!(v["result"]["count"], 0);
    let (_, v) = get(&app, Who::Anonymous, "/api/3/action/package_search?fq=metadata_modified:%5BNOW-1DAY%20TO%20*%5D%20groups:kesehatan&rows=1").await;
    assert_eq!(v["result"]["count"], 2);
    assert_eq!(v["result"]["results"].as_array().unwrap().len(), 1);
    let (_, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/package_search?fq=metadata_modified:%5B*%20TO%202000-01-01T00:00:00Z%5D",
    )
    .await;
    assert_eq!(v["result"]["count"], 0);
    let (_, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/package_search?q=tags:tidak-ada",
    )
    .await;
    assert_eq!(v["result"]["count"], 0);
    let (_, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/package_search?q=terbatas",
    )
    .await;
    assert_eq!(names(&v), ["terbatas-a"]);
    let (_, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/package_search?fq=accessRights:terbuka&start=0&rows=10",
    )
    .await;
    assert_eq!(names(&v), ["terbuka-a"]);
    // Organisations, groups, tags.
    let (_, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/organization_list?all_fields=true",
    )
    .await;
    let a = v["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "dinas-a")
        .unwrap()
        .clone();
    assert_eq!(a["package_count"], 2);
    let (_, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/organization_show?id=dinas-a&include_datasets=true",
    )
    .await;
    assert_eq!(v["result"]["packages"].as_array().unwrap().len(), 2);
    let (_, v) = get(&app, Who::Anonymous, "/api/3/action/group_list").await;
    assert_eq!(v["result"], json!(["kesehatan"]));
    let (_, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/group_show?id=kesehatan",
    )
    .await;
    assert_eq!(v["result"]["package_count"], 2);
    let (_, v) = get(
        &app,
        Who::Anonymous,
        "/api/3/action/current_package_list_with_resources?limit=1",
    )
    .await;
    assert_eq!(v["result"].as_array().unwrap().len(), 1);
    let (_, v) = get(
        &app,
        Who::Anonymous,
        &format!("/api/3/action/resource_show?id={}", app.fx.open_table.id),
    )
    .await;
    assert_eq!(v["result"]["package_id"], app.fx.open.id.to_string());
}

#[tokio::test]
async fn datastore_search_reads_rows_with_permission() {
    let app = spawn().await;
    let id = app.fx.open_table.id;
    let (s, v) = act(
        &app,
        Who::Anonymous,
        "datastore_search",
        json!({"resource_id": id, "sort": "jumlah desc"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let r = &v["result"];
    assert_eq!(r["total"], 2);
    assert_eq!(r["fields"][0], json!({"id": "_id", "type": "int"}));
    assert_eq!(r["fields"][3]["info"]["unit"], "jiwa");
    assert_eq!(r["records"][0]["jumlah"], 20);
    assert_eq!(r["records"][0]["_id"], 1);
    let (_, v) = act(&app, Who::Anonymous, "datastore_search", json!({"resource_id": id, "filters": {"kode_kecamatan": "160601"}, "fields": ["kode_kecamatan", "jumlah"]})).await;
    assert_eq!(
        v["result"]["records"],
        json!([{"kode_kecamatan": "16.06.01", "jumlah": 11}])
    );
    let (_, v) = act(
        &app,
        Who::Anonymous,
        "datastore_search",
        json!({"resource_id": id, "records_format": "lists", "limit": 1, "offset": 1}),
    )
    .await;
    assert_eq!(v["result"]["records"], json!([[2, "16.06.02", 2023, 20]]));
    let (_, v) = act(
        &app,
        Who::Anonymous,
        "datastore_search",
        json!({"resource_id": id, "records_format": "csv", "version": 1}),
    )
    .await;
    assert_eq!(
        v["result"]["records"],
        "1,16.06.01,2023,10\n2,16.06.02,2023,20\n"
    );
    let (_, v) = act(
        &app,
        Who::Anonymous,
        "datastore_search",
        json!({"resource_id": id, "q": "16.06.02"}),
    )
    .await;
    assert_eq!(v["result"]["total"], 1);
    let (s, v) = act(
        &app,
        Who::Anonymous,
        "datastore_search",
        json!({"resource_id": id, "filters": {"warna": "x"}}),
    )
    .await;
    assert_eq!(
        (s, v["error"]["__type"].as_str()),
        (StatusCode::CONFLICT, Some("Validation Error"))
    );
    // Restricted data: only with a token that may read it.
    let limited = app.store.list_resources(app.fx.limited.id).await.unwrap()[0].id;
    let (s, v) = act(
        &app,
        Who::Anonymous,
        "datastore_search",
        json!({"resource_id": limited}),
    )
    .await;
    assert_eq!(
        (s, v["error"]["__type"].as_str()),
        (StatusCode::FORBIDDEN, Some("Authorization Error"))
    );
    let (s, _) = act(
        &app,
        Who::ProdusenOther,
        "datastore_search",
        json!({"resource_id": limited}),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = act(
        &app,
        Who::Pembina,
        "datastore_search",
        json!({"resource_id": limited}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = act(
        &app,
        Who::Anonymous,
        "datastore_search",
        json!({"resource_id": app.fx.closed_table.id}),
    )
    .await;
    assert_eq!(s, 404, "closed datasets do not exist for the public");
}

#[tokio::test]
async fn writes_need_a_token_of_the_organisation() {
    let app = spawn().await;
    let new = json!({
        "name": "angka-kematian-bayi", "title": "Angka Kematian Bayi", "owner_org": "dinas-a",
        "notes": "Per 1.000 kelahiran hidup.", "tags": [{"name": "bayi"}], "groups": [{"name": "kesehatan"}],
        "license_id": "cc-zero", "satuan": "per 1.000 kelahiran hidup", "accrualPeriodicity": "tahunan",
        "accessRights": "terbuka", "prioritas_tahun": "2025"
    });
    let (s, v) = act(&app, Who::Anonymous, "package_create", new.clone()).await;
    assert_eq!(
        (s, v["error"]["__type"].as_str()),
        (StatusCode::FORBIDDEN, Some("Authorization Error"))
    );
    let (s, _) = act(&app, Who::ProdusenOther, "package_create", new.clone()).await;
    assert_eq!(s, 403);
    let (s, v) = act(&app, Who::ProdusenOwn, "package_create", new.clone()).await;
    assert_eq!(s, 200, "{v}");
    let p = &v["result"];
    assert_eq!(p["license_id"], "cc-zero");
    assert_eq!(p["groups"][0]["name"], "kesehatan");
    assert_eq!(p["prioritas_tahun"], "2025");
    let (s, v) = act(&app, Who::ProdusenOwn, "package_create", new.clone()).await;
    assert_eq!(s, 409);
    assert!(v["error"]["name"].is_array(), "{v}");
    let (s, v) = act(
        &app,
        Who::ProdusenOwn,
        "package_create",
        json!({"title": "Tanpa nama"}),
    )
    .await;
    assert_eq!(s, 409);
    assert!(
        v["error"]["name"].is_array() && v["error"]["owner_org"].is_array(),
        "{v}"
    );
    // Patch changes what is sent; update replaces the rest.
    let (s, v) = act(
        &app,
        Who::ProdusenOwn,
        "package_patch",
        json!({"id": "angka-kematian-bayi", "notes": "Baru."}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["result"]["notes"], "Baru.");
    assert_eq!(v["result"]["satuan"], "per 1.000 kelahiran hidup");
    let (s, v) = act(
        &app,
        Who::Walidata,
        "package_update",
        json!({"id": "angka-kematian-bayi", "name": "angka-kematian-bayi", "title": "AKB"}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["result"]["title"], "AKB");
    assert_eq!(v["result"]["satuan"], Value::Null);
    assert_eq!(v["result"]["organization"]["name"], "dinas-a");
    // A table resource by its Table Schema.
    let (s, v) = act(&app, Who::ProdusenOwn, "resource_create", json!({
        "package_id": "angka-kematian-bayi", "name": "Tabel AKB",
        "schema": {"fields": [{"name": "tahun", "type": "year"}, {"name": "akb", "type": "number", "unit": "per 1.000"}]}
    })).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["result"]["datastore_active"], false);
    assert_eq!(v["result"]["resource_name"], "tabel-akb");
    let (s, _) = act(
        &app,
        Who::ProdusenOther,
        "resource_create",
        json!({"package_id": "angka-kematian-bayi", "schema": {"fields": [{"name": "x"}]}}),
    )
    .await;
    assert_eq!(s, 403);
    // Form and multipart bodies, as older clients send them.
    let token = &app.fx.tokens[&Who::ProdusenOwn];
    let res = app
        .http
        .post(app.url("/api/3/action/package_patch"))
        .header("Authorization", token)
        .form(&[("id", "angka-kematian-bayi"), ("ukuran", "rasio")])
        .send()
        .await
        .unwrap();
    let a = answer(res).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json()["result"]["ukuran"], "rasio");
    let form = reqwest::multipart::Form::new()
        .text("id", "angka-kematian-bayi")
        .text("satuan", "per mil");
    let res = app
        .http
        .post(app.url("/api/action/package_patch"))
        .header("X-CKAN-API-Key", token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let a = answer(res).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json()["result"]["satuan"], "per mil");
}

#[tokio::test]
async fn downloads_stream_every_format_and_version() {
    let app = spawn().await;
    let slug = &app.fx.open.meta.slug;
    let res = app.get(&format!("/dataset/{slug}/tabel.csv"), &[]).await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("text/csv"));
    assert!(res
        .header("content-disposition")
        .contains(&format!("{slug}-tabel-v2.csv")));
    assert_eq!(
        res.text,
        "kode_kecamatan,tahun,jumlah\n16.06.01,2023,11\n16.06.02,2023,20\n"
    );
    let res = app
        .get(&format!("/dataset/{slug}/tabel.csv?version=1&bom=1"), &[])
        .await;
    assert_eq!(
        res.text,
        "\u{feff}kode_kecamatan,tahun,jumlah\n16.06.01,2023,10\n16.06.02,2023,20\n"
    );
    // The download is the data API's CSV of the same version, byte for byte (one writer: the
    // store's CSV stream).
    for version in [1, 2] {
        let download = app
            .get(&format!("/dataset/{slug}/tabel.csv?version={version}"), &[])
            .await;
        let api = app
            .get(
                &format!("/api/v1/datasets/{slug}/rows?format=csv&version={version}"),
                &[],
            )
            .await;
        assert_eq!(api.status, 200, "{}", api.text);
        assert_eq!(download.text, api.text, "version {version}");
    }
    // Compressed transfers end cleanly too.
    let res = app
        .get(
            &format!("/dataset/{slug}/tabel.csv"),
            &[("accept-encoding", "gzip")],
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        app.get(&format!("/dataset/{slug}/tabel.csv?version=9"), &[])
            .await
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("/dataset/{slug}/tidak-ada.csv"), &[])
            .await
            .status,
        404
    );
    let res = app.get(&format!("/dataset/{slug}/tabel.json"), &[]).await;
    let rows: Value = serde_json::from_str(&res.text).unwrap();
    assert_eq!(
        rows[1],
        json!({"kode_kecamatan": "16.06.02", "tahun": 2023, "jumlah": 20})
    );
    let res = app
        .get(&format!("/dataset/{slug}/tabel.schema.json"), &[])
        .await;
    assert_eq!(res.json()["fields"][2]["unit"], "jiwa");
    // XLSX: a data sheet with typed cells and units in the header, and a metadata sheet.
    let bytes = app
        .http
        .get(app.url(&format!("/dataset/{slug}/tabel.xlsx")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let workbook = read("xl/workbook.xml");
    assert!(
        workbook.contains("name=\"Data\"") && workbook.contains("name=\"Metadata\""),
        "{workbook}"
    );
    let sheet = read("xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<v>11</v>"), "numbers are numbers: {sheet}");
    // Constant-memory sheets write their strings inline.
    assert!(
        sheet.contains("jumlah (jiwa)"),
        "units in the header: {sheet}"
    );
    assert!(read("xl/sharedStrings.xml").contains("Produsen data"));
    // The zip of the package holds the package and the CSV.
    let bytes = app
        .http
        .get(app.url(&format!("/dataset/{slug}/datapackage.zip")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut csv = String::new();
    std::io::Read::read_to_string(&mut z.by_name("data/tabel.csv").unwrap(), &mut csv).unwrap();
    assert_eq!(
        csv,
        "kode_kecamatan,tahun,jumlah\n16.06.01,2023,11\n16.06.02,2023,20\n"
    );
    let mut dp = String::new();
    std::io::Read::read_to_string(&mut z.by_name("datapackage.json").unwrap(), &mut dp).unwrap();
    let dp: Value = serde_json::from_str(&dp).unwrap();
    assert_eq!(dp["resources"][0]["path"], "data/tabel.csv");
    let res = app
        .get(&format!("/dataset/{slug}/datapackage.json"), &[])
        .await;
    assert_eq!(
        res.json()["resources"][0]["path"],
        format!("{}/dataset/{slug}/tabel.csv", app.base)
    );
    // Restricted data only with permission.
    let limited = &app.fx.limited.meta.slug;
    assert_eq!(
        app.get(&format!("/dataset/{limited}/tabel.csv"), &[])
            .await
            .status,
        401
    );
    let res = app
        .call(
            Who::Pembina,
            Method::GET,
            &format!("/dataset/{limited}/tabel.csv"),
            Body::None,
        )
        .await;
    assert_eq!(res.status, 200);
}

#[tokio::test]
async fn dcat_documents_page_and_leave_out_closed_datasets() {
    let app = spawn().await;
    let res = app
        .call(Who::Walidata, Method::GET, "/catalog.ttl", Body::None)
        .await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("text/turtle"));
    let ttl = res.text;
    assert!(ttl.contains("a dcat:Catalog"), "{ttl}");
    assert!(
        ttl.contains("hydra:PagedCollection")
            && ttl.contains("hydra:totalItems \"2\"^^xsd:integer"),
        "{ttl}"
    );
    assert!(ttl.contains(&format!("<{}/dataset/terbuka-a>", app.base)));
    assert!(
        !ttl.contains("tertutup-a"),
        "the published catalogue has no closed datasets"
    );
    // Download URLs only where the reader may read the data.
    assert!(ttl.contains("terbuka-a/tabel.csv>"));
    let anon = app.get("/catalog.ttl", &[]).await.text;
    assert!(!anon.contains("dcat:downloadURL <") || !anon.contains("terbatas-a/tabel.csv>;"));
    let res = app.get("/catalog.jsonld?page=2", &[]).await;
    let v = res.json();
    assert!(
        v["@graph"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["@type"] != json!(["dcat:Dataset"])),
        "page 2 is empty"
    );
    let res = app.get("/dataset/terbuka-a.rdf", &[]).await;
    assert!(
        res.text.contains("<rdf:RDF") && res.text.contains("dcat#Dataset"),
        "{}",
        res.text
    );
    assert_eq!(app.get("/dataset/terbuka-a.pdf", &[]).await.status, 404);
    let res = app.get("/data.json", &[]).await;
    let v = res.json();
    assert_eq!(v["dataset"].as_array().unwrap().len(), 2);
    assert_eq!(v["dataset"][1]["accessLevel"], "public");
}

#[tokio::test]
async fn data_sent_through_ckan_waits_for_the_walidata() {
    let app = spawn().await;
    let schema = json!({"fields": [
        {"name": "tahun", "type": "year"},
        {"name": "jumlah", "type": "integer", "unit": "unit"}
    ]});
    // package_create with rows: a draft version, not public.
    let (s, v) = act(
        &app,
        Who::ProdusenOwn,
        "package_create",
        json!({
            "name": "jumlah-puskesmas", "title": "Jumlah Puskesmas", "owner_org": "dinas-a",
            "accessRights": "terbuka",
            "resources": [{"name": "Tabel", "schema": schema,
                "records": [{"tahun": 2024, "jumlah": 12}, {"tahun": "2025", "jumlah": "13"}]}]
        }),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let ver = &v["result"]["satudata_versions"][0];
    assert_eq!(
        (ver["state"].as_str(), ver["row_count"].as_i64()),
        (Some("draf"), Some(2)),
        "{v}"
    );
    let table = ver["resource_id"].as_str().unwrap().to_string();
    let search = json!({"resource_id": table});
    let (s, v) = act(&app, Who::Anonymous, "datastore_search", search.clone()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["result"]["total"], 0, "a draft is not public: {v}");
    let (s, v) = get(
        &app,
        Who::Anonymous,
        &format!("/api/v1/resources/{table}/versions/1"),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");

    // A bad cell changes nothing: no resource, no version.
    let before = app
        .store
        .get_dataset("jumlah-puskesmas")
        .await
        .unwrap()
        .unwrap();
    let count = app.store.list_resources(before.id).await.unwrap().len();
    let (s, v) = act(
        &app,
        Who::ProdusenOwn,
        "resource_create",
        json!({
            "package_id": "jumlah-puskesmas", "name": "Salah", "schema": schema,
            "records": [{"tahun": 2024, "jumlah": 1}, {"tahun": 2024, "jumlah": "dua"}]
        }),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let msg = v["error"]["records"].to_string();
    assert!(msg.contains("Baris 2") && msg.contains("jumlah"), "{v}");
    assert_eq!(
        app.store.list_resources(before.id).await.unwrap().len(),
        count
    );

    // resource_create with a CSV upload (multipart, as ckanapi's upload@FILE) and submit=true:
    // submitted, checks run, in the walidata's queue; still not public.
    let form = reqwest::multipart::Form::new()
        .text("package_id", "jumlah-puskesmas")
        .text("name", "Per kecamatan")
        .text("schema", schema.to_string())
        .text("submit", "true")
        .part(
            "upload",
            reqwest::multipart::Part::bytes(b"tahun,jumlah\n2024,5\n2025,6\n2026,7\n".to_vec())
                .file_name("puskesmas.csv"),
        );
    let res = app
        .http
        .post(app.url("/api/3/action/resource_create"))
        .header("Authorization", &app.fx.tokens[&Who::ProdusenOwn])
        .multipart(form)
        .send()
        .await
        .unwrap();
    let a = answer(res).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let r = a.json()["result"].clone();
    let v2 = &r["satudata_version"];
    assert_eq!(v2["state"], "diajukan", "{r}");
    assert_eq!(v2["row_count"], 3, "{r}");
    assert!(v2["checks"]["results"].is_array(), "{r}");
    let uploaded = r["id"].as_str().unwrap().to_string();
    let (_, q) = get(&app, Who::Walidata, "/api/v1/review/queue").await;
    assert!(
        q["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["resource_id"] == uploaded.as_str() && i["state"] == "diajukan"),
        "{q}"
    );
    let (_, v) = act(
        &app,
        Who::Anonymous,
        "datastore_search",
        json!({"resource_id": uploaded}),
    )
    .await;
    assert_eq!(v["result"]["total"], 0, "{v}");

    // The walidata approves and publishes: now the public reads it.
    for step in ["approve", "publish"] {
        let a = app
            .call(
                Who::Walidata,
                Method::POST,
                &format!("/api/v1/resources/{uploaded}/versions/1/{step}"),
                Body::None,
            )
            .await;
        assert_eq!(a.status, 200, "{step}: {}", a.text);
    }
    let (_, v) = act(
        &app,
        Who::Anonymous,
        "datastore_search",
        json!({"resource_id": uploaded}),
    )
    .await;
    assert_eq!(v["result"]["total"], 3, "{v}");
    // The audit log names the produsen for the CKAN writes.
    let writes = app
        .store
        .list_audit(&satudata_store::governance::AuditQuery {
            action: Some("review.submit".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        writes.items[0].record.actor_name,
        app.fx.users[&Who::ProdusenOwn].username
    );
}
