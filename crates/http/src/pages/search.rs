//! `/dataset`: find datasets by words and narrow them with facets (topic, OPD, year, level of
//! presentation, format, access). Answered from the in-memory catalogue index, so every facet
//! count is exact and the page stays fast with tens of thousands of datasets.

use std::collections::BTreeMap;

use axum::response::Response;
use maud::{html, Markup};
use satudata_core::dataset::{Access, Dataset};
use satudata_store::{CatalogEntry, DatasetCondition};
use serde::Deserialize;

use super::i18n::{date, int, Lang};
use super::layout::PageCtx;
use super::words;
use crate::error::ApiResult;
use crate::pages::extract::Query;
use crate::publish;

/// Results per page.
const PER_PAGE: usize = 20;

/// The search form and the chosen facets (all optional).
#[derive(Debug, Default, Deserialize, Clone)]
pub struct SearchQuery {
    /// Words to find in titles, descriptions and tags.
    #[serde(default)]
    pub q: Option<String>,
    /// Topic slug.
    #[serde(default)]
    pub topik: Option<String>,
    /// Organisation slug.
    #[serde(default)]
    pub organisasi: Option<String>,
    /// A year the data covers.
    #[serde(default)]
    pub tahun: Option<i32>,
    /// Level of presentation (`desa`, `kecamatan`, …).
    #[serde(default)]
    pub tingkat: Option<String>,
    /// Format (`tabel` for typed tables, else a file format such as `PDF`).
    #[serde(default)]
    pub format: Option<String>,
    /// Access level.
    #[serde(default)]
    pub akses: Option<String>,
    /// Sort: `judul` (title), `terbaru` (newest change, the default).
    #[serde(default)]
    pub urut: Option<String>,
    /// Page number from 1.
    #[serde(default)]
    pub halaman: Option<usize>,
}

impl SearchQuery {
    /// The pairs of this query, with `key` set to `value` (or removed when `None`) and the page reset.
    fn with(&self, key: &str, value: Option<String>) -> String {
        let mut pairs: Vec<(&str, String)> = vec![];
        let mut push = |k: &'static str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                pairs.push((k, v));
            }
        };
        let pick = |k: &str, own: Option<String>| if k == key { value.clone() } else { own };
        push("q", pick("q", self.q.clone()));
        push("topik", pick("topik", self.topik.clone()));
        push("organisasi", pick("organisasi", self.organisasi.clone()));
        push("tahun", pick("tahun", self.tahun.map(|y| y.to_string())));
        push("tingkat", pick("tingkat", self.tingkat.clone()));
        push("format", pick("format", self.format.clone()));
        push("akses", pick("akses", self.akses.clone()));
        push("urut", pick("urut", self.urut.clone()));
        if key == "halaman" {
            push("halaman", value.clone());
        }
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if qs.is_empty() {
            "/dataset".to_string()
        } else {
            format!("/dataset?{qs}")
        }
    }
}

