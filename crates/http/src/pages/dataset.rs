//! The dataset page `/dataset/SLUG`: the metadata in plain words, each table with a preview that
//! sorts, filters and pages (links and a form, no JavaScript), downloads, API snippets, the version
//! history with links to each version's changes, and how to cite it.

use axum::response::Response;
use maud::{html, Markup};
use satudata_core::dataset::{Dataset, Resource, ResourceKind};
use satudata_core::organization::Organization;
use satudata_core::review::ReviewState;
use satudata_core::schema::TableSchema;
use satudata_store::governance::VersionState;
use serde::Deserialize;

use super::error::PageResult;
use super::i18n::{date, int, Lang};
use super::layout::PageCtx;
use super::table_view;
use super::words;
use crate::audit_trail::{restricted_read, AuditTrail};
use crate::error::ApiError;
use crate::publish;

/// What the dataset page may be asked: which table, and the preview's sort, filter and page.
#[derive(Debug, Default, Deserialize, Clone)]
pub struct DatasetPageQuery {
    /// The table (resource name) to preview; the first table when absent.
    #[serde(default)]
    pub tabel: Option<String>,
    /// Sort field, `-` in front for descending.
    #[serde(default)]
    pub urut: Option<String>,
    /// The column to filter on.
    #[serde(default)]
    pub kolom: Option<String>,
    /// The value to look for in that column.
    #[serde(default)]
    pub nilai: Option<String>,
    /// The preview page, from 1.
    #[serde(default)]
    pub hal: Option<u64>,
}

/// One table of the dataset with what the visitor may see of its versions.
struct Table {
    resource: Resource,
    schema: TableSchema,
    /// Versions the visitor may see, newest first, with their review state.
    versions: Vec<(satudata_core::dataset::Version, ReviewState)>,
    /// The latest published version, if any.
    published: Option<i32>,
}

