//! The upload wizard for a table: choose the file (multipart form) → sheet and header row (with a
//! preview of the first rows) → for a new table, the inferred schema to edit → the import job's
//! progress (a page that reloads itself while the job runs) and its validation report, with the
//! offending cells highlighted in their rows → submit the draft version for review.
//!
//! Between the steps the file waits in the file store under `staging/{dataset}/{upload}/`, beside
//! a small JSON record of what was chosen; the import itself is the API's job machinery
//! ([`crate::api::files::queue_import`]), run by the job runner.
//!
//! A file that names regions instead of coding them ("Sekayu") gets, on the schema step, the codes
//! suggested for its names ([`satudata_formats::region_names`]) to check, a choice for names that
//! several regions share, and a box to tick to add a region-code column (`kode_kecamatan`) from
//! them. Nothing is added without that tick; the confirmed mapping is kept in the staged record
//! and in the job's options, and the job fills the column for every row as the file streams.
//! A new version of an existing table whose schema has a region-code field the file lacks
//! (`kode_kecamatan`, made from names last year) while the file names regions of that level gets
//! the same section on step 2, with the box "fill `kode_kecamatan` from these names": ticked, the
//! job fills that existing field the same way (the schema is not changed); unticked, the file is
//! checked as it is and the missing column reported.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;
use maud::{html, Markup};
use satudata_core::access::Action;
use satudata_core::dataset::{Dataset, NewResource, Resource, ResourceKind};
use satudata_core::region::Level;
use satudata_core::schema::{FieldType, TableSchema};
use satudata_core::Id;
use satudata_formats::infer::Inferred;
use satudata_formats::infer::RegionNameColumn;
use satudata_formats::read::{open_owned, records, ReadOptions, SheetSelector, TableReader};

use crate::file_sample::{extension, infer_sample, read_stored, sample_options, usable_sample};
use satudata_formats::region_names::{
    code_field_name, confirmed_codes, CodeColumn, CodeColumns, WithCodeColumns,
};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::datasets::{action_form, available_actions};
use super::{check_csrf, csrf_input, flash, see_other, Field, FieldErrors, FormData};
use crate::api::files::{file_error, find_job, queue_import, safe_filename, ImportOptions};
use crate::api::{find_dataset, find_resource};
use crate::error::ApiError;
use crate::pages::dataset::state_word;
use crate::pages::error::{PageError, PageResult};
use crate::pages::extract::{Path, Query};
use crate::pages::i18n::int;
use crate::pages::layout::{html_response, PageCtx};

/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 15;
/// Rows with errors shown in context on the report.
const CONTEXT_ROWS: usize = 20;

/// What was chosen in the first step, kept beside the staged file.
#[derive(Debug, Serialize, Deserialize)]
struct Staged {
    filename: String,
    file_key: String,
    size: u64,
    sha256: String,
    /// The existing table, or `None` for a new one.
    table: Option<Id>,
    new_title: String,
    summary: String,
    /// Region-code columns to add from columns of names, as confirmed on the schema step (absent
    /// in records staged before this existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    region_codes: Option<CodeColumns>,
}

/// The file in a staged upload's folder that says an import job was started from it.
pub const USED_MARKER: &str = "dipakai";

/// Where uploads wait between the wizard's steps, in the file store.
pub const STAGING: &str = "staging";

fn staging_prefix(dataset: Id, upload: Id) -> String {
    format!("{STAGING}/{dataset}/{upload}")
}

/// The steps of the wizard, with the current one marked.
fn steps(ctx: &PageCtx, current: usize) -> Markup {
    let names = [
        ctx.t("1. Pilih berkas", "1. Choose file"),
        ctx.t("2. Lembar dan judul kolom", "2. Sheet and header"),
        ctx.t("3. Skema", "3. Schema"),
        ctx.t("4. Hasil pemeriksaan", "4. Validation"),
        ctx.t("5. Ajukan", "5. Submit"),
    ];
    html! {
        ol.steps aria-label=(ctx.t("Langkah unggah", "Upload steps")) {
            @for (i, n) in names.iter().enumerate() {
                @if i + 1 == current { li aria-current="step" { (n) } } @else { li { (n) } }
            }
        }
    }
}

/// The dataset, after checking that the user may write to it.
async fn writable_dataset(ctx: &PageCtx, slug: &str) -> PageResult<Dataset> {
    ctx.auth.require_user()?;
    let d = find_dataset(&ctx.state, slug).await?;
    ctx.auth.allow(Action::ReadMetadata {
        access: d.meta.access,
        organization: d.meta.organization_id,
    })?;
    ctx.auth.allow(Action::WriteDataset {
        organization: d.meta.organization_id,
    })?;
    Ok(d)
}

async fn tables(ctx: &PageCtx, d: &Dataset) -> PageResult<Vec<Resource>> {
    Ok(ctx
        .state
        .store
        .list_resources(d.id)
        .await?
        .into_iter()
        .filter(|r| matches!(r.kind, ResourceKind::Table { .. }))
        .collect())
}

/// The query of the first step.
#[derive(Debug, Deserialize)]
pub struct ChooseQuery {
    /// The table (resource name) preselected.
    tabel: Option<String>,
}

