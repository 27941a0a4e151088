//! The Daftar Data in the workspace: the plan of a year per OPD with each item's delivery status,
//! forms to add and change items (the walidata), copy a year forward, import and export the
//! workbook; and the kemutakhiran dashboard for logged-in users. Every write goes through the
//! API's shared functions in [`crate::api::plan`].

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};
use satudata_core::access::Action;
use satudata_core::dataset::Periodicity;
use satudata_core::organization::OrgKind;
use satudata_core::plan::{ItemStatus, ReferenceSource, Timeliness};
use satudata_core::Id;
use serde::Deserialize;

use super::dashboard::timeliness;
use super::datasets::parse_enum;
use super::{check_csrf, csrf_input, flash, nav, see_other, Field, FieldErrors, FormData};
use crate::api::plan::{
    copy_year_forward, create_item, find_item, import_workbook, list_page, today_wib, update_item,
    view_item, PlanItemBody, PlanItemView, PlanParams,
};
use crate::audit_trail::AuditTrail;
use crate::error::ApiError;
use crate::pages::error::{PageError, PageResult};
use crate::pages::extract::{Path, Query};
use crate::pages::i18n::date;
use crate::pages::layout::{html_response, PageCtx};
use crate::pages::words;

/// The year and organisation shown.
#[derive(Debug, Deserialize, Default)]
pub struct PlanQuery {
    tahun: Option<i32>,
    organisasi: Option<String>,
}

/// Organisations that produce data (OPD, desa, kelurahan, walidata), as (slug, name).
async fn producers(ctx: &PageCtx) -> PageResult<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> =
        super::organizations_where(ctx, |o| o.meta.kind != OrgKind::Pembina)
            .await?
            .into_iter()
            .map(|o| (o.meta.slug, o.meta.name))
            .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// `GET /ruang-kerja/daftar-data`: the plan of a year, with each item's status.
pub async fn list(ctx: PageCtx, Query(q): Query<PlanQuery>) -> PageResult<Response> {
    ctx.auth.require_user()?;
    let today = today_wib();
    let year = q.tahun.unwrap_or(today.year());
    let org = q.organisasi.clone().filter(|s| !s.is_empty());
    let page = list_page(
        &ctx.state,
        &ctx.auth,
        PlanParams {
            year: Some(year),
            organization: org.clone(),
            limit: Some(1000),
            offset: None,
        },
    )
    .await?;
    let statuses: HashMap<Id, ItemStatus> =
        crate::api::kemutakhiran::report(&ctx.state, year, today, true)
            .await?
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|s| (s.item_id, s))
            .collect();
    let manages = ctx.auth.allow(Action::ManagePlan).is_ok();
    let orgs = producers(&ctx).await?;
    let chosen = org.unwrap_or_default();
    let title = format!("Daftar Data {year}");
    let content = html! {
        h1 { (title) }
        (nav(&ctx))
        (flash(&ctx))
        form.filter method="get" action="/ruang-kerja/daftar-data" {
            label for="tahun" { (ctx.t("Tahun", "Year")) }
            input #tahun type="number" name="tahun" value=(year) min="2000" max="2200";
            label for="organisasi" { (ctx.t("Organisasi", "Organisation")) }
            select #organisasi name="organisasi" {
                option value="" { (ctx.t("Semua", "All")) }
                @for (slug, name) in &orgs { option value=(slug) selected[*slug == chosen] { (name) } }
            }
            button.secondary type="submit" { (ctx.t("Tampilkan", "Show")) }
        }
        p {
            a href=(format!("/api/v1/plan-items/export.xlsx?year={year}")) { (ctx.t("Unduh sebagai XLSX", "Download as XLSX")) }
            @if manages {
                " · " a href=(format!("/ruang-kerja/daftar-data/baru?tahun={year}")) { (ctx.t("Tambah butir", "Add an item")) }
            }
        }
        p { (page.total) " " (ctx.t("butir.", "items.")) }
        @if !page.items.is_empty() {
            div.table-scroll { table.data {
                thead { tr {
                    th scope="col" { (ctx.t("Data", "Data")) }
                    th scope="col" { (ctx.t("Organisasi", "Organisation")) }
                    th scope="col" { (ctx.t("Periode", "Frequency")) }
                    th scope="col" { (ctx.t("Jadwal pemutakhiran", "Update due")) }
                    th scope="col" { (ctx.t("Jadwal rilis", "Release due")) }
                    th scope="col" { (ctx.t("Status", "State")) }
                } }
                tbody {
                    @for v in &page.items {
                        (item_row(&ctx, v, statuses.get(&v.item.id), manages))
                    }
                }
            } }
        }
        @if manages {
            section aria-labelledby="salin" {
                h2 #salin { (ctx.t("Salin ke tahun berikutnya", "Copy to the next year")) }
                form.stack method="post" action="/ruang-kerja/daftar-data/salin" {
                    (csrf_input(&ctx))
                    input type="hidden" name="tahun" value=(year);
                    p { (ctx.t("Semua butir tahun ini disalin ke tahun berikutnya dengan jadwal satu tahun kemudian; butir yang sudah ada dilewati.",
                               "Every item of this year is copied to the next year with dates a year later; items already there are skipped.")) }
                    button type="submit" { (ctx.t("Salin ke ", "Copy to ")) (year + 1) }
                }
            }
            section aria-labelledby="impor" {
                h2 #impor { (ctx.t("Impor dari XLSX", "Import from XLSX")) }
                form.stack method="post" enctype="multipart/form-data" action="/ruang-kerja/daftar-data/impor" {
                    (csrf_input(&ctx))
                    label for="berkas" { (ctx.t("Buku kerja Daftar Data", "Daftar Data workbook")) }
                    input #berkas type="file" name="berkas" required accept=".xlsx" aria-describedby="berkas-bantuan";
                    span.help #berkas-bantuan { (ctx.t(
                        "Kolom seperti berkas unduhan di atas. Bila satu baris salah, tidak ada yang disimpan.",
                        "The columns of the download above. If one row is wrong, nothing is saved.")) }
                    button type="submit" { (ctx.t("Impor", "Import")) }
                }
            }
        }
    };
    Ok(ctx.ok(&title, content))
}

