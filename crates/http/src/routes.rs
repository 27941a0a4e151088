//! Every route of the application, in one list. The router is built from it, the route × role
//! test walks it and the OpenAPI test checks the document against it, so nothing can be served
//! that is not listed here.

use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;

use crate::error::ApiError;
use crate::state::AppState;
use crate::{api, layers, pages, visual};

/// One route: a method, a path (axum syntax, `{param}`, the same as OpenAPI) and its handler.
pub struct RouteSpec {
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/api/v1/datasets/{slug}`.
    pub path: &'static str,
    handler: fn(MethodFilter) -> MethodRouter<AppState>,
}

impl std::fmt::Debug for RouteSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

macro_rules! route {
    ($method:ident $path:literal => $handler:path) => {
        RouteSpec {
            method: Method::$method,
            path: $path,
            handler: |filter| on(filter, $handler),
        }
    };
}

/// A route whose body may be a whole upload (multipart forms), not just a form's fields.
macro_rules! upload_route {
    ($method:ident $path:literal => $handler:path) => {
        RouteSpec {
            method: Method::$method,
            path: $path,
            handler: |filter| {
                on(filter, $handler).layer(axum::extract::DefaultBodyLimit::max(
                    crate::layers::UPLOAD_LIMIT,
                ))
            },
        }
    };
}

static ROUTES: &[RouteSpec] = &[
    // HTML pages.
    route!(GET "/" => pages::home::home),
    route!(GET "/tentang" => pages::about::about),
    route!(GET "/tentang/lisensi-wilayah" => pages::about::region_licence),
    route!(GET "/masuk" => pages::login::form),
    route!(POST "/masuk" => pages::login::submit),
    route!(POST "/keluar" => pages::login::logout),
    route!(GET "/static/satudata.css" => pages::layout::stylesheet),
    route!(GET "/dataset" => pages::search::search),
    route!(GET "/organisasi" => pages::catalog::organizations),
    route!(GET "/organisasi/{slug}" => pages::catalog::organization),
    route!(GET "/topik" => pages::catalog::topics),
    route!(GET "/topik/{slug}" => pages::catalog::topic),
    route!(GET "/kode-referensi" => pages::codelists::list),
    route!(GET "/kode-referensi/{slug}" => pages::codelists::show),
    route!(GET "/wilayah/{code}" => pages::region::region),
    // The workspace after login (issue 6).
    route!(GET "/ruang-kerja" => pages::workspace::dashboard::dashboard),
    route!(POST "/ruang-kerja/notifikasi/{id}/dibaca" => pages::workspace::dashboard::mark_read),
    route!(GET "/ruang-kerja/dataset-baru" => pages::workspace::datasets::new_form),
    route!(POST "/ruang-kerja/dataset-baru" => pages::workspace::datasets::create),
    route!(GET "/ruang-kerja/dataset/{slug}" => pages::workspace::datasets::show),
    route!(GET "/ruang-kerja/dataset/{slug}/metadata" => pages::workspace::datasets::edit_form),
    route!(POST "/ruang-kerja/dataset/{slug}/metadata" => pages::workspace::datasets::update),
    route!(GET "/ruang-kerja/dataset/{slug}/unggah" => pages::workspace::upload::choose),
    upload_route!(POST "/ruang-kerja/dataset/{slug}/unggah" => pages::workspace::upload::receive),
    route!(GET "/ruang-kerja/dataset/{slug}/unggah/{upload}" => pages::workspace::upload::sheet),
    route!(POST "/ruang-kerja/dataset/{slug}/unggah/{upload}" => pages::workspace::upload::import),
    route!(GET "/ruang-kerja/pekerjaan/{id}" => pages::workspace::upload::job),
    route!(GET "/ruang-kerja/pemeriksaan" => pages::workspace::review::queue),
    route!(GET "/ruang-kerja/pemeriksaan/{id}/{number}" => pages::workspace::review::detail),
    route!(POST "/ruang-kerja/versi/{id}/{number}/{aksi}" => pages::workspace::review::action),
    route!(GET "/ruang-kerja/daftar-data" => pages::workspace::plan::list),
    route!(GET "/ruang-kerja/daftar-data/baru" => pages::workspace::plan::new_form),
    route!(POST "/ruang-kerja/daftar-data/baru" => pages::workspace::plan::create),
    route!(POST "/ruang-kerja/daftar-data/salin" => pages::workspace::plan::copy_forward),
    upload_route!(POST "/ruang-kerja/daftar-data/impor" => pages::workspace::plan::import),
    route!(GET "/ruang-kerja/daftar-data/{id}" => pages::workspace::plan::edit_form),
    route!(POST "/ruang-kerja/daftar-data/{id}" => pages::workspace::plan::update),
    route!(GET "/ruang-kerja/kemutakhiran" => pages::workspace::plan::kemutakhiran),
    route!(GET "/ruang-kerja/pengguna" => pages::workspace::admin::users),
    route!(POST "/ruang-kerja/pengguna" => pages::workspace::admin::create),
    route!(GET "/ruang-kerja/pengguna/{username}" => pages::workspace::admin::user),
    route!(POST "/ruang-kerja/pengguna/{username}/peran" => pages::workspace::admin::set_roles),
    route!(POST "/ruang-kerja/pengguna/{username}/status" => pages::workspace::admin::set_status),
    route!(GET "/ruang-kerja/organisasi" => pages::workspace::admin::organizations),
    route!(POST "/ruang-kerja/organisasi" => pages::workspace::admin::create_organization),
    route!(GET "/ruang-kerja/organisasi/{slug}" => pages::workspace::admin::organization),
    route!(POST "/ruang-kerja/organisasi/{slug}" => pages::workspace::admin::update_organization),
    route!(GET "/ruang-kerja/telaah-metadata" => pages::workspace::metadata_review::list),
    route!(GET "/ruang-kerja/telaah-metadata/{slug}" => pages::workspace::metadata_review::show),
    route!(POST "/ruang-kerja/telaah-metadata/{slug}" => pages::workspace::metadata_review::record),
    route!(GET "/ruang-kerja/pengaturan" => pages::workspace::settings::settings),
    upload_route!(POST "/ruang-kerja/pengaturan/batas-wilayah" => pages::workspace::settings::load),
    // Health and the API description.
    route!(GET "/healthz" => api::health::healthz),
    route!(GET "/api/v1/openapi.json" => api::health::openapi_json),
    // Regions.
    route!(GET "/api/v1/regions" => api::regions::list),
    route!(GET "/api/v1/regions/{code}" => api::regions::get),
    route!(GET "/api/v1/regions/{code}/children" => api::regions::children),
    // Organisations and topics.
    route!(GET "/api/v1/organizations" => api::organizations::list),
    route!(POST "/api/v1/organizations" => api::organizations::create),
    route!(GET "/api/v1/organizations/{slug}" => api::organizations::get),
    route!(PUT "/api/v1/organizations/{slug}" => api::organizations::update),
    route!(GET "/api/v1/topics" => api::topics::list),
    route!(POST "/api/v1/topics" => api::topics::upsert),
    // Code lists (kode referensi), with versions (issue 3).
    route!(GET "/api/v1/codelists" => api::codelists::list),
    route!(POST "/api/v1/codelists" => api::codelists::create),
    route!(GET "/api/v1/codelists/{slug}" => api::codelists::get),
    // Datasets and resources.
    route!(GET "/api/v1/datasets" => api::datasets::list),
    route!(POST "/api/v1/datasets" => api::datasets::create),
    route!(GET "/api/v1/datasets/{slug}" => api::datasets::get),
    route!(PUT "/api/v1/datasets/{slug}" => api::datasets::update),
    route!(DELETE "/api/v1/datasets/{slug}" => api::datasets::delete),
    route!(GET "/api/v1/datasets/{slug}/resources" => api::resources::list),
    route!(POST "/api/v1/datasets/{slug}/resources" => api::resources::create),
    route!(GET "/api/v1/datasets/{slug}/rows" => api::rows::dataset_rows),
    route!(GET "/api/v1/datasets/{slug}/aggregate" => api::aggregate::dataset_aggregate),
    route!(GET "/api/v1/resources/{id}" => api::resources::get),
    route!(DELETE "/api/v1/resources/{id}" => api::resources::delete),
    // Versions and rows.
    route!(GET "/api/v1/resources/{id}/versions" => api::versions::list),
    route!(POST "/api/v1/resources/{id}/versions" => api::versions::upload),
    // Attachments and uploads of data files (import jobs).
    route!(POST "/api/v1/datasets/{slug}/attachments" => api::files::attach),
    route!(GET "/api/v1/resources/{id}/file" => api::files::download),
    upload_route!(POST "/api/v1/resources/{id}/uploads" => api::files::upload),
    route!(POST "/api/v1/infer" => api::infer::infer),
    route!(GET "/api/v1/jobs" => api::files::list_jobs),
    route!(GET "/api/v1/jobs/{id}" => api::files::get_job),
    route!(POST "/api/v1/jobs/{id}/cancel" => api::files::cancel_job),
    route!(GET "/api/v1/resources/{id}/versions/{number}" => api::versions::get),
    route!(GET "/api/v1/resources/{id}/rows" => api::rows::resource_rows),
    route!(GET "/api/v1/resources/{id}/aggregate" => api::aggregate::resource_aggregate),
    // Users and tokens.
    route!(GET "/api/v1/me" => api::users::me),
    route!(GET "/api/v1/me/tokens" => api::users::list_tokens),
    route!(POST "/api/v1/me/tokens" => api::users::create_token),
    route!(DELETE "/api/v1/me/tokens/{id}" => api::users::revoke_token),
    route!(GET "/api/v1/users" => api::users::list),
    route!(POST "/api/v1/users" => api::users::create),
    route!(PUT "/api/v1/users/{username}/roles" => api::users::set_roles),
    // The change log.
    route!(GET "/api/v1/changes" => api::changes::list),
    // The CKAN-compatible Action API (issue 5): one handler answers every action name.
    route!(GET "/api/3/action/{name}" => api::ckan::action),
    route!(POST "/api/3/action/{name}" => api::ckan::action),
    route!(GET "/api/action/{name}" => api::ckan::action),
    route!(POST "/api/action/{name}" => api::ckan::action),
    // DCAT-AP, DCAT-US data.json, Data Packages and downloads (issue 5).
    route!(GET "/catalog.ttl" => api::dcat::catalog_ttl),
    route!(GET "/catalog.jsonld" => api::dcat::catalog_jsonld),
    route!(GET "/catalog.rdf" => api::dcat::catalog_rdf),
    route!(GET "/data.json" => api::dcat::data_json),
    route!(GET "/dataset/{file}" => api::dcat::dataset_document),
    route!(GET "/dataset/{slug}/datapackage.json" => api::downloads::datapackage_json),
    route!(GET "/dataset/{slug}/datapackage.zip" => api::downloads::datapackage_zip),
    route!(GET "/dataset/{slug}/{file}" => api::downloads::resource_file),
    route!(GET "/dataset/{slug}/{table}/versi/{number}" => pages::version::version),
    // Charts and maps (issue 6): SVG, and PNG infographics.
    route!(GET "/dataset/{slug}/{table}/grafik.svg" => visual::chart_svg),
    route!(GET "/dataset/{slug}/{table}/grafik.png" => visual::chart_png),
    route!(GET "/dataset/{slug}/{table}/peta.svg" => visual::map_svg),
    route!(GET "/dataset/{slug}/{table}/peta.png" => visual::map_png),
    // Region boundaries for maps (issue 6).
    route!(POST "/api/v1/boundaries" => api::boundaries::upload),
    route!(GET "/api/v1/boundaries/{code}" => api::boundaries::children),
    // Governance (issue 4): pemeriksaan, Daftar Data, kemutakhiran, quality, audit, notifications.
    route!(GET "/kemutakhiran" => pages::kemutakhiran::kemutakhiran),
    route!(GET "/kalender-rilis" => pages::kemutakhiran::kalender),
    route!(GET "/kualitas" => pages::kemutakhiran::kualitas),
    route!(GET "/kualitas/{slug}" => pages::kemutakhiran::kualitas_opd),
    route!(POST "/api/v1/resources/{id}/versions/{number}/submit" => api::review::submit),
    route!(POST "/api/v1/resources/{id}/versions/{number}/resubmit" => api::review::resubmit),
    route!(POST "/api/v1/resources/{id}/versions/{number}/return" => api::review::return_),
    route!(POST "/api/v1/resources/{id}/versions/{number}/approve" => api::review::approve),
    route!(POST "/api/v1/resources/{id}/versions/{number}/publish" => api::review::publish),
    route!(POST "/api/v1/resources/{id}/versions/{number}/withdraw" => api::review::withdraw),
    route!(POST "/api/v1/resources/{id}/versions/{number}/archive" => api::review::archive),
    route!(GET "/api/v1/resources/{id}/versions/{number}/review" => api::review::detail),
    route!(GET "/api/v1/resources/{id}/diff" => api::review::diff),
    route!(GET "/api/v1/review/queue" => api::review::queue),
    route!(GET "/api/v1/review/metadata" => api::review::metadata_queue),
    route!(GET "/api/v1/datasets/{slug}/metadata-reviews" => api::review::metadata_reviews),
    route!(POST "/api/v1/datasets/{slug}/metadata-reviews" => api::review::add_metadata_review),
    route!(GET "/api/v1/plan-items" => api::plan::list),
    route!(POST "/api/v1/plan-items" => api::plan::create),
    route!(GET "/api/v1/plan-items/export.xlsx" => api::plan::export),
    route!(POST "/api/v1/plan-items/import" => api::plan::import),
    route!(POST "/api/v1/plan-items/copy-forward" => api::plan::copy_forward),
    route!(GET "/api/v1/plan-items/{id}" => api::plan::get),
    route!(PUT "/api/v1/plan-items/{id}" => api::plan::update),
    route!(DELETE "/api/v1/plan-items/{id}" => api::plan::delete),
    route!(GET "/api/v1/release-calendar" => api::plan::release_calendar),
    route!(GET "/api/v1/kemutakhiran" => api::kemutakhiran::dashboard),
    route!(GET "/api/v1/kemutakhiran/export.xlsx" => api::kemutakhiran::export),
    route!(POST "/api/v1/kemutakhiran/reminders" => api::kemutakhiran::reminders),
    route!(GET "/api/v1/quality/organizations" => api::quality::organizations),
    route!(GET "/api/v1/quality/organizations/{slug}" => api::quality::organization),
    route!(GET "/api/v1/quality/datasets/{slug}" => api::quality::dataset),
    route!(POST "/api/v1/quality/snapshots" => api::quality::snapshots),
    route!(GET "/api/v1/audit" => api::audit::list),
    route!(GET "/api/v1/audit/export.csv" => api::audit::export),
    route!(GET "/api/v1/audit/verify" => api::audit::verify),
    route!(GET "/api/v1/me/notifications" => api::notifications::list),
    route!(POST "/api/v1/me/notifications/{id}/read" => api::notifications::mark_read),
];

/// Every route the application serves.
pub fn routes() -> &'static [RouteSpec] {
    ROUTES
}

/// Build the router from [`routes()`].
pub(crate) fn build(state: AppState) -> Router {
    let mut router = Router::new();
    for spec in ROUTES {
        let filter = MethodFilter::try_from(spec.method.clone())
            .unwrap_or_else(|_| panic!("route {spec:?}: unsupported method"));
        router = router.route(spec.path, (spec.handler)(filter));
    }
    let router = router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::audit_trail::record,
        ))
        .layer(axum::middleware::from_fn(pages::i18n::remember))
        .with_state(state);
    layers::apply(router)
}

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") || uri.path() == "/api" {
        ApiError::not_found(format!(
            "Alamat API '{}' tidak ada. Daftar alamat ada di /api/v1/openapi.json.",
            uri.path()
        ))
        .into_response()
    } else {
        pages::layout::not_found_page().into_response()
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