fn choose_page(
    ctx: &PageCtx,
    d: &Dataset,
    tables: &[Resource],
    values: &FormData,
    errors: &FieldErrors,
) -> Markup {
    let mut options: Vec<(String, String)> = tables
        .iter()
        .map(|r| (r.name.clone(), format!("{} ({})", r.title, r.name)))
        .collect();
    options.push((
        "baru".into(),
        ctx.t(
            "Tabel baru (skema dari berkas)",
            "A new table (schema from the file)",
        )
        .to_string(),
    ));
    let chosen = match values.get("tabel") {
        "" => tables
            .first()
            .map(|r| r.name.clone())
            .unwrap_or_else(|| "baru".into()),
        t => t.to_string(),
    };
    let f = |name, label, help, required| Field {
        name,
        label,
        help,
        required,
    };
    let file_error = errors.of("berkas");
    let title = ctx.t("Unggah data", "Upload data");
    html! {
        p.crumbs {
            a href="/ruang-kerja" { (ctx.t("Ruang kerja", "Workspace")) } " › "
            a href=(format!("/ruang-kerja/dataset/{}", d.meta.slug)) { (d.meta.title) } " › " (title)
        }
        h1 { (title) ": " (d.meta.title) }
        (steps(ctx, 1))
        (errors.summary(ctx))
        form.stack method="post" enctype="multipart/form-data" action=(format!("/ruang-kerja/dataset/{}/unggah", d.meta.slug)) {
            (csrf_input(ctx))
            (f("tabel", ctx.t("Tabel tujuan", "Target table"), ctx.t(
                "Pilih tabel yang sudah ada untuk versi baru, atau buat tabel baru dari berkas ini.",
                "Choose an existing table for a new version, or make a new table from this file."), true)
                .select(&options, &chosen, errors))
            (f("judul_tabel", ctx.t("Judul tabel baru", "Title of the new table"), ctx.t(
                "Hanya untuk tabel baru, misalnya 'Penduduk per kecamatan'.",
                "Only for a new table."), false)
                .input("text", values.get("judul_tabel"), errors))
            label for="berkas" { (ctx.t("Berkas data", "Data file")) " *" }
            input #berkas type="file" name="berkas" required
                accept=".csv,.xlsx,.xls,.ods,.json,.ndjson,text/csv"
                aria-describedby=(if file_error.is_some() { "berkas-bantuan berkas-galat" } else { "berkas-bantuan" });
            span.help #berkas-bantuan { (ctx.t(
                "CSV, XLSX, XLS, ODS, JSON atau NDJSON. Baris judul di atas tabel dan catatan di bawahnya dikenali.",
                "CSV, XLSX, XLS, ODS, JSON or NDJSON. Title rows above the table and notes below it are recognised.")) }
            @if let Some(e) = file_error { span.error #berkas-galat { (e) } }
            (f("ringkasan", ctx.t("Ringkasan perubahan", "Summary of the change"), ctx.t(
                "Ditampilkan di riwayat versi, misalnya 'Data 2024 ditambahkan'.",
                "Shown in the version history."), false)
                .input("text", values.get("ringkasan"), errors))
            button type="submit" { (ctx.t("Unggah dan lanjutkan", "Upload and continue")) }
        }
    }
}

/// `GET /ruang-kerja/dataset/{slug}/unggah`: step 1, choose the table and the file.
pub async fn choose(
    ctx: PageCtx,
    Path(slug): Path<String>,
    Query(q): Query<ChooseQuery>,
) -> PageResult<Response> {
    let d = writable_dataset(&ctx, &slug).await?;
    let tables = tables(&ctx, &d).await?;
    let mut values = FormData::default();
    if let Some(t) = q.tabel {
        values.push("tabel".into(), t);
    }
    let markup = choose_page(&ctx, &d, &tables, &values, &FieldErrors::none());
    Ok(ctx.ok(ctx.t("Unggah data", "Upload data"), markup))
}

/// `POST /ruang-kerja/dataset/{slug}/unggah` (multipart): keep the file, then go to step 2 — or,
/// for a new version of an existing table from a file with one sheet, start the import at once
/// (unless the table's region codes could be filled from the file's names: step 2 shows them).
pub async fn receive(
    ctx: PageCtx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult<Response> {
    let mut multipart = multipart.map_err(|e| {
        PageError(ApiError::bad_request(format!(
            "Formulir unggah tidak dapat dibaca: {e}"
        )))
    })?;
    let mut form = FormData::default();
    let mut csrf_checked = false;
    let mut stored = None;
    let upload = satudata_core::new_id();
    let mut dataset: Option<Dataset> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        PageError(ApiError::bad_request(format!(
            "Unggahan terputus sebelum selesai: {e}"
        )))
    })? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "berkas" {
            // The token comes first in the form: nothing is stored before it is checked.
            if !csrf_checked {
                check_csrf(&ctx, &headers, "")?;
            }
            let d = match &dataset {
                Some(d) => d.clone(),
                None => writable_dataset(&ctx, &slug).await?,
            };
            let filename = safe_filename(field.file_name().unwrap_or("data.csv"));
            let key = format!("{}/{filename}", staging_prefix(d.id, upload));
            let file = ctx
                .state
                .files
                .put_stream(&key, field)
                .await
                .map_err(file_error)?;
            stored = Some((filename, file));
            dataset = Some(d);
            continue;
        }
        let text = field.text().await.map_err(|e| {
            PageError(ApiError::bad_request(format!(
                "Formulir unggah tidak dapat dibaca: {e}"
            )))
        })?;
        if name == "csrf_token" {
            check_csrf(&ctx, &headers, &text)?;
            csrf_checked = true;
            // Permission next, before any file is read.
            dataset = Some(writable_dataset(&ctx, &slug).await?);
        }
        form.push(name, text);
    }
    if !csrf_checked {
        check_csrf(&ctx, &headers, "")?;
    }
    let d = match dataset {
        Some(d) => d,
        None => writable_dataset(&ctx, &slug).await?,
    };
    let tables = tables(&ctx, &d).await?;
    let mut errors = FieldErrors::none();
    let table = match form.get("tabel") {
        "baru" => None,
        name => match tables.iter().find(|r| r.name == name) {
            Some(r) => Some(r.clone()),
            None => {
                errors.add("tabel", "Pilih tabel dari daftar.");
                None
            }
        },
    };
    match &stored {
        Some((_, f)) if f.size > 0 => {}
        _ => errors.add(
            "berkas",
            "Pilih berkas data yang akan diunggah (berkas kosong tidak dapat dibaca).",
        ),
    }
    if !errors.is_empty() {
        if let Some((_, f)) = &stored {
            let _ = ctx.state.files.delete(&f.key).await;
        }
        let markup = choose_page(&ctx, &d, &tables, &form, &errors);
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.page(ctx.t("Unggah data", "Upload data"), markup),
        ));
    }
    let Some((filename, file)) = stored else {
        return Err(ApiError::bad_request("Berkas tidak ada.").into());
    };
    let staged = Staged {
        filename,
        file_key: file.key.clone(),
        size: file.size,
        sha256: file.sha256.clone(),
        table: table.as_ref().map(|t| t.id),
        new_title: form.get("judul_tabel").trim().to_string(),
        summary: form.get("ringkasan").trim().to_string(),
        region_codes: None,
    };
    save_staged(&ctx, &d, upload, &staged).await?;
    if let Some(table) = &table {
        // One sheet (or none: CSV, JSON): nothing to choose, start the import.
        let bytes = read_file(&ctx, &staged.file_key).await?;
        let ext = extension(&staged.filename);
        let inspection = run_inspect(&ctx, bytes, ext, None, None).await?;
        // Unless the table has region-code fields the file lacks but can fill from its names:
        // then the next step shows the names for confirmation.
        let fillable = inspection
            .inferred
            .as_ref()
            .is_some_and(|i| !existing_table_targets(i, table).is_empty());
        if inspection.sheets.len() <= 1 && inspection.error.is_none() && !fillable {
            let job = start(&ctx, table, &staged, None, None).await?;
            return Ok(see_other(&format!("/ruang-kerja/pekerjaan/{}", job.id), ""));
        }
    }
    Ok(see_other(
        &format!("/ruang-kerja/dataset/{}/unggah/{upload}", d.meta.slug),
        "",
    ))
}