fn item_row(ctx: &PageCtx, v: &PlanItemView, status: Option<&ItemStatus>, manages: bool) -> Markup {
    let m = &v.item.meta;
    html! {
        tr {
            th scope="row" {
                @if manages {
                    a href=(format!("/ruang-kerja/daftar-data/{}", v.item.id)) { (m.title) }
                } @else { (m.title) }
                @if m.priority { " " span.badge { (ctx.t("prioritas", "priority")) } }
                @if let Some(d) = &v.dataset { br; a.meta href=(format!("/ruang-kerja/dataset/{d}")) { (d) } }
            }
            td { (v.organization) }
            td { (words::periodicity(ctx.lang, m.periodicity)) }
            td { (date(ctx.lang, m.due_update)) }
            td { (date(ctx.lang, m.due_release)) }
            @match status.map(|s| &s.status) {
                Some(t @ (Timeliness::Terlambat { .. } | Timeliness::BelumDikirimTerlambat { .. })) => td.late { (timeliness(ctx.lang, t)) },
                Some(t @ Timeliness::TepatWaktu { .. }) => td.on-time { (timeliness(ctx.lang, t)) },
                Some(t) => td { (timeliness(ctx.lang, t)) },
                None => td { "–" },
            }
        }
    }
}

/// Every field name of the item form.
const FIELDS: &[&str] = &[
    "year",
    "organization",
    "title",
    "description",
    "kode",
    "periodicity",
    "level",
    "due_update",
    "due_release",
    "dataset",
    "topic",
    "sources",
];

fn values_of(v: &PlanItemView) -> FormData {
    let m = &v.item.meta;
    let mut f = FormData::default();
    for (k, val) in [
        ("year", m.year.to_string()),
        ("organization", v.organization.clone()),
        ("title", m.title.clone()),
        ("description", m.description.clone()),
        ("kode", m.kode.clone().unwrap_or_default()),
        ("periodicity", m.periodicity.as_str().to_string()),
        (
            "level",
            m.level
                .map(|l| words::level_key(l).to_string())
                .unwrap_or_default(),
        ),
        ("due_update", m.due_update.to_string()),
        ("due_release", m.due_release.to_string()),
        ("dataset", v.dataset.clone().unwrap_or_default()),
        ("topic", m.topic.clone().unwrap_or_default()),
    ] {
        f.push(k.into(), val);
    }
    if m.priority {
        f.push("priority".into(), "ya".into());
    }
    for s in &m.sources {
        f.push("sources".into(), s.as_str().into());
    }
    f
}

