//! Organisation and topic pages: `/organisasi`, `/organisasi/SLUG`, `/topik`, `/topik/SLUG`.

use std::collections::HashMap;

use axum::response::Response;
use maud::{html, Markup};
use satudata_core::organization::{OrgKind, Organization};
use satudata_core::region::{RegionCode, Regions};
use satudata_store::{CatalogEntry, DatasetCondition};

use super::error::PageResult;
use super::i18n::{int, Lang};
use super::layout::PageCtx;
use super::search::dataset_card;
use crate::pages::extract::Path;
use crate::publish;

/// The catalogue as of now.
async fn catalog(ctx: &PageCtx) -> PageResult<std::sync::Arc<crate::catalog_index::Snapshot>> {
    Ok(ctx.state.catalog.snapshot(ctx.state.store.as_ref()).await?)
}

fn kind_word(lang: Lang, k: OrgKind) -> &'static str {
    match k {
        OrgKind::Opd => lang.t("Perangkat daerah", "Regional agency"),
        OrgKind::Walidata => lang.t("Walidata", "Data steward (walidata)"),
        OrgKind::Pembina => lang.t("Pembina data", "Data supervisor"),
        OrgKind::Kecamatan => lang.t("Kecamatan", "District"),
        OrgKind::Desa => lang.t("Desa", "Village"),
        OrgKind::Kelurahan => lang.t("Kelurahan", "Urban village"),
        OrgKind::Lainnya => lang.t("Lainnya", "Other"),
    }
}

fn entries_where<'a>(
    ctx: &PageCtx,
    snapshot: &'a crate::catalog_index::Snapshot,
    condition: DatasetCondition,
) -> Vec<&'a CatalogEntry> {
    let mut q = publish::visible_query(&ctx.auth.principal, !ctx.logged_in());
    q.condition = Some(match q.condition.take() {
        Some(c) => DatasetCondition::And(vec![c, condition]),
        None => condition,
    });
    let mut v: Vec<&CatalogEntry> = snapshot.matching(&q).collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.modified));
    v
}

/// `GET /organisasi`: the agencies with their dataset counts, then the kecamatan and desa.
pub async fn organizations(ctx: PageCtx) -> PageResult<Response> {
    let snapshot = catalog(&ctx).await?;
    let q = publish::visible_query(&ctx.auth.principal, !ctx.logged_in());
    let mut counts: HashMap<satudata_core::Id, usize> = HashMap::new();
    for e in snapshot.matching(&q) {
        *counts.entry(e.dataset.meta.organization_id).or_default() += 1;
    }
    let mut agencies: Vec<&Organization> = vec![];
    let mut places: Vec<&Organization> = vec![];
    for o in snapshot.organizations() {
        match o.meta.kind {
            OrgKind::Kecamatan | OrgKind::Desa | OrgKind::Kelurahan => places.push(o),
            _ => agencies.push(o),
        }
    }
    agencies.sort_by(|a, b| {
        counts
            .get(&b.id)
            .cmp(&counts.get(&a.id))
            .then(a.meta.name.cmp(&b.meta.name))
    });
    places.sort_by(|a, b| a.meta.region_code.cmp(&b.meta.region_code));
    let lang = ctx.lang;
    let title = ctx.t("Organisasi", "Organisations");
    let content = html! {
        h1 { (title) }
        p.lead { (ctx.t("Perangkat daerah yang menghasilkan data, walidata yang memeriksanya, dan pemerintah kecamatan dan desa.",
                        "The agencies that produce data, the walidata who checks it, and the district and village governments.")) }
        h2 { (ctx.t("Perangkat daerah", "Agencies")) }
        div.table-scroll {
            table.data {
                thead { tr {
                    th scope="col" { (ctx.t("Nama", "Name")) }
                    th scope="col" { (ctx.t("Jenis", "Kind")) }
                    th scope="col" class="num" { (ctx.t("Dataset", "Datasets")) }
                } }
                tbody {
                    @for o in &agencies {
                        tr {
                            th scope="row" { a href=(format!("/organisasi/{}", o.meta.slug)) { (o.meta.name) } }
                            td { (kind_word(lang, o.meta.kind)) }
                            td.num { (int(lang, *counts.get(&o.id).unwrap_or(&0) as i64)) }
                        }
                    }
                }
            }
        }
        @if !places.is_empty() {
            details {
                summary { h2.inline { (ctx.t("Kecamatan dan desa", "Districts and villages")) " (" (places.len()) ")" } }
                ul.columns {
                    @for o in &places {
                        li { a href=(format!("/organisasi/{}", o.meta.slug)) { (o.meta.name) }
                             @if let Some(n) = counts.get(&o.id) { " (" (n) ")" } }
                    }
                }
            }
        }
    };
    Ok(ctx.ok(title, content))
}

