//! Streaming table readers behind one trait, and format detection from content.
//!
//! Every reader yields [`Record`]s: the cells of one row as text, with the row's number as in the file
//! (1-based; for CSV the record's position, counting blank lines the way Python's `csv` and Frictionless
//! do; for spreadsheets the sheet's row). Numbers and dates from spreadsheets arrive as canonical text
//! (`1234.5`, `2024-12-31`), so every source goes through the same cell parsers.
//!
//! Input that is not a table at all ([`ReadError`]) is the CLI's exit code 2.

pub mod cfb_guard;
pub mod csv;
pub mod detect;
pub mod encoding;
pub mod html;
pub mod json;
pub mod prefetch;
pub mod sheet;
pub mod xls_guard;

use std::io::{Read, Seek};
use std::path::Path;

use serde::Serialize;

pub use detect::{detect_format, Format};

/// One row of a table as text cells. The cells live in one buffer that is reused between reads, so
/// that streaming allocates nothing per row once the buffer has grown.
#[derive(Debug, Clone, Default)]
pub struct Record {
    row: u64,
    buf: String,
    /// Where each cell ends in `buf`.
    ends: Vec<usize>,
    /// Bytes between one cell's end and the next one's start: 0 when the cells are back to back, 1
    /// when `buf` is a CSV line as read, delimiters included (the CSV reader need not copy the cells
    /// out of it).
    gap: usize,
    encoding_error: bool,
}

/// Records are equal when their row numbers, cells and encoding errors are, however the cells are
/// laid out in the buffer.
impl PartialEq for Record {
    fn eq(&self, other: &Self) -> bool {
        self.row == other.row
            && self.encoding_error == other.encoding_error
            && self.len() == other.len()
            && self.cells().iter().eq(other.cells().iter())
    }
}

impl Eq for Record {}

/// The cells of a [`Record`], borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Cells<'a> {
    buf: &'a str,
    ends: &'a [usize],
    gap: usize,
}

impl<'a> Cells<'a> {
    /// The number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Cell `i`.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] + self.gap
        };
        self.buf.get(start..end)
    }

    /// The cells in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let (buf, ends, gap) = (self.buf, self.ends, self.gap);
        (0..ends.len()).map(move |i| {
            let start = if i == 0 { 0 } else { ends[i - 1] + gap };
            buf.get(start..ends[i]).unwrap_or_default()
        })
    }
}

