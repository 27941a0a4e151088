//! A guard for the cells of an .xls (BIFF) workbook before calamine builds its sheets.
//!
//! calamine 0.38 parses every sheet of an .xls when the workbook is opened and stores each as a dense
//! grid sized by the bounding box of the cells it found (`Range::from_sparse`). BIFF cell records
//! carry a 16-bit column although BIFF8 allows only 256 columns, so a 6 KB file with one cell at
//! column 40,000 and one at row 65,535 made it allocate a 65,536 × 40,000 grid, 135 GB (fuzz finding
//! 3, docs/FUZZING.md). An allocation failure aborts the process; `catch_unwind` cannot help, and in
//! the server that is a memory DoS by upload. This module walks the same records calamine will read,
//! from the `Workbook` stream that [`cfb_guard::workbook_stream`] extracts, and refuses the file first
//! if a cell lies outside what .xls allows or the sheets together would be larger than one full sheet.

use super::cfb_guard::{self, StreamProblem};

/// Columns in a BIFF8 sheet (A..IV).
pub const MAX_COLUMNS: u32 = 256;
/// Rows in a BIFF8 sheet; the records' row field is 16 bits, so this bound always holds.
pub const MAX_ROWS: u32 = 65_536;
/// Grid cells calamine may build for the whole workbook: one full .xls sheet (≈ 540 MB of calamine
/// cells). calamine holds every sheet at once, so a per-sheet bound alone would let a file list the
/// same sheet many times under different names and multiply the memory.
pub const MAX_WORKBOOK_CELLS: u64 = MAX_ROWS as u64 * MAX_COLUMNS as u64;

/// Why an .xls is refused before calamine opens it. Each is a corrupt file (CLI exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XlsRefusal {
    /// A sector chain of the CFB container loops.
    ChainLoops,
    /// The workbook stream runs past the end of the file or of the mini stream.
    StreamOutsideFile,
    /// A cell record places a cell past column IV (256) of a sheet.
    CellOutOfRange {
        /// 1-based sheet number, in the order of the workbook's sheet list.
        sheet: usize,
        /// 0-based row and column as the record gives them.
        row: u32,
        col: u32,
        /// BIFF record type.
        record: u16,
    },
    /// A `Dimensions` record declares a sheet larger than .xls allows (calamine reserves that much).
    DimensionsTooLarge { sheet: usize },
    /// The sheets' bounding boxes add up to more than [`MAX_WORKBOOK_CELLS`].
    TooManyCells { cells: u64 },
}

impl XlsRefusal {
    /// What is wrong and how to fix it, in Bahasa Indonesia (the detail of a "corrupt file" error).
    pub fn detail(&self) -> String {
        const FIX: &str =
            "buka berkas di Excel atau LibreOffice lalu simpan ulang sebagai .xlsx atau CSV";
        match self {
            XlsRefusal::ChainLoops => {
                "rantai sektor di dalam berkas berputar tanpa akhir (berkas .xls rusak)".into()
            }
            XlsRefusal::StreamOutsideFile => format!(
                "data lembar kerja menunjuk ke luar berkas (berkas .xls terpotong atau rusak); {FIX}"
            ),
            XlsRefusal::CellOutOfRange {
                sheet,
                row,
                col,
                record,
            } => format!(
                "lembar ke-{sheet} berisi sel di baris {}, kolom {} (catatan BIFF 0x{record:04X}), di luar batas \
                 format .xls ({} baris × {} kolom); berkas rusak atau dibuat program yang salah — {FIX}",
                row + 1,
                col + 1,
                fmt_thousands(MAX_ROWS as u64),
                MAX_COLUMNS,
            ),
            XlsRefusal::DimensionsTooLarge { sheet } => format!(
                "ukuran lembar ke-{sheet} yang dinyatakan berkas tidak masuk akal (lebih dari {} baris × {} kolom); {FIX}",
                fmt_thousands(MAX_ROWS as u64),
                MAX_COLUMNS,
            ),
            XlsRefusal::TooManyCells { cells } => format!(
                "lembar-lembar di dalam berkas mencakup {} sel, lebih dari batas {} sel untuk berkas .xls; {FIX} \
                 (keduanya dibaca bertahap)",
                fmt_thousands(*cells),
                fmt_thousands(MAX_WORKBOOK_CELLS),
            ),
        }
    }