/// `GET /dataset/{slug}` (dispatched from the DCAT document route when the name has no extension).
pub async fn show(
    ctx: PageCtx,
    trail: AuditTrail,
    slug: &str,
    q: DatasetPageQuery,
) -> PageResult<Response> {
    let state = &ctx.state;
    let not_found = || {
        ApiError::not_found(format!(
            "Dataset '{slug}' tidak ada. Cari dataset lain di /dataset."
        ))
    };
    let d = state.store.get_dataset(slug).await?.ok_or_else(not_found)?;
    ctx.auth
        .allow(satudata_core::access::Action::ReadMetadata {
            access: d.meta.access,
            organization: d.meta.organization_id,
        })?;
    let readable = publish::can_read_data(&ctx.auth.principal, &d);
    let sees_drafts = crate::api::review::sees_unpublished(&ctx.auth, &d);
    let org = state
        .store
        .get_organization(&d.meta.organization_id.to_string())
        .await?;
    let topics = state.store.list_topics().await?;
    let mut tables = vec![];
    let mut files = vec![];
    for r in state.store.list_resources(d.id).await? {
        match &r.kind {
            ResourceKind::Table { schema } => {
                let states = state.store.version_states(r.id).await?;
                let state_of = |n: i32| {
                    states
                        .iter()
                        .find(|s: &&VersionState| s.number == n)
                        .map(|s| s.state)
                        .unwrap_or_default()
                };
                let versions: Vec<_> = state
                    .store
                    .list_versions(r.id)
                    .await?
                    .into_iter()
                    .map(|v| {
                        let s = state_of(v.number);
                        (v, s)
                    })
                    .filter(|(_, s)| sees_drafts || *s == ReviewState::Terbit)
                    .collect();
                let published = versions
                    .iter()
                    .find(|(_, s)| *s == ReviewState::Terbit)
                    .map(|(v, _)| v.number);
                tables.push(Table {
                    schema: schema.clone(),
                    resource: r,
                    versions,
                    published,
                });
            }
            ResourceKind::File { .. } => files.push(r),
        }
    }
    let chosen = q
        .tabel
        .as_deref()
        .and_then(|name| tables.iter().position(|t| t.resource.name == name))
        .unwrap_or(0);
    let preview = match tables.get(chosen) {
        Some(t) if readable && t.published.is_some() => {
            restricted_read(&trail, &d, &format!("page preview {}", t.resource.name));
            Some(table_view::preview(&ctx, &d, &t.resource, &t.schema, &q).await?)
        }
        _ => None,
    };
    // The chart and the map of the chosen table (cached per published version).
    let (chart, map) = match tables.get(chosen) {
        Some(t) if readable && t.published.is_some() => (
            crate::visual::table_chart(state, &d, &t.resource).await?,
            crate::visual::table_map(state, &d, &t.resource).await?,
        ),
        _ => (None, None),
    };
    let lang = ctx.lang;
    let m = &d.meta;
    let base = &state.config.base_url;
    let content = html! {
        nav.crumbs aria-label=(ctx.t("Remah roti", "Breadcrumb")) {
            a href="/dataset" { (ctx.t("Dataset", "Datasets")) }
            @if let Some(o) = &org { " › " a href=(format!("/organisasi/{}", o.meta.slug)) { (o.meta.name) } }
        }
        h1 { (m.title) }
        p.badges {
            span class=(format!("badge {}", m.access.as_str())) { (words::access(lang, m.access)) }
            span.badge { (words::periodicity(lang, m.periodicity)) }
            @if let Some(l) = m.level { span.badge { (words::level(lang, l)) } }
            span.badge { (words::kind(lang, m.jenis)) }
        }
        @if !m.description.is_empty() { p.lead { (m.description) } }
        p.meta { (words::access_explained(lang, m.access)) }
        @if tables.len() > 1 {
            nav.tabs aria-label=(ctx.t("Tabel dalam dataset ini", "Tables in this dataset")) {
                @for (i, t) in tables.iter().enumerate() {
                    @if i == chosen {
                        a aria-current="page" href=(format!("/dataset/{}?tabel={}#tabel", m.slug, t.resource.name)) { (t.resource.title) }
                    } @else {
                        a href=(format!("/dataset/{}?tabel={}#tabel", m.slug, t.resource.name)) { (t.resource.title) }
                    }
                }
            }
        }
        @if let Some(t) = tables.get(chosen) {
            section #tabel aria-labelledby="judul-tabel" {
                h2 #judul-tabel { (t.resource.title) }
                @if !t.resource.description.is_empty() { p { (t.resource.description) } }
                @if !readable {
                    p.notice { (ctx.t("Isi tabel ini hanya untuk pengguna yang berwenang. Hubungi walidata untuk meminta akses.",
                                      "The content of this table is only for authorised users. Ask the walidata for access.")) }
                } @else if t.published.is_none() {
                    p.notice { (ctx.t("Tabel ini belum punya data yang diterbitkan.", "This table has no published data yet.")) }
                }
                @if let Some(v) = &chart { (visual(&ctx, &d, t, v, "grafik")) }
                @if let Some(v) = &map { (visual(&ctx, &d, t, v, "peta")) }
                @if let Some(p) = &preview { (table_view::render(&ctx, &d, &t.resource, p, &q)) }
            }
            @if readable && t.published.is_some() {
                (downloads(&ctx, &d, t))
                (snippets(&ctx, base, &d, t))
            }
            (history(&ctx, &d, t))
            (schema_table(&ctx, &t.schema))
        }
        @if !files.is_empty() {
            section aria-labelledby="lampiran" {
                h2 #lampiran { (ctx.t("Berkas lampiran", "Attached files")) }
                ul {
                    @for f in &files {
                        li {
                            @if readable {
                                a href=(format!("/api/v1/resources/{}/file", f.id)) { (f.title) }
                            } @else { (f.title) }
                            @if let ResourceKind::File { media_type, .. } = &f.kind { " (" (words::format_label(media_type)) ")" }
                        }
                    }
                }
            }
        }
        (metadata(&ctx, &d, org.as_ref(), &topics))
        (citation(&ctx, base, &d, org.as_ref(), tables.get(chosen)))
    };
    Ok(ctx.ok(&m.title, content))
}

