//! CSV with the `csv` crate: encoding and delimiter sniffed, quoted fields, CRLF, blank lines kept as
//! (blank) rows so that row numbers match the file and Frictionless.

use std::io::{BufRead, BufReader, Read};

use super::encoding::{self, Transcoder};
use super::{Format, ReadError, ReadOptions, Record, SourceInfo, TableReader, HEAD_LEN};

/// Delimiters considered when sniffing, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Pick the delimiter that splits the first lines of `text` most consistently. Never panics.
pub fn sniff_delimiter(text: &[u8]) -> u8 {
    // Count each candidate per line outside quotes, over the first 50 non-empty lines.
    let mut counts: Vec<[usize; 4]> = Vec::new();
    let mut cur = [0usize; 4];
    let mut in_quotes = false;
    let mut line_has_content = false;
    for &b in text {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                if line_has_content {
                    counts.push(cur);
                    if counts.len() == 50 {
                        break;
                    }
                }
                cur = [0; 4];
                line_has_content = false;
                continue;
            }
            _ if !in_quotes => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    cur[i] += 1;
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            line_has_content = true;
        }
    }
    if line_has_content && counts.len() < 50 {
        counts.push(cur);
    }
    let mut best = (b',', 0.0f64, 0usize);
    for (i, &d) in DELIMITERS.iter().enumerate() {
        // The most common non-zero count, and the share of lines that have it.
        let mut freq: Vec<(usize, usize)> = vec![];
        for c in counts.iter().map(|c| c[i]).filter(|&c| c > 0) {
            match freq.iter_mut().find(|(k, _)| *k == c) {
                Some(f) => f.1 += 1,
                None => freq.push((c, 1)),
            }
        }
        let Some(&(mode, n)) = freq.iter().max_by_key(|&&(k, n)| (n, k)) else {
            continue;
        };
        let share = n as f64 / counts.len().max(1) as f64;
        // Ties go to the earlier candidate.
        if share > best.1 + 1e-9 {
            best = (d, share, mode);
        }
    }
    best.0
}

/// Room for a record's text and cell ends before the first record has grown a buffer.
const MIN_TEXT_ROOM: usize = 256;
const MIN_ENDS_ROOM: usize = 32;

/// A streaming CSV reader.
///
/// It drives `csv_core` itself and parses each record straight into the [`Record`]'s own buffers
/// (its text and cell ends have the layout `csv_core` writes), then checks UTF-8 once in place: the
/// `csv` crate's `ByteRecord` and the copy from it into the record cost about a tenth of validating
/// a row.
pub struct CsvReader {
    input: BufReader<Box<dyn Read + Send>>,
    core: csv_core::Reader,
    info: SourceInfo,
    /// Row number the next record will get.
    next_row: u64,
    /// The last line of the previous record (0 before the first).
    prev_last_line: u64,
    /// Blank lines still to report before the stashed record.
    pending_blank: u64,
    /// A record read after blank lines, returned once the blank rows before it are.
    stash: Option<Record>,
    /// The stash's buffers when it is empty, kept for reuse.
    spare: Record,
    done: bool,
    /// The delimiter, for [`CsvReader::plain_line`].
    delimiter: u8,
    /// Whether lines holding no quote may be split without `csv_core` (see [`CsvReader::plain_line`]):
    /// not when records end in `\r` (old Mac files) or the delimiter is a quote, a newline or not
    /// ASCII.
    plain_allowed: bool,
    /// `plain_allowed` once `csv_core` has read the first record (it strips a BOM there).
    plain_lines: bool,
    /// Newlines consumed by [`CsvReader::plain_line`], which `csv_core`'s line count does not see.
    plain_newlines: u64,
}

