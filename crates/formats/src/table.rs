//! A table = a reader + its detected header + its data rows, with notes and source lines below the table
//! ("Sumber: BPS", "Catatan: …", "*) angka sementara") set aside and reported instead of read as data.

use std::collections::VecDeque;

use serde::Serialize;

use crate::header::{detect_header, Header, SCAN_ROWS};
use crate::read::{ReadError, Record, SourceInfo, TableReader};

/// A note found below (or inside) the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// Row number as in the file.
    pub row_number: u64,
    /// The note's text.
    pub text: String,
}

/// Prefixes of note and source lines, lower case.
const NOTE_PREFIXES: &[&str] = &[
    "sumber",
    "source",
    "catatan",
    "keterangan",
    "ket.",
    "ket :",
    "ket:",
    "note",
    "*",
    "¹",
    "²",
    "³",
    "data diolah",
    "diolah",
    "dicetak",
    "update",
    "diperbarui",
    "tanggal update",
];

/// Whether a row is a note: one filled cell (or one text spanning the row), starting like a note or
/// source line.
pub fn is_note(r: &Record) -> bool {
    if crate::header::filled_cells(r) != 1 {
        return false;
    }
    let Some(first) = r.cells().iter().map(|c| c.trim()).find(|c| !c.is_empty()) else {
        return false;
    };
    let lower = first.to_lowercase();
    NOTE_PREFIXES.iter().any(|p| lower.starts_with(p))
        || (lower.len() > 2 && lower.as_bytes()[0].is_ascii_digit() && lower.as_bytes()[1] == b')')
}

/// Data rows of a table, header detected and notes set aside. Blank rows inside the table are yielded
/// (as empty records) for the validator to report; blank rows just before notes, or at the very end,
/// are not.
pub struct TableStream<R> {
    reader: R,
    header: Header,
    buffered: VecDeque<Record>,
    /// Blank rows seen but not yet known to be inside the table.
    pending_blank: VecDeque<u64>,
    /// A data row read after pending blank rows, waiting for them to be yielded.
    stash: Option<Record>,
    notes: Vec<Note>,
    in_footer: bool,
    width: usize,
    done: bool,
    pending_error: Option<ReadError>,
}

impl<R: TableReader> TableStream<R> {
    /// Read the first rows of `reader` and detect the header; `expected` are the schema's field names.
    pub fn new(mut reader: R, expected: Option<&[String]>) -> Result<Self, ReadError> {
        let mut scanned = Vec::with_capacity(SCAN_ROWS);
        for _ in 0..SCAN_ROWS {
            let mut rec = Record::new();
            if !reader.read_record(&mut rec)? {
                break;
            }
            scanned.push(rec);
        }
        if scanned.iter().all(Record::is_blank) {
            return Err(ReadError::Empty);
        }
        let det = detect_header(&scanned, expected);
        let width = det.header.labels.len();
        let buffered: VecDeque<Record> = scanned.into_iter().skip(det.data_start).collect();
        Ok(TableStream {
            reader,
            header: det.header,
            buffered,
            pending_blank: VecDeque::new(),
            stash: None,
            notes: vec![],
            in_footer: false,
            width,
            done: false,
            pending_error: None,
        })
    }

    /// The detected header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// What the reader found out about the source.
    pub fn info(&self) -> &SourceInfo {
        self.reader.info()
    }

    /// Notes set aside so far (all of them once the stream is exhausted).
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Read up to `n` rows ahead into the buffer (a larger sample for number-style decisions), without
    /// changing what [`TableStream::next_row`] yields.
    pub fn read_ahead(&mut self, n: usize) -> Result<(), ReadError> {
        while self.buffered.len() < n && !self.done {
            let mut rec = Record::new();
            match self.reader.read_record(&mut rec) {
                Ok(true) => self.buffered.push_back(rec),
                Ok(false) => self.done = true,
                Err(e) => {
                    // Reported after the rows read before it, where it happened.
                    self.pending_error = Some(e);
                    self.done = true;
                }
            }
        }
        Ok(())
    }

    /// Rows still buffered from header detection (a look-ahead sample for number-style decisions).
    pub fn lookahead(&self) -> impl Iterator<Item = &Record> {
        self.buffered.iter()
    }

    fn raw_next(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        if let Some(r) = self.buffered.pop_front() {
            *rec = r;
            return Ok(true);
        }
        if let Some(e) = self.pending_error.take() {
            return Err(e);
        }
        if self.done {
            return Ok(false);
        }
        let more = self.reader.read_record(rec)?;
        self.done = !more;
        Ok(more)
    }

