//! The admin's settings page (`/ruang-kerja/pengaturan`): how the instance is set up (home region,
//! name, address, store, file store, e-mail, rate limits — read only, with where each is changed),
//! and the region boundaries behind the maps: how many kecamatan and desa of the home region have
//! one, which do not, and a form to load GeoJSON (`POST /ruang-kerja/pengaturan/batas-wilayah`,
//! the same reading as `satudata boundaries load` and `POST /api/v1/boundaries`).

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{html, Markup};
use satudata_core::access::Action;
use satudata_core::region::{Level, Regions};

use super::{check_csrf, csrf_input, flash, nav, see_other, FieldErrors, FormData};
use crate::api::boundaries::{load_boundaries, UploadParams, MAX_GEOJSON};
use crate::dataapi::limit::Limit;
use crate::error::ApiError;
use crate::pages::error::{PageError, PageResult};
use crate::pages::i18n::int;
use crate::pages::layout::{html_response, PageCtx};

/// How many places without a boundary are named on the page (the rest are counted).
const LISTED_MISSING: usize = 30;

/// Boundaries loaded for one level of the home region.
struct Coverage {
    level: Level,
    expected: usize,
    loaded: usize,
    missing: Vec<String>,
}

async fn coverage(ctx: &PageCtx) -> PageResult<Vec<Coverage>> {
    let home = ctx.state.config.home_region;
    let regions = Regions::get();
    let mut out = vec![];
    for level in [Level::Kecamatan, Level::Desa] {
        let places = regions.descendants(&home, level);
        let loaded = ctx
            .state
            .store
            .list_boundaries(&home.to_string(), level, false)
            .await?;
        let have: std::collections::HashSet<&str> =
            loaded.iter().map(|b| b.code.as_str()).collect();
        let missing: Vec<String> = places
            .iter()
            .filter(|r| !have.contains(r.code.to_string().as_str()))
            .map(|r| format!("{} ({})", r.display_name(), r.code))
            .collect();
        out.push(Coverage {
            level,
            expected: places.len(),
            loaded: loaded.len(),
            missing,
        });
    }
    Ok(out)
}

fn limit_words(ctx: &PageCtx, l: Limit) -> String {
    if l.per_second <= 0.0 {
        ctx.t("tanpa batas", "no limit").to_string()
    } else {
        format!(
            "{} {}",
            l.per_second,
            ctx.t("permintaan/detik", "requests/second")
        )
    }
}

fn level_words(ctx: &PageCtx, l: Level) -> &'static str {
    match l {
        Level::Provinsi => ctx.t("Provinsi", "Province"),
        Level::Kabupaten => ctx.t("Kabupaten/kota", "Regency/city"),
        Level::Kecamatan => ctx.t("Kecamatan", "District"),
        Level::Desa => ctx.t("Desa/kelurahan", "Village"),
    }
}

