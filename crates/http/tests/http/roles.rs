//! The route × role test: every route, with every principal, over HTTP; and the proof that no GET
//! changes state.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use satudata_core::dataset::{Access, NewResource, ResourceKind};
use satudata_store::{NewApiToken, Store};
use serde_json::json;

use crate::common::{sample_schema, spawn, table_dataset, App, Body, Who, PASSWORD, SAMPLE_CSV};

/// One route with sample parameters and who may use it.
struct Case {
    method: &'static str,
    /// The route as listed in `satudata_http::routes()`.
    route: &'static str,
    /// The path to request; `<name>` is replaced by a fixture value (see [`materialise`]).
    sample: &'static str,
    /// Allowed (`y`) or denied (`n`) for: anonymous, produsen of the owning organisation,
    /// produsen of another organisation, walidata, pembina, admin.
    allow: &'static str,
}

const fn case(
    method: &'static str,
    route: &'static str,
    sample: &'static str,
    allow: &'static str,
) -> Case {
    Case {
        method,
        route,
        sample,
        allow,
    }
}

#[rustfmt::skip]
const CASES: &[Case] = &[
    //    method    route                                          sample                                         anon own other wali pemb admin
    case("GET",    "/",                                            "/?q=penduduk",                                "yyyyyy"),
    case("GET",    "/tentang",                                     "/tentang",                                    "yyyyyy"),
    case("GET",    "/tentang/lisensi-wilayah",                     "/tentang/lisensi-wilayah",                    "yyyyyy"),
    case("GET",    "/masuk",                                       "/masuk",                                      "yyyyyy"),
    case("POST",   "/masuk",                                       "/masuk",                                      "yyyyyy"),
    case("POST",   "/keluar",                                      "/keluar",                                     "yyyyyy"),
    case("GET",    "/static/satudata.css",                         "/static/satudata.css",                        "yyyyyy"),
    case("GET",    "/dataset",                                     "/dataset?q=uji&akses=terbuka&halaman=1",      "yyyyyy"),
    case("GET",    "/organisasi",                                  "/organisasi",                                 "yyyyyy"),
    case("GET",    "/organisasi/{slug}",                           "/organisasi/dinas-a?lang=en",                 "yyyyyy"),
    case("GET",    "/topik",                                       "/topik",                                      "yyyyyy"),
    case("GET",    "/kode-referensi",                              "/kode-referensi",                             "yyyyyy"),
    case("GET",    "/kode-referensi/{slug}",                       "/kode-referensi/jenis-kelamin",               "yyyyyy"),
    case("GET",    "/topik/{slug}",                                "/topik/kesehatan",                            "yyyyyy"),
    case("GET",    "/wilayah/{code}",                              "/wilayah/16.06.01.2001",                      "yyyyyy"),
    // The workspace (issue 6). `<upload>` is a file staged for a new table of the open dataset.
    case("GET",    "/ruang-kerja",                                 "/ruang-kerja",                                "nyyyyy"),
    case("POST",   "/ruang-kerja/notifikasi/{id}/dibaca",          "/ruang-kerja/notifikasi/<own_notification>/dibaca", "nyyyyy"),
    case("GET",    "/ruang-kerja/dataset-baru",                    "/ruang-kerja/dataset-baru",                   "nyyyny"),
    case("POST",   "/ruang-kerja/dataset-baru",                    "/ruang-kerja/dataset-baru",                   "nynyny"),
    case("GET",    "/ruang-kerja/dataset/{slug}",                  "/ruang-kerja/dataset/<open>",                 "nynyyy"),
    case("GET",    "/ruang-kerja/dataset/{slug}",                  "/ruang-kerja/dataset/<closed>",               "nynyyy"),
    case("GET",    "/ruang-kerja/dataset/{slug}/metadata",         "/ruang-kerja/dataset/<open>/metadata",        "nynyny"),
    case("POST",   "/ruang-kerja/dataset/{slug}/metadata",         "/ruang-kerja/dataset/<open>/metadata",        "nynyny"),
    case("GET",    "/ruang-kerja/dataset/{slug}/unggah",           "/ruang-kerja/dataset/<open>/unggah?tabel=tabel", "nynyny"),
    case("POST",   "/ruang-kerja/dataset/{slug}/unggah",           "/ruang-kerja/dataset/<open>/unggah",          "nynyny"),
    case("GET",    "/ruang-kerja/dataset/{slug}/unggah/{upload}",  "/ruang-kerja/dataset/<open>/unggah/<upload>?baris=1", "nynyny"),
    case("POST",   "/ruang-kerja/dataset/{slug}/unggah/{upload}",  "/ruang-kerja/dataset/<open>/unggah/<upload>", "nynyny"),
    case("GET",    "/ruang-kerja/pekerjaan/{id}",                  "/ruang-kerja/pekerjaan/<open_job>",           "nynyny"),
    case("GET",    "/ruang-kerja/pemeriksaan",                     "/ruang-kerja/pemeriksaan?status=diajukan",    "nnnyny"),
    case("GET",    "/ruang-kerja/pemeriksaan/{id}/{number}",       "/ruang-kerja/pemeriksaan/<open_table>/2",     "nynyyy"),
    case("GET",    "/ruang-kerja/pemeriksaan/{id}/{number}",       "/ruang-kerja/pemeriksaan/<closed_table>/1",   "nynyny"),
    case("POST",   "/ruang-kerja/versi/{id}/{number}/{aksi}",      "/ruang-kerja/versi/<open_table>/<draft_v>/ajukan", "nynyny"),
    case("POST",   "/ruang-kerja/versi/{id}/{number}/{aksi}",      "/ruang-kerja/versi/<open_table>/<returned_v>/ajukan-ulang",  "nynyny"),
    case("POST",   "/ruang-kerja/versi/{id}/{number}/{aksi}",      "/ruang-kerja/versi/<open_table>/<submitted_v>/kembalikan", "nnnyny"),
    case("POST",   "/ruang-kerja/versi/{id}/{number}/{aksi}",      "/ruang-kerja/versi/<open_table>/<submitted_v>/terbitkan", "nnnyny"),
    case("GET",    "/ruang-kerja/daftar-data",                     "/ruang-kerja/daftar-data?tahun=2025&organisasi=dinas-a", "nyyyyy"),
    case("GET",    "/ruang-kerja/daftar-data/baru",                "/ruang-kerja/daftar-data/baru?tahun=2026",    "nnnyny"),
    case("POST",   "/ruang-kerja/daftar-data/baru",                "/ruang-kerja/daftar-data/baru",               "nnnyny"),
    case("POST",   "/ruang-kerja/daftar-data/salin",               "/ruang-kerja/daftar-data/salin",              "nnnyny"),
    case("POST",   "/ruang-kerja/daftar-data/impor",               "/ruang-kerja/daftar-data/impor",              "nnnyny"),
    case("GET",    "/ruang-kerja/daftar-data/{id}",                "/ruang-kerja/daftar-data/<plan_item>",        "nnnyny"),
    case("POST",   "/ruang-kerja/daftar-data/{id}",                "/ruang-kerja/daftar-data/<plan_item>",        "nnnyny"),
    case("GET",    "/ruang-kerja/kemutakhiran",                    "/ruang-kerja/kemutakhiran?tahun=2025",        "nyyyyy"),
    case("GET",    "/ruang-kerja/pengguna",                        "/ruang-kerja/pengguna",                       "nnnnny"),
    case("POST",   "/ruang-kerja/pengguna",                        "/ruang-kerja/pengguna",                       "nnnnny"),
    case("GET",    "/ruang-kerja/pengguna/{username}",             "/ruang-kerja/pengguna/sasaran",               "nnnnny"),
    case("POST",   "/ruang-kerja/pengguna/{username}/peran",       "/ruang-kerja/pengguna/sasaran/peran",         "nnnnny"),
    case("POST",   "/ruang-kerja/pengguna/{username}/status",      "/ruang-kerja/pengguna/sasaran/status",        "nnnnny"),
    case("GET",    "/ruang-kerja/organisasi",                      "/ruang-kerja/organisasi",                     "nnnyny"),
    case("POST",   "/ruang-kerja/organisasi",                      "/ruang-kerja/organisasi",                     "nnnyny"),
    case("GET",    "/ruang-kerja/organisasi/{slug}",               "/ruang-kerja/organisasi/dinas-a",             "nnnyny"),
    case("POST",   "/ruang-kerja/organisasi/{slug}",               "/ruang-kerja/organisasi/dinas-a",             "nnnyny"),
    case("GET",    "/ruang-kerja/telaah-metadata",                 "/ruang-kerja/telaah-metadata",                "nnnnyy"),
    case("GET",    "/ruang-kerja/telaah-metadata/{slug}",          "/ruang-kerja/telaah-metadata/<open>",         "nnnnyy"),
    case("POST",   "/ruang-kerja/telaah-metadata/{slug}",          "/ruang-kerja/telaah-metadata/<open>",         "nnnnyy"),
    case("GET",    "/ruang-kerja/pengaturan",                      "/ruang-kerja/pengaturan",                     "nnnnny"),
    case("POST",   "/ruang-kerja/pengaturan/batas-wilayah",        "/ruang-kerja/pengaturan/batas-wilayah",       "nnnnny"),
    case("GET",    "/healthz",                                     "/healthz",                                    "yyyyyy"),
    case("GET",    "/api/v1/openapi.json",                         "/api/v1/openapi.json",                        "yyyyyy"),
    case("GET",    "/api/v1/regions",                              "/api/v1/regions?q=sekayu&level=kecamatan",    "yyyyyy"),
    case("GET",    "/api/v1/regions/{code}",                       "/api/v1/regions/1606012001",                  "yyyyyy"),
    case("GET",    "/api/v1/regions/{code}/children",              "/api/v1/regions/16.06/children",              "yyyyyy"),
    case("GET",    "/api/v1/organizations",                        "/api/v1/organizations?kind=opd",              "yyyyyy"),
    case("POST",   "/api/v1/organizations",                        "/api/v1/organizations",                       "nnnyny"),
    case("GET",    "/api/v1/organizations/{slug}",                 "/api/v1/organizations/dinas-a",               "yyyyyy"),
    case("PUT",    "/api/v1/organizations/{slug}",                 "/api/v1/organizations/dinas-a",               "nnnyny"),
    case("GET",    "/api/v1/topics",                               "/api/v1/topics",                              "yyyyyy"),
    case("POST",   "/api/v1/topics",                               "/api/v1/topics",                              "nnnyny"),
    case("GET",    "/api/v1/codelists",                            "/api/v1/codelists",                           "yyyyyy"),
    case("POST",   "/api/v1/codelists",                            "/api/v1/codelists",                           "nnnyny"),
    case("GET",    "/api/v1/codelists/{slug}",                     "/api/v1/codelists/jenis-kelamin?version=1",   "yyyyyy"),
    case("GET",    "/api/v1/datasets",                             "/api/v1/datasets?organization=dinas-a",       "yyyyyy"),
    case("POST",   "/api/v1/datasets",                             "/api/v1/datasets",                            "nynyny"),
    case("GET",    "/api/v1/datasets/{slug}",                      "/api/v1/datasets/<open>",                     "yyyyyy"),
    case("GET",    "/api/v1/datasets/{slug}",                      "/api/v1/datasets/<limited>",                  "yyyyyy"),
    case("GET",    "/api/v1/datasets/{slug}",                      "/api/v1/datasets/<closed>",                   "nynyyy"),
    case("PUT",    "/api/v1/datasets/{slug}",                      "/api/v1/datasets/<open>",                     "nynyny"),
    case("DELETE", "/api/v1/datasets/{slug}",                      "/api/v1/datasets/<fresh_dataset>",            "nnnyny"),
    case("GET",    "/api/v1/datasets/{slug}/resources",            "/api/v1/datasets/<open>/resources",           "yyyyyy"),
    case("GET",    "/api/v1/datasets/{slug}/resources",            "/api/v1/datasets/<closed>/resources",         "nynyyy"),
    case("POST",   "/api/v1/datasets/{slug}/resources",            "/api/v1/datasets/<open>/resources",           "nynyny"),
    case("GET",    "/api/v1/datasets/{slug}/rows",                 "/api/v1/datasets/<open>/rows?tahun=2023",     "yyyyyy"),
    case("GET",    "/api/v1/datasets/{slug}/rows",                 "/api/v1/datasets/<limited>/rows",             "nynyyy"),
    case("GET",    "/api/v1/datasets/{slug}/rows",                 "/api/v1/datasets/<closed>/rows",              "nynyny"),
    case("GET",    "/api/v1/datasets/{slug}/aggregate",            "/api/v1/datasets/<open>/aggregate?rollup=kabupaten&sum=jumlah", "yyyyyy"),
    case("GET",    "/api/v1/datasets/{slug}/aggregate",            "/api/v1/datasets/<limited>/aggregate?count",  "nynyyy"),
    case("GET",    "/api/v1/datasets/{slug}/aggregate",            "/api/v1/datasets/<closed>/aggregate?count",   "nynyny"),
    case("GET",    "/api/v1/resources/{id}",                       "/api/v1/resources/<open_table>",              "yyyyyy"),
    case("GET",    "/api/v1/resources/{id}",                       "/api/v1/resources/<closed_table>",            "nynyyy"),
    case("DELETE", "/api/v1/resources/{id}",                       "/api/v1/resources/<fresh_resource>",          "nynyny"),
    case("GET",    "/api/v1/resources/{id}/versions",              "/api/v1/resources/<open_table>/versions",     "yyyyyy"),
    case("GET",    "/api/v1/resources/{id}/versions",              "/api/v1/resources/<closed_table>/versions",   "nynyyy"),
    case("POST",   "/api/v1/resources/{id}/versions",              "/api/v1/resources/<open_table>/versions",     "nynyny"),
    case("POST",   "/api/v1/datasets/{slug}/attachments",          "/api/v1/datasets/<open>/attachments?filename=catatan.txt", "nynyny"),
    case("GET",    "/api/v1/resources/{id}/file",                  "/api/v1/resources/<open_file>/file",          "yyyyyy"),
    case("GET",    "/api/v1/resources/{id}/file",                  "/api/v1/resources/<closed_file>/file",        "nynyny"),
    case("POST",   "/api/v1/resources/{id}/uploads",               "/api/v1/resources/<open_table>/uploads?filename=data.csv", "nynyny"),
    case("POST",   "/api/v1/infer",                                "/api/v1/infer?filename=data.csv",             "nyyyyy"),
    case("GET",    "/api/v1/jobs",                                 "/api/v1/jobs?resource=<open_table>",          "nynyny"),
    case("GET",    "/api/v1/jobs/{id}",                            "/api/v1/jobs/<open_job>",                     "nynyny"),
    case("POST",   "/api/v1/jobs/{id}/cancel",                     "/api/v1/jobs/<open_job>/cancel",              "nynyny"),
    case("GET",    "/api/v1/resources/{id}/versions/{number}",     "/api/v1/resources/<open_table>/versions/1",   "yyyyyy"),
    case("GET",    "/api/v1/resources/{id}/versions/{number}",     "/api/v1/resources/<closed_table>/versions/1", "nynyyy"),
    case("GET",    "/api/v1/resources/{id}/rows",                  "/api/v1/resources/<open_table>/rows?sort=-jumlah&limit=1", "yyyyyy"),
    case("GET",    "/api/v1/resources/{id}/rows",                  "/api/v1/resources/<closed_table>/rows",       "nynyny"),
    case("GET",    "/api/v1/resources/{id}/aggregate",             "/api/v1/resources/<open_table>/aggregate?group_by=tahun&count&max=jumlah", "yyyyyy"),
    case("GET",    "/api/v1/resources/{id}/aggregate",             "/api/v1/resources/<closed_table>/aggregate?count", "nynyny"),
    case("GET",    "/api/v1/me",                                   "/api/v1/me",                                  "nyyyyy"),
    case("GET",    "/api/v1/me/tokens",                            "/api/v1/me/tokens",                           "nyyyyy"),
    case("POST",   "/api/v1/me/tokens",                            "/api/v1/me/tokens",                           "nyyyyy"),
    case("DELETE", "/api/v1/me/tokens/{id}",                       "/api/v1/me/tokens/<own_token>",               "nyyyyy"),
    case("GET",    "/api/v1/users",                                "/api/v1/users",                               "nnnyny"),
    case("POST",   "/api/v1/users",                                "/api/v1/users",                               "nnnnny"),
    case("PUT",    "/api/v1/users/{username}/roles",               "/api/v1/users/sasaran/roles",                 "nnnnny"),
    case("GET",    "/api/v1/changes",                              "/api/v1/changes?since=0&limit=5",             "nnnyny"),
    // CKAN-compatible API: one route per prefix and method; the actions' own rules are tested in ckan.rs.
    case("GET",    "/api/3/action/{name}",                         "/api/3/action/package_show?id=<open>",        "yyyyyy"),
    case("POST",   "/api/3/action/{name}",                         "/api/3/action/package_search",                "yyyyyy"),
    case("GET",    "/api/action/{name}",                           "/api/action/status_show",                     "yyyyyy"),
    case("POST",   "/api/action/{name}",                           "/api/action/organization_list",               "yyyyyy"),
    // DCAT, data.json, Data Packages and downloads.
    case("GET",    "/catalog.ttl",                                 "/catalog.ttl",                                "yyyyyy"),
    case("GET",    "/catalog.jsonld",                              "/catalog.jsonld?page=1",                      "yyyyyy"),
    case("GET",    "/catalog.rdf",                                 "/catalog.rdf",                                "yyyyyy"),
    case("GET",    "/data.json",                                   "/data.json",                                  "yyyyyy"),
    case("GET",    "/dataset/{file}",                              "/dataset/<open>.ttl",                         "yyyyyy"),
    case("GET",    "/dataset/{file}",                              "/dataset/<closed>.jsonld",                    "nynyyy"),
    case("GET",    "/dataset/{file}",                              "/dataset/<open>?urut=-tahun&hal=1",           "yyyyyy"),
    case("GET",    "/dataset/{file}",                              "/dataset/<closed>",                           "nynyyy"),
    case("GET",    "/dataset/{slug}/{table}/versi/{number}",       "/dataset/<open>/tabel/versi/1",               "yyyyyy"),
    case("GET",    "/dataset/{slug}/{table}/versi/{number}",       "/dataset/<closed>/tabel/versi/1",             "nynyny"),
    case("GET",    "/dataset/{slug}/datapackage.json",             "/dataset/<open>/datapackage.json",            "yyyyyy"),
    case("GET",    "/dataset/{slug}/datapackage.json",             "/dataset/<closed>/datapackage.json",          "nynyny"),
    case("GET",    "/dataset/{slug}/datapackage.zip",              "/dataset/<open>/datapackage.zip",             "yyyyyy"),
    case("GET",    "/dataset/{slug}/datapackage.zip",              "/dataset/<limited>/datapackage.zip",          "nynyyy"),
    case("GET",    "/dataset/{slug}/{file}",                       "/dataset/<open>/tabel.csv?bom=1",             "yyyyyy"),
    case("GET",    "/dataset/{slug}/{file}",                       "/dataset/<open>/tabel.xlsx?version=1",        "yyyyyy"),
    case("GET",    "/dataset/{slug}/{file}",                       "/dataset/<open>/tabel.schema.json",           "yyyyyy"),
    case("GET",    "/dataset/{slug}/{file}",                       "/dataset/<limited>/tabel.json",               "nynyyy"),
    case("GET",    "/dataset/{slug}/{file}",                       "/dataset/<closed>/tabel.csv",                 "nynyny"),
    case("GET",    "/dataset/{slug}/{table}/grafik.svg",           "/dataset/<open>/tabel/grafik.svg",            "yyyyyy"),
    case("GET",    "/dataset/{slug}/{table}/grafik.svg",           "/dataset/<closed>/tabel/grafik.svg",          "nynyny"),
    case("GET",    "/dataset/{slug}/{table}/grafik.png",           "/dataset/<open>/tabel/grafik.png",            "yyyyyy"),
    case("GET",    "/dataset/{slug}/{table}/grafik.png",           "/dataset/<limited>/tabel/grafik.png",         "nynyyy"),
    case("GET",    "/dataset/{slug}/{table}/peta.svg",             "/dataset/<open>/tabel/peta.svg",              "yyyyyy"),
    case("GET",    "/dataset/{slug}/{table}/peta.svg",             "/dataset/<closed>/tabel/peta.svg",            "nynyny"),
    case("GET",    "/dataset/{slug}/{table}/peta.png",             "/dataset/<limited>/tabel/peta.png",           "nynyyy"),
    case("POST",   "/api/v1/boundaries",                           "/api/v1/boundaries?level=kecamatan",          "nnnnny"),
    case("GET",    "/api/v1/boundaries/{code}",                    "/api/v1/boundaries/16.06?level=kecamatan",    "yyyyyy"),
    // Governance (issue 4). `<draft_v>`, `<submitted_v>` and `<returned_v>` are fresh versions of the
    // open table in that state, one per try.
    case("GET",    "/kemutakhiran",                                "/kemutakhiran?tahun=2026",                    "yyyyyy"),
    case("GET",    "/kalender-rilis",                              "/kalender-rilis",                             "yyyyyy"),
    case("GET",    "/kualitas",                                    "/kualitas",                                   "yyyyyy"),
    case("GET",    "/kualitas/{slug}",                             "/kualitas/dinas-a",                           "yyyyyy"),
    case("POST",   "/api/v1/resources/{id}/versions/{number}/submit",   "/api/v1/resources/<open_table>/versions/<draft_v>/submit",       "nynyny"),
    case("POST",   "/api/v1/resources/{id}/versions/{number}/resubmit", "/api/v1/resources/<open_table>/versions/<returned_v>/resubmit",  "nynyny"),
    case("POST",   "/api/v1/resources/{id}/versions/{number}/return",   "/api/v1/resources/<open_table>/versions/<submitted_v>/return",   "nnnyny"),
    case("POST",   "/api/v1/resources/{id}/versions/{number}/approve",  "/api/v1/resources/<open_table>/versions/<submitted_v>/approve",  "nnnyny"),
    case("POST",   "/api/v1/resources/{id}/versions/{number}/publish",  "/api/v1/resources/<open_table>/versions/<submitted_v>/publish",  "nnnyny"),
    case("POST",   "/api/v1/resources/{id}/versions/{number}/withdraw", "/api/v1/resources/<open_table>/versions/<submitted_v>/withdraw", "nynyny"),
    case("POST",   "/api/v1/resources/{id}/versions/{number}/archive",  "/api/v1/resources/<open_table>/versions/<returned_v>/archive",   "nnnyny"),
    case("GET",    "/api/v1/resources/{id}/versions/{number}/review",   "/api/v1/resources/<open_table>/versions/2/review",               "nynyyy"),
    case("GET",    "/api/v1/resources/{id}/versions/{number}/review",   "/api/v1/resources/<closed_table>/versions/1/review",             "nynyny"),
    case("GET",    "/api/v1/resources/{id}/diff",                  "/api/v1/resources/<open_table>/diff?from=1&to=2", "yyyyyy"),
    case("GET",    "/api/v1/resources/{id}/diff",                  "/api/v1/resources/<closed_table>/diff?from=0&to=1", "nynyny"),
    case("GET",    "/api/v1/review/queue",                         "/api/v1/review/queue",                        "nnnyny"),
    case("GET",    "/api/v1/review/metadata",                      "/api/v1/review/metadata",                     "nnnnyy"),
    case("GET",    "/api/v1/datasets/{slug}/metadata-reviews",     "/api/v1/datasets/<open>/metadata-reviews",    "nynyyy"),
    case("POST",   "/api/v1/datasets/{slug}/metadata-reviews",     "/api/v1/datasets/<open>/metadata-reviews",    "nnnnyy"),
    case("GET",    "/api/v1/plan-items",                           "/api/v1/plan-items?year=2026",                "yyyyyy"),
    case("POST",   "/api/v1/plan-items",                           "/api/v1/plan-items",                          "nnnyny"),
    case("GET",    "/api/v1/plan-items/export.xlsx",               "/api/v1/plan-items/export.xlsx?year=2026",    "yyyyyy"),
    case("POST",   "/api/v1/plan-items/import",                    "/api/v1/plan-items/import",                   "nnnyny"),
    case("POST",   "/api/v1/plan-items/copy-forward",              "/api/v1/plan-items/copy-forward",             "nnnyny"),
    case("GET",    "/api/v1/plan-items/{id}",                      "/api/v1/plan-items/<any_plan_item>",          "yyyyyy"),
    case("PUT",    "/api/v1/plan-items/{id}",                      "/api/v1/plan-items/<plan_item>",              "nnnyny"),
    case("DELETE", "/api/v1/plan-items/{id}",                      "/api/v1/plan-items/<plan_item>",              "nnnyny"),
    case("GET",    "/api/v1/release-calendar",                     "/api/v1/release-calendar?year=2026",          "yyyyyy"),
    case("GET",    "/api/v1/kemutakhiran",                         "/api/v1/kemutakhiran?year=2026",              "yyyyyy"),
    case("GET",    "/api/v1/kemutakhiran/export.xlsx",             "/api/v1/kemutakhiran/export.xlsx",            "yyyyyy"),
    case("POST",   "/api/v1/kemutakhiran/reminders",               "/api/v1/kemutakhiran/reminders",              "nnnyny"),
    case("GET",    "/api/v1/quality/organizations",                "/api/v1/quality/organizations",               "yyyyyy"),
    case("GET",    "/api/v1/quality/organizations/{slug}",         "/api/v1/quality/organizations/dinas-a",       "yyyyyy"),
    case("GET",    "/api/v1/quality/datasets/{slug}",              "/api/v1/quality/datasets/<open>",             "yyyyyy"),
    case("GET",    "/api/v1/quality/datasets/{slug}",              "/api/v1/quality/datasets/<closed>",           "nynyyy"),
    case("POST",   "/api/v1/quality/snapshots",                    "/api/v1/quality/snapshots",                   "nnnyny"),
    case("GET",    "/api/v1/audit",                                "/api/v1/audit?action=write&limit=5",          "nnnnny"),
    case("GET",    "/api/v1/audit/export.csv",                     "/api/v1/audit/export.csv",                    "nnnnny"),
    case("GET",    "/api/v1/audit/verify",                         "/api/v1/audit/verify",                        "nnnnny"),
    case("GET",    "/api/v1/me/notifications",                     "/api/v1/me/notifications?unread=true",        "nyyyyy"),
    case("POST",   "/api/v1/me/notifications/{id}/read",           "/api/v1/me/notifications/<own_notification>/read", "nyyyyy"),
];

