//! DCAT-AP 3.0.1 (`/catalog.ttl|.jsonld|.rdf`, paged with `?page=N`; `/dataset/SLUG.ttl|.jsonld|.rdf`)
//! and DCAT-US 1.1 `/data.json`. Only datasets whose metadata is public are published; download
//! URLs appear where the reader may read the data.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use satudata_core::dataset::Dataset;
use satudata_interop::dcat::{catalog_graph, dataset_graph, CatalogPage};
use satudata_interop::rdf::Graph;
use satudata_store::{DatasetSort, DatasetSortField};
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Path, Query};
use crate::publish::{self, Cache, PackageData};
use crate::state::AppState;

/// Datasets per catalogue page.
pub const PER_PAGE: u64 = 100;

/// An RDF syntax.
#[derive(Debug, Clone, Copy)]
enum Syntax {
    Turtle,
    JsonLd,
    RdfXml,
}

impl Syntax {
    fn from_ext(ext: &str) -> Option<Syntax> {
        match ext {
            "ttl" => Some(Syntax::Turtle),
            "jsonld" => Some(Syntax::JsonLd),
            "rdf" => Some(Syntax::RdfXml),
            _ => None,
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Syntax::Turtle => "ttl",
            Syntax::JsonLd => "jsonld",
            Syntax::RdfXml => "rdf",
        }
    }

    fn respond(self, g: &Graph) -> Response {
        let (ct, body) = match self {
            Syntax::Turtle => ("text/turtle; charset=utf-8", g.to_turtle()),
            Syntax::JsonLd => (
                "application/ld+json",
                serde_json::to_string_pretty(&g.to_jsonld()).unwrap_or_default(),
            ),
            Syntax::RdfXml => ("application/rdf+xml; charset=utf-8", g.to_rdfxml()),
        };
        ([(header::CONTENT_TYPE, ct)], body).into_response()
    }
}

/// `?page=N`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    pub page: Option<u64>,
}

async fn load_all(
    state: &AppState,
    auth: &Auth,
    items: Vec<Dataset>,
) -> ApiResult<Vec<PackageData>> {
    let mut cache = Cache::default();
    let mut out = Vec::with_capacity(items.len());
    for d in items {
        out.push(publish::load(state, &mut cache, &auth.principal, d).await?);
    }
    Ok(out)
}

async fn catalog(
    state: AppState,
    auth: Auth,
    page: Option<u64>,
    syntax: Syntax,
) -> ApiResult<Response> {
    let page = page.unwrap_or(1).max(1);
    let mut q = publish::visible_query(&auth.principal, true);
    q.sort = vec![DatasetSort {
        field: DatasetSortField::Slug,
        descending: false,
    }];
    q.limit = PER_PAGE as u32;
    q.offset = (page - 1).saturating_mul(PER_PAGE);
    let found = state.store.list_datasets(&q).await?;
    let data = load_all(&state, &auth, found.items).await?;
    let packages: Vec<_> = data.iter().map(PackageData::package).collect();
    let g = catalog_graph(
        &publish::site(&state),
        &packages,
        CatalogPage {
            page,
            per_page: PER_PAGE,
            total: found.total,
        },
        syntax.ext(),
    );
    Ok(syntax.respond(&g))
}

/// `GET /catalog.ttl`: the DCAT-AP catalogue in Turtle.
pub async fn catalog_ttl(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<Response> {
    catalog(state, auth, q.page, Syntax::Turtle).await
}

/// `GET /catalog.jsonld`: the DCAT-AP catalogue in JSON-LD.
pub async fn catalog_jsonld(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<Response> {
    catalog(state, auth, q.page, Syntax::JsonLd).await
}

/// `GET /catalog.rdf`: the DCAT-AP catalogue in RDF/XML.
pub async fn catalog_rdf(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<Response> {
    catalog(state, auth, q.page, Syntax::RdfXml).await
}

/// `GET /dataset/{file}`: with `file` = `SLUG.ttl`, `SLUG.jsonld` or `SLUG.rdf`, one dataset in
/// DCAT-AP; with a bare `SLUG`, the dataset's HTML page ([`crate::pages::dataset::show`]).
pub async fn dataset_document(
    ctx: crate::pages::layout::PageCtx,
    trail: crate::audit_trail::AuditTrail,
    Path(file): Path<String>,
    Query(q): Query<crate::pages::dataset::DatasetPageQuery>,
) -> Response {
    let document = file
        .rsplit_once('.')
        .and_then(|(slug, ext)| Syntax::from_ext(ext).map(|s| (slug.to_string(), s)));
    match document {
        Some((slug, syntax)) => dcat_document(ctx.state, ctx.auth, &slug, syntax)
            .await
            .into_response(),
        None => crate::pages::dataset::show(ctx, trail, &file, q)
            .await
            .into_response(),
    }
}

async fn dcat_document(
    state: AppState,
    auth: Auth,
    slug: &str,
    syntax: Syntax,
) -> ApiResult<Response> {
    let not_found = || {
        ApiError::not_found(format!(
            "Dokumen DCAT dataset '{slug}' tidak ada. Pakai /dataset/SLUG.ttl, .jsonld atau .rdf."
        ))
    };
    let d = state.store.get_dataset(slug).await?.ok_or_else(not_found)?;
    auth.allow(satudata_core::access::Action::ReadMetadata {
        access: d.meta.access,
        organization: d.meta.organization_id,
    })?;
    let data = publish::load(&state, &mut Cache::default(), &auth.principal, d).await?;
    Ok(syntax.respond(&dataset_graph(&publish::site(&state), &data.package())))
}

/// `GET /data.json`: every public dataset in DCAT-US 1.1 (Project Open Data, non-federal).
pub async fn data_json(State(state): State<AppState>, auth: Auth) -> ApiResult<Response> {
    let mut q = publish::visible_query(&auth.principal, true);
    q.sort = vec![DatasetSort {
        field: DatasetSortField::Slug,
        descending: false,
    }];
    q.limit = 1000;
    let mut items = vec![];
    loop {
        let page = state.store.list_datasets(&q).await?;
        let n = page.items.len();
        items.extend(page.items);
        q.offset += n as u64;
        if n == 0 || q.offset >= page.total {
            break;
        }
    }
    let data = load_all(&state, &auth, items).await?;
    let packages: Vec<_> = data.iter().map(PackageData::package).collect();
    let doc = satudata_interop::datajson::catalog(&publish::site(&state), &packages);
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(&doc).unwrap_or_default(),
    )
        .into_response())
}
