//! Workbooks (XLSX, XLS, ODS) with calamine. Numbers and dates come from the cells' types and are
//! written as canonical text (`1234.5`, `2024-12-31`), so the cell parsers treat every source alike.
//!
//! XLSX sheets stream: calamine's cell reader runs on a second thread and rows are built from the
//! cells as they come (a sheet's declared size is never trusted, so a hostile file cannot make it
//! reserve gigabytes). XLS and ODS sheets are read whole by calamine; those formats are small.

use std::io::{Read, Seek};

use calamine::{Data, DataRef, Range, Reader, Sheets};

use super::{Format, ReadError, ReadOptions, Record, SheetSelector, SourceInfo, TableReader};

/// Reads one sheet of a workbook.
pub struct SheetReader {
    range: Range<Data>,
    /// Sheet row (0-based) of the range's first row.
    first_row: u32,
    next: usize,
    info: SourceInfo,
}

fn corrupt(format: Format, e: impl std::fmt::Display) -> ReadError {
    let detail = e.to_string();
    if detail.to_ascii_lowercase().contains("password") {
        return ReadError::PasswordProtected;
    }
    ReadError::Corrupt {
        format: match format {
            Format::Xls => "XLS",
            Format::Ods => "ODS",
            _ => "XLSX",
        },
        detail,
    }
}

/// calamine is not promised panic-free on hostile input; a panic becomes a "corrupt file" error.
fn guarded<T>(format: Format, f: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => Err(corrupt(format, "struktur berkas tidak valid")),
    }
}

/// Open a workbook and pick a sheet.
pub fn open<RS: Read + Seek>(
    mut rs: RS,
    format: Format,
    opts: &ReadOptions,
) -> Result<Box<dyn super::TableReader>, ReadError> {
    if format == Format::Xlsx {
        return open_xlsx_streaming(rs, opts);
    }
    if format == Format::Xls {
        // calamine trusts the sizes an .xls declares, follows its sector chains to their end and
        // builds every sheet as a grid sized by its cells' positions; a corrupt file can make it
        // reserve gigabytes, which aborts the process (no panic to catch): check all of that first
        // (see `cfb_guard` and `xls_guard`). .xls files are small (65,536 rows at most), so holding
        // one in memory is fine.
        let mut bytes = vec![];
        rs.rewind()?;
        rs.read_to_end(&mut bytes)?;
        if let Err(refusal) = super::xls_guard::check(&bytes) {
            return Err(corrupt(format, refusal.detail()));
        }
        if !xls_dimensions_sane(&bytes) {
            return Err(corrupt(
                format,
                "ukuran lembar yang dinyatakan berkas tidak masuk akal",
            ));
        }
        let cursor = std::io::Cursor::new(bytes);
        return guarded(format, || open_inner(cursor, format, opts))
            .map(|r| Box::new(r) as Box<dyn TableReader>);
    }
    guarded(format, || open_inner(rs, format, opts)).map(|r| Box::new(r) as Box<dyn TableReader>)
}

/// Whether every BIFF `Dimensions` record (type 0x0200) found in the file declares a sheet no larger
/// than .xls allows (65,536 × 256) and with its first row/column not past its last.
pub fn xls_dimensions_sane(bytes: &[u8]) -> bool {
    const MAX_CELLS: u64 = 65_536 * 256;
    let mut i = 0;
    while i + 4 <= bytes.len() {
        if bytes[i] == 0x00 && bytes[i + 1] == 0x02 {
            let len = u16::from_le_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
            if matches!(len, 10 | 14 | 16) && i + 4 + len <= bytes.len() {
                let r = &bytes[i + 4..i + 4 + len];
                let u16at = |o: usize| u16::from_le_bytes([r[o], r[o + 1]]) as u64;
                let u32at =
                    |o: usize| u32::from_le_bytes([r[o], r[o + 1], r[o + 2], r[o + 3]]) as u64;
                let (rf, rl, cf, cl) = if len == 10 {
                    (u16at(0), u16at(2), u16at(4), u16at(6))
                } else {
                    (u32at(0), u32at(4), u16at(8), u16at(10))
                };
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                if rl >= 1 && cl >= 1 {
                    if rf > rl - 1 {
                        return false;
                    }
                    let cells = (rl - rf).saturating_mul(cl.saturating_sub(cf));
                    if cells > MAX_CELLS {
                        return false;
                    }
                }
            }
        }
        i += 1;
    }
    true
}