/// Fill in the `<name>` placeholders; some create a fresh record so that each try has its own.
async fn materialise(app: &App, sample: &str, who: Who, n: usize) -> String {
    let fx = &app.fx;
    let mut path = sample
        .replace("<open>", &fx.open.meta.slug)
        .replace("<limited>", &fx.limited.meta.slug)
        .replace("<closed>", &fx.closed.meta.slug)
        .replace("<open_table>", &fx.open_table.id.to_string())
        .replace("<closed_table>", &fx.closed_table.id.to_string());
    for (placeholder, dataset) in [("<open_file>", &fx.open), ("<closed_file>", &fx.closed)] {
        if path.contains(placeholder) {
            let a = app
                .call(
                    Who::Admin,
                    Method::POST,
                    &format!(
                        "/api/v1/datasets/{}/attachments?filename=lampiran-{n}.txt",
                        dataset.meta.slug
                    ),
                    Body::Bytes(b"isi lampiran".to_vec(), "text/plain"),
                )
                .await;
            assert_eq!(a.status, StatusCode::CREATED, "attachment fixture");
            path = path.replace(placeholder, a.json()["id"].as_str().unwrap());
        }
    }
    if path.contains("<open_job>") {
        let a = app
            .call(
                Who::Admin,
                Method::POST,
                &format!(
                    "/api/v1/resources/{}/uploads?filename=data-{n}.csv",
                    fx.open_table.id
                ),
                Body::Csv(SAMPLE_CSV.into()),
            )
            .await;
        assert_eq!(a.status, StatusCode::ACCEPTED, "upload fixture");
        path = path.replace("<open_job>", a.json()["id"].as_str().unwrap());
    }
    if path.contains("<fresh_dataset>") {
        let slug = format!("sekali-pakai-{n}");
        table_dataset(app.store.as_ref(), &fx.org_a, &slug, Access::Terbuka, 0).await;
        path = path.replace("<fresh_dataset>", &slug);
    }
    if path.contains("<fresh_resource>") {
        let r = app
            .store
            .create_resource(
                fx.open.id,
                NewResource {
                    name: format!("sekali-pakai-{n}"),
                    title: "Sekali pakai".into(),
                    description: String::new(),
                    kind: ResourceKind::Table {
                        schema: sample_schema(),
                    },
                },
                None,
            )
            .await
            .unwrap();
        path = path.replace("<fresh_resource>", &r.id.to_string());
    }
    if path.contains("<own_token>") {
        // The anonymous caller gets someone's token id: it must still be refused.
        let owner = if who == Who::Anonymous {
            Who::ProdusenOwn
        } else {
            who
        };
        let t = app
            .store
            .create_token(NewApiToken {
                user_id: fx.users[&owner].id,
                name: format!("sekali-pakai-{n}"),
                secret_hash: format!("{n:064}"),
                expires_at: None,
            })
            .await
            .unwrap();
        path = path.replace("<own_token>", &t.id.to_string());
    }
    if path.contains("/peta.") {
        // Through the API, so that maps cached before (the dataset page draws one) are redrawn.
        let r = app
            .call(
                Who::Admin,
                Method::POST,
                "/api/v1/boundaries?level=kecamatan",
                Body::Json(crate::visual::squares_geojson(&["16.06.01", "16.06.04"])),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "boundaries fixture: {}", r.text);
    }
    path = crate::workspace::materialise(app, path, who, n).await;
    path = crate::governance::materialise(app, path, who, n).await;
    assert!(!path.contains('<'), "unfilled placeholder in {path}");
    path
}

