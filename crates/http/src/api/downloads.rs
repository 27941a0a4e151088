//! Downloads of every table — `/dataset/{slug}/{resource}.csv` (UTF-8, `?bom=1` for Excel),
//! `.json`, `.xlsx` (typed cells, units in the header, a metadata sheet), `.schema.json` — and the
//! Frictionless Data Package (`/dataset/{slug}/datapackage.json`, `datapackage.zip`).
//!
//! CSV is written by the database ([`satudata_store::Store::stream_csv`], the data API's CSV
//! path); JSON and XLSX rows come from [`satudata_store::Store::stream_rows`]. Both go through
//! bounded channels and leave as a streamed body, so memory stays bounded whatever the table's
//! size; `?version=N` pins a version.
//! Reading data is checked with `decide(ReadData …)`.

use std::io::{self, Write};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use satudata_core::access::Action;
use satudata_core::dataset::{Dataset, Resource, ResourceKind};
use satudata_core::row::{Row, RowQuery};
use satudata_core::schema::TableSchema;
use satudata_core::value::Value;
use satudata_core::Id;
use satudata_interop::datapackage::{datapackage, frictionless_name, Paths};
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Path, Query};
use crate::publish::{self, Cache, PackageData};
use crate::state::AppState;

/// Bytes per chunk of a streamed body.
const CHUNK: usize = 64 * 1024;
/// The most rows a worksheet holds (Excel's limit, less the header).
const XLSX_MAX_ROWS: u64 = 1_048_575;

/// Options of a download.
#[derive(Debug, Default, Deserialize)]
pub struct DownloadQuery {
    /// The version (1, 2, …); the latest when not given.
    pub version: Option<i32>,
    /// `1`: start the CSV with a UTF-8 byte-order mark so that Excel reads it as UTF-8.
    pub bom: Option<String>,
}

/// A `Write` that sends its bytes in chunks to an async body (for writers on blocking threads).
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn new(tx: mpsc::Sender<io::Result<Bytes>>) -> Self {
        ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
            self.tx
                .blocking_send(Ok(chunk))
                .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "client gone"))?;
        }
        Ok(())
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}

/// The chunks of a channel as a body. Unlike `stream::unfold`, it may be polled again after the
/// end (the compression layer does).
struct ChunkStream(mpsc::Receiver<io::Result<Bytes>>);

