//! The pembina's metadata review (telaah metadata, BPS as pembina data for statistics): the list of
//! datasets marked as statistics with what their metadata still lacks and the latest verdict
//! (`/ruang-kerja/telaah-metadata`), and one dataset's statistical metadata with the earlier
//! reviews and the verdict form (`/ruang-kerja/telaah-metadata/{slug}`). Writes go through
//! [`crate::api::review::record_metadata_review`], which also tells the produsen.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{html, Markup};
use satudata_core::access::Action;
use satudata_core::checks::{field_label, metadata_fields, standard_elements};
use satudata_core::dataset::Dataset;
use satudata_core::review::{MetadataReview, MetadataVerdict, NoteTarget, ReviewNote};

use super::{check_csrf, csrf_input, flash, nav, see_other, Field, FieldErrors, FormData};
use crate::api::find_dataset;
use crate::api::review::{
    first_table_schema, metadata_queue_items, record_metadata_review, MetadataReviewRequest,
};
use crate::audit_trail::AuditTrail;
use crate::pages::error::PageResult;
use crate::pages::extract::Path;
use crate::pages::i18n::date;
use crate::pages::layout::{html_response, PageCtx};

/// Notes on single metadata fields the form offers.
const FIELD_NOTES: usize = 3;

/// The metadata fields the pembina reads, in the order of the national form (SDI), with labels.
const FIELDS: &[(&str, &str, &str)] = &[
    ("title", "Judul", "Title"),
    (
        "description",
        "Definisi/deskripsi",
        "Definition/description",
    ),
    ("konsep", "Konsep", "Concept"),
    ("tags", "Kata kunci konsep", "Concept keywords"),
    ("ukuran", "Ukuran", "Measure"),
    ("satuan", "Satuan", "Unit"),
    (
        "klasifikasi",
        "Klasifikasi/variabel disagregasi",
        "Classification/breakdown",
    ),
    ("periodicity", "Periode data", "Update frequency"),
    ("level", "Level penyajian", "Level of presentation"),
    ("temporal", "Cakupan waktu", "Time coverage"),
    ("source", "Sumber data", "Source"),
    (
        "id_msi",
        "Kode Metadata Indikator (MS-Ind)",
        "Indicator metadata code (MS-Ind)",
    ),
    (
        "id_msk",
        "Kode Metadata Kegiatan (MS-Keg)",
        "Activity metadata code (MS-Keg)",
    ),
    ("id_sds", "Kode Standar Data", "Data standard code"),
];

fn value_of(d: &Dataset, field: &str) -> String {
    let m = &d.meta;
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    match field {
        "title" => m.title.clone(),
        "description" => m.description.clone(),
        "konsep" => opt(&m.konsep),
        "tags" => m.tags.join(", "),
        "ukuran" => opt(&m.ukuran),
        "satuan" => opt(&m.satuan),
        "klasifikasi" => opt(&m.klasifikasi),
        "periodicity" => m.periodicity.as_str().to_string(),
        "level" => m
            .level
            .map(|l| serde_json::to_value(l).ok())
            .and_then(|v| v.and_then(|v| v.as_str().map(str::to_string)))
            .unwrap_or_default(),
        "temporal" => match (m.temporal_start, m.temporal_end) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) | (None, Some(a)) => a.to_string(),
            (None, None) => String::new(),
        },
        "source" => opt(&m.source),
        "id_msi" => opt(&m.id_msi),
        "id_msk" => opt(&m.id_msk),
        "id_sds" => opt(&m.id_sds),
        _ => String::new(),
    }
}

fn verdict_words(ctx: &PageCtx, v: Option<MetadataVerdict>) -> &'static str {
    match v {
        None => ctx.t("Belum ditelaah", "Not reviewed"),
        Some(MetadataVerdict::Sesuai) => ctx.t("Sesuai", "Meets the standard"),
        Some(MetadataVerdict::PerluPerbaikan) => ctx.t("Perlu perbaikan", "Needs fixes"),
    }
}