/// The body a write route needs to succeed when allowed.
fn body(app: &App, case: &Case, n: usize) -> Body {
    let fx = &app.fx;
    match (case.method, case.route) {
        ("GET" | "DELETE", _) => Body::None,
        ("POST", "/masuk") => Body::Form(vec![
            ("username", "sasaran".into()),
            ("password", PASSWORD.into()),
            ("next", "/".into()),
        ]),
        ("POST", "/keluar") => Body::Form(vec![]),
        ("POST", "/api/v1/organizations") => Body::Json(json!({
            "slug": format!("organisasi-{n}"), "name": format!("Organisasi {n}"), "kind": "opd", "region_code": "1606"
        })),
        ("PUT", "/api/v1/organizations/{slug}") => {
            Body::Json(serde_json::to_value(&fx.org_a.meta).unwrap())
        }
        ("POST", "/api/v1/topics") => {
            Body::Json(json!({"slug": format!("topik-{n}"), "name": format!("Topik {n}")}))
        }
        ("POST", "/api/v1/codelists") => Body::Json(json!({
            "slug": format!("kode-{n}"), "title": format!("Kode {n}"),
            "codes": [{"code": "1", "label": "Satu"}, {"code": "2", "label": "Dua"}]
        })),
        ("POST", "/api/v1/datasets") => Body::Json(json!({
            "title": format!("Dataset {n}"), "slug": format!("dataset-{n}"), "organization_id": fx.org_a.id,
            "access": "terbuka", "topics": ["kesehatan"]
        })),
        ("PUT", "/api/v1/datasets/{slug}") => {
            Body::Json(serde_json::to_value(&fx.open.meta).unwrap())
        }
        ("POST", "/api/v1/datasets/{slug}/resources") => Body::Json(json!({
            "name": format!("tabel-{n}"), "title": "Tabel", "kind": "table", "schema": sample_schema()
        })),
        (
            "POST",
            "/api/v1/resources/{id}/versions" | "/api/v1/resources/{id}/uploads" | "/api/v1/infer",
        ) => Body::Csv(SAMPLE_CSV.into()),
        ("POST", "/api/v1/datasets/{slug}/attachments") => {
            Body::Bytes(format!("catatan {n}").into_bytes(), "text/plain")
        }
        ("POST", "/api/v1/jobs/{id}/cancel") => Body::None,
        ("POST", "/api/v1/me/tokens") => {
            Body::Json(json!({"name": format!("token {n}"), "expires_in_days": 30}))
        }
        ("POST", "/api/v1/users") => Body::Json(json!({
            "username": format!("pengguna-{n}"), "display_name": "Pengguna Baru", "password": PASSWORD,
            "roles": [{"organization": "dinas-b", "role": "produsen"}]
        })),
        ("PUT", "/api/v1/users/{username}/roles") => Body::Json(json!({
            "roles": [{"organization": "dinas-a", "role": "produsen"}, {"organization": "dinas-b", "role": "produsen"}]
        })),
        ("POST", "/api/v1/boundaries") => Body::Json(crate::visual::squares_geojson(&["16.06.03"])),
        ("POST", "/api/3/action/{name}" | "/api/action/{name}") => {
            Body::Json(json!({"q": "penduduk", "rows": 2}))
        }
        (m, r) if crate::workspace::body(app, m, r, n).is_some() => {
            crate::workspace::body(app, m, r, n).unwrap()
        }
        (m, r) if crate::governance::body(m, r, n).is_some() => {
            crate::governance::body(m, r, n).unwrap()
        }
        (m, r) => panic!("no body for {m} {r}: add one to the test"),
    }
}