impl futures_util::Stream for ChunkStream {
    type Item = io::Result<Bytes>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

fn body_of(rx: mpsc::Receiver<io::Result<Bytes>>) -> Body {
    Body::from_stream(ChunkStream(rx))
}

/// Start streaming the rows of one version; the receiver gets batches, and the handle the
/// store's answer (an error after the first bytes aborts the body).
fn rows_of(
    state: &AppState,
    resource: Id,
    version: Option<i32>,
) -> (
    mpsc::Receiver<Vec<Row>>,
    tokio::task::JoinHandle<satudata_store::StoreResult<u64>>,
) {
    let (tx, rx) = mpsc::channel(4);
    let store = state.store.clone();
    let h = tokio::spawn(async move { store.stream_rows(resource, version, tx).await });
    (rx, h)
}

/// The dataset `slug` if the caller may read its metadata (404, or 401/403 as for `/api/v1`).
async fn dataset(state: &AppState, auth: &Auth, slug: &str) -> ApiResult<Dataset> {
    let d = state
        .store
        .get_dataset(slug)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Dataset '{slug}' tidak ditemukan.")))?;
    auth.allow(Action::ReadMetadata {
        access: d.meta.access,
        organization: d.meta.organization_id,
    })?;
    Ok(d)
}

fn allow_data(auth: &Auth, d: &Dataset) -> ApiResult<()> {
    auth.allow(Action::ReadData {
        access: d.meta.access,
        organization: d.meta.organization_id,
    })
}

/// The version to serve: a published one (drafts and submissions are never downloads), checked
/// to exist; the latest published one when none is asked for.
async fn version_of(state: &AppState, r: &Resource, asked: Option<i32>) -> ApiResult<i32> {
    match asked {
        Some(n) => {
            let published = super::review::version_state(state, r.id, n).await.ok()
                == Some(satudata_core::review::ReviewState::Terbit);
            published
                .then_some(n)
                .ok_or_else(|| ApiError::not_found(format!("Versi {n} tidak ada.")))
        }
        None => state
            .store
            .latest_published(r.id)
            .await?
            .ok_or_else(|| ApiError::not_found("Tabel ini belum punya data terbit.")),
    }
}

fn attachment(name: &str, content_type: &'static str, body: Body) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Stream the CSV of a table: the database writes the text ([`Store::stream_csv`], as the data
/// API's `format=csv` does), every row of `version` in upload order, no cell decoded on the way.
///
/// [`Store::stream_csv`]: satudata_store::Store::stream_csv
fn csv_body(state: &AppState, r: &Resource, schema: TableSchema, version: i32, bom: bool) -> Body {
    let query = RowQuery {
        version: Some(version),
        with_total: false,
        ..RowQuery::default()
    };
    let names = schema.fields.iter().map(|f| f.name.clone()).collect();
    crate::dataapi::export::store_csv(state.store.clone(), r.id, query, None, names, bom)
}

/// After the rows: if the store failed, end the body with an error (the client sees a broken
/// transfer instead of a silently short file).
fn finish(
    handle: tokio::task::JoinHandle<satudata_store::StoreResult<u64>>,
    tx: &mpsc::Sender<io::Result<Bytes>>,
) {
    let failed = match tokio::runtime::Handle::current().block_on(handle) {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(e) => Some(e.to_string()),
    };
    if let Some(e) = failed {
        tracing::error!(error = %e, "download: streaming rows failed");
        let _ = tx.blocking_send(Err(io::Error::other(e)));
    }
}

fn json_body(state: &AppState, r: &Resource, schema: TableSchema, version: i32) -> Body {
    let (mut rows, handle) = rows_of(state, r.id, Some(version));
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter::new(tx.clone());
        let names: Vec<String> = schema
            .fields
            .iter()
            .map(|f| serde_json::to_string(&f.name).unwrap_or_default())
            .collect();
        let _ = w.write_all(b"[");
        let mut first = true;
        while let Some(batch) = rows.blocking_recv() {
            for row in &batch {
                let _ = w.write_all(if first { b"\n{" } else { b",\n{" });
                first = false;
                for (i, (name, v)) in names.iter().zip(row).enumerate() {
                    if i > 0 {
                        let _ = w.write_all(b",");
                    }
                    let _ = w.write_all(name.as_bytes());
                    let _ = w.write_all(b":");
                    let _ = serde_json::to_writer(&mut w, v);
                }
                let _ = w.write_all(b"}");
            }
        }
        let _ = w.write_all(b"\n]\n");
        let _ = w.flush();
        drop(w);
        finish(handle, &tx);
    });
    body_of(rx)
}

/// The header of a column: its title (or name) with the unit, e.g. "Jumlah penduduk (jiwa)".
fn header_text(f: &satudata_core::schema::Field) -> String {
    let t = f.title.clone().unwrap_or_else(|| f.name.clone());
    match &f.unit {
        Some(u) if !u.is_empty() => format!("{t} ({u})"),
        _ => t,
    }
}