fn open_inner<RS: Read + Seek>(
    rs: RS,
    format: Format,
    opts: &ReadOptions,
) -> Result<SheetReader, ReadError> {
    let mut wb: Sheets<RS> = match format {
        Format::Xls => Sheets::Xls(calamine::Xls::new(rs).map_err(|e| corrupt(format, e))?),
        Format::Ods => Sheets::Ods(calamine::Ods::new(rs).map_err(|e| corrupt(format, e))?),
        _ => Sheets::Xlsx(calamine::Xlsx::new(rs).map_err(|e| corrupt(format, e))?),
    };
    let names = wb.sheet_names();
    if names.is_empty() {
        return Err(ReadError::not_a_table(
            "buku kerja tanpa lembar",
            "a workbook with no sheets",
        ));
    }
    let (name, range) = match &opts.sheet {
        Some(SheetSelector::Name(n)) => {
            let found = names
                .iter()
                .find(|s| *s == n)
                .or_else(|| {
                    names
                        .iter()
                        .find(|s| s.trim().eq_ignore_ascii_case(n.trim()))
                })
                .cloned()
                .ok_or_else(|| ReadError::SheetNotFound {
                    wanted: n.clone(),
                    available: names.join(", "),
                })?;
            let r = wb.worksheet_range(&found).map_err(|e| corrupt(format, e))?;
            (found, r)
        }
        Some(SheetSelector::Index(i)) => {
            let found = names
                .get(*i)
                .cloned()
                .ok_or_else(|| ReadError::SheetNotFound {
                    wanted: format!("#{}", i + 1),
                    available: names.join(", "),
                })?;
            let r = wb.worksheet_range(&found).map_err(|e| corrupt(format, e))?;
            (found, r)
        }
        None => {
            // The first sheet with data (a blank cover sheet is common).
            let mut chosen = None;
            for n in &names {
                let r = wb.worksheet_range(n).map_err(|e| corrupt(format, e))?;
                if r.used_cells().next().is_some() {
                    chosen = Some((n.clone(), r));
                    break;
                }
            }
            chosen.ok_or_else(|| {
                ReadError::not_a_table(
                    "buku kerja yang semua lembarnya kosong",
                    "a workbook whose sheets are all empty",
                )
            })?
        }
    };
    let first_row = range.start().map(|(r, _)| r).unwrap_or(0);
    let mut info = SourceInfo {
        format: Some(format),
        sheet: Some(name),
        short_rows_are_padded: true,
        ..Default::default()
    };
    if names.len() > 1 {
        info.sheets = names;
    }
    Ok(SheetReader {
        range,
        first_row,
        next: 0,
        info,
    })
}

