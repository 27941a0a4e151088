//! The beginning of an uploaded file and what schema inference makes of it — shared by the upload
//! wizard (its preview and schema steps) and the API (`POST /api/v1/infer`, region codes sent with
//! `POST /api/v1/resources/{id}/uploads`), so that both read the same sample the same way.

use futures_util::StreamExt;
use satudata_core::region::RegionCode;
use satudata_formats::infer::{infer, InferOptions, Inferred};
use satudata_formats::read::{open_owned, ReadOptions, SheetSelector};

use crate::api::files::file_error;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The most of a file read for a preview or an inference: a text file is cut at its last full line
/// before this, a workbook larger than this is not looked into.
pub(crate) const SAMPLE_BYTES: usize = 64 << 20;

/// A stored file's beginning, whole up to [`SAMPLE_BYTES`].
pub(crate) async fn read_stored(state: &AppState, key: &str) -> ApiResult<Vec<u8>> {
    let content = state.files.get(key).await.map_err(file_error)?;
    let mut stream = content.into_stream();
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(file_error)?;
        out.extend_from_slice(&chunk);
        if out.len() >= SAMPLE_BYTES {
            break;
        }
    }
    Ok(out)
}

/// The lower-case extension of a file name (`csv`, `xlsx`), which picks the reader.
pub(crate) fn extension(filename: &str) -> Option<String> {
    std::path::Path::new(filename)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Whether a file of this extension is a workbook, read only whole.
pub(crate) fn is_workbook(ext: Option<&str>) -> bool {
    matches!(ext, Some("xlsx" | "xls" | "ods"))
}

/// Make `bytes` (a file's beginning, at most [`SAMPLE_BYTES`]) readable on its own: a long text
/// file is cut after its last full line. A workbook that long is refused (in Bahasa Indonesia).
pub(crate) fn usable_sample(mut bytes: Vec<u8>, ext: Option<&str>) -> Result<Vec<u8>, String> {
    if bytes.len() < SAMPLE_BYTES {
        return Ok(bytes);
    }
    if is_workbook(ext) {
        return Err("Buku kerja ini terlalu besar untuk dilihat isinya; simpan lembarnya sebagai CSV lalu unggah lagi.".into());
    }
    if let Some(end) = bytes.iter().rposition(|b| *b == b'\n') {
        bytes.truncate(end + 1);
    }
    Ok(bytes)
}

/// Read options for a sample: the sheet (by name or number) and the row the header starts at.
pub(crate) fn sample_options(sheet: Option<String>, first_row: Option<u64>) -> ReadOptions {
    ReadOptions {
        sheet: sheet.map(SheetSelector::Name),
        first_row,
        ..ReadOptions::default()
    }
}

/// Infer the schema of a sample (see [`usable_sample`]), with region names matched inside `home`.
/// The error says in Bahasa Indonesia why the file cannot be read. Blocking: run it on a blocking
/// thread.
pub(crate) fn infer_sample(
    bytes: Vec<u8>,
    ext: Option<&str>,
    opts: &ReadOptions,
    home: RegionCode,
) -> Result<Inferred, String> {
    let reader = open_owned(bytes, ext, opts).map_err(|e| e.to_string())?;
    infer(
        reader,
        &InferOptions {
            home_region: Some(home),
            ..InferOptions::default()
        },
    )
    .map_err(|e| e.to_string())
}

/// Infer what an uploaded file holds from its beginning `bytes` (at most [`SAMPLE_BYTES`]), as the
/// API does: `filename` picks the reader, `sheet` and `header_row` (1-based; 1 or none = detected)
/// as the client gave them, region names matched inside the instance's home region. A file that
/// cannot be read is a 400 that says why.
pub(crate) async fn infer_upload(
    state: &AppState,
    bytes: Vec<u8>,
    filename: &str,
    sheet: Option<String>,
    header_row: Option<u64>,
) -> ApiResult<Inferred> {
    let ext = extension(filename);
    let opts = sample_options(sheet, header_row.filter(|r| *r > 1));
    let home = state.config.home_region;
    tokio::task::spawn_blocking(move || {
        usable_sample(bytes, ext.as_deref())
            .and_then(|b| infer_sample(b, ext.as_deref(), &opts, home))
    })
    .await
    .map_err(|e| ApiError::internal(format_args!("inference thread: {e}")))?
    .map_err(|msg| ApiError::bad_request(format!("berkas tidak terbaca: {msg}")))
}