async fn start(
    ctx: &PageCtx,
    table: &Resource,
    staged: &Staged,
    sheet: Option<String>,
    header_row: Option<u64>,
) -> PageResult<satudata_store::jobs::Job> {
    let file = satudata_files::StoredFile {
        key: staged.file_key.clone(),
        size: staged.size,
        sha256: staged.sha256.clone(),
    };
    let options = ImportOptions {
        sheet,
        header_row,
        summary: (!staged.summary.is_empty()).then(|| staged.summary.clone()),
        region_codes: staged.region_codes.clone(),
    };
    let job = queue_import(
        &ctx.state,
        &ctx.auth,
        table,
        file,
        staged.filename.clone(),
        &options,
    )
    .await?;
    // The file now belongs to a job (its report shows rows from it): mark the staged upload as
    // used, so that the daily clean-up of abandoned uploads leaves it alone.
    let marker = staged
        .file_key
        .rsplit_once('/')
        .map(|(dir, _)| format!("{dir}/{USED_MARKER}"));
    if let Some(marker) = marker {
        if let Err(e) = ctx.state.files.put_bytes(&marker, job.id.to_string()).await {
            tracing::warn!(error = %e, key = %marker, "could not mark a staged upload as used");
        }
    }
    Ok(job)
}

/// Read a stored file back, whole up to [`SAMPLE_BYTES`](crate::file_sample::SAMPLE_BYTES).
async fn read_file(ctx: &PageCtx, key: &str) -> PageResult<Vec<u8>> {
    Ok(read_stored(&ctx.state, key).await?)
}

/// What the second step shows.
struct Inspection {
    sheets: Vec<String>,
    sheet: Option<String>,
    preview: Vec<(u64, Vec<String>)>,
    inferred: Option<Inferred>,
    /// Why the file cannot be read, in Bahasa Indonesia.
    error: Option<String>,
}

fn inspect(
    bytes: Vec<u8>,
    ext: Option<String>,
    sheet: Option<String>,
    first_row: Option<u64>,
    home: satudata_core::region::RegionCode,
) -> Inspection {
    let opts = sample_options(sheet, first_row);
    let failed = |e: String| Inspection {
        sheets: vec![],
        sheet: None,
        preview: vec![],
        inferred: None,
        error: Some(e),
    };
    let bytes = match usable_sample(bytes, ext.as_deref()) {
        Ok(b) => b,
        Err(e) => return failed(e),
    };
    let reader = match open_owned(bytes.clone(), ext.as_deref(), &opts) {
        Ok(r) => r,
        Err(e) => return failed(e.to_string()),
    };
    let info = reader.info().clone();
    let preview: Vec<(u64, Vec<String>)> = records(reader)
        .take(PREVIEW_ROWS)
        .filter_map(Result::ok)
        .collect();
    match infer_sample(bytes, ext.as_deref(), &opts, home) {
        Ok(inferred) => Inspection {
            sheets: info.sheets,
            sheet: info.sheet,
            preview,
            inferred: Some(inferred),
            error: None,
        },
        Err(e) => failed(e),
    }
}

async fn run_inspect(
    ctx: &PageCtx,
    bytes: Vec<u8>,
    ext: Option<String>,
    sheet: Option<String>,
    first_row: Option<u64>,
) -> PageResult<Inspection> {
    let home = ctx.state.config.home_region;
    tokio::task::spawn_blocking(move || inspect(bytes, ext, sheet, first_row, home))
        .await
        .map_err(|e| PageError(ApiError::internal(format_args!("inspect thread: {e}"))))
}

/// Write the record of a staged upload (beside its file).
async fn save_staged(ctx: &PageCtx, d: &Dataset, upload: Id, staged: &Staged) -> PageResult<()> {
    let record = serde_json::to_vec(staged)
        .map_err(|e| ApiError::internal(format_args!("staged record: {e}")))?;
    ctx.state
        .files
        .put_bytes(
            &format!("{}/unggahan.json", staging_prefix(d.id, upload)),
            record,
        )
        .await
        .map_err(file_error)?;
    Ok(())
}

async fn staged_record(ctx: &PageCtx, d: &Dataset, upload: Id) -> PageResult<Staged> {
    let key = format!("{}/unggahan.json", staging_prefix(d.id, upload));
    let bytes = match ctx.state.files.get(&key).await {
        Ok(c) => {
            let mut out = vec![];
            let mut s = c.into_stream();
            while let Some(chunk) = s.next().await {
                out.extend_from_slice(&chunk.map_err(file_error)?);
            }
            out
        }
        Err(satudata_files::FileError::NotFound(_)) => {
            return Err(ApiError::not_found(
                "Unggahan itu tidak ada lagi; unggah berkasnya sekali lagi.",
            )
            .into())
        }
        Err(e) => return Err(file_error(e).into()),
    };
    serde_json::from_slice(&bytes)
        .map_err(|e| PageError(ApiError::internal(format_args!("staged record: {e}"))))
}

/// The sheet and header row chosen in step 2.
#[derive(Debug, Deserialize, Default)]
pub struct SheetQuery {
    lembar: Option<String>,
    baris: Option<u64>,
    /// The sheet the form showed: when another sheet is chosen, its header row is found again
    /// rather than kept from the sheet before.
    dari_lembar: Option<String>,
}

const TYPES: [FieldType; 8] = [
    FieldType::String,
    FieldType::Integer,
    FieldType::Number,
    FieldType::Year,
    FieldType::Yearmonth,
    FieldType::Date,
    FieldType::Boolean,
    FieldType::Datetime,
];

fn type_word(ctx: &PageCtx, t: FieldType) -> &'static str {
    match t {
        FieldType::String => ctx.t("Teks", "Text"),
        FieldType::Integer => ctx.t("Bilangan bulat", "Whole number"),
        FieldType::Number => ctx.t("Angka (desimal)", "Number (decimal)"),
        FieldType::Year => ctx.t("Tahun", "Year"),
        FieldType::Yearmonth => ctx.t("Tahun-bulan", "Year-month"),
        FieldType::Date => ctx.t("Tanggal", "Date"),
        FieldType::Boolean => ctx.t("Ya/tidak", "Yes/no"),
        FieldType::Datetime => ctx.t("Tanggal dan jam", "Date and time"),
        _ => ctx.t("Lainnya", "Other"),
    }
}

fn level_word(ctx: &PageCtx, l: Option<Level>) -> &'static str {
    match l {
        None => ctx.t("Bukan kode wilayah", "Not a region code"),
        Some(Level::Provinsi) => ctx.t("Kode provinsi", "Province code"),
        Some(Level::Kabupaten) => ctx.t("Kode kabupaten/kota", "Regency/city code"),
        Some(Level::Kecamatan) => ctx.t("Kode kecamatan", "District code"),
        Some(Level::Desa) => ctx.t("Kode desa/kelurahan", "Village code"),
    }
}