/// Read the form into a plan item; what cannot be read is listed in `errors`.
fn body_of(form: &FormData, errors: &mut FieldErrors) -> Option<PlanItemBody> {
    let year = form.get("year").trim().parse::<i32>();
    if year.is_err() {
        errors.add("year", "Tahun harus angka, misalnya 2026.");
    }
    let mut day = |name: &str| {
        let v = form.get(name).trim();
        let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
        if d.is_none() {
            errors.add(name, "Isi tanggal, misalnya 2026-03-31.");
        }
        d
    };
    let due_update = day("due_update");
    let due_release = day("due_release");
    let periodicity = parse_enum::<Periodicity>(form.get("periodicity"));
    if periodicity.is_none() {
        errors.add("periodicity", "Pilih periode dari daftar.");
    }
    let mut sources = vec![];
    for s in form.all("sources") {
        match s.parse::<ReferenceSource>() {
            Ok(r) => sources.push(r),
            Err(e) => errors.add("sources", e),
        }
    }
    Some(PlanItemBody {
        year: year.ok()?,
        organization: form.get("organization").trim().to_string(),
        title: form.get("title").trim().to_string(),
        description: form.get("description").trim().to_string(),
        kode: form.opt("kode"),
        periodicity: periodicity?,
        level: form.opt("level").and_then(|l| parse_enum(&l)),
        due_update: due_update?,
        due_release: due_release?,
        priority: !form.get("priority").is_empty(),
        sources,
        dataset: form.opt("dataset"),
        topic: form.opt("topic"),
    })
}

async fn item_form(
    ctx: &PageCtx,
    action: &str,
    values: &FormData,
    errors: &FieldErrors,
) -> PageResult<Markup> {
    let orgs: Vec<(String, String)> = producers(ctx).await?;
    let topics = ctx.state.store.list_topics().await?;
    let lang = ctx.lang;
    let f = |name, label, help, required| Field {
        name,
        label,
        help,
        required,
    };
    let periodicity: Vec<(String, String)> = Periodicity::ALL
        .iter()
        .map(|p| {
            (
                p.as_str().to_string(),
                words::periodicity(lang, *p).to_string(),
            )
        })
        .collect();
    let mut levels = vec![(
        String::new(),
        ctx.t("(belum ditentukan)", "(not set)").to_string(),
    )];
    levels.extend(words::LEVELS.iter().map(|l| {
        (
            words::level_key(*l).to_string(),
            words::level(lang, *l).to_string(),
        )
    }));
    let mut topic_options = vec![(
        String::new(),
        ctx.t("(tanpa topik)", "(no topic)").to_string(),
    )];
    topic_options.extend(topics.iter().map(|t| (t.slug.clone(), t.name.clone())));
    let chosen: Vec<&str> = values.all("sources");
    Ok(html! {
        (errors.summary(ctx))
        form.stack method="post" action=(action) novalidate {
            (csrf_input(ctx))
            (f("year", ctx.t("Tahun Daftar Data", "Plan year"), "", true).input("number", values.get("year"), errors))
            (f("organization", ctx.t("Produsen data", "Data producer"), ctx.t(
                "OPD atau desa yang wajib menyerahkan data ini.", "The agency or village that must deliver this data."), true)
                .select(&orgs, values.get("organization"), errors))
            (f("title", ctx.t("Judul data", "Title"), "", true).input("text", values.get("title"), errors))
            (f("description", ctx.t("Deskripsi", "Description"), "", false).textarea(values.get("description"), errors))
            (f("kode", ctx.t("Kode Daftar Data", "Daftar Data code"), "", false).input("text", values.get("kode"), errors))
            (f("periodicity", ctx.t("Periode", "Frequency"), "", true).select(&periodicity, values.get("periodicity"), errors))
            (f("level", ctx.t("Level penyajian", "Level of presentation"), "", false).select(&levels, values.get("level"), errors))
            (f("due_update", ctx.t("Jadwal pemutakhiran", "Update due"), ctx.t(
                "Tanggal produsen paling lambat mengajukan data.", "The day the producer must submit the data by."), true)
                .input("date", values.get("due_update"), errors))
            (f("due_release", ctx.t("Jadwal rilis", "Release due"), ctx.t(
                "Tanggal data paling lambat terbit untuk publik.", "The day the data must be published by."), true)
                .input("date", values.get("due_release"), errors))
            div {
                input #priority type="checkbox" name="priority" value="ya" checked[!values.get("priority").is_empty()];
                " " label.inline for="priority" { (ctx.t("Data prioritas", "Priority data")) }
            }
            fieldset {
                legend { (ctx.t("Sumber rujukan", "Reference source")) }
                @for s in ReferenceSource::ALL {
                    @let id = format!("sumber-{}", s.as_str());
                    div {
                        input type="checkbox" id=(id) name="sources" value=(s.as_str()) checked[chosen.contains(&s.as_str())];
                        " " label.inline for=(id) { (s.label_id()) }
                    }
                }
                @if let Some(e) = errors.of("sources") { span.error { (e) } }
            }
            (f("dataset", ctx.t("Dataset yang memenuhi (slug)", "Dataset delivering it (slug)"), ctx.t(
                "Alamat dataset, misalnya 'jumlah-penduduk'; boleh diisi nanti.", "The dataset's address; may be filled in later."), false)
                .input("text", values.get("dataset"), errors))
            (f("topic", ctx.t("Topik", "Topic"), "", false).select(&topic_options, values.get("topic"), errors))
            button type="submit" { (ctx.t("Simpan", "Save")) }
        }
    })
}

