//! Streamed exports of query results: CSV, newline-delimited JSON and XLSX, written on a blocking
//! thread from batches of rows and sent as a chunked body through bounded channels, so memory stays
//! bounded whatever the number of rows. Any source of row batches will do (a keyset walk of a
//! query here; the whole table for downloads).

use std::io::{self, Write};

use axum::body::Body;
use bytes::Bytes;
use satudata_core::row::{Row, RowQuery};
use satudata_core::value::Value;
use satudata_core::Id;
use satudata_store::{Store, StoreResult};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Bytes per chunk of a streamed body.
pub const CHUNK: usize = 128 * 1024;
/// Rows per batch read from the store.
pub const BATCH: u32 = 5000;
/// The most data rows an XLSX worksheet holds (Excel's limit, less the header).
pub const XLSX_MAX_ROWS: u64 = 1_048_575;

/// An answer format of the data API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One page as a JSON document.
    Json,
    /// Every selected row as CSV (UTF-8, header row of field names).
    Csv,
    /// Every selected row as one JSON array per line (after a first line of field names).
    Ndjson,
    /// Every selected row in an Excel workbook (typed cells, units in the header, a metadata sheet).
    Xlsx,
}

impl Format {
    /// The format named by `format=` (`json`, `csv`, `ndjson`, `xlsx`).
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// The format an `Accept` header prefers, if it names one of ours.
    pub fn from_accept(accept: &str) -> Option<Format> {
        accept
            .split(',')
            .map(|p| p.split(';').next().unwrap_or("").trim())
            .find_map(|m| match m {
                "application/json" | "application/problem+json" => Some(Format::Json),
                "text/csv" => Some(Format::Csv),
                "application/x-ndjson" | "application/jsonl" => Some(Format::Ndjson),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
                    Some(Format::Xlsx)
                }
                _ => None,
            })
    }

    /// The media type of answers in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Ndjson => "application/x-ndjson",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
            Format::Xlsx => "xlsx",
        }
    }

    /// The machine name.
    pub fn as_str(self) -> &'static str {
        self.extension()
    }
}

/// What an export writes around the rows.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// Column names (CSV header, NDJSON first line).
    pub names: Vec<String>,
    /// Column headers of the XLSX sheet (title and unit).
    pub headers: Vec<String>,
    /// Lines of the XLSX metadata sheet.
    pub meta: Vec<(String, String)>,
}

