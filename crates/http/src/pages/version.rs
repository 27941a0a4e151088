//! One version of a table, `/dataset/SLUG/TABLE/versi/N`: when and by how much it changed, and the
//! rows added, removed and changed against the version before it that the visitor may see.

use axum::response::Response;
use maud::html;
use satudata_core::access::Action;
use satudata_core::dataset::ResourceKind;
use satudata_core::review::ReviewState;

use super::dataset::state_word;
use super::error::PageResult;
use super::i18n::{date, int};
use super::layout::PageCtx;
use super::table_view::cell;
use crate::audit_trail::{restricted_read, AuditTrail};
use crate::error::ApiError;
use crate::pages::extract::Path;

/// Rows of each kind shown.
const DIFF_ROWS: u32 = 200;

/// `GET /dataset/{slug}/{table}/versi/{number}`.
pub async fn version(
    ctx: PageCtx,
    trail: AuditTrail,
    Path((slug, table, number)): Path<(String, String, i32)>,
) -> PageResult<Response> {
    let state = &ctx.state;
    let missing = || {
        ApiError::not_found(format!(
            "Versi {number} tabel '{table}' dataset '{slug}' tidak ada."
        ))
    };
    let d = state.store.get_dataset(&slug).await?.ok_or_else(missing)?;
    ctx.auth.allow(Action::ReadData {
        access: d.meta.access,
        organization: d.meta.organization_id,
    })?;
    let r = state
        .store
        .list_resources(d.id)
        .await?
        .into_iter()
        .find(|r| r.name == table)
        .ok_or_else(missing)?;
    let ResourceKind::Table { schema } = &r.kind else {
        return Err(missing().into());
    };
    let sees_drafts = crate::api::review::sees_unpublished(&ctx.auth, &d);
    let states = state.store.version_states(r.id).await?;
    let visible = |n: i32| {
        states
            .iter()
            .find(|s| s.number == n)
            .is_some_and(|s| sees_drafts || s.state == ReviewState::Terbit)
    };
    if !visible(number) {
        return Err(missing().into());
    }
    let versions = state.store.list_versions(r.id).await?;
    let v = versions
        .iter()
        .find(|v| v.number == number)
        .ok_or_else(missing)?;
    let previous = versions
        .iter()
        .filter(|p| p.number < number && visible(p.number))
        .map(|p| p.number)
        .max()
        .unwrap_or(0);
    restricted_read(
        &trail,
        &d,
        &format!("page diff {} v{previous}..v{number}", r.name),
    );
    let diff = state
        .store
        .diff_versions(r.id, previous, number, DIFF_ROWS)
        .await?;
    let st = states
        .iter()
        .find(|s| s.number == number)
        .map(|s| s.state)
        .unwrap_or_default();
    let lang = ctx.lang;
    let fields: Vec<_> = diff
        .fields
        .iter()
        .map(|name| {
            schema
                .fields
                .iter()
                .find(|f| &f.name == name)
                .cloned()
                .unwrap_or_else(|| {
                    satudata_core::schema::Field::new(
                        name.clone(),
                        satudata_core::schema::FieldType::String,
                    )
                })
        })
        .collect();
    let head = html! {
        thead { tr {
            th scope="col" { (ctx.t("Perubahan", "Change")) }
            @for f in &fields { th scope="col" { (f.title.clone().unwrap_or(f.name.clone())) } }
        } }
    };
    let title = format!("{} — {} {number}", r.title, ctx.t("versi", "version"));
    let content = html! {
        nav.crumbs { a href=(format!("/dataset/{slug}?tabel={table}")) { (d.meta.title) } " › " (ctx.t("versi", "version")) " " (number) }
        h1 { (title) }
        dl.meta-list {
            dt { (ctx.t("Tanggal", "Date")) } dd { (date(lang, v.created_at.date_naive())) }
            dt { (ctx.t("Status", "State")) } dd { (state_word(lang, st)) }
            dt { (ctx.t("Baris", "Rows")) } dd { (int(lang, v.row_count)) }
            dt { (ctx.t("Ringkasan", "Summary")) } dd { @if v.summary.is_empty() { "–" } @else { (v.summary) } }
            dt { (ctx.t("Dibandingkan dengan", "Compared with")) } dd {
                @if previous == 0 { (ctx.t("tidak ada (versi pertama)", "nothing (first version)")) }
                @else { a href=(format!("/dataset/{slug}/{table}/versi/{previous}")) { (ctx.t("versi", "version")) " " (previous) } }
            }
        }
        p {
            strong { "+" (int(lang, diff.added as i64)) } " " (ctx.t("baris ditambah", "rows added")) ", "
            strong { "−" (int(lang, diff.removed as i64)) } " " (ctx.t("dihapus", "removed")) ", "
            strong { (int(lang, diff.changed as i64)) } " " (ctx.t("diubah", "changed"))
            @if diff.truncated { " · " (ctx.t("hanya sebagian baris yang ditampilkan", "only some rows are shown")) }
        }
        @if diff.primary_key.is_empty() && previous > 0 {
            p.meta { (ctx.t("Tabel ini tidak punya kunci utama, jadi baris yang berubah tampil sebagai dihapus dan ditambah.",
                            "This table has no primary key, so changed rows show as removed and added.")) }
        }
        @if diff.added + diff.removed + diff.changed > 0 {
            div.table-scroll role="region" tabindex="0" aria-label=(ctx.t("Perubahan baris", "Row changes")) {
                table.data {
                    caption { (ctx.t("Baris yang berubah; sel yang berubah ditandai", "Rows that changed; changed cells are marked")) }
                    (head)
                    tbody {
                        @for row in &diff.added_rows {
                            tr.added { th scope="row" { "+ " (ctx.t("ditambah", "added")) }
                                @for (f, x) in fields.iter().zip(row) { td { (cell(lang, f, x)) } } }
                        }
                        @for row in &diff.removed_rows {
                            tr.removed { th scope="row" { "− " (ctx.t("dihapus", "removed")) }
                                @for (f, x) in fields.iter().zip(row) { td { (cell(lang, f, x)) } } }
                        }
                        @for c in &diff.changed_rows {
                            tr { th scope="row" { "~ " (ctx.t("diubah", "changed")) }
                                @for ((f, b), a) in fields.iter().zip(&c.before).zip(&c.after) {
                                    @if c.fields.contains(&f.name) {
                                        td.changed { del { (cell(lang, f, b)) } " → " ins { (cell(lang, f, a)) } }
                                    } @else { td { (cell(lang, f, a)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(ctx.ok(&title, content))
}
