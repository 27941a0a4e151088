//! The upload wizard's region codes from names, over real HTTP with the job runner: a CSV that
//! names kecamatan and desa (no codes) is uploaded as a new table; the schema step shows the
//! suggested codes, a choice for a desa name two desa share, and the names with no match; once
//! the operator ticks the boxes, the import fills `kode_kecamatan` and `kode_desa` for every row,
//! and the published rows read back through the data API carry the codes. Without the tick, no
//! code column is added.

use std::collections::BTreeMap;

use reqwest::header::{CONTENT_TYPE, COOKIE};
use reqwest::StatusCode;
use satudata_core::dataset::{Resource, ResourceKind};
use satudata_core::region::{Level, RegionCode};
use satudata_formats::region_names::suggest_codes;
use satudata_store::jobs::JobStore as _;
use satudata_store::Store;
use serde_json::Value as Json;

use crate::common::{answer, spawn_with, App, Options, Who};
use crate::workspace::Browser;

/// Kecamatan and desa of the test home region (16.06, Musi Banyuasin) by name, under a title row.
/// "LAIS" is written in capitals; "Suka Maju" is the name of two desa (16.06.10.2005 in Plakat
/// Tinggi, 16.06.14.2001 in Babat Supat); "Atlantis" and "Entah" are no region at all.
const NAMES_CSV: &str = "Tabel 3. Jumlah sekolah menurut kecamatan dan desa\n\
Kecamatan,Desa,Tahun,Jumlah Sekolah\n\
Sekayu,Sukarami,2024,12\n\
LAIS,Petaling,2024,7\n\
Plakat Tinggi,Suka Maju,2024,5\n\
Atlantis,Entah,2024,1\n";