/// A `Write` that sends its bytes in chunks to an async body (for writers on blocking threads).
pub struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    /// A writer sending to `tx`.
    pub fn new(tx: mpsc::Sender<io::Result<Bytes>>) -> Self {
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

/// The chunks of a channel as a body stream (may be polled again after its end, which the
/// compression layer does).
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

/// Walk the rows `query` selects in batches (keyset paging), from its offset or cursor, at most
/// `max` rows; the receiver gets the batches and the handle the number of rows (or the store's
/// error).
pub fn query_batches(
    store: Arc<dyn Store>,
    resource: Id,
    mut query: RowQuery,
    max: Option<u64>,
) -> (mpsc::Receiver<Vec<Row>>, JoinHandle<StoreResult<u64>>) {
    let (tx, rx) = mpsc::channel(4);
    let handle = tokio::spawn(async move {
        let mut sent = 0u64;
        query.with_total = false;
        loop {
            let want = max.map_or(u64::from(BATCH), |m| (m - sent).min(u64::from(BATCH)));
            if want == 0 {
                break;
            }
            query.limit = want as u32;
            let page = store.query_rows(resource, &query).await?;
            let n = page.rows.len() as u64;
            if n > 0 && tx.send(page.rows).await.is_err() {
                // The client went away: nothing more to do.
                break;
            }
            sent += n;
            match page.next_cursor {
                Some(c) => {
                    query.after = Some(c);
                    query.offset = 0;
                }
                None => break,
            }
        }
        Ok(sent)
    });
    (rx, handle)
}

/// Write `v` as CSV/text into `buf` the way [`Value::to_text`] does, without allocating.
pub fn write_text(buf: &mut Vec<u8>, v: &Value) {
    use chrono::{Datelike, Timelike};
    match v {
        Value::Null => {}
        Value::Bool(b) => buf.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Int(i) => {
            let _ = write!(buf, "{i}");
        }
        Value::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            let _ = write!(buf, "{}", *n as i64);
        }
        Value::Num(n) => {
            let _ = write!(buf, "{n}");
        }
        Value::Text(s) => buf.extend_from_slice(s.as_bytes()),
        Value::Date(d) => {
            let _ = write!(buf, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        }
        Value::DateTime(t) => {
            let _ = write!(
                buf,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            );
        }
    }
}

/// Write CSV (header, then rows) from the batches of `rows`.
pub fn write_csv(
    names: &[String],
    rows: &mut mpsc::Receiver<Vec<Row>>,
    w: &mut impl Write,
) -> io::Result<u64> {
    let mut out = csv::WriterBuilder::new()
        .buffer_capacity(CHUNK)
        .from_writer(w);
    let err = |e: csv::Error| io::Error::other(e.to_string());
    out.write_record(names).map_err(err)?;
    let mut cell = Vec::with_capacity(64);
    let mut n = 0;
    while let Some(batch) = rows.blocking_recv() {
        for r in &batch {
            for v in r {
                cell.clear();
                write_text(&mut cell, v);
                out.write_field(&cell).map_err(err)?;
            }
            out.write_record(None::<&[u8]>).map_err(err)?;
        }
        n += batch.len() as u64;
    }
    out.flush()?;
    Ok(n)
}

/// Write NDJSON: a first line with the field names, then one JSON array per row.
pub fn write_ndjson(
    names: &[String],
    rows: &mut mpsc::Receiver<Vec<Row>>,
    w: &mut impl Write,
) -> io::Result<u64> {
    serde_json::to_writer(&mut *w, names)?;
    w.write_all(b"\n")?;
    let mut n = 0;
    while let Some(batch) = rows.blocking_recv() {
        for r in &batch {
            serde_json::to_writer(&mut *w, r)?;
            w.write_all(b"\n")?;
        }
        n += batch.len() as u64;
    }
    Ok(n)
}

/// Write an XLSX workbook: a "Data" sheet (typed cells; at most [`XLSX_MAX_ROWS`], with a note in
/// the metadata when cut) and a "Metadata" sheet. The worksheet is kept in a temporary file
/// (constant memory); the workbook is zipped into `w` at the end.
pub fn write_xlsx(
    sheet: &Sheet,
    rows: &mut mpsc::Receiver<Vec<Row>>,
    w: &mut (impl Write + Send),
) -> Result<u64, rust_xlsxwriter::XlsxError> {
    use chrono::{Datelike, Timelike};
    use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Workbook};
    let mut wb = Workbook::new();
    let bold = XFormat::new().set_bold();
    let date = XFormat::new().set_num_format("yyyy-mm-dd");
    let datetime = XFormat::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let mut written: u64 = 0;
    let mut cut = false;
    {
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name("Data")?;
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        while let Some(batch) = rows.blocking_recv() {
            for row in &batch {
                if written >= XLSX_MAX_ROWS {
                    cut = true;
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
                            let x = ExcelDateTime::from_ymd(
                                d.year() as u16,
                                d.month() as u8,
                                d.day() as u8,
                            )?;
                            ws.write_datetime_with_format(rn, c, &x, &date)?;
                        }
                        Value::DateTime(t) => {
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
    let mut lines = sheet.meta.clone();
    lines.push(("Jumlah baris".into(), written.to_string()));
    if cut {
        lines.push((
            "Catatan".into(),
            "Hasil melebihi batas baris Excel; unduh CSV untuk data lengkap.".into(),
        ));
    }
    for (i, (k, v)) in lines.iter().enumerate() {
        meta.write_string_with_format(i as u32, 0, k, &bold)?;
        meta.write_string(i as u32, 1, v)?;
    }
    wb.save_to_writer(w)?;
    Ok(written)
}

/// Stream `format` (CSV, NDJSON or XLSX) of the batches in `rows` as a body. If the store fails
/// after the first bytes, the body ends with an error, so the client sees a broken transfer and
/// never a silently short file.
pub fn stream(
    format: Format,
    sheet: Sheet,
    mut rows: mpsc::Receiver<Vec<Row>>,
    done: JoinHandle<StoreResult<u64>>,
) -> Body {
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter::new(tx.clone());
        let written: Result<(), String> = match format {
            Format::Csv => write_csv(&sheet.names, &mut rows, &mut w)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            // A JSON answer is a page, never streamed; asked here anyway, rows go out as NDJSON.
            Format::Ndjson | Format::Json => write_ndjson(&sheet.names, &mut rows, &mut w)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Format::Xlsx => write_xlsx(&sheet, &mut rows, &mut w)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        };
        let flushed = w.flush();
        drop(w);
        // Let the store task end even when the writer stopped early.
        drop(rows);
        let failed = match tokio::runtime::Handle::current().block_on(done) {
            Ok(Ok(_)) => written.err(),
            Ok(Err(e)) => Some(e.to_string()),
            Err(e) => Some(e.to_string()),
        };
        if let Some(e) = failed.or_else(|| flushed.err().map(|e| e.to_string())) {
            if !e.contains("client gone") {
                tracing::error!(error = %e, "data API: streaming an export failed");
            }
            let _ = tx.blocking_send(Err(io::Error::other(e)));
        }
    });
    Body::from_stream(ChunkStream(rx))
}

/// Stream CSV written by the store ([`Store::stream_csv`]): the header of `names` (after a UTF-8
/// byte-order mark if `bom`, for Excel), then the records of every row `query` selects (at most
/// `max`). An error after the first bytes ends the body with an error. The data API's CSV and the
/// table downloads (`/dataset/SLUG/TABLE.csv`) both come from here.
pub fn store_csv(
    store: Arc<dyn Store>,
    resource: Id,
    query: RowQuery,
    max: Option<u64>,
    names: Vec<String>,
    bom: bool,
) -> Body {
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    tokio::spawn(async move {
        let mut header = Vec::new();
        if bom {
            header.extend_from_slice("\u{feff}".as_bytes());
        }
        {
            let mut w = csv::Writer::from_writer(&mut header);
            let _ = w.write_record(&names);
            let _ = w.flush();
        }
        if tx.send(Ok(Bytes::from(header))).await.is_err() {
            return;
        }
        let (chunks, mut rx_chunks) = mpsc::channel::<Vec<u8>>(4);
        let forward = async {
            while let Some(c) = rx_chunks.recv().await {
                if tx.send(Ok(Bytes::from(c))).await.is_err() {
                    // The client went away; dropping the receiver stops the store.
                    break;
                }
            }
            drop(rx_chunks);
        };
        let (result, ()) = tokio::join!(store.stream_csv(resource, &query, max, chunks), forward);
        if let Err(e) = result {
            tracing::error!(error = %e, "data API: streaming CSV failed");
            let _ = tx.send(Err(io::Error::other(e.to_string()))).await;
        }
    });
    Body::from_stream(ChunkStream(rx))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn text_matches_value_to_text() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 9).unwrap();
        for v in [
            Value::Null,
            Value::Bool(true),
            Value::Int(-42),
            Value::Num(24.0),
            Value::Num(0.1 + 0.2),
            Value::Num(1e20),
            Value::Text("a,\"b\"".into()),
            Value::Date(d),
            Value::DateTime(d.and_hms_micro_opt(7, 5, 3, 120).unwrap()),
        ] {
            let mut buf = vec![];
            write_text(&mut buf, &v);
            assert_eq!(String::from_utf8(buf).unwrap(), v.to_text(), "{v:?}");
        }
    }

    #[test]
    fn formats_from_names_and_accept() {
        assert_eq!(Format::parse("CSV"), Some(Format::Csv));
        assert_eq!(Format::parse("pdf"), None);
        assert_eq!(
            Format::from_accept("text/html;q=0.9, text/csv"),
            Some(Format::Csv)
        );
        assert_eq!(Format::from_accept("*/*"), None);
    }
}
