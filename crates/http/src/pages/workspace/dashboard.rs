//! `/ruang-kerja`: what the logged-in user has to do. The produsen sees the datasets of their
//! organisations with the state of each table's latest version and what is due from the Daftar
//! Data; the walidata, pembina and admin see the summaries of their work; everyone sees their
//! notifications and can mark them read.

use std::collections::HashSet;

use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Datelike;
use maud::{html, Markup};
use satudata_core::access::Action;
use satudata_core::dataset::{Dataset, ResourceKind};
use satudata_core::plan::{ItemStatus, Timeliness};
use satudata_core::review::ReviewState;
use satudata_core::user::Role;
use satudata_core::Id;
use satudata_store::DatasetQuery;

use super::{check_csrf, csrf_input, flash, nav, see_other, FormData};
use crate::api::plan::today_wib;
use crate::api::review::{queue_page, QueueParams};
use crate::pages::dataset::state_word;
use crate::pages::error::PageResult;
use crate::pages::extract::Path;
use crate::pages::i18n::{date, Lang};
use crate::pages::layout::PageCtx;

/// The latest version of one table, for the list.
struct TableState {
    title: String,
    latest: Option<(i32, ReviewState)>,
}

/// A plan item's delivery status in words.
pub fn timeliness(lang: Lang, t: &Timeliness) -> String {
    match (lang, t) {
        (Lang::Id, t) => t.label_id(),
        (Lang::En, Timeliness::BelumJatuhTempo { days_left }) => {
            format!("Not due yet ({days_left} days left)")
        }
        (Lang::En, Timeliness::TepatWaktu { .. }) => "On time".into(),
        (Lang::En, Timeliness::Terlambat { days }) => format!("Late by {days} days"),
        (Lang::En, Timeliness::BelumDikirimTerlambat { days }) => {
            format!("Not sent, late by {days} days")
        }
    }
}

/// Whether a plan item still needs the produsen: not sent, and due within 60 days or late.
fn needs_delivery(s: &ItemStatus) -> bool {
    match s.status {
        Timeliness::BelumJatuhTempo { days_left } => days_left <= 60,
        Timeliness::BelumDikirimTerlambat { .. } => true,
        _ => false,
    }
}

async fn tables_of(ctx: &PageCtx, d: &Dataset) -> PageResult<Vec<TableState>> {
    let mut out = vec![];
    for r in ctx.state.store.list_resources(d.id).await? {
        if !matches!(r.kind, ResourceKind::Table { .. }) {
            continue;
        }
        let latest = ctx
            .state
            .store
            .version_states(r.id)
            .await?
            .into_iter()
            .max_by_key(|v| v.number)
            .map(|v| (v.number, v.state));
        out.push(TableState {
            title: r.title,
            latest,
        });
    }
    Ok(out)
}

