//! The public portal over HTTP: search with facets, the dataset page (preview, sort, filter,
//! paging, downloads, history), version pages, region pages, organisation and topic pages, and the
//! language switch. Restricted data must never reach a page for someone not allowed to read it.

use reqwest::StatusCode;

use crate::common::{spawn, Who};

#[tokio::test]
async fn search_narrows_with_facets_and_hides_what_the_visitor_may_not_see() {
    let app = spawn().await;
    let all = app.get("/dataset", &[]).await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.text.contains(&app.fx.open.meta.title));
    assert!(
        all.text.contains(&app.fx.limited.meta.title),
        "restricted metadata is public"
    );
    assert!(
        !all.text.contains(&app.fx.closed.meta.title),
        "closed datasets are not listed"
    );
    // Facets link to narrowed searches and count what they narrow to.
    assert!(
        all.text.contains("href=\"/dataset?topik=kesehatan\""),
        "{}",
        all.text
    );
    assert!(all.text.contains("href=\"/dataset?akses=terbatas\""));
    let limited = app.get("/dataset?akses=terbatas", &[]).await;
    assert!(
        limited.text.contains("<strong>1</strong> dataset"),
        "{}",
        limited.text
    );
    assert!(limited.text.contains(&app.fx.limited.meta.title));
    assert!(!limited.text.contains(&app.fx.open.meta.title));
    let closed = app.get("/dataset?akses=tertutup", &[]).await;
    assert!(closed.text.contains("<strong>0</strong> dataset"));
    let none = app.get("/dataset?q=tidak-ada-kata-ini", &[]).await;
    assert!(none.text.contains("Tidak ada dataset yang cocok"));
    // The producer sees their own closed dataset when logged in.
    let (session, _) = app.session_for(Who::ProdusenOwn).await;
    let cookie = format!("{}={session}", satudata_http::SESSION_COOKIE);
    let mine = app
        .get("/dataset?akses=tertutup", &[("cookie", &cookie)])
        .await;
    assert!(
        mine.text.contains(&app.fx.closed.meta.title),
        "{}",
        mine.text
    );
}