fn verdict_code(v: Option<MetadataVerdict>) -> &'static str {
    match v {
        None => "belum",
        Some(MetadataVerdict::Sesuai) => "sesuai",
        Some(MetadataVerdict::PerluPerbaikan) => "perlu_perbaikan",
    }
}

/// `GET /ruang-kerja/telaah-metadata`: every dataset marked as statistics, not yet reviewed first.
pub async fn list(ctx: PageCtx) -> PageResult<Response> {
    ctx.auth.require_user()?;
    let items = metadata_queue_items(&ctx.state, &ctx.auth).await?;
    let title = ctx.t("Telaah metadata statistik", "Statistical metadata review");
    let content = html! {
        h1 { (title) }
        (nav(&ctx))
        (flash(&ctx))
        p { (ctx.t("Data yang ditandai sebagai data statistik, yang belum ditelaah di atas. Periksa metadata dan Standar Data-nya, lalu beri putusan.",
                   "Datasets marked as statistics, those not yet reviewed first. Check their metadata and data standard, then give a verdict.")) }
        @if items.is_empty() {
            p { (ctx.t("Belum ada data statistik.", "No statistical data yet.")) }
        } @else {
            div.table-scroll { table.data {
                caption { (items.len()) " " (ctx.t("dataset statistik", "statistical datasets")) }
                thead { tr {
                    th scope="col" { (ctx.t("Dataset", "Dataset")) }
                    th scope="col" { (ctx.t("Putusan terakhir", "Latest verdict")) }
                    th scope="col" { (ctx.t("Standar Data yang kurang", "Missing data-standard elements")) }
                    th scope="col" { (ctx.t("Isian metadata yang kosong", "Empty metadata fields")) }
                } }
                tbody { @for i in &items {
                    tr {
                        th scope="row" { a href=(format!("/ruang-kerja/telaah-metadata/{}", i.dataset)) { (i.title) } }
                        td data-verdict=(verdict_code(i.verdict)) {
                            (verdict_words(&ctx, i.verdict))
                            @if let Some(at) = i.reviewed_at { br; span.meta { (date(ctx.lang, at.date_naive())) } }
                        }
                        td { @if i.missing_standard.is_empty() { "–" } @else { (i.missing_standard.iter().map(|f| field_label(f)).collect::<Vec<_>>().join(", ")) } }
                        td { @if i.missing_metadata.is_empty() { "–" } @else { (i.missing_metadata.iter().map(|f| field_label(f)).collect::<Vec<_>>().join(", ")) } }
                    }
                } }
            } }
        }
    };
    Ok(ctx.ok(title, content))
}

