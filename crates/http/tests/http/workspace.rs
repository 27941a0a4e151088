//! The workspace over real HTTP, as a browser without JavaScript uses it: session cookie, forms
//! with the CSRF token, 303 redirects, a job page that reloads itself. The whole journey — a
//! produsen uploads a file with errors, sees them, uploads a fixed one and submits; the walidata
//! returns it with a note; the produsen fixes and resubmits; the walidata approves and publishes;
//! the public then sees the new version — plus CSRF and role refusals.

use reqwest::header::{CONTENT_TYPE, COOKIE};
use reqwest::{Method, StatusCode};
use satudata_store::{BoundaryStore, Store};

use crate::common::{answer, spawn_with, Answer, App, Body, Options, Who};

/// A browser logged in as one user: its session cookie and the session's CSRF token.
pub(crate) struct Browser<'a> {
    pub(crate) app: &'a App,
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

impl<'a> Browser<'a> {
    pub(crate) async fn of(app: &'a App, who: Who) -> Browser<'a> {
        let (id, csrf) = app.session_for(who).await;
        Browser {
            app,
            cookie: format!("{}={id}", satudata_http::SESSION_COOKIE),
            csrf,
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Answer {
        let req = self
            .app
            .http
            .get(self.app.url(path))
            .header(COOKIE, &self.cookie);
        answer(req.send().await.unwrap()).await
    }

    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut all = vec![("csrf_token", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let req = self
            .app
            .http
            .post(self.app.url(path))
            .header(COOKIE, &self.cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(&all).unwrap());
        answer(req.send().await.unwrap()).await
    }

    pub(crate) async fn upload(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        name: &str,
        bytes: Vec<u8>,
    ) -> Answer {
        let mut form = reqwest::multipart::Form::new().text("csrf_token", self.csrf.clone());
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        form = form.part(
            "berkas",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        let req = self
            .app
            .http
            .post(self.app.url(path))
            .header(COOKIE, &self.cookie)
            .multipart(form);
        answer(req.send().await.unwrap()).await
    }

    /// Follow a 303 (Post/Redirect/Get).
    pub(crate) async fn follow(&self, a: &Answer) -> Answer {
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
        self.get(a.header("location")).await
    }

    /// Load a job page until it stops reloading itself (the job ended).
    pub(crate) async fn finished_job(&self, path: &str) -> Answer {
        for _ in 0..600 {
            let page = self.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text);
            if !page.text.contains("http-equiv=\"refresh\"") {
                return page;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the job at {path} did not end");
    }
}

/// A workbook with a notes sheet first, then the data under a title row.
fn fixed_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let notes = wb.add_worksheet().set_name("Catatan").unwrap();
    notes.write(0, 0, "Data dari Dinas A, diperbaiki.").unwrap();
    let data = wb.add_worksheet().set_name("Data").unwrap();
    data.write(0, 0, "Tabel 1. Jumlah penduduk menurut kecamatan")
        .unwrap();
    for (c, h) in ["kode_kecamatan", "tahun", "jumlah"].iter().enumerate() {
        data.write(2, c as u16, *h).unwrap();
    }
    for (r, (kode, jumlah)) in [("16.06.01", 311), ("16.06.02", 422), ("16.06.03", 533)]
        .iter()
        .enumerate()
    {
        let row = 3 + r as u32;
        data.write(row, 0, *kode).unwrap();
        data.write(row, 1, 2024).unwrap();
        data.write(row, 2, *jumlah).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

const BAD_CSV: &str = "kode_kecamatan,tahun,jumlah\n16.06.01,2024,311\n16.06.02,2024,empat ratus\n16.06.03,2024,533\n";

#[tokio::test]
async fn the_whole_journey_through_the_workspace_forms() {
    let app = spawn_with(Options {
        jobs: true,
        ..Options::default()
    })
    .await;
    let produsen = Browser::of(&app, Who::ProdusenOwn).await;
    let walidata = Browser::of(&app, Who::Walidata).await;
    let org_a = app.fx.org_a.id.to_string();

    // The workspace lists the produsen's datasets with their latest version's state.
    let home = produsen.get("/ruang-kerja").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text.contains("terbuka-a"), "{}", home.text);

    // The metadata form: errors next to the fields, in Indonesian, values kept.
    let bad = produsen
        .post(
            "/ruang-kerja/dataset-baru",
            &[
                ("title", ""),
                ("slug", "Bukan Slug!"),
                ("organization_id", &org_a),
                ("periodicity", "tahunan"),
                ("access", "terbuka"),
                ("jenis", "statistik"),
                ("temporal_start", "20x4"),
                ("satuan", "jiwa"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("bukan tahun"), "{}", bad.text);
    assert!(
        bad.text.contains("id=\"temporal_start-galat\""),
        "{}",
        bad.text
    );
    assert!(
        bad.text
            .contains("aria-describedby=\"temporal_start-bantuan temporal_start-galat\""),
        "{}",
        bad.text
    );
    assert!(
        bad.text.contains("value=\"Bukan Slug!\""),
        "values are kept"
    );
    assert!(bad.text.contains("value=\"jiwa\""), "values are kept");
    let bad = produsen
        .post(
            "/ruang-kerja/dataset-baru",
            &[
                ("title", ""),
                ("slug", "Bukan Slug!"),
                ("organization_id", &org_a),
                ("periodicity", "tahunan"),
                ("access", "terbuka"),
                ("jenis", "statistik"),
            ],
        )
        .await;
    assert!(bad.text.contains("Judul wajib diisi."), "{}", bad.text);
    assert!(bad.text.contains("id=\"slug-galat\""), "{}", bad.text);
    let created = produsen
        .post(
            "/ruang-kerja/dataset-baru",
            &[
                ("title", "Penduduk per kecamatan"),
                ("slug", "penduduk-kecamatan"),
                ("organization_id", &org_a),
                ("description", "Jumlah penduduk menurut kecamatan."),
                ("topics", "kesehatan"),
                ("periodicity", "tahunan"),
                ("access", "terbuka"),
                ("jenis", "statistik"),
            ],
        )
        .await;
    let page = produsen.follow(&created).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Berhasil dibuat."), "{}", page.text);

    // Step 1: a CSV with an error, for a new table.
    let staged = produsen
        .upload(
            "/ruang-kerja/dataset/penduduk-kecamatan/unggah",
            &[
                ("tabel", "baru"),
                ("judul_tabel", "Penduduk"),
                ("ringkasan", "Data 2024"),
            ],
            "penduduk.csv",
            BAD_CSV.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(staged.status, StatusCode::SEE_OTHER, "{}", staged.text);
    let staging = staged.header("location").to_string();
    assert!(staging.contains("/unggah/"), "{staging}");
    // Steps 2 and 3: the preview, and the inferred schema to edit.
    let schema_page = produsen.get(&staging).await;
    assert_eq!(schema_page.status, StatusCode::OK);
    assert!(
        schema_page.text.contains("empat ratus"),
        "the preview shows the rows"
    );
    assert!(
        schema_page.text.contains("name=\"f2_tipe\""),
        "{}",
        schema_page.text
    );
    let started = produsen
        .post(
            &staging,
            &[
                ("baris", "1"),
                ("judul_tabel", "Penduduk"),
                ("f0_wilayah", "kecamatan"),
                ("f1_tipe", "year"),
                ("f2_tipe", "integer"),
                ("f2_satuan", "jiwa"),
            ],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    let job_path = started.header("location").to_string();
    assert!(
        job_path.starts_with("/ruang-kerja/pekerjaan/"),
        "{job_path}"
    );
    // Step 4: the report, the offending cell highlighted in its row, with the fix hint.
    let report = produsen.finished_job(&job_path).await;
    assert!(report.text.contains("Berkas belum sah"), "{}", report.text);
    assert!(
        report.text.contains("<td class=\"cell-error\">empat ratus"),
        "{}",
        report.text
    );
    assert!(report.text.contains("id=\"baris-3\""), "{}", report.text);
    let table = app
        .store
        .list_resources(
            app.store
                .get_dataset("penduduk-kecamatan")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap()
        .remove(0);
    assert!(app.store.list_versions(table.id).await.unwrap().is_empty());

    // The fixed file: a workbook with two sheets and a title row; the sheet step comes first.
    let staged = produsen
        .upload(
            "/ruang-kerja/dataset/penduduk-kecamatan/unggah",
            &[("tabel", &table.name)],
            "penduduk.xlsx",
            fixed_workbook(),
        )
        .await;
    assert_eq!(staged.status, StatusCode::SEE_OTHER, "{}", staged.text);
    let staging = staged.header("location").to_string();
    let sheets = produsen.get(&format!("{staging}?lembar=Data")).await;
    assert!(
        sheets.text.contains("<option value=\"Catatan\""),
        "{}",
        sheets.text
    );
    assert!(sheets.text.contains("kode_kecamatan"), "{}", sheets.text);
    // Choosing another sheet in the form finds that sheet's header row again (row 3 under the
    // title), rather than keeping the row of the sheet shown before.
    let switched = produsen
        .get(&format!(
            "{staging}?dari_lembar=Catatan&lembar=Data&baris=1"
        ))
        .await;
    assert!(
        switched
            .text
            .contains("name=\"baris\" min=\"1\" value=\"3\""),
        "{}",
        switched.text
    );
    let kept = produsen
        .get(&format!("{staging}?dari_lembar=Data&lembar=Data&baris=2"))
        .await;
    assert!(
        kept.text.contains("name=\"baris\" min=\"1\" value=\"2\""),
        "the operator's own choice on the same sheet stays: {}",
        kept.text
    );
    let started = produsen
        .post(&staging, &[("lembar", "Data"), ("baris", "3")])
        .await;
    let job_path = started.header("location").to_string();
    let done = produsen.finished_job(&job_path).await;
    assert!(done.text.contains("Berkas sah."), "{}", done.text);
    let submit_to = format!("/ruang-kerja/versi/{}/1/ajukan", table.id);
    assert!(done.text.contains(&submit_to), "{}", done.text);
    let submitted = produsen.post(&submit_to, &[("kembali", &job_path)]).await;
    let after = produsen.follow(&submitted).await;
    assert!(
        after.text.contains("Data diajukan ke walidata"),
        "{}",
        after.text
    );

    // The walidata's queue and review page: checks with reasons, every row added.
    let queue = walidata.get("/ruang-kerja/pemeriksaan").await;
    assert!(
        queue.text.contains("Penduduk per kecamatan"),
        "{}",
        queue.text
    );
    let review_path = format!("/ruang-kerja/pemeriksaan/{}/1", table.id);
    let review = walidata.get(&review_path).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(
        review.text.contains("Pemeriksaan otomatis"),
        "{}",
        review.text
    );
    assert_eq!(review.text.matches("<tr class=\"added\">").count(), 3);
    // A return needs a note.
    let return_to = format!("/ruang-kerja/versi/{}/1/kembalikan", table.id);
    let no_note = walidata.post(&return_to, &[("catatan", " ")]).await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    let returned = walidata
        .post(
            &return_to,
            &[
                ("catatan", "Isi satuan dan sumber data."),
                ("rinci0_kolom", "jumlah"),
                ("rinci0_baris", "2"),
                ("rinci0_teks", "Angka ini perlu dicek."),
                ("rinci1_kolom", "tahun"),
                ("rinci1_teks", "Tahun data?"),
                ("kembali", &review_path),
            ],
        )
        .await;
    assert!(walidata
        .follow(&returned)
        .await
        .text
        .contains("dikembalikan"));

    // The produsen is told, reads the note, fixes the metadata and resubmits.
    let home = produsen.get("/ruang-kerja").await;
    assert!(
        home.text.contains("Data dikembalikan untuk diperbaiki"),
        "{}",
        home.text
    );
    assert!(home.text.contains(&review_path), "{}", home.text);
    let notes = produsen.get(&review_path).await;
    assert!(
        notes.text.contains("Isi satuan dan sumber data."),
        "{}",
        notes.text
    );
    // The notes on one cell and on a column are shown with their place.
    assert!(
        notes
            .text
            .contains("<strong>Kolom jumlah, baris 2</strong>: Angka ini perlu dicek."),
        "{}",
        notes.text
    );
    assert!(
        notes
            .text
            .contains("<strong>Kolom tahun</strong>: Tahun data?"),
        "{}",
        notes.text
    );
    let form = produsen
        .get("/ruang-kerja/dataset/penduduk-kecamatan/metadata")
        .await;
    assert!(form.text.contains("value=\"Penduduk per kecamatan\""));
    let saved = produsen
        .post(
            "/ruang-kerja/dataset/penduduk-kecamatan/metadata",
            &[
                ("title", "Penduduk per kecamatan"),
                ("organization_id", &org_a),
                ("description", "Jumlah penduduk menurut kecamatan."),
                ("topics", "kesehatan"),
                ("periodicity", "tahunan"),
                ("access", "terbuka"),
                ("jenis", "statistik"),
                ("satuan", "jiwa"),
                ("source", "Dukcapil"),
            ],
        )
        .await;
    assert!(produsen
        .follow(&saved)
        .await
        .text
        .contains("Perubahan tersimpan."));
    let resubmitted = produsen
        .post(
            &format!("/ruang-kerja/versi/{}/1/ajukan-ulang", table.id),
            &[],
        )
        .await;
    assert!(produsen
        .follow(&resubmitted)
        .await
        .text
        .contains("diajukan ulang"));

    // A produsen cannot approve or publish.
    let refused = produsen
        .post(&format!("/ruang-kerja/versi/{}/1/terbitkan", table.id), &[])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.header("content-type").starts_with("text/html"));

    // The walidata approves and publishes; the public sees the new version.
    let public_before = app.get("/dataset/penduduk-kecamatan", &[]).await;
    assert!(!public_before.text.contains("16.06.03"));
    let approved = walidata
        .post(&format!("/ruang-kerja/versi/{}/1/setujui", table.id), &[])
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.text);
    let published = walidata
        .post(&format!("/ruang-kerja/versi/{}/1/terbitkan", table.id), &[])
        .await;
    assert!(walidata
        .follow(&published)
        .await
        .text
        .contains("Data terbit"));
    let public = app.get("/dataset/penduduk-kecamatan", &[]).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.text.contains("16.06.03"), "{}", public.text);
    assert!(public.text.contains("533"), "{}", public.text);
}

#[tokio::test]
async fn forms_without_the_csrf_token_change_nothing() {
    let app = spawn_with(Options::default()).await;
    let produsen = Browser::of(&app, Who::ProdusenOwn).await;
    let seq = app.store.current_seq().await.unwrap();
    let org_a = app.fx.org_a.id.to_string();
    let fields = [
        ("title", "Tanpa token"),
        ("slug", "tanpa-token"),
        ("organization_id", org_a.as_str()),
        ("periodicity", "tahunan"),
        ("access", "terbuka"),
        ("jenis", "statistik"),
    ];
    for token in ["", "salah"] {
        let mut all = vec![("csrf_token", token)];
        all.extend_from_slice(&fields);
        let res = answer(
            app.http
                .post(app.url("/ruang-kerja/dataset-baru"))
                .header(COOKIE, &produsen.cookie)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(&all).unwrap())
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{token:?}");
        assert!(res.header("content-type").starts_with("text/html"));
    }
    // A multipart upload without the token is refused before the file is stored.
    let res = answer(
        app.http
            .post(app.url("/ruang-kerja/dataset/terbuka-a/unggah"))
            .header(COOKIE, &produsen.cookie)
            .multipart(reqwest::multipart::Form::new().text("tabel", "tabel").part(
                "berkas",
                reqwest::multipart::Part::bytes(BAD_CSV.as_bytes().to_vec()).file_name("x.csv"),
            ))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.current_seq().await.unwrap(), seq);
    assert!(app
        .store
        .get_dataset("tanpa-token")
        .await
        .unwrap()
        .is_none());
    // With the token it works.
    let ok = produsen.post("/ruang-kerja/dataset-baru", &fields).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
}

#[tokio::test]
async fn the_workspace_asks_for_a_login_as_a_page() {
    let app = spawn_with(Options::default()).await;
    let res = app
        .call(Who::Anonymous, Method::GET, "/ruang-kerja", Body::None)
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.header("content-type").starts_with("text/html"));
    assert!(res.text.contains("/masuk"));
}

// ---------------------------------------------------------------- the route × role table

/// Fill in `<upload>`: a CSV staged for a new table of the open dataset (by the admin).
pub async fn materialise(app: &App, mut path: String, _who: Who, n: usize) -> String {
    if path.contains("<upload>") {
        let staged = app
            .call(
                Who::Admin,
                Method::POST,
                &format!("/ruang-kerja/dataset/{}/unggah", app.fx.open.meta.slug),
                Body::Multipart(
                    vec![
                        ("tabel", "baru".into()),
                        ("judul_tabel", format!("Tabel {n}")),
                    ],
                    "berkas",
                    format!("data-{n}.csv"),
                    crate::common::SAMPLE_CSV.as_bytes().to_vec(),
                ),
            )
            .await;
        assert_eq!(staged.status, StatusCode::SEE_OTHER, "{}", staged.text);
        let upload = staged
            .header("location")
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        path = path.replace("<upload>", &upload);
    }
    path
}

/// The bodies of the workspace's forms.
pub fn body(app: &App, method: &str, route: &str, n: usize) -> Option<Body> {
    let org_a = app.fx.org_a.id.to_string();
    let meta = |title: String, slug: String| {
        vec![
            ("title", title),
            ("slug", slug),
            ("organization_id", org_a.clone()),
            ("topics", "kesehatan".to_string()),
            ("periodicity", "tahunan".to_string()),
            ("access", "terbuka".to_string()),
            ("jenis", "statistik".to_string()),
        ]
    };
    Some(match (method, route) {
        ("POST", "/ruang-kerja/notifikasi/{id}/dibaca") => Body::Form(vec![]),
        ("POST", "/ruang-kerja/dataset-baru") => Body::Form(meta(
            format!("Dataset halaman {n}"),
            format!("dataset-halaman-{n}"),
        )),
        ("POST", "/ruang-kerja/dataset/{slug}/metadata") => Body::Form(meta(
            app.fx.open.meta.title.clone(),
            app.fx.open.meta.slug.clone(),
        )),
        ("POST", "/ruang-kerja/dataset/{slug}/unggah") => Body::Multipart(
            vec![
                ("tabel", "tabel".into()),
                ("ringkasan", format!("Unggahan {n}")),
            ],
            "berkas",
            format!("data-{n}.csv"),
            crate::common::SAMPLE_CSV.as_bytes().to_vec(),
        ),
        ("POST", "/ruang-kerja/dataset/{slug}/unggah/{upload}") => Body::Form(vec![
            ("baris", "1".into()),
            ("judul_tabel", format!("Tabel baru {n}")),
            ("f0_wilayah", "kecamatan".into()),
        ]),
        ("POST", "/ruang-kerja/versi/{id}/{number}/{aksi}") => {
            Body::Form(vec![("catatan", "Catatan uji.".into())])
        }
        ("POST", "/ruang-kerja/daftar-data/baru" | "/ruang-kerja/daftar-data/{id}") => {
            Body::Form(vec![
                ("year", "2026".into()),
                ("organization", "dinas-a".into()),
                ("title", format!("Rencana halaman {n}")),
                ("periodicity", "tahunan".into()),
                ("due_update", "2026-03-31".into()),
                ("due_release", "2026-04-30".into()),
                ("sources", "sdgs".into()),
            ])
        }
        ("POST", "/ruang-kerja/daftar-data/salin") => Body::Form(vec![("tahun", "2025".into())]),
        ("POST", "/ruang-kerja/daftar-data/impor") => Body::Multipart(
            vec![],
            "berkas",
            "daftar-data.xlsx".into(),
            crate::governance::plan_workbook(&[[
                "2026",
                "dinas-a",
                &format!("Impor halaman {n}"),
                "2026-06-30",
                "2026-07-31",
            ]]),
        ),
        ("POST", "/ruang-kerja/pengguna") => Body::Form(vec![
            ("username", format!("pengguna-halaman-{n}")),
            ("display_name", "Pengguna Halaman".into()),
            ("password", crate::common::PASSWORD.into()),
            ("role", "produsen".into()),
            ("organization", "dinas-b".into()),
        ]),
        ("POST", "/ruang-kerja/pengguna/{username}/peran") => Body::Form(vec![
            ("tetap", "dinas-b:produsen".into()),
            ("tambah_peran", "produsen".into()),
            ("tambah_organisasi", "dinas-a".into()),
        ]),
        ("POST", "/ruang-kerja/pengguna/{username}/status") => {
            Body::Form(vec![("nonaktif", "0".into())])
        }
        ("POST", "/ruang-kerja/organisasi") => Body::Form(vec![
            ("slug", format!("organisasi-halaman-{n}")),
            ("name", format!("Organisasi Halaman {n}")),
            ("kind", "opd".into()),
            ("region_code", "16.06".into()),
        ]),
        ("POST", "/ruang-kerja/telaah-metadata/{slug}") => {
            Body::Form(vec![("putusan", "sesuai".into()), ("catatan", "".into())])
        }
        ("POST", "/ruang-kerja/pengaturan/batas-wilayah") => Body::Multipart(
            vec![("level", "kecamatan".into())],
            "berkas",
            "batas.geojson".into(),
            serde_json::to_vec(&crate::visual::squares_geojson(&["16.06.03"])).unwrap(),
        ),
        ("POST", "/ruang-kerja/organisasi/{slug}") => Body::Form(vec![
            ("name", "Dinas A".into()),
            ("kind", "opd".into()),
            ("region_code", "16.06".into()),
        ]),
        _ => return None,
    })
}

#[tokio::test]
async fn the_walidata_keeps_the_daftar_data_and_the_admin_the_users() {
    let app = spawn_with(Options::default()).await;
    let walidata = Browser::of(&app, Who::Walidata).await;
    let item = [
        ("year", "2026"),
        ("organization", "dinas-a"),
        ("title", "Angka partisipasi sekolah"),
        ("periodicity", "tahunan"),
        ("due_update", "31-03-2026"),
        ("due_release", "2026-04-30"),
        ("sources", "spm"),
        ("priority", "ya"),
    ];
    let bad = walidata.post("/ruang-kerja/daftar-data/baru", &item).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("id=\"due_update-galat\""), "{}", bad.text);
    assert!(bad.text.contains("value=\"Angka partisipasi sekolah\""));
    let mut fixed = item;
    fixed[4] = ("due_update", "2026-03-31");
    let ok = walidata.post("/ruang-kerja/daftar-data/baru", &fixed).await;
    let list = walidata.follow(&ok).await;
    assert!(
        list.text.contains("Angka partisipasi sekolah"),
        "{}",
        list.text
    );
    assert!(list
        .text
        .contains("/api/v1/plan-items/export.xlsx?year=2026"));
    let copied = walidata
        .post("/ruang-kerja/daftar-data/salin", &[("tahun", "2026")])
        .await;
    let next = walidata.follow(&copied).await;
    assert!(next.text.contains("Daftar Data 2027"), "{}", next.text);
    assert!(next.text.contains("Angka partisipasi sekolah"));
    let dashboard = walidata.get("/ruang-kerja/kemutakhiran?tahun=2026").await;
    assert!(dashboard.text.contains("Angka partisipasi sekolah"));

    // The admin makes a produsen, gives a second role, then disables the account.
    let admin = Browser::of(&app, Who::Admin).await;
    let made = admin
        .post(
            "/ruang-kerja/pengguna",
            &[
                ("username", "operator-a"),
                ("display_name", "Operator A"),
                ("password", crate::common::PASSWORD),
                ("role", "produsen"),
                ("organization", "dinas-a"),
            ],
        )
        .await;
    let page = admin.follow(&made).await;
    assert!(page.text.contains("Operator A"), "{}", page.text);
    let roles = admin
        .post(
            "/ruang-kerja/pengguna/operator-a/peran",
            &[
                ("tetap", "dinas-a:produsen"),
                ("tambah_peran", "produsen"),
                ("tambah_organisasi", "dinas-b"),
            ],
        )
        .await;
    assert_eq!(roles.status, StatusCode::SEE_OTHER, "{}", roles.text);
    let user = app
        .store
        .get_user_by_username("operator-a")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.memberships.len(), 2);
    let off = admin
        .post(
            "/ruang-kerja/pengguna/operator-a/status",
            &[("nonaktif", "1")],
        )
        .await;
    assert!(admin
        .follow(&off)
        .await
        .text
        .contains("Akun dinonaktifkan."));
    assert!(
        app.store
            .get_user_by_username("operator-a")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    // A walidata may not manage users.
    let refused = walidata.get("/ruang-kerja/pengguna").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn uploads_abandoned_in_the_wizard_are_cleaned_up_and_used_ones_kept() {
    let app = spawn_with(Options {
        jobs: true,
        ..Options::default()
    })
    .await;
    let produsen = Browser::of(&app, Who::ProdusenOwn).await;
    let stage = |name: &'static str| {
        let produsen = &produsen;
        async move {
            let staged = produsen
                .upload(
                    "/ruang-kerja/dataset/terbuka-a/unggah",
                    &[("tabel", "baru"), ("judul_tabel", name)],
                    "penduduk.csv",
                    BAD_CSV.as_bytes().to_vec(),
                )
                .await;
            assert_eq!(staged.status, StatusCode::SEE_OTHER, "{}", staged.text);
            staged.header("location").to_string()
        }
    };
    let abandoned = stage("Ditinggal").await;
    let used = stage("Dipakai").await;
    let started = produsen
        .post(
            &used,
            &[
                ("baris", "1"),
                ("judul_tabel", "Dipakai"),
                ("f0_wilayah", "kecamatan"),
                ("f2_tipe", "integer"),
            ],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text);
    let job_path = started.header("location").to_string();
    produsen.finished_job(&job_path).await;

    // Fresh uploads are kept: the operator may come back to them within the week.
    let kept = satudata_http::clean_abandoned_uploads(&app.state, satudata_http::ABANDONED_AFTER)
        .await
        .unwrap();
    assert_eq!(kept, 0);
    assert_eq!(produsen.get(&abandoned).await.status, StatusCode::OK);

    // Once old enough, the abandoned one goes; the one a job was started from stays.
    let removed = satudata_http::clean_abandoned_uploads(&app.state, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    let gone = produsen.get(&abandoned).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.text);
    assert_eq!(produsen.get(&used).await.status, StatusCode::OK);
    let report = produsen.get(&job_path).await;
    assert!(
        report.text.contains("<td class=\"cell-error\">empat ratus"),
        "the job's report still reads its rows from the file: {}",
        report.text
    );
    let again = satudata_http::clean_abandoned_uploads(&app.state, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(again, 0, "idempotent");
}

#[tokio::test]
async fn the_admin_sees_the_settings_and_loads_boundaries_with_the_form() {
    let app = spawn_with(Options::default()).await;
    let admin = Browser::of(&app, Who::Admin).await;
    let page = admin.get("/ruang-kerja/pengaturan").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("Satu Data Uji"), "{}", page.text);
    assert!(page.text.contains("sqlite"), "{}", page.text);
    assert!(
        page.text
            .contains("href=\"/ruang-kerja/pengaturan\" aria-current=\"page\""),
        "{}",
        page.text
    );
    let kecamatan_row = |text: &str| -> String {
        let at = text
            .find("data-level=\"kecamatan\"")
            .expect("kecamatan row");
        text[at..at + text[at..].find("</tr>").unwrap()].to_string()
    };
    assert!(kecamatan_row(&page.text).contains("<td class=\"num\">0</td>"));

    // A file with a feature that matches no region: nothing is stored, and the page says which.
    let squares = crate::visual::squares_geojson(&["16.06.03", "99.99.99"]);
    let refused = admin
        .upload(
            "/ruang-kerja/pengaturan/batas-wilayah",
            &[("level", "kecamatan")],
            "batas.geojson",
            serde_json::to_vec(&squares).unwrap(),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert!(
        refused.text.contains("tidak ada yang disimpan"),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("fitur 2"), "{}", refused.text);
    assert!(app
        .store
        .list_boundaries("16.06", satudata_core::region::Level::Kecamatan, false)
        .await
        .unwrap()
        .is_empty());
    // Not GeoJSON at all.
    let junk = admin
        .upload(
            "/ruang-kerja/pengaturan/batas-wilayah",
            &[],
            "batas.geojson",
            b"kode,nama\n".to_vec(),
        )
        .await;
    assert_eq!(junk.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        junk.text.contains("id=\"berkas-galat\"") || junk.text.contains("GeoJSON"),
        "{}",
        junk.text
    );

    // With "store the matching ones", the good feature is stored and counted on the page.
    let loaded = admin
        .upload(
            "/ruang-kerja/pengaturan/batas-wilayah",
            &[("level", "kecamatan"), ("skip_unmatched", "ya")],
            "batas.geojson",
            serde_json::to_vec(&squares).unwrap(),
        )
        .await;
    assert_eq!(loaded.status, StatusCode::SEE_OTHER, "{}", loaded.text);
    let after = admin.follow(&loaded).await;
    assert!(
        after.text.contains("1 batas wilayah dimuat"),
        "{}",
        after.text
    );
    assert!(kecamatan_row(&after.text).contains("<td class=\"num\">1</td>"));
    assert_eq!(
        app.store
            .get_boundary("16.06.03")
            .await
            .unwrap()
            .unwrap()
            .level,
        satudata_core::region::Level::Kecamatan
    );

    // Only the admin: the walidata is refused, with a page.
    let walidata = Browser::of(&app, Who::Walidata).await;
    let refused = walidata.get("/ruang-kerja/pengaturan").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.header("content-type").starts_with("text/html"));
}

#[tokio::test]
async fn the_pembina_reviews_statistical_metadata_and_the_produsen_reads_the_verdict() {
    let app = spawn_with(Options::default()).await;
    let pembina = Browser::of(&app, Who::Pembina).await;
    let slug = app.fx.open.meta.slug.clone();
    let list = pembina.get("/ruang-kerja/telaah-metadata").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert!(list.text.contains(&app.fx.open.meta.title), "{}", list.text);
    assert!(
        list.text.contains("data-verdict=\"belum\""),
        "{}",
        list.text
    );
    let path = format!("/ruang-kerja/telaah-metadata/{slug}");
    let page = pembina.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("id=\"standar-data\""), "{}", page.text);
    assert!(page.text.contains("name=\"isian0\""), "{}", page.text);

    // "Needs fixes" needs a note; the choices are kept.
    let bad = pembina
        .post(&path, &[("putusan", "perlu_perbaikan"), ("catatan", " ")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.text.contains("Tulis catatan"), "{}", bad.text);
    assert!(
        bad.text.contains("value=\"perlu_perbaikan\" checked"),
        "{}",
        bad.text
    );
    let saved = pembina
        .post(
            &path,
            &[
                ("putusan", "perlu_perbaikan"),
                ("catatan", "Lengkapi konsep dan definisi."),
                ("isian0", "konsep"),
                ("isian0_teks", "Rujuk konsep BPS."),
            ],
        )
        .await;
    let after = pembina.follow(&saved).await;
    assert!(
        after.text.contains("Perubahan tersimpan."),
        "{}",
        after.text
    );
    assert!(
        after
            .text
            .contains("<strong>Konsep</strong>: Rujuk konsep BPS."),
        "{}",
        after.text
    );
    let list = pembina.get("/ruang-kerja/telaah-metadata").await;
    assert!(list.text.contains("data-verdict=\"perlu_perbaikan\""));

    // The produsen is told, and reads the verdict on the dataset's workspace page.
    let produsen = Browser::of(&app, Who::ProdusenOwn).await;
    let home = produsen.get("/ruang-kerja").await;
    assert!(
        home.text.contains(&format!("/ruang-kerja/dataset/{slug}")),
        "{}",
        home.text
    );
    let mine = produsen.get(&format!("/ruang-kerja/dataset/{slug}")).await;
    assert!(
        mine.text.contains("data-verdict=\"perlu_perbaikan\""),
        "{}",
        mine.text
    );
    assert!(mine.text.contains("Lengkapi konsep dan definisi."));
    // A produsen may not give verdicts.
    let refused = produsen.post(&path, &[("putusan", "sesuai")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