/// `GET /organisasi/{slug}`.
pub async fn organization(ctx: PageCtx, Path(slug): Path<String>) -> PageResult<Response> {
    let Some(o) = ctx.state.store.get_organization(&slug).await? else {
        return Ok(ctx.not_found(ctx.t(
            "Organisasi ini tidak ada.",
            "This organisation does not exist.",
        )));
    };
    let snapshot = catalog(&ctx).await?;
    let entries = entries_where(&ctx, &snapshot, DatasetCondition::Organization(o.id));
    let lang = ctx.lang;
    let m = &o.meta;
    let region = m
        .region_code
        .as_deref()
        .and_then(|c| RegionCode::parse(c).ok())
        .filter(|c| Regions::get().by_code(c).is_some());
    let content = html! {
        nav.crumbs { a href="/organisasi" { (ctx.t("Organisasi", "Organisations")) } }
        h1 { (m.name) @if let Some(a) = &m.acronym { " (" (a) ")" } }
        p.lead { (kind_word(lang, m.kind)) }
        @if !m.description.is_empty() { p { (m.description) } }
        ul.plain {
            @if let Some(e) = &m.email { li { (ctx.t("Surel: ", "E-mail: ")) a href=(format!("mailto:{e}")) { (e) } } }
            @if let Some(p) = &m.phone { li { (ctx.t("Telepon: ", "Phone: ")) (p) } }
            @if let Some(a) = &m.address { li { (ctx.t("Alamat: ", "Address: ")) (a) } }
            @if let Some(w) = &m.website { li { a href=(w) rel="nofollow" { (w) } } }
            @if let Some(c) = &region { li { a href=(format!("/wilayah/{}", c.dotted())) { (ctx.t("Angka tentang wilayah ini", "Figures about this place")) } } }
            @if matches!(m.kind, OrgKind::Opd | OrgKind::Walidata | OrgKind::Pembina | OrgKind::Lainnya) {
                li { a href=(format!("/kualitas/{}", m.slug)) { (ctx.t("Skor kualitas data dan cara menaikkannya", "Data quality score and how to raise it")) } }
            }
        }
        h2 { (int(lang, entries.len() as i64)) " " (ctx.t("dataset", "datasets")) }
        @if entries.is_empty() {
            p { (ctx.t("Belum ada dataset yang terbuka untuk Anda.", "No dataset is open to you yet.")) }
        } @else {
            ul.datasets { @for e in &entries { (dataset_card(&ctx, e, None)) } }
        }
    };
    Ok(ctx.ok(&m.name, content))
}

fn topic_name(lang: Lang, t: &satudata_core::dataset::Topic) -> &str {
    match (lang, &t.name_en) {
        (Lang::En, Some(e)) => e,
        _ => &t.name,
    }
}

/// `GET /topik`.
pub async fn topics(ctx: PageCtx) -> PageResult<Response> {
    let topics = ctx.state.store.list_topics().await?;
    let snapshot = catalog(&ctx).await?;
    let q = publish::visible_query(&ctx.auth.principal, !ctx.logged_in());
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in snapshot.matching(&q) {
        for t in &e.dataset.meta.topics {
            if let Some(t) = topics.iter().find(|x| &x.slug == t) {
                *counts.entry(t.slug.as_str()).or_default() += 1;
            }
        }
    }
    let lang = ctx.lang;
    let title = ctx.t("Topik", "Topics");
    let content = html! {
        h1 { (title) }
        div.grid {
            @for t in &topics {
                div {
                    h2.h3 { a href=(format!("/topik/{}", t.slug)) { (topic_name(lang, t)) } }
                    p.meta { (int(lang, *counts.get(t.slug.as_str()).unwrap_or(&0) as i64)) " " (ctx.t("dataset", "datasets")) }
                    @if !t.description.is_empty() { p { (t.description) } }
                }
            }
        }
    };
    Ok(ctx.ok(title, content))
}

/// `GET /topik/{slug}`.
pub async fn topic(ctx: PageCtx, Path(slug): Path<String>) -> PageResult<Response> {
    let topics = ctx.state.store.list_topics().await?;
    let Some(t) = topics.iter().find(|t| t.slug == slug) else {
        return Ok(ctx.not_found(ctx.t("Topik ini tidak ada.", "This topic does not exist.")));
    };
    let snapshot = catalog(&ctx).await?;
    let entries = entries_where(&ctx, &snapshot, DatasetCondition::Topic(slug.clone()));
    let lang = ctx.lang;
    let name = topic_name(lang, t).to_string();
    let content: Markup = html! {
        nav.crumbs { a href="/topik" { (ctx.t("Topik", "Topics")) } }
        h1 { (name) }
        @if !t.description.is_empty() { p.lead { (t.description) } }
        p { a href=(format!("/dataset?topik={}", t.slug)) { (ctx.t("Saring lebih lanjut di pencarian", "Narrow further in search")) } }
        h2 { (int(lang, entries.len() as i64)) " " (ctx.t("dataset", "datasets")) }
        ul.datasets {
            @for e in &entries {
                (dataset_card(&ctx, e, snapshot.organization(e.dataset.meta.organization_id).map(|o| o.meta.name.as_str())))
            }
        }
    };
    Ok(ctx.ok(&name, content))
}