async fn review_page(
    ctx: &PageCtx,
    d: &Dataset,
    values: &FormData,
    errors: &FieldErrors,
) -> PageResult<Markup> {
    let reviews: Vec<MetadataReview> = ctx.state.store.metadata_reviews(d.id).await?;
    let schema = first_table_schema(&ctx.state, d.id).await?;
    let standard = standard_elements(&d.meta, schema.as_ref());
    let empty: Vec<&str> = metadata_fields(&d.meta)
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(f, _)| field_label(f))
        .collect();
    let chosen = values.get("putusan");
    Ok(html! {
        p.crumbs {
            a href="/ruang-kerja" { (ctx.t("Ruang kerja", "Workspace")) } " › "
            a href="/ruang-kerja/telaah-metadata" { (ctx.t("Telaah metadata", "Metadata review")) } " › " (d.meta.title)
        }
        h1 { (d.meta.title) }
        (flash(ctx))
        (errors.summary(ctx))
        p { a href=(format!("/dataset/{}", d.meta.slug)) { (ctx.t("Halaman publik", "Public page")) } }
        h2 #standar-data { (ctx.t("Standar Data", "Data standard")) }
        ul.checks {
            @for (name, ok) in standard {
                li data-ok=(ok) { @if ok { "✓ " } @else { "✗ " } (field_label(name)) }
            }
        }
        @if !empty.is_empty() {
            p { (ctx.t("Isian metadata yang masih kosong: ", "Metadata fields still empty: ")) (empty.join(", ")) "." }
        }
        h2 #metadata { (ctx.t("Metadata", "Metadata")) }
        dl.meta-list {
            @for (field, id, en) in FIELDS {
                dt { (ctx.t(id, en)) }
                dd { @match value_of(d, field) { v if v.trim().is_empty() => { em { (ctx.t("(kosong)", "(empty)")) } }, v => { (v) } } }
            }
        }
        @if let Some(s) = &schema {
            h2 { (ctx.t("Kolom tabel", "Table columns")) }
            div.table-scroll { table.data {
                thead { tr {
                    th scope="col" { (ctx.t("Kolom", "Column")) }
                    th scope="col" { (ctx.t("Judul", "Title")) }
                    th scope="col" { (ctx.t("Jenis isi", "Type")) }
                    th scope="col" { (ctx.t("Satuan", "Unit")) }
                } }
                tbody { @for f in &s.fields {
                    tr {
                        th scope="row" { code { (f.name) } }
                        td { (f.title.clone().unwrap_or_default()) }
                        td { (f.field_type.as_str()) }
                        td { (f.unit.clone().unwrap_or_default()) }
                    }
                } }
            } }
        }
        h2 #riwayat { (ctx.t("Telaah sebelumnya", "Earlier reviews")) }
        @if reviews.is_empty() {
            p { (ctx.t("Belum pernah ditelaah.", "Not reviewed before.")) }
        } @else {
            ol.events { @for r in &reviews {
                li {
                    strong data-verdict=(verdict_code(Some(r.verdict))) { (verdict_words(ctx, Some(r.verdict))) }
                    " · " (date(ctx.lang, r.at.date_naive()))
                    @if !r.note.is_empty() { blockquote { (r.note) } }
                    @if !r.notes.is_empty() { ul.notes { @for n in &r.notes { li { strong { (note_field(ctx, &n.target)) } ": " (n.text) } } } }
                }
            } }
        }
        @if ctx.auth.allow(Action::ReviewMetadata).is_ok() {
            h2 #putusan { (ctx.t("Putusan telaah", "Verdict")) }
            form.stack method="post" action=(format!("/ruang-kerja/telaah-metadata/{}", d.meta.slug)) {
                (csrf_input(ctx))
                fieldset aria-describedby=[errors.of("putusan").map(|_| "putusan-galat")] {
                    legend { (ctx.t("Putusan", "Verdict")) " *" }
                    @if let Some(e) = errors.of("putusan") { span.error #putusan-galat { (e) } }
                    label.inline { input type="radio" name="putusan" value="sesuai" required checked[chosen == "sesuai"]; " " (ctx.t("Sesuai standar", "Meets the standard")) }
                    br;
                    label.inline { input type="radio" name="putusan" value="perlu_perbaikan" checked[chosen == "perlu_perbaikan"]; " " (ctx.t("Perlu perbaikan", "Needs fixes")) }
                }
                (Field { name: "catatan", label: ctx.t("Catatan (wajib bila perlu perbaikan)", "Note (required when fixes are needed)"),
                         help: ctx.t("Apa yang harus diperbaiki produsen, dengan rujukan standar BPS bila ada.", "What the producer must fix, with the BPS standard to follow if any."),
                         required: false }
                    .textarea(values.get("catatan"), errors))
                fieldset.detail-notes {
                    legend { (ctx.t("Catatan pada isian tertentu (boleh kosong)", "Notes on single fields (optional)")) }
                    @for i in 0..FIELD_NOTES {
                        div.note-row {
                            @let n = i + 1;
                            label for=(format!("isian{i}")) { (ctx.t("Isian catatan ", "Field of note ")) (n) }
                            select id=(format!("isian{i}")) name=(format!("isian{i}")) {
                                option value="" { "–" }
                                @for (field, id, en) in FIELDS { option value=(field) selected[values.get(&format!("isian{i}")) == *field] { (ctx.t(id, en)) } }
                            }
                            label for=(format!("isian{i}_teks")) { (ctx.t("Isi catatan ", "Text of note ")) (n) }
                            input id=(format!("isian{i}_teks")) name=(format!("isian{i}_teks")) type="text" value=(values.get(&format!("isian{i}_teks")));
                        }
                    }
                }
                button type="submit" { (ctx.t("Simpan putusan", "Save the verdict")) }
            }
        }
    })
}