impl CsvReader {
    /// Read CSV from `stream`, sniffing its encoding and delimiter unless `opts` fixes them.
    pub fn new(stream: Box<dyn Read + Send>, opts: &ReadOptions) -> Result<Self, ReadError> {
        let mut buf = BufReader::with_capacity(HEAD_LEN, stream);
        let head = buf.fill_buf()?.to_vec();
        let sniffed = encoding::sniff(&head);
        let enc = match &opts.encoding {
            Some(label) => encoding::by_label(label)?,
            None => sniffed.encoding,
        };
        // Skip the BOM.
        buf.consume(sniffed.bom_len);
        let utf8 = enc == encoding_rs::UTF_8;
        let text: Box<dyn Read + Send> = if utf8 {
            Box::new(buf)
        } else {
            Box::new(Transcoder::new(buf, enc))
        };
        let (head_text, _, _) = enc.decode(&head[sniffed.bom_len.min(head.len())..]);
        let delimiter = match opts.delimiter {
            Some(d) => d,
            None => sniff_delimiter(head_text.as_bytes()),
        };
        // Records end at `\n` only (a `\r` before it is cut off in `parse_into`): the parser's line
        // count then always includes the record's own terminator, also in files that mix CRLF and
        // LF lines, where a terminator style guessed from the head numbered rows wrongly and
        // reported blank rows that are not there. Old Mac files (`\r` only) keep `\r` as terminator.
        let old_mac = !head_text.contains('\n') && head_text.contains('\r');
        let plain_ok = !old_mac && delimiter.is_ascii() && delimiter != b'"' && delimiter != b'\n';
        let core = csv_core::ReaderBuilder::new()
            .terminator(if old_mac {
                csv_core::Terminator::CRLF
            } else {
                csv_core::Terminator::Any(b'\n')
            })
            .delimiter(delimiter)
            .build();
        let info = SourceInfo {
            format: Some(Format::Csv),
            encoding: Some(if opts.encoding.is_some() {
                enc.name().to_ascii_lowercase()
            } else {
                sniffed.label()
            }),
            delimiter: Some(match delimiter {
                b'\t' => "\\t".to_string(),
                d => (d as char).to_string(),
            }),
            ..Default::default()
        };
        Ok(CsvReader {
            input: BufReader::with_capacity(256 * 1024, text),
            core,
            info,
            next_row: 1,
            prev_last_line: 0,
            pending_blank: 0,
            stash: None,
            spare: Record::new(),
            done: false,
            delimiter,
            plain_allowed: plain_ok,
            plain_lines: false,
            plain_newlines: 0,
        })
    }

    /// Parse the next record into `out`'s buffers (its row number is left to the caller); `false`
    /// at the end of the input. A `\r` ending the last cell (a CRLF terminator) is cut off, and a
    /// line of only `\r` is a blank row (no cells), like an empty LF line.
    fn parse_into(&mut self, out: &mut Record) -> Result<bool, ReadError> {
        out.encoding_error = false;
        let mut bytes = std::mem::take(&mut out.buf).into_bytes();
        let ends = &mut out.ends;
        out.gap = 0;
        let found = match self.plain_line(&mut bytes, ends) {
            Ok(true) => {
                out.gap = 1;
                true
            }
            Ok(false) => self.core_record(&mut bytes, ends)?,
            Err(e) => {
                ends.clear();
                return Err(ReadError::Io(e));
            }
        };
        self.plain_lines = self.plain_allowed;
        if !found {
            ends.clear();
            bytes.clear();
            out.buf = String::from_utf8(bytes).unwrap_or_default();
            return Ok(false);
        }
        // The `\r` of a CRLF terminator is the last byte of the last cell (records end at `\n`).
        if let Some(&end) = ends.last() {
            let start = if ends.len() > 1 {
                ends[ends.len() - 2] + out.gap
            } else {
                0
            };
            if end > start && bytes[end - 1] == b'\r' {
                bytes.truncate(end - 1);
                if let Some(e) = ends.last_mut() {
                    *e -= 1;
                }
            }
        }
        if ends.len() == 1 && bytes.is_empty() {
            // A blank CRLF line: a blank row, like a blank LF line.
            ends.clear();
        }
        // One UTF-8 check for the whole record, in place. A cell end inside a character means two
        // invalid halves joined into a valid sequence: then each cell is checked alone. (With the
        // delimiters kept, cells end at ASCII bytes: always character boundaries.)
        match String::from_utf8(bytes) {
            Ok(text) if text.is_ascii() || ends.iter().all(|&e| text.is_char_boundary(e)) => {
                out.buf = text;
            }
            Ok(text) => lossy_cells(text.into_bytes(), out),
            Err(e) => lossy_cells(e.into_bytes(), out),
        }
        Ok(true)
    }