/// Stage the CSV for a new table of the open dataset; the wizard's schema page address.
async fn stage(produsen: &Browser<'_>, app: &App, title: &str) -> String {
    let staged = produsen
        .upload(
            &format!("/ruang-kerja/dataset/{}/unggah", app.fx.open.meta.slug),
            &[("tabel", "baru"), ("judul_tabel", title)],
            "sekolah.csv",
            NAMES_CSV.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(staged.status, StatusCode::SEE_OTHER, "{}", staged.text);
    staged.header("location").to_string()
}

/// The open dataset's table titled `title`.
async fn table_titled(app: &App, title: &str) -> Resource {
    app.store
        .list_resources(app.fx.open.id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.title == title)
        .unwrap_or_else(|| panic!("no table titled {title}"))
}

fn field_names(r: &Resource) -> Vec<String> {
    match &r.kind {
        ResourceKind::Table { schema } => schema.fields.iter().map(|f| f.name.clone()).collect(),
        _ => panic!("not a table"),
    }
}

#[tokio::test]
async fn confirmed_names_become_region_codes_in_every_row() {
    let app = spawn_with(Options {
        jobs: true,
        ..Options::default()
    })
    .await;
    let produsen = Browser::of(&app, Who::ProdusenOwn).await;
    let walidata = Browser::of(&app, Who::Walidata).await;
    let staging = stage(&produsen, &app, "Sekolah").await;

    // The schema step: the names, their suggested codes, the shared name's choice, the names not
    // found, and the boxes to tick — all shown by a GET that changes nothing.
    let seq = app.store.current_seq().await.unwrap();
    let page = produsen.get(&staging).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(app.store.current_seq().await.unwrap(), seq);
    let t = &page.text;
    assert!(t.contains("Kode wilayah dari nama"), "{t}");
    assert!(t.contains("<code>16.06.01</code>"), "{t}");
    assert!(t.contains("<th scope=\"row\">LAIS</th>"), "{t}");
    assert!(t.contains("<code>16.06.02</code>"), "{t}");
    assert!(t.contains("<code>16.06.01.2001</code>"), "{t}");
    assert!(t.contains("<th scope=\"row\">Atlantis</th>"), "{t}");
    assert!(t.contains("<th scope=\"row\">Entah</th>"), "{t}");
    assert!(
        t.contains("name=\"kode_0\" value=\"ya\">"),
        "the box is not ticked before the operator ticks it: {t}"
    );
    assert!(t.contains("<code>kode_kecamatan</code>"), "{t}");
    assert!(t.contains("<code>kode_desa</code>"), "{t}");
    // "Suka Maju": a choice between the two desa, with their kecamatan to tell them apart.
    let home = RegionCode::parse("16.06").unwrap();
    let desa = suggest_codes(
        &["Sukarami", "Petaling", "Suka Maju"],
        Level::Desa,
        Some(&home),
    );
    let k = desa.iter().position(|m| m.written == "Suka Maju").unwrap();
    assert!(!desa[k].exact);
    let choice = format!("kode_1_{k}");
    assert!(t.contains(&format!("name=\"{choice}\"")), "{t}");
    assert!(t.contains("<option value=\"16.06.10.2005\">"), "{t}");
    assert!(t.contains("Kecamatan Plakat Tinggi"), "{t}");
    assert!(t.contains("<option value=\"16.06.14.2001\">"), "{t}");

    // Without the CSRF token the confirmation changes nothing.
    let forged = [
        ("csrf_token", "salah"),
        ("baris", "2"),
        ("judul_tabel", "Sekolah"),
        ("kode_0", "ya"),
    ];
    let refused = answer(
        app.http
            .post(app.url(&staging))
            .header(COOKIE, &produsen.cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(forged).unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.current_seq().await.unwrap(), seq);

    // Confirmed: both columns, the second of the two "Suka Maju" chosen.
    let started = produsen
        .post(
            &staging,
            &[
                ("baris", "2"),
                ("judul_tabel", "Sekolah"),
                ("f2_tipe", "year"),
                ("f3_tipe", "integer"),
                ("kode_0", "ya"),
                ("kode_1", "ya"),
                (&choice, "16.06.10.2005"),
            ],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    let job_path = started.header("location").to_string();
    let done = produsen.finished_job(&job_path).await;
    assert!(done.text.contains("Berkas sah."), "{}", done.text);
    // The names left without a code are named on the job page (from the report's notes).
    assert!(
        done.text.contains("Catatan tentang berkas"),
        "{}",
        done.text
    );
    assert!(done.text.contains("Atlantis"), "{}", done.text);
    assert!(done.text.contains("Entah"), "{}", done.text);

    let table = table_titled(&app, "Sekolah").await;
    assert_eq!(
        field_names(&table),
        [
            "kecamatan",
            "desa",
            "tahun",
            "jumlah_sekolah",
            "kode_kecamatan",
            "kode_desa"
        ]
    );
    let ResourceKind::Table { schema } = &table.kind else {
        unreachable!()
    };
    assert_eq!(schema.fields[4].region_level, Some(Level::Kecamatan));
    assert_eq!(schema.fields[5].region_level, Some(Level::Desa));
    assert!(!schema.fields[4].constraints.required);

    // The mapping is kept in the job, so a re-run applies the same one.
    let job_id: satudata_core::Id = job_path.rsplit('/').next().unwrap().parse().unwrap();
    let job = app.store.get_job(job_id).await.unwrap().unwrap();
    let codes = &job.options["regionCodes"]["columns"];
    assert_eq!(codes[0]["codes"]["LAIS"], "16.06.02");
    assert_eq!(codes[1]["codes"]["Suka Maju"], "16.06.10.2005");

    // Submitted, approved and published; the data API gives the rows with their codes.
    let submitted = produsen
        .post(
            &format!("/ruang-kerja/versi/{}/1/ajukan", table.id),
            &[("kembali", &job_path)],
        )
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.text
    );
    for step in ["setujui", "terbitkan"] {
        let res = walidata
            .post(&format!("/ruang-kerja/versi/{}/1/{step}", table.id), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{step}: {}", res.text);
    }
    let rows = app
        .get(&format!("/api/v1/resources/{}/rows", table.id), &[])
        .await;
    assert_eq!(rows.status, StatusCode::OK, "{}", rows.text);
    let page = rows.json();
    let by_name: BTreeMap<String, (Json, Json)> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_string(),
                (r[4].clone(), r[5].clone()),
            )
        })
        .collect();
    let codes = |n: &str| by_name[n].clone();
    assert_eq!(by_name.len(), 4, "{page}");
    assert_eq!(codes("Sekayu"), ("16.06.01".into(), "16.06.01.2001".into()));
    assert_eq!(codes("LAIS"), ("16.06.02".into(), "16.06.02.2004".into()));
    assert_eq!(
        codes("Plakat Tinggi"),
        ("16.06.10".into(), "16.06.10.2005".into())
    );
    assert_eq!(codes("Atlantis"), (Json::Null, Json::Null));
}

