//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` attributes and the
//! `ToSchema` types they send and receive.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;
use crate::error::{Problem, ProblemItem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "satudata API",
        description = "API data Satu Data Indonesia: wilayah, organisasi, dataset, sumber data, versi dan baris data bertipe. \
Galat dijawab sebagai RFC 9457 application/problem+json (detail dalam Bahasa Indonesia). \
Tulis data dengan token API: Authorization: Bearer <token> (buat di POST /api/v1/me/tokens).",
        license(name = "Apache-2.0"),
    ),
    paths(
        api::health::healthz,
        api::health::openapi_json,
        api::regions::list,
        api::regions::get,
        api::regions::children,
        api::organizations::list,
        api::organizations::create,
        api::organizations::get,
        api::organizations::update,
        api::topics::list,
        api::topics::upsert,
        api::codelists::list,
        api::codelists::get,
        api::codelists::create,
        api::datasets::list,
        api::datasets::create,
        api::datasets::get,
        api::datasets::update,
        api::datasets::delete,
        api::resources::list,
        api::resources::create,
        api::resources::get,
        api::resources::delete,
        api::versions::list,
        api::versions::get,
        api::versions::upload,
        api::files::attach,
        api::files::download,
        api::files::upload,
        api::files::list_jobs,
        api::files::get_job,
        api::files::cancel_job,
        api::rows::resource_rows,
        api::rows::dataset_rows,
        api::aggregate::dataset_aggregate,
        api::aggregate::resource_aggregate,
        api::users::me,
        api::users::list_tokens,
        api::users::create_token,
        api::users::revoke_token,
        api::users::list,
        api::users::create,
        api::users::set_roles,
        api::changes::list,
        api::review::submit,
        api::review::resubmit,
        api::review::return_,
        api::review::approve,
        api::review::publish,
        api::review::withdraw,
        api::review::archive,
        api::review::detail,
        api::review::diff,
        api::review::queue,
        api::review::metadata_queue,
        api::review::metadata_reviews,
        api::review::add_metadata_review,
        api::plan::list,
        api::plan::create,
        api::plan::export,
        api::plan::import,
        api::plan::copy_forward,
        api::plan::get,
        api::plan::update,
        api::plan::delete,
        api::plan::release_calendar,
        api::kemutakhiran::dashboard,
        api::kemutakhiran::export,
        api::kemutakhiran::reminders,
        api::quality::organizations,
        api::quality::organization,
        api::quality::dataset,
        api::quality::snapshots,
        api::audit::list,
        api::audit::export,
        api::audit::verify,
        api::notifications::list,
        api::notifications::mark_read,
        api::ckan::doc::get_v3,
        api::ckan::doc::post_v3,
        api::ckan::doc::get_unversioned,
        api::ckan::doc::post_unversioned,
    ),
    components(schemas(Problem, ProblemItem)),
    modifiers(&BearerAuth),
    tags(
        (name = "meta", description = "Kesehatan layanan, dokumen OpenAPI, log perubahan"),
        (name = "wilayah", description = "Kode referensi wilayah Kemendagri (ODbL 1.0)"),
        (name = "katalog", description = "Organisasi (OPD, desa) dan topik"),
        (name = "data", description = "Dataset, sumber data, versi dan baris"),
        (name = "pengguna", description = "Akun, token API dan pengguna"),
        (name = "pemeriksaan", description = "Pemeriksaan walidata: ajukan, kembalikan, setujui, terbitkan; antrean, pemeriksaan otomatis, perbandingan versi; telaah metadata oleh pembina"),
        (name = "tata-kelola", description = "Daftar Data, kalender rilis, kemutakhiran, skor kualitas (selaras EPSS), log audit"),
        (name = "ckan", description = "API Action yang kompatibel dengan CKAN 2.10 (untuk ckanapi, harvester dan portal nasional)"),
    )
)]
struct ApiDoc;

/// Declares the bearer token scheme that write routes require.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Token API (sdt_…) dari POST /api/v1/me/tokens"))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI 3.1 document of the API (without `servers`, which the served copy adds from
/// [`crate::HttpConfig::base_url`]).
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