async fn settings_page(
    ctx: &PageCtx,
    values: &FormData,
    errors: &FieldErrors,
) -> PageResult<Markup> {
    let c = &ctx.state.config;
    let home = Regions::get()
        .by_code(&c.home_region)
        .map(|r| r.display_name())
        .unwrap_or_default();
    let limits = ctx.state.data_api.limiter.limits();
    let coverage = coverage(ctx).await?;
    let yes_no = |b: bool| {
        if b {
            ctx.t("ya", "yes")
        } else {
            ctx.t("tidak", "no")
        }
    };
    let level_choice = values.get("level");
    Ok(html! {
        h1 { (ctx.t("Pengaturan", "Settings")) }
        (nav(ctx))
        (flash(ctx))
        (errors.summary(ctx))
        h2 #instansi { (ctx.t("Instansi", "Instance")) }
        p.help { (ctx.t("Pengaturan ini dibaca saat server dijalankan: ubah di berkas satudata.toml atau variabel lingkungan SATUDATA_*, lalu jalankan ulang server (lihat docs/CONFIGURATION.md).",
                        "These settings are read when the server starts: change them in satudata.toml or the SATUDATA_* environment variables, then restart the server (see docs/CONFIGURATION.md).")) }
        dl.meta-list {
            dt { (ctx.t("Nama portal", "Portal name")) } dd { (c.instance_name) }
            dt { (ctx.t("Wilayah induk", "Home region")) } dd { (home) " (" (c.home_region) ")" }
            dt { (ctx.t("Alamat publik", "Public address")) } dd { code { (c.base_url) } }
            dt { (ctx.t("Penyimpanan data", "Data store")) } dd { (ctx.state.store.backend()) }
            dt { (ctx.t("Penyimpanan berkas", "File store")) } dd { (ctx.state.files.describe()) }
            dt { (ctx.t("Surel pemberitahuan (SMTP)", "Notification e-mail (SMTP)")) } dd { (yes_no(ctx.state.mailer.is_some())) }
            dt { (ctx.t("Cookie hanya lewat HTTPS", "Cookies over HTTPS only")) } dd { (yes_no(c.secure_cookies)) }
            dt { (ctx.t("Batas API tanpa token", "API limit without a token")) } dd { (limit_words(ctx, limits.per_ip)) }
            dt { (ctx.t("Batas API dengan token", "API limit with a token")) } dd { (limit_words(ctx, limits.per_token)) }
            dt { (ctx.t("Versi satudata", "satudata version")) } dd { (env!("CARGO_PKG_VERSION")) }
        }
        h2 #batas-wilayah { (ctx.t("Batas wilayah untuk peta", "Region boundaries for maps")) }
        div.table-scroll { table.data {
            caption { (ctx.t("Batas wilayah yang sudah dimuat di ", "Boundaries loaded in ")) (home) }
            thead { tr {
                th scope="col" { (ctx.t("Tingkat", "Level")) }
                th scope="col" { (ctx.t("Wilayah", "Places")) }
                th scope="col" { (ctx.t("Punya batas", "With a boundary")) }
                th scope="col" { (ctx.t("Belum", "Without")) }
            } }
            tbody { @for cov in &coverage {
                tr data-level=(cov.level.as_str()) {
                    th scope="row" { (level_words(ctx, cov.level)) }
                    td.num { (int(ctx.lang, cov.expected as i64)) }
                    td.num { (int(ctx.lang, cov.loaded as i64)) }
                    td.num { (int(ctx.lang, cov.missing.len() as i64)) }
                }
            } }
        } }
        @for cov in &coverage {
            @if !cov.missing.is_empty() {
                details {
                    summary { (level_words(ctx, cov.level)) (ctx.t(" tanpa batas wilayah (peta mendaftarnya di bawah gambar)", " without a boundary (maps list them below the picture)")) }
                    p { @for (i, m) in cov.missing.iter().take(LISTED_MISSING).enumerate() { @if i > 0 { ", " } (m) }
                        @if cov.missing.len() > LISTED_MISSING { ", " (ctx.t("dan ", "and ")) (cov.missing.len() - LISTED_MISSING) (ctx.t(" lainnya", " more")) } }
                }
            }
        }
        h3 { (ctx.t("Muat batas wilayah (GeoJSON)", "Load boundaries (GeoJSON)")) }
        form.stack method="post" action="/ruang-kerja/pengaturan/batas-wilayah" enctype="multipart/form-data" {
            (csrf_input(ctx))
            label for="berkas" { (ctx.t("Berkas GeoJSON", "GeoJSON file")) " *" }
            input #berkas type="file" name="berkas" accept=".geojson,.json,application/geo+json" required aria-describedby="berkas-bantuan";
            span.help #berkas-bantuan { (ctx.t("FeatureCollection berisi Polygon/MultiPolygon dengan kode Kemendagri (mis. properti code, kode, KDEPUM) atau nama wilayah. Paling besar 64 MB; batas yang sudah ada untuk kode yang sama diganti.",
                                               "A FeatureCollection of Polygon/MultiPolygon features with a Kemendagri code (e.g. property code, kode, KDEPUM) or the place's name. At most 64 MB; existing boundaries of the same codes are replaced.")) }
            label for="level" { (ctx.t("Tingkat wilayah", "Level")) }
            select #level name="level" aria-describedby="level-bantuan" {
                option value="" selected[level_choice.is_empty()] { (ctx.t("Kenali sendiri dari kode", "Recognise from the codes")) }
                @for l in [Level::Kabupaten, Level::Kecamatan, Level::Desa] {
                    option value=(l.as_str()) selected[level_choice == l.as_str()] { (level_words(ctx, l)) }
                }
            }
            span.help #level-bantuan { (ctx.t("Wajib bila berkas hanya memuat nama wilayah, tanpa kode.", "Needed when the file holds names only, no codes.")) }
            label for="code_property" { (ctx.t("Nama properti kode (boleh kosong)", "Code property (optional)")) }
            input #code_property type="text" name="code_property" value=(values.get("code_property"));
            label.inline {
                input type="checkbox" name="skip_unmatched" value="ya" checked[values.get("skip_unmatched") == "ya"];
                " " (ctx.t("Simpan yang cocok walau ada fitur yang tidak cocok", "Store the matching features even when some do not match"))
            }
            button type="submit" { (ctx.t("Muat batas wilayah", "Load boundaries")) }
        }
    })
}