fn form_response(ctx: &PageCtx, status: StatusCode, title: &str, form: Markup) -> Response {
    let content = html! {
        p.crumbs { a href="/ruang-kerja/daftar-data" { "Daftar Data" } " › " (title) }
        h1 { (title) }
        (form)
    };
    html_response(status, ctx.page(title, content))
}

/// `GET /ruang-kerja/daftar-data/baru`: the empty item form (the walidata).
pub async fn new_form(ctx: PageCtx, Query(q): Query<PlanQuery>) -> PageResult<Response> {
    ctx.auth.allow(Action::ManagePlan)?;
    let year = q.tahun.unwrap_or(today_wib().year());
    let mut values = FormData::default();
    values.push("year".into(), year.to_string());
    values.push("periodicity".into(), "tahunan".into());
    let form = item_form(
        &ctx,
        "/ruang-kerja/daftar-data/baru",
        &values,
        &FieldErrors::none(),
    )
    .await?;
    Ok(form_response(
        &ctx,
        StatusCode::OK,
        ctx.t("Butir Daftar Data baru", "New Daftar Data item"),
        form,
    ))
}

/// `POST /ruang-kerja/daftar-data/baru`.
pub async fn create(ctx: PageCtx, headers: HeaderMap, body: Bytes) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    ctx.auth.allow(Action::ManagePlan)?;
    let mut errors = FieldErrors::none();
    if let Some(b) = body_of(&form, &mut errors).filter(|_| errors.is_empty()) {
        let year = b.year;
        match create_item(&ctx.state, &ctx.auth, b).await {
            Ok(_) => {
                return Ok(see_other(
                    &format!("/ruang-kerja/daftar-data?tahun={year}"),
                    "dibuat",
                ))
            }
            Err(e) => errors = FieldErrors::from_api(e, FIELDS)?,
        }
    }
    let markup = item_form(&ctx, "/ruang-kerja/daftar-data/baru", &form, &errors).await?;
    Ok(form_response(
        &ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.t("Butir Daftar Data baru", "New Daftar Data item"),
        markup,
    ))
}

/// `GET /ruang-kerja/daftar-data/{id}`: the item form, filled.
pub async fn edit_form(ctx: PageCtx, Path(id): Path<Id>) -> PageResult<Response> {
    ctx.auth.allow(Action::ManagePlan)?;
    let item = view_item(&ctx.state, find_item(&ctx.state, id).await?).await?;
    let title = item.item.meta.title.clone();
    let form = item_form(
        &ctx,
        &format!("/ruang-kerja/daftar-data/{id}"),
        &values_of(&item),
        &FieldErrors::none(),
    )
    .await?;
    Ok(form_response(&ctx, StatusCode::OK, &title, form))
}