    /// Split the next record without `csv_core` when it is one whole buffered line holding no
    /// quote, which is what nearly every line of a data file is: such a line's cells are exactly the
    /// pieces between delimiters, and [`split_plain_line`] finds them eight bytes at a time and
    /// leaves them in place, instead of `csv_core`'s byte-at-a-time state machine copying them out
    /// (which cost more than a quarter of validating a row).
    /// `false` leaves the record to `csv_core`: a quote, an empty line (`csv_core` skips blank
    /// lines), a line running past the buffer, or the first record.
    fn plain_line(&mut self, bytes: &mut Vec<u8>, ends: &mut Vec<usize>) -> std::io::Result<bool> {
        if !self.plain_lines {
            return Ok(false);
        }
        let input = self.input.fill_buf()?;
        let line = match memchr::memchr2(b'\n', b'"', input) {
            Some(end) if end > 0 && input[end] == b'\n' => &input[..end],
            _ => return Ok(false),
        };
        split_plain_line(line, self.delimiter, bytes, ends);
        let used = line.len() + 1;
        self.input.consume(used);
        self.plain_newlines += 1;
        Ok(true)
    }

    /// Parse the next record with `csv_core` into `bytes` and `ends`; `false` at the end of the input.
    fn core_record(
        &mut self,
        bytes: &mut Vec<u8>,
        ends: &mut Vec<usize>,
    ) -> Result<bool, ReadError> {
        use csv_core::ReadRecordResult as R;
        // All the capacity is room to write into: csv_core fills slices, we cut them to size after.
        let room = bytes.capacity().max(MIN_TEXT_ROOM);
        bytes.clear();
        bytes.resize(room, 0);
        let room = ends.capacity().max(MIN_ENDS_ROOM);
        ends.clear();
        ends.resize(room, 0);
        let (mut outlen, mut endlen) = (0, 0);
        let found = loop {
            let input = match self.input.fill_buf() {
                Ok(i) => i,
                Err(e) => {
                    ends.clear();
                    return Err(ReadError::Io(e));
                }
            };
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut bytes[outlen..], &mut ends[endlen..]);
            self.input.consume(nin);
            outlen += nout;
            endlen += nend;
            match res {
                R::InputEmpty => continue,
                R::OutputFull => {
                    let n = bytes.len() * 2;
                    bytes.resize(n, 0);
                }
                R::OutputEndsFull => {
                    let n = ends.len() * 2;
                    ends.resize(n, 0);
                }
                R::Record => break true,
                R::End => break false,
            }
        };
        bytes.truncate(outlen);
        ends.truncate(endlen);
        Ok(found)
    }

    /// The number of newlines read so far.
    fn line(&self) -> u64 {
        self.core.line() + self.plain_newlines
    }
}

/// Split `line` (no quote, no newline) at `delimiter`: `bytes` becomes the line, delimiters
/// included, and `ends` the position of each delimiter and the line's end (a [`Record`] with a gap
/// of one byte between cells). The delimiters are found eight bytes at a time.
fn split_plain_line(line: &[u8], delimiter: u8, bytes: &mut Vec<u8>, ends: &mut Vec<usize>) {
    bytes.clear();
    bytes.extend_from_slice(line);
    ends.clear();
    let pattern = u64::from_le_bytes([delimiter; 8]);
    let mut words = line.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let mut hits = zero_bytes(w ^ pattern);
        while hits != 0 {
            ends.push(at + (hits.trailing_zeros() / 8) as usize);
            hits &= hits - 1;
        }
        at += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == delimiter {
            ends.push(at + i);
        }
    }
    ends.push(line.len());
}

