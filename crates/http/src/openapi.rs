//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` attributes and the
//! `ToSchema` types they send and receive, plus the examples of `openapi_examples.json` (real
//! requests and answers of the demo instance, trimmed) that [`Examples`] puts on every operation.

use std::collections::BTreeMap;

use serde_json::Value;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, ContentBuilder, Ref, RefOr, ResponseBuilder};
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
        api::infer::infer,
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
        api::boundaries::upload,
        api::boundaries::children,
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
    modifiers(&BearerAuth, &Examples),
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

/// The examples of the operations, keyed `METHOD /path`: `request` is the request body's example,
/// `response` maps a media type to the example of every success (2xx) answer of that type.
const EXAMPLES: &str = include_str!("openapi_examples.json");

/// Media types whose bodies are files, not text: they get no example and a binary schema.
fn is_binary(media_type: &str) -> bool {
    media_type == "application/octet-stream"
        || media_type.starts_with("application/vnd.openxmlformats")
        || media_type == "application/zip"
        || media_type == "application/pdf"
}

/// Puts the examples of [`EXAMPLES`] on the operations and gives file bodies a binary schema
/// (utoipa renders `Vec<u8>` as an array of integers, which no client sends).
struct Examples;

impl Modify for Examples {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let examples = examples();
        for (path, item) in openapi.paths.paths.iter_mut() {
            let ops = [
                ("GET", &mut item.get),
                ("PUT", &mut item.put),
                ("POST", &mut item.post),
                ("DELETE", &mut item.delete),
                ("PATCH", &mut item.patch),
            ];
            for (method, op) in ops {
                let Some(op) = op.as_mut() else { continue };
                binary_schemas(op);
                if path.starts_with("/api/v1/") {
                    input_errors(op);
                }
                if let Some(example) = examples.get(&format!("{method} {path}")) {
                    apply(op, example);
                }
            }
        }
    }
}

/// The parsed examples file. It is part of the binary, so a parse error is a build defect that the
/// unit tests below catch; the served document then simply has no examples.
fn examples() -> BTreeMap<String, Value> {
    serde_json::from_str(EXAMPLES).unwrap_or_default()
}

fn binary_schemas(op: &mut Operation) {
    let binary = || {
        RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                .build(),
        ))
    };
    let fix = |media_type: &str, c: &mut Content| {
        if is_binary(media_type) {
            c.schema = Some(binary());
        }
    };
    if let Some(body) = op.request_body.as_mut() {
        body.content.iter_mut().for_each(|(m, c)| fix(m, c));
    }
    for response in op.responses.responses.values_mut() {
        if let RefOr::T(response) = response {
            response.content.iter_mut().for_each(|(m, c)| fix(m, c));
        }
    }
}

/// Every operation that reads parameters or a body can answer 400 (a parameter or body that
/// cannot be read) and, with a body, 415 (a JSON body sent without `Content-Type:
/// application/json`) and 422 (a body of the wrong shape or values); the extractors
/// answer both for every handler, so they are documented here once instead of on each handler.
fn input_errors(op: &mut Operation) {
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        )
    };
    let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let has_body = op.request_body.is_some();
    let responses = &mut op.responses.responses;
    if has_params || has_body {
        responses
            .entry("400".into())
            .or_insert_with(|| problem("Parameter atau isi permintaan tidak dapat dibaca"));
    }
    let json_body = op
        .request_body
        .as_ref()
        .is_some_and(|b| b.content.contains_key("application/json"));
    if json_body {
        responses.entry("415".into()).or_insert_with(|| {
            problem("Isi permintaan bukan JSON (Content-Type: application/json)")
        });
    }
    if has_body {
        responses
            .entry("422".into())
            .or_insert_with(|| problem("Isi permintaan tidak sah (bentuk atau nilai)"));
    }
}

fn apply(op: &mut Operation, example: &Value) {
    // Examples of particular request media types (the multipart form of an upload).
    if let (Some(Value::Object(by_type)), Some(body)) =
        (example.get("requests"), op.request_body.as_mut())
    {
        for (media_type, c) in body.content.iter_mut() {
            if let Some(e) = by_type.get(media_type) {
                c.example = Some(e.clone());
            }
        }
    }
    if let (Some(request), Some(body)) = (example.get("request"), op.request_body.as_mut()) {
        for (media_type, c) in body.content.iter_mut() {
            // A file's text (the CSV of an upload) is the example of the body that is the file,
            // not of a multipart form that carries it in a part.
            let form_with_text = media_type.starts_with("multipart/") && request.is_string();
            if !is_binary(media_type) && !form_with_text {
                c.example = Some(request.clone());
            }
        }
    }
    let Some(Value::Object(by_type)) = example.get("response") else {
        return;
    };
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if !status.starts_with('2') {
            continue;
        }
        for (media_type, c) in response.content.iter_mut() {
            if let Some(e) = by_type.get(media_type) {
                c.example = Some(e.clone());
            }
        }
    }
}

/// The OpenAPI 3.1 document of the API (without `servers`, which the served copy adds from
/// [`crate::HttpConfig::base_url`]).
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example names an operation of the document and a media type it answers with, so a
    /// renamed route or a changed answer cannot leave a stale example behind.
    #[test]
    fn every_example_belongs_to_an_operation() {
        let parsed: BTreeMap<String, Value> =
            serde_json::from_str(EXAMPLES).expect("openapi_examples.json is JSON");
        let doc = serde_json::to_value(openapi()).unwrap();
        for (key, example) in &parsed {
            let (method, path) = key.split_once(' ').expect("METHOD /path");
            let op = &doc["paths"][path][method.to_ascii_lowercase()];
            assert!(op.is_object(), "example for {key}: no such operation");
            if example.get("request").is_some() {
                assert!(op["requestBody"].is_object(), "{key}: has no request body");
            }
            for media_type in example["response"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
            {
                let answered = op["responses"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .any(|(status, r)| {
                        status.starts_with('2') && r["content"].get(media_type).is_some()
                    });
                assert!(answered, "{key}: no 2xx answer of type {media_type}");
            }
        }
    }
}