/// A chart or a map: the SVG inline, its downloads, its figures as a table, and for maps the
/// places that have a figure but no boundary.
fn visual(ctx: &PageCtx, d: &Dataset, t: &Table, v: &crate::visual::Visual, file: &str) -> Markup {
    let base = format!("/dataset/{}/{}/{file}", d.meta.slug, t.resource.name);
    html! {
        figure.chart {
            (maud::PreEscaped(&v.svg))
            figcaption {
                (v.title) " · " (ctx.t("versi", "version")) " " (v.version) " · "
                (ctx.t("unduh", "download")) " " a href=(format!("{base}.svg")) download { "SVG" } ", "
                a href=(format!("{base}.png")) download { "PNG" }
            }
            details {
                summary { (ctx.t("Lihat angkanya sebagai tabel", "See the figures as a table")) }
                div.table-scroll {
                    table.data {
                        caption { (v.table.caption) }
                        thead { tr { @for h in &v.table.headers { th scope="col" { (h) } } } }
                        tbody {
                            @for r in &v.table.rows {
                                tr { th scope="row" { (r.label) } @for x in &r.values { td.num { (x) } } }
                            }
                        }
                    }
                }
            }
            @if !v.missing.is_empty() {
                p.meta {
                    (ctx.t("Tidak ada di peta (batas wilayah belum dimuat): ", "Not on the map (no boundary loaded): "))
                    @for (i, p) in v.missing.iter().enumerate() {
                        @if i > 0 { ", " }
                        (p.name)
                    }
                }
            }
        }
    }
}

/// The metadata in plain words (with the national field names for those who know them).
fn metadata(
    ctx: &PageCtx,
    d: &Dataset,
    org: Option<&Organization>,
    topics: &[satudata_core::dataset::Topic],
) -> Markup {
    let m = &d.meta;
    let lang = ctx.lang;
    let rows: Vec<(&str, Markup)> = vec![
        (
            ctx.t("Produsen data", "Data producer"),
            html! {
                @if let Some(o) = org { a href=(format!("/organisasi/{}", o.meta.slug)) { (o.meta.name) } } @else { "–" }
            },
        ),
        (ctx.t("Konsep", "Concept"), text(m.konsep.as_deref())),
        (
            ctx.t("Klasifikasi", "Classification"),
            text(m.klasifikasi.as_deref()),
        ),
        (ctx.t("Ukuran", "Measure"), text(m.ukuran.as_deref())),
        (ctx.t("Satuan", "Unit"), text(m.satuan.as_deref())),
        (
            ctx.t("Frekuensi pembaruan", "Update frequency"),
            html! { (words::periodicity(lang, m.periodicity)) },
        ),
        (
            ctx.t("Tingkat penyajian", "Level of presentation"),
            html! {
                @if let Some(l) = m.level { (words::level(lang, l)) } @else { "–" }
            },
        ),
        (
            ctx.t("Cakupan waktu", "Time covered"),
            html! {
                @match (m.temporal_start, m.temporal_end) {
                    (Some(a), Some(b)) if a != b => { (a) "–" (b) }
                    (Some(a), _) => { (a) }
                    (None, Some(b)) => { (b) }
                    _ => { "–" }
                }
            },
        ),
        (ctx.t("Sumber", "Source"), text(m.source.as_deref())),
        (
            ctx.t("Topik", "Topics"),
            html! {
                @for (i, slug) in m.topics.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(format!("/topik/{slug}")) {
                        (topics.iter().find(|t| &t.slug == slug).map(|t| match (lang, &t.name_en) { (Lang::En, Some(e)) => e.as_str(), _ => t.name.as_str() }).unwrap_or(slug))
                    }
                }
                @if m.topics.is_empty() { "–" }
            },
        ),
        (
            ctx.t("Kata kunci", "Keywords"),
            html! {
                @for (i, tag) in m.tags.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(format!("/dataset?q={}", urlencode(tag))) { (tag) }
                }
                @if m.tags.is_empty() { "–" }
            },
        ),
        (ctx.t("Lisensi", "Licence"), html! { (m.license) }),
        (
            ctx.t("Narahubung", "Contact"),
            html! {
                @if let Some(x) = &m.maintainer { (x) } @else { "–" }
                @if let Some(e) = &m.maintainer_email { " · " a href=(format!("mailto:{e}")) { (e) } }
            },
        ),
        (
            ctx.t("Data prioritas", "Priority data"),
            html! {
                @if let Some(y) = m.prioritas_tahun { (ctx.t("ya, tahun ", "yes, year ")) (y) } @else { (ctx.t("tidak", "no")) }
            },
        ),
        (
            ctx.t("Diperbarui", "Updated"),
            html! { (date(lang, d.updated_at.date_naive())) },
        ),
    ];
    html! {
        section aria-labelledby="metadata" {
            h2 #metadata { (ctx.t("Tentang data ini", "About this data")) }
            dl.meta-list {
                @for (k, v) in rows { dt { (k) } dd { (v) } }
            }
            p.meta {
                (ctx.t("Metadata mesin: ", "Machine-readable metadata: "))
                a href=(format!("/dataset/{}.ttl", m.slug)) { "DCAT (Turtle)" } " · "
                a href=(format!("/dataset/{}.jsonld", m.slug)) { "JSON-LD" } " · "
                a href=(format!("/api/3/action/package_show?id={}", m.slug)) { "CKAN" } " · "
                a href=(format!("/api/v1/datasets/{}", m.slug)) { "API v1" }
            }
        }
    }
}

