//! Public governance pages: `/kemutakhiran` (who delivers the Daftar Data on time), the release
//! calendar and the quality scores of each OPD with what to do to raise them. Server-rendered, no
//! JavaScript.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use maud::{html, Markup};
use satudata_core::access::Action;
use satudata_core::plan::{Counts, Timeliness};
use serde::Deserialize;

use super::layout::{html_response, page};
use crate::api::find_organization;
use crate::api::kemutakhiran::{report, OrgCounts};
use crate::api::plan::{calendar, today_wib};
use crate::api::quality::{org_quality, overview, Context};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::pages::extract::{Path, Query};
use crate::state::AppState;

/// The year shown.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    tahun: Option<i32>,
}

fn percent(c: &Counts) -> String {
    c.on_time_percent()
        .map(|p| format!("{p:.0}%"))
        .unwrap_or_else(|| "–".to_string())
}

fn org_table(rows: &[OrgCounts], first: &str) -> Markup {
    html! {
        div.table-scroll {
            table.counts {
                thead { tr {
                    th scope="col" { (first) }
                    th scope="col" { "Rencana" }
                    th scope="col" { "Tepat waktu" }
                    th scope="col" { "Terlambat" }
                    th scope="col" { "di antaranya belum dikirim" }
                    th scope="col" { "Belum jatuh tempo" }
                    th scope="col" { "Terbit" }
                    th scope="col" { "% tepat waktu" }
                } }
                tbody {
                    @for o in rows {
                        tr data-organization=(o.organization) {
                            th scope="row" { a href=(format!("/kualitas/{}", o.organization)) { (o.name) } }
                            td { (o.counts.total) }
                            td.on-time { (o.counts.on_time) }
                            td.late { (o.counts.late) }
                            td { (o.counts.late_unsent) }
                            td { (o.counts.pending) }
                            td { (o.counts.published) }
                            td { (percent(&o.counts)) }
                        }
                    }
                }
            }
        }
    }
}

fn year_nav(path: &str, year: i32) -> Markup {
    html! {
        nav.pages aria-label="Tahun" {
            a href=(format!("{path}?tahun={}", year - 1)) rel="prev" { "← " (year - 1) }
            span.meta { "Tahun " (year) }
            a href=(format!("{path}?tahun={}", year + 1)) rel="next" { (year + 1) " →" }
        }
    }
}

/// `GET /kemutakhiran`: every OPD with its on-time and late counts for the year's Daftar Data.
pub async fn kemutakhiran(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<YearQuery>,
) -> ApiResult<Response> {
    auth.allow(Action::ReadCatalogue)?;
    let today = today_wib();
    let year = q.tahun.unwrap_or(today.year());
    let r = report(&state, year, today, false).await?;
    let content = html! {
        h1 { "Kemutakhiran data " (year) }
        p.lead {
            "Apakah setiap perangkat daerah mengirim data dalam Daftar Data " (year)
            " sesuai jadwal pemutakhiran? Keadaan per " (today.format("%d-%m-%Y")) "."
        }
        (year_nav("/kemutakhiran", year))
        p.totals {
            strong { (r.totals.total) } " rencana data: "
            strong { (r.totals.on_time) } " tepat waktu, "
            strong { (r.totals.late) } " terlambat (" (r.totals.late_unsent) " belum dikirim), "
            strong { (r.totals.pending) } " belum jatuh tempo; "
            strong { (r.totals.published) } " sudah terbit."
        }
        h2 { "Per perangkat daerah" }
        (org_table(&r.by_organization, "Perangkat daerah"))
        @if !r.by_desa.is_empty() {
            h2 { "Per desa/kelurahan" }
            (org_table(&r.by_desa, "Desa/kelurahan"))
        }
        @if !r.by_month.is_empty() {
            h2 { "Per bulan jatuh tempo" }
            div.table-scroll {
                table.counts {
                    thead { tr { th { "Bulan" } th { "Rencana" } th { "Tepat waktu" } th { "Terlambat" } th { "Belum jatuh tempo" } } }
                    tbody {
                        @for m in &r.by_month {
                            tr { th scope="row" { (m.key) } td { (m.counts.total) } td { (m.counts.on_time) } td { (m.counts.late) } td { (m.counts.pending) } }
                        }
                    }
                }
            }
        }
        p.meta {
            "Tepat waktu: dikirim ke walidata paling lambat pada jadwal pemutakhiran. "
            "Terlambat: dikirim sesudahnya, atau belum dikirim padahal jadwal sudah lewat. "
            a href=(format!("/api/v1/kemutakhiran?year={year}")) { "Data (JSON)" } " · "
            a href=(format!("/api/v1/kemutakhiran/export.xlsx?year={year}")) { "Unduh XLSX" } " · "
            a href=(format!("/kalender-rilis?tahun={year}")) { "Kalender rilis" } " · "
            a href="/kualitas" { "Skor kualitas" }
        }
    };
    Ok(html_response(
        StatusCode::OK,
        page(&state, &auth, "Kemutakhiran data", content),
    ))
}

fn release_label(t: &Timeliness, published: bool) -> String {
    match (t, published) {
        (Timeliness::TepatWaktu { .. }, _) => "Terbit tepat waktu".into(),
        (Timeliness::Terlambat { days }, _) => format!("Terbit, terlambat {days} hari"),
        (Timeliness::BelumJatuhTempo { .. }, false) => "Dijadwalkan".into(),
        (other, _) => other.label_id(),
    }
}