#[tokio::test]
async fn without_the_tick_no_code_column_is_added() {
    let app = spawn_with(Options {
        jobs: true,
        ..Options::default()
    })
    .await;
    let produsen = Browser::of(&app, Who::ProdusenOwn).await;
    let staging = stage(&produsen, &app, "Sekolah tanpa kode").await;
    let page = produsen.get(&staging).await;
    assert!(
        page.text.contains("Kode wilayah dari nama"),
        "{}",
        page.text
    );
    // A choice for the shared name alone is no confirmation.
    let started = produsen
        .post(
            &staging,
            &[
                ("baris", "2"),
                ("judul_tabel", "Sekolah tanpa kode"),
                ("kode_1_2", "16.06.10.2005"),
            ],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    let job_path = started.header("location").to_string();
    let done = produsen.finished_job(&job_path).await;
    assert!(done.text.contains("Berkas sah."), "{}", done.text);
    assert!(!done.text.contains("Atlantis"), "{}", done.text);
    let table = table_titled(&app, "Sekolah tanpa kode").await;
    assert_eq!(
        field_names(&table),
        ["kecamatan", "desa", "tahun", "jumlah_sekolah"]
    );
    let job_id: satudata_core::Id = job_path.rsplit('/').next().unwrap().parse().unwrap();
    let job = app.store.get_job(job_id).await.unwrap().unwrap();
    assert!(
        job.options.get("regionCodes").is_none(),
        "{:?}",
        job.options
    );
}

/// The next year's file for the same table: names only again (no `kode_kecamatan` column).
const NAMES_2025_CSV: &str = "Tabel 3. Jumlah sekolah menurut kecamatan dan desa\n\
Kecamatan,Desa,Tahun,Jumlah Sekolah\n\
Sekayu,Sukarami,2025,13\n\
LAIS,Petaling,2025,8\n\
Plakat Tinggi,Suka Maju,2025,6\n";

/// Submit, approve and publish version `n` of `table`.
async fn publish(produsen: &Browser<'_>, walidata: &Browser<'_>, table: &Resource, n: u32) {
    let submitted = produsen
        .post(&format!("/ruang-kerja/versi/{}/{n}/ajukan", table.id), &[])
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.text
    );
    for step in ["setujui", "terbitkan"] {
        let res = walidata
            .post(&format!("/ruang-kerja/versi/{}/{n}/{step}", table.id), &[])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{step}: {}", res.text);
    }
}