/// `s.trim()`, without decoding characters when `s` starts and ends with printable ASCII (most
/// cells): no Unicode whitespace can then be trimmed.
#[inline]
pub fn trim_cell(s: &str) -> &str {
    match s.as_bytes() {
        [f, .., l] if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        [f] if f.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

impl Record {
    /// An empty record.
    pub fn new() -> Self {
        Record::default()
    }

    /// A record with the given row number and cells (tests, adapters).
    pub fn from_cells<S: AsRef<str>>(row: u64, cells: &[S]) -> Self {
        let mut r = Record::new();
        r.reset(row);
        for c in cells {
            r.push(c.as_ref());
        }
        r
    }

    /// Start a new row: no cells, no encoding error.
    pub fn reset(&mut self, row: u64) {
        self.row = row;
        self.buf.clear();
        self.ends.clear();
        self.gap = 0;
        self.encoding_error = false;
    }

    /// Append a cell.
    pub fn push(&mut self, cell: &str) {
        if self.gap == 1 && !self.ends.is_empty() {
            self.buf.push(' ');
        }
        self.buf.push_str(cell);
        self.ends.push(self.buf.len());
    }

    /// Mark that some bytes of this row were not valid in the file's encoding (they were replaced).
    pub fn set_encoding_error(&mut self) {
        self.encoding_error = true;
    }

    /// Whether some bytes of this row were not valid in the file's encoding.
    pub fn encoding_error(&self) -> bool {
        self.encoding_error
    }

    /// The row number as in the file (1-based).
    pub fn row(&self) -> u64 {
        self.row
    }

    /// The cells.
    pub fn cells(&self) -> Cells<'_> {
        Cells {
            buf: &self.buf,
            ends: &self.ends,
            gap: self.gap,
        }
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the row has no cells.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether every cell is empty or spaces.
    pub fn is_blank(&self) -> bool {
        // A row starting with a printable ASCII byte is not blank: no need to decode characters
        // from both ends (this runs three times per validated row). With the delimiters in the
        // buffer, that byte must be in the first cell.
        match self.buf.as_bytes().first() {
            None => true,
            Some(b) if b.is_ascii_graphic() && (self.gap == 0 || self.ends[0] > 0) => false,
            Some(_) if self.gap == 0 => self.buf.trim().is_empty(),
            Some(_) => self.cells().iter().all(|c| c.trim().is_empty()),
        }
    }

    /// The number of cells that are not empty or spaces.
    pub fn filled(&self) -> usize {
        self.cells().iter().filter(|c| !c.trim().is_empty()).count()
    }

    /// Drop trailing empty cells.
    pub fn trim_end(&mut self) {
        while let Some(last) = self.cells().get(self.ends.len().wrapping_sub(1)) {
            if !last.trim().is_empty() {
                break;
            }
            self.ends.pop();
            let end = self.ends.last().copied().unwrap_or(0);
            self.buf.truncate(end);
        }
    }

    /// The cells as owned strings.
    pub fn to_vec(&self) -> Vec<String> {
        self.cells().iter().map(str::to_string).collect()
    }
}

/// What a reader found out about its source.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceInfo {
    /// The detected format.
    pub format: Option<Format>,
    /// The text encoding (CSV, HTML): `utf-8`, `utf-8-bom`, `windows-1252`, `utf-16le`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The CSV delimiter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// The sheet read (spreadsheets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// All sheets of the workbook.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<String>,
    /// Whether a row shorter than the header means empty trailing cells (spreadsheets, HTML and keyed
    /// JSON, which do not write trailing empties) rather than missing cells (CSV).
    pub short_rows_are_padded: bool,
    /// Things worth telling the user about the source (in Bahasa Indonesia).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A source of records.
pub trait TableReader {
    /// Read the next record into `rec`; `Ok(false)` at the end.
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError>;

    /// What the reader found out about the source.
    fn info(&self) -> &SourceInfo;
}

impl<T: TableReader + ?Sized> TableReader for Box<T> {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        (**self).read_record(rec)
    }
    fn info(&self) -> &SourceInfo {
        (**self).info()
    }
}

/// Records as an iterator of `(row number, cells)`, for callers that prefer owned rows.
pub struct Records<R> {
    reader: R,
    rec: Record,
    done: bool,
}

impl<R: TableReader> Iterator for Records<R> {
    type Item = Result<(u64, Vec<String>), ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.reader.read_record(&mut self.rec) {
            Ok(true) => Some(Ok((self.rec.row(), self.rec.to_vec()))),
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Iterate over a reader's records as owned rows.
pub fn records<R: TableReader>(reader: R) -> Records<R> {
    Records {
        reader,
        rec: Record::new(),
        done: false,
    }
}

/// Which sheet of a workbook to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetSelector {
    /// By name.
    Name(String),
    /// By position, 0-based.
    Index(usize),
}

/// How to open a source. Everything is detected when left `None`.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Force a format instead of detecting it from content.
    pub format: Option<Format>,
    /// The sheet of a workbook (default: the first sheet with data).
    pub sheet: Option<SheetSelector>,
    /// The CSV delimiter (default: sniffed among `,` `;` TAB `|`).
    pub delimiter: Option<u8>,
    /// The text encoding label (`utf-8`, `windows-1252`, …; default: sniffed).
    pub encoding: Option<String>,
    /// [`open_path`] keeps here how far into the file reading has got, in bytes (for progress
    /// reports; a reader that reads ahead on its own thread may be a little ahead of the rows).
    pub bytes_read: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
    /// Skip the rows above this one (1-based, as in the file), so that the header is looked for
    /// from here on: for a sheet whose title block fools the header detection.
    pub first_row: Option<u64>,
}

/// A file that records the furthest position read into a shared counter.
struct CountingFile {
    file: std::fs::File,
    pos: u64,
    counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Read for CountingFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        self.pos += n as u64;
        self.counter
            .fetch_max(self.pos, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

impl std::io::Seek for CountingFile {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.pos = self.file.seek(to)?;
        Ok(self.pos)
    }
}

/// Why a source cannot be read as a table. All of these are "unusable input" (CLI exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("Berkas kosong. (The file is empty.)")]
    Empty,
    #[error("Berkas ini bukan tabel: {what}. (Not a table: {what_en}.)")]
    NotATable { what: String, what_en: String },
    #[error("Berkas dilindungi kata sandi; buka di aplikasinya, hapus kata sandi, lalu simpan ulang. (The file is password-protected.)")]
    PasswordProtected,
    #[error("Berkas {format} rusak atau tidak dapat dibaca: {detail}. (Corrupt {format} file.)")]
    Corrupt {
        format: &'static str,
        detail: String,
    },
    #[error("Lembar (sheet) '{wanted}' tidak ada; yang ada: {available}. (Sheet not found.)")]
    SheetNotFound { wanted: String, available: String },
    #[error("Pengodean karakter '{0}' tidak dikenal. (Unknown encoding.)")]
    UnknownEncoding(String),
    #[error("Gagal membaca berkas: {0}. (I/O error.)")]
    Io(#[from] std::io::Error),
}

impl ReadError {
    pub(crate) fn not_a_table(what: impl Into<String>, what_en: impl Into<String>) -> Self {
        ReadError::NotATable {
            what: what.into(),
            what_en: what_en.into(),
        }
    }
}

/// Bytes read up front to detect the format, the encoding and the delimiter.
pub const HEAD_LEN: usize = 64 * 1024;

/// Open a file: detect its format from content (the extension only breaks ties) and return its reader.
pub fn open_path(path: &Path, opts: &ReadOptions) -> Result<Box<dyn TableReader>, ReadError> {
    Ok(skip_to_first_row(open_path_all(path, opts)?, opts))
}

/// Rows before [`ReadOptions::first_row`] are left out.
struct SkipRows {
    inner: Box<dyn TableReader>,
    first: u64,
}

impl TableReader for SkipRows {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        loop {
            if !self.inner.read_record(rec)? {
                return Ok(false);
            }
            if rec.row() >= self.first {
                return Ok(true);
            }
        }
    }

    fn info(&self) -> &SourceInfo {
        self.inner.info()
    }
}

fn skip_to_first_row(reader: Box<dyn TableReader>, opts: &ReadOptions) -> Box<dyn TableReader> {
    match opts.first_row {
        Some(first) if first > 1 => Box::new(SkipRows {
            inner: reader,
            first,
        }),
        _ => reader,
    }
}

fn open_path_all(path: &Path, opts: &ReadOptions) -> Result<Box<dyn TableReader>, ReadError> {
    let counter = opts.bytes_read.clone().unwrap_or_default();
    let mut file = CountingFile {
        file: std::fs::File::open(path)?,
        pos: 0,
        counter,
    };
    let mut head = Vec::with_capacity(HEAD_LEN);
    (&mut file).take(HEAD_LEN as u64).read_to_end(&mut head)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match opts.format {
        Some(f) => f,
        None => detect_format(&head, ext.as_deref())?,
    };
    if format.is_workbook() {
        file.rewind()?;
        return sheet::open(std::io::BufReader::new(file), format, opts);
    }
    let rest = std::io::Cursor::new(head).chain(file);
    if format == Format::Csv {
        // The big-data path: parse CSV on a second thread, beside the validator.
        return Ok(Box::new(prefetch::Prefetch::new(csv::CsvReader::new(
            Box::new(rest),
            opts,
        )?)));
    }
    open_stream(Box::new(rest), format, opts)
}

/// Open a source held in memory (uploads, tests, fuzzing). Never panics.
pub fn open_bytes(bytes: &[u8], opts: &ReadOptions) -> Result<Box<dyn TableReader>, ReadError> {
    open_owned(bytes.to_vec(), None, opts)
}

/// Open a source held in memory, with its file name's extension as a hint.
pub fn open_owned(
    bytes: Vec<u8>,
    ext: Option<&str>,
    opts: &ReadOptions,
) -> Result<Box<dyn TableReader>, ReadError> {
    let format = match opts.format {
        Some(f) => f,
        None => detect_format(&bytes[..bytes.len().min(HEAD_LEN)], ext)?,
    };
    let reader = if format.is_workbook() {
        sheet::open(std::io::Cursor::new(bytes), format, opts)?
    } else {
        open_stream(Box::new(std::io::Cursor::new(bytes)), format, opts)?
    };
    Ok(skip_to_first_row(reader, opts))
}

/// Open a text source (CSV, JSON, NDJSON, HTML) from a stream.
pub fn open_stream(
    stream: Box<dyn Read + Send>,
    format: Format,
    opts: &ReadOptions,
) -> Result<Box<dyn TableReader>, ReadError> {
    match format {
        Format::Csv => Ok(Box::new(csv::CsvReader::new(stream, opts)?)),
        Format::Json => Ok(Box::new(json::JsonReader::new(stream)?)),
        Format::Ndjson => Ok(Box::new(json::NdjsonReader::new(stream)?)),
        Format::Html => Ok(Box::new(html::HtmlReader::new(stream, opts)?)),
        Format::Xlsx | Format::Xls | Format::Ods => {
            let mut bytes = vec![];
            let mut stream = stream;
            stream.read_to_end(&mut bytes)?;
            sheet::open(std::io::Cursor::new(bytes), format, opts)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_above_the_first_row_are_skipped() {
        let csv = b"Tabel 1 Penduduk\nkode,jumlah\nx,y\nkecamatan,jumlah\n16.06.01,5\n";
        let opts = ReadOptions {
            first_row: Some(4),
            ..Default::default()
        };
        let rows: Vec<_> = records(open_bytes(csv, &opts).unwrap())
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            rows[0],
            (4, vec!["kecamatan".to_string(), "jumlah".to_string()])
        );
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn trim_cell_and_is_blank_agree_with_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "ab",
            "\u{a0}x",
            "x\u{3000}",
            "\u{3000}",
            "é",
            "xé",
            "\t1\n",
            "1.234,5",
            "\u{2003}\u{2003}",
        ] {
            assert_eq!(trim_cell(s), s.trim(), "{s:?}");
            let r = Record::from_cells(1, &[s]);
            assert_eq!(r.is_blank(), s.trim().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn records_reuse_buffers() {
        let mut r = Record::from_cells(1, &["a", "bb", " "]);
        let cap = r.buf.capacity();
        r.trim_end();
        assert_eq!(r.to_vec(), ["a", "bb"]);
        r.reset(2);
        r.push("c");
        r.push("");
        assert_eq!(r.to_vec(), ["c", ""]);
        assert_eq!(r.buf.capacity(), cap);
        assert_eq!(r.row(), 2);
    }
}