/// Stream an XLSX sheet: the workbook moves to a reader thread that turns cells into rows.
fn open_xlsx_streaming<RS: Read + Seek>(
    rs: RS,
    opts: &ReadOptions,
) -> Result<Box<dyn TableReader>, ReadError> {
    // The workbook is parsed up front (shared strings, styles) so that errors come back here; the
    // reader thread then owns it. Reading it into memory makes it Send whatever RS is.
    let mut rs = rs;
    let mut bytes = vec![];
    rs.rewind()?;
    rs.read_to_end(&mut bytes)?;
    let format = Format::Xlsx;
    let wb = guarded(format, || {
        calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| corrupt(format, e))
    })?;
    let names = wb.sheet_names();
    if names.is_empty() {
        return Err(ReadError::not_a_table(
            "buku kerja tanpa lembar",
            "a workbook with no sheets",
        ));
    }
    let candidates: Vec<String> = match &opts.sheet {
        Some(SheetSelector::Name(n)) => vec![names
            .iter()
            .find(|s| *s == n)
            .or_else(|| {
                names
                    .iter()
                    .find(|s| s.trim().eq_ignore_ascii_case(n.trim()))
            })
            .cloned()
            .ok_or_else(|| ReadError::SheetNotFound {
                wanted: n.clone(),
                available: names.join(", "),
            })?],
        Some(SheetSelector::Index(i)) => {
            vec![names
                .get(*i)
                .cloned()
                .ok_or_else(|| ReadError::SheetNotFound {
                    wanted: format!("#{}", i + 1),
                    available: names.join(", "),
                })?]
        }
        None => names.clone(),
    };
    let mut info = SourceInfo {
        format: Some(format),
        sheet: candidates.first().cloned(),
        short_rows_are_padded: true,
        ..Default::default()
    };
    if names.len() > 1 {
        info.sheets = names;
    }
    let thread_info = info.clone();
    let mut reader = super::prefetch::Prefetch::spawn(info, move |pump| {
        let mut wb = wb;
        // The first candidate sheet with a cell (a blank cover sheet is common).
        for name in &candidates {
            let cells = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                wb.worksheet_cells_reader(name).map(|_| ())
            })) {
                Ok(Ok(())) => true,
                Ok(Err(e)) => {
                    pump(&mut super::prefetch::FailedReader(
                        Some(corrupt(format, e)),
                        thread_info.clone(),
                    ));
                    return;
                }
                Err(_) => {
                    pump(&mut super::prefetch::FailedReader(
                        Some(corrupt(format, "struktur lembar tidak valid")),
                        thread_info.clone(),
                    ));
                    return;
                }
            };
            if !cells {
                continue;
            }
            let Ok(cr) = wb.worksheet_cells_reader(name) else {
                continue;
            };
            let mut rows = XlsxRows {
                cells: cr,
                pending: None,
                next_row: 0,
                done: false,
                info: thread_info.clone(),
                buf: String::new(),
                sheet_has_data: false,
            };
            // Peek: skip sheets without a single cell when choosing by default.
            let mut first = Record::new();
            match rows.read_record(&mut first) {
                Ok(false) if candidates.len() > 1 => continue,
                Ok(false) => {
                    pump(&mut super::prefetch::FailedReader(
                        Some(ReadError::not_a_table(
                            "lembar kerja kosong",
                            "an empty sheet",
                        )),
                        thread_info.clone(),
                    ));
                    return;
                }
                Ok(true) => {
                    let mut chained = Chained {
                        first: Some(first),
                        rest: rows,
                    };
                    pump(&mut chained);
                    return;
                }
                Err(e) => {
                    pump(&mut super::prefetch::FailedReader(
                        Some(e),
                        thread_info.clone(),
                    ));
                    return;
                }
            }
        }
        pump(&mut super::prefetch::FailedReader(
            Some(ReadError::not_a_table(
                "buku kerja yang semua lembarnya kosong",
                "a workbook whose sheets are all empty",
            )),
            thread_info.clone(),
        ));
    });
    // Surface "empty workbook" and "corrupt sheet" now, like the other readers do at open time.
    let mut first = Record::new();
    match reader.read_record(&mut first) {
        Ok(true) => Ok(Box::new(Chained {
            first: Some(first),
            rest: reader,
        })),
        Ok(false) => Err(ReadError::not_a_table(
            "lembar kerja kosong",
            "an empty sheet",
        )),
        Err(e) => Err(e),
    }
}

/// A record already read, then the rest.
struct Chained<R> {
    first: Option<Record>,
    rest: R,
}

impl<R: TableReader> TableReader for Chained<R> {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        if let Some(f) = self.first.take() {
            *rec = f;
            return Ok(true);
        }
        self.rest.read_record(rec)
    }
    fn info(&self) -> &SourceInfo {
        self.rest.info()
    }
}

/// A cell's (row, column) and text.
type CellText = ((u32, u32), String);

/// Columns of a sheet row kept at most (Excel's own limit).
const MAX_COLUMNS: u32 = 16_384;

/// Rows built from a stream of cells (in row order, as XLSX stores them).
struct XlsxRows<'a, RS: Read + Seek> {
    cells: calamine::XlsxCellReader<'a, RS>,
    /// A cell read that belongs to the next row.
    pending: Option<CellText>,
    /// The sheet row (0-based) the next record gets.
    next_row: u32,
    done: bool,
    info: SourceInfo,
    buf: String,
    sheet_has_data: bool,
}

impl<RS: Read + Seek> XlsxRows<'_, RS> {
    fn next_cell(&mut self) -> Result<Option<CellText>, ReadError> {
        if let Some(p) = self.pending.take() {
            return Ok(Some(p));
        }
        if self.done {
            return Ok(None);
        }
        let cell =
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.cells.next_cell()))
            {
                Ok(Ok(c)) => c,
                Ok(Err(e)) => return Err(corrupt(Format::Xlsx, e)),
                Err(_) => return Err(corrupt(Format::Xlsx, "struktur lembar tidak valid")),
            };
        match cell {
            None => {
                self.done = true;
                Ok(None)
            }
            Some(c) => {
                let pos = c.get_position();
                data_ref_text(c.get_value(), &mut self.buf);
                Ok(Some((pos, std::mem::take(&mut self.buf))))
            }
        }
    }
}