    /// The same in English, for logs.
    pub fn detail_en(&self) -> String {
        match self {
            XlsRefusal::ChainLoops => "a CFB sector chain loops".into(),
            XlsRefusal::StreamOutsideFile => {
                "the Workbook stream runs past the end of the file or of the mini stream".into()
            }
            XlsRefusal::CellOutOfRange {
                sheet,
                row,
                col,
                record,
            } => format!(
                "sheet {sheet}: BIFF record 0x{record:04X} puts a cell at row {row}, column {col} (0-based), \
                 outside .xls limits"
            ),
            XlsRefusal::DimensionsTooLarge { sheet } => {
                format!("sheet {sheet}: Dimensions record larger than 65,536 × 256")
            }
            XlsRefusal::TooManyCells { cells } => {
                format!("sheet grids add up to {cells} cells, above {MAX_WORKBOOK_CELLS}")
            }
        }
    }
}

/// `16777216` → `16.777.216` (Indonesian grouping).
fn fmt_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Check an .xls (CFB) file before calamine opens it. Files that are not CFB, or that calamine
/// refuses by itself before it parses sheets, pass: calamine reports those.
pub fn check(bytes: &[u8]) -> Result<(), XlsRefusal> {
    match cfb_guard::workbook_stream(bytes) {
        Ok(Some(stream)) => check_workbook(&stream),
        Ok(None) => Ok(()),
        Err(StreamProblem::Loops) => Err(XlsRefusal::ChainLoops),
        Err(StreamProblem::OutsideFile) => Err(XlsRefusal::StreamOutsideFile),
    }
}

/// One BIFF record: type and data (CONTINUE records after it are skipped, as calamine merges them).
struct Records<'a> {
    stream: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);
    /// `None` at the end and where calamine's own iterator fails (a cut record): calamine stops
    /// parsing there with an error, so nothing after it reaches a sheet.
    fn next(&mut self) -> Option<Self::Item> {
        let s = self.stream;
        if s.len() < 4 {
            return None;
        }
        let typ = u16::from_le_bytes([s[0], s[1]]);
        let len = u16::from_le_bytes([s[2], s[3]]) as usize;
        let data = s.get(4..4 + len)?;
        self.stream = &s[4 + len..];
        while self.stream.len() > 4 && self.stream[..2] == [0x3C, 0x00] {
            let len = u16::from_le_bytes([self.stream[2], self.stream[3]]) as usize;
            self.stream = self.stream.get(4 + len..)?;
        }
        Some((typ, data))
    }
}

fn u16_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_le_bytes([*d.get(at)?, *d.get(at + 1)?]) as u32)
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// The bounding box of the cells calamine would place in one sheet.
#[derive(Default, Clone, Copy)]
struct BBox {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl BBox {
    fn add(&mut self, row: u32, col: u32) {
        let grow = |r: &mut Option<(u32, u32)>, v: u32| {
            *r = Some(match *r {
                Some((lo, hi)) => (lo.min(v), hi.max(v)),
                None => (v, v),
            })
        };
        grow(&mut self.rows, row);
        grow(&mut self.cols, col);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64,
            _ => 0,
        }
    }
}