fn level_key(l: Option<Level>) -> &'static str {
    match l {
        None => "",
        Some(Level::Provinsi) => "provinsi",
        Some(Level::Kabupaten) => "kabupaten",
        Some(Level::Kecamatan) => "kecamatan",
        Some(Level::Desa) => "desa",
    }
}

/// The schema editor: one row per field with its title, type, unit and region level.
fn schema_editor(ctx: &PageCtx, schema: &TableSchema, errors: &FieldErrors) -> Markup {
    let levels = [
        None,
        Some(Level::Provinsi),
        Some(Level::Kabupaten),
        Some(Level::Kecamatan),
        Some(Level::Desa),
    ];
    html! {
        h2 { (ctx.t("Skema tabel baru", "Schema of the new table")) }
        p { (ctx.t("Periksa jenis isi setiap kolom. Satuan dan tingkat wilayah membantu pemeriksaan Standar Data dan Kode Referensi.",
                   "Check the type of each column. Units and region levels help the data-standard and reference-code checks.")) }
        @if let Some(e) = errors.of("schema") { p.error role="alert" { (e) } }
        div.table-scroll { table.data {
            caption { (ctx.t("Kolom yang dikenali dari berkas", "Columns recognised in the file")) }
            thead { tr {
                th scope="col" { (ctx.t("Kolom", "Column")) }
                th scope="col" { (ctx.t("Judul", "Title")) }
                th scope="col" { (ctx.t("Jenis isi", "Type")) }
                th scope="col" { (ctx.t("Satuan", "Unit")) }
                th scope="col" { (ctx.t("Wilayah", "Region")) }
            } }
            tbody {
                @for (i, f) in schema.fields.iter().enumerate() {
                    tr {
                        th scope="row" { code { (f.name) } }
                        td {
                            label.visually-hidden for=(format!("f{i}_judul")) { (ctx.t("Judul kolom ", "Title of column ")) (f.name) }
                            input id=(format!("f{i}_judul")) name=(format!("f{i}_judul")) type="text"
                                value=(f.title.as_deref().unwrap_or(&f.name));
                        }
                        td {
                            label.visually-hidden for=(format!("f{i}_tipe")) { (ctx.t("Jenis isi kolom ", "Type of column ")) (f.name) }
                            select id=(format!("f{i}_tipe")) name=(format!("f{i}_tipe")) {
                                @for t in TYPES {
                                    option value=(t.as_str()) selected[t == f.field_type] { (type_word(ctx, t)) }
                                }
                            }
                        }
                        td {
                            label.visually-hidden for=(format!("f{i}_satuan")) { (ctx.t("Satuan kolom ", "Unit of column ")) (f.name) }
                            input id=(format!("f{i}_satuan")) name=(format!("f{i}_satuan")) type="text"
                                value=(f.unit.as_deref().unwrap_or(""));
                        }
                        td {
                            label.visually-hidden for=(format!("f{i}_wilayah")) { (ctx.t("Tingkat wilayah kolom ", "Region level of column ")) (f.name) }
                            select id=(format!("f{i}_wilayah")) name=(format!("f{i}_wilayah")) {
                                @for l in levels {
                                    option value=(level_key(l)) selected[l == f.region_level] { (level_word(ctx, l)) }
                                }
                            }
                        }
                    }
                }
            }
        } }
    }
}

/// A region's display name with the region it lies in ("Desa Suka Maju, Kecamatan Sanga Desa"),
/// so that regions sharing a name can be told apart.
fn region_in_parent(code: &str, region: &str) -> String {
    let regions = satudata_core::region::Regions::get();
    match satudata_core::region::RegionCode::parse(code)
        .ok()
        .and_then(|c| regions.parent(&c))
    {
        Some(p) => format!("{region}, {}", p.display_name()),
        None => region.to_string(),
    }
}

/// The region-code fields a new table may get from the file's columns of names: one per column,
/// as (index in [`Inferred::region_names`], free field name such as `kode_kecamatan`).
fn new_table_targets(inferred: &Inferred) -> Vec<(usize, String)> {
    let mut taken: Vec<String> = inferred
        .schema
        .fields
        .iter()
        .map(|f| f.name.clone())
        .collect();
    let mut out = vec![];
    for (j, col) in inferred.region_names.iter().enumerate() {
        let refs: Vec<&str> = taken.iter().map(String::as_str).collect();
        let field = code_field_name(col.level, &refs);
        taken.push(field.clone());
        out.push((j, field));
    }
    out
}

/// The region-code fields of an existing table's schema that the file lacks but can fill from
/// its names (see [`Inferred::fillable_code_fields`]).
fn existing_table_targets(inferred: &Inferred, table: &Resource) -> Vec<(usize, String)> {
    match &table.kind {
        ResourceKind::Table { schema } => inferred.fillable_code_fields(schema),
        _ => vec![],
    }
}