/// `GET /ruang-kerja`.
pub async fn dashboard(ctx: PageCtx) -> PageResult<Response> {
    let user = ctx.auth.require_user()?.clone();
    let state = &ctx.state;
    let lang = ctx.lang;
    let mut own_orgs: Vec<Id> = user
        .memberships
        .iter()
        .filter(|m| m.role == Role::Produsen)
        .map(|m| m.organization_id)
        .collect();
    own_orgs.sort();
    own_orgs.dedup();
    let mut orgs = vec![];
    for id in &own_orgs {
        let Some(org) = state.store.get_organization(&id.to_string()).await? else {
            continue;
        };
        let page = state
            .store
            .list_datasets(&DatasetQuery {
                organization_id: Some(org.id),
                limit: 200,
                ..DatasetQuery::default()
            })
            .await?;
        let mut datasets = vec![];
        for d in page.items {
            let tables = tables_of(&ctx, &d).await?;
            datasets.push((d, tables));
        }
        orgs.push((org, datasets));
    }
    let today = today_wib();
    let own_slugs: HashSet<&str> = orgs.iter().map(|(o, _)| o.meta.slug.as_str()).collect();
    let due: Vec<ItemStatus> = if own_slugs.is_empty() {
        vec![]
    } else {
        crate::api::kemutakhiran::report(state, today.year(), today, true)
            .await?
            .items
            .unwrap_or_default()
            .into_iter()
            .filter(|s| own_slugs.contains(s.organization.as_str()) && needs_delivery(s))
            .collect()
    };
    let queue = if ctx.auth.allow(Action::ReviewSubmission).is_ok() {
        Some(
            queue_page(
                state,
                &ctx.auth,
                QueueParams {
                    organization: None,
                    state: None,
                    limit: Some(1),
                    offset: None,
                },
            )
            .await?
            .total,
        )
    } else {
        None
    };
    let notifications = state.store.list_notifications(user.id, false, 20).await?;
    let writes_somewhere = ctx.auth.allow(Action::ManageCatalogue).is_ok() || !own_orgs.is_empty();
    let content = html! {
        h1 { (ctx.t("Ruang kerja", "Workspace")) }
        p.lead { (ctx.t("Selamat datang, ", "Welcome, ")) (user.display_name) "." }
        (nav(&ctx))
        (flash(&ctx))
        @if writes_somewhere {
            p { a.button href="/ruang-kerja/dataset-baru" { (ctx.t("Buat dataset baru", "Create a new dataset")) } }
        }
        @for (org, datasets) in &orgs {
            section aria-labelledby=(format!("org-{}", org.meta.slug)) {
                h2 id=(format!("org-{}", org.meta.slug)) { (ctx.t("Dataset ", "Datasets of ")) (org.meta.name) }
                @if datasets.is_empty() {
                    p { (ctx.t("Belum ada dataset.", "No datasets yet.")) }
                } @else {
                    div.table-scroll { table.data {
                        thead { tr {
                            th scope="col" { "Dataset" }
                            th scope="col" { (ctx.t("Tabel", "Table")) }
                            th scope="col" { (ctx.t("Versi terakhir", "Latest version")) }
                            th scope="col" { (ctx.t("Status", "State")) }
                        } }
                        tbody {
                            @for (d, tables) in datasets {
                                @if tables.is_empty() {
                                    tr {
                                        th scope="row" { a href=(format!("/ruang-kerja/dataset/{}", d.meta.slug)) { (d.meta.title) } }
                                        td colspan="3" { (ctx.t("Belum ada tabel", "No table yet")) }
                                    }
                                }
                                @for t in tables {
                                    tr {
                                        th scope="row" { a href=(format!("/ruang-kerja/dataset/{}", d.meta.slug)) { (d.meta.title) } }
                                        td { (t.title) }
                                        @match t.latest {
                                            Some((n, st)) => {
                                                td.num { (n) }
                                                td data-state=(st.as_str()) { (state_word(lang, st)) }
                                            }
                                            None => {
                                                td { "–" }
                                                td { (ctx.t("Belum ada data", "No data yet")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
            }
        }
        @if !own_slugs.is_empty() {
            section aria-labelledby="jatuh-tempo" {
                h2 #jatuh-tempo { (ctx.t("Yang harus dikirim (Daftar Data)", "Due from the Daftar Data")) }
                @if due.is_empty() {
                    p { (ctx.t("Tidak ada butir Daftar Data yang jatuh tempo dalam 60 hari atau terlambat.",
                               "Nothing of the Daftar Data is due within 60 days or late.")) }
                } @else {
                    div.table-scroll { table.data {
                        thead { tr {
                            th scope="col" { (ctx.t("Data", "Data")) }
                            th scope="col" { (ctx.t("Jadwal pemutakhiran", "Update due")) }
                            th scope="col" { (ctx.t("Status", "State")) }
                        } }
                        tbody {
                            @for s in &due {
                                tr {
                                    th scope="row" {
                                        @if let Some(slug) = &s.dataset {
                                            a href=(format!("/ruang-kerja/dataset/{slug}")) { (s.title) }
                                        } @else { (s.title) }
                                        @if s.priority { " " span.badge { (ctx.t("prioritas", "priority")) } }
                                    }
                                    td { (date(lang, s.due_update)) }
                                    @let late = matches!(s.status, Timeliness::BelumDikirimTerlambat { .. });
                                    td class=[late.then_some("late")] { (timeliness(lang, &s.status)) }
                                }
                            }
                        }
                    } }
                }
            }
        }
        @if let Some(total) = queue {
            section aria-labelledby="antrean" {
                h2 #antrean { (ctx.t("Pemeriksaan", "Review")) }
                p {
                    (total) " " (ctx.t("pengajuan menunggu di antrean.", "submissions wait in the queue."))
                    " " a href="/ruang-kerja/pemeriksaan" { (ctx.t("Buka antrean", "Open the queue")) }
                }
            }
        }
        @if ctx.auth.allow(Action::ManagePlan).is_ok() {
            section aria-labelledby="tata-kelola" {
                h2 #tata-kelola { (ctx.t("Tata kelola", "Governance")) }
                ul {
                    li { a href="/ruang-kerja/daftar-data" { (ctx.t("Daftar Data tahun ini", "This year's Daftar Data")) } }
                    li { a href="/ruang-kerja/kemutakhiran" { (ctx.t("Kemutakhiran: siapa yang terlambat", "Timeliness: who is late")) } }
                }
            }
        }
        @if ctx.auth.allow(Action::ReviewMetadata).is_ok() {
            section aria-labelledby="pembina" {
                h2 #pembina { (ctx.t("Telaah metadata statistik", "Statistical metadata review")) }
                p { a href="/api/v1/review/metadata" { (ctx.t("Daftar dataset statistik dan kekurangan metadatanya (JSON)",
                                                              "Statistical datasets and what their metadata lacks (JSON)")) } }
            }
        }
        @if ctx.auth.allow(Action::ManageUsers).is_ok() {
            section aria-labelledby="admin" {
                h2 #admin { (ctx.t("Administrasi", "Administration")) }
                ul {
                    li { a href="/ruang-kerja/pengguna" { (ctx.t("Pengguna dan peran", "Users and roles")) } }
                    li { a href="/ruang-kerja/organisasi" { (ctx.t("Organisasi", "Organisations")) } }
                    li { a href="/api/v1/audit" { (ctx.t("Log audit (JSON)", "Audit log (JSON)")) } }
                }
            }
        }
        (notification_list(&ctx, &notifications))
    };
    Ok(ctx.ok(ctx.t("Ruang kerja", "Workspace"), content))
}

/// Where a notification's link leads in the workspace (review links go to the review page).
fn page_link(link: &str) -> String {
    let parts: Vec<&str> = link.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["api", "v1", "resources", id, "versions", n, "review"] => {
            format!("/ruang-kerja/pemeriksaan/{id}/{n}")
        }
        _ => link.to_string(),
    }
}

fn notification_list(ctx: &PageCtx, list: &[satudata_core::notification::Notification]) -> Markup {
    html! {
        section aria-labelledby="notifikasi" {
            h2 #notifikasi { (ctx.t("Notifikasi", "Notifications")) }
            @if list.is_empty() {
                p { (ctx.t("Tidak ada notifikasi.", "No notifications.")) }
            } @else {
                ul.datasets {
                    @for n in list {
                        li data-read=(n.read_at.is_some()) {
                            h3 {
                                @if let Some(link) = &n.link {
                                    a href=(page_link(link)) { (n.title) }
                                } @else { (n.title) }
                                @if n.read_at.is_none() { " " span.badge { (ctx.t("baru", "new")) } }
                            }
                            @for line in n.body.lines() { p { (line) } }
                            p.meta { (date(ctx.lang, n.created_at.date_naive())) }
                            @if n.read_at.is_none() {
                                form method="post" action=(format!("/ruang-kerja/notifikasi/{}/dibaca", n.id)) {
                                    (csrf_input(ctx))
                                    button.secondary type="submit" { (ctx.t("Tandai sudah dibaca", "Mark read")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /ruang-kerja/notifikasi/{id}/dibaca`: mark a notification read, back to the workspace.
pub async fn mark_read(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<Id>,
    body: axum::body::Bytes,
) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    crate::api::notifications::mark_read_for(&ctx.state, &ctx.auth, id).await?;
    Ok(see_other("/ruang-kerja", "dibaca"))
}