fn xlsx_body(
    state: &AppState,
    data: PackageData,
    r: Resource,
    schema: TableSchema,
    version: i32,
) -> Body {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let (mut rows, handle) = rows_of(state, r.id, Some(version));
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    let site = publish::site(state);
    tokio::task::spawn_blocking(move || {
        let result = (|| -> Result<(), rust_xlsxwriter::XlsxError> {
            let mut wb = Workbook::new();
            let bold = Format::new().set_bold();
            let date = Format::new().set_num_format("yyyy-mm-dd");
            let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
            let mut written: u64 = 0;
            let mut truncated = false;
            {
                let ws = wb.add_worksheet_with_constant_memory()?;
                ws.set_name("Data")?;
                for (c, f) in schema.fields.iter().enumerate() {
                    ws.write_string_with_format(0, c as u16, header_text(f), &bold)?;
                }
                while let Some(batch) = rows.blocking_recv() {
                    for row in &batch {
                        if written >= XLSX_MAX_ROWS {
                            truncated = true;
                            continue;
                        }
                        let rn = (written + 1) as u32;
                        for (c, v) in row.iter().enumerate() {
                            let c = c as u16;
                            match v {
                                Value::Null => {}
                                Value::Bool(b) => {
                                    ws.write_boolean(rn, c, *b)?;
                                }
                                Value::Int(i) => {
                                    ws.write_number(rn, c, *i as f64)?;
                                }
                                Value::Num(n) => {
                                    ws.write_number(rn, c, *n)?;
                                }
                                Value::Text(s) => {
                                    ws.write_string(rn, c, s)?;
                                }
                                Value::Date(d) => {
                                    use chrono::Datelike;
                                    let x = ExcelDateTime::from_ymd(
                                        d.year() as u16,
                                        d.month() as u8,
                                        d.day() as u8,
                                    )?;
                                    ws.write_datetime_with_format(rn, c, &x, &date)?;
                                }
                                Value::DateTime(t) => {
                                    use chrono::{Datelike, Timelike};
                                    let x = ExcelDateTime::from_ymd(
                                        t.year() as u16,
                                        t.month() as u8,
                                        t.day() as u8,
                                    )?
                                    .and_hms(
                                        t.hour() as u16,
                                        t.minute() as u8,
                                        t.second() as f64,
                                    )?;
                                    ws.write_datetime_with_format(rn, c, &x, &datetime)?;
                                }
                            }
                        }
                        written += 1;
                    }
                }
            }
            let meta = wb.add_worksheet();
            meta.set_name("Metadata")?;
            let p = data.package();
            let m = &p.dataset.meta;
            let lic = satudata_interop::license::describe(&m.license);
            let mut lines: Vec<(&str, String)> = vec![
                ("Judul", m.title.clone()),
                ("Tabel", r.title.clone()),
                ("Definisi", m.description.clone()),
                ("Produsen data", p.organization.meta.name.clone()),
                ("Satuan", m.satuan.clone().unwrap_or_default()),
                ("Ukuran", m.ukuran.clone().unwrap_or_default()),
                ("Periode data", m.periodicity.as_str().to_string()),
                ("Akses data", m.access.as_str().to_string()),
                ("Lisensi", format!("{} ({})", lic.title, lic.url)),
                ("Sumber", m.source.clone().unwrap_or_default()),
                ("Versi", version.to_string()),
                ("Jumlah baris", written.to_string()),
                ("Alamat", site.dataset_page(&m.slug)),
            ];
            if truncated {
                lines.push((
                    "Catatan",
                    "Tabel melebihi batas baris Excel; unduh CSV untuk data lengkap.".into(),
                ));
            }
            for (i, (k, v)) in lines.iter().enumerate() {
                meta.write_string_with_format(i as u32, 0, *k, &bold)?;
                meta.write_string(i as u32, 1, v)?;
            }
            let top = lines.len() as u32 + 1;
            for (c, h) in ["Kolom", "Judul", "Tipe", "Satuan", "Keterangan"]
                .iter()
                .enumerate()
            {
                meta.write_string_with_format(top, c as u16, *h, &bold)?;
            }
            for (i, f) in schema.fields.iter().enumerate() {
                let rn = top + 1 + i as u32;
                meta.write_string(rn, 0, &f.name)?;
                meta.write_string(rn, 1, f.title.clone().unwrap_or_default())?;
                meta.write_string(rn, 2, format!("{:?}", f.field_type).to_lowercase())?;
                meta.write_string(rn, 3, f.unit.clone().unwrap_or_default())?;
                meta.write_string(rn, 4, f.description.clone().unwrap_or_default())?;
            }
            let mut w = ChannelWriter::new(tx.clone());
            wb.save_to_writer(&mut w)?;
            let _ = w.flush();
            Ok(())
        })();
        if let Err(e) = result {
            tracing::error!(error = %e, "download: writing XLSX failed");
            let _ = tx.blocking_send(Err(io::Error::other(e.to_string())));
        }
        // Drain what is left so the store task ends.
        while rows.blocking_recv().is_some() {}
        finish(handle, &tx);
    });
    body_of(rx)
}