/// For each column of region names that may fill a code field (`targets`: index in `columns`,
/// field name): the names with their suggested codes, a choice for names that several regions
/// share, the names with no match, and the box to tick to make the code field from them — a new
/// field of a new table, or (`existing`) a field the existing table already has and the file
/// lacks. `chosen` is what was confirmed before (the staged record), shown again.
fn region_names_section(
    ctx: &PageCtx,
    columns: &[RegionNameColumn],
    targets: &[(usize, String)],
    existing: bool,
    chosen: Option<&CodeColumns>,
) -> Markup {
    html! {
        section #kode-dari-nama aria-labelledby="kode-dari-nama-judul" {
            h2 #kode-dari-nama-judul { (ctx.t("Kode wilayah dari nama", "Region codes from names")) }
            @if existing {
                p { (ctx.t(
                    "Tabel ini punya kolom kode wilayah yang tidak ada di berkas ini, tetapi berkas ini menulis nama wilayahnya. Nama-nama itu sudah dicocokkan dengan kode wilayah Kemendagri; periksa hasilnya. Kolom kode hanya diisi dari nama bila Anda mencentangnya; tanpa centang, pemeriksaan melaporkan kolom itu tidak ada di berkas.",
                    "This table has region-code columns that this file lacks, but the file names the regions. The names were matched with Kemendagri region codes; check the matches. A code column is only filled from the names if you tick it; without the tick, validation reports the column missing from the file.")) }
            } @else {
                p { (ctx.t(
                    "Berkas ini menulis nama wilayah tanpa kodenya. Nama-nama itu sudah dicocokkan dengan kode wilayah Kemendagri; periksa hasilnya. Kolom kode hanya ditambahkan bila Anda mencentangnya.",
                    "This file names regions without their codes. The names were matched with Kemendagri region codes; check the matches. A code column is only added if you tick it.")) }
            }
            @for (j, field) in targets.iter().map(|(j, f)| (*j, f)) {
                @let col = &columns[j];
                @let confirmed = chosen.and_then(|c| c.columns.iter().find(|c| c.source == col.column));
                @let exact = col.matches.iter().filter(|m| m.exact).count();
                @let shared = col.matches.len() - exact;
                fieldset.region-names {
                    legend {
                        (ctx.t("Kolom ", "Column ")) strong { (col.label) } ": "
                        (int(ctx.lang, col.names as i64)) " " (ctx.t("nama ", "")) (col.level.label_id()) (ctx.t("", " names"))
                    }
                    p {
                        (int(ctx.lang, exact as i64)) " " (ctx.t("nama cocok dengan satu wilayah", "names match one region")) ", "
                        (int(ctx.lang, shared as i64)) " " (ctx.t("nama dipakai beberapa wilayah (pilih salah satu)", "names are shared by several regions (choose one)")) ", "
                        (int(ctx.lang, col.unmatched.len() as i64)) " " (ctx.t("nama tidak ditemukan", "names not found")) "."
                    }
                    div.table-scroll { table.data {
                        caption { (ctx.t("Nama di berkas dan kode yang diusulkan", "Names in the file and the codes suggested")) }
                        thead { tr {
                            th scope="col" { (ctx.t("Nama di berkas", "Name in the file")) }
                            th scope="col" { (ctx.t("Kode wilayah", "Region code")) }
                            th scope="col" { (ctx.t("Wilayah", "Region")) }
                        } }
                        tbody {
                            @for (k, m) in col.matches.iter().enumerate() {
                                tr {
                                    th scope="row" { (m.written) }
                                    @if m.exact {
                                        td { code { (m.code) } }
                                        td { (region_in_parent(&m.code, &m.region)) }
                                    } @else {
                                        @let id = format!("kode_{j}_{k}");
                                        @let picked = confirmed.and_then(|c| c.codes.get(&m.written));
                                        td colspan="2" {
                                            label for=(id) { (ctx.t("Beberapa wilayah bernama sama; pilih yang dimaksud:", "Several regions share this name; choose the one meant:")) }
                                            " "
                                            select id=(id) name=(id) {
                                                option value="" selected[picked.is_none()] { (ctx.t("— tidak dipilih (kode dibiarkan kosong) —", "— none (the code is left empty) —")) }
                                                @for (code, region) in m.candidates() {
                                                    option value=(code) selected[picked == Some(&code)] { (code) " — " (region_in_parent(&code, &region)) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            @for name in &col.unmatched {
                                tr {
                                    th scope="row" { (name) }
                                    td colspan="2" { (ctx.t("Tidak ditemukan; kode dibiarkan kosong dan disebut di laporan pemeriksaan.", "Not found; the code is left empty and named in the validation report.")) }
                                }
                            }
                        }
                    } }
                    div {
                        input type="checkbox" id=(format!("kode_{j}")) name=(format!("kode_{j}")) value="ya" checked[confirmed.is_some()];
                        " " label.inline for=(format!("kode_{j}")) {
                            @if existing {
                                (ctx.t("Isi kolom ", "Fill ")) code { (field) }
                                (ctx.t(" dari nama-nama ini", " from these names"))
                            } @else {
                                (ctx.t("Tambahkan kolom kode wilayah ", "Add a region-code column ")) code { (field) }
                                (ctx.t(" dari nama-nama ini", " from these names"))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Whether the form ticks any box of [`region_names_section`].
fn any_code_ticked(form: &FormData) -> bool {
    form.fields().any(|(k, v)| {
        v == "ya"
            && k.strip_prefix("kode_")
                .is_some_and(|j| j.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The region-code columns asked for in the form: for each of `targets` (index in
/// `inferred.region_names`, field name) whose box is ticked, its confirmed codes (see
/// [`confirmed_codes`]). `None` when no box is ticked: then nothing is filled.
fn chosen_code_columns(
    inferred: &Inferred,
    targets: &[(usize, String)],
    form: &FormData,
) -> Option<CodeColumns> {
    let mut columns = vec![];
    for (j, field) in targets {
        let (j, field) = (*j, field.clone());
        let Some(col) = inferred.region_names.get(j) else {
            continue;
        };
        if form.get(&format!("kode_{j}")) != "ya" {
            continue;
        }
        let chosen: BTreeMap<String, String> = col
            .matches
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.exact)
            .filter_map(|(k, m)| {
                form.opt(&format!("kode_{j}_{k}"))
                    .map(|c| (m.written.clone(), c))
            })
            .collect();
        columns.push(CodeColumn {
            source: col.column,
            source_label: col.label.clone(),
            field,
            level: col.level,
            codes: confirmed_codes(&col.matches, &chosen),
        });
    }
    inferred.code_columns(columns)
}

/// The page of step 2 (and 3 for a new table).
async fn sheet_page(
    ctx: &PageCtx,
    d: &Dataset,
    upload: Id,
    staged: &Staged,
    q: &SheetQuery,
    errors: &FieldErrors,
) -> PageResult<Markup> {
    let bytes = read_file(ctx, &staged.file_key).await?;
    let inspection = run_inspect(
        ctx,
        bytes,
        extension(&staged.filename),
        q.lembar.clone().filter(|s| !s.is_empty()),
        q.baris.filter(|b| *b > 1),
    )
    .await?;
    let table = match staged.table {
        Some(id) => Some(find_resource(&ctx.state, id).await?.0),
        None => None,
    };
    let header_rows: BTreeSet<u64> = inspection
        .inferred
        .as_ref()
        .map(|i| i.header.row_numbers.iter().copied().collect())
        .unwrap_or_default();
    let detected = header_rows.iter().next().copied().unwrap_or(1);
    let action = format!("/ruang-kerja/dataset/{}/unggah/{upload}", d.meta.slug);
    let title = ctx.t("Lembar dan judul kolom", "Sheet and header");
    Ok(html! {
        p.crumbs {
            a href="/ruang-kerja" { (ctx.t("Ruang kerja", "Workspace")) } " › "
            a href=(format!("/ruang-kerja/dataset/{}", d.meta.slug)) { (d.meta.title) } " › " (title)
        }
        h1 { (title) ": " (staged.filename) }
        (steps(ctx, if table.is_none() { 3 } else { 2 }))
        (errors.summary(ctx))
        @if let Some(e) = &inspection.error {
            p.error role="alert" { (e) }
            p { a href=(format!("/ruang-kerja/dataset/{}/unggah", d.meta.slug)) { (ctx.t("Unggah berkas lain", "Upload another file")) } }
        } @else {
            form.filter method="get" action=(action) {
                @if let Some(shown) = &inspection.sheet { input type="hidden" name="dari_lembar" value=(shown); }
                @if inspection.sheets.len() > 1 {
                    label for="lembar" { (ctx.t("Lembar", "Sheet")) }
                    select #lembar name="lembar" {
                        @for s in &inspection.sheets {
                            option value=(s) selected[Some(s) == inspection.sheet.as_ref()] { (s) }
                        }
                    }
                }
                label for="baris" { (ctx.t("Judul kolom mulai baris", "Header starts at row")) }
                input #baris type="number" name="baris" min="1" value=(q.baris.unwrap_or(detected));
                button.secondary type="submit" { (ctx.t("Tampilkan", "Show")) }
            }
            @if let Some(i) = &inspection.inferred {
                @if !i.findings.is_empty() {
                    ul { @for f in &i.findings { li { (f) } } }
                }
            }
            h2 { (ctx.t("Baris pertama berkas", "First rows of the file")) }
            div.table-scroll { table.data {
                caption { (ctx.t("Baris judul kolom yang dikenali ditandai tebal.", "The header rows recognised are in bold.")) }
                tbody {
                    @for (n, cells) in &inspection.preview {
                        tr {
                            th scope="row" { (n) }
                            @for c in cells {
                                @if header_rows.contains(n) { th scope="col" { (c) } } @else { td { (c) } }
                            }
                        }
                    }
                }
            } }
            form.stack method="post" action=(action) {
                (csrf_input(ctx))
                input type="hidden" name="lembar" value=(inspection.sheet.clone().unwrap_or_default());
                input type="hidden" name="baris" value=(q.baris.unwrap_or(detected));
                @match (&table, &inspection.inferred) {
                    (Some(t), i) => {
                        p { (ctx.t("Data akan diperiksa dengan skema tabel ", "The data will be checked against the schema of table ")) strong { (t.title) } "." }
                        @if let Some(i) = i {
                            @let targets = existing_table_targets(i, t);
                            @if !targets.is_empty() {
                                (region_names_section(ctx, &i.region_names, &targets, true, staged.region_codes.as_ref()))
                            }
                        }
                    }
                    (None, Some(i)) => {
                        (Field { name: "judul_tabel", label: ctx.t("Judul tabel", "Table title"), help: "", required: true }
                            .input("text", if staged.new_title.is_empty() { &d.meta.title } else { &staged.new_title }, errors))
                        (schema_editor(ctx, &i.schema, errors))
                        @if !i.region_names.is_empty() {
                            (region_names_section(ctx, &i.region_names, &new_table_targets(i), false, staged.region_codes.as_ref()))
                        }
                    }
                    (None, None) => {}
                }
                button type="submit" { (ctx.t("Periksa dan impor", "Validate and import")) }
            }
        }
    })
}

/// `GET /ruang-kerja/dataset/{slug}/unggah/{upload}`: step 2 (sheet, header row), and step 3 (the
/// schema) for a new table.
pub async fn sheet(
    ctx: PageCtx,
    Path((slug, upload)): Path<(String, Id)>,
    Query(mut q): Query<SheetQuery>,
) -> PageResult<Response> {
    if q.dari_lembar.is_some() && q.dari_lembar != q.lembar {
        q.baris = None;
    }
    let d = writable_dataset(&ctx, &slug).await?;
    let staged = staged_record(&ctx, &d, upload).await?;
    let markup = sheet_page(&ctx, &d, upload, &staged, &q, &FieldErrors::none()).await?;
    Ok(ctx.ok(ctx.t("Lembar dan judul kolom", "Sheet and header"), markup))
}

/// The schema as edited in the form, over the inferred one.
fn edited_schema(mut schema: TableSchema, form: &FormData) -> TableSchema {
    for (i, f) in schema.fields.iter_mut().enumerate() {
        if let Some(t) = form.opt(&format!("f{i}_judul")) {
            f.title = Some(t);
        }
        if let Some(t) = TYPES
            .iter()
            .find(|t| t.as_str() == form.get(&format!("f{i}_tipe")))
        {
            f.field_type = *t;
        }
        f.unit = form.opt(&format!("f{i}_satuan"));
        f.region_level = match form.get(&format!("f{i}_wilayah")) {
            "provinsi" => Some(Level::Provinsi),
            "kabupaten" => Some(Level::Kabupaten),
            "kecamatan" => Some(Level::Kecamatan),
            "desa" => Some(Level::Desa),
            _ => None,
        };
        if f.region_level.is_some() {
            f.field_type = FieldType::String;
        }
    }
    schema
}

/// A free resource name in the dataset, from the title.
fn resource_name(title: &str, taken: &[Resource]) -> String {
    let base = match satudata_core::ids::slugify(title) {
        s if s.len() >= 2 => s.chars().take(80).collect::<String>(),
        _ => "tabel".to_string(),
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|r| r.name == name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// `POST /ruang-kerja/dataset/{slug}/unggah/{upload}`: make the new table if asked, start the
/// import job, go to its page.
pub async fn import(
    ctx: PageCtx,
    headers: HeaderMap,
    Path((slug, upload)): Path<(String, Id)>,
    body: Bytes,
) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    let d = writable_dataset(&ctx, &slug).await?;
    let mut staged = staged_record(&ctx, &d, upload).await?;
    let sheet = form.opt("lembar");
    let header_row = form
        .get("baris")
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|r| *r > 1);
    let table = match staged.table {
        Some(id) => {
            let table = find_resource(&ctx.state, id).await?.0;
            // Region-code fields of the table that the file lacks, filled from its names: only
            // when a box is ticked (otherwise the file is checked as it is, and the missing
            // column reported).
            let codes = if any_code_ticked(&form) {
                let bytes = read_file(&ctx, &staged.file_key).await?;
                let inspection = run_inspect(
                    &ctx,
                    bytes,
                    extension(&staged.filename),
                    sheet.clone(),
                    header_row,
                )
                .await?;
                inspection.inferred.and_then(|i| {
                    chosen_code_columns(&i, &existing_table_targets(&i, &table), &form)
                })
            } else {
                None
            };
            if staged.region_codes != codes {
                staged.region_codes = codes;
                save_staged(&ctx, &d, upload, &staged).await?;
            }
            table
        }
        None => {
            let bytes = read_file(&ctx, &staged.file_key).await?;
            let inspection = run_inspect(
                &ctx,
                bytes,
                extension(&staged.filename),
                sheet.clone(),
                header_row,
            )
            .await?;
            let Some(inferred) = inspection.inferred else {
                return Err(ApiError::invalid(
                    inspection
                        .error
                        .unwrap_or_else(|| "Berkas tidak dapat dibaca sebagai tabel.".into()),
                    vec![],
                )
                .into());
            };
            let codes = chosen_code_columns(&inferred, &new_table_targets(&inferred), &form);
            let mut schema = edited_schema(inferred.schema, &form);
            if let Some(c) = &codes {
                schema
                    .fields
                    .extend(c.columns.iter().map(CodeColumn::schema_field));
            }
            // Kept with the staged upload before anything else: the job takes its mapping from
            // here, and a form shown again (an error below) shows what was confirmed.
            staged.region_codes = codes;
            save_staged(&ctx, &d, upload, &staged).await?;
            let title = form
                .opt("judul_tabel")
                .unwrap_or_else(|| d.meta.title.clone());
            let existing = tables(&ctx, &d).await?;
            let new = NewResource {
                name: resource_name(&title, &existing),
                title,
                description: String::new(),
                kind: ResourceKind::Table { schema },
            };
            match crate::api::resources::create_resource(&ctx.state, &ctx.auth, &d, new).await {
                Ok(r) => r,
                Err(e) => {
                    let errors = FieldErrors::from_api(e, &["judul_tabel", "schema"])?;
                    let q = SheetQuery {
                        lembar: sheet,
                        baris: header_row,
                        dari_lembar: None,
                    };
                    let markup = sheet_page(&ctx, &d, upload, &staged, &q, &errors).await?;
                    return Ok(html_response(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        ctx.page(ctx.t("Skema", "Schema"), markup),
                    ));
                }
            }
        }
    };
    let job = start(&ctx, &table, &staged, sheet, header_row).await?;
    Ok(see_other(&format!("/ruang-kerja/pekerjaan/{}", job.id), ""))
}

/// A job's state in words.
pub fn job_state_word(ctx: &PageCtx, s: &str) -> &'static str {
    match s {
        "queued" => ctx.t("menunggu giliran", "queued"),
        "running" => ctx.t("sedang diperiksa", "being checked"),
        "done" => ctx.t("selesai", "done"),
        "failed" => ctx.t("gagal", "failed"),
        _ => ctx.t("dibatalkan", "cancelled"),
    }
}

/// One error of a stored validation report.
struct ReportError {
    row: Option<u64>,
    field: Option<usize>,
    field_name: String,
    cell: String,
    title: String,
    message: String,
    hint: String,
}

fn report_errors(ctx: &PageCtx, report: &Json) -> Vec<ReportError> {
    let s = |e: &Json, k: &str| e.get(k).and_then(Json::as_str).unwrap_or("").to_string();
    report
        .get("errors")
        .and_then(Json::as_array)
        .map(|list| {
            list.iter()
                .map(|e| ReportError {
                    row: e.get("rowNumber").and_then(Json::as_u64),
                    field: e
                        .get("fieldNumber")
                        .and_then(Json::as_u64)
                        .map(|n| n as usize),
                    field_name: s(e, "fieldName"),
                    cell: s(e, "cell"),
                    title: s(e, "title"),
                    message: match ctx.lang {
                        crate::pages::i18n::Lang::En if !s(e, "messageEn").is_empty() => {
                            s(e, "messageEn")
                        }
                        _ => s(e, "message"),
                    },
                    hint: s(e, "hint"),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The rows with errors, read again from the uploaded file: row number → cells.
async fn rows_in_context(
    ctx: &PageCtx,
    job: &satudata_store::jobs::Job,
    wanted: BTreeSet<u64>,
) -> BTreeMap<u64, Vec<String>> {
    if wanted.is_empty() {
        return BTreeMap::new();
    }
    let Ok(bytes) = read_file(ctx, &job.file_key).await else {
        return BTreeMap::new();
    };
    let ext = extension(&job.filename);
    let opts =
        ReadOptions {
            sheet: job.options.get("sheet").and_then(Json::as_str).map(|s| {
                match s.parse::<usize>() {
                    Ok(n) if n >= 1 => SheetSelector::Index(n - 1),
                    _ => SheetSelector::Name(s.to_string()),
                }
            }),
            first_row: job.options.get("header_row").and_then(Json::as_u64),
            ..ReadOptions::default()
        };
    // Code columns made from names are shown as the job saw them, after the file's own columns.
    let codes: Option<CodeColumns> = job
        .options
        .get("regionCodes")
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    let last = wanted.iter().next_back().copied().unwrap_or(0);
    tokio::task::spawn_blocking(move || {
        let mut out = BTreeMap::new();
        if let Ok(reader) = open_owned(bytes, ext.as_deref(), &opts) {
            let reader = match codes {
                Some(c) => Box::new(WithCodeColumns::new(reader, c)) as Box<dyn TableReader>,
                None => reader,
            };
            for (n, cells) in records(reader).map_while(Result::ok) {
                if n > last {
                    break;
                }
                if wanted.contains(&n) {
                    out.insert(n, cells);
                }
            }
        }
        out
    })
    .await
    .unwrap_or_default()
}

/// The validation report: counts, the rows with errors in context (offending cells marked),
/// and every error listed with its row, column, value, message and how to fix it.
async fn report_view(ctx: &PageCtx, job: &satudata_store::jobs::Job, report: &Json) -> Markup {
    let errors = report_errors(ctx, report);
    let stat = |k: &str| {
        report
            .get("stats")
            .and_then(|s| s.get(k))
            .and_then(Json::as_i64)
            .unwrap_or(0)
    };
    let labels: Vec<String> = report
        .get("header")
        .and_then(|h| h.get("labels"))
        .and_then(Json::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let truncated = report
        .get("errorsTruncated")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    let mut bad: BTreeMap<u64, BTreeSet<usize>> = BTreeMap::new();
    for e in &errors {
        if let (Some(r), Some(f)) = (e.row, e.field) {
            if bad.len() < CONTEXT_ROWS || bad.contains_key(&r) {
                bad.entry(r).or_default().insert(f.saturating_sub(1));
            }
        }
    }
    let context = rows_in_context(ctx, job, bad.keys().copied().collect()).await;
    let width = context
        .values()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(labels.len());
    html! {
        h2 #laporan { (ctx.t("Hasil pemeriksaan", "Validation report")) }
        p {
            (int(ctx.lang, stat("rows"))) " " (ctx.t("baris dibaca, ", "rows read, "))
            (int(ctx.lang, stat("validRows"))) " " (ctx.t("baris sah, ", "valid rows, "))
            strong { (int(ctx.lang, stat("errors"))) " " (ctx.t("kesalahan", "errors")) } "."
            @if truncated { " " (ctx.t("Daftar di bawah memuat kesalahan pertama saja.", "The list below holds the first errors only.")) }
        }
        @if !context.is_empty() {
            h3 { (ctx.t("Baris yang bermasalah", "Rows with problems")) }
            div.table-scroll { table.data {
                caption { (ctx.t("Sel yang salah ditandai merah.", "Wrong cells are marked red.")) }
                thead { tr {
                    th scope="col" { (ctx.t("Baris", "Row")) }
                    @for i in 0..width {
                        th scope="col" { (labels.get(i).map(String::as_str).unwrap_or("")) }
                    }
                } }
                tbody {
                    @for (n, cells) in &context {
                        @let marked = bad.get(n).cloned().unwrap_or_default();
                        tr {
                            th scope="row" { a href=(format!("#baris-{n}")) { (n) } }
                            @for i in 0..width {
                                @let cell = cells.get(i).map(String::as_str).unwrap_or("");
                                @if marked.contains(&i) {
                                    td.cell-error { (cell) span.visually-hidden { " " (ctx.t("(salah)", "(wrong)")) } }
                                } @else {
                                    td { (cell) }
                                }
                            }
                        }
                    }
                }
            } }
        }
        h3 { (ctx.t("Daftar kesalahan", "Errors")) }
        @let heads = [ctx.t("Baris", "Row"), ctx.t("Kolom", "Column"), ctx.t("Isi sel", "Cell"), ctx.t("Masalah", "Problem"), ctx.t("Cara memperbaiki", "How to fix")];
        // On a narrow screen each error becomes a card (see `table.stacked` in the stylesheet):
        // the problem and its fix stay readable without scrolling sideways.
        div.table-scroll { table.data.stacked {
            thead { tr { @for h in heads { th scope="col" { (h) } } } }
            tbody {
                @for e in &errors {
                    tr id=[e.row.map(|r| format!("baris-{r}"))] {
                        td.num data-label=(heads[0]) { (e.row.map(|r| r.to_string()).unwrap_or_else(|| "–".into())) }
                        td data-label=(heads[1]) { (e.field_name) }
                        td data-label=(heads[2]) { @if !e.cell.is_empty() { code { (e.cell) } } }
                        td data-label=(heads[3]) { strong { (e.title) } ": " (e.message) }
                        td data-label=(heads[4]) { (e.hint) }
                    }
                }
            }
        } }
    }
}

/// `GET /ruang-kerja/pekerjaan/{id}`: an import job — its progress while it runs (the page reloads
/// itself every 2 seconds), then its validation report or the version it made, ready to submit.
pub async fn job(ctx: PageCtx, Path(id): Path<Id>) -> PageResult<Response> {
    ctx.auth.require_user()?;
    let job = find_job(&ctx.state, &ctx.auth, id).await?;
    let (resource, d) = find_resource(&ctx.state, job.resource_id).await?;
    let st = job.state.as_str();
    let running = matches!(st, "queued" | "running");
    let title = format!("{}: {}", ctx.t("Unggahan", "Upload"), job.filename);
    let report = job
        .report
        .as_ref()
        .filter(|r| r.get("valid").and_then(Json::as_bool) == Some(false));
    let version_state = match job.version {
        Some(n) => Some((
            n,
            crate::api::review::version_state(&ctx.state, resource.id, n).await?,
        )),
        None => None,
    };
    let report_markup = match report {
        Some(r) if !running => Some(report_view(&ctx, &job, r).await),
        _ => None,
    };
    // What the readers noted about the file (for instance the names left without a code when a
    // code column was made from names), shown whether or not the file was valid.
    let source_notes: Vec<String> = job
        .report
        .as_ref()
        .and_then(|r| r.get("source"))
        .and_then(|s| s.get("notes"))
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let back = format!("/ruang-kerja/pekerjaan/{}", job.id);
    let content = html! {
        p.crumbs {
            a href="/ruang-kerja" { (ctx.t("Ruang kerja", "Workspace")) } " › "
            a href=(format!("/ruang-kerja/dataset/{}", d.meta.slug)) { (d.meta.title) } " › " (job.filename)
        }
        h1 { (title) }
        (steps(&ctx, if version_state.is_some() { 5 } else { 4 }))
        (flash(&ctx))
        p { (ctx.t("Tabel: ", "Table: ")) strong { (resource.title) } " · " (ctx.t("Status: ", "State: "))
            strong data-job-state=(st) { (job_state_word(&ctx, st)) } }
        @if running {
            p role="status" {
                (ctx.t("Berkas sedang diperiksa. Halaman ini dimuat ulang sendiri setiap 2 detik.",
                       "The file is being checked. This page reloads itself every 2 seconds."))
                " " (int(ctx.lang, job.rows_processed)) " " (ctx.t("baris sudah dibaca.", "rows read so far."))
            }
            @if let (Some(total), Some(done)) = (job.bytes_total, job.bytes_processed) {
                @if total > 0 {
                    progress max=(total) value=(done) aria-label=(ctx.t("Kemajuan", "Progress")) {}
                }
            }
        }
        @if let Some(e) = &job.error {
            p.error role="alert" { (e) }
        }
        @if let Some(m) = report_markup {
            p.error role="alert" {
                (ctx.t("Berkas belum sah, jadi belum ada yang disimpan. Perbaiki sel yang ditandai di berkas Anda, lalu unggah lagi.",
                       "The file is not valid, so nothing was saved. Fix the marked cells in your file, then upload it again."))
            }
            p { a.button href=(format!("/ruang-kerja/dataset/{}/unggah?tabel={}", d.meta.slug, resource.name)) {
                (ctx.t("Unggah berkas yang sudah diperbaiki", "Upload the fixed file")) } }
            (m)
        }
        @if !running && job.error.is_some() && report.is_none() {
            p { a href=(format!("/ruang-kerja/dataset/{}/unggah?tabel={}", d.meta.slug, resource.name)) {
                (ctx.t("Coba unggah lagi", "Try the upload again")) } }
        }
        @if let Some((n, vs)) = version_state {
            p.success role="status" {
                (ctx.t("Berkas sah. Versi ", "The file is valid. Version ")) (n)
                (ctx.t(" dibuat sebagai ", " was made as ")) (state_word(ctx.lang, vs)) "."
            }
            p { a href=(format!("/ruang-kerja/pemeriksaan/{}/{n}", resource.id)) {
                (ctx.t("Lihat pemeriksaan otomatis dan perubahan", "See the automatic checks and the changes")) } }
            @for a in available_actions(&ctx, d.meta.organization_id, vs) {
                @if matches!(a, satudata_core::review::ReviewAction::Submit | satudata_core::review::ReviewAction::Resubmit) {
                    (action_form(&ctx, resource.id, n, a, &back))
                }
            }
        }
        @if !running && !source_notes.is_empty() {
            h2 #catatan-berkas { (ctx.t("Catatan tentang berkas", "Notes on the file")) }
            ul { @for n in &source_notes { li { (n) } } }
        }
    };
    let page = if running {
        ctx.page_refreshing(&title, 2, content)
    } else {
        ctx.page(&title, content)
    };
    Ok(html_response(StatusCode::OK, page))
}