/// What a pembina's note is about, in words (the metadata field's label).
pub(super) fn note_field(ctx: &PageCtx, t: &NoteTarget) -> String {
    match t {
        NoteTarget::Kolom { field } | NoteTarget::Sel { field, .. } => FIELDS
            .iter()
            .find(|(f, _, _)| f == field)
            .map(|(_, id, en)| ctx.t(id, en).to_string())
            .unwrap_or_else(|| field.clone()),
        NoteTarget::Baris { key } => key.clone(),
        NoteTarget::Pengajuan => ctx.t("Umum", "General").to_string(),
    }
}

/// `GET /ruang-kerja/telaah-metadata/{slug}`: one statistical dataset's metadata and the form.
pub async fn show(ctx: PageCtx, Path(slug): Path<String>) -> PageResult<Response> {
    ctx.auth.require_user()?;
    ctx.auth.allow(Action::ReviewMetadata)?;
    let d = find_dataset(&ctx.state, &slug).await?;
    let markup = review_page(&ctx, &d, &FormData::default(), &FieldErrors::none()).await?;
    Ok(ctx.ok(&d.meta.title, markup))
}

/// `POST /ruang-kerja/telaah-metadata/{slug}`: record the verdict; the produsen is told.
pub async fn record(
    ctx: PageCtx,
    trail: AuditTrail,
    headers: HeaderMap,
    Path(slug): Path<String>,
    body: Bytes,
) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    ctx.auth.require_user()?;
    ctx.auth.allow(Action::ReviewMetadata)?;
    let d = find_dataset(&ctx.state, &slug).await?;
    let mut errors = FieldErrors::none();
    let verdict = match form.get("putusan") {
        "sesuai" => Some(MetadataVerdict::Sesuai),
        "perlu_perbaikan" => Some(MetadataVerdict::PerluPerbaikan),
        _ => {
            errors.add("putusan", "Pilih putusan: sesuai atau perlu perbaikan.");
            None
        }
    };
    if let Some(verdict) = verdict {
        let notes: Vec<ReviewNote> = (0..FIELD_NOTES)
            .filter_map(|i| {
                let text = form.get(&format!("isian{i}_teks")).trim().to_string();
                let field = form.get(&format!("isian{i}")).trim().to_string();
                if text.is_empty() {
                    return None;
                }
                let target = if field.is_empty() {
                    NoteTarget::Pengajuan
                } else {
                    NoteTarget::Kolom { field }
                };
                Some(ReviewNote { target, text })
            })
            .collect();
        let req = MetadataReviewRequest {
            verdict,
            note: form.get("catatan").to_string(),
            notes,
        };
        match record_metadata_review(&ctx.state, &ctx.auth, &trail, &slug, req).await {
            Ok(_) => {
                return Ok(see_other(
                    &format!("/ruang-kerja/telaah-metadata/{slug}"),
                    "tersimpan",
                ))
            }
            Err(e) => {
                let mut found = FieldErrors::from_api(e, &["note"])?;
                // The API names the note `note`; the form calls it `catatan`.
                found.rename("note", "catatan");
                errors = found;
            }
        }
    }
    let markup = review_page(&ctx, &d, &form, &errors).await?;
    Ok(html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx.page(&d.meta.title, markup),
    ))
}