fn text(v: Option<&str>) -> Markup {
    html! { @match v { Some(s) if !s.trim().is_empty() => { (s) } _ => { "–" } } }
}

/// Percent-encode a query value.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

fn downloads(ctx: &PageCtx, d: &Dataset, t: &Table) -> Markup {
    let slug = &d.meta.slug;
    let name = &t.resource.name;
    html! {
        section aria-labelledby="unduh" {
            h2 #unduh { (ctx.t("Unduh", "Download")) }
            ul.downloads {
                li { a href=(format!("/dataset/{slug}/{name}.csv")) download { "CSV" } " " span.meta { "UTF-8" } }
                li { a href=(format!("/dataset/{slug}/{name}.csv?bom=1")) download { (ctx.t("CSV untuk Excel", "CSV for Excel")) } }
                li { a href=(format!("/dataset/{slug}/{name}.xlsx")) download { "XLSX" } " " span.meta { (ctx.t("dengan lembar metadata", "with a metadata sheet")) } }
                li { a href=(format!("/dataset/{slug}/{name}.json")) download { "JSON" } }
                li { a href=(format!("/dataset/{slug}/{name}.schema.json")) { (ctx.t("Skema tabel", "Table Schema")) } }
                li { a href=(format!("/dataset/{slug}/datapackage.zip")) download { "Data Package (ZIP)" } }
            }
        }
    }
}

fn snippets(ctx: &PageCtx, base: &str, d: &Dataset, t: &Table) -> Markup {
    let slug = &d.meta.slug;
    let name = &t.resource.name;
    let csv = format!("{base}/dataset/{slug}/{name}.csv");
    let api = format!("{base}/api/v1/datasets/{slug}/rows?limit=100");
    let curl = format!("curl -s '{api}'");
    let python = format!("import pandas as pd\n\ndf = pd.read_csv(\"{csv}\")\nprint(df.head())");
    let r = format!("df <- read.csv(\"{csv}\", encoding = \"UTF-8\")\nhead(df)");
    html! {
        section aria-labelledby="api" {
            h2 #api { (ctx.t("Pakai lewat API", "Use it through the API")) }
            p { (ctx.t("Saring, urutkan dan jumlahkan langsung di server: lihat ", "Filter, sort and aggregate on the server: see "))
                a href="/api/v1/openapi.json" { "OpenAPI" } "." }
            details { summary { "curl" } pre { code { (curl) } } }
            details { summary { "Python (pandas)" } pre { code { (python) } } }
            details { summary { "R" } pre { code { (r) } } }
        }
    }
}