/// Whether a sample path fits its route template (`{param}` segments match anything).
fn fits(route: &str, sample: &str) -> bool {
    let path = sample.split('?').next().unwrap();
    let (a, b): (Vec<_>, Vec<_>) = (route.split('/').collect(), path.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(t, s)| t.starts_with('{') || s.starts_with('<') || t == s)
}

#[test]
fn the_table_lists_every_route_of_the_router_and_nothing_else() {
    let served: BTreeSet<(String, String)> = satudata_http::routes()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let listed: BTreeSet<(String, String)> = CASES
        .iter()
        .map(|c| (c.method.to_string(), c.route.to_string()))
        .collect();
    let missing: Vec<_> = served.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&served).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the route × role table: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "rows for routes the router does not have: {extra:?}"
    );
    for c in CASES {
        assert!(
            fits(c.route, c.sample),
            "sample {} does not fit {}",
            c.sample,
            c.route
        );
        assert!(
            c.allow.len() == 6 && c.allow.bytes().all(|b| b == b'y' || b == b'n'),
            "{}",
            c.sample
        );
    }
}

#[tokio::test]
async fn every_route_allows_and_denies_every_principal_as_the_matrix_says() {
    let app = spawn().await;
    let mut failures = vec![];
    let mut n = 0;
    for c in CASES {
        for (i, who) in Who::ALL.into_iter().enumerate() {
            n += 1;
            let path = materialise(&app, c.sample, who, n).await;
            let method = Method::from_bytes(c.method.as_bytes()).unwrap();
            let res = app.call(who, method, &path, body(&app, c, n)).await;
            let allowed = c.allow.as_bytes()[i] == b'y';
            let ok = if allowed {
                res.status.is_success() || res.status.is_redirection()
            } else if who == Who::Anonymous {
                res.status == StatusCode::UNAUTHORIZED
            } else {
                res.status == StatusCode::FORBIDDEN
            };
            if !ok {
                failures.push(format!(
                    "{} {path} as {who:?}: expected {}, got {} {}",
                    c.method,
                    if allowed { "allow" } else { "deny" },
                    res.status,
                    res.text.chars().take(300).collect::<String>()
                ));
            }
            if !allowed {
                // The API answers refusals as problem documents; pages as pages a person can read.
                let ct = res.header("content-type");
                let page = !path.starts_with("/api/") && ct.starts_with("text/html");
                assert!(
                    page || ct.starts_with("application/problem+json"),
                    "{path}: {ct}"
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn no_get_route_changes_state_for_any_principal() {
    let app = spawn().await;
    let mut tried = 0;
    for c in CASES.iter().filter(|c| c.method == "GET") {
        for who in Who::ALL {
            // Some placeholders create their fixture (an attachment, a job): measure after that.
            let path = materialise(&app, c.sample, who, 0).await;
            let seq = app.store.current_seq().await.unwrap();
            let writes = app.store.writes();
            let tokens = app.token_count().await;
            let res = app.call(who, Method::GET, &path, Body::None).await;
            assert!(
                res.status.as_u16() < 500,
                "GET {path} as {who:?}: {}",
                res.status
            );
            assert_eq!(
                app.store.current_seq().await.unwrap(),
                seq,
                "GET {path} as {who:?} moved the sequence"
            );
            assert_eq!(
                app.store.writes(),
                writes,
                "GET {path} as {who:?} called a store write"
            );
            assert_eq!(
                app.token_count().await,
                tokens,
                "GET {path} as {who:?} changed tokens"
            );
            tried += 1;
        }
    }
    assert!(tried >= 6 * 30, "only {tried} GET requests tried");
}