    /// The next data or blank row into `rec`; `Ok(false)` at the end.
    pub fn next_row(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        loop {
            if let Some(row) = self.pending_blank.front().copied() {
                // `done` only says the reader is exhausted: rows may still wait in the look-ahead
                // buffer, and a note among them means these blanks were below the table.
                if self.stash.is_some() || (self.done && self.buffered.is_empty()) {
                    self.pending_blank.pop_front();
                    rec.reset(row);
                    return Ok(true);
                }
            }
            if self.pending_blank.is_empty() {
                if let Some(s) = self.stash.take() {
                    *rec = s;
                    return Ok(true);
                }
            }
            if !self.raw_next(rec)? {
                // Blank rows at the very end are still blank rows of the table (Frictionless reports
                // them); only those before notes were dropped.
                if self.pending_blank.is_empty() {
                    return Ok(false);
                }
                continue;
            }
            if rec.is_blank() {
                if !self.in_footer {
                    self.pending_blank.push_back(rec.row());
                }
                continue;
            }
            // Notes have one filled cell (or one text spanning the row): most rows are ruled out by
            // their first two filled cells differing.
            let filled = {
                let mut two = rec
                    .cells()
                    .iter()
                    .map(crate::read::trim_cell)
                    .filter(|c| !c.is_empty());
                match (two.next(), two.next()) {
                    (Some(a), Some(b)) if a == b => crate::header::filled_cells(rec),
                    (Some(_), Some(_)) => 2,
                    (Some(_), None) => 1,
                    _ => 0,
                }
            };
            if filled == 1 && (is_note(rec) || (self.in_footer && self.width >= 2)) {
                self.in_footer = true;
                self.pending_blank.clear();
                let text = rec
                    .cells()
                    .iter()
                    .map(str::trim)
                    .find(|c| !c.is_empty())
                    .unwrap_or_default();
                self.notes.push(Note {
                    row_number: rec.row(),
                    text: text.to_string(),
                });
                continue;
            }
            self.in_footer = false;
            if self.pending_blank.is_empty() {
                return Ok(true);
            }
            self.stash = Some(std::mem::take(rec));
        }
    }

    /// Give the reader back.
    pub fn into_reader(self) -> R {
        self.reader
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{open_bytes, ReadOptions};

    type Rows = Vec<(u64, Vec<String>)>;

    fn data_rows(csv: &str) -> (Header, Rows, Vec<Note>) {
        let r = open_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap();
        let mut t = TableStream::new(r, None).unwrap();
        let mut rec = Record::new();
        let mut out = vec![];
        while t.next_row(&mut rec).unwrap() {
            out.push((rec.row(), rec.to_vec()));
        }
        (t.header().clone(), out, t.notes().to_vec())
    }

    #[test]
    fn notes_below_the_table_are_set_aside() {
        let (h, rows, notes) = data_rows(
            "Tabel 1. Penduduk\nkecamatan,jumlah,satuan\nSekayu,100,jiwa\n,,\nLais,90,jiwa\n,,\nSumber: BPS Kabupaten Musi Banyuasin,,\nKeterangan: angka sementara,,\n",
        );
        assert_eq!(h.row_numbers, [2]);
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [3, 4, 5]);
        assert!(rows[1].1.iter().all(|c| c.is_empty()));
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0].row_number, 7);
        assert!(notes[0].text.starts_with("Sumber"));
    }

    #[test]
    fn trailing_blank_rows_are_kept_for_the_validator() {
        let (_, rows, _) = data_rows("id,name\n1,a\n,\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].0, 3);
    }

    #[test]
    fn read_ahead_keeps_rows_and_errors_in_place() {
        let r = open_bytes(b"id\n1\n2\n3\n", &ReadOptions::default()).unwrap();
        let mut t = TableStream::new(r, None).unwrap();
        t.read_ahead(10).unwrap();
        assert_eq!(t.lookahead().count(), 3);
        let mut rec = Record::new();
        let mut n = 0;
        while t.next_row(&mut rec).unwrap() {
            n += 1;
        }
        assert_eq!(n, 3);
    }

    #[test]
    fn empty_tables_are_errors() {
        let r = open_bytes(b",,\n,,\n", &ReadOptions::default()).unwrap();
        assert!(matches!(TableStream::new(r, None), Err(ReadError::Empty)));
    }
}
