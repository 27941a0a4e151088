//! The code lists (kode referensi) as pages: `/kode-referensi` lists them, `/kode-referensi/SLUG`
//! shows one version's codes (`?versi=N` for an older one) with what changed since the version
//! before, the other versions, and where to get it as JSON. Public, like the API.

use axum::response::Response;
use maud::html;
use satudata_core::access::Action;
use satudata_core::codelist::{Code, CodeList};
use serde::Deserialize;

use super::error::PageResult;
use super::i18n::{date, int, Lang};
use super::layout::PageCtx;
use crate::pages::extract::{Path, Query};

/// Which version to show.
#[derive(Debug, Deserialize)]
pub struct VersionQuery {
    /// The version number; the newest when missing.
    versi: Option<i32>,
}

fn label(lang: Lang, c: &Code) -> &str {
    match (lang, &c.label_en) {
        (Lang::En, Some(en)) if !en.is_empty() => en,
        _ => &c.label,
    }
}

/// `GET /kode-referensi`: every code list, newest version of each.
pub async fn list(ctx: PageCtx) -> PageResult<Response> {
    ctx.auth.allow(Action::ReadCodeLists)?;
    let mut lists = ctx.state.store.list_codelists().await?;
    lists.sort_by(|a, b| a.meta.title.cmp(&b.meta.title));
    let title = ctx.t("Kode referensi", "Code lists");
    let content = html! {
        h1 { (title) }
        p { (ctx.t("Daftar kode baku yang dipakai tabel-tabel di portal ini (Standar Data dan Kode Referensi Satu Data Indonesia). Isian tabel yang merujuk daftar ini diperiksa saat data diunggah.",
                   "The standard code lists the tables of this portal use (Satu Data Indonesia's data standards and reference codes). Cells that refer to a list are checked when data is uploaded.")) }
        @if lists.is_empty() {
            p { (ctx.t("Belum ada kode referensi.", "No code lists yet.")) }
        } @else {
            div.table-scroll { table.data {
                caption { (lists.len()) " " (ctx.t("daftar kode", "code lists")) }
                thead { tr {
                    th scope="col" { (ctx.t("Nama", "Name")) }
                    th scope="col" { (ctx.t("Sumber", "Source")) }
                    th scope="col" { (ctx.t("Jumlah kode", "Codes")) }
                    th scope="col" { (ctx.t("Versi", "Version")) }
                    th scope="col" { (ctx.t("Tanggal", "Date")) }
                } }
                tbody { @for l in &lists {
                    tr {
                        th scope="row" { a href=(format!("/kode-referensi/{}", l.meta.slug)) { (l.meta.title) } }
                        td { (l.meta.source) }
                        td.num { (int(ctx.lang, l.meta.codes.len() as i64)) }
                        td.num { (l.version) }
                        td { (date(ctx.lang, l.created_at.date_naive())) }
                    }
                } }
            } }
        }
        p.meta { (ctx.t("Untuk program: ", "For programs: ")) a href="/api/v1/codelists" { code { "/api/v1/codelists" } } }
    };
    Ok(ctx.ok(title, content))
}

/// What changed between two versions of a list: codes added, removed, relabelled.
struct Changes<'a> {
    added: Vec<&'a Code>,
    removed: Vec<&'a Code>,
    relabelled: Vec<(&'a Code, &'a Code)>,
}

fn changes<'a>(before: &'a CodeList, now: &'a CodeList) -> Changes<'a> {
    let find = |l: &'a CodeList, code: &str| l.meta.codes.iter().find(|c| c.code == code);
    Changes {
        added: now
            .meta
            .codes
            .iter()
            .filter(|c| find(before, &c.code).is_none())
            .collect(),
        removed: before
            .meta
            .codes
            .iter()
            .filter(|c| find(now, &c.code).is_none())
            .collect(),
        relabelled: now
            .meta
            .codes
            .iter()
            .filter_map(|c| {
                find(before, &c.code)
                    .filter(|b| b.label != c.label)
                    .map(|b| (b, c))
            })
            .collect(),
    }
}