/// Check the BIFF records of a workbook stream, walking them the way calamine's `parse_workbook`
/// does: the globals up to their EOF for the sheet list (BoundSheet8), then each sheet from its
/// offset to its EOF, skipping nested substreams (embedded charts).
pub fn check_workbook(stream: &[u8]) -> Result<(), XlsRefusal> {
    let mut offsets: Vec<usize> = vec![];
    for (typ, data) in (Records { stream }) {
        match typ {
            0x0085 => {
                if let Some(pos) = u32_at(data, 0) {
                    offsets.push(pos as usize);
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    // A sheet listed twice is parsed twice by calamine (and held twice under two names): count it
    // each time, but walk it once.
    let mut walked: std::collections::HashMap<usize, u64> = Default::default();
    let mut total: u64 = 0;
    for (i, &pos) in offsets.iter().enumerate() {
        let cells = match walked.get(&pos) {
            Some(c) => *c,
            None => {
                // An offset past the stream makes calamine fail (a caught panic) before this sheet.
                let Some(sheet) = stream.get(pos..) else {
                    continue;
                };
                let c = check_sheet(sheet, i + 1)?;
                walked.insert(pos, c);
                c
            }
        };
        total = total.saturating_add(cells);
        if total > MAX_WORKBOOK_CELLS {
            return Err(XlsRefusal::TooManyCells { cells: total });
        }
    }
    Ok(())
}

/// Check one sheet's records; the number of grid cells calamine would allocate for it.
fn check_sheet(stream: &[u8], sheet: usize) -> Result<u64, XlsRefusal> {
    let mut bbox = BBox::default();
    let mut seen_bof = false;
    let mut depth = 0usize;
    let out_of_range = |row: u32, col: u32, record: u16| XlsRefusal::CellOutOfRange {
        sheet,
        row,
        col,
        record,
    };
    for (typ, d) in (Records { stream }) {
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        // (first column, last column) of the cells the record places in `row`; `placed`: whether
        // calamine puts them in its grid (BLANK and MULBLANK it skips, but they must still be in
        // range: a later calamine may read them).
        let (row, cols, placed) = match typ {
            0x0809 => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                }
                continue;
            }
            0x000A => break,
            0x0200 => {
                if !dimensions_sane(d) {
                    return Err(XlsRefusal::DimensionsTooLarge { sheet });
                }
                continue;
            }
            // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: row, column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                match (u16_at(d, 0), u16_at(d, 2)) {
                    (Some(r), Some(c)) => (r, (c, c), true),
                    _ => continue,
                }
            }
            0x0201 => match (u16_at(d, 0), u16_at(d, 2)) {
                (Some(r), Some(c)) => (r, (c, c), false),
                _ => continue,
            },
            // MULRK and MULBLANK: row, first column, then one entry per cell, last column at the end.
            // calamine numbers the cells from the first column by entry (6 bytes each for MULRK)
            // and checks the last column only through the record's length: take the widest of both.
            0x00BD | 0x00BE => {
                if d.len() < 6 {
                    continue;
                }
                let (Some(r), Some(first), Some(last)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, d.len() - 2))
                else {
                    continue;
                };
                let entry = if typ == 0x00BD { 6 } else { 2 };
                let n = (d.len() - 6).div_ceil(entry) as u32;
                let by_entries = first + n.saturating_sub(1);
                (r, (first, last.max(by_entries)), typ == 0x00BD && n > 0)
            }
            _ => continue,
        };
        if row >= MAX_ROWS {
            return Err(out_of_range(row, cols.0, typ));
        }
        if cols.1 >= MAX_COLUMNS || cols.0 >= MAX_COLUMNS {
            return Err(out_of_range(row, cols.0.max(cols.1), typ));
        }
        if placed {
            bbox.add(row, cols.0.min(cols.1));
            bbox.add(row, cols.0.max(cols.1));
        }
    }
    Ok(bbox.cells())
}