/// `POST /ruang-kerja/daftar-data/{id}`.
pub async fn update(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<Id>,
    body: Bytes,
) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    ctx.auth.allow(Action::ManagePlan)?;
    let mut errors = FieldErrors::none();
    if let Some(b) = body_of(&form, &mut errors).filter(|_| errors.is_empty()) {
        let year = b.year;
        match update_item(&ctx.state, &ctx.auth, id, b).await {
            Ok(_) => {
                return Ok(see_other(
                    &format!("/ruang-kerja/daftar-data?tahun={year}"),
                    "tersimpan",
                ))
            }
            Err(e) => errors = FieldErrors::from_api(e, FIELDS)?,
        }
    }
    let markup = item_form(
        &ctx,
        &format!("/ruang-kerja/daftar-data/{id}"),
        &form,
        &errors,
    )
    .await?;
    Ok(form_response(
        &ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Daftar Data",
        markup,
    ))
}

/// `POST /ruang-kerja/daftar-data/salin`: copy a year forward.
pub async fn copy_forward(ctx: PageCtx, headers: HeaderMap, body: Bytes) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    let year = form
        .get("tahun")
        .trim()
        .parse::<i32>()
        .map_err(|_| ApiError::invalid_field("tahun", "Tahun harus angka, misalnya 2026."))?;
    copy_year_forward(&ctx.state, &ctx.auth, year).await?;
    Ok(see_other(
        &format!("/ruang-kerja/daftar-data?tahun={}", year + 1),
        "disalin",
    ))
}

