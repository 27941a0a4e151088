//! The table preview of the dataset page: 20 rows at a time, sorted by a click on a column head,
//! filtered with a small form, paged with links. Plain links and a GET form: no JavaScript.

use maud::{html, Markup};
use satudata_core::dataset::{Dataset, Resource};
use satudata_core::row::RowPage;
use satudata_core::schema::{Field, FieldType, TableSchema};
use satudata_core::value::Value;

use super::dataset::DatasetPageQuery;
use super::i18n::{int, number, Lang};
use super::layout::PageCtx;
use crate::dataapi::query::rows_request;
use crate::error::ApiResult;

/// Rows per preview page.
pub const PREVIEW_ROWS: u64 = 20;

/// One page of the preview, or why the filter could not be applied.
pub struct Preview {
    /// The rows, or `None` when the filter was refused.
    pub page: Option<RowPage>,
    /// What was wrong with the filter (Bahasa Indonesia), shown above the table.
    pub problem: Option<String>,
    /// The schema's fields in the page's order.
    pub fields: Vec<Field>,
}

/// Query the preview page the visitor asked for.
pub async fn preview(
    ctx: &PageCtx,
    _dataset: &Dataset,
    resource: &Resource,
    schema: &TableSchema,
    q: &DatasetPageQuery,
) -> ApiResult<Preview> {
    let page_no = q.hal.unwrap_or(1).max(1);
    let mut params: Vec<(String, String)> = vec![
        ("limit".into(), PREVIEW_ROWS.to_string()),
        ("offset".into(), ((page_no - 1) * PREVIEW_ROWS).to_string()),
    ];
    if let Some(sort) = q.urut.as_deref().filter(|s| !s.is_empty()) {
        params.push(("sort".into(), sort.to_string()));
    }
    if let (Some(col), Some(value)) = (q.kolom.as_deref(), q.nilai.as_deref()) {
        let value = value.trim();
        if let Some(f) = schema.fields.iter().find(|f| f.name == col) {
            if !value.is_empty() {
                if f.field_type == FieldType::String && f.region_level.is_none() {
                    params.push((format!("{col}__like"), format!("%{value}%")));
                } else {
                    params.push((col.to_string(), value.to_string()));
                }
            }
        }
    }
    let fields = schema.fields.clone();
    let request = match rows_request(schema, &params) {
        Ok(r) => r,
        Err(e) => {
            let p = e.problem();
            let mut msg = p.detail;
            for item in p.errors {
                msg.push_str(&format!(" {}", item.message));
            }
            return Ok(Preview {
                page: None,
                problem: Some(msg),
                fields,
            });
        }
    };
    match ctx
        .state
        .store
        .query_rows(resource.id, &request.query)
        .await
    {
        Ok(page) => Ok(Preview {
            page: Some(page),
            problem: None,
            fields,
        }),
        Err(satudata_store::StoreError::Invalid(m)) => Ok(Preview {
            page: None,
            problem: Some(m),
            fields,
        }),
        Err(e) => Err(e.into()),
    }
}

/// Whether a field holds a measure (grouped digits) rather than a code, a year or a name.
fn is_measure(f: &Field) -> bool {
    matches!(f.field_type, FieldType::Integer | FieldType::Number)
        && f.region_level.is_none()
        && !f.period
        && !f.name.to_lowercase().starts_with("kode")
        && !f.name.to_lowercase().contains("tahun")
}

/// A cell as people read it.
pub fn cell(lang: Lang, f: &Field, v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Int(n) if is_measure(f) => int(lang, *n),
        Value::Num(x) if is_measure(f) => number(lang, *x, 2),
        Value::Bool(b) => lang
            .t(
                if *b { "ya" } else { "tidak" },
                if *b { "yes" } else { "no" },
            )
            .to_string(),
        Value::Text(s) if f.region_level.is_some() => satudata_core::region::RegionCode::parse(s)
            .map(|c| c.dotted())
            .unwrap_or_else(|_| s.clone()),
        other => other.to_text(),
    }
}