/// The formats of an entry: `tabel` when it has a typed table, plus its file formats.
fn formats(e: &CatalogEntry) -> Vec<String> {
    let mut out = vec![];
    if e.has_table {
        out.push("tabel".to_string());
    }
    for t in &e.file_types {
        let l = words::format_label(t);
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

/// The years an entry covers (at most 50, so a typo like 1024–2024 cannot flood the facet).
fn years(d: &Dataset) -> Vec<i32> {
    match (d.meta.temporal_start, d.meta.temporal_end) {
        (Some(a), Some(b)) if a <= b && b - a <= 50 => (a..=b).collect(),
        (Some(a), _) => vec![a],
        (None, Some(b)) => vec![b],
        _ => vec![],
    }
}

/// Counts per facet value over the matching datasets.
#[derive(Default)]
struct Facets {
    topics: BTreeMap<String, usize>,
    orgs: BTreeMap<String, usize>,
    years: BTreeMap<i32, usize>,
    levels: BTreeMap<String, usize>,
    formats: BTreeMap<String, usize>,
    access: BTreeMap<String, usize>,
}

/// `GET /dataset`.
pub async fn search(ctx: PageCtx, Query(sq): Query<SearchQuery>) -> ApiResult<Response> {
    let state = &ctx.state;
    let snapshot = state.catalog.snapshot(state.store.as_ref()).await?;
    let mut query = publish::visible_query(&ctx.auth.principal, !ctx.logged_in());
    let text = sq.q.clone().unwrap_or_default();
    if !text.trim().is_empty() {
        let c = DatasetCondition::Text(text.clone());
        query.condition = Some(match query.condition.take() {
            Some(x) => DatasetCondition::And(vec![x, c]),
            None => c,
        });
    }
    let org_slug_of = |id| snapshot.organization(id).map(|o| o.meta.slug.clone());
    let mut facets = Facets::default();
    let mut hits: Vec<&CatalogEntry> = vec![];
    for e in snapshot.matching(&query) {
        let m = &e.dataset.meta;
        let org = org_slug_of(m.organization_id).unwrap_or_default();
        let level = m.level.map(words::level_key).unwrap_or("");
        let fmts = formats(e);
        let ys = years(&e.dataset);
        let keep = sq.topik.as_ref().is_none_or(|t| m.topics.contains(t))
            && sq.organisasi.as_ref().is_none_or(|o| *o == org)
            && sq.tahun.is_none_or(|y| ys.contains(&y))
            && sq.tingkat.as_ref().is_none_or(|l| l == level)
            && sq.format.as_ref().is_none_or(|f| fmts.contains(f))
            && sq.akses.as_ref().is_none_or(|a| a == m.access.as_str());
        if !keep {
            continue;
        }
        for t in &m.topics {
            *facets.topics.entry(t.clone()).or_default() += 1;
        }
        *facets.orgs.entry(org).or_default() += 1;
        for y in ys {
            *facets.years.entry(y).or_default() += 1;
        }
        if !level.is_empty() {
            *facets.levels.entry(level.to_string()).or_default() += 1;
        }
        for f in fmts {
            *facets.formats.entry(f).or_default() += 1;
        }
        *facets
            .access
            .entry(m.access.as_str().to_string())
            .or_default() += 1;
        hits.push(e);
    }
    match sq.urut.as_deref() {
        Some("judul") => hits.sort_by(|a, b| {
            a.dataset
                .meta
                .title
                .to_lowercase()
                .cmp(&b.dataset.meta.title.to_lowercase())
        }),
        _ => hits.sort_by(|a, b| {
            b.modified
                .cmp(&a.modified)
                .then(a.dataset.id.cmp(&b.dataset.id))
        }),
    }
    let total = hits.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let number = sq.halaman.unwrap_or(1).clamp(1, pages);
    let shown = &hits[((number - 1) * PER_PAGE).min(total)..(number * PER_PAGE).min(total)];
    let topics = state.store.list_topics().await?;
    let topic_name = |slug: &str| {
        topics
            .iter()
            .find(|t| t.slug == slug)
            .map(|t| match (ctx.lang, &t.name_en) {
                (Lang::En, Some(en)) => en.clone(),
                _ => t.name.clone(),
            })
            .unwrap_or_else(|| slug.to_string())
    };
    let org_name = |slug: &str| {
        snapshot
            .organizations()
            .find(|o| o.meta.slug == slug)
            .map(|o| o.meta.name.clone())
            .unwrap_or_else(|| slug.to_string())
    };
    let lang = ctx.lang;
    let facet_block = |title: &str,
                       key: &str,
                       current: Option<String>,
                       items: Vec<(String, String, usize)>|
     -> Markup {
        html! {
            @if !items.is_empty() {
                section.facet aria-label=(title) {
                    h3 { (title) }
                    ul {
                        @for (value, label, count) in items {
                            li {
                                @if current.as_deref() == Some(value.as_str()) {
                                    a href=(sq.with(key, None)) aria-current="true" {
                                        strong { (label) } " (" (count) ") "
                                        span.meta { "✕ " (lang.t("hapus", "remove")) }
                                    }
                                } @else {
                                    a href=(sq.with(key, Some(value.clone()))) { (label) " (" (count) ")" }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let by_count = |m: &BTreeMap<String, usize>| {
        let mut v: Vec<(String, usize)> = m.iter().map(|(k, n)| (k.clone(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(15);
        v
    };
    let title = ctx.t("Cari dataset", "Find datasets");
    let content = html! {
        h1 { (title) }
        form.search method="get" action="/dataset" role="search" {
            label for="q" { (ctx.t("Kata kunci", "Keywords")) }
            input #q type="search" name="q" value=(text) placeholder=(ctx.t("misalnya: penduduk, sekolah, padi", "e.g. population, schools, rice"));
            @for (k, v) in [("topik", &sq.topik), ("organisasi", &sq.organisasi), ("tingkat", &sq.tingkat), ("format", &sq.format), ("akses", &sq.akses)] {
                @if let Some(v) = v { input type="hidden" name=(k) value=(v); }
            }
            @if let Some(y) = sq.tahun { input type="hidden" name="tahun" value=(y); }
            button type="submit" { (ctx.t("Cari", "Search")) }
        }
        div.with-facets {
            aside.facets aria-label=(ctx.t("Saring hasil", "Narrow the results")) {
                h2.visually-hidden { (ctx.t("Saring hasil", "Narrow the results")) }
                (facet_block(ctx.t("Topik", "Topic"), "topik", sq.topik.clone(),
                    by_count(&facets.topics).into_iter().map(|(k, n)| { let l = topic_name(&k); (k, l, n) }).collect()))
                (facet_block(ctx.t("Organisasi", "Organisation"), "organisasi", sq.organisasi.clone(),
                    by_count(&facets.orgs).into_iter().filter(|(k, _)| !k.is_empty()).map(|(k, n)| { let l = org_name(&k); (k, l, n) }).collect()))
                (facet_block(ctx.t("Tahun", "Year"), "tahun", sq.tahun.map(|y| y.to_string()),
                    facets.years.iter().rev().take(12).map(|(y, n)| (y.to_string(), y.to_string(), *n)).collect()))
                (facet_block(ctx.t("Tingkat penyajian", "Level"), "tingkat", sq.tingkat.clone(),
                    words::LEVELS.iter().filter_map(|l| facets.levels.get(words::level_key(*l)).map(|n| (words::level_key(*l).to_string(), words::level(lang, *l).to_string(), *n))).collect()))
                (facet_block(ctx.t("Format", "Format"), "format", sq.format.clone(),
                    by_count(&facets.formats).into_iter().map(|(k, n)| { let l = if k == "tabel" { lang.t("Tabel (CSV, XLSX, JSON, API)", "Table (CSV, XLSX, JSON, API)").to_string() } else { k.clone() }; (k, l, n) }).collect()))
                (facet_block(ctx.t("Akses", "Access"), "akses", sq.akses.clone(),
                    Access::ALL.iter().filter_map(|a| facets.access.get(a.as_str()).map(|n| (a.as_str().to_string(), words::access(lang, *a).to_string(), *n))).collect()))
            }
            section.results aria-live="polite" {
                p.count {
                    strong { (int(lang, total as i64)) } " " (ctx.t("dataset", "datasets"))
                    @if !text.trim().is_empty() { " " (ctx.t("untuk", "for")) " “" (text) "”" }
                    " · " (ctx.t("urut:", "sort:")) " "
                    @if sq.urut.as_deref() == Some("judul") {
                        a href=(sq.with("urut", None)) { (ctx.t("terbaru", "newest")) } " | " strong { (ctx.t("judul", "title")) }
                    } @else {
                        strong { (ctx.t("terbaru", "newest")) } " | " a href=(sq.with("urut", Some("judul".into()))) { (ctx.t("judul", "title")) }
                    }
                }
                @if shown.is_empty() {
                    p { (ctx.t("Tidak ada dataset yang cocok. Coba kata lain atau hapus saringan.", "No dataset matches. Try other words or remove a filter.")) }
                } @else {
                    ul.datasets {
                        @for e in shown {
                            (dataset_card(&ctx, e, snapshot.organization(e.dataset.meta.organization_id).map(|o| o.meta.name.as_str())))
                        }
                    }
                }
                @if pages > 1 {
                    nav.pages aria-label=(ctx.t("Halaman hasil", "Result pages")) {
                        @if number > 1 { a href=(sq.with("halaman", Some((number - 1).to_string()))) rel="prev" { "← " (ctx.t("Sebelumnya", "Previous")) } }
                        span { (ctx.t("Halaman", "Page")) " " (number) " / " (pages) }
                        @if number < pages { a href=(sq.with("halaman", Some((number + 1).to_string()))) rel="next" { (ctx.t("Berikutnya", "Next")) " →" } }
                    }
                }
            }
        }
    };
    Ok(ctx.ok(title, content))
}

/// One dataset in a list: title, organisation, a few words, badges.
pub fn dataset_card(ctx: &PageCtx, e: &CatalogEntry, org: Option<&str>) -> Markup {
    let m = &e.dataset.meta;
    let lang = ctx.lang;
    html! {
        li {
            h3 { a href=(format!("/dataset/{}", m.slug)) { (m.title) } }
            p.meta {
                @if let Some(org) = org { (org) " · " }
                (ctx.t("diperbarui", "updated")) " " (date(lang, e.modified.date_naive()))
            }
            @if !m.description.is_empty() { p { (snippet(&m.description, 200)) } }
            p.badges {
                span class=(format!("badge {}", m.access.as_str())) { (words::access(lang, m.access)) }
                span.badge { (words::periodicity(lang, m.periodicity)) }
                @if let Some(l) = m.level { span.badge { (words::level(lang, l)) } }
                @for f in formats(e) {
                    span.badge { @if f == "tabel" { (ctx.t("tabel", "table")) } @else { (f) } }
                }
            }
        }
    }
}

/// At most `max` characters of `text`, with an ellipsis when cut.
pub fn snippet(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}