/// `GET /dataset/{slug}/{file}`: `RESOURCE.csv`, `.json`, `.xlsx` or `.schema.json`.
pub async fn resource_file(
    State(state): State<AppState>,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    Path((slug, file)): Path<(String, String)>,
    Query(q): Query<DownloadQuery>,
) -> ApiResult<Response> {
    let d = dataset(&state, &auth, &slug).await?;
    let not_found = || {
        ApiError::not_found(format!("Berkas '{file}' tidak ada di dataset '{slug}'. Pakai NAMA.csv, .xlsx, .json atau .schema.json."))
    };
    let (name, ext) = match file.strip_suffix(".schema.json") {
        Some(n) => (n, "schema.json"),
        None => file.rsplit_once('.').ok_or_else(not_found)?,
    };
    let resources = state.store.list_resources(d.id).await?;
    let r = resources
        .into_iter()
        .find(|r| r.name == name)
        .ok_or_else(not_found)?;
    let ResourceKind::Table { schema } = r.kind.clone() else {
        return Err(not_found());
    };
    if ext == "schema.json" {
        let body = satudata_interop::datapackage::export_schema(&schema, &[]);
        return Ok((
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response());
    }
    allow_data(&auth, &d)?;
    crate::audit_trail::restricted_read(&trail, &d, &format!("download {file}"));
    let version = version_of(&state, &r, q.version).await?;
    if matches!(ext, "csv" | "json" | "xlsx") {
        state.usage.download(d.id);
    }
    let fname = format!("{}-{}-v{version}.{ext}", d.meta.slug, r.name);
    match ext {
        "csv" => {
            let bom = matches!(q.bom.as_deref(), Some("1" | "true" | "ya"));
            Ok(attachment(
                &fname,
                "text/csv; charset=utf-8",
                csv_body(&state, &r, schema, version, bom),
            ))
        }
        "json" => Ok(attachment(
            &fname,
            "application/json",
            json_body(&state, &r, schema, version),
        )),
        "xlsx" => {
            let data = publish::load(&state, &mut Cache::default(), &auth.principal, d).await?;
            Ok(attachment(
                &fname,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                xlsx_body(&state, data, r, schema, version),
            ))
        }
        _ => Err(not_found()),
    }
}

/// `GET /dataset/{slug}/datapackage.json` (for readers of the data).
pub async fn datapackage_json(
    State(state): State<AppState>,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let d = dataset(&state, &auth, &slug).await?;
    // A package is its data: its resources point at downloads the reader must be able to fetch.
    allow_data(&auth, &d)?;
    crate::audit_trail::restricted_read(&trail, &d, "download datapackage.json");
    let data = publish::load(&state, &mut Cache::default(), &auth.principal, d).await?;
    if !data.resources.iter().any(|e| e.has_rows()) {
        // A Data Package needs at least one resource.
        return Err(ApiError::not_found(format!(
            "Dataset '{slug}' belum punya tabel berisi data."
        )));
    }
    let doc = datapackage(&publish::site(&state), &data.package(), Paths::Remote);
    state.usage.download(data.dataset.id);
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string_pretty(&doc).unwrap_or_default(),
    )
        .into_response())
}

/// `GET /dataset/{slug}/datapackage.zip`: `datapackage.json` with `data/NAME.csv` for every
/// table, streamed.
pub async fn datapackage_zip(
    State(state): State<AppState>,
    auth: Auth,
    trail: crate::audit_trail::AuditTrail,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let d = dataset(&state, &auth, &slug).await?;
    allow_data(&auth, &d)?;
    crate::audit_trail::restricted_read(&trail, &d, "download datapackage.zip");
    let data = publish::load(&state, &mut Cache::default(), &auth.principal, d).await?;
    let doc = datapackage(&publish::site(&state), &data.package(), Paths::Local);
    let tables: Vec<(Id, String, TableSchema)> = data
        .resources
        .iter()
        .filter(|e| e.has_rows())
        .filter_map(|e| match &e.resource.kind {
            ResourceKind::Table { schema } => Some((
                e.resource.id,
                frictionless_name(&e.resource.name),
                schema.clone(),
            )),
            _ => None,
        })
        .collect();
    let fname = format!("{}-datapackage.zip", data.dataset.meta.slug);
    state.usage.download(data.dataset.id);
    // One row channel per table, filled one after the other by a single task.
    let mut receivers = vec![];
    let mut senders = vec![];
    for _ in &tables {
        let (tx, rx) = mpsc::channel::<Vec<Row>>(4);
        senders.push(tx);
        receivers.push(rx);
    }
    let store = state.store.clone();
    let ids: Vec<Id> = tables.iter().map(|t| t.0).collect();
    let producer = tokio::spawn(async move {
        let mut total = 0;
        for (id, tx) in ids.into_iter().zip(senders) {
            total += store.stream_rows(id, None, tx).await?;
        }
        Ok(total)
    });
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let result = (|| -> zip::result::ZipResult<()> {
            let mut zw = zip::ZipWriter::new_stream(ChannelWriter::new(tx.clone()));
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(true);
            zw.start_file("datapackage.json", opts)?;
            zw.write_all(
                serde_json::to_string_pretty(&doc)
                    .unwrap_or_default()
                    .as_bytes(),
            )?;
            for ((_, name, schema), mut rows) in tables.into_iter().zip(receivers) {
                zw.start_file(format!("data/{name}.csv"), opts)?;
                let names: Vec<String> = schema.fields.iter().map(|f| f.name.clone()).collect();
                crate::dataapi::export::write_csv(&names, &mut rows, &mut zw)?;
            }
            let mut inner = zw.finish()?;
            inner.flush()?;
            Ok(())
        })();
        if let Err(e) = result {
            tracing::error!(error = %e, "download: writing datapackage.zip failed");
            let _ = tx.blocking_send(Err(io::Error::other(e.to_string())));
        }
        finish(producer, &tx);
    });
    Ok(attachment(&fname, "application/zip", body_of(rx)))
}
