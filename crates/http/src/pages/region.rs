//! Region pages `/wilayah/CODE`: the kabupaten, each kecamatan and each desa of the home region,
//! with every published figure about the place across all datasets — its latest value, its trend
//! and its rank among its peers — and the places below it.

use axum::response::Response;
use maud::{html, Markup};
use satudata_core::region::{Level, RegionCode, Regions};

use super::error::PageResult;
use super::i18n::{int, number, Lang};
use super::layout::PageCtx;
use crate::pages::extract::Path;
use crate::region_index::Figure;

/// The kind of a place in words (`Desa`, `Kelurahan`, `Kecamatan`, `Kabupaten`).
fn kind_word(lang: Lang, code: &RegionCode) -> String {
    match (lang, code.level()) {
        (Lang::En, Level::Desa) => "Village".into(),
        (Lang::En, Level::Kecamatan) => "District".into(),
        (Lang::En, Level::Kabupaten) => "Regency".into(),
        (Lang::En, Level::Provinsi) => "Province".into(),
        _ => code.kind().label_id().to_string(),
    }
}

/// The value of a figure as people read it, with its unit.
pub fn figure_value(lang: Lang, f: &Figure, x: f64) -> String {
    let v = if f.summed && x.fract() == 0.0 && x.abs() < 9e15 {
        int(lang, x as i64)
    } else {
        number(lang, x, 2)
    };
    match &f.unit {
        Some(u) if !u.is_empty() => format!("{v} {u}"),
        _ => v,
    }
}

/// The change since the period before, as an arrow and the difference.
fn trend(lang: Lang, f: &Figure) -> Markup {
    let n = f.series.len();
    if n < 2 {
        return html! { span.meta { "–" } };
    }
    let (p0, a) = &f.series[n - 2];
    let (_, b) = &f.series[n - 1];
    let diff = b - a;
    let (arrow, word) = if diff > 0.0 {
        ("▲", lang.t("naik", "up"))
    } else if diff < 0.0 {
        ("▼", lang.t("turun", "down"))
    } else {
        ("＝", lang.t("tetap", "unchanged"))
    };
    let pct = (*a != 0.0).then(|| diff / a.abs() * 100.0);
    html! {
        span aria-hidden="true" { (arrow) " " }
        (word) " " (number(lang, diff.abs(), 2))
        @if let Some(p) = pct { " (" (number(lang, p.abs(), 1)) "%)" }
        " " (lang.t("dari", "from")) " " (p0)
    }
}

/// A small line of the figure over its periods (drawn on the server; its title and description say
/// the same in words).
fn sparkline(i: usize, f: &Figure) -> maud::PreEscaped<String> {
    let labels: Vec<String> = f.series.iter().map(|(p, _)| p.clone()).collect();
    let values: Vec<Option<f64>> = f.series.iter().map(|(_, v)| Some(*v)).collect();
    maud::PreEscaped(satudata_charts::line::sparkline(
        &format!("tren-{i}"),
        &format!("{}: {}", f.dataset_title, f.label),
        &labels,
        &values,
        f.unit.as_deref(),
    ))
}

