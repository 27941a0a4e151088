//! The home page: the instance, its region, and the datasets the visitor may see, with search.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use satudata_core::access::Action;
use satudata_core::dataset::Dataset;
use satudata_core::region::Regions;
use serde::Deserialize;

use super::layout::{html_response, page};
use crate::api::datasets::{visible_page, DatasetListQuery};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::Query;
use crate::state::AppState;

/// Datasets per page.
const PER_PAGE: u32 = 25;

/// Search and paging.
#[derive(Debug, Deserialize)]
pub struct HomeQuery {
    /// Search text.
    q: Option<String>,
    /// Page number, from 1.
    halaman: Option<u64>,
}

fn snippet(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

fn page_link(q: &str, n: u64) -> String {
    let pairs = [("q", q.to_string()), ("halaman", n.to_string())];
    format!(
        "/?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// `GET /`.
pub async fn home(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<HomeQuery>,
) -> ApiResult<Response> {
    let regions = Regions::get();
    let home = &state.config.home_region;
    let region_name = regions
        .by_code(home)
        .map(|r| r.display_name())
        .unwrap_or_else(|| home.dotted());
    let province = home
        .parent()
        .and_then(|p| regions.by_code(&p))
        .map(|r| r.display_name());
    let q = query.q.clone().unwrap_or_default();
    let number = query.halaman.unwrap_or(1).max(1);
    let list = visible_page(
        &state,
        &auth,
        DatasetListQuery {
            q: Some(q.clone()),
            limit: Some(PER_PAGE),
            offset: Some((number - 1) * u64::from(PER_PAGE)),
            ..Default::default()
        },
    )
    .await?;
    let pages = list.total.div_ceil(u64::from(PER_PAGE)).max(1);
    let content = html! {
        h1 { (state.config.instance_name) }
        p.lead {
            "Portal Satu Data " (region_name)
            @if let Some(p) = &province { ", " (p) }
            " (kode wilayah " (home.dotted()) ")."
        }
        form.search method="get" action="/" role="search" {
            label for="q" class="meta" { "Cari dataset" }
            input #q type="search" name="q" value=(q) placeholder="misalnya: penduduk, sekolah, padi";
            button type="submit" { "Cari" }
        }
        @if q.is_empty() {
            h2 { (list.total) " dataset" }
        } @else {
            h2 { (list.total) " dataset untuk “" (q) "”" }
        }
        @if list.items.is_empty() {
            p { "Belum ada dataset yang cocok." }
        } @else {
            ul.datasets {
                @for d in &list.items { (dataset_item(&auth, d)) }
            }
        }
        @if pages > 1 {
            nav.pages aria-label="Halaman" {
                @if number > 1 { a href=(page_link(&q, number - 1)) rel="prev" { "← Sebelumnya" } }
                span.meta { "Halaman " (number) " dari " (pages) }
                @if number < pages { a href=(page_link(&q, number + 1)) rel="next" { "Berikutnya →" } }
            }
        }
        h2 { "Jelajahi" }
        ul {
            li { a href=(format!("/api/v1/regions/{}/children", home.dotted())) { "Wilayah di " (region_name) } " (JSON)" }
            li { a href=(format!("/api/v1/organizations?within={}", home.dotted())) { "Organisasi dan desa" } " (JSON)" }
            li { a href="/api/v1/topics" { "Topik" } " (JSON)" }
            li { a href="/api/v1/openapi.json" { "Dokumentasi API (OpenAPI 3.1)" } }
        }
    };
    Ok(html_response(
        StatusCode::OK,
        page(&state, &auth, "Beranda", content),
    ))
}

fn dataset_item(auth: &Auth, d: &Dataset) -> maud::Markup {
    let m = &d.meta;
    let readable = auth
        .allow(Action::ReadData {
            access: m.access,
            organization: m.organization_id,
        })
        .is_ok();
    html! {
        li {
            h3 { a href=(format!("/api/v1/datasets/{}", m.slug)) { (m.title) } }
            @if !m.description.is_empty() { p { (snippet(&m.description, 240)) } }
            p.meta {
                span class=(format!("badge {}", m.access.as_str())) { "Akses " (m.access.as_str()) }
                span.badge { (m.periodicity.as_str()) }
                @if let Some(s) = &m.satuan { span.badge { "Satuan: " (s) } }
                @if readable {
                    a href=(format!("/api/v1/datasets/{}/rows", m.slug)) { "Data (JSON)" }
                } @else {
                    span { "Data hanya untuk pengguna yang berwenang" }
                }
            }
        }
    }
}
