//! The home page: search, the regency's key indicators with their trend, the newest and the most
//! used datasets, topics and the agencies that publish.

use std::collections::HashMap;

use axum::response::{IntoResponse, Response};
use maud::html;
use satudata_core::organization::OrgKind;
use satudata_core::region::Regions;
use satudata_store::CatalogEntry;

use super::error::PageResult;
use super::i18n::{int, Lang};
use super::layout::PageCtx;
use super::region::figure_value;
use super::search::dataset_card;
use crate::pages::extract::Query;
use crate::publish;

/// How many key indicators the home page shows.
const KEY_FIGURES: usize = 6;
/// How many datasets each list shows.
const LISTED: usize = 5;
/// The window of "most used".
const USAGE_DAYS: i64 = 90;

/// The search box of the home page sends its words to `/dataset`; old links with `?q=` still work.
#[derive(Debug, serde::Deserialize)]
pub struct HomeQuery {
    #[serde(default)]
    q: Option<String>,
}

/// `GET /`.
pub async fn home(ctx: PageCtx, Query(hq): Query<HomeQuery>) -> PageResult<Response> {
    if let Some(q) = hq.q.filter(|q| !q.trim().is_empty()) {
        let to = format!("/dataset?q={}", super::dataset::urlencode(&q));
        return Ok(axum::response::Redirect::to(&to).into_response());
    }
    let state = &ctx.state;
    let lang = ctx.lang;
    let home = state.config.home_region;
    let regions = Regions::get();
    let region_name = regions
        .by_code(&home)
        .map(|r| r.display_name())
        .unwrap_or_else(|| home.dotted());
    let snapshot = state.catalog.snapshot(state.store.as_ref()).await?;
    let q = publish::visible_query(&ctx.auth.principal, !ctx.logged_in());
    let visible: Vec<&CatalogEntry> = snapshot.matching(&q).collect();
    let total = visible.len();
    let mut newest = visible.clone();
    newest.sort_by_key(|e| std::cmp::Reverse(e.modified));
    newest.truncate(LISTED);
    // Most used (downloads and API calls over the window), among what the visitor may see.
    let used: Vec<(&CatalogEntry, u64)> = crate::usage::most_used(state, USAGE_DAYS, 50)
        .await?
        .into_iter()
        .filter_map(|m| {
            visible
                .iter()
                .find(|e| e.dataset.id == m.dataset_id)
                .map(|e| (*e, m.downloads + m.api_calls))
        })
        .take(LISTED)
        .collect();
    let figures = state
        .regions
        .figures(state.store.as_ref(), &state.catalog, &home)
        .await?;
    // Key indicators: the regency's figures, priority datasets first, one per dataset.
    let priority: HashMap<&str, bool> = visible
        .iter()
        .map(|e| {
            (
                e.dataset.meta.slug.as_str(),
                e.dataset.meta.prioritas_tahun.is_some(),
            )
        })
        .collect();
    let mut key: Vec<_> = figures
        .of(&home)
        .iter()
        .filter(|f| f.series.len() > 1)
        .collect();
    key.sort_by_key(|f| {
        !priority
            .get(f.dataset_slug.as_str())
            .copied()
            .unwrap_or(false)
    });
    let mut seen = std::collections::HashSet::new();
    key.retain(|f| seen.insert(f.dataset_slug.clone()));
    key.truncate(KEY_FIGURES);
    let topics = state.store.list_topics().await?;
    let mut topic_counts: HashMap<&str, usize> = HashMap::new();
    let mut org_counts: HashMap<satudata_core::Id, usize> = HashMap::new();
    for e in &visible {
        for t in &e.dataset.meta.topics {
            *topic_counts.entry(t.as_str()).or_default() += 1;
        }
        *org_counts
            .entry(e.dataset.meta.organization_id)
            .or_default() += 1;
    }
    let mut agencies: Vec<_> = snapshot
        .organizations()
        .filter(|o| {
            matches!(
                o.meta.kind,
                OrgKind::Opd | OrgKind::Walidata | OrgKind::Pembina
            )
        })
        .filter_map(|o| org_counts.get(&o.id).map(|n| (o, *n)))
        .collect();
    agencies.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.meta.name.cmp(&b.0.meta.name)));
    agencies.truncate(12);
    let org_name = |e: &CatalogEntry| {
        snapshot
            .organization(e.dataset.meta.organization_id)
            .map(|o| o.meta.name.clone())
    };
    let instance = &state.config.instance_name;
    let content = html! {
        h1 { (instance) }
        p.lead {
            (ctx.t("Data resmi ", "Official data of ")) (region_name) ": "
            (int(lang, total as i64)) " " (ctx.t("dataset dari perangkat daerah, diperiksa walidata, terbuka untuk semua.",
                                               "datasets from the regional agencies, checked by the walidata, open to all."))
        }
        form.search method="get" action="/dataset" role="search" {
            label for="q" { (ctx.t("Cari dataset", "Find datasets")) }
            input #q type="search" name="q" placeholder=(ctx.t("misalnya: penduduk, sekolah, padi", "e.g. population, schools, rice"));
            button type="submit" { (ctx.t("Cari", "Search")) }
        }
        @if !key.is_empty() {
            section aria-labelledby="indikator" {
                h2 #indikator { (ctx.t("Indikator utama ", "Key indicators of ")) (region_name) }
                div.grid {
                    @for f in &key {
                        @if let Some((period, value)) = f.latest() {
                            div.figure {
                                h3 { a href=(format!("/dataset/{}?tabel={}", f.dataset_slug, f.resource)) { (f.dataset_title) } }
                                p.value { (figure_value(lang, f, *value)) }
                                p.meta {
                                    (f.label)
                                    @if !f.summed { " (" (ctx.t("rata-rata wilayah", "average of places")) ")" }
                                    " · " (period)
                                    @if let Some((p0, v0)) = f.series.iter().rev().nth(1) {
                                        br;
                                        (ctx.t("sebelumnya", "before")) " " (figure_value(lang, f, *v0)) " (" (p0) ")"
                                    }
                                }
                            }
                        }
                    }
                }
                p { a href=(format!("/wilayah/{}", home.dotted())) { (ctx.t("Semua angka tentang ", "Every figure about ")) (region_name) " →" } }
            }
        }
        div.with-facets {
            section aria-labelledby="terbaru" {
                h2 #terbaru { (ctx.t("Dataset terbaru", "Newest datasets")) }
                ul.datasets { @for e in &newest { (dataset_card(&ctx, e, org_name(e).as_deref())) } }
                p { a href="/dataset" { (ctx.t("Semua dataset", "All datasets")) " →" } }
                @if !used.is_empty() {
                    h2 #terpakai { (ctx.t("Paling banyak dipakai", "Most used")) }
                    ol {
                        @for (e, n) in &used {
                            li { a href=(format!("/dataset/{}", e.dataset.meta.slug)) { (e.dataset.meta.title) }
                                 " " span.meta { "(" (int(lang, *n as i64)) " " (ctx.t("unduhan dan panggilan API, 90 hari", "downloads and API calls, 90 days")) ")" } }
                        }
                    }
                }
            }
            aside {
                h2 { (ctx.t("Topik", "Topics")) }
                ul.plain {
                    @for t in &topics {
                        @if let Some(n) = topic_counts.get(t.slug.as_str()) {
                            li { a href=(format!("/topik/{}", t.slug)) { (match (lang, &t.name_en) { (Lang::En, Some(e)) => e.as_str(), _ => t.name.as_str() }) } " (" (n) ")" }
                        }
                    }
                }
                h2 { (ctx.t("Perangkat daerah", "Agencies")) }
                ul.plain {
                    @for (o, n) in &agencies {
                        li { a href=(format!("/organisasi/{}", o.meta.slug)) { (o.meta.name) } " (" (n) ")" }
                    }
                }
                p { a href="/organisasi" { (ctx.t("Semua organisasi", "All organisations")) " →" } }
                p { a href="/kemutakhiran" { (ctx.t("Siapa yang tepat waktu?", "Who publishes on time?")) } }
            }
        }
    };
    Ok(ctx.ok(ctx.t("Beranda", "Home"), content))
}