/// `GET /kode-referensi/SLUG`: one version of a code list.
pub async fn show(
    ctx: PageCtx,
    Path(slug): Path<String>,
    Query(q): Query<VersionQuery>,
) -> PageResult<Response> {
    ctx.auth.allow(Action::ReadCodeLists)?;
    let Some(list) = ctx.state.store.get_codelist(&slug, q.versi).await? else {
        return Ok(ctx.not_found(ctx.t("Kode referensi ini", "This code list")));
    };
    let versions = ctx.state.store.codelist_versions(&slug).await?;
    let previous = match versions.iter().filter(|v| **v < list.version).max() {
        Some(v) => ctx.state.store.get_codelist(&slug, Some(*v)).await?,
        None => None,
    };
    let diff = previous.as_ref().map(|p| (p.version, changes(p, &list)));
    let newest = versions.iter().max().copied().unwrap_or(list.version);
    let api = format!(
        "/api/v1/codelists/{}?version={}",
        list.meta.slug, list.version
    );
    let content = html! {
        p.crumbs { a href="/kode-referensi" { (ctx.t("Kode referensi", "Code lists")) } " › " (list.meta.title) }
        h1 { (list.meta.title) }
        @if !list.meta.description.is_empty() { p { (list.meta.description) } }
        dl.meta-list {
            dt { (ctx.t("Sumber", "Source")) } dd { @if list.meta.source.is_empty() { "–" } @else { (list.meta.source) } }
            dt { (ctx.t("Versi", "Version")) } dd {
                (list.version) " · " (date(ctx.lang, list.created_at.date_naive()))
                @if list.version != newest {
                    " · " strong { (ctx.t("bukan versi terbaru; ", "not the newest version; ")) }
                    a href=(format!("/kode-referensi/{}", list.meta.slug)) { (ctx.t("lihat versi ", "see version ")) (newest) }
                }
            }
            dt { (ctx.t("Dipakai di Table Schema sebagai", "Used in a Table Schema as")) } dd { code { "codelist:" (list.meta.slug) } }
            dt { "JSON" } dd { a href=(api) { code { (api) } } }
        }
        @if let Some((from, ch)) = &diff {
            h2 #perubahan { (ctx.t("Perubahan dari versi ", "Changes since version ")) (from) }
            @if ch.added.is_empty() && ch.removed.is_empty() && ch.relabelled.is_empty() {
                p { (ctx.t("Tidak ada kode yang berubah.", "No code changed.")) }
            } @else {
                ul {
                    @for c in &ch.added { li.added { (ctx.t("Ditambah: ", "Added: ")) code { (c.code) } " " (label(ctx.lang, c)) } }
                    @for c in &ch.removed { li.removed { (ctx.t("Dihapus: ", "Removed: ")) code { (c.code) } " " (label(ctx.lang, c)) } }
                    @for (b, c) in &ch.relabelled { li.changed { (ctx.t("Diganti: ", "Relabelled: ")) code { (c.code) } " " (b.label) " → " (c.label) } }
                }
            }
        }
        h2 #kode { (ctx.t("Kode", "Codes")) }
        div.table-scroll { table.data {
            caption { (int(ctx.lang, list.meta.codes.len() as i64)) " " (ctx.t("kode", "codes")) }
            thead { tr {
                th scope="col" { (ctx.t("Kode", "Code")) }
                th scope="col" { (ctx.t("Label", "Label")) }
                th scope="col" { (ctx.t("Label (Inggris)", "Label (English)")) }
            } }
            tbody { @for c in &list.meta.codes {
                tr {
                    th scope="row" { code { (c.code) } }
                    td { (c.label) }
                    td { (c.label_en.clone().unwrap_or_default()) }
                }
            } }
        } }
        @if versions.len() > 1 {
            h2 #versi { (ctx.t("Semua versi", "Every version")) }
            ul { @for v in versions.iter().rev() {
                li { @if *v == list.version { strong { (ctx.t("versi ", "version ")) (v) } }
                     @else { a href=(format!("/kode-referensi/{}?versi={v}", list.meta.slug)) { (ctx.t("versi ", "version ")) (v) } } }
            } }
        }
    };
    Ok(ctx.ok(&list.meta.title, content))
}