/// Whether a `Dimensions` record (MS-XLS 2.4.90) declares no more than 65,536 × 256 cells, computed
/// as calamine does before it reserves them (it subtracts without checking: a last row before the
/// first would wrap around to 4 billion rows).
fn dimensions_sane(d: &[u8]) -> bool {
    let (rf, rl, cf, cl) = match d.len() {
        10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
        _ => return true, // calamine refuses the length itself
    };
    let (Some(rf), Some(rl), Some(cf), Some(cl)) = (rf, rl, cf, cl) else {
        return true;
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl < 1 || cl < 1 {
        return true; // calamine: a single cell
    }
    if rl - 1 < rf {
        return false;
    }
    let rows = (rl - rf) as u64;
    let cols = (cl - cf) as u64;
    rows.saturating_mul(cols) <= MAX_WORKBOOK_CELLS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 10]);
        rec(0x0203, &d)
    }

    /// A workbook stream: globals listing `sheets` sheets at one offset, then that sheet's records.
    fn workbook(sheets: usize, cells: &[Vec<u8>]) -> Vec<u8> {
        let bof = rec(0x0809, &[0u8; 16]);
        let eof = rec(0x000A, &[]);
        let bound_len = 4 + 8;
        let sheet_at = bof.len() + sheets * bound_len + eof.len();
        let mut s = bof.clone();
        for _ in 0..sheets {
            let mut d = (sheet_at as u32).to_le_bytes().to_vec();
            d.extend([0, 0, 1, 0, b'S', b'1', 0, 0]);
            s.extend(rec(0x0085, &d[..8]));
        }
        s.extend(&eof);
        assert_eq!(s.len(), sheet_at);
        s.extend(&bof);
        for c in cells {
            s.extend(c);
        }
        s.extend(&eof);
        s
    }

    #[test]
    fn cells_within_xls_limits_pass() {
        let wb = workbook(1, &[number(0, 0), number(65_535, 255)]);
        assert_eq!(check_workbook(&wb), Ok(()));
    }

    #[test]
    fn a_cell_past_column_iv_is_refused() {
        let wb = workbook(1, &[number(0, 0), number(3, 40_000)]);
        let err = check_workbook(&wb).unwrap_err();
        assert_eq!(
            err,
            XlsRefusal::CellOutOfRange {
                sheet: 1,
                row: 3,
                col: 40_000,
                record: 0x0203
            }
        );
        assert!(
            err.detail().contains("baris 4, kolom 40001"),
            "{}",
            err.detail()
        );
        assert!(err.detail().contains(".xlsx"), "{}", err.detail());
    }

    #[test]
    fn a_mulrk_reaching_past_column_iv_is_refused() {
        // Row 1, first column 250, ten RK entries: columns 250..259.
        let mut d = 1u16.to_le_bytes().to_vec();
        d.extend(250u16.to_le_bytes());
        d.extend([0u8; 60]);
        d.extend(259u16.to_le_bytes());
        let wb = workbook(1, &[rec(0x00BD, &d)]);
        assert!(matches!(
            check_workbook(&wb),
            Err(XlsRefusal::CellOutOfRange { col: 259, .. })
        ));
    }

    #[test]
    fn cells_in_an_embedded_chart_are_not_the_sheets() {
        // calamine skips nested substreams: so does the guard.
        let chart = [
            rec(0x0809, &[0u8; 16]),
            number(0, 1000),
            rec(0x000A, &[]),
            number(1, 1),
        ];
        assert_eq!(check_workbook(&workbook(1, &chart)), Ok(()));
    }

    #[test]
    fn a_sheet_listed_many_times_counts_every_time() {
        // 65,536 × 256 once is fine; the same sheet under two names is twice that.
        let cells = [number(0, 0), number(65_535, 255)];
        assert_eq!(check_workbook(&workbook(1, &cells)), Ok(()));
        assert!(matches!(
            check_workbook(&workbook(2, &cells)),
            Err(XlsRefusal::TooManyCells { .. })
        ));
    }

    #[test]
    fn wrapping_or_huge_dimensions_are_refused() {
        let dims = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut d = rf.to_le_bytes().to_vec();
            d.extend(rl.to_le_bytes());
            d.extend(cf.to_le_bytes());
            d.extend(cl.to_le_bytes());
            d.extend([0, 0]);
            rec(0x0200, &d)
        };
        assert_eq!(check_workbook(&workbook(1, &[dims(0, 10, 0, 3)])), Ok(()));
        assert!(check_workbook(&workbook(1, &[dims(0, u32::MAX, 0, 200)])).is_err());
        assert!(check_workbook(&workbook(1, &[dims(20, 5, 0, 3)])).is_err());
    }

    #[test]
    fn cut_or_odd_streams_do_not_panic() {
        let wb = workbook(3, &[number(0, 0)]);
        for end in 0..wb.len() {
            let _ = check_workbook(&wb[..end]);
        }
        assert_eq!(check(b"not an xls"), Ok(()));
        assert_eq!(fmt_thousands(16_777_216), "16.777.216");
        assert_eq!(fmt_thousands(256), "256");
    }
}