/// Last year's import: the names-only CSV as a new table "Sekolah" with `kode_kecamatan` added
/// from the names (ticked), published as version 1.
async fn table_with_codes_from_names(
    app: &App,
    produsen: &Browser<'_>,
    walidata: &Browser<'_>,
) -> Resource {
    let staging = stage(produsen, app, "Sekolah").await;
    let started = produsen
        .post(
            &staging,
            &[
                ("baris", "2"),
                ("judul_tabel", "Sekolah"),
                ("f2_tipe", "year"),
                ("f3_tipe", "integer"),
                ("kode_0", "ya"),
            ],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    let done = produsen.finished_job(started.header("location")).await;
    assert!(done.text.contains("Berkas sah."), "{}", done.text);
    let table = table_titled(app, "Sekolah").await;
    assert_eq!(
        field_names(&table),
        [
            "kecamatan",
            "desa",
            "tahun",
            "jumlah_sekolah",
            "kode_kecamatan"
        ]
    );
    publish(produsen, walidata, &table, 1).await;
    table
}

/// Upload the next year's names-only file into `table`: the wizard stops at step 2 (the names to
/// confirm) instead of starting the import; its address.
async fn stage_next_year(produsen: &Browser<'_>, app: &App, table: &Resource) -> String {
    let staged = produsen
        .upload(
            &format!("/ruang-kerja/dataset/{}/unggah", app.fx.open.meta.slug),
            &[("tabel", &table.name), ("ringkasan", "Data 2025")],
            "sekolah-2025.csv",
            NAMES_2025_CSV.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(staged.status, StatusCode::SEE_OTHER, "{}", staged.text);
    let location = staged.header("location").to_string();
    assert!(
        location.contains("/unggah/"),
        "the names are shown for confirmation before any import: {location}"
    );
    location
}

#[tokio::test]
async fn an_existing_code_field_is_filled_from_names_once_confirmed() {
    let app = spawn_with(Options {
        jobs: true,
        ..Options::default()
    })
    .await;
    let produsen = Browser::of(&app, Who::ProdusenOwn).await;
    let walidata = Browser::of(&app, Who::Walidata).await;
    let table = table_with_codes_from_names(&app, &produsen, &walidata).await;
    let staging = stage_next_year(&produsen, &app, &table).await;

    // Step 2 shows the kecamatan names with their codes and the box to fill `kode_kecamatan`;
    // the desa names fill nothing (the table has no `kode_desa`). The GET changes nothing.
    let seq = app.store.current_seq().await.unwrap();
    let page = produsen.get(&staging).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(app.store.current_seq().await.unwrap(), seq);
    let t = &page.text;
    assert!(t.contains("Kode wilayah dari nama"), "{t}");
    assert!(t.contains("<code>16.06.02</code>"), "{t}");
    assert!(t.contains("<th scope=\"row\">LAIS</th>"), "{t}");
    assert!(t.contains("Isi kolom <code>kode_kecamatan</code>"), "{t}");
    assert!(
        t.contains("name=\"kode_0\" value=\"ya\">"),
        "not ticked before the operator ticks it: {t}"
    );
    assert!(!t.contains("name=\"kode_1\""), "{t}");

    // Without the CSRF token the confirmation changes nothing.
    let forged = [("csrf_token", "salah"), ("baris", "2"), ("kode_0", "ya")];
    let refused = answer(
        app.http
            .post(app.url(&staging))
            .header(COOKIE, &produsen.cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(forged).unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.current_seq().await.unwrap(), seq);
    // Nor may another organisation's produsen see or confirm it.
    let other = Browser::of(&app, Who::ProdusenOther).await;
    assert_eq!(other.get(&staging).await.status, StatusCode::FORBIDDEN);
    let refused = other
        .post(&staging, &[("baris", "2"), ("kode_0", "ya")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    assert_eq!(app.store.current_seq().await.unwrap(), seq);

    // Confirmed: the job fills the existing field; the schema stays as it was.
    let started = produsen
        .post(&staging, &[("baris", "2"), ("kode_0", "ya")])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    let job_path = started.header("location").to_string();
    let done = produsen.finished_job(&job_path).await;
    assert!(done.text.contains("Berkas sah."), "{}", done.text);
    let job_id: satudata_core::Id = job_path.rsplit('/').next().unwrap().parse().unwrap();
    let job = app.store.get_job(job_id).await.unwrap().unwrap();
    let codes = &job.options["regionCodes"]["columns"];
    assert_eq!(codes[0]["field"], "kode_kecamatan");
    assert_eq!(codes[0]["codes"]["LAIS"], "16.06.02");
    assert_eq!(codes.as_array().unwrap().len(), 1);
    let after = table_titled(&app, "Sekolah").await;
    assert_eq!(after.kind, table.kind, "no schema change");

    // Version 2, published, reads back with the codes.
    publish(&produsen, &walidata, &table, 2).await;
    let rows = app
        .get(&format!("/api/v1/resources/{}/rows", table.id), &[])
        .await;
    assert_eq!(rows.status, StatusCode::OK, "{}", rows.text);
    let page = rows.json();
    assert_eq!(page["version"], 2, "{page}");
    let by_name: BTreeMap<String, (Json, Json)> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_string(),
                (r[2].clone(), r[4].clone()),
            )
        })
        .collect();
    assert_eq!(by_name.len(), 3, "{page}");
    assert_eq!(by_name["Sekayu"], (2025.into(), "16.06.01".into()));
    assert_eq!(by_name["LAIS"], (2025.into(), "16.06.02".into()));
    assert_eq!(by_name["Plakat Tinggi"], (2025.into(), "16.06.10".into()));
}

#[tokio::test]
async fn without_the_tick_the_missing_code_column_is_reported() {
    let app = spawn_with(Options {
        jobs: true,
        ..Options::default()
    })
    .await;
    let produsen = Browser::of(&app, Who::ProdusenOwn).await;
    let walidata = Browser::of(&app, Who::Walidata).await;
    let table = table_with_codes_from_names(&app, &produsen, &walidata).await;
    let staging = stage_next_year(&produsen, &app, &table).await;
    let page = produsen.get(&staging).await;
    assert!(
        page.text.contains("Isi kolom <code>kode_kecamatan</code>"),
        "{}",
        page.text
    );
    // Not ticked: the file is checked as it is, and the missing column reported as before.
    let started = produsen.post(&staging, &[("baris", "2")]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    let job_path = started.header("location").to_string();
    let done = produsen.finished_job(&job_path).await;
    assert!(!done.text.contains("Berkas sah."), "{}", done.text);
    assert!(done.text.contains("kode_kecamatan"), "{}", done.text);
    assert!(done.text.contains("tidak ada di berkas"), "{}", done.text);
    let job_id: satudata_core::Id = job_path.rsplit('/').next().unwrap().parse().unwrap();
    let job = app.store.get_job(job_id).await.unwrap().unwrap();
    assert!(
        job.options.get("regionCodes").is_none(),
        "{:?}",
        job.options
    );
    assert_eq!(
        job.report.as_ref().unwrap()["errors"][0]["type"],
        "missing-label",
        "{:?}",
        job.report
    );
}

/// Upload `NAMES_CSV` to table `table` through the API with a bearer token, as a multipart form
/// with `regionCodes` when a mapping is given.
async fn api_upload(
    app: &App,
    table: satudata_core::Id,
    mapping: Option<String>,
) -> crate::common::Answer {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(NAMES_CSV.as_bytes().to_vec()).file_name("sekolah.csv"),
    );
    if let Some(m) = mapping {
        form = form.text("regionCodes", m);
    }
    answer(
        app.http
            .post(app.url(&format!(
                "/api/v1/resources/{table}/uploads?filename=sekolah.csv"
            )))
            .header(
                reqwest::header::AUTHORIZATION,
                format!("Bearer {}", app.fx.tokens[&Who::ProdusenOwn]),
            )
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The API's way to the same result: `POST /api/v1/infer` suggests codes for the names, the client
/// sends the mapping it confirmed with the file, and the job fills the table's region-code field
/// for every row. A mapping that does not fit the table or the file is refused before anything is
/// queued, saying what to fix.
#[tokio::test]
async fn the_api_fills_region_codes_from_the_mapping_sent_with_the_file() {
    let app = spawn_with(Options {
        jobs: true,
        ..Options::default()
    })
    .await;
    let infer_path = "/api/v1/infer?filename=sekolah.csv";
    let anon = app
        .call(
            Who::Anonymous,
            reqwest::Method::POST,
            infer_path,
            crate::common::Body::Csv(NAMES_CSV.into()),
        )
        .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED, "{}", anon.text);
    let inferred = app
        .call(
            Who::ProdusenOwn,
            reqwest::Method::POST,
            infer_path,
            crate::common::Body::Csv(NAMES_CSV.into()),
        )
        .await;
    assert_eq!(inferred.status, StatusCode::OK, "{}", inferred.text);
    let j = inferred.json();
    let kec = j["regionNames"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["level"] == "kecamatan")
        .unwrap_or_else(|| panic!("no kecamatan names: {j}"));
    assert_eq!(kec["label"], "Kecamatan", "{j}");
    let lais = kec["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["written"] == "LAIS")
        .unwrap_or_else(|| panic!("LAIS not matched: {kec}"));
    assert_eq!(lais["code"], "16.06.02");
    assert_eq!(kec["unmatched"], serde_json::json!(["Atlantis"]));

    // The table: the inferred schema plus the region-code field the names will fill.
    let mut schema: satudata_core::schema::TableSchema =
        serde_json::from_value(j["schema"].clone()).unwrap();
    let mut field = satudata_core::schema::Field::new(
        "kode_kecamatan",
        satudata_core::schema::FieldType::String,
    );
    field.region_level = Some(Level::Kecamatan);
    schema.fields.push(field);
    let table = app
        .store
        .create_resource(
            app.fx.open.id,
            satudata_core::dataset::NewResource {
                name: "sekolah-api".into(),
                title: "Sekolah (API)".into(),
                description: String::new(),
                kind: ResourceKind::Table { schema },
            },
            None,
        )
        .await
        .unwrap();

    // Refused, with what to fix; nothing queued.
    for (mapping, says) in [
        (
            r#"[{"field": "kode_desa", "codes": {}}]"#,
            "kolom 'kode_desa' tidak ada di tabel ini; kolom kode wilayahnya: kode_kecamatan",
        ),
        (
            r#"[{"field": "kode_kecamatan", "codes": {"Sekayu": "16.06.01.2001"}}]"#,
            "bukan kode kecamatan Kemendagri: Sekayu → 16.06.01.2001",
        ),
        (
            r#"[{"field": "kode_kecamatan", "names": "Kabupaten", "codes": {}}]"#,
            "kolom nama 'Kabupaten' tidak ada di berkas; kolom berkas: Kecamatan, Desa, Tahun, Jumlah Sekolah",
        ),
        (r#"{"field": "kode_kecamatan"}"#, "regionCodes bukan JSON"),
    ] {
        let refused = api_upload(&app, table.id, Some(mapping.into())).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{mapping}: {}",
            refused.text
        );
        assert!(refused.text.contains(says), "{mapping}: {}", refused.text);
    }
    let jobs = app
        .call(
            Who::ProdusenOwn,
            reqwest::Method::GET,
            &format!("/api/v1/jobs?resource={}", table.id),
            crate::common::Body::None,
        )
        .await;
    assert_eq!(jobs.json()["items"], serde_json::json!([]), "{}", jobs.text);
    let uploads = format!("uploads/{}", table.id);
    let kept = app.files.list(&uploads).await.unwrap();
    assert!(kept.is_empty(), "refused uploads are not kept: {kept:?}");

    // Accepted: codes with or without dots; the names column found from inference.
    let mapping = r#"[{"field": "kode_kecamatan", "codes": {"Sekayu": "160601", "LAIS": "16.06.02", "Plakat Tinggi": "16.06.10"}}]"#;
    let queued = api_upload(&app, table.id, Some(mapping.into())).await;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{}", queued.text);
    assert_eq!(
        app.files.list(&uploads).await.unwrap().len(),
        1,
        "the accepted upload is kept"
    );
    let job_path = queued.header("location").to_string();
    let mut job = queued.json();
    for _ in 0..600 {
        if job["state"] != "queued" && job["state"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        job = app
            .call(
                Who::ProdusenOwn,
                reqwest::Method::GET,
                &job_path,
                crate::common::Body::None,
            )
            .await
            .json();
    }
    assert_eq!(job["state"], "done", "{job}");
    let job_id: satudata_core::Id = job["id"].as_str().unwrap().parse().unwrap();
    let stored = app.store.get_job(job_id).await.unwrap().unwrap();
    let codes = &stored.options["regionCodes"]["columns"][0];
    assert_eq!(codes["field"], "kode_kecamatan");
    assert_eq!(codes["source"], 0);
    assert_eq!(codes["codes"]["Sekayu"], "16.06.01", "stored dotted");

    // Once published, the rows carry the codes; the name with no code has none.
    let produsen = Browser::of(&app, Who::ProdusenOwn).await;
    let walidata = Browser::of(&app, Who::Walidata).await;
    publish(&produsen, &walidata, &table, 1).await;
    let rows = app
        .get(&format!("/api/v1/resources/{}/rows", table.id), &[])
        .await;
    assert_eq!(rows.status, StatusCode::OK, "{}", rows.text);
    let page = rows.json();
    let by_name: BTreeMap<String, Json> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_string(), r[4].clone()))
        .collect();
    assert_eq!(by_name["Sekayu"], "16.06.01", "{page}");
    assert_eq!(by_name["LAIS"], "16.06.02", "{page}");
    assert_eq!(by_name["Plakat Tinggi"], "16.06.10", "{page}");
    assert_eq!(by_name["Atlantis"], Json::Null, "{page}");
}