/// `GET /wilayah/{code}`.
pub async fn region(ctx: PageCtx, Path(code): Path<String>) -> PageResult<Response> {
    let home = ctx.state.config.home_region;
    let regions = Regions::get();
    let parsed = RegionCode::parse(&code).ok();
    let Some(code) = parsed.filter(|c| c.is_within(&home) && regions.by_code(c).is_some()) else {
        return Ok(ctx.not_found(&format!(
            "{} '{code}' {}",
            ctx.t("Kode wilayah", "Region code"),
            ctx.t(
                "tidak dikenal atau bukan bagian dari wilayah portal ini. Tulis kodenya seperti 16.06.01.2001.",
                "is unknown or not part of this portal's region. Write it like 16.06.01.2001."
            )
        )));
    };
    let region = regions.by_code(&code).expect("checked above");
    let state = &ctx.state;
    let figures = state
        .regions
        .figures(state.store.as_ref(), &state.catalog, &home)
        .await?;
    let lang = ctx.lang;
    // The chain from the home region down to this place.
    let mut chain = vec![];
    let mut cur = Some(code);
    while let Some(c) = cur.filter(|c| c.is_within(&home)) {
        chain.push(c);
        cur = c.parent();
    }
    chain.reverse();
    let children = regions.children(&code);
    let mine = figures.of(&code);
    let parent_name = code
        .parent()
        .filter(|p| p.is_within(&home))
        .and_then(|p| regions.by_code(&p))
        .map(|r| r.display_name());
    let title = match lang {
        Lang::Id => region.display_name(),
        Lang::En => format!("{} ({})", region.display_name(), kind_word(lang, &code)),
    };
    let content = html! {
        nav.crumbs aria-label=(ctx.t("Remah roti", "Breadcrumb")) {
            @for (i, c) in chain.iter().enumerate() {
                @if i > 0 { " › " }
                @if *c == code { span aria-current="page" { (regions.by_code(c).map(|r| r.display_name()).unwrap_or_default()) } }
                @else { a href=(format!("/wilayah/{}", c.dotted())) { (regions.by_code(c).map(|r| r.display_name()).unwrap_or_default()) } }
            }
        }
        h1 { (title) }
        p.lead {
            (ctx.t("Kode wilayah", "Region code")) " " code { (code.dotted()) }
            @if let Some(p) = &parent_name { " · " (ctx.t("bagian dari", "part of")) " " (p) }
        }
        section aria-labelledby="angka" {
            h2 #angka { (ctx.t("Angka tentang wilayah ini", "Figures about this place")) }
            @if mine.is_empty() {
                p { (ctx.t("Belum ada data terbuka yang diterbitkan untuk wilayah ini.", "No open data has been published for this place yet.")) }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=(ctx.t("Angka tentang wilayah ini", "Figures about this place")) {
                    table.data {
                        caption { (int(lang, mine.len() as i64)) " " (ctx.t("angka dari dataset yang terbit", "figures from published datasets")) }
                        thead { tr {
                            th scope="col" { (ctx.t("Indikator", "Indicator")) }
                            th scope="col" class="num" { (ctx.t("Nilai terakhir", "Latest value")) }
                            th scope="col" { (ctx.t("Periode", "Period")) }
                            th scope="col" { (ctx.t("Perkembangan", "Trend")) }
                            th scope="col" { (ctx.t("Peringkat", "Rank")) }
                        } }
                        tbody {
                            @for (i, f) in mine.iter().enumerate() {
                                @if let Some((period, value)) = f.latest() {
                                    tr {
                                        th scope="row" {
                                            a href=(format!("/dataset/{}?tabel={}", f.dataset_slug, f.resource)) { (f.dataset_title) }
                                            br; span.meta { (f.label) @if !f.summed { " (" (ctx.t("rata-rata", "average")) ")" } }
                                        }
                                        td.num { (figure_value(lang, f, *value)) }
                                        td { (period) }
                                        td {
                                            @if f.series.len() > 1 { span.spark { (sparkline(i, f)) } br; }
                                            (trend(lang, f))
                                        }
                                        td { @if let Some((r, n)) = f.rank { (r) " " (ctx.t("dari", "of")) " " (n) } @else { "–" } }
                                    }
                                }
                            }
                        }
                    }
                }
                p.meta { (ctx.t("Peringkat: 1 = nilai tertinggi di antara wilayah setingkat dengan induk yang sama, pada periode yang sama.",
                               "Rank: 1 = the highest value among places of the same level under the same parent, for the same period.")) }
            }
        }
        @if !children.is_empty() {
            section aria-labelledby="bagian" {
                h2 #bagian { (ctx.t("Wilayah di dalamnya", "Places within")) " (" (children.len()) ")" }
                ul.columns {
                    @for c in &children {
                        li { a href=(format!("/wilayah/{}", c.code.dotted())) { (c.display_name()) } }
                    }
                }
            }
        }
        p.meta {
            (ctx.t("Data mesin: ", "Machine-readable: "))
            a href=(format!("/api/v1/regions/{}", code.dotted())) { "API" }
            " · " a href=(format!("/dataset?q={}", super::dataset::urlencode(&region.display_name()))) { (ctx.t("Cari dataset tentang ", "Find datasets about ")) (region.display_name()) }
        }
    };
    Ok(ctx.ok(&title, content))
}