/// `GET /ruang-kerja/pengaturan`: the instance's settings and its boundaries (admin).
pub async fn settings(ctx: PageCtx) -> PageResult<Response> {
    ctx.auth.require_user()?;
    ctx.auth.allow(Action::ManageBoundaries)?;
    let markup = settings_page(&ctx, &FormData::default(), &FieldErrors::none()).await?;
    Ok(ctx.ok(ctx.t("Pengaturan", "Settings"), markup))
}

/// `POST /ruang-kerja/pengaturan/batas-wilayah` (multipart): load a GeoJSON file of boundaries,
/// all or nothing; on success back to the settings page with how many were stored.
pub async fn load(
    ctx: PageCtx,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult<Response> {
    let bad = |e: &dyn std::fmt::Display| {
        PageError(ApiError::bad_request(format!(
            "Formulir batas wilayah tidak dapat dibaca: {e}"
        )))
    };
    let mut multipart = multipart.map_err(|e| bad(&e))?;
    let mut form = FormData::default();
    let mut csrf_checked = false;
    let mut geojson: Option<Vec<u8>> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| bad(&e))? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "berkas" {
            // The token and the role are checked before the file is read.
            if !csrf_checked {
                check_csrf(&ctx, &headers, "")?;
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| bad(&e))? {
                if bytes.len() + chunk.len() > MAX_GEOJSON {
                    return Err(ApiError::too_large(format!(
                        "Berkas GeoJSON paling besar {} MB; bagi per kabupaten atau kecamatan.",
                        MAX_GEOJSON >> 20
                    ))
                    .into());
                }
                bytes.extend_from_slice(&chunk);
            }
            geojson = Some(bytes);
            continue;
        }
        let text = field.text().await.map_err(|e| bad(&e))?;
        if name == "csrf_token" {
            check_csrf(&ctx, &headers, &text)?;
            csrf_checked = true;
            ctx.auth.require_user()?;
            ctx.auth.allow(Action::ManageBoundaries)?;
        }
        form.push(name, text);
    }
    if !csrf_checked {
        check_csrf(&ctx, &headers, "")?;
    }
    ctx.auth.require_user()?;
    ctx.auth.allow(Action::ManageBoundaries)?;
    let mut errors = FieldErrors::none();
    let level = match form.get("level") {
        "" => None,
        "kabupaten" => Some(Level::Kabupaten),
        "kecamatan" => Some(Level::Kecamatan),
        "desa" => Some(Level::Desa),
        _ => {
            errors.add("level", "Pilih tingkat wilayah dari daftar.");
            None
        }
    };
    let text = match geojson.as_deref().map(std::str::from_utf8) {
        Some(Ok(t)) if !t.trim().is_empty() => Some(t),
        Some(Ok(_)) | None => {
            errors.add("berkas", "Pilih berkas GeoJSON yang akan dimuat.");
            None
        }
        Some(Err(_)) => {
            errors.add(
                "berkas",
                "Berkas ini bukan teks UTF-8; simpan GeoJSON sebagai UTF-8 lalu unggah lagi.",
            );
            None
        }
    };
    if let (Some(text), true) = (text, errors.is_empty()) {
        let params = UploadParams {
            level,
            code_property: form.opt("code_property"),
            skip_unmatched: form.get("skip_unmatched") == "ya",
        };
        match load_boundaries(&ctx.state, &ctx.auth, &params, text, "halaman pengaturan").await {
            Ok(done) => {
                let code = format!("batas-{}", done.loaded);
                return Ok(see_other("/ruang-kerja/pengaturan#batas-wilayah", &code));
            }
            Err(e) => errors = load_errors(e)?,
        }
    }
    let markup = settings_page(&ctx, &form, &errors).await?;
    Ok(html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.page(ctx.t("Pengaturan", "Settings"), markup),
    ))
}

/// The refusal of a boundaries file as form errors: the reason, then each feature that did not
/// match (the first few), so the admin can fix the file.
fn load_errors(e: ApiError) -> Result<FieldErrors, ApiError> {
    const SHOWN: usize = 20;
    let status = e.status();
    if status != StatusCode::UNPROCESSABLE_ENTITY {
        return Err(e);
    }
    let problem = e.problem();
    let mut out = FieldErrors::none();
    if problem.errors.iter().all(|i| i.field == "body") {
        for i in &problem.errors {
            out.add("berkas", i.message.clone());
        }
        if problem.errors.is_empty() {
            out.general.push(problem.detail);
        }
        return Ok(out);
    }
    out.general.push(problem.detail);
    let total = problem.errors.len();
    for i in problem.errors.into_iter().take(SHOWN) {
        out.general.push(format!("{}: {}", i.field, i.message));
    }
    if total > SHOWN {
        out.general.push(format!(
            "… dan {} fitur lain yang tidak cocok.",
            total - SHOWN
        ));
    }
    Ok(out)
}