/// `POST /ruang-kerja/daftar-data/impor` (multipart): import a workbook; nothing is kept when a
/// row is wrong, and the page lists every problem with its row.
pub async fn import(
    ctx: PageCtx,
    trail: AuditTrail,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult<Response> {
    let bad = |e: String| {
        PageError(ApiError::bad_request(format!(
            "Formulir impor tidak dapat dibaca: {e}"
        )))
    };
    let mut multipart = multipart.map_err(|e| bad(e.to_string()))?;
    let mut checked = false;
    let mut bytes = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(e.to_string()))?
    {
        match field.name().unwrap_or_default() {
            "csrf_token" => {
                let t = field.text().await.map_err(|e| bad(e.to_string()))?;
                check_csrf(&ctx, &headers, &t)?;
                checked = true;
                ctx.auth.allow(Action::ManagePlan)?;
            }
            "berkas" if checked => {
                bytes = Some(field.bytes().await.map_err(|e| bad(e.to_string()))?);
            }
            _ => {}
        }
    }
    if !checked {
        check_csrf(&ctx, &headers, "")?;
    }
    let bytes = bytes.ok_or_else(|| ApiError::invalid_field("berkas", "Pilih buku kerja XLSX."))?;
    match import_workbook(&ctx.state, &ctx.auth, &trail, &bytes).await {
        Ok(_) => Ok(see_other("/ruang-kerja/daftar-data", "diimpor")),
        Err(e)
            if e.status() == StatusCode::UNPROCESSABLE_ENTITY
                || e.status() == StatusCode::BAD_REQUEST =>
        {
            let problem = e.problem();
            let content = html! {
                p.crumbs { a href="/ruang-kerja/daftar-data" { "Daftar Data" } }
                h1 { (ctx.t("Impor Daftar Data gagal", "The Daftar Data import failed")) }
                p.error role="alert" { (problem.detail) }
                @if !problem.errors.is_empty() {
                    div.table-scroll { table.data {
                        thead { tr {
                            th scope="col" { (ctx.t("Baris", "Row")) }
                            th scope="col" { (ctx.t("Kolom", "Column")) }
                            th scope="col" { (ctx.t("Isi", "Value")) }
                            th scope="col" { (ctx.t("Masalah", "Problem")) }
                        } }
                        tbody { @for p in &problem.errors {
                            tr {
                                td.num { (p.row.map(|r| r.to_string()).unwrap_or_default()) }
                                td { (p.field) }
                                td { (p.value.clone().unwrap_or_default()) }
                                td { (p.message) }
                            }
                        } }
                    } }
                }
                p { a href="/ruang-kerja/daftar-data#impor" { (ctx.t("Kembali dan unggah lagi", "Back, and upload again")) } }
            };
            Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                ctx.page("Daftar Data", content),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /ruang-kerja/kemutakhiran`: every plan item of a year with its status and the roll-up by
/// organisation, for logged-in users (the public summary is `/kemutakhiran`).
pub async fn kemutakhiran(ctx: PageCtx, Query(q): Query<PlanQuery>) -> PageResult<Response> {
    ctx.auth.require_user()?;
    ctx.auth.allow(Action::ReadCatalogue)?;
    let today = today_wib();
    let year = q.tahun.unwrap_or(today.year());
    let report = crate::api::kemutakhiran::report(&ctx.state, year, today, true).await?;
    let mut items = report.items.unwrap_or_default();
    // The late first, the most late at the top.
    let lateness = |t: &Timeliness| match t {
        Timeliness::BelumDikirimTerlambat { days } => 2_000_000 + days,
        Timeliness::Terlambat { days } => 1_000_000 + days,
        Timeliness::BelumJatuhTempo { days_left } => -days_left,
        Timeliness::TepatWaktu { .. } => -1_000_000,
    };
    items.sort_by_key(|s| -lateness(&s.status));
    let title = format!("{} {year}", ctx.t("Kemutakhiran", "Timeliness"));
    let content = html! {
        h1 { (title) }
        (nav(&ctx))
        form.filter method="get" action="/ruang-kerja/kemutakhiran" {
            label for="tahun" { (ctx.t("Tahun", "Year")) }
            input #tahun type="number" name="tahun" value=(year) min="2000" max="2200";
            button.secondary type="submit" { (ctx.t("Tampilkan", "Show")) }
        }
        p {
            (ctx.t("Per ", "As of ")) (date(ctx.lang, today)) ": "
            (report.totals.total) " " (ctx.t("butir", "items")) ", "
            (report.totals.on_time) " " (ctx.t("tepat waktu", "on time")) ", "
            strong { (report.totals.late) " " (ctx.t("terlambat", "late")) } ", "
            (report.totals.pending) " " (ctx.t("belum jatuh tempo", "not due yet")) ". "
            a href=(format!("/api/v1/kemutakhiran/export.xlsx?year={year}")) { (ctx.t("Unduh XLSX", "Download XLSX")) }
            " · " a href=(format!("/kemutakhiran?tahun={year}")) { (ctx.t("Ringkasan publik", "Public summary")) }
        }
        h2 { (ctx.t("Per organisasi", "By organisation")) }
        div.table-scroll { table.counts {
            thead { tr {
                th scope="col" { (ctx.t("Organisasi", "Organisation")) }
                th scope="col" { (ctx.t("Rencana", "Planned")) }
                th scope="col" { (ctx.t("Tepat waktu", "On time")) }
                th scope="col" { (ctx.t("Terlambat", "Late")) }
                th scope="col" { (ctx.t("Belum jatuh tempo", "Not due yet")) }
                th scope="col" { (ctx.t("Terbit", "Published")) }
            } }
            tbody { @for o in &report.by_organization {
                tr {
                    th scope="row" { a href=(format!("/ruang-kerja/daftar-data?tahun={year}&organisasi={}", o.organization)) { (o.name) } }
                    td { (o.counts.total) } td.on-time { (o.counts.on_time) } td.late { (o.counts.late) }
                    td { (o.counts.pending) } td { (o.counts.published) }
                }
            } }
        } }
        h2 { (ctx.t("Setiap butir", "Every item")) }
        div.table-scroll { table.data {
            thead { tr {
                th scope="col" { (ctx.t("Data", "Data")) }
                th scope="col" { (ctx.t("Organisasi", "Organisation")) }
                th scope="col" { (ctx.t("Jadwal pemutakhiran", "Update due")) }
                th scope="col" { (ctx.t("Dikirim", "Submitted")) }
                th scope="col" { (ctx.t("Terbit", "Published")) }
                th scope="col" { (ctx.t("Status", "State")) }
            } }
            tbody { @for s in &items {
                tr {
                    th scope="row" { (s.title) @if s.priority { " " span.badge { (ctx.t("prioritas", "priority")) } } }
                    td { (s.organization_name) }
                    td { (date(ctx.lang, s.due_update)) }
                    td { (s.submitted.map(|d| date(ctx.lang, d)).unwrap_or_else(|| "–".into())) }
                    td { (s.published.map(|d| date(ctx.lang, d)).unwrap_or_else(|| "–".into())) }
                    @let late = matches!(s.status, Timeliness::Terlambat { .. } | Timeliness::BelumDikirimTerlambat { .. });
                    td class=[late.then_some("late")] { (timeliness(ctx.lang, &s.status)) }
                }
            } }
        } }
    };
    Ok(ctx.ok(&title, content))
}