fn history(ctx: &PageCtx, d: &Dataset, t: &Table) -> Markup {
    let lang = ctx.lang;
    html! {
        section aria-labelledby="riwayat" {
            h2 #riwayat { (ctx.t("Riwayat versi", "Version history")) }
            @if t.versions.is_empty() {
                p { (ctx.t("Belum ada versi.", "No versions yet.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(ctx.t("Riwayat versi", "Version history")) {
                table.data {
                    caption.visually-hidden { (ctx.t("Versi tabel, terbaru di atas", "Versions of the table, newest first")) }
                    thead { tr {
                        th scope="col" { (ctx.t("Versi", "Version")) }
                        th scope="col" { (ctx.t("Tanggal", "Date")) }
                        th scope="col" { (ctx.t("Baris", "Rows")) }
                        th scope="col" { (ctx.t("Perubahan", "Changes")) }
                        th scope="col" { (ctx.t("Status", "State")) }
                    } }
                    tbody {
                        @for (v, s) in &t.versions {
                            tr {
                                th scope="row" { a href=(format!("/dataset/{}/{}/versi/{}", d.meta.slug, t.resource.name, v.number)) { (v.number) } }
                                td { (date(lang, v.created_at.date_naive())) }
                                td.num { (int(lang, v.row_count)) }
                                td { "+" (int(lang, v.rows_added)) " / −" (int(lang, v.rows_removed))
                                     @if !v.summary.is_empty() { " · " (v.summary) } }
                                td { (state_word(lang, *s)) }
                            }
                        }
                    }
                }
                }
            }
        }
    }
}

/// The review state in plain words.
pub fn state_word(lang: Lang, s: ReviewState) -> &'static str {
    match s {
        ReviewState::Draf => lang.t("Draf", "Draft"),
        ReviewState::Diajukan => lang.t("Diajukan", "Submitted"),
        ReviewState::Dikembalikan => lang.t("Dikembalikan", "Returned"),
        ReviewState::Disetujui => lang.t("Disetujui", "Approved"),
        ReviewState::Terbit => lang.t("Terbit", "Published"),
        ReviewState::Ditarik => lang.t("Ditarik", "Withdrawn"),
        ReviewState::Diarsipkan => lang.t("Diarsipkan", "Archived"),
    }
}

fn schema_table(ctx: &PageCtx, schema: &TableSchema) -> Markup {
    html! {
        details.schema {
            summary { (ctx.t("Kolom dan tipenya", "Columns and their types")) }
            div.table-scroll role="region" tabindex="0" aria-label=(ctx.t("Kolom dan tipenya", "Columns and their types")) {
            table.data {
                thead { tr {
                    th scope="col" { (ctx.t("Kolom", "Column")) }
                    th scope="col" { (ctx.t("Tipe", "Type")) }
                    th scope="col" { (ctx.t("Satuan", "Unit")) }
                    th scope="col" { (ctx.t("Keterangan", "Description")) }
                } }
                tbody {
                    @for f in &schema.fields {
                        tr {
                            th scope="row" { code { (f.name) } }
                            td { (f.field_type.as_str())
                                 @if let Some(l) = f.region_level { " · " (ctx.t("kode wilayah ", "region code ")) (format!("{l:?}").to_lowercase()) }
                                 @if f.period { " · " (ctx.t("periode", "period")) } }
                            td { @if let Some(u) = &f.unit { (u) } }
                            td { (f.title.clone().or(f.description.clone()).unwrap_or_default()) }
                        }
                    }
                }
            }
            }
        }
    }
}

fn citation(
    ctx: &PageCtx,
    base: &str,
    d: &Dataset,
    org: Option<&Organization>,
    t: Option<&Table>,
) -> Markup {
    let year = d.updated_at.format("%Y");
    let who = org
        .map(|o| o.meta.name.as_str())
        .unwrap_or(&ctx.state.config.instance_name);
    let version = t
        .and_then(|t| t.published)
        .map(|n| format!(", {} {n}", ctx.t("versi", "version")))
        .unwrap_or_default();
    let url = format!("{base}/dataset/{}", d.meta.slug);
    let today = date(ctx.lang, chrono::Utc::now().date_naive());
    let cite = format!(
        "{who} ({year}). {}{version}. {}. {url} ({} {today})",
        d.meta.title,
        ctx.state.config.instance_name,
        ctx.t("diakses", "accessed"),
    );
    html! {
        section aria-labelledby="sitasi" {
            h2 #sitasi { (ctx.t("Cara mengutip", "How to cite")) }
            p.cite { (cite) }
        }
    }
}