/// The high bit of each byte of `x` that is zero, and nothing else (no carries between bytes, unlike
/// the shorter `(x - 0x01…) & !x & 0x80…`, which may also flag bytes after a zero byte).
#[inline]
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !((x & LOW7).wrapping_add(LOW7) | x | LOW7)
}

/// Put the cells held in `bytes` (ends in `out.ends`) into `out` one by one, invalid UTF-8 replaced
/// and the row marked as having an encoding error.
fn lossy_cells(bytes: Vec<u8>, out: &mut Record) {
    let ends = std::mem::take(&mut out.ends);
    let gap = out.gap;
    out.buf.clear();
    out.gap = 0;
    let mut start = 0;
    for &end in &ends {
        let field = bytes.get(start..end).unwrap_or_default();
        match std::str::from_utf8(field) {
            Ok(s) => out.push(s),
            Err(_) => {
                out.set_encoding_error();
                out.push(&String::from_utf8_lossy(field));
            }
        }
        start = end + gap;
    }
}

fn memchr_count(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

impl TableReader for CsvReader {
    fn read_record(&mut self, out: &mut Record) -> Result<bool, ReadError> {
        if self.pending_blank > 0 {
            self.pending_blank -= 1;
            out.reset(self.next_row);
            self.next_row += 1;
            return Ok(true);
        }
        if let Some(mut stashed) = self.stash.take() {
            std::mem::swap(out, &mut stashed);
            self.spare = stashed;
            out.row = self.next_row;
            self.next_row += 1;
            return Ok(true);
        }
        if self.done {
            return Ok(false);
        }
        if !self.parse_into(out)? {
            self.done = true;
            return Ok(false);
        }
        // Empty lines the parser skipped: Python's csv (and Frictionless) count them as rows. The
        // record's first line follows from the parser's line count, the terminator style and the
        // newlines inside quoted fields. (A last record with no final newline, after blank lines, is
        // numbered one too low: the terminator it lacks cannot be seen from here.)
        let end_line = self.line();
        let last_line = end_line.saturating_sub(1);
        // Only a record that moved the line count by more than one can hold newlines or follow blank
        // lines: count its newlines only then.
        let inner = if last_line > self.prev_last_line + 1 {
            memchr_count(out.buf.as_bytes())
        } else {
            0
        };
        let first_line = last_line.saturating_sub(inner);
        let blanks = first_line.saturating_sub(self.prev_last_line + 1);
        self.prev_last_line = last_line.max(self.prev_last_line);
        if blanks > 0 {
            self.pending_blank = blanks - 1;
            let mut stashed = std::mem::take(&mut self.spare);
            std::mem::swap(out, &mut stashed);
            self.stash = Some(stashed);
            out.reset(self.next_row);
            self.next_row += 1;
            return Ok(true);
        }
        out.row = self.next_row;
        self.next_row += 1;
        Ok(true)
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> (SourceInfo, Vec<(u64, Vec<String>)>) {
        let r = CsvReader::new(
            Box::new(std::io::Cursor::new(bytes.to_vec())),
            &ReadOptions::default(),
        )
        .unwrap();
        let info = r.info().clone();
        (info, super::super::records(r).map(Result::unwrap).collect())
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter(b"a;b;c\n1,5;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter(b"a|b\n\"x,y\"|2\n"), b'|');
        assert_eq!(sniff_delimiter(b"Tabel 1\nnama;jumlah\nA;1\nB;2\n"), b';');
        assert_eq!(sniff_delimiter(b"single\n"), b',');
    }

    #[test]
    fn reads_bom_crlf_quotes_and_counts_blank_lines() {
        let (info, rows) = read_all(b"\xEF\xBB\xBFnama;ket\r\n\"Sekayu; kota\";\"a\"\"b\"\r\n\r\n\"baris\ndua\";x\r\nC;y\r\n");
        assert_eq!(info.encoding.as_deref(), Some("utf-8-bom"));
        assert_eq!(info.delimiter.as_deref(), Some(";"));
        assert_eq!(rows[0], (1, vec!["nama".to_string(), "ket".to_string()]));
        assert_eq!(rows[1].1, ["Sekayu; kota", "a\"b"]);
        assert_eq!(rows[2], (3, vec![]));
        assert_eq!(
            rows[3],
            (4, vec!["baris\ndua".to_string(), "x".to_string()])
        );
        assert_eq!(rows[4].0, 5);
        assert_eq!(rows.len(), 5);
    }

    #[test]
    fn blank_lines_count_as_rows_in_lf_and_crlf_files() {
        for data in [
            &b"\n\na;b\nx;y\n\n\"ba\nd\";x\nC;y\n\n\nD;z\n\n"[..],
            &b"\r\n\r\na;b\r\nx;y\r\n\r\n\"ba\r\nd\";x\r\nC;y\r\n\r\n\r\nD;z"[..],
        ] {
            let (_, rows) = read_all(data);
            let numbered: Vec<(u64, usize)> = rows.iter().map(|(n, c)| (*n, c.len())).collect();
            assert_eq!(
                numbered,
                [
                    (1, 0),
                    (2, 0),
                    (3, 2),
                    (4, 2),
                    (5, 0),
                    (6, 2),
                    (7, 2),
                    (8, 0),
                    (9, 0),
                    (10, 2)
                ]
            );
        }
    }

    #[test]
    fn mixed_crlf_and_lf_lines_get_no_phantom_blank_rows() {
        // frictionless-py-data/package-dialect-no-header.csv: CRLF lines, then an LF line; a blank
        // row 3 was reported and the last row numbered 4.
        let (_, rows) = read_all(b"a,b\r\n\"x\r\ny\",1\r\nc,2\n\r\nd,3\r\n\ne,4\n");
        let numbered: Vec<(u64, Vec<String>)> = rows;
        let want: Vec<(u64, Vec<&str>)> = vec![
            (1, vec!["a", "b"]),
            (2, vec!["x\r\ny", "1"]),
            (3, vec!["c", "2"]),
            (4, vec![]),
            (5, vec!["d", "3"]),
            (6, vec![]),
            (7, vec!["e", "4"]),
        ];
        let want: Vec<(u64, Vec<String>)> = want
            .into_iter()
            .map(|(n, c)| (n, c.into_iter().map(String::from).collect()))
            .collect();
        assert_eq!(numbered, want);
        // Old Mac files end lines with `\r` only.
        let (_, rows) = read_all(b"a,b\r1,2\r3,4\r");
        assert_eq!(rows.len(), 3);
        // A `\r` inside an earlier field, the last field empty.
        let (_, rows) = read_all(b"a,b\nx\r,\n");
        assert_eq!(rows[1].1, ["x\r", ""]);
        let (_, rows) = read_all(b"a,b\r1,2\r3,4\r");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].1, ["3", "4"]);
    }

    #[test]
    fn reads_windows_1252() {
        let (info, rows) = read_all(b"nama,harga\nCaf\xE9,\x80 5\n");
        assert_eq!(info.encoding.as_deref(), Some("windows-1252"));
        assert_eq!(rows[1].1, ["Café", "€ 5"]);
    }

    #[test]
    fn halves_of_a_character_in_two_cells_are_an_encoding_error() {
        // `\xC3` and `\xA9` are é split by the delimiter: the record's text joined is valid UTF-8,
        // each cell alone is not.
        let opts = ReadOptions {
            encoding: Some("utf-8".into()),
            ..Default::default()
        };
        let r = CsvReader::new(
            Box::new(std::io::Cursor::new(
                b"a;b\nx\xC3;\xA9y\nc\xC3\xA9;d\r\n".to_vec(),
            )),
            &opts,
        )
        .unwrap();
        let rows: Vec<Record> = {
            let mut r = r;
            let mut out = vec![];
            let mut rec = Record::new();
            while r.read_record(&mut rec).unwrap() {
                out.push(rec.clone());
            }
            out
        };
        assert_eq!(rows.len(), 3);
        assert!(rows[1].encoding_error());
        assert_eq!(rows[1].to_vec(), ["x\u{FFFD}", "\u{FFFD}y"]);
        assert!(!rows[2].encoding_error());
        assert_eq!(rows[2].to_vec(), ["cé", "d"]);
    }

    #[test]
    fn long_records_grow_the_buffers() {
        let cells: Vec<String> = (0..300)
            .map(|i| format!("sel{i}-{}", "x".repeat(i)))
            .collect();
        let line = cells.join(",");
        let (_, rows) = read_all(format!("{line}\n{line}\n").as_bytes());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].1, cells);
    }

    /// A record as the tests compare it: row number, cells, encoding error, blank.
    type ReadRow = (u64, Vec<String>, bool, bool);

    /// The records of `bytes` with and without [`CsvReader::plain_line`]: row numbers, cells,
    /// encoding errors and blankness.
    fn read_both_ways(bytes: &[u8]) -> [Vec<ReadRow>; 2] {
        [true, false].map(|plain| {
            let mut r = CsvReader::new(
                Box::new(std::io::Cursor::new(bytes.to_vec())),
                &ReadOptions {
                    delimiter: Some(b';'),
                    ..Default::default()
                },
            )
            .unwrap();
            r.plain_allowed = plain;
            let mut rec = Record::new();
            let mut out = vec![];
            while r.read_record(&mut rec).unwrap() {
                out.push((
                    rec.row(),
                    rec.to_vec(),
                    rec.encoding_error(),
                    rec.is_blank(),
                ));
            }
            out
        })
    }

    #[test]
    fn plain_lines_split_like_csv_core() {
        // Lines of every kind: quotes (with delimiters and newlines inside), CRLF, blank lines, a lone
        // `\r`, empty cells, non-ASCII text and invalid bytes, cells of every length around eight.
        let pieces: [&[u8]; 16] = [
            b"a",
            b"bcdefgh",
            b"12345678",
            b"",
            b" ",
            b";",
            b";;",
            b"\"q;\"\"x\"",
            b"x\"y",
            b"\r",
            b"\n",
            b"\r\n",
            b"\n\n",
            "é€".as_bytes(),
            b"\xC3",
            b"0123456789abcdefg",
        ];
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        // Long enough to cross the 256 KiB read buffer several times.
        let mut bytes = b"a;b;c\n".to_vec();
        while bytes.len() < 700_000 {
            let p = pieces[(next() % pieces.len() as u64) as usize];
            bytes.extend_from_slice(p);
            if next() % 6 == 0 {
                bytes.push(b'\n');
            }
        }
        let [plain, core] = read_both_ways(&bytes);
        assert!(plain.len() > 10_000);
        assert_eq!(plain, core);
        // A last line with no newline, after blank lines.
        let [plain, core] = read_both_ways(b"a;b\n1;2\n\n\n3;4");
        assert_eq!(plain, core);
    }

    #[test]
    fn zero_bytes_flags_exactly_the_zero_bytes() {
        for b in 0u8..=255 {
            for at in 0..8 {
                let mut word = [1u8; 8];
                word[at] = b;
                let flags = zero_bytes(u64::from_le_bytes(word)).to_le_bytes();
                for (i, f) in flags.iter().enumerate() {
                    let want = if word[i] == 0 { 0x80 } else { 0 };
                    assert_eq!(*f, want, "byte {b:#x} at {at}");
                }
            }
        }
    }

    #[test]
    fn flags_invalid_utf8_late_in_a_file() {
        let mut bytes = b"a,b\n".to_vec();
        for _ in 0..20_000 {
            bytes.extend_from_slice(b"x,y\n");
        }
        bytes.extend_from_slice(b"\xFF,z\n");
        let r = CsvReader::new(
            Box::new(std::io::Cursor::new(bytes)),
            &ReadOptions::default(),
        )
        .unwrap();
        let mut r = r;
        let mut rec = Record::new();
        let mut flagged = vec![];
        while r.read_record(&mut rec).unwrap() {
            if rec.encoding_error() {
                flagged.push(rec.row());
            }
        }
        assert_eq!(flagged, [20_002]);
    }
}
