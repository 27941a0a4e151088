//! Pemeriksaan in the workspace: the walidata's queue (`/ruang-kerja/pemeriksaan`), one version's
//! review page (automatic checks with reasons, the diff against the published version, the
//! history with notes, and the forms of the actions the user may take), and the one POST that
//! applies an action (`/ruang-kerja/versi/{id}/{number}/{aksi}`), through the API's
//! [`crate::api::review::act`].

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{html, Markup};
use satudata_core::dataset::ResourceKind;
use satudata_core::review::{NoteTarget, ReviewAction, ReviewNote, ReviewState, RowDiff};
use satudata_core::value::Value;
use satudata_core::Id;
use serde::Deserialize;

use super::datasets::{action_label, action_word, available_actions};
use super::{check_csrf, csrf_input, flash, local_path, nav, see_other, FormData};
use crate::api::find_resource;
use crate::api::review::{act, queue_page, review_detail, QueueParams, ReviewRequest};
use crate::audit_trail::AuditTrail;
use crate::error::ApiError;
use crate::pages::dataset::state_word;
use crate::pages::error::PageResult;
use crate::pages::extract::{Path, Query};
use crate::pages::i18n::{date, int};
use crate::pages::layout::PageCtx;

/// Filters of the queue page.
#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    /// Only this state (`diajukan`, `disetujui`, `dikembalikan`, `draf`).
    status: Option<String>,
    /// The page, from 1.
    hal: Option<u64>,
}

const PAGE: u32 = 50;

/// `GET /ruang-kerja/pemeriksaan`: submissions waiting for the walidata, oldest first.
pub async fn queue(ctx: PageCtx, Query(q): Query<QueueQuery>) -> PageResult<Response> {
    let page_no = q.hal.unwrap_or(1).max(1);
    let status = q.status.clone().filter(|s| !s.is_empty());
    let page = queue_page(
        &ctx.state,
        &ctx.auth,
        QueueParams {
            organization: None,
            state: status.clone(),
            limit: Some(PAGE),
            offset: Some((page_no - 1) * PAGE as u64),
        },
    )
    .await?;
    let states = [
        (
            "",
            ctx.t(
                "Menunggu (diajukan, disetujui)",
                "Waiting (submitted, approved)",
            ),
        ),
        ("diajukan", ctx.t("Diajukan", "Submitted")),
        ("disetujui", ctx.t("Disetujui", "Approved")),
        ("dikembalikan", ctx.t("Dikembalikan", "Returned")),
    ];
    let chosen = status.unwrap_or_default();
    let content = html! {
        h1 { (ctx.t("Antrean pemeriksaan", "Review queue")) }
        (nav(&ctx))
        (flash(&ctx))
        form.filter method="get" action="/ruang-kerja/pemeriksaan" {
            label for="status" { (ctx.t("Status", "State")) }
            select #status name="status" {
                @for (v, l) in states { option value=(v) selected[v == chosen] { (l) } }
            }
            button.secondary type="submit" { (ctx.t("Saring", "Filter")) }
        }
        p { (page.total) " " (ctx.t("pengajuan.", "submissions.")) }
        @if !page.items.is_empty() {
            div.table-scroll { table.data {
                thead { tr {
                    th scope="col" { "Dataset" }
                    th scope="col" { (ctx.t("Organisasi", "Organisation")) }
                    th scope="col" { (ctx.t("Versi", "Version")) }
                    th scope="col" { (ctx.t("Status", "State")) }
                    th scope="col" { (ctx.t("Sejak", "Since")) }
                    th scope="col" { (ctx.t("Baris (+/−)", "Rows (+/−)")) }
                    th scope="col" { (ctx.t("Pemeriksaan otomatis", "Automatic checks")) }
                } }
                tbody {
                    @for i in &page.items {
                        tr {
                            th scope="row" { a href=(format!("/ruang-kerja/pemeriksaan/{}/{}", i.resource_id, i.version)) { (i.dataset_title) } }
                            td { (i.organization_name) }
                            td.num { (i.version) }
                            td { (state_word(ctx.lang, i.state)) }
                            td { (date(ctx.lang, i.since.date_naive())) }
                            td.num { (int(ctx.lang, i.row_count)) " (+" (i.rows_added) "/−" (i.rows_removed) ")" }
                            @match i.checks_passed {
                                Some(true) => td.pass { (ctx.t("Lulus", "Passed")) },
                                Some(false) => td.fail { (ctx.t("Ada yang gagal", "Some failed")) },
                                None => td { "–" },
                            }
                        }
                    }
                }
            } }
        }
        nav.pages aria-label=(ctx.t("Halaman", "Pages")) {
            @if page_no > 1 {
                a href=(format!("/ruang-kerja/pemeriksaan?status={chosen}&hal={}", page_no - 1)) { (ctx.t("‹ Sebelumnya", "‹ Previous")) }
            }
            @if page_no * (PAGE as u64) < page.total {
                a href=(format!("/ruang-kerja/pemeriksaan?status={chosen}&hal={}", page_no + 1)) { (ctx.t("Berikutnya ›", "Next ›")) }
            }
        }
    };
    Ok(ctx.ok(ctx.t("Antrean pemeriksaan", "Review queue"), content))
}

fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(v) => v.to_text(),
    }
}

fn diff_view(ctx: &PageCtx, d: &RowDiff, against: Option<i32>) -> Markup {
    html! {
        h2 #perubahan { (ctx.t("Perubahan baris", "Row changes")) }
        p {
            @match against {
                Some(n) => { (ctx.t("Dibandingkan dengan versi terbit ", "Compared with published version ")) (n) ": " }
                None => { (ctx.t("Belum ada versi terbit; semua baris baru: ", "No published version yet; every row is new: ")) }
            }
            strong { (d.added) } " " (ctx.t("ditambah", "added")) ", "
            strong { (d.removed) } " " (ctx.t("dihapus", "removed")) ", "
            strong { (d.changed) } " " (ctx.t("diubah", "changed")) "."
            @if d.truncated { " " (ctx.t("Hanya sebagian baris ditampilkan.", "Only some rows are shown.")) }
        }
        @if !(d.added_rows.is_empty() && d.removed_rows.is_empty() && d.changed_rows.is_empty()) {
            div.table-scroll { table.data {
                caption { (ctx.t("Hijau: ditambah. Merah: dihapus. Kuning: sel yang berubah (nilai lama → baru).",
                                 "Green: added. Red: removed. Yellow: changed cells (old → new).")) }
                thead { tr {
                    th scope="col" { (ctx.t("Perubahan", "Change")) }
                    @for f in &d.fields { th scope="col" { (f) } }
                } }
                tbody {
                    @for r in &d.added_rows {
                        tr.added {
                            td { (ctx.t("ditambah", "added")) }
                            @for i in 0..d.fields.len() { td { (cell(r.get(i))) } }
                        }
                    }
                    @for r in &d.removed_rows {
                        tr.removed {
                            td { (ctx.t("dihapus", "removed")) }
                            @for i in 0..d.fields.len() { td { (cell(r.get(i))) } }
                        }
                    }
                    @for c in &d.changed_rows {
                        tr {
                            td { (ctx.t("diubah", "changed")) }
                            @for (i, f) in d.fields.iter().enumerate() {
                                @if c.fields.contains(f) {
                                    td.changed { (cell(c.before.get(i))) " → " (cell(c.after.get(i))) }
                                } @else {
                                    td { (cell(c.after.get(i))) }
                                }
                            }
                        }
                    }
                }
            } }
        }
    }
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "–".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `GET /ruang-kerja/pemeriksaan/{id}/{number}`: one version under review.
pub async fn detail(
    ctx: PageCtx,
    trail: AuditTrail,
    Path((id, number)): Path<(Id, i32)>,
) -> PageResult<Response> {
    ctx.auth.require_user()?;
    let r = review_detail(&ctx.state, &ctx.auth, &trail, id, number, Some(100)).await?;
    let dataset = crate::api::find_dataset(&ctx.state, &r.dataset).await?;
    let actions = available_actions(&ctx, dataset.meta.organization_id, r.state);
    let columns: Vec<String> = match find_resource(&ctx.state, id).await?.0.kind {
        ResourceKind::Table { schema } => schema.fields.into_iter().map(|f| f.name).collect(),
        _ => vec![],
    };
    let back = format!("/ruang-kerja/pemeriksaan/{id}/{number}");
    let needs_note = |a: ReviewAction| {
        a == ReviewAction::Return || (a == ReviewAction::Withdraw && r.state == ReviewState::Terbit)
    };
    let title = format!(
        "{} · {} {number}",
        r.dataset_title,
        ctx.t("versi", "version")
    );
    let content = html! {
        p.crumbs {
            a href="/ruang-kerja" { (ctx.t("Ruang kerja", "Workspace")) } " › "
            a href=(format!("/ruang-kerja/dataset/{}", r.dataset)) { (r.dataset_title) } " › "
            (ctx.t("Pemeriksaan", "Review"))
        }
        h1 { (title) }
        (flash(&ctx))
        p {
            (ctx.t("Status: ", "State: ")) strong data-state=(r.state.as_str()) { (state_word(ctx.lang, r.state)) }
            " · " (int(ctx.lang, r.version.row_count)) " " (ctx.t("baris", "rows"))
            @if !r.version.summary.is_empty() { " · " (r.version.summary) }
        }
        @if let Some(checks) = &r.checks {
            h2 #pemeriksaan-otomatis { (ctx.t("Pemeriksaan otomatis", "Automatic checks")) }
            p class=(if checks.passed { "success" } else { "error" }) {
                @if checks.passed { (ctx.t("Semua pemeriksaan lulus.", "Every check passed.")) }
                @else { (ctx.t("Ada pemeriksaan yang gagal; lihat alasannya.", "Some checks failed; see the reasons.")) }
            }
            div.table-scroll { table.data {
                thead { tr {
                    th scope="col" { (ctx.t("Prinsip", "Principle")) }
                    th scope="col" { (ctx.t("Hasil", "Result")) }
                    th scope="col" { (ctx.t("Alasan", "Reasons")) }
                } }
                tbody {
                    @for c in &checks.results {
                        tr {
                            th scope="row" { (c.label) }
                            @if c.passed { td.pass { (ctx.t("Lulus", "Passed")) } } @else { td.fail { (ctx.t("Gagal", "Failed")) } }
                            td { ul.plain { @for reason in &c.reasons { li { (reason) } } } }
                        }
                    }
                }
            } }
        }
        @if let Some(d) = &r.diff { (diff_view(&ctx, d, r.published_version)) }
        @if !r.metadata_changes.is_empty() {
            h2 { (ctx.t("Perubahan metadata", "Metadata changes")) }
            div.table-scroll { table.data {
                thead { tr {
                    th scope="col" { (ctx.t("Isian", "Field")) }
                    th scope="col" { (ctx.t("Sebelumnya", "Before")) }
                    th scope="col" { (ctx.t("Sekarang", "Now")) }
                } }
                tbody { @for m in &r.metadata_changes {
                    tr { th scope="row" { (m.field) } td { (json_text(&m.before)) } td.changed { (json_text(&m.after)) } }
                } }
            } }
        }
        h2 #riwayat { (ctx.t("Riwayat dan catatan", "History and notes")) }
        @if r.events.is_empty() {
            p { (ctx.t("Belum ada tindakan pada versi ini.", "Nothing has been done with this version yet.")) }
        } @else {
            ol.events {
                @for e in &r.events {
                    li {
                        strong { (state_word(ctx.lang, e.from)) " → " (state_word(ctx.lang, e.to)) }
                        " · " (date(ctx.lang, e.at.date_naive()))
                        @if let Some(role) = e.role { " · " (role.to_string()) }
                        @if !e.note.is_empty() { blockquote data-note="true" { (e.note) } }
                        @if !e.notes.is_empty() {
                            ul.notes {
                                @for n in &e.notes { li data-note-target=(target_words(&ctx, &n.target)) { strong { (target_words(&ctx, &n.target)) } ": " (n.text) } }
                            }
                        }
                    }
                }
            }
        }
        @if !actions.is_empty() {
            h2 #tindakan { (ctx.t("Tindakan", "Actions")) }
            @for a in &actions {
                @if needs_note(*a) {
                    form.stack method="post" action=(format!("/ruang-kerja/versi/{id}/{number}/{}", action_word(*a))) {
                        (csrf_input(&ctx))
                        input type="hidden" name="kembali" value=(back);
                        @let field = format!("catatan-{}", action_word(*a));
                        label for=(field) { (ctx.t("Catatan (wajib): apa yang harus diperbaiki", "Note (required): what must be fixed")) }
                        textarea id=(field) name="catatan" rows="3" required {}
                        @if *a == ReviewAction::Return { (detail_notes(&ctx, &columns)) }
                        button type="submit" { (action_label(&ctx, *a)) }
                    }
                } @else {
                    form.stack method="post" action=(format!("/ruang-kerja/versi/{id}/{number}/{}", action_word(*a))) {
                        (csrf_input(&ctx))
                        input type="hidden" name="kembali" value=(back);
                        @let field = format!("catatan-{}", action_word(*a));
                        label for=(field) {
                            (ctx.t("Catatan untuk “", "Note with “")) (action_label(&ctx, *a))
                            (ctx.t("” (boleh kosong)", "” (optional)"))
                        }
                        textarea id=(field) name="catatan" rows="2" {}
                        button type="submit" class=[matches!(a, ReviewAction::Withdraw | ReviewAction::Archive).then_some("secondary")] {
                            (action_label(&ctx, *a))
                        }
                    }
                }
            }
        }
        @if actions.is_empty() && r.state == ReviewState::Dikembalikan {
            p { (ctx.t("Versi ini dikembalikan; produsen memperbaikinya lalu mengajukan ulang.",
                       "This version was returned; the producer fixes it and submits it again.")) }
        }
    };
    Ok(ctx.ok(&title, content))
}

/// `POST /ruang-kerja/versi/{id}/{number}/{aksi}`: apply a review action (`ajukan`,
/// `ajukan-ulang`, `kembalikan`, `setujui`, `terbitkan`, `tarik`, `arsipkan`) with the form's
/// note, then go back with a message.
pub async fn action(
    ctx: PageCtx,
    trail: AuditTrail,
    headers: HeaderMap,
    Path((id, number, word)): Path<(Id, i32, String)>,
    body: Bytes,
) -> PageResult<Response> {
    let form = FormData::parse(&body)?;
    check_csrf(&ctx, &headers, form.get("csrf_token"))?;
    let action = [
        ReviewAction::Submit,
        ReviewAction::Resubmit,
        ReviewAction::Return,
        ReviewAction::Approve,
        ReviewAction::Publish,
        ReviewAction::Withdraw,
        ReviewAction::Archive,
    ]
    .into_iter()
    .find(|a| action_word(*a) == word)
    .ok_or_else(|| ApiError::not_found(format!("Tindakan '{word}' tidak dikenal.")))?;
    let req = ReviewRequest {
        note: form.get("catatan").trim().to_string(),
        notes: detail_notes_of(&form),
    };
    let answer = act(&ctx.state, &ctx.auth, &trail, id, number, action, Ok(req)).await?;
    let code = match answer.state {
        ReviewState::Diajukan if action == ReviewAction::Resubmit => "diajukan-ulang",
        ReviewState::Diajukan => "diajukan",
        ReviewState::Dikembalikan => "dikembalikan",
        ReviewState::Disetujui => "disetujui",
        ReviewState::Terbit => "terbit",
        ReviewState::Ditarik => "ditarik",
        ReviewState::Diarsipkan => "diarsipkan",
        ReviewState::Draf => "tersimpan",
    };
    let back = local_path(
        form.get("kembali"),
        &format!("/ruang-kerja/pemeriksaan/{id}/{number}"),
    );
    Ok(see_other(&back, code))
}

/// How many notes on a column, a row or a cell the return form offers (no JavaScript needed to
/// add more; a reviewer with more to say writes them in the general note).
const DETAIL_NOTES: usize = 3;

/// What a note is about, in words: "kolom jumlah", "baris 5", "kolom jumlah, baris 5".
fn target_words(ctx: &PageCtx, t: &NoteTarget) -> String {
    match t {
        NoteTarget::Pengajuan => ctx.t("Pengajuan", "Submission").to_string(),
        NoteTarget::Kolom { field } => format!("{} {field}", ctx.t("Kolom", "Column")),
        NoteTarget::Baris { key } => format!("{} {key}", ctx.t("Baris", "Row")),
        NoteTarget::Sel { field, key } => format!(
            "{} {field}, {} {key}",
            ctx.t("Kolom", "Column"),
            ctx.t("baris", "row")
        ),
    }
}

/// The part of the return form for notes on a column, a row or one cell of the table.
fn detail_notes(ctx: &PageCtx, columns: &[String]) -> Markup {
    html! {
        fieldset.detail-notes {
            legend { (ctx.t("Catatan pada kolom, baris atau sel (boleh kosong)", "Notes on a column, a row or a cell (optional)")) }
            p.help { (ctx.t("Pilih kolom, atau tulis nomor baris (atau nilai kunci baris), atau keduanya untuk satu sel.",
                             "Choose a column, or write a row number (or the row's key), or both for one cell.")) }
            @for i in 0..DETAIL_NOTES {
                div.note-row {
                    @let n = i + 1;
                    label for=(format!("rinci{i}_kolom")) { (ctx.t("Kolom catatan ", "Column of note ")) (n) }
                    select id=(format!("rinci{i}_kolom")) name=(format!("rinci{i}_kolom")) {
                        option value="" { (ctx.t("(semua kolom)", "(every column)")) }
                        @for c in columns { option value=(c) { (c) } }
                    }
                    label for=(format!("rinci{i}_baris")) { (ctx.t("Baris catatan ", "Row of note ")) (n) }
                    input id=(format!("rinci{i}_baris")) name=(format!("rinci{i}_baris")) type="text" inputmode="numeric" size="8";
                    label for=(format!("rinci{i}_teks")) { (ctx.t("Isi catatan ", "Text of note ")) (n) }
                    input id=(format!("rinci{i}_teks")) name=(format!("rinci{i}_teks")) type="text";
                }
            }
        }
    }
}

/// The notes on columns, rows and cells filled in the return form; a line without text is skipped.
fn detail_notes_of(form: &FormData) -> Vec<ReviewNote> {
    (0..DETAIL_NOTES)
        .filter_map(|i| {
            let text = form.get(&format!("rinci{i}_teks")).trim().to_string();
            if text.is_empty() {
                return None;
            }
            let field = form.get(&format!("rinci{i}_kolom")).trim().to_string();
            let key = form.get(&format!("rinci{i}_baris")).trim().to_string();
            let target = match (field.is_empty(), key.is_empty()) {
                (true, true) => NoteTarget::Pengajuan,
                (false, true) => NoteTarget::Kolom { field },
                (true, false) => NoteTarget::Baris { key },
                (false, false) => NoteTarget::Sel { field, key },
            };
            Some(ReviewNote { target, text })
        })
        .collect()
}