impl<RS: Read + Seek> TableReader for XlsxRows<'_, RS> {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        // Skip empty cells up front so that a sheet of only formatting has no rows.
        let first = loop {
            match self.next_cell()? {
                None => return Ok(false),
                Some((_, t)) if t.is_empty() => continue,
                Some(c) => break c,
            }
        };
        let ((row, _), _) = first;
        if !self.sheet_has_data {
            // Rows above the first filled one are not part of the table.
            self.sheet_has_data = true;
            self.next_row = row;
        }
        rec.reset(self.next_row as u64 + 1);
        if row > self.next_row {
            // A row with no cells: blank.
            self.pending = Some(first);
            self.next_row += 1;
            return Ok(true);
        }
        let mut cell = Some(first);
        while let Some(((r, c), text)) = cell {
            if r != row {
                self.pending = Some(((r, c), text));
                break;
            }
            if c < MAX_COLUMNS {
                while (rec.len() as u32) < c {
                    rec.push("");
                }
                if (rec.len() as u32) == c {
                    rec.push(&text);
                }
            }
            cell = self.next_cell()?;
        }
        rec.trim_end();
        self.next_row = row + 1;
        Ok(true)
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }
}

/// Write a streamed spreadsheet cell as text.
fn data_ref_text(d: &DataRef<'_>, out: &mut String) {
    let owned = match d {
        DataRef::Int(i) => Data::Int(*i),
        DataRef::Float(f) => Data::Float(*f),
        DataRef::String(s) => Data::String(s.clone()),
        DataRef::SharedString(s) => {
            out.clear();
            out.push_str(s);
            return;
        }
        DataRef::Bool(b) => Data::Bool(*b),
        DataRef::DateTime(dt) => Data::DateTime(*dt),
        DataRef::DateTimeIso(s) => Data::DateTimeIso(s.clone()),
        DataRef::DurationIso(s) => Data::DurationIso(s.clone()),
        DataRef::Error(e) => Data::Error(e.clone()),
        DataRef::Empty => Data::Empty,
    };
    cell_text(&owned, out);
}

/// Write a spreadsheet cell as text.
pub fn cell_text(d: &Data, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    match d {
        Data::Empty => {}
        Data::String(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                let _ = write!(out, "{}", *f as i64);
            } else {
                let _ = write!(out, "{f}");
                // A typed number is never Indonesian-grouped: keep `1.234` from reading as 1234.
                crate::cell::number::disambiguate_decimal(out);
            }
        }
        Data::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(v) if dt.is_datetime() => {
                if v.time() == chrono::NaiveTime::MIN {
                    let _ = write!(out, "{}", v.format("%Y-%m-%d"));
                } else {
                    let _ = write!(out, "{}", v.format("%Y-%m-%dT%H:%M:%S"));
                }
            }
            _ => {
                let _ = write!(out, "{}", dt.as_f64());
            }
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Error(e) => {
            let _ = write!(out, "#{e:?}");
        }
    }
}

impl TableReader for SheetReader {
    fn read_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        if self.next >= self.range.height() {
            return Ok(false);
        }
        rec.reset(self.first_row as u64 + self.next as u64 + 1);
        let mut buf = String::new();
        for col in 0..self.range.width() {
            match self.range.get((self.next, col)) {
                Some(c) => cell_text(c, &mut buf),
                None => buf.clear(),
            }
            rec.push(&buf);
        }
        // Sheets pad every row to the used width; trailing empties say nothing.
        rec.trim_end();
        self.next += 1;
        Ok(true)
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{open_path, records};

    fn data(f: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/conformance/frictionless-py-data")
            .join(f)
    }

    #[test]
    fn reads_xlsx_xls_and_ods_alike() {
        for f in ["table.xlsx", "table.xls", "table.ods"] {
            let p = data(f);
            if !p.exists() {
                continue;
            }
            let rows: Vec<_> = records(open_path(&p, &ReadOptions::default()).unwrap())
                .map(Result::unwrap)
                .collect();
            assert_eq!(rows[0].1, ["id", "name"], "{f}");
            assert_eq!(rows[1].1, ["1", "english"], "{f}");
            assert_eq!(rows[0].0, 1);
        }
    }

    #[test]
    fn chooses_sheets_by_name_and_index() {
        let p = data("sheet2.xlsx");
        if !p.exists() {
            return;
        }
        let r = open_path(
            &p,
            &ReadOptions {
                sheet: Some(SheetSelector::Index(1)),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(r.info().sheet.is_some());
        let err = open_path(
            &p,
            &ReadOptions {
                sheet: Some(SheetSelector::Name("nope".into())),
                ..Default::default()
            },
        );
        assert!(matches!(err, Err(ReadError::SheetNotFound { .. })));
    }

    #[test]
    fn garbage_workbooks_are_errors_not_panics() {
        for bytes in [
            &b"PK\x03\x04xl/garbage"[..],
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3][..],
        ] {
            assert!(crate::read::open_bytes(bytes, &ReadOptions::default()).is_err());
        }
    }
}