fn link(
    d: &Dataset,
    r: &Resource,
    q: &DatasetPageQuery,
    urut: Option<&str>,
    hal: Option<u64>,
) -> String {
    let mut pairs: Vec<(&str, String)> = vec![("tabel", r.name.clone())];
    if let Some(u) = urut.filter(|u| !u.is_empty()) {
        pairs.push(("urut", u.to_string()));
    }
    if let (Some(k), Some(n)) = (&q.kolom, &q.nilai) {
        if !n.is_empty() {
            pairs.push(("kolom", k.clone()));
            pairs.push(("nilai", n.clone()));
        }
    }
    if let Some(h) = hal.filter(|h| *h > 1) {
        pairs.push(("hal", h.to_string()));
    }
    format!(
        "/dataset/{}?{}#tabel",
        d.meta.slug,
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// The preview: filter form, table with sortable heads, pager.
pub fn render(
    ctx: &PageCtx,
    d: &Dataset,
    r: &Resource,
    p: &Preview,
    q: &DatasetPageQuery,
) -> Markup {
    let lang = ctx.lang;
    let sort = q.urut.clone().unwrap_or_default();
    html! {
        form.filter method="get" action=(format!("/dataset/{}#tabel", d.meta.slug)) {
            input type="hidden" name="tabel" value=(r.name);
            @if !sort.is_empty() { input type="hidden" name="urut" value=(sort); }
            label for="kolom" { (ctx.t("Saring kolom", "Filter column")) }
            select #kolom name="kolom" {
                @for f in &p.fields {
                    @if q.kolom.as_deref() == Some(f.name.as_str()) {
                        option value=(f.name) selected { (f.title.clone().unwrap_or(f.name.clone())) }
                    } @else {
                        option value=(f.name) { (f.title.clone().unwrap_or(f.name.clone())) }
                    }
                }
            }
            label for="nilai" { (ctx.t("berisi", "containing")) }
            input #nilai type="text" name="nilai" value=(q.nilai.clone().unwrap_or_default());
            button type="submit" { (ctx.t("Saring", "Filter")) }
            @if q.nilai.as_deref().is_some_and(|n| !n.is_empty()) {
                a href=(link(d, r, &DatasetPageQuery::default(), Some(&sort), None)) { (ctx.t("Hapus saringan", "Clear filter")) }
            }
        }
        @if let Some(problem) = &p.problem {
            p.error role="alert" { (problem) }
        }
        @if let Some(page) = &p.page {
            @let total = page.total.unwrap_or(page.rows.len() as u64);
            @let pages = total.div_ceil(PREVIEW_ROWS).max(1);
            @let current = page.offset / PREVIEW_ROWS + 1;
            div.table-scroll role="region" aria-label=(ctx.t("Pratinjau tabel", "Table preview")) tabindex="0" {
                table.data {
                    caption {
                        (int(lang, total as i64)) " " (ctx.t("baris", "rows")) ", " (ctx.t("versi", "version")) " " (page.version)
                        @if pages > 1 { " · " (ctx.t("halaman", "page")) " " (current) "/" (pages) }
                    }
                    thead { tr {
                        @for f in &p.fields {
                            @let (next, mark, aria) = if sort == f.name {
                                (format!("-{}", f.name), " ▲", "ascending")
                            } else if sort == format!("-{}", f.name) {
                                (String::new(), " ▼", "descending")
                            } else {
                                (f.name.clone(), "", "none")
                            };
                            th scope="col" aria-sort=(aria) class=(if is_measure(f) { "num" } else { "" }) {
                                a href=(link(d, r, q, Some(&next), None)) title=(ctx.t("Urutkan", "Sort")) {
                                    (f.title.clone().unwrap_or(f.name.clone()))
                                    @if let Some(u) = &f.unit { " (" (u) ")" }
                                    (mark)
                                }
                            }
                        }
                    } }
                    tbody {
                        @for row in &page.rows {
                            tr {
                                @for (f, v) in p.fields.iter().zip(row) {
                                    @if is_measure(f) { td.num { (cell(lang, f, v)) } } @else { td { (cell(lang, f, v)) } }
                                }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pages aria-label=(ctx.t("Halaman tabel", "Table pages")) {
                    @if current > 1 { a href=(link(d, r, q, Some(&sort), Some(current - 1))) rel="prev" { "← " (ctx.t("Sebelumnya", "Previous")) } }
                    @if current < pages { a href=(link(d, r, q, Some(&sort), Some(current + 1))) rel="next" { (ctx.t("Berikutnya", "Next")) " →" } }
                }
            }
        }
    }
}