/// `GET /kalender-rilis`: the year's release calendar.
pub async fn kalender(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<YearQuery>,
) -> ApiResult<Response> {
    auth.allow(Action::ReadCatalogue)?;
    let cal = calendar(&state, q.tahun).await?;
    let content = html! {
        h1 { "Kalender rilis " (cal.year) }
        p.lead { "Jadwal rilis data dalam Daftar Data " (cal.year) ", menurut tanggal." }
        (year_nav("/kalender-rilis", cal.year))
        @if cal.items.is_empty() {
            p { "Belum ada Daftar Data untuk tahun ini." }
        } @else {
            div.table-scroll {
                table.counts {
                    thead { tr { th { "Jadwal rilis" } th { "Data" } th { "Perangkat daerah" } th { "Keadaan" } } }
                    tbody {
                        @for i in &cal.items {
                            tr {
                                td { (i.due_release.format("%d-%m-%Y")) }
                                td {
                                    @if let Some(d) = &i.dataset { a href=(format!("/api/v1/datasets/{d}")) { (i.title) } } @else { (i.title) }
                                    @if i.priority { " " span.badge { "prioritas" } }
                                }
                                td { (i.organization_name) }
                                td { (release_label(&i.release, i.published.is_some())) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html_response(
        StatusCode::OK,
        page(&state, &auth, "Kalender rilis", content),
    ))
}

/// `GET /kualitas`: every producing organisation's score.
pub async fn kualitas(State(state): State<AppState>, auth: Auth) -> ApiResult<Response> {
    auth.allow(Action::ReadCatalogue)?;
    let items = overview(&state).await?;
    let content = html! {
        h1 { "Skor kualitas data" }
        p.lead {
            "Skor 1–5 dari indikator yang dapat diukur perangkat lunak, selaras dengan EPSS BPS: "
            "Kurang < 1,8 ≤ Cukup < 2,6 ≤ Baik < 3,5 ≤ Sangat Baik < 4,2 ≤ Memuaskan."
        }
        div.table-scroll {
            table.counts {
                thead { tr { th { "Perangkat daerah" } th { "Dataset" } th { "Skor" } th { "Predikat" } } }
                tbody {
                    @for o in &items {
                        tr {
                            th scope="row" { a href=(format!("/kualitas/{}", o.organization)) { (o.name) } }
                            td { (o.datasets) }
                            td { (format!("{:.2}", o.score)) }
                            td { (o.predicate_label) }
                        }
                    }
                }
            }
        }
    };
    Ok(html_response(
        StatusCode::OK,
        page(&state, &auth, "Skor kualitas data", content),
    ))
}

/// `GET /kualitas/{slug}`: one OPD's score, its trend and what to do to raise it.
pub async fn kualitas_opd(
    State(state): State<AppState>,
    auth: Auth,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    auth.allow(Action::ReadCatalogue)?;
    let org = find_organization(&state, &slug).await?;
    let ctx = Context::load(&state).await?;
    let q = org_quality(&state, &ctx, &org).await?;
    let mut todo: Vec<_> = q
        .quality
        .indicators
        .iter()
        .filter(|i| i.advice.is_some())
        .collect();
    todo.sort_by(|a, b| a.score.unwrap_or(5.0).total_cmp(&b.score.unwrap_or(5.0)));
    let content = html! {
        h1 { "Kualitas data " (q.name) }
        p.lead {
            "Skor " strong { (format!("{:.2}", q.quality.score)) } " dari 5 — "
            strong { (q.quality.predicate_label) } " (" (q.datasets.len()) " dataset)."
        }
        h2 { "Yang perlu dilakukan" }
        @if todo.is_empty() {
            p { "Semua indikator sudah bernilai penuh. Pertahankan!" }
        } @else {
            ol.todo {
                @for i in &todo {
                    li { strong { (i.label) } " (" (i.score.map(|s| format!("{s:.1}")).unwrap_or_default()) "): " (i.advice.clone().unwrap_or_default()) }
                }
            }
        }
        h2 { "Indikator" }
        div.table-scroll {
            table.counts {
                thead { tr { th { "Indikator" } th { "Ranah EPSS" } th { "Bobot" } th { "Skor" } } }
                tbody {
                    @for i in &q.quality.indicators {
                        tr {
                            th scope="row" { (i.label) }
                            td { (i.domain.label_id()) }
                            td { (i.weight) }
                            td { (i.score.map(|s| format!("{s:.2}")).unwrap_or_else(|| "tidak berlaku".into())) }
                        }
                    }
                }
            }
        }
        h2 { "Tren" }
        @if q.trend.is_empty() {
            p.meta { "Belum ada catatan bulanan." }
        } @else {
            div.table-scroll {
                table.counts {
                    thead { tr { th { "Bulan" } th { "Skor" } } }
                    tbody {
                        @for (m, s) in &q.trend { tr { td { (m) } td { (format!("{s:.2}")) } } }
                        tr { td { "Sekarang" } td { (format!("{:.2}", q.quality.score)) } }
                    }
                }
            }
        }
        h2 { "Dataset" }
        div.table-scroll {
            table.counts {
                thead { tr { th { "Dataset" } th { "Skor" } th { "Predikat" } } }
                tbody {
                    @for d in &q.datasets {
                        tr {
                            th scope="row" { a href=(format!("/api/v1/datasets/{}", d.dataset)) { (d.title) } }
                            td { (format!("{:.2}", d.quality.score)) }
                            td { (d.quality.predicate_label) }
                        }
                    }
                }
            }
        }
        p.meta { "Cara menghitung: lihat docs/QUALITY.md di repositori satudata. " a href="/kemutakhiran" { "Kemutakhiran" } }
    };
    Ok(html_response(
        StatusCode::OK,
        page(&state, &auth, "Kualitas data", content),
    ))
}