#[tokio::test]
async fn the_dataset_page_previews_sorts_filters_and_offers_downloads() {
    let app = spawn().await;
    let slug = &app.fx.open.meta.slug;
    let page = app.get(&format!("/dataset/{slug}"), &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").starts_with("text/html"));
    let t = &page.text;
    assert!(t.contains(&app.fx.open.meta.title));
    assert!(t.contains("16.06.01") && t.contains("16.06.02"), "{t}");
    for download in [
        ".csv\"",
        ".csv?bom=1\"",
        ".xlsx\"",
        ".json\"",
        ".schema.json\"",
        "datapackage.zip\"",
    ] {
        assert!(t.contains(download), "download link {download} missing");
    }
    assert!(t.contains("Riwayat versi") && t.contains(&format!("/dataset/{slug}/tabel/versi/2")));
    assert!(t.contains("Cara mengutip"));
    assert!(t.contains("pd.read_csv"), "API snippets");

    // Sorting by a column, descending: 20 comes before 11.
    let sorted = app.get(&format!("/dataset/{slug}?urut=-jumlah"), &[]).await;
    let (a, b) = (
        sorted.text.find(">20<").unwrap(),
        sorted.text.find(">11<").unwrap(),
    );
    assert!(a < b, "descending sort");
    assert!(sorted.text.contains("aria-sort=\"descending\""));
    // Filtering keeps only the matching row.
    let one = app
        .get(
            &format!("/dataset/{slug}?kolom=kode_kecamatan&nilai=16.06.02"),
            &[],
        )
        .await;
    assert!(one.text.contains("1 baris"), "{}", one.text);
    assert!(!one.text.contains(">16.06.01<"));
    // A value of the wrong type is explained, not a crash.
    let bad = app
        .get(&format!("/dataset/{slug}?kolom=tahun&nilai=dua"), &[])
        .await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.text.contains("role=\"alert\""), "{}", bad.text);

    // The DCAT documents still answer on the same route.
    let ttl = app.get(&format!("/dataset/{slug}.ttl"), &[]).await;
    assert!(ttl.header("content-type").starts_with("text/turtle"));

    // Restricted data: the metadata shows, the rows do not.
    let limited = app
        .get(&format!("/dataset/{}", app.fx.limited.meta.slug), &[])
        .await;
    assert_eq!(limited.status, StatusCode::OK);
    assert!(limited.text.contains("hanya untuk pengguna yang berwenang"));
    assert!(
        !limited.text.contains(">16.06.01<"),
        "no rows of restricted data"
    );
    assert!(
        !limited.text.contains(".csv\""),
        "no downloads of restricted data"
    );
    // Closed: refused, as a page.
    let closed = app
        .get(&format!("/dataset/{}", app.fx.closed.meta.slug), &[])
        .await;
    assert_eq!(closed.status, StatusCode::UNAUTHORIZED);
    assert!(closed.header("content-type").starts_with("text/html"));
    assert!(!closed.text.contains(&app.fx.closed.meta.title));
    let missing = app.get("/dataset/tidak-ada", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn version_pages_show_what_changed() {
    let app = spawn().await;
    let slug = &app.fx.open.meta.slug;
    let v2 = app
        .get(&format!("/dataset/{slug}/tabel/versi/2"), &[])
        .await;
    assert_eq!(v2.status, StatusCode::OK, "{}", v2.text);
    assert!(
        v2.text.contains(&format!("/dataset/{slug}/tabel/versi/1")),
        "compared with v1"
    );
    assert!(v2.text.contains("class=\"added\"") || v2.text.contains("class=\"changed\""));
    assert!(v2.text.contains(">11<"), "{}", v2.text);
    let none = app
        .get(&format!("/dataset/{slug}/tabel/versi/9"), &[])
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn region_pages_gather_open_figures_only() {
    let app = spawn().await;
    let kec = app.get("/wilayah/16.06.01", &[]).await;
    assert_eq!(kec.status, StatusCode::OK);
    assert!(kec.text.contains("Sekayu"), "{}", kec.text);
    assert!(
        kec.text.contains(&app.fx.open.meta.title),
        "the open figure is listed"
    );
    assert!(
        !kec.text.contains(&app.fx.limited.meta.title),
        "restricted data never reaches a region page"
    );
    // 16.06.01 has 11 (the latest version), 16.06.02 has 20: rank 2 of 2.
    assert!(
        kec.text.contains(">11<") || kec.text.contains(">11 "),
        "{}",
        kec.text
    );
    assert!(kec.text.contains("2 dari 2"), "{}", kec.text);
    let kab = app.get("/wilayah/1606", &[]).await;
    assert_eq!(kab.status, StatusCode::OK);
    assert!(
        kab.text.contains("href=\"/wilayah/16.06.01\""),
        "children are linked"
    );
    assert!(
        kab.text.contains(">31<") || kab.text.contains(">31 "),
        "rolled up: 11 + 20\n{}",
        kab.text
    );
    let desa = app.get("/wilayah/16.06.01.2001", &[]).await;
    assert_eq!(desa.status, StatusCode::OK);
    assert!(desa.text.contains("Belum ada data terbuka"));
    for outside in ["/wilayah/32.01", "/wilayah/16.06.99", "/wilayah/bukan-kode"] {
        let r = app.get(outside, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{outside}");
        assert!(r.header("content-type").starts_with("text/html"));
    }
}

#[tokio::test]
async fn organisation_and_topic_pages_list_their_datasets() {
    let app = spawn().await;
    let orgs = app.get("/organisasi", &[]).await;
    assert!(orgs.text.contains("href=\"/organisasi/dinas-a\""));
    let a = app.get("/organisasi/dinas-a", &[]).await;
    assert!(a.text.contains(&app.fx.open.meta.title));
    assert!(!a.text.contains(&app.fx.closed.meta.title));
    assert!(a.text.contains("href=\"/kualitas/dinas-a\""));
    let topics = app.get("/topik", &[]).await;
    assert!(topics.text.contains("href=\"/topik/kesehatan\""));
    let t = app.get("/topik/kesehatan", &[]).await;
    assert!(t.text.contains(&app.fx.open.meta.title));
    assert_eq!(
        app.get("/topik/tidak-ada", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/organisasi/tidak-ada", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_language_switch_is_remembered() {
    let app = spawn().await;
    let id = app.get("/dataset", &[]).await;
    assert!(id.text.contains("<html lang=\"id\">"));
    assert!(
        id.text.contains("href=\"/dataset?lang=en\""),
        "the switch keeps the page"
    );
    let en = app.get("/dataset?lang=en", &[]).await;
    assert!(en.text.contains("<html lang=\"en\">"));
    assert!(en.text.contains("Find datasets"));
    let set = en.set_cookies();
    assert!(
        set.iter().any(|c| c.starts_with("satudata_lang=en")),
        "{set:?}"
    );
    let later = app.get("/topik", &[("cookie", "satudata_lang=en")]).await;
    assert!(later.text.contains("<html lang=\"en\">"));
    assert!(later.text.contains("Health"), "topic names in English");
    let back = app
        .get("/topik?lang=id", &[("cookie", "satudata_lang=en")])
        .await;
    assert!(back.text.contains("<html lang=\"id\">"));
}
